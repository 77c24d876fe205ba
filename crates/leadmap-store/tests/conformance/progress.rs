//! Progress records.

use leadmap_store::prelude::*;
use leadmap_store::{ResetScope, Status, UserId};

use crate::{T0, name};

conformance!(
    progress_is_kept_per_user_roadmap_and_topic,
    progress_upserts_and_keeps_the_latest,
    a_write_without_a_note_keeps_the_stored_note,
    concurrent_writes_are_all_stored_and_fail_alone,
    reset_clears_a_roadmap_or_some_topics_only,
    import_writes_every_record,
);

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
        .reset_progress(
            ana.id,
            "el",
            ResetScope::Topics(&["a".into(), "b".into()]),
            T0,
        )
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
        s.reset_progress(ana.id, "em", ResetScope::Roadmap, T0)
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
