//! Server configuration: command-line flags, each with an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How the server runs. `tavla --help` lists every option.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "TAVLA_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Data directory (sled database). Created and loaded with the default plan when new.
    #[arg(long, env = "TAVLA_DATA", default_value = "data", global = true)]
    pub data: PathBuf,
    /// Directory of the built SPA (Trunk's output).
    #[arg(long, env = "TAVLA_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Password of the first admin on a new data directory; otherwise a random one is printed.
    #[arg(long, env = "TAVLA_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// How many days a login lasts unused (renewed on use). Fractions are allowed.
    #[arg(long, env = "TAVLA_SESSION_DAYS", default_value_t = 30.0)]
    pub session_days: f64,
    /// How many days a login lasts at most, however much it is used (its absolute lifetime).
    #[arg(long, env = "TAVLA_SESSION_MAX_DAYS", default_value_t = 90.0)]
    pub session_max_days: f64,
    /// How many days login lines are kept in the audit log.
    #[arg(long, env = "TAVLA_AUDIT_DAYS", default_value_t = 365.0)]
    pub audit_days: f64,
    /// The most login lines the audit log keeps (the oldest go first).
    #[arg(long, env = "TAVLA_AUDIT_MAX_LINES", default_value_t = 20_000)]
    pub audit_max_lines: usize,
    /// The most event streams one login may hold open (tabs of one browser share a login).
    #[arg(long, env = "TAVLA_STREAMS_PER_SESSION", default_value_t = 4)]
    pub streams_per_session: usize,
    /// The most event streams open at once, over all logins.
    #[arg(long, env = "TAVLA_STREAMS_MAX", default_value_t = 1000)]
    pub streams_max: usize,
    /// Let admins work without two-step verification (by default they must turn it on before
    /// they manage anything). For tests and trials only.
    #[arg(long, env = "TAVLA_ADMIN_SECOND_FACTOR_OPTIONAL")]
    pub admin_second_factor_optional: bool,
    /// Behind a reverse proxy that appends the client's address to `X-Forwarded-For`: take it
    /// from there (the right-most entry) for the login limits and the audit log. Without it,
    /// every client would share the proxy's address.
    #[arg(long, env = "TAVLA_FORWARDED_FOR")]
    pub forwarded_for: bool,
    /// The server is reached over https (a proxy terminates TLS): send HSTS.
    #[arg(long, env = "TAVLA_BEHIND_TLS")]
    pub behind_tls: bool,
    /// The longest a request may take, its body included, in seconds (the event stream
    /// excepted): a slow or stuck client gets 408.
    #[arg(long, env = "TAVLA_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// sled's page cache, in MiB.
    #[arg(long, env = "TAVLA_CACHE_MB", default_value_t = 64)]
    pub cache_mb: u64,
}

impl Config {
    /// Defaults for a data directory, as tests and tools use them.
    pub fn for_data(data: PathBuf) -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data,
            dist: PathBuf::from("dist"),
            admin_password: None,
            session_days: 30.0,
            session_max_days: 90.0,
            audit_days: 365.0,
            audit_max_lines: 20_000,
            streams_per_session: 4,
            streams_max: 1000,
            admin_second_factor_optional: false,
            forwarded_for: false,
            behind_tls: false,
            request_timeout_secs: 30,
            cache_mb: 16,
        }
    }
}
