//! Training classes as organizers run them: the class record with its tests,
//! survey and rules; enrolment and reporting in (报到); daily check-ins; survey
//! responses; certificates; and the figures the learner home and the class
//! dashboard are built from.
//!
//! Lessons, study progress and the player's rules are in `study.rs`; exams and
//! attempts in `exams/`.

mod certificates;
mod checkins;
mod class_records;
mod enrolment;
mod figures;
mod survey;

use crate::store::{Conflict, DbError, DbResult, Store};
use academy_shared::class::{ClassState, ClassTest};
use academy_shared::class_stats::LearnerRow;
use academy_shared::ids::{ClassId, CoursewareId, ExamId, RegionId, UserId};
use academy_shared::journey::{CompletionRule, Gating};
use academy_shared::survey::{Answer, Survey};
use sqlx::Row;
use std::collections::BTreeMap;

/// A class as its organizer edits it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassRecord {
    pub id: ClassId,
    pub title: String,
    pub description: String,
    pub state: ClassState,
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
    pub class_id: ClassId,
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
        id: ClassId(row.try_get("id")?),
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        state: super::decode_column(row, "state")?,
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
        class_id: ClassId(row.try_get("class_id")?),
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
