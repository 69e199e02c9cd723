//! Logins: brute-force limits and the audit log.

use reqwest::StatusCode;
use tavla_shared::values::Role;
use tavla_shared::wire::{AuditLog, LoginOutcome, LoginResponse};

use tavla_tests::helpers::{add_user, assert_error, spawn_app, start_on, ADMIN_PASSWORD};

#[tokio::test]
async fn an_account_is_locked_for_a_while_after_five_attempts_and_others_are_not() {
    let app = spawn_app().await;
    let data = app.stop().await;
    add_user(&data, "kansli", Role::Staff, "kansliets-lösenord");
    let app = start_on(data).await;

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
    let app = spawn_app().await;
    let data = app.stop().await;
    add_user(&data, "kansli", Role::Staff, "kansliets-lösenord");
    let app = start_on(data).await;
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
