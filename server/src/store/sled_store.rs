//! The sled implementation of [`Store`]: one tree, keys prefixed by what they hold.
//!
//! | key | value |
//! |---|---|
//! | `c` + version (u64 big-endian) | record id (16 bytes) + the record's JSON: the change log is the records, one entry per record at its newest version |
//! | `v` | the global version (u64 big-endian) |
//! | `u` + user id | user JSON |
//! | `n` + lower-case user name | user id |
//! | `s` + SHA-256 of a token | session JSON |
//! | `b` + SHA-256 of a backup key | backup key JSON (its name, never the key) |
//! | `i` + SHA-256 of a calendar feed's secret | calendar feed JSON (its owner and age; at most one per user) |
//! | `l` + SHA-256 of a share link's secret | share link JSON (its name and target, never the secret) |
//! | `k` + client id | client state JSON |
//! | `a` + sequence number | audit log line JSON |
//! | `m` + client id + mutation id (u64 big-endian) | that mutation's result JSON when not `applied` (within the newest 1,000 ids per client) |
//! | `f` | the data format (u64 big-endian); absent in directories written before format 2 |
//!
//! Records are found by id through an index in memory (id → version), read from the keys'
//! values when the store opens: writing a record is then one insert (and, for a record that
//! existed, the removal of its previous version), where a persisted index took a second insert
//! per record (issue 15: a 1,000-mutation push cost 3.7x a bare batch of the same records).
//!
//! Formats: 1 (up to commit 9224b27) had no `f` and no `m` keys. 2 adds them. Both kept each
//! record under `r` + id and only its id under `c` + version; 3 keeps the record in the change
//! log. An older directory is upgraded in place when opened, in one atomic batch (a crash
//! leaves the old format or the new, never a mix); replays of format 1 older than the upgrade
//! are answered `already_applied`, since their results were never kept.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};

use sled::transaction::{ConflictableTransactionError, TransactionError};

use serde::de::DeserializeOwned;
use serde::Serialize;
use tavla_shared::protocol::RESULTS_KEPT;
use tavla_shared::wire::{AuditEntry, MutationResult, Record};
use uuid::Uuid;

use tavla_shared::merge::Tracked;

use super::{
    BoxFuture, CalendarFeed, ClientState, PullPage, PushWrite, RecordWrite, ServerWrite, Session, Store,
    StoreError, StoredUser, UserWriteError,
};

const VERSION_KEY: &[u8] = b"v";
const FORMAT_KEY: &[u8] = b"f";
/// The data format this release writes.
pub const FORMAT: u64 = 3;

fn result_key(client_id: Uuid, mutation_id: u64) -> Vec<u8> {
    let mut k = key(b'm', client_id.as_bytes());
    k.extend_from_slice(&mutation_id.to_be_bytes());
    k
}

/// sled on disk. Open one path once: sled locks its directory.
#[derive(Debug)]
pub struct SledStore {
    db: sled::Db,
    /// Serialises record writes; held while a batch is applied and the index follows it, so
    /// under it the index and the tree agree.
    write_lock: Mutex<()>,
    /// Each record's newest version (its key in the change log).
    index: RwLock<HashMap<Uuid, u64>>,
    /// How many audit lines are stored (counted once on opening, then kept up to date).
    audit_lines: AtomicUsize,
    /// Held while a calendar feed is written: finding a user's earlier feed and replacing it is
    /// a scan and a batch, and two at once could leave the user two working addresses.
    feeds: Mutex<()>,
    /// Held while the audit log is trimmed: two trims at once would count the same lines twice.
    trimming: Mutex<()>,
    /// One flush at a time. Concurrent `flush_async` calls can deadlock sled 0.34 for good
    /// (spacejam/sled#1308, fixed upstream but never released for 0.34): flush jobs hold sled's
    /// read lock while its log flusher waits behind a writer. Seen as a server that stopped
    /// answering under 20 concurrent account changes and pushes; a flush that waits for
    /// another one finds its writes already on disk, so serialising costs little.
    flushing: tokio::sync::Mutex<()>,
}

fn key(prefix: u8, rest: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + rest.len());
    k.push(prefix);
    k.extend_from_slice(rest);
    k
}

fn change_key(version: u64) -> Vec<u8> {
    key(b'c', &version.to_be_bytes())
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A change-log entry: the record's id, then its JSON.
fn entry(t: &Tracked) -> Result<Vec<u8>, StoreError> {
    let mut value = t.record.id.as_bytes().to_vec();
    serde_json::to_writer(&mut value, t).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(value)
}

/// The record id at the start of a change-log entry.
fn record_id(value: &[u8]) -> Result<Uuid, StoreError> {
    value
        .get(..16)
        .and_then(|id| Uuid::from_slice(id).ok())
        .ok_or_else(|| StoreError::Corrupt("a change-log entry holds no record id".into()))
}

/// The record's JSON in a change-log entry (after its id).
fn entry_json(value: &[u8]) -> Result<&[u8], StoreError> {
    value.get(16..).ok_or_else(|| StoreError::Corrupt("a change-log entry is too short".into()))
}

/// A transaction's failure as an account write's.
fn user_tx_error(e: TransactionError<UserWriteError>) -> UserWriteError {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => UserWriteError::Store(StoreError::Sled(e)),
    }
}

fn read_u64(bytes: &[u8]) -> Result<u64, StoreError> {
    let arr: [u8; 8] =
        bytes.try_into().map_err(|_| StoreError::Corrupt("a version is not 8 bytes".into()))?;
    Ok(u64::from_be_bytes(arr))
}

impl SledStore {
    /// Opens (or creates) the store in `path`. `cache_bytes` bounds sled's page cache, whose
    /// default (1 GB) is far too much for a small server.
    pub fn open(path: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        let db = sled::Config::new().path(path).cache_capacity(cache_bytes).open()?;
        let audit_lines = AtomicUsize::new(db.scan_prefix(b"a").keys().count());
        let store = Self {
            db,
            write_lock: Mutex::new(()),
            index: RwLock::default(),
            audit_lines,
            trimming: Mutex::new(()),
            feeds: Mutex::new(()),
            flushing: tokio::sync::Mutex::new(()),
        };
        store.upgrade()?;
        let mut index = HashMap::new();
        for kv in store.db.scan_prefix(b"c") {
            let (k, v) = kv?;
            index.insert(record_id(&v)?, read_u64(&k[1..])?);
        }
        *store.index.write().unwrap_or_else(|p| p.into_inner()) = index;
        Ok(store)
    }

    /// Writes `entries` (a backup's) into the new directory `path` in one batch, flushed.
    pub fn import_raw(path: &Path, entries: crate::backup::Entries) -> Result<(), StoreError> {
        let db = sled::Config::new().path(path).open()?;
        let mut batch = sled::Batch::default();
        for (k, v) in entries {
            batch.insert(k, v);
        }
        db.apply_batch(batch)?;
        db.flush()?;
        Ok(())
    }

    /// The data format of the directory (1 when it predates format numbers).
    pub fn format(&self) -> Result<u64, StoreError> {
        self.db.get(FORMAT_KEY)?.map(|v| read_u64(&v)).transpose().map(|f| f.unwrap_or(1))
    }

    /// Brings an older directory to [`FORMAT`] in place; refuses a newer one. Format 1 → 2 only
    /// adds the kept results, which start empty. Formats 1 and 2 → 3 move each record from
    /// `r` + id into its change-log entry, all in one batch with the new format number.
    fn upgrade(&self) -> Result<(), StoreError> {
        let found = self.format()?;
        if found > FORMAT {
            return Err(StoreError::TooNew { found, supported: FORMAT });
        }
        if found == FORMAT && self.db.get(FORMAT_KEY)?.is_some() {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        // The old change log's entries hold ids only; the records' own versions replace them.
        // A stale one left behind would read as a record without JSON.
        for k in self.db.scan_prefix(b"c").keys() {
            batch.remove(k?);
        }
        let mut moved = 0usize;
        for kv in self.db.scan_prefix(b"r") {
            let (k, v) = kv?;
            let tracked: Tracked = decode(&v)?;
            batch.remove(k);
            batch.insert(change_key(tracked.record.rev), entry(&tracked)?);
            moved += 1;
        }
        batch.insert(FORMAT_KEY, FORMAT.to_be_bytes().to_vec());
        self.db.apply_batch(batch)?;
        self.db.flush()?;
        if moved > 0 {
            tracing::info!(records = moved, from = found, to = FORMAT, "data directory upgraded");
        }
        Ok(())
    }

    /// Serialises writers. A poisoned lock only means another write panicked; the data is still
    /// consistent because sled applies a batch whole or not at all.
    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.write_lock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A batch writing `records` (each at its own `rev`, in the change log), dropping the
    /// entries at `replaced_revs` (the records' previous versions), and the global `version`.
    fn record_batch(
        records: &[Tracked],
        replaced_revs: &[u64],
        version: u64,
    ) -> Result<sled::Batch, StoreError> {
        let mut batch = sled::Batch::default();
        for rev in replaced_revs {
            batch.remove(change_key(*rev));
        }
        for t in records {
            batch.insert(change_key(t.record.rev), entry(t)?);
        }
        batch.insert(VERSION_KEY, version.to_be_bytes().to_vec());
        Ok(batch)
    }

    /// Points the index at the records just written.
    fn index_written(&self, records: &[Tracked]) {
        let mut index = self.index.write().unwrap_or_else(|p| p.into_inner());
        for t in records {
            index.insert(t.record.id, t.record.rev);
        }
    }

    /// The record at the version the index names, if both still agree.
    fn tracked_at_index(&self, id: Uuid) -> Result<Option<Option<Tracked>>, StoreError> {
        let rev = self.index.read().unwrap_or_else(|p| p.into_inner()).get(&id).copied();
        let Some(rev) = rev else { return Ok(Some(None)) };
        match self.db.get(change_key(rev))? {
            Some(v) => Ok(Some(Some(decode(entry_json(&v)?)?))),
            // Replaced between reading the index and the tree.
            None => Ok(None),
        }
    }

    fn get_json<T: DeserializeOwned>(&self, k: &[u8]) -> Result<Option<T>, StoreError> {
        self.db.get(k)?.map(|v| decode(&v)).transpose()
    }

    /// The calendar feeds of a user, with their keys: at most one, since a new one replaces the
    /// old in one batch.
    fn feeds_of(&self, user_id: Uuid) -> Result<Vec<(sled::IVec, CalendarFeed)>, StoreError> {
        let mut found = Vec::new();
        for kv in self.db.scan_prefix(b"i") {
            let (k, v) = kv?;
            let feed: CalendarFeed = decode(&v)?;
            if feed.user_id == user_id {
                found.push((k, feed));
            }
        }
        Ok(found)
    }
}

/// Secrets kept by the hash of their key (backup keys `b`, share links `l`): what each holds
/// differs, how it is stored, listed and revoked does not.
impl SledStore {
    fn put_secret<T: serde::Serialize>(
        &self,
        prefix: u8,
        hash: &[u8; 32],
        value: &T,
    ) -> Result<(), StoreError> {
        self.db.insert(key(prefix, hash), encode(value)?)?;
        Ok(())
    }

    /// Every secret under `prefix`, oldest (by `created_at`) first.
    fn secrets<T: serde::de::DeserializeOwned>(
        &self,
        prefix: u8,
        created_at: impl Fn(&T) -> i64,
    ) -> Result<Vec<T>, StoreError> {
        let mut all: Vec<T> =
            self.db.scan_prefix([prefix]).map(|kv| decode(&kv?.1)).collect::<Result<_, _>>()?;
        all.sort_by_key(|t| created_at(t));
        Ok(all)
    }

    /// Removes the secret under `prefix` that `is_it` picks; false when there is none.
    fn delete_secret<T: serde::de::DeserializeOwned>(
        &self,
        prefix: u8,
        is_it: impl Fn(&T) -> bool,
    ) -> Result<bool, StoreError> {
        for kv in self.db.scan_prefix([prefix]) {
            let (k, v) = kv?;
            if is_it(&decode(&v)?) {
                self.db.remove(k)?;
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Store for SledStore {
    // Record writes wait meanwhile, so the change log and the version agree.
    fn raw_entries(&self) -> Result<crate::backup::Entries, StoreError> {
        let _guard = self.lock();
        self.db.iter().map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(StoreError::from)).collect()
    }

    fn data_format(&self) -> Result<u64, StoreError> {
        self.format()
    }

    fn version(&self) -> Result<u64, StoreError> {
        self.db.get(VERSION_KEY)?.map(|v| read_u64(&v)).transpose().map(|v| v.unwrap_or(0))
    }

    fn commit(&self, writes: Vec<RecordWrite>) -> Result<u64, StoreError> {
        let _guard = self.lock();
        let base = self.version()?;
        let version = base + writes.len() as u64;
        // Each write takes the next version; a record written twice keeps only its last.
        let mut last: std::collections::HashMap<Uuid, Tracked> = std::collections::HashMap::new();
        for (w, rev) in writes.into_iter().zip(base + 1..) {
            let record = Record { kind: w.kind, id: w.id, rev, deleted: w.deleted, fields: w.fields };
            last.insert(w.id, Tracked::plain(record));
        }
        let mut replaced = Vec::new();
        for id in last.keys() {
            if let Some(old) = self.tracked(*id)? {
                replaced.push(old.record.rev);
            }
        }
        let records: Vec<Tracked> = last.into_values().collect();
        self.db.apply_batch(Self::record_batch(&records, &replaced, version)?)?;
        self.index_written(&records);
        Ok(version)
    }

    fn tracked(&self, id: Uuid) -> Result<Option<Tracked>, StoreError> {
        if let Some(found) = self.tracked_at_index(id)? {
            return Ok(found);
        }
        // A write moved the record meanwhile: under the write lock, index and tree agree.
        let _guard = self.lock();
        Ok(self.tracked_at_index(id)?.flatten())
    }

    fn apply_push(&self, write: PushWrite) -> Result<(), StoreError> {
        let _guard = self.lock();
        let found = self.version()?;
        if found != write.base_version {
            return Err(StoreError::Stale { expected: write.base_version, found });
        }
        let mut batch = Self::record_batch(&write.records, &write.replaced_revs, write.version)?;
        let records = write.records;
        batch.insert(key(b'k', write.client_id.as_bytes()), encode(&write.client)?);
        for r in &write.results {
            batch.insert(result_key(write.client_id, r.id), encode(r)?);
        }
        // Only the newest results are kept: a replay older than that is answered
        // `already_applied`.
        let keep_from = write.client.last_mutation_id.saturating_sub(RESULTS_KEPT - 1);
        for old in
            self.db.range(result_key(write.client_id, 0)..result_key(write.client_id, keep_from)).keys()
        {
            batch.remove(old?);
        }
        self.db.apply_batch(batch)?;
        self.index_written(&records);
        Ok(())
    }

    fn apply_server_write(&self, write: ServerWrite) -> Result<(), StoreError> {
        let _guard = self.lock();
        let found = self.version()?;
        if found != write.base_version {
            return Err(StoreError::Stale { expected: write.base_version, found });
        }
        self.db.apply_batch(Self::record_batch(&write.records, &write.replaced_revs, write.version)?)?;
        self.index_written(&write.records);
        Ok(())
    }

    fn result(&self, client_id: Uuid, mutation_id: u64) -> Result<Option<MutationResult>, StoreError> {
        self.get_json(&result_key(client_id, mutation_id))
    }

    fn pull(&self, after: u64, limit: usize) -> Result<PullPage, StoreError> {
        // Read the version first and stop there: a write racing with this pull lands above it and
        // is picked up by the next pull, so nothing is skipped.
        let upto = self.version()?;
        let mut records = Vec::new();
        let mut more = false;
        if after < upto {
            for entry in self.db.range(change_key(after + 1)..=change_key(upto)) {
                let (_, value) = entry?;
                if records.len() == limit {
                    more = true;
                    break;
                }
                let tracked: Tracked = decode(entry_json(&value)?)?;
                records.push(tracked.record);
            }
        }
        let cursor = match (more, records.last()) {
            (true, Some(last)) => last.rev,
            _ => upto.max(after),
        };
        Ok(PullPage { records, cursor, more })
    }

    fn all_tracked(&self) -> Result<Vec<Tracked>, StoreError> {
        let upto = self.version()?;
        let mut out = Vec::new();
        for entry in self.db.range(change_key(1)..=change_key(upto)) {
            let (_, value) = entry?;
            out.push(decode(entry_json(&value)?)?);
        }
        Ok(out)
    }

    fn client(&self, client_id: Uuid) -> Result<Option<ClientState>, StoreError> {
        self.get_json(&key(b'k', client_id.as_bytes()))
    }

    fn has_users(&self) -> Result<bool, StoreError> {
        Ok(self.db.scan_prefix(b"u").next().transpose()?.is_some())
    }

    fn user_by_name(&self, username: &str) -> Result<Option<StoredUser>, StoreError> {
        let Some(id) = self.db.get(key(b'n', username.to_lowercase().as_bytes()))? else {
            return Ok(None);
        };
        let id = Uuid::from_slice(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.user(id)
    }

    fn user(&self, id: Uuid) -> Result<Option<StoredUser>, StoreError> {
        self.get_json(&key(b'u', id.as_bytes()))
    }

    fn users(&self) -> Result<Vec<StoredUser>, StoreError> {
        self.db.scan_prefix(b"u").map(|kv| decode(&kv?.1)).collect()
    }

    fn create_user(&self, user: &StoredUser) -> Result<(), UserWriteError> {
        let value = encode(user)?;
        let name = key(b'n', user.username.to_lowercase().as_bytes());
        let id = key(b'u', user.id.as_bytes());
        self.db
            .transaction(|tx| {
                if tx.get(&name)?.is_some() || tx.get(&id)?.is_some() {
                    return Err(ConflictableTransactionError::Abort(UserWriteError::NameTaken));
                }
                tx.insert(name.as_slice(), user.id.as_bytes().to_vec())?;
                tx.insert(id.as_slice(), value.as_slice())?;
                Ok(())
            })
            .map_err(user_tx_error)
    }

    fn replace_user(&self, old: &StoredUser, new: &StoredUser) -> Result<(), UserWriteError> {
        let value = encode(new)?;
        let id = key(b'u', old.id.as_bytes());
        let old_name = key(b'n', old.username.to_lowercase().as_bytes());
        let new_name = key(b'n', new.username.to_lowercase().as_bytes());
        self.db
            .transaction(|tx| {
                let stored = match tx.get(&id)? {
                    Some(bytes) => decode::<StoredUser>(&bytes)
                        .map_err(|e| ConflictableTransactionError::Abort(UserWriteError::Store(e)))?,
                    None => return Err(ConflictableTransactionError::Abort(UserWriteError::NotFound)),
                };
                if &stored != old {
                    return Err(ConflictableTransactionError::Abort(UserWriteError::Changed));
                }
                if new_name != old_name {
                    if tx.get(&new_name)?.is_some() {
                        return Err(ConflictableTransactionError::Abort(UserWriteError::NameTaken));
                    }
                    tx.remove(old_name.as_slice())?;
                    tx.insert(new_name.as_slice(), old.id.as_bytes().to_vec())?;
                }
                tx.insert(id.as_slice(), value.as_slice())?;
                Ok(())
            })
            .map_err(user_tx_error)
    }

    fn put_backup_key(
        &self,
        key_hash: &[u8; 32],
        k: &tavla_shared::wire::BackupKey,
    ) -> Result<(), StoreError> {
        self.put_secret(b'b', key_hash, k)
    }

    fn backup_key(&self, key_hash: &[u8; 32]) -> Result<Option<tavla_shared::wire::BackupKey>, StoreError> {
        self.get_json(&key(b'b', key_hash))
    }

    fn backup_keys(&self) -> Result<Vec<tavla_shared::wire::BackupKey>, StoreError> {
        self.secrets(b'b', |k: &tavla_shared::wire::BackupKey| k.created_at)
    }

    fn delete_backup_key(&self, id: Uuid) -> Result<bool, StoreError> {
        self.delete_secret(b'b', |k: &tavla_shared::wire::BackupKey| k.id == id)
    }

    fn put_share_link(
        &self,
        hash: &[u8; 32],
        link: &tavla_shared::wire::ShareLink,
    ) -> Result<(), StoreError> {
        self.put_secret(b'l', hash, link)
    }

    fn share_link(&self, hash: &[u8; 32]) -> Result<Option<tavla_shared::wire::ShareLink>, StoreError> {
        self.get_json(&key(b'l', hash))
    }

    fn share_links(&self) -> Result<Vec<tavla_shared::wire::ShareLink>, StoreError> {
        self.secrets(b'l', |l: &tavla_shared::wire::ShareLink| l.created_at)
    }

    fn delete_share_link(&self, id: Uuid) -> Result<bool, StoreError> {
        self.delete_secret(b'l', |l: &tavla_shared::wire::ShareLink| l.id == id)
    }

    fn put_calendar_feed(&self, secret_hash: &[u8; 32], feed: &CalendarFeed) -> Result<(), StoreError> {
        let _guard = self.feeds.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut batch = sled::Batch::default();
        for (k, _) in self.feeds_of(feed.user_id)? {
            batch.remove(k);
        }
        batch.insert(key(b'i', secret_hash), encode(feed)?);
        self.db.apply_batch(batch)?;
        Ok(())
    }

    fn calendar_feed(&self, secret_hash: &[u8; 32]) -> Result<Option<CalendarFeed>, StoreError> {
        self.get_json(&key(b'i', secret_hash))
    }

    fn calendar_feed_of(&self, user_id: Uuid) -> Result<Option<CalendarFeed>, StoreError> {
        Ok(self.feeds_of(user_id)?.into_iter().map(|(_, feed)| feed).max_by_key(|f| f.created_at))
    }

    fn delete_calendar_feed_of(&self, user_id: Uuid) -> Result<bool, StoreError> {
        let _guard = self.feeds.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let found = self.feeds_of(user_id)?;
        let mut batch = sled::Batch::default();
        for (k, _) in &found {
            batch.remove(k.clone());
        }
        self.db.apply_batch(batch)?;
        Ok(!found.is_empty())
    }

    fn put_session(&self, token_hash: &[u8; 32], session: &Session) -> Result<(), StoreError> {
        self.db.insert(key(b's', token_hash), encode(session)?)?;
        Ok(())
    }

    fn session(&self, token_hash: &[u8; 32]) -> Result<Option<Session>, StoreError> {
        self.get_json(&key(b's', token_hash))
    }

    fn update_session(
        &self,
        token_hash: &[u8; 32],
        change: &mut dyn FnMut(&mut Session),
    ) -> Result<Option<Session>, StoreError> {
        let k = key(b's', token_hash);
        loop {
            let Some(raw) = self.db.get(&k)? else { return Ok(None) };
            let mut session: Session = decode(&raw)?;
            change(&mut session);
            let swapped = self.db.compare_and_swap(&k, Some(raw), Some(encode(&session)?))?;
            if swapped.is_ok() {
                return Ok(Some(session));
            }
        }
    }

    fn delete_session(&self, token_hash: &[u8; 32]) -> Result<(), StoreError> {
        self.db.remove(key(b's', token_hash))?;
        Ok(())
    }

    fn delete_sessions_of(&self, user_id: Uuid, keep: Option<&[u8; 32]>) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for kv in self.db.scan_prefix(b"s") {
            let (k, v) = kv?;
            let session: Session = decode(&v)?;
            if session.user_id == user_id && keep.is_none_or(|h| &k[1..] != h.as_slice()) {
                batch.remove(k);
            }
        }
        self.db.apply_batch(batch)?;
        Ok(())
    }

    fn sessions_of(&self, user_id: Uuid) -> Result<Vec<([u8; 32], Session)>, StoreError> {
        let mut found = Vec::new();
        for kv in self.db.scan_prefix(b"s") {
            let (k, v) = kv?;
            let session: Session = decode(&v)?;
            if session.user_id == user_id {
                let hash: [u8; 32] = k[1..]
                    .try_into()
                    .map_err(|_| StoreError::Corrupt("a session key is not 33 bytes".into()))?;
                found.push((hash, session));
            }
        }
        Ok(found)
    }

    fn purge_sessions(&self, now: i64) -> Result<usize, StoreError> {
        let mut batch = sled::Batch::default();
        let mut removed = 0;
        for kv in self.db.scan_prefix(b"s") {
            let (k, v) = kv?;
            // An undecodable session cannot be used either.
            if decode::<Session>(&v).map_or(true, |s| s.expired(now)) {
                batch.remove(k);
                removed += 1;
            }
        }
        self.db.apply_batch(batch)?;
        Ok(removed)
    }

    fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        // sled's ids increase, so keys sort in the order lines were written.
        let id = self.db.generate_id()?;
        self.db.insert(key(b'a', &id.to_be_bytes()), encode(entry)?)?;
        self.audit_lines.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn trim_audit(&self, before: i64, keep: usize) -> Result<usize, StoreError> {
        // Another trim is running: it does the work.
        let Ok(_trimming) = self.trimming.try_lock() else { return Ok(0) };
        let mut over = self.audit_lines.load(Ordering::Relaxed).saturating_sub(keep);
        let mut batch = sled::Batch::default();
        let mut removed = 0;
        // Oldest first: drop while too many, or too old.
        for kv in self.db.scan_prefix(b"a") {
            let (k, v) = kv?;
            let old = decode::<AuditEntry>(&v).map_or(true, |e| e.at < before);
            if over == 0 && !old {
                break;
            }
            batch.remove(k);
            over = over.saturating_sub(1);
            removed += 1;
        }
        self.db.apply_batch(batch)?;
        self.audit_lines.fetch_sub(removed.min(self.audit_lines.load(Ordering::Relaxed)), Ordering::Relaxed);
        Ok(removed)
    }

    fn audit_len(&self) -> usize {
        self.audit_lines.load(Ordering::Relaxed)
    }

    fn audit(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.db.scan_prefix(b"a").rev().take(limit).map(|kv| decode(&kv?.1)).collect()
    }

    fn flush(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            let _one_at_a_time = self.flushing.lock().await;
            self.db.flush_async().await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tavla_shared::Kind;

    fn write(n: u128, title: &str) -> RecordWrite {
        RecordWrite {
            kind: Kind::LongTermGoal,
            id: Uuid::from_u128(n),
            deleted: false,
            fields: json!({"number": 1, "title": title}).as_object().unwrap().clone(),
        }
    }

    fn open() -> (tempfile::TempDir, SledStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path(), 8 << 20).unwrap();
        (dir, store)
    }

    #[test]
    fn a_new_calendar_feed_replaces_the_users_earlier_one_and_not_anyone_elses() {
        let (_dir, store) = open();
        let (me, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        store.put_calendar_feed(&[1; 32], &CalendarFeed { user_id: me, created_at: 10 }).unwrap();
        store.put_calendar_feed(&[2; 32], &CalendarFeed { user_id: other, created_at: 11 }).unwrap();
        store.put_calendar_feed(&[3; 32], &CalendarFeed { user_id: me, created_at: 12 }).unwrap();
        assert_eq!(store.calendar_feed(&[1; 32]).unwrap(), None, "the old address is revoked");
        assert_eq!(store.calendar_feed(&[3; 32]).unwrap().map(|f| f.created_at), Some(12));
        assert_eq!(store.calendar_feed_of(me).unwrap().map(|f| f.created_at), Some(12));
        assert!(store.delete_calendar_feed_of(me).unwrap());
        assert!(!store.delete_calendar_feed_of(me).unwrap(), "nothing left to revoke");
        assert_eq!(store.calendar_feed(&[3; 32]).unwrap(), None);
        assert_eq!(store.calendar_feed_of(other).unwrap().map(|f| f.created_at), Some(11));
    }

    #[test]
    fn a_rewritten_record_is_pulled_once_at_its_new_version() {
        let (_dir, store) = open();
        store.commit(vec![write(1, "a"), write(2, "b"), write(1, "a2")]).unwrap();
        store.commit(vec![write(2, "b2")]).unwrap();
        assert_eq!(store.version().unwrap(), 4);
        let page = store.pull(0, 10).unwrap();
        let seen: Vec<(u128, u64)> = page.records.iter().map(|r| (r.id.as_u128(), r.rev)).collect();
        assert_eq!(seen, [(1, 3), (2, 4)]);
        assert_eq!(page.records[0].fields["title"], "a2");
        assert_eq!((page.cursor, page.more), (4, false));
    }

    #[test]
    fn pages_cover_every_record_once() {
        let (_dir, store) = open();
        store.commit((1..=25).map(|n| write(n, "x")).collect()).unwrap();
        let (mut cursor, mut ids) = (0, Vec::new());
        loop {
            let page = store.pull(cursor, 10).unwrap();
            assert!(page.records.len() <= 10);
            ids.extend(page.records.iter().map(|r| r.id.as_u128()));
            cursor = page.cursor;
            if !page.more {
                break;
            }
        }
        assert_eq!(ids, (1..=25).collect::<Vec<_>>());
        assert_eq!(cursor, 25);
        assert!(store.pull(25, 10).unwrap().records.is_empty());
    }

    #[test]
    fn data_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = SledStore::open(dir.path(), 8 << 20).unwrap();
            store.commit(vec![write(7, "kept")]).unwrap();
            futures_lite_block_on(store.flush()).unwrap();
        }
        let store = SledStore::open(dir.path(), 8 << 20).unwrap();
        assert_eq!(store.version().unwrap(), 1);
        assert_eq!(store.record(Uuid::from_u128(7)).unwrap().unwrap().fields["title"], "kept");
    }

    /// Writes records in the layout of formats 1 and 2: the record under `r` + id, its id under
    /// `c` + version (format 1: no format key).
    fn write_old_layout(db: &sled::Db, records: &[(u128, u64, &str)], format: Option<u64>) {
        for (id, rev, title) in records {
            let record = Record {
                kind: Kind::LongTermGoal,
                id: Uuid::from_u128(*id),
                rev: *rev,
                deleted: false,
                fields: json!({"number": 1, "title": title}).as_object().unwrap().clone(),
            };
            db.insert(key(b'r', record.id.as_bytes()), encode(&Tracked::plain(record)).unwrap()).unwrap();
            db.insert(change_key(*rev), Uuid::from_u128(*id).as_bytes().to_vec()).unwrap();
        }
        db.insert(VERSION_KEY, 9u64.to_be_bytes().to_vec()).unwrap();
        match format {
            Some(f) => db.insert(FORMAT_KEY, f.to_be_bytes().to_vec()).unwrap(),
            None => db.remove(FORMAT_KEY).unwrap(),
        };
        db.flush().unwrap();
    }

    #[test]
    fn directories_of_formats_1_and_2_are_upgraded_in_place_and_a_newer_one_refused() {
        for old in [None, Some(2)] {
            let dir = tempfile::tempdir().unwrap();
            {
                let db = sled::Config::new().path(dir.path()).open().unwrap();
                write_old_layout(&db, &[(7, 4, "kept"), (8, 9, "also kept")], old);
            }
            let store = SledStore::open(dir.path(), 8 << 20).unwrap();
            assert_eq!(store.format().unwrap(), FORMAT);
            assert_eq!(store.record(Uuid::from_u128(7)).unwrap().unwrap().fields["title"], "kept");
            let page = store.pull(0, 10).unwrap();
            let seen: Vec<(u128, u64)> = page.records.iter().map(|r| (r.id.as_u128(), r.rev)).collect();
            assert_eq!(seen, [(7, 4), (8, 9)], "from format {old:?}");
            assert_eq!(store.db.scan_prefix(b"r").count(), 0, "no record left in the old place");
            // Written on after the upgrade: one entry per record still.
            store.commit(vec![write(7, "changed")]).unwrap();
            let page = store.pull(0, 10).unwrap();
            let seen: Vec<(u128, u64)> = page.records.iter().map(|r| (r.id.as_u128(), r.rev)).collect();
            assert_eq!(seen, [(8, 9), (7, 10)]);
        }
        let dir = tempfile::tempdir().unwrap();
        {
            let store = SledStore::open(dir.path(), 8 << 20).unwrap();
            store.db.insert(FORMAT_KEY, (FORMAT + 1).to_be_bytes().to_vec()).unwrap();
            store.db.flush().unwrap();
        }
        let refused = SledStore::open(dir.path(), 8 << 20).unwrap_err();
        assert!(matches!(refused, StoreError::TooNew { found: 4, supported: 3 }), "{refused}");
    }

    fn futures_lite_block_on<T>(f: BoxFuture<'_, T>) -> T {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    }
}
