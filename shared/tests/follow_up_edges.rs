//! Hostile and careless inputs to issue 13's features, found by a reviewer who attacked them:
//! CSV files re-imported untouched or stale, names two records share or that hold a comma, cut
//! rows, formula starts other spreadsheets read, free texts a share link must not show, and
//! funds targets at odd dates.

use serde_json::json;
use tavla_shared::export::{self, Register};
use tavla_shared::import::{self, Action};
use tavla_shared::{csv, share, Kind, Record};
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn record(kind: Kind, n: u128, rev: u64, fields: serde_json::Value) -> Record {
    Record { kind, id: id(n), rev, deleted: false, fields: fields.as_object().cloned().unwrap() }
}

fn counter() -> impl FnMut() -> Uuid {
    let mut n = 5000;
    move || {
        n += 1;
        id(n)
    }
}

fn base() -> Vec<Record> {
    vec![
        record(Kind::StrategicGoal, 3, 1, json!({"number": 3, "title": "Workshops", "health": "on_track"})),
        record(Kind::Municipality, 50, 1, json!({"name": "Flen", "code": "0482"})),
    ]
}

/// Two people may share a name. An export, re-imported untouched, must change nothing, yet the
/// owner is looked up by name and the first "Anna Andersson" wins.
#[test]
fn unchanged_reimport_keeps_the_owner_when_two_people_share_a_name() {
    let mut rs = base();
    rs.push(record(Kind::Person, 40, 1, json!({"name": "Anna Andersson", "roles": ["staff"]})));
    rs.push(record(Kind::Person, 41, 1, json!({"name": "Anna Andersson", "roles": ["board_member"]})));
    rs.push(record(
        Kind::Activity,
        31,
        4,
        json!({"strategic_goal_id": id(3), "title": "A", "status": "in_progress", "position": 1,
               "owner_person_id": id(41)}),
    ));
    let file = export::csv(Register::Activities, &rs);
    let rows = import::activities(&file, &rs, counter()).unwrap();
    assert_eq!(
        rows[0].outcome,
        Ok(Action::Unchanged { id: id(31) }),
        "owner silently reassigned: {:?}",
        rows[0]
    );
}

/// A partner whose name holds a comma: the export joins names with ", ", the import splits on
/// ',' — an untouched export cannot be imported again (or links other partners).
#[test]
fn unchanged_reimport_of_a_partner_named_with_a_comma() {
    let mut rs = base();
    rs.push(record(Kind::Partner, 70, 1, json!({"name": "Region Sörmland, kultur", "type": "region"})));
    rs.push(record(
        Kind::Activity,
        31,
        4,
        json!({"strategic_goal_id": id(3), "title": "A", "status": "in_progress", "position": 1,
               "partner_ids": [id(70)]}),
    ));
    let file = export::csv(Register::Activities, &rs);
    let rows = import::activities(&file, &rs, counter()).unwrap();
    assert_eq!(rows[0].outcome, Ok(Action::Unchanged { id: id(31) }), "{:?}", rows[0]);
}

/// Someone else edits the notes after the export; the importer changes only the title. The row
/// would send the stale notes back, so it says the record changed since the export (the page
/// saves it only when the person says so, and the server then keeps both notes as a conflict).
#[test]
fn a_stale_export_row_says_the_record_changed_since_the_export() {
    let mut rs = base();
    rs.push(record(
        Kind::Activity,
        31,
        7,
        json!({"strategic_goal_id": id(3), "title": "A", "status": "in_progress", "position": 1, "notes": "Gammal"}),
    ));
    let mut table = export::table(Register::Activities, &rs);
    table[1][3] = "A, ny titel".into(); // the importer's own change
    let file = csv::write(&table);
    // Meanwhile (version 9) a colleague rewrote the notes; the device has synced it.
    rs[2].rev = 9;
    rs[2].fields.insert("notes".into(), json!("Ny av kollega"));
    let rows = import::activities(&file, &rs, counter()).unwrap();
    match &rows[0].outcome {
        Ok(Action::Update { fields, base_rev, changed_since, .. }) => {
            assert_eq!((*base_rev, *changed_since), (7, Some(9)));
            assert!(fields.contains(&"title".to_string()));
        }
        other => panic!("{other:?}"),
    }
    // An export of the current version is not stale.
    let fresh = export::table(Register::Activities, &rs);
    let rows = import::activities(&csv::write(&fresh), &rs, counter()).unwrap();
    assert_eq!(rows[0].outcome, Ok(Action::Unchanged { id: id(31) }));
}

/// A row with fewer cells than the header (a truncated line, a hand-made file) clears every
/// field whose cell is missing, as if the cells were there and empty.
#[test]
fn a_short_row_does_not_clear_the_missing_columns() {
    let mut rs = base();
    rs.push(record(
        Kind::Activity,
        31,
        7,
        json!({"strategic_goal_id": id(3), "title": "A", "status": "in_progress", "position": 1,
               "notes": "Viktigt", "municipality_ids": [id(50)], "due_on": "2026-05-01"}),
    ));
    let table = export::table(Register::Activities, &rs);
    let short: Vec<String> = table[1][..4].to_vec(); // id;version;mål;titel
    let file = csv::write(&[table[0].clone(), short]);
    let rows = import::activities(&file, &rs, counter()).unwrap();
    assert_eq!(
        rows[0].outcome,
        Err(vec![import::RowProblem::CellCount { found: 4, expected: 12 }]),
        "missing cells must not clear fields"
    );
}

/// What OWASP lists as formula starts besides = + - @: tab and carriage return; also a
/// full-width equals sign and leading blanks, which some spreadsheet imports trim or fold.
#[test]
fn formula_guard_covers_tab_cr_fullwidth_and_leading_blanks() {
    for hostile in ["\t=cmd|' /C calc'!A0", "\r=1+1", "\u{ff1d}1+1", " =1+1", "\u{3000}=1+1"] {
        let text = csv::write(&[vec!["titel".into()], vec![hostile.into()]]);
        let cell = text.split("\r\n").nth(1).unwrap().to_string();
        assert!(cell.starts_with("\"'") || cell.starts_with('\''), "unguarded: {cell:?}");
    }
}

/// A cell a person typed as `'=x;y` (an apostrophe, then a formula sign, with a separator) is
/// read back without its apostrophe: an untouched export changes the record.
#[test]
fn an_apostrophe_typed_before_a_formula_sign_survives_a_round_trip() {
    for value in ["'=x;y", "'-5 \"kr\"", "'@a "] {
        let text = csv::write(&[vec!["a".into(), "b".into()], vec![value.into(), "z".into()]]);
        assert_eq!(csv::read(&text).unwrap()[1][0], value, "{text:?}");
    }
}

/// Free texts a share link shows to anyone: activity notes, a goal's health note, a dialogue's
/// summary. The module promises notes and free texts where personal data sits are left out.
#[test]
fn a_share_link_shows_no_internal_free_text() {
    let rs = vec![
        record(
            Kind::Activity,
            31,
            1,
            json!({"strategic_goal_id": id(3), "title": "A", "status": "paused", "position": 1,
                   "notes": "Pausad: Kim är sjukskriven"}),
        ),
        record(
            Kind::StrategicGoal,
            3,
            1,
            json!({"number": 3, "title": "W", "health": "at_risk", "health_note": "Kommunen drar sig ur, internt"}),
        ),
        record(
            Kind::Dialogue,
            7,
            1,
            json!({"partner_id": id(6), "date": "2026-01-02", "channel": "call",
                   "summary": "Ringde Anna Svensson 070-123 45 67, hon är skild och vill söka"}),
        ),
    ];
    let text = serde_json::to_string(&share::public_view(&rs)).unwrap();
    for secret in ["sjukskriven", "internt", "070-123 45 67"] {
        assert!(!text.contains(secret), "«{secret}» reaches the share link: {text}");
    }
}

/// The funds pace never panics, whatever dates and targets a plan holds (years 0–9999).
#[test]
fn a_funds_target_day_outside_2000_2100_is_refused() {
    let plan = record(
        Kind::Plan,
        1,
        1,
        json!({"year": 2026, "title": "P", "adopted_on": "2026-01-01", "vision": "V",
               "period_start_year": 2023, "period_end_year": 2027, "funds_target_on": "0001-03-01"}),
    );
    assert!(tavla_shared::validate::validate_fields(Kind::Plan, &plan.fields).is_err());
}

#[test]
fn funds_pace_survives_extreme_dates_and_targets() {
    use tavla_shared::board::{targets_behind, FundsSummary, FundsTarget};
    use tavla_shared::date::Date;
    use tavla_shared::kinds::{Funds, KindFields, Plan};
    use tavla_shared::plan_view::PlanView;
    let days = ["2000-01-01", "2023-01-01", "2026-02-28", "2027-12-31", "2100-12-31"];
    for on in days {
        for today in days {
            for percent in [1, 75, 100] {
                for (alloc, granted) in [(0, 0), (1, 0), (1_000_000_000_000, 1_000_000_000_000), (10, 999)] {
                    let plan = record(
                        Kind::Plan,
                        1,
                        1,
                        json!({"year": 2026, "title": "P", "adopted_on": "2026-01-01", "vision": "V",
                               "period_start_year": 2023, "period_end_year": 2027,
                               "funds_target_percent": percent, "funds_target_on": on}),
                    );
                    assert!(Plan::from_record(&plan).is_some(), "{on} is accepted as a target day");
                    let f = Funds {
                        allocated_sek: alloc,
                        granted_sek: granted,
                        paid_sek: 0,
                        focus_area_id: None,
                    };
                    let rs = vec![plan];
                    let view = PlanView::from_records(&rs);
                    let t = Date::parse(today).unwrap();
                    let _ = targets_behind(&view, Some(&f), 0, t);
                    let p = Plan::from_record(&rs[0]).unwrap();
                    let _ = FundsSummary::new(&f, t, FundsTarget::of(&p));
                    let _ = FundsSummary::new(&f, t, FundsTarget::period(&p));
                }
            }
        }
    }
}

/// Two people share a name and neither is the record's owner: the row names the problem rather
/// than picking one.
#[test]
fn a_name_two_people_share_is_a_row_problem_unless_it_is_the_current_owner() {
    let mut rs = base();
    rs.push(record(Kind::Person, 40, 1, json!({"name": "Anna Andersson"})));
    rs.push(record(Kind::Person, 41, 1, json!({"name": "Anna Andersson"})));
    let file = "mål;titel;ansvarig\r\n3;Ny;Anna Andersson\r\n";
    let rows = import::activities(file, &rs, counter()).unwrap();
    assert_eq!(
        rows[0].outcome,
        Err(vec![import::RowProblem::AmbiguousNames {
            column: "ansvarig",
            names: vec!["Anna Andersson".into()]
        }])
    );
}

/// A file Excel saved as "CSV" (Windows-1252) reads with replacement characters: refused in
/// words instead of writing "Str�ngn�s" everywhere.
#[test]
fn a_file_that_is_not_utf8_is_refused() {
    let rs = base();
    assert_eq!(
        import::activities("mål;titel\r\n3;Str\u{fffd}ngn\u{fffd}s\r\n", &rs, counter()),
        Err(import::FileError::NotUtf8)
    );
}
