//! Every error path shows its message with file, line and column.

use crate::messages;
use leadmap_core::parse;
use proptest::prelude::*;

#[test]
fn duplicate_explicit_ids() {
    let out = messages(b"# R\n\n## A\n\n- One {#x}\n- Two {#x}\n");
    assert_eq!(
        out,
        "t.md:6:3: error: duplicate id `x`\n  = hint: ids are unique in a roadmap; `x` is first used on line 5\n"
    );
}

#[test]
fn list_item_before_any_area() {
    let out = messages(b"# R\n\n- Lost\n\n## A\n\n- Fine\n");
    assert!(
        out.starts_with("t.md:3:1: error: a list item before any area\n"),
        "{out}"
    );
}

#[test]
fn empty_area() {
    let out = messages(b"# R\n\n## Lonely\n\n## Full\n\n- T\n");
    assert!(
        out.starts_with("t.md:3:1: error: the area `Lonely` is empty\n"),
        "{out}"
    );
}

#[test]
fn related_topic_that_does_not_exist() {
    let out = messages(b"# R\n\n## A\n\n- T\n\n  Related: nowhere\n");
    assert!(
        out.starts_with("t.md:7:3: error: related topic `nowhere` does not exist\n"),
        "{out}"
    );
    let other = messages(b"# R\n\n## A\n\n- T\n\n  Related: elsewhere:topic\n");
    assert!(
        other.contains("warning: unknown roadmap `elsewhere`"),
        "{other}"
    );
}

#[test]
fn unknown_resource_kind() {
    let out = messages(b"# R\n\n## A\n\n- T\n\n  Resources:\n\n  * boook: Typo\n");
    assert_eq!(
        out,
        "t.md:9:5: error: unknown resource kind `boook`\n  = hint: the kinds are: book, article, video, talk, podcast, course, tool, community, newsletter, template, website\n"
    );
}

#[test]
fn malformed_front_matter() {
    let out = messages(b"---\nid: [unclosed\n---\n# R\n\n## A\n\n- T\n");
    assert!(
        out.starts_with(
            "t.md:2:5: error: malformed front matter: id: invalid type: sequence, expected a string"
        ),
        "{out}"
    );
    let unknown = messages(b"---\ncolour: red\n---\n# R\n\n## A\n\n- T\n");
    assert!(
        unknown.contains("error: malformed front matter: unknown field `colour`"),
        "{unknown}"
    );
    let unclosed = messages(b"---\nid: x\n# R\n");
    assert!(
        unclosed.starts_with("t.md:1:1: error: the front matter is not closed"),
        "{unclosed}"
    );
}

#[test]
fn invalid_utf8_with_its_byte_offset() {
    let out = messages(b"# R\n\n## A\n\n- T\xff\xfe\n");
    assert!(
        out.starts_with("t.md:5:4: error: invalid UTF-8 at byte 14 (0xFFFE)\n"),
        "{out}"
    );
}

#[test]
fn bad_ids_and_classes() {
    let out = messages(b"# R\n\n## A\n\n- T {#bad id!}\n- U {.wat}\n");
    assert!(
        out.contains("t.md:5:5: error: `id!` is not an attribute"),
        "{out}"
    );
    assert!(out.contains("error: unknown class `.wat`"), "{out}");
}

#[test]
fn missing_title() {
    let out = messages(b"## A\n\n- T\n");
    assert!(
        out.starts_with("t.md:1:1: error: the roadmap has no title"),
        "{out}"
    );
}

#[test]
fn ten_thousand_levels_of_nesting_neither_panic_nor_overflow() {
    let mut src = String::from("# R\n\n## A\n\n");
    src.push_str(&"- ".repeat(10_000));
    src.push_str("deep\n");
    let out = messages(src.as_bytes());
    assert!(out.contains("error: nested too deeply"), "{out}");
    // Indented nesting, too.
    let mut src = String::from("# R\n\n## A\n\n");
    for i in 0..2_000 {
        src.push_str(&" ".repeat(i * 2));
        src.push_str("- x\n");
    }
    let out = messages(src.as_bytes());
    assert!(out.contains("error: nested too deeply"), "{out}");
    let quotes = format!("# R\n\n## A\n\n{}x\n", "> ".repeat(10_000));
    let _ = messages(quotes.as_bytes());
}

#[test]
fn a_large_file_is_read_whole() {
    // 50 MB: many areas of topics.
    let mut src = String::with_capacity(52 << 20);
    src.push_str("# Big\n\n");
    let mut n = 0;
    while src.len() < 50 << 20 {
        src.push_str(&format!("## Area {n}\n\n"));
        for t in 0..10 {
            src.push_str(&format!(
                "- Topic {n} {t} with a fairly long title to fill the file\n"
            ));
        }
        src.push('\n');
        n += 1;
    }
    let p = parse(src.as_bytes(), "big");
    assert!(!p.has_errors());
    assert_eq!(p.roadmap.children.len(), n);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = messages(&bytes);
    }

    #[test]
    fn random_markdownish_text_never_panics(s in "[-#*>{}\\[\\]().:!`_ \\na-z0-9\t\r\u{feff}💯]{0,600}") {
        let _ = messages(s.as_bytes());
    }
}

#[test]
fn a_part_inside_a_part() {
    let out = messages(b"# R\n\n# Part\n\n## Intro {.part}\n\n- T\n");
    assert!(
        out.starts_with("t.md:5:1: error: a part cannot be inside another part"),
        "{out}"
    );
}

#[test]
fn every_other_message() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"# R\n\n### Early group\n\n## A\n\n- T\n",
            "t.md:3:1: error: a group heading before any area",
        ),
        (
            b"# R\n\n## A\n\n- {#only-an-id}\n",
            "t.md:5:3: error: a node without a title",
        ),
        (
            b"# R\n\n## A\n\n- T\n-\n",
            "t.md:6:1: error: a list item without a title",
        ),
        (
            b"# R\n\n## A\n\n- T {#a #b}\n",
            "t.md:5:5: error: a node has one id",
        ),
        (
            b"# R\n\n## A\n\n- T\n  - U {.group}\n",
            "t.md:6:5: error: `.group` does not apply to an item under a topic",
        ),
        (
            b"# R\n\n### G {.part}\n",
            "error: `.part` does not apply to a level-3 heading",
        ),
        (
            b"# R\n\n## A\n\n- T\n\n  Resources:\n\n  * book:\n",
            "t.md:9:5: error: a resource needs a title after its kind",
        ),
        (
            b"# R\n\n## A\n\n- T\n\n  Resources:\n\n  * The Title\n",
            "t.md:9:5: error: a resource starts with its kind",
        ),
        (
            b"# R\n\n## A\n\n- T\n\n  Related: not an id!\n",
            "t.md:7:3: error: bad id `not an id!` in `Related:`",
        ),
        (
            b"# R\n\n## A\n\n- T\n\n  Steps:\n\n  Then prose.\n",
            "t.md:7:3: warning: `Steps:` is not followed by a list",
        ),
        (
            b"# R\n\n## A\n\n#### Deep heading\n\n- T\n",
            "t.md:5:1: warning: heading level 4 is not part of the format; kept as text",
        ),
        (
            b"# R\n\n## A\n\n### Empty group\n",
            "warning: the group `Empty group` is empty",
        ),
        (
            b"# R {#x}\n\n## A\n\n- T\n",
            "t.md:1:1: warning: the roadmap title takes no id or class",
        ),
        (
            b"---\nid: \"bad id\"\n---\n# R\n\n## A\n\n- T\n",
            "t.md:2:1: error: bad roadmap id \"bad id\"",
        ),
    ];
    for (src, expected) in cases {
        let out = messages(src);
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
}
