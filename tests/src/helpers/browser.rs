//! Driving Debian's Chromium through chromedriver (WebDriver), headless, with a fresh profile.
//! `act` does what a user does, `check` asserts what a user sees; both wait for the SPA.

use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::process::{Child, Command};

/// How long a check waits for the page to show something.
const WAIT: Duration = Duration::from_secs(20);

/// A headless Chromium session; its chromedriver and Chromium are killed when this is dropped.
/// The browser engine a test runs in: the stories of a first load and of going offline run in
/// both, since a large share of Swedish phones run Safari's engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    /// WebKitGTK (Debian's `webkit2gtk-driver`, MiniBrowser under Xvfb).
    WebKit,
}

pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: tempfile::TempDir,
    /// A WebKit browser's turn (see [`WEBKIT_TURNS`]), given back when it is dropped.
    _turn: Option<tokio::sync::SemaphorePermit<'static>>,
}

/// One WebKit browser at a time: MiniBrowser under Xvfb crashed ("page crash or hang") when
/// several ran beside the Chromium tests on a 2-core machine.
static WEBKIT_TURNS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

impl Browser {
    /// Starts Chromium with a `width` × `height` window and an English-speaking browser, so tests
    /// show that Swedish is the app's own default.
    pub async fn start(width: u32, height: u32) -> Browser {
        Self::start_in(width, height, tempfile::tempdir().expect("profile directory")).await
    }

    /// [`Self::start`] with the browser profile in `profile` (kept by the caller, e.g. to open
    /// it again in another tool with the same storage).
    pub async fn start_in(width: u32, height: u32, profile: tempfile::TempDir) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            // Its own process group, so Chromium goes with it (see Drop) even when a test panics.
            .process_group(0)
            .spawn()
            .expect("chromedriver runs (cargo xtask test installs it)");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "chromedriver did not start listening");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--lang=en-US".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        // Desktop Chromium will not make a window narrower than about 500 px; phone sizes need
        // mobile emulation to get a true 360 px viewport.
        let caps = json!({ "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": args,
            "mobileEmulation": { "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0 } },
        } });
        let mut caps = caps;
        if width >= 500 {
            caps["goog:chromeOptions"].as_object_mut().map(|o| o.remove("mobileEmulation"));
        }
        let caps = caps.as_object().cloned().unwrap_or_default();
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Browser { client, _driver: driver, _profile: profile, _turn: None }
    }

    /// Starts `engine` with a `width` × `height` window (WebKitGTK's is at least 400 px wide,
    /// and its viewport ends up somewhat wider than asked).
    pub async fn start_engine(engine: Engine, width: u32, height: u32) -> Browser {
        match engine {
            Engine::Chromium => Browser::start(width, height).await,
            Engine::WebKit => Browser::start_webkit(width.max(400), height).await,
        }
    }

    /// Starts WebKit (Safari's engine: WebKitGTK's MiniBrowser under Debian's WebKitWebDriver, in
    /// a virtual X display) with a `width` × `height` window.
    pub async fn start_webkit(width: u32, height: u32) -> Browser {
        let turn = WEBKIT_TURNS.acquire().await.expect("the semaphore is never closed");
        let port = free_port();
        let driver = Command::new("xvfb-run")
            .args(["-a", "WebKitWebDriver", &format!("--port={port}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .process_group(0)
            .spawn()
            .expect("WebKitWebDriver runs (cargo xtask test installs webkit2gtk-driver and xvfb)");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "WebKitWebDriver did not start listening");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("profile directory");
        let caps = json!({ "webkitgtk:browserOptions": {
            "binary": "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
            "args": ["--automation", "--enable-write-console-messages-to-stdout=false",
                format!("--geometry={width}x{height}")],
        } });
        let caps = caps.as_object().cloned().unwrap_or_default();
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session in WebKit");
        let _ = client.set_window_size(width, height).await;
        Browser { client, _driver: driver, _profile: profile, _turn: Some(turn) }
    }

    /// Saves a PNG of the page to `$TAVLA_SCREENSHOTS/<name>.png` when that variable is set, so a
    /// person can look at what the tests saw.
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("TAVLA_SCREENSHOTS") else {
            return;
        };
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
    }

    /// Ends the session cleanly.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }

    /// Ends the session and hands back the profile directory (its storage written out).
    pub async fn close_keeping_profile(mut self) -> tempfile::TempDir {
        let _ = self.client.clone().close().await;
        std::mem::replace(&mut self._profile, tempfile::tempdir().expect("a directory"))
    }
}

impl Drop for Browser {
    /// Ends chromedriver and the Chromium it started: a panicking test never calls `close`, and
    /// left-over browsers would slow every later test and benchmark on the machine.
    fn drop(&mut self) {
        if let Some(pid) = self._driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
}

/// An XPath string literal for `s` (tests never use both quote kinds in one text).
fn lit(s: &str) -> String {
    if s.contains('"') {
        format!("'{s}'")
    } else {
        format!("\"{s}\"")
    }
}

async fn wait_for(page: &Client, xpath: &str, what: &str) -> fantoccini::elements::Element {
    match page.wait().at_most(WAIT).for_element(Locator::XPath(xpath)).await {
        Ok(e) => e,
        Err(err) => {
            // Where the browser is and whether it still answers, so a blank page (a crashed web
            // process, a load that never finished) can be told apart from a wrong one.
            let url =
                page.current_url().await.map(|u| u.to_string()).unwrap_or_else(|e| format!("unknown ({e})"));
            let state = page
                .execute("return document.readyState + ' ' + document.title;", vec![])
                .await
                .map(|v| v.to_string())
                .unwrap_or_else(|e| format!("no answer ({e})"));
            let text = match page.find(Locator::Css("body")).await {
                Ok(b) => b.text().await.unwrap_or_else(|e| format!("(body text unreadable: {e})")),
                Err(e) => format!("(no body: {e})"),
            };
            panic!(
                "{what} did not appear within {WAIT:?} ({err}) at {url} [{state}]; the page shows:\n{text}"
            );
        }
    }
}

/// Clicks the first element matching `xpath` that a person can see. One inside a closed menu
/// (a phone's "Mer" in the bottom bar) is reached as a person reaches it: the menu is opened
/// first. Hidden copies (the wide screen's menu on a phone) are passed over.
async fn click_visible(page: &Client, xpath: &str, what: &str) {
    wait_for(page, xpath, what).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let all = page.find_all(Locator::XPath(xpath)).await.unwrap_or_default();
        let mut opened = false;
        for e in &all {
            if e.is_displayed().await.unwrap_or(false) {
                // Scrolled to the middle first, as a person scrolls to what they tap: at the
                // bottom edge it would be under a phone's bottom bar.
                let element = serde_json::to_value(e).expect("element as JSON");
                let script = "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });";
                page.execute(script, vec![element]).await.expect("script runs");
                e.click().await.expect("click");
                return;
            }
        }
        for e in &all {
            if let Ok(summary) = e.find(Locator::XPath("ancestor::details[not(@open)][1]/summary")).await {
                if summary.is_displayed().await.unwrap_or(false) {
                    summary.click().await.expect("the menu opens");
                    opened = true;
                    break;
                }
            }
        }
        assert!(opened || tokio::time::Instant::now() < deadline, "{what} is on the page but not visible");
        if !opened {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A Chromium-only WebDriver command: `POST /session/{id}/{path}` with a JSON body.
#[derive(Debug)]
struct ChromiumCommand {
    path: &'static str,
    body: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for ChromiumCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/{}", session_id.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Makes the page's network and CPU as slow as a phone's: `latency_ms` added to each round
/// trip, throughputs in bytes per second, and the CPU `cpu_rate` times slower (Chromium's
/// DevTools emulation, through chromedriver).
pub async fn throttle(page: &Client, latency_ms: u64, down: u64, up: u64, cpu_rate: u64) {
    let network = ChromiumCommand {
        path: "chromium/network_conditions",
        body: json!({ "network_conditions": { "offline": false, "latency": latency_ms,
            "download_throughput": down, "upload_throughput": up } }),
    };
    page.issue_cmd(network).await.expect("network throttled");
    let cpu = ChromiumCommand {
        path: "goog/cdp/execute",
        body: json!({ "cmd": "Emulation.setCPUThrottlingRate", "params": { "rate": cpu_rate } }),
    };
    page.issue_cmd(cpu).await.expect("CPU throttled");
}

/// Cuts the page off the network (`true`) or gives it back (Chromium's emulation): the test
/// process can still reach the server meanwhile.
pub async fn set_offline(page: &Client, offline: bool) {
    let cmd = ChromiumCommand {
        path: "chromium/network_conditions",
        body: json!({ "network_conditions": { "offline": offline, "latency": 0,
            "download_throughput": -1, "upload_throughput": -1 } }),
    };
    page.issue_cmd(cmd).await.expect("network conditions set");
}

/// Makes the page report another browser (`navigator.userAgent`) from the next load on.
pub async fn emulate_user_agent(page: &Client, agent: &str) {
    let cmd = ChromiumCommand {
        path: "goog/cdp/execute",
        body: json!({ "cmd": "Emulation.setUserAgentOverride", "params": { "userAgent": agent } }),
    };
    page.issue_cmd(cmd).await.expect("user agent set");
}

/// Makes the page use its print stylesheet (`"print"`) or the screen's again (`""`), as the
/// browser does while printing (Chromium's emulation), so a test can look at what prints.
pub async fn emulate_media(page: &Client, media: &str) {
    let cmd = ChromiumCommand {
        path: "goog/cdp/execute",
        body: json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "media": media } }),
    };
    page.issue_cmd(cmd).await.expect("media emulated");
}

/// The page printed to an A4 PDF by the browser ("Skriv ut / spara som PDF"), and its number
/// of pages. Saved to `$TAVLA_SCREENSHOTS/<name>.pdf` when that variable is set.
pub async fn print_pdf(page: &Client, name: &str) -> (Vec<u8>, usize) {
    let config = fantoccini::wd::PrintConfiguration::builder().build().expect("an A4 configuration");
    let pdf = page.print(config).await.expect("the page prints");
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    if let Some(dir) = std::env::var_os("TAVLA_SCREENSHOTS") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        std::fs::write(dir.join(format!("{name}.pdf")), &pdf).expect("PDF written");
    }
    // Each page is an object of `/Type /Page` (the page tree is `/Type /Pages`).
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.match_indices("/Type /Page").filter(|(i, _)| !text[i + 11..].starts_with('s')).count();
    (pdf, pages)
}

/// From now on, files the page hands to the browser as downloads (a link with `download`) are
/// kept in the page instead, so [`downloads`] can read them back.
pub async fn catch_downloads(page: &Client) {
    let script = "window.__downloads = [];
        const click = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function () {
            if (this.download && this.href.startsWith('data:')) {
                const comma = this.href.indexOf(',');
                window.__downloads.push([this.download, decodeURIComponent(this.href.slice(comma + 1))]);
                return;
            }
            return click.call(this);
        };";
    page.execute(script, vec![]).await.expect("script runs");
}

/// The files downloaded since [`catch_downloads`]: (name, text).
pub async fn downloads(page: &Client) -> Vec<(String, String)> {
    let value = page.execute("return window.__downloads || [];", vec![]).await.expect("script runs");
    serde_json::from_value(value).expect("name and text pairs")
}

/// What a user does.
pub mod act {
    use super::*;

    pub async fn open(page: &Client, url: &str) {
        page.goto(url).await.expect("page opens");
    }

    pub async fn reload(page: &Client) {
        page.refresh().await.expect("page reloads");
    }

    /// Types into the input or text area labelled `label` (so the label must be tied to it).
    pub async fn fill(page: &Client, label: &str, value: &str) {
        let xpath = format!(
            "//*[self::input or self::textarea][@id=//label[normalize-space(.)={}]/@for]",
            lit(label)
        );
        let input = wait_for(page, &xpath, &format!("an input labelled «{label}»")).await;
        input.clear().await.expect("input clears");
        input.send_keys(value).await.expect("typing works");
    }

    /// Sets a date input labelled `label` to `date` (YYYY-MM-DD) as a date picker would: typed
    /// keys into `<input type="date">` depend on the browser's locale, a picked date does not.
    pub async fn pick_date(page: &Client, label: &str, date: &str) {
        let xpath = format!("//input[@type='date'][@id=//label[normalize-space(.)={}]/@for]", lit(label));
        let input = wait_for(page, &xpath, &format!("a date input labelled «{label}»")).await;
        let script = "arguments[0].value = arguments[1];
            arguments[0].dispatchEvent(new Event('input', { bubbles: true }));";
        let element = serde_json::to_value(&input).expect("element as JSON");
        page.execute(script, vec![element, serde_json::json!(date)]).await.expect("script runs");
    }

    /// Picks the option reading `option` in the drop-down labelled `label`.
    pub async fn select(page: &Client, label: &str, option: &str) {
        let xpath = format!("//select[@id=//label[normalize-space(.)={}]/@for]", lit(label));
        let select = wait_for(page, &xpath, &format!("a drop-down labelled «{label}»")).await;
        select.select_by_label(option).await.expect("option chosen");
    }

    /// Waits until the service worker is active, so the next load can be served from its cache.
    pub async fn wait_for_service_worker(page: &Client) {
        let script = "const done = arguments[arguments.length - 1];
            navigator.serviceWorker.ready.then(() => done(true), () => done(false));";
        let ready = page.execute_async(script, vec![]).await.expect("script runs");
        assert_eq!(ready, serde_json::json!(true), "the service worker became active");
    }

    /// Clicks the button reading `text`, or named `text` by its `aria-label`.
    pub async fn click_button(page: &Client, text: &str) {
        let xpath = format!("//button[normalize-space(.)={0} or @aria-label={0}]", lit(text));
        click_visible(page, &xpath, &format!("button «{text}»")).await;
    }

    /// Presses Escape in whatever has the focus.
    pub async fn press_escape(page: &Client) {
        press(page, "\u{E00C}").await;
    }

    /// Presses the down arrow in whatever has the focus.
    pub async fn press_arrow_down(page: &Client) {
        press(page, "\u{E015}").await;
    }

    /// Presses Enter in whatever has the focus.
    pub async fn press_enter(page: &Client) {
        press(page, "\u{E007}").await;
    }

    /// Sends one key (a WebDriver key code) to whatever has the focus.
    async fn press(page: &Client, key: &str) {
        let focused = page.active_element().await.expect("something has focus");
        focused.send_keys(key).await.expect("key sent");
    }

    /// Chooses the file at `path` in the file input labelled `label`.
    pub async fn choose_file(page: &Client, label: &str, path: &std::path::Path) {
        let xpath = format!("//input[@type='file'][@id=//label[normalize-space(.)={}]/@for]", lit(label));
        let input = wait_for(page, &xpath, &format!("a file input labelled «{label}»")).await;
        input.send_keys(&path.display().to_string()).await.expect("file chosen");
    }

    /// Ticks the radio button or checkbox labelled `label`, scrolled to the middle of the window
    /// first as a person would (a form's sticky save bar may cover the bottom of the window).
    pub async fn choose(page: &Client, label: &str) {
        let xpath = format!("//input[@id=//label[normalize-space(.)={}]/@for]", lit(label));
        let input = wait_for(page, &xpath, &format!("choice «{label}»")).await;
        let element = serde_json::to_value(&input).expect("element as JSON");
        page.execute("arguments[0].scrollIntoView({block: 'center'});", vec![element])
            .await
            .expect("script runs");
        input.click().await.expect("click");
    }

    /// Opens (or closes) the `<details>` whose summary reads `text`.
    pub async fn click_summary(page: &Client, text: &str) {
        let xpath = format!("//summary[normalize-space(.)={}]", lit(text));
        wait_for(page, &xpath, &format!("summary «{text}»")).await.click().await.expect("click");
    }

    pub async fn click_link(page: &Client, text: &str) {
        let xpath = format!("//a[contains(normalize-space(.), {})]", lit(text));
        click_visible(page, &xpath, &format!("link «{text}»")).await;
    }

    /// Opens the app at `base`, logs in as the first admin and waits for the overview.
    pub async fn sign_in_as_admin(page: &Client, base: &str) {
        open(page, &format!("{base}/")).await;
        log_in(page, "admin", crate::helpers::ADMIN_PASSWORD).await;
        check::heading(page, "Strategiska mål 2026").await;
    }

    /// Waits until the app's wasm runs and has drawn its pages (the plain login of index.html
    /// works before; its own tests are in `first_load.rs`).
    pub async fn app_started(page: &Client) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let started = page
                .execute("return performance.getEntriesByName('tavla-drawn').length > 0;", vec![])
                .await
                .expect("script runs");
            if started == serde_json::json!(true) {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "the app did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Starts a sync as the browser coming back online does (works on any page of the app).
    pub async fn sync(page: &Client) {
        page.execute("window.dispatchEvent(new Event('online'));", vec![]).await.expect("script runs");
    }

    /// Fills the Swedish login form and submits it, once the app has started.
    pub async fn log_in(page: &Client, username: &str, password: &str) {
        app_started(page).await;
        fill(page, "Användarnamn", username).await;
        fill(page, "Lösenord", password).await;
        click_button(page, "Logga in").await;
    }
}

/// What a user sees.
pub mod check {
    use super::*;

    /// A heading (h1–h3) reading exactly `text`.
    pub async fn heading(page: &Client, text: &str) {
        let xpath = format!("//*[self::h1 or self::h2 or self::h3][normalize-space(.)={}]", lit(text));
        wait_for(page, &xpath, &format!("heading «{text}»")).await;
    }

    /// Some element containing `text`.
    pub async fn text(page: &Client, text: &str) {
        let xpath = format!("//body//*[contains(normalize-space(.), {})]", lit(text));
        wait_for(page, &xpath, &format!("text «{text}»")).await;
    }

    /// An element with role="alert" containing `text` (announced by screen readers).
    pub async fn alert(page: &Client, text: &str) {
        let xpath = format!("//*[@role='alert'][contains(normalize-space(.), {})]", lit(text));
        wait_for(page, &xpath, &format!("alert «{text}»")).await;
    }

    /// The first element matching `css` comes to read exactly `text` (e.g. a counter).
    pub async fn text_in(page: &Client, css: &str, text: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let now = match page.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            // WebDriver reports no-break spaces as plain ones.
            if now.trim() == text.replace('\u{a0}', " ") {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "«{css}» reads «{now}», not «{text}»");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The keyboard focus is on the control reading, named (`aria-label`) or labelled `name`.
    pub async fn focused(page: &Client, name: &str) {
        let script = "const e = document.activeElement;
            if (!e) return null;
            const label = e.labels && e.labels.length ? e.labels[0].textContent.trim() : null;
            return e.getAttribute('aria-label') || label || e.textContent.trim();";
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let now = page.execute(script, vec![]).await.expect("script runs");
            if now.as_str() == Some(name) {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "the focus is on {now}, not «{name}»");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The drop-down labelled `label` shows `option` (found afresh each try: a re-render may
    /// replace the element).
    pub async fn selected(page: &Client, label: &str, option: &str) {
        let xpath = format!(
            "//select[@id=//label[normalize-space(.)={}]/@for]/option[normalize-space(.)={}]",
            lit(label),
            lit(option)
        );
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let found = wait_for(page, &xpath, &format!("option «{option}» of «{label}»")).await;
            if found.is_selected().await.unwrap_or(false) {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "«{label}» does not show «{option}»");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The input or text area labelled `label` holds `value`.
    pub async fn field_value(page: &Client, label: &str, value: &str) {
        let xpath = format!(
            "//*[self::input or self::textarea][@id=//label[normalize-space(.)={}]/@for]",
            lit(label)
        );
        let field = wait_for(page, &xpath, &format!("a field labelled «{label}»")).await;
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let now = field.prop("value").await.expect("value readable").unwrap_or_default();
            if now == value {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "«{label}» holds «{now}», not «{value}»");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page declares its language (`<html lang>`), for screen readers.
    pub async fn lang(page: &Client, lang: &str) {
        let xpath = format!("/html[@lang={}]", lit(lang));
        wait_for(page, &xpath, &format!("<html lang=\"{lang}\">")).await;
    }

    /// Something matching `css` appears.
    pub async fn css(page: &Client, css: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while count(page, css).await == 0 {
            assert!(tokio::time::Instant::now() < deadline, "«{css}» did not appear");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Nothing matches `css` (waiting for it to go, e.g. after a sync).
    pub async fn gone(page: &Client, css: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while count(page, css).await > 0 {
            assert!(tokio::time::Instant::now() < deadline, "«{css}» is still on the page");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The Content-Security-Policy blocked nothing on this page (index.html collects violations).
    pub async fn no_csp_violations(page: &Client) {
        let seen = page.execute("return window.__tavlaCsp;", vec![]).await.expect("script runs");
        assert_eq!(seen, serde_json::json!([]), "CSP violations");
    }

    /// Deque's axe-core finds no accessibility violation on the page as it stands (WCAG 2.x A
    /// and AA rules, and axe's best practices). `cargo xtask test` installs axe-core and names
    /// its script in `TAVLA_AXE`.
    pub async fn accessible(page: &Client, what: &str) {
        let path = std::env::var_os("TAVLA_AXE").map(std::path::PathBuf::from).unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../target/axe/node_modules/axe-core/axe.min.js")
        });
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("axe-core at {} ({e}): `cargo xtask test` installs it", path.display())
        });
        let loaded = format!("{source}\nreturn typeof axe;");
        let kind = page.execute(&loaded, vec![]).await.expect("axe-core loads");
        assert_eq!(kind, serde_json::json!("object"), "axe-core defined");
        let script = "const done = arguments[0];
            axe.run(document, { resultTypes: ['violations'] }).then(
                r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                    + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))),
                e => done(['axe failed: ' + e]));";
        let found = page.execute_async(script, vec![]).await.expect("axe runs");
        assert_eq!(found, serde_json::json!([]), "accessibility violations on {what}");
    }

    /// The heading `text` has the keyboard focus (a page's `<h1>` after moving to the page).
    pub async fn heading_focused(page: &Client, text: &str) {
        let script = "const e = document.activeElement;
            return e && /^H[1-6]$/.test(e.tagName) ? e.textContent.trim() : (e ? e.tagName : null);";
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let now = page.execute(script, vec![]).await.expect("script runs");
            if now.as_str() == Some(text) {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the focus is on {now}, not the heading «{text}»"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// How many elements match a CSS selector now.
    pub async fn count(page: &Client, css: &str) -> usize {
        page.find_all(Locator::Css(css)).await.expect("query works").len()
    }

    /// The page fits the window's width: nothing to scroll sideways on a phone. Returns the
    /// viewport's width, so a test can make sure it ran at the size it meant.
    pub async fn no_horizontal_scroll(page: &Client) -> u64 {
        let widths = page
            .execute(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                vec![],
            )
            .await
            .expect("script runs");
        let scroll = widths[0].as_u64().expect("a number");
        let client = widths[1].as_u64().expect("a number");
        assert!(scroll <= client, "page is {scroll}px wide in a {client}px window");
        client
    }
}
