//! `/delning/:secret`: a read-only share link, opened without an account. It shows the overview
//! or the follow-up drawn by the same components as for a logged-in user, over a read-only
//! engine holding what the link may show (`SyncEngine::snapshot`, with nobody logged in under
//! it), so nothing on the page can write and no edit control is offered.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use tavla_shared::wire::{ShareTarget, SharedView};

use crate::api::ApiError;
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::pages::overview::OverviewPage;
use crate::pages::report::ReportPage;
use crate::session::SessionState;
use crate::store::sync::SyncEngine;

/// The page a share link opens.
#[component]
pub fn SharedPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let secret = params.with_untracked(|p| p.get("secret").unwrap_or_default());
    let answer: RwSignal<Option<Result<SharedView, ApiError>>> = RwSignal::new(None);
    spawn_local(async move { answer.set(Some(crate::api::shared_view(&secret).await)) });
    view! {
        <main id="main" class="page shared-page" tabindex="-1">
            {move || match answer.get() {
                None => view! { <p class="loading" role="status">{tr(i18n, |i| t_string!(i, loading))}</p> }.into_any(),
                Some(Err(ApiError::Server { status: 404, .. })) => view! {
                    <h1>{tr(i18n, |i| t_string!(i, shared_gone_heading))}</h1>
                    <p>{tr(i18n, |i| t_string!(i, shared_gone))}</p>
                }.into_any(),
                Some(Err(e)) => view! {
                    <h1>{tr(i18n, |i| t_string!(i, shared_gone_heading))}</h1>
                    <p role="alert">{trf(i18n, |i| t_string!(i, shared_failed), vec![("error", e.to_string())])}</p>
                }.into_any(),
                Some(Ok(shared)) => view! { <SharedContent shared /> }.into_any(),
            }}
        </main>
    }
}

/// The shared view itself, under its own read-only engine and an empty session.
#[component]
fn SharedContent(shared: SharedView) -> impl IntoView {
    let i18n = use_i18n();
    provide_context(SessionState(RwSignal::new(None)));
    SyncEngine::snapshot(shared.records);
    let name = shared.name;
    view! {
        <p class="card shared-banner" role="note">
            {trf(i18n, |i| t_string!(i, shared_banner), vec![("name", name)])}
        </p>
        {match shared.target {
            ShareTarget::Overview => view! { <OverviewPage /> }.into_any(),
            ShareTarget::Report => view! { <ReportPage /> }.into_any(),
        }}
    }
}
