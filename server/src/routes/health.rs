//! `GET /api/v1/health`: answers when the server and its store work.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::error::AppError;
use crate::state::AppState;

/// Reports the store's version, which also proves the store answers.
pub async fn health(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    let version = state.store.version()?;
    Ok(Json(json!({ "status": "ok", "version": version })))
}
