//! Reading the audit log (administrators only). Reading it is not itself
//! logged; exporting it would be.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub address: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// `from`/`until` are dates `YYYY-MM-DD` (China time, UTC+8), inclusive.
#[server(endpoint = "admin/audit")]
pub async fn audit_log(
    action: Option<String>,
    actor: Option<String>,
    object: Option<String>,
    from: Option<String>,
    until: Option<String>,
    page: Option<i64>,
) -> Result<AuditPage, AppError> {
    crate::error::respond(
        ssr::audit_log(action, actor, object, from, until, page.unwrap_or(0)).await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::store::AuditFilter;
    use academy_shared::checkin::{day_start_ms, parse_label};

    pub const PAGE_SIZE: i64 = 100;
    use crate::admin::users::MAX_PAGE;

    pub async fn audit_log(
        action: Option<String>,
        actor: Option<String>,
        object: Option<String>,
        from: Option<String>,
        until: Option<String>,
        page: i64,
    ) -> Result<AuditPage, AppError> {
        let (_, store) = crate::admin::users::ssr::require_admin().await?;
        let date = |value: Option<String>, next_day: bool| -> Result<Option<i64>, AppError> {
            match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => parse_label(v)
                    .map(|day| {
                        Some(day_start_ms(if next_day {
                            day.saturating_add(1)
                        } else {
                            day
                        }))
                    })
                    .ok_or_else(|| {
                        AppError::invalid("日期格式应为 2026-01-31", "Dates look like 2026-01-31")
                    }),
            }
        };
        let filter = AuditFilter {
            action: action.map(|a| a.trim().chars().take(64).collect()),
            actor: actor.map(|a| a.trim().to_ascii_lowercase().chars().take(64).collect()),
            object: object.map(|o| o.trim().chars().take(64).collect()),
            from: date(from, false)?,
            until: date(until, true)?,
            limit: PAGE_SIZE,
            offset: page.clamp(0, MAX_PAGE) * PAGE_SIZE,
        };
        let (entries, total) = store.search_audit(&filter).await?;
        Ok(AuditPage {
            rows: entries
                .into_iter()
                .map(|e| AuditRow {
                    at: e.at,
                    actor: e.actor_name,
                    action: e.action,
                    object: format!("{} {}", e.object_type, e.object_id),
                    address: e.address,
                    detail: e.detail,
                })
                .collect(),
            total,
            page: page.clamp(0, MAX_PAGE),
            page_size: PAGE_SIZE,
        })
    }
}
