use super::*;

both_backends!(
    state_changes_need_the_csrf_token_and_our_origin,
    one_user_never_reaches_another_users_data,
);

async fn state_changes_need_the_csrf_token_and_our_origin(db: Arc<TestDb>) {
    let app = start(db).await;
    let c = owner(&app).await;
    let t = topic(&app, 0);
    let url = format!("{}/r/{EL}/t/{t}", app.base);
    let r = c
        .post(&url)
        .form(&[("status", "done")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no token");
    let html = page(&c, format!("{}/r/{EL}", app.base)).await;
    let csrf = csrf_of(&html);
    let r = c
        .post(&url)
        .header("origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str()), ("status", "done")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "another origin");
    let r = c
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str()), ("status", "done")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a cross-site fetch");
    let stored = app
        .store()
        .all_progress(leadmap_store::UserId(1))
        .await
        .unwrap();
    assert!(stored.is_empty(), "nothing was changed");
    // Every page carries the security headers.
    let r = c.get(format!("{}/r/{EL}", app.base)).send().await.unwrap();
    let h = r.headers();
    assert_eq!(h["content-security-policy"], leadmap_server::CSP);
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    // The session cookie is HttpOnly and SameSite.
    let fresh = browser();
    let r = fresh
        .post(format!("{}/login", app.base))
        .form(&[("name", "ana"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

async fn one_user_never_reaches_another_users_data(db: Arc<TestDb>) {
    let app = start(db).await;
    let ana = owner(&app).await;
    let ana_api = api(&token(&app, &ana).await);
    let t = topic(&app, 0);
    ana_api
        .put(format!("{}/api/v1/me/progress/{EL}/{t}", app.base))
        .json(&json!({"status": "done", "note": "ana's secret note"}))
        .send()
        .await
        .unwrap();
    let bob = member(&app, "bob").await;
    let bob_api = api(&token(&app, &bob).await);
    // Bob's views show none of Ana's progress.
    let p: Value = bob_api
        .get(format!("{}/api/v1/me/progress/{EL}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p["summary"]["done"], 0);
    for url in [
        format!("{}/r/{EL}?topic={t}", app.base),
        format!("{}/r/{EL}/t/{t}?fragment=1", app.base),
        format!("{}/account/export", app.base),
        format!("{}/", app.base),
    ] {
        let body = page(&bob, url.clone()).await;
        assert!(!body.contains("ana's secret note"), "{url}");
    }
    // Bob cannot revoke Ana's sessions or tokens: 404, and they keep working.
    let bob_account = page(&bob, format!("{}/account", app.base)).await;
    let csrf = csrf_of(&bob_account);
    let store = app.store();
    let ana_id = store.credentials("ana").await.unwrap().unwrap().user.id;
    let ana_session = store.sessions(ana_id).await.unwrap()[0].id;
    let ana_token = store.tokens(ana_id).await.unwrap()[0].id;
    for path in [
        format!("/account/sessions/{ana_session}/revoke"),
        format!("/account/tokens/{ana_token}/revoke"),
    ] {
        let r = bob
            .post(format!("{}{path}", app.base))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert!(
        page(&ana, format!("{}/account", app.base))
            .await
            .contains("ana")
    );
    let r = ana_api
        .get(format!("{}/api/v1/me/progress/{EL}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Ana's CSRF token does not work in Bob's session.
    let ana_page = page(&ana, format!("{}/r/{EL}", app.base)).await;
    let r = bob
        .post(format!("{}/r/{EL}/t/{t}", app.base))
        .form(&[("csrf", csrf_of(&ana_page).as_str()), ("status", "skipped")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// Every route of the app and who may call it. A route added to the app without an entry here
/// fails `every_route_has_an_access_entry_and_the_guard_enforces_it`: decide who may call it,
/// add it here, and the test checks that the guard enforces it. (The seed of the role ×
/// route matrix.)
pub(super) const ACCESS: &[(&str, &str, &str)] = &[
    ("GET", "/", "Public"),
    ("GET", "/about", "Public"),
    ("POST", "/theme", "PublicForm"),
    ("GET", "/templates/{file}", "Public"),
    ("GET", "/healthz", "Public"),
    ("GET", "/readyz", "Public"),
    ("GET", "/static/{*path}", "Public"),
    ("GET", "/api/openapi.json", "Public"),
    ("GET", "/setup", "Public"),
    ("POST", "/setup", "PublicForm"),
    ("GET", "/login", "Public"),
    ("POST", "/login", "PublicForm"),
    ("POST", "/logout", "Session"),
    ("GET", "/r/{roadmap}", "Public"),
    ("GET", "/r/{roadmap}/t/{topic}", "Public"),
    ("POST", "/r/{roadmap}/t/{topic}", "Session"),
    ("POST", "/r/{roadmap}/t/{topic}/plan", "Session"),
    ("GET", "/r/{roadmap}/reset", "Session"),
    ("POST", "/r/{roadmap}/reset", "Session"),
    ("GET", "/api/v1/roadmaps", "Token"),
    ("GET", "/r/{roadmap}/v/{file}", "Session"),
    ("GET", "/roadmaps/new", "Session"),
    ("POST", "/roadmaps/new", "Session"),
    ("GET", "/r/{roadmap}/edit", "Session"),
    ("POST", "/r/{roadmap}/edit", "Session"),
    ("GET", "/r/{roadmap}/versions", "Session"),
    ("GET", "/r/{roadmap}/versions/{version}", "Session"),
    ("POST", "/r/{roadmap}/versions/{version}/restore", "Session"),
    ("POST", "/r/{roadmap}/visibility", "Session"),
    ("GET", "/api/v1/roadmaps/{roadmap}", "Token"),
    ("PUT", "/api/v1/roadmaps/{roadmap}", "Token"),
    ("GET", "/api/v1/roadmaps/{roadmap}/versions", "Token"),
    ("GET", "/api/v1/roadmaps/{roadmap}/diff", "Token"),
    ("GET", "/api/v1/me/progress/{roadmap}", "Token"),
    ("GET", "/api/v1/me/progress/{roadmap}/{topic}", "Token"),
    ("PUT", "/api/v1/me/progress/{roadmap}/{topic}", "Token"),
    ("GET", "/account", "Session"),
    ("POST", "/account/password", "Session"),
    ("POST", "/account/name", "Session"),
    ("POST", "/account/sessions/{id}/revoke", "Session"),
    ("POST", "/account/sessions/revoke-others", "Session"),
    ("POST", "/account/tokens", "Session"),
    ("POST", "/account/tokens/{id}/revoke", "Session"),
    ("GET", "/account/export", "Session"),
    ("POST", "/account/delete", "Session"),
    ("GET", "/activity", "Session"),
    ("GET", "/api/v1/me/history", "Token"),
    ("GET", "/s/{token}", "Public"),
    ("GET", "/s/{token}/badge.svg", "Public"),
    ("GET", "/s/{token}/og.png", "Public"),
    ("GET", "/r/{roadmap}/share", "Session"),
    ("POST", "/r/{roadmap}/share", "Session"),
    ("POST", "/r/{roadmap}/share/{id}/revoke", "Session"),
    ("GET", "/api/v1/me/shares", "Token"),
    ("POST", "/api/v1/me/shares", "Token"),
    ("DELETE", "/api/v1/me/shares/{id}", "Token"),
    ("GET", "/teams", "Session"),
    ("POST", "/teams", "Session"),
    ("GET", "/teams/{team}", "Session"),
    ("POST", "/teams/{team}/settings", "Session"),
    ("POST", "/teams/{team}/delete", "Session"),
    ("POST", "/teams/{team}/members", "Session"),
    ("POST", "/teams/{team}/members/{name}/remove", "Session"),
    ("POST", "/teams/{team}/invites", "Session"),
    ("POST", "/teams/{team}/invites/{id}/revoke", "Session"),
    ("GET", "/join/{token}", "Public"),
    ("POST", "/join/{token}", "PublicForm"),
    ("GET", "/signup", "Public"),
    ("POST", "/signup", "PublicForm"),
    ("GET", "/teams/{team}/r/{roadmap}", "Session"),
    ("GET", "/teams/{team}/r/{roadmap}/matrix", "Session"),
    ("GET", "/teams/{team}/r/{roadmap}/matrix.csv", "Session"),
    ("GET", "/teams/{team}/r/{roadmap}/heatmap.svg", "Session"),
    ("GET", "/teams/{team}/r/{roadmap}/trend", "Session"),
    ("POST", "/teams/{team}/focus", "Session"),
    ("POST", "/teams/{team}/focus/{id}/delete", "Session"),
    ("GET", "/teams/{team}/members/{name}/r/{roadmap}", "Session"),
    ("GET", "/teams/{team}/members/{name}/one-on-one", "Session"),
    (
        "GET",
        "/teams/{team}/members/{name}/one-on-one.md",
        "Session",
    ),
    ("POST", "/teams/{team}/members/{name}/one-on-one", "Session"),
    ("POST", "/r/{roadmap}/t/{topic}/note-sharing", "Session"),
    ("GET", "/api/v1/teams", "Token"),
    ("POST", "/api/v1/teams", "Token"),
    ("GET", "/api/v1/teams/{team}", "Token"),
    ("PUT", "/api/v1/teams/{team}/members/{name}", "Token"),
    ("DELETE", "/api/v1/teams/{team}/members/{name}", "Token"),
    ("POST", "/api/v1/teams/{team}/invites", "Token"),
    ("GET", "/api/v1/teams/{team}/roadmaps/{roadmap}", "Token"),
    (
        "GET",
        "/api/v1/teams/{team}/roadmaps/{roadmap}/matrix",
        "Token",
    ),
    ("GET", "/api/v1/me/focus", "Token"),
    ("GET", "/assessments", "Session"),
    ("POST", "/assessments", "Session"),
    ("GET", "/assessments/compare", "Session"),
    ("GET", "/assessments/overview/{roadmap}", "Session"),
    ("GET", "/assessments/overview/{roadmap}/{file}", "Session"),
    ("GET", "/assessments/{id}", "Session"),
    ("POST", "/assessments/{id}/practices/{topic}", "Session"),
    ("POST", "/assessments/{id}/publish", "Session"),
    ("POST", "/assessments/{id}/delete", "Session"),
    ("POST", "/assessments/{id}/import", "Session"),
    ("GET", "/assessments/{id}/export.csv", "Session"),
    ("GET", "/assessments/{id}/export.json", "Session"),
    ("GET", "/assessments/{id}/history", "Session"),
    ("GET", "/assessments/{id}/report", "Session"),
    ("GET", "/assessments/{id}/{file}", "Session"),
    ("GET", "/assessments/{id}/pictures/{file}", "Session"),
    ("GET", "/api/v1/assessments", "Token"),
    ("POST", "/api/v1/assessments", "Token"),
    ("GET", "/api/v1/assessments/compare", "Token"),
    ("GET", "/api/v1/assessments/overview/{roadmap}", "Token"),
    ("GET", "/api/v1/assessments/{id}", "Token"),
    ("DELETE", "/api/v1/assessments/{id}", "Token"),
    ("PUT", "/api/v1/assessments/{id}/practices/{topic}", "Token"),
    (
        "DELETE",
        "/api/v1/assessments/{id}/practices/{topic}",
        "Token",
    ),
    ("POST", "/api/v1/assessments/{id}/publish", "Token"),
    ("POST", "/api/v1/assessments/{id}/import", "Token"),
    ("GET", "/api/v1/assessments/{id}/history", "Token"),
    ("GET", "/api/v1/assessments/{id}/export.csv", "Token"),
];

/// The metrics listener's routes (`serve --metrics-addr`), a table of their own: the app's
/// listener never serves them.
const METRICS_ACCESS: &[(&str, &str, &str)] = &[("GET", "/metrics", "Public")];

#[test]
fn the_metrics_listener_serves_only_public_metrics() {
    assert_eq!(
        rows(leadmap_server::metrics_route_table()),
        entries(METRICS_ACCESS)
    );
    assert!(
        leadmap_server::route_table()
            .iter()
            .all(|r| r.path != "/metrics"),
        "the app's own listener serves no metrics"
    );
}

type Row = (String, String, String);

/// A route table as (method, path, access) rows.
fn rows(table: Vec<leadmap_server::access::Route>) -> std::collections::BTreeSet<Row> {
    table
        .into_iter()
        .map(|r| {
            (
                r.method.to_string(),
                r.path.to_owned(),
                format!("{:?}", r.access),
            )
        })
        .collect()
}

/// A table of this file as the same rows.
fn entries(table: &[(&str, &str, &str)]) -> std::collections::BTreeSet<Row> {
    table
        .iter()
        .map(|(m, p, a)| ((*m).to_owned(), (*p).to_owned(), (*a).to_owned()))
        .collect()
}

/// A path of the route with each parameter filled with a real value.
fn concrete(app: &App, path: &str) -> String {
    path.replace("{roadmap}", EL)
        .replace("{topic}", &topic(app, 0))
        .replace("{id}", "1")
        .replace("{version}", "1")
        .replace("{file}", "adr.md")
        .replace("{*path}", "app.css")
        .replace("{team}", "web")
        .replace("{name}", "bob")
}

#[tokio::test]
async fn every_route_has_an_access_entry_and_the_guard_enforces_it() {
    let actual = rows(leadmap_server::route_table());
    let expected = entries(ACCESS);
    let unlisted: Vec<_> = actual.difference(&expected).collect();
    let gone: Vec<_> = expected.difference(&actual).collect();
    assert!(
        unlisted.is_empty() && gone.is_empty(),
        "the route table and the access entries of this test differ.\n\
         routes without an entry (decide who may call them, add them to ACCESS): {unlisted:?}\n\
         entries without a route: {gone:?}"
    );

    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let app = start(db).await;
    let signed_in = owner(&app).await;
    let anonymous = browser();
    for (method, path, access) in ACCESS {
        let url = format!("{}{}", app.base, concrete(&app, path));
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let what = format!("{method} {path} ({access})");
        match *access {
            "Public" => {
                let r = anonymous.request(method, &url).send().await.unwrap();
                assert!(
                    !location(&r).starts_with("/login") && r.status() != StatusCode::UNAUTHORIZED,
                    "{what}: a public route answers anonymous callers, got {}",
                    r.status()
                );
            }
            "PublicForm" => {
                let r = anonymous
                    .request(method, &url)
                    .header("origin", "https://evil.example")
                    .form(&[("name", "x")])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::FORBIDDEN, "{what}: another origin");
            }
            "Session" => {
                let r = anonymous
                    .request(method.clone(), &url)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::SEE_OTHER, "{what}: anonymous");
                assert!(
                    location(&r).starts_with("/login?next="),
                    "{what}: anonymous"
                );
                if method != reqwest::Method::GET {
                    let r = signed_in
                        .request(method, &url)
                        .form(&[("status", "done")])
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(
                        r.status(),
                        StatusCode::FORBIDDEN,
                        "{what}: signed in, without the CSRF token"
                    );
                }
            }
            "Token" => {
                let r = anonymous.request(method, &url).send().await.unwrap();
                assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{what}: no token");
                assert!(
                    r.headers()["content-type"]
                        .to_str()
                        .unwrap()
                        .starts_with("application/json"),
                    "{what}: API errors are JSON"
                );
            }
            other => panic!("unknown access {other}"),
        }
    }
    // Nothing above changed anything: the owner has no progress and still has a session.
    assert!(
        app.store()
            .all_progress(leadmap_store::UserId(1))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !page(&signed_in, format!("{}/account", app.base))
            .await
            .is_empty()
    );
}

/// The role × route matrix of `docs/security.md`, generated from requests: every entry of
/// ACCESS is called as each role (anonymous, a signed-in member, the signed-in admin, an API
/// token holder without a cookie) and the cell says what the guard did. A state change is
/// sent from our origin without the CSRF token, so nothing changes: a 403 for the missing
/// token means the caller got past the identity check ("allowed" with the footnote).
/// `LEADMAP_UPDATE_DOCS=1 cargo test -p leadmap-server --test http matrix` rewrites the
/// table; otherwise the test fails when the document and the requests disagree.
#[tokio::test]
async fn the_matrix_in_docs_security_md_is_what_the_routes_answer() {
    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let app = start(db).await;
    let admin = owner(&app).await;
    let member = member(&app, "bob").await;
    // A token holder as a script is: no cookie, and redirects not followed (to see them).
    let holder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(
            [(
                reqwest::header::AUTHORIZATION,
                HeaderValue::from_str(&format!("Bearer {}", token(&app, &member).await)).unwrap(),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    let anonymous = browser();
    let roles: [(&str, &reqwest::Client); 4] = [
        ("Anonymous", &anonymous),
        ("Signed-in member", &member),
        ("Signed-in admin", &admin),
        ("API token holder", &holder),
    ];
    let mut table = String::from("| Method | Route | Access |");
    for (role, _) in &roles {
        table.push_str(&format!(" {role} |"));
    }
    table.push_str("\n| --- | --- | --- |");
    table.push_str(&" --- |".repeat(roles.len()));
    table.push('\n');
    for (method, path, access) in ACCESS {
        // Routes that end a session or an account are probed without their CSRF token like
        // every state change; the owner's session survives the walk.
        let url = format!("{}{}", app.base, concrete(&app, path));
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let change = m != reqwest::Method::GET;
        table.push_str(&format!("| {method} | `{path}` | {access} |"));
        for (_, client) in &roles {
            let mut req = client.request(m.clone(), &url);
            if change {
                // A public form is sent from another origin (so that nothing happens); every
                // other change from ours, without the CSRF token.
                let origin = if *access == "PublicForm" {
                    "https://evil.example"
                } else {
                    app.base.as_str()
                };
                req = req.header("origin", origin);
            }
            let r = req.send().await.unwrap();
            let status = r.status();
            let to = location(&r);
            let body = r.text().await.unwrap_or_default();
            let guard_csrf = status == StatusCode::FORBIDDEN
                && (body.contains("request refused") || body.contains("form was out of date"));
            let cell = if status == StatusCode::SEE_OTHER && to.starts_with("/login?next=") {
                "sign-in redirect".to_owned()
            } else if status == StatusCode::UNAUTHORIZED {
                "401".to_owned()
            } else if guard_csrf && *access == "PublicForm" {
                "allowed¹".to_owned()
            } else if guard_csrf {
                "allowed²".to_owned()
            } else if *access == "Token" {
                "allowed³".to_owned()
            } else if *access == "Public" && path.starts_with("/r/{roadmap}") {
                // A roadmap's pages: by its visibility (footnote 5).
                "allowed⁵".to_owned()
            } else if path.starts_with("/join/") || *path == "/signup" {
                // An invite link (footnote 6) or open sign-up (footnote 7).
                "allowed⁶".to_owned()
            } else if path.contains("{token}") {
                // A share link's routes: anyone, but only with a live link (footnote 4).
                "allowed⁴".to_owned()
            } else {
                "allowed".to_owned()
            };
            table.push_str(&format!(" {cell} |"));
        }
        table.push('\n');
    }
    doc_table("| Method | Route | Access |", &table);
}

/// Compares a generated table with the one of `docs/security.md` that begins with `header`
/// (up to the next blank line), or with `LEADMAP_UPDATE_DOCS=1` writes it there. The two
/// matrix tests run at once: the read and the write happen under one lock.
pub(super) fn doc_table(header: &str, table: &str) {
    static DOC: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = DOC
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let doc_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/security.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let start = doc
        .find(header)
        .unwrap_or_else(|| panic!("a table beginning {header} in docs/security.md"));
    let end = start
        + doc[start..]
            .find("\n\n")
            .expect("a blank line after the table")
        + 1;
    if std::env::var_os("LEADMAP_UPDATE_DOCS").is_some() {
        let updated = format!("{}{table}{}", &doc[..start], &doc[end..]);
        std::fs::write(&doc_path, updated).unwrap();
        return;
    }
    assert_eq!(
        doc[start..end],
        *table,
        "docs/security.md's table {header} differs from what the routes answer; rerun with \
         LEADMAP_UPDATE_DOCS=1 and review the change"
    );
}

/// The role × team-route matrix of `docs/security.md`: every route of ACCESS under `/teams`
/// or `/api/v1/teams`, called as each role a person can have towards the team `web` (see
/// `teams::world`), in a world of its own per role. A state change carries the role's CSRF
/// token and, where the route takes one, a body the handler refuses after the access check,
/// so that the cell says what the check decided; the changes that cannot be refused (remove
/// a member, delete the team) come last and bob is put back after each request.
#[tokio::test]
async fn the_team_matrix_in_docs_security_md_is_what_the_routes_answer() {
    use leadmap_store::{NewFocus, NewInvite, TeamRole};
    const ROLES: [&str; 6] = [
        "Anonymous",
        "Member",
        "Member of another team",
        "Manager",
        "Manager of the parent team",
        "Admin",
    ];
    let team_rows: Vec<(&str, &str, &str)> = ACCESS
        .iter()
        .copied()
        .filter(|(_, p, _)| p.starts_with("/teams") || p.starts_with("/api/v1/teams"))
        .collect();
    // The order requests are sent in: the changes nothing can refuse last, deleting last of all.
    let last = |(m, p, _): &(&str, &str, &str)| match (*m, *p) {
        ("POST", "/teams/{team}/delete") => 3,
        ("POST", "/teams/{team}/members/{name}/remove") => 2,
        ("DELETE", _) => 1,
        _ => 0,
    };
    let mut order = team_rows.clone();
    order.sort_by_key(last);
    let mut cells: std::collections::HashMap<(usize, &str, &str), String> =
        std::collections::HashMap::new();
    for (r, role) in ROLES.iter().enumerate() {
        let db = Arc::new(leadmap_store::testing::sqlite().await);
        let app = start(db).await;
        let w = super::teams::world(&app).await;
        let web = super::teams::team_id(&app, "web").await;
        let bob = super::teams::user_id(&app, "bobwise").await;
        let hash = leadmap_app::secrets::secret_hash("matrix-invite");
        let s = app.store();
        s.create_invite(
            &NewInvite {
                team: web,
                token_hash: &hash,
                role: TeamRole::Member,
                max_uses: 1,
                expires_at: i64::MAX / 2,
                created_by: None,
            },
            0,
        )
        .await
        .unwrap();
        s.add_focus(
            &NewFocus {
                team: web,
                user: None,
                roadmap: EL,
                topic: &topic(&app, 0),
                due_day: None,
                reason: "",
                created_by: None,
            },
            0,
        )
        .await
        .unwrap();
        let anonymous = browser();
        let session = match r {
            0 => &anonymous,
            1 => &w.bob,
            2 => &w.dan,
            3 => &w.mia,
            4 => &w.carol,
            _ => &w.ana,
        };
        let (csrf, api_client) = if r == 0 {
            (String::new(), reqwest::Client::new())
        } else {
            let html = page(session, format!("{}/account", app.base)).await;
            (csrf_of(&html), api(&token(&app, session).await))
        };
        for (method, path, _) in &order {
            let url = format!(
                "{}{}",
                app.base,
                path.replace("{team}", "web")
                    .replace("{name}", "bobwise")
                    .replace("{roadmap}", EL)
                    .replace("{id}", "1")
            );
            let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let api_route = path.starts_with("/api/");
            let req = if api_route {
                let body = match *method {
                    "POST" if *path == "/api/v1/teams" => Some(json!({"name": ""})),
                    "POST" | "PUT" => Some(json!({"role": "no-such-role"})),
                    _ => None,
                };
                let req = api_client.request(m, &url);
                match body {
                    Some(b) => req.json(&b),
                    None => req,
                }
            } else if *method == "GET" {
                session.get(&url)
            } else {
                let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
                form.extend_from_slice(match *path {
                    "/teams" | "/teams/{team}/settings" => &[("name", "")],
                    "/teams/{team}/members" => &[("name", "bobwise"), ("role", "no-such-role")],
                    "/teams/{team}/invites" => &[("role", "no-such-role")],
                    "/teams/{team}/focus" => &[("roadmap", EL), ("topic", "no-such-topic")],
                    _ => &[],
                });
                session.request(m, &url).form(&form)
            };
            let res = req.send().await.unwrap();
            let cell = match res.status() {
                StatusCode::SEE_OTHER if location(&res).starts_with("/login?next=") => {
                    "sign-in redirect"
                }
                StatusCode::UNAUTHORIZED => "401",
                StatusCode::NOT_FOUND => "404",
                StatusCode::FORBIDDEN => "403",
                s if s.is_server_error() => panic!("{role} {method} {path}: {s}"),
                _ => "allowed",
            };
            cells.insert((r, method, path), cell.to_owned());
            // Bob back in web, whatever the request did.
            if s.team("web").await.unwrap().is_some() {
                s.set_member(web, bob, TeamRole::Member, 0).await.unwrap();
            }
        }
    }
    let mut table = String::from("| Method | Team route |");
    for role in ROLES {
        table.push_str(&format!(" {role} |"));
    }
    table.push_str("\n| --- | --- |");
    table.push_str(&" --- |".repeat(ROLES.len()));
    table.push('\n');
    for (method, path, _) in &team_rows {
        table.push_str(&format!("| {method} | `{path}` |"));
        for (r, role) in ROLES.iter().enumerate() {
            let cell = &cells[&(r, *method, *path)];
            assert_ne!(cell, "403", "{role} {method} {path}: never 403");
            if r == 0 {
                assert!(
                    cell == "sign-in redirect" || cell == "401",
                    "{method} {path}: anonymous got {cell}"
                );
            }
            if r == 2 && path.contains("{team}") {
                assert_eq!(cell, "404", "another team's member: {method} {path}");
            }
            table.push_str(&format!(" {cell} |"));
        }
        table.push('\n');
    }
    doc_table("| Method | Team route |", &table);
}
