//! The roadmap editor: `/roadmaps/new` and `/r/{roadmap}/edit`. Without JavaScript it is a
//! form with "Preview" and "Publish" buttons; with it, the preview follows the typing (the
//! server renders it, a second after the last key) and a problem's place moves the cursor.

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use leadmap_app::publish::{self, Problem, PublishError, Report, Request};
use leadmap_core::import::{self, Format};
use leadmap_core::progress::Status;
use leadmap_store::Visibility;
use serde::Deserialize;

use super::line_numbers;
use crate::access::Me;
use crate::web::{AppError, Chrome, PageResult, html};

/// What the editor starts a new roadmap with.
const STARTER: &str = "---\nid: my-roadmap\n---\n# My roadmap\n\nWhat this roadmap is for, in a sentence or two.\n\n## First area\n\n- A topic\n- Another topic\n  - A subtopic\n\n## Second area\n\n- One more topic\n";

#[derive(Template)]
#[template(path = "authoring/editor.html")]
struct EditorPage {
    chrome: Chrome,
    heading: String,
    action: String,
    id: String,
    is_new: bool,
    base: i64,
    markdown: String,
    lines: String,
    message: String,
    map: String,
    visibility: String,
    imported: Vec<String>,
    preview: Preview,
}

#[derive(Template)]
#[template(path = "authoring/preview.html")]
struct PreviewFragment {
    preview: Preview,
}

/// The checker's verdict, the diff and the orphans of a dry run, and the diagram.
#[derive(Default)]
struct Preview {
    shown: bool,
    error: String,
    problems: Vec<Problem>,
    report: Option<ReportView>,
    svg: String,
    /// Set when a version was published: (roadmap id, version, unchanged).
    published: Option<(String, i64, bool)>,
}

struct ReportView {
    version: i64,
    unchanged: bool,
    is_new: bool,
    added: Vec<(String, String)>,
    removed: Vec<(String, String)>,
    renamed: Vec<(String, String, String)>,
    moved: Vec<(String, String, String, String)>,
    content: Vec<(String, String)>,
    orphans: Vec<(String, String, i64)>,
    suggestions: Vec<(String, String, String, String)>,
    suggested_map: String,
}

impl ReportView {
    fn of(r: &Report) -> ReportView {
        let parent = |p: &Option<String>| p.clone().unwrap_or_else(|| "the top".into());
        ReportView {
            version: r.version,
            unchanged: r.unchanged,
            is_new: r.previous.is_none(),
            added: r
                .diff
                .added
                .iter()
                .map(|t| (t.id.clone(), t.title.clone()))
                .collect(),
            removed: r
                .diff
                .removed
                .iter()
                .map(|t| (t.id.clone(), t.title.clone()))
                .collect(),
            renamed: r
                .diff
                .renamed
                .iter()
                .map(|t| (t.id.clone(), t.old_title.clone(), t.new_title.clone()))
                .collect(),
            moved: r
                .diff
                .moved
                .iter()
                .map(|t| {
                    (
                        t.id.clone(),
                        t.title.clone(),
                        parent(&t.old_parent),
                        parent(&t.new_parent),
                    )
                })
                .collect(),
            content: r
                .diff
                .content_changed
                .iter()
                .map(|t| (t.id.clone(), t.title.clone()))
                .collect(),
            orphans: r
                .orphans
                .iter()
                .map(|o| {
                    let title = o.title.clone().unwrap_or_else(|| "removed earlier".into());
                    (o.topic.clone(), title, o.people)
                })
                .collect(),
            suggestions: r
                .suggested_map
                .iter()
                .map(|s| {
                    (
                        s.from.clone(),
                        s.to.clone(),
                        s.from_title.clone(),
                        s.to_title.clone(),
                    )
                })
                .collect(),
            suggested_map: r
                .suggested_map
                .iter()
                .map(|s| format!("{} -> {}\n", s.from, s.to))
                .collect(),
        }
    }
}

#[derive(Deserialize, Default)]
pub(super) struct EditorForm {
    #[serde(default)]
    markdown: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    map: String,
    #[serde(default)]
    base: Option<i64>,
    /// "preview" (the default), "publish" or "import".
    #[serde(default)]
    action: String,
    /// For "import": "outline", "roadmap-sh" or empty (detected).
    #[serde(default)]
    import: String,
    /// Set by the script: answer the preview alone.
    #[serde(default)]
    fragment: Option<String>,
}

fn page(me: &Me, headers: &HeaderMap, path: &str, id: Option<&str>, title: &str) -> EditorPage {
    EditorPage {
        chrome: Chrome::new(Some(me.frame()), headers, path),
        heading: match id {
            Some(_) => format!("Edit {title}"),
            None => "New roadmap".into(),
        },
        action: path.to_owned(),
        id: id.unwrap_or_default().to_owned(),
        is_new: id.is_none(),
        base: 0,
        markdown: String::new(),
        lines: String::new(),
        message: String::new(),
        map: String::new(),
        visibility: "private".into(),
        imported: Vec::new(),
        preview: Preview::default(),
    }
}

pub(super) async fn new_page(me: Me, headers: HeaderMap) -> PageResult {
    let mut p = page(&me, &headers, "/roadmaps/new", None, "");
    p.markdown = STARTER.to_owned();
    p.lines = line_numbers(STARTER);
    html(&p)
}

pub(super) async fn edit_page(me: Me, headers: HeaderMap, Path(id): Path<String>) -> PageResult {
    let c = me.roadmaps().editable(&id).await?;
    let path = format!("/r/{id}/edit");
    let mut p = page(&me, &headers, &path, Some(&id), &c.entry.title());
    p.markdown = leadmap_core::print(&c.entry.roadmap);
    p.lines = line_numbers(&p.markdown);
    p.base = c.record.as_ref().map_or(0, |r| r.version);
    html(&p)
}

pub(super) async fn new_post(me: Me, headers: HeaderMap, Form(f): Form<EditorForm>) -> PageResult {
    submit(me, headers, None, f).await
}

pub(super) async fn edit_post(
    me: Me,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<EditorForm>,
) -> PageResult {
    // Someone who may not publish to it meets the same 404 as on the page.
    me.roadmaps().editable(&id).await?;
    submit(me, headers, Some(id), f).await
}

async fn submit(me: Me, headers: HeaderMap, id: Option<String>, f: EditorForm) -> PageResult {
    let path = match &id {
        Some(id) => format!("/r/{id}/edit"),
        None => "/roadmaps/new".to_owned(),
    };
    let title = match &id {
        Some(id) => me.roadmaps().current(id).await?.0.entry.title(),
        None => String::new(),
    };
    let mut p = page(&me, &headers, &path, id.as_deref(), &title);
    p.markdown = f.markdown.replace("\r\n", "\n");
    p.message = f.message.clone();
    p.map = f.map.clone();
    p.base = if id.is_some() { f.base.unwrap_or(0) } else { 0 };
    if !f.visibility.is_empty() {
        p.visibility = f.visibility.clone();
    }
    if f.action == "import" {
        import_into(&mut p, &f.import);
        p.lines = line_numbers(&p.markdown);
        return html(&p);
    }
    p.lines = line_numbers(&p.markdown);
    p.preview = preview(&me, &id, &p, &f).await?;
    if let Some((to, version, unchanged)) = &p.preview.published {
        let what = if *unchanged { "unchanged" } else { "published" };
        return Ok(Redirect::to(&format!("/r/{to}/versions?{what}={version}")).into_response());
    }
    if f.fragment.is_some() {
        return html(&PreviewFragment { preview: p.preview });
    }
    html(&p)
}

/// Runs the publish (a dry run for "preview"); what it said goes into the page.
async fn preview(
    me: &Me,
    id: &Option<String>,
    p: &EditorPage,
    f: &EditorForm,
) -> Result<Preview, AppError> {
    let mut out = Preview {
        shown: true,
        ..Preview::default()
    };
    let map = match publish::parse_map(&f.map) {
        Ok(m) => m,
        Err(e) => {
            out.error = format!("The id map: {e}");
            return Ok(out);
        }
    };
    let visibility = Visibility::parse(&p.visibility).unwrap_or(Visibility::Private);
    let message = if f.message.trim().is_empty() {
        String::new()
    } else {
        match leadmap_app::progress::short_text(&f.message, "the message", 500) {
            Ok(m) => m,
            Err(e) => {
                out.error = e.to_string();
                return Ok(out);
            }
        }
    };
    let publishing = f.action == "publish";
    let req = Request {
        id: id.as_deref(),
        source: p.markdown.as_bytes(),
        message: &message,
        map: &map,
        base: Some(p.base),
        dry_run: !publishing,
        visibility,
    };
    match me.roadmaps().publish(&req).await {
        Ok(r) if publishing => out.published = Some((r.roadmap.clone(), r.version, r.unchanged)),
        Ok(r) => {
            if let Some(e) = &r.entry {
                out.svg = e.svg.fill(|_| Status::Pending);
            }
            out.problems = r.warnings.clone();
            out.report = Some(ReportView::of(&r));
        }
        Err(PublishError::Invalid(problems)) => {
            out.error =
                "The roadmap does not pass the checker: fix the errors below, then preview again."
                    .into();
            out.problems = problems;
        }
        Err(PublishError::NotFound) => return Err(AppError::NotFound),
        Err(PublishError::Store(e)) => return Err(AppError::Store(e)),
        Err(e) => out.error = e.to_string(),
    }
    Ok(out)
}

/// Replaces the editor's text with the roadmap an outline or a roadmap.sh export becomes.
fn import_into(p: &mut EditorPage, kind: &str) {
    let bytes = p.markdown.as_bytes();
    let format = match kind {
        "outline" => Format::Outline,
        "roadmap-sh" => Format::RoadmapSh,
        _ => Format::detect(bytes),
    };
    let hint = (!p.id.is_empty()).then_some(p.id.as_str());
    let imported = import::import(bytes, format, hint, &mut |_, _| {});
    let said: Vec<String> = imported
        .diagnostics
        .iter()
        .take(20)
        .map(|d| format!("{}: {}", d.severity, d.message))
        .collect();
    match imported.roadmap {
        Some(r) => {
            p.markdown = leadmap_core::print(&r);
            p.imported = said;
            p.imported.insert(
                0,
                "Imported: check the text below, then preview and publish.".into(),
            );
        }
        None => {
            p.preview.shown = true;
            p.preview.error = format!(
                "Nothing could be imported: {}",
                said.first().map_or(
                    "the text is not an outline nor a roadmap.sh export",
                    String::as_str
                )
            );
        }
    }
}
