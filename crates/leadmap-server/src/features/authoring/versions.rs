//! A roadmap's versions: the list (who may see it, for its editors), what one version changed
//! from the one before, publishing an old version again (a rollback is a new version).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use leadmap_app::publish::{PublishError, Request};
use leadmap_store::Visibility;
use serde::Deserialize;

use crate::access::Me;
use crate::web::{AppError, Chrome, PageResult, html};

struct Row {
    version: i64,
    title: String,
    message: String,
    topics: i64,
    when: String,
    by_server: bool,
    current: bool,
}

#[derive(Template)]
#[template(path = "authoring/versions.html")]
struct VersionsPage {
    chrome: Chrome,
    id: String,
    title: String,
    bundled: bool,
    editable: bool,
    visibility: String,
    notice: String,
    rows: Vec<Row>,
}

#[derive(Deserialize, Default)]
pub(super) struct VersionsQuery {
    #[serde(default)]
    published: Option<i64>,
    #[serde(default)]
    unchanged: Option<i64>,
    #[serde(default)]
    restored: Option<i64>,
    #[serde(default)]
    visibility: Option<String>,
}

pub(super) async fn list(
    me: Me,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<VersionsQuery>,
) -> PageResult {
    let (c, editable) = me.roadmaps().current(&id).await?;
    let versions = me.roadmaps().versions(&id).await?;
    let current = versions.first().map_or(0, |v| v.version);
    let notice = match (q.published, q.unchanged, q.restored, q.visibility) {
        (Some(n), ..) => format!("Published version {n}."),
        (_, Some(n), ..) => format!("Nothing changed: version {n} stays current."),
        (_, _, Some(n), _) => format!("Version {n} is published again as version {current}."),
        (_, _, _, Some(v)) => format!("Visibility changed to {v}."),
        _ => String::new(),
    };
    let rows = versions
        .iter()
        .map(|v| Row {
            version: v.version,
            title: v.title.clone(),
            message: v.message.clone(),
            topics: v.topics,
            when: leadmap_app::time::display(v.published_at),
            by_server: v.published_by.is_none(),
            current: v.version == current,
        })
        .collect();
    html(&VersionsPage {
        chrome: Chrome::new(Some(me.frame()), &headers, &format!("/r/{id}/versions")),
        title: c.entry.title(),
        bundled: c.is_bundled() || c.record.as_ref().is_some_and(|r| r.bundled),
        visibility: c
            .record
            .as_ref()
            .map_or("public".into(), |r| r.visibility.as_str().to_owned()),
        editable,
        id,
        notice,
        rows,
    })
}

#[derive(Template)]
#[template(path = "authoring/diff.html")]
struct DiffPage {
    chrome: Chrome,
    id: String,
    title: String,
    from: i64,
    to: i64,
    message: String,
    diff: leadmap_core::diff::Diff,
}

#[derive(Deserialize, Default)]
pub(super) struct DiffQuery {
    #[serde(default)]
    from: Option<i64>,
}

/// What version N changed from the one before (or from `?from=M`).
pub(super) async fn one(
    me: Me,
    headers: HeaderMap,
    Path((id, version)): Path<(String, i64)>,
    Query(q): Query<DiffQuery>,
) -> PageResult {
    let (new_v, new_md) = me.roadmaps().source(&id, version).await?;
    let from = q.from.unwrap_or(version - 1);
    let new = leadmap_core::parse(new_md.as_bytes(), &id).roadmap;
    let old = if from >= 1 {
        let (_, md) = me.roadmaps().source(&id, from).await?;
        leadmap_core::parse(md.as_bytes(), &id).roadmap
    } else {
        leadmap_core::Roadmap {
            children: Vec::new(),
            description: String::new(),
            ..new.clone()
        }
    };
    html(&DiffPage {
        chrome: Chrome::new(
            Some(me.frame()),
            &headers,
            &format!("/r/{id}/versions/{version}"),
        ),
        title: new.title.plain(),
        diff: leadmap_core::diff::diff(&old, &new),
        message: new_v.message,
        id,
        from,
        to: version,
    })
}

/// Publishes version N's text again as a new version (the roadmap's editors only).
pub(super) async fn restore(me: Me, Path((id, version)): Path<(String, i64)>) -> PageResult {
    let c = me.roadmaps().editable(&id).await?;
    let (_, markdown) = me.roadmaps().source(&id, version).await?;
    let message = format!("version {version} published again");
    let req = Request {
        id: Some(&id),
        source: markdown.as_bytes(),
        message: &message,
        map: &[],
        base: c.record.as_ref().map(|r| r.version),
        dry_run: false,
        visibility: Visibility::Private,
    };
    match me.roadmaps().publish(&req).await {
        Ok(r) if r.unchanged => {
            Ok(Redirect::to(&format!("/r/{id}/versions?unchanged={}", r.version)).into_response())
        }
        Ok(_) => Ok(Redirect::to(&format!("/r/{id}/versions?restored={version}")).into_response()),
        Err(PublishError::NotFound) => Err(AppError::NotFound),
        Err(PublishError::Store(e)) => Err(AppError::Store(e)),
        Err(e) => Err(AppError::Unprocessable(e.to_string())),
    }
}

#[derive(Deserialize)]
pub(super) struct VisibilityForm {
    visibility: String,
}

pub(super) async fn visibility(
    me: Me,
    Path(id): Path<String>,
    Form(f): Form<VisibilityForm>,
) -> PageResult {
    let v = Visibility::parse(&f.visibility).ok_or_else(|| {
        AppError::Unprocessable(format!(
            "visibility is private, signed-in or public, not {:?}",
            f.visibility
        ))
    })?;
    me.roadmaps().set_visibility(&id, v).await?;
    Ok(Redirect::to(&format!("/r/{id}/versions?visibility={v}")).into_response())
}
