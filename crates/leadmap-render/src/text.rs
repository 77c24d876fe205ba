//! Text measured with the font we ship (DejaVu Sans), so that the SVG, the PNG and the PDF
//! agree on where a line ends.

use std::sync::OnceLock;

/// The shipped fonts (DejaVu Sans, Bitstream Vera licence: `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name the SVG asks for; the PNG and PDF renderers load the bytes above under it.
pub const FAMILY: &str = "DejaVu Sans";

/// Advances (in em) of the characters up to U+024F, and a slower path for the rest.
#[derive(Debug)]
struct Metrics {
    table: Vec<f32>,
    fallback: f32,
}

fn metrics(bold: bool) -> &'static Metrics {
    static REGULAR: OnceLock<Metrics> = OnceLock::new();
    static BOLD: OnceLock<Metrics> = OnceLock::new();
    let (cell, bytes) = if bold {
        (&BOLD, FONT_BOLD)
    } else {
        (&REGULAR, FONT_REGULAR)
    };
    cell.get_or_init(|| {
        let face = ttf_parser::Face::parse(bytes, 0).ok();
        let units = face
            .as_ref()
            .map_or(2048.0, |f| f32::from(f.units_per_em()));
        let advance = |c: char| {
            face.as_ref()
                .and_then(|f| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g)))
                .map(|a| f32::from(a) / units)
        };
        let fallback = advance('M').unwrap_or(0.8);
        let table = (0u32..0x250)
            .map(|u| char::from_u32(u).and_then(advance).unwrap_or(fallback))
            .collect();
        Metrics { table, fallback }
    })
}

/// Width of `text` at `size` px.
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    let m = metrics(bold);
    let mut w = 0.0;
    for c in text.chars() {
        let u = c as usize;
        w += if u < m.table.len() {
            m.table[u]
        } else if is_wide(c) {
            1.2
        } else if c == '\u{fe0f}' || c == '\u{200d}' || ('\u{1f3fb}'..='\u{1f3ff}').contains(&c) {
            0.0
        } else {
            m.fallback
        };
    }
    w * size
}

/// Emoji and CJK take about a square.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2300..=0x23FF | 0x3000..=0x9FFF | 0xAC00..=0xD7AF)
}

/// Breaks `text` into lines no wider than `max` px; a word wider than a line is cut.
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0;
    let space = width(" ", size, bold);
    for word in text.split_whitespace() {
        let w = width(word, size, bold);
        if !line.is_empty() && line_w + space + w <= max {
            line.push(' ');
            line.push_str(word);
            line_w += space + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w <= max {
            line.push_str(word);
            line_w = w;
        } else {
            // Cut an over-long word by characters.
            line_w = 0.0;
            for c in word.chars() {
                let cw = width(c.encode_utf8(&mut [0; 4]), size, bold);
                if line_w + cw > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(c);
                line_w += cw;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_with_the_shipped_font() {
        let w = width("Define Core Values", 14.0, false);
        assert!(w > 100.0 && w < 160.0, "{w}");
        assert!(width("W", 14.0, true) > width("i", 14.0, true));
    }

    #[test]
    fn wraps_at_words_and_cuts_long_words() {
        let lines = wrap(
            "Oversee Recruitment (Screening, Interviewing, Compensation, Offer)",
            14.0,
            false,
            180.0,
        );
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| width(l, 14.0, false) <= 180.0));
        let long = wrap(&"x".repeat(200), 14.0, false, 100.0);
        assert!(long.len() > 3 && long.iter().all(|l| width(l, 14.0, false) <= 100.0));
    }
}
