//! Every request's body is read whole before the request is handled, within its size limit and
//! the request time limit. A handler may answer without reading the body (no login, a method
//! the path does not take, a file of the app); hyper then closes the connection with the rest
//! of the body unread, the kernel answers the client's further bytes with a reset, and the
//! client loses the answer — a 401 or 413 arrives as a broken pipe, a large pull as a cut-off
//! body. Found by the fuzz test (`tests/tests/e2e/fuzz.rs`). Reading first costs nothing
//! extra: the JSON extractors read the whole body anyway, and the size limits stay as they are.
//!
//! A body over the limit is read on (and dropped) up to [`DRAIN_MAX`], so the client gets its
//! 413; beyond that the connection is closed.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use crate::error::{AppError, JSON_BODY_LIMIT, PUSH_BODY_LIMIT};

/// The most read (and dropped) of a body over its limit, so its sender still gets the 413.
pub const DRAIN_MAX: usize = 16 * 1024 * 1024;

/// The body limit of a path.
fn limit(path: &str) -> usize {
    if path == tavla_shared::protocol::paths::PUSH {
        PUSH_BODY_LIMIT
    } else {
        JSON_BODY_LIMIT
    }
}

/// Reads the body whole (see the module's words), then hands the request on.
pub async fn read_whole(
    axum::extract::State(timeout): axum::extract::State<std::time::Duration>,
    request: Request,
    next: Next,
) -> Response {
    let limit = limit(request.uri().path());
    let (parts, body) = request.into_parts();
    let read = async {
        let mut stream = body.into_data_stream();
        let mut kept: Vec<u8> = Vec::new();
        let mut seen = 0usize;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|_| AppError::BadRequest("the request body broke off".into()))?;
            seen = seen.saturating_add(chunk.len());
            if seen > DRAIN_MAX {
                return Err(AppError::PayloadTooLarge);
            }
            if seen <= limit {
                kept.extend_from_slice(&chunk);
            }
        }
        if seen > limit {
            return Err(AppError::PayloadTooLarge);
        }
        Ok(kept)
    };
    match tokio::time::timeout(timeout, read).await {
        Ok(Ok(bytes)) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Ok(Err(e)) => e.into_response(),
        Err(_) => AppError::RequestTimeout(timeout).into_response(),
    }
}
