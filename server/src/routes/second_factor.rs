//! One's own two-step verification: `POST /api/v1/auth/second-factor` (a new secret with its
//! QR code), `POST /api/v1/auth/second-factor/confirm` (a code from the app turns it on and
//! returns ten recovery codes) and `DELETE /api/v1/auth/second-factor` (off, with the password;
//! admins cannot while it is required of them). An admin turns a user's off with
//! `PATCH /api/v1/users/{id}` `{"second_factor": false}` (a lost phone).

use axum::extract::State;

use crate::client_address::ClientAddress;
use axum::http::StatusCode;
use tavla_shared::wire::{ApiError, RecoveryCodes, SecondFactorCode, SecondFactorOff, SecondFactorSetup};

use crate::accounts::{self, second_factor, AccountError};
use crate::auth::{now_ms, AuthUser};
use crate::error::{AppError, Json};
use crate::routes::audit::password_checked;
use crate::state::AppState;

/// A new secret for an authenticator app (replacing one offered before and not confirmed).
#[utoipa::path(post, path = "/auth/second-factor", tag = "auth", responses((status = 200, description = "A new secret, not on until confirmed", body = SecondFactorSetup), (status = 409, description = "Two-step verification is on already", body = ApiError)))]
pub async fn offer(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<SecondFactorSetup>, AppError> {
    let (secret, username) = accounts::offer_second_factor(&*state.store, auth.user.id)?;
    state.store.flush().await?;
    let uri = second_factor::uri(&secret, &username);
    let qr_svg = second_factor::qr_svg(&uri);
    Ok(Json(SecondFactorSetup { secret, uri, qr_svg }))
}

/// Turns two-step verification on with the app's code and the password (checked under the
/// login limits); answers the recovery codes, once.
#[utoipa::path(post, path = "/auth/second-factor/confirm", tag = "auth", request_body = SecondFactorCode, responses((status = 200, description = "On; the recovery codes, shown once", body = RecoveryCodes)))]
pub async fn confirm(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    auth: AuthUser,
    Json(body): Json<SecondFactorCode>,
) -> Result<Json<RecoveryCodes>, AppError> {
    let name = auth.user.username.as_str();
    let confirm = accounts::confirm_second_factor(
        &*state.store,
        &state.hashing,
        auth.user.id,
        &body.code,
        body.password,
        now_ms(),
    );
    let codes = password_checked(&state, name, address, confirm).await?;
    state.store.flush().await?;
    tracing::info!(username = %auth.user.username, "two-step verification turned on");
    Ok(Json(RecoveryCodes { codes }))
}

/// Turns one's own two-step verification off; the password is checked under the login limits.
#[utoipa::path(delete, path = "/auth/second-factor", tag = "auth", request_body = SecondFactorOff, responses((status = 204, description = "Off")))]
pub async fn turn_off(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    auth: AuthUser,
    Json(body): Json<SecondFactorOff>,
) -> Result<StatusCode, AppError> {
    let name = auth.user.username.as_str();
    let required = state.admins_need_second_factor;
    if required && auth.user.role == tavla_shared::values::Role::Admin {
        return Err(AccountError::AdminsNeedSecondFactor.into());
    }
    let turn_off = accounts::turn_off_second_factor(
        &*state.store,
        &state.hashing,
        auth.user.id,
        body.password,
        required,
    );
    password_checked(&state, name, address, turn_off).await?;
    state.store.flush().await?;
    tracing::info!(username = %auth.user.username, "two-step verification turned off");
    Ok(StatusCode::NO_CONTENT)
}
