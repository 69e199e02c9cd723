//! The browser's durable copy: all records, the outbox of unsent mutations, the rejected edits
//! and the sync state, in IndexedDB (through the `idb` crate). Values are stored as JSON text,
//! the same bytes the server speaks, so nothing needs a second serialisation format. It is the
//! [`LocalStore`] of the shared sync client (`tavla_shared::client`).
//!
//! Every write that holds a user's edit uses a transaction with `durability: "strict"`:
//! Chrome's default ("relaxed") may report success before the data reaches the disk.
//!
//! Schema versions:
//! - 1 (up to commit 9224b27): `records`, `outbox` (bare mutations of the one client id kept in
//!   localStorage), `meta` (with `rejected` as one JSON list).
//! - 2: adds `rejected` (one entry per client and mutation id) and keeps each outbox entry with
//!   its client id (one per user on the device). Version 1's waiting edits are read as the
//!   edits of its client id, which is given to the user of its session, and rewritten in the new
//!   form on the first load ([`LocalDb::load`]), so they are sent after the new build takes over.
//! - 3: adds `pages`: each pull page is stored as one value (a JSON array of the records as the
//!   server sent them, under an increasing key), not one value per record. On a phone the
//!   10,000 single writes of a first sync cost about a second; one write per page costs a few
//!   milliseconds. The records are read in the order they were written: `records` (what schema
//!   2 stored) first, then the pages by key, a later copy of a record replacing an earlier one.
//!   When pages pile up (more than [`COMPACT_ABOVE`] beyond one per [`COMPACT_PAGE`] records)
//!   or schema 2's `records` still hold something, [`LocalDb::compact`] rewrites the latest
//!   copy of each record into pages of [`COMPACT_PAGE`].

use std::collections::HashMap;

use idb::{Database, DatabaseEvent, Factory, ObjectStore, Query, Transaction, TransactionMode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tavla_shared::client::{read_records, Draft, LocalError, LocalStore, PageWrite, ReadRecords, Rejected};
use tavla_shared::order::{sort_by_rank, Rank};
use tavla_shared::wire::{Mutation, Record};
use thiserror::Error;
use uuid::Uuid;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

const DB_NAME: &str = "tavla";
/// The schema version (see the module's documentation).
pub const DB_VERSION: u32 = 3;
/// Schema 2's store of one value per record; read, never written, since schema 3.
const RECORDS: &str = "records";
const OUTBOX: &str = "outbox";
const META: &str = "meta";
const REJECTED: &str = "rejected";
/// Pull pages, one value each, under an increasing key (schema 3).
const PAGES: &str = "pages";
const STORES: [&str; 5] = [RECORDS, OUTBOX, META, REJECTED, PAGES];
/// More stored pages than this (beyond one per [`COMPACT_PAGE`] records) are merged the next
/// time the copy is read (a device syncing all day adds one per round that brought changes).
pub const COMPACT_ABOVE: u32 = 64;
/// Records per page when pages are merged.
const COMPACT_PAGE: usize = 2000;
/// The copy's pull epoch. A device whose copy is of an earlier epoch, or was pulled under other
/// rights (`LocalDb::set_viewer`), pulls everything again once, and merges its pages afterwards
/// so the older copies go. Epoch 2 (issue 10): the server
/// leaves out the contact details an account may not see, which copies pulled before still
/// hold; a board member's device must not keep them.
const PULL_EPOCH: &str = "2";

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

impl From<LocalDbError> for LocalError {
    fn from(e: LocalDbError) -> Self {
        LocalError(e.to_string())
    }
}

/// One outbox entry as stored from schema 2 on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    client_id: Uuid,
    mutation: Mutation,
}

/// Everything stored locally, as loaded at start.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub records: Vec<Record>,
    /// Every user's waiting edits, oldest first.
    pub outbox: Vec<(Uuid, Mutation)>,
    pub rejected: Vec<Rejected>,
    /// user id → client id.
    pub clients: HashMap<Uuid, Uuid>,
    pub meta: HashMap<String, String>,
    /// Pages pile up, or schema 2's records are still there: [`LocalDb::compact`] is due.
    pub compact: bool,
}

/// The open database.
#[derive(Debug)]
pub struct LocalDb {
    db: web_sys::IdbDatabase,
    /// A merge is running: the reads meanwhile (another tab's news) ask for none more.
    compacting: std::cell::Cell<bool>,
    /// Whose rights the copy is pulled under (role and person): the server leaves out what
    /// they may not see, so a change of either (a staff member made board) pulls it all again.
    viewer: std::cell::RefCell<String>,
}

/// A record of a kind this release does not know: only its id is read, to store it by.
#[derive(serde::Deserialize)]
struct Keyed {
    id: String,
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

/// Records' texts as one JSON array.
fn json_array<'a>(texts: impl Iterator<Item = &'a RawValue> + Clone) -> String {
    let mut out = String::with_capacity(texts.clone().map(|t| t.get().len() + 1).sum::<usize>() + 2);
    out.push('[');
    for (i, t) in texts.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(t.get());
    }
    out.push(']');
    out
}

/// The records' texts in the order they were written: schema 2's `records`, then each page.
/// A value that is not what we wrote (a broken disk, a hostile script) is skipped, never fatal.
fn written_order(records: &[JsValue], pages: &[JsValue]) -> Vec<Box<RawValue>> {
    let mut texts: Vec<Box<RawValue>> =
        records.iter().filter_map(|v| RawValue::from_string(v.as_string()?).ok()).collect();
    for page in pages {
        if let Some(Ok(list)) = page.as_string().map(|p| serde_json::from_str::<Vec<Box<RawValue>>>(&p)) {
            texts.extend(list);
        }
    }
    texts
}

fn rejected_key(r: &Rejected) -> JsValue {
    JsValue::from_str(&format!("{}:{}", r.client_id, r.mutation.id))
}

impl LocalDb {
    /// Opens (creating or upgrading) the database. `on_version_change` runs when a newer
    /// release in another tab wants to upgrade it: this connection is closed first, so the
    /// upgrade is never blocked by us and we never write the old layout after it.
    pub async fn open(
        on_version_change: impl Fn() + 'static,
        on_blocked: impl Fn() + 'static,
    ) -> Result<LocalDb, LocalDbError> {
        let factory = Factory::new()?;
        let mut request = factory.open(DB_NAME, Some(DB_VERSION))?;
        request.on_upgrade_needed(|event| {
            let Ok(db) = event.database() else { return };
            for name in STORES {
                if !db.store_names().iter().any(|n| n == name) {
                    let mut params = idb::ObjectStoreParams::new();
                    params.auto_increment(name == PAGES);
                    let _ = db.create_object_store(name, params);
                }
            }
        });
        // A tab of an older release holds the database open: the open waits until it closes.
        // Say so meanwhile, instead of "loading" for ever.
        request.on_blocked(move |_| on_blocked());
        let db: Database = request.await?;
        let raw: web_sys::IdbDatabase = db.into();
        let handle = raw.clone();
        let closure = Closure::<dyn Fn()>::new(move || {
            handle.close();
            on_version_change();
        });
        raw.set_onversionchange(Some(closure.as_ref().unchecked_ref()));
        // Lives as long as the page: the database connection does too.
        closure.forget();
        Ok(LocalDb { db: raw, compacting: std::cell::Cell::new(false), viewer: Default::default() })
    }

    /// A transaction over `stores`. Read-write ones are strict: `idb` cannot pass transaction
    /// options and web-sys hides `IDBTransactionOptions` behind an unstable flag, so the call is
    /// made through `Reflect` here.
    fn transaction(&self, stores: &[&str], write: bool) -> Result<Transaction, LocalDbError> {
        self.transaction_with(stores, write, "strict")
    }

    /// A transaction with the given durability: "strict" (on disk before it completes: every
    /// write of the person's edits) or "relaxed" (a pull page whose acknowledgement changes
    /// nothing the device must keep: the server still has it, and its cursor is in the same
    /// transaction, so a page lost in a power cut is pulled again).
    fn transaction_with(
        &self,
        stores: &[&str],
        write: bool,
        durability: &str,
    ) -> Result<Transaction, LocalDbError> {
        if !write {
            return Ok(Database::from(self.db.clone()).transaction(stores, TransactionMode::ReadOnly)?);
        }
        let raw = &self.db;
        let names = js_sys::Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"durability".into(), &durability.into())
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

    fn put_meta(store: &ObjectStore, key: &str, value: &str) -> Result<(), LocalDbError> {
        store.put(&JsValue::from_str(value), Some(&JsValue::from_str(key)))?;
        Ok(())
    }

    async fn get_meta(store: &ObjectStore, key: &str) -> Result<Option<String>, LocalDbError> {
        Ok(store.get(Query::from(JsValue::from_str(key)))?.await?.and_then(|v| v.as_string()))
    }

    /// user id → client id, from `meta`.
    async fn clients(meta: &ObjectStore) -> Result<HashMap<Uuid, Uuid>, LocalDbError> {
        Ok(Self::get_meta(meta, "clients")
            .await?
            .and_then(|c| serde_json::from_str(&c).ok())
            .unwrap_or_default())
    }

    fn put_clients(meta: &ObjectStore, clients: &HashMap<Uuid, Uuid>) -> Result<(), LocalDbError> {
        Self::put_meta(meta, "clients", &serde_json::to_string(clients).unwrap_or_default())
    }

    /// Loads everything (the records only when `with_records`). Edits and rejections of schema 1 (`legacy_client`, the client id
    /// 9224b27 kept in localStorage, whose user is `legacy_user`) are rewritten in schema 2's
    /// form in one write, so they are sent under the right client id.
    pub async fn load(
        &self,
        legacy_client: Option<Uuid>,
        legacy_user: Option<Uuid>,
        with_records: bool,
    ) -> Result<Loaded, LocalDbError> {
        let tx = self.transaction(&STORES, false)?;
        let (records, pages) = if with_records {
            (
                tx.object_store(RECORDS)?.get_all(None, None)?.await?,
                tx.object_store(PAGES)?.get_all(None, None)?.await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let outbox = tx.object_store(OUTBOX)?.get_all(None, None)?.await?;
        let rejected = tx.object_store(REJECTED)?.get_all(None, None)?.await?;
        let meta_store = tx.object_store(META)?;
        let meta_keys = meta_store.get_all_keys(None, None)?.await?;
        let meta_values = meta_store.get_all(None, None)?.await?;
        let meta: HashMap<String, String> = meta_keys
            .iter()
            .zip(meta_values.iter())
            .filter_map(|(k, v)| Some((k.as_string()?, v.as_string()?)))
            .collect();

        // Records are read one by one: one of a kind this release does not know stays stored
        // but unshown, and never fails the load. They come in the order they were written, so
        // a later copy of a record replaces an earlier one where the caller keys them by id.
        let texts = written_order(&records, &pages);
        // Beyond what a merge itself leaves (a page per COMPACT_PAGE records), so a very large
        // copy is not rewritten at every start.
        let compact = !records.is_empty() && !pages.is_empty()
            || pages.len() > COMPACT_ABOVE as usize + texts.len() / COMPACT_PAGE
            || meta.contains_key("compact_due");
        let ReadRecords { records, aside, .. } = read_records(texts);
        let mut clients: HashMap<Uuid, Uuid> =
            meta.get("clients").and_then(|c| serde_json::from_str(c).ok()).unwrap_or_default();
        let mut entries = Vec::new();
        let mut legacy = Vec::new();
        for v in outbox.iter() {
            // Schema 2's entry, or schema 1's bare mutation. (Two plain reads: serde's untagged
            // enum would cost the download its buffering code.)
            match parse::<Entry>(v) {
                Ok(e) => entries.push((e.client_id, e.mutation)),
                Err(_) => legacy.push(parse::<Mutation>(v)?),
            }
        }
        let mut rejected: Vec<Rejected> = rejected.iter().filter_map(|v| parse(v).ok()).collect();
        let legacy_rejected: Vec<Rejected> =
            meta.get("rejected").and_then(|r| serde_json::from_str(r).ok()).unwrap_or_default();
        // Without a logged-in user the old edits have no known author yet: they wait (unshown)
        // for the first login.
        if let (Some(user), true) = (legacy_user, !legacy.is_empty() || !legacy_rejected.is_empty()) {
            let client = legacy_client.unwrap_or_else(crate::session::random_uuid);
            clients.entry(user).or_insert(client);
            let tx = self.transaction(&[OUTBOX, META, REJECTED], true)?;
            let store = tx.object_store(OUTBOX)?;
            for m in legacy {
                let entry = Entry { client_id: client, mutation: m };
                store.put(&text(&entry)?, Some(&JsValue::from_f64(entry.mutation.id as f64)))?;
                entries.push((client, entry.mutation));
            }
            let store = tx.object_store(REJECTED)?;
            for mut r in legacy_rejected {
                r.client_id = client;
                store.put(&text(&r)?, Some(&rejected_key(&r)))?;
                rejected.push(r);
            }
            let meta_store = tx.object_store(META)?;
            meta_store.delete(Query::from(JsValue::from_str("rejected")))?;
            Self::put_clients(&meta_store, &clients)?;
            Self::commit(tx).await?;
        }
        sort_by_rank(&mut entries, |(_, m)| Rank::num(m.id as i64));
        // Records of kinds this release does not know stay stored, unshown (`_aside`).
        let _aside = aside;
        Ok(Loaded { records, outbox: entries, rejected, clients, meta, compact })
    }

    /// Rewrites the latest copy of each record into pages of [`COMPACT_PAGE`], and empties
    /// schema 2's `records`: one read-write transaction, so a page another tab stores meanwhile
    /// waits for it and is never lost.
    pub async fn compact(&self) -> Result<(), LocalDbError> {
        if self.compacting.replace(true) {
            return Ok(());
        }
        let done = self.compact_tx().await;
        self.compacting.set(false);
        done
    }

    async fn compact_tx(&self) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[RECORDS, PAGES, META], true)?;
        tx.object_store(META)?.delete(Query::from(JsValue::from_str("compact_due")))?;
        let records = tx.object_store(RECORDS)?;
        let pages = tx.object_store(PAGES)?;
        let texts = written_order(&records.get_all(None, None)?.await?, &pages.get_all(None, None)?.await?);
        // The latest copy of each id, in the order first seen; texts without an id are kept
        // as they are (nothing stored is dropped here).
        let mut latest: Vec<Box<RawValue>> = Vec::with_capacity(texts.len());
        let mut at: HashMap<String, usize> = HashMap::with_capacity(texts.len());
        for text in texts {
            match serde_json::from_str::<Keyed>(text.get()) {
                Ok(Keyed { id }) => match at.get(&id) {
                    Some(&i) => latest[i] = text,
                    None => {
                        at.insert(id, latest.len());
                        latest.push(text);
                    }
                },
                Err(_) => latest.push(text),
            }
        }
        records.clear()?;
        pages.clear()?;
        for chunk in latest.chunks(COMPACT_PAGE) {
            pages.add(&JsValue::from_str(&json_array(chunk.iter().map(|t| t.as_ref()))), None)?;
        }
        Self::commit(tx).await
    }

    /// Stores one piece of sync state (e.g. the time of the last sync).
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[META], true)?;
        Self::put_meta(&tx.object_store(META)?, key, value)?;
        Self::commit(tx).await
    }

    /// The server says `refused`, `user`'s client id here, belongs to someone else (edits left
    /// by another user under an older release): those edits are parked under the client id
    /// itself — kept, counted as another user's, tried again at each login — and `user` goes on
    /// with `fresh`. Nothing changes when another tab has already done so.
    pub async fn park_client(&self, user: Uuid, refused: Uuid, fresh: Uuid) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[META], true)?;
        let meta = tx.object_store(META)?;
        let mut clients = Self::clients(&meta).await?;
        if clients.get(&user) == Some(&refused) {
            clients.insert(user, fresh);
            clients.insert(refused, refused);
            Self::put_clients(&meta, &clients)?;
        }
        Self::commit(tx).await
    }

    /// Parked client ids (see [`Self::park_client`]).
    pub async fn parked_clients(&self) -> Result<Vec<Uuid>, LocalDbError> {
        let tx = self.transaction(&[META], false)?;
        let clients = Self::clients(&tx.object_store(META)?).await?;
        Ok(clients.into_iter().filter(|(k, v)| k == v).map(|(k, _)| k).collect())
    }

    /// Forgets a parked client id whose edits have all been sent.
    pub async fn unpark(&self, client: Uuid) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[META], true)?;
        let meta = tx.object_store(META)?;
        let mut clients = Self::clients(&meta).await?;
        if clients.get(&client) == Some(&client) {
            clients.remove(&client);
            Self::put_clients(&meta, &clients)?;
        }
        Self::commit(tx).await
    }

    /// Removes a rejected edit its author has read.
    pub async fn dismiss(&self, rejected: &Rejected) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[REJECTED], true)?;
        tx.object_store(REJECTED)?.delete(Query::from(rejected_key(rejected)))?;
        Self::commit(tx).await
    }

    /// After a logout: deletes the records and sync state, and `client`'s edits and rejections.
    /// Other users' waiting edits (and their client ids) stay for them: they are sent when that
    /// user logs in here again.
    pub async fn wipe(&self, client: Option<Uuid>) -> Result<(), LocalDbError> {
        let tx = self.transaction(&STORES, true)?;
        tx.object_store(RECORDS)?.clear()?;
        tx.object_store(PAGES)?.clear()?;
        let meta = tx.object_store(META)?;
        for key in ["cursor", "last_sync_ms"] {
            meta.delete(Query::from(JsValue::from_str(key)))?;
        }
        if let Some(client) = client {
            let outbox = tx.object_store(OUTBOX)?;
            let keys = outbox.get_all_keys(None, None)?.await?;
            let values = outbox.get_all(None, None)?.await?;
            for (k, v) in keys.iter().zip(values.iter()) {
                if parse::<Entry>(v).is_ok_and(|e| e.client_id == client) {
                    outbox.delete(Query::from(k.clone()))?;
                }
            }
            let prefix = format!("{client}:");
            let rejected = tx.object_store(REJECTED)?;
            for k in rejected.get_all_keys(None, None)?.await? {
                if k.as_string().is_some_and(|k| k.starts_with(&prefix)) {
                    rejected.delete(Query::from(k))?;
                }
            }
        }
        Self::commit(tx).await
    }
}

/// The sync client's storage steps, each one transaction.
impl LocalDb {
    /// Names whose rights the next pulls are made under (see [`PULL_EPOCH`]).
    pub fn set_viewer(&self, viewer: String) {
        *self.viewer.borrow_mut() = viewer;
    }

    /// The epoch a copy pulled now is of: the release's, and the viewer's rights.
    fn epoch(&self) -> String {
        format!("{PULL_EPOCH}:{}", self.viewer.borrow())
    }

    async fn client_id_tx(&self, user: Uuid, fresh: Uuid) -> Result<Uuid, LocalDbError> {
        let tx = self.transaction(&[META], true)?;
        let meta = tx.object_store(META)?;
        let mut clients = Self::clients(&meta).await?;
        let id = *clients.entry(user).or_insert(fresh);
        Self::put_clients(&meta, &clients)?;
        Self::commit(tx).await?;
        Ok(id)
    }

    async fn enqueue_tx(&self, client_id: Uuid, draft: Draft) -> Result<Mutation, LocalDbError> {
        // The id is read and raised in the same transaction that stores the edit: IndexedDB
        // runs overlapping read-write transactions one after another, so two tabs never take
        // the same id.
        let tx = self.transaction(&[OUTBOX, META], true)?;
        let meta = tx.object_store(META)?;
        let next = Self::get_meta(&meta, "next_mutation_id").await?.and_then(|n| n.parse::<u64>().ok());
        let outbox = tx.object_store(OUTBOX)?;
        // Schema 1 did not always store the counter ahead of its outbox: never go below it.
        let highest =
            outbox.get_all_keys(None, None)?.await?.iter().filter_map(|k| k.as_f64()).fold(0.0_f64, f64::max)
                as u64;
        let id = next.unwrap_or(1).max(highest + 1);
        let m = Mutation { id, kind: draft.kind, entity_id: draft.entity_id, at: draft.at, op: draft.op };
        let entry = Entry { client_id, mutation: m.clone() };
        outbox.put(&text(&entry)?, Some(&JsValue::from_f64(id as f64)))?;
        Self::put_meta(&meta, "next_mutation_id", &(id + 1).to_string())?;
        Self::commit(tx).await?;
        Ok(m)
    }

    async fn outbox_tx(&self, client_id: Uuid) -> Result<Vec<Mutation>, LocalDbError> {
        let tx = self.transaction(&[OUTBOX], false)?;
        let values = tx.object_store(OUTBOX)?.get_all(None, None)?.await?;
        let mut out: Vec<Mutation> = values
            .iter()
            .filter_map(|v| parse::<Entry>(v).ok())
            .filter(|e| e.client_id == client_id)
            .map(|e| e.mutation)
            .collect();
        sort_by_rank(&mut out, |m| Rank::num(m.id as i64));
        Ok(out)
    }

    async fn cursor_tx(&self) -> Result<u64, LocalDbError> {
        let tx = self.transaction(&[META], false)?;
        let meta = tx.object_store(META)?;
        // A copy of an earlier epoch (or a re-pull cut short) starts over from the beginning.
        if Self::get_meta(&meta, "pull_epoch").await? != Some(self.epoch()) {
            return Ok(0);
        }
        Ok(Self::get_meta(&meta, "cursor").await?.and_then(|c| c.parse().ok()).unwrap_or(0))
    }

    async fn save_page_tx(&self, page: &PageWrite) -> Result<(), LocalDbError> {
        // Strict only when the acknowledgement changes what this device must never forget
        // (edits done or refused, the mutation counter): a first sync's last page needs no
        // flush to disk, and if a power cut loses it, it is pulled again.
        let strict = page
            .ack
            .as_ref()
            .is_some_and(|a| !a.done.is_empty() || !a.rejected.is_empty() || a.last_mutation_id > 0);
        let durability = if strict { "strict" } else { "relaxed" };
        let tx = self.transaction_with(&STORES, true, durability)?;
        // The page as one value: its records as the server sent them (read once, never
        // written out again), those of unknown kinds included.
        if !page.texts.is_empty() || !page.aside.is_empty() {
            let all = page.texts.iter().chain(&page.aside).map(|t| t.as_ref());
            tx.object_store(PAGES)?.add(&JsValue::from_str(&json_array(all)), None)?;
        }
        let meta = tx.object_store(META)?;
        if let Some(ack) = &page.ack {
            let outbox = tx.object_store(OUTBOX)?;
            for id in &ack.done {
                outbox.delete(Query::from(JsValue::from_f64(*id as f64)))?;
            }
            let rejected = tx.object_store(REJECTED)?;
            for r in &ack.rejected {
                rejected.put(&text(r)?, Some(&rejected_key(r)))?;
            }
            // Ids below what the server has processed would be skipped as replays.
            let next = Self::get_meta(&meta, "next_mutation_id").await?.and_then(|n| n.parse::<u64>().ok());
            let next = next.unwrap_or(1).max(ack.last_mutation_id + 1);
            Self::put_meta(&meta, "next_mutation_id", &next.to_string())?;
        }
        Self::put_meta(&meta, "cursor", &page.cursor.to_string())?;
        // The last page of a pull of this epoch: the copy is whole again; the pages pulled
        // before it are merged away at the next read.
        let epoch = self.epoch();
        if page.ack.is_some() && Self::get_meta(&meta, "pull_epoch").await?.as_deref() != Some(epoch.as_str())
        {
            Self::put_meta(&meta, "pull_epoch", &epoch)?;
            Self::put_meta(&meta, "compact_due", "1")?;
        }
        Self::commit(tx).await?;
        Ok(())
    }

    async fn refuse_tx(&self, refused: Vec<Rejected>) -> Result<(), LocalDbError> {
        let tx = self.transaction(&[OUTBOX, REJECTED], true)?;
        let outbox = tx.object_store(OUTBOX)?;
        let rejected = tx.object_store(REJECTED)?;
        for r in &refused {
            outbox.delete(Query::from(JsValue::from_f64(r.mutation.id as f64)))?;
            rejected.put(&text(r)?, Some(&rejected_key(r)))?;
        }
        Self::commit(tx).await?;
        Ok(())
    }
}

impl LocalStore for LocalDb {
    async fn client_id(&self, user: Uuid, fresh: Uuid) -> Result<Uuid, LocalError> {
        Ok(self.client_id_tx(user, fresh).await?)
    }
    async fn enqueue(&self, client_id: Uuid, draft: Draft) -> Result<Mutation, LocalError> {
        Ok(self.enqueue_tx(client_id, draft).await?)
    }
    async fn outbox(&self, client_id: Uuid) -> Result<Vec<Mutation>, LocalError> {
        Ok(self.outbox_tx(client_id).await?)
    }
    async fn cursor(&self) -> Result<u64, LocalError> {
        Ok(self.cursor_tx().await?)
    }
    async fn save_page(&self, page: &PageWrite) -> Result<(), LocalError> {
        Ok(self.save_page_tx(page).await?)
    }
    async fn refuse(&self, refused: Vec<Rejected>) -> Result<(), LocalError> {
        Ok(self.refuse_tx(refused).await?)
    }
}
