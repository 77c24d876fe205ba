use super::*;

both_backends!(
    sign_in_fails_alike_for_unknown_user_and_wrong_password_and_is_throttled,
    the_sign_in_limit_holds_under_concurrent_guesses,
);

/// A sign-in attempt from `from` (the address a trusted proxy reports): status, page, and
/// the Retry-After header.
async fn attempt(
    app: &App,
    from: &str,
    name: &str,
    password: &str,
) -> (StatusCode, String, String) {
    let r = browser()
        .post(format!("{}/login", app.base))
        .header("x-forwarded-for", from)
        .form(&[("name", name), ("password", password)])
        .send()
        .await
        .unwrap();
    let status = r.status();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, r.text().await.unwrap(), retry)
}

/// The app behind a proxy on 127.0.0.1 that this test plays: `X-Forwarded-For` names the
/// client, so one test can sign in from many addresses.
async fn behind_proxy(db: Arc<TestDb>) -> App {
    let config = Config {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Config::default()
    };
    start_with(db, config).await
}

async fn sign_in_fails_alike_for_unknown_user_and_wrong_password_and_is_throttled(db: Arc<TestDb>) {
    let app = behind_proxy(db).await;
    owner(&app).await;
    let a = "198.51.100.1";
    let (s1, unknown, _) = attempt(&app, a, "nobody", "wrong password here").await;
    let (s2, wrong, _) = attempt(&app, a, "ana", "wrong password here").await;
    assert_eq!(s1, StatusCode::UNAUTHORIZED);
    assert_eq!(s1, s2);
    let msg = "That name and password do not match an account.";
    assert!(unknown.contains(msg) && wrong.contains(msg));
    // Ten failures from one address lock that address out of the account for a while, even
    // with the right password; the answer says how long to wait.
    for _ in 0..9 {
        attempt(&app, a, "ana", "wrong password here").await;
    }
    let (s, body, retry) = attempt(&app, a, "ana", PASSWORD).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("Too many failed attempts"), "{body}");
    let retry: u64 = retry.parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // The owner, from their own address, is not locked out by someone else's failures.
    let (s, _, _) = attempt(&app, "203.0.113.7", "ana", PASSWORD).await;
    assert_eq!(
        s,
        StatusCode::SEE_OTHER,
        "the owner signs in from another address"
    );
    // A name of a megabyte is one more failure, stored as a fixed-size key: nothing grows.
    let (s, _, _) = attempt(
        &app,
        "192.0.2.9",
        &"x".repeat(1 << 20),
        "wrong password here",
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // The page needs a session: without one it sends to the sign-in page.
    let r = browser()
        .get(format!("{}/account", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login?next=/account");
}

/// The limit holds under concurrency: of 100 wrong guesses sent at once from one address,
/// exactly as many are checked as the limit allows; the right password sent after them is
/// refused too, without being checked.
async fn the_sign_in_limit_holds_under_concurrent_guesses(db: Arc<TestDb>) {
    let app = behind_proxy(db).await;
    owner(&app).await;
    let from = "198.51.100.2";
    let guesses = (0..100).map(|_| attempt(&app, from, "ana", "wrong password here"));
    let answers = futures_util::future::join_all(guesses).await;
    let checked = answers
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = answers
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        checked as i64,
        leadmap_server::access::throttle::PER_ACCOUNT_AND_ADDRESS,
        "guesses checked"
    );
    assert_eq!(
        refused,
        100 - checked,
        "every other guess refused before hashing"
    );
    let (s, _, _) = attempt(&app, from, "ana", PASSWORD).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_session_idle_for_more_than_thirty_days_is_over() {
    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let app = start(db).await;
    owner(&app).await;
    let store = app.store();
    let ana = store.credentials("ana").await.unwrap().unwrap().user;
    let long_ago = leadmap_app::time::now_ms() - leadmap_server::access::SESSION_IDLE_MS - 60_000;
    let token = "0123456789abcdef0123456789abcdef";
    let recent = "fedcba9876543210fedcba9876543210";
    let hash = |t: &str| leadmap_app::secrets::secret_hash(t);
    store
        .create_session(ana.id, &hash(token), "c", "", long_ago)
        .await
        .unwrap();
    store
        .create_session(
            ana.id,
            &hash(recent),
            "c",
            "",
            leadmap_app::time::now_ms() - 3_600_000,
        )
        .await
        .unwrap();
    let get = |t: &'static str| {
        let url = format!("{}/account", app.base);
        async move {
            browser()
                .get(url)
                .header("cookie", format!("leadmap_session={t}"))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(get(token).await, StatusCode::SEE_OTHER, "signed out");
    assert_eq!(get(recent).await, StatusCode::OK, "an hour idle is fine");
    assert!(
        store.session(&hash(token), 0).await.unwrap().is_none(),
        "deleted"
    );
}

/// Behind TLS (`--secure-cookies`) the session cookie is `__Host-` prefixed and Secure, and
/// only that name opens a session.
#[tokio::test]
async fn behind_tls_the_session_cookie_is_host_prefixed() {
    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let config = Config {
        secure_cookies: true,
        ..Config::default()
    };
    let app = start_with(db, config).await;
    owner(&app).await;
    let r = browser()
        .post(format!("{}/login", app.base))
        .form(&[("name", "ana"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-leadmap_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"));
    let value = cookie.split(';').next().unwrap().to_owned();
    let get = |c: String| {
        let url = format!("{}/account", app.base);
        async move {
            browser()
                .get(url)
                .header("cookie", c)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(get(value.clone()).await, StatusCode::OK);
    let unprefixed = value.replacen("__Host-", "", 1);
    assert_eq!(get(unprefixed).await, StatusCode::SEE_OTHER);
}
