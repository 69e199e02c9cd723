//! Pull pages asked for ahead. A pull answer with more to come names the next page's cursor in
//! a header (`tavla_shared::protocol::NEXT_CURSOR_HEADER`), so the next page is asked for as
//! soon as this one's headers arrive: on a phone's slow link the pages then follow each other
//! without a round trip's pause, and each is read while the next downloads. The sync client
//! still takes the pages one by one, in order; a page asked for ahead is simply there sooner.
//!
//! Hand-written, as no library keeps fetches keyed by what a later call will ask for; the
//! answer waits in a plain cell with its waker (a channel crate cost the download 1 KB more).

use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::task::{Poll, Waker};
use tavla_shared::client::{RawPull, TransportError};
use uuid::Uuid;

/// At most this many pages wait ahead (each held whole in memory until taken).
const MAX_AHEAD: usize = 2;

type Page = Result<RawPull, TransportError>;

/// One page asked for ahead, for one user's token and client id.
struct Ahead {
    token: String,
    client: Uuid,
    cursor: u64,
    slot: Rc<Slot>,
}

/// Where a page asked for ahead lands, and who waits for it.
#[derive(Default)]
struct Slot {
    page: RefCell<Option<Page>>,
    waiting: RefCell<Option<Waker>>,
    /// The answer came (it may since have been handed over).
    arrived: Cell<bool>,
}

thread_local! {
    static AHEAD: RefCell<Vec<Ahead>> = const { RefCell::new(Vec::new()) };
    /// The page last handed over, with its cursor: [`arrived`] still answers for it.
    static TAKEN: RefCell<Option<(u64, Rc<Slot>)>> = const { RefCell::new(None) };
    /// Raised by [`forget`]: a fetch started before cannot ask for more pages after it.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// The current generation, to pass to [`start`] from a fetch begun now.
pub fn generation() -> u64 {
    GENERATION.with(Cell::get)
}

/// Asks for the page at `cursor` now (unless it is already asked for, or enough wait, or
/// [`forget`] ran since `generation` was read), with `fetch` doing the request.
pub fn start<F>(generation: u64, token: &str, client: Uuid, cursor: u64, fetch: F)
where
    F: std::future::Future<Output = Page> + 'static,
{
    if generation != self::generation() {
        return;
    }
    let slot = AHEAD.with(|a| {
        let mut ahead = a.borrow_mut();
        // Pages for another login are of no use any more.
        ahead.retain(|x| x.token == token && x.client == client);
        if ahead.len() >= MAX_AHEAD || ahead.iter().any(|x| x.cursor == cursor && x.client == client) {
            return None;
        }
        let slot = Rc::new(Slot::default());
        ahead.push(Ahead { token: token.to_string(), client, cursor, slot: slot.clone() });
        Some(slot)
    });
    if let Some(slot) = slot {
        spawn_local(async move {
            let page = fetch.await;
            *slot.page.borrow_mut() = Some(page);
            slot.arrived.set(true);
            if let Some(waker) = slot.waiting.borrow_mut().take() {
                waker.wake();
            }
        });
    }
}

/// Whether the page at `cursor` was asked for ahead and is already here: a screen can then wait
/// for it and draw both pages at once.
pub fn arrived(cursor: u64) -> bool {
    let taken =
        TAKEN.with(|t| t.borrow().as_ref().is_some_and(|(c, slot)| *c == cursor && slot.arrived.get()));
    taken || AHEAD.with(|a| a.borrow().iter().any(|x| x.cursor == cursor && x.slot.arrived.get()))
}

/// The page at `cursor` if it was asked for ahead with the same token and client id.
pub async fn take(token: &str, client: Uuid, cursor: u64) -> Option<Page> {
    let waiting = AHEAD.with(|a| {
        let mut ahead = a.borrow_mut();
        let at = ahead.iter().position(|x| x.cursor == cursor && x.client == client && x.token == token)?;
        Some(ahead.remove(at).slot)
    })?;
    TAKEN.with(|t| *t.borrow_mut() = Some((cursor, waiting.clone())));
    Some(
        std::future::poll_fn(|cx| match waiting.page.borrow_mut().take() {
            Some(page) => Poll::Ready(page),
            None => {
                *waiting.waiting.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        })
        .await,
    )
}

/// Forgets every page asked for ahead, and stops fetches under way from asking for more: after
/// a failed page (what follows it is not wanted), before a push (pages read before it must not
/// stand for the server after it) and when a round ends (the next round starts from what is
/// stored).
pub fn forget() {
    GENERATION.with(|g| g.set(g.get() + 1));
    AHEAD.with(|a| a.borrow_mut().clear());
    TAKEN.with(|t| *t.borrow_mut() = None);
}
