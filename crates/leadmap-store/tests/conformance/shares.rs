//! Share links: found by the hash of their token until revoked or expired; per person.

use leadmap_store::NewShare;
use leadmap_store::prelude::*;

use crate::{T0, name};

conformance!(a_share_is_found_by_its_hash_until_revoked_or_expired);

async fn a_share_is_found_by_its_hash_until_revoked_or_expired(s: &dyn Store) {
    let _admin = s.create_user(&name("root"), "h", true, T0).await.unwrap();
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let new = |hash: &'static [u8], expires_at| NewShare {
        roadmap: "el",
        token_hash: hash,
        label: "for my manager",
        shown_name: "Ana Á.",
        show_notes: true,
        expires_at,
    };
    let a = s
        .create_share(ana.id, &new(b"hash-a", None), T0)
        .await
        .unwrap();
    let b = s
        .create_share(ana.id, &new(b"hash-b", Some(T0 + 1_000)), T0)
        .await
        .unwrap();
    assert_eq!(
        (a.label.as_str(), a.shown_name.as_str(), a.show_notes),
        ("for my manager", "Ana Á.", true)
    );
    assert_eq!(
        s.share_by_token(b"hash-a", T0).await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        s.share_by_token(b"hash-b", T0 + 999).await.unwrap(),
        Some(b.clone())
    );
    assert_eq!(
        s.share_by_token(b"hash-b", T0 + 1_000).await.unwrap(),
        None,
        "expired"
    );
    assert_eq!(s.share_by_token(b"nope", T0).await.unwrap(), None);
    assert_eq!(s.shares(ana.id).await.unwrap(), vec![b.clone(), a.clone()]);
    // Bob cannot revoke Ana's link; Ana can, and it is gone at once.
    assert!(!s.delete_share(bob.id, a.id).await.unwrap());
    assert!(s.delete_share(ana.id, a.id).await.unwrap());
    assert_eq!(s.share_by_token(b"hash-a", T0).await.unwrap(), None);
    // A token hash is unique.
    assert!(
        s.create_share(bob.id, &new(b"hash-b", None), T0)
            .await
            .is_err()
    );
    // Gone with the account.
    assert!(s.delete_user(ana.id).await.unwrap());
    assert_eq!(s.share_by_token(b"hash-b", T0).await.unwrap(), None);
}
