//! The communication plan's follow-up (goal 5.1): published items per channel and month as a
//! table, the months' totals as a small bar chart, and the count per strategic goal. The chart
//! is a few SVG rectangles drawn here: a chart library would cost more of the download than
//! the whole follow-up, and the table carries the same numbers for screen readers.

use leptos::prelude::*;
use tavla_shared::marketing::FollowUp;
use tavla_shared::plan_view::PlanView;

use crate::components::format::month_names;
use crate::components::{tr, trn};
use crate::i18n::*;
use crate::pages::marketing::channel_label;

/// Height of the chart's drawing area, in its own units.
const CHART_HEIGHT: u32 = 100;

#[component]
pub fn FollowUpChart(counts: FollowUp, plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let months = month_names(i18n.get_locale_untracked());
    let per_month: Vec<u32> = (0..12).map(|m| counts.per_channel.iter().map(|(_, c)| c[m]).sum()).collect();
    let top = per_month.iter().copied().max().unwrap_or(0).max(1);
    let bars = per_month
        .iter()
        .enumerate()
        .map(|(m, n)| {
            let h = n * CHART_HEIGHT / top;
            let x = m as u32 * 25 + 4;
            let label = format!("{} {n}", months[m]);
            view! {
                <g>
                    <rect x=x.to_string() y=(CHART_HEIGHT - h).to_string() width="17" height=h.to_string() class="bar"><title>{label}</title></rect>
                    <text x=(x + 8).to_string() y=(CHART_HEIGHT + 12).to_string() text-anchor="middle" class="axis">{months[m]}</text>
                    // The count above a short bar, inside the top of a tall one.
                    {(*n > 0).then(|| {
                        let (y, class) = if h > 14 { (CHART_HEIGHT - h + 10, "value inside") } else { (CHART_HEIGHT - h - 2, "value") };
                        view! { <text x=(x + 8).to_string() y=y.to_string() text-anchor="middle" class=class>{n.to_string()}</text> }
                    })}
                </g>
            }
        })
        .collect_view();
    let rows = counts
        .per_channel
        .iter()
        .map(|(channel, c)| {
            let channel = *channel;
            let total: u32 = c.iter().sum();
            view! {
                <tr class=if total == 0 { "empty-row" } else { "" }>
                    <th scope="row">{move || channel_label(i18n, channel)}</th>
                    {c.iter().map(|n| view! { <td class=if *n == 0 { "zero" } else { "" }>{n.to_string()}</td> }).collect_view()}
                    <td class="total">{total.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let goals = counts
        .per_goal
        .iter()
        // A goal no longer in the plan (deleted) is left out rather than shown without a name.
        .filter_map(|(g, n)| {
            let x = plan.goals.iter().find(|x| x.goal.id == *g)?;
            let name = format!("{} {}", x.goal.fields.number, x.goal.fields.title);
            Some(view! { <li>{name} ": " <strong>{n.to_string()}</strong></li> })
        })
        .collect_view();
    let total = counts.total;
    view! {
        <section class="card follow-up-chart" aria-labelledby="follow-up-heading">
            <h2 id="follow-up-heading">{tr(i18n, |i| t_string!(i, follow_up_heading))}</h2>
            <p class="published-total">{trn(i18n, |i| t_string!(i, published_total_one), |i| t_string!(i, published_total), i64::from(total), vec![])}</p>
            <svg class="bar-chart" viewBox=format!("0 0 304 {}", CHART_HEIGHT + 16) role="img" aria-labelledby="chart-title">
                <title id="chart-title">{move || t_string!(i18n, chart_title)}</title>
                {bars}
            </svg>
            <div class="matrix-wrap">
                <table class="matrix channel-table">
                    <caption>{tr(i18n, |i| t_string!(i, per_channel_caption))}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(i18n, |i| t_string!(i, dialogue_channel))}</th>
                            {months.iter().map(|m| view! { <th scope="col">{*m}</th> }).collect_view()}
                            <th scope="col">{tr(i18n, |i| t_string!(i, total_word))}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <h3>{tr(i18n, |i| t_string!(i, per_goal_heading))}</h3>
            {if counts.per_goal.is_empty() {
                view! { <p class="muted">{tr(i18n, |i| t_string!(i, none_yet))}</p> }.into_any()
            } else {
                view! { <ul class="per-goal">{goals}</ul> }.into_any()
            }}
        </section>
    }
}
