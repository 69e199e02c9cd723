//! Listening to `GET /api/v1/sync/events`: each `poke` (another device changed something) starts
//! a sync. Browsers cannot send an Authorization header with `EventSource`, so the stream is read
//! with `fetch`; the SSE framing needs no more than finding "event: poke" in the text.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use leptos::prelude::*;

use crate::session::SessionState;
use crate::store::sync::sleep;

/// Reads one event stream until it ends or fails.
async fn listen_once(on_poke: impl Fn(), token: &str) -> Result<(), JsValue> {
    let response = gloo_net::http::Request::get(tavla_shared::protocol::paths::EVENTS)
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    if !response.ok() {
        return Err(JsValue::from_str("the event stream was refused"));
    }
    // Changes made while no stream was open (before login, between reconnects) sent pokes
    // nobody heard: catch up now.
    on_poke();
    let Some(body) = response.body() else { return Ok(()) };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().dyn_into()?;
    let mut pending = String::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &"done".into())?.as_bool().unwrap_or(true) {
            return Ok(());
        }
        let bytes = Uint8Array::new(&Reflect::get(&chunk, &"value".into())?).to_vec();
        pending.push_str(&String::from_utf8_lossy(&bytes));
        // Events end with a blank line; act on each complete one.
        while let Some(end) = pending.find("\n\n") {
            let event: String = pending.drain(..end + 2).collect();
            if event.lines().any(|l| l.trim() == "event: poke") {
                on_poke();
            }
        }
    }
}

/// Keeps an event stream open while someone is logged in; reconnects after 5–60 s on failure.
pub async fn listen(on_poke: impl Fn() + Copy, session: SessionState) {
    let mut wait = 5_000;
    loop {
        let token = session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()));
        match token {
            Some(token) => match listen_once(on_poke, &token).await {
                Ok(()) => wait = 5_000,
                Err(_) => wait = (wait * 2).min(60_000),
            },
            // Not logged in yet: look again soon, so the stream opens right after a login.
            None => wait = 1_000,
        }
        sleep(wait).await;
    }
}
