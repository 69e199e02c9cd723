//! Accounts: admins create accounts, change roles, disable and reset passwords (`/konton`);
//! everyone changes their own password (`/mitt-konto`). These talk to the server directly:
//! account changes need a connection, and the pages say so.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tavla_shared::values::Role;
use tavla_shared::wire::{LoginOutcome, NewUser, PasswordChange, SessionInfo, User, UserPatch};

use crate::api::{self, ApiError};
use crate::components::format::local_time;
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::session::use_session;

fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Admin => t_string!(i18n, role_admin),
        Role::Staff => t_string!(i18n, role_staff),
        Role::Board => t_string!(i18n, role_board),
    }
}

/// An API error in the words this page shows.
pub(super) fn problem(e: &ApiError) -> String {
    match e {
        ApiError::Server { message, .. } | ApiError::Unauthorized(message) | ApiError::Decode(message) => {
            message.clone()
        }
        ApiError::Network(_) => "offline".into(),
        e @ ApiError::ClientIdTaken => e.to_string(),
        ApiError::SecondFactor(message) | ApiError::SecondFactorSetup(message) => message.clone(),
    }
}

/// `/konton` (admin).
#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let token = move || session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default());
    let users = LocalResource::new(move || {
        let token = token();
        async move { api::users(&token).await }
    });
    let message = RwSignal::new(None::<String>);
    let (username, display_name, password) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let role = RwSignal::new(Role::Board);

    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let new = NewUser {
            username: username.get_untracked().trim().to_string(),
            display_name: display_name.get_untracked(),
            role: role.get_untracked(),
            password: password.get_untracked(),
            person_id: None,
        };
        spawn_local(async move {
            match api::create_user(&token(), &new).await {
                Ok(_) => {
                    message.set(Some(t_string!(i18n, account_created).to_string()));
                    username.set(String::new());
                    display_name.set(String::new());
                    password.set(String::new());
                    users.refetch();
                }
                Err(e) => message.set(Some(problem(&e))),
            }
        });
    };
    let change = move |id, patch: UserPatch| {
        spawn_local(async move {
            match api::update_user(&token(), id, &patch).await {
                Ok(_) => {
                    message.set(Some(t_string!(i18n, saved_plain).to_string()));
                    users.refetch();
                }
                Err(e) => message.set(Some(problem(&e))),
            }
        });
    };

    view! {
        <h1>{tr(i18n, |i| t_string!(i, accounts_heading))}</h1>
        <p class="muted">{tr(i18n, |i| t_string!(i, online_only))}</p>
        <p class="form-message" role="status" aria-live="polite">{move || message.get()}</p>
        <Suspense fallback=move || view! { <p class="loading">{tr(i18n, |i| t_string!(i, loading))}</p> }>
            {move || users.get().map(|result| match result {
                Ok(list) => view! {
                    <ul class="account-list">
                        {list.into_iter().map(|u| view! { <AccountRow user=u on_change=change /> }).collect_view()}
                    </ul>
                }.into_any(),
                Err(ApiError::SecondFactorSetup(_)) => view! {
                    <p class="sync-error" role="alert">
                        {tr(i18n, |i| t_string!(i, admin_needs_two_step))} " "
                        <a href=crate::paths::MY_ACCOUNT>{tr(i18n, |i| t_string!(i, admin_needs_two_step_link))}</a>
                    </p>
                }.into_any(),
                Err(e) => view! { <p class="sync-error" role="alert">{problem(&e)}</p> }.into_any(),
            })}
        </Suspense>
        <AuditList />
        <crate::pages::share_links::ShareLinks />
        <form class="card form" on:submit=create>
            <h2>{tr(i18n, |i| t_string!(i, new_account))}</h2>
            <label for="new-username">{tr(i18n, |i| t_string!(i, username))}</label>
            <input id="new-username" required autocapitalize="none" prop:value=move || username.get()
                on:input=move |ev| username.set(event_target_value(&ev)) />
            <label for="new-display-name">{tr(i18n, |i| t_string!(i, display_name))}</label>
            <input id="new-display-name" required prop:value=move || display_name.get()
                on:input=move |ev| display_name.set(event_target_value(&ev)) />
            <label for="new-role">{tr(i18n, |i| t_string!(i, role))}</label>
            <select id="new-role" on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(r) = Role::ALL.iter().find(|r| r.as_str() == v) { role.set(*r) }
            }>
                {Role::ALL.iter().map(|r| {
                    let r = *r;
                    view! { <option value=r.as_str() selected=move || role.get() == r>{move || role_label(i18n, r)}</option> }
                }).collect_view()}
            </select>
            <label for="new-password">{tr(i18n, |i| t_string!(i, password))}</label>
            <input id="new-password" type="password" autocomplete="new-password" required minlength="10"
                aria-describedby="password-hint" prop:value=move || password.get()
                on:input=move |ev| password.set(event_target_value(&ev)) />
            <p id="password-hint" class="muted">{tr(i18n, |i| t_string!(i, password_hint))}</p>
            <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, create_account))}</button>
        </form>
    }
}

/// The newest login attempts: when, who, from where, and how it went.
#[component]
fn AuditList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let log = LocalResource::new(move || {
        let token = session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default());
        async move { api::audit(&token).await }
    });
    let outcome = move |o: LoginOutcome| match o {
        LoginOutcome::Success => t_string!(i18n, outcome_success),
        LoginOutcome::WrongCredentials => t_string!(i18n, outcome_wrong_credentials),
        LoginOutcome::RateLimited => t_string!(i18n, outcome_rate_limited),
        LoginOutcome::Busy => t_string!(i18n, outcome_busy),
        LoginOutcome::WrongCurrentPassword => t_string!(i18n, outcome_wrong_current_password),
        LoginOutcome::PasswordChanged => t_string!(i18n, outcome_password_changed),
        LoginOutcome::WrongCode => t_string!(i18n, outcome_wrong_code),
        LoginOutcome::Other => t_string!(i18n, outcome_other),
    };
    view! {
        <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{tr(i18n, |i| t_string!(i, audit_heading))}</h2>
            <Suspense fallback=move || view! { <p class="loading">{tr(i18n, |i| t_string!(i, loading))}</p> }>
                {move || log.get().map(|result| match result {
                    Ok(log) => view! {
                        <ul class="audit-list">
                            {log.entries.into_iter().map(|e| view! {
                                <li>{format!("{} – {} ({}) – ", local_time(e.at as f64), e.username, e.address)}{move || outcome(e.outcome)}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="sync-error">{problem(&e)}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// One account with its role, on/off switch and password reset.
#[component]
fn AccountRow<F>(user: User, on_change: F) -> impl IntoView
where
    F: Fn(uuid::Uuid, UserPatch) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let id = user.id;
    let new_password = RwSignal::new(String::new());
    let role_id = format!("role-{id}");
    let pw_id = format!("password-{id}");
    let disabled = user.disabled;
    let person_id = format!("person-{id}");
    // The people in the register (a board member may then edit their own person record).
    let people = crate::store::sync::use_sync()
        .view
        .with_untracked(|v| tavla_shared::plan_view::names(v.values(), tavla_shared::Kind::Person));
    let linked = user.person_id;
    view! {
        <li class="card account">
            <h2>{user.display_name.clone()} " " <span class="muted">"(" {user.username.clone()} ")"</span></h2>
            {disabled.then(|| view! { <span class="badge">{tr(i18n, |i| t_string!(i, disabled_label))}</span> })}
            {user.second_factor.then(|| view! { " " <span class="badge">{tr(i18n, |i| t_string!(i, two_step_badge))}</span> })}
            <label for=role_id.clone()>{tr(i18n, |i| t_string!(i, role))}</label>
            <select id=role_id on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(r) = Role::ALL.iter().find(|r| r.as_str() == v) {
                    on_change(id, UserPatch { role: Some(*r), ..Default::default() });
                }
            }>
                {Role::ALL.iter().map(|r| {
                    let r = *r;
                    view! { <option value=r.as_str() selected=user.role == r>{move || role_label(i18n, r)}</option> }
                }).collect_view()}
            </select>
            <label for=person_id.clone()>{tr(i18n, |i| t_string!(i, linked_person))}</label>
            <select id=person_id on:change=move |ev| {
                // "Ingen" unlinks the account from its person (`"person_id": null`).
                match uuid::Uuid::parse_str(&event_target_value(&ev)) {
                    Ok(person) => on_change(id, UserPatch { person_id: Some(person), ..Default::default() }),
                    Err(_) => on_change(id, UserPatch { unlink_person: true, ..Default::default() }),
                }
            }>
                <option value="" selected=linked.is_none()>{tr(i18n, |i| t_string!(i, none_chosen))}</option>
                {people.into_iter().map(|(pid, name)| view! {
                    <option value=pid.to_string() selected=linked == Some(pid)>{name}</option>
                }).collect_view()}
            </select>
            <label for=pw_id.clone()>{tr(i18n, |i| t_string!(i, new_password))}</label>
            <input id=pw_id type="password" autocomplete="new-password" prop:value=move || new_password.get()
                on:input=move |ev| new_password.set(event_target_value(&ev)) />
            <div class="actions">
                <button type="button" on:click=move |_| {
                    let password = new_password.get_untracked();
                    new_password.set(String::new());
                    on_change(id, UserPatch { password: Some(password), ..Default::default() });
                }>{tr(i18n, |i| t_string!(i, set_password))}</button>
                <button type="button" class="danger" on:click=move |_| {
                    on_change(id, UserPatch { disabled: Some(!disabled), ..Default::default() });
                }>{move || if disabled { t_string!(i18n, enable) } else { t_string!(i18n, disable) }}</button>
                {user.second_factor.then(|| {
                    let label = crate::components::fill(t_string!(i18n, two_step_reset), &[("name", user.display_name.clone())]);
                    view! {
                        <button type="button" aria-label=label on:click=move |_| {
                            on_change(id, UserPatch { second_factor: Some(false), ..Default::default() });
                        }>{tr(i18n, |i| t_string!(i, two_step_turn_off))}</button>
                    }
                })}
            </div>
        </li>
    }
}

/// `/mitt-konto`: change your own password.
#[component]
pub fn MyAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (current, next) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let message = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let token = session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default());
        let change =
            PasswordChange { current_password: current.get_untracked(), new_password: next.get_untracked() };
        spawn_local(async move {
            let result = api::change_password(&token, &change).await;
            current.set(String::new());
            next.set(String::new());
            message.set(Some(match result {
                Ok(()) => t_string!(i18n, password_changed).to_string(),
                Err(e) => problem(&e),
            }));
        });
    };
    view! {
        <h1>{tr(i18n, |i| t_string!(i, my_account_link))}</h1>
        <form class="card form" on:submit=submit>
            <h2>{tr(i18n, |i| t_string!(i, set_password))}</h2>
            <label for="current-password">{tr(i18n, |i| t_string!(i, current_password))}</label>
            <input id="current-password" type="password" autocomplete="current-password" required
                prop:value=move || current.get() on:input=move |ev| current.set(event_target_value(&ev)) />
            <label for="next-password">{tr(i18n, |i| t_string!(i, new_password))}</label>
            <input id="next-password" type="password" autocomplete="new-password" required minlength="10"
                aria-describedby="next-hint" prop:value=move || next.get() on:input=move |ev| next.set(event_target_value(&ev)) />
            <p id="next-hint" class="muted">{tr(i18n, |i| t_string!(i, password_hint))}</p>
            <p class="form-message" role="status" aria-live="polite">{move || message.get()}</p>
            <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, set_password))}</button>
        </form>
        <TwoStep />
        <super::calendar_feed::CalendarFeed />
        <Sessions />
    }
}

/// Where turning on two-step verification stands on this page.
#[derive(Debug, Clone, PartialEq)]
enum TwoStepStep {
    /// On or off, as the session says.
    Idle,
    /// A secret is offered: scan it, type a code.
    Offered(tavla_shared::wire::SecondFactorSetup),
    /// Just turned on: the recovery codes, shown once.
    Done(Vec<String>),
}

/// Two-step verification: turn it on (QR code, then a code from the app, then the recovery
/// codes) or off (with the password).
#[component]
fn TwoStep() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let token = move || session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default());
    let on = RwSignal::new(session.0.with_untracked(|s| s.as_ref().is_some_and(|s| s.user.second_factor)));
    let step = RwSignal::new(TwoStepStep::Idle);
    let (code, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let message = RwSignal::new(None::<String>);
    // Remembers the new state in the stored session, so a reload shows it too.
    let set_on = move |value: bool| {
        on.set(value);
        if let Some(mut s) = session.0.get_untracked() {
            s.user.second_factor = value;
            session.set_quietly(s);
        }
    };
    let start = move |_| {
        spawn_local(async move {
            match api::offer_second_factor(&token()).await {
                Ok(setup) => {
                    message.set(None);
                    step.set(TwoStepStep::Offered(setup));
                    request_animation_frame(|| crate::components::focus_id("two-step-code"));
                }
                Err(e) => message.set(Some(problem(&e))),
            }
        });
    };
    let confirm = move |ev: SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            let result =
                api::confirm_second_factor(&token(), code.get_untracked().trim(), &password.get_untracked())
                    .await;
            password.set(String::new());
            match result {
                Ok(recovery) => {
                    code.set(String::new());
                    message.set(Some(t_string!(i18n, two_step_on).to_string()));
                    step.set(TwoStepStep::Done(recovery.codes));
                    set_on(true);
                }
                Err(e) => message.set(Some(problem(&e))),
            }
        });
    };
    let turn_off = move |ev: SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            let result = api::turn_off_second_factor(&token(), &password.get_untracked()).await;
            password.set(String::new());
            match result {
                Ok(()) => {
                    message.set(Some(t_string!(i18n, two_step_turned_off).to_string()));
                    step.set(TwoStepStep::Idle);
                    set_on(false);
                }
                Err(e) => message.set(Some(problem(&e))),
            }
        });
    };
    let body = move || {
        match step.get() {
        TwoStepStep::Offered(setup) => {
            let image = format!("data:image/svg+xml;utf8,{}", js_sys::encode_uri_component(&setup.qr_svg));
            view! {
                <p>{tr(i18n, |i| t_string!(i, two_step_scan))}</p>
                <img class="qr" src=image alt=move || t_string!(i18n, two_step_qr_alt) width="200" height="200" />
                <p><code class="secret">{setup.secret}</code></p>
                <form class="form" on:submit=confirm>
                    <label for="two-step-code">{tr(i18n, |i| t_string!(i, code_label))}</label>
                    <input id="two-step-code" type="text" inputmode="numeric" autocomplete="one-time-code" required
                        prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
                    <label for="two-step-confirm-password">{tr(i18n, |i| t_string!(i, your_password))}</label>
                    <input id="two-step-confirm-password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                    <button type="submit" class="primary">{tr(i18n, |i| t_string!(i, two_step_confirm))}</button>
                </form>
            }
            .into_any()
        }
        TwoStepStep::Done(codes) => view! {
            <h3>{tr(i18n, |i| t_string!(i, recovery_heading))}</h3>
            <p>{tr(i18n, |i| t_string!(i, recovery_intro))}</p>
            <ul class="recovery-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
        }
        .into_any(),
        TwoStepStep::Idle if on.get() => view! {
            <p>{tr(i18n, |i| t_string!(i, two_step_on))}</p>
            <form class="form" on:submit=turn_off>
                <label for="two-step-password">{tr(i18n, |i| t_string!(i, password))}</label>
                <input id="two-step-password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                <button type="submit">{tr(i18n, |i| t_string!(i, two_step_turn_off))}</button>
            </form>
        }
        .into_any(),
        TwoStepStep::Idle => view! {
            <p>{tr(i18n, |i| t_string!(i, two_step_off_state))}</p>
            <button type="button" class="primary" on:click=start>{tr(i18n, |i| t_string!(i, two_step_start))}</button>
        }
        .into_any(),
    }
    };
    view! {
        <section class="card" aria-labelledby="two-step-heading">
            <h2 id="two-step-heading">{tr(i18n, |i| t_string!(i, two_step_heading))}</h2>
            <p class="muted">{tr(i18n, |i| t_string!(i, two_step_intro))}</p>
            {body}
            <p class="form-message" role="status" aria-live="polite">{move || message.get()}</p>
        </section>
    }
}

/// "Firefox på Android" from a User-Agent: the browser and the system, as a person names them.
/// Hand-written: a full User-Agent parser (with its tables) would cost the download more than
/// this list does, and the server keeps the whole string.
fn device_name(i18n: leptos_i18n::I18nContext<Locale>, user_agent: &str) -> String {
    let has = |s: &str| user_agent.contains(s);
    let browser = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
        .into_iter()
        .find(|(mark, _)| has(mark))
        .map(|(_, name)| name);
    let system = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS", "Mac"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(mark, _)| has(mark))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(browser), Some(system)) => crate::components::fill(
            t_string!(i18n, device_on),
            &[("browser", browser.to_string()), ("system", system.to_string())],
        ),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) if !user_agent.is_empty() => user_agent.chars().take(60).collect(),
        (None, None) => t_string!(i18n, unknown_device).to_string(),
    }
}

/// The devices logged in with this account, each with a "Logga ut", and one button for all
/// but this one. Needs the server, like the rest of the page.
#[component]
fn Sessions() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let token = move || session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default());
    let list = LocalResource::new(move || {
        let token = token();
        async move { api::sessions(&token).await }
    });
    let message = RwSignal::new(None::<String>);
    let end = move |id: uuid::Uuid| {
        spawn_local(async move {
            let result = api::end_session(&token(), id).await;
            message.set(Some(match result {
                Ok(()) => t_string!(i18n, session_ended).to_string(),
                Err(e) => problem(&e),
            }));
            list.refetch();
        });
    };
    let end_others = move |_| {
        spawn_local(async move {
            let result = api::end_other_sessions(&token()).await;
            message.set(Some(match result {
                Ok(()) => t_string!(i18n, sessions_others_ended).to_string(),
                Err(e) => problem(&e),
            }));
            list.refetch();
        });
    };
    let row = move |s: SessionInfo| {
        let name = device_name(i18n, &s.user_agent);
        let label = format!("{} – {name}", t_string!(i18n, session_end));
        view! {
            <li class="session">
                <strong>{name}</strong>
                {s.current.then(|| view! { " " <span class="badge">{tr(i18n, |i| t_string!(i, this_device))}</span> })}
                <br />
                <span class="muted">
                    {trf(i18n, |i| t_string!(i, session_from), vec![("address", s.address.clone())])}
                    ", "
                    {trf(i18n, |i| t_string!(i, session_since), vec![("time", local_time(s.created_at as f64))])}
                    ", "
                    {trf(i18n, |i| t_string!(i, session_used), vec![("time", local_time(s.last_used_at as f64))])}
                </span>
                {(!s.current).then(|| view! {
                    " " <button type="button" aria-label=label on:click=move |_| end(s.id)>
                        {tr(i18n, |i| t_string!(i, session_end))}
                    </button>
                })}
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{tr(i18n, |i| t_string!(i, sessions_heading))}</h2>
            <p class="muted">{tr(i18n, |i| t_string!(i, sessions_intro))}</p>
            <Suspense fallback=move || view! { <p class="loading">{tr(i18n, |i| t_string!(i, loading))}</p> }>
                {move || list.get().map(|result| match result {
                    Ok(sessions) => view! {
                        <ul class="session-list">{sessions.into_iter().map(row).collect_view()}</ul>
                    }.into_any(),
                    Err(ApiError::Network(_)) => view! {
                        <p class="sync-error">{tr(i18n, |i| t_string!(i, needs_connection))}</p>
                    }.into_any(),
                    Err(e) => view! { <p class="sync-error">{problem(&e)}</p> }.into_any(),
                })}
            </Suspense>
            <p class="form-message" role="status" aria-live="polite">{move || message.get()}</p>
            <button type="button" on:click=end_others>{tr(i18n, |i| t_string!(i, sessions_end_others))}</button>
        </section>
    }
}
