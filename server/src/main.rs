//! `tavla`: Tavla's sync server. Serves the API and the built SPA; a new data directory starts
//! with Leader Södermanland's plan for 2026 and a first admin.
//!
//! Run with `cargo xtask run` (builds the SPA first), or `tavla --data ./data --dist ./dist`.
//! `tavla --data ./data user add --username anna --display-name "Anna" --role staff` adds an
//! account (password from TAVLA_NEW_PASSWORD or stdin) while the server is stopped.

use clap::Parser;
use tavla_server::config::Config;
use tavla_server::startup::Application;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(name = "tavla", version, about = "Tavla: offline-capable planning board for a Leader area")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

/// Without a subcommand, `tavla` serves.
#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Manage accounts directly in the data directory (the server must not be running).
    #[command(subcommand)]
    User(UserCommand),
    /// Write the data directory to one backup file (the server must not be running). Sessions
    /// are left out.
    Backup {
        /// The file to write (it must not exist yet).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup file into the data directory, which must be new or empty.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
    },
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Add an account. The password comes from TAVLA_NEW_PASSWORD or the first line of stdin.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// admin, staff or board.
        #[arg(long, value_parser = ["admin", "staff", "board"])]
        role: String,
    },
}

/// `tavla user add …`: checks the rules the API applies, then writes the account.
fn user_add(config: &Config, username: &str, display_name: &str, role: &str) -> Result<String, String> {
    use tavla_server::store::{SledStore, Store};
    let role: tavla_shared::values::Role =
        serde_json::from_value(serde_json::Value::from(role)).map_err(|e| e.to_string())?;
    let password = match std::env::var("TAVLA_NEW_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| format!("reading the password: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let new = tavla_server::accounts::NewAccount {
        username: username.to_string(),
        display_name: display_name.to_string(),
        role,
        password,
        person_id: None,
    };
    new.check().map_err(|e| e.to_string())?;
    let store = SledStore::open(&config.data, config.cache_mb * 1024 * 1024)
        .map_err(|e| format!("cannot open {} (is the server running?): {e}", config.data.display()))?;
    tavla_server::accounts::create_blocking(&store, new).map_err(|e| e.to_string())?;
    tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?
        .block_on(store.flush())
        .map_err(|e| e.to_string())?;
    Ok(format!("Kontot «{username}» ({role}) är skapat."))
}

/// `tavla backup --out FILE`.
fn backup(config: &Config, out: &std::path::Path) -> Result<String, String> {
    use tavla_server::store::SledStore;
    let store = SledStore::open(&config.data, config.cache_mb * 1024 * 1024)
        .map_err(|e| format!("cannot open {} (is the server running?): {e}", config.data.display()))?;
    // `create_new`: a backup never overwrites a file, perhaps yesterday's good one.
    let file = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(out)
        .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    let header = tavla_server::backup::write(&store, tavla_server::auth::now_ms(), &mut writer)
        .map_err(|e| e.to_string())?;
    std::io::Write::flush(&mut writer).map_err(|e| e.to_string())?;
    writer.get_ref().sync_all().map_err(|e| e.to_string())?;
    Ok(format!(
        "Säkerhetskopian {} är skriven: version {}, {} poster (dataformat {}).",
        out.display(),
        header.version,
        header.entries,
        header.data_format
    ))
}

/// `tavla restore FILE`.
fn restore(config: &Config, file: &std::path::Path) -> Result<String, String> {
    let input = std::fs::File::open(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let header = tavla_server::backup::restore(
        std::io::BufReader::new(input),
        &config.data,
        config.cache_mb * 1024 * 1024,
    )
    .map_err(|e| e.to_string())?;
    Ok(format!(
        "Säkerhetskopian är återställd i {}: version {}. Alla loggar in på nytt.",
        config.data.display(),
        header.version
    ))
}

/// Prints what a command did, or its error, as the exit code says.
fn report(result: Result<String, String>) -> std::process::ExitCode {
    match result {
        Ok(done) => {
            println!("{done}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tavla: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Backup { out }) => report(backup(&cli.config, out)),
        Some(Command::Restore { file }) => report(restore(&cli.config, file)),
        Some(Command::User(UserCommand::Add { username, display_name, role })) => {
            report(user_add(&cli.config, username, display_name, role))
        }
        None => match tokio::runtime::Runtime::new() {
            Ok(rt) => rt.block_on(serve(cli.config)),
            Err(e) => {
                eprintln!("tavla: cannot start the async runtime: {e}");
                std::process::ExitCode::FAILURE
            }
        },
    }
}

/// Serves until Ctrl-C or SIGTERM.
async fn serve(config: Config) -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn")),
        )
        .init();
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built SPA found; `cargo xtask run` builds it");
    }
    let app = match Application::build(config.clone()).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("tavla: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = app.local_addr();
    println!("Tavla körs på http://{addr}  (data: {})", config.data.display());
    if app.loaded_default_plan {
        println!("Ny datakatalog: verksamhetsplanen 2026 är inläst.");
    }
    if let Some(admin) = &app.first_admin {
        match &admin.generated_password {
            Some(p) => println!("Logga in som «{}» med lösenordet «{p}» (visas bara nu).", admin.username),
            None => println!("Logga in som «{}» med lösenordet från TAVLA_ADMIN_PASSWORD.", admin.username),
        }
    }
    match app.run_until_stopped(shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tavla: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Ctrl-C or SIGTERM: stop taking requests, finish open ones, flush sled.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
