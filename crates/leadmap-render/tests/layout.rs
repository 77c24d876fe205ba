//! What a reader of the diagram relies on: no two boxes overlap, no text is clipped, no
//! connector runs through a box, and the same roadmap always gives the same bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// A program around the crate, not the crate: it may read files, the clock and print.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use leadmap_core::{Kind, parse};
use leadmap_render::layout::{self, Edge, Placed, layout};
use leadmap_render::text;
use proptest::prelude::*;

fn contains(outer: &Placed<'_>, inner: &Placed<'_>) -> bool {
    outer.x <= inner.x
        && outer.y <= inner.y
        && outer.right() >= inner.right()
        && outer.bottom() >= inner.bottom()
}

fn overlap(a: &Placed<'_>, b: &Placed<'_>) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
}

fn strictly_inside(b: &Placed<'_>, x: f32, y: f32) -> bool {
    x > b.x + 0.5 && x < b.right() - 0.5 && y > b.y + 0.5 && y < b.bottom() - 0.5
}

/// Points along a connector, ends excluded.
fn samples(e: &Edge) -> Vec<(f32, f32)> {
    let mut out = Vec::new();
    match *e {
        Edge::Spine { x, y1, y2 } => {
            for i in 1..32 {
                out.push((x, y1 + (y2 - y1) * i as f32 / 32.0));
            }
        }
        Edge::Curve { x1, y1, x2, y2 } => {
            let mx = (x1 + x2) / 2.0;
            for i in 1..32 {
                let t = i as f32 / 32.0;
                let u = 1.0 - t;
                let x =
                    u * u * u * x1 + 3.0 * u * u * t * mx + 3.0 * u * t * t * mx + t * t * t * x2;
                let y =
                    u * u * u * y1 + 3.0 * u * u * t * y1 + 3.0 * u * t * t * y2 + t * t * t * y2;
                out.push((x, y));
            }
        }
        Edge::Elbow { x1, y1, x2, y2 } => {
            for i in 1..16 {
                out.push((x1, y1 + (y2 - y1) * i as f32 / 16.0));
                out.push((x1 + (x2 - x1) * i as f32 / 16.0, y2));
            }
        }
    }
    out
}

fn assert_sound(md: &str) {
    let r = parse(md.as_bytes(), "t").roadmap;
    let l = layout(&r);
    let boxes = &l.boxes;
    for (i, a) in boxes.iter().enumerate() {
        // Text fits its box.
        let kind = a.kind;
        for line in &a.lines {
            let w = text::width(line, layout::font_size(kind), layout::is_bold(kind));
            let room = if a.centered {
                a.w - 2.0 * layout::PAD_X
            } else {
                a.w.min(a.text_x + layout::TOPIC_W) - a.text_x - layout::PAD_X
            };
            assert!(w <= room + 0.01, "{line:?} ({w}) does not fit in {room}");
        }
        assert!(
            a.x >= 0.0 && a.right() <= l.width && a.bottom() <= l.height,
            "box outside the picture"
        );
        for b in &boxes[i + 1..] {
            if overlap(a, b) {
                // Only a group frame may hold other boxes, and then wholly.
                let ok = (a.kind == Some(Kind::Group) && contains(a, b))
                    || (b.kind == Some(Kind::Group) && contains(b, a));
                assert!(ok, "{:?} overlaps {:?}", a.lines, b.lines);
            }
        }
    }
    for e in &l.edges {
        for (x, y) in samples(e) {
            for b in boxes.iter().filter(|b| b.kind != Some(Kind::Group)) {
                assert!(
                    !strictly_inside(b, x, y),
                    "connector {e:?} runs through {:?}",
                    b.lines
                );
            }
        }
    }
}

#[test]
fn the_bundled_roadmaps_lay_out_soundly() {
    for b in leadmap_core_bundled() {
        assert_sound(b);
    }
}

fn leadmap_core_bundled() -> Vec<&'static str> {
    vec![
        include_str!("../../../roadmaps/engineering-leadership.md"),
        include_str!("../../../roadmaps/engineering-manager.md"),
    ]
}

#[test]
fn the_same_roadmap_gives_the_same_bytes() {
    let md = leadmap_core::synthetic::markdown(300, 3);
    let r = parse(md.as_bytes(), "t").roadmap;
    let opts = leadmap_render::SvgOptions::default();
    assert_eq!(
        leadmap_render::render_svg(&r, &opts),
        leadmap_render::render_svg(&r, &opts)
    );
}

const WORDS: &[&str] = &[
    "Hiring",
    "a",
    "Supercalifragilisticexpialidociously",
    "OKRs",
    "1:1s",
    "💯",
    "budget",
    "on-call",
    "x",
    "Architecture Decision Records",
];

fn title() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..12).prop_map(|w| w.join(" "))
}

fn roadmap() -> impl Strategy<Value = String> {
    // Areas of topics and groups; topics with nested subtopics.
    let sub = (title(), prop::collection::vec(title(), 0..3));
    let topic = (title(), prop::collection::vec(sub, 0..4));
    let child = (any::<bool>(), title(), prop::collection::vec(topic, 0..5));
    let area = (title(), prop::collection::vec(child, 0..6));
    (prop::collection::vec(area, 1..5), any::<bool>()).prop_map(|(areas, parts)| {
        let mut md = String::from("# Random roadmap\n\n");
        for (i, (a, children)) in areas.into_iter().enumerate() {
            if parts && i % 2 == 0 {
                md.push_str(&format!("# Part {i}\n\n"));
            }
            md.push_str(&format!("## {a} {{#area-{i}}}\n\n"));
            let mut lists = String::new();
            let mut groups = String::new();
            for (j, (is_group, t, topics)) in children.into_iter().enumerate() {
                let mut block = String::new();
                for (k, (tt, subs)) in topics.into_iter().enumerate() {
                    block.push_str(&format!("- {tt} {{#t-{i}-{j}-{k}}}\n"));
                    for (m, (st, deeper)) in subs.into_iter().enumerate() {
                        block.push_str(&format!("  - {st} {{#s-{i}-{j}-{k}-{m}}}\n"));
                        for (n, d) in deeper.into_iter().enumerate() {
                            block.push_str(&format!("    - {d} {{#d-{i}-{j}-{k}-{m}-{n}}}\n"));
                        }
                    }
                }
                if is_group {
                    groups.push_str(&format!("### {t} {{#g-{i}-{j}}}\n\n{block}\n"));
                } else {
                    lists.push_str(&block);
                }
            }
            md.push_str(&lists);
            md.push('\n');
            md.push_str(&groups);
        }
        md
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_roadmaps_lay_out_soundly(md in roadmap()) {
        assert_sound(&md);
    }
}

#[test]
fn deeply_nested_subtopics_lay_out_soundly() {
    let mut md = String::from("# Deep\n\n## Area\n\n");
    for side in 0..2 {
        for level in 0..10 {
            md.push_str(&"  ".repeat(level));
            md.push_str(&format!(
                "- Level {level} of branch {side} with a longer title to wrap\n"
            ));
        }
        md.push_str("  - A sibling after the deep branch\n");
    }
    assert_sound(&md);
}

#[test]
fn a_filled_template_is_the_svg_rendered_with_that_progress() {
    use leadmap_core::progress::{ProgressMap, Status};
    let md = leadmap_core::synthetic::markdown(60, 5);
    let r = parse(md.as_bytes(), "t").roadmap;
    let l = leadmap_render::layout(&r);
    let t = leadmap_render::SvgTemplate::new(&r, &l, leadmap_render::Theme::Dark);
    assert!(
        t.topic_ids().len() > 60,
        "every topic and subtopic has holes"
    );
    let mut progress = ProgressMap::new();
    for (i, id) in t.topic_ids().iter().enumerate() {
        progress.insert(id.clone(), Status::ALL[i % 4]);
    }
    let opts = leadmap_render::SvgOptions {
        theme: leadmap_render::Theme::Dark,
        progress: progress.clone(),
        no_style: true,
        topic_links: true,
    };
    let direct = leadmap_render::svg::render(&r, &l, &opts);
    let filled = t.fill(|id| progress.get(id).copied().unwrap_or_default());
    assert_eq!(filled, direct);
    assert!(filled.contains("#s-done") && filled.contains(", learning</title>"));
    assert!(!filled.contains('\u{1}'));
    // With no progress every topic is pending: no marks, no state in the names.
    let empty = t.fill(|_| Status::Pending);
    assert!(!empty.contains(", done</title>") && !empty.contains(", learning</title>"));
    assert_eq!(
        empty.matches("<use href").count(),
        3,
        "only the legend's three marks"
    );
}

#[test]
fn the_scoped_stylesheet_prefixes_every_rule() {
    let css = leadmap_render::svg::stylesheet(leadmap_render::Theme::Light, ".map");
    for rule in css.split_inclusive('}') {
        let sel = rule.split('{').next().unwrap_or_default();
        for part in sel.split(',') {
            assert!(part.starts_with(".map "), "{part}");
        }
    }
    assert!(css.contains(".map .done rect{"));
}

/// The text of each box, as a browser, a screen reader and copy-and-paste read it (tags
/// dropped, entities decoded, white space collapsed), is its title: a wrapped line keeps the
/// space it was broken at.
#[test]
fn wrapped_titles_keep_the_spaces_between_their_words() {
    fn plain(xml: &str) -> String {
        let mut out = String::new();
        let mut tag = false;
        for c in xml.chars() {
            match c {
                '<' => tag = true,
                '>' => tag = false,
                c if !tag => out.push(c),
                _ => {}
            }
        }
        let out = out
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
    let mut wrapped = 0;
    for md in leadmap_core_bundled() {
        let r = parse(md.as_bytes(), "t").roadmap;
        let l = layout(&r);
        let svg = leadmap_render::svg::render(&r, &l, &leadmap_render::SvgOptions::default());
        for b in l.boxes.iter().filter(|b| b.node.is_some()) {
            let n = b.node.unwrap();
            let at = svg
                .find(&format!("data-id=\"{}\"", n.id))
                .expect("every node is drawn");
            let start = at + svg[at..].find("<text").unwrap();
            let end = start + svg[start..].find("</text>").unwrap();
            let want = layout::label(n)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(plain(&svg[start..end]), want, "the text of {}", n.id);
            wrapped += usize::from(b.lines.len() > 1);
        }
    }
    assert!(wrapped > 10, "the bundled roadmaps wrap titles: {wrapped}");
    // A word cut in two gets no space.
    let r = parse(
        format!("# M\n\n## A\n\n- {}\n", "x".repeat(80)).as_bytes(),
        "t",
    )
    .roadmap;
    let svg = leadmap_render::render_svg(&r, &leadmap_render::SvgOptions::default());
    assert!(
        svg.contains(&"x".repeat(20)) && !svg.contains("x <tspan") && !svg.contains("x\u{20}<")
    );
}
