//! ISO weeks (Monday first, week 1 holds the year's first Thursday), as Swedish calendars count
//! them and as `marketing_item.week` stores them (`2026-W14`). A thin layer over chrono's ISO
//! calendar: the text form, stepping, and the days a week spans.

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::date::Date;

/// One ISO week of an ISO year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    /// The ISO year (the year of the week's Thursday; not always the calendar year).
    pub year: i32,
    pub week: u32,
}

impl IsoWeek {
    /// The week `date` falls in.
    pub fn of(date: Date) -> IsoWeek {
        let w = date.0.iso_week();
        IsoWeek { year: w.year(), week: w.week() }
    }

    /// Reads `2026-W14`; None for anything else or a week the year does not have.
    pub fn parse(s: &str) -> Option<IsoWeek> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 8 || &b[4..6] != b"-W" || !digits(0..4) || !digits(6..8) {
            return None;
        }
        let (year, week) = (s[..4].parse::<i32>().ok()?, s[6..].parse::<u32>().ok()?);
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).map(|_| IsoWeek { year, week })
    }

    /// The week's Monday.
    pub fn monday(self) -> Date {
        Date(self.day(Weekday::Mon))
    }

    /// The week's Sunday.
    pub fn sunday(self) -> Date {
        Date(self.day(Weekday::Sun))
    }

    /// The week's Thursday: its month is the week's month (as its year is the week's year).
    pub fn thursday(self) -> Date {
        Date(self.day(Weekday::Thu))
    }

    fn day(self, d: Weekday) -> NaiveDate {
        // Only the weeks holding chrono's first and last days lack some of their days (far
        // beyond any date a record can hold): those days are clamped to the calendar's ends.
        let end = if self.year > 0 { NaiveDate::MAX } else { NaiveDate::MIN };
        NaiveDate::from_isoywd_opt(self.year, self.week, d).unwrap_or(end)
    }

    /// The seven days, Monday first. (At the very end of chrono's calendar, far beyond any
    /// date a record can hold, the days stop at its last day rather than panic.)
    pub fn days(self) -> [Date; 7] {
        let monday = self.monday().0;
        std::array::from_fn(|i| {
            Date(monday.checked_add_days(chrono::Days::new(i as u64)).unwrap_or(NaiveDate::MAX))
        })
    }

    /// The week after (the same week at the end of chrono's calendar).
    pub fn next(self) -> IsoWeek {
        self.sunday().0.succ_opt().map_or(self, |d| IsoWeek::of(Date(d)))
    }

    /// The week before (the same week at the start of chrono's calendar).
    pub fn previous(self) -> IsoWeek {
        self.monday().0.pred_opt().map_or(self, |d| IsoWeek::of(Date(d)))
    }

    /// True when `date` is in this week.
    pub fn contains(self, date: Date) -> bool {
        IsoWeek::of(date) == self
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

/// How many ISO weeks `year` has (52 or 53).
pub fn weeks_in(year: i32) -> u32 {
    if NaiveDate::from_isoywd_opt(year, 53, Weekday::Mon).is_some() {
        53
    } else {
        52
    }
}

/// The weeks that have a day in month `month` (1–12) of `year`, in order: the rows of a month
/// view.
pub fn weeks_of_month(year: i32, month: u32) -> Vec<IsoWeek> {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else { return Vec::new() };
    let mut out = vec![IsoWeek::of(Date(first))];
    let mut day = first;
    while let Some(next) = day.succ_opt().filter(|d| d.month() == month) {
        let w = IsoWeek::of(Date(next));
        if out.last() != Some(&w) {
            out.push(w);
        }
        day = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn weeks_across_the_turn_of_the_year() {
        // 2026 has 53 weeks: its last runs from 28 December 2026 to 3 January 2027.
        assert_eq!(weeks_in(2026), 53);
        assert_eq!(weeks_in(2025), 52);
        let w53 = IsoWeek::parse("2026-W53").unwrap();
        assert_eq!((w53.monday(), w53.sunday()), (day("2026-12-28"), day("2027-01-03")));
        assert_eq!(IsoWeek::of(day("2027-01-03")), w53);
        assert_eq!(w53.next().to_string(), "2027-W01");
        assert_eq!(w53.next().monday(), day("2027-01-04"));
        // 29 December 2025 is already in 2026's first week.
        assert_eq!(IsoWeek::of(day("2025-12-29")).to_string(), "2026-W01");
        assert_eq!(IsoWeek::parse("2026-W01").unwrap().previous().to_string(), "2025-W52");
        assert_eq!(IsoWeek::parse("2025-W53"), None, "2025 has no week 53");
        assert_eq!(IsoWeek::parse("2026-W1"), None);
        assert_eq!(IsoWeek::parse("+026-W14"), None, "four digits, as the protocol writes it");
        assert_eq!(IsoWeek::parse("2026-w14"), None);
        // chrono's first and last days: no panic, the ends hold.
        let first = IsoWeek::of(Date(NaiveDate::MIN));
        assert_eq!(first.previous(), first);
        let last = IsoWeek::of(Date(NaiveDate::MAX));
        assert_eq!(last.next(), last);
        assert_eq!(last.days()[6], Date(NaiveDate::MAX));
        assert_eq!(w53.thursday(), day("2026-12-31"), "so the week belongs to December 2026");
        let days: Vec<String> = w53.days().iter().map(ToString::to_string).collect();
        assert_eq!(days.first().map(String::as_str), Some("2026-12-28"));
        assert_eq!(days.last().map(String::as_str), Some("2027-01-03"));
    }

    #[test]
    fn a_months_rows_are_the_weeks_with_a_day_in_it() {
        let dec: Vec<String> = weeks_of_month(2026, 12).iter().map(ToString::to_string).collect();
        assert_eq!(dec, ["2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53"]);
        let jan: Vec<String> = weeks_of_month(2027, 1).iter().map(ToString::to_string).collect();
        assert_eq!(jan.first().map(String::as_str), Some("2026-W53"));
        assert_eq!(jan.len(), 5);
        assert!(weeks_of_month(2026, 13).is_empty());
    }
}
