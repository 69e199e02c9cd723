//! The plan's measurable targets on screen: a goal's progress, goal 1's funds against 75 % and
//! goal 3's workshops against 17. The numbers come from `tavla_shared::board`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use tavla_shared::board::{
    FundsSummary, FundsTarget, Preparedness, Progress, WorkshopTally, WORKSHOP_TARGET,
};
use tavla_shared::kinds::{Funds, KindFields, Plan};
use tavla_shared::money::{parse_sek, AmountError};
use tavla_shared::plan_view::Item;
use tavla_shared::wire::MutationOp;
use tavla_shared::Kind;

use crate::components::feedback::Feedback;
use crate::components::format::{percent, sek, signed_sek, today};
use crate::components::{fill, focus_id, tr, trf, trn};
use crate::i18n::*;
use crate::paths;
use crate::store::sync::use_sync;

/// "3 av 9 klara (33 %)" with a bar.
#[component]
pub fn GoalProgress(progress: Progress) -> impl IntoView {
    let i18n = use_i18n();
    let (done, total, pct) = (progress.done, progress.total, progress.percent());
    view! {
        <div class="progress">
            <span>{trn(i18n, |i| t_string!(i, progress_text_single), |i| t_string!(i, progress_text), total as i64, vec![("done", done.to_string()), ("total", total.to_string()), ("percent", pct.to_string())])}</span>
            <progress max="100" value=pct aria-hidden="true"></progress>
        </div>
    }
}

/// Goal 1's target as plan data: the share and the day (those who may edit the plan).
#[component]
pub fn FundsTargetForm(id: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let Some(opened) = sync.view.with_untracked(|v| v.get(&id).and_then(Plan::from_record)) else {
        return ().into_any();
    };
    let share = RwSignal::new(String::new());
    let by = RwSignal::new(String::new());
    let drawn = StoredValue::new(opened.clone());
    let show = move |p: &Plan| {
        drawn.set_value(p.clone());
        share.set(p.funds_target_percent().to_string());
        by.set(p.funds_target_on().to_string());
    };
    show(&opened);
    // Unchanged defaults stay absent, so the plan keeps following them.
    let draft = move || {
        let mut p = drawn.get_value();
        let typed = share.get_untracked().trim().parse::<i64>().ok();
        if typed != Some(p.funds_target_percent()) {
            p.funds_target_percent = typed;
        }
        let day = tavla_shared::date::Date::parse(&by.get_untracked());
        if day.is_some() && day != Some(p.funds_target_on()) {
            p.funds_target_on = day;
        }
        p
    };
    let message = Feedback::new();
    let form =
        crate::components::edit_form::edit_form(id, opened, draft, show, t_string!(i18n, unsaved_leave));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let ok = share.get_untracked().trim().parse::<i64>().is_ok_and(|n| (1..=100).contains(&n))
            && tavla_shared::date::Date::parse(&by.get_untracked()).is_some();
        if !ok {
            message.error(t_string!(i18n, funds_target_invalid));
            return;
        }
        form.submit(id, draft(), message, i18n);
    };
    view! {
        <section class="card" aria-labelledby="funds-target-heading">
            <h2 id="funds-target-heading">{tr(i18n, |i| t_string!(i, funds_target_heading))}</h2>
            <form class="form" on:submit=on_submit>
                <label for="funds-target-percent">{tr(i18n, |i| t_string!(i, funds_target_percent))}</label>
                <input id="funds-target-percent" type="text" inputmode="numeric"
                    prop:value=move || share.get() on:input=move |ev| share.set(event_target_value(&ev)) />
                <label for="funds-target-on">{tr(i18n, |i| t_string!(i, funds_target_on))}</label>
                <input id="funds-target-on" type="date" prop:value=move || by.get()
                    on:input=move |ev| by.set(event_target_value(&ev)) />
                {message.view()}
                <div class="actions"><button type="submit">{tr(i18n, |i| t_string!(i, funds_target_save))}</button></div>
            </form>
        </section>
    }
    .into_any()
}

/// Goal 1: "Upparbetat: X % (mål 75 % senast 2026-12-31)", the amounts, the pace needed by the
/// target's day (plan data, see [`FundsTarget`]) and where the programme period as a whole
/// stands. Staff change the amounts with [`FundsChange`]; `can_enter` turns the hint shown
/// before anything is allocated into a link to that form.
#[component]
pub fn FundsPanel(funds: Item<Funds>, plan: Plan, #[prop(optional)] can_enter: bool) -> impl IntoView {
    let i18n = use_i18n();
    let target = FundsTarget::of(&plan);
    let s = FundsSummary::new(&funds.fields, today(), target);
    let whole = FundsSummary::new(&funds.fields, today(), FundsTarget::period(&plan));
    let by = target.by.to_string();
    let period = (s.allocated_sek > 0).then(|| {
        let vars = vec![
            ("start", plan.period_start_year.to_string()),
            ("end", plan.period_end_year.to_string()),
            ("target", target.percent.to_string()),
            ("remaining", sek(whole.remaining_sek)),
            ("date", plan.period_end().to_string()),
        ];
        let text = if whole.target_reached() {
            trf(i18n, |i| t_string!(i, funds_period_reached), vars).into_any()
        } else {
            trf(i18n, |i| t_string!(i, funds_period_left), vars).into_any()
        };
        view! { <p class="funds-period">{text}</p> }
    });
    let (used, paid) = (s.used_per_mille, s.paid_per_mille);
    let pace = if s.allocated_sek <= 0 {
        if can_enter {
            view! { <p><a href=paths::FUNDS_FORM>{tr(i18n, |i| t_string!(i, funds_none_allocated))}</a></p> }
                .into_any()
        } else {
            view! { <p>{tr(i18n, |i| t_string!(i, funds_none_allocated_readonly))}</p> }.into_any()
        }
    } else if s.target_reached() {
        view! { <p class="ok">{tr(i18n, |i| t_string!(i, funds_reached))}</p> }.into_any()
    } else if let Some(per_month) = s.per_month_sek {
        let (amount, remaining, months) = (sek(per_month), sek(s.remaining_sek), s.months_left);
        let by = by.clone();
        view! { <p>{trn(i18n, |i| t_string!(i, funds_pace_single), |i| t_string!(i, funds_pace), months, vec![("amount", amount.clone()), ("remaining", remaining.clone()), ("months", months.to_string()), ("date", by.clone())])}</p> }
            .into_any()
    } else {
        view! { <p class="warning">{trf(i18n, |i| t_string!(i, funds_period_over), vec![("date", by.clone())])}</p> }.into_any()
    };
    view! {
        <section class="card target funds" aria-labelledby="funds-heading">
            <h2 id="funds-heading">{tr(i18n, |i| t_string!(i, funds_heading))}</h2>
            <p class="target-number" id="funds-used">
                {move || fill(t_string!(i18n, funds_used), &[("percent", percent(used, i18n.get_locale())), ("target", target.percent.to_string()), ("date", by.clone())])}
            </p>
            <div class="bar-with-target" aria-hidden="true">
                <progress max="1000" value=s.used_per_mille.clamp(0, 1000)></progress>
                <span class="target-mark" style:left=format!("{}%", target.percent)></span>
            </div>
            <dl class="amounts">
                <div><dt>{tr(i18n, |i| t_string!(i, funds_allocated))}</dt><dd id="funds-allocated">{sek(s.allocated_sek)}</dd></div>
                <div><dt>{tr(i18n, |i| t_string!(i, funds_granted))}</dt><dd id="funds-granted">{sek(s.granted_sek)}</dd></div>
                <div><dt>{tr(i18n, |i| t_string!(i, funds_paid))}</dt><dd id="funds-paid">{sek(s.paid_sek)} " (" {move || percent(paid, i18n.get_locale())} ")"</dd></div>
            </dl>
            {pace}
            {period}
        </section>
    }
}

/// The amount fields of the funds record, in the order the form offers them.
const FUNDS_FIELDS: [&str; 3] = ["allocated_sek", "granted_sek", "paid_sek"];

/// The current value of one of the funds record's amounts.
fn funds_amount(funds: &Funds, field: &str) -> i64 {
    match field {
        "allocated_sek" => funds.allocated_sek,
        "paid_sek" => funds.paid_sek,
        _ => funds.granted_sek,
    }
}

/// The form that records the funds: a new total (the usual case: "20 000 000 kr are now
/// allocated") or a change. Either way the record gets a counter delta, so amounts recorded on
/// two devices offline still add up (the protocol's `add`); a new total is recorded as its
/// difference from the amount this device shows. Under it, who changed which amount and when.
#[component]
pub fn FundsChange(id: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let field = RwSignal::new("allocated_sek".to_string());
    let as_total = RwSignal::new(true);
    let amount = RwSignal::new(String::new());
    let message = Feedback::new();
    let current = move || {
        let f = field.get();
        sync.view.with(|v| v.get(&id).and_then(Funds::from_record)).map(|funds| funds_amount(&funds, &f))
    };
    // What a submit would record: the delta, or why nothing. Amounts never go below zero
    // (the server refuses that too, but only once the device is online).
    let delta = move || -> Result<i64, String> {
        let typed = parse_sek(&amount.get()).map_err(|e| match e {
            AmountError::TooLarge => t_string!(i18n, funds_amount_too_large).to_string(),
            AmountError::Grouping => t_string!(i18n, funds_amount_grouping).to_string(),
            _ => t_string!(i18n, funds_amount_invalid).to_string(),
        })?;
        let now = current().unwrap_or(0);
        let by = if as_total.get() { typed - now } else { typed };
        if now + by < 0 {
            return Err(fill(t_string!(i18n, funds_negative), &[("amount", sek(now))]));
        }
        Ok(by)
    };
    // The difference says what it is counted from; when this device may not have the latest
    // amount (offline, or edits waiting), it says so: a total typed against an old amount would
    // add the difference twice.
    let preview = move || {
        if !as_total.get() || amount.with(|a| a.trim().is_empty()) {
            return None;
        }
        let by = delta().ok()?;
        let from = sek(current().unwrap_or(0));
        let mut text = if by == 0 {
            fill(t_string!(i18n, funds_no_difference), &[("amount", from)])
        } else {
            fill(t_string!(i18n, funds_difference), &[("amount", signed_sek(by)), ("from", from)])
        };
        let stale = !sync.status.with(|s| s.online) || sync.outbox.with(|o| !o.is_empty());
        if stale && by != 0 {
            text.push(' ');
            text.push_str(t_string!(i18n, funds_maybe_stale));
        }
        Some(text)
    };
    // Opened from the overview's link to this form: the amount field gets the focus.
    if window().location().hash().is_ok_and(|h| h == format!("#{}", paths::FUNDS_FORM_ID)) {
        request_animation_frame(|| focus_id("funds-amount"));
    }
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let by = match delta() {
            Ok(0) => {
                message.error(t_string!(i18n, funds_nothing_to_record));
                return;
            }
            Ok(by) => by,
            Err(text) => {
                message.error(text);
                return;
            }
        };
        let op = MutationOp::Add { field: field.get_untracked(), by };
        spawn_local(async move {
            match sync.edit(Kind::Funds, id, op).await {
                Ok(mutation) => {
                    amount.set(String::new());
                    message.saved(mutation);
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    let labels = [funds_allocated_label, funds_granted_label, funds_paid_label];
    let mode = move |total: bool, label: fn(I18nContext<Locale>) -> &'static str| {
        let input_id = if total { "funds-mode-total" } else { "funds-mode-change" };
        view! {
            <div class="check">
                <input type="radio" name="funds-mode" id=input_id prop:checked=move || as_total.get() == total
                    on:change=move |_| as_total.set(total) />
                <label for=input_id>{tr(i18n, label)}</label>
            </div>
        }
    };
    view! {
        <form class="form funds-change" id=paths::FUNDS_FORM_ID on:submit=on_submit>
            <h2>{tr(i18n, |i| t_string!(i, funds_change_heading))}</h2>
            <label for="funds-field">{tr(i18n, |i| t_string!(i, funds_field))}</label>
            <select id="funds-field" on:change=move |ev| field.set(event_target_value(&ev))>
                {FUNDS_FIELDS.into_iter().zip(labels).map(|(value, label)| view! {
                    <option value=value selected=move || field.get() == value>{tr(i18n, label)}</option>
                }).collect_view()}
            </select>
            <fieldset class="check-list">
                <legend>{tr(i18n, |i| t_string!(i, funds_mode))}</legend>
                {mode(true, |i| t_string!(i, funds_mode_total))}
                {mode(false, |i| t_string!(i, funds_mode_change))}
            </fieldset>
            <label for="funds-amount">{move || if as_total.get() { t_string!(i18n, funds_amount_total) } else { t_string!(i18n, funds_amount) }}</label>
            <input id="funds-amount" type="text" inputmode="numeric" required aria-describedby="funds-amount-hint funds-preview"
                prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
            <p id="funds-amount-hint" class="muted">{tr(i18n, |i| t_string!(i, funds_amount_hint))}</p>
            <p id="funds-preview" class="funds-preview" aria-live="polite">{preview}</p>
            <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, funds_register))}</button>
            {message.view()}
        </form>
    }
}

fn funds_allocated_label(i: I18nContext<Locale>) -> &'static str {
    t_string!(i, funds_allocated)
}
fn funds_granted_label(i: I18nContext<Locale>) -> &'static str {
    t_string!(i, funds_granted)
}
fn funds_paid_label(i: I18nContext<Locale>) -> &'static str {
    t_string!(i, funds_paid)
}

/// Goal 3: "Workshops: N av 17", a tile per municipality, and the preparedness meeting.
#[component]
pub fn WorkshopTracker(tally: WorkshopTally, can_add: bool) -> impl IntoView {
    let i18n = use_i18n();
    let (held, planned) = (tally.held, tally.planned);
    let meeting = match tally.preparedness {
        Preparedness::Held(d) => {
            view! { <span class="ok">{trf(i18n, |i| t_string!(i, preparedness_held), vec![("date", d.to_string().to_string())])}</span> }.into_any()
        }
        Preparedness::Planned(d) => {
            view! { <span>{trf(i18n, |i| t_string!(i, preparedness_planned), vec![("date", d.to_string().to_string())])}</span> }.into_any()
        }
        Preparedness::NotPlanned => {
            view! { <span class="warning">{tr(i18n, |i| t_string!(i, preparedness_not_planned))}</span> }
                .into_any()
        }
    };
    view! {
        <section class="card target workshops" aria-labelledby="workshops-heading">
            <h2 id="workshops-heading">{tr(i18n, |i| t_string!(i, workshops_heading))}</h2>
            <p class="target-number" id="workshops-count">
                {trf(i18n, |i| t_string!(i, workshops_count), vec![("held", held.to_string()), ("target", WORKSHOP_TARGET.to_string())])}
            </p>
            {(planned > 0).then(|| view! { <p class="muted">{trn(i18n, |i| t_string!(i, workshops_planned_single), |i| t_string!(i, workshops_planned), planned as i64, vec![])}</p> })}
            <progress max=WORKSHOP_TARGET value=held.min(WORKSHOP_TARGET) aria-hidden="true"></progress>
            <ul class="tiles" role="list">
                {tally.per_municipality.into_iter().map(|m| {
                    let code = m.municipality.fields.code.clone();
                    let planned = m.planned;
                    view! {
                        <li class="tile" data-code=code>
                            <a class="tile-name" href=paths::municipality(&m.municipality.fields.name)>{m.municipality.fields.name.clone()}</a>
                            <span class="tile-count">{m.held}</span>
                            {(planned > 0).then(|| view! { <span class="tile-planned">{trn(i18n, |i| t_string!(i, tile_planned_single), |i| t_string!(i, tile_planned), planned as i64, vec![])}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="preparedness"><strong>{tr(i18n, |i| t_string!(i, preparedness_label))}": "</strong>{meeting}</p>
            {can_add.then(|| view! {
                <p><a href=paths::NEW_WORKSHOP class="button-link">{tr(i18n, |i| t_string!(i, add_workshop))}</a></p>
            })}
        </section>
    }
}
