//! Members' records kept between requests, checked against the database on every read.
//!
//! A team's dashboard reads every record of every member: 1,000 members on a 300-topic roadmap
//! are 100,000 rows, which PostgreSQL alone takes 25–30 ms to scan and send, before they are
//! decoded. The records of one person change when that person writes, which is rare next to
//! how often a manager looks. So [`RecordsCache`] keeps each person's records of a roadmap
//! with the person's *clock* ([`TeamStore::progress_clocks`]: a count of the writes to their
//! records, kept by the database's own triggers on every server), and each read asks only for
//! the clocks (one short row per person) and reads again only the people whose clock moved.
//!
//! Why that is exact: the clocks are read *before* the records. A write that lands between the
//! two leaves records newer than the clock kept with them, so the next read sees a clock that
//! moved and reads them again; a write never lands unseen, because every write to a person's
//! records moves their clock in the same transaction (conformance
//! `every_write_of_a_persons_records_moves_their_clock`), and a clock only grows (deleting an
//! account moves it too, so an id used again never meets an old clock).
//!
//! Nothing of access is decided here: the caller names the people whose records it may read,
//! and gets exactly theirs, as [`TeamStore::team_records`] would answer (shared notes
//! included; the caller strips them where its reader may not see them).
//!
//! Memory: at most [`RecordsCache::new`]'s number of records are kept; past it the people
//! least recently read are dropped (read again when next asked for).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use leadmap_store::{Store, StoreError, TeamRecord, UserId};

/// The records of several people: one shared slice per person, in the order they were asked
/// for (each person's records in no particular order).
#[derive(Debug, Clone, Default)]
pub struct TeamRecords {
    parts: Vec<Arc<[TeamRecord]>>,
}

impl TeamRecords {
    pub fn iter(&self) -> impl Iterator<Item = &TeamRecord> + Clone {
        self.parts.iter().flat_map(|p| p.iter())
    }

    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|p| p.is_empty())
    }
}

impl From<Vec<TeamRecord>> for TeamRecords {
    fn from(records: Vec<TeamRecord>) -> TeamRecords {
        TeamRecords {
            parts: vec![records.into()],
        }
    }
}

impl<'a> IntoIterator for &'a TeamRecords {
    type Item = &'a TeamRecord;
    type IntoIter = Box<dyn Iterator<Item = &'a TeamRecord> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// One person's records of one roadmap, as read when their clock stood at `clock`.
#[derive(Debug)]
struct Kept {
    clock: i64,
    records: Arc<[TeamRecord]>,
    /// When last read (a counter of reads, for dropping the least recent).
    used: u64,
}

#[derive(Debug, Default)]
struct Inner {
    /// Roadmap → person → records.
    roadmaps: HashMap<String, HashMap<UserId, Kept>>,
    /// Records held, over every roadmap and person.
    held: usize,
    reads: u64,
}

/// See the module's documentation.
#[derive(Debug)]
pub struct RecordsCache {
    inner: Mutex<Inner>,
    limit: usize,
}

/// How many records a server keeps by default: two teams of 1,000 members with 100 records each
/// and room to spare, about 25 MB.
pub const DEFAULT_LIMIT: usize = 250_000;

impl Default for RecordsCache {
    fn default() -> Self {
        RecordsCache::new(DEFAULT_LIMIT)
    }
}

impl RecordsCache {
    /// Keeps at most `limit` records (0: keeps nothing, every read goes to the store).
    pub fn new(limit: usize) -> RecordsCache {
        RecordsCache {
            inner: Mutex::new(Inner::default()),
            limit,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves a consistent map (every change is one insert
        // or remove), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many records are kept now.
    pub fn held(&self) -> usize {
        self.lock().held
    }

    /// The records of `users` on `roadmap` that are not pending, as
    /// [`TeamStore::team_records`](leadmap_store::TeamStore::team_records) answers now: kept
    /// ones whose clock has not moved, the others read from the store. A person named twice
    /// gets their records once.
    pub async fn records(
        &self,
        store: &dyn Store,
        users: &[UserId],
        roadmap: &str,
    ) -> Result<TeamRecords, StoreError> {
        let mut seen = HashSet::with_capacity(users.len());
        let users: Vec<UserId> = users.iter().copied().filter(|u| seen.insert(*u)).collect();
        // The clocks first (see the module's note on why the order matters).
        let clocks: HashMap<UserId, i64> = store
            .progress_clocks(&users, roadmap)
            .await?
            .into_iter()
            .collect();
        let clock = |u: &UserId| clocks.get(u).copied().unwrap_or(0);

        let mut parts: Vec<Option<Arc<[TeamRecord]>>> = vec![None; users.len()];
        let mut stale = Vec::new();
        {
            let mut inner = self.lock();
            inner.reads += 1;
            let now = inner.reads;
            let mut kept = inner.roadmaps.get_mut(roadmap);
            for (i, u) in users.iter().enumerate() {
                match kept.as_deref_mut().and_then(|m| m.get_mut(u)) {
                    Some(k) if k.clock == clock(u) => {
                        k.used = now;
                        parts[i] = Some(k.records.clone());
                    }
                    _ => stale.push(i),
                }
            }
        }
        if !stale.is_empty() {
            let ids: Vec<UserId> = stale.iter().map(|&i| users[i]).collect();
            let mut by_user: HashMap<UserId, Vec<TeamRecord>> = HashMap::with_capacity(ids.len());
            for r in store.team_records(&ids, roadmap).await? {
                by_user.entry(r.user).or_default().push(r);
            }
            let mut inner = self.lock();
            let now = inner.reads;
            let (mut added, mut dropped) = (0usize, 0usize);
            // With no room at all, nothing is kept (not even an empty map for the roadmap).
            let mut map =
                (self.limit > 0).then(|| inner.roadmaps.entry(roadmap.to_owned()).or_default());
            for i in stale {
                let u = users[i];
                let records: Arc<[TeamRecord]> = by_user.remove(&u).unwrap_or_default().into();
                if let Some(map) = map.as_deref_mut() {
                    added += records.len();
                    let kept = Kept {
                        clock: clock(&u),
                        records: records.clone(),
                        used: now,
                    };
                    dropped += map.insert(u, kept).map_or(0, |k| k.records.len());
                }
                parts[i] = Some(records);
            }
            // `dropped` were counted in `held` when they were kept.
            inner.held = inner.held + added - dropped;
            if inner.held > self.limit {
                inner.shed(self.limit / 4 * 3);
            }
        }
        Ok(TeamRecords {
            parts: parts.into_iter().flatten().collect(),
        })
    }
}

impl Inner {
    /// Drops the least recently read people until at most `to` records are held.
    fn shed(&mut self, to: usize) {
        let mut all: Vec<(u64, String, UserId, usize)> = self
            .roadmaps
            .iter()
            .flat_map(|(r, m)| {
                m.iter()
                    .map(move |(u, k)| (k.used, r.clone(), *u, k.records.len()))
            })
            .collect();
        all.sort_unstable_by_key(|e| e.0);
        for (_, roadmap, user, n) in all {
            if self.held <= to {
                break;
            }
            if let Some(m) = self.roadmaps.get_mut(&roadmap) {
                m.remove(&user);
                if m.is_empty() {
                    self.roadmaps.remove(&roadmap);
                }
            }
            self.held -= n;
        }
    }
}

#[cfg(test)]
mod tests {
    use leadmap_store::testing::TestDb;
    use leadmap_store::{ResetScope, Status, UserName};

    use super::*;

    /// What the store answers now, sorted, to compare with.
    async fn truth(s: &dyn Store, users: &[UserId]) -> Vec<(i64, String, Status, Option<String>)> {
        let mut v: Vec<_> = s
            .team_records(users, "el")
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.user.0, r.topic, r.status, r.shared_note))
            .collect();
        v.sort();
        v
    }

    async fn kept(
        c: &RecordsCache,
        s: &dyn Store,
        users: &[UserId],
    ) -> Vec<(i64, String, Status, Option<String>)> {
        let got = c.records(s, users, "el").await.unwrap();
        let mut v: Vec<_> = got
            .iter()
            .map(|r| (r.user.0, r.topic.clone(), r.status, r.shared_note.clone()))
            .collect();
        assert_eq!(v.len(), got.len());
        v.sort();
        v
    }

    /// Every read answers what the store answers at that moment, whichever server (store)
    /// wrote, through every kind of change; the limit holds.
    async fn answers_as_the_store_does(db: TestDb) {
        let s = db.store();
        // A second server on the same database: its writes are the ones a cache could miss.
        let other = leadmap_store::open(&db.url).await.unwrap();
        let mut people = Vec::new();
        for n in ["ana", "bob", "cy"] {
            let u = s
                .create_user(&UserName::parse(n).unwrap(), "h", false, 1)
                .await
                .unwrap();
            people.push(u.id);
        }
        let [ana, bob, cy] = people[..] else {
            unreachable!()
        };
        for (u, topic, st) in [
            (ana, "okrs", Status::Done),
            (ana, "values", Status::Learning),
            (bob, "okrs", Status::Skipped),
        ] {
            s.set_progress(u, "el", topic, st, Some("my note"), 2)
                .await
                .unwrap();
        }
        s.set_progress(cy, "em", "hiring", Status::Done, None, 2)
            .await
            .unwrap();

        let c = RecordsCache::new(3);
        let check = async |what: &str| {
            assert_eq!(
                kept(&c, s, &people).await,
                truth(s, &people).await,
                "{what}"
            );
            // Asked twice, nothing changed in between: the same.
            assert_eq!(
                kept(&c, s, &people).await,
                truth(s, &people).await,
                "{what}, again"
            );
            assert!(c.held() <= 3, "{what}: {} records held", c.held());
        };
        check("at first").await;
        assert_eq!(
            kept(&c, s, &[ana, ana]).await.len(),
            2,
            "a person named twice"
        );

        other
            .set_progress(bob, "el", "okrs", Status::Done, None, 3)
            .await
            .unwrap();
        check("a status changed on the other server").await;
        other
            .set_note_shared(ana, "el", "okrs", true)
            .await
            .unwrap();
        check("a note shared").await;
        assert!(
            kept(&c, s, &people)
                .await
                .iter()
                .any(|r| r.3.as_deref() == Some("my note"))
        );
        other
            .set_note_shared(ana, "el", "okrs", false)
            .await
            .unwrap();
        check("the note private again").await;
        other
            .set_progress(cy, "el", "hiring", Status::Learning, None, 4)
            .await
            .unwrap();
        check("a first record of the roadmap").await;
        other
            .reset_progress(ana, "el", ResetScope::Roadmap, 5)
            .await
            .unwrap();
        check("a reset").await;
        other.delete_user(bob).await.unwrap();
        check("an account deleted").await;

        // No room at all: still right, nothing kept.
        let none = RecordsCache::new(0);
        assert_eq!(kept(&none, s, &people).await, truth(s, &people).await);
        assert_eq!(none.held(), 0);
        drop(other);
        db.drop().await;
    }

    #[tokio::test]
    async fn answers_as_the_store_does_on_sqlite() {
        answers_as_the_store_does(leadmap_store::testing::sqlite().await).await;
    }

    #[tokio::test]
    async fn answers_as_the_store_does_on_postgres() {
        answers_as_the_store_does(leadmap_store::testing::postgres().await).await;
    }
}
