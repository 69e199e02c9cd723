//! The SPA in a real headless Chromium, on a phone-sized window, against a real server.

use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::{spawn_app, ADMIN_PASSWORD};

#[tokio::test]
async fn a_newcomer_logs_in_on_a_phone_and_reads_the_plan() {
    let app = spawn_app().await;
    let browser = Browser::start(360, 800).await;
    let page = &browser.client;

    act::open(page, &app.url("/")).await;
    // Not logged in: the login page, in Swedish although the browser speaks English.
    check::heading(page, "Logga in").await;
    act::log_in(page, "admin", "fel lösenord").await;
    check::alert(page, "Fel användarnamn eller lösenord.").await;
    browser.screenshot("phone-login-error").await;
    act::log_in(page, "admin", ADMIN_PASSWORD).await;

    check::heading(page, "Verksamhetsplan 2026").await;
    check::text(page, "Antagen 2026-03-05").await;
    check::heading(page, "Strategiska mål 2026").await;
    assert_eq!(check::count(page, ".goal-card").await, 6, "six strategic goals");
    check::text(page, "I Leader Södermanland möjliggörs attraktiva och hållbara landsbygder").await;
    check::text(page, "Ökade förutsättningar att bo och leva i Leader Södermanland").await;
    check::text(page, "Innovativa lösningar").await;
    assert_eq!(check::no_horizontal_scroll(page).await, 360, "a 360 px wide phone");
    browser.screenshot("phone-overview").await;

    act::click_link(page, "Fortsätta arbetet mot en bättre beredskap").await;
    check::heading(page, "Fortsätta arbetet mot en bättre beredskap inom verksamhetsområdet").await;
    assert_eq!(check::count(page, ".activity").await, 5, "goal 3 has five activities");
    check::text(page, "Genomföra 17 workshops i områdets kommuner, samt en stor Beredskapsträff.").await;
    check::no_horizontal_scroll(page).await;
    browser.screenshot("phone-goal-3").await;

    // A reload keeps the session and the page.
    act::reload(page).await;
    check::text(page, "Dialog med Länsstyrelsen.").await;
    check::no_csp_violations(page).await;

    browser.close().await;
}

#[tokio::test]
async fn the_language_switch_turns_the_interface_english_and_back() {
    let app = spawn_app().await;
    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;

    act::click_button(page, "English").await;
    check::heading(page, "Strategic goals 2026").await;
    check::lang(page, "en").await;
    check::text(page, "0 of 9 activities done (0 %)").await;
    check::text_in(page, "#workshops-count", "Workshops: 0 of 17").await;
    check::text_in(page, "#funds-used", "Committed: 0.0\u{a0}% (target 75 % by 2026-12-31)").await;
    check::heading(page, "Needs attention").await;
    // The plan's own title and the sync area's name follow the language too.
    check::heading(page, "Operational plan 2026").await;
    check::css(page, "section.status-bar[aria-label='Sync status']").await;
    act::open(page, &app.url("/mal/4")).await;
    check::text(page, "Outlook:").await;
    act::click_link(page, "← Back to the overview").await;
    browser.screenshot("desktop-overview-en").await;
    act::reload(page).await;
    check::heading(page, "Strategic goals 2026").await;

    // The button's name is the word it shows (voice control), in its own language.
    check::css(page, "button.lang[lang='sv']:not([aria-label])").await;
    act::click_button(page, "Svenska").await;
    check::heading(page, "Strategiska mål 2026").await;
    check::heading(page, "Verksamhetsplan 2026").await;
    check::lang(page, "sv").await;
    check::css(page, "button.lang[lang='en']:not([aria-label])").await;
    browser.close().await;
}

#[tokio::test]
async fn an_admin_creates_a_board_account_whose_screens_show_only_what_the_board_may_do() {
    let app = spawn_app().await;
    // A person in the register, for the account picker below.
    let admin = app.admin_token().await;
    let person = uuid::Uuid::new_v4();
    app.push(
        &admin,
        uuid::Uuid::new_v4(),
        serde_json::json!([{ "id": 1, "kind": "person", "entity_id": person,
        "op": "put", "base_rev": 0, "at": 1, "fields": { "name": "Anna Andersson", "roles": ["staff"] } }]),
    )
    .await;
    let browser = Browser::start(360, 800).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    act::click_link(page, "Konton").await;
    check::heading(page, "Konton").await;
    // The first account listed is the admin's own: link it to the person.
    act::select(page, "Person i registret", "Anna Andersson").await;
    check::text(page, "Sparat.").await;
    let users: Vec<tavla_shared::wire::User> =
        app.get("/api/v1/users", Some(&admin)).await.json().await.unwrap();
    assert_eq!(users.iter().find(|u| u.username == "admin").and_then(|u| u.person_id), Some(person));
    act::fill(page, "Användarnamn", "eva.styrelsen").await;
    act::fill(page, "Namn", "Eva i styrelsen").await;
    act::select(page, "Roll", "LAG-styrelsen").await;
    act::fill(page, "Lösenord", "kort").await;
    act::click_button(page, "Skapa konto").await;
    check::text(page, "at least 10 characters").await;
    act::fill(page, "Lösenord", "styrelsen ses i bygdegården").await;
    act::click_button(page, "Skapa konto").await;
    check::text(page, "Kontot är skapat.").await;
    check::text(page, "Eva i styrelsen").await;
    check::text(page, "admin (127.0.0.1) – lyckades").await;
    browser.screenshot("accounts").await;

    act::click_button(page, "Logga ut").await;
    check::heading(page, "Logga in").await;
    act::log_in(page, "eva.styrelsen", "styrelsen ses i bygdegården").await;
    check::heading(page, "Strategiska mål 2026").await;
    assert_eq!(check::count(page, "a[href='/konton']").await, 0, "no accounts link for the board");
    act::click_link(page, "Fortsätta arbetet mot en bättre beredskap").await;
    assert_eq!(check::count(page, ".new-activity").await, 0, "the board cannot add activities");
    act::click_link(page, "Dialog med Länsstyrelsen.").await;
    check::heading(page, "Dialog med Länsstyrelsen.").await;
    assert_eq!(
        check::count(page, "form.activity-form button.primary").await,
        0,
        "no save button for the board"
    );
    assert_eq!(check::count(page, "#new-comment").await, 1, "the board may comment");
    // What a board member may not change is plain text, with the reason.
    assert_eq!(check::count(page, "select#status").await, 0, "no greyed-out status");
    check::text(page, "Endast kansliet kan ändra aktiviteter – du kan kommentera.").await;
    check::text_in(page, ".facts div:first-child dd", "Ej påbörjad").await;
    // The board records events (a workshop from a phone) but only staff delete them, and the
    // board has no status dialog on the activities board.
    act::click_link(page, "Händelser").await;
    act::click_link(page, "Ny händelse").await;
    act::select(page, "Kommun", "Gnesta").await;
    act::click_button(page, "Spara").await;
    act::click_link(page, "Workshop – Gnesta").await;
    check::heading(page, "Händelse").await;
    assert_eq!(check::count(page, "button.danger").await, 0, "no delete for the board");
    act::click_link(page, "Aktiviteter").await;
    act::click_button(page, "Tavla").await;
    check::css(page, ".board-card").await;
    assert_eq!(check::count(page, ".move-button").await, 0, "the board does not move activities");

    act::click_link(page, "Mitt konto").await;
    act::fill(page, "Nuvarande lösenord", "styrelsen ses i bygdegården").await;
    act::fill(page, "Nytt lösenord", "ett eget och längre lösenord").await;
    act::click_button(page, "Byt lösenord").await;
    check::text(page, "Lösenordet är bytt.").await;
    assert_eq!(
        app.post_login("eva.styrelsen", "ett eget och längre lösenord").await.status(),
        reqwest::StatusCode::OK
    );
    check::no_csp_violations(page).await;
    browser.close().await;
}
