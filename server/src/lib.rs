//! The academy's host process, as a library so that tests can start it on port 0.

pub mod assets;
pub mod config;
pub mod demo;
pub mod demo_exams;
pub mod demo_groups;
pub mod demo_journey;
pub mod demo_support;
pub mod http;
pub mod media;

use config::Config;
use tokio::net::TcpListener;

/// Why the server could not start or stopped: one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("cannot open the database {url}: {cause}")]
    Database {
        url: String,
        cause: app::store::DbError,
    },
    #[error("cannot update the database schema: {0}")]
    Migrate(app::store::DbError),
    #[error("cannot listen on {addr}: {cause}")]
    Listen {
        addr: std::net::SocketAddr,
        cause: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error("cannot load the demo data: {0}")]
    Demo(app::store::DbError),
    #[error("cannot set up the SMS provider: {0}")]
    Sms(String),
    #[error("cannot use the media directory {path}: {cause}")]
    Media { path: String, cause: std::io::Error },
}

/// The media store the config names (so far: the local disk under the data dir).
pub fn open_media(config: &Config) -> Result<app::media::SharedMediaStore, StartError> {
    let path = config.data_dir.join("media");
    let local =
        app::media::LocalMediaStore::open(path.clone()).map_err(|cause| StartError::Media {
            path: path.display().to_string(),
            cause,
        })?;
    Ok(std::sync::Arc::new(local))
}

/// Connects to the database and brings its schema up to date.
pub async fn open_store(config: &Config) -> Result<app::store::Store, StartError> {
    let store = app::store::Store::connect(config.database_url.expose())
        .await
        .map_err(|cause| StartError::Database {
            url: config.database_url.redacted(),
            cause,
        })?;
    store.migrate().await.map_err(StartError::Migrate)?;
    Ok(store)
}

/// Binds the listen address (port 0 picks a free port, for tests).
pub async fn bind(config: &Config) -> Result<TcpListener, StartError> {
    TcpListener::bind(config.listen)
        .await
        .map_err(|cause| StartError::Listen {
            addr: config.listen,
            cause,
        })
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(
    config: &Config,
    store: app::store::Store,
    listener: TcpListener,
) -> Result<(), StartError> {
    let sms = http::sms_provider(config).map_err(StartError::Sms)?;
    let media = open_media(config)?;
    let router = http::router(config, store, sms, media);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(StartError::Serve)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
