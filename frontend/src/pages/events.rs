//! Events: workshops, idéverkstäder, network meetings, training days and the preparedness
//! meeting. Board members add them from a phone, offline too; goal 3's tracker counts them at once.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use tavla_shared::board::workshop_activity;
use tavla_shared::date::Date;
use tavla_shared::edit::Base;
use tavla_shared::kinds::{Event, KindFields};
use tavla_shared::order::{day, sort_by_rank, Rank};
use tavla_shared::people::{in_order, lag_candidates};
use tavla_shared::plan_view::{Item, PlanView};
use tavla_shared::protocol::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use tavla_shared::rules::{may_delete, may_edit};
use tavla_shared::values::EventType;
use tavla_shared::wire::MutationOp;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::check_list::{focus_area_options, goal_options, order_of, CheckList};
use crate::components::conflict_banner::ConflictBanner;
use crate::components::enum_select::EnumSelect;
use crate::components::export::ExportButton;
use crate::components::feedback::Feedback;
use crate::components::format::today;
use crate::components::plan_loader::with_plan;
use crate::components::receipt::{use_receipt, ReceiptLine, Saved};
use crate::components::{options, tr, trn};
use crate::i18n::*;
use crate::paths;
use crate::session::{random_uuid, use_session};
use crate::store::sync::use_sync;
use tavla_shared::export::Register;

/// An event type in words, in the current language.
pub fn event_type_label(i18n: leptos_i18n::I18nContext<Locale>, t: EventType) -> &'static str {
    event_type_word(i18n.get_locale(), t)
}

/// An event type in words in `locale`.
fn event_type_word(locale: Locale, t: EventType) -> &'static str {
    match t {
        EventType::Workshop => td_string!(locale, event_workshop),
        EventType::IdeaWorkshop => td_string!(locale, event_idea_workshop),
        EventType::NetworkMeeting => td_string!(locale, event_network_meeting),
        EventType::PreparednessMeeting => td_string!(locale, event_preparedness_meeting),
        EventType::Training => td_string!(locale, event_training),
        EventType::Forum => td_string!(locale, event_forum),
        EventType::BoardMeeting => td_string!(locale, event_board_meeting),
        EventType::Other => td_string!(locale, event_other),
    }
}

/// The title a quick entry gets when none is typed: "Workshop – Flen".
fn auto_title(locale: Locale, t: EventType, place: Option<&str>) -> String {
    let word = event_type_word(locale, t);
    match place {
        Some(p) => format!("{word} – {p}"),
        None => word.to_string(),
    }
}

/// An event's title in the reader's language: a title made by [`auto_title`] in either
/// language ("Workshop – Flen", "Idéverkstad – Gnesta") is made again in the current one;
/// a typed title is shown as typed.
pub fn event_title(
    i18n: leptos_i18n::I18nContext<Locale>,
    e: &Event,
    plan: &PlanView,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let place = e.municipality_id.and_then(|m| plan.name_of(m)).map(str::to_string);
    let automatic =
        Locale::get_all().iter().any(|l| e.title == auto_title(*l, e.event_type, place.as_deref()));
    let (title, kind) = (e.title.clone(), e.event_type);
    move || if automatic { auto_title(i18n.get_locale(), kind, place.as_deref()) } else { title.clone() }
}

fn may_edit_events() -> bool {
    use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::Event)))
}

/// `/handelser`: coming events soonest first, then past ones newest first.
#[component]
pub fn EventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let can_add = may_edit_events();
    // The receipt of a new event is shown here once, and goes when the list is left.
    let receipt = use_receipt();
    on_cleanup(move || receipt.clear());
    with_plan(move |plan: PlanView| {
        let today = today();
        let mut events: Vec<Item<Event>> = sync.view.with_untracked(|v| {
            v.values()
                .filter(|r| !r.deleted)
                .filter_map(|r| Event::from_record(r).map(|e| Item { id: r.id, fields: e }))
                .collect()
        });
        sort_by_rank(&mut events, |e| Rank::num(day(Some(e.fields.date))).then_id(e.id));
        // An event dated today has been held (goal 3's tracker counts it too).
        let (past, coming): (Vec<_>, Vec<_>) = events.into_iter().partition(|e| e.fields.date <= today);
        let list = move |items: Vec<Item<Event>>, plan: &PlanView| {
            items.into_iter().map(|e| {
                    let place = e.fields.municipality_id.and_then(|m| plan.name_of(m)).map(str::to_string);
                    let title = event_title(i18n, &e.fields, plan);
                    let kind = e.fields.event_type;
                    let participants = e.fields.participants;
                    view! {
                        <li class="card event-row">
                            <a href=paths::event(e.id) class="activity-title">{title}</a>
                            <div class="activity-meta">
                                <time>{e.fields.date.to_string()}</time>
                                <span class="badge">{move || event_type_label(i18n, kind)}</span>
                                {place.map(|p| view! { <span>{p}</span> })}
                                {participants.map(|n| view! { <span>{trn(i18n, |i| t_string!(i, participants_count_single), |i| t_string!(i, participants_count), n, vec![])}</span> })}
                            </div>
                        </li>
                    }
                }).collect_view()
        };
        let past: Vec<_> = past.into_iter().rev().collect();
        view! {
                <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
                <h1>{tr(i18n, |i| t_string!(i, events_heading))}</h1>
        <p class="export-actions"><ExportButton register=Register::Events /></p>
                <ReceiptLine />
                {can_add.then(|| view! { <p><a href=paths::NEW_EVENT class="button-link">{tr(i18n, |i| t_string!(i, new_event))}</a></p> })}
                <section aria-labelledby="coming-heading">
                    <h2 id="coming-heading">{tr(i18n, |i| t_string!(i, events_coming))}</h2>
                    {if coming.is_empty() { view! { <p class="muted">{tr(i18n, |i| t_string!(i, events_none))}</p> }.into_any() }
                     else { view! { <ul class="event-list" role="list">{list(coming, &plan)}</ul> }.into_any() }}
                </section>
                <section aria-labelledby="past-heading">
                    <h2 id="past-heading">{tr(i18n, |i| t_string!(i, events_past))}</h2>
                    {if past.is_empty() { view! { <p class="muted">{tr(i18n, |i| t_string!(i, events_none))}</p> }.into_any() }
                     else { view! { <ul class="event-list" role="list">{list(past, &plan)}</ul> }.into_any() }}
                </section>
            }
            .into_any()
    })
}

/// `/handelser/ny` (optionally `?typ=workshop`) and `/handelser/:id`.
#[component]
pub fn EventPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let params = use_params_map();
    let query = use_query_map();
    // Read once: the form must not be rebuilt under the user's fingers when a sync lands.
    let id = params.with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let preset = query
        .with_untracked(|q| q.get("typ"))
        .and_then(|t| EventType::ALL.iter().copied().find(|e| e.as_str() == t));
    let found = Memo::new(move |_| {
        id.is_none_or(|id| sync.view.with(|v| v.get(&id).is_some_and(|r| r.kind == Kind::Event)))
    });
    // Built once the local copy is loaded, and not again when a sync lands: what is being typed stays.
    move || {
        if !sync.loaded.get() {
            return view! { <p class="loading" role="status">{tr(i18n, |i| t_string!(i, loading))}</p> }
                .into_any();
        }
        if !found.get_untracked() {
            return view! {
                <p class="back"><a href=paths::EVENTS>"← " {tr(i18n, |i| t_string!(i, back_to_events))}</a></p>
                <h1>{tr(i18n, |i| t_string!(i, event_not_found))}</h1>
            }.into_any();
        }
        let (plan, existing) = sync.view.with_untracked(|v| {
            (PlanView::from_records(v.values()), id.and_then(|id| v.get(&id).and_then(Event::from_record)))
        });
        view! { <EventForm id existing preset plan /> }.into_any()
    }
}

#[component]
fn EventForm(
    id: Option<Uuid>,
    existing: Option<Event>,
    preset: Option<EventType>,
    plan: PlanView,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let can_edit = may_edit_events();
    let staff = use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_delete(s.user.role)));
    // The typed edit path: what the form opened with, and that version, are what a save is
    // an edit of (a new event: nothing, version 0).
    let original = StoredValue::new(existing.clone());
    let base_rev = id.map_or(0, |id| sync.base_rev(id));
    let e = existing.unwrap_or(Event {
        event_type: preset.unwrap_or(EventType::Workshop),
        title: String::new(),
        date: today(),
        municipality_id: None,
        participants: None,
        strategic_goal_id: None,
        activity_id: None,
        notes: None,
        lag_person_ids: Vec::new(),
        partner_ids: Vec::new(),
        strategic_goal_ids: Vec::new(),
        focus_area_ids: Vec::new(),
    });
    // A new workshop belongs to goal 3's "Genomföra 17 workshops …": linked from the start, so
    // the activity hears of it without anyone choosing it.
    let workshop_links =
        workshop_activity(&plan).map_or((None, None), |(goal, activity)| (Some(goal), Some(activity.id)));
    let (goal_id, activity_id) = match (id, e.event_type) {
        (None, EventType::Workshop) => workshop_links,
        _ => (e.strategic_goal_id, e.activity_id),
    };
    let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    let workshop_links = (opt(workshop_links.0), opt(workshop_links.1));
    let kind = RwSignal::new(e.event_type);
    let title = RwSignal::new(e.title.clone());
    let date = RwSignal::new(e.date.to_string());
    let municipality = RwSignal::new(opt(e.municipality_id));
    let participants = RwSignal::new(e.participants.map(|n| n.to_string()).unwrap_or_default());
    let goal = RwSignal::new(opt(goal_id));
    let activity = RwSignal::new(opt(activity_id));
    // On a new event the links follow the type: chosen for a workshop, and gone again when
    // the type changes (unless the person chose them).
    if id.is_none() {
        Effect::new(move |previous: Option<EventType>| {
            let now = kind.get();
            if previous.is_some_and(|p| p != now) {
                let (g, a) = workshop_links.clone();
                let untouched = goal.get_untracked() == g && activity.get_untracked() == a;
                if now == EventType::Workshop && goal.get_untracked().is_empty() {
                    goal.set(g);
                    activity.set(a);
                } else if now != EventType::Workshop && untouched {
                    goal.set(String::new());
                    activity.set(String::new());
                }
            }
            now
        });
    }
    let notes = RwSignal::new(e.notes.clone().unwrap_or_default());
    let lag_people = RwSignal::new(e.lag_person_ids.clone());
    let partners = RwSignal::new(e.partner_ids.clone());
    let more_goals = RwSignal::new(e.strategic_goal_ids.clone());
    let focus = RwSignal::new(e.focus_area_ids.clone());
    let goals_offered = goal_options(&plan);
    let focus_offered = focus_area_options(&plan);
    let trace_order = (order_of(&goals_offered), order_of(&focus_offered));
    let opened_trace = !e.strategic_goal_ids.is_empty() || !e.focus_area_ids.is_empty();
    let partner_offered: Vec<(Uuid, String)> =
        plan.partners.iter().map(|p| (p.id, p.fields.name.clone())).collect();
    let partner_order: Vec<Uuid> = partner_offered.iter().map(|(id, _)| *id).collect();
    // Board members and staff, by name (and anyone ticked before who has left since).
    let lag_offered = lag_candidates(&plan.people, &e.lag_person_ids);
    let lag_order: Vec<Uuid> = lag_offered.iter().map(|(id, _)| *id).collect();
    let message = Feedback::new();
    let receipt = use_receipt();
    let plan = StoredValue::new(plan);

    let navigate_after_save = navigate.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(when) = Date::parse(&date.get_untracked()) else {
            message.error(t_string!(i18n, event_date_invalid));
            return;
        };
        let count = participants.get_untracked().trim().to_string();
        let count = if count.is_empty() {
            None
        } else {
            match count.parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    message.error(t_string!(i18n, participants_invalid));
                    return;
                }
            }
        };
        let place = Uuid::parse_str(&municipality.get_untracked()).ok();
        // A quick entry on a phone may skip the title: "Workshop – Flen" says what it was.
        let place_name = place.and_then(|p| plan.with_value(|pl| pl.name_of(p).map(str::to_string)));
        let mut name = title.get_untracked().trim().to_string();
        if name.is_empty() {
            name = auto_title(i18n.get_locale_untracked(), kind.get_untracked(), place_name.as_deref());
        }
        let text = notes.get_untracked().trim().to_string();
        let next = Event {
            event_type: kind.get_untracked(),
            title: name,
            date: when,
            municipality_id: place,
            participants: count,
            strategic_goal_id: Uuid::parse_str(&goal.get_untracked()).ok(),
            activity_id: Uuid::parse_str(&activity.get_untracked()).ok(),
            notes: (!text.is_empty()).then_some(text),
            // Ticked in any order, kept in a stable one: ticking a box off and on changes nothing.
            lag_person_ids: in_order(
                &original.with_value(|o| o.as_ref().map(|e| e.lag_person_ids.clone()).unwrap_or_default()),
                &lag_people.get_untracked(),
                &lag_order,
            ),
            partner_ids: in_order(
                &original.with_value(|o| o.as_ref().map(|e| e.partner_ids.clone()).unwrap_or_default()),
                &partners.get_untracked(),
                &partner_order,
            ),
            strategic_goal_ids: in_order(
                &original
                    .with_value(|o| o.as_ref().map(|e| e.strategic_goal_ids.clone()).unwrap_or_default()),
                &more_goals.get_untracked(),
                &trace_order.0,
            ),
            focus_area_ids: in_order(
                &original.with_value(|o| o.as_ref().map(|e| e.focus_area_ids.clone()).unwrap_or_default()),
                &focus.get_untracked(),
                &trace_order.1,
            ),
        };
        // The main goal (the activity's) is not also a further one.
        let mut next = next;
        next.strategic_goal_ids.retain(|g| Some(*g) != next.strategic_goal_id);
        // The typed edit path: only what changed is sent, as an edit of the version opened, so a
        // concurrent edit of another field never conflicts and one of the same field is kept.
        let navigate = navigate_after_save.clone();
        let opened = original.get_value();
        spawn_local(async move {
            let new_id = random_uuid();
            let saved = match (id, opened) {
                (Some(id), Some(before)) => {
                    sync.save(id, &Base { rev: base_rev, values: before }, &next).await
                }
                _ => sync.create(new_id, &next).await.map(Some),
            };
            match saved {
                Ok(Some(mutation_id)) if id.is_none() => {
                    // The list it lands on says where the new event stands, in words.
                    let workshop = next.event_type == EventType::Workshop;
                    receipt.show(Saved {
                        mutation_id,
                        title: next.title.clone(),
                        place: place_name.filter(|_| workshop),
                    });
                    navigate(paths::EVENTS, Default::default())
                }
                Ok(mutation) => {
                    original.set_value(Some(next));
                    message.saved(mutation)
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    let delete = move |_| {
        let Some(id) = id else { return };
        if !window().confirm_with_message(t_string!(i18n, event_delete_confirm)).unwrap_or(false) {
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            if sync.edit(Kind::Event, id, MutationOp::Delete { base_rev: sync.base_rev(id) }).await.is_ok() {
                navigate(paths::EVENTS, Default::default());
            }
        });
    };
    let activities = move || {
        let chosen = goal.get();
        plan.with_value(|p| {
            p.goals
                .iter()
                .filter(|g| g.goal.id.to_string() == chosen)
                .flat_map(|g| g.activities.iter().map(|a| (a.id.to_string(), a.fields.title.clone())))
                .collect::<Vec<_>>()
        })
    };
    let (municipalities, goals) = plan.with_value(|p| {
        (
            p.municipalities.iter().map(|m| (m.id.to_string(), m.fields.name.clone())).collect::<Vec<_>>(),
            p.goals
                .iter()
                .map(|g| (g.goal.id.to_string(), format!("{} {}", g.goal.fields.number, g.goal.fields.title)))
                .collect::<Vec<_>>(),
        )
    });
    view! {
        <p class="back"><a href=paths::EVENTS>"← " {tr(i18n, |i| t_string!(i, back_to_events))}</a></p>
        <h1>{if id.is_some() { tr(i18n, |i| t_string!(i, edit_event)).into_any() } else { tr(i18n, |i| t_string!(i, new_event)).into_any() }}</h1>
        {id.map(|target_id| view! { <ConflictBanner target_id /> })}
        <form class="card form" on:submit=on_submit>
            <label for="event-type">{tr(i18n, |i| t_string!(i, event_type))}</label>
            <EnumSelect id="event-type" value=kind label=event_type_label disabled=!can_edit />
            <label for="event-municipality">{tr(i18n, |i| t_string!(i, filter_municipality))}</label>
            <select id="event-municipality" prop:disabled=!can_edit on:change=move |ev| municipality.set(event_target_value(&ev))>
                <option value="" selected=move || municipality.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                {options(municipalities, municipality)}
            </select>
            <label for="event-date">{tr(i18n, |i| t_string!(i, event_date))}</label>
            <input id="event-date" type="date" required prop:disabled=!can_edit prop:value=move || date.get()
                on:input=move |ev| date.set(event_target_value(&ev)) />
            <label for="event-title">{tr(i18n, |i| t_string!(i, event_title))}</label>
            <input id="event-title" type="text" maxlength=SHORT_TEXT_MAX prop:disabled=!can_edit aria-describedby="event-title-hint"
                prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
            <p id="event-title-hint" class="muted">{tr(i18n, |i| t_string!(i, event_title_hint))}</p>
            <label for="event-participants">{tr(i18n, |i| t_string!(i, participants))}</label>
            <input id="event-participants" type="number" min="0" inputmode="numeric" prop:disabled=!can_edit
                prop:value=move || participants.get() on:input=move |ev| participants.set(event_target_value(&ev)) />
            {if lag_offered.is_empty() {
                view! {
                    <fieldset class="check-list">
                        <legend>{tr(i18n, |i| t_string!(i, event_lag_people))}</legend>
                        <p class="muted">{tr(i18n, |i| t_string!(i, event_lag_people_none))}</p>
                    </fieldset>
                }.into_any()
            } else {
                view! {
                    <CheckList legend=t_string!(i18n, event_lag_people) prefix="lag-person"
                        options=lag_offered chosen=lag_people enabled=can_edit />
                }.into_any()
            }}
            // A joint meeting counts as contact with each partner that organised it.
            <details class="more-fields" prop:open=!e.partner_ids.is_empty()>
                <summary>{tr(i18n, |i| t_string!(i, event_partners_summary))}{move || partners.with(|p| (!p.is_empty()).then(|| format!(" ({})", p.len())))}</summary>
                <CheckList legend=t_string!(i18n, event_partners) prefix="event-partner"
                    options=partner_offered chosen=partners enabled=can_edit />
            </details>
            <label for="event-goal">{tr(i18n, |i| t_string!(i, filter_goal))}</label>
            <select id="event-goal" prop:disabled=!can_edit on:change=move |ev| { goal.set(event_target_value(&ev)); activity.set(String::new()); }>
                <option value="" selected=move || goal.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                {options(goals, goal)}
            </select>
            <label for="event-activity">{tr(i18n, |i| t_string!(i, activity_heading))}</label>
            <select id="event-activity" prop:disabled=move || !can_edit || goal.get().is_empty() on:change=move |ev| activity.set(event_target_value(&ev))>
                <option value="" selected=move || activity.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                {move || options(activities(), activity)}
            </select>
            // Traceability: further goals the event serves, and its focus areas.
            <details class="more-fields" prop:open=opened_trace>
                <summary>{tr(i18n, |i| t_string!(i, trace_summary))}{move || { let n = more_goals.with(Vec::len) + focus.with(Vec::len); (n > 0).then(|| format!(" ({n})")) }}</summary>
                <CheckList legend=t_string!(i18n, event_more_goals) prefix="event-more-goal"
                    options=goals_offered chosen=more_goals enabled=can_edit />
                <CheckList legend=t_string!(i18n, focus_areas) prefix="event-focus"
                    options=focus_offered chosen=focus enabled=can_edit />
            </details>
            <label for="event-notes">{tr(i18n, |i| t_string!(i, notes))}</label>
            <textarea id="event-notes" rows="4" maxlength=LONG_TEXT_MAX prop:disabled=!can_edit prop:value=move || notes.get()
                on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            {message.view()}
            {can_edit.then(|| view! {
                <div class="actions">
                    <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button>
                    {(staff && id.is_some()).then(|| view! { <button type="button" class="danger" on:click=delete.clone()>{tr(i18n, |i| t_string!(i, delete))}</button> })}
                </div>
            })}
        </form>
    }
}
