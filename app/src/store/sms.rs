//! SMS verification codes, kept as hashes.

use super::{DbResult, Store};

impl Store {
    pub async fn sms_sent_to(&self, phone: &str, since: i64) -> DbResult<Vec<i64>> {
        Ok(
            sqlx::query_scalar("SELECT sent_at FROM sms_codes WHERE phone = $1 AND sent_at > $2")
                .bind(phone)
                .bind(since)
                .fetch_all(self.pool())
                .await?,
        )
    }

    pub async fn sms_sent_from(&self, address: &str, since: i64) -> DbResult<Vec<i64>> {
        Ok(
            sqlx::query_scalar("SELECT sent_at FROM sms_codes WHERE address = $1 AND sent_at > $2")
                .bind(address)
                .bind(since)
                .fetch_all(self.pool())
                .await?,
        )
    }

    pub async fn record_sms_code(
        &self,
        phone: &str,
        purpose: &str,
        code_hash: &str,
        address: &str,
        now: i64,
        expires_at: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sms_codes (phone, purpose, code_hash, address, sent_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(phone)
        .bind(purpose)
        .bind(code_hash)
        .bind(address)
        .bind(now)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Checks a code against the latest live one sent to `phone` for `purpose`,
    /// using it up on success and counting a wrong guess otherwise. A code with
    /// `max_attempts` wrong guesses is void.
    pub async fn use_sms_code(
        &self,
        phone: &str,
        purpose: &str,
        code_hash: &str,
        now: i64,
        max_attempts: i64,
    ) -> DbResult<bool> {
        let latest: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT id, code_hash, attempts FROM sms_codes WHERE phone = $1 AND purpose = $2 \
             AND used_at IS NULL AND expires_at > $3 ORDER BY sent_at DESC, id DESC LIMIT 1",
        )
        .bind(phone)
        .bind(purpose)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        let Some((id, stored, attempts)) = latest else {
            return Ok(false);
        };
        if attempts >= max_attempts {
            return Ok(false);
        }
        if stored == code_hash {
            // Only one request can use the code, even if two race.
            let used =
                sqlx::query("UPDATE sms_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .execute(self.pool())
                    .await?
                    .rows_affected();
            Ok(used == 1)
        } else {
            sqlx::query("UPDATE sms_codes SET attempts = attempts + 1 WHERE id = $1")
                .bind(id)
                .execute(self.pool())
                .await?;
            Ok(false)
        }
    }
}
