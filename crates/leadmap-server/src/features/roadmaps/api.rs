//! The roadmaps and your progress through the JSON API (`/api/v1`, a bearer token).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leadmap_app::progress::plan::{self, EvidenceItem};
use leadmap_app::progress::{
    Note, Record, RoadmapListItem, RoadmapProgress, StoredRecord, parse_status,
};
use serde::Deserialize;

use super::entry;
use crate::access::{ApiMe, AppState};
use crate::web::{ApiError, AppError};

type ApiResult = Result<Response, ApiError>;

pub(super) async fn roadmaps(State(state): State<AppState>, me: ApiMe) -> ApiResult {
    let visible = state.roadmaps(Some(&me.user)).await?;
    let list: Vec<RoadmapListItem> = visible.iter().map(|c| (&*c.entry).into()).collect();
    Ok(Json(list).into_response())
}

pub(super) async fn roadmap(
    State(state): State<AppState>,
    me: ApiMe,
    Path(id): Path<String>,
) -> ApiResult {
    let e = entry(&state, &me.user, &id).await?;
    let e = &*e;
    Ok(([(header::CONTENT_TYPE, "application/json")], e.json.clone()).into_response())
}

pub(super) async fn progress(
    State(state): State<AppState>,
    me: ApiMe,
    Path(id): Path<String>,
) -> ApiResult {
    let e = entry(&state, &me.user, &id).await?;
    let e = &*e;
    let records = me.progress().of(&e.id).await?;
    Ok(Json(RoadmapProgress::new(e, records)).into_response())
}

pub(super) async fn topic_progress(
    State(state): State<AppState>,
    me: ApiMe,
    Path((id, topic)): Path<(String, String)>,
) -> ApiResult {
    let e = entry(&state, &me.user, &id).await?;
    let e = &*e;
    if !e.has_topic(&topic) {
        return Err(AppError::NotFound.into());
    }
    let rec = me
        .progress()
        .of(&e.id)
        .await?
        .into_iter()
        .find(|p| p.topic == topic);
    let body = rec.as_ref().map_or_else(Record::pending, Record::from);
    Ok(Json(body).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PutBody {
    status: String,
    #[serde(default)]
    note: Option<String>,
    /// `YYYY-MM-DD`; `""` or null clears it; absent keeps it.
    #[serde(default)]
    due: Option<serde_json::Value>,
    /// Replaces every evidence link when given.
    #[serde(default)]
    evidence: Option<Vec<EvidenceItem>>,
}

pub(super) async fn put_progress(
    State(state): State<AppState>,
    me: ApiMe,
    Path((id, topic)): Path<(String, String)>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> ApiResult {
    let e = entry(&state, &me.user, &id).await?;
    let e = &*e;
    if !e.has_topic(&topic) {
        return Err(AppError::NotFound.into());
    }
    let shape = "the body must be JSON like {\"status\": \"done\", \"note\": \"…\", \"due\": \"2027-03-31\", \"evidence\": [{\"url\": \"https://…\", \"label\": \"…\"}]}";
    let Json(value) = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge {
                limit: crate::access::FORM_LIMIT,
            }
        } else {
            AppError::Unprocessable(format!("{shape}: {}", r.body_text()))
        }
    })?;
    // `"note": null` is not a string: the schema says a note is a string, when given.
    if value.get("note").is_some_and(|n| !n.is_string()) {
        return Err(AppError::Unprocessable(format!("{shape}: the note must be a string")).into());
    }
    let body: PutBody = serde_json::from_value(value)
        .map_err(|err| AppError::Unprocessable(format!("{shape}: {err}")))?;
    let status = parse_status(&body.status)?;
    let note = body.note.as_deref().map(Note::parse).transpose()?;
    let due = match &body.due {
        None => None,
        Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) => Some(plan::due(s)?),
        Some(_) => {
            return Err(AppError::Unprocessable(format!(
                "{shape}: the due date must be a string (YYYY-MM-DD) or null"
            ))
            .into());
        }
    };
    let links = body
        .evidence
        .as_deref()
        .map(plan::evidence_list)
        .transpose()?;
    let (rec, p) = me
        .progress()
        .mark_with_plan(e, &topic, status, note.as_ref(), due, links.as_deref())
        .await?;
    Ok(Json(StoredRecord::from(&rec).with_plan(&p)).into_response())
}
