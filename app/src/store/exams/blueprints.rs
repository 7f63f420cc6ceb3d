//! Paper plans (组卷方案) and the pools they draw from.

use super::*;

impl Store {
    pub async fn create_blueprint(
        &self,
        title: &str,
        body: &Blueprint,
        by: UserId,
        now: i64,
    ) -> DbResult<BlueprintId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO blueprints (title, body, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(title)
        .bind(to_json(body)?)
        .bind(by.0)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(BlueprintId(id))
    }

    pub async fn update_blueprint(
        &self,
        id: BlueprintId,
        title: &str,
        body: &Blueprint,
        now: i64,
    ) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE blueprints SET title = $1, body = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(title)
        .bind(to_json(body)?)
        .bind(now)
        .bind(id.0)
        .execute(self.pool())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    fn blueprint_from_row(row: &sqlx::any::AnyRow) -> DbResult<BlueprintRecord> {
        Ok(BlueprintRecord {
            id: BlueprintId(row.try_get("id")?),
            title: row.try_get("title")?,
            body: from_json(&row.try_get::<String, _>("body")?)?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    pub async fn blueprints(&self) -> DbResult<Vec<BlueprintRecord>> {
        sqlx::query("SELECT id, title, body, updated_at FROM blueprints ORDER BY id DESC")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(Self::blueprint_from_row)
            .collect()
    }

    pub async fn blueprint(&self, id: BlueprintId) -> DbResult<BlueprintRecord> {
        let row = sqlx::query("SELECT id, title, body, updated_at FROM blueprints WHERE id = $1")
            .bind(id.0)
            .fetch_one(self.pool())
            .await?;
        Self::blueprint_from_row(&row)
    }

    /// The learner's seed for a blueprint, if one is recorded (both forms of
    /// an exam pair are drawn from it). A first start records it with the
    /// attempt: see [`NewAttempt::new_seed`].
    pub async fn blueprint_seed(
        &self,
        blueprint: BlueprintId,
        user: UserId,
    ) -> DbResult<Option<u64>> {
        let seed: Option<i64> = sqlx::query_scalar(
            "SELECT seed FROM blueprint_seeds WHERE blueprint_id = $1 AND user_id = $2",
        )
        .bind(blueprint.0)
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(seed.map(i64::cast_unsigned))
    }
}
