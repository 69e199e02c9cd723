//! A person's calendar feed (issue 13): `/api/v1/calendar/feed` (any logged-in user) creates,
//! shows and revokes their own secret address, and `GET /api/v1/calendar/<secret>.ics` — no
//! login: a calendar app cannot log in, so the secret is the credential — answers the feed
//! (every event, the person's own deadlines and follow-ups; see `tavla_shared::ical`).
//!
//! Like backup keys, only a SHA-256 of the secret is stored, and the address is shown once. A
//! new address revokes the old one, so a link shared by mistake is undone by making a new one.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use tavla_shared::privacy;
use tavla_shared::protocol::paths;
use tavla_shared::wire::{CalendarFeedStatus, CreatedCalendarFeed, Record};

use crate::auth::{new_token, now_ms, token_hash, AuthUser};
use crate::error::{AppError, Json, Path};
use crate::state::AppState;
use crate::store::{CalendarFeed, Store, StoredUser};

/// The one answer for an address that opens no feed — unknown, revoked, or its account
/// disabled — so the answer tells a guesser nothing.
const NO_FEED: &str = "no calendar feed at this address; make a new link under My account";

/// Longest feed file name looked up: a secret is 64 hex digits.
const MAX_FILE_NAME: usize = 200;

/// Makes the caller a new feed address, revoking any earlier one. The address is in this answer
/// only.
#[utoipa::path(post, path = "/calendar/feed", tag = "calendar", responses((status = 201, description = "The new feed's address, shown once; an earlier one stops working", body = CreatedCalendarFeed)))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<(StatusCode, Json<CreatedCalendarFeed>), AppError> {
    let (secret, hash) = new_token();
    let feed = CalendarFeed { user_id: auth.user.id, created_at: now_ms() };
    state.store.put_calendar_feed(&hash, &feed)?;
    state.store.flush().await?;
    tracing::info!(by = %auth.user.username, "calendar feed created");
    let path = format!("{}/{secret}.ics", paths::CALENDAR);
    Ok((StatusCode::CREATED, Json(CreatedCalendarFeed { path, created_at: feed.created_at })))
}

/// Whether the caller has a feed address, and since when (never the address).
#[utoipa::path(get, path = "/calendar/feed", tag = "calendar", responses((status = 200, description = "Whether the caller's feed address works, and since when", body = CalendarFeedStatus)))]
pub async fn status(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<CalendarFeedStatus>, AppError> {
    let feed = state.store.calendar_feed_of(auth.user.id)?;
    Ok(Json(CalendarFeedStatus { active: feed.is_some(), created_at: feed.map(|f| f.created_at) }))
}

/// Revokes the caller's feed address at once.
#[utoipa::path(delete, path = "/calendar/feed", tag = "calendar", responses((status = 204, description = "Revoked"), (status = 404, description = "The caller has no feed", body = tavla_shared::wire::ApiError)))]
pub async fn revoke(State(state): State<AppState>, auth: AuthUser) -> Result<StatusCode, AppError> {
    if !state.store.delete_calendar_feed_of(auth.user.id)? {
        return Err(AppError::NotFound("you have no calendar feed"));
    }
    state.store.flush().await?;
    tracing::info!(by = %auth.user.username, "calendar feed revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// The feed for a calendar app: iCalendar, computed as its owner sees the data now. Open: the
/// secret in the address is the credential. axum's router cannot match `{secret}.ics` within a
/// segment, so the whole file name is taken and must end in `.ics`.
#[utoipa::path(
    get,
    path = "/calendar/{file}",
    tag = "calendar",
    security(()),
    params(("file" = String, Path, description = "The feed's secret followed by `.ics`, as `POST /calendar/feed` answered")),
    responses(
        (status = 200, description = "The feed (iCalendar): every event, the owner's own deadlines and follow-ups", content_type = "text/calendar", body = String),
        (status = 404, description = "No feed at this address: unknown, revoked, or its account disabled", body = tavla_shared::wire::ApiError)
    )
)]
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let secret = file
        .strip_suffix(".ics")
        .filter(|s| !s.is_empty() && file.len() <= MAX_FILE_NAME)
        .ok_or(AppError::NotFound(NO_FEED))?;
    let feed = state.store.calendar_feed(&token_hash(secret))?.ok_or(AppError::NotFound(NO_FEED))?;
    let owner = state.store.user(feed.user_id)?.filter(|u| !u.disabled).ok_or(AppError::NotFound(NO_FEED))?;
    let origin = origin(&headers, &state);
    let store = state.store.clone();
    // Every record is read and written out: off the async threads.
    let text = tokio::task::spawn_blocking(move || -> Result<String, AppError> {
        let records = records_as_seen_by(&*store, &owner)?;
        let entries = tavla_shared::ical::feed(&records, owner.id, owner.person_id);
        Ok(crate::ical::write(&entries, chrono::Utc::now(), origin.as_deref()))
    })
    .await??;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"tavla.ics\""),
        ],
        text,
    ))
}

/// Every live record, as `user` may see it (private contact details left out for those who
/// may not see them, as in a pull; the feed uses none, but it never holds more than its owner
/// may see).
fn records_as_seen_by(store: &dyn Store, user: &StoredUser) -> Result<Vec<Record>, AppError> {
    let viewer = privacy::Viewer { role: user.role, user_id: user.id, person_id: user.person_id };
    let mut records = Vec::new();
    let mut cursor = 0;
    loop {
        let page = store.pull(cursor, 5000)?;
        records.extend(page.records.into_iter().filter(|r| !r.deleted).map(|mut r| {
            privacy::redact(&mut r, &viewer);
            r
        }));
        cursor = page.cursor;
        if !page.more {
            return Ok(records);
        }
    }
}

/// Where the app is, as the calendar app reached the server (`https://tavla.example`), for
/// the entries' links back; `None` when the request does not say in a usable form. Behind a
/// reverse proxy (`--forwarded-for`), the host the proxy was asked for comes first.
fn origin(headers: &HeaderMap, state: &AppState) -> Option<String> {
    let forwarded = state.forwarded_for.then(|| headers.get("x-forwarded-host")).flatten();
    let host = forwarded.or_else(|| headers.get(header::HOST))?.to_str().ok()?;
    // The first host when a proxy chain lists several.
    let host = host.split(',').next()?.trim();
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if host.is_empty() || host.len() > 255 || !host.chars().all(plain) {
        return None;
    }
    let scheme = if state.behind_tls { "https" } else { "http" };
    Some(format!("{scheme}://{host}"))
}
