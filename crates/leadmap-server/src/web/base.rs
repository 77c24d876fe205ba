//! Serving under a path prefix (`serve --base-path /leadmap`) behind a reverse proxy that
//! passes the path unchanged.
//!
//! The app itself knows no prefix: its routes, templates and redirects are written for `/`.
//! This module is the one place that does, at the edge, so that a link added later cannot
//! forget it:
//! - a request for `/leadmap/x` reaches the app as `/x` (`/leadmap` as `/`); anything outside
//!   the prefix answers 404;
//! - a `Location` that is a path on our origin gets the prefix;
//! - an HTML page (or fragment) gets it in every `href`, `src`, `action` and `formaction` that
//!   is a path on our origin, and its `<html>` element carries `data-base="/leadmap"` for the
//!   scripts, which build their fetch URLs from it;
//! - the OpenAPI document's server URL gets it.
//!
//! Cookies keep `Path=/`: the `__Host-` session cookie must have exactly that path (the
//! prefix's rule), and the others follow it.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

/// A path prefix: `/` followed by segments of URL-safe characters, no trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasePath(String);

impl BasePath {
    /// `None` for no prefix (`""` or `"/"`); an error in words for a path that cannot be one.
    pub fn parse(s: &str) -> Result<Option<BasePath>, String> {
        let t = s.trim().trim_end_matches('/');
        if t.is_empty() {
            return Ok(None);
        }
        if !t.starts_with('/') {
            return Err(format!("a base path starts with '/': {s:?}"));
        }
        for seg in t[1..].split('/') {
            if seg.is_empty() || seg == "." || seg == ".." {
                return Err(format!(
                    "a base path is segments separated by single '/', no '.' or '..': {s:?}"
                ));
            }
            if let Some(c) = seg
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
            {
                return Err(format!(
                    "a base path is letters, digits, '-', '_', '.', '~' and '/'; {c:?} is not \
                     allowed: {s:?}"
                ));
            }
        }
        Ok(Some(BasePath(t.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A path of the app (`/x`) as the browser must ask for it (`/leadmap/x`).
    pub fn prefix(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// The app's path for a request path, or `None` when it is outside the prefix.
    fn strip<'a>(&self, path: &'a str) -> Option<&'a str> {
        match path.strip_prefix(self.0.as_str()) {
            Some("") => Some("/"),
            Some(rest) if rest.starts_with('/') => Some(rest),
            _ => None,
        }
    }
}

/// The app (every layer already on it) mounted under `base`: requests are stripped of the
/// prefix before routing.
pub fn mount(base: BasePath, app: Router) -> Router {
    Router::new()
        .fallback_service(app)
        .layer(middleware::from_fn_with_state(base, strip))
}

async fn strip(State(base): State<BasePath>, mut req: Request, next: Next) -> Response {
    let uri = req.uri().clone();
    let Some(path) = base.strip(uri.path()) else {
        return (
            StatusCode::NOT_FOUND,
            format!("Not found: Leadmap is served under {}/\n", base.as_str()),
        )
            .into_response();
    };
    let path_and_query = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    let mut parts = uri.into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    match Uri::from_parts(parts) {
        Ok(u) => *req.uri_mut() = u,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    }
    next.run(req).await
}

/// The layer that puts the prefix into what the app answers (inside compression: it reads
/// plain bodies).
pub async fn rewrite(State(base): State<BasePath>, req: Request, next: Next) -> Response {
    let openapi = req.uri().path() == "/api/openapi.json";
    let mut res = next.run(req).await;
    if let Some(loc) = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        && is_our_path(loc)
        && let Ok(v) = HeaderValue::from_str(&base.prefix(loc))
    {
        res.headers_mut().insert(header::LOCATION, v);
    }
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let html = content_type.starts_with("text/html");
    if !(html || openapi && content_type.starts_with("application/json")) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let new: Bytes = match std::str::from_utf8(&bytes) {
        Ok(text) if html => rewrite_html(text, &base).into(),
        Ok(text) => rewrite_openapi(text, &base).into(),
        Err(_) => bytes,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(new))
}

/// A path on our origin (`/x`), not a protocol-relative URL (`//host/x`).
fn is_our_path(s: &str) -> bool {
    s.starts_with('/') && !s.starts_with("//")
}

/// The attributes whose value is a URL the browser follows or loads.
const URL_ATTRIBUTES: [&str; 4] = [" href=\"", " src=\"", " action=\"", " formaction=\""];

/// Every URL attribute that holds a path on our origin gets the prefix; `<html` gets
/// `data-base`. Attribute values written by the templates are escaped, so `href="` in a
/// value (a note, say) cannot appear as such.
pub fn rewrite_html(text: &str, base: &BasePath) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut rest = text;
    if let Some(i) = rest.find("<html") {
        out.push_str(&rest[..i + 5]);
        out.push_str(&format!(" data-base=\"{}\"", base.as_str()));
        rest = &rest[i + 5..];
    }
    loop {
        let next = URL_ATTRIBUTES
            .iter()
            .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
            .min();
        let Some((i, len)) = next else {
            out.push_str(rest);
            return out;
        };
        let value_at = i + len;
        out.push_str(&rest[..value_at]);
        if is_our_path(&rest[value_at..]) {
            out.push_str(base.as_str());
        }
        rest = &rest[value_at..];
    }
}

/// The OpenAPI document with each server URL under the prefix.
fn rewrite_openapi(text: &str, base: &BasePath) -> String {
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.to_owned();
    };
    if let Some(servers) = doc.get_mut("servers").and_then(|s| s.as_array_mut()) {
        for s in servers {
            if let Some(url) = s.get_mut("url")
                && let Some(u) = url.as_str().filter(|u| is_our_path(u))
            {
                *url = serde_json::Value::String(base.prefix(u));
            }
        }
    }
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn base_paths_are_parsed_and_checked() {
        assert_eq!(BasePath::parse("").unwrap(), None);
        assert_eq!(BasePath::parse("/").unwrap(), None);
        let b = BasePath::parse("/leadmap/").unwrap().unwrap();
        assert_eq!(b.as_str(), "/leadmap");
        assert_eq!(
            BasePath::parse("/tools/leadmap").unwrap().unwrap().as_str(),
            "/tools/leadmap"
        );
        for bad in ["leadmap", "/a//b", "/a/../b", "/a b", "/a?b", "/a\"b", "/é"] {
            assert!(BasePath::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(b.strip("/leadmap"), Some("/"));
        assert_eq!(b.strip("/leadmap/"), Some("/"));
        assert_eq!(b.strip("/leadmap/r/x"), Some("/r/x"));
        assert_eq!(b.strip("/leadmapx"), None);
        assert_eq!(b.strip("/other"), None);
    }

    #[test]
    fn paths_on_our_origin_get_the_prefix_and_nothing_else_does() {
        let b = BasePath::parse("/lm").unwrap().unwrap();
        let page = r##"<!doctype html><html lang="en"><a href="/r/x?topic=a#panel">x</a>
<a href="#main">skip</a><a href="https://example.com/">out</a><a href="//cdn/x">cdn</a>
<script src="/static/app.js?v=1" defer></script><form method="post" action="/theme">
<button formaction="/logout">out</button><p>href="/not-an-attribute"</p>"##;
        let got = rewrite_html(page, &b);
        assert!(got.contains(r#"<html data-base="/lm" lang="en">"#), "{got}");
        assert!(got.contains(r#"href="/lm/r/x?topic=a#panel""#), "{got}");
        assert!(got.contains(r##"href="#main""##), "{got}");
        assert!(got.contains(r#"href="https://example.com/""#), "{got}");
        assert!(got.contains(r#"href="//cdn/x""#), "{got}");
        assert!(got.contains(r#"src="/lm/static/app.js?v=1""#), "{got}");
        assert!(got.contains(r#"action="/lm/theme""#), "{got}");
        assert!(got.contains(r#"formaction="/lm/logout""#), "{got}");
        assert!(got.contains(r#"<p>href="/not-an-attribute"</p>"#), "{got}");
    }

    #[test]
    fn the_openapi_server_is_under_the_prefix() {
        let b = BasePath::parse("/lm").unwrap().unwrap();
        let doc = rewrite_openapi(r#"{"openapi":"3.1.0","servers":[{"url":"/"}]}"#, &b);
        let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(v["servers"][0]["url"], "/lm/");
    }
}
