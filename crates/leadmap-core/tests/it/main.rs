//! One integration-test binary for the core (links once, runs fast).
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Tests read their fixture files; the crate itself does no I/O (its clippy.toml).
#![allow(clippy::disallowed_methods)]

mod diagnostics;
mod diff;
mod format;
mod import_outline;
mod import_roadmapsh;
mod levels;
mod roundtrip;

/// Parses a roadmap from a string, panicking on errors (for well-formed test inputs).
pub fn parse_ok(src: &str) -> leadmap_core::Roadmap {
    let p = leadmap_core::parse(src.as_bytes(), "test");
    let errors: Vec<_> = p.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    p.roadmap
}

/// `file:line:col: severity: message` for every diagnostic, as `leadmap check` prints them.
pub fn messages(src: &[u8]) -> String {
    let p = leadmap_core::parse(src, "test");
    let diags = leadmap_core::check::check(&p, &leadmap_core::check::NoOtherRoadmaps);
    leadmap_core::diagnostic::render("t.md", src, &diags)
}
