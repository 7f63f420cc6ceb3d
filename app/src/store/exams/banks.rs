//! Question banks (题库): create, edit, archive, invite lecturers.

use super::*;

impl Store {
    pub async fn create_bank(
        &self,
        title: &str,
        description: &str,
        by: UserId,
        now: i64,
    ) -> DbResult<BankId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO question_banks (title, description, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(title)
        .bind(description)
        .bind(by.0)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(BankId(id))
    }

    pub async fn update_bank(
        &self,
        bank: BankId,
        title: &str,
        description: &str,
        archived: bool,
        now: i64,
    ) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE question_banks SET title = $1, description = $2, \
             archived_at = CASE WHEN $3 = 1 THEN COALESCE(archived_at, $4) ELSE NULL END, \
             updated_at = $5 WHERE id = $6",
        )
        .bind(title)
        .bind(description)
        .bind(i64::from(archived))
        .bind(now)
        .bind(now)
        .bind(bank.0)
        .execute(self.pool())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    const BANK_COLUMNS: &str = "b.id, b.title, b.description, b.archived_at, b.updated_at, \
         (SELECT COUNT(*) FROM questions q WHERE q.bank_id = b.id AND q.archived_at IS NULL) AS question_count";

    fn bank_from_row(row: &sqlx::any::AnyRow) -> DbResult<Bank> {
        Ok(Bank {
            id: BankId(row.try_get("id")?),
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
            question_count: row.try_get("question_count")?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// Every bank, or with `invited` only the banks that lecturer is invited to.
    pub async fn banks(&self, invited: Option<UserId>) -> DbResult<Vec<Bank>> {
        let sql = match invited {
            Some(_) => format!(
                "SELECT {} FROM question_banks b JOIN bank_invites i ON i.bank_id = b.id \
                 WHERE i.lecturer_id = $1 ORDER BY b.archived_at IS NOT NULL, b.id DESC",
                Self::BANK_COLUMNS
            ),
            None => format!(
                "SELECT {} FROM question_banks b ORDER BY b.archived_at IS NOT NULL, b.id DESC",
                Self::BANK_COLUMNS
            ),
        };
        let mut query = sqlx::query(&sql);
        if let Some(lecturer) = invited {
            query = query.bind(lecturer.0);
        }
        query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(Self::bank_from_row)
            .collect()
    }

    pub async fn bank(&self, bank: BankId) -> DbResult<Bank> {
        let sql = format!(
            "SELECT {} FROM question_banks b WHERE b.id = $1",
            Self::BANK_COLUMNS
        );
        let row = sqlx::query(&sql)
            .bind(bank.0)
            .fetch_one(self.pool())
            .await?;
        Self::bank_from_row(&row)
    }

    pub async fn bank_invites(&self, bank: BankId) -> DbResult<Vec<BankInvite>> {
        let rows = sqlx::query(
            "SELECT i.lecturer_id, u.real_name, i.quota, \
             (SELECT COUNT(*) FROM questions q WHERE q.bank_id = i.bank_id \
              AND q.author_id = i.lecturer_id) AS contributed \
             FROM bank_invites i JOIN users u ON u.id = i.lecturer_id \
             WHERE i.bank_id = $1 ORDER BY u.real_name, i.lecturer_id",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(BankInvite {
                    lecturer_id: UserId(row.try_get("lecturer_id")?),
                    lecturer_name: row.try_get("real_name")?,
                    quota: row.try_get("quota")?,
                    contributed: row.try_get("contributed")?,
                })
            })
            .collect()
    }

    /// Invites a lecturer (or changes their quota).
    pub async fn invite_lecturer(
        &self,
        bank: BankId,
        lecturer: UserId,
        quota: i64,
        by: UserId,
        now: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO bank_invites (bank_id, lecturer_id, quota, invited_by, invited_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (bank_id, lecturer_id) DO UPDATE SET quota = excluded.quota",
        )
        .bind(bank.0)
        .bind(lecturer.0)
        .bind(quota)
        .bind(by.0)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn remove_invite(&self, bank: BankId, lecturer: UserId) -> DbResult<()> {
        sqlx::query("DELETE FROM bank_invites WHERE bank_id = $1 AND lecturer_id = $2")
            .bind(bank.0)
            .bind(lecturer.0)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The lecturer's quota in the bank, if invited.
    pub async fn invite_quota(&self, bank: BankId, lecturer: UserId) -> DbResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT quota FROM bank_invites WHERE bank_id = $1 AND lecturer_id = $2",
        )
        .bind(bank.0)
        .bind(lecturer.0)
        .fetch_optional(self.pool())
        .await?)
    }
}
