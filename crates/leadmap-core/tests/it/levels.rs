//! `Levels:`: what a practice looks like at each level of the assessment scale.

use leadmap_core::assessment::Level;
use leadmap_core::markdown::parse_content;
use leadmap_core::model::LevelCriterion;
use leadmap_core::{parse, print};

use crate::{messages, parse_ok};

const SRC: &str = "# R\n\n## Delivery\n\n- Blameless reviews {#reviews}\n\n  Established:\n\n  Every serious incident gets a review.\n\n  Levels:\n\n  * practiced: Each qualifying incident is reviewed within a week, `Sev2` included.\n  * Absent: Incidents end when the service is back; nobody looks further.\n  * Ad-hoc: A few teams write something after a big outage, each in a shape of their own.\n  * ad hoc: a second try at the same level\n  * DEFINED: A template and a trigger are written\n    down, with an owner.\n\n  Steps:\n\n  1. Pick a template.\n";

fn crit(level: Level, text: &str) -> LevelCriterion {
    LevelCriterion {
        level,
        text: text.to_owned(),
    }
}

#[test]
fn levels_read_in_any_spelling_and_are_kept_in_scale_order() {
    let r = parse_ok(SRC);
    let t = r.find("reviews").unwrap();
    assert_eq!(
        t.content.levels,
        vec![
            crit(
                Level::Absent,
                "Incidents end when the service is back; nobody looks further."
            ),
            crit(
                Level::AdHoc,
                "A few teams write something after a big outage, each in a shape of their own."
            ),
            crit(
                Level::Defined,
                "A template and a trigger are written\ndown, with an owner."
            ),
            crit(
                Level::Practised,
                "Each qualifying incident is reviewed within a week, `Sev2` included."
            ),
        ]
    );
    assert_eq!(
        t.content.established,
        "Every serious incident gets a review."
    );
    assert_eq!(t.content.steps, vec!["Pick a template.".to_owned()]);
}

#[test]
fn a_level_written_twice_warns_at_the_second_and_keeps_the_first() {
    let out = messages(SRC.as_bytes());
    assert_eq!(
        out,
        "t.md:16:5: warning: the level `Ad hoc` is written twice; the first is kept\n  = hint: say all of it in one item\n"
    );
}

#[test]
fn the_printer_writes_levels_after_established_with_their_labels() {
    let r = parse_ok(SRC);
    let printed = print(&r);
    let expected = "- Blameless reviews {#reviews}\n\n  Established:\n\n  Every serious incident gets a review.\n\n  Levels:\n\n  * Absent: Incidents end when the service is back; nobody looks further.\n  * Ad hoc: A few teams write something after a big outage, each in a shape of their own.\n  * Defined: A template and a trigger are written\n    down, with an owner.\n  * Practised: Each qualifying incident is reviewed within a week, `Sev2` included.\n\n  Steps:\n\n  1. Pick a template.\n";
    assert!(printed.contains(expected), "{printed}");
    let again = parse(printed.as_bytes(), "test");
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
    assert_eq!(again.roadmap, r);
    assert_eq!(print(&again.roadmap), printed);
}

#[test]
fn a_criterion_of_two_paragraphs_round_trips() {
    let src = "# R\n\n## A\n\n- T\n\n  Levels:\n\n  * Improving: The review itself is reviewed.\n\n    Action items are tracked to done.\n  * Absent: Nothing.\n\n  - Sub\n";
    let r = parse_ok(src);
    let t = r.find("t").unwrap();
    assert_eq!(
        t.content.levels,
        vec![
            crit(Level::Absent, "Nothing."),
            crit(
                Level::Improving,
                "The review itself is reviewed.\n\nAction items are tracked to done."
            ),
        ]
    );
    assert_eq!(t.children.len(), 1);
    let printed = print(&r);
    assert_eq!(parse_ok(&printed), r, "{printed}");
}

#[test]
fn levels_in_the_json_shape() {
    let r = parse_ok(SRC);
    let json = leadmap_core::json::node_json(r.find("reviews").unwrap());
    assert_eq!(
        json["levels"],
        serde_json::json!([
            { "level": "absent", "text": "Incidents end when the service is back; nobody looks further." },
            { "level": "ad-hoc", "text": "A few teams write something after a big outage, each in a shape of their own." },
            { "level": "defined", "text": "A template and a trigger are written\ndown, with an owner." },
            { "level": "practised", "text": "Each qualifying incident is reviewed within a week, `Sev2` included." },
        ])
    );
    // Skipped when there are none.
    let plain = leadmap_core::json::node_json(r.find("delivery").unwrap());
    assert!(plain.get("levels").is_none(), "{plain}");
}

#[test]
fn a_word_that_is_no_level_is_an_error_at_that_word() {
    let out = messages(b"# R\n\n## A\n\n- T\n\n  Levels:\n\n  * Defined: Written down.\n  *   Excellent: Better than the rest.\n");
    assert_eq!(
        out,
        "t.md:10:7: error: `Excellent` is not a level; the levels are absent, ad hoc, defined, practised, improving\n  = hint: start the item with a level and a colon, as in `Defined: …`\n"
    );
    // The item is left out; the rest is read.
    let p = parse(
        b"# R\n\n## A\n\n- T\n\n  Levels:\n\n  * Defined: Written down.\n  * Excellent: Better.\n",
        "t",
    );
    assert_eq!(
        p.roadmap.find("t").unwrap().content.levels,
        vec![crit(Level::Defined, "Written down.")]
    );
}

#[test]
fn every_other_levels_message() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"# R\n\n## A\n\n- T\n\n  Levels:\n\n  * 2: Some teams.\n",
            "t.md:9:5: error: `2` is not a level; the levels are absent, ad hoc, defined, practised, improving\n  = hint: write the level's name, `Ad hoc:`, not its number\n",
        ),
        (
            b"# R\n\n## A\n\n- T\n\n  Levels:\n\n  * Nobody writes them, ever.\n",
            "t.md:9:5: error: a level's criterion starts with the level and a colon, as in `Defined: …`\n  = hint: the levels are absent, ad hoc, defined, practised, improving\n",
        ),
        (
            b"# R\n\n## A\n\n- T\n\n  Levels:\n\n  * Absent:\n",
            "t.md:9:5: warning: `Absent:` has no text\n  = hint: say what the practice looks like at this level, or leave the level out\n",
        ),
        (
            b"# R\n\n## A\n\n- T\n\n  Levels: Excellent: all of it\n",
            "t.md:7:11: error: `Excellent` is not a level",
        ),
        (
            b"# R\n\n## A\n\n- T\n\n  Levels:\n\n  Prose instead.\n",
            "t.md:7:3: warning: `Levels:` is not followed by a list",
        ),
        (
            b"# R\n\n## A\n\nLevels:\n\n* Defined: An area's levels.\n\n- T\n",
            "t.md:5:1: warning: the area `A` has a `Levels:` block; levels are for topics and subtopics\n  = hint: move it under the topic (or subtopic) whose practice it describes\n",
        ),
    ];
    for (src, expected) in cases {
        let out = messages(src);
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
}

#[test]
fn levels_on_the_same_line_as_the_label_and_in_a_subtopic() {
    let r = parse_ok("# R\n\n## A\n\n- T\n  - S\n\n    Levels: Improving: Measured.\n");
    assert_eq!(
        r.find("s").unwrap().content.levels,
        vec![crit(Level::Improving, "Measured.")]
    );
    // A subtopic may have levels: no warning.
    let out = messages(b"# R\n\n## A\n\n- T\n  - S\n\n    Levels: Improving: Measured.\n");
    assert_eq!(out, "");
}

#[test]
fn a_label_written_after_another_stays_text() {
    // `Levels: x` after `Established:` on its line is text, and stays text when printed.
    for src in [
        "# R\n\n## A\n\n- T\n\n  Established: Levels: Absent: x\n",
        "# R\n\n## A\n\n- T\n\n  Established: Steps: x\n",
        "# R\n\n## A\n\n- T\n\n  Summary: Pitfalls: y\n",
    ] {
        let first = parse_ok(src);
        let printed = print(&first);
        assert_eq!(parse_ok(&printed), first, "{src:?} printed as\n{printed}");
    }
}

#[test]
fn a_topic_file_holds_levels_too() {
    let c = parse_content(
        b"# Reviews\n\nWhy reviews.\n\nLevels:\n\n* Defined: Written.\n* Best: Oops.\n",
    );
    assert_eq!(c.content.levels, vec![crit(Level::Defined, "Written.")]);
    assert_eq!(c.diagnostics.len(), 1);
    assert!(
        c.diagnostics[0].message.contains("`Best` is not a level"),
        "{:?}",
        c.diagnostics
    );
}

/// The example in `docs/format.md` (kept the same by hand).
#[test]
fn the_documented_example_is_clean_and_canonical() {
    let src = format!("# R\n\n## A\n\n{DOC_EXAMPLE}");
    assert_eq!(messages(src.as_bytes()), "");
    let r = parse_ok(&src);
    let levels = &r.find("decision-records").unwrap().content.levels;
    assert_eq!(levels.len(), 5);
    assert!(print(&r).contains(DOC_EXAMPLE), "{}", print(&r));
}

const DOC_EXAMPLE: &str = r#"- Decision records {#decision-records}

  Established:

  Every decision that would be expensive to reverse has a short record of what was chosen and why.

  Levels:

  * Absent: Decisions live in chat threads and in the memory of whoever was in the room.
  * Ad hoc: A few engineers write design notes, each in a format of their own, and few are
    ever found again.
  * Defined: A one-page template, a place to keep the records and a rule for when one is due
    are written down.
  * Practised: Reviews ask for the record before the change lands, and new joiners read the
    records to learn why the system is shaped the way it is.
  * Improving: Records are revisited when the assumptions behind them change, and the template
    is trimmed by what readers say they skip.
"#;

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

    /// Whatever is written in the items under `Levels:`, what the parser makes of it prints
    /// and reads back the same (the fuzzer's `roundtrip` promise, aimed at this block).
    #[test]
    fn anything_under_levels_reads_back_as_printed(
        items in proptest::collection::vec(
            (
                "(- |> | {4})?(Absent|ad hoc|Defined|2|Best|)( ?:)?[ \t\u{b}\u{a0}]{0,2}[a-z`*]{0,3}",
                proptest::collection::vec("\n?( {4,7}|\t)[-#>`*a-z0-9 :=\u{b}]{0,20}", 0..4),
            ),
            1..5,
        )
    ) {
        let mut src = "# R\n\n## A\n\n- T\n\n  Levels:\n\n".to_owned();
        for (first, rest) in items {
            src.push_str("  * ");
            src.push_str(&first);
            for line in rest {
                src.push('\n');
                src.push_str(&line);
            }
            src.push('\n');
        }
        let first = parse(src.as_bytes(), "t").roadmap;
        let printed = print(&first);
        let again = parse(printed.as_bytes(), "t").roadmap;
        proptest::prop_assert_eq!(again, first, "{:?} printed as\n{}", src, printed);
    }
}
