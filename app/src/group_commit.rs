//! Group commit: many requests' writes, one durable commit.
//!
//! Every acknowledged write must survive a power cut, and a durable commit
//! (an fsync) costs milliseconds. SQLite commits one transaction at a time,
//! so a thousand learners each committing their own heartbeat or answer
//! queue behind each other for seconds. A writer task instead takes whatever
//! jobs have arrived meanwhile and applies them in one transaction, so a
//! thousand learners cost one commit, not a thousand. Each job gets its own
//! answer; how one job's failure is kept from the others is up to the apply
//! function (savepoints, or failing the whole group).

use crate::error::AppError;
use crate::store::{Backend, DbError, DbResult, Store};
use std::future::Future;
use tokio::sync::{mpsc, oneshot};

/// How many jobs one transaction applies at most.
const MAX_GROUP: usize = 512;

type Reply<R> = oneshot::Sender<DbResult<R>>;

/// The handle request handlers submit jobs through; cheap to clone.
pub struct GroupWriter<J, R> {
    queues: Vec<mpsc::Sender<(J, Reply<R>)>>,
    what: &'static str,
}

impl<J, R> Clone for GroupWriter<J, R> {
    fn clone(&self) -> Self {
        GroupWriter {
            queues: self.queues.clone(),
            what: self.what,
        }
    }
}

impl<J, R> std::fmt::Debug for GroupWriter<J, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupWriter")
            .field("what", &self.what)
            .field("workers", &self.queues.len())
            .finish()
    }
}

impl<J: Send + 'static, R: Send + 'static> GroupWriter<J, R> {
    /// Starts the writer tasks on the current Tokio runtime: one for SQLite
    /// (it has one writer anyway), a few for PostgreSQL, whose commits can
    /// overlap. `apply` writes one group in one transaction and answers each
    /// job in order; an `Err` from it fails every job of the group.
    pub fn start<F, Fut>(store: Store, what: &'static str, apply: F) -> Self
    where
        F: Fn(Store, Vec<J>) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = DbResult<Vec<DbResult<R>>>> + Send + 'static,
    {
        let workers = match store.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => 4,
        };
        let queues = (0..workers)
            .map(|_| {
                let (queue, incoming) = mpsc::channel::<(J, Reply<R>)>(8 * MAX_GROUP);
                tokio::spawn(write_groups(store.clone(), what, apply.clone(), incoming));
                queue
            })
            .collect();
        GroupWriter { queues, what }
    }

    /// Applies one job; returns once it is committed (or refused). Jobs with
    /// the same `key` go to the same task, in the order they are submitted,
    /// so two groups in flight never touch the same rows.
    pub async fn submit(&self, key: i64, job: J) -> Result<DbResult<R>, AppError> {
        let (reply, answer) = oneshot::channel();
        let worker = usize::try_from(key.rem_euclid(self.queues.len().max(1) as i64)).unwrap_or(0);
        let queue = self
            .queues
            .get(worker)
            .ok_or_else(|| AppError::internal(format!("no {} writer", self.what)))?;
        queue
            .send((job, reply))
            .await
            .map_err(|_| AppError::internal(format!("the {} writer has stopped", self.what)))?;
        answer
            .await
            .map_err(|_| AppError::internal(format!("the {} writer dropped a job", self.what)))
    }
}

/// Applies whatever has arrived, as one transaction, until the server stops.
async fn write_groups<J, R, F, Fut>(
    store: Store,
    what: &'static str,
    apply: F,
    mut incoming: mpsc::Receiver<(J, Reply<R>)>,
) where
    F: Fn(Store, Vec<J>) -> Fut,
    Fut: Future<Output = DbResult<Vec<DbResult<R>>>>,
{
    let mut group = Vec::with_capacity(MAX_GROUP);
    while incoming.recv_many(&mut group, MAX_GROUP).await > 0 {
        let (jobs, replies): (Vec<_>, Vec<_>) = std::mem::take(&mut group).into_iter().unzip();
        let count = jobs.len();
        match apply(store.clone(), jobs).await {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            Err(error) => {
                tracing::error!("writing a group of {count} {what} jobs failed: {error}");
                for reply in replies {
                    let _ = reply.send(Err(DbError::Other(sqlx::Error::WorkerCrashed)));
                }
            }
        }
    }
}
