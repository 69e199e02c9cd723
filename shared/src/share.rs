//! What a read-only share link shows (`/delning/…`): the records as anyone outside the LAG may
//! see them. Kept: the plan, goals, activities, funds, municipalities, focus areas, events,
//! ideas, dialogues, partners and marketing items, by what they are and where they stand. Left
//! out: private persons (anyone who is neither board member nor staff), every person's contact
//! details and notes, comments, conflicts, settings, deleted records, and every free text where
//! personal data or internal remarks may sit (contacts, notes — an activity's too —, a goal's
//! health note, participants, a dialogue's summary, an idea's description and contact). Names of board members and staff stay: they own goals and
//! activities. A list, not a filter per field the reader asks for: a kind or field added later
//! stays hidden until it is named here.

use serde_json::{Map, Value};

use crate::kinds::{KindFields, Person};
use crate::wire::Record;
use crate::Kind;

/// What stands in for a required text a share link leaves out (a dialogue's summary).
pub const HIDDEN: &str = "–";

/// The fields a share link may show of each kind it shows; other kinds are left out.
fn shown_fields(kind: Kind) -> Option<&'static [&'static str]> {
    Some(match kind {
        Kind::Plan => &[
            "year",
            "title",
            "adopted_on",
            "vision",
            "principles",
            "strategy",
            "period_start_year",
            "period_end_year",
            "funds_target_percent",
            "funds_target_on",
        ],
        Kind::LongTermGoal => &["number", "title"],
        Kind::FocusArea => &["number", "title", "description"],
        Kind::StrategicGoal => &["number", "title", "description", "health", "owner_person_id"],
        Kind::Activity => &[
            "strategic_goal_id",
            "title",
            "status",
            "owner_person_id",
            "due_on",
            "municipality_ids",
            "partner_ids",
            "focus_area_ids",
            "position",
        ],
        Kind::Municipality => &["name", "code"],
        Kind::Funds => &["allocated_sek", "granted_sek", "paid_sek", "focus_area_id"],
        Kind::Person => &["name", "roles"],
        Kind::Event => &[
            "type",
            "title",
            "date",
            "municipality_id",
            "participants",
            "strategic_goal_id",
            "activity_id",
            "partner_ids",
            "strategic_goal_ids",
            "focus_area_ids",
        ],
        Kind::Idea => &[
            "title",
            "stage",
            "municipality_id",
            "focus_area_id",
            "focus_area_ids",
            "captured_on",
            "strategic_goal_ids",
            "stage_reached_on",
        ],
        Kind::Dialogue => {
            &["partner_id", "partner_ids", "date", "channel", "strategic_goal_ids", "focus_area_ids"]
        }
        Kind::Partner => &["name", "type", "municipality_id", "website", "contact_interval_weeks"],
        Kind::MarketingItem => &[
            "title",
            "channel",
            "status",
            "publish_on",
            "week",
            "strategic_goal_ids",
            "focus_area_ids",
            "featured_event_id",
            "featured_idea_id",
            "link",
        ],
        Kind::Comment | Kind::Conflict | Kind::Settings => return None,
    })
}

/// The record as a share link shows it, or None when it shows nothing of it.
pub fn public(record: &Record) -> Option<Record> {
    if record.deleted {
        return None;
    }
    let fields = shown_fields(record.kind)?;
    if record.kind == Kind::Person && Person::from_record(record).is_none_or(|p| p.is_private()) {
        return None;
    }
    let kept: Map<String, Value> = record
        .fields
        .iter()
        .filter(|(k, _)| fields.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut out = record.clone();
    out.fields = kept;
    // A dialogue must have a summary: a dash stands in for the one left out.
    if record.kind == Kind::Dialogue {
        out.fields.insert("summary".into(), Value::String(HIDDEN.into()));
    }
    Some(out)
}

/// Every record a share link shows, as it shows it.
pub fn public_view<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<Record> {
    records.into_iter().filter_map(public).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::record;
    use serde_json::json;

    #[test]
    fn a_share_link_shows_no_private_person_contact_detail_or_comment() {
        let mut deleted =
            record(Kind::Event, 9, json!({"type": "workshop", "title": "Inställd", "date": "2026-01-01"}));
        deleted.deleted = true;
        let rs = vec![
            record(
                Kind::Person,
                1,
                json!({"name": "Britt Berg", "roles": ["board_member"], "email": "britt@example.se", "phone": "070", "notes": "N"}),
            ),
            record(Kind::Person, 2, json!({"name": "Privat Person", "email": "p@example.se"})),
            record(
                Kind::Comment,
                3,
                json!({"target_kind": "activity", "target_id": uuid::Uuid::from_u128(4), "text": "Internt"}),
            ),
            record(
                Kind::Idea,
                5,
                json!({"title": "Solceller", "stage": "idea", "captured_on": "2026-01-01",
                "contact_name": "Anna", "contact_info": "070-1", "consent": true, "description": "Anna i Flen"}),
            ),
            record(
                Kind::Partner,
                6,
                json!({"name": "Flen", "type": "municipality", "contacts": [{"name": "Kim", "email": "k@flen.se"}], "notes": "N"}),
            ),
            record(
                Kind::Dialogue,
                7,
                json!({"partner_id": uuid::Uuid::from_u128(6), "date": "2026-01-02", "channel": "meeting",
                "summary": "Samråd", "participants": "Anna Andersson"}),
            ),
            record(Kind::Settings, 8, json!({})),
            deleted,
        ];
        let shown = public_view(&rs);
        let text = serde_json::to_string(&shown).unwrap();
        for secret in
            ["britt@example.se", "070", "Privat Person", "Internt", "Anna", "k@flen.se", "Kim", "Inställd"]
        {
            assert!(!text.contains(secret), "«{secret}» is shown: {text}");
        }
        for public in ["Britt Berg", "Solceller", "Flen"] {
            assert!(text.contains(public), "«{public}» is missing");
        }
        assert_eq!(shown.len(), 4, "Britt, the idea, the partner, the dialogue");
        // What is shown still reads as its kind.
        assert!(
            shown.iter().all(|r| crate::validate::validate_fields(r.kind, &r.fields).is_ok()),
            "{shown:?}"
        );
    }
}
