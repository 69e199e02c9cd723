//! The JSON shapes of sync protocol v1 and the auth endpoints (DESIGN.md, "Sync protocol v1").
//! These are a contract with outside clients: field names never change.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::date::Date;
use crate::kind::Kind;
use crate::values::Role;

/// One record as it travels between server and client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Record {
    pub kind: Kind,
    pub id: Uuid,
    /// The server's global version at the record's last change.
    pub rev: u64,
    /// A tombstone: deleted records are pulled like any change.
    #[serde(default)]
    pub deleted: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
}

/// What a mutation does to its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MutationOp {
    /// Creates the record (`base_rev` 0) or changes only the named fields.
    Put {
        base_rev: u64,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        fields: Map<String, Value>,
    },
    /// Turns the record into a tombstone.
    Delete { base_rev: u64 },
    /// Adds `by` to a numeric counter field, so offline increments all count.
    Add { field: String, by: i64 },
    /// Brings a deleted record back (staff, admin).
    Restore { base_rev: u64 },
}

/// One change made by a client, in the order the client made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub client_id: Uuid,
    pub mutations: Vec<Mutation>,
}

/// The outcome of one pushed mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MutationStatus {
    Applied,
    /// Applied, and a conflict was recorded.
    Conflict,
    /// Invalid or not allowed; counted as processed so it never blocks the queue.
    Rejected,
    /// A replay of a mutation processed so long ago that its result is no longer kept
    /// ([`crate::protocol::RESULTS_KEPT`]): it changed nothing now.
    AlreadyApplied,
}

/// Why a mutation was rejected, for programs (the `reason` says it in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// The user's role may not make this change.
    Forbidden,
    /// A field is missing, unknown, of the wrong type, or breaks a rule.
    InvalidField,
    /// The record would be larger than a client may write.
    TooLarge,
    /// A kind this server does not know (a client of a newer release).
    UnknownKind,
    /// An op this server does not know (a client of a newer release).
    UnknownOp,
    /// The mutation's envelope is malformed (an empty put, a wrong type in `base_rev` …).
    InvalidMutation,
    /// A delete, restore or add of a record that does not exist.
    NoSuchRecord,
    /// The id belongs to a record of another kind.
    KindMismatch,
    /// A code from a newer server that this client does not know.
    #[serde(other)]
    Other,
}

impl RejectCode {
    /// Every code the server sends.
    pub const ALL: &'static [RejectCode] = &[
        RejectCode::Forbidden,
        RejectCode::InvalidField,
        RejectCode::TooLarge,
        RejectCode::UnknownKind,
        RejectCode::UnknownOp,
        RejectCode::InvalidMutation,
        RejectCode::NoSuchRecord,
        RejectCode::KindMismatch,
    ];

    /// The wire name, e.g. `too_large`.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectCode::Forbidden => "forbidden",
            RejectCode::InvalidField => "invalid_field",
            RejectCode::TooLarge => "too_large",
            RejectCode::UnknownKind => "unknown_kind",
            RejectCode::UnknownOp => "unknown_op",
            RejectCode::InvalidMutation => "invalid_mutation",
            RejectCode::NoSuchRecord => "no_such_record",
            RejectCode::KindMismatch => "kind_mismatch",
            RejectCode::Other => "other",
        }
    }
}

/// One entry of a push answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    pub id: u64,
    pub status: MutationStatus,
    /// Set when `status` is `rejected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<RejectCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Longest reason a rejection carries, in characters: reasons may quote what was sent (a kind's
/// name, a serde message), and the server keeps them, so a client must not be able to make
/// them large.
pub const REASON_MAX_CHARS: usize = 200;

impl MutationResult {
    /// A rejection with its code and reason (cut to [`REASON_MAX_CHARS`]).
    pub fn rejected(id: u64, code: RejectCode, reason: impl Into<String>) -> Self {
        let mut reason: String = reason.into();
        if let Some((cut, _)) = reason.char_indices().nth(REASON_MAX_CHARS) {
            reason.truncate(cut);
            reason.push('…');
        }
        MutationResult { id, status: MutationStatus::Rejected, code: Some(code), reason: Some(reason) }
    }
}

/// One pushed mutation as the server reads it: either one it understands, or one it cannot
/// (a kind or op of a newer release, a malformed envelope) that is rejected alone, by its id,
/// so the rest of the push still applies.
#[derive(Debug, Clone, PartialEq)]
pub enum PushItem {
    Known(Mutation),
    Unreadable { id: u64, code: RejectCode, reason: String },
}

impl PushItem {
    /// The mutation id, which orders the client's queue.
    pub fn id(&self) -> u64 {
        match self {
            PushItem::Known(m) => m.id,
            PushItem::Unreadable { id, .. } => *id,
        }
    }

    /// Reads one mutation of a push body. `Err` when not even its `id` can be read: then the
    /// push cannot be ordered and is refused whole. The common case is read once, straight
    /// into a [`Mutation`]; only a mutation that does not read is looked at again to say why.
    pub fn parse(raw: &RawValue) -> Result<PushItem, String> {
        // The first reading's words explain a mutation that reads as a value but not as itself
        // (a repeated key …).
        let error = match serde_json::from_str::<Mutation>(raw.get()) {
            Ok(m) => return Ok(PushItem::Known(m)),
            Err(e) => e.to_string(),
        };
        let value: Value = serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
        let id = value
            .get("id")
            .and_then(Value::as_u64)
            .ok_or_else(|| "every mutation needs an `id`, a whole number from 1".to_string())?;
        let kind = value.get("kind").cloned();
        let op = value.get("op").and_then(Value::as_str).map(str::to_string);
        let known_kind = kind.clone().is_some_and(|k| serde_json::from_value::<Kind>(k).is_ok());
        let known_op = op.as_deref().is_some_and(|o| ["put", "delete", "add", "restore"].contains(&o));
        let (code, reason) = if !known_kind {
            let name = kind.map(|k| k.to_string()).unwrap_or_else(|| "none".into());
            (RejectCode::UnknownKind, format!("this server does not know the kind {name}"))
        } else if !known_op {
            let name = op.unwrap_or_else(|| "none".into());
            (RejectCode::UnknownOp, format!("this server does not know the op `{name}`"))
        } else {
            (RejectCode::InvalidMutation, format!("the mutation cannot be read: {error}"))
        };
        Ok(PushItem::Unreadable { id, code, reason })
    }
}

impl From<Mutation> for PushItem {
    fn from(m: Mutation) -> Self {
        PushItem::Known(m)
    }
}

/// `POST /api/v1/sync/push` body as the server reads it: mutations one by one (see [`PushItem`]).
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushEnvelope {
    pub client_id: Uuid,
    /// Each a [`Mutation`]; read one by one, so one this release does not know is rejected alone.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Mutation>))]
    pub mutations: Vec<Box<RawValue>>,
}

/// `POST /api/v1/sync/push` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub last_mutation_id: u64,
    pub results: Vec<MutationResult>,
}

/// `GET /api/v1/sync/pull` query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullQuery {
    pub client_id: Uuid,
    #[serde(default)]
    pub cursor: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// `GET /api/v1/sync/pull` answer: a page of changes after the cursor, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// The record's version after this change.
    pub rev: u64,
    /// When the server received the edit (ms since the Unix epoch, server clock). Changes stored
    /// before the data format 2 carry the client's clock here.
    pub at: i64,
    /// The device's clock when the edit was made, when it differs from `at` by more than
    /// [`crate::protocol::CLOCK_TOLERANCE_MS`] (an edit made offline yesterday, or a device
    /// whose clock is wrong).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_at: Option<i64>,
    /// Display name of the account that made it.
    pub by: String,
    pub op: ChangeOp,
    /// For `changed`: the fields that changed, with their new values (null: cleared). For
    /// `added`: the field and the delta. Empty otherwise.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
}

/// `GET /api/v1/history/{id}` answer, newest change first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryResponse {
    pub id: Uuid,
    pub kind: Kind,
    pub changes: Vec<Change>,
    /// Older changes were dropped (the server keeps the newest [`HISTORY_LIMIT`]).
    pub truncated: bool,
}

/// `GET /api/v1/changes?since=YYYY-MM-DD`: what changed in every record since a day (the board
/// meeting pack), newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesResponse {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub since: Date,
    pub changes: Vec<RecordChange>,
    /// More changed than [`CHANGES_LIMIT`]: the oldest were left out.
    pub truncated: bool,
}

/// Most changes one `GET /api/v1/changes` answers.
pub const CHANGES_LIMIT: usize = 2000;

/// One change of one record, as the history has it (private values left out as there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordChange {
    pub id: Uuid,
    pub kind: Kind,
    #[serde(flatten)]
    pub change: Change,
}

/// `GET /api/v1/changes` query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    /// The first day (YYYY-MM-DD, from its midnight UTC).
    #[cfg_attr(feature = "openapi", param(value_type = String))]
    pub since: Date,
}

/// One record found by the privacy search, with its whole history (oldest change first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacyFinding {
    pub record: Record,
    pub history: Vec<Change>,
}

/// `GET /api/v1/privacy/search?q=` answer (admins): everything Tavla holds that matches one
/// person's name, e-mail or phone — the export for a subject access request (GDPR art. 15),
/// and the list to go through for an erasure request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacySearchResponse {
    /// The search as it was run (trimmed).
    pub query: String,
    /// When the export was made (ms since the Unix epoch, server clock).
    pub generated_at: i64,
    /// People whose name, e-mail or phone matches.
    pub people: Vec<PrivacyFinding>,
    /// Ideas whose contact name or contact details match.
    pub ideas: Vec<PrivacyFinding>,
    /// Partners whose contacts list, and dialogues whose free-text participants, match (added
    /// with the partner register; absent from a server before it).
    #[serde(default)]
    pub partners: Vec<PrivacyFinding>,
    /// The comments on those people, ideas, partners and dialogues.
    pub comments: Vec<Record>,
}

/// How many changes the server keeps per record. Records edited more often (the funds record)
/// would otherwise grow without end and slow every push that touches them.
pub const HISTORY_LIMIT: usize = 200;

/// `POST /api/v1/auth/login` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The six-digit code of the authenticator app, or a recovery code, for an account with
    /// two-step verification (asked for by a 401 `second_factor_required`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A user as the API shows it (never with a password hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Two-step verification (an authenticator app's codes) is on for this account.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub second_factor: bool,
}

/// `POST /api/v1/auth/second-factor` answer: a new secret to put in an authenticator app, as
/// text, as an `otpauth://` address and as that address's QR code (SVG). Not on until
/// confirmed with a code (`POST /api/v1/auth/second-factor/confirm`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondFactorSetup {
    /// The secret in base32, for typing into an app by hand.
    pub secret: String,
    pub uri: String,
    /// An SVG image of `uri` as a QR code.
    pub qr_svg: String,
}

/// `POST /api/v1/auth/second-factor/confirm` body: a code from the app, proving it has the
/// secret, and the account's password, so a session alone (a borrowed, unlocked browser)
/// cannot bind someone else's phone to the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SecondFactorCode {
    pub code: String,
    pub password: String,
}

/// `POST /api/v1/auth/second-factor/confirm` answer: ten one-time recovery codes, shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// `DELETE /api/v1/auth/second-factor` body: turning it off takes the password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SecondFactorOff {
    pub password: String,
}

/// `POST /api/v1/users` body (admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
///
/// `"person_id": null` unlinks the account from its person, while an absent `person_id` leaves
/// it as it is. In Rust that is two fields — `person_id` (link to this person) and
/// `unlink_person` — rather than a double `Option`, so code that sets `person_id: Some(id)`
/// reads as before; on the wire it is the one field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "UserPatchJson", into = "UserPatchJson", deny_unknown_fields)]
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
    /// Links the account to this person; `null` on the wire unlinks it (`unlink_person`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<Uuid>,
    /// `false` turns the account's two-step verification off (a lost phone); `true` is refused:
    /// only the account's owner can turn it on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<bool>,
    /// Unlinks the account from its person: sent as `"person_id": null`. Ignored when
    /// `person_id` names a person.
    #[serde(skip)]
    pub unlink_person: bool,
}

/// [`UserPatch`] as the JSON has it: `person_id` absent, a UUID, or `null`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserPatchJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    disabled: Option<bool>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    person_id: Option<Option<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    second_factor: Option<bool>,
}

/// A field that is present (`Some`), whether `null` or a value: with `#[serde(default)]`, an
/// absent one stays `None`, so the two can be told apart.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl From<UserPatchJson> for UserPatch {
    fn from(j: UserPatchJson) -> Self {
        UserPatch {
            username: j.username,
            display_name: j.display_name,
            role: j.role,
            password: j.password,
            disabled: j.disabled,
            unlink_person: j.person_id == Some(None),
            person_id: j.person_id.flatten(),
            second_factor: j.second_factor,
        }
    }
}

impl From<UserPatch> for UserPatchJson {
    fn from(p: UserPatch) -> Self {
        UserPatchJson {
            username: p.username,
            display_name: p.display_name,
            role: p.role,
            password: p.password,
            disabled: p.disabled,
            person_id: match (p.person_id, p.unlink_person) {
                (Some(id), _) => Some(Some(id)),
                (None, true) => Some(None),
                (None, false) => None,
            },
            second_factor: p.second_factor,
        }
    }
}

/// `POST /api/v1/auth/password` body: any user changes their own password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/v1/auth/login` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub user: User,
}

/// What happened at a login, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LoginOutcome {
    Success,
    WrongCredentials,
    RateLimited,
    /// Turned away because too many passwords were being checked at once (503).
    Busy,
    /// A password change with a wrong current password.
    WrongCurrentPassword,
    /// A password changed by its owner.
    PasswordChanged,
    /// The right password with a wrong or spent two-step code.
    WrongCode,
    /// An outcome from a newer server that this release does not know.
    #[serde(other)]
    Other,
}

/// A backup key (`/api/v1/backup/keys`, admins): lets a nightly job download backups, and
/// nothing else; it does not end with a session and is revoked by deleting it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BackupKey {
    /// The name it is revoked under; not the key.
    pub id: Uuid,
    /// What it is for ("nattlig backup på servern").
    pub name: String,
    /// ms since the Unix epoch, server clock.
    pub created_at: i64,
    /// The admin who created it.
    pub created_by: String,
}

/// `POST /api/v1/backup/keys`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBackupKey {
    pub name: String,
}

/// A backup key just created: `key` is shown this once (the server keeps only its hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedBackupKey {
    #[serde(flatten)]
    pub info: BackupKey,
    /// Send as `Authorization: Bearer <key>` to `GET /api/v1/backup`.
    pub key: String,
}

/// What a read-only share link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareTarget {
    /// The goals board (`/`).
    Overview,
    /// The follow-up of the plan year (`/uppfoljning`).
    Report,
}

/// A read-only share link (`/api/v1/share-links`, admins): opens the overview or the follow-up
/// without an account, showing no private persons, contact details or comments, and can never
/// write. Revoked by deleting it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareLink {
    /// The name it is revoked under; not the secret.
    pub id: Uuid,
    pub target: ShareTarget,
    /// Who it is for ("Flens kommun, uppföljning 2026").
    pub name: String,
    /// ms since the Unix epoch, server clock.
    pub created_at: i64,
    /// The admin who created it.
    pub created_by: String,
}

/// `POST /api/v1/share-links`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewShareLink {
    pub target: ShareTarget,
    pub name: String,
}

/// A share link just created: `path` (with its secret) is shown this once; the server keeps
/// only the secret's hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedShareLink {
    #[serde(flatten)]
    pub info: ShareLink,
    /// The app's address of the shared view, e.g. `/delning/3q2…`.
    pub path: String,
}

/// `GET /api/v1/shared/{secret}`: what a share link shows — its target and the records as
/// anyone may see them (see `tavla_shared::share`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedView {
    pub target: ShareTarget,
    /// The link's name, shown on the page.
    pub name: String,
    pub records: Vec<Record>,
}

/// `GET /api/v1/calendar/feed`: whether the caller has a calendar feed (a secret address for a
/// calendar app), and since when. Never the address: it is shown once, when created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeedStatus {
    /// True while a feed address works.
    pub active: bool,
    /// When the working address was made, ms since the Unix epoch, server clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
}

/// `POST /api/v1/calendar/feed` answer: the new feed's address, shown this once (the server
/// keeps only a hash of its secret). Any earlier address of the caller's stops working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedCalendarFeed {
    /// The path to subscribe to, `/api/v1/calendar/<secret>.ics`; prefix the server's origin.
    pub path: String,
    /// ms since the Unix epoch, server clock.
    pub created_at: i64,
}

/// One of the caller's sessions (`GET /api/v1/auth/sessions`): a login on some device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// The name it is revoked under (`DELETE /api/v1/auth/sessions/{id}`); not a token.
    pub id: Uuid,
    /// ms since the Unix epoch, server clock.
    pub created_at: i64,
    /// When it was last used, to the hour.
    pub last_used_at: i64,
    /// When it ends unless used again.
    pub expires_at: i64,
    /// When it ends however much it is used.
    pub ends_at: i64,
    /// The browser or program that logged in (its User-Agent), shortened.
    pub user_agent: String,
    /// The address it logged in from.
    pub address: String,
    /// True for the session of the request that asked.
    pub current: bool,
}

/// One line of the audit log (`GET /api/v1/audit`, admin only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
}

/// The body of every error answer: a stable code for programs, plain words for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub error: ErrorCode,
    pub message: String,
}

/// Stable error codes; the HTTP status says the same in coarser form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// 408: the request (its body included) did not arrive within the server's time limit.
    RequestTimeout,
    Internal,
    /// 503 with Retry-After: the server is busy (e.g. too many passwords being checked at once,
    /// or too many event streams open); the same request may be sent again after the wait.
    Busy,
    /// 403 on push or pull: the client id belongs to another user. The client keeps its waiting
    /// edits for their author and goes on with a new client id.
    ClientIdTaken,
    /// 401 at login: the password is right and the account has two-step verification: send the
    /// app's code (or a recovery code) as `code`. Also the answer to a wrong code.
    SecondFactorRequired,
    /// 403: admins must turn on two-step verification before they manage anything.
    SecondFactorSetupRequired,
    /// A code from a newer server that this release does not know: read the status and message.
    #[serde(other)]
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A user patch tells an absent `person_id` (unchanged) from `null` (unlink), both ways.
    #[test]
    fn a_user_patch_tells_absent_from_null_person() {
        let id = Uuid::from_u128(5);
        for (json, patch) in [
            (json!({"role": "staff"}), UserPatch { role: Some(Role::Staff), ..Default::default() }),
            (json!({"person_id": id}), UserPatch { person_id: Some(id), ..Default::default() }),
            (json!({"person_id": null}), UserPatch { unlink_person: true, ..Default::default() }),
        ] {
            assert_eq!(serde_json::from_value::<UserPatch>(json.clone()).unwrap(), patch, "{json}");
            assert_eq!(serde_json::to_value(&patch).unwrap(), json);
        }
        assert!(
            serde_json::from_value::<UserPatch>(json!({"person": id})).is_err(),
            "unknown fields refused"
        );
        assert!(serde_json::from_value::<UserPatch>(json!({"unlink_person": true})).is_err());
    }

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
