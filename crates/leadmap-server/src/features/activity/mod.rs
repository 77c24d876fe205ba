//! Your activity: the calendar of the last twelve months, percent done over time per roadmap
//! and the list of changes with filters (`/activity`, no script needed), and the same list
//! through the API (`GET /api/v1/me/history`).

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use leadmap_app::activity::{self, Calendar, ChangePage, DoneLine, FilterQuery, MonthRow};
use leadmap_app::time::{display, now_ms};

use crate::access::{Access, ApiMe, AppState, Me, Routes};
use crate::web::chrome::html_status;
use crate::web::{ApiError, AppError, Chrome, PageResult, html_sized};

pub fn routes() -> Routes {
    Routes::new()
        .get("/activity", Access::Session, activity_page)
        .get("/api/v1/me/history", Access::Token, api_history)
}

struct ChangeRow {
    at: String,
    roadmap_id: String,
    roadmap: String,
    topic_id: String,
    topic: String,
    from: &'static str,
    to: &'static str,
}

struct LineView {
    title: String,
    svg: String,
    start: u32,
    end: u32,
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "activity/activity.html")]
struct ActivityPage {
    chrome: Chrome,
    heat_svg: String,
    /// "12 status changes on 5 days."
    summary: String,
    months: Vec<MonthRow>,
    lines: Vec<LineView>,
    changes: Vec<ChangeRow>,
    roadmaps: Vec<Choice>,
    statuses: Vec<Choice>,
    from: String,
    to: String,
    /// The query string of the next page, when there is one.
    older: Option<String>,
    filtered: bool,
    error: String,
}

fn choices(values: impl Iterator<Item = (String, String)>, picked: &str) -> Vec<Choice> {
    values
        .map(|(value, label)| Choice {
            selected: value == picked,
            value,
            label,
        })
        .collect()
}

async fn activity_page(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    Query(q): Query<FilterQuery>,
) -> PageResult {
    // Every roadmap this person may read: the bundled ones and the published ones.
    let catalog = &readable(&state, &me.user).await?;
    let now = now_ms();
    let today = activity::day_of(now);
    let first = Calendar::first_day(today);
    let history = me.history();
    let days = history.days(None).await?;
    let calendar = Calendar::new(&days, today);
    let lines = activity::done_lines(catalog, &days, first, today)
        .into_iter()
        .map(|l: DoneLine| LineView {
            svg: l.svg(first, today),
            start: l.start(),
            end: l.end(),
            title: l.title,
        })
        .collect();
    let (filter, error) = match q.filter(catalog) {
        Ok(f) => (Some(f), String::new()),
        Err(e) => (None, e.to_string()),
    };
    let mut changes = Vec::new();
    let mut older = None;
    if let Some(f) = &filter {
        let page = history.changes(f).await?;
        if page.len() as u32 == f.limit
            && let Some(last) = page.last()
        {
            let cursor = activity::cursor(last);
            let pairs: Vec<(&str, &str)> = [
                ("roadmap", q.roadmap.trim()),
                ("status", q.status.trim()),
                ("from", q.from.trim()),
                ("to", q.to.trim()),
                ("before", cursor.as_str()),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
            older = serde_urlencoded::to_string(pairs).ok();
        }
        changes = page
            .iter()
            .map(|c| {
                let e = catalog.get(&c.roadmap);
                ChangeRow {
                    at: display(c.at),
                    roadmap: e.map_or_else(|| c.roadmap.clone(), |e| e.title()),
                    topic: e
                        .and_then(|e| e.roadmap.find(&c.topic))
                        .map_or_else(|| c.topic.clone(), |n| n.title.plain()),
                    roadmap_id: c.roadmap.clone(),
                    topic_id: c.topic.clone(),
                    from: activity::word(c.from),
                    to: c.to.as_str(),
                }
            })
            .collect();
    }
    let page = ActivityPage {
        chrome: Chrome::new(Some(me.frame()), &headers, "/activity"),
        heat_svg: calendar.svg(),
        summary: format!(
            "{} status {} on {} {}.",
            calendar.total(),
            if calendar.total() == 1 {
                "change"
            } else {
                "changes"
            },
            calendar.active_days(),
            if calendar.active_days() == 1 {
                "day"
            } else {
                "days"
            }
        ),
        months: calendar.months(),
        lines,
        changes,
        roadmaps: choices(
            catalog.roadmaps.iter().map(|e| (e.id.clone(), e.title())),
            q.roadmap.trim(),
        ),
        statuses: choices(
            leadmap_core::progress::Status::ALL
                .into_iter()
                .map(|s| (s.as_str().to_owned(), s.as_str().to_owned())),
            q.status.trim(),
        ),
        from: q.from.trim().chars().take(10).collect(),
        to: q.to.trim().chars().take(10).collect(),
        older,
        filtered: [&q.roadmap, &q.status, &q.from, &q.to, &q.before]
            .iter()
            .any(|v| !v.trim().is_empty()),
        error,
    };
    if page.error.is_empty() {
        html_sized(&page, 64 * 1024)
    } else {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    }
}

/// The roadmaps `user` may read, as one catalog (the bundled ones first).
async fn readable(
    state: &AppState,
    user: &leadmap_store::User,
) -> Result<leadmap_app::Catalog, AppError> {
    let roadmaps = state.roadmaps(Some(user)).await?;
    Ok(leadmap_app::Catalog {
        roadmaps: roadmaps.into_iter().map(|c| c.entry).collect(),
    })
}

async fn api_history(
    State(state): State<AppState>,
    me: ApiMe,
    q: Result<Query<FilterQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| AppError::Unprocessable(e.body_text()))?;
    // An unknown roadmap is not found, as everywhere else in the API.
    let filter = match q.filter(&readable(&state, &me.user).await?) {
        Err(leadmap_app::progress::Invalid::Roadmap(_)) => return Err(AppError::NotFound.into()),
        filter => filter?,
    };
    let changes = me.history().changes(&filter).await?;
    Ok(Json(ChangePage::new(&changes, filter.limit)).into_response())
}
