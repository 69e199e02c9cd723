//! Bearer tokens, sessions and the extractors that make a route need a login (`AuthUser`) or
//! an admin (`AdminUser`).
//!
//! Tokens are 256 random bits; only their SHA-256 is stored, so a copy of the database does
//! not hand out sessions. A session ends when unused for the idle time (renewed on use) and,
//! however much it is used, at its absolute lifetime (ASVS 5.0 7.3).

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use tavla_shared::values::Role;
use uuid::Uuid;

use crate::error::AppError;
use crate::state::AppState;
use crate::store::{Session, StoredUser};

/// The most sessions one account keeps; a new login beyond ends the one used longest ago.
pub const MAX_SESSIONS_PER_USER: usize = 50;
/// `last_used_at` is written at most this often, so using a session rarely costs a write.
const LAST_USED_STEP_MS: i64 = 3_600_000;

/// A new random bearer token (64 hex characters) and the hash it is stored under.
pub fn new_token() -> (String, [u8; 32]) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The SHA-256 of a token, the key its session is stored under.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A random password for the first admin, printed once.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

/// Milliseconds since the Unix epoch, server clock.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Opens a session for `user` and returns its token. Beyond [`MAX_SESSIONS_PER_USER`], the
/// sessions used longest ago end, so one account cannot fill the disk with logins.
pub fn open_session(
    state: &AppState,
    user: &StoredUser,
    user_agent: &str,
    address: &str,
) -> Result<String, AppError> {
    let (token, hash) = new_token();
    let now = now_ms();
    let session = Session {
        user_id: user.id,
        created_at: now,
        expires_at: now + state.session_ttl_ms,
        ends_at: Some(now + state.session_max_ms),
        id: Uuid::new_v4(),
        last_used_at: now,
        user_agent: user_agent.chars().take(200).collect(),
        address: address.to_string(),
    };
    let mut others = state.store.sessions_of(user.id)?;
    if others.len() >= MAX_SESSIONS_PER_USER {
        others.sort_by_key(|(_, s)| s.last_used_at);
        for (old, _) in others.iter().take(others.len() + 1 - MAX_SESSIONS_PER_USER) {
            state.store.delete_session(old)?;
        }
        state.revoked();
    }
    state.store.put_session(&hash, &session)?;
    Ok(token)
}

/// The token of `Authorization: Bearer <token>`.
pub fn bearer(parts: &Parts) -> Result<&str, AppError> {
    const MISSING: &str = "log in first: send the header Authorization: Bearer <token>";
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .ok_or(AppError::Unauthorized(MISSING))
}

/// The user behind a valid bearer token. Using it in a handler makes the route need login.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: StoredUser,
    pub token_hash: [u8; 32],
    pub session: Session,
}

impl AuthUser {
    /// Who is looking, as the privacy rules need it: what a pull, a history or a push may show
    /// or change of private contact details depends on the role, the account and its person.
    pub fn viewer(&self) -> tavla_shared::privacy::Viewer {
        tavla_shared::privacy::Viewer {
            role: self.user.role,
            user_id: self.user.id,
            person_id: self.user.person_id,
        }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        const INVALID: &str = "the token is invalid or has expired; log in again";
        let token_hash = token_hash(bearer(parts)?);
        let session = state.store.session(&token_hash)?.ok_or(AppError::Unauthorized(INVALID))?;
        let now = now_ms();
        // A session stored before the absolute lifetime existed gets this server's.
        let ends_at = session.ends_at.unwrap_or(session.created_at.saturating_add(state.session_max_ms));
        if session.expires_at <= now || ends_at <= now {
            state.store.delete_session(&token_hash)?;
            return Err(AppError::Unauthorized(INVALID));
        }
        let user = state
            .store
            .user(session.user_id)?
            .filter(|u| !u.disabled)
            .ok_or(AppError::Unauthorized(INVALID))?;
        // Renewed on use: a login used at least every `ttl / 2` lasts until its absolute end.
        let renew = session.expires_at - now < state.session_ttl_ms / 2;
        let session = if renew || now - session.last_used_at >= LAST_USED_STEP_MS || session.ends_at.is_none()
        {
            // As stored: a revocation meanwhile is not undone.
            state
                .store
                .update_session(&token_hash, &mut |s| {
                    s.ends_at = Some(ends_at);
                    s.expires_at = (now + state.session_ttl_ms).min(ends_at);
                    s.last_used_at = now;
                })?
                .ok_or(AppError::Unauthorized(INVALID))?
        } else {
            session
        };
        Ok(AuthUser { user, token_hash, session })
    }
}

/// A logged-in admin. Using it in a handler makes the route admins' only (403 for others).
#[derive(Debug, Clone)]
pub struct AdminUser(pub AuthUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = AuthUser::from_request_parts(parts, state).await?;
        match auth.user.role {
            Role::Admin if state.admins_need_second_factor && auth.user.second_factor.is_none() => {
                Err(AppError::SecondFactorSetupRequired)
            }
            Role::Admin => Ok(AdminUser(auth)),
            _ => Err(AppError::Forbidden("only admins can do this".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), ha);
        assert_ne!(random_password(), random_password());
    }
}
