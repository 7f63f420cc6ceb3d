//! Group commit for heartbeats (see `crate::group_commit`).

use crate::error::AppError;
use crate::group_commit::GroupWriter;
use crate::store::{HeartbeatJob, HeartbeatResult, Store};
use academy_shared::study::StudyRules;

/// The handle request handlers submit heartbeat batches through; cheap to clone.
#[derive(Clone, Debug)]
pub struct HeartbeatWriter {
    writer: GroupWriter<HeartbeatJob, HeartbeatResult>,
}

impl HeartbeatWriter {
    /// Starts the writer tasks on the current Tokio runtime.
    pub fn start(store: Store, rules: StudyRules) -> HeartbeatWriter {
        HeartbeatWriter {
            writer: GroupWriter::start(store, "heartbeat", move |store, jobs| async move {
                store.apply_heartbeats(&rules, &jobs).await
            }),
        }
    }

    /// Applies one stream's batch; returns once it is committed. A learner's
    /// batches (of all their streams) always go to the same task, in order,
    /// so their credit clock is never raced within one server.
    pub async fn submit(&self, job: HeartbeatJob) -> Result<HeartbeatResult, AppError> {
        Ok(self.writer.submit(job.user.0, job).await??)
    }
}
