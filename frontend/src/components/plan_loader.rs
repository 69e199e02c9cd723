//! Shows a page once the plan has loaded, with a loading state and errors in plain words.

use leptos::prelude::*;
use tavla_shared::plan_view::PlanView;

use crate::api::ApiError;
use crate::i18n::*;
use crate::plan_data::PlanResource;

/// Renders `children` with the loaded plan; errors in plain words with a retry. (A 401 ends the
/// session: see `AuthedLayout`.)
#[component]
pub fn WithPlan<V, F>(children: F) -> impl IntoView
where
    F: Fn(PlanView) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let plan = expect_context::<PlanResource>();
    let children = std::sync::Arc::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading)}</p> }>
            {move || {
                let children = children.clone();
                plan.get().map(move |result| match result {
                    Ok(view) => children(view).into_any(),
                    Err(ApiError::Unauthorized(_)) => {
                        view! { <p role="alert">{t!(i18n, error_session_expired)}</p> }.into_any()
                    }
                    Err(e) => {
                        let text = match e {
                            ApiError::Network(_) => t!(i18n, error_network).into_any(),
                            other => {
                                let message = other.to_string();
                                t!(i18n, error_server, message = move || message.clone()).into_any()
                            }
                        };
                        view! {
                            <div class="card error-box" role="alert">
                                <p>{text}</p>
                                <button type="button" on:click=move |_| plan.refetch()>{t!(i18n, retry)}</button>
                            </div>
                        }
                        .into_any()
                    }
                })
            }}
        </Suspense>
    }
}
