//! Pieces shared by several pages.

pub mod badges;
pub mod check_list;
pub mod conflict_banner;
pub mod edit_form;
pub mod enum_select;
pub mod export;
pub mod feedback;
pub mod format;
pub mod funnel_panel;
pub mod header;
pub mod install_hint;
pub mod lang_switch;
pub mod marketing_chart;
pub mod move_dialog;
pub mod plan_loader;
pub mod receipt;
pub mod record_log;
pub mod record_page;
pub mod status_bar;
pub mod targets;
pub mod unsaved;

use leptos::prelude::*;

use crate::i18n::Locale;
use leptos_i18n::I18nContext;

/// A translated text that follows the language switch. Every key shares this one concrete type
/// (a function pointer inside one closure), where leptos_i18n's `t!` makes a new closure type,
/// and so new rendering code, for each key: about 150 keys cost ~?? KB of the download.
pub fn tr(i18n: I18nContext<Locale>, key: fn(I18nContext<Locale>) -> &'static str) -> impl IntoView + Clone {
    move || key(i18n)
}

/// A translated text with values put into its `{name}` slots ("{count} osynkade ändringar"),
/// following the language switch. One concrete type for every key, like [`tr`]; leptos_i18n's
/// interpolating `t!` makes a builder type and a view type per key.
pub fn trf(
    i18n: I18nContext<Locale>,
    key: fn(I18nContext<Locale>) -> &'static str,
    args: Vec<(&'static str, String)>,
) -> impl IntoView + Clone {
    move || fill(key(i18n), &args)
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The `<option>`s of a `<select>` bound to `current` (a record's id as text; "" for none).
pub fn options(items: Vec<(String, String)>, current: RwSignal<String>) -> impl IntoView {
    items
        .into_iter()
        .map(|(value, text)| {
            let v = value.clone();
            view! { <option value=value selected=move || current.get() == v>{text}</option> }
        })
        .collect_view()
}

/// `path` with `pairs` as its query (`?vy=lista&steg=applying`), or `path` alone without any.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    // Values are encoded: a search text may hold `&`, `#` or spaces.
    let query: Vec<String> =
        pairs.iter().map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(v)))).collect();
    format!("{path}?{}", query.join("&"))
}

/// Moves the keyboard focus to the element with this id, if it is on the page.
pub fn focus_id(id: &str) {
    if let Some(e) = document().get_element_by_id(id) {
        focus_element(e);
    }
}

/// Moves the keyboard focus to `e` (which also scrolls it into view).
pub fn focus_element(e: web_sys::Element) {
    let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(e).focus();
}

/// A translated text chosen by count: the one plural rule of both languages (Swedish and
/// English alike take the singular for exactly one: "1 osynkad ändring", "2 osynkade
/// ändringar"). `one` and `many` are the two keys; the count also fills `{count}` unless
/// `args` names it otherwise.
pub fn trn(
    i18n: I18nContext<Locale>,
    one: fn(I18nContext<Locale>) -> &'static str,
    many: fn(I18nContext<Locale>) -> &'static str,
    count: i64,
    mut args: Vec<(&'static str, String)>,
) -> impl IntoView + Clone {
    args.push(("count", count.to_string()));
    trf(i18n, if count == 1 { one } else { many }, args)
}
