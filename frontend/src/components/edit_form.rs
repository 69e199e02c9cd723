//! A form on the typed edit path while it is open (`tavla_shared::edit`): it remembers the
//! version and values it opened with; when its record changes underneath (another device,
//! another tab), untouched fields take the new values at once and what was typed stays; it
//! says so when a field changed on both sides; and it asks before the page is left with
//! unsaved changes.

use leptos::prelude::*;
use tavla_shared::edit::{after_save, changed_fields, rebase, Base};
use tavla_shared::KindFields;
use uuid::Uuid;

use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use tavla_shared::wire::MutationOp;
use tavla_shared::Kind;

use crate::components::feedback::Feedback;
use crate::components::unsaved::guard_unsaved;
use crate::i18n::*;
use crate::store::sync::{use_sync, SyncEngine};

/// An open form's memory: what it is an edit of, and whether the record changed under it.
pub struct EditForm<T: Send + Sync + 'static> {
    pub base: StoredValue<Base<T>>,
    /// The record changed elsewhere while the person had changes of their own.
    pub stale: RwSignal<bool>,
    sync: SyncEngine,
}

impl<T: Send + Sync + 'static> Clone for EditForm<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for EditForm<T> {}

impl<T: KindFields + Clone + Send + Sync + 'static> EditForm<T> {
    /// Saves `typed` (the form as a typed record) as an edit of what the form opened with; the
    /// answer goes to `message`. Not saved (a full device, private mode): what was typed stays.
    pub fn submit(self, id: Uuid, typed: T, message: Feedback, i18n: I18nContext<Locale>) {
        let sync = self.sync;
        let b = self.base.get_value();
        spawn_local(async move {
            match sync.save(id, &b, &typed).await {
                Ok(mutation) => {
                    self.saved(&b.values, &typed);
                    message.saved(mutation);
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    }

    /// After a save of `draft` computed against `sent_from`: what was sent becomes part of the
    /// base (as it is now, with anything that arrived meanwhile), and the clash notice goes.
    pub fn saved(self, sent_from: &T, draft: &T) {
        self.base.update_value(|b| *b = after_save(b, sent_from, draft));
        self.stale.set(false);
    }
}

/// Starts following record `id`, opened as `opened`. `draft` reads the form as a typed record;
/// `show` puts a record's values into the form's fields. `question` is asked before leaving
/// with unsaved changes.
pub fn edit_form<T>(
    id: Uuid,
    opened: T,
    draft: impl Fn() -> T + Clone + 'static,
    show: impl Fn(&T) + 'static,
    question: &'static str,
) -> EditForm<T>
where
    T: KindFields + Clone + PartialEq + Send + Sync + 'static,
{
    let sync = use_sync();
    let base = StoredValue::new(Base { rev: sync.base_rev(id), values: opened });
    let stale = RwSignal::new(false);
    let typed = draft.clone();
    Effect::new(move |_| {
        let Some(incoming) = sync.view.with(|v| v.get(&id).and_then(T::from_record)) else { return };
        // The version comes from the server's copy: the screen's carries pending edits.
        let rev = sync.base_rev(id);
        let (b, now) = (base.get_value(), typed());
        if rev == b.rev && incoming == now {
            return;
        }
        let r = rebase(&b, &now, &incoming, rev);
        if r.draft != now {
            show(&r.draft);
        }
        if r.clash || (r.base.rev != rev && incoming != b.values) {
            stale.set(true);
        }
        base.set_value(r.base);
    });
    guard_unsaved(move || !changed_fields(&base.get_value().values, &draft()).is_empty(), question);
    EditForm { base, stale, sync }
}

/// Deletes record `id` of `kind` once the person confirms `question` (staff's: the server
/// refuses others). The page shows the tombstone with its way back.
pub fn delete_record(sync: SyncEngine, kind: Kind, id: Uuid, question: &str) {
    if !window().confirm_with_message(question).unwrap_or(false) {
        return;
    }
    let op = MutationOp::Delete { base_rev: sync.base_rev(id) };
    spawn_local(async move {
        let _ = sync.edit(kind, id, op).await;
    });
}

/// Restores the deleted record `id` of `kind`.
pub fn restore_record(sync: SyncEngine, kind: Kind, id: Uuid) {
    let op = MutationOp::Restore { base_rev: sync.base_rev(id) };
    spawn_local(async move {
        let _ = sync.edit(kind, id, op).await;
    });
}
