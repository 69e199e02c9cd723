//! The client half of sync protocol v1, shaped like the server half ([`crate::push`]): the
//! outbox rules, one sync round, the acknowledgement rule and what the screen shows, written
//! once over two small traits — a [`LocalStore`] (records, outbox, sync state) and a
//! [`Transport`] (push, pull). The browser implements them over IndexedDB and fetch; the
//! property tests (`tests/client_sync.rs`) over memory and a server built from
//! [`crate::push::process_push`], so both run this very code.
//!
//! The rules, in the order a round applies them:
//! 1. An edit is durable before it is confirmed: [`LocalStore::enqueue`] gives it the device's
//!    next mutation id *in the same write* that stores it, so tabs sharing the store never hand
//!    out one id twice.
//! 2. A round pushes the client's outbox oldest first, in pushes of at most
//!    [`PUSH_MAX_MUTATIONS`] and [`PUSH_BUDGET_BYTES`]. An edit too large for any push is
//!    refused on the device (listed as rejected, `too_large`) so the edits behind it still sync.
//! 3. Rejections from the answers are collected, then the round pulls until `more: false`.
//!    Each page is stored with its cursor; only the last page acknowledges: in that same write
//!    the outbox entries up to `last_mutation_id` go and the rejections are listed (so a crash
//!    anywhere before leaves the edits queued; the server answers their replay with the same
//!    results).
//! 4. Records of a kind this release does not know are kept aside, never fail a page.
//!
//! Pure: no IO of its own, no runtime; the traits' futures do the IO.

use std::collections::HashMap;

use futures_util::future::join;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use thiserror::Error;
use uuid::Uuid;

use crate::merge::{merge, Author, Tracked};
use crate::protocol::record_max_bytes;
use crate::protocol::{PUSH_MAX_BYTES, PUSH_MAX_MUTATIONS};
use crate::validate::json_size;
use crate::wire::{Mutation, MutationOp, MutationStatus, PushRequest, PushResponse, Record, RejectCode};
use crate::Kind;

/// The bytes of mutations one push may carry: the body limit less room for the envelope.
pub const PUSH_BUDGET_BYTES: usize = PUSH_MAX_BYTES - 4096;

/// An edit before the store gives it its mutation id.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub kind: Kind,
    pub entity_id: Uuid,
    /// The device's clock when the edit was made (ms since the Unix epoch).
    pub at: i64,
    pub op: MutationOp,
}

/// An edit the server (or this device) refused, kept visible until its author dismisses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    /// The client id the edit was made under (one per user on a device).
    #[serde(default = "Uuid::nil")]
    pub client_id: Uuid,
    pub mutation: Mutation,
    #[serde(default = "other_code")]
    pub code: RejectCode,
    pub reason: String,
}

fn other_code() -> RejectCode {
    RejectCode::Other
}

/// `GET /api/v1/sync/pull` answer with its records unread: a record of a kind this release does
/// not know must not fail the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawPull {
    pub cursor: u64,
    pub more: bool,
    pub last_mutation_id: u64,
    /// Each record's JSON text as it came: read once into a typed record, and stored as it is
    /// (no tree of values, no second serialization: the slow phone's first sync of 10,000
    /// records spent most of its time there).
    pub records: Vec<Box<RawValue>>,
}

/// What the last page of a round acknowledges, written with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ack {
    pub client_id: Uuid,
    /// The server has processed the client's mutations up to this id.
    pub last_mutation_id: u64,
    /// The outbox entries to drop: those up to `last_mutation_id` whose result this round holds.
    /// An entry another tab pushed stays until a round gets its result (the server answers a
    /// replay with the original one), so no rejection goes unseen when that tab closes.
    pub done: Vec<u64>,
    pub rejected: Vec<Rejected>,
}

/// One pull page to store, as one write.
#[derive(Debug, Clone)]
pub struct PageWrite {
    pub records: Vec<Record>,
    /// The JSON text of each of `records`, in the same order, as the server sent it.
    pub texts: Vec<Box<RawValue>>,
    /// Records of kinds this release does not know, as they came.
    pub aside: Vec<Box<RawValue>>,
    pub cursor: u64,
    /// Only on the last page of a round.
    pub ack: Option<Ack>,
}

/// The local store failed (IndexedDB refused a write: quota, private mode …).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct LocalError(pub String);

/// Why a push or pull did not go through.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransportError {
    /// No answer: offline, server down. Try again later.
    #[error("the server cannot be reached: {0}")]
    Unreachable(String),
    /// 401: the session is over; the outbox waits for a new login.
    #[error("the session has ended: {0}")]
    Unauthorized(String),
    /// 403 `client_id_taken`: the client id belongs to another user (edits an older release
    /// left behind); they wait for their author, the user goes on with a new client id.
    #[error("this client id belongs to another user")]
    ClientIdTaken,
    /// 413: the push is larger than the server accepts.
    #[error("too large for the server: {0}")]
    TooLarge(String),
    /// Any other answer that is not a success.
    #[error("{status}: {message}")]
    Server { status: u16, message: String },
}

/// Why a round stopped. Nothing is lost: what it had not stored is pushed or pulled again.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RoundError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("the device's storage failed: {0}")]
    Local(#[from] LocalError),
}

/// The device's durable copy. Every method is one atomic write or read.
#[allow(async_fn_in_trait)] // Used in one thread (the browser's); no Send bound wanted.
pub trait LocalStore {
    /// `user`'s client id on this device, `fresh` the first time. A client id belongs to one
    /// user (guarantee 8), so each user who logs in on a device gets their own.
    async fn client_id(&self, user: Uuid, fresh: Uuid) -> Result<Uuid, LocalError>;
    /// Stores an edit in `client_id`'s outbox with the device's next mutation id, taken in the
    /// same write; returns it as stored. Only after this may the screen say "saved".
    async fn enqueue(&self, client_id: Uuid, draft: Draft) -> Result<Mutation, LocalError>;
    /// `client_id`'s waiting edits, oldest first.
    async fn outbox(&self, client_id: Uuid) -> Result<Vec<Mutation>, LocalError>;
    /// The highest version pulled.
    async fn cursor(&self) -> Result<u64, LocalError>;
    /// Stores a pull page; with an [`Ack`], in the same write, drops the outbox entries it
    /// names as done, lists the rejections (once each, by client and mutation id) and raises the
    /// next mutation id above `last_mutation_id`.
    async fn save_page(&self, page: &PageWrite) -> Result<(), LocalError>;
    /// Drops edits this device refuses to send and lists them as rejected, in one write.
    async fn refuse(&self, refused: Vec<Rejected>) -> Result<(), LocalError>;
}

/// The way to the server.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError>;
    async fn pull(&self, client_id: Uuid, cursor: u64) -> Result<RawPull, TransportError>;
}

/// What a finished round did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoundReport {
    /// Edits that stayed queued although the server had processed them (pushed by another
    /// tab meanwhile): another round fetches their results.
    pub again: bool,
    /// Records pulled and stored (0: the device's copy did not change).
    pub pulled: usize,
    /// Refused by the server or this device in this round.
    pub rejected: Vec<Rejected>,
    /// The client's last processed mutation (acknowledged).
    pub last_mutation_id: u64,
}

/// Pulled (or stored) records, read: those this release knows, with their texts, and those it
/// keeps aside.
#[derive(Debug, Default)]
pub struct ReadRecords {
    pub records: Vec<Record>,
    pub texts: Vec<Box<RawValue>>,
    pub aside: Vec<Box<RawValue>>,
}

/// Splits records' JSON texts into those this release can read and those it keeps aside.
pub fn read_records(texts: Vec<Box<RawValue>>) -> ReadRecords {
    let mut read = ReadRecords { records: Vec::with_capacity(texts.len()), ..Default::default() };
    for text in texts {
        match serde_json::from_str::<Record>(text.get()) {
            Ok(r) => {
                read.records.push(r);
                read.texts.push(text);
            }
            Err(_) => read.aside.push(text),
        }
    }
    read
}

/// The size of a mutation as JSON, in bytes.
fn size(m: &Mutation) -> usize {
    serde_json::to_vec(m).map(|v| v.len()).unwrap_or(usize::MAX)
}

/// Splits the outbox into pushes by count and bytes; edits larger than a push can carry are
/// returned apart, to be refused on the device.
pub fn plan_pushes(outbox: &[Mutation], budget: usize) -> (Vec<Vec<Mutation>>, Vec<(Mutation, usize)>) {
    let mut pushes: Vec<Vec<Mutation>> = Vec::new();
    let mut too_large = Vec::new();
    let mut bytes = 0;
    for m in outbox {
        let n = size(m);
        if n > budget {
            too_large.push((m.clone(), n));
            continue;
        }
        match pushes.last_mut() {
            Some(p) if p.len() < PUSH_MAX_MUTATIONS && bytes + n <= budget => p.push(m.clone()),
            _ => {
                pushes.push(vec![m.clone()]);
                bytes = 0;
            }
        }
        bytes += n;
    }
    (pushes, too_large)
}

/// One sync round for `client_id`: push the outbox, then pull until the server has nothing
/// more, acknowledging with the last page. `on_page` sees each page once it is stored, so a
/// screen can follow; it may take the page's records (they are not used after it).
pub async fn sync_round(
    local: &impl LocalStore,
    transport: &impl Transport,
    client_id: Uuid,
    mut on_page: impl FnMut(&mut PageWrite),
) -> Result<RoundReport, RoundError> {
    let mut report = RoundReport::default();
    let outbox = local.outbox(client_id).await?;
    let (pushes, too_large) = plan_pushes(&outbox, PUSH_BUDGET_BYTES);
    if !too_large.is_empty() {
        let refused: Vec<Rejected> = too_large
            .into_iter()
            .map(|(mutation, bytes)| Rejected {
                client_id,
                mutation,
                code: RejectCode::TooLarge,
                reason: format!("this edit is {bytes} bytes; at most {PUSH_BUDGET_BYTES} can be sent"),
            })
            .collect();
        local.refuse(refused.clone()).await?;
        report.rejected.extend(refused);
    }
    let mut queue: Vec<Vec<Mutation>> = pushes.into_iter().rev().collect();
    let mut rejected = Vec::new();
    let mut answered = Vec::new();
    while let Some(batch) = queue.pop() {
        let request = PushRequest { client_id, mutations: batch };
        match transport.push(&request).await {
            Ok(answer) => {
                answered.extend(answer.results.iter().map(|r| r.id));
                rejected.extend(
                    answer.results.iter().filter(|r| r.status == MutationStatus::Rejected).filter_map(|r| {
                        let mutation = request.mutations.iter().find(|m| m.id == r.id)?.clone();
                        Some(Rejected {
                            client_id,
                            mutation,
                            code: r.code.unwrap_or(RejectCode::Other),
                            reason: r.reason.clone().unwrap_or_default(),
                        })
                    }),
                );
            }
            // A server with a smaller limit than ours: halve until one edit alone is too large.
            Err(TransportError::TooLarge(message)) if request.mutations.len() == 1 => {
                let refused = vec![Rejected {
                    client_id,
                    mutation: request.mutations[0].clone(),
                    code: RejectCode::TooLarge,
                    reason: message,
                }];
                local.refuse(refused.clone()).await?;
                report.rejected.extend(refused);
            }
            Err(TransportError::TooLarge(_)) => {
                let mut first = request.mutations;
                let second = first.split_off(first.len() / 2);
                queue.push(second);
                queue.push(first);
            }
            Err(e) => return Err(e.into()),
        }
    }

    let mut cursor = local.cursor().await?;
    let mut restarted = false;
    // The next page, asked for while the last one was stored.
    let mut fetched_ahead = None;
    loop {
        let fetched = match fetched_ahead.take() {
            Some(fetched) => fetched,
            None => transport.pull(client_id, cursor).await,
        };
        let page = match fetched {
            Ok(page) => page,
            // The server is behind this device's cursor (restored from a backup): start over
            // from a full snapshot rather than fail every round.
            Err(TransportError::Server { status: 400, .. }) if cursor > 0 && !restarted => {
                restarted = true;
                cursor = 0;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if page.more {
            // More to come: the next page is asked for first, and travels while this one is
            // read, stored and shown (on a phone's slow link the network's wait and the
            // device's work overlap). It is used only once this one is stored.
            let RawPull { cursor: next_cursor, records: raw, .. } = page;
            let next = transport.pull(client_id, next_cursor);
            let this = async {
                let ReadRecords { records, texts, aside } = read_records(raw);
                let mut write = PageWrite { records, texts, aside, cursor: next_cursor, ack: None };
                local.save_page(&write).await?;
                report.pulled += write.records.len() + write.aside.len();
                on_page(&mut write);
                Ok::<(), LocalError>(())
            };
            let (next, stored) = join(next, this).await;
            stored?;
            fetched_ahead = Some(next);
            cursor = next_cursor;
            continue;
        }
        let ReadRecords { records, texts, aside } = read_records(page.records);
        let ack = Ack {
            client_id,
            last_mutation_id: page.last_mutation_id,
            done: answered.iter().copied().filter(|id| *id <= page.last_mutation_id).collect(),
            rejected: std::mem::take(&mut rejected),
        };
        let mut write = PageWrite { records, texts, aside, cursor: page.cursor, ack: Some(ack) };
        local.save_page(&write).await?;
        report.pulled += write.records.len() + write.aside.len();
        on_page(&mut write);
        let Some(ack) = write.ack else { return Ok(report) };
        report.last_mutation_id = ack.last_mutation_id;
        report.again = outbox.iter().any(|m| m.id <= ack.last_mutation_id && !ack.done.contains(&m.id));
        report.rejected.extend(ack.rejected);
        return Ok(report);
    }
}

/// What the screen shows: the server's records with the client's waiting edits applied by the
/// same merge rules the server runs. Pending changes carry no version yet (`rev` `u64::MAX`).
/// A waiting edit too large for the server is not shown: the record stays readable, and the
/// rejection is listed once the round has refused it. (Only its size is checked: the schema
/// check of every kind would cost the phone's download 7 KB, and forms send typed values.)
pub fn screen(server: &HashMap<Uuid, Record>, outbox: &[Mutation], me: &Author) -> HashMap<Uuid, Record> {
    let mut view = server.clone();
    for m in outbox {
        let current = view.get(&m.entity_id).cloned().map(Tracked::plain);
        if let Ok(out) = merge(current.as_ref(), m, me, u64::MAX) {
            if out.changed && json_size(&out.tracked.record.fields) <= record_max_bytes(m.kind) {
                view.insert(m.entity_id, out.tracked.record);
            }
        }
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn put(id: u64, notes_len: usize) -> Mutation {
        Mutation {
            id,
            kind: Kind::Activity,
            entity_id: Uuid::from_u128(1),
            at: 1,
            op: MutationOp::Put {
                base_rev: 0,
                fields: json!({ "notes": "x".repeat(notes_len) }).as_object().unwrap().clone(),
            },
        }
    }

    #[test]
    fn pushes_split_by_bytes_and_count_and_an_edit_too_large_for_any_push_is_set_apart() {
        let outbox = [put(1, 300), put(2, 300), put(3, 5000), put(4, 300)];
        assert!((400..500).contains(&size(&outbox[0])), "{}", size(&outbox[0]));
        let (pushes, too_large) = plan_pushes(&outbox, 1000);
        let ids: Vec<Vec<u64>> = pushes.iter().map(|p| p.iter().map(|m| m.id).collect()).collect();
        assert_eq!(ids, [vec![1, 2], vec![4]]);
        assert_eq!(too_large.len(), 1);
        assert_eq!(too_large[0].0.id, 3);
        let many: Vec<Mutation> = (1..=2500).map(|i| put(i, 1)).collect();
        let (pushes, _) = plan_pushes(&many, PUSH_BUDGET_BYTES);
        assert_eq!(pushes.iter().map(Vec::len).collect::<Vec<_>>(), [1000, 1000, 500]);
    }

    #[test]
    fn a_waiting_edit_too_large_for_the_server_is_not_shown() {
        let id = Uuid::from_u128(1);
        let fields =
            json!({ "strategic_goal_id": Uuid::from_u128(9), "title": "A", "status": "done", "position": 1 });
        let server = HashMap::from([(
            id,
            Record {
                kind: Kind::Activity,
                id,
                rev: 3,
                deleted: false,
                fields: fields.as_object().unwrap().clone(),
            },
        )]);
        let me = Author { client_id: Uuid::from_u128(5), name: String::new() };
        let shown = screen(&server, &[put(1, 70_000), put(2, 10)], &me);
        assert_eq!(shown[&id].fields["notes"], "x".repeat(10), "the valid edit shows, the oversized one not");
    }

    #[test]
    fn records_of_unknown_kinds_are_kept_aside() {
        let known = json!({ "kind": "event", "id": Uuid::from_u128(1), "rev": 1, "fields": {} });
        let unknown = json!({ "kind": "survey", "id": Uuid::from_u128(2), "rev": 2, "fields": {} });
        let raw = |v: &Value| serde_json::value::to_raw_value(v).unwrap();
        let read = read_records(vec![raw(&known), raw(&unknown)]);
        assert_eq!(read.records.len(), 1);
        assert_eq!(read.texts.len(), 1);
        assert_eq!(read.texts[0].get(), raw(&known).get(), "stored as it came");
        assert_eq!(read.aside.len(), 1);
        assert_eq!(read.aside[0].get(), raw(&unknown).get());
    }
}
