//! Local state: the IndexedDB copy and the sync engine that keeps it in step with the server.

pub mod local_db;
pub mod pokes;
pub mod pull_ahead;
pub mod sync;
