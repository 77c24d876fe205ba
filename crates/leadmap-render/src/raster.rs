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

/// Does any loaded font draw emoji? Without one, PNG and PDF leave the emoji out (rather than
/// draw empty boxes): callers say so to the person who asked for the file.
pub fn has_emoji_font(db: &FontDb) -> bool {
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

/// How a PDF lays the diagram on its paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The diagram's width fitted to the paper (never above print size, where 14 px text
    /// prints at 10.5 pt), continued down as many pages as it needs: printable as it comes.
    Width,
    /// The whole diagram scaled down onto one sheet.
    OnePage,
    /// Print size, across and down as many pages as the diagram needs.
    PrintSize,
}

/// PDF bytes with selectable text. `Page::Natural` gives one page the size of the diagram;
/// a paper size fits the diagram's width to it, down as many pages as needed ([`Fit::Width`]).
pub fn pdf(svg: &str, fonts: &FontDb, page: Page) -> Result<Vec<u8>, RasterError> {
    pdf_with(svg, fonts, page, Fit::Width)
}

/// PDF across as many pages of `page` as the diagram needs at print size (one layout unit
/// is one CSS pixel, 0.75 pt, so 14 px text prints at 10.5 pt), left to right, then top to
/// bottom; each page shows its part of one shared drawing (the drawing is stored once).
/// `Page::Natural` gives the one-page PDF of [`pdf`].
pub fn pdf_tiled(svg: &str, fonts: &FontDb, page: Page) -> Result<Vec<u8>, RasterError> {
    pdf_with(svg, fonts, page, Fit::PrintSize)
}

/// PDF bytes: the diagram laid on `page` as `fit` says. The text is text (the shipped font,
/// embedded and subset). Emoji come from a colour-bitmap font, which a PDF cannot embed as a
/// font: they are drawn as pictures in a second layer at the very same places (when an emoji
/// font is loaded; without one they are left out, as in a PNG). The document carries the
/// roadmap's title and language.
pub fn pdf_with(svg: &str, fonts: &FontDb, page: Page, fit: Fit) -> Result<Vec<u8>, RasterError> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
    let (main, emoji) = match emoji_advance(fonts) {
        Some(advance) => match split_emoji(svg, advance) {
            Some((main, layer)) => (main, Some(tree_of(&layer, fonts)?)),
            None => (svg.to_owned(), None),
        },
        None => (svg.to_owned(), None),
    };
    let tree = tree(&main, &without_emoji(fonts))?;
    let (w, h) = (tree.size().width(), tree.size().height());
    // Page size, the drawing's size on paper, the part of it each page shows, the margin.
    let (pw, ph, scale, margin) = match (page.size(), fit) {
        (None, _) => (w, h, 1.0, 0.0),
        (Some((pw, ph)), Fit::Width) => {
            let m = 28.0;
            (pw, ph, (0.75_f32).min((pw - 2.0 * m) / w), m)
        }
        (Some((pw, ph)), Fit::PrintSize) => (pw, ph, 0.75, 28.0),
        (Some((pw, ph)), Fit::OnePage) => {
            let m = 18.0;
            (pw, ph, ((pw - 2.0 * m) / w).min((ph - 2.0 * m) / h), m)
        }
    };
    let (cw, ch) = (pw - 2.0 * margin, ph - 2.0 * margin);
    let (dw, dh) = (w * scale, h * scale);
    let (cols, rows) = if page.size().is_none() || fit == Fit::OnePage {
        (1, 1)
    } else {
        (
            ((dw / cw - 0.001).ceil() as usize).max(1),
            ((dh / ch - 0.001).ceil() as usize).max(1),
        )
    };
    // A narrower drawing than the paper is centred across it.
    let left = margin + ((cw - dw) / 2.0).max(0.0) * f32::from(u8::from(cols == 1));

    let opts = svg2pdf::ConversionOptions::default();
    let (chunk, drawing) =
        svg2pdf::to_chunk(&tree, opts).map_err(|e| RasterError::Pdf(e.to_string()))?;
    let emoji = match &emoji {
        Some(t) => Some(
            svg2pdf::to_chunk(
                t,
                svg2pdf::ConversionOptions {
                    embed_text: false,
                    ..svg2pdf::ConversionOptions::default()
                },
            )
            .map_err(|e| RasterError::Pdf(e.to_string()))?,
        ),
        None => None,
    };

    // Our objects first, then each drawing's, renumbered after them.
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree_id = alloc();
    let info = alloc();
    let pages: Vec<(Ref, Ref)> = (0..cols * rows).map(|_| (alloc(), alloc())).collect();
    let mut layers = Vec::new();
    for (chunk, root) in std::iter::once((chunk, drawing)).chain(emoji) {
        let mut map = std::collections::HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(&mut alloc));
        let root = map
            .get(&root)
            .copied()
            .ok_or_else(|| RasterError::Pdf("a drawing was lost in renumbering".into()))?;
        layers.push((chunk, root));
    }
    let names = [Name(b"Map"), Name(b"Emoji")];

    let mut out = Pdf::new();
    {
        let mut cat = out.catalog(catalog);
        cat.pages(tree_id);
        cat.lang(TextStr("en"));
    }
    let title = document_title(svg);
    out.document_info(info)
        .title(TextStr(&title))
        .creator(TextStr("Leadmap"));
    out.pages(tree_id)
        .kids(pages.iter().map(|(p, _)| *p))
        .count(pages.len() as i32);
    for (i, (page_id, content_id)) in pages.iter().enumerate() {
        let (c, r) = ((i % cols) as f32, (i / cols) as f32);
        let mut p = out.page(*page_id);
        p.media_box(Rect::new(0.0, 0.0, pw, ph));
        p.parent(tree_id);
        p.contents(*content_id);
        {
            let mut res = p.resources();
            let mut xo = res.x_objects();
            for (name, (_, root)) in names.iter().zip(&layers) {
                xo.pair(*name, *root);
            }
        }
        p.finish();
        // Each drawing's unit square, scaled to the drawing's size on paper and moved so that
        // this page's part lands in the page's margins; a clip keeps the rest off.
        let tx = left - c * cw;
        let ty = ph - margin - dh + r * ch;
        let mut content = Content::new();
        content.save_state();
        content
            .rect(margin, margin, cw, ch)
            .clip_nonzero()
            .end_path();
        content.transform([dw, 0.0, 0.0, dh, tx, ty]);
        for name in names.iter().take(layers.len()) {
            content.x_object(*name);
        }
        content.restore_state();
        out.stream(*content_id, &content.finish());
    }
    for (chunk, _) in &layers {
        out.extend(chunk);
    }
    Ok(out.finish())
}

/// The tree of `svg` with every font of `fonts` (emoji included).
fn tree_of(svg: &str, fonts: &FontDb) -> Result<usvg::Tree, RasterError> {
    let opts = usvg::Options {
        font_family: text::FAMILY.to_owned(),
        fontdb: Arc::new(fonts.clone()),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &opts).map_err(|e| RasterError::Svg(e.to_string()))
}

/// The roadmap's title, from the root's label (`Roadmap: …`), for the PDF's metadata.
fn document_title(svg: &str) -> String {
    let root = &svg[..svg.find('>').unwrap_or(0)];
    root.split_once("aria-label=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(label, _)| {
            label
                .trim_start_matches("Roadmap: ")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
        })
        .unwrap_or_else(|| "Roadmap".to_owned())
}

/// The advance of an emoji in the loaded emoji font, in ems (every emoji of a colour emoji
/// font is as wide as the others); `None` without an emoji font.
fn emoji_advance(fonts: &FontDb) -> Option<f32> {
    let face = fonts.faces().find(|f| {
        f.families
            .iter()
            .any(|(name, _)| name.to_ascii_lowercase().contains("emoji"))
    })?;
    fonts
        .with_face_data(face.id, |data, index| {
            let f = ttf_parser::Face::parse(data, index).ok()?;
            let glyph = f.glyph_index('\u{1F600}')?;
            Some(f32::from(f.glyph_hor_advance(glyph)?) / f32::from(f.units_per_em()))
        })
        .flatten()
}

/// The drawing in two layers for a PDF, each laid over the other at the same place: the SVG
/// without its emoji (the words after an emoji placed where they stand beside it, which an
/// emoji `advance` ems wide), and the SVG with its emoji only (every shape hidden, every text cut
/// to its emoji, placed where it starts its line). `None` when the SVG has no emoji.
fn split_emoji(svg: &str, advance: f32) -> Option<(String, String)> {
    const EM: &str = "<tspan class=\"em\">";
    const END: &str = "</tspan>";
    if !svg.contains(EM) {
        return None;
    }
    let root_end = svg.find('>')? + 1;
    let mut main = String::with_capacity(svg.len());
    let mut layer = String::with_capacity(svg.len() / 4);
    main.push_str(&svg[..root_end]);
    layer.push_str(&svg[..root_end]);
    layer.push_str("<style>rect,path,use,circle,line{display:none}</style>");
    let mut rest = &svg[root_end..];
    let mut done = 0;
    while let Some(i) = rest.find("<text") {
        let Some(len) = rest[i..].find("</text>") else {
            break;
        };
        let text = &rest[i..i + len];
        // The shapes and texts before this one; the layer keeps the groups' tags only (they
        // place the texts), which the hidden shapes leave as they are.
        main.push_str(&rest[..i]);
        layer.push_str(&rest[..i]);
        let parsed = (|| {
            let open = text.find('>')?;
            let em = text.find(EM)?;
            let close = em + EM.len() + text[em + EM.len()..].find(END)?;
            let x: f32 = attr(&text[..open], "x")?.parse().ok()?;
            let y = attr(&text[..open], "y")?;
            Some((open, em, close, x, y))
        })();
        let kind = kind_before(&svg[..svg.len() - rest.len() + i]);
        match parsed {
            Some((_, em, close, x, y)) => {
                let size = crate::layout::font_size(kind);
                let bold = crate::layout::is_bold(kind);
                let centred = matches!(
                    kind,
                    Some(leadmap_core::Kind::Part | leadmap_core::Kind::Area)
                );
                let after = &text[close + END.len()..];
                let line_end = after.find("<tspan").unwrap_or(after.len());
                let words = after[..line_end].trim_start();
                let emoji_w = advance * size;
                let gap = crate::text::width(" ", size, bold);
                let words_w = crate::text::width(&unescape(words.trim_end()), size, bold);
                let start = if centred {
                    x - (emoji_w + gap + words_w) / 2.0
                } else {
                    x
                };
                // The layer: the emoji alone, where its line starts.
                let _ = std::fmt::Write::write_fmt(
                    &mut layer,
                    format_args!(
                        "<text x=\"{start}\" y=\"{y}\" style=\"text-anchor:start\">{}</text>",
                        &text[em..close + END.len()]
                    ),
                );
                // The drawing: the words after the emoji, beside where it is drawn.
                main.push_str(&text[..em]);
                let _ = std::fmt::Write::write_fmt(
                    &mut main,
                    format_args!(
                        "<tspan x=\"{}\" style=\"text-anchor:start\">{}</tspan>{}",
                        start + emoji_w + gap,
                        words,
                        &after[line_end..]
                    ),
                );
                main.push_str("</text>");
                done += 1;
            }
            None => {
                main.push_str(text);
                main.push_str("</text>");
            }
        }
        rest = &rest[i + len + "</text>".len()..];
    }
    main.push_str(rest);
    layer.push_str(rest);
    (done > 0).then_some((main, layer))
}

/// The value of attribute `name` in a start tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(&tag[i..i + tag[i..].find('"')?])
}

/// The kind of the last node opened before `svg`'s end (the node a text belongs to).
fn kind_before(svg: &str) -> Option<leadmap_core::Kind> {
    let i = svg.rfind("data-kind=\"")? + "data-kind=\"".len();
    let word = &svg[i..i + svg[i..].find('"')?];
    Some(match word {
        "part" => leadmap_core::Kind::Part,
        "area" => leadmap_core::Kind::Area,
        "group" => leadmap_core::Kind::Group,
        "subtopic" => leadmap_core::Kind::Subtopic,
        _ => leadmap_core::Kind::Topic,
    })
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_go_to_their_own_layer_and_the_words_keep_their_place() {
        let svg = "<svg a=\"1\"><style>x</style><g data-kind=\"topic\"><rect/><text x=\"32\" y=\"21\"><tspan class=\"em\">💯</tspan> Define <tspan x=\"32\" dy=\"18\">Values</tspan></text></g><g data-kind=\"topic\"><text x=\"1\" y=\"2\">Plain</text></g></svg>";
        let (main, layer) = split_emoji(svg, 1.0).unwrap();
        let gap = crate::text::width(" ", 14.0, false);
        assert_eq!(
            layer,
            "<svg a=\"1\"><style>rect,path,use,circle,line{display:none}</style><style>x</style><g data-kind=\"topic\"><rect/><text x=\"32\" y=\"21\" style=\"text-anchor:start\"><tspan class=\"em\">💯</tspan></text></g><g data-kind=\"topic\"></g></svg>"
        );
        assert_eq!(
            main,
            format!(
                "<svg a=\"1\"><style>x</style><g data-kind=\"topic\"><rect/><text x=\"32\" y=\"21\"><tspan x=\"{}\" style=\"text-anchor:start\">Define </tspan><tspan x=\"32\" dy=\"18\">Values</tspan></text></g><g data-kind=\"topic\"><text x=\"1\" y=\"2\">Plain</text></g></svg>",
                32.0 + 14.0 + gap
            )
        );
        assert_eq!(split_emoji("<svg><text>a</text></svg>", 1.0), None);
        assert_eq!(
            document_title("<svg aria-label=\"Roadmap: A &amp; B\"><g/></svg>"),
            "A & B"
        );
    }
}
