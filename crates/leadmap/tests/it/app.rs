//! The commands that use a database (`user`, `token`, `mark`, `progress`, `export-progress`,
//! `import-progress`, `serve`) as a person runs them: the real binary, a real SQLite file or
//! PostgreSQL database, real HTTP. Every server a test starts is killed when the test ends,
//! passing or not (see [`Server`]).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::leadmap;

pub(crate) const ROADMAP: &str = "engineering-leadership";

/// Runs `leadmap ARGS --database-url DB` and returns what it did.
pub(crate) fn run(db: &str, args: &[&str]) -> Output {
    leadmap()
        .args(args)
        .arg("--database-url")
        .arg(db)
        .env_remove("LEADMAP_DATABASE_URL")
        .output()
        .expect("leadmap runs")
}

/// Runs `leadmap ARGS` with the database in `LEADMAP_DATABASE_URL`.
fn run_env(db: &str, args: &[&str]) -> Output {
    leadmap()
        .args(args)
        .env("LEADMAP_DATABASE_URL", db)
        .output()
        .expect("leadmap runs")
}

pub(crate) fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The command succeeded; its standard output.
#[track_caller]
pub(crate) fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        out(&o),
        err(&o)
    );
    out(&o)
}

/// Creates a user whose password is read from standard input.
pub(crate) fn add_user(db: &str, name: &str, password: &str) {
    ok(leadmap()
        .args([
            "user",
            "add",
            name,
            "--password-stdin",
            "--database-url",
            db,
        ])
        .write_stdin(format!("{password}\n"))
        .output()
        .expect("leadmap runs"));
}

/// The ids of the learnable topics of the roadmap, in the order `show --json` gives them.
pub(crate) fn topic_ids() -> Vec<String> {
    let v: Value = serde_json::from_str(&ok(leadmap()
        .args(["show", ROADMAP, "--json"])
        .output()
        .expect("leadmap runs")))
    .unwrap();
    let mut ids = Vec::new();
    let mut stack = vec![&v];
    while let Some(n) = stack.pop() {
        if n["kind"] == "topic" {
            ids.push(n["id"].as_str().unwrap().to_owned());
        }
        stack.extend(n["children"].as_array().into_iter().flatten().rev());
    }
    ids
}

// ---------------------------------------------------------------------------------------------
// a. The command line on SQLite

#[test]
fn cli_round_trip_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    let file = |name: &str| dir.path().join(name);

    // No account yet: the commands say how to make one.
    let o = run(db, &["progress", ROADMAP]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("leadmap user add NAME"), "{}", err(&o));

    // The first account is the admin, with a generated password shown once.
    let added = ok(run(db, &["user", "add", "alice"]));
    assert!(added.contains("Created alice (admin)."), "{added}");
    let password = added
        .lines()
        .find_map(|l| l.strip_prefix("Password (shown once): "))
        .unwrap_or_else(|| panic!("no password in {added}"));
    let groups: Vec<&str> = password.split('-').collect();
    assert_eq!(groups.len(), 4, "{password}");
    for g in groups {
        assert_eq!(g.len(), 5, "{password}");
        assert!(
            g.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "{password}"
        );
    }

    // A token, with the database named by the environment instead of --database-url.
    let token = ok(run_env(db, &["token", "create", "laptop"]));
    let token = token.trim();
    assert!(token.starts_with("lm_") && token.len() > 20, "{token}");

    // Mark two topics.
    let marked = ok(run(
        db,
        &[
            "mark",
            ROADMAP,
            "define-core-values",
            "done",
            "--note",
            "wrote them with the team",
        ],
    ));
    assert_eq!(marked.trim(), "alice: Define Core Values is done");
    let marked = ok(run_env(db, &["mark", ROADMAP, "creativity", "learning"]));
    assert_eq!(marked.trim(), "alice: Creativity is learning");

    // The progress table: one row per area, with counts, a bar and a percentage.
    let table = ok(run(db, &["progress", ROADMAP]));
    assert!(
        table.starts_with("The Engineering Leadership Roadmap — alice\n"),
        "{table}"
    );
    for head in ["Area", "Done", "Learning", "Skipped", "Topics", "Progress"] {
        assert!(table.contains(head), "{head} missing in {table}");
    }
    let row = |area: &str| -> Vec<String> {
        let line = table
            .lines()
            .find(|l| l.contains(area))
            .unwrap_or_else(|| panic!("no row {area} in {table}"));
        line.split_whitespace().map(str::to_owned).collect()
    };
    // Fundamentals: 1 of its 3 topics done.
    let f = row("Fundamentals");
    assert_eq!(&f[2..6], ["1", "0", "0", "3"], "{f:?}");
    assert!(
        f.contains(&"33".to_owned()) && f.contains(&"%".to_owned()),
        "{f:?}"
    );
    assert!(f.iter().any(|w| w.contains('█')), "{f:?}");
    // Leadership Skills: 1 of 7 learning, nothing done.
    let l = row("Leadership Skills");
    assert_eq!(&l[3..7], ["0", "1", "0", "7"], "{l:?}");
    assert!(
        l.contains(&"0".to_owned()) && l.contains(&"%".to_owned()),
        "{l:?}"
    );
    assert!(
        table.contains("(1 done, 1 learning, 0 skipped, 110 not started)"),
        "{table}"
    );
    assert_eq!(
        table.lines().filter(|l| l.contains(" %")).count(),
        24 + 1,
        "24 areas and a total: {table}"
    );

    // Export as JSON: the file `render --progress` reads.
    let json_path = file("alice.json");
    ok(run(
        db,
        &[
            "export-progress",
            ROADMAP,
            "-o",
            json_path.to_str().unwrap(),
        ],
    ));
    let exported: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(exported["roadmap"], ROADMAP);
    assert_eq!(exported["user"], "alice");
    let topics = exported["topics"].as_object().unwrap();
    assert_eq!(topics.len(), 2, "{exported}");
    assert_eq!(topics["define-core-values"]["status"], "done");
    assert_eq!(
        topics["define-core-values"]["note"],
        "wrote them with the team"
    );
    assert_eq!(topics["creativity"]["status"], "learning");
    let svg_path = file("x.svg");
    ok(leadmap()
        .args(["render", ROADMAP, "--progress"])
        .arg(&json_path)
        .arg("-o")
        .arg(&svg_path)
        .output()
        .unwrap());
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(
        svg.contains("class=\"done\" data-id=\"define-core-values\""),
        "the exported progress is not drawn"
    );
    assert!(svg.contains("class=\"learning\" data-id=\"creativity\""));

    // Export as CSV and import it into a second account.
    let csv_path = file("alice.csv");
    ok(run(
        db,
        &["export-progress", ROADMAP, "-o", csv_path.to_str().unwrap()],
    ));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        csv.starts_with("roadmap,topic,status,note,updated_at\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");
    add_user(db, "bob", "a long passphrase bob will remember 7");
    let imported = ok(run(
        db,
        &[
            "import-progress",
            csv_path.to_str().unwrap(),
            "--user",
            "bob",
        ],
    ));
    assert_eq!(imported.trim(), "Imported 2 records for bob.");
    let export_of = |user: &str| -> Value {
        let v: Value =
            serde_json::from_str(&ok(run(db, &["export-progress", ROADMAP, "--user", user])))
                .unwrap();
        assert_eq!(v["user"], user);
        v["topics"].clone()
    };
    assert_eq!(export_of("bob"), export_of("alice"));
    let bobs = ok(run(db, &["progress", ROADMAP, "--user", "bob"]));
    assert!(
        bobs.contains("(1 done, 1 learning, 0 skipped, 110 not started)"),
        "{bobs}"
    );

    // Two accounts: the commands ask whose.
    for args in [
        &["progress", ROADMAP][..],
        &["mark", ROADMAP, "persistence", "done"],
        &["export-progress", ROADMAP],
        &["token", "create", "ci"],
    ] {
        let o = run(db, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", out(&o));
        assert!(
            err(&o).contains("2 accounts exist: say whose with --user NAME"),
            "{args:?}: {}",
            err(&o)
        );
    }
    let list = ok(run(db, &["user", "list"]));
    let alice = list.lines().find(|l| l.contains("alice")).unwrap();
    assert!(alice.contains("yes"), "alice is the admin: {list}");
    let bob = list.lines().find(|l| l.contains("bob")).unwrap();
    assert!(!bob.contains("yes"), "{list}");

    // A bad CSV file: every problem with its line, and nothing imported.
    let bad_csv = file("bad.csv");
    std::fs::write(
        &bad_csv,
        "roadmap,topic,status,note,updated_at\n\
         engineering-leadership,persistence,done,fine,\n\
         engineering-leadership,no-such-topic,done,,\n\
         engineering-leadership,creativity,finished,,\n",
    )
    .unwrap();
    let before = export_of("bob");
    let o = run(
        db,
        &[
            "import-progress",
            bad_csv.to_str().unwrap(),
            "--user",
            "bob",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    let name = bad_csv.display();
    assert!(
        e.contains(&format!(
            "{name}:3: \"engineering-leadership\" has no topic \"no-such-topic\""
        )),
        "{e}"
    );
    assert!(
        e.contains(&format!("{name}:4: unknown status \"finished\"")),
        "{e}"
    );
    assert!(e.contains("nothing imported"), "{e}");
    assert_eq!(export_of("bob"), before, "a bad file changed the progress");

    // A bad JSON file: the same.
    let bad_json = file("bad.json");
    std::fs::write(
        &bad_json,
        r#"{"roadmap":"engineering-leadership","topics":{"persistence":{"status":"done"},"no-such-topic":{"status":"done"},"creativity":{"status":"finished"}}}"#,
    )
    .unwrap();
    let o = run(
        db,
        &[
            "import-progress",
            bad_json.to_str().unwrap(),
            "--user",
            "bob",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("has no topic \"no-such-topic\""), "{e}");
    assert!(e.contains("unknown status \"finished\""), "{e}");
    assert_eq!(export_of("bob"), before, "a bad file changed the progress");

    // `mark` refuses what does not exist, and says what would.
    let o = run(
        db,
        &["mark", ROADMAP, "creativity", "finished", "--user", "bob"],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(
        err(&o).contains("unknown status \"finished\": use pending, learning, done or skipped"),
        "{}",
        err(&o)
    );
    let o = run(
        db,
        &["mark", ROADMAP, "no-such-topic", "done", "--user", "bob"],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(
        err(&o).contains("\"engineering-leadership\" has no topic \"no-such-topic\""),
        "{}",
        err(&o)
    );
    let o = run(db, &["mark", "no-such-roadmap", "creativity", "done"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        err(&o).contains("no roadmap \"no-such-roadmap\""),
        "{}",
        err(&o)
    );
    let o = run(
        db,
        &["mark", ROADMAP, "creativity", "done", "--user", "carol"],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(err(&o).contains("no user named \"carol\""), "{}", err(&o));
    assert_eq!(export_of("bob"), before);

    // A good JSON file imports.
    let good_json = file("good.json");
    std::fs::write(
        &good_json,
        r#"{"roadmap":"engineering-leadership","topics":{"persistence":{"status":"skipped","note":"later"}}}"#,
    )
    .unwrap();
    ok(run(
        db,
        &[
            "import-progress",
            good_json.to_str().unwrap(),
            "--user",
            "bob",
        ],
    ));
    let after = export_of("bob");
    assert_eq!(after["persistence"]["status"], "skipped");
    assert_eq!(after["persistence"]["note"], "later");
    assert_eq!(after["creativity"], before["creativity"]);
}

/// Accounts from the command line: remove (with --yes), reset-password, promote, demote; the
/// last admin is kept while other accounts exist, and the refusal says why and what to do.
#[test]
fn user_commands_keep_the_last_admin() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("users.db").display());
    add_user(&db, "ana", "correct horse battery staple 42");
    add_user(&db, "bob", "correct horse battery staple 43");
    let o = run(&db, &["user", "demote", "ana"]);
    assert!(!o.status.success());
    assert!(
        err(&o).contains("this is the last admin: make another account an admin first"),
        "{}",
        err(&o)
    );
    let o = run(&db, &["user", "remove", "ana", "--yes"]);
    assert!(!o.status.success());
    assert!(err(&o).contains("last admin"), "{}", err(&o));
    let o = run(&db, &["user", "remove", "bob"]);
    assert_eq!(o.status.code(), Some(2), "remove asks for --yes");
    assert!(err(&o).contains("add --yes"), "{}", err(&o));
    assert!(ok(run(&db, &["user", "promote", "bob"])).contains("bob is an admin."));
    assert!(ok(run(&db, &["user", "demote", "ana"])).contains("ana is no longer an admin."));
    let reset = ok(run(&db, &["user", "reset-password", "ana"]));
    assert!(reset.contains("Password (shown once): "), "{reset}");
    assert!(ok(run(&db, &["user", "remove", "ana", "--yes"])).contains("Deleted ana"));
    let list = ok(run(&db, &["user", "list"]));
    assert!(list.contains("bob") && !list.contains("ana"), "{list}");
    let o = run(&db, &["user", "remove", "nobody", "--yes"]);
    assert!(err(&o).contains("no account named nobody"), "{}", err(&o));
}

/// A display name with spaces, given at creation or later; "" goes back to the user name.
#[test]
fn accounts_carry_a_display_name_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("names.db").display());
    ok(run(
        &db,
        &["user", "add", "maria", "--display-name", "Maria Manager"],
    ));
    let list = ok(run(&db, &["user", "list"]));
    assert!(list.contains("Maria Manager"), "{list}");
    let renamed = ok(run(&db, &["user", "rename", "maria", "  María García "]));
    assert!(
        renamed.contains("maria is shown as María García."),
        "{renamed}"
    );
    let back = ok(run(&db, &["user", "rename", "maria", ""]));
    assert!(back.contains("maria is shown as maria."), "{back}");
    let o = run(&db, &["user", "rename", "maria", &"x".repeat(81)]);
    assert!(!o.status.success());
    assert!(err(&o).contains("at most 80 characters"), "{}", err(&o));
}

// ---------------------------------------------------------------------------------------------
// The server process

/// A `leadmap serve` process, killed (SIGKILL) and reaped when dropped.
pub(crate) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub(crate) base: String,
    /// Everything it printed on standard output before "Stop with Ctrl-C.".
    pub(crate) banner: String,
    log: PathBuf,
}

impl Server {
    /// Starts `leadmap serve --addr 127.0.0.1:0` on the database and waits for its banner.
    pub(crate) fn start(db: &str, log: &Path) -> Server {
        Server::start_with(db, log, &[], &[])
    }

    /// [`Server::start`] with more arguments and environment variables.
    pub(crate) fn start_with(db: &str, log: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("the server log");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_leadmap"))
            .args(["serve", "--addr", "127.0.0.1:0", "--database-url", db])
            .args(args)
            .env_remove("LEADMAP_DATABASE_URL")
            .env("NO_COLOR", "1")
            .env("LEADMAP_LOG", "warn")
            // No leadmap.toml of the machine's own data directory.
            .env(
                "LEADMAP_DATA_DIR",
                log.parent().expect("the log's directory"),
            )
            .env_remove("LEADMAP_CONFIG")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .expect("leadmap serve starts");
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        // Reads to the end, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            base: String::new(),
            banner: String::new(),
            log: log.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    server.banner.push_str(&line);
                    server.banner.push('\n');
                    if let Some(rest) = line.strip_prefix("Leadmap is running at ") {
                        server.base = rest.trim_end_matches('/').to_owned();
                    }
                    if line == "Stop with Ctrl-C." {
                        break;
                    }
                }
                Err(e) => panic!(
                    "the server did not start ({e}); it printed:\n{}\nlog:\n{}",
                    server.banner,
                    server.log()
                ),
            }
        }
        assert!(
            server.base.starts_with("http://127.0.0.1:"),
            "{}",
            server.banner
        );
        server
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown, no flush, nothing the process can do about it.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A PostgreSQL database made for one test, dropped when the test ends (with `psql`, when
/// there is one; the name starts with `leadmap_test_` otherwise).
pub(crate) struct PgDatabase {
    pub(crate) url: String,
    name: String,
}

impl PgDatabase {
    pub(crate) async fn new() -> PgDatabase {
        let (url, name) = leadmap_store::testing::postgres_database().await;
        PgDatabase { url, name }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = std::process::Command::new("psql")
            .arg(leadmap_store::testing::postgres_server_url())
            .args(["-q", "-c"])
            .arg(format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub(crate) async fn put_progress(
    c: &reqwest::Client,
    server: &str,
    token: &str,
    topic: &str,
    status: &str,
    note: &str,
) -> reqwest::Result<reqwest::Response> {
    c.put(format!("{server}/api/v1/me/progress/{ROADMAP}/{topic}"))
        .bearer_auth(token)
        .json(&json!({"status": status, "note": note}))
        .send()
        .await
}

async fn get_progress(c: &reqwest::Client, server: &Server, token: &str) -> Value {
    let r = c
        .get(server.url(&format!("/api/v1/me/progress/{ROADMAP}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_the_first_run_link_then_the_sign_in_page() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    let log = dir.path().join("server.log");
    let c = client();

    let server = Server::start(db, &log);
    assert!(
        server.banner.contains(&format!("Database: {db} (sqlite)")),
        "{}",
        server.banner
    );
    let link = server
        .banner
        .lines()
        .find_map(|l| l.strip_prefix("First run: open "))
        .and_then(|l| l.strip_suffix(" to create the owner account (the link works once)."))
        .unwrap_or_else(|| panic!("no first-run link in {}", server.banner));
    let token = link
        .strip_prefix(&server.url("/setup?token="))
        .unwrap_or_else(|| panic!("{link}"));
    assert!(
        token.len() >= 16 && token.chars().all(|c| c.is_ascii_hexdigit()),
        "{token}"
    );
    let r = c.get(link).send().await.unwrap();
    assert_eq!(r.status(), 200, "the first-run link opens a page");
    drop(server);

    add_user(db, "alice", "a long passphrase alice will remember 7");
    let server = Server::start(db, &log);
    assert!(
        server
            .banner
            .contains(&format!("Sign in at {}/login\n", server.base)),
        "{}",
        server.banner
    );
    assert!(!server.banner.contains("First run"), "{}", server.banner);
}

// ---------------------------------------------------------------------------------------------
// b. What the server acknowledged survives SIGKILL

const TASKS: usize = 8;
const TOPICS_PER_TASK: usize = 4;
pub(crate) const STATUSES: [&str; 3] = ["done", "learning", "skipped"];

/// What one writer did: writes are numbered 0, 1, 2 …; write `n` puts topic `n % 4` of the
/// task's own topics to status `STATUSES[n % 3]` with the note "task T write n". So the stored
/// record of a topic says which write it came from, and "later" is a larger number.
#[derive(Debug, Default)]
struct Writer {
    /// The last write sent (acknowledged or not).
    last_sent: Option<u64>,
    /// The last acknowledged write of each of the task's topics.
    acked: [Option<u64>; TOPICS_PER_TASK],
    failures: Vec<String>,
}

fn note(task: usize, n: u64) -> String {
    format!("task {task} write {n}")
}

/// Starts a server on `db`, writes from 8 tasks until a random number (50–400) of writes is
/// acknowledged, kills the server with SIGKILL, restarts it and checks every acknowledged
/// write (or a later one of the same task) is there, then runs the store's integrity check.
async fn acknowledged_writes_survive_sigkill(db: &str, dir: &Path) {
    let log = dir.join("server.log");
    add_user(db, "alice", "a long passphrase alice will remember 7");
    let token = ok(run(db, &["token", "create", "crash test"]))
        .trim()
        .to_owned();
    let topics = topic_ids();
    assert!(topics.len() >= TASKS * TOPICS_PER_TASK);

    let mut server = Server::start(db, &log);
    let c = client();
    let acked_total = Arc::new(AtomicU64::new(0));
    let killed = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let own: Vec<String> = topics[t * TOPICS_PER_TASK..(t + 1) * TOPICS_PER_TASK].to_vec();
        let (c, base, token) = (c.clone(), server.base.clone(), token.clone());
        let (acked_total, killed) = (acked_total.clone(), killed.clone());
        tasks.push(tokio::spawn(async move {
            let mut w = Writer::default();
            for n in 0u64.. {
                if killed.load(Ordering::SeqCst) {
                    break;
                }
                let k = (n % TOPICS_PER_TASK as u64) as usize;
                let status = STATUSES[(n % 3) as usize];
                let note = note(t, n);
                w.last_sent = Some(n);
                match put_progress(&c, &base, &token, &own[k], status, &note).await {
                    Ok(r) if r.status() == 200 => {
                        let body: Value = match r.json().await {
                            Ok(b) => b,
                            // The body was cut by the kill: not acknowledged.
                            Err(_) if killed.load(Ordering::SeqCst) => break,
                            Err(e) => {
                                w.failures.push(format!("write {n}: {e}"));
                                break;
                            }
                        };
                        if body["note"] != note.as_str() || body["status"] != status {
                            w.failures
                                .push(format!("write {n} answered with another record: {body}"));
                        }
                        w.acked[k] = Some(n);
                        acked_total.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(r) => {
                        let code = r.status();
                        let text = r.text().await.unwrap_or_default();
                        w.failures.push(format!("write {n}: {code} {text}"));
                        break;
                    }
                    Err(_) if killed.load(Ordering::SeqCst) => break,
                    Err(e) => {
                        w.failures.push(format!("write {n}: {e}"));
                        break;
                    }
                }
            }
            w
        }));
    }

    // Kill after a random number of acknowledged writes.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let target = 50 + u64::from(nanos) % 351;
    let deadline = Instant::now() + Duration::from_secs(300);
    while acked_total.load(Ordering::SeqCst) < target {
        assert!(
            Instant::now() < deadline,
            "only {} of {target} writes acknowledged in 300 s; log:\n{}",
            acked_total.load(Ordering::SeqCst),
            server.log()
        );
        assert!(
            !tasks.iter().all(|t| t.is_finished()),
            "every writer stopped; log:\n{}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    killed.store(true, Ordering::SeqCst);
    server.kill();
    let mut writers = Vec::new();
    for t in tasks {
        writers.push(t.await.expect("a writer panicked"));
    }
    let failures: Vec<&String> = writers.iter().flat_map(|w| &w.failures).collect();
    assert!(
        failures.is_empty(),
        "writes failed before the kill: {failures:#?}"
    );
    let acked: u64 = writers
        .iter()
        .flat_map(|w| w.acked.iter().flatten())
        .count() as u64;
    assert!(acked > 0);

    // Restart on the same database: everything acknowledged is there.
    let server = Server::start(db, &log);
    let got = get_progress(&c, &server, &token).await;
    let stored = got["topics"].as_object().unwrap();
    let s = &got["summary"];
    let total: u64 = ["done", "learning", "skipped", "pending"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, topics.len(), "{s}");
    for (t, w) in writers.iter().enumerate() {
        for k in 0..TOPICS_PER_TASK {
            let topic = &topics[t * TOPICS_PER_TASK + k];
            let Some(rec) = stored.get(topic) else {
                assert!(
                    w.acked[k].is_none(),
                    "task {t}: write {:?} to {topic} was acknowledged, then lost",
                    w.acked[k]
                );
                continue;
            };
            let note = rec["note"].as_str().unwrap();
            let n: u64 = note
                .strip_prefix(&format!("task {t} write "))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{topic} holds a note no write sent: {note:?}"));
            assert_eq!(
                n % TOPICS_PER_TASK as u64,
                k as u64,
                "{topic} holds another topic's write"
            );
            assert!(
                Some(n) <= w.last_sent,
                "{topic} holds write {n}, never sent"
            );
            assert_eq!(
                rec["status"],
                STATUSES[(n % 3) as usize],
                "{topic}: write {n} stored with another status"
            );
            if let Some(a) = w.acked[k] {
                assert!(
                    n >= a,
                    "task {t}: write {a} to {topic} was acknowledged, but the database holds the earlier write {n}"
                );
            }
        }
    }
    drop(server);

    let store = leadmap_store::open(db).await.expect("the database opens");
    let problems = store.integrity_check().await.expect("the check runs");
    assert!(problems.is_empty(), "{problems:?}");
    eprintln!("killed after {target}+ acknowledged writes ({acked} topics written); all there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("leadmap.db");
    acknowledged_writes_survive_sigkill(db.to_str().unwrap(), dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let pg = PgDatabase::new().await;
    acknowledged_writes_survive_sigkill(&pg.url, dir.path()).await;
}

// ---------------------------------------------------------------------------------------------
// c. Two servers on one PostgreSQL database

/// The value of the `leadmap_session` cookie a response sets.
fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("leadmap_session="))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .filter(|v| !v.is_empty())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_one_postgres_database() {
    let dir = tempfile::tempdir().unwrap();
    let pg = PgDatabase::new().await;
    let password = "a long passphrase alice will remember 7";
    add_user(&pg.url, "alice", password);
    let token = ok(run(&pg.url, &["token", "create", "two servers"]))
        .trim()
        .to_owned();
    let a = Server::start(&pg.url, &dir.path().join("a.log"));
    let b = Server::start(&pg.url, &dir.path().join("b.log"));
    assert_ne!(a.base, b.base);
    assert!(a.banner.contains("(postgres)"), "{}", a.banner);
    let c = client();

    // Written through A, read through B, and the other way round.
    let r = put_progress(&c, &a.base, &token, "creativity", "done", "through A")
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let got = get_progress(&c, &b, &token).await;
    assert_eq!(got["topics"]["creativity"]["status"], "done", "{got}");
    assert_eq!(got["topics"]["creativity"]["note"], "through A", "{got}");
    assert_eq!(got["summary"]["done"], 1, "{got}");
    let r = put_progress(&c, &b.base, &token, "creativity", "learning", "through B")
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let got = get_progress(&c, &a, &token).await;
    assert_eq!(got["topics"]["creativity"]["note"], "through B", "{got}");

    // Without a session, B sends the account page's reader to the sign-in page.
    let r = c.get(b.url("/account")).send().await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let to = r.headers()[reqwest::header::LOCATION].to_str().unwrap();
    assert!(to.starts_with("/login"), "{to}");

    // Signed in on A, the session is good on B.
    let page = format!("/r/{ROADMAP}");
    let r = c
        .post(a.url("/login"))
        .form(&[("name", "alice"), ("password", password), ("next", &page)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    assert_eq!(r.headers()[reqwest::header::LOCATION], page.as_str());
    let session = session_cookie(&r).expect("a session cookie");
    let r = c
        .get(b.url(&page))
        .header(
            reqwest::header::COOKIE,
            format!("leadmap_session={session}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "B does not know A's session: {:?}",
        r.headers().get(reqwest::header::LOCATION)
    );
    let html = r.text().await.unwrap();
    assert!(
        html.contains("data-id=\"creativity\""),
        "not the roadmap page"
    );
    assert!(
        html.contains("class=\"learning\" data-id=\"creativity\""),
        "B's page does not show the progress written through B"
    );

    // A wrong password on A is refused on A (and no cookie is set).
    let r = c
        .post(a.url("/login"))
        .form(&[("name", "alice"), ("password", "not the password at all")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(session_cookie(&r).is_none());
}

// ---------------------------------------------------------------------------------------------
// d. What an outside probe found (issue 13): memory under a burst of sign-ins, slow clients

/// The server's peak resident memory (`VmHWM`), in MiB.
fn peak_rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb / 1024)
        .expect("VmHWM in /proc/PID/status")
}

/// Finding 2: a burst of 100 concurrent sign-ins (each a 19 MiB argon2 hash) keeps the
/// server's peak memory under 300 MiB: hashes run one per core at a time, and throttled
/// callers are refused before any hashing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_sign_ins_keeps_memory_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    add_user(db, "alice", "a long passphrase alice will remember 7");
    let server = Server::start(db, &dir.path().join("server.log"));
    let c = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let burst = (0..100).map(|i| {
        let c = c.clone();
        let url = server.url("/login");
        async move {
            // Each for a name of its own: only the address's limit stops them.
            let name = format!("someone{i}");
            c.post(url)
                .form(&[
                    ("name", name.as_str()),
                    ("password", "a wrong password it is"),
                ])
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }
    });
    let answers = futures_util::future::join_all(burst).await;
    let peak = peak_rss_mib(server.child.id());
    // 401: checked and wrong; 429: the address's limit reached, refused before hashing;
    // 503: no hashing slot free within a few seconds.
    assert!(
        answers.iter().all(|s| [401, 429, 503].contains(s)),
        "every sign-in was answered: {answers:?}"
    );
    assert!(answers.contains(&401), "{answers:?}");
    eprintln!("peak RSS under a burst of 100 sign-ins: {peak} MiB");
    assert!(
        peak < 300,
        "peak RSS {peak} MiB under 100 concurrent sign-ins"
    );
}

/// Finding 5: a client that sends half a request is cut off (within the header timeout, well
/// inside 30 s), and one left half-sent does not hold the server up after SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off_and_shutdown_is_bounded() {
    use std::io::{Read as _, Write as _};
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("leadmap.db");
    let db = db_path.to_str().unwrap();
    let mut server = Server::start(db, &dir.path().join("server.log"));
    let addr = server.base.trim_start_matches("http://").to_owned();
    let started = Instant::now();
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 512];
    // The server closes the connection (EOF, or an error status then EOF) on its own.
    let mut got = Vec::new();
    loop {
        match slow.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => panic!(
                "the half-sent request was still open after {:?}: {e}",
                started.elapsed()
            ),
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "closed after {:?}",
        started.elapsed()
    );
    // A half-sent request at shutdown: the server still exits.
    let mut stuck = std::net::TcpStream::connect(&addr).unwrap();
    stuck
        .write_all(b"POST /login HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "still running 30 s after SIGTERM with a half-sent request open"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(exit.success(), "{exit:?}\n{}", server.log());
    drop(stuck);
}

/// `leadmap mark --evidence --due`, `leadmap history` (rows when piped), `leadmap progress
/// --since`, and the plans of an account export read back by `import-progress` into another
/// database: the same target date and links.
#[test]
fn history_plans_and_their_round_trip_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let db = db.to_str().unwrap();
    let add = |db: &str| {
        ok(run(db, &["user", "add", "alice"]));
    };
    add(db);
    let marked = ok(run(
        db,
        &[
            "mark",
            ROADMAP,
            "define-core-values",
            "done",
            "--evidence",
            "https://example.com/values",
            "--evidence-label",
            "Our values",
            "--due",
            "2027-03-31",
        ],
    ));
    assert!(marked.contains("due 2027-03-31"), "{marked}");
    assert!(
        marked.contains("evidence: https://example.com/values (Our values)"),
        "{marked}"
    );
    ok(run(db, &["mark", ROADMAP, "creativity", "learning"]));
    // Bad input: clear words, exit 1 or 2, nothing stored.
    for (args, words) in [
        (
            vec!["--evidence", "javascript:alert(1)"],
            "must be an http:// or https:// URL",
        ),
        (vec!["--due", "99999-01-01"], "a year from 2000 to 2999"),
    ] {
        let mut all = vec!["mark", ROADMAP, "creativity", "done"];
        all.extend(args);
        let o = run(db, &all);
        assert!(!o.status.success());
        assert!(err(&o).contains(words), "{}", err(&o));
    }
    // Piped: one row per change, the newest first.
    let rows = ok(run(db, &["history"]));
    let rows: Vec<&str> = rows.lines().collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].ends_with(&format!("\t{ROADMAP}\tcreativity\tpending\tlearning")),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("\tdefine-core-values\tpending\tdone"),
        "{rows:?}"
    );
    // Since a day before: one topic finished since.
    let since = ok(run(db, &["progress", ROADMAP, "--since", "2026-01-01"]));
    assert!(since.contains("Since 2026-01-01"), "{since}");
    assert!(
        since.contains("(+1 finished topics, 2 status changes)"),
        "{since}"
    );
    // The plans travel through an account-export-shaped file into another database.
    let export = json!({
        "format": "leadmap-export/1",
        "progress": [{ "roadmap": ROADMAP, "topics": { "define-core-values": { "status": "done", "note": "" } } }],
        "plans": [{ "roadmap": ROADMAP, "topic": "define-core-values", "due": "2027-03-31",
                    "evidence": [{ "url": "https://example.com/values", "label": "Our values" }] }],
    });
    let file = dir.path().join("export.json");
    std::fs::write(&file, export.to_string()).unwrap();
    let other = dir.path().join("b.db");
    let other = other.to_str().unwrap();
    add(other);
    let imported = ok(run(other, &["import-progress", file.to_str().unwrap()]));
    assert!(imported.contains("1 plans"), "{imported}");
    let again = ok(run(
        other,
        &[
            "mark",
            ROADMAP,
            "define-core-values",
            "done",
            "--due",
            "2027-03-31",
        ],
    ));
    assert!(
        again.contains("evidence: https://example.com/values (Our values)"),
        "{again}"
    );
}

/// `leadmap share create` prints a link (with the public URL when given), `share list` lists
/// it without its token, `share revoke` ends it; a bad expiry and an unknown id are refused.
#[test]
fn share_links_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    ok(run(db, &["user", "add", "alice"]));
    let link = ok(run(
        db,
        &[
            "share",
            "create",
            ROADMAP,
            "--label",
            "manager",
            "--public-url",
            "https://lm.example/",
        ],
    ));
    let link = link.trim();
    assert!(
        link.starts_with("https://lm.example/s/") && link.len() == 21 + 32,
        "{link}"
    );
    let list = ok(run(db, &["share", "list"]));
    assert!(
        list.contains(&format!(
            "\t{ROADMAP}\tmanager\talice\tnotes hidden\texpires never"
        )),
        "{list}"
    );
    assert!(!list.contains(&link[21..]), "the token is not listed");
    let id = list.split('\t').next().unwrap().to_owned();
    let o = run(
        db,
        &["share", "create", ROADMAP, "--expires-in-days", "99999"],
    );
    assert!(!o.status.success());
    assert!(err(&o).contains("expiry"), "{}", err(&o));
    assert_eq!(
        ok(run(db, &["share", "revoke", &id])).trim(),
        format!("Revoked link {id}.")
    );
    let o = run(db, &["share", "revoke", &id]);
    assert!(!o.status.success());
    assert!(err(&o).contains("has no share link"), "{}", err(&o));
}
