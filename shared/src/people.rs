//! The people register's rules: its search and filters and their form in a shareable URL query
//! (`?q=anna&roll=board_member&ambassador=ja&kommun=0482`), what a person has done (ideas
//! captured, events taken part in, dialogues whose next step they own, marketing items about
//! or owned by them), and who an event's "from the LAG" list offers.

use uuid::Uuid;

use crate::kinds::{Dialogue, Event, Idea, KindFields, MarketingItem, Municipality, Person};
use crate::order::{day, sort_by_rank, Rank};
use crate::plan_view::Item;
use crate::values::PersonRole;
use crate::wire::Record;

/// The URL query keys, in the order they are written.
pub mod keys {
    pub const TEXT: &str = "q";
    pub const ROLE: &str = "roll";
    pub const AMBASSADOR: &str = "ambassador";
    pub const MUNICIPALITY: &str = "kommun";
}

/// The query value of "ambassadors only" and of "not ambassadors".
pub const YES: &str = "ja";
pub const NO: &str = "nej";

/// The register's search and filters; empty shows everyone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeopleFilter {
    /// Words to find in the name, e-mail, phone or notes (each word somewhere, any case).
    pub text: String,
    pub role: Option<PersonRole>,
    /// `Some(true)`: ambassadors only; `Some(false)`: the others.
    pub ambassador: Option<bool>,
    /// A municipality's code (kommunkod, e.g. "0482") or its id, as the link gave it.
    pub municipality: Option<String>,
}

impl PeopleFilter {
    /// Reads the filters from query pairs; unknown keys and values that do not parse are
    /// ignored, so an old or mistyped link still opens (showing more, never failing).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> PeopleFilter {
        let mut f = PeopleFilter::default();
        for (key, value) in pairs {
            match key {
                keys::TEXT => f.text = value.to_string(),
                keys::ROLE => f.role = PersonRole::ALL.iter().copied().find(|r| r.as_str() == value),
                keys::AMBASSADOR => {
                    f.ambassador = match value {
                        YES => Some(true),
                        NO => Some(false),
                        _ => None,
                    }
                }
                keys::MUNICIPALITY => {
                    f.municipality = Some(value.trim().to_string()).filter(|v| !v.is_empty())
                }
                _ => {}
            }
        }
        f
    }

    /// The filters as query pairs, only those set (values not yet URL-encoded).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.text.trim().is_empty() {
            out.push((keys::TEXT, self.text.clone()));
        }
        if let Some(r) = self.role {
            out.push((keys::ROLE, r.as_str().to_string()));
        }
        if let Some(a) = self.ambassador {
            out.push((keys::AMBASSADOR, if a { YES } else { NO }.to_string()));
        }
        if let Some(m) = &self.municipality {
            out.push((keys::MUNICIPALITY, m.clone()));
        }
        out
    }

    /// True when nothing narrows the list.
    pub fn is_empty(&self) -> bool {
        self.to_pairs().is_empty()
    }

    /// The municipality the filter means: by code, else by id. `Some(None)`: a municipality
    /// was asked for that is not known (nobody matches).
    fn municipality_id(&self, municipalities: &[Item<Municipality>]) -> Option<Option<Uuid>> {
        self.municipality.as_ref().map(|wanted| {
            municipalities
                .iter()
                .find(|m| m.fields.code == *wanted || m.id.to_string() == wanted.to_lowercase())
                .map(|m| m.id)
        })
    }

    /// The people that pass, in the order given (the register's is by name).
    pub fn apply<'a>(
        &self,
        people: &'a [Item<Person>],
        municipalities: &[Item<Municipality>],
    ) -> Vec<&'a Item<Person>> {
        let place = self.municipality_id(municipalities);
        let words: Vec<String> = self.text.split_whitespace().map(str::to_lowercase).collect();
        people
            .iter()
            .filter(|p| self.role.is_none_or(|r| p.fields.roles.contains(&r)))
            .filter(|p| self.ambassador.is_none_or(|a| p.fields.is_ambassador == a))
            .filter(|p| place.is_none_or(|m| m.is_some() && p.fields.municipality_id == m))
            .filter(|p| words.iter().all(|w| text_matches(&p.fields, w)))
            .collect()
    }
}

/// Digits only: "070-123 45 67" → "0701234567".
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// True when the lower-case `word` is in the person's name, e-mail, phone (also with spaces and
/// dashes ignored) or notes.
fn text_matches(p: &Person, word: &str) -> bool {
    let has = |field: Option<&str>| field.is_some_and(|f| f.to_lowercase().contains(word));
    let phone_digits = p.phone.as_deref().map(digits).unwrap_or_default();
    let word_digits = digits(word);
    has(Some(&p.name))
        || has(p.email.as_deref())
        || has(p.phone.as_deref())
        || has(p.notes.as_deref())
        || (!word_digits.is_empty() && word_digits.len() == word.len() && phone_digits.contains(&word_digits))
}

/// What a person has done, each list newest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Involvement {
    /// Ideas they captured.
    pub ideas: Vec<Item<Idea>>,
    /// Events they took part in for the LAG.
    pub events: Vec<Item<Event>>,
    /// Dialogues they took part in or whose next step they own.
    pub dialogues: Vec<Item<Dialogue>>,
    /// Marketing items featuring them or owned by them.
    pub marketing: Vec<Item<MarketingItem>>,
}

fn items<'a, T: KindFields>(
    records: impl IntoIterator<Item = &'a Record>,
    keep: impl Fn(&T) -> bool,
) -> Vec<Item<T>> {
    records
        .into_iter()
        .filter(|r| !r.deleted)
        .filter_map(|r| T::from_record(r).map(|fields| Item { id: r.id, fields }))
        .filter(|i| keep(&i.fields))
        .collect()
}

/// Everything in `records` that `person` captured, took part in, owns or features in.
pub fn involvement<'a>(records: impl IntoIterator<Item = &'a Record> + Clone, person: Uuid) -> Involvement {
    let mut ideas = items::<Idea>(records.clone(), |i| i.captured_by_person_id == Some(person));
    sort_by_rank(&mut ideas, |i| Rank::num(-day(Some(i.fields.captured_on))).then_id(i.id));
    let mut events = items::<Event>(records.clone(), |e| e.lag_person_ids.contains(&person));
    sort_by_rank(&mut events, |e| Rank::num(-day(Some(e.fields.date))).then_id(e.id));
    let mut dialogues = items::<Dialogue>(records.clone(), |d| {
        d.next_step_owner_person_id == Some(person) || d.person_ids.contains(&person)
    });
    sort_by_rank(&mut dialogues, |d| Rank::num(-day(Some(d.fields.date))).then_id(d.id));
    let mut marketing = items::<MarketingItem>(records, |m| {
        m.owner_person_id == Some(person) || m.featured_person_id == Some(person)
    });
    // Undated items (not yet planned in) last.
    sort_by_rank(&mut marketing, |m| {
        Rank::num(m.fields.publish_on.map_or(i64::MAX, |d| -day(Some(d)))).then_id(m.id)
    });
    Involvement { ideas, events, dialogues, marketing }
}

/// True for the LAG's own people: board members and staff.
pub fn is_lag(p: &Person) -> bool {
    p.roles.iter().any(|r| matches!(r, PersonRole::BoardMember | PersonRole::Staff))
}

/// Whom an event's "from the LAG" list offers, by name: board members and staff, and anyone
/// already chosen (who may have left the board since), so they can be unticked.
pub fn lag_candidates(people: &[Item<Person>], chosen: &[Uuid]) -> Vec<(Uuid, String)> {
    let mut out: Vec<(Uuid, String)> = people
        .iter()
        .filter(|p| is_lag(&p.fields) || chosen.contains(&p.id))
        .map(|p| (p.id, p.fields.name.clone()))
        .collect();
    sort_by_rank(&mut out, |(id, name)| Rank::text(name).then_id(*id));
    out
}

/// The chosen ids in a stable order: those of `before` in their order, then the new ones in
/// the order of `offered`. Ticking a box off and on again then changes nothing.
pub fn in_order(before: &[Uuid], chosen: &[Uuid], offered: &[Uuid]) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = before.iter().copied().filter(|x| chosen.contains(x)).collect();
    for id in offered.iter().chain(chosen) {
        if chosen.contains(id) && !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;
    use crate::test_support::record;
    use serde_json::json;

    fn person(n: u128, name: &str, roles: &[PersonRole], amb: bool, m: Option<u128>) -> Item<Person> {
        Item {
            id: Uuid::from_u128(n),
            fields: Person {
                name: name.into(),
                roles: roles.to_vec(),
                is_ambassador: amb,
                email: Some(format!("{}@exempel.se", name.split(' ').next().unwrap_or(name).to_lowercase())),
                phone: Some("070-123 45 67".into()),
                municipality_id: m.map(Uuid::from_u128),
                notes: Some("Driver bygdegården".into()),
                good_example: false,
            },
        }
    }

    fn municipalities() -> Vec<Item<Municipality>> {
        vec![Item {
            id: Uuid::from_u128(1),
            fields: Municipality { name: "Flen".into(), code: "0482".into() },
        }]
    }

    #[test]
    fn the_query_round_trips_and_ignores_what_it_does_not_know() {
        let f = PeopleFilter::from_pairs([
            ("q", "Anna Flen"),
            ("roll", "board_member"),
            ("ambassador", "ja"),
            ("kommun", "0482"),
            ("okand", "x"),
        ]);
        assert_eq!(f.role, Some(PersonRole::BoardMember));
        assert_eq!(f.ambassador, Some(true));
        assert_eq!(PeopleFilter::from_pairs(f.to_pairs().iter().map(|(k, v)| (*k, v.as_str()))), f);
        let odd = PeopleFilter::from_pairs([("roll", "kung"), ("ambassador", "kanske"), ("kommun", " ")]);
        assert!(odd.is_empty());
    }

    #[test]
    fn search_and_filters_narrow_the_register() {
        use PersonRole::*;
        let people = vec![
            person(10, "Anna Berg", &[BoardMember], true, Some(1)),
            person(11, "Bo Ek", &[Staff], false, Some(1)),
            person(12, "Åsa Öst", &[FormerProjectOwner], true, None),
        ];
        let ms = municipalities();
        let names =
            |f: PeopleFilter| f.apply(&people, &ms).iter().map(|p| p.fields.name.clone()).collect::<Vec<_>>();
        let text = |t: &str| PeopleFilter { text: t.into(), ..Default::default() };
        assert_eq!(names(text("")).len(), 3);
        assert_eq!(names(text("åSA")), ["Åsa Öst"], "any case, Swedish letters too");
        assert_eq!(names(text("bo@EXEMPEL")), ["Bo Ek"], "e-mail");
        assert_eq!(names(text("0701234567")).len(), 3, "phone without its spaces and dash");
        assert_eq!(names(text("bygdegården anna")), ["Anna Berg"], "every word somewhere");
        assert!(names(text("flen")).is_empty(), "municipality names are a filter, not search text");
        assert_eq!(names(PeopleFilter { role: Some(Staff), ..Default::default() }), ["Bo Ek"]);
        assert_eq!(names(PeopleFilter { ambassador: Some(false), ..Default::default() }), ["Bo Ek"]);
        let by = |m: &str| PeopleFilter { municipality: Some(m.into()), ..Default::default() };
        assert_eq!(names(by("0482")), ["Anna Berg", "Bo Ek"]);
        assert_eq!(names(by(&Uuid::from_u128(1).to_string())).len(), 2, "by id too");
        assert!(names(by("0999")).is_empty(), "an unknown municipality matches nobody");
    }

    #[test]
    fn what_a_person_has_done() {
        let me = Uuid::from_u128(7);
        let records = vec![
            record(
                Kind::Idea,
                1,
                json!({"title": "Äldre", "stage": "idea", "captured_on": "2025-01-01",
                "captured_by_person_id": me}),
            ),
            record(
                Kind::Idea,
                2,
                json!({"title": "Nyare", "stage": "idea", "captured_on": "2026-01-01",
                "captured_by_person_id": me}),
            ),
            record(Kind::Idea, 3, json!({"title": "Annans", "stage": "idea", "captured_on": "2026-01-01"})),
            record(
                Kind::Event,
                4,
                json!({"type": "workshop", "title": "W", "date": "2026-02-02",
                "lag_person_ids": [me]}),
            ),
            record(
                Kind::Dialogue,
                5,
                json!({"partner_id": Uuid::from_u128(9), "date": "2026-02-02",
                "channel": "call", "summary": "S", "next_step_owner_person_id": me}),
            ),
            record(
                Kind::MarketingItem,
                6,
                json!({"title": "Om", "channel": "web", "status": "idea",
                "featured_person_id": me}),
            ),
            record(
                Kind::MarketingItem,
                8,
                json!({"title": "Av", "channel": "web", "status": "idea",
                "owner_person_id": me, "publish_on": "2026-03-01"}),
            ),
        ];
        let mut gone = record(
            Kind::Event,
            10,
            json!({"type": "workshop", "title": "X", "date": "2026-02-02",
            "lag_person_ids": [me]}),
        );
        gone.deleted = true;
        let all: Vec<Record> = records.into_iter().chain([gone]).collect();
        let i = involvement(&all, me);
        assert_eq!(i.ideas.iter().map(|x| x.fields.title.as_str()).collect::<Vec<_>>(), ["Nyare", "Äldre"]);
        assert_eq!(i.events.len(), 1, "deleted events are left out");
        assert_eq!(i.dialogues.len(), 1);
        assert_eq!(i.marketing.iter().map(|x| x.fields.title.as_str()).collect::<Vec<_>>(), ["Av", "Om"]);
        assert_eq!(involvement(&all, Uuid::from_u128(99)), Involvement::default());
    }

    #[test]
    fn the_lag_list_offers_board_and_staff_and_keeps_the_chosen() {
        use PersonRole::*;
        let people = vec![
            person(10, "Cilla", &[BoardMember], false, None),
            person(11, "Bo", &[Staff], false, None),
            person(12, "Åke", &[FormerProjectOwner], false, None),
            person(13, "Ada", &[Other], false, None),
        ];
        let names =
            |chosen: &[Uuid]| lag_candidates(&people, chosen).into_iter().map(|(_, n)| n).collect::<Vec<_>>();
        assert_eq!(names(&[]), ["Bo", "Cilla"]);
        assert_eq!(names(&[Uuid::from_u128(13)]), ["Ada", "Bo", "Cilla"]);
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        assert_eq!(in_order(&[b, a], &[a, c, b], &[a, b, c]), [b, a, c]);
        assert_eq!(in_order(&[b, a], &[a], &[a, b, c]), [a]);
    }
}
