//! Your activity: the history written by marking, read on /activity, through the API and in
//! the account export; bad filters answered with words.

use super::*;

both_backends!(
    marking_shows_on_the_activity_page_the_api_and_the_export,
    bad_filters_are_answered_clearly,
    a_long_history_pages_without_loss,
);

async fn marking_shows_on_the_activity_page_the_api_and_the_export(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    let api = api(&tok);
    let (t0, t1) = (topic(&app, 0), topic(&app, 1));
    for (t, status) in [(&t0, "learning"), (&t1, "done")] {
        let r = api
            .put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
            .json(&json!({ "status": status }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let html = page(&c, format!("{}/activity", app.base)).await;
    assert!(html.contains("<h1>Your activity</h1>"));
    assert!(html.contains("2 status changes on 1 day."), "{html}");
    assert!(html.contains("class=\"heat\""));
    assert!(html.contains("<caption>Status changes by month</caption>"));
    assert!(html.contains("Percent done over time"));
    assert!(
        html.contains("1 % today"),
        "one finished topic of the roadmap shows"
    );
    assert!(html.contains(&format!("href=\"/r/{EL}?topic={t1}#panel\"")));
    assert!(html.contains(
        "<span class=\"st st-pending\">pending</span> → <span class=\"st st-done\">done</span>"
    ));
    // The filter by status leaves the one change to done.
    let done = page(&c, format!("{}/activity?status=done", app.base)).await;
    assert!(done.contains(&format!("topic={t1}#panel")));
    assert!(!done.contains(&format!("topic={t0}#panel")));
    // The API lists them, the newest first.
    let v: Value = api
        .get(format!("{}/api/v1/me/history", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["topic"], t1.as_str());
    assert_eq!(changes[0]["from"], "pending");
    assert_eq!(changes[0]["to"], "done");
    assert!(v["next"].is_null());
    // The export carries the history.
    let export: Value = c
        .get(format!("{}/account/export", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(export["history"].as_array().unwrap().len(), 2);
    assert_eq!(export["history"][1]["to"], "learning");
}

async fn bad_filters_are_answered_clearly(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    for (q, words) in [
        (
            "from=99999-01-01",
            "use YYYY-MM-DD, a year from 2000 to 2999",
        ),
        ("status=finished", "unknown status"),
        ("roadmap=nope", "no roadmap"),
        ("before=x", "not a page cursor"),
    ] {
        let r = c
            .get(format!("{}/activity?{q}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(r.text().await.unwrap().contains(words), "{q}");
        let r = api(&tok)
            .get(format!("{}/api/v1/me/history?{q}", app.base))
            .send()
            .await
            .unwrap();
        // The API answers an unknown roadmap as it does everywhere: 404 (the page says so
        // beside its filters).
        let expected = if q.starts_with("roadmap=") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(r.status(), expected, "{q}");
        if expected == StatusCode::NOT_FOUND {
            continue;
        }
        let v: Value = r.json().await.unwrap();
        assert!(
            v["error"].as_str().unwrap_or_default().contains(words)
                || v.to_string().contains(words),
            "{q}: {v}"
        );
    }
}

/// 2,000 changes (stored straight through the store, an hour apart): the page shows the
/// newest 50 and a link to the next; following `next` through the API reaches every change
/// exactly once.
async fn a_long_history_pages_without_loss(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    let me = app.store().users().await.unwrap()[0].id;
    let topics = app.state.catalog().get(EL).unwrap().topics.clone();
    let now = leadmap_app::time::now_ms();
    let records: Vec<_> = (0..2_000usize)
        .map(|i| leadmap_store::Progress {
            roadmap: EL.into(),
            topic: topics[i % topics.len()].clone(),
            status: leadmap_store::Status::ALL[1 + (i / topics.len()) % 3],
            note: String::new(),
            updated_at: now - (2_000 - i as i64) * 3_600_000,
        })
        .collect();
    app.store().import_progress(me, &records).await.unwrap();
    let stored = app.store().history_len(me).await.unwrap();
    let html = page(&c, format!("{}/activity", app.base)).await;
    assert_eq!(html.matches("<tr><td>").count(), 50);
    assert!(html.contains("rel=\"next\""));
    let mut seen = std::collections::HashSet::new();
    let mut next = String::new();
    loop {
        let v: Value = api(&tok)
            .get(format!(
                "{}/api/v1/me/history?limit=300&before={next}",
                app.base
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for ch in v["changes"].as_array().unwrap() {
            assert!(seen.insert(ch["id"].as_i64().unwrap()), "a change twice");
        }
        match v["next"].as_str() {
            Some(n) => next = n.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, stored);
    assert!(stored >= 1_900, "{stored}");
}
