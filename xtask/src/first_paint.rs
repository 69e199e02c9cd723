//! Lets the page paint before the wasm download starts. Trunk's `index.html` preloads the wasm
//! in its head and starts it in a module script; on a phone's link the 400 KB download then
//! competes with the page itself, and Lighthouse counts it against the largest paint even though
//! the plain login needs none of it. This rewrites Trunk's output (Trunk has no setting for it):
//! the wasm `preload` link goes, and the loader waits for the first frame before `init`.

use std::path::Path;

use crate::Result;

/// What the loader waits for before fetching the wasm: the first frame (the page has painted),
/// or 200 ms in a tab in the background (where frames wait until it is shown).
const AFTER_PAINT: &str = "await new Promise((r) => { requestAnimationFrame(() => setTimeout(r)); setTimeout(r, 200); });\nconst wasm = await init(";

/// Rewrites `dist/index.html` in place; fails if Trunk's output no longer looks as expected
/// (a Trunk upgrade), rather than silently doing nothing.
pub fn defer_wasm(dist: &Path) -> Result {
    let path = dist.join("index.html");
    let html = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let Some(at) = html.find("const wasm = await init(") else {
        return Err("dist/index.html: Trunk's loader (`const wasm = await init(`) not found".into());
    };
    let mut out = format!("{}{}{}", &html[..at], AFTER_PAINT, &html[at + "const wasm = await init(".len()..]);
    // `<link rel="preload" href="/…_bg.wasm" … >`
    let Some(start) = out.find(r#"<link rel="preload" href=""#).filter(|s| out[*s..].contains("_bg.wasm"))
    else {
        return Err("dist/index.html: Trunk's wasm preload link not found".into());
    };
    let end =
        out[start..].find('>').map(|e| start + e + 1).ok_or("dist/index.html: unterminated preload link")?;
    if !out[start..end].contains("_bg.wasm") {
        return Err("dist/index.html: the preload link is not the wasm's".into());
    }
    out.replace_range(start..end, "");
    std::fs::write(&path, out).map_err(|e| format!("{}: {e}", path.display()))
}
