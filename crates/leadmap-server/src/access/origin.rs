//! Cross-site request forgery: a state change must come from our own pages (origin) and,
//! when signed in, carry the session's CSRF token (a form field or the `X-CSRF-Token` header).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, header};
use leadmap_app::secrets::same;

use super::FORM_LIMIT;
use super::state::Config;
use crate::web::error::AppError;

/// Refuses a cross-site `Sec-Fetch-Site`, and an `Origin` that is not ours: the configured
/// public URL's origin when one is set (behind a proxy that rewrites `Host`), else this
/// request's `Host`.
pub fn same_origin(config: &Config, headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(AppError::Forbidden("cross-site request refused".into()));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let ok = match config.public_origin() {
            Some(ours) => origin.eq_ignore_ascii_case(&ours),
            None => {
                let host = headers
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
                origin != "null" && origin_host.eq_ignore_ascii_case(host)
            }
        };
        if !ok {
            return Err(AppError::Forbidden("cross-origin request refused".into()));
        }
    }
    Ok(())
}

/// Checks the CSRF token of a state-changing request: the `X-CSRF-Token` header, else the
/// `csrf` field of a form body (read, then handed on unchanged).
pub async fn check_csrf_token(req: Request, expected: &str) -> Result<Request, AppError> {
    let refused =
        || AppError::Forbidden("the form was out of date; reload the page and try again".into());
    if let Some(h) = req.headers().get("x-csrf-token") {
        return if h.to_str().is_ok_and(|t| same(t, expected)) {
            Ok(req)
        } else {
            Err(refused())
        };
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::TooLarge { limit: FORM_LIMIT })?;
    let token = form_urlencoded_field(&bytes, "csrf");
    if !token.is_some_and(|t| same(&t, expected)) {
        return Err(refused());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}
