//! HTTP handlers, one module per area of the API.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendar;
pub mod changes;
pub mod export;
pub mod health;
pub mod history;
pub mod privacy;
pub mod second_factor;
pub mod service_worker;
pub mod share;
pub mod sync;
pub mod users;
