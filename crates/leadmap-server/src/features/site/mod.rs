//! The site around the roadmaps: the about page, the theme, template downloads, the health
//! and readiness checks, the static assets and the API's description.

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
        .get("/readyz", Public, readyz)
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

/// Liveness: the process answers requests. It does not ask the database, so a database
/// outage does not get a healthy process restarted (that is `/readyz`'s question).
async fn healthz() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

/// How long `/readyz` waits for the database.
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Readiness: the database answers (within [`READY_WAIT`]); 503 otherwise, so that a load
/// balancer sends requests elsewhere.
async fn readyz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(READY_WAIT, state.health()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready\n").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check: the database did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable: no answer in time\n",
        )
            .into_response(),
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
