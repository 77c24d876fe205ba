//! Browser sessions.

use leadmap_store::prelude::*;

use crate::{T0, name};

conformance!(
    sessions_find_their_user_and_are_revoked,
    a_user_cannot_touch_another_users_sessions_or_tokens,
);

async fn sessions_find_their_user_and_are_revoked(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let one = s
        .create_session(ana.id, b"token-one", "csrf1", "Firefox", T0)
        .await
        .unwrap();
    let two = s
        .create_session(ana.id, b"token-two", "csrf2", "curl", T0 + 1)
        .await
        .unwrap();
    let (found, user) = s.session(b"token-one", T0 + 10).await.unwrap().unwrap();
    assert_eq!(found.id, one.id);
    assert_eq!(found.csrf, "csrf1");
    assert_eq!(user, ana);
    // last_seen moves forward, but not on every request; a lookup sees the previous use.
    let (found, _) = s
        .session(b"token-one", T0 + 120_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.last_seen, T0);
    let (found, _) = s
        .session(b"token-one", T0 + 120_001)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.last_seen, T0 + 120_000);
    assert_eq!(s.sessions(ana.id).await.unwrap().len(), 2);
    assert!(s.delete_session(ana.id, one.id).await.unwrap());
    assert!(s.session(b"token-one", T0).await.unwrap().is_none());
    assert!(!s.delete_session(ana.id, one.id).await.unwrap());
    s.create_session(ana.id, b"token-three", "c", "", T0)
        .await
        .unwrap();
    assert_eq!(s.delete_sessions(ana.id, Some(two.id)).await.unwrap(), 1);
    let left = s.sessions(ana.id).await.unwrap();
    assert_eq!(left.iter().map(|x| x.id).collect::<Vec<_>>(), vec![two.id]);
    assert_eq!(s.delete_sessions(ana.id, None).await.unwrap(), 1);
    assert!(s.session(b"token-two", T0).await.unwrap().is_none());
}

async fn a_user_cannot_touch_another_users_sessions_or_tokens(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let sess = s
        .create_session(ana.id, b"ana-session", "c", "", T0)
        .await
        .unwrap();
    let tok = s
        .create_token(ana.id, "laptop", b"ana-token", T0, None)
        .await
        .unwrap();
    assert!(!s.delete_session(bob.id, sess.id).await.unwrap());
    assert!(!s.delete_token(bob.id, tok.id).await.unwrap());
    assert_eq!(s.delete_sessions(bob.id, None).await.unwrap(), 0);
    assert!(s.session(b"ana-session", T0).await.unwrap().is_some());
    assert!(s.token_user(b"ana-token", T0).await.unwrap().is_some());
    assert!(s.sessions(bob.id).await.unwrap().is_empty());
    assert!(s.tokens(bob.id).await.unwrap().is_empty());
}
