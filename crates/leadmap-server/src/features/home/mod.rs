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

/// A topic due within [`DUE_SOON_DAYS`] days, or overdue (home/due_soon.html).
struct DueRow {
    roadmap_id: String,
    roadmap: String,
    topic_id: String,
    topic: String,
    date: String,
    overdue: bool,
}

/// A focus topic a manager suggested (home/focus.html): open ones first, done ones ticked off.
struct FocusRow {
    roadmap_id: String,
    roadmap: String,
    topic_id: String,
    topic: String,
    team: String,
    /// `YYYY-MM-DD`, empty when none.
    due: String,
    overdue: bool,
    reason: String,
    done: bool,
}

/// The focus topics of roadmaps the person may read, open ones first (due first), then the
/// done ones.
fn focus_rows(
    entries: &HashMap<&str, &leadmap_app::Entry>,
    focus: Vec<leadmap_store::Focus>,
    teams: &[(leadmap_store::Team, leadmap_store::TeamRole)],
    per: &HashMap<&str, HashMap<String, Progress>>,
    today: i64,
) -> Vec<FocusRow> {
    let mut rows: Vec<FocusRow> = focus
        .into_iter()
        .filter_map(|f| {
            let e = entries.get(f.roadmap.as_str())?;
            let n = e.roadmap.find(&f.topic)?;
            let done = per.get(f.roadmap.as_str()).is_some_and(|m| {
                matches!(status_in(m, &f.topic), leadmap_core::progress::Status::Done)
            });
            Some(FocusRow {
                roadmap: e.title(),
                topic: n.title.plain(),
                team: teams
                    .iter()
                    .find(|(t, _)| t.id == f.team)
                    .map(|(t, _)| t.name.clone())
                    .unwrap_or_default(),
                due: f
                    .due_day
                    .map(leadmap_app::activity::day_date)
                    .unwrap_or_default(),
                overdue: !done && f.due_day.is_some_and(|d| d < today),
                reason: f.reason,
                done,
                roadmap_id: f.roadmap,
                topic_id: f.topic,
            })
        })
        .collect();
    // Stable: the store's order (due first) within the open and the done ones.
    rows.sort_by_key(|r| r.done);
    rows
}

/// How far ahead "Due soon" looks.
const DUE_SOON_DAYS: i64 = 14;

#[derive(Template)]
#[template(path = "home/home.html")]
struct HomePage {
    chrome: Chrome,
    /// The name the person is shown by.
    name: String,
    roadmaps: Vec<RoadmapCard>,
    due: Vec<DueRow>,
    focus: Vec<FocusRow>,
}

/// The topics due soon or overdue and not finished, earliest first.
fn due_soon(
    entries: &HashMap<&str, &leadmap_app::Entry>,
    rows: Vec<(String, String, i64)>,
    per: &HashMap<&str, HashMap<String, Progress>>,
    today: i64,
) -> Vec<DueRow> {
    rows.into_iter()
        .filter_map(|(roadmap, topic, day)| {
            let e = entries.get(roadmap.as_str())?;
            let n = e.roadmap.find(&topic)?;
            let status = per
                .get(roadmap.as_str())
                .map_or(leadmap_core::progress::Status::Pending, |m| {
                    status_in(m, &topic)
                });
            if matches!(
                status,
                leadmap_core::progress::Status::Done | leadmap_core::progress::Status::Skipped
            ) {
                return None;
            }
            Some(DueRow {
                roadmap: e.title(),
                topic: n.title.plain(),
                date: leadmap_app::activity::day_date(day),
                overdue: day < today,
                roadmap_id: roadmap,
                topic_id: topic,
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "home/welcome.html")]
struct WelcomePage {
    chrome: Chrome,
    no_account: bool,
    /// The roadmaps anyone may read here: (id, title, topics).
    public: Vec<(String, String, usize)>,
}

async fn home(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    headers: HeaderMap,
) -> PageResult {
    let chrome = Chrome::new(viewer.as_ref().map(|m| m.frame()), &headers, "/");
    let Some(me) = viewer else {
        let no_account = !state.has_accounts().await?;
        // Empty with `serve --private`: nothing is open to visitors then.
        let public = if state.config().private {
            Vec::new()
        } else {
            state
                .roadmaps(None)
                .await?
                .iter()
                .map(|c| (c.entry.id.clone(), c.entry.title(), c.entry.topics.len()))
                .collect()
        };
        return html(&WelcomePage {
            chrome,
            no_account,
            public,
        });
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
    let visible = state.roadmaps(Some(&me.user)).await?;
    let entries: HashMap<&str, &leadmap_app::Entry> = visible
        .iter()
        .map(|c| (c.entry.id.as_str(), &*c.entry))
        .collect();
    let roadmaps = visible
        .iter()
        .map(|c| {
            let e = &c.entry;
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
    let today = leadmap_app::activity::day_of(leadmap_app::time::now_ms());
    let due = due_soon(
        &entries,
        me.progress().due_until(today + DUE_SOON_DAYS).await?,
        &per,
        today,
    );
    // Focus topics (one statement, and the teams' names only when there are some).
    let teams = me.teams();
    let suggested = teams.focus().await?;
    let focus = if suggested.is_empty() {
        Vec::new()
    } else {
        focus_rows(
            &entries,
            suggested,
            &teams.memberships().await?,
            &per,
            today,
        )
    };
    html(&HomePage {
        chrome,
        name,
        roadmaps,
        due,
        focus,
    })
}
