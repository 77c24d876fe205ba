//! Accounts.

use leadmap_store::prelude::*;
use leadmap_store::{Status, StoreError, UserId};

use crate::{T0, name};

conformance!(
    users_are_created_counted_and_found_without_regard_to_case,
    a_taken_name_is_a_conflict,
    deleting_a_user_deletes_their_records_only,
    the_last_admin_is_kept,
    a_display_name_is_kept_shown_everywhere_and_cleared,
);

async fn a_display_name_is_kept_shown_everywhere_and_cleared(s: &dyn Store) {
    let ana = s.create_user(&name("maria"), "h", true, T0).await.unwrap();
    assert_eq!(ana.display_name, None);
    assert_eq!(ana.shown_name(), "maria");
    assert!(
        s.set_display_name(ana.id, Some("Maria Manager"))
            .await
            .unwrap()
    );
    let found = s.user(ana.id).await.unwrap().unwrap();
    assert_eq!(found.display_name.as_deref(), Some("Maria Manager"));
    assert_eq!(found.shown_name(), "Maria Manager");
    // The session and token lookups carry it too: pages show it without another query.
    s.create_session(ana.id, b"t1", "c", "", T0).await.unwrap();
    let (_, u) = s.session(b"t1", T0).await.unwrap().unwrap();
    assert_eq!(u.shown_name(), "Maria Manager");
    s.create_token(ana.id, "ci", b"k1", T0, None).await.unwrap();
    let u = s.token_user(b"k1", T0).await.unwrap().unwrap();
    assert_eq!(u.shown_name(), "Maria Manager");
    assert_eq!(s.credentials("MARIA").await.unwrap().unwrap().user, found);
    assert!(s.set_display_name(ana.id, None).await.unwrap());
    assert_eq!(s.user(ana.id).await.unwrap().unwrap().shown_name(), "maria");
    assert!(!s.set_display_name(UserId(999), Some("x")).await.unwrap());
}

async fn the_last_admin_is_kept(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", true, T0).await.unwrap();
    // Alone, the admin may go (the server is empty again) but not lose the role.
    let err = s.set_admin(ana.id, false).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m == leadmap_store::LAST_ADMIN),
        "{err:?}"
    );
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    // With another account, the last admin may not go either.
    let err = s.delete_user(ana.id).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(s.user_count().await.unwrap(), 2);
    // Once bob is an admin too, ana may step down, and then go.
    assert!(s.set_admin(bob.id, true).await.unwrap());
    assert!(s.set_admin(ana.id, false).await.unwrap());
    assert!(!s.user(ana.id).await.unwrap().unwrap().is_admin);
    assert!(s.delete_user(ana.id).await.unwrap());
    // Bob is the last admin now; alone, he may delete himself.
    assert!(s.set_admin(bob.id, false).await.is_err());
    assert!(s.delete_user(bob.id).await.unwrap());
    assert_eq!(s.user_count().await.unwrap(), 0);
    assert!(
        !s.set_admin(UserId(999), true).await.unwrap(),
        "no such user"
    );
}

async fn users_are_created_counted_and_found_without_regard_to_case(s: &dyn Store) {
    assert_eq!(s.user_count().await.unwrap(), 0);
    let ana = s
        .create_user(&name("Ana"), "hash-a", true, T0)
        .await
        .unwrap();
    assert_eq!(ana.name, "Ana");
    assert!(ana.is_admin);
    assert_eq!(s.user_count().await.unwrap(), 1);
    let creds = s.credentials("ana").await.unwrap().unwrap();
    assert_eq!(creds.user, ana);
    assert_eq!(creds.password_hash, "hash-a");
    assert!(s.credentials("bob").await.unwrap().is_none());
    assert_eq!(s.user(ana.id).await.unwrap(), Some(ana.clone()));
    s.set_password(ana.id, "hash-b").await.unwrap();
    assert_eq!(
        s.credentials("ANA").await.unwrap().unwrap().password_hash,
        "hash-b"
    );
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let all = s.users().await.unwrap();
    assert_eq!(all, vec![ana, bob]);
}

async fn a_taken_name_is_a_conflict(s: &dyn Store) {
    s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let err = s
        .create_user(&name("ANA"), "h", false, T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(s.user_count().await.unwrap(), 1);
}

async fn deleting_a_user_deletes_their_records_only(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    for u in [ana.id, bob.id] {
        s.set_progress(u, "el", "x", Status::Done, Some(""), T0)
            .await
            .unwrap();
        s.create_session(u, format!("s{u}").as_bytes(), "c", "", T0)
            .await
            .unwrap();
        s.create_token(u, "t", format!("t{u}").as_bytes(), T0, None)
            .await
            .unwrap();
    }
    assert!(s.delete_user(ana.id).await.unwrap());
    assert!(s.user(ana.id).await.unwrap().is_none());
    assert!(s.progress(ana.id, "el").await.unwrap().is_empty());
    assert!(
        s.session(format!("s{}", ana.id).as_bytes(), T0)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.token_user(format!("t{}", ana.id).as_bytes(), T0)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(s.progress(bob.id, "el").await.unwrap().len(), 1);
    assert!(
        s.session(format!("s{}", bob.id).as_bytes(), T0)
            .await
            .unwrap()
            .is_some()
    );
    assert!(!s.delete_user(ana.id).await.unwrap());
}
