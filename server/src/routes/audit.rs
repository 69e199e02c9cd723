//! The login log: `GET /api/v1/audit` (admins), and [`record`], which every login and password
//! change writes through. The log is bounded: lines older than the configured days and lines
//! beyond the configured count go (`TAVLA_AUDIT_DAYS`, `TAVLA_AUDIT_MAX_LINES`), so a flood of
//! failed logins cannot fill the disk.

use std::net::SocketAddr;

use axum::extract::State;
use serde::Deserialize;
use tavla_shared::wire::{AuditEntry, AuditLog, LoginOutcome};

use crate::accounts::AccountError;
use crate::auth::{now_ms, AdminUser};
use crate::error::{AppError, Json, Query};
use crate::state::AppState;

/// `?limit=N`, 1–1,000 (default 200).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// How many lines, 1–1,000 (default 200).
    limit: Option<usize>,
}

/// Writes a line to the audit log and to the server log; trims the log when it has grown a
/// tenth beyond its bound.
pub fn record(
    state: &AppState,
    username: &str,
    address: SocketAddr,
    outcome: LoginOutcome,
) -> Result<(), AppError> {
    // No user name is longer than 64 characters; a longer one is cut, in the log too.
    let username: String = username.chars().take(64).collect();
    tracing::info!(%username, %address, ?outcome, "login");
    let now = now_ms();
    let entry = AuditEntry { at: now, username, address: address.ip().to_string(), outcome };
    state.store.append_audit(&entry)?;
    let bound = state.audit.max_lines;
    if state.store.audit_len() > bound + bound / 10 {
        state.store.trim_audit(now - state.audit.max_age_ms, bound)?;
    }
    Ok(())
}

/// Asks the login limits before a password is checked for `name` from `address`: over a limit
/// the answer is 429 (written to the audit log at most once a minute per address).
pub fn ask_limits(state: &AppState, name: &str, address: SocketAddr) -> Result<(), AppError> {
    match state.login_limits.attempt(name, address.ip()) {
        Ok(()) => Ok(()),
        Err(wait) => {
            if state.login_limits.log_refusal(address.ip()) {
                record(state, name, address, LoginOutcome::RateLimited)?;
            }
            Err(AppError::TooManyRequests(wait))
        }
    }
}

/// Counts a wrong password (or code) for `name` from `address`: a failure for the limits and a
/// line in the audit log. Returns `error`, the answer to give.
pub fn count_failure(
    state: &AppState,
    name: &str,
    address: SocketAddr,
    outcome: LoginOutcome,
    error: AppError,
) -> AppError {
    state.login_limits.failed(name, address.ip());
    match record(state, name, address, outcome) {
        Ok(()) => error,
        Err(e) => e,
    }
}

/// Runs `check`, a step that verifies `name`'s password (a password change, two-step
/// verification on or off), under the login limits, as a login is: asked first, a wrong
/// password counted as a failed attempt, a right one clearing the address's failures, a busy
/// hashing line written to the audit log.
pub async fn password_checked<T>(
    state: &AppState,
    name: &str,
    address: SocketAddr,
    check: impl std::future::Future<Output = Result<T, AccountError>>,
) -> Result<T, AppError> {
    ask_limits(state, name, address)?;
    match check.await {
        Ok(done) => {
            state.login_limits.succeeded(name, address.ip());
            Ok(done)
        }
        Err(AccountError::WrongPassword) => Err(count_failure(
            state,
            name,
            address,
            LoginOutcome::WrongCurrentPassword,
            AccountError::WrongPassword.into(),
        )),
        Err(e @ AccountError::Busy(_)) => {
            record(state, name, address, LoginOutcome::Busy)?;
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The newest audit lines.
#[utoipa::path(get, path = "/audit", tag = "accounts", params(AuditQuery), responses((status = 200, description = "The newest login lines, newest first (admins)", body = AuditLog)))]
pub async fn audit_log(
    State(state): State<AppState>,
    _admin: AdminUser,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditLog>, AppError> {
    let limit = q.limit.unwrap_or(200);
    if !(1..=1000).contains(&limit) {
        return Err(AppError::BadRequest("limit must be between 1 and 1000".into()));
    }
    Ok(Json(AuditLog { entries: state.store.audit(limit)? }))
}
