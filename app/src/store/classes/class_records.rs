//! The class record: create, edit, copy, its lessons and tests, its life cycle.

use super::*;

impl Store {
    pub async fn class(&self, id: ClassId) -> DbResult<ClassRecord> {
        let sql = format!("SELECT {CLASS_COLUMNS} FROM classes WHERE id = $1");
        let row = sqlx::query(&sql).bind(id.0).fetch_one(self.pool()).await?;
        class_from_row(&row)
    }

    /// Every class, newest first.
    pub async fn classes(&self) -> DbResult<Vec<ClassRecord>> {
        let sql = format!("SELECT {CLASS_COLUMNS} FROM classes ORDER BY id DESC");
        sqlx::query(&sql)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(class_from_row)
            .collect()
    }

    /// The classes a learner is enrolled in, newest first, drafts left out.
    pub async fn classes_of(&self, user: UserId) -> DbResult<Vec<ClassRecord>> {
        let sql = format!(
            "SELECT {} FROM classes k JOIN enrolments e ON e.class_id = k.id \
             WHERE e.user_id = $1 AND k.state <> 'draft' ORDER BY k.id DESC",
            CLASS_COLUMNS
                .split(", ")
                .map(|c| format!("k.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        sqlx::query(&sql)
            .bind(user.0)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(class_from_row)
            .collect()
    }

    /// A new draft class.
    pub async fn insert_class(&self, edit: &ClassEdit, by: UserId, now: i64) -> DbResult<ClassId> {
        Ok(ClassId(
            sqlx::query_scalar(
            "INSERT INTO classes (title, description, state, starts_on, ends_on, idle_prompt_ms, \
             max_rate_milli, gating, completion, issuer, created_by, created_at, updated_at) \
             VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(&edit.title)
        .bind(&edit.description)
        .bind(edit.starts_on.map(i64::from))
        .bind(edit.ends_on.map(i64::from))
        .bind(edit.idle_prompt_ms)
        .bind(edit.max_rate_milli)
        .bind(json(&edit.gating)?)
        .bind(json(&edit.completion)?)
        .bind(&edit.issuer)
        .bind(by.0)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool())
        .await?,
        ))
    }

    /// Saves the form unless the class is closed (read-only) or changed
    /// since `expected_updated_at` (someone else saved first): `Conflict`.
    pub async fn update_class(
        &self,
        id: ClassId,
        edit: &ClassEdit,
        expected_updated_at: i64,
        now: i64,
    ) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE classes SET title = $1, description = $2, starts_on = $3, ends_on = $4, \
             idle_prompt_ms = $5, max_rate_milli = $6, gating = $7, completion = $8, \
             issuer = $9, updated_at = $10 \
             WHERE id = $11 AND state <> 'closed' AND updated_at = $12",
        )
        .bind(&edit.title)
        .bind(&edit.description)
        .bind(edit.starts_on.map(i64::from))
        .bind(edit.ends_on.map(i64::from))
        .bind(edit.idle_prompt_ms)
        .bind(edit.max_rate_milli)
        .bind(json(&edit.gating)?)
        .bind(json(&edit.completion)?)
        .bind(&edit.issuer)
        .bind(now.max(expected_updated_at + 1))
        .bind(id.0)
        .bind(expected_updated_at)
        .execute(self.pool())
        .await?
        .rows_affected();
        if changed == 0 {
            self.class(id).await?;
            return Err(DbError::Conflict(Conflict::ClassChanged));
        }
        Ok(())
    }

    /// Replaces the class's lessons with `courseware`, in that order (not
    /// for a closed class). Progress of lessons that stay is kept.
    pub async fn set_class_courseware(
        &self,
        id: ClassId,
        courseware: &[CoursewareId],
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        let state: String = sqlx::query_scalar("SELECT state FROM classes WHERE id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        if crate::store::decode::<ClassState>(&state)? == ClassState::Closed {
            return Err(DbError::Conflict(Conflict::ClassClosed));
        }
        sqlx::query("DELETE FROM class_courseware WHERE class_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        for (position, courseware_id) in courseware.iter().enumerate() {
            sqlx::query(
                "INSERT INTO class_courseware (class_id, courseware_id, position) \
                 VALUES ($1, $2, $3)",
            )
            .bind(id.0)
            .bind(courseware_id.0)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Links the class's pre-test or final exam (`which` is "pre" or "final").
    pub async fn set_class_exam(
        &self,
        id: ClassId,
        which: ClassTest,
        exam: Option<ExamId>,
    ) -> DbResult<()> {
        let column = match which {
            ClassTest::Pre => "pre_exam_id",
            ClassTest::Final => "final_exam_id",
        };
        let sql = format!("UPDATE classes SET {column} = $1 WHERE id = $2 AND state <> 'closed'");
        let changed = sqlx::query(&sql)
            .bind(exam.map(|e| e.0))
            .bind(id.0)
            .execute(self.pool())
            .await?
            .rows_affected();
        if changed == 0 {
            self.class(id).await?;
            return Err(DbError::Conflict(Conflict::ClassClosed));
        }
        Ok(())
    }

    /// Moves the class from `from` to `to` (the rules are
    /// `academy_shared::class::transition`); the class's exams follow: open
    /// while it is published or running, closed with it. `false` if the
    /// class was no longer in `from`.
    pub async fn set_class_state(
        &self,
        id: ClassId,
        from: ClassState,
        to: ClassState,
        now: i64,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE classes SET state = $1, \
             published_at = CASE WHEN $2 = 'published' AND published_at IS NULL THEN $3 \
                                 ELSE published_at END, \
             closed_at = CASE WHEN $4 = 'closed' THEN $5 ELSE NULL END, updated_at = $6 \
             WHERE id = $7 AND state = $8",
        )
        .bind(to.code())
        .bind(to.code())
        .bind(now)
        .bind(to.code())
        .bind(now)
        .bind(now)
        .bind(id.0)
        .bind(from.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        let exam_state = to.exam_state().code();
        sqlx::query(
            "UPDATE exams SET state = $1, \
             closed_at = CASE WHEN $2 = 'closed' THEN $3 ELSE NULL END \
             WHERE class_id = $4 AND state <> $5",
        )
        .bind(exam_state)
        .bind(exam_state)
        .bind(now)
        .bind(id.0)
        .bind(exam_state)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Courseware a class may teach (approved or published): (id, title,
    /// lecturer), by title.
    pub async fn courseware_for_classes(&self) -> DbResult<Vec<(CoursewareId, String, String)>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, title, lecturer_name FROM courseware \
             WHERE state IN ('approved', 'published') ORDER BY title, id",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title, lecturer)| (CoursewareId(id), title, lecturer))
            .collect())
    }

    /// Deletes a class's former test that nobody has sat and no class links
    /// to any more (its plan was changed or removed), so that it does not
    /// open with the class. `false` if it stays.
    pub async fn drop_unused_exam(&self, exam: ExamId) -> DbResult<bool> {
        Ok(sqlx::query(
            "DELETE FROM exams WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM attempts WHERE exam_id = $2) \
             AND NOT EXISTS (SELECT 1 FROM classes WHERE pre_exam_id = $3 OR final_exam_id = $4)",
        )
        .bind(exam.0)
        .bind(exam.0)
        .bind(exam.0)
        .bind(exam.0)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Whether anyone has started the exam.
    pub async fn exam_has_attempts(&self, exam: ExamId) -> DbResult<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM attempts WHERE exam_id = $1 LIMIT 1")
                .bind(exam.0)
                .fetch_optional(self.pool())
                .await?;
        Ok(found.is_some())
    }
}
