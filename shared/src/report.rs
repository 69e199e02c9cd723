//! The follow-up of a plan year (`/uppfoljning/2026`) and a municipality's page
//! (`/kommun/flen`): what was recorded, gathered per strategic goal or per municipality. Pure,
//! so the report is built on the device from local data (it works offline) and every reader of
//! the same records sees the same report.

use chrono::Datelike;
use uuid::Uuid;

use crate::date::Date;
use crate::kinds::{Activity, Dialogue, Event, Idea, MarketingItem, Municipality, Partner, Person};
use crate::marketing::placed_month;
use crate::order::{day, sort_by_rank, Rank};
use crate::plan_view::{items, GoalView, Item, PlanView};
use crate::values::EventType;
use crate::wire::Record;

/// What was recorded for a goal or a municipality in a year, each list by date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evidence {
    pub events: Vec<Item<Event>>,
    pub dialogues: Vec<Item<Dialogue>>,
    pub ideas: Vec<Item<Idea>>,
    pub marketing: Vec<Item<MarketingItem>>,
}

impl Evidence {
    /// How many records in all.
    pub fn count(&self) -> usize {
        self.events.len() + self.dialogues.len() + self.ideas.len() + self.marketing.len()
    }

    /// Keeps the records of `year` that `keep_*` accept, and sorts each list by date.
    fn gather(
        records: &[&Record],
        year: i32,
        keep_event: impl Fn(&Event) -> bool,
        keep_dialogue: impl Fn(&Dialogue) -> bool,
        keep_idea: impl Fn(&Idea) -> bool,
        keep_marketing: impl Fn(&MarketingItem) -> bool,
    ) -> Evidence {
        let rs = records.iter().copied();
        let mut out = Evidence {
            events: items::<Event>(rs.clone())
                .into_iter()
                .filter(|e| e.fields.date.0.year() == year && keep_event(&e.fields))
                .collect(),
            dialogues: items::<Dialogue>(rs.clone())
                .into_iter()
                .filter(|d| d.fields.date.0.year() == year && keep_dialogue(&d.fields))
                .collect(),
            ideas: items::<Idea>(rs.clone())
                .into_iter()
                .filter(|i| active_in(&i.fields, year) && keep_idea(&i.fields))
                .collect(),
            marketing: items::<MarketingItem>(rs)
                .into_iter()
                .filter(|m| {
                    placed_month(&m.fields).is_some_and(|(y, _)| y == year) && keep_marketing(&m.fields)
                })
                .collect(),
        };
        sort_by_rank(&mut out.events, |e| {
            Rank::num(day(Some(e.fields.date))).then_text(&e.fields.title).then_id(e.id)
        });
        sort_by_rank(&mut out.dialogues, |d| Rank::num(day(Some(d.fields.date))).then_id(d.id));
        sort_by_rank(&mut out.ideas, |i| {
            Rank::num(day(Some(i.fields.captured_on))).then_text(&i.fields.title).then_id(i.id)
        });
        sort_by_rank(&mut out.marketing, |m| {
            Rank::num(day(crate::marketing::placed_day(&m.fields))).then_text(&m.fields.title).then_id(m.id)
        });
        out
    }
}

/// True when the idea was captured in `year` or moved to a stage during it.
fn active_in(idea: &Idea, year: i32) -> bool {
    idea.captured_on.0.year() == year || idea.stage_reached_on.values().any(|d| d.0.year() == year)
}

/// One strategic goal in the follow-up: the goal and its activities, and its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalSection {
    pub goal: GoalView,
    pub evidence: Evidence,
}

/// The year's follow-up: every strategic goal in plan order with its activities and the events,
/// dialogues, ideas and marketing items of `year` tied to it (an event also through its
/// activity).
pub fn year_report<'a>(records: impl IntoIterator<Item = &'a Record>, year: i32) -> Vec<GoalSection> {
    let records: Vec<&Record> = records.into_iter().collect();
    let plan = PlanView::from_records(records.iter().copied());
    plan.goals
        .into_iter()
        .map(|goal| {
            let id = goal.goal.id;
            let activities: Vec<Uuid> = goal.activities.iter().map(|a| a.id).collect();
            let evidence = Evidence::gather(
                &records,
                year,
                |e| e.goals().contains(&id) || e.activity_id.is_some_and(|a| activities.contains(&a)),
                |d| d.strategic_goal_ids.contains(&id),
                |i| i.strategic_goal_ids.contains(&id),
                |m| m.strategic_goal_ids.contains(&id),
            );
            GoalSection { goal, evidence }
        })
        .collect()
}

/// The address form of a municipality's name: lower case, å and ä as a, ö as o, and anything
/// else that is not a letter or digit as a hyphen ("Strängnäs" → `strangnas`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c != '-' || !out.ends_with('-') {
            out.push(c);
        }
    }
    out.trim_matches('-').to_string()
}

/// What the LAG did in one municipality in a year, for its co-financing follow-up.
#[derive(Debug, Clone, PartialEq)]
pub struct MunicipalityReport {
    pub municipality: Item<Municipality>,
    /// Workshops (goal 3's) held or planned there in the year; the rest of its events are in
    /// `evidence.events`.
    pub workshops: Vec<Item<Event>>,
    /// Events other than workshops there, dialogues with partners based there, ideas from there
    /// and marketing items (none: marketing is area-wide, so the list stays empty).
    pub evidence: Evidence,
    /// Activities tagged with the municipality, in plan order.
    pub activities: Vec<Item<Activity>>,
    /// Ambassadors who live there, by name.
    pub ambassadors: Vec<Item<Person>>,
}

/// The municipality whose [`slug`] is `wanted`, if any.
pub fn municipality_by_slug<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    wanted: &str,
) -> Option<Item<Municipality>> {
    items::<Municipality>(records).into_iter().find(|m| slug(&m.fields.name) == wanted)
}

/// The report for `municipality` in `year`.
pub fn municipality_report<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    municipality: Item<Municipality>,
    year: i32,
) -> MunicipalityReport {
    let records: Vec<&Record> = records.into_iter().collect();
    let m = municipality.id;
    let here: Vec<Uuid> = items::<Partner>(records.iter().copied())
        .into_iter()
        .filter(|p| p.fields.municipality_id == Some(m))
        .map(|p| p.id)
        .collect();
    let mut evidence = Evidence::gather(
        &records,
        year,
        |e| e.municipality_id == Some(m),
        |d| d.all_partner_ids().iter().any(|p| here.contains(p)),
        |i| i.municipality_id == Some(m),
        |_| false,
    );
    let (workshops, others) = std::mem::take(&mut evidence.events)
        .into_iter()
        .partition(|e| e.fields.event_type == EventType::Workshop);
    evidence.events = others;
    let plan = PlanView::from_records(records.iter().copied());
    let activities = plan
        .goals
        .iter()
        .flat_map(|g| g.activities.iter())
        .filter(|a| a.fields.municipality_ids.contains(&m))
        .cloned()
        .collect();
    let ambassadors = plan
        .people
        .into_iter()
        .filter(|p| p.fields.is_ambassador && p.fields.municipality_id == Some(m))
        .collect();
    MunicipalityReport { municipality, workshops, evidence, activities, ambassadors }
}

/// The year a follow-up is about when none is asked for: the plan's year, else `today`'s.
pub fn default_year(plan: &PlanView, today: Date) -> i32 {
    plan.plan.as_ref().map_or(today.0.year(), |p| p.fields.year as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::record;
    use crate::Kind;
    use serde_json::json;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn records() -> Vec<Record> {
        vec![
            record(Kind::StrategicGoal, 1, json!({"number": 1, "title": "Medel", "health": "on_track"})),
            record(Kind::StrategicGoal, 3, json!({"number": 3, "title": "Workshops", "health": "at_risk"})),
            record(
                Kind::Activity,
                31,
                json!({"strategic_goal_id": id(3), "title": "17 workshops",
                "status": "in_progress", "position": 1, "municipality_ids": [id(50)]}),
            ),
            record(Kind::Municipality, 50, json!({"name": "Flen", "code": "0482"})),
            record(Kind::Municipality, 51, json!({"name": "Strängnäs", "code": "0486"})),
            record(
                Kind::Partner,
                60,
                json!({"name": "Flens kommun", "type": "municipality", "municipality_id": id(50)}),
            ),
            record(Kind::Partner, 61, json!({"name": "Länsstyrelsen", "type": "authority"})),
            // Through its activity, and through a further goal.
            record(
                Kind::Event,
                70,
                json!({"type": "workshop", "title": "Workshop i Flen", "date": "2026-03-04",
                "municipality_id": id(50), "activity_id": id(31), "strategic_goal_id": id(3)}),
            ),
            record(
                Kind::Event,
                71,
                json!({"type": "network_meeting", "title": "Nätverk", "date": "2026-02-01",
                "municipality_id": id(50), "strategic_goal_ids": [id(1)]}),
            ),
            record(
                Kind::Event,
                72,
                json!({"type": "workshop", "title": "Förra året", "date": "2025-05-01",
                "municipality_id": id(50), "activity_id": id(31)}),
            ),
            record(
                Kind::Dialogue,
                80,
                json!({"partner_id": id(61), "partner_ids": [id(60)], "date": "2026-04-01",
                "channel": "meeting", "summary": "Samråd", "strategic_goal_ids": [id(1)]}),
            ),
            record(
                Kind::Dialogue,
                81,
                json!({"partner_id": id(61), "date": "2026-04-02",
                "channel": "phone", "summary": "Bara länet"}),
            ),
            record(
                Kind::Idea,
                90,
                json!({"title": "Bygdegård", "stage": "applying", "captured_on": "2025-11-01",
                "municipality_id": id(50), "strategic_goal_ids": [id(1)],
                "stage_reached_on": {"applying": "2026-01-15"}}),
            ),
            record(
                Kind::MarketingItem,
                95,
                json!({"title": "Nyhetsbrev", "channel": "newsletter", "status": "published",
                "week": "2026-W10", "strategic_goal_ids": [id(3)]}),
            ),
            record(
                Kind::Person,
                40,
                json!({"name": "Ambassadör i Flen", "is_ambassador": true, "municipality_id": id(50)}),
            ),
            record(Kind::Person, 41, json!({"name": "Bor i Flen", "municipality_id": id(50)})),
        ]
    }

    #[test]
    fn each_goal_gathers_the_years_evidence_tied_to_it() {
        let rs = records();
        let report = year_report(&rs, 2026);
        assert_eq!(report.len(), 2);
        let goal1 = &report[0].evidence;
        assert_eq!(goal1.events.iter().map(|e| e.id).collect::<Vec<_>>(), [id(71)], "a further goal counts");
        assert_eq!(goal1.dialogues.iter().map(|d| d.id).collect::<Vec<_>>(), [id(80)]);
        assert_eq!(goal1.ideas.iter().map(|i| i.id).collect::<Vec<_>>(), [id(90)], "moved on in 2026");
        let goal3 = &report[1];
        assert_eq!(goal3.goal.activities.len(), 1);
        assert_eq!(
            goal3.evidence.events.iter().map(|e| e.id).collect::<Vec<_>>(),
            [id(70)],
            "not last year's"
        );
        assert_eq!(goal3.evidence.marketing.len(), 1);
        assert_eq!(goal3.evidence.count(), 2);
        assert_eq!(
            year_report(&rs, 2025)[1].evidence.events.iter().map(|e| e.id).collect::<Vec<_>>(),
            [id(72)]
        );
    }

    #[test]
    fn a_municipalitys_page_has_its_workshops_events_dialogues_ideas_activities_and_ambassadors() {
        let rs = records();
        let flen = municipality_by_slug(&rs, "flen").unwrap();
        let r = municipality_report(&rs, flen, 2026);
        assert_eq!(r.workshops.iter().map(|e| e.id).collect::<Vec<_>>(), [id(70)]);
        assert_eq!(r.evidence.events.iter().map(|e| e.id).collect::<Vec<_>>(), [id(71)]);
        assert_eq!(
            r.evidence.dialogues.iter().map(|d| d.id).collect::<Vec<_>>(),
            [id(80)],
            "a partner based there took part"
        );
        assert_eq!(r.evidence.ideas.len(), 1);
        assert_eq!(r.activities.iter().map(|a| a.id).collect::<Vec<_>>(), [id(31)]);
        assert_eq!(r.ambassadors.iter().map(|p| p.id).collect::<Vec<_>>(), [id(40)], "ambassadors only");
        assert!(municipality_by_slug(&rs, "strangnas").is_some());
        assert!(municipality_by_slug(&rs, "Flen").is_none(), "addresses are lower case");
    }

    #[test]
    fn slugs_are_lower_case_with_a_for_a_ring_and_a_umlaut_and_o_for_o_umlaut() {
        assert_eq!(slug("Flen"), "flen");
        assert_eq!(slug("Strängnäs"), "strangnas");
        assert_eq!(slug("Vingåker"), "vingaker");
        assert_eq!(slug("Nyköping"), "nykoping");
        assert_eq!(slug("Upplands Väsby"), "upplands-vasby");
        assert_eq!(slug("  Å / Ö  "), "a-o");
    }
}
