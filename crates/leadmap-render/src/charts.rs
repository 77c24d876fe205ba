//! The pictures of a practice assessment, as SVG. An assessment rates each practice (a
//! roadmap topic) on the five-level scale of [`leadmap_core::assessment::Level`], or "not
//! applicable"; a practice nobody rated yet is "not rated".
//!
//! - [`LevelBars`]: a stacked bar per area, how many of its practices sit at each level.
//! - [`RankedBars`]: the areas' mean levels, highest first.
//! - [`HeatStrip`]: teams by practices, each cell a level's colour and number.
//! - [`StepMultiples`]: one small step chart per practice, its level over the assessments.
//! - [`IndexLine`]: the organisation's index (0–100) over the assessments.
//! - [`CompareDumbbell`]: what changed between two assessments, practice by practice.
//!
//! Each has a `*_svg` function that draws it in a [`Theme`] and a `rows` method that gives the
//! same numbers as a table (a header and rows of text), so that a page can print an accessible
//! table under the picture.
//!
//! **Why a ranked bar chart and not a radar.** A radar ("spider") chart is the usual picture of
//! a maturity assessment, and a poor one. Its filled area grows with the square of the values,
//! so a small step up looks like a large gain; the order of its axes, which means nothing,
//! changes its shape; its labels sit round a circle, many of them at angles that are hard to
//! read; and comparing two areas means comparing two lengths that point in different
//! directions. A ranked bar chart puts every area on one common baseline, sorted, so the
//! strongest and the weakest areas read at a glance, and its labels stay horizontal.
//!
//! What they share with [`crate::heatmap`]:
//!
//! - The five levels are one hue getting darker (light theme) or brighter (dark theme) as the
//!   level rises; each level has the ink that keeps its number at WCAG AA contrast (4.5:1 or
//!   more, tested in both themes). Colour never says anything alone: every level's number is
//!   written where it fits, "not applicable" is hatched, "not rated" is an outline, a rise and
//!   a fall differ in their marks and words too.
//! - Text is measured with the shipped font ([`crate::text`]); a label that does not fit ends
//!   in an ellipsis and keeps its whole text in a `<title>`.
//! - Colours are presentation attributes, not a `<style>`, so that the SVG can be placed
//!   inline in a page whose Content-Security-Policy refuses inline styles. One SVG draws one
//!   theme; the ids it defines carry the chart, the theme and a hash of the chart's name, so a
//!   light and a dark picture (or two charts) on one page never take each other's definitions.
//! - The root has `role="img"` and is named by its `<title>` (`aria-labelledby`).
//! - Written in one pass into one `String`; the same input gives the same bytes. Nothing here
//!   panics on odd input: empty lists draw "No ratings yet", a mean or an index that is not a
//!   finite number counts as no rating, and values out of range are drawn at the nearest end.

use std::fmt::{self, Write as _};

use leadmap_core::assessment::{self, Level, Rating};

use crate::svg::Theme;
use crate::text;

// ---------------------------------------------------------------------------------------------
// The inputs.

/// Level bars: one horizontal stacked bar per area.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelBars {
    pub title: String,
    pub areas: Vec<AreaRatings>,
}

/// An area and the ratings of its practices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AreaRatings {
    /// The area's title (the row label).
    pub title: String,
    /// One entry per practice of the area: its rating, or `None` when it is not rated yet.
    pub ratings: Vec<Option<Rating>>,
}

/// A ranked bar chart of the areas' mean levels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RankedBars {
    pub title: String,
    /// In any order: the chart sorts them.
    pub areas: Vec<AreaMean>,
}

/// An area and the mean level of its rated, applicable practices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AreaMean {
    pub title: String,
    /// From 1.0 (absent) to 5.0 (improving); `None` (or a value that is not a finite number)
    /// when no practice of the area is rated. Finite values outside 1–5 are drawn at 1 or 5.
    pub mean: Option<f64>,
}

/// A heat strip: teams (rows) by practices (columns), each cell a team's rating.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeatStrip {
    pub title: String,
    /// The areas' titles; a practice's [`StripPractice::area`] indexes this list.
    pub areas: Vec<String>,
    /// The columns, in order. Neighbouring practices of one area form a group, set apart from
    /// the next group and named under the strip.
    pub practices: Vec<StripPractice>,
    pub teams: Vec<StripTeam>,
}

/// A column of a [`HeatStrip`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StripPractice {
    pub label: String,
    /// The practice's area: an index into [`HeatStrip::areas`] (`None`: no group).
    pub area: Option<usize>,
}

/// A row of a [`HeatStrip`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StripTeam {
    pub label: String,
    /// One entry per practice, in the columns' order (`None`: not rated). A team with fewer
    /// entries than there are practices has not rated the rest.
    pub ratings: Vec<Option<Rating>>,
}

/// Small multiples: one step chart per practice, its level over the assessments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepMultiples {
    pub title: String,
    /// The assessments in order, oldest first: their labels ("Q1 2027").
    pub assessments: Vec<String>,
    pub practices: Vec<PracticeSeries>,
    /// The width to fill, in px: the number of panels in a row follows from it.
    pub width: u32,
}

/// A practice's ratings over the assessments of a [`StepMultiples`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PracticeSeries {
    pub label: String,
    /// One entry per assessment, in their order (`None`: not rated then).
    pub ratings: Vec<Option<Rating>>,
}

/// The organisation's index over the assessments: a line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexLine {
    pub title: String,
    /// The assessments in order, oldest first.
    pub points: Vec<IndexPoint>,
}

/// An assessment's index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexPoint {
    /// The assessment's label ("Q1 2027").
    pub label: String,
    /// From 0 to 100 ([`assessment::index`]); `None` (or a value that is not a finite number)
    /// when nothing was rated. Finite values outside 0–100 are drawn at 0 or 100.
    pub index: Option<f64>,
}

/// Two assessments compared: a dumbbell per practice whose level changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareDumbbell {
    pub title: String,
    /// The earlier assessment's label ("Q1 2027").
    pub before: String,
    /// The later assessment's label.
    pub after: String,
    /// Every practice, changed or not; the chart shows the changed ones and counts the rest.
    pub practices: Vec<PracticeChange>,
}

/// A practice's rating in the earlier and in the later assessment of a [`CompareDumbbell`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PracticeChange {
    pub label: String,
    pub before: Option<Rating>,
    pub after: Option<Rating>,
}

// ---------------------------------------------------------------------------------------------
// Colours.

/// A theme's colours.
#[derive(Debug, Clone, Copy)]
struct Palette {
    background: &'static str,
    ink: &'static str,
    /// Secondary text (captions, axis labels).
    muted: &'static str,
    /// Faint guide lines.
    grid: &'static str,
    /// Axes, brackets and other stronger lines.
    axis: &'static str,
    /// Fill of each level (Absent first), then the ink its number is written in.
    levels: [(&'static str, &'static str); 5],
    /// Not applicable: fill, stripe, ink.
    na: (&'static str, &'static str, &'static str),
    /// Not rated: fill, dashed outline, ink.
    unrated: (&'static str, &'static str, &'static str),
    /// Bars, lines and points of a single series.
    accent: &'static str,
    /// A level that rose, and one that fell (text and marks).
    rose: &'static str,
    fell: &'static str,
}

fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            background: "#ffffff",
            ink: "#111827",
            muted: "#475569",
            grid: "#e2e8f0",
            axis: "#94a3b8",
            levels: [
                ("#dbeafe", "#111827"),
                ("#93c5fd", "#111827"),
                ("#60a5fa", "#111827"),
                ("#2563eb", "#ffffff"),
                ("#1e3a8a", "#ffffff"),
            ],
            na: ("#e2e8f0", "#cbd5e1", "#111827"),
            unrated: ("#ffffff", "#64748b", "#475569"),
            accent: "#2563eb",
            rose: "#1d4ed8",
            fell: "#c2410c",
        },
        Theme::Dark => Palette {
            background: "#0b1220",
            ink: "#e5e7eb",
            muted: "#94a3b8",
            grid: "#1e293b",
            axis: "#475569",
            levels: [
                ("#1e3a8a", "#e5e7eb"),
                ("#1d4ed8", "#ffffff"),
                ("#3b82f6", "#0b1220"),
                ("#93c5fd", "#0b1220"),
                ("#dbeafe", "#0b1220"),
            ],
            na: ("#1e293b", "#334155", "#e5e7eb"),
            unrated: ("#0b1220", "#7c8ba1", "#94a3b8"),
            accent: "#60a5fa",
            rose: "#60a5fa",
            fell: "#fb923c",
        },
    }
}

/// The seven kinds of rating a count or a cell can be: a level (slots 0–4, Absent first), not
/// applicable, not rated.
const SLOTS: usize = 7;
const NA: usize = 5;
const UNRATED: usize = 6;

fn slot(r: Option<Rating>) -> usize {
    match r {
        Some(Rating::Level(l)) => usize::from(l.number()) - 1,
        Some(Rating::NotApplicable) => NA,
        None => UNRATED,
    }
}

fn slot_label(slot: usize) -> &'static str {
    match slot {
        NA => "Not applicable",
        UNRATED => "Not rated",
        l => Level::ALL[l.min(4)].label(),
    }
}

/// The ink a slot's number is written in.
fn slot_ink(p: &Palette, slot: usize) -> &'static str {
    match slot {
        NA => p.na.2,
        UNRATED => p.unrated.2,
        l => p.levels[l.min(4)].1,
    }
}

/// How many ratings fall in each slot.
fn tally(ratings: &[Option<Rating>]) -> [usize; SLOTS] {
    let mut t = [0; SLOTS];
    for &r in ratings {
        t[slot(r)] += 1;
    }
    t
}

/// A rating as a table cell: the level's number, `n/a` or `not rated`.
fn rating_cell(r: Option<Rating>) -> String {
    match r {
        Some(Rating::Level(l)) => l.number().to_string(),
        Some(Rating::NotApplicable) => "n/a".to_owned(),
        None => "not rated".to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Measures shared by the charts.

/// The font families every SVG of ours asks for (the shipped font first).
const FONT_FAMILY: &str = "DejaVu Sans,Verdana,sans-serif";
const PAD: f32 = 16.0;
const SIZE: f32 = 12.0;
const SMALL: f32 = 10.0;
const TITLE_SIZE: f32 = 16.0;
/// Baseline of the title.
const TITLE_Y: f32 = PAD + 16.0;
/// The narrowest a chart is drawn, so that its title and legend have room.
const MIN_W: f32 = 560.0;
/// A line of text at [`SIZE`].
const LINE: f32 = 16.0;
/// How far below a line's middle its baseline lies, in font sizes: DejaVu's capitals and
/// digits are 0.73 em tall.
const MID: f32 = 0.365;
const ELLIPSIS: &str = "…";
const NO_RATINGS: &str = "No ratings yet";
/// A legend's swatch.
const SWATCH_W: f32 = 24.0;
const SWATCH_H: f32 = 18.0;
const LEGEND_LINE: f32 = 26.0;

/// A coordinate as written: at most one decimal, no `-0`.
#[derive(Debug, Clone, Copy)]
struct N(f32);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round();
        if !tenths.is_finite() {
            return f.write_str("0");
        }
        let t = tenths as i64;
        if t % 10 == 0 {
            write!(f, "{}", t / 10)
        } else {
            let sign = if t < 0 { "-" } else { "" };
            write!(f, "{sign}{}.{}", t.abs() / 10, t.abs() % 10)
        }
    }
}

/// A mean as people read it: one decimal, halves rounded up ("3.4").
fn one_decimal(v: f64) -> String {
    format!("{:.1}", (v * 10.0).round() / 10.0)
}

/// A mean as drawn: a finite number, between 1 and 5.
fn clean_mean(m: Option<f64>) -> Option<f64> {
    m.filter(|v| v.is_finite()).map(|v| v.clamp(1.0, 5.0))
}

/// An index as drawn: a finite number, between 0 and 100.
fn clean_index(i: Option<f64>) -> Option<f64> {
    i.filter(|v| v.is_finite()).map(|v| v.clamp(0.0, 100.0))
}

/// A text cut to a width: the start kept (trimmed, on one line) and whether an ellipsis
/// follows it.
#[derive(Debug, Clone)]
struct Fit {
    text: String,
    cut: bool,
    width: f32,
}

impl Fit {
    /// Whether nothing would be drawn (not even an ellipsis).
    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// `s` on one line (control characters as spaces), cut to `max` px at `size`: the longest
/// start that fits with an ellipsis after it, or all of it when it fits without one. When not
/// even one character fits beside the ellipsis, nothing is kept.
fn fit(s: &str, size: f32, bold: bool, max: f32) -> Fit {
    let clean = one_line(s);
    let clean = clean.trim();
    let whole = text::width(clean, size, bold);
    if whole <= max {
        return Fit {
            text: clean.to_owned(),
            cut: false,
            width: whole,
        };
    }
    let room = max - text::width(ELLIPSIS, size, bold);
    let mut kept = String::new();
    let mut used = 0.0;
    for c in clean.chars() {
        let w = text::width(c.encode_utf8(&mut [0; 4]), size, bold);
        if used + w > room {
            break;
        }
        used += w;
        kept.push(c);
    }
    let kept = kept.trim_end();
    if kept.is_empty() {
        return Fit {
            text: String::new(),
            cut: true,
            width: 0.0,
        };
    }
    Fit {
        width: text::width(kept, size, bold) + text::width(ELLIPSIS, size, bold),
        text: kept.to_owned(),
        cut: true,
    }
}

/// `s` with line breaks and the other characters XML refuses as spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if bad_char(c) { ' ' } else { c })
        .collect()
}

fn bad_char(c: char) -> bool {
    c.is_control() || c == '\u{fffe}' || c == '\u{ffff}'
}

/// Appends `s` as XML text or as an attribute value in double quotes.
fn esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if bad_char(c) => out.push(' '),
            c => out.push(c),
        }
    }
}

/// The widest of some texts at `size`.
fn widest<'a>(texts: impl IntoIterator<Item = &'a str>, size: f32, bold: bool) -> f32 {
    texts
        .into_iter()
        .map(|t| text::width(t, size, bold))
        .fold(0.0, f32::max)
}

/// The title cut to the drawing (never narrower than [`MIN_W`] allows), and the width of the
/// drawing holding `content_w` px of content and the title.
fn titled(title: &str, content_w: f32) -> (Fit, f32) {
    titled_within(title, content_w, MIN_W)
}

/// [`titled`] with another narrowest width.
fn titled_within(title: &str, content_w: f32, min_w: f32) -> (Fit, f32) {
    let content_w = content_w.max(min_w).ceil();
    let t = fit(title, TITLE_SIZE, true, content_w - 2.0 * PAD);
    (t, content_w)
}

/// 32-bit FNV-1a: a short, stable tag for the ids of one chart.
fn fnv(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// "title: what", or "what" alone when there is no title.
fn accessible_name(title: &str, what: &str) -> String {
    let t = one_line(title);
    let t = t.trim();
    if t.is_empty() {
        what.to_owned()
    } else {
        format!("{t}: {what}")
    }
}

/// A chart with nothing to draw: its title and a note that says so.
fn nothing_svg(kind: &str, theme: Theme, title: &str, name: &str, note: &str) -> String {
    let (t, width) = titled(title, 0.0);
    let f = fit(note, SIZE, false, width - 2.0 * PAD);
    // Without a title, the note takes its place.
    let note_y = if t.is_empty() {
        PAD + 14.0
    } else {
        TITLE_Y + 28.0
    };
    let mut d = Doc::new(kind, theme, width, note_y + PAD + 4.0, name);
    d.heading(&t, title);
    let attrs = format!(r#" fill="{}""#, d.p.muted);
    d.fitted(PAD, note_y, &attrs, &f, note);
    d.finish()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An SVG being written.
struct Doc {
    s: String,
    /// The start of every id this SVG defines.
    ids: String,
    p: Palette,
}

impl Doc {
    /// Opens the SVG: its size, name, background and the group every mark sits in.
    fn new(kind: &str, theme: Theme, width: f32, height: f32, name: &str) -> Doc {
        let p = palette(theme);
        let t = match theme {
            Theme::Light => 'l',
            Theme::Dark => 'd',
        };
        let ids = format!("lm{kind}{t}{:08x}", fnv(name));
        let (w, h) = (width.ceil().max(1.0) as u32, height.ceil().max(1.0) as u32);
        let mut s = String::with_capacity(4096);
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{ids}t"><title id="{ids}t">"#
        );
        esc(&mut s, name);
        let _ = write!(
            s,
            r#"</title><rect width="{w}" height="{h}" fill="{}"/><g font-family="{FONT_FAMILY}" font-size="12" fill="{}">"#,
            p.background, p.ink
        );
        Doc { s, ids, p }
    }

    fn finish(mut self) -> String {
        self.s.push_str("</g></svg>");
        self.s
    }

    /// The stripes of "not applicable", as a pattern.
    fn hatch_def(&mut self) {
        let _ = write!(
            self.s,
            r#"<defs><pattern id="{}h" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{}"/><rect width="2.5" height="6" fill="{}"/></pattern></defs>"#,
            self.ids, self.p.na.0, self.p.na.1
        );
    }

    /// The chart's title.
    fn heading(&mut self, title: &Fit, whole: &str) {
        self.fitted(
            PAD,
            TITLE_Y,
            r#" font-size="16" font-weight="bold""#,
            title,
            whole,
        );
    }

    /// A fitted text at (x, y) with more attributes (each with a leading space), its whole
    /// text in a `<title>` when it was cut. Nothing when nothing fits.
    fn fitted(&mut self, x: f32, y: f32, attrs: &str, f: &Fit, whole: &str) {
        if f.is_empty() {
            return;
        }
        let _ = write!(self.s, r#"<text x="{}" y="{}"{attrs}>"#, N(x), N(y));
        esc(&mut self.s, &f.text);
        if f.cut {
            self.s.push_str(ELLIPSIS);
            self.s.push_str("<title>");
            esc(&mut self.s, one_line(whole).trim());
            self.s.push_str("</title>");
        }
        self.s.push_str("</text>");
    }

    /// A text known to fit.
    fn text(&mut self, x: f32, y: f32, attrs: &str, t: &str) {
        let _ = write!(self.s, r#"<text x="{}" y="{}"{attrs}>"#, N(x), N(y));
        esc(&mut self.s, t);
        self.s.push_str("</text>");
    }

    /// Muted lines of text, one under the other, from the baseline `y`.
    fn lines(&mut self, x: f32, y: f32, lines: &[String]) {
        let attrs = format!(r#" fill="{}""#, self.p.muted);
        for (i, l) in lines.iter().enumerate() {
            self.text(x, y + i as f32 * LINE, &attrs, l);
        }
    }

    /// A rectangle in a slot's look: a level's colour, stripes, or a dashed outline.
    fn slot_rect(&mut self, slot: usize, x: f32, y: f32, w: f32, h: f32) {
        match slot {
            NA => {
                let _ = write!(
                    self.s,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="url(#{}h)"/>"##,
                    N(x),
                    N(y),
                    N(w),
                    N(h),
                    self.ids
                );
            }
            UNRATED => {
                if w > 1.0 && h > 1.0 {
                    let _ = write!(
                        self.s,
                        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}" stroke="{}" stroke-dasharray="3 2"/>"#,
                        N(x + 0.5),
                        N(y + 0.5),
                        N(w - 1.0),
                        N(h - 1.0),
                        self.p.unrated.0,
                        self.p.unrated.1
                    );
                }
            }
            l => {
                let _ = write!(
                    self.s,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"/>"#,
                    N(x),
                    N(y),
                    N(w),
                    N(h),
                    self.p.levels[l.min(4)].0
                );
            }
        }
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, colour: &str, width: f32) {
        let _ = write!(
            self.s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="{}"/>"#,
            N(x1),
            N(y1),
            N(x2),
            N(y2),
            N(width)
        );
    }

    /// "No ratings yet" (or another note) in the muted ink.
    fn note(&mut self, x: f32, y: f32, t: &str) {
        let attrs = format!(r#" fill="{}""#, self.p.muted);
        self.text(x, y, &attrs, t);
    }
}

/// The legend of the seven slots (five levels, not applicable, not rated), laid in lines.
#[derive(Debug)]
struct Legend {
    /// Each slot's swatch, from the legend's top left corner.
    at: [(f32, f32); SLOTS],
    height: f32,
}

impl Legend {
    fn new(max_w: f32) -> Legend {
        let widths = (0..SLOTS).map(|s| SWATCH_W + 6.0 + text::width(slot_label(s), SIZE, false));
        let one_line = widths.clone().sum::<f32>() + 18.0 * (SLOTS - 1) as f32 <= max_w;
        let mut at = [(0.0, 0.0); SLOTS];
        let (mut x, mut line) = (0.0f32, 0u32);
        for ((slot, place), w) in at.iter_mut().enumerate().zip(widths) {
            // On more than one line, the levels keep to their own lines and "not applicable"
            // and "not rated" start a line of their own.
            if x > 0.0 && (x + w > max_w || (slot == NA && !one_line)) {
                x = 0.0;
                line += 1;
            }
            *place = (x, line as f32 * LEGEND_LINE);
            x += w + 18.0;
        }
        Legend {
            at,
            height: line as f32 * LEGEND_LINE + SWATCH_H,
        }
    }

    fn draw(&self, d: &mut Doc, x0: f32, y0: f32) {
        let label_attrs = format!(r#" fill="{}""#, d.p.ink);
        for (slot, &(x, y)) in self.at.iter().enumerate() {
            let (x, y) = (x0 + x, y0 + y);
            d.slot_rect(slot, x, y, SWATCH_W, SWATCH_H);
            let base = y + SWATCH_H / 2.0 + MID * SIZE;
            if slot < 5 {
                let attrs = format!(r#" fill="{}" text-anchor="middle""#, slot_ink(&d.p, slot));
                d.text(x + SWATCH_W / 2.0, base, &attrs, &(slot + 1).to_string());
            }
            d.text(x + SWATCH_W + 6.0, base, &label_attrs, slot_label(slot));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Level bars.

impl LevelBars {
    /// The table under the picture: per area, how many practices sit at each level, are not
    /// applicable, are not rated, and in all.
    pub fn rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["Area".to_owned()];
        header.extend(
            Level::ALL
                .iter()
                .map(|l| format!("{} {}", l.number(), l.label())),
        );
        header.extend(["Not applicable", "Not rated", "Practices"].map(String::from));
        let rows = self
            .areas
            .iter()
            .map(|a| {
                let t = tally(&a.ratings);
                let mut row = vec![one_line(&a.title).trim().to_owned()];
                row.extend(t.iter().map(usize::to_string));
                row.push(a.ratings.len().to_string());
                row
            })
            .collect();
        (header, rows)
    }
}

/// [`LevelBars`] as a standalone SVG in `theme`. Every practice takes the same width in every
/// bar, so longer bars are areas with more practices; a segment's count is written in it when
/// it fits.
pub fn level_bars_svg(c: &LevelBars, theme: Theme) -> String {
    const ROW: f32 = 30.0;
    const BAR_H: f32 = 22.0;
    const BARS_MAX: f32 = 560.0;
    const UNIT_MAX: f32 = 40.0;
    const LABEL_MAX: f32 = 220.0;
    const NO_PRACTICES: &str = "no practices";

    let practices: usize = c.areas.iter().map(|a| a.ratings.len()).sum();
    let name = accessible_name(
        &c.title,
        &format!(
            "practices at each level, {} in {}",
            plural(practices, "practice", "practices"),
            plural(c.areas.len(), "area", "areas")
        ),
    );
    if c.areas.is_empty() {
        return nothing_svg("lb", theme, &c.title, &name, NO_RATINGS);
    }

    let tallies: Vec<[usize; SLOTS]> = c.areas.iter().map(|a| tally(&a.ratings)).collect();
    let most = c.areas.iter().map(|a| a.ratings.len()).max().unwrap_or(0);
    let labels: Vec<Fit> = c
        .areas
        .iter()
        .map(|a| fit(&a.title, SIZE, false, LABEL_MAX))
        .collect();
    let label_w = labels.iter().map(|f| f.width).fold(0.0, f32::max).ceil();
    let unit = if most == 0 {
        0.0
    } else {
        (BARS_MAX / most as f32).min(UNIT_MAX)
    };
    let bar_x = PAD + label_w + 12.0;
    let bars_w = (unit * most as f32).max(text::width(NO_PRACTICES, SIZE, false));
    let (title, width) = titled(&c.title, bar_x + bars_w + PAD);

    let legend = Legend::new(width - 2.0 * PAD);
    let legend_y = TITLE_Y + 14.0;
    let top = legend_y + legend.height + 18.0;
    let rows = c.areas.len().max(1) as f32;
    let height = top + rows * ROW - (ROW - BAR_H) + PAD;

    let mut d = Doc::new("lb", theme, width, height, &name);
    d.s.reserve(c.areas.len() * 700);
    d.hatch_def();
    d.heading(&title, &c.title);
    legend.draw(&mut d, PAD, legend_y);
    let muted = format!(r#" fill="{}""#, d.p.muted);
    for (r, (area, t)) in c.areas.iter().zip(&tallies).enumerate() {
        let y = top + r as f32 * ROW;
        let base = y + BAR_H / 2.0 + MID * SIZE;
        d.fitted(PAD, base, "", &labels[r], &area.title);
        if area.ratings.is_empty() {
            d.text(bar_x, base, &muted, NO_PRACTICES);
            continue;
        }
        let last = (0..SLOTS).rev().find(|&s| t[s] > 0).unwrap_or(0);
        let mut x = bar_x;
        for (s, &n) in t.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let full = unit * n as f32;
            // A pixel between segments, unless that would leave nothing of one.
            let w = if s == last || full <= 2.0 {
                full
            } else {
                full - 1.0
            };
            d.slot_rect(s, x, y, w, BAR_H);
            let count = n.to_string();
            if text::width(&count, SIZE, false) + 6.0 <= w {
                let attrs = format!(r#" fill="{}" text-anchor="middle""#, slot_ink(&d.p, s));
                d.text(x + w / 2.0, base, &attrs, &count);
            }
            x += full;
        }
    }
    d.finish()
}

// ---------------------------------------------------------------------------------------------
// 2. Ranked bars.

impl RankedBars {
    /// The chart of some areas' ratings: each area's mean level of its rated, applicable
    /// practices ([`assessment::mean`]).
    pub fn from_ratings(title: &str, areas: &[AreaRatings]) -> RankedBars {
        RankedBars {
            title: title.to_owned(),
            areas: areas
                .iter()
                .map(|a| AreaMean {
                    title: a.title.clone(),
                    mean: assessment::mean(
                        a.ratings.iter().filter_map(|r| r.and_then(Rating::level)),
                    ),
                })
                .collect(),
        }
    }

    /// The areas as drawn: rated ones by mean level, highest first (ties in the given order),
    /// then the unrated ones in the given order. Each with its mean as drawn.
    fn ranked(&self) -> Vec<(usize, Option<f64>)> {
        let mut order: Vec<(usize, Option<f64>)> = self
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| (i, clean_mean(a.mean)))
            .collect();
        order.sort_by(|a, b| match (a.1, b.1) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        order
    }

    /// The table under the picture: rank, area and mean level, in the picture's order.
    pub fn rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header = ["Rank", "Area", "Mean level (1–5)"]
            .map(String::from)
            .to_vec();
        let rows = self
            .ranked()
            .into_iter()
            .enumerate()
            .map(|(rank, (i, mean))| {
                let title = one_line(&self.areas[i].title).trim().to_owned();
                match mean {
                    Some(m) => vec![(rank + 1).to_string(), title, one_decimal(m)],
                    None => vec![String::new(), title, "no rating".to_owned()],
                }
            })
            .collect();
        (header, rows)
    }
}

/// The words under each level's tick.
fn tick_label(l: Level) -> String {
    format!("{} {}", l.number(), l.label())
}

/// [`RankedBars`] as a standalone SVG in `theme`: a bar per area from level 1 to its mean,
/// highest first, its value written after it; unrated areas last, marked "no rating".
pub fn ranked_bars_svg(c: &RankedBars, theme: Theme) -> String {
    const ROW: f32 = 26.0;
    const BAR_H: f32 = 18.0;
    const PLOT_W: f32 = 400.0;
    const LABEL_MAX: f32 = 240.0;
    const CAPTION: &str = "Mean level of each area's rated practices, highest first. \
                           Practices that do not apply count in no mean.";

    let name = accessible_name(
        &c.title,
        &format!(
            "mean level of {}, highest first",
            plural(c.areas.len(), "area", "areas")
        ),
    );
    if c.areas.is_empty() {
        return nothing_svg("rb", theme, &c.title, &name, NO_RATINGS);
    }

    let order = c.ranked();
    let labels: Vec<Fit> = c
        .areas
        .iter()
        .map(|a| fit(&a.title, SIZE, false, LABEL_MAX))
        .collect();
    let label_w = labels.iter().map(|f| f.width).fold(0.0, f32::max).ceil();
    // Far enough right for the labels, and for the first tick's words to stay in the picture.
    let plot_x = (PAD + label_w + 14.0)
        .max(PAD + text::width(&tick_label(Level::Absent), SIZE, false) / 2.0)
        .ceil();
    let x_of = |v: f64| plot_x + ((v - 1.0) / 4.0) as f32 * PLOT_W;
    let ticks: Vec<String> = Level::ALL.iter().map(|&l| tick_label(l)).collect();
    let right = (text::width(&ticks[4], SIZE, false) / 2.0)
        .max(6.0 + text::width("5.0", SIZE, false))
        .ceil();
    let (title, width) = titled(&c.title, plot_x + PLOT_W + right + PAD);

    let caption = text::wrap(CAPTION, SIZE, false, width - 2.0 * PAD);
    let caption_y = TITLE_Y + 22.0;
    let axis_y = caption_y + caption.len() as f32 * LINE + 14.0;
    let top = axis_y + 12.0;
    let rated = order.iter().filter(|(_, m)| m.is_some()).count();
    let unrated = order.len() - rated;
    let unrated_top = top + rated as f32 * ROW + if rated > 0 && unrated > 0 { 10.0 } else { 0.0 };
    let bottom = unrated_top + unrated as f32 * ROW;
    let height = bottom.max(top + ROW) - (ROW - BAR_H) + PAD;

    let mut d = Doc::new("rb", theme, width, height, &name);
    d.s.reserve(c.areas.len() * 300);
    d.heading(&title, &c.title);
    d.lines(PAD, caption_y, &caption);

    // The axis: a tick label over each level, a guide line down through the rated rows.
    let tick_attrs = format!(r#" fill="{}" text-anchor="middle""#, d.p.muted);
    let grid_bottom = top + (rated as f32 * ROW - (ROW - BAR_H)).max(BAR_H);
    for (l, tick) in Level::ALL.iter().zip(&ticks) {
        let x = x_of(f64::from(l.number()));
        d.text(x, axis_y, &tick_attrs, tick);
        let colour = if *l == Level::Absent {
            d.p.axis
        } else {
            d.p.grid
        };
        d.line(x, axis_y + 4.0, x, grid_bottom, colour, 1.0);
    }

    let muted = format!(r#" fill="{}""#, d.p.muted);
    for (pos, &(i, mean)) in order.iter().enumerate() {
        let y = if pos < rated {
            top + pos as f32 * ROW
        } else {
            unrated_top + (pos - rated) as f32 * ROW
        };
        let base = y + BAR_H / 2.0 + MID * SIZE;
        d.fitted(PAD, base, "", &labels[i], &c.areas[i].title);
        match mean {
            Some(m) => {
                let w = (x_of(m) - plot_x).max(2.0);
                let _ = write!(
                    d.s,
                    r#"<rect x="{}" y="{}" width="{}" height="{BAR_H}" rx="2" fill="{}"/>"#,
                    N(plot_x),
                    N(y),
                    N(w),
                    d.p.accent
                );
                d.text(plot_x + w + 6.0, base, "", &one_decimal(m));
            }
            None => d.text(plot_x + 6.0, base, &muted, "no rating"),
        }
    }
    d.finish()
}

// ---------------------------------------------------------------------------------------------
// 3. Heat strip.

impl HeatStrip {
    /// The table under the picture: a row per team, a column per practice, each cell the
    /// level's number, `n/a` or `not rated`.
    pub fn rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["Team".to_owned()];
        header.extend(
            self.practices
                .iter()
                .map(|p| one_line(&p.label).trim().to_owned()),
        );
        let rows = self
            .teams
            .iter()
            .map(|t| {
                let mut row = vec![one_line(&t.label).trim().to_owned()];
                row.extend(
                    (0..self.practices.len())
                        .map(|c| rating_cell(t.ratings.get(c).copied().flatten())),
                );
                row
            })
            .collect();
        (header, rows)
    }

    /// The area of column `c` when it names one of [`HeatStrip::areas`].
    fn area_of(&self, c: usize) -> Option<usize> {
        self.practices[c].area.filter(|&a| a < self.areas.len())
    }
}

/// [`HeatStrip`] as a standalone SVG in `theme`. Cells are 22 px with up to 40 practices and
/// 14 px beyond; each shows its level's number; not applicable is hatched, not rated an
/// outline. Column labels are turned a quarter; areas are set apart and named underneath.
pub fn heat_strip_svg(c: &HeatStrip, theme: Theme) -> String {
    const GAP: f32 = 2.0;
    const GROUP_GAP: f32 = 8.0;
    const ROW_LABEL_MAX: f32 = 200.0;
    const COLUMN_LABEL_MAX: f32 = 160.0;
    const BAND_LINE: f32 = 15.0;

    let n = c.practices.len();
    let name = accessible_name(
        &c.title,
        &format!(
            "level of {} in {}",
            plural(n, "practice", "practices"),
            plural(c.teams.len(), "team", "teams")
        ),
    );
    if n == 0 || c.teams.is_empty() {
        return nothing_svg("hs", theme, &c.title, &name, NO_RATINGS);
    }
    let roomy = n <= 40;
    let cell: f32 = if roomy { 22.0 } else { 14.0 };
    let digit_size: f32 = if roomy { 12.0 } else { 9.0 };
    let column_size: f32 = if roomy { 12.0 } else { 11.0 };
    let show_digits = text::width("5", digit_size, false) + 2.0 <= cell;

    // Columns: x from the grid's left edge, a wider gap where the area changes.
    let grouped = (0..n).any(|i| c.area_of(i).is_some());
    let mut xs = Vec::with_capacity(n);
    let mut x = 0.0;
    for i in 0..n {
        if i > 0 {
            x += GAP;
            if grouped && c.practices[i].area != c.practices[i - 1].area {
                x += GROUP_GAP;
            }
        }
        xs.push(x);
        x += cell;
    }
    let grid_w = x;
    // Runs of neighbouring columns of one area: first column, last column, area.
    let mut runs: Vec<(usize, usize, Option<usize>)> = Vec::new();
    if grouped {
        for i in 0..n {
            match runs.last_mut() {
                Some(run) if c.practices[run.0].area == c.practices[i].area => run.1 = i,
                _ => runs.push((i, i, c.area_of(i))),
            }
        }
    }

    let row_labels: Vec<Fit> = c
        .teams
        .iter()
        .map(|t| fit(&t.label, SIZE, false, ROW_LABEL_MAX))
        .collect();
    let label_w = row_labels
        .iter()
        .map(|f| f.width)
        .fold(0.0, f32::max)
        .ceil();
    let grid_x = PAD + label_w + 10.0;
    let column_labels: Vec<Fit> = c
        .practices
        .iter()
        .map(|p| fit(&p.label, column_size, false, COLUMN_LABEL_MAX))
        .collect();
    let header_h = column_labels
        .iter()
        .map(|f| f.width)
        .fold(16.0, f32::max)
        .ceil()
        + 8.0;
    let band_h = if runs.iter().any(|r| r.2.is_some()) {
        8.0 + 2.0 * BAND_LINE
    } else {
        0.0
    };
    let (title, width) = titled(&c.title, grid_x + grid_w + PAD);

    let legend = Legend::new(width - 2.0 * PAD);
    let legend_y = TITLE_Y + 14.0;
    let header_top = legend_y + legend.height + 18.0;
    let grid_top = header_top + header_h;
    let pitch = cell + GAP;
    let grid_h = c.teams.len() as f32 * pitch - GAP;
    let band_top = grid_top + grid_h + 6.0;
    let height = band_top + band_h + PAD;

    let mut d = Doc::new("hs", theme, width, height, &name);
    d.s.reserve(n * 120 + c.teams.len() * (200 + n * 60));
    let ids = d.ids.clone();
    let r = if roomy { 3 } else { 2 };
    let _ = write!(
        d.s,
        r#"<defs><pattern id="{ids}h" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{}"/><rect width="2.5" height="6" fill="{}"/></pattern>"#,
        d.p.na.0, d.p.na.1
    );
    for (l, (fill, _)) in d.p.levels.iter().enumerate() {
        let _ = write!(
            d.s,
            r#"<rect id="{ids}{l}" width="{cell}" height="{cell}" rx="{r}" fill="{fill}"/>"#
        );
    }
    let _ = write!(
        d.s,
        r##"<rect id="{ids}n" width="{cell}" height="{cell}" rx="{r}" fill="url(#{ids}h)"/><rect id="{ids}u" x="0.5" y="0.5" width="{}" height="{}" rx="{r}" fill="{}" stroke="{}" stroke-dasharray="2 2"/></defs>"##,
        N(cell - 1.0),
        N(cell - 1.0),
        d.p.unrated.0,
        d.p.unrated.1
    );
    d.heading(&title, &c.title);
    legend.draw(&mut d, PAD, legend_y);

    // Column labels, read upwards from just above the grid. Turned a quarter, a line's glyphs
    // lie left of its baseline: the baseline goes right of the column's middle.
    let _ = write!(d.s, r#"<g font-size="{}">"#, N(column_size));
    for (i, f) in column_labels.iter().enumerate() {
        if f.is_empty() {
            continue;
        }
        let bx = grid_x + xs[i] + cell / 2.0 + MID * column_size;
        let _ = write!(
            d.s,
            r#"<text transform="translate({} {}) rotate(-90)">"#,
            N(bx),
            N(grid_top - 6.0)
        );
        esc(&mut d.s, &f.text);
        if f.cut {
            d.s.push_str(ELLIPSIS);
            d.s.push_str("<title>");
            esc(&mut d.s, one_line(&c.practices[i].label).trim());
            d.s.push_str("</title>");
        }
        d.s.push_str("</text>");
    }
    d.s.push_str("</g>");

    // A faint line between areas, through the grid.
    for pair in runs.windows(2) {
        let gap_mid = grid_x + (xs[pair[0].1] + cell + xs[pair[1].0]) / 2.0;
        let colour = d.p.grid;
        d.line(
            gap_mid,
            grid_top - 2.0,
            gap_mid,
            grid_top + grid_h + 2.0,
            colour,
            1.0,
        );
    }

    // The inks the numbers are written in, each with the levels it serves.
    let mut inks: Vec<(&str, [bool; 5])> = Vec::new();
    for (l, &(_, ink)) in d.p.levels.iter().enumerate() {
        match inks.iter_mut().find(|(i, _)| *i == ink) {
            Some((_, mine)) => mine[l] = true,
            None => {
                let mut mine = [false; 5];
                mine[l] = true;
                inks.push((ink, mine));
            }
        }
    }
    let cell_base = cell / 2.0 + MID * digit_size;
    for (t, team) in c.teams.iter().enumerate() {
        let y = grid_top + t as f32 * pitch;
        let _ = write!(d.s, r#"<g transform="translate(0 {})">"#, N(y));
        d.fitted(
            PAD,
            cell / 2.0 + MID * SIZE,
            "",
            &row_labels[t],
            &team.label,
        );
        let rating = |i: usize| team.ratings.get(i).copied().flatten();
        for (i, &cx) in xs.iter().enumerate() {
            let key = match slot(rating(i)) {
                NA => 'n',
                UNRATED => 'u',
                l => char::from(b'0' + l as u8),
            };
            let _ = write!(d.s, r##"<use href="#{ids}{key}" x="{}"/>"##, N(grid_x + cx));
        }
        if show_digits {
            for (ink, mine) in &inks {
                let mut open = false;
                for (i, &cx) in xs.iter().enumerate() {
                    let s = slot(rating(i));
                    if s >= 5 || !mine[s] {
                        continue;
                    }
                    if !open {
                        let _ = write!(
                            d.s,
                            r#"<g fill="{ink}" text-anchor="middle" font-size="{}">"#,
                            N(digit_size)
                        );
                        open = true;
                    }
                    let _ = write!(
                        d.s,
                        r#"<text x="{}" y="{}">{}</text>"#,
                        N(grid_x + cx + cell / 2.0),
                        N(cell_base),
                        s + 1
                    );
                }
                if open {
                    d.s.push_str("</g>");
                }
            }
        }
        d.s.push_str("</g>");
    }

    // The areas under the strip: a bracket under each run of columns, its name under it, on
    // two staggered lines. A name may reach the middle of each neighbouring run (the names
    // two runs away, on the same line, stop there too), and shifts off-centre at the edges.
    if band_h > 0.0 {
        let centre = |r: &(usize, usize, Option<usize>)| grid_x + (xs[r.0] + xs[r.1] + cell) / 2.0;
        let attrs = format!(r#" font-size="11" fill="{}""#, d.p.muted);
        for (k, run) in runs.iter().enumerate() {
            let Some(area) = run.2 else { continue };
            let x0 = grid_x + xs[run.0];
            let x1 = grid_x + xs[run.1] + cell;
            let colour = d.p.axis;
            d.line(x0, band_top, x1, band_top, colour, 2.0);
            let lo = k.checked_sub(1).map_or(PAD, |j| centre(&runs[j]) + 4.0);
            let hi = runs.get(k + 1).map_or(width - PAD, |r| centre(r) - 4.0);
            let f = fit(&c.areas[area], 11.0, false, hi - lo);
            let x = (centre(run) - f.width / 2.0).clamp(lo, (hi - f.width).max(lo));
            let y = band_top + BAND_LINE * (1 + k % 2) as f32;
            d.fitted(x, y, &attrs, &f, &c.areas[area]);
        }
    }
    d.finish()
}

// ---------------------------------------------------------------------------------------------
// 4. Step chart small multiples.

impl StepMultiples {
    /// The table under the picture: a row per practice, a column per assessment.
    pub fn rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["Practice".to_owned()];
        header.extend(
            self.assessments
                .iter()
                .map(|a| one_line(a).trim().to_owned()),
        );
        let rows = self
            .practices
            .iter()
            .map(|p| {
                let mut row = vec![one_line(&p.label).trim().to_owned()];
                row.extend(
                    (0..self.assessments.len())
                        .map(|i| rating_cell(p.ratings.get(i).copied().flatten())),
                );
                row
            })
            .collect();
        (header, rows)
    }
}

/// [`StepMultiples`] as a standalone SVG in `theme`: a grid of panels, as many in a row as
/// [`StepMultiples::width`] holds (at least one). Each panel names its practice and its latest
/// rating, and draws its level (1–5) as a step line over the assessments, broken where the
/// practice was not rated or did not apply.
pub fn step_multiples_svg(c: &StepMultiples, theme: Theme) -> String {
    const PANEL_MIN: f32 = 210.0;
    const PANEL_MAX: f32 = 340.0;
    const PANEL_H: f32 = 132.0;
    const GAP: f32 = 14.0;
    const KEY: &str = "Levels: 1 Absent, 2 Ad hoc, 3 Defined, 4 Practised, 5 Improving. \
                       The square at the top right: the latest rating (striped: not \
                       applicable). A break in a line: not rated or not applicable.";

    let n = c.practices.len();
    let m = c.assessments.len();
    let name = accessible_name(
        &c.title,
        &format!(
            "level of {} over {}",
            plural(n, "practice", "practices"),
            plural(m, "assessment", "assessments")
        ),
    );
    if c.practices.is_empty() {
        return nothing_svg("sm", theme, &c.title, &name, NO_RATINGS);
    }

    let avail = (c.width as f32 - 2.0 * PAD).max(PANEL_MIN);
    let cols = (((avail + GAP) / (PANEL_MIN + GAP)).floor() as usize).clamp(1, n.max(1));
    let panel_w = ((avail - GAP * (cols - 1) as f32) / cols as f32)
        .clamp(PANEL_MIN, PANEL_MAX)
        .floor();
    let rows = n.div_ceil(cols).max(1);
    let (title, width) = titled_within(
        &c.title,
        2.0 * PAD + cols as f32 * panel_w + (cols - 1) as f32 * GAP,
        2.0 * PAD + PANEL_MIN,
    );
    let key = text::wrap(KEY, SIZE, false, width - 2.0 * PAD);
    let key_y = TITLE_Y + 22.0;
    let grid_top = key_y + (key.len() as f32 - 1.0) * LINE + 16.0;
    let height = grid_top + rows as f32 * (PANEL_H + GAP) - GAP + PAD;

    let mut d = Doc::new("sm", theme, width, height, &name);
    d.hatch_def();
    d.s.reserve(n * (900 + m * 90));
    d.heading(&title, &c.title);
    d.lines(PAD, key_y, &key);

    // Inside a panel: the plot's edges, and the assessments' x.
    let (left, right) = (30.0, panel_w - 16.0);
    let (top, bottom) = (34.0, PANEL_H - 30.0);
    let y_of = |l: Level| bottom - f32::from(l.number() - 1) / 4.0 * (bottom - top);
    let xs: Vec<f32> = match m {
        0 => Vec::new(),
        1 => vec![(left + right) / 2.0],
        _ => (0..m)
            .map(|i| left + i as f32 * (right - left) / (m - 1) as f32)
            .collect(),
    };
    // The assessments' labels under the plot: all of them when they fit between their
    // neighbours, else the first and the last, each given half the plot.
    let x_names: Vec<String> = c
        .assessments
        .iter()
        .map(|a| one_line(a).trim().to_owned())
        .collect();
    let all_fit = m >= 2 && {
        let spacing = (right - left) / (m - 1) as f32;
        let w = widest(x_names.iter().map(String::as_str), SMALL, false);
        w + 6.0 <= spacing && w / 2.0 <= left - 4.0 && w / 2.0 <= panel_w - right - 4.0
    };
    let mut x_labels: Vec<(f32, &'static str, Fit, usize)> = Vec::new();
    if m == 1 {
        x_labels.push((
            xs[0],
            "middle",
            fit(&c.assessments[0], SMALL, false, right - left),
            0,
        ));
    } else if all_fit {
        for (i, a) in c.assessments.iter().enumerate() {
            x_labels.push((xs[i], "middle", fit(a, SMALL, false, f32::INFINITY), i));
        }
    } else if m >= 2 {
        let half = (right - left - 8.0) / 2.0;
        x_labels.push((
            xs[0],
            "start",
            fit(&c.assessments[0], SMALL, false, half),
            0,
        ));
        x_labels.push((
            xs[m - 1],
            "end",
            fit(&c.assessments[m - 1], SMALL, false, half),
            m - 1,
        ));
    }

    let p = d.p;
    let muted_small = format!(r#" font-size="10" fill="{}""#, p.muted);
    for (k, practice) in c.practices.iter().enumerate() {
        let px = PAD + (k % cols) as f32 * (panel_w + GAP);
        let py = grid_top + (k / cols) as f32 * (PANEL_H + GAP);
        let _ = write!(
            d.s,
            r#"<g transform="translate({} {})"><rect x="0.5" y="0.5" width="{}" height="{}" rx="4" fill="none" stroke="{}"/>"#,
            N(px),
            N(py),
            N(panel_w - 1.0),
            N(PANEL_H - 1.0),
            p.axis
        );
        let level_at = |i: usize| {
            practice
                .ratings
                .get(i)
                .copied()
                .flatten()
                .and_then(Rating::level)
        };

        // The practice's name, and its latest rating in a badge at the right: the level's
        // colour and number, the stripes of "not applicable", nothing when not rated.
        let latest = m
            .checked_sub(1)
            .and_then(|i| practice.ratings.get(i).copied().flatten());
        let badge_x = panel_w - 8.0 - SWATCH_W;
        let title_room = if latest.is_some() {
            badge_x - 8.0 - 8.0
        } else {
            panel_w - 16.0
        };
        let t = fit(&practice.label, SIZE, true, title_room);
        d.fitted(8.0, 20.0, r#" font-weight="bold""#, &t, &practice.label);
        if let Some(r) = latest {
            let s = slot(Some(r));
            d.slot_rect(s, badge_x, 7.0, SWATCH_W, SWATCH_H);
            if s < 5 {
                let attrs = format!(
                    r#" font-weight="bold" fill="{}" text-anchor="middle""#,
                    slot_ink(&p, s)
                );
                d.text(
                    badge_x + SWATCH_W / 2.0,
                    7.0 + SWATCH_H / 2.0 + MID * SIZE,
                    &attrs,
                    &(s + 1).to_string(),
                );
            }
        }

        // Guides and their levels.
        for l in Level::ALL {
            let y = y_of(l);
            d.line(left, y, right, y, p.grid, 1.0);
            let attrs = format!(r#"{muted_small} text-anchor="end""#);
            d.text(left - 6.0, y + MID * SMALL, &attrs, &l.number().to_string());
        }
        for (x, anchor, f, i) in &x_labels {
            let attrs = format!(r#"{muted_small} text-anchor="{anchor}""#);
            d.fitted(*x, PANEL_H - 11.0, &attrs, f, &c.assessments[*i]);
        }

        // The step line: each level held until the next assessment, broken around a gap.
        let mut path = String::new();
        let mut pen: Option<usize> = None;
        for i in 0..m.saturating_sub(1) {
            let (Some(a), Some(b)) = (level_at(i), level_at(i + 1)) else {
                continue;
            };
            if pen != Some(i) {
                let _ = write!(path, "M{} {}", N(xs[i]), N(y_of(a)));
            }
            let _ = write!(path, "H{}V{}", N(xs[i + 1]), N(y_of(b)));
            pen = Some(i + 1);
        }
        if !path.is_empty() {
            let _ = write!(
                d.s,
                r#"<path d="{path}" fill="none" stroke="{}" stroke-width="2.5" stroke-linejoin="round"/>"#,
                p.accent
            );
        }
        let mut any = false;
        for (i, &x) in xs.iter().enumerate() {
            if let Some(l) = level_at(i) {
                any = true;
                let _ = write!(
                    d.s,
                    r#"<circle cx="{}" cy="{}" r="3.5" fill="{}" stroke="{}" stroke-width="1.5"/>"#,
                    N(x),
                    N(y_of(l)),
                    p.accent,
                    p.background
                );
            }
        }
        if !any {
            let not_applicable = practice.ratings[..m.min(practice.ratings.len())]
                .contains(&Some(Rating::NotApplicable));
            let what = if m == 0 {
                "no assessments"
            } else if not_applicable {
                "not applicable"
            } else {
                "not rated yet"
            };
            let attrs = format!(
                r#" fill="{}" text-anchor="middle" stroke="{}" stroke-width="4" paint-order="stroke""#,
                p.muted, p.background
            );
            d.text(
                (left + right) / 2.0,
                (top + bottom) / 2.0 + MID * SIZE,
                &attrs,
                what,
            );
        }
        d.s.push_str("</g>");
    }
    d.finish()
}

// ---------------------------------------------------------------------------------------------
// 5. Index over time.

impl IndexLine {
    /// The table under the picture: each assessment and its index (a whole number).
    pub fn rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header = ["Assessment", "Index (0–100)"].map(String::from).to_vec();
        let rows = self
            .points
            .iter()
            .map(|p| {
                vec![
                    one_line(&p.label).trim().to_owned(),
                    clean_index(p.index).map_or_else(|| "no rating".to_owned(), whole),
                ]
            })
            .collect();
        (header, rows)
    }
}

/// An index as people read it: a whole number, halves rounded up.
fn whole(v: f64) -> String {
    format!("{}", v.round() as i64)
}

/// [`IndexLine`] as a standalone SVG in `theme`: the index of each assessment as a point on a
/// 0–100 scale (guides at each level's index, named at the right), its value written by it,
/// consecutive points joined; an assessment without a rating breaks the line.
pub fn index_line_svg(c: &IndexLine, theme: Theme) -> String {
    const PLOT_H: f32 = 200.0;
    const CAPTION: &str = "The index is the mean level of the rated practices, from 0 (all \
                           absent) to 100 (all improving).";

    let m = c.points.len();
    let name = accessible_name(
        &c.title,
        &format!(
            "index from 0 to 100 over {}",
            plural(m, "assessment", "assessments")
        ),
    );
    if c.points.is_empty() {
        return nothing_svg("il", theme, &c.title, &name, NO_RATINGS);
    }

    let labels: Vec<String> = c
        .points
        .iter()
        .map(|p| one_line(&p.label).trim().to_owned())
        .collect();
    // Each assessment's slot: as wide as its label, the plot at least 320 px wide.
    let step = (widest(labels.iter().map(String::as_str), SIZE, false) + 16.0)
        .clamp(64.0, 140.0)
        .max(320.0 / m as f32);
    let axis_w = text::width("100", SMALL, false).ceil();
    let plot_x = PAD + axis_w + 8.0;
    let plot_w = step * m as f32;
    let names_w = widest(Level::ALL.iter().map(|l| l.label()), SMALL, false).ceil();
    let (title, width) = titled(&c.title, plot_x + plot_w + 8.0 + names_w + PAD);
    let caption = text::wrap(CAPTION, SIZE, false, width - 2.0 * PAD);
    let caption_y = TITLE_Y + 22.0;
    let plot_top = caption_y + (caption.len() as f32 - 1.0) * LINE + 34.0;
    let plot_bottom = plot_top + PLOT_H;
    let height = plot_bottom + 40.0 + PAD;
    let y_of = |v: f64| plot_bottom - (v / 100.0) as f32 * PLOT_H;
    let x_of = |i: usize| plot_x + step * (i as f32 + 0.5);

    let mut d = Doc::new("il", theme, width, height, &name);
    d.s.reserve(m * 400);
    let p = d.p;
    d.heading(&title, &c.title);
    d.lines(PAD, caption_y, &caption);

    // Guides at 0, 25, 50, 75 and 100: the index of each level.
    let left_attrs = format!(r#" font-size="10" fill="{}" text-anchor="end""#, p.muted);
    let right_attrs = format!(r#" font-size="10" fill="{}""#, p.muted);
    for (k, l) in Level::ALL.iter().enumerate() {
        let v = k as f64 * 25.0;
        let y = y_of(v);
        let colour = if k == 0 { p.axis } else { p.grid };
        d.line(plot_x, y, plot_x + plot_w, y, colour, 1.0);
        d.text(plot_x - 6.0, y + MID * SMALL, &left_attrs, &whole(v));
        d.text(
            plot_x + plot_w + 8.0,
            y + MID * SMALL,
            &right_attrs,
            l.label(),
        );
    }

    let values: Vec<Option<f64>> = c.points.iter().map(|p| clean_index(p.index)).collect();
    let mut path = String::new();
    for (i, v) in values.iter().enumerate() {
        let Some(v) = *v else { continue };
        let joined = i > 0 && values[i - 1].is_some();
        let _ = write!(
            path,
            "{}{} {}",
            if joined { "L" } else { "M" },
            N(x_of(i)),
            N(y_of(v))
        );
    }
    if path.contains('L') {
        let _ = write!(
            d.s,
            r#"<path d="{path}" fill="none" stroke="{}" stroke-width="2.5" stroke-linejoin="round"/>"#,
            p.accent
        );
    }
    let value_attrs = format!(
        r#" font-weight="bold" text-anchor="middle" stroke="{}" stroke-width="4" stroke-linejoin="round" paint-order="stroke""#,
        p.background
    );
    let label_attrs = r#" text-anchor="middle""#;
    let none_attrs = format!(r#" font-size="10" fill="{}" text-anchor="middle""#, p.muted);
    for (i, v) in values.iter().enumerate() {
        let x = x_of(i);
        let f = fit(&labels[i], SIZE, false, step - 8.0);
        d.fitted(x, plot_bottom + 18.0, label_attrs, &f, &labels[i]);
        let Some(v) = *v else {
            d.text(x, plot_bottom + 32.0, &none_attrs, "no rating");
            continue;
        };
        let y = y_of(v);
        let _ = write!(
            d.s,
            r#"<circle cx="{}" cy="{}" r="4.5" fill="{}" stroke="{}" stroke-width="2"/>"#,
            N(x),
            N(y),
            p.accent,
            p.background
        );
        // The value above its point, unless a line from the point runs through it there and
        // not below (never below near 0, where the assessments' labels are). Within the
        // label's half-width a line goes from the point's height to `edge`.
        let half = text::width(&whole(v), SIZE, true) / 2.0 + 3.0;
        let edges: Vec<f32> = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .filter_map(|j| {
                let w = values.get(j).copied().flatten()?;
                let run = (x_of(j) - x).abs();
                Some(y + (y_of(w) - y) * (half / run).min(1.0))
            })
            .collect();
        let (above_y, below_y) = (y - 10.0, y + 20.0);
        let above_clear = edges.iter().all(|&e| e >= above_y + 0.24 * SIZE + 2.0);
        let below_clear = edges.iter().all(|&e| e <= below_y - 0.76 * SIZE - 2.0);
        let below = v >= 14.0 && !above_clear && below_clear;
        d.text(
            x,
            if below { below_y } else { above_y },
            &value_attrs,
            &whole(v),
        );
    }
    d.finish()
}

// ---------------------------------------------------------------------------------------------
// 6. Compare two assessments.

/// How a practice's rating changed between two assessments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Rose(Level, Level),
    Fell(Level, Level),
    /// Rated in the later assessment only; whether it was "not applicable" before.
    New(Level, bool),
    /// Rated in the earlier assessment only; whether it is "not applicable" now.
    Gone(Level, bool),
}

impl Change {
    fn of(before: Option<Rating>, after: Option<Rating>) -> Option<Change> {
        let (b, a) = (
            before.and_then(Rating::level),
            after.and_then(Rating::level),
        );
        match (b, a) {
            (Some(b), Some(a)) if a > b => Some(Change::Rose(b, a)),
            (Some(b), Some(a)) if a < b => Some(Change::Fell(b, a)),
            (None, Some(a)) => Some(Change::New(a, before == Some(Rating::NotApplicable))),
            (Some(b), None) => Some(Change::Gone(b, after == Some(Rating::NotApplicable))),
            _ => None,
        }
    }

    /// Which section it is drawn in (0 rose, 1 fell, 2 new, 3 no longer rated).
    fn section(self) -> usize {
        match self {
            Change::Rose(..) => 0,
            Change::Fell(..) => 1,
            Change::New(..) => 2,
            Change::Gone(..) => 3,
        }
    }

    /// How far it moved, in levels (0 for new and gone ones).
    fn size(self) -> u8 {
        match self {
            Change::Rose(b, a) => a.number() - b.number(),
            Change::Fell(b, a) => b.number() - a.number(),
            _ => 0,
        }
    }

    /// The words beside the dumbbell and in the table.
    fn words(self) -> String {
        match self {
            Change::Rose(..) => format!("▲ +{}", self.size()),
            Change::Fell(..) => format!("▼ −{}", self.size()),
            Change::New(_, false) => "new".to_owned(),
            Change::New(_, true) => "was n/a".to_owned(),
            Change::Gone(_, true) => "now n/a".to_owned(),
            Change::Gone(_, false) => "not rated now".to_owned(),
        }
    }
}

/// A line of the comparison: a section's heading (its number), or a practice (its index).
#[derive(Debug, Clone, Copy)]
enum Line {
    Heading(usize),
    Practice(usize, Change),
}

impl CompareDumbbell {
    /// The changed practices in the picture's order: rises (largest first), falls (largest
    /// first), new ones (highest level first), then those no longer rated; ties keep the
    /// given order. With how many practices did not change.
    fn changes(&self) -> (Vec<(usize, Change)>, usize) {
        let mut changed: Vec<(usize, Change)> = self
            .practices
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Change::of(p.before, p.after).map(|c| (i, c)))
            .collect();
        changed.sort_by_key(|&(_, c)| {
            let level = match c {
                Change::New(a, _) => a.number(),
                _ => 0,
            };
            (
                c.section(),
                std::cmp::Reverse(c.size()),
                std::cmp::Reverse(level),
            )
        });
        let unchanged = self.practices.len() - changed.len();
        (changed, unchanged)
    }

    /// The table under the picture: each changed practice, its two ratings and the change.
    pub fn rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let or = |s: &str, default: &str| {
            let s = one_line(s).trim().to_owned();
            if s.is_empty() { default.to_owned() } else { s }
        };
        let header = vec![
            "Practice".to_owned(),
            or(&self.before, "Before"),
            or(&self.after, "After"),
            "Change".to_owned(),
        ];
        let rows = self
            .changes()
            .0
            .into_iter()
            .map(|(i, c)| {
                let p = &self.practices[i];
                vec![
                    one_line(&p.label).trim().to_owned(),
                    rating_cell(p.before),
                    rating_cell(p.after),
                    c.words(),
                ]
            })
            .collect();
        (header, rows)
    }
}

/// [`CompareDumbbell`] as a standalone SVG in `theme`: the practices whose level changed, in
/// sections (rose, fell, new, no longer rated), each a dumbbell on the 1–5 scale from a ring
/// (the earlier level) to a dot (the later one), with an arrowhead and "▲ +2" or "▼ −1"
/// beside it, so that the direction is said in shape and words as well as colour.
pub fn compare_svg(c: &CompareDumbbell, theme: Theme) -> String {
    const ROW: f32 = 24.0;
    const HEAD: f32 = 30.0;
    const STEP: f32 = 80.0;
    const LABEL_MAX: f32 = 240.0;
    const KEY_MAX: f32 = 180.0;

    let (changes, unchanged) = c.changes();
    let or = |s: &str, default: &str| {
        let s = one_line(s).trim().to_owned();
        if s.is_empty() { default.to_owned() } else { s }
    };
    let before_name = or(&c.before, "Before");
    let after_name = or(&c.after, "After");
    let name = accessible_name(
        &c.title,
        &format!(
            "{} changed between {} and {}, {} unchanged",
            plural(changes.len(), "practice", "practices"),
            before_name,
            after_name,
            unchanged
        ),
    );
    if c.practices.is_empty() {
        return nothing_svg("cd", theme, &c.title, &name, NO_RATINGS);
    }
    if changes.is_empty() {
        let note = format!("No practice changed between {before_name} and {after_name}.");
        return nothing_svg("cd", theme, &c.title, &name, &note);
    }
    let labels: Vec<Fit> = c
        .practices
        .iter()
        .map(|p| fit(&p.label, SIZE, false, LABEL_MAX))
        .collect();
    let label_w = changes
        .iter()
        .map(|&(i, _)| labels[i].width)
        .fold(0.0, f32::max)
        .ceil();
    let plot_x = (PAD + label_w + 20.0)
        .max(PAD + text::width(&tick_label(Level::Absent), 11.0, false) / 2.0)
        .ceil();
    let x_of = |l: Level| plot_x + f32::from(l.number() - 1) * STEP;
    let words_x = plot_x + 4.0 * STEP + 24.0;
    let words_w = changes
        .iter()
        .map(|&(_, c)| text::width(&c.words(), SIZE, false))
        .fold(0.0, f32::max)
        .ceil();
    let (title, width) = titled(&c.title, words_x + words_w + PAD);

    // The key: ring for the earlier assessment, dot for the later one, the two directions.
    let before_fit = fit(&before_name, SIZE, false, KEY_MAX);
    let after_fit = fit(&after_name, SIZE, false, KEY_MAX);
    let key_y = TITLE_Y + 26.0;
    let axis_y = key_y + 34.0;
    let top = axis_y + 8.0;

    // Where each section heading and row goes.
    let mut y = top;
    let mut placed: Vec<(f32, Line)> = Vec::new();
    let mut counts = [0usize; 4];
    for &(_, ch) in &changes {
        counts[ch.section()] += 1;
    }
    let mut section = usize::MAX;
    for &(i, ch) in &changes {
        if ch.section() != section {
            section = ch.section();
            placed.push((y, Line::Heading(section)));
            y += HEAD;
        }
        placed.push((y, Line::Practice(i, ch)));
        y += ROW;
    }
    let rows_bottom = y;
    let foot_y = rows_bottom + 20.0;
    let height = foot_y + PAD;

    let mut d = Doc::new("cd", theme, width, height, &name);
    d.s.reserve(changes.len() * 500);
    let p = d.p;
    d.heading(&title, &c.title);

    let mut x = PAD;
    let cy = key_y - MID * SIZE;
    let _ = write!(
        d.s,
        r#"<circle cx="{}" cy="{}" r="5" fill="{}" stroke="{}" stroke-width="2"/>"#,
        N(x + 6.0),
        N(cy),
        p.background,
        p.ink
    );
    d.fitted(x + 16.0, key_y, "", &before_fit, &before_name);
    x += 16.0 + before_fit.width + 20.0;
    let _ = write!(
        d.s,
        r#"<circle cx="{}" cy="{}" r="5.5" fill="{}"/>"#,
        N(x + 6.0),
        N(cy),
        p.ink
    );
    d.fitted(x + 16.0, key_y, "", &after_fit, &after_name);
    x += 16.0 + after_fit.width + 28.0;
    for (colour, words) in [(p.rose, "▲ rose"), (p.fell, "▼ fell")] {
        d.text(x, key_y, &format!(r#" fill="{colour}""#), words);
        x += text::width(words, SIZE, false) + 20.0;
    }

    // The scale: a tick label over each level, a guide down through the rows.
    let tick_attrs = format!(r#" font-size="11" fill="{}" text-anchor="middle""#, p.muted);
    for l in Level::ALL {
        let x = x_of(l);
        d.text(x, axis_y, &tick_attrs, &tick_label(l));
        d.line(x, axis_y + 5.0, x, rows_bottom - 4.0, p.grid, 1.0);
    }

    for &(y, line) in &placed {
        let (i, ch) = match line {
            Line::Practice(i, ch) => (i, ch),
            Line::Heading(section) => {
                let (words, colour) = match section {
                    0 => (format!("▲ Rose ({})", counts[0]), p.rose),
                    1 => (format!("▼ Fell ({})", counts[1]), p.fell),
                    2 => (format!("New ({})", counts[2]), p.ink),
                    _ => (format!("No longer rated ({})", counts[3]), p.ink),
                };
                let attrs = format!(r#" font-weight="bold" fill="{colour}""#);
                d.text(PAD, y + HEAD - 10.0, &attrs, &words);
                continue;
            }
        };
        let mid = y + ROW / 2.0;
        let base = mid + MID * SIZE;
        d.fitted(PAD, base, "", &labels[i], &c.practices[i].label);
        match ch {
            Change::Rose(b, a) | Change::Fell(b, a) => {
                let colour = if matches!(ch, Change::Rose(..)) {
                    p.rose
                } else {
                    p.fell
                };
                let (x0, x1) = (x_of(b), x_of(a));
                let dir = if x1 > x0 { 1.0 } else { -1.0 };
                d.line(x0, mid, x1 - dir * 12.0, mid, colour, 3.0);
                // The arrowhead, just short of the later level's dot.
                let tip = x1 - dir * 6.0;
                let back = tip - dir * 9.0;
                let _ = write!(
                    d.s,
                    r#"<path d="M{} {}L{} {}L{} {}Z" fill="{colour}"/>"#,
                    N(tip),
                    N(mid),
                    N(back),
                    N(mid - 5.5),
                    N(back),
                    N(mid + 5.5)
                );
                let _ = write!(
                    d.s,
                    r#"<circle cx="{}" cy="{}" r="5" fill="{}" stroke="{colour}" stroke-width="2"/><circle cx="{}" cy="{}" r="5.5" fill="{colour}"/>"#,
                    N(x0),
                    N(mid),
                    p.background,
                    N(x1),
                    N(mid)
                );
                d.text(words_x, base, &format!(r#" fill="{colour}""#), &ch.words());
            }
            Change::New(a, _) => {
                let _ = write!(
                    d.s,
                    r#"<circle cx="{}" cy="{}" r="5.5" fill="{}"/>"#,
                    N(x_of(a)),
                    N(mid),
                    p.ink
                );
                d.text(words_x, base, "", &ch.words());
            }
            Change::Gone(b, _) => {
                let _ = write!(
                    d.s,
                    r#"<circle cx="{}" cy="{}" r="5" fill="{}" stroke="{}" stroke-width="2"/>"#,
                    N(x_of(b)),
                    N(mid),
                    p.background,
                    p.muted
                );
                d.text(
                    words_x,
                    base,
                    &format!(r#" fill="{}""#, p.muted),
                    &ch.words(),
                );
            }
        }
    }
    let foot = if unchanged == 0 {
        "Every practice changed.".to_owned()
    } else {
        format!(
            "{} did not change.",
            plural(unchanged, "practice", "practices")
        )
    };
    d.note(PAD, foot_y, &foot);
    d.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::usvg::roxmltree::{Document, Node};

    const THEMES: [Theme; 2] = [Theme::Light, Theme::Dark];

    fn lv(n: u8) -> Option<Rating> {
        Level::from_number(n).map(Rating::Level)
    }

    /// A repeatable stream of numbers (no clock, no randomness between runs).
    struct Seq(u64);

    impl Seq {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }

        fn rating(&mut self) -> Option<Rating> {
            match self.next(20) {
                0 => None,
                1 => Some(Rating::NotApplicable),
                k => lv((k % 5 + 1) as u8),
            }
        }
    }

    const AREAS: [&str; 24] = [
        "Hiring & Onboarding",
        "People Management",
        "Feedback & Performance",
        "Career Growth",
        "Team Health",
        "Delivery & Execution",
        "Technical Strategy",
        "Architecture & Quality",
        "Incident Management",
        "Stakeholder Management",
        "Product Partnership",
        "Budget & Headcount",
        "Culture & Values",
        "Communication",
        "Cross-team Collaboration",
        "Metrics & Reporting",
        "Security & Compliance",
        "Developer Experience",
        "Operational Excellence",
        "Organisation Design",
        "Leadership Development",
        "Diversity, Equity & Inclusion",
        "Change Management",
        "Managing Yourself",
    ];

    const PRACTICES: [&str; 16] = [
        "Structured interviews",
        "Onboarding plan",
        "Regular 1:1s",
        "Written expectations per role",
        "Calibrated performance reviews",
        "Career ladder",
        "Retrospectives",
        "Incident reviews without blame",
        "Architecture decision records",
        "Quarterly planning",
        "Budget forecast",
        "Engineering metrics reviewed monthly",
        "Security training",
        "Succession plan",
        "Team charters",
        "Delegation",
    ];

    fn practice(i: usize) -> String {
        format!(
            "{} {}",
            PRACTICES[i % PRACTICES.len()],
            i / PRACTICES.len() + 1
        )
    }

    /// 24 areas, 112 practices (4 to 6 an area), as the bundled roadmap has.
    fn area_sizes() -> Vec<usize> {
        let mut sizes = vec![4; 24];
        for (i, s) in sizes.iter_mut().enumerate() {
            *s += [0, 1, 2, 0, 1, 0][i % 6];
        }
        let extra = 112 - sizes.iter().sum::<usize>();
        sizes[0] += extra;
        sizes
    }

    fn sample_bars() -> LevelBars {
        let mut seq = Seq(7);
        LevelBars {
            title: "Practice levels by area, Q3 2027".into(),
            areas: area_sizes()
                .into_iter()
                .enumerate()
                .map(|(a, n)| AreaRatings {
                    title: AREAS[a].into(),
                    ratings: (0..n).map(|_| seq.rating()).collect(),
                })
                .collect(),
        }
    }

    fn sample_strip(columns: usize) -> HeatStrip {
        let mut seq = Seq(11);
        let sizes = area_sizes();
        let mut practices = Vec::new();
        'outer: for (a, &n) in sizes.iter().enumerate() {
            for _ in 0..n {
                if practices.len() == columns {
                    break 'outer;
                }
                practices.push(StripPractice {
                    label: practice(practices.len()),
                    area: Some(a),
                });
            }
        }
        while practices.len() < columns {
            practices.push(StripPractice {
                label: practice(practices.len()),
                area: None,
            });
        }
        HeatStrip {
            title: "Teams by practice, Q3 2027".into(),
            areas: AREAS.iter().map(|&a| a.to_owned()).collect(),
            practices,
            teams: [
                "Platform",
                "Payments",
                "Mobile",
                "Data & Machine Learning",
                "Growth",
            ]
            .iter()
            .map(|&t| StripTeam {
                label: t.into(),
                ratings: (0..columns).map(|_| seq.rating()).collect(),
            })
            .collect(),
        }
    }

    fn quarters(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("Q{} {}", i % 4 + 1, 2026 + i / 4))
            .collect()
    }

    fn sample_steps() -> StepMultiples {
        let mut seq = Seq(3);
        StepMultiples {
            title: "Selected practices over two years".into(),
            assessments: quarters(8),
            practices: (0..9)
                .map(|i| {
                    let mut level = 1 + seq.next(2) as i64;
                    PracticeSeries {
                        label: practice(i * 3),
                        ratings: (0..8)
                            .map(|_| {
                                level = (level + seq.next(3) as i64 - 1
                                    + i64::from(seq.next(3) == 0))
                                .clamp(1, 5);
                                match seq.next(12) {
                                    0 => None,
                                    1 => Some(Rating::NotApplicable),
                                    _ => lv(level as u8),
                                }
                            })
                            .collect(),
                    }
                })
                .collect(),
            width: 1000,
        }
    }

    fn sample_index() -> IndexLine {
        let values = [
            Some(31.2),
            Some(35.0),
            Some(34.4),
            None,
            Some(42.5),
            Some(47.9),
            Some(51.0),
            Some(58.3),
        ];
        IndexLine {
            title: "Engineering leadership index".into(),
            points: quarters(8)
                .into_iter()
                .zip(values)
                .map(|(label, index)| IndexPoint { label, index })
                .collect(),
        }
    }

    fn sample_compare() -> CompareDumbbell {
        let change = |label: &str, before, after| PracticeChange {
            label: label.into(),
            before,
            after,
        };
        CompareDumbbell {
            title: "What changed since last quarter".into(),
            before: "Q2 2027".into(),
            after: "Q3 2027".into(),
            practices: vec![
                change("Structured interviews", lv(2), lv(4)),
                change("Regular 1:1s", lv(4), lv(4)),
                change("Calibrated performance reviews", lv(3), lv(2)),
                change("Incident reviews without blame", lv(1), lv(2)),
                change("Architecture decision records", lv(2), lv(5)),
                change("Budget forecast", lv(4), lv(1)),
                change("Succession plan", None, lv(2)),
                change("Security training", Some(Rating::NotApplicable), lv(3)),
                change("Team charters", lv(3), Some(Rating::NotApplicable)),
                change("Delegation", lv(3), lv(3)),
            ],
        }
    }

    fn sample_ranked() -> RankedBars {
        let mut areas = sample_bars().areas;
        areas[3].ratings = vec![Some(Rating::NotApplicable), None];
        areas.push(AreaRatings {
            title: "Open Source Programme Office".into(),
            ratings: vec![],
        });
        RankedBars::from_ratings("Mean level by area, Q3 2027", &areas)
    }

    /// Every chart of the samples, named, in both themes.
    fn every_chart() -> Vec<(String, String)> {
        let mut out = Vec::new();
        for theme in THEMES {
            let t = match theme {
                Theme::Light => "light",
                Theme::Dark => "dark",
            };
            out.push((
                format!("level-bars-{t}"),
                level_bars_svg(&sample_bars(), theme),
            ));
            out.push((
                format!("ranked-bars-{t}"),
                ranked_bars_svg(&sample_ranked(), theme),
            ));
            out.push((
                format!("heat-strip-{t}"),
                heat_strip_svg(&sample_strip(112), theme),
            ));
            out.push((
                format!("heat-strip-small-{t}"),
                heat_strip_svg(&sample_strip(18), theme),
            ));
            out.push((
                format!("step-multiples-{t}"),
                step_multiples_svg(&sample_steps(), theme),
            ));
            out.push((
                format!("index-line-{t}"),
                index_line_svg(&sample_index(), theme),
            ));
            out.push((
                format!("compare-{t}"),
                compare_svg(&sample_compare(), theme),
            ));
            out.push((
                format!("empty-bars-{t}"),
                level_bars_svg(&LevelBars::default(), theme),
            ));
            let one_point = IndexLine {
                title: "Index, first assessment".into(),
                points: vec![IndexPoint {
                    label: "Q1 2027 (pilot with the platform teams only)".into(),
                    index: Some(250.0),
                }],
            };
            out.push((format!("odd-index-{t}"), index_line_svg(&one_point, theme)));
            let narrow = StepMultiples {
                title: "A title much longer than the narrow width asked for these panels".into(),
                assessments: vec!["Pilot".into()],
                practices: vec![
                    PracticeSeries {
                        label: "A practice with an extremely long name that cannot fit".into(),
                        ratings: vec![lv(3)],
                    },
                    PracticeSeries {
                        label: "Not applicable here".into(),
                        ratings: vec![Some(Rating::NotApplicable)],
                    },
                    PracticeSeries {
                        label: "Never rated".into(),
                        ratings: vec![],
                    },
                ],
                width: 300,
            };
            out.push((format!("odd-steps-{t}"), step_multiples_svg(&narrow, theme)));
            let titled_empty = LevelBars {
                title: "Practice levels by area, Q1 2028".into(),
                areas: Vec::new(),
            };
            out.push((
                format!("empty-titled-bars-{t}"),
                level_bars_svg(&titled_empty, theme),
            ));
            out.push((
                format!("empty-ranked-{t}"),
                ranked_bars_svg(&RankedBars::default(), theme),
            ));
            out.push((
                format!("empty-strip-{t}"),
                heat_strip_svg(&HeatStrip::default(), theme),
            ));
            out.push((
                format!("empty-steps-{t}"),
                step_multiples_svg(&StepMultiples::default(), theme),
            ));
            out.push((
                format!("empty-index-{t}"),
                index_line_svg(&IndexLine::default(), theme),
            ));
            out.push((
                format!("empty-compare-{t}"),
                compare_svg(&CompareDumbbell::default(), theme),
            ));
        }
        out
    }

    // --- Reading a drawing back: its texts' boxes and its rectangles. ---

    #[derive(Debug, Clone)]
    struct Area {
        what: String,
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
    }

    impl Area {
        fn overlap(&self, o: &Area, tol: f32) -> bool {
            self.x0 + tol < o.x1
                && o.x0 + tol < self.x1
                && self.y0 + tol < o.y1
                && o.y0 + tol < self.y1
        }

        fn inside(&self, o: &Area, tol: f32) -> bool {
            self.x0 >= o.x0 - tol
                && self.x1 <= o.x1 + tol
                && self.y0 >= o.y0 - tol
                && self.y1 <= o.y1 + tol
        }
    }

    #[derive(Debug)]
    struct Drawn {
        width: f32,
        height: f32,
        texts: Vec<Area>,
        rects: Vec<Area>,
    }

    fn num(n: Node<'_, '_>, attr: &str) -> f32 {
        n.attribute(attr).map_or(0.0, |v| v.parse().unwrap())
    }

    /// The nearest value of an inherited attribute.
    fn inherited<'a>(n: Node<'a, '_>, attr: &str) -> Option<&'a str> {
        n.ancestors().find_map(|a| a.attribute(attr))
    }

    /// `translate(a b)` (and whether ` rotate(-90)` follows).
    fn translate(t: &str) -> (f32, f32, bool) {
        let inner = t
            .strip_prefix("translate(")
            .and_then(|r| r.split_once(')'))
            .unwrap();
        let mut parts = inner.0.split([' ', ',']).filter(|p| !p.is_empty());
        let x = parts.next().unwrap().parse().unwrap();
        let y = parts.next().map_or(0.0, |v| v.parse().unwrap());
        (x, y, inner.1.trim() == "rotate(-90)")
    }

    /// The sum of the ancestors' translations (not the node's own).
    fn offset(n: Node<'_, '_>) -> (f32, f32) {
        n.ancestors()
            .skip(1)
            .filter_map(|a| a.attribute("transform"))
            .map(translate)
            .fold((0.0, 0.0), |(x, y), (dx, dy, _)| (x + dx, y + dy))
    }

    fn text_of(n: Node<'_, '_>) -> String {
        n.children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect()
    }

    fn drawn(svg: &str) -> Drawn {
        let doc = Document::parse(svg).unwrap();
        let root = doc.root_element();
        let (width, height) = (num(root, "width"), num(root, "height"));
        let mut texts = Vec::new();
        let mut rects = Vec::new();
        for n in doc.descendants() {
            let in_defs = n.ancestors().any(|a| a.has_tag_name("defs"));
            if n.has_tag_name("text") {
                let s = text_of(n);
                if s.is_empty() {
                    continue;
                }
                let size: f32 = inherited(n, "font-size").unwrap().parse().unwrap();
                let bold = inherited(n, "font-weight") == Some("bold");
                let w = text::width(&s, size, bold);
                let (ox, oy) = offset(n);
                let (ascent, descent) = (0.76 * size, 0.24 * size);
                let area = if let Some(t) = n.attribute("transform") {
                    let (bx, by, turned) = translate(t);
                    assert!(turned, "{t}");
                    let (bx, by) = (ox + bx, oy + by);
                    Area {
                        what: s,
                        x0: bx - ascent,
                        x1: bx + descent,
                        y0: by - w,
                        y1: by,
                    }
                } else {
                    let (x, y) = (ox + num(n, "x"), oy + num(n, "y"));
                    let x0 = match inherited(n, "text-anchor") {
                        Some("middle") => x - w / 2.0,
                        Some("end") => x - w,
                        _ => x,
                    };
                    Area {
                        what: s,
                        x0,
                        x1: x0 + w,
                        y0: y - ascent,
                        y1: y + descent,
                    }
                };
                texts.push(area);
            } else if n.has_tag_name("rect") && !in_defs {
                let (ox, oy) = offset(n);
                let (x, y) = (ox + num(n, "x"), oy + num(n, "y"));
                let (w, h) = (num(n, "width"), num(n, "height"));
                if (w - width).abs() < 0.01 && (h - height).abs() < 0.01 {
                    continue; // the background
                }
                rects.push(Area {
                    what: "rect".into(),
                    x0: x,
                    y0: y,
                    x1: x + w,
                    y1: y + h,
                });
            } else if n.has_tag_name("use") {
                let id = n.attribute("href").unwrap().trim_start_matches('#');
                let def = doc
                    .descendants()
                    .find(|d| d.attribute("id") == Some(id))
                    .unwrap();
                let (ox, oy) = offset(n);
                let x = ox + num(n, "x") + num(def, "x");
                let y = oy + num(n, "y") + num(def, "y");
                let (w, h) = (num(def, "width"), num(def, "height"));
                rects.push(Area {
                    what: format!("#{id}"),
                    x0: x,
                    y0: y,
                    x1: x + w,
                    y1: y + h,
                });
            }
        }
        Drawn {
            width,
            height,
            texts,
            rects,
        }
    }

    /// What a reader would see go wrong with text: a text outside the picture, two texts on
    /// top of each other, a text half on a bar or a cell (a count that does not fit its
    /// segment, a label running into the grid).
    fn assert_text_fits(name: &str, svg: &str) {
        let d = drawn(svg);
        let canvas = Area {
            what: "canvas".into(),
            x0: 0.0,
            y0: 0.0,
            x1: d.width,
            y1: d.height,
        };
        for t in &d.texts {
            assert!(
                t.inside(&canvas, 0.5),
                "{name}: {t:?} leaves the {}×{} picture",
                d.width,
                d.height
            );
        }
        let mut by_x: Vec<&Area> = d.texts.iter().collect();
        by_x.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        for (i, a) in by_x.iter().enumerate() {
            for b in &by_x[i + 1..] {
                if b.x0 >= a.x1 {
                    break;
                }
                assert!(!a.overlap(b, 0.5), "{name}: {a:?} overlaps {b:?}");
            }
        }
        for t in &d.texts {
            for r in &d.rects {
                assert!(
                    t.inside(r, 0.5) || !t.overlap(r, 0.5),
                    "{name}: {t:?} is half on {r:?}"
                );
            }
        }
    }

    fn texts(svg: &str) -> Vec<String> {
        drawn(svg).texts.into_iter().map(|t| t.what).collect()
    }

    fn luminance(hex: &str) -> f64 {
        let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
        let channel = |shift: u32| {
            let c = f64::from((v >> shift) & 0xff) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Each level's number reads on its colour (4.5:1), as do the counts of n/a and not rated,
    /// the labels, and the words of a rise and a fall; bars, lines and marks stand out from the
    /// background (3:1); the levels form an ordered scale (darker as they rise in the light
    /// theme, brighter in the dark one).
    #[test]
    fn every_colour_keeps_its_text_readable_in_both_themes() {
        for theme in THEMES {
            let p = palette(theme);
            for (i, (fill, ink)) in p.levels.iter().enumerate() {
                let c = contrast(fill, ink);
                assert!(
                    c >= 4.5,
                    "{theme:?} level {}: {ink} on {fill} is {c:.2}:1",
                    i + 1
                );
            }
            for (what, fg, bg, min) in [
                ("n/a on its fill", p.na.2, p.na.0, 4.5),
                ("n/a on its stripes", p.na.2, p.na.1, 4.5),
                ("not rated", p.unrated.2, p.unrated.0, 4.5),
                ("labels", p.ink, p.background, 4.5),
                ("captions", p.muted, p.background, 4.5),
                ("rose", p.rose, p.background, 4.5),
                ("fell", p.fell, p.background, 4.5),
                ("bars and lines", p.accent, p.background, 3.0),
                ("not rated outline", p.unrated.1, p.background, 3.0),
            ] {
                let c = contrast(fg, bg);
                assert!(c >= min, "{theme:?} {what}: {fg} on {bg} is {c:.2}:1");
            }
            let l: Vec<f64> = p.levels.iter().map(|(f, _)| luminance(f)).collect();
            for w in l.windows(2) {
                match theme {
                    Theme::Light => assert!(w[0] > w[1], "{theme:?}: {l:?}"),
                    Theme::Dark => assert!(w[0] < w[1], "{theme:?}: {l:?}"),
                }
            }
            assert_ne!(p.rose, p.fell);
        }
    }

    #[test]
    fn every_chart_is_a_named_image_that_usvg_reads_and_no_text_collides() {
        let opts = resvg::usvg::Options::default();
        for (name, svg) in every_chart() {
            let doc = Document::parse(&svg).unwrap_or_else(|e| panic!("{name}: {e}"));
            let root = doc.root_element();
            assert_eq!(root.attribute("role"), Some("img"), "{name}");
            let id = root.attribute("aria-labelledby").unwrap();
            let title = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(id))
                .unwrap();
            assert!(
                title.has_tag_name("title") && !text_of(title).is_empty(),
                "{name}"
            );
            let (w, h) = (num(root, "width"), num(root, "height"));
            assert_eq!(
                root.attribute("viewBox"),
                Some(format!("0 0 {w} {h}").as_str())
            );
            assert!(svg.contains(FONT_FAMILY), "{name}");
            assert!(
                !svg.contains("<style"),
                "{name}: presentation attributes only"
            );
            resvg::usvg::Tree::from_str(&svg, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_text_fits(&name, &svg);
        }
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let a = every_chart();
        let b = every_chart();
        assert_eq!(a, b);
    }

    /// A light and a dark copy of each chart can share a page: no id is defined twice.
    #[test]
    fn a_light_and_a_dark_chart_define_different_ids() {
        let charts = every_chart();
        let mut seen = std::collections::HashSet::new();
        for (name, svg) in &charts {
            let doc = Document::parse(svg).unwrap();
            for id in doc.descendants().filter_map(|n| n.attribute("id")) {
                assert!(seen.insert(id.to_owned()), "{name}: {id} again");
            }
        }
    }

    #[test]
    fn empty_charts_say_there_is_nothing_yet() {
        let svgs = [
            level_bars_svg(&LevelBars::default(), Theme::Light),
            ranked_bars_svg(&RankedBars::default(), Theme::Dark),
            heat_strip_svg(&HeatStrip::default(), Theme::Light),
            step_multiples_svg(&StepMultiples::default(), Theme::Dark),
            index_line_svg(&IndexLine::default(), Theme::Light),
            compare_svg(&CompareDumbbell::default(), Theme::Dark),
        ];
        let fonts = crate::raster::shipped_fonts();
        for svg in &svgs {
            assert!(texts(svg).iter().any(|t| t == NO_RATINGS), "{svg}");
            assert_text_fits("empty", svg);
            crate::raster::png(svg, &fonts, 1.0, None).unwrap();
        }
        // Rows without columns, columns without rows: still nothing to draw.
        let strip = HeatStrip {
            teams: vec![StripTeam {
                label: "Platform".into(),
                ratings: vec![lv(3)],
            }],
            ..HeatStrip::default()
        };
        assert!(texts(&heat_strip_svg(&strip, Theme::Light)).contains(&NO_RATINGS.to_owned()));
        assert_eq!(LevelBars::default().rows().1.len(), 0);
    }

    #[test]
    fn level_bars_write_each_count_in_its_segment() {
        let c = LevelBars {
            title: "Levels".into(),
            areas: vec![
                AreaRatings {
                    title: "Hiring".into(),
                    ratings: vec![
                        lv(1),
                        lv(3),
                        lv(3),
                        lv(5),
                        Some(Rating::NotApplicable),
                        None,
                        None,
                    ],
                },
                AreaRatings {
                    title: "Empty area".into(),
                    ratings: vec![],
                },
            ],
        };
        let svg = level_bars_svg(&c, Theme::Light);
        let t = texts(&svg);
        // Counts: 1 absent, 2 defined, 1 improving, 1 n/a, 2 not rated; plus the legend's 1–5.
        assert_eq!(t.iter().filter(|s| *s == "2").count(), 2 + 1, "{t:?}");
        assert!(t.contains(&"no practices".to_owned()));
        for l in Level::ALL {
            assert!(t.contains(&l.label().to_owned()), "legend names {l:?}");
        }
        assert!(t.contains(&"Not applicable".to_owned()) && t.contains(&"Not rated".to_owned()));
        let (header, rows) = c.rows();
        assert_eq!(header[1], "1 Absent");
        assert_eq!(rows[0], ["Hiring", "1", "0", "2", "0", "1", "1", "2", "7"]);
        assert_eq!(
            rows[1],
            ["Empty area", "0", "0", "0", "0", "0", "0", "0", "0"]
        );
        // The level's own colour fills its segment.
        assert!(svg.contains(&format!(r#"fill="{}""#, palette(Theme::Light).levels[2].0)));
    }

    /// A bar per rated area from the best mean to the worst, unrated areas last; means that
    /// are not numbers count as no rating, out-of-range ones are drawn at the end of the scale.
    #[test]
    fn ranked_bars_go_from_the_highest_mean_down_and_put_unrated_areas_last() {
        let area = |t: &str, mean: Option<f64>| AreaMean {
            title: t.into(),
            mean,
        };
        let c = RankedBars {
            title: "Means".into(),
            areas: vec![
                area("Delivery", Some(2.0)),
                area("Broken", Some(f64::NAN)),
                area("Hiring", Some(4.46)),
                area("Unrated", None),
                area("Strategy", Some(3.25)),
                area("Too high", Some(9.0)),
                area("Infinite", Some(f64::NEG_INFINITY)),
                area("Too low", Some(-3.0)),
            ],
        };
        let (header, rows) = c.rows();
        assert_eq!(header, ["Rank", "Area", "Mean level (1–5)"]);
        let order: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r[1].as_str(), r[2].as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("Too high", "5.0"),
                ("Hiring", "4.5"),
                ("Strategy", "3.3"),
                ("Delivery", "2.0"),
                ("Too low", "1.0"),
                ("Broken", "no rating"),
                ("Unrated", "no rating"),
                ("Infinite", "no rating"),
            ]
        );
        // The picture agrees: labels from top to bottom in the same order, each value written.
        let svg = ranked_bars_svg(&c, Theme::Light);
        assert_text_fits("ranked", &svg);
        let d = drawn(&svg);
        let mut labels: Vec<&Area> = d
            .texts
            .iter()
            .filter(|t| order.iter().any(|(a, _)| *a == t.what))
            .collect();
        labels.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let seen: Vec<&str> = labels.iter().map(|t| t.what.as_str()).collect();
        assert_eq!(seen, order.iter().map(|(a, _)| *a).collect::<Vec<_>>());
        let t = texts(&svg);
        for v in ["5.0", "4.5", "3.3", "2.0", "1.0"] {
            assert!(t.contains(&v.to_owned()), "{v}");
        }
        assert_eq!(t.iter().filter(|s| *s == "no rating").count(), 3);
        for l in Level::ALL {
            assert!(t.contains(&tick_label(l)), "the axis names {l:?}");
        }
        // A longer bar for a higher mean.
        let bars: Vec<f32> = d.rects.iter().map(|r| r.x1 - r.x0).collect();
        assert_eq!(bars.len(), 5);
        assert!(bars.windows(2).all(|w| w[0] > w[1]), "{bars:?}");
    }

    #[test]
    fn the_heat_strip_shows_numbers_hatches_not_applicable_and_outlines_unrated_cells() {
        let c = HeatStrip {
            title: "Teams".into(),
            areas: vec!["Hiring".into(), "Delivery".into()],
            practices: vec![
                StripPractice {
                    label: "Interviews".into(),
                    area: Some(0),
                },
                StripPractice {
                    label: "Onboarding".into(),
                    area: Some(0),
                },
                StripPractice {
                    label: "Planning".into(),
                    area: Some(1),
                },
                StripPractice {
                    label: "Out of range area".into(),
                    area: Some(9),
                },
            ],
            teams: vec![StripTeam {
                label: "Platform".into(),
                ratings: vec![lv(4), Some(Rating::NotApplicable), None],
            }],
        };
        let svg = heat_strip_svg(&c, Theme::Dark);
        assert_text_fits("strip", &svg);
        let d = drawn(&svg);
        let cells: Vec<&str> = d
            .rects
            .iter()
            .filter(|r| r.what.starts_with('#'))
            .map(|r| &r.what[r.what.len() - 1..])
            .collect();
        assert_eq!(cells, ["3", "n", "u", "u"]);
        let t = texts(&svg);
        assert!(t.contains(&"4".to_owned()));
        // Both areas named under their columns; the unknown area is no group.
        assert!(t.contains(&"Hiring".to_owned()) && t.contains(&"Delivery".to_owned()));
        let (header, rows) = c.rows();
        assert_eq!(
            header,
            [
                "Team",
                "Interviews",
                "Onboarding",
                "Planning",
                "Out of range area"
            ]
        );
        assert_eq!(rows, [["Platform", "4", "n/a", "not rated", "not rated"]]);
    }

    #[test]
    fn two_hundred_columns_and_long_labels_stay_small_and_readable() {
        let mut c = sample_strip(200);
        c.practices[5].label =
            "A practice with a name so long that it cannot possibly fit above one narrow column"
                .into();
        c.teams[0].label =
            "Bartholomew Maximilian Featherstonehaugh-Cholmondeley's team of many".into();
        c.areas[0] = "An area title far too long to be written under four narrow columns".into();
        let svg = heat_strip_svg(&c, Theme::Light);
        assert_text_fits("strip-200", &svg);
        assert!(svg.contains("<title>A practice with a name so long"));
        assert!(svg.contains("<title>Bartholomew"));
        let d = drawn(&svg);
        let cells = d.rects.iter().filter(|r| r.what.starts_with('#')).count();
        assert_eq!(cells, 200 * 5);
        let cell = d.rects.iter().find(|r| r.what.ends_with('0')).unwrap();
        assert!((cell.x1 - cell.x0 - 14.0).abs() < 0.01, "small cells");
        assert!(svg.len() < 400_000, "{} bytes", svg.len());
        crate::raster::png(&svg, &crate::raster::shipped_fonts(), 1.0, None).unwrap();
    }

    #[test]
    fn step_panels_fill_the_width_and_break_where_a_practice_was_not_rated() {
        let mut c = sample_steps();
        for (width, cols) in [
            (0, 1),
            (300, 1),
            (480, 2),
            (700, 3),
            (1000, 4),
            (u32::MAX, 9),
        ] {
            c.width = width;
            let svg = step_multiples_svg(&c, Theme::Light);
            assert_text_fits("steps", &svg);
            let d = drawn(&svg);
            let panels: Vec<&Area> = d.rects.iter().filter(|r| r.x1 - r.x0 > 100.0).collect();
            assert_eq!(panels.len(), 9);
            let first_row = panels
                .iter()
                .filter(|p| (p.y0 - panels[0].y0).abs() < 0.1)
                .count();
            assert_eq!(first_row, cols, "width {width}");
            // Never wider than asked, once the width holds one panel.
            if width >= 300 {
                assert!(d.width <= width as f32, "width {width}: {}", d.width);
            }
        }
        // Rated, rated, gap, rated, rated: two runs of line, four points.
        let c = StepMultiples {
            title: "One".into(),
            assessments: quarters(5),
            practices: vec![PracticeSeries {
                label: "Retrospectives".into(),
                ratings: vec![lv(1), lv(2), Some(Rating::NotApplicable), lv(4), lv(4)],
            }],
            width: 600,
        };
        let svg = step_multiples_svg(&c, Theme::Dark);
        let doc = Document::parse(&svg).unwrap();
        let path = doc.descendants().find(|n| n.has_tag_name("path")).unwrap();
        assert_eq!(path.attribute("d").unwrap().matches('M').count(), 2);
        assert_eq!(
            doc.descendants()
                .filter(|n| n.has_tag_name("circle"))
                .count(),
            4
        );
        // The latest level, in its colour with its number.
        let badge = format!(r#"fill="{}"/><text"#, palette(Theme::Dark).levels[3].0);
        assert!(svg.contains(&badge), "the latest level");
        let (header, rows) = c.rows();
        assert_eq!(
            header,
            [
                "Practice", "Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026", "Q1 2027"
            ]
        );
        assert_eq!(rows, [["Retrospectives", "1", "2", "n/a", "4", "4"]]);
    }

    #[test]
    fn the_index_line_writes_each_value_and_breaks_at_a_missing_one() {
        let mut c = sample_index();
        c.points.push(IndexPoint {
            label: "Q1 2028".into(),
            index: Some(140.0),
        });
        c.points.push(IndexPoint {
            label: "Q2 2028".into(),
            index: Some(f64::INFINITY),
        });
        c.points.push(IndexPoint {
            label: "Q3 2028".into(),
            index: Some(-5.0),
        });
        let svg = index_line_svg(&c, Theme::Light);
        assert_text_fits("index", &svg);
        let t = texts(&svg);
        for v in ["31", "35", "34", "43", "48", "51", "58", "100", "0"] {
            assert!(t.contains(&v.to_owned()), "{v} in {t:?}");
        }
        assert_eq!(t.iter().filter(|s| *s == "no rating").count(), 2);
        let (header, rows) = c.rows();
        assert_eq!(header, ["Assessment", "Index (0–100)"]);
        assert_eq!(rows[3], ["Q4 2026", "no rating"]);
        assert_eq!(rows[4], ["Q1 2027", "43"]);
        assert_eq!(rows[8], ["Q1 2028", "100"]);
        assert_eq!(rows[10], ["Q3 2028", "0"]);
        let doc = Document::parse(&svg).unwrap();
        let path = doc.descendants().find(|n| n.has_tag_name("path")).unwrap();
        // Runs: Q1–Q3 2026, Q1 2027–Q1 2028, Q3 2028 alone.
        assert_eq!(path.attribute("d").unwrap().matches('M').count(), 3);
    }

    /// At a sharp dip the lines from the point would cross its value written above: it goes
    /// below. A gentle slope keeps it above.
    #[test]
    fn an_index_value_moves_below_its_point_only_when_the_line_is_in_the_way() {
        let points = |v: [f64; 3]| IndexLine {
            title: "Dip".into(),
            points: quarters(3)
                .into_iter()
                .zip(v)
                .map(|(label, i)| IndexPoint {
                    label,
                    index: Some(i),
                })
                .collect(),
        };
        for (values, below) in [([80.0, 20.0, 80.0], true), ([40.0, 42.0, 44.0], false)] {
            let svg = index_line_svg(&points(values), Theme::Light);
            assert_text_fits("dip", &svg);
            let doc = Document::parse(&svg).unwrap();
            let cy: Vec<f32> = doc
                .descendants()
                .filter(|n| n.has_tag_name("circle"))
                .map(|n| num(n, "cy"))
                .collect();
            let middle = whole(values[1]);
            let label = drawn(&svg)
                .texts
                .into_iter()
                .find(|t| t.what == middle)
                .unwrap();
            assert_eq!(
                label.y0 > cy[1],
                below,
                "{values:?}: {label:?} vs {}",
                cy[1]
            );
        }
    }

    #[test]
    fn the_comparison_says_up_and_down_in_words_not_only_colour() {
        let c = sample_compare();
        let (header, rows) = c.rows();
        assert_eq!(header, ["Practice", "Q2 2027", "Q3 2027", "Change"]);
        let got: Vec<[&str; 4]> = rows
            .iter()
            .map(|r| [r[0].as_str(), r[1].as_str(), r[2].as_str(), r[3].as_str()])
            .collect();
        assert_eq!(
            got,
            [
                ["Architecture decision records", "2", "5", "▲ +3"],
                ["Structured interviews", "2", "4", "▲ +2"],
                ["Incident reviews without blame", "1", "2", "▲ +1"],
                ["Budget forecast", "4", "1", "▼ −3"],
                ["Calibrated performance reviews", "3", "2", "▼ −1"],
                ["Security training", "n/a", "3", "was n/a"],
                ["Succession plan", "not rated", "2", "new"],
                ["Team charters", "3", "n/a", "now n/a"],
            ]
        );
        let svg = compare_svg(&c, Theme::Light);
        let t = texts(&svg);
        for w in [
            "▲ +3",
            "▼ −3",
            "new",
            "now n/a",
            "2 practices did not change.",
        ] {
            assert!(t.contains(&w.to_owned()), "{w} in {t:?}");
        }
        assert!(
            !t.contains(&"Regular 1:1s".to_owned()),
            "unchanged practices are not drawn"
        );
        // Nothing changed: said so.
        let same = CompareDumbbell {
            practices: vec![PracticeChange {
                label: "A".into(),
                before: lv(2),
                after: lv(2),
            }],
            ..sample_compare()
        };
        let svg = compare_svg(&same, Theme::Dark);
        assert!(
            texts(&svg).contains(&"No practice changed between Q2 2027 and Q3 2027.".to_owned())
        );
        assert!(same.rows().1.is_empty());
    }

    #[test]
    fn odd_text_is_escaped_kept_on_one_line_and_cut_to_fit() {
        let long = "An area whose title goes on and on & on <without> \"end\"\nand a second line";
        let c = LevelBars {
            title: long.into(),
            areas: vec![AreaRatings {
                title: long.into(),
                ratings: vec![lv(2); 3],
            }],
        };
        for theme in THEMES {
            let svg = level_bars_svg(&c, theme);
            Document::parse(&svg).unwrap();
            assert!(!svg.contains('\n'));
            assert_text_fits("odd", &svg);
            let t = texts(&svg);
            // The row label (the title comes first, cut to the picture's width).
            let label = t
                .iter()
                .rev()
                .find(|s| s.starts_with("An area") && s.ends_with('…'))
                .unwrap();
            assert!(text::width(label, SIZE, false) <= 220.01);
            assert!(
                svg.contains("&amp; on &lt;without&gt; &quot;end&quot; and a second line</title>")
            );
        }
        // Fitting never panics, whatever the room.
        for max in [f32::NAN, -1.0, 0.0, 3.0, f32::INFINITY] {
            let f = fit(long, SIZE, false, max);
            assert!(f.width <= max.max(0.0) || max.is_nan());
        }
    }

    /// Draws every chart of the samples to PNG (and SVG) in `$LEADMAP_CHARTS_OUT`, to look at:
    /// `LEADMAP_CHARTS_OUT=/tmp/charts cargo test -p leadmap-render charts`. Does nothing
    /// without the variable. Wide pictures are also cut into pieces a screen shows whole. (A
    /// test may read the environment and write files; the module itself does neither.)
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn write_pngs_for_review() {
        let Some(dir) = std::env::var_os("LEADMAP_CHARTS_OUT") else {
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        let fonts = crate::raster::shipped_fonts();
        for (name, svg) in every_chart() {
            std::fs::write(dir.join(format!("{name}.svg")), &svg).unwrap();
            let png = crate::raster::png(&svg, &fonts, 1.0, None).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
            let pix = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
            if pix.width() > 1200 {
                for (k, x) in (0..pix.width()).step_by(1000).enumerate() {
                    let w = 1000.min(pix.width() - x);
                    let rect =
                        resvg::tiny_skia::IntRect::from_xywh(x as i32, 0, w, pix.height()).unwrap();
                    let part = pix.clone_rect(rect).unwrap().encode_png().unwrap();
                    std::fs::write(dir.join(format!("{name}-part{k}.png")), part).unwrap();
                }
            }
        }
    }
}
