//! The list of assessments and starting one; an assessment's sheet (every practice with its
//! "established" bar, its level criteria, and the rating form or the rating), rating one
//! practice (a form without script, JSON for the page's script), publishing, deleting, the
//! history of every rating, and the files (CSV and JSON, out and in).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadmap_app::assess::compute::{self, one_decimal};
use leadmap_app::assess::{self, RatingInput, files};
use leadmap_app::time::display;
use leadmap_core::assessment::{Level, Rating};
use leadmap_store::{AssessmentState, PracticeRating};
use serde::Deserialize;

use super::charts::{self, Picture};
use crate::access::{AssessmentView, Me, Right};
use crate::web::chrome::html_status;
use crate::web::negotiate::wants_json;
use crate::web::{AppError, Chrome, PageResult, html};

pub(super) struct Row {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub roadmap: String,
    pub day: String,
    pub state: &'static str,
    pub editable: bool,
}

pub(super) struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "assess/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    owners: Vec<Choice>,
    roadmaps: Vec<Choice>,
    error: String,
    title: String,
    today: String,
}

async fn list_page(me: &Me, headers: &HeaderMap, error: String, title: String) -> PageResult {
    let (standing, visible) = me.assessments().list().await?;
    let rows = visible
        .iter()
        .rev()
        .map(|(a, r)| Row {
            id: a.id,
            title: a.title.clone(),
            owner: standing.owner_name(a.assessed),
            roadmap: a.roadmap.clone(),
            day: assess::date(a.assessed_on),
            state: a.state.as_str(),
            editable: *r == Right::Edit && a.state == AssessmentState::Draft,
        })
        .collect();
    let owners = standing
        .may_start()
        .into_iter()
        .map(|(a, name)| Choice {
            value: standing.owner_slug(a),
            label: name,
        })
        .collect();
    let roadmaps = me
        .assessments()
        .roadmaps()
        .await?
        .into_iter()
        .map(|c| Choice {
            value: c.entry.id.clone(),
            label: c.entry.title(),
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new(Some(me.frame()), headers, "/assessments"),
        rows,
        owners,
        roadmaps,
        error,
        title,
        today: assess::date(leadmap_app::activity::day_of(leadmap_app::time::now_ms())),
    };
    if page.error.is_empty() {
        html(&page)
    } else {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    }
}

pub(super) async fn list(me: Me, headers: HeaderMap) -> PageResult {
    list_page(&me, &headers, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub(super) struct StartForm {
    #[serde(default)]
    of: String,
    #[serde(default)]
    roadmap: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    on: String,
}

/// An error a person can fix (its words, for the form), or one that stays an error.
fn user_error(e: AppError) -> Result<String, AppError> {
    match e {
        AppError::Unprocessable(m) => Ok(m),
        AppError::Store(leadmap_store::StoreError::Invalid(m)) => Ok(m),
        other => Err(other),
    }
}

pub(super) async fn start(me: Me, headers: HeaderMap, Form(f): Form<StartForm>) -> PageResult {
    let day = match f.on.trim() {
        "" => Ok(None),
        d => assess::day(d).map(Some),
    };
    let result = match day {
        Ok(day) => {
            me.assessments()
                .start(&f.of, &f.roadmap, &f.title, day)
                .await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(a) => Ok(Redirect::to(&format!("/assessments/{}", a.id)).into_response()),
        Err(e) => match user_error(e) {
            Ok(message) => list_page(&me, &headers, message, f.title).await,
            Err(e) => Err(e),
        },
    }
}

pub(super) struct Criterion {
    pub label: &'static str,
    pub text: String,
}

pub(super) struct PracticeRow {
    pub id: String,
    pub title: String,
    pub established: String,
    pub criteria: Vec<Criterion>,
    /// The rating's word, or "" when not rated.
    pub rating: &'static str,
    pub rating_label: &'static str,
    pub rationale: String,
    pub evidence: Vec<String>,
    pub owner: String,
    pub next_step: String,
    pub due: String,
    pub rated: String,
}

pub(super) struct AreaBlock {
    pub id: String,
    pub title: String,
    pub mean: String,
    pub practices: Vec<PracticeRow>,
}

pub(super) struct LevelChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub key: &'static str,
}

fn level_choices() -> Vec<LevelChoice> {
    let mut out: Vec<LevelChoice> = Level::ALL
        .iter()
        .zip(["1", "2", "3", "4", "5"])
        .map(|(l, k)| LevelChoice {
            value: l.as_str(),
            label: l.label(),
            key: k,
        })
        .collect();
    out.push(LevelChoice {
        value: Rating::NotApplicable.as_str(),
        label: Rating::NotApplicable.label(),
        key: "n",
    });
    out
}

#[derive(Template)]
#[template(path = "assess/sheet.html")]
struct SheetPage {
    chrome: Chrome,
    id: i64,
    title: String,
    owner: String,
    roadmap: String,
    roadmap_title: String,
    day: String,
    state: &'static str,
    may_edit: bool,
    may_start_next: bool,
    owner_slug: String,
    index: String,
    rated: usize,
    total: usize,
    areas: Vec<AreaBlock>,
    orphans: Vec<String>,
    levels: Vec<LevelChoice>,
    people: Vec<String>,
    pictures: Vec<Picture>,
    previous: Option<(i64, String)>,
    error: String,
    saved: bool,
}

/// A topic's "established" bar and level criteria as HTML (Markdown rendered with raw HTML
/// escaped, as the topic panel does).
fn criteria_of(entry: &leadmap_app::Entry, topic: &str) -> (String, Vec<Criterion>) {
    match entry.roadmap.find(topic) {
        Some(node) => (
            leadmap_render::html::markdown_html(&node.content.established),
            node.content
                .levels
                .iter()
                .map(|c| Criterion {
                    label: c.level.label(),
                    text: leadmap_render::html::markdown_html(&c.text),
                })
                .collect(),
        ),
        None => (String::new(), Vec::new()),
    }
}

fn practice_row(
    entry: &leadmap_app::Entry,
    id: &str,
    title: &str,
    r: Option<&PracticeRating>,
    people: &assess::People,
) -> PracticeRow {
    let (established, criteria) = criteria_of(entry, id);
    PracticeRow {
        id: id.to_owned(),
        title: title.to_owned(),
        established,
        criteria,
        rating: r.map_or("", |r| r.rating.as_str()),
        rating_label: r.map_or("Not rated", |r| r.rating.label()),
        rationale: r.map(|r| r.rationale.clone()).unwrap_or_default(),
        evidence: r.map(|r| r.evidence.clone()).unwrap_or_default(),
        owner: r
            .and_then(|r| people.name(r.owner))
            .unwrap_or_default()
            .to_owned(),
        next_step: r.map(|r| r.next_step.clone()).unwrap_or_default(),
        due: r
            .and_then(|r| r.due_day)
            .map(assess::date)
            .unwrap_or_default(),
        rated: r.map(|r| display(r.rated_at)).unwrap_or_default(),
    }
}

async fn sheet_page(
    me: &Me,
    headers: &HeaderMap,
    id: i64,
    error: String,
    saved: bool,
) -> PageResult {
    let mine = me.assessments();
    let view = mine.open(id).await?;
    let ratings = view.ratings().await?;
    let people = view.people().await?;
    let entry = &view.roadmap.entry;
    let levels = compute::area_levels(entry, &ratings);
    let areas = entry
        .areas
        .iter()
        .zip(levels.iter())
        .map(|(a, l)| AreaBlock {
            id: a.id.clone(),
            title: a.title.clone(),
            mean: one_decimal(l.mean),
            practices: a
                .topics
                .iter()
                .map(|t| practice_row(entry, &t.id, &t.title, ratings.get(&t.id), &people))
                .collect(),
        })
        .collect();
    let orphans = compute::orphans(entry, &ratings)
        .into_iter()
        .map(|r| format!("{} ({})", r.topic, r.rating.label()))
        .collect();
    let a = &view.assessment;
    let previous = previous_of(&mine, &view).await?;
    let theme = crate::web::chrome::theme(headers);
    let page = SheetPage {
        chrome: Chrome::themed(Some(me.frame()), theme, &format!("/assessments/{id}")),
        id,
        title: a.title.clone(),
        owner: view.owner.clone(),
        roadmap: entry.id.clone(),
        roadmap_title: entry.title(),
        day: assess::date(a.assessed_on),
        state: a.state.as_str(),
        may_edit: view.may_edit(),
        may_start_next: view.edits_owner,
        owner_slug: view.owner_slug.clone(),
        index: one_decimal(compute::assessment_index(entry, &ratings)),
        rated: ratings.keys().filter(|t| entry.has_topic(t)).count(),
        total: entry.topics.len(),
        pictures: vec![charts::level_bars(&levels), charts::ranked(&levels)],
        areas,
        orphans,
        levels: level_choices(),
        people: if view.may_edit() {
            let mut names: Vec<String> = people_names(&view).await?;
            names.sort();
            names
        } else {
            Vec::new()
        },
        previous,
        error,
        saved,
    };
    if page.error.is_empty() {
        html(&page)
    } else {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    }
}

async fn people_names(view: &AssessmentView<'_>) -> Result<Vec<String>, AppError> {
    Ok(view.owners().await?.all().map(|u| u.name.clone()).collect())
}

/// The assessment of the same owner and roadmap just before this one that the person may see.
pub(super) async fn previous_of(
    mine: &crate::access::MyAssessments<'_>,
    view: &AssessmentView<'_>,
) -> Result<Option<(i64, String)>, AppError> {
    let (_, visible) = mine.list().await?;
    let a = &view.assessment;
    Ok(visible
        .iter()
        .map(|(x, _)| x)
        .filter(|x| {
            x.assessed == a.assessed
                && x.roadmap == a.roadmap
                && x.id != a.id
                && (x.assessed_on, x.id) < (a.assessed_on, a.id)
        })
        .max_by_key(|x| (x.assessed_on, x.id))
        .map(|x| (x.id, x.title.clone())))
}

#[derive(Deserialize)]
pub(super) struct SheetQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) async fn sheet(
    me: Me,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<SheetQuery>,
) -> PageResult {
    let id = super::parse_id(&id)?;
    sheet_page(&me, &headers, id, String::new(), q.saved.is_some()).await
}

#[derive(Deserialize)]
pub(super) struct RateForm {
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    rationale: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    next_step: Option<String>,
    #[serde(default)]
    due: Option<String>,
    /// `clear`: remove the rating.
    #[serde(default)]
    action: Option<String>,
}

impl RateForm {
    fn input(&self) -> RatingInput {
        RatingInput {
            rating: self.level.clone().filter(|l| !l.is_empty()),
            rationale: self.rationale.clone(),
            evidence: self
                .evidence
                .as_deref()
                .map(|e| e.split_whitespace().map(str::to_owned).collect()),
            owner: self.owner.clone(),
            next_step: self.next_step.clone(),
            due: self.due.clone(),
        }
    }
}

/// Rates one practice: a form post (back to the practice on the sheet) or, from the page's
/// script, JSON (`{"practice", "level", "label"}`; an error is JSON with its message).
pub(super) async fn rate(
    me: Me,
    headers: HeaderMap,
    Path((id, topic)): Path<(String, String)>,
    Form(f): Form<RateForm>,
) -> Result<Response, AppError> {
    let id = super::parse_id(&id)?;
    let json = wants_json(&headers);
    let mine = me.assessments();
    let view = mine.open(id).await?;
    view.editable()?;
    let outcome: Result<Option<PracticeRating>, AppError> = async {
        if f.action.as_deref() == Some("clear") {
            view.unrate(&topic).await?;
            return Ok(None);
        }
        let owners = view.owners().await?;
        let change = f.input().check(&owners)?;
        Ok(Some(view.rate(&topic, &change).await?))
    }
    .await;
    match outcome {
        Ok(r) if json => Ok(axum::Json(serde_json::json!({
            "practice": topic,
            "level": r.as_ref().map(|r| r.rating.as_str()),
            "label": r.as_ref().map_or("Not rated", |r| r.rating.label()),
        }))
        .into_response()),
        Ok(_) => Ok(Redirect::to(&format!(
            "/assessments/{id}?saved=1#p-{}",
            leadmap_app::catalog::escape_html(&topic)
        ))
        .into_response()),
        Err(e) if json => {
            let status = e.status();
            Ok((
                status,
                axum::Json(serde_json::json!({ "error": e.public_message() })),
            )
                .into_response())
        }
        Err(e) => match user_error(e) {
            Ok(message) => {
                sheet_page(&me, &headers, id, format!("{topic}: {message}"), false).await
            }
            Err(e) => Err(e),
        },
    }
}

pub(super) async fn publish(me: Me, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    view.publish().await?;
    Ok(Redirect::to(&format!("/assessments/{id}")).into_response())
}

pub(super) async fn delete(me: Me, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    view.delete().await?;
    Ok(Redirect::to("/assessments").into_response())
}

#[derive(Deserialize)]
pub(super) struct ImportForm {
    #[serde(default)]
    data: String,
}

/// A file pasted into the sheet's import box: JSON when it starts with `{`, else CSV.
pub(super) async fn import(
    me: Me,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ImportForm>,
) -> PageResult {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    view.editable()?;
    let owners = view.owners().await?;
    let rows = read_file(&view, &owners, f.data.as_bytes());
    match rows {
        Ok(rows) => {
            view.import(&rows).await?;
            Ok(Redirect::to(&format!("/assessments/{id}?saved=1")).into_response())
        }
        Err(message) => sheet_page(&me, &headers, id, message, false).await,
    }
}

/// Reads a CSV or JSON file for this assessment's roadmap.
pub(super) fn read_file(
    view: &AssessmentView<'_>,
    people: &assess::People,
    bytes: &[u8],
) -> Result<Vec<(String, leadmap_store::RatingChange)>, String> {
    let entry = &view.roadmap.entry;
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let read = if first == Some(&b'{') {
        files::from_json(entry, people, bytes)
    } else {
        files::from_csv(entry, people, bytes)
    };
    read.map_err(|e| format!("The file was not imported; nothing changed.\n{e}"))
}

fn attachment(body: String, mime: &'static str, name: &str) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A safe file name for an assessment: its id and title's letters.
pub(super) fn file_stem(id: i64, title: &str) -> String {
    let slug = leadmap_app::teams::slug_from_name(title);
    format!("assessment-{id}-{slug}")
}

pub(super) async fn export_csv(me: Me, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    let ratings = view.ratings().await?;
    let people = view.people().await?;
    let csv = files::to_csv(&view.roadmap.entry, &ratings, &people);
    Ok(attachment(
        csv,
        "text/csv; charset=utf-8",
        &format!("{}.csv", file_stem(id, &view.assessment.title)),
    ))
}

pub(super) async fn export_json(me: Me, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    let body = serde_json::to_string_pretty(&json_of(&view).await?)
        .map_err(|e| AppError::internal("writing an assessment as JSON", e))?;
    Ok(attachment(
        body,
        "application/json",
        &format!("{}.json", file_stem(id, &view.assessment.title)),
    ))
}

pub(super) async fn json_of(view: &AssessmentView<'_>) -> Result<files::AssessmentJson, AppError> {
    let ratings = view.ratings().await?;
    let people = view.people().await?;
    Ok(files::to_json(
        &view.assessment,
        &view.owner_slug,
        &view.roadmap.entry,
        &ratings,
        &people,
    ))
}

pub(super) struct HistoryRow {
    pub practice: String,
    pub level: &'static str,
    pub by: String,
    pub at: String,
    pub rationale: String,
}

#[derive(Template)]
#[template(path = "assess/history.html")]
struct HistoryPage {
    chrome: Chrome,
    id: i64,
    title: String,
    owner: String,
    rows: Vec<HistoryRow>,
}

/// Every write of a rating, newest first: who rated what, when (two raters at once both show).
pub(super) async fn history(me: Me, headers: HeaderMap, Path(id): Path<String>) -> PageResult {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    let people = view.people().await?;
    let entry = &view.roadmap.entry;
    let rows = view
        .history()
        .await?
        .into_iter()
        .rev()
        .take(2_000)
        .map(|r| HistoryRow {
            practice: entry
                .roadmap
                .find(&r.topic)
                .map_or_else(|| r.topic.clone(), |n| n.title.plain()),
            level: r.rating.label(),
            by: people.shown(r.rated_by).unwrap_or("someone").to_owned(),
            at: display(r.rated_at),
            rationale: r.rationale,
        })
        .collect();
    html(&HistoryPage {
        chrome: Chrome::new(
            Some(me.frame()),
            &headers,
            &format!("/assessments/{id}/history"),
        ),
        id,
        title: view.assessment.title.clone(),
        owner: view.owner.clone(),
        rows,
    })
}
