//! What the server's HTTP tests share: the real server on port 0 over a fresh
//! SQLite (or PostgreSQL) database, a client that does not follow redirects,
//! browsers with their cookies, and the calls a test makes as one of them
//! (`ok`, `ok_id`, `ok_json`, `refused`, `refused_saying`, `get`, `page`,
//! `upload`).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // each test file uses a part

use academy_shared::class::ClassState;
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

// ---- Calling the server as a browser --------------------------------------
//
// Server functions are POSTs to `/api/<endpoint>`: `ok*` expect a 200 with a
// JSON answer and return it; `refused` expects a refusal's status and returns
// its body, `refused_saying` also checks what it says. Pages and downloads are
// GETs with the browser's cookies and User-Agent.

/// Parses a 200 answer of `endpoint`: every server function answers JSON.
fn json_answer(endpoint: &str, body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{endpoint}: not JSON ({e}): {body}"))
}

/// A server function called with a form; must answer 200. The answer.
pub async fn ok(
    server: &Running,
    browser: &mut Browser,
    endpoint: &str,
    form: &[(&str, &str)],
) -> serde_json::Value {
    let (status, body) = browser.post(server, endpoint, form).await;
    assert_eq!(status, 200, "{endpoint}: {body}");
    json_answer(endpoint, &body)
}

/// A server function whose one argument is `id`; must answer 200. The answer.
pub async fn ok_id(
    server: &Running,
    browser: &mut Browser,
    endpoint: &str,
    id: impl std::fmt::Display,
) -> serde_json::Value {
    ok(server, browser, endpoint, &[("id", &id.to_string())]).await
}

/// A server function called with a JSON body; must answer 200. The answer.
pub async fn ok_json(
    server: &Running,
    browser: &mut Browser,
    endpoint: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let (status, text) = browser.post_json(server, endpoint, body).await;
    assert_eq!(status, 200, "{endpoint}: {text}");
    json_answer(endpoint, &text)
}

/// A server function called with a form that must refuse with `status`. The
/// body of the refusal.
pub async fn refused(
    server: &Running,
    browser: &mut Browser,
    endpoint: &str,
    form: &[(&str, &str)],
    status: u16,
) -> String {
    let (got, body) = browser.post(server, endpoint, form).await;
    assert_eq!(got, status, "{endpoint}: {body}");
    body
}

/// A server function that must refuse with `status`, saying `says`.
pub async fn refused_saying(
    server: &Running,
    browser: &mut Browser,
    endpoint: &str,
    form: &[(&str, &str)],
    status: u16,
    says: &str,
) {
    let body = refused(server, browser, endpoint, form, status).await;
    assert!(body.contains(says), "{endpoint}: {body} should say {says}");
}

/// GETs `path` (a page, an export, a file) as `browser`, whatever the answer.
pub async fn get(server: &Running, browser: &Browser, path: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path}", server.base))
        .header("cookie", browser.cookie_header())
        .header("user-agent", browser.user_agent)
        .send()
        .await
        .unwrap()
}

/// GETs a page as `browser`; must answer 200. Its HTML.
pub async fn page(server: &Running, browser: &Browser, path: &str) -> String {
    let response = get(server, browser, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// Uploads `body` as a media file of `kind` named `name`: the status and the
/// JSON answer (`Null` when there is none).
pub async fn upload(
    server: &Running,
    browser: &Browser,
    kind: &str,
    name: &str,
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    let response = client()
        .post(format!(
            "{}/media/upload?kind={kind}&name={name}",
            server.base
        ))
        .header("cookie", browser.cookie_header())
        .header("user-agent", browser.user_agent)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
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
) -> academy_shared::ids::ClassId {
    let organizer = store.user_by_username("organizer").await.unwrap().id;
    let now = app::store::now_millis();
    let id = store
        .insert_class(&class_edit(title), organizer, now)
        .await
        .unwrap();
    assert!(
        store
            .set_class_state(id, ClassState::Draft, ClassState::Published, now)
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
