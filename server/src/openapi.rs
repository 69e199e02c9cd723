//! The OpenAPI 3.1 document of `/api/v1`, served at `/api/v1/openapi.json`.
//!
//! Kept true by construction: every route is registered through utoipa-axum's
//! `OpenApiRouter` together with its `#[utoipa::path]` description (`app::api_routes`), so a
//! route cannot exist without its entry; the request and answer shapes are the wire types of
//! `tavla_shared::wire`, described by their own derives. The errors every endpoint can answer
//! (a malformed request, no login, a timeout, a body too large, the server busy …) are added
//! here to every operation, in one place, as the one error body `ApiError`. A test calls every
//! documented operation and checks that it answers as documented
//! (`tests/tests/e2e/openapi.rs`).

use std::sync::LazyLock;

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

/// The document's frame: title, version, the bearer login, the tags.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tavla API",
        version = "1",
        description = "The sync protocol and accounts of Tavla, an offline-capable planning board for a Leader area. \
                       The contract in words is docs/sync-protocol.md; this document is its machine-readable part."
    ),
    servers((url = "/api/v1")),
    security(("bearer" = [])),
    components(schemas(tavla_shared::wire::ApiError, tavla_shared::wire::ErrorCode, tavla_shared::wire::Mutation)),
    modifiers(&BearerLogin),
    tags(
        (name = "server", description = "Health and this document"),
        (name = "auth", description = "Logging in and out, sessions, one's password and two-step verification"),
        (name = "sync", description = "Pull, push, the event stream and a record's history"),
        (name = "accounts", description = "Accounts and the login log (admins)"),
        (name = "privacy", description = "Finding one person's data for a subject access request (admins)"),
        (name = "backup", description = "A backup of the running server (admins)"),
        (name = "export", description = "Registers as CSV for a Swedish Excel (staff and admins)"),
        (name = "share", description = "Read-only share links of the overview and the follow-up"),
        (name = "calendar", description = "One's own calendar feed (iCalendar) at a revocable secret address")
    )
)]
pub struct ApiDoc;

/// `Authorization: Bearer <token>` from `POST /auth/login`.
struct BearerLogin;

impl Modify for BearerLogin {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Errors any operation can answer, with when; added where an operation does not say more.
const COMMON_ERRORS: [(&str, &str); 10] = [
    ("400", "The request is malformed (`bad_request`); the message says how"),
    ("401", "No valid login (`unauthorized`)"),
    ("403", "Not allowed for this account (`forbidden`, `second_factor_setup_required`, `client_id_taken`)"),
    ("405", "The path does not take this method (`method_not_allowed`)"),
    ("408", "The request took longer than the server allows (`request_timeout`)"),
    ("413", "The body is too large (`payload_too_large`)"),
    ("415", "The body is not `application/json` (`bad_request`)"),
    ("429", "Too many attempts; wait the seconds in `Retry-After` (`too_many_requests`)"),
    ("500", "Something went wrong on the server (`internal`); the details are in its log"),
    ("503", "The server is busy; send the same request again after `Retry-After` (`busy`)"),
];

/// Adds the common errors to every operation.
fn with_common_errors(mut doc: Document) -> Document {
    let error_body = || {
        ContentBuilder::new()
            .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("ApiError"))))
            .build()
    };
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, description) in COMMON_ERRORS {
                operation.responses.responses.entry(status.to_string()).or_insert_with(|| {
                    RefOr::T(
                        ResponseBuilder::new()
                            .description(description)
                            .content("application/json", error_body())
                            .build(),
                    )
                });
            }
        }
    }
    doc
}

/// The whole document.
pub fn document() -> &'static Document {
    static DOCUMENT: LazyLock<Document> = LazyLock::new(|| {
        let (timed, streams) = crate::app::api_routes();
        let mut doc = timed.into_openapi();
        doc.merge(streams.into_openapi());
        with_common_errors(doc)
    });
    &DOCUMENT
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "server", security(()), responses((status = 200, description = "The OpenAPI 3.1 document of /api/v1", content_type = "application/json")))]
pub async fn document_json() -> Json<&'static Document> {
    Json(document())
}
