//! The roadmap page: the person's diagram and the list view, with a topic's panel open when
//! the address names one.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse};
use leadmap_app::catalog::{Summary, by_topic, status_in};
use leadmap_store::Progress;
use serde::Deserialize;

use super::panel::{Panel, panel};
use crate::access::{AppState, Viewer};
use crate::web::{AppError, Chrome, PageResult};

struct AreaRow<'a> {
    id: &'a str,
    title: &'a str,
    summary: Summary,
    topics: Vec<TopicRow<'a>>,
}

/// A list-view row; `id_html` and `title_html` are escaped already (once, in the catalog).
struct TopicRow<'a> {
    id_html: &'a str,
    title_html: &'a str,
    /// The node's kind and the person's status: fixed words of ours, written unescaped (an
    /// escape per row was a few per cent of the page's time).
    kind: &'static str,
    status: &'static str,
    hit: bool,
    /// The group heading shown above this row, escaped already.
    group_html: Option<&'a str>,
    in_group: bool,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "roadmaps/roadmap.html")]
struct RoadmapPage<'a> {
    chrome: Chrome,
    id: &'a str,
    /// `id` escaped for HTML.
    id_html: &'a str,
    title: String,
    svg: FilledSvg<'a>,
    summary: Summary,
    areas: Vec<AreaRow<'a>>,
    panel: Option<Panel>,
    q: String,
    hits: usize,
    /// What a reset just cleared, said once at the top.
    notice: String,
    /// How many topics are past their target date and not finished.
    overdue: usize,
    /// Whether this person may publish a new version of it.
    editable: bool,
    /// A visitor without an account: read-only, with a call to sign in.
    anonymous: bool,
    /// Shipped with the binary (share links are made for these only, so far).
    bundled: bool,
    /// Focus topics a manager suggested on this roadmap (done ones ticked off).
    focus: Vec<FocusItem>,
}

/// A person's diagram, written straight into the page as it renders (no copy of its own).
struct FilledSvg<'a> {
    template: &'a leadmap_render::SvgTemplate,
    records: &'a HashMap<String, Progress>,
    /// Topics past their target date and not finished.
    overdue: &'a HashSet<String>,
    /// Open focus topics (suggested by a manager, not done yet).
    focus: &'a HashSet<String>,
}

impl std::fmt::Display for FilledSvg<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.template.fill_into_flagged(
            f,
            |t| status_in(self.records, t),
            |t| self.overdue.contains(t),
            |t| !self.focus.is_empty() && self.focus.contains(t),
        )
    }
}

/// A focus topic as the roadmap page lists it.
pub(super) struct FocusItem {
    pub id: String,
    pub title: String,
    pub due: String,
    pub reason: String,
    pub done: bool,
}

#[derive(Deserialize, Default)]
pub(super) struct RoadmapQuery {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    q: String,
    /// Set by the redirect after a reset: `all`, or the area's id.
    #[serde(default)]
    reset: String,
}

pub(super) async fn roadmap_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<RoadmapQuery>,
) -> PageResult {
    // Overdue: a target day before today on a topic not finished. The session and everything
    // the page reads of the person come in one store call (one round trip on PostgreSQL).
    let today = leadmap_app::activity::day_of(leadmap_app::time::now_ms());
    let Some((me, reads)) = Viewer::with_page(&state, &headers, &id, today - 1).await? else {
        return visitor_page(&state, &headers, &id, query).await;
    };
    let (current, editable) = me.roadmaps().current(&id).await?;
    let e = &*current.entry;
    let records = by_topic(reads.records);
    let status = |t: &str| status_in(&records, t);
    let overdue: HashSet<String> = reads
        .due
        .into_iter()
        .filter(|(topic, _)| {
            !matches!(
                status(topic),
                leadmap_core::progress::Status::Done | leadmap_core::progress::Status::Skipped
            )
        })
        .map(|(topic, _)| topic)
        .collect();
    // Focus topics a manager suggested (none for someone in no team).
    let focus: Vec<leadmap_store::Focus> = reads
        .focus
        .into_iter()
        .filter(|f| e.has_topic(&f.topic))
        .collect();
    // The panel of a page without script (`?topic=`) shows the topic's plan.
    let plans = if query.topic.is_empty() {
        Vec::new()
    } else {
        me.progress().plans(Some(&e.id)).await?
    };
    let chrome = Chrome::new(Some(me.frame()), &headers, &format!("/r/{}", e.id));
    let page = render(
        &state,
        e,
        View {
            records: &records,
            overdue: &overdue,
            focus: &focus,
            plans: &plans,
            csrf: &me.session.csrf,
            editable,
            anonymous: false,
        },
        query,
        chrome,
    )?;
    Ok(Html(page).into_response())
}

/// A visitor without an account: a public roadmap read-only (no account data, cacheable);
/// any other sends them to sign in, the same answer whether it exists or not.
async fn visitor_page(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    query: RoadmapQuery,
) -> PageResult {
    let sign_in = || AppError::SignIn(format!("/r/{id}"));
    if state.config().private {
        return Err(sign_in());
    }
    let current = match state.roadmap(None, id).await {
        Ok(c) => c,
        Err(AppError::NotFound) => return Err(sign_in()),
        Err(e) => return Err(e),
    };
    let e = &*current.entry;
    let theme = crate::web::chrome::theme(headers);
    let plain = query.topic.is_empty() && query.q.is_empty() && query.reset.is_empty();
    let draw = move || {
        render(
            state,
            e,
            View {
                records: &HashMap::new(),
                overdue: &HashSet::new(),
                focus: &[],
                plans: &[],
                csrf: "",
                editable: false,
                anonymous: true,
            },
            query,
            Chrome::themed(None, theme, &format!("/r/{}", e.id)),
        )
    };
    // The page without a topic open or a search is the same for every visitor: rendered
    // once per roadmap version and theme.
    let body = if plain {
        let version = current.record.as_ref().map_or(0, |r| r.version);
        state.visitor_page(format!("{}\n{version}\n{theme}", e.id), draw)?
    } else {
        axum::body::Bytes::from(draw()?)
    };
    let mut res = Html(body).into_response();
    public_cache(&mut res);
    Ok(res)
}

/// A page the same for every visitor without an account: shared caches may keep it a
/// minute (it differs only by the theme cookie).
pub(super) fn public_cache(res: &mut axum::response::Response) {
    use axum::http::{HeaderValue, header};
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
}

/// What one person's page shows of them.
struct View<'a> {
    records: &'a HashMap<String, Progress>,
    overdue: &'a HashSet<String>,
    focus: &'a [leadmap_store::Focus],
    plans: &'a [leadmap_store::Plan],
    /// Empty for a visitor without an account (no form is drawn).
    csrf: &'a str,
    editable: bool,
    anonymous: bool,
}

fn render(
    state: &AppState,
    e: &leadmap_app::Entry,
    v: View<'_>,
    query: RoadmapQuery,
    chrome: Chrome,
) -> Result<String, AppError> {
    let records = v.records;
    let overdue = v.overdue;
    let status = |t: &str| status_in(records, t);
    let open_focus: HashSet<String> = v
        .focus
        .iter()
        .filter(|f| status(&f.topic) != leadmap_core::progress::Status::Done)
        .map(|f| f.topic.clone())
        .collect();
    let svg = FilledSvg {
        template: &e.svg,
        records,
        overdue,
        focus: &open_focus,
    };
    let q = query.q.trim().to_lowercase();
    let mut hits = 0;
    let areas = e
        .areas
        .iter()
        .map(|a| AreaRow {
            id: &a.id,
            title: &a.title,
            summary: Summary::of(a.topic_ids(), status),
            topics: a
                .topics
                .iter()
                .map(|t| {
                    let hit = !q.is_empty() && t.folded.contains(&q);
                    hits += usize::from(hit);
                    TopicRow {
                        id_html: &t.id_html,
                        title_html: &t.title_html,
                        kind: t.kind,
                        status: status(&t.id).as_str(),
                        hit,
                        group_html: t.group_html.as_deref(),
                        in_group: t.in_group,
                        overdue: overdue.contains(&t.id),
                    }
                })
                .collect(),
        })
        .collect();
    let back = format!("/r/{}", e.id);
    let panel = (!query.topic.is_empty())
        .then(|| e.roadmap.find(&query.topic))
        .flatten()
        .filter(|n| n.kind.is_learnable())
        .map(|n| {
            let back = format!("{back}?topic={}#panel", n.id);
            panel(state, e, n, records.get(n.id.as_str()), v.csrf, &back).with_plans(v.plans)
        });
    // The page is the diagram, the list and some chrome: size the buffer once.
    let size = e.svg.len() + 400 * e.topics.len() + 8192;
    let mut out = String::with_capacity(size);
    RoadmapPage {
        chrome,
        id: &e.id,
        id_html: &e.id_html,
        title: e.title(),
        svg,
        summary: Summary::of(e.topics.iter(), status),
        areas,
        panel,
        q: query.q,
        hits,
        notice: match query.reset.as_str() {
            "" => String::new(),
            "all" => "Your progress on this roadmap is reset.".to_owned(),
            area => e
                .area(area)
                .map(|a| format!("Your progress on {} is reset.", a.title))
                .unwrap_or_default(),
        },
        overdue: overdue.len(),
        editable: v.editable,
        anonymous: v.anonymous,
        bundled: state.catalog().get(&e.id).is_some(),
        focus: v
            .focus
            .iter()
            .map(|f| FocusItem {
                id: f.topic.clone(),
                title: e
                    .area_of(&f.topic)
                    .and_then(|a| a.topics.iter().find(|t| t.id == f.topic))
                    .map_or_else(|| f.topic.clone(), |t| t.title.clone()),
                due: f
                    .due_day
                    .map(leadmap_app::activity::day_date)
                    .unwrap_or_default(),
                reason: f.reason.clone(),
                done: status(&f.topic) == leadmap_core::progress::Status::Done,
            })
            .collect(),
    }
    .render_into(&mut out)?;
    Ok(out)
}
