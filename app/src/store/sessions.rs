//! Sign-in sessions. Callers pass the token's hash, never the token.

use super::{DbResult, Store, UserRecord};
use academy_shared::ids::UserId;

/// What a session is tied to: the bound device it was opened on, or the
/// approval that let another device in. Either ends the session when revoked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionLink {
    pub binding_id: Option<i64>,
    pub approval_id: Option<i64>,
}

/// A session's idle deadline is moved at most this often.
const SLIDE_EVERY_MS: i64 = 60_000;

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: i64,
        expires_at: i64,
        user_agent: Option<&str>,
        link: SessionLink,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, \
             user_agent, binding_id, approval_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(now)
        .bind(now)
        .bind(expires_at)
        .bind(user_agent)
        .bind(link.binding_id)
        .bind(link.approval_id)
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
    ) -> DbResult<Option<(UserRecord, SessionLink)>> {
        let Some((user, link, stale)) = self.session_account(token_hash, now, idle_ms).await?
        else {
            return Ok(None);
        };
        if stale {
            self.slide_session(token_hash, now).await?;
        }
        Ok(Some((self.user_by_id(user).await?, link)))
    }

    /// Moves a session's idle deadline to `now`.
    pub async fn slide_session(&self, token_hash: &str, now: i64) -> DbResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The account id behind a live session (one query), and whether its idle
    /// deadline is due to slide: the caller slides it, so that the player's
    /// heartbeats can do it inside their own group commit.
    pub async fn session_account(
        &self,
        token_hash: &str,
        now: i64,
        idle_ms: i64,
    ) -> DbResult<Option<(UserId, SessionLink, bool)>> {
        let found: Option<(i64, Option<i64>, Option<i64>, i64)> = sqlx::query_as(
            "SELECT u.id, s.binding_id, s.approval_id, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 \
             AND u.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(now)
        .bind(now - idle_ms)
        .fetch_optional(self.pool())
        .await?;
        let Some((user, binding_id, approval_id, last_seen_at)) = found else {
            return Ok(None);
        };
        // Sliding the deadline is a write; a player sends a heartbeat every few
        // seconds, so the write is skipped unless it moves the deadline by more
        // than a few percent of the idle timeout.
        let stale = now - last_seen_at > (idle_ms / 32).min(SLIDE_EVERY_MS);
        Ok(Some((
            UserId(user),
            SessionLink {
                binding_id,
                approval_id,
            },
            stale,
        )))
    }

    pub async fn delete_session(&self, token_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends every session of an account but `keep` (a password change keeps
    /// the session it was made in).
    pub async fn delete_other_sessions(&self, user: UserId, keep: &str) -> DbResult<u64> {
        Ok(
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user.0)
                .bind(keep)
                .execute(self.pool())
                .await?
                .rows_affected(),
        )
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
