//! On an iPhone or iPad in Safari (not opened from the home screen): an invitation to add Tavla
//! to the home screen. Safari may clear a website's storage after seven days without a visit,
//! and waiting edits would go with it; an app on the home screen keeps its storage. Written by
//! hand: it is a user-agent check and a remembered "no thanks", nothing a library adds to.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use crate::components::tr;
use crate::i18n::*;

const DISMISSED_KEY: &str = "tavla.install-hint";

/// True on iOS and iPadOS (iPads report a Mac with a touch screen) when not opened from the
/// home screen.
fn ios_in_the_browser() -> bool {
    let Some(window) = web_sys::window() else { return false };
    let navigator = window.navigator();
    let agent = navigator.user_agent().unwrap_or_default();
    let ios = ["iPhone", "iPad", "iPod"].iter().any(|d| agent.contains(d))
        || (agent.contains("Macintosh") && navigator.max_touch_points() > 1);
    let standalone = js_sys::Reflect::get(&navigator, &"standalone".into()).ok().and_then(|v| v.as_bool())
        == Some(true)
        || window.match_media("(display-mode: standalone)").ok().flatten().is_some_and(|m| m.matches());
    ios && !standalone
}

/// The invitation, until the person closes it.
#[component]
pub fn InstallHint() -> impl IntoView {
    let i18n = use_i18n();
    let dismissed = LocalStorage::get::<bool>(DISMISSED_KEY).unwrap_or(false);
    let shown = RwSignal::new(!dismissed && ios_in_the_browser());
    let close = move |_| {
        let _ = LocalStorage::set(DISMISSED_KEY, true);
        shown.set(false);
    };
    view! {
        <Show when=move || shown.get()>
            <aside class="card install-hint" aria-labelledby="install-hint-heading">
                <h2 id="install-hint-heading">{tr(i18n, |i| t_string!(i, install_heading))}</h2>
                <p>{tr(i18n, |i| t_string!(i, install_text))}</p>
                <button type="button" on:click=close>{tr(i18n, |i| t_string!(i, install_close))}</button>
            </aside>
        </Show>
    }
}
