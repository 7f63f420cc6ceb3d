//! What both load benchmarks need (included by each with `#[path]`): settings
//! from the environment, a throwaway PostgreSQL database, and the figures.
// Each benchmark uses part of this; the rest is dead code in that example.
#![allow(dead_code)]

use sqlx::Connection;
use std::error::Error;
use std::time::Instant;

pub type BoxError = Box<dyn Error + Send + Sync>;

pub fn env_number(name: &str, default: f64) -> Result<f64, BoxError> {
    match std::env::var(name) {
        Ok(value) => match value.trim().parse::<f64>() {
            Ok(number) if number >= 0.0 && number.is_finite() => Ok(number),
            _ => Err(format!("{name} must be a number, 0 or more (got {value:?})").into()),
        },
        Err(_) => Ok(default),
    }
}
/// A fresh PostgreSQL database for one run, dropped by [`FreshDatabase::drop_now`].
pub struct FreshDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl FreshDatabase {
    pub async fn create(admin_url: &str) -> Result<FreshDatabase, BoxError> {
        if !admin_url.starts_with("postgres://") && !admin_url.starts_with("postgresql://") {
            return Err("BENCH_DATABASE_URL must be a postgres:// URL".into());
        }
        let name = format!("bench_{}", std::process::id());
        let (scheme, rest) = admin_url
            .split_once("://")
            .unwrap_or(("postgres", admin_url));
        let (authority, query) = match rest.split_once('/') {
            Some((authority, path)) => (
                authority,
                path.split_once('?').map(|(_, q)| q).unwrap_or_default(),
            ),
            None => match rest.split_once('?') {
                Some((authority, q)) => (authority, q),
                None => (rest, ""),
            },
        };
        let url = if query.is_empty() {
            format!("{scheme}://{authority}/{name}")
        } else {
            format!("{scheme}://{authority}/{name}?{query}")
        };
        let mut admin = sqlx::PgConnection::connect(admin_url).await?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut admin)
            .await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        Ok(FreshDatabase {
            admin_url: admin_url.to_owned(),
            name,
            url,
        })
    }

    /// WAL flushes of the whole PostgreSQL server so far (`pg_stat_wal`): one
    /// per durable commit that had to wait for the disk.
    pub async fn wal_syncs(&self) -> Result<i64, BoxError> {
        let mut admin = sqlx::PgConnection::connect(&self.admin_url).await?;
        let syncs: i64 = sqlx::query_scalar("SELECT wal_sync FROM pg_stat_wal")
            .fetch_one(&mut admin)
            .await?;
        admin.close().await?;
        Ok(syncs)
    }

    pub async fn drop_now(&self) -> Result<(), BoxError> {
        let mut admin = sqlx::PgConnection::connect(&self.admin_url).await?;
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .await?;
        admin.close().await?;
        Ok(())
    }
}

/// Nearest-rank percentile of sorted microseconds, in milliseconds.
pub fn percentile_ms(sorted_us: &[u64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted_us.len() as f64).ceil().max(1.0) as usize;
    sorted_us[rank.min(sorted_us.len()) - 1] as f64 / 1000.0
}

pub fn mean_ms(us: &[u64]) -> f64 {
    if us.is_empty() {
        return 0.0;
    }
    us.iter().sum::<u64>() as f64 / us.len() as f64 / 1000.0
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// How long a 4 KiB write plus `fdatasync` takes in `dir`: what one durable
/// SQLite commit costs at least on this disk.
pub fn fsync_probe_ms(dir: &std::path::Path) -> Result<f64, BoxError> {
    use std::io::Write;
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path)?;
    let block = [7u8; 4096];
    let mut times = Vec::with_capacity(100);
    for _ in 0..100 {
        let started = Instant::now();
        file.write_all(&block)?;
        file.sync_data()?;
        times.push(started.elapsed().as_micros() as u64);
    }
    drop(file);
    std::fs::remove_file(&path)?;
    times.sort_unstable();
    Ok(percentile_ms(&times, 50.0))
}
