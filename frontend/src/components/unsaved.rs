//! Leaving a form with unsaved changes asks first: closing or reloading the tab (the browser's
//! own question) and following a link inside the app (ours, since the router handles those
//! clicks itself and has no hook to refuse one).

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// While `dirty()` is true, asks `question` before a link inside the app leaves the page, and
/// lets the browser ask before the tab closes or reloads. Removed when the form goes.
pub fn guard_unsaved(dirty: impl Fn() -> bool + Clone + 'static, question: &'static str) {
    let Some(window) = web_sys::window() else { return };
    let is_dirty = dirty.clone();
    let on_unload =
        Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(move |ev: web_sys::BeforeUnloadEvent| {
            if is_dirty() {
                ev.prevent_default();
                ev.set_return_value(question);
            }
        });
    // Captured before the router's own listener sees the click.
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        if link.is_none() || !dirty() {
            return;
        }
        let leave = web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(true);
        if !leave {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    let _ = window.add_event_listener_with_callback("beforeunload", on_unload.as_ref().unchecked_ref());
    let _ =
        window.add_event_listener_with_callback_and_bool("click", on_click.as_ref().unchecked_ref(), true);
    // wasm runs in one thread: the wrapper only satisfies `on_cleanup`'s `Send` bound.
    let (unload, click) = (SendWrapper::new(on_unload), SendWrapper::new(on_click));
    on_cleanup(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback("beforeunload", unload.as_ref().unchecked_ref());
            let _ =
                w.remove_event_listener_with_callback_and_bool("click", click.as_ref().unchecked_ref(), true);
        }
    });
}
