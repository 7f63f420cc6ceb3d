//! Bound devices, approvals of other devices by the bound one, and requests to
//! bind a new device. Callers pass hashes of device keys and secrets, never the
//! values themselves.

use super::{Conflict, DbError, DbResult, Store};
use academy_shared::ids::UserId;
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub id: i64,
    pub key_hash: String,
    pub label: String,
    pub bound_at: i64,
    pub last_used_at: i64,
    /// The device's public key (hex of the uncompressed P-256 point) when it
    /// was bound with a key pair made in its browser; then only a signature
    /// by that key lets it in, never the bearer key.
    pub public_key: Option<String>,
}

/// A request from another device, as the bound phone sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    pub id: i64,
    pub user_id: UserId,
    pub binding_id: i64,
    pub short_code: String,
    pub label: String,
    pub address: String,
    pub requested_at: i64,
    pub expires_at: i64,
    pub approved_at: Option<i64>,
    pub refused_at: Option<i64>,
    pub claimed_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A device let in by approval that still has a live session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovedDevice {
    pub approval_id: i64,
    pub label: String,
    pub approved_at: i64,
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RebindRequest {
    pub id: i64,
    pub user_id: UserId,
    pub username: String,
    pub real_name: String,
    pub reason: String,
    pub label: String,
    pub requested_at: i64,
}

const APPROVAL_COLUMNS: &str = "id, user_id, binding_id, short_code, label, address, requested_at, \
     expires_at, approved_at, refused_at, claimed_at, revoked_at";

fn approval_from_row(row: &sqlx::any::AnyRow) -> DbResult<Approval> {
    Ok(Approval {
        id: row.try_get("id")?,
        user_id: UserId(row.try_get("user_id")?),
        binding_id: row.try_get("binding_id")?,
        short_code: row.try_get("short_code")?,
        label: row.try_get("label")?,
        address: row.try_get("address")?,
        requested_at: row.try_get("requested_at")?,
        expires_at: row.try_get("expires_at")?,
        approved_at: row.try_get("approved_at")?,
        refused_at: row.try_get("refused_at")?,
        claimed_at: row.try_get("claimed_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

/// How long a device-key challenge may be answered.
pub const DEVICE_CHALLENGE_TTL_MS: i64 = 10 * 60_000;

impl Store {
    pub async fn live_binding(&self, user: UserId) -> DbResult<Option<Binding>> {
        let row = sqlx::query(
            "SELECT id, key_hash, label, bound_at, last_used_at, public_key FROM device_bindings \
             WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(Binding {
                id: row.try_get("id")?,
                key_hash: row.try_get("key_hash")?,
                label: row.try_get("label")?,
                bound_at: row.try_get("bound_at")?,
                last_used_at: row.try_get("last_used_at")?,
                public_key: row.try_get("public_key")?,
            })
        })
        .transpose()
    }

    /// Binds a device (by its public key when it has a key pair);
    /// [`DbError::Conflict`] if one is bound already (two first sign-ins
    /// racing: only one wins).
    pub async fn bind_device(
        &self,
        user: UserId,
        key_hash: &str,
        public_key: Option<&str>,
        label: &str,
        now: i64,
    ) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO device_bindings (user_id, key_hash, public_key, label, bound_at, \
             last_used_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user.0)
        .bind(key_hash)
        .bind(public_key)
        .bind(label)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool())
        .await?)
    }

    /// Gives a device bound by bearer key its key pair's public key: from
    /// then on only a signature lets it in.
    pub async fn upgrade_binding(&self, binding: i64, public_key: &str) -> DbResult<()> {
        sqlx::query(
            "UPDATE device_bindings SET public_key = $1 WHERE id = $2 AND public_key IS NULL",
        )
        .bind(public_key)
        .bind(binding)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The public key of a live binding, if it has one.
    pub async fn binding_public_key(&self, binding: i64) -> DbResult<Option<String>> {
        let key: Option<Option<String>> = sqlx::query_scalar(
            "SELECT public_key FROM device_bindings WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(binding)
        .fetch_optional(self.pool())
        .await?;
        Ok(key.flatten())
    }

    /// Issues a one-time challenge for a device key to `address`, unless that
    /// address asked for `max_per_minute` in the last minute (`None` then).
    /// Old challenges are swept as new ones are made.
    pub async fn issue_device_challenge(
        &self,
        nonce: &str,
        address: &str,
        max_per_minute: i64,
        now: i64,
    ) -> DbResult<Option<String>> {
        let recent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM device_challenges WHERE address = $1 AND issued_at > $2",
        )
        .bind(address)
        .bind(now - 60_000)
        .fetch_one(self.pool())
        .await?;
        if recent >= max_per_minute {
            return Ok(None);
        }
        sqlx::query("DELETE FROM device_challenges WHERE issued_at < $1")
            .bind(now - DEVICE_CHALLENGE_TTL_MS)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO device_challenges (nonce, address, issued_at) VALUES ($1, $2, $3)",
        )
        .bind(nonce)
        .bind(address)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(Some(nonce.to_owned()))
    }

    /// Uses up a challenge: true once, for a challenge issued within
    /// [`DEVICE_CHALLENGE_TTL_MS`]; false for an unknown, stale or used one.
    pub async fn use_device_challenge(&self, nonce: &str, now: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE device_challenges SET used_at = $1 WHERE nonce = $2 AND used_at IS NULL \
             AND issued_at > $3",
        )
        .bind(now)
        .bind(nonce)
        .bind(now - DEVICE_CHALLENGE_TTL_MS)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn touch_binding(&self, binding: i64, now: i64) -> DbResult<()> {
        sqlx::query("UPDATE device_bindings SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(binding)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Unbinds the live device of `user`: ends the sessions opened on it and by
    /// its approvals. Returns the binding unbound, if there was one.
    pub async fn revoke_binding(
        &self,
        user: UserId,
        by: UserId,
        now: i64,
    ) -> DbResult<Option<Binding>> {
        let Some(binding) = self.live_binding(user).await? else {
            return Ok(None);
        };
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE device_bindings SET revoked_at = $1, revoked_by = $2 WHERE id = $3")
            .bind(now)
            .bind(by.0)
            .bind(binding.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE device_approvals SET revoked_at = $1 WHERE binding_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(binding.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM sessions WHERE binding_id = $1 \
             OR approval_id IN (SELECT id FROM device_approvals WHERE binding_id = $2)",
        )
        .bind(binding.id)
        .bind(binding.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(binding))
    }

    pub async fn create_approval(
        &self,
        user: UserId,
        binding: i64,
        short_code: &str,
        secret_hash: &str,
        label: &str,
        address: &str,
        now: i64,
        expires_at: i64,
    ) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO device_approvals (user_id, binding_id, short_code, secret_hash, label, \
             address, requested_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(user.0)
        .bind(binding)
        .bind(short_code)
        .bind(secret_hash)
        .bind(label)
        .bind(address)
        .bind(now)
        .bind(expires_at)
        .fetch_one(self.pool())
        .await?)
    }

    /// The open request with this code for `user`'s account, if any.
    pub async fn approval_by_code(
        &self,
        user: UserId,
        short_code: &str,
        now: i64,
    ) -> DbResult<Option<Approval>> {
        let sql = format!(
            "SELECT {APPROVAL_COLUMNS} FROM device_approvals WHERE user_id = $1 AND short_code = $2 \
             AND expires_at > $3 AND revoked_at IS NULL ORDER BY id DESC"
        );
        let row = sqlx::query(&sql)
            .bind(user.0)
            .bind(short_code)
            .bind(now)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(approval_from_row).transpose()
    }

    pub async fn approval_by_secret(&self, secret_hash: &str) -> DbResult<Option<Approval>> {
        let sql = format!("SELECT {APPROVAL_COLUMNS} FROM device_approvals WHERE secret_hash = $1");
        let row = sqlx::query(&sql)
            .bind(secret_hash)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(approval_from_row).transpose()
    }

    /// Records the bound phone's answer to an open, undecided request.
    pub async fn decide_approval(&self, id: i64, approve: bool, now: i64) -> DbResult<()> {
        let column = if approve { "approved_at" } else { "refused_at" };
        let sql = format!(
            "UPDATE device_approvals SET {column} = $1 WHERE id = $2 AND approved_at IS NULL \
             AND refused_at IS NULL AND revoked_at IS NULL AND expires_at > $3"
        );
        let changed = sqlx::query(&sql)
            .bind(now)
            .bind(id)
            .bind(now)
            .execute(self.pool())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Marks an approved request as used; true for exactly one caller.
    pub async fn claim_approval(&self, id: i64, now: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE device_approvals SET claimed_at = $1 WHERE id = $2 AND claimed_at IS NULL \
             AND approved_at IS NOT NULL AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Devices let in by approval whose session is still live.
    pub async fn approved_devices(
        &self,
        user: UserId,
        now: i64,
        idle_ms: i64,
    ) -> DbResult<Vec<ApprovedDevice>> {
        let rows = sqlx::query(
            "SELECT a.id, a.label, a.approved_at, MAX(s.expires_at) AS expires_at \
             FROM device_approvals a JOIN sessions s ON s.approval_id = a.id \
             WHERE a.user_id = $1 AND a.revoked_at IS NULL AND s.expires_at > $2 \
             AND s.last_seen_at > $3 GROUP BY a.id, a.label, a.approved_at ORDER BY a.id",
        )
        .bind(user.0)
        .bind(now)
        .bind(now - idle_ms)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ApprovedDevice {
                    approval_id: row.try_get("id")?,
                    label: row.try_get("label")?,
                    approved_at: row
                        .try_get::<Option<i64>, _>("approved_at")?
                        .unwrap_or_default(),
                    expires_at: row.try_get("expires_at")?,
                })
            })
            .collect()
    }

    /// Ends a device's approval and its sessions; `NotFound` unless it is `user`'s.
    pub async fn revoke_approval(&self, user: UserId, approval: i64, now: i64) -> DbResult<()> {
        let mut tx = self.pool().begin().await?;
        let changed = sqlx::query(
            "UPDATE device_approvals SET revoked_at = $1 WHERE id = $2 AND user_id = $3 \
             AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(approval)
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE approval_id = $1")
            .bind(approval)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Files a rebinding request; [`DbError::Conflict`] if one is already open.
    pub async fn request_rebind(
        &self,
        user: UserId,
        reason: &str,
        label: &str,
        now: i64,
    ) -> DbResult<i64> {
        let mut tx = self.pool().begin().await?;
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM rebind_requests WHERE user_id = $1 AND decided_at IS NULL",
        )
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_some() {
            return Err(DbError::Conflict(Conflict::RebindOpen));
        }
        let id = sqlx::query_scalar(
            "INSERT INTO rebind_requests (user_id, reason, label, requested_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user.0)
        .bind(reason)
        .bind(label)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn open_rebind_requests(&self) -> DbResult<Vec<RebindRequest>> {
        let rows = sqlx::query(
            "SELECT r.id, r.user_id, u.username, u.real_name, r.reason, r.label, r.requested_at \
             FROM rebind_requests r JOIN users u ON u.id = r.user_id \
             WHERE r.decided_at IS NULL ORDER BY r.requested_at",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RebindRequest {
                    id: row.try_get("id")?,
                    user_id: UserId(row.try_get("user_id")?),
                    username: row.try_get("username")?,
                    real_name: row.try_get("real_name")?,
                    reason: row.try_get("reason")?,
                    label: row.try_get("label")?,
                    requested_at: row.try_get("requested_at")?,
                })
            })
            .collect()
    }

    /// Decides an open request; approving unbinds the current device so that
    /// the next sign-in binds the new one. Returns the account concerned.
    pub async fn decide_rebind(
        &self,
        id: i64,
        by: UserId,
        approve: bool,
        now: i64,
    ) -> DbResult<UserId> {
        let user: Option<i64> = sqlx::query_scalar(
            "UPDATE rebind_requests SET decided_at = $1, decided_by = $2, approved = $3 \
             WHERE id = $4 AND decided_at IS NULL RETURNING user_id",
        )
        .bind(now)
        .bind(by.0)
        .bind(i64::from(approve))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let user = UserId(user.ok_or(DbError::NotFound)?);
        if approve {
            self.revoke_binding(user, by, now).await?;
        }
        Ok(user)
    }

    pub async fn open_rebind_request_of(&self, user: UserId) -> DbResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT requested_at FROM rebind_requests WHERE user_id = $1 AND decided_at IS NULL",
        )
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?)
    }
}
