//! Processing one push (sync protocol v1): exactly-once by the client's mutation counter, each
//! mutation merged with [`crate::merge::apply`], every lost value turned into a `conflict` record.
//! Pure, so the server runs it under its write lock and tests run it against a map.

use crate::order::{sort_by_rank, Rank};
use std::collections::HashMap;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::kinds::{Conflict, Kind, KindFields};
use crate::merge::{apply, Author, LostEdit, Tracked};
use crate::protocol::CLOCK_TOLERANCE_MS;
use crate::rules::Refusal;
use crate::wire::{
    Change, ChangeOp, Mutation, MutationOp, MutationResult, MutationStatus, PushItem, Record, RejectCode,
    HISTORY_LIMIT,
};

/// What a push changes: the records to write (each at its newest version) and the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct PushPlan {
    /// Records changed or created by this push, in the order of their `rev`.
    pub records: Vec<Tracked>,
    /// The versions the changed records had before this push: their change-log entries go.
    pub replaced_revs: Vec<u64>,
    /// The global version after the push.
    pub version: u64,
    /// The client's last processed mutation after the push.
    pub last_mutation_id: u64,
    /// One result per mutation processed now (replays are skipped and get none).
    pub results: Vec<MutationResult>,
}

/// The record of a lost value (kind `conflict`).
fn conflict_record(target: &Record, lost: LostEdit, id: Uuid, rev: u64) -> Tracked {
    let conflict = Conflict {
        target_kind: target.kind,
        target_id: target.id,
        field: lost.field,
        kept_value: lost.kept_value,
        lost_value: lost.lost_value,
        lost_by: lost.lost_by,
        lost_at: lost.lost_at,
        kept_by: lost.kept_by,
        kept_at: lost.kept_at,
        resolved: false,
    };
    Tracked::plain(Record { kind: Kind::Conflict, id, rev, deleted: false, fields: conflict.to_fields() })
}

/// Appends to `after`'s history what `m` changed compared with `before`, dropping the oldest
/// entries past [`HISTORY_LIMIT`]. `now` is the server's time; the device's own time is kept
/// beside it when the two differ by more than the clock tolerance.
fn record_change(after: &mut Tracked, before: Option<&Tracked>, m: &Mutation, author: &Author, now: i64) {
    let (op, fields) = match (&m.op, before) {
        // A creation lists no values: the record holds them, and copying them would double the
        // bytes every new record costs the store (the push benchmark).
        (MutationOp::Put { .. }, None) => (ChangeOp::Created, Map::new()),
        (MutationOp::Put { fields, .. }, Some(before)) => {
            let new_fields = fields
                .keys()
                .filter(|f| before.record.fields.get(*f) != after.record.fields.get(*f))
                .map(|f| (f.clone(), after.record.fields.get(f).cloned().unwrap_or(Value::Null)))
                .collect();
            (ChangeOp::Changed, new_fields)
        }
        (MutationOp::Delete { .. }, _) => (ChangeOp::Deleted, Map::new()),
        (MutationOp::Restore { .. }, _) => (ChangeOp::Restored, Map::new()),
        (MutationOp::Add { field, by }, _) => {
            (ChangeOp::Added, Map::from_iter([(field.clone(), Value::from(*by))]))
        }
    };
    // A put of the values already there renews their stamps (a new version) but changes nothing
    // a person would look for.
    if op == ChangeOp::Changed && fields.is_empty() {
        return;
    }
    let device_at = (m.at.abs_diff(now) > CLOCK_TOLERANCE_MS as u64).then_some(m.at);
    after.history.push(Change {
        rev: after.record.rev,
        at: now,
        device_at,
        by: author.name.clone(),
        op,
        fields,
    });
    if after.history.len() > HISTORY_LIMIT {
        let excess = after.history.len() - HISTORY_LIMIT;
        after.history.drain(..excess);
        after.history_truncated = true;
    }
}

/// What a push is applied to, and by whom.
#[derive(Debug, Clone, Copy)]
pub struct PushInput<'a> {
    /// The store's global version before the push.
    pub version: u64,
    /// The client's last processed mutation before the push.
    pub last_mutation_id: u64,
    pub author: &'a Author,
    /// The server's clock (ms since the Unix epoch): edit times later than this plus
    /// [`CLOCK_TOLERANCE_MS`] are clamped to it.
    pub now: i64,
    pub items: &'a [PushItem],
}

/// Applies the pushed mutations in order on top of the stored records (`stored`, whose errors
/// end the push). A replayed mutation (`id <= last_mutation_id`) changes nothing and is
/// answered with its original result when `replayed` still has it, `already_applied` otherwise.
/// `check` refuses a mutation with a code and reason (roles, kind rules) before it is merged;
/// `new_id` names conflict records.
pub fn process_push<E>(
    mut stored: impl FnMut(Uuid) -> Result<Option<Tracked>, E>,
    mut replayed: impl FnMut(u64) -> Result<Option<MutationResult>, E>,
    input: PushInput<'_>,
    check: impl Fn(&Mutation, Option<&Tracked>) -> Result<(), Refusal>,
    mut new_id: impl FnMut() -> Uuid,
) -> Result<PushPlan, E> {
    let PushInput { version, last_mutation_id, author, now, items } = input;
    let mut version = version;
    let mut last = last_mutation_id;
    let mut changed: HashMap<Uuid, Tracked> = HashMap::new();
    let mut results = Vec::new();
    let mut before: HashMap<Uuid, u64> = HashMap::new();

    let mut previous = None;
    for item in items {
        // Ids start at 1 and increase within a push; anything else cannot be ordered against
        // the client's queue, and is refused alone (never skipped without an answer).
        if item.id() == 0 || previous.is_some_and(|p| item.id() <= p) {
            let reason = "mutation ids start at 1 and must increase within a push";
            results.push(MutationResult::rejected(item.id(), RejectCode::InvalidMutation, reason));
            continue;
        }
        previous = Some(item.id());
        // Guarantee 1: a replayed mutation changes nothing; its answer is the one it got then.
        if item.id() <= last {
            let original = replayed(item.id())?;
            results.push(original.unwrap_or(MutationResult {
                id: item.id(),
                status: MutationStatus::AlreadyApplied,
                code: None,
                reason: None,
            }));
            continue;
        }
        // Processed from here on, whatever the outcome, so one bad mutation never blocks the queue.
        last = item.id();
        let sent = match item {
            PushItem::Known(m) => m,
            PushItem::Unreadable { id, code, reason } => {
                results.push(MutationResult::rejected(*id, *code, reason.clone()));
                continue;
            }
        };
        // A clock far ahead must not win every concurrent edit: the edit counts as made no
        // later than the server's time plus the tolerance.
        let clamped;
        let m = if sent.at > now.saturating_add(CLOCK_TOLERANCE_MS) {
            clamped = Mutation { at: now.saturating_add(CLOCK_TOLERANCE_MS), ..sent.clone() };
            &clamped
        } else {
            sent
        };
        let current = match changed.get(&m.entity_id) {
            Some(t) => Some(t.clone()),
            None => {
                let found = stored(m.entity_id)?;
                if let Some(t) = &found {
                    before.insert(m.entity_id, t.record.rev);
                }
                found
            }
        };
        if let Err((code, reason)) = check(m, current.as_ref()) {
            results.push(MutationResult::rejected(m.id, code, reason));
            continue;
        }
        let outcome = match apply(current.as_ref(), m, author, version + 1) {
            Ok(o) => o,
            Err(e) => {
                results.push(MutationResult::rejected(m.id, e.code(), e.to_string()));
                continue;
            }
        };
        if outcome.changed {
            version += 1;
            let mut tracked = outcome.tracked.clone();
            record_change(&mut tracked, current.as_ref(), sent, author, now);
            changed.insert(m.entity_id, tracked);
        }
        let status = if outcome.lost.is_empty() { MutationStatus::Applied } else { MutationStatus::Conflict };
        for lost in outcome.lost {
            version += 1;
            let conflict = conflict_record(&outcome.tracked.record, lost, new_id(), version);
            changed.insert(conflict.record.id, conflict);
        }
        results.push(MutationResult { id: m.id, status, code: None, reason: None });
    }

    let mut records: Vec<Tracked> = changed.into_values().collect();
    sort_by_rank(&mut records, |t| Rank::num(t.record.rev as i64));
    let replaced_revs = records.iter().filter_map(|t| before.get(&t.record.id).copied()).collect();
    Ok(PushPlan { records, replaced_revs, version, last_mutation_id: last, results })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::convert::Infallible;

    fn m(id: u64, op: MutationOp) -> Mutation {
        Mutation { id, kind: Kind::Activity, entity_id: Uuid::from_u128(7), at: id as i64 * 1000, op }
    }

    /// The push of `mutations` by `author` onto an empty store, at a server time after them all.
    fn run(author: &Author, mutations: &[Mutation], new_id: impl FnMut() -> Uuid) -> PushPlan {
        let items: Vec<PushItem> = mutations.iter().cloned().map(PushItem::from).collect();
        let input = PushInput { version: 0, last_mutation_id: 0, author, now: 1_000_000, items: &items };
        process_push(|_| Ok::<_, Infallible>(None), |_| Ok(None), input, |_, _| Ok(()), new_id).unwrap()
    }

    fn put(id: u64, base_rev: u64, fields: serde_json::Value) -> Mutation {
        m(id, MutationOp::Put { base_rev, fields: fields.as_object().unwrap().clone() })
    }

    #[test]
    fn history_says_who_changed_which_fields() {
        let author = Author { client_id: Uuid::from_u128(1), name: "Anna".into() };
        let goal = Uuid::from_u128(9);
        let mutations = [
            put(
                1,
                0,
                json!({"strategic_goal_id": goal, "title": "Workshops", "status": "not_started", "position": 1}),
            ),
            put(2, 1, json!({"status": "in_progress", "title": "Workshops"})),
            m(3, MutationOp::Delete { base_rev: 2 }),
            m(4, MutationOp::Restore { base_rev: 3 }),
            put(5, 4, json!({"status": "in_progress"})),
        ];
        let plan = run(&author, &mutations, || Uuid::from_u128(99));
        let history = &plan.records[0].history;
        let ops: Vec<ChangeOp> = history.iter().map(|c| c.op).collect();
        // The last put repeats a value: nothing a person would look for in the history.
        assert_eq!(ops, [ChangeOp::Created, ChangeOp::Changed, ChangeOp::Deleted, ChangeOp::Restored]);
        assert!(history[0].fields.is_empty(), "a creation's values are the record's own");
        assert_eq!(Value::Object(history[1].fields.clone()), json!({"status": "in_progress"}));
        assert!(history.iter().all(|c| c.by == "Anna"));
        assert_eq!(history.iter().map(|c| c.rev).collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[test]
    fn history_keeps_the_newest_entries() {
        let author = Author { client_id: Uuid::from_u128(1), name: "Bo".into() };
        let mut mutations = vec![Mutation {
            id: 1,
            kind: Kind::Funds,
            entity_id: Uuid::from_u128(7),
            at: 1,
            op: MutationOp::Put { base_rev: 0, fields: Map::from_iter([("granted_sek".into(), json!(0))]) },
        }];
        for id in 2..=(HISTORY_LIMIT as u64 + 10) {
            mutations.push(Mutation {
                id,
                kind: Kind::Funds,
                entity_id: Uuid::from_u128(7),
                at: id as i64,
                op: MutationOp::Add { field: "granted_sek".into(), by: 1 },
            });
        }
        let plan = run(&author, &mutations, Uuid::nil);
        let t = &plan.records[0];
        assert_eq!(t.history.len(), HISTORY_LIMIT);
        assert!(t.history_truncated);
        assert_eq!(t.history.last().unwrap().rev, HISTORY_LIMIT as u64 + 10);
        assert_eq!(t.history.last().unwrap().op, ChangeOp::Added);
    }
}
