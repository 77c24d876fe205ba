//! Share links: made on the roadmap's share page or through the API, read without an account,
//! nothing else reachable; a guessed, revoked or expired token is 404 at once; the badge.

use super::*;

both_backends!(
    a_share_link_shows_the_progress_read_only_until_revoked,
    the_api_makes_lists_and_revokes_links_and_the_badge_caches,
    bad_tokens_and_a_deleted_account_answer_404,
);

fn token_of(html: &str) -> String {
    let i = html.find("/s/").expect("a link on the page") + 3;
    html[i..i + 32].to_owned()
}

async fn a_share_link_shows_the_progress_read_only_until_revoked(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let t = topic(&app, 0);
    let html = page(&c, format!("{}/r/{EL}?topic={t}", app.base)).await;
    let csrf = csrf_of(&html);
    c.post(format!("{}/r/{EL}/t/{t}", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "done"),
            ("note", "private thoughts"),
        ])
        .send()
        .await
        .unwrap();
    let made = c
        .post(format!("{}/r/{EL}/share", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("label", "for my manager"),
            ("shown_name", "Ada L."),
            ("expires_in_days", "30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::OK);
    let made = made.text().await.unwrap();
    assert!(made.contains("Your new link."));
    assert!(made.contains("/badge.svg)]("), "a Markdown snippet");
    let token = token_of(&made);
    // Anyone: the statuses, the name chosen, no notes, no account.
    let anon = reqwest::Client::new();
    let r = anon
        .get(format!("{}/s/{token}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let shared = r.text().await.unwrap();
    assert!(
        shared.contains("Ada L.&#39;s progress") || shared.contains("Ada L.'s progress"),
        "{shared}"
    );
    assert!(shared.contains("1 done"));
    assert!(
        !shared.contains("private thoughts"),
        "notes hidden unless allowed"
    );
    assert!(
        !shared.contains("href=\"/account\""),
        "nothing of the account"
    );
    // The page is drawn once per progress state: a change shows on the next view, and each
    // theme gets its own page.
    let t2 = topic(&app, 1);
    c.post(format!("{}/r/{EL}/t/{t2}", app.base))
        .form(&[("csrf", csrf.as_str()), ("status", "done")])
        .send()
        .await
        .unwrap();
    let shared = page(&anon, format!("{}/s/{token}", app.base)).await;
    assert!(shared.contains("2 done"), "the change shows at once");
    assert!(shared.contains("data-theme=\"system\""));
    let dark = anon
        .get(format!("{}/s/{token}", app.base))
        .header("cookie", "leadmap_theme=dark")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dark.contains("data-theme=\"dark\"") && dark.contains("2 done"));
    let shared = page(&anon, format!("{}/s/{token}", app.base)).await;
    assert!(
        shared.contains("data-theme=\"system\""),
        "not the dark page"
    );
    // Listed on the share page; revoked: 404 at once, the page and the badge.
    let list = page(&c, format!("{}/r/{EL}/share", app.base)).await;
    assert!(list.contains("for my manager"));
    let i = list.find(&format!("/r/{EL}/share/")).unwrap();
    let rest = &list[i + EL.len() + 10..];
    let id: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let r = c
        .post(format!("{}/r/{EL}/share/{id}/revoke", app.base))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for path in [format!("/s/{token}"), format!("/s/{token}/badge.svg")] {
        let r = anon
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // A link that shows notes shows them.
    let made = c
        .post(format!("{}/r/{EL}/share", app.base))
        .form(&[("csrf", csrf.as_str()), ("show_notes", "1")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let shared = page(&anon, format!("{}/s/{}", app.base, token_of(&made))).await;
    assert!(shared.contains("private thoughts"));
    // Bad input on the form: words, nothing made.
    let r = c
        .post(format!("{}/r/{EL}/share", app.base))
        .form(&[("csrf", csrf.as_str()), ("expires_in_days", "99999")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_api_makes_lists_and_revokes_links_and_the_badge_caches(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let tok = token(&app, &c).await;
    let r = api(&tok)
        .post(format!("{}/api/v1/me/shares", app.base))
        .json(&json!({ "roadmap": EL, "label": "profile", "show_notes": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let made: Value = r.json().await.unwrap();
    let path = made["path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/s/") && path.len() == 35, "{path}");
    let list: Value = api(&tok)
        .get(format!("{}/api/v1/me/shares", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["label"], "profile");
    assert!(list[0].get("path").is_none(), "the token is shown once");
    // The badge: SVG, cacheable, an ETag, 304 when unchanged.
    let anon = reqwest::Client::new();
    let r = anon
        .get(format!("{}{path}/badge.svg", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert_eq!(r.headers()["cache-control"], "public, max-age=300");
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let svg = r.text().await.unwrap();
    assert!(svg.contains("0 % done") && svg.len() < 1_000, "{svg}");
    let r = anon
        .get(format!("{}{path}/badge.svg", app.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    // The link preview: OpenGraph tags on the page, a 1200×630 PNG, the same bytes again.
    let shared = page(&anon, format!("{}{path}", app.base)).await;
    assert!(
        shared.contains(&format!(
            "<meta property=\"og:image\" content=\"{}{path}/og.png\">",
            app.base
        )),
        "{shared}"
    );
    let png = anon
        .get(format!("{}{path}/og.png", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(png.status(), StatusCode::OK);
    assert_eq!(png.headers()["content-type"], "image/png");
    let png = png.bytes().await.unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!((w, h), (1200, 630));
    let again = anon
        .get(format!("{}{path}/og.png", app.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(again, png);
    // Revoked through the API; a second revoke and someone else's id are 404.
    let id = made["id"].as_i64().unwrap();
    let r = api(&tok)
        .delete(format!("{}/api/v1/me/shares/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = api(&tok)
        .delete(format!("{}/api/v1/me/shares/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["content-type"], "application/json");
    let r = anon
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Bad bodies: JSON errors.
    for body in [
        json!({ "roadmap": EL, "expires_in_days": 0 }),
        json!({ "label": "x" }),
    ] {
        let r = api(&tok)
            .post(format!("{}/api/v1/me/shares", app.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
}

async fn bad_tokens_and_a_deleted_account_answer_404(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let bob = member(&app, "bob").await;
    let bob_tok = token(&app, &bob).await;
    let made: Value = api(&bob_tok)
        .post(format!("{}/api/v1/me/shares", app.base))
        .json(&json!({ "roadmap": EL }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let path = made["path"].as_str().unwrap().to_owned();
    let anon = reqwest::Client::new();
    assert_eq!(
        anon.get(format!("{}{path}/badge.svg", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    for guess in [
        "0123456789abcdef0123456789abcdef",
        "x",
        "..%2F..%2Faccount",
        &"f".repeat(5_000),
    ] {
        for suffix in ["", "/badge.svg", "/og.png"] {
            let r = anon
                .get(format!("{}/s/{guess}{suffix}", app.base))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{guess}{suffix}");
        }
    }
    // The owner cannot revoke bob's link (404, not 403).
    let owner_tok = token(&app, &c).await;
    let r = api(&owner_tok)
        .delete(format!("{}/api/v1/me/shares/{}", app.base, made["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Bob's account goes: his badge and page answer 404.
    let bob_id = app
        .store()
        .credentials("bob")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    assert!(app.store().delete_user(bob_id).await.unwrap());
    for suffix in ["", "/badge.svg"] {
        let r = anon
            .get(format!("{}{path}{suffix}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}
