//! The receipt a form leaves on the page it goes to after saving something new: "Workshopen i
//! Flen är sparad i telefonen och skickas när du har nät.", turning into "sparat och synkat"
//! once the server has it. A person in a village hall with no signal sees in words that the
//! workshop is safe, not only a count in the status bar.

use leptos::prelude::*;

use crate::components::feedback::saved_words;
use crate::components::fill;
use crate::i18n::*;
use crate::store::sync::{use_sync, EditState};

/// What was saved: the edit's mutation id, the new record's title, and for a workshop its
/// municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub mutation_id: u64,
    pub title: String,
    pub place: Option<String>,
}

/// The last receipt, provided by the app so it outlives the form's page; true for an idea
/// (whose receipt turns into "Skickad").
#[derive(Clone, Copy)]
pub struct Receipt(RwSignal<Option<(Saved, bool)>>);

impl Receipt {
    pub fn provide() {
        provide_context(Receipt(RwSignal::new(None)));
    }

    pub fn show(self, saved: Saved) {
        self.0.set(Some((saved, false)));
    }

    /// The receipt of a captured idea.
    pub fn show_idea(self, saved: Saved) {
        self.0.set(Some((saved, true)));
    }

    /// Forgets the receipt: the page that showed it is left.
    pub fn clear(self) {
        self.0.set(None);
    }
}

pub fn use_receipt() -> Receipt {
    expect_context::<Receipt>()
}

/// The receipt, on the page a form went to (which clears it when left).
#[component]
pub fn ReceiptLine() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let receipt = use_receipt();
    // A refusal stays said, also after it is dismissed in the status bar.
    let refused = RwSignal::new(false);
    Effect::new(move |_| {
        let now = receipt.0.with(|r| r.as_ref().map(|(s, _)| sync.edit_state(s.mutation_id)));
        if now == Some(EditState::Refused) {
            refused.set(true);
        }
    });
    let line = move || {
        if refused.get() {
            return Some(saved_words(i18n, EditState::Refused));
        }
        receipt.0.with(|r| {
            r.as_ref().map(|(s, idea)| {
                let state = sync.edit_state(s.mutation_id);
                let title = || vec![("title", s.title.clone())];
                match (state, &s.place) {
                    (EditState::Waiting { online: false }, _) if *idea => {
                        (false, fill(t_string!(i18n, idea_saved_offline), &title()))
                    }
                    (EditState::Synced, _) if *idea => {
                        (false, fill(t_string!(i18n, idea_saved_synced), &title()))
                    }
                    (EditState::Waiting { online: false }, Some(place)) => {
                        (false, fill(t_string!(i18n, workshop_saved_offline), &[("place", place.clone())]))
                    }
                    (EditState::Waiting { online: false }, None) => {
                        (false, fill(t_string!(i18n, event_saved_offline), &[("title", s.title.clone())]))
                    }
                    (EditState::Synced, _) => {
                        (false, fill(t_string!(i18n, event_saved_synced), &[("title", s.title.clone())]))
                    }
                    (other, _) => saved_words(i18n, other),
                }
            })
        })
    };
    view! {
        <p class=move || if line().is_some_and(|(e, _)| e) { "form-message receipt error" } else { "form-message receipt" }
            role="status" aria-live="polite">
            {move || line().map(|(_, t)| t)}
        </p>
    }
}
