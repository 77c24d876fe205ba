//! Opening a store.

use std::time::{Duration, Instant};

use leadmap_store::StoreError;

/// A PostgreSQL URL on a port where nothing listens fails at once, saying the connection was
/// refused (not "pool timed out" after the pool's acquire timeout).
#[tokio::test]
async fn a_refused_postgres_connection_fails_at_once_and_says_so() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let started = Instant::now();
    let err = leadmap_store::open(&format!("postgres://postgres@127.0.0.1:{port}/leadmap"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "took {took:?}: {err}");
    assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("refused"), "{msg}");
    assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
    assert!(
        std::error::Error::source(&err).is_some(),
        "the cause was lost"
    );
}
