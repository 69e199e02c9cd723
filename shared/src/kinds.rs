//! The record kinds of DESIGN.md ("Kinds and fields") as typed structs. The struct is the schema:
//! serde checks names and types (unknown fields are refused), `KindFields::check` the rest.
//! Names are part of the sync protocol and must not change; new optional fields may be added.

use std::collections::BTreeMap;

use chrono::Datelike;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::date::Date;
pub use crate::kind::Kind;
use crate::validate::{parse, Checker, ValidationError};
use crate::values::*;

use crate::wire::Record;

/// The typed fields of one kind.
pub trait KindFields: Serialize + DeserializeOwned {
    /// The kind these fields belong to.
    const KIND: Kind;

    /// Checks the rules serde cannot express.
    fn check(&self, c: &mut Checker);

    /// Reads a record of this kind; `None` when it is of another kind or does not validate.
    fn from_record(record: &Record) -> Option<Self> {
        (record.kind == Self::KIND).then(|| parse::<Self>(&record.fields).ok()).flatten()
    }

    /// These fields as the JSON object a record carries.
    fn to_fields(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            // Every KindFields is a struct with named fields, which serializes to an object.
            _ => Map::new(),
        }
    }
}

/// A `YYYY` year within the span the board plans for.
fn year(c: &mut Checker, field: &'static str, y: i64) {
    c.range(field, y, 2000, 2100);
}

/// True for an ISO week like `2026-W14` that exists in that year.
pub fn is_iso_week(s: &str) -> bool {
    crate::weeks::IsoWeek::parse(s).is_some()
}

/// The adopted operational plan of one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub year: i64,
    pub title: String,
    pub adopted_on: Date,
    pub vision: String,
    #[serde(default)]
    pub principles: Vec<String>,
    /// How the plan means to reach the long-term goals (focus areas, follow-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    pub period_start_year: i64,
    pub period_end_year: i64,
    /// Goal 1's target: the share of the period's allocated funds to have granted, in per cent.
    /// Added with the follow-up report, so an admin changes the target without a new release;
    /// absent means 75 (see [`Plan::funds_target_percent`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds_target_percent: Option<i64>,
    /// The day goal 1's target should be reached. The plan lists it among the year's goals, so
    /// absent means 31 December of the plan's year (the period's last year is left for the
    /// rest). Added with the follow-up report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds_target_on: Option<Date>,
}

/// Goal 1's target unless an admin changes it: 75 % of the period's funds granted.
pub const DEFAULT_FUNDS_TARGET_PERCENT: i64 = 75;

impl Plan {
    /// Goal 1's target share in per cent.
    pub fn funds_target_percent(&self) -> i64 {
        self.funds_target_percent.unwrap_or(DEFAULT_FUNDS_TARGET_PERCENT)
    }

    /// The day goal 1's target should be reached.
    pub fn funds_target_on(&self) -> Date {
        self.funds_target_on.or_else(|| Date::from_ymd(self.year as i32, 12, 31)).unwrap_or(self.adopted_on)
    }

    /// The programme period's last day, 31 December of its last year.
    pub fn period_end(&self) -> Date {
        Date::from_ymd(self.period_end_year as i32, 12, 31).unwrap_or(self.adopted_on)
    }
}

impl KindFields for Plan {
    const KIND: Kind = Kind::Plan;
    fn check(&self, c: &mut Checker) {
        year(c, "year", self.year);
        c.title("title", &self.title);
        c.body("vision", &self.vision);
        c.list("principles", &self.principles);
        for p in &self.principles {
            c.body("principles", p);
        }
        c.long("strategy", &self.strategy);
        year(c, "period_start_year", self.period_start_year);
        year(c, "period_end_year", self.period_end_year);
        c.range("period_end_year", self.period_end_year, self.period_start_year, 2100);
        if let Some(p) = self.funds_target_percent {
            c.range("funds_target_percent", p, 1, 100);
        }
        if let Some(d) = self.funds_target_on {
            year(c, "funds_target_on", i64::from(d.0.year()));
        }
    }
}

/// One of the programme period's long-term goals (2023–2027).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LongTermGoal {
    pub number: i64,
    pub title: String,
}

impl KindFields for LongTermGoal {
    const KIND: Kind = Kind::LongTermGoal;
    fn check(&self, c: &mut Checker) {
        c.range("number", self.number, 1, 99);
        c.title("title", &self.title);
    }
}

/// A focus area (insatsområde): where project funds may be granted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FocusArea {
    pub number: i64,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl KindFields for FocusArea {
    const KIND: Kind = Kind::FocusArea;
    fn check(&self, c: &mut Checker) {
        c.range("number", self.number, 1, 99);
        c.title("title", &self.title);
        c.long("description", &self.description);
    }
}

/// One of the year's six strategic goals, with a health judged by a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategicGoal {
    pub number: i64,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub health: Health,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_person_id: Option<Uuid>,
}

impl KindFields for StrategicGoal {
    const KIND: Kind = Kind::StrategicGoal;
    fn check(&self, c: &mut Checker) {
        c.range("number", self.number, 1, 6);
        c.title("title", &self.title);
        c.long("description", &self.description);
        c.long("health_note", &self.health_note);
    }
}

/// A prioritised activity under a strategic goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub strategic_goal_id: Uuid,
    pub title: String,
    pub status: ActivityStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_person_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default)]
    pub municipality_ids: Vec<Uuid>,
    #[serde(default)]
    pub partner_ids: Vec<Uuid>,
    #[serde(default)]
    pub focus_area_ids: Vec<Uuid>,
    /// Order within its goal, as in the adopted plan.
    pub position: i64,
}

impl Activity {
    /// A new activity under `goal`, not started, with nothing else filled in yet (the goal
    /// page's "new activity" and a CSV import's new row).
    pub fn new(goal: Uuid, title: String, position: i64) -> Activity {
        Activity {
            strategic_goal_id: goal,
            title,
            status: ActivityStatus::NotStarted,
            owner_person_id: None,
            due_on: None,
            notes: None,
            municipality_ids: Vec::new(),
            partner_ids: Vec::new(),
            focus_area_ids: Vec::new(),
            position,
        }
    }
}

impl KindFields for Activity {
    const KIND: Kind = Kind::Activity;
    fn check(&self, c: &mut Checker) {
        c.title("title", &self.title);
        c.long("notes", &self.notes);
        c.list("municipality_ids", &self.municipality_ids);
        c.list("partner_ids", &self.partner_ids);
        c.list("focus_area_ids", &self.focus_area_ids);
        c.range("position", self.position, 0, 1_000_000);
    }
}

/// One of the area's municipalities, with its official code (kommunkod).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    pub name: String,
    pub code: String,
}

impl KindFields for Municipality {
    const KIND: Kind = Kind::Municipality;
    fn check(&self, c: &mut Checker) {
        c.title("name", &self.name);
        let ok = self.code.len() == 4 && self.code.bytes().all(|b| b.is_ascii_digit());
        c.format("code", ok, "four digits, e.g. 0484");
    }
}

/// A person: board member, staff, former project owner; possibly an ambassador.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub roles: Vec<PersonRole>,
    #[serde(default)]
    pub is_ambassador: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// A former project owner the area shows as a good example (plan activity 5.2). Added with
    /// the people register; absent means false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub good_example: bool,
}

impl Person {
    /// A person known only by name so far (added from a form that asks for nothing more).
    pub fn named(name: String) -> Person {
        Person {
            name,
            roles: Vec::new(),
            is_ambassador: false,
            email: None,
            phone: None,
            municipality_id: None,
            notes: None,
            good_example: false,
        }
    }

    /// True for a private person: neither a board member nor staff. Their e-mail and phone are
    /// personal data that only staff see (see [`crate::privacy`]).
    pub fn is_private(&self) -> bool {
        !self.roles.iter().any(|r| matches!(r, PersonRole::BoardMember | PersonRole::Staff))
    }
}

impl KindFields for Person {
    const KIND: Kind = Kind::Person;
    fn check(&self, c: &mut Checker) {
        c.title("name", &self.name);
        c.list("roles", &self.roles);
        c.short("email", &self.email);
        if let Some(e) = &self.email {
            c.format("email", e.is_empty() || e.contains('@'), "an e-mail address");
        }
        c.short("phone", &self.phone);
        c.long("notes", &self.notes);
    }
}

/// A project idea caught by an ambassador, followed through the Leader funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Idea {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub stage: IdeaStage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_info: Option<String>,
    /// May we store the contact? Without it, contact fields must stay empty.
    #[serde(default)]
    pub consent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_area_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_by_person_id: Option<Uuid>,
    pub captured_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step_due: Option<Date>,
    /// The strategic goals the idea serves. Added with the idea funnel, so goal pages can count
    /// the ideas that serve them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strategic_goal_ids: Vec<Uuid>,
    /// The day the idea reached each stage it has been in, set by the device that moved it.
    /// Added with the idea funnel: "days from capture to application" and the retention clock
    /// (which starts when an idea is finished or declined) need it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub stage_reached_on: BTreeMap<IdeaStage, Date>,
    /// The account that captured the idea, set by the server when the idea is created (a
    /// client's value is replaced). Added so the capturer keeps seeing the contact details even
    /// when their account is not linked to a person (see [`crate::privacy`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_by_user_id: Option<Uuid>,
    /// The next step is done. Added with the follow-ups list, so marking a step done keeps its
    /// words in the record. See [`step_done`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub next_step_done: bool,
    /// The words of the step that was marked done. Added with the follow-ups list, see
    /// [`step_done`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step_done_text: Option<String>,
    /// Further focus areas the idea serves, besides `focus_area_id` (the field older releases
    /// know: they show an idea with one focus area, and leave out one with further ones until
    /// they update). Added with the follow-up report, so an idea that spans two focus areas
    /// counts for both; read them together through [`Idea::focus_areas`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus_area_ids: Vec<Uuid>,
}

impl Idea {
    /// Every focus area the idea serves: `focus_area_id` first, then the further ones, each once.
    pub fn focus_areas(&self) -> Vec<Uuid> {
        main_and_further(self.focus_area_id, &self.focus_area_ids)
    }

    /// True when the idea has a next step that is not yet done.
    pub fn has_open_step(&self) -> bool {
        has_text(&self.next_step) && !self.step_is_done()
    }

    /// True when the current next step is the one marked done.
    pub fn step_is_done(&self) -> bool {
        step_done(self.next_step_done, &self.next_step_done_text, &self.next_step)
    }

    /// True when a contact name or contact details are filled in.
    pub fn has_contact(&self) -> bool {
        [&self.contact_name, &self.contact_info]
            .iter()
            .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }

    /// The day the idea reached `stage`: the recorded day, or the capture day for the first stage.
    pub fn reached(&self, stage: IdeaStage) -> Option<Date> {
        self.stage_reached_on
            .get(&stage)
            .copied()
            .or_else(|| (stage == IdeaStage::Idea).then_some(self.captured_on))
    }
}

impl KindFields for Idea {
    const KIND: Kind = Kind::Idea;
    fn check(&self, c: &mut Checker) {
        c.title("title", &self.title);
        c.long("description", &self.description);
        c.short("contact_name", &self.contact_name);
        c.short("contact_info", &self.contact_info);
        c.rule(
            "consent",
            self.consent || !self.has_contact(),
            "contact details can only be stored with the person's consent: tick the consent box, or leave the contact empty",
        );
        c.long("next_step", &self.next_step);
        c.long("next_step_done_text", &self.next_step_done_text);
        c.list("strategic_goal_ids", &self.strategic_goal_ids);
        c.list("focus_area_ids", &self.focus_area_ids);
    }
}

/// One main id (the field older releases know) and further ones, as one list without repeats.
fn main_and_further(main: Option<Uuid>, further: &[Uuid]) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = main.into_iter().collect();
    for id in further {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// An organisation the Leader area works with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub name: String,
    #[serde(rename = "type")]
    pub partner_type: PartnerType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_id: Option<Uuid>,
    /// The people to talk to there. A list since the partner register (it was one free text;
    /// the server moved such text into `notes` once, see `server/src/migrate.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "contact_list")]
    pub contacts: Vec<PartnerContact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Weeks without contact before the partner is flagged, overriding its type's interval in
    /// [`Settings`]. Added with the partner register, for the one partner that needs a closer
    /// (or looser) rhythm than the rest of its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_interval_weeks: Option<i64>,
}

/// Reads `partner.contacts`, saying in words what an older app's free text should now be.
fn contact_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<PartnerContact>, D::Error> {
    use serde::de::Error;
    match Value::deserialize(d)? {
        Value::String(_) => Err(D::Error::custom(
            "contacts is a list of contacts ({name, role, email, phone}) since the partner register, not a text: update the app, or put the text in notes",
        )),
        other => serde_json::from_value(other).map_err(D::Error::custom),
    }
}

/// The longest contact interval, in weeks (two years).
pub const MAX_INTERVAL_WEEKS: i64 = 104;

/// One person to talk to at a partner organisation (not a `person` record: they are the
/// partner's people, not the LAG's).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerContact {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl KindFields for Partner {
    const KIND: Kind = Kind::Partner;
    fn check(&self, c: &mut Checker) {
        c.title("name", &self.name);
        c.list("contacts", &self.contacts);
        for contact in &self.contacts {
            c.title("contacts", &contact.name);
            c.short("contacts", &contact.role);
            c.short("contacts", &contact.email);
            if let Some(e) = &contact.email {
                c.format("contacts", e.is_empty() || e.contains('@'), "an e-mail address");
            }
            c.short("contacts", &contact.phone);
        }
        c.short("website", &self.website);
        c.long("notes", &self.notes);
        if let Some(w) = self.contact_interval_weeks {
            c.range("contact_interval_weeks", w, 1, MAX_INTERVAL_WEEKS);
        }
    }
}

/// One dated contact with a partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dialogue {
    pub partner_id: Uuid,
    pub date: Date,
    pub channel: DialogueChannel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<String>,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step_due: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step_owner_person_id: Option<Uuid>,
    #[serde(default)]
    pub next_step_done: bool,
    #[serde(default)]
    pub strategic_goal_ids: Vec<Uuid>,
    /// Further partners who took part (a joint meeting), besides `partner_id`. Added with the
    /// partner register, so the dialogue counts as contact with each of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_ids: Vec<Uuid>,
    /// The people (person records) who took part; `participants` holds the rest as free text.
    /// Added with the partner register, so a person's page lists the dialogues they were in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub person_ids: Vec<Uuid>,
    /// The words of the step that was marked done. Added with the follow-ups list, see
    /// [`step_done`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step_done_text: Option<String>,
    /// The focus areas the dialogue serves. Added with the follow-up report (traceability).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus_area_ids: Vec<Uuid>,
}

/// True when a next step reads something.
fn has_text(step: &Option<String>) -> bool {
    step.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// Whether the current next step is done: marked done, and (when the marking says which step)
/// it is still that step. "Klart" sends the flag together with the step's words, so a new step
/// written meanwhile on another device is not hidden by a "done" meant for the old one (the
/// two edits touch different fields and would both apply). A flag without words, from before
/// the words were kept, stands for whatever step there is.
pub fn step_done(flag: bool, done_text: &Option<String>, step: &Option<String>) -> bool {
    flag && done_text.as_ref().is_none_or(|t| Some(t) == step.as_ref())
}

/// Sets a record's "done" of its next step from the form: unchanged when the box and the step
/// are as opened (a "done" of an older step stays as it is); otherwise done with the step's
/// words, or not done (see [`step_done`]).
pub fn mark_step(
    flag: &mut bool,
    text: &mut Option<String>,
    step: &Option<String>,
    ticked: bool,
    was_done: bool,
    step_before: &Option<String>,
) {
    if ticked == was_done && step == step_before {
        return;
    }
    *flag = ticked;
    *text = if ticked { step.clone() } else { None };
}

impl Dialogue {
    /// Every partner that took part: `partner_id` first, then the further ones, each once.
    pub fn all_partner_ids(&self) -> Vec<Uuid> {
        let mut out = vec![self.partner_id];
        for p in &self.partner_ids {
            if !out.contains(p) {
                out.push(*p);
            }
        }
        out
    }

    /// True when the dialogue has a next step that is not yet done.
    pub fn has_open_step(&self) -> bool {
        has_text(&self.next_step) && !self.step_is_done()
    }

    /// True when the current next step is the one marked done.
    pub fn step_is_done(&self) -> bool {
        step_done(self.next_step_done, &self.next_step_done_text, &self.next_step)
    }
}

impl KindFields for Dialogue {
    const KIND: Kind = Kind::Dialogue;
    fn check(&self, c: &mut Checker) {
        c.long("participants", &self.participants);
        c.body("summary", &self.summary);
        c.long("next_step", &self.next_step);
        c.list("strategic_goal_ids", &self.strategic_goal_ids);
        c.list("partner_ids", &self.partner_ids);
        c.list("person_ids", &self.person_ids);
        c.long("next_step_done_text", &self.next_step_done_text);
        c.list("focus_area_ids", &self.focus_area_ids);
    }
}

/// An item in the communication calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketingItem {
    pub title: String,
    pub channel: MarketingChannel,
    pub status: MarketingStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_on: Option<Date>,
    /// ISO week, e.g. `2026-W14`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub week: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_person_id: Option<Uuid>,
    #[serde(default)]
    pub strategic_goal_ids: Vec<Uuid>,
    #[serde(default)]
    pub good_example: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured_person_id: Option<Uuid>,
    /// The event the item tells about. Added with the marketing calendar, so the week's
    /// question does not suggest an event already told about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured_event_id: Option<Uuid>,
    /// The idea (a granted project) the item tells about. Added with the marketing calendar,
    /// like `featured_event_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured_idea_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The focus areas the item serves. Added with the follow-up report (traceability).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus_area_ids: Vec<Uuid>,
}

impl KindFields for MarketingItem {
    const KIND: Kind = Kind::MarketingItem;
    fn check(&self, c: &mut Checker) {
        c.title("title", &self.title);
        if let Some(w) = &self.week {
            c.format("week", is_iso_week(w), "an ISO week such as 2026-W14");
        }
        c.list("strategic_goal_ids", &self.strategic_goal_ids);
        c.short("link", &self.link);
        c.long("notes", &self.notes);
        c.list("focus_area_ids", &self.focus_area_ids);
    }
}

/// A workshop, idea workshop, network meeting, training day and the like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub title: String,
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_id: Option<Uuid>,
    /// How many took part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategic_goal_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The LAG's own people (board, staff) who took part. Added with the people register, so a
    /// person's page lists the events they were at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lag_person_ids: Vec<Uuid>,
    /// The partners who organised the event with the LAG. Added with the partner register, so a
    /// joint network meeting counts as contact with each of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_ids: Vec<Uuid>,
    /// Further strategic goals the event serves, besides `strategic_goal_id` (the goal of its
    /// `activity_id`, the field older releases know). Added with the follow-up report; read them
    /// together through [`Event::goals`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strategic_goal_ids: Vec<Uuid>,
    /// The focus areas the event serves. Added with the follow-up report (traceability).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus_area_ids: Vec<Uuid>,
}

impl Event {
    /// Every strategic goal the event serves: `strategic_goal_id` first, then the further ones.
    pub fn goals(&self) -> Vec<Uuid> {
        main_and_further(self.strategic_goal_id, &self.strategic_goal_ids)
    }
}

impl KindFields for Event {
    const KIND: Kind = Kind::Event;
    fn check(&self, c: &mut Checker) {
        c.title("title", &self.title);
        c.list("lag_person_ids", &self.lag_person_ids);
        c.list("partner_ids", &self.partner_ids);
        c.list("strategic_goal_ids", &self.strategic_goal_ids);
        c.list("focus_area_ids", &self.focus_area_ids);
        if let Some(n) = self.participants {
            c.range("participants", n, 0, 100_000);
        }
        c.long("notes", &self.notes);
    }
}

/// A comment on any record. Append-only; author and time are set by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    pub target_kind: Kind,
    pub target_id: Uuid,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_user_id: Option<Uuid>,
    /// The author's display name when the comment was written (set by the server), so every
    /// reader sees who wrote it without access to the accounts list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    /// Milliseconds since the Unix epoch, server clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
}

impl KindFields for Comment {
    const KIND: Kind = Kind::Comment;
    fn check(&self, c: &mut Checker) {
        c.body("text", &self.text);
    }
}

/// Project funds in SEK; changed with `add` so offline changes add up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    #[serde(default)]
    pub allocated_sek: i64,
    #[serde(default)]
    pub granted_sek: i64,
    #[serde(default)]
    pub paid_sek: i64,
    /// None: the whole programme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_area_id: Option<Uuid>,
}

/// Largest amount a funds field may hold (a thousand billion SEK): far beyond any Leader area,
/// small enough that sums never overflow.
pub const MAX_SEK: i64 = 1_000_000_000_000;

impl KindFields for Funds {
    const KIND: Kind = Kind::Funds;
    fn check(&self, c: &mut Checker) {
        c.range("allocated_sek", self.allocated_sek, 0, MAX_SEK);
        c.range("granted_sek", self.granted_sek, 0, MAX_SEK);
        c.range("paid_sek", self.paid_sek, 0, MAX_SEK);
    }
}

/// A concurrent edit's losing value, kept for a person to review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    pub target_kind: Kind,
    pub target_id: Uuid,
    pub field: String,
    pub kept_value: Value,
    pub lost_value: Value,
    /// Who made the losing edit (display name).
    pub lost_by: String,
    /// When the losing edit was made, client clock in ms.
    pub lost_at: i64,
    /// Who set the kept value (display name), when known: added so a person choosing between
    /// the two values sees both names. Absent on conflicts made before it was added and on
    /// values from the default plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_by: Option<String>,
    /// When the kept value was set, client clock in ms, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_at: Option<i64>,
    #[serde(default)]
    pub resolved: bool,
}

impl KindFields for Conflict {
    const KIND: Kind = Kind::Conflict;
    fn check(&self, c: &mut Checker) {
        c.title("field", &self.field);
        c.title("lost_by", &self.lost_by);
        c.short("kept_by", &self.kept_by);
    }
}

/// The tunables of this Leader area, one record with the id [`SETTINGS_ID`], editable by admins
/// only. Each field is optional: a missing one means its default.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Months after an idea is finished or declined before the server removes its contact
    /// details (GDPR storage limitation). Default [`DEFAULT_RETENTION_MONTHS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea_contact_retention_months: Option<i64>,
    /// Weeks without contact before a partner of a type is flagged ("Ingen kontakt på N
    /// veckor"). Types not listed use [`default_interval_weeks`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub contact_interval_weeks: BTreeMap<PartnerType, i64>,
}

/// A partner type's contact interval unless an admin changes it: the seven municipalities
/// co-finance the LAG and are met more often (8 weeks); everyone else 12.
pub fn default_interval_weeks(t: PartnerType) -> i64 {
    match t {
        PartnerType::Municipality => 8,
        _ => 12,
    }
}

/// The fixed id of the one settings record, so two admins offline edit the same record
/// rather than create two.
pub const SETTINGS_ID: Uuid = Uuid::from_u128(0x7a71_a5e7_0000_4000_8000_0000_0000_0001);
/// Months an idea's contact is kept after the idea is finished or declined, unless an admin
/// changes it.
pub const DEFAULT_RETENTION_MONTHS: i64 = 24;

impl Settings {
    /// The retention in months, the default when not set.
    pub fn retention_months(&self) -> i64 {
        self.idea_contact_retention_months.unwrap_or(DEFAULT_RETENTION_MONTHS)
    }

    /// Weeks without contact before a partner of type `t` is flagged.
    pub fn interval_weeks(&self, t: PartnerType) -> i64 {
        self.contact_interval_weeks.get(&t).copied().unwrap_or_else(|| default_interval_weeks(t))
    }

    /// The settings among `records`, the defaults when there are none.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a Record>) -> Settings {
        records
            .into_iter()
            .find(|r| r.id == SETTINGS_ID && !r.deleted)
            .and_then(Settings::from_record)
            .unwrap_or_default()
    }
}

impl KindFields for Settings {
    const KIND: Kind = Kind::Settings;
    fn check(&self, c: &mut Checker) {
        if let Some(m) = self.idea_contact_retention_months {
            c.range("idea_contact_retention_months", m, 1, 120);
        }
        for w in self.contact_interval_weeks.values() {
            c.range("contact_interval_weeks", *w, 1, MAX_INTERVAL_WEEKS);
        }
    }
}

/// Validation for a kind known only at run time.
pub(crate) fn dispatch_validate(kind: Kind, f: &Map<String, Value>) -> Result<(), ValidationError> {
    match kind {
        Kind::Plan => parse::<Plan>(f).map(drop),
        Kind::LongTermGoal => parse::<LongTermGoal>(f).map(drop),
        Kind::FocusArea => parse::<FocusArea>(f).map(drop),
        Kind::StrategicGoal => parse::<StrategicGoal>(f).map(drop),
        Kind::Activity => parse::<Activity>(f).map(drop),
        Kind::Municipality => parse::<Municipality>(f).map(drop),
        Kind::Person => parse::<Person>(f).map(drop),
        Kind::Idea => parse::<Idea>(f).map(drop),
        Kind::Partner => parse::<Partner>(f).map(drop),
        Kind::Dialogue => parse::<Dialogue>(f).map(drop),
        Kind::MarketingItem => parse::<MarketingItem>(f).map(drop),
        Kind::Event => parse::<Event>(f).map(drop),
        Kind::Comment => parse::<Comment>(f).map(drop),
        Kind::Funds => parse::<Funds>(f).map(drop),
        Kind::Conflict => parse::<Conflict>(f).map(drop),
        Kind::Settings => parse::<Settings>(f).map(drop),
    }
}

#[cfg(test)]
mod step_tests {
    use super::*;

    #[test]
    fn a_forms_done_box_marks_the_step_it_shows_and_leaves_an_older_marking_alone() {
        let step = Some("Boka möte".to_string());
        let (mut flag, mut text) = (false, None);
        mark_step(&mut flag, &mut text, &step, true, false, &step);
        assert_eq!((flag, text.as_deref()), (true, Some("Boka möte")), "ticked: done with its words");
        assert!(step_done(flag, &text, &step));
        // Unchanged box and step: a marking of an older step (from another device) stays.
        let (mut flag, mut text) = (true, Some("Ring".to_string()));
        mark_step(&mut flag, &mut text, &step, false, false, &step);
        assert_eq!((flag, text.as_deref()), (true, Some("Ring")));
        assert!(!step_done(flag, &text, &step), "the current step is still open");
        // Unticked: not done.
        let (mut flag, mut text) = (true, step.clone());
        mark_step(&mut flag, &mut text, &step, false, true, &step);
        assert_eq!((flag, text), (false, None));
    }
}
