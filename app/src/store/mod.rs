//! Persistence: the narrow boundary between the academy and its database.
//!
//! One query code path serves SQLite (the embedded default) and PostgreSQL (for
//! several app servers sharing one database) through sqlx's `Any` driver. The
//! rules that keep the SQL portable:
//! - parameters are written `$1, $2, …` in the order they appear in the text;
//! - ids and timestamps are `i64` (`BIGINT` on PostgreSQL); timestamps are Unix
//!   milliseconds in UTC; flags are nullable timestamps rather than booleans;
//! - each backend has its own migrations with the same tables and columns.

mod audit;
mod classes;
mod courseware;
mod devices;
mod exams;
mod groups;
mod login_failures;
mod regions;
mod sessions;
mod sms;
mod study;
mod support;
mod users;

pub use audit::{AuditEntry, AuditFilter};
pub use classes::{
    CertificateRecord, ClassEdit, ClassRecord, Enrolled, LearnerFacts, LearnerFigures,
};
pub use courseware::{
    Courseware, CoursewareDetails, CoursewareFilter, CoursewareRow, MediaFile, NewMedia,
    OutlineItem, ReviewStep, Slide,
};
pub use devices::{Approval, ApprovedDevice, Binding, DEVICE_CHALLENGE_TTL_MS, RebindRequest};
pub use exams::{
    AttemptItem, AttemptRecord, Bank, BankInvite, BlueprintRecord, CloseOutcome, ExamRecord,
    ExamWrite, ExamWritten, GradedAttempt, NewAttempt, NewItem, PoolEntry, QuestionFilter,
    QuestionRow, QuestionVersionRow, StoredQuestion,
};
pub use groups::{
    GroupMember, GroupPlan, GroupRecord, PostRecord, SummaryRecord, SummaryWrite, TopicRecord,
};
pub use regions::{NewRegion, Region, subtree};
pub use sessions::SessionLink;
pub use study::{
    ClassRules, HeartbeatJob, HeartbeatResult, LessonSummary, NewClass, StoredProgress,
};
pub use support::{FaqRecord, NewQuestion, SupportCounts, SupportQuestion};
pub use users::{
    AccountUpdate, Activation, NewUser, TraineeFields, UserFilter, UserListRow, UserRecord,
};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

/// What can go wrong in the store, as the layers above need to tell it apart.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// The write would contradict what is stored.
    #[error("conflict: {0}")]
    Conflict(Conflict),
    #[error(transparent)]
    Other(sqlx::Error),
}

/// Reads a stored code (`state`, `kind`…) back into its enum; a code no
/// version of the academy wrote is a damaged row, not a user's mistake.
pub(crate) fn decode<T: academy_shared::code::StoredCode>(code: &str) -> DbResult<T> {
    T::from_code(code).ok_or_else(|| {
        DbError::Other(sqlx::Error::Decode(
            format!("unknown {} code {code:?}", std::any::type_name::<T>()).into(),
        ))
    })
}

/// [`decode`] of the text column `column` of `row`.
pub(crate) fn decode_column<T: academy_shared::code::StoredCode>(
    row: &sqlx::any::AnyRow,
    column: &str,
) -> DbResult<T> {
    use sqlx::Row;
    decode(&row.try_get::<String, _>(column)?)
}

impl From<sqlx::Error> for DbError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(db)
                if db.is_unique_violation() || db.is_foreign_key_violation() =>
            {
                DbError::Conflict(Conflict::Constraint(db.message().to_owned()))
            }
            other => DbError::Other(other),
        }
    }
}

/// Why the store refused a write. Callers match the variant that changes
/// what they tell the user; the text is for the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    /// A unique or foreign-key constraint (the database's message).
    #[error("constraint: {0}")]
    Constraint(String),
    /// An invited lecturer's question quota is used up.
    #[error("question quota used up")]
    Quota,
    /// The record changed since the caller read it.
    #[error("changed since it was read")]
    Version,
    /// Another attempt took this attempt number first.
    #[error("attempt number taken")]
    AttemptNumber,
    /// Another attempt took this paper's seed first.
    #[error("paper seed taken")]
    Seed,
    /// The class changed state (or closed) since it was read.
    #[error("class changed or closed")]
    ClassChanged,
    #[error("class closed")]
    ClassClosed,
    #[error("survey already answered")]
    SurveyAnswered,
    /// Only an organizer's explicit re-issue replaces a revoked certificate.
    #[error("revoked certificates stay revoked")]
    CertificateRevoked,
    #[error("a rebinding request is already open")]
    RebindOpen,
    /// Reference data that does not fit (an unknown region code, a region
    /// at a level it cannot hang at, a state change that has its own call).
    #[error("{0}")]
    Unfit(String),
}

impl From<sqlx::migrate::MigrateError> for DbError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        DbError::Other(sqlx::Error::Migrate(Box::new(error)))
    }
}

impl From<DbError> for crate::error::AppError {
    #[track_caller]
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => crate::error::AppError::NotFound,
            other => crate::error::AppError::internal(other),
        }
    }
}

pub type DbResult<T> = Result<T, DbError>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Store {
    /// Connects and checks the connection; does not migrate.
    pub async fn connect(url: &str) -> DbResult<Store> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let backend = Backend::from_url(url).ok_or_else(|| {
            DbError::Other(sqlx::Error::Configuration(
                "the database URL must start with sqlite: or postgres://".into(),
            ))
        })?;
        let options = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time is all SQLite allows; a few readers beside it.
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(5))
            // A ping before every checkout guards against connections a
            // network or server restart killed; an embedded file has neither,
            // and the ping is a thread round trip per query.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Per-connection settings. WAL lets readers work beside the
                        // writer; FULL sync means an acknowledged write survives a
                        // power cut; busy_timeout waits for the writer instead of failing.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Store { pool, backend })
    }

    /// Applies the embedded migrations of this backend.
    pub async fn migrate(&self) -> DbResult<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> DbResult<()> {
        let one: i64 = sqlx::query_scalar("SELECT CAST(1 AS BIGINT)")
            .fetch_one(&self.pool)
            .await?;
        if one == 1 {
            Ok(())
        } else {
            Err(DbError::Other(sqlx::Error::Protocol(
                "unexpected ping answer".into(),
            )))
        }
    }

    /// Closes every connection; later calls fail (used by shutdown and tests).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub async fn meta(&self, key: &str) -> DbResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Records `key` once; `false` if it was already there (another process
    /// got there first).
    pub async fn set_meta_once(&self, key: &str, value: &str) -> DbResult<bool> {
        Ok(sqlx::query(
            "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// The SQLite settings a connection from the pool runs with (for tests and
    /// diagnostics); `None` on PostgreSQL.
    pub async fn sqlite_settings(&self) -> DbResult<Option<SqliteSettings>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let mut conn = self.pool.acquire().await?;
        let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await?;
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await?;
        let busy_timeout_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(&mut *conn)
            .await?;
        Ok(Some(SqliteSettings {
            journal_mode,
            foreign_keys: foreign_keys == 1,
            synchronous,
            busy_timeout_ms,
        }))
    }

    /// A transaction that reads before it writes. On SQLite it takes the write
    /// lock up front (`BEGIN IMMEDIATE`): a deferred transaction whose snapshot
    /// is overtaken by another writer cannot upgrade and fails with "database
    /// is locked", where an immediate one just waits its turn.
    pub(crate) async fn begin_write(&self) -> DbResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The raw pool, for tests that check what the database itself refuses.
    #[doc(hidden)]
    pub fn pool_for_tests(&self) -> &AnyPool {
        &self.pool
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqliteSettings {
    pub journal_mode: String,
    pub foreign_keys: bool,
    /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    pub synchronous: i64,
    pub busy_timeout_ms: i64,
}

/// Milliseconds since the Unix epoch, UTC: the one time format in the database.
pub fn now_millis() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
