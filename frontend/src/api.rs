//! The HTTP client for Tavla's API. One place checks the status before decoding, so every page
//! gets the same error enum.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use tavla_shared::client::{RawPull, Transport, TransportError};
use tavla_shared::protocol::{paths, NEXT_CURSOR_HEADER};
use tavla_shared::wire::{
    ApiError as WireError, AuditLog, CalendarFeedStatus, ChangesResponse, CreatedCalendarFeed,
    CreatedShareLink, ErrorCode, HistoryResponse, LoginRequest, LoginResponse, NewShareLink, NewUser,
    PasswordChange, PushRequest, PushResponse, RecoveryCodes, SecondFactorCode, SecondFactorOff,
    SecondFactorSetup, SessionInfo, ShareLink, SharedView, User, UserPatch,
};
use thiserror::Error;
use uuid::Uuid;

use crate::store::pull_ahead;

/// Page sizes for pulls (the server allows up to 5,000). A first sync starts with a small page,
/// so the plan is on screen early, then takes the largest: fewer round trips on a slow link,
/// each page stored while the next travels (`tavla_shared::client`).
const FIRST_PULL_PAGE: usize = 1000;
const PULL_PAGE: usize = 5000;

/// What an API call can fail with, as the interface needs to tell them apart.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ApiError {
    /// No answer: offline, server down, or blocked.
    #[error("network: {0}")]
    Network(String),
    /// 401: wrong credentials or an expired token.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Any other non-2xx answer, with the server's plain-words message.
    #[error("{status}: {message}")]
    Server { status: u16, message: String },
    /// A 2xx answer that is not what the protocol promises.
    #[error("unexpected answer: {0}")]
    Decode(String),
    /// 403 `client_id_taken` on a push or pull.
    #[error("this client id belongs to another user")]
    ClientIdTaken,
    /// 401 `second_factor_required` at login: the password was right; the app's code is needed
    /// (or the one sent was wrong).
    #[error("{0}")]
    SecondFactor(String),
    /// 403 `second_factor_setup_required`: an admin must turn on two-step verification first.
    #[error("{0}")]
    SecondFactorSetup(String),
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|e| ApiError::Decode(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let (code, message) = match response.json::<WireError>().await {
        Ok(body) => (Some(body.error), body.message),
        Err(_) => (None, response.status_text()),
    };
    Err(match (status, code) {
        (_, Some(ErrorCode::SecondFactorRequired)) => ApiError::SecondFactor(message),
        (_, Some(ErrorCode::SecondFactorSetupRequired)) => ApiError::SecondFactorSetup(message),
        (401, _) => ApiError::Unauthorized(message),
        (_, Some(ErrorCode::ClientIdTaken)) => ApiError::ClientIdTaken,
        _ => ApiError::Server { status, message },
    })
}

/// Reads a JSON body from its bytes: the browser's text would be decoded to UTF-16 and encoded
/// back to UTF-8 on its way into the wasm, which for a 1 MB pull page costs a phone tens of ms.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let bytes = response.binary().await.map_err(|e| ApiError::Network(e.to_string()))?;
    serde_json::from_slice::<T>(&bytes).map_err(|e| ApiError::Decode(e.to_string()))
}

fn authed(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {token}"))
}

/// Logs in (with the authenticator app's code when the account asks for one); the answer
/// carries the bearer token.
pub async fn login(username: &str, password: &str, code: Option<String>) -> Result<LoginResponse, ApiError> {
    let body = LoginRequest { username: username.to_string(), password: password.to_string(), code };
    decode(send(Request::post(paths::LOGIN).json(&body)).await?).await
}

/// Every account (admin).
pub async fn users(token: &str) -> Result<Vec<User>, ApiError> {
    decode(send(authed(Request::get(paths::USERS), token).build()).await?).await
}

/// Creates an account (admin).
pub async fn create_user(token: &str, new: &NewUser) -> Result<User, ApiError> {
    decode(send(authed(Request::post(paths::USERS), token).json(new)).await?).await
}

/// Changes an account (admin).
pub async fn update_user(token: &str, id: Uuid, patch: &UserPatch) -> Result<User, ApiError> {
    decode(send(authed(Request::patch(&format!("{}/{id}", paths::USERS)), token).json(patch)).await?).await
}

/// Changes the caller's own password.
pub async fn change_password(token: &str, change: &PasswordChange) -> Result<(), ApiError> {
    send(authed(Request::post(paths::PASSWORD), token).json(change)).await.map(drop)
}

/// The newest login attempts (admin).
pub async fn audit(token: &str) -> Result<AuditLog, ApiError> {
    decode(send(authed(Request::get(paths::AUDIT).query([("limit", "50")]), token).build()).await?).await
}

/// The caller's sessions (logins on other devices included).
pub async fn sessions(token: &str) -> Result<Vec<SessionInfo>, ApiError> {
    decode(send(authed(Request::get(paths::SESSIONS), token).build()).await?).await
}

/// Ends one of the caller's sessions.
pub async fn end_session(token: &str, id: Uuid) -> Result<(), ApiError> {
    send(authed(Request::delete(&format!("{}/{id}", paths::SESSIONS)), token).build()).await.map(drop)
}

/// Ends every session of the caller's but this one.
pub async fn end_other_sessions(token: &str) -> Result<(), ApiError> {
    send(authed(Request::delete(paths::SESSIONS), token).build()).await.map(drop)
}

/// A new secret for an authenticator app, with its QR code.
pub async fn offer_second_factor(token: &str) -> Result<SecondFactorSetup, ApiError> {
    decode(send(authed(Request::post(paths::SECOND_FACTOR), token).build()).await?).await
}

/// Turns two-step verification on with the app's code; the answer holds the recovery codes.
pub async fn confirm_second_factor(
    token: &str,
    code: &str,
    password: &str,
) -> Result<RecoveryCodes, ApiError> {
    let body = SecondFactorCode { code: code.to_string(), password: password.to_string() };
    decode(send(authed(Request::post(paths::SECOND_FACTOR_CONFIRM), token).json(&body)).await?).await
}

/// Turns one's own two-step verification off.
pub async fn turn_off_second_factor(token: &str, password: &str) -> Result<(), ApiError> {
    let body = SecondFactorOff { password: password.to_string() };
    send(authed(Request::delete(paths::SECOND_FACTOR), token).json(&body)).await.map(drop)
}

/// Whether the caller shares a calendar feed, and since when.
pub async fn calendar_feed(token: &str) -> Result<CalendarFeedStatus, ApiError> {
    decode(send(authed(Request::get(paths::CALENDAR_FEED), token).build()).await?).await
}

/// Makes the caller a new calendar feed address (shown once), revoking any earlier one.
pub async fn create_calendar_feed(token: &str) -> Result<CreatedCalendarFeed, ApiError> {
    decode(send(authed(Request::post(paths::CALENDAR_FEED), token).build()).await?).await
}

/// Stops sharing the caller's calendar: the address stops working at once.
pub async fn revoke_calendar_feed(token: &str) -> Result<(), ApiError> {
    send(authed(Request::delete(paths::CALENDAR_FEED), token).build()).await.map(drop)
}

/// Revokes the token on the server.
pub async fn logout(token: &str) -> Result<(), ApiError> {
    send(authed(Request::post(paths::LOGOUT), token).build()).await.map(drop)
}

impl From<ApiError> for TransportError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Network(m) => TransportError::Unreachable(m),
            ApiError::Unauthorized(m) => TransportError::Unauthorized(m),
            ApiError::Server { status: 413, message } => TransportError::TooLarge(message),
            ApiError::Server { status, message } => TransportError::Server { status, message },
            ApiError::Decode(m) => TransportError::Server { status: 200, message: m },
            ApiError::ClientIdTaken => TransportError::ClientIdTaken,
            // Not answers of the sync endpoints; kept apart only for the login and admin pages.
            ApiError::SecondFactor(m) => TransportError::Unauthorized(m),
            ApiError::SecondFactorSetup(message) => TransportError::Server { status: 403, message },
        }
    }
}

/// The sync endpoints with a user's token: the transport of the shared sync client.
#[derive(Debug, Clone)]
pub struct SyncApi {
    pub token: String,
}

impl Transport for SyncApi {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        pull_ahead::forget();
        let response = send(authed(Request::post(paths::PUSH), &self.token).json(request)).await?;
        Ok(decode(response).await?)
    }

    async fn pull(&self, client_id: Uuid, cursor: u64) -> Result<RawPull, TransportError> {
        let page = match pull_ahead::take(&self.token, client_id, cursor).await {
            Some(page) => page,
            None => fetch_page(self.token.clone(), client_id, cursor).await,
        };
        if page.is_err() {
            pull_ahead::forget();
        }
        page
    }
}

/// One pull page; the next is asked for ahead as soon as this one's headers name it.
fn fetch_page(
    token: String,
    client_id: Uuid,
    cursor: u64,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<RawPull, TransportError>>>> {
    let generation = pull_ahead::generation();
    Box::pin(async move {
        let query = [
            ("client_id", client_id.to_string()),
            ("cursor", cursor.to_string()),
            ("limit", if cursor == 0 { FIRST_PULL_PAGE } else { PULL_PAGE }.to_string()),
        ];
        let response = send(authed(Request::get(paths::PULL).query(query), &token).build()).await?;
        let next = response.headers().get(NEXT_CURSOR_HEADER).and_then(|c| c.parse::<u64>().ok());
        if let Some(next) = next.filter(|n| *n > cursor) {
            pull_ahead::start(
                generation,
                &token,
                client_id,
                next,
                fetch_page(token.clone(), client_id, next),
            );
        }
        Ok(decode(response).await?)
    })
}

/// Who changed what in one record (online only: the history lives on the server).
pub async fn history(token: &str, id: Uuid) -> Result<HistoryResponse, ApiError> {
    decode(send(authed(Request::get(&format!("{}/{id}", paths::HISTORY)), token).build()).await?).await
}

/// Everything stored about a person, found by name, e-mail or phone across people and ideas'
/// contacts (admin; a subject access request). The JSON text as the server sent it: it is
/// what the export saves.
pub async fn privacy_search(token: &str, query: &str) -> Result<String, ApiError> {
    let response = send(authed(Request::get(PRIVACY_SEARCH).query([("q", query)]), token).build()).await?;
    response.text().await.map_err(|e| ApiError::Network(e.to_string()))
}

/// The admin's search across personal data (see docs/sync-protocol.md).
const PRIVACY_SEARCH: &str = "/api/v1/privacy/search";

/// Share links (admins).
const SHARE_LINKS: &str = "/api/v1/share-links";

/// The share links (names and targets; never their secrets).
pub async fn share_links(token: &str) -> Result<Vec<ShareLink>, ApiError> {
    decode(send(authed(Request::get(SHARE_LINKS), token).build()).await?).await
}

/// Creates a share link; the answer's path (with the secret) is shown once.
pub async fn create_share_link(token: &str, new: &NewShareLink) -> Result<CreatedShareLink, ApiError> {
    decode(send(authed(Request::post(SHARE_LINKS), token).json(new)).await?).await
}

/// Revokes a share link.
pub async fn revoke_share_link(token: &str, id: Uuid) -> Result<(), ApiError> {
    send(authed(Request::delete(&format!("{SHARE_LINKS}/{id}")), token).build()).await.map(drop)
}

/// What a share link shows; no login (the secret is the link).
pub async fn shared_view(secret: &str) -> Result<SharedView, ApiError> {
    let path = format!("/api/v1/shared/{}", js_sys::encode_uri_component(secret));
    decode(send(Request::get(&path).build()).await?).await
}

/// Every record's changes since a day, newest first (online only: the histories live on the
/// server).
pub async fn changes_since(
    token: &str,
    since: tavla_shared::date::Date,
) -> Result<ChangesResponse, ApiError> {
    let since = since.to_string();
    decode(
        send(authed(Request::get("/api/v1/changes").query([("since", since.as_str())]), token).build())
            .await?,
    )
    .await
}
