//! Backup and restore (issue 13): a backup of a server's data directory, restored into a new
//! one, serves exactly the same pull — records, versions, accounts — and nobody's login.

use reqwest::StatusCode;
use serde_json::json;
use tavla_shared::values::Role;
use uuid::Uuid;

use tavla_tests::helpers::{spawn_app_with_users, start_on};

#[tokio::test]
async fn a_restored_backup_serves_the_same_pull_and_no_old_login() {
    let app = spawn_app_with_users(&[("kansli", Role::Staff, "bygdegårdens-lösenord")]).await;
    let admin = app.admin_token().await;
    let staff = app.token_for("kansli", "bygdegårdens-lösenord").await;
    let res = app
        .push(
            &staff,
            Uuid::new_v4(),
            json!([{"id": 1, "kind": "event", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0, "at": 1,
                "fields": {"type": "workshop", "title": "Workshop i Flen", "date": "2026-11-25"}}]),
        )
        .await;
    assert_eq!(res.results[0].status, tavla_shared::wire::MutationStatus::Applied);
    let (before, cursors) = app.pull_all(&admin, 500).await;
    let data = app.stop().await;

    let file = tempfile::NamedTempFile::new().unwrap();
    let header = {
        let store = tavla_server::store::SledStore::open(data.path(), 8 << 20).unwrap();
        tavla_server::backup::write(&store, 1, std::fs::File::create(file.path()).unwrap()).unwrap()
    };
    // Into a new, empty directory.
    let restored = tempfile::tempdir().unwrap();
    tavla_server::backup::restore(std::fs::File::open(file.path()).unwrap(), restored.path(), 8 << 20)
        .unwrap();
    let app = start_on(restored).await;

    // Nobody's old login works; the accounts do.
    let res = app
        .get(&format!("/api/v1/sync/pull?client_id={}&cursor=0&limit=10", Uuid::new_v4()), Some(&admin))
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let admin = app.admin_token().await;
    let (after, after_cursors) = app.pull_all(&admin, 500).await;
    assert_eq!(after, before, "the same records at the same versions");
    assert_eq!(after_cursors, cursors);
    assert_eq!(app.version().await, header.version);
    app.token_for("kansli", "bygdegårdens-lösenord").await;
}

#[tokio::test]
async fn an_admin_downloads_a_backup_of_the_running_server_and_nobody_else_can() {
    let app = spawn_app_with_users(&[("kansli", Role::Staff, "bygdegårdens-lösenord")]).await;
    let admin = app.admin_token().await;
    let staff = app.token_for("kansli", "bygdegårdens-lösenord").await;
    assert_eq!(app.get("/api/v1/backup", None).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/backup", Some(&staff)).await.status(), StatusCode::FORBIDDEN);
    let res = app.get("/api/v1/backup", Some(&admin)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment; filename=\"tavla-"), "{disposition}");
    let bytes = res.bytes().await.unwrap();
    let (before, cursors) = app.pull_all(&admin, 500).await;

    let restored = tempfile::tempdir().unwrap();
    tavla_server::backup::restore(&bytes[..], restored.path(), 8 << 20).unwrap();
    let copy = start_on(restored).await;
    let admin = copy.admin_token().await;
    assert_eq!(copy.pull_all(&admin, 500).await, (before, cursors));
}

#[tokio::test]
async fn a_backup_key_opens_the_backup_and_nothing_else_until_revoked() {
    use tavla_shared::wire::{BackupKey, CreatedBackupKey};
    let app = spawn_app_with_users(&[("kansli", Role::Staff, "bygdegårdens-lösenord")]).await;
    let admin = app.admin_token().await;
    let staff = app.token_for("kansli", "bygdegårdens-lösenord").await;
    let create = |token: String, body: serde_json::Value| {
        let app = &app;
        async move { app.send(reqwest::Method::POST, "/api/v1/backup/keys", Some(&token), Some(body)).await }
    };
    assert_eq!(create(staff.clone(), json!({"name": "natt"})).await.status(), StatusCode::FORBIDDEN);
    tavla_tests::helpers::assert_error(
        create(admin.clone(), json!({"name": "  "})).await,
        StatusCode::BAD_REQUEST,
        "1 to 100 characters",
    )
    .await;
    let res = create(admin.clone(), json!({"name": "Nattlig backup"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: CreatedBackupKey = res.json().await.unwrap();
    assert_eq!((created.info.name.as_str(), created.info.created_by.as_str()), ("Nattlig backup", "admin"));

    // It opens the backup, without any login…
    let res = app.get("/api/v1/backup", Some(&created.key)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!res.bytes().await.unwrap().is_empty());
    // …and nothing else: not the records, not the accounts, not the keys.
    for path in [
        "/api/v1/sync/pull?client_id=7e6b3c1a-0000-4000-8000-000000000001&cursor=0&limit=10",
        "/api/v1/users",
        "/api/v1/backup/keys",
        "/api/v1/auth/me",
    ] {
        assert_eq!(app.get(path, Some(&created.key)).await.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let listed: Vec<BackupKey> = app.get("/api/v1/backup/keys", Some(&admin)).await.json().await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&created.info));
    let text = app.get("/api/v1/backup/keys", Some(&admin)).await.text().await.unwrap();
    assert!(!text.contains(&created.key), "the list never holds the key");

    // Revoked: gone at once.
    let path = format!("/api/v1/backup/keys/{}", created.info.id);
    assert_eq!(
        app.send(reqwest::Method::DELETE, &path, Some(&staff), None).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.send(reqwest::Method::DELETE, &path, Some(&admin), None).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get("/api/v1/backup", Some(&created.key)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.send(reqwest::Method::DELETE, &path, Some(&admin), None).await.status(),
        StatusCode::NOT_FOUND
    );
}
