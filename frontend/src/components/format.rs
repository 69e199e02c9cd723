//! Dates and times the Swedish way: ISO dates (2026-03-05) and 24-hour times.

use wasm_bindgen::JsValue;

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
