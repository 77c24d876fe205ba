//! Personal access tokens.

use leadmap_store::prelude::*;

use crate::{T0, name};

conformance!(tokens_find_their_user_until_revoked,);

async fn tokens_find_their_user_until_revoked(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let tok = s
        .create_token(ana.id, "laptop", b"secret", T0)
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
