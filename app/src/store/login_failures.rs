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
