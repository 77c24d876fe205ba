//! Served under a path prefix (`serve --base-path /leadmap`) behind a proxy that passes the
//! path unchanged: every URL a page, a redirect or a script hands the browser starts with the
//! prefix, and each one leads somewhere.

use std::collections::BTreeSet;
use std::sync::Arc;

use leadmap_server::Config;
use leadmap_server::web::base::BasePath;
use reqwest::StatusCode;

use super::{EL, PASSWORD, browser, csrf_of, location, start_with, topic};

const PREFIX: &str = "/leadmap";

/// Every `href`, `src`, `action` and `formaction` value of a page (entities decoded).
fn urls_in(html: &str) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    for attr in ["href", "src", "action", "formaction"] {
        let needle = format!(" {attr}=\"");
        let mut rest = html;
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            let end = rest.find('"').unwrap();
            found.push((
                attr,
                rest[..end].replace("&amp;", "&").replace("&#38;", "&"),
            ));
            rest = &rest[end..];
        }
    }
    found
}

/// A URL a page may hold: under the prefix, an anchor or a query on the page itself, or
/// another site.
fn under_prefix(url: &str) -> bool {
    url.starts_with(&format!("{PREFIX}/"))
        || url == PREFIX
        || url.starts_with('#')
        || url.starts_with('?')
        || url.starts_with("https://")
        || url.starts_with("http://")
        || url.starts_with("mailto:")
}

/// Checks a page's URLs; returns the ones on our site to follow.
fn check_page(name: &str, html: &str, follow: &mut BTreeSet<String>) {
    assert!(
        html.contains(&format!("data-base=\"{PREFIX}\"")),
        "{name}: no data-base on <html>"
    );
    let urls = urls_in(html);
    assert!(!urls.is_empty(), "{name}: no URL at all");
    for (attr, url) in urls {
        assert!(
            under_prefix(&url),
            "{name}: {attr}={url:?} is not under {PREFIX}"
        );
        if url.starts_with(PREFIX) {
            follow.insert(url.split('#').next().unwrap().to_owned());
        } else if url.starts_with('?') && name.starts_with(PREFIX) {
            // Relative to the page itself.
            let page = name.split('?').next().unwrap();
            follow.insert(format!("{page}{}", url.split('#').next().unwrap()));
        }
    }
}

async fn get(c: &reqwest::Client, url: &str) -> reqwest::Response {
    c.get(url).send().await.unwrap()
}

#[tokio::test]
async fn under_a_base_path_every_url_carries_it_and_leads_somewhere() {
    let db = Arc::new(leadmap_store::testing::sqlite().await);
    let config = Config {
        base_path: BasePath::parse(PREFIX).unwrap(),
        ..Config::default()
    };
    let app = start_with(db, config).await;
    let host = app.base.clone();
    let at = |path: &str| format!("{host}{path}");
    let c = browser();
    let mut follow = BTreeSet::new();

    // Outside the prefix: nothing.
    assert_eq!(get(&c, &at("/login")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        get(&c, &at("/leadmapx")).await.status(),
        StatusCode::NOT_FOUND
    );

    // Signed out: the welcome page (at the prefix with and without its slash), sign-in,
    // about, a page that does not exist, the first-run page.
    for path in ["/leadmap", "/leadmap/", "/leadmap/login", "/leadmap/about"] {
        let r = get(&c, &at(path)).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        check_page(path, &r.text().await.unwrap(), &mut follow);
    }
    let r = get(&c, &at("/leadmap/no-such-page")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    check_page("404", &r.text().await.unwrap(), &mut follow);
    // A page that needs a session sends to sign-in, under the prefix, and back.
    let r = get(&c, &at("/leadmap/account")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/leadmap/login?next=/account");

    let setup = app.state.setup_path().unwrap();
    let r = get(&c, &at(&format!("{PREFIX}{setup}"))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    check_page("setup", &html, &mut follow);
    assert!(html.contains("action=\"/leadmap/setup\""), "{html}");
    let token = setup.split("token=").nth(1).unwrap();
    let r = c
        .post(at("/leadmap/setup"))
        .form(&[("token", token), ("name", "ana"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/leadmap/"), "{}", location(&r));

    // Signed in: home, a roadmap, a topic's panel page, the account, about, a 404.
    let t = topic(&app, 0);
    let pages = [
        "/leadmap/".to_owned(),
        format!("/leadmap/r/{EL}"),
        format!("/leadmap/r/{EL}/t/{t}"),
        format!("/leadmap/r/{EL}/t/{t}?fragment=1"),
        format!("/leadmap/r/{EL}/reset"),
        "/leadmap/account".to_owned(),
        "/leadmap/about".to_owned(),
    ];
    let mut topic_page = String::new();
    for path in &pages {
        let r = get(&c, &at(path)).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let html = r.text().await.unwrap();
        if path.ends_with("fragment=1") {
            // A fragment (no <html>): its links still carry the prefix.
            for (attr, url) in urls_in(&html) {
                assert!(under_prefix(&url), "fragment: {attr}={url:?}");
            }
        } else {
            check_page(path, &html, &mut follow);
        }
        if path.ends_with(&format!("/t/{t}")) {
            topic_page = html;
        }
    }
    let r = get(&c, &at("/leadmap/nothing-here")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let html = r.text().await.unwrap();
    check_page("404 signed in", &html, &mut follow);
    assert!(html.contains("href=\"/leadmap/account\""), "{html}");

    // Mark the topic with its form: the redirect stays under the prefix.
    let action = format!("action=\"/leadmap/r/{EL}/t/{t}\"");
    assert!(topic_page.contains(&action), "{topic_page}");
    let r = c
        .post(at(&format!("/leadmap/r/{EL}/t/{t}")))
        .form(&[
            ("csrf", csrf_of(&topic_page).as_str()),
            ("status", "done"),
            ("next", &format!("/r/{EL}/t/{t}")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&r).starts_with(&format!("/leadmap/r/{EL}")),
        "{}",
        location(&r)
    );
    let roadmap = get(&c, &at(&format!("/leadmap/r/{EL}"))).await;
    assert!(roadmap.text().await.unwrap().contains(" done"));

    // Every URL the pages held leads somewhere (a form's action answers GET with 405 at worst).
    assert!(follow.len() > 10, "{follow:?}");
    for url in &follow {
        let r = get(&c, &at(url)).await;
        assert_ne!(r.status(), StatusCode::NOT_FOUND, "{url}");
        if let Some(to) = r.headers().get("location") {
            let to = to.to_str().unwrap();
            assert!(to.starts_with("/leadmap/"), "{url} redirects to {to}");
        }
    }

    // The scripts build their URLs from the prefix the page carries.
    let js = follow
        .iter()
        .find(|u| u.contains("/static/app.js"))
        .expect("the page loads app.js");
    let js = get(&c, &at(js)).await.text().await.unwrap();
    assert!(js.contains("getAttribute(\"data-base\")"));
    let mut fetches = 0;
    for (i, _) in js.match_indices("fetch(") {
        fetches += 1;
        assert!(js[i + 6..].starts_with("BASE + "), "{}", &js[i..i + 40]);
    }
    for (i, _) in js.match_indices("replaceState(null, \"\", ") {
        assert!(js[i + 23..].starts_with("BASE + "), "{}", &js[i..i + 50]);
    }
    assert!(fetches >= 2, "{fetches} fetches in app.js");

    // The API's description names the prefix as its server.
    let doc: serde_json::Value = get(&c, &at("/leadmap/api/openapi.json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doc["servers"][0]["url"], "/leadmap/");

    // Sign out, then in through the form: both redirects under the prefix.
    let home = get(&c, &at("/leadmap/")).await.text().await.unwrap();
    let r = c
        .post(at("/leadmap/logout"))
        .form(&[("csrf", csrf_of(&home).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/leadmap/"), "{}", location(&r));
    let r = c
        .post(at("/leadmap/login"))
        .form(&[
            ("name", "ana"),
            ("password", PASSWORD),
            ("next", "/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/leadmap/account");
    // The session cookie keeps Path=/ (a __Host- cookie must).
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("Path=/;"), "{cookie}");
}
