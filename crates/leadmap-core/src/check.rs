//! The checker: what the parser reports, plus what needs the whole tree (empty areas,
//! related-topic links that go nowhere, `Levels:` on a node that is no topic).

use crate::diagnostic::Diagnostic;
use crate::markdown::Parsed;
use crate::model::Kind;

/// Answers whether a topic exists in another roadmap: `Some(true)`/`Some(false)` when the
/// roadmap is known, `None` when it is not.
pub trait Resolver {
    fn has_node(&self, roadmap: &str, id: &str) -> Option<bool>;
}

/// A resolver that knows no other roadmap.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoOtherRoadmaps;

impl Resolver for NoOtherRoadmaps {
    fn has_node(&self, _: &str, _: &str) -> Option<bool> {
        None
    }
}

/// Every diagnostic for a parsed roadmap, the parser's included, in file order.
pub fn check(parsed: &Parsed, others: &dyn Resolver) -> Vec<Diagnostic> {
    let mut out = parsed.diagnostics.clone();
    let r = &parsed.roadmap;
    let span = |i: usize| parsed.spans.nodes.get(i).cloned().unwrap_or(0..0);
    for (i, n) in r.nodes().enumerate() {
        if n.children.is_empty() && matches!(n.kind, Kind::Area | Kind::Part) {
            out.push(
                Diagnostic::error(
                    span(i),
                    format!("the {} `{}` is empty", n.kind, n.title.plain()),
                )
                .with_hint("list its topics under it (`- Topic`), or remove it"),
            );
        }
        if n.children.is_empty() && n.kind == Kind::Group {
            out.push(
                Diagnostic::warning(span(i), format!("the group `{}` is empty", n.title.plain()))
                    .with_hint("list its topics under it (`- Topic`), or remove it"),
            );
        }
    }
    // Levels describe a practice, which a topic or a subtopic is; a part, area or group is not.
    let mut level_labels: Option<rustc_hash::FxHashMap<&str, &std::ops::Range<usize>>> = None;
    for (i, n) in r.nodes().enumerate() {
        if n.kind.is_learnable() || n.content.levels.is_empty() {
            continue;
        }
        let labels = level_labels.get_or_insert_with(|| {
            let spans = &parsed.spans.levels;
            spans.iter().map(|(id, r)| (id.as_str(), r)).collect()
        });
        let range = labels
            .get(n.id.as_str())
            .map_or_else(|| span(i), |r| (*r).clone());
        out.push(
            Diagnostic::warning(
                range,
                format!(
                    "the {} `{}` has a `Levels:` block; levels are for topics and subtopics",
                    n.kind,
                    n.title.plain()
                ),
            )
            .with_hint("move it under the topic (or subtopic) whose practice it describes"),
        );
    }
    for (from, rel, range) in &parsed.spans.related {
        let local = rel.roadmap.as_ref().is_none_or(|rm| rm == &r.id);
        if local {
            if r.find(rel.id.as_str()).is_none() {
                out.push(
                    Diagnostic::error(range.clone(), format!("related topic `{}` does not exist", rel.id))
                        .with_hint(format!("`{from}` links to it; check the id, or write `roadmap:id` for a topic of another roadmap")),
                );
            }
        } else if let Some(rm) = &rel.roadmap {
            match others.has_node(rm.as_str(), rel.id.as_str()) {
                Some(true) => {}
                Some(false) => out.push(
                    Diagnostic::error(
                        range.clone(),
                        format!("related topic `{rel}` does not exist in `{rm}`"),
                    )
                    .with_hint("check the id with `leadmap show ROADMAP --json`"),
                ),
                None => out.push(
                    Diagnostic::warning(
                        range.clone(),
                        format!("unknown roadmap `{rm}` in related topic `{rel}`"),
                    )
                    .with_hint("name a bundled roadmap, or check that file together with this one"),
                ),
            }
        }
    }
    out.sort_by_key(|d| (d.range.start, d.range.end));
    out
}

/// The content bar every learnable topic must meet under `leadmap check --strict`: a summary
/// of 60–150 words, 3–6 steps, 1–3 pitfalls, at least two resources, at least one related
/// topic. `practices` also asks for what "established" looks like (the Engineering Leadership
/// roadmap's topics are practices an organisation establishes); `Levels:` is never asked for,
/// and any of the five levels may be left out. Each gap is a warning at the
/// topic's line, naming the topic file it can be written in.
pub fn completeness(parsed: &Parsed, practices: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let span = |i: usize| parsed.spans.nodes.get(i).cloned().unwrap_or(0..0);
    for (i, n) in parsed.roadmap.nodes().enumerate() {
        if !n.kind.is_learnable() {
            continue;
        }
        let c = &n.content;
        let mut gaps = Vec::new();
        let words = c.summary.split_whitespace().count();
        if words == 0 {
            gaps.push("no summary".to_owned());
        } else if !(60..=150).contains(&words) {
            gaps.push(format!("a summary of {words} words (60–150 expected)"));
        }
        if practices && c.established.trim().is_empty() {
            gaps.push("no `Established:` (what the practice looks like when in place)".into());
        }
        if !(3..=6).contains(&c.steps.len()) {
            gaps.push(format!("{} steps (3–6 expected)", c.steps.len()));
        }
        if !(1..=3).contains(&c.pitfalls.len()) {
            gaps.push(format!("{} pitfalls (1–3 expected)", c.pitfalls.len()));
        }
        if c.resources.len() < 2 {
            gaps.push(format!(
                "{} resource{} (at least 2 expected)",
                c.resources.len(),
                if c.resources.len() == 1 { "" } else { "s" }
            ));
        }
        if c.related.is_empty() {
            gaps.push("no related topics".into());
        }
        if !gaps.is_empty() {
            out.push(
                Diagnostic::warning(
                    span(i),
                    format!("the {} `{}` has {}", n.kind, n.id, gaps.join(", ")),
                )
                .with_hint(format!(
                    "write it under the topic, or in `topics/{}.md` beside the roadmap (docs/content-style.md)",
                    n.id
                )),
            );
        }
    }
    out
}
