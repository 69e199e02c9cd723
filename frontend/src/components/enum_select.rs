//! The one `<select>` for a closed value set (status, health, event type …): the wire value in
//! the option, the reader's language on screen, and the chosen value as a typed signal.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use tavla_shared::values::ValueSet;

use crate::i18n::Locale;

/// A drop-down choosing one value of `T` into `value`; `label` names a value in the reader's
/// language. Pair it with a `<label for=id>`.
#[component]
pub fn EnumSelect<T: ValueSet>(
    id: &'static str,
    value: RwSignal<T>,
    label: fn(I18nContext<Locale>, T) -> &'static str,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    view! {
        <select id=id prop:disabled=disabled on:change=move |ev| {
            let v = event_target_value(&ev);
            if let Some(t) = T::all().iter().find(|t| t.wire() == v) { value.set(*t) }
        }>
            {T::all().iter().map(|&t| view! {
                <option value=t.wire() selected=move || value.get() == t>{move || label(i18n, t)}</option>
            }).collect_view()}
        </select>
    }
}
