//! `/importera`: CSV import of activities or people (staff). The file is read on the device
//! into a preview (`tavla_shared::import`): each row says what it creates or changes, or its
//! problems in words. Nothing is written until the person confirms; then each good row is saved
//! through the typed edit path like a form (an update as an edit of the version it was exported
//! at), so the push rules, the outbox and conflicts apply as to any edit.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use tavla_shared::edit::Base;
use tavla_shared::export::Register;
use tavla_shared::import::{self, Action, FileError, Row, RowProblem};
use tavla_shared::kinds::{Activity, KindFields, Person};
use tavla_shared::rules::may_delete;
use wasm_bindgen::JsCast;

use crate::components::feedback::Feedback;
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::paths;
use crate::session::{random_uuid, use_session};
use crate::store::sync::{use_sync, SyncEngine};

/// The largest file read (a register of a few thousand rows is far smaller).
const MAX_FILE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

/// A preview of either register.
#[derive(Clone)]
enum Preview {
    Activities(Vec<Row<Activity>>),
    People(Vec<Row<Person>>),
}

/// One row of the preview as shown.
struct Line {
    line: usize,
    label: String,
    /// "Ny", "Ändras: …", "Oförändrad", or the problems.
    what: Result<String, Vec<String>>,
    /// The record changed in Tavla after the export (its version then and now): saved only
    /// when the person ticks it.
    stale: Option<(u64, u64)>,
}

type I18n = leptos_i18n::I18nContext<Locale>;

/// A row's problem in words.
fn problem(i18n: I18n, p: &RowProblem) -> String {
    let f = |key: &str, vars: &[(&'static str, String)]| crate::components::fill(key, vars);
    match p {
        RowProblem::BadId(v) => f(t_string!(i18n, import_bad_id), &[("value", v.clone())]),
        RowProblem::UnknownId(id) => f(t_string!(i18n, import_unknown_id), &[("value", id.to_string())]),
        RowProblem::RepeatedId(line) => f(t_string!(i18n, import_repeated_id), &[("line", line.to_string())]),
        RowProblem::Missing(column) => f(t_string!(i18n, import_missing), &[("column", column.to_string())]),
        RowProblem::UnknownGoal(v) => f(t_string!(i18n, import_unknown_goal), &[("value", v.clone())]),
        RowProblem::NotAValue { column, value, allowed } => f(
            t_string!(i18n, import_not_a_value),
            &[("column", column.to_string()), ("value", value.clone()), ("allowed", allowed.join(", "))],
        ),
        RowProblem::BadDate { column, value } => {
            f(t_string!(i18n, import_bad_date), &[("column", column.to_string()), ("value", value.clone())])
        }
        RowProblem::BadNumber { column, value } => {
            f(t_string!(i18n, import_bad_number), &[("column", column.to_string()), ("value", value.clone())])
        }
        RowProblem::UnknownNames { column, names } => f(
            t_string!(i18n, import_unknown_names),
            &[("column", column.to_string()), ("names", names.join(", "))],
        ),
        RowProblem::AmbiguousNames { column, names } => f(
            t_string!(i18n, import_ambiguous_names),
            &[("column", column.to_string()), ("names", names.join(", "))],
        ),
        RowProblem::CellCount { found, expected } => f(
            t_string!(i18n, import_cell_count),
            &[("found", found.to_string()), ("expected", expected.to_string())],
        ),
        RowProblem::Invalid(message) => f(t_string!(i18n, import_invalid), &[("message", message.clone())]),
    }
}

/// A file's problem in words.
fn file_problem(i18n: I18n, e: &FileError) -> String {
    let f = |key: &str, vars: &[(&'static str, String)]| crate::components::fill(key, vars);
    match e {
        FileError::Csv(detail) => f(t_string!(i18n, import_file_csv), &[("detail", detail.to_string())]),
        FileError::MissingColumn(c) => {
            f(t_string!(i18n, import_file_missing_column), &[("column", c.to_string())])
        }
        FileError::UnknownColumn(c) => {
            f(t_string!(i18n, import_file_unknown_column), &[("column", c.clone())])
        }
        FileError::RepeatedColumn(c) => {
            f(t_string!(i18n, import_file_repeated_column), &[("column", c.clone())])
        }
        FileError::TooManyRows(n) => {
            f(t_string!(i18n, import_file_too_many_rows), &[("count", n.to_string())])
        }
        FileError::NoRows => t_string!(i18n, import_file_no_rows).to_string(),
        FileError::NotUtf8 => t_string!(i18n, import_file_not_utf8).to_string(),
    }
}

/// The rows of a preview as shown: those that change something or cannot be read (the summary
/// counts the unchanged ones).
fn lines<T>(i18n: I18n, rows: &[Row<T>]) -> Vec<Line> {
    rows.iter()
        .filter(|r| !matches!(r.outcome, Ok(Action::Unchanged { .. })))
        .map(|r| Line {
            line: r.line,
            label: r.label.clone(),
            stale: match &r.outcome {
                Ok(Action::Update { base_rev, changed_since: Some(now), .. }) => Some((*base_rev, *now)),
                _ => None,
            },
            what: match &r.outcome {
                Ok(Action::Create { .. }) => Ok(t_string!(i18n, import_new).to_string()),
                Ok(Action::Update { fields, .. }) => Ok(crate::components::fill(
                    t_string!(i18n, import_changes),
                    &[(
                        "fields",
                        fields
                            .iter()
                            .map(|f| crate::components::badges::field_label(i18n, f))
                            .collect::<Vec<_>>()
                            .join(", "),
                    )],
                )),
                Ok(Action::Unchanged { .. }) => Ok(t_string!(i18n, import_same).to_string()),
                Err(problems) => Err(problems.iter().map(|p| problem(i18n, p)).collect()),
            },
        })
        .collect()
}

/// Saves the good rows of `rows` (a row whose record changed after the export only when its
/// line is in `stale_ok`): how many, and the last edit's mutation id.
async fn save_rows<T: KindFields + Clone + PartialEq>(
    sync: SyncEngine,
    rows: Vec<Row<T>>,
    stale_ok: &std::collections::HashSet<usize>,
) -> Result<(usize, Option<u64>), String> {
    let (mut saved, mut last) = (0, None);
    for row in rows {
        let result = match row.outcome {
            Ok(Action::Create { id, value }) => sync.create(id, &value).await.map(Some),
            Ok(Action::Update { id, base_rev, before, value, changed_since, .. })
                if changed_since.is_none() || stale_ok.contains(&row.line) =>
            {
                sync.save(id, &Base { rev: base_rev, values: before }, &value).await
            }
            _ => continue,
        };
        match result {
            Ok(id) => {
                saved += 1;
                last = id.or(last);
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok((saved, last))
}

/// `/importera?register=activities|people`.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let staff = use_session().0.with_untracked(|s| s.as_ref().is_some_and(|s| may_delete(s.user.role)));
    let register = RwSignal::new(match query.with_untracked(|q| q.get("register")).as_deref() {
        Some("people") => Register::People,
        _ => Register::Activities,
    });
    let preview: RwSignal<Option<Preview>> = RwSignal::new(None);
    // Rows whose record changed after the export that the person chose to save anyway.
    let stale_ok: RwSignal<std::collections::HashSet<usize>> = RwSignal::new(Default::default());
    let file_error: RwSignal<Option<String>> = RwSignal::new(None);
    let message = Feedback::new();
    let done: RwSignal<Option<String>> = RwSignal::new(None);
    let text = StoredValue::new(String::new());
    // Reads the chosen file's text into the preview; again when the register changes.
    let build = move || {
        let t = text.get_value();
        if t.is_empty() {
            return;
        }
        let built = sync.view.with_untracked(|v| match register.get_untracked() {
            Register::People => import::people(&t, v.values(), random_uuid).map(Preview::People),
            _ => import::activities(&t, v.values(), random_uuid).map(Preview::Activities),
        });
        match built {
            Ok(p) => {
                file_error.set(None);
                stale_ok.set(Default::default());
                preview.set(Some(p));
            }
            Err(e) => {
                preview.set(None);
                file_error.set(Some(file_problem(i18n, &e)));
            }
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        message.clear();
        done.set(None);
        if file.size() > MAX_FILE_BYTES {
            preview.set(None);
            file_error.set(Some(t_string!(i18n, import_file_too_big).to_string()));
            return;
        }
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(t) => {
                    text.set_value(t.as_string().unwrap_or_default());
                    build();
                }
                Err(_) => file_error.set(Some(t_string!(i18n, import_file_unreadable).to_string())),
            }
        });
    };
    let shown = move || {
        preview.with(|p| match p {
            Some(Preview::Activities(rows)) => Some((lines(i18n, rows), import::counts(rows))),
            Some(Preview::People(rows)) => Some((lines(i18n, rows), import::counts(rows))),
            None => None,
        })
    };
    let confirm = move |_| {
        let Some(p) = preview.get_untracked() else { return };
        let ok = stale_ok.get_untracked();
        spawn_local(async move {
            let saved = match p {
                Preview::Activities(rows) => save_rows(sync, rows, &ok).await,
                Preview::People(rows) => save_rows(sync, rows, &ok).await,
            };
            match saved {
                Ok((n, last)) => {
                    preview.set(None);
                    text.set_value(String::new());
                    done.set(Some(crate::components::fill(
                        t_string!(i18n, import_done),
                        &[("count", n.to_string())],
                    )));
                    message.saved(last);
                }
                Err(e) => message.error(format!("{} {e}", t_string!(i18n, save_failed))),
            }
        });
    };
    let choice = move |r: Register, id: &'static str, label: &'static str| {
        view! {
            <div class="check">
                <input type="radio" name="import-register" id=id prop:checked=move || register.get() == r
                    on:change=move |_| { register.set(r); build(); } />
                <label for=id>{label}</label>
            </div>
        }
    };
    if !staff {
        return view! {
            <h1>{tr(i18n, |i| t_string!(i, import_heading))}</h1>
            <p>{tr(i18n, |i| t_string!(i, import_staff_only))}</p>
        }
        .into_any();
    }
    view! {
        <p class="back"><a href=paths::ACTIVITIES>"← " {tr(i18n, |i| t_string!(i, activities_link))}</a></p>
        <h1>{tr(i18n, |i| t_string!(i, import_heading))}</h1>
        <p>{tr(i18n, |i| t_string!(i, import_intro))}</p>
        <form class="card form" on:submit=|ev| ev.prevent_default()>
            <fieldset class="check-list">
                <legend>{tr(i18n, |i| t_string!(i, import_register))}</legend>
                {choice(Register::Activities, "import-activities", t_string!(i18n, import_register_activities))}
                {choice(Register::People, "import-people", t_string!(i18n, import_register_people))}
            </fieldset>
            <label for="import-file">{tr(i18n, |i| t_string!(i, import_file))}</label>
            <input id="import-file" type="file" accept=".csv,text/csv" on:change=on_file />
            {move || file_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </form>
        {move || shown().map(|(lines, (new, changed, same, bad))| {
            let stale_lines: Vec<usize> = lines.iter().filter(|l| l.stale.is_some()).map(|l| l.line).collect();
            let stale_lines = StoredValue::new(stale_lines);
            let good = move || {
                new + changed - stale_lines.with_value(|ls| ls.iter().filter(|l| !stale_ok.with(|s| s.contains(l))).count())
            };
            view! {
                <section class="card import-preview" aria-labelledby="import-preview-heading">
                    <h2 id="import-preview-heading">{tr(i18n, |i| t_string!(i, import_preview))}</h2>
                    <p role="status">{trf(i18n, |i| t_string!(i, import_summary), vec![("new", new.to_string()), ("changed", changed.to_string()), ("same", same.to_string()), ("bad", bad.to_string())])}</p>
                    <ul class="report-list import-rows">
                        {lines.into_iter().map(|l| {
                            let row = trf(i18n, |i| t_string!(i, import_row), vec![("line", l.line.to_string())]);
                            let line = l.line;
                            let stale = l.stale.map(|(then, now)| {
                                let id = format!("import-stale-{line}");
                                let for_id = id.clone();
                                view! {
                                    <p class="warning">{trf(i18n, |i| t_string!(i, import_stale), vec![("then", then.to_string()), ("now", now.to_string())])}</p>
                                    <div class="check">
                                        <input type="checkbox" id=id prop:checked=move || stale_ok.with(|s| s.contains(&line))
                                            on:change=move |ev| { let on = event_target_checked(&ev); stale_ok.update(|s| { if on { s.insert(line); } else { s.remove(&line); } }); } />
                                        <label for=for_id>{trf(i18n, |i| t_string!(i, import_stale_save), vec![("line", line.to_string())])}</label>
                                    </div>
                                }
                            });
                            match l.what {
                                Ok(what) => view! { <li class="report-item">{row} ": " <strong>{l.label}</strong> " – " {what} {stale}</li> }.into_any(),
                                Err(problems) => view! {
                                    <li class="report-item import-bad">{row} ": " <strong>{l.label}</strong> " – " {tr(i18n, |i| t_string!(i, import_bad))}
                                        <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                                    </li>
                                }.into_any(),
                            }
                        }).collect_view()}
                    </ul>
                    {(bad > 0).then(|| view! { <p class="warning">{tr(i18n, |i| t_string!(i, import_bad_skipped))}</p> })}
                    <div class="actions">
                        <button type="button" class="primary" prop:disabled=move || good() == 0 on:click=confirm>
                            {move || crate::components::fill(t_string!(i18n, import_confirm), &[("count", good().to_string())])}
                        </button>
                    </div>
                </section>
            }
        })}
        {move || done.get().map(|d| view! { <p class="ok" role="status">{d}</p> })}
        {message.view()}
    }
    .into_any()
}
