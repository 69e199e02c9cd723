//! One strategic goal and its prioritised activities, in plan order; staff add new ones here.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use serde_json::{json, Map, Value};
use tavla_shared::board::{programme_funds, Progress, WorkshopTally};
use tavla_shared::kinds::{Activity, KindFields, StrategicGoal};
use tavla_shared::plan_view::{names, Item, PlanView};
use tavla_shared::rules::may_edit;
use tavla_shared::values::{ActivityStatus, Health};
use tavla_shared::wire::MutationOp;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::app::paths;
use crate::components::badges::{health_label, HealthBadge, StatusBadge};
use crate::components::format::today;
use crate::components::plan_loader::with_plan;
use crate::components::targets::{FundsChange, FundsPanel, GoalProgress, WorkshopTracker};
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::session::{random_uuid, use_session};
use crate::store::sync::use_sync;

/// `/mal/:number`.
#[component]
pub fn GoalPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number").and_then(|n| n.parse::<i64>().ok()));
    let sync = use_sync();
    // The forms sit outside the part redrawn on every change, so a sync landing while someone
    // types does not wipe what they typed; they are made again only if the goal itself changes.
    let goal_id = Memo::new(move |_| {
        let n = number()?;
        sync.view.with(|v| {
            v.values()
                .filter(|r| r.kind == Kind::StrategicGoal && !r.deleted)
                .find(|r| StrategicGoal::from_record(r).is_some_and(|g| g.number == n))
                .map(|r| r.id)
        })
    });
    view! {
        {with_plan(move |plan: PlanView| {
            let number = number();
            view! { <Goal plan number /> }.into_any()
        })}
        {move || goal_id.get().map(|goal_id| view! { <GoalForms goal_id /> })}
    }
}

/// What staff change on a goal page: new activities, the funds (goal 1), the health light.
#[component]
fn GoalForms(goal_id: Uuid) -> impl IntoView {
    let sync = use_sync();
    let role = use_session().0.with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let staff = role.is_some_and(|r| may_edit(r, Kind::StrategicGoal));
    let goal = sync.view.with_untracked(|v| v.get(&goal_id).and_then(StrategicGoal::from_record));
    let funds = (goal.as_ref().is_some_and(|g| g.number == 1) && staff)
        .then(|| sync.view.with_untracked(|v| programme_funds(v.values())))
        .flatten();
    view! {
        <NewActivity goal_id />
        {funds.map(|f| view! { <section class="card"><FundsChange id=f.id /></section> })}
        {goal.map(|g| view! { <HealthForm goal_id health=g.health note=g.health_note.unwrap_or_default() owner=g.owner_person_id /> })}
    }
}

#[component]
fn Goal(plan: PlanView, number: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let back = view! { <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p> };
    let Some(goal) = number.and_then(|n| plan.goal(n)).cloned() else {
        return view! { {back} <h1>{tr(i18n, |i| t_string!(i, goal_not_found))}</h1> }.into_any();
    };
    let goal_id = goal.goal.id;
    let g = goal.goal.fields;
    let n = g.number;
    let pending = sync.pending_ids();
    let progress = Progress::of(&goal.activities);
    let role = use_session().0.with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let end_year = plan.plan.as_ref().map_or(2027, |p| p.fields.period_end_year);
    let year = plan.plan.as_ref().map_or(2026, |p| p.fields.year);
    // Goal 1 and goal 3 of the plan carry its two numeric targets.
    let targets = match n {
        1 => sync
            .view
            .with_untracked(|v| programme_funds(v.values()))
            .map(|funds| view! { <FundsPanel funds end_year /> }.into_any()),
        3 => {
            let tally = sync.view.with_untracked(|v| WorkshopTally::new(v.values(), year, today()));
            let can_add = role.is_some_and(|r| may_edit(r, Kind::Event));
            Some(view! { <WorkshopTracker tally can_add /> }.into_any())
        }
        _ => None,
    };
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
        <p class="goal-number">{trf(i18n, |i| t_string!(i, goal_number), vec![("number", n.to_string())])}</p>
        <h1>{g.title}</h1>
        <div class="goal-meta">
            <span class="label">{tr(i18n, |i| t_string!(i, health))}": "</span>
            <HealthBadge health=g.health />
            {g.health_note.clone().map(|d| view! { <span class="health-note">{d}</span> })}
        </div>
        {g.owner_person_id.and_then(|o| plan.name_of(o)).map(|name| {
            let name = name.to_string();
            view! { <p class="meta">{trf(i18n, |i| t_string!(i, goal_owned_by), vec![("name", name)])}</p> }
        })}
        {g.description.map(|d| view! { <p>{d}</p> })}
        <GoalProgress progress />
        {targets}
        <p><a href=format!("{}?mal={n}", paths::ACTIVITIES)>{trf(i18n, |i| t_string!(i, goal_activities_board), vec![("number", n.to_string())])}</a></p>
        <section aria-labelledby="activities-heading">
            <h2 id="activities-heading">{tr(i18n, |i| t_string!(i, activities_heading))}</h2>
            {if goal.activities.is_empty() {
                view! { <p>{tr(i18n, |i| t_string!(i, no_activities))}</p> }.into_any()
            } else {
                view! {
                    <ol class="activity-list">
                        {goal.activities.into_iter().map(|a| {
                            let due = a.fields.due_on.map(|d| d.to_string());
                            let is_pending = pending.contains(&a.id);
                            view! {
                                <li class="card activity">
                                    <a href=paths::activity(a.id) class="activity-title">{a.fields.title}</a>
                                    <div class="activity-meta">
                                        <StatusBadge status=a.fields.status />
                                        {due.map(|date| view! { <span>{trf(i18n, |i| t_string!(i, due_on), vec![("date", date.clone().to_string())])}</span> })}
                                        {is_pending.then(|| view! { <span class="badge pending-badge">{tr(i18n, |i| t_string!(i, not_synced_badge))}</span> })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        {(!deleted.is_empty()).then(|| view! {
            <section aria-labelledby="deleted-heading">
                <h2 id="deleted-heading">{tr(i18n, |i| t_string!(i, deleted_activities))}</h2>
                <ul>
                    {deleted.into_iter().map(|a| view! {
                        <li><a href=paths::activity(a.id)>{a.fields.title}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
    .into_any()
}

/// The goal's health light and its short note, set by a person (staff).
#[component]
fn HealthForm(goal_id: Uuid, health: Health, note: String, owner: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let allowed = use_session()
        .0
        .with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::StrategicGoal)));
    let chosen = RwSignal::new(health);
    let text = RwSignal::new(note.clone());
    let owner_choice = RwSignal::new(owner.map(|o| o.to_string()).unwrap_or_default());
    let people = sync.view.with_untracked(|v| names(v.values(), Kind::Person));
    let message = RwSignal::new(None::<String>);
    // Compared with the goal as the form found it, and sent as an edit of that version: a field
    // someone changed meanwhile is not sent back unless this person changed it too (then the
    // server keeps both in a conflict).
    let base_rev = sync.base_rev(goal_id);
    let opened = StoredValue::new((health, note.clone(), owner));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (health, note, owner_now) = opened.get_value();
        let mut fields = Map::new();
        if chosen.get_untracked() != health {
            fields.insert("health".into(), json!(chosen.get_untracked()));
        }
        let new_note = text.get_untracked().trim().to_string();
        if new_note != note {
            fields.insert(
                "health_note".into(),
                if new_note.is_empty() { Value::Null } else { json!(new_note) },
            );
        }
        let new_owner = Uuid::parse_str(&owner_choice.get_untracked()).ok();
        if new_owner != owner_now {
            fields.insert("owner_person_id".into(), new_owner.map_or(Value::Null, |o| json!(o)));
        }
        if fields.is_empty() {
            message.set(Some(t_string!(i18n, saved).to_string()));
            return;
        }
        let saved_as = (chosen.get_untracked(), new_note.clone(), new_owner);
        spawn_local(async move {
            message.set(Some(match sync.put_from(Kind::StrategicGoal, goal_id, base_rev, fields).await {
                Ok(()) => {
                    opened.set_value(saved_as);
                    t_string!(i18n, saved).to_string()
                }
                Err(e) => format!("{} {e}", t_string!(i18n, save_failed)),
            }));
        });
    };
    allowed.then(|| {
        view! {
            <details class="card">
                <summary>{tr(i18n, |i| t_string!(i, health_change))}</summary>
                <form class="form" on:submit=on_submit>
                    <label for="health">{tr(i18n, |i| t_string!(i, health))}</label>
                    <select id="health" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(h) = Health::ALL.iter().find(|h| h.as_str() == v) { chosen.set(*h) }
                    }>
                        {Health::ALL.iter().map(|h| {
                            let h = *h;
                            view! { <option value=h.as_str() selected=move || chosen.get() == h>{move || health_label(i18n, h)}</option> }
                        }).collect_view()}
                    </select>
                    <label for="health-note">{tr(i18n, |i| t_string!(i, health_note))}</label>
                    <input id="health-note" type="text" maxlength="300" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev)) />
                    <label for="goal-owner">{tr(i18n, |i| t_string!(i, goal_owner))}</label>
                    <select id="goal-owner" on:change=move |ev| owner_choice.set(event_target_value(&ev))>
                        <option value="" selected=owner.is_none()>{tr(i18n, |i| t_string!(i, nobody))}</option>
                        {people.into_iter().map(|(pid, name)| view! {
                            <option value=pid.to_string() selected=owner == Some(pid)>{name}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button>
                    <p class="form-message" role="status" aria-live="polite">{move || message.get()}</p>
                </form>
            </details>
        }
    })
}

/// Adds an activity at the end of the goal's list (for the roles that may).
#[component]
fn NewActivity(goal_id: Uuid) -> impl IntoView {
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
        // At the end of the goal's list as it stands when the activity is added.
        let next_position = sync.view.with_untracked(|v| {
            v.values()
                .filter_map(Activity::from_record)
                .filter(|a| a.strategic_goal_id == goal_id)
                .map(|a| a.position)
                .max()
                .unwrap_or(0)
                + 1
        });
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
                <h2>{tr(i18n, |i| t_string!(i, new_activity))}</h2>
                <label for="new-activity-title">{tr(i18n, |i| t_string!(i, new_activity_title))}</label>
                <input id="new-activity-title" type="text" required maxlength="300"
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, add))}</button>
            </form>
        }
    })
}
