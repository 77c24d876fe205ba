//! Leadmap's web app: a thin HTTP layer over the use cases (`leadmap-app`), the store and the
//! pure core.
//!
//! The map (see `ARCHITECTURE.md`), imports pointing down only:
//! - [`features`]: one folder per feature (`roadmaps`, `account`, `session`, `setup`, `home`,
//!   `site`), each owning its handlers, API routes and templates, exporting `routes()`.
//! - [`access`]: who is asking and what they may do. Every route is registered with an
//!   [`access::Access`]; one guard resolves the caller and enforces it (sign-in, CSRF, bearer
//!   token) before any handler runs, and handlers receive capabilities scoped to the caller.
//!   Only this module holds the store.
//! - [`web`]: the page chrome, cookies, redirects, negotiation, errors.
//! - [`assets`]: the embedded static files.
//! - [`observe`]: the request log line, Prometheus metrics and their own listener.
//!
//! [`serve`] runs the app on a listener until a shutdown future completes; tests call it on
//! port 0 with a fresh database.

use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;

pub mod access;
pub mod assets;
pub mod features;
pub mod observe;
pub mod web;

pub use access::{AppState, Config};
pub use web::AppError;

/// The whole app's route table: every route with who may call it.
pub fn route_table() -> Vec<access::Route> {
    features::routes().table().to_vec()
}

/// The whole app.
pub fn router(state: AppState) -> Router {
    let base = state.config().base_path.clone();
    let mut app = features::routes()
        .into_router(&state)
        .fallback(not_found)
        .layer(middleware::from_fn(web::error::error_pages))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ));
    if let Some(base) = &base {
        app = app.layer(middleware::from_fn_with_state(
            base.clone(),
            web::base::rewrite,
        ));
    }
    let app = app
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(observe::requests))
        .with_state(state);
    match base {
        Some(base) => web::base::mount(base, app),
        None => app,
    }
}

/// The whole metrics listener's route table (`serve --metrics-addr`).
pub fn metrics_route_table() -> Vec<access::Route> {
    observe::metrics_routes().table().to_vec()
}

/// Serves `/metrics` (see [`observe`]) on its own listener until `shutdown` completes.
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = observe::metrics_routes()
        .into_router(&state)
        .fallback(not_found)
        .with_state(state);
    serve_router(listener, app, shutdown).await
}

/// An unknown path: the 404 page, with the site's navigation for a signed-in person.
async fn not_found(access::Viewer(viewer): access::Viewer) -> Response {
    use axum::response::IntoResponse;
    let mut res = AppError::NotFound.into_response();
    if let Some(me) = viewer {
        let (name, csrf) = me.frame();
        res.extensions_mut().insert(web::chrome::ViewerInfo {
            name: name.to_owned(),
            csrf: csrf.to_owned(),
        });
    }
    res
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

/// A request's headers must arrive within this time (a half-sent request, or a kept-alive
/// connection that sends nothing, is closed after it).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// A request must be answered within this time.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// After the shutdown signal, requests in flight get this long to finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves the app on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (for at most [`SHUTDOWN_GRACE`]) and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_router(listener, router(state), shutdown).await
}

/// [`serve`] for any router: the timeouts and the graceful shutdown.
async fn serve_router(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        REQUEST_TIMEOUT,
    ));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder.http2().timer(TokioTimer::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let svc = app
            .clone()
            .map_request(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req.map(axum::body::Body::new)
            });
        let svc = hyper_util::service::TowerToHyperService::new(svc);
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), svc)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after the grace period were cut off");
    }
    Ok(())
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
