//! `GET /api/v1/sync/pull` (sync protocol v1).

use axum::extract::State;
use tavla_shared::wire::{PullQuery, PullResponse};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::error::{AppError, Json, Query};

/// Page size when the client names none.
pub const DEFAULT_PULL_LIMIT: usize = 500;
/// Largest page a client may ask for.
pub const MAX_PULL_LIMIT: usize = 5000;

/// Every record changed after `cursor`, oldest first, at most `limit`.
pub async fn pull(
    State(state): State<AppState>,
    _auth: AuthUser,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullResponse>, AppError> {
    let limit = q.limit.unwrap_or(DEFAULT_PULL_LIMIT);
    if limit == 0 || limit > MAX_PULL_LIMIT {
        return Err(AppError::BadRequest(format!(
            "limit must be between 1 and {MAX_PULL_LIMIT}"
        )));
    }
    let version = state.store.version()?;
    if q.cursor > version {
        return Err(AppError::BadRequest(format!(
            "cursor {} is ahead of the server (version {version}); pull again from 0",
            q.cursor
        )));
    }
    let last_mutation_id = state.store.last_mutation_id(q.client_id)?;
    let page = state.store.pull(q.cursor, limit)?;
    Ok(Json(PullResponse {
        cursor: page.cursor,
        more: page.more,
        last_mutation_id,
        records: page.records,
    }))
}
