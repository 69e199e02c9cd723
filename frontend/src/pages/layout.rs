//! The frame of every logged-in page: header, the plan data as context, and the page itself.
//! Without a session it sends the user to the login page.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

use crate::app::paths;
use crate::components::header::Header;
use crate::plan_data::load_plan;
use crate::session::use_session;

/// Wraps the pages that need a login.
#[component]
pub fn AuthedLayout() -> impl IntoView {
    let session = use_session();
    provide_context(load_plan());
    move || match session.0.get() {
        None => view! { <Redirect path=paths::LOGIN /> }.into_any(),
        Some(_) => view! {
            <Header />
            <main id="main" class="page" tabindex="-1">
                <Outlet />
            </main>
        }
        .into_any(),
    }
}
