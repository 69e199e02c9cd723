//! The server holds against what attackers and careless clients do (issue 15): guessing that
//! cannot lock the owner out, sessions that end and can be ended, event streams that are capped
//! and end with their session, a login log that stays small under a flood.
//!
//! Different client addresses come from binding the test's side of the connection to another
//! loopback address (127.0.0.0/8 is all loopback on Linux).

use std::net::IpAddr;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use tavla_shared::values::Role;
use tavla_shared::wire::SessionInfo;
use uuid::Uuid;

use tavla_tests::helpers::{
    assert_error, spawn_app, spawn_app_with, spawn_app_with_users, TestApp, ADMIN_PASSWORD,
};

/// An HTTP client whose connections come from `address`.
fn client_from(address: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from(address))
        .user_agent(format!("test-from-{}", IpAddr::from(address)))
        .build()
        .expect("a client")
}

async fn login_from(
    app: &TestApp,
    http: &reqwest::Client,
    username: &str,
    password: &str,
) -> reqwest::Response {
    http.post(app.url("/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login answers")
}

#[tokio::test]
async fn a_correct_login_from_a_clean_address_succeeds_while_others_hammer_the_account() {
    let app = spawn_app().await;
    // One address guesses on and on: after five failures it waits, longer each time.
    let hammer = client_from([127, 0, 0, 2]);
    let mut refused = 0;
    for _ in 0..30 {
        match login_from(&app, &hammer, "admin", "gissning-123").await.status() {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("{other}"),
        }
    }
    assert_eq!(refused, 25, "five guesses, then the address waits");
    // Twenty more addresses fail once each: the account is on alert.
    for n in 10..30 {
        let res = login_from(&app, &client_from([127, 0, 1, n]), "admin", "gissning-456").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // A failing address now waits even below its own five...
    let again = login_from(&app, &client_from([127, 0, 1, 10]), "admin", ADMIN_PASSWORD).await;
    assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
    // ...and the hammering one with the right password too: the guesser learns nothing.
    let hammered = login_from(&app, &hammer, "admin", ADMIN_PASSWORD).await;
    assert_error(hammered, StatusCode::TOO_MANY_REQUESTS, "try again").await;
    // The owner, from an address with no failures, is let in.
    let owner = login_from(&app, &client_from([127, 0, 0, 3]), "admin", ADMIN_PASSWORD).await;
    assert_eq!(owner.status(), StatusCode::OK, "the owner is not locked out");
}

#[tokio::test]
async fn wrong_current_passwords_count_against_the_same_limits() {
    let app = spawn_app_with_users(&[("kansli", Role::Staff, "kansliets-lösenord")]).await;
    let token = app.token_for("kansli", "kansliets-lösenord").await;
    let change =
        |current: &str| json!({ "current_password": current, "new_password": "ett helt nytt lösenord" });
    for _ in 0..5 {
        let res =
            app.send(reqwest::Method::POST, "/api/v1/auth/password", Some(&token), Some(change("fel"))).await;
        assert_error(res, StatusCode::FORBIDDEN, "current password is wrong").await;
    }
    let res = app
        .send(
            reqwest::Method::POST,
            "/api/v1/auth/password",
            Some(&token),
            Some(change("kansliets-lösenord")),
        )
        .await;
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "try again").await;
    // The password was not changed by any of it (asked from another address: this one waits).
    let elsewhere = client_from([127, 0, 0, 5]);
    let new = login_from(&app, &elsewhere, "kansli", "ett helt nytt lösenord").await;
    assert_eq!(new.status(), StatusCode::UNAUTHORIZED);
    let old = login_from(&app, &elsewhere, "kansli", "kansliets-lösenord").await;
    assert_eq!(old.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_first_admin_and_every_account_follow_the_password_list() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    for weak in ["a123456789", "123456789a", "1234554321", "password12345"] {
        let body =
            json!({ "username": "ny.person", "display_name": "Ny", "role": "board", "password": weak });
        let res = app.send(reqwest::Method::POST, "/api/v1/users", Some(&token), Some(body)).await;
        assert_error(res, StatusCode::BAD_REQUEST, "among the most used").await;
    }
    let data = tempfile::tempdir().unwrap();
    let mut config = tavla_server::config::Config::for_data(data.path().to_path_buf());
    config.admin_password = Some("password12345".into());
    let refused =
        tavla_server::startup::Application::build(config).await.err().expect("a weak first admin is refused");
    assert!(refused.to_string().contains("among the most used"), "{refused}");
}

async fn sessions(app: &TestApp, token: &str) -> Vec<SessionInfo> {
    let res = app.get("/api/v1/auth/sessions", Some(token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("a list of sessions")
}

#[tokio::test]
async fn my_sessions_are_listed_and_can_be_ended_one_by_one_or_all_but_this_one() {
    let app = spawn_app_with_users(&[("kansli", Role::Staff, "kansliets-lösenord")]).await;
    let phone: Value =
        login_from(&app, &client_from([127, 0, 0, 4]), "admin", ADMIN_PASSWORD).await.json().await.unwrap();
    let phone = phone["token"].as_str().unwrap().to_string();
    let laptop = app.admin_token().await;
    let tablet = app.admin_token().await;
    let staff = app.token_for("kansli", "kansliets-lösenord").await;

    let listed = sessions(&app, &laptop).await;
    assert_eq!(listed.len(), 3, "only my own: {listed:?}");
    assert!(listed[0].current, "the one asking comes first");
    assert_eq!(listed.iter().filter(|s| s.current).count(), 1);
    let from_phone = listed.iter().find(|s| s.address == "127.0.0.4").expect("the phone's session");
    assert_eq!(from_phone.user_agent, "test-from-127.0.0.4");
    assert!(from_phone.ends_at > from_phone.expires_at, "an absolute end beyond the idle one");
    assert!(listed.iter().all(|s| !s.user_agent.contains(&phone) && s.id.to_string().len() == 36));

    // Another account's session cannot be ended by its id.
    let staff_session = sessions(&app, &staff).await[0].id;
    let res = app
        .send(reqwest::Method::DELETE, &format!("/api/v1/auth/sessions/{staff_session}"), Some(&laptop), None)
        .await;
    assert_error(res, StatusCode::NOT_FOUND, "no such session").await;

    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/auth/sessions/{}", from_phone.id),
            Some(&laptop),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/auth/me", Some(&phone)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/auth/me", Some(&tablet)).await.status(), StatusCode::OK);

    let res = app.send(reqwest::Method::DELETE, "/api/v1/auth/sessions", Some(&laptop), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/auth/me", Some(&tablet)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/auth/me", Some(&laptop)).await.status(), StatusCode::OK, "this one stays");
    assert_eq!(app.get("/api/v1/auth/me", Some(&staff)).await.status(), StatusCode::OK, "others' stay");
    assert_eq!(sessions(&app, &laptop).await.len(), 1);
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_much_it_is_used() {
    let day = 86_400.0;
    let app = spawn_app_with(|c| {
        c.session_days = 1.0 / day; // one second unused
        c.session_max_days = 3.0 / day; // three seconds in all
    })
    .await;
    let token = app.admin_token().await;
    let started = Instant::now();
    let mut last_ok = Duration::ZERO;
    while started.elapsed() < Duration::from_secs(5) {
        match app.get("/api/v1/auth/me", Some(&token)).await.status() {
            StatusCode::OK => last_ok = started.elapsed(),
            StatusCode::UNAUTHORIZED => break,
            other => panic!("{other}"),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(last_ok > Duration::from_millis(1500), "used, it outlives its idle time: {last_ok:?}");
    assert!(last_ok < Duration::from_secs(3), "but not its absolute end: {last_ok:?}");
    assert_eq!(app.get("/api/v1/auth/me", Some(&token)).await.status(), StatusCode::UNAUTHORIZED);
}

/// Opens an event stream; the answer is kept open to read from.
async fn open_stream(app: &TestApp, token: &str) -> reqwest::Response {
    app.get("/api/v1/sync/events", Some(token)).await
}

/// True when the stream ends within `within` (keep-alive comments are read past).
async fn ends_within(stream: &mut reqwest::Response, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.chunk()).await {
            Ok(Ok(Some(_))) => continue,
            Ok(Ok(None)) | Ok(Err(_)) => return true,
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn an_event_stream_ends_when_its_session_is_revoked_or_its_account_disabled() {
    let app = spawn_app_with_users(&[("kansli", Role::Staff, "kansliets-lösenord")]).await;
    let admin = app.admin_token().await;
    let other = app.admin_token().await;
    let staff = app.token_for("kansli", "kansliets-lösenord").await;

    let mut revoked = open_stream(&app, &other).await;
    let mut kept = open_stream(&app, &admin).await;
    let mut disabled = open_stream(&app, &staff).await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert!(!ends_within(&mut revoked, Duration::from_millis(300)).await, "open while the session is");

    let res = app.send(reqwest::Method::DELETE, "/api/v1/auth/sessions", Some(&admin), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(ends_within(&mut revoked, Duration::from_secs(5)).await, "the revoked session's stream ends");
    assert!(!ends_within(&mut kept, Duration::from_millis(300)).await, "the others stay open");

    let users: Vec<Value> = app.get("/api/v1/users", Some(&admin)).await.json().await.unwrap();
    let kansli =
        users.iter().find(|u| u["username"] == "kansli").unwrap()["id"].as_str().unwrap().to_string();
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{kansli}"),
            Some(&admin),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(ends_within(&mut disabled, Duration::from_secs(5)).await, "a disabled account's stream ends");

    let res = app.send(reqwest::Method::POST, "/api/v1/auth/logout", Some(&admin), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(ends_within(&mut kept, Duration::from_secs(5)).await, "logging out ends it");
}

#[tokio::test]
async fn a_login_holds_a_few_event_streams_at_most() {
    let app = spawn_app_with(|c| c.streams_per_session = 2).await;
    let token = app.admin_token().await;
    let first = open_stream(&app, &token).await;
    let _second = open_stream(&app, &token).await;
    let third = open_stream(&app, &token).await;
    assert!(third.headers().contains_key("retry-after"));
    assert_error(third, StatusCode::TOO_MANY_REQUESTS, "event streams open").await;
    // Another login of the same account has its own.
    let other = app.admin_token().await;
    assert_eq!(open_stream(&app, &other).await.status(), StatusCode::OK);
    // A closed stream gives its place back.
    drop(first);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let res = open_stream(&app, &token).await;
        if res.status() == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "the closed stream's place came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_hundred_thousand_failed_logins_leave_the_data_directory_small() {
    const LOGINS: usize = 100_000;
    // A small bound, so the checked failures alone go over it (refusals are written once a
    // minute per address, so they cannot push the real events out).
    const LINES: usize = 50;
    let app = spawn_app_with(|c| c.audit_max_lines = LINES).await;
    let started = Instant::now();
    // From five addresses: the first twenty from each are checked (and fail), the rest are
    // refused by the limits; every one is a line in the log until it is trimmed.
    let senders: Vec<_> = (0..16u8)
        .map(|n| {
            let http = client_from([127, 0, 2, n % 5 + 1]);
            let url = app.url("/api/v1/auth/login");
            tokio::spawn(async move {
                let mut statuses = [0usize; 2];
                for i in 0..LOGINS / 16 {
                    let name = format!("slump-{}-{n}-{i}", Uuid::new_v4().simple());
                    let res = http
                        .post(&url)
                        .json(&json!({ "username": name, "password": "gissning" }))
                        .send()
                        .await
                        .expect("login answers");
                    match res.status() {
                        StatusCode::UNAUTHORIZED => statuses[0] += 1,
                        StatusCode::TOO_MANY_REQUESTS => statuses[1] += 1,
                        other => panic!("{other}"),
                    }
                }
                statuses
            })
        })
        .collect();
    let (mut failed, mut limited) = (0, 0);
    for sender in senders {
        let [f, l] = sender.await.unwrap();
        failed += f;
        limited += l;
    }
    assert_eq!(failed + limited, LOGINS);
    let token = app.admin_token().await;
    let log: Value = app.get("/api/v1/audit?limit=1000", Some(&token)).await.json().await.unwrap();
    let lines = log["entries"].as_array().unwrap();
    assert!(lines.len() <= LINES + LINES / 10 + 1, "{} lines", lines.len());
    let refusals = lines.iter().filter(|l| l["outcome"] == "rate_limited").count();
    assert!(refusals <= 5 * 2, "a refusal line a minute per address: {refusals}");
    assert_eq!(lines[0]["outcome"], "success", "the newest line is the admin's login");
    let data = app.stop().await;
    let bytes = dir_size(data.path());
    println!(
        "{LOGINS} failed logins ({failed} checked, {limited} refused by the limits) in {:.1} s; data directory {:.1} MB",
        started.elapsed().as_secs_f64(),
        bytes as f64 / 1e6
    );
    let store = tavla_server::store::SledStore::open(data.path(), 8 << 20).unwrap();
    use tavla_server::store::Store;
    assert!(store.audit_len() <= LINES + LINES / 10, "{} lines kept", store.audit_len());
    assert!(bytes < 5_000_000, "the data directory holds {bytes} bytes");
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                dir_size(&e.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

#[tokio::test]
async fn on_a_phone_my_account_lists_my_devices_and_logs_one_out() {
    use tavla_tests::helpers::browser::{act, check, Browser};
    let app = spawn_app().await;
    let tablet: Value = login_from(
        &app,
        &reqwest::Client::builder()
            .local_address(IpAddr::from([127, 0, 0, 6]))
            .user_agent("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1")
            .build()
            .unwrap(),
        "admin",
        ADMIN_PASSWORD,
    )
    .await
    .json()
    .await
    .unwrap();
    let tablet = tablet["token"].as_str().unwrap().to_string();

    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    act::open(page, &app.url("/mitt-konto")).await;
    check::heading(page, "Inloggade enheter").await;
    check::text(page, "Den här enheten").await;
    check::text(page, "Safari på iPad").await;
    check::text(page, "från 127.0.0.6").await;
    check::accessible(page, "my account with its devices").await;
    check::no_horizontal_scroll(page).await;
    act::click_button(page, "Logga ut – Safari på iPad").await;
    check::text(page, "Enheten är utloggad.").await;
    check::gone(page, "button[aria-label='Logga ut – Safari på iPad']").await;
    assert_eq!(app.get("/api/v1/auth/me", Some(&tablet)).await.status(), StatusCode::UNAUTHORIZED);
    check::text(page, "Den här enheten").await;
    phone.close().await;
}

/// The code an authenticator app shows for `secret`, `ahead` steps from now.
fn app_code(secret: &str, ahead: u64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    tavla_server::accounts::second_factor::code_at(secret, now + ahead * 30).unwrap()
}

async fn login_with_code(app: &TestApp, username: &str, password: &str, code: &str) -> reqwest::Response {
    app.http
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": password, "code": code }))
        .send()
        .await
        .expect("login answers")
}

#[tokio::test]
async fn admins_must_turn_on_two_step_verification_and_then_log_in_with_a_code() {
    // The default: required of admins.
    let app = spawn_app_with(|c| c.admin_second_factor_optional = false).await;
    let token = app.admin_token().await;
    let res = app.get("/api/v1/users", Some(&token)).await;
    assert_error(res, StatusCode::FORBIDDEN, "turn on two-step verification first").await;

    let res = app.send(reqwest::Method::POST, "/api/v1/auth/second-factor", Some(&token), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let setup: Value = res.json().await.unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    assert!(setup["uri"].as_str().unwrap().starts_with("otpauth://totp/Tavla%3Aadmin?secret="));
    assert!(
        setup["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || setup["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let confirm = |code: String| json!({ "code": code, "password": ADMIN_PASSWORD });
    let res = app
        .send(
            reqwest::Method::POST,
            "/api/v1/auth/second-factor/confirm",
            Some(&token),
            Some(confirm("000000".into())),
        )
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "code is wrong").await;
    let res = app
        .send(
            reqwest::Method::POST,
            "/api/v1/auth/second-factor/confirm",
            Some(&token),
            Some(confirm(app_code(&secret, 0))),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let recovery: Vec<String> =
        serde_json::from_value(res.json::<Value>().await.unwrap()["codes"].clone()).unwrap();
    assert_eq!(recovery.len(), 10);
    assert_eq!(app.get("/api/v1/users", Some(&token)).await.status(), StatusCode::OK, "now the admin may");
    let me: Value = app.get("/api/v1/auth/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(me["second_factor"], true);

    // The password alone no longer logs in; the code it asks for does, once.
    let res = app.post_login("admin", ADMIN_PASSWORD).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "second_factor_required", "{body}");
    let res = login_with_code(&app, "admin", ADMIN_PASSWORD, "123456").await;
    assert_error(res, StatusCode::UNAUTHORIZED, "code is wrong").await;
    let next = app_code(&secret, 1);
    assert_eq!(login_with_code(&app, "admin", ADMIN_PASSWORD, &next).await.status(), StatusCode::OK);
    let res = login_with_code(&app, "admin", ADMIN_PASSWORD, &next).await;
    assert_error(res, StatusCode::UNAUTHORIZED, "used already").await;
    // A recovery code, typed in capitals, works once.
    let typed = recovery[0].to_uppercase();
    assert_eq!(login_with_code(&app, "admin", ADMIN_PASSWORD, &typed).await.status(), StatusCode::OK);
    // A wrong code with the right password counts as a failure: after five, the address waits,
    // even with a good code.
    for _ in 0..5 {
        let res = login_with_code(&app, "admin", ADMIN_PASSWORD, &recovery[0]).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = login_with_code(&app, "admin", ADMIN_PASSWORD, &recovery[1]).await;
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "try again").await;

    // Nor through the accounts endpoint, for themselves.
    let me: Value = app.get("/api/v1/auth/me", Some(&token)).await.json().await.unwrap();
    let own = format!("/api/v1/users/{}", me["id"].as_str().unwrap());
    let res =
        app.send(reqwest::Method::PATCH, &own, Some(&token), Some(json!({ "second_factor": false }))).await;
    assert_error(res, StatusCode::FORBIDDEN, "admins must keep").await;

    // Admins cannot turn it off while it is required of them.
    let off = json!({ "password": ADMIN_PASSWORD });
    let res = app.send(reqwest::Method::DELETE, "/api/v1/auth/second-factor", Some(&token), Some(off)).await;
    assert_error(res, StatusCode::FORBIDDEN, "admins must keep").await;
}

#[tokio::test]
async fn a_board_member_may_turn_it_on_and_off_and_an_admin_resets_a_lost_phone() {
    let app = spawn_app_with_users(&[("bo", Role::Board, "styrelsens lösenord")]).await;
    let bo = app.token_for("bo", "styrelsens lösenord").await;
    let setup: Value = app
        .send(reqwest::Method::POST, "/api/v1/auth/second-factor", Some(&bo), None)
        .await
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    // A session alone does not turn it on: the password is asked too.
    let borrowed = json!({ "code": app_code(&secret, 0), "password": "gissat lösenord" });
    let res = app
        .send(reqwest::Method::POST, "/api/v1/auth/second-factor/confirm", Some(&bo), Some(borrowed))
        .await;
    assert_error(res, StatusCode::FORBIDDEN, "password is wrong").await;
    let code = json!({ "code": app_code(&secret, 0), "password": "styrelsens lösenord" });
    let res =
        app.send(reqwest::Method::POST, "/api/v1/auth/second-factor/confirm", Some(&bo), Some(code)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.send(reqwest::Method::POST, "/api/v1/auth/second-factor", Some(&bo), None).await;
    assert_error(res, StatusCode::CONFLICT, "already on").await;
    let wrong = json!({ "password": "fel lösenord" });
    let res = app.send(reqwest::Method::DELETE, "/api/v1/auth/second-factor", Some(&bo), Some(wrong)).await;
    assert_error(res, StatusCode::FORBIDDEN, "password is wrong").await;
    let off = json!({ "password": "styrelsens lösenord" });
    let res = app.send(reqwest::Method::DELETE, "/api/v1/auth/second-factor", Some(&bo), Some(off)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        client_login(&app, "bo", "styrelsens lösenord").await,
        StatusCode::OK,
        "the password alone again"
    );

    // On again, then the phone is lost: an admin turns it off.
    let setup: Value = app
        .send(reqwest::Method::POST, "/api/v1/auth/second-factor", Some(&bo), None)
        .await
        .json()
        .await
        .unwrap();
    let code =
        json!({ "code": app_code(setup["secret"].as_str().unwrap(), 0), "password": "styrelsens lösenord" });
    app.send(reqwest::Method::POST, "/api/v1/auth/second-factor/confirm", Some(&bo), Some(code)).await;
    assert_eq!(client_login(&app, "bo", "styrelsens lösenord").await, StatusCode::UNAUTHORIZED);
    let admin = app.admin_token().await;
    let users: Vec<Value> = app.get("/api/v1/users", Some(&admin)).await.json().await.unwrap();
    let id = users.iter().find(|u| u["username"] == "bo").unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(users.iter().find(|u| u["username"] == "bo").unwrap()["second_factor"], true);
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({"second_factor": true})),
        )
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "only the account's owner").await;
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({"second_factor": false})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(client_login(&app, "bo", "styrelsens lösenord").await, StatusCode::OK);
}

/// A login from an address of its own (so earlier tries in the test do not count), its status.
async fn client_login(app: &TestApp, username: &str, password: &str) -> StatusCode {
    static NEXT: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(100);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    login_from(app, &client_from([127, 0, 3, n]), username, password).await.status()
}

#[tokio::test]
async fn an_admin_turns_on_two_step_verification_on_a_phone_and_logs_in_with_the_code() {
    use tavla_tests::helpers::browser::{act, check, Browser};
    let app = spawn_app_with(|c| c.admin_second_factor_optional = false).await;
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    act::open(page, &app.url("/konton")).await;
    check::text(page, "Som administratör behöver du slå på tvåstegsverifiering").await;
    act::click_link(page, "Slå på den under Mitt konto").await;
    check::heading(page, "Tvåstegsverifiering").await;
    check::text(page, "Tvåstegsverifiering är av.").await;
    act::click_button(page, "Slå på tvåstegsverifiering").await;
    check::css(page, "img.qr[alt='QR-kod för appen']").await;
    let secret = page
        .find(fantoccini::Locator::Css("code.secret"))
        .await
        .expect("the key is shown")
        .text()
        .await
        .expect("its text");
    check::focused(page, "Kod från appen").await;
    check::accessible(page, "turning on two-step verification").await;
    check::no_horizontal_scroll(page).await;
    act::fill(page, "Kod från appen", &app_code(&secret, 0)).await;
    act::fill(page, "Ditt lösenord", ADMIN_PASSWORD).await;
    act::click_button(page, "Bekräfta").await;
    check::heading(page, "Dina reservkoder").await;
    assert_eq!(check::count(page, ".recovery-codes li").await, 10);
    act::open(page, &app.url("/konton")).await;
    check::text(page, "tvåsteg").await;

    // Logged out, the plain login asks for the code after the password.
    act::open(page, &app.url("/")).await;
    act::click_button(page, "Logga ut").await;
    check::heading(page, "Logga in").await;
    act::fill(page, "Användarnamn", "admin").await;
    act::fill(page, "Lösenord", ADMIN_PASSWORD).await;
    act::click_button(page, "Logga in").await;
    check::text(page, "Kontot har tvåstegsverifiering: skriv koden från appen.").await;
    check::focused(page, "Kod från appen").await;
    act::fill(page, "Kod från appen", "000000").await;
    act::click_button(page, "Logga in").await;
    check::alert(page, "Fel kod").await;
    act::fill(page, "Kod från appen", &app_code(&secret, 1)).await;
    act::click_button(page, "Logga in").await;
    check::heading(page, "Strategiska mål 2026").await;
    phone.close().await;
}
