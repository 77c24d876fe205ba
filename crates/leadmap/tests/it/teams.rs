//! `leadmap team …` and `leadmap synthetic-team` as an operator runs them: the real binary on a
//! temporary SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Output;

use serde_json::Value;

use super::leadmap;
use crate::app::{ROADMAP, add_user, err, ok, out, run};

/// The command failed with `code`, saying `said` on standard error in one line.
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
    assert!(e.contains(said), "{e}");
    if code == 1 {
        assert_eq!(e.trim_end().lines().count(), 1, "one line: {e}");
        assert!(e.starts_with("leadmap: error: "), "{e}");
    }
}

fn json(o: Output) -> Value {
    serde_json::from_str(&ok(o)).unwrap()
}

/// `team invite …` without a public URL in the environment.
fn invite(db: &str, args: &[&str]) -> Output {
    leadmap()
        .args(["team", "invite"])
        .args(args)
        .arg("--database-url")
        .arg(db)
        .env_remove("LEADMAP_DATABASE_URL")
        .env_remove("LEADMAP_PUBLIC_URL")
        .output()
        .unwrap()
}

#[test]
fn team_commands_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    add_user(db, "alice", "a long passphrase alice will remember 7");
    add_user(db, "bob", "a long passphrase bob will remember 7");
    add_user(db, "carol", "a long passphrase carol will remember 7");

    // No teams yet.
    assert!(ok(run(db, &["team", "list"])).contains("No teams yet"));
    assert_eq!(
        json(run(db, &["team", "list", "--json"])),
        Value::Array(vec![])
    );

    // Create: the slug derived from the name, or given; a parent by its slug.
    let o = ok(run(db, &["team", "create", "Platform"]));
    assert_eq!(o.trim(), "Created the team Platform (slug platform).");
    let o = ok(run(
        db,
        &[
            "team",
            "create",
            "Payments API",
            "--slug",
            "payments",
            "--parent",
            "platform",
        ],
    ));
    assert_eq!(
        o.trim(),
        "Created the team Payments API (slug payments, beneath platform)."
    );

    // Duplicates, in any case, and taken slugs: one clear line, exit 1, nothing made.
    refused(
        run(db, &["team", "create", "PLATFORM"]),
        1,
        "there is a team named \"Platform\" already (slug platform)",
    );
    refused(
        run(db, &["team", "create", "Other", "--slug", "payments"]),
        1,
        "the slug payments belongs to the team \"Payments API\"",
    );
    refused(
        run(db, &["team", "create", "Other", "--parent", "nope"]),
        1,
        "no team \"nope\" to put it under",
    );
    refused(
        run(db, &["team", "create", "Other", "--slug", "Not A Slug"]),
        1,
        "a team's address is made of lowercase letters",
    );
    refused(
        run(db, &["team", "create", "   "]),
        1,
        "a team name is 1 to 80 characters",
    );

    // Members, with roles; a person in a team beneath counts for the heatmap.
    let o = ok(run(
        db,
        &["team", "add", "platform", "alice", "--role", "manager"],
    ));
    assert_eq!(o.trim(), "alice is a manager of Platform (platform).");
    let o = ok(run(db, &["team", "add", "platform", "carol"]));
    assert_eq!(o.trim(), "carol is a member of Platform (platform).");
    ok(run(db, &["team", "add", "payments", "bob"]));
    ok(run(db, &["team", "add", "payments", "carol"]));
    // An unknown team or account; a role that does not exist (a usage error).
    refused(
        run(db, &["team", "add", "nope", "bob"]),
        1,
        "no team \"nope\" (see `leadmap team list`)",
    );
    refused(
        run(db, &["team", "add", "platform", "dave"]),
        1,
        "no account named \"dave\"",
    );
    refused(
        run(db, &["team", "add", "platform", "bob", "--role", "boss"]),
        2,
        "invalid value 'boss'",
    );

    // List: slug, name, parent, member count.
    let list = ok(run(db, &["team", "list"]));
    let row = |slug: &str| {
        list.lines()
            .find(|l| {
                l.trim_start_matches('│')
                    .trim_start()
                    .starts_with(&format!("{slug} "))
            })
            .unwrap_or_else(|| panic!("{slug} in {list}"))
            .to_owned()
    };
    assert!(row("platform").contains("Platform"), "{list}");
    assert!(row("payments").contains("Payments API"), "{list}");
    assert!(row("payments").contains("platform"), "the parent: {list}");
    let v = json(run(db, &["team", "list", "--json"]));
    let teams = v.as_array().unwrap();
    assert_eq!(teams.len(), 2);
    let payments = teams.iter().find(|t| t["slug"] == "payments").unwrap();
    assert_eq!(payments["name"], "Payments API");
    assert_eq!(payments["parent"], "platform");
    assert_eq!(payments["members"], 2);
    let platform = teams.iter().find(|t| t["slug"] == "platform").unwrap();
    assert_eq!(platform["parent"], Value::Null);
    assert_eq!(platform["members"], 2);

    // Invites: the link printed once, with the server's address or as a path.
    let link = ok(invite(
        db,
        &[
            "platform",
            "--uses",
            "3",
            "--days",
            "2",
            "--url",
            "https://lm.example.org/",
        ],
    ));
    assert_eq!(link.lines().count(), 1, "{link}");
    let token = link
        .trim()
        .strip_prefix("https://lm.example.org/join/")
        .unwrap_or_else(|| panic!("{link}"));
    assert!(token.len() >= 32, "{token}");
    let path = ok(invite(db, &["platform", "--role", "manager"]));
    assert!(path.trim().starts_with("/join/"), "{path}");
    assert_ne!(
        path.trim(),
        format!("/join/{token}"),
        "a new token each time"
    );
    refused(
        invite(db, &["platform", "--uses", "0"]),
        1,
        "an invite can be used 1 to 1000 times",
    );
    refused(
        invite(db, &["platform", "--days", "91"]),
        1,
        "an invite works for 1 to 90 days",
    );
    refused(invite(db, &["nope"]), 1, "no team \"nope\"");

    // Show: members with roles, the teams beneath, the open invites (never a token).
    let shown = ok(run(db, &["team", "show", "platform"]));
    assert!(shown.starts_with("Platform (slug platform)"), "{shown}");
    let line = |who: &str| {
        shown
            .lines()
            .find(|l| l.contains(who))
            .unwrap_or_else(|| panic!("{who} in {shown}"))
            .to_owned()
    };
    assert!(line("alice").contains("manager"), "{shown}");
    assert!(line("carol").contains("member"), "{shown}");
    assert!(
        !shown.contains("bob"),
        "bob is in the team beneath: {shown}"
    );
    assert!(shown.contains("Teams beneath (1)"), "{shown}");
    assert!(line("payments").contains("Payments API"), "{shown}");
    assert!(shown.contains("Open invites (2)"), "{shown}");
    assert!(!shown.contains(token), "{shown}");
    let v = json(run(db, &["team", "show", "platform", "--json"]));
    assert_eq!(v["slug"], "platform");
    assert_eq!(v["parent"], Value::Null);
    let members: Vec<(&str, &str)> = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert_eq!(members, [("alice", "manager"), ("carol", "member")]);
    assert_eq!(v["teams"][0]["slug"], "payments");
    let invites = v["invites"].as_array().unwrap();
    assert_eq!(invites.len(), 2);
    assert!(
        invites
            .iter()
            .any(|i| i["max_uses"] == 3 && i["role"] == "member" && i["uses"] == 0)
    );
    assert!(invites.iter().any(|i| i["role"] == "manager"));
    let child = json(run(db, &["team", "show", "payments", "--json"]));
    assert_eq!(child["parent"], "platform");
    refused(
        run(db, &["team", "show", "nope"]),
        1,
        "no team \"nope\" (see `leadmap team list`)",
    );

    // The heatmap: everyone in the team and beneath it, once, by the roadmap's areas.
    ok(run(
        db,
        &[
            "mark",
            ROADMAP,
            "define-core-values",
            "done",
            "--user",
            "bob",
        ],
    ));
    ok(run(
        db,
        &["mark", ROADMAP, "creativity", "done", "--user", "carol"],
    ));
    for (ext, magic) in [
        ("svg", &b"<svg"[..]),
        ("png", &b"\x89PNG\r\n\x1a\n"[..]),
        ("pdf", &b"%PDF-"[..]),
    ] {
        let file = dir.path().join(format!("team.{ext}"));
        let o = run(
            db,
            &[
                "team",
                "heatmap",
                "platform",
                ROADMAP,
                "-o",
                file.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{ext}: {}", err(&o));
        assert!(
            err(&o).contains("(3 people × 24 areas"),
            "{ext}: {}",
            err(&o)
        );
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.len() > 500, "{ext}: {} bytes", bytes.len());
        assert!(bytes.starts_with(magic), "{ext}");
        if ext == "svg" {
            let svg = String::from_utf8(bytes).unwrap();
            for who in ["alice", "bob", "carol"] {
                assert_eq!(svg.matches(&format!(">{who}<")).count(), 1, "{who}: {svg}");
            }
            assert!(svg.contains("Fundamentals"), "the areas are the columns");
        }
    }
    let dark = dir.path().join("dark.svg");
    ok(run(
        db,
        &[
            "team",
            "heatmap",
            "payments",
            ROADMAP,
            "--theme",
            "dark",
            "-o",
            dark.to_str().unwrap(),
        ],
    ));
    assert_ne!(
        std::fs::read(&dark).unwrap(),
        std::fs::read(dir.path().join("team.svg")).unwrap()
    );
    refused(
        run(
            db,
            &[
                "team",
                "heatmap",
                "platform",
                "no-such-roadmap",
                "-o",
                dark.to_str().unwrap(),
            ],
        ),
        1,
        "no roadmap \"no-such-roadmap\"",
    );
    refused(
        run(
            db,
            &[
                "team",
                "heatmap",
                "platform",
                ROADMAP,
                "-o",
                dir.path().join("team.gif").to_str().unwrap(),
            ],
        ),
        2,
        "name the output .svg, .png or .pdf",
    );

    // Remove: once; the second time there is nothing to remove.
    let o = ok(run(db, &["team", "remove", "platform", "carol"]));
    assert_eq!(
        o.trim(),
        "carol is no longer in Platform; their progress is kept."
    );
    refused(
        run(db, &["team", "remove", "platform", "carol"]),
        1,
        "carol is not in the team platform: nothing to remove",
    );
    refused(
        run(db, &["team", "remove", "platform", "dave"]),
        1,
        "no account named \"dave\"",
    );

    // Delete: without a question; the team beneath stays, everyone's progress stays.
    let o = ok(run(db, &["team", "delete", "platform"]));
    assert_eq!(
        o.trim(),
        "Deleted the team Platform (1 member). Everyone's progress is kept. \
         The 1 team beneath it stays, without a parent."
    );
    let v = json(run(db, &["team", "list", "--json"]));
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["slug"], "payments");
    assert_eq!(v[0]["parent"], Value::Null);
    let bobs = ok(run(db, &["progress", ROADMAP, "--user", "bob"]));
    assert!(bobs.contains("(1 done, 0 learning"), "{bobs}");
    refused(
        run(db, &["team", "delete", "platform"]),
        1,
        "no team \"platform\"",
    );
    // The name is free again.
    ok(run(db, &["team", "create", "Platform"]));
}

#[test]
fn a_synthetic_team_for_the_benchmarks() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    let password = "a long passphrase for the bench 7";
    let o = ok(run(
        db,
        &[
            "synthetic-team",
            "--members",
            "40",
            "--topics",
            "60",
            "--days",
            "90",
            "--password",
            password,
        ],
    ));
    assert!(o.contains("Roadmap synthetic-team ("), "{o}");
    assert!(
        o.contains("Team bench (slug bench): manager and 40 members"),
        "{o}"
    );
    assert!(!o.contains("Password"), "the password was given: {o}");

    let v = json(run(db, &["team", "show", "bench", "--json"]));
    let members = v["members"].as_array().unwrap();
    assert_eq!(members.len(), 41);
    assert_eq!(members.iter().filter(|m| m["role"] == "manager").count(), 1);
    assert!(members.iter().any(|m| m["name"] == "member0001"));
    assert!(members.iter().any(|m| m["name"] == "member0040"));

    // The members' statuses went through the history, at their own times.
    let conn = rusqlite::Connection::open(&db_path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let records = count("SELECT count(*) FROM progress WHERE roadmap = 'synthetic-team'");
    let changes = count("SELECT count(*) FROM progress_history WHERE roadmap = 'synthetic-team'");
    let people = count(
        "SELECT count(DISTINCT user_id) FROM progress_history WHERE roadmap = 'synthetic-team'",
    );
    assert!(records > 200, "{records}");
    assert!(changes > records, "{changes} changes for {records} records");
    assert!(people > 30 && people <= 40, "{people}");
    let oldest = count("SELECT min(at) FROM progress_history");
    let newest = count("SELECT max(at) FROM progress_history");
    assert!(
        newest - oldest > 30 * 86_400_000,
        "spread over the days: {oldest}..{newest}"
    );

    // The heatmap of the synthetic team draws.
    let file = dir.path().join("bench.svg");
    let o = run(
        db,
        &[
            "team",
            "heatmap",
            "bench",
            "synthetic-team",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("(41 people × "), "{}", err(&o));

    // The accounts are ordinary ones.
    let list = ok(run(db, &["user", "list"]));
    assert!(
        list.contains("member0040") && list.contains("manager"),
        "{list}"
    );

    // Again into the same database: the names are taken, said plainly.
    let again = run(
        db,
        &["synthetic-team", "--members", "2", "--password", password],
    );
    assert_ne!(again.status.code(), Some(0));
    assert!(err(&again).contains("manager"), "{}", err(&again));

    // Without a team: the same accounts and progress, for a baseline.
    let base = dir.path().join("base.db");
    let o = ok(run(
        base.to_str().unwrap(),
        &[
            "synthetic-team",
            "--members",
            "5",
            "--topics",
            "30",
            "--no-team",
        ],
    ));
    assert!(o.contains("No team: manager and 5 accounts"), "{o}");
    assert!(
        o.contains("Password of manager and of every member (shown once): "),
        "{o}"
    );
    let v = json(run(base.to_str().unwrap(), &["team", "list", "--json"]));
    assert_eq!(v.as_array().unwrap().len(), 0);
}
