//! Scheduled backups of a SQLite database (`leadmap serve --backup-every 6h --backup-keep 14`):
//! a consistent copy every interval into a directory, named by the time it was taken
//! (`leadmap-20261204T170544.123Z.db`, so names sort by age), keeping the newest few.
//!
//! The copy itself is the store's (`leadmap_store::sqlite::backup_file`: `VACUUM INTO` a
//! temporary file, flushed, renamed), safe while the server writes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use leadmap_store::StoreError;
use leadmap_store::sqlite::{BackupInfo, backup_file};

/// A backup interval that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not an interval: write a number and a unit, s, m, h or d (\"6h\", \"90m\", \"1d12h\")"
)]
pub struct BadInterval(pub String);

/// Reads an interval: numbers each followed by `s`, `m`, `h` or `d` ("6h", "1h30m"); at least
/// one second.
pub fn parse_interval(s: &str) -> Result<Duration, BadInterval> {
    let bad = || BadInterval(s.to_owned());
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = digits.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(bad)?;
        digits.clear();
    }
    if !digits.is_empty() || total == 0 {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

/// The name of a backup taken at `now_ms`.
pub fn file_name(now_ms: i64) -> String {
    let t = jiff::Timestamp::from_millisecond(now_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    format!("leadmap-{}.db", t.strftime("%Y%m%dT%H%M%S%.3fZ"))
}

/// Whether a file name is one [`file_name`] makes.
fn is_backup_name(name: &str) -> bool {
    name.starts_with("leadmap-") && name.ends_with("Z.db")
}

/// A backup taken by [`Schedule`]: where, what it holds, which older ones were deleted.
#[derive(Debug, Clone)]
pub struct Taken {
    pub path: PathBuf,
    pub info: BackupInfo,
    pub removed: Vec<PathBuf>,
}

/// Backups of the SQLite file `database` into `dir`, every `every`, keeping the newest `keep`.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub database: PathBuf,
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

impl Schedule {
    /// Takes one backup now (named by `now_ms`) and deletes all but the newest `keep`.
    pub fn take(&self, now_ms: i64) -> Result<Taken, StoreError> {
        let path = self.dir.join(file_name(now_ms));
        let info = backup_file(&self.database, &path)?;
        let removed = prune(&self.dir, self.keep).map_err(|source| StoreError::Io {
            path: self.dir.clone(),
            source,
        })?;
        Ok(Taken {
            path,
            info,
            removed,
        })
    }

    /// Runs forever: a backup after each interval (the first one interval after the start),
    /// each reported to `report`. A failed backup is reported and the schedule goes on.
    pub async fn run(self, report: impl Fn(Result<Taken, StoreError>) + Send) {
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + self.every, self.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let me = self.clone();
            let now = crate::time::now_ms();
            let taken = tokio::task::spawn_blocking(move || me.take(now))
                .await
                .unwrap_or_else(|e| {
                    Err(StoreError::Io {
                        path: self.dir.clone(),
                        source: std::io::Error::other(e),
                    })
                });
            report(taken);
        }
    }
}

/// Deletes the backups in `dir` (files named as [`file_name`] makes) but the newest `keep`;
/// returns the ones deleted. Other files are left alone.
pub fn prune(dir: &Path, keep: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_backup_name(n))
        .collect();
    names.sort();
    let excess = names.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for n in names.into_iter().take(excess) {
        let p = dir.join(n);
        std::fs::remove_file(&p)?;
        removed.push(p);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("6h"), Ok(Duration::from_secs(6 * 3600)));
        assert_eq!(parse_interval("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_interval("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_interval("45s"), Ok(Duration::from_secs(45)));
        for bad in ["", "6", "h", "0s", "6x", "-1h", "1.5h"] {
            assert!(parse_interval(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_sort_by_time_and_prune_keeps_the_newest() {
        let a = file_name(1_700_000_000_000);
        assert_eq!(a, "leadmap-20231114T221320.000Z.db");
        let b = file_name(1_700_000_000_001);
        let c = file_name(1_800_000_000_000);
        assert!(a < b && b < c);
        let dir = tempfile::tempdir().unwrap();
        for n in [&a, &b, &c, &"notes.txt".to_owned()] {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        let removed = prune(dir.path(), 2).unwrap();
        assert_eq!(removed, vec![dir.path().join(&a)]);
        assert!(dir.path().join(&c).exists() && dir.path().join("notes.txt").exists());
        assert!(prune(dir.path(), 2).unwrap().is_empty());
    }
}
