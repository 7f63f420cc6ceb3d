//! The store's story, told once and run on every backend: SQLite always,
//! PostgreSQL when `TEST_DATABASE_URL` points at a server we may create
//! databases on (each run gets a fresh database, dropped afterwards).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic
#![cfg(feature = "ssr")]

use academy_shared::region::RegionLevel;
use academy_shared::role::Role;
use app::store::{Backend, DbError, NewRegion, NewUser, Store};
use sqlx::Connection;

struct TestDb {
    store: Store,
    /// For PostgreSQL: the server URL to drop the database from, and its name.
    drop_later: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("academy.db").display()
        );
        let store = Store::connect(&url).await.unwrap();
        TestDb {
            store,
            drop_later: None,
            _dir: Some(dir),
        }
    }

    async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("TEST_DATABASE_URL is not set: PostgreSQL store tests not run");
            return None;
        };
        let name = format!(
            "academy_store_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
                % 1_000_000_000
        );
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap();
        let store = Store::connect(&format!("{base}/{name}")).await.unwrap();
        Some(TestDb {
            store,
            drop_later: Some((admin_url, name)),
            _dir: None,
        })
    }

    async fn finish(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = self.drop_later {
            let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
            // FORCE: the pool has closed, but the server may not have ended its sessions yet.
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .unwrap();
        }
    }
}

fn region(code: &str, parent: Option<&str>, name: &str, level: RegionLevel) -> NewRegion {
    NewRegion {
        code: code.into(),
        parent_code: parent.map(Into::into),
        name: name.into(),
        level,
    }
}

fn user(username: &str, phone: &str, region: &str, roles: Vec<Role>) -> NewUser {
    NewUser {
        username: username.into(),
        real_name: "测试 <b>&amp;'\\\"".into(),
        phone: Some(phone.into()),
        region_code: Some(region.into()),
        work_unit: None,
        password_hash: "$argon2id$fake".into(),
        roles,
    }
}

/// Everything the foundation promises about persistence, in the order a real
/// deployment meets it.
async fn story(store: &Store) {
    // Migrations are applied at start, and starting twice is harmless.
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    assert_eq!(store.count_users().await.unwrap(), 0);

    let tree = vec![
        region("52", None, "贵州省", RegionLevel::Province),
        region("5206", Some("52"), "铜仁市", RegionLevel::City),
        region("520602", Some("5206"), "碧江区", RegionLevel::County),
    ];
    let users = vec![
        user("learner001", "13912340001", "520602", vec![Role::Learner]),
        user(
            "liaison01",
            "13800000201",
            "520602",
            vec![Role::Liaison, Role::Learner],
        ),
    ];
    assert!(store.load_once("seeded", &tree, &users).await.unwrap());
    // Loading once means once: the second call writes nothing.
    assert!(!store.load_once("seeded", &tree, &users).await.unwrap());
    assert_eq!(store.count_users().await.unwrap(), 2);

    let regions = store.list_regions().await.unwrap();
    assert_eq!(regions.len(), 3);
    let city = regions.iter().find(|r| r.code == "5206").unwrap();
    let county = regions.iter().find(|r| r.code == "520602").unwrap();
    assert_eq!(county.parent_id, Some(city.id));
    assert_eq!(county.level, RegionLevel::County);
    assert_eq!(county.name, "碧江区");

    let liaison = store.user_by_username("liaison01").await.unwrap();
    assert_eq!(liaison.roles, vec![Role::Learner, Role::Liaison]);
    assert_eq!(liaison.region_id, Some(county.id));
    assert_eq!(
        liaison.real_name, "测试 <b>&amp;'\\\"",
        "text is stored as given"
    );
    assert!(!liaison.disabled);
    assert!(matches!(
        store.user_by_username("nobody").await,
        Err(DbError::NotFound)
    ));

    // A batch with one bad row writes nothing at all: no half-written imports.
    let bad_batch = vec![
        user("learner002", "13912340002", "520602", vec![Role::Learner]),
        user("learner001", "13912340003", "520602", vec![Role::Learner]),
    ];
    let error = store
        .load_once("second batch", &[], &bad_batch)
        .await
        .unwrap_err();
    assert!(matches!(error, DbError::Conflict(_)), "{error:?}");
    assert_eq!(store.count_users().await.unwrap(), 2);
    assert!(store.meta("second batch").await.unwrap().is_none());

    // The tree's shape is enforced: a county cannot hang below the province.
    let wrong_tree = vec![region("520699", Some("52"), "错位县", RegionLevel::County)];
    let error = store
        .load_once("wrong tree", &wrong_tree, &[])
        .await
        .unwrap_err();
    assert!(matches!(error, DbError::Conflict(_)), "{error:?}");
    assert_eq!(store.list_regions().await.unwrap().len(), 3);

    // A user in an unknown region is refused, not stored without one.
    let error = store
        .load_once(
            "orphan",
            &[],
            &[user("orphan", "13912349999", "999999", vec![])],
        )
        .await
        .unwrap_err();
    assert!(matches!(error, DbError::Conflict(_)), "{error:?}");

    // Sessions: live until idle or absolute expiry, gone with the account's others.
    let hour = 3_600_000;
    store
        .create_session("hash-a", liaison.id, 1_000, 1_000 + 12 * hour, Some("UA"))
        .await
        .unwrap();
    store
        .create_session("hash-b", liaison.id, 1_000, 1_000 + 12 * hour, None)
        .await
        .unwrap();
    let idle = 30 * 60_000;
    let found = store
        .session_user("hash-a", 2_000, idle)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.username, "liaison01");
    assert!(
        store
            .session_user("unknown", 2_000, idle)
            .await
            .unwrap()
            .is_none()
    );
    // Used at 2 000 ms, so still live just under 30 minutes later, ended just after.
    assert!(
        store
            .session_user("hash-a", 2_000 + idle - 1, idle)
            .await
            .unwrap()
            .is_some()
    );
    let later = 2_000 + 2 * idle;
    assert!(
        store
            .session_user("hash-a", later, idle)
            .await
            .unwrap()
            .is_none(),
        "idle timeout"
    );
    // The absolute timeout holds even for a session in constant use.
    let mut now = 1_000;
    while now < 1_000 + 12 * hour {
        assert!(
            store
                .session_user("hash-b", now, idle)
                .await
                .unwrap()
                .is_some()
        );
        now += idle - 1;
    }
    assert!(
        store
            .session_user("hash-b", 1_000 + 12 * hour, idle)
            .await
            .unwrap()
            .is_none()
    );
    store
        .create_session("hash-c", liaison.id, later, later + hour, None)
        .await
        .unwrap();
    assert_eq!(store.delete_sessions_of(liaison.id).await.unwrap(), 3);
    assert!(
        store
            .session_user("hash-c", later, idle)
            .await
            .unwrap()
            .is_none()
    );
    store
        .create_session("hash-d", liaison.id, later, later + hour, None)
        .await
        .unwrap();
    store.delete_session("hash-d").await.unwrap();
    assert!(
        store
            .session_user("hash-d", later, idle)
            .await
            .unwrap()
            .is_none()
    );

    // Failed sign-ins are counted per name and per address, and can be cleared.
    store
        .record_login_failure("learner001", "10.0.0.1", 100)
        .await
        .unwrap();
    store
        .record_login_failure("learner001", "10.0.0.2", 200)
        .await
        .unwrap();
    store
        .record_login_failure("nobody", "10.0.0.1", 300)
        .await
        .unwrap();
    assert_eq!(
        store
            .login_failures_for_user("learner001", 0)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        store
            .login_failures_for_user("learner001", 150)
            .await
            .unwrap(),
        vec![200]
    );
    let mut from_first = store.login_failures_from("10.0.0.1", 0).await.unwrap();
    from_first.sort_unstable();
    assert_eq!(from_first, vec![100, 300]);
    store.clear_login_failures("learner001").await.unwrap();
    assert!(
        store
            .login_failures_for_user("learner001", 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.login_failures_for_user("nobody", 0).await.unwrap(),
        vec![300]
    );

    // Once closed, the store says so instead of hanging: what /healthz reports.
    store.close().await;
    assert!(store.ping().await.is_err());
}

#[tokio::test]
async fn store_story_on_sqlite() {
    let db = TestDb::sqlite().await;
    assert_eq!(db.store.backend(), Backend::Sqlite);
    story(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn store_story_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    assert_eq!(db.store.backend(), Backend::Postgres);
    story(&db.store).await;
    db.finish().await;
}

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
