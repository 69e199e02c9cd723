//! `/personuppgifter` (admins): how long an idea's contact is kept after the idea closes, the
//! contacts the server removes soon, and a search across people, ideas' contacts and the
//! partner register's contacts with an export of everything found for a subject access
//! request (GDPR articles 5 and 15).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tavla_shared::edit::Base;
use tavla_shared::kinds::{Idea, KindFields, Settings, DEFAULT_RETENTION_MONTHS, SETTINGS_ID};
use tavla_shared::order::{day, sort_by_rank, Rank};
use tavla_shared::privacy::contact_removal_due;
use tavla_shared::values::Role;

use crate::api;
use crate::components::feedback::Feedback;
use crate::components::format::today;
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::paths;
use crate::session::use_session;
use crate::store::sync::use_sync;

/// Ideas whose contact goes within this many days are listed as "soon".
const SOON_DAYS: i64 = 90;

/// `/personuppgifter`.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let admin = use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Admin));
    if !admin {
        return view! {
            <h1>{tr(i18n, |i| t_string!(i, privacy_heading))}</h1>
            <p>{tr(i18n, |i| t_string!(i, admins_only))}</p>
        }
        .into_any();
    }
    view! {
        <p class="back"><a href=paths::OVERVIEW>"← " {tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, privacy_heading))}</h1>
        <p>{tr(i18n, |i| t_string!(i, privacy_intro))}</p>
        {move || sync.loaded.get().then(|| view! { <Retention /> })}
        <SoonRemoved />
        <Search />
    }
    .into_any()
}

/// The settings record as a form opens it: its version and values (the defaults when no admin
/// has saved any yet), and whether it exists.
pub fn open_settings(sync: crate::store::sync::SyncEngine) -> (StoredValue<Base<Settings>>, bool) {
    let opened = sync.view.with_untracked(|v| v.get(&SETTINGS_ID).and_then(Settings::from_record));
    let exists = opened.is_some();
    (StoredValue::new(Base { rev: sync.base_rev(SETTINGS_ID), values: opened.unwrap_or_default() }), exists)
}

/// Saves `draft` as an edit of the settings `base` (created on the first save), so two admins
/// changing different settings offline both keep theirs.
pub fn save_settings(
    base: StoredValue<Base<Settings>>,
    exists: bool,
    draft: Settings,
    message: Feedback,
    i18n: leptos_i18n::I18nContext<Locale>,
) {
    let sync = use_sync();
    let b = base.get_value();
    spawn_local(async move {
        let saved = if exists || b.rev > 0 {
            sync.save(SETTINGS_ID, &b, &draft).await
        } else {
            sync.create(SETTINGS_ID, &draft).await.map(Some)
        };
        match saved {
            Ok(mutation) => {
                base.set_value(Base { rev: b.rev, values: draft });
                message.saved(mutation);
            }
            Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
        }
    });
}

/// The retention setting: months after an idea is finished or declined.
#[component]
fn Retention() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let (base, exists) = open_settings(sync);
    let months = RwSignal::new(base.with_value(|b| b.values.retention_months()).to_string());
    let message = Feedback::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(m) = months.get_untracked().trim().parse::<i64>() else {
            message.error(t_string!(i18n, retention_invalid));
            return;
        };
        if !(1..=120).contains(&m) {
            message.error(t_string!(i18n, retention_invalid));
            return;
        }
        let draft = Settings { idea_contact_retention_months: Some(m), ..base.get_value().values };
        save_settings(base, exists, draft, message, i18n);
    };
    view! {
        <section class="card" aria-labelledby="retention-heading">
            <h2 id="retention-heading">{tr(i18n, |i| t_string!(i, retention_heading))}</h2>
            <form class="form" on:submit=on_submit>
                <label for="retention-months">{tr(i18n, |i| t_string!(i, retention_label))}</label>
                <input id="retention-months" type="number" min="1" max="120" inputmode="numeric" aria-describedby="retention-hint"
                    prop:value=move || months.get() on:input=move |ev| months.set(event_target_value(&ev)) />
                <p id="retention-hint" class="muted">{trf(i18n, |i| t_string!(i, retention_hint), vec![("default", DEFAULT_RETENTION_MONTHS.to_string())])}</p>
                {message.view()}
                <div class="actions"><button type="submit" class="primary">{tr(i18n, |i| t_string!(i, save))}</button></div>
            </form>
        </section>
    }
}

/// The contacts the server removes within [`SOON_DAYS`], soonest first.
#[component]
fn SoonRemoved() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let soon = move || {
        sync.view.with(|v| {
            let months = Settings::of(v.values()).retention_months();
            let today = today();
            let mut list: Vec<(uuid::Uuid, String, tavla_shared::date::Date)> = v
                .values()
                .filter(|r| !r.deleted)
                .filter_map(|r| Idea::from_record(r).map(|i| (r.id, i)))
                .filter_map(|(id, i)| contact_removal_due(&i, months).map(|d| (id, i.title, d)))
                .filter(|(_, _, d)| (d.0 - today.0).num_days() <= SOON_DAYS)
                .collect();
            sort_by_rank(&mut list, |(id, _, d)| Rank::num(day(Some(*d))).then_id(*id));
            list
        })
    };
    view! {
        <section class="card" aria-labelledby="soon-heading">
            <h2 id="soon-heading">{trf(i18n, |i| t_string!(i, soon_removed_heading), vec![("days", SOON_DAYS.to_string())])}</h2>
            {move || {
                let list = soon();
                if list.is_empty() {
                    view! { <p class="muted">{tr(i18n, |i| t_string!(i, soon_removed_none))}</p> }.into_any()
                } else {
                    view! {
                        <ul class="soon-removed" role="list">
                            {list.into_iter().map(|(id, title, d)| view! {
                                <li><a href=paths::idea(id)>{title}</a>" – "<time>{d.to_string()}</time></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The search for a subject access request, online only (the server holds every contact).
#[component]
fn Search() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = RwSignal::new(String::new());
    let found: RwSignal<Option<(String, serde_json::Value)>> = RwSignal::new(None);
    let message = Feedback::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked().trim().to_string();
        let Some(token) = session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone())) else { return };
        spawn_local(async move {
            match api::privacy_search(&token, &q).await {
                Ok(text) => match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(value) => {
                        message.clear();
                        found.set(Some((text, value)));
                    }
                    Err(e) => message.error(e.to_string()),
                },
                Err(api::ApiError::Network(_)) => message.error(t_string!(i18n, search_needs_network)),
                Err(e) => message.error(e.to_string()),
            }
        });
    };
    let names = |v: &serde_json::Value, list: &str, field: &str| -> Vec<String> {
        v[list]
            .as_array()
            .map(|a| {
                a.iter().filter_map(|x| x["record"]["fields"][field].as_str().map(str::to_string)).collect()
            })
            .unwrap_or_default()
    };
    let export = move |_| {
        if let Some((text, _)) = found.get_untracked() {
            crate::components::export::download("personuppgifter.json", "application/json", &text);
        }
    };
    view! {
        <section class="card" aria-labelledby="search-heading">
            <h2 id="search-heading">{tr(i18n, |i| t_string!(i, privacy_search_heading))}</h2>
            <form class="form" role="search" on:submit=on_submit>
                <label for="privacy-query">{tr(i18n, |i| t_string!(i, privacy_search_label))}</label>
                <input id="privacy-query" type="search" minlength="2" maxlength="100" required
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
                {message.view()}
                <div class="actions"><button type="submit" class="primary">{tr(i18n, |i| t_string!(i, search))}</button></div>
            </form>
            {move || found.get().map(|(_, v)| {
                let people = names(&v, "people", "name");
                let ideas = names(&v, "ideas", "title");
                // Partners by name, dialogues by summary.
                let partners: Vec<String> =
                    names(&v, "partners", "name").into_iter().chain(names(&v, "partners", "summary")).collect();
                view! {
                    <p role="status">{trf(i18n, |i| t_string!(i, privacy_found), vec![("people", people.len().to_string()), ("ideas", ideas.len().to_string()), ("partners", partners.len().to_string())])}</p>
                    <ul class="found" role="list">
                        {people.into_iter().chain(ideas).chain(partners).map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                    <button type="button" on:click=export>{tr(i18n, |i| t_string!(i, privacy_export))}</button>
                }
            })}
        </section>
    }
}
