//! The frame of every logged-in page: header, sync status, and the page itself. Without a session
//! it sends the user to the login page; the local copy and its outbox stay in IndexedDB.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

use crate::app::paths;
use crate::components::header::Header;
use crate::components::status_bar::StatusBar;
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
        if previous.is_some_and(|p| p != now) {
            focus_heading(10);
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
            <main id="main" class="page" tabindex="-1">
                <Outlet />
            </main>
        }
        .into_any(),
    }
}

/// Focuses the page's first heading (made focusable for it), or the page itself when it has
/// none yet; a page still loading gets `tries` more frames to draw its heading.
fn focus_heading(tries: u32) {
    request_animation_frame(move || {
        let heading = document().query_selector("main h1").ok().flatten();
        if heading.is_none() && tries > 0 {
            return focus_heading(tries - 1);
        }
        let Some(target) = heading.or_else(|| document().get_element_by_id("main")) else { return };
        if !target.has_attribute("tabindex") {
            let _ = target.set_attribute("tabindex", "-1");
        }
        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(target).focus();
    });
}
