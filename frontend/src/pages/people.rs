//! The people register: `/personer` (search and filters in the URL), a person's page
//! `/personer/:id`, and `/ambassadorer` (ambassadors and the municipalities they cover).
//!
//! A private person's e-mail and phone (someone neither on the board nor staff) reach only
//! staff, admins and that person: on anyone else's device the fields are simply absent, so the
//! page says they are hidden rather than showing them as empty, and the form leaves them alone.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use tavla_shared::funnel::{ambassadors, coverage};
use tavla_shared::kinds::{Idea, KindFields, Municipality, Person};
use tavla_shared::people::{involvement, PeopleFilter, NO, YES};
use tavla_shared::plan_view::{Item, PlanView};
use tavla_shared::privacy::{may_see, private_fields};
use tavla_shared::protocol::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use tavla_shared::rules::{may_delete, may_edit};
use tavla_shared::values::{PersonRole, Role};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::api;
use crate::components::conflict_banner::ConflictBanner;
use crate::components::edit_form::{delete_record, edit_form, restore_record};
use crate::components::export::ExportButton;
use crate::components::feedback::Feedback;
use crate::components::plan_loader::with_plan;
use crate::components::record_log::{Comments, History};
use crate::components::record_page::record_page;
use crate::components::{options, tr, trf, trn, with_query};
use crate::i18n::*;
use crate::pages::events::event_title;
use crate::paths;
use crate::session::{random_uuid, use_session, viewer};
use crate::store::sync::use_sync;
use tavla_shared::export::Register;

/// A person's role in words, in the current language.
pub fn person_role_label(i18n: leptos_i18n::I18nContext<Locale>, role: PersonRole) -> &'static str {
    match role {
        PersonRole::BoardMember => t_string!(i18n, person_role_board_member),
        PersonRole::Staff => t_string!(i18n, person_role_staff),
        PersonRole::FormerProjectOwner => t_string!(i18n, person_role_former_project_owner),
        PersonRole::Other => t_string!(i18n, person_role_other),
    }
}

/// Rows shown at first; more on request.
const LIST_PAGE: usize = 100;

/// `/personer`: search, filters (in the URL query) and the register as cards; staff add people.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let navigate = use_navigate();
    let can_add = viewer().is_some_and(|v| may_edit(v.role, Kind::Person));
    let filter = Memo::new(move |_| {
        query.with(|q| PeopleFilter::from_pairs(q.into_iter().map(|(k, v)| (k.as_ref(), v))))
    });
    // The search box's own text: the URL follows it at every key, and it follows the URL when
    // that changes elsewhere (a link to the register without a search).
    let text = RwSignal::new(filter.with_untracked(|f| f.text.clone()));
    Effect::new(move |_| {
        let wanted = filter.with(|f| f.text.clone());
        if wanted.trim() != text.get_untracked().trim() {
            text.set(wanted);
        }
    });
    // Every change replaces the URL (no history entry per key or click); the URL is the state.
    let go = move |f: PeopleFilter| {
        let url = with_query(paths::PEOPLE, &f.to_pairs());
        navigate(&url, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    // The municipalities the filter offers (code, name), following the records but redrawn only
    // when they change, so a sync never rebuilds the filters under the user's fingers.
    let places = Memo::new(move |_| {
        let mut list: Vec<(String, String)> = sync.view.with(|v| {
            v.values()
                .filter(|r| !r.deleted)
                .filter_map(Municipality::from_record)
                .map(|m| (m.code, m.name))
                .collect()
        });
        list.sort_by(|a, b| a.1.cmp(&b.1));
        list
    });
    let limit = RwSignal::new(LIST_PAGE);
    Effect::new(move |_| {
        filter.track();
        limit.set(LIST_PAGE);
    });

    let set = {
        let go = go.clone();
        move |change: &dyn Fn(&mut PeopleFilter)| {
            let mut f = filter.get_untracked();
            f.text = text.get_untracked();
            change(&mut f);
            go(f);
        }
    };
    let on_text = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            text.set(value.clone());
            set(&|f: &mut PeopleFilter| f.text = value.clone());
        }
    };
    let on_role = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&|f: &mut PeopleFilter| f.role = PersonRole::ALL.iter().copied().find(|r| r.as_str() == v));
        }
    };
    let on_ambassador = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&|f: &mut PeopleFilter| {
                f.ambassador = match v.as_str() {
                    YES => Some(true),
                    NO => Some(false),
                    _ => None,
                }
            });
        }
    };
    let on_place = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&|f: &mut PeopleFilter| f.municipality = Some(v.clone()).filter(|v| !v.is_empty()));
        }
    };
    let clear = move |_| {
        text.set(String::new());
        go(PeopleFilter::default());
    };
    let role_now = move || filter.with(|f| f.role.map(|r| r.as_str()).unwrap_or_default());
    let ambassador_now = move || {
        filter.with(|f| match f.ambassador {
            Some(true) => YES,
            Some(false) => NO,
            None => "",
        })
    };
    let place_now = move || filter.with(|f| f.municipality.clone().unwrap_or_default());
    let active = move || filter.with(|f| !f.is_empty()) || !text.with(|t| t.trim().is_empty());

    view! {
        <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, people_heading))}</h1>
        <p class="export-actions"><ExportButton register=Register::People /><a href=format!("{}?register=people", paths::IMPORT)>{tr(i18n, |i| t_string!(i, import_link))}</a></p>
        <p class="lead">{tr(i18n, |i| t_string!(i, people_lead))}</p>
        <p><a href=paths::AMBASSADORS>{tr(i18n, |i| t_string!(i, people_ambassadors_link))}</a></p>
        {can_add.then(|| view! { <NewPersonForm /> })}
        <form class="filters card people-filters" role="search" aria-label=move || t_string!(i18n, people_search_label)
            on:submit=|ev| ev.prevent_default()>
            <div class="filter people-search">
                <label for="people-search">{tr(i18n, |i| t_string!(i, people_search))}</label>
                <input id="people-search" type="search" autocomplete="off" aria-describedby="people-search-hint"
                    prop:value=move || text.get() on:input=on_text />
                <p id="people-search-hint" class="muted">{tr(i18n, |i| t_string!(i, people_search_hint))}</p>
            </div>
            <div class="filter">
                <label for="people-role">{tr(i18n, |i| t_string!(i, role))}</label>
                <select id="people-role" on:change=on_role>
                    <option value="" selected=move || role_now().is_empty()>{tr(i18n, |i| t_string!(i, filter_all))}</option>
                    {PersonRole::ALL.iter().map(|&r| view! {
                        <option value=r.as_str() selected=move || role_now() == r.as_str()>{move || person_role_label(i18n, r)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="people-ambassador">{tr(i18n, |i| t_string!(i, person_ambassador))}</label>
                <select id="people-ambassador" on:change=on_ambassador>
                    <option value="" selected=move || ambassador_now().is_empty()>{tr(i18n, |i| t_string!(i, filter_all))}</option>
                    <option value=YES selected=move || ambassador_now() == YES>{tr(i18n, |i| t_string!(i, person_yes))}</option>
                    <option value=NO selected=move || ambassador_now() == NO>{tr(i18n, |i| t_string!(i, person_no))}</option>
                </select>
            </div>
            <div class="filter">
                <label for="people-municipality">{tr(i18n, |i| t_string!(i, filter_municipality))}</label>
                <select id="people-municipality" on:change=on_place>
                    <option value="" selected=move || place_now().is_empty()>{tr(i18n, |i| t_string!(i, filter_all))}</option>
                    {move || places.get().into_iter().map(|(code, name)| {
                        let c = code.clone();
                        view! { <option value=code selected=move || place_now() == c>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Show when=active>
                <button type="button" class="link-button" on:click=clear.clone()>{tr(i18n, |i| t_string!(i, filters_clear))}</button>
            </Show>
        </form>
        {with_plan(move |plan: PlanView| {
            let plan = StoredValue::new(plan);
            (move || plan.with_value(|p| register(p, &filter.get(), limit))).into_any()
        })}
    }
}

/// The result line and the matching people as cards, the first `limit`.
fn register(plan: &PlanView, filter: &PeopleFilter, limit: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let matches = filter.apply(&plan.people, &plan.municipalities);
    let total = plan.people.len();
    let count = matches.len();
    let shown = limit.get().min(count);
    let rest = count - shown;
    let (ambassador, good, more) = (
        t_string!(i18n, person_ambassador),
        t_string!(i18n, person_good_example),
        t_string!(i18n, show_more),
    );
    view! {
        <p class="result-count" role="status" aria-live="polite">
            {trn(i18n, |i| t_string!(i, people_count_single), |i| t_string!(i, people_count), total as i64,
                vec![("total", total.to_string()), ("count", count.to_string())])}
        </p>
        {(count == 0).then(|| view! { <p class="muted">{tr(i18n, |i| t_string!(i, people_none))}</p> })}
        <ul class="people-list" role="list">
            {matches[..shown].iter().map(|p| {
                let place = p.fields.municipality_id.and_then(|m| plan.name_of(m)).map(str::to_string);
                let roles = p.fields.roles.clone();
                view! {
                    <li class="card person-row">
                        <a href=paths::person(p.id) class="activity-title">{p.fields.name.clone()}</a>
                        <div class="activity-meta">
                            {roles.into_iter().map(|r| view! { <span class="badge">{person_role_label(i18n, r)}</span> }).collect_view()}
                            {p.fields.is_ambassador.then(|| view! { <span class="badge ambassador-badge">{ambassador}</span> })}
                            {p.fields.good_example.then(|| view! { <span class="badge good-example-badge">{good}</span> })}
                            {place.map(|m| view! { <span>{m}</span> })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
        {(rest > 0).then(|| view! {
            <button type="button" class="show-more" on:click=move |_| limit.update(|l| *l += LIST_PAGE)>
                {format!("{more} ({rest})")}
            </button>
        })}
    }
}

/// Staff's "Ny person": a name is enough; the rest is filled in on the person's page, where
/// the new person opens.
#[component]
fn NewPersonForm() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let message = Feedback::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = name.get_untracked().trim().to_string();
        if text.is_empty() {
            message.error(t_string!(i18n, person_name_missing));
            return;
        }
        let id = random_uuid();
        let person = Person::named(text);
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync.create(id, &person).await {
                Ok(_) => navigate(&paths::person(id), Default::default()),
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    view! {
        <details class="card new-person-box">
            <summary>{tr(i18n, |i| t_string!(i, people_new))}</summary>
            <form class="form" on:submit=on_submit>
                <label for="new-person-full-name">{tr(i18n, |i| t_string!(i, person_name))}</label>
                <input id="new-person-full-name" type="text" required maxlength=SHORT_TEXT_MAX autocomplete="off"
                    aria-describedby="new-person-hint"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <p id="new-person-hint" class="muted">{tr(i18n, |i| t_string!(i, people_new_hint))}</p>
                {message.view()}
                <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, people_new_add))}</button>
            </form>
        </details>
    }
}

/// `/personer/:id`.
#[component]
pub fn PersonPage() -> impl IntoView {
    record_page(
        Kind::Person,
        (paths::PEOPLE, |i| t_string!(i, people_back)),
        |i| t_string!(i, person_not_found),
        |id| view! { <PersonView id /> }.into_any(),
    )
}

#[component]
fn PersonView(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let me = viewer();
    // Staff and admins edit everyone; a board member only the person linked to their account.
    let can_edit = me.is_some_and(|v| may_edit(v.role, Kind::Person) || v.person_id == Some(id));
    let staff = me.is_some_and(|v| may_delete(v.role));
    let admin = me.is_some_and(|v| v.role == Role::Admin);
    let record = Memo::new(move |_| sync.view.with(|v| v.get(&id).cloned()));
    let Some(person) = record.with_untracked(|r| r.as_ref().and_then(Person::from_record)) else {
        return view! { <h1>{tr(i18n, |i| t_string!(i, person_not_found))}</h1> }.into_any();
    };
    // The e-mail and phone are private and not this viewer's to see: absent here, not empty.
    let hidden = Memo::new(move |_| {
        record.with(|r| {
            r.as_ref().is_some_and(|r| !private_fields(r).is_empty() && me.is_none_or(|v| !may_see(&v, r)))
        })
    });
    let shown = Memo::new(move |_| record.with(|r| r.as_ref().and_then(Person::from_record)));
    let deleted = move || record.with(|r| r.as_ref().is_some_and(|r| r.deleted));
    let municipalities = sync.view.with_untracked(|v| {
        let mut list: Vec<Item<Municipality>> = v
            .values()
            .filter(|r| !r.deleted)
            .filter_map(|r| Municipality::from_record(r).map(|fields| Item { id: r.id, fields }))
            .collect();
        list.sort_by(|a, b| a.fields.name.cmp(&b.fields.name));
        list
    });
    let place_names = StoredValue::new(
        municipalities.iter().map(|m| (m.id, m.fields.name.clone())).collect::<Vec<(Uuid, String)>>(),
    );
    let place_name = move |m: Option<Uuid>| {
        m.and_then(|m| place_names.with_value(|l| l.iter().find(|(id, _)| *id == m).map(|(_, n)| n.clone())))
    };

    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<PersonRole>::new());
    let ambassador = RwSignal::new(false);
    let municipality = RwSignal::new(String::new());
    let good = RwSignal::new(false);
    let notes = RwSignal::new(String::new());
    let drawn = StoredValue::new(person.clone());
    let show = move |p: &Person| {
        drawn.set_value(p.clone());
        name.set(p.name.clone());
        email.set(p.email.clone().unwrap_or_default());
        phone.set(p.phone.clone().unwrap_or_default());
        roles.set(p.roles.clone());
        ambassador.set(p.is_ambassador);
        municipality.set(p.municipality_id.map(|m| m.to_string()).unwrap_or_default());
        good.set(p.good_example);
        notes.set(p.notes.clone().unwrap_or_default());
    };
    show(&person);
    // The form as a typed record. Roles keep the order they were drawn in, so ticking a box off
    // and on again changes nothing; hidden contact fields are left as drawn (absent).
    let draft = move || {
        let mut p = drawn.get_value();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|t| !t.is_empty());
        p.name = name.get_untracked().trim().to_string();
        if !hidden.get_untracked() {
            p.email = text(email);
            p.phone = text(phone);
        }
        let chosen = roles.get_untracked();
        let mut in_order: Vec<PersonRole> = p.roles.iter().copied().filter(|r| chosen.contains(r)).collect();
        for r in PersonRole::ALL.iter().copied().filter(|r| chosen.contains(r)) {
            if !in_order.contains(&r) {
                in_order.push(r);
            }
        }
        p.roles = in_order;
        p.is_ambassador = ambassador.get_untracked();
        p.municipality_id = Uuid::parse_str(&municipality.get_untracked()).ok();
        p.good_example = good.get_untracked();
        p.notes = text(notes);
        p
    };
    let message = Feedback::new();
    let form = edit_form(id, person.clone(), draft, show, t_string!(i18n, unsaved_leave));
    let stale = form.stale;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = draft();
        if typed.name.is_empty() {
            message.error(t_string!(i18n, person_name_missing));
            return;
        }
        form.submit(id, typed, message, i18n);
    };
    let delete = move |_| delete_record(sync, Kind::Person, id, t_string!(i18n, person_delete_confirm));
    let restore = move |_| restore_record(sync, Kind::Person, id);
    let title = move || shown.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let hidden_note = move || {
        view! { <p class="muted contacts-hidden">{tr(i18n, |i| t_string!(i, person_contacts_hidden))}</p> }
    };
    let place_options = move || {
        options(
            place_names.with_value(|l| l.iter().map(|(m, n)| (m.to_string(), n.clone())).collect()),
            municipality,
        )
    };

    view! {
        <p class="back"><a href=paths::PEOPLE>"← " {tr(i18n, |i| t_string!(i, people_back))}</a></p>
        <p class="goal-number">{tr(i18n, |i| t_string!(i, person_label))}</p>
        <h1>{title}</h1>
        <ConflictBanner target_id=id />
        <div class="activity-meta">
            {move || shown.get().map(|p| view! {
                {p.roles.into_iter().map(|r| view! { <span class="badge">{person_role_label(i18n, r)}</span> }).collect_view()}
                {p.is_ambassador.then(|| view! { <span class="badge ambassador-badge">{tr(i18n, |i| t_string!(i, person_ambassador))}</span> })}
                {p.good_example.then(|| view! { <span class="badge good-example-badge">{tr(i18n, |i| t_string!(i, person_good_example))}</span> })}
            })}
        </div>
        <Show when=deleted>
            <div class="card deleted-box" role="status">
                <p>{tr(i18n, |i| t_string!(i, person_deleted))}</p>
                <Show when=move || staff>
                    <button type="button" on:click=restore>{tr(i18n, |i| t_string!(i, restore))}</button>
                </Show>
            </div>
        </Show>
        <Show when=move || !deleted() && can_edit>
            <form class="card form person-form" on:submit=on_submit>
                <label for="person-name">{tr(i18n, |i| t_string!(i, person_name))}</label>
                <input id="person-name" type="text" required maxlength=SHORT_TEXT_MAX autocomplete="off"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <Show when=move || !hidden.get() fallback=hidden_note>
                    <label for="person-email">{tr(i18n, |i| t_string!(i, person_email))}</label>
                    <input id="person-email" type="email" maxlength=SHORT_TEXT_MAX autocomplete="off"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                    <label for="person-phone">{tr(i18n, |i| t_string!(i, person_phone))}</label>
                    <input id="person-phone" type="tel" maxlength=SHORT_TEXT_MAX autocomplete="off"
                        prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev)) />
                    <Show when=move || shown.with(|p| p.as_ref().is_some_and(Person::is_private))>
                        <p class="muted">{tr(i18n, |i| t_string!(i, person_contacts_private_hint))}</p>
                    </Show>
                </Show>
                <fieldset class="check-list">
                    <legend>{tr(i18n, |i| t_string!(i, person_roles))}</legend>
                    {PersonRole::ALL.iter().map(|&r| {
                        let input_id = format!("person-role-{}", r.as_str());
                        view! {
                            <div class="check">
                                <input type="checkbox" id=input_id.clone()
                                    prop:checked=move || roles.with(|c| c.contains(&r))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        roles.update(|c| { c.retain(|x| *x != r); if on { c.push(r) } });
                                    } />
                                <label for=input_id>{move || person_role_label(i18n, r)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="check">
                    <input type="checkbox" id="person-ambassador" prop:checked=move || ambassador.get()
                        on:change=move |ev| ambassador.set(event_target_checked(&ev)) />
                    <label for="person-ambassador">{tr(i18n, |i| t_string!(i, person_is_ambassador))}</label>
                </div>
                <label for="person-municipality">{tr(i18n, |i| t_string!(i, filter_municipality))}</label>
                <select id="person-municipality" on:change=move |ev| municipality.set(event_target_value(&ev))>
                    <option value="" selected=move || municipality.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                    {place_options()}
                </select>
                <div class="check">
                    <input type="checkbox" id="person-good-example" aria-describedby="person-good-example-hint"
                        prop:checked=move || good.get() on:change=move |ev| good.set(event_target_checked(&ev)) />
                    <label for="person-good-example">{tr(i18n, |i| t_string!(i, person_good_example))}</label>
                </div>
                <p id="person-good-example-hint" class="muted">{tr(i18n, |i| t_string!(i, person_good_example_hint))}</p>
                <label for="person-notes">{tr(i18n, |i| t_string!(i, notes))}</label>
                <textarea id="person-notes" rows="4" maxlength=LONG_TEXT_MAX prop:value=move || notes.get()
                    on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                <Show when=move || stale.get()>
                    <p class="warning stale-form" role="status">{tr(i18n, |i| t_string!(i, changed_elsewhere))}</p>
                </Show>
                {message.view()}
                <div class="actions">
                    <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button>
                    {staff.then(|| view! { <button type="button" class="danger" on:click=delete>{tr(i18n, |i| t_string!(i, delete))}</button> })}
                </div>
            </form>
        </Show>
        // Everyone else sees the facts as text, and why they cannot change them.
        <Show when=move || !deleted() && !can_edit>
            <section class="card read-only" aria-labelledby="person-facts-heading">
                <h2 id="person-facts-heading" class="visually-hidden">{tr(i18n, |i| t_string!(i, person_facts))}</h2>
                <p class="read-only-note">{tr(i18n, |i| t_string!(i, person_read_only))}</p>
                {move || shown.get().map(|p| {
                    let dash = || "–".to_string();
                    let roles = if p.roles.is_empty() {
                        dash()
                    } else {
                        p.roles.iter().map(|r| person_role_label(i18n, *r)).collect::<Vec<_>>().join(", ")
                    };
                    let yes_no = |b: bool| if b { t_string!(i18n, person_yes) } else { t_string!(i18n, person_no) };
                    view! {
                        <dl class="facts">
                            {if hidden.get() {
                                view! { <div><dt>{tr(i18n, |i| t_string!(i, person_contact))}</dt><dd>{hidden_note()}</dd></div> }.into_any()
                            } else {
                                view! {
                                    <div><dt>{tr(i18n, |i| t_string!(i, person_email))}</dt><dd>{p.email.clone().map_or_else(
                                        || view! { <span>{dash()}</span> }.into_any(),
                                        |e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> }.into_any())}</dd></div>
                                    <div><dt>{tr(i18n, |i| t_string!(i, person_phone))}</dt><dd>{p.phone.clone().map_or_else(
                                        || view! { <span>{dash()}</span> }.into_any(),
                                        |t| view! { <a href=format!("tel:{}", t.replace(' ', ""))>{t.clone()}</a> }.into_any())}</dd></div>
                                }.into_any()
                            }}
                            <div><dt>{tr(i18n, |i| t_string!(i, person_roles))}</dt><dd>{roles}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, person_ambassador))}</dt><dd>{yes_no(p.is_ambassador)}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, filter_municipality))}</dt><dd>{place_name(p.municipality_id).unwrap_or_else(dash)}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, person_good_example))}</dt><dd>{yes_no(p.good_example)}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, notes))}</dt><dd class="notes-text">{p.notes.unwrap_or_else(dash)}</dd></div>
                        </dl>
                    }
                })}
            </section>
        </Show>
        {admin.then(|| view! { <LinkedAccount id /> })}
        <Involvement id />
        <Comments target_kind=Kind::Person target_id=id />
        <History id />
    }
    .into_any()
}

/// The account linked to the person, for admins: read from the server, so it needs a
/// connection; without one the page says so and goes on.
#[component]
fn LinkedAccount(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let users = LocalResource::new(move || {
        let token = session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default());
        async move { api::users(&token).await }
    });
    let role_word = move |role: Role| match role {
        Role::Admin => t_string!(i18n, role_admin),
        Role::Staff => t_string!(i18n, role_staff),
        Role::Board => t_string!(i18n, role_board),
    };
    view! {
        <section class="card" aria-labelledby="person-account-heading">
            <h2 id="person-account-heading">{tr(i18n, |i| t_string!(i, person_linked_account))}</h2>
            <Suspense fallback=move || view! { <p class="muted">{tr(i18n, |i| t_string!(i, loading))}</p> }>
                {move || users.get().map(|answer| match answer {
                    Ok(list) => match list.into_iter().find(|u| u.person_id == Some(id)) {
                        Some(u) => view! {
                            <p>
                                <a href=paths::ACCOUNTS>{format!("{} ({})", u.display_name, u.username)}</a>
                                " · " {role_word(u.role)}
                                {u.disabled.then(|| view! { " · " {tr(i18n, |i| t_string!(i, person_account_disabled))} })}
                            </p>
                        }.into_any(),
                        None => view! { <p class="muted">{tr(i18n, |i| t_string!(i, person_no_account))}</p> }.into_any(),
                    },
                    Err(_) => view! { <p class="muted">{tr(i18n, |i| t_string!(i, person_account_unavailable))}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// "Vad hen har gjort": ideas captured, events taken part in, dialogues they were in or whose next step they
/// own, marketing about or by them; each a short list with a count.
#[component]
fn Involvement(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let done = Memo::new(move |_| sync.view.with(|v| involvement(v.values(), id)));
    let none = move || view! { <p class="muted">{tr(i18n, |i| t_string!(i, person_none_yet))}</p> };
    // One part: a small heading with the count, then the list or "Inga ännu".
    let part = move |heading: fn(leptos_i18n::I18nContext<Locale>) -> &'static str,
                     heading_id: &'static str,
                     rows: Vec<AnyView>| {
        let count = rows.len();
        view! {
            <h3 id=heading_id>{trf(i18n, heading, vec![("count", count.to_string())])}</h3>
            {if rows.is_empty() {
                none().into_any()
            } else {
                view! { <ul class="done-list" aria-labelledby=heading_id>{rows}</ul> }.into_any()
            }}
        }
    };
    view! {
        <section class="card" aria-labelledby="person-done-heading">
            <h2 id="person-done-heading">{tr(i18n, |i| t_string!(i, person_done_heading))}</h2>
            {move || {
                let d = done.get();
                let plan = sync.view.with_untracked(|v| PlanView::from_records(v.values()));
                let ideas = d.ideas.iter().map(|i: &Item<Idea>| view! {
                    <li><a href=paths::idea(i.id)>{i.fields.title.clone()}</a>" · "<time>{i.fields.captured_on.to_string()}</time></li>
                }.into_any()).collect();
                let events = d.events.iter().map(|e| {
                    let title = event_title(i18n, &e.fields, &plan);
                    view! { <li><a href=paths::event(e.id)>{title}</a>" · "<time>{e.fields.date.to_string()}</time></li> }.into_any()
                }).collect();
                let dialogues = d.dialogues.iter().map(|x| {
                    let partner = plan.name_of(x.fields.partner_id).map(str::to_string).unwrap_or_else(|| "–".into());
                    let step = x.fields.next_step.clone().unwrap_or_else(|| x.fields.summary.clone());
                    let due = x.fields.next_step_due.map(|d| format!(" · {} {d}", t_string!(i18n, due_label)));
                    let done = x.fields.step_is_done().then(|| t_string!(i18n, person_step_done));
                    view! {
                        <li>
                            <time>{x.fields.date.to_string()}</time>" · "<a href=paths::dialogue(x.id)>{partner}</a>": "{step}{due}
                            {done.map(|w| view! { " " <span class="badge status-done">{w}</span> })}
                        </li>
                    }.into_any()
                }).collect();
                let marketing = d.marketing.iter().map(|m| {
                    let when = m.fields.publish_on.map(|d| d.to_string()).or_else(|| m.fields.week.clone());
                    let how = match (m.fields.owner_person_id == Some(id), m.fields.featured_person_id == Some(id)) {
                        (true, true) => format!("{}, {}", t_string!(i18n, owner), t_string!(i18n, person_featured)),
                        (true, false) => t_string!(i18n, owner).to_string(),
                        _ => t_string!(i18n, person_featured).to_string(),
                    };
                    view! {
                        <li>{m.fields.title.clone()}{when.map(|w| view! { " · " <time>{w}</time> })}" · "{how}</li>
                    }.into_any()
                }).collect();
                view! {
                    {part(|i| t_string!(i, person_done_ideas), "person-done-ideas", ideas)}
                    {part(|i| t_string!(i, person_done_events), "person-done-events", events)}
                    {part(|i| t_string!(i, person_done_dialogues), "person-done-dialogues", dialogues)}
                    {part(|i| t_string!(i, person_done_marketing), "person-done-marketing", marketing)}
                }
            }}
        </section>
    }
}

/// `/ambassadorer`: each ambassador with the ideas caught this year and the latest, then every
/// municipality with its ambassadors, those without one marked in words.
#[component]
pub fn AmbassadorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let year = js_sys::Date::new_0().get_full_year() as i32;
    view! {
        <p class="back"><a href=paths::PEOPLE>"← " {tr(i18n, |i| t_string!(i, people_back))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, ambassadors_heading))}</h1>
        <p class="lead">{tr(i18n, |i| t_string!(i, ambassadors_lead))}</p>
        {with_plan(move |plan: PlanView| {
            let ideas: Vec<Item<Idea>> = sync.view.with_untracked(|v| {
                v.values()
                    .filter(|r| !r.deleted)
                    .filter_map(|r| Idea::from_record(r).map(|fields| Item { id: r.id, fields }))
                    .collect()
            });
            let rows = ambassadors(&plan.people, &ideas, year);
            let covered = coverage(&plan.municipalities, &plan.people);
            let total = covered.len();
            let missing = covered.iter().filter(|(_, a)| a.is_empty()).count();
            let name_of = |p: Uuid| plan.name_of(p).unwrap_or("–").to_string();
            let table_rows = rows.iter().map(|r| {
                let place = r.person.fields.municipality_id.and_then(|m| plan.name_of(m)).unwrap_or("–").to_string();
                let last = r.last_capture.map(|d| view! { <time>{d.to_string()}</time> }.into_any())
                    .unwrap_or_else(|| tr(i18n, |i| t_string!(i, ambassadors_no_ideas)).into_any());
                view! {
                    <tr>
                        <th scope="row"><a href=paths::person(r.person.id)>{r.person.fields.name.clone()}</a></th>
                        <td>{place}</td>
                        <td class="num">{r.captured}</td>
                        <td>{last}</td>
                    </tr>
                }
            }).collect_view();
            let coverage_rows = covered.iter().map(|(m, people)| {
                let cell = if people.is_empty() {
                    view! { <span class="no-ambassador">{tr(i18n, |i| t_string!(i, ambassadors_no_ambassador))}</span> }.into_any()
                } else {
                    people.iter().enumerate().map(|(n, p)| view! {
                        {(n > 0).then_some(", ")}<a href=paths::person(*p)>{name_of(*p)}</a>
                    }).collect_view().into_any()
                };
                view! {
                    <tr class:uncovered=people.is_empty()>
                        <th scope="row">{m.fields.name.clone()}</th>
                        <td>{cell}</td>
                    </tr>
                }
            }).collect_view();
            view! {
                <section aria-labelledby="ambassador-ideas-heading">
                    <h2 id="ambassador-ideas-heading">{tr(i18n, |i| t_string!(i, ambassadors_ideas_heading))}</h2>
                    {if rows.is_empty() {
                        view! { <p class="muted">{tr(i18n, |i| t_string!(i, ambassadors_none))}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap" role="region" tabindex="0" aria-labelledby="ambassadors-caption">
                                <table class="data-table">
                                    <caption id="ambassadors-caption">{trf(i18n, |i| t_string!(i, ambassadors_caption), vec![("year", year.to_string())])}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{tr(i18n, |i| t_string!(i, person_name))}</th>
                                            <th scope="col">{tr(i18n, |i| t_string!(i, filter_municipality))}</th>
                                            <th scope="col" class="num">{trf(i18n, |i| t_string!(i, ambassadors_col_ideas), vec![("year", year.to_string())])}</th>
                                            <th scope="col">{tr(i18n, |i| t_string!(i, ambassadors_col_last))}</th>
                                        </tr>
                                    </thead>
                                    <tbody>{table_rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                </section>
                <section aria-labelledby="coverage-heading">
                    <h2 id="coverage-heading">{tr(i18n, |i| t_string!(i, ambassadors_coverage_heading))}</h2>
                    <p class="coverage-summary">{if total == 0 {
                        tr(i18n, |i| t_string!(i, ambassadors_coverage_no_municipalities)).into_any()
                    } else if missing == 0 {
                        tr(i18n, |i| t_string!(i, ambassadors_coverage_all)).into_any()
                    } else {
                        trn(i18n, |i| t_string!(i, ambassadors_coverage_missing_single), |i| t_string!(i, ambassadors_coverage_missing),
                            missing as i64, vec![("total", total.to_string())]).into_any()
                    }}</p>
                    {(total > 0).then(|| view! {
                        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="coverage-caption">
                            <table class="data-table">
                                <caption id="coverage-caption">{tr(i18n, |i| t_string!(i, ambassadors_coverage_caption))}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{tr(i18n, |i| t_string!(i, filter_municipality))}</th>
                                        <th scope="col">{tr(i18n, |i| t_string!(i, ambassadors_heading))}</th>
                                    </tr>
                                </thead>
                                <tbody>{coverage_rows}</tbody>
                            </table>
                        </div>
                    })}
                </section>
            }
            .into_any()
        })}
    }
}
