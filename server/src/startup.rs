//! Building and running the server: open the store, load the default plan and the first admin
//! into a new data directory, bind, serve until told to stop, flush.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tavla_shared::values::Role;
use thiserror::Error;
use tokio::net::TcpListener;

use crate::app::app;
use crate::auth::{add_user, random_password};
use crate::config::Config;
use crate::seed::{default_plan, SeedError};
use crate::state::AppState;
use crate::store::{SledStore, Store, StoreError};

/// The first admin's user name on a new data directory.
pub const FIRST_ADMIN: &str = "admin";
/// Shortest password the server accepts.
pub const PASSWORD_MIN_CHARS: usize = 10;

/// Why the server could not start.
#[derive(Debug, Error)]
pub enum StartupError {
    #[error("cannot open the data directory {path}: {source}")]
    Open { path: String, source: StoreError },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the default plan is broken: {0}")]
    Seed(#[from] SeedError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("TAVLA_ADMIN_PASSWORD must be at least {PASSWORD_MIN_CHARS} characters")]
    WeakAdminPassword,
    #[error("cannot create the first admin: {0}")]
    FirstAdmin(String),
}

/// The first admin, created on a new data directory; tells `main` what to print.
#[derive(Debug, Clone)]
pub struct FirstAdmin {
    pub username: String,
    /// The generated password, shown once; `None` when it came from `TAVLA_ADMIN_PASSWORD`.
    pub generated_password: Option<String>,
}

/// A bound, ready server.
pub struct Application {
    listener: TcpListener,
    store: Arc<SledStore>,
    router: axum::Router,
    stopping: Arc<tokio::sync::watch::Sender<bool>>,
    limits: Arc<crate::limits::LoginLimits>,
    /// Set when this start created the first admin.
    pub first_admin: Option<FirstAdmin>,
    /// Set when this start loaded the default plan.
    pub loaded_default_plan: bool,
}

impl Application {
    /// Opens the store, bootstraps a new one, and binds `config.addr` (port 0 picks a free port).
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let store = SledStore::open(&config.data, config.cache_mb * 1024 * 1024)
            .map_err(|source| StartupError::Open { path: config.data.display().to_string(), source })?;
        let store = Arc::new(store);

        let loaded_default_plan = store.version()? == 0;
        if loaded_default_plan {
            store.commit(default_plan()?)?;
        }
        let first_admin =
            if store.has_users()? { None } else { Some(create_first_admin(&*store, &config).await?) };
        store.flush().await?;

        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartupError::Bind { addr: config.addr, source })?;
        let state = AppState::new(
            store.clone(),
            (config.session_days * 86_400_000.0) as i64,
            store.version()?,
            &config.dist,
        );
        let state = AppState {
            behind_tls: config.behind_tls,
            request_timeout: std::time::Duration::from_secs(config.request_timeout_secs.max(1)),
            ..state
        };
        let stopping = state.stopping.clone();
        let limits = state.login_limits.clone();
        let router = app(state);
        Ok(Application { listener, store, router, stopping, limits, first_admin, loaded_default_plan })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        // A bound listener always has an address; fall back to unspecified rather than panic.
        self.listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)))
    }

    /// Serves until `shutdown` completes, lets open requests finish, then flushes the store.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let stopping = self.stopping;
        let shutdown = async move {
            shutdown.await;
            // Ends open event streams, which would otherwise keep shutdown waiting.
            stopping.send_replace(true);
        };
        let limits = self.limits;
        let tidy = tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                every.tick().await;
                limits.tidy();
            }
        });
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await?;
        tidy.abort();
        self.store.flush().await.map_err(std::io::Error::other)?;
        Ok(())
    }
}

async fn create_first_admin(store: &dyn Store, config: &Config) -> Result<FirstAdmin, StartupError> {
    let (password, generated) = match &config.admin_password {
        Some(p) if p.chars().count() < PASSWORD_MIN_CHARS => return Err(StartupError::WeakAdminPassword),
        Some(p) => (p.clone(), false),
        None => (random_password(), true),
    };
    add_user(store, FIRST_ADMIN, "Administratör", Role::Admin, &password)
        .map_err(|e| StartupError::FirstAdmin(e.to_string()))?;
    Ok(FirstAdmin { username: FIRST_ADMIN.to_string(), generated_password: generated.then_some(password) })
}
