//! Post/redirect/get for the account page's forms: a form's answer is a redirect to
//! `/account` carrying what the page should say (an error, or a new token to show once) in a
//! short-lived cookie that only the account page reads, and clears as it shows it. A reload
//! of the page then shows the page, never the form's answer again (no 405, no second token).

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::page::Notice;

const NAME: &str = "leadmap_notice";

/// A redirect to the account page that will say `notice`.
pub(super) fn redirect(notice: &Notice, secure: bool) -> Response {
    let mut res = Redirect::to("/account").into_response();
    let value = serde_urlencoded::to_string([
        ("t", notice.new_token.as_str()),
        ("e", notice.error.as_str()),
        ("m", notice.message.as_str()),
    ])
    .unwrap_or_default();
    set(&mut res, &value, 120, secure);
    res
}

/// The notice a redirect carried, if any.
pub(super) fn take(headers: &HeaderMap) -> Option<Notice> {
    let value = crate::web::cookies::get(headers, NAME)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&value).ok()?;
    let mut notice = Notice::default();
    for (k, v) in pairs {
        match k.as_str() {
            "t" => notice.new_token = v,
            "e" => notice.error = v,
            "m" => notice.message = v,
            _ => {}
        }
    }
    Some(notice)
}

/// Clears the notice on the response that shows it.
pub(super) fn clear(res: &mut Response) {
    set(res, "", 0, false);
}

fn set(res: &mut Response, value: &str, max_age: u32, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    // The value is URL-encoded: ASCII without ';', ',' or spaces.
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{NAME}={value}; Path=/account; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}
