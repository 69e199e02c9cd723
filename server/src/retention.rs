//! Storage limitation (GDPR art. 5(1)(e)): an idea's contact details are kept only as long as
//! they serve it. When an idea has been finished or declined for the months the settings record
//! names (24 by default), the server removes `contact_name` and `contact_info` from it, takes
//! their values out of the idea's history, blanks the conflicts about them, and writes all of it
//! as new versions, so every device replaces its copy at its next pull.
//!
//! [`sweep`] does the work for a given day (the injected clock: tests pass any day), on a store
//! nobody else writes meanwhile; [`sweep_serving`] runs it under the push lock of a running
//! server and tells devices; [`run_hourly`] repeats that every hour until shutdown.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{Map, Value};
use tavla_shared::date::Date;
use tavla_shared::kinds::{Conflict, Idea, KindFields, Settings, SETTINGS_ID};
use tavla_shared::merge::{Assertion, FieldStamp, Tracked};
use tavla_shared::privacy::{retention_end, scrub_history, IDEA_CONTACT_FIELDS};
use tavla_shared::wire::{Change, ChangeOp, HISTORY_LIMIT};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::auth::now_ms;
use crate::state::AppState;
use crate::store::{ServerWrite, Store, StoreError};

/// The name the history gives a removal: Tavla did it, not a person.
pub const BY: &str = "Tavla";

/// How often a running server sweeps (besides once at start).
pub const EVERY: Duration = Duration::from_secs(60 * 60);

/// Records read at a time while looking for what is due.
const PAGE: usize = 5000;

/// What a sweep changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Swept {
    /// Ideas whose contact details were removed.
    pub contacts_removed: usize,
    /// Conflicts about those contact details whose values were blanked.
    pub conflicts_scrubbed: usize,
    /// The store's version afterwards.
    pub version: u64,
}

impl Swept {
    /// True when the sweep wrote something (devices must pull).
    pub fn changed_anything(&self) -> bool {
        self.contacts_removed + self.conflicts_scrubbed > 0
    }
}

/// Today in UTC: the day a running server sweeps for. A removal is due on a day, not an hour,
/// so the few hours between UTC and Swedish time do not matter.
pub fn today() -> Date {
    Date(chrono::Utc::now().date_naive())
}

/// True when `idea` has been finished or declined for `months` by `today`, whether or not it
/// still holds a contact: a conflict, or a late edit from a device that was offline, can still
/// carry one after the contact itself was removed.
///
/// The months count from the later of two days: the idea's own day for its stage (a client's
/// word, the capture day when none is kept) and the server's own date
/// of the change that put the idea in that stage ([`server_stage_day`]). A client's date can
/// only delay the removal, never bring it forward: a board member who may not even see the
/// contact cannot have it destroyed by declining the idea "in 2000". An idea whose history
/// does not tell when it reached its stage (none kept) waits for a later turn.
fn past_retention(idea: &Idea, tracked: &Tracked, months: i64, today: Date) -> bool {
    let Some(server_day) = server_stage_day(idea, tracked) else { return false };
    retention_end(idea, months, Some(server_day)).is_some_and(|end| end <= today)
}

/// The server's date (UTC) of the change that put `idea` in its current stage, from its
/// history: the newest change that set `stage` to it, or the creation when no kept change did
/// and the history is whole (the idea was created in that stage). When the history was cut
/// short, the oldest kept entry's date (the stage was reached no later than that, so counting
/// from it only delays); `None` when no history is kept at all.
fn server_stage_day(idea: &Idea, tracked: &Tracked) -> Option<Date> {
    let stage = idea.stage.as_str();
    let history = &tracked.history;
    let entry = history
        .iter()
        .rev()
        .find(|c| c.op == ChangeOp::Changed && c.fields.get("stage").and_then(Value::as_str) == Some(stage))
        .or_else(|| history.first())?;
    Some(utc_day(entry.at))
}

/// The UTC date of a server time in ms.
fn utc_day(ms: i64) -> Date {
    Date(chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().date_naive())
}

/// Removes the contact details that are due on `today` from every idea (deleted ones too: a
/// tombstone keeps its fields, and is pulled by every device), scrubs their values from the
/// ideas' histories, and blanks and resolves the conflicts about them; all as new versions in
/// one atomic write, noted in each history as done by [`BY`] at `now` (ms). The caller makes
/// sure nobody writes records meanwhile (the push lock of a running server) and flushes.
pub fn sweep(store: &dyn Store, today: Date, now: i64) -> Result<Swept, StoreError> {
    let base = store.version()?;
    let months = store
        .record(SETTINGS_ID)?
        .map(|r| Settings::of(std::iter::once(&r)))
        .unwrap_or_default()
        .retention_months();

    let mut past: HashSet<Uuid> = HashSet::new();
    let mut ideas: Vec<Uuid> = Vec::new();
    let mut conflicts: Vec<(Uuid, Uuid)> = Vec::new();
    let mut cursor = 0;
    loop {
        let page = store.pull(cursor, PAGE)?;
        for record in &page.records {
            match record.kind {
                Kind::Idea => {
                    let Some(idea) = Idea::from_record(record) else { continue };
                    // The client's day alone is the earliest the contact can be due; only
                    // then is the history read for the server's day.
                    if retention_end(&idea, months, None).is_none_or(|end| end > today) {
                        continue;
                    }
                    let Some(tracked) = store.tracked(record.id)? else { continue };
                    if past_retention(&idea, &tracked, months, today) {
                        past.insert(record.id);
                        if IDEA_CONTACT_FIELDS.iter().any(|f| record.fields.contains_key(*f)) {
                            ideas.push(record.id);
                        }
                    }
                }
                Kind::Conflict => {
                    let Some(c) = Conflict::from_record(record) else { continue };
                    let about_contact =
                        c.target_kind == Kind::Idea && IDEA_CONTACT_FIELDS.contains(&c.field.as_str());
                    let holds_something = !c.kept_value.is_null() || !c.lost_value.is_null() || !c.resolved;
                    if about_contact && holds_something {
                        conflicts.push((record.id, c.target_id));
                    }
                }
                _ => {}
            }
        }
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    conflicts.retain(|(_, target)| past.contains(target));

    let mut version = base;
    let mut records = Vec::new();
    let mut replaced_revs = Vec::new();
    let mut next = |t: &mut Tracked, replaced: &mut Vec<u64>| {
        replaced.push(t.record.rev);
        version += 1;
        t.record.rev = version;
    };
    // Consent goes with the contact: an edit of the contact made offline before the removal
    // and pushed after it then fails the consent rule instead of bringing the contact back.
    let mut cleared: Map<String, Value> =
        IDEA_CONTACT_FIELDS.iter().map(|f| (f.to_string(), Value::Null)).collect();
    cleared.insert("consent".into(), Value::Bool(false));
    for id in &ideas {
        let Some(mut t) = store.tracked(*id)? else { continue };
        next(&mut t, &mut replaced_revs);
        for f in IDEA_CONTACT_FIELDS {
            t.record.fields.remove(*f);
            t.stamps.remove(*f);
        }
        t.record.fields.insert("consent".into(), Value::Bool(false));
        // Stamped as Tavla's own edit of this version: a stale `consent: true` from a device
        // loses to it (the newer edit wins), so it cannot bring the contact back either.
        t.stamps.insert(
            "consent".into(),
            FieldStamp {
                winner: Assertion { rev: t.record.rev, at: now, client_id: Uuid::nil(), by: BY.into() },
                also: Vec::new(),
            },
        );
        scrub_history(&mut t, IDEA_CONTACT_FIELDS);
        note(&mut t, now, cleared.clone());
        records.push(t);
    }
    let blanked: Map<String, Value> = [
        ("kept_value".to_string(), Value::Null),
        ("lost_value".to_string(), Value::Null),
        ("resolved".to_string(), Value::Bool(true)),
    ]
    .into_iter()
    .collect();
    for (id, _) in &conflicts {
        let Some(mut t) = store.tracked(*id)? else { continue };
        next(&mut t, &mut replaced_revs);
        for (f, v) in &blanked {
            t.record.fields.insert(f.clone(), v.clone());
        }
        note(&mut t, now, blanked.clone());
        records.push(t);
    }
    let swept = Swept { contacts_removed: ideas.len(), conflicts_scrubbed: conflicts.len(), version };
    if records.is_empty() {
        return Ok(swept);
    }
    store.apply_server_write(ServerWrite { base_version: base, version, records, replaced_revs })?;
    Ok(swept)
}

/// Appends Tavla's own change to a record's history, keeping its length bounded.
pub(crate) fn note(t: &mut Tracked, now: i64, fields: Map<String, Value>) {
    t.history.push(Change {
        rev: t.record.rev,
        at: now,
        device_at: None,
        by: BY.into(),
        op: ChangeOp::Changed,
        fields,
    });
    if t.history.len() > HISTORY_LIMIT {
        let excess = t.history.len() - HISTORY_LIMIT;
        t.history.drain(..excess);
        t.history_truncated = true;
    }
}

/// Sweeps a running server for `today`: under the push lock (a push is never planned on a
/// version the sweep moves), flushed, and with a poke so devices pull the removals at once.
pub async fn sweep_serving(state: &AppState, today: Date) -> Result<Swept, StoreError> {
    let _guard = state.push_lock.lock().await;
    let swept = sweep(&*state.store, today, now_ms())?;
    if swept.changed_anything() {
        state.store.flush().await?;
        state.pokes.send_replace(swept.version);
    }
    log(&swept);
    Ok(swept)
}

/// Writes what a sweep did to the server log (counts only: the values are gone).
pub fn log(swept: &Swept) {
    if swept.changed_anything() {
        tracing::info!(
            contacts = swept.contacts_removed,
            conflicts = swept.conflicts_scrubbed,
            "retention: contact details of closed ideas removed"
        );
    }
}

/// Sweeps every [`EVERY`] (the first an hour after start, which sweeps on its own) until the
/// server stops. A failed sweep is logged and tried again at the next turn.
pub async fn run_hourly(state: AppState) {
    let mut stopping = state.stopping.subscribe();
    loop {
        // Read before waiting: a stop sent before this task first ran is no change to wait
        // for, and waiting would hold the server's shutdown for an hour (a test stopping a
        // server right after its start hung so).
        if *stopping.borrow_and_update() {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stopping.changed() => {}
        }
        if *stopping.borrow() {
            return;
        }
        if let Err(e) = sweep_serving(&state, today()).await {
            tracing::error!("retention sweep failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{RecordWrite, SledStore};
    use serde_json::json;
    use tavla_shared::wire::Record;

    fn open() -> (tempfile::TempDir, SledStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path(), 8 << 20).unwrap();
        (dir, store)
    }

    fn day(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    fn write(kind: Kind, id: u128, fields: Value) -> RecordWrite {
        RecordWrite {
            kind,
            id: Uuid::from_u128(id),
            deleted: false,
            fields: fields.as_object().unwrap().clone(),
        }
    }

    /// Gives record `id` a history of `changes` (as pushes leave one), as a new version.
    fn give_history(store: &SledStore, id: u128, changes: Vec<Change>) {
        let mut t = store.tracked(Uuid::from_u128(id)).unwrap().unwrap();
        let base = store.version().unwrap();
        let replaced = t.record.rev;
        t.record.rev = base + 1;
        t.history = changes;
        store
            .apply_server_write(ServerWrite {
                base_version: base,
                version: base + 1,
                replaced_revs: vec![replaced],
                records: vec![t],
            })
            .unwrap();
    }

    fn change(at: i64, op: ChangeOp, fields: Value) -> Change {
        Change {
            rev: 1,
            at,
            device_at: None,
            by: "Bo".into(),
            op,
            fields: fields.as_object().unwrap().clone(),
        }
    }

    /// Server ms of noon UTC on a day.
    fn ms(y: i32, m: u32, d: u32) -> i64 {
        day(y, m, d).0.and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp_millis()
    }

    fn declined_idea(id: u128, on: &str) -> RecordWrite {
        write(
            Kind::Idea,
            id,
            json!({"title": "Bygdegård", "stage": "declined", "captured_on": "2023-05-01", "consent": true,
                   "contact_name": "Anna Ek", "contact_info": "070-123 45 67",
                   "stage_reached_on": {"declined": on}}),
        )
    }

    #[test]
    fn contact_details_go_on_their_day_with_their_history_and_conflicts() {
        let (_dir, store) = open();
        store.commit(vec![declined_idea(1, "2024-01-10")]).unwrap();
        // A history that holds the values, as pushes leave it.
        let mut t = store.tracked(Uuid::from_u128(1)).unwrap().unwrap();
        t.history.push(Change {
            rev: 1,
            at: 5,
            device_at: None,
            by: "Bo".into(),
            op: ChangeOp::Changed,
            fields: json!({"contact_info": "070-123 45 67", "title": "Bygdegård"})
                .as_object()
                .unwrap()
                .clone(),
        });
        let conflict = write(
            Kind::Conflict,
            2,
            json!({"target_kind": "idea", "target_id": Uuid::from_u128(1), "field": "contact_info",
                   "kept_value": "070-123 45 67", "lost_value": "anna@example.se", "lost_by": "Bo", "lost_at": 1}),
        );
        let other = write(
            Kind::Conflict,
            3,
            json!({"target_kind": "idea", "target_id": Uuid::from_u128(1), "field": "title",
                   "kept_value": "a", "lost_value": "b", "lost_by": "Bo", "lost_at": 1}),
        );
        store.commit(vec![conflict, other]).unwrap();
        store
            .apply_server_write(ServerWrite {
                base_version: 3,
                version: 4,
                replaced_revs: vec![t.record.rev],
                records: vec![Tracked { record: Record { rev: 4, ..t.record.clone() }, ..t }],
            })
            .unwrap();

        let before = sweep(&store, day(2026, 1, 9), 100).unwrap();
        assert_eq!((before.contacts_removed, before.conflicts_scrubbed, before.version), (0, 0, 4));

        let swept = sweep(&store, day(2026, 1, 10), 100).unwrap();
        assert_eq!((swept.contacts_removed, swept.conflicts_scrubbed, swept.version), (1, 1, 6));
        let idea = store.tracked(Uuid::from_u128(1)).unwrap().unwrap();
        assert!(!idea.record.fields.contains_key("contact_name"));
        assert!(!idea.record.fields.contains_key("contact_info"));
        let text = serde_json::to_string(&idea).unwrap();
        assert!(!text.contains("070") && !text.contains("Anna"), "{text}");
        let last = idea.history.last().unwrap();
        assert_eq!((last.by.as_str(), last.at, last.rev), (BY, 100, idea.record.rev));
        assert_eq!(
            Value::Object(last.fields.clone()),
            json!({"contact_name": null, "contact_info": null, "consent": false})
        );
        assert_eq!(idea.record.fields["consent"], false, "consent goes with the contact");
        assert_eq!(idea.stamps["consent"].winner.at, 100);
        assert_eq!(idea.history[0].fields["title"], "Bygdegård", "other fields' history stays");
        let c = store.record(Uuid::from_u128(2)).unwrap().unwrap();
        assert_eq!((&c.fields["kept_value"], &c.fields["lost_value"]), (&Value::Null, &Value::Null));
        assert_eq!(c.fields["resolved"], true);
        assert_eq!(store.record(Uuid::from_u128(3)).unwrap().unwrap().fields["kept_value"], "a");
        // Pulled as new versions, each once.
        let page = store.pull(4, 10).unwrap();
        assert_eq!(page.records.len(), 2);

        assert_eq!(sweep(&store, day(2027, 1, 1), 200).unwrap(), Swept { version: 6, ..Swept::default() });
    }

    #[test]
    fn the_settings_record_sets_the_months_and_open_ideas_keep_their_contact() {
        let (_dir, store) = open();
        let open_idea = write(
            Kind::Idea,
            2,
            json!({"title": "Öppen", "stage": "applying", "captured_on": "2020-01-01", "consent": true,
                   "contact_name": "Kim"}),
        );
        store.commit(vec![declined_idea(1, "2024-01-10"), open_idea]).unwrap();
        give_history(&store, 1, vec![change(ms(2024, 1, 1), ChangeOp::Created, json!({}))]);
        give_history(&store, 2, vec![change(ms(2020, 1, 1), ChangeOp::Created, json!({}))]);
        assert_eq!(sweep(&store, day(2024, 2, 10), 1).unwrap().contacts_removed, 0, "24 months by default");
        store
            .commit(vec![write(
                Kind::Settings,
                SETTINGS_ID.as_u128(),
                json!({"idea_contact_retention_months": 1}),
            )])
            .unwrap();
        assert_eq!(sweep(&store, day(2024, 2, 9), 1).unwrap().contacts_removed, 0);
        assert_eq!(sweep(&store, day(2024, 2, 10), 1).unwrap().contacts_removed, 1);
        assert_eq!(store.record(Uuid::from_u128(2)).unwrap().unwrap().fields["contact_name"], "Kim");
    }

    #[test]
    fn a_clients_early_date_never_brings_the_removal_forward() {
        let (_dir, store) = open();
        // Declined "in 2000" by a client; the server saw the change on 2026-03-05.
        store.commit(vec![declined_idea(1, "2000-01-01"), declined_idea(2, "2000-01-01")]).unwrap();
        give_history(
            &store,
            1,
            vec![
                change(ms(2025, 6, 1), ChangeOp::Created, json!({})),
                change(ms(2026, 3, 5), ChangeOp::Changed, json!({"stage": "declined"})),
                change(ms(2026, 4, 1), ChangeOp::Changed, json!({"title": "Senare"})),
            ],
        );
        assert_eq!(sweep(&store, day(2028, 3, 4), 1).unwrap().contacts_removed, 0);
        // Idea 2 has no history at all: it waits rather than trust the client's day.
        assert_eq!(sweep(&store, day(2030, 1, 1), 1).unwrap().contacts_removed, 1);
        let kept = store.record(Uuid::from_u128(2)).unwrap().unwrap();
        assert_eq!(kept.fields["contact_name"], "Anna Ek");
        assert!(!store.record(Uuid::from_u128(1)).unwrap().unwrap().fields.contains_key("contact_name"));

        // Created declined, without a day: from the server's day of creation, not captured_on.
        let (_dir, store) = open();
        let mut undated = declined_idea(3, "2000-01-01");
        undated.fields.remove("stage_reached_on");
        store.commit(vec![undated]).unwrap();
        give_history(&store, 3, vec![change(ms(2026, 3, 5), ChangeOp::Created, json!({}))]);
        assert_eq!(sweep(&store, day(2028, 3, 4), 1).unwrap().contacts_removed, 0);
        assert_eq!(sweep(&store, day(2028, 3, 5), 1).unwrap().contacts_removed, 1);

        // A later day of the client's own still counts (it only delays).
        let (_dir, store) = open();
        store.commit(vec![declined_idea(4, "2026-09-01")]).unwrap();
        give_history(&store, 4, vec![change(ms(2026, 3, 5), ChangeOp::Created, json!({}))]);
        assert_eq!(sweep(&store, day(2028, 8, 31), 1).unwrap().contacts_removed, 0);
        assert_eq!(sweep(&store, day(2028, 9, 1), 1).unwrap().contacts_removed, 1);

        // History cut short without the stage change: from the oldest kept entry.
        let (_dir, store) = open();
        store.commit(vec![declined_idea(5, "2000-01-01")]).unwrap();
        give_history(&store, 5, vec![change(ms(2026, 3, 5), ChangeOp::Changed, json!({"title": "x"}))]);
        assert_eq!(sweep(&store, day(2028, 3, 4), 1).unwrap().contacts_removed, 0);
        assert_eq!(sweep(&store, day(2028, 3, 5), 1).unwrap().contacts_removed, 1);
    }
}
