//! The browser's durable copy: all records, the outbox of unsent mutations, and the sync state,
//! in IndexedDB (through the `idb` crate). Values are stored as JSON text, the same bytes the
//! server speaks, so nothing needs a second serialisation format.
//!
//! Every write that holds a user's edit uses a transaction with `durability: "strict"`:
//! Chrome's default ("relaxed") may report success before the data reaches the disk.

use idb::{Database, DatabaseEvent, Factory, KeyRange, ObjectStore, Query, Transaction, TransactionMode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tavla_shared::order::{sort_by_rank, Rank};
use tavla_shared::wire::{Mutation, Record};
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};

const DB_NAME: &str = "tavla";
const DB_VERSION: u32 = 1;
const RECORDS: &str = "records";
const OUTBOX: &str = "outbox";
const META: &str = "meta";

/// What can go wrong with the local database.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LocalDbError {
    #[error("the browser's database failed: {0}")]
    Idb(String),
    #[error("a stored value could not be read: {0}")]
    Decode(String),
}

impl From<idb::Error> for LocalDbError {
    fn from(e: idb::Error) -> Self {
        LocalDbError::Idb(e.to_string())
    }
}

/// Everything stored locally, as loaded at start.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub records: Vec<Record>,
    pub outbox: Vec<Mutation>,
    pub meta: Vec<(String, String)>,
}

/// The open database.
#[derive(Debug)]
pub struct LocalDb {
    db: web_sys::IdbDatabase,
}

fn text<T: Serialize>(value: &T) -> Result<JsValue, LocalDbError> {
    serde_json::to_string(value)
        .map(|s| JsValue::from_str(&s))
        .map_err(|e| LocalDbError::Decode(e.to_string()))
}

fn parse<T: DeserializeOwned>(value: &JsValue) -> Result<T, LocalDbError> {
    let s = value.as_string().ok_or_else(|| LocalDbError::Decode("not text".into()))?;
    serde_json::from_str(&s).map_err(|e| LocalDbError::Decode(e.to_string()))
}

impl LocalDb {
    /// Opens (creating on first use) the database.
    pub async fn open() -> Result<LocalDb, LocalDbError> {
        let factory = Factory::new()?;
        let mut request = factory.open(DB_NAME, Some(DB_VERSION))?;
        request.on_upgrade_needed(|event| {
            let Ok(db) = event.database() else { return };
            for name in [RECORDS, OUTBOX, META] {
                if !db.store_names().iter().any(|n| n == name) {
                    let _ = db.create_object_store(name, idb::ObjectStoreParams::new());
                }
            }
        });
        let db: Database = request.await?;
        Ok(LocalDb { db: db.into() })
    }

    /// A transaction over `stores`. Read-write ones are strict: `idb` cannot pass transaction
    /// options and web-sys hides `IDBTransactionOptions` behind an unstable flag, so the call is
    /// made through `Reflect` here.
    fn transaction(&self, stores: &[&str], write: bool) -> Result<Transaction, LocalDbError> {
        if !write {
            return Ok(Database::from(self.db.clone()).transaction(stores, TransactionMode::ReadOnly)?);
        }
        let raw = &self.db;
        let names = js_sys::Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"durability".into(), &"strict".into())
            .map_err(|e| LocalDbError::Idb(format!("{e:?}")))?;
        let method: js_sys::Function = js_sys::Reflect::get(raw, &"transaction".into())
            .and_then(|f| f.dyn_into())
            .map_err(|e| LocalDbError::Idb(format!("{e:?}")))?;
        let tx = method
            .call3(raw, &names, &"readwrite".into(), &options)
            .and_then(|t| t.dyn_into::<web_sys::IdbTransaction>())
            .map_err(|e| LocalDbError::Idb(format!("{e:?}")))?;
        Ok(tx.into())
    }

    async fn commit(tx: Transaction) -> Result<(), LocalDbError> {
        match tx.await? {
            idb::TransactionResult::Committed => Ok(()),
            idb::TransactionResult::Aborted => Err(LocalDbError::Idb("the write was aborted".into())),
        }
    }

    /// Loads everything.
    pub async fn load(&self) -> Result<Loaded, LocalDbError> {
        let tx = self.transaction(&[RECORDS, OUTBOX, META], false)?;
        let records = tx.object_store(RECORDS)?.get_all(None, None)?.await?;
        let outbox = tx.object_store(OUTBOX)?.get_all(None, None)?.await?;
        let meta_store = tx.object_store(META)?;
        let meta_keys = meta_store.get_all_keys(None, None)?.await?;
        let meta_values = meta_store.get_all(None, None)?.await?;
        let mut outbox: Vec<Mutation> = outbox.iter().map(parse).collect::<Result<_, _>>()?;
        sort_by_rank(&mut outbox, |m| Rank::num(m.id as i64));
        Ok(Loaded {
            records: records.iter().map(parse).collect::<Result<_, _>>()?,
            outbox,
            meta: meta_keys
                .iter()
                .zip(meta_values.iter())
                .filter_map(|(k, v)| Some((k.as_string()?, v.as_string()?)))
                .collect(),
        })
    }

    fn put_meta(store: &ObjectStore, key: &str, value: &str) -> Result<(), LocalDbError> {
        store.put(&JsValue::from_str(value), Some(&JsValue::from_str(key)))?;
        Ok(())
    }

    /// Adds an edit to the outbox (and the next mutation id to the meta), durably.
    pub async fn enqueue(&self, m: &Mutation) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[OUTBOX, META], true)?;
        tx.object_store(OUTBOX)?.put(&text(m)?, Some(&JsValue::from_f64(m.id as f64)))?;
        Self::put_meta(&tx.object_store(META)?, "next_mutation_id", &(m.id + 1).to_string())?;
        Self::commit(tx).await
    }

    /// Stores pulled records and the new cursor; drops outbox entries up to `acknowledged`.
    pub async fn save_pull(
        &self,
        records: &[Record],
        cursor: u64,
        acknowledged: Option<u64>,
    ) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[RECORDS, OUTBOX, META], true)?;
        let store = tx.object_store(RECORDS)?;
        for r in records {
            store.put(&text(r)?, Some(&JsValue::from_str(&r.id.to_string())))?;
        }
        if let Some(up_to) = acknowledged {
            let range = KeyRange::upper_bound(&JsValue::from_f64(up_to as f64), Some(false))?;
            tx.object_store(OUTBOX)?.delete(Query::from(range))?;
        }
        Self::put_meta(&tx.object_store(META)?, "cursor", &cursor.to_string())?;
        Self::commit(tx).await
    }

    /// Stores one piece of sync state (e.g. the last error, rejected mutations).
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[META], true)?;
        Self::put_meta(&tx.object_store(META)?, key, value)?;
        Self::commit(tx).await
    }

    /// Deletes everything (after logout).
    pub async fn wipe(&self) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[RECORDS, OUTBOX, META], true)?;
        for name in [RECORDS, OUTBOX, META] {
            tx.object_store(name)?.clear()?;
        }
        Self::commit(tx).await
    }
}
