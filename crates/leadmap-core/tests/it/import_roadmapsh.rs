//! roadmap.sh JSON exports (fixtures written by us in the export's shape).

use leadmap_core::import::{Format, import};
use leadmap_core::{Kind, Node, Roadmap};

fn run(bytes: &[u8]) -> (Roadmap, Vec<String>) {
    assert_eq!(Format::detect(bytes), Format::RoadmapSh);
    let out = import(bytes, Format::RoadmapSh, None, &mut |_, _| {});
    let msgs = out.diagnostics.iter().map(|d| d.message.clone()).collect();
    (out.roadmap.expect("a roadmap"), msgs)
}

fn tree(nodes: &[Node]) -> Vec<String> {
    let mut out = Vec::new();
    for n in nodes {
        out.push(format!("{} {} {}", n.kind, n.id, n.title.plain()));
        for line in tree(&n.children) {
            out.push(format!("  {line}"));
        }
    }
    out
}

#[test]
fn areas_groups_topics_in_top_to_bottom_order() {
    let (r, msgs) = run(include_bytes!("../fixtures/roadmapsh-headed.json"));
    assert_eq!(r.title.plain(), "Platform Lead");
    assert_eq!(
        tree(&r.children),
        [
            "area introduction Introduction",
            "  topic why Why this roadmap",
            "area h-found Foundations",
            "  group s1 Basics",
            "    topic t1 Version Control",
            "    topic t2 Code Review",
            "      subtopic st1 Pull requests",
            "  topic t3 Lone Topic",
            "  topic st2 Unlinked Subtopic",
            "  topic bad-id Odd Id",
            "area h-deliv Delivery",
            "  group s2 Pipelines",
            "    topic t4 CI",
            "    topic t5 CD",
        ]
    );
    assert_eq!(r.find("t1").and_then(|n| n.emoji.as_deref()), Some("🔀"));
    let all = msgs.join("\n");
    for expected in [
        "skipped 1 `button` nodes: btn",
        "skipped 1 `vertical` nodes: v1",
        "skipped 1 `horizontal` nodes: h1",
        "skipped 1 `legend` nodes: leg",
        "skipped 1 `linksgroup` nodes: lg",
        "skipped 1 `checklist` nodes: ck",
        "skipped 1 paragraphs that are not area headings: note",
        "skipped 1 edges without a source or a target: e2",
        "skipped 1 edges to nodes that do not exist: e3",
        "skipped node #23: node `nopos` has no position",
        "node id `bad id!` cannot be kept as it is; it is `bad-id` here",
        "1 items above the first area heading were put in an area named `Introduction`",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in\n{all}");
    }
    // What the importer writes passes the checker.
    let md = leadmap_core::print(&r);
    let parsed = leadmap_core::parse(md.as_bytes(), "x");
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.roadmap, r);
}

#[test]
fn without_headings_each_topic_is_an_area() {
    let (r, _) = run(include_bytes!("../fixtures/roadmapsh-spine.json"));
    assert_eq!(
        tree(&r.children),
        [
            "area A Internet",
            "  topic a1 How DNS works",
            "area B Languages",
            "  topic b2 Go",
            "  topic b1 Rust",
        ]
    );
    assert_eq!(r.count(Kind::Area), 2);
}

#[test]
fn broken_json_says_where() {
    let bad = b"{\"nodes\": [\n  {\"id\": 1,}\n]}";
    let out = import(bad, Format::RoadmapSh, None, &mut |_, _| {});
    assert!(out.roadmap.is_none());
    let text = leadmap_core::diagnostic::render("x.json", bad, &out.diagnostics);
    assert!(
        text.starts_with("x.json:2:12: error: not valid JSON"),
        "{text}"
    );
    let no_nodes = import(b"{\"edges\": []}", Format::RoadmapSh, None, &mut |_, _| {});
    assert_eq!(no_nodes.diagnostics[0].message, "no `nodes` array");
}
