//! Certificates: issued, reissued, revoked, verified.

use super::*;

impl Store {
    /// Issues a certificate unless the learner holds a valid one for the
    /// class (then `Conflict`). The serial is the class's next number.
    ///
    /// Issued automatically (`by` is `None`) only to a learner who never had
    /// one in the class: a revoked certificate stays revoked until an
    /// organizer explicitly issues a new one.
    pub async fn issue_certificate(
        &self,
        class_id: ClassId,
        user: UserId,
        holder_name: &str,
        credited_ms: i64,
        serial_of: impl Fn(u32) -> String,
        code: &str,
        by: Option<UserId>,
        now: i64,
    ) -> DbResult<CertificateRecord> {
        let mut tx = self.begin_write().await?;
        if by.is_none() {
            let held: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM certificates WHERE class_id = $1 AND user_id = $2",
            )
            .bind(class_id.0)
            .bind(user.0)
            .fetch_one(&mut *tx)
            .await?;
            if held > 0 {
                return Err(DbError::Conflict(Conflict::CertificateRevoked));
            }
        }
        let issued: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE class_id = $1")
                .bind(class_id.0)
                .fetch_one(&mut *tx)
                .await?;
        let serial = serial_of(u32::try_from(issued + 1).unwrap_or(u32::MAX));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO certificates (class_id, user_id, serial, code, holder_name, credited_ms, \
             issued_at, issued_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(class_id.0)
        .bind(user.0)
        .bind(&serial)
        .bind(code)
        .bind(holder_name)
        .bind(credited_ms)
        .bind(now)
        .bind(by.map(|u| u.0))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        self.certificate(id).await
    }

    pub async fn certificate(&self, id: i64) -> DbResult<CertificateRecord> {
        let sql = format!("{CERTIFICATE_SELECT} WHERE t.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(self.pool()).await?;
        certificate_from_row(&row)
    }

    pub async fn certificate_by_code(&self, code: &str) -> DbResult<CertificateRecord> {
        let sql = format!("{CERTIFICATE_SELECT} WHERE t.code = $1");
        let row = sqlx::query(&sql).bind(code).fetch_one(self.pool()).await?;
        certificate_from_row(&row)
    }

    /// A learner's certificates (valid and revoked), newest first; of one
    /// class when `class_id` is given.
    pub async fn certificates_of(
        &self,
        user: UserId,
        class_id: Option<ClassId>,
    ) -> DbResult<Vec<CertificateRecord>> {
        let sql = format!(
            "{CERTIFICATE_SELECT} WHERE t.user_id = $1 AND ($2 IS NULL OR t.class_id = $3) \
             ORDER BY t.id DESC"
        );
        sqlx::query(&sql)
            .bind(user.0)
            .bind(class_id.map(|c| c.0))
            .bind(class_id.map(|c| c.0))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(certificate_from_row)
            .collect()
    }

    /// Every certificate of a class, by serial.
    pub async fn class_certificates(&self, class_id: ClassId) -> DbResult<Vec<CertificateRecord>> {
        let sql = format!("{CERTIFICATE_SELECT} WHERE t.class_id = $1 ORDER BY t.serial");
        sqlx::query(&sql)
            .bind(class_id.0)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(certificate_from_row)
            .collect()
    }

    /// Revokes a valid certificate; `false` if it was already revoked.
    pub async fn revoke_certificate(
        &self,
        id: i64,
        by: UserId,
        reason: &str,
        now: i64,
    ) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE certificates SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 \
             WHERE id = $4 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(by.0)
        .bind(reason)
        .bind(id)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }
}
