//! The progress, pace and count calculations of the goals board.

use serde_json::json;

use super::*;
use crate::kind::Kind;
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
    let s = FundsSummary::new(&funds(20_000_000, 9_000_000, 4_000_000), day("2026-11-27"), by_2027());
    assert_eq!(s.used_per_mille, 450);
    assert_eq!(s.paid_per_mille, 200);
    assert_eq!(s.target_sek, 15_000_000);
    assert_eq!(s.remaining_sek, 6_000_000);
    // November and December 2026, and the twelve months of 2027.
    assert_eq!(s.months_left, 14);
    assert_eq!(s.per_month_sek, Some(428_572), "rounded up so the pace is enough");
    assert!(!s.target_reached());
}

/// 75 % by the end of the programme period.
fn by_2027() -> FundsTarget {
    FundsTarget { percent: 75, by: day("2027-12-31") }
}

#[test]
fn the_plans_funds_target_is_75_percent_by_the_end_of_its_year_unless_an_admin_changes_it() {
    let mut plan: Plan = serde_json::from_value(json!({"year": 2026, "title": "Verksamhetsplan 2026",
        "adopted_on": "2025-12-10", "vision": "V", "period_start_year": 2023, "period_end_year": 2027}))
    .unwrap();
    assert_eq!(FundsTarget::of(&plan), FundsTarget { percent: 75, by: day("2026-12-31") });
    assert_eq!(FundsTarget::period(&plan), by_2027());
    // Paced to the end of the plan year: two months left at the end of November 2026.
    let s = FundsSummary::new(&funds(20_000_000, 9_000_000, 0), day("2026-11-27"), FundsTarget::of(&plan));
    assert_eq!((s.months_left, s.per_month_sek), (2, Some(3_000_000)));
    plan.funds_target_percent = Some(60);
    plan.funds_target_on = Some(day("2027-06-30"));
    let s = FundsSummary::new(&funds(20_000_000, 9_000_000, 0), day("2026-11-27"), FundsTarget::of(&plan));
    assert_eq!((s.target_sek, s.remaining_sek, s.months_left), (12_000_000, 3_000_000, 8));
    let after =
        FundsSummary::new(&funds(20_000_000, 9_000_000, 0), day("2027-07-01"), FundsTarget::of(&plan));
    assert_eq!((after.months_left, after.per_month_sek), (0, None));
    plan.funds_target_percent = Some(101);
    assert!(tavla_check(&plan).is_err(), "more than 100 % is refused");
}

fn tavla_check(plan: &Plan) -> Result<(), crate::validate::ValidationError> {
    crate::validate::parse::<Plan>(&crate::kinds::KindFields::to_fields(plan)).map(drop)
}

#[test]
fn funds_edge_cases_never_divide_by_zero_or_go_negative() {
    let empty = FundsSummary::new(&funds(0, 0, 0), day("2026-11-27"), by_2027());
    assert_eq!((empty.used_per_mille, empty.target_sek, empty.per_month_sek), (0, 0, None));
    assert!(!empty.target_reached(), "nothing allocated is not a reached target");

    let reached = FundsSummary::new(&funds(1_000, 800, 0), day("2026-11-27"), by_2027());
    assert_eq!((reached.remaining_sek, reached.per_month_sek), (0, None));
    assert!(reached.target_reached());

    let odd = FundsSummary::new(&funds(1_001, 0, 0), day("2027-12-31"), by_2027());
    assert_eq!(odd.target_sek, 751, "75 % rounded up");
    assert_eq!((odd.months_left, odd.per_month_sek), (1, Some(751)));

    let after = FundsSummary::new(&funds(1_000, 0, 0), day("2028-01-02"), by_2027());
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

/// The plan of 2026 (period 2023–2027) with goal 3 and the given goal-3 activities.
fn plan_with_goal_3(activities: &[Record]) -> PlanView {
    let mut all = vec![
        record(
            Kind::Plan,
            90,
            json!({"year": 2026, "title": "Verksamhetsplan 2026", "adopted_on": "2025-12-01", "vision": "V",
                "principles": [], "period_start_year": 2023, "period_end_year": 2027}),
        ),
        record(Kind::StrategicGoal, 3, json!({"number": 3, "title": "Tre", "health": "on_track"})),
    ];
    all.extend_from_slice(activities);
    PlanView::from_records(&all)
}

fn goal_3_activity(n: u128, title: &str, status: &str, due: Option<&str>) -> Record {
    let mut f =
        json!({"strategic_goal_id": Uuid::from_u128(3), "title": title, "status": status, "position": n});
    if let Some(d) = due {
        f["due_on"] = json!(d);
    }
    record(Kind::Activity, n, f)
}

#[test]
fn the_workshop_activity_is_goal_3s_activity_naming_17_workshops() {
    let plan = plan_with_goal_3(&[
        goal_3_activity(30, "Marknadsföra nätverksträffar och workshops", "not_started", None),
        goal_3_activity(31, "Genomföra 17 workshops i områdets kommuner", "in_progress", None),
    ]);
    let (goal, a) = workshop_activity(&plan).unwrap();
    assert_eq!((goal, a.id), (Uuid::from_u128(3), Uuid::from_u128(31)));
    let only_other = plan_with_goal_3(&[goal_3_activity(30, "Några Workshops", "not_started", None)]);
    assert_eq!(
        workshop_activity(&only_other).unwrap().1.id,
        Uuid::from_u128(30),
        "else the first naming workshops"
    );
    assert!(workshop_activity(&plan_with_goal_3(&[])).is_none());
}

#[test]
fn workshops_behind_their_even_pace_to_the_due_date_need_attention() {
    let plan =
        plan_with_goal_3(&[goal_3_activity(31, "Genomföra 17 workshops", "in_progress", Some("2026-12-15"))]);
    // 332 of 349 days gone: the pace asks for 16 by 28 November.
    let behind = targets_behind(&plan, None, 1, day("2026-11-28"));
    assert_eq!(behind, [Behind::Workshops { held: 1, expected: 16, due: day("2026-12-15") }]);
    assert!(targets_behind(&plan, None, 16, day("2026-11-28")).is_empty(), "on pace");
    assert!(targets_behind(&plan, None, 17, day("2026-12-31")).is_empty(), "reached");
    assert!(targets_behind(&plan, None, 0, day("2026-01-10")).is_empty(), "too early to say");
    assert!(targets_behind(&plan, None, 0, day("2025-12-31")).is_empty(), "before the plan year");
    // After the due date the whole target is asked for.
    assert_eq!(
        targets_behind(&plan, None, 10, day("2026-12-20")),
        [Behind::Workshops { held: 10, expected: 17, due: day("2026-12-15") }]
    );
    // Without a due date the pace runs to 31 December; a done activity is never behind.
    let no_due = plan_with_goal_3(&[goal_3_activity(31, "Genomföra 17 workshops", "in_progress", None)]);
    assert_eq!(
        targets_behind(&no_due, None, 0, day("2026-07-02")),
        [Behind::Workshops { held: 0, expected: 8, due: day("2026-12-31") }]
    );
    let done = plan_with_goal_3(&[goal_3_activity(31, "Genomföra 17 workshops", "done", Some("2026-12-15"))]);
    assert!(targets_behind(&done, None, 1, day("2026-11-28")).is_empty());
}

#[test]
fn funds_behind_the_pace_to_75_percent_by_the_plan_years_end_need_attention() {
    let plan = plan_with_goal_3(&[goal_3_activity(31, "Genomföra 17 workshops", "done", None)]);
    // 1 January 2025: 731 of the 1460 days from 2023 to the plan year's end gone (half): the
    // pace asks for 375 per mille.
    let behind = targets_behind(&plan, Some(&funds(1000, 300, 0)), 0, day("2025-01-01"));
    assert_eq!(
        behind,
        [Behind::Funds { used_per_mille: 300, expected_per_mille: 375, by: day("2026-12-31") }]
    );
    assert!(targets_behind(&plan, Some(&funds(1000, 400, 0)), 0, day("2025-01-01")).is_empty());
    assert!(
        targets_behind(&plan, Some(&funds(0, 0, 0)), 0, day("2025-01-01")).is_empty(),
        "nothing allocated"
    );
    assert!(targets_behind(&plan, Some(&funds(1000, 750, 0)), 0, day("2026-12-31")).is_empty(), "reached");
    assert_eq!(
        targets_behind(&plan, Some(&funds(1000, 700, 0)), 0, day("2027-03-01")),
        [Behind::Funds { used_per_mille: 700, expected_per_mille: 750, by: day("2026-12-31") }],
        "after the target day the whole target is asked for"
    );
}
