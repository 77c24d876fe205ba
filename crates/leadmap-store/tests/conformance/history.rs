//! The history of status changes: written by the progress writes in their own transaction,
//! coalesced within `policy::HISTORY_COALESCE_MS`, read newest first with filters and pages.

use leadmap_store::policy::{DAY_MS, HISTORY_COALESCE_MS};
use leadmap_store::prelude::*;
use leadmap_store::{HistoryFilter, Progress, ResetScope, Status, UserId};

use crate::{T0, name};

conformance!(
    every_status_change_is_kept_with_its_time,
    a_quick_correction_folds_and_an_undo_leaves_nothing,
    filters_and_pages_cover_every_change_once,
    imports_record_their_changes_and_a_failed_write_records_none,
    history_is_per_person_and_goes_with_the_account,
    concurrent_changes_of_one_person_add_up_per_day,
);

const MIN: i64 = 60_000;

fn all() -> HistoryFilter {
    HistoryFilter {
        limit: 1_000,
        ..HistoryFilter::default()
    }
}

async fn every_status_change_is_kept_with_its_time(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    s.set_progress(ana.id, "el", "okrs", Status::Learning, None, T0)
        .await
        .unwrap();
    // A note saved with the same status is no change of status.
    s.set_progress(
        ana.id,
        "el",
        "okrs",
        Status::Learning,
        Some("ch. 2"),
        T0 + MIN,
    )
    .await
    .unwrap();
    s.set_progress(ana.id, "el", "okrs", Status::Done, None, T0 + 10 * MIN)
        .await
        .unwrap();
    s.reset_progress(ana.id, "el", ResetScope::Roadmap, T0 + DAY_MS)
        .await
        .unwrap();
    let h = s.history(ana.id, &all()).await.unwrap();
    let seen: Vec<_> = h.iter().map(|c| (c.from, c.to, c.at)).collect();
    assert_eq!(
        seen,
        [
            (Some(Status::Done), Status::Pending, T0 + DAY_MS),
            (Some(Status::Learning), Status::Done, T0 + 10 * MIN),
            (None, Status::Learning, T0),
        ]
    );
    assert!(h.iter().all(|c| c.roadmap == "el" && c.topic == "okrs"));
    assert_eq!(s.history_len(ana.id).await.unwrap(), 3);
    // The days: two changes and one finished topic on the first, one change and one fewer
    // on the next.
    let days = s.history_days(ana.id, None).await.unwrap();
    let d0 = T0 / DAY_MS;
    let days: Vec<_> = days
        .iter()
        .map(|d| (d.roadmap.as_str(), d.day, d.changes, d.done_delta))
        .collect();
    assert_eq!(days, [("el", d0, 2, 1), ("el", d0 + 1, 1, -1)]);
    assert_eq!(s.history_days(ana.id, Some(d0 + 1)).await.unwrap().len(), 1);
}

/// Many writes of one person at once (on PostgreSQL, over several connections, so into
/// several of a day's counter slots): the day's counts are the sum of them all, undos too.
async fn concurrent_changes_of_one_person_add_up_per_day(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let topics: Vec<String> = (0..48).map(|i| format!("t{i}")).collect();
    let marks = topics
        .iter()
        .map(|t| s.set_progress(ana.id, "el", t, Status::Done, None, T0));
    for r in futures_util::future::join_all(marks).await {
        r.unwrap();
    }
    // A third undone within the window (its row goes, its day loses a change), a third
    // skipped instead (folds: still one change, still finished).
    let undo = topics[..16]
        .iter()
        .map(|t| s.set_progress(ana.id, "el", t, Status::Pending, None, T0 + MIN));
    let skip = topics[16..32]
        .iter()
        .map(|t| s.set_progress(ana.id, "el", t, Status::Skipped, None, T0 + MIN));
    let (undone, skipped) = futures_util::future::join(
        futures_util::future::join_all(undo),
        futures_util::future::join_all(skip),
    )
    .await;
    for r in undone.into_iter().chain(skipped) {
        r.unwrap();
    }
    let days = s.history_days(ana.id, None).await.unwrap();
    assert_eq!(days.len(), 1, "{days:?}");
    assert_eq!(
        (days[0].day, days[0].changes, days[0].done_delta),
        (T0 / DAY_MS, 32, 32)
    );
    assert_eq!(s.history(ana.id, &all()).await.unwrap().len(), 32);
}

async fn a_quick_correction_folds_and_an_undo_leaves_nothing(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    s.set_progress(ana.id, "el", "a", Status::Done, None, T0)
        .await
        .unwrap();
    s.set_progress(ana.id, "el", "a", Status::Skipped, None, T0 + MIN)
        .await
        .unwrap();
    let h = s.history(ana.id, &all()).await.unwrap();
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!((h[0].from, h[0].to, h[0].at), (None, Status::Skipped, T0));
    // Back to where it started within the window: the change is undone, no row is left.
    s.set_progress(ana.id, "el", "a", Status::Pending, None, T0 + 2 * MIN)
        .await
        .unwrap();
    assert!(s.history(ana.id, &all()).await.unwrap().is_empty());
    assert!(s.history_days(ana.id, None).await.unwrap().is_empty());
    // Outside the window, a change is a row of its own and older rows stay as they were.
    s.set_progress(ana.id, "el", "a", Status::Learning, None, T0 + 3 * MIN)
        .await
        .unwrap();
    let later = T0 + 3 * MIN + HISTORY_COALESCE_MS + 1;
    s.set_progress(ana.id, "el", "a", Status::Pending, None, later)
        .await
        .unwrap();
    let h = s.history(ana.id, &all()).await.unwrap();
    let seen: Vec<_> = h.iter().map(|c| (c.from, c.to, c.at)).collect();
    assert_eq!(
        seen,
        [
            (Some(Status::Learning), Status::Pending, later),
            (Some(Status::Pending), Status::Learning, T0 + 3 * MIN),
        ]
    );
}

async fn filters_and_pages_cover_every_change_once(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    // 40 changes, 10 minutes apart, over two roadmaps, all at the same moment in pairs.
    for i in 0..40i64 {
        let roadmap = if i % 2 == 0 { "el" } else { "em" };
        let status = [Status::Learning, Status::Done][(i / 2 % 2) as usize];
        s.set_progress(
            ana.id,
            roadmap,
            &format!("t{}", i / 4),
            status,
            None,
            T0 + (i / 2) * 10 * MIN,
        )
        .await
        .unwrap();
    }
    let everything = s.history(ana.id, &all()).await.unwrap();
    assert_eq!(everything.len(), 40);
    assert!(
        everything
            .windows(2)
            .all(|w| (w[0].at, w[0].id) > (w[1].at, w[1].id))
    );
    let el = HistoryFilter {
        roadmap: Some("el".into()),
        ..all()
    };
    assert_eq!(s.history(ana.id, &el).await.unwrap().len(), 20);
    let done = HistoryFilter {
        to: Some(Status::Done),
        ..all()
    };
    let d = s.history(ana.id, &done).await.unwrap();
    assert_eq!(d.len(), 20);
    assert!(d.iter().all(|c| c.to == Status::Done));
    let range = HistoryFilter {
        since: Some(T0 + 20 * MIN),
        until: Some(T0 + 40 * MIN),
        ..all()
    };
    let r = s.history(ana.id, &range).await.unwrap();
    assert_eq!(r.len(), 4, "{r:?}");
    // Pages of 7, each after the last change of the one before: every change once.
    let mut paged = Vec::new();
    let mut before = None;
    loop {
        let page = s
            .history(
                ana.id,
                &HistoryFilter {
                    before,
                    limit: 7,
                    ..HistoryFilter::default()
                },
            )
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        before = Some((last.at, last.id));
        paged.extend(page);
    }
    assert_eq!(paged, everything);
}

async fn imports_record_their_changes_and_a_failed_write_records_none(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    s.set_progress(ana.id, "el", "t0", Status::Done, None, T0)
        .await
        .unwrap();
    let records: Vec<_> = (0..4)
        .map(|i| Progress {
            roadmap: "el".into(),
            topic: format!("t{i}"),
            status: [
                Status::Done,
                Status::Learning,
                Status::Pending,
                Status::Skipped,
            ][i],
            note: String::new(),
            updated_at: T0 + DAY_MS + i as i64,
        })
        .collect();
    s.import_progress(ana.id, &records).await.unwrap();
    // t0 stays done and t2 stays pending: two changes, t1 and t3.
    let h = s.history(ana.id, &all()).await.unwrap();
    let seen: Vec<_> = h.iter().map(|c| (c.topic.as_str(), c.to, c.at)).collect();
    assert_eq!(
        seen,
        [
            ("t3", Status::Skipped, T0 + DAY_MS + 3),
            ("t1", Status::Learning, T0 + DAY_MS + 1),
            ("t0", Status::Done, T0),
        ]
    );
    // A write that fails (no such user) leaves no history behind.
    assert!(
        s.set_progress(UserId(i64::MAX), "el", "x", Status::Done, None, T0)
            .await
            .is_err()
    );
    assert_eq!(s.history_len(UserId(i64::MAX)).await.unwrap(), 0);
}

async fn history_is_per_person_and_goes_with_the_account(s: &dyn Store) {
    let admin = s.create_user(&name("root"), "h", true, T0).await.unwrap();
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    for u in [ana.id, bob.id] {
        s.set_progress(u, "el", "a", Status::Done, None, T0)
            .await
            .unwrap();
    }
    s.set_progress(bob.id, "el", "b", Status::Done, None, T0)
        .await
        .unwrap();
    assert_eq!(s.history_len(ana.id).await.unwrap(), 1);
    assert_eq!(s.history_len(bob.id).await.unwrap(), 2);
    assert!(s.delete_user(bob.id).await.unwrap());
    assert_eq!(s.history_len(bob.id).await.unwrap(), 0);
    assert!(s.history_days(bob.id, None).await.unwrap().is_empty());
    assert_eq!(s.history_len(ana.id).await.unwrap(), 1);
    assert_eq!(s.history_len(admin.id).await.unwrap(), 0);
}

/// A million changes for one person (`cargo test -p leadmap-store --test conformance --
/// --ignored a_million`): everything is kept, the newest page and a filtered page come back
/// whole, the day table stays small.
#[tokio::test]
#[ignore = "slow: a million rows"]
async fn a_million_changes_for_one_person_on_sqlite() {
    let db = leadmap_store::testing::sqlite().await;
    let s = db.store();
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let topics: Vec<String> = (0..500).map(|i| format!("t{i}")).collect();
    let n = 1_000_000usize;
    for chunk in 0..(n / 10_000) {
        let records: Vec<_> = (chunk * 10_000..(chunk + 1) * 10_000)
            .map(|i| Progress {
                roadmap: "el".into(),
                topic: topics[i % topics.len()].clone(),
                status: [Status::Learning, Status::Done, Status::Skipped][(i / topics.len()) % 3],
                note: String::new(),
                updated_at: T0 + i as i64 * 30_000,
            })
            .collect();
        s.import_progress(ana.id, &records).await.unwrap();
    }
    assert_eq!(s.history_len(ana.id).await.unwrap(), n as i64);
    let page = s
        .history(
            ana.id,
            &HistoryFilter {
                limit: 50,
                ..HistoryFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.len(), 50);
    assert_eq!(page[0].at, T0 + (n as i64 - 1) * 30_000);
    let skipped = s
        .history(
            ana.id,
            &HistoryFilter {
                to: Some(Status::Skipped),
                limit: 50,
                ..HistoryFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(skipped.len(), 50);
    let days = s.history_days(ana.id, None).await.unwrap();
    assert!(days.len() < 400, "{} day rows", days.len());
    assert_eq!(days.iter().map(|d| d.changes).sum::<i64>(), n as i64);
}
