//! The sync engine: the screen shows "server state + pending mutations", every edit is written
//! to IndexedDB before it is applied, and a loop pushes the outbox and pulls changes whenever
//! there is reason to (start, an edit, the browser coming online, a poke from the server, a
//! minute passing).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tavla_shared::merge::{merge, Author, Tracked};
use tavla_shared::wire::{Mutation, MutationOp, MutationStatus, Record};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::api::{self, ApiError, PUSH_MAX};
use crate::session::{client_id, use_session, SessionState};
use crate::store::local_db::{LocalDb, LocalDbError};

thread_local! {
    /// The open database. wasm is single-threaded and `LocalDb` holds JS handles (not `Send`),
    /// so it lives here rather than in a signal.
    static DB: RefCell<Option<Rc<LocalDb>>> = const { RefCell::new(None) };
}

fn db() -> Option<Rc<LocalDb>> {
    DB.with(|d| d.borrow().clone())
}

/// A mutation the server refused, kept visible until the user dismisses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    pub mutation: Mutation,
    pub reason: String,
}

/// What the status bar shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncStatus {
    pub online: bool,
    pub syncing: bool,
    /// ms since the epoch of the last complete sync.
    pub last_sync_ms: Option<f64>,
    pub last_error: Option<String>,
    /// The server refused the token: sync waits for a new login; the outbox is kept.
    pub needs_login: bool,
    /// The local database could not be opened (e.g. private mode): edits cannot be kept offline.
    pub storage_error: Option<String>,
}

/// The app's data and its sync state, provided as context.
#[derive(Debug, Clone, Copy)]
pub struct SyncEngine {
    /// Records as the server last sent them.
    pub server: RwSignal<HashMap<Uuid, Record>>,
    /// Edits not yet acknowledged, oldest first.
    pub outbox: RwSignal<Vec<Mutation>>,
    pub rejected: RwSignal<Vec<Rejected>>,
    pub status: RwSignal<SyncStatus>,
    /// True once the local copy has been read.
    pub loaded: RwSignal<bool>,
    /// What the screen shows: `server` with `outbox` applied on top.
    pub view: Memo<HashMap<Uuid, Record>>,
    session: SessionState,
    cursor: StoredValue<u64>,
    next_id: StoredValue<u64>,
    running: StoredValue<bool>,
    again: StoredValue<bool>,
    failures: StoredValue<u32>,
}

/// The engine from context.
pub fn use_sync() -> SyncEngine {
    expect_context::<SyncEngine>()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// `server` with the pending mutations applied, as the merge rules would on the server.
fn overlay(server: &HashMap<Uuid, Record>, outbox: &[Mutation], me: &Author) -> HashMap<Uuid, Record> {
    let mut view = server.clone();
    for m in outbox {
        let current = view.get(&m.entity_id).cloned().map(Tracked::plain);
        // Pending changes show as such until the server gives them a version.
        if let Ok(out) = merge(current.as_ref(), m, me, u64::MAX) {
            if out.changed {
                view.insert(m.entity_id, out.tracked.record);
            }
        }
    }
    view
}

impl SyncEngine {
    /// Creates the engine, provides it as context, and starts loading and syncing.
    pub fn provide() -> SyncEngine {
        let session = use_session();
        let server = RwSignal::new(HashMap::new());
        let outbox = RwSignal::new(Vec::<Mutation>::new());
        let me = Author { client_id: client_id(), name: String::new() };
        let view = Memo::new(move |_| outbox.with(|o| server.with(|s| overlay(s, o, &me))));
        let online = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
        let engine = SyncEngine {
            server,
            outbox,
            rejected: RwSignal::new(Vec::new()),
            status: RwSignal::new(SyncStatus { online, ..Default::default() }),
            loaded: RwSignal::new(false),
            view,
            session,
            cursor: StoredValue::new(0),
            next_id: StoredValue::new(1),
            running: StoredValue::new(false),
            again: StoredValue::new(false),
            failures: StoredValue::new(0),
        };
        provide_context(engine);
        spawn_local(engine.load());
        spawn_local(crate::store::pokes::listen(engine, session));
        let _ = window_event_listener(leptos::ev::online, move |_| {
            engine.status.update(|s| s.online = true);
            engine.sync_now();
        });
        let _ =
            window_event_listener(leptos::ev::offline, move |_| engine.status.update(|s| s.online = false));
        set_interval(move || engine.sync_now(), Duration::from_secs(60));
        // A new login (e.g. after the token expired offline) drains the outbox at once.
        Effect::new(move |previous: Option<Option<String>>| {
            let token = session.0.with(|s| s.as_ref().map(|s| s.token.clone()));
            if previous.is_some() && token.is_some() && previous.flatten() != token {
                engine.status.update(|s| s.needs_login = false);
                engine.sync_now();
            }
            token
        });
        engine
    }

    async fn load(self) {
        let opened = match LocalDb::open().await {
            Ok(db) => db,
            Err(e) => {
                self.status.update(|s| s.storage_error = Some(e.to_string()));
                self.loaded.set(true);
                self.sync_now();
                return;
            }
        };
        match opened.load().await {
            Ok(loaded) => {
                let meta: HashMap<String, String> = loaded.meta.into_iter().collect();
                let num = |k: &str| meta.get(k).and_then(|v| v.parse::<u64>().ok());
                self.cursor.set_value(num("cursor").unwrap_or(0));
                let next = loaded.outbox.last().map(|m| m.id + 1).unwrap_or(1);
                self.next_id.set_value(num("next_mutation_id").unwrap_or(1).max(next));
                if let Some(rejected) = meta.get("rejected").and_then(|r| serde_json::from_str(r).ok()) {
                    self.rejected.set(rejected);
                }
                let last_sync = meta.get("last_sync_ms").and_then(|v| v.parse::<f64>().ok());
                self.status.update(|s| s.last_sync_ms = last_sync);
                self.server.set(loaded.records.into_iter().map(|r| (r.id, r)).collect());
                self.outbox.set(loaded.outbox);
            }
            Err(e) => self.status.update(|s| s.storage_error = Some(e.to_string())),
        }
        DB.with(|d| *d.borrow_mut() = Some(Rc::new(opened)));
        self.loaded.set(true);
        request_persistent_storage();
        self.sync_now();
    }

    /// Records an edit: durably into the outbox first, then on screen, then towards the server.
    /// The returned future resolves once the edit is safe in IndexedDB.
    pub async fn edit(self, kind: Kind, entity_id: Uuid, op: MutationOp) -> Result<(), LocalDbError> {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let m = Mutation { id, kind, entity_id, at: now_ms() as i64, op };
        match db() {
            Some(db) => db.enqueue(&m).await?,
            None => return Err(LocalDbError::Idb("the browser's database is not open".into())),
        }
        self.outbox.update(|o| o.push(m));
        self.sync_now();
        Ok(())
    }

    /// The server version an edit of `id` is based on (0: not on the server yet).
    pub fn base_rev(self, id: Uuid) -> u64 {
        self.server.with_untracked(|s| s.get(&id).map(|r| r.rev).unwrap_or(0))
    }

    /// Changes the named fields of a record (creating it when new), offline-first like [`Self::edit`].
    pub async fn put(self, kind: Kind, id: Uuid, fields: Map<String, Value>) -> Result<(), LocalDbError> {
        self.edit(kind, id, MutationOp::Put { base_rev: self.base_rev(id), fields }).await
    }

    /// Starts a sync round now (or right after the one running).
    pub fn sync_now(self) {
        if !self.loaded.get_untracked() {
            return;
        }
        if self.running.get_value() {
            self.again.set_value(true);
            return;
        }
        self.running.set_value(true);
        self.status.update(|s| s.syncing = true);
        spawn_local(async move {
            loop {
                self.again.set_value(false);
                let result = self.round().await;
                match result {
                    Ok(()) => {
                        self.failures.set_value(0);
                        let now = now_ms();
                        self.status.update(|s| {
                            s.last_sync_ms = Some(now);
                            s.last_error = None;
                            s.online = true;
                        });
                        if let Some(db) = db() {
                            let _ = db.set_meta("last_sync_ms", &now.to_string()).await;
                        }
                    }
                    Err(ApiError::Unauthorized(_)) => {
                        // The token is no good: ask for a login. The outbox stays in IndexedDB
                        // and drains once the user is back.
                        self.status.update(|s| s.needs_login = true);
                        self.session.clear();
                        break;
                    }
                    Err(e) => {
                        let unreachable = matches!(e, ApiError::Network(_));
                        self.status.update(|s| {
                            // The server out of reach is offline, whatever the browser believes;
                            // that is no error to report, the status says it.
                            s.online = !unreachable;
                            s.last_error = (!unreachable).then(|| e.to_string());
                        });
                        self.retry_later();
                        break;
                    }
                }
                if !self.again.get_value() {
                    break;
                }
            }
            self.running.set_value(false);
            self.status.update(|s| s.syncing = false);
        });
    }

    /// Exponential backoff: 2 s, 4 s, … up to a minute.
    fn retry_later(self) {
        let n = self.failures.get_value().min(5);
        self.failures.set_value(n + 1);
        set_timeout(move || self.sync_now(), Duration::from_secs(2u64 << n).min(Duration::from_secs(60)));
    }

    /// One push of the outbox and pulls until the server has nothing more.
    async fn round(self) -> Result<(), ApiError> {
        let Some(token) = self.session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone())) else {
            return Err(ApiError::Unauthorized(String::new()));
        };
        let client = client_id();
        let pending: Vec<Mutation> =
            self.outbox.with_untracked(|o| o.iter().take(PUSH_MAX).cloned().collect());
        if !pending.is_empty() {
            let answer = api::push(&token, client, &pending).await?;
            let refused: Vec<Rejected> = answer
                .results
                .iter()
                .filter(|r| r.status == MutationStatus::Rejected)
                .filter_map(|r| {
                    let mutation = pending.iter().find(|m| m.id == r.id)?.clone();
                    Some(Rejected { mutation, reason: r.reason.clone().unwrap_or_default() })
                })
                .collect();
            if !refused.is_empty() {
                self.rejected.update(|list| list.extend(refused));
                self.save_rejected().await;
            }
        }
        loop {
            let page = api::pull(&token, client, self.cursor.get_value()).await?;
            let acknowledged = (!page.more).then_some(page.last_mutation_id);
            if let Some(db) = db() {
                db.save_pull(&page.records, page.cursor, acknowledged)
                    .await
                    .map_err(|e| ApiError::Decode(e.to_string()))?;
            }
            self.cursor.set_value(page.cursor);
            // Records and acknowledgements land together, so nothing flickers back.
            self.server.update(|s| s.extend(page.records.into_iter().map(|r| (r.id, r))));
            if let Some(last) = acknowledged {
                self.outbox.update(|o| o.retain(|m| m.id > last));
                return Ok(());
            }
        }
    }

    async fn save_rejected(self) {
        let json = self.rejected.with_untracked(|r| serde_json::to_string(r).unwrap_or_default());
        if let Some(db) = db() {
            let _ = db.set_meta("rejected", &json).await;
        }
    }

    /// Hides a rejected mutation the user has read.
    pub fn dismiss_rejected(self, mutation_id: u64) {
        self.rejected.update(|r| r.retain(|x| x.mutation.id != mutation_id));
        spawn_local(self.save_rejected());
    }

    /// The time of the oldest unsynced edit, in ms since the epoch.
    pub fn oldest_pending_ms(self) -> Option<i64> {
        self.outbox.with(|o| o.first().map(|m| m.at))
    }

    /// Ids of records with edits not yet on the server.
    pub fn pending_ids(self) -> Vec<Uuid> {
        self.outbox.with(|o| o.iter().map(|m| m.entity_id).collect())
    }

    /// Deletes the local copy (after logout).
    pub async fn wipe(self) {
        if let Some(db) = db() {
            let _ = db.wipe().await;
        }
        self.server.set(HashMap::new());
        self.outbox.set(Vec::new());
        self.rejected.set(Vec::new());
        self.cursor.set_value(0);
        self.next_id.set_value(1);
        crate::session::forget_client_id();
    }
}

/// Asks the browser not to evict our data under storage pressure.
fn request_persistent_storage() {
    if let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) {
        let _ = storage.persist();
    }
}
