use super::*;

both_backends!(
    a_topic_is_marked_with_a_plain_form_and_shown_on_the_page,
    the_api_reads_and_writes_progress_with_a_token,
    the_api_rejects_bad_input_with_clear_messages,
    fifty_concurrent_writers_all_succeed,
    reset_clears_an_area_after_confirmation,
);

async fn a_topic_is_marked_with_a_plain_form_and_shown_on_the_page(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let t = topic(&app, 0);
    let html = page(&c, format!("{}/r/{EL}?topic={t}", app.base)).await;
    assert!(html.contains("class=\"panel\""), "the panel is on the page");
    assert!(html.contains("<svg"), "the diagram is on the page");
    // Without JavaScript each topic of the diagram is a link to its panel page, and the
    // controls that need the script are marked so (hidden until it runs).
    assert!(
        html.contains(&format!(
            "<a class=\"pending\" data-id=\"{t}\" data-kind=\"topic\" href=\"?topic={t}#panel\""
        )),
        "topics are links"
    );
    assert!(html.contains("<div class=\"tools js-only\">"));
    let csrf = csrf_of(&html);
    let r = c
        .post(format!("{}/r/{EL}/t/{t}", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "done"),
            ("note", "Read the chapter <b>twice</b>"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/r/{EL}?topic={t}#panel"));
    let html = page(&c, format!("{}/r/{EL}?topic={t}", app.base)).await;
    assert!(html.contains(&format!("class=\"done\" data-id=\"{t}\"")));
    assert!(html.contains("value=\"done\" class=\"st-done\" aria-pressed=\"true\""));
    // The note comes back escaped, never as markup.
    assert!(
        html.contains("Read the chapter &#60;b&#62;twice&#60;/b&#62;")
            || html.contains("Read the chapter &lt;b&gt;twice&lt;/b&gt;"),
        "note escaped"
    );
    assert!(!html.contains("<b>twice</b>"));
    // The home page counts it.
    let home = page(&c, format!("{}/", app.base)).await;
    assert!(home.contains("1 done"), "{home}");
    // JavaScript asks for JSON and gets the new counts.
    let r = c
        .post(format!("{}/r/{EL}/t/{}", app.base, topic(&app, 1)))
        .header("accept", "application/json")
        .header("x-csrf-token", &csrf)
        .form(&[("status", "learning")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "learning");
    assert_eq!(v["summary"]["done"], 1);
    assert_eq!(v["summary"]["learning"], 1);
    assert!(v["area"]["summary"]["learning"].as_u64().is_some());
}

async fn the_api_reads_and_writes_progress_with_a_token(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    assert!(tok.starts_with("lm_"));
    let a = api(&tok);
    let list: Value = a
        .get(format!("{}/api/v1/roadmaps", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["id"], EL);
    assert_eq!(list[0]["topics"], 112);
    let rm: Value = a
        .get(format!("{}/api/v1/roadmaps/{EL}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rm["id"], EL);
    let t = topic(&app, 3);
    let r = a
        .put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .json(&json!({"status": "done", "note": "Ran the first retro"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let rec: Value = r.json().await.unwrap();
    assert_eq!(rec["status"], "done");
    assert_eq!(rec["note"], "Ran the first retro");
    assert!(rec["updated_at"].as_str().unwrap().ends_with('Z'));
    // Without a note, the stored note is kept.
    a.put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .json(&json!({"status": "learning"}))
        .send()
        .await
        .unwrap();
    let p: Value = a
        .get(format!("{}/api/v1/me/progress/{EL}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p["summary"]["learning"], 1);
    assert_eq!(p["summary"]["pending"], 111);
    assert_eq!(p["summary"]["percent"], 0);
    assert_eq!(p["topics"][&t]["note"], "Ran the first retro");
    // The page shows what the API wrote.
    let html = page(&c, format!("{}/r/{EL}", app.base)).await;
    assert!(html.contains(&format!("class=\"learning\" data-id=\"{t}\"")));
    // No token, a wrong token: 401.
    let r = reqwest::get(format!("{}/api/v1/me/progress/{EL}", app.base))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = api("lm_nope")
        .get(format!("{}/api/v1/roadmaps", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The OpenAPI document describes the routes.
    let doc: Value = reqwest::get(format!("{}/api/openapi.json", app.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/me/progress/{roadmap}/{topic}"]["put"].is_object());
}

async fn the_api_rejects_bad_input_with_clear_messages(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let a = api(&token(&app, &c).await);
    let t = topic(&app, 0);
    let put = |path: String, body: String| {
        let a = a.clone();
        async move {
            let r = a
                .put(path)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let s = r.status();
            let v: Value = r.json().await.unwrap();
            (s, v["error"].as_str().unwrap_or_default().to_owned())
        }
    };
    let ok = format!("{}/api/v1/me/progress/{EL}/{t}", app.base);
    let (s, e) = put(ok.clone(), r#"{"status": "finished"}"#.into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("unknown status \"finished\""), "{e}");
    let (s, e) = put(ok.clone(), "{not json".into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("must be JSON"), "{e}");
    let (s, e) = put(ok.clone(), r#"{"note": "x"}"#.into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("status"), "{e}");
    let (s, e) = put(
        ok.clone(),
        format!(r#"{{"status": "done", "note": "{}"}}"#, "x".repeat(10_001)),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("at most 10000"), "{e}");
    let (s, _) = put(
        format!("{}/api/v1/me/progress/no-such-roadmap/{t}", app.base),
        r#"{"status": "done"}"#.into(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = put(
        format!("{}/api/v1/me/progress/{EL}/no-such-topic", app.base),
        r#"{"status": "done"}"#.into(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        app.store()
            .all_progress(leadmap_store::UserId(1))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn fifty_concurrent_writers_all_succeed(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    let topics = app.state.catalog().get(EL).unwrap().topics.clone();
    let mut tasks = Vec::new();
    for w in 0..50 {
        let a = api(&tok);
        let base = app.base.clone();
        let topics = topics.clone();
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..20 {
                let t = &topics[(w * 7 + i) % topics.len()];
                let status = ["done", "learning", "skipped"][i % 3];
                let r = a
                    .put(format!("{base}/api/v1/me/progress/{EL}/{t}"))
                    .json(&json!({
                        "status": status,
                        "note": format!("writer {w} update {i}"),
                    }))
                    .send()
                    .await
                    .unwrap();
                let s = r.status();
                let body = r.text().await.unwrap();
                statuses.push((s, body));
            }
            statuses
        }));
    }
    let mut n = 0;
    for t in tasks {
        for (s, body) in t.await.unwrap() {
            assert_eq!(s, StatusCode::OK, "{body}");
            assert!(!body.contains("locked"));
            n += 1;
        }
    }
    assert_eq!(n, 1000);
    let stored = app
        .store()
        .progress(leadmap_store::UserId(1), EL)
        .await
        .unwrap();
    assert!(stored.len() > 100, "{}", stored.len());
    assert!(app.store().integrity_check().await.unwrap().is_empty());
}

async fn reset_clears_an_area_after_confirmation(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let entry = app.state.catalog().get(EL).unwrap();
    let area = &entry.areas[0];
    let other = entry.areas[1].topics[0].id.clone();
    let html = page(&c, format!("{}/r/{EL}", app.base)).await;
    let csrf = csrf_of(&html);
    for t in area.topic_ids().chain([&other]) {
        c.post(format!("{}/r/{EL}/t/{t}", app.base))
            .form(&[("csrf", csrf.as_str()), ("status", "done")])
            .send()
            .await
            .unwrap();
    }
    let confirm = page(&c, format!("{}/r/{EL}/reset?area={}", app.base, area.id)).await;
    assert!(confirm.contains("Reset progress?"));
    assert!(confirm.contains(&area.title));
    assert!(confirm.contains(&format!("({} marked)", area.topics.len())));
    let r = c
        .post(format!("{}/r/{EL}/reset", app.base))
        .form(&[("csrf", csrf.as_str()), ("area", area.id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), format!("/r/{EL}?reset={}", area.id));
    let after = page(&c, format!("{}{}", app.base, location(&r))).await;
    assert!(
        after.contains(&format!("Your progress on {} is reset.", area.title)),
        "the roadmap says what was reset"
    );
    let left = app
        .store()
        .progress(leadmap_store::UserId(1), EL)
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].topic, other);
}
