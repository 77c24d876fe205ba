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
use crate::web::{ApiError, AppError, Chrome, PageResult, html};

pub fn routes() -> Routes {
    use Access::{Public, Session, Token};
    Routes::new()
        .get("/s/{token}", Public, shared_page)
        .get("/s/{token}/badge.svg", Public, badge)
        .get("/s/{token}/og.png", Public, og_png)
        .get("/r/{roadmap}/share", Session, manage)
        .post("/r/{roadmap}/share", Session, create)
        .post("/r/{roadmap}/share/{id}/revoke", Session, revoke)
        .get("/api/v1/me/shares", Token, api_list)
        .post("/api/v1/me/shares", Token, api_create)
        .delete("/api/v1/me/shares/{id}", Token, api_revoke)
}

/// A list row; `title_html` is escaped already (once, in the catalog).
struct TopicView<'a> {
    title_html: &'a str,
    status: &'static str,
    /// Empty unless the link shows notes (the records hold none otherwise).
    note: &'a str,
}

struct AreaView<'a> {
    title: &'a str,
    summary: Summary,
    topics: Vec<TopicView<'a>>,
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
    areas: Vec<AreaView<'a>>,
    show_notes: bool,
    /// The page's own address (the link previews name it and its picture).
    url: String,
}

/// The view a token names, or 404.
async fn view(state: &AppState, token: &str) -> Result<SharedView, AppError> {
    SharedView::find(state, token)
        .await?
        .ok_or(AppError::NotFound)
}

/// Rendered share pages, by (link, theme): the page's bytes with a fingerprint of everything
/// they were drawn from (the token, the owner, the roadmap, the shown name, every status and
/// shown note, the origin). A request still looks the link and the records up (a revoked link is 404 at
/// once, a change shows at once); only the drawing is skipped when nothing it reads changed.
/// At most [`PAGE_CACHE_MAX`] pages; the whole cache is dropped when full.
type PageCache = std::collections::HashMap<(i64, &'static str), (u64, axum::body::Bytes)>;
static PAGE_CACHE: std::sync::LazyLock<std::sync::Mutex<PageCache>> =
    std::sync::LazyLock::new(Default::default);
const PAGE_CACHE_MAX: usize = 1024;

/// What a share page is drawn from, hashed (SipHash with fixed keys: the same inputs give the
/// same fingerprint in every process). The token is in it too: the page's own address holds it.
fn page_fingerprint(
    token: &str,
    v: &SharedView,
    e: &leadmap_app::catalog::Entry,
    records: &std::collections::HashMap<String, Progress>,
    origin: &str,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (
        token,
        v.share.user_id.0,
        &v.share.roadmap,
        &v.share.shown_name,
        v.share.show_notes,
        origin,
    )
        .hash(&mut h);
    e.id.hash(&mut h);
    e.topics.len().hash(&mut h);
    for t in &e.topics {
        status_in(records, t).as_str().hash(&mut h);
        if let Some(p) = records.get(t) {
            p.note.hash(&mut h);
        }
    }
    h.finish()
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
    let theme = crate::web::chrome::theme(&headers);
    let origin = origin(&state, &headers);
    let fingerprint = page_fingerprint(&token, &v, e, &records, &origin);
    let key = (v.share.id, theme);
    let cached = PAGE_CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        .filter(|(f, _)| *f == fingerprint)
        .map(|(_, page)| page.clone());
    let page = match cached {
        Some(page) => page,
        None => {
            let page =
                axum::body::Bytes::from(render_shared(&token, theme, origin, &v, e, &records)?);
            let mut cache = PAGE_CACHE
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if cache.len() >= PAGE_CACHE_MAX {
                cache.clear();
            }
            cache.insert(key, (fingerprint, page.clone()));
            page
        }
    };
    let mut r = axum::response::Html(page).into_response();
    // A person's progress: not for search engines or shared caches.
    r.headers_mut()
        .insert("x-robots-tag", header::HeaderValue::from_static("noindex"));
    Ok(r)
}

/// The share page's HTML.
fn render_shared(
    token: &str,
    theme: &'static str,
    origin: String,
    v: &SharedView,
    e: &leadmap_app::catalog::Entry,
    records: &std::collections::HashMap<String, Progress>,
) -> Result<String, AppError> {
    let status = |t: &str| status_in(records, t);
    let areas = e
        .areas
        .iter()
        .map(|a| AreaView {
            title: &a.title,
            summary: Summary::of(a.topic_ids(), status),
            topics: a
                .topics
                .iter()
                .map(|t| TopicView {
                    title_html: &t.title_html,
                    status: status(&t.id).as_str(),
                    note: records.get(&t.id).map_or("", |p| p.note.as_str()),
                })
                .collect(),
        })
        .collect();
    let page = SharedPage {
        chrome: Chrome::themed(None, theme, &format!("/s/{token}")),
        title: e.title(),
        name: v.share.shown_name.clone(),
        summary: Summary::of(e.topics.iter(), status),
        svg: Diagram {
            template: &e.svg,
            records,
        },
        areas,
        show_notes: v.share.show_notes,
        url: format!("{origin}/s/{token}"),
    };
    let mut out = String::with_capacity(e.svg.len() + 200 * e.topics.len() + 8192);
    page.render_into(&mut out)?;
    Ok(out)
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
    let (body, etag) = badge_bytes(&e.title(), summary.percent);
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

/// Badges by (roadmap title, percent): drawn once each, with their ETag (at most
/// [`BADGE_CACHE_MAX`]; the whole cache is dropped when full).
type BadgeCache = std::collections::HashMap<(String, u32), (axum::body::Bytes, String)>;
static BADGE_CACHE: std::sync::LazyLock<std::sync::Mutex<BadgeCache>> =
    std::sync::LazyLock::new(Default::default);
const BADGE_CACHE_MAX: usize = 4096;

/// The badge's SVG and its ETag.
fn badge_bytes(title: &str, percent: u32) -> (axum::body::Bytes, String) {
    let key = (title.to_owned(), percent);
    if let Some(hit) = BADGE_CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
    {
        return hit.clone();
    }
    let body = shares::badge(title, percent);
    let etag = format!(
        "\"{}\"",
        &hex::encode(Sha256::digest(body.as_bytes()))[..16]
    );
    let made = (axum::body::Bytes::from(body), etag);
    let mut cache = BADGE_CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if cache.len() >= BADGE_CACHE_MAX {
        cache.clear();
    }
    cache.insert(key, made.clone());
    made
}

/// Link-preview images by (link, progress state): drawn once per state, kept in memory (at
/// most [`OG_CACHE_MAX`]; the whole cache is dropped when full).
type OgCache = std::collections::HashMap<(i64, Vec<u8>), std::sync::Arc<Vec<u8>>>;
static OG_CACHE: std::sync::LazyLock<std::sync::Mutex<OgCache>> =
    std::sync::LazyLock::new(Default::default);
const OG_CACHE_MAX: usize = 256;
static FONTS: std::sync::LazyLock<leadmap_render::FontDb> =
    std::sync::LazyLock::new(leadmap_render::shipped_fonts);

/// The width of an SVG's `viewBox` (0 when it has none).
fn view_box_width(svg: &str) -> f32 {
    svg.split_once("viewBox=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .and_then(|vb| vb.split_whitespace().nth(2))
        .and_then(|w| w.parse().ok())
        .unwrap_or(0.0)
}

/// The 1200×630 picture of a link preview: the roadmap's name, the person's name and percent,
/// and the top of their diagram, drawn by our PNG renderer.
fn og_svg(title: &str, name: &str, percent: u32, diagram: &str, width: f32) -> String {
    let style = leadmap_render::svg::stylesheet(leadmap_render::Theme::Light, ".og-map");
    // The diagram with its own style, placed under the heading, scaled to the card's width.
    let diagram = match diagram.find('>') {
        Some(i) => format!(
            "{}<style>{style}</style>{}",
            &diagram[..=i],
            &diagram[i + 1..]
        ),
        None => String::new(),
    };
    let scale = 1120.0 / width.max(1.0);
    let e = leadmap_app::catalog::escape_html;
    format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">"##,
            r##"<rect width="1200" height="630" fill="#ffffff"/>"##,
            r##"<text x="40" y="66" font-size="40" font-weight="bold" fill="#111827">{t}</text>"##,
            r##"<text x="40" y="112" font-size="26" fill="#374151">{n}: {p} % finished</text>"##,
            r##"<rect x="40" y="132" width="1120" height="14" rx="7" fill="#e5e7eb"/>"##,
            r##"<rect x="40" y="132" width="{bar}" height="14" rx="7" fill="#15803d"/>"##,
            r##"<clipPath id="og-clip"><rect x="40" y="170" width="1120" height="440"/></clipPath>"##,
            r##"<g clip-path="url(#og-clip)"><g class="og-map" transform="translate(40,170) scale({s})">{d}</g></g></svg>"##
        ),
        t = e(title),
        n = e(name),
        p = percent,
        bar = 1120 * percent.min(100) / 100,
        s = scale,
        d = diagram,
    )
}

async fn og_png(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let v = view(&state, &token).await?;
    let e = state
        .catalog()
        .get(&v.share.roadmap)
        .ok_or(AppError::NotFound)?;
    let records = by_topic(v.records().await?);
    let summary = Summary::of(e.topics.iter(), |t| status_in(&records, t));
    // The progress state: every topic's status, in the roadmap's order.
    let mut state_key = Sha256::new();
    state_key.update(v.share.user_id.0.to_le_bytes());
    state_key.update(v.share.shown_name.as_bytes());
    state_key.update(b"\n");
    for t in &e.topics {
        state_key.update(status_in(&records, t).as_str().as_bytes());
        state_key.update(b"\n");
    }
    let key = (v.share.id, state_key.finalize().to_vec());
    let cached = OG_CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        .cloned();
    let png = match cached {
        Some(p) => p,
        None => {
            let diagram = e.svg.fill(|t| status_in(&records, t));
            let width = view_box_width(&diagram);
            let svg = og_svg(
                &e.title(),
                &v.share.shown_name,
                summary.percent,
                &diagram,
                width,
            );
            let png = tokio::task::spawn_blocking(move || {
                leadmap_render::png(&svg, &FONTS, 1.0, Some(1200))
            })
            .await
            .map_err(|err| AppError::internal("drawing a preview", err))?
            .map_err(|err| AppError::internal("drawing a preview", err))?;
            let png = std::sync::Arc::new(png);
            let mut cache = OG_CACHE
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if cache.len() >= OG_CACHE_MAX {
                cache.clear();
            }
            cache.insert(key, png.clone());
            png
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        png.as_ref().clone(),
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

/// The origin links are written with.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    state.link_origin(headers)
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
    #[serde(default, deserialize_with = "whole_days")]
    expires_in_days: Option<u32>,
    #[serde(default)]
    show_notes: bool,
}

/// A number of days as JSON writes it: `30` or `30.0` (JSON has one number type; a fraction or
/// a negative number is refused).
fn whole_days<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    use serde::Deserialize;
    let Some(n) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    if let Some(v) = n.as_u64() {
        return u32::try_from(v)
            .map(Some)
            .map_err(|_| serde::de::Error::custom("expires_in_days: too many days"));
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) => {
            Ok(Some(f as u32))
        }
        _ => Err(serde::de::Error::custom(
            "expires_in_days: a whole number of days",
        )),
    }
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
