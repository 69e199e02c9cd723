//! A person's calendar feed (issue 13): made under Mitt konto, fetched by a calendar app with
//! no login, holding every event and that person's own deadlines and follow-ups — nobody
//! else's — and revoked by a new link, by "Sluta dela kalendern" or by disabling the account.

use icalendar::{Component, EventLike};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tavla_shared::values::Role;
use tavla_shared::wire::{CalendarFeedStatus, CreatedCalendarFeed, MutationStatus, User};
use uuid::Uuid;

use tavla_tests::helpers::{assert_error, spawn_app_with_users, TestApp};

const FEED: &str = "/api/v1/calendar/feed";

/// Pushes `mutations` (as `(kind, id, fields)`) as new records and expects each applied.
async fn create_records(app: &TestApp, token: &str, records: &[(&str, Uuid, Value)]) {
    let mutations: Vec<Value> = records
        .iter()
        .enumerate()
        .map(|(n, (kind, id, fields))| {
            json!({"id": n + 1, "kind": kind, "entity_id": id, "op": "put", "base_rev": 0, "at": 1, "fields": fields})
        })
        .collect();
    let res = app.push(token, Uuid::new_v4(), json!(mutations)).await;
    for result in &res.results {
        assert_eq!(result.status, MutationStatus::Applied, "{result:?}");
    }
}

/// The id of the account with this user name (an admin asks).
async fn user_id(app: &TestApp, admin: &str, username: &str) -> Uuid {
    let users: Vec<User> = app.get("/api/v1/users", Some(admin)).await.json().await.unwrap();
    users.into_iter().find(|u| u.username == username).expect("the account").id
}

/// Changes an account as an admin.
async fn patch_user(app: &TestApp, admin: &str, id: Uuid, patch: Value) {
    let res = app.send(Method::PATCH, &format!("/api/v1/users/{id}"), Some(admin), Some(patch)).await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// Makes a feed link for the owner of `token`.
async fn make_link(app: &TestApp, token: &str) -> CreatedCalendarFeed {
    let res = app.send(Method::POST, FEED, Some(token), None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}

/// Fetches a feed as a calendar app does: no login.
async fn fetch(app: &TestApp, path: &str) -> reqwest::Response {
    app.get(path, None).await
}

async fn status(app: &TestApp, token: &str) -> CalendarFeedStatus {
    let res = app.get(FEED, Some(token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_feed_holds_events_and_my_own_deadlines_and_follow_ups_and_nobody_elses() {
    let app = spawn_app_with_users(&[
        ("kansli", Role::Staff, "bygdegårdens-lösenord"),
        ("styrelse", Role::Board, "styrelsens-lösenord"),
    ])
    .await;
    let admin = app.admin_token().await;
    let (me, other, goal, partner, place) =
        (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let (event, my_activity, their_activity, my_dialogue, their_dialogue) =
        (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    create_records(
        &app,
        &admin,
        &[
            ("person", me, json!({"name": "Kim Kansli", "roles": ["staff"]})),
            ("person", other, json!({"name": "Sam Styrelse", "roles": ["board_member"]})),
            ("municipality", place, json!({"name": "Vingåker", "code": "0428"})),
            ("partner", partner, json!({"name": "Vingåkers kommun", "type": "municipality"})),
            (
                "event",
                event,
                json!({"type": "workshop", "title": "Workshop, kväll; med fika", "date": "2026-12-03",
                       "municipality_id": place}),
            ),
            (
                "activity",
                my_activity,
                json!({"strategic_goal_id": goal, "title": "Skriv kommunikationsplanen", "status": "in_progress",
                       "owner_person_id": me, "due_on": "2026-12-15", "position": 900}),
            ),
            (
                "activity",
                their_activity,
                json!({"strategic_goal_id": goal, "title": "Någon annans aktivitet", "status": "in_progress",
                       "owner_person_id": other, "due_on": "2026-12-16", "position": 901}),
            ),
            (
                "dialogue",
                my_dialogue,
                json!({"partner_id": partner, "date": "2026-11-20", "channel": "call", "summary": "Om beredskap",
                       "next_step": "Skicka underlaget", "next_step_due": "2026-12-04",
                       "next_step_owner_person_id": me}),
            ),
            (
                "dialogue",
                their_dialogue,
                json!({"partner_id": partner, "date": "2026-11-20", "channel": "call", "summary": "Om annat",
                       "next_step": "Någon annans steg", "next_step_due": "2026-12-05",
                       "next_step_owner_person_id": other}),
            ),
        ],
    )
    .await;
    let kansli = user_id(&app, &admin, "kansli").await;
    patch_user(&app, &admin, kansli, json!({"person_id": me})).await;
    let token = app.token_for("kansli", "bygdegårdens-lösenord").await;

    assert_eq!(status(&app, &token).await, CalendarFeedStatus { active: false, created_at: None });
    let link = make_link(&app, &token).await;
    assert!(link.path.starts_with("/api/v1/calendar/") && link.path.ends_with(".ics"), "{}", link.path);
    assert_eq!(
        status(&app, &token).await,
        CalendarFeedStatus { active: true, created_at: Some(link.created_at) }
    );

    let res = fetch(&app, &link.path).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/calendar; charset=utf-8");
    let text = res.text().await.unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"), "{text}");
    assert!(!text.replace("\r\n", "").contains('\n'), "every line ends with CRLF");
    assert!(text.contains("X-WR-CALNAME:Tavla\r\n"), "{text}");
    assert!(text.contains(r"SUMMARY:Workshop\, kväll\; med fika"), "escaped: {text}");
    for not_mine in ["Någon annans", &their_activity.to_string(), &their_dialogue.to_string()] {
        assert!(!text.contains(not_mine), "«{not_mine}» is someone else's: {text}");
    }

    // As a calendar app reads it.
    let calendar: icalendar::Calendar = text.parse().expect("a calendar");
    let mut entries: Vec<(String, String, String)> = calendar
        .events()
        .map(|e| {
            let start = e.get_start().map(|d| d.date_naive().to_string()).unwrap_or_default();
            (
                start,
                e.get_summary().unwrap_or_default().to_string(),
                e.get_uid().unwrap_or_default().to_string(),
            )
        })
        .filter(|(_, _, uid)| {
            [event, my_activity, my_dialogue].iter().any(|id| uid.starts_with(&id.to_string()))
        })
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        [
            ("2026-12-03".into(), "Workshop, kväll; med fika".into(), format!("{event}-event@tavla")),
            (
                "2026-12-04".into(),
                "Att göra: Skicka underlaget".into(),
                format!("{my_dialogue}-follow-up@tavla")
            ),
            (
                "2026-12-15".into(),
                "Klart senast: Skriv kommunikationsplanen".into(),
                format!("{my_activity}-deadline@tavla")
            ),
        ]
    );
    let workshop = calendar.events().find(|e| e.get_uid() == Some(&format!("{event}-event@tavla"))).unwrap();
    assert_eq!(workshop.get_location(), Some("Vingåker"));
    assert_eq!(workshop.get_url(), Some(format!("{}/handelser/{event}", app.base).as_str()));
    let step =
        calendar.events().find(|e| e.get_uid() == Some(&format!("{my_dialogue}-follow-up@tavla"))).unwrap();
    assert_eq!(step.get_description(), Some("Dialog med Vingåkers kommun: Om beredskap"));
}

#[tokio::test]
async fn a_new_link_revokes_the_old_one_and_stopping_sharing_revokes_it_too() {
    let app = spawn_app_with_users(&[("styrelse", Role::Board, "styrelsens-lösenord")]).await;
    let token = app.token_for("styrelse", "styrelsens-lösenord").await;
    let first = make_link(&app, &token).await;
    assert_eq!(fetch(&app, &first.path).await.status(), StatusCode::OK);
    let second = make_link(&app, &token).await;
    assert_ne!(first.path, second.path);
    assert_error(fetch(&app, &first.path).await, StatusCode::NOT_FOUND, "no calendar feed").await;
    assert_eq!(fetch(&app, &second.path).await.status(), StatusCode::OK);

    let res = app.send(Method::DELETE, FEED, Some(&token), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_error(fetch(&app, &second.path).await, StatusCode::NOT_FOUND, "no calendar feed").await;
    assert_eq!(status(&app, &token).await, CalendarFeedStatus { active: false, created_at: None });
    let again = app.send(Method::DELETE, FEED, Some(&token), None).await;
    assert_error(again, StatusCode::NOT_FOUND, "no calendar feed").await;

    // Guesses and near misses.
    let secret = second.path.trim_start_matches("/api/v1/calendar/").trim_end_matches(".ics").to_string();
    let third = make_link(&app, &token).await;
    let third_secret = third.path.trim_start_matches("/api/v1/calendar/").trim_end_matches(".ics");
    for wrong in [
        format!("/api/v1/calendar/{}.ics", "0".repeat(64)),
        format!("/api/v1/calendar/{secret}.ics"),
        format!("/api/v1/calendar/{third_secret}"),
        format!("/api/v1/calendar/{third_secret}.ical"),
        format!("/api/v1/calendar/{}.ics", "a".repeat(5000)),
        "/api/v1/calendar/.ics".to_string(),
        "/api/v1/calendar/feed.ics".to_string(),
    ] {
        assert_error(fetch(&app, &wrong).await, StatusCode::NOT_FOUND, "no calendar feed").await;
    }
    assert_eq!(fetch(&app, &third.path).await.status(), StatusCode::OK);

    // Managing the link needs a login.
    for method in [Method::POST, Method::GET, Method::DELETE] {
        let res = app.send(method.clone(), FEED, None, None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} without a login");
    }
    assert_eq!(fetch(&app, &third.path).await.status(), StatusCode::OK, "unchanged by those");
}

#[tokio::test]
async fn a_disabled_accounts_feed_ends_and_stays_ended() {
    let app = spawn_app_with_users(&[("styrelse", Role::Board, "styrelsens-lösenord")]).await;
    let admin = app.admin_token().await;
    let token = app.token_for("styrelse", "styrelsens-lösenord").await;
    let link = make_link(&app, &token).await;
    assert_eq!(fetch(&app, &link.path).await.status(), StatusCode::OK);

    let id = user_id(&app, &admin, "styrelse").await;
    patch_user(&app, &admin, id, json!({"disabled": true})).await;
    assert_error(fetch(&app, &link.path).await, StatusCode::NOT_FOUND, "no calendar feed").await;
    // Enabled again, the old link does not come back: the person makes a new one.
    patch_user(&app, &admin, id, json!({"disabled": false})).await;
    assert_error(fetch(&app, &link.path).await, StatusCode::NOT_FOUND, "no calendar feed").await;
    let token = app.token_for("styrelse", "styrelsens-lösenord").await;
    assert!(!status(&app, &token).await.active);
    let new = make_link(&app, &token).await;
    assert_eq!(fetch(&app, &new.path).await.status(), StatusCode::OK);
}
