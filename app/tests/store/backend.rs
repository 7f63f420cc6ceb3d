//! The connection itself: SQLite's settings, a URL that names no usable
//! database, and a closed store.

use crate::common::TestDb;
use crate::seed;
use app::store::Store;

#[tokio::test]
async fn sqlite_runs_with_wal_foreign_keys_and_full_sync() {
    let db = TestDb::sqlite().await;
    db.store.migrate().await.unwrap();
    let settings = db.store.sqlite_settings().await.unwrap().unwrap();
    assert_eq!(settings.journal_mode, "wal");
    assert!(settings.foreign_keys);
    assert_eq!(settings.synchronous, 2, "2 = FULL");
    assert!(settings.busy_timeout_ms >= 1000);
    db.finish().await;
}

#[tokio::test]
async fn a_wrong_database_url_is_an_error_not_a_panic() {
    assert!(Store::connect("mysql://localhost/x").await.is_err());
    assert!(
        Store::connect("postgres://academy@127.0.0.1:1/none")
            .await
            .is_err()
    );
}

async fn a_closed_store_says_so(store: &Store) {
    seed(store).await;
    store.ping().await.unwrap();
    // Once closed, the store says so instead of hanging: what /healthz reports.
    store.close().await;
    assert!(store.ping().await.is_err());
}

on_both_backends!(a_closed_store_says_so);
