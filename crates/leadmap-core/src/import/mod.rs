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
    /// How a roadmap.sh export's nodes were placed (`None` for outlines).
    pub placement: Option<Placement>,
}

/// How the roadmap.sh importer decided where each node goes: the one summary line that
/// `leadmap import` prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Placement {
    /// For the spine shape: how many spine topics, and how many of them were reached by
    /// following an edge from the one before (the others were ordered by position).
    pub spine: Option<(usize, usize)>,
    /// Nodes placed under the node an edge joins them to.
    pub by_edge: usize,
    /// Nodes placed by the section box they sit in.
    pub by_section: usize,
    /// Nodes placed by where they are drawn (nearest topic, heading above).
    pub by_position: usize,
}

impl std::fmt::Display for Placement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let placed = self.by_edge + self.by_section + self.by_position;
        if let Some((n, followed)) = self.spine {
            write!(
                f,
                "spine of {n} topics ({followed} followed along edges, {} by position); ",
                n - followed.min(n)
            )?;
            write!(f, "{placed} nodes placed beside them: ")?;
        } else {
            write!(f, "{placed} nodes placed: ")?;
        }
        write!(
            f,
            "{} by edge, {} by section, {} by position",
            self.by_edge, self.by_section, self.by_position
        )
    }
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
