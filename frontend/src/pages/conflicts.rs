//! Open conflicts in plain words, each resolved for everyone with "keep" one value or the other.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use tavla_shared::edit::Base;
use tavla_shared::kinds::{Conflict, KindFields};
use tavla_shared::order::{sort_by_rank, Rank};
use tavla_shared::values::ActivityStatus;
use tavla_shared::wire::Record;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::app::paths;
use crate::components::badges::{field_label, status_label};
use crate::components::format::local_time;
use crate::components::tr;
use crate::i18n::*;
use crate::store::sync::use_sync;

/// `/konflikter`.
#[component]
pub fn ConflictsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let open = Memo::new(move |_| {
        sync.view.with(|v| {
            let mut list: Vec<(Uuid, Conflict)> = v
                .values()
                .filter(|r| !r.deleted)
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

#[component]
fn ConflictItem(id: Uuid, conflict: Conflict) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let target = sync.view.with_untracked(|v| v.get(&conflict.target_id).cloned());
    let title = title_of(target.as_ref());
    let link = (conflict.target_kind == Kind::Activity).then(|| paths::activity(conflict.target_id));
    let field = conflict.field.clone();
    let (lost, kept) = (conflict.lost_value.clone(), conflict.kept_value.clone());

    let who = conflict.lost_by.clone();
    let when = local_time(conflict.lost_at as f64);
    let resolve = move |keep_lost: bool| {
        let c = conflict.clone();
        spawn_local(async move {
            if keep_lost {
                // The field is named by the conflict itself: the one place a field map is
                // built by name, since no typed struct can name a field chosen at run time.
                let mut fields = Map::new();
                fields.insert(c.field.clone(), c.lost_value.clone());
                // Not saved on the device: the conflict stays open, so the value is not lost.
                if sync.put(c.target_kind, c.target_id, fields).await.is_err() {
                    return;
                }
            }
            let base = Base { rev: sync.base_rev(id), values: c.clone() };
            let _ = sync.save(id, &base, &Conflict { resolved: true, ..c }).await;
        });
    };
    let resolve_lost = resolve.clone();

    let field_a = field.clone();
    let shown = move |v: &Value| show_value(i18n, &field, v);
    let (shown_a, shown_b, shown_c) = (shown.clone(), shown.clone(), shown.clone());
    let (lost_a, lost_b, kept_a, kept_b) = (lost.clone(), lost.clone(), kept.clone(), kept.clone());

    view! {
        <li class="card conflict">
            <h2>{match link {
                Some(href) => view! { <a href=href>{title.clone()}</a> }.into_any(),
                None => view! { <span>{title.clone()}</span> }.into_any(),
            }}</h2>
            <p>{t!(i18n, conflict_text,
                who = move || who.clone(),
                field = move || field_label(i18n, &field_a),
                lost = move || shown(&lost_a),
                when = move || when.clone(),
                kept = move || shown_a(&kept_a))}</p>
            <div class="actions">
                <button type="button" on:click=move |_| resolve_lost(true)>
                    {t!(i18n, keep_value, value = move || shown_b(&lost_b))}
                </button>
                <button type="button" on:click=move |_| resolve(false)>
                    {t!(i18n, keep_value, value = move || shown_c(&kept_b))}
                </button>
            </div>
        </li>
    }
}
