//! The plain-HTML login in `index.html` and the app. That page is usable the moment the HTML
//! arrives (a few KB), while the wasm is fetched and compiled: a board member on a weak
//! connection logs in meanwhile. Once the wasm runs, the plain page stays the login page (the app
//! draws no second one over it, which would also move what is being typed), and the app takes
//! the session of a login made there. Written by hand because it is the app's own boot
//! sequence: no library knows it.

use leptos::prelude::*;

use crate::session::SessionState;

/// True while the plain login is on screen (not logged in when the page loaded).
pub fn plain_login_shown() -> bool {
    document().get_element_by_id("boot-login").is_some_and(|l| !l.has_attribute("hidden"))
}

/// Removes the plain page and its script.
fn remove() {
    for id in ["boot", "boot-script"] {
        if let Some(e) = document().get_element_by_id(id) {
            e.remove();
        }
    }
}

/// Once the app has drawn its first page: the plain page goes, unless it is the login page in
/// use ("Laddar Tavla …" and the error line go at once).
pub fn hand_over() {
    if !plain_login_shown() {
        remove();
    }
}

/// A login made in the plain page: the app takes its session (its own login page then leads
/// on to the page asked for), and the plain page goes.
pub fn follow_plain_login(session: SessionState) {
    let take = move || {
        if session.0.with_untracked(Option::is_none) {
            // From localStorage, or, where it cannot be written (blocked, full), from the page.
            let handed = js_sys::Reflect::get(&window(), &"__tavlaBootSession".into())
                .ok()
                .and_then(|v| v.as_string())
                .and_then(|t| serde_json::from_str(&t).ok());
            if let Some(s) = SessionState::restore().0.get_untracked().or(handed) {
                session.set(s);
            }
        }
        let _ = js_sys::Reflect::delete_property(&window(), &"__tavlaBootSession".into());
        remove();
    };
    // A login that ended before the app started listening (it starts a task after the wasm,
    // which in a background tab can be a second later) is taken now.
    if js_sys::Reflect::has(&window(), &"__tavlaBootSession".into()).unwrap_or(false) {
        take();
    }
    let _ = window_event_listener_untyped("tavla-boot-login", move |_| take());
}

/// Leaves a `performance` mark named `name`: the start-up benchmarks and anyone's dev tools
/// read where the first seconds go.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
