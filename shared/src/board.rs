//! The numbers the goals board shows: a goal's progress and next deadlines, the activities that
//! need attention, goal 1's use of project funds against 75 %, and goal 3's workshops against 17.
//! Pure functions of records and "today", so they are unit-tested here and run in the browser.

use crate::order::{day, sort_by_rank, Rank};
use chrono::Datelike;
use uuid::Uuid;

use crate::date::Date;
use crate::kinds::{Activity, Event, Funds, KindFields, Municipality, Plan};
use crate::plan_view::{Item, PlanView};
use crate::values::{ActivityStatus, EventType};
use crate::wire::Record;

/// Goal 3: this many workshops in the area's municipalities during the plan year.
pub const WORKSHOP_TARGET: usize = 17;
/// An activity due within this many days that has not started needs attention.
pub const DUE_SOON_DAYS: i64 = 14;
/// The strategic goal that carries the funds target.
pub const FUNDS_GOAL: i64 = 1;
/// The strategic goal that carries the workshop target.
pub const WORKSHOP_GOAL: i64 = 3;

/// A goal's progress: how many of its activities are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// Counts the done activities (paused ones still count towards the total: they are not done).
    pub fn of(activities: &[Item<Activity>]) -> Progress {
        let done = activities.iter().filter(|a| a.fields.status == ActivityStatus::Done).count();
        Progress { done, total: activities.len() }
    }

    /// Whole percent, rounded down so 100 % means all done; 0 for a goal without activities.
    pub fn percent(self) -> u32 {
        (self.done * 100).checked_div(self.total).unwrap_or(0) as u32
    }
}

/// The activities not yet done that fall due today or later, soonest first, at most `n`.
pub fn next_deadlines(activities: &[Item<Activity>], today: Date, n: usize) -> Vec<&Item<Activity>> {
    let mut open: Vec<&Item<Activity>> = activities
        .iter()
        .filter(|a| a.fields.status != ActivityStatus::Done && a.fields.due_on.is_some_and(|d| d >= today))
        .collect();
    sort_by_rank(&mut open, |a| Rank::nums(day(a.fields.due_on), a.fields.position));
    open.truncate(n);
    open
}

/// Why an activity is on the attention list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attention {
    /// Past its due date and not done, by this many days.
    Overdue { days: i64 },
    /// Due within [`DUE_SOON_DAYS`] (in this many days) and not started, or paused.
    AtRisk { days: i64 },
}

/// An activity that needs attention, with its goal's number.
#[derive(Debug, Clone, PartialEq)]
pub struct AttentionItem {
    pub goal_number: i64,
    pub activity: Item<Activity>,
    pub why: Attention,
}

/// The activities that are overdue or at risk, overdue first, then by due date.
pub fn needs_attention(plan: &PlanView, today: Date) -> Vec<AttentionItem> {
    let mut out: Vec<AttentionItem> = plan
        .goals
        .iter()
        .flat_map(|g| g.activities.iter().map(move |a| (g.goal.fields.number, a)))
        .filter_map(|(goal_number, a)| {
            let due = a.fields.due_on?;
            let days = (due.0 - today.0).num_days();
            let why = match a.fields.status {
                ActivityStatus::Done => return None,
                _ if days < 0 => Attention::Overdue { days: -days },
                ActivityStatus::NotStarted | ActivityStatus::Paused if days <= DUE_SOON_DAYS => {
                    Attention::AtRisk { days }
                }
                _ => return None,
            };
            Some(AttentionItem { goal_number, activity: a.clone(), why })
        })
        .collect();
    sort_by_rank(&mut out, |i| {
        Rank::nums(i64::from(matches!(i.why, Attention::AtRisk { .. })), day(i.activity.fields.due_on))
    });
    out
}

/// Goal 3's activity that carries the workshop target, with the goal's id. The plan states the
/// target in the activity's words ("Genomföra 17 workshops i områdets kommuner …") and has no
/// field for it, so it is found by them: the first of goal 3's activities (in plan order)
/// naming workshops and the number 17, else the first naming workshops.
pub fn workshop_activity(plan: &PlanView) -> Option<(Uuid, &Item<Activity>)> {
    let goal = plan.goal(WORKSHOP_GOAL)?;
    let names_workshops = |a: &&Item<Activity>| a.fields.title.to_lowercase().contains("workshop");
    let target = WORKSHOP_TARGET.to_string();
    let found = goal
        .activities
        .iter()
        .filter(names_workshops)
        .find(|a| a.fields.title.contains(&target))
        .or_else(|| goal.activities.iter().find(names_workshops))?;
    Some((goal.goal.id, found))
}

/// A numeric target that is behind the even pace that would reach it by its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behind {
    /// Goal 3: `held` workshops where the pace to `due` asks for `expected` by today.
    Workshops { held: usize, expected: usize, due: Date },
    /// Goal 1: granted share of the allocated funds, and the share the pace to the end of the
    /// period asks for by today, both in per mille.
    Funds { used_per_mille: i64, expected_per_mille: i64, by: Date },
}

/// Days from `start` to `end`, both included.
fn days_between(start: Date, end: Date) -> i64 {
    (end.0 - start.0).num_days() + 1
}

/// The numeric targets behind their pace on `today`. The pace is even: a target of 17 by 15
/// December asks for 17 × (days gone of the year) / (days from 1 January to 15 December),
/// rounded down, so the list says early that the year's count cannot be reached by its end.
/// Workshops count from 1 January of the plan year to the workshop activity's due date (31
/// December when it has none); funds from 1 January of the period's first year to goal 1's
/// target day (see [`Plan::funds_target_on`]). A target already met, a done workshop activity, or no allocated funds are not
/// behind.
pub fn targets_behind(
    plan: &PlanView,
    funds: Option<&Funds>,
    workshops_held: usize,
    today: Date,
) -> Vec<Behind> {
    let mut out = Vec::new();
    let Some(p) = plan.plan.as_ref().map(|p| &p.fields) else {
        return out;
    };
    let year_start = |y: i64| Date::from_ymd(y as i32, 1, 1);
    let year_end = |y: i64| Date::from_ymd(y as i32, 12, 31);
    let workshop = workshop_activity(plan).map(|(_, a)| a);
    let done = workshop.is_some_and(|a| a.fields.status == ActivityStatus::Done);
    if let (Some(start), Some(end), false) = (year_start(p.year), year_end(p.year), done) {
        let due = workshop.and_then(|a| a.fields.due_on).filter(|d| *d >= start).unwrap_or(end);
        if today >= start && workshops_held < WORKSHOP_TARGET {
            let gone = days_between(start, today.min(due));
            let expected = (WORKSHOP_TARGET as i64 * gone / days_between(start, due)) as usize;
            if workshops_held < expected {
                out.push(Behind::Workshops { held: workshops_held, expected, due });
            }
        }
    }
    let target = FundsTarget::of(p);
    if let (Some(f), Some(start)) = (funds, year_start(p.period_start_year)) {
        let end = target.by;
        let s = FundsSummary::new(f, today, target);
        if s.allocated_sek > 0 && !s.target_reached() && today >= start && end > start {
            let gone = days_between(start, today.min(end));
            let expected_per_mille = target.percent * 10 * gone / days_between(start, end);
            if s.used_per_mille < expected_per_mille {
                out.push(Behind::Funds { used_per_mille: s.used_per_mille, expected_per_mille, by: end });
            }
        }
    }
    out
}

/// Goal 1's target: a share of the period's funds granted by a day (plan data an admin changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundsTarget {
    pub percent: i64,
    pub by: Date,
}

impl FundsTarget {
    /// The plan's target (75 % by 31 December of the plan year unless an admin changed it).
    pub fn of(plan: &Plan) -> FundsTarget {
        FundsTarget { percent: plan.funds_target_percent(), by: plan.funds_target_on() }
    }

    /// The same share by the end of the programme period: where the period as a whole stands.
    pub fn period(plan: &Plan) -> FundsTarget {
        FundsTarget { percent: plan.funds_target_percent(), by: plan.period_end() }
    }
}

/// Goal 1's number: the funds record against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundsSummary {
    pub allocated_sek: i64,
    pub granted_sek: i64,
    pub paid_sek: i64,
    /// Granted (committed, "upparbetat") as per mille of allocated, rounded down; 0 when nothing
    /// is allocated.
    pub used_per_mille: i64,
    /// Paid as per mille of allocated, rounded down.
    pub paid_per_mille: i64,
    /// The target's share of allocated, rounded up: the amount to grant.
    pub target_sek: i64,
    /// What is left to grant to reach the target (0 once reached).
    pub remaining_sek: i64,
    /// Calendar months left to the target's day, the current one included (0 once it is past).
    pub months_left: i64,
    /// Amount to grant per month from now to reach the target in time; None when nothing is
    /// left to grant or no month is left.
    pub per_month_sek: Option<i64>,
}

impl FundsSummary {
    /// The summary on `today` against `target`.
    pub fn new(funds: &Funds, today: Date, target: FundsTarget) -> FundsSummary {
        let allocated = funds.allocated_sek.max(0);
        let per_mille = |part: i64| if allocated == 0 { 0 } else { part.max(0) * 1000 / allocated };
        let target_sek = (allocated * target.percent.clamp(0, 100) + 99) / 100;
        let remaining_sek = (target_sek - funds.granted_sek).max(0);
        let (year, month) = (i64::from(today.0.year()), i64::from(today.0.month()));
        let (end_year, end_month) = (i64::from(target.by.0.year()), i64::from(target.by.0.month()));
        let months_left =
            if today > target.by { 0 } else { ((end_year - year) * 12 + (end_month - month) + 1).max(0) };
        let per_month_sek =
            (remaining_sek > 0 && months_left > 0).then(|| (remaining_sek + months_left - 1) / months_left);
        FundsSummary {
            allocated_sek: funds.allocated_sek,
            granted_sek: funds.granted_sek,
            paid_sek: funds.paid_sek,
            used_per_mille: per_mille(funds.granted_sek),
            paid_per_mille: per_mille(funds.paid_sek),
            target_sek,
            remaining_sek,
            months_left,
            per_month_sek,
        }
    }

    /// True once the granted share has reached the target.
    pub fn target_reached(&self) -> bool {
        self.allocated_sek > 0 && self.remaining_sek == 0
    }
}

/// The programme-wide funds record (the one without a focus area), with its id.
pub fn programme_funds<'a>(records: impl IntoIterator<Item = &'a Record>) -> Option<Item<Funds>> {
    records
        .into_iter()
        .filter(|r| !r.deleted)
        .filter_map(|r| Funds::from_record(r).map(|f| Item { id: r.id, fields: f }))
        .find(|f| f.fields.focus_area_id.is_none())
}

/// Workshops in one municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct MunicipalityTally {
    pub municipality: Item<Municipality>,
    /// Held: dated today or earlier.
    pub held: usize,
    /// Dated later in the plan year.
    pub planned: usize,
}

/// The large preparedness meeting of goal 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preparedness {
    NotPlanned,
    Planned(Date),
    Held(Date),
}

/// Goal 3's number: workshops in the plan year, per municipality, and the preparedness meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkshopTally {
    pub held: usize,
    pub planned: usize,
    /// Every municipality, alphabetically, including those with no workshop yet.
    pub per_municipality: Vec<MunicipalityTally>,
    pub preparedness: Preparedness,
}

impl WorkshopTally {
    /// Counts the `workshop` events with a municipality dated in `year` (held when dated
    /// `today` or earlier), and finds the preparedness meeting (a held one first, else the
    /// next planned).
    pub fn new<'a>(records: impl IntoIterator<Item = &'a Record> + Clone, year: i64, today: Date) -> Self {
        let mut per_municipality: Vec<MunicipalityTally> = records
            .clone()
            .into_iter()
            .filter(|r| !r.deleted)
            .filter_map(|r| {
                Municipality::from_record(r).map(|m| MunicipalityTally {
                    municipality: Item { id: r.id, fields: m },
                    held: 0,
                    planned: 0,
                })
            })
            .collect();
        sort_by_rank(&mut per_municipality, |t| Rank::text(&t.municipality.fields.name));
        let index: std::collections::HashMap<Uuid, usize> =
            per_municipality.iter().enumerate().map(|(i, t)| (t.municipality.id, i)).collect();

        let (mut held, mut planned) = (0, 0);
        let mut meetings: Vec<Date> = Vec::new();
        for event in records.into_iter().filter(|r| !r.deleted).filter_map(Event::from_record) {
            match event.event_type {
                EventType::Workshop if i64::from(event.date.0.year()) == year => {
                    let Some(&i) = event.municipality_id.as_ref().and_then(|m| index.get(m)) else {
                        continue;
                    };
                    if event.date <= today {
                        held += 1;
                        per_municipality[i].held += 1;
                    } else {
                        planned += 1;
                        per_municipality[i].planned += 1;
                    }
                }
                EventType::PreparednessMeeting => meetings.push(event.date),
                _ => {}
            }
        }
        let preparedness = match meetings.iter().filter(|d| **d <= today).max() {
            Some(d) => Preparedness::Held(*d),
            None => meetings.iter().min().map_or(Preparedness::NotPlanned, |d| Preparedness::Planned(*d)),
        };
        WorkshopTally { held, planned, per_municipality, preparedness }
    }
}

#[cfg(test)]
mod tests;
