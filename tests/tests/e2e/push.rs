//! `sync/push` and `sync/events` as an outside client sees them (sync protocol v1).

use reqwest::StatusCode;
use serde_json::json;
use tavla_shared::values::Role;
use tavla_shared::wire::MutationStatus;
use tavla_shared::Kind;
use uuid::Uuid;

use tavla_tests::helpers::{add_user, assert_error, find, only, spawn_app, spawn_app_with_users, start_on};

#[tokio::test]
async fn a_pushed_edit_is_pulled_once_with_its_new_version() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let before = app.snapshot(&token).await;
    let activity = find(&before, Kind::Activity, "title", "Landsbygdsting");
    let version = app.version().await;

    let client = Uuid::new_v4();
    let res = app
        .push(
            &token,
            client,
            json!([{ "id": 1, "kind": "activity", "entity_id": activity.id, "op": "put",
            "base_rev": activity.rev, "at": 1_764_256_412_345_i64,
            "fields": { "status": "done", "due_on": "2026-06-30", "notes": "Anmälda: 3" } }]),
        )
        .await;
    assert_eq!(res.last_mutation_id, 1);
    assert_eq!(res.results[0].status, MutationStatus::Applied);

    let page = app.pull(&token, client, version, 100).await;
    assert_eq!(page.records.len(), 1, "only the changed record");
    let r = &page.records[0];
    assert_eq!((r.id, r.rev), (activity.id, version + 1));
    assert_eq!(r.fields["status"], "done");
    assert_eq!(r.fields["due_on"], "2026-06-30");
    assert_eq!(r.fields["title"], activity.fields["title"], "other fields untouched");
    assert_eq!(page.last_mutation_id, 1);
}

#[tokio::test]
async fn a_replayed_push_changes_nothing() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let funds = only(&app.snapshot(&token).await, Kind::Funds).id;
    let client = Uuid::new_v4();
    let mutations = json!([
        { "id": 1, "kind": "funds", "entity_id": funds, "op": "add", "field": "granted_sek", "by": 250000, "at": 1 },
        { "id": 2, "kind": "funds", "entity_id": funds, "op": "add", "field": "paid_sek", "by": 1000, "at": 2 },
    ]);
    app.push(&token, client, mutations.clone()).await;
    let version = app.version().await;
    let snapshot = app.snapshot(&token).await;

    let again = app.push(&token, client, mutations).await;
    assert_eq!(again.last_mutation_id, 2);
    let statuses: Vec<_> = again.results.iter().map(|r| (r.id, r.status)).collect();
    assert_eq!(
        statuses,
        [(1, MutationStatus::Applied), (2, MutationStatus::Applied)],
        "the original results"
    );
    assert_eq!(app.version().await, version);
    assert_eq!(app.snapshot(&token).await, snapshot);
    assert_eq!(snapshot[&funds].fields["granted_sek"], 250000);
}

#[tokio::test]
async fn concurrent_edits_keep_the_later_one_and_record_the_other_in_a_conflict() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Dialog med Länsstyrelsen");
    let put = |status: &str, at: i64| {
        json!([{ "id": 1, "kind": "activity", "entity_id": activity.id, "op": "put",
            "base_rev": activity.rev, "at": at, "fields": { "status": status } }])
    };
    // Both edited offline from the same version; the paused edit was made later.
    let first = app.push(&token, Uuid::new_v4(), put("paused", 2_000)).await;
    assert_eq!(first.results[0].status, MutationStatus::Applied);
    let second = app.push(&token, Uuid::new_v4(), put("done", 1_000)).await;
    assert_eq!(second.results[0].status, MutationStatus::Conflict);

    let records = app.snapshot(&token).await;
    assert_eq!(records[&activity.id].fields["status"], "paused");
    let conflicts: Vec<_> = records.values().filter(|r| r.kind == Kind::Conflict).collect();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0].fields;
    assert_eq!(c["target_id"], json!(activity.id));
    assert_eq!(
        (c["field"].as_str(), c["kept_value"].as_str(), c["lost_value"].as_str()),
        (Some("status"), Some("paused"), Some("done"))
    );
    assert_eq!(c["lost_by"], "Administratör");
    assert_eq!(c["resolved"], false);
}

#[tokio::test]
async fn offline_counter_increments_from_two_devices_both_count() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let funds = only(&app.snapshot(&token).await, Kind::Funds).id;
    for by in [250_000, 100_000] {
        let add = json!([{ "id": 1, "kind": "funds", "entity_id": funds, "op": "add", "field": "granted_sek", "by": by, "at": 1 }]);
        app.push(&token, Uuid::new_v4(), add).await;
    }
    assert_eq!(app.snapshot(&token).await[&funds].fields["granted_sek"], 350_000);
}

#[tokio::test]
async fn delete_is_a_tombstone_a_put_does_not_revive_it_and_restore_does() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Delge och utbyta kompetens");
    let client = Uuid::new_v4();
    let id = activity.id;
    app.push(&token, client, json!([{ "id": 1, "kind": "activity", "entity_id": id, "op": "delete", "base_rev": activity.rev, "at": 1 }])).await;
    let gone = &app.snapshot(&token).await[&id];
    assert!(gone.deleted, "pulled as a tombstone");

    let late = app
        .push(
            &token,
            Uuid::new_v4(),
            json!([{ "id": 1, "kind": "activity", "entity_id": id, "op": "put",
        "base_rev": activity.rev, "at": 2, "fields": { "notes": "skrivet offline" } }]),
        )
        .await;
    assert_eq!(late.results[0].status, MutationStatus::Conflict);
    let records = app.snapshot(&token).await;
    assert!(records[&id].deleted, "still deleted");
    assert!(
        records.values().any(|r| r.kind == Kind::Conflict && r.fields["lost_value"] == "skrivet offline"),
        "the typed text is kept"
    );

    app.push(&token, client, json!([{ "id": 2, "kind": "activity", "entity_id": id, "op": "restore", "base_rev": gone.rev, "at": 3 }])).await;
    let back = &app.snapshot(&token).await[&id];
    assert!(!back.deleted);
    assert_eq!(back.fields["title"], activity.fields["title"]);
}

#[tokio::test]
async fn bad_mutations_are_rejected_in_plain_words_counted_and_change_nothing() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let before = app.snapshot(&token).await;
    let activity = find(&before, Kind::Activity, "title", "Landsbygdsting");
    let id = activity.id;
    let put = |n: u64, fields: serde_json::Value| json!({ "id": n, "kind": "activity", "entity_id": id, "op": "put", "base_rev": activity.rev, "at": 1, "fields": fields });
    let res = app
        .push(&token, Uuid::new_v4(), json!([
            put(1, json!({ "status": "finished" })),
            put(2, json!({ "colour": "red" })),
            put(3, json!({ "due_on": "30/6" })),
            put(4, json!({ "position": "first" })),
            { "id": 5, "kind": "funds", "entity_id": id, "op": "add", "field": "granted_sek", "by": 1, "at": 1 },
            { "id": 6, "kind": "conflict", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1, "fields": { "resolved": true } },
            { "id": 7, "kind": "activity", "entity_id": Uuid::new_v4(), "op": "delete", "base_rev": 0, "at": 1 },
        ]))
        .await;
    assert_eq!(res.last_mutation_id, 7, "rejected mutations still count as processed");
    let reasons: Vec<String> = res
        .results
        .iter()
        .map(|r| {
            assert_eq!(r.status, MutationStatus::Rejected, "{r:?}");
            r.reason.clone().unwrap_or_default()
        })
        .collect();
    for (reason, words) in reasons.iter().zip([
        "unknown variant `finished`",
        "unknown field `colour`",
        "not a real date",
        "invalid type",
        "is a activity, not a funds",
        "recorded by the server",
        "no record",
    ]) {
        assert!(reason.contains(words), "«{words}» in «{reason}»");
    }
    assert_eq!(app.snapshot(&token).await, before, "stored data unchanged");
}

#[tokio::test]
async fn malformed_pushes_get_4xx_and_the_server_stays_healthy() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let before = app.snapshot(&token).await;
    let client = Uuid::new_v4();
    let one = |kind: &str| json!({ "id": 1, "kind": kind, "entity_id": Uuid::new_v4(), "op": "delete", "base_rev": 0, "at": 1 });
    for (body, status, words) in [
        (json!({ "mutations": [] }), StatusCode::BAD_REQUEST, "client_id"),
        (
            json!({ "client_id": client, "mutations": [{ "kind": "activity", "op": "put" }] }),
            StatusCode::BAD_REQUEST,
            "needs an `id`",
        ),
        (json!({ "client_id": client, "mutations": {} }), StatusCode::BAD_REQUEST, "invalid type"),
        (
            json!({ "client_id": client, "mutations": vec![one("activity"); 1001] }),
            StatusCode::BAD_REQUEST,
            "at most 1000",
        ),
    ] {
        assert_error(app.push_raw(&token, &body).await, status, words).await;
    }
    let huge = json!({ "client_id": client, "mutations": [{ "id": 1, "kind": "activity", "entity_id": Uuid::new_v4(),
        "op": "put", "base_rev": 0, "at": 1, "fields": { "notes": "x".repeat(3 << 20) } }] });
    assert_error(app.push_raw(&token, &huge).await, StatusCode::PAYLOAD_TOO_LARGE, "too large").await;
    let res = app
        .http
        .post(app.url("/api/v1/sync/push"))
        .json(&json!({ "client_id": client, "mutations": [] }))
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "log in").await;

    assert_eq!(app.snapshot(&token).await, before);
    assert_eq!(app.get("/api/v1/health", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_client_id_belongs_to_the_user_who_first_pushed_with_it() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let client = Uuid::new_v4();
    let funds = only(&app.snapshot(&token).await, Kind::Funds).id;
    let add = |n: u64| json!([{ "id": n, "kind": "funds", "entity_id": funds, "op": "add", "field": "granted_sek", "by": 1, "at": 1 }]);
    app.push(&token, client, add(1)).await;

    let data = app.stop().await;
    add_user(&data, "kansli", Role::Staff, "kansliets-lösenord");
    let app = start_on(data).await;
    let other = app
        .post_login("kansli", "kansliets-lösenord")
        .await
        .json::<tavla_shared::wire::LoginResponse>()
        .await
        .unwrap()
        .token;

    let res = app.push_raw(&other, &json!({ "client_id": client, "mutations": add(2) })).await;
    assert_error(res, StatusCode::FORBIDDEN, "belongs to another user").await;
    let res = app.get(&format!("/api/v1/sync/pull?client_id={client}&cursor=0"), Some(&other)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "client_id_taken", "a code of its own, so the client can go on with a new id");
    // The owner's counter is untouched and it goes on from 1.
    let token = app.admin_token().await;
    assert_eq!(app.push(&token, client, add(2)).await.last_mutation_id, 2);
}

#[tokio::test]
async fn a_board_member_may_log_ideas_but_not_change_the_plan() {
    let app = spawn_app_with_users(&[("styrelsen", Role::Board, "styrelsens-lösenord")]).await;
    let token = app
        .post_login("styrelsen", "styrelsens-lösenord")
        .await
        .json::<tavla_shared::wire::LoginResponse>()
        .await
        .unwrap()
        .token;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Landsbygdsting");
    let res = app
        .push(&token, Uuid::new_v4(), json!([
            { "id": 1, "kind": "idea", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
              "fields": { "title": "Bygdegård i Björnlunda", "stage": "idea", "captured_on": "2026-11-27" } },
            { "id": 2, "kind": "activity", "entity_id": activity.id, "op": "put", "base_rev": activity.rev, "at": 1,
              "fields": { "status": "done" } },
        ]))
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    assert_eq!(res.results[1].status, MutationStatus::Rejected);
    assert!(res.results[1].reason.as_deref().unwrap_or("").contains("may not change activity records"));
}

#[tokio::test]
async fn events_poke_when_the_version_advances() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let mut events = app.http.get(app.url("/api/v1/sync/events")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(events.status(), StatusCode::OK);
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let funds = only(&app.snapshot(&token).await, Kind::Funds).id;
    app.push(&token, Uuid::new_v4(), json!([{ "id": 1, "kind": "funds", "entity_id": funds, "op": "add", "field": "paid_sek", "by": 5, "at": 1 }])).await;
    let version = app.version().await;

    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains(&format!("event: poke\ndata: {version}")) {
        let chunk =
            tokio::time::timeout_at(deadline, events.chunk()).await.expect("a poke within 10 s").unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk.expect("stream open")));
    }
    // A server with an open event stream still shuts down (and flushes) promptly.
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(10), app.stop()).await;
    assert!(stopped.is_ok(), "shutdown waited for the event stream");
}

#[tokio::test]
async fn a_records_history_says_who_changed_what_and_when_newest_first() {
    let app = spawn_app_with_users(&[("anna", Role::Staff, "ett långt lösenord")]).await;
    let admin = app.admin_token().await;
    let anna = app.token_for("anna", "ett långt lösenord").await;
    let activity = find(&app.snapshot(&admin).await, Kind::Activity, "title", "Landsbygdsting");
    let path = format!("/api/v1/history/{}", activity.id);

    let seeded: serde_json::Value = app.get(&path, Some(&anna)).await.json().await.unwrap();
    assert_eq!(seeded["changes"], json!([]), "the adopted plan has no history yet");

    app.push(
        &anna,
        Uuid::new_v4(),
        json!([{ "id": 1, "kind": "activity", "entity_id": activity.id,
        "op": "put", "base_rev": activity.rev, "at": 1_000, "fields": { "status": "in_progress" } }]),
    )
    .await;
    app.push(
        &admin,
        Uuid::new_v4(),
        json!([{ "id": 1, "kind": "activity", "entity_id": activity.id,
        "op": "put", "base_rev": activity.rev + 1, "at": 2_000,
        "fields": { "status": "done", "notes": "Klart" } }]),
    )
    .await;

    let res = app.get(&path, Some(&anna)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let history: serde_json::Value = res.json().await.unwrap();
    assert_eq!(history["kind"], "activity");
    assert_eq!(history["truncated"], false);
    let changes = history["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["fields"], json!({ "status": "done", "notes": "Klart" }));
    // The server's time, with the device's beside it since they differ (1970 here).
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    assert!((now - changes[0]["at"].as_i64().unwrap()).abs() < 60_000, "{}", changes[0]);
    assert_eq!(changes[0]["device_at"], 2_000);
    assert_eq!(changes[1]["by"], "anna");
    assert_eq!(changes[1]["op"], "changed");
    assert_eq!(changes[1]["fields"], json!({ "status": "in_progress" }));

    assert_error(app.get(&path, None).await, StatusCode::UNAUTHORIZED, "").await;
    let unknown = format!("/api/v1/history/{}", Uuid::new_v4());
    assert_error(app.get(&unknown, Some(&anna)).await, StatusCode::NOT_FOUND, "no record").await;
    assert_error(app.get("/api/v1/history/not-an-id", Some(&anna)).await, StatusCode::BAD_REQUEST, "").await;
}
