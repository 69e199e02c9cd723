//! The idea funnel's numbers (goal 1's ambassadors who catch ideas, goal 4's "faster and
//! simpler" support): ideas captured in a year per stage and municipality, how many went on to
//! an application, the median days it took, and which municipalities lack an ambassador.
//! Pure functions of records, unit-tested here and run in the browser.

use chrono::Datelike;
use uuid::Uuid;

use crate::date::Date;
use crate::kinds::{Idea, Municipality, Person};
use crate::order::{sort_by_rank, Rank};
use crate::plan_view::Item;
use crate::values::IdeaStage;

/// The stages of the funnel in order; `Declined` stands apart.
pub const FUNNEL_STAGES: &[IdeaStage] = &[
    IdeaStage::Idea,
    IdeaStage::InterestNotified,
    IdeaStage::Applying,
    IdeaStage::LagPrioritized,
    IdeaStage::Granted,
    IdeaStage::InProgress,
    IdeaStage::Finished,
];

/// True when the idea has come as far as an application (now, or before it was declined).
pub fn reached_application(idea: &Idea) -> bool {
    idea.stage_reached_on.contains_key(&IdeaStage::Applying)
        || FUNNEL_STAGES.iter().position(|s| *s == idea.stage)
            >= FUNNEL_STAGES.iter().position(|s| *s == IdeaStage::Applying)
}

/// `idea` moved to `stage` on `today`: the day is kept as the day it reached that stage (moved
/// back and forth, the latest arrival counts: the retention clock starts at the final one).
pub fn moved(idea: &Idea, stage: IdeaStage, today: Date) -> Idea {
    let mut next = idea.clone();
    if stage != idea.stage {
        next.stage = stage;
        next.stage_reached_on.insert(stage, today);
    }
    next
}

/// What the funnel shows for the ideas captured in one year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunnelNumbers {
    pub year: i32,
    /// Ideas captured in the year.
    pub captured: usize,
    /// Of those, how many stand at each stage now (every stage, declined last).
    pub per_stage: Vec<(IdeaStage, usize)>,
    /// Of those, how many per municipality (None: no municipality given), most first.
    pub per_municipality: Vec<(Option<Uuid>, usize)>,
    /// Of those, how many reached an application.
    pub applications: usize,
    /// Median whole days from capture to application, over those whose day is known.
    pub median_days_to_application: Option<i64>,
}

impl FunnelNumbers {
    /// Applications per captured idea, in whole percent (None without ideas).
    pub fn conversion_percent(&self) -> Option<u32> {
        (self.applications * 100).checked_div(self.captured).map(|p| p as u32)
    }

    /// The count at `stage`.
    pub fn at(&self, stage: IdeaStage) -> usize {
        self.per_stage.iter().find(|(s, _)| *s == stage).map_or(0, |(_, n)| *n)
    }
}

/// The funnel's numbers for ideas captured in `year`.
pub fn numbers(ideas: &[Item<Idea>], year: i32) -> FunnelNumbers {
    let of_year: Vec<&Idea> =
        ideas.iter().map(|i| &i.fields).filter(|i| i.captured_on.0.year() == year).collect();
    let per_stage =
        IdeaStage::ALL.iter().map(|s| (*s, of_year.iter().filter(|i| i.stage == *s).count())).collect();
    let mut per_municipality: Vec<(Option<Uuid>, usize)> = Vec::new();
    for i in &of_year {
        match per_municipality.iter_mut().find(|(m, _)| *m == i.municipality_id) {
            Some((_, n)) => *n += 1,
            None => per_municipality.push((i.municipality_id, 1)),
        }
    }
    sort_by_rank(&mut per_municipality, |(m, n)| Rank::num(-(*n as i64)).then_id(m.unwrap_or_default()));
    let applied: Vec<&&Idea> = of_year.iter().filter(|i| reached_application(i)).collect();
    let mut days: Vec<i64> = applied
        .iter()
        .filter_map(|i| {
            i.stage_reached_on.get(&IdeaStage::Applying).map(|d| (d.0 - i.captured_on.0).num_days())
        })
        .collect();
    days.sort_unstable();
    FunnelNumbers {
        year,
        captured: of_year.len(),
        per_stage,
        per_municipality,
        applications: applied.len(),
        median_days_to_application: median(&days),
    }
}

/// The median of sorted whole numbers, rounded down between the middle two.
fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]).div_euclid(2)),
    }
}

/// One ambassador's row: ideas captured in the year and the day of their latest capture.
#[derive(Debug, Clone, PartialEq)]
pub struct AmbassadorRow {
    pub person: Item<Person>,
    pub captured: usize,
    pub last_capture: Option<Date>,
}

/// Every ambassador, by name, with what they captured in `year` and their latest capture ever.
pub fn ambassadors(people: &[Item<Person>], ideas: &[Item<Idea>], year: i32) -> Vec<AmbassadorRow> {
    let mut rows: Vec<AmbassadorRow> = people
        .iter()
        .filter(|p| p.fields.is_ambassador)
        .map(|p| {
            let theirs = || ideas.iter().map(|i| &i.fields).filter(|i| i.captured_by_person_id == Some(p.id));
            AmbassadorRow {
                person: p.clone(),
                captured: theirs().filter(|i| i.captured_on.0.year() == year).count(),
                last_capture: theirs().map(|i| i.captured_on).max(),
            }
        })
        .collect();
    sort_by_rank(&mut rows, |r| Rank::text(&r.person.fields.name).then_id(r.person.id));
    rows
}

/// Each municipality, by name, with the ambassadors who live there: an empty list is a
/// municipality without an ambassador.
pub fn coverage<'a>(
    municipalities: &'a [Item<Municipality>],
    people: &[Item<Person>],
) -> Vec<(&'a Item<Municipality>, Vec<Uuid>)> {
    let mut out: Vec<(&Item<Municipality>, Vec<Uuid>)> = municipalities
        .iter()
        .map(|m| {
            let theirs = people
                .iter()
                .filter(|p| p.fields.is_ambassador && p.fields.municipality_id == Some(m.id))
                .map(|p| p.id)
                .collect();
            (m, theirs)
        })
        .collect();
    sort_by_rank(&mut out, |(m, _)| Rank::text(&m.fields.name).then_id(m.id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn idea(
        n: u128,
        captured: &str,
        stage: IdeaStage,
        reached: &[(IdeaStage, &str)],
        m: Option<u128>,
    ) -> Item<Idea> {
        Item {
            id: Uuid::from_u128(n),
            fields: Idea {
                title: format!("Idé {n}"),
                description: None,
                stage,
                contact_name: None,
                contact_info: None,
                consent: false,
                municipality_id: m.map(Uuid::from_u128),
                focus_area_id: None,
                captured_by_person_id: Some(Uuid::from_u128(100 + n % 2)),
                captured_on: day(captured),
                next_step: None,
                next_step_due: None,
                strategic_goal_ids: vec![],
                stage_reached_on: reached.iter().map(|(s, d)| (*s, day(d))).collect::<BTreeMap<_, _>>(),
                captured_by_user_id: None,
                next_step_done: false,
                next_step_done_text: None,
                focus_area_ids: vec![],
            },
        }
    }

    #[test]
    fn counts_the_years_ideas_by_stage_municipality_and_application() {
        use IdeaStage::*;
        let ideas = vec![
            idea(1, "2026-01-10", Idea, &[], Some(1)),
            idea(2, "2026-02-01", Applying, &[(Applying, "2026-03-03")], Some(1)),
            idea(3, "2026-02-01", Granted, &[(Applying, "2026-02-11")], Some(2)),
            // Declined after applying: still counts as an application.
            idea(4, "2026-04-01", Declined, &[(Applying, "2026-05-01"), (Declined, "2026-06-01")], None),
            idea(5, "2026-05-01", Declined, &[(Declined, "2026-05-02")], Some(1)),
            // Another year: left out.
            idea(6, "2025-12-31", Applying, &[(Applying, "2026-01-02")], Some(2)),
            // Past application with no day recorded: counted, not in the median.
            idea(7, "2026-06-01", LagPrioritized, &[], Some(2)),
        ];
        let n = numbers(&ideas, 2026);
        assert_eq!(n.captured, 6);
        assert_eq!(
            (n.at(Idea), n.at(Applying), n.at(Granted), n.at(Declined), n.at(Finished)),
            (1, 1, 1, 2, 0)
        );
        assert_eq!(n.per_stage.len(), IdeaStage::ALL.len());
        assert_eq!(n.per_municipality[0], (Some(Uuid::from_u128(1)), 3));
        assert!(n.per_municipality.contains(&(None, 1)));
        assert_eq!(n.applications, 4);
        assert_eq!(n.conversion_percent(), Some(66));
        // Days 30, 10, 30 → median 30.
        assert_eq!(n.median_days_to_application, Some(30));
        assert_eq!(numbers(&[], 2026).conversion_percent(), None);
        assert_eq!(median(&[10, 30]), Some(20));
    }

    #[test]
    fn a_move_keeps_the_day_of_arrival() {
        let i = idea(1, "2026-01-10", IdeaStage::Idea, &[], None).fields;
        let m = moved(&i, IdeaStage::InterestNotified, day("2026-02-02"));
        assert_eq!(m.stage, IdeaStage::InterestNotified);
        assert_eq!(m.reached(IdeaStage::InterestNotified), Some(day("2026-02-02")));
        assert_eq!(m.reached(IdeaStage::Idea), Some(day("2026-01-10")), "the first stage is the capture day");
        assert_eq!(moved(&m, IdeaStage::InterestNotified, day("2026-03-03")), m, "no move, no new day");
    }

    #[test]
    fn ambassadors_and_the_municipalities_without_one() {
        let person = |n: u128, name: &str, amb: bool, m: Option<u128>| Item {
            id: Uuid::from_u128(n),
            fields: Person {
                name: name.into(),
                roles: vec![],
                is_ambassador: amb,
                email: None,
                phone: None,
                municipality_id: m.map(Uuid::from_u128),
                notes: None,
                good_example: false,
            },
        };
        let people = vec![
            person(101, "Britt", true, Some(1)),
            person(100, "Anders", true, Some(1)),
            person(102, "Cilla", false, Some(2)),
        ];
        let ideas = vec![
            idea(2, "2026-02-01", IdeaStage::Idea, &[], None),
            idea(4, "2025-03-01", IdeaStage::Idea, &[], None),
            idea(1, "2026-01-01", IdeaStage::Idea, &[], None),
        ];
        let rows = ambassadors(&people, &ideas, 2026);
        assert_eq!(
            rows.iter().map(|r| r.person.fields.name.as_str()).collect::<Vec<_>>(),
            ["Anders", "Britt"]
        );
        assert_eq!((rows[0].captured, rows[0].last_capture), (1, Some(day("2026-02-01"))));
        assert_eq!((rows[1].captured, rows[1].last_capture), (1, Some(day("2026-01-01"))));
        let m = |n: u128, name: &str| Item {
            id: Uuid::from_u128(n),
            fields: Municipality { name: name.into(), code: "0480".into() },
        };
        let ms = vec![m(2, "Flen"), m(1, "Eskilstuna")];
        let cov = coverage(&ms, &people);
        assert_eq!(cov[0].0.fields.name, "Eskilstuna");
        assert_eq!(cov[0].1.len(), 2);
        assert!(cov[1].1.is_empty(), "Flen's only person is not an ambassador");
    }
}
