//! `GET /api/v1/history/{id}`: who changed what in one record, and when.

use axum::extract::State;
use tavla_shared::privacy;
use tavla_shared::wire::{ApiError, HistoryResponse};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::{AppError, Json, Path};
use crate::state::AppState;

/// A record's history, newest change first. Any signed-in user may read it, as they may read
/// the record itself, with the private contact details they may not see left out. Records
/// from the default plan start with an empty history.
#[utoipa::path(get, path = "/history/{id}", tag = "sync", params(("id" = Uuid, Path, description = "A record's id")), responses((status = 200, description = "Who changed what, newest first", body = HistoryResponse), (status = 404, description = "No record with this id", body = ApiError)))]
pub async fn history(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<HistoryResponse>, AppError> {
    let tracked = state.store.tracked(id)?.ok_or(AppError::NotFound("there is no record with this id"))?;
    let mut changes = tracked.history;
    // The values of private contact details leave out of the history what the pull leaves
    // out of the record, for those who may not see them.
    privacy::redact_history(&mut changes, &tracked.record, &auth.viewer());
    changes.reverse();
    Ok(Json(HistoryResponse { id, kind: tracked.record.kind, changes, truncated: tracked.history_truncated }))
}
