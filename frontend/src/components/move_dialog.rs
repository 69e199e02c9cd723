//! Moving a card to another column of a board (activities by status, ideas by stage) without
//! dragging — how phones, keyboards and screen readers move them: a button on each card opens
//! one modal dialog for the whole board. A `<select>` on every card cost 0.2 ms each, two thirds
//! of the board's render time (docs/BENCHMARKS.md).

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use tavla_shared::values::ValueSet;
use uuid::Uuid;

use crate::components::focus_id as focus;
use crate::i18n::*;

/// The card whose menu is open: its id, title and current column.
pub type MoveMenu<T> = RwSignal<Option<(Uuid, String, T)>>;

thread_local! {
    /// The card whose button gets the focus once the board is drawn again: after a move, the
    /// board is redrawn with the card in its new column (a new button), so focusing the old
    /// one would leave the keyboard at the top of the page. The column by its wire name.
    static FOCUS_AFTER_REDRAW: std::cell::Cell<Option<(Uuid, &'static str)>> = const { std::cell::Cell::new(None) };
}

/// Forgets a pending focus (the board's page is left).
pub fn forget_focus() {
    FOCUS_AFTER_REDRAW.with(|f| f.set(None));
}

/// Called as a card is drawn in `column`: takes the focus when it is the card just moved there.
pub fn focus_if_moved_here<T: ValueSet>(id: Uuid, column: T) {
    if FOCUS_AFTER_REDRAW.with(|f| f.get()) == Some((id, column.wire())) {
        forget_focus();
        request_animation_frame(move || focus(&format!("move-{id}")));
    }
}

/// A card's button that opens the move menu; `label` says what it does ("Ändra status").
pub fn move_button<T: ValueSet>(
    id: Uuid,
    title: String,
    current: T,
    menu: MoveMenu<T>,
    label: &'static str,
) -> impl IntoView {
    view! {
        <button type="button" class="move-button" id=format!("move-{id}") aria-label=format!("{label} «{title}»")
            on:click=move |_| menu.set(Some((id, title.clone(), current)))>
            {label}
        </button>
    }
}

/// The move menu of one card, as a modal dialog: a radio group where the arrow keys move the
/// choice and Enter or "Spara" saves it (one arrow press must not save the column on the way);
/// Escape or "Avbryt" closes it. Focus goes back to the card's button, also after the board is
/// redrawn with the card in its new column. `on_move` saves the move; its future ends once the
/// edit is on the device.
pub fn move_dialog<T, F, Fut>(
    menu: MoveMenu<T>,
    legend: fn(I18nContext<Locale>) -> &'static str,
    label: fn(I18nContext<Locale>, T) -> &'static str,
    on_move: F,
) -> impl IntoView
where
    T: ValueSet,
    F: Fn(Uuid, T) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let i18n = use_i18n();
    let chosen: RwSignal<Option<T>> = RwSignal::new(None);
    let close = move |id: Uuid| {
        menu.set(None);
        request_animation_frame(move || focus(&format!("move-{id}")));
    };
    move || {
        menu.get().map(|(id, title, current)| {
            chosen.set(Some(current));
            // The browser's own modal dialog: it keeps focus inside, makes the page behind inert
            // and closes on Escape (the `close` event).
            request_animation_frame(move || {
                if let Some(d) = document().get_element_by_id("move-dialog") {
                    let _ =
                        wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlDialogElement>(d).show_modal();
                }
                focus(&format!("move-to-{}", current.wire()));
            });
            let save = move || {
                let to = chosen.get_untracked().unwrap_or(current);
                menu.set(None);
                if to == current {
                    request_animation_frame(move || focus(&format!("move-{id}")));
                    return;
                }
                FOCUS_AFTER_REDRAW.with(|f| f.set(Some((id, to.wire()))));
                spawn_local(async move {
                    on_move(id, to).await;
                    // Not drawn in its new column (folded away, filtered out, not saved): the
                    // focus falls back to where it can go, and no later redraw takes it.
                    crate::store::sync::sleep(500).await;
                    if FOCUS_AFTER_REDRAW.with(|f| f.take()).is_some() {
                        focus(&format!("move-{id}"));
                    }
                });
            };
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save();
            };
            // Enter on a radio button saves too (not every browser submits a form from one).
            let on_key = move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" {
                    ev.prevent_default();
                    save();
                }
            };
            view! {
                <dialog id="move-dialog" class="move-dialog card" aria-labelledby="move-title"
                    on:close=move |_| if menu.with_untracked(Option::is_some) { close(id) }>
                    <form on:submit=on_submit>
                        <h2 id="move-title" class="activity-title">{title.clone()}</h2>
                        <fieldset class="check-list status-choices" on:keydown=on_key>
                            <legend>{legend(i18n)}</legend>
                            {T::all().iter().map(|&s| {
                                let input_id = format!("move-to-{}", s.wire());
                                view! {
                                    <div class="check">
                                        <input type="radio" name="move-to" id=input_id.clone() value=s.wire()
                                            prop:checked=move || chosen.get() == Some(s) on:change=move |_| chosen.set(Some(s)) />
                                        <label for=input_id>{label(i18n, s)}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <div class="actions">
                            <button type="submit" class="primary">{t_string!(i18n, save)}</button>
                            <button type="button" on:click=move |_| close(id)>{t_string!(i18n, cancel)}</button>
                        </div>
                    </form>
                </dialog>
            }
        })
    }
}
