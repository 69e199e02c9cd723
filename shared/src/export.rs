//! Every register as a table for CSV (see [`crate::csv`]): the same columns whether the device
//! builds the file from local data (offline too) or `GET /api/v1/export/{register}.csv` serves
//! it to a script. Column names and values are the file format, documented in
//! `docs/sync-protocol.md`: Swedish headers, dates as YYYY-MM-DD (the Swedish standard form),
//! closed values by their wire names (`in_progress`), yes/no as `ja`/`nej`, lists joined by
//! ", ", references by name. Contact details are whatever the records hold: both the pull and
//! the export endpoint leave out those the reader may not see.

use std::collections::HashMap;

use uuid::Uuid;

use crate::date::Date;
use crate::kinds::{
    Activity, Dialogue, Event, FocusArea, Idea, KindFields, MarketingItem, Municipality, Partner, Person,
    StrategicGoal,
};
use crate::order::{day, sort_by_rank, Rank};
use crate::plan_view::{items, Item};
use crate::wire::Record;

/// A register that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Activities,
    Events,
    People,
    Ideas,
    Partners,
    Dialogues,
    Marketing,
}

impl Register {
    pub const ALL: [Register; 7] = [
        Register::Activities,
        Register::Events,
        Register::People,
        Register::Ideas,
        Register::Partners,
        Register::Dialogues,
        Register::Marketing,
    ];

    /// The register's name in the export address (`/api/v1/export/activities.csv`).
    pub fn slug(self) -> &'static str {
        match self {
            Register::Activities => "activities",
            Register::Events => "events",
            Register::People => "people",
            Register::Ideas => "ideas",
            Register::Partners => "partners",
            Register::Dialogues => "dialogues",
            Register::Marketing => "marketing",
        }
    }

    /// The register named `slug`, if any.
    pub fn from_slug(slug: &str) -> Option<Register> {
        Register::ALL.into_iter().find(|r| r.slug() == slug)
    }

    /// The file a person downloads: `tavla-aktiviteter-2026-11-29.csv`.
    pub fn file_name(self, today: Date) -> String {
        let name = match self {
            Register::Activities => "aktiviteter",
            Register::Events => "evenemang",
            Register::People => "personer",
            Register::Ideas => "ideer",
            Register::Partners => "partner",
            Register::Dialogues => "dialoger",
            Register::Marketing => "marknadsforing",
        };
        format!("tavla-{name}-{today}.csv")
    }

    /// The header row.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Register::Activities => &ACTIVITY_COLUMNS,
            Register::Events => &[
                "id",
                "version",
                "typ",
                "titel",
                "datum",
                "kommun",
                "deltagare",
                "mål",
                "aktivitet",
                "insatsområden",
                "partner",
                "anteckningar",
            ],
            Register::People => &PERSON_COLUMNS,
            Register::Ideas => &[
                "id",
                "version",
                "titel",
                "steg",
                "kommun",
                "insatsområden",
                "mål",
                "fångad_av",
                "fångad_datum",
                "nästa_steg",
                "nästa_steg_senast",
                "nästa_steg_klart",
                "kontaktperson",
                "kontaktuppgifter",
                "samtycke",
                "beskrivning",
            ],
            Register::Partners => &[
                "id",
                "version",
                "namn",
                "typ",
                "kommun",
                "kontakter",
                "webbplats",
                "kontaktintervall_veckor",
                "anteckningar",
            ],
            Register::Dialogues => &[
                "id",
                "version",
                "datum",
                "partner",
                "kanal",
                "deltagare",
                "sammanfattning",
                "nästa_steg",
                "nästa_steg_senast",
                "nästa_steg_ansvarig",
                "nästa_steg_klart",
                "mål",
                "insatsområden",
            ],
            Register::Marketing => &[
                "id",
                "version",
                "titel",
                "kanal",
                "status",
                "publiceras",
                "vecka",
                "ansvarig",
                "mål",
                "insatsområden",
                "gott_exempel",
                "länk",
                "anteckningar",
            ],
        }
    }
}

/// The activities' columns (the import reads the same).
pub const ACTIVITY_COLUMNS: [&str; 12] = [
    "id",
    "version",
    "mål",
    "titel",
    "status",
    "ansvarig",
    "klart_senast",
    "kommuner",
    "partner",
    "insatsområden",
    "anteckningar",
    "position",
];
/// The people's columns (the import reads the same).
pub const PERSON_COLUMNS: [&str; 10] = [
    "id",
    "version",
    "namn",
    "roller",
    "ambassadör",
    "e-post",
    "telefon",
    "kommun",
    "gott_exempel",
    "anteckningar",
];

/// Names by id, for references: people, municipalities, partners, goals (their number), focus
/// areas ("3 Bo & Leva") and activities.
pub struct Names(HashMap<Uuid, String>);

impl Names {
    pub fn of<'a>(records: impl IntoIterator<Item = &'a Record> + Clone) -> Names {
        let mut map = HashMap::new();
        for p in items::<Person>(records.clone()) {
            map.insert(p.id, p.fields.name);
        }
        for m in items::<Municipality>(records.clone()) {
            map.insert(m.id, m.fields.name);
        }
        for p in items::<Partner>(records.clone()) {
            map.insert(p.id, p.fields.name);
        }
        for g in items::<StrategicGoal>(records.clone()) {
            map.insert(g.id, g.fields.number.to_string());
        }
        for f in items::<FocusArea>(records.clone()) {
            map.insert(f.id, format!("{} {}", f.fields.number, f.fields.title));
        }
        for a in items::<Activity>(records) {
            map.insert(a.id, a.fields.title);
        }
        Names(map)
    }

    /// The name of `id`, empty when unknown (e.g. deleted).
    pub fn of_id(&self, id: Uuid) -> String {
        self.0.get(&id).cloned().unwrap_or_default()
    }

    fn opt(&self, id: Option<Uuid>) -> String {
        id.map(|i| self.of_id(i)).unwrap_or_default()
    }

    fn list(&self, ids: &[Uuid]) -> String {
        ids.iter().map(|i| self.of_id(*i)).filter(|n| !n.is_empty()).collect::<Vec<_>>().join(", ")
    }
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// `ja` or `nej`.
pub fn yes_no(b: bool) -> String {
    if b { "ja" } else { "nej" }.to_string()
}

fn num(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Typed items of `T` with their versions, by `rank`.
fn rows_of<'a, T: KindFields + 'a>(
    records: &[&'a Record],
    rank: impl Fn(&Item<T>) -> Rank,
) -> Vec<(Item<T>, u64)> {
    let revs: HashMap<Uuid, u64> = records.iter().map(|r| (r.id, r.rev)).collect();
    let mut list = items::<T>(records.iter().copied());
    sort_by_rank(&mut list, rank);
    list.into_iter()
        .map(|i| {
            let rev = revs.get(&i.id).copied().unwrap_or(0);
            (i, rev)
        })
        .collect()
}

/// The register as rows, the header first.
pub fn table<'a>(register: Register, records: impl IntoIterator<Item = &'a Record>) -> Vec<Vec<String>> {
    let records: Vec<&Record> = records.into_iter().collect();
    let names = Names::of(records.iter().copied());
    let mut out = vec![register.columns().iter().map(|c| c.to_string()).collect::<Vec<_>>()];
    let head = |id: Uuid, rev: u64| vec![id.to_string(), rev.to_string()];
    match register {
        Register::Activities => {
            let goal_number: HashMap<Uuid, i64> = items::<StrategicGoal>(records.iter().copied())
                .into_iter()
                .map(|g| (g.id, g.fields.number))
                .collect();
            for (a, rev) in rows_of::<Activity>(&records, |a| {
                Rank::nums(
                    goal_number.get(&a.fields.strategic_goal_id).copied().unwrap_or(99),
                    a.fields.position,
                )
                .then_id(a.id)
            }) {
                let f = a.fields;
                let mut row = head(a.id, rev);
                row.extend([
                    names.of_id(f.strategic_goal_id),
                    f.title,
                    f.status.as_str().to_string(),
                    names.opt(f.owner_person_id),
                    date(f.due_on),
                    names.list(&f.municipality_ids),
                    names.list(&f.partner_ids),
                    names.list(&f.focus_area_ids),
                    text(&f.notes),
                    f.position.to_string(),
                ]);
                out.push(row);
            }
        }
        Register::Events => {
            for (e, rev) in rows_of::<Event>(&records, |e| {
                Rank::num(day(Some(e.fields.date))).then_text(&e.fields.title).then_id(e.id)
            }) {
                let goals = e.fields.goals();
                let f = e.fields;
                let mut row = head(e.id, rev);
                row.extend([
                    f.event_type.as_str().to_string(),
                    f.title,
                    f.date.to_string(),
                    names.opt(f.municipality_id),
                    num(f.participants),
                    names.list(&goals),
                    names.opt(f.activity_id),
                    names.list(&f.focus_area_ids),
                    names.list(&f.partner_ids),
                    text(&f.notes),
                ]);
                out.push(row);
            }
        }
        Register::People => {
            for (p, rev) in rows_of::<Person>(&records, |p| Rank::text(&p.fields.name).then_id(p.id)) {
                let f = p.fields;
                let mut row = head(p.id, rev);
                row.extend([
                    f.name,
                    f.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "),
                    yes_no(f.is_ambassador),
                    text(&f.email),
                    text(&f.phone),
                    names.opt(f.municipality_id),
                    yes_no(f.good_example),
                    text(&f.notes),
                ]);
                out.push(row);
            }
        }
        Register::Ideas => {
            for (i, rev) in rows_of::<Idea>(&records, |i| {
                Rank::num(day(Some(i.fields.captured_on))).then_text(&i.fields.title).then_id(i.id)
            }) {
                let areas = i.fields.focus_areas();
                let done = i.fields.step_is_done();
                let f = i.fields;
                let mut row = head(i.id, rev);
                row.extend([
                    f.title,
                    f.stage.as_str().to_string(),
                    names.opt(f.municipality_id),
                    names.list(&areas),
                    names.list(&f.strategic_goal_ids),
                    names.opt(f.captured_by_person_id),
                    f.captured_on.to_string(),
                    text(&f.next_step),
                    date(f.next_step_due),
                    yes_no(done),
                    text(&f.contact_name),
                    text(&f.contact_info),
                    yes_no(f.consent),
                    text(&f.description),
                ]);
                out.push(row);
            }
        }
        Register::Partners => {
            for (p, rev) in rows_of::<Partner>(&records, |p| Rank::text(&p.fields.name).then_id(p.id)) {
                let f = p.fields;
                let contacts = f
                    .contacts
                    .iter()
                    .map(|c| {
                        let details: Vec<&str> = [&c.role, &c.email, &c.phone]
                            .into_iter()
                            .filter_map(|v| v.as_deref().filter(|s| !s.is_empty()))
                            .collect();
                        if details.is_empty() {
                            c.name.clone()
                        } else {
                            format!("{} ({})", c.name, details.join(", "))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let mut row = head(p.id, rev);
                row.extend([
                    f.name,
                    f.partner_type.as_str().to_string(),
                    names.opt(f.municipality_id),
                    contacts,
                    text(&f.website),
                    num(f.contact_interval_weeks),
                    text(&f.notes),
                ]);
                out.push(row);
            }
        }
        Register::Dialogues => {
            for (d, rev) in
                rows_of::<Dialogue>(&records, |d| Rank::num(day(Some(d.fields.date))).then_id(d.id))
            {
                let partners = d.fields.all_partner_ids();
                let done = d.fields.step_is_done();
                let f = d.fields;
                let mut row = head(d.id, rev);
                row.extend([
                    f.date.to_string(),
                    names.list(&partners),
                    f.channel.as_str().to_string(),
                    {
                        let mut who = names.list(&f.person_ids);
                        if let Some(p) = f.participants.as_deref().filter(|p| !p.trim().is_empty()) {
                            who = if who.is_empty() { p.to_string() } else { format!("{who}, {p}") };
                        }
                        who
                    },
                    f.summary,
                    text(&f.next_step),
                    date(f.next_step_due),
                    names.opt(f.next_step_owner_person_id),
                    yes_no(done),
                    names.list(&f.strategic_goal_ids),
                    names.list(&f.focus_area_ids),
                ]);
                out.push(row);
            }
        }
        Register::Marketing => {
            for (m, rev) in rows_of::<MarketingItem>(&records, |m| {
                Rank::num(day(crate::marketing::placed_day(&m.fields)))
                    .then_text(&m.fields.title)
                    .then_id(m.id)
            }) {
                let f = m.fields;
                let mut row = head(m.id, rev);
                row.extend([
                    f.title,
                    f.channel.as_str().to_string(),
                    f.status.as_str().to_string(),
                    date(f.publish_on),
                    text(&f.week),
                    names.opt(f.owner_person_id),
                    names.list(&f.strategic_goal_ids),
                    names.list(&f.focus_area_ids),
                    yes_no(f.good_example),
                    text(&f.link),
                    text(&f.notes),
                ]);
                out.push(row);
            }
        }
    }
    out
}

/// The register as a CSV file for a Swedish Excel.
pub fn csv<'a>(register: Register, records: impl IntoIterator<Item = &'a Record>) -> String {
    crate::csv::write(&table(register, records))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::record;
    use crate::Kind;
    use serde_json::json;

    #[test]
    fn every_register_has_its_header_and_one_row_per_live_record() {
        let flen = Uuid::from_u128(50);
        let mut gone = record(Kind::Person, 41, json!({"name": "Borta"}));
        gone.deleted = true;
        let rs = vec![
            record(Kind::Municipality, 50, json!({"name": "Flen", "code": "0482"})),
            record(Kind::StrategicGoal, 3, json!({"number": 3, "title": "Workshops", "health": "on_track"})),
            record(
                Kind::Activity,
                31,
                json!({"strategic_goal_id": Uuid::from_u128(3), "title": "17 workshops",
                "status": "in_progress", "position": 2, "municipality_ids": [flen], "notes": "=1+1"}),
            ),
            record(
                Kind::Person,
                40,
                json!({"name": "Britt Berg", "roles": ["board_member"], "is_ambassador": true,
                "municipality_id": flen, "email": "britt@example.se"}),
            ),
            gone,
        ];
        for register in Register::ALL {
            assert_eq!(table(register, &rs)[0].len(), register.columns().len(), "{register:?}");
        }
        let activities = table(Register::Activities, &rs);
        assert_eq!(activities.len(), 2);
        assert_eq!(activities[1][2..6], ["3", "17 workshops", "in_progress", ""]);
        assert_eq!(activities[1][7], "Flen");
        let people = table(Register::People, &rs);
        assert_eq!(people.len(), 2, "deleted people are left out");
        assert_eq!(people[1][2..6], ["Britt Berg", "board_member", "ja", "britt@example.se"]);
        let file = csv(Register::Activities, &rs);
        assert!(file.starts_with("\u{feff}id;version;mål;titel;status;"), "{file}");
        assert!(file.contains(";\"'=1+1\";"), "a formula is text: {file}");
        assert_eq!(Register::from_slug("activities"), Some(Register::Activities));
        assert_eq!(Register::from_slug("users"), None);
    }
}
