//! `GET /api/v1/backup` (admins): a backup of the running server as one file, the same format
//! `tavla backup` writes (see `backup.rs`), taken while record writes wait, so its change log
//! and version agree. Restore it with `tavla restore --data NEWDIR FILE`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::auth::{now_ms, AdminUser};
use crate::error::AppError;
use crate::state::AppState;

/// The whole data directory but sessions, gzip-compressed, as a download.
#[utoipa::path(get, path = "/backup", tag = "backup", responses((status = 200, description = "A backup file (admins)", content_type = "application/octet-stream", body = Vec<u8>)))]
pub async fn download(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
) -> Result<impl IntoResponse, AppError> {
    // Pushes wait too: a push's planning and its write stay on one side of the snapshot.
    let _guard = state.push_lock.lock().await;
    let store = state.store.clone();
    let (bytes, header) = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        crate::backup::write(&*store, now_ms(), &mut bytes).map(|h| (bytes, h))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    tracing::info!(by = %admin.user.username, version = header.version, bytes = bytes.len(), "backup downloaded");
    let name = format!("attachment; filename=\"tavla-{}.backup\"", header.version);
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::CONTENT_DISPOSITION, name)],
        bytes,
    ))
}
