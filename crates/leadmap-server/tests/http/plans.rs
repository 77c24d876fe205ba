//! Target dates and evidence links: through the API, the panel's form and the export; bad
//! input refused with words and nothing stored.

use super::*;

both_backends!(
    due_soon_on_the_home_page_and_overdue_on_the_diagram,
    evidence_and_a_target_date_through_the_api_the_panel_and_the_export,
    bad_evidence_and_dates_are_refused_and_nothing_is_lost,
);

async fn evidence_and_a_target_date_through_the_api_the_panel_and_the_export(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    let t = topic(&app, 0);
    let r = api(&tok)
        .put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .json(&json!({
            "status": "learning",
            "due": "2027-03-31",
            "evidence": [{ "url": "https://example.com/pr/1", "label": "The <b>PR</b>" }],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["due"], "2027-03-31");
    assert_eq!(v["evidence"][0]["url"], "https://example.com/pr/1");
    // Without due and evidence, a PUT keeps them.
    let v: Value = api(&tok)
        .put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .json(&json!({ "status": "done" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["due"], "2027-03-31");
    assert_eq!(v["evidence"].as_array().unwrap().len(), 1);
    // The panel shows them: a plain link with rel="noopener noreferrer ugc", the label escaped.
    let html = page(&c, format!("{}/r/{EL}?topic={t}", app.base)).await;
    assert!(html.contains(
        "<a href=\"https://example.com/pr/1\" rel=\"noopener noreferrer ugc\">The &#60;b&#62;PR&#60;/b&#62;</a>"
    ) || html.contains("<a href=\"https://example.com/pr/1\" rel=\"noopener noreferrer ugc\">The &lt;b&gt;PR&lt;/b&gt;</a>"), "{html}");
    assert!(html.contains("name=\"due\" value=\"2027-03-31\""));
    // The panel's form adds a link and moves the date; another removes the first link.
    let csrf = csrf_of(&html);
    let r = c
        .post(format!("{}/r/{EL}/t/{t}/plan", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("due", "2027-06-30"),
            ("evidence_url", "http://talks.example/recording"),
            ("evidence_label", "My talk"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c
        .post(format!("{}/r/{EL}/t/{t}/plan", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("due", "2027-06-30"),
            ("remove", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page(&c, format!("{}/r/{EL}/t/{t}", app.base)).await;
    assert!(html.contains("name=\"due\" value=\"2027-06-30\""));
    assert!(html.contains(">My talk</a>"));
    assert!(!html.contains("example.com/pr/1"));
    // The export carries the plan.
    let export: Value = c
        .get(format!("{}/account/export", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        export["plans"],
        json!([{ "roadmap": EL, "topic": t, "due": "2027-06-30",
                 "evidence": [{ "url": "http://talks.example/recording", "label": "My talk" }] }])
    );
}

async fn bad_evidence_and_dates_are_refused_and_nothing_is_lost(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    let t = topic(&app, 0);
    let put = |body: Value| {
        let (tok, url) = (
            tok.clone(),
            format!("{}/api/v1/me/progress/{EL}/{t}", app.base),
        );
        async move { api(&tok).put(url).json(&body).send().await.unwrap() }
    };
    let r = put(json!({ "status": "done", "due": "2027-01-01",
                        "evidence": [{ "url": "https://ok.example" }] }))
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let long = format!("https://example.com/{}", "x".repeat(10_000));
    for (body, words) in [
        (
            json!({ "status": "learning", "evidence": [{ "url": "javascript:alert(1)" }] }),
            "must be an http:// or https:// URL",
        ),
        (
            json!({ "status": "learning", "evidence": [{ "url": long }] }),
            "at most 2000 characters",
        ),
        (
            json!({ "status": "learning", "due": "99999-01-01" }),
            "a year from 2000 to 2999",
        ),
        (
            json!({ "status": "learning", "due": 20270101 }),
            "the due date must be a string",
        ),
    ] {
        let r = put(body.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let v: Value = r.json().await.unwrap();
        assert!(v.to_string().contains(words), "{body}: {v}");
    }
    // Nothing of the refused bodies was stored: the status, date and link are as they were.
    let v: Value = put(json!({ "status": "done" })).await.json().await.unwrap();
    assert_eq!(v["due"], "2027-01-01");
    assert_eq!(v["evidence"][0]["url"], "https://ok.example");
    let rec: Value = api(&tok)
        .get(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rec["status"], "done");
    // The panel's form says the same, and keeps what was stored.
    let html = page(&c, format!("{}/r/{EL}/t/{t}", app.base)).await;
    let r = c
        .post(format!("{}/r/{EL}/t/{t}/plan", app.base))
        .form(&[
            ("csrf", csrf_of(&html).as_str()),
            ("due", "2027-01-01"),
            ("evidence_url", "javascript:alert(1)"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("must be an http:// or https:// URL")
    );
}

async fn due_soon_on_the_home_page_and_overdue_on_the_diagram(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    let (late, soon, later, finished) = (
        topic(&app, 1),
        topic(&app, 2),
        topic(&app, 3),
        topic(&app, 4),
    );
    let in_a_week = leadmap_app::activity::day_date(
        leadmap_app::activity::day_of(leadmap_app::time::now_ms()) + 7,
    );
    for (t, status, due) in [
        (&late, "learning", "2001-01-01"),
        (&soon, "pending", in_a_week.as_str()),
        (&later, "pending", "2999-12-31"),
        (&finished, "done", "2001-01-01"),
    ] {
        let r = api(&tok)
            .put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
            .json(&json!({ "status": status, "due": due }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let home = page(&c, format!("{}/", app.base)).await;
    assert!(
        home.contains("<h2 id=\"due-soon-h\">Due soon</h2>"),
        "{home}"
    );
    assert!(home.contains(&format!("topic={late}#panel")));
    assert!(home.contains("<span class=\"overdue-word\">overdue</span> since 2001-01-01"));
    assert!(home.contains(&format!("by {in_a_week}")));
    assert!(
        !home.contains(&format!("topic={later}#panel")),
        "far off is not soon"
    );
    assert!(
        !home.contains(&format!("topic={finished}#panel")),
        "a finished topic is not due"
    );
    let map = page(&c, format!("{}/r/{EL}", app.base)).await;
    assert!(
        map.contains(&format!("<g class=\"learning overdue\" data-id=\"{late}\""))
            || map.contains(&format!("class=\"learning overdue\" data-id=\"{late}\"")),
        "the node is marked"
    );
    assert!(
        map.contains(", learning, overdue</title>"),
        "and its name says so"
    );
    assert!(map.contains("1 topic overdue."));
    assert!(!map.contains(&format!("class=\"done overdue\" data-id=\"{finished}\"")));
}
