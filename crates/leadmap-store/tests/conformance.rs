//! The storage conformance suite: every scenario runs on a fresh SQLite file and on a fresh
//! PostgreSQL database (127.0.0.1:5432 as user postgres, or `LEADMAP_TEST_POSTGRES_URL`).
#![allow(clippy::unwrap_used)]

use leadmap_store::{ResetScope, Status, Store, StoreError, UserId, UserName};

const T0: i64 = 1_700_000_000_000;

fn name(s: &str) -> UserName {
    UserName::parse(s).unwrap()
}

macro_rules! conformance {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $scenario() {
                    let db = leadmap_store::testing::sqlite().await;
                    super::$scenario(db.store()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $scenario() {
                    let db = leadmap_store::testing::postgres().await;
                    super::$scenario(db.store()).await;
                    db.drop().await;
                }
            )*
        }
    };
}

conformance!(
    users_are_created_counted_and_found_without_regard_to_case,
    a_taken_name_is_a_conflict,
    sessions_find_their_user_and_are_revoked,
    a_user_cannot_touch_another_users_sessions_or_tokens,
    tokens_find_their_user_until_revoked,
    progress_is_kept_per_user_roadmap_and_topic,
    progress_upserts_and_keeps_the_latest,
    a_write_without_a_note_keeps_the_stored_note,
    concurrent_writes_are_all_stored_and_fail_alone,
    reset_clears_a_roadmap_or_some_topics_only,
    import_writes_every_record,
    deleting_a_user_deletes_their_records_only,
    login_failures_are_counted_in_a_window,
    the_database_checks_clean,
);

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
        .create_token(ana.id, "laptop", b"ana-token", T0)
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

async fn progress_is_kept_per_user_roadmap_and_topic(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let rec = s
        .set_progress(
            ana.id,
            "el",
            "hiring",
            Status::Done,
            Some("read the book"),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(rec.status, Status::Done);
    assert_eq!(rec.note, "read the book");
    assert_eq!(rec.updated_at, T0);
    s.set_progress(ana.id, "em", "hiring", Status::Learning, Some(""), T0)
        .await
        .unwrap();
    s.set_progress(bob.id, "el", "hiring", Status::Skipped, Some(""), T0)
        .await
        .unwrap();
    let ana_el = s.progress(ana.id, "el").await.unwrap();
    assert_eq!(ana_el, vec![rec]);
    assert_eq!(
        s.progress(bob.id, "el").await.unwrap()[0].status,
        Status::Skipped
    );
    assert!(s.progress(bob.id, "em").await.unwrap().is_empty());
    let all = s.all_progress(ana.id).await.unwrap();
    assert_eq!(
        all.iter().map(|p| p.roadmap.as_str()).collect::<Vec<_>>(),
        ["el", "em"]
    );
}

async fn progress_upserts_and_keeps_the_latest(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    for (i, st) in Status::ALL.into_iter().enumerate() {
        s.set_progress(
            ana.id,
            "el",
            "okrs",
            st,
            Some(&format!("note {i}")),
            T0 + i as i64,
        )
        .await
        .unwrap();
    }
    let p = s.progress(ana.id, "el").await.unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].status, Status::Skipped);
    assert_eq!(p[0].note, "note 3");
    assert_eq!(p[0].updated_at, T0 + 3);
    // Unicode and long notes come back byte for byte.
    let note = "Ünïcödé 🚀 ".repeat(500);
    s.set_progress(ana.id, "el", "okrs", Status::Done, Some(&note), T0)
        .await
        .unwrap();
    assert_eq!(s.progress(ana.id, "el").await.unwrap()[0].note, note);
}

async fn a_write_without_a_note_keeps_the_stored_note(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let first = s
        .set_progress(ana.id, "el", "okrs", Status::Learning, None, T0)
        .await
        .unwrap();
    assert_eq!(first.note, "");
    s.set_progress(
        ana.id,
        "el",
        "okrs",
        Status::Learning,
        Some("chapter 3"),
        T0,
    )
    .await
    .unwrap();
    let kept = s
        .set_progress(ana.id, "el", "okrs", Status::Done, None, T0 + 1)
        .await
        .unwrap();
    assert_eq!(
        (kept.status, kept.note.as_str()),
        (Status::Done, "chapter 3")
    );
    let cleared = s
        .set_progress(ana.id, "el", "okrs", Status::Done, Some(""), T0 + 2)
        .await
        .unwrap();
    assert_eq!(cleared.note, "");
}

/// Many writes at once (the SQLite backend commits them together): each is answered with its
/// own record, every one is stored, and one that fails does not take the others with it.
async fn concurrent_writes_are_all_stored_and_fail_alone(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let writes = (0..200).map(|i| {
        let topic = format!("t{i:03}");
        async move {
            let note = format!("note {i}");
            s.set_progress(ana.id, "el", &topic, Status::Done, Some(&note), T0 + i)
                .await
        }
    });
    let orphan = s.set_progress(UserId(i64::MAX), "el", "x", Status::Done, None, T0);
    let (results, orphan) =
        futures_util::future::join(futures_util::future::join_all(writes), orphan).await;
    assert!(
        orphan.is_err(),
        "a record of no user was stored: {orphan:?}"
    );
    for (i, r) in results.into_iter().enumerate() {
        let r = r.unwrap();
        assert_eq!((r.topic, r.note), (format!("t{i:03}"), format!("note {i}")));
    }
    let stored = s.progress(ana.id, "el").await.unwrap();
    assert_eq!(stored.len(), 200);
    assert!(
        stored
            .iter()
            .enumerate()
            .all(|(i, p)| p.updated_at == T0 + i as i64)
    );
    assert!(s.integrity_check().await.unwrap().is_empty());
}

async fn reset_clears_a_roadmap_or_some_topics_only(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    for t in ["a", "b", "c"] {
        s.set_progress(ana.id, "el", t, Status::Done, Some(""), T0)
            .await
            .unwrap();
        s.set_progress(ana.id, "em", t, Status::Done, Some(""), T0)
            .await
            .unwrap();
    }
    let n = s
        .reset_progress(ana.id, "el", ResetScope::Topics(&["a".into(), "b".into()]))
        .await
        .unwrap();
    assert_eq!(n, 2);
    let left: Vec<_> = s
        .progress(ana.id, "el")
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.topic)
        .collect();
    assert_eq!(left, ["c"]);
    assert_eq!(
        s.reset_progress(ana.id, "em", ResetScope::Roadmap)
            .await
            .unwrap(),
        3
    );
    assert!(s.progress(ana.id, "em").await.unwrap().is_empty());
    assert_eq!(s.progress(ana.id, "el").await.unwrap().len(), 1);
}

async fn import_writes_every_record(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let records: Vec<_> = (0..200)
        .map(|i| leadmap_store::Progress {
            roadmap: "el".into(),
            topic: format!("topic-{i:03}"),
            status: Status::ALL[i % 4],
            note: format!("n{i}"),
            updated_at: T0 + i as i64,
        })
        .collect();
    assert_eq!(s.import_progress(ana.id, &records).await.unwrap(), 200);
    assert_eq!(s.progress(ana.id, "el").await.unwrap(), records);
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
        s.create_token(u, "t", format!("t{u}").as_bytes(), T0)
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

async fn login_failures_are_counted_in_a_window(s: &dyn Store) {
    for i in 0..3 {
        s.record_login_failure("user:ana", T0 + i * 1000)
            .await
            .unwrap();
    }
    s.record_login_failure("ip:10.0.0.1", T0).await.unwrap();
    assert_eq!(s.login_failures_since("user:ana", T0).await.unwrap(), 3);
    assert_eq!(
        s.login_failures_since("user:ana", T0 + 1000).await.unwrap(),
        2
    );
    assert_eq!(s.login_failures_since("ip:10.0.0.1", T0).await.unwrap(), 1);
    s.clear_login_failures("user:ana").await.unwrap();
    assert_eq!(s.login_failures_since("user:ana", 0).await.unwrap(), 0);
    assert_eq!(s.login_failures_since("ip:10.0.0.1", 0).await.unwrap(), 1);
}

async fn the_database_checks_clean(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    s.set_progress(ana.id, "el", "x", Status::Done, Some(""), T0)
        .await
        .unwrap();
    assert_eq!(s.integrity_check().await.unwrap(), Vec::<String>::new());
}
