//! Question banks, questions (one immutable version per edit), paper plans,
//! exams and attempts.
//!
//! The rules (validation, sampling, scoring) are `academy_shared::exam`; this
//! module stores their inputs and outputs. Papers and grades point at question
//! *versions*, so editing a question never changes a paper already drawn.

use super::users::placeholders;
use super::{Conflict, DbError, DbResult, Store};
use academy_shared::exam::blueprint::Blueprint;
use academy_shared::exam::markup::{image_ids, plain_text};
use academy_shared::exam::question::score;
use academy_shared::exam::{Candidate, Cents, MultiplePolicy, Question, QuestionKind, Response};
use academy_shared::ids::{
    AttemptId, BankId, BlueprintId, ExamId, QuestionId, QuestionVersionId, UserId,
};
use sqlx::Row;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bank {
    pub id: BankId,
    pub title: String,
    pub description: String,
    pub archived: bool,
    /// Questions not archived.
    pub question_count: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankInvite {
    pub lecturer_id: UserId,
    pub lecturer_name: String,
    pub quota: i64,
    /// Questions this lecturer has added (archived ones included: the quota
    /// counts what was asked of them, not what survived review).
    pub contributed: i64,
}

/// The current version of a question, with what only the bank keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredQuestion {
    pub id: QuestionId,
    pub bank: BankId,
    pub version_id: QuestionVersionId,
    pub version: i64,
    pub body: Question,
    pub tags: Vec<String>,
    pub author_id: Option<UserId>,
    pub archived: bool,
    pub updated_at: i64,
}

/// A question in a bank's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionRow {
    pub id: QuestionId,
    pub kind: QuestionKind,
    pub stem_text: String,
    pub topic: String,
    pub lecturer: String,
    pub difficulty: i64,
    pub archived: bool,
    pub updated_at: i64,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct QuestionFilter {
    pub text: Option<String>,
    pub kind: Option<QuestionKind>,
    pub topic: Option<String>,
    pub lecturer: Option<String>,
    pub difficulty: Option<i64>,
    pub tag: Option<String>,
    pub archived: bool,
    /// Only questions this account added (what a lecturer sees).
    pub author: Option<UserId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionVersionRow {
    pub version_id: QuestionVersionId,
    pub version: i64,
    pub body: Question,
    pub edited_by: String,
    pub edited_at: i64,
}

/// A question the sampler may draw, with the version a paper would fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolEntry {
    pub candidate: Candidate,
    pub version: QuestionVersionId,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlueprintRecord {
    pub id: BlueprintId,
    pub title: String,
    pub body: Blueprint,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExamRecord {
    pub id: ExamId,
    pub title: String,
    pub blueprint_id: BlueprintId,
    pub blueprint_title: String,
    /// "A" or "B".
    pub form: String,
    pub class_id: Option<i64>,
    pub class_title: Option<String>,
    /// draft, open or closed.
    pub state: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct NewAttempt {
    pub exam: ExamId,
    pub user: UserId,
    pub number: i64,
    pub seed: u64,
    /// The learner's base seed for this blueprint, to record with the
    /// attempt because none is stored yet; the start is refused
    /// (`SeedTaken`) if another start recorded one first.
    pub new_seed: Option<(BlueprintId, u64)>,
    pub form: String,
    pub policy: MultiplePolicy,
    pub max_score: Cents,
    pub pass_mark: Cents,
    pub started_at: i64,
    pub deadline_at: i64,
}

/// One write of the exam writer (see `crate::exams::writer`).
#[derive(Clone, Debug)]
pub enum ExamWrite {
    /// Starts an attempt with its drawn questions.
    Start {
        attempt: NewAttempt,
        items: Vec<NewItem>,
    },
    /// Saves answers if the attempt is open and `now` is not past its deadline.
    Save {
        attempt: AttemptId,
        answers: Vec<(i64, Option<Response>)>,
        now: i64,
    },
}

/// What an [`ExamWrite`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExamWritten {
    Started(AttemptId),
    /// Another start took this attempt number first; nothing was written.
    NumberTaken,
    /// Another start recorded the learner's seed for this blueprint first;
    /// nothing was written: draw again with the stored seed.
    SeedTaken,
    /// The answers were saved (`true`), or the attempt was closed or late
    /// and nothing was (`false`).
    Saved(bool),
}

#[derive(Clone, Debug)]
pub struct NewItem {
    pub question: QuestionId,
    pub version: QuestionVersionId,
    pub section: u16,
    pub points: Cents,
    pub option_order: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptRecord {
    pub id: AttemptId,
    pub exam: ExamId,
    pub user: UserId,
    pub number: i64,
    pub seed: u64,
    pub form: String,
    pub policy: MultiplePolicy,
    pub max_score: Cents,
    pub pass_mark: Cents,
    pub started_at: i64,
    pub deadline_at: i64,
    pub submitted_at: Option<i64>,
    /// "learner" or "deadline".
    pub closed_by: Option<String>,
    pub score: Option<Cents>,
    pub passed: Option<bool>,
}

impl AttemptRecord {
    pub fn is_open(&self) -> bool {
        self.submitted_at.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptItem {
    pub position: i64,
    pub question: QuestionId,
    pub version: QuestionVersionId,
    pub section: u16,
    pub points: Cents,
    pub option_order: Vec<u8>,
    pub response: Option<Response>,
    pub saved_at: Option<i64>,
    pub score: Option<Cents>,
}

/// What closing an attempt did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseOutcome {
    /// This call closed and graded it.
    Graded { score: Cents, passed: bool },
    /// It was already closed (a second submit, or the deadline sweep won).
    AlreadyClosed,
}

/// A graded attempt with its per-question scores, for item analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GradedAttempt {
    pub attempt: AttemptId,
    pub user: UserId,
    pub score: Cents,
    pub max_score: Cents,
    /// (question, score, points)
    pub items: Vec<(QuestionId, Cents, Cents)>,
}

fn policy_code(policy: MultiplePolicy) -> &'static str {
    match policy {
        MultiplePolicy::AllOrNothing => "all",
        MultiplePolicy::Partial => "partial",
    }
}

fn policy_from_code(code: &str) -> MultiplePolicy {
    if code == "partial" {
        MultiplePolicy::Partial
    } else {
        MultiplePolicy::AllOrNothing
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> DbResult<String> {
    serde_json::to_string(value).map_err(|e| DbError::Other(sqlx::Error::Encode(Box::new(e))))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> DbResult<T> {
    serde_json::from_str(text).map_err(|e| DbError::Other(sqlx::Error::Decode(Box::new(e))))
}

fn order_text(order: &[u8]) -> String {
    order
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn order_from_text(text: &str) -> Vec<u8> {
    text.split(',').filter_map(|p| p.parse().ok()).collect()
}

fn cents(value: i64) -> Cents {
    Cents::try_from(value.max(0)).unwrap_or(Cents::MAX)
}

fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = tags
        .iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

impl Store {
    // ---- banks ----------------------------------------------------------

    pub async fn create_bank(
        &self,
        title: &str,
        description: &str,
        by: UserId,
        now: i64,
    ) -> DbResult<BankId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO question_banks (title, description, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(title)
        .bind(description)
        .bind(by.0)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(BankId(id))
    }

    pub async fn update_bank(
        &self,
        bank: BankId,
        title: &str,
        description: &str,
        archived: bool,
        now: i64,
    ) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE question_banks SET title = $1, description = $2, \
             archived_at = CASE WHEN $3 = 1 THEN COALESCE(archived_at, $4) ELSE NULL END, \
             updated_at = $5 WHERE id = $6",
        )
        .bind(title)
        .bind(description)
        .bind(i64::from(archived))
        .bind(now)
        .bind(now)
        .bind(bank.0)
        .execute(self.pool())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    const BANK_COLUMNS: &str = "b.id, b.title, b.description, b.archived_at, b.updated_at, \
         (SELECT COUNT(*) FROM questions q WHERE q.bank_id = b.id AND q.archived_at IS NULL) AS question_count";

    fn bank_from_row(row: &sqlx::any::AnyRow) -> DbResult<Bank> {
        Ok(Bank {
            id: BankId(row.try_get("id")?),
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
            question_count: row.try_get("question_count")?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// Every bank, or with `invited` only the banks that lecturer is invited to.
    pub async fn banks(&self, invited: Option<UserId>) -> DbResult<Vec<Bank>> {
        let sql = match invited {
            Some(_) => format!(
                "SELECT {} FROM question_banks b JOIN bank_invites i ON i.bank_id = b.id \
                 WHERE i.lecturer_id = $1 ORDER BY b.archived_at IS NOT NULL, b.id DESC",
                Self::BANK_COLUMNS
            ),
            None => format!(
                "SELECT {} FROM question_banks b ORDER BY b.archived_at IS NOT NULL, b.id DESC",
                Self::BANK_COLUMNS
            ),
        };
        let mut query = sqlx::query(&sql);
        if let Some(lecturer) = invited {
            query = query.bind(lecturer.0);
        }
        query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(Self::bank_from_row)
            .collect()
    }

    pub async fn bank(&self, bank: BankId) -> DbResult<Bank> {
        let sql = format!(
            "SELECT {} FROM question_banks b WHERE b.id = $1",
            Self::BANK_COLUMNS
        );
        let row = sqlx::query(&sql)
            .bind(bank.0)
            .fetch_one(self.pool())
            .await?;
        Self::bank_from_row(&row)
    }

    pub async fn bank_invites(&self, bank: BankId) -> DbResult<Vec<BankInvite>> {
        let rows = sqlx::query(
            "SELECT i.lecturer_id, u.real_name, i.quota, \
             (SELECT COUNT(*) FROM questions q WHERE q.bank_id = i.bank_id \
              AND q.author_id = i.lecturer_id) AS contributed \
             FROM bank_invites i JOIN users u ON u.id = i.lecturer_id \
             WHERE i.bank_id = $1 ORDER BY u.real_name, i.lecturer_id",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(BankInvite {
                    lecturer_id: UserId(row.try_get("lecturer_id")?),
                    lecturer_name: row.try_get("real_name")?,
                    quota: row.try_get("quota")?,
                    contributed: row.try_get("contributed")?,
                })
            })
            .collect()
    }

    /// Invites a lecturer (or changes their quota).
    pub async fn invite_lecturer(
        &self,
        bank: BankId,
        lecturer: UserId,
        quota: i64,
        by: UserId,
        now: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO bank_invites (bank_id, lecturer_id, quota, invited_by, invited_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (bank_id, lecturer_id) DO UPDATE SET quota = excluded.quota",
        )
        .bind(bank.0)
        .bind(lecturer.0)
        .bind(quota)
        .bind(by.0)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn remove_invite(&self, bank: BankId, lecturer: UserId) -> DbResult<()> {
        sqlx::query("DELETE FROM bank_invites WHERE bank_id = $1 AND lecturer_id = $2")
            .bind(bank.0)
            .bind(lecturer.0)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The lecturer's quota in the bank, if invited.
    pub async fn invite_quota(&self, bank: BankId, lecturer: UserId) -> DbResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT quota FROM bank_invites WHERE bank_id = $1 AND lecturer_id = $2",
        )
        .bind(bank.0)
        .bind(lecturer.0)
        .fetch_optional(self.pool())
        .await?)
    }

    // ---- questions --------------------------------------------------------

    /// Adds questions in one transaction: all or none. With `quota`, the
    /// author's questions in the bank may not exceed it (checked inside the
    /// transaction, so two tabs cannot both slip past it): `Conflict::Quota`.
    pub async fn insert_questions(
        &self,
        bank: BankId,
        questions: &[(Question, Vec<String>)],
        author: UserId,
        quota: Option<i64>,
        now: i64,
    ) -> DbResult<Vec<QuestionId>> {
        let mut tx = self.begin_write().await?;
        if let Some(quota) = quota {
            let have: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM questions WHERE bank_id = $1 AND author_id = $2",
            )
            .bind(bank.0)
            .bind(author.0)
            .fetch_one(&mut *tx)
            .await?;
            if have + i64::try_from(questions.len()).unwrap_or(i64::MAX) > quota {
                return Err(DbError::Conflict(Conflict::Quota));
            }
        }
        let mut ids = Vec::with_capacity(questions.len());
        for (body, tags) in questions {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO questions (bank_id, kind, stem_text, topic, lecturer, difficulty, \
                 option_count, author_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(bank.0)
            .bind(body.kind.code())
            .bind(plain_text(&body.stem))
            .bind(&body.topic)
            .bind(&body.lecturer)
            .bind(i64::from(body.difficulty))
            .bind(i64::try_from(body.options.len()).unwrap_or(0))
            .bind(author.0)
            .bind(now)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO question_versions (question_id, version, body, edited_by, edited_at) \
                 VALUES ($1, 1, $2, $3, $4) RETURNING id",
            )
            .bind(id)
            .bind(to_json(body)?)
            .bind(author.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE questions SET current_version_id = $1 WHERE id = $2")
                .bind(version)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            record_images(&mut tx, version, body).await?;
            for tag in clean_tags(tags) {
                sqlx::query("INSERT INTO question_tags (question_id, tag) VALUES ($1, $2)")
                    .bind(id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?;
            }
            ids.push(QuestionId(id));
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Saves an edit as a new version. `expected_version` is the version the
    /// editor started from: another edit in between is a `Conflict`, never a
    /// silent overwrite.
    pub async fn update_question(
        &self,
        question: QuestionId,
        body: &Question,
        tags: &[String],
        expected_version: i64,
        by: UserId,
        now: i64,
    ) -> DbResult<i64> {
        let mut tx = self.begin_write().await?;
        let current: Option<i64> = sqlx::query_scalar(
            "SELECT v.version FROM questions q JOIN question_versions v \
             ON v.id = q.current_version_id WHERE q.id = $1",
        )
        .bind(question.0)
        .fetch_optional(&mut *tx)
        .await?;
        let current = current.ok_or(DbError::NotFound)?;
        if current != expected_version {
            return Err(DbError::Conflict(Conflict::Version));
        }
        let next = current + 1;
        let version: i64 = sqlx::query_scalar(
            "INSERT INTO question_versions (question_id, version, body, edited_by, edited_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(question.0)
        .bind(next)
        .bind(to_json(body)?)
        .bind(by.0)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        record_images(&mut tx, version, body).await?;
        sqlx::query(
            "UPDATE questions SET current_version_id = $1, kind = $2, stem_text = $3, topic = $4, \
             lecturer = $5, difficulty = $6, option_count = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(version)
        .bind(body.kind.code())
        .bind(plain_text(&body.stem))
        .bind(&body.topic)
        .bind(&body.lecturer)
        .bind(i64::from(body.difficulty))
        .bind(i64::try_from(body.options.len()).unwrap_or(0))
        .bind(now)
        .bind(question.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM question_tags WHERE question_id = $1")
            .bind(question.0)
            .execute(&mut *tx)
            .await?;
        for tag in clean_tags(tags) {
            sqlx::query("INSERT INTO question_tags (question_id, tag) VALUES ($1, $2)")
                .bind(question.0)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(next)
    }

    async fn tags_of(&self, ids: &[i64]) -> DbResult<HashMap<i64, Vec<String>>> {
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        if ids.is_empty() {
            return Ok(tags);
        }
        let sql = format!(
            "SELECT question_id, tag FROM question_tags WHERE question_id IN ({}) \
             ORDER BY question_id, tag",
            placeholders(1, ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        for row in query.fetch_all(self.pool()).await? {
            tags.entry(row.try_get("question_id")?)
                .or_default()
                .push(row.try_get("tag")?);
        }
        Ok(tags)
    }

    pub async fn question(&self, question: QuestionId) -> DbResult<StoredQuestion> {
        let row = sqlx::query(
            "SELECT q.id, q.bank_id, q.author_id, q.archived_at, q.updated_at, v.id AS version_id, \
             v.version, v.body FROM questions q JOIN question_versions v \
             ON v.id = q.current_version_id WHERE q.id = $1",
        )
        .bind(question.0)
        .fetch_one(self.pool())
        .await?;
        let tags = self
            .tags_of(&[question.0])
            .await?
            .remove(&question.0)
            .unwrap_or_default();
        Ok(StoredQuestion {
            id: QuestionId(row.try_get("id")?),
            bank: BankId(row.try_get("bank_id")?),
            version_id: QuestionVersionId(row.try_get("version_id")?),
            version: row.try_get("version")?,
            body: from_json(&row.try_get::<String, _>("body")?)?,
            tags,
            author_id: row.try_get::<Option<i64>, _>("author_id")?.map(UserId),
            archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// A page of a bank's questions and how many match in all.
    pub async fn questions(
        &self,
        bank: BankId,
        filter: &QuestionFilter,
        limit: i64,
        offset: i64,
    ) -> DbResult<(Vec<QuestionRow>, i64)> {
        let mut conditions = vec![format!("q.bank_id = {}", bank.0)];
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
                "(LOWER(q.stem_text) LIKE ${} OR LOWER(q.topic) LIKE ${} OR LOWER(q.lecturer) LIKE ${})",
                n + 1,
                n + 2,
                n + 3
            ));
            binds.extend([pattern.clone(), pattern.clone(), pattern]);
        }
        if let Some(kind) = filter.kind {
            conditions.push(format!("q.kind = ${}", binds.len() + 1));
            binds.push(kind.code().to_owned());
        }
        if let Some(topic) = filter.topic.as_deref().filter(|t| !t.is_empty()) {
            conditions.push(format!("q.topic = ${}", binds.len() + 1));
            binds.push(topic.to_owned());
        }
        if let Some(lecturer) = filter.lecturer.as_deref().filter(|t| !t.is_empty()) {
            conditions.push(format!("q.lecturer = ${}", binds.len() + 1));
            binds.push(lecturer.to_owned());
        }
        if let Some(tag) = filter.tag.as_deref().filter(|t| !t.is_empty()) {
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM question_tags t WHERE t.question_id = q.id AND t.tag = ${})",
                binds.len() + 1
            ));
            binds.push(tag.to_owned());
        }
        // Numbers and ids below are ours, never text from the request.
        if let Some(difficulty) = filter.difficulty {
            conditions.push(format!("q.difficulty = {difficulty}"));
        }
        if let Some(author) = filter.author {
            conditions.push(format!("q.author_id = {}", author.0));
        }
        conditions.push(if filter.archived {
            "q.archived_at IS NOT NULL".to_owned()
        } else {
            "q.archived_at IS NULL".to_owned()
        });
        let where_clause = conditions.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM questions q WHERE {where_clause}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for bind in &binds {
            count = count.bind(bind);
        }
        let total = count.fetch_one(self.pool()).await?;
        let list_sql = format!(
            "SELECT q.id, q.kind, q.stem_text, q.topic, q.lecturer, q.difficulty, q.archived_at, \
             q.updated_at FROM questions q WHERE {where_clause} ORDER BY q.id DESC \
             LIMIT {limit} OFFSET {offset}"
        );
        let mut list = sqlx::query(&list_sql);
        for bind in &binds {
            list = list.bind(bind);
        }
        let rows = list.fetch_all(self.pool()).await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let mut tags = self.tags_of(&ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let kind: String = row.try_get("kind")?;
            out.push(QuestionRow {
                id: QuestionId(id),
                kind: QuestionKind::from_code(&kind).unwrap_or(QuestionKind::Single),
                stem_text: row.try_get("stem_text")?,
                topic: row.try_get("topic")?,
                lecturer: row.try_get("lecturer")?,
                difficulty: row.try_get("difficulty")?,
                archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
                updated_at: row.try_get("updated_at")?,
                tags: tags.remove(&id).unwrap_or_default(),
            });
        }
        Ok((out, total))
    }

    /// The distinct topics, lecturers and tags of a bank's questions, for filters.
    pub async fn question_facets(
        &self,
        bank: BankId,
    ) -> DbResult<(Vec<String>, Vec<String>, Vec<String>)> {
        let topics = sqlx::query_scalar(
            "SELECT DISTINCT topic FROM questions WHERE bank_id = $1 AND topic <> '' ORDER BY topic",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        let lecturers = sqlx::query_scalar(
            "SELECT DISTINCT lecturer FROM questions WHERE bank_id = $1 AND lecturer <> '' \
             ORDER BY lecturer",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        let tags = sqlx::query_scalar(
            "SELECT DISTINCT t.tag FROM question_tags t JOIN questions q ON q.id = t.question_id \
             WHERE q.bank_id = $1 ORDER BY t.tag",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        Ok((topics, lecturers, tags))
    }

    /// Archives or restores questions of one bank; returns how many changed.
    pub async fn set_questions_archived(
        &self,
        bank: BankId,
        ids: &[QuestionId],
        archived: bool,
        now: i64,
    ) -> DbResult<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "UPDATE questions SET archived_at = {}, updated_at = $1 \
             WHERE bank_id = $2 AND id IN ({})",
            if archived { "$1" } else { "NULL" },
            placeholders(3, ids.len())
        );
        let mut query = sqlx::query(&sql).bind(now).bind(bank.0);
        for id in ids {
            query = query.bind(id.0);
        }
        Ok(query.execute(self.pool()).await?.rows_affected())
    }

    /// Adds or removes a tag on questions of one bank; returns how many changed.
    pub async fn tag_questions(
        &self,
        bank: BankId,
        ids: &[QuestionId],
        tag: &str,
        add: bool,
    ) -> DbResult<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "SELECT id FROM questions WHERE bank_id = $1 AND id IN ({})",
            placeholders(2, ids.len())
        );
        let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(bank.0);
        for id in ids {
            query = query.bind(id.0);
        }
        let own = query.fetch_all(&mut *tx).await?;
        let mut changed = 0;
        for id in own {
            changed += if add {
                sqlx::query(
                    "INSERT INTO question_tags (question_id, tag) VALUES ($1, $2) \
                     ON CONFLICT (question_id, tag) DO NOTHING",
                )
                .bind(id)
                .bind(tag)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                sqlx::query("DELETE FROM question_tags WHERE question_id = $1 AND tag = $2")
                    .bind(id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            };
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Every version of a question, newest first.
    pub async fn question_history(
        &self,
        question: QuestionId,
    ) -> DbResult<Vec<QuestionVersionRow>> {
        let rows = sqlx::query(
            "SELECT v.id, v.version, v.body, v.edited_at, COALESCE(u.real_name, '') AS editor \
             FROM question_versions v LEFT JOIN users u ON u.id = v.edited_by \
             WHERE v.question_id = $1 ORDER BY v.version DESC",
        )
        .bind(question.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(QuestionVersionRow {
                    version_id: QuestionVersionId(row.try_get("id")?),
                    version: row.try_get("version")?,
                    body: from_json(&row.try_get::<String, _>("body")?)?,
                    edited_by: row.try_get("editor")?,
                    edited_at: row.try_get("edited_at")?,
                })
            })
            .collect()
    }

    /// The current, non-archived questions of a bank with their tags, oldest
    /// first (for export).
    pub async fn bank_questions(&self, bank: BankId) -> DbResult<Vec<(Question, Vec<String>)>> {
        let rows = sqlx::query(
            "SELECT q.id, v.body FROM questions q JOIN question_versions v \
             ON v.id = q.current_version_id WHERE q.bank_id = $1 AND q.archived_at IS NULL \
             ORDER BY q.id",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let mut tags = self.tags_of(&ids).await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok((
                    from_json(&row.try_get::<String, _>("body")?)?,
                    tags.remove(&id).unwrap_or_default(),
                ))
            })
            .collect()
    }

    /// What the sampler may draw from these banks: current, non-archived
    /// questions of banks that are not archived.
    pub async fn question_pool(&self, banks: &[BankId]) -> DbResult<Vec<PoolEntry>> {
        if banks.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT q.id, q.bank_id, q.kind, q.topic, q.lecturer, q.difficulty, q.option_count, \
             q.current_version_id FROM questions q JOIN question_banks b ON b.id = q.bank_id \
             WHERE q.archived_at IS NULL AND b.archived_at IS NULL \
             AND q.current_version_id IS NOT NULL AND q.bank_id IN ({}) ORDER BY q.id",
            placeholders(1, banks.len())
        );
        let mut query = sqlx::query(&sql);
        for bank in banks {
            query = query.bind(bank.0);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(PoolEntry {
                    candidate: Candidate {
                        id: QuestionId(row.try_get("id")?),
                        bank: BankId(row.try_get("bank_id")?),
                        kind: QuestionKind::from_code(&kind).unwrap_or(QuestionKind::Single),
                        topic: row.try_get("topic")?,
                        lecturer: row.try_get("lecturer")?,
                        difficulty: u8::try_from(row.try_get::<i64, _>("difficulty")?).unwrap_or(3),
                        options: u8::try_from(row.try_get::<i64, _>("option_count")?).unwrap_or(0),
                    },
                    version: QuestionVersionId(row.try_get("current_version_id")?),
                })
            })
            .collect()
    }

    /// The current versions of questions, by question id.
    pub async fn current_questions(
        &self,
        ids: &[QuestionId],
    ) -> DbResult<HashMap<QuestionId, Question>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT q.id, v.body FROM questions q JOIN question_versions v \
                 ON v.id = q.current_version_id WHERE q.id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(id.0);
            }
            for row in query.fetch_all(self.pool()).await? {
                out.insert(
                    QuestionId(row.try_get("id")?),
                    from_json(&row.try_get::<String, _>("body")?)?,
                );
            }
        }
        Ok(out)
    }

    /// Question bodies by version id.
    pub async fn versions(
        &self,
        ids: &[QuestionVersionId],
    ) -> DbResult<HashMap<QuestionVersionId, Question>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT id, body FROM question_versions WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(id.0);
            }
            for row in query.fetch_all(self.pool()).await? {
                out.insert(
                    QuestionVersionId(row.try_get("id")?),
                    from_json(&row.try_get::<String, _>("body")?)?,
                );
            }
        }
        Ok(out)
    }

    // ---- blueprints -------------------------------------------------------

    pub async fn create_blueprint(
        &self,
        title: &str,
        body: &Blueprint,
        by: UserId,
        now: i64,
    ) -> DbResult<BlueprintId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO blueprints (title, body, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(title)
        .bind(to_json(body)?)
        .bind(by.0)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(BlueprintId(id))
    }

    pub async fn update_blueprint(
        &self,
        id: BlueprintId,
        title: &str,
        body: &Blueprint,
        now: i64,
    ) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE blueprints SET title = $1, body = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(title)
        .bind(to_json(body)?)
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

    fn blueprint_from_row(row: &sqlx::any::AnyRow) -> DbResult<BlueprintRecord> {
        Ok(BlueprintRecord {
            id: BlueprintId(row.try_get("id")?),
            title: row.try_get("title")?,
            body: from_json(&row.try_get::<String, _>("body")?)?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    pub async fn blueprints(&self) -> DbResult<Vec<BlueprintRecord>> {
        sqlx::query("SELECT id, title, body, updated_at FROM blueprints ORDER BY id DESC")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(Self::blueprint_from_row)
            .collect()
    }

    pub async fn blueprint(&self, id: BlueprintId) -> DbResult<BlueprintRecord> {
        let row = sqlx::query("SELECT id, title, body, updated_at FROM blueprints WHERE id = $1")
            .bind(id.0)
            .fetch_one(self.pool())
            .await?;
        Self::blueprint_from_row(&row)
    }

    /// The learner's seed for a blueprint, if one is recorded (both forms of
    /// an exam pair are drawn from it). A first start records it with the
    /// attempt: see [`NewAttempt::new_seed`].
    pub async fn blueprint_seed(
        &self,
        blueprint: BlueprintId,
        user: UserId,
    ) -> DbResult<Option<u64>> {
        let seed: Option<i64> = sqlx::query_scalar(
            "SELECT seed FROM blueprint_seeds WHERE blueprint_id = $1 AND user_id = $2",
        )
        .bind(blueprint.0)
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(seed.map(i64::cast_unsigned))
    }

    // ---- exams ------------------------------------------------------------

    pub async fn create_exam(
        &self,
        title: &str,
        blueprint: BlueprintId,
        form: &str,
        class_id: Option<i64>,
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
        .bind(class_id)
        .bind(by.0)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(ExamId(id))
    }

    pub async fn set_exam_state(&self, exam: ExamId, state: &str, now: i64) -> DbResult<()> {
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
            class_id: row.try_get("class_id")?,
            class_title: row.try_get("class_title")?,
            state: row.try_get("state")?,
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

    // ---- attempts ---------------------------------------------------------

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
            policy: policy_from_code(&row.try_get::<String, _>("multiple_policy")?),
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
        let policy = policy_from_code(&row.try_get::<String, _>("multiple_policy")?);
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

/// Remembers the images a version's stem shows (see `may_fetch_media`).
async fn record_images(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    version: i64,
    body: &Question,
) -> DbResult<()> {
    for media in image_ids(&body.stem) {
        sqlx::query(
            "INSERT INTO question_media (version_id, media_id) VALUES ($1, $2) \
             ON CONFLICT (version_id, media_id) DO NOTHING",
        )
        .bind(version)
        .bind(media)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

type WriteTx = sqlx::Transaction<'static, sqlx::Any>;

/// Inserts an attempt and its items; refuses (writing nothing the caller's
/// savepoint does not undo) when the number or the first seed is taken.
async fn insert_attempt_in(
    tx: &mut WriteTx,
    attempt: &NewAttempt,
    items: &[NewItem],
) -> DbResult<ExamWritten> {
    if let Some((blueprint, base)) = attempt.new_seed {
        let recorded = sqlx::query(
            "INSERT INTO blueprint_seeds (blueprint_id, user_id, seed) VALUES ($1, $2, $3) \
             ON CONFLICT (blueprint_id, user_id) DO NOTHING",
        )
        .bind(blueprint.0)
        .bind(attempt.user.0)
        .bind(base.cast_signed())
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if recorded == 0 {
            return Ok(ExamWritten::SeedTaken);
        }
    }
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO attempts (exam_id, user_id, number, seed, form, multiple_policy, \
         max_score, pass_mark, started_at, deadline_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (exam_id, user_id, number) DO NOTHING RETURNING id",
    )
    .bind(attempt.exam.0)
    .bind(attempt.user.0)
    .bind(attempt.number)
    .bind(attempt.seed.cast_signed())
    .bind(&attempt.form)
    .bind(policy_code(attempt.policy))
    .bind(i64::from(attempt.max_score))
    .bind(i64::from(attempt.pass_mark))
    .bind(attempt.started_at)
    .bind(attempt.deadline_at)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(id) = id else {
        return Ok(ExamWritten::NumberTaken);
    };
    // One multi-row insert: a paper is ~20 rows and this runs 1,000 times
    // in the first seconds of an exam.
    if !items.is_empty() {
        let values: Vec<String> = (0..items.len())
            .map(|i| {
                let b = i * 7;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO attempt_items (attempt_id, position, question_id, version_id, \
             section, points, option_order) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (position, item) in items.iter().enumerate() {
            query = query
                .bind(id)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(item.question.0)
                .bind(item.version.0)
                .bind(i64::from(item.section))
                .bind(i64::from(item.points))
                .bind(order_text(&item.option_order));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(ExamWritten::Started(AttemptId(id)))
}

/// Saves answers if the attempt is open and `now` is not past its deadline.
async fn save_responses_in(
    tx: &mut WriteTx,
    attempt: AttemptId,
    answers: &[(i64, Option<Response>)],
    now: i64,
) -> DbResult<bool> {
    // Touching the attempt row first takes its lock on PostgreSQL, so a
    // save and the grading that closes the attempt never interleave: the
    // grade always sees every answer that was acknowledged.
    let open = sqlx::query(
        "UPDATE attempts SET started_at = started_at WHERE id = $1 \
         AND submitted_at IS NULL AND deadline_at >= $2",
    )
    .bind(attempt.0)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if open == 0 {
        return Ok(false);
    }
    for (position, response) in answers {
        let text = match response {
            Some(response) => Some(to_json(response)?),
            None => None,
        };
        sqlx::query(
            "UPDATE attempt_items SET response = $1, saved_at = $2 \
             WHERE attempt_id = $3 AND position = $4",
        )
        .bind(text)
        .bind(now)
        .bind(attempt.0)
        .bind(*position)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

fn item_from_row(row: &sqlx::any::AnyRow) -> DbResult<AttemptItem> {
    let response: Option<String> = row.try_get("response")?;
    Ok(AttemptItem {
        position: row.try_get("position")?,
        question: QuestionId(row.try_get("question_id")?),
        version: QuestionVersionId(row.try_get("version_id")?),
        section: u16::try_from(row.try_get::<i64, _>("section")?).unwrap_or(0),
        points: cents(row.try_get("points")?),
        option_order: order_from_text(&row.try_get::<String, _>("option_order")?),
        response: match response {
            Some(text) => Some(from_json(&text)?),
            None => None,
        },
        saved_at: row.try_get("saved_at")?,
        score: row.try_get::<Option<i64>, _>("score")?.map(cents),
    })
}
