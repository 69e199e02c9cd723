//! `cargo xtask`: the project's own automation, so a fresh machine with only rustup needs two
//! commands. Each installs what is missing (skipping what is already there), then does its job.
//!
//! - `cargo xtask run`: build the SPA in release and start the server at http://127.0.0.1:8080
//!   with its data in `./data` (honours `TAVLA_ADDR`, `TAVLA_DATA`, `TAVLA_ADMIN_PASSWORD`).
//! - `cargo xtask test`: check formatting and lints (clippy, warnings as errors, the frontend
//!   for wasm32 too), build the SPA, check its size budget, run every test (browser tests in
//!   headless Chromium and WebKit included).
//! - `cargo xtask lint`: only the formatting and lint checks.
//! - `cargo xtask build`: only build the SPA into `dist/`.
//! - `cargo xtask bench`: run the benchmarks and write their numbers to docs/BENCHMARKS.md.
//! - `cargo xtask soak`: the client-sync property test with 10,000 cases (or `TAVLA_CLIENT_CASES`),
//!   the SIGKILL crash test with 1,000 kill cycles (or `TAVLA_CRASH_CYCLES`), and the fuzz test
//!   of every endpoint with 30,000 cases (or `TAVLA_FUZZ_CASES`).

mod budget;
mod compress;
mod first_paint;
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
        Some("lint") => lint(&root),
        Some("bench") => bench(&root),
        Some("soak") => soak(&root).map(|rows| rows.iter().for_each(|row| println!("{row}"))),
        _ => {
            eprintln!("usage: cargo xtask <run|test|build|lint|bench|soak> [extra arguments]");
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
    )?;
    first_paint::defer_wasm(&root.join("dist"))?;
    println!("xtask: writing .br and .gz copies of the SPA's files");
    compress::precompress(&root.join("dist"))
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

/// The client-sync property test (`shared/tests/client_sync.rs`) with many more cases than
/// `test` runs, in release for speed. Then the crash test (`server/tests/crash.rs`: the real
/// server SIGKILLed while three clients push and resend, counters checked to add up exactly
/// once) with 1,000 kill cycles instead of `test`'s 20 (`TAVLA_CRASH_CYCLES`; about 5 minutes on
/// the 2-core benchmark machine, so `bench` runs the same count). Returns the benchmark
/// table's rows.
fn soak(root: &Path) -> Result<Vec<String>> {
    let cases = std::env::var("TAVLA_CLIENT_CASES").unwrap_or_else(|_| "10000".into());
    println!("xtask: client sync property test, {cases} cases");
    let started = std::time::Instant::now();
    let mut cmd = cargo();
    cmd.args(["test", "--release", "-p", "tavla-shared", "--test", "client_sync"])
        .env("TAVLA_CLIENT_CASES", &cases)
        .current_dir(root);
    exec(&mut cmd)?;
    let mut rows = vec![format!(
        "| client sync property test (3 devices, tabs, 2 users, faults), {cases} cases, release | all invariants held; {:.0} s including the build | every case passes: met |",
        started.elapsed().as_secs_f64()
    )];

    let cycles = std::env::var("TAVLA_CRASH_CYCLES").unwrap_or_else(|_| "1000".into());
    println!("xtask: crash test, {cycles} SIGKILL cycles (release)");
    let started = std::time::Instant::now();
    let out = cargo()
        .args(["test", "--release", "-p", "tavla-server", "--test", "crash", "--", "--nocapture"])
        .env("TAVLA_CRASH_CYCLES", &cycles)
        .current_dir(root)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run the crash test: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    if !out.status.success() {
        return Err(format!("the crash test failed ({}) with {cycles} cycles", out.status));
    }
    // Its summary: "crash soak: 1000 kill cycles, … ; 8000 counter sums checked; 335.0 s".
    let summary = stdout
        .lines()
        .find_map(|l| l.strip_prefix("crash soak: "))
        .ok_or("the crash test printed no summary line")?;
    rows.push(format!(
        "| crash test: the release server SIGKILLed at a random moment while 3 clients push at once, {cycles} cycles; each client resends its unacknowledged mutations (same ids) until acknowledged | {summary}; {:.0} s including the build | after every restart every acknowledged mutation is there and each counter is the exact sum of its processed increments; after the resends, of all increments sent (exactly once): met |",
        started.elapsed().as_secs_f64()
    ));

    // The fuzz test of every endpoint (tests/tests/e2e/fuzz.rs) with many more cases than
    // `test`'s 2,000 (`TAVLA_FUZZ_CASES`).
    let fuzz = std::env::var("TAVLA_FUZZ_CASES").unwrap_or_else(|_| "30000".into());
    // It sends requests for the SPA's files too.
    if !root.join("dist/index.html").exists() {
        build_spa(root)?;
    }
    println!("xtask: fuzz test of every endpoint, {fuzz} cases");
    let out = cargo()
        .args(["test", "-p", "tavla-tests", "--test", "e2e", "--", "fuzz", "--nocapture"])
        .env("TAVLA_FUZZ_CASES", &fuzz)
        .current_dir(root)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run the fuzz test: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    if !out.status.success() {
        return Err(format!("the fuzz test failed ({}) with {fuzz} cases", out.status));
    }
    let summary =
        stdout.lines().find_map(|l| l.strip_prefix("fuzz: ")).ok_or("the fuzz test printed no summary")?;
    rows.push(format!(
        "| fuzz test: random and mutated requests to every endpoint of a running server, as each role and without a token | {summary} | no 5xx, every error with its JSON body, nothing stored by a refused request: met |"
    ));
    Ok(rows)
}

/// `cargo fmt --check`, then clippy with warnings as errors: the server, shared code, tests and
/// tools for this machine, the frontend for wasm32 (the target it is built for).
fn lint(root: &Path) -> Result {
    println!("xtask: checking formatting and lints");
    exec(cargo().args(["fmt", "--all", "--", "--check"]).current_dir(root))?;
    exec(
        cargo()
            .args([
                "clippy",
                "--workspace",
                "--exclude",
                "tavla-frontend",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root),
    )?;
    exec(
        cargo()
            .args([
                "clippy",
                "-p",
                "tavla-frontend",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root),
    )
}

fn test(root: &Path, extra: &[String]) -> Result {
    lint(root)?;
    tools::ensure_browser(root)?;
    build_spa(root)?;
    budget::check(root)?;
    println!("xtask: running every test");
    let mut cmd = cargo();
    // Every test binary runs even after one fails, so a retry below covers the whole run.
    cmd.args(["test", "--workspace", "--exclude", "tavla-frontend", "--no-fail-fast"])
        .args(extra)
        .env("TAVLA_DIST", root.join("dist"))
        .env("TAVLA_AXE", tools::axe_script(root))
        .env("PATH", tools::path())
        .current_dir(root)
        .stderr(std::process::Stdio::inherit());
    let out = cmd.output().map_err(|e| format!("cannot run cargo test: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    if out.status.success() {
        return Ok(());
    }
    // WebKitGTK's web process sometimes crashes or hangs under this machine's load ("session
    // deleted because of page crash or hang"): a browser failure, not an answer of the app's.
    // Such WebKit tests, and only they, get one more run; any other failure fails at once.
    let failed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test ").and_then(|l| l.strip_suffix(" ... FAILED")))
        .collect();
    let browser_crash = stdout.contains("page crash or hang");
    if failed.is_empty() || !browser_crash || !failed.iter().all(|t| t.contains("webkit")) {
        return Err(format!("the tests failed ({})", out.status));
    }
    println!("xtask: WebKit's page crashed or hung in {failed:?}; running those once more");
    let mut again = vec!["-p", "tavla-tests", "--test", "e2e", "--", "--exact"];
    again.extend(failed.iter().copied());
    let mut cmd = cargo();
    cmd.args(["test"])
        .args(&again)
        .env("TAVLA_DIST", root.join("dist"))
        .env("TAVLA_AXE", tools::axe_script(root))
        .env("PATH", tools::path())
        .current_dir(root);
    exec(&mut cmd)
}

/// What this machine is, for the benchmark report.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| format!("{} GiB", kb / 1024 / 1024))
        .unwrap_or_else(|| "unknown memory".into());
    format!("{cpu}, {cores} cores, {memory}")
}

/// Runs one benchmark target and returns its Markdown table rows.
fn bench_rows(root: &Path, package: &str, bench: &str) -> Result<Vec<String>> {
    println!("xtask: running {package}/{bench} (release build)");
    let out = cargo()
        .args(["bench", "--package", package, "--bench", bench])
        .env("TAVLA_DIST", root.join("dist"))
        .env("TAVLA_LIGHTHOUSE", tools::lighthouse(root))
        .env("PATH", tools::path())
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !out.status.success() {
        return Err(format!("{package}/{bench} failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(String::from)
        .collect())
}

fn bench(root: &Path) -> Result {
    tools::ensure_browser(root)?;
    tools::ensure_lighthouse(root)?;
    build_spa(root)?;
    let mut rows = vec![budget::row(root)?];
    rows.extend(bench_rows(root, "tavla-server", "sync")?);
    rows.extend(bench_rows(root, "tavla-server", "load")?);
    rows.extend(bench_rows(root, "tavla-tests", "browser")?);
    // The crash test's 1,000 cycles took about 5 minutes here: under the 10 minutes that would
    // call for a smaller count in `bench`.
    rows.extend(soak(root)?);
    let date = Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let report = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench` on {date}, on {}. Release build; a real server on a \
         loopback port with sled on disk; times are medians. Numbers move by ±20 % between runs on this shared \
         machine. Browser figures: Debian's Chromium, headless, driven over WebDriver.\n\n\
         | what | measured | target |\n|---|---|---|\n{}\n\n{}",
        machine(),
        rows.join("\n"),
        include_str!("bench_notes.md")
    );
    std::fs::write(root.join("docs/BENCHMARKS.md"), &report)
        .map_err(|e| format!("docs/BENCHMARKS.md: {e}"))?;
    print!("{report}");
    Ok(())
}
