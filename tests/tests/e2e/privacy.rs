//! Private persons' details (issue 10, GDPR): who receives an idea's contact and a private
//! person's e-mail and phone through pull and history, that an edit by someone who cannot see
//! them never changes them, consent, the removal of contacts when their time is up (with an
//! injected day), the admins' search for one person's data, and unlinking an account's person.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tavla_server::retention::{self, Swept};
use tavla_server::store::{SledStore, Store};
use tavla_shared::date::Date;
use tavla_shared::kinds::SETTINGS_ID;
use tavla_shared::values::Role;
use tavla_shared::wire::{HistoryResponse, MutationStatus, PrivacySearchResponse, RejectCode, User};
use tavla_shared::{Kind, Record};
use uuid::Uuid;

use tavla_tests::helpers::{assert_error, spawn_app_with_users, start_on, TestApp};

fn put(n: u64, kind: &str, id: Uuid, base_rev: u64, at: i64, fields: Value) -> Value {
    json!({ "id": n, "kind": kind, "entity_id": id, "op": "put", "base_rev": base_rev, "at": at, "fields": fields })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

/// The people of these tests: the admin, staff, two board members (`bo` and `anna`) and a board
/// member whose account is linked to a person (`lena`).
struct People {
    app: TestApp,
    admin: String,
    staff: String,
    bo: String,
    anna: String,
    lena: String,
}

const PASSWORD: &str = "styrelsens lösenord";

async fn people() -> People {
    let app = spawn_app_with_users(&[
        ("kansli", Role::Staff, PASSWORD),
        ("bo", Role::Board, PASSWORD),
        ("anna", Role::Board, PASSWORD),
        ("lena", Role::Board, PASSWORD),
    ])
    .await;
    let admin = app.admin_token().await;
    let staff = app.token_for("kansli", PASSWORD).await;
    let bo = app.token_for("bo", PASSWORD).await;
    let anna = app.token_for("anna", PASSWORD).await;
    let lena = app.token_for("lena", PASSWORD).await;
    People { app, admin, staff, bo, anna, lena }
}

impl People {
    async fn user(&self, name: &str) -> User {
        let users: Vec<User> = self.app.get("/api/v1/users", Some(&self.admin)).await.json().await.unwrap();
        users.into_iter().find(|u| u.username == name).expect("the account")
    }

    /// Changes an account as the admin; returns the answer's status and body.
    async fn patch_user(&self, name: &str, body: Value) -> (StatusCode, Value) {
        let id = self.user(name).await.id;
        let res =
            self.app.send(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&self.admin), Some(body)).await;
        (res.status(), res.json().await.unwrap())
    }
}

/// One record as `token`'s account pulls it.
async fn pulled(app: &TestApp, token: &str, id: Uuid) -> Record {
    app.snapshot(token).await.remove(&id).expect("the record is pulled")
}

async fn history(app: &TestApp, token: &str, id: Uuid) -> (HistoryResponse, String) {
    let res = app.get(&format!("/api/v1/history/{id}"), Some(token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    (serde_json::from_str(&text).unwrap(), text)
}

/// Pushes one mutation and returns its result.
async fn push_one(app: &TestApp, token: &str, mutation: Value) -> tavla_shared::wire::MutationResult {
    app.push(token, Uuid::new_v4(), json!([mutation])).await.results.remove(0)
}

fn idea_fields(contact_info: &str) -> Value {
    json!({ "title": "Bygdegårdens kök", "stage": "idea", "captured_on": "2026-03-01", "consent": true,
            "contact_name": "Greta Persson", "contact_info": contact_info })
}

#[tokio::test]
async fn another_board_members_idea_comes_without_its_contact_and_their_edits_leave_it_intact() {
    let p = people().await;
    let app = &p.app;
    let anna_id = p.user("anna").await.id;
    let idea = Uuid::new_v4();
    // Anna captures it; the capturer's account is the server's to set, not the client's.
    let mut fields = idea_fields("070-111 22 33");
    fields["captured_by_user_id"] = json!(Uuid::new_v4());
    let created = push_one(app, &p.anna, put(1, "idea", idea, 0, now_ms(), fields)).await;
    assert_eq!(created.status, MutationStatus::Applied, "{created:?}");
    let rev = pulled(app, &p.staff, idea).await.rev;
    let edit = put(1, "idea", idea, rev, now_ms(), json!({ "contact_info": "greta@example.se" }));
    assert_eq!(push_one(app, &p.anna, edit).await.status, MutationStatus::Applied);

    // Bo, another board member, gets neither field in the pull nor in the history.
    let seen_by_bo = pulled(app, &p.bo, idea).await;
    assert!(!seen_by_bo.fields.contains_key("contact_name"), "{:?}", seen_by_bo.fields);
    assert!(!seen_by_bo.fields.contains_key("contact_info"));
    assert_eq!(seen_by_bo.fields["title"], "Bygdegårdens kök");
    let (changes, text) = history(app, &p.bo, idea).await;
    assert_eq!(changes.changes.len(), 2, "the edit is listed, without its value");
    assert!(!text.contains("greta@example.se") && !text.contains("070-111"), "{text}");

    // The capturer (an account without a person) and staff see both.
    for (who, token) in [("anna", &p.anna), ("staff", &p.staff), ("admin", &p.admin)] {
        let r = pulled(app, token, idea).await;
        assert_eq!(r.fields["contact_name"], "Greta Persson", "{who}");
        assert_eq!(r.fields["contact_info"], "greta@example.se", "{who}");
        assert_eq!(r.fields["captured_by_user_id"], json!(anna_id), "{who}: set by the server");
        let (_, text) = history(app, token, idea).await;
        assert!(text.contains("greta@example.se"), "{who}: {text}");
    }

    // Bo's edit of the title, sent with the fields a careless client might add, changes the
    // title only.
    let rev = seen_by_bo.rev;
    let careless = json!({ "title": "Nytt kök i bygdegården", "contact_name": null, "contact_info": "",
                           "consent": false, "captured_by_user_id": Uuid::new_v4() });
    let result = push_one(app, &p.bo, put(1, "idea", idea, rev, now_ms(), careless)).await;
    assert_eq!(result.status, MutationStatus::Applied, "{result:?}");
    let after = pulled(app, &p.staff, idea).await;
    assert_eq!(after.fields["title"], "Nytt kök i bygdegården");
    assert_eq!(after.fields["contact_name"], "Greta Persson");
    assert_eq!(after.fields["contact_info"], "greta@example.se");
    assert_eq!(after.fields["consent"], true);
    assert_eq!(after.fields["captured_by_user_id"], json!(anna_id));
    // A put of nothing but blanks of fields Bo cannot see changes nothing and is no puzzle.
    let only_blank = put(1, "idea", idea, after.rev, now_ms(), json!({ "contact_info": null }));
    assert_eq!(push_one(app, &p.bo, only_blank).await.status, MutationStatus::Applied);
    assert_eq!(pulled(app, &p.staff, idea).await.rev, after.rev, "nothing written");
    // A value for one is refused, with the reason, not answered applied for nothing.
    for fields in [
        json!({ "contact_info": "ändrat" }),
        json!({ "title": "Med kontakt", "contact_name": "Någon annan" }),
    ] {
        let refused = push_one(app, &p.bo, put(1, "idea", idea, after.rev, now_ms(), fields)).await;
        assert_eq!((refused.status, refused.code), (MutationStatus::Rejected, Some(RejectCode::Forbidden)));
        assert!(refused.reason.as_deref().is_some_and(|r| r.contains("contact details")), "{refused:?}");
    }
    assert_eq!(pulled(app, &p.staff, idea).await.rev, after.rev, "nothing written");

    // Naming himself the capturer would be a way round the rule: refused.
    let bo_person = Uuid::new_v4();
    let person = put(1, "person", bo_person, 0, now_ms(), json!({ "name": "Bo", "roles": ["board_member"] }));
    assert_eq!(push_one(app, &p.staff, person).await.status, MutationStatus::Applied);
    assert_eq!(p.patch_user("bo", json!({ "person_id": bo_person })).await.0, StatusCode::OK);
    // A new person link ends Bo's logins: he logs in again.
    let bo = app.token_for("bo", PASSWORD).await;
    for named in [json!(bo_person), json!(bo_person.to_string().to_uppercase())] {
        let claim = put(1, "idea", idea, after.rev, now_ms(), json!({ "captured_by_person_id": named }));
        let refused = push_one(app, &bo, claim).await;
        assert_eq!((refused.status, refused.code), (MutationStatus::Rejected, Some(RejectCode::Forbidden)));
    }
    assert!(!pulled(app, &bo, idea).await.fields.contains_key("contact_info"));
}

#[tokio::test]
async fn the_person_who_captured_an_idea_sees_its_contact_until_their_account_is_unlinked() {
    let p = people().await;
    let app = &p.app;
    let lena_person = Uuid::new_v4();
    let person =
        put(1, "person", lena_person, 0, now_ms(), json!({ "name": "Lena", "roles": ["board_member"] }));
    assert_eq!(push_one(app, &p.staff, person).await.status, MutationStatus::Applied);
    let (status, body) = p.patch_user("lena", json!({ "person_id": lena_person })).await;
    assert_eq!((status, &body["person_id"]), (StatusCode::OK, &json!(lena_person)));

    let idea = Uuid::new_v4();
    let mut fields = idea_fields("070-444 55 66");
    fields["captured_by_person_id"] = json!(lena_person);
    assert_eq!(
        push_one(app, &p.staff, put(1, "idea", idea, 0, now_ms(), fields)).await.status,
        MutationStatus::Applied
    );
    // Linking ended Lena's logins (what she may see changed): she logs in again.
    assert_eq!(app.get("/api/v1/auth/sessions", Some(&p.lena)).await.status(), StatusCode::UNAUTHORIZED);
    let lena = app.token_for("lena", PASSWORD).await;
    assert_eq!(pulled(app, &lena, idea).await.fields["contact_info"], "070-444 55 66");

    // A change that does not name the person leaves the link, and the login.
    let (status, body) = p.patch_user("lena", json!({ "display_name": "Lena L" })).await;
    assert_eq!((status, &body["person_id"]), (StatusCode::OK, &json!(lena_person)));
    assert_eq!(app.get("/api/v1/auth/sessions", Some(&lena)).await.status(), StatusCode::OK);
    // `null` unlinks it, and with it goes what the person could see.
    let (status, body) = p.patch_user("lena", json!({ "person_id": null })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("person_id").is_none_or(Value::is_null), "{body}");
    assert_eq!(p.user("lena").await.person_id, None);
    assert_eq!(app.get("/api/v1/auth/sessions", Some(&lena)).await.status(), StatusCode::UNAUTHORIZED);
    let lena = app.token_for("lena", PASSWORD).await;
    assert!(!pulled(app, &lena, idea).await.fields.contains_key("contact_info"));
    // A person id that is not a UUID is a plain 400.
    let id = p.user("lena").await.id;
    let res = app
        .send(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&p.admin), Some(json!({ "person_id": 5 })))
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "person_id").await;
}

#[tokio::test]
async fn a_private_persons_email_and_phone_reach_staff_but_not_the_board() {
    let p = people().await;
    let app = &p.app;
    let (kim, bo) = (Uuid::new_v4(), Uuid::new_v4());
    let mutations = json!([
        put(
            1,
            "person",
            kim,
            0,
            now_ms(),
            json!({ "name": "Kim Projektägare", "roles": ["former_project_owner"],
                                                   "email": "kim@example.se", "phone": "073-999 88 77" })
        ),
        put(
            2,
            "person",
            bo,
            0,
            now_ms(),
            json!({ "name": "Bo Styrelse", "roles": ["board_member"],
                                                  "email": "bo@example.se" })
        ),
    ]);
    app.push(&p.staff, Uuid::new_v4(), mutations).await;

    let as_board = pulled(app, &p.bo, kim).await;
    assert_eq!(as_board.fields["name"], "Kim Projektägare");
    assert!(
        !as_board.fields.contains_key("email") && !as_board.fields.contains_key("phone"),
        "{:?}",
        as_board.fields
    );
    assert_eq!(
        pulled(app, &p.bo, bo).await.fields["email"],
        "bo@example.se",
        "a board member's is not private"
    );
    let as_staff = pulled(app, &p.staff, kim).await;
    assert_eq!(
        (&as_staff.fields["email"], &as_staff.fields["phone"]),
        (&json!("kim@example.se"), &json!("073-999 88 77"))
    );
}

#[tokio::test]
async fn a_contact_without_consent_is_refused_with_the_reason() {
    let p = people().await;
    let mut fields = idea_fields("070-1");
    fields["consent"] = json!(false);
    let result = push_one(&p.app, &p.bo, put(1, "idea", Uuid::new_v4(), 0, now_ms(), fields)).await;
    assert_eq!((result.status, result.code), (MutationStatus::Rejected, Some(RejectCode::InvalidField)));
    assert!(result.reason.as_deref().is_some_and(|r| r.contains("consent")), "{result:?}");
}

/// Sweeps a stopped server's data directory as of `today` (the injected clock).
pub(crate) fn sweep_stopped(data: &tempfile::TempDir, today: Date) -> Swept {
    std::thread::scope(|s| {
        s.spawn(|| {
            // A stopped server's last connection tasks may hold sled's lock a moment longer.
            let store = (0..50)
                .find_map(|_| {
                    SledStore::open(data.path(), 8 << 20)
                        .inspect_err(|_| std::thread::sleep(std::time::Duration::from_millis(100)))
                        .ok()
                })
                .expect("the store opens");
            let swept = retention::sweep(&store, today, now_ms()).expect("the sweep runs");
            let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
            rt.block_on(store.flush()).expect("flushed");
            swept
        })
        .join()
        .expect("the sweep thread")
    })
}

/// The server's today (UTC), and days and months from it.
pub(crate) fn today() -> Date {
    retention::today()
}

/// `d` plus `months` (to the month's last day when it is shorter, as the retention counts) and
/// then `days`.
pub(crate) fn plus(d: Date, months: i32, days: u32) -> Date {
    let text = d.to_string();
    let n = |r: std::ops::Range<usize>| text[r].parse::<i32>().unwrap();
    let total = n(0..4) * 12 + n(5..7) - 1 + months;
    let (y, m) = (total / 12, (total % 12 + 1) as u32);
    let mut out = (1..=n(8..10) as u32).rev().find_map(|day| Date::from_ymd(y, m, day)).unwrap();
    for _ in 0..days {
        out = Date(out.0.succ_opt().unwrap());
    }
    out
}

fn minus_day(d: Date) -> Date {
    Date(d.0.pred_opt().unwrap())
}

#[tokio::test]
async fn a_closed_ideas_contact_is_removed_on_its_day_from_record_history_and_conflicts() {
    let p = people().await;
    let app = &p.app;
    let (old, recent) = (Uuid::new_v4(), Uuid::new_v4());
    let declined = |info: &str, on: &str| {
        let mut f = idea_fields(info);
        f["stage"] = json!("declined");
        f["stage_reached_on"] = json!({ "idea": "2023-11-01", "declined": on });
        f
    };
    // Declined long ago by its own day, but the server saw it declined today: the months count
    // from today. The other names tomorrow (the latest day a push takes): it counts from then.
    let tomorrow = plus(today(), 0, 1);
    app.push(
        &p.staff,
        Uuid::new_v4(),
        json!([
            put(1, "idea", old, 0, now_ms(), declined("070-123 45 67", "2024-01-10")),
            put(2, "idea", recent, 0, now_ms(), declined("070-765 43 21", &tomorrow.to_string())),
        ]),
    )
    .await;
    // Two staff devices change the contact at once: a conflict holds both values, and the
    // history holds the one that won.
    let stale_rev = pulled(app, &p.staff, old).await.rev;
    let at = now_ms();
    let first = put(1, "idea", old, stale_rev, at, json!({ "contact_info": "greta@example.se" }));
    let second = put(1, "idea", old, stale_rev, at - 60_000, json!({ "contact_info": "greta.p@example.se" }));
    assert_eq!(push_one(app, &p.staff, first).await.status, MutationStatus::Applied);
    assert_eq!(push_one(app, &p.staff, second).await.status, MutationStatus::Conflict);
    let conflict = app
        .snapshot(&p.staff)
        .await
        .into_values()
        .find(|r| r.kind == Kind::Conflict && r.fields["target_id"] == json!(old))
        .expect("a conflict about the contact");
    assert_eq!(conflict.fields["field"], "contact_info");
    let cursor = app.version().await;

    // The injected clock: declined today by the server's date, kept 24 months.
    let due = plus(today(), 24, 0);
    let data = p.app.stop().await;
    assert_eq!(sweep_stopped(&data, minus_day(due)), Swept { version: cursor, ..Swept::default() });
    let swept = sweep_stopped(&data, due);
    assert_eq!((swept.contacts_removed, swept.conflicts_scrubbed), (1, 1));
    let app = start_on(data).await;

    // Devices pull the removal as new versions.
    let page = app.pull(&p.staff, Uuid::new_v4(), cursor, 100).await;
    let ids: Vec<Uuid> = page.records.iter().map(|r| r.id).collect();
    assert!(ids.contains(&old) && ids.contains(&conflict.id), "{ids:?}");
    let idea = pulled(&app, &p.admin, old).await;
    assert!(!idea.fields.contains_key("contact_name") && !idea.fields.contains_key("contact_info"));
    assert_eq!(idea.fields["title"], "Bygdegårdens kök");
    assert_eq!(idea.fields["consent"], false, "consent goes with the contact");
    let (changes, text) = history(&app, &p.admin, old).await;
    for value in ["Greta Persson", "070-123 45 67", "greta@example.se", "greta.p@example.se"] {
        assert!(!text.contains(value), "«{value}» left in the history: {text}");
    }
    let newest = &changes.changes[0];
    assert_eq!(newest.by, "Tavla");
    assert_eq!(
        Value::Object(newest.fields.clone()),
        json!({ "contact_name": null, "contact_info": null, "consent": false })
    );
    let scrubbed = pulled(&app, &p.admin, conflict.id).await;
    assert_eq!(
        (&scrubbed.fields["kept_value"], &scrubbed.fields["lost_value"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(scrubbed.fields["resolved"], true);
    let text = serde_json::to_string(&app.snapshot(&p.admin).await).unwrap();
    for value in ["greta@example.se", "greta.p@example.se", "070-123 45 67"] {
        assert!(!text.contains(value), "«{value}» left in a record");
    }
    assert_eq!(pulled(&app, &p.admin, recent).await.fields["contact_info"], "070-765 43 21", "not yet due");

    // A device offline since before the removal sends its edit of the contact: the consent
    // rule refuses it, so the contact does not come back.
    let stale = put(1, "idea", old, stale_rev, at - 30_000, json!({ "contact_info": "greta@gammal.se" }));
    let refused = push_one(&app, &p.staff, stale).await;
    assert_eq!((refused.status, refused.code), (MutationStatus::Rejected, Some(RejectCode::InvalidField)));
    assert!(refused.reason.as_deref().is_some_and(|r| r.contains("consent")), "{refused:?}");
    assert!(!pulled(&app, &p.admin, old).await.fields.contains_key("contact_info"));

    // An admin shortens the wait to a month: the idea declined tomorrow goes a month after.
    let settings =
        put(1, "settings", SETTINGS_ID, 0, now_ms(), json!({ "idea_contact_retention_months": 1 }));
    assert_eq!(push_one(&app, &p.admin, settings).await.status, MutationStatus::Applied);
    let due = plus(tomorrow, 1, 0);
    let data = app.stop().await;
    assert_eq!(sweep_stopped(&data, minus_day(due)).contacts_removed, 0);
    assert_eq!(sweep_stopped(&data, due).contacts_removed, 1);
    let app = start_on(data).await;
    assert!(!pulled(&app, &p.admin, recent).await.fields.contains_key("contact_info"));
}

#[tokio::test]
async fn a_clients_early_or_missing_date_never_brings_the_removal_forward() {
    let p = people().await;
    let app = &p.app;
    let (hostile, undated) = (Uuid::new_v4(), Uuid::new_v4());
    let mut undated_fields = idea_fields("070-222 33 44");
    undated_fields["captured_on"] = json!("2020-01-01");
    app.push(
        &p.anna,
        Uuid::new_v4(),
        json!([
            put(1, "idea", hostile, 0, now_ms(), idea_fields("070-111 22 33")),
            put(2, "idea", undated, 0, now_ms(), undated_fields),
        ]),
    )
    .await;
    // Bo, who cannot see either contact, declines both: one "in 2000", one without a day.
    let (h, u) = (pulled(app, &p.bo, hostile).await.rev, pulled(app, &p.bo, undated).await.rev);
    let early = json!({ "stage": "declined", "stage_reached_on": { "declined": "2000-01-01" } });
    assert_eq!(
        push_one(app, &p.bo, put(1, "idea", hostile, h, now_ms(), early)).await.status,
        MutationStatus::Applied
    );
    let bare = json!({ "stage": "declined" });
    assert_eq!(
        push_one(app, &p.bo, put(1, "idea", undated, u, now_ms(), bare)).await.status,
        MutationStatus::Applied
    );

    // Both count from the server's day of the change, today.
    let due = plus(today(), 24, 0);
    let data = p.app.stop().await;
    assert_eq!(sweep_stopped(&data, today()).contacts_removed, 0);
    assert_eq!(sweep_stopped(&data, minus_day(due)).contacts_removed, 0);
    let app = start_on(data).await;
    for id in [hostile, undated] {
        assert!(pulled(&app, &p.admin, id).await.fields.contains_key("contact_info"), "kept");
    }
    let data = app.stop().await;
    assert_eq!(sweep_stopped(&data, due).contacts_removed, 2);
}

#[tokio::test]
async fn a_stage_day_after_tomorrow_is_refused() {
    let p = people().await;
    let app = &p.app;
    let fields = |on: Date| {
        let mut f = idea_fields("070-1");
        f["stage"] = json!("declined");
        f["stage_reached_on"] = json!({ "declined": on.to_string() });
        f
    };
    let far = put(1, "idea", Uuid::new_v4(), 0, now_ms(), fields(plus(today(), 0, 2)));
    let refused = push_one(app, &p.staff, far).await;
    assert_eq!((refused.status, refused.code), (MutationStatus::Rejected, Some(RejectCode::InvalidField)));
    assert!(refused.reason.as_deref().is_some_and(|r| r.contains("future")), "{refused:?}");
    let tomorrow = put(1, "idea", Uuid::new_v4(), 0, now_ms(), fields(plus(today(), 0, 1)));
    assert_eq!(push_one(app, &p.staff, tomorrow).await.status, MutationStatus::Applied);
}

#[tokio::test]
async fn a_new_role_ends_the_accounts_logins() {
    let p = people().await;
    let app = &p.app;
    assert_eq!(app.get("/api/v1/auth/sessions", Some(&p.anna)).await.status(), StatusCode::OK);
    let (status, body) = p.patch_user("anna", json!({ "role": "staff" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.get("/api/v1/auth/sessions", Some(&p.anna)).await.status(), StatusCode::UNAUTHORIZED);
    let anna = app.token_for("anna", PASSWORD).await;
    assert_eq!(app.get("/api/v1/auth/sessions", Some(&anna)).await.status(), StatusCode::OK);
    // The same role again changes nothing, and ends nothing.
    assert_eq!(p.patch_user("anna", json!({ "role": "staff" })).await.0, StatusCode::OK);
    assert_eq!(app.get("/api/v1/auth/sessions", Some(&anna)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_admin_finds_everything_held_about_one_person_and_nobody_else_can() {
    let p = people().await;
    let app = &p.app;
    let (person, idea, other) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    app.push(
        &p.staff,
        Uuid::new_v4(),
        json!([
            put(
                1,
                "person",
                person,
                0,
                now_ms(),
                json!({ "name": "Kim Projektägare", "roles": ["former_project_owner"],
                                                          "email": "Kim.Ek@Example.se" })
            ),
            put(2, "idea", idea, 0, now_ms(), idea_fields("070-123 45 67")),
            put(3, "idea", other, 0, now_ms(), idea_fields("073-000 00 00")),
            put(
                4,
                "comment",
                Uuid::new_v4(),
                0,
                now_ms(),
                json!({ "target_kind": "idea", "target_id": idea, "text": "Ring henne i maj" })
            ),
            put(
                5,
                "comment",
                Uuid::new_v4(),
                0,
                now_ms(),
                json!({ "target_kind": "idea", "target_id": other, "text": "Inte denna" })
            ),
        ]),
    )
    .await;
    let search = |q: &str, token: &str| {
        let path = format!("/api/v1/privacy/search?q={}", urlencode(q));
        let token = token.to_string();
        async move { app.get(&path, Some(&token)).await }
    };

    let res = search("kim.ek@example", &p.admin).await;
    assert_eq!(res.status(), StatusCode::OK);
    let found: PrivacySearchResponse = res.json().await.unwrap();
    assert_eq!(found.query, "kim.ek@example");
    assert!(found.generated_at > 0);
    let people: Vec<Uuid> = found.people.iter().map(|f| f.record.id).collect();
    assert_eq!(people, [person]);
    assert!(found.ideas.is_empty());
    assert_eq!(found.people[0].record.fields["email"], "Kim.Ek@Example.se", "the export holds it all");

    // The phone number as the person says it, without spaces or dashes.
    let found: PrivacySearchResponse = search(" 0701234567 ", &p.admin).await.json().await.unwrap();
    let ideas: Vec<Uuid> = found.ideas.iter().map(|f| f.record.id).collect();
    assert_eq!(ideas, [idea]);
    assert_eq!(found.ideas[0].history.len(), 1, "with its history");
    let comments: Vec<&Value> = found.comments.iter().map(|c| &c.fields["text"]).collect();
    assert_eq!(comments, [&json!("Ring henne i maj")]);

    // A value only in an idea's history, and one only in a conflict, are found too.
    let (changed, contested) = (Uuid::new_v4(), Uuid::new_v4());
    app.push(
        &p.staff,
        Uuid::new_v4(),
        json!([
            put(1, "idea", changed, 0, now_ms(), idea_fields("073-2")),
            put(2, "idea", contested, 0, now_ms(), idea_fields("073-1")),
        ]),
    )
    .await;
    // A creation's history lists no values: the number is only in the history once changed.
    for info in ["070-555 11 22", "ny@example.se"] {
        let rev = pulled(app, &p.staff, changed).await.rev;
        let edit = put(1, "idea", changed, rev, now_ms(), json!({ "contact_info": info }));
        assert_eq!(push_one(app, &p.staff, edit).await.status, MutationStatus::Applied);
    }
    let rev = pulled(app, &p.staff, contested).await.rev;
    let at = now_ms();
    let won = put(1, "idea", contested, rev, at, json!({ "contact_info": "vann@example.se" }));
    let lost = put(1, "idea", contested, rev, at - 60_000, json!({ "contact_info": "förlorad@example.se" }));
    assert_eq!(push_one(app, &p.staff, won).await.status, MutationStatus::Applied);
    assert_eq!(push_one(app, &p.staff, lost).await.status, MutationStatus::Conflict);

    let found: PrivacySearchResponse = search("0705551122", &p.admin).await.json().await.unwrap();
    let ideas: Vec<Uuid> = found.ideas.iter().map(|f| f.record.id).collect();
    assert_eq!(ideas, [changed], "found in the history");
    assert!(serde_json::to_string(&found.ideas[0].history).unwrap().contains("070-555 11 22"));
    let found: PrivacySearchResponse = search("FÖRLORAD@", &p.admin).await.json().await.unwrap();
    let kinds: Vec<(Kind, Uuid)> = found.ideas.iter().map(|f| (f.record.kind, f.record.id)).collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    assert!(kinds.contains(&(Kind::Idea, contested)), "the idea it is about: {kinds:?}");
    let conflict = found.ideas.iter().find(|f| f.record.kind == Kind::Conflict).expect("the conflict");
    assert_eq!(conflict.record.fields["lost_value"], "förlorad@example.se");

    // A partner's contact and a dialogue naming her in its participants are personal data too.
    let (partner, dialogue) = (Uuid::new_v4(), Uuid::new_v4());
    app.push(
        &p.staff,
        Uuid::new_v4(),
        json!([
            put(1, "partner", partner, 0, now_ms(), json!({ "name": "Vingåkers bygdegård", "type": "civil_society",
                "contacts": [{ "name": "Greta Lund", "role": "ordförande", "email": "greta.lund@example.se" }] })),
            put(2, "dialogue", dialogue, 0, now_ms(), json!({ "partner_id": partner, "date": "2026-11-02",
                "channel": "visit", "summary": "Besök i bygdegården", "participants": "Greta Lund och kassören" })),
        ]),
    )
    .await;
    let found: PrivacySearchResponse = search("greta lund", &p.admin).await.json().await.unwrap();
    let mut partners: Vec<(Kind, Uuid)> =
        found.partners.iter().map(|f| (f.record.kind, f.record.id)).collect();
    partners.sort();
    assert_eq!(partners, [(Kind::Partner, partner), (Kind::Dialogue, dialogue)]);
    assert!(found.people.is_empty() && found.ideas.is_empty());
    let found: PrivacySearchResponse = search("greta.lund@", &p.admin).await.json().await.unwrap();
    assert_eq!(found.partners.len(), 1, "the e-mail inside the contacts list");

    assert_error(search("kim", &p.staff).await, StatusCode::FORBIDDEN, "only admins").await;
    assert_error(search("kim", &p.bo).await, StatusCode::FORBIDDEN, "only admins").await;
    assert_error(search(" k ", &p.admin).await, StatusCode::BAD_REQUEST, "2 to 100 characters").await;
    assert_error(search(&"k".repeat(101), &p.admin).await, StatusCode::BAD_REQUEST, "2 to 100 characters")
        .await;
    assert_error(app.get("/api/v1/privacy/search", Some(&p.admin)).await, StatusCode::BAD_REQUEST, "q").await;
}

/// `q` as a query value (spaces, `@`, `+`).
fn urlencode(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
