//! `tavla`: Tavla's sync server. Serves the API and the built SPA; a new data directory starts
//! with Leader Södermanland's plan for 2026 and a first admin.
//!
//! Run with `cargo xtask run` (builds the SPA first), or `tavla --data ./data --dist ./dist`.

use clap::Parser;
use tavla_server::config::Config;
use tavla_server::startup::Application;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(name = "tavla", version, about = "Tavla: offline-capable planning board for a Leader area")]
struct Cli {
    #[command(flatten)]
    config: Config,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn")),
        )
        .init();
    let config = Cli::parse().config;
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
