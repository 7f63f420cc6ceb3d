//! What the server's HTTP tests share: the real server on port 0 over a fresh
//! SQLite database, and a client that does not follow redirects.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // each test file uses a part

use server::config::Config;

pub struct Running {
    pub base: String,
    pub store: app::store::Store,
    pub media: app::media::SharedMediaStore,
    _dir: tempfile::TempDir,
}

/// Starts the server with the local defaults as changed by `configure`.
pub async fn start_configured(configure: impl FnOnce(Config) -> Config) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let config = configure(Config::local(dir.path()));
    let store = server::open_store(&config).await.unwrap();
    let listener = server::bind(&config).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let media = server::open_media(&config).unwrap();
    let serving = store.clone();
    tokio::spawn(async move { server::serve(&config, serving, listener).await });
    Running {
        base: format!("http://{addr}"),
        store,
        media,
        _dir: dir,
    }
}

/// The same, with the demo data loaded.
pub async fn start_with_demo(configure: impl FnOnce(Config) -> Config) -> Running {
    let server = start_configured(configure).await;
    server::demo::load(&server.store, server.media.as_ref())
        .await
        .unwrap();
    server
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A browser's cookies, as far as these tests need them.
#[derive(Clone, Debug, Default)]
pub struct Browser {
    pub session: Option<String>,
    pub device: Option<String>,
    pub user_agent: &'static str,
}

pub const PHONE_UA: &str = "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47";
pub const PC_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

impl Browser {
    pub fn new(user_agent: &'static str) -> Self {
        Browser {
            user_agent,
            ..Browser::default()
        }
    }

    pub fn cookie_header(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.session {
            parts.push(format!("academy_session={s}"));
        }
        if let Some(d) = &self.device {
            parts.push(format!("academy_device={d}"));
        }
        parts.join("; ")
    }

    /// POSTs a form to a server function; keeps the cookies it sets.
    pub async fn post(
        &mut self,
        server: &Running,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (u16, String) {
        let response = client()
            .post(format!("{}/api/{endpoint}", server.base))
            .header("cookie", self.cookie_header())
            .header("user-agent", self.user_agent)
            .form(form)
            .send()
            .await
            .unwrap();
        self.keep_cookies(&response);
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub async fn post_json(
        &mut self,
        server: &Running,
        endpoint: &str,
        body: serde_json::Value,
    ) -> (u16, String) {
        let response = client()
            .post(format!("{}/api/{endpoint}", server.base))
            .header("cookie", self.cookie_header())
            .header("user-agent", self.user_agent)
            .json(&body)
            .send()
            .await
            .unwrap();
        self.keep_cookies(&response);
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub fn keep_cookies(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let cookie = value.to_str().unwrap();
            let (pair, _) = cookie.split_once(';').unwrap_or((cookie, ""));
            let (name, value) = pair.split_once('=').unwrap();
            let value = Some(value.to_owned()).filter(|v| !v.is_empty());
            match name {
                "academy_session" => self.session = value,
                "academy_device" => self.device = value,
                _ => {}
            }
        }
    }

    pub async fn sign_in(&mut self, server: &Running, username: &str) -> (u16, String) {
        self.post(
            server,
            "auth/login",
            &[
                ("username", username),
                ("password", server::demo::DEMO_PASSWORD),
            ],
        )
        .await
    }
}

/// Signs `username` in with the demo password from a browser of `ua`.
pub async fn signed_in(server: &Running, username: &str, ua: &'static str) -> Browser {
    let mut browser = Browser::new(ua);
    let (status, body) = browser.sign_in(server, username).await;
    assert_eq!(status, 200, "{username}: {body}");
    browser
}

/// A PostgreSQL database made for one test on the server `TEST_DATABASE_URL`
/// names, dropped afterwards.
pub struct FreshDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl FreshDatabase {
    /// `None` (and a note) when `TEST_DATABASE_URL` is not set.
    pub async fn create(label: &str) -> Option<FreshDatabase> {
        use sqlx::Connection;
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("TEST_DATABASE_URL is not set: the {label} story on PostgreSQL is not run");
            return None;
        };
        let name = format!(
            "academy_{label}_{}_{}",
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
        let (base, _) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
        let base = base.rsplit_once('/').map(|(base, _)| base).unwrap();
        Some(FreshDatabase {
            url: format!("{base}/{name}"),
            admin_url,
            name,
        })
    }

    /// Closes `store` and drops the database.
    pub async fn drop_now(self, store: &app::store::Store) {
        use sqlx::Connection;
        store.close().await;
        let mut admin = sqlx::PgConnection::connect(&self.admin_url).await.unwrap();
        // FORCE: the server's pool may not have ended its sessions yet.
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .await
        .unwrap();
    }
}

/// The demo's regions and accounts only (no courseware or exams: the story
/// makes its own classes).
pub async fn load_people(store: &app::store::Store) {
    let hash = app::auth::password::hash(server::demo::DEMO_PASSWORD).unwrap();
    store
        .load_once(
            "test_people",
            &server::demo::regions(),
            &server::demo::users(&hash),
        )
        .await
        .unwrap();
}

/// The server on SQLite with the demo's people.
pub async fn start_with_people() -> Running {
    let server = start_configured(|c| c).await;
    load_people(&server.store).await;
    server
}

/// The server on a fresh PostgreSQL database with the demo's people, or
/// `None` when `TEST_DATABASE_URL` is not set.
pub async fn start_postgres_with_people(label: &str) -> Option<(Running, FreshDatabase)> {
    let database = FreshDatabase::create(label).await?;
    let url = database.url.clone();
    let server = start_configured(move |mut c| {
        c.database_url = server::config::Secret::new(url);
        c
    })
    .await;
    load_people(&server.store).await;
    Some((server, database))
}

/// A class's settings as an organizer leaves most of them: no dates, a
/// 20-minute idle prompt, up to double speed, the default rules.
pub fn class_edit(title: &str) -> app::store::ClassEdit {
    use academy_shared::journey::{CompletionRule, Gating};
    app::store::ClassEdit {
        title: title.to_owned(),
        description: String::new(),
        starts_on: None,
        ends_on: None,
        idle_prompt_ms: 20 * 60 * 1000,
        max_rate_milli: 2000,
        gating: Gating::default(),
        completion: CompletionRule::default(),
        issuer: "铜仁市委组织部".to_owned(),
    }
}

/// A published class with these learners, made as an organizer would.
pub async fn published_class_with(
    store: &app::store::Store,
    title: &str,
    learners: &[&str],
) -> i64 {
    let organizer = store.user_by_username("organizer").await.unwrap().id;
    let now = app::store::now_millis();
    let id = store
        .insert_class(&class_edit(title), organizer, now)
        .await
        .unwrap();
    assert!(
        store
            .set_class_state(id, "draft", "published", now)
            .await
            .unwrap()
    );
    let mut users = Vec::new();
    for name in learners {
        users.push(store.user_by_username(name).await.unwrap().id);
    }
    store.enrol_by(id, &users, organizer, now).await.unwrap();
    id
}

/// Scopes the demo's `supervisor` to the region (county) of `learner`, and
/// signs them in afresh.
#[allow(dead_code)] // not every test file uses every helper
pub async fn supervisor_of_region_of(server: &Running, learner: &str) -> Browser {
    use academy_shared::role::Role;
    let store = &server.store;
    let supervisor = store.user_by_username("supervisor").await.unwrap().id;
    let region = store
        .user_by_username(learner)
        .await
        .unwrap()
        .region_id
        .unwrap();
    store
        .set_roles(
            supervisor,
            &[Role::Supervisor],
            &[(Role::Supervisor, region)],
        )
        .await
        .unwrap();
    signed_in(server, "supervisor", PC_UA).await
}
