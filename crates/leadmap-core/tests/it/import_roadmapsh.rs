//! roadmap.sh JSON exports (fixtures written by us in the export's shape).

use leadmap_core::import::{Format, import};
use leadmap_core::{Kind, Node, Roadmap};

fn run(bytes: &[u8]) -> (Roadmap, Vec<String>) {
    let (r, msgs, _) = run_placed(bytes);
    (r, msgs)
}

fn run_placed(bytes: &[u8]) -> (Roadmap, Vec<String>, String) {
    assert_eq!(Format::detect(bytes), Format::RoadmapSh);
    let out = import(bytes, Format::RoadmapSh, None, &mut |_, _| {});
    let msgs = out.diagnostics.iter().map(|d| d.message.clone()).collect();
    let placed = out.placement.map(|p| p.to_string()).unwrap_or_default();
    (out.roadmap.expect("a roadmap"), msgs, placed)
}

/// What the importer writes passes the checker without errors and reads back the same.
fn reads_back(r: &Roadmap) {
    let md = leadmap_core::print(r);
    let parsed = leadmap_core::parse(md.as_bytes(), "x");
    let diags = leadmap_core::check::check(&parsed, &leadmap_core::check::NoOtherRoadmaps);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}\n{md}");
    assert_eq!(&parsed.roadmap, r);
}

fn expect_all(msgs: &[String], expected: &[&str]) {
    let all = msgs.join("\n");
    for e in expected {
        assert!(all.contains(e), "missing {e:?} in\n{all}");
    }
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

#[test]
fn spine_topics_follow_edges_and_subtopics_go_by_edge_section_or_side() {
    let (r, msgs, placed) = run_placed(include_bytes!("../fixtures/roadmapsh-common.json"));
    assert_eq!(r.title.plain(), "Backend Path");
    assert_eq!(
        tree(&r.children),
        [
            // Databases is drawn above Languages; the edge Languages -> Databases decides.
            "area T1 Internet",
            "  topic s-dns How DNS works",
            "  topic s-http HTTP",
            "area T2 Languages",
            "  topic s-rust Rust",
            "    subtopic s-own Ownership",
            "  topic s-go Go",
            "area T3 Databases",
            "  group sec-db Relational",
            "    topic s-pg PostgreSQL",
            "    topic s-lite SQLite",
            "area T4 Caching",
            "  topic s-redis Redis",
            "  topic s-memc Memcached",
            "area T5 Testing",
            "  topic testing Testing",
        ]
    );
    assert_eq!(
        placed,
        "spine of 5 topics (3 followed along edges, 2 by position); \
         9 nodes placed beside them: 4 by edge, 3 by section, 2 by position"
    );
    expect_all(
        &msgs,
        &[
            "skipped 1 `todo` nodes: td",
            "skipped 1 `button` nodes: btn",
            "skipped 1 `legend` nodes: leg",
            "skipped 1 `vertical` nodes: v1",
            "skipped 1 `paragraph` nodes: p-intro",
            "skipped 1 section boxes without a label (their subtopics join the topic): sec-kv",
            "1 spine topics have nothing beside them; each is its area's only topic: T5",
        ],
    );
    reads_back(&r);
}

#[test]
fn checklist_items_are_topics_of_the_nearest_spine_topic_grouped_by_label() {
    let (r, msgs, placed) = run_placed(include_bytes!("../fixtures/roadmapsh-checklist.json"));
    assert_eq!(
        tree(&r.children),
        [
            "area c1 HTML",
            "  group l1 Learn the basics",
            "    topic k1a Semantic tags",
            "    topic k1b Forms and inputs",
            "area c2 CSS",
            "  group l2 Practice",
            "    topic style-a-landing-page Style a landing page",
            "    topic make-it-responsive Make it responsive",
            "area c3 JavaScript",
            "  topic k3a Variables",
            "  topic k3b Functions",
        ]
    );
    assert_eq!(
        placed,
        "spine of 3 topics (2 followed along edges, 1 by position); \
         6 nodes placed beside them: 0 by edge, 0 by section, 6 by position"
    );
    expect_all(
        &msgs,
        &[
            "skipped 1 checklists without items: k4",
            "skipped 1 labels that name no section or checklist: l3",
            "skipped 1 `todo` nodes: td",
            "skipped 1 `paragraph` nodes: p1",
        ],
    );
    reads_back(&r);
}

#[test]
fn section_based_exports_report_their_placement_too() {
    let (_, _, placed) = run_placed(include_bytes!("../fixtures/roadmapsh-headed.json"));
    assert_eq!(
        placed,
        "9 nodes placed: 1 by edge, 4 by section, 4 by position"
    );
}

#[test]
fn checklists_without_a_spine_become_areas_and_bad_shapes_do_not_panic() {
    let only = br#"{"nodes": [
      {"id": "l", "type": "label", "position": {"x": 0, "y": 0}, "width": 100, "height": 20, "data": {"label": "Week one"}},
      {"id": "k", "type": "checklist", "position": {"x": 0, "y": 30}, "width": 100, "height": 60,
       "data": {"checklists": ["Read the guide", {"text": "Ship a page"}, 7, {"label": ""}]}}
    ]}"#;
    let (r, _) = run(only);
    assert_eq!(
        tree(&r.children),
        [
            "area l Week one",
            "  topic read-the-guide Read the guide",
            "  topic ship-a-page Ship a page",
        ]
    );
    reads_back(&r);
    // Edges in loops, to themselves and between odd kinds; sizes missing.
    let odd = br#"{"nodes": [
      {"id": "a", "type": "topic", "position": {"x": 0, "y": 0}, "data": {"label": "A"}},
      {"id": "b", "type": "topic", "position": {"x": 0, "y": 0}, "data": {"label": "B"}},
      {"id": "s", "type": "subtopic", "position": {"x": 0, "y": 0}, "data": {"label": "S"}},
      {"id": "t", "type": "subtopic", "position": {"x": 0, "y": 0}, "data": {"label": "T"}}
    ], "edges": [
      {"source": "a", "target": "b"}, {"source": "b", "target": "a"}, {"source": "a", "target": "a"},
      {"source": "s", "target": "t"}, {"source": "t", "target": "s"}, {"source": "s", "target": "s"}
    ]}"#;
    let (r, _) = run(odd);
    assert_eq!(r.count(Kind::Area), 2);
    assert_eq!(r.count(Kind::Topic) + r.count(Kind::Subtopic), 3);
    reads_back(&r);
}
