//! The store's story, told once and run on every backend: SQLite always,
//! PostgreSQL when `TEST_DATABASE_URL` points at a server we may create
//! databases on (each run gets a fresh database, dropped afterwards).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic
#![cfg(feature = "ssr")]

mod common;

use common::TestDb;

use academy_shared::ids::{RegionId, UserId};
use academy_shared::region::RegionLevel;
use academy_shared::role::Role;
use app::store::{
    Activation, AuditEntry, AuditFilter, Backend, Conflict, DbError, NewRegion, NewUser,
    SessionLink, Store, UserFilter,
};

use academy_shared::study::{Heartbeat, StudyRules};
use app::store::{
    CoursewareDetails, CoursewareFilter, HeartbeatJob, NewClass, NewMedia, OutlineItem, Slide,
};

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
        .create_session(
            "hash-a",
            liaison.id,
            1_000,
            1_000 + 12 * hour,
            Some("UA"),
            SessionLink::default(),
        )
        .await
        .unwrap();
    store
        .create_session(
            "hash-b",
            liaison.id,
            1_000,
            1_000 + 12 * hour,
            None,
            SessionLink::default(),
        )
        .await
        .unwrap();
    let idle = 30 * 60_000;
    let found = store
        .session_user("hash-a", 2_000, idle)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.0.username, "liaison01");
    assert!(
        store
            .session_user("unknown", 2_000, idle)
            .await
            .unwrap()
            .is_none()
    );
    // Used again at 200 000 ms (the deadline slides at most once a minute), so
    // still live just under 30 minutes later, ended just after.
    assert!(
        store
            .session_user("hash-a", 200_000, idle)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .session_user("hash-a", 200_000 + idle - 1, idle)
            .await
            .unwrap()
            .is_some()
    );
    let later = 200_000 + 2 * idle;
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
        .create_session(
            "hash-c",
            liaison.id,
            later,
            later + hour,
            None,
            SessionLink::default(),
        )
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
        .create_session(
            "hash-d",
            liaison.id,
            later,
            later + hour,
            None,
            SessionLink::default(),
        )
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

    identity_story(store).await;
    courseware_story(store).await;
    exam_story(store).await;
    class_story(store).await;

    // Once closed, the store says so instead of hanging: what /healthz reports.
    store.close().await;
    assert!(store.ping().await.is_err());
}

/// Accounts, devices, approvals, rebinding, SMS codes and the audit log.
async fn identity_story(store: &Store) {
    let county = store
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.parent_id.is_some())
        .unwrap();
    let mut a = user("idleanne", "13690000001", &county.code, vec![Role::Learner]);
    a.activation = Some(Activation {
        code_hash: "code-hash".into(),
        expires_at: 5_000,
    });
    a.password_hash = String::new();
    let b = user(
        "idlebob",
        "13690000002",
        &county.code,
        vec![Role::Supervisor],
    );
    let ids = store.create_users(&[a, b]).await.unwrap();
    let (anne, bob) = (ids[0], ids[1]);
    // A scoped role starts scoped to the account's region.
    assert_eq!(
        store.scopes_of(bob).await.unwrap(),
        vec![(Role::Supervisor, county.id)]
    );
    // All or nothing: one taken name fails the batch.
    let again = store
        .create_users(&[
            user("fresh", "13690000003", &county.code, vec![]),
            user("idleanne", "13690000004", &county.code, vec![]),
        ])
        .await;
    assert!(matches!(again, Err(DbError::Conflict(_))));
    assert!(store.user_by_username("fresh").await.is_err());
    let (names, phones) = store
        .taken(
            &["idleanne".into(), "nobody".into()],
            &["13690000002".into()],
        )
        .await
        .unwrap();
    assert_eq!(
        (names, phones),
        (vec!["idleanne".to_owned()], vec!["13690000002".to_owned()])
    );

    // Activation: the right code before it expires, once.
    assert!(store.user_by_id(anne).await.unwrap().activation_pending);
    assert_eq!(
        store
            .activate("idleanne", "wrong", "h", 1_000)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .activate("idleanne", "code-hash", "h", 6_000)
            .await
            .unwrap(),
        None,
        "expired"
    );
    assert_eq!(
        store
            .activate("idleanne", "code-hash", "h1", 1_000)
            .await
            .unwrap(),
        Some(anne)
    );
    assert_eq!(
        store
            .activate("idleanne", "code-hash", "h2", 1_000)
            .await
            .unwrap(),
        None,
        "used"
    );
    assert_eq!(
        store
            .user_by_phone("13690000001")
            .await
            .unwrap()
            .password_hash,
        "h1"
    );

    // Binding: one live device; unbinding ends the sessions it and its approvals opened.
    let now = 10_000;
    let binding = store
        .bind_device(anne, "key-1", None, "微信 · Android 手机", now)
        .await
        .unwrap();
    assert!(matches!(
        store.bind_device(anne, "key-2", None, "x", now).await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(
        store.live_binding(anne).await.unwrap().unwrap().key_hash,
        "key-1"
    );
    let far = now + 3_600_000;
    store
        .create_session(
            "anne-phone",
            anne,
            now,
            far,
            None,
            SessionLink {
                binding_id: Some(binding),
                approval_id: None,
            },
        )
        .await
        .unwrap();
    let approval = store
        .create_approval(
            anne,
            binding,
            "ABCD-EFGH",
            "secret-1",
            "Chrome · Windows 电脑",
            "10.0.0.9",
            now,
            now + 300_000,
        )
        .await
        .unwrap();
    let found = store
        .approval_by_code(anne, "ABCD-EFGH", now + 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, approval);
    assert!(
        store
            .approval_by_code(bob, "ABCD-EFGH", now + 1)
            .await
            .unwrap()
            .is_none(),
        "another account's code is invisible"
    );
    assert!(
        store
            .approval_by_code(anne, "ABCD-EFGH", now + 300_001)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(
        !store.claim_approval(approval, now + 2).await.unwrap(),
        "not approved yet"
    );
    store
        .decide_approval(approval, true, now + 2)
        .await
        .unwrap();
    assert!(
        matches!(
            store.decide_approval(approval, false, now + 3).await,
            Err(DbError::NotFound)
        ),
        "decided once"
    );
    assert!(store.claim_approval(approval, now + 3).await.unwrap());
    assert!(
        !store.claim_approval(approval, now + 4).await.unwrap(),
        "claimed once"
    );
    store
        .create_session(
            "anne-pc",
            anne,
            now,
            far,
            None,
            SessionLink {
                binding_id: None,
                approval_id: Some(approval),
            },
        )
        .await
        .unwrap();
    let idle = 30 * 60_000;
    let (_, link) = store
        .session_user("anne-pc", now + 5, idle)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.approval_id, Some(approval));
    let approved = store.approved_devices(anne, now + 5, idle).await.unwrap();
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0].label, "Chrome · Windows 电脑");
    // Revoking the approval ends only the PC's session.
    assert!(matches!(
        store.revoke_approval(bob, approval, now).await,
        Err(DbError::NotFound)
    ));
    store
        .revoke_approval(anne, approval, now + 6)
        .await
        .unwrap();
    assert!(
        store
            .session_user("anne-pc", now + 7, idle)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session_user("anne-phone", now + 7, idle)
            .await
            .unwrap()
            .is_some()
    );

    // Rebinding: one open request; approving unbinds and ends the phone's session.
    let request = store
        .request_rebind(anne, "换了新手机", "Safari · iPhone", now)
        .await
        .unwrap();
    assert!(matches!(
        store.request_rebind(anne, "again", "x", now).await,
        Err(DbError::Conflict(Conflict::RebindOpen))
    ));
    assert_eq!(store.open_rebind_requests().await.unwrap().len(), 1);
    assert_eq!(
        store
            .decide_rebind(request, bob, true, now + 8)
            .await
            .unwrap(),
        anne
    );
    assert!(store.live_binding(anne).await.unwrap().is_none());
    assert!(
        store
            .session_user("anne-phone", now + 9, idle)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        store.decide_rebind(request, bob, true, now + 9).await,
        Err(DbError::NotFound)
    ));
    store
        .bind_device(anne, "key-3", Some("04ab"), "Safari · iPhone", now + 10)
        .await
        .unwrap();
    assert_eq!(
        store
            .live_binding(anne)
            .await
            .unwrap()
            .unwrap()
            .public_key
            .as_deref(),
        Some("04ab")
    );
    // Device-key challenges: a few a minute per address, each accepted once.
    for n in 0..3 {
        let nonce = format!("nonce-{n}");
        assert!(
            store
                .issue_device_challenge(&nonce, "10.0.0.9", 3, now)
                .await
                .unwrap()
                .is_some()
        );
    }
    assert!(
        store
            .issue_device_challenge("nonce-4", "10.0.0.9", 3, now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .use_device_challenge("nonce-0", now + 1)
            .await
            .unwrap()
    );
    assert!(
        !store
            .use_device_challenge("nonce-0", now + 2)
            .await
            .unwrap(),
        "once"
    );
    let stale = now + app::store::DEVICE_CHALLENGE_TTL_MS + 1;
    assert!(!store.use_device_challenge("nonce-1", stale).await.unwrap());
    assert!(!store.use_device_challenge("unknown", now).await.unwrap());

    // Search with filters: region subtree, role, bound or not.
    let filter = |role, bound| UserFilter {
        role,
        bound,
        regions: Some(vec![county.id]),
        limit: 50,
        ..UserFilter::default()
    };
    let (rows, total) = store
        .search_users(&filter(Some(Role::Learner), Some(true)))
        .await
        .unwrap();
    assert_eq!(total, 1);
    assert_eq!(rows[0].username, "idleanne");
    assert_eq!(rows[0].device.as_deref(), Some("Safari · iPhone"));
    let (rows, _) = store
        .search_users(&UserFilter {
            text: Some("idleb".into()),
            limit: 50,
            ..UserFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let (_, none) = store
        .search_users(&UserFilter {
            regions: Some(vec![RegionId(-1)]),
            limit: 50,
            ..UserFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(none, 0);

    // Disabling ends sessions; password changes do too.
    store
        .create_session("anne-2", anne, now, far, None, SessionLink::default())
        .await
        .unwrap();
    store.set_password(anne, "h3").await.unwrap();
    assert!(
        store
            .session_user("anne-2", now + 11, idle)
            .await
            .unwrap()
            .is_none()
    );
    store
        .create_session("anne-3", anne, now, far, None, SessionLink::default())
        .await
        .unwrap();
    store.set_disabled(anne, true).await.unwrap();
    assert!(
        store
            .session_user("anne-3", now + 11, idle)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.user_by_id(anne).await.unwrap().disabled);

    // SMS codes: the latest live one, five wrong guesses void it, used once.
    store
        .record_sms_code(
            "13700000009",
            "register",
            "h-111111",
            "10.0.0.1",
            now,
            now + 300_000,
        )
        .await
        .unwrap();
    assert_eq!(
        store.sms_sent_to("13700000009", 0).await.unwrap(),
        vec![now]
    );
    assert_eq!(store.sms_sent_from("10.0.0.1", 0).await.unwrap(), vec![now]);
    assert!(
        !store
            .use_sms_code("13700000009", "reset_password", "h-111111", now + 1, 5)
            .await
            .unwrap(),
        "other purpose"
    );
    assert!(
        !store
            .use_sms_code("13700000009", "register", "h-111111", now + 300_001, 5)
            .await
            .unwrap(),
        "expired"
    );
    assert!(
        store
            .use_sms_code("13700000009", "register", "h-111111", now + 1, 5)
            .await
            .unwrap()
    );
    assert!(
        !store
            .use_sms_code("13700000009", "register", "h-111111", now + 2, 5)
            .await
            .unwrap(),
        "used"
    );
    store
        .record_sms_code(
            "13700000009",
            "register",
            "h-222222",
            "10.0.0.1",
            now + 3,
            now + 300_000,
        )
        .await
        .unwrap();
    for _ in 0..5 {
        assert!(
            !store
                .use_sms_code("13700000009", "register", "h-wrong", now + 4, 5)
                .await
                .unwrap()
        );
    }
    assert!(
        !store
            .use_sms_code("13700000009", "register", "h-222222", now + 5, 5)
            .await
            .unwrap(),
        "void after 5 wrong guesses"
    );

    // The audit log: filtered newest first, and append-only in the database itself.
    for (i, action) in ["login.failed", "login.succeeded", "device.bound"]
        .iter()
        .enumerate()
    {
        store
            .audit(&AuditEntry {
                at: 1_000 + i as i64,
                actor_id: Some(anne),
                actor_name: "idleanne".into(),
                action: (*action).into(),
                object_type: "user".into(),
                object_id: anne.to_string(),
                address: "10.0.0.1".into(),
                detail: String::new(),
            })
            .await
            .unwrap();
    }
    let (entries, total) = store
        .search_audit(&AuditFilter {
            action: Some("login.".into()),
            from: Some(1_000),
            until: Some(2_000),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(total, 2);
    assert_eq!(entries[0].action, "login.succeeded");
    assert!(
        sqlx::query("UPDATE audit_log SET detail = 'x'")
            .execute(store.pool_for_tests())
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(store.pool_for_tests())
            .await
            .is_err()
    );
    assert_eq!(
        store
            .search_audit(&AuditFilter {
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap()
            .1,
        3
    );
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

fn beat(seq: i64, position_ms: i64) -> Heartbeat {
    Heartbeat {
        seq,
        position_ms,
        playing: true,
        rate_milli: 1000,
        visible: true,
        idle_paused: false,
        since_interaction_ms: 1_000,
    }
}

/// Takes courseware that was sent back through proofreading, submission and
/// approval again.
async fn through_the_gates_again(store: &Store, cw: i64, by: UserId, at: i64) {
    for (step, (action, from, to)) in [
        ("proofread", "draft", "proofread"),
        ("submit", "proofread", "submitted"),
        ("approve", "submitted", "approved"),
    ]
    .into_iter()
    .enumerate()
    {
        let at = at + i64::try_from(step).unwrap();
        assert!(
            store
                .review_courseware(cw, action, from, to, "", by, at)
                .await
                .unwrap(),
            "{action}"
        );
    }
}

/// Media, courseware through the review gates, a class with enrolment, who may
/// fetch which file, and heartbeats: exactly-once, the wall-clock bound, the
/// single credited stream per learner, completion.
async fn courseware_story(store: &Store) {
    let county = store
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code == "520602")
        .unwrap();
    let ids = store
        .create_users(&[
            user(
                "cw_lecturer",
                "15755500001",
                &county.code,
                vec![Role::Lecturer],
            ),
            user(
                "cw_other_lecturer",
                "15755500002",
                &county.code,
                vec![Role::Lecturer],
            ),
            user(
                "cw_learner",
                "15755500003",
                &county.code,
                vec![Role::Learner],
            ),
            user(
                "cw_outsider",
                "15755500004",
                &county.code,
                vec![Role::Learner],
            ),
            user(
                "cw_organizer",
                "15755500005",
                &county.code,
                vec![Role::Organizer],
            ),
        ])
        .await
        .unwrap();
    let (lecturer, other_lecturer, learner, outsider, organizer) =
        (ids[0], ids[1], ids[2], ids[3], ids[4]);
    let t0 = 1_700_000_000_000;
    let media = |key: &str, kind: &str, duration: Option<i64>, by| NewMedia {
        storage_key: key.into(),
        kind: kind.into(),
        content_type: if kind == "video" {
            "video/mp4"
        } else {
            "image/png"
        }
        .into(),
        file_name: "讲座 <1>.mp4".into(),
        size_bytes: 1234,
        sha256: "ab".repeat(32),
        duration_ms: duration,
        uploaded_by: Some(by),
        uploaded_at: t0,
    };
    let video_id = store
        .insert_media(&media("ab/video.mp4", "video", Some(600_000), lecturer))
        .await
        .unwrap();
    let slide_id = store
        .insert_media(&media("ab/slide.png", "image", None, lecturer))
        .await
        .unwrap();
    let stray_id = store
        .insert_media(&media("ab/stray.png", "image", None, other_lecturer))
        .await
        .unwrap();
    assert!(
        matches!(
            store
                .insert_media(&media("ab/video.mp4", "video", None, lecturer))
                .await,
            Err(DbError::Conflict(_))
        ),
        "a storage key names one file"
    );
    let video = store.media(video_id).await.unwrap();
    assert_eq!(video.file_name, "讲座 <1>.mp4");

    let details = CoursewareDetails {
        title: "学习贯彻 '创新理论' & 实践".into(),
        lecturer_name: "王老师".into(),
        lecturer_id: Some(lecturer),
        topic: "理论".into(),
    };
    let cw = store
        .create_courseware(&details, lecturer, t0)
        .await
        .unwrap();
    store
        .set_courseware_video(cw, &video, t0 + 1)
        .await
        .unwrap();
    store
        .set_cues(
            cw,
            &[Slide {
                start_ms: 0,
                media_id: slide_id,
            }],
            &[
                OutlineItem {
                    start_ms: 0,
                    level: 1,
                    body: "一".into(),
                },
                OutlineItem {
                    start_ms: 60_000,
                    level: 2,
                    body: "二".into(),
                },
            ],
            t0 + 2,
        )
        .await
        .unwrap();
    let loaded = store.courseware(cw).await.unwrap();
    assert_eq!(loaded.details, details);
    assert_eq!(loaded.duration_ms, 600_000, "the video's duration");
    assert_eq!(loaded.slides.len(), 1);
    assert_eq!(loaded.outline[1].body, "二");
    assert_eq!(loaded.state, "draft");
    assert!(matches!(
        store.update_courseware_details(999_999, &details, t0).await,
        Err(DbError::NotFound)
    ));

    // The library: search by words in any field, filters, a lecturer's own.
    let (rows, total) = store
        .search_courseware(
            &CoursewareFilter {
                text: Some("创新".into()),
                ..CoursewareFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!((rows.len(), total), (1, 1));
    assert!(rows[0].has_video);
    let (_, none) = store
        .search_courseware(
            &CoursewareFilter {
                lecturer_id: Some(other_lecturer),
                ..CoursewareFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(none, 0);
    let (_, by_state) = store
        .search_courseware(
            &CoursewareFilter {
                state: Some("published".into()),
                ..CoursewareFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(by_state, 0);
    let (lecturers, topics) = store.courseware_facets().await.unwrap();
    assert!(lecturers.contains(&"王老师".to_owned()) && topics.contains(&"理论".to_owned()));

    // Review gates: a step applies only from the state it was decided in.
    assert!(
        store
            .review_courseware(cw, "proofread", "draft", "proofread", "", lecturer, t0 + 3)
            .await
            .unwrap()
    );
    assert!(
        !store
            .review_courseware(cw, "proofread", "draft", "proofread", "", lecturer, t0 + 4)
            .await
            .unwrap(),
        "a second, stale decision changes nothing"
    );
    store
        .review_courseware(
            cw,
            "send_back",
            "proofread",
            "draft",
            "字幕有误",
            organizer,
            t0 + 5,
        )
        .await
        .unwrap();
    let history = store.review_history(cw).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].comment, "字幕有误");
    assert_eq!(history[1].to_state, "draft");
    // Fixed, and through the gates again: only approved courseware reaches learners.
    through_the_gates_again(store, cw, organizer, t0 + 6).await;

    // A class, its lessons, enrolment.
    let class = store
        .create_class(
            &NewClass {
                title: "示范班".into(),
                state: "published".into(),
                idle_prompt_ms: 60_000,
                max_rate_milli: 1500,
                intro_media_id: None,
                outro_media_id: None,
            },
            organizer,
            t0,
        )
        .await
        .unwrap();
    store.add_class_courseware(class, cw).await.unwrap();
    assert!(
        store.add_class_courseware(class, cw).await.is_err(),
        "once per class"
    );
    store.enrol(class, &[learner, learner], t0).await.unwrap();
    assert!(store.is_enrolled(class, learner).await.unwrap());
    assert!(!store.is_enrolled(class, outsider).await.unwrap());
    assert_eq!(store.class_lessons(class).await.unwrap(), vec![cw]);
    assert_eq!(store.classes_with_courseware(cw).await.unwrap().len(), 1);
    let rules = store.class_rules(class).await.unwrap();
    assert_eq!((rules.idle_prompt_ms, rules.max_rate_milli), (60_000, 1500));

    // Who may fetch a file.
    let fetch = |user, roles: Vec<Role>, id| {
        let store = store.clone();
        async move { store.may_fetch_media(user, &roles, id).await.unwrap() }
    };
    assert!(
        fetch(learner, vec![Role::Learner], video_id).await,
        "enrolled"
    );
    assert!(
        fetch(learner, vec![Role::Learner], slide_id).await,
        "its slides too"
    );
    assert!(
        !fetch(outsider, vec![Role::Learner], video_id).await,
        "not enrolled"
    );
    assert!(
        !fetch(learner, vec![Role::Learner], stray_id).await,
        "not in the class"
    );
    assert!(
        fetch(lecturer, vec![Role::Lecturer], video_id).await,
        "its lecturer"
    );
    assert!(
        fetch(other_lecturer, vec![Role::Lecturer], stray_id).await,
        "own upload"
    );
    assert!(
        !fetch(other_lecturer, vec![Role::Lecturer], video_id).await,
        "another's"
    );
    assert!(
        fetch(organizer, vec![Role::Organizer], stray_id).await,
        "staff"
    );

    // Heartbeats.
    let base = StudyRules::default();
    let stream = store
        .open_stream(learner, class, cw, 0, "测试手机", t0)
        .await
        .unwrap();
    let job = |stream_id, beats: Vec<Heartbeat>, at| HeartbeatJob {
        user: learner,
        slide_session: None,
        stream_id,
        beats,
        received_at: at,
        leaving: false,
    };
    let results = store
        .apply_heartbeats(&base, &[job(stream, vec![beat(1, 0)], t0 + 100)])
        .await
        .unwrap();
    let first = results.into_iter().next().unwrap().unwrap();
    assert_eq!((first.last_seq, first.credited_now_ms), (1, 0));
    assert!(!first.other_stream_active);
    // 15 s later, 15 s further: credited; the same batch again: not twice.
    // The batch also slides the sender's session, in the same commit.
    store
        .create_session(
            "cw-hash",
            learner,
            t0 - 100_000,
            t0 + 3_600_000,
            None,
            SessionLink::default(),
        )
        .await
        .unwrap();
    let idle = 30 * 60_000;
    let (_, _, stale) = store
        .session_account("cw-hash", t0 + 15_100, idle)
        .await
        .unwrap()
        .unwrap();
    assert!(stale, "unused for almost two minutes: due to slide");
    let mut second = job(stream, vec![beat(2, 15_000)], t0 + 15_100);
    second.slide_session = Some("cw-hash".into());
    let applied = store
        .apply_heartbeats(&base, std::slice::from_ref(&second))
        .await
        .unwrap();
    let applied = applied.into_iter().next().unwrap().unwrap();
    assert_eq!(applied.credited_now_ms, 15_000);
    let (_, _, stale) = store
        .session_account("cw-hash", t0 + 16_000, idle)
        .await
        .unwrap()
        .unwrap();
    assert!(!stale, "slid by the heartbeat batch");
    let replay = store
        .apply_heartbeats(&base, &[job(stream, vec![beat(2, 15_000)], t0 + 15_200)])
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(replay.credited_now_ms, 0, "exactly once");
    assert_eq!(replay.lesson_credited_ms, 15_000);
    // Someone else's stream id: not found, and nothing changes.
    let stolen = store
        .apply_heartbeats(
            &base,
            &[HeartbeatJob {
                user: outsider,
                slide_session: None,
                stream_id: stream,
                beats: vec![beat(3, 30_000)],
                received_at: t0 + 30_000,
                leaving: false,
            }],
        )
        .await
        .unwrap();
    assert!(matches!(stolen[0], Err(DbError::NotFound)));

    // A second tab gets no credit while the first is alive; the position is kept.
    let tab = store
        .open_stream(learner, class, cw, 15_000, "电脑", t0 + 16_000)
        .await
        .unwrap();
    let results = store
        .apply_heartbeats(
            &base,
            &[
                job(tab, vec![beat(1, 15_000)], t0 + 16_000),
                job(tab, vec![beat(2, 30_000)], t0 + 31_000),
            ],
        )
        .await
        .unwrap();
    for result in &results {
        let result = result.as_ref().unwrap();
        assert!(result.other_stream_active);
        assert_eq!(result.credited_now_ms, 0);
    }
    let progress = store
        .lesson_progress(learner, class, cw)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        progress.position_ms, 30_000,
        "playback memory follows any tab"
    );
    assert_eq!(progress.credited_ms, 15_000);
    // The first tab goes silent past the lease: the second takes over.
    let later = t0 + 31_000 + base.stream_lease_ms + 1;
    let taken = store
        .apply_heartbeats(&base, &[job(tab, vec![beat(3, 30_000)], later)])
        .await
        .unwrap();
    assert!(!taken[0].as_ref().unwrap().other_stream_active);
    // A page that is left gives the lease up at once: the learner's other
    // page (or next lesson) is credited again without waiting for it to lapse.
    let left = store
        .apply_heartbeats(
            &base,
            &[HeartbeatJob {
                leaving: true,
                ..job(tab, vec![beat(4, 30_000)], later + 1_000)
            }],
        )
        .await
        .unwrap();
    assert!(!left[0].as_ref().unwrap().other_stream_active);
    // A request of that page that raced its leaving one (nothing new in it)
    // does not take the lease back.
    let retry = store
        .apply_heartbeats(&base, &[job(tab, vec![beat(4, 30_000)], later + 1_500)])
        .await
        .unwrap();
    assert!(retry[0].as_ref().unwrap().other_stream_active);
    let back = store
        .apply_heartbeats(&base, &[job(stream, vec![beat(3, 15_000)], later + 2_000)])
        .await
        .unwrap();
    assert!(
        !back[0].as_ref().unwrap().other_stream_active,
        "the lease was free again"
    );
    store
        .apply_heartbeats(
            &base,
            &[HeartbeatJob {
                leaving: true,
                ..job(stream, vec![beat(4, 15_000)], later + 2_500)
            }],
        )
        .await
        .unwrap();

    // Idle prompt events belong to the stream's learner only.
    store
        .record_study_event(learner, stream, "idle_prompt_shown", 15_000, t0 + 40_000)
        .await
        .unwrap();
    assert!(matches!(
        store
            .record_study_event(outsider, stream, "idle_prompt_shown", 0, t0)
            .await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        store.study_events(stream).await.unwrap(),
        vec![("idle_prompt_shown".to_owned(), 15_000)]
    );

    // Watching the rest honestly completes the lesson (600 s at 1x, max 1.5x).
    let mut now = later + 2_500;
    let mut position = 30_000;
    let mut seq = 4;
    while position < 600_000 {
        now += 15_000;
        position += 15_000;
        seq += 1;
        store
            .apply_heartbeats(&base, &[job(tab, vec![beat(seq, position)], now)])
            .await
            .unwrap();
    }
    let progress = store
        .lesson_progress(learner, class, cw)
        .await
        .unwrap()
        .unwrap();
    assert!(progress.completed_at.is_some(), "{progress:?}");
    assert!(progress.credited_ms <= now - t0);
    let lessons = store.lessons_of(learner).await.unwrap();
    assert_eq!(lessons.len(), 1);
    assert!(lessons[0].completed);
    assert_eq!(
        lessons[0].watched_ms,
        600_000 - 15_000,
        "0–15 s by the first tab, 30–600 s by the second"
    );

    // Sent back for revision, its media is no longer served to learners.
    assert!(
        store
            .review_courseware(cw, "send_back", "approved", "draft", "再改", organizer, now)
            .await
            .unwrap()
    );
    assert!(!fetch(learner, vec![Role::Learner], video_id).await);
    assert!(
        fetch(lecturer, vec![Role::Lecturer], video_id).await,
        "its lecturer still"
    );
    through_the_gates_again(store, cw, organizer, now).await;
    assert!(fetch(learner, vec![Role::Learner], video_id).await);

    // One clock for all of a learner's pages, and only three live ones.
    let before = progress.credited_ms;
    let mut pages = Vec::new();
    for i in 0..4 {
        pages.push(
            store
                .open_stream(learner, class, cw, 0, "脚本", now + 1_000 + i)
                .await
                .unwrap(),
        );
    }
    let oldest = store
        .apply_heartbeats(&base, &[job(pages[0], vec![beat(1, 15_000)], now + 2_000)])
        .await
        .unwrap();
    let oldest = oldest[0].as_ref().unwrap();
    assert!(oldest.stream_closed, "the fourth page closed the oldest");
    assert_eq!((oldest.last_seq, oldest.credited_now_ms), (0, 0));
    let tab_again = store
        .apply_heartbeats(&base, &[job(tab, vec![beat(seq + 1, 0)], now + 2_000)])
        .await
        .unwrap();
    assert!(tab_again[0].as_ref().unwrap().stream_closed);
    // The three live pages stay silent for a minute, then each replays a
    // queue claiming that minute and leaves (freeing the lease for the next).
    let queue: Vec<Heartbeat> = (1..=4).map(|i| beat(i, i * 15_000)).collect();
    let mut gained = 0;
    for (i, page) in pages[1..].iter().enumerate() {
        let replies = store
            .apply_heartbeats(
                &base,
                &[HeartbeatJob {
                    leaving: true,
                    ..job(*page, queue.clone(), now + 62_000 + i as i64)
                }],
            )
            .await
            .unwrap();
        let reply = replies[0].as_ref().unwrap();
        assert!(!reply.stream_closed);
        gained += reply.credited_now_ms;
    }
    assert!(
        (59_000..=61_000).contains(&gained),
        "three pages earn one minute in a minute: {gained}"
    );
    let progress = store
        .lesson_progress(learner, class, cw)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(progress.credited_ms, before + gained);

    // A closed class earns nothing more; the position is still kept.
    assert!(
        store
            .set_class_state(class, "published", "closed", now + 70_000)
            .await
            .unwrap()
    );
    let last = store
        .open_stream(learner, class, cw, 0, "手机", now + 70_000)
        .await
        .unwrap();
    store
        .apply_heartbeats(&base, &[job(last, vec![beat(1, 0)], now + 70_001)])
        .await
        .unwrap();
    let closed = store
        .apply_heartbeats(&base, &[job(last, vec![beat(2, 15_000)], now + 85_000)])
        .await
        .unwrap();
    let closed = closed[0].as_ref().unwrap();
    assert_eq!(closed.credited_now_ms, 0);
    assert_eq!(closed.last_reason.as_deref(), Some("ClassClosed"));
    let progress = store
        .lesson_progress(learner, class, cw)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(progress.credited_ms, before + gained);
    assert_eq!(progress.position_ms, 15_000);
}

fn single(stem: &str, right: u8, topic: &str) -> academy_shared::exam::Question {
    academy_shared::exam::Question {
        name: String::new(),
        kind: academy_shared::exam::QuestionKind::Single,
        stem: stem.into(),
        options: vec!["甲".into(), "乙".into(), "丙".into(), "丁".into()],
        answer: academy_shared::exam::Answer::Choice(vec![right]),
        explanation: format!("解析：{stem}"),
        points: 5,
        difficulty: 3,
        topic: topic.into(),
        lecturer: String::new(),
        source: String::new(),
        ignore_punctuation: false,
    }
}

/// Banks, invites with quotas, versioned questions, the sampler's pool, an
/// attempt's life (saves only while open and in time, one grade however
/// often it is closed), and that editing a question changes no paper drawn.
async fn exam_story(store: &Store) {
    use academy_shared::exam::blueprint::Blueprint;
    use academy_shared::exam::{MultiplePolicy, Response};
    use academy_shared::ids::{AttemptId, QuestionVersionId};
    use app::store::{CloseOutcome, ExamWrite, ExamWritten, NewAttempt, NewItem, QuestionFilter};
    let county = store
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code == "520602")
        .unwrap();
    let ids = store
        .create_users(&[
            user(
                "ex_organizer",
                "15755600001",
                &county.code,
                vec![Role::Organizer],
            ),
            user(
                "ex_lecturer",
                "15755600002",
                &county.code,
                vec![Role::Lecturer],
            ),
            user(
                "ex_learner",
                "15755600003",
                &county.code,
                vec![Role::Learner],
            ),
        ])
        .await
        .unwrap();
    let (organizer, lecturer, learner) = (ids[0], ids[1], ids[2]);
    let now = 1_800_000_000_000;

    let bank = store
        .create_bank("结业题库 <b>", "说明", organizer, now)
        .await
        .unwrap();
    assert_eq!(store.bank(bank).await.unwrap().title, "结业题库 <b>");
    assert!(store.banks(Some(lecturer)).await.unwrap().is_empty());
    store
        .invite_lecturer(bank, lecturer, 2, organizer, now)
        .await
        .unwrap();
    assert_eq!(store.banks(Some(lecturer)).await.unwrap().len(), 1);
    assert_eq!(store.invite_quota(bank, lecturer).await.unwrap(), Some(2));

    // A lecturer's quota holds inside the transaction: three at once is refused whole.
    let three: Vec<_> = (0..3)
        .map(|i| (single(&format!("讲师题{i}"), 0, "党史"), vec![]))
        .collect();
    assert!(matches!(
        store
            .insert_questions(bank, &three, lecturer, Some(2), now)
            .await,
        Err(DbError::Conflict(Conflict::Quota))
    ));
    assert_eq!(store.bank(bank).await.unwrap().question_count, 0);
    store
        .insert_questions(bank, &three[..2], lecturer, Some(2), now)
        .await
        .unwrap();
    assert!(
        store
            .insert_questions(bank, &three[2..], lecturer, Some(2), now)
            .await
            .is_err()
    );
    let invites = store.bank_invites(bank).await.unwrap();
    assert_eq!((invites[0].quota, invites[0].contributed), (2, 2));

    // The organizer fills the bank: 12 questions on two topics, tagged.
    let many: Vec<_> = (0..12)
        .map(|i| {
            (
                single(
                    &format!("题目{i}"),
                    (i % 4) as u8,
                    if i < 6 { "党史" } else { "党章" },
                ),
                vec!["班前".to_owned(), " ".to_owned()],
            )
        })
        .collect();
    let question_ids = store
        .insert_questions(bank, &many, organizer, None, now)
        .await
        .unwrap();
    let (rows, total) = store
        .questions(
            bank,
            &QuestionFilter {
                topic: Some("党章".into()),
                tag: Some("班前".into()),
                ..QuestionFilter::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
    assert_eq!((rows.len(), total), (6, 6));
    assert_eq!(rows[0].tags, vec!["班前".to_owned()]);
    let (mine, _) = store
        .questions(
            bank,
            &QuestionFilter {
                author: Some(lecturer),
                ..QuestionFilter::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
    assert_eq!(mine.len(), 2, "a lecturer's filter shows only their own");
    let (found, _) = store
        .questions(
            bank,
            &QuestionFilter {
                text: Some("题目1".into()),
                ..QuestionFilter::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 3, "题目1, 题目10, 题目11");

    // Bulk tag and archive; archived questions leave the pool.
    assert_eq!(
        store
            .tag_questions(bank, &question_ids[..3], "重点", true)
            .await
            .unwrap(),
        3
    );
    let (_, _, tags) = store.question_facets(bank).await.unwrap();
    assert_eq!(tags, vec!["班前".to_owned(), "重点".to_owned()]);
    assert_eq!(
        store
            .set_questions_archived(bank, &question_ids[10..], true, now)
            .await
            .unwrap(),
        2
    );
    let pool = store.question_pool(&[bank]).await.unwrap();
    assert_eq!(pool.len(), 12, "2 of the lecturer's + 10 not archived");
    assert!(pool.iter().all(|p| p.candidate.options == 4));

    // An attempt fixes versions; the store grades with them.
    let plan = Blueprint::seed_paper(bank);
    let blueprint = store
        .create_blueprint("方案", &plan, organizer, now)
        .await
        .unwrap();
    assert_eq!(store.blueprint(blueprint).await.unwrap().body, plan);
    assert_eq!(
        store.blueprint_seed(blueprint, learner).await.unwrap(),
        None,
        "no seed before the first start"
    );
    let seed = u64::MAX - 7;
    let exam = store
        .create_exam("结业考试", blueprint, "A", None, organizer, now)
        .await
        .unwrap();
    store.set_exam_state(exam, "open", now).await.unwrap();
    assert_eq!(store.exam(exam).await.unwrap().state, "open");
    let first = pool
        .iter()
        .find(|p| p.candidate.id == question_ids[0])
        .unwrap()
        .clone();
    let second = pool
        .iter()
        .find(|p| p.candidate.id == question_ids[1])
        .unwrap()
        .clone();
    let attempt = NewAttempt {
        exam,
        user: learner,
        number: 1,
        seed,
        new_seed: Some((blueprint, seed)),
        form: "A".into(),
        policy: MultiplePolicy::AllOrNothing,
        max_score: 1000,
        pass_mark: 600,
        started_at: now,
        deadline_at: now + 60_000,
    };
    let items = vec![
        NewItem {
            question: first.candidate.id,
            version: first.version,
            section: 0,
            points: 500,
            option_order: vec![3, 1, 0, 2],
        },
        NewItem {
            question: second.candidate.id,
            version: second.version,
            section: 0,
            points: 500,
            option_order: vec![0, 1, 2, 3],
        },
    ];
    let id = store.insert_attempt(&attempt, &items).await.unwrap();
    assert_eq!(
        store.blueprint_seed(blueprint, learner).await.unwrap(),
        Some(seed),
        "the first start records the seed, all 64 bits of it"
    );
    // The same attempt again (a double tap), seed already known.
    let again = NewAttempt {
        new_seed: None,
        ..attempt.clone()
    };
    assert!(matches!(
        store.insert_attempt(&again, &items).await,
        Err(DbError::Conflict(Conflict::AttemptNumber))
    ));
    // A second start that also believed it was first (the other form's exam,
    // at the same moment) is refused whole: its attempt is not written.
    let racing = NewAttempt {
        number: 2,
        seed: 1,
        new_seed: Some((blueprint, 1)),
        ..attempt.clone()
    };
    assert!(matches!(
        store.insert_attempt(&racing, &items).await,
        Err(DbError::Conflict(Conflict::Seed))
    ));
    assert_eq!(
        store.blueprint_seed(blueprint, learner).await.unwrap(),
        Some(seed),
        "the first seed stays"
    );
    assert_eq!(store.attempts_of(exam, learner).await.unwrap().len(), 1);
    let stored = store.attempt_items(id).await.unwrap();
    assert_eq!(stored[0].option_order, vec![3, 1, 0, 2]);
    assert_eq!(stored[0].response, None);

    // Question 0's answer is option 0; an edit makes it option 1 — the drawn
    // paper keeps version 1 and is graded by it.
    let mut edited = store.question(question_ids[0]).await.unwrap();
    assert_eq!(edited.version, 1);
    edited.body.answer = academy_shared::exam::Answer::Choice(vec![1]);
    assert_eq!(
        store
            .update_question(question_ids[0], &edited.body, &[], 1, organizer, now + 1)
            .await
            .unwrap(),
        2
    );
    assert!(matches!(
        store
            .update_question(question_ids[0], &edited.body, &[], 1, organizer, now + 2)
            .await,
        Err(DbError::Conflict(Conflict::Version))
    ));
    let history = store.question_history(question_ids[0]).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].version, 2);
    assert_eq!(
        history[1].body.answer,
        academy_shared::exam::Answer::Choice(vec![0])
    );

    assert!(
        store
            .save_responses(
                id,
                &[
                    (0, Some(Response::Choice(vec![0]))),
                    (1, Some(Response::Choice(vec![3])))
                ],
                now + 10_000
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .save_responses(id, &[(1, Some(Response::Choice(vec![1])))], now + 60_001)
            .await
            .unwrap(),
        "late saves are refused"
    );
    // The exam writer's group: one transaction, each job answering for
    // itself; a refused or failing job writes nothing, the others land.
    let broken_start = NewAttempt {
        number: 3,
        new_seed: None,
        ..attempt.clone()
    };
    let broken_items = vec![NewItem {
        version: QuestionVersionId(i64::MAX),
        ..items[0].clone()
    }];
    let results = store
        .apply_exam_writes(&[
            ExamWrite::Save {
                attempt: id,
                answers: vec![(1, Some(Response::Choice(vec![3])))],
                now: now + 20_000,
            },
            ExamWrite::Save {
                attempt: id,
                answers: vec![(0, None)],
                now: now + 60_001,
            },
            ExamWrite::Start {
                attempt: again.clone(),
                items: items.clone(),
            },
            ExamWrite::Start {
                attempt: broken_start,
                items: broken_items,
            },
            ExamWrite::Save {
                attempt: AttemptId(i64::MAX),
                answers: vec![(0, None)],
                now,
            },
        ])
        .await
        .unwrap();
    assert!(matches!(results[0], Ok(ExamWritten::Saved(true))));
    assert!(matches!(results[1], Ok(ExamWritten::Saved(false))), "late");
    assert!(matches!(results[2], Ok(ExamWritten::NumberTaken)));
    assert!(
        matches!(results[3], Err(DbError::Conflict(_))),
        "an item of a version that does not exist: {:?}",
        results[3]
    );
    assert!(matches!(results[4], Ok(ExamWritten::Saved(false))));
    assert_eq!(
        store.attempts_of(exam, learner).await.unwrap().len(),
        1,
        "the failed start left no attempt row behind"
    );
    let saved = store.attempt_items(id).await.unwrap();
    assert_eq!(saved[0].response, Some(Response::Choice(vec![0])));
    assert_eq!(saved[1].saved_at, Some(now + 20_000));
    assert_eq!(
        store.overdue_attempts(now + 60_001, 10).await.unwrap(),
        vec![id]
    );
    assert_eq!(
        store
            .close_attempt(id, "deadline", now + 61_000)
            .await
            .unwrap(),
        CloseOutcome::Graded {
            score: 500,
            passed: false
        },
        "graded by version 1 (option 0 right) with what was saved in time"
    );
    assert_eq!(
        store
            .close_attempt(id, "learner", now + 62_000)
            .await
            .unwrap(),
        CloseOutcome::AlreadyClosed
    );
    assert!(
        !store
            .save_responses(id, &[(1, Some(Response::Choice(vec![1])))], now + 30_000)
            .await
            .unwrap(),
        "a closed attempt takes no answers, whatever the clock says"
    );
    let record = store.attempt(id).await.unwrap();
    assert_eq!(record.closed_by.as_deref(), Some("deadline"));
    assert_eq!((record.score, record.passed), (Some(500), Some(false)));
    assert!(
        store
            .overdue_attempts(now + 100_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let graded = store.graded_attempts(exam).await.unwrap();
    assert_eq!(graded.len(), 1);
    assert_eq!(
        graded[0].items,
        vec![(question_ids[0], 500, 500), (question_ids[1], 0, 500)]
    );
}

/// A class's life: edits (stale ones refused), lessons, states with its
/// exams following, enrolment and reporting in, check-ins, the survey (fixed
/// once answered, responses only while open), certificates (one valid per
/// learner, found by code, revoked), and the figures as of a moment.
async fn class_story(store: &Store) {
    use academy_shared::journey::{CompletionRule, Gating};
    use academy_shared::survey::{Answer, default_template};
    use app::store::ClassEdit;
    use std::collections::BTreeMap;
    let county = store
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code == "520602")
        .unwrap();
    let ids = store
        .create_users(&[
            user(
                "cl_organizer",
                "15755700001",
                &county.code,
                vec![Role::Organizer],
            ),
            user("cl_anne", "15755700002", &county.code, vec![Role::Learner]),
            user("cl_bob", "15755700003", &county.code, vec![Role::Learner]),
        ])
        .await
        .unwrap();
    let (organizer, anne, bob) = (ids[0], ids[1], ids[2]);
    let now = 1_800_000_000_000;
    let edit = ClassEdit {
        title: "测试培训班 <i>".into(),
        description: "说明".into(),
        starts_on: Some(20_000),
        ends_on: Some(20_030),
        idle_prompt_ms: 10_000,
        max_rate_milli: 1500,
        gating: Gating::default(),
        completion: CompletionRule {
            min_credited_minutes: Some(5),
            ..CompletionRule::default()
        },
        issuer: "组织部".into(),
    };
    let class_id = store.insert_class(&edit, organizer, now).await.unwrap();
    let class = store.class(class_id).await.unwrap();
    assert_eq!(class.state, "draft");
    assert_eq!(class.title, "测试培训班 <i>");
    assert_eq!(class.completion.min_credited_minutes, Some(5));
    assert_eq!(class.updated_at, now);
    let renamed = ClassEdit {
        title: "测试培训班".into(),
        ..edit.clone()
    };
    store
        .update_class(class_id, &renamed, now, now + 1)
        .await
        .unwrap();
    assert!(
        matches!(
            store.update_class(class_id, &edit, now, now + 2).await,
            Err(DbError::Conflict(Conflict::ClassChanged))
        ),
        "a save over a newer version is refused"
    );
    assert!(matches!(
        store.update_class(i64::MAX, &edit, 0, now).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(store.class(class_id).await.unwrap().title, "测试培训班");
    assert!(store.classes_of(anne).await.unwrap().is_empty());

    // Enrolment (again is fine), reporting in once, unenrolling only before.
    assert_eq!(
        store
            .enrol_by(class_id, &[anne, bob, anne], organizer, now)
            .await
            .unwrap(),
        2
    );
    assert!(
        store.classes_of(anne).await.unwrap().is_empty(),
        "drafts are not shown to learners"
    );
    assert!(store.report_in(class_id, anne, now + 5).await.unwrap());
    assert!(!store.report_in(class_id, anne, now + 6).await.unwrap());
    assert!(!store.unenrol(class_id, anne).await.unwrap());
    assert!(store.unenrol(class_id, bob).await.unwrap());
    store
        .enrol_by(class_id, &[bob], organizer, now)
        .await
        .unwrap();
    let roster = store.enrolled(class_id).await.unwrap();
    assert_eq!(roster.len(), 2);
    assert_eq!(
        roster.iter().find(|e| e.user == anne).unwrap().reported_at,
        Some(now + 5)
    );
    assert!(store.learners_in_regions(&[county.id]).await.unwrap().len() >= 2);

    // States: publishing opens the class's exams, closing closes them.
    assert!(
        store
            .set_class_state(class_id, "draft", "published", now + 10)
            .await
            .unwrap()
    );
    assert!(
        !store
            .set_class_state(class_id, "draft", "published", now + 11)
            .await
            .unwrap(),
        "a state change from a state the class has left does nothing"
    );
    assert_eq!(store.classes_of(anne).await.unwrap().len(), 1);
    assert_eq!(
        store.class(class_id).await.unwrap().published_at,
        Some(now + 10)
    );

    // Check-ins: once a day.
    assert!(store.check_in(class_id, anne, 20_001, now).await.unwrap());
    assert!(
        !store
            .check_in(class_id, anne, 20_001, now + 1)
            .await
            .unwrap()
    );
    assert!(store.check_in(class_id, anne, 20_002, now).await.unwrap());
    assert_eq!(
        store.checkin_days(class_id, anne).await.unwrap(),
        vec![20_001, 20_002]
    );
    assert_eq!(store.checkins_on(class_id, 20_002).await.unwrap().len(), 1);

    // The survey, then a response; after that the survey is fixed.
    let survey = default_template();
    store
        .set_class_survey(class_id, Some(&survey), now)
        .await
        .unwrap();
    assert_eq!(
        store.class_survey(class_id).await.unwrap(),
        Some(survey.clone())
    );
    let mut answers = BTreeMap::new();
    answers.insert("satisfaction".to_owned(), Answer::Choice(0));
    answers.insert("q22".to_owned(), Answer::Text("意见 <script>".into()));
    assert!(
        store
            .save_survey_response(class_id, anne, &answers, now + 20)
            .await
            .unwrap()
    );
    let outsider = ids[0];
    assert!(
        !store
            .save_survey_response(class_id, outsider, &answers, now + 20)
            .await
            .unwrap(),
        "only enrolled learners answer"
    );
    assert_eq!(
        store.survey_response(class_id, anne).await.unwrap(),
        Some((answers.clone(), now + 20))
    );
    assert!(matches!(
        store.set_class_survey(class_id, None, now).await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(store.survey_responses(class_id).await.unwrap().len(), 1);

    // Certificates: one valid per learner and class; found by code; revoked.
    let first = store
        .issue_certificate(
            class_id,
            anne,
            "安妮",
            3_600_000,
            |n| format!("2027-TEST-{n:05}"),
            "CODE1",
            None,
            now + 30,
        )
        .await
        .unwrap();
    assert_eq!(first.serial, "2027-TEST-00001");
    assert_eq!(first.class_title, "测试培训班");
    assert!(matches!(
        store
            .issue_certificate(
                class_id,
                anne,
                "安妮",
                1,
                |n| format!("2027-TEST-{n:05}"),
                "CODE2",
                None,
                now + 31,
            )
            .await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(
        store.certificate_by_code("CODE1").await.unwrap().id,
        first.id
    );
    assert!(matches!(
        store.certificate_by_code("NOPE").await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        store
            .learner_facts(class_id, anne)
            .await
            .unwrap()
            .certificate,
        Some(first.id)
    );

    // The figures as of a moment: later events are not counted yet.
    let before = store
        .class_figures(class_id, 20_002, now + 25)
        .await
        .unwrap();
    let anne_row = before.iter().find(|r| r.user == anne).unwrap().row;
    assert!(anne_row.reported && anne_row.checked_in && anne_row.survey_done);
    assert_eq!(anne_row.satisfied, Some(true));
    assert!(!anne_row.certified, "issued after that moment");
    let after = store
        .class_figures(class_id, 20_002, now + 40)
        .await
        .unwrap();
    assert!(after.iter().find(|r| r.user == anne).unwrap().row.certified);
    assert!(!after.iter().find(|r| r.user == bob).unwrap().row.reported);

    assert!(
        store
            .revoke_certificate(first.id, organizer, "更正姓名", now + 50)
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_certificate(first.id, organizer, "again", now + 51)
            .await
            .unwrap()
    );
    // Revoked stays revoked: the automatic issue (on the next class-home
    // load or survey) is refused; only an organizer's re-issue makes one.
    assert!(matches!(
        store
            .issue_certificate(
                class_id,
                anne,
                "安妮娜",
                3_600_000,
                |n| format!("2027-TEST-{n:05}"),
                "CODE-AUTO",
                None,
                now + 51,
            )
            .await,
        Err(DbError::Conflict(_))
    ));
    let second = store
        .issue_certificate(
            class_id,
            anne,
            "安妮娜",
            3_600_000,
            |n| format!("2027-TEST-{n:05}"),
            "CODE3",
            Some(organizer),
            now + 52,
        )
        .await
        .unwrap();
    assert_eq!(second.serial, "2027-TEST-00002");
    assert_eq!(
        store
            .certificates_of(anne, Some(class_id))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(store.certificates_of(anne, None).await.unwrap().len(), 2);

    // Closing: read-only from then on.
    assert!(
        store
            .set_class_state(class_id, "published", "closed", now + 60)
            .await
            .unwrap()
    );
    assert!(matches!(
        store
            .update_class(
                class_id,
                &edit,
                store.class(class_id).await.unwrap().updated_at,
                now + 61
            )
            .await,
        Err(DbError::Conflict(_))
    ));
    assert!(matches!(
        store.set_class_courseware(class_id, &[]).await,
        Err(DbError::Conflict(_))
    ));
    assert!(
        !store
            .save_survey_response(class_id, anne, &answers, now + 62)
            .await
            .unwrap(),
        "a closed class takes no more responses"
    );
}
