//! The figures the learner home and the class dashboard are built from.

use super::*;

impl Store {
    /// What the journey needs of one learner in one class.
    pub async fn learner_facts(&self, class_id: ClassId, user: UserId) -> DbResult<LearnerFacts> {
        let row = sqlx::query(
            "SELECT e.reported_at, \
             (SELECT COUNT(*) FROM class_courseware cc WHERE cc.class_id = e.class_id) AS total, \
             (SELECT COUNT(*) FROM lesson_progress p JOIN class_courseware cc \
                ON cc.class_id = p.class_id AND cc.courseware_id = p.courseware_id \
              WHERE p.class_id = e.class_id AND p.user_id = e.user_id \
              AND p.completed_at IS NOT NULL) AS done, \
             (SELECT CAST(COALESCE(SUM(p.credited_ms), 0) AS BIGINT) FROM lesson_progress p \
              WHERE p.class_id = e.class_id AND p.user_id = e.user_id) AS credited, \
             (SELECT COUNT(*) FROM survey_responses s \
              WHERE s.class_id = e.class_id AND s.user_id = e.user_id) AS surveyed, \
             (SELECT MAX(t.id) FROM certificates t WHERE t.class_id = e.class_id \
              AND t.user_id = e.user_id AND t.revoked_at IS NULL) AS certificate \
             FROM enrolments e WHERE e.class_id = $1 AND e.user_id = $2",
        )
        .bind(class_id.0)
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(LearnerFacts::default());
        };
        Ok(LearnerFacts {
            enrolled: true,
            reported_at: row.try_get("reported_at")?,
            courses_total: count(row.try_get("total")?),
            courses_done: count(row.try_get("done")?),
            credited_ms: row.try_get("credited")?,
            survey_done: row.try_get::<i64, _>("surveyed")? > 0,
            certificate: row.try_get("certificate")?,
        })
    }

    /// One row per enrolled learner with everything the class figures count,
    /// as of `until` (ms): what happened later is not counted. `day` is the
    /// check-in day counted as "today". Credited study time is the current
    /// total (it is not kept per day).
    pub async fn class_figures(
        &self,
        class_id: ClassId,
        day: i32,
        until: i64,
    ) -> DbResult<Vec<LearnerFigures>> {
        let class = self.class(class_id).await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM class_courseware WHERE class_id = $1")
                .bind(class_id.0)
                .fetch_one(self.pool())
                .await?;
        let rows = sqlx::query(
            "SELECT e.user_id, u.region_id, \
             CASE WHEN e.reported_at <= $1 THEN e.reported_at END AS reported_at, \
             (SELECT COUNT(*) FROM lesson_progress p JOIN class_courseware cc \
                ON cc.class_id = p.class_id AND cc.courseware_id = p.courseware_id \
              WHERE p.class_id = e.class_id AND p.user_id = e.user_id \
              AND p.completed_at <= $2) AS done, \
             (SELECT CAST(COALESCE(SUM(p.credited_ms), 0) AS BIGINT) FROM lesson_progress p \
              WHERE p.class_id = e.class_id AND p.user_id = e.user_id) AS credited, \
             (SELECT MAX(a.score) FROM attempts a WHERE a.exam_id = $3 \
              AND a.user_id = e.user_id AND a.score IS NOT NULL AND a.submitted_at <= $4) \
              AS pre_score, \
             (SELECT MAX(a.max_score) FROM attempts a WHERE a.exam_id = $5 \
              AND a.user_id = e.user_id AND a.score IS NOT NULL AND a.submitted_at <= $6) \
              AS pre_max, \
             (SELECT MAX(a.score) FROM attempts a WHERE a.exam_id = $7 \
              AND a.user_id = e.user_id AND a.score IS NOT NULL AND a.submitted_at <= $8) \
              AS final_score, \
             (SELECT MAX(a.max_score) FROM attempts a WHERE a.exam_id = $9 \
              AND a.user_id = e.user_id AND a.score IS NOT NULL AND a.submitted_at <= $10) \
              AS final_max, \
             (SELECT s.answers FROM survey_responses s WHERE s.class_id = e.class_id \
              AND s.user_id = e.user_id AND s.submitted_at <= $11) AS answers, \
             (SELECT COUNT(*) FROM certificates t WHERE t.class_id = e.class_id \
              AND t.user_id = e.user_id AND t.issued_at <= $12 \
              AND (t.revoked_at IS NULL OR t.revoked_at > $13)) AS certified, \
             (SELECT COUNT(*) FROM checkins c WHERE c.class_id = e.class_id \
              AND c.user_id = e.user_id AND c.day = $14) AS checked_today \
             FROM enrolments e JOIN users u ON u.id = e.user_id \
             WHERE e.class_id = $15 AND e.enrolled_at <= $16 ORDER BY e.user_id",
        )
        .bind(until)
        .bind(until)
        .bind(class.pre_exam.map_or(0, |e| e.0))
        .bind(until)
        .bind(class.pre_exam.map_or(0, |e| e.0))
        .bind(until)
        .bind(class.final_exam.map_or(0, |e| e.0))
        .bind(until)
        .bind(class.final_exam.map_or(0, |e| e.0))
        .bind(until)
        .bind(until)
        .bind(until)
        .bind(until)
        .bind(i64::from(day))
        .bind(class_id.0)
        .bind(until)
        .fetch_all(self.pool())
        .await?;
        let survey = self.class_survey(class_id).await?;
        rows.iter()
            .map(|row| {
                let best = |score: &str, max: &str| -> DbResult<Option<(i64, i64)>> {
                    let score: Option<i64> = row.try_get(score)?;
                    let max: Option<i64> = row.try_get(max)?;
                    Ok(score.zip(max))
                };
                let answers: Option<String> = row.try_get("answers")?;
                let satisfied = match (&survey, &answers) {
                    (Some(survey), Some(text)) => serde_json::from_str(text)
                        .ok()
                        .and_then(|a: BTreeMap<String, Answer>| {
                            academy_shared::survey::satisfaction_rate(survey, &[a])
                        })
                        .filter(|(_, total)| *total > 0)
                        .map(|(satisfied, _)| satisfied > 0),
                    _ => None,
                };
                Ok(LearnerFigures {
                    user: UserId(row.try_get("user_id")?),
                    region: row.try_get::<Option<i64>, _>("region_id")?.map(RegionId),
                    row: LearnerRow {
                        reported: row.try_get::<Option<i64>, _>("reported_at")?.is_some(),
                        checked_in: row.try_get::<i64, _>("checked_today")? > 0,
                        courses_done: count(row.try_get("done")?),
                        courses_total: count(total),
                        credited_ms: row.try_get("credited")?,
                        pre: best("pre_score", "pre_max")?,
                        final_exam: best("final_score", "final_max")?,
                        survey_done: answers.is_some(),
                        satisfied,
                        certified: row.try_get::<i64, _>("certified")? > 0,
                    },
                })
            })
            .collect()
    }
}
