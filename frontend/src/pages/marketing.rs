//! Goal 5's marketing: `/marknadsforing` — the week (ISO weeks, Monday first; `?vecka=2026-W49`),
//! the month as an agenda by week (`?vy=manad&manad=2026-12`), and the communication plan's
//! follow-up (`?vy=uppfoljning&ar=2026`); a new item `/marknadsforing/ny` and an item's page
//! `/marknadsforing/:id`, offline like every form; and the week's question
//! `/marknadsforing/vecka/2026-W48`: what is planned, what went out last week, and what to
//! communicate, each suggestion one tap from a planned item.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use tavla_shared::date::Date;
use tavla_shared::kinds::{KindFields, MarketingItem};
use tavla_shared::marketing::{follow_up, in_week, placed_week, suggestions, Featured, Suggestion};
use tavla_shared::plan_view::{items, names, Item, PlanView};
use tavla_shared::protocol::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use tavla_shared::rules::{may_delete, may_edit};
use tavla_shared::values::{MarketingChannel, MarketingStatus};
use tavla_shared::weeks::{weeks_of_month, IsoWeek};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::check_list::{focus_area_options, goal_options, order_of, CheckList};
use crate::components::conflict_banner::ConflictBanner;
use crate::components::edit_form::{delete_record, edit_form, restore_record};
use crate::components::enum_select::EnumSelect;
use crate::components::export::ExportButton;
use crate::components::feedback::Feedback;
use crate::components::format::{day_label, today, week_span};
use crate::components::marketing_chart::FollowUpChart;
use crate::components::plan_loader::with_plan;
use crate::components::receipt::{use_receipt, ReceiptLine, Saved};
use crate::components::record_log::{Comments, History};
use crate::components::record_page::record_page;
use crate::components::{fill, options, tr, with_query};
use crate::i18n::*;
use crate::paths;
use crate::session::{random_uuid, use_session};
use crate::store::sync::{use_sync, SyncEngine};
use tavla_shared::export::Register;

/// A channel in words.
pub fn channel_label(i18n: I18nContext<Locale>, c: MarketingChannel) -> &'static str {
    match c {
        MarketingChannel::Web => t_string!(i18n, mchannel_web),
        MarketingChannel::Facebook => t_string!(i18n, mchannel_facebook),
        MarketingChannel::Instagram => t_string!(i18n, mchannel_instagram),
        MarketingChannel::Linkedin => t_string!(i18n, mchannel_linkedin),
        MarketingChannel::Newsletter => t_string!(i18n, mchannel_newsletter),
        MarketingChannel::Press => t_string!(i18n, mchannel_press),
        MarketingChannel::Event => t_string!(i18n, mchannel_event),
        MarketingChannel::Print => t_string!(i18n, mchannel_print),
        MarketingChannel::Other => t_string!(i18n, mchannel_other),
    }
}

/// A status in words.
pub fn status_label(i18n: I18nContext<Locale>, s: MarketingStatus) -> &'static str {
    match s {
        MarketingStatus::Idea => t_string!(i18n, mstatus_idea),
        MarketingStatus::Planned => t_string!(i18n, mstatus_planned),
        MarketingStatus::InProgress => t_string!(i18n, mstatus_in_progress),
        MarketingStatus::Published => t_string!(i18n, mstatus_published),
    }
}

/// "Vecka 48" / "Week 48".
pub fn week_name(i18n: I18nContext<Locale>, w: IsoWeek) -> String {
    fill(t_string!(i18n, week_number), &[("week", w.week.to_string())])
}

fn live_items(sync: SyncEngine) -> Memo<Vec<Item<MarketingItem>>> {
    Memo::new(move |_| sync.view.with(|v| items::<MarketingItem>(v.values())))
}

fn can_edit() -> bool {
    use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::MarketingItem)))
}

/// One item as a card: title, channel, status, owner, its day.
fn item_card(i18n: I18nContext<Locale>, item: &Item<MarketingItem>, plan: &PlanView) -> impl IntoView {
    let (channel, status) = (item.fields.channel, item.fields.status);
    let owner = item.fields.owner_person_id.and_then(|p| plan.name_of(p)).map(str::to_string);
    let when = item.fields.publish_on.map(|d| d.to_string());
    view! {
        <li class="card activity-row marketing-card">
            <a href=paths::marketing_item(item.id) class="activity-title">{item.fields.title.clone()}</a>
            <div class="activity-meta">
                <span class=format!("badge mstatus-{}", status.as_str())>{move || status_label(i18n, status)}</span>
                <span>{move || channel_label(i18n, channel)}</span>
                {when.map(|w| view! { <time>{w}</time> })}
                {owner.map(|o| view! { <span>{o}</span> })}
            </div>
        </li>
    }
}

const VIEW_KEY: &str = "vy";
const MONTH: &str = "manad";
const FOLLOW_UP: &str = "uppfoljning";
const WEEK_KEY: &str = "vecka";
const MONTH_KEY: &str = "manad";
const YEAR_KEY: &str = "ar";

/// `/marknadsforing`.
#[component]
pub fn MarketingPage() -> impl IntoView {
    let receipt = use_receipt();
    on_cleanup(move || receipt.clear());
    with_plan(move |plan: PlanView| view! { <Marketing plan /> }.into_any())
}

#[component]
fn Marketing(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let navigate = use_navigate();
    let today = today();
    let this_week = IsoWeek::of(today);
    let view_kind = Memo::new(move |_| query.with(|q| q.get(VIEW_KEY).unwrap_or_default()));
    let week = Memo::new(move |_| {
        query.with(|q| q.get(WEEK_KEY).and_then(|w| IsoWeek::parse(&w.to_uppercase()))).unwrap_or(this_week)
    });
    let month = Memo::new(move |_| {
        query
            .with(|q| q.get(MONTH_KEY))
            .and_then(|m| {
                let (y, mo) = m.split_once('-')?;
                Some((y.parse::<i32>().ok()?, mo.parse::<u32>().ok().filter(|m| (1..=12).contains(m))?))
            })
            .unwrap_or_else(|| {
                use chrono::Datelike;
                (today.0.year(), today.0.month())
            })
    });
    let year = Memo::new(move |_| {
        query.with(|q| q.get(YEAR_KEY).and_then(|y| y.parse::<i32>().ok())).unwrap_or_else(|| {
            use chrono::Datelike;
            today.0.year()
        })
    });
    let go = move |pairs: Vec<(&'static str, String)>| {
        navigate(
            &with_query(paths::MARKETING, &pairs),
            NavigateOptions { replace: true, scroll: false, ..Default::default() },
        );
    };
    let all = live_items(sync);
    let plan = StoredValue::new(plan);
    let can_add = can_edit();
    let body = {
        let go = go.clone();
        move || match view_kind.get().as_str() {
            MONTH => {
                let (y, m) = month.get();
                let go = go.clone();
                let step = move |back: bool| {
                    let (ny, nm) = match (back, m) {
                        (true, 1) => (y.saturating_sub(1), 12),
                        (true, _) => (y, m - 1),
                        (false, 12) => (y.saturating_add(1), 1),
                        (false, _) => (y, m + 1),
                    };
                    go(vec![(VIEW_KEY, MONTH.to_string()), (MONTH_KEY, format!("{ny:04}-{nm:02}"))]);
                };
                let names = crate::components::format::month_names(i18n.get_locale_untracked());
                let label = format!("{} {y}", names[m as usize - 1]);
                let weeks = weeks_of_month(y, m);
                view! {
                    <div class="period-nav">
                        <button type="button" on:click={let step = step.clone(); move |_| step(true)} aria-label=move || t_string!(i18n, previous_month)>"←"</button>
                        <h2>{label}</h2>
                        <button type="button" on:click=move |_| step(false) aria-label=move || t_string!(i18n, next_month)>"→"</button>
                    </div>
                    {weeks.into_iter().map(|w| {
                        let heading_id = format!("w-{w}");
                        let labelled = heading_id.clone();
                        all.with(|a| plan.with_value(|p| {
                            // A dated item in a week split between two months shows in its own
                            // month; an item of the whole week in both.
                            let list: Vec<_> = in_week(a, w)
                                .into_iter()
                                .filter(|i| i.fields.publish_on.is_none_or(|d| {
                                    use chrono::Datelike;
                                    d.0.month() == m
                                }))
                                .collect();
                            view! {
                                <section class="week-row" aria-labelledby=labelled>
                                    <h3 id=heading_id><a href=with_query(paths::MARKETING, &[(WEEK_KEY, w.to_string())])>{week_name(i18n, w)}</a>
                                        " " <span class="muted">{week_span(i18n.get_locale_untracked(), w)}</span></h3>
                                    {if list.is_empty() {
                                        view! { <p class="muted">{tr(i18n, |i| t_string!(i, nothing_this_week))}</p> }.into_any()
                                    } else {
                                        view! { <ul class="activity-rows" role="list">{list.into_iter().map(|i| item_card(i18n, i, p)).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                            }
                        }))
                    }).collect_view()}
                }
                .into_any()
            }
            FOLLOW_UP => {
                let y = year.get();
                let go = go.clone();
                let counts = sync.view.with(|v| follow_up(v.values(), y));
                view! {
                    <div class="period-nav">
                        <button type="button" on:click={let go = go.clone(); move |_| go(vec![(VIEW_KEY, FOLLOW_UP.to_string()), (YEAR_KEY, y.saturating_sub(1).to_string())])}
                            aria-label=move || t_string!(i18n, previous_year)>"←"</button>
                        <h2>{y.to_string()}</h2>
                        <button type="button" on:click=move |_| go(vec![(VIEW_KEY, FOLLOW_UP.to_string()), (YEAR_KEY, y.saturating_add(1).to_string())])
                            aria-label=move || t_string!(i18n, next_year)>"→"</button>
                    </div>
                    {plan.with_value(|p| view! { <FollowUpChart counts plan=p.clone() /> })}
                }
                .into_any()
            }
            _ => {
                let w = week.get();
                let go = go.clone();
                all.with(|a| plan.with_value(|p| week_view(i18n, w, a, p, go, can_add))).into_any()
            }
        }
    };
    let switch = {
        let go = go.clone();
        move |target: &'static str| {
            let go = go.clone();
            move |_| match target {
                MONTH => go(vec![(VIEW_KEY, MONTH.to_string())]),
                FOLLOW_UP => go(vec![(VIEW_KEY, FOLLOW_UP.to_string())]),
                _ => go(vec![]),
            }
        }
    };
    view! {
        <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, marketing_heading))}</h1>
        <p class="export-actions"><ExportButton register=Register::Marketing /></p>
        <ReceiptLine />
        <p class="actions-row">
            <a href=paths::week_question(this_week) class="button-link">{tr(i18n, |i| t_string!(i, week_question_link))}</a>
            {can_add.then(|| view! { <a href=move || with_query(paths::NEW_MARKETING, &[(WEEK_KEY, week.get().to_string())]) class="button-link secondary">{tr(i18n, |i| t_string!(i, new_marketing_item))}</a> })}
        </p>
        <div class="view-switch" role="group" aria-label=move || t_string!(i18n, view_switch_label)>
            <button type="button" aria-pressed=move || (view_kind.get() != MONTH && view_kind.get() != FOLLOW_UP).to_string() on:click=switch("")>{tr(i18n, |i| t_string!(i, view_week))}</button>
            <button type="button" aria-pressed=move || (view_kind.get() == MONTH).to_string() on:click=switch(MONTH)>{tr(i18n, |i| t_string!(i, view_month))}</button>
            <button type="button" aria-pressed=move || (view_kind.get() == FOLLOW_UP).to_string() on:click=switch(FOLLOW_UP)>{tr(i18n, |i| t_string!(i, view_follow_up))}</button>
        </div>
        {body}
    }
}

/// The week: its days (Monday first) with the items published on them, then the items placed
/// by the week alone. An agenda, so it reads the same on a phone.
fn week_view(
    i18n: I18nContext<Locale>,
    w: IsoWeek,
    all: &[Item<MarketingItem>],
    plan: &PlanView,
    go: impl Fn(Vec<(&'static str, String)>) + Clone + 'static,
    can_add: bool,
) -> impl IntoView {
    let list = in_week(all, w);
    let locale = i18n.get_locale_untracked();
    let days = w.days().into_iter().filter_map(|d| {
        let on: Vec<&&Item<MarketingItem>> = list.iter().filter(|i| i.fields.publish_on == Some(d)).collect();
        (!on.is_empty()).then(|| view! {
            <section class="day-group">
                <h3>{day_label(locale, d)}</h3>
                <ul class="activity-rows" role="list">{on.into_iter().map(|i| item_card(i18n, i, plan)).collect_view()}</ul>
            </section>
        })
    }).collect_view();
    let loose: Vec<&&Item<MarketingItem>> = list.iter().filter(|i| i.fields.publish_on.is_none()).collect();
    let empty = list.is_empty();
    let (prev, next) = (w.previous(), w.next());
    let go_prev = go.clone();
    view! {
        <div class="period-nav">
            <button type="button" on:click=move |_| go_prev(vec![(WEEK_KEY, prev.to_string())]) aria-label=move || t_string!(i18n, previous_week)>"←"</button>
            <h2>{week_name(i18n, w)} " " <span class="muted">{week_span(locale, w)}</span></h2>
            <button type="button" on:click=move |_| go(vec![(WEEK_KEY, next.to_string())]) aria-label=move || t_string!(i18n, next_week)>"→"</button>
        </div>
        {days}
        {(!loose.is_empty()).then(|| view! {
            <section class="day-group">
                <h3>{tr(i18n, |i| t_string!(i, whole_week))}</h3>
                <ul class="activity-rows" role="list">{loose.into_iter().map(|i| item_card(i18n, i, plan)).collect_view()}</ul>
            </section>
        })}
        {empty.then(|| view! {
            <p class="muted">{tr(i18n, |i| t_string!(i, nothing_this_week))}
                {can_add.then(|| view! { " " <a href=paths::week_question(w)>{tr(i18n, |i| t_string!(i, week_question_link))}</a> })}
            </p>
        })}
    }
}

/// `/marknadsforing/ny` (`?vecka=` places it).
#[component]
pub fn NewMarketingPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let week = query.with_untracked(|q| q.get(WEEK_KEY).and_then(|w| IsoWeek::parse(&w.to_uppercase())));
    move || {
        if !sync.loaded.get() {
            return view! { <p class="loading" role="status">{tr(i18n, |i| t_string!(i, loading))}</p> }
                .into_any();
        }
        let plan = sync.view.with_untracked(|v| PlanView::from_records(v.values()));
        let me = use_session().0.with_untracked(|s| s.as_ref().and_then(|s| s.user.person_id));
        let fresh = tavla_shared::marketing::planned(
            String::new(),
            MarketingChannel::Facebook,
            week.unwrap_or_else(|| IsoWeek::of(today())),
            me,
        );
        view! { <ItemForm id=random_uuid() opened=fresh is_new=true plan /> }.into_any()
    }
}

/// `/marknadsforing/:id`.
#[component]
pub fn MarketingItemPage() -> impl IntoView {
    record_page(
        Kind::MarketingItem,
        (paths::MARKETING, |i| t_string!(i, back_to_marketing)),
        |i| t_string!(i, marketing_not_found),
        |id| {
            let sync = use_sync();
            let (opened, plan) = sync.view.with_untracked(|v| {
                (v.get(&id).and_then(MarketingItem::from_record), PlanView::from_records(v.values()))
            });
            match opened {
                Some(opened) => view! { <ItemForm id opened is_new=false plan /> }.into_any(),
                None => view! { <h1>{tr(use_i18n(), |i| t_string!(i, marketing_not_found))}</h1> }.into_any(),
            }
        },
    )
}

#[component]
fn ItemForm(id: Uuid, opened: MarketingItem, is_new: bool, plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let receipt = use_receipt();
    let editable = can_edit();
    let staff = use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_delete(s.user.role)));
    let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    let title = RwSignal::new(String::new());
    let channel = RwSignal::new(opened.channel);
    let status = RwSignal::new(opened.status);
    let publish_on = RwSignal::new(String::new());
    let week = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let goals = RwSignal::new(Vec::new());
    let focus = RwSignal::new(Vec::new());
    let good_example = RwSignal::new(false);
    let person = RwSignal::new(String::new());
    let event = RwSignal::new(String::new());
    let idea = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let drawn = StoredValue::new(opened.clone());
    let show = move |m: &MarketingItem| {
        drawn.set_value(m.clone());
        title.set(m.title.clone());
        channel.set(m.channel);
        status.set(m.status);
        publish_on.set(m.publish_on.map(|d| d.to_string()).unwrap_or_default());
        week.set(m.week.clone().unwrap_or_default());
        owner.set(opt(m.owner_person_id));
        goals.set(m.strategic_goal_ids.clone());
        focus.set(m.focus_area_ids.clone());
        good_example.set(m.good_example);
        person.set(opt(m.featured_person_id));
        event.set(opt(m.featured_event_id));
        idea.set(opt(m.featured_idea_id));
        link.set(m.link.clone().unwrap_or_default());
        notes.set(m.notes.clone().unwrap_or_default());
    };
    show(&opened);
    let goals_offered = goal_options(&plan);
    let focus_offered = focus_area_options(&plan);
    let goal_order = StoredValue::new((order_of(&goals_offered), order_of(&focus_offered)));
    let draft = move || {
        let before = drawn.get_value();
        // What was typed, trimmed; a stored value that differs only by spaces stays as stored,
        // so opening a record written elsewhere is not a change nobody made.
        let text = |s: RwSignal<String>, was: &Option<String>| {
            let typed = s.get_untracked().trim().to_string();
            match was {
                Some(w) if w.trim() == typed => Some(w.clone()),
                _ => Some(typed).filter(|t| !t.is_empty()),
            }
        };
        let id_of = |s: RwSignal<String>| Uuid::parse_str(&s.get_untracked()).ok();
        MarketingItem {
            title: text(title, &Some(before.title.clone())).unwrap_or_default(),
            channel: channel.get_untracked(),
            status: status.get_untracked(),
            publish_on: Date::parse(&publish_on.get_untracked()),
            week: text(week, &before.week).map(|w| w.to_uppercase()),
            owner_person_id: id_of(owner),
            strategic_goal_ids: tavla_shared::people::in_order(
                &before.strategic_goal_ids,
                &goals.get_untracked(),
                &goal_order.get_value().0,
            ),
            focus_area_ids: tavla_shared::people::in_order(
                &before.focus_area_ids,
                &focus.get_untracked(),
                &goal_order.get_value().1,
            ),
            good_example: good_example.get_untracked(),
            featured_person_id: id_of(person),
            featured_event_id: id_of(event),
            featured_idea_id: id_of(idea),
            link: text(link, &before.link),
            notes: text(notes, &before.notes),
        }
    };
    let message = Feedback::new();
    let form = edit_form(id, opened.clone(), draft, show, t_string!(i18n, unsaved_leave));
    let stale = form.stale;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = draft();
        if typed.title.is_empty() {
            message.error(t_string!(i18n, marketing_title_missing));
            return;
        }
        if typed.week.as_deref().is_some_and(|w| IsoWeek::parse(w).is_none()) {
            message.error(t_string!(i18n, week_invalid));
            return;
        }
        if !is_new {
            form.submit(id, typed, message, i18n);
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync.create(id, &typed).await {
                Ok(mutation_id) => {
                    form.saved(&drawn.get_value(), &typed);
                    let back = placed_week(&typed).map_or(paths::MARKETING.to_string(), |w| {
                        with_query(paths::MARKETING, &[(WEEK_KEY, w.to_string())])
                    });
                    receipt.show(Saved { mutation_id, title: typed.title.clone(), place: None });
                    navigate(&back, Default::default());
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    let delete = move |_| delete_record(sync, Kind::MarketingItem, id, t_string!(i18n, delete_confirm));
    let restore = move |_| restore_record(sync, Kind::MarketingItem, id);
    let deleted = Memo::new(move |_| sync.view.with(|v| v.get(&id).is_some_and(|r| r.deleted)));
    let disabled = !editable;
    let as_choices =
        |list: Vec<(Uuid, String)>| list.into_iter().map(|(id, n)| (id.to_string(), n)).collect::<Vec<_>>();
    let (people, events, ideas) = sync.view.with_untracked(|v| {
        let events: Vec<(Uuid, String)> = items::<tavla_shared::kinds::Event>(v.values())
            .into_iter()
            .map(|e| (e.id, format!("{} {}", e.fields.date, e.fields.title)))
            .collect();
        (
            names(v.values(), Kind::Person),
            events,
            crate::pages::ideas::live_ideas(v.values())
                .into_iter()
                .map(|i| (i.id, i.fields.title))
                .collect::<Vec<_>>(),
        )
    });
    let (people, events, ideas) = (as_choices(people), as_choices(events), as_choices(ideas));
    let owners = people.clone();
    view! {
        <p class="back"><a href=paths::MARKETING>"← " {tr(i18n, |i| t_string!(i, back_to_marketing))}</a></p>
        <h1>{if is_new { tr(i18n, |i| t_string!(i, new_marketing_item)).into_any() } else { (move || title.get()).into_any() }}</h1>
        {(!is_new).then(|| view! { <ConflictBanner target_id=id /> })}
        <Show when=move || deleted.get()>
            <div class="card deleted-box" role="status">
                <p>{tr(i18n, |i| t_string!(i, deleted_notice))}</p>
                {staff.then(|| view! { <button type="button" on:click=restore>{tr(i18n, |i| t_string!(i, restore))}</button> })}
            </div>
        </Show>
        <form class="card form capture-form marketing-form" on:submit=on_submit>
            <label for="marketing-title">{tr(i18n, |i| t_string!(i, marketing_title))}</label>
            <input id="marketing-title" type="text" required maxlength=SHORT_TEXT_MAX prop:disabled=disabled autocomplete="off"
                prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
            <div class="two-fields">
                <div>
                    <label for="marketing-channel">{tr(i18n, |i| t_string!(i, dialogue_channel))}</label>
                    <EnumSelect id="marketing-channel" value=channel label=channel_label disabled=disabled />
                </div>
                <div>
                    <label for="marketing-status">{tr(i18n, |i| t_string!(i, filter_status))}</label>
                    <EnumSelect id="marketing-status" value=status label=status_label disabled=disabled />
                </div>
            </div>
            <div class="two-fields">
                <div>
                    <label for="marketing-week">{tr(i18n, |i| t_string!(i, marketing_week))}</label>
                    <input id="marketing-week" type="text" inputmode="text" placeholder="2026-W49"
                        maxlength="8" prop:disabled=disabled aria-describedby="marketing-week-hint"
                        prop:value=move || week.get() on:input=move |ev| week.set(event_target_value(&ev)) />
                </div>
                <div>
                    <label for="marketing-publish">{tr(i18n, |i| t_string!(i, marketing_publish_on))}</label>
                    <input id="marketing-publish" type="date" prop:disabled=disabled
                        prop:value=move || publish_on.get() on:input=move |ev| publish_on.set(event_target_value(&ev)) />
                </div>
            </div>
            <p id="marketing-week-hint" class="muted">{tr(i18n, |i| t_string!(i, marketing_week_hint))}</p>
            <label for="marketing-owner">{tr(i18n, |i| t_string!(i, next_step_owner))}</label>
            <select id="marketing-owner" prop:disabled=disabled on:change=move |ev| owner.set(event_target_value(&ev))>
                <option value="" selected=move || owner.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                {options(owners, owner)}
            </select>
            <details class="more-fields" prop:open=!is_new>
                <summary>{tr(i18n, |i| t_string!(i, marketing_more))}</summary>
                <CheckList legend=t_string!(i18n, dialogue_goals) prefix="marketing-goal" options=goals_offered chosen=goals enabled=editable />
                <CheckList legend=t_string!(i18n, focus_areas) prefix="marketing-focus" options=focus_offered chosen=focus enabled=editable />
                <label for="marketing-event">{tr(i18n, |i| t_string!(i, featured_event))}</label>
                <select id="marketing-event" prop:disabled=disabled on:change=move |ev| event.set(event_target_value(&ev))>
                    <option value="" selected=move || event.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                    {options(events, event)}
                </select>
                <label for="marketing-idea">{tr(i18n, |i| t_string!(i, featured_idea))}</label>
                <select id="marketing-idea" prop:disabled=disabled on:change=move |ev| idea.set(event_target_value(&ev))>
                    <option value="" selected=move || idea.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                    {options(ideas, idea)}
                </select>
                <label for="marketing-person">{tr(i18n, |i| t_string!(i, featured_person))}</label>
                <select id="marketing-person" prop:disabled=disabled on:change=move |ev| person.set(event_target_value(&ev))>
                    <option value="" selected=move || person.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                    {options(people, person)}
                </select>
                <div class="check">
                    <input id="marketing-good-example" type="checkbox" prop:disabled=disabled prop:checked=move || good_example.get()
                        on:change=move |ev| good_example.set(event_target_checked(&ev)) />
                    <label for="marketing-good-example">{tr(i18n, |i| t_string!(i, marketing_good_example))}</label>
                </div>
                <label for="marketing-link">{tr(i18n, |i| t_string!(i, marketing_link))}</label>
                <input id="marketing-link" type="url" maxlength=SHORT_TEXT_MAX prop:disabled=disabled
                    prop:value=move || link.get() on:input=move |ev| link.set(event_target_value(&ev)) />
                <label for="marketing-notes">{tr(i18n, |i| t_string!(i, notes))}</label>
                <textarea id="marketing-notes" rows="3" maxlength=LONG_TEXT_MAX prop:disabled=disabled
                    prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </details>
            <Show when=move || stale.get()>
                <p class="warning stale-form" role="status">{tr(i18n, |i| t_string!(i, changed_elsewhere))}</p>
            </Show>
            {message.view()}
            {editable.then(|| view! {
                <div class="actions">
                    <button type="submit" class="primary">{if is_new { tr(i18n, |i| t_string!(i, save_marketing_item)).into_any() } else { tr(i18n, |i| t_string!(i, save)).into_any() }}</button>
                    {(staff && !is_new).then(|| view! { <button type="button" class="danger" on:click=delete>{tr(i18n, |i| t_string!(i, delete))}</button> })}
                </div>
            })}
        </form>
        {(!is_new).then(|| view! { <Comments target_kind=Kind::MarketingItem target_id=id /> <History id /> })}
    }
}

/// `/marknadsforing/vecka/:week`: the standing point of every weekly meeting.
#[component]
pub fn WeekQuestionPage() -> impl IntoView {
    let receipt = use_receipt();
    on_cleanup(move || receipt.clear());
    with_plan(move |plan: PlanView| view! { <WeekQuestion plan /> }.into_any())
}

#[component]
fn WeekQuestion(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let params = use_params_map();
    let navigate = use_navigate();
    let receipt = use_receipt();
    let week = Memo::new(move |_| {
        params
            .with(|p| p.get("week").and_then(|w| IsoWeek::parse(&w.to_uppercase())))
            .unwrap_or_else(|| IsoWeek::of(today()))
    });
    let all = live_items(sync);
    let found = Memo::new(move |_| sync.view.with(|v| suggestions(v.values(), week.get())));
    let plan = StoredValue::new(plan);
    let editable = can_edit();
    let me = use_session().0.with_untracked(|s| s.as_ref().and_then(|s| s.user.person_id));
    // Suggestions being saved: their buttons wait, so a second tap makes no second item.
    let pending: RwSignal<Vec<Featured>> = RwSignal::new(Vec::new());
    let message = Feedback::new();
    let plan_it = move |s: Suggestion| {
        if pending.with_untracked(|p| p.contains(&s.featured)) {
            return;
        }
        pending.update(|p| p.push(s.featured));
        let item = s.to_item(week.get_untracked(), me, MarketingChannel::Facebook);
        spawn_local(async move {
            match sync.create(random_uuid(), &item).await {
                Ok(mutation_id) => {
                    receipt.show(Saved { mutation_id, title: item.title.clone(), place: None });
                    crate::components::focus_id("planned-heading");
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
            pending.update(|p| p.retain(|f| *f != s.featured));
        });
    };
    let go = move |w: IsoWeek| {
        navigate(&paths::week_question(w), NavigateOptions { scroll: false, ..Default::default() })
    };
    let go_prev = go.clone();
    let planned = move || {
        let w = week.get();
        all.with(|a| plan.with_value(|p| {
            let list = in_week(a, w);
            if list.is_empty() {
                view! { <p class="muted">{tr(i18n, |i| t_string!(i, nothing_this_week))}</p> }.into_any()
            } else {
                view! { <ul class="activity-rows" role="list">{list.into_iter().map(|i| item_card(i18n, i, p)).collect_view()}</ul> }.into_any()
            }
        }))
    };
    let published = move || {
        let w = week.get().previous();
        all.with(|a| plan.with_value(|p| {
            let list: Vec<&Item<MarketingItem>> =
                in_week(a, w).into_iter().filter(|i| i.fields.status == MarketingStatus::Published).collect();
            if list.is_empty() {
                view! { <p class="muted">{tr(i18n, |i| t_string!(i, nothing_published))}</p> }.into_any()
            } else {
                view! { <ul class="activity-rows" role="list">{list.into_iter().map(|i| item_card(i18n, i, p)).collect_view()}</ul> }.into_any()
            }
        }))
    };
    let suggested = move || {
        let list = found.get();
        if list.is_empty() {
            return view! { <p class="muted">{tr(i18n, |i| t_string!(i, no_suggestions))}</p> }.into_any();
        }
        view! {
            <ul class="activity-rows suggestions" role="list">
                {list.into_iter().map(|s| {
                    let what = match s.featured {
                        Featured::Event(_) => t_string!(i18n, suggestion_event),
                        Featured::Idea(_) => t_string!(i18n, suggestion_grant),
                        Featured::Person(_) => t_string!(i18n, suggestion_good_example),
                    };
                    let href = match s.featured {
                        Featured::Event(id) => paths::event(id),
                        Featured::Idea(id) => paths::idea(id),
                        Featured::Person(id) => paths::person(id),
                    };
                    let label = fill(t_string!(i18n, plan_suggestion_label), &[("title", s.title.clone())]);
                    let date = s.date.map(|d| d.to_string());
                    let chosen = s.clone();
                    view! {
                        <li class="card activity-row">
                            <a href=href class="activity-title">{s.title.clone()}</a>
                            <div class="activity-meta"><span class="badge">{what}</span>{date.map(|d| view! { <time>{d}</time> })}</div>
                            {editable.then(|| view! {
                                <button type="button" aria-label=label prop:disabled=move || pending.with(|p| p.contains(&chosen.featured))
                                    on:click={let chosen = chosen.clone(); move |_| plan_it(chosen.clone())}>{tr(i18n, |i| t_string!(i, plan_suggestion))}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <p class="back"><a href=paths::MARKETING>"← " {tr(i18n, |i| t_string!(i, back_to_marketing))}</a></p>
        <h1>{move || fill(t_string!(i18n, week_question_heading), &[("week", week.get().week.to_string())])}</h1>
        <p class="lead">{tr(i18n, |i| t_string!(i, week_question_lead))}</p>
        <div class="period-nav">
            <button type="button" on:click=move |_| go_prev(week.get_untracked().previous()) aria-label=move || t_string!(i18n, previous_week)>"←"</button>
            <p>{move || week_span(i18n.get_locale_untracked(), week.get())}</p>
            <button type="button" on:click=move |_| go(week.get_untracked().next()) aria-label=move || t_string!(i18n, next_week)>"→"</button>
        </div>
        <ReceiptLine />
        <section class="card" aria-labelledby="planned-heading">
            <h2 id="planned-heading" tabindex="-1">{tr(i18n, |i| t_string!(i, planned_this_week))}</h2>
            {planned}
        </section>
        <section class="card" aria-labelledby="suggestions-heading">
            <h2 id="suggestions-heading">{tr(i18n, |i| t_string!(i, suggestions_heading))}</h2>
            {message.view()}
            {suggested}
        </section>
        <section class="card" aria-labelledby="published-heading">
            <h2 id="published-heading">{tr(i18n, |i| t_string!(i, published_last_week))}</h2>
            {published}
        </section>
    }
}
