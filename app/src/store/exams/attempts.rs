//! Attempts: starting (the paper drawn), answering, handing in, grading.

use super::*;

impl Store {
    const ATTEMPT_COLUMNS: &str = "id, exam_id, user_id, number, seed, form, multiple_policy, \
         max_score, pass_mark, started_at, deadline_at, submitted_at, closed_by, score, passed";

    fn attempt_from_row(row: &sqlx::any::AnyRow) -> DbResult<AttemptRecord> {
        Ok(AttemptRecord {
            id: AttemptId(row.try_get("id")?),
            exam: ExamId(row.try_get("exam_id")?),
            user: UserId(row.try_get("user_id")?),
            number: row.try_get("number")?,
            seed: row.try_get::<i64, _>("seed")?.cast_unsigned(),
            form: row.try_get("form")?,
            policy: crate::store::decode_column(row, "multiple_policy")?,
            max_score: cents(row.try_get("max_score")?),
            pass_mark: cents(row.try_get("pass_mark")?),
            started_at: row.try_get("started_at")?,
            deadline_at: row.try_get("deadline_at")?,
            submitted_at: row.try_get("submitted_at")?,
            closed_by: row.try_get("closed_by")?,
            score: row.try_get::<Option<i64>, _>("score")?.map(cents),
            passed: row.try_get::<Option<i64>, _>("passed")?.map(|p| p != 0),
        })
    }

    pub async fn attempt(&self, attempt: AttemptId) -> DbResult<AttemptRecord> {
        let sql = format!(
            "SELECT {} FROM attempts WHERE id = $1",
            Self::ATTEMPT_COLUMNS
        );
        let row = sqlx::query(&sql)
            .bind(attempt.0)
            .fetch_one(self.pool())
            .await?;
        Self::attempt_from_row(&row)
    }

    /// A learner's attempts at an exam, first first.
    pub async fn attempts_of(&self, exam: ExamId, user: UserId) -> DbResult<Vec<AttemptRecord>> {
        let sql = format!(
            "SELECT {} FROM attempts WHERE exam_id = $1 AND user_id = $2 ORDER BY number",
            Self::ATTEMPT_COLUMNS
        );
        sqlx::query(&sql)
            .bind(exam.0)
            .bind(user.0)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(Self::attempt_from_row)
            .collect()
    }

    /// Every attempt of a learner, for their exam list.
    pub async fn attempts_of_user(&self, user: UserId) -> DbResult<Vec<AttemptRecord>> {
        let sql = format!(
            "SELECT {} FROM attempts WHERE user_id = $1 ORDER BY exam_id, number",
            Self::ATTEMPT_COLUMNS
        );
        sqlx::query(&sql)
            .bind(user.0)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(Self::attempt_from_row)
            .collect()
    }

    /// Starts an attempt with its drawn questions, in one transaction. A
    /// second start racing this one for the same number (or for the
    /// learner's first seed) gets `Conflict`. The exam writer batches these
    /// through [`Store::apply_exam_writes`]; this is the one-off form.
    pub async fn insert_attempt(
        &self,
        attempt: &NewAttempt,
        items: &[NewItem],
    ) -> DbResult<AttemptId> {
        let job = ExamWrite::Start {
            attempt: attempt.clone(),
            items: items.to_vec(),
        };
        match self.apply_exam_writes(&[job]).await?.pop() {
            Some(Ok(ExamWritten::Started(id))) => Ok(id),
            Some(Ok(ExamWritten::NumberTaken)) => Err(DbError::Conflict(Conflict::AttemptNumber)),
            Some(Ok(ExamWritten::SeedTaken)) => Err(DbError::Conflict(Conflict::Seed)),
            Some(Err(error)) => Err(error),
            Some(Ok(ExamWritten::Saved(_))) | None => Err(DbError::Other(sqlx::Error::Protocol(
                "the exam writer answered a start with something else".into(),
            ))),
        }
    }

    /// Applies starts and answer saves in one transaction (one durable
    /// commit for all of them). Each job runs in its own savepoint, so one
    /// that fails or is refused writes nothing and the others still land;
    /// only a failure of the transaction itself fails them all.
    pub async fn apply_exam_writes(
        &self,
        jobs: &[ExamWrite],
    ) -> DbResult<Vec<DbResult<ExamWritten>>> {
        let mut tx = self.begin_write().await?;
        let mut results = Vec::with_capacity(jobs.len());
        for job in jobs {
            sqlx::query("SAVEPOINT exam_write")
                .execute(&mut *tx)
                .await?;
            let result = match job {
                ExamWrite::Start { attempt, items } => {
                    insert_attempt_in(&mut tx, attempt, items).await
                }
                ExamWrite::Save {
                    attempt,
                    answers,
                    now,
                } => save_responses_in(&mut tx, *attempt, answers, *now)
                    .await
                    .map(ExamWritten::Saved),
            };
            let keep = matches!(
                result,
                Ok(ExamWritten::Started(_) | ExamWritten::Saved(true))
            );
            if !keep {
                sqlx::query("ROLLBACK TO SAVEPOINT exam_write")
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("RELEASE SAVEPOINT exam_write")
                .execute(&mut *tx)
                .await?;
            results.push(result);
        }
        tx.commit().await?;
        Ok(results)
    }

    pub async fn attempt_items(&self, attempt: AttemptId) -> DbResult<Vec<AttemptItem>> {
        let rows = sqlx::query(
            "SELECT position, question_id, version_id, section, points, option_order, response, \
             saved_at, score FROM attempt_items WHERE attempt_id = $1 ORDER BY position",
        )
        .bind(attempt.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(item_from_row).collect()
    }

    /// Saves answers while the attempt is open and before its deadline.
    /// Returns `false` (and saves nothing) when it is closed or late.
    /// `answers` must name positions of this attempt (checked by the caller).
    /// The exam writer batches these; this is the one-off form.
    pub async fn save_responses(
        &self,
        attempt: AttemptId,
        answers: &[(i64, Option<Response>)],
        now: i64,
    ) -> DbResult<bool> {
        let job = ExamWrite::Save {
            attempt,
            answers: answers.to_vec(),
            now,
        };
        match self.apply_exam_writes(&[job]).await?.pop() {
            Some(Ok(ExamWritten::Saved(open))) => Ok(open),
            Some(Err(error)) => Err(error),
            Some(Ok(_)) | None => Err(DbError::Other(sqlx::Error::Protocol(
                "the exam writer answered a save with something else".into(),
            ))),
        }
    }

    /// Closes and grades an attempt with what was saved, once: a second call
    /// (a double submit, or the deadline sweep) gets `AlreadyClosed`.
    pub async fn close_attempt(
        &self,
        attempt: AttemptId,
        closed_by: &str,
        now: i64,
    ) -> DbResult<CloseOutcome> {
        let mut tx = self.begin_write().await?;
        let closed = sqlx::query(
            "UPDATE attempts SET submitted_at = $1, closed_by = $2 \
             WHERE id = $3 AND submitted_at IS NULL",
        )
        .bind(now)
        .bind(closed_by)
        .bind(attempt.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if closed == 0 {
            tx.commit().await?;
            return Ok(CloseOutcome::AlreadyClosed);
        }
        let row = sqlx::query("SELECT multiple_policy, pass_mark FROM attempts WHERE id = $1")
            .bind(attempt.0)
            .fetch_one(&mut *tx)
            .await?;
        let policy = crate::store::decode_column(&row, "multiple_policy")?;
        let pass_mark = cents(row.try_get("pass_mark")?);
        let rows = sqlx::query(
            "SELECT i.position, i.question_id, i.version_id, i.section, i.points, i.option_order, \
             i.response, i.saved_at, i.score, v.body FROM attempt_items i \
             JOIN question_versions v ON v.id = i.version_id \
             WHERE i.attempt_id = $1 ORDER BY i.position",
        )
        .bind(attempt.0)
        .fetch_all(&mut *tx)
        .await?;
        let mut total: Cents = 0;
        for row in &rows {
            let item = item_from_row(row)?;
            let body: Question = from_json(&row.try_get::<String, _>("body")?)?;
            let earned = score(&body, item.points, policy, item.response.as_ref());
            total = total.saturating_add(earned);
            sqlx::query(
                "UPDATE attempt_items SET score = $1 WHERE attempt_id = $2 AND position = $3",
            )
            .bind(i64::from(earned))
            .bind(attempt.0)
            .bind(item.position)
            .execute(&mut *tx)
            .await?;
        }
        let passed = total >= pass_mark;
        sqlx::query("UPDATE attempts SET score = $1, passed = $2 WHERE id = $3")
            .bind(i64::from(total))
            .bind(i64::from(passed))
            .bind(attempt.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(CloseOutcome::Graded {
            score: total,
            passed,
        })
    }

    /// Open attempts whose deadline has passed (for the sweep that grades them).
    pub async fn overdue_attempts(&self, now: i64, limit: i64) -> DbResult<Vec<AttemptId>> {
        let ids: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM attempts WHERE submitted_at IS NULL AND deadline_at < $1 \
             ORDER BY deadline_at LIMIT {limit}"
        ))
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        Ok(ids.into_iter().map(AttemptId).collect())
    }

    /// The graded attempts of an exam with per-question scores.
    pub async fn graded_attempts(&self, exam: ExamId) -> DbResult<Vec<GradedAttempt>> {
        let rows = sqlx::query(
            "SELECT a.id, a.user_id, a.score, a.max_score, i.question_id, i.score AS item_score, \
             i.points FROM attempts a JOIN attempt_items i ON i.attempt_id = a.id \
             WHERE a.exam_id = $1 AND a.score IS NOT NULL ORDER BY a.id, i.position",
        )
        .bind(exam.0)
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<GradedAttempt> = Vec::new();
        for row in rows {
            let id = AttemptId(row.try_get("id")?);
            if out.last().is_none_or(|last| last.attempt != id) {
                out.push(GradedAttempt {
                    attempt: id,
                    user: UserId(row.try_get("user_id")?),
                    score: cents(row.try_get("score")?),
                    max_score: cents(row.try_get("max_score")?),
                    items: Vec::new(),
                });
            }
            if let Some(last) = out.last_mut() {
                last.items.push((
                    QuestionId(row.try_get("question_id")?),
                    cents(row.try_get::<Option<i64>, _>("item_score")?.unwrap_or(0)),
                    cents(row.try_get("points")?),
                ));
            }
        }
        Ok(out)
    }
}
