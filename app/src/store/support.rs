//! Support questions (解疑答惑) and the FAQ (常见问题).
//!
//! A question moves open → answered → closed (see
//! `academy_shared::support::transition`); every change checks the state and
//! the `version` the person saw and bumps the version, so that two staff
//! members never overwrite each other's answer silently. FAQ entries keep a
//! position for their order and may be hidden rather than deleted.

use super::{Conflict, DbError, DbResult, Store};
use academy_shared::ids::{ClassId, UserId};
use academy_shared::support::QuestionState;
use sqlx::Row;

/// A question as stored, with who asked it (and who answered) for the inbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupportQuestion {
    pub id: i64,
    pub asker: UserId,
    pub asker_username: String,
    pub asker_name: String,
    /// The whole number: mask it for anyone who does not need it.
    pub asker_phone: Option<String>,
    pub body: String,
    /// The page's path ('' when unknown).
    pub page: String,
    pub device: String,
    pub user_agent: String,
    pub class_id: Option<ClassId>,
    pub class_title: Option<String>,
    pub state: QuestionState,
    pub answer: String,
    pub answered_by: Option<UserId>,
    pub answerer_name: Option<String>,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// The FAQ entry made from this question, if any.
    pub faq_id: Option<i64>,
}

/// What a learner's question arrives with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewQuestion {
    pub asker: UserId,
    pub body: String,
    pub page: String,
    pub device: String,
    pub user_agent: String,
    pub class_id: Option<ClassId>,
}

/// How many questions are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SupportCounts {
    pub open: i64,
    pub answered: i64,
    pub closed: i64,
}

/// An FAQ entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaqRecord {
    pub id: i64,
    pub question: String,
    pub answer: String,
    pub source_question_id: Option<i64>,
    pub position: i64,
    pub created_by: Option<UserId>,
    pub created_at: i64,
    pub updated_at: i64,
    pub hidden_at: Option<i64>,
}

const QUESTION_SELECT: &str = "SELECT q.id, q.user_id, u.username, u.real_name, u.phone, q.body, \
     q.page, q.device, q.user_agent, q.class_id, k.title AS class_title, q.state, q.answer, \
     q.answered_by, a.real_name AS answerer_name, q.answered_at, q.closed_at, q.version, \
     q.created_at, q.updated_at, f.id AS faq_id \
     FROM support_questions q \
     JOIN users u ON u.id = q.user_id \
     LEFT JOIN users a ON a.id = q.answered_by \
     LEFT JOIN classes k ON k.id = q.class_id \
     LEFT JOIN faqs f ON f.source_question_id = q.id";

fn question_from_row(row: &sqlx::any::AnyRow) -> DbResult<SupportQuestion> {
    Ok(SupportQuestion {
        id: row.try_get("id")?,
        asker: UserId(row.try_get("user_id")?),
        asker_username: row.try_get("username")?,
        asker_name: row.try_get("real_name")?,
        asker_phone: row.try_get("phone")?,
        body: row.try_get("body")?,
        page: row.try_get("page")?,
        device: row.try_get("device")?,
        user_agent: row.try_get("user_agent")?,
        class_id: row.try_get::<Option<i64>, _>("class_id")?.map(ClassId),
        class_title: row.try_get("class_title")?,
        state: super::decode_column(row, "state")?,
        answer: row.try_get("answer")?,
        answered_by: row.try_get::<Option<i64>, _>("answered_by")?.map(UserId),
        answerer_name: row.try_get("answerer_name")?,
        answered_at: row.try_get("answered_at")?,
        closed_at: row.try_get("closed_at")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        faq_id: row.try_get("faq_id")?,
    })
}

const FAQ_COLUMNS: &str = "id, question, answer, source_question_id, position, created_by, \
     created_at, updated_at, hidden_at";

fn faq_from_row(row: &sqlx::any::AnyRow) -> DbResult<FaqRecord> {
    Ok(FaqRecord {
        id: row.try_get("id")?,
        question: row.try_get("question")?,
        answer: row.try_get("answer")?,
        source_question_id: row.try_get("source_question_id")?,
        position: row.try_get("position")?,
        created_by: row.try_get::<Option<i64>, _>("created_by")?.map(UserId),
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        hidden_at: row.try_get("hidden_at")?,
    })
}

impl Store {
    // ---- questions -------------------------------------------------------

    /// Stores a new, open question; its id.
    pub async fn insert_support_question(&self, new: &NewQuestion, now: i64) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO support_questions (user_id, body, page, device, user_agent, class_id, \
             state, answer, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'open', '', 1, $7, $8) RETURNING id",
        )
        .bind(new.asker.0)
        .bind(&new.body)
        .bind(&new.page)
        .bind(&new.device)
        .bind(&new.user_agent)
        .bind(new.class_id.map(|c| c.0))
        .bind(now)
        .bind(now)
        .fetch_one(self.pool())
        .await?)
    }

    pub async fn support_question(&self, id: i64) -> DbResult<SupportQuestion> {
        let sql = format!("{QUESTION_SELECT} WHERE q.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(self.pool()).await?;
        question_from_row(&row)
    }

    /// A learner's own questions, newest first.
    pub async fn support_questions_of(&self, user: UserId) -> DbResult<Vec<SupportQuestion>> {
        let sql = format!("{QUESTION_SELECT} WHERE q.user_id = $1 ORDER BY q.id DESC LIMIT 200");
        sqlx::query(&sql)
            .bind(user.0)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(question_from_row)
            .collect()
    }

    /// How many questions `user` asked since `since` (for the rate limit).
    pub async fn support_questions_since(&self, user: UserId, since: i64) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM support_questions \
             WHERE user_id = $1 AND created_at >= $2",
        )
        .bind(user.0)
        .bind(since)
        .fetch_one(self.pool())
        .await?)
    }

    /// The staff inbox: questions in `state` (all when `None`); open ones
    /// oldest first (the longest waiting on top), the others newest first.
    pub async fn support_inbox(
        &self,
        state: Option<QuestionState>,
        limit: i64,
    ) -> DbResult<Vec<SupportQuestion>> {
        let limit = limit.clamp(1, 500);
        let rows = match state {
            Some(state) => {
                let order = if state == QuestionState::Open {
                    "q.id ASC"
                } else {
                    "q.updated_at DESC, q.id DESC"
                };
                let sql =
                    format!("{QUESTION_SELECT} WHERE q.state = $1 ORDER BY {order} LIMIT {limit}");
                sqlx::query(&sql)
                    .bind(state.code())
                    .fetch_all(self.pool())
                    .await?
            }
            None => {
                let sql = format!(
                    "{QUESTION_SELECT} ORDER BY CASE WHEN q.state = 'open' THEN 0 ELSE 1 END, \
                     q.updated_at DESC, q.id DESC LIMIT {limit}"
                );
                sqlx::query(&sql).fetch_all(self.pool()).await?
            }
        };
        rows.iter().map(question_from_row).collect()
    }

    /// How many questions are in each state.
    pub async fn support_counts(&self) -> DbResult<SupportCounts> {
        let rows = sqlx::query(
            "SELECT state, CAST(COUNT(*) AS BIGINT) AS n FROM support_questions GROUP BY state",
        )
        .fetch_all(self.pool())
        .await?;
        let mut counts = SupportCounts::default();
        for row in &rows {
            let n: i64 = row.try_get("n")?;
            match super::decode_column(row, "state")? {
                QuestionState::Open => counts.open = n,
                QuestionState::Answered => counts.answered = n,
                QuestionState::Closed => counts.closed = n,
            }
        }
        Ok(counts)
    }

    /// How many questions wait for an answer (the header's badge).
    pub async fn support_open_count(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM support_questions WHERE state = 'open'",
        )
        .fetch_one(self.pool())
        .await?)
    }

    /// Answers the question (or replaces its answer) if it is still in
    /// `expected` at `version`; `false` when someone changed it first.
    pub async fn answer_support_question(
        &self,
        id: i64,
        expected: QuestionState,
        version: i64,
        answer: &str,
        by: UserId,
        now: i64,
    ) -> DbResult<bool> {
        let changed = sqlx::query(
            "UPDATE support_questions SET state = 'answered', answer = $1, answered_by = $2, \
             answered_at = $3, closed_at = NULL, version = version + 1, updated_at = $4 \
             WHERE id = $5 AND state = $6 AND version = $7",
        )
        .bind(answer)
        .bind(by.0)
        .bind(now)
        .bind(now)
        .bind(id)
        .bind(expected.code())
        .bind(version)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(changed == 1)
    }

    /// Closes the question (`to` Closed) or opens it again (`to` Open) if it
    /// is still in `expected` at `version`; `false` when someone changed it
    /// first. An answer given before is kept.
    pub async fn set_support_state(
        &self,
        id: i64,
        expected: QuestionState,
        version: i64,
        to: QuestionState,
        now: i64,
    ) -> DbResult<bool> {
        let query = match to {
            QuestionState::Closed => sqlx::query(
                "UPDATE support_questions SET state = 'closed', closed_at = $1, \
                 version = version + 1, updated_at = $2 \
                 WHERE id = $3 AND state = $4 AND version = $5",
            )
            .bind(now),
            QuestionState::Open => sqlx::query(
                "UPDATE support_questions SET state = 'open', closed_at = NULL, \
                 version = version + 1, updated_at = $1 \
                 WHERE id = $2 AND state = $3 AND version = $4",
            ),
            QuestionState::Answered => {
                return Err(DbError::Conflict(Conflict::Unfit(
                    "a question is answered with answer_support_question".into(),
                )));
            }
        };
        let changed = query
            .bind(now)
            .bind(id)
            .bind(expected.code())
            .bind(version)
            .execute(self.pool())
            .await?
            .rows_affected();
        Ok(changed == 1)
    }

    // ---- the FAQ ---------------------------------------------------------

    /// The FAQ in its order; hidden entries only with `include_hidden`.
    pub async fn faqs(&self, include_hidden: bool) -> DbResult<Vec<FaqRecord>> {
        let filter = if include_hidden {
            ""
        } else {
            "WHERE hidden_at IS NULL"
        };
        let sql = format!("SELECT {FAQ_COLUMNS} FROM faqs {filter} ORDER BY position, id");
        sqlx::query(&sql)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(faq_from_row)
            .collect()
    }

    pub async fn faq(&self, id: i64) -> DbResult<FaqRecord> {
        let sql = format!("SELECT {FAQ_COLUMNS} FROM faqs WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(self.pool()).await?;
        faq_from_row(&row)
    }

    /// Adds an entry at the end of the list; its id. `Conflict` when the
    /// source question already became an entry.
    pub async fn insert_faq(
        &self,
        question: &str,
        answer: &str,
        source_question_id: Option<i64>,
        by: UserId,
        now: i64,
    ) -> DbResult<i64> {
        let mut tx = self.begin_write().await?;
        let last: i64 =
            sqlx::query_scalar("SELECT CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM faqs")
                .fetch_one(&mut *tx)
                .await?;
        let id = sqlx::query_scalar(
            "INSERT INTO faqs (question, answer, source_question_id, position, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(question)
        .bind(answer)
        .bind(source_question_id)
        .bind(last + 1)
        .bind(by.0)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Rewrites an entry's texts; `NotFound` if there is no such entry.
    pub async fn update_faq(
        &self,
        id: i64,
        question: &str,
        answer: &str,
        now: i64,
    ) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE faqs SET question = $1, answer = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(question)
        .bind(answer)
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Hides an entry from learners, or shows it again.
    pub async fn set_faq_hidden(&self, id: i64, hidden: bool, now: i64) -> DbResult<()> {
        let query = if hidden {
            sqlx::query("UPDATE faqs SET hidden_at = $1, updated_at = $2 WHERE id = $3").bind(now)
        } else {
            sqlx::query("UPDATE faqs SET hidden_at = NULL, updated_at = $1 WHERE id = $2")
        };
        let changed = query
            .bind(now)
            .bind(id)
            .execute(self.pool())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    pub async fn delete_faq(&self, id: i64) -> DbResult<()> {
        let changed = sqlx::query("DELETE FROM faqs WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Moves an entry one place up (towards the top) or down, swapping it
    /// with its neighbour; `false` when it already is first or last.
    pub async fn move_faq(&self, id: i64, up: bool, now: i64) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM faqs ORDER BY position, id")
            .fetch_all(&mut *tx)
            .await?;
        let Some(at) = ids.iter().position(|other| *other == id) else {
            return Err(DbError::NotFound);
        };
        let to = if up {
            at.checked_sub(1)
        } else {
            Some(at + 1).filter(|to| *to < ids.len())
        };
        let Some(to) = to else {
            return Ok(false);
        };
        let mut order = ids;
        order.swap(at, to);
        // Positions are renumbered 1…n, which also mends any duplicates.
        for (position, entry) in order.iter().enumerate() {
            sqlx::query("UPDATE faqs SET position = $1 WHERE id = $2 AND position <> $3")
                .bind(i64::try_from(position + 1).unwrap_or(i64::MAX))
                .bind(entry)
                .bind(i64::try_from(position + 1).unwrap_or(i64::MAX))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE faqs SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
