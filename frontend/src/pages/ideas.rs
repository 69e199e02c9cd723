//! The idea funnel: quick capture `/ideer/ny`, the board and list `/ideer`, an idea's page.

use leptos::prelude::*;

/// `/ideer`.
#[component]
pub fn IdeasPage() -> impl IntoView {
    view! { <h1>"Idéer"</h1> }
}

/// `/ideer/ny`.
#[component]
pub fn NewIdeaPage() -> impl IntoView {
    view! { <h1>"Ny idé"</h1> }
}

/// `/ideer/:id`.
#[component]
pub fn IdeaPage() -> impl IntoView {
    view! { <h1>"Idé"</h1> }
}
