//! `serve --roadmaps DIR`: every roadmap file in the folder is published at start, and again
//! when it (or one of its topic files) changes. The folder is looked at every two seconds (a
//! poll, which also works on network and container file systems where change notifications
//! do not arrive). A file that does not pass `leadmap check` is logged, with each problem's
//! file:line:col, and its previous version stays served; a file that disappears leaves its
//! roadmap and everyone's progress as they are.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use leadmap_app::publish::PublishError;
use leadmap_server::AppState;

/// How often the folder is looked at.
const EVERY: Duration = Duration::from_secs(2);

/// What a file looked like when it was last read: its and its topic files' sizes and times.
type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// Publishes what changed in `dir` since `seen`; returns how many versions were published.
pub async fn scan(state: &AppState, dir: &Path, seen: &mut HashMap<PathBuf, Fingerprint>) -> usize {
    let files = match roadmap_files(dir) {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(dir = %dir.display(), error = %e, "cannot read the roadmaps folder");
            return 0;
        }
    };
    let gone: Vec<PathBuf> = seen
        .keys()
        .filter(|p| !files.contains(p))
        .cloned()
        .collect();
    for file in gone {
        seen.remove(&file);
        tracing::info!(file = %file.display(), "the file left the roadmaps folder; its roadmap stays served, with everyone's progress");
    }
    let mut published = 0;
    for file in files {
        let print = fingerprint(&file);
        if seen.get(&file) == Some(&print) {
            continue;
        }
        seen.insert(file.clone(), print);
        if publish_file(state, &file).await {
            published += 1;
        }
    }
    published
}

/// Scans once now, then every [`EVERY`] until the server stops.
pub async fn run(state: AppState, dir: PathBuf, mut seen: HashMap<PathBuf, Fingerprint>) {
    loop {
        tokio::time::sleep(EVERY).await;
        scan(&state, &dir, &mut seen).await;
    }
}

fn roadmap_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_file() && p.extension().and_then(|x| x.to_str()) == Some("md") {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

fn fingerprint(file: &Path) -> Fingerprint {
    let mut paths = vec![file.to_path_buf()];
    if let (Some(dir), Some(stem)) = (file.parent(), file.file_stem())
        && let Ok(entries) = std::fs::read_dir(dir.join(stem).join("topics"))
    {
        let mut topics: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        topics.sort();
        paths.extend(topics);
    }
    paths
        .into_iter()
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta.and_then(|m| m.modified().ok());
            (p, len, modified)
        })
        .collect()
}

/// Reads, checks and publishes one file; logs what happened. True when a version was stored.
async fn publish_file(state: &AppState, file: &Path) -> bool {
    let name = file.display().to_string();
    let markdown = match crate::cli::checked_markdown(&name) {
        Ok(Ok(md)) => md,
        Ok(Err(problems)) => {
            tracing::warn!(file = %name, "not published: the file does not pass `leadmap check`; the previous version stays served\n{problems}");
            return false;
        }
        Err(e) => {
            tracing::warn!(file = %name, error = %format!("{e:#}"), "not published: cannot read the file");
            return false;
        }
    };
    let message = format!("from {name}");
    match state
        .publish_from_folder(markdown.as_bytes(), &message)
        .await
    {
        Ok(r) if r.unchanged => false,
        Ok(r) => {
            tracing::info!(
                file = %name,
                roadmap = %r.roadmap,
                version = r.version,
                changes = %r.diff.summary_line(),
                orphaned_records = r.orphaned_records(),
                "published"
            );
            true
        }
        Err(PublishError::Store(e)) => {
            tracing::error!(file = %name, error = %e, "not published: the database failed");
            false
        }
        Err(e) => {
            tracing::warn!(file = %name, error = %e, "not published");
            false
        }
    }
}
