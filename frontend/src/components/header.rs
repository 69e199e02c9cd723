//! The top bar of logged-in pages: the app name, who is logged in, language, logout.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api;
use crate::app::paths;
use crate::components::lang_switch::LangSwitch;
use crate::i18n::*;
use crate::session::use_session;

/// The header shown above every logged-in page.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name =
        move || session.0.with(|s| s.as_ref().map(|s| s.user.display_name.clone()).unwrap_or_default());
    let logout = move |_| {
        let token = session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()));
        session.clear();
        if let Some(token) = token {
            // Revoking on the server is best effort: the local session is gone either way.
            spawn_local(async move {
                let _ = api::logout(&token).await;
            });
        }
    };
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="app-header">
            <A href=paths::OVERVIEW attr:class="brand">{t!(i18n, app_name)}</A>
            <span class="who">{name}</span>
            <LangSwitch />
            <button type="button" class="link-button" on:click=logout>{t!(i18n, logout)}</button>
        </header>
    }
}
