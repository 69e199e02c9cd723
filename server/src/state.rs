//! What every handler can reach: the store, the sync state and the server's settings (its own
//! module, so the handlers need not import the router that imports them).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::accounts::limits::LoginLimits;
use crate::accounts::Hashing;
use crate::config::Config;
use crate::store::Store;
use crate::streams::Streams;

/// How long audit lines are kept.
#[derive(Debug, Clone, Copy)]
pub struct AuditPolicy {
    /// Lines older than this go.
    pub max_age_ms: i64,
    /// Beyond this many lines, the oldest go.
    pub max_lines: usize,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// How long a login lasts unused.
    pub session_ttl_ms: i64,
    /// How long a login lasts at most, however much it is used.
    pub session_max_ms: i64,
    /// Held while a push is planned and written, so each plan is made on the version it lands on.
    pub push_lock: Arc<tokio::sync::Mutex<()>>,
    /// The newest version, for `sync/events`.
    pub pokes: Arc<tokio::sync::watch::Sender<u64>>,
    /// Bumped whenever sessions are revoked, so open event streams check theirs.
    pub revocations: Arc<tokio::sync::watch::Sender<u64>>,
    /// Set on shutdown, to end open event streams.
    pub stopping: Arc<tokio::sync::watch::Sender<bool>>,
    /// Open event streams, per session and overall.
    pub streams: Arc<Streams>,
    /// The built SPA.
    pub dist: PathBuf,
    /// Reached over https: send HSTS.
    pub behind_tls: bool,
    /// The longest a request may take, its body included (the event stream excepted).
    pub request_timeout: Duration,
    /// Login and password-change attempts per account and address.
    pub login_limits: Arc<LoginLimits>,
    /// Turns for password hashing.
    pub hashing: Hashing,
    /// How long audit lines are kept.
    pub audit: AuditPolicy,
    /// Admins must have two-step verification on before they manage anything.
    pub admins_need_second_factor: bool,
    /// Take the client's address from `X-Forwarded-For` (behind a reverse proxy).
    pub forwarded_for: bool,
}

impl AppState {
    /// State over a store, with the version as it stands and the settings of `config`.
    pub fn new(store: Arc<dyn Store>, config: &Config, version: u64) -> Self {
        let day_ms = 86_400_000.0;
        AppState {
            store,
            session_ttl_ms: (config.session_days * day_ms) as i64,
            session_max_ms: (config.session_max_days.max(config.session_days) * day_ms) as i64,
            push_lock: Arc::new(tokio::sync::Mutex::new(())),
            pokes: Arc::new(tokio::sync::watch::Sender::new(version)),
            revocations: Arc::new(tokio::sync::watch::Sender::new(0)),
            stopping: Arc::new(tokio::sync::watch::Sender::new(false)),
            streams: Arc::new(Streams::new(config.streams_per_session, config.streams_max)),
            dist: config.dist.clone(),
            behind_tls: config.behind_tls,
            request_timeout: Duration::from_secs(config.request_timeout_secs.max(1)),
            login_limits: Arc::new(LoginLimits::default()),
            hashing: Hashing::default(),
            audit: AuditPolicy {
                max_age_ms: (config.audit_days * day_ms) as i64,
                max_lines: config.audit_max_lines.max(1),
            },
            admins_need_second_factor: !config.admin_second_factor_optional,
            forwarded_for: config.forwarded_for,
        }
    }

    /// Tells open event streams that sessions were revoked (they check theirs and end if gone).
    pub fn revoked(&self) {
        self.revocations.send_modify(|n| *n = n.wrapping_add(1));
    }
}
