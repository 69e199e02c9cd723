//! Sync benchmarks (run by `cargo xtask bench`, which writes docs/BENCHMARKS.md): a release
//! server on a real port with sled on disk, driven over HTTP. Prints Markdown table rows.

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tavla_server::config::Config;
use tavla_server::startup::Application;
use tavla_server::store::{RecordWrite, SledStore, Store};
use tavla_shared::Kind;
use uuid::Uuid;

const PASSWORD: &str = "benchmark-lösenord";

struct Server {
    base: String,
    http: reqwest::Client,
    token: String,
    _data: tempfile::TempDir,
}

async fn start(data: tempfile::TempDir) -> Server {
    let mut config = Config::for_data(data.path().to_path_buf());
    config.admin_password = Some(PASSWORD.into());
    config.cache_mb = 64;
    let app = Application::build(config).await.expect("server starts");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login JSON");
    let token = login["token"].as_str().expect("token").to_string();
    Server { base, http, token, _data: data }
}

fn idea(n: u64) -> Value {
    json!({ "title": format!("Projektidé nummer {n} från en bygdegård"), "stage": "idea",
            "captured_on": "2026-11-27", "description": "En idé som fångades upp på en idéverkstad i Flen." })
}

fn mutations(client_first: u64, count: u64) -> Vec<Value> {
    (client_first..client_first + count)
        .map(|id| {
            json!({ "id": id, "kind": "idea", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0,
                          "at": 1, "fields": idea(id) })
        })
        .collect()
}

/// Acknowledged (flushed) mutations per second for pushes of `batch` mutations.
async fn push_rate(server: &Server, batch: u64, total: u64) -> (f64, Duration) {
    let client = Uuid::new_v4();
    let mut next = 1;
    let mut times = Vec::new();
    while next <= total {
        // Serialised before the clock starts: the client's work is not the server's.
        let body = serde_json::to_vec(&json!({ "client_id": client, "mutations": mutations(next, batch) }))
            .expect("json");
        let started = Instant::now();
        let res = server
            .http
            .post(format!("{}/api/v1/sync/push", server.base))
            .bearer_auth(&server.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("push");
        assert!(res.status().is_success());
        res.bytes().await.expect("answer");
        times.push(started.elapsed());
        next += batch;
    }
    let sum: Duration = times.iter().sum();
    times.sort();
    let median = times[times.len() / 2];
    ((next - 1) as f64 / sum.as_secs_f64(), median)
}

/// A bare sled batch insert of `count` records' JSON plus a flush: the floor for a push.
async fn bare_sled(count: u64) -> Duration {
    let dir = tempfile::tempdir().expect("dir");
    let db = sled::Config::new().path(dir.path()).cache_capacity(64 << 20).open().expect("sled");
    let mut runs = Vec::new();
    for round in 0..5 {
        let mut batch = sled::Batch::default();
        for i in 0..count {
            let record = json!({ "kind": "idea", "id": Uuid::new_v4(), "rev": round * count + i,
                                 "deleted": false, "fields": idea(i) });
            batch.insert(Uuid::new_v4().as_bytes().to_vec(), serde_json::to_vec(&record).expect("json"));
        }
        let started = Instant::now();
        db.apply_batch(batch).expect("batch");
        db.flush_async().await.expect("flush");
        runs.push(started.elapsed());
    }
    runs.sort();
    runs[runs.len() / 2]
}

fn gzip(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip").len()
}

#[tokio::main]
async fn main() {
    let mut rows: Vec<(String, String, String)> = Vec::new();

    // Push throughput.
    let server = start(tempfile::tempdir().expect("dir")).await;
    let mut push_1000 = Duration::ZERO;
    for (batch, total) in [(1u64, 300u64), (100, 3000), (1000, 10_000)] {
        let (rate, median) = push_rate(&server, batch, total).await;
        if batch == 1000 {
            push_1000 = median;
        }
        rows.push((
            format!("push, {batch} mutation(s) per push (flushed before 200)"),
            format!("{rate:.0} mutations/s; median push {:.1} ms", median.as_secs_f64() * 1000.0),
            "—".into(),
        ));
    }
    let bare = bare_sled(1000).await;
    let ratio = push_1000.as_secs_f64() / bare.as_secs_f64();
    rows.push((
        "1,000-mutation push vs bare sled batch + flush of the same records (one run, side by side)".into(),
        format!(
            "{:.1} ms vs {:.1} ms = {ratio:.2}x",
            push_1000.as_secs_f64() * 1000.0,
            bare.as_secs_f64() * 1000.0
        ),
        format!("within 2.5x: {}", if ratio <= 2.5 { "met" } else { "NOT met" }),
    ));

    // Pull: a full snapshot of 10,000 records.
    let data = tempfile::tempdir().expect("dir");
    {
        let store = SledStore::open(data.path(), 64 << 20).expect("store");
        let writes: Vec<RecordWrite> = (0..10_000u64)
            .map(|n| RecordWrite {
                kind: Kind::Idea,
                id: Uuid::new_v4(),
                deleted: false,
                fields: idea(n).as_object().cloned().unwrap_or_default(),
            })
            .collect();
        store.commit(writes).expect("commit");
        store.flush().await.expect("flush");
    }
    let server = start(data).await;
    let client = Uuid::new_v4();
    let mut times = Vec::new();
    let (mut wire, mut bare_json) = (0usize, 0usize);
    for _ in 0..7 {
        let started = Instant::now();
        let (mut cursor, mut records, mut gz) = (0u64, Vec::new(), 0usize);
        loop {
            let res = server
                .http
                .get(format!(
                    "{}/api/v1/sync/pull?client_id={client}&cursor={cursor}&limit=5000",
                    server.base
                ))
                .bearer_auth(&server.token)
                .header("accept-encoding", "gzip")
                .send()
                .await
                .expect("pull");
            assert_eq!(res.headers().get("content-encoding").map(|v| v.as_bytes()), Some(&b"gzip"[..]));
            let body = res.bytes().await.expect("body");
            gz += body.len();
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut text)
                .expect("gunzip");
            let page: Value = serde_json::from_slice(&text).expect("page");
            records.extend(page["records"].as_array().cloned().unwrap_or_default());
            cursor = page["cursor"].as_u64().expect("cursor");
            if !page["more"].as_bool().unwrap_or(false) {
                break;
            }
        }
        times.push(started.elapsed());
        wire = gz;
        bare_json = gzip(&serde_json::to_vec(&records).expect("json"));
        assert!(records.len() >= 10_000);
    }
    times.sort();
    let median = times[times.len() / 2];
    rows.push((
        "pull, full snapshot of 10,035 records (2 pages of 5,000), server + loopback".into(),
        format!("median {:.0} ms (of 7)", median.as_secs_f64() * 1000.0),
        format!("under 300 ms: {}", if median < Duration::from_millis(300) { "met" } else { "NOT met" }),
    ));
    let r = wire as f64 / bare_json as f64;
    rows.push((
        "pull, gzip bytes on the wire vs gzip of the bare record JSON".into(),
        format!("{wire} B vs {bare_json} B = {r:.2}x"),
        format!("within 1.2x: {}", if r <= 1.2 { "met" } else { "NOT met" }),
    ));

    for (what, measured, target) in rows {
        println!("| {what} | {measured} | {target} |");
    }
}
