//! The people register: `/personer` (search and filters in the URL), a person's page
//! `/personer/:id`, and `/ambassadorer` (ambassadors and the municipalities they cover).

use leptos::prelude::*;

/// `/personer`.
#[component]
pub fn PeoplePage() -> impl IntoView {
    view! { <h1>"Personer"</h1> }
}

/// `/personer/:id`.
#[component]
pub fn PersonPage() -> impl IntoView {
    view! { <h1>"Person"</h1> }
}

/// `/ambassadorer`.
#[component]
pub fn AmbassadorsPage() -> impl IntoView {
    view! { <h1>"Ambassadörer"</h1> }
}
