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
    act::open(page, &app.url("/")).await;
    act::log_in(page, "admin", ADMIN_PASSWORD).await;
    check::heading(page, "Strategiska mål 2026").await;

    act::click_button(page, "English").await;
    check::heading(page, "Strategic goals 2026").await;
    check::lang(page, "en").await;
    check::text(page, "9 prioritised activities").await;
    browser.screenshot("desktop-overview-en").await;
    act::reload(page).await;
    check::heading(page, "Strategic goals 2026").await;

    act::click_button(page, "Svenska").await;
    check::heading(page, "Strategiska mål 2026").await;
    check::lang(page, "sv").await;
    browser.close().await;
}
