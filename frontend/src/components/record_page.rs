//! The frame of a page about one record (`/aktivitet/:id`, `/ideer/:id`, `/personer/:id`): the id
//! from the address, "loading" until the local copy is read, "not found" with a way back, and
//! the page itself once the record is there. Non-generic (function pointers), so the download
//! holds one copy for every such page.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_params_map;
use tavla_shared::Kind;
use uuid::Uuid;

use crate::components::tr;
use crate::i18n::*;
use crate::store::sync::use_sync;

/// A key of the translations, as the page frame takes it.
pub type Text = fn(I18nContext<Locale>) -> &'static str;

/// The page for the record of `kind` named by the address's `:id`; redrawn only when the
/// record appears or goes, so a sync never wipes what is typed in `body`.
pub fn record_page(
    kind: Kind,
    back: (&'static str, Text),
    not_found: Text,
    body: fn(Uuid) -> AnyView,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let found =
        Memo::new(move |_| id().filter(|id| sync.view.with(|v| v.get(id).is_some_and(|r| r.kind == kind))));
    move || {
        if !sync.loaded.get() {
            return view! { <p class="loading" role="status">{tr(i18n, |i| t_string!(i, loading))}</p> }
                .into_any();
        }
        match found.get() {
            Some(id) => body(id),
            None => view! {
                <p class="back"><a href=back.0>"← " {tr(i18n, back.1)}</a></p>
                <h1>{tr(i18n, not_found)}</h1>
            }
            .into_any(),
        }
    }
}
