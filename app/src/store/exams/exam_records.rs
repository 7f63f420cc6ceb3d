//! Exams: created from a plan in a class, opened and closed.

use super::*;

impl Store {
    pub async fn create_exam(
        &self,
        title: &str,
        blueprint: BlueprintId,
        form: &str,
        class_id: Option<ClassId>,
        by: UserId,
        now: i64,
    ) -> DbResult<ExamId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO exams (title, blueprint_id, form, class_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(title)
        .bind(blueprint.0)
        .bind(form)
        .bind(class_id.map(|c| c.0))
        .bind(by.0)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(ExamId(id))
    }

    pub async fn set_exam_state(&self, exam: ExamId, state: ExamState, now: i64) -> DbResult<()> {
        let state = state.code();
        let changed = sqlx::query(
            "UPDATE exams SET state = $1, \
             closed_at = CASE WHEN $2 = 'closed' THEN $3 ELSE NULL END WHERE id = $4",
        )
        .bind(state)
        .bind(state)
        .bind(now)
        .bind(exam.0)
        .execute(self.pool())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    const EXAM_SELECT: &str = "SELECT e.id, e.title, e.blueprint_id, b.title AS blueprint_title, \
         e.form, e.class_id, c.title AS class_title, e.state, e.created_at, e.closed_at \
         FROM exams e JOIN blueprints b ON b.id = e.blueprint_id \
         LEFT JOIN classes c ON c.id = e.class_id";

    fn exam_from_row(row: &sqlx::any::AnyRow) -> DbResult<ExamRecord> {
        Ok(ExamRecord {
            id: ExamId(row.try_get("id")?),
            title: row.try_get("title")?,
            blueprint_id: BlueprintId(row.try_get("blueprint_id")?),
            blueprint_title: row.try_get("blueprint_title")?,
            form: row.try_get("form")?,
            class_id: row.try_get::<Option<i64>, _>("class_id")?.map(ClassId),
            class_title: row.try_get("class_title")?,
            state: crate::store::decode_column(row, "state")?,
            created_at: row.try_get("created_at")?,
            closed_at: row.try_get("closed_at")?,
        })
    }

    pub async fn exam(&self, exam: ExamId) -> DbResult<ExamRecord> {
        let sql = format!("{} WHERE e.id = $1", Self::EXAM_SELECT);
        let row = sqlx::query(&sql)
            .bind(exam.0)
            .fetch_one(self.pool())
            .await?;
        Self::exam_from_row(&row)
    }

    pub async fn exams(&self) -> DbResult<Vec<ExamRecord>> {
        let sql = format!("{} ORDER BY e.id DESC", Self::EXAM_SELECT);
        sqlx::query(&sql)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(Self::exam_from_row)
            .collect()
    }

    /// Exams (open or closed, never drafts) of the classes the learner is
    /// enrolled in.
    pub async fn exams_for_learner(&self, user: UserId) -> DbResult<Vec<ExamRecord>> {
        let sql = format!(
            "{} JOIN enrolments n ON n.class_id = e.class_id \
             WHERE n.user_id = $1 AND e.state <> 'draft' ORDER BY e.id",
            Self::EXAM_SELECT
        );
        sqlx::query(&sql)
            .bind(user.0)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(Self::exam_from_row)
            .collect()
    }
}
