//! The frame of every page (site header, theme, asset links) and rendering a page.

use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::assets::version;
use crate::web::cookies;
use crate::web::error::AppError;

pub type PageResult = Result<Response, AppError>;

/// The signed-in person's name and CSRF token, which the access guard leaves on a response
/// so that an error page can show the site's navigation.
#[derive(Debug, Clone)]
pub struct ViewerInfo {
    pub name: String,
    pub csrf: String,
}

/// What every page's frame needs.
#[derive(Debug)]
pub struct Chrome {
    /// The signed-in person's name, when someone is signed in.
    pub user: Option<String>,
    pub csrf: String,
    pub theme: &'static str,
    pub css: String,
    pub map_css: String,
    pub js: String,
    pub path: String,
}

impl Chrome {
    /// The frame for a page at `path`; `signed_in` is the person's name and CSRF token.
    pub fn new(signed_in: Option<(&str, &str)>, headers: &HeaderMap, path: &str) -> Chrome {
        Chrome::themed(signed_in, theme(headers), path)
    }

    /// The frame with a theme already read from the request.
    pub fn themed(signed_in: Option<(&str, &str)>, theme: &'static str, path: &str) -> Chrome {
        Chrome {
            user: signed_in.map(|(name, _)| name.to_owned()),
            csrf: signed_in
                .map(|(_, csrf)| csrf.to_owned())
                .unwrap_or_default(),
            theme,
            css: version("app.css"),
            map_css: version("map.css"),
            js: version("app.js"),
            path: path.to_owned(),
        }
    }
}

/// The theme the person chose (a cookie, so that it works before signing in).
pub fn theme(headers: &HeaderMap) -> &'static str {
    match cookies::get(headers, cookies::THEME).as_deref() {
        Some("dark") => "dark",
        Some("light") => "light",
        _ => "system",
    }
}

pub fn html(t: &impl Template) -> PageResult {
    Ok(Html(t.render()?).into_response())
}

/// [`html`] for a page of about `size` bytes: rendered into a buffer of that size at once.
pub fn html_sized(t: &impl Template, size: usize) -> PageResult {
    let mut out = String::with_capacity(size);
    t.render_into(&mut out)?;
    Ok(Html(out).into_response())
}

/// [`html`] with a status other than 200 (a form shown again with its errors).
pub fn html_status(status: StatusCode, t: &impl Template) -> PageResult {
    Ok((status, Html(t.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: String,
    code: u16,
    message: String,
}

/// The page of an error.
pub fn error_page(status: StatusCode, message: &str, chrome: Chrome) -> String {
    let reason = status.canonical_reason().unwrap_or("Error");
    // A page says what happened in words once: the heading names it, the text explains it
    // (never "Not Found" above "not found").
    let (title, said) = match status {
        StatusCode::NOT_FOUND => (
            "Page not found",
            "There is nothing at this address: the link may be mistyped, or what it pointed \
             to was removed.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "This address cannot do that",
            "The address exists, but not for this kind of request. Go back and use the page's \
             own buttons.",
        ),
        StatusCode::UNAUTHORIZED => ("Sign in needed", "Sign in to see this page."),
        StatusCode::FORBIDDEN => ("Not allowed", "You may not do this."),
        _ => (reason, ""),
    };
    let plain = message.eq_ignore_ascii_case(reason) || message.is_empty();
    let t = ErrorPage {
        chrome,
        title: title.to_owned(),
        code: status.as_u16(),
        message: if plain && !said.is_empty() {
            said.to_owned()
        } else {
            message.to_owned()
        },
    };
    t.render()
        .unwrap_or_else(|_| format!("{} {message}", status.as_u16()))
}
