//! `GET /sw.js`: the service worker, with the current build's file list and a build id filled
//! in. Trunk names assets by content hash but cannot write them into a service worker; the
//! server can, because it serves that very directory.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::error::AppError;
use crate::state::AppState;

const TEMPLATE: &str = include_str!("../sw.js");

/// The script for the SPA in `dist`: every file of the build (subdirectories too), and an id
/// that changes with it: with any file name, and with the content of the files whose names do
/// not carry a content hash (`index.html`, the manifest, the icons).
pub fn script(dist: &Path) -> Result<String, AppError> {
    if !dist.join("index.html").is_file() {
        return Err(AppError::NotFound("the app is not built; run `cargo xtask build`"));
    }
    let mut files = Vec::new();
    collect(dist, "", &mut files)?;
    files.sort();
    let mut hasher = DefaultHasher::new();
    for name in &files {
        name.hash(&mut hasher);
        if !crate::app::is_content_hashed(name) {
            std::fs::read(dist.join(name.trim_start_matches('/'))).unwrap_or_default().hash(&mut hasher);
        }
    }
    let list = serde_json::to_string(&files).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(TEMPLATE.replace("__BUILD__", &format!("{:016x}", hasher.finish())).replace("__ASSETS__", &list))
}

/// The URL paths of the files under `dir` (`prefix` is its path below `dist`). The
/// precompressed copies are the same files to the browser, and the worker is not its own asset.
fn collect(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), AppError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| AppError::Internal(format!("reading {}: {e}", dir.display())))?;
    for entry in entries.filter_map(|e| e.ok()) {
        let Ok(name) = entry.file_name().into_string() else { continue };
        let path = format!("{prefix}/{name}");
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(&entry.path(), &path, out)?,
            Ok(t) if t.is_file() && name != "sw.js" && !name.ends_with(".br") && !name.ends_with(".gz") => {
                out.push(path)
            }
            _ => {}
        }
    }
    Ok(())
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
        let write = |name: &str, text: &str| std::fs::write(dist.path().join(name), text).unwrap();
        std::fs::create_dir(dist.path().join("icons")).unwrap();
        write("index.html", "<html>v1</html>");
        write("index.html.br", "compressed");
        write("app-1111222233334444_bg.wasm", "wasm");
        write("app-1111222233334444_bg.wasm.gz", "compressed");
        write("style-aaaabbbbccccdddd.css", "css");
        write("manifest.webmanifest", "{}");
        write("icons/icon-192.png", "png");
        let first = script(dist.path()).unwrap();
        let listed = r#"["/app-1111222233334444_bg.wasm","/icons/icon-192.png","/index.html","/manifest.webmanifest","/style-aaaabbbbccccdddd.css"]"#;
        assert!(first.contains(listed), "every file once, compressed copies left out: {first}");
        assert!(!first.contains("__BUILD__") && !first.contains("__ASSETS__"));
        assert_eq!(build_id(&first), build_id(&script(dist.path()).unwrap()), "same build, same cache");

        // A new build: new file names and index.html, so a new cache replaces the old one.
        std::fs::remove_file(dist.path().join("app-1111222233334444_bg.wasm")).unwrap();
        write("app-5555666677778888_bg.wasm", "wasm2");
        write("index.html", "<html>v2</html>");
        let second = script(dist.path()).unwrap();
        assert_ne!(build_id(&first), build_id(&second));
        assert!(
            second.contains("/app-5555666677778888_bg.wasm")
                && !second.contains("/app-1111222233334444_bg.wasm")
        );
        // A file without a hash in its name (an icon) counts by its content.
        write("icons/icon-192.png", "a new png");
        assert_ne!(build_id(&second), build_id(&script(dist.path()).unwrap()));
    }

    #[test]
    fn content_hashed_names_are_told_apart() {
        use crate::app::is_content_hashed;
        assert!(is_content_hashed("/tavla-frontend-809cd75da25720b_bg.wasm"));
        assert!(is_content_hashed("/tavla-frontend-576f68205ace86a1.js"));
        assert!(is_content_hashed("/style-9018ac0bf8a2c0bf.css"));
        assert!(!is_content_hashed("/icons/icon-512.png"));
        assert!(!is_content_hashed("/icons/icon-maskable-512.png"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/manifest.webmanifest"));
        assert!(!is_content_hashed("/mal/1"));
        assert!(!is_content_hashed("/aktivitet/0f6c5b9e-1d2c-4c1b-9a7e-2b1c3d4e5f60"));
    }

    #[test]
    fn without_a_build_it_says_how_to_make_one() {
        let dist = tempfile::tempdir().unwrap();
        let err = script(dist.path()).unwrap_err().to_string();
        assert!(err.contains("cargo xtask build"), "{err}");
    }
}
