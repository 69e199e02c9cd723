//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/auth/me`.

use axum::extract::State;
use axum::http::StatusCode;
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use tavla_shared::wire::{AuditEntry, LoginOutcome, LoginRequest, LoginResponse, User};

use crate::auth::{new_token, now_ms, verify_password, AuthUser};
use crate::error::{AppError, Json};
use crate::state::AppState;
use crate::store::Session;

const WRONG_CREDENTIALS: &str = "wrong user name or password";
/// Longest password accepted at login; longer ones cannot be valid and would only cost hashing.
const PASSWORD_MAX: usize = 1024;

/// A verified hash to check against when the user does not exist, so a wrong user name takes as
/// long as a wrong password and does not reveal which accounts exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::auth::hash_password("not a real password").unwrap_or_default());

/// Writes a login to the audit log and to the server log.
fn audit(
    state: &AppState,
    username: &str,
    address: SocketAddr,
    outcome: LoginOutcome,
) -> Result<(), AppError> {
    tracing::info!(%username, %address, ?outcome, "login");
    let username: String = username.chars().take(200).collect();
    let entry = AuditEntry { at: now_ms(), username, address: address.ip().to_string(), outcome };
    Ok(state.store.append_audit(&entry)?)
}

/// Checks the credentials and opens a session. Attempts are limited per account and address.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    Json(req): Json<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    if let Err(wait) = state.login_limits.attempt(req.username.trim(), address.ip()) {
        audit(&state, &req.username, address, LoginOutcome::RateLimited)?;
        return Err(AppError::TooManyRequests(wait));
    }
    if req.username.len() > 200 || req.password.len() > PASSWORD_MAX {
        audit(&state, &req.username, address, LoginOutcome::WrongCredentials)?;
        return Err(AppError::Unauthorized(WRONG_CREDENTIALS));
    }
    let user = state.store.user_by_name(req.username.trim())?;
    let phc = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.clone());
    let password = req.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &phc)).await?;
    let user = match user {
        Some(u) if matches && !u.disabled => u,
        _ => {
            audit(&state, &req.username, address, LoginOutcome::WrongCredentials)?;
            return Err(AppError::Unauthorized(WRONG_CREDENTIALS));
        }
    };
    let (token, hash) = new_token();
    let now = now_ms();
    let session = Session { user_id: user.id, created_at: now, expires_at: now + state.session_ttl_ms };
    state.store.put_session(&hash, &session)?;
    audit(&state, &user.username, address, LoginOutcome::Success)?;
    state.store.flush().await?;
    Ok(Json(LoginResponse { token, user: user.to_wire() }))
}

/// Revokes the token used for this request.
pub async fn logout(State(state): State<AppState>, auth: AuthUser) -> Result<StatusCode, AppError> {
    state.store.delete_session(&auth.token_hash)?;
    state.store.flush().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in user.
pub async fn me(auth: AuthUser) -> Json<User> {
    Json(auth.user.to_wire())
}
