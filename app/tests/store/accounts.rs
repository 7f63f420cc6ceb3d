//! Accounts: the seed loaded once, sessions, failed sign-ins, and the
//! accounts' own story (activation, devices, approvals, rebinding, search,
//! SMS codes and the audit log).

use crate::{region, seed, seed_regions, seed_users, user};
use academy_shared::ids::RegionId;
use academy_shared::region::RegionLevel;
use academy_shared::role::Role;
use app::store::{
    Activation, AuditEntry, AuditFilter, Conflict, DbError, SessionLink, Store, UserFilter,
};

/// What the foundation promises when a deployment starts: migrations applied
/// (twice is harmless), the seed loaded once, and imports that are all or
/// nothing.
async fn the_seed_loads_once_and_all_or_nothing(store: &Store) {
    // Migrations are applied at start, and starting twice is harmless.
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    assert_eq!(store.count_users().await.unwrap(), 0);

    let tree = seed_regions();
    let users = seed_users();
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
}

on_both_backends!(the_seed_loads_once_and_all_or_nothing);

async fn sessions_end_when_idle_expired_or_deleted(store: &Store) {
    seed(store).await;
    let liaison = store.user_by_username("liaison01").await.unwrap();
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
}

on_both_backends!(sessions_end_when_idle_expired_or_deleted);

async fn failed_sign_ins_are_counted_by_name_and_address(store: &Store) {
    seed(store).await;
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
}

on_both_backends!(failed_sign_ins_are_counted_by_name_and_address);

/// Accounts, devices, approvals, rebinding, SMS codes and the audit log.
async fn accounts_devices_sms_and_the_audit_log(store: &Store) {
    seed(store).await;
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

on_both_backends!(accounts_devices_sms_and_the_audit_log);
