//! Synthetic roadmaps of any size, for benchmarks: `## ` areas of 4–10 numbered topics,
//! about 40 % of topics with 2–4 subtopics. Deterministic for a given size and seed.

use std::fmt::Write;

use crate::model::{Node, Roadmap};

/// A small, fast, deterministic generator (SplitMix64); no dependency needed for this.
#[derive(Debug, Clone)]
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

const WORDS: &[&str] = &[
    "Hiring",
    "Feedback",
    "Budget",
    "Vision",
    "Incidents",
    "On-call",
    "Roadmap",
    "Metrics",
    "Mentoring",
    "Reviews",
    "Architecture",
    "Quality",
    "Security",
    "Culture",
    "Delivery",
    "Planning",
    "Coaching",
    "Onboarding",
    "Strategy",
    "Standards",
];

/// Two to four words and a serial number: titles are unique, as in a real roadmap.
fn title(rng: &mut Mix, serial: &mut usize) -> String {
    *serial += 1;
    let n = rng.range(2, 4);
    let mut t = (0..n)
        .map(|_| WORDS[rng.range(0, WORDS.len() as u64 - 1) as usize])
        .collect::<Vec<_>>()
        .join(" ");
    t.push_str(&format!(" {serial}"));
    t
}

/// A roadmap in the Markdown format with `topics` topics (subtopics come on top).
pub fn markdown(topics: usize, seed: u64) -> String {
    let mut rng = Mix(seed);
    let mut serial = 0;
    let mut out = String::with_capacity(topics * 48);
    let _ = writeln!(out, "# Synthetic roadmap of {topics} topics\n");
    let mut made = 0;
    let mut area = 0;
    while made < topics {
        area += 1;
        let _ = writeln!(out, "## Area {area}: {}\n", title(&mut rng, &mut serial));
        let n = (rng.range(4, 10) as usize).min(topics - made);
        for i in 1..=n {
            let marker = format!("{i}. ");
            let _ = writeln!(out, "{marker}{}", title(&mut rng, &mut serial));
            if rng.range(0, 99) < 40 {
                for _ in 0..rng.range(2, 4) {
                    // Subtopics sit at the topic's content column.
                    let _ = writeln!(
                        out,
                        "{:w$}- {}",
                        "",
                        title(&mut rng, &mut serial),
                        w = marker.len()
                    );
                }
            }
        }
        out.push('\n');
        made += n;
    }
    out
}

/// The same tree as a Graphviz digraph, for comparing layout engines.
pub fn dot(r: &Roadmap) -> String {
    let quote = |s: &str| s.replace('"', "'");
    let mut out = String::from("digraph roadmap {\n  node [shape=box];\n");
    let _ = writeln!(out, "  root [label=\"{}\"];", quote(&r.title.plain()));
    let mut stack: Vec<(&Node, String)> = r
        .children
        .iter()
        .rev()
        .map(|n| (n, "root".to_owned()))
        .collect();
    while let Some((n, parent)) = stack.pop() {
        let id = format!("n{}", n.id.as_str().replace(['-', '.'], "_"));
        let _ = writeln!(
            out,
            "  {id} [label=\"{}\"];\n  {parent} -> {id};",
            quote(&n.title.plain())
        );
        stack.extend(n.children.iter().rev().map(|c| (c, id.clone())));
    }
    out.push_str("}\n");
    out
}

/// The same tree as a PlantUML mindmap.
pub fn plantuml(r: &Roadmap) -> String {
    let mut out = String::from("@startmindmap\n");
    let _ = writeln!(out, "* {}", r.title.plain());
    let mut stack: Vec<(&Node, usize)> = r.children.iter().rev().map(|n| (n, 2)).collect();
    while let Some((n, depth)) = stack.pop() {
        let _ = writeln!(out, "{} {}", "*".repeat(depth), n.title.plain());
        stack.extend(n.children.iter().rev().map(|c| (c, depth + 1)));
    }
    out.push_str("@endmindmap\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn gives_the_topics_asked_for() {
        let md = super::markdown(150, 7);
        let r = crate::parse(md.as_bytes(), "s").roadmap;
        assert_eq!(r.count(crate::Kind::Topic), 150);
        assert!(r.count(crate::Kind::Subtopic) > 60);
        assert_eq!(md, super::markdown(150, 7));
        let nodes = r.nodes().count();
        assert_eq!(super::dot(&r).matches(" -> ").count(), nodes);
        assert_eq!(
            super::plantuml(&r)
                .lines()
                .filter(|l| l.starts_with('*'))
                .count(),
            nodes + 1
        );
    }
}
