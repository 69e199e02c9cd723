//! Installing the tools the build needs, each only when missing or of the wrong version.
//! Versions come from the repository (rust-toolchain.toml, Cargo.lock, Trunk.toml), so there is
//! one place to change each. See ../shared/TOOLCHAIN.md for why these and not Trunk's downloads.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{exec, Result};

const TRUNK_VERSION: &str = "0.21.14";
/// binaryen's npm package carries a working wasm-opt; Trunk.toml pins the same version.
const BINARYEN_VERSION: &str = "132";
/// Deque's axe-core, the accessibility rules the browser tests run on every page.
const AXE_VERSION: &str = "4.10.3";

/// Cargo's bin directory, where `cargo install` puts tools.
fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// PATH with cargo's bin first, so freshly installed tools are found by us and by Trunk.
pub fn path() -> OsString {
    let mut dirs = vec![cargo_bin()];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// The full path of a tool in cargo's bin, or its bare name to be looked up in PATH.
pub fn bin(name: &str) -> PathBuf {
    let p = cargo_bin().join(name);
    if p.exists() {
        p
    } else {
        PathBuf::from(name)
    }
}

/// The first line a tool prints for `--version`, if it runs at all.
fn version_of(program: &Path, arg: &str) -> Option<String> {
    let out = Command::new(program).arg(arg).env("PATH", path()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").to_string())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn apt_install(packages: &[&str]) -> Result {
    if !(is_root() && Path::new("/usr/bin/apt-get").exists()) {
        return Err(format!("please install these packages and run again: {}", packages.join(" ")));
    }
    println!("xtask: installing {} with apt-get", packages.join(" "));
    exec(Command::new("apt-get").args(["update", "-qq"]))?;
    exec(
        Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn cargo_install(args: &[&str]) -> Result {
    println!("xtask: cargo install {} (once; takes minutes on 2 cores)", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    exec(Command::new(cargo).arg("install").args(args))
}

/// The version of a package in Cargo.lock.
fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{package} is not in Cargo.lock"))? + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")? + start;
    Ok(lock[start..end].to_string())
}

/// Everything `trunk build` needs: the wasm target, Trunk, wasm-bindgen, wasm-opt.
pub fn ensure_spa_tools(root: &Path) -> Result {
    let targets = Command::new("rustup").args(["target", "list", "--installed"]).current_dir(root).output();
    let has_wasm =
        targets.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"));
    if !has_wasm {
        exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]).current_dir(root))?;
    }

    if !version_of(&bin("trunk"), "--version").is_some_and(|v| v.contains(TRUNK_VERSION)) {
        cargo_install(&["trunk", "--version", TRUNK_VERSION, "--locked"])?;
    }

    let wb = locked_version(root, "wasm-bindgen")?;
    let trunk_toml =
        std::fs::read_to_string(root.join("Trunk.toml")).map_err(|e| format!("Trunk.toml: {e}"))?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{wb}\"")) {
        return Err(format!("Trunk.toml must pin wasm_bindgen = \"{wb}\", the version in Cargo.lock"));
    }
    if !version_of(&bin("wasm-bindgen"), "--version").is_some_and(|v| v.ends_with(&format!(" {wb}"))) {
        // Without --locked: with it, one pinned dependency of this release is missing upstream.
        cargo_install(&["wasm-bindgen-cli", "--version", &wb])?;
    }

    let wasm_opt_ok = version_of(Path::new("wasm-opt"), "--version")
        .is_some_and(|v| v.contains(&format!("version {BINARYEN_VERSION}")));
    if !wasm_opt_ok {
        if version_of(Path::new("npm"), "--version").is_none() {
            apt_install(&["npm"])?;
        }
        println!("xtask: installing wasm-opt (npm binaryen@{BINARYEN_VERSION})");
        exec(Command::new("npm").args(["install", "-g", &format!("binaryen@{BINARYEN_VERSION}")]))?;
    }
    Ok(())
}

/// Chromium and its WebDriver for the browser tests, WebKitGTK's WebDriver and a virtual X
/// display for the tests in Safari's engine (Debian's packages), and axe-core (npm) for the
/// accessibility checks.
pub fn ensure_browser(root: &Path) -> Result {
    let have = |p: &str| version_of(Path::new(p), "--version").is_some();
    if !(have("chromium") && have("chromedriver")) {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    let on_path = |p: &str| {
        std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(p).is_file()))
    };
    if !(on_path("WebKitWebDriver") && on_path("xvfb-run")) {
        apt_install(&["webkit2gtk-driver", "xvfb", "xauth"])?;
    }
    let package = root.join("target/axe/node_modules/axe-core/package.json");
    let installed = std::fs::read_to_string(&package)
        .is_ok_and(|p| p.contains(&format!("\"version\": \"{AXE_VERSION}\"")));
    if !installed {
        if version_of(Path::new("npm"), "--version").is_none() {
            apt_install(&["npm"])?;
        }
        println!("xtask: installing axe-core {AXE_VERSION} (npm) into target/axe");
        let prefix = root.join("target/axe");
        exec(
            Command::new("npm")
                .arg("install")
                .arg("--prefix")
                .arg(&prefix)
                .arg(format!("axe-core@{AXE_VERSION}")),
        )?;
    }
    Ok(())
}

/// Lighthouse (npm), for `cargo xtask bench`: the first-load scores of the login page.
const LIGHTHOUSE_VERSION: &str = "12.2.3";

/// Installs Lighthouse into `target/lighthouse` when missing; returns its command.
pub fn ensure_lighthouse(root: &Path) -> Result<PathBuf> {
    let prefix = root.join("target/lighthouse");
    let package = prefix.join("node_modules/lighthouse/package.json");
    let installed = std::fs::read_to_string(&package)
        .is_ok_and(|p| p.contains(&format!("\"version\": \"{LIGHTHOUSE_VERSION}\"")));
    if !installed {
        if version_of(Path::new("npm"), "--version").is_none() {
            apt_install(&["npm"])?;
        }
        println!("xtask: installing Lighthouse {LIGHTHOUSE_VERSION} (npm) into target/lighthouse");
        exec(
            Command::new("npm")
                .arg("install")
                .arg("--prefix")
                .arg(&prefix)
                .arg(format!("lighthouse@{LIGHTHOUSE_VERSION}")),
        )?;
    }
    Ok(lighthouse(root))
}

/// Lighthouse's command, as `ensure_lighthouse` installs it.
pub fn lighthouse(root: &Path) -> PathBuf {
    root.join("target/lighthouse/node_modules/.bin/lighthouse")
}

/// axe-core's script, as the browser tests inject it.
pub fn axe_script(root: &Path) -> PathBuf {
    root.join("target/axe/node_modules/axe-core/axe.min.js")
}
