use super::*;

both_backends!(account_page_changes_password_revokes_sessions_exports_and_deletes,);

async fn account_page_changes_password_revokes_sessions_exports_and_deletes(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    // A second session of the same person.
    let other = browser();
    other
        .post(format!("{}/login", app.base))
        .form(&[("name", "ana"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let account = page(&c, format!("{}/account", app.base)).await;
    assert_eq!(
        account.matches("/revoke\">").count(),
        2,
        "two sessions listed"
    );
    let csrf = csrf_of(&account);
    let new_password = "a different long passphrase 7";
    let r = c
        .post(format!("{}/account/password", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", "wrong one, surely"),
            ("new", new_password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(format!("{}/account/password", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", PASSWORD),
            ("new", new_password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/account?done=password");
    // The other session is signed out; this one is kept.
    let r = other
        .get(format!("{}/account", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    page(&c, format!("{}/account", app.base)).await;
    // Export holds the progress.
    let t = topic(&app, 2);
    c.post(format!("{}/r/{EL}/t/{t}", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "done"),
            ("note", "exported"),
        ])
        .send()
        .await
        .unwrap();
    let r = c
        .get(format!("{}/account/export", app.base))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["user"]["name"], "ana");
    assert_eq!(v["progress"][0]["topics"][&t]["note"], "exported");
    // Deleting needs the password; then everything is gone.
    let r = c
        .post(format!("{}/account/delete", app.base))
        .form(&[("csrf", csrf.as_str()), ("password", "not my password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(format!("{}/account/delete", app.base))
        .form(&[("csrf", csrf.as_str()), ("password", new_password)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.store().user_count().await.unwrap(), 0);
    let r = c.get(format!("{}/account", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}
