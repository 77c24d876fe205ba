//! Moving a SQLite database to PostgreSQL (`leadmap_store::migrate`), on the real PostgreSQL:
//! a new database per test.

use std::collections::BTreeSet;

use leadmap_store::migrate::{self, TABLES};
use leadmap_store::prelude::*;
use leadmap_store::{AttemptKey, Status, StoreError, UserId};
use sqlx::Connection;

use crate::{T0, name};

const ROADMAPS: [&str; 2] = ["engineering-leadership", "engineering-manager"];
const STATUSES: [Status; 4] = [
    Status::Done,
    Status::Learning,
    Status::Skipped,
    Status::Pending,
];

fn listed() -> BTreeSet<String> {
    TABLES.iter().map(|t| (*t).to_owned()).collect()
}

async fn drop_database(name: &str) {
    let mut c = sqlx::PgConnection::connect(&leadmap_store::testing::postgres_server_url())
        .await
        .unwrap();
    let q = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    sqlx::raw_sql(sqlx::AssertSqlSafe(q))
        .execute(&mut c)
        .await
        .unwrap();
}

/// Fails when a migration adds a table that `migrate::TABLES` does not name (or the list names
/// one the schema lost), on both backends: the copy would otherwise leave it behind.
#[tokio::test]
async fn the_table_list_is_the_schema() {
    let lite = leadmap_store::testing::sqlite().await;
    let conn = rusqlite::Connection::open(&lite.url).unwrap();
    assert_eq!(migrate::sqlite_tables(&conn).unwrap(), listed(), "SQLite");

    let pg = leadmap_store::testing::postgres().await;
    let mut c = sqlx::PgConnection::connect(&pg.url).await.unwrap();
    assert_eq!(
        migrate::postgres_tables(&mut c).await.unwrap(),
        listed(),
        "PostgreSQL"
    );
    c.close().await.unwrap();
    pg.drop().await;
}

/// A SQLite database with several hundred rows in every table: users (an admin among them),
/// sessions, tokens (with and without expiry and last use), progress with notes, sign-in
/// failures. Returns the users.
async fn fill(s: &dyn Store) -> Vec<leadmap_store::User> {
    let mut users = Vec::new();
    for u in 0..60 {
        let user = s
            .create_user(
                &name(&format!("person-{u:02}")),
                &format!("$argon2id$hash-{u}"),
                u % 20 == 0,
                T0 + u,
            )
            .await
            .unwrap();
        for k in 0..3 {
            s.create_session(
                user.id,
                format!("session-{u}-{k}").as_bytes(),
                &format!("csrf-{u}-{k}"),
                if k == 0 { "" } else { "Firefox on Linux" },
                T0 + 10 * k,
            )
            .await
            .unwrap();
        }
        for k in 0..2 {
            s.create_token(
                user.id,
                &format!("laptop {k}"),
                format!("token-{u}-{k}").as_bytes(),
                T0,
                (k == 1).then_some(T0 + 86_400_000),
            )
            .await
            .unwrap();
        }
        // Last use recorded on one token.
        s.token_user(format!("token-{u}-0").as_bytes(), T0 + 120_000)
            .await
            .unwrap();
        for t in 0..8 {
            let note = if t % 3 == 0 {
                format!("note «{t}» of {u}: ünïcödé, quotes ' \" and a\nnew line")
            } else {
                String::new()
            };
            s.set_progress(
                user.id,
                ROADMAPS[(t % 2) as usize],
                &format!("topic-{t}"),
                STATUSES[(t % 4) as usize],
                Some(&note),
                T0 + t,
            )
            .await
            .unwrap();
        }
        users.push(user);
    }
    // Sign-in failures.
    for i in 0..25u8 {
        let key = AttemptKey {
            key: [i; 32],
            limit: Some(100),
        };
        s.reserve_attempt(&[key], T0, T0 + i64::from(i))
            .await
            .unwrap();
    }
    // A deleted user leaves a gap in the ids, which the copy keeps.
    s.delete_user(users.remove(7).id).await.unwrap();
    users
}

#[tokio::test]
async fn sqlite_moves_to_postgres_with_every_row_and_id() {
    let lite = leadmap_store::testing::sqlite().await;
    let users = fill(lite.store()).await;
    let (url, db) = leadmap_store::testing::postgres_database().await;

    let report = migrate::sqlite_to_postgres(std::path::Path::new(&lite.url), &url)
        .await
        .unwrap();
    assert!(report.verified(), "{report}");
    assert_eq!(report.schema_version, leadmap_store::SCHEMA_VERSION);
    let count = |t: &str| {
        report
            .tables
            .iter()
            .find(|r| r.table == t)
            .unwrap()
            .target_rows
    };
    assert_eq!(count("users"), 59);
    assert_eq!(count("sessions"), 59 * 3);
    assert_eq!(count("tokens"), 59 * 2);
    assert_eq!(count("progress"), 59 * 8);
    assert_eq!(count("sign_in_failures"), 25);
    assert!(report.rows() > 800, "{}", report.rows());
    let table = report.to_string();
    for t in TABLES {
        assert!(table.contains(t), "{table}");
    }

    // Through the store, the PostgreSQL database answers as the SQLite one did.
    let pg = leadmap_store::open(&url).await.unwrap();
    let lite_store = lite.store();
    assert_eq!(pg.users().await.unwrap(), lite_store.users().await.unwrap());
    for u in &users {
        assert_eq!(
            pg.all_progress(u.id).await.unwrap(),
            lite_store.all_progress(u.id).await.unwrap()
        );
        assert_eq!(
            pg.tokens(u.id).await.unwrap(),
            lite_store.tokens(u.id).await.unwrap()
        );
        assert_eq!(
            pg.sessions(u.id).await.unwrap(),
            lite_store.sessions(u.id).await.unwrap()
        );
    }
    let (session, user) = pg.session(b"session-12-1", T0).await.unwrap().unwrap();
    assert_eq!(user.name, "person-12");
    assert_eq!(session.csrf, "csrf-12-1");
    assert_eq!(
        pg.credentials("person-40")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$hash-40"
    );
    // New rows get ids past the copied ones (the sequences moved).
    let max = users.iter().map(|u| u.id.0).max().unwrap();
    let new = pg
        .create_user(&name("newcomer"), "h", false, T0)
        .await
        .unwrap();
    assert!(new.id > UserId(max), "{:?} after {max}", new.id);
    let s = pg
        .create_session(new.id, b"new-session", "c", "", T0)
        .await
        .unwrap();
    assert!(s.id > 59 * 3, "{}", s.id);
    drop(pg);
    drop_database(&db).await;
}

#[tokio::test]
async fn a_target_that_holds_data_is_refused_untouched() {
    let lite = leadmap_store::testing::sqlite().await;
    fill(lite.store()).await;
    let (url, db) = leadmap_store::testing::postgres_database().await;
    {
        let pg = leadmap_store::open(&url).await.unwrap();
        let ana = pg.create_user(&name("ana"), "h", true, T0).await.unwrap();
        pg.set_progress(ana.id, "el", "x", Status::Done, Some("mine"), T0)
            .await
            .unwrap();
    }
    let err = migrate::sqlite_to_postgres(std::path::Path::new(&lite.url), &url)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("already holds data"), "{msg}");
    assert!(msg.contains("1 rows in users"), "{msg}");

    let pg = leadmap_store::open(&url).await.unwrap();
    let users = pg.users().await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].name, "ana");
    let p = pg.all_progress(users[0].id).await.unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].note, "mine");
    drop(pg);
    drop_database(&db).await;
}

#[tokio::test]
async fn a_missing_source_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing.db");
    let (url, db) = leadmap_store::testing::postgres_database().await;
    let err = migrate::sqlite_to_postgres(&path, &url).await.unwrap_err();
    assert!(err.to_string().contains("no SQLite database"), "{err}");
    assert!(!path.exists());
    drop_database(&db).await;
}
