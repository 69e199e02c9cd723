//! The frame of every logged-in page: header, the plan data as context, and the page itself.
//! Without a session it sends the user to the login page.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

use crate::api::ApiError;
use crate::app::paths;
use crate::components::header::Header;
use crate::plan_data::load_plan;
use crate::session::use_session;

/// Wraps the pages that need a login.
#[component]
pub fn AuthedLayout() -> impl IntoView {
    let session = use_session();
    let plan = load_plan();
    provide_context(plan);
    // A token the server no longer accepts ends the session; the user logs in again.
    Effect::new(move |_| {
        if let Some(Err(ApiError::Unauthorized(_))) = plan.get() {
            session.clear();
        }
    });
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
