//! Offline in a real browser: the server goes away, the app keeps working from its service
//! worker and IndexedDB, and the edits reach the server when it is back.

use tavla_shared::Kind;

use tavla_tests::helpers::browser::{act, check, Browser, Engine};
use tavla_tests::helpers::{find, spawn_app, start_at, ADMIN_PASSWORD};

const ACTIVITY: &str = "Dialog med Länsstyrelsen.";
const NOTE: &str = "Ringt Länsstyrelsen om beredskapsträffen";

#[tokio::test]
async fn an_edit_made_offline_survives_reload_and_closing_and_reaches_the_server() {
    an_edit_made_offline_in(Engine::Chromium).await;
}

/// The same in Safari's engine (WebKitGTK).
#[tokio::test]
async fn an_edit_made_offline_in_webkit_survives_reload_and_closing_and_reaches_the_server() {
    an_edit_made_offline_in(Engine::WebKit).await;
}

async fn an_edit_made_offline_in(engine: Engine) {
    let app = spawn_app().await;
    let browser = Browser::start_engine(engine, 360, 800).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Allt är synkat").await;
    act::wait_for_service_worker(page).await;
    act::click_link(page, "Fortsätta arbetet mot en bättre beredskap").await;
    act::click_link(page, ACTIVITY).await;
    check::heading(page, ACTIVITY).await;
    let url = page.current_url().await.expect("a URL").to_string();

    // The village hall: no server to reach. Reloading still opens the app with its data.
    let addr = app.addr;
    let data = app.stop().await;
    act::reload(page).await;
    check::heading(page, ACTIVITY).await;
    act::select(page, "Status", "Klar").await;
    act::fill(page, "Anteckningar", NOTE).await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat på enheten. Skickas när du har nät.").await;
    check::text(page, "1 osynkad ändring").await;
    check::text(page, "Offline").await;
    browser.screenshot("offline-edit").await;

    // Close the page and open it again, still offline: the edit is there, still pending.
    act::open(page, "about:blank").await;
    act::open(page, &url).await;
    check::heading(page, ACTIVITY).await;
    check::field_value(page, "Anteckningar", NOTE).await;
    check::text(page, "1 osynkad ändring").await;

    // Back online: the edit reaches the server and the count drops to zero.
    let app = start_at(data, addr).await;
    act::click_button(page, "Synka nu").await;
    check::text(page, "Allt är synkat").await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", ACTIVITY);
    assert_eq!(activity.fields["status"], "done");
    assert_eq!(activity.fields["notes"], NOTE);
    browser.close().await;
}

/// Logs in and opens one activity's page, letting the service worker settle first.
async fn open_activity(page: &fantoccini::Client, app: &tavla_tests::helpers::TestApp, id: uuid::Uuid) {
    act::open(page, &app.url("/")).await;
    act::log_in(page, "admin", ADMIN_PASSWORD).await;
    check::text(page, "Allt är synkat").await;
    // The first sync has ended (a page loaded while it runs starts over; in WebKit under load
    // that next page was seen waiting for over 20 s).
    check::text(page, "Senast synkad").await;
    act::wait_for_service_worker(page).await;
    act::open(page, &app.url(&format!("/aktivitet/{id}"))).await;
    check::heading(page, ACTIVITY).await;
}

/// A server, and a phone browser logged in on ACTIVITY's page.
async fn one_device() -> (tavla_tests::helpers::TestApp, uuid::Uuid, Browser) {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = find(&app.snapshot(&token).await, Kind::Activity, "title", ACTIVITY).id;
    let browser = Browser::start(360, 800).await;
    open_activity(&browser.client, &app, id).await;
    (app, id, browser)
}

/// A server, and a desk and a phone browser logged in on ACTIVITY's page.
async fn two_devices() -> (tavla_tests::helpers::TestApp, uuid::Uuid, Browser, Browser) {
    two_devices_with(Engine::Chromium).await
}

/// [`two_devices`] with the phone in `phone_engine`.
async fn two_devices_with(
    phone_engine: Engine,
) -> (tavla_tests::helpers::TestApp, uuid::Uuid, Browser, Browser) {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = find(&app.snapshot(&token).await, Kind::Activity, "title", ACTIVITY).id;
    let (desk, phone) =
        (Browser::start(1280, 900).await, Browser::start_engine(phone_engine, 360, 800).await);
    open_activity(&desk.client, &app, id).await;
    open_activity(&phone.client, &app, id).await;
    (app, id, desk, phone)
}

async fn save_status(page: &fantoccini::Client, status: &str) {
    act::select(page, "Status", status).await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat").await;
}

async fn sync(page: &fantoccini::Client) {
    act::click_button(page, "Synka nu").await;
    check::text(page, "Allt är synkat").await;
}

#[tokio::test]
async fn one_field_edited_offline_in_two_browsers_gives_one_conflict_resolved_for_both() {
    one_field_edited_offline_on_a_desk_and_a_phone(Engine::Chromium).await;
}

/// The same with the phone in Safari's engine (WebKitGTK) and the desk in Chromium.
#[tokio::test]
async fn one_field_edited_offline_on_a_desk_and_an_iphone_gives_one_conflict_resolved_for_both() {
    one_field_edited_offline_on_a_desk_and_a_phone(Engine::WebKit).await;
}

async fn one_field_edited_offline_on_a_desk_and_a_phone(phone_engine: Engine) {
    let (app, id, desk, phone) = two_devices_with(phone_engine).await;

    // Both offline; the desk pauses the activity, the phone (a moment later) marks it done.
    let addr = app.addr;
    let data = app.stop().await;
    save_status(&desk.client, "Pausad").await;
    save_status(&phone.client, "Klar").await;

    let app = start_at(data, addr).await;
    sync(&desk.client).await;
    sync(&phone.client).await;
    sync(&desk.client).await;
    for page in [&desk.client, &phone.client] {
        check::text(page, "1 konflikt att granska").await;
    }

    // The desk reads the conflict in plain words and keeps its own value, for everyone.
    act::click_link(&desk.client, "1 konflikt att granska").await;
    check::text(&desk.client, "Administratör satte status till «Pausad»").await;
    // Both sides are named, with their times.
    check::text(&desk.client, "men Administratör satte samtidigt «Klar»").await;
    desk.screenshot("conflict").await;
    act::click_button(&desk.client, "Behåll «Pausad»").await;
    check::text(&desk.client, "Inga konflikter att granska.").await;
    sync(&desk.client).await;
    sync(&phone.client).await;
    check::gone(&phone.client, ".conflicts-link").await;

    let token = app.admin_token().await;
    let records = app.snapshot(&token).await;
    assert_eq!(records[&id].fields["status"], "paused");
    let open = records.values().filter(|r| r.kind == Kind::Conflict && r.fields["resolved"] == false).count();
    assert_eq!(open, 0, "the conflict is resolved on the server");
    desk.close().await;
    phone.close().await;
}

#[tokio::test]
async fn a_change_on_one_device_shows_on_another_without_a_click() {
    let (_server, _id, desk, phone) = two_devices().await;
    assert_eq!(check::count(&phone.client, ".activity-meta .status-in_progress").await, 0);

    act::select(&desk.client, "Status", "Pågår").await;
    act::click_button(&desk.client, "Spara").await;
    check::text(&desk.client, "Sparat").await;
    // The server pokes the phone, which pulls: its badge changes on its own.
    check::css(&phone.client, ".activity-meta .status-in_progress").await;
    desk.close().await;
    phone.close().await;
}

#[tokio::test]
async fn edits_waiting_when_the_login_expires_reach_the_server_after_logging_in_again() {
    let (app, id, browser) = one_device().await;
    let page = &browser.client;

    // Offline, an edit waits in the outbox; meanwhile the browser's token is revoked.
    let addr = app.addr;
    let data = app.stop().await;
    act::fill(page, "Anteckningar", NOTE).await;
    act::click_button(page, "Spara").await;
    check::text(page, "1 osynkad ändring").await;
    let app = start_at(data, addr).await;
    let session = page
        .execute("return JSON.parse(localStorage.getItem('tavla.session')).token;", vec![])
        .await
        .unwrap();
    let res = app
        .http
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(session.as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);

    // The next sync meets a 401: the app asks for the password and keeps the edit.
    // The app may already have met the 401 itself (the event stream reconnects): ask for a
    // sync without needing the button, which the login page no longer shows.
    act::sync(page).await;
    check::heading(page, "Logga in").await;
    act::log_in(page, "admin", ADMIN_PASSWORD).await;
    check::text(page, "Allt är synkat").await;
    let token = app.admin_token().await;
    assert_eq!(app.snapshot(&token).await[&id].fields["notes"], NOTE);
    browser.close().await;
}

#[tokio::test]
async fn staff_add_an_activity_delete_it_and_restore_it() {
    let app = spawn_app().await;
    let browser = Browser::start(360, 800).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    act::open(page, &app.url("/mal/6")).await;
    check::heading(page, "Arbeta för ett dynamiskt och robust kontor").await;

    act::fill(page, "Beskrivning av aktiviteten", "Gemensam planeringsdag i januari").await;
    act::click_button(page, "Lägg till").await;
    act::click_link(page, "Gemensam planeringsdag i januari").await;
    check::heading(page, "Gemensam planeringsdag i januari").await;

    act::click_button(page, "Ta bort").await;
    page.accept_alert().await.expect("the delete is confirmed");
    check::text(page, "Aktiviteten är borttagen.").await;
    check::text(page, "Allt är synkat").await;
    let token = app.admin_token().await;
    let added = find(&app.snapshot(&token).await, Kind::Activity, "title", "Gemensam planeringsdag");
    assert!(added.deleted, "a tombstone on the server");

    act::click_button(page, "Återställ").await;
    check::css(page, "#notes").await;
    check::text(page, "Allt är synkat").await;
    let records = app.snapshot(&token).await;
    assert!(!records[&added.id].deleted, "restored on the server");
    assert_eq!(records[&added.id].fields["position"], 6, "placed after the goal's five activities");
    browser.close().await;
}

#[tokio::test]
async fn logging_out_with_unsynced_changes_asks_first_and_then_wipes_the_device() {
    let (app, id, browser) = one_device().await;
    let page = &browser.client;
    // One edit online, so this device's client id belongs to the admin on the server.
    act::fill(page, "Anteckningar", "Före").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat").await;
    check::text(page, "Allt är synkat").await;
    let addr = app.addr;
    let data = app.stop().await;
    act::fill(page, "Anteckningar", NOTE).await;
    act::click_button(page, "Spara").await;
    check::text(page, "1 osynkad ändring").await;

    // The warning names what is at stake; saying no keeps everything.
    act::click_button(page, "Logga ut").await;
    let question = page.get_alert_text().await.expect("a confirmation");
    assert!(question.contains("osynkade ändringar"), "{question}");
    page.dismiss_alert().await.expect("dismissed");
    check::text(page, "1 osynkad ändring").await;

    act::click_button(page, "Logga ut").await;
    page.accept_alert().await.expect("accepted");
    check::heading(page, "Logga in").await;
    let left = page
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const open = indexedDB.open('tavla');
             open.onsuccess = () => {
               const tx = open.result.transaction(['records', 'pages', 'outbox'], 'readonly');
               const r = tx.objectStore('records').count(), p = tx.objectStore('pages').count();
               const o = tx.objectStore('outbox').count();
               tx.oncomplete = () => done([r.result + p.result, o.result]);
             };",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(left, serde_json::json!([0, 0]), "no records and no outbox left on the device");

    // Someone else logs in on this device: a fresh client id, so the server accepts their edits.
    tavla_tests::helpers::add_user(&data, "kansli", tavla_shared::values::Role::Staff, "kansliets-lösenord");
    let app = tavla_tests::helpers::start_at(data, addr).await;
    let token = app.admin_token().await;
    assert_eq!(app.snapshot(&token).await[&id].fields["notes"], "Före", "the discarded edit never arrived");
    act::log_in(page, "kansli", "kansliets-lösenord").await;
    check::text(page, "Allt är synkat").await;
    act::open(page, &app.url(&format!("/aktivitet/{id}"))).await;
    act::fill(page, "Anteckningar", "Efter ny inloggning").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat").await;
    check::text(page, "Allt är synkat").await;
    assert_eq!(app.snapshot(&token).await[&id].fields["notes"], "Efter ny inloggning");
    browser.close().await;
}
