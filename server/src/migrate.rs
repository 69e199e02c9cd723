//! Changes to stored records that a new release needs once, run at start before anyone pulls.
//!
//! `partner.contacts` was one free text until the partner register made it a list of contacts
//! (name, role, e-mail, phone). A stored text cannot be split into people reliably, so it moves
//! to the end of the partner's `notes` under a heading, where staff can copy it into the list
//! (or, when the notes are too full to take it, into a comment on the partner by Tavla);
//! nothing is lost, and the history notes that Tavla moved it.

use serde_json::{Map, Value};
use tavla_shared::kinds::{Comment, KindFields};
use tavla_shared::merge::{Assertion, FieldStamp, Tracked};
use tavla_shared::protocol::LONG_TEXT_MAX;
use tavla_shared::wire::{Change, ChangeOp, Record};
use tavla_shared::{validate_fields, Kind};
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
    let mut comments = Vec::new();
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
            let mut fields = t.record.fields.clone();
            fields.insert("notes".into(), Value::String(notes.clone()));
            if validate_fields(Kind::Partner, &fields).is_ok() {
                t.record.fields = fields;
                changed.insert("notes".into(), Value::String(notes));
            } else {
                // The notes are too full to take it (a partner no device could read would
                // vanish from every page): the text becomes a comment on the partner instead.
                version += 1;
                comments.push(comment(t.record.id, &text, version, now));
            }
        }
        for field in changed.keys() {
            stamp(&mut t, field, now);
        }
        note(&mut t, now, changed);
        records.push(t);
    }
    records.extend(comments);
    if records.is_empty() {
        return Ok(0);
    }
    store.apply_server_write(ServerWrite { base_version: base, version, records, replaced_revs })?;
    Ok(due.len())
}

/// A comment by Tavla on partner `partner` holding its former free-text contacts, as version
/// `rev`. The old text was at most a long text, which a comment holds; the heading goes first
/// when there is room for it.
fn comment(partner: Uuid, text: &str, rev: u64, now: i64) -> Tracked {
    let with_heading = format!("{MOVED_CONTACTS_HEADING}\n{text}");
    let body = if with_heading.chars().count() <= LONG_TEXT_MAX { with_heading } else { text.to_string() };
    let fields = Comment {
        target_kind: Kind::Partner,
        target_id: partner,
        text: body,
        author_user_id: None,
        author_name: Some(BY.into()),
        created_at: Some(now),
    }
    .to_fields();
    let mut t =
        Tracked::plain(Record { kind: Kind::Comment, id: Uuid::new_v4(), rev, deleted: false, fields });
    t.history.push(Change {
        rev,
        at: now,
        device_at: None,
        by: BY.into(),
        op: ChangeOp::Created,
        fields: Map::new(),
    });
    t
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

        // Notes too full to take the text: it becomes Tavla's comment, and the partner stays valid.
        let full = put(
            &store,
            4,
            json!({"name": "Vingåker", "type": "municipality",
            "contacts": "Eva Ek, kommunchef", "notes": "n".repeat(LONG_TEXT_MAX - 5)}),
        );
        assert_eq!(partner_contacts_to_list(&store, 1_500).unwrap(), 1);
        let full = store.tracked(full).unwrap().unwrap();
        let p = Partner::from_record(&full.record).expect("still valid, so still shown");
        assert_eq!(p.notes.map(|n| n.len()), Some(LONG_TEXT_MAX - 5), "the notes as they were");
        let all = store.pull(0, 1000).unwrap().records;
        let comment = all
            .iter()
            .filter_map(Comment::from_record)
            .find(|c| c.target_id == full.record.id)
            .expect("a comment");
        assert_eq!(comment.text, "Kontakter (tidigare fritext):\nEva Ek, kommunchef");
        assert_eq!(comment.author_name.as_deref(), Some(BY));

        // A second start finds nothing left to move.
        let version = store.version().unwrap();
        assert_eq!(partner_contacts_to_list(&store, 2_000).unwrap(), 0);
        assert_eq!(store.version().unwrap(), version);
    }
}
