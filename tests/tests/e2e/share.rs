//! Read-only share links (issue 13): an admin's link shows the overview or the follow-up without
//! login, shows no private persons, contact details or comments, can be revoked, and its secret
//! opens nothing else: every write, the people and the pull answer it 401 (403 for non-admins
//! making links).

use reqwest::{Method, StatusCode};
use serde_json::json;
use tavla_shared::wire::{CreatedShareLink, MutationStatus, SharedView};
use tavla_shared::Kind;
use uuid::Uuid;

use crate::ideas_browser::{area, PASSWORD, STAFF};
use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::find;

const PRIVATE: &str = "Privat Person";
const EMAIL: &str = "privat@example.se";
const COMMENT: &str = "Intern kommentar om budgeten";

#[tokio::test]
async fn a_share_link_shows_the_overview_without_login_and_can_reach_nothing_else() {
    let app = area().await;
    let admin = app.admin_token().await;
    let all = app.snapshot(&admin).await;
    let activity = find(&all, Kind::Activity, "title", "Genomföra 17 workshops").id;
    let person = Uuid::new_v4();
    let res = app
        .push(
            &admin,
            Uuid::new_v4(),
            json!([
                {"id": 1, "kind": "person", "entity_id": person, "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"name": PRIVATE, "email": EMAIL}},
                {"id": 2, "kind": "comment", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
                 "fields": {"target_kind": "activity", "target_id": activity, "text": COMMENT}},
            ]),
        )
        .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{res:?}");

    // Only admins make links.
    let staff = app.token_for(STAFF, PASSWORD).await;
    let new = json!({"target": "overview", "name": "Flens kommun"});
    let res = app.send(Method::POST, "/api/v1/share-links", Some(&staff), Some(new.clone())).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app.send(Method::POST, "/api/v1/share-links", None, Some(new.clone())).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app
        .send(
            Method::POST,
            "/api/v1/share-links",
            Some(&admin),
            Some(json!({"target": "overview", "name": " "})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app.send(Method::POST, "/api/v1/share-links", Some(&admin), Some(new)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let link: CreatedShareLink = res.json().await.unwrap();
    let secret = link.path.strip_prefix("/delning/").expect("the app's address").to_string();

    // The view: no private person, contact detail or comment.
    let res = app.get(&format!("/api/v1/shared/{secret}"), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    for hidden in [PRIVATE, EMAIL, COMMENT] {
        assert!(!text.contains(hidden), "the share link shows «{hidden}»");
    }
    let view: SharedView = serde_json::from_str(&text).unwrap();
    assert!(view.records.iter().any(|r| r.kind == Kind::StrategicGoal));
    assert!(view.records.iter().all(|r| !matches!(r.kind, Kind::Comment | Kind::Conflict | Kind::Settings)));
    assert!(text.contains("Britt Berg"), "board members' names may show");

    // The secret opens nothing else: no write, no people, no pull.
    let client = Uuid::new_v4();
    let push = json!({"client_id": client, "mutations": [{"id": 1, "kind": "activity", "entity_id": activity,
        "op": "put", "base_rev": 1, "at": 1, "fields": {"status": "done"}}]});
    let tries: Vec<(Method, String, Option<serde_json::Value>)> = vec![
        (Method::POST, "/api/v1/sync/push".into(), Some(push)),
        (Method::GET, format!("/api/v1/sync/pull?client_id={client}&cursor=0&limit=10"), None),
        (Method::GET, "/api/v1/users".into(), None),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(
                json!({"username": "x", "display_name": "x", "role": "admin", "password": "ett-långt-lösenord"}),
            ),
        ),
        (Method::GET, format!("/api/v1/history/{person}"), None),
        (Method::GET, "/api/v1/privacy/search?q=Privat".into(), None),
        (Method::GET, "/api/v1/export/people.csv".into(), None),
        (Method::GET, "/api/v1/backup".into(), None),
        (Method::GET, "/api/v1/share-links".into(), None),
        (Method::POST, "/api/v1/share-links".into(), Some(json!({"target": "report", "name": "mer"}))),
        (Method::DELETE, format!("/api/v1/share-links/{}", link.info.id), None),
        (Method::GET, "/api/v1/auth/me".into(), None),
    ];
    for (method, path, body) in tries {
        let res = app.send(method.clone(), &path, Some(&secret), body).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path} with the share link's secret");
    }
    assert_eq!(app.get("/api/v1/shared/not-a-secret", None).await.status(), StatusCode::NOT_FOUND);

    // In a browser with no account: the overview, read only.
    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::open(page, &format!("{}{}", app.base, link.path)).await;
    check::text(page, "Delad vy för Flens kommun – skrivskyddad.").await;
    check::heading(page, "Verksamhetsplan 2026").await;
    check::text(page, "Upparbetat:").await;
    assert_eq!(check::count(page, ".goal-grid > li").await, 6);
    for absent in ["Logga ut", "+ Lägg till workshop", PRIVATE] {
        let shown = page
            .execute("return document.body.innerText.includes(arguments[0]);", vec![json!(absent)])
            .await
            .unwrap();
        assert_eq!(shown, json!(false), "«{absent}» on the shared page");
    }
    assert_eq!(check::count(page, "main form, main button[type=submit]").await, 0, "nothing to submit");
    check::accessible(page, "the shared overview").await;
    browser.screenshot("shared-overview").await;

    // Revoked: gone at once.
    let res =
        app.send(Method::DELETE, &format!("/api/v1/share-links/{}", link.info.id), Some(&admin), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/shared/{secret}"), None).await.status(), StatusCode::NOT_FOUND);
    act::reload(page).await;
    check::heading(page, "Länken fungerar inte").await;
    browser.close().await;
}

#[tokio::test]
async fn an_admin_shares_the_follow_up_from_the_accounts_page() {
    let app = area().await;
    let browser = Browser::start(1280, 900).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    act::open(page, &format!("{}/konton", app.base)).await;
    check::heading(page, "Delade länkar").await;
    act::fill(page, "Vem länken är till", "Jordbruksverket").await;
    act::choose(page, "Verksamhetsuppföljningen").await;
    act::click_button(page, "Skapa länk").await;
    let url = page
        .execute("const i = document.getElementById('share-url'); return i ? i.value : null;", vec![])
        .await
        .unwrap();
    let url = match url.as_str() {
        Some(u) => u.to_string(),
        None => {
            check::text(page, "Länken (visas bara nu").await;
            page.execute("return document.getElementById('share-url').value;", vec![])
                .await
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    assert!(url.starts_with(&format!("{}/delning/", app.base)), "{url}");
    check::text(page, "Jordbruksverket").await;
    check::accessible(page, "the accounts page with a share link").await;
    let shared = Browser::start(360, 800).await;
    act::open(&shared.client, &url).await;
    check::heading(&shared.client, "Verksamhetsuppföljning 2026").await;
    assert_eq!(check::count(&shared.client, ".report-goal").await, 6);
    check::no_horizontal_scroll(&shared.client).await;
    shared.close().await;
    act::click_button(page, "Återkalla").await;
    check::text(page, "Inga delade länkar.").await;
    browser.close().await;
}
