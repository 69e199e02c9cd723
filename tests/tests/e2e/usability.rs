//! What a usability test of the screens found (issue 16), checked in a real Chromium: focus
//! after every move to another page, a conflict shown on its record and merged there, and
//! axe-core's accessibility rules on every page, in both languages and on a phone.

use serde_json::json;
use tavla_shared::Kind;
use uuid::Uuid;

use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::{find, spawn_app};

const NOTED: &str = "Dialog med Länsstyrelsen.";

#[tokio::test]
async fn every_page_moves_focus_to_its_heading_and_has_no_accessibility_violations() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    // Two devices noted different things on one activity at the same time: a conflict.
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", NOTED);
    let note = |at: i64, text: &str| {
        json!([{ "id": 1, "kind": "activity", "entity_id": activity.id, "op": "put", "base_rev": activity.rev,
            "at": at, "fields": { "notes": text } }])
    };
    app.push(&token, Uuid::new_v4(), note(2, "Vi bokar lokal i Flen")).await;
    app.push(&token, Uuid::new_v4(), note(1, "Vi bjuder in LRF")).await;
    // An idea workshop entered in Swedish without a title: its automatic title is Swedish.
    let records = app.snapshot(&token).await;
    let gnesta = find(&records, Kind::Municipality, "name", "Gnesta");
    let idea_workshop = Uuid::new_v4();
    app.push(
        &token,
        Uuid::new_v4(),
        json!([{ "id": 1, "kind": "event", "entity_id": idea_workshop, "op": "put",
        "base_rev": 0, "at": 1, "fields": { "type": "idea_workshop", "title": "Idéverkstad – Gnesta",
        "date": "2026-03-01", "municipality_id": gnesta.id } }]),
    )
    .await;

    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::heading(page, "Verksamhetsplan 2026").await;
    // Goal 3's workshops are behind the pace to the end of 2026 (0 of 17 held; true from late
    // January 2026 on, and for every later date).
    check::text(page, "Workshops: 0 av 17. Takten till").await;
    check::accessible(page, "the overview").await;

    // Every move to another page puts the focus on its heading, so a screen reader reads it.
    act::click_link(page, "Aktiviteter").await;
    check::heading_focused(page, "Aktiviteter").await;
    check::accessible(page, "the activities list").await;
    act::click_button(page, "Tavla").await;
    check::css(page, ".board-card").await;
    check::accessible(page, "the activities board").await;
    // A filter changes only the query: the focus stays on the filter.
    let goal_3 = "Fortsätta arbetet mot en bättre beredskap inom verksamhetsområdet";
    act::select(page, "Strategiskt mål", &format!("3 {goal_3}")).await;
    check::text(page, "Visar 5 av 35 aktiviteter").await;
    check::focused(page, "Strategiskt mål").await;
    act::click_button(page, &format!("Ändra status «{NOTED}»")).await;
    check::css(page, "dialog[open]").await;
    check::accessible(page, "the status dialog").await;
    act::press_escape(page).await;

    act::click_link(page, "Händelser").await;
    check::heading_focused(page, "Händelser").await;
    check::accessible(page, "the events list").await;
    act::click_link(page, "Ny händelse").await;
    check::heading_focused(page, "Ny händelse").await;
    check::accessible(page, "the event form").await;

    act::click_link(page, "Översikt").await;
    check::heading_focused(page, "Verksamhetsplan 2026").await;
    act::click_link(page, "Upparbeta 75 %").await;
    let goal_1 = "Upparbeta 75 % av de tilldelade projektmedlen för programperioden 2023–2027";
    check::heading_focused(page, goal_1).await;
    check::accessible(page, "goal 1 with the funds form").await;
    act::open(page, &app.url("/mal/3")).await;
    check::heading(page, goal_3).await;
    check::accessible(page, "goal 3 with the workshops").await;

    // The record itself says it has a conflict, and leads to it.
    act::open(page, &app.url(&format!("/aktivitet/{}", activity.id))).await;
    check::text(page, "Den här posten har en konflikt att granska.").await;
    check::accessible(page, "an activity with a conflict").await;
    act::click_link(page, "Granska konflikten").await;
    check::heading(page, "Konflikter").await;
    // The link leads to the conflict itself, and the focus with it.
    check::css(page, "li.conflict[id^='konflikt-']:focus").await;
    // Both sides named; a text can be merged.
    check::text(page, "Administratör satte anteckningar till «Vi bjuder in LRF»").await;
    check::text(page, "men Administratör satte samtidigt «Vi bokar lokal i Flen»").await;
    check::accessible(page, "the conflicts page").await;
    act::click_button(page, "Slå ihop").await;
    check::field_value(page, "Sammanslagen text", "Vi bokar lokal i Flen\n\nVi bjuder in LRF").await;
    check::focused(page, "Sammanslagen text").await;
    act::fill(page, "Sammanslagen text", "Vi bokar lokal i Flen och bjuder in LRF.").await;
    act::click_button(page, "Spara sammanslagningen").await;
    check::text(page, "Inga konflikter att granska.").await;
    check::text(page, "Allt är synkat").await;
    let records = app.snapshot(&token).await;
    assert_eq!(records[&activity.id].fields["notes"], "Vi bokar lokal i Flen och bjuder in LRF.");
    let conflict = records.values().find(|r| r.kind == Kind::Conflict).expect("the conflict");
    assert_eq!(conflict.fields["resolved"], true);
    act::open(page, &app.url(&format!("/aktivitet/{}", activity.id))).await;
    check::heading(page, NOTED).await;
    check::gone(page, ".conflict-banner").await;

    act::open(page, &app.url("/konton")).await;
    check::heading(page, "Konton").await;
    check::accessible(page, "the accounts page").await;
    act::open(page, &app.url("/mitt-konto")).await;
    check::heading(page, "Mitt konto").await;
    check::accessible(page, "my account").await;
    act::open(page, &app.url(&format!("/handelser/{idea_workshop}"))).await;
    check::heading(page, "Händelse").await;
    check::accessible(page, "an event's page").await;
    act::open(page, &app.url("/finns-inte")).await;
    check::accessible(page, "a page that does not exist").await;

    act::open(page, &app.url("/")).await;
    // The app's own switch (the plain page of index.html has one too, until the app draws).
    check::heading(page, "Verksamhetsplan 2026").await;
    act::click_button(page, "English").await;
    check::heading(page, "Operational plan 2026").await;
    check::accessible(page, "the overview in English").await;
    act::click_link(page, "Events").await;
    check::heading_focused(page, "Events").await;
    check::text(page, "Idea workshop – Gnesta").await;
    check::heading(page, "Completed").await;
    act::click_button(page, "Svenska").await;
    act::click_button(page, "Logga ut").await;
    check::heading(page, "Logga in").await;
    check::accessible(page, "the login page").await;
    check::no_csp_violations(page).await;
    browser.close().await;

    // A phone: the board's status dialog is a sheet at the bottom.
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::accessible(page, "the overview on a phone").await;
    act::open(page, &app.url("/aktiviteter?vy=tavla&mal=4")).await;
    act::click_button(page, "Ändra status «Policy gällande förskott av LAG-pott.»").await;
    check::css(page, "dialog[open]").await;
    let bottom = page
        .execute("const r = document.getElementById('move-dialog').getBoundingClientRect(); return [Math.round(r.bottom), Math.round(r.width)];", vec![])
        .await
        .expect("script runs");
    assert_eq!(bottom, json!([800, 360]), "a full-width sheet at the bottom");
    check::accessible(page, "the status dialog on a phone").await;
    phone.screenshot("status-sheet-phone").await;
    act::press_escape(page).await;
    // The filter fold shows it folds; checkboxes keep their size beside a wrapping label.
    let arrow = page
        .execute(
            "return getComputedStyle(document.querySelector('.filters-box summary'), '::before').content;",
            vec![],
        )
        .await
        .expect("script runs");
    assert!(arrow.as_str().is_some_and(|a| a.contains('▸')), "the fold's arrow: {arrow}");
    act::open(page, &app.url(&format!("/aktivitet/{}", activity.id))).await;
    check::heading(page, NOTED).await;
    let sizes = page
        .execute("return [...document.querySelectorAll('.check input')].map(i => Math.round(i.getBoundingClientRect().width));", vec![])
        .await
        .expect("script runs");
    let sizes: Vec<i64> = sizes.as_array().expect("a list").iter().filter_map(|v| v.as_i64()).collect();
    assert!(!sizes.is_empty() && sizes.iter().all(|w| *w == 20), "checkbox widths {sizes:?}");
    assert_eq!(check::no_horizontal_scroll(page).await, 360);
    phone.close().await;
}

/// The registers of issue 10 (the idea funnel, people, ambassadors, personal data) on a desk
/// and on a phone: axe-core finds nothing, nothing scrolls sideways at 360 px, and the phone's
/// header leaves the screen to the content with "+ Ny idé" in the bottom bar.
#[tokio::test]
async fn the_registers_are_accessible_on_a_desk_and_a_phone() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let flen = find(&app.snapshot(&token).await, Kind::Municipality, "name", "Flen");
    let (person, idea) = (Uuid::new_v4(), Uuid::new_v4());
    app.push(
        &token,
        Uuid::new_v4(),
        json!([
            { "id": 1, "kind": "person", "entity_id": person, "op": "put", "base_rev": 0, "at": 1,
              "fields": { "name": "Kim Karlsson", "roles": ["former_project_owner"], "good_example": true,
                          "is_ambassador": true, "municipality_id": flen.id, "email": "kim@example.se" } },
            { "id": 2, "kind": "idea", "entity_id": idea, "op": "put", "base_rev": 0, "at": 1,
              "fields": { "title": "Ängsdag i Flen", "stage": "applying", "captured_on": "2026-02-01",
                          "municipality_id": flen.id, "captured_by_person_id": person, "consent": true,
                          "contact_name": "Ola", "contact_info": "ola@example.se", "next_step": "Ring Ola",
                          "next_step_due": "2026-03-01", "stage_reached_on": { "applying": "2026-03-03" } } }
        ]),
    )
    .await;

    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Idétratten 2026").await;
    check::text_in(page, "li.tile[data-stage='applying'] .tile-count", "1").await;
    act::click_link(page, "Idéer").await;
    check::heading_focused(page, "Idéer").await;
    check::text_in(page, "h2#column-applying", "Ansökan (1)").await;
    check::accessible(page, "the idea board").await;
    act::click_button(page, "Lista").await;
    check::text(page, "Ängsdag i Flen").await;
    check::accessible(page, "the idea list").await;
    act::click_link(page, "Ängsdag i Flen").await;
    check::heading_focused(page, "Ängsdag i Flen").await;
    check::field_value(page, "Namn", "Ola").await;
    check::accessible(page, "an idea's page").await;
    act::open(page, &app.url("/ideer/ny")).await;
    check::heading(page, "Ny idé").await;
    check::accessible(page, "quick capture").await;
    for (path, heading, what) in [
        ("/personer".to_string(), "Personer", "the people register"),
        (format!("/personer/{person}"), "Kim Karlsson", "a person's page"),
        ("/ambassadorer".into(), "Ambassadörer", "the ambassadors"),
        ("/personuppgifter".into(), "Personuppgifter", "personal data"),
    ] {
        act::open(page, &app.url(&path)).await;
        check::heading(page, heading).await;
        check::accessible(page, what).await;
    }
    // The register's search lives in the address: a shared link opens the same search.
    act::open(page, &app.url("/personer?q=karlsson")).await;
    check::text(page, "Visar 1 av 1 person").await;
    check::text(page, "Kim Karlsson").await;
    act::open(page, &app.url("/personer?q=ingen-heter-så")).await;
    check::text(page, "Visar 0 av 1 person").await;
    check::text(page, "Ingen person stämmer med sökningen.").await;
    // Kim is the ambassador in Flen; the other six municipalities have none.
    act::open(page, &app.url("/ambassadorer")).await;
    check::text(page, "6 av 7 kommuner saknar ambassadör.").await;
    act::click_button(page, "English").await;
    act::open(page, &app.url("/ideer")).await;
    check::heading(page, "Ideas").await;
    check::accessible(page, "the idea board in English").await;
    act::click_button(page, "Svenska").await;
    browser.close().await;

    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    // Header and menu took about 200 px of a phone before the registers (the header wrapped
    // to two lines); now the page starts within the first 120 px.
    let top = page
        .execute("return Math.round(document.getElementById('main').getBoundingClientRect().top);", vec![])
        .await
        .expect("script runs");
    let parts = page
        .execute("return [...document.querySelectorAll('header, .status-bar, .install-hint, nav')].map(e => e.className + ':' + Math.round(e.getBoundingClientRect().height));", vec![])
        .await
        .expect("script runs");
    assert!(top.as_i64().is_some_and(|t| t <= 120), "the page starts {top} px down: {parts}");
    let bar = page
        .execute("const r = document.querySelector('.bottom-bar').getBoundingClientRect(); return [Math.round(r.bottom), Math.round(r.width)];", vec![])
        .await
        .expect("script runs");
    assert_eq!(bar, json!([800, 360]), "the bottom bar spans the bottom of the screen");
    check::accessible(page, "the overview with the bottom bar").await;
    for (path, heading) in [
        ("/ideer".to_string(), "Idéer"),
        ("/ideer?vy=lista".into(), "Idéer"),
        ("/ideer/ny".into(), "Ny idé"),
        (format!("/ideer/{idea}"), "Ängsdag i Flen"),
        ("/personer".into(), "Personer"),
        (format!("/personer/{person}"), "Kim Karlsson"),
        ("/ambassadorer".into(), "Ambassadörer"),
        ("/personuppgifter".into(), "Personuppgifter"),
    ] {
        act::open(page, &app.url(&path)).await;
        check::heading(page, heading).await;
        assert_eq!(check::no_horizontal_scroll(page).await, 360, "{path}");
        check::accessible(page, &format!("{path} on a phone")).await;
        let shot: String =
            path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).take(30).collect();
        phone.screenshot(&format!("phone{shot}")).await;
    }
    // The sections the bar has no room for are one tap away, under "Mer".
    act::click_link(page, "Händelser").await;
    check::heading_focused(page, "Händelser").await;
    phone.screenshot("registers-phone").await;
    phone.close().await;
}
