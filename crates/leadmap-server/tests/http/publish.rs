//! Publishing roadmaps through the API: versions, progress that survives every edit (orphans,
//! the id map), conflicts, bad input, who sees what, and two servers on one database.

use super::*;

both_backends!(
    a_roadmap_published_through_the_api_keeps_everyones_progress,
    bad_publishes_are_refused_and_change_nothing,
    a_second_server_serves_a_publish_from_its_next_request,
    each_visibility_shows_each_visitor_what_they_may_see,
    every_roadmap_route_answers_by_visibility_and_caller,
);

const V1: &str = "---\nid: team\n---\n# Team playbook\n\n## People\n\n- Hiring loops {#hire}\n- One-on-ones {#one-on-ones}\n\n## Delivery\n\n- Release train {#release-train}\n";

const V2: &str = "---\nid: team\n---\n# Team playbook\n\n## People\n\n- One-on-ones {#one-on-ones}\n- Hiring loop design {#hiring-loop}\n\n## Delivery\n\n- Release trains {#release-train}\n";

async fn publish_md(c: &reqwest::Client, app: &App, path: &str, body: &str) -> reqwest::Response {
    c.put(format!("{}/api/v1/roadmaps/{path}", app.base))
        .header("content-type", "text/markdown")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

/// GET `url` with `c`, its JSON answer.
async fn get_json(c: &reqwest::Client, url: String) -> Value {
    json_of(c.get(url).send().await.unwrap()).await
}

async fn json_of(r: reqwest::Response) -> Value {
    let text = r.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

async fn a_roadmap_published_through_the_api_keeps_everyones_progress(db: Arc<TestDb>) {
    let app = start(db).await;
    let ana = owner(&app).await;
    let ana_api = api(&token(&app, &ana).await);
    let bob = member(&app, "bob").await;
    let bob_api = api(&token(&app, &bob).await);

    // Version 1, visible to everyone signed in.
    let r = publish_md(
        &ana_api,
        &app,
        "team?visibility=signed-in&message=first",
        V1,
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["etag"], "\"1\"");
    let report = json_of(r).await;
    assert_eq!(report["version"], 1);
    assert_eq!(report["diff"]["added"].as_array().unwrap().len(), 5);

    // Bob sees it in the list, on its page and through the API, and marks a topic.
    let list = get_json(&bob_api, format!("{}/api/v1/roadmaps", app.base)).await;
    assert!(
        list.as_array().unwrap().iter().any(|r| r["id"] == "team"),
        "{list}"
    );
    let html = page(&bob, format!("{}/r/team", app.base)).await;
    assert!(html.contains("Team playbook") && html.contains("Hiring loops"));
    let r = bob_api
        .put(format!("{}/api/v1/me/progress/team/hire", app.base))
        .json(&json!({"status": "done", "note": "ran two loops"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Bob's activity knows the roadmap: its filter, its line, the API's history.
    let r = bob_api
        .get(format!("{}/api/v1/me/history?roadmap=team", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json_of(r).await["changes"][0]["topic"], "hire");
    let html = page(&bob, format!("{}/activity", app.base)).await;
    assert!(
        html.contains("<option value=\"team\""),
        "the roadmap filter"
    );
    // Bob may read it, not publish to it: the same 404 as a roadmap that does not exist.
    assert_eq!(
        publish_md(&bob_api, &app, "team", V2).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        publish_md(&bob_api, &app, "other", V1).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a file whose id is not the path's"
    );

    // A dry run of version 2 says what would happen and writes nothing.
    let r = publish_md(&ana_api, &app, "team?dry_run=true", V2).await;
    assert_eq!(r.status(), StatusCode::OK);
    let dry = json_of(r).await;
    assert_eq!(
        (dry["dry_run"].as_bool(), dry["version"].as_i64()),
        (Some(true), Some(2))
    );
    let versions = get_json(
        &ana_api,
        format!("{}/api/v1/roadmaps/team/versions", app.base),
    )
    .await;
    assert_eq!(versions.as_array().unwrap().len(), 1);

    // Version 2 drops "hire": Bob's record is kept, reported as orphaned, listed as such.
    let r = publish_md(&ana_api, &app, "team?message=loops", V2).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["etag"], "\"2\"");
    let report = json_of(r).await;
    assert_eq!(
        report["orphans"],
        json!([{"topic": "hire", "title": "Hiring loops", "people": 1}])
    );
    assert_eq!(report["diff"]["renamed"][0]["id"], "release-train");
    assert_eq!(report["suggested_map"][0]["from"], "hire");
    assert_eq!(report["suggested_map"][0]["to"], "hiring-loop");
    let progress = get_json(&bob_api, format!("{}/api/v1/me/progress/team", app.base)).await;
    assert_eq!(progress["topics"]["hire"]["status"], "done");
    assert_eq!(progress["topics"]["hire"]["orphaned"], true);
    assert_eq!(progress["summary"]["done"], 0, "an orphan does not count");

    // Version 3 with the suggested map, made from version 2: Bob's record moves.
    let v3 = V2.replace("Release trains", "Release trains and freezes");
    let r = ana_api
        .put(format!("{}/api/v1/roadmaps/team", app.base))
        .header("if-match", "\"2\"")
        .json(&json!({"markdown": v3, "message": "keep Bob's progress", "map": {"hire": "hiring-loop"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report = json_of(r).await;
    assert_eq!(
        (report["version"].as_i64(), report["moved"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(report["orphans"], json!([]));
    let progress = get_json(&bob_api, format!("{}/api/v1/me/progress/team", app.base)).await;
    assert_eq!(progress["topics"]["hiring-loop"]["note"], "ran two loops");
    assert_eq!(progress["summary"]["done"], 1);

    // A change made from version 2 after version 3 landed: 412, and the version to rebase on.
    let r = ana_api
        .put(format!("{}/api/v1/roadmaps/team", app.base))
        .header("if-match", "\"2\"")
        .header("content-type", "text/markdown")
        .body(V1)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(r.headers()["etag"], "\"3\"");
    assert_eq!(json_of(r).await["current"], 3);

    // The same text again publishes nothing.
    let r = publish_md(&ana_api, &app, "team", &v3).await;
    let same = json_of(r).await;
    assert_eq!(
        (same["unchanged"].as_bool(), same["version"].as_i64()),
        (Some(true), Some(3))
    );

    // Versions, a diff between two, and any version's Markdown.
    let versions = get_json(
        &ana_api,
        format!("{}/api/v1/roadmaps/team/versions", app.base),
    )
    .await;
    let numbers: Vec<i64> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [3, 2, 1]);
    assert_eq!(versions[2]["message"], "first");
    let d = get_json(
        &bob_api,
        format!("{}/api/v1/roadmaps/team/diff?from=1&to=3", app.base),
    )
    .await;
    assert_eq!(d["removed"][0]["id"], "hire");
    assert_eq!(d["added"][0]["id"], "hiring-loop");
    let md = bob
        .get(format!("{}/r/team/v/1.md", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(md.status(), StatusCode::OK);
    assert!(md.text().await.unwrap().contains("Hiring loops"));
    for (ext, mime, magic) in [
        ("svg", "image/svg+xml", &b"<svg"[..]),
        ("png", "image/png", &b"\x89PNG"[..]),
        ("pdf", "application/pdf", &b"%PDF"[..]),
        ("html", "text/html; charset=utf-8", &b"<!doctype html"[..]),
    ] {
        let r = bob
            .get(format!("{}/r/team/v/3.{ext}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{ext}");
        assert_eq!(r.headers()["content-type"], mime);
        let body = r.bytes().await.unwrap();
        assert!(
            body.starts_with(magic),
            "{ext}: {:?}",
            &body[..body.len().min(40)]
        );
    }
    assert_eq!(
        bob.get(format!("{}/r/team/v/3.exe", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.get(format!("{}/r/team/v/9.md", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    // The bundled roadmaps are read-only; stored as versions all the same.
    let r = publish_md(&ana_api, &app, EL, V1).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        json_of(r).await["error"]
            .as_str()
            .unwrap()
            .contains("read-only")
    );
    let bundled = get_json(
        &ana_api,
        format!("{}/api/v1/roadmaps/{EL}/versions", app.base),
    )
    .await;
    assert_eq!(bundled[0]["version"], 1);
    assert_eq!(bundled[0]["by_person"], false);
}

async fn bad_publishes_are_refused_and_change_nothing(db: Arc<TestDb>) {
    let app = start(db).await;
    let ana = owner(&app).await;
    let ana_api = api(&token(&app, &ana).await);
    let bob = member(&app, "bob").await;
    let bob_api = api(&token(&app, &bob).await);
    assert_eq!(
        publish_md(&ana_api, &app, "team", V1).await.status(),
        StatusCode::CREATED
    );

    // A private roadmap is not found by anyone else, on pages and in the API.
    assert_eq!(
        bob.get(format!("{}/r/team", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    for path in ["team", "team/versions", "team/diff?from=1&to=1"] {
        let r = bob_api
            .get(format!("{}/api/v1/roadmaps/{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let list = get_json(&bob_api, format!("{}/api/v1/roadmaps", app.base)).await;
    assert!(!list.to_string().contains("team"), "{list}");

    // The checker's errors, with line and column.
    let broken = "---\nid: team\n---\n# Team\n\n## Empty area\n\n## People\n\n- A {#a}\n";
    let r = publish_md(&ana_api, &app, "team", broken).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refusal = json_of(r).await;
    assert_eq!(refusal["problems"][0]["line"], 6, "{refusal}");
    assert_eq!(refusal["problems"][0]["severity"], "error");

    // Not UTF-8, not a roadmap, too large, a bad map: clear answers.
    let r = ana_api
        .put(format!("{}/api/v1/roadmaps/team", app.base))
        .body(vec![0xff, 0xfe, 0x00, 0x41])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = publish_md(&ana_api, &app, "team", "just some words").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let big = format!("{V1}\n{}", "x".repeat(9 * 1024 * 1024));
    let r = publish_md(&ana_api, &app, "team", &big).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        json_of(r).await["error"]
            .as_str()
            .unwrap()
            .contains("8388608")
    );
    let r = ana_api
        .put(format!("{}/api/v1/roadmaps/team", app.base))
        .json(&json!({"markdown": V2, "map": {"hire": "no-such-topic"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        json_of(r).await["error"]
            .as_str()
            .unwrap()
            .contains("no-such-topic")
    );
    let r = ana_api
        .put(format!("{}/api/v1/roadmaps/team", app.base))
        .header("if-match", "banana")
        .body(V2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Racing publishes made from the same version: one lands, every other is refused with
    // the version to rebase on (the store's own race is in the conformance suite).
    let bodies: Vec<String> = (0..8)
        .map(|i| V2.replace("Team playbook", &format!("Team playbook {i}")))
        .collect();
    let answers = futures_util::future::join_all(bodies.iter().map(|b| {
        ana_api
            .put(format!("{}/api/v1/roadmaps/team", app.base))
            .header("if-match", "\"1\"")
            .body(b.clone())
            .send()
    }))
    .await;
    let statuses: Vec<StatusCode> = answers.into_iter().map(|r| r.unwrap().status()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::PRECONDITION_FAILED),
        "{statuses:?}"
    );

    // Nothing else was stored.
    let versions = app.store().versions("team").await.unwrap();
    assert_eq!(versions.len(), 2);

    // The limits are the server's to set: too many topics is refused with the limit named.
    let limits = leadmap_app::publish::Limits {
        max_bytes: 4096,
        max_topics: 2,
    };
    let small = start_with(
        app._db.clone(),
        Config {
            roadmap_limits: limits,
            ..Config::default()
        },
    )
    .await;
    let r = publish_md(&ana_api, &small, "team", V2).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let said = json_of(r).await["error"].as_str().unwrap().to_owned();
    assert!(
        said.contains("3 topics") && said.contains("at most 2"),
        "{said}"
    );
    let r = publish_md(&ana_api, &small, "team", &"x".repeat(5000)).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.store().versions("team").await.unwrap().len(), 2);
}

async fn a_second_server_serves_a_publish_from_its_next_request(db: Arc<TestDb>) {
    let one = start(db.clone()).await;
    let two = start(db).await;
    let ana = owner(&one).await;
    let ana_api = api(&token(&one, &ana).await);
    assert_eq!(
        publish_md(&ana_api, &one, "team", V1).await.status(),
        StatusCode::CREATED
    );
    // Server two prepares version 1 (and keeps it in its cache) …
    let c = browser();
    c.post(format!("{}/login", two.base))
        .form(&[("name", "ana"), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert!(
        page(&c, format!("{}/r/team", two.base))
            .await
            .contains("Hiring loops")
    );
    // … and serves version 2, published through server one, on its very next request.
    assert_eq!(
        publish_md(&ana_api, &one, "team", V2).await.status(),
        StatusCode::OK
    );
    let html = page(&c, format!("{}/r/team", two.base)).await;
    assert!(html.contains("Hiring loop design") && !html.contains("Hiring loops"));
}

/// Who sees a roadmap, by its visibility and the visitor: the author, another member, an admin,
/// a visitor without an account. A roadmap one may not read answers exactly as one that does
/// not exist (404 when signed in, the sign-in page without an account).
async fn each_visibility_shows_each_visitor_what_they_may_see(db: Arc<TestDb>) {
    let app = start(db.clone()).await;
    let admin = owner(&app).await;
    let bob = member(&app, "bob").await;
    let bob_api = api(&token(&app, &bob).await);
    let cleo = member(&app, "cleo").await;
    let anon = browser();
    for (id, vis) in [
        ("mine", "private"),
        ("ours", "signed-in"),
        ("open", "public"),
    ] {
        let body = V1.replace("id: team", &format!("id: {id}"));
        let r = publish_md(&bob_api, &app, &format!("{id}?visibility={vis}"), &body).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let status = |c: &reqwest::Client, path: &str| {
        let url = format!("{}{path}", app.base);
        let c = c.clone();
        async move {
            let r = c.get(url).send().await.unwrap();
            let s = r.status();
            let to = location(&r);
            (s, to)
        }
    };
    let ok = (StatusCode::OK, String::new());
    let gone = (StatusCode::NOT_FOUND, String::new());
    for path_of in [
        |id: &str| format!("/r/{id}"),
        |id: &str| format!("/r/{id}/t/one-on-ones"),
    ] {
        let signin = |id: &str| {
            let p = path_of(id);
            (
                StatusCode::SEE_OTHER,
                format!("/login?next={}", p.replace('/', "%2F")),
            )
        };
        for (id, author, member, admin_sees, visitor) in [
            ("mine", ok.clone(), gone.clone(), ok.clone(), signin("mine")),
            ("ours", ok.clone(), ok.clone(), ok.clone(), signin("ours")),
            ("open", ok.clone(), ok.clone(), ok.clone(), ok.clone()),
            (
                "nothing",
                gone.clone(),
                gone.clone(),
                gone.clone(),
                signin("nothing"),
            ),
        ] {
            let p = path_of(id);
            assert_eq!(status(&bob, &p).await, author, "the author on {p}");
            assert_eq!(status(&cleo, &p).await, member, "another member on {p}");
            assert_eq!(status(&admin, &p).await, admin_sees, "the admin on {p}");
            let got = status(&anon, &p).await;
            assert_eq!(got.0, visitor.0, "a visitor on {p}");
            if visitor.0 == StatusCode::SEE_OTHER {
                assert!(
                    got.1.starts_with("/login?next="),
                    "a visitor on {p}: {got:?}"
                );
            }
        }
    }
    // A visitor reads a public roadmap whole, with nothing of anyone's account, and is asked
    // to sign in to track progress; the page may be cached.
    let r = anon
        .get(format!("{}/r/open", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "public, max-age=60");
    let html = r.text().await.unwrap();
    assert!(html.contains("Sign in to track your progress") && html.contains("Release train"));
    assert!(!html.contains("name=\"csrf\"") && !html.contains("Sign out") && !html.contains("bob"));
    let r = anon
        .get(format!("{}/r/{EL}/t/define-core-values", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("to track your progress on this topic") && !html.contains("Your status"));
    // The visitor's page is kept in memory per version and theme: a new version shows at once,
    // and the dark theme is the dark page.
    let v2 = V1
        .replace("id: team", "id: open")
        .replace("Release train", "Release calendar");
    let r = bob_api
        .put(format!("{}/api/v1/roadmaps/open", app.base))
        .header("content-type", "text/markdown")
        .body(v2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = page(&anon, format!("{}/r/open", app.base)).await;
    assert!(html.contains("Release calendar") && !html.contains("Release train"));
    let dark = anon
        .get(format!("{}/r/open", app.base))
        .header("cookie", "leadmap_theme=dark")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dark.contains("data-theme=\"dark\""), "{}", &dark[..200]);
    assert!(!html.contains("data-theme=\"dark\""));
    // The welcome page lists what a visitor may read: the bundled and the public roadmaps.
    let welcome = page(&anon, format!("{}/", app.base)).await;
    assert!(welcome.contains("href=\"/r/open\"") && welcome.contains(&format!("href=\"/r/{EL}\"")));
    assert!(!welcome.contains("/r/mine") && !welcome.contains("/r/ours"));
    // Marking stays for accounts.
    let r = anon
        .post(format!("{}/r/open/t/one-on-ones", app.base))
        .header("origin", &app.base)
        .form(&[("status", "done")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/login"));
    // The author makes it private: the visitor is sent to sign in at once.
    let html = page(&bob, format!("{}/r/open/versions", app.base)).await;
    let r = bob
        .post(format!("{}/r/open/visibility", app.base))
        .form(&[("csrf", csrf_of(&html).as_str()), ("visibility", "private")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(status(&anon, "/r/open").await.0, StatusCode::SEE_OTHER);
    assert_eq!(status(&cleo, "/r/open").await.0, StatusCode::NOT_FOUND);
    // Cleo may not change it, nor edit it: 404 both.
    let html = page(&cleo, format!("{}/r/ours/versions", app.base)).await;
    let r = cleo
        .post(format!("{}/r/ours/visibility", app.base))
        .form(&[("csrf", csrf_of(&html).as_str()), ("visibility", "public")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(status(&cleo, "/r/ours/edit").await.0, StatusCode::NOT_FOUND);

    // serve --private: every roadmap, the bundled ones too, needs an account.
    let private = start_with(
        db,
        Config {
            private: true,
            ..Config::default()
        },
    )
    .await;
    let welcome = page(&anon, format!("{}/", private.base)).await;
    assert!(
        !welcome.contains("without an account"),
        "nothing is listed with --private"
    );
    for p in [
        format!("/r/{EL}"),
        "/r/ours".to_owned(),
        format!("/r/{EL}/t/define-core-values"),
    ] {
        let r = anon
            .get(format!("{}{p}", private.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{p}");
    }
}

/// Every roadmap route, for every visibility and every kind of caller: the author, another
/// member, an admin (each signed in, and with a token for the API) and a visitor without an
/// account. What one may not read answers like what does not exist; what one may not change
/// is 404 too (never 403), and nothing changes.
async fn every_roadmap_route_answers_by_visibility_and_caller(db: Arc<TestDb>) {
    let app = start(db).await;
    let admin = owner(&app).await;
    let bob = member(&app, "bob").await;
    let cleo = member(&app, "cleo").await;
    let anon = browser();
    let admin_api = api(&token(&app, &admin).await);
    let bob_api = api(&token(&app, &bob).await);
    let cleo_api = api(&token(&app, &cleo).await);
    for (id, vis) in [
        ("mine", "private"),
        ("ours", "signed-in"),
        ("open", "public"),
    ] {
        let body = V1.replace("id: team", &format!("id: {id}"));
        let r = publish_md(&bob_api, &app, &format!("{id}?visibility={vis}"), &body).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    // (name, browser, token client); the visitor has no token.
    let callers = [
        ("author", &bob, Some(&bob_api)),
        ("member", &cleo, Some(&cleo_api)),
        ("admin", &admin, Some(&admin_api)),
        ("visitor", &anon, None),
    ];
    let readable = |caller: &str, id: &str| match id {
        "mine" => caller == "author" || caller == "admin",
        "ours" => caller != "visitor",
        "open" => true,
        _ => false,
    };
    let editable =
        |caller: &str, id: &str| id != "nothing" && (caller == "author" || caller == "admin");
    let mut wrong = Vec::new();
    let mut table = String::new();
    for id in ["mine", "ours", "open", "nothing"] {
        for (caller, web, token) in &callers {
            // Pages: the roadmap and a topic are open to visitors (by visibility); the rest
            // need an account.
            for (path, public, edit) in [
                (format!("/r/{id}"), true, false),
                (format!("/r/{id}/t/one-on-ones"), true, false),
                (format!("/r/{id}/versions"), false, false),
                (format!("/r/{id}/versions/1"), false, false),
                (format!("/r/{id}/v/1.md"), false, false),
                (format!("/r/{id}/v/1.svg"), false, false),
                (format!("/r/{id}/edit"), false, true),
            ] {
                let r = web.get(format!("{}{path}", app.base)).send().await.unwrap();
                let got = r.status();
                let expect = if *caller == "visitor" && !(public && readable(caller, id)) {
                    StatusCode::SEE_OTHER
                } else if (edit && editable(caller, id)) || (!edit && readable(caller, id)) {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                };
                table.push_str(&format!("{id} {caller} GET {path}: {got}\n"));
                if got != expect {
                    wrong.push(format!("{caller} GET {path}: {got}, expected {expect}"));
                }
            }
            // The API, with a token.
            if let Some(t) = token {
                for path in [
                    format!("/api/v1/roadmaps/{id}"),
                    format!("/api/v1/roadmaps/{id}/versions"),
                    format!("/api/v1/roadmaps/{id}/diff?from=1&to=1"),
                    format!("/api/v1/me/progress/{id}"),
                ] {
                    let got = t
                        .get(format!("{}{path}", app.base))
                        .send()
                        .await
                        .unwrap()
                        .status();
                    let expect = if readable(caller, id) {
                        StatusCode::OK
                    } else {
                        StatusCode::NOT_FOUND
                    };
                    if got != expect {
                        wrong.push(format!("{caller} GET {path}: {got}, expected {expect}"));
                    }
                }
                // A publish by someone who may not: 404 (a new roadmap "nothing" would be
                // theirs to create, so it is left out here).
                if id != "nothing" && !editable(caller, id) {
                    let body = V2.replace("id: team", &format!("id: {id}"));
                    let got = publish_md(t, &app, id, &body).await.status();
                    if got != StatusCode::NOT_FOUND {
                        wrong.push(format!(
                            "{caller} PUT /api/v1/roadmaps/{id}: {got}, expected 404"
                        ));
                    }
                }
            }
            // Changes in the browser by someone who may not: 404 (a visitor: sign in first).
            if !editable(caller, id) {
                let csrf = if *caller == "visitor" {
                    String::new()
                } else {
                    csrf_of(&page(web, format!("{}/account", app.base)).await)
                };
                for (path, form) in [
                    (
                        format!("/r/{id}/visibility"),
                        vec![("visibility", "public")],
                    ),
                    (format!("/r/{id}/versions/1/restore"), vec![]),
                    (
                        format!("/r/{id}/edit"),
                        vec![("markdown", V2), ("action", "publish")],
                    ),
                ] {
                    let mut fields = form.clone();
                    fields.push(("csrf", csrf.as_str()));
                    let r = web
                        .post(format!("{}{path}", app.base))
                        .header("origin", &app.base)
                        .form(&fields)
                        .send()
                        .await
                        .unwrap();
                    let expect = if *caller == "visitor" {
                        StatusCode::SEE_OTHER
                    } else {
                        StatusCode::NOT_FOUND
                    };
                    if r.status() != expect {
                        wrong.push(format!(
                            "{caller} POST {path}: {}, expected {expect}",
                            r.status()
                        ));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}\n\nall:\n{table}", wrong.join("\n"));
    // Nothing changed: each roadmap still at version 1, with its visibility.
    for (id, vis) in [
        ("mine", "private"),
        ("ours", "signed-in"),
        ("open", "public"),
    ] {
        let r = app.store().roadmap_record(id).await.unwrap().unwrap();
        assert_eq!((r.version, r.visibility.as_str()), (1, vis), "{id}");
    }
}
