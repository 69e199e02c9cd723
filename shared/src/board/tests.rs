//! The progress, pace and count calculations of the goals board.

use serde_json::json;

use super::*;
use crate::kinds::Kind;
use crate::test_support::record;

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn activity(n: u128, status: &str, due: Option<&str>) -> Record {
    let mut f = json!({"strategic_goal_id": Uuid::from_u128(1), "title": format!("A{n}"), "status": status,
        "position": n});
    if let Some(d) = due {
        f["due_on"] = json!(d);
    }
    record(Kind::Activity, n, f)
}

fn plan_of(records: &[Record]) -> PlanView {
    let mut all =
        vec![record(Kind::StrategicGoal, 1, json!({"number": 1, "title": "Ett", "health": "on_track"}))];
    all.extend_from_slice(records);
    PlanView::from_records(&all)
}

#[test]
fn progress_is_the_share_of_activities_done_rounded_down() {
    let plan = plan_of(&[
        activity(10, "done", None),
        activity(11, "in_progress", None),
        activity(12, "paused", None),
    ]);
    let p = Progress::of(&plan.goal(1).unwrap().activities);
    assert_eq!(p, Progress { done: 1, total: 3 });
    assert_eq!(p.percent(), 33);
    assert_eq!(Progress::default().percent(), 0, "a goal without activities is at 0 %, not NaN");
    assert_eq!(Progress { done: 2, total: 2 }.percent(), 100);
}

#[test]
fn next_deadlines_are_open_activities_due_from_today_soonest_first() {
    let plan = plan_of(&[
        activity(10, "not_started", Some("2026-12-01")),
        activity(11, "done", Some("2026-11-28")),
        activity(12, "in_progress", Some("2026-11-27")),
        activity(13, "in_progress", Some("2026-11-01")),
        activity(14, "in_progress", None),
        activity(15, "paused", Some("2027-01-10")),
    ]);
    let next = next_deadlines(&plan.goal(1).unwrap().activities, day("2026-11-27"), 2);
    let titles: Vec<&str> = next.iter().map(|a| a.fields.title.as_str()).collect();
    assert_eq!(titles, ["A12", "A10"]);
}

#[test]
fn overdue_and_at_risk_activities_need_attention() {
    let plan = plan_of(&[
        activity(10, "in_progress", Some("2026-11-20")), // overdue 7 days
        activity(11, "done", Some("2026-01-01")),        // done: never
        activity(12, "not_started", Some("2026-12-05")), // due in 8 days, not started: at risk
        activity(13, "in_progress", Some("2026-12-05")), // under way: fine
        activity(14, "not_started", Some("2027-02-01")), // far off
        activity(15, "paused", Some("2026-12-11")),      // paused, due in 14 days: at risk
        activity(16, "not_started", Some("2026-10-01")), // overdue 57 days
    ]);
    let list = needs_attention(&plan, day("2026-11-27"));
    let got: Vec<(&str, Attention)> =
        list.iter().map(|i| (i.activity.fields.title.as_str(), i.why)).collect();
    assert_eq!(
        got,
        [
            ("A16", Attention::Overdue { days: 57 }),
            ("A10", Attention::Overdue { days: 7 }),
            ("A12", Attention::AtRisk { days: 8 }),
            ("A15", Attention::AtRisk { days: 14 }),
        ]
    );
    assert!(list.iter().all(|i| i.goal_number == 1));
}

fn funds(allocated: i64, granted: i64, paid: i64) -> Funds {
    Funds { allocated_sek: allocated, granted_sek: granted, paid_sek: paid, focus_area_id: None }
}

#[test]
fn funds_use_is_granted_over_allocated_with_the_pace_to_75_percent_by_the_end_of_2027() {
    let s = FundsSummary::new(&funds(20_000_000, 9_000_000, 4_000_000), day("2026-11-27"), 2027);
    assert_eq!(s.used_per_mille, 450);
    assert_eq!(s.paid_per_mille, 200);
    assert_eq!(s.target_sek, 15_000_000);
    assert_eq!(s.remaining_sek, 6_000_000);
    // November and December 2026, and the twelve months of 2027.
    assert_eq!(s.months_left, 14);
    assert_eq!(s.per_month_sek, Some(428_572), "rounded up so the pace is enough");
    assert!(!s.target_reached());
}

#[test]
fn funds_edge_cases_never_divide_by_zero_or_go_negative() {
    let empty = FundsSummary::new(&funds(0, 0, 0), day("2026-11-27"), 2027);
    assert_eq!((empty.used_per_mille, empty.target_sek, empty.per_month_sek), (0, 0, None));
    assert!(!empty.target_reached(), "nothing allocated is not a reached target");

    let reached = FundsSummary::new(&funds(1_000, 800, 0), day("2026-11-27"), 2027);
    assert_eq!((reached.remaining_sek, reached.per_month_sek), (0, None));
    assert!(reached.target_reached());

    let odd = FundsSummary::new(&funds(1_001, 0, 0), day("2027-12-31"), 2027);
    assert_eq!(odd.target_sek, 751, "75 % rounded up");
    assert_eq!((odd.months_left, odd.per_month_sek), (1, Some(751)));

    let after = FundsSummary::new(&funds(1_000, 0, 0), day("2028-01-02"), 2027);
    assert_eq!((after.months_left, after.per_month_sek), (0, None));
}

fn municipality(n: u128, name: &str, code: &str) -> Record {
    record(Kind::Municipality, n, json!({"name": name, "code": code}))
}

fn event(n: u128, kind: &str, date: &str, municipality: Option<u128>) -> Record {
    let mut f = json!({"type": kind, "title": format!("E{n}"), "date": date});
    if let Some(m) = municipality {
        f["municipality_id"] = json!(Uuid::from_u128(m));
    }
    record(Kind::Event, n, f)
}

#[test]
fn workshops_are_counted_per_municipality_in_the_plan_year() {
    let mut deleted = event(26, "workshop", "2026-03-01", Some(1));
    deleted.deleted = true;
    let records = [
        municipality(1, "Flen", "0482"),
        municipality(2, "Eskilstuna", "0484"),
        municipality(3, "Gnesta", "0461"),
        event(20, "workshop", "2026-03-01", Some(1)),
        event(21, "workshop", "2026-11-27", Some(1)),
        event(22, "workshop", "2026-12-10", Some(2)), // planned
        event(23, "workshop", "2025-12-10", Some(2)), // last year's plan
        event(24, "workshop", "2026-04-01", None),    // no municipality: not counted
        event(25, "idea_workshop", "2026-04-01", Some(3)),
        deleted,
    ];
    let t = WorkshopTally::new(&records, 2026, day("2026-11-27"));
    assert_eq!((t.held, t.planned), (2, 1));
    let tiles: Vec<(&str, usize, usize)> =
        t.per_municipality.iter().map(|m| (m.municipality.fields.name.as_str(), m.held, m.planned)).collect();
    assert_eq!(tiles, [("Eskilstuna", 0, 1), ("Flen", 2, 0), ("Gnesta", 0, 0)]);
    assert_eq!(t.preparedness, Preparedness::NotPlanned);
}

#[test]
fn the_preparedness_meeting_is_held_planned_or_not_planned() {
    let today = day("2026-11-27");
    let planned = [event(1, "preparedness_meeting", "2027-03-01", None)];
    assert_eq!(
        WorkshopTally::new(&planned, 2026, today).preparedness,
        Preparedness::Planned(day("2027-03-01"))
    );
    let held = [
        event(1, "preparedness_meeting", "2027-03-01", None),
        event(2, "preparedness_meeting", "2026-10-01", None),
    ];
    assert_eq!(WorkshopTally::new(&held, 2026, today).preparedness, Preparedness::Held(day("2026-10-01")));
}
