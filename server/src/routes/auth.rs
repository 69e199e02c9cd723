//! Logging in and out, and one's sessions: `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`,
//! `GET /api/v1/auth/me`, `GET /api/v1/auth/sessions`, `DELETE /api/v1/auth/sessions` (every
//! session but this one) and `DELETE /api/v1/auth/sessions/{id}`.

use axum::extract::State;

use crate::client_address::ClientAddress;
use axum::http::{header, HeaderMap, StatusCode};
use tavla_shared::wire::{ApiError, LoginOutcome, LoginRequest, LoginResponse, SessionInfo, User};
use uuid::Uuid;

use crate::accounts::{self, AccountError};
use crate::auth::{now_ms, open_session, AuthUser};
use crate::error::{AppError, Json, Path};
use crate::routes::audit::{ask_limits, count_failure, record};
use crate::state::AppState;

const WRONG_CREDENTIALS: &str = "wrong user name or password";
/// Longest password accepted at login; longer ones cannot be valid and would only cost hashing.
const PASSWORD_MAX: usize = tavla_shared::protocol::PASSWORD_MAX_CHARS * 4;

/// The caller's User-Agent, for telling sessions apart.
fn user_agent(headers: &HeaderMap) -> &str {
    headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// Checks the credentials and opens a session. Attempts are limited per account and address
/// (`accounts::limits`), and password checks take turns (`accounts::hashing`).
#[utoipa::path(post, path = "/auth/login", tag = "auth", security(()), request_body = LoginRequest, responses((status = 200, description = "Logged in", body = LoginResponse), (status = 401, description = "Wrong user name or password (`unauthorized`), or the two-step code is needed or wrong (`second_factor_required`)", body = ApiError)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Json(req): Json<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    let name = req.username.trim();
    ask_limits(&state, name, address)?;
    if name.len() > 200 || req.password.len() > PASSWORD_MAX {
        return Err(count_failure(
            &state,
            name,
            address,
            LoginOutcome::WrongCredentials,
            AppError::Unauthorized(WRONG_CREDENTIALS),
        ));
    }
    let user = state.store.user_by_name(name)?;
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let matches = match state.hashing.verify(req.password, phc).await {
        Ok(matches) => matches,
        Err(e @ AccountError::Busy(_)) => {
            record(&state, name, address, LoginOutcome::Busy)?;
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    let user = match user {
        Some(u) if matches && !u.disabled => u,
        _ => {
            return Err(count_failure(
                &state,
                name,
                address,
                LoginOutcome::WrongCredentials,
                AppError::Unauthorized(WRONG_CREDENTIALS),
            ));
        }
    };
    if user.second_factor.is_some() {
        let Some(code) = req.code.as_deref().filter(|c| !c.trim().is_empty()) else {
            return Err(AppError::SecondFactorRequired(
                "enter the code from your authenticator app (or a recovery code)",
            ));
        };
        match accounts::spend_second_factor(&*state.store, user.id, code.trim(), now_ms()) {
            Ok(()) => {}
            Err(AccountError::WrongCode) => {
                return Err(count_failure(
                    &state,
                    name,
                    address,
                    LoginOutcome::WrongCode,
                    AppError::SecondFactorRequired(
                        "the code is wrong or was used already; enter the newest code from the app",
                    ),
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    state.login_limits.succeeded(name, address.ip());
    let token = open_session(&state, &user, user_agent(&headers), &address.ip().to_string())?;
    // The password was checked against the account as it was read: if it changed meanwhile (a
    // new password, disabled), the revocation that came with the change may have run before
    // this session was written. Read it again and take the session back.
    let now_stored = state.store.user(user.id)?;
    if now_stored.is_none_or(|u| u.password_hash != user.password_hash || u.disabled) {
        state.store.delete_session(&crate::auth::token_hash(&token))?;
        return Err(AppError::Unauthorized(WRONG_CREDENTIALS));
    }
    record(&state, &user.username, address, LoginOutcome::Success)?;
    state.store.flush().await?;
    Ok(Json(LoginResponse { token, user: user.to_wire() }))
}

/// Revokes the token used for this request.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204, description = "This session is revoked")))]
pub async fn logout(State(state): State<AppState>, auth: AuthUser) -> Result<StatusCode, AppError> {
    state.store.delete_session(&auth.token_hash)?;
    state.revoked();
    state.store.flush().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in user.
#[utoipa::path(get, path = "/auth/me", tag = "auth", responses((status = 200, description = "The logged-in user", body = User)))]
pub async fn me(auth: AuthUser) -> Json<User> {
    Json(auth.user.to_wire())
}

/// The caller's sessions, the one asking first, then the most recently used.
#[utoipa::path(get, path = "/auth/sessions", tag = "auth", responses((status = 200, description = "The caller's sessions, this one first", body = Vec<SessionInfo>)))]
pub async fn sessions(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<Vec<SessionInfo>>, AppError> {
    let now = now_ms();
    let mut list: Vec<SessionInfo> = state
        .store
        .sessions_of(auth.user.id)?
        .into_iter()
        .filter(|(_, s)| !s.expired(now))
        .map(|(hash, s)| SessionInfo {
            id: s.id,
            created_at: s.created_at,
            last_used_at: s.last_used_at.max(s.created_at),
            expires_at: s.expires_at,
            ends_at: s.ends_at(),
            user_agent: s.user_agent,
            address: s.address,
            current: hash == auth.token_hash,
        })
        .collect();
    list.sort_by_key(|s| (!s.current, std::cmp::Reverse(s.last_used_at)));
    Ok(Json(list))
}

/// Logs out every other device: every session of the caller's but this one.
#[utoipa::path(delete, path = "/auth/sessions", tag = "auth", responses((status = 204, description = "Every other session of the caller's is revoked")))]
pub async fn revoke_others(State(state): State<AppState>, auth: AuthUser) -> Result<StatusCode, AppError> {
    state.store.delete_sessions_of(auth.user.id, Some(&auth.token_hash))?;
    state.revoked();
    state.store.flush().await?;
    tracing::info!(username = %auth.user.username, "logged out on every other device");
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes one of the caller's sessions by its listed id (this one included).
#[utoipa::path(delete, path = "/auth/sessions/{id}", tag = "auth", params(("id" = Uuid, Path, description = "A session's listed id")), responses((status = 204, description = "The session is revoked"), (status = 404, description = "Not one of the caller's sessions", body = ApiError)))]
pub async fn revoke(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    let (hash, _) = state
        .store
        .sessions_of(auth.user.id)?
        .into_iter()
        .find(|(_, s)| s.id == id)
        .ok_or(AppError::NotFound("no such session (it may have ended already)"))?;
    state.store.delete_session(&hash)?;
    state.revoked();
    state.store.flush().await?;
    Ok(StatusCode::NO_CONTENT)
}
