//! One strategic goal and its prioritised activities, in plan order.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use tavla_shared::plan_view::PlanView;

use crate::app::paths;
use crate::components::badges::{HealthBadge, StatusBadge};
use crate::components::plan_loader::WithPlan;
use crate::i18n::*;

/// `/mal/:number`.
#[component]
pub fn GoalPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number").and_then(|n| n.parse::<i64>().ok()));
    view! {
        <WithPlan children=move |plan: PlanView| {
            let number = number();
            view! { <Goal plan number /> }
        } />
    }
}

#[component]
fn Goal(plan: PlanView, number: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let back = view! { <p class="back"><A href=paths::OVERVIEW>"← " {t!(i18n, back_to_overview)}</A></p> };
    let Some(goal) = number.and_then(|n| plan.goal(n)).cloned() else {
        return view! { {back} <h1>{t!(i18n, goal_not_found)}</h1> }.into_any();
    };
    let g = goal.goal.fields;
    let n = g.number;
    view! {
        {back}
        <p class="goal-number">{t!(i18n, goal_number, number = n)}</p>
        <h1>{g.title}</h1>
        <div class="goal-meta">
            <span class="label">{t!(i18n, health)}": "</span>
            <HealthBadge health=g.health />
        </div>
        {g.description.map(|d| view! { <p>{d}</p> })}
        {g.health_note.map(|d| view! { <p class="muted">{d}</p> })}
        <section aria-labelledby="activities-heading">
            <h2 id="activities-heading">{t!(i18n, activities_heading)}</h2>
            {if goal.activities.is_empty() {
                view! { <p>{t!(i18n, no_activities)}</p> }.into_any()
            } else {
                view! {
                    <ol class="activity-list">
                        {goal.activities.into_iter().map(|a| {
                            let due = a.fields.due_on.map(|d| d.to_string());
                            view! {
                                <li class="card activity">
                                    <p class="activity-title">{a.fields.title}</p>
                                    <div class="activity-meta">
                                        <StatusBadge status=a.fields.status />
                                        {due.map(|date| view! { <span>{t!(i18n, due_on, date = date.clone())}</span> })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
