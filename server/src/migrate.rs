//! Changes to stored records that a new release needs once, run at start before anyone pulls.
//!
//! `partner.contacts` was one free text until the partner register made it a list of contacts
//! (name, role, e-mail, phone). A stored text cannot be split into people reliably, so it moves
//! to the end of the partner's `notes` under a heading, where staff can copy it into the list;
//! nothing is lost, and the history notes that Tavla moved it.

use serde_json::{Map, Value};
use tavla_shared::merge::{Assertion, FieldStamp, Tracked};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::retention::{note, BY};
use crate::store::{ServerWrite, Store, StoreError};

/// Records read at a time while looking for old shapes.
const PAGE: usize = 5000;

/// The heading the moved text gets in `notes`.
pub const MOVED_CONTACTS_HEADING: &str = "Kontakter (tidigare fritext):";

/// Moves every partner's free-text `contacts` into its `notes`; returns how many moved.
/// Run on a store nobody else writes meanwhile (at start).
pub fn partner_contacts_to_list(store: &dyn Store, now: i64) -> Result<usize, StoreError> {
    let base = store.version()?;
    let mut due = Vec::new();
    let mut cursor = 0;
    loop {
        let page = store.pull(cursor, PAGE)?;
        due.extend(
            page.records
                .iter()
                .filter(|r| r.kind == Kind::Partner && r.fields.get("contacts").is_some_and(Value::is_string))
                .map(|r| r.id),
        );
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    let mut version = base;
    let mut records = Vec::new();
    let mut replaced_revs = Vec::new();
    for id in &due {
        let Some(mut t) = store.tracked(*id)? else { continue };
        let text =
            t.record.fields.get("contacts").and_then(Value::as_str).unwrap_or_default().trim().to_string();
        replaced_revs.push(t.record.rev);
        version += 1;
        t.record.rev = version;
        let mut changed = Map::new();
        t.record.fields.remove("contacts");
        changed.insert("contacts".into(), Value::Array(Vec::new()));
        if !text.is_empty() {
            let old = t.record.fields.get("notes").and_then(Value::as_str).unwrap_or_default().trim_end();
            let notes = if old.is_empty() {
                format!("{MOVED_CONTACTS_HEADING}\n{text}")
            } else {
                format!("{old}\n\n{MOVED_CONTACTS_HEADING}\n{text}")
            };
            t.record.fields.insert("notes".into(), Value::String(notes.clone()));
            changed.insert("notes".into(), Value::String(notes));
        }
        for field in changed.keys() {
            stamp(&mut t, field, now);
        }
        note(&mut t, now, changed);
        records.push(t);
    }
    if records.is_empty() {
        return Ok(0);
    }
    store.apply_server_write(ServerWrite { base_version: base, version, records, replaced_revs })?;
    Ok(due.len())
}

/// Stamps `field` as Tavla's edit of the record's new version, so an older device's edit made
/// before the move loses to it instead of writing the text back.
fn stamp(t: &mut Tracked, field: &str, now: i64) {
    let winner = Assertion { rev: t.record.rev, at: now, client_id: Uuid::nil(), by: BY.into() };
    t.stamps.insert(field.into(), FieldStamp { winner, also: Vec::new() });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{RecordWrite, SledStore};
    use serde_json::json;
    use tavla_shared::kinds::{KindFields, Partner};

    fn put(store: &SledStore, id: u128, fields: Value) -> Uuid {
        let id = Uuid::from_u128(id);
        let fields = fields.as_object().cloned().unwrap();
        store.commit(vec![RecordWrite { kind: Kind::Partner, id, deleted: false, fields }]).unwrap();
        id
    }

    #[test]
    fn free_text_contacts_move_into_the_notes_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path(), 1 << 20).unwrap();
        let flen = put(
            &store,
            1,
            json!({"name": "Flens kommun", "type": "municipality",
            "contacts": "Anna Ek, näringslivschef, 0157-123 45", "notes": "Medfinansiär."}),
        );
        let gnesta = put(&store, 2, json!({"name": "Gnesta kommun", "type": "municipality", "contacts": ""}));
        let region = put(&store, 3, json!({"name": "Region Sörmland", "type": "region", "notes": "Orörd"}));
        let before = store.version().unwrap();

        assert_eq!(partner_contacts_to_list(&store, 1_000).unwrap(), 2);
        let flen = store.tracked(flen).unwrap().unwrap();
        let p = Partner::from_record(&flen.record).expect("valid under the new shape");
        assert!(p.contacts.is_empty());
        assert_eq!(
            p.notes.as_deref(),
            Some("Medfinansiär.\n\nKontakter (tidigare fritext):\nAnna Ek, näringslivschef, 0157-123 45")
        );
        assert_eq!(flen.history.last().unwrap().by, BY);
        assert!(flen.record.rev > before, "a new version, so devices pull it");
        let gnesta = store.tracked(gnesta).unwrap().unwrap();
        assert_eq!(Partner::from_record(&gnesta.record).unwrap().notes, None, "an empty text adds nothing");
        let region = store.tracked(region).unwrap().unwrap();
        assert!(region.record.rev <= before, "the partner without old text is untouched");

        // A second start finds nothing left to move.
        let version = store.version().unwrap();
        assert_eq!(partner_contacts_to_list(&store, 2_000).unwrap(), 0);
        assert_eq!(store.version().unwrap(), version);
    }
}
