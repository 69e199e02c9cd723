//! Upgrades never lose data: data directories written by older releases — commit 9224b27's
//! (data format 1) and the release before data format 3 — kept as fixtures with the pull and a
//! record's history their own server served (`tests/fixtures/make-data-dir.sh`), are opened by
//! this release, upgraded in place, and serve the same. A SIGKILL during the upgrade leaves the
//! old format or the new, never a mix.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tavla_server::config::Config;
use tavla_server::startup::Application;
use tavla_server::store::{SledStore, Store};

const ADMIN_PASSWORD: &str = "fixtur-lösenord-admin";
const FIXTURES: [&str; 2] = ["data-9224b27", "data-format-2"];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The fixture's data directory, copied: an upgrade writes, the fixture stays as it was.
fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name).join("data"), dir.path());
    dir
}

async fn login(http: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "{username} logs in after the upgrade");
    res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
}

async fn pull_all(http: &reqwest::Client, base: &str, token: &str) -> Value {
    let url =
        format!("{base}/api/v1/sync/pull?client_id=00000000-0000-4000-8000-0000000000e1&cursor=0&limit=5000");
    let page: Value = http.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["more"], false);
    page["records"].clone()
}

#[tokio::test]
async fn a_data_directory_of_each_older_release_serves_the_same_after_the_upgrade() {
    for (name, format) in FIXTURES.into_iter().zip([None, Some(2)]) {
        let data = copy_of(name);
        // On a copy of its own: sled may hold a directory's lock a moment after it is closed.
        let (found, old_place) = raw_layout(copy_of(name).path());
        assert_eq!(found, format, "{name} is of the format it stands for");
        assert!(old_place > 70, "{name}: records where that format kept them");
        let mut config = Config::for_data(data.path().to_path_buf());
        config.admin_second_factor_optional = true;
        let app = Application::build(config).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        let base = format!("http://{}", app.local_addr());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        let http = reqwest::Client::new();
        let admin = login(&http, &base, "admin", ADMIN_PASSWORD).await;
        login(&http, &base, "kansli", "kansliets-fixturlösen").await;

        let expected = read_json(&fixture(name).join("pull.json"));
        let served = pull_all(&http, &base, &admin).await;
        assert_eq!(served, expected, "{name}: the same pull");
        assert!(
            served.as_array().unwrap().iter().any(|r| r["kind"] == "conflict"),
            "{name}: the conflict kept"
        );

        let id = std::fs::read_to_string(fixture(name).join("edited-activity-id")).unwrap();
        let history: Value = http
            .get(format!("{base}/api/v1/history/{}", id.trim()))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(history, read_json(&fixture(name).join("history.json")), "{name}: the same history");

        // Written on after the upgrade.
        let activity = served.as_array().unwrap().iter().find(|r| r["id"] == id.trim()).unwrap().clone();
        let push = json!({ "client_id": "00000000-0000-4000-8000-0000000000e2", "mutations": [
            { "id": 1, "kind": "activity", "entity_id": id.trim(), "op": "put", "base_rev": activity["rev"],
              "at": 1, "fields": { "notes": "Efter uppgraderingen" } } ] });
        let answer: Value = http
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&admin)
            .json(&push)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(answer["results"][0]["status"], "applied", "{name}: {answer}");
        let after = pull_all(&http, &base, &admin).await;
        assert_eq!(after.as_array().unwrap().len(), expected.as_array().unwrap().len());
        let edited = after.as_array().unwrap().iter().find(|r| r["id"] == id.trim()).unwrap();
        assert_eq!(edited["fields"]["notes"], "Efter uppgraderingen");

        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
        let store = SledStore::open(data.path(), 8 << 20).unwrap();
        assert_eq!(store.format().unwrap(), tavla_server::store::FORMAT);
    }
}

/// What a directory holds, read with sled directly: its format key and how many records sit
/// in the place formats 1 and 2 kept them.
fn raw_layout(path: &Path) -> (Option<u64>, usize) {
    let db = sled::open(path).unwrap();
    let format = db.get(b"f").unwrap().map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap()));
    (format, db.scan_prefix(b"r").count())
}

#[test]
fn a_kill_during_the_upgrade_leaves_the_old_format_or_the_new() {
    let expected = read_json(&fixture("data-format-2").join("pull.json"));
    let records = expected.as_array().unwrap().len();
    let (mut old, mut new) = (0, 0);
    for round in 0..20u64 {
        let data = copy_of("data-format-2");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tavla"))
            .args(["--addr", &format!("127.0.0.1:{port}"), "--dist", "no-spa-needed"])
            .arg("--data")
            .arg(data.path())
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // From just after the start to well after the upgrade.
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(round * 6) {
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Inspected on a copy: sled may hold a directory's lock a moment after it is closed.
        let probe = tempfile::tempdir().unwrap();
        copy_dir(data.path(), probe.path());
        match raw_layout(probe.path()) {
            (Some(2), n) if n == records => old += 1,
            (Some(3), 0) => new += 1,
            other => panic!("round {round}: a mix of formats: {other:?}"),
        }
        let store = SledStore::open(data.path(), 8 << 20).unwrap();
        let page = store.pull(0, 5000).unwrap();
        let served = serde_json::to_value(&page.records).unwrap();
        assert_eq!(served, expected, "round {round}: every record as before");
    }
    println!("killed during the upgrade 20 times: {old} left the old format, {new} the new");
}
