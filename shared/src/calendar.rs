//! Every date in one place (`/kalender`): activities' due days, events, marketing items,
//! dialogues' and ideas' next steps — each with the municipalities and strategic goals it
//! belongs to, so the calendar can be filtered. Under a filter, an entry without a
//! municipality (or goal) is left out: it is not known to belong there.

use std::collections::HashMap;

use uuid::Uuid;

use crate::date::Date;
use crate::kinds::{Activity, Dialogue, Event, Idea, MarketingItem, Partner};
use crate::marketing::placed_week;
use crate::order::{day, sort_by_rank, Rank};
use crate::plan_view::items;
use crate::values::IdeaStage;
use crate::wire::Record;
use crate::Kind;

/// One dated thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub date: Date,
    /// The record's kind: what the entry is and where it links.
    pub kind: Kind,
    pub id: Uuid,
    pub title: String,
    /// True for a marketing item placed by its week only (shown on the week's Monday).
    pub whole_week: bool,
    pub municipalities: Vec<Uuid>,
    pub goals: Vec<Uuid>,
}

/// What the calendar shows: a municipality, a strategic goal, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filter {
    pub municipality: Option<Uuid>,
    pub goal: Option<Uuid>,
}

impl Filter {
    pub fn keeps(&self, e: &Entry) -> bool {
        self.municipality.is_none_or(|m| e.municipalities.contains(&m))
            && self.goal.is_none_or(|g| e.goals.contains(&g))
    }
}

/// The entries from `from` to `to` (both included) that `filter` keeps, by day, then kind and
/// title. Done activities and steps are left out: the calendar shows what is ahead or happened.
pub fn entries<'a>(
    records: impl IntoIterator<Item = &'a Record> + Clone,
    from: Date,
    to: Date,
    filter: Filter,
) -> Vec<Entry> {
    let partner_place: HashMap<Uuid, Uuid> = items::<Partner>(records.clone())
        .into_iter()
        .filter_map(|p| p.fields.municipality_id.map(|m| (p.id, m)))
        .collect();
    let mut out = Vec::new();
    let mut add = |date: Option<Date>, kind, id, title: String, whole_week, municipalities, goals| {
        if let Some(date) = date.filter(|d| *d >= from && *d <= to) {
            out.push(Entry { date, kind, id, title, whole_week, municipalities, goals });
        }
    };
    for a in items::<Activity>(records.clone()) {
        let f = a.fields;
        if f.status != crate::values::ActivityStatus::Done {
            add(
                f.due_on,
                Kind::Activity,
                a.id,
                f.title,
                false,
                f.municipality_ids,
                vec![f.strategic_goal_id],
            );
        }
    }
    for e in items::<Event>(records.clone()) {
        let f = e.fields;
        let goals = f.goals();
        add(Some(f.date), Kind::Event, e.id, f.title, false, f.municipality_id.into_iter().collect(), goals);
    }
    for m in items::<MarketingItem>(records.clone()) {
        let week = placed_week(&m.fields);
        // A week's item sits on the first of the week's days that is shown (a week split
        // between two months is in both months' views).
        let (date, whole_week) = match (m.fields.publish_on, week) {
            (Some(d), _) => (Some(d), false),
            (None, Some(w)) if w.sunday() >= from && w.monday() <= to => (Some(w.monday().max(from)), true),
            _ => (None, false),
        };
        add(
            date,
            Kind::MarketingItem,
            m.id,
            m.fields.title,
            whole_week,
            Vec::new(),
            m.fields.strategic_goal_ids,
        );
    }
    for d in items::<Dialogue>(records.clone()) {
        let f = &d.fields;
        if f.has_open_step() {
            let places = f.all_partner_ids().iter().filter_map(|p| partner_place.get(p).copied()).collect();
            add(
                f.next_step_due,
                Kind::Dialogue,
                d.id,
                f.next_step.clone().unwrap_or_default(),
                false,
                places,
                f.strategic_goal_ids.clone(),
            );
        }
    }
    for i in items::<Idea>(records) {
        let f = &i.fields;
        if f.has_open_step() && !matches!(f.stage, IdeaStage::Finished | IdeaStage::Declined) {
            let title = format!("{}: {}", f.title, f.next_step.clone().unwrap_or_default());
            add(
                f.next_step_due,
                Kind::Idea,
                i.id,
                title,
                false,
                f.municipality_id.into_iter().collect(),
                f.strategic_goal_ids.clone(),
            );
        }
    }
    out.retain(|e| filter.keeps(e));
    let order = |k: Kind| Kind::ALL.iter().position(|x| *x == k).unwrap_or(0) as i64;
    sort_by_rank(&mut out, |e| {
        Rank::nums(day(Some(e.date)), order(e.kind)).then_text(&e.title).then_id(e.id)
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::record;
    use serde_json::json;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn every_date_in_one_list_filtered_by_municipality_and_goal() {
        let (flen, gnesta, goal3, goal5) = (id(1), id(2), id(3), id(5));
        let records = vec![
            record(
                Kind::Partner,
                9,
                json!({"name": "Flen", "type": "municipality", "municipality_id": flen}),
            ),
            record(
                Kind::Activity,
                10,
                json!({"strategic_goal_id": goal3, "title": "Workshops", "status": "in_progress",
                "due_on": "2026-12-10", "municipality_ids": [], "partner_ids": [], "focus_area_ids": [], "position": 1}),
            ),
            record(
                Kind::Activity,
                11,
                json!({"strategic_goal_id": goal3, "title": "Klar", "status": "done",
                "due_on": "2026-12-11", "municipality_ids": [], "partner_ids": [], "focus_area_ids": [], "position": 2}),
            ),
            record(
                Kind::Event,
                20,
                json!({"type": "workshop", "title": "Workshop i Flen", "date": "2026-12-02",
                "municipality_id": flen, "strategic_goal_id": goal3}),
            ),
            record(
                Kind::Event,
                21,
                json!({"type": "workshop", "title": "Workshop i Gnesta", "date": "2026-12-03",
                "municipality_id": gnesta}),
            ),
            record(
                Kind::MarketingItem,
                30,
                json!({"title": "Nyhetsbrev", "channel": "newsletter", "status": "planned",
                "week": "2026-W49", "strategic_goal_ids": [goal5]}),
            ),
            record(
                Kind::Dialogue,
                40,
                json!({"partner_id": id(9), "date": "2026-11-20", "channel": "call", "summary": "Flen",
                "next_step": "Skicka underlag", "next_step_due": "2026-12-04"}),
            ),
            record(
                Kind::Idea,
                50,
                json!({"title": "Solceller", "stage": "idea", "captured_on": "2026-11-01",
                "next_step": "Ring", "next_step_due": "2026-12-20", "municipality_id": gnesta}),
            ),
        ];
        let (from, to) = (d("2026-11-30"), d("2026-12-31"));
        let all = entries(&records, from, to, Filter::default());
        let titles: Vec<&str> = all.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Nyhetsbrev",
                "Workshop i Flen",
                "Workshop i Gnesta",
                "Skicka underlag",
                "Workshops",
                "Solceller: Ring"
            ]
        );
        assert!(all[0].whole_week && all[0].date == d("2026-11-30"), "a week's item on its Monday");
        let in_flen = entries(&records, from, to, Filter { municipality: Some(flen), goal: None });
        let titles: Vec<&str> = in_flen.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Workshop i Flen", "Skicka underlag"],
            "the dialogue through its partner's municipality"
        );
        let goal = entries(&records, from, to, Filter { municipality: None, goal: Some(goal3) });
        let titles: Vec<&str> = goal.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Workshop i Flen", "Workshops"]);
        assert!(
            entries(&records, from, to, Filter { municipality: Some(flen), goal: Some(goal5) }).is_empty()
        );
        assert_eq!(entries(&records, d("2026-12-07"), d("2026-12-09"), Filter::default()), vec![]);
        let late_in_week = entries(&records, d("2026-12-05"), d("2026-12-06"), Filter::default());
        assert_eq!(
            late_in_week.iter().map(|e| (e.title.as_str(), e.date)).collect::<Vec<_>>(),
            [("Nyhetsbrev", d("2026-12-05"))]
        );
        // A week split between two months: on the first shown day of it in each.
        let split = vec![record(
            Kind::MarketingItem,
            31,
            json!({"title": "Vecka 14", "channel": "web", "status": "planned", "week": "2026-W14"}),
        )];
        let march = entries(&split, d("2026-03-01"), d("2026-03-31"), Filter::default());
        let april = entries(&split, d("2026-04-01"), d("2026-04-30"), Filter::default());
        assert_eq!((march[0].date, april[0].date), (d("2026-03-30"), d("2026-04-01")));
    }
}
