//! What the store's test files share: a fresh database on either backend.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // each file uses a part

use app::store::Store;
use sqlx::Connection;

pub struct TestDb {
    pub store: Store,
    /// For PostgreSQL: the server URL to drop the database from, and its name.
    drop_later: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
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

    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL half is not run");
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

    pub async fn finish(self) {
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
