//! Who is logged in, kept in localStorage so a reload does not log the user out; cleared on
//! logout.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use tavla_shared::wire::User;
use uuid::Uuid;

const SESSION_KEY: &str = "tavla.session";
const CLIENT_ID_KEY: &str = "tavla.client_id";

/// A logged-in user and their bearer token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub user: User,
}

/// Who is logged in, for the contact-details rules (`tavla_shared::privacy`); `None` logged out.
pub fn viewer() -> Option<tavla_shared::privacy::Viewer> {
    use_session().0.with_untracked(|s| {
        s.as_ref().map(|s| tavla_shared::privacy::Viewer {
            role: s.user.role,
            user_id: s.user.id,
            person_id: s.user.person_id,
        })
    })
}

/// The app-wide login state, provided as context by `App`.
#[derive(Debug, Clone, Copy)]
pub struct SessionState(pub RwSignal<Option<Session>>);

impl SessionState {
    /// Reads a stored session, if any.
    pub fn restore() -> Self {
        SessionState(RwSignal::new(LocalStorage::get(SESSION_KEY).ok()))
    }

    /// Stores and publishes a new session.
    /// Stores a change to the session's user that no page needs to redraw for (its second
    /// factor turned on or off): drawing the app again would lose the page's own state, such
    /// as the recovery codes it shows once.
    pub fn set_quietly(&self, session: Session) {
        let _ = LocalStorage::set(SESSION_KEY, &session);
        self.0.update_untracked(|s| *s = Some(session));
    }

    pub fn set(&self, session: Session) {
        // Storage can be full or blocked (private mode); the session then lasts until reload.
        let _ = LocalStorage::set(SESSION_KEY, &session);
        self.0.set(Some(session));
    }

    /// Forgets the session locally.
    pub fn clear(&self) {
        LocalStorage::delete(SESSION_KEY);
        self.0.set(None);
    }

    /// Ends the session because the user logged out: the next login starts at the overview,
    /// not on the page the previous user left (which it does after an expired session).
    pub fn log_out(&self) {
        LOGGED_OUT.store(true, std::sync::atomic::Ordering::Relaxed);
        self.clear();
    }

    /// True once after [`Self::log_out`].
    pub fn take_logged_out() -> bool {
        LOGGED_OUT.swap(false, std::sync::atomic::Ordering::Relaxed)
    }
}

static LOGGED_OUT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The session from context. Panics only if `App` forgot to provide it: a programming error.
pub fn use_session() -> SessionState {
    expect_context::<SessionState>()
}

/// The client id the release before schema 2 (commit 9224b27) kept in localStorage, if any:
/// the waiting edits it left in IndexedDB were made under it. Client ids now live in IndexedDB,
/// one per user, beside the mutation counter they go with, so clearing one clears both.
pub fn legacy_client_id() -> Option<Uuid> {
    LocalStorage::get::<Uuid>(CLIENT_ID_KEY).ok()
}

/// Forgets the old client id once its edits were moved to IndexedDB's schema 2.
pub fn forget_legacy_client_id() {
    LocalStorage::delete(CLIENT_ID_KEY);
}

/// A v4 UUID from `crypto.getRandomValues`, which (unlike `crypto.randomUUID`) also works on
/// plain-http LAN addresses.
pub fn random_uuid() -> Uuid {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}
