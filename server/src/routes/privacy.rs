//! `GET /api/v1/privacy/search?q=` (admins): everything Tavla holds about one person, found by
//! their name, e-mail or phone — the export an admin hands over for a subject access request
//! (GDPR art. 15), and the list to go through for an erasure request (art. 17).

use std::collections::HashSet;

use axum::extract::State;
use serde::Deserialize;
use tavla_shared::kinds::{Conflict, KindFields};
use tavla_shared::protocol::{PRIVACY_QUERY_MAX_CHARS, PRIVACY_QUERY_MIN_CHARS};
use tavla_shared::wire::{Change, PrivacyFinding, PrivacySearchResponse, Record};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::auth::{now_ms, AdminUser};
use crate::error::{AppError, Json, Query};
use crate::state::AppState;

/// `?q=`: a name, an e-mail address or a phone number, or part of one.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrivacyQuery {
    /// What to look for, 2–100 characters (case does not matter; in a phone number, neither
    /// do spaces and dashes).
    q: String,
}

/// The fields searched per kind: the ones that name or reach a person.
fn searched_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Person => &["name", "email", "phone"],
        Kind::Idea => &["contact_name", "contact_info"],
        // A partner's contacts are people too (a list of name, role, e-mail, phone), and a
        // dialogue's free-text participants may name them.
        // `notes` too: free-text contacts of an older release were moved there.
        Kind::Partner => &["contacts", "notes"],
        Kind::Dialogue => &["participants"],
        _ => &[],
    }
}

/// A search, prepared once: its lower-case text, and its digits when it looks like a phone
/// number (so "0701234567" finds "070-123 45 67").
struct Needle {
    text: String,
    digits: Option<String>,
}

impl Needle {
    fn new(query: &str) -> Needle {
        let phone_like = query.chars().all(|c| c.is_ascii_digit() || " -+()/".contains(c));
        let digits: String = query.chars().filter(char::is_ascii_digit).collect();
        Needle {
            text: query.to_lowercase(),
            digits: (phone_like && digits.len() >= PRIVACY_QUERY_MIN_CHARS).then_some(digits),
        }
    }

    fn found_in(&self, value: &str) -> bool {
        value.to_lowercase().contains(&self.text)
            || self.digits.as_ref().is_some_and(|d| {
                value.chars().filter(char::is_ascii_digit).collect::<String>().contains(d.as_str())
            })
    }

    /// True when one of the record's searched fields holds the search.
    fn matches(&self, record: &Record) -> bool {
        self.in_fields(record.kind, &record.fields)
    }

    /// True when one of `kind`'s searched fields in `fields` holds the search in a string (also
    /// a string inside a list or object: a partner's contacts).
    fn in_fields(&self, kind: Kind, fields: &serde_json::Map<String, serde_json::Value>) -> bool {
        searched_fields(kind).iter().filter_map(|f| fields.get(*f)).any(|v| self.in_value(v))
    }

    fn in_value(&self, value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::String(s) => self.found_in(s),
            serde_json::Value::Array(a) => a.iter().any(|v| self.in_value(v)),
            serde_json::Value::Object(o) => o.values().any(|v| self.in_value(v)),
            _ => false,
        }
    }

    /// True when a change in `history` of a record of `kind` set a searched field to a value
    /// holding the search (a value since changed is still data Tavla holds).
    fn in_history(&self, kind: Kind, history: &[Change]) -> bool {
        history.iter().any(|c| self.in_fields(kind, &c.fields))
    }

    /// For a conflict about a searched field whose kept or lost value holds the search: the
    /// kind and id of the record it is about.
    fn in_conflict(&self, record: &Record) -> Option<(Kind, Uuid)> {
        let c = Conflict::from_record(record)?;
        let values = [&c.kept_value, &c.lost_value];
        let found = searched_fields(c.target_kind).contains(&c.field.as_str())
            && values.iter().any(|v| self.in_value(v));
        found.then_some((c.target_kind, c.target_id))
    }
}

/// Finds people by name, e-mail or phone, ideas by contact name or details, partners by their
/// contacts and dialogues by their free-text participants — in the record,
/// in its history, or in a conflict about one of those fields — each with its whole history,
/// and the comments on them. A conflict found is listed with the kind it is about (`people`
/// or `ideas`; its record's `kind` says `conflict`), beside the record it is about. Deleted records are searched too: a tombstone keeps
/// its fields, so it is data Tavla holds. Admins only; the search is written to the server log
/// (who and how many found, never what was searched for).
#[utoipa::path(get, path = "/privacy/search", tag = "privacy", params(PrivacyQuery), responses((status = 200, description = "Everything found, with its history (admins)", body = PrivacySearchResponse)))]
pub async fn search(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Query(q): Query<PrivacyQuery>,
) -> Result<Json<PrivacySearchResponse>, AppError> {
    let query = q.q.trim().to_string();
    let length = query.chars().count();
    if !(PRIVACY_QUERY_MIN_CHARS..=PRIVACY_QUERY_MAX_CHARS).contains(&length) {
        return Err(AppError::BadRequest(format!(
            "search for {PRIVACY_QUERY_MIN_CHARS} to {PRIVACY_QUERY_MAX_CHARS} characters: a name, an e-mail address or a phone number"
        )));
    }
    let needle = Needle::new(&query);
    // Found records in the order found, each once; a conflict goes with its record's kind.
    let (mut found, mut comments): (Vec<(Kind, Uuid)>, Vec<Record>) = (Vec::new(), Vec::new());
    let mut cursor = 0;
    loop {
        let page = state.store.pull(cursor, 5000)?;
        for record in page.records {
            match record.kind {
                Kind::Comment => comments.push(record),
                Kind::Conflict => {
                    if let Some((kind, target)) = needle.in_conflict(&record) {
                        found.push((kind, record.id));
                        found.push((kind, target));
                    }
                }
                kind if needle.matches(&record) => found.push((kind, record.id)),
                kind if !searched_fields(kind).is_empty() => {
                    // A value only in the history (changed since) is found too.
                    let history = state.store.tracked(record.id)?.map(|t| t.history).unwrap_or_default();
                    if needle.in_history(kind, &history) {
                        found.push((kind, record.id));
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
    let mut seen = HashSet::new();
    found.retain(|(_, id)| seen.insert(*id));
    let (mut people, mut ideas, mut partners) = (Vec::new(), Vec::new(), Vec::new());
    for (kind, id) in &found {
        let Some(tracked) = state.store.tracked(*id)? else { continue };
        let finding = PrivacyFinding { record: tracked.record, history: tracked.history };
        match kind {
            Kind::Person => people.push(finding),
            Kind::Partner | Kind::Dialogue => partners.push(finding),
            _ => ideas.push(finding),
        }
    }
    let targets: HashSet<Uuid> = found.into_iter().map(|(_, id)| id).collect();
    comments.retain(|c| {
        c.fields
            .get("target_id")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse().ok())
            .is_some_and(|id| targets.contains(&id))
    });
    tracing::info!(
        by = %admin.user.username,
        people = people.len(),
        ideas = ideas.len(),
        partners = partners.len(),
        comments = comments.len(),
        "privacy search"
    );
    Ok(Json(PrivacySearchResponse { query, generated_at: now_ms(), people, ideas, partners, comments }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_is_found_however_it_is_written() {
        let n = Needle::new("0701234567");
        assert!(n.found_in("070-123 45 67"));
        assert!(Needle::new("070-123").found_in("0701234567"));
        assert!(Needle::new("ANNA@Ex").found_in("anna@example.se"));
        assert!(!Needle::new("anna").found_in("070-123 45 67"));
        assert!(!Needle::new("12").found_in("Kim"), "digits only match digits");
    }
}
