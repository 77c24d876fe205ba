//! `leadmap assess …`: practice assessments as the server's operator runs them (list, new,
//! rate, show, publish, report, compare, import, export). Thin: the use cases are
//! `leadmap_app::assess`; the web app's pages and API do the same through them.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use leadmap_app::Entry;
use leadmap_app::assess::compute::{self, Movement, Ratings, one_decimal};
use leadmap_app::assess::report::Report;
use leadmap_app::assess::{self, People, RatingInput, files};
use leadmap_app::publish::{Current, Library};
use leadmap_app::time::now_ms;
use leadmap_core::assessment::Rating;
use leadmap_store::{Assessed, Assessment, AssessmentState, Store, Team, UserId};
use owo_colors::OwoColorize;

use crate::app::{Db, runtime};
use crate::stop::{Stop, finish};

#[derive(Debug, Subcommand)]
pub enum AssessCmd {
    /// List the assessments: id, whose (organisation or a team's slug), roadmap, day, state,
    /// title.
    List {
        /// Only the assessments of this roadmap.
        #[arg(long)]
        roadmap: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Db,
    },
    /// Start an assessment: a draft holding a copy of the ratings of the last one of the same
    /// owner and roadmap (the latest published, else the latest draft). Prints its id.
    New {
        /// Whose practices: `organisation`, or a team's slug (see `leadmap team list`).
        #[arg(long, value_name = "organisation|TEAM")]
        of: String,
        /// A bundled roadmap's id or one published on this database.
        #[arg(long)]
        roadmap: String,
        /// Its title ("Q1 2027"): one line, at most 100 characters.
        #[arg(long)]
        title: String,
        /// The day it describes, YYYY-MM-DD (default: today, UTC).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        /// The account kept as the one who started it.
        #[arg(long, value_name = "USER")]
        by: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// Rate one practice of a draft: LEVEL is absent, ad hoc, defined, practised, improving
    /// (or 1 to 5), or n/a. Every rating is kept in the assessment's history.
    Rate(RateArgs),
    /// Show an assessment: its index, each area's mean level and every rated practice with
    /// its level, owner and next step.
    Show {
        /// The assessment's id (see `leadmap assess list`).
        id: String,
        /// Print the assessment as JSON (the shape of the API and of `export --format json`).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Db,
    },
    /// Publish a draft: from then on it is never changed, and the next assessment of its owner
    /// starts as a copy of it.
    Publish {
        id: String,
        #[command(flatten)]
        db: Db,
    },
    /// Write the report: a summary, the pictures, the strongest and weakest areas, what fell,
    /// the open next steps, the evidence. Markdown, a self-contained HTML page or a PDF.
    Report {
        id: String,
        /// The file to write: .md, .html or .pdf; `-` prints the Markdown.
        #[arg(short, long, value_name = "FILE")]
        output: String,
        #[command(flatten)]
        db: Db,
    },
    /// Compare two assessments of one roadmap: the practices that rose, fell, were rated for
    /// the first time or no longer; the evidence that changed; the index before and after.
    Compare {
        /// The earlier assessment's id.
        from: String,
        /// The later assessment's id.
        to: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Db,
    },
    /// Read ratings from a CSV or JSON file (an export, or a spreadsheet with at least the
    /// columns practice and level) into a draft. Every row is checked first: one bad row and
    /// nothing is written.
    Import {
        id: String,
        /// The file (`-` reads standard input): JSON when it is named .json or starts with
        /// `{`, else CSV.
        file: String,
        /// The account kept as the rater of every rating.
        #[arg(long, value_name = "USER")]
        by: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// Write an assessment as CSV (every practice of the roadmap, a row each: the sheet to fill
    /// in) or JSON, to standard output or a file.
    Export {
        id: String,
        /// csv or json (default: the output file's extension, else csv).
        #[arg(long, value_enum)]
        format: Option<FileFormat>,
        /// The file to write (`-` or nothing: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<String>,
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Debug, Args)]
pub struct RateArgs {
    /// The assessment's id (see `leadmap assess list`).
    id: String,
    /// The practice: a topic id of the roadmap (see `leadmap show ROADMAP`).
    practice: String,
    /// absent, ad hoc, defined, practised, improving, 1 to 5, or n/a (not applicable).
    level: String,
    /// Why this level (replaces the one it has; "" clears it).
    #[arg(long)]
    rationale: Option<String>,
    /// An evidence link (http or https), added to those the practice has; repeat for several.
    #[arg(long, value_name = "URL")]
    evidence: Vec<String>,
    /// Drop the practice's evidence links first (with --evidence: replace them).
    #[arg(long)]
    clear_evidence: bool,
    /// The account that owns the next step ("" clears it).
    #[arg(long, value_name = "USER")]
    owner: Option<String>,
    /// What happens next for this practice ("" clears it).
    #[arg(long)]
    next_step: Option<String>,
    /// When the next step is due, YYYY-MM-DD (`none` clears it).
    #[arg(long, value_name = "YYYY-MM-DD")]
    due: Option<String>,
    /// The account kept as the rater.
    #[arg(long, value_name = "USER")]
    by: Option<String>,
    #[command(flatten)]
    db: Db,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    Csv,
    Json,
}

type Done = std::result::Result<ExitCode, Stop>;

pub fn assess(c: AssessCmd) -> Result<ExitCode> {
    let done = runtime()?.block_on(async {
        match c {
            AssessCmd::List { roadmap, json, db } => list(&db, roadmap.as_deref(), json).await,
            AssessCmd::New {
                of,
                roadmap,
                title,
                on,
                by,
                db,
            } => new(&db, &of, &roadmap, &title, on.as_deref(), by.as_deref()).await,
            AssessCmd::Rate(a) => rate(a).await,
            AssessCmd::Show { id, json, db } => show(&db, &id, json).await,
            AssessCmd::Publish { id, db } => publish(&db, &id).await,
            AssessCmd::Report { id, output, db } => report(&db, &id, &output).await,
            AssessCmd::Compare { from, to, json, db } => compare(&db, &from, &to, json).await,
            AssessCmd::Import { id, file, by, db } => import(&db, &id, &file, by.as_deref()).await,
            AssessCmd::Export {
                id,
                format,
                output,
                db,
            } => export(&db, &id, format, output.as_deref()).await,
        }
    });
    finish(done)
}

// --- Finding things ---------------------------------------------------------------------------

/// An assessment by the id a person typed.
async fn assessment(store: &dyn Store, id: &str) -> std::result::Result<Assessment, Stop> {
    let text = id.trim().trim_start_matches('#');
    let Some(n) = text.parse::<i64>().ok().filter(|n| *n > 0) else {
        let shown: String = id.chars().take(40).collect();
        return Err(Stop::Input(format!(
            "{shown:?} is not an assessment id: use the number `leadmap assess list` shows"
        )));
    };
    store.assessment(n).await?.ok_or_else(|| {
        Stop::Input(format!(
            "no assessment {n} (see `leadmap assess list` for the ids)"
        ))
    })
}

/// A bundled roadmap, or one published on this database (whatever its visibility: the
/// operator reads them all), as of now.
async fn roadmap(store: &dyn Store, id: &str) -> std::result::Result<Current, Stop> {
    if let Some(b) = leadmap_bundled::get(id) {
        return Ok(Current {
            entry: Arc::new(Entry::new(b.parse().roadmap)),
            record: None,
        });
    }
    let library = Library::new(leadmap_app::Catalog {
        roadmaps: Vec::new(),
    });
    match library.current_published(store, id).await? {
        Some(c) => Ok(c),
        None => {
            let ids: Vec<&str> = leadmap_bundled::ROADMAPS.iter().map(|b| b.id).collect();
            Err(Stop::Input(format!(
                "no roadmap {id:?}; the bundled ones are {} (published ones: leadmap publish)",
                ids.join(", ")
            )))
        }
    }
}

/// The roadmap an assessment rates, as of now.
async fn roadmap_of(store: &dyn Store, a: &Assessment) -> std::result::Result<Arc<Entry>, Stop> {
    match roadmap(store, &a.roadmap).await {
        Ok(c) => Ok(c.entry),
        Err(Stop::Input(_)) => Err(Stop::Input(format!(
            "assessment {} rates the roadmap {:?}, which this database no longer has: publish it again (leadmap publish FILE)",
            a.id, a.roadmap
        ))),
        Err(e) => Err(e),
    }
}

/// Whose practices `of` names: `organisation`, or a team by its slug.
async fn owner(store: &dyn Store, of: &str) -> std::result::Result<Assessed, Stop> {
    match of.trim().to_ascii_lowercase().as_str() {
        "organisation" | "organization" | "org" => Ok(Assessed::Organisation),
        _ => match store.team(of.trim()).await? {
            Some(t) => Ok(Assessed::Team(t.id)),
            None => Err(Stop::Input(format!(
                "--of {:?}: neither `organisation` nor a team's slug (see `leadmap team list`)",
                of.trim()
            ))),
        },
    }
}

/// Who an assessment is of, inside a sentence: "the organisation" or the team's name.
fn whose(assessed: Assessed, teams: &[Team]) -> String {
    match assessed {
        Assessed::Organisation => "the organisation".into(),
        team => assess::owner_name(team, teams),
    }
}

/// `organisation` or the team's slug.
fn of_slug(assessed: Assessed, teams: &[Team]) -> String {
    match assessed {
        Assessed::Organisation => "organisation".into(),
        Assessed::Team(id) => teams
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| format!("(deleted team {id})"), |t| t.slug.clone()),
    }
}

/// An account by its user name.
fn account(people: &People, name: &str) -> std::result::Result<UserId, Stop> {
    people.by_name(name).map(|u| u.id).ok_or_else(|| {
        let shown: String = name.trim().chars().take(60).collect();
        Stop::Input(format!(
            "no account named {shown:?} (see `leadmap user list`)"
        ))
    })
}

/// Refuses a change to a published assessment, saying how to go on.
fn draft(a: &Assessment, teams: &[Team]) -> std::result::Result<(), Stop> {
    if a.state == AssessmentState::Published {
        return Err(Stop::Input(format!(
            "assessment {} ({:?}) is published and is never changed again; start the next one as a copy of it: leadmap assess new --of {} --roadmap {} --title TITLE",
            a.id,
            a.title,
            of_slug(a.assessed, teams),
            a.roadmap
        )));
    }
    Ok(())
}

async fn ratings(store: &dyn Store, id: i64) -> std::result::Result<Ratings, Stop> {
    Ok(assess::by_topic(
        store
            .ratings(&[id])
            .await?
            .into_iter()
            .map(|(_, r)| r)
            .collect(),
    ))
}

/// A rating as a terminal shows it: "3 Defined", "n/a".
fn level_text(r: Rating) -> String {
    match r {
        Rating::Level(l) => format!("{} {}", l.number(), l.label()),
        Rating::NotApplicable => "n/a".into(),
    }
}

/// Text on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// --- The commands ----------------------------------------------------------------------------

async fn list(db: &Db, roadmap: Option<&str>, json: bool) -> Done {
    let store = db.open().await?;
    let teams = store.teams().await?;
    let all: Vec<Assessment> = store
        .assessments()
        .await?
        .into_iter()
        .filter(|a| roadmap.is_none_or(|r| a.roadmap == r.trim()))
        .collect();
    let mut out = anstream::stdout();
    if json {
        let v: Vec<_> = all
            .iter()
            .map(|a| {
                serde_json::json!({
                    "id": a.id,
                    "title": a.title,
                    "of": of_slug(a.assessed, &teams),
                    "roadmap": a.roadmap,
                    "roadmap_version": a.roadmap_version,
                    "assessed_on": assess::date(a.assessed_on),
                    "state": a.state.as_str(),
                    "based_on": a.based_on,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if all.is_empty() {
        let on = roadmap
            .map(|r| format!(" of {}", r.trim()))
            .unwrap_or_default();
        writeln!(
            out,
            "No assessments{on} yet: start one with `leadmap assess new --of organisation --roadmap {} --title \"Q1 2027\"`.",
            roadmap.map_or("ROADMAP", str::trim)
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_BORDERS_ONLY)
        .set_header(["Id", "Of", "Roadmap", "Day", "State", "Title"]);
    for a in &all {
        t.add_row([
            a.id.to_string(),
            of_slug(a.assessed, &teams),
            a.roadmap.clone(),
            assess::date(a.assessed_on),
            a.state.as_str().to_owned(),
            a.title.clone(),
        ]);
    }
    writeln!(out, "{t}")?;
    Ok(ExitCode::SUCCESS)
}

async fn new(
    db: &Db,
    of: &str,
    roadmap_id: &str,
    title: &str,
    on: Option<&str>,
    by: Option<&str>,
) -> Done {
    // What needs no database first.
    let title = assess::title(title)?;
    let now = now_ms();
    let on = match on {
        Some(d) => assess::day(d)?,
        None => leadmap_app::activity::day_of(now),
    };
    let store = db.open().await?;
    let assessed = owner(&*store, of).await?;
    let current = roadmap(&*store, roadmap_id).await?;
    let by = match by {
        Some(name) => Some(account(&People::load(&*store).await?, name)?),
        None => None,
    };
    let a = assess::start(
        &*store,
        &current.entry,
        assess::version_of(&current),
        assessed,
        &title,
        on,
        by,
        now,
    )
    .await?;
    let copied = store.ratings(&[a.id]).await?.len();
    let teams = store.teams().await?;
    writeln!(std::io::stdout().lock(), "{}", a.id)?;
    let who = whose(a.assessed, &teams);
    let from = match a.based_on {
        Some(b) => format!(
            "a copy of assessment {b} ({})",
            plural(copied, "rating", "ratings")
        ),
        None => format!("the first of {who} on this roadmap, nothing rated yet"),
    };
    let _ = writeln!(
        anstream::stderr(),
        "{}",
        format!(
            "Started assessment {} of {who} on {}: {:?} as of {}, {from}. Rate with `leadmap assess rate {} PRACTICE LEVEL`.",
            a.id,
            a.roadmap,
            a.title,
            assess::date(a.assessed_on),
            a.id
        )
        .dimmed()
    );
    Ok(ExitCode::SUCCESS)
}

async fn rate(a: RateArgs) -> Done {
    let store = a.db.open().await?;
    let asmt = assessment(&*store, &a.id).await?;
    let teams = store.teams().await?;
    draft(&asmt, &teams)?;
    let entry = roadmap_of(&*store, &asmt).await?;
    let practice = a.practice.trim();
    if !entry.has_topic(practice) {
        let shown: String = practice.chars().take(60).collect();
        return Err(Stop::Input(format!(
            "{} has no practice {shown:?}: use a topic id (see `leadmap show {}`)",
            entry.id, entry.id
        )));
    }
    let people = People::load(&*store).await?;
    let current = ratings(&*store, asmt.id).await?;
    let evidence = if a.evidence.is_empty() && !a.clear_evidence {
        None
    } else {
        let mut links = match current.get(practice) {
            Some(r) if !a.clear_evidence => r.evidence.clone(),
            _ => Vec::new(),
        };
        links.extend(a.evidence.iter().cloned());
        Some(links)
    };
    let input = RatingInput {
        rating: Some(a.level.clone()),
        rationale: a.rationale.clone(),
        evidence,
        owner: a.owner.clone(),
        next_step: a.next_step.clone(),
        due: a.due.as_deref().map(|d| {
            if d.trim().eq_ignore_ascii_case("none") {
                String::new()
            } else {
                d.to_owned()
            }
        }),
    };
    let mut change = input.check(&people)?;
    // A link given again is kept once.
    if let Some(links) = &mut change.evidence {
        let mut seen = std::collections::HashSet::new();
        links.retain(|l| seen.insert(l.clone()));
    }
    let by = match a.by.as_deref() {
        Some(name) => Some(account(&people, name)?),
        None => None,
    };
    let r = assess::rate(&*store, &entry, &asmt, practice, &change, by, now_ms()).await?;
    let title = entry
        .roadmap
        .find(practice)
        .map_or_else(|| practice.to_owned(), |n| n.title.plain());
    let mut out = anstream::stdout();
    let level = match r.rating {
        Rating::Level(l) => format!("{} ({} of 5)", l.label(), l.number()),
        Rating::NotApplicable => "not applicable".into(),
    };
    writeln!(
        out,
        "Assessment {} ({:?}): {title} is {level}.",
        asmt.id, asmt.title
    )?;
    if let Some(o) = people.name(r.owner) {
        writeln!(out, "  owner: {o}")?;
    }
    if !r.next_step.is_empty() {
        let due = r
            .due_day
            .map(|d| format!(" (due {})", assess::date(d)))
            .unwrap_or_default();
        writeln!(out, "  next step: {}{due}", one_line(&r.next_step))?;
    }
    if !r.rationale.is_empty() {
        writeln!(out, "  rationale: {}", one_line(&r.rationale))?;
    }
    for l in &r.evidence {
        writeln!(out, "  evidence: {l}")?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(db: &Db, id: &str, json: bool) -> Done {
    let store = db.open().await?;
    let a = assessment(&*store, id).await?;
    let entry = roadmap_of(&*store, &a).await?;
    let ratings = ratings(&*store, a.id).await?;
    let people = People::load(&*store).await?;
    let teams = store.teams().await?;
    let mut out = anstream::stdout();
    if json {
        let v = files::to_json(&a, &of_slug(a.assessed, &teams), &entry, &ratings, &people);
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rated: Vec<&Rating> = ratings
        .values()
        .filter(|r| entry.has_topic(&r.topic))
        .map(|r| &r.rating)
        .collect();
    let na = rated.iter().filter(|r| r.level().is_none()).count();
    writeln!(
        out,
        "{}  {}",
        a.title.bold(),
        format!("assessment {}, {}", a.id, a.state.as_str()).dimmed()
    )?;
    writeln!(
        out,
        "Of {} ({}), on {} ({}), as of {}",
        whose(a.assessed, &teams),
        of_slug(a.assessed, &teams),
        entry.title(),
        entry.id,
        assess::date(a.assessed_on)
    )?;
    writeln!(
        out,
        "Index {} of 100; {} of {} practices rated ({} not applicable)",
        one_decimal(compute::assessment_index(&entry, &ratings)),
        rated.len(),
        entry.topics.len(),
        na
    )?;
    if let Some(b) = a.based_on {
        writeln!(
            out,
            "{}",
            format!("Started as a copy of assessment {b}").dimmed()
        )?;
    }
    let levels = compute::area_levels(&entry, &ratings);
    for (area, l) in entry.areas.iter().zip(&levels) {
        writeln!(out)?;
        writeln!(
            out,
            "{}  {}",
            area.title.bold(),
            format!(
                "mean level {}, {} of {} rated",
                one_decimal(l.mean),
                l.practices() - l.unrated,
                l.practices()
            )
            .dimmed()
        )?;
        for t in &area.topics {
            let Some(r) = ratings.get(&t.id) else {
                continue;
            };
            writeln!(
                out,
                "  {:<12} {}  {}",
                level_text(r.rating),
                t.title,
                format!("#{}", t.id).dimmed()
            )?;
            let mut more = Vec::new();
            if let Some(o) = people.name(r.owner) {
                more.push(format!("owner {o}"));
            }
            if !r.next_step.is_empty() {
                let due = r
                    .due_day
                    .map(|d| format!(", due {}", assess::date(d)))
                    .unwrap_or_default();
                more.push(format!("next step: {}{due}", one_line(&r.next_step)));
            }
            if !r.evidence.is_empty() {
                more.push(plural(r.evidence.len(), "evidence link", "evidence links"));
            }
            if !more.is_empty() {
                writeln!(out, "  {:<12} {}", "", more.join("; ").dimmed())?;
            }
        }
    }
    let orphans = compute::orphans(&entry, &ratings);
    if !orphans.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            "Rated practices the roadmap no longer has".bold()
        )?;
        for r in orphans {
            writeln!(out, "  {:<12} {}", level_text(r.rating), r.topic)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn publish(db: &Db, id: &str) -> Done {
    let store = db.open().await?;
    let a = assessment(&*store, id).await?;
    let teams = store.teams().await?;
    if a.state == AssessmentState::Published {
        return Err(Stop::Input(format!(
            "assessment {} ({:?}) is published already",
            a.id, a.title
        )));
    }
    let Some(p) = store.publish_assessment(a.id, now_ms()).await? else {
        return Err(Stop::Input(format!(
            "no assessment {} (see `leadmap assess list` for the ids)",
            a.id
        )));
    };
    writeln!(
        std::io::stdout().lock(),
        "Published assessment {} ({:?}): it is never changed again, and the next one of {} starts as a copy of it (leadmap assess new --of {} --roadmap {} --title TITLE).",
        p.id,
        p.title,
        whose(p.assessed, &teams),
        of_slug(p.assessed, &teams),
        p.roadmap
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReportFormat {
    Markdown,
    Html,
    Pdf,
}

async fn report(db: &Db, id: &str, output: &str) -> Done {
    let format = if output == "-" {
        ReportFormat::Markdown
    } else {
        match Path::new(output)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("md" | "markdown") => ReportFormat::Markdown,
            Some("html" | "htm") => ReportFormat::Html,
            Some("pdf") => ReportFormat::Pdf,
            _ => {
                return Err(Stop::Other(anyhow::anyhow!(
                    "{output}: name the report .md, .html or .pdf (or -o - for Markdown on standard output)"
                )));
            }
        }
    };
    let store = db.open().await?;
    let a = assessment(&*store, id).await?;
    let entry = roadmap_of(&*store, &a).await?;
    let r = Report::gather(&*store, &entry, &a).await?;
    let bytes = match format {
        ReportFormat::Markdown => r.markdown().into_bytes(),
        ReportFormat::Html => r.html().into_bytes(),
        ReportFormat::Pdf => {
            leadmap_render::report::pdf(&r.document(), &leadmap_render::shipped_fonts())
                .context("cannot draw the report")?
        }
    };
    if output == "-" {
        std::io::stdout().lock().write_all(&bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    crate::cli::overwrite(Path::new(output), &bytes)
        .with_context(|| format!("cannot write {output}"))?;
    let _ = writeln!(
        anstream::stderr(),
        "{}",
        format!(
            "Wrote {output} ({} of assessment {}, {} bytes)",
            match format {
                ReportFormat::Markdown => "the Markdown report",
                ReportFormat::Html => "the HTML report",
                ReportFormat::Pdf => "the PDF report",
            },
            a.id,
            bytes.len()
        )
        .dimmed()
    );
    Ok(ExitCode::SUCCESS)
}

async fn compare(db: &Db, from: &str, to: &str, json: bool) -> Done {
    let store = db.open().await?;
    let a = assessment(&*store, from).await?;
    let b = assessment(&*store, to).await?;
    if a.roadmap != b.roadmap {
        return Err(Stop::Input(format!(
            "assessment {} rates {} and assessment {} rates {}: compare two assessments of one roadmap",
            a.id, a.roadmap, b.id, b.roadmap
        )));
    }
    let entry = roadmap_of(&*store, &b).await?;
    let (ra, rb) = (ratings(&*store, a.id).await?, ratings(&*store, b.id).await?);
    let cmp = compute::compare(&entry, &ra, &rb);
    let mut out = anstream::stdout();
    if json {
        let v = serde_json::json!({ "from": a.id, "to": b.id, "comparison": cmp });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let teams = store.teams().await?;
    let who = |x: &Assessment| {
        format!(
            "{:?} (assessment {}, {}, {}, {})",
            x.title,
            x.id,
            whose(x.assessed, &teams),
            assess::date(x.assessed_on),
            x.state.as_str()
        )
    };
    writeln!(out, "From {}", who(&a))?;
    writeln!(out, "To   {}", who(&b))?;
    writeln!(
        out,
        "Index {} → {}",
        one_decimal(cmp.index_before),
        one_decimal(cmp.index_after)
    )?;
    let label = |r: Option<Rating>| r.map_or("Not rated", Rating::label);
    for (m, heading) in [
        (Movement::Rose, "Rose"),
        (Movement::Fell, "Fell"),
        (Movement::New, "New: rated for the first time"),
        (Movement::Dropped, "No longer rated"),
    ] {
        let changes: Vec<_> = cmp.with(m).collect();
        if changes.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{}", format!("{heading} ({})", changes.len()).bold())?;
        for c in changes {
            let arrow = match m {
                Movement::Rose => "↑".green().to_string(),
                Movement::Fell => "↓".red().to_string(),
                Movement::New => "+".green().to_string(),
                _ => "-".red().to_string(),
            };
            writeln!(
                out,
                "  {arrow} {}: {} → {}  {}",
                c.title,
                label(c.before),
                label(c.after),
                format!("#{}", c.topic).dimmed()
            )?;
        }
    }
    // The same in the mean, but not the same: a change to or from "not applicable".
    let applicable: Vec<_> = cmp
        .with(Movement::Same)
        .filter(|c| c.before != c.after)
        .collect();
    if !applicable.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            format!("To or from not applicable ({})", applicable.len()).bold()
        )?;
        for c in &applicable {
            writeln!(
                out,
                "  ~ {}: {} → {}  {}",
                c.title,
                label(c.before),
                label(c.after),
                format!("#{}", c.topic).dimmed()
            )?;
        }
    }
    let evidence: Vec<_> = cmp.evidence_changed().collect();
    if !evidence.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            format!("Evidence changed ({})", evidence.len()).bold()
        )?;
        for c in evidence {
            writeln!(out, "  {}", c.title)?;
            for l in &c.evidence_added {
                writeln!(out, "    {} {l}", "+".green())?;
            }
            for l in &c.evidence_removed {
                writeln!(out, "    {} {l}", "-".red())?;
            }
        }
    }
    let same = cmp.with(Movement::Same).count() - applicable.len();
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        format!(
            "{} rose, {} fell, {} new, {} no longer rated, {} to or from not applicable, {} unchanged.",
            cmp.with(Movement::Rose).count(),
            cmp.with(Movement::Fell).count(),
            cmp.with(Movement::New).count(),
            cmp.with(Movement::Dropped).count(),
            applicable.len(),
            same
        )
        .dimmed()
    )?;
    Ok(ExitCode::SUCCESS)
}

async fn import(db: &Db, id: &str, file: &str, by: Option<&str>) -> Done {
    let store = db.open().await?;
    let a = assessment(&*store, id).await?;
    let teams = store.teams().await?;
    draft(&a, &teams)?;
    let name = if file == "-" { "standard input" } else { file };
    let bytes = crate::input::read(file)?;
    crate::input::ensure_text(name, &bytes)?;
    let entry = roadmap_of(&*store, &a).await?;
    let people = People::load(&*store).await?;
    let by = match by {
        Some(n) => Some(account(&people, n)?),
        None => None,
    };
    let named_json = Path::new(file)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let named_csv = Path::new(file)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let json = named_json || (!named_csv && matches!(first, Some(b'{' | b'[')));
    let read = if json {
        files::from_json(&entry, &people, &bytes)
    } else {
        files::from_csv(&entry, &people, &bytes)
    };
    let rows = match read {
        Ok(rows) => rows,
        Err(problems) => {
            let mut err = anstream::stderr();
            for p in &problems.0 {
                let _ = writeln!(err, "leadmap: error: {name}: {p}");
            }
            let _ = writeln!(
                err,
                "leadmap: nothing imported into assessment {} ({}): fix the file and import it again",
                a.id,
                plural(problems.0.len(), "problem", "problems")
            );
            return Ok(ExitCode::from(1));
        }
    };
    if rows.is_empty() {
        let _ = writeln!(
            anstream::stderr(),
            "{name} rates no practice (every level is empty): nothing to import into assessment {}.",
            a.id
        );
        return Ok(ExitCode::SUCCESS);
    }
    let now = now_ms();
    for (topic, change) in &rows {
        assess::rate(&*store, &entry, &a, topic, change, by, now).await?;
    }
    writeln!(
        std::io::stdout().lock(),
        "Imported {} into assessment {} ({:?}).",
        plural(rows.len(), "rating", "ratings"),
        a.id,
        a.title
    )?;
    Ok(ExitCode::SUCCESS)
}

async fn export(db: &Db, id: &str, format: Option<FileFormat>, output: Option<&str>) -> Done {
    let output = output.filter(|o| *o != "-");
    let format = format.unwrap_or_else(|| {
        match output
            .and_then(|o| Path::new(o).extension())
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => FileFormat::Json,
            _ => FileFormat::Csv,
        }
    });
    let store = db.open().await?;
    let a = assessment(&*store, id).await?;
    let entry = roadmap_of(&*store, &a).await?;
    let ratings = ratings(&*store, a.id).await?;
    let people = People::load(&*store).await?;
    let text = match format {
        FileFormat::Csv => files::to_csv(&entry, &ratings, &people),
        FileFormat::Json => {
            let teams = store.teams().await?;
            let v = files::to_json(&a, &of_slug(a.assessed, &teams), &entry, &ratings, &people);
            let mut s = serde_json::to_string_pretty(&v)?;
            s.push('\n');
            s
        }
    };
    match output {
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
        Some(path) => {
            crate::cli::overwrite(Path::new(path), text.as_bytes())
                .with_context(|| format!("cannot write {path}"))?;
            let _ = writeln!(
                anstream::stderr(),
                "{}",
                format!(
                    "Wrote {path} (assessment {}, {} of {} practices rated)",
                    a.id,
                    ratings.keys().filter(|t| entry.has_topic(t)).count(),
                    entry.topics.len()
                )
                .dimmed()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Args)]
pub struct SyntheticAssessmentsArgs {
    /// How many teams the organisation has.
    #[arg(long, default_value_t = 50)]
    teams: usize,
    /// How many published assessments each team (and the organisation) has, a quarter apart.
    #[arg(long, default_value_t = 8)]
    quarters: usize,
    /// The roadmap rated (bundled).
    #[arg(long, default_value = "engineering-leadership")]
    roadmap: String,
    /// The password of the admin account `admin` (generated and printed when absent).
    #[arg(long)]
    password: Option<String>,
    #[command(flatten)]
    db: Db,
}

/// `leadmap synthetic-assessments` (hidden): an admin and an organisation of teams with their
/// quarterly assessments, for `bench/assess.sh`.
pub fn synthetic_assessments(a: SyntheticAssessmentsArgs) -> Result<ExitCode> {
    use leadmap_app::secrets::{self, Password};
    if a.teams == 0 || a.quarters == 0 {
        anyhow::bail!("--teams and --quarters take a number above 0");
    }
    let (password, generated) = match &a.password {
        Some(p) => (p.clone(), false),
        None => (secrets::random_hex(12), true),
    };
    let password =
        Password::parse(&password, &["admin"]).map_err(|e| anyhow::anyhow!("--password: {e}"))?;
    let catalog = leadmap_app::Catalog::bundled();
    let entry = catalog
        .get(&a.roadmap)
        .with_context(|| format!("no bundled roadmap {:?}", a.roadmap))?;
    runtime()?.block_on(async {
        let started = std::time::Instant::now();
        let now = now_ms();
        let store = a.db.open().await?;
        let hash = secrets::hash_password(&password)?;
        store
            .create_user(&leadmap_store::UserName::parse("admin")?, &hash, true, now)
            .await
            .context("cannot create the account admin")?;
        let (teams, assessments, ratings) =
            assess::synthetic::fill(&*store, entry, a.teams, a.quarters, now).await?;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{teams} teams, {assessments} published assessments, {ratings} ratings written in {:.1} s",
            started.elapsed().as_secs_f64()
        )?;
        if generated {
            writeln!(out, "the password of admin: {}", password.as_str())?;
        }
        Ok(ExitCode::SUCCESS)
    })
}
