//! The JSON API under `/api/v1`, authenticated by a personal access token
//! (`Authorization: Bearer lm_…`), described by `/api/openapi.json`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leadmap_core::progress::Status;
use leadmap_store::Progress;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::ApiUser;
use crate::catalog::{Summary, by_topic, status_in};
use crate::error::ApiError;
use crate::pages::NOTE_MAX;
use crate::{AppError, AppState, now_ms};

/// The OpenAPI 3.1 document.
pub const OPENAPI: &str = include_str!("../openapi.json");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/v1/roadmaps", get(roadmaps))
        .route("/v1/roadmaps/{id}", get(roadmap))
        .route("/v1/me/progress/{roadmap}", get(progress))
        .route(
            "/v1/me/progress/{roadmap}/{topic}",
            get(topic_progress).put(put_progress),
        )
}

type ApiResult = Result<Response, ApiError>;

/// RFC 3339, UTC, milliseconds.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| format!("{t:.3}"))
        .unwrap_or_default()
}

pub fn record_json(p: &Progress) -> Value {
    json!({"status": p.status, "note": p.note, "updated_at": rfc3339(p.updated_at)})
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn roadmaps(State(state): State<AppState>, ApiUser(_): ApiUser) -> ApiResult {
    let list: Vec<Value> = state
        .catalog()
        .roadmaps
        .iter()
        .map(|e| json!({"id": e.id, "title": e.title(), "topics": e.topics.len()}))
        .collect();
    Ok(Json(list).into_response())
}

async fn roadmap(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    Path(id): Path<String>,
) -> ApiResult {
    let e = state.catalog().get(&id).ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], e.json.clone()).into_response())
}

async fn progress(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    Path(id): Path<String>,
) -> ApiResult {
    let e = state.catalog().get(&id).ok_or(AppError::NotFound)?;
    let records = by_topic(state.store().progress(me.id, &e.id).await?);
    let summary = Summary::of(e.topics.iter(), |t| status_in(&records, t));
    // Records of topics the roadmap no longer has are kept in the store, and shown here.
    let mut topics = serde_json::Map::new();
    let mut ids: Vec<&String> = records.keys().collect();
    ids.sort();
    for t in ids {
        topics.insert(t.clone(), record_json(&records[t]));
    }
    Ok(Json(json!({"roadmap": e.id, "summary": summary, "topics": topics})).into_response())
}

async fn topic_progress(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    Path((id, topic)): Path<(String, String)>,
) -> ApiResult {
    let e = state.catalog().get(&id).ok_or(AppError::NotFound)?;
    if !e.has_topic(&topic) {
        return Err(AppError::NotFound.into());
    }
    let rec = state
        .store()
        .progress(me.id, &e.id)
        .await?
        .into_iter()
        .find(|p| p.topic == topic);
    let body = match rec {
        Some(p) => record_json(&p),
        None => json!({"status": Status::Pending, "note": "", "updated_at": null}),
    };
    Ok(Json(body).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PutBody {
    status: String,
    note: Option<String>,
}

async fn put_progress(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    Path((id, topic)): Path<(String, String)>,
    body: Result<Json<PutBody>, JsonRejection>,
) -> ApiResult {
    let e = state.catalog().get(&id).ok_or(AppError::NotFound)?;
    if !e.has_topic(&topic) {
        return Err(AppError::NotFound.into());
    }
    let Json(body) = body.map_err(|r| {
        AppError::Unprocessable(format!(
            "the body must be JSON like {{\"status\": \"done\", \"note\": \"…\"}}: {}",
            r.body_text()
        ))
    })?;
    let status = Status::parse(&body.status).ok_or_else(|| {
        AppError::Unprocessable(format!(
            "unknown status {:?}: use pending, learning, done or skipped",
            body.status
        ))
    })?;
    if body
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > NOTE_MAX)
    {
        return Err(
            AppError::Unprocessable(format!("a note has at most {NOTE_MAX} characters")).into(),
        );
    }
    let rec = state
        .store()
        .set_progress(me.id, &e.id, &topic, status, body.note.as_deref(), now_ms())
        .await?;
    Ok(Json(json!({
        "roadmap": rec.roadmap,
        "topic": rec.topic,
        "status": rec.status,
        "note": rec.note,
        "updated_at": rfc3339(rec.updated_at),
    }))
    .into_response())
}
