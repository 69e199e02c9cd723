//! Tavla's single-page app: Leptos, rendered in the browser, built with Trunk.
//!
//! Code map: `app` (routes and the providers), `i18n` (generated from `locales/*.json` by
//! leptos_i18n: every user-facing string goes through it), `api` (the HTTP client and its error
//! enum), `session` (who is logged in, kept across reloads), `plan_data` (loading the plan's
//! records), `pages/` (one module per screen), `components/` (pieces shared by pages).

mod api;
mod app;
mod components;
mod pages;
mod plan_data;
mod session;

// The macro form reads `[package.metadata.leptos-i18n]` in Cargo.toml. Its replacement, a build.rs
// with leptos_i18n_build, pulls in ICU's data-export crates: minutes more per clean build on our
// 2-core machines for nothing we use yet. Revisit when plurals or number formats are needed.
#[allow(deprecated)]
mod i18n_gen {
    leptos_i18n::load_locales!();
}
use i18n_gen::i18n;

/// The cookie leptos_i18n keeps the chosen language in.
const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// Swedish first: leptos_i18n falls back to the browser's languages when no choice is stored, so
/// an English browser would open in English. Store Swedish as the choice until the user switches.
fn default_to_swedish() {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(doc) = doc.dyn_into::<web_sys::HtmlDocument>() else {
        return;
    };
    let has_choice = doc.cookie().is_ok_and(|c| {
        c.split(';')
            .any(|kv| kv.trim_start().starts_with(LOCALE_COOKIE))
    });
    if !has_choice {
        let _ = doc.set_cookie(&format!(
            "{LOCALE_COOKIE}=sv; path=/; max-age=31536000; SameSite=Lax"
        ));
    }
}

fn main() {
    console_error_panic_hook::set_once();
    default_to_swedish();
    leptos::mount::mount_to_body(app::App);
}
