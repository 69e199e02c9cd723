//! `/personuppgifter` (admins): how long idea contacts are kept, what goes soon, and a search
//! across people and ideas' contacts with an export for a subject access request.

use leptos::prelude::*;

/// `/personuppgifter`.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <h1>"Personuppgifter"</h1> }
}
