//! Fresh databases for tests (feature `testing`): a SQLite file in a temporary directory, or a
//! new PostgreSQL database on the server `LEADMAP_TEST_POSTGRES_URL` names (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped by [`TestDb::drop`].
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

use crate::Store;

/// The server the PostgreSQL tests run against.
pub fn postgres_server_url() -> String {
    std::env::var("LEADMAP_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

#[derive(Debug)]
pub struct TestDb {
    store: Box<dyn Store>,
    /// The URL a second process (a `leadmap` binary, say) would open.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDb {
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    pub fn into_store(self) -> Box<dyn Store> {
        self.store
    }

    /// Drops the PostgreSQL database (a no-op for SQLite, whose directory goes with `self`).
    pub async fn drop(self) {
        if let Some(name) = &self.pg_name {
            drop(self.store);
            if let Ok(mut c) = sqlx::PgConnection::connect(&postgres_server_url()).await {
                let q = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(q)).execute(&mut c).await;
            }
        }
    }
}

/// A store on a new SQLite file.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("leadmap.db");
    let url = path.to_string_lossy().into_owned();
    let store = crate::open(&url).await.expect("open a new SQLite file");
    TestDb {
        store,
        url,
        _dir: Some(dir),
        pg_name: None,
    }
}

/// A PostgreSQL URL of a new, empty database (for a test that starts servers itself).
pub async fn postgres_database() -> (String, String) {
    static N: AtomicU32 = AtomicU32::new(0);
    let server = postgres_server_url();
    let name = format!(
        "leadmap_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let mut c = sqlx::PgConnection::connect(&server)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "the PostgreSQL tests need a server at {server} (set LEADMAP_TEST_POSTGRES_URL; \
             .ci/run starts one): {e}"
            )
        });
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut c)
        .await
        .expect("create a test database");
    let base = match server.rfind('/') {
        Some(i) if server[..i].ends_with(|c: char| c != '/') => &server[..i],
        _ => server.as_str(),
    };
    (format!("{base}/{name}"), name)
}

/// A store on a new PostgreSQL database.
pub async fn postgres() -> TestDb {
    let (url, name) = postgres_database().await;
    let store = crate::open(&url)
        .await
        .expect("open the new PostgreSQL database");
    TestDb {
        store,
        url,
        _dir: None,
        pg_name: Some(name),
    }
}
