//! Stored media, courseware (video, slides, outline, attachments), its review
//! history, and who may fetch which file.

use super::{DbError, DbResult, Store};
use academy_shared::courseware::{ReviewAction, ReviewState};
use academy_shared::ids::{CoursewareId, MediaId, UserId};
use academy_shared::media::MediaKind;
use academy_shared::role::Role;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A file whose bytes are complete, checked and in the media store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaFile {
    pub id: MediaId,
    pub storage_key: String,
    pub kind: MediaKind,
    pub content_type: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub duration_ms: Option<i64>,
    pub uploaded_by: Option<UserId>,
}

#[derive(Clone, Debug)]
pub struct NewMedia {
    pub storage_key: String,
    pub kind: MediaKind,
    pub content_type: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub duration_ms: Option<i64>,
    pub uploaded_by: Option<UserId>,
    pub uploaded_at: i64,
}

/// The fields an editor types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CoursewareDetails {
    pub title: String,
    pub lecturer_name: String,
    pub lecturer_id: Option<UserId>,
    pub topic: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slide {
    pub start_ms: i64,
    pub media_id: MediaId,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutlineItem {
    pub start_ms: i64,
    /// 1 a heading, 2 a paragraph.
    pub level: i64,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Courseware {
    pub id: CoursewareId,
    pub details: CoursewareDetails,
    pub duration_ms: i64,
    pub video: Option<MediaFile>,
    pub state: ReviewState,
    pub slides: Vec<Slide>,
    pub outline: Vec<OutlineItem>,
    pub attachments: Vec<MediaFile>,
    pub updated_at: i64,
}

/// One line of the courseware library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoursewareRow {
    pub id: CoursewareId,
    pub title: String,
    pub lecturer_name: String,
    pub topic: String,
    pub duration_ms: i64,
    pub state: ReviewState,
    pub has_video: bool,
    pub updated_at: i64,
}

#[derive(Clone, Debug, Default)]
pub struct CoursewareFilter {
    /// Words matched against title, lecturer and topic.
    pub text: Option<String>,
    pub lecturer: Option<String>,
    pub topic: Option<String>,
    pub state: Option<ReviewState>,
    /// Only courseware of this lecturer account (what a lecturer sees).
    pub lecturer_id: Option<UserId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewStep {
    pub action: ReviewAction,
    pub from_state: ReviewState,
    pub to_state: ReviewState,
    pub comment: String,
    pub actor_name: Option<String>,
    pub acted_at: i64,
}

const MEDIA_COLUMNS: &str =
    "id, storage_key, kind, content_type, file_name, size_bytes, sha256, duration_ms, uploaded_by";

fn media_from_row(row: &AnyRow) -> DbResult<MediaFile> {
    Ok(MediaFile {
        id: MediaId(row.try_get("id")?),
        storage_key: row.try_get("storage_key")?,
        kind: super::decode_column(row, "kind")?,
        content_type: row.try_get("content_type")?,
        file_name: row.try_get("file_name")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        duration_ms: row.try_get("duration_ms")?,
        uploaded_by: row.try_get::<Option<i64>, _>("uploaded_by")?.map(UserId),
    })
}

impl Store {
    /// How many files, and how many bytes, `user` uploaded since `since`.
    pub async fn uploads_since(&self, user: UserId, since: i64) -> DbResult<(i64, i64)> {
        let (files, bytes): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), CAST(SUM(size_bytes) AS BIGINT) FROM media_files \
             WHERE uploaded_by = $1 AND uploaded_at > $2",
        )
        .bind(user.0)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok((files, bytes.unwrap_or(0)))
    }

    pub async fn insert_media(&self, media: &NewMedia) -> DbResult<MediaId> {
        Ok(MediaId(
            sqlx::query_scalar(
                "INSERT INTO media_files (storage_key, kind, content_type, file_name, size_bytes, \
             sha256, duration_ms, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&media.storage_key)
            .bind(media.kind.code())
            .bind(&media.content_type)
            .bind(&media.file_name)
            .bind(media.size_bytes)
            .bind(&media.sha256)
            .bind(media.duration_ms)
            .bind(media.uploaded_by.map(|u| u.0))
            .bind(media.uploaded_at)
            .fetch_one(self.pool())
            .await?,
        ))
    }

    pub async fn media(&self, id: MediaId) -> DbResult<MediaFile> {
        let row = sqlx::query(&format!(
            "SELECT {MEDIA_COLUMNS} FROM media_files WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_one(self.pool())
        .await?;
        media_from_row(&row)
    }

    /// The newest stored files of a kind: (id, file name, duration).
    pub async fn recent_media(
        &self,
        kind: MediaKind,
        limit: i64,
    ) -> DbResult<Vec<(MediaId, String, Option<i64>)>> {
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(&format!(
            "SELECT id, file_name, duration_ms FROM media_files WHERE kind = $1 ORDER BY id DESC LIMIT {}",
            limit.clamp(1, 1000)
        ))
        .bind(kind.code())
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, duration)| (MediaId(id), name, duration))
            .collect())
    }

    /// Whether `user` (holding `roles`) may fetch media file `id`: staff who run
    /// classes and review courseware always; a lecturer for their own
    /// courseware and what they uploaded; a learner for what a class they
    /// are enrolled in uses — of courseware while it is approved (sent back
    /// for revision, it leaves its classes until approved again).
    pub async fn may_fetch_media(
        &self,
        user: UserId,
        roles: &[Role],
        id: MediaId,
    ) -> DbResult<bool> {
        if roles
            .iter()
            .any(|r| matches!(r, Role::Organizer | Role::Admin | Role::Reviewer))
        {
            return Ok(true);
        }
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) WHERE \
               EXISTS (SELECT 1 FROM courseware c WHERE c.lecturer_id = $1 AND ( \
                  c.video_id = $2 \
                  OR EXISTS (SELECT 1 FROM courseware_slides s WHERE s.courseware_id = c.id AND s.media_id = $3) \
                  OR EXISTS (SELECT 1 FROM courseware_attachments a WHERE a.courseware_id = c.id AND a.media_id = $4))) \
            OR EXISTS (SELECT 1 FROM enrolments e JOIN classes k ON k.id = e.class_id \
                  WHERE e.user_id = $5 AND (k.intro_media_id = $6 OR k.outro_media_id = $7 \
                  OR EXISTS (SELECT 1 FROM class_courseware cc JOIN courseware c ON c.id = cc.courseware_id \
                      WHERE cc.class_id = k.id AND c.state IN ('approved', 'published') AND ( \
                        c.video_id = $8 \
                        OR EXISTS (SELECT 1 FROM courseware_slides s WHERE s.courseware_id = c.id AND s.media_id = $9) \
                        OR EXISTS (SELECT 1 FROM courseware_attachments a WHERE a.courseware_id = c.id AND a.media_id = $10))))) \
            OR EXISTS (SELECT 1 FROM media_files m WHERE m.id = $11 AND m.uploaded_by = $12) \
            OR EXISTS (SELECT 1 FROM question_media qm JOIN attempt_items i ON i.version_id = qm.version_id \
                  JOIN attempts t ON t.id = i.attempt_id WHERE qm.media_id = $13 AND t.user_id = $14) \
            OR EXISTS (SELECT 1 FROM daily_topics d WHERE d.attachment_id = $15 AND ( \
                  EXISTS (SELECT 1 FROM enrolments e WHERE e.class_id = d.class_id AND e.user_id = $16) \
                  OR EXISTS (SELECT 1 FROM group_liaisons l JOIN study_groups g ON g.id = l.group_id \
                      WHERE g.class_id = d.class_id AND l.user_id = $17)))",
        )
        .bind(user.0)
        .bind(id.0)
        .bind(id.0)
        .bind(id.0)
        .bind(user.0)
        .bind(id.0)
        .bind(id.0)
        .bind(id.0)
        .bind(id.0)
        .bind(id.0)
        .bind(id.0)
        .bind(user.0)
        .bind(id.0)
        .bind(user.0)
        .bind(id.0)
        .bind(user.0)
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    pub async fn create_courseware(
        &self,
        details: &CoursewareDetails,
        creator: UserId,
        now: i64,
    ) -> DbResult<CoursewareId> {
        Ok(CoursewareId(
            sqlx::query_scalar(
                "INSERT INTO courseware (title, lecturer_name, lecturer_id, topic, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&details.title)
            .bind(&details.lecturer_name)
            .bind(details.lecturer_id.map(|u| u.0))
            .bind(&details.topic)
            .bind(creator.0)
            .bind(now)
            .bind(now)
            .fetch_one(self.pool())
            .await?,
        ))
    }

    pub async fn update_courseware_details(
        &self,
        id: CoursewareId,
        details: &CoursewareDetails,
        now: i64,
    ) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE courseware SET title = $1, lecturer_name = $2, lecturer_id = $3, topic = $4, \
             updated_at = $5 WHERE id = $6",
        )
        .bind(&details.title)
        .bind(&details.lecturer_name)
        .bind(details.lecturer_id.map(|u| u.0))
        .bind(&details.topic)
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

    /// Sets the lecture video; the courseware's duration is the video's.
    pub async fn set_courseware_video(
        &self,
        id: CoursewareId,
        media: &MediaFile,
        now: i64,
    ) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE courseware SET video_id = $1, duration_ms = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(media.id.0)
        .bind(media.duration_ms.unwrap_or(0))
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

    /// Replaces the slides and the outline together, in one transaction.
    pub async fn set_cues(
        &self,
        id: CoursewareId,
        slides: &[Slide],
        outline: &[OutlineItem],
        now: i64,
    ) -> DbResult<()> {
        let mut tx = self.pool().begin().await?;
        let changed = sqlx::query("UPDATE courseware SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        sqlx::query("DELETE FROM courseware_slides WHERE courseware_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM courseware_outline WHERE courseware_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        for (position, slide) in slides.iter().enumerate() {
            sqlx::query(
                "INSERT INTO courseware_slides (courseware_id, position, start_ms, media_id) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id.0)
            .bind(position as i64)
            .bind(slide.start_ms)
            .bind(slide.media_id.0)
            .execute(&mut *tx)
            .await?;
        }
        for (position, item) in outline.iter().enumerate() {
            sqlx::query(
                "INSERT INTO courseware_outline (courseware_id, position, start_ms, level, body) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id.0)
            .bind(position as i64)
            .bind(item.start_ms)
            .bind(item.level)
            .bind(&item.body)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_attachment(&self, id: CoursewareId, media_id: MediaId) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO courseware_attachments (courseware_id, media_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id.0)
        .bind(media_id.0)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn remove_attachment(&self, id: CoursewareId, media_id: MediaId) -> DbResult<()> {
        sqlx::query(
            "DELETE FROM courseware_attachments WHERE courseware_id = $1 AND media_id = $2",
        )
        .bind(id.0)
        .bind(media_id.0)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn courseware(&self, id: CoursewareId) -> DbResult<Courseware> {
        let row = sqlx::query(
            "SELECT id, title, lecturer_name, lecturer_id, topic, duration_ms, video_id, state, \
             updated_at FROM courseware WHERE id = $1",
        )
        .bind(id.0)
        .fetch_one(self.pool())
        .await?;
        let video_id: Option<i64> = row.try_get("video_id")?;
        let video = match video_id {
            Some(media) => Some(self.media(MediaId(media)).await?),
            None => None,
        };
        let slides = sqlx::query_as::<_, (i64, i64)>(
            "SELECT start_ms, media_id FROM courseware_slides WHERE courseware_id = $1 \
             ORDER BY position",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|(start_ms, media_id)| Slide {
            start_ms,
            media_id: MediaId(media_id),
        })
        .collect();
        let outline = sqlx::query_as::<_, (i64, i64, String)>(
            "SELECT start_ms, level, body FROM courseware_outline WHERE courseware_id = $1 \
             ORDER BY position",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|(start_ms, level, body)| OutlineItem {
            start_ms,
            level,
            body,
        })
        .collect();
        let attachments = sqlx::query(
            "SELECT m.id, m.storage_key, m.kind, m.content_type, m.file_name, m.size_bytes, \
             m.sha256, m.duration_ms, m.uploaded_by FROM courseware_attachments a \
             JOIN media_files m ON m.id = a.media_id WHERE a.courseware_id = $1 ORDER BY m.id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(media_from_row)
        .collect::<DbResult<Vec<_>>>()?;
        Ok(Courseware {
            id,
            details: CoursewareDetails {
                title: row.try_get("title")?,
                lecturer_name: row.try_get("lecturer_name")?,
                lecturer_id: row.try_get::<Option<i64>, _>("lecturer_id")?.map(UserId),
                topic: row.try_get("topic")?,
            },
            duration_ms: row.try_get("duration_ms")?,
            video,
            state: super::decode_column(&row, "state")?,
            slides,
            outline,
            attachments,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// The courseware library, newest first.
    pub async fn search_courseware(
        &self,
        filter: &CoursewareFilter,
        limit: i64,
        offset: i64,
    ) -> DbResult<(Vec<CoursewareRow>, i64)> {
        let mut conditions = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let pattern = format!("%{}%", text.to_lowercase());
            let n = binds.len();
            conditions.push(format!(
                "(LOWER(title) LIKE ${} OR LOWER(lecturer_name) LIKE ${} OR LOWER(topic) LIKE ${})",
                n + 1,
                n + 2,
                n + 3
            ));
            binds.extend([pattern.clone(), pattern.clone(), pattern]);
        }
        if let Some(lecturer) = filter.lecturer.as_deref().filter(|t| !t.is_empty()) {
            conditions.push(format!("lecturer_name = ${}", binds.len() + 1));
            binds.push(lecturer.to_owned());
        }
        if let Some(topic) = filter.topic.as_deref().filter(|t| !t.is_empty()) {
            conditions.push(format!("topic = ${}", binds.len() + 1));
            binds.push(topic.to_owned());
        }
        if let Some(state) = filter.state {
            conditions.push(format!("state = ${}", binds.len() + 1));
            binds.push(state.code().to_owned());
        }
        if let Some(lecturer) = filter.lecturer_id {
            // Ids are numbers we produced, never text from the request.
            conditions.push(format!("lecturer_id = {}", lecturer.0));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let count_sql = format!("SELECT COUNT(*) FROM courseware {where_clause}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for bind in &binds {
            count = count.bind(bind);
        }
        let total = count.fetch_one(self.pool()).await?;
        let list_sql = format!(
            "SELECT id, title, lecturer_name, topic, duration_ms, state, video_id, updated_at \
             FROM courseware {where_clause} ORDER BY updated_at DESC, id DESC LIMIT {limit} OFFSET {offset}"
        );
        let mut list = sqlx::query(&list_sql);
        for bind in &binds {
            list = list.bind(bind);
        }
        let rows = list
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                Ok(CoursewareRow {
                    id: CoursewareId(row.try_get("id")?),
                    title: row.try_get("title")?,
                    lecturer_name: row.try_get("lecturer_name")?,
                    topic: row.try_get("topic")?,
                    duration_ms: row.try_get("duration_ms")?,
                    state: super::decode_column(row, "state")?,
                    has_video: row.try_get::<Option<i64>, _>("video_id")?.is_some(),
                    updated_at: row.try_get("updated_at")?,
                })
            })
            .collect::<DbResult<Vec<_>>>()?;
        Ok((rows, total))
    }

    /// The distinct lecturers and topics, for the library's filters.
    pub async fn courseware_facets(&self) -> DbResult<(Vec<String>, Vec<String>)> {
        let lecturers = sqlx::query_scalar(
            "SELECT DISTINCT lecturer_name FROM courseware ORDER BY lecturer_name",
        )
        .fetch_all(self.pool())
        .await?;
        let topics = sqlx::query_scalar(
            "SELECT DISTINCT topic FROM courseware WHERE topic <> '' ORDER BY topic",
        )
        .fetch_all(self.pool())
        .await?;
        Ok((lecturers, topics))
    }

    /// Moves courseware through a review gate if it is still in `from`, and
    /// records the step; `false` when someone else moved it first.
    pub async fn review_courseware(
        &self,
        id: CoursewareId,
        action: ReviewAction,
        from: ReviewState,
        to: ReviewState,
        comment: &str,
        actor: UserId,
        now: i64,
    ) -> DbResult<bool> {
        let mut tx = self.pool().begin().await?;
        let moved = sqlx::query(
            "UPDATE courseware SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
        )
        .bind(to.code())
        .bind(now)
        .bind(id.0)
        .bind(from.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO courseware_reviews (courseware_id, action, from_state, to_state, \
             comment, actor_id, acted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.0)
        .bind(action.code())
        .bind(from.code())
        .bind(to.code())
        .bind(comment)
        .bind(actor.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn review_history(&self, id: CoursewareId) -> DbResult<Vec<ReviewStep>> {
        let rows = sqlx::query(
            "SELECT r.action, r.from_state, r.to_state, r.comment, u.real_name, r.acted_at \
             FROM courseware_reviews r LEFT JOIN users u ON u.id = r.actor_id \
             WHERE r.courseware_id = $1 ORDER BY r.acted_at, r.id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ReviewStep {
                    action: super::decode_column(row, "action")?,
                    from_state: super::decode_column(row, "from_state")?,
                    to_state: super::decode_column(row, "to_state")?,
                    comment: row.try_get("comment")?,
                    actor_name: row.try_get("real_name")?,
                    acted_at: row.try_get("acted_at")?,
                })
            })
            .collect()
    }
}
