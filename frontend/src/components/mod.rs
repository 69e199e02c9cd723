//! Pieces shared by several pages.

pub mod badges;
pub mod feedback;
pub mod format;
pub mod header;
pub mod lang_switch;
pub mod plan_loader;
pub mod record_log;
pub mod status_bar;
pub mod targets;

use leptos::prelude::*;

use crate::i18n::Locale;
use leptos_i18n::I18nContext;

/// A translated text that follows the language switch. Every key shares this one concrete type
/// (a function pointer inside one closure), where leptos_i18n's `t!` makes a new closure type,
/// and so new rendering code, for each key: about 150 keys cost ~?? KB of the download.
pub fn tr(i18n: I18nContext<Locale>, key: fn(I18nContext<Locale>) -> &'static str) -> impl IntoView + Clone {
    move || key(i18n)
}
