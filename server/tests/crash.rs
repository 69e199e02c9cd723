//! Durability under SIGKILL (sync protocol guarantees 2 and 3): the real `tavla` binary is killed
//! at a random moment during a stream of pushes, 20 times over, on the same data directory.
//! After every restart each acknowledged mutation is there, and the store is consistent.
//!
//! This test lives in the server crate because it needs the binary (`CARGO_BIN_EXE_tavla`).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::{json, Value};
use uuid::Uuid;

const PASSWORD: &str = "krasch-test-lösenord";
const CYCLES: usize = 20;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn start(data: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(["--addr", &format!("127.0.0.1:{port}"), "--dist", "no-spa-needed"])
        .arg("--data")
        .arg(data)
        .env("TAVLA_ADMIN_PASSWORD", PASSWORD)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tavla starts")
}

async fn wait_healthy(http: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = http.get(format!("{base}/api/v1/health")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn login(http: &reqwest::Client, base: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": "admin", "password": PASSWORD }))
        .send()
        .await
        .expect("login answers");
    res.json::<Value>().await.expect("login JSON")["token"].as_str().expect("a token").to_string()
}

async fn snapshot(http: &reqwest::Client, base: &str, token: &str, client: Uuid) -> (Vec<Value>, u64) {
    let (mut cursor, mut records) = (0, Vec::new());
    loop {
        let page: Value = http
            .get(format!("{base}/api/v1/sync/pull?client_id={client}&cursor={cursor}&limit=5000"))
            .bearer_auth(token)
            .send()
            .await
            .expect("pull answers")
            .json()
            .await
            .expect("pull JSON");
        records.extend(page["records"].as_array().cloned().unwrap_or_default());
        cursor = page["cursor"].as_u64().expect("a cursor");
        if !page["more"].as_bool().unwrap_or(false) {
            return (records, page["last_mutation_id"].as_u64().expect("last_mutation_id"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_mutation_survives_sigkill() {
    let data = tempfile::tempdir().expect("data directory");
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let client = Uuid::new_v4();
    // What the server has acknowledged: the ideas created, and the funds added.
    let mut acked_ideas: Vec<Uuid> = Vec::new();
    let mut acked_granted: i64 = 0;
    let mut next_id: u64 = 1;
    let mut total_acked = 0;

    for cycle in 0..CYCLES {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = start(data.path(), port);
        wait_healthy(&http, &base).await;
        let token = login(&http, &base).await;

        // Check everything acknowledged so far is there.
        let (records, last) = snapshot(&http, &base, &token, client).await;
        let ids: std::collections::HashSet<String> =
            records.iter().filter_map(|r| r["id"].as_str().map(String::from)).collect();
        for idea in &acked_ideas {
            assert!(ids.contains(&idea.to_string()), "cycle {cycle}: acknowledged idea {idea} is missing");
        }
        let funds = records.iter().find(|r| r["kind"] == "funds").expect("the funds record");
        let granted = funds["fields"]["granted_sek"].as_i64().unwrap_or(0);
        assert!(granted >= acked_granted, "cycle {cycle}: granted {granted} < acknowledged {acked_granted}");
        assert!(
            last + 1 >= next_id,
            "cycle {cycle}: last_mutation_id {last} behind acknowledged {}",
            next_id - 1
        );
        // Mutations applied but not acknowledged before the kill are counted by the server;
        // resuming after its last_mutation_id is what a real client does (they are never re-sent).
        next_id = last + 1;
        acked_granted = granted;
        let funds_id = funds["id"].as_str().expect("funds id").to_string();

        // Push until killed at a random moment.
        let kill_after = Duration::from_millis(rand::thread_rng().gen_range(30..300));
        let started = Instant::now();
        while started.elapsed() < kill_after {
            let idea = Uuid::new_v4();
            let body = json!({ "client_id": client, "mutations": [
                { "id": next_id, "kind": "idea", "entity_id": idea, "op": "put", "base_rev": 0, "at": 1,
                  "fields": { "title": format!("Idé {next_id}"), "stage": "idea", "captured_on": "2026-11-27" } },
                { "id": next_id + 1, "kind": "funds", "entity_id": funds_id, "op": "add",
                  "field": "granted_sek", "by": 1000, "at": 1 },
            ]});
            let res =
                http.post(format!("{base}/api/v1/sync/push")).bearer_auth(&token).json(&body).send().await;
            match res {
                Ok(r) if r.status().is_success() => {
                    let answer: Value = r.json().await.expect("push JSON");
                    assert_eq!(answer["last_mutation_id"], next_id + 1);
                    acked_ideas.push(idea);
                    acked_granted += 1000;
                    next_id += 2;
                    total_acked += 2;
                }
                _ => break,
            }
        }
        server.kill().expect("SIGKILL");
        server.wait().expect("the killed server is reaped");
    }
    assert!(total_acked >= 2 * CYCLES, "too few pushes were acknowledged to prove anything ({total_acked})");
}
