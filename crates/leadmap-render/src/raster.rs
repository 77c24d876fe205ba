//! PNG (resvg) and PDF (svg2pdf) from the SVG, with the shipped font loaded explicitly
//! (resvg drops text silently when it finds no font). Both read the same parsed tree.

use std::sync::Arc;

use resvg::{tiny_skia, usvg};

use crate::text;

#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("the SVG could not be read back: {0}")]
    Svg(String),
    #[error("the picture would be {0} × {1} pixels, too large to draw")]
    TooLarge(u32, u32),
    #[error("PNG encoding failed: {0}")]
    Png(String),
    #[error("PDF conversion failed: {0}")]
    Pdf(String),
}

/// A paper size for PDF output, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Page {
    /// One page, as large as the diagram.
    Natural,
    A4,
    Letter,
}

impl Page {
    pub fn parse(s: &str) -> Option<Page> {
        match s.to_ascii_lowercase().as_str() {
            "natural" | "auto" => Some(Page::Natural),
            "a4" => Some(Page::A4),
            "letter" => Some(Page::Letter),
            _ => None,
        }
    }
    fn size(self) -> Option<(f32, f32)> {
        match self {
            Page::Natural => None,
            Page::A4 => Some((595.28, 841.89)),
            Page::Letter => Some((612.0, 792.0)),
        }
    }
}

pub use usvg::fontdb::Database as FontDb;

/// The fonts to draw with: the shipped ones. A caller may add more (the CLI adds the
/// system's, for emoji) before rendering; this crate itself reads no files.
pub fn shipped_fonts() -> FontDb {
    let mut db = FontDb::new();
    db.load_font_data(text::FONT_REGULAR.to_vec());
    db.load_font_data(text::FONT_BOLD.to_vec());
    db.set_sans_serif_family(text::FAMILY);
    db
}

/// Does any loaded font draw emoji?
fn has_emoji_font(db: &FontDb) -> bool {
    db.faces().any(|f| {
        f.families
            .iter()
            .any(|(name, _)| name.to_ascii_lowercase().contains("emoji"))
    })
}

fn tree(svg: &str, fonts: &FontDb) -> Result<usvg::Tree, RasterError> {
    // Without an emoji font, emoji would come out as empty boxes: leave them out.
    let svg = if has_emoji_font(fonts) {
        std::borrow::Cow::Borrowed(svg)
    } else {
        std::borrow::Cow::Owned(strip_emoji(svg))
    };
    let opts = usvg::Options {
        font_family: text::FAMILY.to_owned(),
        fontdb: Arc::new(fonts.clone()),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(&svg, &opts).map_err(|e| RasterError::Svg(e.to_string()))
}

/// The fonts without the emoji ones: svg2pdf cannot subset colour-bitmap emoji fonts (Noto
/// Color Emoji), so PDFs are drawn without emoji, as PNGs are when no emoji font is loaded.
fn without_emoji(fonts: &FontDb) -> FontDb {
    let mut db = fonts.clone();
    let emoji: Vec<_> = db
        .faces()
        .filter(|f| {
            f.families
                .iter()
                .any(|(name, _)| name.to_ascii_lowercase().contains("emoji"))
        })
        .map(|f| f.id)
        .collect();
    for id in emoji {
        db.remove_face(id);
    }
    db
}

/// Removes the `<tspan class="em">…</tspan>` elements that hold emoji.
fn strip_emoji(svg: &str) -> String {
    const OPEN: &str = "<tspan class=\"em\">";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len()..];
        match after.find("</tspan>") {
            Some(j) => rest = after[j + "</tspan>".len()..].trim_start_matches(' '),
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Largest picture we draw (pixels on a side).
const MAX_SIDE: u32 = 32_000;

/// PNG bytes. `width` (pixels) wins over `scale` when given.
pub fn png(
    svg: &str,
    fonts: &FontDb,
    scale: f32,
    width: Option<u32>,
) -> Result<Vec<u8>, RasterError> {
    let tree = tree(svg, fonts)?;
    let size = tree.size();
    let scale = match width {
        Some(w) => w as f32 / size.width(),
        None => scale,
    };
    let (pw, ph) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    if pw > MAX_SIDE || ph > MAX_SIDE || pw == 0 || ph == 0 {
        return Err(RasterError::TooLarge(pw, ph));
    }
    let mut pixmap = tiny_skia::Pixmap::new(pw, ph).ok_or(RasterError::TooLarge(pw, ph))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| RasterError::Png(e.to_string()))
}

/// PDF bytes with selectable text (emoji left out, see [`without_emoji`]). With a paper size,
/// the diagram is scaled to fit one page.
pub fn pdf(svg: &str, fonts: &FontDb, page: Page) -> Result<Vec<u8>, RasterError> {
    let svg = match page.size() {
        None => svg.to_owned(),
        Some((pw, ph)) => fit_to_page(svg, pw, ph),
    };
    let tree = tree(&svg, &without_emoji(fonts))?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions::default(),
    )
    .map_err(|e| RasterError::Pdf(e.to_string()))
}

/// PDF across as many pages of `page` as the diagram needs at print size (one layout unit
/// is one CSS pixel, 0.75 pt, so 14 px text prints at 10.5 pt), left to right, then top to
/// bottom; each page shows its part of one shared drawing (the drawing is stored once).
/// `Page::Natural` gives the one-page PDF of [`pdf`].
pub fn pdf_tiled(svg: &str, fonts: &FontDb, page: Page) -> Result<Vec<u8>, RasterError> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref};
    let Some((pw, ph)) = page.size() else {
        return pdf(svg, fonts, page);
    };
    let tree = tree(svg, &without_emoji(fonts))?;
    let (w, h) = (tree.size().width(), tree.size().height());
    let (chunk, drawing) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
        .map_err(|e| RasterError::Pdf(e.to_string()))?;
    let scale = 0.75;
    let margin = 28.0;
    let (cw, ch) = (pw - 2.0 * margin, ph - 2.0 * margin);
    let (dw, dh) = (w * scale, h * scale);
    let cols = ((dw / cw).ceil() as usize).max(1);
    let rows = ((dh / ch).ceil() as usize).max(1);

    // Our objects first, then the drawing's, renumbered after them.
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree_id = alloc();
    let pages: Vec<(Ref, Ref)> = (0..cols * rows).map(|_| (alloc(), alloc())).collect();
    let mut map = std::collections::HashMap::new();
    let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(&mut alloc));
    let drawing = map
        .get(&drawing)
        .copied()
        .ok_or_else(|| RasterError::Pdf("the drawing was lost in renumbering".into()))?;

    let mut out = Pdf::new();
    out.catalog(catalog).pages(tree_id);
    out.pages(tree_id)
        .kids(pages.iter().map(|(p, _)| *p))
        .count(pages.len() as i32);
    let name = Name(b"Map");
    for (i, (page_id, content_id)) in pages.iter().enumerate() {
        let (c, r) = ((i % cols) as f32, (i / cols) as f32);
        let mut p = out.page(*page_id);
        p.media_box(Rect::new(0.0, 0.0, pw, ph));
        p.parent(tree_id);
        p.contents(*content_id);
        p.resources().x_objects().pair(name, drawing);
        p.finish();
        // The drawing's unit square, scaled to the drawing's print size and moved so that
        // this page's part lands in the page's margins; a clip keeps the rest off.
        let tx = margin - c * cw;
        let ty = ph - margin - dh + r * ch;
        let mut content = Content::new();
        content.save_state();
        content
            .rect(margin, margin, cw, ch)
            .clip_nonzero()
            .end_path();
        content.transform([dw, 0.0, 0.0, dh, tx, ty]);
        content.x_object(name);
        content.restore_state();
        out.stream(*content_id, &content.finish());
    }
    out.extend(&chunk);
    Ok(out.finish())
}

/// Wraps the diagram in a page-sized SVG, scaled to fit with a margin, centred at the top.
fn fit_to_page(svg: &str, pw: f32, ph: f32) -> String {
    let end = svg.find('>').unwrap_or(0);
    let (start_tag, rest) = svg.split_at(end);
    // Drop the root's own size (our SVG writes ` width="…" height="…"` once, in the root
    // tag); the viewBox stays, so the drawing scales into the new box.
    let mut tag = start_tag.to_owned();
    for attr in [" width=\"", " height=\""] {
        if let Some(i) = tag.find(attr)
            && let Some(j) = tag[i + attr.len()..].find('"')
        {
            tag.replace_range(i..i + attr.len() + j + 1, "");
        }
    }
    let margin = 18.0;
    tag.push_str(&format!(
        " x=\"{margin}\" y=\"{margin}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"xMidYMin meet\"",
        pw - 2.0 * margin,
        ph - 2.0 * margin
    ));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pw}\" height=\"{ph}\" viewBox=\"0 0 {pw} {ph}\"><rect width=\"{pw}\" height=\"{ph}\" fill=\"#ffffff\"/>{tag}{rest}</svg>"
    )
}
