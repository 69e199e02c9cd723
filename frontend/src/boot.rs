//! Taking over from the plain-HTML login in `index.html`. That page is usable the moment the
//! HTML arrives (a few KB), while the wasm is fetched and compiled: a board member on a weak
//! connection types their name and password meanwhile, and may even log in before the app
//! starts. Written by hand because it is the app's own boot sequence: no library knows it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::session::SessionState;

/// What was typed into the plain login before the app started, for the app's login page.
#[derive(Clone, Default)]
pub struct Typed {
    pub username: String,
    pub password: String,
}

fn input(id: &str) -> Option<web_sys::HtmlInputElement> {
    document().get_element_by_id(id)?.dyn_into::<web_sys::HtmlInputElement>().ok()
}

thread_local! {
    /// The plain login's fields as they were when it was removed: the app's login page may be
    /// drawn a moment later (after the redirect from `/`).
    static LEFT: std::cell::RefCell<Option<Typed>> = const { std::cell::RefCell::new(None) };
}

/// The plain login's fields as they stand (or stood when it was removed); None when it was
/// never shown.
pub fn typed() -> Option<Typed> {
    if let (Some(username), Some(password)) = (input("boot-username"), input("boot-password")) {
        return Some(Typed { username: username.value(), password: password.value() });
    }
    LEFT.with(|l| l.borrow_mut().take())
}

/// Removes the plain page once the app has drawn its own, and puts the keyboard focus in the
/// app's field where it was in the plain one, the caret at the end of what was typed.
pub fn hand_over() {
    let Some(boot) = document().get_element_by_id("boot") else { return };
    let focused = document().active_element().map(|e| e.id()).unwrap_or_default();
    let shown = document().get_element_by_id("boot-login").is_some_and(|l| !l.has_attribute("hidden"));
    if shown {
        LEFT.with(|l| *l.borrow_mut() = typed());
    }
    boot.remove();
    if let Some(script) = document().get_element_by_id("boot-script") {
        script.remove();
    }
    let target = match focused.as_str() {
        "boot-username" => "username",
        "boot-password" => "password",
        _ => return,
    };
    focus_when_drawn(target, 20);
}

/// Focuses the app's field `id` once it is drawn (the login page may come a few frames later,
/// after the redirect from `/`), the caret at the end of what was typed.
fn focus_when_drawn(id: &'static str, tries: u32) {
    request_animation_frame(move || match input(id) {
        Some(field) => {
            let _ = field.focus();
            let end = field.value().encode_utf16().count() as u32;
            let _ = field.set_selection_range(end, end);
        }
        None if tries > 0 => focus_when_drawn(id, tries - 1),
        None => {}
    });
}

/// A login made in the plain page while the app was starting: take its session.
pub fn follow_plain_login(session: SessionState) {
    let _ = window_event_listener_untyped("tavla-boot-login", move |_| {
        if session.0.with_untracked(Option::is_none) {
            let restored = SessionState::restore();
            if let Some(s) = restored.0.get_untracked() {
                session.set(s);
            }
        }
    });
}
