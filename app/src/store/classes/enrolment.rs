//! Enrolment and reporting in (报到).

use super::*;

impl Store {
    /// Enrols learners (again is fine); returns how many were new.
    pub async fn enrol_by(
        &self,
        class_id: ClassId,
        users: &[UserId],
        by: UserId,
        now: i64,
    ) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for user in users {
            added += sqlx::query(
                "INSERT INTO enrolments (class_id, user_id, enrolled_at, enrolled_by) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(class_id.0)
            .bind(user.0)
            .bind(now)
            .bind(by.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Takes a learner out of a class who has not reported in yet; `false`
    /// if they had (their record stays).
    pub async fn unenrol(&self, class_id: ClassId, user: UserId) -> DbResult<bool> {
        Ok(sqlx::query(
            "DELETE FROM enrolments WHERE class_id = $1 AND user_id = $2 AND reported_at IS NULL",
        )
        .bind(class_id.0)
        .bind(user.0)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Learner accounts (active, with the learner role) in these regions.
    pub async fn learners_in_regions(&self, regions: &[RegionId]) -> DbResult<Vec<UserId>> {
        if regions.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT DISTINCT u.id FROM users u JOIN user_roles r ON r.user_id = u.id \
             WHERE r.role = 'learner' AND u.disabled_at IS NULL AND u.region_id IN ({}) \
             ORDER BY u.id",
            crate::store::users::placeholders(1, regions.len())
        );
        let mut query = sqlx::query_scalar(&sql);
        for region in regions {
            query = query.bind(region.0);
        }
        Ok(query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(UserId)
            .collect())
    }

    /// The class's learners, by region then name.
    pub async fn enrolled(&self, class_id: ClassId) -> DbResult<Vec<Enrolled>> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.real_name, u.phone, u.region_id, g.name AS region_name, \
             e.enrolled_at, e.reported_at FROM enrolments e JOIN users u ON u.id = e.user_id \
             LEFT JOIN regions g ON g.id = u.region_id \
             WHERE e.class_id = $1 ORDER BY g.name, u.real_name, u.id",
        )
        .bind(class_id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Enrolled {
                    user: UserId(row.try_get("id")?),
                    username: row.try_get("username")?,
                    real_name: row.try_get("real_name")?,
                    phone: row.try_get("phone")?,
                    region: row.try_get::<Option<i64>, _>("region_id")?.map(RegionId),
                    region_name: row.try_get("region_name")?,
                    enrolled_at: row.try_get("enrolled_at")?,
                    reported_at: row.try_get("reported_at")?,
                })
            })
            .collect()
    }

    /// Reports the learner in (报到), once; `false` if already reported or
    /// not enrolled.
    pub async fn report_in(&self, class_id: ClassId, user: UserId, now: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE enrolments SET reported_at = $1 \
             WHERE class_id = $2 AND user_id = $3 AND reported_at IS NULL",
        )
        .bind(now)
        .bind(class_id.0)
        .bind(user.0)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Records a lesson as fully watched, credited and completed at `at`
    /// (for demo data and tests; learners earn this through heartbeats).
    pub async fn record_lesson_done(
        &self,
        user: UserId,
        class_id: ClassId,
        courseware_id: CoursewareId,
        duration_ms: i64,
        at: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO lesson_progress (user_id, class_id, courseware_id, position_ms, \
             watched, credited_ms, completed_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (user_id, class_id, courseware_id) DO UPDATE SET \
             position_ms = excluded.position_ms, watched = excluded.watched, \
             credited_ms = excluded.credited_ms, completed_at = excluded.completed_at, \
             updated_at = excluded.updated_at",
        )
        .bind(user.0)
        .bind(class_id.0)
        .bind(courseware_id.0)
        .bind(duration_ms)
        .bind(format!("0-{duration_ms}"))
        .bind(duration_ms)
        .bind(at)
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
