//! The plan's measurable targets on screen: a goal's progress, goal 1's funds against 75 % and
//! goal 3's workshops against 17. The numbers come from `tavla_shared::board`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tavla_shared::board::{
    FundsSummary, Preparedness, Progress, WorkshopTally, FUNDS_TARGET_PERCENT, WORKSHOP_TARGET,
};
use tavla_shared::kinds::Funds;
use tavla_shared::plan_view::Item;
use tavla_shared::wire::MutationOp;
use tavla_shared::Kind;

use crate::app::paths;
use crate::components::feedback::Feedback;
use crate::components::format::{percent, sek, today};
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::store::sync::use_sync;

/// "3 av 9 klara (33 %)" with a bar.
#[component]
pub fn GoalProgress(progress: Progress) -> impl IntoView {
    let i18n = use_i18n();
    let (done, total, pct) = (progress.done, progress.total, progress.percent());
    view! {
        <div class="progress">
            <span>{trf(i18n, |i| t_string!(i, progress_text), vec![("done", done.to_string()), ("total", total.to_string()), ("percent", pct.to_string())])}</span>
            <progress max="100" value=pct aria-hidden="true"></progress>
        </div>
    }
}

/// Goal 1: "Upparbetat: X % (mål 75 %)", the amounts, and the pace needed by the end of the
/// period. Staff change the amounts with [`FundsChange`].
#[component]
pub fn FundsPanel(funds: Item<Funds>, end_year: i64) -> impl IntoView {
    let i18n = use_i18n();
    let s = FundsSummary::new(&funds.fields, today(), end_year);
    let used = percent(s.used_per_mille);
    let pace = if s.allocated_sek <= 0 {
        view! { <p>{tr(i18n, |i| t_string!(i, funds_none_allocated))}</p> }.into_any()
    } else if s.target_reached() {
        view! { <p class="ok">{tr(i18n, |i| t_string!(i, funds_reached))}</p> }.into_any()
    } else if let Some(per_month) = s.per_month_sek {
        let (amount, remaining, months) = (sek(per_month), sek(s.remaining_sek), s.months_left);
        view! { <p>{trf(i18n, |i| t_string!(i, funds_pace), vec![("amount", amount.clone().to_string()), ("remaining", remaining.clone().to_string()), ("months", months.to_string()), ("year", end_year.to_string())])}</p> }
            .into_any()
    } else {
        view! { <p class="warning">{trf(i18n, |i| t_string!(i, funds_period_over), vec![("year", end_year.to_string())])}</p> }.into_any()
    };
    view! {
        <section class="card target funds" aria-labelledby="funds-heading">
            <h2 id="funds-heading">{tr(i18n, |i| t_string!(i, funds_heading))}</h2>
            <p class="target-number" id="funds-used">
                {trf(i18n, |i| t_string!(i, funds_used), vec![("percent", used.clone().to_string()), ("target", FUNDS_TARGET_PERCENT.to_string())])}
            </p>
            <div class="bar-with-target" aria-hidden="true">
                <progress max="1000" value=s.used_per_mille.clamp(0, 1000)></progress>
                <span class="target-mark"></span>
            </div>
            <dl class="amounts">
                <div><dt>{tr(i18n, |i| t_string!(i, funds_allocated))}</dt><dd id="funds-allocated">{sek(s.allocated_sek)}</dd></div>
                <div><dt>{tr(i18n, |i| t_string!(i, funds_granted))}</dt><dd id="funds-granted">{sek(s.granted_sek)}</dd></div>
                <div><dt>{tr(i18n, |i| t_string!(i, funds_paid))}</dt><dd id="funds-paid">{sek(s.paid_sek)} " (" {percent(s.paid_per_mille)} ")"</dd></div>
            </dl>
            {pace}
        </section>
    }
}

/// The form that adds to (or, with a minus, corrects) one of the amounts.
#[component]
pub fn FundsChange(id: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let field = RwSignal::new("granted_sek".to_string());
    let amount = RwSignal::new(String::new());
    let message = Feedback::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text: String = amount.get_untracked().chars().filter(|c| !c.is_whitespace()).collect();
        let Ok(by) = text.parse::<i64>() else {
            message.error(t_string!(i18n, funds_amount_invalid));
            return;
        };
        let op = MutationOp::Add { field: field.get_untracked(), by };
        spawn_local(async move {
            match sync.edit(Kind::Funds, id, op).await {
                Ok(()) => {
                    amount.set(String::new());
                    message.ok(t_string!(i18n, saved));
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    let options = [
        ("allocated_sek", t_string!(i18n, funds_allocated)),
        ("granted_sek", t_string!(i18n, funds_granted)),
        ("paid_sek", t_string!(i18n, funds_paid)),
    ];
    view! {
        <form class="form funds-change" on:submit=on_submit>
            <h2>{tr(i18n, |i| t_string!(i, funds_change_heading))}</h2>
            <label for="funds-field">{tr(i18n, |i| t_string!(i, funds_field))}</label>
            <select id="funds-field" on:change=move |ev| field.set(event_target_value(&ev))>
                {options.into_iter().map(|(value, label)| view! {
                    <option value=value selected=move || field.get() == value>{label}</option>
                }).collect_view()}
            </select>
            <label for="funds-amount">{tr(i18n, |i| t_string!(i, funds_amount))}</label>
            <input id="funds-amount" type="text" inputmode="numeric" required aria-describedby="funds-amount-hint"
                prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
            <p id="funds-amount-hint" class="muted">{tr(i18n, |i| t_string!(i, funds_amount_hint))}</p>
            <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, funds_register))}</button>
            {message.view()}
        </form>
    }
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
            {(planned > 0).then(|| view! { <p class="muted">{trf(i18n, |i| t_string!(i, workshops_planned), vec![("count", planned.to_string())])}</p> })}
            <progress max=WORKSHOP_TARGET value=held.min(WORKSHOP_TARGET) aria-hidden="true"></progress>
            <ul class="tiles" role="list">
                {tally.per_municipality.into_iter().map(|m| {
                    let code = m.municipality.fields.code.clone();
                    let planned = m.planned;
                    view! {
                        <li class="tile" data-code=code>
                            <span class="tile-name">{m.municipality.fields.name}</span>
                            <span class="tile-count">{m.held}</span>
                            {(planned > 0).then(|| view! { <span class="tile-planned">{trf(i18n, |i| t_string!(i, tile_planned), vec![("count", planned.to_string())])}</span> })}
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
