//! Security headers on every response: a Content-Security-Policy that lets the wasm app run and
//! nothing else, and the usual hardening headers (DESIGN.md; OWASP's secure headers).

use std::path::Path;

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// The hashes (`'sha256-…'`) of the inline scripts in the built `index.html`: Trunk's loader is
/// inline, and hashing it lets exactly that script run without allowing inline scripts at all.
pub fn inline_script_hashes(dist: &Path) -> Vec<String> {
    let Ok(html) = std::fs::read_to_string(dist.join("index.html")) else { return Vec::new() };
    let mut hashes = Vec::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else { break };
        let body = &after[body_start..body_start + close];
        if !tag.contains(" src=") && !body.is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        rest = &after[body_start + close..];
    }
    hashes
}

/// The policy for the SPA built in `dist`.
pub fn content_security_policy(dist: &Path) -> String {
    let scripts = inline_script_hashes(dist).join(" ");
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Adds the headers to every response of `router`. `behind_tls` adds HSTS, which only makes
/// sense when the server is reached over https (through a proxy that terminates TLS).
pub fn with_headers(router: Router, dist: &Path, behind_tls: bool) -> Router {
    let csp = HeaderValue::from_str(&content_security_policy(dist))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    let mut router = router
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")));
    if behind_tls {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts_exactly() {
        let dist = tempfile::tempdir().unwrap();
        let html = "<html><head><script type=\"module\">\nimport init from '/a.js';\n</script>\
                    <script src=\"/b.js\"></script></head></html>";
        std::fs::write(dist.path().join("index.html"), html).unwrap();
        let hashes = inline_script_hashes(dist.path());
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"\nimport init from '/a.js';\n"));
        assert_eq!(hashes, vec![format!("'sha256-{expected}'")]);
        let csp = content_security_policy(dist.path());
        assert!(
            csp.contains("'wasm-unsafe-eval'")
                && csp.contains("object-src 'none'")
                && !csp.contains("unsafe-inline")
        );
    }
}
