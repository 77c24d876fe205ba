//! The pictures people read at a glance: the organisation view of a roadmap (the
//! organisation's rating beside how many teams are at each level, teams × practices, the
//! index over quarters, each practice over time), the comparison of two assessments, the
//! report (HTML, Markdown, PDF) and every picture as SVG, PNG or PDF.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use leadmap_app::assess::compute::{self, Movement, Ratings, one_decimal};
use leadmap_app::assess::pictures;
use leadmap_app::assess::report::Report;
use leadmap_core::assessment::Rating;
use leadmap_store::{Assessed, Assessment};

use super::charts::{self, Picture};
use super::pages::file_stem;
use crate::access::{AssessmentView, Me};
use crate::web::{AppError, Chrome, PageResult, html};

pub(super) struct OrgRow {
    pub topic: String,
    pub title: String,
    pub area: String,
    pub organisation: &'static str,
    pub teams: [usize; 5],
    pub na: usize,
    pub unrated: usize,
}

#[derive(Template)]
#[template(path = "assess/overview.html")]
struct OverviewPage {
    chrome: Chrome,
    roadmap: String,
    roadmap_title: String,
    organisation: Option<(i64, String)>,
    teams: Vec<(i64, String, String)>,
    org_index: String,
    teams_index: String,
    rows: Vec<OrgRow>,
    pictures: Vec<Picture>,
}

struct OverviewData {
    view: compute::OrgView,
    org: Option<Assessment>,
    teams: Vec<(Assessment, String)>,
    strip: leadmap_render::charts::HeatStrip,
    history: compute::History,
}

async fn overview_data(me: &Me, roadmap: &str) -> Result<(OverviewData, String), AppError> {
    let o = me.assessments().overview(roadmap).await?;
    let entry = &o.roadmap.entry;
    let empty = Ratings::new();
    let org = o
        .latest
        .iter()
        .find(|a| a.assessed == Assessed::Organisation)
        .cloned();
    let mut teams: Vec<(Assessment, String)> = o
        .latest
        .iter()
        .filter(|a| a.assessed != Assessed::Organisation)
        .map(|a| (a.clone(), o.standing.owner_name(a.assessed)))
        .collect();
    teams.sort_by_key(|a| a.1.to_lowercase());
    let team_inputs: Vec<(String, String, &Ratings)> = teams
        .iter()
        .map(|(a, name)| {
            (
                name.clone(),
                a.title.clone(),
                o.ratings.get(&a.id).unwrap_or(&empty),
            )
        })
        .collect();
    let view = compute::org_view(
        entry,
        org.as_ref().and_then(|a| o.ratings.get(&a.id)),
        &team_inputs,
    );
    let practices: Vec<(String, usize)> = entry
        .areas
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.topics.iter().map(move |t| (t.title.clone(), i)))
        .collect();
    let strip = pictures::heat_strip_chart(
        entry.areas.iter().map(|a| a.title.clone()).collect(),
        practices,
        team_inputs
            .iter()
            .map(|(name, _, r)| {
                (
                    name.clone(),
                    entry
                        .topics
                        .iter()
                        .map(|t| r.get(t).map(|x| x.rating))
                        .collect(),
                )
            })
            .collect(),
    );
    let mut series: Vec<&Assessment> = o.org_series.iter().collect();
    series.sort_by_key(|a| (a.assessed_on, a.id));
    let pairs: Vec<(&Assessment, &Ratings)> = series
        .iter()
        .map(|a| (*a, o.ratings.get(&a.id).unwrap_or(&empty)))
        .collect();
    let history = compute::history(entry, &pairs);
    Ok((
        OverviewData {
            view,
            org,
            teams,
            strip,
            history,
        },
        entry.title(),
    ))
}

pub(super) async fn overview(
    me: Me,
    headers: HeaderMap,
    Path(roadmap): Path<String>,
) -> PageResult {
    let (d, roadmap_title) = overview_data(&me, &roadmap).await?;
    let mut pics = Vec::new();
    if !d.strip.teams.is_empty() {
        pics.push(charts::heat_strip(&d.strip));
    }
    if d.history.titles.len() > 1 {
        pics.push(charts::index_line(
            &d.history,
            "The organisation's index over its assessments",
        ));
        pics.push(charts::steps(&d.history));
    }
    let rows = d
        .view
        .practices
        .iter()
        .map(|p| OrgRow {
            topic: p.topic.clone(),
            title: p.title.clone(),
            area: p.area.clone(),
            organisation: p.organisation.map_or("Not rated", Rating::label),
            teams: p.teams,
            na: p.teams_not_applicable,
            unrated: p.teams_unrated,
        })
        .collect();
    html(&OverviewPage {
        chrome: Chrome::new(
            Some(me.frame()),
            &headers,
            &format!("/assessments/overview/{roadmap}"),
        ),
        roadmap_title,
        organisation: d.org.as_ref().map(|a| (a.id, a.title.clone())),
        teams: d
            .teams
            .iter()
            .map(|(a, n)| (a.id, n.clone(), a.title.clone()))
            .collect(),
        org_index: one_decimal(d.view.organisation_index),
        teams_index: one_decimal(d.view.teams_index),
        rows,
        pictures: pics,
        roadmap,
    })
}

/// `/assessments/overview/{roadmap}/{name}.{svg,png,pdf}`: a picture of the organisation view.
pub(super) async fn overview_picture(
    me: Me,
    Path((roadmap, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (name, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let (d, _) = overview_data(&me, &roadmap).await?;
    let light = leadmap_render::Theme::Light;
    let svg = match name {
        "teams" => leadmap_render::charts::heat_strip_svg(&d.strip, light),
        "index" => leadmap_render::charts::index_line_svg(
            &pictures::index_chart(&d.history, "The organisation's index"),
            light,
        ),
        "steps" => leadmap_render::charts::step_multiples_svg(
            &pictures::steps_chart(&d.history, 60),
            light,
        ),
        _ => return Err(AppError::NotFound),
    };
    charts::export(svg, ext, &format!("{roadmap}-{name}")).await
}

/// `?from=ID&to=ID` as pairs (a name given twice: the first counts).
pub(super) type CompareQuery = Query<Vec<(String, String)>>;

/// The two ids of a comparison's query, or what is wrong with them.
pub(super) fn compare_ids(q: &[(String, String)]) -> Result<(i64, i64), AppError> {
    let one = |name: &str| {
        q.iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, s)| s.trim().parse::<i64>().ok())
            .ok_or_else(|| {
                AppError::Unprocessable(format!(
                    "choose two assessments by id: ?from=ID&to=ID ({name} is missing or not a number)"
                ))
            })
    };
    Ok((one("from")?, one("to")?))
}

pub(super) struct ChangeRow {
    pub title: String,
    pub area: String,
    pub before: &'static str,
    pub after: &'static str,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

#[derive(Template)]
#[template(path = "assess/compare.html")]
struct ComparePage {
    chrome: Chrome,
    from: (i64, String, String),
    to: (i64, String, String),
    index_before: String,
    index_after: String,
    counts: [usize; 4],
    sections: Vec<(&'static str, Vec<ChangeRow>)>,
    evidence: Vec<ChangeRow>,
    same: usize,
    pictures: Vec<Picture>,
}

fn change_row(c: &compute::Change) -> ChangeRow {
    ChangeRow {
        title: c.title.clone(),
        area: c.area.clone(),
        before: c.before.map_or("Not rated", Rating::label),
        after: c.after.map_or("Not rated", Rating::label),
        added: c.evidence_added.clone(),
        removed: c.evidence_removed.clone(),
    }
}

pub(super) async fn compare(me: Me, headers: HeaderMap, Query(q): CompareQuery) -> PageResult {
    let (from, to) = compare_ids(&q)?;
    let (a, b, cmp) = me.assessments().compare(from, to).await?;
    let rows = |m: Movement| cmp.with(m).map(change_row).collect::<Vec<_>>();
    let who =
        |v: &AssessmentView<'_>| (v.assessment.id, v.owner.clone(), v.assessment.title.clone());
    html(&ComparePage {
        chrome: Chrome::new(Some(me.frame()), &headers, "/assessments/compare"),
        from: who(&a),
        to: who(&b),
        index_before: one_decimal(cmp.index_before),
        index_after: one_decimal(cmp.index_after),
        counts: [
            cmp.with(Movement::Rose).count(),
            cmp.with(Movement::Fell).count(),
            cmp.with(Movement::New).count(),
            cmp.with(Movement::Dropped).count(),
        ],
        sections: vec![
            ("Rose", rows(Movement::Rose)),
            ("Fell", rows(Movement::Fell)),
            ("New: rated for the first time", rows(Movement::New)),
            ("No longer rated", rows(Movement::Dropped)),
        ],
        evidence: cmp.evidence_changed().map(change_row).collect(),
        same: cmp.with(Movement::Same).count(),
        pictures: vec![charts::compare(
            &cmp,
            &a.assessment.title,
            &b.assessment.title,
        )],
    })
}

#[derive(Template)]
#[template(path = "assess/report.html")]
struct ReportPage {
    chrome: Chrome,
    id: i64,
    report: Report,
    summary: Vec<String>,
    figures: Vec<leadmap_app::assess::report::Figure>,
    strong: Vec<(String, String)>,
    weak: Vec<(String, String)>,
    fell: Vec<(String, String, String)>,
}

/// `/assessments/{id}/report`: the report as a page (print it, or take the PDF).
pub(super) async fn report(me: Me, headers: HeaderMap, Path(id): Path<String>) -> PageResult {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    let r = view.report().await?;
    let (strong, weak) = compute::strongest_and_weakest(&r.areas, 3);
    let pair = |a: &&compute::AreaLevels| (a.title.clone(), one_decimal(a.mean));
    html(&ReportPage {
        chrome: Chrome::new(
            Some(me.frame()),
            &headers,
            &format!("/assessments/{id}/report"),
        ),
        id,
        summary: r.summary(),
        figures: r.figures(),
        strong: strong.iter().map(pair).collect(),
        weak: weak.iter().map(pair).collect(),
        fell: r.fell(),
        report: r,
    })
}

/// `/assessments/{id}/report.md` and `/report.pdf`.
pub(super) async fn report_file(
    me: Me,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = super::parse_id(&id)?;
    let view = me.assessments().open(id).await?;
    let stem = file_stem(id, &view.assessment.title);
    let r = view.report().await?;
    match file.as_str() {
        "report.md" => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "text/markdown; charset=utf-8".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{stem}.md\""),
                ),
            ],
            r.markdown(),
        )
            .into_response()),
        "report.pdf" => {
            let doc = r.document();
            let pdf = tokio::task::spawn_blocking(move || {
                leadmap_render::report::pdf(&doc, charts::fonts())
            })
            .await
            .map_err(|e| AppError::internal("the report's thread", e))?
            .map_err(|e| AppError::internal("drawing the report", e))?;
            Ok((
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{stem}.pdf\""),
                    ),
                ],
                pdf,
            )
                .into_response())
        }
        _ => Err(AppError::NotFound),
    }
}

/// `/assessments/{id}/pictures/{name}.{svg,png,pdf}`: one of the report's pictures.
pub(super) async fn picture(
    me: Me,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = super::parse_id(&id)?;
    let (name, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let view = me.assessments().open(id).await?;
    let r = view.report().await?;
    let svg = r
        .pictures()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, svg)| svg)
        .ok_or(AppError::NotFound)?;
    charts::export(
        svg,
        ext,
        &format!("{}-{name}", file_stem(id, &view.assessment.title)),
    )
    .await
}
