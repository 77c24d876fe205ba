//! The store as a whole.

use leadmap_store::prelude::*;
use leadmap_store::{Status, StoreError};

use crate::{T0, name};

conformance!(
    the_database_checks_clean,
    the_schema_is_this_builds_version,
    a_backup_is_a_whole_database_or_pg_dumps_job,
    each_aggregate_is_reachable_as_its_own_trait_object,
);

async fn the_database_checks_clean(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    s.set_progress(ana.id, "el", "x", Status::Done, Some(""), T0)
        .await
        .unwrap();
    assert_eq!(s.integrity_check().await.unwrap(), Vec::<String>::new());
}

/// A `&dyn Store` upcasts to each aggregate's trait (a function that needs only sessions can
/// take `&dyn SessionStore`).
async fn each_aggregate_is_reachable_as_its_own_trait_object(s: &dyn Store) {
    let users: &dyn UserStore = s;
    let sessions: &dyn SessionStore = s;
    let tokens: &dyn TokenStore = s;
    let progress: &dyn ProgressStore = s;
    let throttle: &dyn ThrottleStore = s;
    let ana = users
        .create_user(&name("ana"), "h", false, T0)
        .await
        .unwrap();
    sessions
        .create_session(ana.id, b"s", "c", "", T0)
        .await
        .unwrap();
    tokens
        .create_token(ana.id, "t", b"t", T0, None)
        .await
        .unwrap();
    progress
        .set_progress(ana.id, "el", "x", Status::Done, None, T0)
        .await
        .unwrap();
    throttle.release_attempt(&[], &[]).await.unwrap();
    assert!(s.session(b"s", T0).await.unwrap().is_some());
    assert!(s.token_user(b"t", T0).await.unwrap().is_some());
    assert_eq!(s.all_progress(ana.id).await.unwrap().len(), 1);
}

async fn the_schema_is_this_builds_version(s: &dyn Store) {
    assert_eq!(
        s.schema_version().await.unwrap(),
        leadmap_store::SCHEMA_VERSION
    );
    let v = s.server_version().await.unwrap();
    let want = match s.backend() {
        "sqlite" => "SQLite 3.",
        _ => "PostgreSQL ",
    };
    assert!(v.starts_with(want), "{v}");
}

/// SQLite writes a backup that holds every committed write (and never over a file);
/// PostgreSQL says to use pg_dump, writing nothing.
async fn a_backup_is_a_whole_database_or_pg_dumps_job(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    s.set_progress(ana.id, "el", "x", Status::Done, Some("kept"), T0)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("b.db");
    match s.backend() {
        "sqlite" => {
            s.backup(&dest).await.unwrap();
            let info = leadmap_store::sqlite::check_backup(&dest).unwrap();
            assert_eq!((info.users, info.records), (1, 1));
            assert_eq!(info.schema_version, leadmap_store::SCHEMA_VERSION);
            let again = s.backup(&dest).await.unwrap_err();
            assert!(matches!(again, StoreError::Refused(_)), "{again:?}");
        }
        _ => {
            let e = s.backup(&dest).await.unwrap_err();
            assert!(matches!(e, StoreError::Unsupported(_)), "{e:?}");
            assert!(e.to_string().contains("pg_dump"), "{e}");
            assert!(!dest.exists());
        }
    }
}
