//! Opening a store.

use std::time::{Duration, Instant};

use leadmap_store::StoreError;

/// A PostgreSQL URL on a port where nothing listens fails at once, saying the connection was
/// refused (not "pool timed out" after the pool's acquire timeout).
#[tokio::test]
async fn a_refused_postgres_connection_fails_at_once_and_says_so() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let started = Instant::now();
    let err = leadmap_store::open(&format!("postgres://postgres@127.0.0.1:{port}/leadmap"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "took {took:?}: {err}");
    assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("refused"), "{msg}");
    assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
    assert!(
        std::error::Error::source(&err).is_some(),
        "the cause was lost"
    );
}

/// A PostgreSQL database that a newer leadmap migrated (a migration this build does not know
/// is recorded) is refused, and nothing in it changes: no migration runs, no bookkeeping row
/// is added or edited.
#[tokio::test]
async fn a_postgres_database_of_a_newer_leadmap_is_refused_untouched() {
    use sqlx::Connection;
    let (url, name) = leadmap_store::testing::postgres_database().await;
    drop(leadmap_store::open(&url).await.unwrap());
    let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::raw_sql(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
           VALUES (99, 'from the future', TRUE, '\\x00', 1);
         CREATE TABLE future (x int);",
    )
    .execute(&mut c)
    .await
    .unwrap();
    let snapshot = "SELECT string_agg(version || ':' || description || ':' || encode(checksum, 'hex') \
                    || ':' || installed_on::text, ',' ORDER BY version) FROM _sqlx_migrations";
    let before: String = sqlx::query_scalar(snapshot)
        .fetch_one(&mut c)
        .await
        .unwrap();
    let err = leadmap_store::open(&url).await.unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("version 99, newer than this leadmap knows"),
        "{err}"
    );
    let after: String = sqlx::query_scalar(snapshot)
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(before, after);
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    // Every table of `migrate::TABLES`, _sqlx_migrations, progress_clock and future: nothing
    // added, nothing dropped.
    assert_eq!(tables, leadmap_store::migrate::TABLES.len() as i64 + 3);
    drop(c);
    let mut admin = sqlx::PgConnection::connect(&leadmap_store::testing::postgres_server_url())
        .await
        .unwrap();
    let q = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(q))
        .execute(&mut admin)
        .await;
}
