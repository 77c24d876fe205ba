//! The home page: the roadmaps with the person's progress, or a welcome for visitors.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use leadmap_app::catalog::{Summary, status_in};
use leadmap_store::Progress;

use crate::access::{Access, AppState, Routes, Viewer};
use crate::web::{Chrome, PageResult, html};

pub fn routes() -> Routes {
    Routes::new().get("/", Access::Public, home)
}

struct RoadmapCard {
    id: String,
    title: String,
    description: String,
    areas: usize,
    topics: usize,
    summary: Summary,
    /// The roadmap's boxes coloured by the person's statuses (inline SVG).
    thumbnail: String,
}

#[derive(Template)]
#[template(path = "home/home.html")]
struct HomePage {
    chrome: Chrome,
    /// The name the person is shown by.
    name: String,
    roadmaps: Vec<RoadmapCard>,
}

#[derive(Template)]
#[template(path = "home/welcome.html")]
struct WelcomePage {
    chrome: Chrome,
    no_account: bool,
}

async fn home(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    headers: HeaderMap,
) -> PageResult {
    let chrome = Chrome::new(viewer.as_ref().map(|m| m.frame()), &headers, "/");
    let Some(me) = viewer else {
        let no_account = !state.has_accounts().await?;
        return html(&WelcomePage { chrome, no_account });
    };
    let name = me.shown_name().to_owned();
    let all = me.progress().all().await?;
    let mut per: HashMap<&str, HashMap<String, Progress>> = HashMap::new();
    for p in &all {
        per.entry(p.roadmap.as_str())
            .or_default()
            .insert(p.topic.clone(), p.clone());
    }
    let empty = HashMap::new();
    let roadmaps = state
        .catalog()
        .roadmaps
        .iter()
        .map(|e| {
            let m = per.get(e.id.as_str()).unwrap_or(&empty);
            RoadmapCard {
                id: e.id.clone(),
                title: e.title(),
                // The roadmap's own first paragraph, then what it holds.
                description: leadmap_core::inline::plain_text(
                    e.roadmap.description.split("\n\n").next().unwrap_or(""),
                ),
                areas: e.roadmap.count(leadmap_core::Kind::Area),
                topics: e.topics.len(),
                summary: Summary::of(e.topics.iter(), |t| status_in(m, t)),
                thumbnail: e.thumbnail.svg(|t| status_in(m, t).as_str()),
            }
        })
        .collect();
    html(&HomePage {
        chrome,
        name,
        roadmaps,
    })
}
