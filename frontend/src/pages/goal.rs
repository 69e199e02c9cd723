//! One strategic goal and its prioritised activities, in plan order; staff add new ones here.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use tavla_shared::board::{programme_funds, Progress, WorkshopTally, FUNDS_GOAL, WORKSHOP_GOAL};
use tavla_shared::kinds::{Activity, KindFields, Plan, StrategicGoal};
use tavla_shared::plan_view::{names, GoalView, Item, PlanView};
use tavla_shared::protocol::SHORT_TEXT_MAX;
use tavla_shared::rules::may_edit;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::badges::{health_label, HealthBadge, StatusBadge};
use crate::components::conflict_banner::ConflictBanner;
use crate::components::edit_form::edit_form;
use crate::components::enum_select::EnumSelect;
use crate::components::feedback::Feedback;
use crate::components::format::today;
use crate::components::funnel_panel::FunnelPanel;
use crate::components::plan_loader::with_plan;
use crate::components::record_log::History;
use crate::components::targets::{FundsChange, FundsPanel, FundsTargetForm, GoalProgress, WorkshopTracker};

/// The goal of faster, simpler support for applicants (days from idea to application).
const IDEAS_GOAL: i64 = 4;
/// The strategic goal of integrated, continuous marketing.
const MARKETING_GOAL: i64 = 5;
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::paths;
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
    let is_funds_goal = move || number() == Some(FUNDS_GOAL);
    view! {
        {with_plan(move |plan: PlanView| {
            let number = number();
            view! { <GoalHead plan number /> }.into_any()
        })}
        <Show when=is_funds_goal>
            <FundsSection />
        </Show>
        {with_plan(move |plan: PlanView| {
            let number = number();
            view! { <GoalActivities plan number /> }.into_any()
        })}
        {move || goal_id.get().map(|goal_id| view! { <GoalForms goal_id /> })}
    }
}

/// Goal 1's funds: the numbers (redrawn as they change), the form staff record them with (kept
/// apart, so a sync landing while someone types does not wipe it), and who changed what.
#[component]
fn FundsSection() -> impl IntoView {
    let sync = use_sync();
    let i18n = use_i18n();
    let staff =
        use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::Funds)));
    let plan = Memo::new(move |_| {
        sync.view.with(|v| {
            tavla_shared::plan_view::items::<Plan>(v.values()).into_iter().max_by_key(|p| p.fields.year)
        })
    });
    let plan_id = Memo::new(move |_| plan.with(|p| p.as_ref().map(|p| p.id)));
    let sets_target =
        use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::Plan)));
    let funds = Memo::new(move |_| sync.view.with(|v| programme_funds(v.values())));
    let funds_id = Memo::new(move |_| funds.with(|f| f.as_ref().map(|f| f.id)));
    view! {
        {move || {
            let plan = plan.get()?.fields;
            funds.get().map(|funds| view! { <FundsPanel funds plan can_enter=staff /> })
        }}
        {move || funds_id.get().map(|id| view! {
            {staff.then(|| view! { <section class="card"><FundsChange id /></section> })}
            <History id heading=t_string!(i18n, funds_trail_heading) />
        })}
        {move || plan_id.get().filter(|_| sets_target).map(|id| view! { <FundsTargetForm id /> })}
    }
}

/// What staff change on a goal page: new activities, the health light.
#[component]
fn GoalForms(goal_id: Uuid) -> impl IntoView {
    let sync = use_sync();
    let role = use_session().0.with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let staff = role.is_some_and(|r| may_edit(r, Kind::StrategicGoal));
    let goal = sync.view.with_untracked(|v| v.get(&goal_id).and_then(StrategicGoal::from_record));
    view! {
        <NewActivity goal_id />
        {goal.filter(|_| staff).map(|g| view! { <HealthForm goal_id goal=g /> })}
    }
}

/// The goal, for the two parts of its page that follow the records.
fn find_goal(plan: &PlanView, number: Option<i64>) -> Option<GoalView> {
    number.and_then(|n| plan.goal(n)).cloned()
}

/// The top of a goal page: its number, title, health, owner, progress, and goal 3's workshops.
#[component]
fn GoalHead(plan: PlanView, number: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let back = view! { <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p> };
    let Some(goal) = find_goal(&plan, number) else {
        return view! { {back} <h1>{tr(i18n, |i| t_string!(i, goal_not_found))}</h1> }.into_any();
    };
    let g = goal.goal.fields;
    let n = g.number;
    let progress = Progress::of(&goal.activities);
    let role = use_session().0.with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let year = plan.plan.as_ref().map_or(2026, |p| p.fields.year);
    // Goal 3 carries the workshop target (goal 1's funds have a section of their own).
    let workshops = (n == WORKSHOP_GOAL).then(|| {
        let tally = sync.view.with_untracked(|v| WorkshopTally::new(v.values(), year, today()));
        let can_add = role.is_some_and(|r| may_edit(r, Kind::Event));
        view! { <WorkshopTracker tally can_add /> }
    });
    // Goal 1 rests on ambassadors who catch ideas, goal 4 on faster support for applicants:
    // both show the idea funnel.
    let funnel =
        (n == FUNDS_GOAL || n == IDEAS_GOAL).then(|| view! { <FunnelPanel plan=plan.clone() year /> });
    // Goal 5 carries the communication plan's follow-up (5.1).
    let marketing = (n == MARKETING_GOAL).then(|| {
        let plan = plan.clone();
        move || {
            let counts = sync.view.with(|v| tavla_shared::marketing::follow_up(v.values(), year as i32));
            view! { <crate::components::marketing_chart::FollowUpChart counts plan=plan.clone() /> }
        }
    });
    view! {
        {back}
        <p class="goal-number">{trf(i18n, |i| t_string!(i, goal_number), vec![("number", n.to_string())])}</p>
        <h1>{g.title}</h1>
        <ConflictBanner target_id=goal.goal.id />
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
        {workshops}
        {funnel}
        {marketing}
        <DialogueEvidence goal_id=goal.goal.id />
    }
    .into_any()
}

/// The dialogues that serve the goal: how many, and the latest (goal 2's collaboration, and any
/// goal a dialogue is logged for).
#[component]
fn DialogueEvidence(goal_id: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let evidence = Memo::new(move |_| {
        sync.view.with(|v| tavla_shared::dialogue_stats::goal_evidence(v.values(), goal_id))
    });
    let latest = move || {
        evidence.with(|e| {
            e.latest.as_ref().map(|d| {
                let partner = sync
                    .view
                    .with(|v| v.get(&d.fields.partner_id).and_then(|r| r.fields.get("name")?.as_str().map(str::to_string)))
                    .unwrap_or_default();
                let date = d.fields.date.to_string();
                view! {
                    <p>{trf(i18n, |i| t_string!(i, evidence_latest), vec![("date", date), ("partner", partner)])}
                        " " <a href=paths::dialogue(d.id)>{d.fields.summary.clone()}</a></p>
                }
            })
        })
    };
    view! {
        <section class="card" aria-labelledby="evidence-heading">
            <h2 id="evidence-heading">{tr(i18n, |i| t_string!(i, evidence_heading))}</h2>
            <p class="evidence-count">{move || {
                let n = evidence.with(|e| e.count) as i64;
                crate::components::trn(i18n, |i| t_string!(i, dialogues_one), |i| t_string!(i, dialogues_many), n, vec![])
            }}</p>
            {latest}
        </section>
    }
}

/// The goal's activities in plan order, and its deleted ones (so they can be restored).
#[component]
fn GoalActivities(plan: PlanView, number: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let Some(goal) = find_goal(&plan, number) else {
        return ().into_any();
    };
    let goal_id = goal.goal.id;
    let n = goal.goal.fields.number;
    let pending = sync.pending_ids();
    // Deleted activities stay listed here, so they can be opened and restored.
    let deleted: Vec<Item<Activity>> = sync.view.with_untracked(|v| {
        v.values()
            .filter(|r| r.deleted)
            .filter_map(|r| Activity::from_record(r).map(|a| Item { id: r.id, fields: a }))
            .filter(|a| a.fields.strategic_goal_id == goal_id)
            .collect()
    });
    view! {
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
fn HealthForm(goal_id: Uuid, goal: StrategicGoal) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let allowed = use_session()
        .0
        .with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::StrategicGoal)));
    let chosen = RwSignal::new(goal.health);
    let text = RwSignal::new(String::new());
    let owner_choice = RwSignal::new(String::new());
    let people = sync.view.with_untracked(|v| names(v.values(), Kind::Person));
    let message = Feedback::new();
    let drawn = StoredValue::new(goal.clone());
    let show = move |g: &StrategicGoal| {
        drawn.set_value(g.clone());
        chosen.set(g.health);
        text.set(g.health_note.clone().unwrap_or_default());
        owner_choice.set(g.owner_person_id.map(|o| o.to_string()).unwrap_or_default());
    };
    show(&goal);
    let draft = move || {
        // As typed (trimming here would eat a space while the person types): only a note of
        // nothing but spaces counts as none.
        let note = text.get_untracked();
        StrategicGoal {
            health: chosen.get_untracked(),
            health_note: (!note.trim().is_empty()).then_some(note),
            owner_person_id: Uuid::parse_str(&owner_choice.get_untracked()).ok(),
            ..drawn.get_value()
        }
    };
    // The typed edit path: sent as an edit of the version the form opened with, so a field
    // someone changed meanwhile is not sent back unless this person changed it too (then the
    // server keeps both in a conflict); untouched fields follow changes from elsewhere.
    let form = edit_form(goal_id, goal, draft, show, t_string!(i18n, unsaved_leave));
    let (base, stale) = (form.base, form.stale);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (b, typed) = (base.get_value(), draft());
        spawn_local(async move {
            match sync.save(goal_id, &b, &typed).await {
                Ok(mutation) => {
                    form.saved(&b.values, &typed);
                    message.saved(mutation);
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    allowed.then(|| {
        view! {
            <details class="card">
                <summary>{tr(i18n, |i| t_string!(i, health_change))}</summary>
                <form class="form" on:submit=on_submit>
                    <label for="health">{tr(i18n, |i| t_string!(i, health))}</label>
                    <EnumSelect id="health" value=chosen label=health_label />
                    <label for="health-note">{tr(i18n, |i| t_string!(i, health_note))}</label>
                    <input id="health-note" type="text" maxlength=SHORT_TEXT_MAX prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev)) />
                    <label for="goal-owner">{tr(i18n, |i| t_string!(i, goal_owner))}</label>
                    <select id="goal-owner" on:change=move |ev| owner_choice.set(event_target_value(&ev))>
                        <option value="" selected=move || owner_choice.get().is_empty()>{tr(i18n, |i| t_string!(i, nobody))}</option>
                        {people.into_iter().map(|(pid, name)| view! {
                            <option value=pid.to_string() selected=move || owner_choice.get() == pid.to_string()>{name}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button>
                    <Show when=move || stale.get()>
                        <p class="warning stale-form" role="status">{tr(i18n, |i| t_string!(i, changed_elsewhere))}</p>
                    </Show>
                    {message.view()}
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
        let new = Activity::new(goal_id, text, next_position);
        spawn_local(async move {
            if sync.create(random_uuid(), &new).await.is_ok() {
                title.set(String::new());
            }
        });
    };
    allowed.then(|| {
        view! {
            <form class="card form new-activity" on:submit=on_submit>
                <h2>{tr(i18n, |i| t_string!(i, new_activity))}</h2>
                <label for="new-activity-title">{tr(i18n, |i| t_string!(i, new_activity_title))}</label>
                <input id="new-activity-title" type="text" required maxlength=SHORT_TEXT_MAX
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, add))}</button>
            </form>
        }
    })
}
