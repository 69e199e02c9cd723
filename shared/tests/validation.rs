//! Table-driven checks of every kind's schema and rules: one row per case, `Ok` or the words
//! the error must contain.

use serde_json::{json, Value};
use tavla_shared::kinds::is_iso_week;
use tavla_shared::{validate_fields, Kind};

const ID: &str = "5b0c6a0e-8d5e-4b7a-9a55-6f1a2d3c4b5a";

fn check(kind: Kind, fields: Value, expected: Result<(), &str>) {
    let map = fields.as_object().expect("test fields are an object").clone();
    let got = validate_fields(kind, &map);
    match (expected, got) {
        (Ok(()), Ok(())) => {}
        (Err(words), Err(e)) => {
            assert!(e.to_string().contains(words), "{kind} {fields}: expected «{words}» in «{e}»")
        }
        (want, got) => panic!("{kind} {fields}: expected {want:?}, got {got:?}"),
    }
}

#[test]
fn every_kind_accepts_a_minimal_valid_record() {
    let cases = [
        (
            Kind::Plan,
            json!({"year": 2026, "title": "Verksamhetsplan 2026", "adopted_on": "2026-03-05",
            "vision": "Attraktiva landsbygder", "principles": ["Hållbar utveckling"],
            "period_start_year": 2023, "period_end_year": 2027}),
        ),
        (Kind::LongTermGoal, json!({"number": 1, "title": "Ökade försörjningsmöjligheter"})),
        (Kind::FocusArea, json!({"number": 3, "title": "Bo & Leva"})),
        (Kind::StrategicGoal, json!({"number": 6, "title": "Robust kontor", "health": "on_track"})),
        (
            Kind::Activity,
            json!({"strategic_goal_id": ID, "title": "Delta på Landsbygdsting",
            "status": "in_progress", "position": 1, "due_on": "2026-06-30"}),
        ),
        (Kind::Municipality, json!({"name": "Flen", "code": "0482"})),
        (Kind::Person, json!({"name": "Anna", "roles": ["board_member"], "is_ambassador": true})),
        (Kind::Idea, json!({"title": "Bygdegård", "stage": "idea", "captured_on": "2026-04-01"})),
        (Kind::Partner, json!({"name": "Region Sörmland", "type": "region"})),
        (
            Kind::Dialogue,
            json!({"partner_id": ID, "date": "2026-02-01", "channel": "meeting",
            "summary": "Avstämning", "strategic_goal_ids": [ID]}),
        ),
        (
            Kind::MarketingItem,
            json!({"title": "Nyhetsbrev", "channel": "newsletter",
            "status": "planned", "week": "2026-W14"}),
        ),
        (
            Kind::Event,
            json!({"type": "workshop", "title": "Beredskap Flen", "date": "2026-05-12",
            "municipality_id": ID, "participants": 23}),
        ),
        (Kind::Comment, json!({"target_kind": "activity", "target_id": ID, "text": "Bra!"})),
        (Kind::Funds, json!({"allocated_sek": 10_000_000, "granted_sek": 5_000_000, "paid_sek": 0})),
        (
            Kind::Conflict,
            json!({"target_kind": "activity", "target_id": ID, "field": "status",
            "kept_value": "done", "lost_value": "paused", "lost_by": "Anna", "lost_at": 1, "resolved": false}),
        ),
        (Kind::Settings, json!({"idea_contact_retention_months": 24})),
    ];
    assert_eq!(cases.len(), Kind::ALL.len(), "one row per kind");
    for (kind, fields) in cases {
        check(kind, fields, Ok(()));
    }
}

#[test]
fn broken_records_are_refused_in_plain_words() {
    let long = "x".repeat(301);
    let cases = [
        (Kind::StrategicGoal, json!({"number": 7, "title": "Sju", "health": "on_track"}), "between 1 and 6"),
        (
            Kind::StrategicGoal,
            json!({"number": 1, "title": "Ett", "health": "great"}),
            "unknown variant `great`",
        ),
        (Kind::StrategicGoal, json!({"number": 1, "title": "   ", "health": "done"}), "must not be empty"),
        (Kind::StrategicGoal, json!({"number": 1, "health": "done"}), "missing field `title`"),
        (Kind::StrategicGoal, json!({"number": 1, "title": long, "health": "done"}), "longer than 300"),
        (
            Kind::Activity,
            json!({"strategic_goal_id": "nope", "title": "A", "status": "done", "position": 1}),
            "UUID",
        ),
        (
            Kind::Activity,
            json!({"strategic_goal_id": ID, "title": "A", "status": "done", "position": 1,
            "colour": "red"}),
            "unknown field `colour`",
        ),
        (
            Kind::Activity,
            json!({"strategic_goal_id": ID, "title": "A", "status": "done", "position": 1,
            "due_on": "30/6/2026"}),
            "not a real date in the form YYYY-MM-DD",
        ),
        (
            Kind::Activity,
            json!({"strategic_goal_id": ID, "title": "A", "status": "done", "position": "1"}),
            "invalid type",
        ),
        (Kind::Municipality, json!({"name": "Flen", "code": "482"}), "four digits"),
        (
            Kind::MarketingItem,
            json!({"title": "T", "channel": "web", "status": "idea", "week": "2026-W54"}),
            "ISO week",
        ),
        (
            Kind::Idea,
            json!({"title": "T", "stage": "idea", "captured_on": "2026-01-01",
            "contact_name": "Eva", "consent": false}),
            "consent",
        ),
        (Kind::Funds, json!({"granted_sek": -5}), "between 0 and"),
        (Kind::Event, json!({"type": "workshop", "title": "W", "date": "2026-02-30"}), "not a real date"),
        (Kind::Person, json!({"name": "P", "email": "not-an-address"}), "e-mail"),
    ];
    for (kind, fields, words) in cases {
        check(kind, fields, Err(words));
    }
}

#[test]
fn iso_weeks() {
    for (week, ok) in [
        ("2026-W01", true),
        ("2026-W53", true),
        ("2025-W53", false),
        ("2026-W00", false),
        ("2026W14", false),
        ("2026-w14", false),
        ("26-W014", false),
    ] {
        assert_eq!(is_iso_week(week), ok, "{week}");
    }
}
