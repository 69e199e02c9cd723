//! Backups of the running server: `GET /api/v1/backup` (an admin, or a backup key) answers the
//! same file `tavla backup` writes (see `backup.rs`), taken while pushes and record writes wait,
//! so its change log and version agree. Restore it with `tavla restore --data NEWDIR FILE`.
//! `/api/v1/backup/keys` (admins) creates, lists and revokes backup keys: secrets for a nightly
//! job that open the backup and nothing else, and do not end with a session.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use tavla_shared::wire::{BackupKey, CreatedBackupKey, NewBackupKey};
use uuid::Uuid;

use crate::auth::{bearer, new_token, now_ms, token_hash, AdminUser};
use crate::error::{AppError, Json};
use crate::state::AppState;

/// Who takes a backup: an admin's login, or a backup key (named in the server log).
pub struct BackupAccess(String);

impl FromRequestParts<AppState> for BackupAccess {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(key) = state.store.backup_key(&token_hash(bearer(parts)?))? {
            return Ok(BackupAccess(format!("backup key «{}»", key.name)));
        }
        let AdminUser(admin) = AdminUser::from_request_parts(parts, state).await?;
        Ok(BackupAccess(admin.user.username))
    }
}

/// The whole data directory but sessions, gzip-compressed, as a download.
#[utoipa::path(get, path = "/backup", tag = "backup", responses((status = 200, description = "A backup file (an admin or a backup key)", content_type = "application/octet-stream", body = Vec<u8>)))]
pub async fn download(
    State(state): State<AppState>,
    BackupAccess(by): BackupAccess,
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
    tracing::info!(%by, version = header.version, bytes = bytes.len(), "backup downloaded");
    let name = format!("attachment; filename=\"tavla-{}.backup\"", header.version);
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::CONTENT_DISPOSITION, name)],
        bytes,
    ))
}

/// Most backup keys at once: a few jobs, not a way to fill the disk.
const MAX_KEYS: usize = 20;

/// Creates a backup key; the key itself is in this answer only.
#[utoipa::path(post, path = "/backup/keys", tag = "backup", request_body = NewBackupKey, responses((status = 201, description = "The new key, shown once", body = CreatedBackupKey)))]
pub async fn create_key(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Json(new): Json<NewBackupKey>,
) -> Result<(StatusCode, Json<CreatedBackupKey>), AppError> {
    let name = new.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest("name the key in 1 to 100 characters, e.g. what runs it".into()));
    }
    if state.store.backup_keys()?.len() >= MAX_KEYS {
        return Err(AppError::BadRequest(format!("at most {MAX_KEYS} backup keys: revoke one first")));
    }
    let (key, hash) = new_token();
    let info =
        BackupKey { id: Uuid::new_v4(), name, created_at: now_ms(), created_by: admin.user.username.clone() };
    state.store.put_backup_key(&hash, &info)?;
    state.store.flush().await?;
    tracing::info!(by = %admin.user.username, key = %info.name, "backup key created");
    Ok((StatusCode::CREATED, Json(CreatedBackupKey { info, key })))
}

/// The backup keys, oldest first (names, never the keys).
#[utoipa::path(get, path = "/backup/keys", tag = "backup", responses((status = 200, description = "The backup keys", body = Vec<BackupKey>)))]
pub async fn list_keys(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<Vec<BackupKey>>, AppError> {
    Ok(Json(state.store.backup_keys()?))
}

/// Revokes a backup key at once.
#[utoipa::path(delete, path = "/backup/keys/{id}", tag = "backup", params(("id" = Uuid, Path, description = "The key's id")), responses((status = 204, description = "Revoked"), (status = 404, description = "No backup key with that id")))]
pub async fn revoke_key(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    if !state.store.delete_backup_key(id)? {
        return Err(AppError::NotFound("no backup key with that id"));
    }
    state.store.flush().await?;
    tracing::info!(by = %admin.user.username, %id, "backup key revoked");
    Ok(StatusCode::NO_CONTENT)
}
