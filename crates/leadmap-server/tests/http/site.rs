use super::*;

both_backends!(two_servers_on_one_database_share_sessions_and_progress,);

#[tokio::test]
async fn health_and_static_assets() {
    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let app = start(db).await;
    let r = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = reqwest::get(format!("{}/readyz", app.base)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("x-request-id"));
    assert_eq!(r.text().await.unwrap(), "ready\n");
    let home = reqwest::get(format!("{}/", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let i = home.find("/static/app.js?v=").unwrap();
    let href = &home[i..i + home[i..].find('"').unwrap()];
    let r = reqwest::get(format!("{}{href}", app.base)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/javascript");
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let js = r.text().await.unwrap();
    let defined = js.find("function leadmapPanZoom(");
    let used = js.find("= leadmapPanZoom(");
    assert!(
        matches!((defined, used), (Some(d), Some(u)) if d < u),
        "app.js carries the shared pan and zoom in front of the app's own script"
    );
    let r = reqwest::Client::new()
        .get(format!("{}{href}", app.base))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    let css = reqwest::get(format!("{}/static/map.css", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(css.contains("[data-theme=dark] .map"));
    let r = reqwest::get(format!("{}/static/app.css", app.base))
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/css");
    assert!(r.headers()["etag"].to_str().unwrap().len() > 2);
    assert!(r.text().await.unwrap().contains("#view"));
    let r = reqwest::get(format!("{}/nowhere", app.base)).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let about = reqwest::get(format!("{}/about", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(about.contains("Kamran Ahmed") && about.contains("Bazaar"));
    assert!(about.contains(&format!("Version {}.", env!("CARGO_PKG_VERSION"))));
    assert!(about.contains("href=\"/api/openapi.json\""));
    let tpl = reqwest::get(format!("{}/templates/adr.md", app.base))
        .await
        .unwrap();
    assert_eq!(tpl.status(), StatusCode::OK);
    assert!(
        tpl.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("adr.md")
    );
}

async fn two_servers_on_one_database_share_sessions_and_progress(db: Arc<TestDb>) {
    let one = start(db.clone()).await;
    let two = start(db).await;
    let c = owner(&one).await;
    // The session cookie made by server one opens pages on server two.
    let cookie = {
        let r = browser()
            .post(format!("{}/login", one.base))
            .form(&[("name", "ana"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let v = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        v.split(';').next().unwrap().to_owned()
    };
    let r = browser()
        .get(format!("{}/r/{EL}", two.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // A write through one is read through two.
    let a = api(&token(&one, &c).await);
    let t = topic(&one, 5);
    a.put(format!("{}/api/v1/me/progress/{EL}/{t}", one.base))
        .json(&json!({"status": "skipped"}))
        .send()
        .await
        .unwrap();
    let p: Value = a
        .get(format!("{}/api/v1/me/progress/{EL}", two.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p["topics"][&t]["status"], "skipped");
}

/// An error page keeps the person's theme and, when they are signed in, the site's
/// navigation: on a public route (a reused set-up link), an unknown path and a signed-in page.
#[tokio::test]
async fn error_pages_keep_the_theme_and_the_navigation() {
    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let app = start(db).await;
    let c = owner(&app).await;
    c.post(format!("{}/theme", app.base))
        .form(&[("theme", "dark"), ("next", "/")])
        .send()
        .await
        .unwrap();
    for (path, status) in [
        ("/setup?token=reused", StatusCode::FORBIDDEN),
        ("/nowhere", StatusCode::NOT_FOUND),
        ("/r/no-such-roadmap", StatusCode::NOT_FOUND),
    ] {
        let r = c.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(r.status(), status, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains("data-theme=\"dark\""), "{path}: the theme");
        assert!(
            html.contains("Sign out"),
            "{path}: the navigation of a signed-in person"
        );
    }
    let r = browser()
        .get(format!("{}/nowhere", app.base))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(!html.contains("Sign out"));
    // The page says it once, in words: a heading and a sentence, not "Not Found" then
    // "not found".
    assert!(html.contains("<h1>Page not found</h1>"), "{html}");
    assert!(html.contains("There is nothing at this address"), "{html}");
    assert!(!html.to_lowercase().contains(">not found<"), "{html}");
}
