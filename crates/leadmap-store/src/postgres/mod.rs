//! The PostgreSQL backend: several `leadmap serve` processes can share one database, since
//! sessions, tokens and sign-in throttling all live in it. Commits are durable with
//! PostgreSQL's default `synchronous_commit = on`.

use std::time::Duration;

use async_trait::async_trait;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};

use crate::{Result, Store, StoreError};

mod progress;
mod sessions;
mod throttle;
mod tokens;
mod users;

/// How long the first connection may take before `open` gives up.
const FIRST_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone)]
pub struct PgStore {
    read: PgPool,
    write: PgPool,
}

impl PgStore {
    /// Connects and brings the schema up to date (migrations take an advisory lock, so several
    /// servers starting at once do not race).
    ///
    /// One connection is made first, alone and at once: a server that refuses it (nothing
    /// listening on the port) is reported as such straight away, not after the pool's acquire
    /// timeout (which retries a refused connection until it runs out).
    pub async fn open(url: &str) -> Result<PgStore> {
        let options: PgConnectOptions = url.parse()?;
        let connect_error = |source| StoreError::Connect {
            addr: format!("{}:{}", options.get_host(), options.get_port()),
            source,
        };
        match tokio::time::timeout(FIRST_CONNECT_TIMEOUT, PgConnection::connect_with(&options))
            .await
        {
            Ok(Ok(first)) => {
                // Nothing was sent on it; a failed goodbye changes nothing.
                let _ = first.close().await;
            }
            Ok(Err(e)) => return Err(connect_error(e)),
            Err(_) => {
                return Err(connect_error(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!(
                        "no answer within {} seconds",
                        FIRST_CONNECT_TIMEOUT.as_secs()
                    ),
                ))));
            }
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(PgStore {
            read: pool.clone(),
            write: pool,
        })
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn integrity_check(&self) -> Result<Vec<String>> {
        // PostgreSQL keeps its own invariants; check ours: no progress row with a status this
        // version does not know (the CHECK constraint makes that impossible unless edited away).
        let bad: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM progress
             WHERE status NOT IN ('pending', 'learning', 'done', 'skipped')",
        )
        .fetch_one(&self.read)
        .await?;
        Ok(if bad > 0 {
            vec![format!("{bad} progress rows hold an unknown status")]
        } else {
            Vec::new()
        })
    }
}
