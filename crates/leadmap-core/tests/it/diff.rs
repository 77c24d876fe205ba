//! Comparing two versions of a roadmap: what was added, removed, renamed, moved or changed,
//! and which removed ids to map to added ones.

use crate::parse_ok;
use leadmap_core::diff::{Moved, Renamed, Suggestion, TopicRef, diff, suggest_map};

const OLD: &str = "# Team Roadmap

## Hiring {#hiring}

- Job descriptions {#job-descriptions}
- Interviews {#interviews}

  How we interview.

  - Scorecards {#scorecards}
- Onboarding {#onboarding}

## Delivery {#delivery}

- Code Review {#code-review}
- Incident management {#incidents}
- Release trains {#release-trains}
";

const NEW: &str = "# Team Roadmap

## Hiring {#hiring}

- Writing job descriptions {#job-descriptions}
- Interviews {#interviews}

  How we interview, step by step.

- Onboarding {#onboarding}
  - Scorecards {#scorecards}

## Delivery {#delivery}

- Code reviews {#code-reviews}
- 🚒 Incident management {#incidents}
- On-call {#on-call}
";

fn topic(id: &str, title: &str) -> TopicRef {
    TopicRef {
        id: id.to_owned(),
        title: title.to_owned(),
        kind: "topic".to_owned(),
    }
}

#[test]
fn a_roadmap_has_no_differences_from_itself() {
    let r = parse_ok(OLD);
    let d = diff(&r, &r);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(d.summary_line(), "no changes");
    assert!(suggest_map(&d).is_empty());
    // Reordering siblings is not a move, and the order of the file is not content.
    let reordered = parse_ok(&OLD.replace(
        "- Code Review {#code-review}\n- Incident management {#incidents}",
        "- Incident management {#incidents}\n- Code Review {#code-review}",
    ));
    assert!(diff(&r, &reordered).is_empty());
}

#[test]
fn every_kind_of_change_is_reported_in_document_order() {
    let (old, new) = (parse_ok(OLD), parse_ok(NEW));
    let d = diff(&old, &new);
    assert_eq!(
        d.added,
        [
            topic("code-reviews", "Code reviews"),
            topic("on-call", "On-call")
        ]
    );
    assert_eq!(
        d.removed,
        [
            topic("code-review", "Code Review"),
            topic("release-trains", "Release trains")
        ]
    );
    assert_eq!(
        d.renamed,
        [Renamed {
            id: "job-descriptions".to_owned(),
            old_title: "Job descriptions".to_owned(),
            new_title: "Writing job descriptions".to_owned(),
        }]
    );
    assert_eq!(
        d.moved,
        [Moved {
            id: "scorecards".to_owned(),
            title: "Scorecards".to_owned(),
            old_parent: Some("interviews".to_owned()),
            new_parent: Some("onboarding".to_owned()),
        }]
    );
    // A new summary, a new emoji.
    assert_eq!(
        d.content_changed,
        [
            topic("interviews", "Interviews"),
            topic("incidents", "Incident management")
        ]
    );
    assert_eq!(
        d.summary_line(),
        "2 added, 2 removed, 1 renamed, 1 moved, 2 with changed content"
    );

    // The other way round, added and removed swap, and so do the parents.
    let back = diff(&new, &old);
    assert_eq!(back.added, d.removed);
    assert_eq!(back.removed, d.added);
    assert_eq!(back.moved[0].old_parent.as_deref(), Some("onboarding"));
    assert_eq!(back.moved[0].new_parent.as_deref(), Some("interviews"));
}

#[test]
fn the_suggested_map_pairs_similar_titles_only() {
    let d = diff(&parse_ok(OLD), &parse_ok(NEW));
    // "Release trains" is like nothing added; "On-call" like nothing removed.
    assert_eq!(
        suggest_map(&d),
        [Suggestion {
            from: "code-review".to_owned(),
            to: "code-reviews".to_owned(),
            from_title: "Code Review".to_owned(),
            to_title: "Code reviews".to_owned(),
            score: 100,
        }]
    );
}

#[test]
fn each_added_node_is_suggested_once_and_kinds_stay_apart() {
    let old = parse_ok(
        "# R

## Hiring {#hiring}

- Review code {#review-code}
- Code Review {#code-review}
- Hiring plan {#plan}
- One-on-ones {#one-on-ones}
",
    );
    let new = parse_ok(
        "# R

## Recruiting {#recruiting}

- Code reviews {#reviews}
- The hiring plan for next year {#hiring-plan}
- Hiring {#hiring-topic}
- Regular one-on-ones {#regular-1-1}
",
    );
    let d = diff(&old, &new);
    let pairs: Vec<(String, String, u8)> = suggest_map(&d)
        .into_iter()
        .map(|s| (s.from, s.to, s.score))
        .collect();
    assert_eq!(
        pairs,
        [
            // Both removed titles score 100 with "Code reviews": the first in the file wins.
            ("review-code".to_owned(), "reviews".to_owned(), 100),
            // "Hiring plan" scores 50 with both "The hiring plan for next year" and "Hiring":
            // a tie, which the added node that comes first wins.
            ("plan".to_owned(), "hiring-plan".to_owned(), 50),
            ("one-on-ones".to_owned(), "regular-1-1".to_owned(), 50),
        ]
    );
    // The area "Hiring" is removed and the topic "Hiring" added: an area and a topic are
    // never paired, though their titles are the same.
    assert!(
        d.removed
            .iter()
            .any(|t| t.id == "hiring" && t.kind == "area")
    );
    assert!(d.added.iter().any(|t| t.id == "hiring-topic"));
}

#[test]
fn a_node_can_be_renamed_and_moved_at_once() {
    let old = parse_ok(
        "# R

## Intro {#intro}

- Welcome {#welcome}

# Part One {#one}

## Basics {#basics}

- Start here {#start}
",
    );
    let new = parse_ok(
        "# R

# Part One {#one}

## Introduction {#intro}

- Welcome aboard {#welcome}

## Basics {#basics}

- Start here {#start}
",
    );
    let d = diff(&old, &new);
    assert!(d.added.is_empty() && d.removed.is_empty(), "{d:#?}");
    assert_eq!(
        d.moved,
        [Moved {
            id: "intro".to_owned(),
            title: "Introduction".to_owned(),
            old_parent: None,
            new_parent: Some("one".to_owned()),
        }]
    );
    // The area is renamed too; its topic, renamed, stays under it, so it has not moved.
    let renamed: Vec<(&str, &str)> = d
        .renamed
        .iter()
        .map(|r| (r.id.as_str(), r.new_title.as_str()))
        .collect();
    assert_eq!(
        renamed,
        [("intro", "Introduction"), ("welcome", "Welcome aboard")]
    );
}

#[test]
fn markdown_in_a_title_content_and_kind_count_as_changed_content() {
    let old = parse_ok(
        "# R

## Area {#area}

- Use git {#git}
- Ship it {#ship}

  Steps:

  1. Build.
- Support {#support}
  - On-call {#on-call}
",
    );
    let new = parse_ok(
        "# R

## Area {#area}

- Use `git` {#git}
- Ship it {#ship}

  Steps:

  1. Build.
  2. Release.
- Support {#support .group}
  - On-call {#on-call}
",
    );
    let d = diff(&old, &new);
    // Same plain text: not a rename.
    assert!(d.renamed.is_empty(), "{d:#?}");
    let changed: Vec<&str> = d.content_changed.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(changed, ["git", "ship", "support", "on-call"]);
    let support = &d.content_changed[2];
    assert_eq!(support.kind, "group");
}

#[test]
fn the_diff_serialises_with_its_field_names() {
    let d = diff(&parse_ok(OLD), &parse_ok(NEW));
    let v = serde_json::to_value(&d).unwrap();
    for key in ["added", "removed", "renamed", "moved", "content_changed"] {
        assert!(v[key].is_array(), "{key} in {v}");
    }
    assert_eq!(v["moved"][0]["old_parent"], "interviews");
    assert_eq!(v["added"][0]["kind"], "topic");
    let s = serde_json::to_value(suggest_map(&d)).unwrap();
    assert_eq!(s[0]["from"], "code-review");
    assert_eq!(s[0]["score"], 100);
}
