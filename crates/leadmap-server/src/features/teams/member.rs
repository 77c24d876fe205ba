//! One member as their manager sees them: their roadmap read-only (statuses on the diagram,
//! the notes they shared), and the 1:1 preparation (what changed since the last 1:1, what they
//! are learning, focus topics due, gaps they could close, shared notes, the bundled agenda),
//! printable and as Markdown; recording that a 1:1 took place. Also the member's own switch
//! that shares a note with their managers.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadmap_app::teams::dashboard::Dashboard;
use leadmap_app::teams::{Prep, PrepInput};
use leadmap_app::time::now_ms;
use leadmap_core::progress::Status;
use leadmap_store::TeamRecord;
use serde::Deserialize;

use super::dashboard::persons;
use crate::access::{Managed, Me, TeamView};
use crate::web::{AppError, Chrome, PageResult, html, html_sized};

struct TopicRow<'a> {
    id: &'a str,
    title_html: &'a str,
    status: &'static str,
    note: &'a str,
}

struct AreaRow<'a> {
    title: &'a str,
    topics: Vec<TopicRow<'a>>,
}

/// The diagram with the member's statuses.
struct Diagram<'a> {
    template: &'a leadmap_render::SvgTemplate,
    records: &'a HashMap<&'a str, &'a TeamRecord>,
}

impl std::fmt::Display for Diagram<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.template.fill_into(f, |t| {
            self.records.get(t).map_or(Status::Pending, |r| r.status)
        })
    }
}

#[derive(Template)]
#[template(path = "teams/member.html")]
struct MemberPage<'a> {
    chrome: Chrome,
    slug: String,
    team: String,
    roadmap: String,
    title: String,
    name: String,
    user: String,
    done: usize,
    learning: usize,
    skipped: usize,
    total: usize,
    svg: Diagram<'a>,
    areas: Vec<AreaRow<'a>>,
}

pub(super) async fn roadmap(
    me: Me,
    headers: HeaderMap,
    Path((slug, name, roadmap)): Path<(String, String, String)>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let person = managed.person(&name).await?;
    let entry = view.roadmap(&roadmap).await?;
    let records = managed
        .records(std::slice::from_ref(&person), &entry.id)
        .await?;
    let by_topic: HashMap<&str, &TeamRecord> =
        records.iter().map(|r| (r.topic.as_str(), r)).collect();
    let status = |t: &str| by_topic.get(t).map_or(Status::Pending, |r| r.status);
    let count = |s: Status| entry.topics.iter().filter(|t| status(t) == s).count();
    let areas = entry
        .areas
        .iter()
        .map(|a| AreaRow {
            title: &a.title,
            topics: a
                .topics
                .iter()
                .map(|t| TopicRow {
                    id: &t.id,
                    title_html: &t.title_html,
                    status: status(&t.id).as_str(),
                    note: by_topic
                        .get(t.id.as_str())
                        .and_then(|r| r.shared_note.as_deref())
                        .unwrap_or(""),
                })
                .collect(),
        })
        .collect();
    let page = MemberPage {
        chrome: Chrome::new(
            Some(me.frame()),
            &headers,
            &format!("/teams/{slug}/members/{name}/r/{roadmap}"),
        ),
        slug: view.team.slug.clone(),
        team: view.team.name.clone(),
        roadmap: entry.id.clone(),
        title: entry.title(),
        name: person.user.shown_name().to_owned(),
        user: person.user.name.clone(),
        done: count(Status::Done),
        learning: count(Status::Learning),
        skipped: count(Status::Skipped),
        total: entry.topics.len(),
        svg: Diagram {
            template: &entry.svg,
            records: &by_topic,
        },
        areas,
    };
    let mut r = html_sized(&page, entry.svg.len() + 200 * entry.topics.len() + 8192)?;
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

#[derive(Deserialize, Default)]
pub(super) struct PrepQuery {
    #[serde(default)]
    roadmap: String,
    #[serde(default)]
    recorded: Option<u8>,
}

/// The 1:1 prepared for a person of the team on a roadmap (the first the manager may read,
/// unless one is asked for).
async fn prepare(
    view: &TeamView<'_>,
    managed: &Managed<'_>,
    name: &str,
    roadmap: &str,
) -> Result<(Prep, Vec<(String, String)>, String), AppError> {
    let person = managed.person(name).await?;
    let roadmaps = view.roadmaps().await?;
    let id = if roadmap.is_empty() {
        roadmaps
            .first()
            .map(|(id, _)| id.clone())
            .ok_or(AppError::NotFound)?
    } else {
        roadmap.to_owned()
    };
    let entry = view.roadmap(&id).await?;
    let since = managed.last_one_on_one(&person).await?;
    let changes = managed.changes_since(&person, &entry.id, since).await?;
    let people = view.people().await?;
    let records = managed.records(&people, &entry.id).await?;
    let ps = persons(&people);
    let d = Dashboard::new(&entry, &ps, &records);
    let could_close = d
        .row(person.user.id)
        .map(|r| d.could_close(r, leadmap_app::teams::one_on_one::GAPS_MAX))
        .unwrap_or_default();
    let own: Vec<TeamRecord> = records
        .iter()
        .filter(|r| r.user == person.user.id)
        .cloned()
        .collect();
    let focus = managed.person_focus(&person).await?;
    let prep = Prep::new(&PrepInput {
        entry: &entry,
        member: person.user.shown_name(),
        manager: managed.me().shown_name(),
        team: &view.team.name,
        since,
        now: now_ms(),
        changes: &changes,
        records: &own,
        focus: &focus,
        could_close: &could_close,
    });
    Ok((prep, roadmaps, entry.id.clone()))
}

#[derive(Template)]
#[template(path = "teams/one_on_one.html")]
struct PrepPage {
    chrome: Chrome,
    slug: String,
    team: String,
    user: String,
    roadmap: String,
    roadmaps: Vec<(String, String)>,
    prep: Prep,
    agenda: String,
    notice: String,
}

pub(super) async fn one_on_one(
    me: Me,
    headers: HeaderMap,
    Path((slug, name)): Path<(String, String)>,
    Query(q): Query<PrepQuery>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let (prep, roadmaps, roadmap) = prepare(&view, &managed, &name, &q.roadmap).await?;
    let agenda = leadmap_bundled::template(leadmap_app::teams::one_on_one::TEMPLATE)
        .unwrap_or_default()
        .to_owned();
    let mut r = html(&PrepPage {
        chrome: Chrome::new(
            Some(me.frame()),
            &headers,
            &format!("/teams/{slug}/members/{name}/one-on-one"),
        ),
        slug: view.team.slug.clone(),
        team: view.team.name.clone(),
        user: name.clone(),
        roadmap,
        roadmaps,
        prep,
        agenda,
        notice: if q.recorded.is_some() {
            "Recorded: the next preparation starts from today.".into()
        } else {
            String::new()
        },
    })?;
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

pub(super) async fn one_on_one_md(
    me: Me,
    Path((slug, name)): Path<(String, String)>,
    Query(q): Query<PrepQuery>,
) -> Result<Response, AppError> {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let (prep, _, _) = prepare(&view, &managed, &name, &q.roadmap).await?;
    let mut r = prep.markdown().into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/markdown; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let file = format!("one-on-one-{}-{}.md", sanitize(&name), prep.date);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// A user name fit for a file name in a header (letters, digits, `.`, `_`, `-`).
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[derive(Deserialize)]
pub(super) struct RecordForm {
    #[serde(default)]
    roadmap: String,
}

pub(super) async fn record_one_on_one(
    me: Me,
    Path((slug, name)): Path<(String, String)>,
    Form(f): Form<RecordForm>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let person = managed.person(&name).await?;
    managed.record_one_on_one(&person).await?;
    let roadmap: String = f
        .roadmap
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    Ok(Redirect::to(&format!(
        "/teams/{}/members/{}/one-on-one?recorded=1&roadmap={roadmap}",
        view.team.slug,
        crate::web::redirect::encode_query(&person.user.name)
    ))
    .into_response())
}

#[derive(Deserialize)]
pub(super) struct ShareNoteForm {
    #[serde(default)]
    shared: Option<String>,
}

/// The member's own switch: this topic's note is shared with their managers, or private.
pub(super) async fn share_note(
    me: Me,
    Path((roadmap, topic)): Path<(String, String)>,
    Form(f): Form<ShareNoteForm>,
) -> PageResult {
    let c = me.roadmaps().current(&roadmap).await?.0;
    if !c.entry.has_topic(&topic) {
        return Err(AppError::NotFound);
    }
    if !me
        .teams()
        .share_note(&c.entry.id, &topic, f.shared.is_some())
        .await?
    {
        return Err(AppError::Unprocessable(
            "write a note first: there is nothing to share yet".into(),
        ));
    }
    Ok(Redirect::to(&format!("/r/{}/t/{topic}", c.entry.id)).into_response())
}
