//! Pieces shared by several pages.

pub mod badges;
pub mod feedback;
pub mod format;
pub mod header;
pub mod lang_switch;
pub mod plan_loader;
pub mod record_log;
pub mod status_bar;
pub mod targets;
