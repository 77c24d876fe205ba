//! Leadmap's web app: a thin HTTP layer over the store and the pure core.
//!
//! [`serve`] runs the app on a listener until a shutdown future completes; tests call it on
//! port 0 with a fresh database. Pages are askama templates (checked at compile time), the
//! static assets are embedded, and every state change goes through the CSRF guard in
//! [`auth`].
//!
//! Invariants (see `ARCHITECTURE.md`): no SQL here (the store owns it), no roadmap parsing or
//! layout logic (the core and render crates own them); no state in the process that two
//! servers on one PostgreSQL database would disagree on, except the first-run setup link.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leadmap_store::Store;
use tower_http::compression::CompressionLayer;

pub mod api;
pub mod assets;
pub mod auth;
pub mod catalog;
pub mod error;
pub mod pages;

pub use catalog::Catalog;
pub use error::AppError;

/// How the app is reached.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies `Secure` and send HSTS: set when the app is served over TLS (behind a
    /// proxy that terminates it).
    pub secure_cookies: bool,
}

#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    store: Box<dyn Store>,
    catalog: Catalog,
    config: Config,
    /// The first-run link's secret while no account exists.
    setup_token: Mutex<Option<String>>,
    /// A hash to verify against when the user is unknown, so that the answer takes as long.
    dummy_hash: String,
}

impl AppState {
    /// The app over a store, serving the bundled roadmaps.
    pub async fn new(store: Box<dyn Store>, config: Config) -> Result<AppState, AppError> {
        let setup_token = if store.user_count().await? == 0 {
            Some(auth::random_hex(16))
        } else {
            None
        };
        let dummy = auth::Password::parse("a password nobody has, for timing", &[])
            .map_err(AppError::Internal)?;
        let dummy_hash = tokio::task::spawn_blocking(move || auth::hash_password(&dummy))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))??;
        Ok(AppState(Arc::new(Inner {
            store,
            catalog: Catalog::bundled(),
            config,
            setup_token: Mutex::new(setup_token),
            dummy_hash,
        })))
    }

    pub fn store(&self) -> &dyn Store {
        &*self.0.store
    }

    pub fn catalog(&self) -> &Catalog {
        &self.0.catalog
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The path of the one-time link that creates the owner account, while none exists.
    pub fn setup_path(&self) -> Option<String> {
        self.setup_token().map(|t| format!("/setup?token={t}"))
    }

    pub(crate) fn setup_token(&self) -> Option<String> {
        self.0.setup_token.lock().ok().and_then(|t| t.clone())
    }

    pub(crate) fn clear_setup_token(&self) {
        if let Ok(mut t) = self.0.setup_token.lock() {
            *t = None;
        }
    }

    pub(crate) fn dummy_hash(&self) -> &str {
        &self.0.dummy_hash
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// The whole app.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api", api::routes())
        .route("/healthz", get(healthz))
        .route("/static/{*path}", get(assets::serve))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.store().user_count().await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unavailable: {e}\n"),
        )
            .into_response(),
    }
}

/// The Content-Security-Policy: our own scripts and styles only, no inline code, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "cross-origin-resource-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    if state.config().secure_cookies {
        set(
            h,
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
    res
}

/// Serves the app on `listener` until `shutdown` completes, then finishes the requests in
/// flight and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
