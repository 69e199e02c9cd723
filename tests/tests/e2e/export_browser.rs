//! CSV export and import (issue 13). The export read back with a CSV parser has the register's
//! columns, a BOM and semicolons — from the API for scripts and from the page, built on the
//! device. An import with one bad row names that row's problem and writes nothing until the
//! person confirms; an edit made on the server since the export becomes a conflict, not lost.

use serde_json::json;
use tavla_shared::export::{ACTIVITY_COLUMNS, PERSON_COLUMNS};
use tavla_shared::wire::MutationStatus;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::ideas_browser::{area, BOARD, PASSWORD, STAFF};
use tavla_tests::helpers::browser::{act, catch_downloads, check, downloads, set_offline, Browser};
use tavla_tests::helpers::find;

/// A CSV text as Excel reads it: BOM first, then `;`-separated rows.
fn parse(text: &str) -> Vec<Vec<String>> {
    let body =
        text.strip_prefix('\u{feff}').unwrap_or_else(|| panic!("no BOM: {:?}", &text[..text.len().min(40)]));
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(body.as_bytes());
    reader.records().map(|r| r.expect("a CSV row").iter().map(str::to_string).collect()).collect()
}

#[tokio::test]
async fn scripts_get_each_register_as_csv_for_a_swedish_excel_and_only_staff_may() {
    let app = area().await;
    let admin = app.admin_token().await;
    let res = app
        .push(
            &admin,
            Uuid::new_v4(),
            json!([{"id": 1, "kind": "person", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
                "fields": {"name": "Privat Person", "email": "privat@example.se", "notes": "=cmd|' /C calc'!A0"}}]),
        )
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    let staff = app.token_for(STAFF, PASSWORD).await;
    let res = app.get("/api/v1/export/activities.csv", Some(&staff)).await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let text = res.text().await.unwrap();
    assert!(text.starts_with("\u{feff}id;version;mål;titel;"), "semicolons: {}", &text[..40]);
    let rows = parse(&text);
    assert_eq!(rows[0], ACTIVITY_COLUMNS);
    assert_eq!(rows.len(), 36, "the header and the 35 activities");
    assert!(rows.iter().all(|r| r.len() == ACTIVITY_COLUMNS.len()));
    assert!(rows.iter().any(|r| r[3].starts_with("Genomföra 17 workshops") && r[2] == "3"));

    let people = parse(&app.get("/api/v1/export/people.csv", Some(&staff)).await.text().await.unwrap());
    assert_eq!(people[0], PERSON_COLUMNS);
    let private = people.iter().find(|r| r[2] == "Privat Person").expect("the person");
    assert_eq!(private[5], "privat@example.se", "staff may see a private person's e-mail");
    assert_eq!(private[9], "'=cmd|' /C calc'!A0", "a formula reaches Excel as text");

    for register in ["events", "ideas", "partners", "dialogues", "marketing"] {
        let res = app.get(&format!("/api/v1/export/{register}.csv"), Some(&admin)).await;
        assert_eq!(res.status(), reqwest::StatusCode::OK, "{register}");
        assert!(res.text().await.unwrap().starts_with('\u{feff}'));
    }
    let board = app.token_for(BOARD, PASSWORD).await;
    assert_eq!(
        app.get("/api/v1/export/people.csv", Some(&board)).await.status(),
        reqwest::StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/api/v1/export/people.csv", None).await.status(), reqwest::StatusCode::UNAUTHORIZED);
    for missing in ["users.csv", "activities", "activities.json"] {
        let res = app.get(&format!("/api/v1/export/{missing}"), Some(&staff)).await;
        assert_eq!(res.status(), reqwest::StatusCode::NOT_FOUND, "{missing}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("activities.csv"), "{body}");
    }
}

#[tokio::test]
async fn an_export_edited_in_excel_imports_after_a_preview_and_a_colleagues_edit_becomes_a_conflict() {
    let app = area().await;
    let admin = app.admin_token().await;
    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::open(page, &app.base).await;
    act::log_in(page, STAFF, PASSWORD).await;
    check::text(page, "Allt är synkat").await;
    act::click_link(page, "Aktiviteter").await;
    check::text(page, "Visar 35 av 35 aktiviteter").await;

    // Built on the device, offline too.
    catch_downloads(page).await;
    set_offline(page, true).await;
    act::click_button(page, "Exportera aktiviteter (CSV)").await;
    set_offline(page, false).await;
    let files = downloads(page).await;
    assert_eq!(files.len(), 1);
    assert!(files[0].0.starts_with("tavla-aktiviteter-") && files[0].0.ends_with(".csv"), "{}", files[0].0);
    let mut rows = parse(&files[0].1);
    assert_eq!(rows[0], ACTIVITY_COLUMNS);
    assert_eq!(rows.len(), 36);

    // A colleague edits one activity's notes after the export.
    let all = app.snapshot(&admin).await;
    let workshops = find(&all, Kind::Activity, "title", "Genomföra 17 workshops");
    let res = app
        .push(
            &admin,
            Uuid::new_v4(),
            json!([{"id": 1, "kind": "activity", "entity_id": workshops.id, "op": "put", "base_rev": workshops.rev,
                "at": 1, "fields": {"notes": "Kollegans anteckning"}}]),
        )
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);

    // In Excel: the same notes changed, a new activity, and a row with a goal that does not exist.
    let at = rows.iter().position(|r| r[0] == workshops.id.to_string()).expect("the exported row");
    rows[at][10] = "Från Excel".into();
    // The header is line 1.
    let stale_line = at + 1;
    let mut new_row = vec![String::new(); ACTIVITY_COLUMNS.len()];
    new_row[2] = "3".into();
    new_row[3] = "Beredskapsträff i Vingåker".into();
    new_row[7] = "Vingåker".into();
    let mut bad_row = new_row.clone();
    bad_row[2] = "9".into();
    bad_row[3] = "Fel mål".into();
    rows.extend([new_row, bad_row]);
    let file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    std::fs::write(file.path(), tavla_shared::csv::write(&rows)).unwrap();

    act::click_link(page, "Importera från CSV").await;
    check::heading(page, "Importera från CSV").await;
    act::choose_file(page, "CSV-fil", file.path()).await;
    check::text(page, "1 nya, 1 ändras, 34 oförändrade, 1 med fel.").await;
    check::text(page, "Rad 38: Fel mål – Fel:").await;
    check::text(page, "Det finns inget strategiskt mål «9» (skriv målets nummer, 1–6).").await;
    check::text(page, "Rad 37: Beredskapsträff i Vingåker – Ny").await;
    check::accessible(page, "the import preview").await;
    browser.screenshot("import-preview").await;
    // Nothing written before the person confirms.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let before = app.snapshot(&admin).await;
    assert_eq!(before.values().filter(|r| r.kind == Kind::Activity).count(), 35);
    assert_eq!(before[&workshops.id].fields["notes"], "Kollegans anteckning");

    // The activity changed after the export: its row is saved only when the person says so.
    check::text(page, "Posten har ändrats i Tavla efter exporten").await;
    check::text(page, "Importera 1 rader").await;
    act::choose(page, &format!("Spara rad {stale_line} ändå")).await;
    act::click_button(page, "Importera 2 rader").await;
    check::text(page, "2 rader importerade.").await;
    check::text(page, "Sparat och synkat").await;
    let after = app.snapshot(&admin).await;
    let activities: Vec<_> = after.values().filter(|r| r.kind == Kind::Activity && !r.deleted).collect();
    assert_eq!(activities.len(), 36, "the new one, not the bad one");
    assert!(activities.iter().any(|a| a.fields["title"] == "Beredskapsträff i Vingåker"));
    // Both notes are kept: one stored, the other in a conflict for a person to choose.
    let conflict = after
        .values()
        .find(|r| r.kind == Kind::Conflict && r.fields["target_id"] == json!(workshops.id))
        .expect("a conflict on the activity");
    let mut both = [conflict.fields["kept_value"].clone(), conflict.fields["lost_value"].clone()];
    both.sort_by_key(|v| v.to_string());
    assert_eq!(both, [json!("Från Excel"), json!("Kollegans anteckning")]);
    browser.close().await;
}
