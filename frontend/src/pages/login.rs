//! The login page: user name and password, with errors in plain words.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::components::lang_switch::LangSwitch;
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::paths;
use crate::session::{use_session, Session};

/// Logs a user in and opens the page they asked for (the overview by default).
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    // Only a path of this app: never another site (`//host` or `https:`).
    let target = use_query_map()
        .with_untracked(|q| q.get(paths::RETURN_TO))
        .filter(|t| t.starts_with('/') && !t.starts_with("//"))
        .unwrap_or_else(|| paths::OVERVIEW.to_string());
    let after_login = target.clone();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // Shown once the server asks for the authenticator app's code.
    let code = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        let after_login = after_login.clone();
        spawn_local(async move {
            let sent_code = code.get_untracked();
            let result =
                api::login(&username.get_untracked(), &password.get_untracked(), sent_code.clone()).await;
            busy.set(false);
            match result {
                Ok(login) => {
                    session.set(Session { token: login.token, user: login.user });
                    navigate(&after_login, Default::default());
                }
                // The password was right: keep it, and ask for (another) code.
                Err(e @ ApiError::SecondFactor(_)) => {
                    code.set(Some(String::new()));
                    error.set(sent_code.is_some().then_some(e));
                    request_animation_frame(|| crate::components::focus_id("code"));
                }
                Err(e) => {
                    password.set(String::new());
                    code.set(None);
                    error.set(Some(e));
                }
            }
        });
    };

    let error_text = move || {
        error.get().map(|e| match e {
            ApiError::Unauthorized(_) => tr(i18n, |i| t_string!(i, error_wrong_credentials)).into_any(),
            ApiError::SecondFactor(_) => tr(i18n, |i| t_string!(i, error_code_wrong)).into_any(),
            ApiError::Network(_) => tr(i18n, |i| t_string!(i, error_network)).into_any(),
            ApiError::Server { message, .. } | ApiError::Decode(message) => {
                trf(i18n, |i| t_string!(i, error_server), vec![("message", message.clone().to_string())])
                    .into_any()
            }
            // Only sync answers so; listed for completeness.
            e @ (ApiError::ClientIdTaken | ApiError::SecondFactorSetup(_)) => {
                trf(i18n, |i| t_string!(i, error_server), vec![("message", e.to_string())]).into_any()
            }
        })
    };

    let redirect = view! {
        <Show when=move || session.0.with(Option::is_some)>
            <Redirect path=target.clone() />
        </Show>
    };
    // The plain login of index.html is on screen (the app started while it was in use): it
    // stays the login page; this page only leads on once it has logged in.
    if crate::boot::plain_login_shown() {
        return redirect.into_any();
    }
    view! {
        {redirect}
        <main id="main" class="page login">
            <div class="login-top"><LangSwitch /></div>
            <h1>{tr(i18n, |i| t_string!(i, app_name))}</h1>
            <p class="lead">{tr(i18n, |i| t_string!(i, login_intro))}</p>
            <form class="card form" on:submit=on_submit aria-labelledby="login-heading">
                <h2 id="login-heading">{tr(i18n, |i| t_string!(i, login_title))}</h2>
                <label for="username">{tr(i18n, |i| t_string!(i, username))}</label>
                <input id="username" name="username" type="text" autocomplete="username"
                    autocapitalize="none" spellcheck="false" required
                    prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev)) />
                <label for="password">{tr(i18n, |i| t_string!(i, password))}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
                {move || code.get().is_some().then(|| view! {
                    <p class="muted">{tr(i18n, |i| t_string!(i, code_asked))}</p>
                    <label for="code">{tr(i18n, |i| t_string!(i, code_label))}</label>
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                        autocapitalize="none" spellcheck="false" required aria-describedby="code-hint"
                        prop:value=move || code.get().unwrap_or_default()
                        on:input=move |ev| code.set(Some(event_target_value(&ev))) />
                    <p id="code-hint" class="muted">{tr(i18n, |i| t_string!(i, code_hint))}</p>
                })}
                <p class="error" role="alert" aria-live="assertive">{error_text}</p>
                <button type="submit" class="primary" prop:disabled=move || busy.get()>
                    {move || if busy.get() { t_string!(i18n, logging_in) } else { t_string!(i18n, login_button) }}
                </button>
            </form>
        </main>
    }
    .into_any()
}
