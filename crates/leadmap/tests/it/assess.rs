//! `leadmap assess …` as an operator runs it: the real binary on a temporary SQLite file,
//! judged by what a person reads on standard output and standard error and by the exit
//! status.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Output;

use serde_json::Value;

use super::leadmap;
use crate::app::{ROADMAP, add_user, err, ok, out, run};

/// The command failed with `code`, saying `said` on standard error (in one line for a
/// mistake the person can fix, exit 1).
#[track_caller]
fn refused(o: Output, code: i32, said: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        out(&o),
        err(&o)
    );
    let e = err(&o);
    assert!(e.contains(said), "{said:?} not in {e}");
    if code == 1 {
        assert_eq!(e.trim_end().lines().count(), 1, "one line: {e}");
        assert!(e.starts_with("leadmap: error: "), "{e}");
    }
    assert!(
        out(&o).is_empty(),
        "nothing on standard output: {}",
        out(&o)
    );
}

fn json(o: Output) -> Value {
    serde_json::from_str(&ok(o)).unwrap()
}

/// `assess new` on the roadmap; the id it prints (and only that on standard output).
#[track_caller]
fn start(db: &str, of: &str, title: &str, on: &str) -> (String, String) {
    let o = run(
        db,
        &[
            "assess",
            "new",
            "--of",
            of,
            "--roadmap",
            ROADMAP,
            "--title",
            title,
            "--on",
            on,
        ],
    );
    let said = err(&o);
    let id = ok(o).trim().to_owned();
    assert!(id.parse::<i64>().is_ok(), "an id: {id:?}");
    (id, said)
}

#[test]
fn assess_new_rate_show_publish_then_the_next_one_compares_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    add_user(db, "alice", "a long passphrase alice will remember 7");

    let o = ok(run(db, &["assess", "list"]));
    assert!(
        o.starts_with("No assessments yet: start one with `leadmap assess new"),
        "{o}"
    );

    // The first one starts empty.
    let (q1, said) = start(db, "organisation", "Q1 2027", "2027-03-31");
    assert_eq!(q1, "1");
    assert!(
        said.contains(
            "Started assessment 1 of the organisation on engineering-leadership: \"Q1 2027\" as of 2027-03-31, the first of the organisation on this roadmap, nothing rated yet."
        ),
        "{said}"
    );

    // Rate: a level in any spelling, with an owner, a next step, a due date and evidence.
    let o = ok(run(
        db,
        &[
            "assess",
            "rate",
            &q1,
            "define-core-values",
            "ad hoc",
            "--owner",
            "alice",
            "--next-step",
            "Run a values workshop",
            "--due",
            "2027-05-01",
            "--evidence",
            "https://wiki.example.com/values",
            "--by",
            "alice",
        ],
    ));
    assert_eq!(
        o,
        "Assessment 1 (\"Q1 2027\"): Define Core Values is Ad hoc (2 of 5).\n  owner: alice\n  next step: Run a values workshop (due 2027-05-01)\n  evidence: https://wiki.example.com/values\n"
    );
    let o = ok(run(db, &["assess", "rate", &q1, "creativity", "3"]));
    assert_eq!(
        o,
        "Assessment 1 (\"Q1 2027\"): Creativity is Defined (3 of 5).\n"
    );
    let o = ok(run(db, &["assess", "rate", &q1, "persistence", "N/A"]));
    assert!(o.contains("Persistence is not applicable."), "{o}");

    // Mistakes: one line each, saying what and what to do; nothing changes.
    refused(
        run(db, &["assess", "rate", &q1, "creativity", "great"]),
        1,
        "\"great\" is not a level: use absent, ad hoc, defined, practised, improving (or 1 to 5), or n/a",
    );
    refused(
        run(db, &["assess", "rate", &q1, "no-such-practice", "3"]),
        1,
        "engineering-leadership has no practice \"no-such-practice\": use a topic id (see `leadmap show engineering-leadership`)",
    );
    refused(
        run(
            db,
            &["assess", "rate", &q1, "creativity", "3", "--owner", "zed"],
        ),
        1,
        "no person named \"zed\"",
    );
    refused(
        run(db, &["assess", "show", "99"]),
        1,
        "no assessment 99 (see `leadmap assess list` for the ids)",
    );
    refused(
        run(db, &["assess", "show", "first"]),
        1,
        "\"first\" is not an assessment id",
    );
    refused(
        run(
            db,
            &[
                "assess",
                "new",
                "--of",
                "nope",
                "--roadmap",
                ROADMAP,
                "--title",
                "X",
            ],
        ),
        1,
        "--of \"nope\": neither `organisation` nor a team's slug (see `leadmap team list`)",
    );
    refused(
        run(
            db,
            &[
                "assess",
                "new",
                "--of",
                "organisation",
                "--roadmap",
                "no-such-roadmap",
                "--title",
                "X",
            ],
        ),
        1,
        "no roadmap \"no-such-roadmap\"",
    );

    // The sheet in the terminal.
    let o = ok(run(db, &["assess", "show", &q1]));
    assert!(o.starts_with("Q1 2027  assessment 1, draft\n"), "{o}");
    assert!(
        o.contains(
            "Of the organisation (organisation), on The Engineering Leadership Roadmap (engineering-leadership), as of 2027-03-31\n"
        ),
        "{o}"
    );
    assert!(
        o.contains("Index 37.5 of 100; 3 of 112 practices rated (1 not applicable)\n"),
        "{o}"
    );
    assert!(
        o.contains("\nFundamentals  mean level 2.0, 1 of 3 rated\n  2 Ad hoc     Define Core Values  #define-core-values\n               owner alice; next step: Run a values workshop, due 2027-05-01; 1 evidence link\n"),
        "{o}"
    );
    assert!(
        o.contains(
            "  3 Defined    Creativity  #creativity\n  n/a          Persistence  #persistence\n"
        ),
        "{o}"
    );
    assert!(
        o.contains("\nTalent Management  mean level –, 0 of "),
        "{o}"
    );
    let v = json(run(db, &["assess", "show", &q1, "--json"]));
    assert_eq!(v["state"], "draft");
    assert_eq!(v["of"], "organisation");
    assert_eq!(v["index"], 37.5);
    let practices: Vec<&str> = v["practices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["practice"].as_str().unwrap())
        .collect();
    assert_eq!(
        practices,
        ["define-core-values", "creativity", "persistence"]
    );
    assert_eq!(v["practices"][0]["owner"], "alice");

    // Published: never changed again, and saying how to go on.
    let o = ok(run(db, &["assess", "publish", &q1]));
    assert!(
        o.starts_with("Published assessment 1 (\"Q1 2027\"): it is never changed again"),
        "{o}"
    );
    refused(
        run(db, &["assess", "rate", &q1, "creativity", "4"]),
        1,
        "assessment 1 (\"Q1 2027\") is published and is never changed again; start the next one as a copy of it: leadmap assess new --of organisation --roadmap engineering-leadership --title TITLE",
    );
    refused(
        run(db, &["assess", "publish", &q1]),
        1,
        "assessment 1 (\"Q1 2027\") is published already",
    );
    assert!(
        ok(run(db, &["assess", "show", &q1])).starts_with("Q1 2027  assessment 1, published\n")
    );

    // The next one starts as a copy of the last.
    let (q2, said) = start(db, "organisation", "Q2 2027", "2027-06-30");
    assert_eq!(q2, "2");
    assert!(
        said.contains("a copy of assessment 1 (3 ratings)"),
        "{said}"
    );
    let o = ok(run(db, &["assess", "show", &q2]));
    assert!(o.starts_with("Q2 2027  assessment 2, draft\n"), "{o}");
    assert!(o.contains("Started as a copy of assessment 1\n"), "{o}");
    assert!(
        o.contains("  2 Ad hoc     Define Core Values  #define-core-values\n"),
        "{o}"
    );
    assert!(o.contains("Index 37.5 of 100"), "{o}");

    // What moved between them.
    ok(run(
        db,
        &[
            "assess",
            "rate",
            &q2,
            "creativity",
            "improving",
            "--evidence",
            "https://wiki.example.com/retro",
        ],
    ));
    ok(run(
        db,
        &["assess", "rate", &q2, "define-core-values", "absent"],
    ));
    let o = ok(run(db, &["assess", "compare", &q1, &q2]));
    assert!(
        o.starts_with("From \"Q1 2027\" (assessment 1, the organisation, 2027-03-31, published)\nTo   \"Q2 2027\" (assessment 2, the organisation, 2027-06-30, draft)\nIndex 37.5 → 50.0\n"),
        "{o}"
    );
    assert!(
        o.contains("\nRose (1)\n  ↑ Creativity: Defined → Improving  #creativity\n"),
        "{o}"
    );
    assert!(
        o.contains("\nFell (1)\n  ↓ Define Core Values: Ad hoc → Absent  #define-core-values\n"),
        "{o}"
    );
    assert!(
        o.contains("\nEvidence changed (1)\n  Creativity\n    + https://wiki.example.com/retro\n"),
        "{o}"
    );
    assert!(
        o.ends_with("\n1 rose, 1 fell, 0 new, 0 no longer rated, 0 to or from not applicable, 1 unchanged.\n"),
        "{o}"
    );
    let v = json(run(db, &["assess", "compare", &q1, &q2, "--json"]));
    assert_eq!(v["from"], 1);
    assert_eq!(v["to"], 2);
    assert_eq!(v["comparison"]["index_before"], 37.5);
    assert_eq!(v["comparison"]["index_after"], 50.0);
    let rose: Vec<&Value> = v["comparison"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["movement"] == "rose")
        .collect();
    assert_eq!(rose.len(), 1);
    assert_eq!(rose[0]["topic"], "creativity");

    // The report: PDF, Markdown, HTML, or Markdown on standard output.
    let pdf = dir.path().join("q2.pdf");
    let o = run(db, &["assess", "report", &q2, "-o", pdf.to_str().unwrap()]);
    assert!(err(&o).contains("Wrote "), "{}", err(&o));
    ok(o);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let md = dir.path().join("q2.md");
    ok(run(
        db,
        &["assess", "report", &q2, "-o", md.to_str().unwrap()],
    ));
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("# The organisation: Q2 2027\n"), "{md}");
    assert!(
        md.contains("## Practices that fell\n\n- Define Core Values: Ad hoc → Absent\n"),
        "{md}"
    );
    let html = dir.path().join("q2.html");
    ok(run(
        db,
        &["assess", "report", &q2, "-o", html.to_str().unwrap()],
    ));
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<title>The organisation: Q2 2027</title>"));
    assert!(html.contains("<svg"), "the pictures are inline");
    for external in ["<script", "<link", " src="] {
        assert!(!html.contains(external), "the page has {external}");
    }
    let o = ok(run(db, &["assess", "report", &q2, "-o", "-"]));
    assert!(o.starts_with("# The organisation: Q2 2027\n"), "{o}");
    refused(
        run(db, &["assess", "report", &q2, "-o", "q2.docx"]),
        2,
        "q2.docx: name the report .md, .html or .pdf",
    );

    // The list: both, with their state.
    let list = ok(run(db, &["assess", "list"]));
    let row = |id: &str| {
        list.lines()
            .find(|l| {
                l.trim_start_matches('│')
                    .trim_start()
                    .starts_with(&format!("{id} "))
            })
            .unwrap_or_else(|| panic!("{id} in {list}"))
            .to_owned()
    };
    for (id, state, title) in [("1", "published", "Q1 2027"), ("2", "draft", "Q2 2027")] {
        let r = row(id);
        for cell in ["organisation", ROADMAP, state, title] {
            assert!(r.contains(cell), "{cell} in {r}");
        }
    }
    let v = json(run(db, &["assess", "list", "--json", "--roadmap", ROADMAP]));
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[1]["based_on"], 1);
    let o = ok(run(
        db,
        &["assess", "list", "--roadmap", "engineering-manager"],
    ));
    assert!(
        o.starts_with("No assessments of engineering-manager yet"),
        "{o}"
    );
}

#[test]
fn assess_import_checks_every_row_first_and_an_export_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    add_user(db, "alice", "a long passphrase alice will remember 7");
    let (id, _) = start(db, "organisation", "Q1 2027", "2027-03-31");
    ok(run(
        db,
        &[
            "assess",
            "rate",
            &id,
            "define-core-values",
            "defined",
            "--rationale",
            "Two teams have them, written",
            "--owner",
            "alice",
            "--next-step",
            "Write them down",
            "--due",
            "2027-04-01",
            "--evidence",
            "https://wiki.example.com/values",
        ],
    ));
    ok(run(db, &["assess", "rate", &id, "creativity", "n/a"]));
    let before = ok(run(db, &["assess", "show", &id, "--json"]));

    // One good row and three bad ones: every problem named by its line, nothing written.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "practice,level,owner\npersistence,practised,\nno-such-practice,2,\ndefine-core-values,great,\ncreativity,3,zed\n",
    )
    .unwrap();
    let o = run(db, &["assess", "import", &id, bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).is_empty(), "{}", out(&o));
    let e = err(&o);
    let name = bad.display().to_string();
    for line in [
        format!("leadmap: error: {name}: line 3: \"no-such-practice\" is not a practice of engineering-leadership"),
        format!("leadmap: error: {name}: line 4: define-core-values: \"great\" is not a level"),
        format!("leadmap: error: {name}: line 5: creativity: no person named \"zed\""),
        "leadmap: nothing imported into assessment 1 (3 problems): fix the file and import it again".to_owned(),
    ] {
        assert!(e.contains(&line), "{line:?} not in {e}");
    }
    assert_eq!(
        ok(run(db, &["assess", "show", &id, "--json"])),
        before,
        "the good row was not written either"
    );

    // The export: the whole sheet, a row per practice, rated ones filled in.
    let sheet = dir.path().join("sheet.csv");
    let o = run(
        db,
        &[
            "assess",
            "export",
            &id,
            "--format",
            "csv",
            "-o",
            sheet.to_str().unwrap(),
        ],
    );
    assert!(
        err(&o).contains("(assessment 1, 2 of 112 practices rated)"),
        "{}",
        err(&o)
    );
    ok(o);
    let csv = std::fs::read_to_string(&sheet).unwrap();
    assert!(
        csv.starts_with("practice,area,title,level,rationale,evidence,owner,next step,due\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 112);
    assert!(
        csv.contains("\ndefine-core-values,Fundamentals,Define Core Values,defined,\"Two teams have them, written\",https://wiki.example.com/values,alice,Write them down,2027-04-01\n"),
        "{csv}"
    );
    assert_eq!(
        ok(run(db, &["assess", "export", &id])),
        csv,
        "CSV by default"
    );

    // Read into an empty assessment (of a team: nothing to copy), it is the same sheet.
    ok(run(db, &["team", "create", "Platform"]));
    let (other, said) = start(db, "platform", "Platform Q1 2027", "2027-03-31");
    assert!(said.contains("nothing rated yet"), "{said}");
    let o = ok(run(
        db,
        &["assess", "import", &other, sheet.to_str().unwrap()],
    ));
    assert_eq!(
        o,
        format!("Imported 2 ratings into assessment {other} (\"Platform Q1 2027\").\n")
    );
    assert_eq!(ok(run(db, &["assess", "export", &other])), csv);
    let (a, b) = (
        serde_json::from_str::<Value>(&before).unwrap(),
        json(run(db, &["assess", "show", &other, "--json"])),
    );
    assert_eq!(a["practices"], b["practices"]);
    assert_eq!(a["index"], b["index"]);
    assert_eq!(b["of"], "platform");

    // Standard input, too; and never into a published assessment.
    let o = leadmap()
        .args(["assess", "import", &other, "-", "--database-url", db])
        .env_remove("LEADMAP_DATABASE_URL")
        .write_stdin("practice,level\npersistence,improving\n")
        .output()
        .unwrap();
    assert_eq!(
        ok(o),
        format!("Imported 1 rating into assessment {other} (\"Platform Q1 2027\").\n")
    );
    ok(run(db, &["assess", "publish", &id]));
    refused(
        run(db, &["assess", "import", &id, sheet.to_str().unwrap()]),
        1,
        "assessment 1 (\"Q1 2027\") is published and is never changed again",
    );
}
