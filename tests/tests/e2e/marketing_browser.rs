//! Marketing and the calendar in real browsers (issue 12): staff plan an item for next week on
//! a phone with no network, and after sync it is in the week view and the calendar on another
//! device; the week's question suggests the week's event and turns it into an item in one tap;
//! publishing items changes the per-channel counts.

use serde_json::json;
use tavla_shared::weeks::IsoWeek;
use tavla_shared::wire::MutationStatus;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::ideas_browser::{area, PASSWORD, STAFF};
use crate::privacy::today;
use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::{find, spawn_app, start_at};

const ITEM: &str = "Nyhetsbrev om beredskapsträffen";

#[tokio::test]
async fn an_item_planned_offline_on_a_phone_is_in_the_week_and_the_calendar_on_another_device() {
    let app = area().await;
    let next = IsoWeek::of(today()).next();

    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::open(page, &app.url("/marknadsforing")).await;
    act::log_in(page, STAFF, PASSWORD).await;
    check::heading(page, "Marknadsföring").await;
    check::text(page, "Allt är synkat").await;
    act::wait_for_service_worker(page).await;
    act::click_link(page, "Ny post").await;
    check::heading(page, "Ny post").await;

    // No network: the form opens again after a reload.
    let addr = app.addr;
    let data = app.stop().await;
    act::reload(page).await;
    check::heading(page, "Ny post").await;
    act::fill(page, "Rubrik", ITEM).await;
    act::select(page, "Kanal", "Nyhetsbrev").await;
    act::fill(page, "Vecka", "2026-W1").await;
    act::click_button(page, "Spara posten").await;
    check::text(page, "Skriv veckan som 2026-W49.").await;
    act::fill(page, "Vecka", &next.to_string()).await;
    check::selected(page, "Status", "Planerad").await;
    check::no_horizontal_scroll(page).await;
    phone.screenshot("marketing-form-offline").await;
    act::click_button(page, "Spara posten").await;
    // The week it was planned for, with the receipt in words.
    check::heading(page, "Marknadsföring").await;
    check::text(page, &format!("«{ITEM}» är sparad på enheten och skickas när du har nät.")).await;
    check::text(page, &format!("Vecka {}", next.week)).await;
    check::text(page, ITEM).await;
    check::text(page, "1 osynkad ändring").await;
    check::no_horizontal_scroll(page).await;

    // Back online.
    let app = start_at(data, addr).await;
    act::click_button(page, "Synka nu").await;
    check::text(page, "Allt är synkat").await;
    let admin = app.admin_token().await;
    let item = find(&app.snapshot(&admin).await, Kind::MarketingItem, "title", ITEM);
    assert_eq!(item.fields["week"], next.to_string());
    assert_eq!(item.fields["status"], "planned");
    assert_eq!(item.fields["channel"], "newsletter");
    phone.close().await;

    // Another device: the week view and the calendar.
    let desk = Browser::start(1280, 900).await;
    let office = &desk.client;
    act::sign_in_as_admin(office, &app.base).await;
    act::open(office, &app.url(&format!("/marknadsforing?vecka={next}"))).await;
    check::heading(office, "Marknadsföring").await;
    check::text(office, ITEM).await;
    check::text(office, "hela veckan").await;
    check::accessible(office, "the week view").await;
    act::open(office, &app.url(&format!("/kalender?vy=vecka&fran={}", next.monday()))).await;
    check::heading(office, "Kalender").await;
    check::text(office, ITEM).await;
    check::text(office, &format!("Vecka {}", next.week)).await;
    check::accessible(office, "the calendar's week").await;
    desk.screenshot("calendar-week").await;
    // The month view, and an agenda on a phone, say the same.
    act::open(office, &app.url(&format!("/kalender?fran={}", next.monday()))).await;
    check::text(office, ITEM).await;
    check::accessible(office, "the calendar's month").await;
    desk.screenshot("calendar-month").await;
    desk.close().await;
}

#[tokio::test]
async fn the_weeks_question_turns_the_weeks_event_into_an_item_and_publishing_it_counts() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let flen = find(&app.snapshot(&admin).await, Kind::Municipality, "name", "Flen").id;
    let event = Uuid::new_v4();
    let res = app
        .push(
            &admin,
            Uuid::new_v4(),
            json!([{"id": 1, "kind": "event", "entity_id": event, "op": "put", "base_rev": 0, "at": 1,
                "fields": {"type": "workshop", "title": "Workshop i Flen", "date": today(), "municipality_id": flen}}]),
        )
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    let week = IsoWeek::of(today());

    let desk = Browser::start(1280, 900).await;
    let page = &desk.client;
    act::sign_in_as_admin(page, &app.base).await;
    // Nothing planned this week: the overview says so and links the week's question.
    let flag = format!("Inget planerat att kommunicera vecka {}", week.week);
    act::click_link(page, &flag).await;
    check::heading(page, &format!("Veckans fråga – vecka {}", week.week)).await;
    check::text(page, "Vad kommunicerar vi denna vecka?").await;
    check::text(page, "Workshop i Flen").await;
    check::accessible(page, "the week's question").await;
    desk.screenshot("week-question").await;
    act::click_button(page, "Planera en post om «Workshop i Flen»").await;
    check::text(page, "«Workshop i Flen»: sparat och synkat.").await;
    check::text(page, "Allt är synkat").await;
    // Featured now, so no longer suggested; planned instead.
    check::text(page, "Inga förslag den här veckan.").await;
    let item = find(&app.snapshot(&admin).await, Kind::MarketingItem, "title", "Workshop i Flen");
    assert_eq!(item.fields["featured_event_id"], json!(event));
    assert_eq!(
        (item.fields["status"].as_str(), item.fields["week"].as_str()),
        (Some("planned"), Some(week.to_string().as_str()))
    );

    // Publishing it changes the communication plan's follow-up.
    let published_facebook = |m: u32| {
        format!("return [...document.querySelectorAll('table.channel-table tbody tr')].find(r => r.querySelector('th').textContent.trim() === 'Facebook').children[{m}].textContent;")
    };
    act::open(page, &app.url("/marknadsforing?vy=uppfoljning")).await;
    check::text_in(page, ".published-total", "0 publicerade under året").await;
    check::accessible(page, "the follow-up").await;
    act::open(page, &app.url(&format!("/marknadsforing/{}", item.id))).await;
    check::heading(page, "Workshop i Flen").await;
    act::select(page, "Status", "Publicerad").await;
    act::pick_date(page, "Publiceras", &today().to_string()).await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat och synkat").await;
    act::open(page, &app.url("/marknadsforing?vy=uppfoljning")).await;
    check::text_in(page, ".published-total", "1 publicerad under året").await;
    let month: u32 = today().to_string()[5..7].parse().unwrap();
    let cell = page.execute(&published_facebook(month), vec![]).await.unwrap();
    assert_eq!(cell, json!("1"), "Facebook in this month");
    desk.screenshot("marketing-follow-up").await;
    // Goal 5's page shows the same follow-up.
    act::open(page, &app.url("/mal/5")).await;
    check::text_in(page, ".published-total", "1 publicerad under året").await;
    desk.close().await;

    // On a phone: the week as an agenda and the calendar as a list, nothing sideways.
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    for path in ["/marknadsforing", "/marknadsforing?vy=manad", "/kalender", "/kalender?vy=agenda"] {
        act::open(page, &app.url(path)).await;
        check::text(page, "Workshop i Flen").await;
        assert_eq!(check::no_horizontal_scroll(page).await, 360, "{path}");
        check::accessible(page, &format!("{path} on a phone")).await;
    }
    phone.screenshot("calendar-phone").await;
    phone.close().await;
}
