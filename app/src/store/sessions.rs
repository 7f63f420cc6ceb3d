//! Sign-in sessions. Callers pass the token's hash, never the token.

use super::{DbResult, Store, UserRecord};
use academy_shared::ids::UserId;

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: i64,
        expires_at: i64,
        user_agent: Option<&str>,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, \
             user_agent) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(now)
        .bind(now)
        .bind(expires_at)
        .bind(user_agent)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The account behind a live session, after sliding its idle deadline.
    ///
    /// A session is live while `now` is before both its absolute expiry and
    /// `last_seen_at + idle_ms`, and its account is not disabled.
    pub async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
        idle_ms: i64,
    ) -> DbResult<Option<UserRecord>> {
        let username: Option<String> = sqlx::query_scalar(
            "SELECT u.username FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 \
             AND u.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(now)
        .bind(now - idle_ms)
        .fetch_optional(self.pool())
        .await?;
        let Some(username) = username else {
            return Ok(None);
        };
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(Some(self.user_by_username(&username).await?))
    }

    pub async fn delete_session(&self, token_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends every session of an account (password change, disabling, unbinding).
    pub async fn delete_sessions_of(&self, user: UserId) -> DbResult<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(self.pool())
            .await?
            .rows_affected())
    }
}
