//! Shows a page once the local copy is loaded, assembled as the plan view.

use std::sync::Arc;

use leptos::prelude::*;
use tavla_shared::plan_view::PlanView;

use crate::components::tr;
use crate::i18n::*;
use crate::store::sync::use_sync;

/// Renders `children` with the plan as the screen should show it (server state plus pending
/// edits), again whenever any record on screen changes (forms belong outside it). Generic only at the door: the work is done once, in
/// [`with_plan_dyn`], not copied into the download for every page that uses it.
pub fn with_plan(children: impl Fn(PlanView) -> AnyView + Send + Sync + 'static) -> AnyView {
    with_plan_dyn(Arc::new(children))
}

fn with_plan_dyn(children: Arc<dyn Fn(PlanView) -> AnyView + Send + Sync>) -> AnyView {
    let i18n = use_i18n();
    let sync = use_sync();
    // A first visit has nothing local: wait for the first sync (or its error) before saying
    // there is no plan. A memo, so the page is redrawn when readiness flips, not on every
    // change of the sync status.
    let ready = Memo::new(move |_| {
        sync.loaded.get()
            && (sync.server.with(|s| !s.is_empty())
                || sync.status.with(|s| s.last_sync_ms.is_some() || s.last_error.is_some()))
    });
    (move || {
        if ready.get() {
            mark_first_render();
            // A redraw replaces the element that has the keyboard focus: give it back to the
            // new one with the same id, or a keyboard user lands at the top of the page
            // whenever a sync brings news.
            keep_focus();
            // Pages also show records outside the plan view (funds, events, pending badges):
            // redrawn on any change of what the screen shows.
            children(sync.view.with(|v| PlanView::from_records(v.values())))
        } else {
            view! { <p class="loading" role="status">{tr(i18n, |i| t_string!(i, loading))}</p> }.into_any()
        }
    })
    .into_any()
}

/// Notes the id of the focused element, and after the redraw focuses the element of that id
/// if the focus was lost with the old one (it fell back to the page's body).
fn keep_focus() {
    let id = document().active_element().map(|e| e.id()).filter(|id| !id.is_empty());
    if let Some(id) = id {
        request_animation_frame(move || {
            let lost = document().active_element().is_none_or(|e| e.tag_name() == "BODY");
            if lost {
                crate::components::focus_id(&id);
            }
        });
    }
}

/// Marks (once per page load) the moment the plan first shows, as `performance` entry
/// "tavla-first-render": the cold-start benchmark reads it, and so can anyone's dev tools.
fn mark_first_render() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static MARKED: AtomicBool = AtomicBool::new(false);
    if !MARKED.swap(true, Ordering::Relaxed) {
        crate::boot::mark("tavla-first-render");
    }
}
