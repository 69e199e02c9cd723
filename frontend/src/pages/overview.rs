//! The overview: the adopted plan at a glance — vision, long-term goals, focus areas, principles,
//! and the six strategic goals, each opening to its activities.

use leptos::prelude::*;
use leptos_router::components::A;
use tavla_shared::plan_view::{GoalView, PlanView};

use crate::app::paths;
use crate::components::badges::HealthBadge;
use crate::components::plan_loader::WithPlan;
use crate::i18n::*;

/// The start page after login.
#[component]
pub fn OverviewPage() -> impl IntoView {
    view! { <WithPlan children=|plan: PlanView| view! { <Overview plan /> } /> }
}

#[component]
fn Overview(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let Some(p) = plan.plan.map(|p| p.fields) else {
        return view! { <p>{t!(i18n, no_plan)}</p> }.into_any();
    };
    let year = p.year;
    let adopted = p.adopted_on.to_string();
    let (start, end) = (p.period_start_year, p.period_end_year);
    view! {
        <h1>{p.title}</h1>
        <p class="meta">{t!(i18n, adopted_on, date = adopted.clone())}</p>

        <section aria-labelledby="goals-heading">
            <h2 id="goals-heading">{t!(i18n, strategic_goals, year = year)}</h2>
            <ol class="goal-grid" role="list">
                {plan.goals.into_iter().map(|g| view! { <GoalCard goal=g /> }).collect_view()}
            </ol>
        </section>

        <section class="card" aria-labelledby="vision-heading">
            <h2 id="vision-heading">{t!(i18n, vision)}</h2>
            <p class="vision">{p.vision}</p>
        </section>

        <div class="two-col">
            <section class="card" aria-labelledby="ltg-heading">
                <h2 id="ltg-heading">{t!(i18n, long_term_goals, start = start, end = end)}</h2>
                <ol>
                    {plan.long_term_goals.into_iter().map(|g| view! { <li>{g.fields.title}</li> }).collect_view()}
                </ol>
            </section>
            <section class="card" aria-labelledby="fa-heading">
                <h2 id="fa-heading">{t!(i18n, focus_areas)}</h2>
                <ol>
                    {plan.focus_areas.into_iter().map(|f| view! { <li>{f.fields.title}</li> }).collect_view()}
                </ol>
                {p.strategy.map(|s| view! { <p class="muted">{s}</p> })}
            </section>
        </div>

        <section class="card" aria-labelledby="principles-heading">
            <h2 id="principles-heading">{t!(i18n, principles)}</h2>
            {p.principles.into_iter().map(|text| view! { <p>{text}</p> }).collect_view()}
        </section>
    }
    .into_any()
}

/// One strategic goal as a card linking to its page.
#[component]
fn GoalCard(goal: GoalView) -> impl IntoView {
    let i18n = use_i18n();
    let number = goal.goal.fields.number;
    let count = goal.activities.len();
    view! {
        <li class="card goal-card">
            <A href=paths::goal(number) attr:class="goal-link">
                <span class="goal-number">{t!(i18n, goal_number, number = number)}</span>
                <span class="goal-title">{goal.goal.fields.title}</span>
            </A>
            <div class="goal-meta">
                <HealthBadge health=goal.goal.fields.health />
                <span>{t!(i18n, activity_count, count = count)}</span>
            </div>
        </li>
    }
}
