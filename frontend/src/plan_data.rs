//! Loading the plan's records for the pages. For now a full pull after login; the sync issue
//! replaces this with the local store and its outbox.

use leptos::prelude::*;
use tavla_shared::plan_view::PlanView;

use crate::api::{self, ApiError};
use crate::session::{client_id, use_session};

/// The plan as loaded from the server, shared by the overview and the goal pages.
pub type PlanResource = LocalResource<Result<PlanView, ApiError>>;

/// Starts loading the plan for the logged-in user; reloads when the session changes.
pub fn load_plan() -> PlanResource {
    let session = use_session();
    LocalResource::new(move || {
        let token = session.0.get().map(|s| s.token);
        async move {
            let token = token.ok_or_else(|| ApiError::Unauthorized(String::new()))?;
            let records = api::pull_all(&token, client_id()).await?;
            Ok(PlanView::from_records(&records))
        }
    })
}
