//! `GET /api/v1/export/{register}.csv`: a register as the CSV file its page downloads (see
//! `tavla_shared::export`), for scripts run by staff and admins. The records are read as the
//! account's pull shows them, so contact details appear only for those allowed to see them.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use tavla_shared::export::{self, Register};
use tavla_shared::privacy;
use tavla_shared::values::Role;

use crate::auth::AuthUser;
use crate::error::AppError;
use crate::state::AppState;

/// One register as CSV for a Swedish Excel: UTF-8 with a BOM, semicolons, YYYY-MM-DD dates.
#[utoipa::path(get, path = "/export/{file}", tag = "export",
    params(("file" = String, Path, description = "The register and `.csv`: activities.csv, events.csv, people.csv, ideas.csv, partners.csv, dialogues.csv or marketing.csv")),
    responses((status = 200, description = "The register as CSV (staff and admins)", content_type = "text/csv", body = String),
        (status = 404, description = "No such register")))]
pub async fn register_csv(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(file): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    if auth.user.role == Role::Board {
        return Err(AppError::Forbidden(
            "exports are for staff and admins; the register's page exports what you see".into(),
        ));
    }
    let register = file
        .strip_suffix(".csv")
        .and_then(Register::from_slug)
        .ok_or(AppError::NotFound("no such register: ask for activities.csv, events.csv, people.csv, ideas.csv, partners.csv, dialogues.csv or marketing.csv"))?;
    let viewer = auth.viewer();
    let store = state.store.clone();
    let text = tokio::task::spawn_blocking(move || {
        let mut records = store.all_records()?;
        for r in &mut records {
            privacy::redact(r, &viewer);
        }
        Ok::<_, crate::store::StoreError>(export::csv(register, &records))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let name = format!("attachment; filename=\"{}.csv\"", register.slug());
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)],
        text,
    ))
}
