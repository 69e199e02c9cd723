//! Accounts: `GET/POST /api/v1/users`, `PATCH /api/v1/users/{id}` (admin), and
//! `POST /api/v1/auth/password` (everyone, their own).

use axum::extract::State;
use axum::http::StatusCode;
use tavla_shared::values::Role;
use tavla_shared::wire::{NewUser, PasswordChange, User, UserPatch};
use uuid::Uuid;

use crate::auth::{hash_password, verify_password, AuthUser};
use crate::error::{AppError, Json, Path};
use crate::passwords;
use crate::state::AppState;
use crate::store::StoredUser;

fn admin_only(auth: &AuthUser) -> Result<(), AppError> {
    match auth.user.role {
        Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden("only admins can manage accounts".into())),
    }
}

/// 3–64 characters: lower-case letters, digits, dot, dash, underscore.
pub fn check_username(name: &str) -> Result<(), AppError> {
    let ok = (3..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    ok.then_some(()).ok_or_else(|| {
        AppError::BadRequest("a user name has 3–64 characters: a–z, 0–9, dot, dash or underscore".into())
    })
}

fn check_display_name(name: &str) -> Result<(), AppError> {
    let n = name.trim().chars().count();
    (1..=100)
        .contains(&n)
        .then_some(())
        .ok_or_else(|| AppError::BadRequest("a display name has 1–100 characters".into()))
}

async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password)).await?
}

fn taken(state: &AppState, username: &str, except: Option<Uuid>) -> Result<(), AppError> {
    match state.store.user_by_name(username)? {
        Some(other) if Some(other.id) != except => {
            Err(AppError::Conflict(format!("the user name «{username}» is taken")))
        }
        _ => Ok(()),
    }
}

/// Every account (admin).
pub async fn list(State(state): State<AppState>, auth: AuthUser) -> Result<Json<Vec<User>>, AppError> {
    admin_only(&auth)?;
    let mut users: Vec<User> = state.store.users()?.iter().map(StoredUser::to_wire).collect();
    users.sort_by(|a, b| a.username.cmp(&b.username));
    Ok(Json(users))
}

/// Creates an account (admin).
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(new): Json<NewUser>,
) -> Result<(StatusCode, Json<User>), AppError> {
    admin_only(&auth)?;
    check_username(&new.username)?;
    check_display_name(&new.display_name)?;
    passwords::check(&new.password, &new.username).map_err(|e| AppError::BadRequest(e.to_string()))?;
    taken(&state, &new.username, None)?;
    let user = StoredUser {
        id: Uuid::new_v4(),
        username: new.username,
        display_name: new.display_name.trim().to_string(),
        role: new.role,
        password_hash: hash(new.password).await?,
        disabled: false,
        person_id: new.person_id,
    };
    state.store.put_user(&user)?;
    state.store.flush().await?;
    tracing::info!(by = %auth.user.username, username = %user.username, role = %user.role, "account created");
    Ok((StatusCode::CREATED, Json(user.to_wire())))
}

/// Changes an account (admin): role, names, password, disabled, person. A new password or
/// disabling revokes the account's sessions.
pub async fn update(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<UserPatch>,
) -> Result<Json<User>, AppError> {
    admin_only(&auth)?;
    let mut user = state.store.user(id)?.ok_or(AppError::NotFound("no such account"))?;
    if id == auth.user.id && (patch.disabled == Some(true) || patch.role.is_some_and(|r| r != Role::Admin)) {
        return Err(AppError::BadRequest(
            "you cannot disable yourself or take away your own admin role".into(),
        ));
    }
    if let Some(name) = patch.username {
        check_username(&name)?;
        taken(&state, &name, Some(id))?;
        user.username = name;
    }
    if let Some(name) = patch.display_name {
        check_display_name(&name)?;
        user.display_name = name.trim().to_string();
    }
    if let Some(role) = patch.role {
        user.role = role;
    }
    if let Some(person) = patch.person_id {
        user.person_id = Some(person);
    }
    let mut revoke = false;
    if let Some(password) = patch.password {
        passwords::check(&password, &user.username).map_err(|e| AppError::BadRequest(e.to_string()))?;
        user.password_hash = hash(password).await?;
        revoke = true;
    }
    if let Some(disabled) = patch.disabled {
        revoke |= disabled;
        user.disabled = disabled;
    }
    state.store.put_user(&user)?;
    if revoke {
        state.store.delete_sessions_of(id, None)?;
    }
    state.store.flush().await?;
    tracing::info!(by = %auth.user.username, username = %user.username, "account changed");
    Ok(Json(user.to_wire()))
}

/// Changes the caller's own password; their other sessions are revoked, this one stays.
pub async fn change_own_password(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(change): Json<PasswordChange>,
) -> Result<StatusCode, AppError> {
    let phc = auth.user.password_hash.clone();
    let current = change.current_password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&current, &phc)).await?;
    if !matches {
        return Err(AppError::Forbidden("the current password is wrong".into()));
    }
    passwords::check(&change.new_password, &auth.user.username)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let mut user = auth.user.clone();
    user.password_hash = hash(change.new_password).await?;
    state.store.put_user(&user)?;
    state.store.delete_sessions_of(user.id, Some(&auth.token_hash))?;
    state.store.flush().await?;
    Ok(StatusCode::NO_CONTENT)
}
