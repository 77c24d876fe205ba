//! Diagnostics: what a parser, importer or checker has to say about its input.
//!
//! Parsers never fail: they return what they could build and a list of diagnostics, each
//! with a byte range into the input, so that a user sees every problem at once.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// The range of a diagnostic that has no place in the input.
pub const NOWHERE: Range<usize> = usize::MAX..usize::MAX;

/// One problem in an input, located by a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Byte range in the input as given (before any BOM or CRLF normalisation).
    pub range: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(range: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            range,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(range: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            range,
            message: message.into(),
            hint: None,
        }
    }

    /// A diagnostic about the input as a whole, with no place in it.
    pub fn unlocated(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            range: NOWHERE,
            message: message.into(),
            hint: None,
        }
    }

    pub fn is_located(&self) -> bool {
        self.range != NOWHERE
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Turns byte offsets into 1-based lines and columns (columns count characters).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a [u8],
    starts: Vec<usize>,
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

impl<'a> LineIndex<'a> {
    /// Works on raw bytes, so that it can place a diagnostic in input that is not UTF-8.
    pub fn new(text: &'a [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let start = self.starts[line];
        // Count characters (UTF-8 lead bytes); invalid bytes count as one column each.
        let col = self.text[start..offset]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count()
            + 1;
        LineCol {
            line: line + 1,
            col,
        }
    }

    /// The text of a 1-based line, without its line ending (lossy when not UTF-8).
    pub fn line_text(&self, line: usize) -> String {
        let Some(start) = self.starts.get(line.wrapping_sub(1)).copied() else {
            return String::new();
        };
        let end = self.starts.get(line).map_or(self.text.len(), |e| e - 1);
        let bytes = &self.text[start..end.max(start)];
        String::from_utf8_lossy(bytes)
            .trim_end_matches('\r')
            .to_owned()
    }
}

/// Renders diagnostics as `file:line:col: severity: message`, each followed by its hint.
pub fn render(file: &str, input: &[u8], diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(input);
    let mut out = String::new();
    for d in diagnostics {
        if d.is_located() {
            let lc = index.line_col(d.range.start);
            out.push_str(&format!(
                "{file}:{}:{}: {}: {}\n",
                lc.line, lc.col, d.severity, d.message
            ));
        } else {
            out.push_str(&format!("{file}: {}: {}\n", d.severity, d.message));
        }
        if let Some(h) = &d.hint {
            out.push_str(&format!("  = hint: {h}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based_and_count_chars() {
        let text = "ab\n💯cd\n";
        let ix = LineIndex::new(text.as_bytes());
        assert_eq!(ix.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(ix.line_col(3), LineCol { line: 2, col: 1 });
        assert_eq!(ix.line_col(7), LineCol { line: 2, col: 2 });
        assert_eq!(ix.line_text(2), "💯cd");
    }
}
