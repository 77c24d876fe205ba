//! What the documents promise about the code: every test `docs/security.md` names exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, read.
fn sources(dir: &Path, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name()
                .is_some_and(|n| n != "target" && n != "corpus")
            {
                sources(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// A snake_case name of at least `words` words.
fn snake(s: &str, words: usize) -> bool {
    s.split('_').count() >= words
        && s.split('_').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// The test names a document cites: `module::test_name` (two words or more after `::`), or a
/// bare name of four words or more (`the_matrix_in_docs_security_md_is_what_the_routes_answer`).
fn cited_tests(doc: &str) -> BTreeSet<String> {
    doc.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|span| {
            let last = span.rsplit("::").next()?.trim();
            let qualified = span.contains("::");
            ((qualified && snake(last, 3)) || snake(last, 4)).then(|| last.to_owned())
        })
        .collect()
}

#[test]
fn every_test_docs_security_md_names_exists() {
    let doc = std::fs::read_to_string(root().join("docs/security.md")).expect("docs/security.md");
    let mut src = String::new();
    sources(&root().join("crates"), &mut src);
    sources(&root().join("fuzz"), &mut src);
    let cited = cited_tests(&doc);
    assert!(cited.len() >= 30, "only {} tests cited", cited.len());
    let missing: Vec<&String> = cited
        .iter()
        .filter(|name| {
            !src.match_indices(&format!("fn {name}")).any(|(i, m)| {
                // The whole name, not the start of a longer one.
                !src[i + m.len()..].starts_with(|c: char| c == '_' || c.is_ascii_alphanumeric())
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/security.md names tests that do not exist: {missing:?}"
    );
}

#[test]
fn a_cited_test_is_told_from_other_code() {
    let cited = cited_tests(
        "`account::a_page_changes_things` `hash_password` `the_matrix_in_docs_is_generated` `serde_json`",
    );
    let cited: Vec<&str> = cited.iter().map(String::as_str).collect();
    assert_eq!(
        cited,
        ["a_page_changes_things", "the_matrix_in_docs_is_generated"]
    );
}
