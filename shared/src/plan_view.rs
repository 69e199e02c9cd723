//! The plan as people read it, assembled from a flat set of records: goals in order, each with
//! its activities in plan order. Pure, so the browser renders it and tests check it natively.

use crate::order::{sort_by_rank, Rank};
use std::collections::HashMap;

use uuid::Uuid;

use crate::kinds::{
    Activity, FocusArea, KindFields, LongTermGoal, Municipality, Partner, Person, Plan, StrategicGoal,
};
use crate::wire::Record;

/// A record's typed fields together with its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<T> {
    pub id: Uuid,
    pub fields: T,
}

/// A strategic goal with the activities that serve it, in plan order.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalView {
    pub goal: Item<StrategicGoal>,
    pub activities: Vec<Item<Activity>>,
}

/// Everything the overview shows. Tombstones and records that fail validation are left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanView {
    /// The newest year's plan, when there is one.
    pub plan: Option<Item<Plan>>,
    pub long_term_goals: Vec<Item<LongTermGoal>>,
    pub focus_areas: Vec<Item<FocusArea>>,
    pub goals: Vec<GoalView>,
    /// Activities whose goal is missing (e.g. deleted); shown so nothing disappears silently.
    pub orphan_activities: Vec<Item<Activity>>,
    /// The area's municipalities, by name.
    pub municipalities: Vec<Item<Municipality>>,
    /// Partners, by name.
    pub partners: Vec<Item<Partner>>,
    /// People (owners of activities), by name.
    pub people: Vec<Item<Person>>,
}

/// The live records of `kind` that carry a `name` (people, municipalities, partners) as
/// (id, name), by name: what a picker lists.
pub fn names<'a>(records: impl IntoIterator<Item = &'a Record>, kind: crate::Kind) -> Vec<(Uuid, String)> {
    let mut list: Vec<(Uuid, String)> = records
        .into_iter()
        .filter(|r| r.kind == kind && !r.deleted)
        .filter_map(|r| r.fields.get("name").and_then(|n| n.as_str()).map(|n| (r.id, n.to_string())))
        .collect();
    sort_by_rank(&mut list, |(_, name)| Rank::text(name));
    list
}

/// The live records of `T`'s kind in `records` that validate, typed.
pub fn items<'a, T: KindFields + 'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<Item<T>> {
    records
        .into_iter()
        .filter(|r| !r.deleted)
        .filter_map(|r| T::from_record(r).map(|fields| Item { id: r.id, fields }))
        .collect()
}

impl PlanView {
    /// Assembles the view from any set of records (other kinds are ignored).
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a Record> + Clone) -> Self {
        let plan = items::<Plan>(records.clone()).into_iter().max_by_key(|p| p.fields.year);
        let mut long_term_goals = items::<LongTermGoal>(records.clone());
        sort_by_rank(&mut long_term_goals, |g| Rank::num(g.fields.number));
        let mut focus_areas = items::<FocusArea>(records.clone());
        sort_by_rank(&mut focus_areas, |f| Rank::num(f.fields.number));
        let mut goals: Vec<GoalView> = items::<StrategicGoal>(records.clone())
            .into_iter()
            .map(|goal| GoalView { goal, activities: Vec::new() })
            .collect();
        sort_by_rank(&mut goals, |g| Rank::num(g.goal.fields.number));

        let index: HashMap<Uuid, usize> = goals.iter().enumerate().map(|(i, g)| (g.goal.id, i)).collect();
        let mut orphan_activities = Vec::new();
        for activity in items::<Activity>(records.clone()) {
            match index.get(&activity.fields.strategic_goal_id) {
                Some(&i) => goals[i].activities.push(activity),
                None => orphan_activities.push(activity),
            }
        }
        for g in &mut goals {
            sort_by_rank(&mut g.activities, |a| Rank::num(a.fields.position).then_id(a.id));
        }
        let mut municipalities = items::<Municipality>(records.clone());
        sort_by_rank(&mut municipalities, |m| Rank::text(&m.fields.name));
        let mut partners = items::<Partner>(records.clone());
        sort_by_rank(&mut partners, |p| Rank::text(&p.fields.name));
        let mut people = items::<Person>(records.clone());
        sort_by_rank(&mut people, |p| Rank::text(&p.fields.name));
        PlanView {
            plan,
            long_term_goals,
            focus_areas,
            goals,
            orphan_activities,
            municipalities,
            partners,
            people,
        }
    }

    /// The name of a municipality, partner or person by id (for labels), if known.
    pub fn name_of(&self, id: Uuid) -> Option<&str> {
        self.municipalities
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.fields.name.as_str())
            .or_else(|| self.partners.iter().find(|p| p.id == id).map(|p| p.fields.name.as_str()))
            .or_else(|| self.people.iter().find(|p| p.id == id).map(|p| p.fields.name.as_str()))
    }

    /// The goal with this number (1–6), if present.
    pub fn goal(&self, number: i64) -> Option<&GoalView> {
        self.goals.iter().find(|g| g.goal.fields.number == number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;
    use crate::test_support::record;
    use serde_json::json;

    fn activity(n: u128, goal: u128, position: i64) -> Record {
        record(
            Kind::Activity,
            n,
            json!({"strategic_goal_id": Uuid::from_u128(goal), "title": format!("A{n}"),
                   "status": "not_started", "position": position}),
        )
    }

    #[test]
    fn activities_attach_to_their_goal_in_plan_order() {
        let records = vec![
            record(Kind::StrategicGoal, 2, json!({"number": 2, "title": "Två", "health": "on_track"})),
            record(Kind::StrategicGoal, 1, json!({"number": 1, "title": "Ett", "health": "at_risk"})),
            activity(10, 1, 2),
            activity(11, 1, 1),
            activity(12, 2, 1),
            activity(13, 99, 1),
        ];
        let view = PlanView::from_records(&records);
        let numbers: Vec<i64> = view.goals.iter().map(|g| g.goal.fields.number).collect();
        assert_eq!(numbers, [1, 2]);
        let titles: Vec<&str> =
            view.goal(1).unwrap().activities.iter().map(|a| a.fields.title.as_str()).collect();
        assert_eq!(titles, ["A11", "A10"]);
        assert_eq!(view.goal(2).unwrap().activities.len(), 1);
        assert_eq!(view.orphan_activities.len(), 1);
    }

    #[test]
    fn tombstones_and_invalid_records_are_left_out() {
        let mut deleted = activity(10, 1, 1);
        deleted.deleted = true;
        let invalid = record(Kind::Activity, 11, json!({"title": "no goal"}));
        let records = vec![
            record(Kind::StrategicGoal, 1, json!({"number": 1, "title": "Ett", "health": "done"})),
            deleted,
            invalid,
        ];
        let view = PlanView::from_records(&records);
        assert!(view.goal(1).unwrap().activities.is_empty());
        assert!(view.orphan_activities.is_empty());
    }

    #[test]
    fn pickers_list_live_named_records_of_one_kind_by_name() {
        let mut gone = record(Kind::Person, 3, json!({"name": "Cecilia"}));
        gone.deleted = true;
        let records = vec![
            record(Kind::Person, 1, json!({"name": "Bo"})),
            record(Kind::Person, 2, json!({"name": "Anna"})),
            record(Kind::Municipality, 4, json!({"name": "Flen", "code": "0482"})),
            gone,
        ];
        let people: Vec<String> = names(&records, Kind::Person).into_iter().map(|(_, n)| n).collect();
        assert_eq!(people, ["Anna", "Bo"]);
    }
}
