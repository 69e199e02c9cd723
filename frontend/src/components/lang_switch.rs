//! The Swedish/English switch.

use leptos::prelude::*;

use crate::components::tr;
use crate::i18n::*;

/// A button that switches between Swedish and English; the choice is remembered.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        let next = match i18n.get_locale() {
            Locale::sv => Locale::en,
            Locale::en => Locale::sv,
        };
        i18n.set_locale(next);
    };
    view! {
        // The visible word is the name (voice control users say what they see), in the language
        // it names, so a screen reader pronounces "English" as English.
        <button type="button" class="link-button lang" on:click=toggle
            lang=move || match i18n.get_locale() { Locale::sv => "en", Locale::en => "sv" }>
            {tr(i18n, |i| t_string!(i, language_switch))}
        </button>
    }
}
