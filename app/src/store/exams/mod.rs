//! Question banks, questions (one immutable version per edit), paper plans,
//! exams and attempts.
//!
//! The rules (validation, sampling, scoring) are `academy_shared::exam`; this
//! module stores their inputs and outputs. Papers and grades point at question
//! *versions*, so editing a question never changes a paper already drawn.

mod attempts;
mod banks;
mod blueprints;
mod exam_records;
mod questions;

use crate::store::users::placeholders;
use crate::store::{Conflict, DbError, DbResult, Store};
use academy_shared::exam::blueprint::Blueprint;
use academy_shared::exam::markup::{image_ids, plain_text};
use academy_shared::exam::question::score;
use academy_shared::exam::{
    Candidate, Cents, ExamState, MultiplePolicy, Question, QuestionKind, Response,
};
use academy_shared::ids::{
    AttemptId, BankId, BlueprintId, ClassId, ExamId, QuestionId, QuestionVersionId, UserId,
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
    pub class_id: Option<ClassId>,
    pub class_title: Option<String>,
    pub state: ExamState,
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
        .bind(media.0)
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
    .bind(MultiplePolicy::code(attempt.policy))
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
