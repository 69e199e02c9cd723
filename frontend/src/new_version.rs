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
        let _ = sw.register("/sw.js");
        // The first worker taking over a page that had none (the first visit) is no new build;
        // every later change of worker is.
        let controlled = std::cell::Cell::new(sw.controller().is_some());
        let on_change = Closure::<dyn Fn()>::new(move || {
            if controlled.replace(true) {
                flag.set(true);
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
                    let _ = registration.update();
                }
            }
        });
    }
}

pub fn use_new_version() -> NewVersion {
    expect_context::<NewVersion>()
}
