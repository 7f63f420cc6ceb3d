//! Training classes as organizers run them: the class record with its tests,
//! survey and rules; enrolment and reporting in (报到); daily check-ins; survey
//! responses; certificates; and the figures the learner home and the class
//! dashboard are built from.
//!
//! Lessons, study progress and the player's rules are in `study.rs`; exams and
//! attempts in `exams.rs`.

use super::{Conflict, DbError, DbResult, Store};
use academy_shared::class_stats::LearnerRow;
use academy_shared::ids::{ExamId, RegionId, UserId};
use academy_shared::journey::{CompletionRule, Gating};
use academy_shared::survey::{Answer, Survey};
use sqlx::Row;
use std::collections::BTreeMap;

/// A class as its organizer edits it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassRecord {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub state: String,
    pub starts_on: Option<i32>,
    pub ends_on: Option<i32>,
    pub idle_prompt_ms: i64,
    pub max_rate_milli: i64,
    pub pre_exam: Option<ExamId>,
    pub final_exam: Option<ExamId>,
    pub gating: Gating,
    pub completion: CompletionRule,
    pub issuer: String,
    pub created_by: Option<UserId>,
    pub created_at: i64,
    pub published_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub updated_at: i64,
}

/// What the class form changes.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassEdit {
    pub title: String,
    pub description: String,
    pub starts_on: Option<i32>,
    pub ends_on: Option<i32>,
    pub idle_prompt_ms: i64,
    pub max_rate_milli: i64,
    pub gating: Gating,
    pub completion: CompletionRule,
    pub issuer: String,
}

/// A learner of a class, for the organizer's roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolled {
    pub user: UserId,
    pub username: String,
    pub real_name: String,
    pub phone: Option<String>,
    pub region: Option<RegionId>,
    pub region_name: Option<String>,
    pub enrolled_at: i64,
    pub reported_at: Option<i64>,
}

/// A certificate as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRecord {
    pub id: i64,
    pub class_id: i64,
    pub class_title: String,
    pub issuer: String,
    pub user: UserId,
    pub serial: String,
    pub code: String,
    pub holder_name: String,
    pub credited_ms: i64,
    pub issued_at: i64,
    pub revoked_at: Option<i64>,
    pub revoke_reason: String,
}

/// What the journey needs to know of one learner in one class.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LearnerFacts {
    pub enrolled: bool,
    pub reported_at: Option<i64>,
    pub courses_total: u32,
    pub courses_done: u32,
    pub credited_ms: i64,
    pub survey_done: bool,
    pub certificate: Option<i64>,
}

/// One learner's row of the class figures, with who and where they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LearnerFigures {
    pub user: UserId,
    pub region: Option<RegionId>,
    pub row: LearnerRow,
}

fn json<T: serde::Serialize>(value: &T) -> DbResult<String> {
    serde_json::to_string(value).map_err(|e| DbError::Other(sqlx::Error::Encode(Box::new(e))))
}

/// Empty text (a class from before these columns) means the default rules.
fn json_or_default<T: serde::de::DeserializeOwned + Default>(text: &str) -> DbResult<T> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    serde_json::from_str(text).map_err(|e| DbError::Other(sqlx::Error::Decode(Box::new(e))))
}

fn day(value: Option<i64>) -> Option<i32> {
    value.and_then(|d| i32::try_from(d).ok())
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

const CLASS_COLUMNS: &str = "id, title, description, state, starts_on, ends_on, idle_prompt_ms, \
     max_rate_milli, pre_exam_id, final_exam_id, gating, completion, issuer, created_by, \
     created_at, published_at, closed_at, updated_at";

fn class_from_row(row: &sqlx::any::AnyRow) -> DbResult<ClassRecord> {
    Ok(ClassRecord {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        state: row.try_get("state")?,
        starts_on: day(row.try_get("starts_on")?),
        ends_on: day(row.try_get("ends_on")?),
        idle_prompt_ms: row.try_get("idle_prompt_ms")?,
        max_rate_milli: row.try_get("max_rate_milli")?,
        pre_exam: row.try_get::<Option<i64>, _>("pre_exam_id")?.map(ExamId),
        final_exam: row.try_get::<Option<i64>, _>("final_exam_id")?.map(ExamId),
        gating: json_or_default(&row.try_get::<String, _>("gating")?)?,
        completion: json_or_default(&row.try_get::<String, _>("completion")?)?,
        issuer: row.try_get("issuer")?,
        created_by: row.try_get::<Option<i64>, _>("created_by")?.map(UserId),
        created_at: row.try_get("created_at")?,
        published_at: row.try_get("published_at")?,
        closed_at: row.try_get("closed_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

const CERTIFICATE_SELECT: &str = "SELECT t.id, t.class_id, k.title AS class_title, k.issuer, \
     t.user_id, t.serial, t.code, t.holder_name, t.credited_ms, t.issued_at, t.revoked_at, \
     t.revoke_reason FROM certificates t JOIN classes k ON k.id = t.class_id";

fn certificate_from_row(row: &sqlx::any::AnyRow) -> DbResult<CertificateRecord> {
    Ok(CertificateRecord {
        id: row.try_get("id")?,
        class_id: row.try_get("class_id")?,
        class_title: row.try_get("class_title")?,
        issuer: row.try_get("issuer")?,
        user: UserId(row.try_get("user_id")?),
        serial: row.try_get("serial")?,
        code: row.try_get("code")?,
        holder_name: row.try_get("holder_name")?,
        credited_ms: row.try_get("credited_ms")?,
        issued_at: row.try_get("issued_at")?,
        revoked_at: row.try_get("revoked_at")?,
        revoke_reason: row.try_get("revoke_reason")?,
    })
}

impl Store {
    // ---- the class -------------------------------------------------------

    pub async fn class(&self, id: i64) -> DbResult<ClassRecord> {
        let sql = format!("SELECT {CLASS_COLUMNS} FROM classes WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(self.pool()).await?;
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
    pub async fn insert_class(&self, edit: &ClassEdit, by: UserId, now: i64) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
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
        .await?)
    }

    /// Saves the form unless the class is closed (read-only) or changed
    /// since `expected_updated_at` (someone else saved first): `Conflict`.
    pub async fn update_class(
        &self,
        id: i64,
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
        .bind(id)
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
    pub async fn set_class_courseware(&self, id: i64, courseware: &[i64]) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        let state: String = sqlx::query_scalar("SELECT state FROM classes WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if state == "closed" {
            return Err(DbError::Conflict(Conflict::ClassClosed));
        }
        sqlx::query("DELETE FROM class_courseware WHERE class_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (position, courseware_id) in courseware.iter().enumerate() {
            sqlx::query(
                "INSERT INTO class_courseware (class_id, courseware_id, position) \
                 VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(courseware_id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Links the class's pre-test or final exam (`which` is "pre" or "final").
    pub async fn set_class_exam(&self, id: i64, which: &str, exam: Option<ExamId>) -> DbResult<()> {
        let column = match which {
            "pre" => "pre_exam_id",
            _ => "final_exam_id",
        };
        let sql = format!("UPDATE classes SET {column} = $1 WHERE id = $2 AND state <> 'closed'");
        let changed = sqlx::query(&sql)
            .bind(exam.map(|e| e.0))
            .bind(id)
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
    pub async fn set_class_state(&self, id: i64, from: &str, to: &str, now: i64) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE classes SET state = $1, \
             published_at = CASE WHEN $2 = 'published' AND published_at IS NULL THEN $3 \
                                 ELSE published_at END, \
             closed_at = CASE WHEN $4 = 'closed' THEN $5 ELSE NULL END, updated_at = $6 \
             WHERE id = $7 AND state = $8",
        )
        .bind(to)
        .bind(to)
        .bind(now)
        .bind(to)
        .bind(now)
        .bind(now)
        .bind(id)
        .bind(from)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        // A class taken back to draft takes its tests back too: nobody may
        // start them until it is published again.
        let exam_state = match to {
            "published" | "running" => Some("open"),
            "closed" => Some("closed"),
            "draft" => Some("draft"),
            _ => None,
        };
        if let Some(exam_state) = exam_state {
            sqlx::query(
                "UPDATE exams SET state = $1, \
                 closed_at = CASE WHEN $2 = 'closed' THEN $3 ELSE NULL END \
                 WHERE class_id = $4 AND state <> $5",
            )
            .bind(exam_state)
            .bind(exam_state)
            .bind(now)
            .bind(id)
            .bind(exam_state)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Courseware a class may teach (approved or published): (id, title,
    /// lecturer), by title.
    pub async fn courseware_for_classes(&self) -> DbResult<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, title, lecturer_name FROM courseware \
             WHERE state IN ('approved', 'published') ORDER BY title, id",
        )
        .fetch_all(self.pool())
        .await?)
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

    // ---- enrolment and reporting in ----------------------------------------

    /// Enrols learners (again is fine); returns how many were new.
    pub async fn enrol_by(
        &self,
        class_id: i64,
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
            .bind(class_id)
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
    pub async fn unenrol(&self, class_id: i64, user: UserId) -> DbResult<bool> {
        Ok(sqlx::query(
            "DELETE FROM enrolments WHERE class_id = $1 AND user_id = $2 AND reported_at IS NULL",
        )
        .bind(class_id)
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
            super::users::placeholders(1, regions.len())
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
    pub async fn enrolled(&self, class_id: i64) -> DbResult<Vec<Enrolled>> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.real_name, u.phone, u.region_id, g.name AS region_name, \
             e.enrolled_at, e.reported_at FROM enrolments e JOIN users u ON u.id = e.user_id \
             LEFT JOIN regions g ON g.id = u.region_id \
             WHERE e.class_id = $1 ORDER BY g.name, u.real_name, u.id",
        )
        .bind(class_id)
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
    pub async fn report_in(&self, class_id: i64, user: UserId, now: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE enrolments SET reported_at = $1 \
             WHERE class_id = $2 AND user_id = $3 AND reported_at IS NULL",
        )
        .bind(now)
        .bind(class_id)
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
        class_id: i64,
        courseware_id: i64,
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
        .bind(class_id)
        .bind(courseware_id)
        .bind(duration_ms)
        .bind(format!("0-{duration_ms}"))
        .bind(duration_ms)
        .bind(at)
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    // ---- check-ins ----------------------------------------------------------

    /// Checks the learner in for `day`; `false` if they already were.
    pub async fn check_in(
        &self,
        class_id: i64,
        user: UserId,
        day: i32,
        now: i64,
    ) -> DbResult<bool> {
        Ok(sqlx::query(
            "INSERT INTO checkins (class_id, user_id, day, checked_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(class_id)
        .bind(user.0)
        .bind(i64::from(day))
        .bind(now)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// The days the learner checked in to the class, in order.
    pub async fn checkin_days(&self, class_id: i64, user: UserId) -> DbResult<Vec<i32>> {
        let days: Vec<i64> = sqlx::query_scalar(
            "SELECT day FROM checkins WHERE class_id = $1 AND user_id = $2 ORDER BY day",
        )
        .bind(class_id)
        .bind(user.0)
        .fetch_all(self.pool())
        .await?;
        Ok(days
            .into_iter()
            .filter_map(|d| i32::try_from(d).ok())
            .collect())
    }

    /// Who checked in to the class on `day`: (learner, time).
    pub async fn checkins_on(&self, class_id: i64, day: i32) -> DbResult<Vec<(UserId, i64)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT user_id, checked_at FROM checkins WHERE class_id = $1 AND day = $2 \
             ORDER BY checked_at",
        )
        .bind(class_id)
        .bind(i64::from(day))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(u, t)| (UserId(u), t)).collect())
    }

    // ---- the survey -----------------------------------------------------------

    pub async fn class_survey(&self, class_id: i64) -> DbResult<Option<Survey>> {
        let body: Option<String> =
            sqlx::query_scalar("SELECT body FROM class_surveys WHERE class_id = $1")
                .bind(class_id)
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
        class_id: i64,
        survey: Option<&Survey>,
        now: i64,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        let answered: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses WHERE class_id = $1")
                .bind(class_id)
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
                .bind(class_id)
                .bind(json(survey)?)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM class_surveys WHERE class_id = $1")
                    .bind(class_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many learners have answered the class's survey.
    pub async fn survey_response_count(&self, class_id: i64) -> DbResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses WHERE class_id = $1")
                .bind(class_id)
                .fetch_one(self.pool())
                .await?,
        )
    }

    pub async fn survey_response(
        &self,
        class_id: i64,
        user: UserId,
    ) -> DbResult<Option<(BTreeMap<String, Answer>, i64)>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT answers, updated_at FROM survey_responses WHERE class_id = $1 AND user_id = $2",
        )
        .bind(class_id)
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
        class_id: i64,
        user: UserId,
        answers: &BTreeMap<String, Answer>,
        now: i64,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM classes k JOIN enrolments e ON e.class_id = k.id \
             WHERE k.id = $1 AND e.user_id = $2 AND k.state IN ('published', 'running')",
        )
        .bind(class_id)
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
        .bind(class_id)
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
        class_id: i64,
    ) -> DbResult<Vec<(UserId, String, BTreeMap<String, Answer>)>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT s.user_id, u.real_name, s.answers FROM survey_responses s \
             JOIN users u ON u.id = s.user_id WHERE s.class_id = $1 \
             ORDER BY s.submitted_at, s.user_id",
        )
        .bind(class_id)
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

    // ---- certificates ------------------------------------------------------------

    /// Issues a certificate unless the learner holds a valid one for the
    /// class (then `Conflict`). The serial is the class's next number.
    ///
    /// Issued automatically (`by` is `None`) only to a learner who never had
    /// one in the class: a revoked certificate stays revoked until an
    /// organizer explicitly issues a new one.
    pub async fn issue_certificate(
        &self,
        class_id: i64,
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
            .bind(class_id)
            .bind(user.0)
            .fetch_one(&mut *tx)
            .await?;
            if held > 0 {
                return Err(DbError::Conflict(Conflict::CertificateRevoked));
            }
        }
        let issued: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE class_id = $1")
                .bind(class_id)
                .fetch_one(&mut *tx)
                .await?;
        let serial = serial_of(u32::try_from(issued + 1).unwrap_or(u32::MAX));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO certificates (class_id, user_id, serial, code, holder_name, credited_ms, \
             issued_at, issued_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(class_id)
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
        class_id: Option<i64>,
    ) -> DbResult<Vec<CertificateRecord>> {
        let sql = format!(
            "{CERTIFICATE_SELECT} WHERE t.user_id = $1 AND ($2 IS NULL OR t.class_id = $3) \
             ORDER BY t.id DESC"
        );
        sqlx::query(&sql)
            .bind(user.0)
            .bind(class_id)
            .bind(class_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(certificate_from_row)
            .collect()
    }

    /// Every certificate of a class, by serial.
    pub async fn class_certificates(&self, class_id: i64) -> DbResult<Vec<CertificateRecord>> {
        let sql = format!("{CERTIFICATE_SELECT} WHERE t.class_id = $1 ORDER BY t.serial");
        sqlx::query(&sql)
            .bind(class_id)
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

    // ---- figures -------------------------------------------------------------------

    /// What the journey needs of one learner in one class.
    pub async fn learner_facts(&self, class_id: i64, user: UserId) -> DbResult<LearnerFacts> {
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
        .bind(class_id)
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
        class_id: i64,
        day: i32,
        until: i64,
    ) -> DbResult<Vec<LearnerFigures>> {
        let class = self.class(class_id).await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM class_courseware WHERE class_id = $1")
                .bind(class_id)
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
        .bind(class_id)
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
