//! Command definitions and their (thin) implementations.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use leadmap_core::check::{Resolver, check};
use leadmap_core::diagnostic::Severity;
use leadmap_core::import::{self, Format};
use leadmap_core::{Diagnostic, Kind, LineIndex, Node, Parsed, Roadmap};
use owo_colors::OwoColorize;

#[derive(Debug, Parser)]
#[command(
    name = "leadmap",
    version,
    about = "Engineering-leadership roadmaps as code: check, import, show, render; a web app to track progress.",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The version `--version` prints: the program's and the database schema's it knows.
pub fn version() -> String {
    format!(
        "{} (database schema version {})",
        env!("CARGO_PKG_VERSION"),
        leadmap_store::SCHEMA_VERSION
    )
}

/// The command line's definition, with [`version`].
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command().version(version())
}

/// `leadmap man`: the man page on standard output, or every command's page into a directory.
fn man(dir: Option<&Path>) -> Result<ExitCode> {
    let cmd = command();
    match dir {
        None => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            out.flush()?;
        }
        Some(d) => {
            std::fs::create_dir_all(d).with_context(|| format!("cannot make {}", d.display()))?;
            clap_mangen::generate_to(cmd, d)
                .with_context(|| format!("cannot write the man pages into {}", d.display()))?;
            eprintln!("Wrote the man pages into {}", d.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the roadmaps bundled in the binary.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show a roadmap as a tree, or as JSON.
    Show {
        /// A Markdown file, or the id of a bundled roadmap (see `leadmap list`).
        roadmap: String,
        /// A topic's id: print what it means, how to start, pitfalls, resources.
        topic: Option<String>,
        /// Print the model as JSON (the shape is documented in docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// List the bundled templates (`leadmap template`), or print one (`leadmap template NAME`).
    Template {
        /// A template id; `list` or nothing lists them.
        name: Option<String>,
        /// Write the template to this file instead of printing it.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Check roadmap files; print every problem as file:line:col. Exit 1 on errors.
    Check {
        /// Markdown roadmap files (or bundled roadmap ids).
        #[arg(required = true)]
        files: Vec<String>,
        /// Treat warnings as errors, and require every topic's content (summary, steps,
        /// pitfalls, resources, related; `Established:` when the roadmap says `practices`).
        #[arg(long)]
        strict: bool,
    },
    /// Print a roadmap file in the canonical form, every node with its id (frozen ids
    /// survive renames). With --write, rewrite the file in place.
    Fmt {
        file: PathBuf,
        /// Rewrite the file instead of printing it.
        #[arg(short, long)]
        write: bool,
    },
    /// Compare two versions of a roadmap, node by node by id: what was added, removed,
    /// renamed, moved, or changed in content, and an id map to consider for the removed ids.
    /// Exit 0 when they are the same, 1 when they differ, 2 on an error.
    Diff {
        /// The old version: a Markdown file (its topic files beside it are merged in, as
        /// `show` does), or the id of a bundled roadmap.
        old: String,
        /// The new version, likewise.
        new: String,
        /// Print {"diff": …, "suggested_map": […]} as JSON instead of a report.
        #[arg(long)]
        json: bool,
    },
    /// Draw a roadmap: SVG, PNG, PDF or a self-contained HTML page.
    Render {
        /// A Markdown file, or the id of a bundled roadmap.
        roadmap: String,
        /// Output file; the format follows its extension unless --format is given.
        #[arg(short, long)]
        output: PathBuf,
        /// svg, png, pdf or html.
        #[arg(long, value_enum)]
        format: Option<RenderFormat>,
        /// light or dark.
        #[arg(long, default_value = "light")]
        theme: ThemeArg,
        /// PNG: width in pixels (overrides --scale).
        #[arg(long)]
        width: Option<u32>,
        /// PNG: scale factor (1 = one pixel per layout unit; the default 2 is sharp on a
        /// high-density screen and in print).
        #[arg(long, default_value_t = 2.0)]
        scale: f32,
        /// PDF paper: a4 or letter (the diagram's width fitted to the paper, down as many
        /// pages as it needs: ready to print), or natural (one page the size of the diagram,
        /// for the screen).
        #[arg(long, default_value = "a4")]
        page: String,
        /// PDF on a4 or letter: print size (14 px text prints at 10.5 pt), across and down as
        /// many pages as the diagram needs.
        #[arg(long, conflicts_with = "one_page")]
        tiles: bool,
        /// PDF on a4 or letter: the whole diagram scaled down onto one sheet.
        #[arg(long)]
        one_page: bool,
        /// A progress file (topic id → status) to draw a person's own map.
        #[arg(long)]
        progress: Option<PathBuf>,
    },
    /// Write a synthetic roadmap of N topics (for benchmarks): Markdown, Graphviz DOT or a
    /// PlantUML mindmap of the same tree.
    #[command(hide = true)]
    Synthetic {
        topics: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, value_enum, default_value = "markdown")]
        format: SynthFormat,
    },
    /// Run the web app (SQLite in the data directory unless --database-url says otherwise).
    Serve(crate::config::ServeArgs),
    /// The configuration: `config show` prints what `serve` would run with.
    #[command(subcommand)]
    Config(crate::app::ConfigCmd),
    /// Print a shell completion script: `leadmap completions bash > /etc/bash_completion.d/leadmap`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command into --dir.
    Man {
        /// Write leadmap.1 and leadmap-COMMAND.1 into this directory.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Manage accounts: add, list, remove, reset-password, promote, demote.
    #[command(subcommand)]
    User(crate::app::UserCmd),
    /// Personal access tokens for the JSON API: `token create NAME`.
    #[command(subcommand)]
    Token(crate::app::TokenCmd),
    /// Mark a topic: leadmap mark ROADMAP TOPIC done|learning|skipped|pending.
    Mark(crate::app::MarkArgs),
    /// Publish a roadmap file as a new version on the server (into the database, or with
    /// --server through the API): checked first; --dry-run shows the diff and the orphans.
    Publish(crate::publish::PublishArgs),
    /// A person's progress on a roadmap: per area, with bars (--since DATE: what moved since).
    Progress(crate::app::ProgressArgs),
    /// A person's status changes: a heatmap of the last twelve months and the latest changes
    /// on a terminal, one tab-separated row per change when piped.
    History(crate::app::HistoryArgs),
    /// Share links to a person's progress on a roadmap: `share create ROADMAP` prints the link,
    /// `share list`, `share revoke ID`.
    #[command(subcommand)]
    Share(crate::app::ShareCmd),
    /// Store N synthetic status changes for a person (benchmarks of the activity page).
    #[command(hide = true)]
    SyntheticHistory(crate::app::SyntheticHistoryArgs),
    /// Teams: `team create NAME`, `list`, `show TEAM`, `add TEAM USER --role manager|member`,
    /// `remove`, `invite TEAM` (prints the link), `delete`, `heatmap TEAM ROADMAP -o FILE`.
    #[command(subcommand)]
    Team(crate::team::TeamCmd),
    /// Practice assessments of the organisation or a team on a roadmap: `assess new`, `rate ID
    /// PRACTICE LEVEL`, `show ID`, `publish ID`, `report ID -o FILE`, `compare FROM TO`,
    /// `import ID FILE`, `export ID`, `list`.
    #[command(subcommand)]
    Assess(crate::assess::AssessCmd),
    /// Publish a synthetic roadmap and make a large team with a year of statuses on it
    /// (benchmarks of the team dashboard).
    #[command(hide = true)]
    SyntheticTeam(crate::team::SyntheticTeamArgs),
    /// An admin and an organisation of teams with quarterly assessments (benchmarks of the
    /// assessment pages).
    #[command(hide = true)]
    SyntheticAssessments(crate::assess::SyntheticAssessmentsArgs),
    /// Write a person's progress on a roadmap as JSON (what `render --progress` reads) or CSV.
    ExportProgress(crate::app::ExportArgs),
    /// Read progress from a JSON or CSV export into the database.
    ImportProgress(crate::app::ImportArgs),
    /// Back the database up to FILE while the server may run (SQLite); for PostgreSQL, print
    /// the pg_dump command to use.
    Backup(crate::app::BackupArgs),
    /// Restore a backup into an empty database path (--force to replace one with data).
    Restore(crate::app::RestoreArgs),
    /// Copy a SQLite database into an empty PostgreSQL database, verified table by table:
    /// leadmap migrate --from sqlite:/var/lib/leadmap/leadmap.db --to postgres://leadmap@db/leadmap
    Migrate(crate::app::MigrateArgs),
    /// Import a plain-text outline or a roadmap.sh JSON export into the Markdown format.
    Import {
        /// The file to import (`-` reads standard input).
        file: String,
        /// Where to write the Markdown (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The input format; detected from the content when absent.
        #[arg(long, value_enum)]
        from: Option<From>,
        /// The roadmap's id (default: the output file's name, else the title).
        #[arg(long)]
        id: Option<String>,
        /// Print every warning (by default, more than 10 are summed up by kind, with the
        /// first few in full).
        #[arg(short, long)]
        verbose: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RenderFormat {
    Svg,
    Png,
    Pdf,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SynthFormat {
    Markdown,
    Dot,
    Plantuml,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ThemeArg {
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum From {
    Outline,
    Roadmapsh,
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::List { json } => list(json),
        Command::Show {
            roadmap,
            topic,
            json,
        } => match topic {
            Some(t) => show_topic(&roadmap, &t, json),
            None => show(&roadmap, json),
        },
        Command::Template { name, output } => template(name.as_deref(), output.as_deref()),
        Command::Check { files, strict } => check_files(&files, strict),
        Command::Fmt { file, write } => fmt(&file, write),
        Command::Diff { old, new, json } => diff(&old, &new, json),
        Command::Synthetic {
            topics,
            seed,
            format,
        } => synthetic(topics, seed, format),
        Command::Render {
            roadmap,
            output,
            format,
            theme,
            width,
            scale,
            page,
            tiles,
            one_page,
            progress,
        } => render(
            &roadmap,
            &output,
            format,
            theme,
            width,
            scale,
            (&page, tiles, one_page),
            progress.as_deref(),
        ),
        Command::Import {
            file,
            output,
            from,
            id,
            verbose,
        } => import_file(&file, output.as_deref(), from, id.as_deref(), verbose),
        Command::Serve(a) => crate::app::serve(a),
        Command::User(c) => crate::app::user(c),
        Command::Token(c) => crate::app::token(c),
        Command::Mark(a) => crate::app::mark(a),
        Command::Publish(a) => crate::publish::run(a),
        Command::Progress(a) => crate::app::progress(a),
        Command::History(a) => crate::app::history(a),
        Command::Share(c) => crate::app::share(c),
        Command::SyntheticHistory(a) => crate::app::synthetic_history(a),
        Command::Team(c) => crate::team::team(c),
        Command::Assess(c) => crate::assess::assess(c),
        Command::SyntheticTeam(a) => crate::team::synthetic_team(a),
        Command::SyntheticAssessments(a) => crate::assess::synthetic_assessments(a),
        Command::ExportProgress(a) => crate::app::export(a),
        Command::ImportProgress(a) => crate::app::import(a),
        Command::Backup(a) => crate::app::backup(a),
        Command::Config(c) => crate::app::config(c),
        Command::Completions { shell } => {
            // Into memory first: the generator panics on a write error (a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command(), "leadmap", &mut script);
            std::io::stdout().lock().write_all(&script)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { dir } => man(dir.as_deref()),
        Command::Restore(a) => crate::app::restore(a),
        Command::Migrate(a) => crate::app::migrate(a),
    }
}

/// A roadmap source: a file on disk or a bundled roadmap.
struct Source {
    name: String,
    bytes: Vec<u8>,
    fallback_id: String,
    /// Set for a bundled roadmap, whose topic files are merged in when it is parsed.
    bundled: Option<&'static leadmap_bundled::Bundled>,
    /// For a file `X.md`: the topic files in `X/topics/<id>.md` beside it (path, id, bytes).
    topics: Vec<(String, String, Vec<u8>)>,
}

/// The topic files of the roadmap file `path`: `<dir>/<stem>/topics/*.md`, in name order.
fn topic_files(path: &Path) -> Result<Vec<(String, String, Vec<u8>)>> {
    let (Some(dir), Some(stem)) = (path.parent(), path.file_stem()) else {
        return Ok(Vec::new());
    };
    let topics = dir.join(stem).join("topics");
    let Ok(entries) = std::fs::read_dir(&topics) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in entries {
        let p = e?.path();
        if p.extension().and_then(|x| x.to_str()) != Some("md") {
            continue;
        }
        let Some(id) = p.file_stem().and_then(|x| x.to_str()) else {
            continue;
        };
        let bytes = crate::input::read_path(&p)?;
        out.push((p.display().to_string(), id.to_owned(), bytes));
    }
    out.sort();
    Ok(out)
}

/// Writes `bytes` to `path` as `std::fs::write` does, but over the old contents and then cut
/// to length, instead of truncating the file to nothing first. ext4 flushes a file that was
/// truncated to nothing when it is closed (its guard for programs that rewrite a file without
/// `fsync`), so rendering a map again over its previous file waited for the disk. Anything
/// but a regular file (`/dev/stdout`, a pipe) is written as it is.
pub(crate) fn overwrite(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    f.write_all(bytes)?;
    if f.metadata()?.is_file() {
        f.set_len(bytes.len() as u64)?;
    }
    Ok(())
}

/// From this size on (about 1,500 topics) a roadmap is worth mimalloc and the kernel's huge
/// pages (see `alloc.rs`).
const LARGE_INPUT: usize = 128 * 1024;

fn load(arg: &str) -> Result<Source> {
    let path = Path::new(arg);
    if path.exists() {
        let bytes = crate::input::read(arg)?;
        if bytes.len() >= LARGE_INPUT {
            crate::alloc::use_mimalloc();
        }
        let stem = path.file_stem().map_or_else(
            || "roadmap".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
        return Ok(Source {
            name: arg.to_owned(),
            bytes,
            fallback_id: stem,
            bundled: None,
            topics: topic_files(path)?,
        });
    }
    if let Some(b) = leadmap_bundled::get(arg) {
        return Ok(Source {
            name: b.file.to_owned(),
            bytes: b.source.as_bytes().to_vec(),
            fallback_id: b.id.to_owned(),
            bundled: Some(b),
            topics: Vec::new(),
        });
    }
    let ids: Vec<&str> = leadmap_bundled::ROADMAPS.iter().map(|b| b.id).collect();
    bail!(
        "{arg}: no such file, and no bundled roadmap of that id (bundled: {})",
        ids.join(", ")
    )
}

fn parse_source(src: &Source) -> Parsed {
    parse_source_counting(src).0
}

/// Parses a source with its topic files; prints the topic files' problems and counts their
/// errors.
fn parse_source_counting(src: &Source) -> (Parsed, usize) {
    let mut errors = 0;
    let parsed = match src.bundled {
        Some(b) => {
            let (parsed, problems) = b.parse_with_problems();
            for p in problems {
                errors += usize::from(p.diagnostic.is_error());
                print_diagnostics(&p.file, p.source.as_bytes(), &[p.diagnostic]);
            }
            parsed
        }
        None => {
            let mut parsed = leadmap_core::parse(&src.bytes, &src.fallback_id);
            let problems = leadmap_core::markdown::merge_topic_files(
                &mut parsed,
                src.topics
                    .iter()
                    .map(|(_, id, b)| (id.as_str(), b.as_slice())),
            );
            for p in problems {
                errors += usize::from(p.diagnostic.is_error());
                if let Some((file, _, bytes)) = src.topics.iter().find(|(_, id, _)| *id == p.id) {
                    print_diagnostics(file, bytes, &[p.diagnostic]);
                }
            }
            parsed
        }
    };
    (parsed, errors)
}

fn list(json: bool) -> Result<ExitCode> {
    let mut rows = Vec::new();
    for b in leadmap_bundled::ROADMAPS {
        let r = b.parse().roadmap;
        rows.push((
            b.id,
            r.title.plain(),
            r.count(Kind::Area),
            r.count(Kind::Topic) + r.count(Kind::Subtopic),
        ));
    }
    let mut out = anstream::stdout();
    if json {
        let v: Vec<_> = rows
            .iter()
            .map(|(id, title, areas, topics)| {
                serde_json::json!({"id": id, "title": title, "areas": areas, "topics": topics})
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(2).max(2);
        writeln!(
            out,
            "{:w$}  {:>5}  {:>6}  TITLE",
            "ID".bold(),
            "AREAS".bold(),
            "TOPICS".bold()
        )?;
        for (id, title, areas, topics) in rows {
            writeln!(out, "{:w$}  {areas:>5}  {topics:>6}  {title}", id.cyan())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Warnings beyond which an import sums them up.
const WARNINGS_IN_FULL: usize = 10;

/// [`print_diagnostics`], but when there are many warnings (and not `verbose`): every error,
/// the first warnings in full, then a count of each kind of warning.
fn print_diagnostics_summed(name: &str, bytes: &[u8], diags: &[Diagnostic], verbose: bool) {
    let warnings = diags.iter().filter(|d| !d.is_error()).count();
    if verbose || warnings <= WARNINGS_IN_FULL {
        print_diagnostics(name, bytes, diags);
        return;
    }
    const FIRST: usize = 5;
    let mut shown = 0;
    let first: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| {
            let keep = d.is_error() || shown < FIRST;
            shown += usize::from(!d.is_error() && keep);
            keep
        })
        .cloned()
        .collect();
    print_diagnostics(name, bytes, &first);
    // Kinds: the message with its quoted parts left out, in order of first appearance.
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for d in diags.iter().filter(|d| !d.is_error()) {
        let kind: String = d
            .message
            .split('`')
            .enumerate()
            .map(|(i, part)| if i % 2 == 1 { "`…`" } else { part })
            .collect();
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((kind, 1)),
        }
    }
    let mut err = anstream::stderr();
    let _ = writeln!(
        err,
        "{}: {} warnings in all ({} more than shown; --verbose prints each one):",
        name.bold(),
        warnings,
        warnings - FIRST
    );
    for (kind, n) in kinds {
        let _ = writeln!(err, "  {n:>4} × {kind}");
    }
}

fn print_diagnostics(name: &str, bytes: &[u8], diags: &[Diagnostic]) {
    let index = LineIndex::new(bytes);
    let mut err = anstream::stderr();
    for d in diags {
        let place = if d.is_located() {
            let lc = index.line_col(d.range.start);
            format!("{name}:{}:{}", lc.line, lc.col)
        } else {
            name.to_owned()
        };
        let sev = match d.severity {
            Severity::Error => "error".red().bold().to_string(),
            Severity::Warning => "warning".yellow().bold().to_string(),
        };
        let _ = writeln!(err, "{}: {sev}: {}", place.bold(), d.message);
        if let Some(h) = &d.hint {
            let _ = writeln!(err, "  {} {h}", "= hint:".cyan());
        }
    }
}

fn show(arg: &str, json: bool) -> Result<ExitCode> {
    let src = load(arg)?;
    let parsed = parse_source(&src);
    print_diagnostics(&src.name, &src.bytes, &parsed.diagnostics);
    let mut out = anstream::stdout();
    if json {
        let v = leadmap_core::json::to_json(&parsed.roadmap);
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        print_tree(&mut out, &parsed.roadmap)?;
    }
    Ok(if parsed.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn show_topic(arg: &str, id: &str, json: bool) -> Result<ExitCode> {
    let src = load(arg)?;
    let parsed = parse_source(&src);
    let Some(n) = parsed.roadmap.find(id) else {
        bail!("{arg}: no topic `{id}` (see `leadmap show {arg}` for the ids)");
    };
    let mut out = anstream::stdout();
    if json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&leadmap_core::json::node_json(n))?
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let title = match &n.emoji {
        Some(e) => format!("{e} {}", n.title.plain()),
        None => n.title.plain(),
    };
    writeln!(
        out,
        "{}  {}",
        title.bold().underline(),
        format!("{} #{}", n.kind, n.id).dimmed()
    )?;
    let c = &n.content;
    let para = |text: &str| -> String {
        text.split("\n\n")
            .map(|p| leadmap_core::inline::plain_text(&p.replace('\n', " ")))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    if !c.summary.is_empty() {
        writeln!(out, "\n{}", para(&c.summary))?;
    }
    let heading = |t: &str| format!("\n{}", t.cyan().bold());
    if !c.established.is_empty() {
        writeln!(
            out,
            "{}\n{}",
            heading("What established looks like"),
            para(&c.established)
        )?;
    }
    if !c.steps.is_empty() {
        writeln!(out, "{}", heading("How to start"))?;
        for (i, s) in c.steps.iter().enumerate() {
            writeln!(out, "  {}. {}", i + 1, para(s))?;
        }
    }
    if !c.pitfalls.is_empty() {
        writeln!(out, "{}", heading("Pitfalls"))?;
        for p in &c.pitfalls {
            writeln!(out, "  • {}", para(p))?;
        }
    }
    if !c.resources.is_empty() {
        writeln!(out, "{}", heading("Resources"))?;
        for r in &c.resources {
            let by = match (&r.author, r.year) {
                (Some(a), Some(y)) => format!(" — {a}, {y}"),
                (Some(a), None) => format!(" — {a}"),
                (None, Some(y)) => format!(" — {y}"),
                (None, None) => String::new(),
            };
            let url = r
                .url
                .as_deref()
                .map(|u| format!(" <{u}>"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {:<10} {}{by}{}",
                r.kind.as_str().dimmed(),
                r.title,
                url.dimmed()
            )?;
        }
    }
    if !c.related.is_empty() {
        let ids: Vec<String> = c.related.iter().map(ToString::to_string).collect();
        writeln!(out, "{}\n  {}", heading("Related"), ids.join(", "))?;
    }
    if !c.templates.is_empty() {
        let ids: Vec<&str> = c.templates.iter().map(|t| t.as_str()).collect();
        writeln!(
            out,
            "{}\n  {}  {}",
            heading("Templates"),
            ids.join(", "),
            "(leadmap template NAME)".dimmed()
        )?;
    }
    if c.is_empty() {
        writeln!(out, "\n{}", "No content for this topic yet.".dimmed())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn template(name: Option<&str>, output: Option<&Path>) -> Result<ExitCode> {
    let mut out = anstream::stdout();
    match name {
        None | Some("list") => {
            for (id, source) in leadmap_bundled::TEMPLATE_FILES {
                let title = source
                    .lines()
                    .find_map(|l| l.strip_prefix("title:"))
                    .map(|t| t.trim().trim_matches('"').to_owned())
                    .unwrap_or_default();
                writeln!(out, "{:<26} {title}", id.cyan())?;
            }
        }
        Some(id) => {
            let Some(source) = leadmap_bundled::template(id) else {
                bail!("no template `{id}` (see `leadmap template list`)");
            };
            match output {
                Some(path) => {
                    std::fs::write(path, source)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    anstream::eprintln!("{}", format!("Wrote {}", path.display()).dimmed());
                }
                None => out.write_all(source.as_bytes())?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// "24 areas · 112 topics": the counts of each kind the roadmap has, none that are zero.
fn counts(r: &Roadmap, sep: &str) -> String {
    let parts: Vec<String> = [
        (Kind::Area, "area", "areas"),
        (Kind::Group, "group", "groups"),
        (Kind::Topic, "topic", "topics"),
        (Kind::Subtopic, "subtopic", "subtopics"),
    ]
    .into_iter()
    .filter_map(|(kind, one, many)| match r.count(kind) {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    })
    .collect();
    if parts.is_empty() {
        "no topics yet".to_owned()
    } else {
        parts.join(sep)
    }
}

fn print_tree(out: &mut impl Write, r: &Roadmap) -> std::io::Result<()> {
    writeln!(out, "{}", r.title.plain().bold().underline())?;
    writeln!(out, "{}", counts(r, " · ").dimmed())?;
    // Iterative walk: (node, prefix for its children, is last).
    let mut stack: Vec<(&Node, String, bool)> = Vec::new();
    let n = r.children.len();
    for (i, c) in r.children.iter().enumerate().rev() {
        stack.push((c, String::new(), i + 1 == n));
    }
    while let Some((node, prefix, last)) = stack.pop() {
        let branch = if last { "└─ " } else { "├─ " };
        let emoji = node
            .emoji
            .as_deref()
            .map(|e| format!("{e} "))
            .unwrap_or_default();
        let title = node.title.plain();
        let styled = match node.kind {
            Kind::Part => title.magenta().bold().to_string(),
            Kind::Area => title.cyan().bold().to_string(),
            Kind::Group => title.yellow().to_string(),
            Kind::Topic => title.to_string(),
            Kind::Subtopic => title.dimmed().to_string(),
        };
        writeln!(
            out,
            "{}{}{emoji}{styled}  {}",
            prefix.dimmed(),
            branch.dimmed(),
            format!("#{}", node.id).dimmed()
        )?;
        let child_prefix = format!("{prefix}{}", if last { "   " } else { "│  " });
        let m = node.children.len();
        for (i, c) in node.children.iter().enumerate().rev() {
            stack.push((c, child_prefix.clone(), i + 1 == m));
        }
    }
    Ok(())
}

/// Knows the node ids of the bundled roadmaps and of every file being checked.
struct Known(HashMap<String, HashSet<String>>);

impl Resolver for Known {
    fn has_node(&self, roadmap: &str, id: &str) -> Option<bool> {
        self.0.get(roadmap).map(|ids| ids.contains(id))
    }
}

fn ids_of(r: &Roadmap) -> HashSet<String> {
    r.nodes().map(|n| n.id.to_string()).collect()
}

/// The bundled roadmaps' ids, which any roadmap may link to.
fn known_bundled() -> Known {
    let mut known = Known(HashMap::new());
    for b in leadmap_bundled::ROADMAPS {
        known.0.insert(b.id.to_owned(), ids_of(&b.parse().roadmap));
    }
    known
}

/// A roadmap file with its topic files, checked as `leadmap check` does: its Markdown as
/// `leadmap fmt` prints it (topic content inlined), or its errors as `file:line:col` lines.
pub(crate) fn checked_markdown(file: &str) -> Result<std::result::Result<String, String>> {
    let src = load(file)?;
    let (parsed, topic_errors) = parse_source_counting(&src);
    let diags = check(&parsed, &known_bundled());
    if topic_errors > 0 || diags.iter().any(Diagnostic::is_error) {
        let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
        let mut text = leadmap_core::diagnostic::render(&src.name, &src.bytes, &errors);
        if topic_errors > 0 {
            text.push_str(&format!(
                "{file}: {topic_errors} error(s) in its topic files\n"
            ));
        }
        return Ok(Err(text));
    }
    Ok(Ok(leadmap_core::print(&parsed.roadmap)))
}

fn check_files(files: &[String], strict: bool) -> Result<ExitCode> {
    let mut known = known_bundled();
    let mut loaded = Vec::new();
    let mut unreadable = 0;
    let (mut errors, mut warnings) = (0, 0);
    for f in files {
        match load(f) {
            Ok(src) => {
                let (parsed, topic_errors) = parse_source_counting(&src);
                errors += topic_errors;
                known
                    .0
                    .insert(parsed.roadmap.id.to_string(), ids_of(&parsed.roadmap));
                loaded.push((src, parsed));
            }
            Err(e) => {
                anstream::eprintln!("leadmap: error: {e:#}");
                unreadable += 1;
            }
        }
    }
    for (src, parsed) in &loaded {
        let mut diags = check(parsed, &known);
        if strict {
            diags.extend(leadmap_core::check::completeness(
                parsed,
                parsed.roadmap.meta.practices,
            ));
            diags.sort_by_key(|d| (d.range.start, d.range.end));
            for d in &mut diags {
                d.severity = Severity::Error;
            }
        }
        errors += diags.iter().filter(|d| d.is_error()).count();
        warnings += diags.iter().filter(|d| !d.is_error()).count();
        print_diagnostics(&src.name, &src.bytes, &diags);
    }
    let summary = format!(
        "checked {} file{}: {errors} error{}, {warnings} warning{}",
        loaded.len(),
        if loaded.len() == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    anstream::eprintln!("{}", summary.dimmed());
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads and parses one side of a diff; `None` (its problems printed) when it cannot be read
/// or has errors.
fn load_for_diff(arg: &str) -> Option<(Source, Parsed)> {
    let src = match load(arg) {
        Ok(src) => src,
        Err(e) => {
            anstream::eprintln!("leadmap: error: {e:#}");
            return None;
        }
    };
    // Problems in topic files are printed here, as `check` prints them.
    let (parsed, topic_errors) = parse_source_counting(&src);
    if parsed.has_errors() || topic_errors > 0 {
        print_diagnostics(&src.name, &src.bytes, &parsed.diagnostics);
        anstream::eprintln!(
            "leadmap: error: not comparing {}: fix its errors first (leadmap check {arg})",
            src.name
        );
        return None;
    }
    Some((src, parsed))
}

/// "the top level" or "`id`": where a moved node was or is.
fn place(parent: Option<&str>) -> String {
    parent.map_or_else(|| "the top level".to_owned(), |p| p.to_owned())
}

fn diff(old_arg: &str, new_arg: &str, json: bool) -> Result<ExitCode> {
    // Both sides are read before giving up, so that every problem is told at once.
    let (old, new) = (load_for_diff(old_arg), load_for_diff(new_arg));
    let (Some((_, old)), Some((_, new))) = (old, new) else {
        return Ok(ExitCode::from(2));
    };
    let d = leadmap_core::diff::diff(&old.roadmap, &new.roadmap);
    let map = leadmap_core::diff::suggest_map(&d);
    let mut out = anstream::stdout();
    if json {
        let v = serde_json::json!({ "diff": d, "suggested_map": map });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        let heading = |t: &str, n: usize| format!("{} ({n})", t.bold());
        if !d.added.is_empty() {
            writeln!(out, "{}", heading("Added", d.added.len()))?;
            for t in &d.added {
                let id = format!("+ {}", t.id);
                writeln!(out, "  {}  {}  {}", id.green(), t.title, t.kind.dimmed())?;
            }
        }
        if !d.removed.is_empty() {
            writeln!(out, "{}", heading("Removed", d.removed.len()))?;
            for t in &d.removed {
                let id = format!("- {}", t.id);
                writeln!(out, "  {}  {}  {}", id.red(), t.title, t.kind.dimmed())?;
            }
        }
        if !d.renamed.is_empty() {
            writeln!(out, "{}", heading("Renamed", d.renamed.len()))?;
            for r in &d.renamed {
                writeln!(out, "  {}  {} → {}", r.id.cyan(), r.old_title, r.new_title)?;
            }
        }
        if !d.moved.is_empty() {
            writeln!(out, "{}", heading("Moved", d.moved.len()))?;
            for m in &d.moved {
                writeln!(
                    out,
                    "  {}  from {} to {}  {}",
                    m.id.cyan(),
                    place(m.old_parent.as_deref()),
                    place(m.new_parent.as_deref()),
                    m.title.dimmed()
                )?;
            }
        }
        if !d.content_changed.is_empty() {
            writeln!(
                out,
                "{}",
                heading("Content changed", d.content_changed.len())
            )?;
            for t in &d.content_changed {
                writeln!(out, "  {}  {}", t.id.cyan(), t.title)?;
            }
        }
        if !map.is_empty() {
            writeln!(out, "{}", heading("Suggested id map", map.len()))?;
            for s in &map {
                writeln!(
                    out,
                    "  {} -> {}   (similar titles: {:?} / {:?}, {} %)",
                    s.from, s.to, s.from_title, s.to_title, s.score
                )?;
            }
        }
        if !d.is_empty() {
            writeln!(out)?;
        }
        writeln!(out, "{}", d.summary_line())?;
    }
    Ok(if d.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[allow(clippy::too_many_arguments)]
fn render(
    arg: &str,
    output: &Path,
    format: Option<RenderFormat>,
    theme: ThemeArg,
    width: Option<u32>,
    scale: f32,
    (page, tiles, one_page): (&str, bool, bool),
    progress: Option<&Path>,
) -> Result<ExitCode> {
    let format = match format {
        Some(f) => f,
        None => match output
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("svg") => RenderFormat::Svg,
            Some("png") => RenderFormat::Png,
            Some("pdf") => RenderFormat::Pdf,
            Some("html" | "htm") => RenderFormat::Html,
            _ => bail!(
                "{}: give the output an extension (.svg .png .pdf .html) or --format",
                output.display()
            ),
        },
    };
    let Some(page) = leadmap_render::Page::parse(page) else {
        bail!("--page {page}: use natural, a4 or letter");
    };
    if !(scale > 0.0 && scale <= 16.0) {
        bail!("--scale {scale}: use a number above 0 and at most 16");
    }
    let src = load(arg)?;
    let parsed = parse_source(&src);
    print_diagnostics(&src.name, &src.bytes, &parsed.diagnostics);
    if parsed.has_errors() {
        anstream::eprintln!("leadmap: not rendering {}: fix the errors first", src.name);
        return Ok(ExitCode::from(1));
    }
    let mut opts = leadmap_render::SvgOptions {
        theme: match theme {
            ThemeArg::Light => leadmap_render::Theme::Light,
            ThemeArg::Dark => leadmap_render::Theme::Dark,
        },
        ..Default::default()
    };
    if let Some(p) = progress {
        let bytes = crate::input::read_path(p)?;
        let name = p.display().to_string();
        let (map, warnings) =
            match leadmap_app::progress::statuses_for(&name, &bytes, parsed.roadmap.id.as_str()) {
                Ok(read) => read,
                Err(e) => {
                    anstream::eprintln!("{}: {e}", "error".red().bold());
                    return Ok(ExitCode::from(1));
                }
            };
        for w in &warnings {
            anstream::eprintln!("{}: {w}", "warning".yellow().bold());
        }
        opts.progress = map;
    }
    let r = &parsed.roadmap;
    let layout = leadmap_render::layout(r);
    let (svg, spans) = leadmap_render::svg::render_with_spans(r, &layout, &opts);
    std::mem::forget(layout); // see the end of this function
    // The shipped font for text; the system's fonts too, for emoji where it has them. Without
    // an emoji font the renderer leaves emoji out: say so rather than drop them silently.
    let fonts = || {
        let mut db = leadmap_render::shipped_fonts();
        db.load_system_fonts();
        if !leadmap_render::raster::has_emoji_font(&db) && r.nodes().any(|n| n.emoji.is_some()) {
            anstream::eprintln!(
                "{}: no emoji font is installed here, so this file leaves the roadmap's emoji out \
                 (install one, e.g. Debian's fonts-noto-color-emoji, and render again)",
                "warning".yellow().bold()
            );
        }
        db
    };
    let bytes = match format {
        RenderFormat::Svg => svg.into_bytes(),
        RenderFormat::Png => leadmap_render::png(&svg, &fonts(), scale, width)?,
        RenderFormat::Pdf => {
            let fit = if tiles {
                leadmap_render::raster::Fit::PrintSize
            } else if one_page {
                leadmap_render::raster::Fit::OnePage
            } else {
                leadmap_render::raster::Fit::Width
            };
            leadmap_render::raster::pdf_with(&svg, &fonts(), page, fit)?
        }
        RenderFormat::Html => {
            leadmap_render::html::page(r, &svg, &spans, &|id| leadmap_bundled::template(id))
                .into_bytes()
        }
    };
    overwrite(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
    anstream::eprintln!(
        "{}",
        format!("Wrote {} ({} bytes)", output.display(), bytes.len()).dimmed()
    );
    // The process ends next: freeing a large roadmap node by node would only delay that
    // (a tenth of the time at 100,000 topics), so the memory goes back with the process.
    std::mem::forget(bytes);
    std::mem::forget(parsed);
    Ok(ExitCode::SUCCESS)
}

fn synthetic(topics: usize, seed: u64, format: SynthFormat) -> Result<ExitCode> {
    let md = leadmap_core::synthetic::markdown(topics, seed);
    let out = match format {
        SynthFormat::Markdown => md,
        SynthFormat::Dot | SynthFormat::Plantuml => {
            let r = leadmap_core::parse(md.as_bytes(), "synthetic").roadmap;
            match format {
                SynthFormat::Dot => leadmap_core::synthetic::dot(&r),
                _ => leadmap_core::synthetic::plantuml(&r),
            }
        }
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn fmt(file: &Path, write: bool) -> Result<ExitCode> {
    let bytes = crate::input::read_path(file)?;
    let stem = file.file_stem().map_or_else(
        || "roadmap".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let parsed = leadmap_core::parse(&bytes, &stem);
    let name = file.display().to_string();
    print_diagnostics(&name, &bytes, &parsed.diagnostics);
    if parsed.has_errors() {
        anstream::eprintln!("leadmap: not formatting {name}: fix the errors first");
        return Ok(ExitCode::from(1));
    }
    let md = leadmap_core::print(&parsed.roadmap);
    if write {
        if md.as_bytes() != bytes.as_slice() {
            std::fs::write(file, &md).with_context(|| format!("cannot write {name}"))?;
        }
    } else {
        std::io::stdout().lock().write_all(md.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Inputs larger than this get a progress bar (on a terminal).
const PROGRESS_BYTES: usize = 1 << 20;

fn import_file(
    file: &str,
    output: Option<&Path>,
    from: Option<From>,
    id: Option<&str>,
    verbose: bool,
) -> Result<ExitCode> {
    let bytes = crate::input::read(file)?;
    crate::input::ensure_text(if file == "-" { "standard input" } else { file }, &bytes)?;
    if bytes.len() >= LARGE_INPUT {
        crate::alloc::use_mimalloc();
    }
    let format = match from {
        Some(From::Outline) => Format::Outline,
        Some(From::Roadmapsh) => Format::RoadmapSh,
        None => Format::detect(&bytes),
    };
    let stem = output
        .and_then(|o| o.file_stem())
        .map(|s| s.to_string_lossy().into_owned());
    let id_hint = id.map(str::to_owned).or(stem);

    let bar = (bytes.len() > PROGRESS_BYTES && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(1);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} importing {bar:30} {percent}%")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut tick = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total.max(1));
            b.set_position(done);
        }
    };
    let imported = import::import(&bytes, format, id_hint.as_deref(), &mut tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let name = if file == "-" { "<stdin>" } else { file };
    print_diagnostics_summed(name, &bytes, &imported.diagnostics, verbose);
    let Some(roadmap) = imported.roadmap else {
        return Ok(ExitCode::from(1));
    };
    let md = leadmap_core::print(&roadmap);
    if let Some(placement) = &imported.placement {
        anstream::eprintln!("{}", format!("{placement}").dimmed());
    }
    match output {
        Some(path) => {
            std::fs::write(path, &md)
                .with_context(|| format!("cannot write {}", path.display()))?;
            anstream::eprintln!(
                "{}",
                format!(
                    "Imported {} into {}",
                    counts(&roadmap, ", "),
                    path.display()
                )
                .dimmed()
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(md.as_bytes())?;
        }
    }
    Ok(if imported.diagnostics.iter().any(Diagnostic::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
