//! Practice assessments as their people meet them: a manager rates their team on the sheet
//! (forms, and JSON for the page's script), publishes, and the next one starts as a copy;
//! members read only what is published; the organisation view counts teams; the comparison,
//! the report (page, Markdown, PDF), the files and the pictures; bad input gets a clear answer
//! and nothing stored is lost; and the role × route matrix of `docs/security.md`.

use leadmap_store::{Assessed, Level, NewAssessment, Rating, RatingChange};

use super::teams::{team_id, world};
use super::*;

both_backends!(
    a_manager_rates_publishes_and_starts_the_next_and_members_read_only_published,
    the_organisation_view_counts_the_teams_a_person_may_read,
    bad_assessment_input_gets_a_clear_answer_and_nothing_is_lost,
    a_custom_roadmap_shows_its_level_criteria_and_a_dropped_practice_is_kept_not_copied,
);

const PLAYBOOK_V1: &str = "---\nid: playbook\n---\n# Team playbook\n\n## Delivery\n\n\
- Decision records {#decision-records}\n\n  Established:\n\n  Every decision that is hard to \
reverse has a short record.\n\n  Levels:\n\n  * Absent: Decisions live in chat threads.\n  \
* Defined: A template and a rule for when a record is due are written down.\n\n\
- Release trains {#release-train}\n";

const PLAYBOOK_V2: &str = "---\nid: playbook\n---\n# Team playbook\n\n## Delivery\n\n\
- Decision records {#decision-records}\n- Feature flags {#feature-flags}\n";

async fn submit(
    app: &App,
    c: &reqwest::Client,
    page_path: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = page(c, format!("{}{page_path}", app.base)).await;
    let csrf = csrf_of(&html);
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(format!("{}{action}", app.base))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn status(c: &reqwest::Client, url: String) -> StatusCode {
    c.get(url).send().await.unwrap().status()
}

/// The id at the end of a redirect to `/assessments/{id}`.
fn id_of(location: &str) -> i64 {
    location
        .trim_start_matches("/assessments/")
        .split(['?', '#', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("an assessment's address: {location}"))
}

/// Starts an assessment on the list page's form; its id.
async fn start_on_page(app: &App, c: &reqwest::Client, of: &str, title: &str) -> i64 {
    let r = submit(
        app,
        c,
        "/assessments",
        "/assessments",
        &[
            ("of", of),
            ("roadmap", EL),
            ("title", title),
            ("on", "2027-03-31"),
        ],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    id_of(&location(&r))
}

/// The text of the practice's level tag on the sheet.
fn level_on_sheet(html: &str, topic: &str) -> String {
    let i = html
        .find(&format!("id=\"p-{topic}\""))
        .unwrap_or_else(|| panic!("the practice {topic} on the sheet"));
    let rest = &html[i..];
    let j = rest.find("class=\"level-tag\">").unwrap() + 18;
    rest[j..j + rest[j..].find('<').unwrap()].to_owned()
}

async fn a_manager_rates_publishes_and_starts_the_next_and_members_read_only_published(
    db: Arc<TestDb>,
) {
    let app = start(db).await;
    let w = world(&app).await;
    let (t0, t1) = (topic(&app, 0), topic(&app, 1));
    let q1 = start_on_page(&app, &w.mia, "web", "Q1 2027").await;
    let sheet_path = format!("/assessments/{q1}");
    let sheet = page(&w.mia, format!("{}{sheet_path}", app.base)).await;
    assert!(sheet.contains("Web: Q1 2027"));
    assert!(sheet.contains("0 of 112 practices rated"), "{sheet}");
    assert_eq!(level_on_sheet(&sheet, &t0), "Not rated");
    assert!(
        sheet.contains("The bar: what \"established\" looks like"),
        "the criteria to reach are shown beside the rating"
    );

    // A form post without script: back to the practice, rated.
    let r = submit(
        &app,
        &w.mia,
        &sheet_path,
        &format!("/assessments/{q1}/practices/{t0}"),
        &[
            ("level", "defined"),
            ("rationale", "Written down; half the teams use it."),
            (
                "evidence",
                "https://wiki.example.com/one\nhttps://wiki.example.com/two",
            ),
            ("owner", "bobwise"),
            ("next_step", "Review it with every team"),
            ("due", "2027-06-30"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/assessments/{q1}?saved=1#p-{t0}"));
    let sheet = page(&w.mia, format!("{}{sheet_path}", app.base)).await;
    assert_eq!(level_on_sheet(&sheet, &t0), "Defined");
    assert!(sheet.contains("https://wiki.example.com/two"));
    // The page's script: JSON back, the level alone changes and the rest is kept.
    let csrf = csrf_of(&sheet);
    let r = w
        .mia
        .post(format!("{}/assessments/{q1}/practices/{t1}", app.base))
        .header("accept", "application/json")
        .form(&[("csrf", csrf.as_str()), ("level", "ad-hoc")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let j: Value = r.json().await.unwrap();
    assert_eq!(j["label"], "Ad hoc");

    // A draft is its editors' alone.
    assert_eq!(
        status(&w.bob, format!("{}{sheet_path}", app.base)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(&w.dan, format!("{}{sheet_path}", app.base)).await,
        StatusCode::NOT_FOUND
    );
    assert!(
        !page(&w.bob, format!("{}/assessments", app.base))
            .await
            .contains("Q1 2027")
    );
    // The manager of the department above edits it too.
    assert_eq!(
        status(&w.carol, format!("{}{sheet_path}", app.base)).await,
        StatusCode::OK
    );

    let r = submit(
        &app,
        &w.mia,
        &sheet_path,
        &format!("/assessments/{q1}/publish"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Published: the team's members read it, without a form; another team still cannot.
    let read = page(&w.bob, format!("{}{sheet_path}", app.base)).await;
    assert_eq!(level_on_sheet(&read, &t0), "Defined");
    assert!(
        !read.contains("/practices/"),
        "a reader gets no rating form"
    );
    assert_eq!(
        status(&w.dan, format!("{}{sheet_path}", app.base)).await,
        StatusCode::NOT_FOUND
    );
    // And it never changes again: the API says why.
    let mia_api = api(&token(&app, &w.mia).await);
    let r = mia_api
        .put(format!(
            "{}/api/v1/assessments/{q1}/practices/{t0}",
            app.base
        ))
        .json(&json!({"level": "improving"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("published"));

    // The next one starts as a copy of the last.
    let q2 = start_on_page(&app, &w.mia, "web", "Q2 2027").await;
    let sheet2 = page(&w.mia, format!("{}/assessments/{q2}", app.base)).await;
    assert_eq!(level_on_sheet(&sheet2, &t0), "Defined");
    assert_eq!(level_on_sheet(&sheet2, &t1), "Ad hoc");
    let r = mia_api
        .put(format!("{}/api/v1/assessments/{q2}/practices/{t0}", app.base))
        .json(&json!({"level": "practised", "evidence": ["https://wiki.example.com/one", "https://wiki.example.com/three"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let j: Value = r.json().await.unwrap();
    assert_eq!(
        j["owner"], "bobwise",
        "what the change did not name is kept"
    );
    mia_api
        .put(format!(
            "{}/api/v1/assessments/{q2}/practices/{t1}",
            app.base
        ))
        .json(&json!({"level": "absent"}))
        .send()
        .await
        .unwrap();

    // Compared: what rose, what fell, the evidence that changed.
    let cmp = page(
        &w.mia,
        format!("{}/assessments/compare?from={q1}&to={q2}", app.base),
    )
    .await;
    assert!(cmp.contains("1 rose, 1 fell, 0 new"), "{cmp}");
    assert!(cmp.contains("added <a href=\"https://wiki.example.com/three\""));
    assert!(cmp.contains("removed https://wiki.example.com/two"));
    let j: Value = mia_api
        .get(format!(
            "{}/api/v1/assessments/compare?from={q1}&to={q2}",
            app.base
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let moves: Vec<&str> = j["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["movement"].as_str().unwrap())
        .collect();
    assert_eq!(moves, ["rose", "fell"]);

    // The report: the page, Markdown and a real PDF; the next step with its owner and date.
    let report = page(&w.mia, format!("{}/assessments/{q2}/report", app.base)).await;
    // Every picture with its numbers as a table: the levels' area table, the others' own.
    assert_eq!(
        report.matches("<svg").count(),
        report.matches("The numbers as a table").count() + 1,
        "{report}"
    );
    assert!(
        report.matches("<svg").count() >= 3,
        "levels, ranked, compare at least"
    );
    for words in [
        "Open next steps",
        "Review it with every team",
        "2027-06-30",
        "Practices that fell",
    ] {
        assert!(report.contains(words), "{words}");
    }
    let md = page(&w.mia, format!("{}/assessments/{q2}/report.md", app.base)).await;
    assert!(md.starts_with("# Web: Q2 2027"), "{md}");
    let pdf = w
        .mia
        .get(format!("{}/assessments/{q2}/report.pdf", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(
        bytes.windows(10).any(|w| w == b"/FontFile2"),
        "the font is embedded"
    );
    for (name, magic) in [
        ("levels.svg", &b"<svg"[..]),
        ("ranked.png", &b"\x89PNG"[..]),
        ("compare.pdf", &b"%PDF"[..]),
    ] {
        let r = w
            .mia
            .get(format!("{}/assessments/{q2}/pictures/{name}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{name}");
        assert!(r.bytes().await.unwrap().starts_with(magic), "{name}");
    }

    // The files, and every write kept; an export reads back in.
    let exported = page(&w.mia, format!("{}/assessments/{q1}/export.json", app.base)).await;
    let r = mia_api
        .post(format!("{}/api/v1/assessments/{q2}/import", app.base))
        .body(exported)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let back: Value = mia_api
        .get(format!("{}/api/v1/assessments/{q2}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        back["practices"][0]["level"], "defined",
        "Q1's level read back into Q2"
    );
    for (topic, level) in [(&t0, "practised"), (&t1, "absent")] {
        mia_api
            .put(format!("{}/api/v1/assessments/{q2}/practices/{topic}", app.base))
            .json(&json!({"level": level, "evidence": ["https://wiki.example.com/one", "https://wiki.example.com/three"]}))
            .send()
            .await
            .unwrap();
    }
    let csv = page(&w.mia, format!("{}/assessments/{q2}/export.csv", app.base)).await;
    assert!(csv.starts_with("practice,area,title,level,rationale,evidence,owner,next step,due\n"));
    assert!(csv.contains(&format!("{t0},")));
    assert_eq!(csv.lines().count(), 113);
    let history: Value = mia_api
        .get(format!("{}/api/v1/assessments/{q1}/history", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[0]["by"], "mia");
}

async fn the_organisation_view_counts_the_teams_a_person_may_read(db: Arc<TestDb>) {
    let app = start(db).await;
    let w = world(&app).await;
    let (web, ops) = (team_id(&app, "web").await, team_id(&app, "ops").await);
    let t0 = topic(&app, 0);
    let s = app.store();
    // Published assessments of both teams and of the organisation, through the store.
    for (assessed, title, level) in [
        (Assessed::Team(web), "Web Q1", Level::Practised),
        (Assessed::Team(ops), "Ops Q1", Level::Practised),
        (Assessed::Organisation, "Org Q1", Level::AdHoc),
        (Assessed::Organisation, "Org Q2", Level::Defined),
    ] {
        let a = s
            .create_assessment(
                &NewAssessment {
                    assessed,
                    roadmap: EL,
                    roadmap_version: 0,
                    title,
                    assessed_on: 20_000,
                    created_by: None,
                    copy_from: None,
                },
                0,
            )
            .await
            .unwrap();
        let change = RatingChange {
            rating: Some(Rating::Level(level)),
            ..RatingChange::default()
        };
        s.rate(a.id, &t0, &change, None, 0).await.unwrap();
        s.publish_assessment(a.id, 0).await.unwrap();
    }
    let url = format!("{}/assessments/overview/{EL}", app.base);
    let admin = page(&w.ana, url.clone()).await;
    assert!(
        admin.contains("latest published assessment of 2 teams"),
        "{admin}"
    );
    assert!(admin.contains("Teams by practice"), "the heat strip");
    assert!(
        admin.contains("The organisation&#x27;s index over its assessments")
            || admin.contains("The organisation's index over its assessments")
    );
    // Bob reads the organisation's and his own team's: one team counted, never ops.
    let bob = page(&w.bob, url.clone()).await;
    assert!(
        bob.contains("latest published assessment of 1 team "),
        "{bob}"
    );
    assert!(!bob.contains("Ops Q1"));
    // The API's numbers: the practice at "practised" in two teams for the admin.
    let j: Value = api(&token(&app, &w.ana).await)
        .get(format!("{}/api/v1/assessments/overview/{EL}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let p = &j["practices"][0];
    assert_eq!(p["topic"], t0.as_str());
    assert_eq!(p["organisation"], "defined", "the latest published one");
    assert_eq!(p["teams"], json!([0, 0, 0, 2, 0]));
    // The pictures as files.
    for (file, magic) in [
        ("teams.svg", &b"<svg"[..]),
        ("index.png", &b"\x89PNG"[..]),
        ("teams.pdf", &b"%PDF"[..]),
    ] {
        let r = w.ana.get(format!("{url}/{file}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{file}");
        assert!(r.bytes().await.unwrap().starts_with(magic), "{file}");
    }
    assert_eq!(
        status(&w.ana, format!("{url}/nothing.svg")).await,
        StatusCode::NOT_FOUND
    );
    // Everyone signed in reads the organisation's published assessment.
    let list = page(&w.dan, format!("{}/assessments", app.base)).await;
    assert!(list.contains("Org Q2") && !list.contains("Web Q1"));
}

async fn bad_assessment_input_gets_a_clear_answer_and_nothing_is_lost(db: Arc<TestDb>) {
    let app = start(db).await;
    let w = world(&app).await;
    let t0 = topic(&app, 0);
    let mia = api(&token(&app, &w.mia).await);
    let bob = api(&token(&app, &w.bob).await);
    let r = mia
        .post(format!("{}/api/v1/assessments", app.base))
        .json(&json!({"of": "web", "roadmap": EL, "title": "Q1 2027"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let put = |body: Value, topic: String| {
        let url = format!("{}/api/v1/assessments/{id}/practices/{topic}", app.base);
        let c = mia.clone();
        async move { c.put(url).json(&body).send().await.unwrap() }
    };
    let r = put(
        json!({"level": "defined", "evidence": ["https://a.example/x"]}),
        t0.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    for (body, words) in [
        (
            json!({"level": "excellent"}),
            "is not a level: use absent, ad hoc",
        ),
        (json!({"level": "6"}), "is not a level"),
        (
            json!({"evidence": ["javascript:alert(1)"]}),
            "http:// or https://",
        ),
        (json!({"evidence": ["not a link"]}), "http:// or https://"),
        (json!({"owner": "nobody-here"}), "no person named"),
        // dan is in ops: a manager of web cannot name him, nor learn that he exists.
        (json!({"owner": "dan"}), "no person named"),
        (json!({"due": "next week"}), "not a date"),
        (json!({"rationale": "x".repeat(4_001)}), "at most 4000"),
        (json!({"colour": "red"}), "unknown field"),
    ] {
        let r = put(body.clone(), t0.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let text = r.text().await.unwrap();
        assert!(text.contains(words), "{body}: {text}");
    }
    // A practice the roadmap does not have.
    let r = put(json!({"level": "defined"}), "no-such-practice".into()).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Starting one for a team one does not manage, or with no title.
    let r = bob
        .post(format!("{}/api/v1/assessments", app.base))
        .json(&json!({"of": "web", "roadmap": EL, "title": "Mine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = mia
        .post(format!("{}/api/v1/assessments", app.base))
        .json(&json!({"of": "web", "roadmap": EL, "title": "  "}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Files: the wrong columns, a bad row among good ones, a file far too long.
    let import = |body: String| {
        let url = format!("{}/api/v1/assessments/{id}/import", app.base);
        let c = mia.clone();
        async move { c.post(url).body(body).send().await.unwrap() }
    };
    let r = import("topic,score\nx,5\n".into()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("unknown column \\\"score\\\"") || text.contains("unknown column"),
        "{text}"
    );
    let r = import(format!("practice,level\n{t0},improving\nno-such,defined\n")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("line 3"));
    let mut huge = String::from("practice,level\n");
    for _ in 0..100_000 {
        huge.push_str(&t0);
        huge.push_str(",defined\n");
    }
    let r = import(huge).await;
    assert!(
        r.status() == StatusCode::UNPROCESSABLE_ENTITY
            || r.status() == StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        r.status()
    );
    let r = mia
        .post(format!("{}/api/v1/assessments/{id}/import", app.base))
        .body(vec![b'j', 0xff, b'\n'])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("not UTF-8"));
    let r = import("{\"practices\": 7}".into()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing of it was stored: the rating is what the one good write made it.
    let j: Value = mia
        .get(format!("{}/api/v1/assessments/{id}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(j["practices"].as_array().unwrap().len(), 1);
    assert_eq!(j["practices"][0]["level"], "defined");
    assert_eq!(
        j["practices"][0]["evidence"],
        json!(["https://a.example/x"])
    );
    // A good file in, by title and by id, in any case of the level.
    let titled = app.state.catalog().get(EL).unwrap().areas[0].topics[1]
        .title
        .clone();
    let r = import(format!(
        "Level,Practice,Owner\nPractised,{t0},mia\nad hoc,\"{titled}\",\n"
    ))
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    // Two managers at once: the last write wins, both are in the history.
    let (a, b) = tokio::join!(
        put(json!({"level": "absent"}), t0.clone()),
        put(json!({"level": "improving"}), t0.clone())
    );
    assert_eq!((a.status(), b.status()), (StatusCode::OK, StatusCode::OK));
    let history: Value = mia
        .get(format!("{}/api/v1/assessments/{id}/history", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let levels: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["practice"] == t0.as_str())
        .map(|w| w["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels.len(), 4, "{levels:?}");
    let now: Value = mia
        .get(format!("{}/api/v1/assessments/{id}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now["practices"][0]["level"], *levels.last().unwrap());
    // An id that is no assessment, and a page's form on the browser side.
    assert_eq!(
        status(&w.mia, format!("{}/assessments/999999", app.base)).await,
        StatusCode::NOT_FOUND
    );
    let r = submit(
        &app,
        &w.mia,
        &format!("/assessments/{id}"),
        &format!("/assessments/{id}/practices/{t0}"),
        &[("level", "seven")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("is not a level"));
}

/// The role × assessment-route matrix of `docs/security.md` (see there).
#[tokio::test]
async fn the_assessment_matrix_in_docs_security_md_is_what_the_routes_answer() {
    const ROLES: [&str; 6] = [
        "Anonymous",
        "Member",
        "Member of another team",
        "Manager",
        "Manager of the parent team",
        "Admin",
    ];
    const KINDS: [&str; 4] = ["web draft", "web published", "org draft", "org published"];
    let rows: Vec<(&str, &str)> = access::ACCESS
        .iter()
        .filter(|(_, p, _)| p.starts_with("/assessments") || p.starts_with("/api/v1/assessments"))
        .map(|(m, p, _)| (*m, *p))
        .collect();
    // Per kind where the route names an assessment (the comparison takes it twice).
    let per_kind = |p: &str| p.contains("{id}") || p.ends_with("/compare");
    let rank = |(m, p): &(&str, &str)| match (*m, *p) {
        (_, p) if p.ends_with("/delete") => 4,
        ("DELETE", "/api/v1/assessments/{id}") => 4,
        (_, p) if p.ends_with("/publish") => 3,
        ("DELETE", _) => 2,
        _ => 0,
    };
    let mut order = rows.clone();
    order.sort_by_key(rank);
    let mut cells: std::collections::HashMap<(usize, &str, &str, usize), String> =
        std::collections::HashMap::new();
    for (r, role) in ROLES.iter().enumerate() {
        let db = Arc::new(leadmap_store::testing::sqlite().await);
        let app = start(db).await;
        let w = world(&app).await;
        let web = team_id(&app, "web").await;
        let t0 = topic(&app, 0);
        let s = app.store();
        let make = |assessed: Assessed, publish: bool| {
            let t0 = t0.clone();
            async move {
                let a = s
                    .create_assessment(
                        &NewAssessment {
                            assessed,
                            roadmap: EL,
                            roadmap_version: 0,
                            title: "Q1",
                            assessed_on: 20_000,
                            created_by: None,
                            copy_from: None,
                        },
                        0,
                    )
                    .await
                    .unwrap();
                let change = RatingChange {
                    rating: Some(Rating::Level(Level::Defined)),
                    ..RatingChange::default()
                };
                s.rate(a.id, &t0, &change, None, 0).await.unwrap();
                if publish {
                    s.publish_assessment(a.id, 0).await.unwrap();
                }
                a.id
            }
        };
        let owners = [
            (Assessed::Team(web), false),
            (Assessed::Team(web), true),
            (Assessed::Organisation, false),
            (Assessed::Organisation, true),
        ];
        let mut ids = Vec::new();
        for (assessed, publish) in owners {
            ids.push(make(assessed, publish).await);
        }
        let anonymous = browser();
        let session = match r {
            0 => &anonymous,
            1 => &w.bob,
            2 => &w.dan,
            3 => &w.mia,
            4 => &w.carol,
            _ => &w.ana,
        };
        let (csrf, api_client) = if r == 0 {
            (String::new(), reqwest::Client::new())
        } else {
            let html = page(session, format!("{}/account", app.base)).await;
            (csrf_of(&html), api(&token(&app, session).await))
        };
        for (method, path) in &order {
            let kinds: Vec<usize> = if per_kind(path) {
                (0..4).collect()
            } else {
                vec![0]
            };
            for k in kinds {
                let id = ids[k].to_string();
                let mut url = format!(
                    "{}{}",
                    app.base,
                    path.replace("{id}", &id)
                        .replace("{roadmap}", EL)
                        .replace("{topic}", &t0)
                        .replace(
                            "{file}",
                            if path.contains("/pictures/") {
                                "levels.svg"
                            } else if path.contains("overview") {
                                "teams.svg"
                            } else {
                                "report.md"
                            }
                        )
                );
                if path.ends_with("/compare") {
                    url.push_str(&format!("?from={id}&to={id}"));
                }
                let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
                let req = if path.starts_with("/api/") {
                    let req = api_client.request(m, &url);
                    match (*method, *path) {
                        ("POST", "/api/v1/assessments") => {
                            req.json(&json!({"of": "web", "roadmap": EL, "title": ""}))
                        }
                        ("PUT", _) => req.json(&json!({"level": "no-such-level"})),
                        ("POST", p) if p.ends_with("/import") => req.body("no,such,columns\n"),
                        _ => req,
                    }
                } else if *method == "GET" {
                    session.get(&url)
                } else {
                    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
                    form.extend_from_slice(match *path {
                        "/assessments" => &[("of", "web"), ("roadmap", EL), ("title", "")],
                        p if p.ends_with("/practices/{topic}") => &[("level", "no-such-level")],
                        p if p.ends_with("/import") => &[("data", "no,such,columns\n")],
                        _ => &[],
                    });
                    session.request(m, &url).form(&form)
                };
                let res = req.send().await.unwrap();
                let cell = match res.status() {
                    StatusCode::SEE_OTHER if location(&res).starts_with("/login?next=") => {
                        "sign-in redirect"
                    }
                    StatusCode::UNAUTHORIZED => "401",
                    StatusCode::NOT_FOUND => "404",
                    StatusCode::FORBIDDEN => "403",
                    st if st.is_server_error() => {
                        panic!("{role} {method} {path} ({}): {st}", KINDS[k])
                    }
                    _ => "allowed",
                };
                cells.insert((r, method, path, k), cell.to_owned());
                // A draft a request published or deleted is made again.
                for (i, (assessed, publish)) in owners.iter().enumerate() {
                    let now = s.assessment(ids[i]).await.unwrap();
                    let changed = match &now {
                        None => true,
                        Some(a) => {
                            (a.state == leadmap_store::AssessmentState::Published) != *publish
                        }
                    };
                    if changed {
                        ids[i] = make(*assessed, *publish).await;
                    }
                }
            }
        }
    }
    let mut table = String::from("| Method | Assessment route | Of |");
    for role in ROLES {
        table.push_str(&format!(" {role} |"));
    }
    table.push_str("\n| --- | --- | --- |");
    table.push_str(&" --- |".repeat(ROLES.len()));
    table.push('\n');
    for (method, path) in &rows {
        let kinds: Vec<usize> = if per_kind(path) {
            (0..4).collect()
        } else {
            vec![0]
        };
        for k in kinds {
            let of = if per_kind(path) { KINDS[k] } else { "–" };
            table.push_str(&format!("| {method} | `{path}` | {of} |"));
            for (r, role) in ROLES.iter().enumerate() {
                let cell = &cells[&(r, *method, *path, k)];
                assert_ne!(cell, "403", "{role} {method} {path} {of}: never 403");
                if r == 0 {
                    assert!(
                        cell == "sign-in redirect" || cell == "401",
                        "{method} {path}: anonymous got {cell}"
                    );
                }
                if r == 2 && per_kind(path) && k < 2 {
                    assert_eq!(cell, "404", "another team's member: {method} {path} {of}");
                }
                if r == 1 && per_kind(path) && (k == 0 || k == 2) {
                    assert_eq!(
                        cell, "404",
                        "a member never sees a draft: {method} {path} {of}"
                    );
                }
                table.push_str(&format!(" {cell} |"));
            }
            table.push('\n');
        }
    }
    access::doc_table("| Method | Assessment route | Of |", &table);
}

async fn a_custom_roadmap_shows_its_level_criteria_and_a_dropped_practice_is_kept_not_copied(
    db: Arc<TestDb>,
) {
    let app = start(db).await;
    let ana = owner(&app).await;
    let ana_api = api(&token(&app, &ana).await);
    let publish = |body: &'static str| {
        let c = ana_api.clone();
        let url = format!("{}/api/v1/roadmaps/playbook?visibility=signed-in", app.base);
        async move {
            c.put(url)
                .header("content-type", "text/markdown")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    assert!(publish(PLAYBOOK_V1).await.status().is_success());
    let r = ana_api
        .post(format!("{}/api/v1/assessments", app.base))
        .json(&json!({"roadmap": "playbook", "title": "Q1 2027"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let q1: Value = r.json().await.unwrap();
    assert_eq!(q1["of"], "organisation");
    assert_eq!(q1["roadmap_version"], 1);
    let q1 = q1["id"].as_i64().unwrap();
    // The author's criteria per level, beside the rating.
    let sheet = page(&ana, format!("{}/assessments/{q1}", app.base)).await;
    assert!(sheet.contains("What each level looks like"));
    assert!(sheet.contains("Decisions live in chat threads."));
    assert!(sheet.contains("Every decision that is hard to reverse has a short record."));
    for (topic, level) in [
        ("decision-records", "defined"),
        ("release-train", "practised"),
    ] {
        let r = ana_api
            .put(format!(
                "{}/api/v1/assessments/{q1}/practices/{topic}",
                app.base
            ))
            .json(&json!({"level": level}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    ana_api
        .post(format!("{}/api/v1/assessments/{q1}/publish", app.base))
        .send()
        .await
        .unwrap();
    // Version 2 drops release trains: the published rating of it is kept and shown as such.
    assert!(publish(PLAYBOOK_V2).await.status().is_success());
    let sheet = page(&ana, format!("{}/assessments/{q1}", app.base)).await;
    assert!(sheet.contains("Ratings of practices the roadmap no longer has"));
    assert!(sheet.contains("release-train (Practised)"));
    // The next assessment copies what the roadmap still has, and refuses the dropped one.
    let q2: Value = ana_api
        .post(format!("{}/api/v1/assessments", app.base))
        .json(&json!({"roadmap": "playbook", "title": "Q2 2027"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(q2["roadmap_version"], 2);
    let practices: Vec<&str> = q2["practices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["practice"].as_str().unwrap())
        .collect();
    assert_eq!(practices, ["decision-records"]);
    let r = ana_api
        .put(format!(
            "{}/api/v1/assessments/{}/practices/release-train",
            app.base, q2["id"]
        ))
        .json(&json!({"level": "improving"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
