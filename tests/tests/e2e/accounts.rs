//! Logins: brute-force limits and the audit log.

use reqwest::StatusCode;
use tavla_shared::kinds::SETTINGS_ID;
use tavla_shared::values::Role;
use tavla_shared::wire::{AuditLog, LoginOutcome, LoginResponse};
use tavla_shared::Kind;

use tavla_tests::helpers::{assert_error, spawn_app, spawn_app_with_users, ADMIN_PASSWORD};

#[tokio::test]
async fn an_account_is_locked_for_a_while_after_five_attempts_and_others_are_not() {
    let app = spawn_app_with_users(&[("kansli", Role::Staff, "kansliets-lösenord")]).await;

    for _ in 0..5 {
        assert_eq!(app.post_login("admin", "gissning").await.status(), StatusCode::UNAUTHORIZED);
    }
    // Over the limit even the right password is refused, with a time to wait.
    let res = app.post_login("admin", ADMIN_PASSWORD).await;
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().expect("seconds");
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "too many login attempts").await;
    assert_eq!(app.post_login("kansli", "kansliets-lösenord").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn one_address_is_limited_across_accounts() {
    let app = spawn_app().await;
    for n in 0..20 {
        assert_eq!(app.post_login(&format!("gissat{n}"), "x").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_error(app.post_login("admin", ADMIN_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS, "try again")
        .await;
}

#[tokio::test]
async fn the_admin_reads_failed_and_successful_logins_others_cannot() {
    let app = spawn_app_with_users(&[("kansli", Role::Staff, "kansliets-lösenord")]).await;
    app.post_login("admin", "fel").await;
    let staff: LoginResponse = app.post_login("kansli", "kansliets-lösenord").await.json().await.unwrap();
    let token = app.admin_token().await;

    let log: AuditLog = app.get("/api/v1/audit", Some(&token)).await.json().await.unwrap();
    let lines: Vec<(&str, LoginOutcome)> =
        log.entries.iter().map(|e| (e.username.as_str(), e.outcome)).collect();
    assert_eq!(
        lines,
        [
            ("admin", LoginOutcome::Success),
            ("kansli", LoginOutcome::Success),
            ("admin", LoginOutcome::WrongCredentials)
        ],
        "newest first"
    );
    assert!(log.entries.iter().all(|e| e.address == "127.0.0.1" && e.at > 0));
    assert_error(app.get("/api/v1/audit", Some(&staff.token)).await, StatusCode::FORBIDDEN, "only admins")
        .await;
    assert_error(app.get("/api/v1/audit", None).await, StatusCode::UNAUTHORIZED, "log in").await;
}

/// A server with one account per role: (app, admin token, staff token, board token).
async fn one_per_role() -> (tavla_tests::helpers::TestApp, String, String, String) {
    let app = spawn_app_with_users(&[
        ("kansli", Role::Staff, "kansliets-lösenord"),
        ("styrelse", Role::Board, "styrelsens-lösenord"),
    ])
    .await;
    let admin = app.admin_token().await;
    let staff = app.token_for("kansli", "kansliets-lösenord").await;
    let board = app.token_for("styrelse", "styrelsens-lösenord").await;
    (app, admin, staff, board)
}

#[tokio::test]
async fn every_endpoint_answers_each_role_as_the_role_table_says() {
    use reqwest::Method;
    let (app, admin, staff, board) = one_per_role().await;
    let someone =
        app.get("/api/v1/users", Some(&admin)).await.json::<Vec<tavla_shared::wire::User>>().await.unwrap();
    let board_id = someone.iter().find(|u| u.username == "styrelse").unwrap().id;
    let client = uuid::Uuid::new_v4();
    let new_user = || {
        serde_json::json!({"username": format!("ny{}", uuid::Uuid::new_v4().simple()), "display_name": "Ny",
        "role": "board", "password": "en lång fras om bygdegårdar"})
    };
    // (method, path, body, expected for admin, staff, board, nobody)
    let table: Vec<(Method, String, Option<serde_json::Value>, [u16; 4])> = vec![
        (Method::GET, "/api/v1/health".into(), None, [200, 200, 200, 200]),
        (Method::GET, "/api/v1/auth/me".into(), None, [200, 200, 200, 401]),
        (Method::GET, format!("/api/v1/sync/pull?client_id={client}&cursor=0"), None, [200, 200, 200, 401]),
        (
            Method::POST,
            "/api/v1/sync/push".into(),
            Some(serde_json::json!({"client_id": uuid::Uuid::new_v4(), "mutations": []})),
            [200, 200, 200, 401],
        ),
        (Method::GET, "/api/v1/users".into(), None, [200, 403, 403, 401]),
        (Method::POST, "/api/v1/users".into(), Some(new_user()), [201, 403, 403, 401]),
        (
            Method::PATCH,
            format!("/api/v1/users/{board_id}"),
            Some(serde_json::json!({"display_name": "Styrelsen"})),
            [200, 403, 403, 401],
        ),
        (Method::GET, "/api/v1/audit".into(), None, [200, 403, 403, 401]),
        (
            Method::POST,
            "/api/v1/auth/password".into(),
            Some(serde_json::json!({"current_password": "fel", "new_password": "x"})),
            [403, 403, 403, 401],
        ),
    ];
    for (method, path, body, expected) in table {
        for (who, token, want) in [
            ("admin", Some(&admin), expected[0]),
            ("staff", Some(&staff), expected[1]),
            ("board", Some(&board), expected[2]),
            ("nobody", None, expected[3]),
        ] {
            let body = if path == "/api/v1/users" && method == Method::POST {
                Some(new_user())
            } else {
                body.clone()
            };
            let res = app.send(method.clone(), &path, token.map(String::as_str), body).await;
            assert_eq!(res.status().as_u16(), want, "{who} {method} {path}");
        }
    }
}

#[tokio::test]
async fn every_kind_can_be_created_by_exactly_the_roles_allowed() {
    use tavla_shared::wire::MutationStatus::{Applied, Rejected};
    let (app, admin, staff, board) = one_per_role().await;
    let id = "5b0c6a0e-8d5e-4b7a-9a55-6f1a2d3c4b5a";
    let minimal = |kind: Kind| -> serde_json::Value {
        match kind {
            Kind::Plan => {
                serde_json::json!({"year": 2027, "title": "Plan", "adopted_on": "2027-03-01", "vision": "V", "period_start_year": 2023, "period_end_year": 2027})
            }
            Kind::LongTermGoal => serde_json::json!({"number": 3, "title": "Mål"}),
            Kind::FocusArea => serde_json::json!({"number": 4, "title": "Område"}),
            Kind::StrategicGoal => serde_json::json!({"number": 6, "title": "Mål", "health": "on_track"}),
            Kind::Activity => {
                serde_json::json!({"strategic_goal_id": id, "title": "A", "status": "not_started", "position": 1})
            }
            Kind::Municipality => serde_json::json!({"name": "Trosa", "code": "0488"}),
            Kind::Person => serde_json::json!({"name": "Anna"}),
            Kind::Idea => serde_json::json!({"title": "Idé", "stage": "idea", "captured_on": "2026-11-27"}),
            Kind::Partner => serde_json::json!({"name": "P", "type": "other"}),
            Kind::Dialogue => {
                serde_json::json!({"partner_id": id, "date": "2026-11-27", "channel": "call", "summary": "S"})
            }
            Kind::MarketingItem => serde_json::json!({"title": "M", "channel": "web", "status": "idea"}),
            Kind::Event => serde_json::json!({"type": "workshop", "title": "W", "date": "2026-11-27"}),
            Kind::Comment => serde_json::json!({"target_kind": "activity", "target_id": id, "text": "Bra"}),
            Kind::Funds => serde_json::json!({"allocated_sek": 1}),
            Kind::Conflict => serde_json::json!({"resolved": true}),
            Kind::Settings => serde_json::json!({"idea_contact_retention_months": 12}),
        }
    };
    let board_may = [Kind::Idea, Kind::Dialogue, Kind::MarketingItem, Kind::Event, Kind::Comment];
    for (who, token) in [("admin", &admin), ("staff", &staff), ("board", &board)] {
        let mutations: Vec<serde_json::Value> = Kind::ALL
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                let entity_id = if *kind == Kind::Settings { SETTINGS_ID } else { uuid::Uuid::new_v4() };
                serde_json::json!({"id": i + 1, "kind": kind, "entity_id": entity_id,
                "op": "put", "base_rev": 0, "at": 1, "fields": minimal(*kind)})
            })
            .collect();
        let res = app.push(token, uuid::Uuid::new_v4(), serde_json::Value::Array(mutations)).await;
        for (kind, result) in Kind::ALL.iter().zip(&res.results) {
            let allowed = *kind != Kind::Conflict
                && (who != "board" || board_may.contains(kind))
                && (*kind != Kind::Settings || who == "admin");
            let want = if allowed { Applied } else { Rejected };
            assert_eq!(result.status, want, "{who} creating a {kind}: {:?}", result.reason);
        }
    }
}

#[tokio::test]
async fn new_passwords_follow_the_rules_and_are_never_returned() {
    let (app, admin, _, _) = one_per_role().await;
    for (password, words) in
        [("kort", "at least 10"), ("Sommar2026", "among the most used"), ("1234567890", "most used")]
    {
        let body = serde_json::json!({"username": "ny.person", "display_name": "Ny", "role": "staff", "password": password});
        let res = app.send(reqwest::Method::POST, "/api/v1/users", Some(&admin), Some(body)).await;
        assert_error(res, StatusCode::BAD_REQUEST, words).await;
    }
    let body = serde_json::json!({"username": "ny.person", "display_name": "Ny", "role": "staff", "password": "en lång fras om bygdegårdar"});
    let res = app.send(reqwest::Method::POST, "/api/v1/users", Some(&admin), Some(body.clone())).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let text = res.text().await.unwrap();
    assert!(!text.contains("argon2") && !text.contains("bygdegårdar"), "no password or hash in {text}");
    assert_error(
        app.send(reqwest::Method::POST, "/api/v1/users", Some(&admin), Some(body)).await,
        StatusCode::CONFLICT,
        "taken",
    )
    .await;
    app.token_for("ny.person", "en lång fras om bygdegårdar").await;
}

#[tokio::test]
async fn a_password_change_or_disabling_revokes_sessions() {
    let (app, admin, staff, _) = one_per_role().await;
    let staff_elsewhere = app.token_for("kansli", "kansliets-lösenord").await;
    // The staff member changes their own password: their other session ends, this one lives.
    let body = serde_json::json!({"current_password": "kansliets-lösenord", "new_password": "ett nytt och längre lösenord"});
    let res = app.send(reqwest::Method::POST, "/api/v1/auth/password", Some(&staff), Some(body)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/auth/me", Some(&staff)).await.status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/auth/me", Some(&staff_elsewhere)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.post_login("kansli", "kansliets-lösenord").await.status(), StatusCode::UNAUTHORIZED);

    // The admin disables the account: every session ends and login is refused.
    let users: Vec<tavla_shared::wire::User> =
        app.get("/api/v1/users", Some(&admin)).await.json().await.unwrap();
    let id = users.iter().find(|u| u.username == "kansli").unwrap().id;
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(serde_json::json!({"disabled": true})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/auth/me", Some(&staff)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.post_login("kansli", "ett nytt och längre lösenord").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // An admin cannot lock themselves out.
    let me: tavla_shared::wire::User = app.get("/api/v1/auth/me", Some(&admin)).await.json().await.unwrap();
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{}", me.id),
            Some(&admin),
            Some(serde_json::json!({"disabled": true})),
        )
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "cannot disable yourself").await;
    let res = app
        .send(reqwest::Method::PATCH, "/api/v1/users/not-a-uuid", Some(&admin), Some(serde_json::json!({})))
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid path").await;
}

#[tokio::test]
async fn a_login_expires_unused_and_is_renewed_by_use() {
    // Sessions of 2 seconds: renewed when less than half is left.
    let app = tavla_tests::helpers::spawn_app_with(|c| c.session_days = 2.0 / 86_400.0).await;
    let used = app.admin_token().await;
    let idle = app.admin_token().await;
    for _ in 0..6 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(app.get("/api/v1/auth/me", Some(&used)).await.status(), StatusCode::OK, "renewed by use");
    }
    assert_error(app.get("/api/v1/auth/me", Some(&idle)).await, StatusCode::UNAUTHORIZED, "expired").await;
}

#[tokio::test]
async fn a_board_member_edits_their_own_person_record_and_no_one_elses() {
    let (app, admin, _, _) = one_per_role().await;
    let (mine, other) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let create = |n: u64, id: uuid::Uuid, name: &str| {
        serde_json::json!({"id": n, "kind": "person", "entity_id": id, "op": "put", "base_rev": 0, "at": 1,
            "fields": {"name": name, "roles": ["board_member"], "is_ambassador": true}})
    };
    app.push(
        &admin,
        uuid::Uuid::new_v4(),
        serde_json::json!([create(1, mine, "Eva"), create(2, other, "Olle")]),
    )
    .await;
    let users: Vec<tavla_shared::wire::User> =
        app.get("/api/v1/users", Some(&admin)).await.json().await.unwrap();
    let board_id = users.iter().find(|u| u.username == "styrelse").unwrap().id;
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{board_id}"),
            Some(&admin),
            Some(serde_json::json!({"person_id": mine})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Linking a person ends the account's logins (what it may see changed): log in again.
    let board = app.token_for("styrelse", "styrelsens-lösenord").await;
    let edit = |n: u64, id: uuid::Uuid| {
        serde_json::json!({"id": n, "kind": "person", "entity_id": id, "op": "put", "base_rev": 0, "at": 2,
            "fields": {"phone": "070-123 45 67"}})
    };
    let res =
        app.push(&board, uuid::Uuid::new_v4(), serde_json::json!([edit(1, mine), edit(2, other)])).await;
    use tavla_shared::wire::MutationStatus::{Applied, Rejected};
    assert_eq!((res.results[0].status, res.results[1].status), (Applied, Rejected));
}
