//! The top bar of logged-in pages: the app name, who is logged in, language, logout.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use tavla_shared::values::Role;

use crate::api;
use crate::components::lang_switch::LangSwitch;
use crate::components::tr;
use crate::i18n::*;
use crate::paths;
use crate::session::use_session;
use crate::store::sync::use_sync;

/// The header shown above every logged-in page.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name =
        move || session.0.with(|s| s.as_ref().map(|s| s.user.display_name.clone()).unwrap_or_default());
    let sync = use_sync();
    // The interface shows only what the role may do; the server enforces it either way.
    let is_admin = move || session.0.with(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Admin));
    let logout = move |_| {
        let pending = sync.outbox.with_untracked(Vec::len);
        if pending > 0 {
            let question = t_string!(i18n, logout_confirm);
            let sure = window().confirm_with_message(question).unwrap_or(false);
            if !sure {
                return;
            }
        }
        let token = session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()));
        // The screen leaves at once; the local copy goes as soon as a running sync round has
        // ended (it could otherwise write records back after the wipe).
        let client = sync.current_client();
        session.log_out();
        spawn_local(async move {
            // After logout nothing of the user's stays in this browser.
            sync.wipe(client).await;
            // Revoking on the server is best effort: the local session is gone either way.
            if let Some(token) = token {
                let _ = api::logout(&token).await;
            }
        });
    };
    let close_more = move |_| {
        if let Some(d) = document().get_element_by_id("more-menu") {
            let _ = d.remove_attribute("open");
        }
    };
    let logout_too = logout;
    view! {
        <a class="skip-link" href="#main">{tr(i18n, |i| t_string!(i, skip_to_content))}</a>
        <header class="app-header">
            <A href=paths::OVERVIEW attr:class="brand">{tr(i18n, |i| t_string!(i, app_name))}</A>
            <span class="who">{name}</span>
            <span class="wide-only">
                <Show when=is_admin>
                    <A href=paths::ACCOUNTS attr:class="header-link">{tr(i18n, |i| t_string!(i, accounts_link))}</A>
                    <A href=paths::PRIVACY attr:class="header-link">{tr(i18n, |i| t_string!(i, privacy_link))}</A>
                </Show>
                <A href=paths::MY_ACCOUNT attr:class="header-link">{tr(i18n, |i| t_string!(i, my_account_link))}</A>
            </span>
            <LangSwitch />
            <button type="button" class="link-button" on:click=logout>{tr(i18n, |i| t_string!(i, logout))}</button>
        </header>
        // Wide screens: the sections under the header. Phones: the bar at the bottom below.
        <nav class="main-nav" aria-label=move || t_string!(i18n, main_nav)>
            <A href=paths::OVERVIEW exact=true>{tr(i18n, |i| t_string!(i, overview_link))}</A>
            <A href=paths::ACTIVITIES>{tr(i18n, |i| t_string!(i, activities_link))}</A>
            <A href=paths::IDEAS exact=true>{tr(i18n, |i| t_string!(i, ideas_link))}</A>
            <A href=paths::EVENTS>{tr(i18n, |i| t_string!(i, events_link))}</A>
            <A href=paths::PEOPLE>{tr(i18n, |i| t_string!(i, people_link))}</A>
            <A href=paths::AMBASSADORS>{tr(i18n, |i| t_string!(i, ambassadors_link))}</A>
            <A href=paths::PARTNERS>{tr(i18n, |i| t_string!(i, partners_link))}</A>
            <A href=paths::FOLLOW_UPS>{tr(i18n, |i| t_string!(i, follow_ups_link))}</A>
            <A href=paths::MARKETING>{tr(i18n, |i| t_string!(i, marketing_link))}</A>
            <A href=paths::CALENDAR>{tr(i18n, |i| t_string!(i, calendar_link))}</A>
            <A href=paths::REPORT>{tr(i18n, |i| t_string!(i, report_link))}</A>
            <A href=paths::BOARD_PACK>{tr(i18n, |i| t_string!(i, pack_link))}</A>
            <A href=paths::NEW_IDEA attr:class="quick-action">{tr(i18n, |i| t_string!(i, new_idea_action))}</A>
            <A href=paths::NEW_DIALOGUE attr:class="quick-action">{tr(i18n, |i| t_string!(i, new_dialogue_action))}</A>
        </nav>
        // On a phone the sections and "Ny idé" sit where a thumb reaches; the header keeps to
        // one short line (about 200 px of a phone went to header and menu before).
        <nav class="bottom-bar" aria-label=move || t_string!(i18n, quick_nav)>
            <A href=paths::OVERVIEW exact=true>{tr(i18n, |i| t_string!(i, overview_link))}</A>
            <A href=paths::ACTIVITIES>{tr(i18n, |i| t_string!(i, activities_link))}</A>
            <A href=paths::NEW_IDEA attr:class="quick-action">{tr(i18n, |i| t_string!(i, new_idea_action))}</A>
            <A href=paths::NEW_DIALOGUE attr:class="quick-action">{tr(i18n, |i| t_string!(i, new_dialogue_action))}</A>
            <A href=paths::IDEAS exact=true>{tr(i18n, |i| t_string!(i, ideas_link))}</A>
            <details id="more-menu" class="more-menu">
                <summary>{tr(i18n, |i| t_string!(i, more_menu))}</summary>
                <ul role="list" on:click=close_more>
                    <li><A href=paths::FOLLOW_UPS>{tr(i18n, |i| t_string!(i, follow_ups_link))}</A></li>
                    <li><A href=paths::CALENDAR>{tr(i18n, |i| t_string!(i, calendar_link))}</A></li>
                    <li><A href=paths::REPORT>{tr(i18n, |i| t_string!(i, report_link))}</A></li>
                    <li><A href=paths::BOARD_PACK>{tr(i18n, |i| t_string!(i, pack_link))}</A></li>
                    <li><A href=paths::MARKETING>{tr(i18n, |i| t_string!(i, marketing_link))}</A></li>
                    <li><A href=paths::PARTNERS>{tr(i18n, |i| t_string!(i, partners_link))}</A></li>
                    <li><A href=paths::EVENTS>{tr(i18n, |i| t_string!(i, events_link))}</A></li>
                    <li><A href=paths::PEOPLE>{tr(i18n, |i| t_string!(i, people_link))}</A></li>
                    <li><A href=paths::AMBASSADORS>{tr(i18n, |i| t_string!(i, ambassadors_link))}</A></li>
                    <li><A href=paths::MY_ACCOUNT>{tr(i18n, |i| t_string!(i, my_account_link))}</A></li>
                    <Show when=is_admin>
                        <li><A href=paths::ACCOUNTS>{tr(i18n, |i| t_string!(i, accounts_link))}</A></li>
                        <li><A href=paths::PRIVACY>{tr(i18n, |i| t_string!(i, privacy_link))}</A></li>
                    </Show>
                    <li><button type="button" class="link-button" on:click=logout_too>{tr(i18n, |i| t_string!(i, logout))}</button></li>
                </ul>
            </details>
        </nav>
    }
}
