//! The typed edit path every form uses: a form remembers the version and values of the record
//! when it opened (its [`Base`]); saving sends only the fields the person changed, with that
//! version as `base_rev`, so a concurrent change of the same field becomes a conflict, never a
//! silent revert. When the record changes underneath, fields the person has not touched take
//! the new values at once, and what they typed is kept ([`rebase`]).

use serde_json::{Map, Value};

use crate::kinds::KindFields;

/// What a form was opened on: the record's version and its typed fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Base<T> {
    pub rev: u64,
    pub values: T,
}

/// The fields of `draft` that differ from `base`, as a put sends them (`null`: cleared).
pub fn changed_fields<T: KindFields>(base: &T, draft: &T) -> Map<String, Value> {
    let (before, after) = (base.to_fields(), draft.to_fields());
    let mut changed = Map::new();
    for key in before.keys().chain(after.keys()) {
        let now = after.get(key).cloned().unwrap_or(Value::Null);
        if before.get(key).cloned().unwrap_or(Value::Null) != now {
            changed.insert(key.clone(), now);
        }
    }
    changed
}

/// The form's base after a save: the fields that were sent (where `draft` differed from
/// `sent_from`, the base the save was computed against) written onto the base as it is now,
/// so a change from elsewhere that arrived while the save was being stored is not undone.
pub fn after_save<T: KindFields + Clone>(current: &Base<T>, sent_from: &T, draft: &T) -> Base<T> {
    let mut fields = current.values.to_fields();
    for (key, value) in changed_fields(sent_from, draft) {
        if value.is_null() {
            fields.remove(&key);
        } else {
            fields.insert(key, value);
        }
    }
    match serde_json::from_value::<T>(Value::Object(fields)) {
        Ok(values) => Base { rev: current.rev, values },
        Err(_) => current.clone(),
    }
}

/// A form's state after its record changed underneath (`incoming`, at version `rev`).
#[derive(Debug, Clone, PartialEq)]
pub struct Rebased<T> {
    pub base: Base<T>,
    pub draft: T,
    /// A field the person had changed was also changed by someone else: the form says so, and
    /// saving turns the two values into a conflict for a person to choose.
    pub clash: bool,
}

/// Moves a form onto a newer version of its record: fields the person has not touched take the
/// incoming values (and stop counting as changes); touched ones keep what was typed and the
/// value they were edited from. The base version moves on only when nothing was touched, so a
/// touched field is still sent as an edit of the version the person saw.
pub fn rebase<T: KindFields + Clone>(base: &Base<T>, draft: &T, incoming: &T, rev: u64) -> Rebased<T> {
    let (b, d, n) = (base.values.to_fields(), draft.to_fields(), incoming.to_fields());
    let get = |m: &Map<String, Value>, k: &str| m.get(k).cloned().unwrap_or(Value::Null);
    let mut new_base = Map::new();
    let mut new_draft = Map::new();
    let mut touched = false;
    let mut clash = false;
    for key in b.keys().chain(d.keys()).chain(n.keys()) {
        let (bv, dv, nv) = (get(&b, key), get(&d, key), get(&n, key));
        let (keep_base, keep_draft) = if dv == bv {
            (nv.clone(), nv)
        } else {
            touched = true;
            clash |= nv != bv && nv != dv;
            (bv, dv)
        };
        if !keep_base.is_null() {
            new_base.insert(key.clone(), keep_base);
        }
        if !keep_draft.is_null() {
            new_draft.insert(key.clone(), keep_draft);
        }
    }
    let parse = |m: Map<String, Value>| serde_json::from_value::<T>(Value::Object(m)).ok();
    match (parse(new_base), parse(new_draft)) {
        (Some(values), Some(draft)) => {
            let rev = if touched { base.rev } else { rev };
            Rebased { base: Base { rev, values }, draft, clash }
        }
        // Cannot happen for values of one kind; keep the form as it was rather than lose typing.
        _ => Rebased { base: base.clone(), draft: draft.clone(), clash: false },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Activity;
    use crate::values::ActivityStatus;
    use uuid::Uuid;

    fn activity(status: ActivityStatus, notes: Option<&str>) -> Activity {
        Activity {
            strategic_goal_id: Uuid::from_u128(1),
            title: "Workshops".into(),
            status,
            owner_person_id: None,
            due_on: None,
            notes: notes.map(str::to_string),
            municipality_ids: vec![],
            partner_ids: vec![],
            focus_area_ids: vec![],
            position: 1,
        }
    }

    /// The office marks the activity done while a board member, who opened the page before,
    /// writes a note: the note is sent alone, the status is not sent back.
    #[test]
    fn a_stale_form_sends_only_what_the_person_changed() {
        let base = Base { rev: 5, values: activity(ActivityStatus::NotStarted, None) };
        let draft = activity(ActivityStatus::NotStarted, Some("Anmälda: 3"));
        let changed = changed_fields(&base.values, &draft);
        assert_eq!(Value::Object(changed), serde_json::json!({ "notes": "Anmälda: 3" }));

        let incoming = activity(ActivityStatus::Done, None);
        let r = rebase(&base, &draft, &incoming, 9);
        assert_eq!(r.draft.status, ActivityStatus::Done, "an untouched field shows the new value");
        assert_eq!(r.draft.notes.as_deref(), Some("Anmälda: 3"), "typing is kept");
        assert_eq!(r.base.rev, 5, "a touched field is still an edit of the version seen");
        assert!(!r.clash);
        let changed = changed_fields(&r.base.values, &r.draft);
        assert_eq!(Value::Object(changed), serde_json::json!({ "notes": "Anmälda: 3" }));
    }

    #[test]
    fn a_save_keeps_a_change_that_arrived_while_it_was_stored() {
        let opened = Base { rev: 5, values: activity(ActivityStatus::NotStarted, None) };
        let draft = activity(ActivityStatus::NotStarted, Some("mine"));
        // While the save is written, a colleague's status arrives and the form follows it.
        let now = Base { rev: 9, values: activity(ActivityStatus::Done, None) };
        let after = after_save(&now, &opened.values, &draft);
        assert_eq!(after.values.status, ActivityStatus::Done, "not put back to what the save started from");
        assert_eq!(after.values.notes.as_deref(), Some("mine"));
        assert_eq!(after.rev, 9);
    }

    #[test]
    fn a_field_changed_on_both_sides_is_a_clash_and_nothing_touched_moves_the_base() {
        let base = Base { rev: 5, values: activity(ActivityStatus::NotStarted, Some("a")) };
        let draft = activity(ActivityStatus::NotStarted, Some("mine"));
        let r = rebase(&base, &draft, &activity(ActivityStatus::NotStarted, Some("theirs")), 9);
        assert!(r.clash);
        assert_eq!(r.draft.notes.as_deref(), Some("mine"));

        let untouched = base.values.clone();
        let r = rebase(&base, &untouched, &activity(ActivityStatus::Paused, Some("theirs")), 9);
        assert_eq!((r.base.rev, r.draft.status, r.clash), (9, ActivityStatus::Paused, false));
        assert!(changed_fields(&r.base.values, &r.draft).is_empty());
    }
}
