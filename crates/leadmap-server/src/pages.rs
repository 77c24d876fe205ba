//! The HTML pages. Every action is a plain form that redirects (it works without JavaScript);
//! `app.js` turns the same forms into in-place updates.

use std::collections::HashMap;
use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use leadmap_core::Node;
use leadmap_core::progress::Status;
use leadmap_render::html::markdown_html;
use leadmap_store::{Progress, ResetScope, UserName};
use serde::Deserialize;

use crate::assets::version;
use crate::auth::{self, Password, Required, SignedIn, Viewer};
use crate::catalog::{Entry, Summary, by_topic, status_in};
use crate::{AppError, AppState, now_ms};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/about", get(about))
        .route("/setup", get(setup_form).post(setup))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/theme", post(theme))
        .route("/templates/{file}", get(template_download))
        .route("/r/{roadmap}", get(roadmap_page))
        .route("/r/{roadmap}/t/{topic}", get(topic_page).post(mark))
        .route("/r/{roadmap}/reset", get(reset_confirm).post(reset))
        .route("/account", get(account))
        .route("/account/password", post(change_password))
        .route("/account/sessions/{id}/revoke", post(revoke_session))
        .route(
            "/account/sessions/revoke-others",
            post(revoke_other_sessions),
        )
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/account/export", get(export))
        .route("/account/delete", post(delete_account))
}

type PageResult = Result<Response, AppError>;

/// Percent-encodes a query value.
pub fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to go back to; anything else (another site, say) becomes `/`.
fn local(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

/// What every page's frame needs.
#[derive(Debug)]
pub struct Chrome {
    pub user: Option<String>,
    pub csrf: String,
    pub theme: &'static str,
    pub css: String,
    pub map_css: String,
    pub js: String,
    pub path: String,
}

impl Chrome {
    fn new(viewer: Option<&SignedIn>, headers: &HeaderMap, path: &str) -> Chrome {
        let theme = match auth::cookie(headers, "leadmap_theme").as_deref() {
            Some("dark") => "dark",
            Some("light") => "light",
            _ => "system",
        };
        Chrome {
            user: viewer.map(|s| s.user.name.clone()),
            csrf: viewer.map(|s| s.session.csrf.clone()).unwrap_or_default(),
            theme,
            css: version("app.css"),
            map_css: version("map.css"),
            js: version("app.js"),
            path: path.to_owned(),
        }
    }
}

fn html(t: &impl Template) -> PageResult {
    Ok(Html(t.render()?).into_response())
}

/// [`html`] for a page of about `size` bytes: rendered into a buffer of that size at once.
fn html_sized(t: &impl Template, size: usize) -> PageResult {
    let mut out = String::with_capacity(size);
    t.render_into(&mut out)?;
    Ok(Html(out).into_response())
}

pub fn error_page(status: StatusCode, message: &str) -> String {
    let t = ErrorPage {
        chrome: Chrome::new(None, &HeaderMap::new(), "/"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        code: status.as_u16(),
        message: message.to_owned(),
    };
    t.render()
        .unwrap_or_else(|_| format!("{} {message}", status.as_u16()))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: String,
    code: u16,
    message: String,
}

// ---------------------------------------------------------------------------------------------
// Home, about, theme

struct RoadmapCard {
    id: String,
    title: String,
    description: String,
    topics: usize,
    summary: Summary,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    roadmaps: Vec<RoadmapCard>,
}

#[derive(Template)]
#[template(path = "welcome.html")]
struct WelcomePage {
    chrome: Chrome,
    no_account: bool,
}

async fn home(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    headers: HeaderMap,
) -> PageResult {
    let chrome = Chrome::new(viewer.as_ref(), &headers, "/");
    let Some(me) = viewer else {
        let no_account = state.store().user_count().await? == 0;
        return html(&WelcomePage { chrome, no_account });
    };
    let all = state.store().all_progress(me.user.id).await?;
    let mut per: HashMap<&str, HashMap<String, Progress>> = HashMap::new();
    for p in &all {
        per.entry(p.roadmap.as_str())
            .or_default()
            .insert(p.topic.clone(), p.clone());
    }
    let empty = HashMap::new();
    let roadmaps = state
        .catalog()
        .roadmaps
        .iter()
        .map(|e| {
            let m = per.get(e.id.as_str()).unwrap_or(&empty);
            RoadmapCard {
                id: e.id.clone(),
                title: e.title(),
                description: format!(
                    "{} areas",
                    e.areas.iter().filter(|a| !a.id.is_empty()).count()
                ),
                topics: e.topics.len(),
                summary: Summary::of(e.topics.iter(), |t| status_in(m, t)),
            }
        })
        .collect();
    html(&HomePage { chrome, roadmaps })
}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage {
    chrome: Chrome,
}

async fn about(Viewer(viewer): Viewer, headers: HeaderMap) -> PageResult {
    html(&AboutPage {
        chrome: Chrome::new(viewer.as_ref(), &headers, "/about"),
    })
}

#[derive(Deserialize)]
struct ThemeForm {
    theme: String,
    #[serde(default)]
    next: String,
}

/// Light, dark or the system's: a cookie, so that it works without JavaScript and before
/// signing in.
async fn theme(headers: HeaderMap, Form(f): Form<ThemeForm>) -> PageResult {
    auth::same_origin(&headers)?;
    let value = match f.theme.as_str() {
        "light" | "dark" => f.theme.as_str(),
        _ => "system",
    };
    let cookie = format!("leadmap_theme={value}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut res = Redirect::to(&local(&f.next)).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

// ---------------------------------------------------------------------------------------------
// First run, sign in, sign out

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    chrome: Chrome,
    token: String,
    name: String,
    error: String,
}

#[derive(Deserialize)]
struct SetupQuery {
    #[serde(default)]
    token: String,
}

async fn setup_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SetupQuery>,
) -> PageResult {
    let valid = state
        .setup_token()
        .is_some_and(|t| auth::same(&t, &q.token));
    if !valid {
        return Err(AppError::Forbidden(
            "This set-up link is not valid: the owner account exists already, or the link is \
             from an earlier start. Sign in instead, or use the link the console printed."
                .into(),
        ));
    }
    html(&SetupPage {
        chrome: Chrome::new(None, &headers, "/setup"),
        token: q.token,
        name: String::new(),
        error: String::new(),
    })
}

#[derive(Deserialize)]
struct SetupForm {
    token: String,
    name: String,
    password: String,
}

async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<SetupForm>,
) -> PageResult {
    auth::same_origin(&headers)?;
    let valid = state
        .setup_token()
        .is_some_and(|t| auth::same(&t, &f.token));
    if !valid || state.store().user_count().await? > 0 {
        return Err(AppError::Forbidden(
            "This set-up link is no longer valid: the owner account exists. Sign in instead."
                .into(),
        ));
    }
    let again = |error: String| {
        html(&SetupPage {
            chrome: Chrome::new(None, &headers, "/setup"),
            token: f.token.clone(),
            name: f.name.clone(),
            error,
        })
        .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
    };
    let name = match UserName::parse(&f.name) {
        Ok(n) => n,
        Err(e) => return again(e),
    };
    let password = match Password::parse(&f.password, &[name.as_str()]) {
        Ok(p) => p,
        Err(e) => return again(e),
    };
    let hash = hash(password).await?;
    let user = state
        .store()
        .create_user(&name, &hash, true, now_ms())
        .await?;
    state.clear_setup_token();
    start_session(&state, &headers, user.id, "/").await
}

async fn hash(p: Password) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || auth::hash_password(&p))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn verify(password: String, hash: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Makes a session and sets its cookie; redirects to `next`.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    user: leadmap_store::UserId,
    next: &str,
) -> PageResult {
    let token = auth::random_hex(16);
    let csrf = auth::random_hex(16);
    let agent: String = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    state
        .store()
        .create_session(user, &auth::secret_hash(&token), &csrf, &agent, now_ms())
        .await?;
    let secure = if state.config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000{secure}",
        auth::COOKIE
    );
    let mut res = Redirect::to(&local(next)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.to_string()))?,
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    name: String,
    error: String,
    setup: bool,
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

async fn login_form(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> PageResult {
    if viewer.is_some() {
        return Ok(Redirect::to(&local(&q.next)).into_response());
    }
    html(&LoginPage {
        chrome: Chrome::new(None, &headers, "/login"),
        next: q.next,
        name: String::new(),
        error: String::new(),
        setup: state.store().user_count().await? == 0,
    })
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    use auth::throttle::*;
    auth::same_origin(&headers)?;
    let store = state.store();
    let now = now_ms();
    let account_key = format!("user:{}", f.name.trim().to_lowercase());
    let address_key = format!("ip:{}", addr.ip());
    let throttled = store
        .login_failures_since(&account_key, now - WINDOW_MS)
        .await?
        >= PER_ACCOUNT
        || store
            .login_failures_since(&address_key, now - WINDOW_MS)
            .await?
            >= PER_ADDRESS;
    let creds = store.credentials(&f.name).await?;
    // The same work whether or not the user exists: verify against a dummy hash.
    let hash = creds
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| state.dummy_hash().to_owned());
    let ok = verify(f.password.clone(), hash).await? && creds.is_some() && !throttled;
    if let (true, Some(c)) = (ok, creds) {
        store.clear_login_failures(&account_key).await?;
        return start_session(&state, &headers, c.user.id, &f.next).await;
    }
    store.record_login_failure(&account_key, now).await?;
    store.record_login_failure(&address_key, now).await?;
    let error = if throttled {
        "Too many failed attempts. Wait 15 minutes, then try again."
    } else {
        "That name and password do not match an account."
    };
    let page = LoginPage {
        chrome: Chrome::new(None, &headers, "/login"),
        next: f.next,
        name: f.name,
        error: error.into(),
        setup: false,
    };
    Ok((StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    auth::check_csrf(&headers, &me, &f.csrf)?;
    state
        .store()
        .delete_session(me.user.id, me.session.id)
        .await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("leadmap_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(res)
}

// ---------------------------------------------------------------------------------------------
// The roadmap page and the topic panel

fn entry<'a>(state: &'a AppState, id: &str) -> Result<&'a Entry, AppError> {
    state.catalog().get(id).ok_or(AppError::NotFound)
}

struct AreaRow<'a> {
    id: &'a str,
    title: &'a str,
    summary: Summary,
    topics: Vec<TopicRow<'a>>,
}

/// A list-view row; `id_html` and `title_html` are escaped already (once, in the catalog).
struct TopicRow<'a> {
    id_html: &'a str,
    title_html: &'a str,
    kind: &'static str,
    status: &'static str,
    hit: bool,
}

/// A topic's panel: its status form and its content.
#[derive(Debug)]
struct Panel {
    roadmap: String,
    id: String,
    title: String,
    kind: &'static str,
    status: &'static str,
    note: String,
    updated: String,
    area: String,
    summary: String,
    established: String,
    steps: Vec<String>,
    pitfalls: Vec<String>,
    resources: Vec<ResourceView>,
    related: Vec<(String, String)>,
    templates: Vec<String>,
    children: Vec<(String, String, &'static str)>,
    csrf: String,
    back: String,
}

#[derive(Debug)]
struct ResourceView {
    icon: &'static str,
    kind: &'static str,
    title: String,
    url: String,
    byline: String,
}

impl Panel {
    fn statuses(&self) -> [(&'static str, &'static str, &'static str); 4] {
        [
            ("learning", "Learning", "l"),
            ("done", "Done", "d"),
            ("skipped", "Skipped", "s"),
            ("pending", "Not started", "p"),
        ]
    }
}

fn icon(kind: leadmap_core::ResourceKind) -> &'static str {
    use leadmap_core::ResourceKind as R;
    match kind {
        R::Book => "📕",
        R::Article => "📄",
        R::Video => "🎬",
        R::Talk => "🎤",
        R::Podcast => "🎧",
        R::Course => "🎓",
        R::Tool => "🛠️",
        R::Community => "👥",
        R::Newsletter => "✉️",
        R::Template => "📝",
        R::Website => "🌐",
    }
}

fn inline(md: &str) -> String {
    let h = markdown_html(md);
    let t = h.trim();
    t.strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(t)
        .to_owned()
}

fn when(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

fn panel(
    state: &AppState,
    e: &Entry,
    n: &Node,
    rec: Option<&Progress>,
    csrf: &str,
    back: &str,
) -> Panel {
    let c = &n.content;
    let catalog = state.catalog();
    let related = c
        .related
        .iter()
        .map(|r| {
            let rm = r.roadmap.as_ref().map(|x| x.as_str()).unwrap_or(&e.id);
            let title = catalog
                .get(rm)
                .and_then(|o| o.roadmap.find(r.id.as_str()))
                .map(|o| o.title.plain())
                .unwrap_or_else(|| r.id.to_string());
            let title = if rm == e.id {
                title
            } else {
                let other = catalog.get(rm).map(|o| o.title()).unwrap_or_default();
                format!("{title} ({other})")
            };
            (format!("/r/{rm}?topic={}#panel", r.id), title)
        })
        .collect();
    Panel {
        roadmap: e.id.clone(),
        id: n.id.to_string(),
        title: n.title.plain(),
        kind: n.kind.as_str(),
        status: rec.map(|p| p.status).unwrap_or_default().as_str(),
        note: rec.map(|p| p.note.clone()).unwrap_or_default(),
        updated: rec.map(|p| when(p.updated_at)).unwrap_or_default(),
        area: e
            .area_of(n.id.as_str())
            .map(|a| a.title.clone())
            .unwrap_or_default(),
        summary: markdown_html(&c.summary),
        established: markdown_html(&c.established),
        steps: c.steps.iter().map(|s| inline(s)).collect(),
        pitfalls: c.pitfalls.iter().map(|s| inline(s)).collect(),
        resources: c
            .resources
            .iter()
            .map(|r| ResourceView {
                icon: icon(r.kind),
                kind: r.kind.as_str(),
                title: r.title.clone(),
                url: r
                    .url
                    .clone()
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                    .unwrap_or_default(),
                byline: match (&r.author, r.year) {
                    (Some(a), Some(y)) => format!("{a}, {y}"),
                    (Some(a), None) => a.clone(),
                    (None, Some(y)) => y.to_string(),
                    (None, None) => String::new(),
                },
            })
            .collect(),
        related,
        templates: c
            .templates
            .iter()
            .map(|t| t.to_string())
            .filter(|t| leadmap_bundled::template(t).is_some())
            .collect(),
        children: n
            .children
            .iter()
            .map(|ch| (ch.id.to_string(), ch.title.plain(), ch.kind.as_str()))
            .collect(),
        csrf: csrf.to_owned(),
        back: back.to_owned(),
    }
}

#[derive(Template)]
#[template(path = "roadmap.html")]
struct RoadmapPage<'a> {
    chrome: Chrome,
    id: &'a str,
    /// `id` escaped for HTML.
    id_html: &'a str,
    title: String,
    svg: FilledSvg<'a>,
    summary: Summary,
    areas: Vec<AreaRow<'a>>,
    panel: Option<Panel>,
    q: String,
    hits: usize,
}

/// A person's diagram, written straight into the page as it renders (no copy of its own).
struct FilledSvg<'a> {
    template: &'a leadmap_render::SvgTemplate,
    records: &'a HashMap<String, Progress>,
}

impl std::fmt::Display for FilledSvg<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.template.fill_into(f, |t| status_in(self.records, t))
    }
}

#[derive(Deserialize, Default)]
struct RoadmapQuery {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    q: String,
}

async fn roadmap_page(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<RoadmapQuery>,
) -> PageResult {
    let e = entry(&state, &id)?;
    let records = by_topic(state.store().progress(me.user.id, &e.id).await?);
    let status = |t: &str| status_in(&records, t);
    let svg = FilledSvg {
        template: &e.svg,
        records: &records,
    };
    let q = query.q.trim().to_lowercase();
    let mut hits = 0;
    let areas = e
        .areas
        .iter()
        .map(|a| AreaRow {
            id: &a.id,
            title: &a.title,
            summary: Summary::of(a.topic_ids(), status),
            topics: a
                .topics
                .iter()
                .map(|t| {
                    let hit = !q.is_empty() && t.folded.contains(&q);
                    hits += usize::from(hit);
                    TopicRow {
                        id_html: &t.id_html,
                        title_html: &t.title_html,
                        kind: t.kind,
                        status: status(&t.id).as_str(),
                        hit,
                    }
                })
                .collect(),
        })
        .collect();
    let back = format!("/r/{}", e.id);
    let panel = (!query.topic.is_empty())
        .then(|| e.roadmap.find(&query.topic))
        .flatten()
        .filter(|n| n.kind.is_learnable())
        .map(|n| {
            let back = format!("{back}?topic={}#panel", n.id);
            panel(
                &state,
                e,
                n,
                records.get(n.id.as_str()),
                &me.session.csrf,
                &back,
            )
        });
    // The page is the diagram, the list and some chrome: size the buffer once.
    let size = e.svg.len() + 400 * e.topics.len() + 8192;
    html_sized(
        &RoadmapPage {
            chrome: Chrome::new(Some(&me), &headers, &back),
            id: &e.id,
            id_html: &e.id_html,
            title: e.title(),
            svg,
            summary: Summary::of(e.topics.iter(), status),
            areas,
            panel,
            q: query.q,
            hits,
        },
        size,
    )
}

#[derive(Template)]
#[template(path = "panel.html")]
struct PanelFragment {
    p: Panel,
}

#[derive(Template)]
#[template(path = "topic.html")]
struct TopicPage {
    chrome: Chrome,
    roadmap_title: String,
    p: Panel,
}

#[derive(Deserialize, Default)]
struct TopicQuery {
    #[serde(default)]
    fragment: Option<String>,
}

/// A topic on its own page, or (`?fragment=1`) just its panel, which `app.js` fetches.
async fn topic_page(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Path((id, topic)): Path<(String, String)>,
    Query(q): Query<TopicQuery>,
) -> PageResult {
    let e = entry(&state, &id)?;
    let n = e
        .roadmap
        .find(&topic)
        .filter(|n| n.kind.is_learnable())
        .ok_or(AppError::NotFound)?;
    let records = by_topic(state.store().progress(me.user.id, &e.id).await?);
    let back = format!("/r/{}?topic={}#panel", e.id, n.id);
    let p = panel(
        &state,
        e,
        n,
        records.get(n.id.as_str()),
        &me.session.csrf,
        &back,
    );
    if q.fragment.is_some() {
        return html(&PanelFragment { p });
    }
    html(&TopicPage {
        chrome: Chrome::new(Some(&me), &headers, &back),
        roadmap_title: e.title(),
        p,
    })
}

#[derive(Deserialize)]
struct MarkForm {
    #[serde(default)]
    csrf: String,
    status: Option<String>,
    note: Option<String>,
    #[serde(default)]
    next: String,
}

/// The longest note kept, in characters.
pub const NOTE_MAX: usize = 10_000;

/// Sets a topic's status and note. A form post redirects back; a request that accepts JSON
/// gets the stored record and the new counts.
async fn mark(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Path((id, topic)): Path<(String, String)>,
    Form(f): Form<MarkForm>,
) -> PageResult {
    auth::check_csrf(&headers, &me, &f.csrf)?;
    let e = entry(&state, &id)?;
    if !e.has_topic(&topic) {
        return Err(AppError::NotFound);
    }
    let store = state.store();
    let status = match f.status.as_deref() {
        Some(s) => Status::parse(s).ok_or_else(|| {
            AppError::BadRequest(format!(
                "unknown status {s:?}: use pending, learning, done or skipped"
            ))
        })?,
        // A form that saves only the note keeps the status.
        None => store
            .progress(me.user.id, &e.id)
            .await?
            .into_iter()
            .find(|p| p.topic == topic)
            .map(|p| p.status)
            .unwrap_or_default(),
    };
    if f.note
        .as_ref()
        .is_some_and(|n| n.chars().count() > NOTE_MAX)
    {
        return Err(AppError::BadRequest(format!(
            "a note has at most {NOTE_MAX} characters"
        )));
    }
    let rec = store
        .set_progress(
            me.user.id,
            &e.id,
            &topic,
            status,
            f.note.as_deref(),
            now_ms(),
        )
        .await?;
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if wants_json {
        let records = by_topic(store.progress(me.user.id, &e.id).await?);
        let st = |t: &str| status_in(&records, t);
        let area = e
            .area_of(&topic)
            .map(|a| serde_json::json!({"id": a.id, "summary": Summary::of(a.topic_ids(), st)}));
        return Ok(Json(serde_json::json!({
            "topic": rec.topic,
            "status": rec.status,
            "note": rec.note,
            "updated_at": crate::api::rfc3339(rec.updated_at),
            "summary": Summary::of(e.topics.iter(), st),
            "area": area,
        }))
        .into_response());
    }
    let next = if f.next.is_empty() {
        format!("/r/{}?topic={topic}#panel", e.id)
    } else {
        local(&f.next)
    };
    Ok(Redirect::to(&next).into_response())
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    chrome: Chrome,
    id: String,
    title: String,
    area: String,
    area_title: String,
    marked: usize,
}

#[derive(Deserialize, Default)]
struct AreaQuery {
    #[serde(default)]
    area: String,
}

async fn reset_confirm(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<AreaQuery>,
) -> PageResult {
    let e = entry(&state, &id)?;
    let records = by_topic(state.store().progress(me.user.id, &e.id).await?);
    let (area_title, marked) = if q.area.is_empty() {
        (String::new(), records.len())
    } else {
        let a = e.area(&q.area).ok_or(AppError::NotFound)?;
        let n = a.topic_ids().filter(|t| records.contains_key(*t)).count();
        (a.title.clone(), n)
    };
    html(&ResetPage {
        chrome: Chrome::new(Some(&me), &headers, &format!("/r/{}", e.id)),
        id: e.id.clone(),
        title: e.title(),
        area: q.area,
        area_title,
        marked,
    })
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    area: String,
}

async fn reset(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ResetForm>,
) -> PageResult {
    auth::check_csrf(&headers, &me, &f.csrf)?;
    let e = entry(&state, &id)?;
    let area_topics: Vec<String>;
    let scope = if f.area.is_empty() {
        ResetScope::Roadmap
    } else {
        let a = e.area(&f.area).ok_or(AppError::NotFound)?;
        area_topics = a.topic_ids().cloned().collect();
        ResetScope::Topics(&area_topics)
    };
    state
        .store()
        .reset_progress(me.user.id, &e.id, scope)
        .await?;
    Ok(Redirect::to(&format!("/r/{}", e.id)).into_response())
}

async fn template_download(Path(file): Path<String>) -> PageResult {
    let id = file.strip_suffix(".md").unwrap_or(&file);
    let body = leadmap_bundled::template(id).ok_or(AppError::NotFound)?;
    let disposition = format!("attachment; filename=\"{id}.md\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// The account page

struct SessionRow {
    id: i64,
    agent: String,
    created: String,
    last_seen: String,
    current: bool,
}

struct TokenRow {
    id: i64,
    name: String,
    created: String,
    last_used: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    name: String,
    is_admin: bool,
    sessions: Vec<SessionRow>,
    tokens: Vec<TokenRow>,
    new_token: String,
    message: String,
    error: String,
}

/// Checks the signed-in person's own password before a change that needs it: `None` when it
/// is right, else the account page saying `wrong`.
async fn check_own_password(
    state: &AppState,
    me: &SignedIn,
    headers: &HeaderMap,
    password: String,
    wrong: &str,
) -> Result<Option<Response>, AppError> {
    let creds = state
        .store()
        .credentials(&me.user.name)
        .await?
        .ok_or(AppError::NotFound)?;
    if verify(password, creds.password_hash).await? {
        return Ok(None);
    }
    account_page(
        state,
        me,
        headers,
        String::new(),
        String::new(),
        wrong.into(),
    )
    .await
    .map(Some)
}

async fn account_page(
    state: &AppState,
    me: &SignedIn,
    headers: &HeaderMap,
    new_token: String,
    message: String,
    error: String,
) -> PageResult {
    let store = state.store();
    let sessions = store
        .sessions(me.user.id)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id,
            agent: if s.user_agent.is_empty() {
                "unknown browser".into()
            } else {
                s.user_agent
            },
            created: when(s.created_at),
            last_seen: when(s.last_seen),
            current: s.id == me.session.id,
        })
        .collect();
    let tokens = store
        .tokens(me.user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: when(t.created_at),
            last_used: t.last_used.map(when).unwrap_or_else(|| "never".into()),
        })
        .collect();
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AccountPage {
        chrome: Chrome::new(Some(me), headers, "/account"),
        name: me.user.name.clone(),
        is_admin: me.user.is_admin,
        sessions,
        tokens,
        new_token,
        message,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize, Default)]
struct MessageQuery {
    #[serde(default)]
    done: String,
}

async fn account(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Query(q): Query<MessageQuery>,
) -> PageResult {
    let message = match q.done.as_str() {
        "password" => "Your password is changed; your other sessions are signed out.",
        "session" => "The session is revoked.",
        "sessions" => "Every other session is signed out.",
        "token" => "The token is revoked.",
        _ => "",
    };
    account_page(
        &state,
        &me,
        &headers,
        String::new(),
        message.into(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    current: String,
    new: String,
}

async fn change_password(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    auth::check_csrf(&headers, &me, &f.csrf)?;
    if let Some(refused) = check_own_password(
        &state,
        &me,
        &headers,
        f.current,
        "The current password is not right.",
    )
    .await?
    {
        return Ok(refused);
    }
    let store = state.store();
    let new = match Password::parse(&f.new, &[&me.user.name]) {
        Ok(p) => p,
        Err(e) => {
            return account_page(&state, &me, &headers, String::new(), String::new(), e).await;
        }
    };
    store.set_password(me.user.id, &hash(new).await?).await?;
    store
        .delete_sessions(me.user.id, Some(me.session.id))
        .await?;
    Ok(Redirect::to("/account?done=password").into_response())
}

async fn revoke_session(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    auth::check_csrf(&headers, &me, &f.csrf)?;
    if !state.store().delete_session(me.user.id, id).await? {
        return Err(AppError::NotFound);
    }
    if id == me.session.id {
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(Redirect::to("/account?done=session").into_response())
}

async fn revoke_other_sessions(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    auth::check_csrf(&headers, &me, &f.csrf)?;
    state
        .store()
        .delete_sessions(me.user.id, Some(me.session.id))
        .await?;
    Ok(Redirect::to("/account?done=sessions").into_response())
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Form(f): Form<TokenForm>,
) -> PageResult {
    auth::check_csrf(&headers, &me, &f.csrf)?;
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return account_page(
            &state,
            &me,
            &headers,
            String::new(),
            String::new(),
            "Give the token a name of 1 to 100 characters (where you will use it, say).".into(),
        )
        .await;
    }
    let token = auth::new_access_token();
    state
        .store()
        .create_token(me.user.id, name, &auth::secret_hash(&token), now_ms())
        .await?;
    account_page(&state, &me, &headers, token, String::new(), String::new()).await
}

async fn revoke_token(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    auth::check_csrf(&headers, &me, &f.csrf)?;
    if !state.store().delete_token(me.user.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/account?done=token").into_response())
}

/// Everything the app keeps about the person, as JSON.
async fn export(State(state): State<AppState>, Required(me): Required) -> PageResult {
    let store = state.store();
    let progress = store.all_progress(me.user.id).await?;
    let mut roadmaps = serde_json::Map::new();
    for p in progress {
        let entry = roadmaps
            .entry(p.roadmap.clone())
            .or_insert_with(|| serde_json::json!({"roadmap": p.roadmap, "topics": {}}));
        if let Some(topics) = entry.get_mut("topics").and_then(|t| t.as_object_mut()) {
            topics.insert(p.topic.clone(), crate::api::record_json(&p));
        }
    }
    let sessions: Vec<_> = store
        .sessions(me.user.id)
        .await?
        .into_iter()
        .map(|s| serde_json::json!({"user_agent": s.user_agent, "created_at": crate::api::rfc3339(s.created_at), "last_seen": crate::api::rfc3339(s.last_seen)}))
        .collect();
    let tokens: Vec<_> = store
        .tokens(me.user.id)
        .await?
        .into_iter()
        .map(|t| serde_json::json!({"name": t.name, "created_at": crate::api::rfc3339(t.created_at)}))
        .collect();
    let body = serde_json::json!({
        "format": "leadmap-export/1",
        "exported_at": crate::api::rfc3339(now_ms()),
        "user": {"name": me.user.name, "is_admin": me.user.is_admin, "created_at": crate::api::rfc3339(me.user.created_at)},
        "progress": roadmaps.into_values().collect::<Vec<_>>(),
        "sessions": sessions,
        "tokens": tokens,
    });
    let file = format!("attachment; filename=\"leadmap-{}.json\"", me.user.name);
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, file),
        ],
        serde_json::to_string_pretty(&body).map_err(|e| AppError::Internal(e.to_string()))?,
    )
        .into_response())
}

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    csrf: String,
    password: String,
}

async fn delete_account(
    State(state): State<AppState>,
    Required(me): Required,
    headers: HeaderMap,
    Form(f): Form<DeleteForm>,
) -> PageResult {
    auth::check_csrf(&headers, &me, &f.csrf)?;
    if let Some(refused) = check_own_password(
        &state,
        &me,
        &headers,
        f.password,
        "The password is not right; the account is kept.",
    )
    .await?
    {
        return Ok(refused);
    }
    let store = state.store();
    store.delete_user(me.user.id).await?;
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("leadmap_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(res)
}
