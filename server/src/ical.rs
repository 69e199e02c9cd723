//! The calendar feed as iCalendar text (RFC 5545): the entries `tavla_shared::ical::feed` picks,
//! each an all-day VEVENT, written by the `icalendar` crate, which escapes commas, semicolons,
//! backslashes and line breaks, folds long lines and ends every line with CRLF.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};
use tavla_shared::ical::{FeedEntry, CALENDAR_NAME};

/// How often a calendar app should fetch the feed again (`REFRESH-INTERVAL`): often enough
/// that a moved workshop shows the same day, rarely enough that phones do not hammer the server.
const REFRESH: chrono::TimeDelta = chrono::TimeDelta::hours(2);

/// The feed of `entries` as an iCalendar file, stamped `now` (`DTSTAMP`: when this copy was
/// made). With `origin` (`https://tavla.example`), each entry links back to its page in the app.
pub fn write(entries: &[FeedEntry], now: DateTime<Utc>, origin: Option<&str>) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//Tavla//Kalender//SV"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    calendar.name(CALENDAR_NAME).ttl(&REFRESH);
    for entry in entries {
        let day = entry.date.0;
        let mut event = Event::new();
        event
            .uid(&entry.uid)
            .timestamp(now)
            .starts(day)
            // The end of an all-day entry is the next day: DTEND is exclusive.
            .ends(day.succ_opt().unwrap_or(day))
            .summary(&entry.summary)
            .description(&entry.description);
        if let Some(place) = &entry.location {
            event.location(place);
        }
        if let Some(origin) = origin {
            event.url(&format!("{origin}{}", entry.path));
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tavla_shared::date::Date;
    use tavla_shared::ical::EntryKind;
    use uuid::Uuid;

    fn entry(summary: &str, description: &str) -> FeedEntry {
        FeedEntry {
            uid: "00000000-0000-0000-0000-000000000001-event@tavla".into(),
            what: EntryKind::Event,
            record_id: Uuid::from_u128(1),
            date: Date::parse("2026-12-31").unwrap(),
            summary: summary.into(),
            description: description.into(),
            location: Some("Flen".into()),
            path: "/handelser/00000000-0000-0000-0000-000000000001".into(),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_796_083_200, 0).unwrap()
    }

    #[test]
    fn an_all_day_entry_with_escaped_text_crlf_lines_and_a_link() {
        let text =
            write(&[entry("Fika, prat; mer", "rad ett\nrad två\\")], now(), Some("https://tavla.example"));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{text}");
        assert!(!text.replace("\r\n", "").contains('\n'), "every line ends with CRLF: {text:?}");
        for line in [
            "VERSION:2.0",
            "PRODID:-//Tavla//Kalender//SV",
            "X-WR-CALNAME:Tavla",
            "BEGIN:VEVENT",
            "UID:00000000-0000-0000-0000-000000000001-event@tavla",
            "DTSTAMP:20261201T000000Z",
            "DTSTART;VALUE=DATE:20261231",
            "DTEND;VALUE=DATE:20270101",
            r"SUMMARY:Fika\, prat\; mer",
            r"DESCRIPTION:rad ett\nrad två\\",
            "LOCATION:Flen",
            "URL:https://tavla.example/handelser/00000000-0000-0000-0000-000000000001",
            "END:VEVENT",
        ] {
            assert!(text.lines().any(|l| l.trim_end_matches('\r') == line), "{line} in {text}");
        }
    }

    #[test]
    fn long_lines_are_folded_and_no_origin_means_no_link() {
        let title =
            "Nätverksträff för föreningar på landsbygden i Sörmland, med fika och workshop om beredskap";
        let text = write(&[entry(title, "kort")], now(), None);
        assert!(!text.contains("URL:"), "{text}");
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "at most 75 octets a line: {line:?}");
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}", title.replace(',', r"\,"))), "{unfolded}");
    }

    #[test]
    fn an_empty_feed_is_still_a_calendar() {
        let text = write(&[], now(), None);
        assert!(text.contains("X-WR-CALNAME:Tavla\r\n") && !text.contains("BEGIN:VEVENT"), "{text}");
    }
}
