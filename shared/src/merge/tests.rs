//! Table-driven checks of the merge rules.

use serde_json::{json, Value};
use uuid::Uuid;

use super::*;
use crate::wire::MutationOp;

const ANNA: u128 = 1;
const BO: u128 = 2;

fn author(n: u128) -> Author {
    Author { client_id: Uuid::from_u128(n), name: if n == ANNA { "Anna".into() } else { "Bo".into() } }
}

fn activity(rev: u64) -> Tracked {
    let fields = json!({"strategic_goal_id": Uuid::from_u128(9), "title": "Delta på Landsbygdsting",
        "status": "not_started", "position": 1});
    Tracked::plain(Record {
        kind: Kind::Activity,
        id: Uuid::from_u128(100),
        rev,
        deleted: false,
        fields: fields.as_object().unwrap().clone(),
    })
}

fn put(base_rev: u64, at: i64, fields: Value) -> Mutation {
    Mutation {
        id: 1,
        kind: Kind::Activity,
        entity_id: Uuid::from_u128(100),
        at,
        op: MutationOp::Put { base_rev, fields: fields.as_object().unwrap().clone() },
    }
}

fn op(kind: Kind, op: MutationOp) -> Mutation {
    Mutation { id: 1, kind, entity_id: Uuid::from_u128(100), at: 1, op }
}

#[test]
fn a_put_changes_only_its_fields_and_stamps_them() {
    let out = apply(Some(&activity(5)), &put(5, 10, json!({"status": "done"})), &author(ANNA), 6).unwrap();
    assert!(out.changed && out.lost.is_empty());
    assert_eq!(out.tracked.record.rev, 6);
    assert_eq!(out.tracked.record.fields["status"], "done");
    assert_eq!(out.tracked.record.fields["title"], "Delta på Landsbygdsting");
    assert_eq!(out.tracked.stamps["status"].winner.rev, 6);
    assert_eq!(out.tracked.stamps["status"].winner.by, "Anna");
}

#[test]
fn concurrent_edits_later_at_wins_and_the_loser_is_kept() {
    // Anna set "done" at t=10 (rev 6). Bo, who had seen rev 5, sets "paused".
    let after_anna =
        apply(Some(&activity(5)), &put(5, 10, json!({"status": "done"})), &author(ANNA), 6).unwrap().tracked;
    let cases = [
        // (Bo's at, expected value, kept, lost, lost_by, kept_by and kept_at)
        (20, "paused", "paused", "done", "Anna", ("Bo", 20)),
        (5, "done", "done", "paused", "Bo", ("Anna", 10)),
        // Equal times: the larger client id (Bo) wins.
        (10, "paused", "paused", "done", "Anna", ("Bo", 10)),
    ];
    for (at, value, kept, lost, lost_by, (kept_by, kept_at)) in cases {
        let out = apply(Some(&after_anna), &put(5, at, json!({"status": "paused"})), &author(BO), 7).unwrap();
        assert_eq!(out.tracked.record.fields["status"], value, "at {at}");
        assert_eq!(out.lost.len(), 1, "at {at}");
        let l = &out.lost[0];
        assert_eq!(
            (l.kept_value.as_str(), l.lost_value.as_str(), l.lost_by.as_str()),
            (Some(kept), Some(lost), lost_by)
        );
        assert_eq!((l.kept_by.as_deref(), l.kept_at), (Some(kept_by), Some(kept_at)), "both names, at {at}");
    }
}

#[test]
fn an_edit_that_saw_the_other_change_is_not_concurrent() {
    let after_anna =
        apply(Some(&activity(5)), &put(5, 10, json!({"status": "done"})), &author(ANNA), 6).unwrap().tracked;
    let out = apply(Some(&after_anna), &put(6, 1, json!({"status": "paused"})), &author(BO), 7).unwrap();
    assert_eq!(out.tracked.record.fields["status"], "paused");
    assert!(out.lost.is_empty());
    // The same client's own later edit is never concurrent with its earlier one.
    let out = apply(Some(&after_anna), &put(5, 1, json!({"status": "paused"})), &author(ANNA), 7).unwrap();
    assert!(out.lost.is_empty());
}

#[test]
fn a_put_to_a_deleted_record_does_not_revive_it() {
    let mut gone = activity(5);
    gone.record.deleted = true;
    let out = apply(
        Some(&gone),
        &put(5, 10, json!({"status": "done", "title": "Delta på Landsbygdsting"})),
        &author(BO),
        6,
    )
    .unwrap();
    assert!(!out.changed && out.tracked.record.deleted);
    assert_eq!(out.lost.len(), 1, "only the differing value is lost");
    assert_eq!(out.lost[0].lost_value, "done");
}

#[test]
fn invalid_results_are_rejected_and_change_nothing() {
    let cases = [
        (put(5, 1, json!({"status": "finished"})), "unknown variant"),
        (put(5, 1, json!({"colour": "red"})), "unknown field"),
        (put(5, 1, json!({"title": null})), "missing field `title`"),
        (put(5, 1, json!({})), "at least one field"),
        (
            op(Kind::Funds, MutationOp::Add { field: "granted_sek".into(), by: 1 }),
            "is a activity, not a funds",
        ),
        (op(Kind::Activity, MutationOp::Add { field: "position".into(), by: 1 }), "not a counter"),
    ];
    for (m, words) in cases {
        let err = apply(Some(&activity(5)), &m, &author(ANNA), 6).unwrap_err().to_string();
        assert!(err.contains(words), "«{words}» in «{err}»");
    }
    let err =
        apply(None, &op(Kind::Activity, MutationOp::Delete { base_rev: 0 }), &author(ANNA), 1).unwrap_err();
    assert!(matches!(err, Rejection::NoSuchRecord(_)));
}

#[test]
fn counters_add_up_and_delete_restore_round_trip() {
    let add = |by| op(Kind::Funds, MutationOp::Add { field: "granted_sek".into(), by });
    let first = apply(None, &add(250_000), &author(ANNA), 1).unwrap().tracked;
    let second = apply(Some(&first), &add(-50_000), &author(BO), 2).unwrap().tracked;
    assert_eq!(second.record.fields["granted_sek"], 200_000);
    let err = apply(Some(&second), &add(-300_000), &author(BO), 3).unwrap_err().to_string();
    assert!(err.contains("between 0 and"), "{err}");
    let err = apply(Some(&second), &add(i64::MAX), &author(BO), 3).unwrap_err();
    assert!(matches!(err, Rejection::Overflow { .. } | Rejection::Invalid(_)));

    let deleted =
        apply(Some(&activity(5)), &op(Kind::Activity, MutationOp::Delete { base_rev: 5 }), &author(ANNA), 6)
            .unwrap();
    assert!(deleted.changed && deleted.tracked.record.deleted);
    let again = apply(
        Some(&deleted.tracked),
        &op(Kind::Activity, MutationOp::Delete { base_rev: 6 }),
        &author(ANNA),
        7,
    )
    .unwrap();
    assert!(!again.changed && again.tracked.record.rev == 6);
    let back = apply(
        Some(&deleted.tracked),
        &op(Kind::Activity, MutationOp::Restore { base_rev: 6 }),
        &author(ANNA),
        7,
    )
    .unwrap();
    assert!(back.changed && !back.tracked.record.deleted);
    assert_eq!(back.tracked.record.fields, activity(5).record.fields);
}
