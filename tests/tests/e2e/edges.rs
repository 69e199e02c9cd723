//! The server's half of "never lose an edit at the edges" (issue 9): only valid records are
//! stored, whatever path a value takes; rejections carry codes; a replay gets its original
//! answer; an unknown mutation is rejected alone; a clock far ahead is clamped.

use serde_json::{json, Value};
use tavla_shared::values::Role;
use tavla_shared::wire::{MutationStatus, RejectCode};
use tavla_shared::Kind;
use uuid::Uuid;

use tavla_tests::helpers::{find, only, spawn_app, spawn_app_with_users, TestApp};

fn put(n: u64, kind: &str, id: Uuid, base_rev: u64, at: i64, fields: Value) -> Value {
    json!({ "id": n, "kind": kind, "entity_id": id, "op": "put", "base_rev": base_rev, "at": at, "fields": fields })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

/// A server with a board member `bo` besides the admin; returns (app, admin token, bo's token).
async fn with_board_member() -> (TestApp, String, String) {
    let app = spawn_app_with_users(&[("bo", Role::Board, "styrelsens lösenord")]).await;
    let admin = app.admin_token().await;
    let bo = app.token_for("bo", "styrelsens lösenord").await;
    (app, admin, bo)
}

/// Makes a conflict on an activity's status and returns the conflict record.
async fn a_conflict(app: &TestApp, token: &str) -> tavla_shared::Record {
    let activity = find(&app.snapshot(token).await, Kind::Activity, "title", "Landsbygdsting");
    let edit = |status: &str, at: i64| {
        json!([put(1, "activity", activity.id, activity.rev, at, json!({ "status": status }))])
    };
    app.push(token, Uuid::new_v4(), edit("paused", 2_000)).await;
    app.push(token, Uuid::new_v4(), edit("done", 1_000)).await;
    app.snapshot(token).await.into_values().find(|r| r.kind == Kind::Conflict).expect("a conflict")
}

#[tokio::test]
async fn resolved_of_a_conflict_cannot_be_removed_or_set_to_anything_but_true_or_false() {
    let (app, admin, bo) = with_board_member().await;
    let conflict = a_conflict(&app, &admin).await;
    for (n, value) in [(1, json!(null)), (2, json!("yes")), (3, json!(1))] {
        let res = app
            .push(
                &admin,
                Uuid::new_v4(),
                json!([put(n, "conflict", conflict.id, conflict.rev, 5, json!({ "resolved": value }))]),
            )
            .await;
        assert_eq!(res.results[0].status, MutationStatus::Rejected, "{value}");
        assert_eq!(res.results[0].code, Some(RejectCode::InvalidField), "{value}");
    }
    // A board member may not resolve a conflict about an activity, which they may not edit.
    let res = app
        .push(
            &bo,
            Uuid::new_v4(),
            json!([put(1, "conflict", conflict.id, conflict.rev, 5, json!({ "resolved": true }))]),
        )
        .await;
    assert_eq!(res.results[0].code, Some(RejectCode::Forbidden));
    let stored = &app.snapshot(&admin).await[&conflict.id];
    assert_eq!(stored.fields["resolved"], false, "still there, still a boolean");
}

#[tokio::test]
async fn a_value_that_loses_a_concurrent_edit_or_reaches_a_tombstone_must_still_be_valid() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Dialog med Länsstyrelsen");
    let id = activity.id;
    app.push(
        &token,
        Uuid::new_v4(),
        json!([put(1, "activity", id, activity.rev, 9_000, json!({ "notes": "vinnaren" }))]),
    )
    .await;
    let before = app.snapshot(&token).await;

    // Older edits that would lose: hostile values must not be planted in a conflict.
    let hostile = [
        json!({ "notes": { "nested": [1, 2, 3] } }),
        json!({ "notes": "x".repeat(10_001) }),
        json!({ "colour": "red" }),
    ];
    for (n, fields) in hostile.iter().enumerate() {
        let res = app
            .push(
                &token,
                Uuid::new_v4(),
                json!([put(n as u64 + 1, "activity", id, activity.rev, 1_000, fields.clone())]),
            )
            .await;
        assert_eq!(res.results[0].status, MutationStatus::Rejected, "{fields}");
        assert_eq!(res.results[0].code, Some(RejectCode::InvalidField));
    }
    assert_eq!(app.snapshot(&token).await, before, "no conflict kept a hostile value");

    // The same on a tombstone.
    let rev = before[&id].rev;
    app.push(&token, Uuid::new_v4(), json!([{ "id": 1, "kind": "activity", "entity_id": id, "op": "delete", "base_rev": rev, "at": 10_000 }])).await;
    let before = app.snapshot(&token).await;
    let res = app
        .push(
            &token,
            Uuid::new_v4(),
            json!([put(1, "activity", id, rev, 11_000, json!({ "planted": "x".repeat(5000) }))]),
        )
        .await;
    assert_eq!(res.results[0].code, Some(RejectCode::InvalidField));
    assert_eq!(app.snapshot(&token).await, before);
}

#[tokio::test]
async fn a_record_larger_than_a_client_may_write_is_refused_as_too_large() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let partner = find(&app.snapshot(&token).await, Kind::Partner, "name", "Coompanion");
    // Three free texts at their length limit in four-byte characters: 120 KB of JSON.
    let long = "🌾".repeat(tavla_shared::protocol::LONG_TEXT_MAX);
    let fields = json!({ "partner_id": partner.id, "date": "2026-11-28", "channel": "meeting",
        "summary": long, "participants": long, "next_step": long });
    let res =
        app.push(&token, Uuid::new_v4(), json!([put(1, "dialogue", Uuid::new_v4(), 0, 1, fields)])).await;
    assert_eq!(res.results[0].status, MutationStatus::Rejected);
    assert_eq!(res.results[0].code, Some(RejectCode::TooLarge));
    assert!(res.results[0].reason.as_deref().unwrap_or("").contains("at most 65536"), "{:?}", res.results[0]);
    // One such text alone fits.
    let ok = json!({ "partner_id": partner.id, "date": "2026-11-28", "channel": "meeting", "summary": long });
    let res = app.push(&token, Uuid::new_v4(), json!([put(1, "dialogue", Uuid::new_v4(), 0, 1, ok)])).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
}

#[tokio::test]
async fn a_mutation_of_an_unknown_kind_or_op_is_rejected_alone_and_the_rest_apply() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Landsbygdsting");
    let client = Uuid::new_v4();
    let res = app
        .push(&token, client, json!([
            { "id": 1, "kind": "survey", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1, "fields": { "q": 1 } },
            { "id": 2, "kind": "activity", "entity_id": activity.id, "op": "archive", "at": 1 },
            { "id": 3, "kind": "activity", "entity_id": activity.id, "op": "put", "at": 1 },
            put(4, "activity", activity.id, activity.rev, 1, json!({ "status": "done" })),
        ]))
        .await;
    let codes: Vec<_> = res.results.iter().map(|r| (r.id, r.status, r.code)).collect();
    assert_eq!(
        codes,
        [
            (1, MutationStatus::Rejected, Some(RejectCode::UnknownKind)),
            (2, MutationStatus::Rejected, Some(RejectCode::UnknownOp)),
            (3, MutationStatus::Rejected, Some(RejectCode::InvalidMutation)),
            (4, MutationStatus::Applied, None),
        ]
    );
    assert!(res.results[0].reason.as_deref().unwrap_or("").contains("survey"));
    assert_eq!(res.last_mutation_id, 4);
    assert_eq!(app.snapshot(&token).await[&activity.id].fields["status"], "done");
}

#[tokio::test]
async fn a_replay_gets_its_original_result_and_one_older_than_the_kept_results_already_applied() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Landsbygdsting");
    let client = Uuid::new_v4();
    let first = json!([
        put(1, "activity", activity.id, activity.rev, 1, json!({ "status": "finished" })),
        put(2, "activity", activity.id, activity.rev, 2, json!({ "status": "done" })),
    ]);
    let answer = app.push(&token, client, first.clone()).await;
    // The answer was lost on the way: the device sends the same again.
    let again = app.push(&token, client, first).await;
    assert_eq!(again.results, answer.results, "the same answer, rejection and reason included");
    assert_eq!(again.results[0].code, Some(RejectCode::InvalidField));

    // 1,001 more mutations push the first results out of what is kept.
    let funds = only(&app.snapshot(&token).await, Kind::Funds).id;
    let adds: Vec<Value> = (3..=1003)
        .map(|n| json!({ "id": n, "kind": "funds", "entity_id": funds, "op": "add", "field": "paid_sek", "by": 1, "at": n }))
        .collect();
    app.push(&token, client, json!(adds[..1000])).await;
    app.push(&token, client, json!(adds[1000..])).await;
    let old = app
        .push(
            &token,
            client,
            json!([put(2, "activity", activity.id, activity.rev, 2, json!({ "status": "done" }))]),
        )
        .await;
    assert_eq!(old.results[0].status, MutationStatus::AlreadyApplied);
    let kept = app.push(&token, client, json!([adds[999].clone()])).await;
    assert_eq!(kept.results[0].status, MutationStatus::Applied, "the newest 1,000 are kept");
    assert_eq!(app.snapshot(&token).await[&funds].fields["paid_sek"], 1001);
}

#[tokio::test]
async fn a_clock_a_year_ahead_does_not_win_against_a_later_edit() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Landsbygdsting");
    let year = 365 * 24 * 3600 * 1000_i64;
    let ahead = app
        .push(
            &token,
            Uuid::new_v4(),
            json!([put(
                1,
                "activity",
                activity.id,
                activity.rev,
                now_ms() + year,
                json!({ "status": "paused" })
            )]),
        )
        .await;
    assert_eq!(ahead.results[0].status, MutationStatus::Applied);
    // Ten minutes later, a device that had not seen it sets another value: its clock is right,
    // and the clamped edit (server time + 5 minutes) is older.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let later = now_ms() + 10 * 60 * 1000;
    let res = app
        .push(
            &token,
            Uuid::new_v4(),
            json!([put(1, "activity", activity.id, activity.rev, later, json!({ "status": "done" }))]),
        )
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Conflict);
    let records = app.snapshot(&token).await;
    assert_eq!(records[&activity.id].fields["status"], "done", "the real later edit wins");
    let conflict = records.values().find(|r| r.kind == Kind::Conflict).unwrap();
    assert_eq!(conflict.fields["lost_value"], "paused");
    assert!(conflict.fields["lost_at"].as_i64().unwrap() < now_ms() + 6 * 60 * 1000, "clamped");

    let history: Value =
        app.get(&format!("/api/v1/history/{}", activity.id), Some(&token)).await.json().await.unwrap();
    let first = &history["changes"][1];
    assert!((first["at"].as_i64().unwrap() - now_ms()).abs() < 60_000, "server time: {first}");
    assert!(first["device_at"].as_i64().unwrap() > now_ms() + year / 2, "and the device's: {first}");
}

#[tokio::test]
async fn ids_that_do_not_increase_within_a_push_are_rejected_each_with_an_answer() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let funds = only(&app.snapshot(&token).await, Kind::Funds).id;
    let add = |n: u64| json!({ "id": n, "kind": "funds", "entity_id": funds, "op": "add", "field": "paid_sek", "by": 1, "at": 1 });
    let res = app.push(&token, Uuid::new_v4(), json!([add(0), add(5), add(3), add(5), add(6)])).await;
    let seen: Vec<_> = res.results.iter().map(|r| (r.id, r.status, r.code)).collect();
    assert_eq!(
        seen,
        [
            (0, MutationStatus::Rejected, Some(RejectCode::InvalidMutation)),
            (5, MutationStatus::Applied, None),
            (3, MutationStatus::Rejected, Some(RejectCode::InvalidMutation)),
            (5, MutationStatus::Rejected, Some(RejectCode::InvalidMutation)),
            (6, MutationStatus::Applied, None),
        ]
    );
    assert_eq!(app.snapshot(&token).await[&funds].fields["paid_sek"], 2);
    // The repeated 5 was refused, but 5 itself was applied: its replay says so.
    let client = Uuid::new_v4();
    app.push(&token, client, json!([add(5), add(5)])).await;
    let replay = app.push(&token, client, json!([add(5)])).await;
    assert_eq!(replay.results[0].status, MutationStatus::Applied);
}

#[tokio::test]
async fn a_reason_never_repeats_a_large_input_and_a_large_conflict_can_still_be_resolved() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let res = app
        .push(&token, Uuid::new_v4(), json!([{ "id": 1, "kind": "k".repeat(100_000), "entity_id": Uuid::new_v4(), "op": "delete", "base_rev": 0, "at": 1 }]))
        .await;
    assert!(res.results[0].reason.as_deref().unwrap_or("").chars().count() <= 201);

    // Two offline edits of the same note at its length limit: the conflict holds both.
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Landsbygdsting");
    let note = |c: &str| c.repeat(tavla_shared::protocol::LONG_TEXT_MAX);
    app.push(
        &token,
        Uuid::new_v4(),
        json!([put(1, "activity", activity.id, activity.rev, 2_000, json!({ "notes": note("🌾") }))]),
    )
    .await;
    app.push(
        &token,
        Uuid::new_v4(),
        json!([put(1, "activity", activity.id, activity.rev, 1_000, json!({ "notes": note("🌻") }))]),
    )
    .await;
    let conflict =
        app.snapshot(&token).await.into_values().find(|r| r.kind == Kind::Conflict).expect("a conflict");
    let res = app
        .push(
            &token,
            Uuid::new_v4(),
            json!([put(1, "conflict", conflict.id, conflict.rev, 3_000, json!({ "resolved": true }))]),
        )
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results[0]);
}
