//! Browser benchmarks (run by `cargo xtask bench`): the SPA in headless Chromium against a real
//! server with many records. Prints Markdown table rows.
//!
//! - edit to updated screen with 1,000 records: change an activity's status and save, 40 times;
//!   from the submit to the status badge showing the new value (a MutationObserver in the page).
//!   This includes the strict IndexedDB write that must finish before the screen confirms.
//! - filter the activities board with 1,000 activities: change the goal filter 42 times (each
//!   goal and "all", in turn) on the board and on the list; from the change event to the result
//!   count showing the new number (after the view is rebuilt in the same task).
//! - first sync on a weak connection: log in with 10,071 records on the server under
//!   Lighthouse's mobile network and CPU; to the plan on screen and to everything stored.
//! - cold start with 10,000 records: reload with everything in IndexedDB; from navigation start
//!   to the app's "tavla-first-render" performance mark.

use std::time::Duration;

use serde_json::{json, Value};
use tavla_server::store::{RecordWrite, SledStore, Store};
use tavla_shared::Kind;
use tavla_tests::helpers::browser::{act, check, Browser};
use tavla_tests::helpers::{find, start_on, ADMIN_PASSWORD};
use uuid::Uuid;

/// A data directory with `n` extra idea records next to the default plan.
async fn data_with(n: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let store = SledStore::open(dir.path(), 64 << 20).expect("store");
    // The default plan first, as a new server would write it.
    store.commit(tavla_server::seed::default_plan().expect("seed")).expect("seed written");
    let writes = (0..n)
        .map(|i| RecordWrite {
            kind: Kind::Idea,
            id: Uuid::new_v4(),
            deleted: false,
            fields: json!({ "title": format!("Projektidé {i}"), "stage": "idea", "captured_on": "2026-11-27",
                            "description": "En idé som fångades upp på en idéverkstad." })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        })
        .collect();
    store.commit(writes).expect("ideas written");
    store.flush().await.expect("flushed");
    dir
}

/// A data directory with the default plan grown to 1,000 activities, with a different number
/// under each goal so every filter change shows a new count.
async fn data_with_activities() -> (tempfile::TempDir, [usize; 6]) {
    const PER_GOAL: [usize; 6] = [200, 250, 100, 150, 120, 180];
    let dir = tempfile::tempdir().expect("dir");
    let store = SledStore::open(dir.path(), 64 << 20).expect("store");
    let seed = tavla_server::seed::default_plan().expect("seed");
    let goal_ids: Vec<(i64, Uuid)> = seed
        .iter()
        .filter(|w| w.kind == Kind::StrategicGoal)
        .map(|w| (w.fields["number"].as_i64().expect("a number"), w.id))
        .collect();
    let seeded = |n: i64| {
        seed.iter()
            .filter(|w| {
                w.kind == Kind::Activity
                    && w.fields["strategic_goal_id"] == json!(goal_ids.iter().find(|g| g.0 == n).map(|g| g.1))
            })
            .count()
    };
    let municipalities: Vec<Uuid> =
        seed.iter().filter(|w| w.kind == Kind::Municipality).map(|w| w.id).collect();
    let statuses = ["not_started", "in_progress", "done", "paused"];
    let mut writes = Vec::new();
    for &(number, goal) in &goal_ids {
        let extra = PER_GOAL[(number - 1) as usize] - seeded(number);
        for i in 0..extra {
            writes.push(RecordWrite {
                kind: Kind::Activity,
                id: Uuid::new_v4(),
                deleted: false,
                fields: json!({ "strategic_goal_id": goal, "title": format!("Aktivitet {number}.{i}"),
                    "status": statuses[i % 4], "position": 100 + i, "due_on": format!("2026-{:02}-15", 1 + i % 12),
                    "municipality_ids": [municipalities[i % municipalities.len()]] })
                .as_object()
                .cloned()
                .unwrap_or_default(),
            });
        }
    }
    store.commit(seed).expect("seed written");
    store.commit(writes).expect("activities written");
    store.flush().await.expect("flushed");
    (dir, PER_GOAL)
}

const FILTER_LOOP: &str = r#"
const [expected, done] = [arguments[0], arguments[arguments.length - 1]];
const select = document.getElementById('filter-goal');
const count = document.querySelector('.result-count').parentElement;
const values = ['1', '2', '3', '4', '5', '6', ''];
const times = [];
let i = 0;
function step() {
  if (i >= 42) { done(times); return; }
  const v = values[i % values.length]; i++;
  const want = 'Visar ' + expected[v] + ' av';
  const t0 = performance.now();
  const obs = new MutationObserver(() => {
    const now = document.querySelector('.result-count');
    if (now && now.textContent.startsWith(want)) {
      obs.disconnect(); times.push(performance.now() - t0); setTimeout(step, 30);
    }
  });
  obs.observe(count, { subtree: true, childList: true, characterData: true });
  select.value = v;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}
step();
"#;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Logs in through the app's form and times, from the submit: the plan on screen (the
/// overview's heading), and everything stored (the status bar's "Senast synkad", set when the
/// round has stored its last page).
const FIRST_SYNC: &str = r#"
    const [username, password, done] = arguments;
    // The plain login of index.html (the login page while not logged in), else the app's.
    const set = (id, value) => {
        const input = document.getElementById('boot-' + id) || document.getElementById(id);
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    set('username', username);
    set('password', password);
    let first = null;
    const start = performance.now();
    const check = () => {
        const now = performance.now() - start;
        if (first === null && [...document.querySelectorAll('h1')].some(h => h.textContent.includes('Verksamhetsplan'))) {
            first = now;
        }
        const last = document.querySelector('.last-sync');
        if (first !== null && last && last.textContent.includes('Senast synkad')) {
            observer.disconnect();
            const pulls = performance.getEntriesByType('resource').filter(e => e.name.includes('/sync/') || e.name.includes('/auth/'))
                .map(e => [e.name.split('?')[0].split('/').pop(), Math.round(e.startTime - start), Math.round(e.responseStart - start), Math.round(e.responseEnd - start), e.transferSize, e.decodedBodySize]);
            const marks = performance.getEntriesByType('mark').filter(m => m.startTime > start).map(m => m.name + '@' + Math.round(m.startTime - start));
            done([first, now, pulls, marks]);
        }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    document.querySelector('form button[type=submit]').click();
"#;

const EDIT_LOOP: &str = r#"
const done = arguments[arguments.length - 1];
const select = document.getElementById('status');
const form = select.closest('form');
const meta = document.querySelector('.activity-meta');
const values = ['in_progress', 'done', 'paused', 'not_started'];
const times = [];
let i = 0;
function step() {
  if (i >= 40) { done(times); return; }
  const v = values[i % 4]; i++;
  const t0 = performance.now();
  const obs = new MutationObserver(() => {
    const badge = meta.querySelector('.badge');
    if (badge && badge.classList.contains('status-' + v)) {
      obs.disconnect(); times.push(performance.now() - t0); setTimeout(step, 30);
    }
  });
  obs.observe(meta, { subtree: true, childList: true, attributes: true });
  select.value = v;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  form.requestSubmit();
}
step();
"#;

#[tokio::main]
async fn main() {
    // TAVLA_BENCH=filter,edit runs only those (all by default), for quick loops while tuning.
    let only = std::env::var("TAVLA_BENCH").unwrap_or_default();
    let wanted = |name: &str| only.is_empty() || only.split(',').any(|n| n == name);
    let mut rows = Vec::new();

    if wanted("edit") {
        // Edit to updated screen, 1,000 records.
        let app = start_on(data_with(1000 - 71).await).await;
        let token = app.admin_token().await;
        let records = app.snapshot(&token).await;
        let id = find(&records, Kind::Activity, "title", "Dialog med Länsstyrelsen").id;
        let browser = Browser::start(1280, 900).await;
        let page = &browser.client;
        act::open(page, &app.url("/")).await;
        act::log_in(page, "admin", ADMIN_PASSWORD).await;
        check::text(page, "Allt är synkat").await;
        act::open(page, &app.url(&format!("/aktivitet/{id}"))).await;
        check::heading(page, "Dialog med Länsstyrelsen.").await;
        let times = page.execute_async(EDIT_LOOP, vec![]).await.expect("edit loop");
        let mut times: Vec<f64> = times.as_array().expect("times").iter().filter_map(Value::as_f64).collect();
        times.sort_by(f64::total_cmp);
        let p95 = percentile(&times, 0.95);
        rows.push(format!(
            "| browser: edit to updated screen, {} records loaded ({} edits) | median {:.1} ms, p95 {p95:.1} ms | p95 under 16 ms: {} |",
            records.len(),
            times.len(),
            percentile(&times, 0.5),
            if p95 < 16.0 { "met" } else { "NOT met" }
        ));
        browser.close().await;
    }

    if wanted("filter") {
        // Filter the board and the list, 1,000 activities.
        let (data, per_goal) = data_with_activities().await;
        let app = start_on(data).await;
        let browser = Browser::start(1280, 900).await;
        let page = &browser.client;
        act::open(page, &app.url("/")).await;
        act::log_in(page, "admin", ADMIN_PASSWORD).await;
        check::text(page, "Allt är synkat").await;
        let mut expected = serde_json::Map::new();
        for (i, n) in per_goal.iter().enumerate() {
            expected.insert((i + 1).to_string(), json!(n));
        }
        expected.insert(String::new(), json!(per_goal.iter().sum::<usize>()));
        for (view, path) in [("board", "/aktiviteter?vy=tavla"), ("list", "/aktiviteter")] {
            act::open(page, &app.url(path)).await;
            check::text(page, "Visar 1000 av 1000 aktiviteter").await;
            let times = page
                .execute_async(FILTER_LOOP, vec![Value::Object(expected.clone())])
                .await
                .expect("filter loop");
            let mut times: Vec<f64> =
                times.as_array().expect("times").iter().filter_map(Value::as_f64).collect();
            times.sort_by(f64::total_cmp);
            let median = percentile(&times, 0.5);
            rows.push(format!(
                "| browser: filter the activities {view} by goal, 1,000 activities ({} changes) | median {median:.1} ms, p95 {:.1} ms, slowest {:.1} ms | median under 16 ms: {} |",
                times.len(),
                percentile(&times, 0.95),
                times[times.len() - 1],
                if median < 16.0 { "met" } else { "NOT met" }
            ));
        }
        browser.close().await;
    }

    if wanted("first_sync") {
        // First sync on a weak connection: Lighthouse's mobile profile (150 ms round trip,
        // 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower), 10,071 records, from the login to
        // everything stored on the device. The app is loaded before throttling: this measures
        // the sync, the download is measured by the size budget.
        let app = start_on(data_with(10_000).await).await;
        let (mut first, mut all) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            let browser = Browser::start(360, 800).await;
            let page = &browser.client;
            act::open(page, &app.url("/")).await;
            act::app_started(page).await;
            tavla_tests::helpers::browser::throttle(page, 150, 1_600_000 / 8, 750_000 / 8, 4).await;
            let times = page
                .execute_async(FIRST_SYNC, vec![json!("admin"), json!(ADMIN_PASSWORD)])
                .await
                .expect("first sync");
            first.push(times[0].as_f64().expect("first screen"));
            all.push(times[1].as_f64().expect("all local"));
            if std::env::var_os("TAVLA_BENCH_DEBUG").is_some() {
                eprintln!("first sync: {times}");
            }
            browser.close().await;
        }
        first.sort_by(f64::total_cmp);
        all.sort_by(f64::total_cmp);
        let median = percentile(&all, 0.5);
        rows.push(format!(
            "| browser: first sync on a weak connection (150 ms RTT, 1.6 Mbit/s, CPU 4x slower), 10,071 records, login to all stored (3 runs) | median {:.2} s (plan on screen after {:.2} s), slowest {:.2} s | under 2.5 s: {} |",
            median / 1000.0,
            percentile(&first, 0.5) / 1000.0,
            all[all.len() - 1] / 1000.0,
            if median < 2500.0 { "met" } else { "NOT met" }
        ));
    }

    if wanted("startup") {
        // A phone that logged in before opens the app (CPU 4x slower, Chromium's emulation):
        // the longest task the main thread runs until 3 s after the load, and the first
        // render of the plan. `TAVLA_BENCH_DEBUG` prints the app's marks and every long task.
        let app = start_on(data_with(0).await).await;
        let browser = Browser::start(360, 800).await;
        let page = &browser.client;
        act::open(page, &app.url("/")).await;
        act::log_in(page, "admin", ADMIN_PASSWORD).await;
        check::text(page, "Allt är synkat").await;
        act::wait_for_service_worker(page).await;
        tavla_tests::helpers::browser::throttle(page, 0, 100_000_000, 100_000_000, 4).await;
        let (mut longest, mut rendered) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            act::reload(page).await;
            check::heading(page, "Verksamhetsplan 2026").await;
            tokio::time::sleep(Duration::from_secs(3)).await;
            let entries: Value = page.execute_async(STARTUP_ENTRIES, vec![]).await.expect("entries");
            if std::env::var_os("TAVLA_BENCH_DEBUG").is_some() {
                eprintln!("start-up: {entries}");
            }
            longest.push(entries["longest"].as_f64().unwrap_or(0.0));
            rendered.push(entries["rendered"].as_f64().expect("the app marked its first render"));
        }
        browser.close().await;
        longest.sort_by(f64::total_cmp);
        rendered.sort_by(f64::total_cmp);
        rows.push(format!(
            "| browser: start-up of a phone that logged in before (CPU 4x slower, 5 reloads): longest main-thread task, first render of the plan | longest task median {:.0} ms (worst {:.0} ms; 0 = none over 50 ms), plan drawn after {:.0} ms | no task over 50 ms (Lighthouse's blocking time counts what is above): {} |",
            percentile(&longest, 0.5),
            longest[longest.len() - 1],
            percentile(&rendered, 0.5),
            if percentile(&longest, 0.5) == 0.0 { "met" } else { "NOT met" }
        ));
    }

    if wanted("lighthouse") {
        rows.extend(lighthouse_rows().await);
    }

    if wanted("cold") {
        // Cold start with 10,000 records in IndexedDB.
        let app = start_on(data_with(10_000).await).await;
        let browser = Browser::start(1280, 900).await;
        let page = &browser.client;
        act::open(page, &app.url("/")).await;
        act::log_in(page, "admin", ADMIN_PASSWORD).await;
        check::heading(page, "Verksamhetsplan 2026").await;
        // The first sync of 10,000 records may take a while; wait for it to finish.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
        loop {
            let pending = page
                .execute("return document.querySelector('.last-sync')?.textContent || '';", vec![])
                .await
                .expect("script");
            if pending.as_str().is_some_and(|t| t.contains("Senast synkad")) {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "the first sync did not finish");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let mut starts = Vec::new();
        for _ in 0..5 {
            act::reload(page).await;
            check::heading(page, "Verksamhetsplan 2026").await;
            let mark = page
                .execute(
                    "return performance.getEntriesByName('tavla-first-render')[0]?.startTime ?? null;",
                    vec![],
                )
                .await
                .expect("script");
            starts.push(mark.as_f64().expect("the app marked its first render"));
        }
        starts.sort_by(f64::total_cmp);
        rows.push(format!(
            "| browser: cold start to first render of local data, 10,071 records in IndexedDB (5 reloads) | median {:.0} ms, slowest {:.0} ms | — |",
            percentile(&starts, 0.5),
            starts[starts.len() - 1]
        ));
        browser.close().await;
    }

    for row in rows {
        println!("{row}");
    }
}

/// The page's marks and long tasks, as text.
const STARTUP_ENTRIES: &str = r#"
const done = arguments[arguments.length - 1];
const marks = performance.getEntriesByType('mark').map(m => `${m.name}@${m.startTime.toFixed(0)}`);
const long = [];
new PerformanceObserver(list => {
  for (const t of list.getEntries()) long.push(t);
}).observe({ type: 'longtask', buffered: true });
setTimeout(() => done({
  longest: Math.max(0, ...long.map(t => t.duration)),
  long: long.map(t => `${t.startTime.toFixed(0)}+${t.duration.toFixed(0)}`),
  rendered: performance.getEntriesByName('tavla-first-render')[0]?.startTime ?? null,
  marks,
}), 100);
"#;

/// Lighthouse 12 in its mobile profile (simulated: 150 ms round trip, 1.6 Mbit/s, CPU 4x
/// slower) on the login page, as a phone first opens the app, and on the overview of a phone
/// that has logged in before (its storage kept: the service worker and the local copy).
/// `TAVLA_LIGHTHOUSE` names the command (`cargo xtask bench` installs it).
async fn lighthouse_rows() -> Vec<String> {
    let Some(command) = std::env::var_os("TAVLA_LIGHTHOUSE") else {
        return vec!["| Lighthouse (mobile) | not run: TAVLA_LIGHTHOUSE is not set (`cargo xtask bench` sets it) | — |".into()];
    };
    let app = start_on(data_with(0).await).await;
    let mut rows = vec![lighthouse_row(&command, &app.url("/logga-in"), "/logga-in", None)];
    // A phone that logged in once: the same browser profile, opened again by Lighthouse.
    let browser = Browser::start_in(360, 800, tempfile::tempdir().expect("a profile")).await;
    act::open(&browser.client, &app.url("/")).await;
    act::log_in(&browser.client, "admin", ADMIN_PASSWORD).await;
    check::text(&browser.client, "Allt är synkat").await;
    act::wait_for_service_worker(&browser.client).await;
    let profile = browser.close_keeping_profile().await;
    rows.push(lighthouse_row(&command, &app.url("/"), "the overview after a login", Some(profile.path())));
    rows
}

fn lighthouse_row(
    command: &std::ffi::OsStr,
    url: &str,
    what: &str,
    profile: Option<&std::path::Path>,
) -> String {
    let report = tempfile::NamedTempFile::new().expect("a file");
    let mut flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run".to_string();
    let mut cmd = std::process::Command::new(command);
    if let Some(dir) = profile {
        flags.push_str(&format!(" --user-data-dir={}", dir.display()));
        cmd.arg("--disable-storage-reset");
    }
    if std::env::var_os("TAVLA_LIGHTHOUSE_KEEP").is_some() {
        // The trace too (beside the report, as `*-0.trace.json`).
        cmd.arg("--save-assets");
    }
    let status = cmd
        .arg(url)
        .args(["--quiet", "--only-categories=performance,accessibility,best-practices", "--output=json"])
        .arg(format!("--output-path={}", report.path().display()))
        .arg(format!("--chrome-flags={flags}"))
        .env("CHROME_PATH", "/usr/bin/chromium")
        .status()
        .expect("lighthouse runs");
    assert!(status.success(), "lighthouse failed on {url}");
    let text = std::fs::read_to_string(report.path()).expect("a report");
    if let Some(dir) = std::env::var_os("TAVLA_LIGHTHOUSE_KEEP") {
        // The whole report, for finding the long tasks behind a score.
        let name: String = what.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
        let kept = std::path::Path::new(&dir).join(format!("{name}.json"));
        std::fs::write(&kept, &text).expect("a kept report");
        let trace = report.path().with_file_name(format!(
            "{}-0.trace.json",
            report.path().file_name().unwrap_or_default().to_string_lossy()
        ));
        let _ = std::fs::rename(trace, kept.with_extension("trace.json"));
    }
    let json: Value = serde_json::from_str(&text).expect("JSON");
    let score = |c: &str| (json["categories"][c]["score"].as_f64().unwrap_or(0.0) * 100.0).round() as i64;
    let ms = |a: &str| json["audits"][a]["numericValue"].as_f64().unwrap_or(f64::NAN);
    let (perf, a11y, best) = (score("performance"), score("accessibility"), score("best-practices"));
    let (lcp, tbt) = (ms("largest-contentful-paint"), ms("total-blocking-time"));
    let met = if perf >= 95 && a11y == 100 && best == 100 && lcp <= 2000.0 && tbt <= 100.0 {
        "met"
    } else {
        "NOT met"
    };
    format!(
        "| Lighthouse 12 (mobile, simulated throttling), {what} | performance {perf}, accessibility {a11y}, best practices {best}; LCP {:.1} s, TBT {tbt:.0} ms | performance ≥ 95, accessibility 100, best practices 100, LCP ≤ 2.0 s, TBT ≤ 100 ms: {met} |",
        lcp / 1000.0
    )
}
