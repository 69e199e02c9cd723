//! The router: `app(state)` serves `main` and the tests alike.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::error::{AppError, JSON_BODY_LIMIT, PUSH_BODY_LIMIT};
use crate::routes;
use crate::state::AppState;

/// `Cache-Control` for the SPA's files. A content-hashed file (Trunk names them
/// `name-<16 hex digits>.js` and `…_bg.wasm`) never changes under its name: cached for a year
/// without asking. Everything else — `index.html`, which names the current build's files, the
/// manifest, the icons, `robots.txt` — is `no-cache`: revalidated on every use (a 304 while
/// unchanged), so a new build shows the moment it is deployed. A missing file (a name with an
/// extension: an old build's wasm, a mistyped icon) is a 404 unless a page is asked for (a
/// link pasted with a trailing dot gets the app): `index.html` must never be cached for a year
/// under a script's name.
async fn static_cache(
    axum::extract::State(dist): axum::extract::State<Arc<std::path::PathBuf>>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // Files are only read: other methods get the usual JSON 405, not ServeDir's empty one.
    if !matches!(*request.method(), axum::http::Method::GET | axum::http::Method::HEAD) {
        let mut refused = AppError::MethodNotAllowed.into_response();
        refused.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return refused;
    }
    // Whole files only: the app's files are small and cached, and ServeDir answers a range it
    // cannot satisfy with an empty 416.
    request.headers_mut().remove(header::RANGE);
    let raw = request.uri().path().to_string();
    // The file the path names, decoded as ServeDir decodes it (`icon%201.png`).
    let path = percent_encoding::percent_decode_str(&raw).decode_utf8_lossy().into_owned();
    let name = path.rsplit('/').next().unwrap_or_default();
    let inside = !path.split(['/', '\\']).any(|segment| segment == "..");
    // No file of ours has a name this long; the file system would refuse it (ENAMETOOLONG),
    // which ServeDir answers with an empty 500.
    // (250, not 255: ServeDir also looks for the name with `.br` or `.gz` appended.)
    let too_long = path.len() > 1024 || path.split('/').any(|segment| segment.len() > 250);
    let exists = inside && !too_long && dist.join(path.trim_start_matches('/')).is_file();
    let wants_page = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if (name.contains('.') || too_long) && !exists && !wants_page {
        return AppError::NotFound("no such file").into_response();
    }
    if too_long {
        // A page of the app with a long address: the app, as for any other client route.
        *request.uri_mut() = axum::http::Uri::from_static("/");
    }
    let immutable = exists && is_content_hashed(&path);
    let mut response = next.run(request).await;
    let unchanged = response.status() == axum::http::StatusCode::NOT_MODIFIED;
    // A 304's headers are copied onto the stored copy: it keeps the year-long caching too.
    let value = if immutable && (response.status().is_success() || unchanged) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The same URL is sent as brotli, gzip or plain: shared caches must keep them apart.
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// True for a path whose file name carries Trunk's content hash: a stem ending in `-` and 12
/// to 16 hex digits (a 64-bit hash, leading zeros dropped), optionally followed by `_bg`
/// (wasm-bindgen's wasm file). `icon-512.png` is not: too few digits.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _ext)) = name.split_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The API's routes, each registered with its OpenAPI description (so the document cannot
/// leave one out): those under the request time limit, and the event stream, which stays open
/// on purpose. Paths are relative to `/api/v1`.
pub fn api_routes() -> (OpenApiRouter<AppState>, OpenApiRouter<AppState>) {
    let timed = OpenApiRouter::with_openapi(crate::openapi::ApiDoc::openapi())
        .routes(routes!(routes::health::health))
        .routes(routes!(crate::openapi::document_json))
        .routes(routes!(routes::auth::login))
        .routes(routes!(routes::auth::logout))
        .routes(routes!(routes::auth::me))
        .routes(routes!(routes::auth::sessions, routes::auth::revoke_others))
        .routes(routes!(routes::auth::revoke))
        .routes(routes!(routes::second_factor::offer, routes::second_factor::turn_off))
        .routes(routes!(routes::second_factor::confirm))
        .routes(routes!(routes::users::change_own_password))
        .routes(routes!(routes::sync::pull))
        .routes(routes!(routes::sync::push).layer(DefaultBodyLimit::max(PUSH_BODY_LIMIT)))
        .routes(routes!(routes::history::history))
        .routes(routes!(routes::audit::audit_log))
        .routes(routes!(routes::privacy::search))
        .routes(routes!(routes::backup::download))
        .routes(routes!(routes::backup::create_key, routes::backup::list_keys))
        .routes(routes!(routes::backup::revoke_key))
        .routes(routes!(routes::export::register_csv))
        .routes(routes!(routes::changes::since))
        .routes(routes!(routes::share::create, routes::share::list))
        .routes(routes!(routes::share::revoke))
        .routes(routes!(routes::share::view))
        .routes(routes!(routes::calendar::create, routes::calendar::status, routes::calendar::revoke))
        .routes(routes!(routes::calendar::feed))
        .routes(routes!(routes::users::list, routes::users::create))
        .routes(routes!(routes::users::update));
    let streams = OpenApiRouter::new().routes(routes!(routes::sync::events));
    (timed, streams)
}

/// The whole HTTP surface: the JSON API under `/api/v1`, and the built SPA from `dist` with
/// `index.html` for every other path (client-side routes).
pub fn app(state: AppState) -> Router {
    let dist = state.dist.clone();
    let (timed, streams) = api_routes();
    let api = Router::from(timed)
        .fallback(|| async { AppError::NotFound("no such API endpoint") })
        .layer(axum::middleware::from_fn_with_state(state.request_timeout, crate::error::time_limit))
        // Merged after the time limit, which would end it: the stream stays open on purpose.
        .merge(Router::from(streams))
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state.clone());

    // The built files as `cargo xtask build` left them: each with a `.br` and a `.gz` copy, of
    // which the browser gets the one it accepts, so nothing static is compressed per request.
    let index = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
    let files = ServeDir::new(&dist).precompressed_br().precompressed_gzip().fallback(index);
    let spa = Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn_with_state(Arc::new(dist.clone()), static_cache));

    let behind_tls = state.behind_tls;
    let request_timeout = state.request_timeout;
    let router = Router::new()
        .route("/sw.js", get(routes::service_worker::service_worker))
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .with_state(state)
        .nest("/api/v1", api.layer(CompressionLayer::new()))
        .fallback_service(spa);
    let router = router.layer(axum::middleware::from_fn_with_state(request_timeout, crate::body::read_whole));
    crate::security::with_headers(crate::error::catch_panics(router), &dist, behind_tls)
        .layer(TraceLayer::new_for_http())
}
