//! Text the store cannot keep: a NUL character (U+0000), which PostgreSQL refuses in `text`,
//! is refused by every backend alike, before anything is written.

use leadmap_store::prelude::*;
use leadmap_store::{Progress, ResetScope, Result, Status, StoreError};

use crate::{T0, name};

conformance!(text_with_a_nul_is_refused_alike_and_nothing_is_stored);

#[track_caller]
fn invalid<T: std::fmt::Debug>(r: Result<T>) {
    match r {
        Err(StoreError::Invalid(msg)) => {
            assert_eq!(msg, "text must not contain a NUL character (U+0000)")
        }
        other => panic!("expected StoreError::Invalid, got {other:?}"),
    }
}

async fn text_with_a_nul_is_refused_alike_and_nothing_is_stored(s: &dyn Store) {
    const NUL: &str = "a\0b";
    // Accounts.
    invalid(s.create_user(&name("ana"), NUL, false, T0).await);
    assert_eq!(s.user_count().await.unwrap(), 0);
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    invalid(s.credentials("ana\0").await);
    invalid(s.set_password(ana.id, NUL).await);
    invalid(s.set_display_name(ana.id, Some(NUL)).await);
    assert_eq!(s.user(ana.id).await.unwrap().unwrap().display_name, None);
    assert_eq!(
        s.credentials("ana").await.unwrap().unwrap().password_hash,
        "h"
    );
    // Sessions and tokens.
    invalid(s.create_session(ana.id, b"t1", NUL, "", T0).await);
    invalid(s.create_session(ana.id, b"t2", "c", "Mozilla\0", T0).await);
    assert!(s.sessions(ana.id).await.unwrap().is_empty());
    invalid(s.create_token(ana.id, NUL, b"t3", T0, None).await);
    assert!(s.tokens(ana.id).await.unwrap().is_empty());
    // Progress, in every text of a record.
    invalid(
        s.set_progress(ana.id, "el", "x", Status::Done, Some(NUL), T0)
            .await,
    );
    invalid(
        s.set_progress(ana.id, NUL, "x", Status::Done, None, T0)
            .await,
    );
    invalid(
        s.set_progress(ana.id, "el", NUL, Status::Done, None, T0)
            .await,
    );
    let mut records: Vec<Progress> = (0..3)
        .map(|i| Progress {
            roadmap: "el".into(),
            topic: format!("t{i}"),
            status: Status::Done,
            note: String::new(),
            updated_at: T0,
        })
        .collect();
    records[2].note = NUL.into();
    invalid(s.import_progress(ana.id, &records).await);
    assert!(s.all_progress(ana.id).await.unwrap().is_empty());
    invalid(s.progress(ana.id, NUL).await);
    invalid(s.reset_progress(ana.id, NUL, ResetScope::Roadmap, T0).await);
    invalid(
        s.reset_progress(ana.id, "el", ResetScope::Topics(&["x\0".into()]), T0)
            .await,
    );
    // Everything else still works, and the database is sound.
    s.set_progress(ana.id, "el", "x", Status::Done, Some("fine"), T0)
        .await
        .unwrap();
    assert_eq!(s.all_progress(ana.id).await.unwrap().len(), 1);
    assert!(s.integrity_check().await.unwrap().is_empty());
}
