//! The frame of every logged-in page: header, sync status, and the page itself. Without a session
//! it sends the user to the login page; the local copy and its outbox stay in IndexedDB.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

use crate::app::paths;
use crate::components::header::Header;
use crate::components::status_bar::StatusBar;
use crate::session::use_session;

/// Wraps the pages that need a login.
#[component]
pub fn AuthedLayout() -> impl IntoView {
    let session = use_session();
    move || match session.0.with(Option::is_some) {
        false => view! { <Redirect path=paths::LOGIN /> }.into_any(),
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
