//! `/styrelsemote`: the board meeting pack. Since a chosen day (by default the previous board
//! meeting): what changed (online from the server's histories; offline from the dates in the
//! records on the device, and the page says so), what needs attention, the idea funnel's
//! movements, coming events, and the ideas waiting for the LAG's priority. Printable like the
//! follow-up.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use tavla_shared::board_pack::{
    awaiting_priority, coming_events, default_since, funnel_moves, is_noise, local_changes, title_of,
};
use tavla_shared::date::Date;
use tavla_shared::plan_view::PlanView;
use tavla_shared::wire::{ChangeOp, ChangesResponse};
use tavla_shared::Kind;

use crate::api::ApiError;
use crate::components::badges::field_label;
use crate::components::format::{local_time, today};
use crate::components::plan_loader::with_plan;
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::pages::events::event_type_label;
use crate::pages::ideas::stage_label;
use crate::pages::overview::AttentionSection;
use crate::pages::report::PrintButton;
use crate::paths;
use crate::session::use_session;
use crate::store::sync::use_sync;

/// The query key of the starting day.
const SINCE_KEY: &str = "sedan";

/// A record kind in words, for the list of changes.
fn kind_word(i18n: leptos_i18n::I18nContext<Locale>, k: Kind) -> &'static str {
    match k {
        Kind::Activity => t_string!(i18n, cal_activity),
        Kind::Event => t_string!(i18n, cal_event),
        Kind::MarketingItem => t_string!(i18n, cal_marketing),
        Kind::Idea => t_string!(i18n, cal_idea),
        Kind::Dialogue => t_string!(i18n, pack_kind_dialogue),
        Kind::Person => t_string!(i18n, pack_kind_person),
        Kind::Partner => t_string!(i18n, pack_kind_partner),
        Kind::Comment => t_string!(i18n, pack_kind_comment),
        Kind::StrategicGoal => t_string!(i18n, pack_kind_goal),
        Kind::Funds => t_string!(i18n, pack_kind_funds),
        _ => t_string!(i18n, pack_kind_other),
    }
}

/// `/styrelsemote`.
#[component]
pub fn BoardPackPage() -> impl IntoView {
    with_plan(move |plan: PlanView| view! { <BoardPack plan /> }.into_any())
}

#[component]
fn BoardPack(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let navigate = use_navigate();
    let session = use_session();
    let today = today();
    let since = query
        .with_untracked(|q| q.get(SINCE_KEY).and_then(|s| Date::parse(&s)))
        .unwrap_or_else(|| sync.view.with_untracked(|v| default_since(v.values(), today)));
    let chosen = RwSignal::new(since.to_string());
    // Online: the server's histories. Offline (or refused): the device's records.
    let changes: RwSignal<Option<Result<ChangesResponse, ApiError>>> = RwSignal::new(None);
    let token = session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default());
    spawn_local(async move { changes.set(Some(crate::api::changes_since(&token, since).await)) });
    let choose = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(d) = Date::parse(&chosen.get_untracked()) {
            navigate(&format!("{}?{SINCE_KEY}={d}", paths::BOARD_PACK), Default::default());
        }
    };
    let (moves, coming, waiting) = sync.view.with_untracked(|v| {
        (funnel_moves(v.values(), since), coming_events(v.values(), today), awaiting_priority(v.values()))
    });
    let since_text = since.to_string();
    let changed = move || {
        let s = since_text.clone();
        match changes.get() {
            None => view! { <p class="loading" role="status">{tr(i18n, |i| t_string!(i, loading))}</p> }
                .into_any(),
            Some(Ok(answer)) => {
                let list: Vec<_> = answer.changes.into_iter().filter(|c| !is_noise(c.kind)).collect();
                if list.is_empty() {
                    return view! { <p class="muted">{trf(i18n, |i| t_string!(i, pack_no_changes), vec![("date", s)])}</p> }.into_any();
                }
                let rows = sync.view.with_untracked(|v| {
                    list.into_iter()
                        .map(|c| {
                            let title = v.get(&c.id).map(title_of).unwrap_or_default();
                            (c, title)
                        })
                        .collect::<Vec<_>>()
                });
                view! {
                    <ul class="report-list">
                        {rows.into_iter().map(|(c, title)| {
                            let what = match c.change.op {
                                ChangeOp::Created => t_string!(i18n, pack_created).to_string(),
                                ChangeOp::Deleted => t_string!(i18n, pack_deleted).to_string(),
                                ChangeOp::Restored => t_string!(i18n, pack_restored).to_string(),
                                _ => c.change.fields.keys().map(|f| field_label(i18n, f)).collect::<Vec<_>>().join(", "),
                            };
                            let kind = kind_word(i18n, c.kind);
                            let when = local_time(c.change.at as f64);
                            let link = paths::record(c.kind, c.id);
                            view! {
                                <li class="report-item">
                                    {kind} ": "
                                    {match link { Some(href) => view! { <a href=href>{title.clone()}</a> }.into_any(), None => view! { <span>{title.clone()}</span> }.into_any() }}
                                    " – " {what} <span class="meta">" · " {c.change.by} ", " {when}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {answer.truncated.then(|| view! { <p class="muted">{tr(i18n, |i| t_string!(i, pack_truncated))}</p> })}
                }.into_any()
            }
            Some(Err(_)) => {
                let local = sync.view.with_untracked(|v| local_changes(v.values(), since));
                view! {
                    <p class="warning" role="status">{trf(i18n, |i| t_string!(i, pack_offline), vec![("date", s)])}</p>
                    <ul class="report-list">
                        {local.into_iter().map(|c| view! {
                            <li class="report-item">{c.on.to_string()} " · " {kind_word(i18n, c.kind)} ": "
                                {match paths::record(c.kind, c.id) { Some(href) => view! { <a href=href>{c.title.clone()}</a> }.into_any(), None => view! { <span>{c.title.clone()}</span> }.into_any() }}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }
    };
    view! {
        <article class="report board-pack">
            <h1>{tr(i18n, |i| t_string!(i, pack_heading))}</h1>
            <p class="meta">{trf(i18n, |i| t_string!(i, pack_since), vec![("date", since.to_string())])} " · " {trf(i18n, |i| t_string!(i, report_made_on), vec![("date", today.to_string())])}</p>
            <form class="no-print form inline-form" on:submit=choose>
                <label for="pack-since">{tr(i18n, |i| t_string!(i, pack_since_label))}</label>
                <input id="pack-since" type="date" prop:value=move || chosen.get() on:input=move |ev| chosen.set(event_target_value(&ev)) />
                <button type="submit">{tr(i18n, |i| t_string!(i, pack_show))}</button>
            </form>
            <PrintButton />
            <section aria-labelledby="pack-changes">
                <h2 id="pack-changes">{tr(i18n, |i| t_string!(i, pack_changes))}</h2>
                {changed}
            </section>
            <AttentionSection plan=plan.clone() />
            <section aria-labelledby="pack-funnel">
                <h2 id="pack-funnel">{tr(i18n, |i| t_string!(i, pack_funnel))}</h2>
                {if moves.is_empty() {
                    view! { <p class="muted">{tr(i18n, |i| t_string!(i, pack_no_moves))}</p> }.into_any()
                } else {
                    view! {
                        <ul class="report-list">
                            {moves.into_iter().map(|m| {
                                let stage = m.stage;
                                view! { <li class="report-item">{m.on.to_string()} " · " <a href=paths::idea(m.idea.id)>{m.idea.fields.title}</a> " → " {move || stage_label(i18n, stage)}</li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="pack-waiting">
                <h2 id="pack-waiting">{tr(i18n, |i| t_string!(i, pack_waiting))}</h2>
                {if waiting.is_empty() {
                    view! { <p class="muted">{tr(i18n, |i| t_string!(i, pack_no_waiting))}</p> }.into_any()
                } else {
                    view! {
                        <ul class="report-list">
                            {waiting.into_iter().map(|i| {
                                let place = i.fields.municipality_id.and_then(|m| plan.name_of(m)).map(str::to_string);
                                view! { <li class="report-item"><a href=paths::idea(i.id)>{i.fields.title}</a>
                                    {place.map(|p| view! { <span class="meta">" · " {p}</span> })}</li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="pack-coming">
                <h2 id="pack-coming">{tr(i18n, |i| t_string!(i, pack_coming))}</h2>
                {if coming.is_empty() {
                    view! { <p class="muted">{tr(i18n, |i| t_string!(i, pack_no_coming))}</p> }.into_any()
                } else {
                    view! {
                        <ul class="report-list">
                            {coming.into_iter().map(|e| {
                                let t = e.fields.event_type;
                                view! { <li class="report-item">{e.fields.date.to_string()} " · " <a href=paths::event(e.id)>{e.fields.title}</a>
                                    <span class="meta">" · " {move || event_type_label(i18n, t)}</span></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </article>
    }
}
