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
    /// A connection of the test's own to the app's database, to look behind the app.
    store: Box<dyn leadmap_store::Store>,
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

impl App {
    fn store(&self) -> &dyn leadmap_store::Store {
        &*self.store
    }
}

async fn start(db: Arc<TestDb>) -> App {
    start_with(db, Config::default()).await
}

/// The app with a configuration of the test's choosing.
async fn start_with(db: Arc<TestDb>, config: Config) -> App {
    let store = leadmap_store::open(&db.url).await.unwrap();
    let state = AppState::new(store, config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(leadmap_server::serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));
    App {
        base,
        state,
        store: leadmap_store::open(&db.url).await.unwrap(),
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
    let p = leadmap_app::secrets::Password::parse(PASSWORD, &[]).unwrap();
    let hash = leadmap_app::secrets::hash_password(&p).unwrap();
    app.store()
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
    // Post/redirect/get: the account page shows the new token, once.
    assert_eq!(location(&r), "/account");
    let html = page(c, format!("{}/account", app.base)).await;
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

mod access;
mod account;
mod activity;
mod assess;
mod base_path;
mod plans;
mod probe;
mod publish;
mod roadmaps;
mod session;
mod setup;
mod shares;
mod site;
mod teams;
