//! `GET /api/v1/audit`: failed and successful logins, newest first (admin only).

use axum::extract::State;
use serde::Deserialize;
use tavla_shared::values::Role;
use tavla_shared::wire::AuditLog;

use crate::auth::AuthUser;
use crate::error::{AppError, Json, Query};
use crate::state::AppState;

/// `?limit=N`, 1–1,000 (default 200).
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    limit: Option<usize>,
}

/// The newest audit lines.
pub async fn audit_log(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditLog>, AppError> {
    if auth.user.role != Role::Admin {
        return Err(AppError::Forbidden("only admins can read the audit log".into()));
    }
    let limit = q.limit.unwrap_or(200);
    if !(1..=1000).contains(&limit) {
        return Err(AppError::BadRequest("limit must be between 1 and 1000".into()));
    }
    Ok(Json(AuditLog { entries: state.store.audit(limit)? }))
}
