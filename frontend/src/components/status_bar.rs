//! The sync status on every page: online or not, unsynced changes, last sync, the last error,
//! conflicts to review, and "Synka nu". Announced politely to screen readers.

use leptos::prelude::*;
use tavla_shared::wire::RejectCode;
use tavla_shared::Kind;

use crate::components::format::local_time;
use crate::components::{tr, trf, trn};
use crate::i18n::*;
use crate::paths;
use crate::store::sync::use_sync;

/// An unsynced change older than this gets a warning: browsers may evict idle sites' data.
const OLD_PENDING_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// The status bar.
#[component]
pub fn StatusBar() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let status = sync.status;
    let pending = move || sync.outbox.with(Vec::len);
    let staff = crate::components::conflict_banner::is_staff();
    let conflicts = move || {
        sync.view.with(|v| {
            v.values()
                // Read totally: a conflict whose `resolved` is missing or mistyped counts as open.
                .filter(|r| {
                    r.kind == Kind::Conflict
                        && !r.deleted
                        && crate::components::conflict_banner::reviews(staff, r)
                        && r.fields.get("resolved").and_then(|v| v.as_bool()) != Some(true)
                })
                .count()
        })
    };
    let has_conflicts = move || conflicts() > 0;
    let old_pending =
        move || sync.oldest_pending_ms().is_some_and(|at| js_sys::Date::now() - at as f64 > OLD_PENDING_MS);

    // "Synka nu" pressed: when the round finds no network, say so rather than nothing.
    let asked = RwSignal::new(false);
    let new_version = crate::new_version::use_new_version();
    // Said once per press: back online, the next offline spell says nothing until asked again.
    Effect::new(move |_| {
        if status.with(|s| s.online) {
            asked.set(false);
        }
    });
    view! {
        <section class="status-bar" role="status" aria-live="polite" aria-label=move || t_string!(i18n, status_bar_label)>
            <span class=move || if status.with(|s| s.online) { "dot online" } else { "dot offline" } aria-hidden="true"></span>
            <span class="net">
                {move || if status.with(|s| s.online) { t_string!(i18n, status_online) } else { t_string!(i18n, status_offline) }}
            </span>
            <span class="pending" data-pending=move || pending().to_string()>
                {move || match pending() {
                    // Before the device's database is read, "all synced" would not be the truth.
                    _ if !sync.loaded.get() => tr(i18n, |i| t_string!(i, loading)).into_any(),
                    0 => tr(i18n, |i| t_string!(i, pending_none)).into_any(),
                    n => trn(i18n, |i| t_string!(i, pending_count_single), |i| t_string!(i, pending_count), n as i64, vec![]).into_any(),
                }}
            </span>
            <span class="last-sync">
                {move || match status.with(|s| s.last_sync_ms) {
                    Some(ms) => { let time = local_time(ms); trf(i18n, |i| t_string!(i, last_sync), vec![("time", time.clone().to_string())]).into_any() }
                    None => tr(i18n, |i| t_string!(i, never_synced)).into_any(),
                }}
            </span>
            <button type="button" class="sync-now" on:click=move |_| { asked.set(true); sync.sync_now() } prop:disabled=move || status.with(|s| s.syncing)>
                {move || if status.with(|s| s.syncing) { t_string!(i18n, syncing) } else { t_string!(i18n, sync_now) }}
            </button>
            <Show when=has_conflicts>
                <a href=paths::CONFLICTS class="conflicts-link">{move || trn(i18n, |i| t_string!(i, conflicts_link_single), |i| t_string!(i, conflicts_link), conflicts() as i64, vec![])}</a>
            </Show>
            <Show when=move || asked.get() && !status.with(|s| s.online || s.syncing)>
                <p class="warning sync-offline">{tr(i18n, |i| t_string!(i, sync_offline))}</p>
            </Show>
            {move || status.with(|s| s.last_error.clone()).map(|message| view! {
                <p class="sync-error">{trf(i18n, |i| t_string!(i, sync_error), vec![("message", message.clone().to_string())])}</p>
            })}
            <Show when=move || status.with(|s| s.needs_login)>
                <p class="warning">{tr(i18n, |i| t_string!(i, needs_login))}</p>
            </Show>
            <Show when=old_pending>
                <p class="warning">{tr(i18n, |i| t_string!(i, old_pending_warning))}</p>
            </Show>
            {move || match status.with(|s| s.others_pending) {
                0 => None,
                n => Some(view! { <p class="warning others-pending">{trn(i18n, |i| t_string!(i, others_pending_single), |i| t_string!(i, others_pending), n as i64, vec![])}</p> }),
            }}
            <Show when=move || status.with(|s| s.older_tab_open)>
                <p class="warning" role="alert">{tr(i18n, |i| t_string!(i, older_tab_open))}</p>
            </Show>
            <Show when=move || new_version.0.get()>
                <p class="warning new-version" role="alert">
                    {tr(i18n, |i| t_string!(i, new_version))} " "
                    <button type="button" on:click=move |_| { let _ = window().location().reload(); }>{tr(i18n, |i| t_string!(i, reload))}</button>
                </p>
            </Show>
            <Show when=move || status.with(|s| s.reload_needed)>
                <p class="warning reload-needed" role="alert">
                    {tr(i18n, |i| t_string!(i, reload_needed))} " "
                    <button type="button" on:click=move |_| { let _ = window().location().reload(); }>{tr(i18n, |i| t_string!(i, reload))}</button>
                </p>
            </Show>
            {move || status.with(|s| s.storage_error.clone()).map(|message| view! {
                <p class="sync-error">{trf(i18n, |i| t_string!(i, storage_error), vec![("message", message.clone().to_string())])}</p>
            })}
        </section>
        <RejectedList />
    }
}

/// A rejection's code in the reader's language (the server's reason follows in English).
fn reject_words(i18n: leptos_i18n::I18nContext<Locale>, code: RejectCode) -> &'static str {
    match code {
        RejectCode::Forbidden => t_string!(i18n, reject_forbidden),
        RejectCode::InvalidField | RejectCode::InvalidMutation | RejectCode::KindMismatch => {
            t_string!(i18n, reject_invalid_field)
        }
        RejectCode::TooLarge => t_string!(i18n, reject_too_large),
        RejectCode::UnknownKind | RejectCode::UnknownOp => t_string!(i18n, reject_unknown),
        RejectCode::NoSuchRecord => t_string!(i18n, reject_no_such_record),
        _ => t_string!(i18n, reject_other),
    }
}

/// Mutations the server refused, with its reason, until the user dismisses them.
#[component]
fn RejectedList() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    view! {
        <Show when=move || sync.rejected.with(|r| !r.is_empty())>
            <section class="card rejected" role="alert" aria-labelledby="rejected-heading">
                <h2 id="rejected-heading">{tr(i18n, |i| t_string!(i, rejected_heading))}</h2>
                <ul>
                    {move || sync.rejected.get().into_iter().map(|r| {
                        let id = r.mutation.id;
                        view! {
                            <li>
                                <span class="rejected-code" data-code=r.code.as_str()>{let code = r.code; move || reject_words(i18n, code)}</span>
                                " "
                                <span>{format!("({} – {})", r.mutation.kind, r.reason)}</span>
                                <button type="button" class="link-button" on:click=move |_| sync.dismiss_rejected(id)>{tr(i18n, |i| t_string!(i, dismiss))}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}
