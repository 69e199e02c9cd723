//! The HTTP API as an outside client sees it.

use std::collections::{HashMap, HashSet};

use reqwest::StatusCode;
use serde_json::Value;
use tavla_shared::kinds::{Activity, StrategicGoal};
use tavla_shared::wire::{LoginResponse, User};
use tavla_shared::{Kind, KindFields};
use uuid::Uuid;

use tavla_tests::helpers::{assert_error, spawn_app, start_on, ADMIN_PASSWORD};

#[tokio::test]
async fn health_answers_ok() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/health", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store", "API answers are never cached");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn login_with_right_password_returns_a_token_and_the_user() {
    let app = spawn_app().await;
    let res = app.post_login("admin", ADMIN_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let login: LoginResponse = res.json().await.unwrap();
    assert_eq!(login.token.len(), 64);
    assert_eq!(login.user.username, "admin");
    assert_eq!(login.user.role.as_str(), "admin");

    let me: User = app.get("/api/v1/auth/me", Some(&login.token)).await.json().await.unwrap();
    assert_eq!(me, login.user);
}

#[tokio::test]
async fn login_with_wrong_password_or_unknown_user_returns_401() {
    let app = spawn_app().await;
    assert_error(
        app.post_login("admin", "fel lösenord").await,
        StatusCode::UNAUTHORIZED,
        "wrong user name or password",
    )
    .await;
    assert_error(
        app.post_login("nobody", ADMIN_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "wrong user name or password",
    )
    .await;
}

#[tokio::test]
async fn logout_revokes_the_token() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let res = app.http.post(app.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_error(app.get("/api/v1/auth/me", Some(&token)).await, StatusCode::UNAUTHORIZED, "log in again")
        .await;
}

#[tokio::test]
async fn malformed_requests_get_4xx_with_plain_words() {
    let app = spawn_app().await;
    let login = app.url("/api/v1/auth/login");
    let send = |body: &'static str, content_type: &'static str| {
        app.http.post(&login).header("content-type", content_type).body(body).send()
    };
    assert_error(
        send("{\"username\":", "application/json").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "invalid JSON",
    )
    .await;
    assert_error(
        send("{\"username\": 5, \"password\": \"x\"}", "application/json").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "invalid type",
    )
    .await;
    assert_error(
        send("username=admin", "application/x-www-form-urlencoded").await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "JSON",
    )
    .await;
    let huge = format!("{{\"username\": \"{}\", \"password\": \"x\"}}", "a".repeat(100_000));
    let res =
        app.http.post(&login).header("content-type", "application/json").body(huge).send().await.unwrap();
    assert_error(res, StatusCode::PAYLOAD_TOO_LARGE, "too large").await;
    assert_error(app.get("/api/v1/no-such-thing", None).await, StatusCode::NOT_FOUND, "no such API endpoint")
        .await;
    let res = app.get("/api/v1/auth/login", None).await;
    assert_error(res, StatusCode::METHOD_NOT_ALLOWED, "HTTP method").await;
    // The server is still healthy and still lets the admin in.
    assert_eq!(app.get("/api/v1/health", None).await.status(), StatusCode::OK);
    app.admin_token().await;
}

#[tokio::test]
async fn pull_needs_a_valid_token() {
    let app = spawn_app().await;
    let path = format!("/api/v1/sync/pull?client_id={}&cursor=0", Uuid::new_v4());
    assert_error(app.get(&path, None).await, StatusCode::UNAUTHORIZED, "log in first").await;
    assert_error(app.get(&path, Some("forged")).await, StatusCode::UNAUTHORIZED, "log in again").await;
}

#[tokio::test]
async fn pull_with_bad_parameters_returns_400() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = Uuid::new_v4();
    for (query, words) in [
        (format!("client_id={id}&cursor=0&limit=0"), "limit must be between"),
        (format!("client_id={id}&cursor=0&limit=100000"), "limit must be between"),
        (format!("client_id={id}&cursor=abc"), "invalid query"),
        ("client_id=not-a-uuid&cursor=0".to_string(), "invalid query"),
        ("cursor=0".to_string(), "client_id"),
        (format!("client_id={id}&cursor=999999"), "ahead of the server"),
    ] {
        assert_error(
            app.get(&format!("/api/v1/sync/pull?{query}"), Some(&token)).await,
            StatusCode::BAD_REQUEST,
            words,
        )
        .await;
    }
}

#[tokio::test]
async fn snapshot_holds_six_goals_and_35_activities_each_under_its_goal() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let (records, _) = app.pull_all(&token, 5000).await;

    let goals: HashMap<Uuid, StrategicGoal> =
        records.iter().filter_map(|r| StrategicGoal::from_record(r).map(|g| (r.id, g))).collect();
    let mut numbers: Vec<i64> = goals.values().map(|g| g.number).collect();
    numbers.sort();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);

    let activities: Vec<Activity> = records.iter().filter_map(Activity::from_record).collect();
    assert_eq!(activities.len(), 35);
    let mut per_goal = [0usize; 6];
    for a in &activities {
        let goal = goals.get(&a.strategic_goal_id).expect("every activity's goal exists");
        per_goal[(goal.number - 1) as usize] += 1;
    }
    assert_eq!(per_goal, [9, 9, 5, 2, 5, 5]);
    let workshops =
        activities.iter().find(|a| a.title.contains("17 workshops")).expect("the workshop activity");
    assert_eq!(goals[&workshops.strategic_goal_id].number, 3);
    assert_eq!(workshops.municipality_ids.len(), 7);

    let count = |k: Kind| records.iter().filter(|r| r.kind == k).count();
    assert_eq!(count(Kind::Plan), 1);
    assert_eq!(count(Kind::LongTermGoal), 2);
    assert_eq!(count(Kind::FocusArea), 3);
    assert_eq!(count(Kind::Municipality), 7);
    assert!(records.iter().all(|r| !r.deleted && r.rev > 0));
}

#[tokio::test]
async fn pull_paging_returns_each_record_exactly_once() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let (full, _) = app.pull_all(&token, 5000).await;
    for limit in [1, 7, 50] {
        let (paged, cursors) = app.pull_all(&token, limit).await;
        assert_eq!(paged.len(), full.len(), "limit {limit}: same number of records");
        let ids: HashSet<Uuid> = paged.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), paged.len(), "limit {limit}: no record twice");
        assert_eq!(ids, full.iter().map(|r| r.id).collect(), "limit {limit}: the same records");
        assert!(cursors.windows(2).all(|w| w[0] < w[1]), "limit {limit}: cursors increase");
        assert!(paged.windows(2).all(|w| w[0].rev < w[1].rev), "limit {limit}: oldest first");
    }
    // Pulling from the final cursor brings nothing new.
    let (_, cursors) = app.pull_all(&token, 5000).await;
    let last = *cursors.last().unwrap();
    let page = app.pull(&token, Uuid::new_v4(), last, 10).await;
    assert!(page.records.is_empty() && !page.more && page.cursor == last);
}

#[tokio::test]
async fn a_restart_keeps_the_data_and_does_not_seed_twice() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let (before, _) = app.pull_all(&token, 5000).await;
    let data = app.stop().await;

    let app = start_on(data).await;
    let token = app.admin_token().await;
    let (after, _) = app.pull_all(&token, 5000).await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_spa_is_served_for_client_side_routes() {
    let app = spawn_app().await;
    for path in ["/", "/mal/3", "/logga-in"] {
        let res = app.get(path, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(
            res.headers()["cache-control"],
            "no-cache",
            "{path}: revalidated, so new builds reach users"
        );
        let html = res.text().await.unwrap();
        assert!(html.contains("<html lang=\"sv\">"), "{path} serves index.html");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let css = std::fs::read_dir(tavla_tests::helpers::dist_dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.ends_with(".css"))
        .expect("a built stylesheet");
    for path in [
        "/".to_string(),
        "/mal/2".into(),
        format!("/{css}"),
        "/sw.js".into(),
        "/api/v1/health".into(),
        "/api/v1/auth/me".into(),
    ] {
        let res = app.get(&path, None).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        for part in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{path}: «{part}» in «{csp}»");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: no inline scripts beyond the hashed ones");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(h["permissions-policy"].to_str().unwrap().contains("camera=()"), "{path}");
        assert!(h.get("strict-transport-security").is_none(), "{path}: no HSTS over plain http");
    }
}

/// A handler's panic is answered like any internal error (500, the usual JSON, no detail of the
/// panic), and the server goes on serving. Tested on a router with a route made to panic, under
/// the same layer the app's router gets.
#[tokio::test]
async fn a_panicking_handler_gets_a_json_500_and_the_server_goes_on() {
    use axum::routing::get;
    async fn boom() -> &'static str {
        panic!("secret detail of a bug")
    }
    let router = tavla_server::error::catch_panics(
        axum::Router::new().route("/boom", get(boom)).route("/fine", get(|| async { "fine" })),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::new();
    let answer =
        http.get(format!("http://{addr}/boom")).send().await.expect("an answer, not a dropped connection");
    assert_eq!(answer.status(), reqwest::StatusCode::INTERNAL_SERVER_ERROR);
    let body: serde_json::Value = answer.json().await.expect("a JSON body");
    assert_eq!(body["error"], "internal");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty() && !message.contains("secret"), "plain words, no detail: {message}");
    let fine = http.get(format!("http://{addr}/fine")).send().await.unwrap();
    assert_eq!(fine.text().await.unwrap(), "fine");
}

/// A request whose body trickles in (or never comes) is ended with 408 and plain words once the
/// server's time limit passes, instead of holding a task for ever; the event stream is not cut.
#[tokio::test]
async fn a_request_slower_than_the_time_limit_gets_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = tavla_tests::helpers::spawn_app_with(|c| c.request_timeout_secs = 1).await;
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: tavla\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\":";
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).await.unwrap_or(0);
            answer.extend_from_slice(&buf[..n]);
            if n == 0 || String::from_utf8_lossy(&answer).contains("\"message\"") {
                break;
            }
        }
    })
    .await;
    assert!(read.is_ok(), "no answer within 10 s");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"error\":\"request_timeout\""), "{text}");

    // The event stream outlives the limit: still open after twice as long.
    let token = app.admin_token().await;
    let mut events = app.get("/api/v1/sync/events", Some(&token)).await;
    assert_eq!(events.status(), reqwest::StatusCode::OK);
    let next = tokio::time::timeout(std::time::Duration::from_millis(2500), async {
        loop {
            match events.chunk().await {
                Ok(Some(_)) => continue,
                other => return other.map(|c| c.is_some()),
            }
        }
    })
    .await;
    assert!(next.is_err(), "the stream ended: {next:?}");
}
