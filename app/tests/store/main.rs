//! The store's stories, one file per area, each told once and run on every
//! backend: SQLite always, PostgreSQL when `TEST_DATABASE_URL` points at a
//! server we may create databases on (each test gets a fresh database,
//! dropped afterwards). Every story opens its own database, so one failing
//! story does not hide the others.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic
#![cfg(feature = "ssr")]

#[path = "../common/mod.rs"]
mod common;

/// Runs the story `fn $story(store: &Store)` of this module as two tests,
/// `$story::on_sqlite` and `$story::on_postgres` (which returns at once when
/// `TEST_DATABASE_URL` is not set), each on a fresh database.
macro_rules! on_both_backends {
    ($story:ident) => {
        mod $story {
            use crate::common::TestDb;
            use app::store::Backend;

            #[tokio::test]
            async fn on_sqlite() {
                let db = TestDb::sqlite().await;
                assert_eq!(db.store.backend(), Backend::Sqlite);
                super::$story(&db.store).await;
                db.finish().await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let Some(db) = TestDb::postgres().await else {
                    return;
                };
                assert_eq!(db.store.backend(), Backend::Postgres);
                super::$story(&db.store).await;
                db.finish().await;
            }
        }
    };
}

mod accounts;
mod backend;
mod classes;
mod courseware;
mod exams;

use academy_shared::region::RegionLevel;
use academy_shared::role::Role;
use app::store::{NewRegion, NewUser, Store};

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
        ..NewUser::default()
    }
}

/// The region tree every story starts from: province, city, county 520602.
fn seed_regions() -> Vec<NewRegion> {
    vec![
        region("52", None, "贵州省", RegionLevel::Province),
        region("5206", Some("52"), "铜仁市", RegionLevel::City),
        region("520602", Some("5206"), "碧江区", RegionLevel::County),
    ]
}

/// The accounts every story starts from: a learner and a liaison of 520602.
fn seed_users() -> Vec<NewUser> {
    vec![
        user("learner001", "13912340001", "520602", vec![Role::Learner]),
        user(
            "liaison01",
            "13800000201",
            "520602",
            vec![Role::Liaison, Role::Learner],
        ),
    ]
}

/// Migrates a fresh database and loads the seed, as a deployment starts
/// (`accounts::the_seed_loads_once_and_all_or_nothing` checks this step).
async fn seed(store: &Store) {
    store.migrate().await.unwrap();
    assert!(
        store
            .load_once("seeded", &seed_regions(), &seed_users())
            .await
            .unwrap()
    );
}
