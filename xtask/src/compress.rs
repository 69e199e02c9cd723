//! Precompressed copies of the built SPA: `name.br` (brotli, quality 11) and `name.gz` (gzip -9)
//! beside each text or wasm file in `dist/`. The server sends the copy the browser accepts
//! (tower-http's `ServeDir` precompressed support), so it never compresses a static file per
//! request, and brotli at its highest level costs build time once instead of CPU per visit.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::Result;

/// The kinds of file worth compressing (images are compressed already).
const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "html", "json", "webmanifest", "svg", "txt"];

/// Brotli at its highest quality, with the window its reference encoder uses for big files.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}

/// Writes the `.br` and `.gz` copies for every compressible file under `dir`.
pub fn precompress(dir: &Path) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (suffix, packed) in [("br", brotli(&bytes)?), ("gz", gzip(&bytes)?)] {
            let mut name = path.as_os_str().to_owned();
            name.push(".");
            name.push(suffix);
            // Written whole, then renamed: a request while the build runs never gets half.
            let mut partial = name.clone();
            partial.push(".part");
            std::fs::write(&partial, packed)
                .map_err(|e| format!("{}: {e}", Path::new(&partial).display()))?;
            std::fs::rename(&partial, &name).map_err(|e| format!("{}: {e}", Path::new(&name).display()))?;
        }
    }
    Ok(())
}
