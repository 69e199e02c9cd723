//! "Kalender i telefonen" on Mitt konto, on a phone (issue 13): the link is made, shown once in
//! a labelled field that gets the focus, works in a calendar app (no login), and stops working
//! with "Sluta dela kalendern". The API side is in `calendar_feed.rs`.

use reqwest::StatusCode;

use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::spawn_app;

#[tokio::test]
async fn on_a_phone_i_make_my_calendar_link_see_it_once_and_stop_sharing() {
    let app = spawn_app().await;
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    act::open(page, &app.url("/mitt-konto")).await;
    check::heading(page, "Kalender i telefonen").await;
    check::text(page, "Du delar inte din kalender nu.").await;

    act::click_button(page, "Skapa kalenderlänk").await;
    check::focused(page, "Din kalenderlänk").await;
    let url = page
        .execute("return document.getElementById('calendar-feed-url').value", vec![])
        .await
        .expect("script runs");
    let url = url.as_str().expect("the link").to_string();
    assert!(url.starts_with(&app.url("/api/v1/calendar/")) && url.ends_with(".ics"), "{url}");
    let feed = app.http.get(&url).send().await.unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(feed.text().await.unwrap().contains("X-WR-CALNAME:Tavla"));
    check::text(page, "Skapad ").await;
    check::text(page, "Sluta dela kalendern").await;
    check::accessible(page, "my account with a new calendar link").await;
    check::no_horizontal_scroll(page).await;

    act::click_button(page, "Sluta dela kalendern").await;
    check::text(page, "Kalendern delas inte längre: länken fungerar inte mer.").await;
    check::focused(page, "Skapa kalenderlänk").await;
    check::gone(page, "#calendar-feed-url").await;
    assert_eq!(app.http.get(&url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    phone.close().await;
}
