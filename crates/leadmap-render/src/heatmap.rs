//! A heatmap as SVG: labelled rows by labelled columns, each cell a percentage shown as a
//! colour step *and* as its number. Generic: a team's members by a roadmap's areas today,
//! teams by practices later.
//!
//! - Six colour steps (0, 1–24, 25–49, 50–74, 75–99, 100), one hue getting darker (light
//!   theme) or brighter (dark theme) as the number grows; each step has the ink that keeps its
//!   number at WCAG AA contrast (4.5:1 or more, tested).
//! - A cell with no data is an outlined empty cell with a dash.
//! - Column labels are turned a quarter (read upwards), wrapped on two lines at most; row
//!   labels that are too wide end in an ellipsis. Both are measured with the shipped font,
//!   and a shortened label keeps its whole text in a `<title>`.
//! - Colours are presentation attributes, not a `<style>`: the SVG can be placed inline in a
//!   page whose Content-Security-Policy refuses inline styles.
//! - Written in one pass into one `String`; the same input gives the same bytes.

use std::fmt::Write as _;

use crate::svg::Theme;
use crate::text;

/// A heatmap to draw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heatmap {
    pub title: String,
    /// Column labels (a roadmap's area titles, say).
    pub columns: Vec<String>,
    pub rows: Vec<HeatRow>,
    /// What the numbers are ("percent done"): the legend's caption.
    pub legend: String,
}

/// One row: its label and a value per column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeatRow {
    pub label: String,
    /// A value from 0 to 100 per column (larger values are drawn as 100); `None`: no data.
    /// A row with fewer cells than there are columns has no data in the rest.
    pub cells: Vec<Option<u32>>,
}

/// How many colour steps there are.
pub const STEPS: usize = 6;

/// The step a value falls in: 0 → 0, 1–24 → 1, 25–49 → 2, 50–74 → 3, 75–99 → 4, 100 → 5.
pub fn step(value: u32) -> usize {
    match value {
        0 => 0,
        1..=24 => 1,
        25..=49 => 2,
        50..=74 => 3,
        75..=99 => 4,
        _ => 5,
    }
}

/// The legend's words for each step.
const STEP_LABELS: [&str; STEPS] = ["0", "1–24", "25–49", "50–74", "75–99", "100"];

/// A theme's colours.
#[derive(Debug, Clone, Copy)]
struct Palette {
    background: &'static str,
    ink: &'static str,
    muted: &'static str,
    /// Fill of each step, then the ink its number is written in.
    steps: [(&'static str, &'static str); STEPS],
    /// A cell without data: fill, outline, the dash's ink.
    empty: (&'static str, &'static str, &'static str),
}

fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            background: "#ffffff",
            ink: "#111827",
            muted: "#475569",
            steps: [
                ("#f1f5f9", "#111827"),
                ("#dcfce7", "#111827"),
                ("#86efac", "#111827"),
                ("#22c55e", "#111827"),
                ("#15803d", "#ffffff"),
                ("#14532d", "#ffffff"),
            ],
            empty: ("#ffffff", "#94a3b8", "#475569"),
        },
        Theme::Dark => Palette {
            background: "#0b1220",
            ink: "#e5e7eb",
            muted: "#94a3b8",
            steps: [
                ("#1e293b", "#e5e7eb"),
                ("#14532d", "#e5e7eb"),
                ("#15803d", "#ffffff"),
                ("#16a34a", "#0b1220"),
                ("#4ade80", "#0b1220"),
                ("#bbf7d0", "#0b1220"),
            ],
            empty: ("#0b1220", "#475569", "#94a3b8"),
        },
    }
}

/// The font families every SVG of ours asks for (the shipped font first).
const FONT_FAMILY: &str = "DejaVu Sans,Verdana,sans-serif";

const PAD: u32 = 16;
const SIZE: f32 = 12.0;
const TITLE_SIZE: f32 = 16.0;
const CELL_W: u32 = 44;
const CELL_H: u32 = 24;
const GAP: u32 = 2;
/// Baseline of a cell's number below the cell's top.
const NUMBER_Y: u32 = 16;
/// The widest row label, in px; a wider one is cut with an ellipsis.
const ROW_LABEL_MAX: f32 = 200.0;
/// The longest line of a column label (drawn upwards), in px.
const COLUMN_LINE_MAX: f32 = 140.0;
/// Lines of a column label: two fit side by side in a cell's width.
const COLUMN_LINES: usize = 2;
const LINE_H: u32 = 14;
// The lines of a column label fit side by side in a cell's width.
const _: () = assert!(COLUMN_LINES as u32 * LINE_H <= CELL_W);
/// The widest title before it is cut, unless the drawing is wider.
const TITLE_MIN_MAX: f32 = 480.0;
const ELLIPSIS: &str = "…";

/// The heatmap as a standalone SVG in `theme`.
pub fn heatmap_svg(h: &Heatmap, theme: Theme) -> String {
    let p = palette(theme);
    let cols = h.columns.len() as u32;

    // Column labels: wrapped, at most two lines, the last cut if more was left.
    let columns: Vec<ColumnLabel> = h.columns.iter().map(|c| column_label(c)).collect();
    let header_h = columns
        .iter()
        .flat_map(|c| c.lines.iter())
        .map(|l| text::width(l, SIZE, false).ceil() as u32)
        .max()
        .unwrap_or(0)
        .max(16)
        + 8;

    // Row labels: the column is as wide as the widest, up to the limit.
    let label_w = h
        .rows
        .iter()
        .map(|r| text::width(&r.label, SIZE, false))
        .fold(0.0f32, f32::max)
        .min(ROW_LABEL_MAX)
        .ceil() as u32;
    let grid_x = PAD + label_w + 8;
    let pitch_x = CELL_W + GAP;
    let pitch_y = CELL_H + GAP;
    let grid_w = (cols * pitch_x).saturating_sub(GAP);

    // The legend: its caption, a swatch per step (its range written in it), then no data.
    let legend_caption = fit(&h.legend, SIZE, 240.0);
    let caption_w = if h.legend.is_empty() {
        0
    } else {
        legend_caption.width.ceil() as u32 + 10
    };
    let swatch_w: Vec<u32> = STEP_LABELS
        .iter()
        .map(|l| CELL_W.max(text::width(l, SIZE, false).ceil() as u32 + 8))
        .collect();
    let no_data_w = text::width("no data", SIZE, false).ceil() as u32;
    let legend_w = caption_w + swatch_w.iter().map(|w| w + GAP).sum::<u32>() + 12 + CELL_W + 6
        - GAP
        + no_data_w;

    let content_w = (grid_x + grid_w).max(PAD + legend_w) + PAD;
    let title_max = ((content_w - 2 * PAD) as f32).max(TITLE_MIN_MAX);
    let title = fit_bold(&h.title, TITLE_SIZE, title_max);
    let width = content_w.max(2 * PAD + title.width.ceil() as u32);

    let title_y = PAD + 16;
    let legend_top = title_y + 14;
    let header_top = legend_top + CELL_H + 14;
    let grid_top = header_top + header_h;
    let rows = h.rows.len() as u32;
    let height = grid_top + (rows * pitch_y).saturating_sub(GAP).max(CELL_H) + PAD;

    let mut s = String::with_capacity(
        4096 + h.columns.iter().map(|c| c.len() + 120).sum::<usize>()
            + h.rows.len() * (160 + h.columns.len() * 52),
    );
    let label = Label(h);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label=""#
    );
    label.write(&mut s);
    s.push_str(r#""><title>"#);
    label.write(&mut s);
    let _ = write!(
        s,
        r#"</title><rect width="{width}" height="{height}" fill="{}"/><g font-family="{FONT_FAMILY}" font-size="12" fill="{}">"#,
        p.background, p.ink
    );

    // Cells are drawn by reference: one definition per step and for no data. The ids name
    // the theme, so a light and a dark heatmap on one page do not take each other's colours.
    let id = match theme {
        Theme::Light => "hml",
        Theme::Dark => "hmd",
    };
    s.push_str("<defs>");
    for (i, (fill, _)) in p.steps.iter().enumerate() {
        let _ = write!(
            s,
            r#"<rect id="{id}{i}" width="{CELL_W}" height="{CELL_H}" rx="3" fill="{fill}"/>"#
        );
    }
    let _ = write!(
        s,
        r#"<rect id="{id}n" x="0.5" y="0.5" width="{}" height="{}" rx="3" fill="{}" stroke="{}" stroke-dasharray="3 2"/>"#,
        CELL_W - 1,
        CELL_H - 1,
        p.empty.0,
        p.empty.1
    );
    s.push_str("</defs>");

    // Title.
    let _ = write!(
        s,
        r#"<text x="{PAD}" y="{title_y}" font-size="16" font-weight="bold">"#
    );
    title.write(&mut s);
    s.push_str("</text>");

    // Legend.
    let mut x = PAD;
    if !h.legend.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{x}" y="{}" fill="{}">"#,
            legend_top + NUMBER_Y,
            p.muted
        );
        legend_caption.write(&mut s);
        s.push_str("</text>");
        x += caption_w;
    }
    for (i, (&(fill, ink), &w)) in p.steps.iter().zip(&swatch_w).enumerate() {
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{legend_top}" width="{w}" height="{CELL_H}" rx="3" fill="{fill}"/><text x="{}" y="{}" fill="{ink}" text-anchor="middle">{}</text>"#,
            x + w / 2,
            legend_top + NUMBER_Y,
            STEP_LABELS[i]
        );
        x += w + GAP;
    }
    x += 12 - GAP;
    let _ = write!(
        s,
        r##"<use href="#{id}n" x="{x}" y="{legend_top}"/><text x="{}" y="{}" fill="{}" text-anchor="middle">–</text><text x="{}" y="{}" fill="{}">no data</text>"##,
        x + CELL_W / 2,
        legend_top + NUMBER_Y,
        p.empty.2,
        x + CELL_W + 6,
        legend_top + NUMBER_Y,
        p.muted
    );

    // Column labels, read upwards from just above the grid; line i of n is centred on the
    // column, the lines side by side.
    for (c, col) in columns.iter().enumerate() {
        let cx = grid_x + c as u32 * pitch_x + CELL_W / 2;
        let n = col.lines.len() as i64;
        for (i, line) in col.lines.iter().enumerate() {
            // Twice the offset from the column's centre, in half lines (an even line count
            // puts the centre between two lines).
            let off2 = (2 * i as i64 - (n - 1)) * i64::from(LINE_H);
            // Turned a quarter, a line's glyphs lie left of its baseline: 4 px right of the
            // line's centre keeps the line centred.
            let bx = i64::from(cx) + off2 / 2 + 4;
            let _ = write!(
                s,
                r#"<text transform="translate({bx} {}) rotate(-90)">"#,
                grid_top - 6
            );
            escape_into(&mut s, line);
            if col.cut && i + 1 == col.lines.len() {
                s.push_str("<title>");
                escape_into(&mut s, &h.columns[c]);
                s.push_str("</title>");
            }
            s.push_str("</text>");
        }
    }

    // Rows.
    if h.rows.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{PAD}" y="{}" fill="{}">Nothing to show yet.</text>"#,
            grid_top + NUMBER_Y,
            p.muted
        );
    }
    // The inks numbers are written in, each with the slots (steps, then no data) it serves.
    let mut ink_groups: Vec<(&str, [bool; STEPS + 1])> = Vec::with_capacity(STEPS + 1);
    let slot_inks = p.steps.iter().map(|&(_, ink)| ink).chain([p.empty.2]);
    for (slot, ink) in slot_inks.enumerate() {
        match ink_groups.iter_mut().find(|(i, _)| *i == ink) {
            Some((_, mine)) => mine[slot] = true,
            None => {
                let mut mine = [false; STEPS + 1];
                mine[slot] = true;
                ink_groups.push((ink, mine));
            }
        }
    }
    for (r, row) in h.rows.iter().enumerate() {
        let _ = write!(
            s,
            r#"<g transform="translate(0 {})"><text x="{PAD}" y="{NUMBER_Y}">"#,
            grid_top + r as u32 * pitch_y
        );
        let fitted = fit(&row.label, SIZE, label_w as f32);
        fitted.write(&mut s);
        if fitted.cut {
            s.push_str("<title>");
            escape_into(&mut s, &row.label);
            s.push_str("</title>");
        }
        s.push_str("</text>");
        let cell = |c: usize| row.cells.get(c).copied().flatten();
        for c in 0..h.columns.len() {
            let x = grid_x + c as u32 * pitch_x;
            match cell(c) {
                Some(v) => {
                    let _ = write!(s, r##"<use href="#{id}{}" x="{x}"/>"##, step(v));
                }
                None => {
                    let _ = write!(s, r##"<use href="#{id}n" x="{x}"/>"##);
                }
            }
        }
        // The numbers, grouped by ink (a step's ink, or the dash's): a few groups per row
        // instead of an attribute per cell.
        for &(ink, mine) in &ink_groups {
            let mut open = false;
            for c in 0..h.columns.len() {
                let v = cell(c);
                let slot = v.map_or(STEPS, step);
                if !mine[slot] {
                    continue;
                }
                if !open {
                    let _ = write!(s, r#"<g fill="{ink}" text-anchor="middle">"#);
                    open = true;
                }
                let x = grid_x + c as u32 * pitch_x + CELL_W / 2;
                match v {
                    Some(v) => {
                        let _ = write!(s, r#"<text x="{x}" y="{NUMBER_Y}">{}</text>"#, v.min(100));
                    }
                    None => {
                        let _ = write!(s, r#"<text x="{x}" y="{NUMBER_Y}">–</text>"#);
                    }
                }
            }
            if open {
                s.push_str("</g>");
            }
        }
        s.push_str("</g>");
    }
    s.push_str("</g></svg>");
    s
}

/// The accessible name: the title, what the numbers are and the grid's size.
struct Label<'a>(&'a Heatmap);

impl Label<'_> {
    fn write(&self, out: &mut String) {
        let h = self.0;
        escape_into(out, h.title.trim());
        if !h.title.trim().is_empty() {
            out.push_str(": ");
        }
        if !h.legend.trim().is_empty() {
            escape_into(out, h.legend.trim());
            out.push_str(", ");
        }
        let _ = write!(
            out,
            "{} {} by {} {}",
            h.rows.len(),
            if h.rows.len() == 1 { "row" } else { "rows" },
            h.columns.len(),
            if h.columns.len() == 1 {
                "column"
            } else {
                "columns"
            }
        );
    }
}

/// A column label's lines, and whether text was left out.
struct ColumnLabel {
    lines: Vec<String>,
    cut: bool,
}

fn column_label(label: &str) -> ColumnLabel {
    let clean = one_line(label);
    let mut lines = text::wrap(&clean, SIZE, false, COLUMN_LINE_MAX);
    let mut cut = false;
    if lines.len() > COLUMN_LINES {
        let rest = lines[COLUMN_LINES - 1..].join(" ");
        lines.truncate(COLUMN_LINES - 1);
        let last = fit(&rest, SIZE, COLUMN_LINE_MAX);
        let mut line = String::with_capacity(rest.len());
        line.push_str(last.text);
        if last.cut {
            line.push_str(ELLIPSIS);
        }
        lines.push(line);
        cut = true;
    }
    ColumnLabel { lines, cut }
}

/// `s` with line breaks and other control characters as spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A text cut to a width: the part kept and whether an ellipsis follows it.
#[derive(Debug, Clone, Copy)]
struct Fitted<'a> {
    text: &'a str,
    cut: bool,
    width: f32,
}

impl Fitted<'_> {
    fn write(&self, out: &mut String) {
        escape_into(out, self.text);
        if self.cut {
            out.push_str(ELLIPSIS);
        }
    }
}

fn fit(s: &str, size: f32, max: f32) -> Fitted<'_> {
    fit_with(s, size, false, max)
}

fn fit_bold(s: &str, size: f32, max: f32) -> Fitted<'_> {
    fit_with(s, size, true, max)
}

/// The longest start of `s` that fits `max` px with an ellipsis after it (all of `s` when
/// it fits without one). Measured character by character, once.
fn fit_with(s: &str, size: f32, bold: bool, max: f32) -> Fitted<'_> {
    let s = s.trim();
    let whole = text::width(s, size, bold);
    if whole <= max {
        return Fitted {
            text: s,
            cut: false,
            width: whole,
        };
    }
    let room = max - text::width(ELLIPSIS, size, bold);
    let mut w = 0.0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let cw = text::width(c.encode_utf8(&mut [0; 4]), size, bold);
        if w + cw > room {
            break;
        }
        w += cw;
        end = i + c.len_utf8();
    }
    let kept = s[..end].trim_end();
    Fitted {
        text: kept,
        cut: true,
        width: text::width(kept, size, bold) + text::width(ELLIPSIS, size, bold),
    }
}

/// Appends `s` as XML text or attribute value (in double quotes): `&`, `<`, `>`, `"` as
/// references, as [`crate::svg::escape_into`] writes them, and control characters (which XML
/// 1.0 does not allow, or which would break a line) as spaces.
fn escape_into(out: &mut String, s: &str) {
    if !s
        .chars()
        .any(|c| c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
    {
        crate::svg::escape_into(out, s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
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

    fn sample() -> Heatmap {
        Heatmap {
            title: "Platform & <Core>".into(),
            columns: vec![
                "Hiring".into(),
                "People \"management\" & growth".into(),
                "A very long area title that has to wrap over more than two lines of text".into(),
            ],
            rows: vec![
                HeatRow {
                    label: "Ana <admin>".into(),
                    cells: vec![Some(0), Some(42), None],
                },
                HeatRow {
                    label: "Bartholomew Maximilian Featherstonehaugh-Cholmondeley the Third".into(),
                    cells: vec![Some(100), Some(75), Some(13)],
                },
                HeatRow {
                    label: "Cy\u{1}\nnewline".into(),
                    cells: vec![Some(250)],
                },
            ],
            legend: "percent done".into(),
        }
    }

    /// Every number on its cell, every legend range on its swatch, the dash on an empty cell
    /// and the labels on the background meet WCAG AA (4.5:1) in both themes; the steps get
    /// monotonically darker (light) or brighter (dark), so that the colour alone orders them.
    #[test]
    fn every_step_keeps_its_number_readable_in_both_themes() {
        for theme in [Theme::Light, Theme::Dark] {
            let p = palette(theme);
            for (i, (fill, ink)) in p.steps.iter().enumerate() {
                let c = contrast(fill, ink);
                assert!(c >= 4.5, "{theme:?} step {i}: {ink} on {fill} is {c:.2}:1");
            }
            for (what, fg, bg) in [
                ("no data", p.empty.2, p.empty.0),
                ("labels", p.ink, p.background),
                ("legend", p.muted, p.background),
            ] {
                let c = contrast(fg, bg);
                assert!(c >= 4.5, "{theme:?} {what}: {fg} on {bg} is {c:.2}:1");
            }
            let l: Vec<f64> = p.steps.iter().map(|(f, _)| luminance(f)).collect();
            for w in l.windows(2) {
                match theme {
                    Theme::Light => assert!(w[0] >= w[1], "{theme:?}: {l:?}"),
                    Theme::Dark => assert!(w[0] < w[1], "{theme:?}: {l:?}"),
                }
            }
        }
    }

    #[test]
    fn steps_cover_every_value() {
        let bounds: Vec<usize> = [0, 1, 24, 25, 49, 50, 74, 75, 99, 100, 101, u32::MAX]
            .into_iter()
            .map(step)
            .collect();
        assert_eq!(bounds, [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5]);
    }

    #[test]
    fn output_is_xml_and_draws_as_png_in_both_themes() {
        let h = sample();
        for theme in [Theme::Light, Theme::Dark] {
            let svg = heatmap_svg(&h, theme);
            let doc = resvg::usvg::roxmltree::Document::parse(&svg).unwrap();
            let root = doc.root_element();
            assert_eq!(root.attribute("role"), Some("img"));
            let label = root.attribute("aria-label").unwrap();
            assert_eq!(
                label,
                "Platform & <Core>: percent done, 3 rows by 3 columns"
            );
            let title = root
                .children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text());
            assert_eq!(title, Some(label));
            let png = crate::raster::png(&svg, &crate::raster::shipped_fonts(), 1.0, None).unwrap();
            assert!(png.starts_with(b"\x89PNG"));
            assert_eq!(svg, heatmap_svg(&h, theme), "deterministic");
        }
    }

    fn texts(svg: &str) -> Vec<String> {
        let doc = resvg::usvg::roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                n.children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn labels_are_escaped_cut_to_fit_and_kept_whole_in_a_title() {
        let h = sample();
        let svg = heatmap_svg(&h, Theme::Light);
        assert!(svg.contains("Ana &lt;admin&gt;"), "{svg}");
        assert!(svg.contains("People &quot;management&quot;") && svg.contains("&amp; growth"));
        assert!(
            !svg.contains('\u{1}'),
            "no control character reaches the XML"
        );
        let t = texts(&svg);
        assert!(t.contains(&"Ana <admin>".to_owned()));
        assert!(t.contains(&"Cy  newline".to_owned()), "{t:?}");
        // The long name is cut with an ellipsis, measured to the label column.
        let long = t.iter().find(|s| s.starts_with("Bartholomew")).unwrap();
        assert!(long.ends_with('…'), "{long}");
        assert!(text::width(long, SIZE, false) <= ROW_LABEL_MAX + 0.01);
        assert!(svg.contains(
            "<title>Bartholomew Maximilian Featherstonehaugh-Cholmondeley the Third</title>"
        ));
        // The long column label: two lines, each within its limit, the last cut.
        let col = column_label(&h.columns[2]);
        assert_eq!(col.lines.len(), 2);
        assert!(col.cut && col.lines[1].ends_with('…'), "{:?}", col.lines);
        for l in &col.lines {
            assert!(text::width(l, SIZE, false) <= COLUMN_LINE_MAX + 0.01, "{l}");
        }
        // A short label is neither wrapped nor cut.
        let short = column_label("Hiring");
        assert_eq!((short.lines, short.cut), (vec!["Hiring".to_owned()], false));
    }

    #[test]
    fn values_show_as_numbers_and_missing_ones_as_a_dash_on_an_empty_cell() {
        let h = sample();
        let svg = heatmap_svg(&h, Theme::Dark);
        let t = texts(&svg);
        for n in ["0", "42", "100", "75", "13"] {
            assert!(t.contains(&n.to_owned()), "{n} in {t:?}");
        }
        assert!(
            !t.contains(&"250".to_owned()),
            "a value above 100 is drawn as 100"
        );
        // Row 1 has one missing cell, row 3 two (its cells stop early); plus the legend's.
        assert_eq!(t.iter().filter(|s| *s == "–").count(), 4);
        assert_eq!(svg.matches(r##"<use href="#hmdn""##).count(), 4);
        assert!(svg.contains(r##"<use href="#hmd5" x="##));
    }

    #[test]
    fn cells_are_painted_in_their_step_colour() {
        let h = Heatmap {
            title: "T".into(),
            columns: vec!["A".into(), "B".into()],
            rows: vec![HeatRow {
                label: "row".into(),
                cells: vec![Some(100), None],
            }],
            legend: String::new(),
        };
        let svg = heatmap_svg(&h, Theme::Light);
        let png = crate::raster::png(&svg, &crate::raster::shipped_fonts(), 1.0, None).unwrap();
        let pix = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        // The first cell's top-left corner, inside its rounded edge.
        let doc = resvg::usvg::roxmltree::Document::parse(&svg).unwrap();
        let row = doc
            .descendants()
            .find(|n| {
                n.attribute("transform")
                    .is_some_and(|t| t.starts_with("translate(0 "))
            })
            .unwrap();
        let y: u32 = row.attribute("transform").unwrap()["translate(0 ".len()..]
            .trim_end_matches(')')
            .parse()
            .unwrap();
        let first = row.children().find(|n| n.has_tag_name("use")).unwrap();
        let x: u32 = first.attribute("x").unwrap().parse().unwrap();
        let c = pix.pixel(x + 4, y + 4).unwrap();
        assert_eq!((c.red(), c.green(), c.blue()), (0x14, 0x53, 0x2d));
    }

    #[test]
    fn nothing_to_draw_is_still_a_drawing() {
        let svg = heatmap_svg(&Heatmap::default(), Theme::Light);
        resvg::usvg::roxmltree::Document::parse(&svg).unwrap();
        assert!(svg.contains("0 rows by 0 columns"));
        crate::raster::png(&svg, &crate::raster::shipped_fonts(), 1.0, None).unwrap();
    }

    #[test]
    fn a_thousand_rows_by_thirty_columns_is_one_string_of_reasonable_size() {
        let h = Heatmap {
            title: "Big".into(),
            columns: (0..30).map(|c| format!("Area number {c}")).collect(),
            rows: (0..1000)
                .map(|r| HeatRow {
                    label: format!("Person {r}"),
                    cells: (0..30)
                        .map(|c| ((r * 7 + c * 13) % 11 != 0).then_some(((r + c) % 101) as u32))
                        .collect(),
                })
                .collect(),
            legend: "percent done".into(),
        };
        let svg = heatmap_svg(&h, Theme::Light);
        assert!(svg.len() < 2_500_000, "{} bytes", svg.len());
        resvg::usvg::roxmltree::Document::parse(&svg).unwrap();
    }
}
