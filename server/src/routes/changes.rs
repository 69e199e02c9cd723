//! `GET /api/v1/changes?since=YYYY-MM-DD`: every record's changes since a day, from the
//! histories the push keeps with each record, newest first: what the board meeting pack lists
//! as "changed since the last meeting". Values a reader may not see are left out as in a
//! record's own history.

use axum::extract::State;
use tavla_shared::privacy;
use tavla_shared::wire::{ChangesQuery, ChangesResponse, RecordChange, CHANGES_LIMIT};

use crate::auth::AuthUser;
use crate::error::{AppError, Json, Query};
use crate::state::AppState;

/// What changed since the day, newest first, at most [`CHANGES_LIMIT`].
#[utoipa::path(get, path = "/changes", tag = "sync", params(ChangesQuery), responses((status = 200, description = "Changes since the day, newest first", body = ChangesResponse)))]
pub async fn since(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<ChangesQuery>,
) -> Result<Json<ChangesResponse>, AppError> {
    let from_ms = q.since.0.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp_millis());
    let viewer = auth.viewer();
    let store = state.store.clone();
    let mut changes = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for record in store.all_records()? {
            let Some(tracked) = store.tracked(record.id)? else { continue };
            let mut history: Vec<_> = tracked.history.into_iter().filter(|c| c.at >= from_ms).collect();
            if history.is_empty() {
                continue;
            }
            privacy::redact_history(&mut history, &tracked.record, &viewer);
            out.extend(history.into_iter().map(|change| RecordChange {
                id: record.id,
                kind: record.kind,
                change,
            }));
        }
        Ok::<_, crate::store::StoreError>(out)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    changes.sort_by(|a, b| b.change.at.cmp(&a.change.at).then(b.change.rev.cmp(&a.change.rev)));
    let truncated = changes.len() > CHANGES_LIMIT;
    changes.truncate(CHANGES_LIMIT);
    Ok(Json(ChangesResponse { since: q.since, changes, truncated }))
}
