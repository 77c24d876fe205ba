//! Seeing the app run: one log line per request, and Prometheus metrics.
//!
//! The request line (`target: leadmap::request`, level INFO) holds the method, the matched
//! route pattern (`/r/{roadmap}/t/{topic}`, never the path a caller sent, so no id, query
//! string or first-run token reaches the log), the status, the time taken and a request id
//! (also sent back as `x-request-id`). Headers, cookies, bodies and notes are never logged.
//! A 5xx's chain of causes is logged on a line of its own with the same id.
//!
//! Metrics go through the `metrics` facade: nothing is recorded until the binary installs the
//! Prometheus recorder ([`install_recorder`], for `serve --metrics-addr`), and they are served
//! on a listener of their own ([`metrics_routes`]), never on the app's.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};

use crate::access::{Access, Routes};
use crate::web::error::Failure;

/// Requests answered, by method, route and status.
pub const REQUESTS: &str = "leadmap_http_requests_total";
/// Time to answer, by method and route, in seconds.
pub const DURATION: &str = "leadmap_http_request_duration_seconds";
/// Requests being answered now.
pub const IN_FLIGHT: &str = "leadmap_http_requests_in_flight";

/// The histogram's buckets: from half a millisecond (a page from memory) to the 30 s limit.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The route of a request no route matched.
const UNMATCHED: &str = "(unmatched)";

/// Logs and counts every request (see the module's comment).
/// A request id: a random prefix chosen once per process and a counter (no system call per
/// request).
fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static PREFIX: OnceLock<String> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let prefix = PREFIX.get_or_init(|| leadmap_app::secrets::random_hex(4));
    format!("{prefix}{:08x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

pub async fn requests(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, |m| m.as_str())
        .to_owned();
    // Metrics cost their labels' allocations only when a recorder listens (--metrics-addr).
    let metrics_on = HANDLE.get().is_some();
    if metrics_on {
        metrics::gauge!(IN_FLIGHT).increment(1.0);
    }
    // No span per request (a span's creation, entries and exits were a measurable share of a
    // small page's time): the one line logged while a request runs, a server error's causes,
    // comes back in the response and is logged here with the id.
    let mut res = next.run(req).await;
    if let Some(Failure(chain)) = res.extensions_mut().remove::<Failure>() {
        tracing::error!(request_id = %id, error = %chain, "request failed");
    }
    if metrics_on {
        metrics::gauge!(IN_FLIGHT).decrement(1.0);
    }
    let took = started.elapsed();
    let status = res.status().as_u16();
    tracing::info!(
        target: "leadmap::request",
        request_id = %id,
        method = %method,
        route = %route,
        status,
        // Milliseconds to the microsecond (no float noise in the line).
        ms = (took.as_micros() as f64) / 1000.0,
        "request"
    );
    if metrics_on {
        let labels = [
            ("method", method_label(&method).to_owned()),
            ("route", route),
        ];
        metrics::histogram!(DURATION, &labels).record(took.as_secs_f64());
        let [m, r] = labels;
        metrics::counter!(REQUESTS, &[m, r, ("status", status.to_string())]).increment(1);
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// The method as a metric label: the standard ones by name, any other as `other` (a client
/// can send any token as a method; each must not become a series of its own).
fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the Prometheus recorder for the whole process (once; later calls return the first
/// handle) and keeps its histograms trimmed.
pub fn install_recorder() -> Result<PrometheusHandle, BuildError> {
    if let Some(h) = HANDLE.get() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(DURATION.to_owned()), BUCKETS)?
        .install_recorder()?;
    metrics::describe_counter!(
        REQUESTS,
        "HTTP requests answered, by method, route and status."
    );
    metrics::describe_histogram!(
        DURATION,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request, by method and route."
    );
    metrics::describe_gauge!(IN_FLIGHT, "HTTP requests being answered.");
    let h = HANDLE.get_or_init(|| handle).clone();
    let upkeep = h.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            upkeep.run_upkeep();
        }
    });
    Ok(h)
}

/// The metrics listener's routes: `GET /metrics` in the Prometheus text format.
pub fn metrics_routes() -> Routes {
    Routes::new().get("/metrics", Access::Public, metrics_text)
}

async fn metrics_text() -> Response {
    let body = HANDLE
        .get()
        .map(PrometheusHandle::render)
        .unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
