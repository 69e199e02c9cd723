//! HTTP handlers, one module per area of the API.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendar;
pub mod health;
pub mod history;
pub mod privacy;
pub mod second_factor;
pub mod service_worker;
pub mod sync;
pub mod users;
