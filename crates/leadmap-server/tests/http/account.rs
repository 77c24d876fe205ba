use super::*;

both_backends!(
    account_page_changes_password_revokes_sessions_exports_and_deletes,
    a_new_token_is_shown_once_and_a_reload_makes_no_second,
    the_last_admin_cannot_delete_their_account_while_others_exist,
);

/// The owner, the only admin, cannot delete the account while another account exists: the
/// page says why and what to do, and nothing is deleted.
async fn the_last_admin_cannot_delete_their_account_while_others_exist(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    member(&app, "bob").await;
    let account = page(&c, format!("{}/account", app.base)).await;
    let r = c
        .post(format!("{}/account/delete", app.base))
        .form(&[("csrf", csrf_of(&account).as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/account");
    let said = page(&c, format!("{}/account", app.base)).await;
    assert!(said.contains("you are the last admin"), "{said}");
    assert_eq!(app.store().user_count().await.unwrap(), 2);
}

/// Creating a token redirects to the account page, which shows it once; reloading that page
/// neither shows it again nor creates another.
async fn a_new_token_is_shown_once_and_a_reload_makes_no_second(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let first = token(&app, &c).await;
    assert_eq!(first.len(), 67);
    let reload = page(&c, format!("{}/account", app.base)).await;
    assert!(!reload.contains(&first), "the token is shown once");
    assert!(!reload.contains("new-token"));
    assert_eq!(
        reload.matches("/account/tokens/").count(),
        1,
        "one token, one revoke form"
    );
    // A bad name comes back as an error on the page, after a redirect too.
    let csrf = csrf_of(&reload);
    let r = c
        .post(format!("{}/account/tokens", app.base))
        .form(&[("csrf", csrf.as_str()), ("name", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/account");
    let said = page(&c, format!("{}/account", app.base)).await;
    assert!(said.contains("Give the token a name"), "{said}");
}

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
    // Post/redirect/get: the account page says why, once; a reload shows the page alone.
    assert_eq!(location(&r), "/account");
    let said = page(&c, format!("{}/account", app.base)).await;
    assert!(
        said.contains("The current password is not right."),
        "{said}"
    );
    let again = page(&c, format!("{}/account", app.base)).await;
    assert!(!again.contains("The current password is not right."));
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
    assert_eq!(location(&r), "/account");
    let said = page(&c, format!("{}/account", app.base)).await;
    assert!(said.contains("The password is not right; the account is kept."));
    let r = c
        .post(format!("{}/account/delete", app.base))
        .form(&[("csrf", csrf.as_str()), ("password", new_password)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/login?deleted=1");
    let said = page(&c, format!("{}/login?deleted=1", app.base)).await;
    assert!(said.contains("Your account is deleted"), "{said}");
    assert_eq!(app.store().user_count().await.unwrap(), 0);
    let r = c.get(format!("{}/account", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}
