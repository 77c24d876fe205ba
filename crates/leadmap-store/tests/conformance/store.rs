//! The store as a whole.

use leadmap_store::Status;
use leadmap_store::prelude::*;

use crate::{T0, name};

conformance!(
    the_database_checks_clean,
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
