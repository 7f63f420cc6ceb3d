//! The demo server, the signed-in personas and lookups of the demo's ids.

use crate::common::*;
use crate::{Body, P, Row};
use academy_shared::ids::ClassId;
use academy_shared::role::Role;
use app::store::UserRecord;
use sqlx::Row as _;
use std::collections::HashMap;

/// Who each signed-in persona is, and on what.
pub const ACCOUNTS: [(P, &str, &str); 7] = [
    (P::OtherLearner, "learner001", PHONE_UA),
    (P::Liaison, "liaison01", PHONE_UA),
    (P::Supervisor, "supervisor", PC_UA),
    (P::Lecturer, "lecturer12", PC_UA),
    (P::Owner, "learner095", PHONE_UA),
    (P::Organizer, "organizer", PC_UA),
    (P::Admin, "admin", PC_UA),
];

pub struct Fixture {
    pub server: Running,
    pub browsers: HashMap<P, Browser>,
    /// learner095: the records the rows use are theirs.
    pub owner: UserRecord,
    /// learner001.
    pub other: UserRecord,
    /// The demo class (the seed's class), which everyone learns in.
    pub class: ClassId,
    /// County 1: the liaison's and the scoped supervisor's region.
    pub other_region: i64,
}

impl Fixture {
    pub async fn new(server: Running) -> Fixture {
        let store = &server.store;
        let owner = store.user_by_username("learner095").await.unwrap();
        let other = store.user_by_username("learner001").await.unwrap();
        let other_region = other.region_id.unwrap();
        let supervisor = store.user_by_username("supervisor").await.unwrap().id;
        store
            .set_roles(
                supervisor,
                &[Role::Supervisor],
                &[(Role::Supervisor, other_region)],
            )
            .await
            .unwrap();
        let mut browsers = HashMap::new();
        browsers.insert(P::Anonymous, Browser::new(PC_UA));
        for (who, username, ua) in ACCOUNTS {
            browsers.insert(who, signed_in(&server, username, ua).await);
        }
        let mut fixture = Fixture {
            browsers,
            owner,
            other,
            class: ClassId(0),
            other_region: other_region.0,
            server,
        };
        fixture.class = ClassId(
            fixture
                .id(
                    "SELECT c.id FROM classes c JOIN enrolments e ON e.class_id = c.id \
                 JOIN users u ON u.id = e.user_id WHERE u.username = 'learner095' \
                 ORDER BY c.id LIMIT 1",
                )
                .await,
        );
        fixture
    }

    pub fn store(&self) -> &app::store::Store {
        &self.server.store
    }

    /// The first column of the first row of `sql` (an id the demo made).
    pub async fn id(&self, sql: &str) -> i64 {
        self.maybe_id(sql)
            .await
            .unwrap_or_else(|| panic!("no row for {sql}"))
    }

    pub async fn maybe_id(&self, sql: &str) -> Option<i64> {
        sqlx::query(sql)
            .fetch_optional(self.store().pool_for_tests())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .map(|row| row.try_get::<i64, _>(0).unwrap())
    }

    /// A one-string lookup (a code, a token).
    pub async fn text(&self, sql: &str) -> String {
        sqlx::query(sql)
            .fetch_one(self.store().pool_for_tests())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .try_get::<String, _>(0)
            .unwrap()
    }

    pub async fn user_id(&self, username: &str) -> i64 {
        self.store().user_by_username(username).await.unwrap().id.0
    }

    /// Signs `who` in again on the same device (after a sign-out row).
    pub async fn sign_in_again(&mut self, who: P) {
        let (_, username, _) = ACCOUNTS.iter().find(|(p, _, _)| *p == who).unwrap();
        let server = &self.server;
        let browser = self.browsers.get_mut(&who).unwrap();
        browser.session = None;
        let (status, body) = browser.sign_in(server, username).await;
        assert_eq!(status, 200, "{username} signs in again: {body}");
    }

    /// Calls a function as `who` to set up objects through the API as them;
    /// it must answer 200. The answer.
    pub async fn ok_as(
        &mut self,
        who: P,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> serde_json::Value {
        let browser = self.browsers.get_mut(&who).unwrap();
        ok(&self.server, browser, endpoint, form).await
    }

    /// Calls a row's function as `who`. Cookies the answer sets are not
    /// kept, so a sign-in row cannot turn one persona into another.
    pub async fn call(&mut self, who: P, row: &Row) -> (u16, String) {
        let base = self.server.base.clone();
        let browser = self.browsers.get_mut(&who).unwrap();
        let request = client()
            .post(format!("{base}{}", row.path))
            .header("cookie", browser.cookie_header())
            .header("user-agent", browser.user_agent);
        let request = match &row.body {
            Body::Form(body) => request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone()),
            Body::Json(body) => request
                .header("content-type", "application/json")
                .body(body.clone()),
        };
        let response = request
            .timeout(std::time::Duration::from_secs(60))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{} by {who:?}: {e}", row.path));
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// GETs a path as `who`: the status and the whole body.
    ///
    /// Leptos 0.8.23 streams a page's HTML, and under load a small share of
    /// streamed responses stall before their last chunk (upstream
    /// leptos-rs/leptos#4851, #4673; the fix in 0.8.23 narrowed the race
    /// without closing it). A stall is not an authorization answer: the GET
    /// is repeated once, and a second stall is a failure (status 599).
    pub async fn get(&mut self, who: P, path: &str) -> (u16, Vec<u8>) {
        for attempt in 1..=2 {
            match self.get_once(who, path).await {
                Ok(answer) => return answer,
                Err(error) => eprintln!("GET {path} by {who:?} stalled (try {attempt}): {error}"),
            }
        }
        (599, Vec::new())
    }

    async fn get_once(&mut self, who: P, path: &str) -> Result<(u16, Vec<u8>), reqwest::Error> {
        let base = self.server.base.clone();
        let browser = self.browsers.get_mut(&who).unwrap();
        let response = client()
            .get(format!("{base}{path}"))
            .header("cookie", browser.cookie_header())
            .header("user-agent", browser.user_agent)
            .timeout(std::time::Duration::from_secs(20))
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok((status, response.bytes().await?.to_vec()))
    }
}
