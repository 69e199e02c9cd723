//! Dates and times the Swedish way: ISO dates (2026-03-05) and 24-hour times.

use wasm_bindgen::JsValue;

use crate::i18n::Locale;

/// A moment (ms since the epoch) in local time: "14:05" today, "2026-11-26 14:05" otherwise.
pub fn local_time(ms: f64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    let today = js_sys::Date::new_0();
    let time = format!("{:02}:{:02}", d.get_hours(), d.get_minutes());
    let same_day = d.get_full_year() == today.get_full_year()
        && d.get_month() == today.get_month()
        && d.get_date() == today.get_date();
    if same_day {
        time
    } else {
        format!("{:04}-{:02}-{:02} {time}", d.get_full_year(), d.get_month() + 1, d.get_date())
    }
}

/// Today's date on this device's clock and time zone (the day users plan in).
pub fn today() -> tavla_shared::date::Date {
    let d = js_sys::Date::new_0();
    tavla_shared::date::Date::from_ymd(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .unwrap_or(tavla_shared::date::Date::MIN)
}

/// An amount in whole kronor grouped by thousands with no-break spaces: "1 250 000 kr".
/// Written here because the browser's `Intl.NumberFormat` groups differently per locale and
/// Swedish grouping is wanted in both languages.
pub fn sek(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    let sign = if amount < 0 { "−" } else { "" };
    format!("{sign}{out}\u{a0}kr")
}

/// A change of an amount with its sign: "+20 000 000 kr", "−5 000 kr".
pub fn signed_sek(amount: i64) -> String {
    if amount > 0 {
        format!("+{}", sek(amount))
    } else {
        sek(amount)
    }
}

/// A per-mille share as a percentage with one decimal, the decimal mark of the language:
/// 452 → "45,2 %" in Swedish, "45.2 %" in English.
pub fn percent(per_mille: i64, locale: Locale) -> String {
    let mark = match locale {
        Locale::sv => ',',
        Locale::en => '.',
    };
    format!("{}{mark}{}\u{a0}%", per_mille / 10, per_mille % 10)
}

/// The months, short, in `locale` (January first): matrix columns and day labels.
pub fn month_names(locale: Locale) -> [&'static str; 12] {
    if locale == Locale::en {
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    } else {
        ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    }
}

/// A day as a calendar heads it: "mån 30 nov" / "Mon 30 Nov".
pub fn day_label(locale: Locale, date: tavla_shared::date::Date) -> String {
    use chrono::Datelike;
    let days = if locale == Locale::en {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    } else {
        ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
    };
    let d = date.0;
    format!(
        "{} {} {}",
        days[d.weekday().num_days_from_monday() as usize],
        d.day(),
        month_names(locale)[d.month0() as usize]
    )
}

/// A week's days as a span: "23–29 nov" / "28 dec–3 jan".
pub fn week_span(locale: Locale, week: tavla_shared::weeks::IsoWeek) -> String {
    use chrono::Datelike;
    let (a, b) = (week.monday().0, week.sunday().0);
    let m = month_names(locale);
    if a.month() == b.month() {
        format!("{}–{} {}", a.day(), b.day(), m[b.month0() as usize])
    } else {
        format!("{} {}–{} {}", a.day(), m[a.month0() as usize], b.day(), m[b.month0() as usize])
    }
}
