//! `leadmap team …`: the operator's commands on a database's teams (create, list, show, add,
//! remove, invite, delete, heatmap), and the hidden `leadmap synthetic-team`, which fills a
//! database with a large team for the benchmarks. Thin: the use cases are
//! `leadmap_app::teams`.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use leadmap_app::Entry;
use leadmap_app::publish::{self, Library, Limits, Publisher, Request};
use leadmap_app::secrets::{self, Password};
use leadmap_app::teams::dashboard::{Dashboard, Person};
use leadmap_app::teams::{InviteTerms, manage};
use leadmap_app::time::now_ms;
use leadmap_store::policy::DAY_MS;
use leadmap_store::{Member, Progress, Status, Store, StoreError, Team, TeamRole, UserName};
use owo_colors::OwoColorize;

use crate::app::{Db, runtime};
use crate::stop::{Stop, finish};

#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Create a team (its address is derived from the name unless --slug gives one).
    Create {
        /// The team's name ("Platform", "Payments API").
        name: String,
        /// The team's address in the web app (/teams/SLUG): lower-case letters, digits and
        /// dashes.
        #[arg(long)]
        slug: Option<String>,
        /// The team it belongs to (its slug): that team's managers see this one too.
        #[arg(long, value_name = "TEAM")]
        parent: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// List the teams: slug, name, parent team and how many people are in each.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Db,
    },
    /// Show a team: its members with their roles, the teams beneath it, its open invites.
    Show {
        /// The team's slug (`leadmap team list` shows them).
        team: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Db,
    },
    /// Put an account in a team, or change its role there.
    Add {
        team: String,
        /// The account's user name.
        user: String,
        /// manager (sees every member's statuses, here and in the teams beneath) or member.
        #[arg(long, value_enum, default_value = "member")]
        role: RoleArg,
        #[command(flatten)]
        db: Db,
    },
    /// Take an account out of a team (its progress stays).
    Remove {
        team: String,
        user: String,
        #[command(flatten)]
        db: Db,
    },
    /// Make an invite link to a team and print it (shown only now).
    Invite {
        team: String,
        /// The role the link gives: manager or member.
        #[arg(long, value_enum, default_value = "member")]
        role: RoleArg,
        /// How many people may join with the link (1 to 1000; default 1).
        #[arg(long, value_name = "N")]
        uses: Option<String>,
        /// Days the link works (1 to 90; default 7).
        #[arg(long, value_name = "N")]
        days: Option<String>,
        /// The address people reach the server at (https://leadmap.example.org); without it
        /// the link is printed as a path.
        #[arg(long, value_name = "BASE_URL", env = "LEADMAP_PUBLIC_URL")]
        url: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// Delete a team with its memberships, invites and focus topics. Everyone's progress is
    /// kept; the teams beneath it stay, without a parent.
    Delete {
        team: String,
        #[command(flatten)]
        db: Db,
    },
    /// Draw the heatmap of a team on a roadmap: the people of the team and of every team
    /// beneath it, by the roadmap's areas, percent done. SVG, PNG or PDF.
    Heatmap {
        team: String,
        /// A bundled roadmap's id or one published on this database.
        roadmap: String,
        /// The file to write: .svg, .png or .pdf.
        #[arg(short, long)]
        output: PathBuf,
        /// light or dark.
        #[arg(long, value_enum, default_value = "light")]
        theme: ThemeArg,
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Manager,
    Member,
}

impl From<RoleArg> for TeamRole {
    fn from(r: RoleArg) -> TeamRole {
        match r {
            RoleArg::Manager => TeamRole::Manager,
            RoleArg::Member => TeamRole::Member,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ThemeArg {
    Light,
    Dark,
}

type Done = std::result::Result<(), Stop>;

pub fn team(c: TeamCmd) -> Result<ExitCode> {
    let done = runtime()?.block_on(async {
        match c {
            TeamCmd::Create {
                name,
                slug,
                parent,
                db,
            } => create(&db, &name, slug.as_deref(), parent.as_deref()).await,
            TeamCmd::List { json, db } => list(&db, json).await,
            TeamCmd::Show { team, json, db } => show(&db, &team, json).await,
            TeamCmd::Add {
                team,
                user,
                role,
                db,
            } => add(&db, &team, &user, role.into()).await,
            TeamCmd::Remove { team, user, db } => remove(&db, &team, &user).await,
            TeamCmd::Invite {
                team,
                role,
                uses,
                days,
                url,
                db,
            } => {
                invite(
                    &db,
                    &team,
                    role.into(),
                    uses.as_deref(),
                    days.as_deref(),
                    url.as_deref(),
                )
                .await
            }
            TeamCmd::Delete { team, db } => delete(&db, &team).await,
            TeamCmd::Heatmap {
                team,
                roadmap,
                output,
                theme,
                db,
            } => heatmap(&db, &team, &roadmap, &output, theme).await,
        }
    });
    finish(done.map(|()| ExitCode::SUCCESS))
}

/// The slug of the team with this id, among `teams`.
fn slug_of(teams: &[Team], id: Option<i64>) -> Option<&str> {
    let id = id?;
    teams.iter().find(|t| t.id == id).map(|t| t.slug.as_str())
}

async fn create(db: &Db, name: &str, slug: Option<&str>, parent: Option<&str>) -> Done {
    let store = db.open().await?;
    let made = manage::create_team(&*store, name, slug, parent, now_ms()).await;
    let t = match made {
        Ok(t) => t,
        Err(e) if manage::is_conflict(&e) => {
            // Say which of the two is taken: the name (in any case) or the address.
            let name = name.trim();
            let teams = store.teams().await?;
            if let Some(t) = teams
                .iter()
                .find(|t| t.name.to_lowercase() == name.to_lowercase())
            {
                return Err(Stop::Input(format!(
                    "there is a team named {:?} already (slug {}); choose another name",
                    t.name, t.slug
                )));
            }
            let slug = slug.map(str::trim).filter(|s| !s.is_empty()).map_or_else(
                || leadmap_app::teams::slug_from_name(name).as_str().to_owned(),
                str::to_owned,
            );
            let holder = teams
                .iter()
                .find(|t| t.slug == slug)
                .map(|t| t.name.clone());
            return Err(Stop::Input(match holder {
                Some(h) => format!(
                    "the slug {slug} belongs to the team {h:?}; give this one another with --slug"
                ),
                None => format!("a team named {name:?} or with the slug {slug} exists already"),
            }));
        }
        Err(e) => return Err(e.into()),
    };
    let under = match parent {
        Some(p) => format!(", beneath {}", p.trim()),
        None => String::new(),
    };
    println!("Created the team {} (slug {}{under}).", t.name, t.slug);
    Ok(())
}

async fn list(db: &Db, json: bool) -> Done {
    let store = db.open().await?;
    let teams = store.teams().await?;
    let ids: Vec<i64> = teams.iter().map(|t| t.id).collect();
    let mut counts: HashMap<i64, usize> = HashMap::new();
    if !ids.is_empty() {
        for m in store.members(&ids).await? {
            *counts.entry(m.team).or_default() += 1;
        }
    }
    let count = |t: &Team| counts.get(&t.id).copied().unwrap_or(0);
    let mut out = anstream::stdout();
    if json {
        let v: Vec<_> = teams
            .iter()
            .map(|t| {
                serde_json::json!({
                    "slug": t.slug,
                    "name": t.name,
                    "parent": slug_of(&teams, t.parent),
                    "members": count(t),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    if teams.is_empty() {
        writeln!(
            out,
            "No teams yet: create one with `leadmap team create NAME`."
        )?;
        return Ok(());
    }
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_BORDERS_ONLY)
        .set_header(["Slug", "Name", "Parent", "Members"]);
    for team in &teams {
        t.add_row([
            team.slug.clone(),
            team.name.clone(),
            slug_of(&teams, team.parent).unwrap_or_default().to_owned(),
            count(team).to_string(),
        ]);
    }
    writeln!(out, "{t}")?;
    Ok(())
}

/// Whether an invite can still be used at `now`.
fn open(i: &leadmap_store::Invite, now: i64) -> bool {
    i.revoked_at.is_none() && i.expires_at > now && i.uses < i.max_uses
}

async fn show(db: &Db, slug: &str, json: bool) -> Done {
    let store = db.open().await?;
    let team = manage::team(&*store, slug).await?;
    let teams = store.teams().await?;
    let members = store.members(&[team.id]).await?;
    let children: Vec<&Team> = teams.iter().filter(|t| t.parent == Some(team.id)).collect();
    let now = now_ms();
    let invites: Vec<_> = store
        .invites(team.id)
        .await?
        .into_iter()
        .filter(|i| open(i, now))
        .collect();
    let parent = slug_of(&teams, team.parent);
    let time = leadmap_app::time::rfc3339;
    let mut out = anstream::stdout();
    if json {
        let v = serde_json::json!({
            "slug": team.slug,
            "name": team.name,
            "parent": parent,
            "show_names": team.show_names,
            "created_at": time(team.created_at),
            "members": members.iter().map(|m| serde_json::json!({
                "name": m.user.name,
                "display_name": m.user.display_name,
                "role": m.role.as_str(),
                "added_at": time(m.added_at),
            })).collect::<Vec<_>>(),
            "teams": children.iter().map(|t| serde_json::json!({
                "slug": t.slug,
                "name": t.name,
            })).collect::<Vec<_>>(),
            "invites": invites.iter().map(|i| serde_json::json!({
                "id": i.id,
                "role": i.role.as_str(),
                "uses": i.uses,
                "max_uses": i.max_uses,
                "expires_at": time(i.expires_at),
                "created_at": time(i.created_at),
            })).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    let date = leadmap_app::time::display;
    writeln!(out, "{} (slug {})", team.name.bold(), team.slug)?;
    if let Some(p) = parent {
        writeln!(out, "Beneath: {p}")?;
    }
    writeln!(out)?;
    if members.is_empty() {
        writeln!(
            out,
            "No members yet: `leadmap team add {} USER` or `leadmap team invite {}`.",
            team.slug, team.slug
        )?;
    } else {
        let mut t = comfy_table::Table::new();
        t.load_style(comfy_table::presets::UTF8_BORDERS_ONLY)
            .set_header(["Name", "Display name", "Role", "Since"]);
        for m in &members {
            t.add_row([
                m.user.name.clone(),
                m.user.display_name.clone().unwrap_or_default(),
                m.role.as_str().to_owned(),
                date(m.added_at),
            ]);
        }
        writeln!(out, "{}", format!("Members ({})", members.len()).bold())?;
        writeln!(out, "{t}")?;
    }
    if !children.is_empty() {
        writeln!(
            out,
            "{}",
            format!("Teams beneath ({})", children.len()).bold()
        )?;
        for c in &children {
            writeln!(out, "  {}  {}", c.slug, c.name)?;
        }
    }
    if !invites.is_empty() {
        writeln!(
            out,
            "{}",
            format!("Open invites ({})", invites.len()).bold()
        )?;
        for i in &invites {
            writeln!(
                out,
                "  #{}  {}  {} of {} used  until {}",
                i.id,
                i.role,
                i.uses,
                i.max_uses,
                date(i.expires_at)
            )?;
        }
    }
    Ok(())
}

async fn add(db: &Db, slug: &str, name: &str, role: TeamRole) -> Done {
    let store = db.open().await?;
    let team = manage::team(&*store, slug).await?;
    let user = manage::add(&*store, &team, name, role, now_ms()).await?;
    println!(
        "{} is a {role} of {} ({}).",
        user.name, team.name, team.slug
    );
    Ok(())
}

async fn remove(db: &Db, slug: &str, name: &str) -> Done {
    let store = db.open().await?;
    let team = manage::team(&*store, slug).await?;
    if !manage::remove(&*store, &team, name).await? {
        return Err(Stop::Input(format!(
            "{} is not in the team {}: nothing to remove",
            name.trim(),
            team.slug
        )));
    }
    println!(
        "{} is no longer in {}; their progress is kept.",
        name.trim(),
        team.name
    );
    Ok(())
}

async fn invite(
    db: &Db,
    slug: &str,
    role: TeamRole,
    uses: Option<&str>,
    days: Option<&str>,
    url: Option<&str>,
) -> Done {
    let terms = InviteTerms::parse(uses, days).map_err(leadmap_app::Error::from)?;
    let store = db.open().await?;
    let team = manage::team(&*store, slug).await?;
    let (made, token) = manage::invite(&*store, &team, role, terms, None, now_ms()).await?;
    let path = manage::invite_path(&token);
    let base = url.map(|u| u.trim().trim_end_matches('/'));
    match base {
        Some(b) if !b.is_empty() => println!("{b}{path}"),
        _ => println!("{path}"),
    }
    if std::io::stderr().is_terminal() {
        eprintln!(
            "An invite to {} as {}: {} {}, until {}. The link is shown only now.",
            team.name,
            made.role,
            made.max_uses,
            if made.max_uses == 1 { "use" } else { "uses" },
            leadmap_app::time::display(made.expires_at)
        );
        if base.is_none_or(str::is_empty) {
            eprintln!(
                "Put the server's address before the path (or pass --url https://your.server)."
            );
        }
    }
    Ok(())
}

async fn delete(db: &Db, slug: &str) -> Done {
    let store = db.open().await?;
    let team = manage::team(&*store, slug).await?;
    let members = store.members(&[team.id]).await?.len();
    let children = store
        .teams()
        .await?
        .iter()
        .filter(|t| t.parent == Some(team.id))
        .count();
    if !store.delete_team(team.id).await? {
        return Err(Stop::Input(format!(
            "no team {:?} (see `leadmap team list`)",
            team.slug
        )));
    }
    print!(
        "Deleted the team {} ({members} {}). Everyone's progress is kept.",
        team.name,
        if members == 1 { "member" } else { "members" }
    );
    if children > 0 {
        print!(
            " The {children} {} beneath it stay{}, without a parent.",
            if children == 1 { "team" } else { "teams" },
            if children == 1 { "s" } else { "" }
        );
    }
    println!();
    Ok(())
}

/// A bundled roadmap, or one published on this database (whatever its visibility: the
/// operator reads them all).
async fn any_roadmap(store: &dyn Store, id: &str) -> std::result::Result<Arc<Entry>, Stop> {
    if let Some(b) = leadmap_bundled::get(id) {
        return Ok(Arc::new(Entry::new(b.parse().roadmap)));
    }
    let library = Library::new(leadmap_app::Catalog {
        roadmaps: Vec::new(),
    });
    match library.current_published(store, id).await? {
        Some(c) => Ok(c.entry),
        None => {
            let ids: Vec<&str> = leadmap_bundled::ROADMAPS.iter().map(|b| b.id).collect();
            Err(Stop::Input(format!(
                "no roadmap {id:?}; the bundled ones are {} (published ones: leadmap publish)",
                ids.join(", ")
            )))
        }
    }
}

/// The people of a team and of every team beneath it, each once (members of the team itself
/// first, so their role there wins), by shown name.
pub(crate) async fn people(store: &dyn Store, team: &Team) -> Result<Vec<Member>, StoreError> {
    let mut ids = vec![team.id];
    ids.extend(leadmap_app::teams::descendants(
        &store.teams().await?,
        team.id,
    ));
    let members = store.members(&ids).await?;
    let (here, below): (Vec<Member>, Vec<Member>) =
        members.into_iter().partition(|m| m.team == team.id);
    let mut seen = HashSet::new();
    let mut out: Vec<Member> = here
        .into_iter()
        .chain(below)
        .filter(|m| seen.insert(m.user.id))
        .collect();
    out.sort_by(|a, b| {
        a.user
            .shown_name()
            .to_lowercase()
            .cmp(&b.user.shown_name().to_lowercase())
            .then(a.user.id.cmp(&b.user.id))
    });
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Picture {
    Svg,
    Png,
    Pdf,
}

/// The largest side of a PNG the renderer draws (its limit), in pixels.
const PNG_MAX_SIDE: u32 = 32_000;

async fn heatmap(db: &Db, slug: &str, roadmap: &str, output: &Path, theme: ThemeArg) -> Done {
    let format = match output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => Picture::Svg,
        Some("png") => Picture::Png,
        Some("pdf") => Picture::Pdf,
        _ => {
            return Err(Stop::Other(anyhow::anyhow!(
                "{}: name the output .svg, .png or .pdf",
                output.display()
            )));
        }
    };
    let store = db.open().await?;
    let team = manage::team(&*store, slug).await?;
    let entry = any_roadmap(&*store, roadmap).await?;
    let members = people(&*store, &team).await?;
    let ids: Vec<_> = members.iter().map(|m| m.user.id).collect();
    let records = store.team_records(&ids, &entry.id).await?;
    let people: Vec<Person> = members
        .iter()
        .map(|m| Person {
            id: m.user.id,
            name: m.user.shown_name().to_owned(),
        })
        .collect();
    let dashboard = Dashboard::new(&entry, &people, &records);
    let map = dashboard.heatmap(&format!("{} — {}", team.name, entry.title()));
    let theme = match theme {
        ThemeArg::Light => leadmap_render::Theme::Light,
        ThemeArg::Dark => leadmap_render::Theme::Dark,
    };
    let svg = leadmap_render::heatmap::heatmap_svg(&map, theme);
    // The shipped font for text; the system's fonts too, as `leadmap render` loads them.
    let fonts = || {
        let mut db = leadmap_render::shipped_fonts();
        db.load_system_fonts();
        db
    };
    let bytes = match format {
        Picture::Svg => svg.into_bytes(),
        Picture::Png => {
            let fonts = fonts();
            match leadmap_render::png(&svg, &fonts, 2.0, None) {
                // A team of hundreds is a tall picture: drawn at the largest scale that fits.
                Err(leadmap_render::RasterError::TooLarge(w, h)) if w > 0 && h > 0 => {
                    let scale = 2.0 * PNG_MAX_SIDE as f32 / w.max(h) as f32 * 0.99;
                    leadmap_render::png(&svg, &fonts, scale, None)
                        .context("cannot draw the heatmap")?
                }
                r => r.context("cannot draw the heatmap")?,
            }
        }
        Picture::Pdf => leadmap_render::raster::pdf_with(
            &svg,
            &fonts(),
            leadmap_render::Page::A4,
            leadmap_render::raster::Fit::Width,
        )
        .context("cannot draw the heatmap")?,
    };
    crate::cli::overwrite(output, &bytes)
        .with_context(|| format!("cannot write {}", output.display()))?;
    anstream::eprintln!(
        "{}",
        format!(
            "Wrote {} ({} people × {} areas, {} bytes)",
            output.display(),
            members.len(),
            entry.areas.len(),
            bytes.len()
        )
        .dimmed()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Args)]
pub struct SyntheticTeamArgs {
    /// How many members the team has (besides its manager).
    #[arg(long, default_value_t = 1000)]
    members: usize,
    /// How many learnable topics the synthetic roadmap has (published as `synthetic-team`).
    #[arg(long, default_value_t = 300)]
    topics: usize,
    /// Use this bundled or published roadmap instead of a synthetic one.
    #[arg(long, conflicts_with = "topics")]
    roadmap: Option<String>,
    /// Over how many days before now the statuses changed.
    #[arg(long, default_value_t = 365)]
    days: i64,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The team's name (its slug is derived from it).
    #[arg(long, default_value = "bench")]
    team: String,
    /// The password of the manager and of every member (generated and printed when absent).
    #[arg(long)]
    password: Option<String>,
    /// Everything but the team: the same accounts and progress, no team (a baseline).
    #[arg(long)]
    no_team: bool,
    #[command(flatten)]
    db: Db,
}

/// The id the synthetic roadmap is published as.
pub const SYNTHETIC_ROADMAP: &str = "synthetic-team";

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in [lo, hi).
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// Synthetic Markdown with about `learnable` learnable topics (topics and subtopics): the
/// generator's size is in topics, and subtopics come on top.
fn synthetic_markdown(learnable: usize, seed: u64) -> String {
    let count = |md: &str| {
        leadmap_core::parse(md.as_bytes(), SYNTHETIC_ROADMAP)
            .roadmap
            .nodes()
            .filter(|n| n.kind.is_learnable())
            .count()
    };
    let mut topics = (learnable * 10 / 22).max(1);
    let mut md = leadmap_core::synthetic::markdown(topics, seed);
    while count(&md) < learnable && topics < learnable {
        topics += 1;
        md = leadmap_core::synthetic::markdown(topics, seed);
    }
    md
}

/// Which kind of topic a topic is for the whole team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Nobody has touched it (a gap).
    Gap,
    /// Exactly one person has done it (a single point of knowledge).
    Single,
    Common,
}

/// What the synthetic statuses are drawn from.
struct Spread {
    roadmap: String,
    /// The roadmap's learnable topics, in order.
    topics: Vec<String>,
    kinds: Vec<Kind>,
    members: usize,
    days: i64,
    seed: u64,
    now: i64,
}

impl Spread {
    /// One topic in forty is a gap, and one in forty a single point of knowledge.
    fn new(
        roadmap: &str,
        topics: Vec<String>,
        members: usize,
        days: i64,
        seed: u64,
        now: i64,
    ) -> Spread {
        let kinds = (0..topics.len())
            .map(|i| match i % 40 {
                39 => Kind::Gap,
                19 => Kind::Single,
                _ => Kind::Common,
            })
            .collect();
        Spread {
            roadmap: roadmap.to_owned(),
            topics,
            kinds,
            members,
            days,
            seed,
            now,
        }
    }

    /// The status changes of member `m` over the `days` before `now`, oldest first: some
    /// people far along, most in the middle, a few who never started; learning, then done or
    /// skipped; some done topics later undone; each single point done by its one owner only,
    /// the gaps by nobody.
    fn changes(&self, m: usize) -> Vec<Progress> {
        let Spread {
            roadmap,
            topics,
            kinds,
            members,
            days,
            seed,
            now,
        } = self;
        let (members, days, seed, now) = (*members, *days, *seed, *now);
        let mut rng = Rng(seed ^ (m as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d));
        let profile = rng.unit();
        let share = if profile < 0.05 {
            0.0 // never started
        } else if profile < 0.17 {
            rng.between(0.65, 0.97) // far along
        } else if profile < 0.30 {
            rng.between(0.02, 0.15) // just begun
        } else {
            rng.between(0.15, 0.6) // the middle
        };
        let common: Vec<usize> = (0..topics.len())
            .filter(|&i| kinds[i] == Kind::Common)
            .collect();
        let mut order: Vec<(f64, usize)> = common
            .iter()
            .map(|&i| (i as f64 + rng.unit() * 0.3 * topics.len() as f64, i))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut picked: Vec<usize> = order
            .iter()
            .take((share * common.len() as f64).round() as usize)
            .map(|&(_, i)| i)
            .collect();
        // The single points: each has one owner among those who started.
        if share > 0.0 {
            for (i, k) in kinds.iter().enumerate() {
                if *k == Kind::Single && owner_of(i, members, seed) == m {
                    picked.push(i);
                }
            }
        }
        if picked.is_empty() {
            return Vec::new();
        }
        let span = days.max(1) * DAY_MS;
        let first = now - span + (rng.unit() * span as f64 * 0.6) as i64;
        let last = now - (rng.unit() * 7.0 * DAY_MS as f64) as i64 - DAY_MS;
        let step = ((last - first).max(1) / picked.len() as i64).max(1);
        let latest = now - 60_000;
        let mut out = Vec::with_capacity(picked.len() * 2 + 8);
        let n = picked.len();
        for (j, &i) in picked.iter().enumerate() {
            let single = kinds[i] == Kind::Single;
            let start =
                (first + j as i64 * step + (rng.unit() * step as f64 * 0.5) as i64).min(latest);
            let at = |ms: i64| ms.min(latest);
            let rec = |status: Status, at: i64| Progress {
                roadmap: roadmap.to_owned(),
                topic: topics[i].clone(),
                status,
                note: String::new(),
                updated_at: at,
            };
            out.push(rec(Status::Learning, start));
            // The last few of a person's topics are still being learnt.
            if !single && j + 3 >= n && rng.unit() < 0.7 {
                continue;
            }
            let finished = at(start + DAY_MS + (rng.unit() * 20.0 * DAY_MS as f64) as i64);
            let to = if single || rng.unit() < 0.88 {
                Status::Done
            } else {
                Status::Skipped
            };
            out.push(rec(to, finished));
            // Some done topics are undone later (back to learning, or not started).
            if !single && to == Status::Done && rng.unit() < 0.04 {
                let undone = at(finished + DAY_MS + (rng.unit() * 30.0 * DAY_MS as f64) as i64);
                let back = if rng.unit() < 0.5 {
                    Status::Learning
                } else {
                    Status::Pending
                };
                if undone > finished {
                    out.push(rec(back, undone));
                }
            }
        }
        out.sort_by_key(|p| p.updated_at);
        out
    }
}

/// The one member who has done single-point topic `i`.
fn owner_of(i: usize, members: usize, seed: u64) -> usize {
    let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x9e37_79b9));
    (rng.next() % members.max(1) as u64) as usize
}

/// The member's user name: member0001 …
fn member_name(m: usize, members: usize) -> String {
    let width = members.to_string().len().max(4);
    format!("member{:0width$}", m + 1)
}

/// Runs `f` on each item with at most `limit` of them in flight (the SQLite writer commits
/// what is queued together; PostgreSQL uses its pool).
async fn each<T, F, Fut, R>(items: Vec<T>, limit: usize, f: F) -> Result<Vec<R>>
where
    T: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<R>> + Send + 'static,
    R: Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (n, item) in items.into_iter().enumerate() {
        if set.len() >= limit
            && let Some(done) = set.join_next().await
        {
            out.push(done.context("a task stopped")??);
        }
        let fut = f(item);
        set.spawn(async move { fut.await.map(|r| (n, r)) });
    }
    while let Some(done) = set.join_next().await {
        out.push(done.context("a task stopped")??);
    }
    out.sort_by_key(|(n, _)| *n);
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

pub fn synthetic_team(a: SyntheticTeamArgs) -> Result<ExitCode> {
    if a.members == 0 || a.topics == 0 || a.days < 1 {
        bail!("--members, --topics and --days take a number above 0");
    }
    let (password, generated) = match &a.password {
        Some(p) => (p.clone(), false),
        None => (secrets::random_hex(12), true),
    };
    let password = Password::parse(&password, &["manager", "member"])
        .map_err(|e| anyhow::anyhow!("--password: {e}"))?;
    runtime()?.block_on(async {
        let started = std::time::Instant::now();
        let now = now_ms();
        let store: Arc<dyn Store> = Arc::from(a.db.open().await?);
        // One hash for every account: hashing is slow on purpose, a thousand times slower.
        let hash = Arc::new(secrets::hash_password(&password)?);
        let manager_name = UserName::parse("manager")?;
        let manager = store
            .create_user(&manager_name, &hash, false, now)
            .await
            .context("cannot create the account manager")?;

        // The roadmap: a synthetic one published here, or the one named.
        let entry = match &a.roadmap {
            Some(id) => match any_roadmap(&*store, id).await {
                Ok(e) => e,
                Err(Stop::Input(m)) => bail!("{m}"),
                Err(Stop::Other(e)) => return Err(e),
            },
            None => {
                let md = synthetic_markdown(a.topics, a.seed);
                let library = Library::new(leadmap_app::Catalog::bundled());
                let req = Request {
                    id: Some(SYNTHETIC_ROADMAP),
                    source: md.as_bytes(),
                    message: "synthetic roadmap for the team benchmarks",
                    map: &[],
                    base: None,
                    dry_run: false,
                    visibility: leadmap_store::Visibility::SignedIn,
                };
                publish::publish(
                    &*store,
                    &library,
                    Limits::default(),
                    Publisher::Person(&manager),
                    &req,
                    now,
                )
                .await
                .map_err(|e| anyhow::anyhow!("cannot publish the synthetic roadmap: {e}"))?;
                library
                    .current_published(&*store, SYNTHETIC_ROADMAP)
                    .await?
                    .context("the synthetic roadmap was published but cannot be read")?
                    .entry
            }
        };

        // The members: one shared hash, many writes at once.
        let names: Vec<String> = (0..a.members).map(|m| member_name(m, a.members)).collect();
        let users = each(names, 32, |name| {
            let (store, hash) = (store.clone(), hash.clone());
            async move {
                let n = UserName::parse(&name)?;
                store
                    .create_user(&n, &hash, false, now)
                    .await
                    .with_context(|| format!("cannot create the account {name}"))
            }
        })
        .await?;

        let team = if a.no_team {
            None
        } else {
            let team = manage::create_team(&*store, &a.team, None, None, now)
                .await
                .map_err(|e| anyhow::anyhow!("cannot create the team {:?}: {e}", a.team))?;
            store
                .set_member(team.id, manager.id, TeamRole::Manager, now)
                .await?;
            let ids: Vec<_> = users.iter().map(|u| u.id).collect();
            let team_id = team.id;
            each(ids, 32, |id| {
                let store = store.clone();
                async move {
                    store
                        .set_member(team_id, id, TeamRole::Member, now)
                        .await
                        .map_err(anyhow::Error::from)
                }
            })
            .await?;
            Some(team)
        };

        // The statuses and their history: one import (one transaction) per member.
        let spread = Arc::new(Spread::new(
            &entry.id,
            entry.topics.clone(),
            a.members,
            a.days,
            a.seed,
            now,
        ));
        let work: Vec<(usize, leadmap_store::UserId)> =
            users.iter().enumerate().map(|(m, u)| (m, u.id)).collect();
        let counts = each(work, 8, |(m, id)| {
            let (store, spread) = (store.clone(), spread.clone());
            async move {
                let records = spread.changes(m);
                if records.is_empty() {
                    return Ok(0);
                }
                Ok(store.import_progress(id, &records).await?)
            }
        })
        .await?;
        let changes: u64 = counts.iter().sum();
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Roadmap {} ({} topics in {} areas).",
            entry.id,
            entry.topics.len(),
            entry.areas.len()
        )?;
        match &team {
            Some(t) => writeln!(
                out,
                "Team {} (slug {}): manager and {} members, {} status changes over {} days, in {:.1} s.",
                t.name,
                t.slug,
                users.len(),
                changes,
                a.days,
                started.elapsed().as_secs_f64()
            )?,
            None => writeln!(
                out,
                "No team: manager and {} accounts, {} status changes over {} days, in {:.1} s.",
                users.len(),
                changes,
                a.days,
                started.elapsed().as_secs_f64()
            )?,
        }
        if generated {
            writeln!(
                out,
                "Password of manager and of every member (shown once): {}",
                password.as_str()
            )?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_changes_are_a_spread_with_gaps_and_single_points() {
        let topics: Vec<String> = (0..300).map(|i| format!("t{i}")).collect();
        let now = 1_800_000_000_000;
        let members = 200;
        let spread = Spread::new("r", topics.clone(), members, 365, 7, now);
        let kinds = &spread.kinds;
        let all: Vec<Vec<Progress>> = (0..members).map(|m| spread.changes(m)).collect();
        // Oldest first, within the window, never in the future.
        for changes in &all {
            assert!(
                changes
                    .windows(2)
                    .all(|w| w[0].updated_at <= w[1].updated_at)
            );
            assert!(
                changes
                    .iter()
                    .all(|p| p.updated_at < now && p.updated_at > now - 366 * DAY_MS)
            );
        }
        // A few never started; some far along; most in between.
        let last = |c: &[Progress]| {
            let mut m = HashMap::new();
            for p in c {
                m.insert(p.topic.clone(), p.status);
            }
            m.values().filter(|s| **s == Status::Done).count()
        };
        let done: Vec<usize> = all.iter().map(|c| last(c)).collect();
        let never = done.iter().filter(|&&d| d == 0).count();
        let far = done.iter().filter(|&&d| d > 180).count();
        assert!((3..=30).contains(&never), "{never}");
        assert!((5..=50).contains(&far), "{far}");
        // Nobody touches a gap; a single point is done by one person.
        for (i, k) in kinds.iter().enumerate() {
            let holders = all
                .iter()
                .filter(|c| c.iter().any(|p| p.topic == topics[i]))
                .count();
            match k {
                Kind::Gap => assert_eq!(holders, 0, "{i}"),
                Kind::Single => assert!(holders <= 1, "{i}"),
                Kind::Common => {}
            }
        }
        // Every status appears, and some done topics were undone.
        let statuses: HashSet<Status> = all.iter().flatten().map(|p| p.status).collect();
        assert_eq!(statuses.len(), 4, "{statuses:?}");
    }

    #[test]
    fn synthetic_markdown_has_the_learnable_topics_asked_for() {
        let md = synthetic_markdown(300, 42);
        let r = leadmap_core::parse(md.as_bytes(), SYNTHETIC_ROADMAP).roadmap;
        let n = r.nodes().filter(|n| n.kind.is_learnable()).count();
        assert!((300..320).contains(&n), "{n}");
    }

    #[test]
    fn member_names_sort_as_numbers() {
        assert_eq!(member_name(0, 1000), "member0001");
        assert_eq!(member_name(999, 1000), "member1000");
        assert_eq!(member_name(0, 10_000), "member00001");
    }
}
