//! The merge rules of sync protocol v1 (DESIGN.md, guarantees 4–6), as one pure function that
//! the server runs to apply a pushed mutation and the browser runs to show pending edits.
//!
//! Field-level merge: a `put` changes only the fields it names. A field changed by another
//! client after the mutation's `base_rev` makes the edit concurrent: the later `at` wins (ties by
//! client id), and the losing value comes back as a [`LostEdit`] for a person to review. Counters
//! change by deltas (`add`). Deletes are tombstones; a `put` never revives one, its values are
//! returned as lost edits instead.

use crate::order::{sort_by_rank, Rank};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;
use uuid::Uuid;

use crate::kind::Kind;
use crate::validate::{validate_fields, ValidationError};
use crate::wire::{Change, Mutation, MutationOp, Record, RejectCode};

/// Who made a mutation.
#[derive(Debug, Clone, PartialEq)]
pub struct Author {
    pub client_id: Uuid,
    /// Display name, shown in conflicts ("Anna satte …").
    pub name: String,
}

/// One client's setting of a field: the server version it got, and the edit's own time and
/// client for the tie-break between concurrent edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assertion {
    pub rev: u64,
    pub at: i64,
    pub client_id: Uuid,
    pub by: String,
}

/// Who set a field's current value: the winning edit, and other clients that concurrently set
/// the very same value (so that, when the value later changes under them, each of them hears
/// of it, not only the last one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldStamp {
    #[serde(flatten)]
    pub winner: Assertion,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Assertion>,
}

impl FieldStamp {
    fn all(&self) -> impl Iterator<Item = &Assertion> {
        std::iter::once(&self.winner).chain(&self.also)
    }
}

/// A record as the server keeps it: the wire record plus a stamp per changed field. Records
/// written before any mutation (the default plan) have no stamps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tracked {
    pub record: Record,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub stamps: BTreeMap<String, FieldStamp>,
    /// Who changed what and when, oldest first, at most [`crate::wire::HISTORY_LIMIT`] entries.
    /// Written by the server's push ([`crate::push::process_push`]); the browser's copies have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Change>,
    /// True once older history entries were dropped.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub history_truncated: bool,
}

impl Tracked {
    /// A record without stamps (the browser's copy, or one written by the server itself).
    pub fn plain(record: Record) -> Self {
        Tracked { record, stamps: BTreeMap::new(), history: Vec::new(), history_truncated: false }
    }
}

/// What a counter refusal says can be added to: the kind's counters, or that it has none.
fn counters_phrase(kind: Kind, allowed: &str) -> String {
    if allowed.is_empty() {
        format!("a {kind} has no field that can be added to")
    } else {
        format!("only {allowed} can be added to")
    }
}

/// A value that lost to a concurrent edit (or reached a deleted record), kept for a person.
#[derive(Debug, Clone, PartialEq)]
pub struct LostEdit {
    pub field: String,
    pub kept_value: Value,
    pub lost_value: Value,
    pub lost_by: String,
    pub lost_at: i64,
    /// Who set the kept value and when (device time), when known: a person choosing between
    /// the two wants both names. Unknown for values from the default plan.
    pub kept_by: Option<String>,
    pub kept_at: Option<i64>,
}

/// The result of applying one mutation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The record afterwards. When `changed`, its `rev` is the `new_rev` passed in.
    pub tracked: Tracked,
    /// False when the record is exactly as before (nothing to write).
    pub changed: bool,
    pub lost: Vec<LostEdit>,
}

/// Why a mutation cannot be applied; shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Rejection {
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("there is no record {0} to change")]
    NoSuchRecord(Uuid),
    #[error("record {id} is a {stored}, not a {sent}")]
    KindMismatch { id: Uuid, stored: Kind, sent: Kind },
    #[error("`{field}` of a {kind} is not a counter; {}", counters_phrase(*kind, allowed))]
    NotACounter { kind: Kind, field: String, allowed: String },
    #[error("adding {by} to `{field}` goes beyond the largest allowed number")]
    Overflow { field: String, by: i64 },
    #[error("a put must name at least one field")]
    EmptyPut,
}

impl Rejection {
    /// The code the push answer carries next to the reason.
    pub fn code(&self) -> RejectCode {
        match self {
            Rejection::Invalid(ValidationError::TooLarge { .. }) => RejectCode::TooLarge,
            Rejection::Invalid(_) | Rejection::NotACounter { .. } | Rejection::Overflow { .. } => {
                RejectCode::InvalidField
            }
            Rejection::NoSuchRecord(_) => RejectCode::NoSuchRecord,
            Rejection::KindMismatch { .. } => RejectCode::KindMismatch,
            Rejection::EmptyPut => RejectCode::InvalidMutation,
        }
    }
}

/// The fields of a kind that change by deltas (`add`).
pub fn counter_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Funds => &["allocated_sek", "granted_sek", "paid_sek"],
        _ => &[],
    }
}

fn assertion(m: &Mutation, author: &Author, rev: u64) -> Assertion {
    Assertion { rev, at: m.at, client_id: author.client_id, by: author.name.clone() }
}

fn stamp(m: &Mutation, author: &Author, rev: u64) -> FieldStamp {
    FieldStamp { winner: assertion(m, author, rev), also: Vec::new() }
}

/// Applies `m` by `author` to `current` (None: the record does not exist yet). `new_rev` is the
/// version the record gets if it changes. Pure: the caller stores the outcome.
///
/// Every value that could be stored must validate, not only the ones that win: a put is checked
/// as the record it would make on its own (the current fields with the put's on top), so a
/// value that loses to a concurrent edit, or reaches a tombstone, is refused just the same before
/// it could be kept in a `conflict`. The merged result is checked too.
pub fn apply(
    current: Option<&Tracked>,
    m: &Mutation,
    author: &Author,
    new_rev: u64,
) -> Result<Outcome, Rejection> {
    if let MutationOp::Put { fields, .. } = &m.op {
        match current {
            _ if fields.is_empty() => {}
            // A new record without nulls is its own candidate: no copy needed.
            None if !fields.values().any(Value::is_null) => validate_fields(m.kind, fields)?,
            Some(c) if c.record.kind != m.kind => {}
            _ => {
                let mut candidate = current.map(|c| c.record.fields.clone()).unwrap_or_default();
                for (field, value) in fields {
                    if value.is_null() {
                        candidate.remove(field);
                    } else {
                        candidate.insert(field.clone(), value.clone());
                    }
                }
                validate_fields(m.kind, &candidate)?;
            }
        }
    }
    let outcome = merge(current, m, author, new_rev)?;
    // A live put that lost nothing made exactly the candidate checked above.
    let checked = matches!(m.op, MutationOp::Put { .. }) && outcome.lost.is_empty();
    if outcome.changed && !checked {
        validate_fields(outcome.tracked.record.kind, &outcome.tracked.record.fields)?;
    }
    Ok(outcome)
}

/// [`apply`] without the final validation: for showing pending edits in the browser, where the
/// server's verdict comes later and the validation code of every kind would cost download size.
pub fn merge(
    current: Option<&Tracked>,
    m: &Mutation,
    author: &Author,
    new_rev: u64,
) -> Result<Outcome, Rejection> {
    if let Some(cur) = current {
        if cur.record.kind != m.kind {
            return Err(Rejection::KindMismatch { id: m.entity_id, stored: cur.record.kind, sent: m.kind });
        }
    }
    let mut next = current.cloned().unwrap_or_else(|| {
        Tracked::plain(Record { kind: m.kind, id: m.entity_id, rev: 0, deleted: false, fields: Map::new() })
    });
    let mut lost = Vec::new();
    // A record being created needs no stamps: nobody can have edited it without having seen it,
    // so every later edit's base_rev is at least its creation version.
    let mut changed = current.is_none();

    match &m.op {
        MutationOp::Put { base_rev, fields } => {
            if fields.is_empty() {
                return Err(Rejection::EmptyPut);
            }
            if next.record.deleted {
                // Guarantee 6: no revival; every differing value is kept as a lost edit.
                for (field, value) in fields {
                    let kept = next.record.fields.get(field).cloned().unwrap_or(Value::Null);
                    if kept != *value {
                        // Kept because the record was deleted, not because someone set it at
                        // the same time: no name to give.
                        lost.push(LostEdit {
                            field: field.clone(),
                            kept_value: kept,
                            lost_value: value.clone(),
                            lost_by: author.name.clone(),
                            lost_at: m.at,
                            kept_by: None,
                            kept_at: None,
                        });
                    }
                }
                return Ok(Outcome { tracked: next, changed: false, lost });
            }
            for (field, value) in fields {
                let kept = next.record.fields.get(field).cloned().unwrap_or(Value::Null);
                let previous = next.stamps.get(field).cloned();
                // Edits this one did not see: made by others after its base version.
                let unseen: Vec<&Assertion> = previous
                    .iter()
                    .flat_map(FieldStamp::all)
                    .filter(|a| a.rev > *base_rev && a.client_id != author.client_id)
                    .collect();
                let rival = unseen.iter().max_by_key(|a| (a.at, a.client_id));
                let mine_wins = rival.is_none_or(|r| (m.at, author.client_id) > (r.at, r.client_id));
                let mine = assertion(m, author, new_rev);
                if mine_wins && kept != *value {
                    for a in &unseen {
                        lost.push(LostEdit {
                            field: field.clone(),
                            kept_value: value.clone(),
                            lost_value: kept.clone(),
                            lost_by: a.by.clone(),
                            lost_at: a.at,
                            kept_by: Some(author.name.clone()),
                            kept_at: Some(m.at),
                        });
                    }
                    if value.is_null() {
                        next.record.fields.remove(field);
                    } else {
                        next.record.fields.insert(field.clone(), value.clone());
                    }
                    if current.is_some() {
                        next.stamps.insert(field.clone(), FieldStamp { winner: mine, also: Vec::new() });
                    }
                } else if kept == *value {
                    // The same value again: stamped all the same, since its author asserted it
                    // at `at` and an older concurrent edit must lose to it in any arrival order.
                    // Everyone who set it is remembered, the latest as the winner.
                    let mut everyone: Vec<Assertion> =
                        previous.iter().flat_map(FieldStamp::all).cloned().collect();
                    everyone.retain(|a| a.client_id != author.client_id);
                    everyone.push(mine);
                    sort_by_rank(&mut everyone, |a| Rank::num(a.at).then_id(a.client_id));
                    let Some(winner) = everyone.pop() else {
                        continue;
                    };
                    next.stamps.insert(field.clone(), FieldStamp { winner, also: everyone });
                } else {
                    let setter = previous.as_ref().map(|s| &s.winner);
                    lost.push(LostEdit {
                        field: field.clone(),
                        kept_value: kept,
                        lost_value: value.clone(),
                        lost_by: author.name.clone(),
                        lost_at: m.at,
                        kept_by: setter.map(|w| w.by.clone()),
                        kept_at: setter.map(|w| w.at),
                    });
                    continue;
                }
                changed = true;
            }
        }
        MutationOp::Delete { .. } => {
            if current.is_none() {
                return Err(Rejection::NoSuchRecord(m.entity_id));
            }
            changed = !next.record.deleted;
            next.record.deleted = true;
        }
        MutationOp::Restore { .. } => {
            if current.is_none() {
                return Err(Rejection::NoSuchRecord(m.entity_id));
            }
            changed = next.record.deleted;
            next.record.deleted = false;
        }
        MutationOp::Add { field, by } => {
            let allowed = counter_fields(m.kind);
            if !allowed.contains(&field.as_str()) {
                return Err(Rejection::NotACounter {
                    kind: m.kind,
                    field: field.clone(),
                    allowed: allowed.join(", "),
                });
            }
            let old = next.record.fields.get(field).and_then(Value::as_i64).unwrap_or(0);
            let sum = old.checked_add(*by).ok_or(Rejection::Overflow { field: field.clone(), by: *by })?;
            next.record.fields.insert(field.clone(), Value::from(sum));
            if current.is_some() {
                next.stamps.insert(field.clone(), stamp(m, author, new_rev));
            }
            changed = changed || *by != 0;
        }
    }

    if changed {
        next.record.rev = new_rev;
    } else {
        next = current.cloned().unwrap_or(next);
    }
    Ok(Outcome { tracked: next, changed, lost })
}

#[cfg(test)]
mod tests;
