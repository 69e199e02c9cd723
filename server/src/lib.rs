//! Tavla's sync server as a library, so `main` and the end-to-end tests start it the same way
//! (`startup::Application::build`).
//!
//! Code map: `config` (flags and env), `startup` (bootstrap and serve), `app` (the router),
//! `routes/` (handlers), `auth` (passwords, tokens, the `AuthUser` extractor), `error` (the one
//! error type), `security` (CSP and hardening headers), `store/` (the `Store` trait and its sled implementation), `seed` (the default plan).

pub mod app;
pub mod auth;
pub mod config;
pub mod error;
pub mod limits;
pub mod passwords;
pub mod routes;
pub mod security;
pub mod seed;
pub mod startup;
pub mod state;
pub mod store;
