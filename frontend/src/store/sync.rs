//! The sync engine: a thin adapter that runs the shared sync client (`tavla_shared::client`)
//! over IndexedDB ([`LocalDb`]) and fetch ([`SyncApi`]), and shows its state in signals. The
//! screen shows "server state + this user's pending edits"; every edit is written to IndexedDB
//! (with its mutation id, taken in the same write) before it is shown; rounds run on start, an
//! edit, the browser coming online, a poke from the server, a minute passing, and "Synka nu".
//! Tabs tell each other of every write (BroadcastChannel), so each redraws at once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use tavla_shared::client::{
    screen, sync_round, Draft, LocalStore, Rejected, RoundError, RoundReport, TransportError,
};
use tavla_shared::edit::{changed_fields, Base};
use tavla_shared::merge::Author;
use tavla_shared::wire::{Mutation, MutationOp, Record};
use tavla_shared::{Kind, KindFields};
use uuid::Uuid;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::api::SyncApi;
use crate::session::{random_uuid, use_session, SessionState};
use crate::store::local_db::{LocalDb, LocalDbError};

/// Pulled records stored but not yet on screen; shown at the latest when the round ends, even
/// by an error (when this is dropped).
struct Unshown {
    records: Vec<Record>,
    server: RwSignal<HashMap<Uuid, Record>>,
    /// Set when a record came without contact details its stored copy held (removed by the
    /// retention rule, or no longer the account's to see).
    dropped_personal: Rc<std::cell::Cell<bool>>,
}

impl Unshown {
    fn show(&mut self) {
        // An empty page (the usual minute's round) must not make every page redraw.
        if !self.records.is_empty() {
            let records = std::mem::take(&mut self.records);
            let mut dropped = false;
            self.server.update(|s| {
                for r in records {
                    dropped |= s.get(&r.id).is_some_and(|old| lost_personal_data(old, &r));
                    s.insert(r.id, r);
                }
            });
            if dropped {
                self.dropped_personal.set(true);
            }
        }
    }
}

/// True when `new` lacks contact details `old` held: the device must not keep the old copy.
fn lost_personal_data(old: &Record, new: &Record) -> bool {
    let held = |r: &Record, f: &str| r.fields.get(f).is_some_and(|v| !v.is_null());
    tavla_shared::privacy::IDEA_CONTACT_FIELDS
        .iter()
        .chain(tavla_shared::privacy::PERSON_CONTACT_FIELDS)
        .any(|f| held(old, f) && !held(new, f))
}

impl Drop for Unshown {
    fn drop(&mut self) {
        self.show();
    }
}

/// Where a saved edit of one record stands (see [`SyncEngine::edit_state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditState {
    /// On this device, not yet acknowledged; `online` says whether it is being sent now.
    Waiting { online: bool },
    /// The server refused it (the status bar lists why).
    Refused,
    /// The server has it.
    Synced,
}

thread_local! {
    /// The open database. wasm is single-threaded and `LocalDb` holds JS handles (not `Send`),
    /// so it lives here rather than in a signal.
    static DB: RefCell<Option<Rc<LocalDb>>> = const { RefCell::new(None) };
    /// The channel the tabs of this browser tell each other of writes on.
    static CHANNEL: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

fn db() -> Option<Rc<LocalDb>> {
    DB.with(|d| d.borrow().clone())
}

/// What another tab changed in the database.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Changed {
    /// Records (a pull, a wipe): the others read everything again.
    Records,
    /// Only edits, rejections or client ids: the others skip reading the records, which with
    /// 10,000 of them costs a phone some 200 ms.
    Edits,
}

/// Tells the other tabs that the database changed.
fn tell_other_tabs(what: Changed) {
    CHANNEL.with(|c| {
        if let Some(channel) = c.borrow().as_ref() {
            let message = if what == Changed::Records { "records" } else { "edits" };
            let _ = channel.post_message(&message.into());
        }
    });
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
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
    /// A newer release opened the database in another tab: this one must reload.
    pub reload_needed: bool,
    /// A tab of an older release holds the database: this one waits until it is closed.
    pub older_tab_open: bool,
    /// Edits other users made on this device, waiting for them to log in here again.
    pub others_pending: usize,
}

/// The app's data and its sync state, provided as context.
#[derive(Debug, Clone, Copy)]
pub struct SyncEngine {
    /// Records as the server last sent them.
    pub server: RwSignal<HashMap<Uuid, Record>>,
    /// This user's edits not yet acknowledged, oldest first.
    pub outbox: RwSignal<Vec<Mutation>>,
    /// This user's edits that were refused, until dismissed.
    pub rejected: RwSignal<Vec<Rejected>>,
    pub status: RwSignal<SyncStatus>,
    /// True once the local copy has been read.
    pub loaded: RwSignal<bool>,
    /// What the screen shows: `server` with `outbox` applied on top.
    pub view: Memo<HashMap<Uuid, Record>>,
    /// This user's client id on this device (None until known).
    client: RwSignal<Option<Uuid>>,
    /// The user `client` and `outbox` were read for. A round runs only while it is the user
    /// logged in: between a new login and the read of that user's edits, the previous user's
    /// edits are still in memory and must not be sent with the new user's token.
    client_user: StoredValue<Option<Uuid>>,
    session: SessionState,
    running: StoredValue<bool>,
    again: StoredValue<bool>,
    failures: StoredValue<u32>,
    /// Set while logging out: no round starts.
    stopping: StoredValue<bool>,
}

/// The engine from context.
pub fn use_sync() -> SyncEngine {
    expect_context::<SyncEngine>()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl SyncEngine {
    /// Creates the engine, provides it as context, and starts loading and syncing.
    pub fn provide() -> SyncEngine {
        let session = use_session();
        let server = RwSignal::new(HashMap::new());
        let outbox = RwSignal::new(Vec::<Mutation>::new());
        let client = RwSignal::new(None::<Uuid>);
        let view = Memo::new(move |_| {
            let me = Author { client_id: client.get().unwrap_or_default(), name: String::new() };
            outbox.with(|o| server.with(|s| screen(s, o, &me)))
        });
        let online = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
        let engine = SyncEngine {
            server,
            outbox,
            rejected: RwSignal::new(Vec::new()),
            status: RwSignal::new(SyncStatus { online, ..Default::default() }),
            loaded: RwSignal::new(false),
            view,
            client,
            client_user: StoredValue::new(None),
            session,
            running: StoredValue::new(false),
            again: StoredValue::new(false),
            failures: StoredValue::new(0),
            stopping: StoredValue::new(false),
        };
        provide_context(engine);
        // In the next task, not in the one that draws the page (see `main`).
        set_timeout(
            move || {
                spawn_local(engine.load());
                spawn_local(crate::store::pokes::listen(move || engine.sync_now(), session));
            },
            Duration::ZERO,
        );
        let _ = window_event_listener(leptos::ev::online, move |_| {
            engine.status.update(|s| s.online = true);
            engine.sync_now();
        });
        let _ =
            window_event_listener(leptos::ev::offline, move |_| engine.status.update(|s| s.online = false));
        set_interval(move || engine.sync_now(), Duration::from_secs(60));
        engine.listen_to_other_tabs();
        // A login (a new user, or the same after the token expired offline): take that user's
        // client id and edits, then drain their outbox at once.
        Effect::new(move |previous: Option<Option<String>>| {
            let token = session.0.with(|s| s.as_ref().map(|s| s.token.clone()));
            if previous.is_some() && token.is_some() && previous.flatten() != token {
                engine.status.update(|s| s.needs_login = false);
                spawn_local(async move {
                    // A logout still wiping the previous user's copy finishes first.
                    while engine.stopping.get_value() {
                        sleep(50).await;
                    }
                    engine.refresh().await;
                    engine.send_parked().await;
                    engine.sync_now();
                });
            }
            token
        });
        engine
    }

    /// A read-only engine over `records` (what a share link shows), provided as context to the
    /// pages under it: nothing is loaded, stored, sent or synced — it never runs a round, and
    /// an edit finds no one logged in.
    pub fn snapshot(records: Vec<Record>) -> SyncEngine {
        let server = RwSignal::new(records.into_iter().map(|r| (r.id, r)).collect::<HashMap<_, _>>());
        let view = Memo::new(move |_| server.get());
        let engine = SyncEngine {
            server,
            outbox: RwSignal::new(Vec::new()),
            rejected: RwSignal::new(Vec::new()),
            status: RwSignal::new(SyncStatus {
                online: true,
                last_sync_ms: Some(now_ms()),
                ..Default::default()
            }),
            loaded: RwSignal::new(true),
            view,
            client: RwSignal::new(None),
            client_user: StoredValue::new(None),
            session: crate::session::SessionState(RwSignal::new(None)),
            running: StoredValue::new(false),
            again: StoredValue::new(false),
            failures: StoredValue::new(0),
            stopping: StoredValue::new(true),
        };
        provide_context(engine);
        engine
    }

    fn listen_to_other_tabs(self) {
        let Ok(channel) = web_sys::BroadcastChannel::new("tavla") else { return };
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let records = ev.data().as_string().is_none_or(|m| m != "edits");
            spawn_local(self.refresh_from_db(records));
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Lives as long as the page.
        on_message.forget();
        CHANNEL.with(|c| *c.borrow_mut() = Some(channel));
    }

    async fn load(self) {
        let reload = move || self.status.update(|s| s.reload_needed = true);
        let blocked = move || self.status.update(|s| s.older_tab_open = true);
        let opened = match LocalDb::open(reload, blocked).await {
            Ok(db) => db,
            Err(e) => {
                self.status.update(|s| s.storage_error = Some(e.to_string()));
                self.loaded.set(true);
                return;
            }
        };
        self.status.update(|s| s.older_tab_open = false);
        DB.with(|d| *d.borrow_mut() = Some(Rc::new(opened)));
        self.refresh().await;
        crate::boot::mark("tavla-db-read");
        self.loaded.set(true);
        self.send_parked().await;
        request_persistent_storage();
        self.sync_now();
    }

    /// Reads the database again (at start, after a login): the records, and the waiting and
    /// refused edits of the user now logged in.
    async fn refresh(self) {
        self.refresh_from_db(true).await;
    }

    /// [`Self::refresh`], reading the records only when `records` (another tab that changed
    /// only edits need not cost this one a read of every record).
    async fn refresh_from_db(self, records: bool) {
        let Some(db) = db() else { return };
        let user = self.session.0.with_untracked(|s| s.as_ref().map(|s| s.user.id));
        let loaded = match db.load(crate::session::legacy_client_id(), user, records).await {
            Ok(l) => l,
            Err(e) => {
                self.status.update(|s| s.storage_error = Some(e.to_string()));
                return;
            }
        };
        if loaded.compact {
            // Off the start's path: the screen is drawn from what was read meanwhile.
            let db = db.clone();
            spawn_local(async move {
                if let Err(e) = db.compact().await {
                    leptos::logging::warn!("the local copy could not be compacted: {e}");
                }
            });
        }
        if user.is_some() {
            // Any edits of schema 1 now belong to this user's client id in IndexedDB.
            crate::session::forget_legacy_client_id();
        }
        let client = match user {
            Some(user) => match loaded.clients.get(&user) {
                Some(c) => Some(*c),
                None => db.client_id(user, random_uuid()).await.ok(),
            },
            None => None,
        };
        let mine: Vec<Mutation> =
            loaded.outbox.iter().filter(|(c, _)| Some(*c) == client).map(|(_, m)| m.clone()).collect();
        let others = loaded.outbox.len() - mine.len();
        let rejected: Vec<Rejected> =
            loaded.rejected.into_iter().filter(|r| Some(r.client_id) == client).collect();
        let last_sync = loaded.meta.get("last_sync_ms").and_then(|v| v.parse::<f64>().ok());
        // Only what changed is set, so pages do not redraw for nothing.
        if records {
            let records: HashMap<Uuid, Record> = loaded.records.into_iter().map(|r| (r.id, r)).collect();
            if self.server.with_untracked(|s| *s != records) {
                self.server.set(records);
            }
        }
        if self.outbox.with_untracked(|o| *o != mine) {
            self.outbox.set(mine);
        }
        if self.rejected.with_untracked(|r| *r != rejected) {
            self.rejected.set(rejected);
        }
        if self.client.get_untracked() != client {
            self.client.set(client);
        }
        self.client_user.set_value(user);
        self.status.update(|s| {
            s.others_pending = others;
            s.last_sync_ms = s.last_sync_ms.or(last_sync);
        });
    }

    /// Tries to send edits parked under client ids the server gave to another user: the one
    /// logged in now may be their author, and then the server takes them. Those it refuses
    /// stay parked.
    async fn send_parked(self) {
        let (Some(db), Some(token)) =
            (db(), self.session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone())))
        else {
            return;
        };
        let parked = db.parked_clients().await.unwrap_or_default();
        if parked.is_empty() {
            // The usual case: no second read of the database at start.
            return;
        }
        for id in parked {
            if self.shared_round(db.clone(), token.clone(), id).await.is_ok()
                && db.outbox(id).await.is_ok_and(|o| o.is_empty())
            {
                let _ = db.unpark(id).await;
                // Its round pulled records too.
                tell_other_tabs(Changed::Records);
            }
        }
        self.refresh().await;
    }

    /// The client id of the user logged in (None until known, or after a logout).
    pub fn current_client(self) -> Option<Uuid> {
        self.client.get_untracked()
    }

    /// Records an edit: durably into the outbox first (with its mutation id, taken in the same
    /// write), then on screen, then towards the server. Resolves once the edit is safe in
    /// IndexedDB, with the edit's mutation id (for [`Self::edit_state`]); an error means it
    /// was *not* saved (full device, private mode).
    pub async fn edit(self, kind: Kind, entity_id: Uuid, op: MutationOp) -> Result<u64, LocalDbError> {
        let Some(db) = db() else {
            return Err(LocalDbError::Idb("the browser's database is not open".into()));
        };
        let Some(client) = self.client.get_untracked() else {
            return Err(LocalDbError::Idb("nobody is logged in".into()));
        };
        let draft = Draft { kind, entity_id, at: now_ms() as i64, op };
        let m = db.enqueue(client, draft).await.map_err(|e| LocalDbError::Idb(e.0))?;
        let mutation_id = m.id;
        // A round that ended meanwhile may have read it from the database already.
        self.outbox.update(|o| {
            if !o.iter().any(|x| x.id == m.id) {
                o.push(m);
            }
        });
        tell_other_tabs(Changed::Edits);
        self.sync_now();
        Ok(mutation_id)
    }

    /// The server version an edit of `id` is based on (0: not on the server yet).
    pub fn base_rev(self, id: Uuid) -> u64 {
        self.server.with_untracked(|s| s.get(&id).map(|r| r.rev).unwrap_or(0))
    }

    /// Changes the named fields of a record (creating it when new), based on the version the
    /// screen shows now. Forms use [`Self::put_from`] with the version they opened with.
    pub async fn put(self, kind: Kind, id: Uuid, fields: Map<String, Value>) -> Result<u64, LocalDbError> {
        self.put_from(kind, id, self.base_rev(id), fields).await
    }

    /// Changes the named fields of a record, as an edit of version `base_rev`: a field someone
    /// else changed after it becomes a conflict, never a silent revert.
    pub async fn put_from(
        self,
        kind: Kind,
        id: Uuid,
        base_rev: u64,
        fields: Map<String, Value>,
    ) -> Result<u64, LocalDbError> {
        self.edit(kind, id, MutationOp::Put { base_rev, fields }).await
    }

    /// Creates a record from its typed fields (a new id, version 0).
    pub async fn create<T: KindFields>(self, id: Uuid, value: &T) -> Result<u64, LocalDbError> {
        self.put_from(T::KIND, id, 0, value.to_fields()).await
    }

    /// Saves a form on the typed edit path: the fields of `draft` that differ from what the
    /// form opened with, as an edit of that version. `Ok(None)`: nothing to save; else the
    /// edit's mutation id.
    pub async fn save<T: KindFields>(
        self,
        id: Uuid,
        base: &Base<T>,
        draft: &T,
    ) -> Result<Option<u64>, LocalDbError> {
        let fields = changed_fields(&base.values, draft);
        if fields.is_empty() {
            return Ok(None);
        }
        self.put_from(T::KIND, id, base.rev, fields).await.map(Some)
    }

    /// Starts a sync round now (or right after the one running).
    pub fn sync_now(self) {
        if !self.loaded.get_untracked() || self.stopping.get_value() {
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
                match self.round().await {
                    Ok(again) => {
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
                        if again {
                            self.again.set_value(true);
                        }
                    }
                    Err(None) => break,
                    Err(Some(RoundError::Transport(TransportError::ClientIdTaken))) => {
                        // The client id is another user's (edits an older release left behind):
                        // park its edits for their author and go on with a fresh one.
                        let user = self.session.0.with_untracked(|s| s.as_ref().map(|s| s.user.id));
                        if let (Some(db), Some(user), Some(refused)) =
                            (db(), user, self.client.get_untracked())
                        {
                            if db.park_client(user, refused, random_uuid()).await.is_ok() {
                                tell_other_tabs(Changed::Edits);
                                self.refresh().await;
                                self.again.set_value(true);
                            }
                        }
                    }
                    Err(Some(RoundError::Transport(TransportError::Unauthorized(_)))) => {
                        // The token is no good: ask for a login. The outbox stays in IndexedDB
                        // and drains once the user is back.
                        self.status.update(|s| s.needs_login = true);
                        self.session.clear();
                        break;
                    }
                    Err(Some(e)) => {
                        let unreachable = matches!(e, RoundError::Transport(TransportError::Unreachable(_)));
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
                if !self.again.get_value() || self.stopping.get_value() {
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

    /// One round of the shared client for the user logged in. `Ok(true)`: run another (edits
    /// another tab pushed still wait for their results). `Err(None)`: nothing to do (no login,
    /// no database).
    async fn round(self) -> Result<bool, Option<RoundError>> {
        let (token, user) =
            self.session.0.with_untracked(|s| s.as_ref().map(|s| (s.token.clone(), s.user.id))).unzip();
        // Another user's edits may still be in memory (a login whose read has not ended):
        // the login's own round follows that read.
        if user.is_none() || self.client_user.get_value() != user {
            return Err(None);
        }
        let (Some(token), Some(client), Some(db)) = (token, self.client.get_untracked(), db()) else {
            return Err(None);
        };
        let report = self.shared_round(db.clone(), token, client).await.map_err(Some)?;
        let outbox = db.outbox(client).await.unwrap_or_default();
        // Set only when it changed: every page redraws from `view`, with 10,000 records
        // some 100 ms on a phone, for nothing.
        if self.outbox.with_untracked(|o| *o != outbox) {
            self.outbox.set(outbox);
        }
        if !report.rejected.is_empty() {
            self.rejected.update(|list| {
                for r in report.rejected {
                    if !list.iter().any(|x| x.mutation.id == r.mutation.id && x.client_id == r.client_id) {
                        list.push(r);
                    }
                }
            });
        }
        tell_other_tabs(if report.pulled > 0 { Changed::Records } else { Changed::Edits });
        Ok(report.again)
    }

    /// One round of the shared client for `client`, its pages shown as they land (records and
    /// acknowledgements together, so nothing flickers back). Boxed, so the user's rounds and
    /// the parked ids' share one copy of the round's code: inlined into each caller it cost
    /// the download 8 KB.
    fn shared_round(
        self,
        db: Rc<LocalDb>,
        token: String,
        client: Uuid,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<RoundReport, RoundError>>>> {
        let server = self.server;
        // The rights the pull is made under: a change of role or person pulls everything again.
        let viewer = self.session.0.with_untracked(|s| {
            s.as_ref().map_or_else(String::new, |s| {
                format!("{}:{}", s.user.role, s.user.person_id.map(|p| p.to_string()).unwrap_or_default())
            })
        });
        db.set_viewer(viewer);
        Box::pin(async move {
            let transport = SyncApi { token };
            // Records stored but not yet shown: when the next page has already arrived, the
            // screen is drawn once for both (each drawing of 10,000 records costs a phone some
            // 50 ms, and the pages of a first sync on a slow link tend to land together).
            let dropped_personal = Rc::new(std::cell::Cell::new(false));
            let mut unshown =
                Unshown { records: Vec::new(), server, dropped_personal: dropped_personal.clone() };
            let report = sync_round(db.as_ref(), &transport, client, move |page| {
                unshown.records.append(&mut page.records);
                let next_here = page.ack.is_none() && crate::store::pull_ahead::arrived(page.cursor);
                if !next_here {
                    unshown.show();
                }
            })
            .await;
            // Pages asked for ahead are of no use to the next round (it starts from the stored
            // cursor, possibly after a push).
            crate::store::pull_ahead::forget();
            // Contact details gone on the server go from this device's older pages too.
            if dropped_personal.get() {
                if let Err(e) = db.compact().await {
                    leptos::logging::warn!("the local copy could not be compacted: {e}");
                }
            }
            report
        })
    }

    /// Hides a rejected edit the user has read.
    pub fn dismiss_rejected(self, mutation_id: u64) {
        let Some(gone) =
            self.rejected.with_untracked(|r| r.iter().find(|x| x.mutation.id == mutation_id).cloned())
        else {
            return;
        };
        self.rejected.update(|r| r.retain(|x| x.mutation.id != mutation_id));
        spawn_local(async move {
            if let Some(db) = db() {
                let _ = db.dismiss(&gone).await;
                tell_other_tabs(Changed::Edits);
            }
        });
    }

    /// The time of the oldest unsynced edit, in ms since the epoch.
    pub fn oldest_pending_ms(self) -> Option<i64> {
        self.outbox.with(|o| o.first().map(|m| m.at))
    }

    /// Ids of records with edits not yet on the server.
    /// Where the edit with this mutation id stands: waiting on this device, refused by the
    /// server, or on the server (neither). Reactive, so a form's answer line follows it.
    pub fn edit_state(self, mutation_id: u64) -> EditState {
        if self.rejected.with(|r| r.iter().any(|r| r.mutation.id == mutation_id)) {
            EditState::Refused
        } else if self.outbox.with(|o| o.iter().any(|m| m.id == mutation_id)) {
            EditState::Waiting { online: self.status.with(|s| s.online) }
        } else {
            EditState::Synced
        }
    }

    /// Waits until the server has the edit with this mutation id (true) or refused it (false).
    /// Polls the outbox: it is in memory, and an edit waits seconds online, hours offline.
    pub async fn acknowledged(self, mutation_id: u64) -> bool {
        loop {
            match self.edit_state_untracked(mutation_id) {
                EditState::Synced => return true,
                EditState::Refused => return false,
                EditState::Waiting { .. } => sleep(300).await,
            }
        }
    }

    fn edit_state_untracked(self, mutation_id: u64) -> EditState {
        untrack(|| self.edit_state(mutation_id))
    }

    pub fn pending_ids(self) -> Vec<Uuid> {
        self.outbox.with(|o| o.iter().map(|m| m.entity_id).collect())
    }

    /// Deletes the local copy after `client`'s user logged out, once a running round has ended
    /// (so it cannot write old records back afterwards). Other users' waiting edits stay for
    /// them; a login meanwhile waits for this to finish (see `provide`).
    pub async fn wipe(self, client: Option<Uuid>) {
        self.stopping.set_value(true);
        while self.running.get_value() {
            sleep(50).await;
        }
        if let Some(db) = db() {
            let _ = db.wipe(client).await;
        }
        if self.client.get_untracked() == client {
            self.server.set(HashMap::new());
            self.outbox.set(Vec::new());
            self.rejected.set(Vec::new());
            self.client.set(None);
            self.client_user.set_value(None);
            self.status.update(|s| s.last_sync_ms = None);
        }
        tell_other_tabs(Changed::Records);
        self.stopping.set_value(false);
    }
}

/// Asks the browser not to evict our data under storage pressure.
fn request_persistent_storage() {
    if let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) {
        let _ = storage.persist();
    }
}
