//! `GET /sw.js`: the service worker, with the current build's file list and a build id filled
//! in. Trunk names assets by content hash but cannot write them into a service worker; the
//! server can, because it serves that very directory.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::app::AppState;
use crate::error::AppError;

const TEMPLATE: &str = include_str!("../sw.js");

/// The script for the SPA in `dist`: every file of the build, and an id that changes with it.
pub fn script(dist: &Path) -> Result<String, AppError> {
    let index = std::fs::read(dist.join("index.html"))
        .map_err(|_| AppError::NotFound("the app is not built; run `cargo xtask build`"))?;
    let mut assets = vec!["/index.html".to_string()];
    let mut names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| AppError::Internal(format!("reading {}: {e}", dist.display())))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n != "index.html" && n != "sw.js")
        .collect();
    names.sort();
    let mut hasher = DefaultHasher::new();
    index.hash(&mut hasher);
    names.hash(&mut hasher);
    assets.extend(names.into_iter().map(|n| format!("/{n}")));
    let list = serde_json::to_string(&assets).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(TEMPLATE.replace("__BUILD__", &format!("{:016x}", hasher.finish())).replace("__ASSETS__", &list))
}

/// Serves the service worker; `no-cache` so browsers check for a new build on every visit.
pub async fn service_worker(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let body = script(&state.dist)?;
    Ok((
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build_id(script: &str) -> String {
        script.lines().find(|l| l.starts_with("const BUILD")).unwrap_or_default().to_string()
    }

    #[test]
    fn lists_the_build_and_changes_with_it() {
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(dist.path().join("index.html"), "<html>v1</html>").unwrap();
        std::fs::write(dist.path().join("app-1111_bg.wasm"), "wasm").unwrap();
        std::fs::write(dist.path().join("style-aaaa.css"), "css").unwrap();
        let first = script(dist.path()).unwrap();
        assert!(first.contains(r#"["/index.html","/app-1111_bg.wasm","/style-aaaa.css"]"#), "{first}");
        assert!(!first.contains("__BUILD__") && !first.contains("__ASSETS__"));
        assert_eq!(build_id(&first), build_id(&script(dist.path()).unwrap()), "same build, same cache");

        // A new build: new file names and index.html, so a new cache replaces the old one.
        std::fs::remove_file(dist.path().join("app-1111_bg.wasm")).unwrap();
        std::fs::write(dist.path().join("app-2222_bg.wasm"), "wasm2").unwrap();
        std::fs::write(dist.path().join("index.html"), "<html>v2</html>").unwrap();
        let second = script(dist.path()).unwrap();
        assert_ne!(build_id(&first), build_id(&second));
        assert!(second.contains("/app-2222_bg.wasm") && !second.contains("/app-1111_bg.wasm"));
    }

    #[test]
    fn without_a_build_it_says_how_to_make_one() {
        let dist = tempfile::tempdir().unwrap();
        let err = script(dist.path()).unwrap_err().to_string();
        assert!(err.contains("cargo xtask build"), "{err}");
    }
}
