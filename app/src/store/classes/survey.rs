//! The class survey and its responses.

use super::*;

impl Store {
    pub async fn class_survey(&self, class_id: ClassId) -> DbResult<Option<Survey>> {
        let body: Option<String> =
            sqlx::query_scalar("SELECT body FROM class_surveys WHERE class_id = $1")
                .bind(class_id.0)
                .fetch_optional(self.pool())
                .await?;
        body.map(|b| {
            serde_json::from_str(&b).map_err(|e| DbError::Other(sqlx::Error::Decode(Box::new(e))))
        })
        .transpose()
    }

    /// Sets (or with `None` removes) the class's survey. Refused
    /// (`Conflict`) once anyone has answered it: their answers would no
    /// longer match its items.
    pub async fn set_class_survey(
        &self,
        class_id: ClassId,
        survey: Option<&Survey>,
        now: i64,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        let answered: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses WHERE class_id = $1")
                .bind(class_id.0)
                .fetch_one(&mut *tx)
                .await?;
        if answered > 0 {
            return Err(DbError::Conflict(Conflict::SurveyAnswered));
        }
        match survey {
            Some(survey) => {
                sqlx::query(
                    "INSERT INTO class_surveys (class_id, body, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (class_id) DO UPDATE SET body = excluded.body, \
                     updated_at = excluded.updated_at",
                )
                .bind(class_id.0)
                .bind(json(survey)?)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM class_surveys WHERE class_id = $1")
                    .bind(class_id.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many learners have answered the class's survey.
    pub async fn survey_response_count(&self, class_id: ClassId) -> DbResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses WHERE class_id = $1")
                .bind(class_id.0)
                .fetch_one(self.pool())
                .await?,
        )
    }

    pub async fn survey_response(
        &self,
        class_id: ClassId,
        user: UserId,
    ) -> DbResult<Option<(BTreeMap<String, Answer>, i64)>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT answers, updated_at FROM survey_responses WHERE class_id = $1 AND user_id = $2",
        )
        .bind(class_id.0)
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(answers, at)| {
            serde_json::from_str(&answers)
                .map(|a| (a, at))
                .map_err(|e| DbError::Other(sqlx::Error::Decode(Box::new(e))))
        })
        .transpose()
    }

    /// Saves the learner's answers (first or again) while the class is not
    /// closed; `false` when it is.
    pub async fn save_survey_response(
        &self,
        class_id: ClassId,
        user: UserId,
        answers: &BTreeMap<String, Answer>,
        now: i64,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM classes k JOIN enrolments e ON e.class_id = k.id \
             WHERE k.id = $1 AND e.user_id = $2 AND k.state IN ('published', 'running')",
        )
        .bind(class_id.0)
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_none() {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO survey_responses (class_id, user_id, answers, submitted_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (class_id, user_id) DO UPDATE \
             SET answers = excluded.answers, updated_at = excluded.updated_at",
        )
        .bind(class_id.0)
        .bind(user.0)
        .bind(json(answers)?)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every response to the class's survey, oldest first: (learner, their
    /// name, answers).
    pub async fn survey_responses(
        &self,
        class_id: ClassId,
    ) -> DbResult<Vec<(UserId, String, BTreeMap<String, Answer>)>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT s.user_id, u.real_name, s.answers FROM survey_responses s \
             JOIN users u ON u.id = s.user_id WHERE s.class_id = $1 \
             ORDER BY s.submitted_at, s.user_id",
        )
        .bind(class_id.0)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(user, name, answers)| {
                serde_json::from_str(&answers)
                    .map(|a| (UserId(user), name, a))
                    .map_err(|e| DbError::Other(sqlx::Error::Decode(Box::new(e))))
            })
            .collect()
    }
}
