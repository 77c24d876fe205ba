use super::*;

both_backends!(first_run_creates_the_owner_once,);

async fn first_run_creates_the_owner_once(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = browser();
    let home = page(&c, format!("{}/", app.base)).await;
    assert!(
        home.contains("First run: create the owner account"),
        "{home}"
    );
    // A wrong token is refused.
    let r = c
        .get(format!("{}/setup?token=nope", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A weak password is refused with a message, and nothing is created.
    let token = app.state.setup_path().unwrap();
    let token = token.split("token=").nth(1).unwrap().to_owned();
    let r = c
        .post(format!("{}/setup", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "ana"),
            ("password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("at least 12 characters"));
    // A name with a space, a display name too long and a short password: every problem at
    // once, as a list, and what was typed is kept.
    let long = "M".repeat(81);
    let r = c
        .post(format!("{}/setup", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "Maria Manager"),
            ("display_name", long.as_str()),
            ("password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("Please correct these 3 things"), "{body}");
    assert!(
        body.contains("<li>A user name is letters, digits"),
        "{body}"
    );
    assert!(
        body.contains("<li>A display name has at most 80 characters"),
        "{body}"
    );
    assert!(body.contains("at least 12 characters"), "{body}");
    assert!(body.contains(r#"value="Maria Manager""#), "{body}");
    let r = c
        .post(format!("{}/setup", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "ana"),
            ("password", "password1234"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("too easy to guess"));
    assert_eq!(app.store().user_count().await.unwrap(), 0);

    // The user name and the display name, each in its own field.
    let r = c
        .post(format!("{}/setup", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "ana"),
            ("display_name", " Ana Admin "),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let user = app.store().credentials("ana").await.unwrap().unwrap().user;
    assert_eq!(user.display_name.as_deref(), Some("Ana Admin"));
    let home = page(&c, format!("{}/", app.base)).await;
    assert!(home.contains("Signed in as Ana Admin."), "{home}");
    assert!(home.contains(r#"<a href="/account">Account</a>"#), "{home}");
    assert!(home.contains("/r/engineering-leadership"));
    assert!(home.contains("/r/engineering-manager"));
    let me = app.store().credentials("ana").await.unwrap().unwrap();
    assert!(me.user.is_admin, "the first user is the admin");
    assert!(me.password_hash.starts_with("$argon2id$"));
    // The link works once.
    assert!(app.state.setup_path().is_none());
    let r = browser()
        .post(format!("{}/setup", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "eve"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.store().user_count().await.unwrap(), 1);
}
