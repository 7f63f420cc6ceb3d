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

/// Milliseconds at the start of a `YYYY-MM-DD` day in China (UTC+8).
pub fn day_start_ms(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400_000 - 8 * 3_600_000)
}

/// `YYYY-MM-DD HH:MM` in China time, for showing timestamps.
pub fn format_china_time(ms: i64) -> String {
    let local = ms + 8 * 3_600_000;
    let days = local.div_euclid(86_400_000);
    let in_day = local.rem_euclid(86_400_000) / 60_000;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        in_day / 60,
        in_day % 60
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::store::AuditFilter;

    pub const PAGE_SIZE: i64 = 100;

    pub async fn audit_log(
        action: Option<String>,
        actor: Option<String>,
        object: Option<String>,
        from: Option<String>,
        until: Option<String>,
        page: i64,
    ) -> Result<AuditPage, AppError> {
        crate::admin::users::ssr::require_admin().await?;
        let store = crate::auth::session::store()?;
        let date = |value: Option<String>, next_day: bool| -> Result<Option<i64>, AppError> {
            match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => day_start_ms(v)
                    .map(|ms| Some(if next_day { ms + 86_400_000 } else { ms }))
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
            offset: page.max(0) * PAGE_SIZE,
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
            page: page.max(0),
            page_size: PAGE_SIZE,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_dates_round_trip() {
        let start = day_start_ms("2026-11-30").unwrap();
        assert_eq!(format_china_time(start), "2026-11-30 00:00");
        assert_eq!(
            format_china_time(start + 86_400_000 - 60_000),
            "2026-11-30 23:59"
        );
        assert_eq!(format_china_time(0), "1970-01-01 08:00");
        assert_eq!(
            day_start_ms("2024-02-29").map(format_china_time).as_deref(),
            Some("2024-02-29 00:00")
        );
        assert_eq!(day_start_ms("2026-13-01"), None);
        assert_eq!(day_start_ms("yesterday"), None);
    }
}
