//! The app's state: the store (held here, in `access`, and handed to handlers only as scoped
//! capabilities), the roadmaps served, the configuration and the first-run link.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leadmap_app::Catalog;
use leadmap_app::publish::{Current, Library, Limits};
use leadmap_app::secrets::{self, Password};
use leadmap_store::{Store, StoreError};
use tokio::sync::Semaphore;

use crate::web::error::AppError;

/// How the app is reached.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies `Secure` and send HSTS: set when the app is served over TLS (behind a
    /// proxy that terminates it).
    pub secure_cookies: bool,
    /// The URL people reach the app at (`https://leadmap.example.com`), when a proxy in front
    /// rewrites `Host`: form posts must then come from this origin.
    pub public_url: Option<String>,
    /// Proxies whose `X-Forwarded-For` names the client (the sign-in throttle and the logs
    /// count that address instead of the proxy's).
    pub trusted_proxies: Vec<IpAddr>,
    /// The path prefix the app is served under behind a proxy that passes the path unchanged
    /// (`/leadmap`); `None`: the root. See [`crate::web::base`].
    pub base_path: Option<crate::web::base::BasePath>,
    /// How large a roadmap may be published here.
    pub roadmap_limits: Limits,
    /// Every page needs an account: public roadmaps (the bundled ones too) are not shown to
    /// visitors without one (`serve --private`).
    pub private: bool,
    /// Anyone may create an account at /signup (`serve --open-signup`); off, people join by
    /// an invite link or an admin creates their account.
    pub open_signup: bool,
}

impl Config {
    /// `scheme://host[:port]` of the public URL.
    pub fn public_origin(&self) -> Option<String> {
        let url = self.public_url.as_deref()?.trim_end_matches('/');
        let (scheme, rest) = url.split_once("://")?;
        let host = rest.split('/').next().unwrap_or_default();
        Some(format!("{scheme}://{host}"))
    }
}

#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    store: Box<dyn Store>,
    library: Library,
    config: Config,
    /// The first-run link's secret while no account exists.
    setup_token: Mutex<Option<String>>,
    /// A hash to verify against when the user is unknown, so that the answer takes as long.
    dummy_hash: String,
    /// Password hashes running at once: each takes 19 MiB and a core for ~30 ms.
    hashing: Semaphore,
    /// Pages that are the same for every visitor without an account (a public roadmap at one
    /// version in one theme), rendered once; see [`AppState::visitor_page`].
    visitor_pages: Mutex<std::collections::HashMap<String, axum::body::Bytes>>,
    /// Team members' records, kept between requests and checked against the database's
    /// clocks on every read (see [`leadmap_app::teams::records`]).
    team_records: leadmap_app::teams::RecordsCache,
}

/// How many visitor pages are kept before the cache starts again (a few per roadmap).
const VISITOR_PAGES: usize = 256;

/// How long a sign-in waits for a free hashing slot before the server answers 503.
const HASH_WAIT: Duration = Duration::from_secs(3);

impl AppState {
    /// The app over a store, serving the bundled roadmaps.
    pub async fn new(store: Box<dyn Store>, config: Config) -> Result<AppState, AppError> {
        let setup_token = if store.user_count().await? == 0 {
            Some(secrets::random_hex(16))
        } else {
            None
        };
        let dummy = Password::parse("a password nobody has, for timing", &[])
            .map_err(|e| AppError::internal("the dummy password", e))?;
        let dummy_hash = tokio::task::spawn_blocking(move || secrets::hash_password(&dummy))
            .await
            .map_err(|e| AppError::internal("hashing the dummy password", e))?
            .map_err(|e| AppError::internal("hashing the dummy password", e))?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let library = Library::new(Catalog::bundled());
        // The bundled roadmaps as versions in the store: their ids are taken, their history
        // kept across upgrades.
        let synced = library
            .sync_bundled(
                &*store,
                env!("CARGO_PKG_VERSION"),
                leadmap_app::time::now_ms(),
            )
            .await?;
        for s in &synced {
            tracing::info!(
                roadmap = %s.roadmap,
                version = s.version,
                "stored this release's bundled roadmap as a new version"
            );
            if !s.orphans.is_empty() {
                let records: i64 = s.orphans.iter().map(|o| o.people).sum();
                let topics: Vec<&str> = s.orphans.iter().map(|o| o.topic.as_str()).collect();
                tracing::warn!(
                    roadmap = %s.roadmap,
                    records,
                    topics = ?topics,
                    "progress on topics this release's roadmap no longer has is kept, orphaned"
                );
            }
        }
        Ok(AppState(Arc::new(Inner {
            store,
            library,
            config,
            setup_token: Mutex::new(setup_token),
            dummy_hash,
            hashing: Semaphore::new(cores),
            visitor_pages: Mutex::new(std::collections::HashMap::new()),
            team_records: leadmap_app::teams::RecordsCache::default(),
        })))
    }

    /// The whole store: for this module only, which hands out scoped capabilities.
    pub(super) fn store(&self) -> &dyn Store {
        &*self.0.store
    }

    /// The records of these people on a roadmap that are not pending, shared notes included:
    /// for this module only, whose callers have decided whose records may be read.
    pub(super) async fn team_records(
        &self,
        users: &[leadmap_store::UserId],
        roadmap: &str,
    ) -> Result<leadmap_app::teams::TeamRecords, AppError> {
        Ok(self
            .0
            .team_records
            .records(self.store(), users, roadmap)
            .await?)
    }

    /// The bundled roadmaps.
    pub fn catalog(&self) -> &Catalog {
        self.0.library.bundled()
    }

    pub(super) fn library(&self) -> &Library {
        &self.0.library
    }

    /// The roadmap `id` as `viewer` (`None`: a visitor without an account) may read it; one
    /// they may not read is not found, exactly like one that does not exist.
    pub async fn roadmap(
        &self,
        viewer: Option<&leadmap_store::User>,
        id: &str,
    ) -> Result<Current, AppError> {
        match self.library().current(self.store(), id).await? {
            Some(_) if viewer.is_none() && self.config().private => Err(AppError::NotFound),
            Some(c) if c.visible_to(viewer) => Ok(c),
            _ => Err(AppError::NotFound),
        }
    }

    /// Publishes a roadmap as the server itself (from the folder `serve --roadmaps` watches):
    /// a new roadmap is visible to everyone signed in; editable afterwards by admins only.
    pub async fn publish_from_folder(
        &self,
        source: &[u8],
        message: &str,
    ) -> Result<leadmap_app::publish::Report, leadmap_app::publish::PublishError> {
        let req = leadmap_app::publish::Request {
            id: None,
            source,
            message,
            map: &[],
            base: None,
            dry_run: false,
            visibility: leadmap_store::Visibility::SignedIn,
        };
        leadmap_app::publish::publish(
            self.store(),
            self.library(),
            self.config().roadmap_limits,
            leadmap_app::publish::Publisher::Server,
            &req,
            leadmap_app::time::now_ms(),
        )
        .await
    }

    /// Every roadmap `viewer` may read: the bundled ones, then the published ones by id.
    pub async fn roadmaps(
        &self,
        viewer: Option<&leadmap_store::User>,
    ) -> Result<Vec<Current>, AppError> {
        Ok(self.library().visible(self.store(), viewer).await?)
    }

    /// The origin links are written with: the configured public URL, else this request's
    /// host.
    pub fn link_origin(&self, headers: &axum::http::HeaderMap) -> String {
        self.config().public_origin().unwrap_or_else(|| {
            let host = headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        })
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// A page the same for every visitor without an account, by a key that names all it
    /// depends on (the roadmap, its version, the theme): from memory when it was rendered
    /// before, else rendered by `render` and kept. Nothing of any account is in such a page.
    pub fn visitor_page(
        &self,
        key: String,
        render: impl FnOnce() -> Result<String, AppError>,
    ) -> Result<axum::body::Bytes, AppError> {
        if let Some(b) = self
            .0
            .visitor_pages
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return Ok(b);
        }
        let page = axum::body::Bytes::from(render()?);
        if let Ok(mut m) = self.0.visitor_pages.lock() {
            if m.len() >= VISITOR_PAGES {
                m.clear();
            }
            m.insert(key, page.clone());
        }
        Ok(page)
    }

    /// The path of the one-time link that creates the owner account, while none exists.
    pub fn setup_path(&self) -> Option<String> {
        self.setup_token().map(|t| format!("/setup?token={t}"))
    }

    pub(super) fn setup_token(&self) -> Option<String> {
        self.0.setup_token.lock().ok().and_then(|t| t.clone())
    }

    pub(super) fn clear_setup_token(&self) {
        if let Ok(mut t) = self.0.setup_token.lock() {
            *t = None;
        }
    }

    pub(super) fn dummy_hash(&self) -> &str {
        &self.0.dummy_hash
    }

    /// Whether any account exists (the welcome page offers the first-run link otherwise).
    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        Ok(self.store().user_count().await? > 0)
    }

    /// Whether the database answers (`/readyz`).
    pub async fn health(&self) -> Result<(), StoreError> {
        self.store().user_count().await.map(|_| ())
    }

    /// Runs password hashing work off the async threads, at most one per core at a time; a
    /// caller that finds no free slot within a few seconds gets 503 with Retry-After.
    pub(super) async fn hashing<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(HASH_WAIT, self.0.hashing.acquire())
            .await
            .map_err(|_| AppError::Busy { retry_after: 2 })?
            .map_err(|e| AppError::internal("the hashing semaphore", e))?;
        let out = tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::internal("a hashing thread", e))?;
        drop(permit);
        Ok(out)
    }
}
