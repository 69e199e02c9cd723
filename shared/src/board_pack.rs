//! The board meeting pack (`/styrelsemote`): since a chosen day — by default the previous board
//! meeting, an event of type `board_meeting` — the idea funnel's movements, coming events, the
//! ideas at the application stage waiting for the LAG's priority, and, offline, what the
//! records on the device say changed (online the server's histories say it, see
//! `GET /api/v1/changes`). Pure, so the pack works offline and is tested here.

use uuid::Uuid;

use crate::date::Date;
use crate::kinds::{Dialogue, Event, Idea, MarketingItem};
use crate::order::{day, sort_by_rank, Rank};
use crate::plan_view::{items, Item};
use crate::values::{EventType, IdeaStage};
use crate::wire::Record;
use crate::Kind;

/// How far ahead "coming events" look.
pub const COMING_DAYS: i64 = 60;

/// The day of the last board meeting before `today`, if one is recorded.
pub fn last_board_meeting<'a>(records: impl IntoIterator<Item = &'a Record>, today: Date) -> Option<Date> {
    items::<Event>(records)
        .into_iter()
        .filter(|e| e.fields.event_type == EventType::BoardMeeting && e.fields.date < today)
        .map(|e| e.fields.date)
        .max()
}

/// The day the pack starts from when none is chosen: the last board meeting, else 30 days ago.
pub fn default_since<'a>(records: impl IntoIterator<Item = &'a Record>, today: Date) -> Date {
    last_board_meeting(records, today)
        .or_else(|| today.0.checked_sub_days(chrono::Days::new(30)).map(Date))
        .unwrap_or(today)
}

/// An idea reaching a stage on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub idea: Item<Idea>,
    pub stage: IdeaStage,
    pub on: Date,
}

/// The funnel's movements since `since` (captures included), newest first.
pub fn funnel_moves<'a>(records: impl IntoIterator<Item = &'a Record>, since: Date) -> Vec<Move> {
    let mut out = Vec::new();
    for idea in items::<Idea>(records) {
        let mut stages: Vec<(IdeaStage, Date)> =
            idea.fields.stage_reached_on.iter().map(|(s, d)| (*s, *d)).collect();
        if !idea.fields.stage_reached_on.contains_key(&IdeaStage::Idea) {
            stages.push((IdeaStage::Idea, idea.fields.captured_on));
        }
        for (stage, on) in stages.into_iter().filter(|(_, d)| *d >= since) {
            out.push(Move { idea: idea.clone(), stage, on });
        }
    }
    sort_by_rank(&mut out, |m| {
        Rank::num(-day(Some(m.on))).then_text(&m.idea.fields.title).then_id(m.idea.id)
    });
    out
}

/// Events from `today` to [`COMING_DAYS`] ahead, soonest first.
pub fn coming_events<'a>(records: impl IntoIterator<Item = &'a Record>, today: Date) -> Vec<Item<Event>> {
    let until = today.0.checked_add_days(chrono::Days::new(COMING_DAYS as u64)).map_or(today, Date);
    let mut out: Vec<Item<Event>> = items::<Event>(records)
        .into_iter()
        .filter(|e| e.fields.date >= today && e.fields.date <= until)
        .collect();
    sort_by_rank(&mut out, |e| Rank::num(day(Some(e.fields.date))).then_text(&e.fields.title).then_id(e.id));
    out
}

/// Ideas at the application stage: they wait for the LAG's priority, oldest first.
pub fn awaiting_priority<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<Item<Idea>> {
    let mut out: Vec<Item<Idea>> =
        items::<Idea>(records).into_iter().filter(|i| i.fields.stage == IdeaStage::Applying).collect();
    sort_by_rank(&mut out, |i| {
        Rank::num(day(i.fields.reached(IdeaStage::Applying))).then_text(&i.fields.title).then_id(i.id)
    });
    out
}

/// A record the device knows was made or dated since the day (offline, without histories).
#[derive(Debug, Clone, PartialEq)]
pub struct LocalChange {
    pub kind: Kind,
    pub id: Uuid,
    pub title: String,
    pub on: Date,
}

/// Offline stand-in for the server's changes: events, dialogues, ideas and marketing items whose
/// own dates fall on or after `since`, newest first. Edits of other fields leave no date in a
/// record, so the pack says it shows local records only.
pub fn local_changes<'a>(
    records: impl IntoIterator<Item = &'a Record> + Clone,
    since: Date,
) -> Vec<LocalChange> {
    let mut out = Vec::new();
    for e in items::<Event>(records.clone()).into_iter().filter(|e| e.fields.date >= since) {
        out.push(LocalChange { kind: Kind::Event, id: e.id, title: e.fields.title, on: e.fields.date });
    }
    for d in items::<Dialogue>(records.clone()).into_iter().filter(|d| d.fields.date >= since) {
        out.push(LocalChange { kind: Kind::Dialogue, id: d.id, title: d.fields.summary, on: d.fields.date });
    }
    for m in funnel_moves(records.clone(), since) {
        if !out.iter().any(|c| c.id == m.idea.id) {
            out.push(LocalChange { kind: Kind::Idea, id: m.idea.id, title: m.idea.fields.title, on: m.on });
        }
    }
    for m in items::<MarketingItem>(records) {
        if let Some(on) = m.fields.publish_on.filter(|d| *d >= since) {
            out.push(LocalChange { kind: Kind::MarketingItem, id: m.id, title: m.fields.title, on });
        }
    }
    sort_by_rank(&mut out, |c| Rank::num(-day(Some(c.on))).then_text(&c.title).then_id(c.id));
    out
}

/// The title of any record for a list of changes: its title, name or summary.
pub fn title_of(record: &Record) -> String {
    ["title", "name", "summary", "text"]
        .iter()
        .find_map(|f| record.fields.get(*f).and_then(|v| v.as_str()))
        .unwrap_or_default()
        .to_string()
}

/// True for a kind the pack's list of changes leaves out: the machinery, not the work.
pub fn is_noise(kind: Kind) -> bool {
    matches!(kind, Kind::Conflict | Kind::Settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::record;
    use serde_json::json;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn records() -> Vec<Record> {
        vec![
            record(
                Kind::Event,
                1,
                json!({"type": "board_meeting", "title": "Styrelsemöte", "date": "2026-10-15"}),
            ),
            record(
                Kind::Event,
                2,
                json!({"type": "board_meeting", "title": "Styrelsemöte", "date": "2026-12-10"}),
            ),
            record(Kind::Event, 3, json!({"type": "workshop", "title": "Workshop", "date": "2026-12-01"})),
            record(Kind::Event, 4, json!({"type": "workshop", "title": "Långt fram", "date": "2027-03-01"})),
            record(
                Kind::Idea,
                5,
                json!({"title": "Solceller", "stage": "applying", "captured_on": "2026-09-01",
                "stage_reached_on": {"interest_notified": "2026-10-01", "applying": "2026-11-02"}}),
            ),
            record(
                Kind::Idea,
                6,
                json!({"title": "Bygdegård", "stage": "idea", "captured_on": "2026-11-20"}),
            ),
        ]
    }

    #[test]
    fn the_pack_starts_at_the_last_meeting_and_lists_moves_coming_events_and_applications() {
        let rs = records();
        let today = day("2026-11-29");
        assert_eq!(last_board_meeting(&rs, today), Some(day("2026-10-15")), "not the coming one");
        assert_eq!(default_since(&rs, today), day("2026-10-15"));
        assert_eq!(default_since(&rs[2..], today), day("2026-10-30"), "30 days without a meeting");
        let moves = funnel_moves(&rs, day("2026-10-15"));
        let seen: Vec<(&str, IdeaStage)> =
            moves.iter().map(|m| (m.idea.fields.title.as_str(), m.stage)).collect();
        assert_eq!(seen, [("Bygdegård", IdeaStage::Idea), ("Solceller", IdeaStage::Applying)]);
        let coming: Vec<Uuid> = coming_events(&rs, today).iter().map(|e| e.id).collect();
        assert_eq!(coming, [Uuid::from_u128(3), Uuid::from_u128(2)], "within 60 days, soonest first");
        assert_eq!(awaiting_priority(&rs).len(), 1);
        let local = local_changes(&rs, day("2026-11-01"));
        assert_eq!(
            local.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(),
            ["Långt fram", "Styrelsemöte", "Workshop", "Bygdegård", "Solceller"]
        );
    }
}
