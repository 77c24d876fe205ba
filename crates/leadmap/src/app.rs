//! The commands that use the database: `serve`, `user`, `token`, `mark`, `progress`,
//! `export-progress`, `import-progress`. Thin: they parse arguments, open the store, call it.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use leadmap_app::activity;
use leadmap_app::catalog::{Catalog, Entry, Summary, by_topic, status_in};
use leadmap_app::progress::{self, Note, ProgressFile, parse_status, plan};
use leadmap_app::secrets::{self, Password};
use leadmap_app::time::now_ms;
use leadmap_store::policy::DAY_MS;
use leadmap_store::{HistoryFilter, Location, Store, User, UserName};
use owo_colors::OwoColorize;

/// Where the database is, for every command that uses one.
#[derive(Debug, Args)]
pub struct Db {
    /// A SQLite file (path or sqlite://PATH) or postgres://… URL. Default: leadmap.db in the
    /// data directory ($LEADMAP_DATA_DIR, else the platform's, e.g. ~/.local/share/leadmap).
    #[arg(long, env = "LEADMAP_DATABASE_URL", global = true)]
    pub(crate) database_url: Option<String>,
}

/// The data directory: `$LEADMAP_DATA_DIR`, else the platform's (`~/.local/share/leadmap`).
pub(crate) fn data_dir() -> Result<PathBuf> {
    Ok(match std::env::var_os("LEADMAP_DATA_DIR") {
        Some(d) => PathBuf::from(d),
        None => dirs::data_dir()
            .context("no data directory on this system: pass --database-url")?
            .join("leadmap"),
    })
}

impl Db {
    pub(crate) fn with_url(database_url: Option<String>) -> Db {
        Db { database_url }
    }

    pub(crate) fn url(&self) -> Result<String> {
        if let Some(u) = &self.database_url {
            return Ok(u.clone());
        }
        Ok(data_dir()?
            .join("leadmap.db")
            .to_string_lossy()
            .into_owned())
    }

    pub(crate) fn location(&self) -> Result<Location> {
        Ok(Location::parse(&self.url()?)?)
    }

    pub(crate) async fn open(&self) -> Result<Box<dyn Store>> {
        let url = self.url()?;
        leadmap_store::open(&url)
            .await
            .with_context(|| format!("cannot open the database {}", redact(&url)))
    }
}

/// A URL with its password hidden, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

// ---------------------------------------------------------------------------------------------

/// Logs to standard error, filtered by `LEADMAP_LOG` (default `info`).
///
/// Lines are formatted on the thread that logs and written by a thread of their own
/// (tracing-appender's non-blocking writer), so a request does not wait for standard error:
/// measured, the write cost 12–27 % of PUT throughput at saturation (docs/benchmarks.md). The
/// queue holds 128,000 lines; when it is full, loggers wait for room (lossy = false): no line
/// is dropped, and a stalled reader of standard error slows the server down as it did before.
/// Keep the guard until the process ends: dropping it writes what is queued.
fn init_logs(
    format: crate::config::LogFormat,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use crate::config::LogFormat;
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::fmt::writer::BoxMakeWriter;
    let filter = EnvFilter::try_from_env("LEADMAP_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::stderr().is_terminal();
    // LEADMAP_LOG_BLOCKING=1: each line written before the request goes on (what 0.1.0 did),
    // for when the last lines must survive a SIGKILL; the benchmarks' "before" too.
    let blocking = std::env::var("LEADMAP_LOG_BLOCKING").is_ok_and(|v| v == "1");
    let (writer, guard) = if blocking {
        (BoxMakeWriter::new(std::io::stderr), None)
    } else {
        // Buffered: the writer thread writes what queued up in one system call, and flushes
        // whenever the queue is empty (so a quiet server's lines appear at once).
        let (w, g) = tracing_appender::non_blocking::NonBlockingBuilder::default()
            .lossy(false)
            .thread_name("leadmap-log")
            .finish(std::io::BufWriter::with_capacity(
                64 * 1024,
                std::io::stderr(),
            ));
        (BoxMakeWriter::new(w), Some(g))
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let installed = match format {
        LogFormat::Text => builder.with_ansi(ansi).try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
    installed.ok().and(guard)
}

pub fn serve(a: crate::config::ServeArgs) -> Result<ExitCode> {
    let resolved = a.resolve()?;
    let c = resolved.config;
    // A long-lived, many-threaded process: mimalloc's ground (see `alloc.rs`).
    crate::alloc::use_mimalloc();
    // Held to the end of `serve`: its drop writes the queued lines ("stopped" among them).
    let _logs = init_logs(c.log_format);
    if let Some(f) = &resolved.file {
        tracing::info!(file = %f.display(), "configuration file read");
    }
    let db = Db::with_url(c.database_url.clone());
    let schedule = match (resolved.backup_every, db.location()?) {
        (None, _) => None,
        (Some(every), Location::Sqlite(path)) => Some(leadmap_app::backup::Schedule {
            dir: c.backup_dir.clone().unwrap_or_else(|| {
                path.parent()
                    .unwrap_or(std::path::Path::new("."))
                    .join("backups")
            }),
            database: path,
            every,
            keep: c.backup_keep,
        }),
        (Some(_), Location::Postgres(_)) => bail!(
            "--backup-every backs up a SQLite database; back PostgreSQL up with pg_dump \
             (see `leadmap backup`)"
        ),
    };
    runtime()?.block_on(async {
        let url = db.url()?;
        let store = db.open().await?;
        let backend = store.backend();
        let config = leadmap_server::Config {
            secure_cookies: c.secure_cookies,
            public_url: c.public_url.clone(),
            trusted_proxies: c.trusted_proxies.clone(),
            base_path: match &c.base_path {
                Some(b) => leadmap_server::web::base::BasePath::parse(b)
                    .map_err(|e| anyhow::anyhow!(e))
                    .context("base-path")?,
                None => None,
            },
            roadmap_limits: leadmap_app::publish::Limits {
                max_bytes: c.max_roadmap_bytes,
                max_topics: c.max_roadmap_topics,
            },
            private: c.private,
            open_signup: c.open_signup,
        };
        let prefix = config
            .base_path
            .as_ref()
            .map(|b| b.as_str().to_owned())
            .unwrap_or_default();
        let state = leadmap_server::AppState::new(store, config).await?;
        // Roadmaps kept in a folder (a git checkout): published before the first request,
        // then watched.
        if let Some(dir) = &c.roadmaps {
            if !dir.is_dir() {
                bail!("--roadmaps {}: no such folder", dir.display());
            }
            let mut seen = std::collections::HashMap::new();
            let n = crate::watch::scan(&state, dir, &mut seen).await;
            tracing::info!(folder = %dir.display(), published = n, "watching the roadmaps folder");
            tokio::spawn(crate::watch::run(state.clone(), dir.clone(), seen));
        }
        let listener = tokio::net::TcpListener::bind(&c.addr)
            .await
            .with_context(|| format!("cannot listen on {}", c.addr))?;
        let addr = listener.local_addr()?;
        let metrics = match &c.metrics_addr {
            Some(m) => {
                let l = tokio::net::TcpListener::bind(m)
                    .await
                    .with_context(|| format!("cannot listen on {m} for metrics"))?;
                leadmap_server::observe::install_recorder()
                    .context("cannot start the metrics recorder")?;
                let at = l.local_addr()?;
                tokio::spawn(leadmap_server::serve_metrics(
                    l,
                    state.clone(),
                    leadmap_server::shutdown_signal(),
                ));
                Some(at)
            }
            None => None,
        };
        let base = format!("http://{addr}{prefix}");
        let mut out = std::io::stdout().lock();
        writeln!(out, "Leadmap is running at {base}/")?;
        if let Some(at) = metrics {
            writeln!(out, "Metrics: http://{at}/metrics")?;
        }
        writeln!(out, "Database: {} ({backend})", redact(&url))?;
        match state.setup_path() {
            Some(p) => writeln!(
                out,
                "First run: open {base}{p} to create the owner account (the link works once)."
            )?,
            None => writeln!(out, "Sign in at {base}/login")?,
        }
        writeln!(out, "Stop with Ctrl-C.")?;
        out.flush()?;
        drop(out);
        tracing::info!(%addr, backend, "listening");
        if let Some(schedule) = schedule {
            tracing::info!(
                dir = %schedule.dir.display(),
                every_secs = schedule.every.as_secs(),
                keep = schedule.keep,
                "scheduled backups"
            );
            tokio::spawn(schedule.run(|taken| match taken {
                Ok(t) => tracing::info!(
                    path = %t.path.display(),
                    bytes = t.info.bytes,
                    removed = t.removed.len(),
                    "backup taken"
                ),
                Err(e) => tracing::error!(error = %e, "scheduled backup failed"),
            }));
        }
        leadmap_server::serve(listener, state, leadmap_server::shutdown_signal()).await?;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Create an account. The first account is the admin.
    Add {
        name: String,
        /// The name the person is shown by, spaces allowed ("Maria Manager").
        #[arg(long, value_name = "NAME")]
        display_name: Option<String>,
        /// Make the account an admin.
        #[arg(long)]
        admin: bool,
        /// Read the password from standard input (one line); otherwise one is generated and
        /// printed once.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: Db,
    },
    /// List the accounts.
    List {
        #[command(flatten)]
        db: Db,
    },
    /// Delete an account with its progress, notes, sessions and tokens (the last admin is
    /// kept while other accounts exist).
    Remove {
        name: String,
        /// Confirm: the account and everything in it go, for good.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        db: Db,
    },
    /// Give an account a new password (generated and printed once, or --password-stdin);
    /// its sessions are signed out.
    ResetPassword {
        name: String,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: Db,
    },
    /// Make an account an admin.
    Promote {
        name: String,
        #[command(flatten)]
        db: Db,
    },
    /// Take the admin role from an account (not from the last admin).
    Demote {
        name: String,
        #[command(flatten)]
        db: Db,
    },
    /// Set the name an account is shown by ("" goes back to the user name).
    Rename {
        name: String,
        display_name: String,
        #[command(flatten)]
        db: Db,
    },
}

/// A password from standard input (`stdin`: its first line) or generated; whether generated.
fn new_password(stdin: bool) -> Result<(String, bool)> {
    if stdin {
        let mut line = String::new();
        // One line: the first line is the password, whatever follows it.
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
    } else {
        Ok((generated_password(), true))
    }
}

/// The account named `name`, or an error that says there is none.
async fn account(store: &dyn leadmap_store::Store, name: &str) -> Result<leadmap_store::User> {
    match store.credentials(name).await? {
        Some(c) => Ok(c.user),
        None => bail!("no account named {name} (leadmap user list shows them)"),
    }
}

pub fn user(c: UserCmd) -> Result<ExitCode> {
    runtime()?.block_on(async {
        match c {
            UserCmd::Add {
                name,
                display_name,
                admin,
                password_stdin,
                db,
            } => {
                let name = UserName::parse(&name)?;
                let shown =
                    leadmap_app::account::display_name(display_name.as_deref().unwrap_or(""))?;
                let (password, generated) = new_password(password_stdin)?;
                let context = [name.as_str(), shown.as_deref().unwrap_or("")];
                let password = Password::parse(&password, &context)?;
                let store = db.open().await?;
                let first = store.user_count().await? == 0;
                let hash = secrets::hash_password(&password)?;
                let user = store
                    .create_user(&name, &hash, admin || first, now_ms())
                    .await?;
                if shown.is_some() {
                    store.set_display_name(user.id, shown.as_deref()).await?;
                }
                println!(
                    "Created {}{}.",
                    user.name,
                    if user.is_admin { " (admin)" } else { "" }
                );
                if generated {
                    println!("Password (shown once): {}", password.as_str());
                }
                Ok(ExitCode::SUCCESS)
            }
            UserCmd::List { db } => {
                let store = db.open().await?;
                let mut t = comfy_table::Table::new();
                t.load_style(comfy_table::presets::UTF8_BORDERS_ONLY)
                    .set_header(["Name", "Display name", "Admin", "Created"]);
                for u in store.users().await? {
                    t.add_row([
                        u.name,
                        u.display_name.unwrap_or_default(),
                        if u.is_admin {
                            "yes".into()
                        } else {
                            String::new()
                        },
                        date(u.created_at),
                    ]);
                }
                println!("{t}");
                Ok(ExitCode::SUCCESS)
            }
            UserCmd::Remove { name, yes, db } => {
                let store = db.open().await?;
                let user = account(store.as_ref(), &name).await?;
                if !yes {
                    eprintln!(
                        "leadmap: this deletes {} with their progress, notes, sessions and \
                         tokens, for good; add --yes to do it",
                        user.name
                    );
                    return Ok(ExitCode::from(2));
                }
                store.delete_user(user.id).await.map_err(last_admin)?;
                println!("Deleted {} and everything in their account.", user.name);
                Ok(ExitCode::SUCCESS)
            }
            UserCmd::ResetPassword {
                name,
                password_stdin,
                db,
            } => {
                let store = db.open().await?;
                let user = account(store.as_ref(), &name).await?;
                let (password, generated) = new_password(password_stdin)?;
                let password = Password::parse(&password, &[user.name.as_str()])?;
                let hash = secrets::hash_password(&password)?;
                store.set_password(user.id, &hash).await?;
                store.delete_sessions(user.id, None).await?;
                println!(
                    "New password for {}; their sessions are signed out.",
                    user.name
                );
                if generated {
                    println!("Password (shown once): {}", password.as_str());
                }
                Ok(ExitCode::SUCCESS)
            }
            UserCmd::Promote { name, db } => set_admin(&name, db, true).await,
            UserCmd::Demote { name, db } => set_admin(&name, db, false).await,
            UserCmd::Rename {
                name,
                display_name,
                db,
            } => {
                let store = db.open().await?;
                let user = account(store.as_ref(), &name).await?;
                leadmap_app::account::set_display_name(store.as_ref(), user.id, &display_name)
                    .await?;
                let user = account(store.as_ref(), &name).await?;
                println!("{} is shown as {}.", user.name, user.shown_name());
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

/// Promotes (`admin`) or demotes an account.
async fn set_admin(name: &str, db: Db, admin: bool) -> Result<ExitCode> {
    let store = db.open().await?;
    let user = account(store.as_ref(), name).await?;
    store.set_admin(user.id, admin).await.map_err(last_admin)?;
    println!(
        "{} is {}.",
        user.name,
        if admin {
            "an admin"
        } else {
            "no longer an admin"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// The store's refusal to lose the last admin, as the error to print.
fn last_admin(e: leadmap_store::StoreError) -> anyhow::Error {
    match e {
        leadmap_store::StoreError::Invalid(m) => anyhow::anyhow!("{m}"),
        e => e.into(),
    }
}

/// Four groups of five random letters and digits (100 bits).
fn generated_password() -> String {
    let alphabet: Vec<char> = "abcdefghijkmnpqrstuvwxyz23456789".chars().collect();
    let hex = secrets::random_hex(20);
    let chars: Vec<char> = hex
        .as_bytes()
        .chunks(2)
        .filter_map(|p| std::str::from_utf8(p).ok())
        .filter_map(|p| u8::from_str_radix(p, 16).ok())
        // 256 is a multiple of 32: every character is equally likely.
        .map(|b| alphabet[b as usize % alphabet.len()])
        .collect();
    chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

fn date(ms: i64) -> String {
    leadmap_app::time::display(ms)
}

/// The account a command acts for: `--user NAME`, or the only account there is.
pub(crate) async fn pick_user(store: &dyn Store, name: Option<&str>) -> Result<User> {
    match name {
        Some(n) => Ok(store
            .credentials(n)
            .await?
            .with_context(|| format!("no user named {n:?} (see `leadmap user list`)"))?
            .user),
        None => {
            let users = store.users().await?;
            match users.len() {
                0 => bail!("no account exists yet: create one with `leadmap user add NAME`"),
                1 => Ok(users.into_iter().next().context("one user")?),
                n => bail!("{n} accounts exist: say whose with --user NAME"),
            }
        }
    }
}

/// Refuses a roadmap id that is neither bundled nor published here (before asking whose).
async fn known_roadmap(store: &dyn Store, id: &str) -> Result<()> {
    if leadmap_bundled::get(id).is_some() || store.roadmap_record(id).await?.is_some() {
        return Ok(());
    }
    let ids: Vec<&str> = leadmap_bundled::ROADMAPS.iter().map(|b| b.id).collect();
    bail!(
        "no roadmap {id:?}; the bundled ones are {} (published ones: leadmap publish)",
        ids.join(", ")
    )
}

/// A bundled roadmap, or one published on this database that `user` may read.
async fn roadmap_for(store: &dyn Store, user: &User, id: &str) -> Result<std::sync::Arc<Entry>> {
    if let Some(b) = leadmap_bundled::get(id) {
        return Ok(std::sync::Arc::new(Entry::new(b.parse().roadmap)));
    }
    let library = leadmap_app::publish::Library::new(leadmap_app::Catalog {
        roadmaps: Vec::new(),
    });
    match library.current_published(store, id).await? {
        Some(c) if c.visible_to(Some(user)) => Ok(c.entry),
        _ => {
            let ids: Vec<&str> = leadmap_bundled::ROADMAPS.iter().map(|b| b.id).collect();
            bail!(
                "no roadmap {id:?} that {} may read; the bundled ones are {} (published ones: leadmap publish)",
                user.name,
                ids.join(", ")
            )
        }
    }
}

fn roadmap(id: &str) -> Result<Entry> {
    match leadmap_bundled::get(id) {
        Some(b) => Ok(Entry::new(b.parse().roadmap)),
        None => {
            let ids: Vec<&str> = leadmap_bundled::ROADMAPS.iter().map(|b| b.id).collect();
            bail!("no roadmap {id:?}; the roadmaps are {}", ids.join(", "))
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a personal access token and print it (once).
    Create {
        /// What the token is for ("laptop script", say).
        name: String,
        /// Days the token works (1 to 3650); without it, until revoked.
        #[arg(long)]
        expires_in_days: Option<u32>,
        #[arg(long)]
        user: Option<String>,
        #[command(flatten)]
        db: Db,
    },
}

pub fn token(c: TokenCmd) -> Result<ExitCode> {
    let TokenCmd::Create {
        name,
        user,
        expires_in_days,
        db,
    } = c;
    runtime()?.block_on(async {
        let store = db.open().await?;
        let u = pick_user(&*store, user.as_deref()).await?;
        let token =
            leadmap_app::account::create_token(&*store, u.id, &name, expires_in_days, now_ms())
                .await?;
        println!("{token}");
        if std::io::stderr().is_terminal() {
            eprintln!(
                "A token for {} named {:?}; it is shown only now. Use it as `Authorization: Bearer {token}`.",
                u.name,
                name.trim()
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Args)]
pub struct MarkArgs {
    roadmap: String,
    topic: String,
    /// done, learning, skipped or pending.
    status: String,
    /// A note to keep with the topic (the stored note is kept when absent).
    #[arg(long)]
    note: Option<String>,
    /// Add an evidence link (an http or https URL); repeat for several.
    #[arg(long)]
    evidence: Vec<String>,
    /// The label of the evidence link given in the same position.
    #[arg(long)]
    evidence_label: Vec<String>,
    /// The target date, YYYY-MM-DD (`none` clears it).
    #[arg(long)]
    due: Option<String>,
    #[arg(long)]
    user: Option<String>,
    #[command(flatten)]
    db: Db,
}

pub fn mark(a: MarkArgs) -> Result<ExitCode> {
    let status = parse_status(&a.status)?;
    let note = a.note.as_deref().map(Note::parse).transpose()?;
    if a.evidence_label.len() > a.evidence.len() {
        bail!("--evidence-label without an --evidence URL to go with it");
    }
    let added = a
        .evidence
        .iter()
        .enumerate()
        .map(|(i, url)| plan::evidence(url, a.evidence_label.get(i).map_or("", String::as_str)))
        .collect::<Result<Vec<_>, _>>()?;
    let due = match a.due.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(d) => Some(plan::due(d)?),
    };
    runtime()?.block_on(async {
        let store = a.db.open().await?;
        known_roadmap(&*store, &a.roadmap).await?;
        let u = pick_user(&*store, a.user.as_deref()).await?;
        let e = roadmap_for(&*store, &u, &a.roadmap).await?;
        let rec = progress::mark(
            &*store,
            u.id,
            &e,
            &a.topic,
            Some(status),
            note.as_ref(),
            now_ms(),
        )
        .await?;
        let links = if added.is_empty() {
            None
        } else {
            let mut links = plan::plan_of(&*store, u.id, &e.id, &a.topic)
                .await?
                .evidence;
            links.extend(added);
            let items: Vec<plan::EvidenceItem> = links.iter().map(Into::into).collect();
            Some(plan::evidence_list(&items)?)
        };
        let p = if due.is_some() || links.is_some() {
            Some(plan::set_plan(&*store, u.id, &e, &a.topic, due, links.as_deref()).await?)
        } else {
            None
        };
        let title = e
            .roadmap
            .find(&a.topic)
            .map(|n| n.title.plain())
            .unwrap_or_default();
        println!("{}: {} is {}", u.name, title, rec.status);
        if let Some(p) = p {
            if let Some(d) = plan::due_text(p.due_day) {
                println!("  due {d}");
            }
            for l in &p.evidence {
                println!(
                    "  evidence: {}{}",
                    l.url,
                    if l.label.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", l.label)
                    }
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Args)]
pub struct ProgressArgs {
    roadmap: String,
    /// Also show what moved since this day (YYYY-MM-DD, UTC): finished topics per area then
    /// and now, from the history.
    #[arg(long)]
    since: Option<String>,
    #[arg(long)]
    user: Option<String>,
    #[command(flatten)]
    db: Db,
}

fn bar(percent: u32, width: usize) -> String {
    let filled = (percent as usize * width).div_ceil(100).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

pub fn progress(a: ProgressArgs) -> Result<ExitCode> {
    let since = a.since.as_deref().map(activity::parse_day).transpose()?;
    runtime()?.block_on(async {
        let store = a.db.open().await?;
        known_roadmap(&*store, &a.roadmap).await?;
        let u = pick_user(&*store, a.user.as_deref()).await?;
        let e = roadmap_for(&*store, &u, &a.roadmap).await?;
        let records = by_topic(store.progress(u.id, &e.id).await?);
        let st = |t: &str| status_in(&records, t);
        // Per topic, how its finished count moved since the day (from the history).
        let mut moved = std::collections::HashMap::new();
        let mut changes = 0usize;
        if let Some(day) = since {
            let filter = HistoryFilter {
                roadmap: Some(e.id.clone()),
                since: Some(day * DAY_MS),
                ..HistoryFilter::default()
            };
            let all = all_changes(&*store, u.id, filter).await?;
            changes = all.len();
            moved = activity::finished_moves(&all);
        }
        let then = |topics: &mut dyn Iterator<Item = &String>, now: &Summary| -> (i64, u32) {
            let delta: i64 = topics.map(|t| moved.get(t).copied().unwrap_or(0)).sum();
            let total = now.total() as i64;
            let before = (now.done as i64 + now.skipped as i64 - delta).clamp(0, total);
            (
                delta,
                ((before * 100).checked_div(total).unwrap_or(0) as u32)
                    .max(u32::from(before > 0)),
            )
        };
        let mut t = comfy_table::Table::new();
        let mut header = vec!["Area", "Done", "Learning", "Skipped", "Topics", "Progress"];
        let since_head = a.since.as_deref().map(|d| format!("Since {d}"));
        if let Some(h) = &since_head {
            header.push(h);
        }
        t.load_style(comfy_table::presets::UTF8_BORDERS_ONLY)
            .set_header(header);
        for area in &e.areas {
            let s = Summary::of(area.topic_ids(), st);
            let mut row = vec![
                area.title.clone(),
                s.done.to_string(),
                s.learning.to_string(),
                s.skipped.to_string(),
                s.total().to_string(),
                format!("{} {:>3} %", bar(s.percent, 20), s.percent),
            ];
            if since.is_some() {
                let (delta, before) = then(&mut area.topic_ids(), &s);
                row.push(format!("{delta:+} ({before} % → {} %)", s.percent));
            }
            t.add_row(row);
        }
        let all = Summary::of(e.topics.iter(), st);
        let mut out = anstream::stdout();
        writeln!(out, "{} — {}", e.title().bold(), u.shown_name())?;
        writeln!(out, "{t}")?;
        writeln!(
            out,
            "{} {} %  ({} done, {} learning, {} skipped, {} not started)",
            bar(all.percent, 40),
            all.percent,
            all.done,
            all.learning,
            all.skipped,
            all.pending
        )?;
        if let (Some(d), Some(_)) = (&a.since, since) {
            let (delta, before) = then(&mut e.topics.iter(), &all);
            writeln!(
                out,
                "Since {d}: {before} % → {} % ({delta:+} finished topics, {changes} status changes)",
                all.percent
            )?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Every change that passes `filter`, newest first, a page at a time.
async fn all_changes(
    store: &dyn Store,
    user: leadmap_store::UserId,
    mut filter: HistoryFilter,
) -> Result<Vec<leadmap_store::Change>> {
    filter.limit = leadmap_store::policy::HISTORY_PAGE_MAX;
    let mut all = Vec::new();
    loop {
        let page = store.history(user, &filter).await?;
        let full = page.len() as u32 == filter.limit;
        let Some(last) = page.last() else { break };
        filter.before = Some((last.at, last.id));
        all.extend(page);
        if !full {
            break;
        }
    }
    Ok(all)
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum ShareCmd {
    /// Make a link to a person's progress on ROADMAP and print it (shown only now).
    Create {
        roadmap: String,
        /// Who the link is for (default: the roadmap's title).
        #[arg(long, default_value = "")]
        label: String,
        /// Days the link works (1 to 3650); without it, until revoked.
        #[arg(long)]
        expires_in_days: Option<u32>,
        /// Show the person's notes too.
        #[arg(long)]
        show_notes: bool,
        /// The name the page shows (default: the person's display name).
        #[arg(long, default_value = "")]
        name: String,
        /// The address people reach the server at; the link is printed as a path without it.
        #[arg(long, env = "LEADMAP_PUBLIC_URL")]
        public_url: Option<String>,
        #[arg(long)]
        user: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// A person's links (never their tokens).
    List {
        #[arg(long)]
        user: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// Revoke a link by its ID (`share list` shows them): it answers 404 at once.
    Revoke {
        id: i64,
        #[arg(long)]
        user: Option<String>,
        #[command(flatten)]
        db: Db,
    },
}

pub fn share(c: ShareCmd) -> Result<ExitCode> {
    runtime()?.block_on(async {
        match c {
            ShareCmd::Create {
                roadmap: id,
                label,
                expires_in_days,
                show_notes,
                name,
                public_url,
                user,
                db,
            } => {
                let e = roadmap(&id)?;
                let store = db.open().await?;
                let u = pick_user(&*store, user.as_deref()).await?;
                let made = leadmap_app::shares::create(
                    &*store,
                    &u,
                    &e,
                    &label,
                    &name,
                    expires_in_days,
                    show_notes,
                    now_ms(),
                )
                .await?;
                let path = leadmap_app::shares::path(&made.token);
                match public_url.as_deref().map(|u| u.trim_end_matches('/')) {
                    Some(base) if !base.is_empty() => println!("{base}{path}"),
                    _ => println!("{path}"),
                }
                if std::io::stderr().is_terminal() {
                    eprintln!(
                        "Link {} ({:?}) to {}'s progress on {}; it is shown only now. Badge: add /badge.svg.",
                        made.share.id,
                        made.share.label,
                        u.name,
                        e.title()
                    );
                }
            }
            ShareCmd::List { user, db } => {
                let store = db.open().await?;
                let u = pick_user(&*store, user.as_deref()).await?;
                for s in store.shares(u.id).await? {
                    println!(
                        "{}\t{}\t{}\t{}\tnotes {}\texpires {}",
                        s.id,
                        s.roadmap,
                        s.label,
                        s.shown_name,
                        if s.show_notes { "shown" } else { "hidden" },
                        s.expires_at.map_or_else(|| "never".to_owned(), date)
                    );
                }
            }
            ShareCmd::Revoke { id, user, db } => {
                let store = db.open().await?;
                let u = pick_user(&*store, user.as_deref()).await?;
                if !store.delete_share(u.id, id).await? {
                    bail!("{} has no share link {id} (leadmap share list shows them)", u.name);
                }
                println!("Revoked link {id}.");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Debug, Args)]
pub struct SyntheticHistoryArgs {
    /// How many changes.
    changes: usize,
    /// Over how many days before now.
    #[arg(long, default_value_t = 365)]
    days: i64,
    #[arg(long, default_value = "engineering-leadership")]
    roadmap: String,
    #[arg(long)]
    user: Option<String>,
    #[command(flatten)]
    db: Db,
}

pub fn synthetic_history(a: SyntheticHistoryArgs) -> Result<ExitCode> {
    let e = roadmap(&a.roadmap)?;
    let records = activity::synthetic_changes(&e.id, &e.topics, a.changes, a.days, now_ms());
    runtime()?.block_on(async {
        let store = a.db.open().await?;
        let u = pick_user(&*store, a.user.as_deref()).await?;
        for chunk in records.chunks(10_000) {
            store.import_progress(u.id, chunk).await?;
        }
        println!(
            "{} changes stored; {} has {} in their history",
            records.len(),
            u.name,
            store.history_len(u.id).await?
        );
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only the changes of this roadmap.
    #[arg(long)]
    roadmap: Option<String>,
    /// Only changes on or after this day (YYYY-MM-DD, UTC).
    #[arg(long)]
    since: Option<String>,
    /// How many of the latest changes a terminal shows under the heatmap.
    #[arg(long, default_value_t = 20)]
    latest: u32,
    #[arg(long)]
    user: Option<String>,
    #[command(flatten)]
    db: Db,
}

pub fn history(a: HistoryArgs) -> Result<ExitCode> {
    let catalog = Catalog::bundled();
    let query = activity::FilterQuery {
        roadmap: a.roadmap.clone().unwrap_or_default(),
        from: a.since.clone().unwrap_or_default(),
        ..activity::FilterQuery::default()
    };
    let filter = query.filter(&catalog)?;
    let terminal = std::io::stdout().is_terminal();
    runtime()?.block_on(async {
        let store = a.db.open().await?;
        let u = pick_user(&*store, a.user.as_deref()).await?;
        let mut out = anstream::stdout();
        if !terminal {
            // One row per change, the newest first: time, roadmap, topic, from, to.
            for c in all_changes(&*store, u.id, filter).await? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    leadmap_app::time::rfc3339(c.at),
                    c.roadmap,
                    c.topic,
                    activity::word(c.from),
                    c.to
                )?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        let today = activity::day_of(now_ms());
        let days = store
            .history_days(u.id, Some(activity::Calendar::first_day(today)))
            .await?;
        let days: Vec<_> = days
            .into_iter()
            .filter(|d| filter.roadmap.as_ref().is_none_or(|r| *r == d.roadmap))
            .collect();
        let cal = activity::Calendar::new(&days, today);
        writeln!(
            out,
            "{} — {} status changes on {} days in the last twelve months",
            u.shown_name().bold(),
            cal.total(),
            cal.active_days()
        )?;
        write!(out, "{}", cal.blocks())?;
        let latest = store
            .history(
                u.id,
                &HistoryFilter {
                    limit: a.latest,
                    ..filter
                },
            )
            .await?;
        if !latest.is_empty() {
            writeln!(out)?;
        }
        for c in &latest {
            let topic = catalog
                .get(&c.roadmap)
                .and_then(|e| e.roadmap.find(&c.topic))
                .map_or_else(|| c.topic.clone(), |n| n.title.plain());
            writeln!(
                out,
                "{}  {}  {} → {}  ({})",
                date(c.at),
                topic,
                activity::word(c.from),
                c.to,
                c.roadmap
            )?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    roadmap: String,
    /// json (what `leadmap render --progress` reads) or csv; default from the output's
    /// extension, else json.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The file to write (standard output when absent).
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[arg(long)]
    user: Option<String>,
    #[command(flatten)]
    db: Db,
}

fn format_of(explicit: Option<Format>, path: Option<&std::path::Path>) -> Format {
    explicit.unwrap_or_else(
        || match path.and_then(|p| p.extension()).and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Json,
        },
    )
}

pub fn export(a: ExportArgs) -> Result<ExitCode> {
    let format = format_of(a.format, a.output.as_deref());
    runtime()?.block_on(async {
        let store = a.db.open().await?;
        let u = pick_user(&*store, a.user.as_deref()).await?;
        let records = store.progress(u.id, &a.roadmap).await?;
        let bytes = match format {
            Format::Json => ProgressFile::new(&a.roadmap, Some(&u.name), &records)
                .to_json()
                .into_bytes(),
            Format::Csv => progress::to_csv(&records).context("cannot write CSV")?,
        };
        match &a.output {
            Some(path) => {
                std::fs::write(path, &bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!(
                    "Wrote {} records of {} to {}",
                    records.len(),
                    u.name,
                    path.display()
                );
            }
            None => std::io::stdout().lock().write_all(&bytes)?,
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A JSON or CSV file written by export-progress (`-` reads standard input).
    file: String,
    /// The roadmap, when the file does not say (a flat JSON map).
    #[arg(long)]
    roadmap: Option<String>,
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[arg(long)]
    user: Option<String>,
    #[command(flatten)]
    db: Db,
}

pub fn import(a: ImportArgs) -> Result<ExitCode> {
    let bytes = crate::input::read(&a.file)?;
    let path = std::path::Path::new(&a.file);
    let format = match a.format {
        Some(f) => f,
        None if progress::Format::sniff(&bytes) == progress::Format::Json => Format::Json,
        None => format_of(None, Some(path)),
    };
    let format = match format {
        Format::Json => progress::Format::Json,
        Format::Csv => progress::Format::Csv,
    };
    let incoming = progress::read(&a.file, &bytes, format, a.roadmap.as_deref())?;
    // Check everything before writing anything: a bad file changes nothing.
    let records = match progress::check(incoming, &Catalog::bundled(), now_ms()) {
        Ok(r) => r,
        Err(errors) => {
            for e in &errors {
                anstream::eprintln!("{}: {e}", "error".red().bold());
            }
            anstream::eprintln!(
                "leadmap: nothing imported: fix the {} problem(s) above",
                errors.len()
            );
            return Ok(ExitCode::from(1));
        }
    };
    // An account export carries the topics' plans (target dates, evidence links) too.
    let plans = if format == progress::Format::Json {
        match plan::read_plans(&a.file, &bytes, &Catalog::bundled()) {
            Ok(p) => p,
            Err(errors) => {
                for e in &errors {
                    anstream::eprintln!("{}: {e}", "error".red().bold());
                }
                anstream::eprintln!(
                    "leadmap: nothing imported: fix the {} problem(s) above",
                    errors.len()
                );
                return Ok(ExitCode::from(1));
            }
        }
    } else {
        Vec::new()
    };
    runtime()?.block_on(async {
        let store = a.db.open().await?;
        let u = pick_user(&*store, a.user.as_deref()).await?;
        let n = store.import_progress(u.id, &records).await?;
        let planned = plan::import_plans(&*store, u.id, &plans).await?;
        if planned > 0 {
            println!(
                "Imported {n} records and {planned} plans (target dates, evidence) for {}.",
                u.name
            );
        } else {
            println!("Imported {n} records for {}.", u.name);
        }
        Ok(ExitCode::SUCCESS)
    })
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write (it must not exist).
    file: PathBuf,
    #[command(flatten)]
    db: Db,
}

/// `leadmap backup FILE`: a consistent copy of the SQLite database, safe while `serve` runs;
/// for PostgreSQL, what to run instead (after checking that the database answers).
pub fn backup(a: BackupArgs) -> Result<ExitCode> {
    match a.db.location()? {
        Location::Sqlite(path) => {
            let info = leadmap_store::sqlite::backup_file(&path, &a.file)
                .with_context(|| format!("cannot back up {}", path.display()))?;
            println!(
                "Backed up {} to {} (schema version {}, {} accounts, {} progress records, {} bytes).",
                path.display(),
                a.file.display(),
                info.schema_version,
                info.users,
                info.records,
                info.bytes
            );
            Ok(ExitCode::SUCCESS)
        }
        Location::Postgres(url) => {
            let info = runtime()?
                .block_on(leadmap_store::postgres::probe(&url))
                .with_context(|| format!("cannot reach {}", redact(&url)))?;
            let shown = redact(&url);
            println!(
                "PostgreSQL {} at {} answers (database {}, schema version {}).",
                info.server_version,
                info.addr,
                info.database,
                info.schema_version
                    .map_or_else(|| "none: Leadmap never ran on it".into(), |v| v.to_string())
            );
            println!(
                "Leadmap does not copy a PostgreSQL database itself; nothing was written. Use \
                 PostgreSQL's own tools (pg_dump of major version {} or newer):",
                info.server_version
                    .split(['.', ' '])
                    .next()
                    .unwrap_or_default()
            );
            println!(
                "  pg_dump --format=custom --file={} '{shown}'",
                a.file.display()
            );
            println!(
                "  pg_restore --clean --if-exists --no-owner --dbname='{shown}' {}   # to restore",
                a.file.display()
            );
            Ok(ExitCode::from(1))
        }
    }
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup written by `leadmap backup` (or `serve --backup-every`).
    file: PathBuf,
    /// Replace a database that holds data (stop the server first).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    db: Db,
}

/// `leadmap restore FILE`: checks the backup, then copies it into an empty database path.
pub fn restore(a: RestoreArgs) -> Result<ExitCode> {
    match a.db.location()? {
        Location::Sqlite(path) => {
            let info = leadmap_store::sqlite::restore_file(&a.file, &path, a.force)
                .with_context(|| format!("cannot restore {}", a.file.display()))?;
            println!(
                "Restored {} into {} (schema version {}, {} accounts, {} progress records; \
                 integrity check passed).",
                a.file.display(),
                path.display(),
                info.schema_version,
                info.users,
                info.records
            );
            Ok(ExitCode::SUCCESS)
        }
        Location::Postgres(url) => {
            let info = runtime()?
                .block_on(leadmap_store::postgres::probe(&url))
                .with_context(|| format!("cannot reach {}", redact(&url)))?;
            println!(
                "PostgreSQL {} at {} answers (database {}). Leadmap does not restore PostgreSQL \
                 itself; nothing was written. Use:",
                info.server_version, info.addr, info.database
            );
            println!(
                "  pg_restore --clean --if-exists --no-owner --dbname='{}' {}",
                redact(&url),
                a.file.display()
            );
            Ok(ExitCode::from(1))
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The database to copy: sqlite:PATH (stop the server first: rows written after the copy
    /// began are not in it).
    #[arg(long, value_name = "URL")]
    from: String,
    /// The empty PostgreSQL database to copy into: postgres://USER[:PASSWORD]@HOST[:PORT]/DB.
    #[arg(long, value_name = "URL")]
    to: String,
}

/// `leadmap migrate --from sqlite:PATH --to postgres://…`: the copy, then its report.
pub fn migrate(a: MigrateArgs) -> Result<ExitCode> {
    let to = redact(&a.to);
    let report = runtime()?
        .block_on(leadmap_app::migrate::migrate(&a.from, &a.to))
        .with_context(|| format!("cannot migrate {} to {to}", a.from))?;
    print!("{report}");
    if report.verified() {
        println!(
            "Copied {} rows in {} tables into {to} (schema version {}); every table's row count \
             and checksum agree. Serve from it with --database '{to}'.",
            report.rows(),
            report.tables.len(),
            report.schema_version
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "leadmap: the copy in {to} does not match its source (MISMATCH above); do not serve \
             from it"
        );
        Ok(ExitCode::from(1))
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the configuration `serve` would run with (the same flags as `serve`), the
    /// database password hidden.
    Show(crate::config::ServeArgs),
}

pub fn config(c: ConfigCmd) -> Result<ExitCode> {
    let ConfigCmd::Show(a) = c;
    print!("{}", a.resolve()?.show()?);
    Ok(ExitCode::SUCCESS)
}
