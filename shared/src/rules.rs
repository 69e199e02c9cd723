//! Who may do what to which kind (DESIGN.md, "Roles"), and the kinds with rules of their own.
//! Board members may also edit the person record linked to their account.
//! The server enforces these for every mutation; the interface uses them to hide what a role
//! cannot do.

use crate::kind::Kind;
use crate::merge::Tracked;
use crate::values::Role;
use uuid::Uuid;

use crate::wire::{Mutation, MutationOp, RejectCode};

/// The kinds a board member may create and edit.
const BOARD_KINDS: &[Kind] = &[Kind::Idea, Kind::Dialogue, Kind::MarketingItem, Kind::Event, Kind::Comment];

/// True when `role` may create or edit records of `kind` at all.
pub fn may_edit(role: Role, kind: Kind) -> bool {
    match role {
        Role::Admin => true,
        // The area's settings (retention of personal data among them) are the admins' call.
        Role::Staff => kind != Kind::Settings,
        Role::Board => BOARD_KINDS.contains(&kind) || kind == Kind::Conflict,
    }
}

/// True when `role` may delete and restore records (staff's work, not the board's).
pub fn may_delete(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Staff)
}

/// True when `role` may resolve the conflict `conflict` (kept as stored): whoever may edit the
/// record it is about, since keeping the lost value is an edit of that record.
pub fn may_resolve(role: Role, own_person: Option<Uuid>, conflict: &Tracked) -> bool {
    // Its values are hidden from everyone else, who could only pick blindly.
    if crate::privacy::is_private_conflict(&conflict.record) {
        return may_delete(role);
    }
    let target_kind =
        conflict.record.fields.get("target_kind").and_then(|k| serde_json::from_value(k.clone()).ok());
    let target_id =
        conflict.record.fields.get("target_id").and_then(|k| serde_json::from_value::<Uuid>(k.clone()).ok());
    match target_kind {
        Some(Kind::Person) if own_person.is_some() && own_person == target_id => true,
        Some(kind) => may_edit(role, kind),
        None => may_delete(role),
    }
}

/// Why [`check`] refused a mutation: a code for programs, the reason in plain words.
pub type Refusal = (RejectCode, String);

fn forbidden(reason: impl Into<String>) -> Refusal {
    (RejectCode::Forbidden, reason.into())
}

/// Checks a mutation against the role table and the kind rules. `current` is the record as it
/// stands (None: it does not exist); `own_person` is the person record linked to the user's
/// account, which a board member may edit.
pub fn check(
    role: Role,
    own_person: Option<Uuid>,
    m: &Mutation,
    current: Option<&Tracked>,
) -> Result<(), Refusal> {
    let staff = may_delete(role);
    // The settings id holds the settings and nothing else, or nobody could ever save them.
    if m.entity_id == crate::kinds::SETTINGS_ID && m.kind != Kind::Settings {
        return Err((
            RejectCode::InvalidMutation,
            format!("the id {} is kept for the settings record", crate::kinds::SETTINGS_ID),
        ));
    }
    let own_record = m.kind == Kind::Person && own_person == Some(m.entity_id) && current.is_some();
    if own_record && matches!(m.op, MutationOp::Put { .. }) {
        return Ok(());
    }
    if !may_edit(role, m.kind) {
        return Err(forbidden(format!("your role ({role}) may not change {} records", m.kind)));
    }
    match (&m.op, m.kind) {
        (MutationOp::Restore { .. }, _) if !staff => Err(forbidden("only staff can restore deleted records")),
        (MutationOp::Delete { .. }, _) if !staff => Err(forbidden("only staff can delete records")),
        (_, Kind::Conflict) => match (&m.op, current) {
            (_, None) => Err(forbidden("conflicts are recorded by the server, not created by clients")),
            (MutationOp::Put { fields, .. }, Some(c)) if fields.keys().all(|k| k == "resolved") => {
                if !fields.values().all(serde_json::Value::is_boolean) {
                    Err((RejectCode::InvalidField, "`resolved` must be true or false".into()))
                } else if !may_resolve(role, own_person, c) {
                    Err(forbidden(format!(
                        "your role ({role}) may not change the record this conflict is about"
                    )))
                } else {
                    Ok(())
                }
            }
            (MutationOp::Put { .. }, Some(_)) => {
                Err(forbidden("only `resolved` of a conflict can be changed"))
            }
            _ if staff => Ok(()),
            _ => Err(forbidden("a conflict can only be marked resolved")),
        },
        (_, Kind::Settings) if m.entity_id != crate::kinds::SETTINGS_ID => Err((
            RejectCode::InvalidMutation,
            format!("there is one settings record, with the id {}", crate::kinds::SETTINGS_ID),
        )),
        (MutationOp::Put { .. }, Kind::Comment) if current.is_some() => {
            Err(forbidden("comments cannot be changed once written; add a new comment"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::SETTINGS_ID;
    use crate::test_support::record;
    use serde_json::json;

    fn put(kind: Kind, entity_id: Uuid, fields: serde_json::Value) -> Mutation {
        let fields = fields.as_object().cloned().unwrap_or_default();
        Mutation { id: 1, kind, entity_id, at: 1, op: MutationOp::Put { base_rev: 0, fields } }
    }

    #[test]
    fn the_settings_id_holds_only_the_settings_and_only_admins_write_them() {
        let idea =
            put(Kind::Idea, SETTINGS_ID, json!({"title": "x", "stage": "idea", "captured_on": "2026-01-01"}));
        assert_eq!(check(Role::Board, None, &idea, None).unwrap_err().0, RejectCode::InvalidMutation);
        assert_eq!(check(Role::Admin, None, &idea, None).unwrap_err().0, RejectCode::InvalidMutation);
        let settings = put(Kind::Settings, SETTINGS_ID, json!({"idea_contact_retention_months": 12}));
        assert!(check(Role::Admin, None, &settings, None).is_ok());
        assert_eq!(check(Role::Staff, None, &settings, None).unwrap_err().0, RejectCode::Forbidden);
        let elsewhere = put(Kind::Settings, Uuid::from_u128(9), json!({}));
        assert_eq!(check(Role::Admin, None, &elsewhere, None).unwrap_err().0, RejectCode::InvalidMutation);
    }

    #[test]
    fn a_conflict_about_a_hidden_contact_is_resolved_by_staff_only() {
        let conflict = |field: &str| {
            Tracked::plain(record(
                Kind::Conflict,
                3,
                json!({"target_kind": "idea", "target_id": Uuid::from_u128(1), "field": field,
                       "kept_value": null, "lost_value": null, "lost_by": "Cy", "lost_at": 1}),
            ))
        };
        assert!(!may_resolve(Role::Board, None, &conflict("contact_info")));
        assert!(may_resolve(Role::Staff, None, &conflict("contact_info")));
        assert!(may_resolve(Role::Board, None, &conflict("title")));
    }
}
