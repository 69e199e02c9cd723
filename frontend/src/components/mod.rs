//! Pieces shared by several pages.

pub mod badges;
pub mod header;
pub mod lang_switch;
pub mod plan_loader;
