//! Small labels for the closed value sets, translated.

use leptos::prelude::*;
use tavla_shared::values::{ActivityStatus, Health};

use crate::i18n::*;

/// A goal's health as a coloured label with its name in words (never colour alone).
#[component]
pub fn HealthBadge(health: Health) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || health_label(i18n, health);
    view! { <span class=format!("badge health-{}", health.as_str())>{label}</span> }
}

/// A goal's health in words, in the current language.
pub fn health_label(i18n: leptos_i18n::I18nContext<Locale>, health: Health) -> &'static str {
    match health {
        Health::OnTrack => t_string!(i18n, health_on_track),
        Health::AtRisk => t_string!(i18n, health_at_risk),
        Health::OffTrack => t_string!(i18n, health_off_track),
        Health::Done => t_string!(i18n, health_done),
    }
}

/// An activity status in words, in the current language.
pub fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: ActivityStatus) -> &'static str {
    match status {
        ActivityStatus::NotStarted => t_string!(i18n, status_not_started),
        ActivityStatus::InProgress => t_string!(i18n, status_in_progress),
        ActivityStatus::Done => t_string!(i18n, status_done),
        ActivityStatus::Paused => t_string!(i18n, status_paused),
    }
}

/// An activity's status as a label.
#[component]
pub fn StatusBadge(status: ActivityStatus) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || status_label(i18n, status);
    view! { <span class=format!("badge status-{}", status.as_str())>{label}</span> }
}

/// A field's name in words, for conflicts and history ("status", "klart senast" …).
pub fn field_label(i18n: leptos_i18n::I18nContext<Locale>, field: &str) -> &'static str {
    match field {
        "status" => t_string!(i18n, field_status),
        "notes" => t_string!(i18n, field_notes),
        "due_on" => t_string!(i18n, field_due_on),
        "owner_person_id" => t_string!(i18n, field_owner_person_id),
        "title" => t_string!(i18n, field_title),
        "municipality_ids" => t_string!(i18n, field_municipality_ids),
        "partner_ids" => t_string!(i18n, field_partner_ids),
        "health" => t_string!(i18n, health),
        "health_note" => t_string!(i18n, health_note),
        "allocated_sek" => t_string!(i18n, funds_allocated),
        "granted_sek" => t_string!(i18n, funds_granted),
        "paid_sek" => t_string!(i18n, funds_paid),
        _ => t_string!(i18n, field_other),
    }
}
