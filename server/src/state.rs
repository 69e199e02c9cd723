//! What every handler can reach: the store, the sync state and the server's settings (its own
//! module, so the handlers need not import the router that imports them).

use std::path::Path;
use std::sync::Arc;

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
    /// The longest a request may take, its body included (the event stream excepted).
    pub request_timeout: std::time::Duration,
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
            request_timeout: std::time::Duration::from_secs(30),
            login_limits: Arc::new(crate::limits::LoginLimits::default()),
        }
    }
}
