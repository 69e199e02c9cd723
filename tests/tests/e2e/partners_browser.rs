//! Partner dialogue in real browsers (issue 11): a board member logs a dialogue with Flen on a
//! phone with no network; after sync it is on Flen's timeline and in the owner's follow-ups on
//! another device, and marking it done there clears it on both. A municipality whose last
//! dialogue is ten weeks old is flagged on the list, its page and the overview.

use serde_json::json;
use tavla_shared::date::Date;
use tavla_shared::wire::MutationStatus;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::ideas_browser::{area, BOARD, PASSWORD};
use crate::privacy::today;
use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::{find, spawn_app, start_at};

const SUMMARY: &str = "Flen vill ha en beredskapsträff i vår";
const STEP: &str = "Skicka underlag om beredskap";

/// `d` moved by `days` (back when negative).
fn shift(d: Date, days: i64) -> Date {
    let mut out = d.0;
    for _ in 0..days.abs() {
        out = if days > 0 { out.succ_opt().unwrap() } else { out.pred_opt().unwrap() };
    }
    Date(out)
}

/// The text of the list row (or attention card) whose link reads `name`.
async fn row_text(page: &fantoccini::Client, css: &str, name: &str) -> String {
    let script = "const [css, name] = arguments;
        const row = [...document.querySelectorAll(css)].find(li => [...li.querySelectorAll('a')].some(a => a.textContent.trim() === name));
        return row ? row.innerText : null;";
    let text = page.execute(script, vec![json!(css), json!(name)]).await.expect("script runs");
    text.as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_dialogue_logged_offline_reaches_the_timeline_and_the_owners_follow_ups_on_another_device() {
    let app = area().await;
    let admin = app.admin_token().await;
    let flen = find(&app.snapshot(&admin).await, Kind::Partner, "name", "Flen").id;
    let britt = find(&app.snapshot(&admin).await, Kind::Person, "name", "Britt Berg").id;
    let due = shift(today(), 7);

    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::open(page, &app.url("/")).await;
    act::log_in(page, BOARD, PASSWORD).await;
    check::heading(page, "Strategiska mål 2026").await;
    check::text(page, "Allt är synkat").await;
    act::wait_for_service_worker(page).await;
    // "Ny dialog" sits next to "Ny idé" in the phone's bottom bar.
    act::click_link(page, "+ Ny dialog").await;
    check::heading(page, "Ny dialog").await;

    // The village hall: no server; the form opens again after a reload.
    let addr = app.addr;
    let data = app.stop().await;
    act::reload(page).await;
    check::heading(page, "Ny dialog").await;
    // Saved without a partner, the form says what is missing.
    act::fill(page, "Vad kom ni fram till?", SUMMARY).await;
    act::click_button(page, "Spara dialogen").await;
    check::text(page, "Välj vilken partner dialogen var med.").await;
    act::select(page, "Partner", "Flen").await;
    act::fill(page, "Vad ska göras?", STEP).await;
    act::pick_date(page, "Nästa steg senast", &due.to_string()).await;
    // Today and a meeting unless changed; the owner is the person logging it.
    check::field_value(page, "Datum", &today().to_string()).await;
    check::selected(page, "Ansvarig", "Britt Berg").await;
    check::no_horizontal_scroll(page).await;
    phone.screenshot("dialogue-form-offline").await;
    act::click_button(page, "Spara dialogen").await;
    // On Flen's page, with the receipt in words and the dialogue on the timeline.
    check::heading(page, "Flen").await;
    check::text(page, "«Dialogen med Flen» är sparad på enheten och skickas när du har nät.").await;
    check::text(page, SUMMARY).await;
    check::text(page, "1 osynkad ändring").await;
    check::no_horizontal_scroll(page).await;
    act::open(page, &format!("http://{addr}/att-gora")).await;
    check::heading(page, "Att göra").await;
    check::text(page, STEP).await;

    // Back online: the dialogue reaches the server.
    let app = start_at(data, addr).await;
    act::click_button(page, "Synka nu").await;
    check::text(page, "Allt är synkat").await;
    let dialogue = find(&app.snapshot(&admin).await, Kind::Dialogue, "summary", SUMMARY);
    assert_eq!(dialogue.fields["partner_id"], json!(flen));
    assert_eq!(dialogue.fields["next_step_owner_person_id"], json!(britt));
    assert_eq!(dialogue.fields["next_step_due"], json!(due.to_string()));
    assert_eq!(dialogue.fields["date"], json!(today().to_string()));
    assert_eq!(dialogue.fields["channel"], "meeting");

    // The owner's other device: the desk. Flen's timeline has it, and so do her follow-ups.
    let desk = Browser::start(1280, 900).await;
    let office = &desk.client;
    act::open(office, &app.url(&format!("/partner/{flen}"))).await;
    act::log_in(office, BOARD, PASSWORD).await;
    check::heading(office, "Flen").await;
    check::text(office, SUMMARY).await;
    check::text(office, &format!("Nästa steg: {STEP} · senast {due} · Britt Berg")).await;
    act::click_link(office, "Att göra").await;
    check::heading(office, "Att göra").await;
    check::text(office, "1 öppet nästa steg").await;
    check::accessible(office, "the follow-ups").await;
    act::click_button(office, &format!("Markera «{STEP}» som klart")).await;
    check::text(office, "Inga öppna nästa steg.").await;
    check::text(office, "Allt är synkat").await;
    let dialogue = find(&app.snapshot(&admin).await, Kind::Dialogue, "summary", SUMMARY);
    assert_eq!(dialogue.fields["next_step_done"], true);
    assert_eq!(dialogue.fields["next_step_done_text"], STEP, "done with the words of the step it was");
    desk.close().await;

    // The phone follows without a reload.
    check::text(page, "Inga öppna nästa steg.").await;
    phone.close().await;
}

#[tokio::test]
async fn a_municipality_ten_weeks_without_dialogue_is_flagged_and_the_matrix_counts_it() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let snapshot = app.snapshot(&admin).await;
    let gnesta = find(&snapshot, Kind::Partner, "name", "Gnesta").id;
    let region = find(&snapshot, Kind::Partner, "name", "Region Sörmland").id;
    let goal2 = find(&snapshot, Kind::StrategicGoal, "title", "Etablera och stärka samarbeten").id;
    let ten_weeks_ago = shift(today(), -70);
    let last_week = shift(today(), -7);
    let res = app
        .push(
            &admin,
            Uuid::new_v4(),
            json!([
                {"id": 1, "kind": "dialogue", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"partner_id": gnesta, "date": ten_weeks_ago, "channel": "meeting",
                            "summary": "Genomgång av medfinansieringen", "strategic_goal_ids": [goal2]}},
                // A joint meeting: the region's dialogue with Flen too.
                {"id": 2, "kind": "dialogue", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"partner_id": region, "partner_ids": [find(&snapshot, Kind::Partner, "name", "Flen").id],
                            "date": last_week, "channel": "event", "summary": "Regional beredskapsdag",
                            "strategic_goal_ids": [goal2]}}
            ]),
        )
        .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{:?}", res.results);

    let desk = Browser::start(1280, 900).await;
    let page = &desk.client;
    act::sign_in_as_admin(page, &app.base).await;
    // The overview's attention list names Gnesta.
    check::text(page, "Ingen kontakt på 10 veckor").await;
    assert!(row_text(page, ".attention-list li", "Gnesta").await.contains("Ingen kontakt på 10 veckor"));
    act::click_link(page, "Partner").await;
    check::heading(page, "Partner").await;
    check::heading(page, "Kommuner (7)").await;
    let row = row_text(page, ".partner-rows li", "Gnesta").await;
    assert!(row.contains("Ingen kontakt på 10 veckor"), "Gnesta's row: {row}");
    let row = row_text(page, ".partner-rows li", "Flen").await;
    assert!(row.contains(&format!("Senaste kontakt {last_week}")), "Flen counts the joint meeting: {row}");
    let row = row_text(page, ".partner-rows li", "Eskilstuna").await;
    assert!(row.contains("Ingen kontakt registrerad"), "never met: {row}");
    check::accessible(page, "the partner list").await;
    desk.screenshot("partners-list").await;

    // The matrix: Gnesta's and the region's dialogues in their months, Flen's through the joint meeting.
    act::click_button(page, "Matris").await;
    let month = |d: Date| d.to_string()[5..7].parse::<usize>().unwrap();
    let cell = |name: &str, m: usize| {
        format!("return [...document.querySelectorAll('table.matrix tbody tr')].find(r => r.querySelector('th').textContent.trim() === '{name}').children[{m}].textContent;")
    };
    let same_year = ten_weeks_ago.to_string()[..4] == today().to_string()[..4];
    if same_year {
        let n = page.execute(&cell("Gnesta", month(ten_weeks_ago)), vec![]).await.unwrap();
        assert_eq!(n, json!("1"));
    }
    if last_week.to_string()[..4] == today().to_string()[..4] {
        for name in ["Region Sörmland", "Flen"] {
            let n = page.execute(&cell(name, month(last_week)), vec![]).await.unwrap();
            assert_eq!(n, json!("1"), "{name}");
        }
    }
    if same_year {
        assert_eq!(page.execute(&cell("Gnesta", 13), vec![]).await.unwrap(), json!("1"), "Gnesta's year");
    }
    check::accessible(page, "the matrix").await;
    desk.screenshot("partners-matrix").await;
    // Filtered by goal 3, neither counts; by goal 2, both do.
    act::select(
        page,
        "Strategiskt mål",
        "3 Fortsätta arbetet mot en bättre beredskap inom verksamhetsområdet",
    )
    .await;
    let mut total = json!(null);
    for _ in 0..50 {
        total = page.execute(&cell("Gnesta", 13), vec![]).await.unwrap();
        if total == json!("0") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(total, json!("0"), "goal 3's matrix leaves out Gnesta's goal 2 dialogue");
    assert!(page.current_url().await.unwrap().as_str().ends_with("/partner?vy=matris&mal=3"));
    check::text(page, "Antal dialoger per partner och månad").await;

    // Gnesta's page says it too, and goal 2's page counts the dialogues that serve it.
    act::open(page, &app.url(&format!("/partner/{gnesta}"))).await;
    check::heading(page, "Gnesta").await;
    check::text(page, "Ingen kontakt på 10 veckor").await;
    check::text(page, "Kontakt minst var 8:e vecka").await;
    check::text(page, "Genomgång av medfinansieringen").await;
    check::accessible(page, "a partner's page").await;
    desk.screenshot("partner-page").await;
    act::open(page, &app.url("/mal/2")).await;
    check::text_in(page, ".evidence-count", "2 dialoger").await;
    check::text(page, &format!("Senast {last_week} med Region Sörmland:")).await;
    desk.close().await;

    // On a phone the matrix is a list with the same numbers.
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    act::open(page, &app.url("/partner?vy=matris")).await;
    check::heading(page, "Partner").await;
    let row = row_text(page, "ul.narrow-block li", "Region Sörmland").await;
    assert!(row.contains("1 dialog"), "the region on a phone: {row}");
    assert_eq!(check::no_horizontal_scroll(page).await, 360);
    check::accessible(page, "the matrix on a phone").await;
    phone.screenshot("partners-matrix-phone").await;
    act::open(page, &app.url("/dialog/ny")).await;
    check::heading(page, "Ny dialog").await;
    assert_eq!(check::no_horizontal_scroll(page).await, 360);
    check::accessible(page, "the dialogue form on a phone").await;
    phone.close().await;
}
