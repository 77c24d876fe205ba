//! A topic's panel: its status form and its content, in the roadmap page, on a page of its
//! own, or as a fragment the page's script fetches.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use leadmap_app::Entry;
use leadmap_app::catalog::by_topic;
use leadmap_app::time;
use leadmap_core::Node;
use leadmap_render::html::markdown_html;
use leadmap_store::Progress;
use serde::Deserialize;

use crate::access::{AppState, Viewer};
use crate::web::{AppError, Chrome, PageResult, html};

/// A topic's panel: its status form and its content.
#[derive(Debug)]
pub(super) struct Panel {
    pub(super) roadmap: String,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) kind: &'static str,
    pub(super) status: &'static str,
    pub(super) note: String,
    pub(super) updated: String,
    pub(super) area: String,
    pub(super) summary: String,
    pub(super) established: String,
    pub(super) steps: Vec<String>,
    pub(super) pitfalls: Vec<String>,
    pub(super) resources: Vec<ResourceView>,
    pub(super) related: Vec<(String, String)>,
    pub(super) templates: Vec<String>,
    pub(super) children: Vec<(String, String, &'static str)>,
    pub(super) csrf: String,
    pub(super) back: String,
    /// The target date (`YYYY-MM-DD`), empty when none.
    pub(super) due: String,
    /// Evidence links: (URL, label or the URL).
    pub(super) evidence: Vec<(String, String)>,
    /// For a person in a team with a note here: whether the note is shared with their
    /// managers. `None`: no switch (no team, or nothing written yet).
    pub(super) sharing: Option<bool>,
}

impl Panel {
    /// Shows the person's plan for the topic (target date, evidence links).
    pub(super) fn with_plans(mut self, plans: &[leadmap_store::Plan]) -> Panel {
        if let Some(p) = plans.iter().find(|p| p.topic == self.id) {
            self.due = leadmap_app::progress::plan::due_text(p.due_day).unwrap_or_default();
            self.evidence = p
                .evidence
                .iter()
                .map(|e| {
                    let label = if e.label.is_empty() { &e.url } else { &e.label };
                    (e.url.clone(), label.clone())
                })
                .collect();
        }
        self
    }

    /// Offers the switch "shared with my managers" for a person in a team (`shared`: the
    /// topics whose note they share on this roadmap), once there is a note to share.
    pub(super) fn with_sharing(mut self, shared: Option<&HashSet<String>>) -> Panel {
        self.sharing = shared
            .filter(|_| !self.note.trim().is_empty())
            .map(|s| s.contains(&self.id));
        self
    }
}

#[derive(Debug)]
pub(super) struct ResourceView {
    pub(super) icon: &'static str,
    pub(super) kind: &'static str,
    pub(super) title: String,
    pub(super) url: String,
    pub(super) byline: String,
}

impl Panel {
    pub(super) fn statuses(&self) -> [(&'static str, &'static str, &'static str); 4] {
        [
            ("learning", "Learning", "l"),
            ("done", "Done", "d"),
            ("skipped", "Skipped", "s"),
            ("pending", "Not started", "p"),
        ]
    }
}

fn icon(kind: leadmap_core::ResourceKind) -> &'static str {
    use leadmap_core::ResourceKind as R;
    match kind {
        R::Book => "📕",
        R::Article => "📄",
        R::Video => "🎬",
        R::Talk => "🎤",
        R::Podcast => "🎧",
        R::Course => "🎓",
        R::Tool => "🛠️",
        R::Community => "👥",
        R::Newsletter => "✉️",
        R::Template => "📝",
        R::Website => "🌐",
    }
}

/// One line of inline Markdown as HTML, without the paragraph around it.
fn inline(md: &str) -> String {
    let h = markdown_html(md);
    let t = h.trim();
    t.strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(t)
        .to_owned()
}

pub(super) fn panel(
    state: &AppState,
    e: &Entry,
    n: &Node,
    rec: Option<&Progress>,
    csrf: &str,
    back: &str,
) -> Panel {
    let c = &n.content;
    let catalog = state.catalog();
    let related = c
        .related
        .iter()
        .map(|r| {
            let rm = r.roadmap.as_ref().map(|x| x.as_str()).unwrap_or(&e.id);
            let title = catalog
                .get(rm)
                .and_then(|o| o.roadmap.find(r.id.as_str()))
                .map(|o| o.title.plain())
                .unwrap_or_else(|| r.id.to_string());
            let title = if rm == e.id {
                title
            } else {
                let other = catalog.get(rm).map(|o| o.title()).unwrap_or_default();
                format!("{title} ({other})")
            };
            (format!("/r/{rm}?topic={}#panel", r.id), title)
        })
        .collect();
    Panel {
        roadmap: e.id.clone(),
        id: n.id.to_string(),
        title: n.title.plain(),
        kind: n.kind.as_str(),
        status: rec.map(|p| p.status).unwrap_or_default().as_str(),
        note: rec.map(|p| p.note.clone()).unwrap_or_default(),
        updated: rec.map(|p| time::display(p.updated_at)).unwrap_or_default(),
        area: e
            .area_of(n.id.as_str())
            .map(|a| a.title.clone())
            .unwrap_or_default(),
        summary: markdown_html(&c.summary),
        established: markdown_html(&c.established),
        steps: c.steps.iter().map(|s| inline(s)).collect(),
        pitfalls: c.pitfalls.iter().map(|s| inline(s)).collect(),
        resources: c
            .resources
            .iter()
            .map(|r| ResourceView {
                icon: icon(r.kind),
                kind: r.kind.as_str(),
                title: r.title.clone(),
                url: r
                    .url
                    .clone()
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                    .unwrap_or_default(),
                byline: match (&r.author, r.year) {
                    (Some(a), Some(y)) => format!("{a}, {y}"),
                    (Some(a), None) => a.clone(),
                    (None, Some(y)) => y.to_string(),
                    (None, None) => String::new(),
                },
            })
            .collect(),
        related,
        templates: c
            .templates
            .iter()
            .map(|t| t.to_string())
            .filter(|t| leadmap_bundled::template(t).is_some())
            .collect(),
        children: n
            .children
            .iter()
            .map(|ch| (ch.id.to_string(), ch.title.plain(), ch.kind.as_str()))
            .collect(),
        csrf: csrf.to_owned(),
        back: back.to_owned(),
        due: String::new(),
        evidence: Vec::new(),
        sharing: None,
    }
}

#[derive(Template)]
#[template(path = "roadmaps/panel.html")]
struct PanelFragment {
    p: Panel,
}

#[derive(Template)]
#[template(path = "roadmaps/topic.html")]
struct TopicPage {
    chrome: Chrome,
    roadmap_title: String,
    p: Panel,
}

#[derive(Deserialize, Default)]
pub(super) struct TopicQuery {
    #[serde(default)]
    fragment: Option<String>,
}

/// A topic on its own page, or (`?fragment=1`) just its panel, which `app.js` fetches.
pub(super) async fn topic_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    headers: HeaderMap,
    Path((id, topic)): Path<(String, String)>,
    Query(q): Query<TopicQuery>,
) -> PageResult {
    let path = format!("/r/{id}/t/{topic}");
    let current = match &viewer {
        Some(me) => state.roadmap(Some(&me.user), &id).await?,
        // A visitor reads a public roadmap's topics; anything else asks them to sign in.
        None if state.config().private => return Err(AppError::SignIn(path)),
        None => match state.roadmap(None, &id).await {
            Err(AppError::NotFound) => return Err(AppError::SignIn(path)),
            other => other?,
        },
    };
    let e = &*current.entry;
    let n = e
        .roadmap
        .find(&topic)
        .filter(|n| n.kind.is_learnable())
        .ok_or(AppError::NotFound)?;
    let back = format!("/r/{}?topic={}#panel", e.id, n.id);
    let p = match &viewer {
        Some(me) => {
            let records = by_topic(me.progress().of(&e.id).await?);
            let teams = me.teams();
            let shared = if teams.memberships().await?.is_empty() {
                None
            } else {
                Some(teams.shared_notes(&e.id).await?)
            };
            panel(
                &state,
                e,
                n,
                records.get(n.id.as_str()),
                &me.session.csrf,
                &back,
            )
            .with_plans(&me.progress().plans(Some(&e.id)).await?)
            .with_sharing(shared.as_ref())
        }
        None => panel(&state, e, n, None, "", &back),
    };
    let mut res = if q.fragment.is_some() {
        html(&PanelFragment { p })?
    } else {
        html(&TopicPage {
            chrome: Chrome::new(viewer.as_ref().map(|m| m.frame()), &headers, &back),
            roadmap_title: e.title(),
            p,
        })?
    };
    if viewer.is_none() {
        super::page::public_cache(&mut res);
    }
    Ok(res)
}
