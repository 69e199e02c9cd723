//! Load benchmark (run by `cargo xtask bench`, which writes docs/BENCHMARKS.md): the real release
//! `tavla` binary, started with its default settings (its sled cache is whatever `--cache-mb`
//! defaults to, read from `tavla --help`), a store of about 10,000 records, and 50 simulated
//! devices working at once for 60 s (`TAVLA_LOAD_SECS` to shorten).
//!
//! Why: the other benchmarks time one request at a time. A board meeting is 50 people who log
//! in at once (each login an argon2 hash of 19 MiB), pull the whole plan, keep an event stream
//! open, and then pull and push small edits every few seconds. This measures what the server
//! does then: requests per second, p50/p99 latency per request type (login, pull page, push),
//! every error (any non-2xx answer or transport error, a 429 or 503 on login included), and the
//! server's peak resident memory (`VmHWM` from `/proc/<pid>/status`), against the targets of
//! no errors and at most 128 MiB.
//!
//! Each device is its own login and client id, and connects from its own loopback address
//! (127.0.0.2 …), as 50 phones would: the login limit per address (20 at once) is meant for an
//! office behind one address, not for 50 devices. Its loop: a pull from its cursor every 2–5 s
//! and a push of 1–5 edits every 3–8 s (both random), the edits being ones its role may make
//! (`shared/src/rules.rs`): board members edit ideas, write comments and record events; staff
//! edit activities, add to the programme's funds (a counter) and write comments. A push is
//! acknowledged as the protocol says: the device drops the edits up to the answer's
//! `last_mutation_id` and sends the others again.
//!
//! Prints Markdown table rows `| what | measured | target |`.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use uuid::Uuid;

const ADMIN_PASSWORD: &str = "lastprov-administratör";
const CLIENTS: usize = 50;
/// Every fifth device is staff, the others board members.
const STAFF_EVERY: usize = 5;
const SEED_RECORDS: u64 = 10_000;
const RSS_TARGET_MIB: f64 = 128.0;
/// Per-request limit of the simulated devices (the event stream has none).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// The binary's default sled cache in MiB, as its `--help` states it.
fn default_cache_mb() -> String {
    let help = Command::new(env!("CARGO_BIN_EXE_tavla")).arg("--help").output().expect("tavla --help");
    let help = String::from_utf8_lossy(&help.stdout);
    let after = help.split("--cache-mb").nth(1).unwrap_or("");
    after
        .split("[default: ")
        .nth(1)
        .and_then(|d| d.split(']').next())
        .map(str::to_string)
        .unwrap_or_else(|| "?".into())
}

/// Starts the binary with its default settings. `set_up` lets the admin manage accounts without
/// enrolling a second factor (`TAVLA_ADMIN_SECOND_FACTOR_OPTIONAL`); the measured server does
/// not, since no device there is an admin.
fn start(data: &std::path::Path, port: u16, admin_without_second_factor: bool) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tavla"));
    if admin_without_second_factor {
        cmd.env("TAVLA_ADMIN_SECOND_FACTOR_OPTIONAL", "true");
    }
    cmd.args(["--addr", &format!("127.0.0.1:{port}"), "--dist", "no-spa-needed"])
        .arg("--data")
        .arg(data)
        .env("TAVLA_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tavla starts")
}

async fn wait_healthy(http: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
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

/// `VmHWM` (peak) and `VmRSS` (now) of a process, in KiB.
fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<u64>().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// What the devices measured, shared between their tasks.
#[derive(Default)]
struct Stats {
    latencies: HashMap<&'static str, Vec<Duration>>,
    /// Error descriptions (e.g. `login 503`) and how often each happened.
    errors: HashMap<String, u64>,
    /// A device's first full pull, all pages.
    first_sync: Vec<Duration>,
    rejected: HashMap<String, u64>,
    mutations_acknowledged: u64,
}

struct Shared {
    stats: Mutex<Stats>,
    requests: AtomicU64,
    pokes: AtomicU64,
    /// Set when the window ends: event streams closing after it are not errors.
    over: AtomicBool,
}

impl Shared {
    fn ok(&self, what: &'static str, took: Duration) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.stats.lock().unwrap().latencies.entry(what).or_default().push(took);
    }

    fn error(&self, what: String) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        *self.stats.lock().unwrap().errors.entry(what).or_default() += 1;
    }
}

/// Sends a request, timing it to the end of its body; a non-2xx answer or a transport error
/// is counted as an error named `what` (and returned as `Err` with a Retry-After if any).
async fn call(
    shared: &Shared,
    what: &'static str,
    req: reqwest::RequestBuilder,
) -> Result<Value, Option<Duration>> {
    let started = Instant::now();
    let res = match req.timeout(REQUEST_TIMEOUT).send().await {
        Ok(res) => res,
        Err(e) => {
            shared.error(format!(
                "{what} transport error ({})",
                if e.is_timeout() { "timeout" } else { "other" }
            ));
            return Err(None);
        }
    };
    let status = res.status();
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = res.bytes().await;
    let took = started.elapsed();
    match body {
        Ok(body) if status.is_success() => {
            shared.ok(what, took);
            Ok(if body.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&body).unwrap_or(Value::Null)
            })
        }
        Ok(_) => {
            let extra = if retry_after.is_some() { " with Retry-After" } else { "" };
            shared.error(format!("{what} {}{extra}", status.as_u16()));
            Err(retry_after)
        }
        Err(_) => {
            shared.error(format!("{what} transport error (body)"));
            Err(None)
        }
    }
}

/// The records a device knows of, by kind, with the version it last saw of each.
#[derive(Default)]
struct Known {
    revs: HashMap<Uuid, u64>,
    ideas: Vec<Uuid>,
    activities: Vec<Uuid>,
    funds: Vec<Uuid>,
    own_events: Vec<Uuid>,
}

impl Known {
    fn take(&mut self, records: &[Value]) {
        for r in records {
            let (Some(id), Some(rev)) =
                (r["id"].as_str().and_then(|s| s.parse::<Uuid>().ok()), r["rev"].as_u64())
            else {
                continue;
            };
            let new = self.revs.insert(id, rev).is_none();
            if new && !r["deleted"].as_bool().unwrap_or(false) {
                match r["kind"].as_str() {
                    Some("idea") => self.ideas.push(id),
                    Some("activity") => self.activities.push(id),
                    Some("funds") => self.funds.push(id),
                    _ => {}
                }
            }
        }
    }
}

struct Device {
    n: usize,
    staff: bool,
    username: String,
    password: String,
    http: reqwest::Client,
    base: String,
    client_id: Uuid,
    token: String,
    cursor: u64,
    next_mutation: u64,
    /// Edits sent but not yet acknowledged (by mutation id), resent with the next push.
    outbox: Vec<Value>,
    known: Known,
    rng: rand::rngs::StdRng,
}

impl Device {
    /// Pulls from the cursor until `more` is false. Pages of 1,000 from 0, else 5,000 (as the SPA).
    async fn pull(&mut self, shared: &Shared) -> bool {
        let limit = if self.cursor == 0 { 1000 } else { 5000 };
        loop {
            let req = self
                .http
                .get(format!(
                    "{}/api/v1/sync/pull?client_id={}&cursor={}&limit={limit}",
                    self.base, self.client_id, self.cursor
                ))
                .bearer_auth(&self.token);
            let Ok(page) = call(shared, "pull", req).await else { return false };
            let records = page["records"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            self.known.take(records);
            self.cursor = page["cursor"].as_u64().unwrap_or(self.cursor);
            if !page["more"].as_bool().unwrap_or(false) {
                return true;
            }
        }
    }

    fn now_ms() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }

    /// One edit this device's role may make, as a mutation with the next id.
    fn edit(&mut self) -> Value {
        let id = self.next_mutation;
        self.next_mutation += 1;
        let at = Self::now_ms();
        let n = self.n;
        let roll: u32 = self.rng.gen_range(0..100);
        let put = |kind: &str, entity: Uuid, base_rev: u64, fields: Value| {
            json!({ "id": id, "kind": kind, "entity_id": entity, "op": "put", "base_rev": base_rev,
                    "at": at, "fields": fields })
        };
        let comment = |rng: &mut rand::rngs::StdRng, known: &Known| {
            let (kind, list) =
                if rng.gen_bool(0.5) { ("activity", &known.activities) } else { ("idea", &known.ideas) };
            let target = list.choose(rng).copied().unwrap_or_default();
            put(
                "comment",
                Uuid::new_v4(),
                0,
                json!({ "target_kind": kind, "target_id": target,
                        "text": format!("Kommentar {id} från enhet {n}: vi tar upp det på nästa möte.") }),
            )
        };
        if self.staff {
            match roll {
                0..40 => {
                    let activity = self.known.activities.choose(&mut self.rng).copied().unwrap_or_default();
                    let rev = self.known.revs.get(&activity).copied().unwrap_or(0);
                    let fields = if roll < 30 {
                        json!({ "notes": format!("Uppföljning {id} av enhet {n}: kontakt tagen med kommunen.") })
                    } else {
                        let status = ["not_started", "in_progress", "done", "paused"][roll as usize % 4];
                        json!({ "status": status })
                    };
                    put("activity", activity, rev, fields)
                }
                40..70 => {
                    let funds = self.known.funds.first().copied().unwrap_or_default();
                    json!({ "id": id, "kind": "funds", "entity_id": funds, "op": "add",
                            "field": "granted_sek", "by": self.rng.gen_range(1..10_000), "at": at })
                }
                _ => comment(&mut self.rng, &self.known),
            }
        } else {
            match roll {
                0..45 => {
                    let idea = self.known.ideas.choose(&mut self.rng).copied().unwrap_or_default();
                    let rev = self.known.revs.get(&idea).copied().unwrap_or(0);
                    put(
                        "idea",
                        idea,
                        rev,
                        json!({ "next_step": format!("Steg {id}: ring sökanden (enhet {n})") }),
                    )
                }
                45..75 => comment(&mut self.rng, &self.known),
                _ => match self.known.own_events.choose(&mut self.rng).copied() {
                    Some(event) if roll >= 85 => {
                        let rev = self.known.revs.get(&event).copied().unwrap_or(0);
                        put("event", event, rev, json!({ "participants": self.rng.gen_range(3..80) }))
                    }
                    _ => {
                        let event = Uuid::new_v4();
                        self.known.own_events.push(event);
                        put(
                            "event",
                            event,
                            0,
                            json!({ "type": "workshop", "title": format!("Idéverkstad {id} (enhet {n})"),
                                    "date": "2026-12-03" }),
                        )
                    }
                },
            }
        }
    }

    /// Pushes 1–5 new edits with whatever waits unacknowledged.
    async fn push(&mut self, shared: &Shared) {
        let count = self.rng.gen_range(1..=5);
        for _ in 0..count {
            let m = self.edit();
            self.outbox.push(m);
        }
        let req = self
            .http
            .post(format!("{}/api/v1/sync/push", self.base))
            .bearer_auth(&self.token)
            .json(&json!({ "client_id": self.client_id, "mutations": self.outbox }));
        let Ok(answer) = call(shared, "push", req).await else { return };
        let last = answer["last_mutation_id"].as_u64().unwrap_or(0);
        let mut stats = shared.stats.lock().unwrap();
        for r in answer["results"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            if r["status"] == "rejected" {
                *stats.rejected.entry(r["code"].as_str().unwrap_or("?").to_string()).or_default() += 1;
            }
        }
        let before = self.outbox.len();
        self.outbox.retain(|m| m["id"].as_u64().unwrap_or(0) > last);
        stats.mutations_acknowledged += (before - self.outbox.len()) as u64;
    }

    /// Logs in, retrying after a 429 or 503's Retry-After (each attempt counted) until the
    /// window ends.
    async fn login(&mut self, shared: &Shared, ends: Instant) -> bool {
        while Instant::now() < ends {
            let req = self
                .http
                .post(format!("{}/api/v1/auth/login", self.base))
                .json(&json!({ "username": self.username, "password": self.password }));
            match call(shared, "login", req).await {
                Ok(answer) => {
                    self.token = answer["token"].as_str().unwrap_or_default().to_string();
                    return true;
                }
                Err(wait) => {
                    let retry = Instant::now() + wait.unwrap_or(Duration::from_secs(1));
                    tokio::time::sleep_until(retry.min(ends).into()).await;
                }
            }
        }
        false
    }

    async fn run(mut self, shared: Arc<Shared>, ends: Instant) {
        if !self.login(&shared, ends).await {
            return;
        }
        let started = Instant::now();
        if self.pull(&shared).await {
            shared.stats.lock().unwrap().first_sync.push(started.elapsed());
        }
        // The event stream, read in the background until the window ends.
        let events = self.http.get(format!("{}/api/v1/sync/events", self.base)).bearer_auth(&self.token);
        let stream_shared = shared.clone();
        let stream = tokio::spawn(async move {
            let shared = stream_shared;
            let mut res = match events.send().await {
                Ok(res) if res.status().is_success() => {
                    shared.requests.fetch_add(1, Ordering::Relaxed);
                    res
                }
                Ok(res) => return shared.error(format!("events {}", res.status().as_u16())),
                Err(_) => return shared.error("events transport error".into()),
            };
            loop {
                match res.chunk().await {
                    Ok(Some(chunk)) => {
                        let pokes = chunk.windows(11).filter(|w| w == b"event: poke").count();
                        shared.pokes.fetch_add(pokes as u64, Ordering::Relaxed);
                    }
                    _ if shared.over.load(Ordering::Relaxed) => return,
                    Ok(None) => return shared.error("events stream ended early".into()),
                    Err(_) => return shared.error("events stream broken".into()),
                }
            }
        });
        let mut next_pull = Instant::now() + Duration::from_millis(self.rng.gen_range(2000..5000));
        let mut next_push = Instant::now() + Duration::from_millis(self.rng.gen_range(3000..8000));
        loop {
            let next = next_pull.min(next_push);
            if next >= ends {
                break;
            }
            tokio::time::sleep_until(next.into()).await;
            if next == next_pull {
                self.pull(&shared).await;
                next_pull = Instant::now() + Duration::from_millis(self.rng.gen_range(2000..5000));
            } else {
                self.push(&shared).await;
                next_push = Instant::now() + Duration::from_millis(self.rng.gen_range(3000..8000));
            }
        }
        tokio::time::sleep_until(ends.into()).await;
        shared.over.store(true, Ordering::Relaxed);
        stream.abort();
    }
}

/// The value at quantile `q` (0–1) of sorted durations, in ms.
fn quantile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Asks the server to stop (SIGTERM: it finishes open requests and flushes) and waits for it.
fn stop(mut server: Child) {
    let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = server.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = server.kill();
    let _ = server.wait();
}

/// Set-up through the public API, on a server of its own: about 10,000 records (pushes of 1,000
/// ideas as admin) and the accounts. Returns the record count, the accounts (staff?, user name,
/// password) and that server's peak RSS in KiB.
async fn set_up(data: &std::path::Path) -> (u64, Vec<(bool, String, String)>, u64) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start(data, port, true);
    let http = reqwest::Client::new();
    wait_healthy(&http, &base).await;
    let login: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": "admin", "password": ADMIN_PASSWORD }))
        .send()
        .await
        .expect("admin login")
        .json()
        .await
        .expect("login JSON");
    let admin = login["token"].as_str().expect("admin token").to_string();
    let seeder = Uuid::new_v4();
    for batch in 0..SEED_RECORDS / 1000 {
        let mutations: Vec<Value> = (1..=1000u64)
            .map(|i| {
                let id = batch * 1000 + i;
                json!({ "id": id, "kind": "idea", "entity_id": Uuid::new_v4(), "op": "put", "base_rev": 0,
                        "at": 1, "fields": { "title": format!("Projektidé nummer {id} från en bygdegård"),
                        "stage": "idea", "captured_on": "2026-11-27",
                        "description": "En idé som fångades upp på en idéverkstad i Flen." } })
            })
            .collect();
        let res = http
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&admin)
            .json(&json!({ "client_id": seeder, "mutations": mutations }))
            .send()
            .await
            .expect("seed push");
        assert!(res.status().is_success(), "seed push: {}", res.status());
    }
    let (mut records, mut cursor) = (0u64, 0u64);
    loop {
        let page: Value = http
            .get(format!("{base}/api/v1/sync/pull?client_id={seeder}&cursor={cursor}&limit=5000"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("count pull")
            .json()
            .await
            .expect("pull JSON");
        records += page["records"].as_array().map_or(0, |r| r.len() as u64);
        cursor = page["cursor"].as_u64().expect("cursor");
        if !page["more"].as_bool().unwrap_or(false) {
            break;
        }
    }
    let mut rng = rand::rngs::StdRng::from_entropy();
    let mut accounts = Vec::new();
    for n in 0..CLIENTS {
        let staff = n % STAFF_EVERY == 0;
        let username = format!("{}-{n:02}", if staff { "last-kansli" } else { "last-styrelse" });
        let password = format!("lastprov-{:016x}", rng.gen::<u64>());
        let res = http
            .post(format!("{base}/api/v1/users"))
            .bearer_auth(&admin)
            .json(&json!({ "username": username, "display_name": format!("Lastprov {n}"),
                           "role": if staff { "staff" } else { "board" }, "password": password }))
            .send()
            .await
            .expect("create account");
        assert_eq!(
            res.status().as_u16(),
            201,
            "creating {username}: {}",
            res.text().await.unwrap_or_default()
        );
        accounts.push((staff, username, password));
    }
    let (hwm, _) = memory_kib(server.id()).unwrap_or((0, 0));
    stop(server);
    (records, accounts, hwm)
}

#[tokio::main]
async fn main() {
    let secs: u64 = std::env::var("TAVLA_LOAD_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let cache_mb = default_cache_mb();
    let data = tempfile::tempdir().expect("data directory");
    let (records, accounts, setup_hwm) = set_up(data.path()).await;

    // The measured server: a fresh process on the prepared data, as after a deploy.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(data.path(), port, false);
    let pid = server.id();
    let probe = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("HTTP client");
    wait_healthy(&probe, &base).await;
    let (_, rss_at_start) = memory_kib(pid).unwrap_or((0, 0));

    let shared = Arc::new(Shared {
        stats: Mutex::new(Stats::default()),
        requests: AtomicU64::new(0),
        pokes: AtomicU64::new(0),
        over: AtomicBool::new(false),
    });
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        tokio::spawn(async move {
            let mut peak = 0u64;
            while sampling.load(Ordering::Relaxed) {
                if let Some((_, rss)) = memory_kib(pid) {
                    peak = peak.max(rss);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            peak
        })
    };
    let started = Instant::now();
    let ends = started + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for (n, (staff, username, password)) in accounts.into_iter().enumerate() {
        let address = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2 + n as u8));
        let device = Device {
            n,
            staff,
            username,
            password,
            http: reqwest::Client::builder().local_address(address).build().expect("HTTP client"),
            base: base.clone(),
            client_id: Uuid::new_v4(),
            token: String::new(),
            cursor: 0,
            next_mutation: 1,
            outbox: Vec::new(),
            known: Known::default(),
            rng: rand::rngs::StdRng::from_entropy(),
        };
        // A device still waiting for an answer well after the window is stopped and counted.
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            let stuck_after = ends + REQUEST_TIMEOUT + Duration::from_secs(5);
            if tokio::time::timeout_at(stuck_after.into(), device.run(shared.clone(), ends)).await.is_err() {
                shared.error("device still waiting after the window".into());
            }
        }));
    }
    for task in tasks {
        task.await.expect("a device task");
    }
    let elapsed = started.elapsed().min(Duration::from_secs(secs));
    sampling.store(false, Ordering::Relaxed);
    let peak_rss_sampled = sampler.await.unwrap_or(0);
    let (hwm, _) = memory_kib(pid).expect("the server is still running");
    // Does the server still answer a login (which reads the store, writes a session and
    // flushes)? The health check alone does not touch sled.
    let answering = probe
        .post(format!("{base}/api/v1/auth/login"))
        .timeout(Duration::from_secs(15))
        .json(&json!({ "username": "admin", "password": ADMIN_PASSWORD }))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success());
    server.kill().expect("stop the server");
    server.wait().expect("reap the server");

    let mut stats = shared.stats.lock().unwrap();
    for v in stats.latencies.values_mut() {
        v.sort();
    }
    stats.first_sync.sort();
    let requests = shared.requests.load(Ordering::Relaxed);
    let figure = |what: &str| {
        let v = stats.latencies.get(what).map(Vec::as_slice).unwrap_or(&[]);
        format!("{what} p50 {:.1} ms, p99 {:.1} ms (n = {})", quantile(v, 0.5), quantile(v, 0.99), v.len())
    };
    let error_count: u64 = stats.errors.values().sum();
    let mut errors: Vec<String> = stats.errors.iter().map(|(what, n)| format!("{n}× {what}")).collect();
    errors.sort();
    let errors = if errors.is_empty() {
        "errors 0".to_string()
    } else {
        format!("errors {error_count}: {}", errors.join(", "))
    };
    let rejected: u64 = stats.rejected.values().sum();
    let rejected = if rejected == 0 {
        String::new()
    } else {
        let mut codes: Vec<String> = stats.rejected.iter().map(|(c, n)| format!("{n}× {c}")).collect();
        codes.sort();
        format!(" (rejected mutations: {})", codes.join(", "))
    };
    let hung = if answering {
        ""
    } else {
        "; THE SERVER STOPPED ANSWERING (an admin login after the window got no answer in 15 s)"
    };
    let peak = mib(hwm);
    let met = error_count == 0 && answering && peak <= RSS_TARGET_MIB;
    println!(
        "| load: {CLIENTS} devices for {secs} s ({} board, {} staff, each its own login and address; all log in at the start, pull everything in pages of 1,000, keep the event stream open, then pull every 2–5 s and push 1–5 edits every 3–8 s), {} records, sled cache {cache_mb} MiB (the `--cache-mb` default) | {:.1} req/s ({requests} requests); {}; {}; {}; first full pull p50 {:.0} ms, p99 {:.0} ms; {} mutations acknowledged{rejected}, {} pokes received; {errors}{hung}; peak RSS {:.1} MiB (VmHWM; sampled VmRSS peak {:.1} MiB; {:.1} MiB at start; the set-up's server peaked at {:.1} MiB) | errors 0, peak RSS ≤ 128 MiB: {} |",
        CLIENTS - CLIENTS.div_ceil(STAFF_EVERY),
        CLIENTS.div_ceil(STAFF_EVERY),
        thousands(records),
        requests as f64 / elapsed.as_secs_f64(),
        figure("login"),
        figure("pull"),
        figure("push"),
        quantile(&stats.first_sync, 0.5),
        quantile(&stats.first_sync, 0.99),
        stats.mutations_acknowledged,
        shared.pokes.load(Ordering::Relaxed),
        peak,
        mib(peak_rss_sampled),
        mib(rss_at_start),
        mib(setup_hwm),
        if met { "met" } else { "NOT met" },
    );
}
