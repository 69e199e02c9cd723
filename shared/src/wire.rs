//! The JSON shapes of sync protocol v1 and the auth endpoints (DESIGN.md, "Sync protocol v1").
//! These are a contract with outside clients: field names never change.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::kinds::Kind;
use crate::values::Role;

/// One record as it travels between server and client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub kind: Kind,
    pub id: Uuid,
    /// The server's global version at the record's last change.
    pub rev: u64,
    /// A tombstone: deleted records are pulled like any change.
    #[serde(default)]
    pub deleted: bool,
    pub fields: Map<String, Value>,
}

/// What a mutation does to its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MutationOp {
    /// Creates the record (`base_rev` 0) or changes only the named fields.
    Put { base_rev: u64, fields: Map<String, Value> },
    /// Turns the record into a tombstone.
    Delete { base_rev: u64 },
    /// Adds `by` to a numeric counter field, so offline increments all count.
    Add { field: String, by: i64 },
    /// Brings a deleted record back (staff, admin).
    Restore { base_rev: u64 },
}

/// One change made by a client, in the order the client made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    /// Counts up from 1 per client.
    pub id: u64,
    pub kind: Kind,
    pub entity_id: Uuid,
    /// The client's clock, in ms since the Unix epoch, when the edit was made.
    pub at: i64,
    #[serde(flatten)]
    pub op: MutationOp,
}

/// `POST /api/v1/sync/push` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub client_id: Uuid,
    pub mutations: Vec<Mutation>,
}

/// The outcome of one pushed mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MutationStatus {
    Applied,
    /// Applied, and a conflict was recorded.
    Conflict,
    /// Invalid or not allowed; counted as processed so it never blocks the queue.
    Rejected,
}

/// One entry of a push answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationResult {
    pub id: u64,
    pub status: MutationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /api/v1/sync/push` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub last_mutation_id: u64,
    pub results: Vec<MutationResult>,
}

/// `GET /api/v1/sync/pull` query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullQuery {
    pub client_id: Uuid,
    #[serde(default)]
    pub cursor: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// `GET /api/v1/sync/pull` answer: a page of changes after the cursor, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Pass this as the next pull's cursor.
    pub cursor: u64,
    /// More changes wait; pull again at once.
    pub more: bool,
    /// The client's last processed mutation. Only final when `more` is false.
    pub last_mutation_id: u64,
    pub records: Vec<Record>,
}

/// What one change did to a record, in its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    Created,
    Changed,
    Deleted,
    Restored,
    /// A counter changed by a delta; `fields` holds the delta, not the sum.
    Added,
}

/// One entry of a record's history: who changed what, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The record's version after this change.
    pub rev: u64,
    /// The client's clock when the edit was made (ms since the Unix epoch).
    pub at: i64,
    /// Display name of the account that made it.
    pub by: String,
    pub op: ChangeOp,
    /// For `changed`: the fields that changed, with their new values (null: cleared). For
    /// `added`: the field and the delta. Empty otherwise.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub fields: Map<String, Value>,
}

/// `GET /api/v1/history/{id}` answer, newest change first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryResponse {
    pub id: Uuid,
    pub kind: Kind,
    pub changes: Vec<Change>,
    /// Older changes were dropped (the server keeps the newest [`HISTORY_LIMIT`]).
    pub truncated: bool,
}

/// How many changes the server keeps per record. Records edited more often (the funds record)
/// would otherwise grow without end and slow every push that touches them.
pub const HISTORY_LIMIT: usize = 200;

/// `POST /api/v1/auth/login` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A user as the API shows it (never with a password hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The person record behind the account (an ambassador), if linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<Uuid>,
    /// A disabled account cannot log in; its sessions are revoked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

/// `POST /api/v1/users` body (admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
    #[serde(default)]
    pub person_id: Option<Uuid>,
}

/// `PATCH /api/v1/users/{id}` body (admin): only the named fields change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<Uuid>,
}

/// `POST /api/v1/auth/password` body: any user changes their own password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/v1/auth/login` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub user: User,
}

/// What happened at a login, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginOutcome {
    Success,
    WrongCredentials,
    RateLimited,
}

/// One line of the audit log (`GET /api/v1/audit`, admin only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// ms since the Unix epoch, server clock.
    pub at: i64,
    /// The user name as typed.
    pub username: String,
    /// The client's address as the server saw it.
    pub address: String,
    pub outcome: LoginOutcome,
}

/// `GET /api/v1/audit` answer, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
}

/// The body of every error answer: a stable code for programs, plain words for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ErrorCode,
    pub message: String,
}

/// Stable error codes; the HTTP status says the same in coarser form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    MethodNotAllowed,
    PayloadTooLarge,
    TooManyRequests,
    Internal,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The examples in DESIGN.md parse as written, and serialize back to the same JSON.
    #[test]
    fn design_examples_round_trip() {
        let id = "5b0c6a0e-8d5e-4b7a-9a55-6f1a2d3c4b5a";
        let cases = [
            json!({"id": 7, "kind": "activity", "entity_id": id, "op": "put", "base_rev": 12,
                   "at": 1764256412345_i64, "fields": {"status": "done"}}),
            json!({"id": 8, "kind": "activity", "entity_id": id, "op": "delete", "base_rev": 13, "at": 1}),
            json!({"id": 9, "kind": "funds", "entity_id": id, "op": "add", "field": "granted_sek",
                   "by": 250000, "at": 2}),
            json!({"id": 10, "kind": "activity", "entity_id": id, "op": "restore", "base_rev": 14, "at": 3}),
        ];
        for case in cases {
            let m: Mutation = serde_json::from_value(case.clone()).unwrap();
            assert_eq!(serde_json::to_value(&m).unwrap(), case);
        }
    }

    #[test]
    fn unknown_op_and_kind_are_refused() {
        let id = "5b0c6a0e-8d5e-4b7a-9a55-6f1a2d3c4b5a";
        for bad in [
            json!({"id": 1, "kind": "activity", "entity_id": id, "op": "upsert", "base_rev": 0, "at": 1}),
            json!({"id": 1, "kind": "task", "entity_id": id, "op": "delete", "base_rev": 0, "at": 1}),
            json!({"id": -1, "kind": "activity", "entity_id": id, "op": "delete", "base_rev": 0, "at": 1}),
        ] {
            assert!(serde_json::from_value::<Mutation>(bad).is_err());
        }
    }
}
