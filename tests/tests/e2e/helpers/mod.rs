//! Starting a server for a test, and calling its API.

pub mod browser;

use std::path::PathBuf;

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use tavla_server::config::Config;
use tavla_server::startup::{Application, FIRST_ADMIN};
use tavla_shared::wire::{LoginResponse, PullResponse, Record};
use uuid::Uuid;

/// The first admin's password in every test server.
pub const ADMIN_PASSWORD: &str = "provlösenord-för-test";

/// A running server with its own temporary data directory (removed when dropped).
pub struct TestApp {
    pub base: String,
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
    let data = tempfile::tempdir().expect("temporary directory");
    start_on(data).await
}

/// Starts a server on an existing data directory (e.g. after `stop`).
pub async fn start_on(data: tempfile::TempDir) -> TestApp {
    let mut config = Config::for_data(data.path().to_path_buf());
    config.dist = dist_dir();
    config.admin_password = Some(ADMIN_PASSWORD.to_string());
    let app = Application::build(config).await.expect("server starts");
    let base = format!("http://{}", app.local_addr());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(app.run_until_stopped(async {
        let _ = rx.await;
    }));
    TestApp { base, http: reqwest::Client::new(), data, shutdown: Some(tx), handle: Some(handle) }
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
        res.json().await.expect("pull answer")
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

/// Asserts an error answer: the status, and a JSON body with a code and plain words.
pub async fn assert_error(res: Response, status: StatusCode, words: &str) {
    assert_eq!(res.status(), status);
    let body: Value = res.json().await.expect("error body is JSON");
    let message = body["message"].as_str().expect("error has a message");
    assert!(body["error"].is_string(), "error has a code: {body}");
    assert!(message.contains(words), "«{words}» in «{message}»");
}
