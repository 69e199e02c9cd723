//! The goals board in a real browser: progress follows the activities, the two numeric targets
//! count what people record (offline too), and filtered views live in the URL.

use tavla_shared::Kind;

use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::{find, only, spawn_app, start_at};

/// Goal 4 has two activities, so one done is 50 %.
const GOAL_4_ACTIVITY: &str = "Policy gällande förskott av LAG-pott.";

#[tokio::test]
async fn marking_an_activity_done_on_the_board_raises_its_goals_progress_and_shows_in_its_history() {
    let app = spawn_app().await;
    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text_in(page, "li[data-goal='4'] .progress span", "0 av 2 aktiviteter klara (0 %)").await;

    act::click_link(page, "Aktiviteter").await;
    act::click_button(page, "Tavla").await;
    act::select(page, "Strategiskt mål", "4 Erbjuda snabbare och enklare stöd till stödsökande").await;
    check::text(page, "Visar 2 av 35 aktiviteter").await;
    assert!(page.current_url().await.unwrap().as_str().ends_with("/aktiviteter?vy=tavla&mal=4"));
    assert_eq!(check::count(page, "section[data-status='done'] .board-card").await, 0);
    // The status menu on the card: how keyboards, screen readers and phones move a card.
    let move_button = format!("Ändra status «{GOAL_4_ACTIVITY}»");
    act::click_button(page, &move_button).await;
    // A modal dialog: Escape closes it and the keyboard is back on the card's button.
    check::css(page, "dialog[open] select#move-status").await;
    act::press_escape(page).await;
    check::gone(page, "dialog").await;
    check::focused(page, &move_button).await;
    act::click_button(page, &move_button).await;
    act::select(page, &format!("Status för «{GOAL_4_ACTIVITY}»"), "Klar").await;
    check::css(page, "section[data-status='done'] .board-card").await;
    check::text(page, "Allt är synkat").await;
    browser.screenshot("board-desktop").await;

    act::click_link(page, "Översikt").await;
    check::text_in(page, "li[data-goal='4'] .progress span", "1 av 2 aktiviteter klara (50 %)").await;
    browser.screenshot("overview-desktop").await;

    // The detail page: a comment, and the history says who changed what.
    act::click_link(page, "Aktiviteter").await;
    act::click_link(page, GOAL_4_ACTIVITY).await;
    check::heading(page, GOAL_4_ACTIVITY).await;
    check::text(page, "Ändrade: status → Klar").await;
    act::fill(page, "Ny kommentar", "Styrelsen beslutar i december.").await;
    act::click_button(page, "Kommentera").await;
    check::text(page, "Styrelsen beslutar i december.").await;
    check::gone(page, ".comment .pending-badge").await;
    check::text_in(page, ".comment-meta strong", "Administratör").await;

    // An owner who is not yet a person in Tavla: added on the spot, then found by the filter.
    act::click_summary(page, "Ny person …").await;
    act::fill(page, "Namn på den nya personen", "Anna Andersson").await;
    act::click_button(page, "Lägg till och välj").await;
    check::selected(page, "Ansvarig", "Anna Andersson").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat på enheten.").await;
    act::click_link(page, "Aktiviteter").await;
    act::select(page, "Ansvarig", "Anna Andersson").await;
    check::text(page, "Visar 1 av 35 aktiviteter").await;
    check::text(page, "Anna Andersson").await;

    // The goal's health light, its note and its owner, set by a person.
    act::open(page, &app.url("/mal/4")).await;
    act::click_summary(page, "Ändra läge och ansvarig").await;
    act::select(page, "Läge", "I riskzonen").await;
    act::fill(page, "Kort kommentar om läget", "Väntar på LAG-beslut").await;
    act::select(page, "Ansvarig för målet", "Anna Andersson").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat på enheten.").await;
    act::click_link(page, "Översikt").await;
    check::text_in(page, "li[data-goal='4'] .badge", "I riskzonen").await;
    check::text_in(page, "li[data-goal='4'] .health-note", "Väntar på LAG-beslut").await;
    check::text_in(page, "li[data-goal='4'] > .meta", "Ansvarig: Anna Andersson").await;
    check::no_csp_violations(page).await;

    let token = app.admin_token().await;
    let records = app.snapshot(&token).await;
    let activity = find(&records, Kind::Activity, "title", GOAL_4_ACTIVITY);
    assert_eq!(activity.fields["status"], "done");
    let comment = only(&records, Kind::Comment);
    assert_eq!(comment.fields["target_id"], activity.id.to_string());
    browser.close().await;
}

#[tokio::test]
async fn a_workshop_added_offline_in_flen_counts_at_once_and_on_a_second_device_after_sync() {
    let app = spawn_app().await;
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Allt är synkat").await;
    act::wait_for_service_worker(page).await;
    check::text_in(page, "#workshops-count", "Workshops: 0 av 17").await;
    check::text_in(page, "li.tile[data-code='0482'] .tile-count", "0").await;

    // A village hall in Flen without signal.
    let addr = app.addr;
    let data = app.stop().await;
    act::click_link(page, "Registrera en workshop").await;
    check::heading(page, "Ny händelse").await;
    check::selected(page, "Typ", "Workshop").await;
    act::select(page, "Kommun", "Flen").await;
    act::pick_date(page, "Datum", "2026-05-12").await;
    act::fill(page, "Antal deltagare", "14").await;
    act::click_button(page, "Spara").await;
    check::heading(page, "Händelser").await;
    check::text(page, "Workshop – Flen").await;
    check::text(page, "1 osynkade ändringar").await;

    act::click_link(page, "Översikt").await;
    check::text_in(page, "#workshops-count", "Workshops: 1 av 17").await;
    check::text_in(page, "li.tile[data-code='0482'] .tile-count", "1").await;
    check::text_in(page, "li.tile[data-code='0461'] .tile-count", "0").await;
    assert_eq!(check::no_horizontal_scroll(page).await, 360);
    phone.screenshot("workshops-offline-phone").await;

    // Back in signal: the event reaches the server, and the office sees the same count.
    let app = start_at(data, addr).await;
    act::click_button(page, "Synka nu").await;
    check::text(page, "Allt är synkat").await;
    let desk = Browser::start(1280, 900).await;
    act::sign_in_as_admin(&desk.client, &app.base).await;
    check::text_in(&desk.client, "#workshops-count", "Workshops: 1 av 17").await;
    check::text_in(&desk.client, "li.tile[data-code='0482'] .tile-count", "1").await;

    let token = app.admin_token().await;
    let event = only(&app.snapshot(&token).await, Kind::Event);
    assert_eq!(
        (event.fields["type"].as_str(), event.fields["date"].as_str()),
        (Some("workshop"), Some("2026-05-12"))
    );
    assert_eq!(event.fields["participants"], 14);
    phone.close().await;
    desk.close().await;
}

#[tokio::test]
async fn recorded_funds_show_as_the_share_used_against_75_percent() {
    let app = spawn_app().await;
    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    act::click_link(page, "Upparbeta 75 %").await;
    check::text(page, "Ange tilldelade medel").await;

    act::select(page, "Belopp som ändras", "Tilldelade medel").await;
    act::fill(page, "Ändring i kronor", "20 000 000").await;
    act::click_button(page, "Registrera ändringen").await;
    check::text_in(page, "#funds-allocated", "20\u{a0}000\u{a0}000\u{a0}kr").await;
    act::select(page, "Belopp som ändras", "Beviljat (upparbetat)").await;
    act::fill(page, "Ändring i kronor", "9000000").await;
    // A colleague's change lands while the amount is typed: the page updates, the typing stays.
    let token = app.admin_token().await;
    let first =
        find(&app.snapshot(&token).await, Kind::Activity, "title", "Delta i relevanta forum och evenemang");
    let pushed = app.push(&token, uuid::Uuid::new_v4(), serde_json::json!([{ "id": 1, "kind": "activity",
        "entity_id": first.id, "op": "put", "base_rev": first.rev, "at": 1, "fields": { "status": "done" } }]))
        .await;
    assert_eq!(pushed.results[0].status, tavla_shared::wire::MutationStatus::Applied, "{pushed:?}");
    check::text(page, "1 av 9 aktiviteter klara (11 %)").await;
    check::field_value(page, "Ändring i kronor", "9000000").await;
    act::click_button(page, "Registrera ändringen").await;
    check::text_in(page, "#funds-used", "Upparbetat: 45,0\u{a0}% (mål 75 %)").await;
    check::text(page, "Kvar till målet: 6\u{a0}000\u{a0}000\u{a0}kr").await;
    act::fill(page, "Ändring i kronor", "tre miljoner").await;
    act::click_button(page, "Registrera ändringen").await;
    check::text(page, "Skriv ett heltal i kronor").await;
    check::text(page, "Allt är synkat").await;
    browser.screenshot("funds-desktop").await;

    let token = app.admin_token().await;
    let funds = only(&app.snapshot(&token).await, Kind::Funds);
    assert_eq!(
        (funds.fields["allocated_sek"].as_i64(), funds.fields["granted_sek"].as_i64()),
        (Some(20_000_000), Some(9_000_000))
    );
    act::click_link(page, "Översikt").await;
    check::text_in(page, "#funds-used", "Upparbetat: 45,0\u{a0}% (mål 75 %)").await;
    browser.close().await;
}

#[tokio::test]
async fn filters_live_in_the_url_and_survive_a_reload_on_a_phone() {
    let app = spawn_app().await;
    let browser = Browser::start(360, 800).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    act::click_link(page, "Aktiviteter").await;
    check::text(page, "Visar 35 av 35 aktiviteter").await;
    // On a phone the filters are folded under one line.
    assert_eq!(check::count(page, "details.filters-box[open]").await, 0);
    act::click_summary(page, "Filter").await;
    act::select(
        page,
        "Strategiskt mål",
        "3 Fortsätta arbetet mot en bättre beredskap inom verksamhetsområdet",
    )
    .await;
    act::select(page, "Status", "Ej påbörjad").await;
    check::text(page, "Visar 5 av 35 aktiviteter").await;
    let url = page.current_url().await.unwrap().to_string();
    assert!(url.ends_with("/aktiviteter?mal=3&status=not_started"), "{url}");

    act::reload(page).await;
    check::text(page, "Visar 5 av 35 aktiviteter").await;
    act::click_summary(page, "Filter (valda: 2)").await;
    check::selected(page, "Status", "Ej påbörjad").await;
    act::select(page, "Status", "Klar").await;
    check::text(page, "Visar 0 av 35 aktiviteter").await;
    act::click_button(page, "Rensa filter").await;
    check::text(page, "Visar 35 av 35 aktiviteter").await;

    // A shared link to the board opens as the board, on a phone too.
    act::open(page, &app.url("/aktiviteter?vy=tavla&kommun=0482&insatsomrade=1")).await;
    act::click_summary(page, "Filter (valda: 2)").await;
    check::selected(page, "Kommun", "Flen").await;
    check::css(page, "section[data-status='not_started'] h2").await;
    assert_eq!(check::no_horizontal_scroll(page).await, 360);
    browser.screenshot("board-phone").await;
    check::no_csp_violations(page).await;
    browser.close().await;
}

#[tokio::test]
async fn a_shared_link_opened_while_logged_out_opens_after_the_login() {
    let app = spawn_app().await;
    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::open(page, &app.url("/aktiviteter?vy=tavla&mal=4")).await;
    check::heading(page, "Logga in").await;
    act::log_in(page, "admin", tavla_tests::helpers::ADMIN_PASSWORD).await;
    check::text(page, "Visar 2 av 35 aktiviteter").await;
    let url = page.current_url().await.unwrap().to_string();
    assert!(url.ends_with("/aktiviteter?vy=tavla&mal=4"), "{url}");

    // Never to another site, whatever the link says.
    act::click_button(page, "Logga ut").await;
    act::open(page, &app.url("/logga-in?till=//example.com/")).await;
    act::log_in(page, "admin", tavla_tests::helpers::ADMIN_PASSWORD).await;
    check::heading(page, "Strategiska mål 2026").await;
    assert!(page.current_url().await.unwrap().as_str().starts_with(&app.base));
    browser.close().await;
}
