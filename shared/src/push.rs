//! Processing one push (sync protocol v1): exactly-once by the client's mutation counter, each
//! mutation merged with [`crate::merge::apply`], every lost value turned into a `conflict` record.
//! Pure, so the server runs it under its write lock and tests run it against a map.

use std::collections::HashMap;

use uuid::Uuid;

use crate::kinds::{Conflict, Kind, KindFields};
use crate::merge::{apply, Author, LostEdit, Tracked};
use crate::wire::{Mutation, MutationResult, MutationStatus, Record};

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
        resolved: false,
    };
    Tracked::plain(Record { kind: Kind::Conflict, id, rev, deleted: false, fields: conflict.to_fields() })
}

/// Applies `mutations` in order on top of the stored records (`stored`, whose errors end the
/// push), starting at global
/// `version` with the client's `last_mutation_id`. `check` refuses a mutation with a reason
/// (roles, kind rules) before it is merged; `new_id` names conflict records.
pub fn process_push<E>(
    mut stored: impl FnMut(Uuid) -> Result<Option<Tracked>, E>,
    version: u64,
    last_mutation_id: u64,
    author: &Author,
    mutations: &[Mutation],
    check: impl Fn(&Mutation, Option<&Tracked>) -> Result<(), String>,
    mut new_id: impl FnMut() -> Uuid,
) -> Result<PushPlan, E> {
    let mut version = version;
    let mut last = last_mutation_id;
    let mut changed: HashMap<Uuid, Tracked> = HashMap::new();
    let mut results = Vec::new();
    let mut before: HashMap<Uuid, u64> = HashMap::new();

    for m in mutations {
        // Guarantee 1: a replayed mutation changes nothing.
        if m.id <= last {
            continue;
        }
        // Processed from here on, whatever the outcome, so one bad mutation never blocks the queue.
        last = m.id;
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
        let reject = |reason: String| MutationResult {
            id: m.id,
            status: MutationStatus::Rejected,
            reason: Some(reason),
        };
        if let Err(reason) = check(m, current.as_ref()) {
            results.push(reject(reason));
            continue;
        }
        let outcome = match apply(current.as_ref(), m, author, version + 1) {
            Ok(o) => o,
            Err(e) => {
                results.push(reject(e.to_string()));
                continue;
            }
        };
        if outcome.changed {
            version += 1;
            changed.insert(m.entity_id, outcome.tracked.clone());
        }
        let status = if outcome.lost.is_empty() { MutationStatus::Applied } else { MutationStatus::Conflict };
        for lost in outcome.lost {
            version += 1;
            let conflict = conflict_record(&outcome.tracked.record, lost, new_id(), version);
            changed.insert(conflict.record.id, conflict);
        }
        results.push(MutationResult { id: m.id, status, reason: None });
    }

    let mut records: Vec<Tracked> = changed.into_values().collect();
    records.sort_by_key(|t| t.record.rev);
    let replaced_revs = records.iter().filter_map(|t| before.get(&t.record.id).copied()).collect();
    Ok(PushPlan { records, replaced_revs, version, last_mutation_id: last, results })
}
