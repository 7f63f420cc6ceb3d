//! Daily check-ins.

use super::*;

impl Store {
    /// Checks the learner in for `day`; `false` if they already were.
    pub async fn check_in(
        &self,
        class_id: ClassId,
        user: UserId,
        day: i32,
        now: i64,
    ) -> DbResult<bool> {
        Ok(sqlx::query(
            "INSERT INTO checkins (class_id, user_id, day, checked_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(class_id.0)
        .bind(user.0)
        .bind(i64::from(day))
        .bind(now)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// The days the learner checked in to the class, in order.
    pub async fn checkin_days(&self, class_id: ClassId, user: UserId) -> DbResult<Vec<i32>> {
        let days: Vec<i64> = sqlx::query_scalar(
            "SELECT day FROM checkins WHERE class_id = $1 AND user_id = $2 ORDER BY day",
        )
        .bind(class_id.0)
        .bind(user.0)
        .fetch_all(self.pool())
        .await?;
        Ok(days
            .into_iter()
            .filter_map(|d| i32::try_from(d).ok())
            .collect())
    }

    /// Who checked in to the class on `day`: (learner, time).
    pub async fn checkins_on(&self, class_id: ClassId, day: i32) -> DbResult<Vec<(UserId, i64)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT user_id, checked_at FROM checkins WHERE class_id = $1 AND day = $2 \
             ORDER BY checked_at",
        )
        .bind(class_id.0)
        .bind(i64::from(day))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(u, t)| (UserId(u), t)).collect())
    }
}
