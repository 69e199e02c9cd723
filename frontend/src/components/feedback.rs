//! The one-line answer under a form: what is wrong, or where the saved edit stands — "Sparat på
//! enheten. Skickas när du har nät." turning into "Sparat och synkat." once the server has it —
//! announced politely to screen readers and coloured (with words, never colour alone) by whether
//! it is an error.

use leptos::prelude::*;

use crate::i18n::*;
use crate::store::sync::{use_sync, EditState};

#[derive(Clone, PartialEq)]
enum Line {
    Error(String),
    /// The edit with this mutation id was saved on the device; the line follows it to the
    /// server.
    Saved(u64),
    /// A save found nothing changed.
    Unchanged,
}

/// A form's answer; `Copy`, so handlers can share it.
#[derive(Clone, Copy)]
pub struct Feedback(RwSignal<Option<Line>>);

impl Default for Feedback {
    fn default() -> Self {
        Feedback::new()
    }
}

impl Feedback {
    pub fn new() -> Feedback {
        Feedback(RwSignal::new(None))
    }

    /// No line: a new answer replaced an old error.
    pub fn clear(self) {
        self.0.set(None);
    }

    pub fn error(self, text: impl Into<String>) {
        self.0.set(Some(Line::Error(text.into())));
    }

    /// An edit is saved on the device (its mutation id; None: there was nothing to save): the
    /// line says so and follows the edit until the server has it (or refused it).
    pub fn saved(self, mutation_id: impl Into<Option<u64>>) {
        self.0.set(Some(mutation_id.into().map_or(Line::Unchanged, Line::Saved)));
    }

    /// The line itself, placed where the form wants it.
    pub fn view(self) -> impl IntoView {
        let i18n = use_i18n();
        let sync = use_sync();
        // A refusal stays said: dismissing it in the status bar must not turn this line into
        // "Sparat och synkat".
        Effect::new(move |_| {
            let refused = self.0.with(|l| match l {
                Some(Line::Saved(id)) => sync.edit_state(*id) == EditState::Refused,
                _ => false,
            });
            if refused {
                self.0.set(Some(Line::Error(t_string!(i18n, saved_refused).to_string())));
            }
        });
        // (is an error, text)
        let line = move || -> Option<(bool, String)> {
            self.0.with(|l| {
                l.as_ref().map(|l| match l {
                    Line::Error(t) => (true, t.clone()),
                    Line::Saved(id) => saved_words(i18n, sync.edit_state(*id)),
                    Line::Unchanged => (false, t_string!(i18n, nothing_to_save).to_string()),
                })
            })
        };
        let class = move || match line().map(|(e, _)| e) {
            Some(true) => "form-message error",
            _ => "form-message",
        };
        view! { <p class=class role="status" aria-live="polite">{move || line().map(|(_, t)| t)}</p> }
    }
}

/// Where a saved edit stands, in words: (is an error, text).
pub fn saved_words(i18n: leptos_i18n::I18nContext<Locale>, state: EditState) -> (bool, String) {
    let text = match state {
        EditState::Waiting { online: false } => t_string!(i18n, saved_offline),
        EditState::Waiting { online: true } => t_string!(i18n, saved_sending),
        EditState::Refused => return (true, t_string!(i18n, saved_refused).to_string()),
        EditState::Synced => t_string!(i18n, saved_synced),
    };
    (false, text.to_string())
}
