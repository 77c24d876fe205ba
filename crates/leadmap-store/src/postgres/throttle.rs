//! Sign-in throttling on PostgreSQL, shared by every server on the database. A reservation is
//! one transaction that first takes a transaction-scoped advisory lock per key (in sorted
//! order, so two reservations never wait on each other in a cycle): no other reservation of
//! these keys, from any server, runs between its count and its insert. Under READ COMMITTED
//! each statement after the lock sees every reservation committed before it.

use async_trait::async_trait;
use sqlx::{Postgres, Transaction};

use super::PgStore;
use crate::policy::{lock_id, retry_at, sign_in_failure_cutoff};
use crate::{Attempt, AttemptKey, Millis, Result, ThrottleStore};

/// Takes the advisory lock of each key, in order, until the transaction ends.
async fn lock_keys<'k>(
    tx: &mut Transaction<'_, Postgres>,
    keys: impl IntoIterator<Item = &'k [u8; 32]>,
) -> Result<()> {
    let mut ids: Vec<i64> = keys.into_iter().map(lock_id).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[async_trait]
impl ThrottleStore for PgStore {
    async fn reserve_attempt(
        &self,
        keys: &[AttemptKey],
        since: Millis,
        now: Millis,
    ) -> Result<Attempt> {
        let mut tx = self.write.begin().await?;
        lock_keys(&mut tx, keys.iter().map(|k| &k.key)).await?;
        // Old failures count for nothing; keep the table small. Rows another transaction is
        // deleting are left to it (never a wait, so never a deadlock).
        sqlx::query(
            "DELETE FROM sign_in_failures WHERE id IN
               (SELECT id FROM sign_in_failures WHERE at < $1 FOR UPDATE SKIP LOCKED)",
        )
        .bind(sign_in_failure_cutoff(now))
        .execute(&mut *tx)
        .await?;
        let mut counts = Vec::with_capacity(keys.len());
        let mut throttled: Option<Millis> = None;
        for k in keys {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sign_in_failures WHERE key = $1 AND at >= $2",
            )
            .bind(&k.key[..])
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
            if let Some(limit) = k.limit
                && n >= limit
            {
                let times: Vec<Millis> = sqlx::query_scalar(
                    "SELECT at FROM sign_in_failures WHERE key = $1 AND at >= $2 ORDER BY at",
                )
                .bind(&k.key[..])
                .bind(since)
                .fetch_all(&mut *tx)
                .await?;
                let at = retry_at(&times, limit, now - since);
                throttled = Some(throttled.map_or(at, |t| t.max(at)));
            }
            counts.push(n);
        }
        if let Some(retry_at) = throttled {
            // Commit, not roll back: the old failures above are gone either way.
            tx.commit().await?;
            return Ok(Attempt::Throttled { retry_at });
        }
        let mut ids = Vec::with_capacity(keys.len());
        for k in keys {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sign_in_failures (key, at) VALUES ($1, $2) RETURNING id",
            )
            .bind(&k.key[..])
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(Attempt::Reserved { ids, counts })
    }

    async fn release_attempt(&self, ids: &[i64], clear: &[[u8; 32]]) -> Result<()> {
        if ids.is_empty() && clear.is_empty() {
            return Ok(());
        }
        let mut tx = self.write.begin().await?;
        // The cleared keys' rows change only under their locks, as in a reservation.
        lock_keys(&mut tx, clear).await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE id = ANY($1)")
            .bind(ids)
            .execute(&mut *tx)
            .await?;
        let clear: Vec<Vec<u8>> = clear.iter().map(|k| k.to_vec()).collect();
        sqlx::query("DELETE FROM sign_in_failures WHERE key = ANY($1)")
            .bind(&clear)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
