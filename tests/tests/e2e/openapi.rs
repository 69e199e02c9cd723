//! The OpenAPI document of `/api/v1` tells the truth: every documented operation is called —
//! once as a client that means well, once with a broken request — and must answer with a status
//! the document lists for it; error answers carry the documented error body, and success
//! answers hold the documented shape's required fields. Methods a path does not document are
//! refused (405), and undocumented paths do not exist (404).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use tavla_tests::helpers::{spawn_app, TestApp, ADMIN_PASSWORD};

/// A well-meant request for an operation: its query and body (paths' `{id}` get a fresh id).
fn well_meant(method: &Method, path: &str) -> (String, Option<Value>) {
    let client = Uuid::new_v4();
    match (method.as_str(), path) {
        ("POST", "/auth/login") => {
            (String::new(), Some(json!({ "username": "admin", "password": ADMIN_PASSWORD })))
        }
        ("POST", "/auth/password") => (
            String::new(),
            Some(
                json!({ "current_password": "inte det rätta lösenordet", "new_password": "ett helt nytt lösenord" }),
            ),
        ),
        ("POST", "/auth/second-factor/confirm") => {
            (String::new(), Some(json!({ "code": "000000", "password": ADMIN_PASSWORD })))
        }
        ("DELETE", "/auth/second-factor") => {
            (String::new(), Some(json!({ "password": "inte det rätta lösenordet" })))
        }
        ("GET", "/sync/pull") => (format!("?client_id={client}&cursor=0&limit=10"), None),
        ("POST", "/sync/push") => (String::new(), Some(json!({ "client_id": client, "mutations": [] }))),
        ("GET", "/audit") => ("?limit=5".into(), None),
        ("POST", "/users") => (
            String::new(),
            Some(
                json!({ "username": format!("ny-{}", &client.simple().to_string()[..8]), "display_name": "Ny",
                         "role": "board", "password": "en ny persons lösenord" }),
            ),
        ),
        ("PATCH", "/users/{id}") => (String::new(), Some(json!({ "display_name": "Nytt namn" }))),
        _ => (String::new(), None),
    }
}

/// The documented statuses of an operation.
fn statuses(operation: &Value) -> Vec<u16> {
    operation["responses"]
        .as_object()
        .expect("responses")
        .keys()
        .map(|k| k.parse().expect("a status"))
        .collect()
}

/// The schema an answer with `status` is documented to have, resolved.
fn schema<'a>(doc: &'a Value, operation: &'a Value, status: u16) -> Option<&'a Value> {
    let schema = operation["responses"][status.to_string()]["content"]["application/json"].get("schema")?;
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => doc.pointer(r.trim_start_matches('#')),
        None => Some(schema),
    }
}

/// Checks an answer against the document: a listed status, and the listed body's shape.
async fn check(doc: &Value, operation: &Value, what: &str, res: reqwest::Response) {
    let status = res.status().as_u16();
    assert!(
        statuses(operation).contains(&status),
        "{what}: {status} is not documented ({:?})",
        statuses(operation)
    );
    let is_json = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    let expected = schema(doc, operation, status).cloned();
    if !is_json || status == 204 {
        assert!(expected.is_none() || status == 204, "{what}: {status} should carry JSON");
        return;
    }
    let body: Value = res.json().await.unwrap_or_else(|e| panic!("{what}: the body is not JSON: {e}"));
    if status >= 400 {
        assert!(
            body["error"].is_string() && body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}: {body}"
        );
    }
    let Some(expected) = expected else { return };
    match expected.get("type").and_then(Value::as_str) {
        Some("array") => assert!(body.is_array(), "{what}: an array expected: {body}"),
        Some("object") | None => {
            for field in expected["required"].as_array().into_iter().flatten() {
                let field = field.as_str().unwrap();
                assert!(body.get(field).is_some(), "{what}: the required field «{field}» is missing: {body}");
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_documented_operation_answers_as_documented() {
    let app: TestApp = spawn_app().await;
    let res = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "OpenAPI 3.1");
    let paths = doc["paths"].as_object().unwrap().clone();
    assert!(paths.len() >= 17, "{} paths", paths.len());
    let mut calls = 0;
    // Logins are limited per address: one for the calls, one for logging out.
    let token = app.token_for("admin", ADMIN_PASSWORD).await;
    let spare = app.token_for("admin", ADMIN_PASSWORD).await;
    for (path, item) in &paths {
        for (method, operation) in item.as_object().unwrap() {
            let method: Method = method.to_uppercase().parse().unwrap();
            let open = operation
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|s| s.iter().all(|x| x.as_object().is_some_and(|o| o.is_empty())));
            let url_path = path.replace("{id}", &Uuid::new_v4().to_string());
            // Logging out ends the session it is called with: the spare one.
            let token = if path == "/auth/logout" { &spare } else { &token };

            let (query, body) = well_meant(&method, path);
            let what = format!("{method} {path}");
            let mut req = app
                .http
                .request(method.clone(), app.url(&format!("/api/v1{url_path}{query}")))
                .bearer_auth(token);
            if let Some(body) = body {
                req = req.json(&body);
            }
            let res = req.send().await.unwrap();
            check(&doc, operation, &format!("{what} (well meant)"), res).await;

            // Broken: without a login, or (open ones) with a body that is not JSON.
            let mut req = app.http.request(method.clone(), app.url(&format!("/api/v1{url_path}")));
            if open && method != Method::GET {
                req = req.header("content-type", "application/json").body("{ not json");
            }
            let res = req.send().await.unwrap();
            if !open {
                assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{what} without a login");
            }
            check(&doc, operation, &format!("{what} (broken)"), res).await;
            calls += 2;

            // A method the path does not document is refused.
            for other in [Method::PUT, Method::PATCH, Method::DELETE] {
                if !item.as_object().unwrap().contains_key(&other.as_str().to_lowercase()) {
                    let res = app
                        .http
                        .request(other.clone(), app.url(&format!("/api/v1{url_path}")))
                        .bearer_auth(token)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{other} {path}");
                }
            }
        }
    }
    assert!(calls >= 40, "{calls} calls");
    for undocumented in ["/api/v1/nope", "/api/v1/users/x/y", "/api/v1/sync", "/api/v1/admin"] {
        assert_eq!(app.get(undocumented, None).await.status(), StatusCode::NOT_FOUND, "{undocumented}");
    }
}
