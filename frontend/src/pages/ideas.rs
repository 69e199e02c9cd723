//! The idea funnel (goal 1's ambassadors, goal 4's faster support): quick capture `/ideer/ny`,
//! phone first and offline; the board by Leader stage and the list `/ideer`, filters in the URL
//! (`?vy=lista&steg=applying&kommun=0482`); and an idea's page `/ideer/:id`.

use gloo_storage::{LocalStorage, Storage};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use tavla_shared::date::Date;
use tavla_shared::edit::Base;
use tavla_shared::funnel::{moved, FUNNEL_STAGES};
use tavla_shared::idea_filter::{keys, next_step_overdue, IdeaFilter, YES};
use tavla_shared::kinds::{Idea, KindFields};
use tavla_shared::plan_view::{names, Item, PlanView};
use tavla_shared::privacy::may_see;
use tavla_shared::protocol::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use tavla_shared::rules::{may_delete, may_edit};
use tavla_shared::values::IdeaStage;
use tavla_shared::wire::Record;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::check_list::{focus_area_options, goal_options, order_of, CheckList};
use crate::components::conflict_banner::ConflictBanner;
use crate::components::edit_form::{delete_record, edit_form, restore_record};
use crate::components::enum_select::EnumSelect;
use crate::components::export::ExportButton;
use crate::components::feedback::Feedback;
use crate::components::format::today;
use crate::components::move_dialog::{focus_if_moved_here, forget_focus, move_button, move_dialog, MoveMenu};
use crate::components::plan_loader::with_plan;
use crate::components::receipt::{use_receipt, ReceiptLine, Saved};
use crate::components::record_log::{Comments, History};
use crate::components::record_page::record_page;
use crate::components::{options, tr, trf, with_query};
use crate::i18n::*;
use crate::paths;
use crate::session::{random_uuid, use_session, viewer};
use crate::store::sync::{use_sync, SyncEngine};
use tavla_shared::export::Register;

/// A stage in words, in the current language.
pub fn stage_label(i18n: leptos_i18n::I18nContext<Locale>, s: IdeaStage) -> &'static str {
    match s {
        IdeaStage::Idea => t_string!(i18n, stage_idea),
        IdeaStage::InterestNotified => t_string!(i18n, stage_interest_notified),
        IdeaStage::Applying => t_string!(i18n, stage_applying),
        IdeaStage::LagPrioritized => t_string!(i18n, stage_lag_prioritized),
        IdeaStage::Granted => t_string!(i18n, stage_granted),
        IdeaStage::InProgress => t_string!(i18n, stage_in_progress),
        IdeaStage::Finished => t_string!(i18n, stage_finished),
        IdeaStage::Declined => t_string!(i18n, stage_declined),
    }
}

/// Every live idea on the device.
pub fn live_ideas<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<Item<Idea>> {
    records
        .into_iter()
        .filter(|r| !r.deleted)
        .filter_map(|r| Idea::from_record(r).map(|fields| Item { id: r.id, fields }))
        .collect()
}

fn may_edit_ideas() -> bool {
    use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::Idea)))
}

/// The device's memory of who captures ideas for an account not linked to a person: asked once,
/// then kept (per account, in this browser).
fn remembered_capturer_key(user: Uuid) -> String {
    format!("tavla.captured_by.{user}")
}

/// `/ideer/ny`: the 30-second capture. Title and municipality, optionally a focus area and a
/// contact with an explicit consent box; captured by me, today, unless changed.
#[component]
pub fn NewIdeaPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    move || {
        if !sync.loaded.get() {
            return view! { <p class="loading" role="status">{tr(i18n, |i| t_string!(i, loading))}</p> }
                .into_any();
        }
        let plan = sync.view.with_untracked(|v| PlanView::from_records(v.values()));
        view! { <CaptureForm plan /> }.into_any()
    }
}

#[component]
fn CaptureForm(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let receipt = use_receipt();
    let session = use_session();
    let (user_id, linked) = session
        .0
        .with_untracked(|s| s.as_ref().map_or((Uuid::nil(), None), |s| (s.user.id, s.user.person_id)));
    let remembered: Option<Uuid> = LocalStorage::get(remembered_capturer_key(user_id)).ok();
    let capturer = RwSignal::new(linked.or(remembered).map(|p| p.to_string()).unwrap_or_default());
    // An account without a person picks once; later captures say who, with a way to change it.
    let must_pick = linked.is_none() && remembered.is_none();
    let title = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let focus_area = RwSignal::new(String::new());
    let contact_name = RwSignal::new(String::new());
    let contact_info = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let date = RwSignal::new(today().to_string());
    let message = Feedback::new();
    let people = sync.view.with_untracked(|v| names(v.values(), Kind::Person));
    let people = StoredValue::new(people);
    let capturer_name = move || {
        let chosen = Uuid::parse_str(&capturer.get()).ok();
        people.with_value(|p| p.iter().find(|(id, _)| Some(*id) == chosen).map(|(_, n)| n.clone()))
    };
    let plan = StoredValue::new(plan);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = title.get_untracked().trim().to_string();
        if name.is_empty() {
            message.error(t_string!(i18n, idea_title_missing));
            return;
        }
        let Some(captured_on) = Date::parse(&date.get_untracked()) else {
            message.error(t_string!(i18n, event_date_invalid));
            return;
        };
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|t| !t.is_empty());
        let (c_name, c_info) = (text(contact_name), text(contact_info));
        // The server refuses a contact without consent too; said here first, in words.
        if (c_name.is_some() || c_info.is_some()) && !consent.get_untracked() {
            message.error(t_string!(i18n, consent_needed));
            return;
        }
        let captured_by = Uuid::parse_str(&capturer.get_untracked()).ok();
        if linked.is_none() {
            if let Some(p) = captured_by {
                let _ = LocalStorage::set(remembered_capturer_key(user_id), p);
            }
        }
        let idea = Idea {
            title: name,
            description: None,
            stage: IdeaStage::Idea,
            consent: consent.get_untracked() && (c_name.is_some() || c_info.is_some()),
            contact_name: c_name,
            contact_info: c_info,
            municipality_id: Uuid::parse_str(&municipality.get_untracked()).ok(),
            focus_area_id: Uuid::parse_str(&focus_area.get_untracked()).ok(),
            captured_by_person_id: captured_by,
            captured_on,
            next_step: None,
            next_step_due: None,
            strategic_goal_ids: Vec::new(),
            focus_area_ids: Vec::new(),
            stage_reached_on: Default::default(),
            // The server sets it too; set here, the capturer's own device shows the contact
            // before the idea is sent.
            captured_by_user_id: Some(user_id),
            next_step_done: false,
            next_step_done_text: None,
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync.create(random_uuid(), &idea).await {
                Ok(mutation_id) => {
                    receipt.show_idea(Saved { mutation_id, title: idea.title.clone(), place: None });
                    navigate(paths::IDEAS, Default::default());
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    let choices = |items: Vec<(Uuid, String)>, current: RwSignal<String>| {
        options(items.into_iter().map(|(id, text)| (id.to_string(), text)).collect(), current)
    };
    let (municipalities, focus_areas) = plan.with_value(|p| {
        (
            p.municipalities.iter().map(|m| (m.id, m.fields.name.clone())).collect::<Vec<_>>(),
            p.focus_areas
                .iter()
                .map(|f| (f.id, format!("{} {}", f.fields.number, f.fields.title)))
                .collect::<Vec<_>>(),
        )
    });
    let picker = move || {
        view! {
            <label for="idea-captured-by">{tr(i18n, |i| t_string!(i, captured_by))}</label>
            <select id="idea-captured-by" required=must_pick on:change=move |ev| capturer.set(event_target_value(&ev))>
                <option value="" selected=move || capturer.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                {choices(people.get_value(), capturer)}
            </select>
        }
    };
    view! {
        <p class="back"><a href=paths::IDEAS>"← " {tr(i18n, |i| t_string!(i, back_to_ideas))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, new_idea))}</h1>
        <form class="card form capture-form" on:submit=on_submit>
            <label for="idea-title">{tr(i18n, |i| t_string!(i, idea_title_label))}</label>
            <input id="idea-title" type="text" required maxlength=SHORT_TEXT_MAX autocomplete="off"
                prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
            <label for="idea-municipality">{tr(i18n, |i| t_string!(i, filter_municipality))}</label>
            <select id="idea-municipality" on:change=move |ev| municipality.set(event_target_value(&ev))>
                <option value="" selected=move || municipality.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                {choices(municipalities, municipality)}
            </select>
            <label for="idea-focus-area">{tr(i18n, |i| t_string!(i, focus_area_optional))}</label>
            <select id="idea-focus-area" on:change=move |ev| focus_area.set(event_target_value(&ev))>
                <option value="" selected=move || focus_area.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                {choices(focus_areas, focus_area)}
            </select>
            <fieldset class="contact-fields">
                <legend>{tr(i18n, |i| t_string!(i, idea_contact_legend))}</legend>
                <label for="idea-contact-name">{tr(i18n, |i| t_string!(i, contact_name))}</label>
                <input id="idea-contact-name" type="text" maxlength=SHORT_TEXT_MAX autocomplete="off"
                    prop:value=move || contact_name.get() on:input=move |ev| contact_name.set(event_target_value(&ev)) />
                <label for="idea-contact-info">{tr(i18n, |i| t_string!(i, contact_info))}</label>
                <input id="idea-contact-info" type="text" maxlength=SHORT_TEXT_MAX autocomplete="off"
                    prop:value=move || contact_info.get() on:input=move |ev| contact_info.set(event_target_value(&ev)) />
                <div class="check">
                    <input id="idea-consent" type="checkbox" prop:checked=move || consent.get()
                        on:change=move |ev| consent.set(event_target_checked(&ev)) />
                    <label for="idea-consent">{tr(i18n, |i| t_string!(i, consent_label))}</label>
                </div>
            </fieldset>
            {if must_pick {
                view! { <p class="muted" id="captured-by-hint">{tr(i18n, |i| t_string!(i, captured_by_pick_hint))}</p> {picker()} }.into_any()
            } else {
                view! {
                    <details class="captured-by">
                        <summary>{move || fill_captured(i18n, capturer_name(), &date.get())}</summary>
                        {picker()}
                        <label for="idea-date">{tr(i18n, |i| t_string!(i, captured_on))}</label>
                        <input id="idea-date" type="date" required prop:value=move || date.get()
                            on:input=move |ev| date.set(event_target_value(&ev)) />
                    </details>
                }.into_any()
            }}
            {message.view()}
            <div class="actions">
                <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save_idea))}</button>
            </div>
        </form>
    }
}

/// "Fångad av Anna, 2026-11-28 – ändra".
fn fill_captured(i18n: leptos_i18n::I18nContext<Locale>, who: Option<String>, date: &str) -> String {
    crate::components::fill(
        t_string!(i18n, captured_summary),
        &[("who", who.unwrap_or_else(|| t_string!(i18n, nobody).to_string())), ("date", date.to_string())],
    )
}

/// The query key of the view ("lista" = list; the board otherwise).
const VIEW_KEY: &str = "vy";
const LIST: &str = "lista";

/// `/ideer`: the funnel.
#[component]
pub fn IdeasPage() -> impl IntoView {
    let receipt = use_receipt();
    on_cleanup(move || receipt.clear());
    on_cleanup(forget_focus);
    with_plan(move |plan: PlanView| view! { <Funnel plan /> }.into_any())
}

#[component]
fn Funnel(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| {
        query.with(|q| IdeaFilter::from_pairs(q.into_iter().map(|(k, v)| (k.as_ref(), v))))
    });
    let list = Memo::new(move |_| query.with(|q| q.get(VIEW_KEY).as_deref() == Some(LIST)));
    let go = move |f: IdeaFilter, list: bool| {
        let mut pairs = f.to_pairs();
        if list {
            pairs.insert(0, (VIEW_KEY, LIST.to_string()));
        }
        let url = with_query(paths::IDEAS, &pairs);
        navigate(&url, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let can_edit = may_edit_ideas();
    let plan = StoredValue::new(plan);
    let ideas = Memo::new(move |_| sync.view.with(|v| live_ideas(v.values())));
    let today = today();
    let menu: MoveMenu<IdeaStage> = RwSignal::new(None);
    let shown = move || {
        let f = filter.get();
        ideas.with(|all| {
            plan.with_value(|p| {
                let matches = f.apply(all, p, today);
                let count = matches.len();
                let body = if list.get() {
                    idea_rows(&matches, p).into_any()
                } else {
                    idea_board(&matches, p, can_edit, menu).into_any()
                };
                view! {
                    <p class="result-count" role="status" aria-live="polite">{trf(i18n, |i| t_string!(i, ideas_count), vec![("count", count.to_string()), ("total", all.len().to_string())])}</p>
                    {body}
                }
            })
        })
    };
    let filters = {
        let go = go.clone();
        move || plan.with_value(|p| idea_filters(p, filter, list, go.clone()))
    };
    view! {
        <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, ideas_heading))}</h1>
        <p class="export-actions"><ExportButton register=Register::Ideas /></p>
        <ReceiptLine />
        {can_edit.then(|| view! { <p><a href=paths::NEW_IDEA class="button-link">{tr(i18n, |i| t_string!(i, new_idea))}</a></p> })}
        {move_dialog(menu, |i| t_string!(i, idea_stage), stage_label, move |id, stage| move_idea(sync, id, stage))}
        <div class="view-switch" role="group" aria-label=move || t_string!(i18n, view_switch_label)>
            <button type="button" aria-pressed=move || (!list.get()).to_string()
                on:click={let go = go.clone(); move |_| go(filter.get_untracked(), false)}>{tr(i18n, |i| t_string!(i, view_board))}</button>
            <button type="button" aria-pressed=move || list.get().to_string()
                on:click={let go = go.clone(); move |_| go(filter.get_untracked(), true)}>{tr(i18n, |i| t_string!(i, view_list))}</button>
        </div>
        {filters}
        {shown}
    }
}

/// One labelled select per filter and the overdue box; "Alla" clears a filter. Folded on phones.
fn idea_filters(
    plan: &PlanView,
    filter: Memo<IdeaFilter>,
    list: Memo<bool>,
    go: impl Fn(IdeaFilter, bool) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let current = move |key: &str| {
        filter.with(|f| f.to_pairs().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v).unwrap_or_default())
    };
    let clear_go = go.clone();
    let select = |id: &'static str, label: AnyView, key: &'static str, options: Vec<(String, String)>| {
        let go = go.clone();
        let on_change = move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            let f = filter.with_untracked(|f| {
                let mut pairs: Vec<(&str, String)> =
                    f.to_pairs().into_iter().filter(|(k, _)| *k != key).collect();
                if !v.is_empty() {
                    pairs.push((key, v));
                }
                IdeaFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
            });
            go(f, list.get_untracked());
        };
        view! {
            <div class="filter">
                <label for=id>{label}</label>
                <select id=id on:change=on_change>
                    <option value="" selected=move || current(key).is_empty()>{tr(i18n, |i| t_string!(i, filter_all))}</option>
                    {options.into_iter().map(|(value, text)| {
                        let v = value.clone();
                        view! { <option value=value selected=move || current(key) == v>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let stages: Vec<(String, String)> =
        IdeaStage::ALL.iter().map(|s| (s.as_str().to_string(), stage_label(i18n, *s).to_string())).collect();
    let municipalities =
        plan.municipalities.iter().map(|m| (m.fields.code.clone(), m.fields.name.clone())).collect();
    let focus_areas = plan
        .focus_areas
        .iter()
        .map(|f| (f.fields.number.to_string(), format!("{} {}", f.fields.number, f.fields.title)))
        .collect();
    let people = sync
        .view
        .with_untracked(|v| names(v.values(), Kind::Person))
        .into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect();
    let overdue_go = go.clone();
    let toggle_overdue = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let f = IdeaFilter { overdue: on, ..filter.get_untracked() };
        overdue_go(f, list.get_untracked());
    };
    let wide = window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w >= 768.0);
    let clear = move |_| clear_go(IdeaFilter::default(), list.get_untracked());
    let active = move || filter.with(|f| f.to_pairs().len());
    view! {
        <details class="filters-box card" prop:open=wide>
            <summary>{tr(i18n, |i| t_string!(i, filters_label))}{move || (active() > 0).then(|| view! { " " {trf(i18n, |i| t_string!(i, filters_active), vec![("count", active().to_string())])} })}</summary>
            <form class="filters" role="search" aria-label=move || t_string!(i18n, filters_label) on:submit=|ev: SubmitEvent| ev.prevent_default()>
                {select("filter-stage", tr(i18n, |i| t_string!(i, idea_stage)).into_any(), keys::STAGE, stages)}
                {select("filter-municipality", tr(i18n, |i| t_string!(i, filter_municipality)).into_any(), keys::MUNICIPALITY, municipalities)}
                {select("filter-focus-area", tr(i18n, |i| t_string!(i, filter_focus_area)).into_any(), keys::FOCUS_AREA, focus_areas)}
                {select("filter-captured-by", tr(i18n, |i| t_string!(i, captured_by)).into_any(), keys::CAPTURED_BY, people)}
                <div class="filter check">
                    <input id="filter-overdue" type="checkbox" prop:checked=move || current(keys::OVERDUE) == YES on:change=toggle_overdue />
                    <label for="filter-overdue">{tr(i18n, |i| t_string!(i, next_step_overdue_filter))}</label>
                </div>
                <Show when=move || { active() > 0 }>
                    <button type="button" class="link-button" on:click=clear.clone()>{tr(i18n, |i| t_string!(i, filters_clear))}</button>
                </Show>
            </form>
        </details>
    }
}

/// One line about an idea: municipality, capture day, next step's due day (overdue said in words).
fn idea_meta(i18n: leptos_i18n::I18nContext<Locale>, idea: &Idea, plan: &PlanView, today: Date) -> String {
    let mut meta = vec![];
    if let Some(m) = idea.municipality_id.and_then(|m| plan.name_of(m)) {
        meta.push(m.to_string());
    }
    meta.push(idea.captured_on.to_string());
    if let Some(d) = idea.next_step_due {
        let word = if next_step_overdue(idea, today) {
            t_string!(i18n, next_step_late)
        } else {
            t_string!(i18n, next_step_due)
        };
        meta.push(format!("{word} {d}"));
    }
    meta.join(" · ")
}

fn idea_rows(matches: &[&Item<Idea>], plan: &PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let today = today();
    view! {
        <ul class="activity-rows idea-rows" role="list">
            {matches.iter().map(|i| {
                let stage = i.fields.stage;
                view! {
                    <li class="card activity-row">
                        <a href=paths::idea(i.id) class="activity-title">{i.fields.title.clone()}</a>
                        <div class="activity-meta">
                            <span class=format!("badge stage-{}", stage.as_str())>{move || stage_label(i18n, stage)}</span>
                            <span>{idea_meta(i18n, &i.fields, plan, today)}</span>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// A column per stage of the funnel with its count, and the declined apart.
fn idea_board(
    matches: &[&Item<Idea>],
    plan: &PlanView,
    can_edit: bool,
    menu: MoveMenu<IdeaStage>,
) -> impl IntoView {
    let i18n = use_i18n();
    let today = today();
    let move_word = t_string!(i18n, change_stage);
    let column = |stage: IdeaStage| {
        let cards: Vec<&&Item<Idea>> = matches.iter().filter(|i| i.fields.stage == stage).collect();
        let heading_id = format!("column-{}", stage.as_str());
        let labelled_by = heading_id.clone();
        let count = cards.len();
        view! {
            <section class="column" aria-labelledby=labelled_by data-stage=stage.as_str()>
                <h2 id=heading_id>{move || format!("{} ({count})", stage_label(i18n, stage))}</h2>
                <ul role="list">
                    {cards.iter().map(|i| {
                        focus_if_moved_here(i.id, stage);
                        view! {
                            <li class="card board-card">
                                <a href=paths::idea(i.id) class="activity-title">{i.fields.title.clone()}</a>
                                <span class="activity-meta">{idea_meta(i18n, &i.fields, plan, today)}</span>
                                {can_edit.then(|| move_button(i.id, i.fields.title.clone(), stage, menu, move_word))}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    };
    view! {
        <div class="board funnel-board">{FUNNEL_STAGES.iter().map(|s| column(*s)).collect_view()}</div>
        <div class="board declined-board">{column(IdeaStage::Declined)}</div>
    }
}

/// Moves an idea to `stage` (noting the day it got there), as an edit of the idea as shown now.
fn move_idea(sync: SyncEngine, id: Uuid, stage: IdeaStage) -> impl std::future::Future<Output = ()> {
    let values = sync.view.with_untracked(|v| v.get(&id).and_then(Idea::from_record));
    let base_rev = sync.base_rev(id);
    async move {
        let Some(values) = values else { return };
        let draft = moved(&values, stage, today());
        let _ = sync.save(id, &Base { rev: base_rev, values }, &draft).await;
    }
}

/// `/ideer/:id`.
#[component]
pub fn IdeaPage() -> impl IntoView {
    record_page(
        Kind::Idea,
        (paths::IDEAS, |i| t_string!(i, back_to_ideas)),
        |i| t_string!(i, idea_not_found),
        |id| view! { <IdeaView id /> }.into_any(),
    )
}

#[component]
fn IdeaView(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let can_edit = may_edit_ideas();
    let staff = use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_delete(s.user.role)));
    let record = Memo::new(move |_| sync.view.with(|v| v.get(&id).cloned()));
    let Some(opened) = record.with_untracked(|r| r.as_ref().and_then(Idea::from_record)) else {
        return view! { <h1>{tr(i18n, |i| t_string!(i, idea_not_found))}</h1> }.into_any();
    };
    // Contact details reach only staff and whoever captured the idea; for anyone else the
    // server leaves them out, so the form must not offer them as if they were empty.
    let sees_contact =
        record.with_untracked(|r| r.as_ref().zip(viewer()).is_some_and(|(r, v)| may_see(&v, r)));
    let plan = sync.view.with_untracked(|v| PlanView::from_records(v.values()));
    let people = sync.view.with_untracked(|v| names(v.values(), Kind::Person));

    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let stage = RwSignal::new(opened.stage);
    let municipality = RwSignal::new(String::new());
    let focus = RwSignal::new(Vec::new());
    let goals = RwSignal::new(Vec::new());
    let captured_by = RwSignal::new(String::new());
    let captured_on = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let next_step_due = RwSignal::new(String::new());
    let step_done = RwSignal::new(false);
    let contact_name = RwSignal::new(String::new());
    let contact_info = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let drawn = StoredValue::new(opened.clone());
    let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    let show = move |i: &Idea| {
        drawn.set_value(i.clone());
        title.set(i.title.clone());
        description.set(i.description.clone().unwrap_or_default());
        stage.set(i.stage);
        municipality.set(opt(i.municipality_id));
        focus.set(i.focus_areas());
        goals.set(i.strategic_goal_ids.clone());
        captured_by.set(opt(i.captured_by_person_id));
        captured_on.set(i.captured_on.to_string());
        next_step.set(i.next_step.clone().unwrap_or_default());
        next_step_due.set(i.next_step_due.map(|d| d.to_string()).unwrap_or_default());
        step_done.set(i.step_is_done());
        contact_name.set(i.contact_name.clone().unwrap_or_default());
        contact_info.set(i.contact_info.clone().unwrap_or_default());
        consent.set(i.consent);
    };
    show(&opened);
    let focus_order = StoredValue::new(order_of(&focus_area_options(&plan)));
    let draft = move || {
        let before = drawn.get_value();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|t| !t.is_empty());
        let mut i = moved(&before, stage.get_untracked(), today());
        i.title = title.get_untracked().trim().to_string();
        i.description = text(description);
        i.municipality_id = Uuid::parse_str(&municipality.get_untracked()).ok();
        // The first focus area stays in the field older releases know (so an idea with one still shows there); the rest go in the list.
        let areas = tavla_shared::people::in_order(
            &before.focus_areas(),
            &focus.get_untracked(),
            &focus_order.get_value(),
        );
        i.focus_area_id = areas.first().copied();
        i.focus_area_ids = areas.into_iter().skip(1).collect();
        let chosen = goals.get_untracked();
        let mut in_order: Vec<Uuid> =
            before.strategic_goal_ids.iter().copied().filter(|g| chosen.contains(g)).collect();
        in_order.extend(chosen.into_iter().filter(|g| !before.strategic_goal_ids.contains(g)));
        i.strategic_goal_ids = in_order;
        i.captured_by_person_id = Uuid::parse_str(&captured_by.get_untracked()).ok();
        i.captured_on = Date::parse(&captured_on.get_untracked()).unwrap_or(before.captured_on);
        i.next_step = text(next_step);
        i.next_step_due = Date::parse(&next_step_due.get_untracked());
        tavla_shared::kinds::mark_step(
            &mut i.next_step_done,
            &mut i.next_step_done_text,
            &i.next_step,
            step_done.get_untracked(),
            before.step_is_done(),
            &before.next_step,
        );
        if sees_contact {
            i.contact_name = text(contact_name);
            i.contact_info = text(contact_info);
            i.consent = consent.get_untracked();
        }
        i
    };
    let message = Feedback::new();
    let form = edit_form(id, opened.clone(), draft, show, t_string!(i18n, unsaved_leave));
    let stale = form.stale;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = draft();
        if typed.title.is_empty() {
            message.error(t_string!(i18n, idea_title_missing));
            return;
        }
        if typed.has_contact() && !typed.consent {
            message.error(t_string!(i18n, consent_needed));
            return;
        }
        form.submit(id, typed, message, i18n);
    };
    let delete = move |_| delete_record(sync, Kind::Idea, id, t_string!(i18n, delete_confirm));
    let restore = move |_| restore_record(sync, Kind::Idea, id);
    let choices = |items: Vec<(Uuid, String)>, current: RwSignal<String>| {
        options(items.into_iter().map(|(id, text)| (id.to_string(), text)).collect(), current)
    };
    // Kept for the form, which is drawn again when the idea is deleted or restored.
    let lists = StoredValue::new((
        plan.municipalities.iter().map(|m| (m.id, m.fields.name.clone())).collect::<Vec<_>>(),
        focus_area_options(&plan),
        goal_options(&plan),
        people,
    ));
    let deleted = move || record.with(|r| r.as_ref().is_some_and(|r| r.deleted));
    let shown = move || record.with(|r| r.as_ref().and_then(Idea::from_record));
    let heading = move || shown().map(|i| i.title).unwrap_or_default();
    let stage_now = move || {
        shown().map(|i| {
            let s = i.stage;
            view! { <span class=format!("badge stage-{}", s.as_str())>{move || stage_label(i18n, s)}</span> }
        })
    };
    let days = move || {
        shown().map(|i| {
            IdeaStage::ALL
                .iter()
                .filter_map(|s| i.reached(*s).map(|d| (*s, d)))
                .map(|(s, d)| view! { <li>{move || stage_label(i18n, s)} ": " <time>{d.to_string()}</time></li> })
                .collect_view()
        })
    };
    let disabled = !can_edit;
    view! {
        <p class="back"><a href=paths::IDEAS>"← " {tr(i18n, |i| t_string!(i, back_to_ideas))}</a></p>
        <p class="goal-number">{tr(i18n, |i| t_string!(i, idea_word))}</p>
        <h1>{heading}</h1>
        <ConflictBanner target_id=id />
        <div class="activity-meta">{stage_now}</div>
        <Show when=deleted>
            <div class="card deleted-box" role="status">
                <p>{tr(i18n, |i| t_string!(i, deleted_notice))}</p>
                {staff.then(|| view! { <button type="button" on:click=restore>{tr(i18n, |i| t_string!(i, restore))}</button> })}
            </div>
        </Show>
        <Show when=move || !deleted()>
            <form class="card form idea-form" on:submit=on_submit>
                <label for="idea-title">{tr(i18n, |i| t_string!(i, idea_title_label))}</label>
                <input id="idea-title" type="text" required maxlength=SHORT_TEXT_MAX prop:disabled=disabled
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                <label for="idea-stage">{tr(i18n, |i| t_string!(i, idea_stage))}</label>
                <EnumSelect id="idea-stage" value=stage label=stage_label disabled=disabled />
                <label for="idea-next-step">{tr(i18n, |i| t_string!(i, next_step))}</label>
                <input id="idea-next-step" type="text" maxlength=SHORT_TEXT_MAX prop:disabled=disabled
                    prop:value=move || next_step.get() on:input=move |ev| { next_step.set(event_target_value(&ev)); step_done.set(false); } />
                <label for="idea-next-step-due">{tr(i18n, |i| t_string!(i, next_step_due_label))}</label>
                <input id="idea-next-step-due" type="date" prop:disabled=disabled
                    prop:value=move || next_step_due.get() on:input=move |ev| next_step_due.set(event_target_value(&ev)) />
                <div class="check">
                    <input id="idea-step-done" type="checkbox" prop:disabled=disabled prop:checked=move || step_done.get()
                        on:change=move |ev| step_done.set(event_target_checked(&ev)) />
                    <label for="idea-step-done">{tr(i18n, |i| t_string!(i, next_step_done_label))}</label>
                </div>
                <label for="idea-municipality">{tr(i18n, |i| t_string!(i, filter_municipality))}</label>
                <select id="idea-municipality" prop:disabled=disabled on:change=move |ev| municipality.set(event_target_value(&ev))>
                    <option value="" selected=move || municipality.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                    {choices(lists.with_value(|l| l.0.clone()), municipality)}
                </select>
                <CheckList legend=t_string!(i18n, focus_areas) prefix="idea-focus" options=lists.with_value(|l| l.1.clone()) chosen=focus enabled=can_edit />
                <CheckList legend=t_string!(i18n, idea_goals_legend) prefix="idea-goal" options=lists.with_value(|l| l.2.clone()) chosen=goals enabled=can_edit />
                <label for="idea-description">{tr(i18n, |i| t_string!(i, description))}</label>
                <textarea id="idea-description" rows="4" maxlength=LONG_TEXT_MAX prop:disabled=disabled
                    prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                <label for="idea-captured-by">{tr(i18n, |i| t_string!(i, captured_by))}</label>
                <select id="idea-captured-by" prop:disabled=disabled on:change=move |ev| captured_by.set(event_target_value(&ev))>
                    <option value="" selected=move || captured_by.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                    {choices(lists.with_value(|l| l.3.clone()), captured_by)}
                </select>
                <label for="idea-date">{tr(i18n, |i| t_string!(i, captured_on))}</label>
                <input id="idea-date" type="date" required prop:disabled=disabled
                    prop:value=move || captured_on.get() on:input=move |ev| captured_on.set(event_target_value(&ev)) />
                {if sees_contact {
                    view! {
                        <fieldset class="contact-fields">
                            <legend>{tr(i18n, |i| t_string!(i, idea_contact_legend))}</legend>
                            <label for="idea-contact-name">{tr(i18n, |i| t_string!(i, contact_name))}</label>
                            <input id="idea-contact-name" type="text" maxlength=SHORT_TEXT_MAX prop:disabled=disabled
                                prop:value=move || contact_name.get() on:input=move |ev| contact_name.set(event_target_value(&ev)) />
                            <label for="idea-contact-info">{tr(i18n, |i| t_string!(i, contact_info))}</label>
                            <input id="idea-contact-info" type="text" maxlength=SHORT_TEXT_MAX prop:disabled=disabled
                                prop:value=move || contact_info.get() on:input=move |ev| contact_info.set(event_target_value(&ev)) />
                            <div class="check">
                                <input id="idea-consent" type="checkbox" prop:disabled=disabled prop:checked=move || consent.get()
                                    on:change=move |ev| consent.set(event_target_checked(&ev)) />
                                <label for="idea-consent">{tr(i18n, |i| t_string!(i, consent_label))}</label>
                            </div>
                        </fieldset>
                    }.into_any()
                } else {
                    view! { <p class="muted contact-hidden">{tr(i18n, |i| t_string!(i, contact_hidden))}</p> }.into_any()
                }}
                <Show when=move || stale.get()>
                    <p class="warning stale-form" role="status">{tr(i18n, |i| t_string!(i, changed_elsewhere))}</p>
                </Show>
                {message.view()}
                {can_edit.then(|| view! {
                    <div class="actions">
                        <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button>
                        {staff.then(|| view! { <button type="button" class="danger" on:click=delete>{tr(i18n, |i| t_string!(i, delete))}</button> })}
                    </div>
                })}
            </form>
        </Show>
        <section class="card" aria-labelledby="stage-days-heading">
            <h2 id="stage-days-heading">{tr(i18n, |i| t_string!(i, stage_days_heading))}</h2>
            <ul class="stage-days">{days}</ul>
        </section>
        <Comments target_kind=Kind::Idea target_id=id />
        <History id />
    }
    .into_any()
}
