//! Logging a dialogue with a partner (`/dialog/ny`), phone first and offline, in under 30
//! seconds: partner, summary and save; the date is today and the channel a meeting unless
//! changed, the rest folds away. `/dialog/:id` is the same form for an existing dialogue, with
//! its next step's "done".

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_navigate, use_query_map};
use tavla_shared::date::Date;
use tavla_shared::kinds::{Dialogue, KindFields};
use tavla_shared::people::{in_order, lag_candidates};
use tavla_shared::plan_view::PlanView;
use tavla_shared::protocol::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use tavla_shared::rules::{may_delete, may_edit};
use tavla_shared::values::DialogueChannel;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::check_list::{focus_area_options, goal_options, order_of, CheckList};
use crate::components::conflict_banner::ConflictBanner;
use crate::components::edit_form::{delete_record, edit_form, restore_record};
use crate::components::enum_select::EnumSelect;
use crate::components::feedback::Feedback;
use crate::components::format::today;
use crate::components::receipt::{use_receipt, Saved};
use crate::components::record_log::{Comments, History};
use crate::components::record_page::record_page;
use crate::components::{options, tr};
use crate::i18n::*;
use crate::paths;
use crate::session::{random_uuid, use_session};
use crate::store::sync::use_sync;

/// A channel in words, in the current language.
pub fn channel_label(i18n: I18nContext<Locale>, c: DialogueChannel) -> &'static str {
    match c {
        DialogueChannel::Meeting => t_string!(i18n, channel_meeting),
        DialogueChannel::Call => t_string!(i18n, channel_call),
        DialogueChannel::Email => t_string!(i18n, channel_email),
        DialogueChannel::Event => t_string!(i18n, channel_event),
        DialogueChannel::Visit => t_string!(i18n, channel_visit),
        DialogueChannel::Other => t_string!(i18n, channel_other),
    }
}

/// `/dialog/ny`, `?partner=<id>` choosing the partner.
#[component]
pub fn NewDialoguePage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let partner = query.with_untracked(|q| q.get("partner").and_then(|p| Uuid::parse_str(&p).ok()));
    move || {
        if !sync.loaded.get() {
            return view! { <p class="loading" role="status">{tr(i18n, |i| t_string!(i, loading))}</p> }
                .into_any();
        }
        let plan = sync.view.with_untracked(|v| PlanView::from_records(v.values()));
        let me = use_session().0.with_untracked(|s| s.as_ref().and_then(|s| s.user.person_id));
        let fresh = Dialogue {
            partner_id: partner.unwrap_or_else(Uuid::nil),
            date: today(),
            channel: DialogueChannel::Meeting,
            participants: None,
            summary: String::new(),
            next_step: None,
            next_step_due: None,
            next_step_owner_person_id: me,
            next_step_done: false,
            next_step_done_text: None,
            strategic_goal_ids: Vec::new(),
            partner_ids: Vec::new(),
            person_ids: me.into_iter().collect(),
            focus_area_ids: Vec::new(),
        };
        view! { <DialogueForm id=random_uuid() opened=fresh is_new=true plan /> }.into_any()
    }
}

/// `/dialog/:id`.
#[component]
pub fn DialoguePage() -> impl IntoView {
    record_page(
        Kind::Dialogue,
        (paths::PARTNERS, |i| t_string!(i, back_to_partners)),
        |i| t_string!(i, dialogue_not_found),
        |id| {
            let sync = use_sync();
            let (opened, plan) = sync.view.with_untracked(|v| {
                (v.get(&id).and_then(Dialogue::from_record), PlanView::from_records(v.values()))
            });
            match opened {
                Some(opened) => view! { <DialogueForm id opened is_new=false plan /> }.into_any(),
                None => view! { <h1>{tr(use_i18n(), |i| t_string!(i, dialogue_not_found))}</h1> }.into_any(),
            }
        },
    )
}

#[component]
fn DialogueForm(id: Uuid, opened: Dialogue, is_new: bool, plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let receipt = use_receipt();
    let role = use_session().0.with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let can_edit = role.is_some_and(|r| may_edit(r, Kind::Dialogue));
    let staff = role.is_some_and(may_delete);
    let opt = |u: Option<Uuid>| u.filter(|u| !u.is_nil()).map(|u| u.to_string()).unwrap_or_default();
    let partner = RwSignal::new(String::new());
    let further = RwSignal::new(Vec::new());
    let date = RwSignal::new(String::new());
    let channel = RwSignal::new(opened.channel);
    let people = RwSignal::new(Vec::new());
    let participants = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let next_step_due = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let goals = RwSignal::new(Vec::new());
    let focus = RwSignal::new(Vec::new());
    let drawn = StoredValue::new(opened.clone());
    let show = move |d: &Dialogue| {
        drawn.set_value(d.clone());
        partner.set(opt(Some(d.partner_id)));
        further.set(d.partner_ids.clone());
        date.set(d.date.to_string());
        channel.set(d.channel);
        people.set(d.person_ids.clone());
        participants.set(d.participants.clone().unwrap_or_default());
        summary.set(d.summary.clone());
        next_step.set(d.next_step.clone().unwrap_or_default());
        next_step_due.set(d.next_step_due.map(|d| d.to_string()).unwrap_or_default());
        owner.set(opt(d.next_step_owner_person_id));
        done.set(d.step_is_done());
        goals.set(d.strategic_goal_ids.clone());
        focus.set(d.focus_area_ids.clone());
    };
    show(&opened);
    let partner_offered: Vec<(Uuid, String)> =
        plan.partners.iter().map(|p| (p.id, p.fields.name.clone())).collect();
    let partner_order: Vec<Uuid> = partner_offered.iter().map(|(id, _)| *id).collect();
    let people_offered = lag_candidates(&plan.people, &opened.person_ids);
    let people_order: Vec<Uuid> = people_offered.iter().map(|(id, _)| *id).collect();
    let goals_offered = goal_options(&plan);
    let focus_offered = focus_area_options(&plan);
    let orders =
        StoredValue::new((partner_order, people_order, order_of(&goals_offered), order_of(&focus_offered)));
    let draft = move || {
        let before = drawn.get_value();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|t| !t.is_empty());
        let main = Uuid::parse_str(&partner.get_untracked()).unwrap_or(before.partner_id);
        let (po, pe, go, fo) = orders.get_value();
        let mut d = Dialogue {
            partner_id: main,
            date: Date::parse(&date.get_untracked()).unwrap_or(before.date),
            channel: channel.get_untracked(),
            participants: text(participants),
            summary: summary.get_untracked().trim().to_string(),
            next_step: text(next_step),
            next_step_due: Date::parse(&next_step_due.get_untracked()),
            next_step_owner_person_id: Uuid::parse_str(&owner.get_untracked()).ok(),
            next_step_done: before.next_step_done,
            next_step_done_text: before.next_step_done_text.clone(),
            strategic_goal_ids: in_order(&before.strategic_goal_ids, &goals.get_untracked(), &go),
            partner_ids: in_order(&before.partner_ids, &further.get_untracked(), &po),
            person_ids: in_order(&before.person_ids, &people.get_untracked(), &pe),
            focus_area_ids: in_order(&before.focus_area_ids, &focus.get_untracked(), &fo),
        };
        // The main partner is not also a further one.
        d.partner_ids.retain(|p| *p != main);
        tavla_shared::kinds::mark_step(
            &mut d.next_step_done,
            &mut d.next_step_done_text,
            &d.next_step,
            done.get_untracked(),
            before.step_is_done(),
            &before.next_step,
        );
        d
    };
    let message = Feedback::new();
    let form = edit_form(id, opened.clone(), draft, show, t_string!(i18n, unsaved_leave));
    let stale = form.stale;
    let plan = StoredValue::new(plan);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = draft();
        // A new dialogue names a partner in the register (an address may carry any id); an
        // older one keeps its partner even when that partner was deleted since.
        let known = Uuid::parse_str(&partner.get_untracked())
            .is_ok_and(|p| !is_new || plan.with_value(|pl| pl.partners.iter().any(|x| x.id == p)));
        if !known {
            message.error(t_string!(i18n, dialogue_partner_missing));
            return;
        }
        if typed.summary.is_empty() {
            message.error(t_string!(i18n, dialogue_summary_missing));
            return;
        }
        if Date::parse(&date.get_untracked()).is_none() {
            message.error(t_string!(i18n, event_date_invalid));
            return;
        }
        if !is_new {
            form.submit(id, typed, message, i18n);
            return;
        }
        let navigate = navigate.clone();
        let name = plan.with_value(|p| p.name_of(typed.partner_id).map(str::to_string)).unwrap_or_default();
        spawn_local(async move {
            match sync.create(id, &typed).await {
                Ok(mutation_id) => {
                    // Saved: the form has nothing left unsaved, and the partner's page shows it.
                    form.saved(&drawn.get_value(), &typed);
                    let title = crate::components::fill(
                        t_string!(i18n, dialogue_receipt_title),
                        &[("partner", name)],
                    );
                    receipt.show(Saved { mutation_id, title, place: None });
                    navigate(&paths::partner(typed.partner_id), Default::default());
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    let delete = move |_| delete_record(sync, Kind::Dialogue, id, t_string!(i18n, delete_confirm));
    let restore = move |_| restore_record(sync, Kind::Dialogue, id);
    let record = Memo::new(move |_| sync.view.with(|v| v.get(&id).map(|r| r.deleted)));
    let deleted = move || record.get() == Some(true);
    let disabled = !can_edit;
    let partner_choices: Vec<(String, String)> =
        partner_offered.iter().map(|(id, n)| (id.to_string(), n.clone())).collect();
    let owner_choices: Vec<(String, String)> =
        plan.with_value(|p| p.people.iter().map(|p| (p.id.to_string(), p.fields.name.clone())).collect());
    let back = move || {
        let p = Uuid::parse_str(&partner.get_untracked()).ok();
        p.map_or(paths::PARTNERS.to_string(), paths::partner)
    };
    let opened_further = !opened.partner_ids.is_empty();
    let opened_goals = !opened.strategic_goal_ids.is_empty() || !opened.focus_area_ids.is_empty();
    let has_people = !people_offered.is_empty();
    view! {
        <p class="back"><a href=back()>"← " {tr(i18n, |i| t_string!(i, back_to_partner))}</a></p>
        <h1>{if is_new { tr(i18n, |i| t_string!(i, new_dialogue)).into_any() } else { tr(i18n, |i| t_string!(i, dialogue_heading)).into_any() }}</h1>
        {(!is_new).then(|| view! { <ConflictBanner target_id=id /> })}
        <Show when=deleted>
            <div class="card deleted-box" role="status">
                <p>{tr(i18n, |i| t_string!(i, deleted_notice))}</p>
                {staff.then(|| view! { <button type="button" on:click=restore>{tr(i18n, |i| t_string!(i, restore))}</button> })}
            </div>
        </Show>
        <form class="card form capture-form dialogue-form" on:submit=on_submit>
            <label for="dialogue-partner">{tr(i18n, |i| t_string!(i, partner_word))}</label>
            <select id="dialogue-partner" aria-required="true" prop:disabled=disabled on:change=move |ev| partner.set(event_target_value(&ev))>
                <option value="" selected=move || partner.get().is_empty()>{tr(i18n, |i| t_string!(i, choose_partner))}</option>
                {options(partner_choices, partner)}
            </select>
            <label for="dialogue-summary">{tr(i18n, |i| t_string!(i, dialogue_summary))}</label>
            <textarea id="dialogue-summary" rows="3" required maxlength=LONG_TEXT_MAX prop:disabled=disabled
                prop:value=move || summary.get() on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
            <div class="two-fields">
                <div>
                    <label for="dialogue-date">{tr(i18n, |i| t_string!(i, event_date))}</label>
                    <input id="dialogue-date" type="date" required prop:disabled=disabled
                        prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
                </div>
                <div>
                    <label for="dialogue-channel">{tr(i18n, |i| t_string!(i, dialogue_channel))}</label>
                    <EnumSelect id="dialogue-channel" value=channel label=channel_label disabled=disabled />
                </div>
            </div>
            <fieldset class="contact-fields">
                <legend>{tr(i18n, |i| t_string!(i, next_step))}</legend>
                <label for="dialogue-next-step">{tr(i18n, |i| t_string!(i, next_step_what))}</label>
                // A step written anew is a step to take: "done" goes off.
                <input id="dialogue-next-step" type="text" maxlength=SHORT_TEXT_MAX prop:disabled=disabled autocomplete="off"
                    prop:value=move || next_step.get() on:input=move |ev| { next_step.set(event_target_value(&ev)); done.set(false); } />
                <label for="dialogue-next-step-due">{tr(i18n, |i| t_string!(i, next_step_due_label))}</label>
                <input id="dialogue-next-step-due" type="date" prop:disabled=disabled
                    prop:value=move || next_step_due.get() on:input=move |ev| next_step_due.set(event_target_value(&ev)) />
                <label for="dialogue-owner">{tr(i18n, |i| t_string!(i, next_step_owner))}</label>
                <select id="dialogue-owner" prop:disabled=disabled on:change=move |ev| owner.set(event_target_value(&ev))>
                    <option value="" selected=move || owner.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                    {options(owner_choices, owner)}
                </select>
                {(!is_new).then(|| view! {
                    <div class="check">
                        <input id="dialogue-done" type="checkbox" prop:disabled=disabled prop:checked=move || done.get()
                            on:change=move |ev| done.set(event_target_checked(&ev)) />
                        <label for="dialogue-done">{tr(i18n, |i| t_string!(i, next_step_done_label))}</label>
                    </div>
                })}
            </fieldset>
            <details class="more-fields" prop:open=!is_new>
                <summary>{tr(i18n, |i| t_string!(i, who_took_part))}</summary>
                {has_people.then(|| view! {
                    <CheckList legend=t_string!(i18n, dialogue_people) prefix="dialogue-person"
                        options=people_offered chosen=people enabled=can_edit />
                })}
                <label for="dialogue-participants">{tr(i18n, |i| t_string!(i, dialogue_participants))}</label>
                <input id="dialogue-participants" type="text" maxlength=SHORT_TEXT_MAX prop:disabled=disabled autocomplete="off"
                    prop:value=move || participants.get() on:input=move |ev| participants.set(event_target_value(&ev)) />
            </details>
            <details class="more-fields" prop:open=opened_further>
                <summary>{tr(i18n, |i| t_string!(i, further_partners))}{move || further.with(|p| (!p.is_empty()).then(|| format!(" ({})", p.len())))}</summary>
                <CheckList legend=t_string!(i18n, further_partners) prefix="dialogue-partner"
                    options=partner_offered chosen=further enabled=can_edit />
            </details>
            <details class="more-fields" prop:open=opened_goals>
                <summary>{tr(i18n, |i| t_string!(i, dialogue_goals))}{move || { let n = goals.with(Vec::len) + focus.with(Vec::len); (n > 0).then(|| format!(" ({n})")) }}</summary>
                <CheckList legend=t_string!(i18n, dialogue_goals) prefix="dialogue-goal"
                    options=goals_offered chosen=goals enabled=can_edit />
                <CheckList legend=t_string!(i18n, focus_areas) prefix="dialogue-focus"
                    options=focus_offered chosen=focus enabled=can_edit />
            </details>
            <Show when=move || stale.get()>
                <p class="warning stale-form" role="status">{tr(i18n, |i| t_string!(i, changed_elsewhere))}</p>
            </Show>
            {message.view()}
            {can_edit.then(|| view! {
                <div class="actions">
                    <button type="submit" class="primary">{if is_new { tr(i18n, |i| t_string!(i, save_dialogue)).into_any() } else { tr(i18n, |i| t_string!(i, save)).into_any() }}</button>
                    {(staff && !is_new).then(|| view! { <button type="button" class="danger" on:click=delete>{tr(i18n, |i| t_string!(i, delete))}</button> })}
                </div>
            })}
        </form>
        {(!is_new).then(|| view! { <Comments target_kind=Kind::Dialogue target_id=id /> <History id /> })}
    }
}
