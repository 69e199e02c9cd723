//! The browser's half of "never lose an edit at the edges" (issue 9), in a real Chromium:
//! hostile records planted straight into IndexedDB never stop the app, a stale form never
//! sends back a colleague's change, and a change of user keeps the previous user's edits.

use serde_json::json;
use tavla_shared::values::Role;
use tavla_shared::Kind;
use uuid::Uuid;

use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::{find, spawn_app, spawn_app_with_users, start_at, ADMIN_PASSWORD};

/// Writes records into the app's IndexedDB as a hostile client (or a broken disk) would.
async fn plant(page: &fantoccini::Client, records: &[serde_json::Value]) {
    let texts: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    let script = r#"
        const [texts, done] = arguments;
        const open = indexedDB.open("tavla");
        open.onsuccess = () => {
            // As the app stores a pull page (schema 3), and a page that is no JSON at all.
            const tx = open.result.transaction("pages", "readwrite");
            tx.objectStore("pages").add("[" + texts.join(",") + "]");
            tx.objectStore("pages").add("{ not a page");
            tx.oncomplete = () => { open.result.close(); done(true); };
            tx.onerror = () => done(String(tx.error));
        };
        open.onerror = () => done(String(open.error));
    "#;
    let result = page.execute_async(script, vec![json!(texts)]).await.expect("script runs");
    assert_eq!(result, json!(true), "records planted");
}

async fn no_panic(page: &fantoccini::Client, where_: &str) {
    let panic = page.execute("return window.__tavlaPanic || null;", vec![]).await.expect("script runs");
    assert_eq!(panic, serde_json::Value::Null, "the app panicked on {where_}");
}

/// The app still answers a click: switching the language redraws the page both ways (after a
/// panic the wasm is dead and nothing changes).
async fn still_alive(page: &fantoccini::Client) {
    // The app's switch, not the plain page's (index.html has one until the app draws).
    act::app_started(page).await;
    let switch = fantoccini::Locator::Css("button.lang");
    page.find(switch).await.expect("the language switch").click().await.expect("a click");
    check::text(page, "Sync now").await;
    page.find(switch).await.expect("the language switch").click().await.expect("a click");
    check::text(page, "Synka nu").await;
}

#[tokio::test]
async fn hostile_records_in_the_local_store_never_stop_the_app() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let records = app.snapshot(&token).await;
    let activity = find(&records, Kind::Activity, "title", "Landsbygdsting");
    let goal_id = activity.fields["strategic_goal_id"].clone();
    let big = "å".repeat(60_000);
    let id = || Uuid::new_v4();
    let hostile = [
        json!({ "kind": "conflict", "id": id(), "rev": 1, "fields": { "target_kind": "activity", "target_id": activity.id, "field": "status", "kept_value": big, "lost_value": null, "lost_by": 7, "lost_at": "igår" } }),
        json!({ "kind": "activity", "id": id(), "rev": 2, "fields": { "strategic_goal_id": goal_id, "title": 42, "status": "finished", "position": "first", "due_on": "30/6" } }),
        json!({ "kind": "activity", "id": activity.id, "rev": activity.rev, "fields": { "strategic_goal_id": goal_id, "title": big, "status": null, "notes": { "x": [1] }, "position": 1 } }),
        json!({ "kind": "strategic_goal", "id": id(), "rev": 3, "fields": { "number": "sju", "title": null, "health": "great" } }),
        json!({ "kind": "event", "id": id(), "rev": 4, "fields": { "type": "party", "title": big, "date": "never", "participants": -5 } }),
        json!({ "kind": "person", "id": id(), "rev": 5, "fields": { "name": null, "roles": "all" } }),
        json!({ "kind": "funds", "id": id(), "rev": 6, "fields": { "allocated_sek": "lots", "granted_sek": 1e300 } }),
        json!({ "kind": "comment", "id": id(), "rev": 7, "fields": { "target_kind": "activity", "target_id": activity.id, "text": big, "created_at": "now" } }),
        json!({ "kind": "survey", "id": id(), "rev": 8, "fields": { "question": "?" } }),
        json!({ "kind": "plan", "id": id(), "rev": 9, "fields": {} }),
    ];

    let browser = Browser::start(360, 800).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Allt är synkat").await;
    plant(page, &hostile).await;
    for path in [
        "/".to_string(),
        "/mal/1".into(),
        "/mal/3".into(),
        "/aktiviteter".into(),
        "/aktiviteter?vy=tavla".into(),
        format!("/aktivitet/{}", activity.id),
        "/handelser".into(),
        "/konflikter".into(),
        "/konton".into(),
        "/mitt-konto".into(),
    ] {
        act::open(page, &app.url(&path)).await;
        check::css(page, "h1").await;
        still_alive(page).await;
        no_panic(page, &path).await;
    }
    browser.close().await;
}

/// A server, the admin's token, and a browser where the admin has an activity's page open.
async fn admin_on_an_activity() -> (tavla_tests::helpers::TestApp, String, tavla_shared::Record, Browser) {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Landsbygdsting");
    let browser = Browser::start(1200, 900).await;
    act::sign_in_as_admin(&browser.client, &app.base).await;
    act::open(&browser.client, &app.url(&format!("/aktivitet/{}", activity.id))).await;
    check::field_value(&browser.client, "Anteckningar", "").await;
    (app, token, activity, browser)
}

#[tokio::test]
async fn a_form_left_open_does_not_send_back_a_colleagues_change() {
    let (app, token, activity, browser) = admin_on_an_activity().await;
    let page = &browser.client;

    // The office marks it done from another device while the page stays open.
    app.push(
        &token,
        Uuid::new_v4(),
        json!([{ "id": 1, "kind": "activity", "entity_id": activity.id, "op": "put", "base_rev": activity.rev,
                 "at": 1, "fields": { "status": "done" } }]),
    )
    .await;
    act::click_button(page, "Synka nu").await;
    // The untouched status follows at once.
    check::selected(page, "Status", "Klar").await;
    act::fill(page, "Anteckningar", "Anmälda: 3").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat").await;
    check::text(page, "Allt är synkat").await;
    let now = &app.snapshot(&token).await[&activity.id];
    assert_eq!(now.fields["status"], "done", "the colleague's status was not sent back");
    assert_eq!(now.fields["notes"], "Anmälda: 3");
    no_panic(page, "the activity page").await;
    browser.close().await;
}

#[tokio::test]
async fn a_colleagues_note_shows_at_once_and_one_typed_over_it_becomes_a_conflict() {
    let (app, token, activity, browser) = admin_on_an_activity().await;
    let page = &browser.client;
    let colleague = Uuid::new_v4();
    let note = |n: u64, base: u64, text: &str| {
        json!([{ "id": n, "kind": "activity", "entity_id": activity.id, "op": "put", "base_rev": base,
                 "at": 1_000 + n, "fields": { "notes": text } }])
    };
    app.push(&token, colleague, note(1, activity.rev, "Kollegans anteckning")).await;
    act::sync(page).await;
    // Nobody touched the field here: it shows the colleague's note, not the old empty one.
    check::field_value(page, "Anteckningar", "Kollegans anteckning").await;
    act::fill(page, "Anteckningar", "Min anteckning").await;
    let rev = app.snapshot(&token).await[&activity.id].rev;
    app.push(&token, colleague, note(2, rev, "Kollegans andra anteckning")).await;
    act::sync(page).await;
    check::text(page, "Ändrad på en annan enhet medan du redigerade").await;
    check::field_value(page, "Anteckningar", "Min anteckning").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat").await;
    check::text(page, "Allt är synkat").await;
    // Both values are kept: the later one (mine) on the record, the other in a conflict.
    let records = app.snapshot(&token).await;
    assert_eq!(records[&activity.id].fields["notes"], "Min anteckning");
    let conflict = records.values().find(|r| r.kind == Kind::Conflict).expect("a conflict");
    assert_eq!(conflict.fields["lost_value"], "Kollegans andra anteckning");
    no_panic(page, "a clash").await;
    browser.close().await;
}

#[tokio::test]
async fn another_user_logging_in_after_an_expired_session_does_not_inherit_the_waiting_edits() {
    let app = spawn_app_with_users(&[("bo", Role::Staff, "kansliets lösenord")]).await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Landsbygdsting");

    let browser = Browser::start(1200, 900).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Allt är synkat").await;
    act::open(page, &app.url(&format!("/aktivitet/{}", activity.id))).await;
    // Offline, an edit waits; meanwhile the admin's session ends (revoked elsewhere).
    let addr = app.addr;
    let data = app.stop().await;
    act::fill(page, "Anteckningar", "Adminens anteckning").await;
    act::click_button(page, "Spara").await;
    check::text(page, "1 osynkad ändring").await;
    // The device stays cut off while the server comes back and the session is revoked, so the
    // waiting edit cannot be sent with the admin's token in between.
    tavla_tests::helpers::browser::set_offline(page, true).await;
    let app = start_at(data, addr).await;
    let admin_token: String = page
        .execute("return JSON.parse(localStorage.getItem('tavla.session')).token;", vec![])
        .await
        .expect("script runs")
        .as_str()
        .expect("a token")
        .to_string();
    app.http.post(app.url("/api/v1/auth/logout")).bearer_auth(&admin_token).send().await.expect("logout");
    tavla_tests::helpers::browser::set_offline(page, false).await;
    act::sync(page).await;
    // The next sync hears 401 and asks for a login.
    check::heading(page, "Logga in").await;

    // Bo logs in on the same device: told of the waiting edit, not shown it, never sending it.
    act::log_in(page, "bo", "kansliets lösenord").await;
    check::text(page, "1 osynkad ändring av en annan användare").await;
    act::open(page, &app.url(&format!("/aktivitet/{}", activity.id))).await;
    check::field_value(page, "Anteckningar", "").await;
    check::text(page, "Allt är synkat").await;
    assert!(app.snapshot(&token).await[&activity.id].fields.get("notes").is_none(), "not sent as Bo");

    // The admin logs in again (after Bo logs out): the edit is sent under the admin's name.
    act::click_button(page, "Logga ut").await;
    act::log_in(page, "admin", ADMIN_PASSWORD).await;
    check::text(page, "Allt är synkat").await;
    // "Allt är synkat" can still be the last session's line for a moment: wait for the server.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let notes = loop {
        let notes = app.snapshot(&token).await[&activity.id].fields.get("notes").cloned();
        if notes.is_some() || std::time::Instant::now() > deadline {
            break notes;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(notes, Some(serde_json::json!("Adminens anteckning")), "sent under the admin's name");
    no_panic(page, "the change of user").await;
    browser.close().await;
}

/// What 9224b27 (IndexedDB schema 1) left in a browser: its client id and a session in
/// localStorage, one waiting edit (a bare mutation) in the outbox. Run on a page of the origin
/// that does not start the app.
async fn seed_schema_1(
    page: &fantoccini::Client,
    client: Uuid,
    session: &serde_json::Value,
    waiting: &serde_json::Value,
) {
    let script = r#"
        const [client, session, mutation, id, done] = arguments;
        localStorage.setItem("tavla.client_id", JSON.stringify(client));
        localStorage.setItem("tavla.session", session);
        const open = indexedDB.open("tavla", 1);
        open.onupgradeneeded = () => {
            for (const name of ["records", "outbox", "meta"]) open.result.createObjectStore(name);
        };
        open.onsuccess = () => {
            const tx = open.result.transaction(["outbox", "meta"], "readwrite");
            tx.objectStore("outbox").put(mutation, id);
            tx.objectStore("meta").put(String(id + 1), "next_mutation_id");
            tx.oncomplete = () => { open.result.close(); done(true); };
        };
    "#;
    let args =
        vec![json!(client), json!(session.to_string()), json!(waiting.to_string()), waiting["id"].clone()];
    assert_eq!(page.execute_async(script, args).await.expect("script runs"), json!(true));
}

/// An activity's notes on the server once a waiting edit has arrived (up to 20 s): the edit was
/// written before the app started, so no screen confirms it.
async fn notes_on_the_server(
    app: &tavla_tests::helpers::TestApp,
    token: &str,
    id: Uuid,
) -> serde_json::Value {
    for _ in 0..100 {
        let notes = app.snapshot(token).await[&id].fields.get("notes").cloned().unwrap_or_default();
        if !notes.is_null() {
            return notes;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    serde_json::Value::Null
}

/// The user's client id on this device, from the app's IndexedDB (schema 2's `meta.clients`).
async fn client_id_in_browser(page: &fantoccini::Client) -> String {
    let script = r#"
        const done = arguments[0];
        const open = indexedDB.open("tavla");
        open.onsuccess = () => {
            const get = open.result.transaction("meta").objectStore("meta").get("clients");
            get.onsuccess = () => { open.result.close(); done(Object.values(JSON.parse(get.result))[0]); };
        };
    "#;
    page.execute_async(script, vec![]).await.expect("script runs").as_str().expect("a client id").to_string()
}

#[tokio::test]
async fn two_tabs_editing_offline_both_keep_their_edits() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let records = app.snapshot(&token).await;
    let first = find(&records, Kind::Activity, "title", "Landsbygdsting");
    let second = find(&records, Kind::Activity, "title", "Dialog med Länsstyrelsen");
    let browser = Browser::start(1200, 900).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Allt är synkat").await;
    act::wait_for_service_worker(page).await;
    act::open(page, &app.url(&format!("/aktivitet/{}", first.id))).await;
    let tab_a = page.window().await.expect("a window");
    let tab_b = page.new_window(true).await.expect("a new tab").handle;
    page.switch_to_window(tab_b.clone()).await.expect("to tab B");
    act::open(page, &app.url(&format!("/aktivitet/{}", second.id))).await;
    check::field_value(page, "Anteckningar", "").await;

    // The village hall: both tabs edit with no server to reach.
    let addr = app.addr;
    let data = app.stop().await;
    act::fill(page, "Anteckningar", "Från flik B").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat").await;
    page.switch_to_window(tab_a.clone()).await.expect("to tab A");
    act::fill(page, "Anteckningar", "Från flik A").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat").await;
    // Tab A counts tab B's edit too: one outbox for the browser.
    check::text(page, "2 osynkade ändringar").await;

    let app = start_at(data, addr).await;
    act::click_button(page, "Synka nu").await;
    check::text(page, "Allt är synkat").await;
    let now = app.snapshot(&token).await;
    assert_eq!(now[&first.id].fields["notes"], "Från flik A");
    assert_eq!(now[&second.id].fields["notes"], "Från flik B");
    page.switch_to_window(tab_b).await.expect("to tab B");
    check::text(page, "Allt är synkat").await;
    no_panic(page, "two tabs").await;
    browser.close().await;
}

#[tokio::test]
async fn an_edit_too_large_to_send_is_refused_on_the_device_and_the_edits_behind_it_still_sync() {
    let (app, token, activity, browser) = admin_on_an_activity().await;
    let page = &browser.client;
    check::text(page, "Allt är synkat").await;
    // A 3 MB note waits in the outbox (written by an older release, or a script): no push can
    // carry it.
    let client = client_id_in_browser(page).await;
    let huge = json!({ "client_id": client, "mutation": { "id": 500, "kind": "activity", "entity_id": activity.id,
        "op": "put", "base_rev": activity.rev, "at": 1, "fields": { "notes": "x".repeat(3 << 20) } } });
    let script = r#"
        const [text, done] = arguments;
        const open = indexedDB.open("tavla");
        open.onsuccess = () => {
            const tx = open.result.transaction("outbox", "readwrite");
            tx.objectStore("outbox").put(text, 500);
            tx.oncomplete = () => { open.result.close(); done(true); };
        };
    "#;
    assert_eq!(
        page.execute_async(script, vec![json!(huge.to_string())]).await.expect("script runs"),
        json!(true)
    );
    // Opened again, so the app reads the planted edit.
    act::open(page, &app.url(&format!("/aktivitet/{}", activity.id))).await;
    act::select(page, "Status", "Pågår").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat").await;
    check::text(page, "Ändringen är för stor.").await;
    check::text(page, "Allt är synkat").await;
    let now = &app.snapshot(&token).await[&activity.id];
    assert_eq!(now.fields["status"], "in_progress", "the edit behind it was sent");
    assert!(now.fields.get("notes").is_none());
    no_panic(page, "an oversized edit").await;
    browser.close().await;
}

#[tokio::test]
async fn edits_left_by_the_previous_release_are_sent_after_the_upgrade() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", "Landsbygdsting");
    let login: serde_json::Value =
        app.post_login("admin", ADMIN_PASSWORD).await.json().await.expect("a login");
    let browser = Browser::start(1200, 900).await;
    let page = &browser.client;
    // A page of the origin that does not start the app: set up what 9224b27 left behind.
    act::open(page, &app.url("/api/v1/health")).await;
    let legacy_client = Uuid::new_v4();
    let waiting = json!({ "id": 1, "kind": "activity", "entity_id": activity.id, "op": "put",
        "base_rev": activity.rev, "at": 1_764_000_000_000_i64, "fields": { "notes": "Skrivet i gamla versionen" } });
    let session = json!({ "token": login["token"], "user": login["user"] });
    seed_schema_1(page, legacy_client, &session, &waiting).await;

    // The new build starts: it upgrades the database and sends the waiting edit.
    act::open(page, &app.url("/")).await;
    assert_eq!(notes_on_the_server(&app, &token, activity.id).await, "Skrivet i gamla versionen");
    check::text(page, "Allt är synkat").await;
    let history: serde_json::Value = app
        .get(&format!("/api/v1/history/{}", activity.id), Some(&token))
        .await
        .json()
        .await
        .expect("history");
    assert_eq!(history["changes"][0]["by"], "Administratör");
    no_panic(page, "the upgrade").await;
    browser.close().await;
}

#[tokio::test]
async fn a_write_the_device_refuses_never_says_saved_and_keeps_what_was_typed() {
    let (_app, _token, _activity, browser) = admin_on_an_activity().await;
    let page = &browser.client;
    // A newer release opens the database in another tab: this tab lets go of it and can no
    // longer write (as a full disk or private mode refuse writes too).
    let script = r#"
        const done = arguments[0];
        const open = indexedDB.open("tavla", 99);
        open.onsuccess = () => { open.result.close(); done(true); };
        open.onerror = () => done(String(open.error));
    "#;
    assert_eq!(page.execute_async(script, vec![]).await.expect("script runs"), json!(true));
    check::text(page, "En nyare version av Tavla har öppnats i en annan flik").await;
    act::fill(page, "Anteckningar", "Skrivet när enheten inte tog emot").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Kunde inte sparas").await;
    check::field_value(page, "Anteckningar", "Skrivet när enheten inte tog emot").await;
    let source = page.source().await.expect("the page");
    assert!(!source.contains("Sparat på enheten") && !source.contains("Sparat och synkat"));
    no_panic(page, "a refused write").await;
    browser.close().await;
}

#[tokio::test]
async fn edits_under_another_users_client_id_wait_for_their_author_and_are_sent_at_their_login() {
    let app = spawn_app_with_users(&[("bo", Role::Staff, "kansliets lösenord")]).await;
    let token = app.admin_token().await;
    let records = app.snapshot(&token).await;
    let first = find(&records, Kind::Activity, "title", "Landsbygdsting");
    let second = find(&records, Kind::Activity, "title", "Dialog med Länsstyrelsen");
    // Under 9224b27 the admin pushed with this browser's client id, then the session expired
    // with an edit waiting, and Bo logged in: the old release kept one client id for both.
    let legacy = Uuid::new_v4();
    let funds = tavla_tests::helpers::only(&records, Kind::Funds).id;
    app.push(&token, legacy, json!([{ "id": 1, "kind": "funds", "entity_id": funds, "op": "add", "field": "paid_sek", "by": 1, "at": 1 }]))
        .await;
    let bo: serde_json::Value =
        app.post_login("bo", "kansliets lösenord").await.json().await.expect("a login");
    let browser = Browser::start(1200, 900).await;
    let page = &browser.client;
    act::open(page, &app.url("/api/v1/health")).await;
    let waiting = json!({ "id": 2, "kind": "activity", "entity_id": first.id, "op": "put", "base_rev": first.rev,
        "at": 1_764_000_000_000_i64, "fields": { "notes": "Adminens väntande anteckning" } });
    let session = json!({ "token": bo["token"], "user": bo["user"] });
    seed_schema_1(page, legacy, &session, &waiting).await;

    // The new build gives the edit to Bo's session, the server says the id is the admin's: it
    // is parked for its author, and Bo goes on with a new client id.
    act::open(page, &app.url("/")).await;
    check::text(page, "1 osynkad ändring av en annan användare").await;
    act::open(page, &app.url(&format!("/aktivitet/{}", second.id))).await;
    act::select(page, "Status", "Pågår").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat").await;
    check::text(page, "Allt är synkat").await;
    assert_eq!(app.snapshot(&token).await[&second.id].fields["status"], "in_progress", "Bo's own edit");
    assert!(app.snapshot(&token).await[&first.id].fields.get("notes").is_none(), "never sent as Bo");

    // The admin logs in here: the parked edit goes out under its own client id.
    act::click_button(page, "Logga ut").await;
    act::log_in(page, "admin", ADMIN_PASSWORD).await;
    assert_eq!(notes_on_the_server(&app, &token, first.id).await, "Adminens väntande anteckning");
    check::gone(page, ".others-pending").await;
    no_panic(page, "a parked client id").await;
    browser.close().await;
}
