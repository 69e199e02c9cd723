//! Helpers shared by the end-to-end tests (`tests/e2e/`) and the browser benchmarks
//! (`benches/browser.rs`): starting a server, calling its API, driving Chromium.

pub mod helpers;
