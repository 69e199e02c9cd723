//! `/att-gora`: the open next steps of dialogues and ideas, mine (`?vy=alla`: everyone's),
//! soonest due first, overdue ones marked. "Klart" marks a step done on the device at once;
//! it reaches the server and other devices with the next sync, as every edit does.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use tavla_shared::edit::Base;
use tavla_shared::follow_ups::{follow_ups, FollowUp};
use tavla_shared::kinds::{Dialogue, Idea, KindFields};
use tavla_shared::plan_view::PlanView;
use tavla_shared::rules::may_edit;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::format::today;
use crate::components::plan_loader::with_plan;
use crate::components::{tr, trf, trn};
use crate::i18n::*;
use crate::paths;
use crate::session::use_session;
use crate::store::sync::{use_sync, SyncEngine};

const VIEW_KEY: &str = "vy";
const ALL: &str = "alla";

/// `/att-gora`.
#[component]
pub fn FollowUpsPage() -> impl IntoView {
    with_plan(move |plan: PlanView| view! { <FollowUps plan /> }.into_any())
}

#[component]
fn FollowUps(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let navigate = use_navigate();
    let (user, person, role) = use_session().0.with_untracked(|s| {
        s.as_ref().map_or((Uuid::nil(), None, None), |s| (s.user.id, s.user.person_id, Some(s.user.role)))
    });
    let all = Memo::new(move |_| query.with(|q| q.get(VIEW_KEY).as_deref() == Some(ALL)));
    let steps = Memo::new(move |_| sync.view.with(|v| follow_ups(v.values())));
    let today = today();
    let plan = StoredValue::new(plan);
    let go = move |everyone: bool| {
        let url = if everyone {
            format!("{}?{VIEW_KEY}={ALL}", paths::FOLLOW_UPS)
        } else {
            paths::FOLLOW_UPS.to_string()
        };
        navigate(&url, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    // The steps shown: mine, or everyone's.
    let shown = Memo::new(move |_| {
        let everyone = all.get();
        steps.with(|s| s.iter().filter(|f| everyone || f.is_mine(user, person)).cloned().collect::<Vec<_>>())
    });
    // Its own element, drawn once: the focus rests on it after "Klart" while the rows change.
    let count = move || {
        shown.with(|shown| {
            let overdue = shown.iter().filter(|f| f.overdue(today)).count();
            view! {
                {trn(i18n, |i| t_string!(i, follow_ups_count_one), |i| t_string!(i, follow_ups_count_many), shown.len() as i64, vec![])}
                {(overdue > 0).then(|| view! { ", " {trf(i18n, |i| t_string!(i, follow_ups_overdue), vec![("count", overdue.to_string())])} })}
            }
        })
    };
    let list = move || {
        shown.with(|shown| {
            if shown.is_empty() {
                return view! { <p class="muted">{tr(i18n, |i| t_string!(i, follow_ups_none))}</p> }.into_any();
            }
            view! {
                <ul class="activity-rows follow-ups" role="list">
                    {shown.iter().map(|f| plan.with_value(|p| follow_up_row(i18n, sync, f, p, today, role))).collect_view()}
                </ul>
            }
            .into_any()
        })
    };
    view! {
        <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, follow_ups_heading))}</h1>
        <div class="view-switch" role="group" aria-label=move || t_string!(i18n, follow_ups_whose)>
            <button type="button" aria-pressed=move || (!all.get()).to_string()
                on:click={let go = go.clone(); move |_| go(false)}>{tr(i18n, |i| t_string!(i, follow_ups_mine))}</button>
            <button type="button" aria-pressed=move || all.get().to_string()
                on:click={let go = go.clone(); move |_| go(true)}>{tr(i18n, |i| t_string!(i, follow_ups_all))}</button>
        </div>
        <p class="result-count" id="follow-ups-count" tabindex="-1" role="status" aria-live="polite">{count}</p>
        {list}
    }
}

/// One step: what, about what, whose, when; "Klart" for those who may edit its record.
fn follow_up_row(
    i18n: I18nContext<Locale>,
    sync: SyncEngine,
    f: &FollowUp,
    plan: &PlanView,
    today: tavla_shared::date::Date,
    role: Option<tavla_shared::values::Role>,
) -> impl IntoView {
    let (href, about) = match f.kind {
        Kind::Dialogue => (
            paths::dialogue(f.id),
            format!("{} · {}", f.partner.and_then(|p| plan.name_of(p)).unwrap_or_default(), f.title),
        ),
        _ => (paths::idea(f.id), format!("{} · {}", t_string!(i18n, idea_word), f.title)),
    };
    let overdue = f.overdue(today);
    let due = f.due.map(|d| d.to_string());
    let owner = f.owner_person.and_then(|p| plan.name_of(p)).map(str::to_string);
    let can_mark = role.is_some_and(|r| may_edit(r, f.kind));
    let (kind, id, step) = (f.kind, f.id, f.step.clone());
    let label = crate::components::fill(t_string!(i18n, mark_done_label), &[("step", step.clone())]);
    view! {
        <li class=if overdue { "card activity-row overdue" } else { "card activity-row" }>
            <span class="activity-title">{step}</span>
            <a href=href>{about}</a>
            <div class="activity-meta">
                {due.map(|d| if overdue {
                    view! { <span class="badge late">{trf(i18n, |i| t_string!(i, overdue_since), vec![("date", d)])}</span> }.into_any()
                } else {
                    view! { <span>{trf(i18n, |i| t_string!(i, due_on_date), vec![("date", d)])}</span> }.into_any()
                })}
                {owner.map(|o| view! { <span>{o}</span> })}
            </div>
            {can_mark.then(|| view! {
                <button type="button" class="mark-done" aria-label=label on:click=move |_| mark_done(sync, kind, id)>
                    {tr(i18n, |i| t_string!(i, mark_done))}
                </button>
            })}
        </li>
    }
}

/// Marks the next step of record `id` done, as an edit of the record as shown now. Its row
/// goes, so the focus moves to the count, which says how many are left.
fn mark_done(sync: SyncEngine, kind: Kind, id: Uuid) {
    crate::components::focus_id("follow-ups-count");
    let rev = sync.base_rev(id);
    match kind {
        Kind::Dialogue => {
            let Some(values) = sync.view.with_untracked(|v| v.get(&id).and_then(Dialogue::from_record))
            else {
                return;
            };
            let draft = Dialogue {
                next_step_done: true,
                next_step_done_text: values.next_step.clone(),
                ..values.clone()
            };
            spawn_local(async move {
                let _ = sync.save(id, &Base { rev, values }, &draft).await;
            });
        }
        Kind::Idea => {
            let Some(values) = sync.view.with_untracked(|v| v.get(&id).and_then(Idea::from_record)) else {
                return;
            };
            let draft = Idea {
                next_step_done: true,
                next_step_done_text: values.next_step.clone(),
                ..values.clone()
            };
            spawn_local(async move {
                let _ = sync.save(id, &Base { rev, values }, &draft).await;
            });
        }
        _ => {}
    }
}
