//! Who sees a private person's contact details (data minimisation), and when they are removed
//! (storage limitation). Pure, so the server applies the rules to every pull, history and push,
//! and the browser says why a field is hidden with the same rules.
//!
//! Private contact details are an idea's contact (`contact_name`, `contact_info`) and the
//! e-mail and phone of a person who is neither a board member nor staff. They reach staff,
//! admins and the account that captured the idea (or whose person captured it); everyone else
//! gets the record without those fields, and their edits never change them.

use chrono::Months;
use uuid::Uuid;

use crate::date::Date;
use crate::kind::Kind;
use crate::kinds::{Conflict, Idea, KindFields, Person};
use crate::merge::Tracked;
use crate::values::{IdeaStage, Role};
use crate::wire::{Change, Record};

/// An idea's private fields.
pub const IDEA_CONTACT_FIELDS: &[&str] = &["contact_name", "contact_info"];
/// A private person's private fields.
pub const PERSON_CONTACT_FIELDS: &[&str] = &["email", "phone"];

/// Who is looking: the account's role, id and linked person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub role: Role,
    pub user_id: Uuid,
    pub person_id: Option<Uuid>,
}

impl Viewer {
    /// Staff and admins see every contact.
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Staff)
    }
}

/// The private fields `record` holds (by its kind and, for a person, roles): empty for a
/// record without personal data.
pub fn private_fields(record: &Record) -> &'static [&'static str] {
    match record.kind {
        Kind::Idea => IDEA_CONTACT_FIELDS,
        Kind::Person => match Person::from_record(record) {
            Some(p) if !p.is_private() => &[],
            // A person record that does not validate is treated as private: safe by default.
            _ => PERSON_CONTACT_FIELDS,
        },
        _ => &[],
    }
}

/// True when `viewer` may see the private fields of `record`.
pub fn may_see(viewer: &Viewer, record: &Record) -> bool {
    if viewer.is_staff() {
        return true;
    }
    match record.kind {
        Kind::Idea => {
            let field =
                |name: &str| record.fields.get(name).and_then(|v| v.as_str()).and_then(|s| s.parse().ok());
            field("captured_by_user_id") == Some(viewer.user_id)
                || viewer.person_id.is_some() && field("captured_by_person_id") == viewer.person_id
        }
        Kind::Person => viewer.person_id == Some(record.id),
        _ => true,
    }
}

/// The account that captured an idea (set by the server when it was created).
fn captured_by_account(record: &Record) -> Option<Uuid> {
    record.fields.get("captured_by_user_id").and_then(|v| v.as_str()).and_then(|s| s.parse().ok())
}

/// `record` as `viewer` may receive it: private fields left out when they may not see them.
/// A conflict about a private field carries neither value for anyone but staff.
pub fn redact(record: &mut Record, viewer: &Viewer) {
    if record.kind == Kind::Conflict {
        if !viewer.is_staff() && is_private_conflict(record) {
            record.fields.insert("kept_value".into(), serde_json::Value::Null);
            record.fields.insert("lost_value".into(), serde_json::Value::Null);
        }
        return;
    }
    if !may_see(viewer, record) {
        for f in private_fields(record) {
            record.fields.remove(*f);
        }
    }
}

/// True for a conflict about an idea's contact or a person's e-mail or phone: only staff see
/// its values and resolve it.
pub fn is_private_conflict(record: &Record) -> bool {
    Conflict::from_record(record).is_some_and(|c| match c.target_kind {
        Kind::Idea => IDEA_CONTACT_FIELDS.contains(&c.field.as_str()),
        Kind::Person => PERSON_CONTACT_FIELDS.contains(&c.field.as_str()),
        _ => false,
    })
}

/// `changes` (a record's history) as `viewer` may read them, given the record as it stands.
pub fn redact_history(changes: &mut [Change], record: &Record, viewer: &Viewer) {
    // An idea's older contacts reach only staff and the account that captured it (set by the
    // server, so it cannot be claimed): naming oneself the capturer of an idea whose contact
    // was removed would otherwise open its history.
    let sees = match record.kind {
        Kind::Idea => viewer.is_staff() || captured_by_account(record) == Some(viewer.user_id),
        _ => may_see(viewer, record),
    };
    if sees {
        return;
    }
    for change in changes {
        for f in private_fields(record) {
            change.fields.remove(*f);
        }
    }
}

/// The fields of a put by `viewer` on `current` that the server leaves out: the private fields
/// they cannot see (so an edit never blanks what its author was never shown), an idea's consent
/// with them, and the server-set `captured_by_user_id`.
pub fn fields_not_theirs(viewer: &Viewer, current: &Record) -> Vec<&'static str> {
    let mut out = vec![];
    if current.kind == Kind::Idea {
        out.push("captured_by_user_id");
    }
    if !may_see(viewer, current) {
        out.extend_from_slice(private_fields(current));
        if current.kind == Kind::Idea {
            out.push("consent");
        }
    }
    out
}

/// The day the server removes `idea`'s contact: `months` after it was finished or declined.
/// `None` while it is open or holds no contact. An idea finished before stage days were kept
/// counts from its capture day.
pub fn contact_removal_due(idea: &Idea, months: i64) -> Option<Date> {
    idea.has_contact().then(|| retention_end(idea, months, None)).flatten()
}

/// The day `months` after `idea` was finished or declined, contact or not (`None` while it is
/// open). The months count from the idea's own day for its stage (its capture day when none is
/// kept), or from `not_before` when that is later: the server's own day of the change, so a
/// client's early date can delay a removal but never bring it forward.
pub fn retention_end(idea: &Idea, months: i64, not_before: Option<Date>) -> Option<Date> {
    if !matches!(idea.stage, IdeaStage::Finished | IdeaStage::Declined) {
        return None;
    }
    let own = idea.reached(idea.stage).unwrap_or(idea.captured_on);
    let from = not_before.map_or(own, |d| d.max(own));
    let months = Months::new(u32::try_from(months.max(0)).unwrap_or(0));
    Some(Date(from.0.checked_add_months(months).unwrap_or(from.0)))
}

/// Takes `fields`' values out of a record's history (what a retention removal must also
/// scrub), leaving each change's other fields.
pub fn scrub_history(tracked: &mut Tracked, fields: &[&str]) {
    for change in &mut tracked.history {
        for f in fields {
            change.fields.remove(*f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::record;
    use serde_json::json;

    const CAPTURER: u128 = 0xc0;

    fn viewer(role: Role, user: u128, person: Option<u128>) -> Viewer {
        Viewer { role, user_id: Uuid::from_u128(user), person_id: person.map(Uuid::from_u128) }
    }

    fn idea() -> Record {
        record(
            Kind::Idea,
            1,
            json!({"title": "Bygdegård", "stage": "idea", "captured_on": "2026-03-01", "consent": true,
                   "contact_name": "Anna", "contact_info": "070-1", "captured_by_person_id": Uuid::from_u128(7),
                   "captured_by_user_id": Uuid::from_u128(CAPTURER)}),
        )
    }

    #[test]
    fn only_staff_and_the_capturer_see_an_ideas_contact() {
        for (v, sees) in [
            (viewer(Role::Staff, 1, None), true),
            (viewer(Role::Admin, 1, None), true),
            (viewer(Role::Board, CAPTURER, None), true),
            (viewer(Role::Board, 2, Some(7)), true),
            (viewer(Role::Board, 2, Some(8)), false),
            (viewer(Role::Board, 2, None), false),
        ] {
            let mut r = idea();
            redact(&mut r, &v);
            assert_eq!(r.fields.contains_key("contact_name"), sees, "{v:?}");
            assert_eq!(r.fields.contains_key("contact_info"), sees, "{v:?}");
            assert_eq!(r.fields["title"], "Bygdegård");
        }
    }

    #[test]
    fn a_private_persons_email_reaches_staff_and_themselves_only() {
        let private = record(
            Kind::Person,
            5,
            json!({"name": "Kim", "roles": ["former_project_owner"], "email": "k@x.se"}),
        );
        let board =
            record(Kind::Person, 6, json!({"name": "Bo", "roles": ["board_member"], "email": "b@x.se"}));
        let other = viewer(Role::Board, 2, Some(6));
        let (mut p, mut b) = (private.clone(), board.clone());
        redact(&mut p, &other);
        redact(&mut b, &other);
        assert!(!p.fields.contains_key("email"));
        assert_eq!(b.fields["email"], "b@x.se");
        let mut own = private.clone();
        redact(&mut own, &viewer(Role::Board, 3, Some(5)));
        assert_eq!(own.fields["email"], "k@x.se");
    }

    #[test]
    fn history_and_conflicts_of_hidden_fields_are_blanked() {
        let mut changes = vec![Change {
            rev: 2,
            at: 0,
            device_at: None,
            by: "Anna".into(),
            op: crate::wire::ChangeOp::Changed,
            fields: json!({"contact_info": "070-2", "title": "Ny"}).as_object().unwrap().clone(),
        }];
        let mut claimed = changes.clone();
        redact_history(&mut changes, &idea(), &viewer(Role::Board, 2, None));
        assert_eq!(changes[0].fields.keys().collect::<Vec<_>>(), vec!["title"]);
        // Naming oneself the capturer (person 7) opens the contact, never older contacts.
        redact_history(&mut claimed, &idea(), &viewer(Role::Board, 2, Some(7)));
        assert_eq!(claimed[0].fields.keys().collect::<Vec<_>>(), vec!["title"]);
        let mut own = vec![claimed[0].clone()];
        own[0].fields.insert("contact_info".into(), json!("070-2"));
        redact_history(&mut own, &idea(), &viewer(Role::Board, CAPTURER, None));
        assert!(own[0].fields.contains_key("contact_info"), "the capturing account keeps its history");
        let conflict = record(
            Kind::Conflict,
            9,
            json!({"target_kind": "idea", "target_id": Uuid::from_u128(1), "field": "contact_info",
                   "kept_value": "a", "lost_value": "b", "lost_by": "X", "lost_at": 1}),
        );
        let mut c = conflict.clone();
        redact(&mut c, &viewer(Role::Board, CAPTURER, None));
        assert_eq!(c.fields["lost_value"], serde_json::Value::Null);
        let mut s = conflict;
        redact(&mut s, &viewer(Role::Staff, 1, None));
        assert_eq!(s.fields["lost_value"], "b");
    }

    #[test]
    fn an_edit_by_someone_who_cannot_see_leaves_the_contact_alone() {
        let r = idea();
        assert_eq!(
            fields_not_theirs(&viewer(Role::Board, 2, None), &r),
            vec!["captured_by_user_id", "contact_name", "contact_info", "consent"]
        );
        assert_eq!(fields_not_theirs(&viewer(Role::Staff, 2, None), &r), vec!["captured_by_user_id"]);
    }

    #[test]
    fn the_contact_is_removed_months_after_the_idea_closes() {
        let mut i = Idea::from_record(&idea()).unwrap();
        assert_eq!(contact_removal_due(&i, 24), None, "open ideas keep their contact");
        i.stage = IdeaStage::Declined;
        i.stage_reached_on.insert(IdeaStage::Declined, Date::from_ymd(2026, 5, 31).unwrap());
        assert_eq!(contact_removal_due(&i, 24), Date::from_ymd(2028, 5, 31));
        assert_eq!(contact_removal_due(&i, 1), Date::from_ymd(2026, 6, 30), "end of a shorter month");
        i.stage_reached_on.clear();
        assert_eq!(
            contact_removal_due(&i, 24),
            Date::from_ymd(2028, 3, 1),
            "from capture when no day is kept"
        );
        // A later day of the server's delays the end; an earlier one changes nothing.
        let server_day = Date::from_ymd(2026, 9, 1);
        assert_eq!(retention_end(&i, 24, server_day), Date::from_ymd(2028, 9, 1));
        assert_eq!(retention_end(&i, 24, Date::from_ymd(2000, 1, 1)), Date::from_ymd(2028, 3, 1));
        i.contact_name = None;
        i.contact_info = None;
        assert_eq!(contact_removal_due(&i, 24), None);
        assert_eq!(
            retention_end(&i, 24, None),
            Date::from_ymd(2028, 3, 1),
            "the end holds without a contact"
        );
    }
}
