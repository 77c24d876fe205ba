//! Whether a request wants JSON (the in-page script, an API client) or a page.

use axum::http::{HeaderMap, header};

pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}
