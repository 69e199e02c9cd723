//! A line on a record's own page when it has an open conflict, linking to it: the status bar's
//! small count is easy to miss, and the person looking at the record is the one who knows.

use leptos::prelude::*;
use tavla_shared::kinds::{Conflict, KindFields};
use uuid::Uuid;

use crate::components::tr;
use crate::i18n::*;
use crate::paths;
use crate::store::sync::use_sync;

/// True when this account reviews the conflict `record`: one about a hidden contact (an idea's
/// contact, a private person's e-mail or phone) is staff's alone; everyone else gets it without
/// its values and could only choose blindly.
pub fn reviews(staff: bool, record: &tavla_shared::Record) -> bool {
    staff || !tavla_shared::privacy::is_private_conflict(record)
}

/// True when the logged-in account is staff or admin.
pub fn is_staff() -> bool {
    crate::session::use_session()
        .0
        .with_untracked(|s| s.as_ref().is_some_and(|s| tavla_shared::rules::may_delete(s.user.role)))
}

/// Shown while `target_id` has an open conflict.
#[component]
pub fn ConflictBanner(target_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let staff = is_staff();
    let first_open = Memo::new(move |_| {
        sync.view.with(|v| {
            v.values()
                .filter(|r| !r.deleted && reviews(staff, r))
                .filter_map(|r| Conflict::from_record(r).map(|c| (r.id, c)))
                .find(|(_, c)| c.target_id == target_id && !c.resolved)
                .map(|(id, _)| id)
        })
    });
    move || {
        first_open.get().map(|id| {
            view! {
                <p class="card warning conflict-banner" role="status">
                    {tr(i18n, |i| t_string!(i, conflict_banner))} " "
                    <a href=paths::conflict(id)>{tr(i18n, |i| t_string!(i, conflict_banner_link))}</a>
                </p>
            }
        })
    }
}
