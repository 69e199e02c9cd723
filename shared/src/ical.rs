//! What a person's calendar feed holds (`GET /api/v1/calendar/<secret>.ics`, issue 13): every
//! event, and that person's own deadlines and follow-ups, each as an all-day entry. Pure, so it
//! is unit-tested here; the server writes the entries as iCalendar (RFC 5545).
//!
//! Only titles, dates, types and places go in, never a person's contact details: a feed sits in
//! a phone's calendar app, outside Tavla's privacy rules, and its address may be shared by
//! mistake. The texts are Swedish, the product's first language: a feed has no language switch.

use std::collections::HashMap;

use uuid::Uuid;

use crate::date::Date;
use crate::follow_ups::follow_ups;
use crate::kinds::{Activity, Event, Municipality, Partner};
use crate::order::{day, sort_by_rank, Rank};
use crate::plan_view::items;
use crate::values::{ActivityStatus, EventType};
use crate::wire::Record;
use crate::Kind;

/// The calendar's name in a calendar app.
pub const CALENDAR_NAME: &str = "Tavla";

/// Longest description, in characters: a dialogue's summary can be pages long, and a calendar
/// entry only needs to say what it is about.
pub const DESCRIPTION_MAX_CHARS: usize = 200;

/// What an entry is, which also names it in its UID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// An event (workshop, network meeting …), for everyone.
    Event,
    /// The due date of one of the person's own activities.
    Deadline,
    /// The due date of one of the person's own open next steps (a dialogue's or an idea's).
    FollowUp,
}

impl EntryKind {
    /// The word in the entry's UID.
    fn uid_word(self) -> &'static str {
        match self {
            EntryKind::Event => "event",
            EntryKind::Deadline => "deadline",
            EntryKind::FollowUp => "follow-up",
        }
    }
}

/// One all-day entry of the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// `<record id>-<what>@tavla`: the same entry keeps its UID from one fetch to the next, so a
    /// calendar app updates it instead of adding a copy.
    pub uid: String,
    pub what: EntryKind,
    /// The record the entry comes from.
    pub record_id: Uuid,
    pub date: Date,
    /// One line.
    pub summary: String,
    /// A short text, at most [`DESCRIPTION_MAX_CHARS`] characters.
    pub description: String,
    /// An event's municipality.
    pub location: Option<String>,
    /// The record's page in the app (as in the frontend's `paths.rs`), for a link back.
    pub path: String,
}

/// The Swedish name of an event type, as the app shows it.
pub fn event_type_label(t: EventType) -> &'static str {
    match t {
        EventType::Workshop => "Workshop",
        EventType::IdeaWorkshop => "Idéverkstad",
        EventType::NetworkMeeting => "Nätverksträff",
        EventType::PreparednessMeeting => "Beredskapsträff",
        EventType::Training => "Utbildningsdag",
        EventType::Forum => "Forum",
        EventType::BoardMeeting => "Styrelsemöte",
        EventType::Other => "Annat",
    }
}

/// `text` made safe for a calendar line: line breaks of any kind become `\n` (or spaces when
/// `one_line`), other control characters go, runs of blanks collapse, and it is trimmed. A bare
/// carriage return would otherwise end an iCalendar line in the middle of a value.
pub fn clean_text(text: &str, one_line: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                '\n'
            }
            '\t' => ' ',
            c => c,
        };
        let c = if c == '\n' && one_line { ' ' } else { c };
        if c.is_control() && c != '\n' {
            continue;
        }
        if c == ' ' && (out.ends_with(' ') || out.ends_with('\n') || out.is_empty()) {
            continue;
        }
        if c == '\n' && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// `text` cleaned and cut to `max` characters (with "…" when cut).
fn short(text: &str, max: usize) -> String {
    let text = clean_text(text, false);
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text.chars().count() > max => format!("{}…", text[..end].trim_end()),
        _ => text,
    }
}

/// The feed of the account `user`, linked to the person `person` (if any), from `records`
/// (tombstones and records that do not validate are left out), by date:
/// - every event, titled by its title, described by its type, placed in its
///   municipality;
/// - the person's own activities with a due date that are not done: "Klart senast: <title>";
/// - the person's own open next steps with a due date (see [`crate::follow_ups`]):
///   "Att göra: <step>", described by what the step is about.
///
/// Past entries stay: a calendar shows what happened as well as what is ahead.
pub fn feed<'a>(
    records: impl IntoIterator<Item = &'a Record> + Clone,
    user: Uuid,
    person: Option<Uuid>,
) -> Vec<FeedEntry> {
    let municipality: HashMap<Uuid, String> =
        items::<Municipality>(records.clone()).into_iter().map(|m| (m.id, m.fields.name)).collect();
    let partner: HashMap<Uuid, String> =
        items::<Partner>(records.clone()).into_iter().map(|p| (p.id, p.fields.name)).collect();
    let mut out = Vec::new();
    let mut add = |what: EntryKind, record_id: Uuid, date, summary: String, description, location, path| {
        out.push(FeedEntry {
            uid: format!("{record_id}-{}@tavla", what.uid_word()),
            what,
            record_id,
            date,
            summary: clean_text(&summary, true),
            description,
            location,
            path,
        });
    };

    for e in items::<Event>(records.clone()) {
        let f = e.fields;
        let label = event_type_label(f.event_type);
        let place = f.municipality_id.and_then(|m| municipality.get(&m)).map(|n| clean_text(n, true));
        let description = match &place {
            Some(place) => format!("{label} i {place}"),
            None => label.to_string(),
        };
        add(EntryKind::Event, e.id, f.date, f.title, description, place, format!("/handelser/{}", e.id));
    }

    if let Some(person) = person {
        for a in items::<Activity>(records.clone()) {
            let f = a.fields;
            let Some(due) = f.due_on else { continue };
            if f.owner_person_id != Some(person) || f.status == ActivityStatus::Done {
                continue;
            }
            let summary = format!("Klart senast: {}", f.title);
            let description =
                short(&format!("Din aktivitet i verksamhetsplanen: {}", f.title), DESCRIPTION_MAX_CHARS);
            add(EntryKind::Deadline, a.id, due, summary, description, None, format!("/aktivitet/{}", a.id));
        }
    }

    for step in follow_ups(records).into_iter().filter(|s| s.is_mine(user, person)) {
        let Some(due) = step.due else { continue };
        let (about, path) = match step.kind {
            Kind::Idea => (format!("Idé: {}", step.title), format!("/ideer/{}", step.id)),
            _ => {
                let with = step.partner.and_then(|p| partner.get(&p));
                let about = match with {
                    Some(name) => format!("Dialog med {name}: {}", step.title),
                    None => format!("Dialog: {}", step.title),
                };
                (about, format!("/dialog/{}", step.id))
            }
        };
        let summary = format!("Att göra: {}", step.step);
        add(EntryKind::FollowUp, step.id, due, summary, short(&about, DESCRIPTION_MAX_CHARS), None, path);
    }

    sort_by_rank(&mut out, |e| Rank::num(day(Some(e.date))).then_text(&e.uid));
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

    const ME: u128 = 500;
    const MY_PERSON: u128 = 50;
    const OTHER_PERSON: u128 = 51;

    fn records() -> Vec<Record> {
        let goal = id(70);
        let mut deleted =
            record(Kind::Event, 4, json!({"type": "forum", "title": "Inställt forum", "date": "2026-12-01"}));
        deleted.deleted = true;
        vec![
            record(Kind::Municipality, 60, json!({"name": "Flen", "code": "0482"})),
            record(Kind::Partner, 61, json!({"name": "Flens kommun", "type": "municipality"})),
            record(
                Kind::Event,
                1,
                json!({"type": "workshop", "title": "Workshop i Flen", "date": "2026-12-03",
                       "municipality_id": id(60)}),
            ),
            record(
                Kind::Event,
                2,
                json!({"type": "network_meeting", "title": "Nätverksträff", "date": "2026-11-20"}),
            ),
            deleted,
            record(
                Kind::Activity,
                10,
                json!({"strategic_goal_id": goal, "title": "Ta fram en kommunikationsplan", "status": "in_progress",
                       "owner_person_id": id(MY_PERSON), "due_on": "2026-12-15", "position": 1}),
            ),
            // Done: nothing left to meet.
            record(
                Kind::Activity,
                11,
                json!({"strategic_goal_id": goal, "title": "Klar sak", "status": "done",
                       "owner_person_id": id(MY_PERSON), "due_on": "2026-12-10", "position": 2}),
            ),
            // No due date.
            record(
                Kind::Activity,
                12,
                json!({"strategic_goal_id": goal, "title": "Utan datum", "status": "not_started",
                       "owner_person_id": id(MY_PERSON), "position": 3}),
            ),
            // Someone else's.
            record(
                Kind::Activity,
                13,
                json!({"strategic_goal_id": goal, "title": "Någon annans", "status": "not_started",
                       "owner_person_id": id(OTHER_PERSON), "due_on": "2026-12-11", "position": 4}),
            ),
            record(
                Kind::Dialogue,
                20,
                json!({"partner_id": id(61), "date": "2026-11-20", "channel": "call",
                       "summary": "Flen om beredskap", "next_step": "Skicka underlag", "next_step_due": "2026-12-04",
                       "next_step_owner_person_id": id(MY_PERSON)}),
            ),
            record(
                Kind::Dialogue,
                21,
                json!({"partner_id": id(61), "date": "2026-11-20", "channel": "call",
                       "summary": "Inte min", "next_step": "Ring tillbaka", "next_step_due": "2026-12-05",
                       "next_step_owner_person_id": id(OTHER_PERSON)}),
            ),
            record(
                Kind::Idea,
                30,
                json!({"title": "Solceller", "stage": "idea", "captured_on": "2026-11-01",
                       "next_step": "Ring Anna", "next_step_due": "2026-12-02", "captured_by_user_id": id(ME)}),
            ),
            // Mine, but no due date: nothing to put in a calendar.
            record(
                Kind::Idea,
                31,
                json!({"title": "Odaterad", "stage": "idea", "captured_on": "2026-11-01",
                       "next_step": "Fundera", "captured_by_user_id": id(ME)}),
            ),
        ]
    }

    #[test]
    fn events_and_only_my_own_dated_deadlines_and_follow_ups_by_date() {
        let records = records();
        let entries = feed(&records, id(ME), Some(id(MY_PERSON)));
        let got: Vec<(String, &str, EntryKind)> =
            entries.iter().map(|e| (e.date.to_string(), e.summary.as_str(), e.what)).collect();
        assert_eq!(
            got,
            [
                ("2026-11-20".to_string(), "Nätverksträff", EntryKind::Event),
                ("2026-12-02".to_string(), "Att göra: Ring Anna", EntryKind::FollowUp),
                ("2026-12-03".to_string(), "Workshop i Flen", EntryKind::Event),
                ("2026-12-04".to_string(), "Att göra: Skicka underlag", EntryKind::FollowUp),
                (
                    "2026-12-15".to_string(),
                    "Klart senast: Ta fram en kommunikationsplan",
                    EntryKind::Deadline
                ),
            ]
        );
        let workshop = &entries[2];
        assert_eq!(workshop.uid, format!("{}-event@tavla", id(1)));
        assert_eq!(workshop.location.as_deref(), Some("Flen"));
        assert_eq!(workshop.description, "Workshop i Flen");
        assert_eq!(workshop.path, format!("/handelser/{}", id(1)));
        assert_eq!(entries[0].location, None);
        let step = &entries[3];
        assert_eq!(step.uid, format!("{}-follow-up@tavla", id(20)));
        assert_eq!(step.description, "Dialog med Flens kommun: Flen om beredskap");
        assert_eq!(step.path, format!("/dialog/{}", id(20)));
        assert_eq!(entries[1].description, "Idé: Solceller");
        assert_eq!(entries[1].path, format!("/ideer/{}", id(30)));
        assert_eq!(entries[4].uid, format!("{}-deadline@tavla", id(10)));
        assert_eq!(entries[4].path, format!("/aktivitet/{}", id(10)));
    }

    #[test]
    fn an_account_without_a_person_gets_events_and_the_ideas_it_captured() {
        let records = records();
        let entries = feed(&records, id(ME), None);
        let kinds: Vec<EntryKind> = entries.iter().map(|e| e.what).collect();
        assert_eq!(kinds, [EntryKind::Event, EntryKind::FollowUp, EntryKind::Event]);
        let someone_else = feed(&records, id(501), Some(id(999)));
        assert!(someone_else.iter().all(|e| e.what == EntryKind::Event), "{someone_else:?}");
    }

    #[test]
    fn texts_lose_control_characters_and_stray_line_breaks() {
        for (input, one_line, expected) in [
            ("Möte, Flen; kväll", true, "Möte, Flen; kväll"),
            ("rad ett\r\nrad två\rrad tre\n", false, "rad ett\nrad två\nrad tre"),
            ("rad ett\r\nrad två", true, "rad ett rad två"),
            ("  tab\there \u{7}bell  ", true, "tab here bell"),
            ("slut \n ny", false, "slut\nny"),
            ("", true, ""),
        ] {
            assert_eq!(clean_text(input, one_line), expected, "{input:?}");
        }
        let records = vec![record(
            Kind::Event,
            1,
            json!({"type": "other", "title": "Fika,\r\nsemikolon; och mer", "date": "2026-12-03"}),
        )];
        assert_eq!(feed(&records, id(ME), None)[0].summary, "Fika, semikolon; och mer");
    }

    #[test]
    fn long_descriptions_are_cut() {
        let long = "ord ".repeat(200);
        let cut = short(&long, DESCRIPTION_MAX_CHARS);
        assert_eq!(cut.chars().count(), DESCRIPTION_MAX_CHARS, "{cut}");
        assert!(cut.ends_with('…'));
        assert_eq!(short("kort", DESCRIPTION_MAX_CHARS), "kort");
        let exact = "å".repeat(DESCRIPTION_MAX_CHARS);
        assert_eq!(short(&exact, DESCRIPTION_MAX_CHARS), exact, "exactly the limit is kept whole");
    }
}
