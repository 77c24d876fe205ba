//! The web app over real HTTP: each test starts the app on port 0 with a fresh database, on
//! SQLite and on PostgreSQL, and talks to it as a browser (forms, cookies, redirects) or an
//! API client (a bearer token) would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use leadmap_server::{AppState, Config};
use leadmap_store::testing::TestDb;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery staple 42";
const EL: &str = "engineering-leadership";

struct App {
    base: String,
    state: AppState,
    _db: Arc<TestDb>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

async fn start(db: Arc<TestDb>) -> App {
    let store = leadmap_store::open(&db.url).await.unwrap();
    let state = AppState::new(store, Config::default()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(leadmap_server::serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));
    App {
        base,
        state,
        _db: db,
        stop: Some(tx),
    }
}

/// A browser: keeps cookies, does not follow redirects (the tests look at them).
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn api(token: &str) -> reqwest::Client {
    let mut h = HeaderMap::new();
    h.insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(h)
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The value of `<input … name="csrf" value="…">` on a page.
fn csrf_of(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("a CSRF field");
    let rest = &html[i + 19..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Creates the owner through the first-run link; returns the signed-in browser.
async fn owner(app: &App) -> reqwest::Client {
    let c = browser();
    let token = app.state.setup_path().unwrap();
    let token = token.split("token=").nth(1).unwrap().to_owned();
    let r = c
        .post(format!("{}/setup", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "ana"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    c
}

/// Another account, made by the store, signed in through the login form.
async fn member(app: &App, name: &str) -> reqwest::Client {
    let p = leadmap_server::auth::Password::parse(PASSWORD, &[]).unwrap();
    let hash = leadmap_server::auth::hash_password(&p).unwrap();
    app.state
        .store()
        .create_user(
            &leadmap_store::UserName::parse(name).unwrap(),
            &hash,
            false,
            0,
        )
        .await
        .unwrap();
    let c = browser();
    let r = c
        .post(format!("{}/login", app.base))
        .form(&[("name", name), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    c
}

async fn page(c: &reqwest::Client, url: String) -> String {
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

/// A personal access token made on the account page.
async fn token(app: &App, c: &reqwest::Client) -> String {
    let account = page(c, format!("{}/account", app.base)).await;
    let r = c
        .post(format!("{}/account/tokens", app.base))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "script")])
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    let i = html.find("<code id=\"new-token\">").unwrap() + 21;
    html[i..i + 67].to_owned()
}

/// A topic of the Engineering Leadership roadmap.
fn topic(app: &App, n: usize) -> String {
    app.state.catalog().get(EL).unwrap().topics[n].clone()
}

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = std::sync::Arc::new(leadmap_store::testing::sqlite().await);
                    super::$name(db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = std::sync::Arc::new(leadmap_store::testing::postgres().await);
                    super::$name(db.clone()).await;
                    if let Ok(db) = std::sync::Arc::try_unwrap(db) {
                        db.drop().await;
                    }
                }
            )*
        }
    };
}

both_backends!(
    first_run_creates_the_owner_once,
    sign_in_fails_alike_for_unknown_user_and_wrong_password_and_is_throttled,
    a_topic_is_marked_with_a_plain_form_and_shown_on_the_page,
    state_changes_need_the_csrf_token_and_our_origin,
    the_api_reads_and_writes_progress_with_a_token,
    the_api_rejects_bad_input_with_clear_messages,
    one_user_never_reaches_another_users_data,
    fifty_concurrent_writers_all_succeed,
    reset_clears_an_area_after_confirmation,
    account_page_changes_password_revokes_sessions_exports_and_deletes,
    two_servers_on_one_database_share_sessions_and_progress,
);

async fn first_run_creates_the_owner_once(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = browser();
    let home = page(&c, format!("{}/", app.base)).await;
    assert!(
        home.contains("First run: create the owner account"),
        "{home}"
    );
    // A wrong token is refused.
    let r = c
        .get(format!("{}/setup?token=nope", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A weak password is refused with a message, and nothing is created.
    let token = app.state.setup_path().unwrap();
    let token = token.split("token=").nth(1).unwrap().to_owned();
    let r = c
        .post(format!("{}/setup", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "ana"),
            ("password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("at least 12 characters"));
    let r = c
        .post(format!("{}/setup", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "ana"),
            ("password", "password1234"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("too easy to guess"));
    assert_eq!(app.state.store().user_count().await.unwrap(), 0);

    let c = owner(&app).await;
    let home = page(&c, format!("{}/", app.base)).await;
    assert!(home.contains("/r/engineering-leadership"));
    assert!(home.contains("/r/engineering-manager"));
    let me = app.state.store().credentials("ana").await.unwrap().unwrap();
    assert!(me.user.is_admin, "the first user is the admin");
    assert!(me.password_hash.starts_with("$argon2id$"));
    // The link works once.
    assert!(app.state.setup_path().is_none());
    let r = browser()
        .post(format!("{}/setup", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "eve"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.state.store().user_count().await.unwrap(), 1);
}

async fn sign_in_fails_alike_for_unknown_user_and_wrong_password_and_is_throttled(db: Arc<TestDb>) {
    let app = start(db).await;
    owner(&app).await;
    let attempt = |name: &'static str, password: &'static str| {
        let url = format!("{}/login", app.base);
        async move {
            let r = browser()
                .post(url)
                .form(&[("name", name), ("password", password)])
                .send()
                .await
                .unwrap();
            let status = r.status();
            (status, r.text().await.unwrap())
        }
    };
    let (s1, unknown) = attempt("nobody", "wrong password here").await;
    let (s2, wrong) = attempt("ana", "wrong password here").await;
    assert_eq!(s1, StatusCode::UNAUTHORIZED);
    assert_eq!(s1, s2);
    let msg = "That name and password do not match an account.";
    assert!(unknown.contains(msg) && wrong.contains(msg));
    // Ten failures lock the account for a while, even with the right password.
    for _ in 0..9 {
        attempt("ana", "wrong password here").await;
    }
    let (s, body) = attempt("ana", PASSWORD).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(body.contains("Too many failed attempts"), "{body}");
    // The page needs a session: without one it sends to the sign-in page.
    let r = browser()
        .get(format!("{}/r/{EL}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/login?next=/r/{EL}"));
}

async fn a_topic_is_marked_with_a_plain_form_and_shown_on_the_page(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let t = topic(&app, 0);
    let html = page(&c, format!("{}/r/{EL}?topic={t}", app.base)).await;
    assert!(html.contains("class=\"panel\""), "the panel is on the page");
    assert!(html.contains("<svg"), "the diagram is on the page");
    let csrf = csrf_of(&html);
    let r = c
        .post(format!("{}/r/{EL}/t/{t}", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "done"),
            ("note", "Read the chapter <b>twice</b>"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/r/{EL}?topic={t}#panel"));
    let html = page(&c, format!("{}/r/{EL}?topic={t}", app.base)).await;
    assert!(html.contains(&format!("class=\"done\" data-id=\"{t}\"")));
    assert!(html.contains("value=\"done\" class=\"st-done\" aria-pressed=\"true\""));
    // The note comes back escaped, never as markup.
    assert!(
        html.contains("Read the chapter &#60;b&#62;twice&#60;/b&#62;")
            || html.contains("Read the chapter &lt;b&gt;twice&lt;/b&gt;"),
        "note escaped"
    );
    assert!(!html.contains("<b>twice</b>"));
    // The home page counts it.
    let home = page(&c, format!("{}/", app.base)).await;
    assert!(home.contains("1 done"), "{home}");
    // JavaScript asks for JSON and gets the new counts.
    let r = c
        .post(format!("{}/r/{EL}/t/{}", app.base, topic(&app, 1)))
        .header("accept", "application/json")
        .header("x-csrf-token", &csrf)
        .form(&[("status", "learning")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "learning");
    assert_eq!(v["summary"]["done"], 1);
    assert_eq!(v["summary"]["learning"], 1);
    assert!(v["area"]["summary"]["learning"].as_u64().is_some());
}

async fn state_changes_need_the_csrf_token_and_our_origin(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let t = topic(&app, 0);
    let url = format!("{}/r/{EL}/t/{t}", app.base);
    let r = c
        .post(&url)
        .form(&[("status", "done")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no token");
    let html = page(&c, format!("{}/r/{EL}", app.base)).await;
    let csrf = csrf_of(&html);
    let r = c
        .post(&url)
        .header("origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str()), ("status", "done")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "another origin");
    let r = c
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str()), ("status", "done")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a cross-site fetch");
    let stored = app
        .state
        .store()
        .all_progress(leadmap_store::UserId(1))
        .await
        .unwrap();
    assert!(stored.is_empty(), "nothing was changed");
    // Every page carries the security headers.
    let r = c.get(format!("{}/r/{EL}", app.base)).send().await.unwrap();
    let h = r.headers();
    assert_eq!(h["content-security-policy"], leadmap_server::CSP);
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    // The session cookie is HttpOnly and SameSite.
    let fresh = browser();
    let r = fresh
        .post(format!("{}/login", app.base))
        .form(&[("name", "ana"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

async fn the_api_reads_and_writes_progress_with_a_token(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    assert!(tok.starts_with("lm_"));
    let a = api(&tok);
    let list: Value = a
        .get(format!("{}/api/v1/roadmaps", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["id"], EL);
    assert_eq!(list[0]["topics"], 112);
    let rm: Value = a
        .get(format!("{}/api/v1/roadmaps/{EL}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rm["id"], EL);
    let t = topic(&app, 3);
    let r = a
        .put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .json(&json!({"status": "done", "note": "Ran the first retro"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let rec: Value = r.json().await.unwrap();
    assert_eq!(rec["status"], "done");
    assert_eq!(rec["note"], "Ran the first retro");
    assert!(rec["updated_at"].as_str().unwrap().ends_with('Z'));
    // Without a note, the stored note is kept.
    a.put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .json(&json!({"status": "learning"}))
        .send()
        .await
        .unwrap();
    let p: Value = a
        .get(format!("{}/api/v1/me/progress/{EL}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p["summary"]["learning"], 1);
    assert_eq!(p["summary"]["pending"], 111);
    assert_eq!(p["summary"]["percent"], 0);
    assert_eq!(p["topics"][&t]["note"], "Ran the first retro");
    // The page shows what the API wrote.
    let html = page(&c, format!("{}/r/{EL}", app.base)).await;
    assert!(html.contains(&format!("class=\"learning\" data-id=\"{t}\"")));
    // No token, a wrong token: 401.
    let r = reqwest::get(format!("{}/api/v1/me/progress/{EL}", app.base))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = api("lm_nope")
        .get(format!("{}/api/v1/roadmaps", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The OpenAPI document describes the routes.
    let doc: Value = reqwest::get(format!("{}/api/openapi.json", app.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/me/progress/{roadmap}/{topic}"]["put"].is_object());
}

async fn the_api_rejects_bad_input_with_clear_messages(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let a = api(&token(&app, &c).await);
    let t = topic(&app, 0);
    let put = |path: String, body: String| {
        let a = a.clone();
        async move {
            let r = a
                .put(path)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let s = r.status();
            let v: Value = r.json().await.unwrap();
            (s, v["error"].as_str().unwrap_or_default().to_owned())
        }
    };
    let ok = format!("{}/api/v1/me/progress/{EL}/{t}", app.base);
    let (s, e) = put(ok.clone(), r#"{"status": "finished"}"#.into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("unknown status \"finished\""), "{e}");
    let (s, e) = put(ok.clone(), "{not json".into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("must be JSON"), "{e}");
    let (s, e) = put(ok.clone(), r#"{"note": "x"}"#.into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("status"), "{e}");
    let (s, e) = put(
        ok.clone(),
        format!(r#"{{"status": "done", "note": "{}"}}"#, "x".repeat(10_001)),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("at most 10000"), "{e}");
    let (s, _) = put(
        format!("{}/api/v1/me/progress/no-such-roadmap/{t}", app.base),
        r#"{"status": "done"}"#.into(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = put(
        format!("{}/api/v1/me/progress/{EL}/no-such-topic", app.base),
        r#"{"status": "done"}"#.into(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        app.state
            .store()
            .all_progress(leadmap_store::UserId(1))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn one_user_never_reaches_another_users_data(db: Arc<TestDb>) {
    let app = start(db).await;
    let ana = owner(&app).await;
    let ana_api = api(&token(&app, &ana).await);
    let t = topic(&app, 0);
    ana_api
        .put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .json(&json!({"status": "done", "note": "ana's secret note"}))
        .send()
        .await
        .unwrap();
    let bob = member(&app, "bob").await;
    let bob_api = api(&token(&app, &bob).await);
    // Bob's views show none of Ana's progress.
    let p: Value = bob_api
        .get(format!("{}/api/v1/me/progress/{EL}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p["summary"]["done"], 0);
    for url in [
        format!("{}/r/{EL}?topic={t}", app.base),
        format!("{}/r/{EL}/t/{t}?fragment=1", app.base),
        format!("{}/account/export", app.base),
        format!("{}/", app.base),
    ] {
        let body = page(&bob, url.clone()).await;
        assert!(!body.contains("ana's secret note"), "{url}");
    }
    // Bob cannot revoke Ana's sessions or tokens: 404, and they keep working.
    let bob_account = page(&bob, format!("{}/account", app.base)).await;
    let csrf = csrf_of(&bob_account);
    let store = app.state.store();
    let ana_id = store.credentials("ana").await.unwrap().unwrap().user.id;
    let ana_session = store.sessions(ana_id).await.unwrap()[0].id;
    let ana_token = store.tokens(ana_id).await.unwrap()[0].id;
    for path in [
        format!("/account/sessions/{ana_session}/revoke"),
        format!("/account/tokens/{ana_token}/revoke"),
    ] {
        let r = bob
            .post(format!("{}{path}", app.base))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert!(
        page(&ana, format!("{}/account", app.base))
            .await
            .contains("ana")
    );
    let r = ana_api
        .get(format!("{}/api/v1/me/progress/{EL}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Ana's CSRF token does not work in Bob's session.
    let ana_page = page(&ana, format!("{}/r/{EL}", app.base)).await;
    let r = bob
        .post(format!("{}/r/{EL}/t/{t}", app.base))
        .form(&[("csrf", csrf_of(&ana_page).as_str()), ("status", "skipped")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn fifty_concurrent_writers_all_succeed(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    let topics = app.state.catalog().get(EL).unwrap().topics.clone();
    let mut tasks = Vec::new();
    for w in 0..50 {
        let a = api(&tok);
        let base = app.base.clone();
        let topics = topics.clone();
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..20 {
                let t = &topics[(w * 7 + i) % topics.len()];
                let status = ["done", "learning", "skipped"][i % 3];
                let r = a
                    .put(format!("{base}/api/v1/me/progress/{EL}/{t}"))
                    .json(&json!({
                        "status": status,
                        "note": format!("writer {w} update {i}"),
                    }))
                    .send()
                    .await
                    .unwrap();
                let s = r.status();
                let body = r.text().await.unwrap();
                statuses.push((s, body));
            }
            statuses
        }));
    }
    let mut n = 0;
    for t in tasks {
        for (s, body) in t.await.unwrap() {
            assert_eq!(s, StatusCode::OK, "{body}");
            assert!(!body.contains("locked"));
            n += 1;
        }
    }
    assert_eq!(n, 1000);
    let stored = app
        .state
        .store()
        .progress(leadmap_store::UserId(1), EL)
        .await
        .unwrap();
    assert!(stored.len() > 100, "{}", stored.len());
    assert!(
        app.state
            .store()
            .integrity_check()
            .await
            .unwrap()
            .is_empty()
    );
}

async fn reset_clears_an_area_after_confirmation(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let entry = app.state.catalog().get(EL).unwrap();
    let area = &entry.areas[0];
    let other = entry.areas[1].topics[0].id.clone();
    let html = page(&c, format!("{}/r/{EL}", app.base)).await;
    let csrf = csrf_of(&html);
    for t in area.topic_ids().chain([&other]) {
        c.post(format!("{}/r/{EL}/t/{t}", app.base))
            .form(&[("csrf", csrf.as_str()), ("status", "done")])
            .send()
            .await
            .unwrap();
    }
    let confirm = page(&c, format!("{}/r/{EL}/reset?area={}", app.base, area.id)).await;
    assert!(confirm.contains("Reset progress?"));
    assert!(confirm.contains(&area.title));
    assert!(confirm.contains(&format!("({} marked)", area.topics.len())));
    let r = c
        .post(format!("{}/r/{EL}/reset", app.base))
        .form(&[("csrf", csrf.as_str()), ("area", area.id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let left = app
        .state
        .store()
        .progress(leadmap_store::UserId(1), EL)
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].topic, other);
}

async fn account_page_changes_password_revokes_sessions_exports_and_deletes(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    // A second session of the same person.
    let other = browser();
    other
        .post(format!("{}/login", app.base))
        .form(&[("name", "ana"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let account = page(&c, format!("{}/account", app.base)).await;
    assert_eq!(
        account.matches("/revoke\">").count(),
        2,
        "two sessions listed"
    );
    let csrf = csrf_of(&account);
    let new_password = "a different long passphrase 7";
    let r = c
        .post(format!("{}/account/password", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", "wrong one, surely"),
            ("new", new_password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(format!("{}/account/password", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", PASSWORD),
            ("new", new_password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/account?done=password");
    // The other session is signed out; this one is kept.
    let r = other
        .get(format!("{}/account", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    page(&c, format!("{}/account", app.base)).await;
    // Export holds the progress.
    let t = topic(&app, 2);
    c.post(format!("{}/r/{EL}/t/{t}", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "done"),
            ("note", "exported"),
        ])
        .send()
        .await
        .unwrap();
    let r = c
        .get(format!("{}/account/export", app.base))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["user"]["name"], "ana");
    assert_eq!(v["progress"][0]["topics"][&t]["note"], "exported");
    // Deleting needs the password; then everything is gone.
    let r = c
        .post(format!("{}/account/delete", app.base))
        .form(&[("csrf", csrf.as_str()), ("password", "not my password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(format!("{}/account/delete", app.base))
        .form(&[("csrf", csrf.as_str()), ("password", new_password)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.store().user_count().await.unwrap(), 0);
    let r = c.get(format!("{}/account", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn two_servers_on_one_database_share_sessions_and_progress(db: Arc<TestDb>) {
    let one = start(db.clone()).await;
    let two = start(db).await;
    let c = owner(&one).await;
    // The session cookie made by server one opens pages on server two.
    let cookie = {
        let r = browser()
            .post(format!("{}/login", one.base))
            .form(&[("name", "ana"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let v = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        v.split(';').next().unwrap().to_owned()
    };
    let r = browser()
        .get(format!("{}/r/{EL}", two.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // A write through one is read through two.
    let a = api(&token(&one, &c).await);
    let t = topic(&one, 5);
    a.put(format!("{}/api/v1/me/progress/{EL}/{t}", one.base))
        .json(&json!({"status": "skipped"}))
        .send()
        .await
        .unwrap();
    let p: Value = a
        .get(format!("{}/api/v1/me/progress/{EL}", two.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p["topics"][&t]["status"], "skipped");
}

#[tokio::test]
async fn health_and_static_assets() {
    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let app = start(db).await;
    let r = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let home = reqwest::get(format!("{}/", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let i = home.find("/static/app.js?v=").unwrap();
    let href = &home[i..i + home[i..].find('"').unwrap()];
    let r = reqwest::get(format!("{}{href}", app.base)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/javascript");
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let js = r.text().await.unwrap();
    let defined = js.find("function leadmapPanZoom(");
    let used = js.find("= leadmapPanZoom(");
    assert!(
        matches!((defined, used), (Some(d), Some(u)) if d < u),
        "app.js carries the shared pan and zoom in front of the app's own script"
    );
    let r = reqwest::Client::new()
        .get(format!("{}{href}", app.base))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    let css = reqwest::get(format!("{}/static/map.css", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(css.contains("[data-theme=dark] .map"));
    let r = reqwest::get(format!("{}/static/app.css", app.base))
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/css");
    assert!(r.headers()["etag"].to_str().unwrap().len() > 2);
    assert!(r.text().await.unwrap().contains("#view"));
    let r = reqwest::get(format!("{}/nowhere", app.base)).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let about = reqwest::get(format!("{}/about", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(about.contains("Kamran Ahmed") && about.contains("Bazaar"));
    let tpl = reqwest::get(format!("{}/templates/adr.md", app.base))
        .await
        .unwrap();
    assert_eq!(tpl.status(), StatusCode::OK);
    assert!(
        tpl.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("adr.md")
    );
}

#[tokio::test]
async fn a_session_idle_for_more_than_thirty_days_is_over() {
    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let app = start(db).await;
    owner(&app).await;
    let store = app.state.store();
    let ana = store.credentials("ana").await.unwrap().unwrap().user;
    let long_ago = leadmap_server::now_ms() - leadmap_server::auth::SESSION_IDLE_MS - 60_000;
    let token = "0123456789abcdef0123456789abcdef";
    let recent = "fedcba9876543210fedcba9876543210";
    let hash = |t: &str| leadmap_server::auth::secret_hash(t);
    store
        .create_session(ana.id, &hash(token), "c", "", long_ago)
        .await
        .unwrap();
    store
        .create_session(
            ana.id,
            &hash(recent),
            "c",
            "",
            leadmap_server::now_ms() - 3_600_000,
        )
        .await
        .unwrap();
    let get = |t: &'static str| {
        let url = format!("{}/account", app.base);
        async move {
            browser()
                .get(url)
                .header("cookie", format!("leadmap_session={t}"))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(get(token).await, StatusCode::SEE_OTHER, "signed out");
    assert_eq!(get(recent).await, StatusCode::OK, "an hour idle is fine");
    assert!(
        store.session(&hash(token), 0).await.unwrap().is_none(),
        "deleted"
    );
}
