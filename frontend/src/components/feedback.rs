//! The one-line answer under a form: "Sparat på enheten." or what is wrong, announced politely
//! to screen readers and coloured (with words, never colour alone) by whether it is an error.

use leptos::prelude::*;

/// A form's answer; `Copy`, so handlers can share it.
#[derive(Clone, Copy)]
pub struct Feedback(RwSignal<Option<(bool, String)>>);

impl Default for Feedback {
    fn default() -> Self {
        Feedback::new()
    }
}

impl Feedback {
    pub fn new() -> Feedback {
        Feedback(RwSignal::new(None))
    }

    pub fn ok(self, text: impl Into<String>) {
        self.0.set(Some((false, text.into())));
    }

    pub fn error(self, text: impl Into<String>) {
        self.0.set(Some((true, text.into())));
    }

    /// The line itself, placed where the form wants it.
    pub fn view(self) -> impl IntoView {
        let class = move || match self.0.with(|m| m.as_ref().map(|(e, _)| *e)) {
            Some(true) => "form-message error",
            _ => "form-message",
        };
        view! { <p class=class role="status" aria-live="polite">{move || self.0.with(|m| m.as_ref().map(|(_, t)| t.clone()))}</p> }
    }
}
