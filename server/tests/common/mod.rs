//! What the server's HTTP tests share: the real server on port 0 over a fresh
//! SQLite database, and a client that does not follow redirects.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // each test file uses a part

use server::config::Config;

pub struct Running {
    pub base: String,
    pub store: app::store::Store,
    _dir: tempfile::TempDir,
}

/// Starts the server with the local defaults as changed by `configure`.
pub async fn start_configured(configure: impl FnOnce(Config) -> Config) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let config = configure(Config::local(dir.path()));
    let store = server::open_store(&config).await.unwrap();
    let listener = server::bind(&config).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = store.clone();
    tokio::spawn(async move { server::serve(&config, serving, listener).await });
    Running {
        base: format!("http://{addr}"),
        store,
        _dir: dir,
    }
}

/// The same, with the demo data loaded.
pub async fn start_with_demo(configure: impl FnOnce(Config) -> Config) -> Running {
    let server = start_configured(configure).await;
    server::demo::load(&server.store).await.unwrap();
    server
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}
