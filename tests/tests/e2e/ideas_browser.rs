//! The idea funnel in real browsers (issue 10): a board member captures an idea on a phone in
//! a village hall with no network, staff move it on at a desk, and the phone's overview counts
//! follow; a private contact never reaches another board member's device.

use serde_json::json;
use tavla_shared::values::Role;
use tavla_shared::wire::User;
use tavla_shared::Kind;
use uuid::Uuid;

use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::{find, spawn_app_with_users, start_at, TestApp};

pub(crate) const BOARD: &str = "britt";
const OTHER_BOARD: &str = "bosse";
pub(crate) const STAFF: &str = "kansli";
pub(crate) const PASSWORD: &str = "bygdegårdens-lösenord";
const IDEA: &str = "Solceller på bygdegården";
const CONTACT_PHONE: &str = "070-123 45 67";

/// A server with two board members and a staff account; the first board member is linked to
/// the person "Britt Berg", an ambassador in Flen.
pub(crate) async fn area() -> TestApp {
    let app = spawn_app_with_users(&[
        (BOARD, Role::Board, PASSWORD),
        (OTHER_BOARD, Role::Board, PASSWORD),
        (STAFF, Role::Staff, PASSWORD),
    ])
    .await;
    let admin = app.admin_token().await;
    let flen = find(&app.snapshot(&admin).await, Kind::Municipality, "name", "Flen").id;
    let person = Uuid::new_v4();
    let res = app
        .push(
            &admin,
            Uuid::new_v4(),
            json!([{"id": 1, "kind": "person", "entity_id": person, "op": "put", "base_rev": 0, "at": 1,
                "fields": {"name": "Britt Berg", "roles": ["board_member"], "is_ambassador": true, "municipality_id": flen}}]),
        )
        .await;
    assert_eq!(res.results[0].status, tavla_shared::wire::MutationStatus::Applied);
    let users: Vec<User> = app.get("/api/v1/users", Some(&admin)).await.json().await.expect("users");
    let britt = users.iter().find(|u| u.username == BOARD).expect("the board member").id;
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{britt}"),
            Some(&admin),
            Some(json!({"person_id": person})),
        )
        .await;
    assert!(res.status().is_success(), "linked: {}", res.status());
    app
}

/// Everything the app keeps in IndexedDB, as one text.
async fn local_store_text(page: &fantoccini::Client) -> String {
    let script = r#"
        const done = arguments[arguments.length - 1];
        const open = indexedDB.open("tavla");
        open.onsuccess = () => {
            const db = open.result;
            const names = Array.from(db.objectStoreNames);
            const tx = db.transaction(names, "readonly");
            const all = [];
            for (const name of names) {
                tx.objectStore(name).getAll().onsuccess = (e) => all.push(JSON.stringify(e.target.result));
            }
            tx.oncomplete = () => { db.close(); done(all.join("\n")); };
            tx.onerror = () => done("error: " + String(tx.error));
        };
        open.onerror = () => done("error: " + String(open.error));
    "#;
    let text = page.execute_async(script, vec![]).await.expect("script runs");
    text.as_str().expect("a text").to_string()
}

#[tokio::test]
async fn an_idea_caught_offline_on_a_phone_reaches_the_funnel_and_the_counts_follow() {
    let app = area().await;
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::open(page, &app.url("/")).await;
    act::log_in(page, BOARD, PASSWORD).await;
    check::heading(page, "Strategiska mål 2026").await;
    check::text(page, "Allt är synkat").await;
    check::text(page, "Senast synkad").await;
    act::wait_for_service_worker(page).await;
    // "Ny idé" is in the bar at the bottom of a phone, in reach from any page.
    act::click_link(page, "+ Ny idé").await;
    check::heading(page, "Ny idé").await;

    // The village hall: no server. The capture page opens again after a reload.
    let addr = app.addr;
    let data = app.stop().await;
    act::reload(page).await;
    check::heading(page, "Ny idé").await;
    check::no_horizontal_scroll(page).await;
    act::fill(page, "Vad är idén?", IDEA).await;
    act::select(page, "Kommun", "Flen").await;
    act::fill(page, "Namn", "Anna Andersson").await;
    act::fill(page, "Telefon eller e-post", CONTACT_PHONE).await;
    // Without the consent box ticked the contact is not stored: the form says so.
    act::click_button(page, "Spara idén").await;
    check::text(page, "Kryssa i att personen har sagt ja").await;
    act::choose(page, "Personen har sagt ja till att vi sparar kontaktuppgifterna").await;
    // Captured by the account's person, today, unless changed.
    check::text(page, "Fångad av Britt Berg").await;
    act::click_button(page, "Spara idén").await;
    check::text(page, &format!("Idén «{IDEA}» är sparad i telefonen och skickas när du har nät.")).await;
    check::text(page, "1 osynkad ändring").await;
    check::no_horizontal_scroll(page).await;
    phone.screenshot("idea-captured-offline").await;

    // Still offline after a reload: the idea is on the board, waiting.
    act::reload(page).await;
    check::heading(page, "Idéer").await;
    check::text_in(page, "h2#column-idea", "Idé (1)").await;
    check::text(page, IDEA).await;
    check::text(page, "1 osynkad ändring").await;

    // Back online: the idea reaches the server.
    let app = start_at(data, addr).await;
    act::click_button(page, "Synka nu").await;
    check::text(page, "Allt är synkat").await;
    let admin = app.admin_token().await;
    let idea = find(&app.snapshot(&admin).await, Kind::Idea, "title", IDEA);
    assert_eq!(idea.fields["contact_info"], CONTACT_PHONE);
    assert_eq!(idea.fields["consent"], true);
    act::open(page, &app.url("/")).await;
    check::text_in(page, "li.tile[data-stage='idea'] .tile-count", "1").await;
    check::text_in(page, "li.tile[data-stage='interest_notified'] .tile-count", "0").await;

    // Staff at a desk see it in the funnel, with its contact, and move it on.
    let desk = Browser::start(1280, 900).await;
    let office = &desk.client;
    act::open(office, &app.url("/ideer")).await;
    act::log_in(office, STAFF, PASSWORD).await;
    check::text_in(office, "h2#column-idea", "Idé (1)").await;
    act::click_button(office, &format!("Flytta «{IDEA}»")).await;
    act::choose(office, "Intresseanmälan").await;
    act::click_button(office, "Spara").await;
    check::text_in(office, "h2#column-interest_notified", "Intresseanmälan (1)").await;
    check::text(office, "Allt är synkat").await;
    act::click_link(office, IDEA).await;
    check::field_value(office, "Namn", "Anna Andersson").await;

    // The phone's overview follows, without a reload.
    check::text_in(page, "li.tile[data-stage='interest_notified'] .tile-count", "1").await;
    check::text_in(page, "li.tile[data-stage='idea'] .tile-count", "0").await;
    desk.close().await;

    // Online, a second capture's receipt turns into "Skickad".
    act::click_link(page, "+ Ny idé").await;
    act::fill(page, "Vad är idén?", "Cykelled längs sjön").await;
    act::click_button(page, "Spara idén").await;
    check::text(page, "Skickad: idén «Cykelled längs sjön»").await;
    phone.close().await;

    // Another board member's device never holds the contact, not even in IndexedDB.
    let other = Browser::start(360, 800).await;
    let page = &other.client;
    act::open(page, &app.url("/")).await;
    act::log_in(page, OTHER_BOARD, PASSWORD).await;
    check::text(page, "Allt är synkat").await;
    act::open(page, &app.url(&format!("/ideer/{}", idea.id))).await;
    check::heading(page, IDEA).await;
    check::text(page, "Kontaktuppgifterna visas bara för personalen och den som fångade idén.").await;
    let stored = local_store_text(page).await;
    assert!(stored.contains(IDEA), "the idea itself is on the device");
    assert!(
        !stored.contains(CONTACT_PHONE) && !stored.contains("Anna Andersson"),
        "no contact on the device"
    );
    other.close().await;
}

/// Plants a pull page in the app's IndexedDB as a release before issue 10 stored it (with the
/// contact in it) and forgets the copy's pull epoch, as that release never wrote one.
async fn plant_old_copy(page: &fantoccini::Client, record: &serde_json::Value) {
    let script = r#"
        const [text, done] = arguments;
        const open = indexedDB.open("tavla");
        open.onsuccess = () => {
            const tx = open.result.transaction(["pages", "meta"], "readwrite");
            tx.objectStore("pages").add("[" + text + "]");
            tx.objectStore("meta").delete("pull_epoch");
            tx.oncomplete = () => { open.result.close(); done(true); };
            tx.onerror = () => done(String(tx.error));
        };
        open.onerror = () => done(String(open.error));
    "#;
    let result = page.execute_async(script, vec![json!(record.to_string())]).await.expect("script runs");
    assert_eq!(result, json!(true), "old copy planted");
}

#[tokio::test]
async fn a_copy_pulled_before_data_minimisation_loses_the_contacts_it_may_not_keep() {
    let app = area().await;
    let staff = app.token_for(STAFF, PASSWORD).await;
    let idea = Uuid::new_v4();
    app.push(
        &staff,
        Uuid::new_v4(),
        json!([{"id": 1, "kind": "idea", "entity_id": idea, "op": "put", "base_rev": 0, "at": 1,
            "fields": {"title": IDEA, "stage": "idea", "captured_on": "2026-11-01", "consent": true,
                       "contact_name": "Anna Andersson", "contact_info": CONTACT_PHONE}}]),
    )
    .await;
    let browser = Browser::start(1200, 900).await;
    let page = &browser.client;
    act::open(page, &app.url("/")).await;
    act::log_in(page, OTHER_BOARD, PASSWORD).await;
    check::text(page, "Allt är synkat").await;
    check::text(page, "Senast synkad").await;
    assert!(!local_store_text(page).await.contains(CONTACT_PHONE), "a new copy never held it");

    // The copy an earlier release pulled, when every account got every field.
    let old = app.snapshot(&staff).await[&idea].clone();
    assert_eq!(old.fields["contact_info"], CONTACT_PHONE);
    plant_old_copy(page, &serde_json::to_value(&old).expect("a record as JSON")).await;
    act::reload(page).await;
    check::text(page, "Allt är synkat").await;
    act::open(page, &app.url(&format!("/ideer/{idea}"))).await;
    check::text(page, "Kontaktuppgifterna visas bara för personalen och den som fångade idén.").await;
    // The pages pulled before are merged away when the copy is next read.
    act::reload(page).await;
    check::heading(page, IDEA).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let stored = local_store_text(page).await;
        if !stored.contains(CONTACT_PHONE) {
            assert!(stored.contains(IDEA));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the old copy's contact is still on the device");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn a_contact_the_retention_rule_removes_leaves_the_capturers_device_too() {
    let app = area().await;
    let britt = app.token_for(BOARD, PASSWORD).await;
    let idea = Uuid::new_v4();
    let res = app
        .push(
            &britt,
            Uuid::new_v4(),
            json!([{"id": 1, "kind": "idea", "entity_id": idea, "op": "put", "base_rev": 0, "at": 1,
                "fields": {"title": IDEA, "stage": "declined", "captured_on": "2026-01-10", "consent": true,
                           "contact_name": "Anna Andersson", "contact_info": CONTACT_PHONE}}]),
        )
        .await;
    assert_eq!(res.results[0].status, tavla_shared::wire::MutationStatus::Applied);
    let browser = Browser::start(1200, 900).await;
    let page = &browser.client;
    act::open(page, &app.url(&format!("/ideer/{idea}"))).await;
    act::log_in(page, BOARD, PASSWORD).await;
    check::field_value(page, "Telefon eller e-post", CONTACT_PHONE).await;
    assert!(local_store_text(page).await.contains(CONTACT_PHONE), "the capturer's device holds it");

    // Declined today by the server's clock: the contact goes 24 months on (the injected clock).
    let addr = app.addr;
    let data = app.stop().await;
    let due = crate::privacy::plus(crate::privacy::today(), 24, 0);
    assert_eq!(crate::privacy::sweep_stopped(&data, due).contacts_removed, 1);
    let _app = start_at(data, addr).await;
    act::click_button(page, "Synka nu").await;
    check::text(page, "Allt är synkat").await;
    check::field_value(page, "Telefon eller e-post", "").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while local_store_text(page).await.contains(CONTACT_PHONE) {
        assert!(tokio::time::Instant::now() < deadline, "the removed contact is still on the device");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    browser.close().await;
}
