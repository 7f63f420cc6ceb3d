//! Every page the app declares, opened by every persona: no server error,
//! nothing of the owner's record for those not entitled to it, and nothing
//! written to the database (a page GET has no side effects; reporting in,
//! claiming a certificate and marking read are POSTs).

use crate::fixture::Fixture;
use crate::{EVERYONE, P, clip, leaked_in};
use sqlx::{Row as _, ValueRef};
use std::collections::BTreeMap;

pub async fn check(fx: &mut Fixture) -> Vec<String> {
    let ids = Ids::look_up(fx).await;
    let mut failures = Vec::new();
    let before = fingerprint(fx).await;
    for listing in leptos_axum::generate_route_list(app::app::App) {
        let route = listing.path().to_owned();
        let Some(path) = ids.concrete(&route) else {
            failures.push(format!("the page {route} has no row in pages.rs"));
            continue;
        };
        for who in EVERYONE {
            let (status, body) = fx.get(who, &path).await;
            let body = String::from_utf8_lossy(&body).into_owned();
            // The verification page shows a certificate's holder to anyone
            // holding its code: that is what it is for.
            let public = route.starts_with("/verify/");
            // Signed out: 401; not theirs: 403 or 404; a page that cannot
            // show this person anything (not in a group yet): 400; never a
            // server error. (Whether a refusal's status or 200 reaches the
            // client depends on whether the data came before the headers
            // were sent: the body is what the leak check reads.)
            if !matches!(status, 200 | 400 | 401 | 403 | 404)
                || (who != P::Anonymous && status == 401)
            {
                failures.push(format!("page {path} by {who:?}: {status}: {}", clip(&body)));
            }
            if !public && let Some(trace) = leaked_in(fx, who, &body) {
                failures.push(format!(
                    "page {path} by {who:?} shows the owner's {trace:?}"
                ));
            }
        }
    }
    let after = fingerprint(fx).await;
    for (table, digest) in &before {
        if after.get(table) != Some(digest) {
            failures.push(format!("opening pages changed the table {table}"));
        }
    }
    failures
}

/// The demo's objects a page path can name, the owner's where there is one.
struct Ids {
    values: BTreeMap<&'static str, String>,
}

impl Ids {
    async fn look_up(fx: &Fixture) -> Ids {
        let owner = fx.owner.id.0;
        let class = fx.class;
        let mut values = BTreeMap::new();
        values.insert("class", class.to_string());
        values.insert(
            "group",
            fx.id(&format!(
                "SELECT g.id FROM study_groups g JOIN group_members m ON m.group_id = g.id \
                 WHERE g.class_id = {class} AND m.user_id = {owner}"
            ))
            .await
            .to_string(),
        );
        values.insert(
            "certificate",
            fx.id(&format!(
                "SELECT id FROM certificates WHERE user_id = {owner} ORDER BY id LIMIT 1"
            ))
            .await
            .to_string(),
        );
        values.insert(
            "code",
            fx.text(&format!(
                "SELECT code FROM certificates WHERE user_id = {owner} ORDER BY id LIMIT 1"
            ))
            .await,
        );
        values.insert(
            "courseware",
            fx.id(&format!(
                "SELECT courseware_id FROM class_courseware WHERE class_id = {class} \
                 ORDER BY position LIMIT 1"
            ))
            .await
            .to_string(),
        );
        values.insert(
            "attempt",
            fx.id(&format!(
                "SELECT id FROM attempts WHERE user_id = {owner} ORDER BY id LIMIT 1"
            ))
            .await
            .to_string(),
        );
        values.insert(
            "exam",
            fx.id("SELECT id FROM exams ORDER BY id LIMIT 1")
                .await
                .to_string(),
        );
        values.insert(
            "bank",
            fx.id("SELECT id FROM question_banks ORDER BY id LIMIT 1")
                .await
                .to_string(),
        );
        values.insert(
            "question",
            fx.id("SELECT id FROM questions ORDER BY id LIMIT 1")
                .await
                .to_string(),
        );
        values.insert(
            "blueprint",
            fx.id("SELECT id FROM blueprints ORDER BY id LIMIT 1")
                .await
                .to_string(),
        );
        values.insert("user", owner.to_string());
        Ids { values }
    }

    /// The route with its parameters filled in, or `None` for a route this
    /// table does not know (the test then fails: add it).
    fn concrete(&self, route: &str) -> Option<String> {
        let v = |key: &str| self.values[key].clone();
        if !route.contains('{') {
            return Some(route.to_owned());
        }
        let path = match route {
            "/classes/{id}/summaries/print" => {
                format!("/classes/{}/summaries/print", v("class"))
            }
            "/learn/{class}/{courseware}" => {
                format!("/learn/{}/{}", v("class"), v("courseware"))
            }
            "/verify/{code}" => format!("/verify/{}", v("code")),
            _ => {
                let (resource, rest) = route.trim_start_matches('/').split_once("/{id}")?;
                let key = match resource {
                    "classes" => "class",
                    "groups" => "group",
                    "certificates" => "certificate",
                    "courseware" => "courseware",
                    "attempts" => "attempt",
                    "exams" => "exam",
                    "banks" => "bank",
                    "questions" => "question",
                    "blueprints" => "blueprint",
                    "admin/users" => "user",
                    _ => return None,
                };
                format!("/{resource}/{}{rest}", v(key))
            }
        };
        Some(path)
    }
}

/// A digest of every row of every table, to see that nothing was written.
pub async fn fingerprint(fx: &Fixture) -> BTreeMap<String, u64> {
    use std::hash::{Hash, Hasher};
    let pool = fx.store().pool_for_tests();
    let tables: Vec<String> = match fx.store().backend() {
        app::store::Backend::Sqlite => {
            sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
            )
            .fetch_all(pool)
            .await
        }
        app::store::Backend::Postgres => {
            sqlx::query_scalar(
                "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = 'public' \
                 AND tablename NOT LIKE '_sqlx%'",
            )
            .fetch_all(pool)
            .await
        }
    }
    .unwrap();
    let mut digests = BTreeMap::new();
    for table in tables {
        // A session's last use and expiry slide with every request: that is
        // how idle sessions end, not a page's doing.
        let columns = if table == "sessions" {
            "token_hash, user_id, created_at, user_agent, binding_id, approval_id"
        } else {
            "*"
        };
        let rows = sqlx::query(&format!("SELECT {columns} FROM {table}"))
            .fetch_all(pool)
            .await
            .unwrap();
        let mut lines: Vec<String> = rows
            .iter()
            .map(|row| {
                (0..row.columns().len())
                    .map(|i| cell(row, i))
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        lines.sort();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        lines.hash(&mut hasher);
        digests.insert(table, hasher.finish());
    }
    digests
}

fn cell(row: &sqlx::any::AnyRow, i: usize) -> String {
    if row.try_get_raw(i).is_ok_and(|value| value.is_null()) {
        return "∅".into();
    }
    if let Ok(v) = row.try_get::<i64, _>(i) {
        return v.to_string();
    }
    if let Ok(v) = row.try_get::<String, _>(i) {
        return v;
    }
    if let Ok(v) = row.try_get::<f64, _>(i) {
        return v.to_string();
    }
    if let Ok(v) = row.try_get::<bool, _>(i) {
        return v.to_string();
    }
    if let Ok(v) = row.try_get::<Vec<u8>, _>(i) {
        return format!("{v:?}");
    }
    "?".into()
}
