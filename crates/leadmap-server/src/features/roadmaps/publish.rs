//! Publishing a roadmap through the API (`PUT /api/v1/roadmaps/{roadmap}`), its versions and
//! their Markdown.
//!
//! The body is the roadmap's Markdown (any content type but JSON), or JSON
//! `{"markdown": "…", "message": "…", "map": {"old-id": "new-id"}, "visibility": "private",
//! "dry_run": true}`. `If-Match: "N"` publishes only if version N is still the current one
//! (412 otherwise); without it the server's current version is the base, and a publish that
//! loses a race with another answers 409. Either conflict names the version to rebase on.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leadmap_app::publish::{PublishError, Request};
use leadmap_store::{Version, Visibility};
use serde::{Deserialize, Serialize};

use crate::access::{ApiMe, AppState, Me};
use crate::web::{ApiError, AppError};

type ApiResult = Result<Response, ApiError>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct PublishQuery {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    dry_run: Option<bool>,
    #[serde(default)]
    visibility: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishBody {
    markdown: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    map: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    dry_run: Option<bool>,
}

#[derive(Serialize)]
struct Refusal<'a> {
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    problems: Option<&'a [leadmap_app::publish::Problem]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<Option<i64>>,
}

fn refusal(status: StatusCode, r: &Refusal<'_>) -> Response {
    let mut res = (status, Json(r)).into_response();
    if let Some(Some(v)) = r.current
        && let Ok(tag) = HeaderValue::from_str(&format!("\"{v}\""))
    {
        res.headers_mut().insert(header::ETAG, tag);
    }
    res
}

fn visibility(word: Option<&str>) -> Result<Visibility, AppError> {
    match word {
        None => Ok(Visibility::Private),
        Some(w) => Visibility::parse(w).ok_or_else(|| {
            AppError::Unprocessable(format!(
                "visibility is private, signed-in or public, not {w:?}"
            ))
        }),
    }
}

/// `If-Match: "3"` (or `3`, or `W/"3"`): the version a change was made from.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, AppError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let s = v.to_str().unwrap_or_default().trim();
    let s = s.strip_prefix("W/").unwrap_or(s).trim_matches('"');
    s.parse::<i64>().map(Some).map_err(|_| {
        AppError::BadRequest(format!(
            "If-Match must name a version, like \"3\", not {s:?}"
        ))
    })
}

pub(super) async fn put_roadmap(
    State(state): State<AppState>,
    me: ApiMe,
    Path(id): Path<String>,
    Query(q): Query<PublishQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    let limit = state.config().roadmap_limits.max_bytes;
    // Read one byte past the limit, so that the refusal can say the roadmap is too large.
    let bytes = axum::body::to_bytes(body, limit + 1)
        .await
        .map_err(|_| AppError::TooLarge { limit })?;
    if bytes.len() > limit {
        return Err(AppError::TooLarge { limit }.into());
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let (source, message, map, vis, dry_run);
    if json {
        let b: PublishBody = serde_json::from_slice(&bytes).map_err(|e| {
            AppError::Unprocessable(format!(
                "the body must be JSON like {{\"markdown\": \"# Title …\", \"message\": \"…\", \"map\": {{\"old-id\": \"new-id\"}}}}: {e}"
            ))
        })?;
        source = b.markdown.into_bytes();
        message = b.message.or(q.message).unwrap_or_default();
        map = b.map.into_iter().collect::<Vec<_>>();
        vis = b.visibility.or(q.visibility);
        dry_run = b.dry_run.or(q.dry_run).unwrap_or(false);
    } else {
        source = bytes.to_vec();
        message = q.message.unwrap_or_default();
        map = Vec::new();
        vis = q.visibility;
        dry_run = q.dry_run.unwrap_or(false);
    }
    // A message is optional; one given is checked like every short text.
    let message = if message.trim().is_empty() {
        String::new()
    } else {
        leadmap_app::progress::short_text(&message, "a publish message", 500)?
    };
    let req = Request {
        id: Some(&id),
        source: &source,
        message: &message,
        map: &map,
        base: if_match(&headers)?,
        dry_run,
        visibility: visibility(vis.as_deref())?,
    };
    let report = match me.roadmaps().publish(&req).await {
        Ok(r) => r,
        Err(e) => return publish_refusal(e, req.base.is_some()),
    };
    let status = if report.previous.is_none() && !report.dry_run {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut res = (status, Json(&report)).into_response();
    if !report.dry_run
        && let Ok(tag) = HeaderValue::from_str(&format!("\"{}\"", report.version))
    {
        res.headers_mut().insert(header::ETAG, tag);
    }
    Ok(res)
}

/// A refused publish as JSON: the checker's problems with their line and column, the version
/// to rebase on.
fn publish_refusal(e: PublishError, had_if_match: bool) -> Result<Response, ApiError> {
    let message = e.to_string();
    let plain = |status| {
        refusal(
            status,
            &Refusal {
                error: message.clone(),
                problems: None,
                current: None,
            },
        )
    };
    Ok(match &e {
        PublishError::Invalid(problems) => refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            &Refusal {
                error: message.clone(),
                problems: Some(problems),
                current: None,
            },
        ),
        PublishError::Conflict { current, .. } => refusal(
            if had_if_match {
                StatusCode::PRECONDITION_FAILED
            } else {
                StatusCode::CONFLICT
            },
            &Refusal {
                error: message.clone(),
                problems: None,
                current: Some(*current),
            },
        ),
        PublishError::TooLarge { .. } => plain(StatusCode::PAYLOAD_TOO_LARGE),
        PublishError::TooManyTopics { .. }
        | PublishError::WrongId { .. }
        | PublishError::BadId(_)
        | PublishError::BadMap(_) => plain(StatusCode::UNPROCESSABLE_ENTITY),
        // Not the caller's to publish to: 404 like every such refusal (the message says why).
        PublishError::ReadOnly(_) => plain(StatusCode::NOT_FOUND),
        PublishError::NotFound => return Err(AppError::NotFound.into()),
        PublishError::Store(_) => {
            let PublishError::Store(s) = e else {
                unreachable!()
            };
            return Err(AppError::Store(s).into());
        }
    })
}

#[derive(Serialize)]
struct VersionItem<'a> {
    version: i64,
    title: &'a str,
    message: &'a str,
    topics: i64,
    published_at: String,
    /// Whether a person published it (false: the server, for a bundled roadmap).
    by_person: bool,
}

impl<'a> From<&'a Version> for VersionItem<'a> {
    fn from(v: &'a Version) -> Self {
        VersionItem {
            version: v.version,
            title: &v.title,
            message: &v.message,
            topics: v.topics,
            published_at: leadmap_app::time::rfc3339(v.published_at),
            by_person: v.published_by.is_some(),
        }
    }
}

pub(super) async fn versions(me: ApiMe, Path(id): Path<String>) -> ApiResult {
    let versions = me.roadmaps().versions(&id).await?;
    let items: Vec<VersionItem> = versions.iter().map(Into::into).collect();
    Ok(Json(items).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DiffQuery {
    from: i64,
    to: i64,
}

/// The diff between two versions: topics added, removed, renamed, moved, with changed content.
pub(super) async fn diff(
    me: ApiMe,
    Path(id): Path<String>,
    Query(q): Query<DiffQuery>,
) -> ApiResult {
    let (_, a) = me.roadmaps().source(&id, q.from).await?;
    let (_, b) = me.roadmaps().source(&id, q.to).await?;
    let a = leadmap_core::parse(a.as_bytes(), &id).roadmap;
    let b = leadmap_core::parse(b.as_bytes(), &id).roadmap;
    let d = leadmap_core::diff::diff(&a, &b);
    Ok(Json(&d).into_response())
}

/// `/r/{roadmap}/v/{n}.md`: one version's Markdown, as published; `.svg`, `.png`, `.pdf`
/// (A4, the width fitted) and `.html` (the self-contained page): its diagram.
pub(super) async fn version_file(
    me: Me,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (n, ext) = file
        .rsplit_once('.')
        .and_then(|(n, ext)| Some((n.parse::<i64>().ok()?, ext.to_owned())))
        .ok_or(AppError::NotFound)?;
    let (mime, inline) = match ext.as_str() {
        "md" => ("text/markdown; charset=utf-8", true),
        "svg" => ("image/svg+xml", true),
        "png" => ("image/png", true),
        "pdf" => ("application/pdf", false),
        "html" => ("text/html; charset=utf-8", false),
        _ => return Err(AppError::NotFound),
    };
    let (_, markdown) = me.roadmaps().source(&id, n).await?;
    let disposition = format!(
        "{}; filename=\"{id}-v{n}.{ext}\"",
        if inline { "inline" } else { "attachment" }
    );
    let body = if ext == "md" {
        markdown.into_bytes()
    } else {
        let roadmap_id = id.clone();
        tokio::task::spawn_blocking(move || export(&markdown, &roadmap_id, &ext))
            .await
            .map_err(|e| AppError::internal("an export's thread", e))?
            .map_err(|e| AppError::internal("drawing an export", e))?
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// The shipped font, and the system's for emoji where it has them; loaded once.
fn fonts() -> &'static leadmap_render::FontDb {
    static FONTS: std::sync::OnceLock<leadmap_render::FontDb> = std::sync::OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = leadmap_render::shipped_fonts();
        db.load_system_fonts();
        if !leadmap_render::raster::has_emoji_font(&db) {
            tracing::warn!(
                "no emoji font is installed: PNG and PDF downloads of roadmaps leave their emoji \
                 out (install one, e.g. Debian's fonts-noto-color-emoji)"
            );
        }
        db
    })
}

/// A version's diagram in `ext` (svg, png, pdf or html), as `leadmap render` draws it.
fn export(markdown: &str, id: &str, ext: &str) -> Result<Vec<u8>, leadmap_render::RasterError> {
    let r = leadmap_core::parse(markdown.as_bytes(), id).roadmap;
    let layout = leadmap_render::layout(&r);
    let (svg, spans) =
        leadmap_render::svg::render_with_spans(&r, &layout, &leadmap_render::SvgOptions::default());
    Ok(match ext {
        "png" => leadmap_render::png(&svg, fonts(), 1.0, None)?,
        "pdf" => leadmap_render::pdf(&svg, fonts(), leadmap_render::Page::A4)?,
        "html" => leadmap_render::html::page(&r, &svg, &spans, &|t| leadmap_bundled::template(t))
            .into_bytes(),
        _ => svg.into_bytes(),
    })
}
