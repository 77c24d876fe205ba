//! The web app in a real browser: Debian's headless Chromium, driven through `chromedriver`
//! with fantoccini, against the app served in-process on a fresh SQLite database.
//!
//! Each test starts its own app, its own `chromedriver` and a browser with a fresh profile,
//! and asserts what a person sees: classes on the diagram's nodes, the panel's text, the
//! progress bar, the URL. Waits are polling loops with a deadline, never fixed sleeps.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver` packages); without them the tests fail and say so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MOUSE_BUTTON_LEFT, MouseActions, PointerAction,
    WheelAction, WheelActions,
};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ROADMAP: &str = "engineering-leadership";
const NAME: &str = "ada";
const DISPLAY_NAME: &str = "Ada Lovelace";
const PASSWORD: &str = "correct horse battery staple 42";

/// How long a wait polls before the test fails: generous, for a loaded two-core machine.
const PATIENCE: Duration = Duration::from_secs(45);

/// One browser at a time: the machine is small, and parallel browsers only slow each other.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// ---------------------------------------------------------------------------------------------
// The harness: the app, chromedriver, the browser

/// Where the app under test is.
#[derive(Debug, Clone)]
struct Site {
    /// `http://127.0.0.1:PORT`
    base: String,
    /// The first-run link, `/setup?token=…`.
    setup: String,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A running `chromedriver` (in a process group of its own) and the browser profile it uses;
/// dropping it kills the group and removes the profile.
struct ChromeDriver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl ChromeDriver {
    async fn start() -> ChromeDriver {
        for (path, package) in [(CHROMEDRIVER, "chromium-driver"), (CHROMIUM, "chromium")] {
            assert!(
                Path::new(path).exists(),
                "the browser tests need {path}, which is missing: install Debian's chromium and \
                 chromium-driver packages (`apt-get install chromium chromium-driver`; this one \
                 comes from {package})"
            );
        }
        static N: AtomicU32 = AtomicU32::new(0);
        let profile = std::env::temp_dir().join(format!(
            "leadmap-browser-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).expect("create a browser profile directory");
        let port = free_port();
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| {
                    panic!(
                        "start {CHROMEDRIVER}: {e}. The browser tests need Debian's chromium and \
                         chromium-driver packages (`apt-get install chromium chromium-driver \
                         fonts-dejavu-core fonts-noto-color-emoji`; `.ci/run` installs them)"
                    )
                })
        };
        let mut driver = ChromeDriver {
            child,
            port,
            profile,
        };
        let status = format!("http://127.0.0.1:{port}/status");
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(r) = reqwest::get(&status).await
                && r.status().is_success()
            {
                break;
            }
            if let Ok(Some(exit)) = driver.child.try_wait() {
                panic!("{CHROMEDRIVER} --port={port} exited at start: {exit}");
            }
            assert!(
                Instant::now() < deadline,
                "{CHROMEDRIVER} did not answer on port {port} within {PATIENCE:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        driver
    }

    async fn connect(&self) -> Client {
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", self.profile.display()),
                ],
            },
        });
        let Value::Object(caps) = caps else {
            unreachable!("a JSON object")
        };
        ClientBuilder::rustls()
            .expect("a TLS set-up for the WebDriver client")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|e| panic!("start {CHROMIUM} through {CHROMEDRIVER}: {e}"))
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and any browser it left behind.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port for chromedriver")
}

/// Runs `test` against a new app on a new SQLite database, in a new browser; closes the
/// browser and stops the app whether the test passes or panics.
async fn with_browser<F, Fut>(test: F)
where
    F: FnOnce(Client, Site) -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    with_browser_config(leadmap_server::Config::default(), test).await;
}

/// [`with_browser`] with the app configured by the test; `Site::base` then ends with the
/// configured base path.
async fn with_browser_config<F, Fut>(config: leadmap_server::Config, test: F)
where
    F: FnOnce(Client, Site) -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    let prefix = config
        .base_path
        .as_ref()
        .map(|b| b.as_str().to_owned())
        .unwrap_or_default();
    let _one_at_a_time = SERIAL.lock().await;
    // `db` owns the temporary directory: keep it to the end, and serve a second store opened
    // on the same file.
    let db = leadmap_store::testing::sqlite().await;
    let store = leadmap_store::open(&db.url)
        .await
        .expect("open the test database");
    let state = leadmap_server::AppState::new(store, config)
        .await
        .expect("the app's state");
    let setup = state
        .setup_path()
        .expect("a fresh database has a first-run link");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(leadmap_server::serve(listener, state, async move {
        let _ = stopped.await;
    }));

    let driver = ChromeDriver::start().await;
    let client = driver.connect().await;
    let site = Site {
        base: format!("http://{addr}{prefix}"),
        setup,
    };
    // A task of its own, so that a failing assertion still lets the browser close below (a
    // local one: the polling closures' futures need not be `Send`).
    let local = tokio::task::LocalSet::new();
    let task = local.spawn_local(test(client.clone(), site));
    let outcome = local.run_until(task).await;

    let _ = client.close().await;
    drop(driver);
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    drop(db);
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the test did not finish: {e}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers: waiting, reading the page, typing

/// Polls `probe` until it gives a value; fails with the last thing it saw after [`PATIENCE`].
async fn eventually<T>(what: &str, mut probe: impl AsyncFnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match probe().await {
            Ok(v) => return v,
            Err(last) if Instant::now() >= deadline => {
                panic!("gave up after {PATIENCE:?} waiting for {what}; last seen: {last}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

async fn wait_for(c: &Client, css: &str) -> Element {
    c.wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css:?}: {e}"))
}

/// Clicks the element `css` finds.
async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn url_path(c: &Client) -> String {
    c.current_url().await.unwrap().path().to_owned()
}

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("run {script:?}: {e}"))
}

fn node_css(id: &str) -> String {
    format!("#view [data-id=\"{id}\"]")
}

/// A diagram node's `class` attribute.
async fn node_class(c: &Client, id: &str) -> String {
    match c.find(Locator::Css(&node_css(id))).await {
        Ok(g) => g.attr("class").await.unwrap().unwrap_or_default(),
        Err(e) => format!("(no node: {e})"),
    }
}

async fn has_class(c: &Client, css: &str, class: &str) -> Result<(), String> {
    let cls = match c.find(Locator::Css(css)).await {
        Ok(el) => el.attr("class").await.unwrap().unwrap_or_default(),
        Err(e) => return Err(format!("no {css}: {e}")),
    };
    if cls.split_whitespace().any(|c| c == class) {
        Ok(())
    } else {
        Err(format!("{css} has class {cls:?}"))
    }
}

async fn text_of(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(el) => el.text().await.unwrap_or_default(),
        Err(e) => format!("(no {css}: {e})"),
    }
}

/// Waits until the roadmap page's script has run (it marks the root element when ready).
async fn roadmap_ready(c: &Client) {
    wait_for(c, "html[data-ready-ms] #view svg [data-kind=\"topic\"]").await;
}

/// The first topic on the diagram: its id and its title.
async fn first_topic(c: &Client) -> (String, String) {
    let v = js(
        c,
        "var g = document.querySelector('#view [data-kind=\"topic\"]');\
         return [g.dataset.id, g.querySelector('text').textContent];",
        vec![],
    )
    .await;
    let id = v[0].as_str().expect("a topic id").to_owned();
    let title = v[1].as_str().expect("a topic title").trim().to_owned();
    assert!(!id.is_empty() && !title.is_empty(), "the first topic: {v}");
    (id, title)
}

/// The overall progress bar's value.
async fn overall_progress(c: &Client) -> f64 {
    js(
        c,
        "return document.querySelector('#overall progress').value;",
        vec![],
    )
    .await
    .as_f64()
    .expect("a number")
}

/// Gives a diagram node the keyboard focus, as Tab would.
async fn focus_node(c: &Client, id: &str) {
    let focused = js(
        c,
        "var g = document.querySelector('#view [data-id=\"' + arguments[0] + '\"]');\
         g.focus(); return document.activeElement === g;",
        vec![json!(id)],
    )
    .await;
    assert_eq!(focused, json!(true), "the node {id} takes the focus");
}

/// Presses and releases one key, sent to whatever has the focus.
async fn press(c: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    c.perform_actions(keys).await.unwrap();
    c.release_actions().await.unwrap();
}

/// Creates the owner account through the first-run link; ends on the home page.
async fn create_owner(c: &Client, site: &Site) {
    c.goto(&site.url(&site.setup)).await.unwrap();
    wait_for(c, "#name").await.send_keys(NAME).await.unwrap();
    // A display name with a space: the setup form takes it beside the user name (a newcomer
    // typed "Maria Manager" as the name before, and was refused).
    wait_for(c, "#display_name")
        .await
        .send_keys(DISPLAY_NAME)
        .await
        .unwrap();
    wait_for(c, "#password")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    click(c, "form.stack button[type=submit]").await;
    eventually("the home page after creating the account", async || {
        let path = url_path(c).await;
        if path != "/" {
            let error = text_of(c, "#setup-error").await;
            return Err(format!("at {path}: {error}"));
        }
        Ok(())
    })
    .await;
    wait_for(c, ".cards a[href=\"/r/engineering-leadership\"]").await;
    assert_eq!(
        text_of(c, "#signed-in-as").await,
        format!("Signed in as {DISPLAY_NAME}.")
    );
    assert_eq!(
        text_of(c, "header.site a[href=\"/account\"]").await,
        "Account"
    );
    // Each card shows the roadmap's shape.
    let thumbs = js(
        c,
        "return document.querySelectorAll('.card svg.thumb rect').length;",
        vec![],
    )
    .await;
    assert!(thumbs.as_u64().unwrap_or(0) > 100, "thumbnails: {thumbs}");
}

/// Opens the roadmap, marks its first topic done on the panel and waits for the diagram to
/// show it; the topic's id.
async fn mark_first_topic_done(c: &Client, site: &Site) -> String {
    c.goto(&site.url(&format!("/r/{ROADMAP}"))).await.unwrap();
    roadmap_ready(c).await;
    let (id, _) = first_topic(c).await;
    click(c, &node_css(&id)).await;
    wait_for(c, &format!("#panel .panel[data-topic=\"{id}\"]")).await;
    click(c, "#panel button[name=status][value=done]").await;
    eventually("the node to be marked done", async || {
        has_class(c, &node_css(&id), "done").await
    })
    .await;
    id
}

/// The diagram's view as the pan-and-zoom script left it: offset x, y and scale.
async fn view_state(c: &Client) -> (f64, f64, f64) {
    let v = js(
        c,
        "var t = document.querySelector('#view svg').style.transform;\
         var m = /translate\\(([-\\d.e]+)px, ?([-\\d.e]+)px\\) scale\\(([-\\d.e]+)\\)/.exec(t);\
         return m ? [+m[1], +m[2], +m[3]] : t;",
        vec![],
    )
    .await;
    let n = |i: usize| {
        v[i].as_f64()
            .unwrap_or_else(|| panic!("the view's transform: {v}"))
    };
    (n(0), n(1), n(2))
}

fn close_to(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.01 * b.abs().max(1.0)
}

/// Writes the offline page of a bundled roadmap to a new directory: the directory (for the
/// caller to remove) and the page's `file://` address.
fn offline_page(roadmap: &str, name: &str) -> (PathBuf, String) {
    let bundled = leadmap_bundled::get(roadmap).expect("bundled");
    let roadmap = bundled.parse().roadmap;
    let layout = leadmap_render::layout(&roadmap);
    let (svg, spans) = leadmap_render::svg::render_with_spans(
        &roadmap,
        &layout,
        &leadmap_render::SvgOptions::default(),
    );
    let page =
        leadmap_render::html::page(&roadmap, &svg, &spans, &|id| leadmap_bundled::template(id));
    assert!(
        page.contains("<g class=\"pending\" data-id="),
        "small maps are markup"
    );
    let dir = std::env::temp_dir().join(format!("leadmap-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("map.html");
    std::fs::write(&file, page).unwrap();
    let url = format!("file://{}", file.display());
    (dir, url)
}

/// The same pan and zoom on either page: the buttons, the view's keys, a drag and the wheel.
async fn pans_and_zooms(c: &Client) {
    let (_, _, k0) = view_state(c).await;
    click(c, "#zin").await;
    let (_, _, k1) = view_state(c).await;
    assert!(close_to(k1, k0 * 1.25), "+ zooms in: {k0} -> {k1}");

    js(c, "document.getElementById('view').focus();", vec![]).await;
    press(c, '-').await;
    let (x2, y2, k2) = view_state(c).await;
    assert!(close_to(k2, k0), "- zooms back out: {k1} -> {k2}");
    press(c, '\u{E012}').await; // ArrowLeft: the map moves right
    let (x3, y3, _) = view_state(c).await;
    assert!(
        close_to(x3, x2 + 60.0) && close_to(y3, y2),
        "the arrow pans: ({x2}, {y2}) -> ({x3}, {y3})"
    );

    let view = c.find(Locator::Css("#view")).await.unwrap();
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: view,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(100)),
            x: -120.0,
            y: -80.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    c.perform_actions(drag).await.unwrap();
    c.release_actions().await.unwrap();
    let (x4, y4, k4) = view_state(c).await;
    assert!(
        close_to(x4, x3 - 120.0) && close_to(y4, y3 - 80.0) && close_to(k4, k2),
        "a drag pans by its length: ({x3}, {y3}) -> ({x4}, {y4})"
    );

    let wheel = WheelActions::new("wheel".into()).then(WheelAction::Scroll {
        duration: None,
        x: 200,
        y: 200,
        delta_x: 0,
        delta_y: -200,
    });
    c.perform_actions(wheel).await.unwrap();
    c.release_actions().await.unwrap();
    let (_, _, k5) = view_state(c).await;
    assert!(k5 > k4 * 1.2, "the wheel zooms in: {k4} -> {k5}");

    click(c, "#fit").await;
    let fits = js(
        c,
        "var v = document.getElementById('view').getBoundingClientRect(),\
             m = document.querySelector('#view svg').getBoundingClientRect();\
         return [m.width <= v.width + 1 && m.height <= v.height + 1, m.width, m.height, v.width, v.height];",
        vec![],
    )
    .await;
    assert_eq!(fits[0], json!(true), "Fit shows the whole map: {fits}");
}

/// axe-core 4 (Deque Systems, MPL-2.0), vendored as a test fixture: the accessibility rules
/// the pages must pass.
const AXE: &str = include_str!("fixtures/axe.min.js");

/// A Chrome DevTools command, sent through chromedriver (to emulate the system's colour scheme).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &reqwest::Url,
        session: Option<&str>,
    ) -> Result<reqwest::Url, <reqwest::Url as std::str::FromStr>::Err> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()),
        )
    }
}

/// Makes the browser report the system's colour scheme as dark or light.
async fn system_dark(c: &Client, dark: bool) {
    c.issue_cmd(Cdp {
        cmd: "Emulation.setEmulatedMedia",
        params: json!({ "features": [{ "name": "prefers-color-scheme",
                                       "value": if dark { "dark" } else { "light" } }] }),
    })
    .await
    .expect("emulate the colour scheme");
}

/// Chooses a theme with the page's own theme picker (a cookie); waits for the page it reloads.
async fn choose_theme(c: &Client, theme: &str) {
    js(
        c,
        "var s = document.getElementById('theme-pick'); s.value = arguments[0]; s.form.submit();",
        vec![json!(theme)],
    )
    .await;
    eventually("the page in the chosen theme", async || {
        let t = js(
            c,
            "return document.readyState === 'complete' && document.documentElement.dataset.theme;",
            vec![],
        )
        .await;
        if t == json!(theme) {
            Ok(())
        } else {
            Err(t.to_string())
        }
    })
    .await;
}

/// Runs axe-core on the page as it is; every violation, one line each (empty when clean).
/// Besides axe's defaults it checks that a control's name holds its visible words
/// (label-content-name-mismatch) and that targets are at least 24 px (target-size).
async fn axe_violations(c: &Client, what: &str) -> Vec<String> {
    c.execute(AXE, vec![]).await.expect("load axe-core");
    let found = c
        .execute_async(
            "var done = arguments[arguments.length - 1];\
             axe.run(document, { resultTypes: ['violations'], rules: {\
               'label-content-name-mismatch': { enabled: true }, 'target-size': { enabled: true } } })\
               .then(function (r) { done(r.violations.map(function (v) {\
                 return v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 4).map(function (n) {\
                   return n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ');\
                 }).join('; ');\
               })); }, function (e) { done(['axe failed: ' + e]); });",
            vec![],
        )
        .await
        .expect("run axe-core");
    found
        .as_array()
        .expect("a list of violations")
        .iter()
        .map(|v| format!("{what}: {}", v.as_str().unwrap_or_default()))
        .collect()
}

async fn save_screenshot(c: &Client, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    let png = c.screenshot().await.expect("a screenshot");
    let path = dir.join(name);
    std::fs::write(&path, png).expect("write the screenshot");
    path
}

// ---------------------------------------------------------------------------------------------
// The tests

/// First run to a kept mark and a kept note, with the mouse.
#[tokio::test]
async fn first_run_then_mark_a_topic_done_and_keep_a_note() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;

        // The home page lists both roadmaps, each with its own description and its counts,
        // the cards sharing the page's width.
        let card = text_of(&c, ".cards li:last-child").await;
        assert!(card.contains("The job of an engineering manager"), "{card}");
        assert!(card.contains("9 areas · 133 topics"), "{card}");
        save_screenshot(&c, "home.png").await;
        for id in ["engineering-leadership", "engineering-manager"] {
            let link = wait_for(&c, &format!(".cards a[href=\"/r/{id}\"]")).await;
            let title = link.text().await.unwrap();
            assert!(!title.trim().is_empty(), "the card for {id} has a title");
        }
        assert!(
            text_of(&c, "header.site").await.contains("Account"),
            "the header links the account page as \"Account\""
        );

        // Open Engineering Leadership.
        click(&c, ".cards a[href=\"/r/engineering-leadership\"]").await;
        roadmap_ready(&c).await;
        assert_eq!(url_path(&c).await, format!("/r/{ROADMAP}"));
        let (id, title) = first_topic(&c).await;
        assert!(
            node_class(&c, &id).await.contains("pending"),
            "a new account starts with every topic not started"
        );
        assert_eq!(overall_progress(&c).await, 0.0);

        // Click the topic: the panel opens on it.
        click(&c, &node_css(&id)).await;
        let panel_css = format!("#panel .panel[data-topic=\"{id}\"]");
        wait_for(&c, &panel_css).await;
        assert!(
            c.find(Locator::Css("#panel"))
                .await
                .unwrap()
                .is_displayed()
                .await
                .unwrap(),
            "the panel is shown"
        );
        // The panel's heading is the node's label without its leading emoji.
        let heading = text_of(&c, "#panel h2").await;
        assert!(
            !heading.is_empty() && (title == heading || title.ends_with(&format!(" {heading}"))),
            "the panel is titled {heading:?} for the node {title:?}"
        );

        // Done: the node turns done, the counts and the progress bar move.
        click(&c, "#panel button[name=status][value=done]").await;
        eventually("the node to be marked done", async || {
            has_class(&c, &node_css(&id), "done").await
        })
        .await;
        assert!(
            !node_class(&c, &id).await.contains("pending"),
            "done replaces not started"
        );
        eventually("the panel to say it saved", async || {
            let saved = text_of(&c, "#panel .saved").await;
            if saved.starts_with("Saved: done") {
                Ok(())
            } else {
                Err(saved)
            }
        })
        .await;
        let pressed = c
            .find(Locator::Css("#panel button[name=status][value=done]"))
            .await
            .unwrap()
            .attr("aria-pressed")
            .await
            .unwrap();
        assert_eq!(pressed.as_deref(), Some("true"), "Done shows as pressed");
        let counts = text_of(&c, "#overall .counts").await;
        assert_eq!(counts, "1 done · 0 learning · 0 skipped");
        // The first finished topic moves the bar, even on a roadmap of more than a hundred.
        let progress = overall_progress(&c).await;
        assert_eq!(progress, 1.0, "one topic done shows 1 %");
        let pct = text_of(&c, "#overall .pct").await;
        assert_eq!(pct, "1 % finished", "the percentage next to the bar");

        // Back to the first topic, and reload: the mark is kept.
        c.goto(&site.url(&format!("/r/{ROADMAP}?topic={id}")))
            .await
            .unwrap();
        roadmap_ready(&c).await;
        has_class(&c, &node_css(&id), "done").await.unwrap();
        c.refresh().await.unwrap();
        roadmap_ready(&c).await;
        has_class(&c, &node_css(&id), "done").await.unwrap();
        assert_eq!(overall_progress(&c).await, progress, "the bar is kept");
        wait_for(&c, &panel_css).await;
        let pressed = c
            .find(Locator::Css("#panel button[name=status][value=done]"))
            .await
            .unwrap()
            .attr("aria-pressed")
            .await
            .unwrap();
        assert_eq!(pressed.as_deref(), Some("true"), "Done is still pressed");

        // A note: write, save, reload, open the topic again.
        let note = "Drafted the mission statement with the leads; review in two weeks.";
        let area = wait_for(&c, "#panel textarea#note").await;
        area.clear().await.unwrap();
        area.send_keys(note).await.unwrap();
        click(&c, "#panel button.save").await;
        eventually("the note to be saved", async || {
            let saved = text_of(&c, "#panel .saved").await;
            if saved.contains("with a note") {
                Ok(())
            } else {
                Err(saved)
            }
        })
        .await;
        let shot = save_screenshot(&c, "roadmap-panel.png").await;
        eprintln!("screenshot: {}", shot.display());

        c.goto(&site.url(&format!("/r/{ROADMAP}"))).await.unwrap();
        roadmap_ready(&c).await;
        assert!(
            !c.find(Locator::Css("#panel"))
                .await
                .unwrap()
                .is_displayed()
                .await
                .unwrap(),
            "no panel until a topic is opened"
        );
        click(&c, &node_css(&id)).await;
        wait_for(&c, &panel_css).await;
        let kept = wait_for(&c, "#panel textarea#note")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some(note), "the note is kept");
        has_class(&c, &node_css(&id), "done").await.unwrap();
    })
    .await;
}

/// The keyboard: d, l, s, p on a focused topic; "/" to search.
#[tokio::test]
async fn keyboard_marks_a_topic_and_searches() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.goto(&site.url(&format!("/r/{ROADMAP}"))).await.unwrap();
        roadmap_ready(&c).await;
        let (id, title) = first_topic(&c).await;

        focus_node(&c, &id).await;

        press(&c, 'l').await;
        eventually("l to mark the topic learning", async || {
            has_class(&c, &node_css(&id), "learning").await
        })
        .await;
        // Its accessible name (the SVG <title>) says so.
        let label = js(
            &c,
            "return document.querySelector(arguments[0] + '>title').textContent;",
            vec![json!(node_css(&id))],
        )
        .await;
        assert_eq!(
            label,
            json!(format!("{title}, learning")),
            "the node's name says so"
        );

        press(&c, 'd').await;
        eventually("d to mark the topic done", async || {
            has_class(&c, &node_css(&id), "done").await
        })
        .await;
        let class = node_class(&c, &id).await;
        assert!(
            !class.contains("learning"),
            "done replaces learning: {class}"
        );
        let counts = text_of(&c, "#overall .counts").await;
        assert!(counts.starts_with("1 done · 0 learning"), "{counts:?}");

        c.refresh().await.unwrap();
        roadmap_ready(&c).await;
        has_class(&c, &node_css(&id), "done").await.unwrap();

        // "/" goes to the search box; typing highlights the matches.
        press(&c, '/').await;
        eventually("/ to focus the search box", async || {
            let id = js(&c, "return document.activeElement.id;", vec![]).await;
            if id == json!("q") {
                Ok(())
            } else {
                Err(format!("focus on #{id}"))
            }
        })
        .await;
        let word = title
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .max_by_key(|w| w.chars().count())
            .expect("a word in the first topic's title")
            .to_lowercase();
        c.active_element()
            .await
            .unwrap()
            .send_keys(&word)
            .await
            .unwrap();
        let value = c
            .find(Locator::Css("#q"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(
            value.as_deref(),
            Some(word.as_str()),
            "the typing went to #q"
        );
        eventually("the search to count its matches", async || {
            let count = text_of(&c, "#count").await;
            let n: usize = count
                .strip_suffix(" found")
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| count.clone())?;
            let hits = c
                .find_all(Locator::Css("#view [data-id].hit"))
                .await
                .unwrap()
                .len();
            if n > 0 && hits == n {
                Ok(())
            } else {
                Err(format!("{count:?}, {hits} highlighted"))
            }
        })
        .await;
        has_class(&c, &node_css(&id), "hit").await.unwrap();
        let shot = save_screenshot(&c, "roadmap-search.png").await;
        eprintln!("screenshot: {}", shot.display());

        // Choosing a theme does nothing until Apply (a keyboard moves through the choices);
        // then the dark theme applies, and the mark is still there.
        c.find(Locator::Css("#theme-pick"))
            .await
            .unwrap()
            .select_by_value("dark")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            js(&c, "return document.documentElement.dataset.theme;", vec![]).await,
            json!("system"),
            "a change of the menu alone submits nothing"
        );
        click(&c, "form.theme button[type=submit]").await;
        wait_for(&c, "html[data-theme=dark][data-ready-ms]").await;
        roadmap_ready(&c).await;
        has_class(&c, &node_css(&id), "done").await.unwrap();
        let shot = save_screenshot(&c, "roadmap-dark.png").await;
        eprintln!("screenshot: {}", shot.display());
    })
    .await;
}

/// The list view, then signing out.
#[tokio::test]
async fn list_view_then_sign_out() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.goto(&site.url(&format!("/r/{ROADMAP}"))).await.unwrap();
        roadmap_ready(&c).await;
        let list = c.find(Locator::Css("#list")).await.unwrap();
        assert!(
            !list.is_displayed().await.unwrap(),
            "the diagram shows first"
        );

        let toggle = c.find(Locator::Css("#toggle")).await.unwrap();
        toggle.click().await.unwrap();
        eventually("the list view to show", async || {
            if list.is_displayed().await.unwrap() {
                Ok(())
            } else {
                Err("#list hidden".into())
            }
        })
        .await;
        assert!(
            !c.find(Locator::Css("#view"))
                .await
                .unwrap()
                .is_displayed()
                .await
                .unwrap(),
            "the diagram is hidden behind the list"
        );
        assert_eq!(toggle.text().await.unwrap(), "Diagram");
        assert_eq!(
            toggle.attr("aria-pressed").await.unwrap().as_deref(),
            Some("true")
        );
        let items = c.find_all(Locator::Css("#list li[data-id]")).await.unwrap();
        assert!(items.len() > 10, "the list has the topics: {}", items.len());
        // It reads down the page: nothing runs off to the right, and the last link of the
        // list is within the window's width.
        let fits = js(
            &c,
            "var l = document.getElementById('list'), links = l.querySelectorAll('a.reset'), last = links[links.length - 1];\
             return [l.scrollWidth <= l.clientWidth, last.getBoundingClientRect().right <= innerWidth, l.scrollWidth, last.textContent];",
            vec![],
        )
        .await;
        assert_eq!((&fits[0], &fits[1]), (&json!(true), &json!(true)), "the list fits the window's width: {fits}");
        let first = items[0].attr("data-id").await.unwrap().unwrap();
        assert!(
            !items[0].text().await.unwrap().trim().is_empty(),
            "list items show titles"
        );

        // The list takes the keyboard too: the first item has the focus; d marks it done.
        let focus = js(
            &c,
            "var li = document.activeElement.closest('li[data-id]'); return li && li.dataset.id;",
            vec![],
        )
        .await;
        assert_eq!(focus, json!(first), "the first item has the focus");
        press(&c, 'd').await;
        let item_css = format!("#list li[data-id=\"{first}\"]");
        eventually("d to mark the list item done", async || {
            has_class(&c, &item_css, "done").await
        })
        .await;
        assert_eq!(text_of(&c, &format!("{item_css} .st")).await, "done");
        has_class(&c, &node_css(&first), "done").await.unwrap();
        let shot = save_screenshot(&c, "roadmap-list.png").await;
        eprintln!("screenshot: {}", shot.display());

        // Sign out: the sign-in page, and the roadmap is closed to the signed-out.
        let sign_out = c
            .find(Locator::XPath(
                "//form[@action='/logout']//button[normalize-space()='Sign out']",
            ))
            .await
            .unwrap();
        sign_out.click().await.unwrap();
        eventually("the sign-in page after signing out", async || {
            let path = url_path(&c).await;
            if path == "/login" { Ok(()) } else { Err(path) }
        })
        .await;
        wait_for(&c, "form input#password").await;
        assert!(
            c.find_all(Locator::XPath("//button[normalize-space()='Sign out']"))
                .await
                .unwrap()
                .is_empty(),
            "no Sign out button once signed out"
        );

        // Signed out, the (public) roadmap reads as it is for anyone: the diagram without
        // the marks just made, and a call to sign in that comes back here.
        c.goto(&site.url(&format!("/r/{ROADMAP}"))).await.unwrap();
        wait_for(&c, "#view svg").await;
        assert!(
            has_class(&c, &node_css(&first), "done").await.is_err(),
            "a signed-out visitor sees nobody's statuses"
        );
        click(&c, "p.signin-call a").await;
        eventually("the sign-in page from the call to sign in", async || {
            let path = url_path(&c).await;
            if path == "/login" { Ok(()) } else { Err(path) }
        })
        .await;
        let url = c.current_url().await.unwrap();
        assert_eq!(
            url.query_pairs()
                .find(|(k, _)| k == "next")
                .map(|(_, v)| v.into_owned())
                .as_deref(),
            Some("/r/engineering-leadership"),
            "signing in goes back to the roadmap: {url}"
        );
    })
    .await;
}

#[tokio::test]
async fn on_a_phone_the_page_fits_the_screen_and_a_topic_can_be_marked() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.set_window_size(390, 844).await.unwrap();
        c.goto(&site.url(&format!("/r/{ROADMAP}"))).await.unwrap();
        roadmap_ready(&c).await;
        // Nothing is wider than the screen: no sideways scrolling of the page.
        let overflow = js(
            &c,
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await;
        assert_eq!(overflow, json!(0), "the page scrolls sideways");
        // It opens on the list: text at its own size, every link a finger can tap, and the
        // chrome above it small.
        wait_for(&c, "#list:not([hidden])").await;
        let list = js(
            &c,
            "var links = Array.prototype.slice.call(document.querySelectorAll('#list li[data-id] a'));\
             var shown = links.filter(function (a) { var r = a.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; });\
             return [shown.length,\
                     Math.min.apply(null, shown.map(function (a) { return parseFloat(getComputedStyle(a).fontSize); })),\
                     Math.min.apply(null, shown.map(function (a) { return a.getBoundingClientRect().height; })),\
                     document.querySelector('.rm-body').getBoundingClientRect().top];",
            vec![],
        )
        .await;
        assert!(list[0].as_f64().unwrap() >= 8.0, "topics on the first screen: {list}");
        assert!(list[1].as_f64().unwrap() >= 12.0, "labels of 12 px or more: {list}");
        assert!(list[2].as_f64().unwrap() >= 24.0, "tap targets of 24 px or more: {list}");
        assert!(list[3].as_f64().unwrap() <= 160.0, "the chrome takes at most 160 px: {list}");
        save_screenshot(&c, "roadmap-phone-list.png").await;
        // The diagram, one button away, opens at a readable scale: labels of 12 px and more,
        // boxes of 24 px and more.
        click(&c, "#toggle").await;
        wait_for(&c, "#view:not([hidden])").await;
        let (_, _, k) = view_state(&c).await;
        assert!(k * 13.0 >= 12.0, "the smallest label is {} px", k * 13.0);
        let id = js(
            &c,
            "var v = document.getElementById('view').getBoundingClientRect(), found = null, low = 1e9;\
             document.querySelectorAll('#view [data-kind=topic],#view [data-kind=subtopic]').forEach(function (g) {\
               var r = g.getBoundingClientRect();\
               if (r.bottom > v.top && r.top < v.bottom && r.right > 0 && r.left < innerWidth) low = Math.min(low, r.height);\
               var x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;\
               if (!found && y > v.top && y < v.bottom && x > 0 && x < innerWidth) found = g.dataset.id;\
             });\
             return [found, low];",
            vec![],
        )
        .await;
        assert!(id[1].as_f64().unwrap() >= 24.0, "boxes of 24 px or more: {id}");
        save_screenshot(&c, "roadmap-phone-diagram.png").await;
        let id = id[0].as_str().expect("a whole topic on screen").to_owned();
        click(&c, &node_css(&id)).await;
        wait_for(&c, &format!("#panel .panel[data-topic=\"{id}\"]")).await;
        // The panel takes the whole width and its buttons are on screen.
        let fits = js(
            &c,
            "var p = document.getElementById('panel').getBoundingClientRect();\
             var b = document.querySelector('#panel button[value=done]').getBoundingClientRect();\
             return p.left >= 0 && p.right <= window.innerWidth + 1 && b.right <= window.innerWidth && b.bottom <= window.innerHeight;",
            vec![],
        )
        .await;
        assert_eq!(fits, json!(true), "the panel and its Done button fit the screen");
        click(&c, "#panel button[name=status][value=done]").await;
        eventually("the topic to be done", async || {
            has_class(&c, &node_css(&id), "done").await
        })
        .await;
        let shot = save_screenshot(&c, "roadmap-phone.png").await;
        assert!(shot.exists());

        // The account page fits the phone too, and names the browser in words.
        c.goto(&site.url("/account")).await.unwrap();
        let seen = js(
            &c,
            "return [document.documentElement.scrollWidth - document.documentElement.clientWidth,\
                     document.querySelector('table.sessions td').textContent];",
            vec![],
        )
        .await;
        assert_eq!(seen[0], json!(0), "the account page scrolls sideways: {seen}");
        assert!(
            seen[1].as_str().unwrap().starts_with("Chrome on Linux"),
            "the session's browser in words: {seen}"
        );
        save_screenshot(&c, "account-phone.png").await;
    })
    .await;
}

/// The offline page of a large map (`leadmap render big.md -o big.html`) draws its boxes as they
/// come into view: ready with the first screen drawn, a search finds a box far down that is
/// not drawn yet and brings it into view, and the list view holds every node.
#[tokio::test]
async fn a_large_offline_map_draws_its_boxes_as_they_come_into_view() {
    let md = leadmap_core::synthetic::markdown(3_000, 7);
    let roadmap = leadmap_core::parse(md.as_bytes(), "big").roadmap;
    let layout = leadmap_render::layout(&roadmap);
    let (svg, spans) = leadmap_render::svg::render_with_spans(
        &roadmap,
        &layout,
        &leadmap_render::SvgOptions::default(),
    );
    assert!(
        spans.len() > leadmap_render::html::LAZY_BOXES,
        "a large map"
    );
    let page = leadmap_render::html::page(&roadmap, &svg, &spans, &|_| None);
    assert!(
        !page.contains("<g class=\"pending\" data-id="),
        "the boxes travel as data, not as markup"
    );
    let last = roadmap
        .nodes()
        .filter(|n| n.kind.is_learnable())
        .last()
        .expect("topics");
    let (last_id, last_title) = (last.id.to_string(), last.title.plain());
    let total = roadmap.nodes().count();
    let dir = std::env::temp_dir().join(format!("leadmap-offline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("big.html");
    std::fs::write(&file, page).unwrap();
    let url = format!("file://{}", file.display());

    with_browser(|c: Client, _site: Site| async move {
        c.goto(&url).await.unwrap();
        wait_for(&c, "html[data-ready-ms]").await;
        let drawn = js(
            &c,
            "return document.querySelectorAll('#view [data-id]').length",
            vec![],
        )
        .await;
        let drawn = drawn.as_u64().unwrap_or(0) as usize;
        assert!(
            drawn > 0 && drawn < total / 2,
            "{drawn} of {total} boxes drawn at first"
        );
        assert!(
            c.find(Locator::Css(&node_css(&last_id))).await.is_err(),
            "the last topic is far down, not drawn yet"
        );

        let q = c.find(Locator::Css("#q")).await.unwrap();
        q.send_keys(&last_title).await.unwrap();
        q.send_keys("\u{E007}").await.unwrap(); // Enter
        let focused = eventually("the found topic to be drawn and focused", async || {
            let id = js(
                &c,
                "var a = document.activeElement; return a && a.dataset ? a.dataset.id || '' : ''",
                vec![],
            )
            .await;
            match id.as_str() {
                Some(id) if id == last_id => Ok(id.to_owned()),
                other => Err(format!("focus on {other:?}")),
            }
        })
        .await;
        assert_eq!(focused, last_id);
        assert!(has_class(&c, &node_css(&last_id), "hit").await.is_ok());
        assert!(text_of(&c, "#count").await.ends_with("found"));
        save_screenshot(&c, "offline-large-map-search.png").await;

        click(&c, "#toggle").await;
        let items = js(
            &c,
            "return document.querySelectorAll('#list li').length",
            vec![],
        )
        .await;
        assert_eq!(
            items.as_u64(),
            Some(total as u64),
            "the list holds every node"
        );
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The offline page and the web app share their pan and zoom: both answer the buttons, the
/// keys, a drag and the wheel the same way.
#[tokio::test]
async fn the_map_pans_and_zooms_on_the_offline_page_and_in_the_app() {
    let (dir, url) = offline_page("engineering-leadership", "panzoom");
    with_browser(|c: Client, site: Site| async move {
        c.goto(&url).await.unwrap();
        wait_for(&c, "html[data-ready-ms]").await;
        pans_and_zooms(&c).await;

        create_owner(&c, &site).await;
        c.goto(&site.url("/r/engineering-leadership"))
            .await
            .unwrap();
        roadmap_ready(&c).await;
        pans_and_zooms(&c).await;
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The offline page of a bundled roadmap is plain markup: search highlights a box, a click
/// opens its panel with the topic's content and a template to download.
#[tokio::test]
async fn a_small_offline_map_searches_and_opens_a_topic() {
    let (dir, url) = offline_page("engineering-manager", "offline-small");
    with_browser(|c: Client, _site: Site| async move {
        c.goto(&url).await.unwrap();
        wait_for(&c, "html[data-ready-ms]").await;
        let q = c.find(Locator::Css("#q")).await.unwrap();
        q.send_keys("one-on-one").await.unwrap();
        eventually("the search to mark its match", async || {
            has_class(&c, &node_css("one-on-one-meetings"), "hit").await
        })
        .await;
        assert!(text_of(&c, "#count").await.ends_with("found"));
        // Enter brings the match into view; a click on it opens its panel.
        q.send_keys("\u{E007}").await.unwrap();
        eventually("the match to take the focus", async || {
            let id = js(&c, "return document.activeElement.dataset.id || ''", vec![]).await;
            match id.as_str() {
                Some("one-on-one-meetings") => Ok(()),
                other => Err(format!("focus on {other:?}")),
            }
        })
        .await;
        click(&c, &node_css("one-on-one-meetings")).await;
        let panel = wait_for(&c, "#panel:not([hidden]) h2").await;
        assert_eq!(panel.text().await.unwrap(), "One-on-One Meetings");
        // Headings may be shown in capitals: compare without case.
        let panel_text = text_of(&c, "#panel").await.to_lowercase();
        for part in [
            "how to start",
            "pitfalls",
            "resources",
            "one-on-one-agenda.md",
        ] {
            assert!(
                panel_text.contains(part),
                "{part} missing from the panel: {panel_text}"
            );
        }
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// axe-core finds nothing on any page, in the light and the dark theme, with a topic's panel
/// open and in the list view; the offline page too, with the system light or dark. Screenshots
/// of the roadmap in both themes go to target/screenshots.
#[tokio::test]
async fn every_page_passes_axe_core_in_both_themes() {
    with_browser(|c: Client, site: Site| async move {
        c.set_window_size(1366, 900).await.unwrap();
        let mut found = Vec::new();
        c.goto(&site.url(&site.setup)).await.unwrap();
        let name = wait_for(&c, "#name").await;
        found.extend(axe_violations(&c, "setup").await);
        // The browser checks the user name before sending it: no spaces.
        name.send_keys("Maria Manager").await.unwrap();
        let bad = js(
            &c,
            "var n = document.getElementById('name'); return [n.validity.patternMismatch, n.validationMessage];",
            vec![],
        )
        .await;
        assert_eq!(bad[0], json!(true), "a name with a space is refused in the browser: {bad}");
        assert!(bad[1].as_str().unwrap().contains("no spaces"), "{bad}");
        name.clear().await.unwrap();
        create_owner(&c, &site).await;
        let pages = [
            "/",
            "/about",
            "/account",
            "/r/engineering-leadership",
            "/r/engineering-leadership?topic=define-core-values",
            "/r/engineering-manager?topic=delegation",
            "/r/engineering-leadership/reset?area=fundamentals",
            "/r/engineering-leadership?reset=fundamentals",
            "/r/no-such-roadmap",
        ];
        for theme in ["light", "dark"] {
            c.goto(&site.url("/about")).await.unwrap();
            choose_theme(&c, theme).await;
            for page in pages {
                c.goto(&site.url(page)).await.unwrap();
                if page.starts_with("/r/engineering") && !page.contains("reset") {
                    roadmap_ready(&c).await;
                }
                found.extend(axe_violations(&c, &format!("{theme} {page}")).await);
                if page == "/r/no-such-roadmap" {
                    // The error page keeps the chosen theme and the signed-in header.
                    let seen = js(
                        &c,
                        "return [document.documentElement.dataset.theme, !!document.querySelector('form[action=\"/logout\"] button')];",
                        vec![],
                    )
                    .await;
                    assert_eq!(seen, json!([theme, true]), "the 404 page in {theme}");
                }
            }
            c.goto(&site.url("/r/engineering-manager")).await.unwrap();
            roadmap_ready(&c).await;
            click(&c, "#toggle").await;
            wait_for(&c, "#list:not([hidden])").await;
            let groups = c.find_all(Locator::Css("#list li.grp h4")).await.unwrap();
            assert_eq!(groups.len(), 25, "the list shows every group of the roadmap");
            found.extend(axe_violations(&c, &format!("{theme} list view")).await);
            c.goto(&site.url("/r/engineering-leadership?topic=define-core-values"))
                .await
                .unwrap();
            roadmap_ready(&c).await;
            save_screenshot(&c, &format!("roadmap-panel-{theme}.png")).await;
        }
        // Signed out: the sign-in page keeps the chosen theme (dark, the last one).
        c.delete_all_cookies().await.unwrap();
        c.goto(&site.url("/login")).await.unwrap();
        choose_theme(&c, "dark").await;
        found.extend(axe_violations(&c, "dark /login").await);
        c.goto(&site.url("/login?deleted=1")).await.unwrap();
        found.extend(axe_violations(&c, "dark /login after a deletion").await);

        let (dir, url) = offline_page(ROADMAP, "axe");
        for dark in [false, true] {
            system_dark(&c, dark).await;
            c.goto(&url).await.unwrap();
            wait_for(&c, "#view svg").await;
            let what = if dark { "offline, system dark" } else { "offline, system light" };
            found.extend(axe_violations(&c, what).await);
            click(&c, "#view [data-id=\"define-core-values\"]").await;
            wait_for(&c, "#panel h2").await;
            found.extend(axe_violations(&c, &format!("{what}, panel open")).await);
        }
        let _ = std::fs::remove_dir_all(dir);
        assert!(found.is_empty(), "axe-core violations:\n{}", found.join("\n"));
    })
    .await;
}

/// Clicking a topic that the panel would cover brings it beside the panel; closing the panel
/// gives back the view from before.
#[tokio::test]
async fn the_panel_brings_the_clicked_topic_beside_it_and_closing_gives_the_view_back() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.set_window_size(1366, 900).await.unwrap();
        c.goto(&site.url(&format!("/r/{ROADMAP}"))).await.unwrap();
        roadmap_ready(&c).await;
        let before = view_state(&c).await;
        // The topic furthest to the right that is on screen: where the panel opens.
        let id = js(
            &c,
            "var best = null, right = 0;\
             document.querySelectorAll('#view [data-kind=topic]').forEach(function (g) {\
               var r = g.getBoundingClientRect();\
               if (r.top > 150 && r.bottom < innerHeight && r.right <= innerWidth && r.right > right) { right = r.right; best = g.dataset.id; }\
             });\
             return best;",
            vec![],
        )
        .await;
        let id = id.as_str().expect("a topic on the right").to_owned();
        js(&c, "window.leadmapStayed = true;", vec![]).await;
        click(&c, &node_css(&id)).await;
        wait_for(&c, &format!("#panel .panel[data-topic=\"{id}\"]")).await;
        // The topic is a link (for a browser without the script), but the script opens the
        // panel in place: the page is the same one.
        assert_eq!(
            js(&c, "return window.leadmapStayed === true;", vec![]).await,
            json!(true),
            "clicking a topic opened its panel without leaving the page"
        );
        let beside = js(
            &c,
            "var g = document.querySelector(arguments[0]).getBoundingClientRect(),\
                 p = document.getElementById('panel').getBoundingClientRect(),\
                 v = document.getElementById('view').getBoundingClientRect();\
             return [g.left >= v.left && g.right <= p.left && g.top >= v.top && g.bottom <= v.bottom, g.left, g.right, p.left];",
            vec![json!(node_css(&id))],
        )
        .await;
        assert_eq!(beside[0], json!(true), "the topic is beside the panel: {beside}");
        save_screenshot(&c, "roadmap-panel-beside.png").await;
        click(&c, "#panel .close").await;
        eventually("the panel to close", async || {
            let hidden = js(&c, "return document.getElementById('panel').hidden;", vec![]).await;
            if hidden == json!(true) { Ok(()) } else { Err("open".into()) }
        })
        .await;
        let after = view_state(&c).await;
        assert!(
            close_to(after.0, before.0) && close_to(after.1, before.1) && close_to(after.2, before.2),
            "closing the panel gives the view back: {before:?} -> {after:?}"
        );
    })
    .await;
}

/// Live search brings the first match into view as one types; "?" shows the shortcuts; "u"
/// undoes the last change of status (a Done overwritten by Skipped comes back).
#[tokio::test]
async fn search_shows_the_first_match_and_a_status_change_can_be_undone() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.set_window_size(1366, 900).await.unwrap();
        c.goto(&site.url(&format!("/r/{ROADMAP}"))).await.unwrap();
        roadmap_ready(&c).await;
        // A topic far down the map: off screen until searched for.
        let far = "foster-innovation";
        let in_view = async |id: &str| {
            js(
                &c,
                "var g = document.querySelector(arguments[0]).getBoundingClientRect(),\
                     v = document.getElementById('view').getBoundingClientRect();\
                 return g.top >= v.top && g.bottom <= v.bottom && g.left >= v.left && g.right <= v.right;",
                vec![json!(node_css(id))],
            )
            .await
        };
        assert_eq!(in_view(far).await, json!(false), "{far} starts off screen");
        wait_for(&c, "#q").await.send_keys("foster innov").await.unwrap();
        eventually("the match to come into view as one types", async || {
            match in_view(far).await {
                Value::Bool(true) => Ok(()),
                v => Err(v.to_string()),
            }
        })
        .await;
        assert_eq!(text_of(&c, "#count").await, "1 found");

        // "?" opens the shortcuts; Esc closes them.
        focus_node(&c, far).await;
        press(&c, '?').await;
        let help = wait_for(&c, "#help[open]").await;
        assert!(help.text().await.unwrap().contains("Undo the last change of status"));
        save_screenshot(&c, "roadmap-shortcuts.png").await;
        press(&c, '\u{e00c}').await; // Escape
        eventually("the shortcuts to close", async || {
            let open = js(&c, "return document.getElementById('help').open;", vec![]).await;
            if open == json!(false) { Ok(()) } else { Err("open".into()) }
        })
        .await;

        // Done, then a slip of the finger: skipped; u gives done back.
        focus_node(&c, far).await;
        press(&c, 'd').await;
        eventually("d to mark it done", async || has_class(&c, &node_css(far), "done").await).await;
        press(&c, 's').await;
        eventually("s to mark it skipped", async || {
            has_class(&c, &node_css(far), "skipped").await
        })
        .await;
        assert!(
            c.find(Locator::Css("#undo")).await.unwrap().is_displayed().await.unwrap(),
            "an Undo button shows"
        );
        press(&c, 'u').await;
        eventually("u to give done back", async || has_class(&c, &node_css(far), "done").await).await;
    })
    .await;
}

/// The activity page: a topic marked on its panel shows in the calendar, the line and the
/// list; the list filters without script; axe-core finds nothing in either theme; it fits a
/// phone (the calendar scrolls inside its own box).
#[tokio::test]
async fn the_activity_page_shows_a_marked_topic_and_filters_without_script() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.set_window_size(1366, 900).await.unwrap();
        mark_first_topic_done(&c, &site).await;

        click(&c, "header.site a[href=\"/activity\"]").await;
        wait_for(&c, "svg.heat").await;
        assert!(text_of(&c, "main").await.contains("1 status change on 1 day."));
        let cells = js(&c, "return document.querySelectorAll('.heat-wrap svg.heat rect.l4').length", vec![]).await;
        assert_eq!(cells, json!(1), "today is the busiest day");
        assert!(text_of(&c, "figure.line figcaption").await.contains("1 % today"));
        let row = text_of(&c, "table.changes tbody tr").await;
        assert!(row.contains("pending → done"), "{row}");
        save_screenshot(&c, "activity.png").await;
        assert_eq!(axe_violations(&c, "the activity page").await, Vec::<String>::new());

        // The filters are a plain form: learning changes are none.
        js(
            &c,
            "var f = document.querySelector('form.filters'); f.status.value = 'learning'; f.submit();",
            vec![],
        )
        .await;
        wait_for(&c, "a[href=\"/activity#changes\"]").await;
        assert!(text_of(&c, "main").await.contains("No changes match these filters."));

        choose_theme(&c, "dark").await;
        wait_for(&c, "svg.heat").await;
        save_screenshot(&c, "activity-dark.png").await;
        assert_eq!(axe_violations(&c, "the activity page, dark").await, Vec::<String>::new());

        c.set_window_size(390, 844).await.unwrap();
        c.goto(&site.url("/activity")).await.unwrap();
        wait_for(&c, "svg.heat").await;
        let overflow = js(
            &c,
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await;
        assert_eq!(overflow, json!(0), "the activity page scrolls sideways");
        save_screenshot(&c, "activity-phone.png").await;
    })
    .await;
}

/// The panel's target date and evidence link: typed into the panel the script opened, saved
/// with the plain form, shown as a plain link; the diagram marks the topic overdue once its
/// date is past; axe-core finds nothing in either theme; a phone fits it.
#[tokio::test]
async fn the_panel_keeps_a_target_date_and_an_evidence_link() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.set_window_size(1366, 900).await.unwrap();
        c.goto(&site.url(&format!("/r/{ROADMAP}"))).await.unwrap();
        roadmap_ready(&c).await;
        let (id, _) = first_topic(&c).await;
        click(&c, &node_css(&id)).await;
        wait_for(&c, &format!("#panel .panel[data-topic=\"{id}\"]")).await;
        js(
            &c,
            "var f = document.querySelector('#panel form.plan'); f.due.value = '2001-02-03';\
             f.evidence_url.value = 'https://example.com/my-talk'; f.evidence_label.value = 'My talk';\
             f.querySelector('button.save').click();",
            vec![],
        )
        .await;
        let link = wait_for(&c, "#panel .evidence a[href=\"https://example.com/my-talk\"]").await;
        assert_eq!(link.text().await.unwrap(), "My talk");
        assert_eq!(
            link.attr("rel").await.unwrap().as_deref(),
            Some("noopener noreferrer ugc")
        );
        let due = js(&c, "return document.querySelector('#panel input[name=due]').value", vec![]).await;
        assert_eq!(due, json!("2001-02-03"));
        eventually("the topic to be marked overdue", async || {
            has_class(&c, &node_css(&id), "overdue").await
        })
        .await;
        assert!(text_of(&c, ".ov-legend").await.contains("1 topic overdue"));
        save_screenshot(&c, "panel-plan.png").await;
        assert_eq!(axe_violations(&c, "the panel with a plan").await, Vec::<String>::new());
        choose_theme(&c, "dark").await;
        c.goto(&site.url(&format!("/r/{ROADMAP}?topic={id}#panel")))
            .await
            .unwrap();
        wait_for(&c, "#panel form.plan").await;
        save_screenshot(&c, "panel-plan-dark.png").await;
        assert_eq!(axe_violations(&c, "the panel with a plan, dark").await, Vec::<String>::new());
        // The home page lists it as overdue.
        c.goto(&site.url("/")).await.unwrap();
        assert!(text_of(&c, ".due-soon").await.contains("overdue since 2001-02-03"));
        assert_eq!(axe_violations(&c, "the home page with due topics").await, Vec::<String>::new());
        c.set_window_size(390, 844).await.unwrap();
        c.goto(&site.url(&format!("/r/{ROADMAP}/t/{id}"))).await.unwrap();
        wait_for(&c, "form.plan").await;
        let overflow = js(
            &c,
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await;
        assert_eq!(overflow, json!(0), "the topic page scrolls sideways");
        save_screenshot(&c, "panel-plan-phone.png").await;
    })
    .await;
}

/// Sharing: a link made on the roadmap's share page (the link and the badge snippets shown
/// once), the shared page read-only without an account, its preview picture; axe-core finds
/// nothing on either page in either theme; both fit a phone.
#[tokio::test]
async fn a_share_link_is_made_and_read_without_an_account() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.set_window_size(1366, 900).await.unwrap();
        mark_first_topic_done(&c, &site).await;
        c.goto(&site.url(&format!("/r/{ROADMAP}/share")))
            .await
            .unwrap();
        js(
            &c,
            "var f = document.querySelector('form.stack'); f.label.value = 'For my manager';\
             f.shown_name.value = 'Ada L.'; f.submit();",
            vec![],
        )
        .await;
        let link = wait_for(&c, "#new-link").await;
        let url = link.prop("value").await.unwrap().unwrap_or_default();
        assert!(url.contains("/s/"), "{url}");
        let md = wait_for(&c, "#badge-md")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        assert!(md.contains("/badge.svg)"), "{md}");
        save_screenshot(&c, "share-manage.png").await;
        assert_eq!(
            axe_violations(&c, "the share page").await,
            Vec::<String>::new()
        );
        choose_theme(&c, "dark").await;
        assert_eq!(
            axe_violations(&c, "the share page, dark").await,
            Vec::<String>::new()
        );

        // Signed out, the link still shows the progress.
        click(&c, "form.logout button").await;
        wait_for(&c, "a[href^=\"/login\"], form[action=\"/login\"]").await;
        c.goto(&url).await.unwrap();
        wait_for(&c, ".shared-map svg").await;
        let text = text_of(&c, "main").await;
        assert!(text.contains("Ada L.'s progress"), "{text}");
        assert!(text.contains("1 done"), "{text}");
        save_screenshot(&c, "shared-dark.png").await;
        assert_eq!(
            axe_violations(&c, "the shared page, dark").await,
            Vec::<String>::new()
        );
        choose_theme(&c, "light").await;
        wait_for(&c, ".shared-map svg").await;
        save_screenshot(&c, "shared.png").await;
        assert_eq!(
            axe_violations(&c, "the shared page").await,
            Vec::<String>::new()
        );
        c.set_window_size(390, 844).await.unwrap();
        c.goto(&url).await.unwrap();
        wait_for(&c, ".shared-map svg").await;
        let overflow = js(
            &c,
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await;
        assert_eq!(overflow, json!(0), "the shared page scrolls sideways");
        save_screenshot(&c, "shared-phone.png").await;
        c.set_window_size(1366, 900).await.unwrap();
        c.goto(&format!("{url}/og.png")).await.unwrap();
        save_screenshot(&c, "shared-og.png").await;
    })
    .await;
}

/// Served under a path prefix (`--base-path /leadmap`): the first run, the map, marking a
/// topic through the panel (the script's fetches carry the prefix), signing out and in again.
#[tokio::test]
async fn under_a_base_path_sign_in_and_mark_a_topic() {
    let config = leadmap_server::Config {
        base_path: leadmap_server::web::base::BasePath::parse("/leadmap").unwrap(),
        ..leadmap_server::Config::default()
    };
    with_browser_config(config, |c: Client, site: Site| async move {
        c.goto(&site.url(&site.setup)).await.unwrap();
        wait_for(&c, "#name").await.send_keys(NAME).await.unwrap();
        wait_for(&c, "#password")
            .await
            .send_keys(PASSWORD)
            .await
            .unwrap();
        click(&c, "form.stack button[type=submit]").await;
        eventually("the home page under the prefix", async || {
            let path = url_path(&c).await;
            if path == "/leadmap/" {
                Ok(())
            } else {
                Err(path)
            }
        })
        .await;
        click(&c, ".cards a[href=\"/leadmap/r/engineering-leadership\"]").await;
        roadmap_ready(&c).await;
        assert_eq!(url_path(&c).await, format!("/leadmap/r/{ROADMAP}"));
        let (id, _) = first_topic(&c).await;

        // The panel comes from a fetch the script builds from the prefix; so does the mark.
        click(&c, &node_css(&id)).await;
        wait_for(&c, &format!("#panel .panel[data-topic=\"{id}\"]")).await;
        assert_eq!(url_path(&c).await, format!("/leadmap/r/{ROADMAP}"));
        click(&c, "#panel button[name=status][value=done]").await;
        eventually("the node to be marked done", async || {
            has_class(&c, &node_css(&id), "done").await
        })
        .await;
        assert_eq!(
            text_of(&c, "#overall .counts").await,
            "1 done · 0 learning · 0 skipped"
        );
        let violations = axe_violations(&c, "the roadmap under a base path").await;
        assert!(violations.is_empty(), "{violations:#?}");

        // Reloaded, the mark is kept.
        c.goto(&site.url(&format!("/r/{ROADMAP}?topic={id}")))
            .await
            .unwrap();
        roadmap_ready(&c).await;
        has_class(&c, &node_css(&id), "done").await.unwrap();

        // Sign out, sign in again: both land under the prefix.
        click(&c, "form.logout button[type=submit]").await;
        eventually("signed out", async || {
            let path = url_path(&c).await;
            if path.starts_with("/leadmap/") && c.find(Locator::Css("form.logout")).await.is_err() {
                Ok(())
            } else {
                Err(path)
            }
        })
        .await;
        c.goto(&site.url("/login")).await.unwrap();
        wait_for(&c, "#name").await.send_keys(NAME).await.unwrap();
        wait_for(&c, "#password")
            .await
            .send_keys(PASSWORD)
            .await
            .unwrap();
        click(&c, "form.stack button[type=submit]").await;
        eventually("the home page after signing in", async || {
            let path = url_path(&c).await;
            if path == "/leadmap/" {
                Ok(())
            } else {
                Err(path)
            }
        })
        .await;
        wait_for(&c, ".cards a[href=\"/leadmap/r/engineering-leadership\"]").await;
    })
    .await;
}

/// A roadmap written in the browser: the preview follows the typing (the diagram, the diff,
/// the checker's problems), a problem's place moves the cursor, Publish makes version 1 and
/// the roadmap opens; a second version shows the orphaned progress and a suggested id map.
/// axe-core finds nothing on the editor, its preview, the versions and a version's changes,
/// in both themes.
#[tokio::test]
async fn a_roadmap_is_written_previewed_and_published_in_the_browser() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.set_window_size(1366, 900).await.unwrap();
        let mut found = Vec::new();
        c.goto(&site.url("/roadmaps/new")).await.unwrap();
        wait_for(&c, "#markdown").await;
        found.extend(axe_violations(&c, "light /roadmaps/new").await);
        let typed = "---\nid: guild\n---\n# Guild handbook\n\n## Craft\n\n- Code review {#code-review}\n- Pairing {#pairing}\n\n## Empty\n";
        let set_text = "var t = document.getElementById('markdown'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));";
        js(&c, set_text, vec![json!(typed)]).await;
        // The empty area is an error, placed on its line; its link moves the cursor there.
        let link = wait_for(&c, "#preview a[data-line]").await;
        assert_eq!(link.text().await.unwrap(), "line 11, column 1");
        assert_eq!(js(&c, "return document.getElementById('ln').textContent.split('\\n').length;", vec![]).await, json!(12));
        found.extend(axe_violations(&c, "light editor with a problem").await);
        link.click().await.unwrap();
        let at = js(&c, "var t = document.getElementById('markdown'); return [document.activeElement === t, t.selectionStart, t.value.indexOf('## Empty')];", vec![]).await;
        assert_eq!(at[0], json!(true));
        assert_eq!(at[1], at[2], "the cursor is at the start of line 11: {at}");
        // Fixed, the preview shows the diagram and what publishing does.
        js(&c, set_text, vec![json!(typed.replace("## Empty\n", "## Care\n\n- Mentoring {#mentoring}\n"))]).await;
        wait_for(&c, "#preview .ed-map svg").await;
        let said = c.find(Locator::Css("#preview h3")).await.unwrap().text().await.unwrap();
        assert_eq!(said, "Publishing creates the roadmap at version 1");
        found.extend(axe_violations(&c, "light editor preview").await);
        save_screenshot(&c, "editor-preview.png").await;
        c.find(Locator::Css("#message")).await.unwrap().send_keys("first cut").await.unwrap();
        click(&c, "button[value=publish]").await;
        let notice = wait_for(&c, "p.ok[role=status]").await;
        assert_eq!(notice.text().await.unwrap(), "Published version 1.");
        assert_eq!(url_path(&c).await, "/r/guild/versions");
        // Mark a topic, then drop it in version 2: the preview names the orphaned progress and
        // suggests where it belongs.
        c.goto(&site.url("/r/guild")).await.unwrap();
        roadmap_ready(&c).await;
        js(&c, "return window.leadmap.mark('pairing', { status: 'done' }).then(function () { return true; });", vec![]).await;
        c.goto(&site.url("/r/guild/edit")).await.unwrap();
        wait_for(&c, "#markdown").await;
        let v1: String = js(&c, "return document.getElementById('markdown').value;", vec![]).await.as_str().unwrap().to_owned();
        js(&c, set_text, vec![json!(v1.replace("- Pairing {#pairing}", "- Pair programming {#pair-programming}"))]).await;
        let orphans = wait_for(&c, "#preview .callout.warn").await;
        assert!(orphans.text().await.unwrap().contains("Pairing pairing: 1 person"), "{}", orphans.text().await.unwrap());
        let map = c.find(Locator::Css("#preview pre.map-suggestion")).await.unwrap().text().await.unwrap();
        assert_eq!(map.trim(), "pairing -> pair-programming");
        c.find(Locator::Css("#map")).await.unwrap().send_keys(map.trim()).await.unwrap();
        click(&c, "button[value=publish]").await;
        wait_for(&c, "p.ok[role=status]").await;
        for theme in ["light", "dark"] {
            c.goto(&site.url("/about")).await.unwrap();
            choose_theme(&c, theme).await;
            for page in ["/r/guild/versions", "/r/guild/versions/2", "/r/guild/edit"] {
                c.goto(&site.url(page)).await.unwrap();
                found.extend(axe_violations(&c, &format!("{theme} {page}")).await);
            }
        }
        // The progress moved with the map: the roadmap counts it.
        c.goto(&site.url("/r/guild")).await.unwrap();
        roadmap_ready(&c).await;
        let pct = c.find(Locator::Css("#overall .counts")).await.unwrap().text().await.unwrap();
        assert!(pct.starts_with("1 done"), "{pct}");
        // A visitor without an account: the public pages, read-only, in both themes.
        c.delete_all_cookies().await.unwrap();
        for theme in ["light", "dark"] {
            c.goto(&site.url("/about")).await.unwrap();
            choose_theme(&c, theme).await;
            for page in [
                "/r/engineering-leadership",
                "/r/engineering-leadership?topic=define-core-values",
                "/r/engineering-leadership/t/define-core-values",
            ] {
                c.goto(&site.url(page)).await.unwrap();
                wait_for(&c, ".signin-call a").await;
                found.extend(axe_violations(&c, &format!("{theme} visitor {page}")).await);
            }
        }
        save_screenshot(&c, "roadmap-visitor-dark.png").await;
        assert!(found.is_empty(), "axe-core violations:\n{}", found.join("\n"));
    })
    .await;
}

/// Teams in the browser: the admin makes a team, adds themself as its manager, marks two
/// topics, makes an invite link and suggests a focus topic; the team's page, the dashboard
/// (heatmap and table), the matrix, the trend, a member's roadmap, the 1:1 page and the
/// invite page have no axe-core violation in either theme, at 1366×900 and on a phone
/// (390×844), where no page runs wider than the screen.
#[tokio::test]
async fn team_pages_pass_axe_in_both_themes_and_fit_a_phone() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.set_window_size(1366, 900).await.unwrap();
        let id = mark_first_topic_done(&c, &site).await;

        c.goto(&site.url("/teams")).await.unwrap();
        wait_for(&c, "#team-name").await.send_keys("Web").await.unwrap();
        click(&c, "form[action=\"/teams\"] button[type=submit]").await;
        eventually("the new team's page", async || {
            let p = url_path(&c).await;
            if p == "/teams/web" { Ok(()) } else { Err(p) }
        })
        .await;
        wait_for(&c, "#member-name").await.send_keys(NAME).await.unwrap();
        js(&c, "document.getElementById('member-role').value = 'manager';", vec![]).await;
        click(&c, "form[action=\"/teams/web/members\"] button[type=submit]").await;
        wait_for(&c, "a[href=\"/teams/web/members/ada/one-on-one\"]").await;
        click(&c, "form[action=\"/teams/web/invites\"] button[type=submit]").await;
        let link = wait_for(&c, "#invite-link")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        assert!(link.contains("/join/"), "{link}");
        let join = link[link.find("/join/").unwrap()..].to_owned();

        // A note on the topic: in a team now, its panel offers to share it with managers.
        let topic_page = format!("/r/{ROADMAP}/t/{id}");
        c.goto(&site.url(&topic_page)).await.unwrap();
        wait_for(&c, "#note").await.send_keys("Ran the first values workshop").await.unwrap();
        click(&c, "form.mark button.save").await;
        // The note is saved in the background: the page is fetched (without leaving it, which
        // would cancel the save) until the switch is on it, then opened.
        eventually("the switch to share the note", async || {
            let t = c
                .execute_async(
                    "var done = arguments[arguments.length - 1];\
                     fetch(arguments[0], { credentials: 'same-origin' })\
                       .then(function (r) { return r.text(); })\
                       .then(done, function () { done(''); });",
                    vec![json!(site.url(&topic_page))],
                )
                .await
                .unwrap();
            let t = t.as_str().unwrap_or_default().to_owned();
            if t.contains("Share it with my managers") { Ok(()) } else { Err(t) }
        })
        .await;
        c.goto(&site.url(&topic_page)).await.unwrap();
        wait_for(&c, "main h1").await;
        assert!(text_of(&c, "main").await.contains("Share it with my managers"));

        // A focus topic for the whole team, from the dashboard's form.
        let dashboard = format!("/teams/web/r/{ROADMAP}");
        c.goto(&site.url(&dashboard)).await.unwrap();
        wait_for(&c, ".th-light svg").await;
        let second = js(
            &c,
            "return document.querySelectorAll('#focus-topic option')[2].value;",
            vec![],
        )
        .await;
        js(
            &c,
            "var f = document.getElementById('focus-topic').form; f.topic.value = arguments[0];\
             f.reason.value = 'We start on-call in January'; f.submit();",
            vec![second],
        )
        .await;
        eventually("the focus topic on the dashboard", async || {
            let t = text_of(&c, "main").await;
            if t.contains("We start on-call in January") { Ok(()) } else { Err(t) }
        })
        .await;

        let pages = [
            "/teams".to_owned(),
            "/teams/web".to_owned(),
            dashboard.clone(),
            format!("{dashboard}/matrix"),
            format!("{dashboard}/trend"),
            format!("/teams/web/members/{NAME}/r/{ROADMAP}"),
            format!("/teams/web/members/{NAME}/one-on-one?roadmap={ROADMAP}"),
            join.clone(),
            "/".to_owned(),
            topic_page.clone(),
        ];
        let mut found = Vec::new();
        for theme in ["light", "dark"] {
            c.goto(&site.url("/teams")).await.unwrap();
            choose_theme(&c, theme).await;
            for p in &pages {
                c.goto(&site.url(p)).await.unwrap();
                wait_for(&c, "main h1").await;
                found.extend(axe_violations(&c, &format!("{theme} {p}")).await);
            }
        }
        assert_eq!(found, Vec::<String>::new());
        choose_theme(&c, "light").await;
        for (p, name) in [
            (&dashboard, "team-dashboard.png"),
            (&format!("{dashboard}/matrix"), "team-matrix.png"),
            (&format!("/teams/web/members/{NAME}/one-on-one?roadmap={ROADMAP}"), "team-one-on-one.png"),
            (&"/teams/web".to_owned(), "team.png"),
            (&topic_page, "topic-note-sharing.png"),
        ] {
            c.goto(&site.url(p)).await.unwrap();
            wait_for(&c, "main h1").await;
            save_screenshot(&c, name).await;
        }
        // The home page lists the focus topic.
        c.goto(&site.url("/")).await.unwrap();
        let home = text_of(&c, "main").await;
        assert!(home.contains("We start on-call in January"), "{home}");

        c.set_window_size(390, 844).await.unwrap();
        for p in &pages {
            c.goto(&site.url(p)).await.unwrap();
            wait_for(&c, "main h1").await;
            let wide = js(
                &c,
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await;
            if wide.as_i64().unwrap_or(0) > 1 {
                let culprits = js(
                    &c,
                    "var w = document.documentElement.clientWidth, out = [];\
                     document.querySelectorAll('main *').forEach(function (e) {\
                       var r = e.getBoundingClientRect();\
                       if (r.right > w + 1 && e.parentElement.getBoundingClientRect().right <= w + 1)\
                         out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right) + ' in ' + e.parentElement.className + ' overflow ' + getComputedStyle(e.parentElement).overflowX + ' sticky? ' + getComputedStyle(e.parentElement).position);\
                     }); return out.slice(0, 8).join('; ');",
                    vec![],
                )
                .await;
                let _ = std::fs::write("/tmp/wide.html", c.source().await.unwrap_or_default());
                panic!("{p} runs {wide} px wider than a phone: {culprits}");
            }
        }
        c.goto(&site.url(&dashboard)).await.unwrap();
        wait_for(&c, "main h1").await;
        save_screenshot(&c, "team-dashboard-phone.png").await;
    })
    .await;
}

/// A practice assessment rated with the keyboard alone (j to move, 1–5 for the level, e for
/// evidence), kept across a reload, published; its pages pass axe in both themes and fit a
/// phone.
#[tokio::test]
async fn an_assessment_is_rated_by_keyboard_and_its_pages_pass_axe_and_fit_a_phone() {
    with_browser(|c: Client, site: Site| async move {
        create_owner(&c, &site).await;
        c.set_window_size(1366, 900).await.unwrap();
        c.goto(&site.url("/assessments")).await.unwrap();
        wait_for(&c, "#a-title").await.send_keys("Q1 2027").await.unwrap();
        click(&c, "form[action=\"/assessments\"] button[type=submit]").await;
        let sheet = eventually("the new assessment's sheet", async || {
            let p = url_path(&c).await;
            if p.starts_with("/assessments/") && p != "/assessments" { Ok(p) } else { Err(p) }
        })
        .await;
        wait_for(&c, "article.practice").await;

        // j to the first practice, 3 for "defined"; j, 4 for "practised"; saved at once.
        press(&c, 'j').await;
        press(&c, '3').await;
        press(&c, 'j').await;
        press(&c, '4').await;
        let tags = async || {
            js(
                &c,
                "return Array.prototype.slice.call(document.querySelectorAll('article.practice .level-tag'), 0, 3).map(function (t) { return t.textContent; }).join('|');",
                vec![],
            )
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
        };
        eventually("both levels shown as saved", async || {
            let t = tags().await;
            if t == "Defined|Practised|Not rated" { Ok(()) } else { Err(t) }
        })
        .await;
        // e: the evidence box of the practice in focus; the link is saved when it is left.
        press(&c, 'e').await;
        let in_evidence = js(
            &c,
            "return document.activeElement.classList.contains('evidence');",
            vec![],
        )
        .await;
        assert_eq!(in_evidence, json!(true));
        c.active_element()
            .await
            .unwrap()
            .send_keys("https://wiki.example.com/career-ladder")
            .await
            .unwrap();
        press(&c, '\u{E004}').await; // Tab
        eventually("the evidence saved", async || {
            let t = js(
                &c,
                "return document.querySelectorAll('article.practice')[1].querySelector('.saved').textContent;",
                vec![],
            )
            .await;
            if t == json!("Saved") { Ok(()) } else { Err(t.to_string()) }
        })
        .await;
        c.goto(&site.url(&sheet)).await.unwrap();
        wait_for(&c, "article.practice").await;
        assert_eq!(tags().await, "Defined|Practised|Not rated", "kept across a reload");
        let evidence = js(
            &c,
            "return document.querySelectorAll('article.practice textarea.evidence')[1].value;",
            vec![],
        )
        .await;
        assert!(evidence.as_str().unwrap_or_default().contains("career-ladder"), "{evidence}");

        click(&c, "form[action$=\"/publish\"] button").await;
        eventually("published", async || {
            let t = text_of(&c, "h1").await;
            if t.contains("published") { Ok(()) } else { Err(t) }
        })
        .await;

        let pages = [
            "/assessments".to_owned(),
            sheet.clone(),
            format!("{sheet}/report"),
            format!("{sheet}/history"),
            format!("/assessments/overview/{ROADMAP}"),
        ];
        let mut found = Vec::new();
        for theme in ["light", "dark"] {
            c.goto(&site.url("/assessments")).await.unwrap();
            choose_theme(&c, theme).await;
            for p in &pages {
                c.goto(&site.url(p)).await.unwrap();
                wait_for(&c, "main h1").await;
                found.extend(axe_violations(&c, &format!("{theme} {p}")).await);
            }
        }
        assert_eq!(found, Vec::<String>::new());
        choose_theme(&c, "light").await;
        for (p, name) in [
            (&sheet, "assessment-sheet.png"),
            (&format!("{sheet}/report"), "assessment-report.png"),
            (&format!("/assessments/overview/{ROADMAP}"), "assessment-overview.png"),
        ] {
            c.goto(&site.url(p)).await.unwrap();
            wait_for(&c, "main h1").await;
            save_screenshot(&c, name).await;
        }
        c.set_window_size(390, 844).await.unwrap();
        for p in &pages {
            c.goto(&site.url(p)).await.unwrap();
            wait_for(&c, "main h1").await;
            let wide = js(
                &c,
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await;
            assert!(wide.as_i64().unwrap_or(0) <= 1, "{p} runs {wide} px wider than a phone");
        }
        c.goto(&site.url(&sheet)).await.unwrap();
        wait_for(&c, "main h1").await;
        save_screenshot(&c, "assessment-sheet-phone.png").await;
    })
    .await;
}
