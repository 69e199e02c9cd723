//! Storage behind one trait, so sled can be swapped or sharded without touching HTTP code.
//!
//! Architecture invariant: the store is the only writer of the change log. Every record write
//! gets the next global version, and a record's change-log entry always points at its newest
//! version, so a pull after cursor N sees each changed record exactly once.

mod sled_store;

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tavla_shared::merge::Tracked;
use tavla_shared::values::Role;
use tavla_shared::wire::{AuditEntry, MutationResult, Record, User};
use tavla_shared::Kind;
use thiserror::Error;
use uuid::Uuid;

pub use sled_store::{SledStore, FORMAT};

/// A boxed future, so `Store` stays usable as `dyn Store`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What can go wrong below the HTTP layer. Details go to the log, never to a client.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("storage: {0}")]
    Sled(#[from] sled::Error),
    #[error("stored data could not be decoded: {0}")]
    Corrupt(String),
    /// A write was planned against an older version than the store holds: a bug in locking.
    #[error("the store moved from version {expected} to {found} while a write was planned")]
    Stale { expected: u64, found: u64 },
    /// The data directory was written by a newer release; opening it could spoil it.
    #[error(
        "the data directory has format {found}, newer than this release's {supported}; run a newer release"
    )]
    TooNew { found: u64, supported: u64 },
}

/// What the server remembers per client id (sync protocol guarantees 1 and 8).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientState {
    /// The user who first pushed with this client id; nobody else may use it.
    pub user_id: Option<Uuid>,
    pub last_mutation_id: u64,
    /// The first mutation id whose result this server tracks (0: none yet, e.g. a client of a
    /// data directory written before format 2). From there on, results other than `applied`
    /// are kept; a replay of a recent id without one was applied.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub results_from: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The writes of one push, applied as one atomic batch.
#[derive(Debug, Clone, PartialEq)]
pub struct PushWrite {
    /// The version the writes were planned against.
    pub base_version: u64,
    /// The version after them.
    pub version: u64,
    /// Changed records, each with its new `rev` (in `base_version+1 ..= version`).
    pub records: Vec<Tracked>,
    /// The versions those records had before (their change-log entries are dropped).
    pub replaced_revs: Vec<u64>,
    pub client_id: Uuid,
    pub client: ClientState,
    /// The results of the mutations processed now that were not simply `applied`, kept to
    /// answer replays (within the newest [`tavla_shared::protocol::RESULTS_KEPT`] ids per
    /// client; only the exceptions are written, so an ordinary push writes nothing extra).
    pub results: Vec<MutationResult>,
}

/// Records the server itself changes (the retention sweep removing contact details), written
/// as one atomic batch like a push's, with their history, but for no client.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerWrite {
    /// The version the writes were planned against.
    pub base_version: u64,
    /// The version after them.
    pub version: u64,
    /// Changed records, each with its new `rev` (in `base_version+1 ..= version`).
    pub records: Vec<Tracked>,
    /// The versions those records had before (their change-log entries are dropped).
    pub replaced_revs: Vec<u64>,
}

/// One record to write: the store assigns its `rev`.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordWrite {
    pub kind: Kind,
    pub id: Uuid,
    pub deleted: bool,
    pub fields: Map<String, Value>,
}

/// One page of a pull.
#[derive(Debug, Clone, PartialEq)]
pub struct PullPage {
    pub records: Vec<Record>,
    /// The version the client has now seen everything up to.
    pub cursor: u64,
    pub more: bool,
}

/// A person's calendar feed as stored, under the hash of its secret (never the secret): whose
/// it is, so the feed is computed as they see the data, and since when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarFeed {
    pub user_id: Uuid,
    /// ms since the Unix epoch, server clock.
    pub created_at: i64,
}

/// A user account as stored, password hash included. Never sent to a client as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// PHC string (argon2id).
    pub password_hash: String,
    #[serde(default)]
    pub disabled: bool,
    /// The person record behind the account.
    #[serde(default)]
    pub person_id: Option<Uuid>,
    /// Two-step verification, when on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<crate::accounts::second_factor::SecondFactor>,
    /// A secret offered for two-step verification, until confirmed with a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_factor_offered: Option<String>,
}

impl StoredUser {
    /// The public view of this account.
    pub fn to_wire(&self) -> User {
        User {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            person_id: self.person_id,
            disabled: self.disabled,
            second_factor: self.second_factor.is_some(),
        }
    }
}

/// A login session, found by the SHA-256 of its bearer token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub user_id: Uuid,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// When it ends unless used (renewed on use, never beyond `ends_at`).
    pub expires_at: i64,
    /// When it ends however much it is used (the absolute lifetime). Sessions stored before it
    /// existed end 90 days after they were created.
    #[serde(default)]
    pub ends_at: Option<i64>,
    /// The name the session is listed and revoked under (never the token or its hash).
    #[serde(default = "Uuid::new_v4")]
    pub id: Uuid,
    /// When it was last used, to the hour.
    #[serde(default)]
    pub last_used_at: i64,
    /// The browser or program that logged in (its User-Agent, shortened), to tell sessions apart.
    #[serde(default)]
    pub user_agent: String,
    /// The address it logged in from.
    #[serde(default)]
    pub address: String,
}

impl Session {
    /// The absolute end, for sessions stored before `ends_at` existed too.
    pub fn ends_at(&self) -> i64 {
        self.ends_at.unwrap_or(self.created_at.saturating_add(90 * 86_400_000))
    }

    /// True when the session can no longer be used at `now`.
    pub fn expired(&self, now: i64) -> bool {
        self.expires_at <= now || self.ends_at() <= now
    }
}

/// Why an account write did not happen.
#[derive(Debug, Error)]
pub enum UserWriteError {
    /// Another account has the user name (in any case).
    #[error("the user name is taken")]
    NameTaken,
    /// The account is no longer as it was read (compare-and-swap failed): read it again.
    #[error("the account changed since it was read")]
    Changed,
    #[error("no such account")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Tavla's storage. Methods are synchronous and quick except `flush`, which waits for the disk.
pub trait Store: Send + Sync + 'static {
    /// The newest global version (0 for an empty store).
    fn version(&self) -> Result<u64, StoreError>;

    /// Writes the records as one atomic batch with their change-log entries, each with the next
    /// version. Returns the new global version. Not durable until `flush`.
    fn commit(&self, writes: Vec<RecordWrite>) -> Result<u64, StoreError>;

    /// Every key and value as stored, in key order, record writes held meanwhile: a backup's
    /// content (see `backup.rs`).
    fn raw_entries(&self) -> Result<crate::backup::Entries, StoreError>;

    /// The data format the store holds.
    fn data_format(&self) -> Result<u64, StoreError>;

    /// One record by id, tombstones included.
    fn record(&self, id: Uuid) -> Result<Option<Record>, StoreError> {
        Ok(self.tracked(id)?.map(|t| t.record))
    }

    /// One record with its field stamps, as the merge needs it.
    fn tracked(&self, id: Uuid) -> Result<Option<Tracked>, StoreError>;

    /// Applies a push's writes and the client's new state as one atomic batch. Fails with
    /// `Stale` when the store is no longer at `base_version`. Not durable until `flush`.
    fn apply_push(&self, write: PushWrite) -> Result<(), StoreError>;

    /// Writes records the server changed itself, with their stamps and history, as one atomic
    /// batch. Fails with `Stale` when the store is no longer at `base_version`. Not durable
    /// until `flush`.
    fn apply_server_write(&self, write: ServerWrite) -> Result<(), StoreError>;

    /// Records changed after version `after`, oldest first, at most `limit`.
    fn pull(&self, after: u64, limit: usize) -> Result<PullPage, StoreError>;

    /// Every record with its history, in change-log order: what `GET /api/v1/changes` reads
    /// (one pass, rather than every record and then each one's history again).
    fn all_tracked(&self) -> Result<Vec<Tracked>, StoreError>;

    /// Every record at its newest version, tombstones too: what an export or a share link
    /// reads (a few thousand records; paged so no one read holds the store long).
    fn all_records(&self) -> Result<Vec<tavla_shared::wire::Record>, StoreError> {
        let (mut out, mut cursor) = (Vec::new(), 0);
        loop {
            let page = self.pull(cursor, 5000)?;
            out.extend(page.records);
            if !page.more {
                return Ok(out);
            }
            cursor = page.cursor;
        }
    }

    /// What the server knows of a client id (None: never pushed).
    fn client(&self, client_id: Uuid) -> Result<Option<ClientState>, StoreError>;

    /// The result a client's mutation got when it was processed, while it is still kept.
    fn result(&self, client_id: Uuid, mutation_id: u64) -> Result<Option<MutationResult>, StoreError>;

    /// True when at least one user account exists.
    fn has_users(&self) -> Result<bool, StoreError>;
    /// A user by user name (case-insensitive).
    fn user_by_name(&self, username: &str) -> Result<Option<StoredUser>, StoreError>;
    /// A user by id.
    fn user(&self, id: Uuid) -> Result<Option<StoredUser>, StoreError>;
    /// Every account, in no particular order.
    fn users(&self) -> Result<Vec<StoredUser>, StoreError>;
    /// Creates an account, atomically with its user name: `NameTaken` if the name is in use.
    fn create_user(&self, user: &StoredUser) -> Result<(), UserWriteError>;
    /// Replaces `old` by `new` only if the stored account is still exactly `old`
    /// (compare-and-swap, `Changed` otherwise), moving its user name along if it changed.
    fn replace_user(&self, old: &StoredUser, new: &StoredUser) -> Result<(), UserWriteError>;

    /// Stores a backup key under the hash of its secret.
    fn put_backup_key(
        &self,
        key_hash: &[u8; 32],
        key: &tavla_shared::wire::BackupKey,
    ) -> Result<(), StoreError>;
    /// The backup key with this hash, if any.
    fn backup_key(&self, key_hash: &[u8; 32]) -> Result<Option<tavla_shared::wire::BackupKey>, StoreError>;
    /// Every backup key, oldest first.
    fn backup_keys(&self) -> Result<Vec<tavla_shared::wire::BackupKey>, StoreError>;
    /// Removes the backup key with this id; false when there is none.
    fn delete_backup_key(&self, id: Uuid) -> Result<bool, StoreError>;
    /// Stores a share link under the hash of its secret.
    fn put_share_link(&self, hash: &[u8; 32], link: &tavla_shared::wire::ShareLink)
        -> Result<(), StoreError>;
    /// The share link with this hash, if any.
    fn share_link(&self, hash: &[u8; 32]) -> Result<Option<tavla_shared::wire::ShareLink>, StoreError>;
    /// Every share link, oldest first.
    fn share_links(&self) -> Result<Vec<tavla_shared::wire::ShareLink>, StoreError>;
    /// Removes the share link with this id; false when there is none.
    fn delete_share_link(&self, id: Uuid) -> Result<bool, StoreError>;

    /// Stores a user's calendar feed under the hash of its secret, removing any earlier feed of
    /// the same user in the same atomic batch: one working address per person.
    fn put_calendar_feed(&self, secret_hash: &[u8; 32], feed: &CalendarFeed) -> Result<(), StoreError>;
    /// The calendar feed with this secret hash, if any.
    fn calendar_feed(&self, secret_hash: &[u8; 32]) -> Result<Option<CalendarFeed>, StoreError>;
    /// The user's calendar feed, if they have one.
    fn calendar_feed_of(&self, user_id: Uuid) -> Result<Option<CalendarFeed>, StoreError>;
    /// Revokes the user's calendar feed; false when there was none.
    fn delete_calendar_feed_of(&self, user_id: Uuid) -> Result<bool, StoreError>;

    /// Stores a session under the hash of its token.
    fn put_session(&self, token_hash: &[u8; 32], session: &Session) -> Result<(), StoreError>;
    /// The session for a token hash.
    fn session(&self, token_hash: &[u8; 32]) -> Result<Option<Session>, StoreError>;
    /// Changes a session as stored (compare-and-swap), so a renewal cannot bring back a session
    /// revoked meanwhile; `None` when it is gone.
    fn update_session(
        &self,
        token_hash: &[u8; 32],
        change: &mut dyn FnMut(&mut Session),
    ) -> Result<Option<Session>, StoreError>;
    /// Revokes a session.
    fn delete_session(&self, token_hash: &[u8; 32]) -> Result<(), StoreError>;
    /// Revokes every session of a user but `keep` (e.g. after a password change or disabling).
    fn delete_sessions_of(&self, user_id: Uuid, keep: Option<&[u8; 32]>) -> Result<(), StoreError>;
    /// Every session of a user, with its token hash.
    fn sessions_of(&self, user_id: Uuid) -> Result<Vec<([u8; 32], Session)>, StoreError>;
    /// Removes the sessions that have expired at `now`; returns how many.
    fn purge_sessions(&self, now: i64) -> Result<usize, StoreError>;

    /// Appends a line to the audit log.
    fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;
    /// The newest `limit` audit lines, newest first.
    fn audit(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;
    /// Drops the audit lines older than `before` (ms) and the oldest beyond `keep` lines;
    /// returns how many went.
    fn trim_audit(&self, before: i64, keep: usize) -> Result<usize, StoreError>;
    /// How many audit lines are kept.
    fn audit_len(&self) -> usize;

    /// Waits until everything written so far is on disk.
    fn flush(&self) -> BoxFuture<'_, Result<(), StoreError>>;
}
