//! Share links: a person's read-only progress on one roadmap at `/s/{token}` (diagram and
//! list, notes only when the link allows them, nothing else of the account), its badge
//! (`/s/{token}/badge.svg`), managing the links (`/r/{roadmap}/share`) and the same through
//! the API (`/api/v1/me/shares`). A guessed, revoked or expired token is 404, looked up in
//! the database on every request.

use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadmap_app::catalog::{Summary, by_topic, status_in};
use leadmap_app::shares::{self, ShareItem};
use leadmap_app::time::display;
use leadmap_store::Progress;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::access::{Access, ApiMe, AppState, Me, Routes, SharedView};
use crate::web::{ApiError, AppError, Chrome, PageResult, html, html_sized};

pub fn routes() -> Routes {
    use Access::{Public, Session, Token};
    Routes::new()
        .get("/s/{token}", Public, shared_page)
        .get("/s/{token}/badge.svg", Public, badge)
        .get("/r/{roadmap}/share", Session, manage)
        .post("/r/{roadmap}/share", Session, create)
        .post("/r/{roadmap}/share/{id}/revoke", Session, revoke)
        .get("/api/v1/me/shares", Token, api_list)
        .post("/api/v1/me/shares", Token, api_create)
        .delete("/api/v1/me/shares/{id}", Token, api_revoke)
}

struct TopicView {
    title: String,
    status: &'static str,
    note: String,
}

struct AreaView {
    title: String,
    summary: Summary,
    topics: Vec<TopicView>,
}

/// The diagram with the owner's statuses, written straight into the page.
struct Diagram<'a> {
    template: &'a leadmap_render::SvgTemplate,
    records: &'a std::collections::HashMap<String, Progress>,
}

impl std::fmt::Display for Diagram<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.template.fill_into(f, |t| status_in(self.records, t))
    }
}

#[derive(Template)]
#[template(path = "share/shared.html")]
struct SharedPage<'a> {
    chrome: Chrome,
    title: String,
    name: String,
    summary: Summary,
    svg: Diagram<'a>,
    areas: Vec<AreaView>,
    show_notes: bool,
}

/// The view a token names, or 404.
async fn view(state: &AppState, token: &str) -> Result<SharedView, AppError> {
    SharedView::find(state, token)
        .await?
        .ok_or(AppError::NotFound)
}

async fn shared_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> PageResult {
    let v = view(&state, &token).await?;
    let e = state
        .catalog()
        .get(&v.share.roadmap)
        .ok_or(AppError::NotFound)?;
    let records = by_topic(v.records().await?);
    let status = |t: &str| status_in(&records, t);
    let areas = e
        .areas
        .iter()
        .map(|a| AreaView {
            title: a.title.clone(),
            summary: Summary::of(a.topic_ids(), status),
            topics: a
                .topics
                .iter()
                .map(|t| TopicView {
                    title: t.title.clone(),
                    status: status(&t.id).as_str(),
                    note: records
                        .get(&t.id)
                        .map(|p| p.note.clone())
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let page = SharedPage {
        chrome: Chrome::new(None, &headers, &format!("/s/{token}")),
        title: e.title(),
        name: v.share.shown_name.clone(),
        summary: Summary::of(e.topics.iter(), status),
        svg: Diagram {
            template: &e.svg,
            records: &records,
        },
        areas,
        show_notes: v.share.show_notes,
    };
    let mut r = html_sized(&page, e.svg.len() + 200 * e.topics.len() + 8192)?;
    // A person's progress: not for search engines or shared caches.
    r.headers_mut()
        .insert("x-robots-tag", header::HeaderValue::from_static("noindex"));
    Ok(r)
}

async fn badge(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let v = view(&state, &token).await?;
    let e = state
        .catalog()
        .get(&v.share.roadmap)
        .ok_or(AppError::NotFound)?;
    let records = by_topic(v.records().await?);
    let summary = Summary::of(e.topics.iter(), |t| status_in(&records, t));
    let body = shares::badge(&e.title(), summary.percent);
    let etag = format!(
        "\"{}\"",
        &hex::encode(Sha256::digest(body.as_bytes()))[..16]
    );
    let cache = [
        (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
        (header::ETAG, etag.clone()),
    ];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((
        cache,
        [(header::CONTENT_TYPE, "image/svg+xml".to_owned())],
        body,
    )
        .into_response())
}

struct LinkRow {
    id: i64,
    label: String,
    shown_name: String,
    show_notes: bool,
    created: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "share/manage.html")]
struct ManagePage {
    chrome: Chrome,
    roadmap: String,
    title: String,
    default_name: String,
    links: Vec<LinkRow>,
    /// The new link's full address, shown once.
    new_url: String,
    error: String,
}

/// The origin links are written with: the configured public URL, else this request's host.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    state.config().public_origin().unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    })
}

async fn manage_page(
    state: &AppState,
    me: &Me,
    headers: &HeaderMap,
    roadmap: &str,
    new_url: String,
    error: String,
) -> PageResult {
    let e = state.catalog().get(roadmap).ok_or(AppError::NotFound)?;
    let links = me
        .shares()
        .list()
        .await?
        .into_iter()
        .filter(|s| s.roadmap == e.id)
        .map(|s| LinkRow {
            id: s.id,
            label: s.label,
            shown_name: s.shown_name,
            show_notes: s.show_notes,
            created: display(s.created_at),
            expires: s.expires_at.map(display).unwrap_or_else(|| "never".into()),
        })
        .collect();
    let page = ManagePage {
        chrome: Chrome::new(Some(me.frame()), headers, &format!("/r/{}/share", e.id)),
        roadmap: e.id.clone(),
        title: e.title(),
        default_name: me.user.shown_name().to_owned(),
        links,
        new_url,
        error,
    };
    if page.error.is_empty() {
        html(&page)
    } else {
        crate::web::chrome::html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    }
}

async fn manage(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    Path(roadmap): Path<String>,
) -> PageResult {
    manage_page(
        &state,
        &me,
        &headers,
        &roadmap,
        String::new(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    shown_name: String,
    #[serde(default)]
    expires_in_days: String,
    #[serde(default)]
    show_notes: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    Path(roadmap): Path<String>,
    Form(f): Form<CreateForm>,
) -> PageResult {
    let e = state.catalog().get(&roadmap).ok_or(AppError::NotFound)?;
    let days = match f.expires_in_days.trim() {
        "" => Ok(None),
        d => d
            .parse::<u32>()
            .map(Some)
            .map_err(|_| "an expiry is a number of days, 1 to 3650".to_owned()),
    };
    let made = match days {
        Ok(days) => me
            .shares()
            .create(e, &f.label, &f.shown_name, days, f.show_notes.is_some())
            .await
            .map_err(|err| match err {
                AppError::Unprocessable(m) => Ok(m),
                other => Err(other),
            }),
        Err(m) => Err(Ok(m)),
    };
    match made {
        Ok(c) => {
            let url = format!("{}{}", origin(&state, &headers), shares::path(&c.token));
            manage_page(&state, &me, &headers, &e.id, url, String::new()).await
        }
        Err(Ok(message)) => manage_page(&state, &me, &headers, &e.id, String::new(), message).await,
        Err(Err(err)) => Err(err),
    }
}

async fn revoke(me: Me, Path((roadmap, id)): Path<(String, i64)>) -> PageResult {
    if !me.shares().revoke(id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/r/{}/share", local_id(&roadmap))).into_response())
}

/// A roadmap id fit for a path of our own (anything else goes to the home page's list).
fn local_id(id: &str) -> &str {
    if id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        id
    } else {
        ""
    }
}

async fn api_list(me: ApiMe) -> Result<Response, ApiError> {
    let list: Vec<ShareItem> = me.shares().list().await?.iter().map(Into::into).collect();
    Ok(Json(list).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    roadmap: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    shown_name: String,
    #[serde(default)]
    expires_in_days: Option<u32>,
    #[serde(default)]
    show_notes: bool,
}

async fn api_create(
    State(state): State<AppState>,
    me: ApiMe,
    body: Result<Json<CreateBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(b) = body.map_err(|r| {
        AppError::Unprocessable(format!(
            "the body must be JSON like {{\"roadmap\": \"…\", \"label\": \"…\", \"expires_in_days\": 30, \"show_notes\": false}}: {}",
            r.body_text()
        ))
    })?;
    let e = state.catalog().get(&b.roadmap).ok_or(AppError::NotFound)?;
    let c = me
        .shares()
        .create(e, &b.label, &b.shown_name, b.expires_in_days, b.show_notes)
        .await?;
    let mut item = ShareItem::from(&c.share);
    item.path = Some(shares::path(&c.token));
    Ok((StatusCode::CREATED, Json(item)).into_response())
}

async fn api_revoke(me: ApiMe, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if !me.shares().revoke(id).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
