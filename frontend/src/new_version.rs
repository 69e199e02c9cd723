//! A new build noticed while a page runs the old one: the service worker of the new build takes
//! over at once (it caches every file of its build, so any page opens offline), and the page
//! offers "Ny version finns – ladda om". It never reloads by itself: a form may hold text, and
//! the person decides. Reloading loses nothing: waiting edits live in IndexedDB.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// True once a new build has taken over while this page runs the old one.
#[derive(Clone, Copy)]
pub struct NewVersion(pub RwSignal<bool>);

/// The browser's service workers, where it has them (https or localhost).
fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // `navigator.serviceWorker` is missing on plain http (not localhost): calling into it would throw.
    js_sys::Reflect::has(&navigator, &"serviceWorker".into())
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

impl NewVersion {
    /// Registers the service worker, and watches for a new build: on every change of the
    /// worker in charge, and by asking for one every minute and whenever the device comes
    /// online (browsers ask only when a page loads, which a single-page app rarely does).
    pub fn provide() {
        let flag = RwSignal::new(false);
        provide_context(NewVersion(flag));
        let Some(sw) = container() else { return };
        // Offline, registering fails; the next load tries again (never an unhandled failure).
        settle(sw.register("/sw.js"));
        // The first worker taking over a page that had none (the first visit) is no new build.
        // A later one is offered only if its build is not the one this page runs (a page may
        // have loaded the new build from the network just before its worker took over).
        let controlled = std::cell::Cell::new(sw.controller().is_some());
        let on_change = Closure::<dyn Fn()>::new(move || {
            if controlled.replace(true) {
                leptos::task::spawn_local(async move {
                    if !runs_current_build().await {
                        flag.set(true);
                    }
                });
            }
        });
        sw.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
        // Lives as long as the page.
        on_change.forget();
        set_interval(Self::look, Duration::from_secs(60));
        let _ = window_event_listener(leptos::ev::online, |_| Self::look());
    }

    /// Asks the browser to fetch `/sw.js` now and install it if it changed.
    pub fn look() {
        let Some(sw) = container() else { return };
        let registration = sw.get_registration();
        leptos::task::spawn_local(async move {
            if let Ok(found) = wasm_bindgen_futures::JsFuture::from(registration).await {
                if let Ok(registration) = found.dyn_into::<web_sys::ServiceWorkerRegistration>() {
                    // Offline, the fetch fails: nothing to do until the next try.
                    if let Ok(promise) = registration.update() {
                        settle(promise);
                    }
                }
            }
        });
    }
}

/// Waits for a promise and drops its outcome: a failure is expected (offline) and must not be
/// reported as unhandled.
fn settle(promise: js_sys::Promise) {
    leptos::task::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

/// The file name of this page's build (Trunk's content-hashed loader, named in the page's head).
fn running_build() -> Option<String> {
    let link = document().query_selector("link[rel=modulepreload]").ok().flatten()?;
    let href = link.get_attribute("href")?;
    Some(href.rsplit('/').next()?.to_string())
}

/// True when the build served now (through the new worker) is the one this page runs.
async fn runs_current_build() -> bool {
    let Some(mine) = running_build() else { return false };
    let Ok(response) = gloo_net::http::Request::get("/").send().await else { return false };
    response.text().await.is_ok_and(|html| html.contains(&mine))
}

pub fn use_new_version() -> NewVersion {
    expect_context::<NewVersion>()
}
