//! "Kalender i telefonen" on Mitt konto: one's own calendar feed, a private address a phone's
//! calendar app subscribes to (every event, one's own due dates and follow-ups; see
//! `tavla_shared::ical`). The address is shown once, when made; afterwards the page only says
//! since when it works, and offers a new one or to stop sharing. Needs the server, like the
//! rest of the page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tavla_shared::wire::CalendarFeedStatus;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{self, ApiError};
use crate::components::format::local_time;
use crate::components::{focus_id, tr, trf};
use crate::i18n::*;
use crate::session::use_session;

use super::accounts::problem;

/// The id of the field showing a new address (focused when it appears).
const URL_FIELD: &str = "calendar-feed-url";
/// The id of the button that makes the first address (focused when sharing stops).
const CREATE_BUTTON: &str = "calendar-feed-create";

/// Copies `text` with the browser's clipboard, where it has one: only secure pages (https, or
/// this machine) do, so an `http://` server on the network gets `false` and the person copies
/// the selected field by hand. Reached through `Reflect` for that reason: web-sys's typed
/// `clipboard()` assumes it is there.
async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let Ok(clipboard) = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard")) else {
        return false;
    };
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(write) = write else { return false };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else { return false };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else { return false };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Selects the whole address when the field gets focus, ready to copy.
fn select_all(ev: leptos::ev::FocusEvent) {
    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        input.select();
    }
}

/// The section: make, show once, renew or stop sharing one's calendar feed.
#[component]
pub fn CalendarFeed() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let token = move || session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default());
    // What the server says; replaced by the answers of this section's own calls.
    let feed = RwSignal::new(None::<Result<CalendarFeedStatus, ApiError>>);
    // A new address, shown until the page is left.
    let shown = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    spawn_local(async move { feed.set(Some(api::calendar_feed(&token()).await)) });

    let create = move |_| {
        spawn_local(async move {
            match api::create_calendar_feed(&token()).await {
                Ok(created) => {
                    let origin = window().location().origin().unwrap_or_default();
                    shown.set(Some(format!("{origin}{}", created.path)));
                    message.set(None);
                    feed.set(Some(Ok(CalendarFeedStatus {
                        active: true,
                        created_at: Some(created.created_at),
                    })));
                    request_animation_frame(|| focus_id(URL_FIELD));
                }
                Err(e) => message.set(Some(problem(&e))),
            }
        });
    };
    let stop = move |_| {
        spawn_local(async move {
            match api::revoke_calendar_feed(&token()).await {
                // Already gone (another device stopped it): the same outcome.
                Ok(()) | Err(ApiError::Server { status: 404, .. }) => {
                    shown.set(None);
                    message.set(Some(t_string!(i18n, calendar_feed_stopped).to_string()));
                    feed.set(Some(Ok(CalendarFeedStatus { active: false, created_at: None })));
                    request_animation_frame(|| focus_id(CREATE_BUTTON));
                }
                Err(e) => message.set(Some(problem(&e))),
            }
        });
    };
    let copy = move |_| {
        let Some(url) = shown.get_untracked() else { return };
        spawn_local(async move {
            let copied = copy_to_clipboard(&url).await;
            if !copied {
                focus_id(URL_FIELD);
            }
            message.set(Some(if copied {
                t_string!(i18n, calendar_feed_copied).to_string()
            } else {
                t_string!(i18n, calendar_feed_copy_failed).to_string()
            }));
        });
    };

    let new_address = move || {
        shown.get().map(|url| {
            view! {
                <div class="form">
                    <label for=URL_FIELD>{tr(i18n, |i| t_string!(i, calendar_feed_url))}</label>
                    <input id=URL_FIELD type="text" readonly value=url aria-describedby="calendar-feed-once"
                        autocomplete="off" spellcheck="false" on:focus=select_all />
                    <p id="calendar-feed-once" class="muted">{tr(i18n, |i| t_string!(i, calendar_feed_url_once))}</p>
                </div>
                <div class="actions">
                    <button type="button" on:click=copy>{tr(i18n, |i| t_string!(i, calendar_feed_copy))}</button>
                </div>
            }
        })
    };
    let state = move || match feed.get() {
        None => view! { <p class="loading">{tr(i18n, |i| t_string!(i, loading))}</p> }.into_any(),
        Some(Ok(CalendarFeedStatus { active: true, created_at })) => {
            let since = created_at.map(|ms| local_time(ms as f64)).unwrap_or_default();
            view! {
                <p>{trf(i18n, |i| t_string!(i, calendar_feed_since), vec![("date", since)])}</p>
                <p class="muted" id="calendar-feed-new-hint">{tr(i18n, |i| t_string!(i, calendar_feed_new_hint))}</p>
                <div class="actions">
                    <button type="button" aria-describedby="calendar-feed-new-hint" on:click=create>
                        {tr(i18n, |i| t_string!(i, calendar_feed_new))}
                    </button>
                    <button type="button" class="danger" on:click=stop>{tr(i18n, |i| t_string!(i, calendar_feed_stop))}</button>
                </div>
            }
            .into_any()
        }
        Some(Ok(_)) => view! {
            <p>{tr(i18n, |i| t_string!(i, calendar_feed_off))}</p>
            <button type="button" id=CREATE_BUTTON class="primary" on:click=create>
                {tr(i18n, |i| t_string!(i, calendar_feed_create))}
            </button>
        }
        .into_any(),
        Some(Err(ApiError::Network(_))) => {
            view! { <p class="sync-error">{tr(i18n, |i| t_string!(i, needs_connection))}</p> }.into_any()
        }
        Some(Err(e)) => view! { <p class="sync-error">{problem(&e)}</p> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="calendar-feed-heading">
            <h2 id="calendar-feed-heading">{tr(i18n, |i| t_string!(i, calendar_feed_heading))}</h2>
            <p class="muted">{tr(i18n, |i| t_string!(i, calendar_feed_intro))}</p>
            {new_address}
            {state}
            <p class="form-message" role="status" aria-live="polite">{move || message.get()}</p>
        </section>
    }
}
