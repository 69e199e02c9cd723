//! Passwords, bearer tokens and the `AuthUser` extractor.
//!
//! Passwords are argon2id PHC strings (the argon2 crate's defaults are OWASP's recommended
//! m=19 MiB, t=2, p=1). Tokens are 256 random bits; only their SHA-256 is stored, so a copy of
//! the database does not hand out sessions.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;
use tavla_shared::values::Role;

use crate::store::{Session, Store, StoredUser};

/// Hashes a password with argon2id and a random salt. CPU-heavy: call off the async threads.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

/// Creates an account. Hashes the password, so it blocks for a moment: call it at start-up, from
/// tools, or off the async threads.
pub fn add_user(
    store: &dyn Store,
    username: &str,
    display_name: &str,
    role: Role,
    password: &str,
) -> Result<StoredUser, AppError> {
    let user = StoredUser {
        id: uuid::Uuid::new_v4(),
        username: username.to_string(),
        display_name: display_name.to_string(),
        role,
        password_hash: hash_password(password)?,
        disabled: false,
        person_id: None,
    };
    store.put_user(&user)?;
    Ok(user)
}

/// True when `password` matches the stored PHC string. CPU-heavy: call off the async threads.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

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

/// The user behind a valid bearer token. Using it in a handler makes the route need login.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: StoredUser,
    pub token_hash: [u8; 32],
    pub session: Session,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        const MISSING: &str = "log in first: send the header Authorization: Bearer <token>";
        const INVALID: &str = "the token is invalid or has expired; log in again";
        let header = parts.headers.get(AUTHORIZATION).ok_or(AppError::Unauthorized(MISSING))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 256)
            .ok_or(AppError::Unauthorized(MISSING))?;
        let token_hash = token_hash(token);
        let session = state.store.session(&token_hash)?.ok_or(AppError::Unauthorized(INVALID))?;
        if session.expires_at <= now_ms() {
            state.store.delete_session(&token_hash)?;
            return Err(AppError::Unauthorized(INVALID));
        }
        let user = state
            .store
            .user(session.user_id)?
            .filter(|u| !u.disabled)
            .ok_or(AppError::Unauthorized(INVALID))?;
        // Renewed on use: a login used at least every `ttl / 2` never expires.
        let mut session = session;
        let now = now_ms();
        if session.expires_at - now < state.session_ttl_ms / 2 {
            session.expires_at = now + state.session_ttl_ms;
            state.store.put_session(&token_hash, &session)?;
        }
        Ok(AuthUser { user, token_hash, session })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let phc = hash_password("rätt häst batteri").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("rätt häst batteri", &phc));
        assert!(!verify_password("fel häst batteri", &phc));
        assert!(!verify_password("rätt häst batteri", "not a phc string"));
    }

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
