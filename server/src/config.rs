//! Typed configuration: command-line flags with environment fallbacks, checked at
//! start so that a mistake is one clear line, not a panic at the first request.

use clap::{Args, Parser, Subcommand};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(name = "server", version, about = "网络学院 · the online academy")]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the academy (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Load the demo data (once; a second run changes nothing) and print the demo accounts.
    Demo,
}

/// What the operator can set. Everything has a sensible default for a laptop.
#[derive(Clone, Debug, Args)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "ACADEMY_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Database URL: `sqlite:...` or `postgres://...`. Default: SQLite in the data dir.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<Secret>,

    /// Where the SQLite database and uploaded media live.
    #[arg(long, env = "ACADEMY_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Log filter, e.g. `info` or `server=debug,sqlx=warn`.
    #[arg(long, env = "ACADEMY_LOG", default_value = "info")]
    pub log_level: String,

    /// The address people use to reach the academy (links, QR codes, cookies).
    /// Default: http:// plus the listen address.
    #[arg(long, env = "ACADEMY_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Believe `X-Forwarded-For` (right-most entry) for client addresses: set
    /// only behind a reverse proxy that writes it.
    #[arg(long, env = "ACADEMY_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// The built site (WASM, JS, CSS, public files), as written by cargo-leptos.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// How SMS verification codes are sent: `console` (written to the log) or
    /// `webhook` (POSTed as JSON to --sms-webhook-url).
    #[arg(long, env = "ACADEMY_SMS_PROVIDER", default_value = "console")]
    pub sms_provider: String,

    /// Where the webhook provider POSTs messages.
    #[arg(long, env = "ACADEMY_SMS_WEBHOOK_URL")]
    pub sms_webhook_url: Option<String>,

    /// Sent as `Authorization: Bearer …` to the webhook.
    #[arg(long, env = "ACADEMY_SMS_WEBHOOK_TOKEN", hide_env_values = true)]
    pub sms_webhook_token: Option<Secret>,

    /// Bind staff accounts to one device too (by default only learners are).
    #[arg(long, env = "ACADEMY_BIND_STAFF_DEVICES")]
    pub bind_staff_devices: bool,

    /// Let organizers approve device rebinding requests, not only administrators.
    #[arg(long, env = "ACADEMY_ORGANIZERS_APPROVE_REBINDING")]
    pub organizers_approve_rebinding: bool,

    /// The largest media upload accepted, in MiB.
    #[arg(long, env = "ACADEMY_MAX_UPLOAD_MIB", default_value_t = 2048)]
    pub max_upload_mib: u64,

    /// How often the player reports, in seconds (5–60).
    #[arg(long, env = "ACADEMY_HEARTBEAT_SECONDS", default_value_t = 15)]
    pub heartbeat_seconds: u64,

    /// The share of a lesson's video that must really be watched for it to
    /// count as complete, in percent (50–100).
    #[arg(long, env = "ACADEMY_COMPLETION_PERCENT", default_value_t = 95)]
    pub completion_percent: u64,
}

/// How SMS codes leave the academy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmsConfig {
    Console,
    Webhook { url: String, token: Option<Secret> },
}

/// A string that never shows up in logs or `Debug` output: for URLs with passwords.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The value with any `user:password@` part of a URL hidden.
    pub fn redacted(&self) -> String {
        redact_url(&self.0)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    // Hide passwords in the query too (`?password=...`), which libpq accepts.
    let path = match path.split_once('?') {
        Some((before, query)) if query.contains("password") => format!("{before}?***"),
        _ => path.to_owned(),
    };
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{path}")
        }
        None => format!("{scheme}://{authority}{path}"),
    }
}

/// Settings after checking: what the rest of the server works with.
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: Secret,
    pub data_dir: PathBuf,
    pub log_level: String,
    pub public_url: String,
    pub trust_proxy: bool,
    pub site_root: PathBuf,
    pub sms: SmsConfig,
    pub bind_staff_devices: bool,
    pub organizers_approve_rebinding: bool,
    pub max_upload_bytes: u64,
    pub heartbeat_interval_ms: i64,
    pub completion_permille: i64,
}

impl Config {
    /// A laptop configuration over SQLite in `data_dir`, listening on a free
    /// port: the defaults, for tests and tools.
    pub fn local(data_dir: &Path) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: Secret::new(format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("academy.db").display()
            )),
            data_dir: data_dir.to_path_buf(),
            log_level: "warn".into(),
            public_url: "http://127.0.0.1".into(),
            trust_proxy: false,
            site_root: data_dir.join("site"),
            sms: SmsConfig::Console,
            bind_staff_devices: false,
            organizers_approve_rebinding: false,
            max_upload_bytes: 2048 * 1024 * 1024,
            heartbeat_interval_ms: 15_000,
            completion_permille: 950,
        }
    }

    /// The study-time rules every class starts from.
    pub fn study_rules(&self) -> academy_shared::study::StudyRules {
        academy_shared::study::StudyRules {
            heartbeat_interval_ms: self.heartbeat_interval_ms,
            completion_coverage_permille: self.completion_permille,
            ..academy_shared::study::StudyRules::default()
        }
    }

    /// Whether cookies must be `Secure`.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the data directory {path} cannot be used: {cause}")]
    DataDir { path: String, cause: std::io::Error },
    #[error("DATABASE_URL must start with sqlite: or postgres:// (got {0})")]
    DatabaseScheme(String),
    #[error("ACADEMY_PUBLIC_URL must start with http:// or https:// (got {0})")]
    PublicUrl(String),
    #[error("ACADEMY_SMS_PROVIDER must be console or webhook (got {0})")]
    SmsProvider(String),
    #[error("the webhook SMS provider needs ACADEMY_SMS_WEBHOOK_URL, an http:// or https:// URL")]
    SmsWebhookUrl,
    #[error("{name} must be between {min} and {max} (got {got})")]
    OutOfRange {
        name: &'static str,
        min: u64,
        max: u64,
        got: u64,
    },
}

fn in_range(name: &'static str, got: u64, min: u64, max: u64) -> Result<u64, ConfigError> {
    if (min..=max).contains(&got) {
        Ok(got)
    } else {
        Err(ConfigError::OutOfRange {
            name,
            min,
            max,
            got,
        })
    }
}

impl Settings {
    /// Checks everything that can be checked without the network, and creates the
    /// data directory if needed.
    pub fn validate(self) -> Result<Config, ConfigError> {
        ensure_writable_dir(&self.data_dir)?;
        let database_url = match self.database_url {
            Some(url) => url,
            None => Secret::new(format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("academy.db").display()
            )),
        };
        if app::store::Backend::from_url(database_url.expose()).is_none() {
            return Err(ConfigError::DatabaseScheme(database_url.redacted()));
        }
        let public_url = match self.public_url {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                url.trim_end_matches('/').to_owned()
            }
            Some(url) => return Err(ConfigError::PublicUrl(url)),
            None => format!("http://{}", self.listen),
        };
        let sms = match self.sms_provider.as_str() {
            "console" => SmsConfig::Console,
            "webhook" => match self.sms_webhook_url {
                Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                    SmsConfig::Webhook {
                        url,
                        token: self.sms_webhook_token,
                    }
                }
                _ => return Err(ConfigError::SmsWebhookUrl),
            },
            other => return Err(ConfigError::SmsProvider(other.to_owned())),
        };
        let max_upload_mib = in_range("ACADEMY_MAX_UPLOAD_MIB", self.max_upload_mib, 1, 64 * 1024)?;
        let heartbeat_seconds =
            in_range("ACADEMY_HEARTBEAT_SECONDS", self.heartbeat_seconds, 5, 60)?;
        let completion_percent = in_range(
            "ACADEMY_COMPLETION_PERCENT",
            self.completion_percent,
            50,
            100,
        )?;
        Ok(Config {
            listen: self.listen,
            database_url,
            data_dir: self.data_dir,
            log_level: self.log_level,
            public_url,
            trust_proxy: self.trust_proxy,
            site_root: self.site_root,
            sms,
            bind_staff_devices: self.bind_staff_devices,
            organizers_approve_rebinding: self.organizers_approve_rebinding,
            max_upload_bytes: max_upload_mib * 1024 * 1024,
            heartbeat_interval_ms: (heartbeat_seconds * 1000) as i64,
            completion_permille: (completion_percent * 10) as i64,
        })
    }
}

fn ensure_writable_dir(path: &Path) -> Result<(), ConfigError> {
    let fail = |cause| ConfigError::DataDir {
        path: path.display().to_string(),
        cause,
    };
    std::fs::create_dir_all(path).map_err(fail)?;
    // Creating the directory can succeed on a read-only mount that already has it;
    // only a real write proves we can keep data there.
    let probe = path.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(fail)?;
    std::fs::remove_file(&probe).map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_and_display() {
        let secret = Secret::new("postgres://academy:hunter2@db.internal:5432/academy");
        let shown = format!("{secret:?} {secret}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("academy:***@db.internal:5432/academy"),
            "{shown}"
        );
    }

    #[test]
    fn query_passwords_are_redacted() {
        let secret = Secret::new("postgres://db/academy?user=a&password=hunter2");
        assert!(!secret.to_string().contains("hunter2"));
    }

    #[test]
    fn urls_without_credentials_stay_readable() {
        assert_eq!(
            redact_url("sqlite://data/academy.db?mode=rwc"),
            "sqlite://data/academy.db?mode=rwc"
        );
    }

    #[test]
    fn config_debug_never_shows_the_database_password() {
        let dir = std::env::temp_dir().join(format!("academy-config-{}", std::process::id()));
        let settings = Settings {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: Some(Secret::new("postgres://u:topsecret@localhost/x")),
            data_dir: dir.clone(),
            log_level: "info".into(),
            public_url: Some("https://academy.example/".into()),
            trust_proxy: false,
            site_root: "target/site".into(),
            sms_provider: "console".into(),
            sms_webhook_url: None,
            sms_webhook_token: None,
            bind_staff_devices: false,
            organizers_approve_rebinding: false,
            max_upload_mib: 2048,
            heartbeat_seconds: 15,
            completion_percent: 95,
        };
        let config = settings.validate().unwrap();
        assert!(!format!("{config:?}").contains("topsecret"));
        assert_eq!(config.public_url, "https://academy.example");
        assert!(config.is_https());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn wrong_scheme_is_refused() {
        let dir =
            std::env::temp_dir().join(format!("academy-config-scheme-{}", std::process::id()));
        let settings = Settings {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: Some(Secret::new("mysql://u:pw@localhost/x")),
            data_dir: dir.clone(),
            log_level: "info".into(),
            public_url: None,
            trust_proxy: false,
            site_root: "target/site".into(),
            sms_provider: "console".into(),
            sms_webhook_url: None,
            sms_webhook_token: None,
            bind_staff_devices: false,
            organizers_approve_rebinding: false,
            max_upload_mib: 2048,
            heartbeat_seconds: 15,
            completion_percent: 95,
        };
        let error = settings.validate().unwrap_err().to_string();
        assert!(
            error.contains("sqlite:") && !error.contains(":pw@"),
            "{error}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
