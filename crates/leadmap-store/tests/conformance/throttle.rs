//! Sign-in throttling: reservations of failures per fixed-size key.

use leadmap_store::policy::SIGN_IN_FAILURE_RETENTION_MS;
use leadmap_store::prelude::*;
use leadmap_store::{Attempt, AttemptKey};

use crate::T0;

conformance!(
    login_failures_are_counted_in_a_window,
    concurrent_reserves_on_one_key_let_exactly_its_limit_through,
    a_throttled_attempt_records_nothing,
    release_deletes_the_reserved_failures_and_clears_keys,
    failures_older_than_the_retention_are_deleted,
    a_key_without_a_limit_counts_but_never_throttles,
);

/// The server's window (15 minutes).
const WINDOW: i64 = 15 * 60 * 1000;

/// A 32-byte key from a label (the server hashes; any 32 bytes do here).
fn key(label: &str) -> [u8; 32] {
    let mut k = [0u8; 32];
    for (i, b) in label.bytes().enumerate() {
        k[i % 32] ^= b.wrapping_add(i as u8);
    }
    k[31] = label.len() as u8;
    k
}

fn limited(label: &str, limit: i64) -> AttemptKey {
    AttemptKey {
        key: key(label),
        limit: Some(limit),
    }
}

fn counted(label: &str) -> AttemptKey {
    AttemptKey {
        key: key(label),
        limit: None,
    }
}

/// How many failures `label` holds since `since` (a reservation taken back at once).
async fn failures(s: &dyn Store, label: &str, since: i64, now: i64) -> i64 {
    match s
        .reserve_attempt(&[counted(label)], since, now)
        .await
        .unwrap()
    {
        Attempt::Reserved { ids, counts } => {
            s.release_attempt(&ids, &[]).await.unwrap();
            counts[0]
        }
        other => panic!("a key without a limit was throttled: {other:?}"),
    }
}

fn reserved(a: Attempt) -> (Vec<i64>, Vec<i64>) {
    match a {
        Attempt::Reserved { ids, counts } => (ids, counts),
        other => panic!("expected a reservation, got {other:?}"),
    }
}

async fn login_failures_are_counted_in_a_window(s: &dyn Store) {
    for i in 0..3 {
        reserved(
            s.reserve_attempt(&[counted("user:ana")], 0, T0 + i * 1000)
                .await
                .unwrap(),
        );
    }
    reserved(
        s.reserve_attempt(&[counted("ip:10.0.0.1")], 0, T0)
            .await
            .unwrap(),
    );
    let now = T0 + 3000;
    assert_eq!(failures(s, "user:ana", T0, now).await, 3);
    assert_eq!(failures(s, "user:ana", T0 + 1000, now).await, 2);
    assert_eq!(failures(s, "ip:10.0.0.1", T0, now).await, 1);
    s.release_attempt(&[], &[key("user:ana")]).await.unwrap();
    assert_eq!(failures(s, "user:ana", 0, now).await, 0);
    assert_eq!(failures(s, "ip:10.0.0.1", 0, now).await, 1);
}

/// A hundred guesses at once against a key that holds ten: exactly ten get through, on every
/// backend, and each of them saw the ones before it.
async fn concurrent_reserves_on_one_key_let_exactly_its_limit_through(s: &dyn Store) {
    let keys = [limited("user:ana", 10)];
    let attempts = (0..100).map(|_| s.reserve_attempt(&keys, T0 - WINDOW, T0));
    let answers = futures_util::future::join_all(attempts).await;
    let mut seen = Vec::new();
    let mut throttled = 0;
    for a in answers {
        match a.unwrap() {
            Attempt::Reserved { ids, counts } => {
                assert_eq!(ids.len(), 1);
                seen.push(counts[0]);
            }
            Attempt::Throttled { retry_at } => {
                assert_eq!(retry_at, T0 + WINDOW + 1);
                throttled += 1;
            }
        }
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..10).collect::<Vec<i64>>());
    assert_eq!(throttled, 90);
    assert_eq!(failures(s, "user:ana", T0 - WINDOW, T0).await, 10);
}

async fn a_throttled_attempt_records_nothing(s: &dyn Store) {
    let keys = [limited("user:ana", 2), limited("addr:10.0.0.1", 5)];
    let (ids, counts) = reserved(s.reserve_attempt(&keys, T0 - WINDOW, T0).await.unwrap());
    assert_eq!((ids.len(), counts), (2, vec![0, 0]));
    let (_, counts) = reserved(
        s.reserve_attempt(&keys, T0 + 10 - WINDOW, T0 + 10)
            .await
            .unwrap(),
    );
    assert_eq!(counts, [1, 1]);
    // The account is full: nothing is recorded, for it or for the address.
    for i in 0..3 {
        let now = T0 + 20 + i;
        assert_eq!(
            s.reserve_attempt(&keys, now - WINDOW, now).await.unwrap(),
            Attempt::Throttled {
                retry_at: T0 + WINDOW + 1
            }
        );
    }
    assert_eq!(failures(s, "user:ana", T0 - WINDOW, T0 + 30).await, 2);
    assert_eq!(failures(s, "addr:10.0.0.1", T0 - WINDOW, T0 + 30).await, 2);
    // Another account from the same address still has room.
    let other = [limited("user:bob", 2), limited("addr:10.0.0.1", 5)];
    let (_, counts) = reserved(
        s.reserve_attempt(&other, T0 + 40 - WINDOW, T0 + 40)
            .await
            .unwrap(),
    );
    assert_eq!(counts, [0, 2]);
    // The oldest failure is in the window up to its last millisecond; at `retry_at` it is out
    // and there is room again.
    let now = T0 + WINDOW;
    assert!(matches!(
        s.reserve_attempt(&keys, now - WINDOW, now).await.unwrap(),
        Attempt::Throttled { .. }
    ));
    let now = T0 + WINDOW + 1;
    let (_, counts) = reserved(s.reserve_attempt(&keys, now - WINDOW, now).await.unwrap());
    assert_eq!(counts, [1, 2]);
}

async fn release_deletes_the_reserved_failures_and_clears_keys(s: &dyn Store) {
    let keys = [limited("user:ana", 10), limited("addr:10.0.0.1", 10)];
    reserved(s.reserve_attempt(&keys, 0, T0).await.unwrap());
    let (ids, counts) = reserved(s.reserve_attempt(&keys, 0, T0 + 1).await.unwrap());
    assert_eq!(counts, [1, 1]);
    // The second attempt succeeded: its failures go, and the account's earlier ones too.
    s.release_attempt(&ids, &[keys[0].key]).await.unwrap();
    assert_eq!(failures(s, "user:ana", 0, T0 + 2).await, 0);
    assert_eq!(failures(s, "addr:10.0.0.1", 0, T0 + 2).await, 1);
    // Releasing nothing, or what is gone already, is no error.
    s.release_attempt(&[], &[]).await.unwrap();
    s.release_attempt(&ids, &[]).await.unwrap();
    assert_eq!(failures(s, "addr:10.0.0.1", 0, T0 + 2).await, 1);
}

async fn failures_older_than_the_retention_are_deleted(s: &dyn Store) {
    reserved(
        s.reserve_attempt(&[counted("user:ana")], 0, T0)
            .await
            .unwrap(),
    );
    reserved(
        s.reserve_attempt(&[counted("user:ana")], 0, T0 + 1)
            .await
            .unwrap(),
    );
    // Any reservation, of any key, deletes what is past the retention; not what is on its edge.
    let edge = T0 + SIGN_IN_FAILURE_RETENTION_MS;
    reserved(
        s.reserve_attempt(&[counted("user:bob")], 0, edge)
            .await
            .unwrap(),
    );
    assert_eq!(failures(s, "user:ana", 0, edge).await, 2);
    reserved(
        s.reserve_attempt(&[counted("user:bob")], 0, edge + 1)
            .await
            .unwrap(),
    );
    assert_eq!(failures(s, "user:ana", 0, edge + 1).await, 1);
    assert_eq!(failures(s, "user:ana", 0, edge + 2).await, 0);
}

async fn a_key_without_a_limit_counts_but_never_throttles(s: &dyn Store) {
    for i in 0..30 {
        let (ids, counts) = reserved(
            s.reserve_attempt(&[counted("addr:10.0.0.1")], T0 - WINDOW, T0 + i)
                .await
                .unwrap(),
        );
        assert_eq!((ids.len(), counts), (1, vec![i]));
    }
    // With a limited key beside it, only the limited key can throttle.
    let keys = [counted("addr:10.0.0.1"), limited("user:ana", 1)];
    let (_, counts) = reserved(
        s.reserve_attempt(&keys, T0 - WINDOW, T0 + 30)
            .await
            .unwrap(),
    );
    assert_eq!(counts, [30, 0]);
    assert!(matches!(
        s.reserve_attempt(&keys, T0 - WINDOW, T0 + 31)
            .await
            .unwrap(),
        Attempt::Throttled { .. }
    ));
    assert_eq!(failures(s, "addr:10.0.0.1", T0 - WINDOW, T0 + 32).await, 31);
}
