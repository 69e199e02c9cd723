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
    // A modal dialog naming the activity once: Escape closes it and the keyboard is back on
    // the card's button.
    check::css(page, "dialog[open] input#move-to-not_started:checked").await;
    assert_eq!(check::count(page, "dialog[open] h2").await, 1);
    let dialog_text =
        page.find(fantoccini::Locator::Css("dialog[open]")).await.unwrap().text().await.unwrap();
    assert_eq!(dialog_text.matches(GOAL_4_ACTIVITY).count(), 1, "the title once: {dialog_text}");
    act::press_escape(page).await;
    check::gone(page, "dialog").await;
    check::focused(page, &move_button).await;
    // By keyboard alone: Enter opens it, the arrows move past "Pågår" without saving it, and
    // Enter saves "Klar"; the focus is back on the card's button in its new column.
    act::press_enter(page).await;
    check::focused(page, "Ej påbörjad").await;
    act::press_arrow_down(page).await;
    check::focused(page, "Pågår").await;
    check::css(page, "dialog[open]").await;
    assert_eq!(
        check::count(page, "section[data-status='in_progress'] .board-card").await,
        0,
        "an arrow does not save"
    );
    act::press_arrow_down(page).await;
    check::focused(page, "Klar").await;
    act::press_enter(page).await;
    check::gone(page, "dialog").await;
    check::css(page, "section[data-status='done'] .board-card").await;
    check::focused(page, &move_button).await;
    check::css(page, "section[data-status='done'] .move-button:focus").await;
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
    check::text(page, "Sparat och synkat.").await;
    // The history names the new owner, not a code.
    check::text(page, "Ändrade: ansvarig → Anna Andersson").await;
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
    check::text(page, "Sparat").await;
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

const WORKSHOP_ACTIVITY: &str = "Genomföra 17 workshops i områdets kommuner, samt en stor Beredskapsträff.";

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
    // Linked to goal 3 and its workshop activity from the start.
    check::selected(
        page,
        "Strategiskt mål",
        "3 Fortsätta arbetet mot en bättre beredskap inom verksamhetsområdet",
    )
    .await;
    check::selected(page, "Aktivitet", WORKSHOP_ACTIVITY).await;
    // Another type drops the links it did not choose; back to a workshop brings them again.
    act::select(page, "Typ", "Nätverksträff").await;
    check::selected(page, "Strategiskt mål", "Ingen vald").await;
    act::select(page, "Typ", "Workshop").await;
    check::selected(page, "Aktivitet", WORKSHOP_ACTIVITY).await;
    act::select(page, "Kommun", "Flen").await;
    // Held today (the date the form starts with).
    let today = page.execute("return document.getElementById('event-date').value", vec![]).await.unwrap();
    act::fill(page, "Antal deltagare", "14").await;
    act::click_button(page, "Spara").await;
    check::heading(page, "Händelser").await;
    // Said in words, not only counted.
    check::text(page, "Workshopen i Flen är sparad i telefonen och skickas när du har nät.").await;
    check::text_in(
        page,
        "section[aria-labelledby='past-heading'] .event-row .activity-title",
        "Workshop – Flen",
    )
    .await;
    assert_eq!(
        check::count(page, "section[aria-labelledby='coming-heading'] .event-row").await,
        0,
        "held today is not coming"
    );
    check::text(page, "1 osynkad ändring").await;
    act::click_button(page, "Synka nu").await;
    check::text(page, "Enheten är offline. Ändringarna finns kvar här och skickas när du har nät igen.")
        .await;
    assert_eq!(check::no_horizontal_scroll(page).await, 360);
    phone.screenshot("workshop-receipt-phone").await;

    // Back in signal: the line turns into "sparat och synkat".
    let app = start_at(data, addr).await;
    act::click_button(page, "Synka nu").await;
    check::text(page, "«Workshop – Flen»: sparat och synkat.").await;
    check::text(page, "Allt är synkat").await;

    act::click_link(page, "Översikt").await;
    check::text_in(page, "#workshops-count", "Workshops: 1 av 17").await;
    check::text_in(page, "li.tile[data-code='0482'] .tile-count", "1").await;
    check::text_in(page, "li.tile[data-code='0461'] .tile-count", "0").await;
    assert_eq!(check::no_horizontal_scroll(page).await, 360);
    phone.screenshot("workshops-phone").await;

    let desk = Browser::start(1280, 900).await;
    act::sign_in_as_admin(&desk.client, &app.base).await;
    check::text_in(&desk.client, "#workshops-count", "Workshops: 1 av 17").await;
    check::text_in(&desk.client, "li.tile[data-code='0482'] .tile-count", "1").await;

    let token = app.admin_token().await;
    let event = only(&app.snapshot(&token).await, Kind::Event);
    assert_eq!((event.fields["type"].as_str(), &event.fields["date"]), (Some("workshop"), &today));
    assert_eq!(event.fields["participants"], 14);
    let records = app.snapshot(&token).await;
    let activity = find(&records, Kind::Activity, "title", WORKSHOP_ACTIVITY);
    assert_eq!(event.fields["activity_id"], activity.id.to_string());
    assert_eq!(event.fields["strategic_goal_id"], activity.fields["strategic_goal_id"]);
    phone.close().await;
    desk.close().await;
}

#[tokio::test]
async fn recorded_funds_show_as_the_share_used_against_75_percent() {
    let app = spawn_app().await;
    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    // The overview's hint leads staff to the form, under the funds card, its amount in focus.
    act::click_link(page, "Ange tilldelade medel för att se hur det går mot målet.").await;
    check::heading(page, "Upparbeta 75 % av de tilldelade projektmedlen för programperioden 2023–2027").await;
    check::focused(page, "Nytt belopp i kronor").await;
    let order = page
        .execute("const f = document.getElementById('funds-heading'), m = document.getElementById('medel'), a = document.getElementById('activities-heading');
            return !!(f.compareDocumentPosition(m) & 4) && !!(m.compareDocumentPosition(a) & 4);", vec![])
        .await
        .unwrap();
    assert_eq!(order, serde_json::json!(true), "the form sits between the funds card and the activities");

    // A new total, typed as people write it: the difference is recorded (here all of it).
    act::fill(page, "Nytt belopp i kronor", "20 000 000 kr").await;
    check::text(page, "Det registreras som en ändring med +20\u{a0}000\u{a0}000\u{a0}kr (från 0\u{a0}kr som enheten visar nu).").await;
    act::click_button(page, "Registrera ändringen").await;
    check::text_in(page, "#funds-allocated", "20\u{a0}000\u{a0}000\u{a0}kr").await;
    check::text(page, "Sparat och synkat.").await;
    act::fill(page, "Nytt belopp i kronor", "25\u{a0}000\u{a0}000").await;
    check::text(
        page,
        "Det registreras som en ändring med +5\u{a0}000\u{a0}000\u{a0}kr (från 20\u{a0}000\u{a0}000\u{a0}kr",
    )
    .await;
    act::click_button(page, "Registrera ändringen").await;
    check::text_in(page, "#funds-allocated", "25\u{a0}000\u{a0}000\u{a0}kr").await;
    // The trail: who changed which amount, when, by how much.
    check::text(page, "Lade till: Tilldelade medel +5\u{a0}000\u{a0}000\u{a0}kr").await;
    check::text(page, "Lade till: Tilldelade medel +20\u{a0}000\u{a0}000\u{a0}kr").await;
    check::text_in(page, ".history li:first-child strong", "Administratör").await;
    act::fill(page, "Nytt belopp i kronor", "20 000 000").await;
    check::text(
        page,
        "Det registreras som en ändring med −5\u{a0}000\u{a0}000\u{a0}kr (från 25\u{a0}000\u{a0}000\u{a0}kr",
    )
    .await;
    act::click_button(page, "Registrera ändringen").await;
    check::text_in(page, "#funds-allocated", "20\u{a0}000\u{a0}000\u{a0}kr").await;

    act::select(page, "Belopp som ändras", "Beviljat (upparbetat)").await;
    act::fill(page, "Nytt belopp i kronor", "9 000 000 kr").await;
    // A colleague's change lands while the amount is typed: the page updates, the typing stays.
    let token = app.admin_token().await;
    let first =
        find(&app.snapshot(&token).await, Kind::Activity, "title", "Delta i relevanta forum och evenemang");
    let pushed = app.push(&token, uuid::Uuid::new_v4(), serde_json::json!([{ "id": 1, "kind": "activity",
        "entity_id": first.id, "op": "put", "base_rev": first.rev, "at": 1, "fields": { "status": "done" } }]))
        .await;
    assert_eq!(pushed.results[0].status, tavla_shared::wire::MutationStatus::Applied, "{pushed:?}");
    check::text(page, "1 av 9 aktiviteter klara (11 %)").await;
    check::field_value(page, "Nytt belopp i kronor", "9 000 000 kr").await;
    act::click_button(page, "Registrera ändringen").await;
    check::text_in(page, "#funds-used", "Upparbetat: 45,0\u{a0}% (mål 75 % senast 2026-12-31)").await;
    check::text(page, "Kvar till målet: 6\u{a0}000\u{a0}000\u{a0}kr").await;
    // The pace runs to the plan year's end; the period as a whole is shown beside it.
    check::text(page, "månader som är kvar till 2026-12-31").await;
    check::text(page, "Hela programperioden 2023–2027: 6\u{a0}000\u{a0}000\u{a0}kr kvar att bevilja för att nå 75 % till periodens slut 2027-12-31.").await;
    // A change rather than a total, and text that is no amount.
    act::select(page, "Belopp som ändras", "Utbetalt").await;
    act::choose(page, "Ändring (+ eller −)").await;
    act::fill(page, "Ändring i kronor", "tre miljoner").await;
    act::click_button(page, "Registrera ändringen").await;
    check::text(page, "Skriv ett belopp i hela kronor").await;
    act::fill(page, "Ändring i kronor", "50 00 000").await;
    act::click_button(page, "Registrera ändringen").await;
    check::text(page, "Mellanslag ska dela upp tusental").await;
    act::fill(page, "Ändring i kronor", "-1 kr").await;
    act::click_button(page, "Registrera ändringen").await;
    check::text(page, "Beloppet kan inte bli mindre än 0").await;
    act::fill(page, "Ändring i kronor", "+500 000 kr").await;
    act::click_button(page, "Registrera ändringen").await;
    check::text_in(page, "#funds-paid", "500\u{a0}000\u{a0}kr (2,5\u{a0}%)").await;
    check::text(page, "Allt är synkat").await;
    browser.screenshot("funds-desktop").await;

    // The target and its day are plan data an admin changes, not constants.
    act::fill(page, "Andel av periodens medel som ska vara beviljad (%)", "160").await;
    act::click_button(page, "Spara målet").await;
    check::text(page, "Skriv en andel mellan 1 och 100 % och ett datum.").await;
    act::fill(page, "Andel av periodens medel som ska vara beviljad (%)", "60").await;
    act::pick_date(page, "Senast", "2027-06-30").await;
    act::click_button(page, "Spara målet").await;
    check::text_in(page, "#funds-used", "Upparbetat: 45,0\u{a0}% (mål 60 % senast 2027-06-30)").await;
    check::text(page, "Kvar till målet: 3\u{a0}000\u{a0}000\u{a0}kr").await;
    check::text(page, "Allt är synkat").await;
    let plan = only(&app.snapshot(&token).await, Kind::Plan);
    assert_eq!(
        (plan.fields["funds_target_percent"].as_i64(), plan.fields["funds_target_on"].as_str()),
        (Some(60), Some("2027-06-30"))
    );

    let token = app.admin_token().await;
    let funds = only(&app.snapshot(&token).await, Kind::Funds);
    assert_eq!(
        (
            funds.fields["allocated_sek"].as_i64(),
            funds.fields["granted_sek"].as_i64(),
            funds.fields["paid_sek"].as_i64()
        ),
        (Some(20_000_000), Some(9_000_000), Some(500_000))
    );
    act::click_link(page, "Översikt").await;
    check::text_in(page, "#funds-used", "Upparbetat: 45,0\u{a0}% (mål 60 % senast 2027-06-30)").await;
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
