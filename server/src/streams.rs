//! The open event streams (`GET /api/v1/sync/events`), counted per login, per account and
//! overall, so a client that opens streams in a loop cannot hold the server's connections and
//! memory: each login may hold a few (a browser's tabs share one), each account twice that
//! (a phone and a computer), the server a fixed number in all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Why a stream was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamRefused {
    /// This login already holds as many as it may.
    PerSession(usize),
    /// This account already holds as many as it may, over all its logins.
    PerUser(usize),
    /// The server holds as many as it may.
    Full,
}

/// The counts.
#[derive(Debug)]
pub struct Streams {
    open: Mutex<Open>,
    per_session: usize,
    max: usize,
}

/// Streams open now, per login and per account.
#[derive(Debug, Default)]
struct Open {
    sessions: HashMap<[u8; 32], usize>,
    users: HashMap<uuid::Uuid, usize>,
}

/// Takes one from a count, forgetting it at zero.
fn give_back<K: std::hash::Hash + Eq>(counts: &mut HashMap<K, usize>, key: &K) {
    if let Some(n) = counts.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            counts.remove(key);
        }
    }
}

/// One open stream; dropping it (the stream ended) gives its place back.
#[derive(Debug)]
pub struct StreamPlace {
    streams: Arc<Streams>,
    session: [u8; 32],
    user: uuid::Uuid,
}

impl Drop for StreamPlace {
    fn drop(&mut self) {
        let mut open = self.streams.lock();
        give_back(&mut open.sessions, &self.session);
        give_back(&mut open.users, &self.user);
    }
}

impl Streams {
    /// At most `per_session` streams per login and `max` in all.
    pub fn new(per_session: usize, max: usize) -> Self {
        Streams { open: Mutex::default(), per_session: per_session.max(1), max: max.max(1) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        // Counts stay usable after a panic elsewhere.
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a place for a stream of the session with this token hash, of account `user`.
    pub fn open(self: &Arc<Self>, session: [u8; 32], user: uuid::Uuid) -> Result<StreamPlace, StreamRefused> {
        let mut open = self.lock();
        let total: usize = open.sessions.values().sum();
        if open.sessions.get(&session).copied().unwrap_or(0) >= self.per_session {
            return Err(StreamRefused::PerSession(self.per_session));
        }
        let per_user = self.per_session * 2;
        if open.users.get(&user).copied().unwrap_or(0) >= per_user {
            return Err(StreamRefused::PerUser(per_user));
        }
        if total >= self.max {
            return Err(StreamRefused::Full);
        }
        *open.sessions.entry(session).or_default() += 1;
        *open.users.entry(user).or_default() += 1;
        Ok(StreamPlace { streams: self.clone(), session, user })
    }

    /// Streams open now.
    pub fn count(&self) -> usize {
        self.lock().sessions.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_limited_per_session_and_overall_and_given_back() {
        let streams = Arc::new(Streams::new(2, 5));
        let (anna, bo) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        let a1 = streams.open([1; 32], anna).unwrap();
        let _a2 = streams.open([1; 32], anna).unwrap();
        assert_eq!(streams.open([1; 32], anna).unwrap_err(), StreamRefused::PerSession(2));
        let _b1 = streams.open([2; 32], anna).unwrap();
        let _b2 = streams.open([2; 32], anna).unwrap();
        assert_eq!(
            streams.open([3; 32], anna).unwrap_err(),
            StreamRefused::PerUser(4),
            "a new login does not help"
        );
        let _c1 = streams.open([4; 32], bo).unwrap();
        assert_eq!(streams.open([5; 32], bo).unwrap_err(), StreamRefused::Full);
        drop(a1);
        assert_eq!(streams.count(), 4);
        assert!(streams.open([3; 32], anna).is_ok());
    }
}
