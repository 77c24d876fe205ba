//! The Markdown format as a user writes it.

use crate::parse_ok;
use leadmap_core::{Kind, ResourceKind, parse, print};

const EXAMPLE: &str = "---
id: demo
version: \"1\"
authors:
  - Ada
---

# Demo Roadmap

What this roadmap is for.

## ✏️ Fundamentals {#fundamentals}

The basics.

- 🧿 Vision & Mission {#vision}

  Why a team exists and where it is going.

  Steps:

  1. Draft it.
  2. Share it.

  Pitfalls:

  * Writing it alone — write it with the team.

  Resources:

  * book: The Manager's Path — Camille Fournier, 2017
  * tool: Notion <https://www.notion.so/>

  Related: values

  - Mission statement
- Values {#values}

### Hiring

- Interviews
- Interviews

## Empty?

- Use `git` and *care* with [links](https://example.com)
";

#[test]
fn a_complete_file_reads_as_a_tree_with_content() {
    let r = parse_ok(EXAMPLE);
    assert_eq!(r.id.as_str(), "demo");
    assert_eq!(r.title.plain(), "Demo Roadmap");
    assert_eq!(r.description, "What this roadmap is for.");
    assert_eq!(r.meta.authors, vec!["Ada"]);
    let fundamentals = &r.children[0];
    assert_eq!(
        (fundamentals.kind, fundamentals.id.as_str()),
        (Kind::Area, "fundamentals")
    );
    assert_eq!(fundamentals.emoji.as_deref(), Some("✏️"));
    assert_eq!(fundamentals.content.summary, "The basics.");
    let vision = &fundamentals.children[0];
    assert_eq!(vision.title.plain(), "Vision & Mission");
    assert_eq!(vision.emoji.as_deref(), Some("🧿"));
    assert_eq!(
        vision.content.summary,
        "Why a team exists and where it is going."
    );
    assert_eq!(vision.content.steps, vec!["Draft it.", "Share it."]);
    assert_eq!(vision.content.pitfalls.len(), 1);
    let book = &vision.content.resources[0];
    assert_eq!(book.kind, ResourceKind::Book);
    assert_eq!(book.title, "The Manager's Path");
    assert_eq!(book.author.as_deref(), Some("Camille Fournier"));
    assert_eq!(book.year, Some(2017));
    assert_eq!(
        vision.content.resources[1].url.as_deref(),
        Some("https://www.notion.so/")
    );
    assert_eq!(vision.content.related[0].id.as_str(), "values");
    assert_eq!(vision.children[0].kind, Kind::Subtopic);
    assert_eq!(vision.children[0].id.as_str(), "mission-statement");
    let hiring = &fundamentals.children[2];
    assert_eq!((hiring.kind, hiring.id.as_str()), (Kind::Group, "hiring"));
    // The same title twice gets two ids, deterministically.
    let ids: Vec<_> = hiring.children.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["interviews", "hiring-interviews"]);
    // Inline Markdown in titles is kept; the plain text drops it.
    let inline = &r.children[1].children[0];
    assert_eq!(
        inline.title.as_markdown(),
        "Use `git` and *care* with [links](https://example.com)"
    );
    assert_eq!(inline.title.plain(), "Use git and care with links");
}

#[test]
fn an_explicit_id_survives_a_rename() {
    let before = parse_ok("# R\n\n## Area\n\n- Old name {#keep-me}\n");
    let after = parse_ok("# R\n\n## Area\n\n- A brand new name {#keep-me}\n");
    assert_eq!(
        before.children[0].children[0].id,
        after.children[0].children[0].id
    );
    // Without an explicit id the id follows the title.
    let derived = parse_ok("# R\n\n## Area\n\n- Old name\n");
    assert_eq!(derived.children[0].children[0].id.as_str(), "old-name");
}

#[test]
fn an_explicit_id_wins_over_a_derived_one() {
    // `area` is taken explicitly further down, so the first derived one steps aside.
    let r = parse_ok("# R\n\n## Area\n\n- Thing\n\n## Other {#area}\n\n- X\n");
    assert_eq!(r.children[1].id.as_str(), "area");
    assert_ne!(r.children[0].id.as_str(), "area");
}

#[test]
fn crlf_tabs_bom_and_trailing_spaces_are_accepted() {
    let unix = "# R\n\n## Area\n\n- Topic\n  - Sub\n";
    let windows = "\u{feff}# R  \r\n\r\n## Area   \r\n\r\n- Topic \r\n\t- Sub  \r\n";
    assert_eq!(parse_ok(unix), parse_ok(windows));
}

#[test]
fn parts_and_flat_parts() {
    let r = parse_ok(
        "# R\n\n## Intro {.part}\n\n- What it is\n\n# Engineering\n\n## A\n\n- T\n\n# Business\n\n## B\n\n- U\n",
    );
    let kinds: Vec<_> = r
        .children
        .iter()
        .map(|n| (n.kind, n.title.plain()))
        .collect();
    assert_eq!(
        kinds,
        [
            (Kind::Part, "Intro".into()),
            (Kind::Part, "Engineering".into()),
            (Kind::Part, "Business".into())
        ]
    );
    assert_eq!(r.children[0].children[0].kind, Kind::Topic);
    assert_eq!(r.children[1].children[0].kind, Kind::Area);
}

#[test]
fn groups_as_list_items() {
    let r = parse_ok(
        "# R\n\n## Area\n\n- Lead topic\n- Group {.group}\n  - In the group\n- Trailing topic\n",
    );
    let area = &r.children[0];
    assert_eq!(area.children[1].kind, Kind::Group);
    assert_eq!(area.children[1].children[0].kind, Kind::Topic);
    // The printer keeps the mixed order by writing the group as an item, too.
    assert_eq!(parse_ok(&print(&r)), r);
}

#[test]
fn printing_the_bundled_style_is_stable() {
    let r = parse_ok(EXAMPLE);
    let once = print(&r);
    let twice = print(&parse(once.as_bytes(), "x").roadmap);
    assert_eq!(once, twice);
    insta::assert_snapshot!(once);
}

#[test]
fn an_explicit_summary_label_is_optional() {
    let a = parse_ok("# R\n\n## A\n\n- T\n\n  Summary: What it is.\n");
    let b = parse_ok("# R\n\n## A\n\n- T\n\n  What it is.\n");
    assert_eq!(a, b);
}

#[test]
fn an_unclosed_code_fence_in_a_summary_is_closed_so_it_swallows_nothing() {
    let src = "# R\n\n## A\n\n- T\n\n  ```\n  code\n- U\n";
    let r = parse_ok(src);
    assert_eq!(r.children[0].children[0].content.summary, "```\ncode\n```");
    assert_eq!(parse_ok(&print(&r)), r);
}
