//! A group of checkboxes choosing several records (municipalities, partners, goals, people).

use leptos::prelude::*;
use tavla_shared::plan_view::PlanView;
use uuid::Uuid;

/// The strategic goals as a check list offers them ("3 Title"), in plan order.
pub fn goal_options(plan: &PlanView) -> Vec<(Uuid, String)> {
    plan.goals
        .iter()
        .map(|g| (g.goal.id, format!("{} {}", g.goal.fields.number, g.goal.fields.title)))
        .collect()
}

/// The focus areas as a check list offers them ("2 Title"), in number order.
pub fn focus_area_options(plan: &PlanView) -> Vec<(Uuid, String)> {
    plan.focus_areas.iter().map(|f| (f.id, format!("{} {}", f.fields.number, f.fields.title))).collect()
}

/// The ids of `options`, in their order: what `in_order` keeps new ticks in.
pub fn order_of(options: &[(Uuid, String)]) -> Vec<Uuid> {
    options.iter().map(|(id, _)| *id).collect()
}

/// A group of checkboxes choosing several of `options` (municipalities, partners).
#[component]
pub fn CheckList(
    legend: &'static str,
    prefix: &'static str,
    options: Vec<(Uuid, String)>,
    chosen: RwSignal<Vec<Uuid>>,
    enabled: bool,
) -> impl IntoView {
    view! {
        <fieldset class="check-list">
            <legend>{legend}</legend>
            {options.into_iter().map(|(id, name)| {
                let input_id = format!("{prefix}-{id}");
                let for_id = input_id.clone();
                view! {
                    <div class="check">
                        <input type="checkbox" id=input_id prop:disabled=!enabled
                            prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id) } });
                            } />
                        <label for=for_id>{name}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}
