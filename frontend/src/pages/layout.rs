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
