//! The roadmap page: the person's diagram and the list view, with a topic's panel open when
//! the address names one.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use leadmap_app::catalog::{Summary, by_topic, status_in};
use leadmap_store::Progress;
use serde::Deserialize;

use super::panel::{Panel, panel};
use crate::access::{AppState, Me};
use crate::web::{Chrome, PageResult, html_sized};

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
}

/// A person's diagram, written straight into the page as it renders (no copy of its own).
struct FilledSvg<'a> {
    template: &'a leadmap_render::SvgTemplate,
    records: &'a HashMap<String, Progress>,
    /// Topics past their target date and not finished.
    overdue: &'a HashSet<String>,
}

impl std::fmt::Display for FilledSvg<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.template.fill_into_marked(
            f,
            |t| status_in(self.records, t),
            |t| self.overdue.contains(t),
        )
    }
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
    me: Me,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<RoadmapQuery>,
) -> PageResult {
    let (current, editable) = me.roadmaps().current(&id).await?;
    let e = &*current.entry;
    let records = by_topic(me.progress().of(&e.id).await?);
    let status = |t: &str| status_in(&records, t);
    // Overdue: a target day before today on a topic not finished. Only the days are read (one
    // statement; the evidence links are the panel's).
    let today = leadmap_app::activity::day_of(leadmap_app::time::now_ms());
    let overdue: HashSet<String> = me
        .progress()
        .due_until(today - 1)
        .await?
        .into_iter()
        .filter(|(roadmap, topic, _)| {
            *roadmap == e.id
                && !matches!(
                    status(topic),
                    leadmap_core::progress::Status::Done | leadmap_core::progress::Status::Skipped
                )
        })
        .map(|(_, topic, _)| topic)
        .collect();
    let svg = FilledSvg {
        template: &e.svg,
        records: &records,
        overdue: &overdue,
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
            panel(
                &state,
                e,
                n,
                records.get(n.id.as_str()),
                &me.session.csrf,
                &back,
            )
        });
    // The panel of a page without script (`?topic=`) shows the topic's plan.
    let panel = match panel {
        Some(p) => Some(p.with_plans(&me.progress().plans(Some(&e.id)).await?)),
        None => None,
    };
    // The page is the diagram, the list and some chrome: size the buffer once.
    let size = e.svg.len() + 400 * e.topics.len() + 8192;
    html_sized(
        &RoadmapPage {
            chrome: Chrome::new(Some(me.frame()), &headers, &back),
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
            editable,
        },
        size,
    )
}
