//! Open conflicts in plain words, each resolved for everyone with "keep" one value or the other.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use tavla_shared::edit::Base;
use tavla_shared::kinds::{Conflict, KindFields};
use tavla_shared::order::{sort_by_rank, Rank};
use tavla_shared::protocol::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use tavla_shared::values::ActivityStatus;
use tavla_shared::wire::Record;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::badges::{field_label, status_label};
use crate::components::format::local_time;
use crate::components::{fill, focus_id, tr};
use crate::i18n::*;
use crate::paths;
use crate::store::sync::use_sync;

/// `/konflikter`.
#[component]
pub fn ConflictsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let staff = crate::components::conflict_banner::is_staff();
    let open = Memo::new(move |_| {
        sync.view.with(|v| {
            let mut list: Vec<(Uuid, Conflict)> = v
                .values()
                .filter(|r| !r.deleted && crate::components::conflict_banner::reviews(staff, r))
                .filter_map(|r| Conflict::from_record(r).map(|c| (r.id, c)))
                .filter(|(_, c)| !c.resolved)
                .collect();
            sort_by_rank(&mut list, |(_, c)| Rank::num(c.lost_at));
            list
        })
    });
    view! {
        <h1>{tr(i18n, |i| t_string!(i, conflicts_heading))}</h1>
        {move || {
            let list = open.get();
            if list.is_empty() {
                view! { <p>{tr(i18n, |i| t_string!(i, no_conflicts))}</p> }.into_any()
            } else {
                view! {
                    <ul class="conflict-list">
                        {list.into_iter().map(|(id, c)| view! { <ConflictItem id conflict=c /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        }}
    }
}

/// A field value as a person reads it.
fn show_value(i18n: leptos_i18n::I18nContext<Locale>, field: &str, value: &Value) -> String {
    match value {
        Value::Null => t_string!(i18n, empty_value).to_string(),
        Value::String(s) if field == "status" => ActivityStatus::ALL
            .iter()
            .find(|v| v.as_str() == s)
            .map_or_else(|| s.clone(), |v| status_label(i18n, *v).to_string()),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn title_of(record: Option<&Record>) -> String {
    record
        .and_then(|r| r.fields.get("title").or_else(|| r.fields.get("name")))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The fields whose two versions can be merged into one text: free texts, where each side
/// often holds something worth keeping (a status, a date or a person cannot be merged).
const MERGEABLE: &[&str] = &["notes", "description", "health_note", "summary", "next_step"];

/// The longest text `field` takes.
fn text_limit(field: &str) -> usize {
    match field {
        "health_note" | "next_step" => SHORT_TEXT_MAX,
        _ => LONG_TEXT_MAX,
    }
}

/// Keeps `value` in the record's field and marks the conflict resolved, for everyone. The
/// conflict is marked resolved only once the server has taken the value: a value it refuses
/// (too long, not allowed) leaves the conflict open, so neither side is lost. `waiting` is set
/// while the value is on its way.
fn resolve(
    sync: crate::store::sync::SyncEngine,
    id: Uuid,
    c: Conflict,
    value: Option<Value>,
    waiting: RwSignal<bool>,
) {
    waiting.set(true);
    spawn_local(async move {
        if let Some(value) = value {
            // The field is named by the conflict itself: the one place a field map is built by
            // name, since no typed struct can name a field chosen at run time.
            let mut fields = Map::new();
            fields.insert(c.field.clone(), value);
            // Not saved on the device, or refused: the conflict stays open.
            let taken = match sync.put(c.target_kind, c.target_id, fields).await {
                Ok(mutation) => sync.acknowledged(mutation).await,
                Err(_) => false,
            };
            if !taken {
                waiting.set(false);
                return;
            }
        }
        let base = Base { rev: sync.base_rev(id), values: c.clone() };
        let _ = sync.save(id, &base, &Conflict { resolved: true, ..c }).await;
    });
}

#[component]
fn ConflictItem(id: Uuid, conflict: Conflict) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let target = sync.view.with_untracked(|v| v.get(&conflict.target_id).cloned());
    let title = title_of(target.as_ref());
    let link = match conflict.target_kind {
        Kind::Activity => Some(paths::activity(conflict.target_id)),
        Kind::Event => Some(paths::event(conflict.target_id)),
        _ => None,
    };
    let field = conflict.field.clone();
    let (lost, kept) = (conflict.lost_value.clone(), conflict.kept_value.clone());
    let shown = move |v: &Value| show_value(i18n, &field, v);
    // Both sides named, with their times, when the server knows who set the kept value.
    let text = {
        let c = conflict.clone();
        let (lost, kept) = (lost.clone(), kept.clone());
        let shown = shown.clone();
        move || {
            let mut args = vec![
                ("lost_by", c.lost_by.clone()),
                ("who", c.lost_by.clone()),
                ("field", field_label(i18n, &c.field).to_string()),
                ("lost", shown(&lost)),
                ("lost_at", local_time(c.lost_at as f64)),
                ("when", local_time(c.lost_at as f64)),
                ("kept", shown(&kept)),
            ];
            match (&c.kept_by, c.kept_at) {
                (Some(by), Some(at)) => {
                    args.push(("kept_by", by.clone()));
                    args.push(("kept_at", local_time(at as f64)));
                    fill(t_string!(i18n, conflict_text_both), &args)
                }
                _ => fill(t_string!(i18n, conflict_text), &args),
            }
        }
    };
    // Texts can be merged: both versions often hold something worth keeping.
    let mergeable = MERGEABLE.contains(&conflict.field.as_str())
        && [&lost, &kept].iter().all(|v| v.is_string() || v.is_null());
    let limit = text_limit(&conflict.field);
    let waiting = RwSignal::new(false);
    let merging = RwSignal::new(false);
    let merged = RwSignal::new(String::new());
    let start_merge = {
        let (lost, kept) = (lost.clone(), kept.clone());
        move |_| {
            let parts: Vec<&str> =
                [kept.as_str(), lost.as_str()].into_iter().flatten().filter(|t| !t.is_empty()).collect();
            merged.set(parts.join("\n\n"));
            merging.set(true);
            request_animation_frame(move || focus_id(&format!("merge-{id}")));
        }
    };
    let (c_lost, c_kept, c_merge) = (conflict.clone(), conflict.clone(), conflict.clone());
    let (lost_value, shown_lost, shown_kept) = (lost.clone(), shown.clone(), shown.clone());
    let keep_label = move |text: String| fill(t_string!(i18n, keep_value_plain), &[("value", text)]);
    let on_merge = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = merged.get_untracked();
        let value = if text.trim().is_empty() { Value::Null } else { Value::String(text) };
        resolve(sync, id, c_merge.clone(), Some(value), waiting);
    };
    let merge_id = format!("merge-{id}");
    view! {
        <li class="card conflict" id=format!("konflikt-{id}")>
            <h2>{match link {
                Some(href) => view! { <a href=href>{title.clone()}</a> }.into_any(),
                None => view! { <span>{title.clone()}</span> }.into_any(),
            }}</h2>
            <p>{text}</p>
            <div class="actions">
                <button type="button" prop:disabled=move || waiting.get()
                    on:click=move |_| resolve(sync, id, c_lost.clone(), Some(lost_value.clone()), waiting)>
                    {move || keep_label(shown_lost(&lost))}
                </button>
                <button type="button" prop:disabled=move || waiting.get()
                    on:click=move |_| resolve(sync, id, c_kept.clone(), None, waiting)>
                    {move || keep_label(shown_kept(&kept))}
                </button>
                {mergeable.then(|| view! {
                    <button type="button" on:click=start_merge aria-expanded=move || merging.get().to_string()>
                        {tr(i18n, |i| t_string!(i, merge_values))}
                    </button>
                })}
            </div>
            <Show when=move || waiting.get()>
                <p class="muted" role="status">{tr(i18n, |i| t_string!(i, conflict_waiting))}</p>
            </Show>
            <Show when=move || merging.get()>
                <form class="form merge" on:submit=on_merge.clone()>
                    <label for=merge_id.clone()>{tr(i18n, |i| t_string!(i, merge_text))}</label>
                    <textarea id=merge_id.clone() rows="6" maxlength=limit prop:value=move || merged.get()
                        on:input=move |ev| merged.set(event_target_value(&ev))></textarea>
                    <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, merge_save))}</button>
                </form>
            </Show>
        </li>
    }
}
