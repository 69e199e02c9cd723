//! `/aktiviteter`: every activity of the plan as a list or as a board with a column per status,
//! narrowed by filters that live in the URL (`?vy=tavla&mal=3&kommun=0482`), so a filtered view
//! can be bookmarked, reloaded and sent to a colleague.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use tavla_shared::activity_filter::{keys, ActivityFilter, Due, Match};
use tavla_shared::edit::Base;
use tavla_shared::kinds::{Activity, KindFields};
use tavla_shared::plan_view::PlanView;
use tavla_shared::rules::may_edit;
use tavla_shared::values::ActivityStatus;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::badges::status_label;
use crate::components::export::ExportButton;
use crate::components::format::today;
use crate::components::move_dialog::{focus_if_moved_here, forget_focus, move_button, move_dialog, MoveMenu};
use crate::components::plan_loader::with_plan;
use crate::components::{tr, trf, trn, with_query};
use crate::i18n::*;
use crate::paths;
use crate::session::use_session;
use crate::store::sync::{use_sync, SyncEngine};
use tavla_shared::export::Register;

/// The query key of the view ("tavla" = board; anything else the list).
const VIEW_KEY: &str = "vy";
const BOARD: &str = "tavla";

/// `/aktiviteter`.
#[component]
pub fn ActivitiesPage() -> impl IntoView {
    // On a phone the filters fold away under one line, so the activities come first. Kept here,
    // outside the part redrawn when records change, so a sync does not fold them again.
    let wide = window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w >= 768.0);
    let open = RwSignal::new(wide);
    on_cleanup(forget_focus);
    with_plan(move |plan: PlanView| view! { <Activities plan open /> }.into_any())
}

#[component]
fn Activities(plan: PlanView, open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| {
        query.with(|q| ActivityFilter::from_pairs(q.into_iter().map(|(k, v)| (k.as_ref(), v))))
    });
    let board = Memo::new(move |_| query.with(|q| q.get(VIEW_KEY).as_deref() == Some(BOARD)));
    // Every change of a filter replaces the URL (no history entry per click); the URL is the state.
    let go = move |f: ActivityFilter, board: bool| {
        let mut pairs = f.to_pairs();
        if board {
            pairs.insert(0, (VIEW_KEY, BOARD.to_string()));
        }
        let url = with_query(paths::ACTIVITIES, &pairs);
        navigate(&url, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let can_edit =
        use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::Activity)));
    let total = plan.goals.iter().map(|g| g.activities.len()).sum::<usize>();
    let plan = StoredValue::new(plan);
    let today = today();

    // How much of a long result is shown; back to one page whenever the filters change.
    let limit = RwSignal::new(LIST_PAGE);
    let expanded = RwSignal::new([false; 4]);
    Effect::new(move |_| {
        filter.track();
        limit.set(LIST_PAGE);
        expanded.set([false; 4]);
    });
    let shown = move || {
        let f = filter.get();
        limit.track();
        expanded.track();
        plan.with_value(|p| {
            let matches = f.apply(p, today);
            let count = matches.len();
            let body = if board.get() {
                board_view(&matches, p, can_edit, expanded).into_any()
            } else {
                list_view(&matches, p, limit).into_any()
            };
            view! {
                <p class="result-count" role="status" aria-live="polite">{trn(i18n, |i| t_string!(i, showing_count_single), |i| t_string!(i, showing_count), total as i64, vec![("total", total.to_string()), ("count", count.to_string())])}</p>
                {body}
            }
        })
    };

    view! {
        <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, activities_page_heading))}</h1>
        <p class="export-actions"><ExportButton register=Register::Activities /><a href=format!("{}?register=activities", paths::IMPORT)>{tr(i18n, |i| t_string!(i, import_link))}</a></p>
        <div class="view-switch" role="group" aria-label=move || t_string!(i18n, view_switch_label)>
            <button type="button" aria-pressed=move || (!board.get()).to_string()
                on:click={let go = go.clone(); move |_| go(filter.get_untracked(), false)}>{tr(i18n, |i| t_string!(i, view_list))}</button>
            <button type="button" aria-pressed=move || board.get().to_string()
                on:click={let go = go.clone(); move |_| go(filter.get_untracked(), true)}>{tr(i18n, |i| t_string!(i, view_board))}</button>
        </div>
        {move || plan.with_value(|p| filters(p, filter, board, open, go.clone()))}
        {shown}
    }
}

/// One labelled select per filter; "Alla" clears it. Built once per page (and language): each
/// select follows the URL through its options' `selected`, since rebuilding six selects cost
/// about 2 ms of every filter change.
fn filters(
    plan: &PlanView,
    filter: Memo<ActivityFilter>,
    board: Memo<bool>,
    open: RwSignal<bool>,
    go: impl Fn(ActivityFilter, bool) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = move |key: &str| {
        filter.with(|f| f.to_pairs().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v).unwrap_or_default())
    };
    let select = |id: &'static str, label: AnyView, key: &'static str, options: Vec<(String, String)>| {
        let go = go.clone();
        // The filters with this one set to `v` (or cleared by "").
        let pick = move |v: &str| {
            filter.with_untracked(|f| {
                ActivityFilter::from_pairs(
                    f.to_pairs()
                        .iter()
                        .filter(|(k, _)| *k != key)
                        .map(|(k, v)| (*k, v.as_str()))
                        .chain([(key, v)]),
                )
            })
        };
        view! {
            <div class="filter">
                <label for=id>{label}</label>
                <select id=id on:change=move |ev| go(pick(&event_target_value(&ev)), board.get_untracked())>
                    <option value="" selected=move || current(key).is_empty()>{tr(i18n, |i| t_string!(i, filter_all))}</option>
                    {options.into_iter().map(|(value, text)| {
                        let v = value.clone();
                        view! { <option value=value selected=move || current(key) == v>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let goals = plan
        .goals
        .iter()
        .map(|g| {
            (g.goal.fields.number.to_string(), format!("{} {}", g.goal.fields.number, g.goal.fields.title))
        })
        .collect();
    let focus =
        plan.focus_areas.iter().map(|a| (a.fields.number.to_string(), a.fields.title.clone())).collect();
    let municipalities =
        plan.municipalities.iter().map(|m| (m.fields.code.clone(), m.fields.name.clone())).collect();
    let people = plan.people.iter().map(|p| (p.id.to_string(), p.fields.name.clone())).collect();
    let statuses = ActivityStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), status_label(i18n, *s).to_string()))
        .collect();
    let dues = Due::ALL.iter().map(|d| (d.as_str().to_string(), due_label(i18n, *d).to_string())).collect();
    let clear = {
        let go = go.clone();
        move |_| go(ActivityFilter::default(), board.get_untracked())
    };
    let active = move || filter.with(|f| f.to_pairs().len());
    view! {
        <details class="filters-box card" prop:open=move || open.get_untracked()
            on:toggle=move |ev| open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
        <summary>{tr(i18n, |i| t_string!(i, filters_label))}{move || (active() > 0).then(|| view! { " " {trf(i18n, |i| t_string!(i, filters_active), vec![("count", active().to_string())])} })}</summary>
        <form class="filters" role="search" aria-label=move || t_string!(i18n, filters_label) on:submit=|ev| ev.prevent_default()>
            {select("filter-goal", tr(i18n, |i| t_string!(i, filter_goal)).into_any(), keys::GOAL, goals)}
            {select("filter-focus", tr(i18n, |i| t_string!(i, filter_focus_area)).into_any(), keys::FOCUS_AREA, focus)}
            {select("filter-municipality", tr(i18n, |i| t_string!(i, filter_municipality)).into_any(), keys::MUNICIPALITY, municipalities)}
            {select("filter-owner", tr(i18n, |i| t_string!(i, owner)).into_any(), keys::OWNER, people)}
            {select("filter-status", tr(i18n, |i| t_string!(i, status)).into_any(), keys::STATUS, statuses)}
            {select("filter-due", tr(i18n, |i| t_string!(i, filter_due)).into_any(), keys::DUE, dues)}
            <Show when=move || { active() > 0 }>
                <button type="button" class="link-button" on:click=clear.clone()>{tr(i18n, |i| t_string!(i, filters_clear))}</button>
            </Show>
        </form>
        </details>
    }
}

fn due_label(i18n: leptos_i18n::I18nContext<Locale>, due: Due) -> &'static str {
    match due {
        Due::Overdue => t_string!(i18n, due_overdue),
        Due::Next30Days => t_string!(i18n, due_next_30_days),
        Due::ThisYear => t_string!(i18n, due_this_year),
        Due::None => t_string!(i18n, due_none),
    }
}

/// Rows and cards shown at first; more on request. Rendering 1,000 rows at every filter change
/// would cost about 35 ms (see docs/BENCHMARKS.md), over a frame; nobody reads that many at once.
const LIST_PAGE: usize = 100;
const COLUMN_PAGE: usize = 15;

/// The words every row repeats, looked up once per render rather than once per row (the
/// interpolating `t!` builds a reactive view per call, which dominated the board's render time).
/// The combinations ("Mål 4", "Klart senast 2026-05-01") read the same way in both languages.
struct RowWords {
    goal: &'static str,
    due: &'static str,
    not_synced: &'static str,
    more: &'static str,
    change_status: &'static str,
}

impl RowWords {
    fn new(i18n: leptos_i18n::I18nContext<Locale>) -> RowWords {
        RowWords {
            goal: t_string!(i18n, goal_word),
            due: t_string!(i18n, due_label),
            not_synced: t_string!(i18n, not_synced_badge),
            more: t_string!(i18n, show_more),
            change_status: t_string!(i18n, change_status),
        }
    }
}

/// The matches as rows: title, goal, status, owner, due date; the first `limit`.
fn list_view(matches: &[Match<'_>], plan: &PlanView, limit: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let words = RowWords::new(i18n);
    let pending = use_sync().pending_ids();
    let shown = limit.get_untracked().min(matches.len());
    let rest = matches.len() - shown;
    view! {
        <ul class="activity-rows" role="list">
            {matches[..shown].iter().map(|m| {
                let a = m.activity;
                let owner = a.fields.owner_person_id.and_then(|o| plan.name_of(o)).map(str::to_string);
                let due = a.fields.due_on.map(|d| format!("{} {d}", words.due));
                let status = a.fields.status;
                view! {
                    <li class="card activity-row">
                        <a href=paths::activity(a.id) class="activity-title">{a.fields.title.clone()}</a>
                        <div class="activity-meta">
                            <span>{format!("{} {}", words.goal, m.goal_number)}</span>
                            <span class=format!("badge status-{}", status.as_str())>{status_label(i18n, status)}</span>
                            {owner.map(|o| view! { <span>{o}</span> })}
                            {due.map(|d| view! { <span>{d}</span> })}
                            {pending.contains(&a.id).then(|| view! { <span class="badge pending-badge">{words.not_synced}</span> })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
        {(rest > 0).then(|| view! {
            <button type="button" class="show-more" on:click=move |_| limit.update(|l| *l += LIST_PAGE)>
                {format!("{} ({rest})", words.more)}
            </button>
        })}
    }
}

/// Columns by status. Cards can be dragged between columns with a mouse; every card also has a
/// status menu, which is how phones, keyboards and screen readers move them.
fn board_view(
    matches: &[Match<'_>],
    plan: &PlanView,
    can_edit: bool,
    expanded: RwSignal<[bool; 4]>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let words = RowWords::new(i18n);
    let open = expanded.get_untracked();
    let menu: MoveMenu<ActivityStatus> = RwSignal::new(None);
    // One drag listener for the whole board (a card says which it is in `data-id`), not one per card.
    let on_drag_start = |ev: leptos::ev::DragEvent| {
        let card = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|e| e.closest(".board-card").ok().flatten());
        if let (Some(card), Some(data)) = (card, ev.data_transfer()) {
            let _ = data.set_data("text/plain", &card.get_attribute("data-id").unwrap_or_default());
        }
    };
    view! {
        {move_dialog(menu, |i| t_string!(i, status), status_label, move |id, status| set_status(sync, id, status))}
        <div class="board" on:dragstart=on_drag_start>
            {ActivityStatus::ALL.iter().enumerate().map(|(column, &status)| {
                let cards: Vec<&Match> = matches.iter().filter(|m| m.activity.fields.status == status).collect();
                let heading_id = format!("column-{}", status.as_str());
                let labelled_by = heading_id.clone();
                let count = cards.len();
                let shown = if open[column] { count } else { count.min(COLUMN_PAGE) };
                let on_drop = move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    let id = ev.data_transfer().and_then(|d| d.get_data("text/plain").ok()).and_then(|s: String| Uuid::parse_str(&s).ok());
                    if let (Some(id), true) = (id, can_edit) {
                        spawn_local(set_status(sync, id, status));
                    }
                };
                view! {
                    <section class="column" aria-labelledby=labelled_by data-status=status.as_str()
                        on:dragover=move |ev: leptos::ev::DragEvent| if can_edit { ev.prevent_default() }
                        on:drop=on_drop>
                        <h2 id=heading_id>{format!("{} ({count})", status_label(i18n, status))}</h2>
                        <ul role="list">
                            {cards[..shown].iter().map(|m| board_card(m, plan, can_edit, &words, menu)).collect_view()}
                        </ul>
                        {(shown < count).then(|| view! {
                            <button type="button" class="show-more" on:click=move |_| expanded.update(|e| e[column] = true)>
                                {format!("{} ({})", words.more, count - shown)}
                            </button>
                        })}
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

fn board_card(
    m: &Match<'_>,
    plan: &PlanView,
    can_edit: bool,
    words: &RowWords,
    menu: MoveMenu<ActivityStatus>,
) -> impl IntoView {
    let a = m.activity;
    let id = a.id;
    focus_if_moved_here(id, a.fields.status);
    let current = a.fields.status;
    // One line of text, not an element per fact: the board renders a hundred of these at once.
    let mut meta = format!("{} {}", words.goal, m.goal_number);
    if let Some(owner) = a.fields.owner_person_id.and_then(|o| plan.name_of(o)) {
        meta.push_str(" · ");
        meta.push_str(owner);
    }
    if let Some(d) = a.fields.due_on {
        meta.push_str(&format!(" · {} {d}", words.due));
    }
    view! {
        <li class="card board-card" draggable=can_edit.to_string() data-id=id.to_string()>
            <a href=paths::activity(id) class="activity-title">{a.fields.title.clone()}</a>
            <span class="activity-meta">{meta}</span>
            {can_edit.then(|| move_button(id, a.fields.title.clone(), current, menu, words.change_status))}
        </li>
    }
}

/// Moves a card: an edit of the activity as the board shows it now. The returned future ends
/// once the edit is on the device (and the board redrawn with it).
fn set_status(sync: SyncEngine, id: Uuid, status: ActivityStatus) -> impl std::future::Future<Output = ()> {
    let values = sync.view.with_untracked(|v| v.get(&id).and_then(Activity::from_record));
    let base_rev = sync.base_rev(id);
    async move {
        let Some(values) = values else { return };
        let base = Base { rev: base_rev, values };
        let draft = Activity { status, ..base.values.clone() };
        let _ = sync.save(id, &base, &draft).await;
    }
}
