//! `leadmap publish FILE`: checks a roadmap file (with its topic files) here, then publishes it
//! as a new version, either straight into the database (as `mark` and `share` work) or to a
//! running server through its API (`--server URL`, a personal access token).

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use leadmap_app::publish::{self, Library, Limits, Publisher, Request};
use leadmap_app::time::now_ms;
use leadmap_store::Visibility;
use owo_colors::OwoColorize;

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The roadmap file (its topic files in FILE-STEM/topics/ beside it are merged in).
    file: String,
    /// What changed, kept with the version.
    #[arg(short, long, default_value = "")]
    message: String,
    /// Move everyone's progress from one topic id to another in the same transaction:
    /// OLD=NEW, repeat for several.
    #[arg(long = "map", value_name = "OLD=NEW")]
    map: Vec<String>,
    /// A file of `old-id -> new-id` lines, added to --map.
    #[arg(long, value_name = "FILE")]
    map_file: Option<String>,
    /// Print the diff and the orphaned progress without publishing.
    #[arg(long)]
    dry_run: bool,
    /// Who may see a roadmap this creates: private, signed-in or public [default: private].
    #[arg(long, value_parser = parse_visibility)]
    visibility: Option<Visibility>,
    /// Publish through this server's API (https://leadmap.example.com) instead of the database.
    #[arg(long, env = "LEADMAP_SERVER")]
    server: Option<String>,
    /// The personal access token for --server.
    #[arg(long, env = "LEADMAP_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Publish as this person (the database's only account when absent).
    #[arg(long)]
    user: Option<String>,
    /// Print the answer as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: crate::app::Db,
}

fn parse_visibility(s: &str) -> Result<Visibility, String> {
    Visibility::parse(s).ok_or_else(|| format!("{s:?}: private, signed-in or public"))
}

pub fn run(a: PublishArgs) -> Result<ExitCode> {
    let markdown = match crate::cli::checked_markdown(&a.file)? {
        Ok(md) => md,
        Err(problems) => {
            anstream::eprint!("{problems}");
            anstream::eprintln!(
                "leadmap: {} does not pass `leadmap check`: nothing was published",
                a.file
            );
            return Ok(ExitCode::from(1));
        }
    };
    let mut map = Vec::new();
    for pair in &a.map {
        let (from, to) = pair
            .split_once('=')
            .with_context(|| format!("--map {pair:?}: write OLD=NEW"))?;
        map.push((from.trim().to_owned(), to.trim().to_owned()));
    }
    if let Some(f) = &a.map_file {
        let text = String::from_utf8(crate::input::read(f)?)
            .with_context(|| format!("{f} is not UTF-8 text"))?;
        map.extend(publish::parse_map(&text).map_err(|e| anyhow::anyhow!("{f}: {e}"))?);
    }
    let visibility = a.visibility.unwrap_or(Visibility::Private);
    let report = match &a.server {
        Some(server) => remote(&a, server, &markdown, &map, visibility)?,
        None => local(&a, &markdown, &map, visibility)?,
    };
    let Some(report) = report else {
        return Ok(ExitCode::from(1));
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(ExitCode::SUCCESS)
}

fn local(
    a: &PublishArgs,
    markdown: &str,
    map: &[(String, String)],
    visibility: Visibility,
) -> Result<Option<serde_json::Value>> {
    crate::app::runtime()?.block_on(async {
        let store = a.db.open().await?;
        let user = crate::app::pick_user(&*store, a.user.as_deref()).await?;
        let library = Library::new(leadmap_app::Catalog::bundled());
        let req = Request {
            id: None,
            source: markdown.as_bytes(),
            message: &a.message,
            map,
            base: None,
            dry_run: a.dry_run,
            visibility,
        };
        match publish::publish(
            &*store,
            &library,
            Limits::default(),
            Publisher::Person(&user),
            &req,
            now_ms(),
        )
        .await
        {
            Ok(r) => Ok(Some(serde_json::to_value(&r)?)),
            Err(publish::PublishError::Invalid(problems)) => {
                for p in problems {
                    anstream::eprintln!("{}", p.render(&a.file));
                }
                anstream::eprintln!(
                    "leadmap: the roadmap does not pass `leadmap check`: nothing was published"
                );
                Ok(None)
            }
            Err(publish::PublishError::Store(e)) => Err(e.into()),
            // A refusal (read-only, a conflict, a limit, a bad map): said, exit 1.
            Err(e) => {
                anstream::eprintln!("leadmap: error: {e}");
                Ok(None)
            }
        }
    })
}

fn remote(
    a: &PublishArgs,
    server: &str,
    markdown: &str,
    map: &[(String, String)],
    visibility: Visibility,
) -> Result<Option<serde_json::Value>> {
    let token = a
        .token
        .as_deref()
        .context("--server needs a personal access token: --token or LEADMAP_TOKEN (make one on the account page or with `leadmap token create`)")?;
    let id = leadmap_core::parse(markdown.as_bytes(), "roadmap")
        .roadmap
        .id
        .to_string();
    let url = format!("{}/api/v1/roadmaps/{id}", server.trim_end_matches('/'));
    let body = serde_json::json!({
        "markdown": markdown,
        "message": a.message,
        "map": map.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
        "visibility": visibility.as_str(),
        "dry_run": a.dry_run,
    });
    crate::app::runtime()?.block_on(async {
        let res = reqwest::Client::new()
            .put(&url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .with_context(|| format!("cannot reach {url}"))?;
        let status = res.status();
        let answer: serde_json::Value = res
            .json()
            .await
            .with_context(|| format!("{url} answered {status} without JSON"))?;
        if status.is_success() {
            return Ok(Some(answer));
        }
        let error = answer["error"].as_str().unwrap_or("no message");
        anstream::eprintln!("leadmap: {url} answered {status}: {error}");
        if let Some(problems) = answer["problems"].as_array() {
            for p in problems {
                anstream::eprintln!(
                    "{}:{}:{}: {}: {}",
                    a.file,
                    p["line"],
                    p["col"],
                    p["severity"].as_str().unwrap_or("error"),
                    p["message"].as_str().unwrap_or("")
                );
            }
        }
        Ok(None)
    })
}

/// The report as people read it: what changed, whose progress is orphaned, a suggested map.
fn print_report(r: &serde_json::Value) {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let (id, version) = (text(&r["roadmap"]), r["version"].as_i64().unwrap_or(0));
    let head = if r["unchanged"].as_bool() == Some(true) {
        format!("{id} is unchanged: version {version} stays current")
    } else if r["dry_run"].as_bool() == Some(true) {
        format!("{id} would be published as version {version} (dry run: nothing was written)")
    } else {
        format!("{id} published as version {version}")
    };
    anstream::println!("{}", head.bold());
    let list = |key: &str| r["diff"][key].as_array().cloned().unwrap_or_default();
    for t in list("added") {
        anstream::println!("  added    {} ({})", text(&t["id"]), text(&t["title"]));
    }
    for t in list("removed") {
        anstream::println!("  removed  {} ({})", text(&t["id"]), text(&t["title"]));
    }
    for t in list("renamed") {
        anstream::println!(
            "  renamed  {}: {} -> {}",
            text(&t["id"]),
            text(&t["old_title"]),
            text(&t["new_title"])
        );
    }
    for t in list("moved") {
        let parent = |v: &serde_json::Value| v.as_str().unwrap_or("the top").to_owned();
        anstream::println!(
            "  moved    {}: from {} to {}",
            text(&t["id"]),
            parent(&t["old_parent"]),
            parent(&t["new_parent"])
        );
    }
    for t in list("content_changed") {
        anstream::println!("  content  {} ({})", text(&t["id"]), text(&t["title"]));
    }
    let moved = r["moved"].as_u64().unwrap_or(0);
    if moved > 0 {
        anstream::println!(
            "moved {moved} progress record{} by the id map",
            if moved == 1 { "" } else { "s" }
        );
    }
    let orphans = r["orphans"].as_array().cloned().unwrap_or_default();
    if !orphans.is_empty() {
        anstream::println!(
            "{}",
            "orphaned progress (kept; it counts again if the topic comes back):".yellow()
        );
        for o in orphans {
            let people = o["people"].as_i64().unwrap_or(0);
            anstream::println!(
                "  {} ({}): {people} {}",
                text(&o["topic"]),
                o["title"]
                    .as_str()
                    .unwrap_or("removed before the previous version"),
                if people == 1 { "person" } else { "people" }
            );
        }
    }
    let suggested = r["suggested_map"].as_array().cloned().unwrap_or_default();
    if !suggested.is_empty() {
        anstream::println!("suggested id map (publish again with these to keep the progress):");
        for s in suggested {
            anstream::println!("  --map {}={}", text(&s["from"]), text(&s["to"]));
        }
    }
}
