//! Filters of the idea funnel's board and list, and their form in a shareable URL query
//! (`?steg=applying&kommun=0482&forsenat=ja`), in the style of the activity filters: Swedish
//! keys, stable values (stage names, kommunkod, focus-area numbers, person ids).

use uuid::Uuid;

use crate::date::Date;
use crate::kinds::Idea;
use crate::order::{day, sort_by_rank, Rank};
use crate::plan_view::{Item, PlanView};
use crate::values::IdeaStage;

/// The filters; `None` (or false) shows everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IdeaFilter {
    pub stage: Option<IdeaStage>,
    /// Kommunkod, e.g. "0482" for Flen.
    pub municipality: Option<[u8; 4]>,
    pub focus_area: Option<i64>,
    pub captured_by: Option<Uuid>,
    /// Only ideas whose next step is past its due date (and still open).
    pub overdue: bool,
}

/// The URL query keys, in the order they are written.
pub mod keys {
    pub const STAGE: &str = "steg";
    pub const MUNICIPALITY: &str = "kommun";
    pub const FOCUS_AREA: &str = "insatsomrade";
    pub const CAPTURED_BY: &str = "fangad_av";
    pub const OVERDUE: &str = "forsenat";
}

/// The value of [`keys::OVERDUE`] that turns it on.
pub const YES: &str = "ja";

/// True when the idea's next step is due before `today` and the idea is still open.
pub fn next_step_overdue(idea: &Idea, today: Date) -> bool {
    !matches!(idea.stage, IdeaStage::Finished | IdeaStage::Declined)
        && idea.next_step_due.is_some_and(|d| d < today)
}

impl IdeaFilter {
    /// Reads the filters from query pairs; unknown keys and values that do not parse are
    /// ignored, so an old or mistyped link still opens (showing more, never failing).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> IdeaFilter {
        let mut f = IdeaFilter::default();
        for (key, value) in pairs {
            match key {
                keys::STAGE => f.stage = IdeaStage::ALL.iter().copied().find(|s| s.as_str() == value),
                keys::MUNICIPALITY => {
                    f.municipality = value
                        .as_bytes()
                        .try_into()
                        .ok()
                        .filter(|c: &[u8; 4]| c.iter().all(u8::is_ascii_digit))
                }
                keys::FOCUS_AREA => f.focus_area = value.parse().ok(),
                keys::CAPTURED_BY => f.captured_by = Uuid::parse_str(value).ok(),
                keys::OVERDUE => f.overdue = value == YES,
                _ => {}
            }
        }
        f
    }

    /// The filters as query pairs, only those set.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(s) = self.stage {
            out.push((keys::STAGE, s.as_str().to_string()));
        }
        if let Some(code) = self.municipality {
            out.push((keys::MUNICIPALITY, String::from_utf8_lossy(&code).into_owned()));
        }
        if let Some(n) = self.focus_area {
            out.push((keys::FOCUS_AREA, n.to_string()));
        }
        if let Some(p) = self.captured_by {
            out.push((keys::CAPTURED_BY, p.to_string()));
        }
        if self.overdue {
            out.push((keys::OVERDUE, YES.to_string()));
        }
        out
    }

    /// The ideas that pass, the ones with the soonest next step first, then the newest.
    pub fn apply<'a>(&self, ideas: &'a [Item<Idea>], plan: &PlanView, today: Date) -> Vec<&'a Item<Idea>> {
        let municipality = self.municipality.and_then(|code| {
            plan.municipalities.iter().find(|m| m.fields.code.as_bytes() == code).map(|m| m.id)
        });
        let focus_area = self
            .focus_area
            .and_then(|n| plan.focus_areas.iter().find(|f| f.fields.number == n).map(|f| f.id));
        let mut out: Vec<&Item<Idea>> = ideas
            .iter()
            .filter(|i| self.stage.is_none_or(|s| i.fields.stage == s))
            // A code that names no municipality matches nothing rather than everything.
            .filter(|i| {
                self.municipality.is_none()
                    || municipality.is_some() && i.fields.municipality_id == municipality
            })
            .filter(|i| {
                self.focus_area.is_none() || focus_area.is_some_and(|f| i.fields.focus_areas().contains(&f))
            })
            .filter(|i| self.captured_by.is_none_or(|p| i.fields.captured_by_person_id == Some(p)))
            .filter(|i| !self.overdue || next_step_overdue(&i.fields, today))
            .collect();
        sort_by_rank(&mut out, |i| {
            let due = i.fields.next_step_due.map_or(i64::MAX, |d| day(Some(d)));
            Rank::nums(due, -day(Some(i.fields.captured_on))).then_id(i.id)
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{KindFields, Municipality};
    use crate::test_support::record;
    use crate::Kind;
    use serde_json::json;

    #[test]
    fn round_trips_through_the_url_and_ignores_nonsense() {
        let f = IdeaFilter {
            stage: Some(IdeaStage::Applying),
            municipality: Some(*b"0482"),
            focus_area: Some(2),
            captured_by: Some(Uuid::from_u128(5)),
            overdue: true,
        };
        let pairs = f.to_pairs();
        assert_eq!(IdeaFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))), f);
        let odd =
            IdeaFilter::from_pairs([("steg", "flying"), ("kommun", "Flen"), ("forsenat", "1"), ("x", "y")]);
        assert_eq!(odd, IdeaFilter::default());
    }

    #[test]
    fn filters_by_stage_municipality_and_overdue_next_step() {
        let flen = record(Kind::Municipality, 50, json!({"name": "Flen", "code": "0482"}));
        let plan = PlanView::from_records([&flen]);
        assert!(Municipality::from_record(&flen).is_some());
        let idea = |n: u128, stage: &str, m: Option<u128>, due: Option<&str>| {
            let r = record(
                Kind::Idea,
                n,
                json!({"title": "I", "stage": stage, "captured_on": "2026-01-01",
                "municipality_id": m.map(Uuid::from_u128), "next_step_due": due}),
            );
            Item { id: r.id, fields: Idea::from_record(&r).unwrap() }
        };
        let ideas = vec![
            idea(1, "idea", Some(50), Some("2026-03-01")),
            idea(2, "applying", Some(50), None),
            idea(3, "idea", None, Some("2026-01-15")),
            idea(4, "finished", Some(50), Some("2026-01-15")),
        ];
        let today = Date::parse("2026-02-01").unwrap();
        let ids =
            |f: IdeaFilter| f.apply(&ideas, &plan, today).iter().map(|i| i.id.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(IdeaFilter::default()), [3, 4, 1, 2], "soonest next step first");
        assert_eq!(ids(IdeaFilter { stage: Some(IdeaStage::Idea), ..Default::default() }), [3, 1]);
        assert_eq!(ids(IdeaFilter { municipality: Some(*b"0482"), ..Default::default() }), [4, 1, 2]);
        assert_eq!(
            ids(IdeaFilter { municipality: Some(*b"9999"), ..Default::default() }),
            Vec::<u128>::new()
        );
        assert_eq!(
            ids(IdeaFilter { overdue: true, ..Default::default() }),
            [3],
            "a finished idea is not overdue"
        );
    }
}
