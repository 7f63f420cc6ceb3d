//! Group commit for heartbeats.
//!
//! Every heartbeat must be durable before it is acknowledged, and a durable
//! commit (an fsync) costs milliseconds. One task takes whatever heartbeats
//! have arrived meanwhile and applies them in a single transaction, so a
//! thousand learners cost one commit, not a thousand.

use crate::error::AppError;
use crate::store::{Backend, DbError, DbResult, HeartbeatJob, HeartbeatResult, Store};
use academy_shared::study::StudyRules;
use tokio::sync::{mpsc, oneshot};

/// How many batches one transaction applies at most.
const MAX_GROUP: usize = 512;

type Reply = oneshot::Sender<DbResult<HeartbeatResult>>;

/// The handle request handlers submit heartbeat batches through; cheap to clone.
#[derive(Clone, Debug)]
pub struct HeartbeatWriter {
    queues: Vec<mpsc::Sender<(HeartbeatJob, Reply)>>,
}

impl HeartbeatWriter {
    /// Starts the writer tasks on the current Tokio runtime: one for SQLite
    /// (it has one writer anyway), a few for PostgreSQL, whose commits can
    /// overlap. A stream's batches always go to the same task, in order.
    pub fn start(store: Store, rules: StudyRules) -> HeartbeatWriter {
        let workers = match store.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => 4,
        };
        let queues = (0..workers)
            .map(|_| {
                let (queue, incoming) = mpsc::channel::<(HeartbeatJob, Reply)>(8 * MAX_GROUP);
                tokio::spawn(write_groups(store.clone(), rules, incoming));
                queue
            })
            .collect();
        HeartbeatWriter { queues }
    }

    /// Applies one stream's batch; returns once it is committed.
    pub async fn submit(&self, job: HeartbeatJob) -> Result<HeartbeatResult, AppError> {
        let (reply, answer) = oneshot::channel();
        let worker =
            usize::try_from(job.stream_id.rem_euclid(self.queues.len() as i64)).unwrap_or(0);
        let queue = self
            .queues
            .get(worker)
            .ok_or_else(|| AppError::internal("no heartbeat writer"))?;
        queue
            .send((job, reply))
            .await
            .map_err(|_| AppError::internal("the heartbeat writer has stopped"))?;
        let result = answer
            .await
            .map_err(|_| AppError::internal("the heartbeat writer dropped a batch"))?;
        Ok(result?)
    }
}

/// Applies whatever has arrived, as one transaction, until the server stops.
async fn write_groups(
    store: Store,
    rules: StudyRules,
    mut incoming: mpsc::Receiver<(HeartbeatJob, Reply)>,
) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while incoming.recv_many(&mut group, MAX_GROUP).await > 0 {
        let (jobs, replies): (Vec<_>, Vec<_>) = std::mem::take(&mut group).into_iter().unzip();
        match store.apply_heartbeats(&rules, &jobs).await {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            Err(error) => {
                tracing::error!("applying {} heartbeat batches failed: {error}", jobs.len());
                for reply in replies {
                    let _ = reply.send(Err(DbError::Other(sqlx::Error::WorkerCrashed)));
                }
            }
        }
    }
}
