//! The cookies the app sets: the session and the theme.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

/// The session cookie's name over plain HTTP.
pub const SESSION: &str = "leadmap_session";
/// The session cookie's name with `--secure-cookies`: the `__Host-` prefix makes the browser
/// refuse it unless it is Secure, for the whole host and set by the host itself (no `Domain`),
/// so a sibling subdomain cannot plant or overwrite it.
pub const SESSION_SECURE: &str = "__Host-leadmap_session";

/// The session cookie's name for this configuration.
pub fn session_name(secure: bool) -> &'static str {
    if secure { SESSION_SECURE } else { SESSION }
}
/// The theme cookie's name.
pub const THEME: &str = "leadmap_theme";
/// How long the session cookie lives (30 days, the session's idle limit).
pub const SESSION_MAX_AGE_S: i64 = 30 * 24 * 3600;

/// A cookie's value in the request.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Sets the session cookie on a response.
pub fn set_session(res: &mut Response, token: &str, secure: bool) {
    let name = session_name(secure);
    let flag = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_MAX_AGE_S}{flag}"
    );
    append(res, &cookie);
}

/// Clears the session cookie.
pub fn clear_session(res: &mut Response, secure: bool) {
    let name = session_name(secure);
    let flag = if secure { "; Secure" } else { "" };
    append(
        res,
        &format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{flag}"),
    );
}

/// Sets the theme cookie (a year).
pub fn set_theme(res: &mut Response, value: &str) {
    append(
        res,
        &format!("{THEME}={value}; Path=/; Max-Age=31536000; SameSite=Lax"),
    );
}

fn append(res: &mut Response, cookie: &str) {
    // Every value written here is ASCII made by us: a session token is hex.
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}
