//! Calendar dates on the wire: `YYYY-MM-DD`, the Swedish standard format.
//!
//! A thin wrapper over `chrono::NaiveDate` whose serde code parses the ten characters itself:
//! chrono's general parser (`FromStr`) costs about 5 KB gzip in the browser's wasm, for a format
//! that never varies here.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A date without time or zone, e.g. an activity's due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl Date {
    /// The earliest date there is; a fallback that sorts before every real date.
    pub const MIN: Date = Date(NaiveDate::MIN);

    /// Parses exactly `YYYY-MM-DD`; `None` for anything else or a day that does not exist.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        NaiveDate::from_ymd_opt(y as i32, m, d).map(Date)
    }

    /// The date `y-m-d`, if it exists.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(y, m, d).map(Date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&s)
            .ok_or_else(|| de::Error::custom(format!("`{s}` is not a real date in the form YYYY-MM-DD")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_real_dates_in_iso_form() {
        for (text, ok) in [
            ("2026-03-05", true),
            ("2024-02-29", true),
            ("2026-02-29", false),
            ("2026-13-01", false),
            ("2026-3-5", false),
            ("05/03/2026", false),
            ("2026-03-05T10:00", false),
            ("+026-03-05", false),
        ] {
            assert_eq!(Date::parse(text).is_some(), ok, "{text}");
        }
    }

    #[test]
    fn round_trips_through_json() {
        let d = Date::from_ymd(2026, 3, 5).unwrap();
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, "\"2026-03-05\"");
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), d);
        assert_eq!(Date::from_ymd(987, 1, 2).unwrap().to_string(), "0987-01-02");
    }
}
