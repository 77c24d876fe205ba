//! Operating Leadmap: backups taken while the server writes, restores, scheduled backups,
//! upgrades from the previous release's database, request logs and metrics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::leadmap;
use crate::app::{
    PgDatabase, ROADMAP, STATUSES, Server, add_user, client, err, ok, put_progress, run, topic_ids,
};

const PASSWORD: &str = "a long passphrase alice will remember 7";

/// The write number a note "writer W write N" names.
fn write_number(note: &str, w: usize) -> Option<u64> {
    note.strip_prefix(&format!("writer {w} write "))?
        .parse()
        .ok()
}

/// 50 writers mark their own topic through the API for 20 seconds, each write numbered in its
/// note, while `leadmap backup` runs once a second. Every backup restores into a new file with
/// `leadmap restore`, passes the integrity check, and holds, for every writer, the last write
/// acknowledged before that backup started (or a later one).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backups_taken_while_50_writers_write_hold_every_acknowledged_write() {
    const WRITERS: usize = 50;
    const SECONDS: u64 = 20;
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    add_user(db, "alice", PASSWORD);
    let token = ok(run(db, &["token", "create", "backup test"]))
        .trim()
        .to_owned();
    let topics = topic_ids();
    assert!(topics.len() >= WRITERS);
    let server = Server::start(db, &dir.path().join("server.log"));
    let c = client();

    // acked[w] = how many writes of writer w were acknowledged (writes 0..acked[w]).
    let acked: Arc<Vec<AtomicU64>> = Arc::new((0..WRITERS).map(|_| AtomicU64::new(0)).collect());
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (c, base, token, topic) = (
            c.clone(),
            server.base.clone(),
            token.clone(),
            topics[w].clone(),
        );
        let (acked, stop) = (acked.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::SeqCst) {
                let note = format!("writer {w} write {n}");
                let status = STATUSES[(n % 3) as usize];
                let r = put_progress(&c, &base, &token, &topic, status, &note)
                    .await
                    .map_err(|e| format!("writer {w} write {n}: {e}"))?;
                if r.status() != 200 {
                    return Err(format!("writer {w} write {n}: {}", r.status()));
                }
                acked[w].store(n + 1, Ordering::SeqCst);
                n += 1;
            }
            Ok::<u64, String>(n)
        }));
    }

    // A backup a second, each with what was acknowledged before it started.
    let mut backups = Vec::new();
    let end = Instant::now() + Duration::from_secs(SECONDS);
    let mut i = 0;
    while Instant::now() < end {
        let next = Instant::now() + Duration::from_secs(1);
        let before: Vec<u64> = acked.iter().map(|a| a.load(Ordering::SeqCst)).collect();
        let file = dir.path().join(format!("backup-{i}.db"));
        let (db, f) = (db.to_owned(), file.to_str().unwrap().to_owned());
        let o = tokio::task::spawn_blocking(move || run(&db, &["backup", &f]))
            .await
            .unwrap();
        let said = ok(o);
        assert!(said.starts_with("Backed up "), "{said}");
        backups.push((file, before));
        i += 1;
        tokio::time::sleep_until(next.into()).await;
    }
    stop.store(true, Ordering::SeqCst);
    let mut total = 0;
    for w in writers {
        total += w
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    }
    drop(server);
    assert!(backups.len() >= 3, "only {} backups", backups.len());

    for (i, (file, before)) in backups.iter().enumerate() {
        let restored = dir.path().join(format!("restored-{i}.db"));
        let r = restored.to_str().unwrap();
        let said = ok(run(r, &["restore", file.to_str().unwrap()]));
        assert!(said.contains("integrity check passed"), "{said}");
        let store = leadmap_store::open(r).await.unwrap();
        assert_eq!(store.integrity_check().await.unwrap(), Vec::<String>::new());
        let alice = store.users().await.unwrap().remove(0);
        let records = store.progress(alice.id, ROADMAP).await.unwrap();
        for (w, &n) in before.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let rec = records
                .iter()
                .find(|p| p.topic == topics[w])
                .unwrap_or_else(|| panic!("backup {i}: writer {w}'s topic is missing"));
            let stored = write_number(&rec.note, w)
                .unwrap_or_else(|| panic!("backup {i}: a note no write sent: {:?}", rec.note));
            assert!(
                stored + 1 >= n,
                "backup {i}: writer {w} had {n} writes acknowledged before it began, it holds write {stored}"
            );
        }
    }
    eprintln!(
        "{total} writes acknowledged, {} backups, each restored and complete",
        backups.len()
    );
}

/// `restore` refuses a target that holds data (without --force), a backup that is not a
/// Leadmap database or fails SQLite's integrity check, and a backup from a newer schema; it
/// restores into an empty file; `backup` never writes over a file.
#[test]
fn restore_checks_the_backup_and_the_target_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("leadmap.db");
    let db = db.to_str().unwrap();
    add_user(db, "alice", PASSWORD);
    ok(run(
        db,
        &[
            "mark",
            ROADMAP,
            "define-core-values",
            "done",
            "--note",
            "kept",
        ],
    ));
    let backup = dir.path().join("b.db");
    let b = backup.to_str().unwrap();
    ok(run(db, &["backup", b]));

    let again = run(db, &["backup", b]);
    assert_eq!(again.status.code(), Some(2));
    assert!(err(&again).contains("exists already"), "{}", err(&again));

    // Into the live database: refused without --force.
    let o = run(db, &["restore", b]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("is not empty"), "{}", err(&o));
    // Into an empty file, or a path in a new directory: fine.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    ok(run(empty.to_str().unwrap(), &["restore", b]));
    let fresh = dir.path().join("new/dir/leadmap.db");
    ok(run(fresh.to_str().unwrap(), &["restore", b]));
    let progress = ok(run(fresh.to_str().unwrap(), &["export-progress", ROADMAP]));
    assert!(progress.contains("kept"), "{progress}");
    // With --force over data.
    ok(run(
        db,
        &[
            "mark",
            ROADMAP,
            "define-core-values",
            "learning",
            "--note",
            "later",
        ],
    ));
    ok(run(db, &["restore", b, "--force"]));
    let progress = ok(run(db, &["export-progress", ROADMAP]));
    assert!(
        progress.contains("kept") && !progress.contains("later"),
        "{progress}"
    );

    // Not a database; a database that is not Leadmap's; a newer schema; a corrupt file.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some bytes").unwrap();
    let target = dir.path().join("t.db");
    let t = target.to_str().unwrap();
    let o = run(t, &["restore", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let newer = dir.path().join("newer.db");
    std::fs::copy(&backup, &newer).unwrap();
    set_user_version(&newer, 99);
    let o = run(t, &["restore", newer.to_str().unwrap()]);
    assert!(
        err(&o).contains("newer than this leadmap knows"),
        "{}",
        err(&o)
    );
    let corrupt = dir.path().join("corrupt.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    let page = 4096;
    assert!(bytes.len() >= 3 * page);
    for b in &mut bytes[page + 8..2 * page] {
        *b = 0x5a;
    }
    std::fs::write(&corrupt, &bytes).unwrap();
    let o = run(t, &["restore", corrupt.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", super::app::out(&o));
    assert!(!target.exists() || std::fs::metadata(&target).unwrap().len() == 0);
}

/// Sets a database file's `PRAGMA user_version` (the header's 4 bytes at offset 60,
/// big-endian), as a newer leadmap would have left it.
fn set_user_version(path: &Path, v: u32) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[60..64].copy_from_slice(&v.to_be_bytes());
    std::fs::write(path, bytes).unwrap();
}

/// `serve --backup-every 1s --backup-keep 2` writes backups into `backups/` beside the
/// database and keeps two; each restores.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_takes_scheduled_backups_and_keeps_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    add_user(db, "alice", PASSWORD);
    let server = Server::start_with(
        db,
        &dir.path().join("server.log"),
        &["--backup-every", "1s", "--backup-keep", "2"],
        &[("LEADMAP_LOG", "info")],
    );
    let backups = dir.path().join("backups");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let log = server.log();
        if log.matches("backup taken").count() >= 4 {
            break;
        }
        assert!(Instant::now() < deadline, "no 4 backups in 60 s:\n{log}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(server);
    let files: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    for (i, f) in files.iter().enumerate() {
        let target = dir.path().join(format!("r{i}.db"));
        ok(run(
            target.to_str().unwrap(),
            &["restore", f.to_str().unwrap()],
        ));
        assert!(ok(run(target.to_str().unwrap(), &["user", "list"])).contains("alice"));
    }
    // PostgreSQL: refused at start, pointing at pg_dump.
    let o = leadmap()
        .args(["serve", "--backup-every", "6h", "--database-url"])
        .arg("postgres://postgres@127.0.0.1:1/x")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("pg_dump"), "{}", err(&o));
}

/// On PostgreSQL, `backup` checks the database answers, names its server version and prints
/// the pg_dump command; it writes nothing and exits 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_on_postgres_names_the_server_and_pg_dump() {
    let pg = PgDatabase::new().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pg.dump");
    let o = run(&pg.url, &["backup", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let said = super::app::out(&o);
    assert!(
        said.contains("PostgreSQL ") && said.contains(" answers"),
        "{said}"
    );
    assert!(said.contains("pg_dump --format=custom"), "{said}");
    assert!(!file.exists());
    // Unreachable: an error, not advice.
    let o = run("postgres://postgres@127.0.0.1:1/x", &["backup", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("cannot reach"), "{}", err(&o));
}

/// `leadmap migrate` copies a SQLite database into an empty PostgreSQL one and prints the
/// verified report; the server then serves from PostgreSQL what it served from SQLite; a second
/// run into the same (now full) database is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_moves_a_sqlite_database_to_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leadmap.db");
    let lite = file.to_str().unwrap().to_owned();
    add_user(&lite, "alice", PASSWORD);
    ok(run(
        &lite,
        &["mark", ROADMAP, &topic_ids()[0], "done", "--user", "alice"],
    ));
    let pg = PgDatabase::new().await;
    let from = format!("sqlite:{lite}");
    let said = ok(leadmap()
        .args(["migrate", "--from", &from, "--to", &pg.url])
        .output()
        .unwrap());
    assert!(
        said.contains("every table's row count and checksum agree"),
        "{said}"
    );
    assert!(
        said.lines()
            .any(|l| l.starts_with("users ") && l.ends_with(" ok")),
        "{said}"
    );
    assert!(!said.contains("MISMATCH"), "{said}");
    let listed = ok(run(&pg.url, &["user", "list"]));
    assert!(listed.contains("alice"), "{listed}");
    assert_eq!(
        ok(run(&pg.url, &["progress", ROADMAP, "--user", "alice"])),
        ok(run(&lite, &["progress", ROADMAP, "--user", "alice"]))
    );

    let again = leadmap()
        .args(["migrate", "--from", &from, "--to", &pg.url])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "{}", err(&again));
    assert!(
        err(&again).contains("already holds data"),
        "{}",
        err(&again)
    );
}

/// Every row of a table, as text, in key order.
fn rows(c: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut st = c.prepare(sql).unwrap();
    let n = st.column_count();
    st.query_map([], |r| {
        let mut cols = Vec::new();
        for i in 0..n {
            let v: rusqlite::types::Value = r.get(i)?;
            cols.push(format!("{v:?}"));
        }
        Ok(cols.join(" | "))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

const KEPT_TABLES: [&str; 3] = [
    "SELECT id, name, name_key, password_hash, is_admin, created_at FROM users ORDER BY id",
    "SELECT id, token_hash, user_id, name, created_at, last_used FROM tokens ORDER BY id",
    "SELECT user_id, roadmap, topic, status, note, updated_at FROM progress ORDER BY 1, 2, 3",
];

/// A database written by the previous release (the code at commit 315ec81, schema version 1,
/// made by `tests/fixtures/upgrade/generate.sh`) opens with this binary: the schema is brought
/// up to date and every account, token and progress record is kept, byte for byte; the
/// accounts still sign in with their passwords.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_of_the_previous_release_opens_with_every_row_kept() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade/v0.1.0.db");
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    std::fs::copy(&fixture, &db_path).unwrap();
    let db = db_path.to_str().unwrap();
    let before: Vec<Vec<String>> = {
        let c = rusqlite::Connection::open(&db_path).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1, "the fixture is the previous release's schema");
        KEPT_TABLES.iter().map(|q| rows(&c, q)).collect()
    };
    assert_eq!(
        before.iter().map(Vec::len).collect::<Vec<_>>(),
        [2, 2, 8],
        "the fixture holds what generate.sh wrote"
    );

    // The new binary opens it (and migrates it).
    let users = ok(run(db, &["user", "list"]));
    assert!(users.contains("ana") && users.contains("Bob"), "{users}");
    let after: Vec<Vec<String>> = {
        let c = rusqlite::Connection::open(&db_path).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, leadmap_store::SCHEMA_VERSION);
        KEPT_TABLES.iter().map(|q| rows(&c, q)).collect()
    };
    assert_eq!(before, after, "rows changed in the upgrade");

    let ana = ok(run(db, &["export-progress", ROADMAP, "--user", "ana"]));
    for want in [
        "values workshop held",
        "reading Team Topologies — ch. 3 ✓",
        "oversee-recruitment",
    ] {
        assert!(ana.contains(want), "{want} missing from {ana}");
    }
    let bob = ok(run(
        db,
        &[
            "export-progress",
            ROADMAP,
            "--user",
            "bob",
            "--format",
            "csv",
        ],
    ));
    assert!(bob.contains("\"imported, with a comma\""), "{bob}");
    assert!(bob.contains("next quarter"), "{bob}");

    // The old password hashes still sign in.
    let server = Server::start(db, &dir.path().join("server.log"));
    let c = reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c
        .post(server.url("/login"))
        .header("origin", &server.base)
        .form(&[
            ("name", "ana"),
            ("password", "correct horse battery staple for ana 1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let store = leadmap_store::open(db).await.unwrap();
    assert!(store.integrity_check().await.unwrap().is_empty());
}

#[test]
fn version_names_the_database_schema_version() {
    let o = ok(leadmap().arg("--version").output().unwrap());
    assert_eq!(
        o.trim(),
        format!(
            "leadmap {} (database schema version {})",
            env!("CARGO_PKG_VERSION"),
            leadmap_store::SCHEMA_VERSION
        )
    );
}

/// A server with `--log-format json` (at level debug) that handled the first-run page, a
/// failed and a good sign-in, a page, a mark with a note by form, token calls with notes and a
/// sign-out: every log line is JSON, each request has one line with its method, route
/// pattern, status, time and id, and no line holds a password, cookie, CSRF token, access
/// token, first-run token or note. A server error's causes are logged once, with the id the
/// response carried. `/metrics` (its own listener) counts the requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_logs_hold_no_secret_and_metrics_count_requests() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    let log = dir.path().join("server.log");
    // First start: the first-run link's token is a secret too.
    let first = Server::start_with(
        db,
        &log,
        &["--log-format", "json"],
        &[("LEADMAP_LOG", "debug")],
    );
    let setup_token = first
        .banner
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let c = reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c
        .get(first.url(&format!("/setup?token={setup_token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    drop(first);

    add_user(db, "alice", PASSWORD);
    let token = ok(run(db, &["token", "create", "log test"]))
        .trim()
        .to_owned();
    let server = Server::start_with(
        db,
        &log,
        &["--log-format", "json", "--metrics-addr", "127.0.0.1:0"],
        &[("LEADMAP_LOG", "debug")],
    );
    let metrics_url = server
        .banner
        .lines()
        .find_map(|l| l.strip_prefix("Metrics: "))
        .unwrap_or_else(|| panic!("{}", server.banner))
        .to_owned();
    let wrong = "WRONG-horse-battery-staple-secret";
    let r = c
        .post(server.url("/login"))
        .header("origin", &server.base)
        .form(&[("name", "alice"), ("password", wrong)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .post(server.url("/login"))
        .header("origin", &server.base)
        .form(&[("name", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';')
                .next()?
                .split_once('=')
                .map(|(_, v)| v.to_owned())
        })
        .unwrap();
    let topic = topic_ids().remove(0);
    let page = c
        .get(server.url(&format!("/r/{ROADMAP}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let i = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page[i..i + page[i..].find('"').unwrap()].to_owned();
    let form_note = "FORM-NOTE-private-thoughts-8c1";
    let r = c
        .post(server.url(&format!("/r/{ROADMAP}/t/{topic}")))
        .header("origin", &server.base)
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "learning"),
            ("note", form_note),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_redirection() || r.status() == 200,
        "{}",
        r.status()
    );
    let api_note = "API-NOTE-private-thoughts-5d2";
    let api = client();
    let r = put_progress(&api, &server.base, &token, &topic, "done", api_note)
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = api
        .get(server.url(&format!("/api/v1/me/progress/{ROADMAP}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = api
        .get(server.url(&format!("/api/v1/me/progress/{ROADMAP}")))
        .bearer_auth("lm_not-a-real-token-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .post(server.url("/logout"))
        .header("origin", &server.base)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);

    let metrics = api.get(&metrics_url).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    let metrics = metrics.text().await.unwrap();
    for want in [
        "leadmap_http_requests_total{method=\"PUT\",route=\"/api/v1/me/progress/{roadmap}/{topic}\",status=\"200\"} 1",
        "leadmap_http_requests_total{method=\"GET\",route=\"/api/v1/me/progress/{roadmap}\",status=\"401\"} 1",
        "leadmap_http_requests_total{method=\"POST\",route=\"/login\",status=\"303\"} 1",
        "leadmap_http_request_duration_seconds_bucket{method=\"POST\",route=\"/login\",le=\"+Inf\"} 2",
        "# TYPE leadmap_http_request_duration_seconds histogram",
    ] {
        assert!(metrics.contains(want), "{want} missing from\n{metrics}");
    }
    let r = api.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 404, "the app's own listener serves no metrics");
    // A server error: the table of target dates is gone under the running server, so a PUT
    // (which answers with the topic's plan) fails. Its causes are logged with its request id.
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch("DROP TABLE topic_due")
        .unwrap();
    let r = put_progress(&api, &server.base, &token, &topic, "learning", api_note)
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    let failed_id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    // The log is written by a thread of its own: wait for the request lines to reach the file
    // before the server is killed (a SIGKILL drops what is still queued).
    for _ in 0..100 {
        let written = std::fs::read_to_string(&log).unwrap_or_default();
        if written.matches("\"leadmap::request\"").count() >= 10
            && written.contains("request failed")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    drop(server);

    let log = std::fs::read_to_string(&log).unwrap();
    let secrets = [
        PASSWORD,
        wrong,
        &cookie,
        &csrf,
        &token,
        "lm_not-a-real-token-secret",
        &setup_token,
        form_note,
        api_note,
    ];
    let mut requests = 0;
    let mut failures = Vec::new();
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        for s in secrets {
            assert!(!line.contains(s), "a secret ({s}) in the log: {line}");
        }
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        if v["message"] == "request failed" {
            assert_eq!(v["level"], "ERROR", "{line}");
            assert!(
                v["error"].as_str().unwrap().contains("topic_due"),
                "the causes: {line}"
            );
            failures.push(v["request_id"].as_str().unwrap().to_owned());
        }
        if v["target"] == "leadmap::request" {
            requests += 1;
            for field in ["method", "route", "status", "ms", "request_id"] {
                assert!(!v[field].is_null(), "{field} missing: {line}");
            }
            let route = v["route"].as_str().unwrap();
            assert!(!route.contains('?') && !route.contains(&topic), "{line}");
        }
    }
    // setup, two sign-ins, the page, the mark, three API calls, sign-out, the failed PUT (and
    // whatever the redirects led to, which this client did not follow).
    assert!(requests >= 10, "{requests} request lines in\n{log}");
    assert_eq!(
        failures,
        [failed_id],
        "one failure, with the id sent back:\n{log}"
    );
}

/// `leadmap config show` with `LEADMAP_DATA_DIR` set and the rest of the environment cleared
/// of Leadmap's variables.
fn config_show(data: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = leadmap();
    for (k, _) in std::env::vars() {
        if k.starts_with("LEADMAP_") {
            c.env_remove(k);
        }
    }
    c.args(["config", "show"])
        .args(args)
        .env("LEADMAP_DATA_DIR", data)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// Flags > environment > file > defaults; the file is leadmap.toml in the data directory or
/// --config; the database password is never printed; a key the program does not know, or a
/// --config file that is not there, is an error.
#[test]
fn config_show_merges_flags_environment_file_and_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = ok(config_show(&data, &[], &[]));
    assert!(o.contains("addr = \"127.0.0.1:8080\""), "{o}");
    assert!(o.contains("backup-keep = 14"), "{o}");
    assert!(o.contains("does not exist"), "{o}");
    assert!(
        o.contains(&format!(
            "database-url = \"{}\"",
            data.join("leadmap.db").display()
        )),
        "{o}"
    );

    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("leadmap.toml"),
        "addr = \"0.0.0.0:9000\"\nbackup-keep = 3\nlog-format = \"json\"\n\
         database-url = \"postgres://leadmap:s3cret-pw@db.internal/leadmap\"\n\
         trusted-proxies = [\"10.0.0.5\"]\n",
    )
    .unwrap();
    let o = ok(config_show(&data, &[], &[]));
    for want in [
        "addr = \"0.0.0.0:9000\"",
        "backup-keep = 3",
        "log-format = \"json\"",
        "trusted-proxies = [\"10.0.0.5\"]",
        "database-url = \"postgres://leadmap:***@db.internal/leadmap\"",
    ] {
        assert!(o.contains(want), "{want} missing from\n{o}");
    }
    assert!(!o.contains("s3cret-pw"), "{o}");
    // The environment over the file, a flag over the environment.
    let env = [("LEADMAP_ADDR", "10.1.1.1:1"), ("LEADMAP_BACKUP_KEEP", "5")];
    let o = ok(config_show(&data, &[], &env));
    assert!(
        o.contains("addr = \"10.1.1.1:1\"") && o.contains("backup-keep = 5"),
        "{o}"
    );
    let o = ok(config_show(&data, &["--addr", "10.2.2.2:2"], &env));
    assert!(
        o.contains("addr = \"10.2.2.2:2\"") && o.contains("backup-keep = 5"),
        "{o}"
    );
    assert!(
        o.contains("log-format = \"json\""),
        "the file still counts: {o}"
    );
    let o = ok(config_show(&data, &["--secure-cookies"], &[]));
    assert!(o.contains("secure-cookies = true"), "{o}");
    let o = ok(config_show(&data, &[], &[("LEADMAP_SECURE_COOKIES", "1")]));
    assert!(o.contains("secure-cookies = true"), "{o}");

    // --config names another file.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "addr = \"127.0.0.1:7000\"\n").unwrap();
    let o = ok(config_show(
        &data,
        &["--config", other.to_str().unwrap()],
        &[],
    ));
    assert!(
        o.contains("addr = \"127.0.0.1:7000\"") && o.contains("backup-keep = 14"),
        "{o}"
    );
    // Mistakes.
    std::fs::write(&other, "adr = \"127.0.0.1:7000\"\n").unwrap();
    let o = config_show(&data, &["--config", other.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("adr"), "{}", err(&o));
    let o = config_show(&data, &["--config", "/no/such/leadmap.toml"], &[]);
    assert!(err(&o).contains("no configuration file"), "{}", err(&o));
    std::fs::write(&other, "backup-every = \"often\"\n").unwrap();
    let o = config_show(&data, &["--config", other.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not an interval"), "{}", err(&o));
}

/// `serve` runs with what the file says (JSON logs, a metrics listener) when no flag says
/// otherwise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reads_its_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("leadmap.db");
    let file = dir.path().join("leadmap.toml");
    std::fs::write(
        &file,
        "log-format = \"json\"\nmetrics-addr = \"127.0.0.1:0\"\naddr = \"127.0.0.1:1\"\n",
    )
    .unwrap();
    let log = dir.path().join("server.log");
    let server = Server::start_with(
        db.to_str().unwrap(),
        &log,
        &["--config", file.to_str().unwrap()],
        &[("LEADMAP_LOG", "info")],
    );
    assert!(
        server.banner.contains("Metrics: http://127.0.0.1:"),
        "{}",
        server.banner
    );
    let r = client().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // Log lines are written by a thread of their own: wait for it before the kill.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&log).unwrap().contains("/healthz") && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(server);
    let log = std::fs::read_to_string(&log).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("/healthz"))
        .unwrap_or_else(|| panic!("{log}"));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["route"], "/healthz");
}

#[test]
fn completions_and_man_pages_are_generated() {
    let bash = ok(leadmap().args(["completions", "bash"]).output().unwrap());
    assert!(
        bash.contains("_leadmap()") && bash.contains("backup"),
        "{bash}"
    );
    let zsh = ok(leadmap().args(["completions", "zsh"]).output().unwrap());
    assert!(zsh.starts_with("#compdef leadmap"), "{zsh}");
    let fish = ok(leadmap().args(["completions", "fish"]).output().unwrap());
    assert!(fish.contains("complete -c leadmap"), "{fish}");
    let man = ok(leadmap().arg("man").output().unwrap());
    assert!(man.contains(".TH leadmap 1"), "{man}");
    assert!(man.contains("restore"), "{man}");
    let dir = tempfile::tempdir().unwrap();
    ok(leadmap()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap());
    let serve = std::fs::read_to_string(dir.path().join("leadmap-serve.1")).unwrap();
    assert!(serve.contains("backup\\-every"), "{serve}");
}

/// `packaging/leadmap.service` passes `systemd-analyze verify` (with this binary in
/// ExecStart and its man page on MANPATH) when systemd-analyze is installed; skipped, saying
/// so, where it is not.
#[test]
fn the_systemd_unit_verifies() {
    let Ok(found) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        eprintln!("systemd-analyze is not installed: the unit was not verified");
        return;
    };
    assert!(found.status.success());
    let unit = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/leadmap.service"),
    )
    .unwrap();
    for want in [
        "DynamicUser=yes",
        "StateDirectory=leadmap",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
    ] {
        assert!(unit.contains(want), "{want} missing");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leadmap.service");
    std::fs::write(
        &path,
        unit.replace("/usr/local/bin/leadmap", env!("CARGO_BIN_EXE_leadmap")),
    )
    .unwrap();
    let man = dir.path().join("man/man1");
    ok(leadmap().args(["man", "--dir"]).arg(&man).output().unwrap());
    let o = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .env("MANPATH", dir.path().join("man"))
        .output()
        .unwrap();
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "systemd-analyze verify: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}
