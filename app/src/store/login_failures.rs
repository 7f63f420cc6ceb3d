//! Failed sign-ins, counted per account name and per client address.

use super::{DbResult, Store};

impl Store {
    pub async fn record_login_failure(
        &self,
        username: &str,
        address: &str,
        at: i64,
    ) -> DbResult<()> {
        sqlx::query("INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)")
            .bind(username)
            .bind(address)
            .bind(at)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Records an attempt before it is checked (see `academy_shared::throttle`):
    /// it counts as a failure unless [`Store::clear_login_failures`] or
    /// [`Store::forget_login_attempt`] removes it. Returns its id.
    pub async fn begin_login_attempt(
        &self,
        username: &str,
        address: &str,
        at: i64,
    ) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(username)
        .bind(address)
        .bind(at)
        .fetch_one(self.pool())
        .await?)
    }

    /// Drops an attempt that was refused before it was checked: waiting out a
    /// lock must not extend it.
    pub async fn forget_login_attempt(&self, id: i64) -> DbResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The failures (and attempts in flight) recorded before attempt `id` since
    /// `since`: of this account at this address, and of this address.
    pub async fn login_failures_before(
        &self,
        username: &str,
        address: &str,
        id: i64,
        since: i64,
    ) -> DbResult<(Vec<i64>, Vec<i64>)> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT username, at FROM login_failures WHERE address = $1 AND at >= $2 AND id < $3",
        )
        .bind(address)
        .bind(since)
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let here = rows
            .iter()
            .filter(|(name, _)| name == username)
            .map(|(_, at)| *at)
            .collect();
        Ok((here, rows.into_iter().map(|(_, at)| at).collect()))
    }

    /// This account's failures since `since`, with the address of each.
    pub async fn login_failures_by_address(
        &self,
        username: &str,
        since: i64,
    ) -> DbResult<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT address, at FROM login_failures WHERE username = $1 AND at >= $2",
        )
        .bind(username)
        .bind(since)
        .fetch_all(self.pool())
        .await?)
    }

    /// Times of the failures for this account name since `since`.
    pub async fn login_failures_for_user(&self, username: &str, since: i64) -> DbResult<Vec<i64>> {
        Ok(
            sqlx::query_scalar("SELECT at FROM login_failures WHERE username = $1 AND at >= $2")
                .bind(username)
                .bind(since)
                .fetch_all(self.pool())
                .await?,
        )
    }

    /// Times of the failures from this address since `since`.
    pub async fn login_failures_from(&self, address: &str, since: i64) -> DbResult<Vec<i64>> {
        Ok(
            sqlx::query_scalar("SELECT at FROM login_failures WHERE address = $1 AND at >= $2")
                .bind(address)
                .bind(since)
                .fetch_all(self.pool())
                .await?,
        )
    }

    /// Forgets an account's failures: after a successful sign-in, or when an
    /// administrator clears a lock.
    pub async fn clear_login_failures(&self, username: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE username = $1")
            .bind(username)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
