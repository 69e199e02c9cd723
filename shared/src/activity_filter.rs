//! Filters of the activities board and list, and their form in a shareable URL query
//! (`?mal=1&status=done&kommun=0482`). Keys are Swedish like the paths; values are the stable
//! ids (goal and focus-area numbers, kommunkod, person ids, status and due values).

use uuid::Uuid;

use crate::date::Date;
use crate::kinds::Activity;
use crate::plan_view::{Item, PlanView};
use crate::values::ActivityStatus;

/// Which due dates to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Past due and not done.
    Overdue,
    /// Due within the next 30 days (today included).
    Next30Days,
    /// Due this year.
    ThisYear,
    /// No due date set.
    None,
}

impl Due {
    pub const ALL: [Due; 4] = [Due::Overdue, Due::Next30Days, Due::ThisYear, Due::None];

    /// The value in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Due::Overdue => "overdue",
            Due::Next30Days => "next_30_days",
            Due::ThisYear => "this_year",
            Due::None => "none",
        }
    }

    fn parse(s: &str) -> Option<Due> {
        Due::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// The filters; `None` shows everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActivityFilter {
    pub goal: Option<i64>,
    pub focus_area: Option<i64>,
    /// Kommunkod, e.g. "0482" for Flen (stored as its four digits).
    pub municipality: Option<[u8; 4]>,
    pub owner: Option<Uuid>,
    pub status: Option<ActivityStatus>,
    pub due: Option<Due>,
}

/// The URL query keys, in the order they are written.
pub mod keys {
    pub const GOAL: &str = "mal";
    pub const FOCUS_AREA: &str = "insatsomrade";
    pub const MUNICIPALITY: &str = "kommun";
    pub const OWNER: &str = "ansvarig";
    pub const STATUS: &str = "status";
    pub const DUE: &str = "deadline";
}

/// An activity that passed the filters, with its goal's number.
#[derive(Debug, Clone, PartialEq)]
pub struct Match<'a> {
    pub goal_number: i64,
    pub activity: &'a Item<Activity>,
}

impl ActivityFilter {
    /// Reads the filters from query pairs; unknown keys and values that do not parse are
    /// ignored, so an old or mistyped link still opens (showing more, never failing).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ActivityFilter {
        let mut f = ActivityFilter::default();
        for (key, value) in pairs {
            match key {
                keys::GOAL => f.goal = value.parse().ok(),
                keys::FOCUS_AREA => f.focus_area = value.parse().ok(),
                keys::MUNICIPALITY => {
                    f.municipality = value
                        .as_bytes()
                        .try_into()
                        .ok()
                        .filter(|code: &[u8; 4]| code.iter().all(u8::is_ascii_digit))
                }
                keys::OWNER => f.owner = Uuid::parse_str(value).ok(),
                keys::STATUS => f.status = ActivityStatus::ALL.iter().copied().find(|s| s.as_str() == value),
                keys::DUE => f.due = Due::parse(value),
                _ => {}
            }
        }
        f
    }

    /// The filters as query pairs, only those set.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(g) = self.goal {
            out.push((keys::GOAL, g.to_string()));
        }
        if let Some(n) = self.focus_area {
            out.push((keys::FOCUS_AREA, n.to_string()));
        }
        if let Some(code) = self.municipality {
            out.push((keys::MUNICIPALITY, String::from_utf8_lossy(&code).into_owned()));
        }
        if let Some(o) = self.owner {
            out.push((keys::OWNER, o.to_string()));
        }
        if let Some(s) = self.status {
            out.push((keys::STATUS, s.as_str().to_string()));
        }
        if let Some(d) = self.due {
            out.push((keys::DUE, d.as_str().to_string()));
        }
        out
    }

    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == ActivityFilter::default()
    }

    /// The activities of `plan` that pass, in plan order (goal, then position).
    pub fn apply<'a>(&self, plan: &'a PlanView, today: Date) -> Vec<Match<'a>> {
        let focus_id = self.focus_area.map(|n| {
            plan.focus_areas.iter().find(|f| f.fields.number == n).map(|f| f.id).unwrap_or(Uuid::nil())
        });
        let municipality_id = self.municipality.map(|code| {
            plan.municipalities
                .iter()
                .find(|m| m.fields.code.as_bytes() == code)
                .map(|m| m.id)
                .unwrap_or(Uuid::nil())
        });
        plan.goals
            .iter()
            .filter(|g| self.goal.is_none_or(|n| g.goal.fields.number == n))
            .flat_map(|g| {
                g.activities.iter().map(move |a| Match { goal_number: g.goal.fields.number, activity: a })
            })
            .filter(|m| {
                let a = &m.activity.fields;
                focus_id.is_none_or(|id| a.focus_area_ids.contains(&id))
                    && municipality_id.is_none_or(|id| a.municipality_ids.contains(&id))
                    && self.owner.is_none_or(|o| a.owner_person_id == Some(o))
                    && self.status.is_none_or(|s| a.status == s)
                    && self.due.is_none_or(|d| due_matches(d, a, today))
            })
            .collect()
    }
}

fn due_matches(due: Due, a: &Activity, today: Date) -> bool {
    use chrono::Datelike;
    match (due, a.due_on) {
        (Due::None, d) => d.is_none(),
        (_, None) => false,
        (Due::Overdue, Some(d)) => d < today && a.status != ActivityStatus::Done,
        (Due::Next30Days, Some(d)) => d >= today && (d.0 - today.0).num_days() <= 30,
        (Due::ThisYear, Some(d)) => d.0.year() == today.0.year(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;
    use crate::test_support::record;
    use serde_json::json;

    #[test]
    fn filters_round_trip_through_the_query_and_bad_values_are_ignored() {
        let f = ActivityFilter {
            goal: Some(3),
            focus_area: Some(2),
            municipality: Some(*b"0482"),
            owner: Some(Uuid::from_u128(5)),
            status: Some(ActivityStatus::InProgress),
            due: Some(Due::Overdue),
        };
        let pairs = f.to_pairs();
        assert_eq!(pairs[0], ("mal", "3".to_string()));
        assert_eq!(pairs[2], ("kommun", "0482".to_string()));
        let back = ActivityFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, f);

        let bad = ActivityFilter::from_pairs([
            ("mal", "x"),
            ("kommun", "Flen"),
            ("status", "finished"),
            ("vy", "tavla"),
        ]);
        assert!(bad.is_empty());
        assert!(ActivityFilter::default().to_pairs().is_empty());
    }

    #[test]
    fn each_filter_narrows_the_activities() {
        let (flen, gnesta, person) = (Uuid::from_u128(50), Uuid::from_u128(51), Uuid::from_u128(60));
        let records = [
            record(Kind::StrategicGoal, 1, json!({"number": 1, "title": "Ett", "health": "on_track"})),
            record(Kind::StrategicGoal, 2, json!({"number": 2, "title": "Två", "health": "on_track"})),
            record(Kind::FocusArea, 40, json!({"number": 1, "title": "Fokus"})),
            record(Kind::Municipality, 50, json!({"name": "Flen", "code": "0482"})),
            record(Kind::Municipality, 51, json!({"name": "Gnesta", "code": "0461"})),
            record(
                Kind::Activity,
                10,
                json!({"strategic_goal_id": Uuid::from_u128(1), "title": "A", "status": "done",
                "position": 1, "municipality_ids": [flen], "owner_person_id": person, "due_on": "2026-01-10"}),
            ),
            record(
                Kind::Activity,
                11,
                json!({"strategic_goal_id": Uuid::from_u128(1), "title": "B",
                "status": "in_progress", "position": 2, "focus_area_ids": [Uuid::from_u128(40)],
                "due_on": "2026-12-10", "municipality_ids": [gnesta]}),
            ),
            record(
                Kind::Activity,
                12,
                json!({"strategic_goal_id": Uuid::from_u128(2), "title": "C",
                "status": "not_started", "position": 1, "due_on": "2026-11-01"}),
            ),
        ];
        let plan = PlanView::from_records(&records);
        let today = Date::parse("2026-11-27").unwrap();
        let titles = |f: ActivityFilter| -> Vec<String> {
            f.apply(&plan, today).iter().map(|m| m.activity.fields.title.clone()).collect()
        };
        let all = ActivityFilter::default();
        assert_eq!(titles(all), ["A", "B", "C"]);
        assert_eq!(titles(ActivityFilter { goal: Some(2), ..all }), ["C"]);
        assert_eq!(titles(ActivityFilter { focus_area: Some(1), ..all }), ["B"]);
        assert_eq!(titles(ActivityFilter { focus_area: Some(9), ..all }), Vec::<String>::new());
        assert_eq!(titles(ActivityFilter { municipality: Some(*b"0482"), ..all }), ["A"]);
        assert_eq!(titles(ActivityFilter { owner: Some(person), ..all }), ["A"]);
        assert_eq!(titles(ActivityFilter { status: Some(ActivityStatus::InProgress), ..all }), ["B"]);
        assert_eq!(titles(ActivityFilter { due: Some(Due::Overdue), ..all }), ["C"], "A is done");
        assert_eq!(titles(ActivityFilter { due: Some(Due::Next30Days), ..all }), ["B"]);
        assert_eq!(titles(ActivityFilter { due: Some(Due::None), ..all }), Vec::<String>::new());
        assert_eq!(
            titles(ActivityFilter { goal: Some(1), status: Some(ActivityStatus::Done), ..all }),
            ["A"]
        );
        let m = &ActivityFilter { goal: Some(2), ..all }.apply(&plan, today)[0];
        assert_eq!(m.goal_number, 2);
    }
}
