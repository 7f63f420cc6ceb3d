//! Group commit for heartbeats.
//!
//! Every heartbeat must be durable before it is acknowledged, and a durable
//! commit (an fsync) costs milliseconds. One task takes whatever heartbeats
//! have arrived meanwhile and applies them in a single transaction, so a
//! thousand learners cost one commit, not a thousand.

use crate::error::AppError;
use crate::store::{DbError, DbResult, HeartbeatJob, HeartbeatResult, Store};
use academy_shared::study::StudyRules;
use tokio::sync::{mpsc, oneshot};

/// How many batches one transaction applies at most.
const MAX_GROUP: usize = 512;

type Reply = oneshot::Sender<DbResult<HeartbeatResult>>;

/// The handle request handlers submit heartbeat batches through; cheap to clone.
#[derive(Clone, Debug)]
pub struct HeartbeatWriter {
    queue: mpsc::Sender<(HeartbeatJob, Reply)>,
}

impl HeartbeatWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(store: Store, rules: StudyRules) -> HeartbeatWriter {
        let (queue, mut incoming) = mpsc::channel::<(HeartbeatJob, Reply)>(8 * MAX_GROUP);
        tokio::spawn(async move {
            let mut group = Vec::with_capacity(MAX_GROUP);
            while incoming.recv_many(&mut group, MAX_GROUP).await > 0 {
                let (jobs, replies): (Vec<_>, Vec<_>) =
                    std::mem::take(&mut group).into_iter().unzip();
                match store.apply_heartbeats(&rules, &jobs).await {
                    Ok(results) => {
                        for (reply, result) in replies.into_iter().zip(results) {
                            let _ = reply.send(result);
                        }
                    }
                    Err(error) => {
                        tracing::error!(
                            "applying {} heartbeat batches failed: {error}",
                            jobs.len()
                        );
                        for reply in replies {
                            let _ = reply.send(Err(DbError::Other(sqlx::Error::WorkerCrashed)));
                        }
                    }
                }
            }
        });
        HeartbeatWriter { queue }
    }

    /// Applies one stream's batch; returns once it is committed.
    pub async fn submit(&self, job: HeartbeatJob) -> Result<HeartbeatResult, AppError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((job, reply))
            .await
            .map_err(|_| AppError::internal("the heartbeat writer has stopped"))?;
        let result = answer
            .await
            .map_err(|_| AppError::internal("the heartbeat writer dropped a batch"))?;
        Ok(result?)
    }
}
