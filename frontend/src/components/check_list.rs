//! A group of checkboxes choosing several records (municipalities, partners, goals, people).

use leptos::prelude::*;
use uuid::Uuid;

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
