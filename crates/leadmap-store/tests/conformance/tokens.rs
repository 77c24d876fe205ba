//! Personal access tokens.

use leadmap_store::prelude::*;

use crate::{T0, name};

conformance!(
    tokens_find_their_user_until_revoked,
    a_token_stops_working_when_it_expires,
);

async fn tokens_find_their_user_until_revoked(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let tok = s
        .create_token(ana.id, "laptop", b"secret", T0, None)
        .await
        .unwrap();
    assert_eq!(tok.name, "laptop");
    assert_eq!(tok.last_used, None);
    assert_eq!(
        s.token_user(b"secret", T0 + 5).await.unwrap(),
        Some(ana.clone())
    );
    assert_eq!(s.tokens(ana.id).await.unwrap()[0].last_used, Some(T0 + 5));
    assert!(s.token_user(b"other", T0).await.unwrap().is_none());
    assert!(s.delete_token(ana.id, tok.id).await.unwrap());
    assert!(s.token_user(b"secret", T0).await.unwrap().is_none());
}

async fn a_token_stops_working_when_it_expires(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let tok = s
        .create_token(ana.id, "ci", b"short-lived", T0, Some(T0 + 1_000))
        .await
        .unwrap();
    assert_eq!(tok.expires_at, Some(T0 + 1_000));
    assert_eq!(
        s.tokens(ana.id).await.unwrap()[0].expires_at,
        Some(T0 + 1_000)
    );
    assert_eq!(
        s.token_user(b"short-lived", T0 + 999).await.unwrap(),
        Some(ana.clone())
    );
    assert!(
        s.token_user(b"short-lived", T0 + 1_000)
            .await
            .unwrap()
            .is_none()
    );
    // Expired, it is still listed (the person sees it and can revoke it).
    assert_eq!(s.tokens(ana.id).await.unwrap().len(), 1);
}
