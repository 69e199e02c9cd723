//! The router: `app(state)` serves `main` and the tests alike.

use std::path::Path;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::{AppError, JSON_BODY_LIMIT, PUSH_BODY_LIMIT};
use crate::routes;
use crate::store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// How long a login lasts.
    pub session_ttl_ms: i64,
    /// Held while a push is planned and written, so each plan is made on the version it lands on.
    pub push_lock: Arc<tokio::sync::Mutex<()>>,
    /// The newest version, for `sync/events`.
    pub pokes: Arc<tokio::sync::watch::Sender<u64>>,
    /// Set on shutdown, to end open event streams.
    pub stopping: Arc<tokio::sync::watch::Sender<bool>>,
    /// The built SPA.
    pub dist: std::path::PathBuf,
    /// Reached over https: send HSTS.
    pub behind_tls: bool,
    /// Login attempts per account and address.
    pub login_limits: Arc<crate::limits::LoginLimits>,
}

impl AppState {
    /// State over a store, with the version as it stands.
    pub fn new(store: Arc<dyn Store>, session_ttl_ms: i64, version: u64, dist: &Path) -> Self {
        AppState {
            store,
            session_ttl_ms,
            push_lock: Arc::new(tokio::sync::Mutex::new(())),
            pokes: Arc::new(tokio::sync::watch::Sender::new(version)),
            stopping: Arc::new(tokio::sync::watch::Sender::new(false)),
            dist: dist.to_path_buf(),
            behind_tls: false,
            login_limits: Arc::new(crate::limits::LoginLimits::default()),
        }
    }
}

/// The whole HTTP surface: the JSON API under `/api/v1`, and the built SPA from `dist` with
/// `index.html` for every other path (client-side routes).
pub fn app(state: AppState) -> Router {
    let dist = state.dist.clone();
    let api = Router::new()
        .route("/health", get(routes::health::health))
        .route("/auth/login", post(routes::auth::login))
        .route("/auth/logout", post(routes::auth::logout))
        .route("/auth/me", get(routes::auth::me))
        .route("/sync/pull", get(routes::sync::pull))
        .route("/sync/push", post(routes::sync::push).layer(DefaultBodyLimit::max(PUSH_BODY_LIMIT)))
        .route("/sync/events", get(routes::sync::events))
        .route("/audit", get(routes::audit::audit_log))
        .route("/history/{id}", get(routes::history::history))
        .route("/auth/password", post(routes::users::change_own_password))
        .route("/users", get(routes::users::list).post(routes::users::create))
        .route("/users/{id}", axum::routing::patch(routes::users::update))
        .fallback(|| async { AppError::NotFound("no such API endpoint") })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state.clone());

    // `no-cache` means "revalidate": browsers ask with If-Modified-Since and get a 304 while the
    // build is unchanged, and a new build's index.html the moment it is deployed.
    let spa = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(ServeDir::new(&dist).fallback(ServeFile::new(dist.join("index.html"))));

    let behind_tls = state.behind_tls;
    let router = Router::new()
        .route("/sw.js", get(routes::service_worker::service_worker))
        .with_state(state)
        .nest("/api/v1", api)
        .fallback_service(spa)
        .layer(CompressionLayer::new());
    crate::security::with_headers(router, &dist, behind_tls).layer(TraceLayer::new_for_http())
}
