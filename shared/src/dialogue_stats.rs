//! What the dialogue log adds up to: the matrix of partners × the plan year's months, and each
//! strategic goal's evidence (the dialogues that serve it). Pure, unit-tested here.

use chrono::Datelike;
use uuid::Uuid;

use crate::kinds::Dialogue;
use crate::order::{day, sort_by_rank, Rank};
use crate::partners::PartnerRow;
use crate::plan_view::{items, Item};
use crate::wire::Record;

/// One partner's row of the matrix: dialogues per month (January first) and in the year.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRow {
    pub partner: Uuid,
    pub months: [u32; 12],
    pub total: u32,
}

/// Dialogues per partner and month of `year`, for the partners in `rows` (in their order),
/// counting only dialogues serving `goal` when one is given. A joint dialogue counts once for
/// each partner that took part.
pub fn matrix<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    rows: &[PartnerRow],
    year: i32,
    goal: Option<Uuid>,
) -> Vec<MatrixRow> {
    let mut out: Vec<MatrixRow> =
        rows.iter().map(|r| MatrixRow { partner: r.partner.id, months: [0; 12], total: 0 }).collect();
    for d in items::<Dialogue>(records) {
        let date = d.fields.date.0;
        if date.year() != year || goal.is_some_and(|g| !d.fields.strategic_goal_ids.contains(&g)) {
            continue;
        }
        for p in d.fields.all_partner_ids() {
            if let Some(row) = out.iter_mut().find(|r| r.partner == p) {
                row.months[date.month0() as usize] += 1;
                row.total += 1;
            }
        }
    }
    out
}

/// The dialogues that serve a strategic goal: how many, and the latest.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GoalEvidence {
    pub count: usize,
    pub latest: Option<Item<Dialogue>>,
}

/// The evidence for `goal`: every live dialogue naming it, the latest by date.
pub fn goal_evidence<'a>(records: impl IntoIterator<Item = &'a Record>, goal: Uuid) -> GoalEvidence {
    let mut serving: Vec<Item<Dialogue>> = items::<Dialogue>(records)
        .into_iter()
        .filter(|d| d.fields.strategic_goal_ids.contains(&goal))
        .collect();
    sort_by_rank(&mut serving, |d| Rank::num(-day(Some(d.fields.date))).then_id(d.id));
    GoalEvidence { count: serving.len(), latest: serving.into_iter().next() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::partners::partner_rows;
    use crate::test_support::record;
    use crate::Kind;
    use serde_json::json;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn dialogue(n: u128, partner: u128, further: &[u128], date: &str, goals: &[u128]) -> Record {
        let further: Vec<Uuid> = further.iter().map(|p| id(*p)).collect();
        let goals: Vec<Uuid> = goals.iter().map(|g| id(*g)).collect();
        record(
            Kind::Dialogue,
            n,
            json!({"partner_id": id(partner), "partner_ids": further, "date": date,
            "channel": "meeting", "summary": format!("Dialog {n}"), "strategic_goal_ids": goals}),
        )
    }

    fn records() -> Vec<Record> {
        vec![
            record(Kind::Partner, 1, json!({"name": "Flens kommun", "type": "municipality"})),
            record(Kind::Partner, 2, json!({"name": "Region Sörmland", "type": "region"})),
            record(Kind::Partner, 3, json!({"name": "Länsstyrelsen", "type": "authority"})),
            dialogue(10, 1, &[], "2026-01-15", &[200]),
            dialogue(11, 1, &[], "2026-01-30", &[201]),
            dialogue(12, 2, &[1], "2026-03-05", &[200, 201]),
            dialogue(13, 3, &[], "2026-11-02", &[203]),
            // Another year and a deleted one count nowhere.
            dialogue(14, 1, &[], "2025-12-31", &[200]),
            Record { deleted: true, ..dialogue(15, 2, &[], "2026-05-01", &[200]) },
        ]
    }

    #[test]
    fn the_matrix_counts_each_partners_dialogues_per_month_of_the_year() {
        let records = records();
        let rows = partner_rows(&records, Date::parse("2026-11-27").unwrap());
        let m = matrix(&records, &rows, 2026, None);
        let flen = m.iter().find(|r| r.partner == id(1)).unwrap();
        assert_eq!(flen.months[0], 2, "two in January");
        assert_eq!(flen.months[2], 1, "the joint meeting in March counts for Flen too");
        assert_eq!(flen.total, 3);
        let region = m.iter().find(|r| r.partner == id(2)).unwrap();
        assert_eq!((region.months[2], region.months[4], region.total), (1, 0, 1));
        let lst = m.iter().find(|r| r.partner == id(3)).unwrap();
        assert_eq!((lst.months[10], lst.total), (1, 1));
        // Filtered by goal 200: Flen's January 15 and the joint meeting.
        let g = matrix(&records, &rows, 2026, Some(id(200)));
        let flen = g.iter().find(|r| r.partner == id(1)).unwrap();
        assert_eq!((flen.months[0], flen.months[2], flen.total), (1, 1, 2));
        assert_eq!(g.iter().map(|r| r.total).sum::<u32>(), 3);
        assert_eq!(matrix(&records, &rows, 2027, None).iter().map(|r| r.total).sum::<u32>(), 0);
    }

    #[test]
    fn a_goal_shows_how_many_dialogues_serve_it_and_the_latest() {
        let records = records();
        let e = goal_evidence(&records, id(200));
        assert_eq!(e.count, 3, "two this year, one last year; the deleted one not");
        assert_eq!(e.latest.map(|d| d.id), Some(id(12)));
        let e = goal_evidence(&records, id(203));
        assert_eq!((e.count, e.latest.map(|d| d.id)), (1, Some(id(13))));
        assert_eq!(goal_evidence(&records, id(299)), GoalEvidence::default());
    }
}
