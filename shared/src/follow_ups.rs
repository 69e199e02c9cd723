//! Follow-ups (`/att-gora`): the open next steps of dialogues (owned by their next step's
//! owner) and of ideas (owned by whoever captured the idea), soonest due first. Pure, so the
//! overview's attention list and the follow-ups page agree.

use uuid::Uuid;

use crate::date::Date;
use crate::kinds::{Dialogue, Idea, KindFields};
use crate::order::{day, sort_by_rank, Rank};
use crate::values::IdeaStage;
use crate::wire::Record;
use crate::Kind;

/// One open next step.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    /// `Dialogue` or `Idea`: the record that holds the step.
    pub kind: Kind,
    pub id: Uuid,
    /// The step in the words it was written.
    pub step: String,
    pub due: Option<Date>,
    /// The person who owns it: the dialogue's next-step owner, the idea's capturer.
    pub owner_person: Option<Uuid>,
    /// For ideas: the account that captured it (also when it is linked to no person).
    pub owner_user: Option<Uuid>,
    /// What it is about: the dialogue's main partner, or None for an idea (see `title`).
    pub partner: Option<Uuid>,
    /// The idea's title, or the dialogue's summary.
    pub title: String,
}

impl FollowUp {
    /// Past its due date (due today is not overdue yet).
    pub fn overdue(&self, today: Date) -> bool {
        self.due.is_some_and(|d| d < today)
    }

    /// Owned by the account `user`, linked to the person `person` (if any).
    pub fn is_mine(&self, user: Uuid, person: Option<Uuid>) -> bool {
        self.owner_user == Some(user) || (person.is_some() && self.owner_person == person)
    }
}

/// The open next steps in `records`, soonest due first (undated last), then by title. An idea
/// finished or declined has no next steps left to take.
pub fn follow_ups<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<FollowUp> {
    let mut out = Vec::new();
    for r in records.into_iter().filter(|r| !r.deleted) {
        match r.kind {
            Kind::Dialogue => {
                let Some(d) = Dialogue::from_record(r) else { continue };
                if d.has_open_step() {
                    out.push(FollowUp {
                        kind: Kind::Dialogue,
                        id: r.id,
                        step: d.next_step.clone().unwrap_or_default(),
                        due: d.next_step_due,
                        owner_person: d.next_step_owner_person_id,
                        owner_user: None,
                        partner: Some(d.partner_id),
                        title: d.summary,
                    });
                }
            }
            Kind::Idea => {
                let Some(i) = Idea::from_record(r) else { continue };
                if i.has_open_step() && !matches!(i.stage, IdeaStage::Finished | IdeaStage::Declined) {
                    out.push(FollowUp {
                        kind: Kind::Idea,
                        id: r.id,
                        step: i.next_step.clone().unwrap_or_default(),
                        due: i.next_step_due,
                        owner_person: i.captured_by_person_id,
                        owner_user: i.captured_by_user_id,
                        partner: None,
                        title: i.title,
                    });
                }
            }
            _ => {}
        }
    }
    sort_by_rank(&mut out, |f| Rank::num(day(f.due)).then_text(&f.title).then_id(f.id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::record;
    use serde_json::json;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn open_steps_of_dialogues_and_ideas_soonest_first_with_their_owners() {
        let today = Date::parse("2026-11-27").unwrap();
        let me = id(500);
        let my_person = id(50);
        let records = vec![
            record(
                Kind::Dialogue,
                1,
                json!({"partner_id": id(9), "date": "2026-11-20", "channel": "call",
                "summary": "Flen om beredskap", "next_step": "Skicka underlag", "next_step_due": "2026-12-04",
                "next_step_owner_person_id": my_person}),
            ),
            record(
                Kind::Dialogue,
                2,
                json!({"partner_id": id(9), "date": "2026-11-01", "channel": "call",
                "summary": "Klart", "next_step": "Boka möte", "next_step_due": "2026-11-10", "next_step_done": true}),
            ),
            record(
                Kind::Dialogue,
                3,
                json!({"partner_id": id(8), "date": "2026-11-01", "channel": "email",
                "summary": "Gnesta", "next_step": "Ring tillbaka", "next_step_due": "2026-11-20",
                "next_step_owner_person_id": id(51)}),
            ),
            // Blank next step: nothing to follow up.
            record(
                Kind::Dialogue,
                4,
                json!({"partner_id": id(8), "date": "2026-11-01", "channel": "email",
                "summary": "Ingen åtgärd", "next_step": "  "}),
            ),
            record(
                Kind::Idea,
                5,
                json!({"title": "Solceller", "stage": "idea", "captured_on": "2026-11-01",
                "next_step": "Ring Anna", "captured_by_user_id": me}),
            ),
            record(
                Kind::Idea,
                6,
                json!({"title": "Avböjd", "stage": "declined", "captured_on": "2026-11-01",
                "next_step": "Inget", "next_step_due": "2026-11-02"}),
            ),
            record(
                Kind::Idea,
                7,
                json!({"title": "Gjord", "stage": "idea", "captured_on": "2026-11-01",
                "next_step": "Klar", "next_step_done": true}),
            ),
        ];
        let list = follow_ups(&records);
        let mut records = records;
        // "Klart" on the old step on one device, a new step written on another: both edits
        // apply (different fields), and the new step stays open.
        records.push(record(Kind::Dialogue, 8, json!({"partner_id": id(9), "date": "2026-11-01", "channel": "call",
            "summary": "Ny plan", "next_step": "Skicka offert", "next_step_done": true, "next_step_done_text": "Boka möte"})));
        // Marked done with the words of the step it still has: done.
        records.push(record(
            Kind::Idea,
            9,
            json!({"title": "Klar idé", "stage": "idea", "captured_on": "2026-11-01",
            "next_step": "Ring", "next_step_done": true, "next_step_done_text": "Ring"}),
        ));
        let with_new = follow_ups(&records);
        let with_new: Vec<&str> = with_new.iter().map(|f| f.step.as_str()).collect();
        assert_eq!(
            with_new,
            ["Ring tillbaka", "Skicka underlag", "Skicka offert", "Ring Anna"],
            "undated by title"
        );
        let steps: Vec<&str> = list.iter().map(|f| f.step.as_str()).collect();
        assert_eq!(steps, ["Ring tillbaka", "Skicka underlag", "Ring Anna"], "due first, undated last");
        assert!(list[0].overdue(today));
        assert!(!list[1].overdue(today));
        assert!(!list[2].overdue(today), "no due date, never overdue");
        let mine: Vec<&str> =
            list.iter().filter(|f| f.is_mine(me, Some(my_person))).map(|f| f.step.as_str()).collect();
        assert_eq!(mine, ["Skicka underlag", "Ring Anna"]);
        assert!(list.iter().all(|f| !f.is_mine(id(501), None)), "no person: only the account's own ideas");
        assert_eq!(list[0].partner, Some(id(8)));
    }
}
