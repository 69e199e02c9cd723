//! Tavla end to end: the API black-box against a spawned server on a real port with its own
//! sled directory, and the SPA in a real headless Chromium. One test binary, so the server and
//! helpers compile once.
//!
//! Helpers (in the crate's library, `tavla_tests::helpers`): `spawn_app` starts a server;
//! `browser` drives Chromium, split into
//! `act` (do what a user does), `find` (locate things) and `check` (assert what a user sees).

mod accounts;
mod api;
mod backup;
mod board;
mod browser;
mod calendar_feed;
mod edges;
mod edges_browser;
mod export_browser;
mod first_load;
mod fuzz;
mod holds;
mod ideas_browser;
mod marketing_browser;
mod my_calendar_browser;
mod offline;
mod openapi;
mod partners_browser;
mod privacy;
mod push;
mod report_browser;
mod share;
mod usability;
