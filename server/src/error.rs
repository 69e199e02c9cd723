//! One error type for every handler. Clients get a status and plain words; details of internal
//! failures go to the log only.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tavla_shared::wire::{ApiError, ErrorCode};
use thiserror::Error;

use crate::store::StoreError;

/// Ends a request that takes longer than `limit` (a body trickling in, a stuck handler) with
/// 408 and the usual JSON body, so a slow or hostile client cannot hold a task and its memory
/// for ever. Written here rather than with tower-http's `TimeoutLayer`, whose 408 has no body.
pub async fn time_limit(
    axum::extract::State(limit): axum::extract::State<std::time::Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::RequestTimeout(limit).into_response(),
    }
}

/// Answers a handler's panic as any internal error (500 with the usual JSON body, the panic in
/// the log) instead of dropping the connection: the client sees plain words and retries, and
/// the server goes on serving.
pub fn catch_panics(router: axum::Router) -> axum::Router {
    router.layer(tower_http::catch_panic::CatchPanicLayer::custom(
        |panic: Box<dyn std::any::Any + Send + 'static>| {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic without a message");
            AppError::Internal(format!("a handler panicked: {what}")).into_response()
        },
    ))
}

/// Everything a request can fail with.
#[derive(Debug, Error)]
pub enum AppError {
    /// The request is malformed; the message says how, in plain words.
    #[error("{0}")]
    BadRequest(String),
    /// No valid token, or wrong credentials.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// The password was right; the account's second factor is needed (or was wrong).
    #[error("{0}")]
    SecondFactorRequired(&'static str),
    /// An admin without two-step verification, where it is required of admins.
    #[error("admins must turn on two-step verification first (My account)")]
    SecondFactorSetupRequired,
    /// Logged in, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// A push or pull with a client id another user owns (guarantee 8).
    #[error("this client id belongs to another user; use a new one")]
    ClientIdTaken,
    #[error("{0}")]
    NotFound(&'static str),
    /// The request clashes with what is stored (e.g. a user name in use).
    #[error("{0}")]
    Conflict(String),
    #[error("this endpoint does not take that HTTP method")]
    MethodNotAllowed,
    #[error("the request body is too large (at most 64 KiB; 2 MiB for sync/push)")]
    PayloadTooLarge,
    /// Too many attempts; try again after the given time.
    #[error("too many login attempts; try again in {} seconds", .0.as_secs().max(1))]
    TooManyRequests(std::time::Duration),
    /// This login (or account) holds as many event streams as it may.
    #[error("this login or account already has {0} event streams open; close one first")]
    TooManyStreams(usize),
    /// The server is busy (hashing turns taken, event streams full); try again after the time.
    #[error("{0}")]
    Busy(String, std::time::Duration),
    /// The request took longer than the server allows (a body sent too slowly, a stuck client).
    #[error("the request took longer than {0:?}; send it again")]
    RequestTimeout(std::time::Duration),
    #[error("unsupported media type: send JSON with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or an environment failure (e.g. a blocking task panicked).
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            AppError::SecondFactorRequired(_) => (StatusCode::UNAUTHORIZED, ErrorCode::SecondFactorRequired),
            AppError::SecondFactorSetupRequired => {
                (StatusCode::FORBIDDEN, ErrorCode::SecondFactorSetupRequired)
            }
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            AppError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::ClientIdTaken => (StatusCode::FORBIDDEN, ErrorCode::ClientIdTaken),
            AppError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge),
            AppError::TooManyRequests(_) | AppError::TooManyStreams(_) => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests)
            }
            AppError::Busy(..) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Busy),
            AppError::RequestTimeout(_) => (StatusCode::REQUEST_TIMEOUT, ErrorCode::RequestTimeout),
            AppError::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::BadRequest),
            AppError::Store(_) | AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = if status.is_server_error() && !matches!(self, AppError::Busy(..)) {
            tracing::error!(error = %self, "request failed");
            "something went wrong on the server; the error has been logged".to_string()
        } else {
            self.to_string()
        };
        let mut response = (status, axum::Json(ApiError { error: code, message })).into_response();
        let wait = match &self {
            AppError::TooManyRequests(wait) | AppError::Busy(_, wait) => Some(*wait),
            AppError::TooManyStreams(_) => Some(std::time::Duration::from_secs(30)),
            _ => None,
        };
        if let Some(wait) = wait {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            if let Ok(value) = axum::http::HeaderValue::from_str(&seconds.max(1).to_string()) {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// The body limit for ordinary JSON requests.
pub const JSON_BODY_LIMIT: usize = tavla_shared::protocol::JSON_BODY_MAX_BYTES;
/// The body limit for `sync/push`: a thousand mutations of a couple of KiB each.
pub const PUSH_BODY_LIMIT: usize = tavla_shared::protocol::PUSH_MAX_BYTES;

impl From<crate::accounts::AccountError> for AppError {
    fn from(e: crate::accounts::AccountError) -> Self {
        use crate::accounts::AccountError as E;
        match e {
            E::BadUsername
            | E::BadDisplayName
            | E::Password(_)
            | E::OwnAdminRights
            | E::WrongCode
            | E::NoSecondFactorOffered
            | E::SecondFactorOnlyByOwner => AppError::BadRequest(e.to_string()),
            E::NameTaken(_) | E::Contended | E::SecondFactorOn => AppError::Conflict(e.to_string()),
            E::AdminsNeedSecondFactor => AppError::Forbidden(e.to_string()),
            E::NotFound => AppError::NotFound("no such account"),
            E::WrongPassword => AppError::Forbidden(e.to_string()),
            E::Busy(wait) => AppError::Busy(e.to_string(), wait),
            E::Store(e) => AppError::Store(e),
            E::Internal(e) => AppError::Internal(e),
        }
    }
}

/// A parser's complaint cut to 300 characters: it quotes the offending value, which can be as
/// long as the body (a 2 MiB push).
fn shortened(text: &str) -> String {
    const MAX: usize = 300;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{} …", &text[..end]),
        None => text.to_string(),
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
            _ => AppError::BadRequest(format!("invalid JSON body: {}", shortened(&rejection.body_text()))),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest(format!("invalid query: {}", shortened(&rejection.body_text())))
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::BadRequest(format!("invalid path: {}", shortened(&rejection.body_text())))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(format!("a background task failed: {e}"))
    }
}

/// `axum::Json` whose rejections become [`AppError`]s (JSON bodies with plain words).
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` whose rejections become [`AppError`]s.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` whose rejections become [`AppError`]s.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);
