//! Leadmap's diagram: the roadmap layout, SVG and HTML output, PNG and PDF through resvg and
//! svg2pdf with the font the project ships.
//!
//! Invariants (see `ARCHITECTURE.md`): no I/O (fonts are compiled in), no async, no clock;
//! the same roadmap and options always give the same bytes.

pub mod heatmap;
pub mod html;
pub mod layout;
pub mod raster;
pub mod svg;
pub mod text;
pub mod thumbnail;

pub use layout::{Layout, layout};
pub use raster::{FontDb, Page, RasterError, pdf, png, shipped_fonts};
pub use svg::{NodeSpan, SvgOptions, SvgTemplate, Theme};
pub use thumbnail::Thumbnail;

/// Layout and SVG in one call.
pub fn render_svg(r: &leadmap_core::Roadmap, opts: &SvgOptions) -> String {
    let l = layout(r);
    svg::render(r, &l, opts)
}
