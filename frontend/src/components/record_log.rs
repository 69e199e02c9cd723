//! What people said and did about a record: its comments (append-only, so they never conflict;
//! written offline like any edit) and its history of changes (kept by the server, so shown
//! when online).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use tavla_shared::kinds::{Comment, KindFields};
use tavla_shared::order::{sort_by_rank, Rank};
use tavla_shared::protocol::LONG_TEXT_MAX;
use tavla_shared::rules::may_edit;
use tavla_shared::values::ActivityStatus;
use tavla_shared::wire::{ChangeOp, HistoryResponse};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::api;
use crate::components::badges::{field_label, status_label};
use crate::components::feedback::Feedback;
use crate::components::format::{local_time, sek, signed_sek};
use crate::components::tr;
use crate::i18n::*;
use crate::session::{random_uuid, use_session};
use crate::store::sync::use_sync;

/// The comments on a record, oldest first, and a box to add one.
#[component]
pub fn Comments(target_kind: Kind, target_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let can_comment =
        session.0.with_untracked(|s| s.as_ref().is_some_and(|s| may_edit(s.user.role, Kind::Comment)));
    let me =
        session.0.with_untracked(|s| s.as_ref().map(|s| s.user.display_name.clone())).unwrap_or_default();
    let comments = Memo::new(move |_| {
        let mut list: Vec<(Uuid, Comment)> = sync.view.with(|v| {
            v.values()
                .filter(|r| !r.deleted)
                .filter_map(|r| Comment::from_record(r).map(|c| (r.id, c)))
                .filter(|(_, c)| c.target_id == target_id)
                .collect()
        });
        // Not yet on the server: no time yet, shown last.
        sort_by_rank(&mut list, |(id, c)| Rank::num(c.created_at.unwrap_or(i64::MAX)).then_id(*id));
        list
    });
    let text = RwSignal::new(String::new());
    let message = Feedback::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked().trim().to_string();
        if body.is_empty() {
            return;
        }
        // Author and time are set by the server.
        let comment = Comment {
            target_kind,
            target_id,
            text: body,
            author_user_id: None,
            author_name: None,
            created_at: None,
        };
        let id = random_uuid();
        spawn_local(async move {
            match sync.create(id, &comment).await {
                Ok(mutation) => {
                    text.set(String::new());
                    message.saved(mutation);
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="comments-heading">
            <h2 id="comments-heading">{tr(i18n, |i| t_string!(i, comments_heading))}</h2>
            <ol class="comments" role="list">
                {move || comments.get().into_iter().map(|(_, c)| {
                    let who = c.author_name.clone().unwrap_or_else(|| me.clone());
                    let (when, pending) = match c.created_at {
                        Some(ms) => (local_time(ms as f64), None),
                        None => (String::new(), Some(t_string!(i18n, not_synced_badge))),
                    };
                    view! {
                        <li class="comment">
                            <p class="comment-meta">
                                <strong>{who}</strong>" "<time>{when}</time>
                                {pending.map(|p| view! { <span class="badge pending-badge">{p}</span> })}
                            </p>
                            <p class="comment-text">{c.text}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <Show when=move || comments.with(Vec::is_empty)>
                <p class="muted">{tr(i18n, |i| t_string!(i, no_comments))}</p>
            </Show>
            {can_comment.then(|| view! {
                <form class="form" on:submit=on_submit>
                    <label for="new-comment">{tr(i18n, |i| t_string!(i, new_comment))}</label>
                    <textarea id="new-comment" rows="3" required maxlength=LONG_TEXT_MAX prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, add_comment))}</button>
                    {message.view()}
                </form>
            })}
        </section>
    }
}

/// Who changed what and when, newest first, fetched from the server when this opens and after
/// each sync. `heading` names it where "Historik" would say too little (the funds' trail).
#[component]
pub fn History(id: Uuid, #[prop(optional)] heading: Option<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let history = RwSignal::new(None::<Result<HistoryResponse, String>>);
    // Fetched again whenever the record's server version changes (a sync brought news).
    let rev = Memo::new(move |_| sync.server.with(|s| s.get(&id).map(|r| r.rev)));
    Effect::new(move |_| {
        let _ = rev.get();
        let Some(token) = session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone())) else { return };
        spawn_local(async move {
            let answer = api::history(&token, id).await.map_err(|e| e.to_string());
            // Keep what was shown when offline: an older history beats none.
            if answer.is_ok() || history.with_untracked(|h| !matches!(h, Some(Ok(_)))) {
                history.set(Some(answer));
            }
        });
    });
    let describe = move |op: ChangeOp, fields: &Map<String, Value>| -> String {
        let names: Vec<String> = fields
            .iter()
            .map(|(f, v)| {
                let name = field_label(i18n, f);
                let status =
                    serde_json::from_value::<ActivityStatus>(v.clone()).ok().filter(|_| f == "status");
                // A reference reads as the name of what it points at ("ansvarig → Anna").
                let named = v.as_str().and_then(|s| Uuid::parse_str(s).ok()).and_then(|target| {
                    sync.view.with_untracked(|all| {
                        all.get(&target).and_then(|r| {
                            r.fields
                                .get("name")
                                .or_else(|| r.fields.get("title"))
                                .and_then(Value::as_str)
                                .map(str::to_string)
                        })
                    })
                });
                let amount = v.as_i64().filter(|_| f.ends_with("_sek"));
                match v {
                    _ if status.is_some() => {
                        format!("{name} → {}", status.map(|s| status_label(i18n, s)).unwrap_or_default())
                    }
                    Value::Null => format!("{name} {}", t_string!(i18n, history_cleared)),
                    _ if named.is_some() => format!("{name} → {}", named.unwrap_or_default()),
                    _ if amount.is_some() && op == ChangeOp::Added => {
                        format!("{name} {}", signed_sek(amount.unwrap_or(0)))
                    }
                    _ if amount.is_some() => format!("{name} → {}", sek(amount.unwrap_or(0))),
                    Value::String(s) if Uuid::parse_str(s).is_err() && s.chars().count() <= 60 => {
                        format!("{name} → «{s}»")
                    }
                    Value::Number(n) if op == ChangeOp::Added => {
                        format!("{name} {:+}", n.as_i64().unwrap_or(0))
                    }
                    Value::Number(n) => format!("{name} → {n}"),
                    _ => name.to_string(),
                }
            })
            .collect();
        let verb = match op {
            ChangeOp::Created => t_string!(i18n, history_created),
            ChangeOp::Changed => t_string!(i18n, history_changed),
            ChangeOp::Deleted => t_string!(i18n, history_deleted),
            ChangeOp::Restored => t_string!(i18n, history_restored),
            ChangeOp::Added => t_string!(i18n, history_added),
        };
        if names.is_empty() || op == ChangeOp::Created {
            verb.to_string()
        } else {
            format!("{verb}: {}", names.join(", "))
        }
    };
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">{move || heading.unwrap_or_else(|| t_string!(i18n, history_heading))}</h2>
            {move || match history.get() {
                None => view! { <p class="muted" role="status">{tr(i18n, |i| t_string!(i, loading))}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="muted" role="status">{tr(i18n, |i| t_string!(i, history_offline))}</p> }.into_any(),
                Some(Ok(h)) if h.changes.is_empty() => view! { <p class="muted">{tr(i18n, |i| t_string!(i, history_empty))}</p> }.into_any(),
                Some(Ok(h)) => view! {
                    <ol class="history" role="list">
                        {h.changes.into_iter().map(|c| view! {
                            <li>
                                <time>{local_time(c.at as f64)}</time>" · "<strong>{c.by}</strong>" · "{describe(c.op, &c.fields)}
                            </li>
                        }).collect_view()}
                    </ol>
                    {h.truncated.then(|| view! { <p class="muted">{tr(i18n, |i| t_string!(i, history_truncated))}</p> })}
                }.into_any(),
            }}
        </section>
    }
}
