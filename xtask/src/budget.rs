//! The SPA's size budget: the gzip size of its wasm and JS must stay under the number in
//! `frontend/size-budget.txt`, because board members load it over slow mobile links.

use std::path::Path;

use crate::compress::gzip;
use crate::Result;

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    Ok(gzip(bytes)?.len())
}

/// Reads the budget: the first line that is a number, in KB (1,000 bytes).
fn budget_kb(root: &Path) -> Result<usize> {
    let text = std::fs::read_to_string(root.join("frontend/size-budget.txt"))
        .map_err(|e| format!("frontend/size-budget.txt: {e}"))?;
    text.lines()
        .map(str::trim)
        .find_map(|l| l.parse().ok())
        .ok_or_else(|| "frontend/size-budget.txt holds no number".to_string())
}

/// Fails when the built SPA in `dist/` is over budget; prints the measured sizes either way.
pub fn check(root: &Path) -> Result {
    let (mut wasm, mut js, mut brotli) = (0, 0, 0);
    let dir = std::fs::read_dir(root.join("dist")).map_err(|e| format!("dist/: {e}"))?;
    for entry in dir {
        let path = entry.map_err(|e| e.to_string())?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if ext == "wasm" || ext == "js" {
            let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
            brotli += crate::compress::brotli(&bytes)?.len();
            let n = gzip_len(&bytes)?;
            if ext == "wasm" {
                wasm += n
            } else {
                js += n
            }
        }
    }
    let total = wasm + js;
    let budget = budget_kb(root)? * 1000;
    println!(
        "xtask: SPA size (gzip -9): wasm {:.1} KB + JS {:.1} KB = {:.1} KB; budget {} KB; as sent (brotli 11): {:.1} KB",
        wasm as f64 / 1000.0,
        js as f64 / 1000.0,
        total as f64 / 1000.0,
        budget / 1000,
        brotli as f64 / 1000.0
    );
    if wasm == 0 {
        return Err("dist/ holds no wasm: did the SPA build?".into());
    }
    if total > budget {
        return Err(format!("the SPA is over its size budget: {total} > {budget} bytes (gzip)"));
    }
    Ok(())
}
