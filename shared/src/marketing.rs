//! Goal 5's marketing: where an item sits in the calendar (its publish day, else its week), the
//! week's question — what to communicate this week, with suggestions from the week's events,
//! freshly granted projects and good examples — and the communication plan's follow-up,
//! published items per channel and month and per strategic goal. Pure, unit-tested here.

use chrono::Datelike;
use uuid::Uuid;

use crate::date::Date;
use crate::kinds::{Event, Idea, MarketingItem, Person};
use crate::order::{day, sort_by_rank, Rank};
use crate::plan_view::{items, Item};
use crate::values::{IdeaStage, MarketingChannel, MarketingStatus};
use crate::weeks::IsoWeek;
use crate::wire::Record;

/// Days back a granted idea is fresh news ("the last four weeks").
pub const FRESH_GRANT_DAYS: i64 = 28;

/// The week an item is placed in: its publish day's week when set, else its own week.
pub fn placed_week(item: &MarketingItem) -> Option<IsoWeek> {
    item.publish_on.map(IsoWeek::of).or_else(|| item.week.as_deref().and_then(IsoWeek::parse))
}

/// The month an item is counted in: its publish day's, else its week's Thursday's (the ISO rule
/// that gives a week its year gives it its month too). (year, month 1–12).
pub fn placed_month(item: &MarketingItem) -> Option<(i32, u32)> {
    let d = item.publish_on.or_else(|| placed_week(item).map(IsoWeek::thursday))?;
    Some((d.0.year(), d.0.month()))
}

/// The live items placed in `week`, by publish day (items with only a week last), then title.
pub fn in_week(all: &[Item<MarketingItem>], week: IsoWeek) -> Vec<&Item<MarketingItem>> {
    let mut out: Vec<&Item<MarketingItem>> =
        all.iter().filter(|i| placed_week(&i.fields) == Some(week)).collect();
    sort_by_rank(&mut out, |i| Rank::num(day(i.fields.publish_on)).then_text(&i.fields.title).then_id(i.id));
    out
}

/// True when `week` has nothing planned: no item in it beyond a loose idea.
pub fn nothing_planned(all: &[Item<MarketingItem>], week: IsoWeek) -> bool {
    in_week(all, week).iter().all(|i| i.fields.status == MarketingStatus::Idea)
}

/// The day an item sits on for sorting: its publishing day, else its week's Monday.
pub fn placed_day(item: &MarketingItem) -> Option<Date> {
    item.publish_on.or_else(|| placed_week(item).map(IsoWeek::monday))
}

/// A new item planned for `week`, owned by `owner`, featuring nothing yet.
pub fn planned(
    title: String,
    channel: MarketingChannel,
    week: IsoWeek,
    owner: Option<Uuid>,
) -> MarketingItem {
    MarketingItem {
        title,
        channel,
        status: MarketingStatus::Planned,
        publish_on: None,
        week: Some(week.to_string()),
        owner_person_id: owner,
        strategic_goal_ids: Vec::new(),
        good_example: false,
        featured_person_id: None,
        featured_event_id: None,
        featured_idea_id: None,
        link: None,
        notes: None,
        focus_area_ids: Vec::new(),
    }
}

/// What a suggestion would feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Featured {
    Event(Uuid),
    Idea(Uuid),
    Person(Uuid),
}

/// Something worth communicating, with the day it is about (an event's, a grant's).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub featured: Featured,
    pub title: String,
    pub date: Option<Date>,
}

impl Suggestion {
    /// A planned item in `week` featuring this, titled as the suggestion.
    pub fn to_item(&self, week: IsoWeek, owner: Option<Uuid>, channel: MarketingChannel) -> MarketingItem {
        let mut item = planned(self.title.clone(), channel, week, owner);
        match self.featured {
            Featured::Event(id) => item.featured_event_id = Some(id),
            Featured::Idea(id) => item.featured_idea_id = Some(id),
            Featured::Person(id) => {
                item.featured_person_id = Some(id);
                item.good_example = true;
            }
        }
        item
    }
}

/// What to communicate in `week`: its and the next week's events, ideas granted in the four
/// weeks up to the week's Sunday, and people marked as good examples — each unless a live item
/// already features it. Events first by day, then grants newest first, then people by name.
pub fn suggestions<'a>(
    records: impl IntoIterator<Item = &'a Record> + Clone,
    week: IsoWeek,
) -> Vec<Suggestion> {
    let marketing = items::<MarketingItem>(records.clone());
    let featured = |f: Featured| {
        marketing.iter().any(|m| match f {
            Featured::Event(id) => m.fields.featured_event_id == Some(id),
            Featured::Idea(id) => m.fields.featured_idea_id == Some(id),
            Featured::Person(id) => m.fields.featured_person_id == Some(id),
        })
    };
    let (from, to) = (week.monday(), week.next().sunday());
    let mut events: Vec<Item<Event>> = items::<Event>(records.clone())
        .into_iter()
        .filter(|e| e.fields.date >= from && e.fields.date <= to)
        .collect();
    sort_by_rank(&mut events, |e| {
        Rank::num(day(Some(e.fields.date))).then_text(&e.fields.title).then_id(e.id)
    });
    let end = week.sunday();
    let mut grants: Vec<(Item<Idea>, Date)> = items::<Idea>(records.clone())
        .into_iter()
        .filter_map(|i| {
            let on = *i.fields.stage_reached_on.get(&IdeaStage::Granted)?;
            let age = (end.0 - on.0).num_days();
            // Granted and still there (a move back to an earlier stage, or a decline, takes
            // the news back; the day it reached "granted" stays in the record either way).
            let still =
                matches!(i.fields.stage, IdeaStage::Granted | IdeaStage::InProgress | IdeaStage::Finished);
            (still && (0..FRESH_GRANT_DAYS).contains(&age)).then_some((i, on))
        })
        .collect();
    sort_by_rank(&mut grants, |(i, on)| Rank::num(-day(Some(*on))).then_id(i.id));
    let mut people: Vec<Item<Person>> =
        items::<Person>(records).into_iter().filter(|p| p.fields.good_example).collect();
    sort_by_rank(&mut people, |p| Rank::text(&p.fields.name).then_id(p.id));

    let events = events.into_iter().map(|e| Suggestion {
        featured: Featured::Event(e.id),
        title: e.fields.title,
        date: Some(e.fields.date),
    });
    let grants = grants.into_iter().map(|(i, on)| Suggestion {
        featured: Featured::Idea(i.id),
        title: i.fields.title,
        date: Some(on),
    });
    let people = people.into_iter().map(|p| Suggestion {
        featured: Featured::Person(p.id),
        title: p.fields.name,
        date: None,
    });
    events.chain(grants).chain(people).filter(|s| !featured(s.featured)).collect()
}

/// The communication plan's follow-up for one year: published items per channel and month,
/// and per strategic goal (an item serving two goals counts for each).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FollowUp {
    /// Every channel, in the order channels are listed, with its count per month (January first).
    pub per_channel: Vec<(MarketingChannel, [u32; 12])>,
    /// Goals with at least one published item, most first.
    pub per_goal: Vec<(Uuid, u32)>,
    /// Published items in the year.
    pub total: u32,
}

/// Counts the published items of `year` (placed by publish day, else week).
pub fn follow_up<'a>(records: impl IntoIterator<Item = &'a Record>, year: i32) -> FollowUp {
    let mut per_channel: Vec<(MarketingChannel, [u32; 12])> =
        MarketingChannel::ALL.iter().map(|c| (*c, [0; 12])).collect();
    let mut per_goal: Vec<(Uuid, u32)> = Vec::new();
    let mut total = 0;
    for item in items::<MarketingItem>(records) {
        let m = &item.fields;
        if m.status != MarketingStatus::Published {
            continue;
        }
        let Some((y, month)) = placed_month(m) else { continue };
        if y != year {
            continue;
        }
        total += 1;
        if let Some((_, months)) = per_channel.iter_mut().find(|(c, _)| *c == m.channel) {
            months[month as usize - 1] += 1;
        }
        let mut goals = m.strategic_goal_ids.clone();
        // A goal listed twice counts once.
        goals.sort();
        goals.dedup();
        for g in goals {
            match per_goal.iter_mut().find(|(id, _)| *id == g) {
                Some((_, n)) => *n += 1,
                None => per_goal.push((g, 1)),
            }
        }
    }
    sort_by_rank(&mut per_goal, |(g, n)| Rank::num(-i64::from(*n)).then_id(*g));
    FollowUp { per_channel, per_goal, total }
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

    fn week(s: &str) -> IsoWeek {
        IsoWeek::parse(s).unwrap()
    }

    fn item(n: u128, fields: serde_json::Value) -> Record {
        let mut base = json!({"title": format!("Inlägg {n}"), "channel": "facebook", "status": "planned"});
        base.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        record(Kind::MarketingItem, n, base)
    }

    #[test]
    fn an_item_sits_in_its_publish_days_week_else_its_own_week() {
        let all: Vec<Item<MarketingItem>> = items(&[
            item(1, json!({"publish_on": "2026-12-30", "week": "2026-W10"})),
            item(2, json!({"week": "2026-W53"})),
            item(3, json!({"publish_on": "2027-01-04"})),
            item(4, json!({})),
        ]);
        let w53: Vec<Uuid> = in_week(&all, week("2026-W53")).iter().map(|i| i.id).collect();
        assert_eq!(w53, [id(1), id(2)], "the dated one first");
        assert_eq!(placed_month(&all[1].fields), Some((2026, 12)), "W53's Thursday is 31 December");
        assert_eq!(placed_week(&all[2].fields), Some(week("2027-W01")));
        assert_eq!(placed_week(&all[3].fields), None);
        assert!(!nothing_planned(&all, week("2026-W53")));
        assert!(nothing_planned(&all, week("2026-W52")));
        let loose: Vec<Item<MarketingItem>> =
            items(&[item(5, json!({"week": "2026-W52", "status": "idea"}))]);
        assert!(nothing_planned(&loose, week("2026-W52")), "a loose idea is not a plan");
    }

    #[test]
    fn the_weeks_question_suggests_events_fresh_grants_and_good_examples_not_yet_featured() {
        let w = week("2026-W48"); // 23–29 November 2026
        let records = vec![
            record(
                Kind::Event,
                10,
                json!({"type": "workshop", "title": "Workshop i Flen", "date": "2026-11-25"}),
            ),
            record(
                Kind::Event,
                11,
                json!({"type": "preparedness_meeting", "title": "Beredskapsträff", "date": "2026-12-03"}),
            ),
            // Two weeks ahead: not yet.
            record(Kind::Event, 12, json!({"type": "forum", "title": "Forum", "date": "2026-12-07"})),
            record(
                Kind::Event,
                13,
                json!({"type": "workshop", "title": "Redan omtalad", "date": "2026-11-24"}),
            ),
            record(
                Kind::Idea,
                20,
                json!({"title": "Solceller", "stage": "granted", "captured_on": "2026-05-01",
                "stage_reached_on": {"granted": "2026-11-10"}}),
            ),
            // Granted five weeks before the week's Sunday: old news.
            record(
                Kind::Idea,
                21,
                json!({"title": "Gammal", "stage": "granted", "captured_on": "2026-05-01",
                "stage_reached_on": {"granted": "2026-10-24"}}),
            ),
            record(
                Kind::Idea,
                22,
                json!({"title": "Ej beviljad", "stage": "applying", "captured_on": "2026-05-01"}),
            ),
            record(
                Kind::Person,
                30,
                json!({"name": "Kim Karlsson", "roles": ["former_project_owner"], "good_example": true}),
            ),
            record(Kind::Person, 31, json!({"name": "Anna", "roles": ["other"]})),
            item(40, json!({"featured_event_id": id(13)})),
        ];
        let s = suggestions(&records, w);
        let titles: Vec<&str> = s.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Workshop i Flen", "Beredskapsträff", "Solceller", "Kim Karlsson"]);
        assert_eq!(s[0].featured, Featured::Event(id(10)));
        // Turned into an item, it is featured and no longer suggested.
        let planned = s[0].to_item(w, Some(id(50)), MarketingChannel::Facebook);
        assert_eq!(
            (planned.status, planned.week.as_deref(), planned.featured_event_id),
            (MarketingStatus::Planned, Some("2026-W48"), Some(id(10)))
        );
        let mut more = records.clone();
        more.push(record(Kind::MarketingItem, 41, serde_json::to_value(&planned).unwrap()));
        more.push(record(
            Kind::MarketingItem,
            42,
            serde_json::to_value(s[3].to_item(w, None, MarketingChannel::Web)).unwrap(),
        ));
        let titles: Vec<String> = suggestions(&more, w).into_iter().map(|s| s.title).collect();
        assert_eq!(titles, ["Beredskapsträff", "Solceller"]);
    }

    #[test]
    fn the_follow_up_counts_published_items_per_channel_month_and_goal() {
        let records = vec![
            item(
                1,
                json!({"status": "published", "channel": "facebook", "publish_on": "2026-03-02", "strategic_goal_ids": [id(5)]}),
            ),
            item(
                2,
                json!({"status": "published", "channel": "facebook", "week": "2026-W11", "strategic_goal_ids": [id(5), id(1)]}),
            ),
            item(3, json!({"status": "published", "channel": "newsletter", "publish_on": "2026-11-30"})),
            // Planned, another year, undated: not counted.
            item(4, json!({"status": "planned", "channel": "facebook", "publish_on": "2026-03-05"})),
            item(5, json!({"status": "published", "channel": "facebook", "publish_on": "2025-03-05"})),
            item(6, json!({"status": "published", "channel": "web"})),
            Record { deleted: true, ..item(7, json!({"status": "published", "publish_on": "2026-03-06"})) },
        ];
        let f = follow_up(&records, 2026);
        assert_eq!(f.total, 3);
        let facebook = f.per_channel.iter().find(|(c, _)| *c == MarketingChannel::Facebook).unwrap().1;
        assert_eq!(facebook[2], 2, "March: one by its day, one by its week");
        assert_eq!(facebook.iter().sum::<u32>(), 2);
        let newsletter = f.per_channel.iter().find(|(c, _)| *c == MarketingChannel::Newsletter).unwrap().1;
        assert_eq!(newsletter[10], 1);
        assert_eq!(f.per_goal, [(id(5), 2), (id(1), 1)]);
        assert_eq!(f.per_channel.len(), MarketingChannel::ALL.len(), "every channel, zero or not");
    }
}
