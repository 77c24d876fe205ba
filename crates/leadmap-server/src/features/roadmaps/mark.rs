//! Marking a topic from the page (a plain form, or `app.js` asking for JSON) and resetting a
//! roadmap's or an area's progress after a confirmation page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::{Form, Json};
use leadmap_app::catalog::{Summary, by_topic, status_in};
use leadmap_app::progress::{Note, parse_status, plan};
use leadmap_app::time::rfc3339;
use leadmap_core::progress::Status;
use leadmap_store::ResetScope;
use serde::{Deserialize, Serialize};

use super::entry;
use crate::access::{AppState, Me};
use crate::web::negotiate::wants_json;
use crate::web::redirect::local;
use crate::web::{AppError, Chrome, PageResult, html};

#[derive(Deserialize)]
pub(super) struct MarkForm {
    status: Option<String>,
    note: Option<String>,
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub(super) struct PlanForm {
    #[serde(default)]
    due: Option<String>,
    #[serde(default)]
    evidence_url: String,
    #[serde(default)]
    evidence_label: String,
    /// The position of a link to remove.
    #[serde(default)]
    remove: Option<usize>,
    #[serde(default)]
    next: String,
}

/// Sets a topic's target date, adds an evidence link or removes one (a plain form); every
/// value checked before anything is written; back to the panel.
pub(super) async fn plan(
    State(state): State<AppState>,
    me: Me,
    Path((id, topic)): Path<(String, String)>,
    Form(f): Form<PlanForm>,
) -> PageResult {
    let e = entry(&state, &me.user, &id).await?;
    let e = &*e;
    if !e.has_topic(&topic) {
        return Err(AppError::NotFound);
    }
    let due = f.due.as_deref().map(plan::due).transpose()?;
    let mut links = plan::plan_of_me(&me.progress().plans(Some(&e.id)).await?, &topic);
    let mut changed = false;
    if let Some(i) = f.remove
        && i < links.len()
    {
        links.remove(i);
        changed = true;
    } else if !f.evidence_url.trim().is_empty() {
        links.push(plan::evidence(&f.evidence_url, &f.evidence_label)?);
        let items: Vec<plan::EvidenceItem> = links.iter().map(Into::into).collect();
        plan::evidence_list(&items)?;
        changed = true;
    }
    me.progress()
        .set_plan(e, &topic, due, changed.then_some(links.as_slice()))
        .await?;
    let next = if f.next.is_empty() {
        format!("/r/{}?topic={topic}#panel", e.id)
    } else {
        local(&f.next)
    };
    Ok(Redirect::to(&next).into_response())
}

/// What the page's script gets back after a mark: the record and the new counts.
#[derive(Serialize)]
struct Marked {
    topic: String,
    status: Status,
    note: String,
    updated_at: String,
    summary: Summary,
    area: Option<AreaSummary>,
}

#[derive(Serialize)]
struct AreaSummary {
    id: String,
    summary: Summary,
}

/// Sets a topic's status and note. A form post redirects back; a request that accepts JSON
/// gets the stored record and the new counts.
pub(super) async fn mark(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    Path((id, topic)): Path<(String, String)>,
    Form(f): Form<MarkForm>,
) -> PageResult {
    let e = entry(&state, &me.user, &id).await?;
    let e = &*e;
    // Everything is checked before anything is written, the way back included.
    let status = f.status.as_deref().map(parse_status).transpose()?;
    let note = f.note.as_deref().map(Note::parse).transpose()?;
    let next = if f.next.is_empty() {
        format!("/r/{}?topic={topic}#panel", e.id)
    } else {
        local(&f.next)
    };
    let rec = me.progress().mark(e, &topic, status, note.as_ref()).await?;
    if wants_json(&headers) {
        let records = by_topic(me.progress().of(&e.id).await?);
        let st = |t: &str| status_in(&records, t);
        let area = e.area_of(&topic).map(|a| AreaSummary {
            id: a.id.clone(),
            summary: Summary::of(a.topic_ids(), st),
        });
        return Ok(Json(Marked {
            topic: rec.topic,
            status: rec.status,
            note: rec.note,
            updated_at: rfc3339(rec.updated_at),
            summary: Summary::of(e.topics.iter(), st),
            area,
        })
        .into_response());
    }
    Ok(Redirect::to(&next).into_response())
}

#[derive(Template)]
#[template(path = "roadmaps/reset.html")]
struct ResetPage {
    chrome: Chrome,
    id: String,
    title: String,
    area: String,
    area_title: String,
    marked: usize,
}

#[derive(Deserialize, Default)]
pub(super) struct AreaQuery {
    #[serde(default)]
    area: String,
}

pub(super) async fn reset_confirm(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<AreaQuery>,
) -> PageResult {
    let e = entry(&state, &me.user, &id).await?;
    let e = &*e;
    let records = by_topic(me.progress().of(&e.id).await?);
    let (area_title, marked) = if q.area.is_empty() {
        (String::new(), records.len())
    } else {
        let a = e.area(&q.area).ok_or(AppError::NotFound)?;
        let n = a.topic_ids().filter(|t| records.contains_key(*t)).count();
        (a.title.clone(), n)
    };
    html(&ResetPage {
        chrome: Chrome::new(Some(me.frame()), &headers, &format!("/r/{}", e.id)),
        id: e.id.clone(),
        title: e.title(),
        area: q.area,
        area_title,
        marked,
    })
}

#[derive(Deserialize)]
pub(super) struct ResetForm {
    #[serde(default)]
    area: String,
}

pub(super) async fn reset(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
    Form(f): Form<ResetForm>,
) -> PageResult {
    let e = entry(&state, &me.user, &id).await?;
    let e = &*e;
    let area_topics: Vec<String>;
    let scope = if f.area.is_empty() {
        ResetScope::Roadmap
    } else {
        let a = e.area(&f.area).ok_or(AppError::NotFound)?;
        area_topics = a.topic_ids().cloned().collect();
        ResetScope::Topics(&area_topics)
    };
    me.progress().reset(&e.id, scope).await?;
    // Back to the roadmap, which says what was reset.
    let done = if f.area.is_empty() {
        format!("/r/{}?reset=all", e.id)
    } else {
        format!("/r/{}?reset={}", e.id, f.area)
    };
    Ok(Redirect::to(&done).into_response())
}
