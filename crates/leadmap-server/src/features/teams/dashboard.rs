//! The team dashboard for one roadmap: for managers, the members × areas heatmap (colour and
//! number, with the same numbers as a sortable table), the gaps (topics nobody has done), the
//! single points of knowledge (topics one person has done, with their name), focus topics; the
//! members × topics matrix (filter by area) and its CSV; the heatmap as SVG; the trend. For
//! members, the team's numbers without names (unless the team shows them), never a note.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadmap_app::Entry;
use leadmap_app::teams::dashboard::{Dashboard, Person};
use leadmap_core::progress::Status;
use leadmap_render::Theme;
use leadmap_render::heatmap::heatmap_svg as draw_heatmap;
use leadmap_store::{Focus, Member};
use serde::Deserialize;

use crate::access::{Managed, Me, TeamView};
use crate::web::chrome::theme;
use crate::web::{AppError, Chrome, PageResult, html, html_sized};

/// The people a manager sees, as the dashboard counts them.
pub(super) fn persons(people: &[Member]) -> Vec<Person> {
    people
        .iter()
        .map(|m| Person {
            id: m.user.id,
            name: m.user.shown_name().to_owned(),
        })
        .collect()
}

/// Both themes of a picture: the page shows the one its theme (or the system's) asks for.
pub(super) struct Themed {
    pub light: String,
    pub dark: String,
}

impl Themed {
    pub fn draw(f: impl Fn(Theme) -> String) -> Themed {
        Themed {
            light: f(Theme::Light),
            dark: f(Theme::Dark),
        }
    }
}

struct HeatCell {
    percent: u32,
    done: usize,
    total: usize,
}

struct HeatRow {
    name: String,
    user: String,
    percent: u32,
    cells: Vec<HeatCell>,
}

struct AreaCol {
    index: usize,
    title: String,
    percent: u32,
}

struct TopicLink {
    id: String,
    title: String,
    /// Who has it done (single points) or counts (the member view).
    who: String,
}

pub(super) struct FocusRow {
    pub id: i64,
    pub topic: String,
    pub title: String,
    pub who: String,
    pub due: String,
    pub reason: String,
    /// "done", or "3 of 8 done" for the whole team.
    pub state: String,
}

#[derive(Template)]
#[template(path = "teams/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    slug: String,
    team: String,
    roadmap: String,
    title: String,
    manages: bool,
    members: usize,
    percent: u32,
    heatmap: Option<Themed>,
    areas: Vec<AreaCol>,
    rows: Vec<HeatRow>,
    sort: String,
    gaps: Vec<TopicLink>,
    single: Vec<TopicLink>,
    /// The member view: per topic, how many have it done, learning, skipped.
    counts: Vec<TopicLink>,
    focus: Vec<FocusRow>,
    topics: Vec<(String, String)>,
    people: Vec<(String, String)>,
    error: String,
}

#[derive(Deserialize, Default)]
pub(super) struct DashQuery {
    #[serde(default)]
    sort: String,
    #[serde(default)]
    error: String,
}

/// The dashboard's focus rows: each ticked off when done (by the person it names, or counted
/// across the team).
pub(super) fn focus_rows(d: &Dashboard<'_>, focus: &[Focus], people: &[Member]) -> Vec<FocusRow> {
    let entry = d.entry();
    focus
        .iter()
        .filter(|f| f.roadmap == entry.id)
        .map(|f| {
            let column = d.column(&f.topic);
            let title = entry
                .area_of(&f.topic)
                .and_then(|a| a.topics.iter().find(|t| t.id == f.topic))
                .map_or_else(|| f.topic.clone(), |t| t.title.clone());
            let (who, state) = match f.user {
                Some(u) => {
                    let name = people.iter().find(|m| m.user.id == u).map_or_else(
                        || "someone who left the team".to_owned(),
                        |m| m.user.shown_name().to_owned(),
                    );
                    let done = d
                        .row(u)
                        .zip(column)
                        .is_some_and(|(r, c)| d.status(r, c) == Status::Done);
                    (name, if done { "done" } else { "open" }.to_owned())
                }
                None => {
                    let done = column.map_or(0, |c| d.topic_counts(c).done);
                    (
                        "the whole team".to_owned(),
                        format!("{done} of {} done", d.people().len()),
                    )
                }
            };
            FocusRow {
                id: f.id,
                topic: f.topic.clone(),
                title,
                who,
                due: f
                    .due_day
                    .map(leadmap_app::activity::day_date)
                    .unwrap_or_default(),
                reason: f.reason.clone(),
                state,
            }
        })
        .collect()
}

fn topic_title(entry: &Entry, id: &str) -> String {
    entry
        .area_of(id)
        .and_then(|a| a.topics.iter().find(|t| t.id == id))
        .map_or_else(|| id.to_owned(), |t| t.title.clone())
}

pub(super) async fn page(
    me: Me,
    headers: HeaderMap,
    Path((slug, roadmap)): Path<(String, String)>,
    Query(q): Query<DashQuery>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let entry = view.roadmap(&roadmap).await?;
    let chrome = Chrome::new(
        Some(me.frame()),
        &headers,
        &format!("/teams/{slug}/r/{roadmap}"),
    );
    let heading = format!("{}: {}", view.team.name, entry.title());
    let base = DashboardPage {
        chrome,
        slug: view.team.slug.clone(),
        team: view.team.name.clone(),
        roadmap: entry.id.clone(),
        title: entry.title(),
        manages: view.relation.manages(),
        members: 0,
        percent: 0,
        heatmap: None,
        areas: Vec::new(),
        rows: Vec::new(),
        sort: q.sort.clone(),
        gaps: Vec::new(),
        single: Vec::new(),
        counts: Vec::new(),
        focus: Vec::new(),
        topics: Vec::new(),
        people: Vec::new(),
        error: q.error.chars().take(300).collect(),
    };
    let Ok(managed) = view.managed() else {
        return member_page(&view, &entry, base, &heading).await;
    };
    let people = view.people().await?;
    let records = managed.records(&people, &entry.id).await?;
    let persons = persons(&people);
    let d = Dashboard::new(&entry, &persons, &records);
    let order = match q.sort.as_str() {
        "percent" => d.by_percent(),
        s => match s
            .strip_prefix("area-")
            .and_then(|a| a.parse::<usize>().ok())
            .filter(|a| *a < entry.areas.len())
        {
            Some(a) => d.by_area(a),
            None => d.by_name(),
        },
    };
    let rows = order
        .iter()
        .map(|&p| HeatRow {
            name: persons[p].name.clone(),
            user: people[p].user.name.clone(),
            percent: d.person(p).percent,
            cells: (0..entry.areas.len())
                .map(|a| {
                    let (done, total, percent) = d.person_area(p, a);
                    HeatCell {
                        percent,
                        done,
                        total,
                    }
                })
                .collect(),
        })
        .collect();
    let heat = d.heatmap_in(&heading, &order);
    let focus = managed.focus().await?;
    let (_, _, percent) = d.overall();
    let page = DashboardPage {
        members: persons.len(),
        percent,
        heatmap: Some(Themed::draw(|t| draw_heatmap(&heat, t))),
        areas: entry
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| AreaCol {
                index: i,
                title: a.title.clone(),
                percent: d.area_percent(i),
            })
            .collect(),
        rows,
        gaps: d
            .gaps()
            .iter()
            .map(|t| TopicLink {
                id: t.id.clone(),
                title: t.title.clone(),
                who: String::new(),
            })
            .collect(),
        single: d
            .single_points()
            .iter()
            .map(|s| TopicLink {
                id: s.topic.id.clone(),
                title: s.topic.title.clone(),
                who: s.person.name.clone(),
            })
            .collect(),
        focus: focus_rows(&d, &focus, &people),
        topics: entry
            .topics
            .iter()
            .map(|t| (t.clone(), topic_title(&entry, t)))
            .collect(),
        people: people
            .iter()
            .map(|m| (m.user.name.clone(), m.user.shown_name().to_owned()))
            .collect(),
        ..base
    };
    let size = page.heatmap.as_ref().map_or(0, |h| h.light.len() * 2)
        + 200 * persons.len() * (entry.areas.len() + 2)
        + 16_384;
    html_sized(&page, size)
}

/// What a member who does not manage the team sees: the team's numbers, names only when the
/// team shows them, no notes.
async fn member_page(
    view: &TeamView<'_>,
    entry: &Entry,
    base: DashboardPage,
    heading: &str,
) -> PageResult {
    let agg = view.aggregate(&entry.id).await?;
    let d = Dashboard::new(entry, &agg.people, &agg.records);
    let a = d.aggregate();
    let named = view.team.show_names;
    let heat = if named {
        d.heatmap(heading)
    } else {
        a.heatmap(heading, &view.team.name)
    };
    let page = DashboardPage {
        members: a.members,
        percent: a.percent,
        heatmap: Some(Themed::draw(|t| draw_heatmap(&heat, t))),
        areas: a
            .areas
            .iter()
            .enumerate()
            .map(|(i, ar)| AreaCol {
                index: i,
                title: ar.title.to_owned(),
                percent: ar.percent,
            })
            .collect(),
        gaps: d
            .gaps()
            .iter()
            .map(|t| TopicLink {
                id: t.id.clone(),
                title: t.title.clone(),
                who: String::new(),
            })
            .collect(),
        counts: a
            .topics
            .iter()
            .map(|t| TopicLink {
                id: t.topic.to_owned(),
                title: t.title.to_owned(),
                who: format!(
                    "{} done, {} learning, {} skipped",
                    t.done, t.learning, t.skipped
                ),
            })
            .collect(),
        ..base
    };
    html(&page)
}

/// The manager's dashboard data: the view, the people, the dashboard, for the pages below.
async fn managed_dashboard<'v>(
    view: &'v TeamView<'v>,
    roadmap: &str,
) -> Result<
    (
        Managed<'v>,
        std::sync::Arc<Entry>,
        Vec<Member>,
        leadmap_app::teams::TeamRecords,
    ),
    AppError,
> {
    let managed = view.managed()?;
    let entry = view.roadmap(roadmap).await?;
    let people = view.people().await?;
    let records = managed.records(&people, &entry.id).await?;
    Ok((managed, entry, people, records))
}

struct MatrixRow {
    name: String,
    user: String,
    cells: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "teams/matrix.html")]
struct MatrixPage {
    chrome: Chrome,
    slug: String,
    team: String,
    roadmap: String,
    title: String,
    area: String,
    areas: Vec<(String, String)>,
    topics: Vec<(String, String)>,
    rows: Vec<MatrixRow>,
    /// This page's people (1-based, inclusive) and how many there are.
    first: usize,
    last: usize,
    people: usize,
    /// The previous and next page's numbers, 0 when none.
    prev: usize,
    next: usize,
}

/// People per page of the matrix: 300 topics × 250 people is about 3 MB of HTML; a team of
/// 10,000 is 40 pages rather than one page of 120 MB.
const MATRIX_PAGE: usize = 250;

#[derive(Deserialize, Default)]
pub(super) struct MatrixQuery {
    #[serde(default)]
    area: String,
    /// 1-based; a page past the end shows the last one.
    #[serde(default)]
    page: Option<String>,
}

pub(super) async fn matrix(
    me: Me,
    headers: HeaderMap,
    Path((slug, roadmap)): Path<(String, String)>,
    Query(q): Query<MatrixQuery>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let (_, entry, people, records) = managed_dashboard(&view, &roadmap).await?;
    let persons = persons(&people);
    let d = Dashboard::new(&entry, &persons, &records);
    let area = entry.areas.iter().position(|a| a.id == q.area);
    let columns = match area {
        Some(a) => d.area_columns(a),
        None => 0..d.topics().len(),
    };
    let order = d.by_name();
    let pages = order.len().div_ceil(MATRIX_PAGE).max(1);
    let page_no = q
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let skip = (page_no - 1) * MATRIX_PAGE;
    let shown = order.len().saturating_sub(skip).min(MATRIX_PAGE);
    let rows = order
        .into_iter()
        .skip(skip)
        .take(MATRIX_PAGE)
        .map(|p| MatrixRow {
            name: persons[p].name.clone(),
            user: people[p].user.name.clone(),
            cells: columns.clone().map(|c| d.status(p, c).as_str()).collect(),
        })
        .collect();
    let page = MatrixPage {
        chrome: Chrome::new(
            Some(me.frame()),
            &headers,
            &format!("/teams/{slug}/r/{roadmap}/matrix"),
        ),
        slug: view.team.slug.clone(),
        team: view.team.name.clone(),
        roadmap: entry.id.clone(),
        title: entry.title(),
        area: area.map(|a| entry.areas[a].id.clone()).unwrap_or_default(),
        areas: entry
            .areas
            .iter()
            .map(|a| (a.id.clone(), a.title.clone()))
            .collect(),
        topics: columns
            .map(|c| (d.topics()[c].id.clone(), d.topics()[c].title.clone()))
            .collect(),
        rows,
        first: if shown == 0 { 0 } else { skip + 1 },
        last: skip + shown,
        people: persons.len(),
        prev: page_no - 1,
        next: if page_no < pages { page_no + 1 } else { 0 },
    };
    let size = 40 * page.rows.len() * page.topics.len() + 100 * page.topics.len() + 16_384;
    html_sized(&page, size)
}

pub(super) async fn matrix_csv(
    me: Me,
    Path((slug, roadmap)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let (_, entry, people, records) = managed_dashboard(&view, &roadmap).await?;
    let persons = persons(&people);
    let d = Dashboard::new(&entry, &persons, &records);
    let csv = d
        .to_csv()
        .map_err(|e| AppError::internal("writing the team's CSV", e))?;
    let mut r = csv.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}-{}.csv\"",
        view.team.slug, entry.id
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

pub(super) async fn heatmap_svg(
    me: Me,
    headers: HeaderMap,
    Path((slug, roadmap)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let (_, entry, people, records) = managed_dashboard(&view, &roadmap).await?;
    let persons = persons(&people);
    let d = Dashboard::new(&entry, &persons, &records);
    let t = if theme(&headers) == "dark" {
        Theme::Dark
    } else {
        Theme::Light
    };
    let svg = draw_heatmap(
        &d.heatmap(&format!("{}: {}", view.team.name, entry.title())),
        t,
    );
    let mut r = svg.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    Ok(r)
}

#[derive(Template)]
#[template(path = "teams/trend.html")]
struct TrendPage {
    chrome: Chrome,
    slug: String,
    team: String,
    roadmap: String,
    title: String,
    chart: Themed,
    rows: Vec<leadmap_app::teams::TrendRow>,
}

/// Weeks the trend covers.
const TREND_WEEKS: usize = 52;

pub(super) async fn trend(
    me: Me,
    headers: HeaderMap,
    Path((slug, roadmap)): Path<(String, String)>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let (managed, entry, people, records) = managed_dashboard(&view, &roadmap).await?;
    let moves = managed.done_moves(&people, &entry.id).await?;
    let done_now = records
        .iter()
        .filter(|r| r.status == Status::Done && entry.has_topic(&r.topic))
        .count();
    let today = leadmap_app::activity::day_of(leadmap_app::time::now_ms());
    let points = leadmap_app::teams::weekly_trend(
        &moves,
        done_now,
        people.len() * entry.topics.len(),
        today,
        TREND_WEEKS,
    );
    let heading = format!(
        "{}: percent done on {}, by week",
        view.team.name,
        entry.title()
    );
    html(&TrendPage {
        chrome: Chrome::new(
            Some(me.frame()),
            &headers,
            &format!("/teams/{slug}/r/{roadmap}/trend"),
        ),
        slug: view.team.slug.clone(),
        team: view.team.name.clone(),
        roadmap: entry.id.clone(),
        title: entry.title(),
        chart: Themed::draw(|t| leadmap_app::teams::trend_svg(&heading, &points, t)),
        rows: leadmap_app::teams::trend_table(&points),
    })
}

#[derive(Deserialize)]
pub(super) struct SuggestForm {
    #[serde(default)]
    roadmap: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    reason: String,
    /// Where to go back to: the dashboard, or a person's 1:1 page.
    #[serde(default)]
    back: String,
}

pub(super) async fn suggest(
    me: Me,
    Path(slug): Path<String>,
    Form(f): Form<SuggestForm>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let entry = view.roadmap(&f.roadmap).await?;
    let back = if f.back.starts_with(&format!("/teams/{slug}/")) && !f.back.contains("//") {
        f.back.clone()
    } else {
        format!("/teams/{slug}/r/{}", entry.id)
    };
    let due = match f.due.trim() {
        "" => Ok(None),
        d => leadmap_app::activity::parse_day(d).map(Some),
    };
    let result = match due {
        Ok(due) => managed
            .suggest(&entry, &f.topic, Some(f.person.as_str()), due, &f.reason)
            .await
            .map(|_| ()),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{back}#focus")).into_response()),
        Err(e) => {
            let message = super::pages::user_error(e)?;
            let sep = if back.contains('?') { '&' } else { '?' };
            Ok(Redirect::to(&format!(
                "{back}{sep}error={}#focus",
                crate::web::redirect::encode_query(&message)
            ))
            .into_response())
        }
    }
}

pub(super) async fn remove_focus(
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<BackForm>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    if !view.managed()?.remove_focus(id).await? {
        return Err(AppError::NotFound);
    }
    let back = if f.back.starts_with(&format!("/teams/{slug}/")) && !f.back.contains("//") {
        f.back
    } else {
        format!("/teams/{slug}")
    };
    Ok(Redirect::to(&format!("{back}#focus")).into_response())
}

#[derive(Deserialize)]
pub(super) struct BackForm {
    #[serde(default)]
    back: String,
}
