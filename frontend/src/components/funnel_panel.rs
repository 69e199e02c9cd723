//! The idea funnel's numbers for a year (shared `funnel::numbers`): ideas captured, where they
//! stand, how many became applications and how fast. On the overview and on goal 1's
//! (ambassadors who catch ideas) and goal 4's (faster, simpler support) pages.

use leptos::prelude::*;
use tavla_shared::funnel::numbers;
use tavla_shared::plan_view::PlanView;
use tavla_shared::values::IdeaStage;

use crate::components::{tr, trf};
use crate::i18n::*;
use crate::pages::ideas::{live_ideas, stage_label};
use crate::paths;
use crate::store::sync::use_sync;

/// The funnel panel for ideas captured in `year`; drawn again by the page when records change.
#[component]
pub fn FunnelPanel(plan: PlanView, year: i64) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let ideas = sync.view.with_untracked(|v| live_ideas(v.values()));
    let n = numbers(&ideas, year as i32);
    let conversion = n.conversion_percent().map_or_else(|| "–".to_string(), |p| format!("{p}\u{a0}%"));
    let median = n.median_days_to_application.map_or_else(|| "–".to_string(), |d| d.to_string());
    let places: Vec<String> = n
        .per_municipality
        .iter()
        .map(|(m, count)| {
            let name = m
                .and_then(|m| plan.name_of(m))
                .map_or_else(|| t_string!(i18n, no_municipality).to_string(), str::to_string);
            format!("{name} {count}")
        })
        .collect();
    let captured = n.captured;
    let applications = n.applications;
    view! {
        <section class="card target funnel-panel" aria-labelledby="funnel-heading">
            <h2 id="funnel-heading">{trf(i18n, |i| t_string!(i, funnel_heading), vec![("year", year.to_string())])}</h2>
            <dl class="funnel-numbers">
                <div><dt>{tr(i18n, |i| t_string!(i, funnel_captured))}</dt><dd id="funnel-captured">{captured}</dd></div>
                <div><dt>{tr(i18n, |i| t_string!(i, funnel_applications))}</dt><dd id="funnel-applications">{format!("{applications} ({conversion})")}</dd></div>
                <div><dt>{tr(i18n, |i| t_string!(i, funnel_median_days))}</dt><dd id="funnel-median">{median}</dd></div>
            </dl>
            <ul class="tiles funnel-stages" role="list">
                {IdeaStage::ALL.iter().map(|&s| {
                    let count = n.at(s);
                    view! {
                        <li class="tile" data-stage=s.as_str()>
                            <span class="tile-name">{move || stage_label(i18n, s)}</span>
                            <span class="tile-count">{count}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!places.is_empty()).then(|| view! {
                <p class="muted">{tr(i18n, |i| t_string!(i, funnel_per_municipality))}": "{places.join(" · ")}</p>
            })}
            <p><a href=paths::IDEAS>{tr(i18n, |i| t_string!(i, funnel_link))}</a></p>
        </section>
    }
}
