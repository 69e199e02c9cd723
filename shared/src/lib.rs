//! Tavla's shared vocabulary: the record kinds of the planning board, their validation, and the
//! wire types of sync protocol v1 (see `docs/sync-protocol.md`).
//!
//! Architecture invariant: this crate is pure. It never depends on leptos, axum, sled, tokio or
//! web-sys, so the server and the browser run exactly the same rules.

pub mod activity_filter;
pub mod board;
pub mod board_pack;
pub mod calendar;
pub mod client;
pub mod csv;
pub mod date;
pub mod dialogue_stats;
pub mod edit;
pub mod export;
pub mod follow_ups;
pub mod funnel;
pub mod ical;
pub mod idea_filter;
pub mod import;
pub mod kind;
pub mod kinds;
pub mod marketing;
pub mod merge;
pub mod money;
pub mod order;
pub mod partners;
pub mod people;
pub mod plan_view;
pub mod privacy;
pub mod protocol;
pub mod push;
pub mod report;
pub mod rules;
pub mod share;
pub mod validate;
pub mod values;
pub mod weeks;
pub mod wire;

pub use kind::Kind;
pub use kinds::KindFields;
pub use validate::{validate_fields, ValidationError};
pub use wire::Record;

/// Helpers for this crate's unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::{Kind, Record};

    /// A live record of `kind` with id `n` (as a UUID) and the given JSON fields.
    pub fn record(kind: Kind, n: u128, fields: serde_json::Value) -> Record {
        let fields = fields.as_object().cloned().unwrap_or_default();
        Record { kind, id: uuid::Uuid::from_u128(n), rev: 1, deleted: false, fields }
    }
}
