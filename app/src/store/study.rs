//! Classes as studying needs them (lessons, enrolment, the player's rules),
//! lesson progress, study streams and the heartbeats that credit study time.
//!
//! The crediting rules are `academy_shared::study`; this module only loads
//! their inputs and stores their outputs, a batch of heartbeats per
//! transaction (one durable commit acknowledges many learners at once).

use super::{DbError, DbResult, Store};
use academy_shared::class::ClassState;
use academy_shared::courseware::ReviewState;
use academy_shared::ids::{ClassId, CoursewareId, MediaId, UserId};
use academy_shared::study::{
    Applied, Arrival, Heartbeat, Intervals, LearnerClock, LessonProgress, StreamState, StudyRules,
    apply_heartbeats, is_complete,
};
use sqlx::Row;

/// A class's settings the player follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassRules {
    pub id: ClassId,
    pub title: String,
    pub state: ClassState,
    pub idle_prompt_ms: i64,
    pub max_rate_milli: i64,
    pub intro_media_id: Option<MediaId>,
    pub outro_media_id: Option<MediaId>,
}

#[derive(Clone, Debug)]
pub struct NewClass {
    pub title: String,
    pub state: ClassState,
    pub idle_prompt_ms: i64,
    pub max_rate_milli: i64,
    pub intro_media_id: Option<MediaId>,
    pub outro_media_id: Option<MediaId>,
}

/// A lesson in a learner's list: the courseware and how far they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonSummary {
    pub class_id: ClassId,
    pub class_title: String,
    pub courseware_id: CoursewareId,
    pub title: String,
    pub lecturer_name: String,
    pub duration_ms: i64,
    pub position_ms: i64,
    pub credited_ms: i64,
    pub watched_ms: i64,
    pub completed: bool,
    /// Sent back for revision: out of its classes until approved again.
    pub under_revision: bool,
}

/// What the store keeps of a learner's lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredProgress {
    pub position_ms: i64,
    pub watched: Intervals,
    pub credited_ms: i64,
    pub completed_at: Option<i64>,
}

/// A heartbeat batch from one stream, as the server received it.
#[derive(Clone, Debug)]
pub struct HeartbeatJob {
    pub user: UserId,
    /// The sender's session (its token hash), when its idle deadline is due
    /// to slide: done in the same commit, so it never waits behind one.
    pub slide_session: Option<String>,
    pub stream_id: i64,
    pub beats: Vec<Heartbeat>,
    pub received_at: i64,
    /// The page is being left (closed, or the learner moved to another
    /// lesson): after these beats the stream gives up the credit lease, so
    /// the learner's next lesson is credited at once rather than after the
    /// lease runs out.
    pub leaving: bool,
}

/// How many lesson pages a learner may have open and beating at once: opening
/// another closes the oldest (its heartbeats are no longer applied).
pub const MAX_LIVE_STREAMS: i64 = 3;

/// What applying a batch did, for the player.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeartbeatResult {
    /// The highest sequence number the stream has applied: the client drops
    /// queued heartbeats up to it.
    pub last_seq: i64,
    pub credited_now_ms: i64,
    pub lesson_credited_ms: i64,
    pub watched_ms: i64,
    pub complete: bool,
    /// Another tab or device of this learner holds the credit.
    pub other_stream_active: bool,
    /// Why the last heartbeat earned nothing, if it did not.
    pub last_reason: Option<String>,
    /// The stream was closed (the learner opened more lesson pages since):
    /// nothing was applied, and the page should stop sending.
    pub stream_closed: bool,
}

impl Store {
    pub async fn create_class(
        &self,
        class: &NewClass,
        creator: UserId,
        now: i64,
    ) -> DbResult<ClassId> {
        Ok(ClassId(sqlx::query_scalar(
            "INSERT INTO classes (title, state, idle_prompt_ms, max_rate_milli, intro_media_id, \
             outro_media_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING id",
        )
        .bind(&class.title)
        .bind(class.state.code())
        .bind(class.idle_prompt_ms)
        .bind(class.max_rate_milli)
        .bind(class.intro_media_id.map(|m| m.0))
        .bind(class.outro_media_id.map(|m| m.0))
        .bind(creator.0)
        .bind(now)
        .fetch_one(self.pool())
        .await?))
    }

    pub async fn class_rules(&self, class_id: ClassId) -> DbResult<ClassRules> {
        let row = sqlx::query(
            "SELECT id, title, state, idle_prompt_ms, max_rate_milli, intro_media_id, \
             outro_media_id FROM classes WHERE id = $1",
        )
        .bind(class_id.0)
        .fetch_one(self.pool())
        .await?;
        Ok(ClassRules {
            id: ClassId(row.try_get("id")?),
            title: row.try_get("title")?,
            state: super::decode_column(&row, "state")?,
            idle_prompt_ms: row.try_get("idle_prompt_ms")?,
            max_rate_milli: row.try_get("max_rate_milli")?,
            intro_media_id: row
                .try_get::<Option<i64>, _>("intro_media_id")?
                .map(MediaId),
            outro_media_id: row
                .try_get::<Option<i64>, _>("outro_media_id")?
                .map(MediaId),
        })
    }

    /// Sets the clips played before and after each lesson (not for a closed
    /// class). The idle prompt and the playback rate are the class form's
    /// (`update_class`), so two forms never write the same columns.
    pub async fn set_class_clips(
        &self,
        class_id: ClassId,
        intro_media_id: Option<MediaId>,
        outro_media_id: Option<MediaId>,
    ) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE classes SET intro_media_id = $1, outro_media_id = $2 \
             WHERE id = $3 AND state <> 'closed'",
        )
        .bind(intro_media_id.map(|m| m.0))
        .bind(outro_media_id.map(|m| m.0))
        .bind(class_id.0)
        .execute(self.pool())
        .await?
        .rows_affected();
        if changed == 0 {
            self.class(class_id).await?;
            return Err(DbError::Conflict(super::Conflict::ClassClosed));
        }
        Ok(())
    }

    /// Puts courseware into a class at the end of its list.
    pub async fn add_class_courseware(
        &self,
        class_id: ClassId,
        courseware_id: CoursewareId,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO class_courseware (class_id, courseware_id, position) \
             SELECT $1, $2, COALESCE(MAX(position) + 1, 0) FROM class_courseware WHERE class_id = $3",
        )
        .bind(class_id.0)
        .bind(courseware_id.0)
        .bind(class_id.0)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn enrol(&self, class_id: ClassId, users: &[UserId], now: i64) -> DbResult<()> {
        let mut tx = self.pool().begin().await?;
        for user in users {
            sqlx::query(
                "INSERT INTO enrolments (class_id, user_id, enrolled_at) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(class_id.0)
            .bind(user.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn is_enrolled(&self, class_id: ClassId, user: UserId) -> DbResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM enrolments WHERE class_id = $1 AND user_id = $2",
        )
        .bind(class_id.0)
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    /// Whether the courseware is one of the class's lessons.
    pub async fn class_has_courseware(
        &self,
        class_id: ClassId,
        courseware_id: CoursewareId,
    ) -> DbResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM class_courseware WHERE class_id = $1 AND courseware_id = $2",
        )
        .bind(class_id.0)
        .bind(courseware_id.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    /// Every class, newest first: (id, title, state).
    pub async fn list_classes(&self) -> DbResult<Vec<(ClassId, String, ClassState)>> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, title, state FROM classes ORDER BY id DESC")
                .fetch_all(self.pool())
                .await?;
        rows.into_iter()
            .map(|(id, title, state)| Ok((ClassId(id), title, super::decode(&state)?)))
            .collect()
    }

    /// The classes courseware is a lesson of: (id, title).
    pub async fn classes_with_courseware(
        &self,
        courseware_id: CoursewareId,
    ) -> DbResult<Vec<(ClassId, String)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT k.id, k.title FROM class_courseware cc JOIN classes k ON k.id = cc.class_id \
             WHERE cc.courseware_id = $1 ORDER BY k.id",
        )
        .bind(courseware_id.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title)| (ClassId(id), title))
            .collect())
    }

    /// The class's lessons in order: (courseware id, title).
    pub async fn class_lesson_titles(
        &self,
        class_id: ClassId,
    ) -> DbResult<Vec<(CoursewareId, String)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT c.id, c.title FROM class_courseware cc JOIN courseware c ON c.id = cc.courseware_id \
             WHERE cc.class_id = $1 ORDER BY cc.position",
        )
        .bind(class_id.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title)| (CoursewareId(id), title))
            .collect())
    }

    /// The class's courseware ids in order.
    pub async fn class_lessons(&self, class_id: ClassId) -> DbResult<Vec<CoursewareId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT courseware_id FROM class_courseware WHERE class_id = $1 ORDER BY position",
        )
        .bind(class_id.0)
        .fetch_all(self.pool())
        .await?;
        Ok(ids.into_iter().map(CoursewareId).collect())
    }

    /// Every lesson of every class the learner is enrolled in, in class order,
    /// with their progress.
    pub async fn lessons_of(&self, user: UserId) -> DbResult<Vec<LessonSummary>> {
        let rows = sqlx::query(
            "SELECT k.id AS class_id, k.title AS class_title, c.id AS courseware_id, c.title, \
             c.lecturer_name, c.duration_ms, c.state, p.position_ms, p.watched, p.credited_ms, \
             p.completed_at \
             FROM enrolments e JOIN classes k ON k.id = e.class_id \
             JOIN class_courseware cc ON cc.class_id = k.id \
             JOIN courseware c ON c.id = cc.courseware_id \
             LEFT JOIN lesson_progress p ON p.user_id = e.user_id AND p.class_id = k.id \
                  AND p.courseware_id = c.id \
             WHERE e.user_id = $1 ORDER BY k.id, cc.position",
        )
        .bind(user.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let watched: Option<String> = row.try_get("watched")?;
                Ok(LessonSummary {
                    class_id: ClassId(row.try_get("class_id")?),
                    class_title: row.try_get("class_title")?,
                    courseware_id: CoursewareId(row.try_get("courseware_id")?),
                    title: row.try_get("title")?,
                    lecturer_name: row.try_get("lecturer_name")?,
                    duration_ms: row.try_get("duration_ms")?,
                    position_ms: row.try_get::<Option<i64>, _>("position_ms")?.unwrap_or(0),
                    credited_ms: row.try_get::<Option<i64>, _>("credited_ms")?.unwrap_or(0),
                    watched_ms: Intervals::parse_text(watched.as_deref().unwrap_or(""))
                        .map(|w| w.covered_ms())
                        .unwrap_or(0),
                    completed: row.try_get::<Option<i64>, _>("completed_at")?.is_some(),
                    under_revision: !super::decode_column::<ReviewState>(row, "state")?
                        .reaches_learners(),
                })
            })
            .collect()
    }

    pub async fn lesson_progress(
        &self,
        user: UserId,
        class_id: ClassId,
        courseware_id: CoursewareId,
    ) -> DbResult<Option<StoredProgress>> {
        let row = sqlx::query(
            "SELECT position_ms, watched, credited_ms, completed_at FROM lesson_progress \
             WHERE user_id = $1 AND class_id = $2 AND courseware_id = $3",
        )
        .bind(user.0)
        .bind(class_id.0)
        .bind(courseware_id.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            let watched: String = row.try_get("watched")?;
            Ok(StoredProgress {
                position_ms: row.try_get("position_ms")?,
                watched: Intervals::parse_text(&watched).unwrap_or_default(),
                credited_ms: row.try_get("credited_ms")?,
                completed_at: row.try_get("completed_at")?,
            })
        })
        .transpose()
    }

    /// Opens a stream for a lesson page, starting at the resume position.
    pub async fn open_stream(
        &self,
        user: UserId,
        class_id: ClassId,
        courseware_id: CoursewareId,
        start_position_ms: i64,
        device: &str,
        now: i64,
    ) -> DbResult<i64> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO lesson_progress (user_id, class_id, courseware_id, position_ms, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(user.0)
        .bind(class_id.0)
        .bind(courseware_id.0)
        .bind(start_position_ms)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let stream = StreamState::new(start_position_ms, now);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO study_streams (user_id, class_id, courseware_id, opened_at, last_seq, \
             last_position_ms, credit_clock_ms, last_seen_at, device) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(user.0)
        .bind(class_id.0)
        .bind(courseware_id.0)
        .bind(now)
        .bind(stream.last_seq)
        .bind(stream.last_position_ms)
        .bind(stream.credit_clock_ms)
        .bind(now)
        .bind(device)
        .fetch_one(&mut *tx)
        .await?;
        // Only the newest few stay live: a script cannot keep a stream per
        // lesson open (and the credit lease of a closed one is freed).
        sqlx::query(
            "UPDATE study_streams SET closed_at = $1 WHERE user_id = $2 AND closed_at IS NULL \
             AND id NOT IN (SELECT id FROM study_streams WHERE user_id = $3 \
             AND closed_at IS NULL ORDER BY id DESC LIMIT $4)",
        )
        .bind(now)
        .bind(user.0)
        .bind(user.0)
        .bind(MAX_LIVE_STREAMS)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM study_leases WHERE user_id = $1 AND stream_id IN \
             (SELECT id FROM study_streams WHERE user_id = $2 AND closed_at IS NOT NULL)",
        )
        .bind(user.0)
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// How many lesson pages the learner opened since `since` (a throttle).
    pub async fn streams_opened_since(&self, user: UserId, since: i64) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM study_streams WHERE user_id = $1 AND opened_at > $2",
        )
        .bind(user.0)
        .bind(since)
        .fetch_one(self.pool())
        .await?)
    }

    /// Records an event of the player (idle prompt shown or confirmed) on the
    /// learner's own stream.
    pub async fn record_study_event(
        &self,
        user: UserId,
        stream_id: i64,
        kind: &str,
        position_ms: i64,
        now: i64,
    ) -> DbResult<()> {
        let inserted = sqlx::query(
            "INSERT INTO study_events (stream_id, user_id, kind, position_ms, at) \
             SELECT id, user_id, $1, $2, $3 FROM study_streams WHERE id = $4 AND user_id = $5",
        )
        .bind(kind)
        .bind(position_ms)
        .bind(now)
        .bind(stream_id)
        .bind(user.0)
        .execute(self.pool())
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    pub async fn study_events(&self, stream_id: i64) -> DbResult<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT kind, position_ms FROM study_events WHERE stream_id = $1 ORDER BY id",
        )
        .bind(stream_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Applies heartbeat batches in one transaction: one durable commit for
    /// all of them. A batch whose stream is not its sender's is `NotFound`
    /// and changes nothing. Any other failure fails them all and writes
    /// nothing (on PostgreSQL an error aborts the transaction anyway): no
    /// heartbeat is acknowledged that is not durable, and the players resend.
    pub async fn apply_heartbeats(
        &self,
        base_rules: &StudyRules,
        jobs: &[HeartbeatJob],
    ) -> DbResult<Vec<DbResult<HeartbeatResult>>> {
        let mut tx = self.begin_write().await?;
        let mut results = Vec::with_capacity(jobs.len());
        for job in jobs {
            match apply_batch(&mut tx, base_rules, job).await {
                Err(DbError::NotFound) => results.push(Err(DbError::NotFound)),
                Err(other) => return Err(other),
                Ok(result) => results.push(Ok(result)),
            }
        }
        tx.commit().await?;
        Ok(results)
    }
}

async fn apply_batch(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    base_rules: &StudyRules,
    job: &HeartbeatJob,
) -> DbResult<HeartbeatResult> {
    let row = sqlx::query(
        "SELECT s.class_id, s.courseware_id, s.last_seq, s.last_position_ms, s.credit_clock_ms, \
         s.closed_at, c.duration_ms, k.state, k.idle_prompt_ms, k.max_rate_milli, \
         p.position_ms, p.watched, p.credited_ms, p.completed_at, \
         (SELECT credit_clock_ms FROM study_clocks WHERE user_id = s.user_id) AS learner_clock \
         FROM study_streams s JOIN courseware c ON c.id = s.courseware_id \
         JOIN classes k ON k.id = s.class_id \
         JOIN lesson_progress p ON p.user_id = s.user_id AND p.class_id = s.class_id \
              AND p.courseware_id = s.courseware_id \
         WHERE s.id = $1 AND s.user_id = $2",
    )
    .bind(job.stream_id)
    .bind(job.user.0)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(DbError::NotFound)?;
    if let Some(token_hash) = &job.slide_session {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(job.received_at)
            .bind(token_hash)
            .execute(&mut **tx)
            .await?;
    }
    let class_id = ClassId(row.try_get("class_id")?);
    let courseware_id = CoursewareId(row.try_get("courseware_id")?);
    let duration_ms: i64 = row.try_get("duration_ms")?;
    let rules = StudyRules {
        idle_limit_ms: row.try_get("idle_prompt_ms")?,
        max_rate_milli: row.try_get("max_rate_milli")?,
        ..*base_rules
    };
    let mut stream = StreamState {
        last_seq: row.try_get("last_seq")?,
        last_position_ms: row.try_get("last_position_ms")?,
        credit_clock_ms: row.try_get("credit_clock_ms")?,
    };
    let first_seq = stream.last_seq;
    let watched: String = row.try_get("watched")?;
    let mut progress = LessonProgress {
        watched: Intervals::parse_text(&watched).unwrap_or_default(),
        credited_ms: row.try_get("credited_ms")?,
        position_ms: row.try_get("position_ms")?,
    };
    let was_complete: Option<i64> = row.try_get("completed_at")?;
    let unchanged = |progress: &LessonProgress, stream_closed: bool| HeartbeatResult {
        last_seq: first_seq,
        credited_now_ms: 0,
        lesson_credited_ms: progress.credited_ms,
        watched_ms: progress.watched.covered_ms(),
        complete: was_complete.is_some(),
        other_stream_active: true,
        last_reason: None,
        stream_closed,
    };
    if row.try_get::<Option<i64>, _>("closed_at")?.is_some() {
        return Ok(unchanged(&progress, true));
    }
    let stored_clock: Option<i64> = row.try_get("learner_clock")?;
    let mut learner = LearnerClock {
        credit_clock_ms: stored_clock.unwrap_or(i64::MIN),
    };
    let class_open = super::decode_column::<ClassState>(&row, "state")?.is_open_to_learners();

    // The single credit lease: taken when free or stale, kept while this
    // stream beats. Atomic, so two servers cannot both hand it out. A batch
    // with nothing new (a retry, or a request that raced the page's leaving
    // one) never takes it: a page that has left must not grab it back.
    let now = job.received_at;
    let has_new = job.beats.iter().any(|beat| beat.seq > stream.last_seq);
    let holds_lease = if has_new {
        sqlx::query(
            "INSERT INTO study_leases (user_id, stream_id, last_seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET stream_id = excluded.stream_id, \
             last_seen_at = excluded.last_seen_at \
             WHERE study_leases.stream_id = excluded.stream_id OR study_leases.last_seen_at < $4",
        )
        .bind(job.user.0)
        .bind(job.stream_id)
        .bind(now)
        .bind(now - rules.stream_lease_ms)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            > 0
    } else {
        let holder: Option<i64> = sqlx::query_scalar(
            "SELECT stream_id FROM study_leases WHERE user_id = $1 AND last_seen_at >= $2",
        )
        .bind(job.user.0)
        .bind(now - rules.stream_lease_ms)
        .fetch_optional(&mut **tx)
        .await?;
        holder == Some(job.stream_id)
    };

    let stored_progress = progress.clone();
    let applied: Vec<Applied> = apply_heartbeats(
        &rules,
        duration_ms,
        &mut stream,
        &mut learner,
        &mut progress,
        &job.beats,
        Arrival {
            server_now_ms: now,
            holds_lease,
            class_open,
        },
    );
    let mut credited_now: i64 = applied.iter().map(|a| a.credited_ms).sum();
    let complete = is_complete(&rules, duration_ms, &progress);
    if stream.last_seq != first_seq {
        if credited_now > 0 && !advance_learner_clock(tx, job.user, stored_clock, learner).await? {
            // Another server credited this learner meanwhile: apply nothing
            // (the safe side: this stretch goes unpaid, never paid twice).
            return Ok(unchanged(&stored_progress, false));
        }
        // Guarded by the sequence number read above: a batch of the same
        // stream applied meanwhile by another server makes this one a no-op.
        let updated = sqlx::query(
            "UPDATE study_streams SET last_seq = $1, last_position_ms = $2, credit_clock_ms = $3, \
             last_seen_at = $4, credited_ms = credited_ms + $5 WHERE id = $6 AND last_seq = $7",
        )
        .bind(stream.last_seq)
        .bind(stream.last_position_ms)
        .bind(stream.credit_clock_ms)
        .bind(now)
        .bind(credited_now)
        .bind(job.stream_id)
        .bind(first_seq)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if updated == 1 {
            sqlx::query(
                "UPDATE lesson_progress SET position_ms = $1, watched = $2, \
                 credited_ms = credited_ms + $3, completed_at = COALESCE(completed_at, $4), \
                 updated_at = $5 WHERE user_id = $6 AND class_id = $7 AND courseware_id = $8",
            )
            .bind(progress.position_ms)
            .bind(progress.watched.to_text())
            .bind(credited_now)
            .bind(complete.then_some(now))
            .bind(now)
            .bind(job.user.0)
            .bind(class_id.0)
            .bind(courseware_id.0)
            .execute(&mut **tx)
            .await?;
        } else {
            credited_now = 0;
        }
    }
    if job.leaving && holds_lease {
        sqlx::query("DELETE FROM study_leases WHERE user_id = $1 AND stream_id = $2")
            .bind(job.user.0)
            .bind(job.stream_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(HeartbeatResult {
        last_seq: stream.last_seq,
        credited_now_ms: credited_now,
        lesson_credited_ms: progress.credited_ms,
        watched_ms: progress.watched.covered_ms(),
        complete: complete || was_complete.is_some(),
        other_stream_active: !holds_lease,
        last_reason: applied.last().and_then(|a| {
            a.ignored
                .map(|i| format!("{i:?}"))
                .or(a.reason.map(|r| format!("{r:?}")))
        }),
        stream_closed: false,
    })
}

/// Moves the learner's credit clock from what was read (`stored`, `None` for
/// no row yet) to `learner`; false when another writer moved it meanwhile
/// (several app servers on one PostgreSQL), so nothing is paid twice.
async fn advance_learner_clock(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: UserId,
    stored: Option<i64>,
    learner: LearnerClock,
) -> DbResult<bool> {
    let changed = match stored {
        Some(old) => {
            sqlx::query(
                "UPDATE study_clocks SET credit_clock_ms = $1 WHERE user_id = $2 \
                 AND credit_clock_ms = $3",
            )
            .bind(learner.credit_clock_ms)
            .bind(user.0)
            .bind(old)
            .execute(&mut **tx)
            .await?
        }
        None => {
            sqlx::query(
                "INSERT INTO study_clocks (user_id, credit_clock_ms) VALUES ($1, $2) \
                 ON CONFLICT (user_id) DO NOTHING",
            )
            .bind(user.0)
            .bind(learner.credit_clock_ms)
            .execute(&mut **tx)
            .await?
        }
    };
    Ok(changed.rows_affected() == 1)
}
