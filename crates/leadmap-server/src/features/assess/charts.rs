//! The assessment pictures as the pages show them: each drawn in both themes (the page shows
//! the one its theme asks for), with the same numbers as a table under it, and exportable as
//! SVG, PNG and PDF.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use leadmap_app::assess::compute::{AreaLevels, Comparison, History};
use leadmap_app::assess::pictures::*;
use leadmap_render::Theme;
use leadmap_render::charts as c;

use crate::web::AppError;

/// A picture on a page.
#[derive(Debug, Clone)]
pub struct Picture {
    /// Its name in export addresses (`levels`, `ranked`, …).
    pub name: &'static str,
    pub title: String,
    pub light: String,
    pub dark: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn picture(
    name: &'static str,
    title: &str,
    draw: impl Fn(Theme) -> String,
    table: (Vec<String>, Vec<Vec<String>>),
) -> Picture {
    Picture {
        name,
        title: title.to_owned(),
        light: draw(Theme::Light),
        dark: draw(Theme::Dark),
        header: table.0,
        rows: table.1,
    }
}

pub fn level_bars(levels: &[AreaLevels]) -> Picture {
    let chart = level_bars_chart(levels);
    picture(
        "levels",
        &chart.title,
        |t| c::level_bars_svg(&chart, t),
        chart.rows(),
    )
}

pub fn ranked(levels: &[AreaLevels]) -> Picture {
    let chart = ranked_chart(levels);
    picture(
        "ranked",
        &chart.title,
        |t| c::ranked_bars_svg(&chart, t),
        chart.rows(),
    )
}

pub fn heat_strip(chart: &c::HeatStrip) -> Picture {
    picture(
        "teams",
        &chart.title,
        |t| c::heat_strip_svg(chart, t),
        chart.rows(),
    )
}

pub fn index_line(h: &History, title: &str) -> Picture {
    let chart = index_chart(h, title);
    picture(
        "index",
        &chart.title,
        |t| c::index_line_svg(&chart, t),
        chart.rows(),
    )
}

pub fn steps(h: &History) -> Picture {
    let chart = steps_chart(h, 60);
    picture(
        "steps",
        &chart.title,
        |t| c::step_multiples_svg(&chart, t),
        chart.rows(),
    )
}

pub fn compare(cmp: &Comparison, before: &str, after: &str) -> Picture {
    let chart = compare_chart(cmp, before, after);
    picture(
        "compare",
        &chart.title,
        |t| c::compare_svg(&chart, t),
        chart.rows(),
    )
}

/// The shipped font, loaded once.
pub fn fonts() -> &'static leadmap_render::FontDb {
    static FONTS: std::sync::LazyLock<leadmap_render::FontDb> =
        std::sync::LazyLock::new(leadmap_render::shipped_fonts);
    &FONTS
}

/// A picture as a file: `svg`, `png` (twice the size, for slides) or `pdf` (one page the
/// picture's size). The light theme: paper is white.
pub async fn export(svg: String, ext: &str, stem: &str) -> Result<Response, AppError> {
    let (mime, disposition) = match ext {
        "svg" => ("image/svg+xml", "inline"),
        "png" => ("image/png", "inline"),
        "pdf" => ("application/pdf", "attachment"),
        _ => return Err(AppError::NotFound),
    };
    let ext_owned = ext.to_owned();
    let body = tokio::task::spawn_blocking(move || match ext_owned.as_str() {
        "png" => leadmap_render::png(&svg, fonts(), 2.0, None),
        "pdf" => leadmap_render::pdf(&svg, fonts(), leadmap_render::Page::Natural),
        _ => Ok(svg.into_bytes()),
    })
    .await
    .map_err(|e| AppError::internal("a picture's thread", e))?
    .map_err(|e| AppError::internal("drawing a picture", e))?;
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{stem}.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}
