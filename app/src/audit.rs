//! Writing the audit log from server functions: who (the signed-in account, or
//! the name typed at a failed sign-in), from which address, did what to what.

use crate::error::AppError;
use crate::store::{AuditEntry, Store, UserRecord, now_millis};
pub use academy_shared::audit::AuditAction;

/// Who acted.
pub enum Actor<'a> {
    User(&'a UserRecord),
    /// Nobody signed in: a name typed at sign-in, a phone number at registration.
    Anonymous(&'a str),
}

/// Appends one entry. A failure to write it fails the request: an action that
/// cannot be recorded should not pass silently.
pub async fn record(
    store: &Store,
    actor: Actor<'_>,
    action: AuditAction,
    object: (&str, &str),
    detail: impl Into<String>,
) -> Result<(), AppError> {
    let (actor_id, actor_name) = match actor {
        Actor::User(user) => (Some(user.id), user.username.clone()),
        Actor::Anonymous(name) => (None, name.chars().take(64).collect()),
    };
    store
        .audit(&AuditEntry {
            at: now_millis(),
            actor_id,
            actor_name,
            action: action.code().to_owned(),
            object_type: object.0.to_owned(),
            object_id: object.1.to_owned(),
            address: crate::request::client_address(),
            detail: detail.into(),
        })
        .await?;
    Ok(())
}
