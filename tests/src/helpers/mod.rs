//! Starting a server for a test, and calling its API.

pub mod browser;

use std::path::PathBuf;

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use tavla_server::config::Config;
use tavla_server::startup::{Application, FIRST_ADMIN};

use tavla_shared::values::Role;
use tavla_shared::wire::{LoginResponse, PullResponse, PushResponse, Record};
use tavla_shared::Kind;
use uuid::Uuid;

/// The first admin's password in every test server.
pub const ADMIN_PASSWORD: &str = "provlösenord-för-test";

/// A running server with its own temporary data directory (removed when dropped).
pub struct TestApp {
    pub base: String,
    pub addr: std::net::SocketAddr,
    pub http: reqwest::Client,
    pub data: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// Where the built SPA is: `TAVLA_DIST` (set by `cargo xtask test`) or `<workspace>/dist`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("TAVLA_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

/// Starts a server on a free port with a new data directory.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with the configuration adjusted first (e.g. a short session).
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let data = tempfile::tempdir().expect("temporary directory");
    start_configured(data, "127.0.0.1:0".parse().expect("an address"), adjust).await
}

/// Starts a server whose data directory also holds these accounts (user name, role,
/// password), added the way an admin adds them while the server is stopped.
pub async fn spawn_app_with_users(users: &[(&str, Role, &str)]) -> TestApp {
    let data = spawn_app().await.stop().await;
    for (name, role, password) in users {
        add_user(&data, name, *role, password);
    }
    start_on(data).await
}

/// Starts a server on an existing data directory (e.g. after `stop`).
pub async fn start_on(data: tempfile::TempDir) -> TestApp {
    start_at(data, "127.0.0.1:0".parse().expect("an address")).await
}

/// Starts a server on a data directory at a given address: the same address as before keeps
/// the browser's origin, and with it its service worker and IndexedDB.
pub async fn start_at(data: tempfile::TempDir, addr: std::net::SocketAddr) -> TestApp {
    start_configured(data, addr, |_| {}).await
}

/// Like `start_at`, with the configuration adjusted first (e.g. another build of the SPA).
pub async fn start_at_with(
    data: tempfile::TempDir,
    addr: std::net::SocketAddr,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    start_configured(data, addr, adjust).await
}

async fn start_configured(
    data: tempfile::TempDir,
    addr: std::net::SocketAddr,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    let mut config = Config::for_data(data.path().to_path_buf());
    config.addr = addr;
    config.dist = dist_dir();
    config.admin_password = Some(ADMIN_PASSWORD.to_string());
    // Admins work without two-step verification in tests, unless a test asks for the default.
    config.admin_second_factor_optional = true;
    adjust(&mut config);
    // A stopped server's last connection tasks may hold sled's lock a moment longer.
    let mut tries = 0;
    let app = loop {
        match Application::build(config.clone()).await {
            Ok(app) => break app,
            Err(tavla_server::startup::StartupError::Open { .. }) if tries < 50 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("server starts: {e}"),
        }
    };
    let addr = app.local_addr();
    let base = format!("http://{addr}");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(app.run_until_stopped(async {
        let _ = rx.await;
    }));
    TestApp { base, addr, http: reqwest::Client::new(), data, shutdown: Some(tx), handle: Some(handle) }
}

impl TestApp {
    /// Stops the server gracefully (sled flushed) and hands back its data directory.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.expect("server task").expect("server stopped cleanly");
        }
        let tmp = tempfile::tempdir().expect("temporary directory");
        std::mem::replace(&mut self.data, tmp)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post_login(&self, username: &str, password: &str) -> Response {
        self.http
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request sent")
    }

    /// Logs in and returns the token (expects success).
    pub async fn token_for(&self, username: &str, password: &str) -> String {
        let res = self.post_login(username, password).await;
        assert_eq!(res.status(), StatusCode::OK, "{username} logs in");
        res.json::<LoginResponse>().await.expect("login answer").token
    }

    /// Sends a JSON request with a method, path, optional token and body.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request sent")
    }

    /// Logs in as the first admin and returns the token.
    pub async fn admin_token(&self) -> String {
        let res = self.post_login(FIRST_ADMIN, ADMIN_PASSWORD).await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json::<LoginResponse>().await.expect("login answer").token
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request sent")
    }

    pub async fn pull(&self, token: &str, client_id: Uuid, cursor: u64, limit: usize) -> PullResponse {
        let res = self
            .get(
                &format!("/api/v1/sync/pull?client_id={client_id}&cursor={cursor}&limit={limit}"),
                Some(token),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "pull answers 200");
        let next = res
            .headers()
            .get(tavla_shared::protocol::NEXT_CURSOR_HEADER)
            .map(|v| v.to_str().expect("a text header").to_string());
        let page: PullResponse = res.json().await.expect("pull answer");
        // Every pull: the header names the next page's cursor exactly when there is one.
        assert_eq!(next, page.more.then(|| page.cursor.to_string()), "the next-cursor header");
        page
    }

    /// Every record, pulled from 0 in pages of `limit`; returns the records and the pages' cursors.
    pub async fn pull_all(&self, token: &str, limit: usize) -> (Vec<Record>, Vec<u64>) {
        let client = Uuid::new_v4();
        let (mut cursor, mut records, mut cursors) = (0, Vec::new(), Vec::new());
        loop {
            let page = self.pull(token, client, cursor, limit).await;
            assert!(page.records.len() <= limit, "a page never exceeds its limit");
            records.extend(page.records);
            cursor = page.cursor;
            cursors.push(cursor);
            if !page.more {
                return (records, cursors);
            }
        }
    }
}

impl TestApp {
    /// Sends a push; the body is any JSON, so tests can send broken ones too.
    pub async fn push_raw(&self, token: &str, body: &Value) -> Response {
        self.http
            .post(self.url("/api/v1/sync/push"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// Pushes `mutations` (JSON) as `client_id` and expects 200.
    pub async fn push(&self, token: &str, client_id: Uuid, mutations: Value) -> PushResponse {
        let res = self.push_raw(token, &json!({ "client_id": client_id, "mutations": mutations })).await;
        assert_eq!(res.status(), StatusCode::OK, "push answers 200");
        res.json().await.expect("push answer")
    }

    /// Every record by id.
    pub async fn snapshot(&self, token: &str) -> HashMap<Uuid, Record> {
        self.pull_all(token, 5000).await.0.into_iter().map(|r| (r.id, r)).collect()
    }

    /// The global version, from the health endpoint.
    pub async fn version(&self) -> u64 {
        let body: Value = self.get("/api/v1/health", None).await.json().await.expect("health answer");
        body["version"].as_u64().expect("a version")
    }
}

/// The first record of `kind` whose field `field` contains `words`.
pub fn find(records: &HashMap<Uuid, Record>, kind: Kind, field: &str, words: &str) -> Record {
    records
        .values()
        .find(|r| r.kind == kind && r.fields[field].as_str().is_some_and(|t| t.contains(words)))
        .cloned()
        .unwrap_or_else(|| panic!("no {kind} with {field} containing «{words}»"))
}

/// The one record of `kind` (e.g. the programme's funds).
pub fn only(records: &HashMap<Uuid, Record>, kind: Kind) -> Record {
    let mut of_kind = records.values().filter(|r| r.kind == kind);
    let record = of_kind.next().unwrap_or_else(|| panic!("no {kind} record")).clone();
    assert!(of_kind.next().is_none(), "more than one {kind} record");
    record
}

/// Adds an account directly in a stopped server's data directory.
pub fn add_user(data: &tempfile::TempDir, username: &str, role: Role, password: &str) {
    // A stopped server's last connection tasks may hold sled's lock a moment longer.
    let mut tries = 0;
    let store = loop {
        match tavla_server::store::SledStore::open(data.path(), 8 << 20) {
            Ok(store) => break store,
            Err(_) if tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) => panic!("store opens: {e}"),
        }
    };
    let new = tavla_server::accounts::NewAccount {
        username: username.to_string(),
        display_name: username.to_string(),
        role,
        password: password.to_string(),
        person_id: None,
    };
    tavla_server::accounts::create_blocking(&store, new).expect("user added");
    futures_block_on_flush(&store);
}

fn futures_block_on_flush(store: &tavla_server::store::SledStore) {
    use tavla_server::store::Store;
    // Called from async tests: flush on a helper thread with its own runtime.
    std::thread::scope(|s| {
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
            rt.block_on(store.flush()).expect("flushed");
        });
    });
}

/// Asserts an error answer: the status, and a JSON body with a code and plain words.
pub async fn assert_error(res: Response, status: StatusCode, words: &str) {
    assert_eq!(res.status(), status);
    let body: Value = res.json().await.expect("error body is JSON");
    let message = body["message"].as_str().expect("error has a message");
    assert!(body["error"].is_string(), "error has a code: {body}");
    assert!(message.contains(words), "«{words}» in «{message}»");
}
