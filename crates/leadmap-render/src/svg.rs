//! SVG: compact markup (shared styles in one `<style>`), every node a focusable, labelled
//! `<g>` carrying its id, kind and status. Deterministic: numbers are written with one
//! decimal, elements in layout order.

use std::borrow::Cow;
use std::fmt::{self, Write};

use leadmap_core::progress::{ProgressMap, Status};
use leadmap_core::{Kind, Roadmap};

use crate::layout::{self, Edge, Layout, Placed};

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub fn parse(s: &str) -> Option<Theme> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SvgOptions {
    pub theme: Theme,
    pub progress: ProgressMap,
    /// Leave the `<style>` out: the page that embeds the SVG serves [`stylesheet`] itself
    /// (the web app does, so that its Content-Security-Policy needs no inline style).
    pub no_style: bool,
    /// Draw each topic as a link to its panel page (`?topic=ID#panel`, relative to the page
    /// that embeds the SVG): the web app's map works without JavaScript.
    pub topic_links: bool,
}

/// The SVG's styles for a theme, every rule scoped under `scope` (say `.map`), so that a page
/// can hold the light and the dark rules in one stylesheet.
pub fn stylesheet(theme: Theme, scope: &str) -> String {
    let mut out = String::new();
    for rule in style(theme).split_inclusive('}') {
        let Some((sel, body)) = rule.split_once('{') else {
            continue;
        };
        let scoped: Vec<String> = sel.split(',').map(|s| format!("{scope} {s}")).collect();
        let _ = write!(out, "{}{{{body}", scoped.join(","));
    }
    out
}

/// An SVG with a hole wherever a topic's status shows, rendered once and filled per person:
/// the web app's personalised roadmap page costs a copy, not a layout. Its topics are links
/// to their panel pages ([`SvgOptions::topic_links`]).
#[derive(Debug, Clone)]
pub struct SvgTemplate {
    pieces: Vec<String>,
    /// The learnable nodes in document order; each has three holes (class, title, mark).
    ids: Vec<String>,
    mark_xy: Vec<(String, String)>,
}

const HOLE: char = '\u{1}';

impl SvgTemplate {
    pub fn new(r: &Roadmap, l: &Layout<'_>, theme: Theme) -> SvgTemplate {
        let opts = SvgOptions {
            theme,
            progress: ProgressMap::new(),
            no_style: true,
            topic_links: true,
        };
        let mut out = String::new();
        let mut ids = Vec::new();
        let mut mark_xy = Vec::new();
        render_into(&mut out, r, l, &opts, Some((&mut ids, &mut mark_xy)), None);
        let pieces = out.split(HOLE).map(str::to_owned).collect();
        SvgTemplate {
            pieces,
            ids,
            mark_xy,
        }
    }

    /// The length of the SVG with every topic pending, in bytes.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(String::len).sum()
    }

    /// Whether the template is empty (it never is: an SVG has a root element).
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// The learnable topics' ids, in document order.
    pub fn topic_ids(&self) -> &[String] {
        &self.ids
    }

    /// The SVG with each topic's status from `status_of`.
    pub fn fill(&self, status_of: impl FnMut(&str) -> Status) -> String {
        let mut out = String::with_capacity(
            self.pieces.iter().map(String::len).sum::<usize>() + 64 * self.ids.len(),
        );
        let _ = self.fill_into(&mut out, status_of);
        out
    }

    /// [`SvgTemplate::fill`] written straight into `out` (a page being rendered, say).
    pub fn fill_into<W: fmt::Write + ?Sized>(
        &self,
        out: &mut W,
        status_of: impl FnMut(&str) -> Status,
    ) -> fmt::Result {
        self.fill_into_marked(out, status_of, |_| false)
    }

    /// [`SvgTemplate::fill_into`], with the topics for which `overdue` holds marked as such:
    /// the class `overdue` beside the status, and "overdue" in the node's name (its
    /// `<title>`), so that it is said, not only drawn.
    pub fn fill_into_marked<W: fmt::Write + ?Sized>(
        &self,
        out: &mut W,
        status_of: impl FnMut(&str) -> Status,
        overdue: impl FnMut(&str) -> bool,
    ) -> fmt::Result {
        self.fill_into_flagged(out, status_of, overdue, |_| false)
    }

    /// [`SvgTemplate::fill_into_marked`], with focus topics (suggested by a manager) marked
    /// too: the class `focus` and "focus topic" in the node's name.
    pub fn fill_into_flagged<W: fmt::Write + ?Sized>(
        &self,
        out: &mut W,
        mut status_of: impl FnMut(&str) -> Status,
        mut overdue: impl FnMut(&str) -> bool,
        mut focus: impl FnMut(&str) -> bool,
    ) -> fmt::Result {
        let mut pieces = self.pieces.iter();
        if let Some(p) = pieces.next() {
            out.write_str(p)?;
        }
        for (id, (x, y)) in self.ids.iter().zip(&self.mark_xy) {
            let s = status_of(id);
            let pending = s == Status::Pending;
            let late = overdue(id);
            let focused = focus(id);
            if let Some(p) = pieces.next() {
                out.write_str(s.as_str())?;
                if late {
                    out.write_str(" overdue")?;
                }
                if focused {
                    out.write_str(" focus")?;
                }
                out.write_str(p)?;
            }
            if let Some(p) = pieces.next() {
                if !pending {
                    out.write_str(", ")?;
                    out.write_str(s.as_str())?;
                }
                if late {
                    out.write_str(", overdue")?;
                }
                if focused {
                    out.write_str(", focus topic")?;
                }
                out.write_str(p)?;
            }
            if let Some(p) = pieces.next() {
                if !pending {
                    write!(
                        out,
                        "<use href=\"#s-{s}\" x=\"{x}\" y=\"{y}\" width=\"16\" height=\"16\"/>"
                    )?;
                }
                out.write_str(p)?;
            }
        }
        for p in pieces {
            out.write_str(p)?;
        }
        Ok(())
    }
}

type Holes<'a> = Option<(&'a mut Vec<String>, &'a mut Vec<(String, String)>)>;

/// Colours by theme: background, ink, muted ink, connector, part, area, area ink, group,
/// group line, topic, topic line, subtopic, done, learning, skipped.
fn palette(t: Theme) -> [&'static str; 15] {
    match t {
        Theme::Light => [
            "#ffffff", "#111827", "#475569", "#2563eb", "#1e293b", "#fde047", "#111827", "#f8fafc",
            "#94a3b8", "#fef9c3", "#1f2937", "#ffffff", "#15803d", "#1d4ed8", "#64748b",
        ],
        Theme::Dark => [
            "#0b1220", "#e5e7eb", "#94a3b8", "#60a5fa", "#e2e8f0", "#facc15", "#111827", "#111a2e",
            "#475569", "#1e293b", "#94a3b8", "#0f172a", "#4ade80", "#93c5fd", "#94a3b8",
        ],
    }
}

/// A status's fill, so that it shows at any zoom (besides its mark, its border and, for
/// skipped, the struck text): done green, learning blue, skipped grey. Then the ink of a
/// skipped topic's text.
fn status_fills(t: Theme) -> [&'static str; 4] {
    match t {
        Theme::Light => ["#bbf7d0", "#dbeafe", "#e2e8f0", "#475569"],
        Theme::Dark => ["#14532d", "#1e3a8a", "#2b3442", "#a3b1c6"],
    }
}

fn style(t: Theme) -> String {
    let [
        bg,
        ink,
        muted,
        line,
        part,
        area,
        area_ink,
        group,
        group_line,
        topic,
        topic_line,
        sub,
        done,
        learning,
        skipped,
    ] = palette(t);
    let part_ink = if t == Theme::Light {
        "#ffffff"
    } else {
        "#0b1220"
    };
    let [done_bg, learning_bg, skipped_bg, skipped_ink] = status_fills(t);
    format!(
        "text{{font-family:'DejaVu Sans',Verdana,sans-serif;fill:{ink};font-size:14px}}\
.bg{{fill:{bg}}}\
.e{{fill:none;stroke:{line};stroke-width:2}}\
.sp{{fill:none;stroke:{line};stroke-width:4;stroke-linecap:round}}\
[data-id] rect{{stroke-width:1.5}}\
.h text{{font-size:30px;font-weight:bold}}\
[data-kind=part] rect{{fill:{part};stroke:{part}}}[data-kind=part] text{{fill:{part_ink};font-size:20px;font-weight:bold}}\
[data-kind=area] rect{{fill:{area};stroke:{area_ink};stroke-width:2}}[data-kind=area] text{{fill:{area_ink};font-size:17px;font-weight:bold}}\
[data-kind=group]>rect{{fill:{group};stroke:{group_line};stroke-dasharray:5 4}}[data-kind=group] text{{fill:{muted};font-weight:bold}}\
[data-kind=topic] rect{{fill:{topic};stroke:{topic_line}}}\
[data-kind=subtopic] rect{{fill:{sub};stroke:{muted};stroke-width:1}}[data-kind=subtopic] text{{font-size:13px}}\
.h text,[data-kind=part] text,[data-kind=area] text{{text-anchor:middle}}\
.em{{font-family:'Noto Color Emoji','Apple Color Emoji','Segoe UI Emoji',sans-serif;font-weight:normal}}\
.done rect{{stroke:{done};stroke-width:2.5;fill:{done_bg}}}\
.learning rect{{stroke:{learning};stroke-width:2.5;stroke-dasharray:6 3;fill:{learning_bg}}}\
.skipped text{{fill:{skipped_ink};text-decoration:line-through}}.skipped rect{{stroke:{skipped};fill:{skipped_bg}}}\
.mk{{fill:none;stroke:{muted};stroke-width:1.6}}\
#s-done .f{{fill:{done};stroke:{done}}}#s-done .k{{stroke:#ffffff;stroke-width:2}}\
#s-learning .f{{fill:{learning};stroke:none}}#s-learning .o{{stroke:{learning}}}\
#s-skipped .o{{stroke:{skipped}}}#s-skipped .k{{stroke:{skipped};stroke-width:2}}\
.lg text{{fill:{muted};font-size:13px}}\
[tabindex]:focus rect,a:focus rect{{stroke:#6d28d9;stroke-width:3}}"
    )
}

/// The status marks: an empty ring, a half-filled ring, a ticked disc, a struck ring.
const MARKS: &str = "<defs>\
<symbol id=\"s-pending\" viewBox=\"0 0 16 16\"><circle class=\"mk o\" cx=\"8\" cy=\"8\" r=\"6.5\"/></symbol>\
<symbol id=\"s-learning\" viewBox=\"0 0 16 16\"><circle class=\"mk o\" cx=\"8\" cy=\"8\" r=\"6.5\"/><path class=\"f\" d=\"M8 1.5A6.5 6.5 0 0 0 8 14.5Z\"/></symbol>\
<symbol id=\"s-done\" viewBox=\"0 0 16 16\"><circle class=\"mk f\" cx=\"8\" cy=\"8\" r=\"7\"/><path class=\"mk k\" d=\"M4.5 8.3l2.4 2.4 4.6-5\"/></symbol>\
<symbol id=\"s-skipped\" viewBox=\"0 0 16 16\"><circle class=\"mk o\" cx=\"8\" cy=\"8\" r=\"6.5\"/><path class=\"mk k\" d=\"M4 8h8\"/></symbol>\
</defs>";

pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    escape_into(&mut out, s);
    Cow::Owned(out)
}

fn needs_escape(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"')
}

/// [`escape`] appended to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.bytes().position(needs_escape) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// One decimal, no trailing `.0`.
#[derive(Clone, Copy)]
struct N(f32);

impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_n(f, self.0)
    }
}

/// Appends `n` as [`N`] shows it (the hot path of a large map: no formatting machinery).
fn push_n(out: &mut String, n: f32) {
    // Writing to a String never fails.
    let _ = write_n(out, n);
}

/// `n` rounded to tenths: "12", "12.5", "-0.5"; anything that rounds to zero is "0".
fn write_n<W: fmt::Write + ?Sized>(out: &mut W, n: f32) -> fmt::Result {
    write_tenths(out, tenths(n))
}

/// A number given in tenths, written as [`write_n`] writes it.
fn write_tenths<W: fmt::Write + ?Sized>(out: &mut W, t: i64) -> fmt::Result {
    if t == 0 {
        return out.write_char('0');
    }
    if t < 0 {
        out.write_char('-')?;
    }
    let t = t.unsigned_abs();
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = t / 10;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.write_char(char::from(b))?;
    }
    if !t.is_multiple_of(10) {
        out.write_char('.')?;
        out.write_char(char::from(b'0' + (t % 10) as u8))?;
    }
    Ok(())
}

fn baseline(kind: Option<Kind>, line: usize) -> f32 {
    let size = layout::font_size(kind);
    let lh = layout::line_height(kind);
    layout::PAD_Y + line as f32 * lh + (lh - size) / 2.0 + size * 0.8
}

pub fn render(r: &Roadmap, l: &Layout<'_>, opts: &SvgOptions) -> String {
    render_with_spans(r, l, opts).0
}

/// Where one box's markup lies in a rendered SVG, and the band of the drawing it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeSpan {
    /// Byte range in the SVG text; the spans of a drawing follow one another without a gap.
    pub bytes: std::ops::Range<usize>,
    pub top: f32,
    pub bottom: f32,
}

/// [`render`], and where each box (the title, then every node) lies in the text: a page can
/// then draw a large map's boxes as they come into view.
pub fn render_with_spans(
    r: &Roadmap,
    l: &Layout<'_>,
    opts: &SvgOptions,
) -> (String, Vec<NodeSpan>) {
    // About 430 bytes a node with its connector: one allocation, no copy while growing.
    let mut out = String::with_capacity(2048 + l.boxes.len() * 460);
    let mut spans = Vec::with_capacity(l.boxes.len());
    render_into(&mut out, r, l, opts, None, Some(&mut spans));
    (out, spans)
}

fn render_into(
    out: &mut String,
    r: &Roadmap,
    l: &Layout<'_>,
    opts: &SvgOptions,
    mut holes: Holes<'_>,
    mut spans: Option<&mut Vec<NodeSpan>>,
) {
    let (w, h) = (N(l.width), N(l.height));
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"group\" aria-label=\"{}\">",
        escape(&format!("Roadmap: {}", r.title.plain())),
    );
    if !opts.no_style {
        let _ = write!(out, "<style>{}</style>", style(opts.theme));
    }
    out.push_str(MARKS);
    let _ = write!(out, "<rect class=\"bg\" width=\"{w}\" height=\"{h}\"/>");
    edges(out, &l.edges);
    for b in &l.boxes {
        let start = out.len();
        node(out, b, opts, &mut holes);
        if let Some(spans) = spans.as_mut() {
            spans.push(NodeSpan {
                bytes: start..out.len(),
                top: b.y,
                bottom: b.bottom(),
            });
        }
    }
    legend(out, l);
    out.push_str("</svg>");
}

/// Path data in relative commands, the pen's position kept in tenths so that rounding never
/// drifts: a connector then costs its offsets ("c-18 0-18 8-36 8"), not its coordinates.
struct Pen {
    d: String,
    at: (i64, i64),
}

/// `v` in tenths, as [`write_n`] rounds it.
fn tenths(v: f32) -> i64 {
    (v * 10.0).round() as i64
}

impl Pen {
    fn new() -> Pen {
        Pen {
            d: String::new(),
            at: (0, 0),
        }
    }

    /// One command: its letter, then its numbers (in tenths), a space only where no minus
    /// sign separates them.
    fn cmd(&mut self, letter: char, numbers: &[i64]) {
        self.d.push(letter);
        for (i, &t) in numbers.iter().enumerate() {
            if i > 0 && t >= 0 {
                self.d.push(' ');
            }
            // Writing to a String never fails.
            let _ = write_tenths(&mut self.d, t);
        }
    }

    /// Lifts the pen to (x, y): the first move is absolute, every later one relative.
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = (tenths(x), tenths(y));
        if self.d.is_empty() {
            self.cmd('M', &[x, y]);
        } else {
            self.cmd('m', &[x - self.at.0, y - self.at.1]);
        }
        self.at = (x, y);
    }

    fn vertical(&mut self, y: f32) {
        let y = tenths(y);
        self.cmd('v', &[y - self.at.1]);
        self.at.1 = y;
    }

    fn horizontal(&mut self, x: f32) {
        let x = tenths(x);
        self.cmd('h', &[x - self.at.0]);
        self.at.0 = x;
    }

    /// A cubic curve to (x, y), horizontal at both ends, bending halfway across.
    fn s_curve(&mut self, x: f32, y: f32) {
        let (x, y) = (tenths(x), tenths(y));
        let (dx, dy) = (x - self.at.0, y - self.at.1);
        let half = dx / 2;
        self.cmd('c', &[half, 0, half, dy, dx, dy]);
        self.at = (x, y);
    }
}

fn edges(out: &mut String, edges: &[Edge]) {
    let mut spine = Pen::new();
    let mut curves = Pen::new();
    for e in edges {
        match *e {
            Edge::Spine { x, y1, y2 } => {
                spine.move_to(x, y1);
                spine.vertical(y2);
            }
            Edge::Curve { x1, y1, x2, y2 } => {
                curves.move_to(x1, y1);
                curves.s_curve(x2, y2);
            }
            Edge::Elbow { x1, y1, x2, y2 } => {
                curves.move_to(x1, y1);
                curves.vertical(y2);
                curves.horizontal(x2);
            }
        }
    }
    if !spine.d.is_empty() {
        let _ = write!(out, "<path class=\"sp\" d=\"{}\"/>", spine.d);
    }
    if !curves.d.is_empty() {
        let _ = write!(out, "<path class=\"e\" d=\"{}\"/>", curves.d);
    }
}

fn node(out: &mut String, b: &Placed<'_>, opts: &SvgOptions, holes: &mut Holes<'_>) {
    let Some(n) = b.node else {
        // The roadmap's title.
        let _ = write!(
            out,
            "<g class=\"h\" transform=\"translate({},{})\" role=\"heading\" aria-level=\"1\">",
            N(b.x),
            N(b.y)
        );
        text(out, b, None, None);
        out.push_str("</g>");
        return;
    };
    let kind = n.kind;
    let status = kind.is_learnable().then(|| {
        opts.progress
            .get(n.id.as_str())
            .copied()
            .unwrap_or_default()
    });
    let title = escape(&b.label);
    let hole = status.is_some() && holes.is_some();
    let mark_x = N(layout::PAD_X - 2.0);
    let mark_y = N(baseline(Some(kind), 0) - 12.5);
    if let (true, Some((ids, xy))) = (hole, holes.as_mut()) {
        ids.push(n.id.to_string());
        xy.push((mark_x.to_string(), mark_y.to_string()));
    }
    let kind_word = kind.as_str();
    // The kind is said once, in data-kind (the style sheet selects on it); the class is the
    // status, and only a topic or a subtopic has one.
    let link = opts.topic_links && kind.is_learnable();
    out.push_str(if link { "<a" } else { "<g" });
    match status {
        Some(_) if hole => {
            out.push_str(" class=\"");
            out.push(HOLE);
            out.push('"');
        }
        Some(s) => {
            out.push_str(" class=\"");
            out.push_str(s.as_str());
            out.push('"');
        }
        None => {}
    }
    out.push_str(" data-id=\"");
    escape_into(out, n.id.as_str());
    out.push_str("\" data-kind=\"");
    out.push_str(kind_word);
    // A topic is a control (a click or Enter opens it, keys mark it); a part, an area and a
    // group are headings that organise the topics: no Tab stop that does nothing. The name is
    // the <title> (the label and the status), which holds the same words as the visible text.
    if link {
        // A link is a Tab stop of its own, and its role says what it does.
        out.push_str("\" href=\"?topic=");
        escape_into(out, n.id.as_str());
        out.push_str("#panel");
    }
    out.push_str(match kind {
        Kind::Topic | Kind::Subtopic if link => "",
        Kind::Topic | Kind::Subtopic => "\" role=\"button\" tabindex=\"0",
        Kind::Group => "\" role=\"heading\" aria-level=\"4",
        Kind::Area => "\" role=\"heading\" aria-level=\"3",
        Kind::Part => "\" role=\"heading\" aria-level=\"2",
    });
    out.push_str("\" transform=\"translate(");
    push_n(out, b.x);
    out.push(',');
    push_n(out, b.y);
    out.push_str(")\"><title>");
    out.push_str(&title);
    if hole {
        out.push(HOLE);
    } else if let Some(s) = status.filter(|s| *s != Status::Pending) {
        out.push_str(", ");
        out.push_str(s.as_str());
    }
    out.push_str("</title><rect width=\"");
    push_n(out, b.w);
    out.push_str("\" height=\"");
    push_n(out, b.h);
    out.push_str(if kind == Kind::Group {
        "\" rx=\"10\"/>"
    } else {
        "\" rx=\"6\"/>"
    });
    // Not started shows no mark; the legend shows the three marks that a status sets.
    if hole {
        out.push(HOLE);
    } else if let Some(s) = status.filter(|s| *s != Status::Pending) {
        let _ = write!(
            out,
            "<use href=\"#s-{s}\" x=\"{mark_x}\" y=\"{mark_y}\" width=\"16\" height=\"16\"/>"
        );
    }
    text(out, b, Some(kind), n.emoji.as_deref());
    out.push_str(if link { "</a>" } else { "</g>" });
}

fn text(out: &mut String, b: &Placed<'_>, kind: Option<Kind>, emoji: Option<&str>) {
    let x = if b.centered { b.w / 2.0 } else { b.text_x };
    let lh = layout::line_height(kind);
    out.push_str("<text x=\"");
    push_n(out, x);
    out.push_str("\" y=\"");
    push_n(out, baseline(kind, 0));
    out.push_str("\">");
    let spaced = broken_at_spaces(&b.label, &b.lines);
    for (i, line) in b.lines.iter().enumerate() {
        // A line that ended at a space keeps it, so the text reads (and copies, and is found,
        // and is announced) as its words: "Engineering Manifesto", not "EngineeringManifesto".
        if i > 0 && spaced[i - 1] {
            out.push(' ');
        }
        if i == 0 {
            match emoji.and_then(|e| line.strip_prefix(e).map(|rest| (e, rest))) {
                Some((e, rest)) => {
                    out.push_str("<tspan class=\"em\">");
                    escape_into(out, e);
                    out.push_str("</tspan>");
                    escape_into(out, rest);
                }
                None => escape_into(out, line),
            }
        } else {
            out.push_str("<tspan x=\"");
            push_n(out, x);
            out.push_str("\" dy=\"");
            push_n(out, lh);
            out.push_str("\">");
            escape_into(out, line);
            out.push_str("</tspan>");
        }
    }
    out.push_str("</text>");
}

/// For each line of `lines` (the wrapping of `label`), whether `label` has a space where the
/// line ends (a word cut in two has none).
fn broken_at_spaces(label: &str, lines: &[String]) -> Vec<bool> {
    let mut out = Vec::with_capacity(lines.len());
    let mut rest = label.chars().peekable();
    for line in lines {
        // Step over the line's characters in the label: the lines hold the label's words in
        // order, only the white space between them may differ.
        for _ in line.chars().filter(|c| !c.is_whitespace()) {
            while rest.next_if(|l| l.is_whitespace()).is_some() {}
            rest.next();
        }
        out.push(rest.peek().is_some_and(|c| c.is_whitespace()));
    }
    out
}

fn legend(out: &mut String, l: &Layout<'_>) {
    let items = [
        (Status::Learning, "Learning"),
        (Status::Done, "Done"),
        (Status::Skipped, "Skipped"),
    ];
    // Mark, gap, label, then space before the next item; centred as a whole.
    let widths: Vec<f32> = items
        .iter()
        .map(|(_, t)| 16.0 + 6.0 + crate::text::width(t, 13.0, false))
        .collect();
    let gap = 28.0;
    let total: f32 = widths.iter().sum::<f32>() + gap * (items.len() - 1) as f32;
    let _ = write!(
        out,
        "<g class=\"lg\" transform=\"translate({},{})\" aria-label=\"Legend\">",
        N(l.width / 2.0 - total / 2.0),
        N(l.legend_y)
    );
    let mut x = 0.0;
    for ((s, label), w) in items.iter().zip(&widths) {
        let _ = write!(
            out,
            "<use href=\"#s-{s}\" x=\"{}\" y=\"4\" width=\"16\" height=\"16\"/><text x=\"{}\" y=\"17\">{label}</text>",
            N(x),
            N(x + 22.0),
        );
        x += w + gap;
    }
    out.push_str("</g>");
}

#[cfg(test)]
mod contrast_tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
        let c = |shift: u32| {
            let c = f64::from((v >> shift) & 0xff) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(16) + 0.7152 * c(8) + 0.0722 * c(0)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Every text of the diagram on its box, in both themes, meets WCAG AA (4.5:1; the bold
    /// 17 px and larger headings are large text, 3:1); the boxes' fills tell the statuses
    /// apart from a topic not started.
    #[test]
    fn every_text_meets_wcag_aa_contrast_in_both_themes() {
        for t in [Theme::Light, Theme::Dark] {
            let [
                bg,
                ink,
                muted,
                _line,
                part,
                area,
                area_ink,
                group,
                _group_line,
                topic,
                _topic_line,
                sub,
                _done,
                _learning,
                _skipped,
            ] = palette(t);
            let part_ink = if t == Theme::Light {
                "#ffffff"
            } else {
                "#0b1220"
            };
            let [done_bg, learning_bg, skipped_bg, skipped_ink] = status_fills(t);
            let pairs = [
                ("title", ink, bg, 4.5),
                ("legend", muted, bg, 4.5),
                ("part", part_ink, part, 3.0),
                ("area", area_ink, area, 3.0),
                ("group", muted, group, 4.5),
                ("topic", ink, topic, 4.5),
                ("subtopic", ink, sub, 4.5),
                ("done", ink, done_bg, 4.5),
                ("learning", ink, learning_bg, 4.5),
                ("skipped", skipped_ink, skipped_bg, 4.5),
            ];
            for (what, fg, back, min) in pairs {
                let c = contrast(fg, back);
                assert!(
                    c >= min,
                    "{t:?} {what}: {fg} on {back} is {c:.2}:1, under {min}:1"
                );
            }
            for fill in [done_bg, learning_bg, skipped_bg] {
                assert_ne!(fill, topic, "{t:?}: a status fills its box differently");
            }
        }
    }
}

#[cfg(test)]
mod number_tests {
    use super::N;

    #[test]
    fn numbers_show_one_decimal_at_most_and_no_negative_zero() {
        let shown: Vec<String> = [
            0.0, -0.0, 0.04, -0.04, 12.0, 12.5, 12.44, -0.5, -3.25, 1234.96,
        ]
        .iter()
        .map(|&v| N(v).to_string())
        .collect();
        assert_eq!(
            shown,
            [
                "0", "0", "0", "0", "12", "12.5", "12.4", "-0.5", "-3.3", "1235"
            ]
        );
    }
}

#[cfg(test)]
mod path_tests {
    use super::{Edge, edges, tenths};

    /// The absolute points a path's data visits, in tenths: the end of every command.
    fn points(d: &str) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        let mut at = (0i64, 0i64);
        let mut rest = d;
        while let Some(letter) = rest.chars().next() {
            rest = &rest[1..];
            let end = rest.find(char::is_alphabetic).unwrap_or(rest.len());
            let mut nums = Vec::new();
            let mut num = String::new();
            for ch in rest[..end].chars() {
                if (ch == '-' || ch == ' ') && !num.is_empty() {
                    nums.push(num.parse::<f64>().unwrap());
                    num.clear();
                }
                if ch != ' ' {
                    num.push(ch);
                }
            }
            if !num.is_empty() {
                nums.push(num.parse::<f64>().unwrap());
            }
            rest = &rest[end..];
            let t: Vec<i64> = nums.iter().map(|v| (v * 10.0).round() as i64).collect();
            at = match letter {
                'M' => (t[0], t[1]),
                'm' => (at.0 + t[0], at.1 + t[1]),
                'v' => (at.0, at.1 + t[0]),
                'h' => (at.0 + t[0], at.1),
                'c' => (at.0 + t[4], at.1 + t[5]),
                other => panic!("unexpected command {other} in {d}"),
            };
            out.push(at);
        }
        out
    }

    fn path_data(svg: &str, class: &str) -> String {
        let key = format!("<path class=\"{class}\" d=\"");
        let start = svg.find(&key).map(|i| i + key.len()).unwrap();
        svg[start..start + svg[start..].find('"').unwrap()].to_string()
    }

    #[test]
    fn connectors_are_written_relative_to_the_last_point() {
        let mut svg = String::new();
        edges(
            &mut svg,
            &[
                Edge::Curve {
                    x1: 276.0,
                    y1: 180.0,
                    x2: 240.0,
                    y2: 188.0,
                },
                Edge::Curve {
                    x1: 276.0,
                    y1: 180.0,
                    x2: 240.0,
                    y2: 246.0,
                },
                Edge::Elbow {
                    x1: 60.0,
                    y1: 300.0,
                    x2: 80.0,
                    y2: 340.5,
                },
                Edge::Spine {
                    x: 701.0,
                    y1: 223.0,
                    y2: 732.0,
                },
                Edge::Spine {
                    x: 701.0,
                    y1: 792.0,
                    y2: 1220.0,
                },
            ],
        );
        assert_eq!(
            path_data(&svg, "e"),
            "M276 180c-18 0-18 8-36 8m36-8c-18 0-18 66-36 66m-180 54v40.5h20"
        );
        assert_eq!(path_data(&svg, "sp"), "M701 223v509m0 60v428");
    }

    #[test]
    fn relative_connectors_do_not_drift_over_many_fractional_points() {
        // Ten thousand curves between points with awkward fractions: every one still ends
        // where its absolute coordinates, rounded to tenths, say.
        let mut list = Vec::new();
        let mut want = Vec::new();
        for i in 0..10_000 {
            let f = i as f32;
            let (x1, y1) = (500.0 + (f * 0.37) % 97.0, 100.0 + f * 13.33);
            let (x2, y2) = (x1 - 40.0 - (f * 0.71) % 13.0, y1 + (f * 0.19) % 31.0);
            list.push(Edge::Curve { x1, y1, x2, y2 });
            want.push((tenths(x1), tenths(y1)));
            want.push((tenths(x2), tenths(y2)));
        }
        let mut svg = String::new();
        edges(&mut svg, &list);
        assert_eq!(points(&path_data(&svg, "e")), want);
    }
}
