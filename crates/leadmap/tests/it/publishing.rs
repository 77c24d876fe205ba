//! `leadmap publish` (into the database and through a running server's API) and
//! `serve --roadmaps DIR`, as a user runs them.

use std::time::{Duration, Instant};

use crate::app::{Server, add_user, client, err, ok, out, run};

const V1: &str = "---\nid: playbook\n---\n# Team playbook\n\n## People\n\n- Hiring loops {#hire}\n- One-on-ones {#one-on-ones}\n";
const V2: &str = "---\nid: playbook\n---\n# Team playbook\n\n## People\n\n- One-on-ones {#one-on-ones}\n- Hiring loop design {#hiring-loop}\n";

#[test]
fn publish_checks_reports_orphans_and_moves_progress_with_a_map() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("leadmap.db");
    let db = db.to_str().unwrap();
    add_user(db, "ana", "a long passphrase ana will remember 7");
    let file = dir.path().join("playbook.md");
    std::fs::write(&file, V1).unwrap();
    let f = file.to_str().unwrap();
    let o = ok(run(db, &["publish", f, "-m", "first cut"]));
    assert!(o.contains("playbook published as version 1"), "{o}");
    ok(run(db, &["mark", "playbook", "hire", "done"]));
    // A broken file is refused with file:line:col, and nothing is published.
    std::fs::write(&file, format!("{V1}\n## Empty\n")).unwrap();
    let o = run(db, &["publish", f]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains(&format!("{f}:11:1: error")), "{}", err(&o));
    // A dry run of version 2: the orphan and the suggested map, nothing written.
    std::fs::write(&file, V2).unwrap();
    let o = ok(run(db, &["publish", f, "--dry-run"]));
    assert!(o.contains("would be published as version 2"), "{o}");
    assert!(o.contains("hire (Hiring loops): 1 person"), "{o}");
    assert!(o.contains("--map hire=hiring-loop"), "{o}");
    // Published with the map: the progress moved.
    let o = ok(run(
        db,
        &["publish", f, "--map", "hire=hiring-loop", "--json"],
    ));
    let report: serde_json::Value = serde_json::from_str(&o).unwrap();
    assert_eq!(
        (report["version"].as_i64(), report["moved"].as_u64()),
        (Some(2), Some(1))
    );
    let o = ok(run(db, &["progress", "playbook"]));
    assert!(o.contains("1 done"), "{o}");
    // The bundled roadmaps are read-only.
    std::fs::write(
        &file,
        V1.replace("id: playbook", "id: engineering-leadership"),
    )
    .unwrap();
    let o = run(db, &["publish", f]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("read-only"), "{}", err(&o));
    assert!(out(&o).is_empty());
}

/// Polls until `f` holds, at most 20 s.
async fn eventually(what: &str, mut f: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{what} did not happen within 20 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_publishes_a_folder_at_start_and_on_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("leadmap.db");
    let db = db.to_str().unwrap();
    let roadmaps = dir.path().join("roadmaps");
    std::fs::create_dir(&roadmaps).unwrap();
    std::fs::write(roadmaps.join("playbook.md"), V1).unwrap();
    add_user(db, "ana", "a long passphrase ana will remember 7");
    let token = ok(run(db, &["token", "create", "t"])).trim().to_owned();
    let log = dir.path().join("server.log");
    let server = Server::start_with(
        db,
        &log,
        &["--roadmaps", roadmaps.to_str().unwrap()],
        &[("LEADMAP_LOG", "info")],
    );
    let c = client();
    let versions = async |c: &reqwest::Client| -> usize {
        let r = c
            .get(server.url("/api/v1/roadmaps/playbook/versions"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if r.status() != 200 {
            return 0;
        }
        r.json::<serde_json::Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    // Published before the first request.
    assert_eq!(versions(&c).await, 1);
    // A change is a new version.
    std::fs::write(roadmaps.join("playbook.md"), V2).unwrap();
    eventually("the changed file's publish", async || {
        versions(&c).await == 2
    })
    .await;
    // A file that fails the checker is logged with its place; version 2 stays served.
    std::fs::write(roadmaps.join("playbook.md"), format!("{V2}\n## Empty\n")).unwrap();
    eventually("the broken file's log line", async || {
        server.log().contains("playbook.md:11:1: error")
    })
    .await;
    assert_eq!(versions(&c).await, 2);
    // The file goes: the roadmap stays.
    std::fs::remove_file(roadmaps.join("playbook.md")).unwrap();
    eventually("the log line about the file leaving", async || {
        server.log().contains("left the roadmaps folder")
    })
    .await;
    assert_eq!(versions(&c).await, 2);
    let r = c
        .get(server.url("/api/v1/roadmaps/playbook"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A missing folder stops serve with a clear message.
    let o = crate::leadmap()
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--database-url",
            db,
            "--roadmaps",
        ])
        .arg(dir.path().join("nope"))
        .env("LEADMAP_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("no such folder"), "{}", err(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_through_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("leadmap.db");
    let db = db.to_str().unwrap();
    add_user(db, "ana", "a long passphrase ana will remember 7");
    let token = ok(run(db, &["token", "create", "t"])).trim().to_owned();
    let server = Server::start(db, &dir.path().join("server.log"));
    let file = dir.path().join("playbook.md");
    std::fs::write(&file, V1).unwrap();
    let publish = |args: &[&str], token: &str| {
        crate::leadmap()
            .arg("publish")
            .arg(&file)
            .args(["--server", &server.base])
            .args(args)
            .env("LEADMAP_TOKEN", token)
            .output()
            .unwrap()
    };
    let o = publish(&["--visibility", "public"], &token);
    assert!(
        out(&o).contains("playbook published as version 1"),
        "{}{}",
        out(&o),
        err(&o)
    );
    // A visitor without an account reads it now.
    let r = client()
        .get(server.url("/r/playbook"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A bad token: the server's answer, exit 1.
    let o = publish(&[], "lm_nope");
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("401"), "{}", err(&o));
    // Without a token: told how to get one.
    let o = crate::leadmap()
        .arg("publish")
        .arg(&file)
        .args(["--server", &server.base])
        .env_remove("LEADMAP_TOKEN")
        .output()
        .unwrap();
    assert!(err(&o).contains("personal access token"), "{}", err(&o));
}
