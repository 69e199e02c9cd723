//! `/kalender`: every date in one place — activities' due days, events, marketing items,
//! dialogues' and ideas' next steps — as a month (`?vy=manad`, the default), a week
//! (`?vy=vecka`) or an agenda of the coming eight weeks (`?vy=agenda`), from the day in
//! `?fran=`, filtered by `?kommun=<id>` and `?mal=<goal number>`. ISO week numbers throughout;
//! it reads the device's copy, so it works offline.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use tavla_shared::calendar::{entries, Entry, Filter};
use tavla_shared::date::Date;
use tavla_shared::plan_view::PlanView;
use tavla_shared::weeks::{weeks_of_month, IsoWeek};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::format::{day_label, month_names, today, week_span};
use crate::components::plan_loader::with_plan;
use crate::components::{options, tr, with_query};
use crate::i18n::*;
use crate::pages::marketing::week_name;
use crate::paths;
use crate::store::sync::use_sync;

const VIEW_KEY: &str = "vy";
const WEEK: &str = "vecka";
const AGENDA: &str = "agenda";
const FROM_KEY: &str = "fran";
const MUNICIPALITY_KEY: &str = "kommun";
const GOAL_KEY: &str = "mal";
/// Weeks the agenda shows.
const AGENDA_WEEKS: usize = 8;

/// What an entry is, in words.
fn kind_label(i18n: I18nContext<Locale>, k: Kind) -> &'static str {
    match k {
        Kind::Activity => t_string!(i18n, cal_activity),
        Kind::Event => t_string!(i18n, cal_event),
        Kind::MarketingItem => t_string!(i18n, cal_marketing),
        Kind::Dialogue => t_string!(i18n, cal_dialogue),
        _ => t_string!(i18n, cal_idea),
    }
}

/// Where an entry links.
fn href(e: &Entry) -> String {
    match e.kind {
        Kind::Activity => paths::activity(e.id),
        Kind::Event => paths::event(e.id),
        Kind::MarketingItem => paths::marketing_item(e.id),
        Kind::Dialogue => paths::dialogue(e.id),
        _ => paths::idea(e.id),
    }
}

/// `/kalender`.
#[component]
pub fn CalendarPage() -> impl IntoView {
    with_plan(move |plan: PlanView| view! { <Calendar plan /> }.into_any())
}

#[component]
fn Calendar(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let navigate = use_navigate();
    let today = today();
    let get = move |k: &str| query.with(|q| q.get(k)).unwrap_or_default();
    let view_kind = Memo::new(move |_| get(VIEW_KEY));
    let from = Memo::new(move |_| Date::parse(&get(FROM_KEY)).unwrap_or(today));
    let municipality = Memo::new(move |_| Uuid::parse_str(&get(MUNICIPALITY_KEY)).ok());
    let goal_number = Memo::new(move |_| get(GOAL_KEY).parse::<i64>().ok());
    let plan = StoredValue::new(plan);
    let goal =
        Memo::new(move |_| goal_number.get().and_then(|n| plan.with_value(|p| p.goal(n).map(|g| g.goal.id))));
    // Every change of view, day or filter replaces the address, so a reload or a shared link
    // shows the same.
    let go = move |changes: Vec<(&'static str, String)>| {
        let mut pairs: Vec<(&'static str, String)> =
            [VIEW_KEY, FROM_KEY, MUNICIPALITY_KEY, GOAL_KEY].into_iter().map(|k| (k, get(k))).collect();
        for (k, v) in changes {
            if let Some(p) = pairs.iter_mut().find(|(key, _)| *key == k) {
                p.1 = v;
            }
        }
        pairs.retain(|(_, v)| !v.is_empty());
        navigate(
            &with_query(paths::CALENDAR, &pairs),
            NavigateOptions { replace: true, scroll: false, ..Default::default() },
        );
    };
    // The days shown: the month's weeks, one week, or the agenda's weeks.
    let span = Memo::new(move |_| {
        let f = from.get();
        match view_kind.get().as_str() {
            WEEK => vec![IsoWeek::of(f)],
            AGENDA => {
                let mut w = IsoWeek::of(f);
                (0..AGENDA_WEEKS)
                    .map(|_| {
                        let this = w;
                        w = w.next();
                        this
                    })
                    .collect()
            }
            _ => weeks_of_month(f.0.year(), f.0.month()),
        }
    });
    let found = Memo::new(move |_| {
        let weeks = span.get();
        let (Some(first), Some(last)) = (weeks.first(), weeks.last()) else { return Vec::new() };
        let (mut start, mut end) = (first.monday(), last.sunday());
        // A month counts and shows its own days only.
        if view_kind.get() != WEEK && view_kind.get() != AGENDA {
            let f = from.get();
            if let Some(one) = Date::from_ymd(f.0.year(), f.0.month(), 1) {
                start = one;
                end = weeks_of_month(f.0.year(), f.0.month())
                    .iter()
                    .flat_map(|w| w.days())
                    .filter(|d| d.0.month() == f.0.month())
                    .max()
                    .unwrap_or(end);
            }
        }
        let filter = Filter { municipality: municipality.get(), goal: goal.get() };
        sync.view.with(|v| entries(v.values(), start, end, filter))
    });
    let step = {
        let go = go.clone();
        move |forward: bool| {
            let f = from.get_untracked();
            let next = match view_kind.get_untracked().as_str() {
                WEEK => {
                    if forward {
                        IsoWeek::of(f).next().monday()
                    } else {
                        IsoWeek::of(f).previous().monday()
                    }
                }
                AGENDA => {
                    let mut w = IsoWeek::of(f);
                    for _ in 0..AGENDA_WEEKS {
                        w = if forward { w.next() } else { w.previous() };
                    }
                    w.monday()
                }
                _ => {
                    let (y, m) = (f.0.year(), f.0.month());
                    let (y, m) = match (forward, m) {
                        (true, 12) => (y + 1, 1),
                        (true, _) => (y, m + 1),
                        (false, 1) => (y - 1, 12),
                        (false, _) => (y, m - 1),
                    };
                    Date::from_ymd(y, m, 1).unwrap_or(f)
                }
            };
            go(vec![(FROM_KEY, next.to_string())]);
        }
    };
    let title = move || {
        let f = from.get();
        let locale = i18n.get_locale();
        match view_kind.get().as_str() {
            WEEK => format!("{} · {}", week_name(i18n, IsoWeek::of(f)), week_span(locale, IsoWeek::of(f))),
            AGENDA => span.with(|s| match (s.first(), s.last()) {
                (Some(a), Some(b)) => format!("{} – {}", week_name(i18n, *a), week_name(i18n, *b)),
                _ => String::new(),
            }),
            _ => format!("{} {}", month_names(locale)[f.0.month0() as usize], f.0.year()),
        }
    };
    let body = move || {
        let month = (view_kind.get() != WEEK && view_kind.get() != AGENDA).then(|| from.get().0.month());
        let weeks = span.get();
        found.with(|list| weeks_view(i18n, &weeks, list, month, today))
    };
    let (municipalities, goals) = plan.with_value(|p| {
        (
            p.municipalities.iter().map(|m| (m.id.to_string(), m.fields.name.clone())).collect::<Vec<_>>(),
            p.goals
                .iter()
                .map(|g| {
                    (
                        g.goal.fields.number.to_string(),
                        format!("{} {}", g.goal.fields.number, g.goal.fields.title),
                    )
                })
                .collect::<Vec<_>>(),
        )
    });
    let chosen_municipality = RwSignal::new(get(MUNICIPALITY_KEY));
    let chosen_goal = RwSignal::new(get(GOAL_KEY));
    let view_button = {
        let go = go.clone();
        move |target: &'static str, label: fn(I18nContext<Locale>) -> &'static str| {
            let go = go.clone();
            let pressed = move || {
                (view_kind.get() == target
                    || (target.is_empty() && view_kind.get() != WEEK && view_kind.get() != AGENDA))
                    .to_string()
            };
            view! { <button type="button" aria-pressed=pressed on:click=move |_| go(vec![(VIEW_KEY, target.to_string())])>{tr(i18n, label)}</button> }
        }
    };
    let (go_m, go_g, step_back) = (go.clone(), go.clone(), step.clone());
    view! {
        <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, calendar_heading))}</h1>
        <div class="view-switch" role="group" aria-label=move || t_string!(i18n, view_switch_label)>
            {view_button("", |i| t_string!(i, view_month))}
            {view_button(WEEK, |i| t_string!(i, view_week))}
            {view_button(AGENDA, |i| t_string!(i, view_agenda))}
        </div>
        <form class="filters card" role="search" aria-label=move || t_string!(i18n, filters_label) on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <div class="filter">
                <label for="cal-municipality">{tr(i18n, |i| t_string!(i, filter_municipality))}</label>
                <select id="cal-municipality" on:change=move |ev| { let v = event_target_value(&ev); chosen_municipality.set(v.clone()); go_m(vec![(MUNICIPALITY_KEY, v)]); }>
                    <option value="" selected=move || chosen_municipality.get().is_empty()>{tr(i18n, |i| t_string!(i, filter_all))}</option>
                    {options(municipalities, chosen_municipality)}
                </select>
            </div>
            <div class="filter">
                <label for="cal-goal">{tr(i18n, |i| t_string!(i, filter_goal))}</label>
                <select id="cal-goal" on:change=move |ev| { let v = event_target_value(&ev); chosen_goal.set(v.clone()); go_g(vec![(GOAL_KEY, v)]); }>
                    <option value="" selected=move || chosen_goal.get().is_empty()>{tr(i18n, |i| t_string!(i, filter_all))}</option>
                    {options(goals, chosen_goal)}
                </select>
            </div>
        </form>
        <div class="period-nav">
            <button type="button" on:click=move |_| step_back(false) aria-label=move || t_string!(i18n, previous_period)>"←"</button>
            <h2 id="period-heading">{title}</h2>
            <button type="button" on:click=move |_| step(true) aria-label=move || t_string!(i18n, next_period)>"→"</button>
        </div>
        <p class="result-count" role="status" aria-live="polite">{move || found.with(|f| crate::components::fill(t_string!(i18n, calendar_count), &[("count", f.len().to_string())]))}</p>
        {body}
    }
}

/// The weeks, each with its ISO number and the days that have something (in a month view, the
/// days of the month only). A grid on a desk and a list on a phone, from the same markup.
fn weeks_view(
    i18n: I18nContext<Locale>,
    weeks: &[IsoWeek],
    list: &[Entry],
    month: Option<u32>,
    today: Date,
) -> impl IntoView {
    let locale = i18n.get_locale_untracked();
    weeks
        .iter()
        .map(|w| {
            let days = w
                .days()
                .into_iter()
                .map(|d| {
                    // A day of another month keeps its column in a month's grid, empty.
                    if month.is_some_and(|m| d.0.month() != m) {
                        return view! { <li class="cal-day outside" aria-hidden="true"></li> }.into_any();
                    }
                    let on: Vec<&Entry> = list.iter().filter(|e| e.date == d).collect();
                    let class = match (d == today, on.is_empty()) {
                        (true, _) => "cal-day today",
                        (false, true) => "cal-day empty",
                        _ => "cal-day",
                    };
                    let current = (d == today).then_some("date");
                    view! {
                        <li class=class aria-current=current>
                            <h4>{day_label(locale, d)}</h4>
                            {(!on.is_empty()).then(|| view! {
                                <ul role="list">
                                    {on.into_iter().map(|e| {
                                        let k = e.kind;
                                        let week_word = e.whole_week.then(|| t_string!(i18n, whole_week));
                                        view! {
                                            <li class=format!("cal-entry cal-{}", k.as_str())>
                                                <span class="badge">{move || kind_label(i18n, k)}</span>
                                                " " <a href=href(e)>{e.title.clone()}</a>
                                                {week_word.map(|w| view! { " " <span class="muted">{format!("({w})")}</span> })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            })}
                        </li>
                    }
                    .into_any()
                })
                .collect_view();
            let heading_id = format!("cal-{w}");
            let labelled = heading_id.clone();
            view! {
                <section class="cal-week" aria-labelledby=labelled>
                    <h3 id=heading_id>{week_name(i18n, *w)}</h3>
                    <ol class="cal-days" role="list">{days}</ol>
                </section>
            }
        })
        .collect_view()
}
