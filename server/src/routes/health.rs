//! `GET /api/v1/health`: answers when the server and its store work.

use axum::extract::State;
use axum::Json;

use crate::error::AppError;
use crate::state::AppState;

/// `GET /api/v1/health` answer.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: &'static str,
    /// The newest global version.
    pub version: u64,
}

/// Reports the store's version, which also proves the store answers.
#[utoipa::path(get, path = "/health", tag = "server", security(()), responses((status = 200, description = "The server and its store answer", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let version = state.store.version()?;
    Ok(Json(Health { status: "ok", version }))
}
