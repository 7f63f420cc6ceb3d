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
