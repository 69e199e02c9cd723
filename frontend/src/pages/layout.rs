//! The frame of every logged-in page: header, sync status, and the page itself. Without a session
//! it sends the user to the login page; the local copy and its outbox stay in IndexedDB.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

use crate::components::header::Header;
use crate::components::install_hint::InstallHint;
use crate::components::status_bar::StatusBar;
use crate::paths;
use crate::session::{use_session, SessionState};

/// Wraps the pages that need a login.
#[component]
pub fn AuthedLayout() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    // After a move to another page, focus goes to its heading, so a screen reader starts
    // reading the new page (focus would otherwise stay on the link, and it would hear
    // nothing). Only when the path changes: a filter changing the query keeps focus where it is.
    let path = Memo::new(move |_| location.pathname.get());
    Effect::new(move |previous: Option<String>| {
        let now = path.get();
        // A link to a place in the page (`#medel`, `#konflikt-…`) puts the focus there.
        let place = location.hash.with_untracked(|h| h.trim_start_matches('#').to_string());
        if previous.is_some_and(|p| p != now) {
            focus_target(place, 10);
        }
        now
    });
    move || match session.0.with(Option::is_some) {
        // The page asked for comes back after the login (a shared link to a filtered board).
        false => {
            let search = location.search.get_untracked();
            let query = if search.is_empty() { String::new() } else { format!("?{search}") };
            let wanted = format!("{}{query}", location.pathname.get_untracked());
            let logged_out = SessionState::take_logged_out();
            let path = if logged_out || wanted == paths::OVERVIEW {
                paths::LOGIN.to_string()
            } else {
                format!("{}?{}={}", paths::LOGIN, paths::RETURN_TO, js_sys::encode_uri_component(&wanted))
            };
            view! { <Redirect path /> }.into_any()
        }
        true => view! {
            <Header />
            <StatusBar />
            <InstallHint />
            <main id="main" class="page" tabindex="-1">
                <Outlet />
            </main>
        }
        .into_any(),
    }
}

/// Focuses the element named by `place` (a link's `#…`), else the page's first heading (made
/// focusable for it), else the page itself; a page still loading gets `tries` more frames to
/// draw it. A place that already holds the focus (a form focusing its own field) keeps it.
fn focus_target(place: String, tries: u32) {
    request_animation_frame(move || {
        let wanted = if place.is_empty() {
            document().query_selector("main h1").ok().flatten()
        } else {
            document().get_element_by_id(&place)
        };
        if wanted.is_none() && tries > 0 {
            return focus_target(place, tries - 1);
        }
        let target = wanted.or_else(|| document().query_selector("main h1").ok().flatten());
        let Some(target) = target.or_else(|| document().get_element_by_id("main")) else { return };
        let active = document().active_element();
        if active.is_some_and(|a| target.contains(Some(&a)) && a != target) {
            return;
        }
        if !target.has_attribute("tabindex") {
            let _ = target.set_attribute("tabindex", "-1");
        }
        crate::components::focus_element(target);
    });
}
