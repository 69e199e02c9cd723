//! Accounts: `GET/POST /api/v1/users`, `PATCH /api/v1/users/{id}` (admins), and
//! `POST /api/v1/auth/password` (everyone, their own). The rules live in `accounts`.

use axum::extract::State;

use crate::client_address::ClientAddress;
use axum::http::StatusCode;
use tavla_shared::wire::{ApiError, LoginOutcome, NewUser, PasswordChange, User, UserPatch};
use uuid::Uuid;

use crate::accounts::{self, AccountChange, NewAccount};
use crate::auth::{AdminUser, AuthUser};
use crate::error::{AppError, Json, Path};
use crate::routes::audit::{password_checked, record};
use crate::state::AppState;
use crate::store::StoredUser;

/// Every account (admin).
#[utoipa::path(get, path = "/users", tag = "accounts", responses((status = 200, description = "Every account (admins)", body = Vec<User>)))]
pub async fn list(State(state): State<AppState>, _admin: AdminUser) -> Result<Json<Vec<User>>, AppError> {
    let mut users: Vec<User> = state.store.users()?.iter().map(StoredUser::to_wire).collect();
    users.sort_by(|a, b| a.username.cmp(&b.username));
    Ok(Json(users))
}

/// Creates an account (admin).
#[utoipa::path(post, path = "/users", tag = "accounts", request_body = NewUser, responses((status = 201, description = "Created (admins)", body = User), (status = 409, description = "The user name is taken", body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(auth): AdminUser,
    Json(new): Json<NewUser>,
) -> Result<(StatusCode, Json<User>), AppError> {
    let new = NewAccount {
        username: new.username,
        display_name: new.display_name,
        role: new.role,
        password: new.password,
        person_id: new.person_id,
    };
    let user = accounts::create(&*state.store, &state.hashing, new).await?;
    state.store.flush().await?;
    tracing::info!(by = %auth.user.username, username = %user.username, role = %user.role, "account created");
    Ok((StatusCode::CREATED, Json(user.to_wire())))
}

/// Changes an account (admin): role, names, password, disabled, person (`null` unlinks it). A
/// new password or disabling revokes the account's sessions (and ends its event streams).
#[utoipa::path(patch, path = "/users/{id}", tag = "accounts", params(("id" = Uuid, Path, description = "An account's id")), request_body = UserPatch, responses((status = 200, description = "Changed (admins)", body = User), (status = 404, description = "No such account", body = ApiError), (status = 409, description = "The user name is taken, or the account kept changing", body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(auth): AdminUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<UserPatch>,
) -> Result<Json<User>, AppError> {
    let change = AccountChange {
        username: patch.username,
        display_name: patch.display_name,
        role: patch.role,
        password: patch.password,
        disabled: patch.disabled,
        // `"person_id": null` unlinks; an absent one leaves the link as it is.
        person_id: if patch.unlink_person { Some(None) } else { patch.person_id.map(Some) },
        second_factor: patch.second_factor,
    };
    let user = accounts::change(&*state.store, &state.hashing, auth.user.id, id, change).await?;
    state.revoked();
    state.store.flush().await?;
    tracing::info!(by = %auth.user.username, username = %user.username, "account changed");
    Ok(Json(user.to_wire()))
}

/// Changes the caller's own password; their other sessions are revoked, this one stays. The
/// current password is checked under the login limits: a wrong one counts as a failed login.
#[utoipa::path(post, path = "/auth/password", tag = "auth", request_body = PasswordChange, responses((status = 204, description = "Changed; the caller's other sessions are revoked")))]
pub async fn change_own_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    auth: AuthUser,
    Json(change): Json<PasswordChange>,
) -> Result<StatusCode, AppError> {
    let name = auth.user.username.as_str();
    let change = accounts::change_own_password(
        &*state.store,
        &state.hashing,
        auth.user.id,
        change.current_password,
        change.new_password,
    );
    password_checked(&state, name, address, change).await?;
    record(&state, name, address, LoginOutcome::PasswordChanged)?;
    state.store.delete_sessions_of(auth.user.id, Some(&auth.token_hash))?;
    state.revoked();
    state.store.flush().await?;
    Ok(StatusCode::NO_CONTENT)
}
