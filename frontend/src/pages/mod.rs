//! One module per screen.

pub mod accounts;
pub mod activities;
pub mod activity;
pub mod board_pack;
pub mod calendar;
pub mod calendar_feed;
pub mod conflicts;
pub mod dialogues;
pub mod events;
pub mod follow_ups;
pub mod goal;
pub mod ideas;
pub mod import;
pub mod layout;
pub mod login;
pub mod marketing;
pub mod overview;
pub mod partners;
pub mod people;
pub mod privacy;
pub mod report;
pub mod share_links;
pub mod shared;

use leptos::prelude::*;

use crate::components::tr;
use crate::i18n::*;
use crate::paths;

/// Shown for any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main id="main" class="page">
            <h1>{tr(i18n, |i| t_string!(i, page_not_found))}</h1>
            <p><a href=paths::OVERVIEW>{tr(i18n, |i| t_string!(i, back_to_overview))}</a></p>
        </main>
    }
}
