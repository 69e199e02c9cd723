//! Durability under SIGKILL (sync protocol guarantees 1, 2, 3 and 5): the real `tavla` binary is
//! killed at a random moment while several clients push at once, over and over on the same data
//! directory (20 cycles; `TAVLA_CRASH_CYCLES` for more: `cargo xtask soak` runs 1,000 in release).
//!
//! Why: a push is acknowledged only once it is on disk, and a client whose answer was lost (the
//! server died first) sends the same mutations again, with the same ids, until one is
//! acknowledged. That must apply each mutation exactly once: never lost, never twice. Counters
//! show both at once, since `add`s add up (`funds.granted_sek`, shared by every client, and each
//! client's own `funds` record's `paid_sek`): a lost increment makes a sum too small, a
//! replayed one too large.
//!
//! Three clients (their own client ids; one admin and two staff accounts, logged in once: their
//! sessions must survive the kills too) create ideas, rename them, and add to the counters.
//! After every restart, before anything is resent, the store must hold exactly the effect of
//! each client's mutations up to the `last_mutation_id` the server reports for it, which must
//! cover every acknowledged one (and nothing after it: a push is atomic). Then every client
//! resends what was not acknowledged, and the counters must equal the sum of every increment
//! sent, exactly once. A summary line says how many cycles, acknowledgements and checks ran
//! (`-- --nocapture` to see it).
//!
//! This test lives in the server crate because it needs the binary (`CARGO_BIN_EXE_tavla`).

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::{json, Value};
use uuid::Uuid;

const PASSWORD: &str = "krasch-test-lösenord";
const STAFF_PASSWORD: &str = "krasch-kansliets-lösenord";
const DEFAULT_CYCLES: usize = 20;
const CLIENTS: usize = 3;
/// Ideas a client creates before it only renames them: keeps the snapshot small over 1,000 cycles.
const IDEAS_PER_CLIENT: usize = 15;
/// The longest a request may take before the server is taken to hang.
const ANSWER_WITHIN: Duration = Duration::from_secs(20);

fn cycles() -> usize {
    std::env::var("TAVLA_CRASH_CYCLES").ok().and_then(|c| c.parse().ok()).unwrap_or(DEFAULT_CYCLES)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn start(data: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(["--addr", &format!("127.0.0.1:{port}"), "--dist", "no-spa-needed"])
        .arg("--data")
        .arg(data)
        .env("TAVLA_ADMIN_PASSWORD", PASSWORD)
        // The admin creates the staff accounts without enrolling a second factor first.
        .env("TAVLA_ADMIN_SECOND_FACTOR_OPTIONAL", "true")
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
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn login(http: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login answers");
    assert!(res.status().is_success(), "login as {username}: {}", res.status());
    res.json::<Value>().await.expect("login JSON")["token"].as_str().expect("a token").to_string()
}

/// What one mutation does, to work out what the store must hold.
#[derive(Clone)]
enum Effect {
    /// Creates the client's own funds record (its first mutation).
    Funds(Uuid),
    /// Creates an idea, or renames one: the title it must have.
    Title(Uuid, String),
    /// `add` to a counter.
    Add { record: Uuid, field: &'static str, by: i64 },
}

struct Sent {
    id: u64,
    body: Value,
    effect: Effect,
}

/// One device: its client id and login, every mutation it has made, and how far the server has
/// acknowledged them.
struct Client {
    n: usize,
    client_id: Uuid,
    token: String,
    sent: Vec<Sent>,
    acked: u64,
    own_funds: Uuid,
    ideas: Vec<Uuid>,
    /// Pushes that carried mutations sent before (a resend after a lost answer or a kill).
    resends: u64,
}

/// The expected store, from every client's mutations up to the id the server says it processed.
#[derive(Default)]
struct Expected {
    titles: HashMap<Uuid, String>,
    /// Ideas made by mutations the server has not processed: they must not exist.
    absent: HashSet<Uuid>,
    counters: HashMap<(Uuid, &'static str), i64>,
}

impl Client {
    fn last_sent(&self) -> u64 {
        self.sent.last().map_or(0, |s| s.id)
    }

    fn add_to(expected: &mut Expected, effects: impl Iterator<Item = Effect>) {
        for effect in effects {
            match effect {
                Effect::Funds(id) => {
                    expected.counters.entry((id, "paid_sek")).or_insert(0);
                }
                Effect::Title(id, title) => {
                    expected.titles.insert(id, title);
                }
                Effect::Add { record, field, by } => {
                    *expected.counters.entry((record, field)).or_insert(0) += by
                }
            }
        }
    }

    /// Adds the effect of this client's mutations up to `processed` to `expected`, and lists the
    /// ideas only later ones create.
    fn expect(&self, processed: u64, expected: &mut Expected) {
        Self::add_to(expected, self.sent.iter().filter(|s| s.id <= processed).map(|s| s.effect.clone()));
        let created: HashSet<Uuid> = expected.titles.keys().copied().collect();
        for s in self.sent.iter().filter(|s| s.id > processed) {
            if let Effect::Title(id, _) = s.effect {
                if !created.contains(&id) {
                    expected.absent.insert(id);
                }
            }
        }
    }

    /// One new mutation: an idea created or renamed, or an increment.
    fn make(&mut self, rng: &mut impl Rng, granted_on: Uuid) {
        let id = self.last_sent() + 1;
        let at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(1);
        let (body, effect) = if self.sent.is_empty() {
            let body = json!({ "id": id, "kind": "funds", "entity_id": self.own_funds, "op": "put", "base_rev": 0,
                               "at": at, "fields": { "paid_sek": 0 } });
            (body, Effect::Funds(self.own_funds))
        } else {
            match rng.gen_range(0..10) {
                0..=4 => {
                    let idea = if self.ideas.len() < IDEAS_PER_CLIENT && rng.gen_bool(0.5)
                        || self.ideas.is_empty()
                    {
                        let idea = Uuid::new_v4();
                        self.ideas.push(idea);
                        idea
                    } else {
                        self.ideas[rng.gen_range(0..self.ideas.len())]
                    };
                    let title = format!("Idé från klient {} (mutation {id})", self.n);
                    let body = json!({ "id": id, "kind": "idea", "entity_id": idea, "op": "put", "base_rev": 0,
                                       "at": at, "fields": { "title": title, "stage": "idea",
                                       "captured_on": "2026-11-27" } });
                    (body, Effect::Title(idea, title))
                }
                n => {
                    let (record, field) =
                        if n < 7 { (granted_on, "granted_sek") } else { (self.own_funds, "paid_sek") };
                    let by = rng.gen_range(1..1000);
                    let body = json!({ "id": id, "kind": "funds", "entity_id": record, "op": "add",
                                       "field": field, "by": by, "at": at });
                    (body, Effect::Add { record, field, by })
                }
            }
        };
        self.sent.push(Sent { id, body, effect });
    }

    /// Sends every unacknowledged mutation (the same ids as before) and takes the answer.
    /// `Ok(false)`: no answer (the server is gone); an answer that is not a 200 fails the test.
    async fn push(&mut self, http: &reqwest::Client, base: &str) -> Result<bool, String> {
        let pending: Vec<&Value> = self.sent.iter().filter(|s| s.id > self.acked).map(|s| &s.body).collect();
        let Some(last) = pending.last().and_then(|m| m["id"].as_u64()) else { return Ok(true) };
        let body = json!({ "client_id": self.client_id, "mutations": pending });
        let res = match http
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
        {
            Ok(res) => res,
            Err(e) if e.is_timeout() => {
                return Err(format!("client {}: a push got no answer in time", self.n))
            }
            Err(_) => return Ok(false),
        };
        if !res.status().is_success() {
            return Err(format!("client {}: push answered {}", self.n, res.status()));
        }
        let Ok(answer) = res.json::<Value>().await else { return Ok(false) };
        if answer["last_mutation_id"] != last {
            return Err(format!(
                "client {}: pushed up to {last}, acknowledged {}",
                self.n, answer["last_mutation_id"]
            ));
        }
        for r in answer["results"].as_array().into_iter().flatten() {
            if r["status"] != "applied" {
                return Err(format!("client {}: a mutation was not applied: {r}", self.n));
            }
        }
        self.acked = last;
        Ok(true)
    }
}

/// A full pull as `client`: every record by id, and the client's `last_mutation_id`.
async fn snapshot(http: &reqwest::Client, base: &str, client: &Client) -> (HashMap<Uuid, Value>, u64) {
    let (mut cursor, mut records) = (0, HashMap::new());
    loop {
        let res = http
            .get(format!("{base}/api/v1/sync/pull?client_id={}&cursor={cursor}&limit=5000", client.client_id))
            .bearer_auth(&client.token)
            .send()
            .await
            .expect("pull answers");
        assert!(res.status().is_success(), "client {}: pull answered {}", client.n, res.status());
        let page: Value = res.json().await.expect("pull JSON");
        for r in page["records"].as_array().into_iter().flatten() {
            records.insert(r["id"].as_str().and_then(|i| i.parse().ok()).expect("a record id"), r.clone());
        }
        cursor = page["cursor"].as_u64().expect("a cursor");
        if !page["more"].as_bool().unwrap_or(false) {
            return (records, page["last_mutation_id"].as_u64().expect("last_mutation_id"));
        }
    }
}

/// The client's `last_mutation_id`, from a pull of nothing new.
async fn processed(http: &reqwest::Client, base: &str, client: &Client, version: u64) -> u64 {
    let res = http
        .get(format!("{base}/api/v1/sync/pull?client_id={}&cursor={version}&limit=1", client.client_id))
        .bearer_auth(&client.token)
        .send()
        .await
        .expect("pull answers");
    assert!(res.status().is_success(), "client {}: pull answered {}", client.n, res.status());
    let page: Value = res.json().await.expect("pull JSON");
    page["last_mutation_id"].as_u64().expect("last_mutation_id")
}

/// Compares the store with what the clients' mutations up to `processed` must have made.
/// Returns how many counters were compared.
fn check(records: &HashMap<Uuid, Value>, expected: &Expected, when: &str) -> usize {
    for (idea, title) in &expected.titles {
        let record = records.get(idea).unwrap_or_else(|| panic!("{when}: idea {idea} is missing"));
        assert_eq!(record["fields"]["title"], *title.as_str(), "{when}: idea {idea} has a wrong title");
    }
    for idea in &expected.absent {
        assert!(
            !records.contains_key(idea),
            "{when}: idea {idea} exists, yet its mutation was not processed"
        );
    }
    for ((record, field), sum) in &expected.counters {
        let stored = records.get(record).unwrap_or_else(|| panic!("{when}: funds {record} is missing"));
        assert_eq!(
            stored["fields"][*field].as_i64().unwrap_or(0),
            *sum,
            "{when}: {field} of {record} is not the sum of its increments (lost or applied twice)"
        );
    }
    expected.counters.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_mutation_survives_sigkill_exactly_once() {
    let cycles = cycles();
    let started = Instant::now();
    let data = tempfile::tempdir().expect("data directory");
    let http = reqwest::Client::builder().timeout(ANSWER_WITHIN).build().expect("client");
    let mut rng = rand::thread_rng();

    // The first start: the accounts, one login each (sessions must outlive every kill), and the
    // programme's funds record whose `granted_sek` every client adds to.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(data.path(), port);
    wait_healthy(&http, &base).await;
    let admin = login(&http, &base, "admin", PASSWORD).await;
    let mut accounts = vec![("admin".to_string(), PASSWORD)];
    for n in 1..CLIENTS {
        let username = format!("krasch-kansli-{n}");
        let res = http
            .post(format!("{base}/api/v1/users"))
            .bearer_auth(&admin)
            .json(&json!({ "username": username, "display_name": format!("Kansliet {n}"), "role": "staff",
                           "password": STAFF_PASSWORD }))
            .send()
            .await
            .expect("create an account");
        assert_eq!(res.status().as_u16(), 201, "creating {username}");
        accounts.push((username, STAFF_PASSWORD));
    }
    let mut clients = Vec::new();
    for (n, (username, password)) in accounts.iter().enumerate() {
        clients.push(Client {
            n,
            client_id: Uuid::new_v4(),
            token: login(&http, &base, username, password).await,
            sent: Vec::new(),
            acked: 0,
            own_funds: Uuid::new_v4(),
            ideas: Vec::new(),
            resends: 0,
        });
    }
    let (records, _) = snapshot(&http, &base, &clients[0]).await;
    let programme = records.values().find(|r| r["kind"] == "funds").expect("the programme's funds record");
    let granted_on: Uuid = programme["id"].as_str().and_then(|i| i.parse().ok()).expect("funds id");
    let granted_at_start = programme["fields"]["granted_sek"].as_i64().unwrap_or(0);
    let base_expected = || {
        let mut e = Expected::default();
        e.counters.insert((granted_on, "granted_sek"), granted_at_start);
        e
    };

    let (mut counter_checks, mut lost_answers, mut applied_unacknowledged) = (0usize, 0u64, 0u64);
    // Cycle 0 starts on the server above; each later one restarts it, checks, resends, and
    // (but the last) pushes until the next kill.
    let mut base = base;
    for cycle in 0..=cycles {
        if cycle > 0 {
            let port = free_port();
            base = format!("http://127.0.0.1:{port}");
            server = start(data.path(), port);
            wait_healthy(&http, &base).await;

            // Before anything is resent: exactly the mutations the server says it processed,
            // which include every acknowledged one.
            let health: Value = http
                .get(format!("{base}/api/v1/health"))
                .send()
                .await
                .expect("health")
                .json()
                .await
                .expect("JSON");
            let version = health["version"].as_u64().expect("version");
            let (records, first) = snapshot(&http, &base, &clients[0]).await;
            let mut expected = base_expected();
            for client in &clients {
                let last = if client.n == 0 { first } else { processed(&http, &base, client, version).await };
                assert!(
                    last >= client.acked,
                    "cycle {cycle}: client {} was acknowledged up to {} but the server has processed only {last}",
                    client.n,
                    client.acked
                );
                assert!(
                    last <= client.last_sent(),
                    "cycle {cycle}: client {} processed beyond what it sent",
                    client.n
                );
                applied_unacknowledged += last - client.acked;
                client.expect(last, &mut expected);
            }
            counter_checks += check(&records, &expected, &format!("cycle {cycle}, after the restart"));

            // Every client resends what was not acknowledged, all at once, until acknowledged.
            let mut resending = Vec::new();
            for mut client in clients.drain(..) {
                let (http, base) = (http.clone(), base.clone());
                resending.push(tokio::spawn(async move {
                    if client.acked < client.last_sent() {
                        client.resends += 1;
                    }
                    let outcome = client.push(&http, &base).await;
                    (client, outcome)
                }));
            }
            for task in resending {
                let (client, outcome) = task.await.expect("a resending client");
                match outcome {
                    Ok(true) => clients.push(client),
                    Ok(false) => panic!("cycle {cycle}: client {}'s resend got no answer", client.n),
                    Err(e) => panic!("cycle {cycle}: {e}"),
                }
            }
            clients.sort_by_key(|c| c.n);
            let (records, _) = snapshot(&http, &base, &clients[0]).await;
            let mut expected = base_expected();
            for client in &clients {
                client.expect(client.last_sent(), &mut expected);
            }
            counter_checks += check(&records, &expected, &format!("cycle {cycle}, after the resends"));
        }
        if cycle == cycles {
            server.kill().expect("SIGKILL");
            server.wait().expect("the killed server is reaped");
            break;
        }
        run_until_killed(&mut clients, &http, &base, &mut server, &mut rng, granted_on, &mut lost_answers)
            .await;
    }

    let acknowledged: u64 = clients.iter().map(|c| c.acked).sum();
    let increments: usize =
        clients.iter().flat_map(|c| &c.sent).filter(|s| matches!(s.effect, Effect::Add { .. })).count();
    let resends: u64 = clients.iter().map(|c| c.resends).sum();
    println!(
        "crash soak: {cycles} kill cycles, {CLIENTS} clients pushing at once; {acknowledged} mutations acknowledged \
         ({increments} counter increments), {lost_answers} pushes lost to a kill, {resends} resends, \
         {applied_unacknowledged} mutations applied but unacknowledged before a kill (each applied once on \
         resend); {counter_checks} counter sums checked; {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        acknowledged as usize >= 2 * cycles,
        "too few pushes were acknowledged to prove anything ({acknowledged})"
    );
}

/// All clients push at once (each its unacknowledged mutations plus 1–4 new ones) until the
/// server is SIGKILLed at a random moment.
async fn run_until_killed(
    clients: &mut Vec<Client>,
    http: &reqwest::Client,
    base: &str,
    server: &mut Child,
    rng: &mut impl Rng,
    granted_on: Uuid,
    lost_answers: &mut u64,
) {
    let mut pushing = Vec::new();
    for mut client in clients.drain(..) {
        let (http, base) = (http.clone(), base.to_string());
        let seed: u64 = rng.gen();
        pushing.push(tokio::spawn(async move {
            let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
            loop {
                for _ in 0..rng.gen_range(1..=4) {
                    client.make(&mut rng, granted_on);
                }
                match client.push(&http, &base).await {
                    Ok(true) => {}
                    Ok(false) => return (client, Ok(())),
                    Err(e) => return (client, Err(e)),
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(rng.gen_range(30..300))).await;
    server.kill().expect("SIGKILL");
    server.wait().expect("the killed server is reaped");
    for task in pushing {
        let (client, outcome) = task.await.expect("a pushing client");
        if let Err(e) = outcome {
            panic!("{e}");
        }
        if client.acked < client.last_sent() {
            *lost_answers += 1;
        }
        clients.push(client);
    }
    clients.sort_by_key(|c| c.n);
}
