//! Who may do what to which kind (DESIGN.md, "Roles"), and the kinds with rules of their own.
//! Board members may also edit the person record linked to their account.
//! The server enforces these for every mutation; the interface uses them to hide what a role
//! cannot do.

use crate::kinds::Kind;
use crate::merge::Tracked;
use crate::values::Role;
use uuid::Uuid;

use crate::wire::{Mutation, MutationOp};

/// The kinds a board member may create and edit.
const BOARD_KINDS: &[Kind] = &[Kind::Idea, Kind::Dialogue, Kind::MarketingItem, Kind::Event, Kind::Comment];

/// True when `role` may create or edit records of `kind` at all.
pub fn may_edit(role: Role, kind: Kind) -> bool {
    match role {
        Role::Admin | Role::Staff => true,
        Role::Board => BOARD_KINDS.contains(&kind) || kind == Kind::Conflict,
    }
}

/// True when `role` may delete and restore records (staff's work, not the board's).
pub fn may_delete(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Staff)
}

/// Checks a mutation against the role table and the kind rules; `Err` holds the reason in plain
/// words. `current` is the record as it stands (None: it does not exist); `own_person` is the
/// person record linked to the user's account, which a board member may edit.
pub fn check(
    role: Role,
    own_person: Option<Uuid>,
    m: &Mutation,
    current: Option<&Tracked>,
) -> Result<(), String> {
    let staff = may_delete(role);
    let own_record = m.kind == Kind::Person && own_person == Some(m.entity_id) && current.is_some();
    if own_record && matches!(m.op, MutationOp::Put { .. }) {
        return Ok(());
    }
    if !may_edit(role, m.kind) {
        return Err(format!("your role ({role}) may not change {} records", m.kind));
    }
    match (&m.op, m.kind) {
        (MutationOp::Restore { .. }, _) if !staff => Err("only staff can restore deleted records".into()),
        (MutationOp::Delete { .. }, _) if !staff => Err("only staff can delete records".into()),
        (_, Kind::Conflict) => match (&m.op, current) {
            (_, None) => Err("conflicts are recorded by the server, not created by clients".into()),
            (MutationOp::Put { fields, .. }, Some(_)) if fields.keys().all(|k| k == "resolved") => Ok(()),
            (MutationOp::Put { .. }, Some(_)) => Err("only `resolved` of a conflict can be changed".into()),
            _ if staff => Ok(()),
            _ => Err("a conflict can only be marked resolved".into()),
        },
        (MutationOp::Put { .. }, Kind::Comment) if current.is_some() => {
            Err("comments cannot be changed once written; add a new comment".into())
        }
        _ => Ok(()),
    }
}
