//! CSV import of activities and people (staff): a file in the export's columns (see
//! [`crate::export`]) read into a preview, row by row — what each row creates or changes, or
//! why it cannot be read. Nothing is written here: the page shows the preview and, once the
//! person confirms, saves each good row through the same typed edit path as a form (so the
//! push rules apply as to any edit).
//!
//! A row with an `id` updates that record, as an edit of the `version` it was exported at:
//! someone else's edit of the same field since the export becomes a conflict as usual, nothing
//! is silently overwritten. A row without an `id` creates a record. Empty cells clear the field;
//! columns left out of the file are left as they are.

use std::collections::HashMap;

use uuid::Uuid;

use crate::csv::CsvError;
use crate::date::Date;
use crate::edit::changed_fields;
use crate::export::{ACTIVITY_COLUMNS, PERSON_COLUMNS};
use crate::kinds::{Activity, FocusArea, KindFields, Municipality, Partner, Person, StrategicGoal};
use crate::plan_view::items;
use crate::values::{ActivityStatus, PersonRole};
use crate::wire::Record;

/// The most rows one import reads: a register is a few hundred records.
pub const MAX_ROWS: usize = 2000;

/// Why a file cannot be imported at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    #[error("{0}")]
    Csv(#[from] CsvError),
    #[error("the file has no column «{0}»")]
    MissingColumn(&'static str),
    #[error("the column «{0}» is not one of this register's")]
    UnknownColumn(String),
    #[error("the column «{0}» is there twice")]
    RepeatedColumn(String),
    #[error("the file has {0} rows; at most {MAX_ROWS} are read at once")]
    TooManyRows(usize),
    #[error("the file has a header and no rows")]
    NoRows,
    /// Characters that did not decode (Excel's "CSV" rather than "CSV UTF-8").
    #[error("the file is not UTF-8: save it as «CSV UTF-8»")]
    NotUtf8,
}

/// Why one row cannot be imported. The page says each in words, naming the row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowProblem {
    /// The `id` cell is no id.
    BadId(String),
    /// No record of this register has the id.
    UnknownId(Uuid),
    /// The id is on an earlier row of the file too (its line).
    RepeatedId(usize),
    /// A required cell is empty.
    Missing(&'static str),
    /// No strategic goal has this number.
    UnknownGoal(String),
    /// Not one of the values the column takes (listed).
    NotAValue { column: &'static str, value: String, allowed: Vec<&'static str> },
    /// Not a date written YYYY-MM-DD.
    BadDate { column: &'static str, value: String },
    /// Not a whole number.
    BadNumber { column: &'static str, value: String },
    /// Names no record (person, municipality, partner, focus area) is called.
    UnknownNames { column: &'static str, names: Vec<String> },
    /// Names several records have (write the one meant in Tavla instead).
    AmbiguousNames { column: &'static str, names: Vec<String> },
    /// The row has another number of cells than the header (cut short, or a stray separator).
    CellCount { found: usize, expected: usize },
    /// The record breaks a rule (the rule's own words).
    Invalid(String),
}

/// What a good row does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action<T> {
    /// A new record with this id.
    Create { id: Uuid, value: T },
    /// Changes the record `id` from `before` (as the device has it now) to `value`, as an edit
    /// of version `base_rev` (the exported version when the file has it). `changed_since` is
    /// the record's version now when it changed after the export: the row's other cells may
    /// then be older than the record, so the page saves such a row only when the person says
    /// so, and the server keeps both values of any field changed on both sides as a conflict.
    Update { id: Uuid, base_rev: u64, before: T, value: T, fields: Vec<String>, changed_since: Option<u64> },
    /// The row holds what the record holds.
    Unchanged { id: Uuid },
}

/// One row of the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<T> {
    /// The row's line in the file (the header is line 1).
    pub line: usize,
    /// What the row is about: its title or name, as written.
    pub label: String,
    pub outcome: Result<Action<T>, Vec<RowProblem>>,
}

/// The preview's counts.
pub fn counts<T>(rows: &[Row<T>]) -> (usize, usize, usize, usize) {
    let (mut new, mut changed, mut same, mut bad) = (0, 0, 0, 0);
    for r in rows {
        match &r.outcome {
            Ok(Action::Create { .. }) => new += 1,
            Ok(Action::Update { .. }) => changed += 1,
            Ok(Action::Unchanged { .. }) => same += 1,
            Err(_) => bad += 1,
        }
    }
    (new, changed, same, bad)
}

/// A file's header and rows, by column name.
struct Table {
    width: usize,
    index: HashMap<String, usize>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn read(text: &str, known: &[&'static str], required: &[&'static str]) -> Result<Table, FileError> {
        if text.contains('\u{fffd}') {
            return Err(FileError::NotUtf8);
        }
        let mut rows = crate::csv::read(text)?;
        let header = rows.remove(0);
        let mut index = HashMap::new();
        for (i, name) in header.iter().enumerate() {
            let name = name.trim().to_lowercase();
            if !known.contains(&name.as_str()) {
                return Err(FileError::UnknownColumn(name));
            }
            if index.insert(name.clone(), i).is_some() {
                return Err(FileError::RepeatedColumn(name));
            }
        }
        if let Some(missing) = required.iter().find(|c| !index.contains_key(**c)) {
            return Err(FileError::MissingColumn(missing));
        }
        if rows.is_empty() {
            return Err(FileError::NoRows);
        }
        if rows.len() > MAX_ROWS {
            return Err(FileError::TooManyRows(rows.len()));
        }
        // Lines as the file counts them (the header is line 1); quoted line breaks aside.
        Ok(Table {
            width: header.len(),
            index,
            rows: rows.into_iter().enumerate().map(|(i, r)| (i + 2, r)).collect(),
        })
    }
}

/// One row's cells by column name.
struct Cells<'a> {
    table: &'a Table,
    cells: &'a [String],
    problems: Vec<RowProblem>,
}

impl<'a> Cells<'a> {
    /// A row cut short (or with a stray separator) would clear or shift fields: refused.
    fn check_width(&mut self) {
        if self.cells.len() != self.table.width {
            self.problems.push(RowProblem::CellCount { found: self.cells.len(), expected: self.table.width });
        }
    }

    /// The trimmed cell of `column`; None when the file has no such column.
    fn get(&self, column: &str) -> Option<&'a str> {
        self.table.index.get(column).map(|i| self.cells.get(*i).map_or("", |c| c.trim()))
    }

    /// An optional text: None when the column is absent, Some(None) when the cell is empty.
    fn text(&self, column: &str) -> Option<Option<String>> {
        self.get(column).map(|c| (!c.is_empty()).then(|| c.to_string()))
    }

    fn date(&mut self, column: &'static str) -> Option<Option<Date>> {
        let c = self.get(column)?;
        if c.is_empty() {
            return Some(None);
        }
        match Date::parse(c) {
            Some(d) => Some(Some(d)),
            None => {
                self.problems.push(RowProblem::BadDate { column, value: c.to_string() });
                None
            }
        }
    }

    fn yes_no(&mut self, column: &'static str) -> Option<bool> {
        let c = self.get(column)?;
        match c.to_lowercase().as_str() {
            "ja" | "yes" | "true" | "1" | "x" => Some(true),
            "nej" | "no" | "false" | "0" | "" => Some(false),
            _ => {
                self.problems.push(RowProblem::NotAValue {
                    column,
                    value: c.to_string(),
                    allowed: vec!["ja", "nej"],
                });
                None
            }
        }
    }

    /// The ids of a list of names ("Flen, Gnesta") among `known`; `current` are the record's
    /// ids now (a name two records share means the one it has). A name may hold a comma
    /// ("Region Sörmland, kultur"): the longest known name is taken first.
    fn names(&mut self, column: &'static str, known: &Lookup, current: &[Uuid]) -> Option<Vec<Uuid>> {
        let c = self.get(column)?;
        let pieces: Vec<&str> = c.split([',', ';']).map(str::trim).collect();
        let (mut ids, mut unknown, mut ambiguous) = (Vec::new(), Vec::new(), Vec::new());
        let mut i = 0;
        while i < pieces.len() {
            if pieces[i].is_empty() {
                i += 1;
                continue;
            }
            let longest = (i + 1..=pieces.len())
                .rev()
                .map(|j| (j, known.find(&pieces[i..j].join(", "), current)))
                .find(|(_, f)| *f != Found::Nothing);
            match longest {
                Some((j, Found::One(id))) => {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                    i = j;
                }
                Some((j, _)) => {
                    ambiguous.push(pieces[i..j].join(", "));
                    i = j;
                }
                None => {
                    unknown.push(pieces[i].to_string());
                    i += 1;
                }
            }
        }
        let fine = ambiguous.is_empty() && unknown.is_empty();
        if !ambiguous.is_empty() {
            self.problems.push(RowProblem::AmbiguousNames { column, names: ambiguous });
        }
        if !unknown.is_empty() {
            self.problems.push(RowProblem::UnknownNames { column, names: unknown });
        }
        fine.then_some(ids)
    }

    /// One name among `known`, or nobody when the cell is empty; `current` is the record's id
    /// now.
    fn name(&mut self, column: &'static str, known: &Lookup, current: Option<Uuid>) -> Option<Option<Uuid>> {
        let c = self.get(column)?;
        if c.is_empty() {
            return Some(None);
        }
        match known.find(c, &current.into_iter().collect::<Vec<_>>()) {
            Found::One(id) => Some(Some(id)),
            Found::Several => {
                self.problems.push(RowProblem::AmbiguousNames { column, names: vec![c.to_string()] });
                None
            }
            Found::Nothing => {
                self.problems.push(RowProblem::UnknownNames { column, names: vec![c.to_string()] });
                None
            }
        }
    }
}

/// What a name finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    One(Uuid),
    /// Several records have the name, and none of them is the record's now.
    Several,
    Nothing,
}

/// Names (and other spellings, such as a focus area's number) to ids, without regard to case.
/// Two records may share a name (two people called Anna Ek).
#[derive(Default)]
struct Lookup(HashMap<String, Vec<Uuid>>);

impl Lookup {
    fn add(&mut self, name: &str, id: Uuid) {
        let ids = self.0.entry(name.trim().to_lowercase()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    /// The record called `name`: the only one, or of several the one in `current`.
    fn find(&self, name: &str, current: &[Uuid]) -> Found {
        match self.0.get(&name.trim().to_lowercase()).map(Vec::as_slice) {
            None | Some([]) => Found::Nothing,
            Some([one]) => Found::One(*one),
            Some(several) => {
                several.iter().find(|id| current.contains(id)).map_or(Found::Several, |id| Found::One(*id))
            }
        }
    }

    fn people(records: &[&Record]) -> Lookup {
        let mut l = Lookup::default();
        for p in items::<Person>(records.iter().copied()) {
            l.add(&p.fields.name, p.id);
        }
        l
    }

    fn named<T: KindFields>(records: &[&Record], name: impl Fn(&T) -> &str) -> Lookup {
        let mut l = Lookup::default();
        for i in items::<T>(records.iter().copied()) {
            l.add(name(&i.fields), i.id);
        }
        l
    }
}

/// The id and version columns of a row: None for a new record; the problems go on the row.
fn row_id<T: KindFields>(
    cells: &mut Cells,
    existing: &HashMap<Uuid, (u64, T)>,
    seen: &mut HashMap<Uuid, usize>,
    line: usize,
) -> Result<Option<(Uuid, u64)>, ()> {
    let Some(raw) = cells.get("id").filter(|c| !c.is_empty()) else { return Ok(None) };
    let Ok(id) = Uuid::parse_str(raw) else {
        cells.problems.push(RowProblem::BadId(raw.to_string()));
        return Err(());
    };
    if let Some(first) = seen.insert(id, line) {
        cells.problems.push(RowProblem::RepeatedId(first));
        return Err(());
    }
    let Some((rev, _)) = existing.get(&id) else {
        cells.problems.push(RowProblem::UnknownId(id));
        return Err(());
    };
    let version = match cells.get("version").filter(|c| !c.is_empty()) {
        None => *rev,
        Some(v) => match v.parse::<u64>() {
            // A version from the future (a typo) is the current one.
            Ok(v) => v.min(*rev),
            Err(_) => {
                cells.problems.push(RowProblem::BadNumber { column: "version", value: v.to_string() });
                return Err(());
            }
        },
    };
    Ok(Some((id, version)))
}

/// The outcome of a row: the problems found, or the action.
fn outcome<T: KindFields + Clone>(
    problems: Vec<RowProblem>,
    id: Option<(Uuid, u64)>,
    value: Option<T>,
    existing: &HashMap<Uuid, (u64, T)>,
    new_id: impl FnOnce() -> Uuid,
) -> Result<Action<T>, Vec<RowProblem>> {
    let value = match value {
        Some(v) if problems.is_empty() => v,
        _ => return Err(problems),
    };
    if let Err(e) = crate::validate::parse::<T>(&value.to_fields()) {
        return Err(vec![RowProblem::Invalid(e.to_string())]);
    }
    Ok(match id {
        None => Action::Create { id: new_id(), value },
        Some((id, base_rev)) => {
            let before = existing.get(&id).map(|(_, t)| t.clone()).unwrap_or_else(|| value.clone());
            let fields: Vec<String> = changed_fields(&before, &value).keys().cloned().collect();
            let now = existing.get(&id).map_or(base_rev, |(rev, _)| *rev);
            let changed_since = (base_rev < now).then_some(now);
            if fields.is_empty() {
                Action::Unchanged { id }
            } else {
                Action::Update { id, base_rev, before, value, fields, changed_since }
            }
        }
    })
}

/// Live records of `T` with their versions.
fn existing<T: KindFields>(records: &[&Record]) -> HashMap<Uuid, (u64, T)> {
    records
        .iter()
        .filter(|r| !r.deleted)
        .filter_map(|r| T::from_record(r).map(|t| (r.id, (r.rev, t))))
        .collect()
}

/// Reads an activities file against `records` (what the device holds). `new_id` makes the ids
/// of new records.
pub fn activities<'a>(
    text: &str,
    records: impl IntoIterator<Item = &'a Record>,
    mut new_id: impl FnMut() -> Uuid,
) -> Result<Vec<Row<Activity>>, FileError> {
    let table = Table::read(text, &ACTIVITY_COLUMNS, &["titel"])?;
    let records: Vec<&Record> = records.into_iter().collect();
    let current = existing::<Activity>(&records);
    let goals: HashMap<String, Uuid> = items::<StrategicGoal>(records.iter().copied())
        .into_iter()
        .map(|g| (g.fields.number.to_string(), g.id))
        .collect();
    let people = Lookup::people(&records);
    let places = Lookup::named::<Municipality>(&records, |m| &m.name);
    let partners = Lookup::named::<Partner>(&records, |p| &p.name);
    let mut areas = Lookup::default();
    for f in items::<FocusArea>(records.iter().copied()) {
        areas.add(&format!("{} {}", f.fields.number, f.fields.title), f.id);
        areas.add(&f.fields.title, f.id);
        areas.add(&f.fields.number.to_string(), f.id);
    }
    // New activities go last in their goal, in the file's order.
    let mut next_position: HashMap<Uuid, i64> = HashMap::new();
    for (_, a) in current.values() {
        let p = next_position.entry(a.strategic_goal_id).or_insert(0);
        *p = (*p).max(a.position + 1);
    }
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (line, cells) in &table.rows {
        let mut c = Cells { table: &table, cells, problems: Vec::new() };
        c.check_width();
        let label = c.get("titel").unwrap_or("").to_string();
        let id = row_id(&mut c, &current, &mut seen, *line);
        let base = id.ok().flatten().and_then(|(id, _)| current.get(&id).map(|(_, a)| a.clone()));
        let goal = match c.get("mål").filter(|g| !g.is_empty()) {
            Some(g) => match goals.get(g.trim_start_matches("Mål ").trim()) {
                Some(id) => Some(*id),
                None => {
                    c.problems.push(RowProblem::UnknownGoal(g.to_string()));
                    None
                }
            },
            None if base.is_none() => {
                c.problems.push(RowProblem::Missing("mål"));
                None
            }
            None => base.as_ref().map(|a| a.strategic_goal_id),
        };
        if label.is_empty() {
            c.problems.push(RowProblem::Missing("titel"));
        }
        let status = match c.get("status").filter(|s| !s.is_empty()) {
            None => Some(base.as_ref().map_or(ActivityStatus::NotStarted, |a| a.status)),
            Some(s) => ActivityStatus::ALL.iter().copied().find(|v| v.as_str() == s).or_else(|| {
                c.problems.push(RowProblem::NotAValue {
                    column: "status",
                    value: s.to_string(),
                    allowed: ActivityStatus::ALL.iter().map(|v| v.as_str()).collect(),
                });
                None
            }),
        };
        let owner = c.name("ansvarig", &people, base.as_ref().and_then(|a| a.owner_person_id));
        let due = c.date("klart_senast");
        let now = |f: fn(&Activity) -> &Vec<Uuid>| base.as_ref().map(|a| f(a).clone()).unwrap_or_default();
        let municipalities = c.names("kommuner", &places, &now(|a| &a.municipality_ids));
        let partner_ids = c.names("partner", &partners, &now(|a| &a.partner_ids));
        let focus = c.names("insatsområden", &areas, &now(|a| &a.focus_area_ids));
        let position = match c.get("position").filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => p.parse::<i64>().ok().or_else(|| {
                c.problems.push(RowProblem::BadNumber { column: "position", value: p.to_string() });
                None
            }),
        };
        let value = match (goal, status) {
            (Some(goal), Some(status)) => {
                let mut a = base.clone().unwrap_or_else(|| Activity::new(goal, String::new(), 0));
                a.strategic_goal_id = goal;
                a.title = label.clone();
                a.status = status;
                if let Some(o) = owner {
                    a.owner_person_id = o;
                }
                if let Some(d) = due {
                    a.due_on = d;
                }
                if let Some(n) = c.text("anteckningar") {
                    a.notes = n;
                }
                if let Some(m) = municipalities {
                    a.municipality_ids = m;
                }
                if let Some(p) = partner_ids {
                    a.partner_ids = p;
                }
                if let Some(f) = focus {
                    a.focus_area_ids = f;
                }
                match (position, base.is_some()) {
                    (Some(p), _) => a.position = p,
                    (None, false) => {
                        let next = next_position.entry(goal).or_insert(1);
                        a.position = *next;
                        *next += 1;
                    }
                    (None, true) => {}
                }
                Some(a)
            }
            _ => None,
        };
        let id = id.ok().flatten();
        out.push(Row { line: *line, label, outcome: outcome(c.problems, id, value, &current, &mut new_id) });
    }
    Ok(out)
}

/// Reads a people file against `records` (what the device holds).
pub fn people<'a>(
    text: &str,
    records: impl IntoIterator<Item = &'a Record>,
    mut new_id: impl FnMut() -> Uuid,
) -> Result<Vec<Row<Person>>, FileError> {
    let table = Table::read(text, &PERSON_COLUMNS, &["namn"])?;
    let records: Vec<&Record> = records.into_iter().collect();
    let current = existing::<Person>(&records);
    let places = Lookup::named::<Municipality>(&records, |m| &m.name);
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (line, cells) in &table.rows {
        let mut c = Cells { table: &table, cells, problems: Vec::new() };
        c.check_width();
        let label = c.get("namn").unwrap_or("").to_string();
        let id = row_id(&mut c, &current, &mut seen, *line);
        let base = id.ok().flatten().and_then(|(id, _)| current.get(&id).map(|(_, p)| p.clone()));
        if label.is_empty() {
            c.problems.push(RowProblem::Missing("namn"));
        }
        let roles = c.get("roller").map(|r| {
            let mut roles = Vec::new();
            for name in r.split([',', ';']).map(str::trim).filter(|n| !n.is_empty()) {
                match PersonRole::ALL.iter().copied().find(|v| v.as_str() == name) {
                    Some(role) if !roles.contains(&role) => roles.push(role),
                    Some(_) => {}
                    None => c.problems.push(RowProblem::NotAValue {
                        column: "roller",
                        value: name.to_string(),
                        allowed: PersonRole::ALL.iter().map(|v| v.as_str()).collect(),
                    }),
                }
            }
            roles
        });
        let ambassador = c.yes_no("ambassadör");
        let good = c.yes_no("gott_exempel");
        let place = c.name("kommun", &places, base.as_ref().and_then(|p| p.municipality_id));
        let mut p = base.clone().unwrap_or_else(|| Person::named(String::new()));
        p.name = label.clone();
        if let Some(r) = roles {
            p.roles = r;
        }
        if let Some(a) = ambassador {
            p.is_ambassador = a;
        }
        if let Some(g) = good {
            p.good_example = g;
        }
        if let Some(m) = place {
            p.municipality_id = m;
        }
        for (column, field) in
            [("e-post", &mut p.email), ("telefon", &mut p.phone), ("anteckningar", &mut p.notes)]
        {
            if let Some(v) = c.text(column) {
                *field = v;
            }
        }
        let id = id.ok().flatten();
        out.push(Row {
            line: *line,
            label,
            outcome: outcome(c.problems, id, Some(p), &current, &mut new_id),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::record;
    use crate::Kind;
    use serde_json::json;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn records() -> Vec<Record> {
        let mut a = record(
            Kind::Activity,
            31,
            json!({"strategic_goal_id": id(3), "title": "17 workshops",
            "status": "in_progress", "position": 2, "notes": "Gammal"}),
        );
        a.rev = 7;
        vec![
            record(Kind::StrategicGoal, 3, json!({"number": 3, "title": "Workshops", "health": "on_track"})),
            a,
            record(Kind::Municipality, 50, json!({"name": "Flen", "code": "0482"})),
            record(Kind::FocusArea, 60, json!({"number": 3, "title": "Bo & Leva"})),
            record(Kind::Person, 40, json!({"name": "Britt Berg", "roles": ["board_member"]})),
        ]
    }

    fn counter() -> impl FnMut() -> Uuid {
        let mut n = 1000;
        move || {
            n += 1;
            Uuid::from_u128(n)
        }
    }

    #[test]
    fn an_exported_file_edited_in_excel_updates_creates_and_names_each_bad_row() {
        let rs = records();
        let mut table = crate::export::table(crate::export::Register::Activities, &rs);
        // Change the notes of the exported row; add a good new row and two bad ones.
        table[1][10] = "Ny anteckning".into();
        let mut new_row = vec![String::new(); 12];
        new_row[2] = "3".into();
        new_row[3] = "Beredskapsträff".into();
        new_row[7] = "flen".into();
        new_row[9] = "3".into();
        let mut bad = new_row.clone();
        bad[2] = "9".into();
        bad[6] = "i morgon".into();
        let mut worse = new_row.clone();
        worse[0] = "not-an-id".into();
        table.extend([new_row, bad, worse]);
        let rows = activities(&crate::csv::write(&table), &rs, counter()).unwrap();
        assert_eq!(rows.len(), 4);
        match &rows[0].outcome {
            Ok(Action::Update { id: a, base_rev, fields, value, .. }) => {
                assert_eq!((*a, *base_rev), (id(31), 7));
                assert_eq!(fields, &["notes".to_string()]);
                assert_eq!(value.notes.as_deref(), Some("Ny anteckning"));
            }
            other => panic!("{other:?}"),
        }
        match &rows[1].outcome {
            Ok(Action::Create { value, .. }) => {
                assert_eq!(
                    (value.position, value.status),
                    (3, ActivityStatus::NotStarted),
                    "last in its goal"
                );
                assert_eq!(
                    (value.municipality_ids.clone(), value.focus_area_ids.clone()),
                    (vec![id(50)], vec![id(60)])
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(rows[2].line, 4);
        assert_eq!(
            rows[2].outcome,
            Err(vec![
                RowProblem::UnknownGoal("9".into()),
                RowProblem::BadDate { column: "klart_senast", value: "i morgon".into() }
            ])
        );
        assert_eq!(rows[3].outcome, Err(vec![RowProblem::BadId("not-an-id".into())]));
        assert_eq!(counts(&rows), (1, 1, 0, 2));
    }

    #[test]
    fn an_unchanged_export_changes_nothing_and_file_errors_are_named() {
        let rs = records();
        let file = crate::export::csv(crate::export::Register::Activities, &rs);
        let rows = activities(&file, &rs, counter()).unwrap();
        assert_eq!(rows[0].outcome, Ok(Action::Unchanged { id: id(31) }));
        assert_eq!(
            activities("titel;färg\r\nA;röd\r\n", &rs, counter()),
            Err(FileError::UnknownColumn("färg".into()))
        );
        assert_eq!(activities("mål\r\n3\r\n", &rs, counter()), Err(FileError::MissingColumn("titel")));
        assert_eq!(activities("titel\r\n", &rs, counter()), Err(FileError::NoRows));
        let twice = format!("id;titel\r\n{0};A\r\n{0};B\r\n", id(31));
        let rows = activities(&twice, &rs, counter()).unwrap();
        assert!(matches!(&rows[1].outcome, Err(p) if p[0] == RowProblem::RepeatedId(2)), "{:?}", rows[1]);
    }

    #[test]
    fn people_rows_check_roles_yes_no_and_e_mail() {
        let rs = records();
        let text = "namn;roller;ambassadör;e-post;kommun\r\nAnna Ek;other;ja;anna@example.se;Flen\r\nBo;kung;kanske;bo;\r\n";
        let rows = people(text, &rs, counter()).unwrap();
        match &rows[0].outcome {
            Ok(Action::Create { value, .. }) => {
                assert!(value.is_ambassador);
                assert_eq!(value.municipality_id, Some(id(50)));
            }
            other => panic!("{other:?}"),
        }
        let Err(problems) = &rows[1].outcome else { panic!() };
        assert_eq!(problems.len(), 2, "{problems:?}");
        let text = "namn;e-post\r\nBo;bo\r\n";
        assert!(
            matches!(&people(text, &rs, counter()).unwrap()[0].outcome, Err(p) if matches!(p[0], RowProblem::Invalid(_)))
        );
    }
}
