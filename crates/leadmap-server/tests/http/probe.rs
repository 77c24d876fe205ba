//! What an outside probe of the app found (issue 13), each finding with the test that would
//! have caught it. The sign-in race and lockouts are in `session.rs`.

use super::*;

both_backends!(
    text_with_nul_is_refused_with_422_on_both_backends,
    the_current_password_prompts_count_with_the_sign_in_failures,
    the_api_says_what_its_document_says,
);

/// Finding 4: `next` may only lead to a path on our own origin; finding 9: a control character
/// in it never turns into a 500 after the action happened.
#[tokio::test]
async fn next_never_leads_off_the_site_nor_fails_after_acting() {
    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let app = start(db).await;
    let c = owner(&app).await;
    for bad in [
        "/%09/evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\/evil.example",
        "/%2f/evil.example",
        "/%5Cevil.example",
        "https://evil.example/",
        "/%0a",
        "/%00",
    ] {
        // Signed in, the sign-in page sends on to `next`.
        let r = c
            .get(format!("{}/login", app.base))
            .query(&[("next", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{bad:?}");
        assert_eq!(location(&r), "/", "GET /login next={bad:?}");
        // Signing in, the theme and a mark all go back to `next`.
        let r = browser()
            .post(format!("{}/login", app.base))
            .form(&[("name", "ana"), ("password", PASSWORD), ("next", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/", "POST /login next={bad:?}");
        let r = c
            .post(format!("{}/theme", app.base))
            .form(&[("theme", "dark"), ("next", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/", "POST /theme next={bad:?}");
    }
    let html = page(&c, format!("{}/r/{EL}", app.base)).await;
    let t = topic(&app, 0);
    let r = c
        .post(format!("{}/r/{EL}/t/{t}", app.base))
        .form(&[
            ("csrf", csrf_of(&html).as_str()),
            ("status", "done"),
            ("next", "/r/x\n"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/");
    // A good `next` is kept.
    let r = c
        .get(format!("{}/login", app.base))
        .query(&[("next", "/r/engineering-manager?topic=x#panel")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/r/engineering-manager?topic=x#panel");
}

/// Finding 7: a NUL character in a note, a token name or a sign-in name answers 422 (or, for
/// the sign-in, the usual refusal), never a 500, on both backends.
async fn text_with_nul_is_refused_with_422_on_both_backends(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let a = api(&token(&app, &c).await);
    let t = topic(&app, 0);
    let r = a
        .put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .json(&json!({"status": "done", "note": "a\u{0}b"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"].as_str().unwrap().contains("NUL"), "{v}");
    let account = page(&c, format!("{}/account", app.base)).await;
    // The account page's forms post/redirect/get: the refusal is said on the page.
    let r = c
        .post(format!("{}/account/tokens", app.base))
        .form(&[("csrf", csrf_of(&account).as_str()), ("name", "a\u{0}b")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let shown = page(&c, format!("{}/account", app.base)).await;
    assert!(shown.contains("Give the token a name"), "{shown}");
    let tokens = app.store().tokens(leadmap_store::UserId(1)).await.unwrap();
    assert_eq!(tokens.len(), 1, "only the token made before");
    let r = browser()
        .post(format!("{}/login", app.base))
        .form(&[("name", "an\u{0}a"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = page(&c, format!("{}/r/{EL}", app.base)).await;
    let r = c
        .post(format!("{}/r/{EL}/t/{t}", app.base))
        .form(&[("csrf", csrf_of(&html).as_str()), ("note", "x\u{0}")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.store()
            .all_progress(leadmap_store::UserId(1))
            .await
            .unwrap()
            .is_empty()
    );
}

/// Finding 8: a stolen session gives no unlimited guessing of the current password.
async fn the_current_password_prompts_count_with_the_sign_in_failures(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let account = page(&c, format!("{}/account", app.base)).await;
    let csrf = csrf_of(&account);
    let base = app.base.clone();
    let delete = |password: &'static str| {
        let c = c.clone();
        let base = base.clone();
        let url = format!("{}/account/delete", app.base);
        let csrf = csrf.clone();
        async move {
            let r = c
                .post(url)
                .form(&[("csrf", csrf.as_str()), ("password", password)])
                .send()
                .await
                .unwrap();
            let s = r.status();
            // Post/redirect/get: the answer is said on the account page.
            let r = c.get(format!("{base}/account")).send().await.unwrap();
            (s, r.text().await.unwrap())
        }
    };
    for _ in 0..leadmap_server::access::throttle::PER_ACCOUNT_AND_ADDRESS {
        let (s, body) = delete("not my password at all").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(body.contains("the account is kept"), "{body}");
    }
    // Now even the right password is refused, and the account is kept.
    let (s, body) = delete(PASSWORD).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(body.contains("Too many wrong passwords"), "{body}");
    assert_eq!(app.store().user_count().await.unwrap(), 1);
    let r = c
        .post(format!("{}/account/password", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", PASSWORD),
            ("new", "an entirely new passphrase 9"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        page(&c, format!("{}/account", app.base))
            .await
            .contains("Too many wrong passwords"),
        "the password form shares the limit"
    );
}

/// Finding 10: the API answers as its document says: JSON errors (401 too), 413 for a body
/// over the limit, only the documented status words, a note that is a string, the bearer
/// scheme in any case.
async fn the_api_says_what_its_document_says(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    let a = api(&tok);
    let t = topic(&app, 0);
    let url = format!("{}/api/v1/me/progress/{EL}/{t}", app.base);
    let r = reqwest::Client::new()
        .get(format!("{}/api/v1/me/progress/{EL}", app.base))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["content-type"], "application/json");
    let v: Value = r.json().await.unwrap();
    assert!(v["error"].as_str().unwrap().contains("token"), "{v}");
    let r = reqwest::get(format!("{}/api/v1/nowhere", app.base))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.json::<Value>().await.unwrap()["error"].is_string());
    for (body, why) in [
        (json!({"status": " DONE "}), "status words are exact"),
        (json!({"status": "Done"}), "status words are lower case"),
        (
            json!({"status": "done", "note": null}),
            "a note is a string",
        ),
        (json!({"status": "done", "extra": 1}), "no other fields"),
    ] {
        let r = a.put(&url).json(&body).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
        assert!(
            r.json::<Value>().await.unwrap()["error"].is_string(),
            "{why}"
        );
    }
    let big = format!(r#"{{"status": "done", "note": "{}"}}"#, "x".repeat(3 << 20));
    let r = a
        .put(&url)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.json::<Value>().await.unwrap()["error"].is_string());
    let r = reqwest::Client::new()
        .put(&url)
        .header("authorization", format!("bearer {tok}"))
        .json(&json!({"status": "done"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the scheme is case-insensitive");
}

/// Finding 10: the OpenAPI document is valid: every path parameter is declared, every
/// reference resolves, and every route of the API is in it.
#[test]
fn the_openapi_document_is_consistent_with_the_routes() {
    let doc: Value = serde_json::from_str(leadmap_server::features::site::OPENAPI).unwrap();
    let resolve = |r: &str| -> Value {
        let mut v = &doc;
        for part in r.trim_start_matches("#/").split('/') {
            v = &v[part];
        }
        assert!(!v.is_null(), "unresolved reference {r}");
        v.clone()
    };
    // Every $ref anywhere resolves.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in &all {
        resolve(r);
    }
    let paths = doc["paths"].as_object().unwrap();
    for (path, ops) in paths {
        let in_path: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        for (method, op) in ops.as_object().unwrap() {
            let declared: Vec<String> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| match p.get("$ref") {
                            Some(Value::String(r)) => resolve(r),
                            _ => p.clone(),
                        })
                        .filter(|p| p["in"] == "path")
                        .map(|p| p["name"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            for name in &in_path {
                assert!(
                    declared.iter().any(|d| d == name),
                    "{method} {path}: path parameter {name} is not declared"
                );
            }
            assert_eq!(declared.len(), in_path.len(), "{method} {path}");
        }
    }
    // Every API route is documented, with its method.
    for r in leadmap_server::route_table() {
        if r.path.starts_with("/api/v1/") {
            let m = r.method.as_str().to_lowercase();
            assert!(
                paths.get(r.path).and_then(|p| p.get(&m)).is_some(),
                "{} {} is not in openapi.json",
                r.method,
                r.path
            );
        }
    }
}
