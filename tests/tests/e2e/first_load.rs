//! The first load on a phone (issue 14): the built files go out precompressed (brotli or gzip,
//! never compressed per request) and content-hashed files are cached for a year; the app is
//! installable (a manifest whose icons load at their declared sizes); crawlers are turned away;
//! after one visit every page opens offline; a new build is offered, and reloading for it keeps
//! the waiting edits.

use reqwest::StatusCode;
use tavla_shared::Kind;

use tavla_tests::helpers::browser::{act, check, Browser, Engine};
use tavla_tests::helpers::{dist_dir, find, spawn_app, spawn_app_with, start_at_with, TestApp};

/// The built file whose name ends with `suffix` (e.g. `_bg.wasm`).
fn built(suffix: &str) -> String {
    std::fs::read_dir(dist_dir())
        .expect("a built SPA")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.ends_with(suffix))
        .unwrap_or_else(|| panic!("no built file ending in {suffix}"))
}

async fn get_encoded(app: &TestApp, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut request = app.http.get(app.url(path));
    if let Some(accept) = accept {
        request = request.header("accept-encoding", accept);
    }
    request.send().await.expect("request sent")
}

#[tokio::test]
async fn built_files_go_out_precompressed_and_hashed_ones_are_cached_for_a_year() {
    let app = spawn_app().await;
    let dist = dist_dir();
    for name in [built("_bg.wasm"), built(".js"), built(".css")] {
        let path = format!("/{name}");
        let plain = std::fs::read(dist.join(&name)).unwrap();
        for (accept, encoding, copy) in [
            (Some("gzip, deflate, br"), Some("br"), ".br"),
            (Some("gzip"), Some("gzip"), ".gz"),
            (None, None, ""),
        ] {
            let res = get_encoded(&app, &path, accept).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_eq!(
                res.headers().get("content-encoding").and_then(|v| v.to_str().ok()),
                encoding,
                "{path} for {accept:?}"
            );
            assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable", "{path}");
            if accept.is_some() {
                assert!(
                    res.headers()
                        .get("vary")
                        .is_some_and(|v| v.to_str().unwrap().contains("accept-encoding")),
                    "{path}: caches keep the encodings apart"
                );
            }
            let body = res.bytes().await.unwrap();
            let expected = if copy.is_empty() {
                plain.clone()
            } else {
                std::fs::read(dist.join(format!("{name}{copy}"))).unwrap()
            };
            assert_eq!(
                body.as_ref(),
                expected.as_slice(),
                "{path}: the file written at build time, byte for byte"
            );
        }
    }
    // The wasm as sent is brotli's, smaller than gzip's.
    let wasm = built("_bg.wasm");
    let br = std::fs::metadata(dist.join(format!("{wasm}.br"))).unwrap().len();
    let gz = std::fs::metadata(dist.join(format!("{wasm}.gz"))).unwrap().len();
    assert!(br < gz, "brotli {br} < gzip {gz}");

    // What names the current build is revalidated on every visit.
    for path in [
        "/",
        "/index.html",
        "/mal/3",
        "/sw.js",
        "/manifest.webmanifest",
        "/icons/icon-192.png",
        "/robots.txt",
    ] {
        let res = get_encoded(&app, path, Some("br")).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
    }
    let index = get_encoded(&app, "/mal/3", Some("br")).await;
    assert_eq!(index.headers()["content-encoding"], "br", "client routes get index.html's brotli copy");

    // A file that is not there is a 404, never index.html under a script's name.
    for path in ["/tavla-frontend-0123456789abcdef_bg.wasm", "/icons/nope.png", "/../Cargo.toml"] {
        let res = get_encoded(&app, path, Some("br")).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert_ne!(
            res.headers().get("cache-control").map(|v| v.to_str().unwrap()),
            Some("public, max-age=31536000, immutable")
        );
    }

    // A revalidated hashed file keeps its year (a 304's headers replace the stored ones).
    let wasm_path = format!("/{}", built("_bg.wasm"));
    let first = get_encoded(&app, &wasm_path, Some("br")).await;
    let modified = first.headers()["last-modified"].clone();
    let again = app.http.get(app.url(&wasm_path)).header("if-modified-since", modified).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["cache-control"], "public, max-age=31536000, immutable");
    // Paths are read decoded, as the file server reads them; a page asked for with a stray dot
    // (a pasted link) gets the app, not a bare 404.
    let encoded = app.get("/icons/icon%2D192.png", None).await;
    assert_eq!(encoded.status(), StatusCode::OK);
    let page = app.http.get(app.url("/mal/3.")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-cache");

    let robots = app.get("/robots.txt", None).await.text().await.unwrap();
    assert!(robots.contains("User-agent: *") && robots.contains("Disallow: /"), "{robots}");
    let html = app.get("/", None).await.text().await.unwrap();
    assert!(html.contains(r#"<meta name="description""#), "a description for link previews");
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let n = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (n(16), n(20))
}

#[tokio::test]
async fn the_app_can_be_added_to_a_home_screen() {
    let app = spawn_app().await;
    let html = app.get("/", None).await.text().await.unwrap();
    for tag in [
        r#"<link rel="manifest" href="/manifest.webmanifest""#,
        r#"<link rel="apple-touch-icon" href="/icons/apple-touch-icon.png""#,
        r#"<meta name="apple-mobile-web-app-capable" content="yes""#,
        r#"<meta name="theme-color""#,
    ] {
        assert!(html.contains(tag), "index.html has {tag}");
    }
    let manifest: serde_json::Value = app.get("/manifest.webmanifest", None).await.json().await.unwrap();
    assert_eq!(manifest["short_name"], "Tavla");
    assert_eq!(manifest["name"], "Tavla – Leader Södermanland");
    assert_eq!(manifest["lang"], "sv");
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["display"], "standalone");
    assert!(manifest["theme_color"].as_str().is_some_and(|c| c.starts_with('#')));
    let icons = manifest["icons"].as_array().expect("icons");
    let mut seen = Vec::new();
    for icon in icons {
        let src = icon["src"].as_str().unwrap();
        let res = app.get(src, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{src}");
        assert_eq!(res.headers()["content-type"], "image/png", "{src}");
        let (w, h) = png_size(&res.bytes().await.unwrap());
        assert_eq!(icon["sizes"], format!("{w}x{h}"), "{src} is the size it says");
        seen.push((w, icon["purpose"].as_str().unwrap_or("any").to_string()));
    }
    for wanted in [(192, "any"), (512, "any"), (512, "maskable")] {
        assert!(seen.iter().any(|(w, p)| *w == wanted.0 && p == wanted.1), "an icon {wanted:?} in {seen:?}");
    }
    let apple = app.get("/icons/apple-touch-icon.png", None).await.bytes().await.unwrap();
    assert_eq!(png_size(&apple), (180, 180));
}

/// A server on a new data directory serving the SPA built in `dist`.
async fn app_on(dist: &std::path::Path) -> TestApp {
    let dist = dist.to_path_buf();
    spawn_app_with(move |c| c.dist = dist).await
}

/// A copy of the built SPA (with its icons), to change into a "new build" under a running server.
fn copy_of_dist() -> tempfile::TempDir {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&dist_dir(), dir.path());
    dir
}

const NOTED: &str = "Dialog med Länsstyrelsen.";

#[tokio::test]
async fn a_new_build_is_offered_and_reloading_for_it_keeps_the_waiting_edits() {
    a_new_build_is_offered_and_reloading_for_it_keeps_the_waiting_edits_in(Engine::Chromium).await;
}

/// The same in Safari's engine (WebKitGTK).
#[tokio::test]
async fn a_new_build_is_offered_and_reloading_for_it_keeps_the_waiting_edits_in_webkit() {
    a_new_build_is_offered_and_reloading_for_it_keeps_the_waiting_edits_in(Engine::WebKit).await;
}

async fn a_new_build_is_offered_and_reloading_for_it_keeps_the_waiting_edits_in(engine: Engine) {
    let build = copy_of_dist();
    let dist = build.path().to_path_buf();
    let app = app_on(&dist).await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", NOTED);
    let phone = Browser::start_engine(engine, 360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Allt är synkat").await;
    act::wait_for_service_worker(page).await;

    // A new build is deployed while the page is open: a new loader name in a new index.html,
    // and the server restarted on it (as a deploy does; its policy names the new loader).
    let addr = app.addr;
    let data = app.stop().await;
    let old_js = built(".js");
    let new_js = "tavla-frontend-0123456789abcdef.js";
    std::fs::copy(dist.join(&old_js), dist.join(new_js)).unwrap();
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, html.replace(&old_js, new_js)).unwrap();
    std::fs::remove_file(dist.join("index.html.br")).unwrap();
    std::fs::remove_file(dist.join("index.html.gz")).unwrap();
    let app = start_at_with(data, addr, {
        let dist = dist.clone();
        move |c| c.dist = dist
    })
    .await;
    act::sync(page).await;
    check::text(page, "Ny version finns").await;
    phone.screenshot("new-version-offer").await;

    // Offered, not forced: an edit made offline meanwhile waits, and survives the reload.
    let data = app.stop().await;
    act::open(page, &format!("{}/aktivitet/{}", addr_url(addr), activity.id)).await;
    check::heading(page, NOTED).await;
    act::fill(page, "Anteckningar", "Skrivet före omladdningen").await;
    act::click_button(page, "Spara").await;
    check::text(page, "1 osynkad ändring").await;
    act::reload(page).await;
    check::heading(page, NOTED).await;
    assert!(page.source().await.unwrap().contains(new_js), "the new build, from the cache, offline");
    check::field_value(page, "Anteckningar", "Skrivet före omladdningen").await;
    check::text(page, "1 osynkad ändring").await;

    let app = start_at_with(data, addr, move |c| c.dist = dist).await;
    act::sync(page).await;
    check::text(page, "Allt är synkat").await;
    let token = app.admin_token().await;
    assert_eq!(app.snapshot(&token).await[&activity.id].fields["notes"], "Skrivet före omladdningen");
    phone.close().await;
}

fn addr_url(addr: std::net::SocketAddr) -> String {
    format!("http://{addr}")
}

#[tokio::test]
async fn after_one_visit_every_page_opens_offline() {
    after_one_visit_every_page_opens_offline_in(Engine::Chromium).await;
}

/// The same in Safari's engine (WebKitGTK).
#[tokio::test]
async fn after_one_visit_every_page_opens_offline_in_webkit() {
    after_one_visit_every_page_opens_offline_in(Engine::WebKit).await;
}

async fn after_one_visit_every_page_opens_offline_in(engine: Engine) {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", NOTED);
    let phone = Browser::start_engine(engine, 360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Allt är synkat").await;
    act::wait_for_service_worker(page).await;

    let base = app.base.clone();
    let _data = app.stop().await;
    let pages = [
        ("/".to_string(), "Verksamhetsplan 2026"),
        ("/mal/1".into(), "Upparbeta 75 % av de tilldelade projektmedlen för programperioden 2023–2027"),
        ("/mal/3".into(), "Fortsätta arbetet mot en bättre beredskap inom verksamhetsområdet"),
        ("/aktiviteter".into(), "Aktiviteter"),
        ("/aktiviteter?vy=tavla&mal=3".into(), "Aktiviteter"),
        (format!("/aktivitet/{}", activity.id), NOTED),
        ("/handelser".into(), "Händelser"),
        ("/handelser/ny?typ=workshop".into(), "Ny händelse"),
        ("/konflikter".into(), "Konflikter"),
        ("/ideer".into(), "Idéer"),
        ("/ideer/ny".into(), "Ny idé"),
        ("/personer".into(), "Personer"),
        ("/ambassadorer".into(), "Ambassadörer"),
        ("/konton".into(), "Konton"),
        ("/mitt-konto".into(), "Mitt konto"),
    ];
    for (path, heading) in pages {
        // A full load of the address, as from a bookmark or the home screen.
        act::open(page, &format!("{base}{path}")).await;
        check::heading(page, heading).await;
        check::text(page, "Offline").await;
    }
    let panic = page.execute("return window.__tavlaPanic || null;", vec![]).await.unwrap();
    assert_eq!(panic, serde_json::Value::Null);
    assert_eq!(check::count(page, ".install-hint").await, 0, "no home-screen hint outside iOS");
    phone.close().await;
}

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

#[tokio::test]
async fn safari_on_an_iphone_is_invited_to_add_the_app_to_the_home_screen() {
    let app = spawn_app().await;
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    tavla_tests::helpers::browser::emulate_user_agent(page, IPHONE).await;
    act::sign_in_as_admin(page, &app.base).await;
    // Safari may clear a site's storage after a week unused: waiting edits would go with it.
    check::heading(page, "Lägg Tavla på hemskärmen").await;
    check::text(page, "Lägg till på hemskärmen").await;
    check::accessible(page, "the home-screen hint").await;
    phone.screenshot("install-hint-iphone").await;
    act::click_button(page, "Stäng").await;
    check::gone(page, ".install-hint").await;
    act::reload(page).await;
    check::heading(page, "Strategiska mål 2026").await;
    assert_eq!(check::count(page, ".install-hint").await, 0, "closed once, gone for good");
    phone.close().await;
}

/// Moves the built wasm aside in `dist` (so the app cannot start), returning a way back.
fn hide_wasm(dist: &std::path::Path) -> Vec<(std::path::PathBuf, std::path::PathBuf)> {
    let wasm = built("_bg.wasm");
    let moves: Vec<_> = ["", ".br", ".gz"]
        .iter()
        .map(|copy| (dist.join(format!("{wasm}{copy}")), dist.join(format!("hidden{copy}"))))
        .collect();
    for (from, to) in &moves {
        std::fs::rename(from, to).unwrap();
    }
    moves
}

fn bring_back(moves: &[(std::path::PathBuf, std::path::PathBuf)]) {
    for (from, to) in moves {
        std::fs::rename(to, from).unwrap();
    }
}

#[tokio::test]
async fn the_login_page_works_before_the_app_has_loaded() {
    the_login_page_works_before_the_app_has_loaded_in(Engine::Chromium).await;
}

/// The same in Safari's engine (WebKitGTK).
#[tokio::test]
async fn the_login_page_works_before_the_app_has_loaded_in_webkit() {
    the_login_page_works_before_the_app_has_loaded_in(Engine::WebKit).await;
}

async fn the_login_page_works_before_the_app_has_loaded_in(engine: Engine) {
    let build = copy_of_dist();
    let dist = build.path().to_path_buf();
    let hidden = hide_wasm(&dist);
    let app = app_on(&dist).await;
    let phone = Browser::start_engine(engine, 360, 800).await;
    let page = &phone.client;
    // The wasm never arrives: the plain page alone logs in.
    act::open(page, &app.url("/")).await;
    check::heading(page, "Logga in").await;
    // Never a dead page: it says why the app did not come, and offers to try again.
    check::alert(page, "Tavla kunde inte laddas").await;
    check::css(page, "#boot-retry").await;
    check::accessible(page, "the plain login page").await;
    // Nothing to scroll sideways (WebKitGTK's window ends up wider than asked: 447 px).
    let width = check::no_horizontal_scroll(page).await;
    if let Engine::Chromium = engine {
        assert_eq!(width, 360);
    }
    act::fill(page, "Användarnamn", "admin").await;
    act::fill(page, "Lösenord", "inte rätt lösenord").await;
    act::click_button(page, "Logga in").await;
    check::alert(page, "Fel användarnamn eller lösenord.").await;
    check::field_value(page, "Lösenord", "").await;
    act::fill(page, "Lösenord", tavla_tests::helpers::ADMIN_PASSWORD).await;
    act::click_button(page, "Logga in").await;
    check::text_in(page, "#boot-wait:not([hidden])", "Inloggad – Tavla laddas …").await;
    let session = page
        .execute("return JSON.parse(localStorage.getItem('tavla.session')).user.username;", vec![])
        .await
        .unwrap();
    assert_eq!(session, serde_json::json!("admin"));
    phone.screenshot("plain-login-phone").await;

    // Once the app can load, it opens logged in.
    bring_back(&hidden);
    act::reload(page).await;
    check::heading(page, "Strategiska mål 2026").await;
    check::gone(page, "#boot").await;
    phone.close().await;
}

#[tokio::test]
async fn what_is_typed_while_the_app_starts_stays_where_it_is() {
    let build = copy_of_dist();
    let dist = build.path().to_path_buf();
    let hidden = hide_wasm(&dist);
    let app = app_on(&dist).await;
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::open(page, &app.url("/")).await;
    check::heading(page, "Logga in").await;
    act::fill(page, "Användarnamn", "admin").await;

    // The wasm arrives while the person is in the user name field: nothing moves under their
    // fingers (the plain page stays the login page; the app draws no second one).
    bring_back(&hidden);
    let (js, wasm) = (built(".js"), built("_bg.wasm"));
    let start = format!(
        "const done = arguments[0];
         import('/{js}').then(m => m.default({{ module_or_path: '/{wasm}' }})).then(() => done(true), e => done(String(e)));"
    );
    assert_eq!(page.execute_async(&start, vec![]).await.unwrap(), serde_json::json!(true));
    check::field_value(page, "Användarnamn", "admin").await;
    check::focused(page, "Användarnamn").await;
    assert_eq!(check::count(page, "form").await, 1, "one login form");
    assert_eq!(check::count(page, "#boot-login:not([hidden])").await, 1);
    // English, then back: the plain page switches, and the app follows.
    act::click_button(page, "English").await;
    check::heading(page, "Log in").await;
    act::click_button(page, "Svenska").await;
    act::fill(page, "Lösenord", tavla_tests::helpers::ADMIN_PASSWORD).await;
    act::click_button(page, "Logga in").await;
    check::heading(page, "Strategiska mål 2026").await;
    check::gone(page, "#boot").await;
    phone.close().await;
}

/// Safari's engine (WebKitGTK): the plain login, the overview, an edit saved offline that
/// survives a reload without network and reaches the server once it is back.
#[tokio::test]
async fn in_webkit_the_app_logs_in_works_offline_and_sends_the_edit_when_back() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", NOTED);
    let browser = Browser::start_webkit(400, 800).await;
    let page = &browser.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Allt är synkat").await;
    act::wait_for_service_worker(page).await;
    act::open(page, &app.url(&format!("/aktivitet/{}", activity.id))).await;
    check::heading(page, NOTED).await;

    let addr = app.addr;
    let data = app.stop().await;
    act::reload(page).await;
    check::heading(page, NOTED).await;
    act::fill(page, "Anteckningar", "Skrivet i Safari utan nät").await;
    act::click_button(page, "Spara").await;
    check::text(page, "1 osynkad ändring").await;
    act::reload(page).await;
    check::field_value(page, "Anteckningar", "Skrivet i Safari utan nät").await;

    let app = tavla_tests::helpers::start_at(data, addr).await;
    act::sync(page).await;
    check::text(page, "Allt är synkat").await;
    let token = app.admin_token().await;
    assert_eq!(app.snapshot(&token).await[&activity.id].fields["notes"], "Skrivet i Safari utan nät");
    browser.close().await;
}

/// The app's IndexedDB stores: `[values in records (schema 2), values in pages (schema 3)]`.
async fn stored(page: &fantoccini::Client) -> serde_json::Value {
    let script = r#"
        const done = arguments[arguments.length - 1];
        const open = indexedDB.open("tavla");
        open.onsuccess = () => {
            const tx = open.result.transaction(["records", "pages"], "readonly");
            const r = tx.objectStore("records").count(), p = tx.objectStore("pages").count();
            tx.oncomplete = () => { open.result.close(); done([r.result, p.result]); };
        };
    "#;
    page.execute_async(script, vec![]).await.expect("script runs")
}

#[tokio::test]
async fn pull_pages_are_stored_whole_read_in_order_and_merged_when_they_pile_up() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let activity = find(&app.snapshot(&token).await, Kind::Activity, "title", NOTED);
    let phone = Browser::start(360, 800).await;
    let page = &phone.client;
    act::sign_in_as_admin(page, &app.base).await;
    check::text(page, "Allt är synkat").await;
    // The plan's records came in one pull page: one stored value, none in schema 2's store.
    assert_eq!(stored(page).await, serde_json::json!([0, 1]));

    // What an older release left (schema 2: a value per record), and 70 later pages, each
    // with a newer copy of the same activity, as a device syncing for days would store them.
    let mut legacy = serde_json::to_value(&activity).unwrap();
    legacy["id"] = serde_json::json!(uuid::Uuid::new_v4());
    legacy["fields"]["title"] = serde_json::json!("Sparad av en äldre version");
    let copies: Vec<String> = (1..=70)
        .map(|n| {
            let mut copy = serde_json::to_value(&activity).unwrap();
            copy["fields"]["title"] = serde_json::json!(format!("Version {n}"));
            format!("[{copy}]")
        })
        .collect();
    let script = r#"
        const [legacy, pages, done] = arguments;
        const open = indexedDB.open("tavla");
        open.onsuccess = () => {
            const tx = open.result.transaction(["records", "pages"], "readwrite");
            tx.objectStore("records").put(JSON.stringify(legacy), legacy.id);
            for (const p of pages) tx.objectStore("pages").add(p);
            tx.oncomplete = () => { open.result.close(); done(true); };
            tx.onerror = () => done(String(tx.error));
        };
    "#;
    let planted = page.execute_async(script, vec![legacy, serde_json::json!(copies)]).await.unwrap();
    assert_eq!(planted, serde_json::json!(true));
    assert_eq!(stored(page).await, serde_json::json!([1, 71]));

    // Read in the order written: the latest copy shows, and the older release's record too.
    act::open(page, &app.url("/aktiviteter")).await;
    check::text(page, "Version 70").await;
    check::text(page, "Sparad av en äldre version").await;
    let older = page.execute("return document.body.innerText.includes('Version 69');", vec![]).await.unwrap();
    assert_eq!(older, serde_json::json!(false), "an older copy is not shown");
    // Then merged: the latest copy of each record in one page, schema 2's store emptied.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while stored(page).await != serde_json::json!([0, 1]) {
        assert!(tokio::time::Instant::now() < deadline, "the pages were not merged: {}", stored(page).await);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    act::reload(page).await;
    check::text(page, "Version 70").await;
    check::text(page, "Sparad av en äldre version").await;

    // Logging out leaves nothing of the plan on the device.
    act::click_button(page, "Logga ut").await;
    check::heading(page, "Logga in").await;
    assert_eq!(stored(page).await, serde_json::json!([0, 0]));
    phone.close().await;
}
