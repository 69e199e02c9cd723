//! The default data set: Leader Södermanland's adopted plan for 2026, kept as structured JSON
//! (`server/seed/verksamhetsplan-2026.json`, transcribed from `shared/seed/verksamhetsplan-2026.txt`)
//! and compiled into the binary, so a new installation starts with real content.
//!
//! Ids are UUIDv5 of the record's place in the plan, so every installation gives the same record
//! the same id.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};
use tavla_shared::kinds::{Activity, FocusArea, LongTermGoal, Municipality, Partner, Plan, StrategicGoal};
use tavla_shared::values::{ActivityStatus, Health, PartnerType};
use tavla_shared::{validate_fields, Kind, KindFields};
use thiserror::Error;
use uuid::Uuid;

use crate::store::RecordWrite;

const PLAN_2026: &str = include_str!("../seed/verksamhetsplan-2026.json");

/// Namespace of the seed's UUIDv5 ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x7a5c_1e4e_2f0b_4c4e_9d1a_6b3f_0c2d_2026);

/// The seed file does not fit its own rules: a bug in the repository, caught by a unit test.
#[derive(Debug, Error)]
pub enum SeedError {
    #[error("seed JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("seed refers to unknown {what} `{key}`")]
    UnknownKey { what: &'static str, key: String },
    #[error("seed record invalid: {0}")]
    Invalid(#[from] tavla_shared::ValidationError),
}

#[derive(Deserialize)]
struct SeedFile {
    plan: Plan,
    long_term_goals: Vec<LongTermGoal>,
    focus_areas: Vec<FocusArea>,
    municipalities: Vec<SeedMunicipality>,
    partners: Vec<SeedPartner>,
    strategic_goals: Vec<SeedGoal>,
}

#[derive(Deserialize)]
struct SeedMunicipality {
    key: String,
    name: String,
    code: String,
}

#[derive(Deserialize)]
struct SeedPartner {
    key: String,
    name: String,
    #[serde(rename = "type")]
    partner_type: PartnerType,
    municipality: Option<String>,
}

#[derive(Deserialize)]
struct SeedGoal {
    number: i64,
    title: String,
    description: Option<String>,
    activities: Vec<SeedActivity>,
}

#[derive(Deserialize)]
struct SeedActivity {
    title: String,
    #[serde(default)]
    partners: Vec<String>,
    #[serde(default)]
    municipalities: Vec<String>,
    #[serde(default)]
    focus_areas: Vec<i64>,
}

fn id(path: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, path.as_bytes())
}

fn lookup(map: &HashMap<String, Uuid>, what: &'static str, key: &str) -> Result<Uuid, SeedError> {
    map.get(key).copied().ok_or_else(|| SeedError::UnknownKey { what, key: key.to_string() })
}

fn write<T: KindFields>(id: Uuid, fields: &T) -> Result<RecordWrite, SeedError> {
    let fields: Map<String, Value> = fields.to_fields();
    validate_fields(T::KIND, &fields)?;
    Ok(RecordWrite { kind: T::KIND, id, deleted: false, fields })
}

/// The records of the default plan, validated, in the order they are written.
pub fn default_plan() -> Result<Vec<RecordWrite>, SeedError> {
    let seed: SeedFile = serde_json::from_str(PLAN_2026)?;
    let year = seed.plan.year;
    let mut out = vec![write(id(&format!("plan/{year}")), &seed.plan)?];
    for g in &seed.long_term_goals {
        out.push(write(id(&format!("long_term_goal/{}", g.number)), g)?);
    }
    let mut focus_ids = HashMap::new();
    for f in &seed.focus_areas {
        let fid = id(&format!("focus_area/{}", f.number));
        focus_ids.insert(f.number.to_string(), fid);
        out.push(write(fid, f)?);
    }
    let mut municipality_ids = HashMap::new();
    for m in seed.municipalities {
        let mid = id(&format!("municipality/{}", m.code));
        municipality_ids.insert(m.key, mid);
        out.push(write(mid, &Municipality { name: m.name, code: m.code })?);
    }
    let mut partner_ids = HashMap::new();
    for p in seed.partners {
        let pid = id(&format!("partner/{}", p.key));
        let municipality_id =
            p.municipality.map(|k| lookup(&municipality_ids, "municipality", &k)).transpose()?;
        partner_ids.insert(p.key, pid);
        let partner = Partner {
            name: p.name,
            partner_type: p.partner_type,
            municipality_id,
            contacts: Vec::new(),
            website: None,
            notes: None,
            contact_interval_weeks: None,
        };
        out.push(write(pid, &partner)?);
    }
    for g in seed.strategic_goals {
        let gid = id(&format!("strategic_goal/{year}/{}", g.number));
        let goal = StrategicGoal {
            number: g.number,
            title: g.title,
            description: g.description,
            health: Health::OnTrack,
            health_note: None,
            owner_person_id: None,
        };
        out.push(write(gid, &goal)?);
        for (i, a) in g.activities.into_iter().enumerate() {
            let position = i as i64 + 1;
            let activity = Activity {
                strategic_goal_id: gid,
                title: a.title,
                status: ActivityStatus::NotStarted,
                owner_person_id: None,
                due_on: None,
                notes: None,
                municipality_ids: a
                    .municipalities
                    .iter()
                    .map(|k| lookup(&municipality_ids, "municipality", k))
                    .collect::<Result<_, _>>()?,
                partner_ids: a
                    .partners
                    .iter()
                    .map(|k| lookup(&partner_ids, "partner", k))
                    .collect::<Result<_, _>>()?,
                focus_area_ids: a
                    .focus_areas
                    .iter()
                    .map(|n| lookup(&focus_ids, "focus area", &n.to_string()))
                    .collect::<Result<_, _>>()?,
                position,
            };
            out.push(write(id(&format!("activity/{year}/{}/{position}", g.number)), &activity)?);
        }
    }
    // The funds record goal 1 is measured against; amounts are entered by staff.
    let funds = json!({"allocated_sek": 0, "granted_sek": 0, "paid_sek": 0});
    let funds = funds.as_object().cloned().unwrap_or_default();
    validate_fields(Kind::Funds, &funds)?;
    out.push(RecordWrite { kind: Kind::Funds, id: id("funds/programme"), deleted: false, fields: funds });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(records: &[RecordWrite], kind: Kind) -> usize {
        records.iter().filter(|r| r.kind == kind).count()
    }

    #[test]
    fn the_adopted_plan_is_complete() {
        let records = default_plan().unwrap();
        assert_eq!(count(&records, Kind::Plan), 1);
        assert_eq!(count(&records, Kind::LongTermGoal), 2);
        assert_eq!(count(&records, Kind::FocusArea), 3);
        assert_eq!(count(&records, Kind::StrategicGoal), 6);
        assert_eq!(count(&records, Kind::Activity), 35);
        assert_eq!(count(&records, Kind::Municipality), 7);
        assert_eq!(count(&records, Kind::Partner), 16);
        let plan = records.iter().find(|r| r.kind == Kind::Plan).unwrap();
        assert_eq!(plan.fields["adopted_on"], "2026-03-05");
        let codes: Vec<&str> = records
            .iter()
            .filter(|r| r.kind == Kind::Municipality)
            .map(|r| r.fields["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["0484", "0482", "0461", "0483", "0140", "0486", "0428"]);
    }

    #[test]
    fn ids_are_stable_and_unique() {
        let a = default_plan().unwrap();
        let b = default_plan().unwrap();
        assert_eq!(a.iter().map(|r| r.id).collect::<Vec<_>>(), b.iter().map(|r| r.id).collect::<Vec<_>>());
        let unique: std::collections::HashSet<_> = a.iter().map(|r| r.id).collect();
        assert_eq!(unique.len(), a.len());
    }
}
