//! Topic content beside a roadmap file, and `check --strict` holding it to the bar.

use crate::leadmap;

const ROADMAP: &str = "---\nid: mine\npractices: true\n---\n\n# Mine\n\n## Area\n\n- Hiring {#hiring}\n- Firing {#firing}\n";

fn summary(words: usize) -> String {
    vec!["word"; words].join(" ")
}

fn full_topic() -> String {
    format!(
        "# Hiring\n\n{}\n\nEstablished:\n\nEvery opening has a scorecard.\n\nSteps:\n\n1. One\n2. Two\n3. Three\n\nPitfalls:\n\n* Hiring fast — hire well.\n\nResources:\n\n* book: Who — Geoff Smart, 2008\n* book: Work Rules! — Laszlo Bock, 2015\n\nRelated: firing\n",
        summary(70)
    )
}

#[test]
fn topic_files_beside_a_roadmap_are_merged_and_strict_check_names_every_gap() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.md");
    std::fs::write(&file, ROADMAP).unwrap();
    std::fs::create_dir_all(dir.path().join("mine/topics")).unwrap();
    std::fs::write(dir.path().join("mine/topics/hiring.md"), full_topic()).unwrap();

    // The content shows in the JSON.
    let out = leadmap()
        .args(["show", file.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hiring = &v["children"][0]["children"][0];
    assert_eq!(hiring["id"], "hiring");
    assert_eq!(hiring["steps"].as_array().unwrap().len(), 3);
    assert_eq!(hiring["established"], "Every opening has a scorecard.");

    // Without --strict a roadmap without content is fine; with it, every gap is named.
    leadmap()
        .args(["check", file.to_str().unwrap()])
        .assert()
        .success();
    let out = leadmap()
        .args(["check", "--strict", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("mine.md:11:3: error: the topic `firing` has no summary, no `Established:`"),
        "{err}"
    );
    assert!(err.contains("0 steps (3–6 expected), 0 pitfalls (1–3 expected), 0 resources (at least 2 expected), no related topics"), "{err}");
    assert!(err.contains("topics/firing.md"), "{err}");
    assert!(!err.contains("`hiring`"), "hiring is complete: {err}");

    // A topic file for a topic that does not exist is an error, at that file.
    std::fs::write(dir.path().join("mine/topics/nobody.md"), full_topic()).unwrap();
    let out = leadmap()
        .args(["check", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("nobody.md") && err.contains("no topic `nobody` in `mine`"),
        "{err}"
    );
}

#[test]
fn the_bundled_roadmaps_meet_the_content_bar() {
    leadmap()
        .args([
            "check",
            "--strict",
            "engineering-leadership",
            "engineering-manager",
        ])
        .assert()
        .success();
}
