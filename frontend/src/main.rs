//! Tavla's single-page app: Leptos, rendered in the browser, built with Trunk.
//!
//! Code map: `app` (routes and the providers), `paths` (the app's addresses), `locale` (Swedish first, and remembering the
//! chosen language), `i18n` (generated from `locales/*.json` by
//! leptos_i18n: every user-facing string goes through it), `api` (the HTTP client and its error
//! enum), `session` (who is logged in, kept across reloads), `store/` (IndexedDB and the sync engine), `pages/` (one module per screen), `components/` (pieces shared by pages).

mod api;
mod app;
mod boot;
mod components;
mod locale;
mod new_version;
mod pages;
mod paths;
mod session;
mod store;

// The macro form reads `[package.metadata.leptos-i18n]` in Cargo.toml. Its replacement, a build.rs
// with leptos_i18n_build, pulls in ICU's data-export crates: minutes more per clean build on our
// 2-core machines for nothing we use yet. Revisit when plurals or number formats are needed.
#[allow(deprecated)]
mod i18n_gen {
    leptos_i18n::load_locales!();
}
use i18n_gen::i18n;

fn main() {
    // A panic is logged, and left where a browser test can find it (`window.__tavlaPanic`):
    // a hostile record must never be able to stop the app.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(w) = web_sys::window() {
            let _ = js_sys::Reflect::set(&w, &"__tavlaPanic".into(), &info.to_string().into());
        }
    }));
    // The app starts in a task of its own, after the one that compiled the wasm, and draws its
    // pages in the next (`app::App`): a phone's main thread is never blocked long enough to
    // miss a tap (Lighthouse's blocking time went from about 300 to under 100 ms).
    leptos::prelude::set_timeout(
        || {
            boot::mark("tavla-main");
            leptos::mount::mount_to_body(app::App);
            boot::mark("tavla-mounted");
        },
        std::time::Duration::ZERO,
    );
}
