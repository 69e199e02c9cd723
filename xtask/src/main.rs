//! `cargo xtask`: the project's own automation, so a fresh machine with only rustup needs two
//! commands. Each installs what is missing (skipping what is already there), then does its job.
//!
//! - `cargo xtask run`: build the SPA in release and start the server at http://127.0.0.1:8080
//!   with its data in `./data` (honours `TAVLA_ADDR`, `TAVLA_DATA`, `TAVLA_ADMIN_PASSWORD`).
//! - `cargo xtask test`: build the SPA, check its size budget, run every test (browser tests in
//!   headless Chromium included).
//! - `cargo xtask build`: only build the SPA into `dist/`.

mod budget;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// A failed step, with words for the person at the terminal.
type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo xtask run -- --help`: everything after `--` goes to the server or the test runner.
    if args.get(1).is_some_and(|a| a == "--") {
        args.remove(1);
    }
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&root, &args[1..]),
        Some("test") => test(&root, &args[1..]),
        Some("build") => build_spa(&root),
        _ => {
            eprintln!("usage: cargo xtask <run|test|build> [extra arguments]");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Runs a command to completion; a non-zero exit is an error naming the command.
pub(crate) fn exec(cmd: &mut Command) -> Result {
    let status = cmd.status().map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd))
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn build_spa(root: &Path) -> Result {
    tools::ensure_spa_tools(root)?;
    println!("xtask: building the SPA (trunk build --release)");
    exec(
        Command::new(tools::bin("trunk"))
            .arg("build")
            .arg("--release")
            .current_dir(root)
            .env("PATH", tools::path()),
    )
}

fn run(root: &Path, extra: &[String]) -> Result {
    build_spa(root)?;
    println!("xtask: building and starting the server");
    let mut cmd = cargo();
    cmd.args(["run", "--release", "--package", "tavla-server", "--bin", "tavla", "--", "--dist"])
        .arg(root.join("dist"))
        .args(extra)
        .current_dir(root);
    exec(&mut cmd)
}

fn test(root: &Path, extra: &[String]) -> Result {
    tools::ensure_browser()?;
    build_spa(root)?;
    budget::check(root)?;
    println!("xtask: running every test");
    let mut cmd = cargo();
    cmd.args(["test", "--workspace", "--exclude", "tavla-frontend"])
        .args(extra)
        .env("TAVLA_DIST", root.join("dist"))
        .env("PATH", tools::path())
        .current_dir(root);
    exec(&mut cmd)
}
