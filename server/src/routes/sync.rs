//! Sync protocol v1: `GET /api/v1/sync/pull`, `POST /api/v1/sync/push`, `GET /api/v1/sync/events`.

use std::collections::HashSet;
use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::AppendHeaders;
use futures_util::Stream;
use serde_json::json;
use tavla_shared::merge::{Author, Rejection};
use tavla_shared::privacy::{self, Viewer};
use tavla_shared::protocol::{
    NEXT_CURSOR_HEADER, PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PUSH_MAX_MUTATIONS, RESULTS_KEPT,
};
use tavla_shared::push::{process_push, PushInput};
use tavla_shared::rules;
use tavla_shared::wire::{
    Mutation, MutationOp, MutationResult, MutationStatus, PullQuery, PullResponse, PushEnvelope, PushItem,
    PushResponse, RejectCode,
};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::auth::{now_ms, AuthUser};
use crate::error::{AppError, Json, Query};
use crate::state::AppState;
use crate::store::{ClientState, PushWrite};
use crate::streams::{StreamPlace, StreamRefused};

/// The client's state, refusing a client id that another user has pushed with (guarantee 8).
fn own_client(state: &AppState, auth: &AuthUser, client_id: Uuid) -> Result<ClientState, AppError> {
    let client = state.store.client(client_id)?.unwrap_or_default();
    match client.user_id {
        Some(owner) if owner != auth.user.id => Err(AppError::ClientIdTaken),
        _ => Ok(client),
    }
}

/// Every record changed after `cursor`, oldest first, at most `limit`; with more to come, the
/// next page's cursor also goes in a header ([`NEXT_CURSOR_HEADER`]).
#[utoipa::path(get, path = "/sync/pull", tag = "sync", params(PullQuery), responses((status = 200, description = "Records changed after the cursor, oldest first; with more to come, the header `tavla-next-cursor` names the next page's cursor", body = PullResponse)))]
pub async fn pull(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<PullQuery>,
) -> Result<(AppendHeaders<Option<(&'static str, String)>>, Json<PullResponse>), AppError> {
    let limit = q.limit.unwrap_or(PULL_DEFAULT_LIMIT);
    if limit == 0 || limit > PULL_MAX_LIMIT {
        return Err(AppError::BadRequest(format!("limit must be between 1 and {PULL_MAX_LIMIT}")));
    }
    let version = state.store.version()?;
    if q.cursor > version {
        return Err(AppError::BadRequest(format!(
            "cursor {} is ahead of the server (version {version}); pull again from 0",
            q.cursor
        )));
    }
    // Read before the records: a push landing in between is then reported by the next pull,
    // never acknowledged before its records arrive (guarantee 9).
    let last_mutation_id = own_client(&state, &auth, q.client_id)?.last_mutation_id;
    let mut page = state.store.pull(q.cursor, limit)?;
    // Data minimisation: private contact details only reach those who may see them, so they
    // are never stored on anyone else's device.
    let viewer = auth.viewer();
    for record in &mut page.records {
        privacy::redact(record, &viewer);
    }
    let next = page.more.then(|| (NEXT_CURSOR_HEADER, page.cursor.to_string()));
    Ok((
        AppendHeaders(next),
        Json(PullResponse { cursor: page.cursor, more: page.more, last_mutation_id, records: page.records }),
    ))
}

/// Applies a client's mutations in order, exactly once each, durably, as one atomic batch.
#[utoipa::path(post, path = "/sync/push", tag = "sync", request_body = PushEnvelope, responses((status = 200, description = "Every mutation's result, durable before the answer", body = PushResponse)))]
pub async fn push(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<PushEnvelope>,
) -> Result<Json<PushResponse>, AppError> {
    if req.mutations.len() > PUSH_MAX_MUTATIONS {
        return Err(AppError::BadRequest(format!(
            "a push holds at most {PUSH_MAX_MUTATIONS} mutations; send the rest in another push"
        )));
    }
    // Each mutation is read on its own: one of a kind or op this server does not know (a
    // newer release's) is rejected alone, and the rest still apply.
    let mut items = req
        .mutations
        .iter()
        .map(|raw| PushItem::parse(raw))
        .collect::<Result<Vec<_>, _>>()
        .map_err(AppError::BadRequest)?;
    let now = now_ms();
    for item in &mut items {
        // The server, not the client, says who wrote a comment and when.
        if let PushItem::Known(m) = item {
            if let (Kind::Comment, MutationOp::Put { fields, .. }) = (m.kind, &mut m.op) {
                fields.insert("author_user_id".into(), json!(auth.user.id));
                fields.insert("author_name".into(), json!(auth.user.display_name));
                fields.insert("created_at".into(), json!(now));
            }
        }
    }

    // One push at a time: the plan is made against the version it is written on top of.
    let _guard = state.push_lock.lock().await;
    let client = own_client(&state, &auth, req.client_id)?;
    let viewer = auth.viewer();
    // Read under the lock, so the fields left out are judged on the record the push lands on.
    let LeftOut { emptied, forbidden } = leave_out_fields_not_theirs(&*state.store, &viewer, &mut items)?;
    let latest_stage_day = crate::retention::today().0.checked_add_days(chrono::Days::new(1));
    let base_version = state.store.version()?;
    let author = Author { client_id: req.client_id, name: auth.user.display_name.clone() };
    let role = auth.user.role;
    let own_person = auth.user.person_id;
    let store = &state.store;
    let input = PushInput {
        version: base_version,
        last_mutation_id: client.last_mutation_id,
        author: &author,
        now,
        items: &items,
    };
    // Only exceptions are stored: a replay of a tracked, recent id without one was applied.
    let window_start =
        client.results_from.max(1).max(client.last_mutation_id.saturating_sub(RESULTS_KEPT - 1));
    let tracked = client.results_from > 0;
    let mut plan = process_push(
        |id| store.tracked(id),
        |id| {
            Ok(match store.result(req.client_id, id)? {
                Some(r) => Some(r),
                None if tracked && id >= window_start => {
                    Some(MutationResult { id, status: MutationStatus::Applied, code: None, reason: None })
                }
                None => None,
            })
        },
        input,
        |m, current| {
            rules::check(role, own_person, m, current)?;
            if forbidden.contains(&m.id) {
                return Err((
                    RejectCode::Forbidden,
                    "only staff and whoever captured the idea may change its contact details".into(),
                ));
            }
            check_stage_days(m, latest_stage_day.map(tavla_shared::date::Date))?;
            check_capturer_claim(&viewer, m, current)
        },
        Uuid::new_v4,
    )?;
    // A put left with nothing once the fields not the author's were taken out changed nothing
    // they could see: applied, not a puzzling "a put must name at least one field".
    // By mutation id: replays get no result, so results and items need not line up.
    let empty_put = Rejection::EmptyPut.to_string();
    for result in plan.results.iter_mut() {
        if emptied.contains(&result.id)
            && result.status == MutationStatus::Rejected
            && result.reason.as_deref() == Some(&*empty_put)
        {
            *result =
                MutationResult { id: result.id, status: MutationStatus::Applied, code: None, reason: None };
        }
    }

    if plan.last_mutation_id != client.last_mutation_id || !plan.records.is_empty() {
        state.store.apply_push(PushWrite {
            base_version,
            version: plan.version,
            records: plan.records,
            replaced_revs: plan.replaced_revs,
            client_id: req.client_id,
            client: ClientState {
                user_id: Some(auth.user.id),
                last_mutation_id: plan.last_mutation_id,
                // Results are tracked from the first mutation this release processes.
                results_from: if tracked {
                    client.results_from
                } else {
                    plan.results.iter().map(|r| r.id).find(|id| *id > client.last_mutation_id).unwrap_or(0)
                },
            },
            // A repeated id's rejection must not stand for the edit it repeats: the first
            // result per id is the one kept.
            results: {
                let mut seen = std::collections::HashSet::new();
                plan.results
                    .iter()
                    .filter(|r| seen.insert(r.id))
                    .filter(|r| r.id > client.last_mutation_id && r.status != MutationStatus::Applied)
                    .cloned()
                    .collect()
            },
        })?;
        // Guarantee 2: on disk before the answer.
        state.store.flush().await?;
        if plan.version != base_version {
            state.pokes.send_replace(plan.version);
        }
    }
    Ok(Json(PushResponse { last_mutation_id: plan.last_mutation_id, results: plan.results }))
}

/// What [`leave_out_fields_not_theirs`] found.
struct LeftOut {
    /// Mutation ids of puts that named fields and were left with none.
    emptied: HashSet<u64>,
    /// Mutation ids of puts that set a contact detail their author may not see to a value.
    forbidden: HashSet<u64>,
}

/// Takes out of each put the fields its author may not set on the record as stored: the
/// private contact details they cannot see and the server-set `captured_by_user_id`, which a
/// put creating an idea gets from the pushing account. An empty value (`null`, `""`) of a
/// contact detail is left out silently (an old client's form must never blank what its author
/// was never shown), as is `consent`; a put giving one a value is refused (`forbidden`), not
/// answered `applied` for a change that was never made.
fn leave_out_fields_not_theirs(
    store: &dyn crate::store::Store,
    viewer: &Viewer,
    items: &mut [PushItem],
) -> Result<LeftOut, AppError> {
    let mut out = LeftOut { emptied: HashSet::new(), forbidden: HashSet::new() };
    for item in items.iter_mut() {
        let PushItem::Known(m) = item else { continue };
        let MutationOp::Put { fields, .. } = &mut m.op else { continue };
        // Only ideas and people hold fields that are not everyone's (a put naming another kind
        // than the record's is refused anyway): other puts cost no extra read.
        if !(m.kind == Kind::Idea || m.kind == Kind::Person && !viewer.is_staff()) {
            continue;
        }
        match store.record(m.entity_id)? {
            // A later put of the same push to an idea it creates gets the same value: no change.
            None if m.kind == Kind::Idea => {
                fields.insert("captured_by_user_id".into(), json!(viewer.user_id));
            }
            None => {}
            Some(current) => {
                let had_fields = !fields.is_empty();
                let not_theirs = privacy::fields_not_theirs(viewer, &current);
                let sets_contact = not_theirs
                    .iter()
                    .filter(|f| privacy::private_fields(&current).contains(*f))
                    .any(|f| fields.get(*f).is_some_and(|v| !is_blank(v)));
                if sets_contact {
                    out.forbidden.insert(m.id);
                    continue;
                }
                for name in not_theirs {
                    fields.remove(name);
                }
                if had_fields && fields.is_empty() {
                    out.emptied.insert(m.id);
                }
            }
        }
    }
    Ok(out)
}

/// True for a value that says nothing: `null`, or a string of nothing but spaces.
fn is_blank(v: &serde_json::Value) -> bool {
    v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty())
}

/// Refuses an idea put whose `stage_reached_on` holds a day after `latest` (the server's
/// tomorrow): the retention counts from those days, and a far-future one would keep a
/// contact for ever.
fn check_stage_days(
    m: &Mutation,
    latest: Option<tavla_shared::date::Date>,
) -> Result<(), tavla_shared::rules::Refusal> {
    let (Kind::Idea, MutationOp::Put { fields, .. }, Some(latest)) = (m.kind, &m.op, latest) else {
        return Ok(());
    };
    let Some(days) = fields.get("stage_reached_on").and_then(|v| v.as_object()) else { return Ok(()) };
    for (stage, day) in days {
        let Some(day) = day.as_str().and_then(tavla_shared::date::Date::parse) else { continue };
        if day > latest {
            return Err((
                RejectCode::InvalidField,
                format!(
                    "the day the idea reached `{stage}` ({day}) is in the future; give the day it happened"
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a put that names its author as the capturer of an idea whose contact they cannot
/// see: the capturer sees the contact, so claiming it would be a way round the rule. (An idea
/// without a contact may be claimed: there is nothing to see.)
fn check_capturer_claim(
    viewer: &Viewer,
    m: &Mutation,
    current: Option<&tavla_shared::merge::Tracked>,
) -> Result<(), tavla_shared::rules::Refusal> {
    let (Some(current), MutationOp::Put { fields, .. }) = (current, &m.op) else { return Ok(()) };
    // Read as a UUID, as the rules read it: `"ABC…"` names the same person as `"abc…"`.
    let named =
        fields.get("captured_by_person_id").and_then(|v| v.as_str()).and_then(|s| s.parse::<Uuid>().ok());
    let claims = viewer.person_id.is_some_and(|own| named == Some(own));
    let holds_contact = privacy::IDEA_CONTACT_FIELDS.iter().any(|f| current.record.fields.contains_key(*f));
    if current.record.kind == Kind::Idea
        && claims
        && holds_contact
        && !privacy::may_see(viewer, &current.record)
    {
        return Err((
            RejectCode::Forbidden,
            "only staff can name you as the one who captured an idea someone else captured".into(),
        ));
    }
    Ok(())
}

/// How often an open stream checks that its session is still valid, besides on revocations.
const SESSION_CHECK: std::time::Duration = std::time::Duration::from_secs(60);

/// A `poke` event (data: the new version) each time the version advances; clients then pull.
/// A login holds a few streams at most and the server a fixed number in all (429 and 503
/// beyond); a stream ends when its session is revoked or expires, or the account is disabled.
#[utoipa::path(get, path = "/sync/events", tag = "sync", responses((status = 200, description = "`poke` events whose data is the new version", content_type = "text/event-stream", body = String)))]
pub async fn events(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let place = state.streams.open(auth.token_hash, auth.user.id).map_err(|refused| match refused {
        StreamRefused::PerSession(n) | StreamRefused::PerUser(n) => AppError::TooManyStreams(n),
        StreamRefused::Full => AppError::Busy(
            "the server has as many event streams open as it takes; try again later".into(),
            std::time::Duration::from_secs(30),
        ),
    })?;
    let pokes = state.pokes.subscribe();
    let stopping = state.stopping.subscribe();
    let revocations = state.revocations.subscribe();
    // One clock for the whole stream: a sleep started anew each time round would never ring
    // while pokes come more often than it.
    let mut check = tokio::time::interval(SESSION_CHECK);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    check.reset();
    let watch = Watch { pokes, stopping, revocations, check, state, auth, _place: place };
    let stream = futures_util::stream::unfold(watch, |mut w| async move {
        loop {
            if *w.stopping.borrow() {
                return None;
            }
            tokio::select! {
                changed = w.pokes.changed() => {
                    changed.ok()?;
                    let version = *w.pokes.borrow_and_update();
                    return Some((Ok(Event::default().event("poke").data(version.to_string())), w));
                }
                // Ends the stream on shutdown, so graceful shutdown does not wait for idle listeners.
                _ = w.stopping.changed() => return None,
                changed = w.revocations.changed() => {
                    changed.ok()?;
                    if !w.session_valid() {
                        return None;
                    }
                }
                _ = w.check.tick() => {
                    if !w.session_valid() {
                        return None;
                    }
                }
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// What an open event stream watches.
struct Watch {
    pokes: tokio::sync::watch::Receiver<u64>,
    stopping: tokio::sync::watch::Receiver<bool>,
    revocations: tokio::sync::watch::Receiver<u64>,
    check: tokio::time::Interval,
    state: AppState,
    auth: AuthUser,
    /// Held for as long as the stream is open.
    _place: StreamPlace,
}

impl Watch {
    /// True while the stream's session exists, has not expired and its account is enabled.
    fn session_valid(&self) -> bool {
        let now = now_ms();
        let session = self.state.store.session(&self.auth.token_hash).ok().flatten();
        let user = self.state.store.user(self.auth.user.id).ok().flatten();
        session.is_some_and(|s| !s.expired(now)) && user.is_some_and(|u| !u.disabled)
    }
}
