//! Property tests of sync protocol v1's merge rules: three clients edit offline from the same
//! snapshot, push in random batches, in random order, with replays. Whatever the order:
//! every field converges to the edit with the latest `at` (ties by client id), no value is lost
//! silently (it is final, kept in a conflict, or replaced by its own author's later edit),
//! counters add up, and replays change nothing.

use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use tavla_shared::merge::{Author, Tracked};
use tavla_shared::push::{process_push, PushInput};
use tavla_shared::wire::{Mutation, MutationOp, MutationStatus, PushItem, Record};
use tavla_shared::Kind;
use uuid::Uuid;

const CLIENTS: u128 = 3;
const ACTIVITIES: [u128; 2] = [100, 101];
const FUNDS: u128 = 200;
const BASE_VERSION: u64 = 3;
const STATUSES: [&str; 4] = ["not_started", "in_progress", "done", "paused"];

/// One offline edit, before it gets its client's ids.
#[derive(Debug, Clone)]
enum Edit {
    Status { activity: usize, value: usize },
    Notes { activity: usize, value: u8 },
    Grant { by: i64 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..2usize, 0..4usize).prop_map(|(activity, value)| Edit::Status { activity, value }),
        (0..2usize, 0..5u8).prop_map(|(activity, value)| Edit::Notes { activity, value }),
        (0..100_000i64).prop_map(|by| Edit::Grant { by }),
    ]
}

fn base() -> HashMap<Uuid, Tracked> {
    let mut records = HashMap::new();
    for (i, n) in ACTIVITIES.iter().enumerate() {
        let fields = json!({"strategic_goal_id": Uuid::from_u128(9), "title": format!("A{i}"),
            "status": "not_started", "position": i});
        let r = Record {
            kind: Kind::Activity,
            id: Uuid::from_u128(*n),
            rev: i as u64 + 1,
            deleted: false,
            fields: obj(fields),
        };
        records.insert(r.id, Tracked::plain(r));
    }
    let funds = Record {
        kind: Kind::Funds,
        id: Uuid::from_u128(FUNDS),
        rev: 3,
        deleted: false,
        fields: obj(json!({"granted_sek": 1000})),
    };
    records.insert(funds.id, Tracked::plain(funds));
    records
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

/// Turns a client's edits into mutations: ids from 1, strictly increasing `at`, all based on
/// the snapshot at BASE_VERSION (the client was offline the whole time).
fn mutations(client: u128, edits: &[(Edit, i64)]) -> Vec<Mutation> {
    let mut at = client as i64; // Different clients may still end up with equal times.
    edits
        .iter()
        .enumerate()
        .map(|(i, (e, step))| {
            at += step;
            let (entity, kind, op) = match e {
                Edit::Status { activity, value } => (
                    ACTIVITIES[*activity],
                    Kind::Activity,
                    MutationOp::Put {
                        base_rev: BASE_VERSION,
                        fields: obj(json!({"status": STATUSES[*value]})),
                    },
                ),
                Edit::Notes { activity, value } => (
                    ACTIVITIES[*activity],
                    Kind::Activity,
                    MutationOp::Put {
                        base_rev: BASE_VERSION,
                        fields: obj(json!({"notes": format!("c{client} n{value}")})),
                    },
                ),
                Edit::Grant { by } => {
                    (FUNDS, Kind::Funds, MutationOp::Add { field: "granted_sek".into(), by: *by })
                }
            };
            Mutation { id: i as u64 + 1, kind, entity_id: Uuid::from_u128(entity), at, op }
        })
        .collect()
}

/// The server of the simulation: records, version, and each client's last mutation id.
struct Server {
    records: HashMap<Uuid, Tracked>,
    version: u64,
    last: HashMap<Uuid, u64>,
    next_id: u128,
}

impl Server {
    fn new() -> Self {
        Server { records: base(), version: BASE_VERSION, last: HashMap::new(), next_id: 1_000 }
    }

    fn push(&mut self, client: u128, batch: &[Mutation]) -> tavla_shared::push::PushPlan {
        let author = Author { client_id: Uuid::from_u128(client), name: format!("c{client}") };
        let last = self.last.get(&author.client_id).copied().unwrap_or(0);
        let records = &self.records;
        let next_id = &mut self.next_id;
        let items: Vec<PushItem> = batch.iter().cloned().map(PushItem::from).collect();
        // The server's clock after every edit time, so none is clamped.
        let input = PushInput {
            version: self.version,
            last_mutation_id: last,
            author: &author,
            now: i64::MAX / 2,
            items: &items,
        };
        let plan = process_push(
            |id| Ok::<_, std::convert::Infallible>(records.get(&id).cloned()),
            |_| Ok(None),
            input,
            |_, _| Ok(()),
            || {
                *next_id += 1;
                Uuid::from_u128(*next_id)
            },
        )
        .unwrap_or_else(|never| match never {});
        for t in &plan.records {
            self.records.insert(t.record.id, t.clone());
        }
        self.version = plan.version;
        self.last.insert(author.client_id, plan.last_mutation_id);
        plan
    }

    /// The plan's records as people see them: fields and tombstones, without versions.
    fn state(&self) -> HashMap<Uuid, (bool, Map<String, Value>)> {
        self.records
            .values()
            .filter(|t| t.record.kind != Kind::Conflict)
            .map(|t| (t.record.id, (t.record.deleted, t.record.fields.clone())))
            .collect()
    }

    fn conflicts(&self) -> Vec<Map<String, Value>> {
        self.records
            .values()
            .filter(|t| t.record.kind == Kind::Conflict)
            .map(|t| t.record.fields.clone())
            .collect()
    }
}

/// Splits each client's mutations into batches at `cuts` and interleaves them by `picks`,
/// keeping each client's own order; `replays` re-sends some batches already sent.
fn schedule(
    all: &[Vec<Mutation>],
    cuts: &[bool],
    picks: &[u8],
    replays: &[bool],
) -> Vec<(u128, Vec<Mutation>)> {
    let mut queues: Vec<std::collections::VecDeque<Vec<Mutation>>> = Vec::new();
    let mut cut = cuts.iter().cycle();
    for ms in all {
        let mut batches = std::collections::VecDeque::new();
        let mut batch = Vec::new();
        for m in ms {
            batch.push(m.clone());
            if *cut.next().unwrap_or(&true) {
                batches.push_back(std::mem::take(&mut batch));
            }
        }
        if !batch.is_empty() {
            batches.push_back(batch);
        }
        queues.push(batches);
    }
    let mut out: Vec<(u128, Vec<Mutation>)> = Vec::new();
    let mut pick = picks.iter().cycle();
    let mut replay = replays.iter().cycle();
    while queues.iter().any(|q| !q.is_empty()) {
        let live: Vec<usize> = (0..queues.len()).filter(|i| !queues[*i].is_empty()).collect();
        let c = live[*pick.next().unwrap_or(&0) as usize % live.len()];
        let batch = queues[c].pop_front().unwrap_or_default();
        out.push((c as u128 + 1, batch.clone()));
        if *replay.next().unwrap_or(&false) {
            out.push((c as u128 + 1, batch));
        }
    }
    out
}

/// Runs a schedule, checking on the way that replays change nothing.
fn run(all: &[Vec<Mutation>], cuts: &[bool], picks: &[u8], replays: &[bool]) -> Server {
    let mut server = Server::new();
    let mut sent: HashMap<u128, u64> = HashMap::new();
    for (client, batch) in schedule(all, cuts, picks, replays) {
        let before = (server.version, server.records.len());
        let plan = server.push(client, &batch);
        let high = sent.entry(client).or_insert(0);
        if batch.iter().all(|m| m.id <= *high) {
            assert!(plan.records.is_empty(), "a replay changed something");
            assert!(plan.results.iter().all(|r| r.status == MutationStatus::AlreadyApplied));
            assert_eq!(before, (server.version, server.records.len()));
        }
        *high = (*high).max(batch.iter().map(|m| m.id).max().unwrap_or(0));
        assert!(plan.results.iter().all(|r| r.status != MutationStatus::Rejected), "{:?}", plan.results);
    }
    server
}

fn put_value(m: &Mutation) -> Option<(String, Value)> {
    match &m.op {
        MutationOp::Put { fields, .. } => fields.iter().next().map(|(k, v)| (k.clone(), v.clone())),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn clients_converge_and_nothing_is_lost(
        edits in prop::collection::vec(prop::collection::vec((edit(), 1..5i64), 0..7), CLIENTS as usize),
        cuts in prop::collection::vec(any::<bool>(), 1..8),
        picks_a in prop::collection::vec(any::<u8>(), 1..12),
        picks_b in prop::collection::vec(any::<u8>(), 1..12),
        replays in prop::collection::vec(any::<bool>(), 1..6),
    ) {
        let all: Vec<Vec<Mutation>> = edits.iter().enumerate().map(|(c, e)| mutations(c as u128 + 1, e)).collect();
        let a = run(&all, &cuts, &picks_a, &replays);
        let b = run(&all, &cuts, &picks_b, &[false]);

        // Convergence: the order of pushes does not matter.
        prop_assert_eq!(a.state(), b.state());

        // Every field ends at the edit with the latest (at, client); counters add up.
        let mut winner: HashMap<(Uuid, String), ((i64, u128), Value)> = HashMap::new();
        let mut granted = 1000i64;
        for (c, ms) in all.iter().enumerate() {
            for m in ms {
                match &m.op {
                    MutationOp::Add { by, .. } => granted += by,
                    _ => {
                        let (field, value) = put_value(m).unwrap();
                        let key = (m.entity_id, field);
                        let rank = (m.at, c as u128 + 1);
                        if winner.get(&key).is_none_or(|(r, _)| rank > *r) {
                            winner.insert(key, (rank, value));
                        }
                    }
                }
            }
        }
        let state = a.state();
        for ((id, field), (_, value)) in &winner {
            prop_assert_eq!(&state[id].1[field], value);
        }
        prop_assert_eq!(&state[&Uuid::from_u128(FUNDS)].1["granted_sek"], &json!(granted));

        // No silent loss: each put value is final, in a conflict, or replaced by its author.
        for server in [&a, &b] {
            let conflicts = server.conflicts();
            for ms in &all {
                for (i, m) in ms.iter().enumerate() {
                    let Some((field, value)) = put_value(m) else { continue };
                    let is_final = server.state()[&m.entity_id].1.get(&field) == Some(&value);
                    let in_conflict = conflicts.iter().any(|c| c["target_id"] == json!(m.entity_id)
                        && c["field"] == json!(field) && c["lost_value"] == value);
                    let replaced_by_author = ms[i + 1..].iter().any(|later| later.entity_id == m.entity_id
                        && put_value(later).is_some_and(|(f, _)| f == field));
                    prop_assert!(is_final || in_conflict || replaced_by_author, "{:?} was lost silently", m);
                }
            }
        }
    }
}
