//! Building and running the server: open the store, load the default plan and the first admin
//! into a new data directory, remove the contact details that are due, bind, serve (sweeping
//! every hour) until told to stop, flush.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tavla_shared::values::Role;
use thiserror::Error;
use tokio::net::TcpListener;

use crate::accounts::{self, NewAccount, PasswordProblem};
use crate::app::app;
use crate::auth::{now_ms, random_password};
use crate::config::Config;
use crate::retention;
use crate::seed::{default_plan, SeedError};
use crate::state::AppState;
use crate::store::{SledStore, Store, StoreError};

/// The first admin's user name on a new data directory.
pub const FIRST_ADMIN: &str = "admin";

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
    #[error("TAVLA_ADMIN_PASSWORD is refused: {0}")]
    AdminPassword(PasswordProblem),
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
    state: AppState,
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
        let moved = crate::migrate::partner_contacts_to_list(&*store, now_ms())?;
        if moved > 0 {
            tracing::info!(
                partners = moved,
                "partner contacts kept as free text moved into the partners' notes"
            );
        }
        // Contact details whose time ran out while the server was stopped go before anyone
        // pulls them again.
        let swept = retention::sweep(&*store, retention::today(), now_ms())?;
        retention::log(&swept);
        store.flush().await?;

        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartupError::Bind { addr: config.addr, source })?;
        let state = AppState::new(store.clone(), &config, store.version()?);
        let stopping = state.stopping.clone();
        let router = app(state.clone());
        Ok(Application { listener, store, router, stopping, state, first_admin, loaded_default_plan })
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
        let state = self.state;
        let sweeps = tokio::spawn(retention::run_hourly(state.clone()));
        let tidy = tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                every.tick().await;
                tidy_up(&state);
            }
        });
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await?;
        tidy.abort();
        // It ends on `stopping`; a sweep under way finishes its write first.
        if let Err(e) = sweeps.await {
            tracing::error!("the retention task failed: {e}");
        }
        self.store.flush().await.map_err(std::io::Error::other)?;
        Ok(())
    }
}

/// What is done every ten minutes: idle login-limit entries forgotten, expired sessions
/// removed, audit lines past their age dropped. Failures are logged; serving goes on.
fn tidy_up(state: &AppState) {
    state.login_limits.tidy();
    let now = now_ms();
    match state.store.purge_sessions(now) {
        Ok(0) => {}
        Ok(n) => tracing::info!(sessions = n, "expired sessions removed"),
        Err(e) => tracing::error!("removing expired sessions failed: {e}"),
    }
    if let Err(e) = state.store.trim_audit(now - state.audit.max_age_ms, state.audit.max_lines) {
        tracing::error!("trimming the audit log failed: {e}");
    }
}

async fn create_first_admin(store: &dyn Store, config: &Config) -> Result<FirstAdmin, StartupError> {
    let (password, generated) = match &config.admin_password {
        Some(p) => (p.clone(), false),
        None => (random_password(), true),
    };
    let new = NewAccount {
        username: FIRST_ADMIN.to_string(),
        display_name: "Administratör".to_string(),
        role: Role::Admin,
        password: password.clone(),
        person_id: None,
    };
    accounts::create_blocking(store, new).map_err(|e| match e {
        accounts::AccountError::Password(problem) => StartupError::AdminPassword(problem),
        e => StartupError::FirstAdmin(e.to_string()),
    })?;
    Ok(FirstAdmin { username: FIRST_ADMIN.to_string(), generated_password: generated.then_some(password) })
}
