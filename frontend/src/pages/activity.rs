//! One activity: its status, owner, due date and notes, edited offline-first; delete and restore.

use std::collections::HashMap;
use tavla_shared::plan_view::names;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tavla_shared::date::Date;
use tavla_shared::kinds::{Activity, KindFields, Person, StrategicGoal};
use tavla_shared::plan_view::PlanView;
use tavla_shared::protocol::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use tavla_shared::rules::may_edit;
use tavla_shared::wire::Record;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::badges::{status_label, StatusBadge};
use crate::components::check_list::{focus_area_options, CheckList};
use crate::components::conflict_banner::ConflictBanner;
use crate::components::edit_form::{delete_record, edit_form, restore_record};
use crate::components::enum_select::EnumSelect;
use crate::components::feedback::Feedback;
use crate::components::record_log::{Comments, History};
use crate::components::record_page::record_page;
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::paths;
use crate::session::{random_uuid, use_session};
use crate::store::sync::use_sync;

/// `/aktivitet/:id`.
#[component]
pub fn ActivityPage() -> impl IntoView {
    record_page(
        Kind::Activity,
        (paths::OVERVIEW, |i| t_string!(i, back_to_overview)),
        |i| t_string!(i, activity_not_found),
        |id| view! { <ActivityView id /> }.into_any(),
    )
}

fn goal_of(view: &HashMap<Uuid, Record>, id: Uuid) -> Option<StrategicGoal> {
    view.get(&id).and_then(StrategicGoal::from_record)
}

#[component]
fn ActivityView(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let can_edit =
        session.0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::Activity)));
    let record = Memo::new(move |_| sync.view.with(|v| v.get(&id).cloned()));
    let current = move || record.with_untracked(|r| r.as_ref().and_then(Activity::from_record));
    let Some(activity) = current() else {
        return view! { <h1>{tr(i18n, |i| t_string!(i, activity_not_found))}</h1> }.into_any();
    };
    let goal_number = sync.view.with_untracked(|v| goal_of(v, activity.strategic_goal_id)).map(|g| g.number);
    let pending = move || sync.pending_ids().contains(&id);
    // Follows the records, so a person added below appears at once.
    let people = Memo::new(move |_| sync.view.with(|v| names(v.values(), Kind::Person)));
    let can_add_person =
        session.0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::Person)));

    let status = RwSignal::new(activity.status);
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let municipalities = RwSignal::new(Vec::new());
    let partners = RwSignal::new(Vec::new());
    let focus = RwSignal::new(Vec::new());
    // What the form is drawn from: the fields it has no input for (title, position …) come
    // from here too, so they follow changes made elsewhere.
    let drawn = StoredValue::new(activity.clone());
    let show = move |a: &Activity| {
        drawn.set_value(a.clone());
        status.set(a.status);
        owner.set(a.owner_person_id.map(|o| o.to_string()).unwrap_or_default());
        due.set(a.due_on.map(|d| d.to_string()).unwrap_or_default());
        notes.set(a.notes.clone().unwrap_or_default());
        municipalities.set(a.municipality_ids.clone());
        partners.set(a.partner_ids.clone());
        focus.set(a.focus_area_ids.clone());
    };
    show(&activity);
    // The form as a typed record. Ticked lists keep the order they were drawn in, so ticking a
    // box off and on again changes nothing.
    let draft = move || {
        let mut a = drawn.get_value();
        let in_order = |before: &[Uuid], chosen: Vec<Uuid>| {
            let mut list: Vec<Uuid> = before.iter().copied().filter(|x| chosen.contains(x)).collect();
            list.extend(chosen.into_iter().filter(|x| !before.contains(x)));
            list
        };
        a.status = status.get_untracked();
        a.owner_person_id = Uuid::parse_str(&owner.get_untracked()).ok();
        a.due_on = Date::parse(&due.get_untracked());
        a.notes = Some(notes.get_untracked()).filter(|n| !n.trim().is_empty());
        a.municipality_ids = in_order(&a.municipality_ids, municipalities.get_untracked());
        a.partner_ids = in_order(&a.partner_ids, partners.get_untracked());
        a.focus_area_ids = in_order(&a.focus_area_ids, focus.get_untracked());
        a
    };
    let message = Feedback::new();
    // The typed edit path: remembers the version and values it opened with, follows changes
    // from elsewhere, asks before leaving with unsaved changes.
    let form = edit_form(id, activity.clone(), draft, show, t_string!(i18n, unsaved_leave));
    let stale = form.stale;
    let (all_municipalities, all_partners) = sync
        .view
        .with_untracked(|v| (names(v.values(), Kind::Municipality), names(v.values(), Kind::Partner)));

    let all_focus = sync.view.with_untracked(|v| focus_area_options(&PlanView::from_records(v.values())));
    let place_names = StoredValue::new((all_municipalities.clone(), all_partners.clone(), all_focus.clone()));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        form.submit(id, draft(), message, i18n);
    };

    let delete = move |_| delete_record(sync, Kind::Activity, id, t_string!(i18n, delete_confirm));
    let restore = move |_| restore_record(sync, Kind::Activity, id);
    let deleted = move || record.with(|r| r.as_ref().is_some_and(|r| r.deleted));
    let shown = move || record.with(|r| r.as_ref().and_then(Activity::from_record));
    let status_now = move || shown().map(|a| view! { <StatusBadge status=a.status /> });
    let title = move || shown().map(|a| a.title).unwrap_or_default();

    view! {
        <p class="back">
            {goal_number.map(|n| view! { <a href=paths::goal(n)>"← " {trf(i18n, |i| t_string!(i, back_to_goal), vec![("number", n.to_string())])}</a> })}
        </p>
        <p class="goal-number">{tr(i18n, |i| t_string!(i, activity_heading))}</p>
        <h1>{title}</h1>
        <ConflictBanner target_id=id />
        <div class="activity-meta">
            {status_now}
            <Show when=pending><span class="badge pending-badge">{tr(i18n, |i| t_string!(i, not_synced_badge))}</span></Show>
        </div>
        <Show when=deleted>
            <div class="card deleted-box" role="status">
                <p>{tr(i18n, |i| t_string!(i, deleted_notice))}</p>
                <Show when=move || can_edit>
                    <button type="button" on:click=restore>{tr(i18n, |i| t_string!(i, restore))}</button>
                </Show>
            </div>
        </Show>
        <Show when=move || !deleted() && can_edit>
            <form class="card form activity-form" on:submit=on_submit>
                <label for="status">{tr(i18n, |i| t_string!(i, status))}</label>
                <EnumSelect id="status" value=status label=status_label disabled=!can_edit />
                <label for="owner">{tr(i18n, |i| t_string!(i, owner))}</label>
                <select id="owner" prop:disabled=!can_edit on:change=move |ev| owner.set(event_target_value(&ev))>
                    <option value="" selected=move || owner.get().is_empty()>{tr(i18n, |i| t_string!(i, nobody))}</option>
                    {move || people.get().into_iter().map(|(pid, name)| {
                        let value = pid.to_string();
                        let v2 = value.clone();
                        view! { <option value=value selected=move || owner.get() == v2>{name}</option> }
                    }).collect_view()}
                </select>
                {can_add_person.then(|| view! { <NewPerson owner /> })}
                <label for="due">{tr(i18n, |i| t_string!(i, due_label))}</label>
                <input id="due" type="date" prop:disabled=!can_edit prop:value=move || due.get()
                    on:input=move |ev| due.set(event_target_value(&ev)) />
                <label for="notes">{tr(i18n, |i| t_string!(i, notes))}</label>
                <textarea id="notes" rows="5" maxlength=LONG_TEXT_MAX prop:disabled=!can_edit prop:value=move || notes.get()
                    on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                <CheckList legend=t_string!(i18n, field_municipality_ids_heading) prefix="municipality"
                    options=all_municipalities.clone() chosen=municipalities enabled=can_edit />
                <CheckList legend=t_string!(i18n, field_partner_ids_heading) prefix="partner"
                    options=all_partners.clone() chosen=partners enabled=can_edit />
                <CheckList legend=t_string!(i18n, focus_areas) prefix="focus-area"
                    options=all_focus.clone() chosen=focus enabled=can_edit />
                <Show when=move || stale.get()>
                    <p class="warning stale-form" role="status">{tr(i18n, |i| t_string!(i, changed_elsewhere))}</p>
                </Show>
                {message.view()}
                <Show when=move || can_edit>
                    <div class="actions">
                        <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button>
                        <button type="button" class="danger" on:click=delete>{tr(i18n, |i| t_string!(i, delete))}</button>
                    </div>
                </Show>
            </form>
        </Show>
        // A board member sees the facts as text, and why they cannot change them.
        <Show when=move || !deleted() && !can_edit>
            <section class="card read-only" aria-labelledby="facts-heading">
                <h2 id="facts-heading" class="visually-hidden">{tr(i18n, |i| t_string!(i, activity_heading))}</h2>
                <p class="read-only-note">{tr(i18n, |i| t_string!(i, read_only_activity))}</p>
                {move || shown().map(|a| {
                    let name = |ids: &[Uuid]| -> String {
                        let (ms, ps, fs) = place_names.get_value();
                        let all = people.get().into_iter().chain(ms).chain(ps).chain(fs);
                        let names: Vec<String> = all.filter(|(pid, _)| ids.contains(pid)).map(|(_, n)| n).collect();
                        if names.is_empty() { "–".to_string() } else { names.join(", ") }
                    };
                    let owner = a.owner_person_id.map_or_else(|| t_string!(i18n, nobody).to_string(), |o| name(&[o]));
                    let status = a.status;
                    view! {
                        <dl class="facts">
                            <div><dt>{tr(i18n, |i| t_string!(i, status))}</dt><dd>{move || status_label(i18n, status)}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, owner))}</dt><dd>{owner}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, due_label))}</dt><dd>{a.due_on.map_or_else(|| "–".to_string(), |d| d.to_string())}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, field_municipality_ids_heading))}</dt><dd>{name(&a.municipality_ids)}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, field_partner_ids_heading))}</dt><dd>{name(&a.partner_ids)}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, focus_areas))}</dt><dd>{name(&a.focus_area_ids)}</dd></div>
                            <div><dt>{tr(i18n, |i| t_string!(i, notes))}</dt><dd class="notes-text">{a.notes.unwrap_or_else(|| "–".to_string())}</dd></div>
                        </dl>
                    }
                })}
            </section>
        </Show>
        <Comments target_kind=Kind::Activity target_id=id />
        <History id />
    }
    .into_any()
}

/// Adds a person (the plan's owners are not in the default data) and picks them as owner; the
/// activity's own "Spara" then saves the choice. The ambassador register will hold the rest of
/// a person's details.
#[component]
fn NewPerson(owner: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let name = RwSignal::new(String::new());
    let add = move |_: ()| {
        let text = name.get_untracked().trim().to_string();
        if text.is_empty() {
            return;
        }
        let id = random_uuid();
        let person = Person::named(text);
        spawn_local(async move {
            if sync.create(id, &person).await.is_ok() {
                owner.set(id.to_string());
                name.set(String::new());
            }
        });
    };
    view! {
        <details class="new-person">
            <summary>{tr(i18n, |i| t_string!(i, new_person))}</summary>
            <label for="new-person-name">{tr(i18n, |i| t_string!(i, new_person_name))}</label>
            // Enter adds the person; it must not save the whole activity form around it.
            <input id="new-person-name" type="text" maxlength=SHORT_TEXT_MAX prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
                on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add(()); } />
            <button type="button" on:click=move |_| add(())>{tr(i18n, |i| t_string!(i, new_person_add))}</button>
        </details>
    }
}
