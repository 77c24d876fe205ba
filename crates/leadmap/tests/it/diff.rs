//! `leadmap diff OLD NEW`: two versions of a roadmap compared by id, with exit codes like
//! diff(1)'s.

use std::path::{Path, PathBuf};

use crate::leadmap;

const OLD: &str = "# Team Roadmap

## Hiring {#hiring}

- Job descriptions {#job-descriptions}
- Interviews {#interviews}
  - Scorecards {#scorecards}
- Onboarding {#onboarding}

## Delivery {#delivery}

- Code Review {#code-review}
- Release trains {#release-trains}
";

/// OLD with a topic renamed, one moved, one removed, one added, one given an emoji, and one
/// removed and added again under another id with a similar title.
const NEW: &str = "# Team Roadmap

## Hiring {#hiring}

- Writing job descriptions {#job-descriptions}
- Interviews {#interviews}
- 🚀 Onboarding {#onboarding}
  - Scorecards {#scorecards}

## Delivery {#delivery}

- Code reviews {#code-reviews}
- On-call {#on-call}
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn diff_of_identical_files_says_so_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.md", OLD);
    let b = write(dir.path(), "b.md", OLD);
    let out = leadmap().arg("diff").arg(&a).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "no changes\n");
    // A bundled roadmap against itself, by id.
    leadmap()
        .args(["diff", "engineering-manager", "engineering-manager"])
        .assert()
        .code(0);
}

#[test]
fn diff_reports_every_kind_of_change_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.md", OLD);
    let new = write(dir.path(), "new.md", NEW);
    let out = leadmap().arg("diff").arg(&old).arg(&new).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "Added (2)\n  + code-reviews  Code reviews  topic\n  + on-call  On-call  topic\n",
        "Removed (2)\n  - code-review  Code Review  topic\n  - release-trains  Release trains  topic\n",
        "Renamed (1)\n  job-descriptions  Job descriptions → Writing job descriptions\n",
        "Moved (1)\n  scorecards  from interviews to onboarding  Scorecards\n",
        "Suggested id map (1)\n  code-review -> code-reviews   (similar titles: \"Code Review\" / \"Code reviews\", 100 %)\n",
        "\n2 added, 2 removed, 1 renamed, 1 moved, 1 with changed content\n",
    ] {
        assert!(text.contains(line), "{line:?} missing in:\n{text}");
    }
    // An emoji is content.
    assert!(
        text.contains("Content changed (1)\n  onboarding  Onboarding\n"),
        "{text}"
    );
    assert!(text.ends_with("with changed content\n"), "{text}");
}

#[test]
fn diff_json_has_the_diff_and_the_suggested_map() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.md", OLD);
    let new = write(dir.path(), "new.md", NEW);
    let out = leadmap()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diff"]["added"][0]["id"], "code-reviews");
    assert_eq!(v["diff"]["removed"][1]["id"], "release-trains");
    assert_eq!(
        v["diff"]["renamed"][0]["new_title"],
        "Writing job descriptions"
    );
    assert_eq!(v["diff"]["moved"][0]["new_parent"], "onboarding");
    let map = v["suggested_map"].as_array().unwrap();
    assert_eq!(map.len(), 1, "{v}");
    assert_eq!(map[0]["from"], "code-review");
    assert_eq!(map[0]["to"], "code-reviews");
    assert_eq!(map[0]["score"], 100);
}

#[test]
fn diff_merges_topic_files_like_show() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.md", OLD);
    let new = write(dir.path(), "new.md", OLD);
    std::fs::create_dir_all(dir.path().join("new/topics")).unwrap();
    write(
        &dir.path().join("new/topics"),
        "onboarding.md",
        "# Onboarding\n\nA first week that ends with a change in production.\n",
    );
    let out = leadmap().arg("diff").arg(&old).arg(&new).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Content changed (1)\n  onboarding  Onboarding\n"),
        "{text}"
    );
}

#[test]
fn diff_of_a_missing_or_broken_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.md", OLD);
    let missing = dir.path().join("no-such-file.md");
    let out = leadmap()
        .arg("diff")
        .arg(&old)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "leadmap: error: {}: no such file",
            missing.display()
        )),
        "{err}"
    );

    // A file with errors: its diagnostics as `check` prints them, and nothing compared.
    let bad = write(dir.path(), "bad.md", "# Bad\n\n- early\n\n## Area\n\n- A\n");
    let out = leadmap().arg("diff").arg(&bad).arg(&old).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    let name = bad.display().to_string();
    assert!(
        err.contains(&format!("{name}:3:1: error: a list item before any area")),
        "{err}"
    );
    assert!(err.contains("not comparing"), "{err}");

    // One argument is a usage error.
    leadmap().arg("diff").arg(&old).assert().code(2);
}
