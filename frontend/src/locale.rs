//! Swedish first, and the language a user picks is remembered in this browser.
//!
//! leptos_i18n starts from the browser's languages (so an English browser would open in English)
//! and can remember a choice only in a cookie, whose support adds about 37 KB gzip to the wasm
//! (the `cookie` and `time` crates). These few lines do both jobs with localStorage instead.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use crate::i18n::*;

const LOCALE_KEY: &str = "tavla.locale";

fn stored_locale() -> Locale {
    match LocalStorage::get::<String>(LOCALE_KEY).ok().as_deref() {
        Some("en") => Locale::en,
        _ => Locale::sv,
    }
}

/// Place first inside `I18nContextProvider`: sets the remembered language (Swedish when none)
/// and remembers every later switch, also setting `<html lang>` so screen readers pronounce the
/// text right. Renders nothing.
#[component]
pub fn RememberLocale() -> impl IntoView {
    let i18n = use_i18n();
    // Effects run in creation order, after the provider's own effect that applies the browser's
    // language, and before the browser paints: nobody sees the wrong language flash.
    Effect::new(move |_| i18n.set_locale(stored_locale()));
    // The plain login page of index.html switched the language while the app was starting.
    let _ = window_event_listener_untyped("tavla-boot-locale", move |_| i18n.set_locale(stored_locale()));
    Effect::new(move |_| {
        let locale = i18n.get_locale();
        let _ = LocalStorage::set(LOCALE_KEY, locale.as_str());
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", locale.as_str());
        }
    });
}
