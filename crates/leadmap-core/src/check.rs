//! The checker: what the parser reports, plus what needs the whole tree (empty areas,
//! related-topic links that go nowhere).

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
