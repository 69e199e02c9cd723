//! Password hashing cannot take the server's memory: 300 concurrent password changes with a
//! wrong current password — each one an argon2 check of 19 MiB — against the real `tavla`
//! binary, each from its own address so the login limits do not turn them away first. The
//! hashing turns (`accounts::hashing`) run a few at once, queue some and answer the rest 503
//! with Retry-After; the server's peak RSS (VmHWM) stays under 256 MB.
//!
//! Lives in the server crate because it needs the binary (`CARGO_BIN_EXE_tavla`), whose memory
//! it measures apart from the test's own.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PASSWORD: &str = "minnes-test-lösenord";
const CHANGES: usize = 300;
const PEAK_LIMIT_KB: u64 = 256 * 1024;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// The server's peak resident memory so far, in KiB.
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server's status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .expect("VmHWM in kB")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_concurrent_wrong_password_changes_keep_the_server_small() {
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_tavla"))
            .args(["--addr", &format!("127.0.0.1:{port}"), "--dist", "no-spa-needed"])
            .arg("--data")
            .arg(data.path())
            .env("TAVLA_ADMIN_PASSWORD", PASSWORD)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tavla starts"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let token = loop {
        let answer = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "username": "admin", "password": PASSWORD }))
            .send()
            .await;
        if let Ok(res) = answer {
            let body: Value = res.json().await.expect("login JSON");
            break body["token"].as_str().expect("a token").to_string();
        }
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let before = peak_rss_kb(server.0.id());

    let calls: Vec<_> = (0..CHANGES)
        .map(|n| {
            // 127.0.1.0 … 127.0.2.43: an address each, so no limit stops them before hashing.
            let address = std::net::IpAddr::from([127, 0, 1 + (n / 256) as u8, (n % 256) as u8]);
            let http = reqwest::Client::builder().local_address(address).build().expect("a client");
            let (url, token) = (format!("{base}/api/v1/auth/password"), token.clone());
            tokio::spawn(async move {
                let res = http
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({ "current_password": format!("fel gissning {n}"), "new_password": "ett nytt lösenord här" }))
                    .send()
                    .await
                    .expect("the server answers");
                (res.status().as_u16(), res.headers().contains_key("retry-after"))
            })
        })
        .collect();
    let (mut wrong, mut busy) = (0, 0);
    for call in calls {
        match call.await.unwrap() {
            (403, _) => wrong += 1,
            (503, true) => busy += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    let peak = peak_rss_kb(server.0.id());
    println!(
        "{CHANGES} concurrent wrong password changes: {wrong} checked (403), {busy} told to come back (503); peak RSS {} MB (before: {} MB)",
        peak / 1024,
        before / 1024
    );
    assert_eq!(wrong + busy, CHANGES);
    assert!(wrong > 0, "some were checked");
    assert!(peak < PEAK_LIMIT_KB, "peak RSS {peak} kB");
    // Still serving, and the password unchanged.
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": "admin", "password": PASSWORD }))
        .send()
        .await
        .expect("login answers");
    assert_eq!(res.status().as_u16(), 200);
}
