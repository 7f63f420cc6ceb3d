//! Work that holds a CPU for a while — password hashing, reading an uploaded
//! workbook or question file — runs here: on Tokio's blocking threads, so the
//! async workers keep answering everyone else, and a few at a time, so a flood
//! of anonymous sign-ins or imports queues up instead of taking every core
//! and the memory each one needs (Argon2 takes 19 MiB per hash).

use crate::error::AppError;
use tokio::sync::Semaphore;

/// The kinds of heavy work, each with its own queue: a queue of imports never
/// delays a sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pool {
    /// Argon2 hashing and verifying.
    Passwords,
    /// Decoding uploaded spreadsheets and question files.
    Files,
}

/// Hashes at once: two per core is enough to keep the cores busy while
/// bounding memory (19 MiB each).
static PASSWORDS: Semaphore = Semaphore::const_new(4);
static FILES: Semaphore = Semaphore::const_new(2);

/// Runs `work` on a blocking thread once `pool` has room.
pub async fn run<T, F>(pool: Pool, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let semaphore = match pool {
        Pool::Passwords => &PASSWORDS,
        Pool::Files => &FILES,
    };
    let _permit = semaphore.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)
}
