//! Property test of the client half of the protocol (`tavla_shared::client`), the very code the
//! browser runs, over an in-memory store and transport talking to an in-memory server built
//! from `process_push`.
//!
//! Each case: three devices, each shared by several tabs (tasks running at once on one store)
//! and by two users who take turns; random edits — creates, multi-field puts, nulls, invalid
//! values, deletes, restores, counter adds —, rounds started and interleaved at every await,
//! tabs closed mid-round (a crash between any two steps), pushes lost on the way or answered
//! and then lost, failed writes to the device's storage. Then every tab is let finish, each
//! user logs in once more on each device, and:
//! 1. every edit a tab saw confirmed reached the server, or is listed on its device as rejected
//!    with the server's reason, and no outbox holds anything;
//! 2. every device shows exactly the server's records;
//! 3. no value is lost without a conflict: each confirmed value is the record's value now, or a
//!    conflict keeps it, or an edit that had seen it replaced it; counters hold the sum of all
//!    applied adds.
//!
//! `TAVLA_CLIENT_CASES` sets the number of cases (1,000 by default; `cargo xtask soak` runs
//! 10,000).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use tavla_shared::client::{
    sync_round, Draft, LocalError, LocalStore, PageWrite, RawPull, Rejected, Transport, TransportError,
};
use tavla_shared::merge::{Author, Tracked};
use tavla_shared::push::{process_push, PushInput};
use tavla_shared::wire::{
    Mutation, MutationOp, MutationResult, MutationStatus, PushItem, PushRequest, PushResponse, Record,
};
use tavla_shared::Kind;
use uuid::Uuid;

const DEVICES: usize = 3;
const USERS: [u128; 2] = [1, 2];
const ACTIVITIES: [u128; 2] = [100, 101];
const FUNDS: u128 = 200;
const GOAL: u128 = 300;
const PAGE: usize = 4;

/// A future that is pending once: every await of the store and the transport is a point where
/// another tab may run, or this one be closed.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

fn yield_now() -> YieldNow {
    YieldNow(false)
}

/// Deterministic faults from the case's seed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, one_in: u64) -> bool {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        one_in > 0 && self.0.is_multiple_of(one_in)
    }
}

/// One processed mutation, in the server's order.
#[derive(Debug, Clone)]
struct Processed {
    client: Uuid,
    mutation: Mutation,
    /// The version after it (the rev its values got).
    rev: u64,
    status: MutationStatus,
    /// The record's fields before, when it was a tombstone: a put's values equal to these
    /// changed nothing (guarantee 6 keeps only the values that differ).
    tombstone: Option<Map<String, Value>>,
}

#[derive(Default)]
struct ServerState {
    records: HashMap<Uuid, Tracked>,
    version: u64,
    /// client id → (user, last mutation id)
    clients: HashMap<Uuid, (Uuid, u64)>,
    results: HashMap<(Uuid, u64), MutationResult>,
    log: Vec<Processed>,
    next_conflict: u128,
}

fn fields(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn plain(kind: Kind, id: u128, rev: u64, f: Value) -> Tracked {
    Tracked::plain(Record { kind, id: Uuid::from_u128(id), rev, deleted: false, fields: fields(f) })
}

impl ServerState {
    fn new() -> Self {
        let mut s = ServerState { next_conflict: 10_000, ..Default::default() };
        let goal = json!({ "number": 1, "title": "Mål", "health": "on_track" });
        let mut seed = vec![plain(Kind::StrategicGoal, GOAL, 1, goal)];
        for (n, a) in ACTIVITIES.iter().enumerate() {
            let f = json!({ "strategic_goal_id": Uuid::from_u128(GOAL), "title": format!("A{n}"), "status": "not_started", "position": n });
            seed.push(plain(Kind::Activity, *a, 2 + n as u64, f));
        }
        seed.push(plain(
            Kind::Funds,
            FUNDS,
            4,
            json!({ "allocated_sek": 0, "granted_sek": 0, "paid_sek": 0 }),
        ));
        for t in seed {
            s.version = s.version.max(t.record.rev);
            s.records.insert(t.record.id, t);
        }
        s
    }

    fn push(&mut self, user: Uuid, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let entry = self.clients.entry(request.client_id).or_insert((user, 0));
        if entry.0 != user {
            return Err(TransportError::Server { status: 403, message: "another user's client id".into() });
        }
        let author = Author { client_id: request.client_id, name: format!("u{}", user.as_u128()) };
        let mut results = Vec::new();
        // One mutation at a time, so the log knows the version each value got.
        for m in &request.mutations {
            let last = self.clients[&request.client_id].1;
            let items = [PushItem::Known(m.clone())];
            let input = PushInput {
                version: self.version,
                last_mutation_id: last,
                author: &author,
                now: i64::MAX / 2,
                items: &items,
            };
            let tombstone =
                self.records.get(&m.entity_id).filter(|t| t.record.deleted).map(|t| t.record.fields.clone());
            let (records, kept, next) = (&self.records, &self.results, &mut self.next_conflict);
            let client = request.client_id;
            let plan = process_push(
                |id| Ok::<_, std::convert::Infallible>(records.get(&id).cloned()),
                |id| Ok(kept.get(&(client, id)).cloned()),
                input,
                |_, _| Ok(()),
                || {
                    *next += 1;
                    Uuid::from_u128(*next)
                },
            )
            .unwrap_or_else(|never| match never {});
            // The version the record's values got (conflict records come after it).
            let rev = plan
                .records
                .iter()
                .find(|t| t.record.id == m.entity_id)
                .map_or(plan.version, |t| t.record.rev);
            for t in plan.records {
                self.records.insert(t.record.id, t);
            }
            self.version = plan.version;
            for r in &plan.results {
                if m.id > last {
                    self.results.insert((client, r.id), r.clone());
                    self.log.push(Processed {
                        client,
                        mutation: m.clone(),
                        rev,
                        status: r.status,
                        tombstone: tombstone.clone(),
                    });
                }
            }
            self.clients.get_mut(&client).expect("registered above").1 = plan.last_mutation_id;
            results.extend(plan.results);
        }
        let last_mutation_id = self.clients[&request.client_id].1;
        Ok(PushResponse { last_mutation_id, results })
    }

    fn pull(&self, user: Uuid, client: Uuid, cursor: u64) -> Result<RawPull, TransportError> {
        let (owner, last) = self.clients.get(&client).copied().unwrap_or((user, 0));
        if owner != user {
            return Err(TransportError::Server { status: 403, message: "another user's client id".into() });
        }
        if cursor > self.version {
            return Err(TransportError::Server { status: 400, message: "cursor ahead of the server".into() });
        }
        let mut changed: Vec<&Tracked> = self.records.values().filter(|t| t.record.rev > cursor).collect();
        changed.sort_by_key(|t| t.record.rev);
        let more = changed.len() > PAGE;
        changed.truncate(PAGE);
        let next = if more { changed.last().map_or(cursor, |t| t.record.rev) } else { self.version };
        let records =
            changed.iter().map(|t| serde_json::value::to_raw_value(&t.record).expect("a record")).collect();
        Ok(RawPull { cursor: next, more, last_mutation_id: last, records })
    }
}

/// A device's durable store (IndexedDB in the browser), shared by its tabs.
#[derive(Default)]
struct DeviceState {
    records: HashMap<Uuid, Record>,
    cursor: u64,
    next_id: u64,
    outbox: BTreeMap<u64, (Uuid, Mutation)>,
    rejected: BTreeMap<(Uuid, u64), Rejected>,
    clients: HashMap<Uuid, Uuid>,
}

#[derive(Clone)]
struct MemLocal {
    state: Rc<RefCell<DeviceState>>,
    dice: Rc<RefCell<Dice>>,
}

impl LocalStore for MemLocal {
    async fn client_id(&self, user: Uuid, fresh: Uuid) -> Result<Uuid, LocalError> {
        yield_now().await;
        Ok(*self.state.borrow_mut().clients.entry(user).or_insert(fresh))
    }

    async fn enqueue(&self, client_id: Uuid, draft: Draft) -> Result<Mutation, LocalError> {
        yield_now().await;
        if self.dice.borrow_mut().roll(17) {
            return Err(LocalError("QuotaExceededError".into()));
        }
        let mut s = self.state.borrow_mut();
        let id = s.next_id.max(1);
        s.next_id = id + 1;
        let m = Mutation { id, kind: draft.kind, entity_id: draft.entity_id, at: draft.at, op: draft.op };
        s.outbox.insert(id, (client_id, m.clone()));
        Ok(m)
    }

    async fn outbox(&self, client_id: Uuid) -> Result<Vec<Mutation>, LocalError> {
        yield_now().await;
        Ok(self
            .state
            .borrow()
            .outbox
            .values()
            .filter(|(c, _)| *c == client_id)
            .map(|(_, m)| m.clone())
            .collect())
    }

    async fn cursor(&self) -> Result<u64, LocalError> {
        yield_now().await;
        Ok(self.state.borrow().cursor)
    }

    async fn save_page(&self, page: &PageWrite) -> Result<(), LocalError> {
        yield_now().await;
        let mut s = self.state.borrow_mut();
        for r in &page.records {
            s.records.insert(r.id, r.clone());
        }
        s.cursor = page.cursor;
        if let Some(ack) = &page.ack {
            s.outbox.retain(|_, (c, m)| !(*c == ack.client_id && ack.done.contains(&m.id)));
            for r in &ack.rejected {
                s.rejected.insert((r.client_id, r.mutation.id), r.clone());
            }
            s.next_id = s.next_id.max(ack.last_mutation_id + 1);
        }
        Ok(())
    }

    async fn refuse(&self, refused: Vec<Rejected>) -> Result<(), LocalError> {
        yield_now().await;
        let mut s = self.state.borrow_mut();
        for r in refused {
            s.outbox.remove(&r.mutation.id);
            s.rejected.insert((r.client_id, r.mutation.id), r);
        }
        Ok(())
    }
}

#[derive(Clone)]
struct MemTransport {
    server: Rc<RefCell<ServerState>>,
    user: Uuid,
    dice: Rc<RefCell<Dice>>,
    faults: bool,
}

impl Transport for MemTransport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        yield_now().await;
        if self.faults && self.dice.borrow_mut().roll(5) {
            return Err(TransportError::Unreachable("lost on the way".into()));
        }
        let answer = self.server.borrow_mut().push(self.user, request);
        yield_now().await;
        if self.faults && self.dice.borrow_mut().roll(5) {
            return Err(TransportError::Unreachable("answer lost".into()));
        }
        answer
    }

    async fn pull(&self, client_id: Uuid, cursor: u64) -> Result<RawPull, TransportError> {
        yield_now().await;
        if self.faults && self.dice.borrow_mut().roll(9) {
            return Err(TransportError::Unreachable("lost".into()));
        }
        self.server.borrow().pull(self.user, client_id, cursor)
    }
}

/// An edit a person makes, drafted against what their device shows.
#[derive(Debug, Clone)]
enum Edit {
    Status(usize, usize),
    StatusAndNotes(usize, usize, u8),
    ClearNotes(usize),
    Invalid(usize),
    Create,
    Delete(usize),
    Restore(usize),
    Add(i64),
}

fn draft(edit: &Edit, server_rev: impl Fn(Uuid) -> u64, at: i64, fresh: Uuid) -> Draft {
    const STATUSES: [&str; 4] = ["not_started", "in_progress", "done", "paused"];
    let activity = |i: usize| Uuid::from_u128(ACTIVITIES[i % ACTIVITIES.len()]);
    let put = |id: Uuid, f: Value| Draft {
        kind: Kind::Activity,
        entity_id: id,
        at,
        op: MutationOp::Put { base_rev: server_rev(id), fields: fields(f) },
    };
    match edit {
        Edit::Status(a, s) => put(activity(*a), json!({ "status": STATUSES[s % 4] })),
        Edit::StatusAndNotes(a, s, n) => {
            put(activity(*a), json!({ "status": STATUSES[s % 4], "notes": format!("anteckning {n}") }))
        }
        Edit::ClearNotes(a) => put(activity(*a), json!({ "notes": null })),
        Edit::Invalid(a) => put(activity(*a), json!({ "status": "finished" })),
        Edit::Create => Draft {
            kind: Kind::Event,
            entity_id: fresh,
            at,
            op: MutationOp::Put {
                base_rev: 0,
                fields: fields(json!({ "type": "workshop", "title": "Workshop", "date": "2026-11-28" })),
            },
        },
        Edit::Delete(a) => Draft {
            kind: Kind::Activity,
            entity_id: activity(*a),
            at,
            op: MutationOp::Delete { base_rev: server_rev(activity(*a)) },
        },
        Edit::Restore(a) => Draft {
            kind: Kind::Activity,
            entity_id: activity(*a),
            at,
            op: MutationOp::Restore { base_rev: server_rev(activity(*a)) },
        },
        Edit::Add(by) => Draft {
            kind: Kind::Funds,
            entity_id: Uuid::from_u128(FUNDS),
            at,
            op: MutationOp::Add { field: "granted_sek".into(), by: *by },
        },
    }
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..2usize, 0..4usize).prop_map(|(a, s)| Edit::Status(a, s)),
        (0..2usize, 0..4usize, any::<u8>()).prop_map(|(a, s, n)| Edit::StatusAndNotes(a, s, n)),
        (0..2usize).prop_map(Edit::ClearNotes),
        (0..2usize).prop_map(Edit::Invalid),
        Just(Edit::Create),
        (0..2usize).prop_map(Edit::Delete),
        (0..2usize).prop_map(Edit::Restore),
        (1..1000i64).prop_map(Edit::Add),
    ]
}

/// One step of a schedule.
#[derive(Debug, Clone)]
enum Step {
    /// A tab on a device makes an edit.
    Edit(usize, Edit),
    /// A tab starts a sync round.
    Round(usize),
    /// Runs a running task (edit or round) up to its next await.
    Poll(usize),
    /// Closes the tab running a task, wherever it is.
    Close(usize),
    /// Another user logs in on a device.
    Switch(usize, usize),
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..DEVICES, edit_strategy()).prop_map(|(d, e)| Step::Edit(d, e)),
        2 => (0..DEVICES).prop_map(Step::Round),
        8 => any::<usize>().prop_map(Step::Poll),
        1 => any::<usize>().prop_map(Step::Close),
        1 => (0..DEVICES, 0..USERS.len()).prop_map(|(d, u)| Step::Switch(d, u)),
    ]
}

type Task = Pin<Box<dyn Future<Output = Option<(Uuid, Mutation)>>>>;

struct World {
    server: Rc<RefCell<ServerState>>,
    devices: Vec<MemLocal>,
    users: Vec<Uuid>,
    dice: Rc<RefCell<Dice>>,
    tasks: Vec<Task>,
    confirmed: Vec<(usize, Uuid, Mutation)>,
    clock: i64,
    fresh: u128,
}

impl World {
    fn new(seed: u64) -> Self {
        let dice = Rc::new(RefCell::new(Dice(seed | 1)));
        World {
            server: Rc::new(RefCell::new(ServerState::new())),
            devices: (0..DEVICES).map(|_| MemLocal { state: Rc::default(), dice: dice.clone() }).collect(),
            users: vec![Uuid::from_u128(USERS[0]); DEVICES],
            dice,
            tasks: Vec::new(),
            confirmed: Vec::new(),
            clock: 1_000,
            fresh: 50_000,
        }
    }

    fn fresh(&mut self) -> Uuid {
        self.fresh += 1;
        Uuid::from_u128(self.fresh)
    }

    fn transport(&self, device: usize, faults: bool) -> MemTransport {
        MemTransport {
            server: self.server.clone(),
            user: self.users[device],
            dice: self.dice.clone(),
            faults,
        }
    }

    fn start_edit(&mut self, device: usize, edit: Edit) {
        self.clock += 7;
        let (local, user, fresh_client, fresh) =
            (self.devices[device].clone(), self.users[device], self.fresh(), self.fresh());
        let at = self.clock;
        self.tasks.push(Box::pin(async move {
            let client = local.client_id(user, fresh_client).await.ok()?;
            // An edit of the version this device last pulled (0: it has none yet, as an outside
            // client may send).
            let server: HashMap<Uuid, Record> = local.state.borrow().records.clone();
            let d = draft(&edit, |id| server.get(&id).map_or(0, |r| r.rev), at, fresh);
            let m = local.enqueue(client, d).await.ok()?;
            Some((client, m))
        }));
    }

    fn start_round(&mut self, device: usize, faults: bool) {
        let (local, transport, user, fresh) =
            (self.devices[device].clone(), self.transport(device, faults), self.users[device], self.fresh());
        self.tasks.push(Box::pin(async move {
            let client = local.client_id(user, fresh).await.ok()?;
            let _ = sync_round(&local, &transport, client, |_| {}).await;
            None
        }));
    }

    /// Polls task `i` once; a finished edit task that returned a mutation was confirmed.
    fn poll(&mut self, i: usize, device_of: &mut Vec<usize>) {
        let mut cx = Context::from_waker(Waker::noop());
        if let Poll::Ready(out) = self.tasks[i].as_mut().poll(&mut cx) {
            drop(self.tasks.remove(i));
            let device = device_of.remove(i);
            if let Some((client, m)) = out {
                self.confirmed.push((device, client, m));
            }
        }
    }
}

fn run_case(steps: &[Step], seed: u64) -> Result<(), TestCaseError> {
    let mut w = World::new(seed);
    let mut device_of: Vec<usize> = Vec::new();
    for step in steps {
        match step {
            Step::Edit(d, e) => {
                w.start_edit(*d, e.clone());
                device_of.push(*d);
            }
            Step::Round(d) => {
                w.start_round(*d, true);
                device_of.push(*d);
            }
            Step::Poll(i) if !w.tasks.is_empty() => {
                let i = i % w.tasks.len();
                w.poll(i, &mut device_of);
            }
            Step::Close(i) if !w.tasks.is_empty() => {
                let i = i % w.tasks.len();
                drop(w.tasks.remove(i));
                device_of.remove(i);
            }
            Step::Switch(d, u) => w.users[*d] = Uuid::from_u128(USERS[*u]),
            _ => {}
        }
    }
    // Every open tab finishes what it was doing.
    while !w.tasks.is_empty() {
        w.poll(0, &mut device_of);
    }
    // Each user logs in on each device once more, with the network working, and syncs until
    // nothing is left (the later rounds pull what later devices pushed, and fetch the results
    // of edits another tab had pushed).
    for _ in 0..3 {
        for d in 0..DEVICES {
            for u in USERS {
                w.users[d] = Uuid::from_u128(u);
                w.start_round(d, false);
                device_of.push(d);
                while !w.tasks.is_empty() {
                    w.poll(0, &mut device_of);
                }
            }
        }
    }
    check(&w)
}

fn check(w: &World) -> Result<(), TestCaseError> {
    let server = w.server.borrow();
    // 1. Confirmed edits reached the server or are listed as rejected; outboxes are empty.
    for (d, client, m) in &w.confirmed {
        let result = server.results.get(&(*client, m.id));
        prop_assert!(result.is_some(), "a confirmed edit never reached the server: {m:?}");
        if result.is_some_and(|r| r.status == MutationStatus::Rejected) {
            let listed = w.devices[*d].state.borrow().rejected.get(&(*client, m.id)).cloned();
            prop_assert!(
                listed.is_some_and(|r| !r.reason.is_empty()),
                "a rejection nobody was told of: {m:?}"
            );
        }
    }
    for dev in &w.devices {
        prop_assert!(dev.state.borrow().outbox.is_empty(), "edits left waiting");
    }
    // 2. Every device shows the server's records.
    let truth: HashMap<Uuid, Record> = server.records.iter().map(|(id, t)| (*id, t.record.clone())).collect();
    for dev in &w.devices {
        prop_assert_eq!(&dev.state.borrow().records, &truth);
    }
    // 3. No value lost without a conflict.
    let conflicts: Vec<&Record> = truth.values().filter(|r| r.kind == Kind::Conflict).collect();
    for (i, p) in server.log.iter().enumerate() {
        if p.status == MutationStatus::Rejected {
            continue;
        }
        let MutationOp::Put { fields, .. } = &p.mutation.op else { continue };
        let confirmed = w.confirmed.iter().any(|(_, c, m)| *c == p.client && m.id == p.mutation.id);
        if !confirmed {
            continue;
        }
        for (f, v) in fields {
            let now = truth
                .get(&p.mutation.entity_id)
                .and_then(|r| r.fields.get(f))
                .cloned()
                .unwrap_or(Value::Null);
            let kept = conflicts.iter().any(|c| {
                c.fields["target_id"] == json!(p.mutation.entity_id)
                    && c.fields["field"] == json!(f)
                    && (c.fields["lost_value"] == *v || c.fields["kept_value"] == *v)
            });
            let replaced_knowingly = server.log[i + 1..].iter().any(|q| {
                let MutationOp::Put { fields: qf, base_rev } = &q.mutation.op else { return false };
                q.status != MutationStatus::Rejected
                    && q.mutation.entity_id == p.mutation.entity_id
                    && qf.contains_key(f)
                    && (q.client == p.client || *base_rev >= p.rev)
            });
            let no_change = p.tombstone.as_ref().is_some_and(|t| t.get(f).unwrap_or(&Value::Null) == v);
            prop_assert!(
                now == *v || kept || replaced_knowingly || no_change,
                "{f} = {v} of {:?} was lost silently; now {now}; log: {:#?}; conflicts: {:#?}",
                p.mutation,
                server
                    .log
                    .iter()
                    .filter(|q| q.mutation.entity_id == p.mutation.entity_id)
                    .map(|q| (
                        q.client.as_u128(),
                        q.mutation.id,
                        q.mutation.at,
                        &q.mutation.op,
                        q.rev,
                        q.status,
                        q.tombstone.is_some()
                    ))
                    .collect::<Vec<_>>(),
                conflicts.iter().map(|c| &c.fields).collect::<Vec<_>>()
            );
        }
    }
    let sum: i64 = server
        .log
        .iter()
        .filter(|p| p.status != MutationStatus::Rejected)
        .filter_map(|p| match &p.mutation.op {
            MutationOp::Add { by, .. } => Some(*by),
            _ => None,
        })
        .sum();
    prop_assert_eq!(&truth[&Uuid::from_u128(FUNDS)].fields["granted_sek"], &json!(sum));
    Ok(())
}

fn cases() -> u32 {
    std::env::var("TAVLA_CLIENT_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn devices_tabs_and_users_never_lose_a_confirmed_edit(
        steps in prop::collection::vec(step_strategy(), 20..160),
        seed in any::<u64>(),
    ) {
        run_case(&steps, seed)?;
    }
}

/// A server restored from a backup is behind the device's cursor: the device pulls again from
/// the start instead of failing every round.
#[test]
fn a_server_restored_from_a_backup_is_pulled_again_from_the_start() {
    let mut w = World::new(7);
    let mut device_of = Vec::new();
    let mut run = |w: &mut World, start: &dyn Fn(&mut World)| {
        start(w);
        device_of.push(0);
        while !w.tasks.is_empty() {
            w.poll(0, &mut device_of);
        }
    };
    run(&mut w, &|w| w.start_edit(0, Edit::Status(0, 2)));
    run(&mut w, &|w| w.start_round(0, false));
    assert!(w.devices[0].state.borrow().cursor > 4);
    *w.server.borrow_mut() = ServerState::new();
    run(&mut w, &|w| w.start_round(0, false));
    let device = w.devices[0].state.borrow();
    assert_eq!(device.cursor, 4, "the restored server's version");
    let server = w.server.borrow();
    for (id, t) in &server.records {
        assert_eq!(device.records.get(id), Some(&t.record));
    }
}
