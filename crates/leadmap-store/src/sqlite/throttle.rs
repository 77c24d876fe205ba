//! Sign-in throttling on SQLite. A reservation is one job of the writer thread, which runs
//! every write of this store one after another: the count and the insert cannot interleave
//! with another reservation (and `BEGIN IMMEDIATE` keeps other processes out meanwhile).

use async_trait::async_trait;
use rusqlite::params;

use super::{SqliteStore, collect};
use crate::policy::{retry_at, sign_in_failure_cutoff};
use crate::{Attempt, AttemptKey, Millis, Result, ThrottleStore};

#[async_trait]
impl ThrottleStore for SqliteStore {
    async fn reserve_attempt(
        &self,
        keys: &[AttemptKey],
        since: Millis,
        now: Millis,
    ) -> Result<Attempt> {
        let keys = keys.to_vec();
        self.write(move |c| {
            c.prepare_cached("DELETE FROM sign_in_failures WHERE at < ?1")?
                .execute([sign_in_failure_cutoff(now)])?;
            let mut counts = Vec::with_capacity(keys.len());
            let mut throttled: Option<Millis> = None;
            for k in &keys {
                let n: i64 = c
                    .prepare_cached(
                        "SELECT COUNT(*) FROM sign_in_failures WHERE key = ?1 AND at >= ?2",
                    )?
                    .query_row(params![&k.key[..], since], |r| r.get(0))?;
                if let Some(limit) = k.limit
                    && n >= limit
                {
                    let times: Vec<Millis> = collect(
                        c.prepare_cached(
                            "SELECT at FROM sign_in_failures WHERE key = ?1 AND at >= ?2
                             ORDER BY at",
                        )?
                        .query_map(params![&k.key[..], since], |r| r.get(0))?,
                    )?;
                    let at = retry_at(&times, limit, now - since);
                    throttled = Some(throttled.map_or(at, |t| t.max(at)));
                }
                counts.push(n);
            }
            if let Some(retry_at) = throttled {
                return Ok(Attempt::Throttled { retry_at });
            }
            let mut insert = c.prepare_cached(
                "INSERT INTO sign_in_failures (key, at) VALUES (?1, ?2) RETURNING id",
            )?;
            let ids = keys
                .iter()
                .map(|k| insert.query_row(params![&k.key[..], now], |r| r.get(0)))
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(Attempt::Reserved { ids, counts })
        })
        .await
    }

    async fn release_attempt(&self, ids: &[i64], clear: &[[u8; 32]]) -> Result<()> {
        if ids.is_empty() && clear.is_empty() {
            return Ok(());
        }
        let (ids, clear) = (ids.to_vec(), clear.to_vec());
        self.write(move |c| {
            let mut by_id = c.prepare_cached("DELETE FROM sign_in_failures WHERE id = ?1")?;
            for id in &ids {
                by_id.execute([id])?;
            }
            let mut by_key = c.prepare_cached("DELETE FROM sign_in_failures WHERE key = ?1")?;
            for k in &clear {
                by_key.execute([&k[..]])?;
            }
            Ok(())
        })
        .await
    }
}
