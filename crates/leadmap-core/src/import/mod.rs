//! Importers: plain-text outlines and roadmap.sh JSON exports, into the roadmap model.

pub mod mojibake;
pub mod outline;
pub mod roadmapsh;

use crate::diagnostic::Diagnostic;
use crate::model::Roadmap;

/// The formats `leadmap import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Outline,
    RoadmapSh,
}

impl Format {
    /// Guesses the format: JSON starts with `{` or `[`; anything else is an outline.
    pub fn detect(input: &[u8]) -> Format {
        let first = input
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(input)
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        match first {
            Some(b'{') | Some(b'[') => Format::RoadmapSh,
            _ => Format::Outline,
        }
    }
}

/// An imported roadmap (when there was anything to import) and what the importer noticed.
#[derive(Debug, Clone)]
pub struct Imported {
    pub roadmap: Option<Roadmap>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Receives progress: `(done, total)` units of work. Pure: the caller draws the bar.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// Imports `input` in `format`. `id_hint` names the roadmap (the output file's stem, say).
pub fn import(
    input: &[u8],
    format: Format,
    id_hint: Option<&str>,
    progress: Progress<'_>,
) -> Imported {
    match format {
        Format::Outline => outline::import(input, id_hint, progress),
        Format::RoadmapSh => roadmapsh::import(input, id_hint, progress),
    }
}
