//! The partner register (goal 2's collaboration, activities 3.4–3.5): `/partner`, grouped by
//! type with each partner's last contact and next step, or the matrix of dialogues per month
//! (`?vy=matris&mal=2`); `/partner/ny` (staff); and a partner's page `/partner/:id` with its
//! contacts, the timeline of dialogues and co-organised events, and the activities it is in.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use tavla_shared::dialogue_stats::matrix;
use tavla_shared::follow_ups::{follow_ups, FollowUp};
use tavla_shared::kinds::{KindFields, Partner, PartnerContact, Settings, MAX_INTERVAL_WEEKS};
use tavla_shared::partners::{
    interval_weeks, partner_rows, timeline, ContactStatus, PartnerRow, TimelineEntry,
};
use tavla_shared::plan_view::{names, PlanView};
use tavla_shared::protocol::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use tavla_shared::rules::{may_delete, may_edit};
use tavla_shared::values::{PartnerType, Role};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::conflict_banner::ConflictBanner;
use crate::components::edit_form::{delete_record, edit_form, restore_record};
use crate::components::enum_select::EnumSelect;
use crate::components::export::ExportButton;
use crate::components::feedback::Feedback;
use crate::components::format::today;
use crate::components::plan_loader::with_plan;
use crate::components::receipt::{use_receipt, ReceiptLine};
use crate::components::record_log::{Comments, History};
use crate::components::record_page::record_page;
use crate::components::{options, tr, trf, trn, with_query};
use crate::i18n::*;
use crate::pages::dialogues::channel_label;
use crate::pages::privacy::{open_settings, save_settings};
use crate::paths;
use crate::session::{random_uuid, use_session};
use crate::store::sync::use_sync;
use tavla_shared::export::Register;

/// A partner type in words, in the current language.
pub fn type_label(i18n: I18nContext<Locale>, t: PartnerType) -> &'static str {
    match t {
        PartnerType::Municipality => t_string!(i18n, partner_type_municipality),
        PartnerType::Region => t_string!(i18n, partner_type_region),
        PartnerType::LeaderArea => t_string!(i18n, partner_type_leader_area),
        PartnerType::CivilSociety => t_string!(i18n, partner_type_civil_society),
        PartnerType::Authority => t_string!(i18n, partner_type_authority),
        PartnerType::Network => t_string!(i18n, partner_type_network),
        PartnerType::Business => t_string!(i18n, partner_type_business),
        PartnerType::Other => t_string!(i18n, partner_type_other),
    }
}

/// The plural heading of a type's group.
fn type_heading(i18n: I18nContext<Locale>, t: PartnerType) -> &'static str {
    match t {
        PartnerType::Municipality => t_string!(i18n, partner_group_municipality),
        PartnerType::Region => t_string!(i18n, partner_group_region),
        PartnerType::LeaderArea => t_string!(i18n, partner_group_leader_area),
        PartnerType::CivilSociety => t_string!(i18n, partner_group_civil_society),
        PartnerType::Authority => t_string!(i18n, partner_group_authority),
        PartnerType::Network => t_string!(i18n, partner_group_network),
        PartnerType::Business => t_string!(i18n, partner_group_business),
        PartnerType::Other => t_string!(i18n, partner_group_other),
    }
}

/// "Ingen kontakt på 10 veckor", "Ingen kontakt registrerad" or "Senaste kontakt 2026-11-02",
/// with the badge class that colours it.
pub fn contact_status(i18n: I18nContext<Locale>, status: ContactStatus) -> impl IntoView {
    match status {
        ContactStatus::Never => {
            view! { <span class="badge contact-never">{tr(i18n, |i| t_string!(i, contact_never))}</span> }.into_any()
        }
        ContactStatus::Overdue { weeks, .. } => view! {
            <span class="badge late">{trn(i18n, |i| t_string!(i, contact_overdue_one), |i| t_string!(i, contact_overdue_many), weeks, vec![])}</span>
        }
        .into_any(),
        ContactStatus::Recent { last, .. } => view! {
            <span class="muted">{trf(i18n, |i| t_string!(i, contact_last), vec![("date", last.to_string())])}</span>
        }
        .into_any(),
    }
}

fn role() -> Option<Role> {
    use_session().0.with_untracked(|s| s.as_ref().map(|s| s.user.role))
}

/// The query key of the view ("matris" = the matrix; the list otherwise) and the goal filter.
const VIEW_KEY: &str = "vy";
const MATRIX: &str = "matris";
const GOAL_KEY: &str = "mal";

/// `/partner`.
#[component]
pub fn PartnersPage() -> impl IntoView {
    let receipt = use_receipt();
    on_cleanup(move || receipt.clear());
    with_plan(move |plan: PlanView| view! { <Partners plan /> }.into_any())
}

#[component]
fn Partners(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let navigate = use_navigate();
    let role = role();
    let staff = role.is_some_and(may_delete);
    let can_log = role.is_some_and(|r| may_edit(r, Kind::Dialogue));
    let matrix_view = Memo::new(move |_| query.with(|q| q.get(VIEW_KEY).as_deref() == Some(MATRIX)));
    let goal = Memo::new(move |_| query.with(|q| q.get(GOAL_KEY).and_then(|g| g.parse::<i64>().ok())));
    let go = move |matrix: bool, goal: Option<i64>| {
        let mut pairs = Vec::new();
        if matrix {
            pairs.push((VIEW_KEY, MATRIX.to_string()));
        }
        if let Some(g) = goal {
            pairs.push((GOAL_KEY, g.to_string()));
        }
        navigate(
            &with_query(paths::PARTNERS, &pairs),
            NavigateOptions { replace: true, scroll: false, ..Default::default() },
        );
    };
    let today = today();
    let rows = Memo::new(move |_| sync.view.with(|v| partner_rows(v.values(), today)));
    let steps = Memo::new(move |_| sync.view.with(|v| follow_ups(v.values())));
    // The plan year's months (a board without a plan: this year's).
    let year = plan
        .plan
        .as_ref()
        .map_or_else(|| today.0.format("%Y").to_string().parse().unwrap_or(2026), |p| p.fields.year as i32);
    let plan = StoredValue::new(plan);
    let body = move || {
        if matrix_view.get() {
            let goal_id = goal.get().and_then(|n| plan.with_value(|p| p.goal(n).map(|g| g.goal.id)));
            let counts = rows.with(|r| sync.view.with(|v| matrix(v.values(), r, year, goal_id)));
            rows.with(|r| matrix_table(i18n, r, &counts)).into_any()
        } else {
            rows.with(|r| steps.with(|s| plan.with_value(|p| partner_list(i18n, r, s, p)))).into_any()
        }
    };
    let goals: Vec<(String, String)> = plan.with_value(|p| {
        p.goals
            .iter()
            .map(|g| {
                (
                    g.goal.fields.number.to_string(),
                    format!("{} {}", g.goal.fields.number, g.goal.fields.title),
                )
            })
            .collect()
    });
    let goal_text = RwSignal::new(goal.get_untracked().map(|g| g.to_string()).unwrap_or_default());
    let go_goal = go.clone();
    view! {
        <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, partners_heading))}</h1>
        <p class="export-actions"><ExportButton register=Register::Partners /><ExportButton register=Register::Dialogues /></p>
        <ReceiptLine />
        <p class="actions-row">
            {can_log.then(|| view! { <a href=paths::NEW_DIALOGUE class="button-link">{tr(i18n, |i| t_string!(i, new_dialogue))}</a> })}
            {staff.then(|| view! { <a href=paths::NEW_PARTNER class="button-link secondary">{tr(i18n, |i| t_string!(i, new_partner))}</a> })}
        </p>
        <div class="view-switch" role="group" aria-label=move || t_string!(i18n, view_switch_label)>
            <button type="button" aria-pressed=move || (!matrix_view.get()).to_string()
                on:click={let go = go.clone(); move |_| go(false, goal.get_untracked())}>{tr(i18n, |i| t_string!(i, view_list))}</button>
            <button type="button" aria-pressed=move || matrix_view.get().to_string()
                on:click={let go = go.clone(); move |_| go(true, goal.get_untracked())}>{tr(i18n, |i| t_string!(i, view_matrix))}</button>
        </div>
        <Show when=move || matrix_view.get()>
            <form class="filters card" role="search" aria-label=move || t_string!(i18n, filters_label) on:submit=|ev: SubmitEvent| ev.prevent_default()>
                <div class="filter">
                    <label for="matrix-goal">{tr(i18n, |i| t_string!(i, filter_goal))}</label>
                    <select id="matrix-goal" on:change={let go = go_goal.clone(); move |ev| {
                        let v = event_target_value(&ev);
                        goal_text.set(v.clone());
                        go(true, v.parse().ok());
                    }}>
                        <option value="" selected=move || goal_text.get().is_empty()>{tr(i18n, |i| t_string!(i, filter_all))}</option>
                        {options(goals.clone(), goal_text)}
                    </select>
                </div>
            </form>
            <p class="muted">{trf(i18n, |i| t_string!(i, matrix_caption), vec![("year", year.to_string())])}</p>
        </Show>
        {body}
        {(role == Some(Role::Admin)).then(|| view! { <IntervalSettings /> })}
    }
}

/// The list grouped by type: each partner with its contact status and its soonest open step.
fn partner_list(
    i18n: I18nContext<Locale>,
    rows: &[PartnerRow],
    steps: &[FollowUp],
    plan: &PlanView,
) -> impl IntoView {
    PartnerType::ALL
        .iter()
        .filter_map(|t| {
            let group: Vec<&PartnerRow> = rows.iter().filter(|r| r.partner.fields.partner_type == *t).collect();
            if group.is_empty() {
                return None;
            }
            let t = *t;
            let heading_id = format!("group-{}", t.as_str());
            let count = group.len();
            let labelled_by = heading_id.clone();
            Some(view! {
                <section aria-labelledby=labelled_by>
                    <h2 id=heading_id>{move || format!("{} ({count})", type_heading(i18n, t))}</h2>
                    <ul class="activity-rows partner-rows" role="list">
                        {group.into_iter().map(|r| {
                            let next = next_step_of(steps, r.partner.id).map(|s| step_line(i18n, s, plan));
                            view! {
                                <li class="card activity-row">
                                    <a href=paths::partner(r.partner.id) class="activity-title">{r.partner.fields.name.clone()}</a>
                                    <div class="activity-meta">{contact_status(i18n, r.status)}</div>
                                    {next.map(|n| view! { <p class="next-step">{n}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })
        })
        .collect_view()
}

/// The soonest open next step of a dialogue this partner took part in as its main partner.
fn next_step_of(steps: &[FollowUp], partner: Uuid) -> Option<&FollowUp> {
    steps.iter().find(|s| s.partner == Some(partner))
}

/// "Nästa steg: Skicka underlag · senast 2026-12-04 · Britt Berg".
fn step_line(i18n: I18nContext<Locale>, step: &FollowUp, plan: &PlanView) -> String {
    let mut parts = vec![format!("{}: {}", t_string!(i18n, next_step), step.step)];
    if let Some(d) = step.due {
        parts.push(format!("{} {d}", t_string!(i18n, due_word)));
    }
    if let Some(name) = step.owner_person.and_then(|p| plan.name_of(p)) {
        parts.push(name.to_string());
    }
    parts.join(" · ")
}

/// Partners × months with the number of dialogues: a table on a desk, a list on a phone (where
/// twelve columns cannot fit), the same numbers in both.
fn matrix_table(
    i18n: I18nContext<Locale>,
    rows: &[PartnerRow],
    counts: &[tavla_shared::dialogue_stats::MatrixRow],
) -> impl IntoView {
    let months = crate::components::format::month_names(i18n.get_locale_untracked());
    let name = |id: Uuid| {
        rows.iter().find(|r| r.partner.id == id).map(|r| r.partner.fields.name.clone()).unwrap_or_default()
    };
    let table_rows = counts
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row"><a href=paths::partner(c.partner)>{name(c.partner)}</a></th>
                    {c.months.iter().map(|n| view! { <td class=if *n == 0 { "zero" } else { "" }>{n.to_string()}</td> }).collect_view()}
                    <td class="total">{c.total.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let list_rows = counts
        .iter()
        .map(|c| {
            let by_month: Vec<String> = c
                .months
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(m, n)| format!("{} {n}", months[m]))
                .collect();
            let detail = if by_month.is_empty() { "–".to_string() } else { by_month.join(", ") };
            view! {
                <li class="card activity-row">
                    <a href=paths::partner(c.partner) class="activity-title">{name(c.partner)}</a>
                    <div class="activity-meta">
                        <span>{trn(i18n, |i| t_string!(i, dialogues_one), |i| t_string!(i, dialogues_many), i64::from(c.total), vec![])}</span>
                        <span>{detail}</span>
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="matrix-wrap wide-block">
            <table class="matrix">
                <caption class="visually-hidden">{tr(i18n, |i| t_string!(i, view_matrix))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |i| t_string!(i, partner_word))}</th>
                        {months.iter().map(|m| view! { <th scope="col">{*m}</th> }).collect_view()}
                        <th scope="col">{tr(i18n, |i| t_string!(i, total_word))}</th>
                    </tr>
                </thead>
                <tbody>{table_rows}</tbody>
            </table>
        </div>
        <ul class="activity-rows narrow-block" role="list">{list_rows}</ul>
    }
}

/// The admins' contact intervals, per partner type, in the settings record.
#[component]
fn IntervalSettings() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let (base, exists) = open_settings(sync);
    let fields: Vec<(PartnerType, RwSignal<String>)> = PartnerType::ALL
        .iter()
        .map(|t| (*t, RwSignal::new(base.with_value(|b| b.values.interval_weeks(*t)).to_string())))
        .collect();
    let fields = StoredValue::new(fields);
    let message = Feedback::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut draft: Settings = base.get_value().values;
        for (t, value) in fields.get_value() {
            match value.get_untracked().trim().parse::<i64>() {
                Ok(w) if (1..=MAX_INTERVAL_WEEKS).contains(&w) => {
                    if w == tavla_shared::kinds::default_interval_weeks(t) {
                        draft.contact_interval_weeks.remove(&t);
                    } else {
                        draft.contact_interval_weeks.insert(t, w);
                    }
                }
                _ => {
                    message.error(fill_max(i18n));
                    return;
                }
            }
        }
        save_settings(base, exists, draft, message, i18n);
    };
    view! {
        <details class="card settings-box">
            <summary>{tr(i18n, |i| t_string!(i, intervals_heading))}</summary>
            <form class="form" on:submit=on_submit>
                <p class="muted">{tr(i18n, |i| t_string!(i, intervals_intro))}</p>
                {fields.get_value().into_iter().map(|(t, value)| {
                    let id = format!("interval-{}", t.as_str());
                    view! {
                        <label for=id.clone()>{move || type_heading(i18n, t)}</label>
                        <input id=id type="number" min="1" max=MAX_INTERVAL_WEEKS inputmode="numeric" required
                            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                    }
                }).collect_view()}
                {message.view()}
                <div class="actions"><button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button></div>
            </form>
        </details>
    }
}

fn fill_max(i18n: I18nContext<Locale>) -> String {
    crate::components::fill(t_string!(i18n, interval_invalid), &[("max", MAX_INTERVAL_WEEKS.to_string())])
}

/// `/partner/ny` (staff): name, type and municipality; the rest on the partner's page.
#[component]
pub fn NewPartnerPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let staff = role().is_some_and(may_delete);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(PartnerType::Municipality);
    let municipality = RwSignal::new(String::new());
    let message = Feedback::new();
    let municipalities = Memo::new(move |_| {
        sync.view
            .with(|v| names(v.values(), Kind::Municipality))
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect::<Vec<_>>()
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = name.get_untracked().trim().to_string();
        if text.is_empty() {
            message.error(t_string!(i18n, partner_name_missing));
            return;
        }
        let partner = Partner {
            name: text,
            partner_type: kind.get_untracked(),
            municipality_id: Uuid::parse_str(&municipality.get_untracked()).ok(),
            contacts: Vec::new(),
            website: None,
            notes: None,
            contact_interval_weeks: None,
        };
        let id = random_uuid();
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync.create(id, &partner).await {
                Ok(_) => navigate(&paths::partner(id), Default::default()),
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    if !staff {
        return view! {
            <p class="back"><a href=paths::PARTNERS>"← " {tr(i18n, |i| t_string!(i, back_to_partners))}</a></p>
            <h1>{tr(i18n, |i| t_string!(i, new_partner))}</h1>
            <p>{tr(i18n, |i| t_string!(i, staff_only))}</p>
        }
        .into_any();
    }
    view! {
        <p class="back"><a href=paths::PARTNERS>"← " {tr(i18n, |i| t_string!(i, back_to_partners))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, new_partner))}</h1>
        <form class="card form" on:submit=on_submit>
            <label for="partner-name">{tr(i18n, |i| t_string!(i, partner_name))}</label>
            <input id="partner-name" type="text" required maxlength=SHORT_TEXT_MAX autocomplete="off"
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <label for="partner-type">{tr(i18n, |i| t_string!(i, partner_type))}</label>
            <EnumSelect id="partner-type" value=kind label=type_label />
            <label for="partner-municipality">{tr(i18n, |i| t_string!(i, filter_municipality))}</label>
            <select id="partner-municipality" on:change=move |ev| municipality.set(event_target_value(&ev))>
                <option value="" selected=move || municipality.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                {move || options(municipalities.get(), municipality)}
            </select>
            {message.view()}
            <div class="actions"><button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button></div>
        </form>
    }
    .into_any()
}

/// `/partner/:id`.
#[component]
pub fn PartnerPage() -> impl IntoView {
    let receipt = use_receipt();
    on_cleanup(move || receipt.clear());
    record_page(
        Kind::Partner,
        (paths::PARTNERS, |i| t_string!(i, back_to_partners)),
        |i| t_string!(i, partner_not_found),
        |id| view! { <PartnerView id /> }.into_any(),
    )
}

/// One contact's row in the form: its fields as signals, so typing never redraws the list.
#[derive(Clone, Copy)]
struct ContactRow {
    key: u64,
    name: RwSignal<String>,
    role: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
}

impl ContactRow {
    fn new(key: u64, c: &PartnerContact) -> Self {
        let s = |v: &Option<String>| RwSignal::new(v.clone().unwrap_or_default());
        ContactRow {
            key,
            name: RwSignal::new(c.name.clone()),
            role: s(&c.role),
            email: s(&c.email),
            phone: s(&c.phone),
        }
    }

    /// The contact typed, None when the row is left blank.
    fn read(&self) -> Option<PartnerContact> {
        let t = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|v| !v.is_empty());
        let c = PartnerContact {
            name: t(self.name).unwrap_or_default(),
            role: t(self.role),
            email: t(self.email),
            phone: t(self.phone),
        };
        (c != PartnerContact::default()).then_some(c)
    }
}

#[component]
fn PartnerView(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let role = role();
    let staff = role.is_some_and(may_delete);
    let can_log = role.is_some_and(|r| may_edit(r, Kind::Dialogue));
    let record = Memo::new(move |_| sync.view.with(|v| v.get(&id).cloned()));
    let Some(opened) = record.with_untracked(|r| r.as_ref().and_then(Partner::from_record)) else {
        return view! { <h1>{tr(i18n, |i| t_string!(i, partner_not_found))}</h1> }.into_any();
    };
    let plan = sync.view.with_untracked(|v| PlanView::from_records(v.values()));
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(opened.partner_type);
    let municipality = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let interval = RwSignal::new(String::new());
    let contacts: RwSignal<Vec<ContactRow>> = RwSignal::new(Vec::new());
    let next_key = StoredValue::new(0u64);
    let drawn = StoredValue::new(opened.clone());
    let show = move |p: &Partner| {
        drawn.set_value(p.clone());
        name.set(p.name.clone());
        kind.set(p.partner_type);
        municipality.set(p.municipality_id.map(|m| m.to_string()).unwrap_or_default());
        website.set(p.website.clone().unwrap_or_default());
        notes.set(p.notes.clone().unwrap_or_default());
        interval.set(p.contact_interval_weeks.map(|w| w.to_string()).unwrap_or_default());
        let rows = p
            .contacts
            .iter()
            .map(|c| {
                next_key.update_value(|k| *k += 1);
                ContactRow::new(next_key.get_value(), c)
            })
            .collect();
        contacts.set(rows);
    };
    show(&opened);
    let draft = move || {
        let before = drawn.get_value();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|t| !t.is_empty());
        Partner {
            name: name.get_untracked().trim().to_string(),
            partner_type: kind.get_untracked(),
            municipality_id: Uuid::parse_str(&municipality.get_untracked()).ok(),
            contacts: contacts.get_untracked().iter().filter_map(ContactRow::read).collect(),
            website: text(website),
            notes: text(notes),
            // Not a number: the field keeps what it had (the form refuses it before saving).
            contact_interval_weeks: match interval.get_untracked().trim() {
                "" => None,
                w => w.parse().ok().or(before.contact_interval_weeks),
            },
        }
    };
    let message = Feedback::new();
    let form = edit_form(id, opened, draft, show, t_string!(i18n, unsaved_leave));
    let stale = form.stale;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = draft();
        if typed.name.is_empty() {
            message.error(t_string!(i18n, partner_name_missing));
            return;
        }
        if typed.contacts.iter().any(|c| c.name.is_empty()) {
            message.error(t_string!(i18n, contact_name_missing));
            return;
        }
        let w = interval.get_untracked();
        if !w.trim().is_empty()
            && !w.trim().parse::<i64>().is_ok_and(|w| (1..=MAX_INTERVAL_WEEKS).contains(&w))
        {
            message.error(fill_max(i18n));
            return;
        }
        form.submit(id, typed, message, i18n);
    };
    let add_contact = move |_| {
        next_key.update_value(|k| *k += 1);
        let row = ContactRow::new(next_key.get_value(), &PartnerContact::default());
        contacts.update(|c| c.push(row));
        crate::components::focus_id(&format!("contact-name-{}", row.key));
    };
    let delete = move |_| delete_record(sync, Kind::Partner, id, t_string!(i18n, delete_confirm));
    let restore = move |_| restore_record(sync, Kind::Partner, id);
    let deleted = move || record.with(|r| r.as_ref().is_some_and(|r| r.deleted));
    let shown = move || record.with(|r| r.as_ref().and_then(Partner::from_record));
    let heading = move || shown().map(|p| p.name).unwrap_or_default();
    let today = today();
    let status = move || {
        sync.view.with(|v| {
            let settings = Settings::of(v.values());
            let last = tavla_shared::partners::last_contacts(v.values(), today).get(&id).copied();
            shown().map(|p| {
                let s = tavla_shared::partners::status(&p, last, &settings, today);
                let weeks = interval_weeks(&p, &settings);
                view! {
                    {contact_status(i18n, s)}
                    <span class="muted">{trf(i18n, |i| t_string!(i, interval_line), vec![("weeks", weeks.to_string())])}</span>
                }
            })
        })
    };
    let municipalities: Vec<(String, String)> =
        plan.municipalities.iter().map(|m| (m.id.to_string(), m.fields.name.clone())).collect();
    let municipalities = StoredValue::new(municipalities);
    let disabled = !staff;
    let plan = StoredValue::new(plan);
    view! {
        <p class="back"><a href=paths::PARTNERS>"← " {tr(i18n, |i| t_string!(i, back_to_partners))}</a></p>
        <p class="goal-number">{move || type_label(i18n, kind.get())}</p>
        <h1>{heading}</h1>
        <ConflictBanner target_id=id />
        <ReceiptLine />
        <div class="activity-meta">{status}</div>
        {can_log.then(|| view! { <p><a href=paths::new_dialogue_with(id) class="button-link">{tr(i18n, |i| t_string!(i, log_dialogue))}</a></p> })}
        <section class="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{tr(i18n, |i| t_string!(i, timeline_heading))}</h2>
            {move || sync.view.with(|v| plan.with_value(|p| timeline_list(i18n, &timeline(v.values(), id), p)))}
        </section>
        <section class="card" aria-labelledby="partner-activities-heading">
            <h2 id="partner-activities-heading">{tr(i18n, |i| t_string!(i, partner_activities))}</h2>
            {move || plan.with_value(|p| {
                let linked: Vec<_> = p.goals.iter().flat_map(|g| g.activities.iter().map(move |a| (g.goal.fields.number, a)))
                    .filter(|(_, a)| a.fields.partner_ids.contains(&id)).collect();
                if linked.is_empty() {
                    view! { <p class="muted">{tr(i18n, |i| t_string!(i, none_yet))}</p> }.into_any()
                } else {
                    view! { <ul>{linked.into_iter().map(|(n, a)| view! {
                        <li><a href=paths::activity(a.id)>{format!("{n} · {}", a.fields.title)}</a></li>
                    }).collect_view()}</ul> }.into_any()
                }
            })}
        </section>
        <Show when=deleted>
            <div class="card deleted-box" role="status">
                <p>{tr(i18n, |i| t_string!(i, deleted_notice))}</p>
                {staff.then(|| view! { <button type="button" on:click=restore>{tr(i18n, |i| t_string!(i, restore))}</button> })}
            </div>
        </Show>
        <Show when=move || !deleted()>
            <form class="card form partner-form" on:submit=on_submit aria-labelledby="partner-form-heading">
                <h2 id="partner-form-heading">{tr(i18n, |i| t_string!(i, partner_details))}</h2>
                <label for="partner-name">{tr(i18n, |i| t_string!(i, partner_name))}</label>
                <input id="partner-name" type="text" required maxlength=SHORT_TEXT_MAX prop:disabled=disabled
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <label for="partner-type">{tr(i18n, |i| t_string!(i, partner_type))}</label>
                <EnumSelect id="partner-type" value=kind label=type_label disabled=disabled />
                <label for="partner-municipality">{tr(i18n, |i| t_string!(i, filter_municipality))}</label>
                <select id="partner-municipality" prop:disabled=disabled on:change=move |ev| municipality.set(event_target_value(&ev))>
                    <option value="" selected=move || municipality.get().is_empty()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                    {options(municipalities.get_value(), municipality)}
                </select>
                <fieldset class="contact-fields">
                    <legend>{tr(i18n, |i| t_string!(i, partner_contacts))}</legend>
                    <Show when=move || contacts.with(Vec::is_empty)>
                        <p class="muted">{tr(i18n, |i| t_string!(i, partner_contacts_none))}</p>
                    </Show>
                    <For each=move || contacts.get() key=|c| c.key let:c>
                        <ContactEditor row=c contacts disabled />
                    </For>
                    {staff.then(|| view! { <button type="button" on:click=add_contact>{tr(i18n, |i| t_string!(i, add_contact))}</button> })}
                </fieldset>
                <label for="partner-website">{tr(i18n, |i| t_string!(i, website))}</label>
                <input id="partner-website" type="url" maxlength=SHORT_TEXT_MAX prop:disabled=disabled
                    prop:value=move || website.get() on:input=move |ev| website.set(event_target_value(&ev)) />
                <label for="partner-interval">{tr(i18n, |i| t_string!(i, partner_interval))}</label>
                <input id="partner-interval" type="number" min="1" max=MAX_INTERVAL_WEEKS inputmode="numeric" prop:disabled=disabled
                    aria-describedby="partner-interval-hint"
                    prop:value=move || interval.get() on:input=move |ev| interval.set(event_target_value(&ev)) />
                <p id="partner-interval-hint" class="muted">{tr(i18n, |i| t_string!(i, partner_interval_hint))}</p>
                <label for="partner-notes">{tr(i18n, |i| t_string!(i, notes))}</label>
                <textarea id="partner-notes" rows="4" maxlength=LONG_TEXT_MAX prop:disabled=disabled
                    prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                <Show when=move || stale.get()>
                    <p class="warning stale-form" role="status">{tr(i18n, |i| t_string!(i, changed_elsewhere))}</p>
                </Show>
                {message.view()}
                {staff.then(|| view! {
                    <div class="actions">
                        <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button>
                        <button type="button" class="danger" on:click=delete>{tr(i18n, |i| t_string!(i, delete))}</button>
                    </div>
                })}
            </form>
        </Show>
        <Comments target_kind=Kind::Partner target_id=id />
        <History id />
    }
    .into_any()
}

/// One contact's fields with a way to remove it.
#[component]
fn ContactEditor(row: ContactRow, contacts: RwSignal<Vec<ContactRow>>, disabled: bool) -> impl IntoView {
    let i18n = use_i18n();
    let k = row.key;
    let field = move |label: fn(I18nContext<Locale>) -> &'static str,
                      part: &'static str,
                      kind: &'static str,
                      value: RwSignal<String>| {
        let id = format!("contact-{part}-{k}");
        view! {
            <label for=id.clone()>{tr(i18n, label)}</label>
            <input id=id type=kind maxlength=SHORT_TEXT_MAX prop:disabled=disabled autocomplete="off"
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    };
    view! {
        <div class="contact-row" role="group" aria-label=move || row.name.get()>
            {field(|i| t_string!(i, contact_person_name), "name", "text", row.name)}
            {field(|i| t_string!(i, contact_role), "role", "text", row.role)}
            {field(|i| t_string!(i, contact_email), "email", "email", row.email)}
            {field(|i| t_string!(i, contact_phone), "phone", "tel", row.phone)}
            {(!disabled).then(|| view! {
                <button type="button" class="link-button" on:click=move |_| contacts.update(|c| c.retain(|r| r.key != k))>
                    {tr(i18n, |i| t_string!(i, remove_contact))}
                </button>
            })}
        </div>
    }
}

/// The timeline: dialogues and co-organised events, newest first.
fn timeline_list(i18n: I18nContext<Locale>, entries: &[TimelineEntry], plan: &PlanView) -> AnyView {
    if entries.is_empty() {
        return view! { <p class="muted">{tr(i18n, |i| t_string!(i, timeline_none))}</p> }.into_any();
    }
    view! {
        <ol class="timeline" role="list">
            {entries.iter().map(|e| match e {
                TimelineEntry::Dialogue(d) => {
                    let channel = d.fields.channel;
                    let step = d.fields.has_open_step().then(|| {
                        let mut s = format!("{}: {}", t_string!(i18n, next_step), d.fields.next_step.clone().unwrap_or_default());
                        if let Some(due) = d.fields.next_step_due { s.push_str(&format!(" · {} {due}", t_string!(i18n, due_word))); }
                        if let Some(o) = d.fields.next_step_owner_person_id.and_then(|o| plan.name_of(o)) { s.push_str(&format!(" · {o}")); }
                        s
                    });
                    view! {
                        <li class="timeline-entry">
                            <time>{d.fields.date.to_string()}</time>
                            " · " <span>{move || channel_label(i18n, channel)}</span>
                            <p><a href=paths::dialogue(d.id)>{d.fields.summary.clone()}</a></p>
                            {step.map(|s| view! { <p class="next-step">{s}</p> })}
                        </li>
                    }.into_any()
                }
                TimelineEntry::Event(ev) => {
                    let (href, date, title) = (paths::event(ev.id), ev.fields.date.to_string(), ev.fields.title.clone());
                    view! {
                        <li class="timeline-entry">
                            <time>{date}</time>
                            " · " <span>{tr(i18n, |i| t_string!(i, co_organised))}</span>
                            <p><a href=href>{title}</a></p>
                        </li>
                    }.into_any()
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
