//! One strategic goal and its prioritised activities, in plan order; staff add new ones here.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::json;
use tavla_shared::kinds::{Activity, KindFields};
use tavla_shared::plan_view::{Item, PlanView};
use tavla_shared::rules::may_edit;
use tavla_shared::values::ActivityStatus;
use tavla_shared::wire::MutationOp;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::app::paths;
use crate::components::badges::{HealthBadge, StatusBadge};
use crate::components::plan_loader::WithPlan;
use crate::i18n::*;
use crate::session::{random_uuid, use_session};
use crate::store::sync::use_sync;

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
    let sync = use_sync();
    let back = view! { <p class="back"><A href=paths::OVERVIEW>"← " {t!(i18n, back_to_overview)}</A></p> };
    let Some(goal) = number.and_then(|n| plan.goal(n)).cloned() else {
        return view! { {back} <h1>{t!(i18n, goal_not_found)}</h1> }.into_any();
    };
    let goal_id = goal.goal.id;
    let g = goal.goal.fields;
    let n = g.number;
    let pending = sync.pending_ids();
    let next_position = goal.activities.iter().map(|a| a.fields.position).max().unwrap_or(0) + 1;
    // Deleted activities stay listed here, so they can be opened and restored.
    let deleted: Vec<Item<Activity>> = sync.view.with_untracked(|v| {
        v.values()
            .filter(|r| r.deleted)
            .filter_map(|r| Activity::from_record(r).map(|a| Item { id: r.id, fields: a }))
            .filter(|a| a.fields.strategic_goal_id == goal_id)
            .collect()
    });
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
                            let is_pending = pending.contains(&a.id);
                            view! {
                                <li class="card activity">
                                    <A href=paths::activity(a.id) attr:class="activity-title">{a.fields.title}</A>
                                    <div class="activity-meta">
                                        <StatusBadge status=a.fields.status />
                                        {due.map(|date| view! { <span>{t!(i18n, due_on, date = date.clone())}</span> })}
                                        {is_pending.then(|| view! { <span class="badge pending-badge">{t!(i18n, not_synced_badge)}</span> })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <NewActivity goal_id next_position />
        {(!deleted.is_empty()).then(|| view! {
            <section aria-labelledby="deleted-heading">
                <h2 id="deleted-heading">{t!(i18n, deleted_activities)}</h2>
                <ul>
                    {deleted.into_iter().map(|a| view! {
                        <li><A href=paths::activity(a.id)>{a.fields.title}</A></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
    .into_any()
}

/// Adds an activity at the end of the goal's list (for the roles that may).
#[component]
fn NewActivity(goal_id: Uuid, next_position: i64) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let allowed =
        session.0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::Activity)));
    let title = RwSignal::new(String::new());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = title.get_untracked().trim().to_string();
        if text.is_empty() {
            return;
        }
        let fields = json!({ "strategic_goal_id": goal_id, "title": text, "status": ActivityStatus::NotStarted,
            "position": next_position });
        let fields = fields.as_object().cloned().unwrap_or_default();
        spawn_local(async move {
            if sync.edit(Kind::Activity, random_uuid(), MutationOp::Put { base_rev: 0, fields }).await.is_ok()
            {
                title.set(String::new());
            }
        });
    };
    allowed.then(|| {
        view! {
            <form class="card form new-activity" on:submit=on_submit>
                <h2>{t!(i18n, new_activity)}</h2>
                <label for="new-activity-title">{t!(i18n, new_activity_title)}</label>
                <input id="new-activity-title" type="text" required maxlength="300"
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{t!(i18n, add)}</button>
            </form>
        }
    })
}
