//! Read-only share links. Admins create, list and revoke them under `/api/v1/share-links`;
//! `GET /api/v1/shared/{secret}` answers anyone holding the link with the records as
//! `tavla_shared::share` lets outsiders see them (no private persons, contact details or
//! comments). The secret is no login: every other endpoint answers it 401, so a share link can
//! never write.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use tavla_shared::share::public_view;
use tavla_shared::wire::{CreatedShareLink, NewShareLink, ShareLink, SharedView};
use uuid::Uuid;

use crate::auth::{new_token, now_ms, token_hash, AdminUser};
use crate::error::{AppError, Json};
use crate::state::AppState;

/// Most share links at once: one per municipality and a few more, not a way to fill the disk.
const MAX_LINKS: usize = 50;
/// The app's address of a shared view; the secret follows.
pub const SHARED_PATH: &str = "/delning/";

/// Creates a share link; its address (with the secret) is in this answer only.
#[utoipa::path(post, path = "/share-links", tag = "share", request_body = NewShareLink, responses((status = 201, description = "The new link, shown once", body = CreatedShareLink)))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Json(new): Json<NewShareLink>,
) -> Result<(StatusCode, Json<CreatedShareLink>), AppError> {
    let name = new.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest("name the link in 1 to 100 characters, e.g. who it is for".into()));
    }
    if state.store.share_links()?.len() >= MAX_LINKS {
        return Err(AppError::BadRequest(format!("at most {MAX_LINKS} share links: revoke one first")));
    }
    let (secret, hash) = new_token();
    let info = ShareLink {
        id: Uuid::new_v4(),
        target: new.target,
        name,
        created_at: now_ms(),
        created_by: admin.user.username.clone(),
    };
    state.store.put_share_link(&hash, &info)?;
    state.store.flush().await?;
    tracing::info!(by = %admin.user.username, link = %info.name, "share link created");
    Ok((StatusCode::CREATED, Json(CreatedShareLink { info, path: format!("{SHARED_PATH}{secret}") })))
}

/// The share links, oldest first (never their secrets).
#[utoipa::path(get, path = "/share-links", tag = "share", responses((status = 200, description = "The share links", body = Vec<ShareLink>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<Vec<ShareLink>>, AppError> {
    Ok(Json(state.store.share_links()?))
}

/// Revokes a share link at once.
#[utoipa::path(delete, path = "/share-links/{id}", tag = "share", params(("id" = Uuid, Path, description = "The link's id")), responses((status = 204, description = "Revoked"), (status = 404, description = "No share link with that id")))]
pub async fn revoke(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    if !state.store.delete_share_link(id)? {
        return Err(AppError::NotFound("no share link with that id"));
    }
    state.store.flush().await?;
    tracing::info!(by = %admin.user.username, %id, "share link revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// What a share link shows: its target and the records as outsiders may see them.
#[utoipa::path(get, path = "/shared/{secret}", tag = "share", security(()), params(("secret" = String, Path, description = "The secret of the link")), responses((status = 200, description = "The shared view", body = SharedView), (status = 404, description = "No such link, or it was revoked")))]
pub async fn view(
    State(state): State<AppState>,
    Path(secret): Path<String>,
) -> Result<Json<SharedView>, AppError> {
    const GONE: &str = "this share link does not exist or has been revoked; ask for a new one";
    let link = state.store.share_link(&token_hash(&secret))?.ok_or(AppError::NotFound(GONE))?;
    let store = state.store.clone();
    let records = tokio::task::spawn_blocking(move || store.all_records())
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(Json(SharedView { target: link.target, name: link.name, records: public_view(&records) }))
}
