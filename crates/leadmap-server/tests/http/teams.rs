//! Teams as their people meet them: an admin makes a team, a manager invites people who join
//! with a new account or their own, a removed member loses the team on their next request, a
//! member's private note reaches nobody else, members see the team's numbers without names,
//! another team's pages and API answers are 404, and the API agrees with the pages.

use leadmap_store::{NewInvite, NewTeam, TeamRole, UserId};

use super::*;

both_backends!(
    invites_bring_people_in_once_and_a_removed_member_loses_the_team_at_once,
    a_private_note_never_reaches_another_person_and_other_teams_are_404,
    the_dashboard_names_gaps_and_single_points_and_members_see_only_counts,
    the_api_creates_teams_adds_people_and_answers_the_dashboard_numbers,
    bad_team_input_gets_a_clear_answer_and_nothing_is_lost,
    the_matrix_shows_a_large_team_in_pages_of_250,
);

/// Posts a form of a page: the CSRF token is read from `page_path` as a browser would have it.
async fn submit(
    app: &App,
    c: &reqwest::Client,
    page_path: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = page(c, format!("{}{page_path}", app.base)).await;
    let csrf = csrf_of(&html);
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(format!("{}{action}", app.base))
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// A JSON answer that must be 200.
async fn get_json(c: &reqwest::Client, url: String) -> Value {
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    r.json().await.unwrap()
}

async fn status(c: &reqwest::Client, url: String) -> StatusCode {
    c.get(url).send().await.unwrap().status()
}

/// The invite link's token on a team page that just made one.
fn invite_token(html: &str) -> String {
    let i = html.find("/join/").expect("an invite link on the page") + 6;
    html[i..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

pub(super) async fn user_id(app: &App, name: &str) -> UserId {
    app.store()
        .credentials(name)
        .await
        .unwrap()
        .expect("the account")
        .user
        .id
}

pub(super) async fn team_id(app: &App, slug: &str) -> i64 {
    app.store().team(slug).await.unwrap().expect("the team").id
}

/// Marks a topic of Engineering Leadership with a note, as its owner does on the page.
async fn mark(app: &App, c: &reqwest::Client, topic: &str, status: &str, note: &str) {
    let r = submit(
        app,
        c,
        &format!("/r/{EL}?topic={topic}"),
        &format!("/r/{EL}/t/{topic}"),
        &[("status", status), ("note", note)],
    )
    .await;
    assert!(r.status().is_redirection() || r.status().is_success());
}

/// The people of most tests: ana (the admin, through first run), the department `eng` with
/// carol as its manager, beneath it `web` (mia manages; bobwise and cyrilla are members) and
/// `ops` (dan is a member). Made through the store: the pages that make them are tested in
/// the first test.
pub(super) struct World {
    pub(super) ana: reqwest::Client,
    pub(super) carol: reqwest::Client,
    pub(super) mia: reqwest::Client,
    pub(super) bob: reqwest::Client,
    pub(super) cy: reqwest::Client,
    pub(super) dan: reqwest::Client,
}

pub(super) async fn world(app: &App) -> World {
    let ana = owner(app).await;
    let carol = member(app, "carol").await;
    let mia = member(app, "mia").await;
    let bob = member(app, "bobwise").await;
    let cy = member(app, "cyrilla").await;
    let dan = member(app, "dan").await;
    let s = app.store();
    let eng = s
        .create_team(
            &NewTeam {
                slug: "eng",
                name: "Engineering",
                parent: None,
            },
            0,
        )
        .await
        .unwrap();
    let web = s
        .create_team(
            &NewTeam {
                slug: "web",
                name: "Web",
                parent: Some(eng.id),
            },
            0,
        )
        .await
        .unwrap();
    let ops = s
        .create_team(
            &NewTeam {
                slug: "ops",
                name: "Ops",
                parent: Some(eng.id),
            },
            0,
        )
        .await
        .unwrap();
    for (team, name, role) in [
        (eng.id, "carol", TeamRole::Manager),
        (web.id, "mia", TeamRole::Manager),
        (web.id, "bobwise", TeamRole::Member),
        (web.id, "cyrilla", TeamRole::Member),
        (ops.id, "dan", TeamRole::Member),
    ] {
        s.set_member(team, user_id(app, name).await, role, 0)
            .await
            .unwrap();
    }
    World {
        ana,
        carol,
        mia,
        bob,
        cy,
        dan,
    }
}

async fn invites_bring_people_in_once_and_a_removed_member_loses_the_team_at_once(db: Arc<TestDb>) {
    let app = start(db).await;
    let ana = owner(&app).await;
    let bob = member(&app, "bobwise").await;
    let b = &app.base;

    // The admin makes a team and adds an existing account.
    let r = submit(&app, &ana, "/teams", "/teams", &[("name", "Web Team")]).await;
    assert_eq!(location(&r), "/teams/web-team?created=1");
    let r = submit(
        &app,
        &ana,
        "/teams/web-team",
        "/teams/web-team/members",
        &[("name", "bobwise"), ("role", "member")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page(&bob, format!("{b}/teams")).await;
    assert!(html.contains("Web Team"), "bob sees his team: {html}");

    // An invite for one person: a new person chooses a name and password and is in.
    let r = submit(
        &app,
        &ana,
        "/teams/web-team",
        "/teams/web-team/invites",
        &[("role", "member"), ("uses", "1"), ("days", "7")],
    )
    .await;
    let token = invite_token(&r.text().await.unwrap());
    let newcomer = browser();
    let html = page(&newcomer, format!("{b}/join/{token}")).await;
    assert!(html.contains("Web Team"), "{html}");
    let r = newcomer
        .post(format!("{b}/join/{token}"))
        .header("origin", b.as_str())
        .form(&[("name", "cyrilla"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/teams/web-team");
    let html = page(&newcomer, format!("{b}/teams/web-team")).await;
    assert!(html.contains("Web Team"));
    // Its one use is taken: the next person finds nothing.
    let late = browser();
    assert_eq!(
        status(&late, format!("{b}/join/{token}")).await,
        StatusCode::NOT_FOUND
    );
    let r = late
        .post(format!("{b}/join/{token}"))
        .header("origin", b.as_str())
        .form(&[("name", "latecomer"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        app.store()
            .credentials("latecomer")
            .await
            .unwrap()
            .is_none()
    );

    // A signed-in person joins with their own account.
    let eve = member(&app, "eve").await;
    let r = submit(
        &app,
        &ana,
        "/teams/web-team",
        "/teams/web-team/invites",
        &[("role", "manager"), ("uses", "3"), ("days", "1")],
    )
    .await;
    let token2 = invite_token(&r.text().await.unwrap());
    let html = page(&eve, format!("{b}/join/{token2}")).await;
    assert!(html.contains("manager"), "{html}");
    let r = eve
        .post(format!("{b}/join/{token2}"))
        .header("origin", b.as_str())
        .form(&[("name", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/teams/web-team");
    let roles = app
        .store()
        .memberships(user_id(&app, "eve").await)
        .await
        .unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].1, TeamRole::Manager);
    // The team page lists who used it.
    let html = page(&ana, format!("{b}/teams/web-team")).await;
    assert!(html.contains("eve"), "{html}");

    // Revoked: 404 at once, for the page and the form.
    let team = team_id(&app, "web-team").await;
    let invites = app.store().invites(team).await.unwrap();
    let second = invites
        .iter()
        .find(|i| i.role == TeamRole::Manager)
        .unwrap()
        .id;
    let r = submit(
        &app,
        &ana,
        "/teams/web-team",
        &format!("/teams/web-team/invites/{second}/revoke"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        status(&late, format!("{b}/join/{token2}")).await,
        StatusCode::NOT_FOUND
    );
    // Expired: 404 as well.
    let hash = leadmap_app::secrets::secret_hash("0123456789abcdef0123456789abcdef");
    app.store()
        .create_invite(
            &NewInvite {
                team,
                token_hash: &hash,
                role: TeamRole::Member,
                max_uses: 5,
                expires_at: 1_000,
                created_by: None,
            },
            0,
        )
        .await
        .unwrap();
    assert_eq!(
        status(&late, format!("{b}/join/0123456789abcdef0123456789abcdef")).await,
        StatusCode::NOT_FOUND
    );
    // Without --open-signup there is no sign-up.
    assert_eq!(
        status(&late, format!("{b}/signup")).await,
        StatusCode::NOT_FOUND
    );

    // A member removed while their page is open: their next request finds nothing, and
    // their progress stays theirs.
    let t = topic(&app, 0);
    mark(&app, &bob, &t, "done", "").await;
    let open = page(&bob, format!("{b}/teams/web-team/r/{EL}")).await;
    assert!(open.contains("Web Team"));
    let r = submit(
        &app,
        &ana,
        "/teams/web-team",
        "/teams/web-team/members/bobwise/remove",
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for path in ["/teams/web-team", &format!("/teams/web-team/r/{EL}")] {
        assert_eq!(
            status(&bob, format!("{b}{path}")).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let bob_id = user_id(&app, "bobwise").await;
    assert_eq!(app.store().all_progress(bob_id).await.unwrap().len(), 1);

    // Deleting the team deletes nobody's progress.
    let cy = user_id(&app, "cyrilla").await;
    mark(&app, &newcomer, &t, "learning", "mine").await;
    let r = submit(&app, &ana, "/teams/web-team", "/teams/web-team/delete", &[]).await;
    assert_eq!(location(&r), "/teams");
    assert!(app.store().team("web-team").await.unwrap().is_none());
    assert_eq!(app.store().all_progress(cy).await.unwrap().len(), 1);
    assert_eq!(app.store().all_progress(bob_id).await.unwrap().len(), 1);
    assert_eq!(
        status(&newcomer, format!("{b}/teams/web-team")).await,
        StatusCode::NOT_FOUND
    );
}

async fn a_private_note_never_reaches_another_person_and_other_teams_are_404(db: Arc<TestDb>) {
    let app = start(db).await;
    let w = world(&app).await;
    let b = &app.base;
    let (t0, t1) = (topic(&app, 0), topic(&app, 1));
    const PRIVATE: &str = "private-thought-7f3a";
    const SHARED: &str = "shared-with-managers-91c2";
    mark(&app, &w.bob, &t0, "done", PRIVATE).await;
    mark(&app, &w.bob, &t1, "learning", SHARED).await;
    let mine = page(&w.bob, format!("{b}/r/{EL}/t/{t1}")).await;
    assert!(mine.contains("Your note is private"), "{mine}");
    let r = submit(
        &app,
        &w.bob,
        &format!("/r/{EL}?topic={t1}"),
        &format!("/r/{EL}/t/{t1}/note-sharing"),
        &[("shared", "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    mark(&app, &w.cy, &t0, "done", "cy's own").await;
    let mine = page(&w.bob, format!("{b}/r/{EL}/t/{t1}")).await;
    assert!(mine.contains("shared with your managers"), "{mine}");

    // Everything a manager, the department's manager or the admin can fetch about the team.
    let pages = [
        "/teams".to_owned(),
        "/teams/web".to_owned(),
        format!("/teams/web/r/{EL}"),
        format!("/teams/web/r/{EL}/matrix"),
        format!("/teams/web/r/{EL}/matrix.csv"),
        format!("/teams/web/r/{EL}/heatmap.svg"),
        format!("/teams/web/r/{EL}/trend"),
        format!("/teams/web/members/bobwise/r/{EL}"),
        format!("/teams/web/members/bobwise/one-on-one?roadmap={EL}"),
        format!("/teams/web/members/bobwise/one-on-one.md?roadmap={EL}"),
        "/teams/eng".to_owned(),
        format!("/teams/eng/r/{EL}"),
        format!("/teams/eng/r/{EL}/matrix.csv"),
    ];
    let apis = [
        "/api/v1/teams".to_owned(),
        "/api/v1/teams/web".to_owned(),
        format!("/api/v1/teams/web/roadmaps/{EL}"),
        format!("/api/v1/teams/web/roadmaps/{EL}/matrix"),
        format!("/api/v1/teams/eng/roadmaps/{EL}"),
    ];
    for (who, c) in [("mia", &w.mia), ("carol", &w.carol), ("ana", &w.ana)] {
        // The department `eng` is above mia's team: not hers to see.
        let hers = |p: &&String| who != "mia" || !p.contains("/eng");
        for p in pages.iter().filter(hers) {
            let body = page(c, format!("{b}{p}")).await;
            assert!(!body.contains(PRIVATE), "{who} saw the private note on {p}");
        }
        if who == "mia" {
            assert_eq!(
                status(c, format!("{b}/teams/eng")).await,
                StatusCode::NOT_FOUND
            );
        }
        let api_client = api(&token(&app, c).await);
        for p in apis.iter().filter(hers) {
            let r = api_client.get(format!("{b}{p}")).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{who} {p}");
            assert!(
                !r.text().await.unwrap().contains(PRIVATE),
                "{who} saw the private note in {p}"
            );
        }
        // The shared note is there for managers: on the member's roadmap and in the 1:1.
        let theirs = page(c, format!("{b}/teams/web/members/bobwise/r/{EL}")).await;
        assert!(theirs.contains(SHARED), "{who}: {theirs}");
        let md = page(
            c,
            format!("{b}/teams/web/members/bobwise/one-on-one.md?roadmap={EL}"),
        )
        .await;
        assert!(md.contains(SHARED), "{who}: {md}");
    }

    // A fellow member: the team's numbers, no one's notes, no names, no matrix.
    let dash = page(&w.cy, format!("{b}/teams/web/r/{EL}")).await;
    assert!(!dash.contains(PRIVATE) && !dash.contains(SHARED));
    assert!(!dash.contains("bobwise"), "names hidden: {dash}");
    for p in [
        format!("/teams/web/r/{EL}/matrix"),
        format!("/teams/web/r/{EL}/matrix.csv"),
        format!("/teams/web/members/bobwise/r/{EL}"),
        format!("/teams/web/members/bobwise/one-on-one?roadmap={EL}"),
        "/teams/eng".to_owned(),
    ] {
        assert_eq!(
            status(&w.cy, format!("{b}{p}")).await,
            StatusCode::NOT_FOUND,
            "cy {p}"
        );
    }
    let cy_api = api(&token(&app, &w.cy).await);
    let agg = get_json(&cy_api, format!("{b}/api/v1/teams/web/roadmaps/{EL}")).await;
    assert_eq!(
        agg["members"],
        json!(3),
        "a count (mia, bobwise, cyrilla), not names"
    );
    assert!(!agg.to_string().contains("bobwise"));
    let detail = get_json(&cy_api, format!("{b}/api/v1/teams/web")).await;
    assert_eq!(detail["members"], json!([]));

    // A member of another team: every page and answer of this team is 404, never 403.
    let dan_api = api(&token(&app, &w.dan).await);
    for p in pages.iter().skip(1) {
        if p.starts_with("/teams/eng") {
            continue;
        }
        assert_eq!(
            status(&w.dan, format!("{b}{p}")).await,
            StatusCode::NOT_FOUND,
            "dan {p}"
        );
    }
    for p in apis.iter().skip(1) {
        let r = dan_api.get(format!("{b}{p}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "dan {p}");
    }
    let r = submit(
        &app,
        &w.dan,
        "/teams",
        "/teams/web/members",
        &[("name", "dan"), ("role", "manager")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        app.store()
            .memberships(user_id(&app, "dan").await)
            .await
            .unwrap()
            .iter()
            .all(|(t, _)| t.slug == "ops")
    );

    // Made private again: gone from the manager's view on the next request.
    let r = submit(
        &app,
        &w.bob,
        &format!("/r/{EL}?topic={t1}"),
        &format!("/r/{EL}/t/{t1}/note-sharing"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let theirs = page(&w.mia, format!("{b}/teams/web/members/bobwise/r/{EL}")).await;
    assert!(!theirs.contains(SHARED));
}

async fn the_dashboard_names_gaps_and_single_points_and_members_see_only_counts(db: Arc<TestDb>) {
    let app = start(db).await;
    let w = world(&app).await;
    let b = &app.base;
    let (t0, t1) = (topic(&app, 0), topic(&app, 1));
    mark(&app, &w.bob, &t0, "done", "").await;
    mark(&app, &w.bob, &t1, "done", "").await;
    mark(&app, &w.cy, &t0, "done", "").await;

    let mia = api(&token(&app, &w.mia).await);
    let d = get_json(&mia, format!("{b}/api/v1/teams/web/roadmaps/{EL}")).await;
    let total = app.state.catalog().get(EL).unwrap().topics.len();
    let members = d["members"].as_array().unwrap();
    assert_eq!(members.len(), 3, "mia, bobwise, cyrilla: {d}");
    let bob = members.iter().find(|m| m["name"] == "bobwise").unwrap();
    assert_eq!(bob["done"], json!(2));
    let singles = d["single_points"].as_array().unwrap();
    assert_eq!(
        singles,
        &vec![json!({"topic": t1, "title": singles[0]["title"], "member": "bobwise"})]
    );
    let gaps = d["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), total - 2);
    assert!(gaps.iter().all(|g| g["topic"] != t0 && g["topic"] != t1));

    // The page says the same: the single point with its holder, linked to the topic.
    let html = page(&w.mia, format!("{b}/teams/web/r/{EL}")).await;
    assert!(html.contains(&format!("/r/{EL}/t/{t1}")), "{html}");
    assert!(html.contains("bobwise"));
    let csv = page(&w.mia, format!("{b}/teams/web/r/{EL}/matrix.csv")).await;
    let first = csv.lines().next().unwrap();
    assert!(first.starts_with("member,"), "{first}");
    let bob_row = csv.lines().find(|l| l.starts_with("bobwise,")).unwrap();
    assert_eq!(bob_row.matches(",done").count(), 2, "{bob_row}");

    // The matrix from the API: a status per topic per member.
    let m = get_json(&mia, format!("{b}/api/v1/teams/web/roadmaps/{EL}/matrix")).await;
    assert_eq!(m["topics"].as_array().unwrap().len(), total);
    let row = m["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "cyrilla")
        .unwrap();
    assert_eq!(row["statuses"][0], json!("done"));

    // The server keeps members' records between views: a change shows on the next one, on the
    // page and in the API (cy has done t1 too: no single point is left).
    mark(&app, &w.cy, &t1, "done", "").await;
    let d = get_json(&mia, format!("{b}/api/v1/teams/web/roadmaps/{EL}")).await;
    assert_eq!(d["single_points"], json!([]), "{d}");
    let html = page(&w.mia, format!("{b}/teams/web/r/{EL}")).await;
    assert!(!html.contains(&format!("/r/{EL}/t/{t1}")), "{html}");
    mark(&app, &w.cy, &t1, "learning", "").await;

    // A member sees counts only, until the team shows names.
    let cy = api(&token(&app, &w.cy).await);
    let agg = get_json(&cy, format!("{b}/api/v1/teams/web/roadmaps/{EL}")).await;
    assert_eq!(agg["topics"][0]["done"], json!(2), "{agg}");
    assert_eq!(agg["topics"][1]["done"], json!(1));
    let r = submit(
        &app,
        &w.mia,
        "/teams/web",
        "/teams/web/settings",
        &[("name", "Web"), ("parent", "eng"), ("show_names", "1")],
    )
    .await;
    assert_eq!(location(&r), "/teams/web?saved=1");
    let html = page(&w.cy, format!("{b}/teams/web/r/{EL}")).await;
    assert!(html.contains("bobwise"), "names shown now");

    // A focus topic for bob: on his roadmap page and his home page, and in the API.
    let t2 = topic(&app, 2);
    let r = submit(
        &app,
        &w.mia,
        &format!("/teams/web/r/{EL}"),
        "/teams/web/focus",
        &[
            ("roadmap", EL),
            ("topic", &t2),
            ("person", "bobwise"),
            ("due", "2030-01-31"),
            ("reason", "the on-call rota starts in January"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    assert!(!location(&r).contains("error="), "{}", location(&r));
    let mine = page(&w.bob, format!("{b}/r/{EL}")).await;
    assert!(
        mine.contains("the on-call rota starts in January"),
        "{mine}"
    );
    let home = page(&w.bob, format!("{b}/")).await;
    assert!(
        home.contains("the on-call rota starts in January"),
        "{home}"
    );
    let bob_api = api(&token(&app, &w.bob).await);
    let focus = get_json(&bob_api, format!("{b}/api/v1/me/focus")).await;
    assert_eq!(focus[0]["topic"], json!(t2), "{focus}");
    assert_eq!(focus[0]["due"], json!("2030-01-31"));
    // Not cy's.
    let cy_focus = get_json(&cy, format!("{b}/api/v1/me/focus")).await;
    assert_eq!(cy_focus, json!([]));

    // The 1:1: recording it moves "since the last 1:1".
    let r = submit(
        &app,
        &w.mia,
        &format!("/teams/web/members/bobwise/one-on-one?roadmap={EL}"),
        "/teams/web/members/bobwise/one-on-one",
        &[("roadmap", EL)],
    )
    .await;
    assert!(location(&r).contains("recorded=1"), "{}", location(&r));
    let prep = page(
        &w.mia,
        format!("{b}/teams/web/members/bobwise/one-on-one?roadmap={EL}"),
    )
    .await;
    assert!(prep.contains("Focus"), "{prep}");
}

async fn the_api_creates_teams_adds_people_and_answers_the_dashboard_numbers(db: Arc<TestDb>) {
    let app = start(db).await;
    let ana = owner(&app).await;
    let bob = member(&app, "bobwise").await;
    let b = &app.base;
    let admin = api(&token(&app, &ana).await);
    let bob_api = api(&token(&app, &bob).await);

    let r = admin
        .post(format!("{b}/api/v1/teams"))
        .json(&json!({"name": "Platform"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["slug"], json!("platform"));
    assert_eq!(t["relation"], json!("admin"));
    // The same name again (in other case): a conflict, said as JSON.
    let r = admin
        .post(format!("{b}/api/v1/teams"))
        .json(&json!({"name": "PLATFORM", "slug": "platform-2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let e: Value = r.json().await.unwrap();
    assert!(e["error"].is_string(), "{e}");
    let r = admin
        .post(format!("{b}/api/v1/teams"))
        .json(&json!({"name": "Mobile", "parent": "nowhere"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Only admins create teams; to anyone else the route has nothing.
    let r = bob_api
        .post(format!("{b}/api/v1/teams"))
        .json(&json!({"name": "Mine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        get_json(&bob_api, format!("{b}/api/v1/teams")).await,
        json!([])
    );

    // Adding bob as a manager: he sees the team as its manager.
    let r = admin
        .put(format!("{b}/api/v1/teams/platform/members/bobwise"))
        .json(&json!({"role": "manager"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let list = get_json(&bob_api, format!("{b}/api/v1/teams")).await;
    assert_eq!(list[0]["relation"], json!("manager"), "{list}");
    let r = admin
        .put(format!("{b}/api/v1/teams/platform/members/nobody"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The manager makes an invite: the link once, with the server's address.
    let r = bob_api
        .post(format!("{b}/api/v1/teams/platform/invites"))
        .json(&json!({"uses": 2, "days": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let inv: Value = r.json().await.unwrap();
    assert!(inv["path"].as_str().unwrap().starts_with("/join/"), "{inv}");
    assert_eq!(inv["max_uses"], json!(2));
    assert_eq!(inv["role"], json!("member"));
    let r = bob_api
        .post(format!("{b}/api/v1/teams/platform/invites"))
        .json(&json!({"uses": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The dashboard's numbers for the manager.
    let t0 = topic(&app, 0);
    mark(&app, &bob, &t0, "done", "").await;
    let d = get_json(&bob_api, format!("{b}/api/v1/teams/platform/roadmaps/{EL}")).await;
    assert_eq!(d["single_points"][0]["topic"], json!(t0), "{d}");
    let r = bob_api
        .get(format!(
            "{b}/api/v1/teams/platform/roadmaps/no-such-roadmap"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Removed: bob's next call finds no team.
    let r = admin
        .delete(format!("{b}/api/v1/teams/platform/members/bobwise"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = bob_api
        .get(format!("{b}/api/v1/teams/platform"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = admin
        .delete(format!("{b}/api/v1/teams/platform/members/bobwise"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn bad_team_input_gets_a_clear_answer_and_nothing_is_lost(db: Arc<TestDb>) {
    let app = start(db).await;
    let w = world(&app).await;
    let b = &app.base;
    // A duplicate name, without regard to case.
    let r = submit(&app, &w.ana, "/teams", "/teams", &[("name", "WEB")]).await;
    let html = r.text().await.unwrap();
    assert!(html.contains("choose another"), "{html}");
    // A parent-team cycle: eng beneath web, which is beneath eng.
    let r = submit(
        &app,
        &w.ana,
        "/teams/eng",
        "/teams/eng/settings",
        &[("name", "Engineering"), ("parent", "web")],
    )
    .await;
    let html = r.text().await.unwrap();
    assert!(html.contains("role=\"alert\""), "{html}");
    let eng = app.store().team("eng").await.unwrap().unwrap();
    assert_eq!(eng.parent, None);
    // An invite with nonsense terms.
    let r = submit(
        &app,
        &w.mia,
        "/teams/web",
        "/teams/web/invites",
        &[("role", "member"), ("uses", "lots"), ("days", "7")],
    )
    .await;
    let html = r.text().await.unwrap();
    assert!(html.contains("1 to 1000 times"), "{html}");
    assert!(
        app.store()
            .invites(team_id(&app, "web").await)
            .await
            .unwrap()
            .is_empty()
    );
    // A member name that is no account.
    let r = submit(
        &app,
        &w.mia,
        "/teams/web",
        "/teams/web/members",
        &[("name", "ghost"), ("role", "member")],
    )
    .await;
    let html = r.text().await.unwrap();
    assert!(html.contains("no account named"), "{html}");
    // A manager of web may not move the team under a team they do not manage.
    let r = submit(
        &app,
        &w.mia,
        "/teams/web",
        "/teams/web/settings",
        &[("name", "Web"), ("parent", "ops")],
    )
    .await;
    assert!(r.status() != StatusCode::INTERNAL_SERVER_ERROR);
    let web = app.store().team("web").await.unwrap().unwrap();
    assert_eq!(web.parent, Some(eng.id));
    // A member of web who is not its manager cannot remove anyone.
    let r = submit(
        &app,
        &w.cy,
        "/teams",
        "/teams/web/members/bobwise/remove",
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        status(&w.bob, format!("{b}/teams/web")).await,
        StatusCode::OK
    );
}

async fn the_matrix_shows_a_large_team_in_pages_of_250(db: Arc<TestDb>) {
    let app = start(db).await;
    let w = world(&app).await;
    let b = &app.base;
    // 250 more people in web: with mia, bobwise and cyrilla, 253.
    let web = team_id(&app, "web").await;
    let p = leadmap_app::secrets::Password::parse(PASSWORD, &[]).unwrap();
    let hash = leadmap_app::secrets::hash_password(&p).unwrap();
    for i in 0..250 {
        let name = leadmap_store::UserName::parse(&format!("zz{i:03}")).unwrap();
        let u = app
            .store()
            .create_user(&name, &hash, false, 0)
            .await
            .unwrap();
        app.store()
            .set_member(web, u.id, TeamRole::Member, 0)
            .await
            .unwrap();
    }
    let matrix = format!("{b}/teams/web/r/{EL}/matrix");
    let first = page(&w.mia, matrix.clone()).await;
    assert!(first.contains("People 1–250 of 253."), "the pager");
    assert!(first.contains(">bobwise</a>") && first.contains(">zz246</a>"));
    assert!(!first.contains(">zz247</a>"), "by name: zz247 is the 251st");
    assert!(first.contains("page=2\" rel=\"next\""));
    let second = page(&w.mia, format!("{matrix}?page=2")).await;
    assert!(second.contains("People 251–253 of 253."));
    assert!(second.contains(">zz249</a>") && !second.contains(">bobwise</a>"));
    assert!(second.contains("page=1\" rel=\"prev\""));
    // A page past the end, or not a number: the last page, or the first.
    let past = page(&w.mia, format!("{matrix}?page=99")).await;
    assert!(past.contains("People 251–253 of 253."));
    let junk = page(&w.mia, format!("{matrix}?page=x")).await;
    assert!(junk.contains("People 1–250 of 253."));
    // The CSV stays whole: a header and a row per person.
    let csv = page(&w.mia, format!("{matrix}.csv")).await;
    assert_eq!(csv.lines().count(), 254);
}
