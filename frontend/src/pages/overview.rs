//! The overview: how the plan is going at a glance — the six strategic goals with health,
//! progress and next deadlines, the two numeric targets, the activities that need attention —
//! and the adopted plan itself (vision, long-term goals, focus areas, principles).

use leptos::prelude::*;
use tavla_shared::board::{
    needs_attention, next_deadlines, programme_funds, targets_behind, Attention, Behind, Progress,
    WorkshopTally, FUNDS_GOAL, WORKSHOP_GOAL, WORKSHOP_TARGET,
};
use tavla_shared::plan_view::{GoalView, PlanView};
use tavla_shared::rules::may_edit;
use tavla_shared::Kind;

use crate::components::badges::HealthBadge;
use crate::components::format::{percent, today};
use crate::components::funnel_panel::FunnelPanel;
use crate::components::plan_loader::with_plan;
use crate::components::targets::{FundsPanel, GoalProgress, WorkshopTracker};
use crate::components::{fill, tr, trf};
use crate::i18n::*;
use crate::paths;
use crate::session::use_session;
use crate::store::sync::use_sync;

/// The start page after login.
#[component]
pub fn OverviewPage() -> impl IntoView {
    with_plan(|plan: PlanView| view! { <Overview plan /> }.into_any())
}

#[component]
fn Overview(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let role = session.0.with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let can_add_events = role.is_some_and(|r| may_edit(r, Kind::Event));
    let can_enter_funds = role.is_some_and(|r| may_edit(r, Kind::Funds));
    let Some(p) = plan.plan.clone().map(|p| p.fields) else {
        return view! { <p>{tr(i18n, |i| t_string!(i, no_plan))}</p> }.into_any();
    };
    let today = today();
    let (funds, tally) = sync
        .view
        .with_untracked(|v| (programme_funds(v.values()), WorkshopTally::new(v.values(), p.year, today)));
    let year = p.year;
    let title = plan_title(i18n, &p.title, year);
    let adopted = p.adopted_on.to_string();
    let (start, end) = (p.period_start_year, p.period_end_year);
    view! {
        <h1>{title}</h1>
        <p class="meta">{trf(i18n, |i| t_string!(i, adopted_on), vec![("date", adopted.clone().to_string())])}</p>

        <section aria-labelledby="targets-heading">
            <h2 id="targets-heading">{tr(i18n, |i| t_string!(i, targets_heading))}</h2>
            <div class="two-col">
                {funds.map(|f| view! { <FundsPanel funds=f plan=p.clone() can_enter=can_enter_funds /> })}
                <WorkshopTracker tally can_add=can_add_events />
            </div>
            <FunnelPanel plan=plan.clone() year />
        </section>

        <section aria-labelledby="goals-heading">
            <h2 id="goals-heading">{trf(i18n, |i| t_string!(i, strategic_goals), vec![("year", year.to_string())])}</h2>
            <ol class="goal-grid" role="list">
                {plan.goals.iter().cloned().map(|g| {
                    let owner = g.goal.fields.owner_person_id.and_then(|o| plan.name_of(o)).map(str::to_string);
                    view! { <GoalCard goal=g owner /> }
                }).collect_view()}
            </ol>
            <p><a href=paths::ACTIVITIES>{tr(i18n, |i| t_string!(i, all_activities_link))}</a></p>
        </section>

        <AttentionSection plan=plan.clone() />


        <section class="card" aria-labelledby="vision-heading">
            <h2 id="vision-heading">{tr(i18n, |i| t_string!(i, vision))}</h2>
            <p class="vision">{p.vision}</p>
        </section>

        <div class="two-col">
            <section class="card" aria-labelledby="ltg-heading">
                <h2 id="ltg-heading">{trf(i18n, |i| t_string!(i, long_term_goals), vec![("start", start.to_string()), ("end", end.to_string())])}</h2>
                <ol>
                    {plan.long_term_goals.into_iter().map(|g| view! { <li>{g.fields.title}</li> }).collect_view()}
                </ol>
            </section>
            <section class="card" aria-labelledby="fa-heading">
                <h2 id="fa-heading">{tr(i18n, |i| t_string!(i, focus_areas))}</h2>
                <ol>
                    {plan.focus_areas.into_iter().map(|f| view! { <li>{f.fields.title}</li> }).collect_view()}
                </ol>
                {p.strategy.map(|s| view! { <p class="muted">{s}</p> })}
            </section>
        </div>

        <section class="card" aria-labelledby="principles-heading">
            <h2 id="principles-heading">{tr(i18n, |i| t_string!(i, principles))}</h2>
            {p.principles.into_iter().map(|text| view! { <p>{text}</p> }).collect_view()}
        </section>
    }
    .into_any()
}

/// "Behöver uppmärksamhet": targets behind their pace, late follow-ups and partners, and
/// activities overdue or at risk. On the overview and in the board meeting pack.
#[component]
pub fn AttentionSection(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let today = today();
    let year = plan.plan.as_ref().map_or(2026, |p| p.fields.year);
    let attention = needs_attention(&plan, today);
    let (funds, tally) = sync
        .view
        .with_untracked(|v| (programme_funds(v.values()), WorkshopTally::new(v.values(), year, today)));
    let behind = targets_behind(&plan, funds.as_ref().map(|f| &f.fields), tally.held, today);
    let nothing_behind = behind.is_empty();
    // The dialogue log's part follows every sync; "nothing needs attention" with it.
    let extras = Memo::new(move |_| sync.view.with(|v| attention_extras(v.values(), today)));
    view! {
        <section aria-labelledby="attention-heading">
            <h2 id="attention-heading">{tr(i18n, |i| t_string!(i, attention_heading))}</h2>
            {(!behind.is_empty()).then(|| view! {
                <ul class="attention-list" role="list">
                    {behind.into_iter().map(|b| behind_item(i18n, b)).collect_view()}
                </ul>
            })}
            <FollowUpAttention extras />
            {if attention.is_empty() {
                (move || (nothing_behind && extras.with(Option::is_none)).then(|| view! { <p class="muted">{tr(i18n, |i| t_string!(i, attention_none))}</p> })).into_any()
            } else {
                view! {
                    <ul class="attention-list" role="list">
                        {attention.into_iter().map(|item| {
                            let why = match item.why {
                                Attention::Overdue { days } => view! { <span class="badge late">{trf(i18n, |i| t_string!(i, overdue_days), vec![("days", days.to_string())])}</span> }.into_any(),
                                Attention::AtRisk { days } => view! { <span class="badge health-at_risk">{trf(i18n, |i| t_string!(i, due_in_days_not_started), vec![("days", days.to_string())])}</span> }.into_any(),
                            };
                            let n = item.goal_number;
                            view! {
                                <li class="card attention">
                                    <a href=paths::activity(item.activity.id) class="activity-title">{item.activity.fields.title}</a>
                                    <div class="activity-meta">{why}<span>{trf(i18n, |i| t_string!(i, goal_number), vec![("number", n.to_string())])}</span></div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The plan's title in the reader's language: the adopted plan is titled "Verksamhetsplan
/// 2026" in the data, which English readers see as "Operational plan 2026"; any other title is
/// shown as written.
pub fn plan_title(i18n: leptos_i18n::I18nContext<Locale>, title: &str, year: i64) -> impl IntoView {
    let standard = title == fill(t_string!(i18n, plan_title), &[("year", year.to_string())]).as_str()
        || title == format!("Verksamhetsplan {year}");
    let title = title.to_string();
    move || {
        if standard {
            fill(t_string!(i18n, plan_title), &[("year", year.to_string())])
        } else {
            title.clone()
        }
    }
}

/// A numeric target behind its pace, as an item of the attention list linking to its goal.
fn behind_item(i18n: leptos_i18n::I18nContext<Locale>, behind: Behind) -> impl IntoView {
    let goal = match behind {
        Behind::Workshops { .. } => WORKSHOP_GOAL,
        Behind::Funds { .. } => FUNDS_GOAL,
    };
    // Follows the language switch (numbers too: "58,5 %" / "58.5 %").
    let text = move || match behind {
        Behind::Workshops { held, expected, due } => fill(
            t_string!(i18n, behind_workshops),
            &[
                ("held", held.to_string()),
                ("target", WORKSHOP_TARGET.to_string()),
                ("date", due.to_string()),
                ("expected", expected.to_string()),
            ],
        ),
        Behind::Funds { used_per_mille, expected_per_mille, by } => fill(
            t_string!(i18n, behind_funds),
            &[
                ("used", percent(used_per_mille, i18n.get_locale())),
                ("expected", percent(expected_per_mille, i18n.get_locale())),
                ("date", by.to_string()),
            ],
        ),
    };
    view! {
        <li class="card attention target-behind">
            <a href=paths::goal(goal) class="activity-title">{text}</a>
            <div class="activity-meta">
                <span class="badge late">{tr(i18n, |i| t_string!(i, behind_badge))}</span>
                <span>{trf(i18n, |i| t_string!(i, goal_number), vec![("number", goal.to_string())])}</span>
            </div>
        </li>
    }
}

/// One strategic goal as a card linking to its page.
#[component]
fn GoalCard(goal: GoalView, owner: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let number = goal.goal.fields.number;
    let progress = Progress::of(&goal.activities);
    let next: Vec<(uuid::Uuid, String, String)> = next_deadlines(&goal.activities, today(), 2)
        .into_iter()
        .map(|a| (a.id, a.fields.title.clone(), a.fields.due_on.map(|d| d.to_string()).unwrap_or_default()))
        .collect();
    view! {
        <li class="card goal-card" data-goal=number>
            <a href=paths::goal(number) class="goal-link">
                <span class="goal-number">{trf(i18n, |i| t_string!(i, goal_number), vec![("number", number.to_string())])}</span>
                <span class="goal-title">{goal.goal.fields.title}</span>
            </a>
            {owner.map(|name| view! { <span class="meta">{trf(i18n, |i| t_string!(i, goal_owned_by), vec![("name", name)])}</span> })}
            <div class="goal-meta">
                <HealthBadge health=goal.goal.fields.health />
                {goal.goal.fields.health_note.map(|n| view! { <span class="health-note">{n}</span> })}
            </div>
            <GoalProgress progress />
            {(!next.is_empty()).then(|| view! {
                <div class="next-deadlines">
                    <span class="label">{tr(i18n, |i| t_string!(i, next_deadlines))}</span>
                    <ul>
                        {next.into_iter().map(|(id, title, date)| view! {
                            <li><time>{date}</time>" "<a href=paths::activity(id)>{title}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </li>
    }
}

/// Overdue next steps, partners past their contact interval, how many partners were never met,
/// and this week when nothing is planned in it: what the dialogue log and the marketing
/// calendar add to the attention list. `None` when there is nothing.
fn attention_extras<'a>(
    records: impl IntoIterator<Item = &'a tavla_shared::wire::Record> + Clone,
    today: tavla_shared::date::Date,
) -> Option<Extra> {
    use tavla_shared::partners::{never_met, overdue, partner_rows};
    let steps: Vec<_> = tavla_shared::follow_ups::follow_ups(records.clone())
        .into_iter()
        .filter(|f| f.overdue(today))
        .collect();
    let rows = partner_rows(records.clone(), today);
    let late: Vec<_> = overdue(&rows).into_iter().cloned().collect();
    let never = never_met(&rows);
    // Goal 5.5: the week's question asked, not only on the meeting's agenda.
    let week = tavla_shared::weeks::IsoWeek::of(today);
    let marketing = tavla_shared::plan_view::items::<tavla_shared::kinds::MarketingItem>(records);
    let unplanned = tavla_shared::marketing::nothing_planned(&marketing, week).then_some(week);
    (!steps.is_empty() || !late.is_empty() || never > 0 || unplanned.is_some()).then_some(Extra {
        steps,
        late,
        never,
        unplanned,
    })
}

/// What the dialogue log and the marketing calendar add to the attention list.
#[derive(Debug, Clone, PartialEq)]
struct Extra {
    /// Next steps past their due day.
    steps: Vec<tavla_shared::follow_ups::FollowUp>,
    /// Partners past their contact interval.
    late: Vec<tavla_shared::partners::PartnerRow>,
    /// How many partners have no contact recorded.
    never: usize,
    /// This week, when nothing is planned in it.
    unplanned: Option<tavla_shared::weeks::IsoWeek>,
}

/// A reading of [`attention_extras`] that follows every sync.
type Extras = Memo<Option<Extra>>;

/// The dialogue log's part of the attention list.
#[component]
fn FollowUpAttention(extras: Extras) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    move || {
        extras.get().map(|Extra { steps, late, never, unplanned }| {
            let names = sync.view.with_untracked(|v| PlanView::from_records(v.values()));
            view! {
                <ul class="attention-list" role="list">
                    {steps.into_iter().map(|f| {
                        let href = if f.kind == Kind::Dialogue { paths::dialogue(f.id) } else { paths::idea(f.id) };
                        let about = f.partner.and_then(|p| names.name_of(p)).map(str::to_string).unwrap_or(f.title.clone());
                        let due = f.due.map(|d| d.to_string()).unwrap_or_default();
                        view! {
                            <li class="card attention">
                                <a href=href class="activity-title">{f.step.clone()}</a>
                                <div class="activity-meta">
                                    <span class="badge late">{trf(i18n, |i| t_string!(i, overdue_since), vec![("date", due)])}</span>
                                    <span>{about}</span>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                    {late.into_iter().map(|r| view! {
                        <li class="card attention">
                            <a href=paths::partner(r.partner.id) class="activity-title">{r.partner.fields.name.clone()}</a>
                            <div class="activity-meta">{crate::pages::partners::contact_status(i18n, r.status)}</div>
                        </li>
                    }).collect_view()}
                    {unplanned.map(|w| view! {
                        <li class="card attention">
                            <a href=paths::week_question(w) class="activity-title">{crate::components::fill(t_string!(i18n, nothing_planned_week), &[("week", w.week.to_string())])}</a>
                            <div class="activity-meta"><span>{tr(i18n, |i| t_string!(i, week_question_link))}</span></div>
                        </li>
                    })}
                    {(never > 0).then(|| view! {
                        <li class="card attention">
                            <a href=paths::PARTNERS class="activity-title">
                                {crate::components::trn(i18n, |i| t_string!(i, attention_partners_never_one), |i| t_string!(i, attention_partners_never_many), never as i64, vec![])}
                            </a>
                        </li>
                    })}
                </ul>
            }
        })
    }
}
