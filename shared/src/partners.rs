//! Who we have not talked to (goal 2's dialogue with the area's partners): each partner's last
//! contact — a dialogue it took part in or an event it co-organised, on or before today — its
//! contact interval, and its timeline. Pure functions of records, unit-tested here and run in
//! the browser.

use std::collections::HashMap;

use uuid::Uuid;

use crate::date::Date;
use crate::kinds::{Dialogue, Event, Partner, Settings};
use crate::order::{day, sort_by_rank, Rank};
use crate::plan_view::{items, Item};
use crate::values::PartnerType;
use crate::wire::Record;

/// How long since a partner was last in contact with the LAG, against its interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactStatus {
    /// No dialogue or co-organised event recorded: "Ingen kontakt registrerad".
    Never,
    /// Longer than its interval since the last contact, `weeks` whole weeks ago.
    Overdue { last: Date, weeks: i64 },
    /// Within its interval.
    Recent { last: Date, weeks: i64 },
}

impl ContactStatus {
    /// True when the partner belongs on the attention list.
    pub fn needs_contact(self) -> bool {
        !matches!(self, ContactStatus::Recent { .. })
    }

    /// The day of the last contact, if any.
    pub fn last(self) -> Option<Date> {
        match self {
            ContactStatus::Never => None,
            ContactStatus::Overdue { last, .. } | ContactStatus::Recent { last, .. } => Some(last),
        }
    }
}

/// A partner's contact interval in weeks: its own override, else its type's in `settings`.
pub fn interval_weeks(partner: &Partner, settings: &Settings) -> i64 {
    partner.contact_interval_weeks.unwrap_or_else(|| settings.interval_weeks(partner.partner_type))
}

/// The status of a partner last met on `last` (None: never), on `today`. Overdue once more
/// days have passed than the interval's weeks hold; weeks are whole weeks, rounded down.
pub fn status(partner: &Partner, last: Option<Date>, settings: &Settings, today: Date) -> ContactStatus {
    let Some(last) = last else { return ContactStatus::Never };
    let days = (today.0 - last.0).num_days().max(0);
    let weeks = days / 7;
    if days > interval_weeks(partner, settings) * 7 {
        ContactStatus::Overdue { last, weeks }
    } else {
        ContactStatus::Recent { last, weeks }
    }
}

/// Each partner's last contact on or before `today`: the latest dialogue it took part in
/// (as the main or a further partner) or event it co-organised. Later, planned dates do not
/// count: a meeting booked for next month is not contact yet.
pub fn last_contacts<'a>(
    records: impl IntoIterator<Item = &'a Record> + Clone,
    today: Date,
) -> HashMap<Uuid, Date> {
    let mut last: HashMap<Uuid, Date> = HashMap::new();
    let mut seen = |partner: Uuid, date: Date| {
        if date <= today {
            let entry = last.entry(partner).or_insert(date);
            if date > *entry {
                *entry = date;
            }
        }
    };
    for d in items::<Dialogue>(records.clone()).into_iter() {
        for p in d.fields.all_partner_ids() {
            seen(p, d.fields.date);
        }
    }
    for e in items::<Event>(records).into_iter() {
        for p in &e.fields.partner_ids {
            seen(*p, e.fields.date);
        }
    }
    last
}

/// A partner with its contact status.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerRow {
    pub partner: Item<Partner>,
    pub status: ContactStatus,
}

/// Every live partner with its status, grouped by type (in the order types are listed), by
/// name within a type.
pub fn partner_rows<'a>(
    records: impl IntoIterator<Item = &'a Record> + Clone,
    today: Date,
) -> Vec<PartnerRow> {
    let settings = Settings::of(records.clone());
    let last = last_contacts(records.clone(), today);
    let mut rows: Vec<PartnerRow> = items::<Partner>(records)
        .into_iter()
        .map(|p| {
            let status = status(&p.fields, last.get(&p.id).copied(), &settings, today);
            PartnerRow { partner: p, status }
        })
        .collect();
    sort_by_rank(&mut rows, |r| {
        let t = PartnerType::ALL.iter().position(|t| *t == r.partner.fields.partner_type).unwrap_or(0);
        Rank::num(t as i64).then_text(&r.partner.fields.name).then_id(r.partner.id)
    });
    rows
}

/// The partners the attention list names: overdue ones, longest without contact first. Those
/// never met are counted apart (see [`never_met`]): at the start every partner is one.
pub fn overdue(rows: &[PartnerRow]) -> Vec<&PartnerRow> {
    let mut out: Vec<&PartnerRow> =
        rows.iter().filter(|r| matches!(r.status, ContactStatus::Overdue { .. })).collect();
    sort_by_rank(&mut out, |r| Rank::num(day(r.status.last())).then_text(&r.partner.fields.name));
    out
}

/// How many partners have no contact recorded.
pub fn never_met(rows: &[PartnerRow]) -> usize {
    rows.iter().filter(|r| r.status == ContactStatus::Never).count()
}

/// One entry of a partner's timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineEntry {
    Dialogue(Item<Dialogue>),
    /// An event the partner co-organised.
    Event(Item<Event>),
}

impl TimelineEntry {
    pub fn date(&self) -> Date {
        match self {
            TimelineEntry::Dialogue(d) => d.fields.date,
            TimelineEntry::Event(e) => e.fields.date,
        }
    }

    fn id(&self) -> Uuid {
        match self {
            TimelineEntry::Dialogue(d) => d.id,
            TimelineEntry::Event(e) => e.id,
        }
    }
}

/// The dialogues `partner` took part in and the events it co-organised, newest first.
pub fn timeline<'a>(
    records: impl IntoIterator<Item = &'a Record> + Clone,
    partner: Uuid,
) -> Vec<TimelineEntry> {
    let mut out: Vec<TimelineEntry> = items::<Dialogue>(records.clone())
        .into_iter()
        .filter(|d| d.fields.all_partner_ids().contains(&partner))
        .map(TimelineEntry::Dialogue)
        .chain(
            items::<Event>(records)
                .into_iter()
                .filter(|e| e.fields.partner_ids.contains(&partner))
                .map(TimelineEntry::Event),
        )
        .collect();
    sort_by_rank(&mut out, |e| Rank::num(-day(Some(e.date()))).then_id(e.id()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{KindFields, SETTINGS_ID};
    use crate::test_support::record;
    use crate::Kind;
    use serde_json::json;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn partner(n: u128, name: &str, t: &str) -> Record {
        record(Kind::Partner, n, json!({"name": name, "type": t}))
    }

    fn dialogue(n: u128, partner: u128, date: &str, further: &[u128]) -> Record {
        let further: Vec<Uuid> = further.iter().map(|p| id(*p)).collect();
        record(
            Kind::Dialogue,
            n,
            json!({"partner_id": id(partner), "date": date, "channel": "meeting", "summary": "Möte",
                   "partner_ids": further}),
        )
    }

    fn event(n: u128, date: &str, partners: &[u128]) -> Record {
        let partners: Vec<Uuid> = partners.iter().map(|p| id(*p)).collect();
        record(
            Kind::Event,
            n,
            json!({"type": "network_meeting", "title": "Nätverksträff", "date": date, "partner_ids": partners}),
        )
    }

    const TODAY: &str = "2026-11-27";

    #[test]
    fn municipalities_are_due_after_eight_weeks_and_others_after_twelve() {
        let s = Settings::default();
        let flen: Partner = Partner::from_record(&partner(1, "Flens kommun", "municipality")).unwrap();
        let region: Partner = Partner::from_record(&partner(2, "Region Sörmland", "region")).unwrap();
        // 56 days is eight weeks exactly: still within; 57 is past it.
        assert!(matches!(
            status(&flen, Some(day("2026-10-02")), &s, day(TODAY)),
            ContactStatus::Recent { weeks: 8, .. }
        ));
        assert!(matches!(
            status(&flen, Some(day("2026-10-01")), &s, day(TODAY)),
            ContactStatus::Overdue { weeks: 8, .. }
        ));
        // Ten weeks: overdue for a municipality, not for a region (12).
        let ten = Some(day("2026-09-18"));
        assert_eq!(
            status(&flen, ten, &s, day(TODAY)),
            ContactStatus::Overdue { last: day("2026-09-18"), weeks: 10 }
        );
        assert!(matches!(status(&region, ten, &s, day(TODAY)), ContactStatus::Recent { weeks: 10, .. }));
        assert_eq!(status(&region, None, &s, day(TODAY)), ContactStatus::Never);
    }

    #[test]
    fn the_settings_change_a_types_interval_and_a_partner_overrides_it() {
        let mut s = Settings::default();
        s.contact_interval_weeks.insert(PartnerType::Region, 4);
        let mut region: Partner = Partner::from_record(&partner(2, "Region Sörmland", "region")).unwrap();
        assert_eq!(interval_weeks(&region, &s), 4);
        assert!(status(&region, Some(day("2026-10-23")), &s, day(TODAY)).needs_contact(), "5 weeks > 4");
        region.contact_interval_weeks = Some(26);
        assert_eq!(interval_weeks(&region, &s), 26);
        assert!(!status(&region, Some(day("2026-10-23")), &s, day(TODAY)).needs_contact());
        // The settings record in a set of records is read; types it leaves out keep the default.
        let settings = record(Kind::Settings, 0, json!({"contact_interval_weeks": {"region": 4}}));
        let settings = Record { id: SETTINGS_ID, ..settings };
        let read = Settings::of([&settings]);
        assert_eq!(read.interval_weeks(PartnerType::Region), 4);
        assert_eq!(read.interval_weeks(PartnerType::Municipality), 8);
        assert_eq!(read.interval_weeks(PartnerType::Network), 12);
    }

    #[test]
    fn a_partner_with_free_text_contacts_from_an_older_app_is_refused_in_words() {
        let old = partner(1, "Flen", "municipality");
        let mut fields = old.fields.clone();
        fields.insert("contacts".into(), json!("Anna Ek, 0157-123 45"));
        let err = crate::validate_fields(Kind::Partner, &fields).unwrap_err().to_string();
        assert!(err.contains("contacts is a list of contacts") && err.contains("update the app"), "{err}");
        fields.insert("contacts".into(), json!([{"name": "Anna Ek", "phone": "0157-123 45"}]));
        assert!(crate::validate_fields(Kind::Partner, &fields).is_ok());
        fields.insert("contacts".into(), json!([{"name": "Anna Ek", "fax": "1"}]));
        let err = crate::validate_fields(Kind::Partner, &fields).unwrap_err().to_string();
        assert!(err.contains("fax"), "an unknown field in a contact is named: {err}");
    }

    #[test]
    fn dialogues_with_any_partner_and_co_organised_events_count_as_contact() {
        let records = vec![
            partner(1, "Flens kommun", "municipality"),
            partner(2, "Gnesta kommun", "municipality"),
            partner(3, "Länsstyrelsen", "authority"),
            partner(4, "Hushållningssällskapet", "civil_society"),
            dialogue(10, 1, "2026-09-18", &[]),
            // Gnesta only as a further partner at a joint meeting.
            dialogue(11, 3, "2026-11-02", &[2]),
            // A planned meeting next month is not contact yet.
            dialogue(12, 1, "2026-12-15", &[]),
            event(20, "2026-11-20", &[4]),
            Record { deleted: true, ..dialogue(13, 4, "2026-11-26", &[]) },
        ];
        let last = last_contacts(&records, day(TODAY));
        assert_eq!(last.get(&id(1)), Some(&day("2026-09-18")));
        assert_eq!(last.get(&id(2)), Some(&day("2026-11-02")));
        assert_eq!(last.get(&id(3)), Some(&day("2026-11-02")));
        assert_eq!(last.get(&id(4)), Some(&day("2026-11-20")), "the event counts, the deleted dialogue not");

        let rows = partner_rows(&records, day(TODAY));
        let names: Vec<&str> = rows.iter().map(|r| r.partner.fields.name.as_str()).collect();
        assert_eq!(
            names,
            ["Flens kommun", "Gnesta kommun", "Hushållningssällskapet", "Länsstyrelsen"],
            "by type, then name"
        );
        let due: Vec<&str> = overdue(&rows).iter().map(|r| r.partner.fields.name.as_str()).collect();
        assert_eq!(due, ["Flens kommun"]);
        assert_eq!(rows[0].status, ContactStatus::Overdue { last: day("2026-09-18"), weeks: 10 });
        assert_eq!(never_met(&rows), 0);
        assert_eq!(never_met(&partner_rows(&records[..4], day(TODAY))), 4);

        let flen: Vec<Date> = timeline(&records, id(1)).iter().map(TimelineEntry::date).collect();
        assert_eq!(flen, [day("2026-12-15"), day("2026-09-18")], "newest first, planned ones too");
        assert!(matches!(timeline(&records, id(4)).as_slice(), [TimelineEntry::Event(_)]));
    }
}
