//! "Exportera CSV" on a register's page: the file is built on the device from the records the
//! screen shows (so it works offline, and holds only what this account may see), in the same
//! columns as `GET /api/v1/export/{register}.csv` (see `tavla_shared::export`).

use leptos::prelude::*;
use tavla_shared::export::{self, Register};
use wasm_bindgen::JsCast;

use crate::components::format::today;
use crate::i18n::*;
use crate::store::sync::use_sync;

/// Hands `text` to the browser as a file named `name` of type `mime`.
pub fn download(name: &str, mime: &str, text: &str) {
    let href = format!("data:{mime};charset=utf-8,{}", js_sys::encode_uri_component(text));
    if let Ok(a) = document().create_element("a") {
        let _ = a.set_attribute("href", &href);
        let _ = a.set_attribute("download", name);
        a.unchecked_into::<web_sys::HtmlElement>().click();
    }
}

/// A button that downloads `register` as CSV, named after it (several sit on one page).
#[component]
pub fn ExportButton(register: Register) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let export = move |_| {
        let text = sync.view.with_untracked(|v| export::csv(register, v.values()));
        download(&register.file_name(today()), "text/csv", &text);
    };
    view! {
        <button type="button" class="link-button export-button" on:click=export>
            {move || match register {
                Register::Activities => t_string!(i18n, export_activities),
                Register::Events => t_string!(i18n, export_events),
                Register::People => t_string!(i18n, export_people),
                Register::Ideas => t_string!(i18n, export_ideas),
                Register::Partners => t_string!(i18n, export_partners),
                Register::Dialogues => t_string!(i18n, export_dialogues),
                Register::Marketing => t_string!(i18n, export_marketing),
            }}
        </button>
    }
}
