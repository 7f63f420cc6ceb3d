//! The audit log: append-only (the database refuses updates and deletes), kept
//! without automatic deletion.

use super::{DbResult, Store};
use academy_shared::ids::UserId;
use sqlx::Row;

/// One thing that happened, by whom, to what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub actor_id: Option<UserId>,
    /// The actor's username at the time (or what was typed, for a failed sign-in).
    pub actor_name: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub address: String,
    pub detail: String,
}

#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor: Option<String>,
    pub object: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

impl Store {
    pub async fn audit(&self, entry: &AuditEntry) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, object_type, object_id, \
             address, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(entry.at)
        .bind(entry.actor_id.map(|id| id.0))
        .bind(&entry.actor_name)
        .bind(&entry.action)
        .bind(&entry.object_type)
        .bind(&entry.object_id)
        .bind(&entry.address)
        .bind(&entry.detail)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Newest first: one page and the number of matching entries.
    pub async fn search_audit(&self, filter: &AuditFilter) -> DbResult<(Vec<AuditEntry>, i64)> {
        let mut conditions = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut ints: Vec<i64> = Vec::new();
        // Text parameters first, then numbers: placeholders stay in order.
        if let Some(action) = filter.action.as_deref().filter(|a| !a.is_empty()) {
            texts.push(format!("{action}%"));
            conditions.push(format!("action LIKE ${}", texts.len()));
        }
        if let Some(actor) = filter.actor.as_deref().filter(|a| !a.is_empty()) {
            texts.push(actor.to_owned());
            conditions.push(format!("actor_name = ${}", texts.len()));
        }
        if let Some(object) = filter.object.as_deref().filter(|a| !a.is_empty()) {
            texts.push(object.to_owned());
            conditions.push(format!("object_id = ${}", texts.len()));
        }
        if let Some(from) = filter.from {
            ints.push(from);
            conditions.push(format!("at >= ${}", texts.len() + ints.len()));
        }
        if let Some(until) = filter.until {
            ints.push(until);
            conditions.push(format!("at < ${}", texts.len() + ints.len()));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let count_sql = format!("SELECT COUNT(*) FROM audit_log {where_clause}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for text in &texts {
            count = count.bind(text.clone());
        }
        for int in &ints {
            count = count.bind(*int);
        }
        let total = count.fetch_one(self.pool()).await?;
        let sql = format!(
            "SELECT at, actor_id, actor_name, action, object_type, object_id, address, detail \
             FROM audit_log {where_clause} ORDER BY at DESC, id DESC LIMIT {} OFFSET {}",
            filter.limit.clamp(1, 500),
            filter.offset.max(0)
        );
        let mut query = sqlx::query(&sql);
        for text in &texts {
            query = query.bind(text.clone());
        }
        for int in &ints {
            query = query.bind(*int);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let entries = rows
            .iter()
            .map(|row| {
                Ok(AuditEntry {
                    at: row.try_get("at")?,
                    actor_id: row.try_get::<Option<i64>, _>("actor_id")?.map(UserId),
                    actor_name: row.try_get("actor_name")?,
                    action: row.try_get("action")?,
                    object_type: row.try_get("object_type")?,
                    object_id: row.try_get("object_id")?,
                    address: row.try_get("address")?,
                    detail: row.try_get("detail")?,
                })
            })
            .collect::<DbResult<Vec<_>>>()?;
        Ok((entries, total))
    }
}
