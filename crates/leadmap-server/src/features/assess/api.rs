//! `/api/v1/assessments`: the same capabilities as the pages for a token's owner. An
//! assessment they may not read is 404; a change to a published one is 409.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leadmap_app::assess::compute;
use leadmap_app::assess::{self, RatingInput, files};
use leadmap_app::time::rfc3339;
use serde::{Deserialize, Serialize};

use super::pages::{json_of, read_file};
use super::views::{CompareQuery, compare_ids};
use crate::access::{ApiMe, Right};
use crate::web::{ApiError, AppError};

use crate::web::error::body_shape_error as json_error;

#[derive(Serialize)]
struct Listed {
    id: i64,
    title: String,
    /// `organisation` or the team's address.
    of: String,
    roadmap: String,
    roadmap_version: i64,
    assessed_on: String,
    state: &'static str,
    /// Whether the caller may rate it (an editor, and a draft).
    editable: bool,
}

pub(super) async fn list(me: ApiMe) -> Result<Response, ApiError> {
    let (standing, visible) = me.assessments().list().await?;
    let out: Vec<Listed> = visible
        .iter()
        .map(|(a, r)| Listed {
            id: a.id,
            title: a.title.clone(),
            of: standing.owner_slug(a.assessed),
            roadmap: a.roadmap.clone(),
            roadmap_version: a.roadmap_version,
            assessed_on: assess::date(a.assessed_on),
            state: a.state.as_str(),
            editable: *r == Right::Edit && a.state == leadmap_store::AssessmentState::Draft,
        })
        .collect();
    Ok(Json(out).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateBody {
    #[serde(default)]
    of: Option<String>,
    roadmap: String,
    title: String,
    #[serde(default)]
    assessed_on: Option<String>,
}

pub(super) async fn create(
    me: ApiMe,
    body: Result<Json<CreateBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(b) = body.map_err(|r| {
        json_error(
            &r,
            r#"{"of": "platform", "roadmap": "engineering-leadership", "title": "Q1 2027", "assessed_on": "2027-03-31"}"#,
        )
    })?;
    let day = b
        .assessed_on
        .as_deref()
        .map(assess::day)
        .transpose()
        .map_err(AppError::from)?;
    let mine = me.assessments();
    let a = mine
        .start(b.of.as_deref().unwrap_or(""), &b.roadmap, &b.title, day)
        .await?;
    let view = mine.open(a.id).await?;
    Ok((StatusCode::CREATED, Json(json_of(&view).await?)).into_response())
}

pub(super) async fn show(me: ApiMe, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    Ok(Json(json_of(&view).await?).into_response())
}

pub(super) async fn delete(me: ApiMe, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    view.delete().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A practice's rating: every field optional (absent: unchanged; `owner` or `due` null or
/// "": cleared).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RateBody {
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    rationale: Option<String>,
    #[serde(default)]
    evidence: Option<Vec<String>>,
    #[serde(default, with = "nullable")]
    owner: Option<Option<String>>,
    #[serde(default)]
    next_step: Option<String>,
    #[serde(default, with = "nullable")]
    due: Option<Option<String>>,
}

/// A field that may be absent (`None`), null (`Some(None)`) or a value.
mod nullable {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Ok(Some(Option::<String>::deserialize(d)?))
    }
}

pub(super) async fn rate(
    me: ApiMe,
    Path((id, topic)): Path<(String, String)>,
    body: Result<Json<RateBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let id = super::parse_id(&id)?;
    let Json(b) = body.map_err(|r| {
        json_error(
            &r,
            r#"{"level": "defined", "rationale": "…", "evidence": ["https://…"], "owner": "ana", "next_step": "…", "due": "2027-06-30"}"#,
        )
    })?;
    let view = me.assessments().open(id).await?;
    view.editable()?;
    let owners = view.owners().await?;
    let input = RatingInput {
        rating: b.level,
        rationale: b.rationale,
        evidence: b.evidence,
        owner: b.owner.map(Option::unwrap_or_default),
        next_step: b.next_step,
        due: b.due.map(Option::unwrap_or_default),
    };
    let change = input.check(&owners).map_err(AppError::from)?;
    let r = view.rate(&topic, &change).await?;
    let people = view.people().await?;
    Ok(Json(files::PracticeJson {
        practice: r.topic,
        title: String::new(),
        area: String::new(),
        level: r.rating.as_str().to_owned(),
        rationale: r.rationale,
        evidence: r.evidence,
        owner: people.name(r.owner).map(str::to_owned),
        next_step: r.next_step,
        due: r.due_day.map(assess::date),
    })
    .into_response())
}

pub(super) async fn unrate(
    me: ApiMe,
    Path((id, topic)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    if view.unrate(&topic).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AppError::NotFound.into())
    }
}

pub(super) async fn publish(me: ApiMe, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = super::parse_id(&id)?;
    let mine = me.assessments();
    let view = mine.open(id).await?;
    view.publish().await?;
    let view = mine.open(id).await?;
    Ok(Json(json_of(&view).await?).into_response())
}

#[derive(Serialize)]
struct Imported {
    practices: usize,
}

/// The body is the file: CSV, or JSON (it starts with `{`); text that is not UTF-8 is refused
/// with 422, like any other file that does not read.
pub(super) async fn import(
    me: ApiMe,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    view.editable()?;
    let owners = view.owners().await?;
    if std::str::from_utf8(&body).is_err() {
        return Err(AppError::Unprocessable(
            "the file is not UTF-8 text: save the spreadsheet as CSV (UTF-8) or send the JSON export"
                .into(),
        )
        .into());
    }
    let rows = read_file(&view, &owners, &body).map_err(AppError::Unprocessable)?;
    let n = view.import(&rows).await?;
    Ok(Json(Imported { practices: n }).into_response())
}

#[derive(Serialize)]
struct Write {
    practice: String,
    level: &'static str,
    rationale: String,
    evidence: Vec<String>,
    by: Option<String>,
    at: String,
}

pub(super) async fn history(me: ApiMe, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    let people = view.people().await?;
    let out: Vec<Write> = view
        .history()
        .await?
        .into_iter()
        .map(|r| Write {
            by: people.name(r.rated_by).map(str::to_owned),
            practice: r.topic,
            level: r.rating.as_str(),
            rationale: r.rationale,
            evidence: r.evidence,
            at: rfc3339(r.rated_at),
        })
        .collect();
    Ok(Json(out).into_response())
}

pub(super) async fn export_csv(me: ApiMe, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    let ratings = view.ratings().await?;
    let people = view.people().await?;
    let mut res = files::to_csv(&view.roadmap.entry, &ratings, &people).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    Ok(res)
}

#[derive(Serialize)]
struct CompareJson {
    from: i64,
    to: i64,
    #[serde(flatten)]
    comparison: compute::Comparison,
}

pub(super) async fn compare(me: ApiMe, Query(q): CompareQuery) -> Result<Response, ApiError> {
    let (from, to) = compare_ids(&q)?;
    let (_, _, cmp) = me.assessments().compare(from, to).await?;
    Ok(Json(CompareJson {
        from,
        to,
        comparison: cmp,
    })
    .into_response())
}

pub(super) async fn overview(me: ApiMe, Path(roadmap): Path<String>) -> Result<Response, ApiError> {
    let o = me.assessments().overview(&roadmap).await?;
    let entry = &o.roadmap.entry;
    let empty = compute::Ratings::new();
    let org = o
        .latest
        .iter()
        .find(|a| a.assessed == leadmap_store::Assessed::Organisation);
    let teams: Vec<(String, String, &compute::Ratings)> = o
        .latest
        .iter()
        .filter(|a| a.assessed != leadmap_store::Assessed::Organisation)
        .map(|a| {
            (
                o.standing.owner_slug(a.assessed),
                a.title.clone(),
                o.ratings.get(&a.id).unwrap_or(&empty),
            )
        })
        .collect();
    let view = compute::org_view(entry, org.and_then(|a| o.ratings.get(&a.id)), &teams);
    Ok(Json(view).into_response())
}
