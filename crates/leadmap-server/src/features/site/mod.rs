//! The site around the roadmaps: the about page, the theme, template downloads, the health
//! check, the static assets and the API's description.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::access::{Access, AppState, Routes, Viewer};
use crate::web::cookies;
use crate::web::redirect::local;
use crate::web::{AppError, Chrome, PageResult, html};

/// The OpenAPI 3.1 document of `/api/v1`.
pub const OPENAPI: &str = include_str!("../../../openapi.json");

pub fn routes() -> Routes {
    use Access::{Public, PublicForm};
    Routes::new()
        .get("/about", Public, about)
        .post("/theme", PublicForm, theme)
        .get("/templates/{file}", Public, template_download)
        .get("/healthz", Public, healthz)
        .get("/static/{*path}", Public, crate::assets::serve)
        .get("/api/openapi.json", Public, openapi)
}

#[derive(Template)]
#[template(path = "site/about.html")]
struct AboutPage {
    chrome: Chrome,
    version: &'static str,
}

async fn about(Viewer(viewer): Viewer, headers: HeaderMap) -> PageResult {
    html(&AboutPage {
        chrome: Chrome::new(viewer.as_ref().map(|m| m.frame()), &headers, "/about"),
        version: env!("CARGO_PKG_VERSION"),
    })
}

#[derive(Deserialize)]
struct ThemeForm {
    theme: String,
    #[serde(default)]
    next: String,
}

/// Light, dark or the system's: a cookie, so that it works without JavaScript and before
/// signing in.
async fn theme(Form(f): Form<ThemeForm>) -> PageResult {
    let value = match f.theme.as_str() {
        "light" | "dark" => f.theme.as_str(),
        _ => "system",
    };
    let mut res = Redirect::to(&local(&f.next)).into_response();
    cookies::set_theme(&mut res, value);
    Ok(res)
}

async fn template_download(Path(file): Path<String>) -> PageResult {
    let id = file.strip_suffix(".md").unwrap_or(&file);
    let body = leadmap_bundled::template(id).ok_or(AppError::NotFound)?;
    let disposition = format!("attachment; filename=\"{id}.md\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.health().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unavailable: {e}\n"),
        )
            .into_response(),
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
