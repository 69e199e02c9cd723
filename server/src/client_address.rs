//! The client's address, for the login limits and the audit log: the connection's peer, or,
//! behind a reverse proxy that says so (`--forwarded-for`), the address the proxy appended to
//! `X-Forwarded-For`. Without the setting the header is ignored: a client could write anything
//! there. With it, only the right-most entry counts, the one the proxy itself added.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::AppError;
use crate::state::AppState;

/// Where a request comes from.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub SocketAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0)
            .ok_or_else(|| AppError::Internal("the server was started without connection info".into()))?;
        if !state.forwarded_for {
            return Ok(ClientAddress(peer));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        Ok(ClientAddress(forwarded.map_or(peer, |ip| SocketAddr::new(ip, 0))))
    }
}
