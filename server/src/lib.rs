//! Tavla's sync server as a library, so `main` and the end-to-end tests start it the same way
//! (`startup::Application::build`).
//!
//! Code map: `config` (flags and env), `startup` (bootstrap and serve), `app` (the router),
//! `routes/` (handlers), `accounts/` (account rules, password hashing in turns, login limits),
//! `auth` (tokens, sessions, the `AuthUser` and `AdminUser` extractors), `streams` (the open
//! event streams and their caps), `body` (request bodies read whole first), `error` (the one error type), `security` (CSP and hardening
//! headers), `store/` (the `Store` trait and its sled implementation), `seed` (the default
//! plan), `retention` (contact details of closed ideas removed when their time is up).

pub mod accounts;
pub mod app;
pub mod auth;
pub mod backup;
pub mod body;
pub mod client_address;
pub mod config;
pub mod error;
pub mod ical;
pub mod migrate;
pub mod openapi;
pub mod retention;
pub mod routes;
pub mod security;
pub mod seed;
pub mod startup;
pub mod state;
pub mod store;
pub mod streams;
