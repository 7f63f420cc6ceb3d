//! Group commit for attempt starts and answer saves (see `crate::group_commit`).
//!
//! The opening minutes of an exam are the academy's busiest: a whole class
//! starts at once and then saves an answer every few seconds each.

use crate::error::AppError;
use crate::group_commit::GroupWriter;
use crate::store::{ExamWrite, ExamWritten, NewAttempt, NewItem, Store};
use academy_shared::exam::Response;
use academy_shared::ids::AttemptId;

/// The handle server functions submit exam writes through; cheap to clone.
#[derive(Clone, Debug)]
pub struct ExamWriter {
    writer: GroupWriter<ExamWrite, ExamWritten>,
}

impl ExamWriter {
    /// Starts the writer tasks on the current Tokio runtime.
    pub fn start(store: Store) -> ExamWriter {
        ExamWriter {
            writer: GroupWriter::start(store, "exam", |store, jobs| async move {
                store.apply_exam_writes(&jobs).await
            }),
        }
    }

    /// Starts an attempt; returns once it is committed or refused. Starts of
    /// one learner go through one task, so their seed records never race
    /// inside a group.
    pub async fn start_attempt(
        &self,
        attempt: NewAttempt,
        items: Vec<NewItem>,
    ) -> Result<ExamWritten, AppError> {
        let key = attempt.user.0;
        Ok(self
            .writer
            .submit(key, ExamWrite::Start { attempt, items })
            .await??)
    }

    /// Saves answers; `false` when the attempt is closed or past its deadline
    /// at `now`. One attempt's saves are applied in the order they arrive.
    pub async fn save(
        &self,
        attempt: AttemptId,
        answers: Vec<(i64, Option<Response>)>,
        now: i64,
    ) -> Result<bool, AppError> {
        let job = ExamWrite::Save {
            attempt,
            answers,
            now,
        };
        match self.writer.submit(attempt.0, job).await?? {
            ExamWritten::Saved(open) => Ok(open),
            other => Err(AppError::internal(format!(
                "the exam writer answered a save with {other:?}"
            ))),
        }
    }
}
