//! The follow-up in a real Chromium (issue 13): the 2026 report shows all six goals and all 35
//! activities with the evidence recorded in the test, prints as an A4 PDF with a page or more
//! per goal and without the navigation, and works offline; Flen's page shows a workshop and a
//! dialogue recorded for Flen. Traceability: an activity's focus area is ticked on its page.

use serde_json::json;
use tavla_shared::wire::{MutationStatus, Record};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::ideas_browser::{area, PASSWORD, STAFF};
use tavla_tests::helpers::browser::{act, check, emulate_media, print_pdf, set_offline, Browser};
use tavla_tests::helpers::find;

const WORKSHOP: &str = "Workshop om beredskap i Flen";
const DIALOGUE: &str = "Samtal med Flens kommun om beredskapsträffen";
const IDEA: &str = "Solceller på bygdegården i Flen";
const ITEM: &str = "Nyhetsbrev om workshopen i Flen";

/// The strategic goal numbered `n`.
fn goal(records: &std::collections::HashMap<Uuid, Record>, n: i64) -> Uuid {
    records
        .values()
        .find(|r| r.kind == Kind::StrategicGoal && r.fields["number"].as_i64() == Some(n))
        .map(|r| r.id)
        .expect("the goal")
}

#[tokio::test]
async fn the_follow_up_shows_every_goal_and_activity_with_its_evidence_and_prints_a_page_per_goal() {
    let app = area().await;
    let admin = app.admin_token().await;
    let all = app.snapshot(&admin).await;
    let flen = find(&all, Kind::Municipality, "name", "Flen").id;
    let flen_partner = all
        .values()
        .find(|r| r.kind == Kind::Partner && r.fields["name"] == "Flen")
        .map(|r| r.id)
        .expect("the partner Flen");
    let workshops = find(&all, Kind::Activity, "title", "Genomföra 17 workshops");
    let mutations = json!([
        {"id": 1, "kind": "event", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
         "fields": {"type": "workshop", "title": WORKSHOP, "date": "2026-11-20", "municipality_id": flen,
            "activity_id": workshops.id, "strategic_goal_id": goal(&all, 3), "participants": 14}},
        {"id": 2, "kind": "dialogue", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
         "fields": {"partner_id": flen_partner, "date": "2026-11-10", "channel": "meeting", "summary": DIALOGUE,
            "strategic_goal_ids": [goal(&all, 2)]}},
        {"id": 3, "kind": "idea", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
         "fields": {"title": IDEA, "stage": "idea", "captured_on": "2026-11-12", "municipality_id": flen,
            "strategic_goal_ids": [goal(&all, 4)]}},
        {"id": 4, "kind": "marketing_item", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
         "fields": {"title": ITEM, "channel": "newsletter", "status": "published", "publish_on": "2026-11-23",
            "strategic_goal_ids": [goal(&all, 5)]}},
    ]);
    let res = app.push(&admin, Uuid::new_v4(), mutations).await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{res:?}");

    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::open(page, &app.base).await;
    act::log_in(page, STAFF, PASSWORD).await;
    check::text(page, "Allt är synkat").await;

    // Traceability: the activity page ticks focus areas (it could not before).
    act::open(page, &format!("{}/aktivitet/{}", app.base, workshops.id)).await;
    act::choose(page, "3 Bo & Leva").await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat och synkat").await;
    let saved = app.snapshot(&admin).await.remove(&workshops.id).expect("the activity");
    assert_eq!(saved.fields["focus_area_ids"].as_array().map(Vec::len), Some(1), "{saved:?}");

    act::click_link(page, "Uppföljning").await;
    check::heading(page, "Verksamhetsuppföljning 2026").await;
    assert_eq!(check::count(page, ".report-goal").await, 6, "all six goals");
    assert_eq!(check::count(page, ".report-activities > li").await, 35, "all 35 activities");
    for text in [WORKSHOP, DIALOGUE, IDEA, ITEM, "14 deltagare", "Insatsområden: 3 Bo & Leva"] {
        check::text(page, text).await;
    }
    // Each piece of evidence sits under the goal it serves.
    let under = |n: i64, text: &'static str| {
        format!("return document.getElementById('mal-{n}').closest('section').innerText.includes('{text}');")
    };
    for (n, text) in [(3, WORKSHOP), (2, DIALOGUE), (4, IDEA), (5, ITEM)] {
        let found = page.execute(&under(n, text), vec![]).await.expect("script runs");
        assert_eq!(found, json!(true), "«{text}» under goal {n}");
    }
    check::text(page, "Upparbetat:").await;
    check::accessible(page, "the follow-up").await;
    browser.screenshot("report-desktop").await;

    // Printed: no navigation, each goal from a new page, page numbers in the margin.
    emulate_media(page, "print").await;
    let printed = page
        .execute(
            "const shown = s => { const e = document.querySelector(s); return !!e && getComputedStyle(e).display !== 'none'; };
             return [shown('.main-nav'), shown('.app-header'), shown('.bottom-bar'), shown('.status-bar'), shown('.report-actions'),
                     [...document.querySelectorAll('.report-goal')].every(g => getComputedStyle(g).breakBefore === 'page')];",
            vec![],
        )
        .await
        .expect("script runs");
    assert_eq!(printed, json!([false, false, false, false, false, true]), "what prints");
    emulate_media(page, "").await;
    let (_, pages) = print_pdf(page, "report").await;
    assert!(pages >= 7, "the contents and a page or more for each of six goals: {pages} pages");

    // Offline, from the data on the device.
    act::wait_for_service_worker(page).await;
    set_offline(page, true).await;
    act::reload(page).await;
    check::heading(page, "Verksamhetsuppföljning 2026").await;
    assert_eq!(check::count(page, ".report-goal").await, 6);
    check::text(page, DIALOGUE).await;
    set_offline(page, false).await;

    // Flen's page, for the municipality's co-financing follow-up.
    act::open(page, &format!("{}/kommun/flen", app.base)).await;
    check::heading(page, "Leader i Flen 2026").await;
    check::heading(page, "1 workshop hållen").await;
    for text in [WORKSHOP, DIALOGUE, IDEA, "Britt Berg", "Genomföra 17 workshops"] {
        check::text(page, text).await;
    }
    check::accessible(page, "Flen's page").await;
    let (_, pages) = print_pdf(page, "kommun-flen").await;
    assert!(pages >= 1);
    act::open(page, &format!("{}/kommun/strangnas", app.base)).await;
    check::heading(page, "Leader i Strängnäs 2026").await;
    check::text(page, "Ingen workshop i kommunen i år.").await;
    browser.close().await;

    // On a phone nothing scrolls sideways.
    let browser = Browser::start(360, 800).await;
    let page = &browser.client;
    act::open(page, &app.base).await;
    act::log_in(page, STAFF, PASSWORD).await;
    check::text(page, "Allt är synkat").await;
    act::open(page, &format!("{}/uppfoljning/2026", app.base)).await;
    check::heading(page, "Verksamhetsuppföljning 2026").await;
    check::text(page, WORKSHOP).await;
    assert_eq!(check::no_horizontal_scroll(page).await, 360);
    browser.screenshot("report-phone").await;
    act::open(page, &format!("{}/kommun/flen", app.base)).await;
    check::text(page, DIALOGUE).await;
    check::no_horizontal_scroll(page).await;
    browser.close().await;
}

/// `d` moved by `days` (back when negative).
fn shift(d: tavla_shared::date::Date, days: i64) -> tavla_shared::date::Date {
    let mut out = d.0;
    for _ in 0..days.abs() {
        out = if days > 0 { out.succ_opt() } else { out.pred_opt() }.expect("a date");
    }
    tavla_shared::date::Date(out)
}

#[tokio::test]
async fn the_board_meeting_pack_lists_what_changed_since_the_last_meeting_online_and_offline() {
    let app = area().await;
    let admin = app.admin_token().await;
    let all = app.snapshot(&admin).await;
    let today = crate::privacy::today();
    let meeting = shift(today, -14);
    let activity = find(&all, Kind::Activity, "title", "Genomföra 17 workshops");
    let res = app
        .push(
            &admin,
            Uuid::new_v4(),
            json!([
                {"id": 1, "kind": "event", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"type": "board_meeting", "title": "Styrelsemöte i Flen", "date": meeting}},
                {"id": 2, "kind": "event", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"type": "network_meeting", "title": "Nätverksträff i Gnesta", "date": shift(today, 10)}},
                {"id": 3, "kind": "idea", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"title": IDEA, "stage": "applying", "captured_on": shift(today, -40),
                    "stage_reached_on": {"applying": shift(today, -3)}}},
                {"id": 4, "kind": "activity", "entity_id": activity.id, "op": "put", "base_rev": activity.rev, "at": 1,
                 "fields": {"status": "done"}},
            ]),
        )
        .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{res:?}");
    // The server's changes since a day: newest first, as the account may see them.
    let changes: tavla_shared::wire::ChangesResponse =
        app.get(&format!("/api/v1/changes?since={meeting}"), Some(&admin)).await.json().await.unwrap();
    assert!(changes.changes.iter().any(|c| c.id == activity.id && c.change.fields.contains_key("status")));
    assert!(changes.changes.windows(2).all(|w| w[0].change.at >= w[1].change.at), "newest first");
    assert_eq!(
        app.get("/api/v1/changes?since=igår", Some(&admin)).await.status(),
        reqwest::StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get(&format!("/api/v1/changes?since={meeting}"), None).await.status(),
        reqwest::StatusCode::UNAUTHORIZED
    );

    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::open(page, &app.base).await;
    act::log_in(page, STAFF, PASSWORD).await;
    check::text(page, "Allt är synkat").await;
    act::click_link(page, "Styrelsemöte").await;
    check::heading(page, "Underlag till styrelsemötet").await;
    check::text(page, &format!("Sedan {meeting}")).await;
    check::heading(page, "Det här har ändrats").await;
    check::text(page, "Genomföra 17 workshops").await;
    check::heading(page, "Väntar på LAG:s prioritering").await;
    for text in [IDEA, "Nätverksträff i Gnesta", "Behöver uppmärksamhet"] {
        check::text(page, text).await;
    }
    check::accessible(page, "the board meeting pack").await;
    let (_, pages) = print_pdf(page, "styrelsemote").await;
    assert!(pages >= 1);
    browser.screenshot("board-pack").await;

    // Offline it says it shows the device's records only.
    act::wait_for_service_worker(page).await;
    set_offline(page, true).await;
    act::reload(page).await;
    check::text(page, "Du är offline: listan visar bara poster på enheten").await;
    check::text(page, "Nätverksträff i Gnesta").await;
    set_offline(page, false).await;
    browser.close().await;
}

/// Traceability from every record's own page: an event gets a further goal and a focus area, an
/// idea two focus areas (the first in the field older releases know), a dialogue and a
/// marketing item a focus area each.
#[tokio::test]
async fn goals_and_focus_areas_are_ticked_on_each_records_own_page() {
    let app = area().await;
    let admin = app.admin_token().await;
    let all = app.snapshot(&admin).await;
    let area_of = |n: i64| {
        all.values()
            .find(|r| r.kind == Kind::FocusArea && r.fields["number"].as_i64() == Some(n))
            .map(|r| (r.id, format!("{n} {}", r.fields["title"].as_str().unwrap())))
            .expect("the focus area")
    };
    let (fa1, fa1_label) = area_of(1);
    let (fa3, fa3_label) = area_of(3);
    let goal2 = goal(&all, 2);
    let goal2_label = format!("2 {}", all[&goal2].fields["title"].as_str().unwrap());
    let flen_partner = all
        .values()
        .find(|r| r.kind == Kind::Partner && r.fields["name"] == "Flen")
        .map(|r| r.id)
        .expect("the partner Flen");
    let (event, idea, dialogue, item) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let res = app
        .push(
            &admin,
            Uuid::new_v4(),
            json!([
                {"id": 1, "kind": "event", "entity_id": event, "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"type": "network_meeting", "title": "Nätverksträff", "date": "2026-11-20"}},
                {"id": 2, "kind": "idea", "entity_id": idea, "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"title": IDEA, "stage": "idea", "captured_on": "2026-11-12"}},
                {"id": 3, "kind": "dialogue", "entity_id": dialogue, "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"partner_id": flen_partner, "date": "2026-11-10", "channel": "meeting", "summary": DIALOGUE}},
                {"id": 4, "kind": "marketing_item", "entity_id": item, "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"title": ITEM, "channel": "newsletter", "status": "planned", "week": "2026-W50"}},
            ]),
        )
        .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{res:?}");

    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::open(page, &app.base).await;
    act::log_in(page, STAFF, PASSWORD).await;
    check::text(page, "Allt är synkat").await;
    let base = app.base.clone();
    let save = |path: String| {
        let url = format!("{base}{path}");
        async move {
            act::open(page, &url).await;
            check::text(page, "Allt är synkat").await;
        }
    };

    save(format!("/handelser/{event}")).await;
    act::click_summary(page, "Fler mål och insatsområden").await;
    act::choose(page, &goal2_label).await;
    act::choose(page, &fa3_label).await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat och synkat").await;

    save(format!("/ideer/{idea}")).await;
    act::choose(page, &fa1_label).await;
    act::choose(page, &fa3_label).await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat och synkat").await;

    save(format!("/dialog/{dialogue}")).await;
    act::click_summary(page, "Strategiska mål dialogen stöder").await;
    act::choose(page, &fa3_label).await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat och synkat").await;

    save(format!("/marknadsforing/{item}")).await;
    act::choose(page, &fa3_label).await;
    act::click_button(page, "Spara").await;
    check::text(page, "Sparat och synkat").await;
    browser.close().await;

    let after = app.snapshot(&admin).await;
    assert_eq!(after[&event].fields["strategic_goal_ids"], json!([goal2]));
    assert_eq!(after[&event].fields["focus_area_ids"], json!([fa3]));
    assert_eq!(after[&idea].fields["focus_area_id"], json!(fa1));
    assert_eq!(after[&idea].fields["focus_area_ids"], json!([fa3]));
    assert_eq!(after[&dialogue].fields["focus_area_ids"], json!([fa3]));
    assert_eq!(after[&item].fields["focus_area_ids"], json!([fa3]));
}
