//! The open event streams (`GET /api/v1/sync/events`), counted per login and overall, so a
//! client that opens streams in a loop cannot hold the server's connections and memory: each
//! login may hold a few (a browser's tabs share one), the server a fixed number in all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Why a stream was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamRefused {
    /// This login already holds as many as it may.
    PerSession(usize),
    /// The server holds as many as it may.
    Full,
}

/// The counts.
#[derive(Debug)]
pub struct Streams {
    open: Mutex<HashMap<[u8; 32], usize>>,
    per_session: usize,
    max: usize,
}

/// One open stream; dropping it (the stream ended) gives its place back.
#[derive(Debug)]
pub struct StreamPlace {
    streams: Arc<Streams>,
    session: [u8; 32],
}

impl Drop for StreamPlace {
    fn drop(&mut self) {
        let mut open = self.streams.lock();
        if let Some(n) = open.get_mut(&self.session) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.session);
            }
        }
    }
}

impl Streams {
    /// At most `per_session` streams per login and `max` in all.
    pub fn new(per_session: usize, max: usize) -> Self {
        Streams { open: Mutex::default(), per_session: per_session.max(1), max: max.max(1) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], usize>> {
        // Counts stay usable after a panic elsewhere.
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a place for a stream of the session with this token hash.
    pub fn open(self: &Arc<Self>, session: [u8; 32]) -> Result<StreamPlace, StreamRefused> {
        let mut open = self.lock();
        let total: usize = open.values().sum();
        let mine = open.get(&session).copied().unwrap_or(0);
        if mine >= self.per_session {
            return Err(StreamRefused::PerSession(self.per_session));
        }
        if total >= self.max {
            return Err(StreamRefused::Full);
        }
        *open.entry(session).or_default() += 1;
        Ok(StreamPlace { streams: self.clone(), session })
    }

    /// Streams open now.
    pub fn count(&self) -> usize {
        self.lock().values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_limited_per_session_and_overall_and_given_back() {
        let streams = Arc::new(Streams::new(2, 3));
        let a1 = streams.open([1; 32]).unwrap();
        let _a2 = streams.open([1; 32]).unwrap();
        assert_eq!(streams.open([1; 32]).unwrap_err(), StreamRefused::PerSession(2));
        let _b1 = streams.open([2; 32]).unwrap();
        assert_eq!(streams.open([3; 32]).unwrap_err(), StreamRefused::Full);
        drop(a1);
        assert_eq!(streams.count(), 2);
        assert!(streams.open([3; 32]).is_ok());
    }
}
