//! Leadmap's diagram: the roadmap layout, SVG and HTML output, PNG and PDF through resvg and
//! svg2pdf with the font the project ships.
//!
//! Invariants (see `ARCHITECTURE.md`): no I/O (fonts are compiled in), no async, no clock;
//! the same roadmap and options always give the same bytes.

pub mod charts;
pub mod heatmap;
pub mod html;
pub mod layout;
pub mod raster;
pub mod report;
pub mod svg;
pub mod text;
pub mod thumbnail;

pub use charts::{
    AreaMean, AreaRatings, CompareDumbbell, HeatStrip, IndexLine, IndexPoint, LevelBars,
    PracticeChange, PracticeSeries, RankedBars, StepMultiples, StripPractice, StripTeam,
    compare_svg, heat_strip_svg, index_line_svg, level_bars_svg, ranked_bars_svg,
    step_multiples_svg,
};
pub use layout::{Layout, layout};
pub use raster::{FontDb, Page, RasterError, pdf, png, shipped_fonts};
pub use report::{Block, Document};
pub use svg::{NodeSpan, SvgOptions, SvgTemplate, Theme};
pub use thumbnail::Thumbnail;

/// Layout and SVG in one call.
pub fn render_svg(r: &leadmap_core::Roadmap, opts: &SvgOptions) -> String {
    let l = layout(r);
    svg::render(r, &l, opts)
}
