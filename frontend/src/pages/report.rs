//! The follow-up (`/uppfoljning/2026`) and a municipality's page (`/kommun/flen`): documents
//! built on the device from local data (so they work offline), printed as A4 by the browser —
//! the print stylesheet in `style.css` puts each goal on its own pages, without the navigation,
//! with page numbers; "Skriv ut / spara som PDF" is the export.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use tavla_shared::board::{programme_funds, Progress, WorkshopTally, FUNDS_GOAL, WORKSHOP_GOAL};
use tavla_shared::plan_view::{Item, PlanView};
use tavla_shared::report::{
    default_year, municipality_by_slug, municipality_report, year_report, Evidence, GoalSection,
};

use crate::components::badges::{HealthBadge, StatusBadge};
use crate::components::format::today;
use crate::components::plan_loader::with_plan;
use crate::components::targets::{FundsPanel, GoalProgress, WorkshopTracker};
use crate::components::{tr, trf, trn};
use crate::i18n::*;
use crate::paths;
use crate::store::sync::use_sync;

/// The year in the address (`/uppfoljning/2025`), else the plan's.
fn year_param(plan: &PlanView) -> i32 {
    let params = use_params_map();
    params
        .with_untracked(|p| p.get("year").and_then(|y| y.parse::<i32>().ok()))
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| default_year(plan, today()))
}

/// "Skriv ut / spara som PDF": the browser's print, whose PDF is the export.
#[component]
pub fn PrintButton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="no-print report-actions">
            <button type="button" on:click=move |_| { let _ = window().print(); }>{tr(i18n, |i| t_string!(i, print_report))}</button>
        </p>
    }
}

/// `/uppfoljning` and `/uppfoljning/:year`.
#[component]
pub fn ReportPage() -> impl IntoView {
    let sync = use_sync();
    let i18n = use_i18n();
    with_plan(move |plan: PlanView| {
        let year = year_param(&plan);
        let sections = sync.view.with_untracked(|v| year_report(v.values(), year));
        let title = plan.plan.as_ref().map(|p| p.fields.title.clone()).unwrap_or_default();
        let made = today().to_string();
        view! {
            <article class="report">
                <header class="report-head">
                    <h1>{trf(i18n, |i| t_string!(i, report_heading), vec![("year", year.to_string())])}</h1>
                    <p class="meta">{title} " · " {trf(i18n, |i| t_string!(i, report_made_on), vec![("date", made.clone())])}</p>
                    <PrintButton />
                    <p class="muted no-print">{tr(i18n, |i| t_string!(i, report_local_data))}</p>
                    <p class="no-print"><a href=paths::report(year - 1)>{trf(i18n, |i| t_string!(i, report_previous_year), vec![("year", (year - 1).to_string())])}</a></p>
                    <nav class="report-toc" aria-label=move || t_string!(i18n, report_toc)>
                        <ol>
                            {sections.iter().map(|s| {
                                let g = &s.goal.goal;
                                let anchor = format!("#mal-{}", g.fields.number);
                                view! { <li><a href=anchor>{format!("{} {}", g.fields.number, g.fields.title)}</a></li> }
                            }).collect_view()}
                        </ol>
                    </nav>
                </header>
                {sections.into_iter().map(|s| view! { <GoalReport section=s plan=plan.clone() year /> }).collect_view()}
            </article>
        }
        .into_any()
    })
}

/// One goal in the follow-up: its health, activities and evidence, and goal 1's funds or goal
/// 3's workshops.
#[component]
fn GoalReport(section: GoalSection, plan: PlanView, year: i32) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let g = section.goal.goal.fields.clone();
    let n = g.number;
    let (heading_id, labelled_by) = (format!("mal-{n}"), format!("mal-{n}"));
    let progress = Progress::of(&section.goal.activities);
    let funds = (n == FUNDS_GOAL).then(|| {
        let funds = sync.view.with_untracked(|v| programme_funds(v.values()));
        let p = plan.plan.as_ref().map(|p| p.fields.clone());
        funds.zip(p).map(|(funds, plan)| view! { <FundsPanel funds plan /> })
    });
    let workshops = (n == WORKSHOP_GOAL).then(|| {
        let tally = sync.view.with_untracked(|v| WorkshopTally::new(v.values(), i64::from(year), today()));
        view! { <WorkshopTracker tally can_add=false /> }
    });
    let owner = g.owner_person_id.and_then(|o| plan.name_of(o)).map(str::to_string);
    view! {
        <section class="report-goal" aria-labelledby=labelled_by>
            <h2 id=heading_id>{trf(i18n, |i| t_string!(i, goal_number), vec![("number", n.to_string())])} ": " {g.title.clone()}</h2>
            <div class="goal-meta">
                <span class="label">{tr(i18n, |i| t_string!(i, health))}": "</span>
                <HealthBadge health=g.health />
                {g.health_note.clone().map(|d| view! { <span class="health-note">{d}</span> })}
            </div>
            {owner.map(|name| view! { <p class="meta">{trf(i18n, |i| t_string!(i, goal_owned_by), vec![("name", name)])}</p> })}
            <GoalProgress progress />
            {funds}
            {workshops}
            <h3>{tr(i18n, |i| t_string!(i, activities_heading))}</h3>
            <ActivityList activities=section.goal.activities.clone() plan=plan.clone() />
            <EvidenceLists evidence=section.evidence plan year />
        </section>
    }
}

/// Activities with status, owner, due date and notes, in plan order.
#[component]
fn ActivityList(activities: Vec<Item<tavla_shared::kinds::Activity>>, plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    if activities.is_empty() {
        return view! { <p>{tr(i18n, |i| t_string!(i, no_activities))}</p> }.into_any();
    }
    view! {
        <ol class="report-list report-activities">
            {activities.into_iter().map(|a| {
                let owner = a.fields.owner_person_id.and_then(|o| plan.name_of(o)).map(str::to_string);
                let due = a.fields.due_on.map(|d| d.to_string());
                let areas: Vec<String> = plan
                    .focus_areas
                    .iter()
                    .filter(|f| a.fields.focus_area_ids.contains(&f.id))
                    .map(|f| format!("{} {}", f.fields.number, f.fields.title))
                    .collect();
                let areas = (!areas.is_empty()).then(|| areas.join(", "));
                view! {
                    <li class="report-item">
                        <a href=paths::activity(a.id)>{a.fields.title.clone()}</a>
                        " " <StatusBadge status=a.fields.status />
                        {owner.map(|name| view! { <span class="meta">" · " {trf(i18n, |i| t_string!(i, report_owner), vec![("name", name)])}</span> })}
                        {due.map(|date| view! { <span class="meta">" · " {trf(i18n, |i| t_string!(i, due_on), vec![("date", date)])}</span> })}
                        {areas.map(|names| view! { <span class="meta">" · " {trf(i18n, |i| t_string!(i, report_focus_areas), vec![("names", names)])}</span> })}
                        {a.fields.notes.clone().map(|n| view! { <p class="notes-text">{n}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The events, dialogues, ideas and marketing items of a goal or a municipality.
#[component]
fn EvidenceLists(evidence: Evidence, plan: PlanView, year: i32) -> impl IntoView {
    let i18n = use_i18n();
    if evidence.count() == 0 {
        return view! { <p class="muted">{trf(i18n, |i| t_string!(i, report_no_evidence), vec![("year", year.to_string())])}</p> }
            .into_any();
    }
    let name = move |id: uuid::Uuid| plan.name_of(id).unwrap_or("").to_string();
    let events = (!evidence.events.is_empty()).then(|| {
        let n = evidence.events.len() as i64;
        view! {
            <h3>{trn(i18n, |i| t_string!(i, report_events_one), |i| t_string!(i, report_events_many), n, vec![])}</h3>
            <ul class="report-list">
                {evidence.events.into_iter().map(|e| {
                    let place = e.fields.municipality_id.map(&name).filter(|p| !p.is_empty());
                    view! {
                        <li class="report-item">
                            {e.fields.date.to_string()} " · " <a href=paths::event(e.id)>{e.fields.title}</a>
                            {place.map(|p| view! { <span class="meta">" · " {p}</span> })}
                            {e.fields.participants.map(|p| view! { <span class="meta">" · " {trf(i18n, |i| t_string!(i, report_participants), vec![("count", p.to_string())])}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    let dialogues = (!evidence.dialogues.is_empty()).then(|| {
        let n = evidence.dialogues.len() as i64;
        view! {
            <h3>{trn(i18n, |i| t_string!(i, report_dialogues_one), |i| t_string!(i, report_dialogues_many), n, vec![])}</h3>
            <ul class="report-list">
                {evidence.dialogues.into_iter().map(|d| {
                    let partners: Vec<String> = d.fields.all_partner_ids().into_iter().map(&name).filter(|p| !p.is_empty()).collect();
                    view! {
                        <li class="report-item">
                            {d.fields.date.to_string()} " · " {partners.join(", ")} " · "
                            <a href=paths::dialogue(d.id)>{d.fields.summary}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    let ideas = (!evidence.ideas.is_empty()).then(|| {
        let n = evidence.ideas.len() as i64;
        view! {
            <h3>{trn(i18n, |i| t_string!(i, report_ideas_one), |i| t_string!(i, report_ideas_many), n, vec![])}</h3>
            <ul class="report-list">
                {evidence.ideas.into_iter().map(|idea| {
                    let stage = idea.fields.stage;
                    view! {
                        <li class="report-item">
                            <a href=paths::idea(idea.id)>{idea.fields.title}</a> " · "
                            {move || crate::pages::ideas::stage_label(i18n, stage)}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    let marketing = (!evidence.marketing.is_empty()).then(|| {
        let n = evidence.marketing.len() as i64;
        view! {
            <h3>{trn(i18n, |i| t_string!(i, report_marketing_one), |i| t_string!(i, report_marketing_many), n, vec![])}</h3>
            <ul class="report-list">
                {evidence.marketing.into_iter().map(|m| {
                    let when = m.fields.publish_on.map(|d| d.to_string()).or(m.fields.week.clone()).unwrap_or_default();
                    let (channel, status) = (m.fields.channel, m.fields.status);
                    view! {
                        <li class="report-item">
                            {when} " · " <a href=paths::marketing_item(m.id)>{m.fields.title}</a> " · "
                            {move || crate::pages::marketing::channel_label(i18n, channel)} " · "
                            {move || crate::pages::marketing::status_label(i18n, status)}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    view! { {events} {dialogues} {ideas} {marketing} }.into_any()
}

/// `/kommun/:name`: what the LAG did in one municipality in the plan year.
#[component]
pub fn MunicipalityPage() -> impl IntoView {
    let sync = use_sync();
    let i18n = use_i18n();
    let params = use_params_map();
    with_plan(move |plan: PlanView| {
        let wanted = params.with_untracked(|p| p.get("name").unwrap_or_default());
        let year = default_year(&plan, today());
        let Some(m) = sync.view.with_untracked(|v| municipality_by_slug(v.values(), &wanted)) else {
            return view! {
                <h1>{tr(i18n, |i| t_string!(i, municipality_not_found))}</h1>
                <MunicipalityLinks plan=plan.clone() />
            }
            .into_any();
        };
        let r = sync.view.with_untracked(|v| municipality_report(v.values(), m, year));
        let name = r.municipality.fields.name.clone();
        let held = r.workshops.iter().filter(|w| w.fields.date <= today()).count() as i64;
        let workshops = r.workshops.clone();
        view! {
            <article class="report">
                <h1>{trf(i18n, |i| t_string!(i, municipality_heading), vec![("name", name.clone()), ("year", year.to_string())])}</h1>
                <p class="meta">{trf(i18n, |i| t_string!(i, report_made_on), vec![("date", today().to_string())])}</p>
                <PrintButton />
                <section aria-labelledby="kommun-workshops">
                    <h2 id="kommun-workshops">{trn(i18n, |i| t_string!(i, municipality_workshops_one), |i| t_string!(i, municipality_workshops_many), held, vec![("count", held.to_string())])}</h2>
                    {if workshops.is_empty() {
                        view! { <p class="muted">{tr(i18n, |i| t_string!(i, municipality_no_workshops))}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="report-list">
                                {workshops.into_iter().map(|w| view! {
                                    <li class="report-item">{w.fields.date.to_string()} " · " <a href=paths::event(w.id)>{w.fields.title}</a>
                                        {w.fields.participants.map(|p| view! { <span class="meta">" · " {trf(i18n, |i| t_string!(i, report_participants), vec![("count", p.to_string())])}</span> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
                <section aria-labelledby="kommun-records">
                    <h2 id="kommun-records">{tr(i18n, |i| t_string!(i, municipality_other))}</h2>
                    <EvidenceLists evidence=r.evidence plan=plan.clone() year />
                </section>
                <section aria-labelledby="kommun-activities">
                    <h2 id="kommun-activities">{tr(i18n, |i| t_string!(i, municipality_activities))}</h2>
                    {if r.activities.is_empty() {
                        view! { <p class="muted">{tr(i18n, |i| t_string!(i, municipality_no_activities))}</p> }.into_any()
                    } else {
                        view! { <ActivityList activities=r.activities plan=plan.clone() /> }.into_any()
                    }}
                </section>
                <section aria-labelledby="kommun-ambassadors">
                    <h2 id="kommun-ambassadors">{tr(i18n, |i| t_string!(i, ambassadors_link))}</h2>
                    {if r.ambassadors.is_empty() {
                        view! { <p class="muted">{tr(i18n, |i| t_string!(i, municipality_no_ambassador))}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="report-list">
                                {r.ambassadors.into_iter().map(|p| view! { <li><a href=paths::person(p.id)>{p.fields.name}</a></li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
                <MunicipalityLinks plan=plan.clone() />
            </article>
        }
        .into_any()
    })
}

/// Links to every municipality's page.
#[component]
fn MunicipalityLinks(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="no-print municipality-links" aria-label=move || t_string!(i18n, municipality_pages)>
            <h2>{tr(i18n, |i| t_string!(i, municipality_pages))}</h2>
            <ul class="inline-list">
                {plan.municipalities.iter().map(|m| view! {
                    <li><a href=paths::municipality(&m.fields.name)>{m.fields.name.clone()}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}
