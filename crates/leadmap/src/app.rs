//! The commands that use the database: `serve`, `user`, `token`, `mark`, `progress`,
//! `export-progress`, `import-progress`. Thin: they parse arguments, open the store, call it.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use leadmap_core::progress::Status;
use leadmap_server::auth::{self, Password};
use leadmap_server::catalog::{Entry, Summary, by_topic, status_in};
use leadmap_store::{Progress, Store, User, UserName};
use owo_colors::OwoColorize;

/// Where the database is, for every command that uses one.
#[derive(Debug, Args)]
pub struct Db {
    /// A SQLite file (path or sqlite://PATH) or postgres://… URL. Default: leadmap.db in the
    /// data directory ($LEADMAP_DATA_DIR, else the platform's, e.g. ~/.local/share/leadmap).
    #[arg(long, env = "LEADMAP_DATABASE_URL", global = true)]
    database_url: Option<String>,
}

impl Db {
    fn url(&self) -> Result<String> {
        if let Some(u) = &self.database_url {
            return Ok(u.clone());
        }
        let dir = match std::env::var_os("LEADMAP_DATA_DIR") {
            Some(d) => PathBuf::from(d),
            None => dirs::data_dir()
                .context("no data directory on this system: pass --database-url")?
                .join("leadmap"),
        };
        Ok(dir.join("leadmap.db").to_string_lossy().into_owned())
    }

    async fn open(&self) -> Result<Box<dyn Store>> {
        let url = self.url()?;
        leadmap_store::open(&url)
            .await
            .with_context(|| format!("cannot open the database {}", redact(&url)))
    }
}

/// A URL with its password hidden, for messages.
fn redact(url: &str) -> String {
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

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "LEADMAP_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Mark cookies Secure and send HSTS (set when a TLS proxy is in front).
    #[arg(long, env = "LEADMAP_SECURE_COOKIES")]
    secure_cookies: bool,
    #[command(flatten)]
    db: Db,
}

pub fn serve(a: ServeArgs) -> Result<ExitCode> {
    // A long-lived, many-threaded process: mimalloc's ground (see `alloc.rs`).
    crate::alloc::use_mimalloc();
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("LEADMAP_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    runtime()?.block_on(async {
        let url = a.db.url()?;
        let store = a.db.open().await?;
        let backend = store.backend();
        let config = leadmap_server::Config {
            secure_cookies: a.secure_cookies,
        };
        let state = leadmap_server::AppState::new(store, config).await?;
        let listener = tokio::net::TcpListener::bind(&a.addr)
            .await
            .with_context(|| format!("cannot listen on {}", a.addr))?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}");
        let mut out = std::io::stdout().lock();
        writeln!(out, "Leadmap is running at {base}/")?;
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
}

pub fn user(c: UserCmd) -> Result<ExitCode> {
    runtime()?.block_on(async {
        match c {
            UserCmd::Add {
                name,
                admin,
                password_stdin,
                db,
            } => {
                let name = UserName::parse(&name).map_err(anyhow::Error::msg)?;
                let (password, generated) = if password_stdin {
                    let mut line = String::new();
                    // One line: the first line is the password, whatever follows it.
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("cannot read the password from standard input")?;
                    let line = line.trim_end_matches(['\r', '\n']).to_owned();
                    (line, false)
                } else {
                    (generated_password(), true)
                };
                let password =
                    Password::parse(&password, &[name.as_str()]).map_err(anyhow::Error::msg)?;
                let store = db.open().await?;
                let first = store.user_count().await? == 0;
                let hash = auth::hash_password(&password)?;
                let user = store
                    .create_user(&name, &hash, admin || first, now_ms())
                    .await?;
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
                    .set_header(["Name", "Admin", "Created"]);
                for u in store.users().await? {
                    t.add_row([
                        u.name,
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
        }
    })
}

/// Four groups of five random letters and digits (100 bits).
fn generated_password() -> String {
    let alphabet: Vec<char> = "abcdefghijkmnpqrstuvwxyz23456789".chars().collect();
    let hex = auth::random_hex(20);
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
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// The account a command acts for: `--user NAME`, or the only account there is.
async fn pick_user(store: &dyn Store, name: Option<&str>) -> Result<User> {
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
        #[arg(long)]
        user: Option<String>,
        #[command(flatten)]
        db: Db,
    },
}

pub fn token(c: TokenCmd) -> Result<ExitCode> {
    let TokenCmd::Create { name, user, db } = c;
    runtime()?.block_on(async {
        let store = db.open().await?;
        let u = pick_user(&*store, user.as_deref()).await?;
        let token = auth::new_access_token();
        store
            .create_token(u.id, name.trim(), &auth::secret_hash(&token), now_ms())
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
    #[arg(long)]
    user: Option<String>,
    #[command(flatten)]
    db: Db,
}

pub fn mark(a: MarkArgs) -> Result<ExitCode> {
    let status = Status::parse(&a.status).with_context(|| {
        format!(
            "unknown status {:?}: use done, learning, skipped or pending",
            a.status
        )
    })?;
    let e = roadmap(&a.roadmap)?;
    if !e.has_topic(&a.topic) {
        bail!(
            "{:?} has no topic {:?} (see `leadmap show {}`)",
            a.roadmap,
            a.topic,
            a.roadmap
        );
    }
    runtime()?.block_on(async {
        let store = a.db.open().await?;
        let u = pick_user(&*store, a.user.as_deref()).await?;
        let rec = store
            .set_progress(u.id, &e.id, &a.topic, status, a.note.as_deref(), now_ms())
            .await?;
        let title = e
            .roadmap
            .find(&a.topic)
            .map(|n| n.title.plain())
            .unwrap_or_default();
        println!("{}: {} is {}", u.name, title, rec.status);
        Ok(ExitCode::SUCCESS)
    })
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Args)]
pub struct ProgressArgs {
    roadmap: String,
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
    let e = roadmap(&a.roadmap)?;
    runtime()?.block_on(async {
        let store = a.db.open().await?;
        let u = pick_user(&*store, a.user.as_deref()).await?;
        let records = by_topic(store.progress(u.id, &e.id).await?);
        let st = |t: &str| status_in(&records, t);
        let mut t = comfy_table::Table::new();
        t.load_style(comfy_table::presets::UTF8_BORDERS_ONLY)
            .set_header(["Area", "Done", "Learning", "Skipped", "Topics", "Progress"]);
        for area in &e.areas {
            let s = Summary::of(area.topic_ids(), st);
            t.add_row([
                area.title.clone(),
                s.done.to_string(),
                s.learning.to_string(),
                s.skipped.to_string(),
                s.total().to_string(),
                format!("{} {:>3} %", bar(s.percent, 20), s.percent),
            ]);
        }
        let all = Summary::of(e.topics.iter(), st);
        let mut out = anstream::stdout();
        writeln!(out, "{} — {}", e.title().bold(), u.name)?;
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
            Format::Json => {
                let mut topics = serde_json::Map::new();
                for p in &records {
                    topics.insert(p.topic.clone(), leadmap_server::api::record_json(p));
                }
                let v = serde_json::json!({"roadmap": a.roadmap, "user": u.name, "topics": topics});
                let mut s = serde_json::to_string_pretty(&v)?;
                s.push('\n');
                s.into_bytes()
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(["roadmap", "topic", "status", "note", "updated_at"])?;
                for p in &records {
                    w.write_record([
                        p.roadmap.as_str(),
                        p.topic.as_str(),
                        p.status.as_str(),
                        p.note.as_str(),
                        leadmap_server::api::rfc3339(p.updated_at).as_str(),
                    ])?;
                }
                w.into_inner().context("cannot write CSV")?
            }
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

/// One record read from a file, with where it was (for messages).
struct Incoming {
    at: String,
    roadmap: String,
    topic: String,
    status: String,
    note: String,
    updated_at: Option<String>,
}

pub fn import(a: ImportArgs) -> Result<ExitCode> {
    let bytes = if a.file == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        b
    } else {
        std::fs::read(&a.file).with_context(|| format!("cannot read {}", a.file))?
    };
    let path = std::path::Path::new(&a.file);
    let format = match a.format {
        Some(f) => f,
        None if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') => Format::Json,
        None => format_of(None, Some(path)),
    };
    let incoming = match format {
        Format::Json => read_json(&a.file, &bytes, a.roadmap.as_deref())?,
        Format::Csv => read_csv(&a.file, &bytes, a.roadmap.as_deref())?,
    };
    // Check everything before writing anything: a bad file changes nothing.
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let now = now_ms();
    let mut entries: Vec<Entry> = Vec::new();
    for r in incoming {
        if !entries.iter().any(|e| e.id == r.roadmap) {
            match roadmap(&r.roadmap) {
                Ok(e) => entries.push(e),
                Err(e) => {
                    errors.push(format!("{}: {e}", r.at));
                    continue;
                }
            }
        }
        let Some(e) = entries.iter().find(|e| e.id == r.roadmap) else {
            continue;
        };
        if !e.has_topic(&r.topic) {
            errors.push(format!(
                "{}: {} has no topic {:?}",
                r.at, r.roadmap, r.topic
            ));
            continue;
        }
        let Some(status) = Status::parse(&r.status) else {
            errors.push(format!(
                "{}: unknown status {:?} (done, learning, skipped or pending)",
                r.at, r.status
            ));
            continue;
        };
        let updated_at = match r.updated_at.as_deref().filter(|s| !s.is_empty()) {
            None => now,
            Some(s) => match s.parse::<jiff::Timestamp>() {
                Ok(t) => t.as_millisecond(),
                Err(err) => {
                    errors.push(format!(
                        "{}: updated_at {s:?} is not a date-time: {err}",
                        r.at
                    ));
                    continue;
                }
            },
        };
        records.push(Progress {
            roadmap: r.roadmap,
            topic: r.topic,
            status,
            note: r.note,
            updated_at,
        });
    }
    if !errors.is_empty() {
        for e in &errors {
            anstream::eprintln!("{}: {e}", "error".red().bold());
        }
        anstream::eprintln!(
            "leadmap: nothing imported: fix the {} problem(s) above",
            errors.len()
        );
        return Ok(ExitCode::from(1));
    }
    runtime()?.block_on(async {
        let store = a.db.open().await?;
        let u = pick_user(&*store, a.user.as_deref()).await?;
        let n = store.import_progress(u.id, &records).await?;
        println!("Imported {n} records for {}.", u.name);
        Ok(ExitCode::SUCCESS)
    })
}

fn read_json(file: &str, bytes: &[u8], roadmap: Option<&str>) -> Result<Vec<Incoming>> {
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| anyhow::anyhow!("{file}:{}:{}: not valid JSON: {e}", e.line(), e.column()))?;
    let rm = v
        .get("roadmap")
        .and_then(|r| r.as_str())
        .or(roadmap)
        .with_context(|| format!("{file}: the file names no roadmap: pass --roadmap ID"))?
        .to_owned();
    let topics = v.get("topics").unwrap_or(&v);
    let obj = topics.as_object().with_context(|| {
        format!("{file}: expected {{\"topics\": {{\"<topic id>\": {{\"status\": …}}}}}}")
    })?;
    let mut out = Vec::new();
    for (topic, rec) in obj {
        if topic == "roadmap" || topic == "user" {
            continue;
        }
        let (status, note, updated_at) = match rec {
            serde_json::Value::String(s) => (s.clone(), String::new(), None),
            serde_json::Value::Object(m) => (
                m.get("status")
                    .and_then(|s| s.as_str())
                    .unwrap_or("")
                    .to_owned(),
                m.get("note")
                    .and_then(|s| s.as_str())
                    .unwrap_or("")
                    .to_owned(),
                m.get("updated_at")
                    .and_then(|s| s.as_str())
                    .map(str::to_owned),
            ),
            _ => (String::new(), String::new(), None),
        };
        out.push(Incoming {
            at: format!("{file}: topic {topic:?}"),
            roadmap: rm.clone(),
            topic: topic.clone(),
            status,
            note,
            updated_at,
        });
    }
    Ok(out)
}

fn read_csv(file: &str, bytes: &[u8], roadmap: Option<&str>) -> Result<Vec<Incoming>> {
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(topic), Some(status)) = (col("topic"), col("status")) else {
        bail!("{file}:1: the header needs at least the columns topic and status");
    };
    let (rm_col, note, updated) = (col("roadmap"), col("note"), col("updated_at"));
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{file}:{}: not valid CSV", i + 2))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").to_owned();
        let rm = match get(rm_col) {
            s if !s.is_empty() => s,
            _ => roadmap
                .with_context(|| format!("{file}:{}: no roadmap column: pass --roadmap ID", i + 2))?
                .to_owned(),
        };
        out.push(Incoming {
            at: format!(
                "{file}:{}",
                rec.position().map(|p| p.line()).unwrap_or(i as u64 + 2)
            ),
            roadmap: rm,
            topic: get(Some(topic)),
            status: get(Some(status)),
            note: get(note),
            updated_at: Some(get(updated)),
        });
    }
    Ok(out)
}
