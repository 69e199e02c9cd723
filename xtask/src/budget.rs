//! The SPA's size budgets (`frontend/size-budget.txt`), because board members load it over slow
//! mobile links:
//! - `login`: what the login page needs before a person can use it, as sent (brotli, the level
//!   the build uses): `index.html` with its plain login and inline script, and the CSS. The
//!   wasm and its JS loader are not needed to log in: they load while the person types.
//! - `total`: every part of the app (wasm + JS), gzip -9, as measured since the first budget.

use std::path::Path;

use crate::compress::gzip;
use crate::Result;

/// The budgets in bytes: (login, total).
fn budgets(root: &Path) -> Result<(usize, usize)> {
    let text = std::fs::read_to_string(root.join("frontend/size-budget.txt"))
        .map_err(|e| format!("frontend/size-budget.txt: {e}"))?;
    let find = |key: &str| {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix(key))
            .find_map(|rest| rest.trim().parse::<usize>().ok())
            .map(|kb| kb * 1000)
            .ok_or_else(|| format!("frontend/size-budget.txt has no line `{key} <KB>`"))
    };
    Ok((find("login")?, find("total")?))
}

/// The size of `path`'s brotli copy, written by the build.
fn brotli_len(path: &Path) -> Result<usize> {
    let mut name = path.as_os_str().to_owned();
    name.push(".br");
    std::fs::metadata(&name)
        .map(|m| m.len() as usize)
        .map_err(|e| format!("{}: {e} (the build writes it)", Path::new(&name).display()))
}

/// The benchmark report's row for the download.
pub fn row(root: &Path) -> Result<String> {
    let s = measure(root)?;
    let (login_budget, _) = budgets(root)?;
    Ok(format!(
        "| SPA download: what the login page needs (HTML + CSS), and all parts (wasm + JS + HTML + CSS), brotli as sent | to log in {:.1} KB; all parts {:.1} KB | login under {} KB: {} |",
        s.login as f64 / 1000.0,
        s.all as f64 / 1000.0,
        login_budget / 1000,
        if s.login <= login_budget { "met" } else { "NOT met" }
    ))
}

/// The built SPA's sizes in bytes.
struct Sizes {
    /// wasm and JS, gzip -9.
    wasm: usize,
    js: usize,
    /// HTML and CSS, brotli (the copies the build wrote).
    login: usize,
    /// Everything, brotli.
    all: usize,
}

fn measure(root: &Path) -> Result<Sizes> {
    let (mut wasm, mut js) = (0, 0);
    let (mut login, mut all) = (0, 0);
    let dist = root.join("dist");
    for entry in std::fs::read_dir(&dist).map_err(|e| format!("dist/: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        match ext {
            "wasm" | "js" => {
                let n = gzip(&std::fs::read(&path).map_err(|e| e.to_string())?)?.len();
                if ext == "wasm" {
                    wasm += n
                } else {
                    js += n
                }
                all += brotli_len(&path)?;
            }
            "html" | "css" => {
                let n = brotli_len(&path)?;
                login += n;
                all += n;
            }
            _ => {}
        }
    }
    Ok(Sizes { wasm, js, login, all })
}

/// Fails when the built SPA in `dist/` is over a budget; prints the measured sizes either way.
pub fn check(root: &Path) -> Result {
    let Sizes { wasm, js, login, all } = measure(root)?;
    let (login_budget, total_budget) = budgets(root)?;
    let total = wasm + js;
    let kb = |n: usize| n as f64 / 1000.0;
    println!(
        "xtask: SPA size: to log in (HTML + CSS, brotli) {:.1} KB, budget {} KB; all parts as sent (brotli) {:.1} KB; wasm {:.1} KB + JS {:.1} KB = {:.1} KB gzip, budget {} KB",
        kb(login),
        login_budget / 1000,
        kb(all),
        kb(wasm),
        kb(js),
        kb(total),
        total_budget / 1000
    );
    if wasm == 0 {
        return Err("dist/ holds no wasm: did the SPA build?".into());
    }
    if login > login_budget {
        return Err(format!(
            "the login page is over its size budget: {login} > {login_budget} bytes (brotli)"
        ));
    }
    if total > total_budget {
        return Err(format!("the SPA is over its size budget: {total} > {total_budget} bytes (gzip)"));
    }
    Ok(())
}
