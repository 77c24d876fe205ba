//! A paginated report (a practice assessment a director prints and takes to a meeting): a
//! [`Document`] of headings, paragraphs, lists, tables, figures and links, laid out onto A4
//! portrait pages as standalone SVGs ([`pages`]) and as one PDF with a page per SVG ([`pdf`]).
//!
//! Pagination, in document order, block by block:
//! - every page carries a header (the document's title) and a footer ("page N of M"); the
//!   first page opens with the title and subtitle;
//! - a heading is kept with what follows it: it moves to the next page unless the heading (and
//!   any heading right after it) and the first part of the next block (two lines of a paragraph
//!   or list item, a table's header and first row, a whole figure) fit together;
//! - paragraphs, list items and links flow line by line (never a lone first line at the bottom
//!   of a page); a word wider than the text column (a long URL) is cut between characters;
//! - a table row moves whole to the next page, where the table's header is drawn again; only a
//!   row taller than a page is split between its lines;
//! - a figure is never cut: scaled down to the text width (and to a page's height), it starts
//!   the next page when the rest of this one is too short (after a heading that opens a page it
//!   is shrunk into the room left instead, so that the heading is not left alone);
//! - [`Block::PageBreak`] starts a new page unless the current one is still empty.
//!
//! Limits, so that no input can make the output unbounded: at most [`MAX_PAGES`] pages (the
//! last then says in its footer that the report stops there), at most [`MAX_COLUMNS`] table
//! columns (a line under the table says how many more were left out), headings of at most four
//! lines (longer ones end in "…").
//!
//! The text is measured with the shipped font ([`crate::text`]) and every page asks for it by
//! name, so the SVG, the PNG and the PDF break lines at the same places; in the PDF the text
//! stays text, in the shipped font (embedded, subset).

use std::fmt::Write as _;
use std::sync::Arc;

use resvg::usvg;

use crate::raster::{FontDb, RasterError};
use crate::text;

/// A4 portrait, in points (one SVG user unit is one point).
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
/// The left and right margins; the header and footer sit in the top and bottom margins.
pub const MARGIN: f32 = 50.0;
/// The most pages a report has: the rest of a longer one is left out (and the last page says
/// so in its footer).
pub const MAX_PAGES: usize = 500;
/// The most columns a table shows; the others are left out (and a line under it says so).
pub const MAX_COLUMNS: usize = 20;

/// Where the body of a page starts and ends (the y of its top and bottom edge).
pub const BODY_TOP: f32 = 62.0;
pub const BODY_BOTTOM: f32 = PAGE_HEIGHT - 58.0;
const TEXT_W: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const BODY_H: f32 = BODY_BOTTOM - BODY_TOP;

/// Type sizes and line heights (leading), in points.
const BODY_SIZE: f32 = 10.0;
const BODY_LEAD: f32 = 14.0;
const CELL_SIZE: f32 = 9.0;
const CELL_LEAD: f32 = 11.5;
const CELL_PAD_Y: f32 = 4.0;
const CELL_PAD_X: f32 = 4.0;
const SMALL_SIZE: f32 = 9.0;
const SMALL_LEAD: f32 = 12.0;
const URL_SIZE: f32 = 8.5;
const URL_LEAD: f32 = 12.0;
const BULLET_INDENT: f32 = 16.0;
/// The most lines a heading or the title takes.
const HEADING_LINES: usize = 4;

const INK: &str = "#1f2328";
const RULE: &str = "#d0d7de";
const HEADER_FILL: &str = "#eef1f4";

/// A report: its title (in each page's header and the PDF's metadata), a subtitle under the
/// title on the first page, and its content.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    pub blocks: Vec<Block>,
}

/// One piece of a report's content. All text is plain text (no markup): it is escaped and
/// wrapped to the text column.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 1, 2 or 3 (other levels are taken as the nearest of these).
    Heading { level: u8, text: String },
    /// A paragraph; a line break in the text starts a new line.
    Paragraph(String),
    /// A bulleted list, one item a string.
    Bullets(Vec<String>),
    /// A table. `widths` are the columns' relative widths (any unit: they are scaled to the
    /// text width); without them (or with a wrong number of them) the widths follow the
    /// content. A row may have fewer cells than there are columns.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Option<Vec<f32>>,
    },
    /// An SVG drawn elsewhere (a chart), `width` × `height` in its own units, scaled down to
    /// the text width and never cut by a page break, with a caption under it.
    Figure {
        svg: String,
        width: f32,
        height: f32,
        caption: String,
    },
    /// A link, shown as its text with the URL under it (so that it can be read on paper);
    /// clickable in the PDF and the SVG when the URL is `http`, `https` or `mailto`.
    Link { text: String, url: String },
    /// The next block starts a new page.
    PageBreak,
}

/// The SVG pages of `doc`: A4 portrait, each a standalone SVG document.
pub fn pages(doc: &Document) -> Vec<String> {
    lay_out(doc).into_iter().map(|p| p.svg).collect()
}

/// One PDF of `doc` with a page per SVG of [`pages`]: the text is text in the shipped font
/// (embedded, subset), links are clickable, the title (and the subtitle, as the subject) is in
/// the document's metadata. `fonts` are the fonts to draw with, normally
/// [`crate::raster::shipped_fonts`]; colour emoji fonts among them are not used (a PDF cannot
/// embed them as fonts).
pub fn pdf(doc: &Document, fonts: &FontDb) -> Result<Vec<u8>, RasterError> {
    use pdf_writer::types::{ActionType, AnnotationType};
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

    let laid = lay_out(doc);
    let opts = usvg::Options {
        font_family: text::FAMILY.to_owned(),
        fontdb: Arc::new(pdf_fonts(fonts)),
        ..usvg::Options::default()
    };

    let mut next = 1;
    let mut alloc = move || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let page_tree = alloc();
    let info = alloc();

    let mut out = Pdf::new();
    {
        let mut cat = out.catalog(catalog);
        cat.pages(page_tree);
        cat.viewer_preferences().display_doc_title(true);
    }
    {
        let title = one_line(&doc.title);
        let title = if title.trim().is_empty() {
            "Report".to_owned()
        } else {
            title
        };
        let mut meta = out.document_info(info);
        meta.title(TextStr(&title)).creator(TextStr("Leadmap"));
        let subject = one_line(&doc.subtitle);
        if !subject.trim().is_empty() {
            meta.subject(TextStr(&subject));
        }
    }

    let mut kids = Vec::with_capacity(laid.len());
    for page in &laid {
        let tree =
            usvg::Tree::from_str(&page.svg, &opts).map_err(|e| RasterError::Svg(e.to_string()))?;
        let (chunk, root) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| RasterError::Pdf(e.to_string()))?;
        drop(tree);
        let page_id = alloc();
        let content_id = alloc();
        let annots: Vec<Ref> = page.links.iter().map(|_| alloc()).collect();
        let mut map = std::collections::HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(&mut alloc));
        let root = map
            .get(&root)
            .copied()
            .ok_or_else(|| RasterError::Pdf("a page was lost in renumbering".into()))?;

        {
            let mut p = out.page(page_id);
            p.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
            p.parent(page_tree);
            p.contents(content_id);
            p.resources().x_objects().pair(Name(b"P"), root);
            if !annots.is_empty() {
                p.annotations(annots.iter().copied());
            }
        }
        // The drawing is a unit square: stretched over the whole page.
        let mut content = Content::new();
        content.save_state();
        content.transform([PAGE_WIDTH, 0.0, 0.0, PAGE_HEIGHT, 0.0, 0.0]);
        content.x_object(Name(b"P"));
        content.restore_state();
        out.stream(content_id, &content.finish());

        for (id, link) in annots.iter().zip(&page.links) {
            let mut a = out.annotation(*id);
            a.subtype(AnnotationType::Link);
            a.rect(Rect::new(
                link.x,
                PAGE_HEIGHT - (link.y + link.h),
                link.x + link.w,
                PAGE_HEIGHT - link.y,
            ));
            a.border(0.0, 0.0, 0.0, None);
            a.action()
                .action_type(ActionType::Uri)
                .uri(Str(uri_ascii(&link.url).as_bytes()));
            a.finish();
        }
        out.extend(&chunk);
        kids.push(page_id);
    }
    out.pages(page_tree)
        .kids(kids.iter().copied())
        .count(kids.len() as i32);
    Ok(out.finish())
}

/// A laid-out page: its SVG and where its links are (for the PDF's link annotations).
#[derive(Debug)]
struct LaidPage {
    svg: String,
    links: Vec<LinkArea>,
}

/// A clickable rectangle, in page coordinates (y down from the top).
#[derive(Debug, Clone)]
struct LinkArea {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    url: String,
}

/// A page being filled.
#[derive(Debug, Default)]
struct Sheet {
    body: String,
    links: Vec<LinkArea>,
    /// Something is on the page.
    used: bool,
    /// All that is on the page are headings.
    only_headings: bool,
}

/// One line of flowing text (a paragraph's, a list item's, a link's).
#[derive(Debug)]
struct Line {
    text: String,
    class: &'static str,
    x: f32,
    size: f32,
    lead: f32,
    bold: bool,
    /// Space above the line, unless it opens a page.
    gap: f32,
    /// The height that must fit for this line to start a page's last lines: the first line
    /// of a paragraph or item asks for room for two.
    keep: f32,
    /// Draw a bullet before the line.
    bullet: bool,
    /// The (safe) URL the line links to.
    url: Option<String>,
}

/// A block made ready to place: its text wrapped to the column.
#[derive(Debug)]
enum Prep<'a> {
    Heading {
        level: u8,
        lines: Vec<String>,
    },
    Lines(Vec<Line>),
    Table(Table<'a>),
    Figure {
        data: String,
        width: f32,
        height: f32,
        caption: Vec<String>,
    },
    Break,
}

impl Prep<'_> {
    /// The space above the block, unless it opens a page or follows a heading.
    fn gap(&self) -> f32 {
        match self {
            Prep::Heading { level: 1, .. } => 18.0,
            Prep::Heading { level: 2, .. } => 14.0,
            Prep::Heading { .. } => 10.0,
            Prep::Lines(_) => 8.0,
            Prep::Table(_) | Prep::Figure { .. } => 12.0,
            Prep::Break => 0.0,
        }
    }

    /// The height of the first part of the block that must not be parted from a heading
    /// above it.
    fn first_need(&self) -> f32 {
        match self {
            Prep::Heading { level, lines } => heading_height(*level, lines.len()),
            Prep::Lines(lines) => lines.first().map_or(0.0, |l| l.keep),
            Prep::Table(t) => t.first_need(),
            Prep::Figure {
                height, caption, ..
            } => height + caption_height(caption.len()),
            Prep::Break => 0.0,
        }
    }
}

fn heading_style(level: u8) -> (f32, f32, &'static str) {
    match level {
        1 => (16.0, 20.0, "h1"),
        2 => (13.0, 17.0, "h2"),
        _ => (11.0, 15.0, "h3"),
    }
}

/// Space under a heading.
const HEADING_AFTER: f32 = 5.0;

fn heading_height(level: u8, lines: usize) -> f32 {
    heading_style(level).1 * lines as f32 + HEADING_AFTER
}

fn caption_height(lines: usize) -> f32 {
    if lines == 0 {
        0.0
    } else {
        6.0 + SMALL_LEAD * lines as f32
    }
}

/// A table ready to place: its columns and wrapped header; rows are wrapped as they are
/// placed (a table may be long).
#[derive(Debug)]
struct Table<'a> {
    /// Left edge and width of each column.
    cols: Vec<(f32, f32)>,
    header: Vec<Vec<String>>,
    header_h: f32,
    rows: &'a [Vec<String>],
    /// Columns left out.
    dropped: usize,
}

impl Table<'_> {
    fn cell(&self, col: usize, s: &str, bold: bool) -> Vec<String> {
        let inner = (self.cols[col].1 - 2.0 * CELL_PAD_X).max(1.0);
        let mut lines = Vec::new();
        for part in clean(s).split('\n') {
            lines.extend(text::wrap(part, CELL_SIZE, bold, inner));
        }
        lines
    }
    fn row(&self, row: &[String]) -> Vec<Vec<String>> {
        (0..self.cols.len())
            .map(|c| row.get(c).map_or_else(Vec::new, |s| self.cell(c, s, false)))
            .collect()
    }
    /// The header and the first row (or its first two lines, if it is taller than a page),
    /// which start the table together.
    fn first_need(&self) -> f32 {
        let Some(first) = self.rows.first() else {
            return self.header_h;
        };
        let row = row_height(&self.row(first));
        if row <= BODY_H - self.header_h {
            self.header_h + row
        } else {
            self.header_h + 2.0 * CELL_LEAD + 2.0 * CELL_PAD_Y
        }
    }
}

fn row_lines(cells: &[Vec<String>]) -> usize {
    cells.iter().map(Vec::len).max().unwrap_or(0).max(1)
}

fn row_height(cells: &[Vec<String>]) -> f32 {
    row_lines(cells) as f32 * CELL_LEAD + 2.0 * CELL_PAD_Y
}

/// The pages, filled block by block.
#[derive(Debug)]
struct Flow {
    sheets: Vec<Sheet>,
    /// The top of the free space on the current page.
    y: f32,
    /// A page break waits for the next block.
    break_pending: bool,
    /// The last block placed was a heading (the next one needs no space above it).
    after_heading: bool,
    /// [`MAX_PAGES`] are full: the rest is left out.
    full: bool,
}

impl Flow {
    fn new() -> Flow {
        Flow {
            sheets: vec![Sheet {
                only_headings: true,
                ..Sheet::default()
            }],
            y: BODY_TOP,
            break_pending: false,
            after_heading: false,
            full: false,
        }
    }

    fn sheet(&mut self) -> &mut Sheet {
        let last = self.sheets.len() - 1;
        &mut self.sheets[last]
    }

    fn at_top(&self) -> bool {
        self.sheets.last().is_none_or(|s| !s.used)
    }

    fn room(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    /// Starts a new page; false (and `full`) when there may be no more.
    fn new_page(&mut self) -> bool {
        if self.sheets.len() >= MAX_PAGES {
            self.full = true;
            return false;
        }
        self.sheets.push(Sheet {
            only_headings: true,
            ..Sheet::default()
        });
        self.y = BODY_TOP;
        true
    }

    /// Takes a waiting page break.
    fn take_break(&mut self) -> bool {
        if self.full {
            return false;
        }
        if std::mem::take(&mut self.break_pending) && !self.at_top() {
            return self.new_page();
        }
        true
    }

    /// Makes room for a block `need` high with `gap` above it: here, or on a new page.
    /// False when no page is left.
    fn start(&mut self, gap: f32, need: f32) -> bool {
        if !self.take_break() {
            return false;
        }
        if self.at_top() {
            return true;
        }
        let gap = if self.after_heading { 0.0 } else { gap };
        if self.y + gap + need <= BODY_BOTTOM {
            self.y += gap;
            true
        } else {
            self.new_page()
        }
    }

    /// Marks the page as holding something (a heading, or something else).
    fn mark(&mut self, heading: bool) {
        self.after_heading = heading;
        let s = self.sheet();
        s.used = true;
        s.only_headings &= heading;
    }

    fn text(&mut self, x: f32, baseline: f32, class: &str, s: &str) {
        let body = &mut self.sheet().body;
        let _ = write!(
            body,
            r#"<text class="{class}" x="{}" y="{}">"#,
            N(x),
            N(baseline)
        );
        crate::svg::escape_into(body, s);
        body.push_str("</text>");
    }

    fn place_heading(&mut self, level: u8, lines: &[String]) {
        let (size, lead, class) = heading_style(level);
        for line in lines {
            let top = self.y;
            self.text(MARGIN, baseline(top, lead, size), class, line);
            self.y += lead;
        }
        self.y += HEADING_AFTER;
        self.mark(true);
    }

    fn place_lines(&mut self, lines: &[Line], gap: f32) {
        let Some(first) = lines.first() else {
            return;
        };
        if !self.start(gap, first.keep) {
            return;
        }
        for (k, line) in lines.iter().enumerate() {
            let mut g = if k == 0 || self.at_top() {
                0.0
            } else {
                line.gap
            };
            if k > 0 && !self.at_top() && self.y + g + line.keep > BODY_BOTTOM {
                if !self.new_page() {
                    return;
                }
                g = 0.0;
            }
            self.y += g;
            let top = self.y;
            let base = baseline(top, line.lead, line.size);
            if line.bullet {
                self.text(MARGIN + 3.0, base, "bul", "•");
            }
            let w = text::width(&line.text, line.size, line.bold);
            match &line.url {
                Some(url) => {
                    let body = &mut self.sheet().body;
                    body.push_str("<a href=\"");
                    crate::svg::escape_into(body, url);
                    body.push_str("\">");
                    self.text(line.x, base, line.class, &line.text);
                    self.sheet().body.push_str("</a>");
                    self.sheet().links.push(LinkArea {
                        x: line.x,
                        y: top,
                        w: w.max(1.0),
                        h: line.lead,
                        url: url.clone(),
                    });
                }
                None => self.text(line.x, base, line.class, &line.text),
            }
            self.y += line.lead;
            self.mark(false);
        }
    }

    fn place_table(&mut self, t: &Table<'_>, gap: f32) {
        if t.cols.is_empty() {
            return;
        }
        if !self.start(gap, t.first_need()) {
            return;
        }
        self.table_top(t);
        for row in t.rows {
            if self.full {
                return;
            }
            let cells = t.row(row);
            let n = row_lines(&cells);
            let whole = row_height(&cells);
            // A row that fits a page moves whole; a taller one is split between its lines.
            if self.y + whole > BODY_BOTTOM && whole <= BODY_H - t.header_h {
                if !self.new_page() {
                    return;
                }
                self.table_top(t);
            }
            let mut from = 0;
            while from < n {
                let fit = ((self.room() - 2.0 * CELL_PAD_Y) / CELL_LEAD).floor();
                let fit = if fit.is_finite() && fit > 0.0 {
                    fit as usize
                } else {
                    0
                };
                if fit < 2.min(n - from) {
                    if !self.new_page() {
                        return;
                    }
                    self.table_top(t);
                    continue;
                }
                let to = n.min(from + fit);
                self.table_row(t, &cells, from, to, false);
                from = to;
            }
        }
        if t.dropped > 0 {
            let note = format!(
                "{} more column{} not shown (a table shows at most {MAX_COLUMNS}).",
                t.dropped,
                if t.dropped == 1 { " is" } else { "s are" }
            );
            let lines = flow_lines(&note, "cap", SMALL_SIZE, SMALL_LEAD, MARGIN, TEXT_W);
            self.place_lines(&lines, 4.0);
        }
    }

    /// The table's header (or, without one, a rule) where the table starts or continues.
    fn table_top(&mut self, t: &Table<'_>) {
        if t.header.is_empty() {
            let y = self.y;
            self.rule(y, RULE);
        } else {
            let n = row_lines(&t.header);
            self.table_row(t, &t.header, 0, n, true);
        }
    }

    fn table_row(
        &mut self,
        t: &Table<'_>,
        cells: &[Vec<String>],
        from: usize,
        to: usize,
        header: bool,
    ) {
        let top = self.y;
        let h = (to - from) as f32 * CELL_LEAD + 2.0 * CELL_PAD_Y;
        if header {
            let _ = write!(
                self.sheet().body,
                r#"<rect class="thbg" x="{}" y="{}" width="{}" height="{}" fill="{HEADER_FILL}"/>"#,
                N(MARGIN),
                N(top),
                N(TEXT_W),
                N(h)
            );
        }
        let class = if header { "th" } else { "td" };
        for (c, lines) in cells.iter().enumerate() {
            let x = t.cols[c].0 + CELL_PAD_X;
            for (k, line) in lines.iter().enumerate().take(to).skip(from) {
                let line_top = top + CELL_PAD_Y + (k - from) as f32 * CELL_LEAD;
                self.text(x, baseline(line_top, CELL_LEAD, CELL_SIZE), class, line);
            }
        }
        let bottom = top + h;
        self.rule(bottom, RULE);
        self.y = bottom;
        self.mark(false);
    }

    /// A horizontal rule across the text column at `y`.
    fn rule(&mut self, y: f32, colour: &str) {
        let _ = write!(
            self.sheet().body,
            r#"<path class="rule" d="M{} {}H{}" stroke="{colour}" stroke-width="0.6" fill="none"/>"#,
            N(MARGIN),
            N(y),
            N(MARGIN + TEXT_W)
        );
    }

    fn place_figure(&mut self, data: &str, width: f32, height: f32, caption: &[String], gap: f32) {
        if !self.take_break() {
            return;
        }
        let cap_h = caption_height(caption.len());
        let (mut w, mut h) = (width, height);
        if !self.at_top() {
            let gap = if self.after_heading { 0.0 } else { gap };
            if self.y + gap + h + cap_h > BODY_BOTTOM {
                let room = self.room() - gap - cap_h;
                // After the headings that open a page, the figure is shrunk into the room left,
                // so that they are not left alone; anywhere else it starts the next page.
                if self.sheets.last().is_some_and(|s| s.only_headings) && room >= 60.0 {
                    w *= room / h;
                    h = room;
                } else if !self.new_page() {
                    return;
                }
            }
            if !self.at_top() {
                self.y += gap;
            }
        }
        let x = MARGIN + (TEXT_W - w) / 2.0;
        let top = self.y;
        if !data.is_empty() {
            let _ = write!(
                self.sheet().body,
                r#"<image class="fig" x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="xMidYMid meet" href="data:image/svg+xml;base64,{data}"/>"#,
                N(x),
                N(top),
                N(w),
                N(h)
            );
        }
        self.y += h;
        if !caption.is_empty() {
            if h > 0.0 {
                self.y += 6.0;
            }
            for line in caption {
                let top = self.y;
                self.text(MARGIN, baseline(top, SMALL_LEAD, SMALL_SIZE), "cap", line);
                self.y += SMALL_LEAD;
            }
        }
        self.mark(false);
    }

    fn place(&mut self, p: &Prep<'_>) {
        let gap = p.gap();
        match p {
            Prep::Heading { level, lines } => {
                if self.start(gap, heading_height(*level, lines.len())) {
                    self.place_heading(*level, lines);
                }
            }
            Prep::Lines(lines) => self.place_lines(lines, gap),
            Prep::Table(t) => self.place_table(t, gap),
            Prep::Figure {
                data,
                width,
                height,
                caption,
            } => self.place_figure(data, *width, *height, caption, gap),
            Prep::Break => self.break_pending = true,
        }
    }

    /// Places a run of headings with the first part of the block after them.
    fn place_headings(&mut self, chain: &[Prep<'_>], follow: Option<&Prep<'_>>) {
        let mut need: f32 = chain.iter().map(Prep::first_need).sum();
        if let Some(f) = follow.filter(|f| !matches!(f, Prep::Break)) {
            // The block follows a heading: no space above it.
            need += f.first_need();
        }
        if !self.start(chain.first().map_or(0.0, Prep::gap), need) {
            return;
        }
        for h in chain {
            if let Prep::Heading { level, lines } = h {
                self.place_heading(*level, lines);
            }
        }
    }
}

/// The baseline of a line of type `size` in a line box `lead` high whose top is `top`
/// (DejaVu Sans: ascent 0.928 em, descent 0.236 em).
fn baseline(top: f32, lead: f32, size: f32) -> f32 {
    top + lead / 2.0 + 0.346 * size
}

/// Text made safe for XML and for one line: characters XML forbids dropped, tabs and line
/// ends (but not `\n`, which some blocks use as a line break) made spaces.
fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\r' => Some(' '),
            c if (c as u32) < 0x20 => None,
            '\u{fffe}' | '\u{ffff}' => None,
            c => Some(c),
        })
        .collect()
}

/// [`clean`] on one line.
fn one_line(s: &str) -> String {
    clean(s).replace('\n', " ")
}

/// Wrapped lines, honouring line breaks in the text.
fn wrap_text(s: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for part in clean(s).split('\n') {
        lines.extend(text::wrap(part, size, bold, max));
    }
    lines
}

/// At most `n` lines; a cut last line ends in "…" and still fits `max`.
fn at_most(mut lines: Vec<String>, n: usize, size: f32, bold: bool, max: f32) -> Vec<String> {
    if lines.len() <= n {
        return lines;
    }
    lines.truncate(n);
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && text::width(&format!("{last}…"), size, bold) > max {
            last.pop();
        }
        last.push('…');
    }
    lines
}

fn flow_lines(s: &str, class: &'static str, size: f32, lead: f32, x: f32, max: f32) -> Vec<Line> {
    let wrapped = wrap_text(s, size, false, max);
    let keep = lead * wrapped.len().min(2) as f32;
    wrapped
        .into_iter()
        .enumerate()
        .map(|(k, text)| Line {
            text,
            class,
            x,
            size,
            lead,
            bold: false,
            gap: 0.0,
            keep: if k == 0 { keep } else { lead },
            bullet: false,
            url: None,
        })
        .collect()
}

/// A URL in lines no wider than `max`: a line that must end ends after the last separator
/// (`/`, `?`, `&`, `=`, `-`, `.`, `_`, `#`) in its second half, or else between two characters.
fn wrap_url(url: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut w = 0.0;
    for c in url.trim().chars() {
        let cw = text::width(c.encode_utf8(&mut [0; 4]), size, false);
        if w + cw > max && !line.is_empty() {
            let cut = line
                .char_indices()
                .filter(|(_, ch)| "/?&=-._#".contains(*ch))
                .map(|(i, ch)| i + ch.len_utf8())
                .next_back()
                .filter(|&i| i < line.len() && text::width(&line[..i], size, false) >= max / 2.0);
            let tail = match cut {
                Some(i) => line.split_off(i),
                None => String::new(),
            };
            lines.push(std::mem::replace(&mut line, tail));
            w = text::width(&line, size, false);
        }
        line.push(c);
        w += cw;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The URL when a link to it is safe to follow from a report.
fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let ok = ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    (ok && !url.chars().any(char::is_control)).then(|| url.to_owned())
}

/// A URL as PDF wants it: ASCII, anything else percent-encoded.
fn uri_ascii(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_graphic() {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn prep_block(b: &Block) -> Prep<'_> {
    match b {
        Block::Heading { level, text } => {
            let level = (*level).clamp(1, 3);
            let (size, _, _) = heading_style(level);
            let lines = wrap_text(&one_line(text), size, true, TEXT_W);
            Prep::Heading {
                level,
                lines: at_most(lines, HEADING_LINES, size, true, TEXT_W),
            }
        }
        Block::Paragraph(s) => {
            Prep::Lines(flow_lines(s, "p", BODY_SIZE, BODY_LEAD, MARGIN, TEXT_W))
        }
        Block::Bullets(items) => {
            let mut lines = Vec::new();
            for item in items {
                let mut item_lines = flow_lines(
                    item,
                    "li",
                    BODY_SIZE,
                    BODY_LEAD,
                    MARGIN + BULLET_INDENT,
                    TEXT_W - BULLET_INDENT,
                );
                if let Some(first) = item_lines.first_mut() {
                    first.bullet = true;
                    first.gap = 3.0;
                }
                lines.append(&mut item_lines);
            }
            Prep::Lines(lines)
        }
        Block::Link { text: label, url } => {
            let safe = safe_url(url);
            // The text, then the address (alone when there is no text), broken after a `/`
            // or another separator where a line must end.
            let mut lines = if label.trim().is_empty() {
                Vec::new()
            } else {
                flow_lines(label, "a", BODY_SIZE, BODY_LEAD, MARGIN, TEXT_W)
            };
            let address = wrap_url(&one_line(url), URL_SIZE, TEXT_W);
            let keep = URL_LEAD * address.len().min(2) as f32;
            lines.extend(address.into_iter().enumerate().map(|(k, text)| Line {
                text,
                class: "url",
                x: MARGIN,
                size: URL_SIZE,
                lead: URL_LEAD,
                bold: false,
                gap: 0.0,
                keep: if k == 0 { keep } else { URL_LEAD },
                bullet: false,
                url: None,
            }));
            let total: f32 = lines.iter().map(|l| l.lead).sum();
            // A short link stays in one piece.
            let short = lines.len() <= 4;
            if let (Some(first), true) = (lines.first_mut(), short) {
                first.keep = total;
            }
            for l in &mut lines {
                l.url.clone_from(&safe);
            }
            Prep::Lines(lines)
        }
        Block::Table {
            header,
            rows,
            widths,
        } => Prep::Table(prep_table(header, rows, widths.as_deref())),
        Block::Figure {
            svg,
            width,
            height,
            caption,
        } => {
            let caption = wrap_text(caption, SMALL_SIZE, false, TEXT_W);
            let caption = if caption.len() == 1 && caption[0].is_empty() {
                Vec::new()
            } else {
                at_most(caption, 6, SMALL_SIZE, false, TEXT_W)
            };
            // A figure without a drawing is its caption alone.
            let (w, h) = if svg.trim().is_empty() {
                (0.0, 0.0)
            } else {
                figure_size(svg, *width, *height, caption_height(caption.len()))
            };
            Prep::Figure {
                data: base64(svg.trim().as_bytes()),
                width: w,
                height: h,
                caption,
            }
        }
        Block::PageBreak => Prep::Break,
    }
}

/// A figure's size on the page: its own, scaled down to the text width and to a page's body
/// under its caption. Without a usable size, the SVG's own (`width` and `height`, or its
/// `viewBox`) is taken, or else a text-wide 5:3 box.
fn figure_size(svg: &str, width: f32, height: f32, caption_h: f32) -> (f32, f32) {
    let ok = |v: f32| v.is_finite() && v > 0.0;
    let (w, h) = if ok(width) && ok(height) {
        (width, height)
    } else {
        svg_size(svg)
            .filter(|(w, h)| ok(*w) && ok(*h))
            .unwrap_or((TEXT_W, TEXT_W * 0.6))
    };
    let mut scale = (TEXT_W / w).min(1.0);
    let max_h = BODY_H - caption_h;
    if h * scale > max_h {
        scale = max_h / h;
    }
    ((w * scale).max(1.0), (h * scale).max(1.0))
}

/// The size an SVG gives itself: its root's `width` and `height` (plain numbers, `px` or
/// `pt`), else its `viewBox`.
fn svg_size(svg: &str) -> Option<(f32, f32)> {
    let start = svg.find("<svg")?;
    let root = &svg[start..start + svg[start..].find('>')?];
    let value = |name: &str| {
        let key = format!(" {name}=");
        let i = root.find(&key)? + key.len();
        let quote = root[i..].chars().next()?;
        let rest = &root[i + 1..];
        Some(&rest[..rest.find(quote)?])
    };
    let number = |name: &str| -> Option<f32> {
        value(name)?
            .trim()
            .trim_end_matches("px")
            .trim_end_matches("pt")
            .parse()
            .ok()
    };
    if let (Some(w), Some(h)) = (number("width"), number("height")) {
        return Some((w, h));
    }
    let view: Vec<f32> = value("viewBox")?
        .split([' ', ','])
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    (view.len() == 4).then(|| (view[2], view[3]))
}

fn prep_table<'a>(header: &[String], rows: &'a [Vec<String>], widths: Option<&[f32]>) -> Table<'a> {
    let all = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let n = all.min(MAX_COLUMNS);
    let mut t = Table {
        cols: Vec::new(),
        header: Vec::new(),
        header_h: 0.0,
        rows,
        dropped: all - n,
    };
    if n == 0 {
        return t;
    }
    let floor_cap = TEXT_W / n as f32;
    // Floors (what a column gets first) and weights (how the rest is shared).
    let given = widths.filter(|w| {
        w.len() == all
            && w.iter().all(|v| v.is_finite() && *v >= 0.0)
            && w.iter().sum::<f32>() > 0.0
    });
    let (floors, weights): (Vec<f32>, Vec<f32>) = match given {
        Some(w) => (0..n).map(|c| (floor_cap.min(24.0), w[c])).unzip(),
        None => {
            // The content's widths, from the header and the first rows.
            let mut natural = vec![0.0_f32; n];
            let mut word = vec![0.0_f32; n];
            let sample = std::iter::once((header, true))
                .chain(rows.iter().take(100).map(|r| (r.as_slice(), false)));
            for (cells, bold) in sample {
                for (c, s) in cells.iter().take(n).enumerate() {
                    let s = one_line(s);
                    natural[c] = natural[c].max(text::width(&s, CELL_SIZE, bold).min(2.0 * TEXT_W));
                    for wd in s.split_whitespace() {
                        word[c] = word[c].max(text::width(wd, CELL_SIZE, bold));
                    }
                }
            }
            (0..n)
                .map(|c| {
                    let floor = (word[c] + 2.0 * CELL_PAD_X)
                        .min(floor_cap)
                        .max(floor_cap.min(24.0));
                    let nat = natural[c] + 2.0 * CELL_PAD_X;
                    (floor, (nat - floor).max(0.0))
                })
                .unzip()
        }
    };
    let rest = (TEXT_W - floors.iter().sum::<f32>()).max(0.0);
    let total: f32 = weights.iter().sum();
    let mut x = MARGIN;
    for c in 0..n {
        let share = if total > 0.0 {
            weights[c] / total
        } else {
            1.0 / n as f32
        };
        let w = floors[c] + rest * share;
        t.cols.push((x, w));
        x += w;
    }
    if header.iter().any(|h| !h.trim().is_empty()) {
        t.header = (0..n)
            .map(|c| header.get(c).map_or_else(Vec::new, |s| t.cell(c, s, true)))
            .collect();
        t.header_h = row_height(&t.header);
    }
    t
}

/// Lays `doc` out: the pages with their header and footer.
fn lay_out(doc: &Document) -> Vec<LaidPage> {
    let mut flow = Flow::new();
    title_block(&mut flow, doc);
    let blocks = &doc.blocks;
    let mut ahead: Option<Prep<'_>> = None;
    let mut i = 0;
    while i < blocks.len() && !flow.full {
        let p = ahead.take().unwrap_or_else(|| prep_block(&blocks[i]));
        if matches!(p, Prep::Heading { .. }) {
            let mut chain = vec![p];
            let mut j = i + 1;
            while j < blocks.len() && matches!(blocks[j], Block::Heading { .. }) {
                chain.push(prep_block(&blocks[j]));
                j += 1;
            }
            let follow = blocks.get(j).map(prep_block);
            flow.place_headings(&chain, follow.as_ref());
            ahead = follow;
            i = j;
        } else {
            flow.place(&p);
            i += 1;
        }
    }
    finish(flow, doc)
}

/// The title and subtitle at the top of the first page.
fn title_block(flow: &mut Flow, doc: &Document) {
    let title = at_most(
        wrap_text(&one_line(&doc.title), 20.0, true, TEXT_W),
        HEADING_LINES,
        20.0,
        true,
        TEXT_W,
    );
    let subtitle = at_most(
        wrap_text(&doc.subtitle, 12.0, false, TEXT_W),
        HEADING_LINES,
        12.0,
        false,
        TEXT_W,
    );
    let has = |l: &[String]| l.iter().any(|s| !s.is_empty());
    if !has(&title) && !has(&subtitle) {
        return;
    }
    if has(&title) {
        for line in &title {
            let top = flow.y;
            flow.text(MARGIN, baseline(top, 25.0, 20.0), "t", line);
            flow.y += 25.0;
        }
    }
    if has(&subtitle) {
        flow.y += 2.0;
        for line in &subtitle {
            let top = flow.y;
            flow.text(MARGIN, baseline(top, 16.0, 12.0), "st", line);
            flow.y += 16.0;
        }
    }
    flow.y += 8.0;
    let y = flow.y;
    flow.rule(y, INK);
    flow.y += 8.0;
    flow.mark(false);
    flow.after_heading = true;
}

/// Each page wrapped in its SVG, with header and footer.
fn finish(flow: Flow, doc: &Document) -> Vec<LaidPage> {
    let total = flow.sheets.len();
    let title = one_line(&doc.title);
    let header = fit_line(&title, SMALL_SIZE, TEXT_W);
    let mut out = Vec::with_capacity(total);
    for (k, sheet) in flow.sheets.into_iter().enumerate() {
        let number = k + 1;
        let mut footer = format!("page {number} of {total}");
        if flow.full && number == total {
            footer.push_str(&format!(
                " · the report stops here: it is longer than {MAX_PAGES} pages"
            ));
        }
        let mut svg = String::with_capacity(sheet.body.len() + 1200);
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{family}, Verdana, sans-serif" font-size="{BODY_SIZE}" fill="{INK}" role="document" aria-label=""#,
            w = N(PAGE_WIDTH),
            h = N(PAGE_HEIGHT),
            family = text::FAMILY,
        );
        crate::svg::escape_into(&mut svg, &title);
        let _ = write!(svg, ", {footer}\"><title>");
        crate::svg::escape_into(&mut svg, &title);
        let _ = write!(svg, ", {footer}</title>");
        svg.push_str(STYLE);
        let _ = write!(
            svg,
            r##"<rect width="{}" height="{}" fill="#fff"/>"##,
            N(PAGE_WIDTH),
            N(PAGE_HEIGHT)
        );
        // Header.
        if !header.is_empty() {
            let _ = write!(svg, r#"<text class="hd" x="{}" y="36">"#, N(MARGIN));
            crate::svg::escape_into(&mut svg, &header);
            svg.push_str("</text>");
        }
        let _ = write!(
            svg,
            r#"<path d="M{} 44H{}" stroke="{RULE}" stroke-width="0.6" fill="none"/>"#,
            N(MARGIN),
            N(PAGE_WIDTH - MARGIN)
        );
        svg.push_str(r#"<g class="body">"#);
        svg.push_str(&sheet.body);
        svg.push_str("</g>");
        // Footer.
        let _ = write!(
            svg,
            r#"<path d="M{} {}H{}" stroke="{RULE}" stroke-width="0.6" fill="none"/><text class="ft" x="{}" y="{}" text-anchor="middle">"#,
            N(MARGIN),
            N(BODY_BOTTOM + 16.0),
            N(PAGE_WIDTH - MARGIN),
            N(PAGE_WIDTH / 2.0),
            N(BODY_BOTTOM + 32.0)
        );
        crate::svg::escape_into(&mut svg, &fit_line(&footer, SMALL_SIZE, TEXT_W));
        svg.push_str("</text></svg>");
        out.push(LaidPage {
            svg,
            links: sheet.links,
        });
    }
    out
}

const STYLE: &str = "<style>\
.t{font-size:20px;font-weight:bold}\
.st{font-size:12px;fill:#57606a}\
.h1{font-size:16px;font-weight:bold}\
.h2{font-size:13px;font-weight:bold}\
.h3{font-size:11px;font-weight:bold}\
.th{font-size:9px;font-weight:bold}\
.td{font-size:9px}\
.cap,.hd,.ft{font-size:9px;fill:#57606a}\
.bul{fill:#57606a}\
.a{fill:#0b5cad;text-decoration:underline}\
.url{font-size:8.5px;fill:#57606a}\
</style>";

/// `s` on one line no wider than `max`, cut with "…" if it must be.
fn fit_line(s: &str, size: f32, max: f32) -> String {
    if text::width(s, size, false) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut w = text::width("…", size, false);
    for c in s.chars() {
        let cw = text::width(c.encode_utf8(&mut [0; 4]), size, false);
        if w + cw > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// The fonts a PDF is drawn with: `fonts` without colour emoji ones (which svg2pdf cannot
/// embed), and the shipped family standing in for `serif` when no serif font is loaded: usvg
/// falls back to `serif` for a family it cannot find (a figure's text may name none), and
/// would otherwise leave that text out.
fn pdf_fonts(fonts: &FontDb) -> FontDb {
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
    let serif = db.family_name(&usvg::fontdb::Family::Serif).to_owned();
    let has_serif = db
        .faces()
        .any(|f| f.families.iter().any(|(name, _)| *name == serif));
    if !has_serif {
        db.set_serif_family(text::FAMILY);
    }
    db
}

/// Standard base64 with padding (for figures as `data:` URLs).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b1 = group.get(1).copied().unwrap_or(0);
        let b2 = group.get(2).copied().unwrap_or(0);
        let n = (u32::from(group[0]) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let digit = |shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
        out.push(digit(18));
        out.push(digit(12));
        out.push(if group.len() > 1 { digit(6) } else { '=' });
        out.push(if group.len() > 2 { digit(0) } else { '=' });
    }
    out
}

/// A coordinate with at most two decimals, no trailing zeros.
#[derive(Clone, Copy)]
struct N(f32);

impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = (self.0 * 100.0).round() / 100.0;
        if v == v.trunc() {
            write!(f, "{}", v as i64)
        } else {
            let s = format!("{v:.2}");
            f.write_str(s.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small standalone chart, as another module would draw one.
    fn bars(title: &str, width: f32, height: f32) -> String {
        let mut s = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><style>text{{fill:#333}}</style><rect width="{width}" height="{height}" fill="#f6f8fa" stroke="#d0d7de"/><text x="12" y="22" font-family="DejaVu Sans" font-size="14">{title}</text>"##
        );
        let values = [0.35_f32, 0.8, 0.55, 0.95, 0.2, 0.65];
        let band = (width - 40.0) / values.len() as f32;
        for (i, v) in values.iter().enumerate() {
            let h = (height - 70.0) * v;
            let x = 20.0 + band * i as f32;
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{}" width="{}" height="{h}" fill="#4c78a8"/><text x="{}" y="{}" font-family="DejaVu Sans" font-size="11" text-anchor="middle">{}%</text>"##,
                height - 30.0 - h,
                band * 0.7,
                x + band * 0.35,
                height - 12.0,
                (v * 100.0) as u32
            );
        }
        s.push_str("</svg>");
        s
    }

    fn words(seed: &mut u64, n: usize) -> String {
        const W: [&str; 12] = [
            "delivery",
            "the",
            "teams",
            "review",
            "practice",
            "on-call",
            "and",
            "hiring",
            "coaching",
            "of",
            "quarterly",
            "architecture",
        ];
        (0..n)
            .map(|_| W[(next(seed) % W.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn next(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *seed >> 33
    }

    /// The body of a page (between the header and the footer).
    fn body(svg: &str) -> &str {
        let start = svg.find(r#"<g class="body">"#).expect("a body") + 16;
        let end = svg.rfind("</g>").expect("the body's end");
        &svg[start..end]
    }

    /// The classes of the body's elements, in order.
    fn classes(body: &str) -> Vec<&str> {
        body.match_indices("class=\"")
            .map(|(i, m)| {
                let rest = &body[i + m.len()..];
                &rest[..rest.find('"').unwrap_or(0)]
            })
            .collect()
    }

    fn attr(tag: &str, name: &str) -> Option<f32> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        tag[i..i + tag[i..].find('"')?].parse().ok()
    }

    /// The start tags named `name` on a page, with the text of `<text>` ones.
    fn elements<'a>(page: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
        let open = format!("<{name} ");
        page.match_indices(&open)
            .map(|(i, _)| {
                let rest = &page[i..];
                let end = rest.find('>').unwrap_or(rest.len());
                let content = rest[end + 1..].split_once('<').map_or("", |(c, _)| c);
                (&rest[..end], content)
            })
            .collect()
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    fn class_of(tag: &str) -> &str {
        tag.split_once("class=\"")
            .and_then(|(_, r)| r.split_once('"'))
            .map_or("", |(c, _)| c)
    }

    /// Every line of body text lies inside the text column and the body.
    fn assert_inside(pages: &[String]) {
        for (n, page) in pages.iter().enumerate() {
            for (tag, content) in elements(body(page), "text") {
                let class = class_of(tag);
                let (size, bold) = match class {
                    "t" => (20.0, true),
                    "st" => (12.0, false),
                    "h1" => (16.0, true),
                    "h2" => (13.0, true),
                    "h3" => (11.0, true),
                    "th" => (CELL_SIZE, true),
                    "td" | "cap" => (CELL_SIZE, false),
                    "url" => (URL_SIZE, false),
                    _ => (BODY_SIZE, false),
                };
                let x = attr(tag, "x").expect("x");
                let y = attr(tag, "y").expect("y");
                let w = text::width(&unescape(content), size, bold);
                assert!(
                    x >= MARGIN - 0.01 && x + w <= PAGE_WIDTH - MARGIN + 0.5,
                    "page {}: {class} line {content:?} runs from {x} to {}",
                    n + 1,
                    x + w
                );
                assert!(
                    y > BODY_TOP && y <= BODY_BOTTOM,
                    "page {}: {class} line at {y}",
                    n + 1
                );
            }
        }
    }

    fn sample() -> Document {
        let heat = crate::heatmap::Heatmap {
            title: "Platform group: practices by team".into(),
            columns: vec![
                "Hiring".into(),
                "On-call & incidents".into(),
                "Delivery".into(),
                "Architecture reviews".into(),
                "Coaching".into(),
            ],
            rows: ["Payments", "Identity", "Search", "Data platform", "Mobile"]
                .iter()
                .enumerate()
                .map(|(i, t)| crate::heatmap::HeatRow {
                    label: (*t).into(),
                    cells: (0..5)
                        .map(|c| (c + i) % 4 != 3)
                        .enumerate()
                        .map(|(c, has)| has.then_some(((c * 23 + i * 17) % 101) as u32))
                        .collect(),
                })
                .collect(),
            legend: "percent of practices in place".into(),
        };
        let heat_svg = crate::heatmap::heatmap_svg(&heat, crate::svg::Theme::Light);
        let root = &heat_svg[..heat_svg.find('>').unwrap_or(0)];
        let (hw, hh) = (
            attr(root, "width").unwrap_or(600.0),
            attr(root, "height").unwrap_or(300.0),
        );
        let mut seed = 7;
        let rows: Vec<Vec<String>> = (0..70)
            .map(|i| {
                vec![
                    format!("Practice {}", i + 1),
                    words(&mut seed, 1 + (i % 4)),
                    format!("{}/5", i % 6),
                    words(&mut seed, 3 + (i % 9) * 2),
                ]
            })
            .collect();
        Document {
            title: "Engineering practice assessment — Platform <group> & friends".into(),
            subtitle: "Q3 review, prepared for the leadership meeting of 14 October".into(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: "Summary".into(),
                },
                Block::Paragraph(
                    "This report compares how the five platform teams run the practices of the \
                     engineering-leadership roadmap. Scores go from 0 (not in place) to 5 \
                     (in place, measured and improved). Every number comes from the teams' \
                     own assessments in Leadmap, checked in one-to-ones."
                        .into(),
                ),
                Block::Bullets(vec![
                    "Hiring and coaching are strong across the group.".into(),
                    "On-call differs most between teams: two teams have no runbooks and no \
                     follow-up of incidents, which the next quarter should fix first."
                        .into(),
                    "Architecture reviews happen, but their decisions are seldom written down."
                        .into(),
                ]),
                Block::Figure {
                    svg: heat_svg,
                    width: hw,
                    height: hh,
                    caption: "Figure 1. Practices in place per team (percent). An empty cell \
                              means the team has not assessed that practice yet."
                        .into(),
                },
                Block::Heading {
                    level: 2,
                    text: "Scores by practice".into(),
                },
                Block::Table {
                    header: vec![
                        "Practice".into(),
                        "Area".into(),
                        "Score".into(),
                        "Notes".into(),
                    ],
                    rows,
                    widths: Some(vec![1.2, 1.5, 0.6, 3.0]),
                },
                Block::Heading {
                    level: 2,
                    text: "Trends".into(),
                },
                Block::Figure {
                    svg: bars("Practices in place, by month", 600.0, 380.0),
                    width: 600.0,
                    height: 380.0,
                    caption: "Figure 2. Share of practices in place at the end of each month."
                        .into(),
                },
                Block::Heading {
                    level: 3,
                    text: "Delivery".into(),
                },
                Block::Paragraph(words(&mut seed, 120)),
                Block::Figure {
                    // A chart whose text names no font: the PDF still shows it.
                    svg: bars("Lead time (days)", 480.0, 420.0)
                        .replace(" font-family=\"DejaVu Sans\"", ""),
                    width: 480.0,
                    height: 420.0,
                    caption:
                        "Figure 3. A figure that does not fit under the text above starts the \
                              next page."
                            .into(),
                },
                Block::Heading {
                    level: 2,
                    text: "Sources".into(),
                },
                Block::Link {
                    text: "The engineering-leadership roadmap".into(),
                    url:
                        "https://example.org/roadmaps/engineering-leadership?view=list&from=report"
                            .into(),
                },
                Block::Link {
                    text: "A very long address that cannot wrap at a space".into(),
                    url: format!("https://example.org/{}", "segment/".repeat(40)),
                },
                Block::Paragraph(format!(
                    "A word that is far too long: {}",
                    "Unbreakable".repeat(20)
                )),
                Block::PageBreak,
                Block::Heading {
                    level: 1,
                    text: "Appendix".into(),
                },
                Block::Paragraph("Line one of a paragraph.\nLine two, after a line break.".into()),
            ],
        }
    }

    #[test]
    fn figures_are_never_cut_by_a_page_break() {
        let mut blocks = vec![Block::Paragraph("Three charts follow.".into())];
        for i in 0..3 {
            blocks.push(Block::Figure {
                svg: bars(&format!("Chart {i}"), 500.0, 400.0),
                width: 500.0,
                height: 400.0,
                caption: format!("Chart {i}"),
            });
        }
        let doc = Document {
            title: "Figures".into(),
            subtitle: String::new(),
            blocks,
        };
        let pages = pages(&doc);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let mut figures = 0;
        for (n, page) in pages.iter().enumerate() {
            for (tag, _) in elements(page, "image") {
                let y = attr(tag, "y").expect("y");
                let h = attr(tag, "height").expect("height");
                let w = attr(tag, "width").expect("width");
                assert!(
                    y >= BODY_TOP && y + h <= BODY_BOTTOM + 0.01,
                    "page {}: {y} + {h}",
                    n + 1
                );
                // Scaled to the text width, in proportion.
                assert!(
                    (w - TEXT_W).abs() < 0.01 && (h / w - 0.8).abs() < 0.001,
                    "{w} × {h}"
                );
                figures += 1;
            }
        }
        assert_eq!(figures, 3);
        assert_inside(&pages);

        // A figure taller than a page is scaled down to one, caption and all.
        let doc = Document {
            blocks: vec![Block::Figure {
                svg: bars("Tall", 300.0, 3000.0),
                width: 300.0,
                height: 3000.0,
                caption: "Tall".into(),
            }],
            ..Document::default()
        };
        let page = &super::pages(&doc)[0];
        let (tag, _) = elements(page, "image")[0];
        let (y, h) = (attr(tag, "y").expect("y"), attr(tag, "height").expect("h"));
        assert!(y + h + caption_height(1) <= BODY_BOTTOM + 0.01);
    }

    #[test]
    fn a_heading_is_never_the_last_thing_on_a_page() {
        for case in 0..60_u64 {
            let mut seed = case;
            let mut blocks = Vec::new();
            for _ in 0..40 {
                let level = (next(&mut seed) % 3 + 1) as u8;
                blocks.push(Block::Heading {
                    level,
                    text: {
                        let n = 2 + (next(&mut seed) % 6) as usize;
                        words(&mut seed, n)
                    },
                });
                if next(&mut seed).is_multiple_of(4) {
                    blocks.push(Block::Heading {
                        level: 3,
                        text: words(&mut seed, 3),
                    });
                }
                blocks.push(match next(&mut seed) % 5 {
                    0 => Block::Figure {
                        svg: bars("x", 500.0, 150.0 + (next(&mut seed) % 600) as f32),
                        width: 500.0,
                        height: 150.0 + (next(&mut seed) % 600) as f32,
                        caption: words(&mut seed, 8),
                    },
                    1 => Block::Table {
                        header: vec!["A".into(), "B".into()],
                        rows: (0..=(next(&mut seed) % 30))
                            .map(|_| vec![words(&mut seed, 2), words(&mut seed, 12)])
                            .collect(),
                        widths: None,
                    },
                    2 => Block::Bullets((0..4).map(|_| words(&mut seed, 20)).collect()),
                    3 => Block::Link {
                        text: words(&mut seed, 4),
                        url: "https://example.org/a".into(),
                    },
                    _ => {
                        let n = 10 + (next(&mut seed) % 150) as usize;
                        Block::Paragraph(words(&mut seed, n))
                    }
                });
            }
            let doc = Document {
                title: format!("Case {case}"),
                subtitle: "Headings".into(),
                blocks,
            };
            let pages = pages(&doc);
            assert!(pages.len() > 1);
            for (n, page) in pages.iter().enumerate() {
                let classes = classes(body(page));
                let last = classes.last().copied().unwrap_or("");
                assert!(
                    !matches!(last, "h1" | "h2" | "h3"),
                    "case {case}: page {} ends with a heading",
                    n + 1
                );
                // Nor with a table's header and no row under it.
                let tail: Vec<&str> = classes
                    .iter()
                    .rev()
                    .copied()
                    .filter(|c| *c != "rule")
                    .take_while(|c| *c == "th" || *c == "thbg")
                    .collect();
                assert!(
                    tail.is_empty(),
                    "case {case}: page {} ends with a table header",
                    n + 1
                );
                for (tag, _) in elements(page, "image") {
                    let y = attr(tag, "y").expect("y");
                    let h = attr(tag, "height").expect("height");
                    assert!(y + h <= BODY_BOTTOM + 0.01, "case {case}: {y} + {h}");
                }
            }
            assert_inside(&pages);
        }
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let rows = (0..200)
            .map(|i| {
                vec![
                    format!("row {i}"),
                    format!("{}", i * 7),
                    "some notes that wrap onto a second line when the column is narrow".into(),
                ]
            })
            .collect();
        let doc = Document {
            title: "Table".into(),
            subtitle: String::new(),
            blocks: vec![
                Block::Paragraph("Before the table.".into()),
                Block::Table {
                    header: vec!["Name".into(), "Value".into(), "Notes".into()],
                    rows,
                    widths: Some(vec![1.0, 1.0, 2.0]),
                },
            ],
        };
        let pages = pages(&doc);
        assert!(pages.len() >= 4, "{} pages", pages.len());
        let mut seen = Vec::new();
        for (n, page) in pages.iter().enumerate() {
            let cells = elements(body(page), "text");
            let first_td = cells.iter().position(|(t, _)| class_of(t) == "td");
            let Some(first_td) = first_td else { continue };
            let header: Vec<&str> = cells[..first_td]
                .iter()
                .filter(|(t, _)| class_of(t) == "th")
                .map(|(_, c)| *c)
                .collect();
            assert_eq!(header, ["Name", "Value", "Notes"], "page {}", n + 1);
            seen.extend(
                cells
                    .iter()
                    .filter(|(t, c)| class_of(t) == "td" && c.starts_with("row "))
                    .map(|(_, c)| c.to_string()),
            );
        }
        // Every row once, in order, none lost between pages.
        let expected: Vec<String> = (0..200).map(|i| format!("row {i}")).collect();
        assert_eq!(seen, expected);
        assert_inside(&pages);
    }

    fn count_pages(pdf: &[u8]) -> usize {
        let needle = b"/Type /Page";
        pdf.windows(needle.len() + 1)
            .filter(|w| &w[..needle.len()] == needle && !w[needle.len()].is_ascii_alphabetic())
            .count()
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn the_pdf_has_a_page_per_svg_page_and_its_text_is_text() {
        let doc = sample();
        let svgs = pages(&doc);
        assert!(svgs.len() >= 3, "{} pages", svgs.len());
        let fonts = crate::raster::shipped_fonts();
        let bytes = pdf(&doc, &fonts).expect("a PDF");
        assert!(bytes.starts_with(b"%PDF"));
        assert_eq!(count_pages(&bytes), svgs.len());
        assert!(contains(&bytes, b"/Count "));
        // The title in the metadata (not ASCII: a UTF-16 text string, written in hex).
        let title: String = std::iter::once(0xfeff)
            .chain(one_line(&doc.title).encode_utf16())
            .map(|u| format!("{u:04x}"))
            .collect();
        let lower = bytes.to_ascii_lowercase();
        assert!(
            contains(&lower, format!("/title <{title}>").as_bytes()),
            "the title is not in the PDF"
        );
        assert!(contains(&bytes, b"/Title"));
        // Text as text: an embedded font, and no page drawn as a picture.
        assert!(contains(&bytes, b"/FontFile2") || contains(&bytes, b"/FontFile3"));
        assert!(!contains(&bytes, b"/Subtype /Image"));
        // Links are clickable.
        assert!(contains(
            &bytes,
            b"/URI (https://example.org/roadmaps/engineering-leadership?view=list&from=report)"
        ));
        assert_inside(&svgs);
        // Every page reads back as SVG.
        let opts = usvg::Options::default();
        for page in &svgs {
            usvg::Tree::from_str(page, &opts).expect("a valid SVG page");
        }
    }

    #[test]
    fn an_empty_document_is_one_valid_page() {
        let doc = Document::default();
        let svgs = pages(&doc);
        assert_eq!(svgs.len(), 1);
        assert!(svgs[0].contains("page 1 of 1"));
        usvg::Tree::from_str(&svgs[0], &usvg::Options::default()).expect("valid");
        let bytes = pdf(&doc, &crate::raster::shipped_fonts()).expect("a PDF");
        assert!(bytes.starts_with(b"%PDF"));
        assert_eq!(count_pages(&bytes), 1);
        assert!(contains(&bytes, b"(Report)"));
    }

    #[test]
    fn absurd_input_stays_bounded_and_never_panics() {
        let word = "w".repeat(100_000);
        let doc = Document {
            title: format!("<&>\"\u{0}\u{1b} {word}"),
            subtitle: word.clone(),
            blocks: vec![
                Block::Heading {
                    level: 0,
                    text: word.clone(),
                },
                Block::Heading {
                    level: 200,
                    text: String::new(),
                },
                Block::Paragraph(word.clone()),
                Block::Bullets(vec![String::new(), word.clone(), "\u{7}\u{fffe}".into()]),
                Block::Link {
                    text: String::new(),
                    url: format!("javascript:alert(1)//{word}"),
                },
                Block::Figure {
                    svg: "<not svg".into(),
                    width: f32::NAN,
                    height: -3.0,
                    caption: word.clone(),
                },
                Block::Figure {
                    svg: String::new(),
                    width: 1e30,
                    height: 1e-30,
                    caption: String::new(),
                },
                Block::Table {
                    header: (0..50).map(|c| format!("column {c}")).collect(),
                    rows: vec![vec![word.clone()]; 3],
                    widths: Some(vec![f32::INFINITY; 50]),
                },
                Block::Table {
                    header: vec![],
                    rows: (0..10_000)
                        .map(|i| vec![format!("{i}"), "x".into()])
                        .collect(),
                    widths: Some(vec![0.0, 0.0]),
                },
                Block::Table {
                    header: vec![],
                    rows: vec![vec![]; 10],
                    widths: None,
                },
                Block::PageBreak,
                Block::PageBreak,
            ],
        };
        let svgs = pages(&doc);
        assert!(svgs.len() <= MAX_PAGES && svgs.len() > 10, "{}", svgs.len());
        assert_inside(&svgs);
        assert!(
            !svgs
                .iter()
                .any(|p| p.contains("javascript:") && p.contains("<a href=\"javascript"))
        );
        let opts = usvg::Options::default();
        for page in svgs.iter().step_by(7) {
            usvg::Tree::from_str(page, &opts).expect("a valid SVG page");
        }
        // The last page is not a blank one left by the trailing page breaks.
        assert!(!classes(body(svgs.last().expect("a page"))).is_empty());

        // More than the cap: the pages stop at it and the last one says so.
        let doc = Document {
            title: "Long".into(),
            subtitle: String::new(),
            blocks: (0..100_000)
                .map(|i| Block::Paragraph(format!("Paragraph {i}.")))
                .collect(),
        };
        let svgs = pages(&doc);
        assert_eq!(svgs.len(), MAX_PAGES);
        assert!(svgs[MAX_PAGES - 1].contains("the report stops here"));
        assert!(svgs[MAX_PAGES - 1].contains(&format!("page {MAX_PAGES} of {MAX_PAGES}")));
    }

    #[test]
    fn a_figure_without_a_size_takes_its_svgs_own() {
        assert_eq!(
            svg_size(r#"<?xml version="1.0"?><svg width='300px' height="150" viewBox="0 0 1 1">"#),
            Some((300.0, 150.0))
        );
        assert_eq!(
            svg_size(r#"<svg viewBox="0,0 400 100"><g/></svg>"#),
            Some((400.0, 100.0))
        );
        assert_eq!(svg_size("<svg width=\"50%\">"), None);
        let doc = Document {
            blocks: vec![
                Block::Figure {
                    svg: bars("x", 200.0, 100.0),
                    width: f32::NAN,
                    height: 0.0,
                    caption: String::new(),
                },
                Block::Figure {
                    svg: " ".into(),
                    width: 100.0,
                    height: 100.0,
                    caption: "Only a caption".into(),
                },
            ],
            ..Document::default()
        };
        let page = &pages(&doc)[0];
        let images = elements(page, "image");
        assert_eq!(images.len(), 1);
        assert_eq!(attr(images[0].0, "width"), Some(200.0));
        assert_eq!(attr(images[0].0, "height"), Some(100.0));
        assert!(page.contains(">Only a caption</text>"));
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    /// Writes a sample report (`report.pdf` and `page-N.png`) to the folder named by
    /// `LEADMAP_REPORT_OUT`, to look at by hand; does nothing without it. (A test may read the
    /// environment and write files; the module itself does neither.)
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn report_sample_when_asked() {
        let Some(dir) = std::env::var_os("LEADMAP_REPORT_OUT") else {
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("the folder");
        let doc = sample();
        let fonts = crate::raster::shipped_fonts();
        std::fs::write(dir.join("report.pdf"), pdf(&doc, &fonts).expect("a PDF")).expect("write");
        for (i, page) in pages(&doc).iter().enumerate() {
            std::fs::write(dir.join(format!("page-{}.svg", i + 1)), page).expect("write");
            let png = crate::raster::png(page, &fonts, 1.5, None).expect("a PNG");
            std::fs::write(dir.join(format!("page-{}.png", i + 1)), png).expect("write");
        }
        // And the start of a report of nonsense: over-long words, too many columns, a
        // figure of no size and no content, a heading over a figure taller than a page.
        let word = "w".repeat(2_000);
        let odd = Document {
            title: word.clone(),
            subtitle: String::new(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: word.clone(),
                },
                Block::Table {
                    header: (0..30).map(|c| format!("column {c}")).collect(),
                    rows: vec![vec![word.clone(), "a b c".into()]; 2],
                    widths: None,
                },
                Block::Figure {
                    svg: String::new(),
                    width: f32::NAN,
                    height: 0.0,
                    caption: "A figure of no size".into(),
                },
                Block::Heading {
                    level: 2,
                    text: "A tall figure after a heading".into(),
                },
                Block::Figure {
                    svg: bars("Tall", 300.0, 3000.0),
                    width: 300.0,
                    height: 3000.0,
                    caption: "Shrunk onto the heading's page".into(),
                },
            ],
        };
        for (i, page) in pages(&odd).iter().enumerate() {
            let png = crate::raster::png(page, &fonts, 1.0, None).expect("a PNG");
            std::fs::write(dir.join(format!("odd-{}.png", i + 1)), png).expect("write");
        }
    }
}
