//! The region tree editor: add a city under a province, a county under a
//! city; rename. Regions are never deleted (accounts and figures point at them).

use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "admin/regions/add")]
pub async fn add_region(
    parent_id: Option<String>,
    code: String,
    name: String,
) -> Result<i64, AppError> {
    crate::error::respond(
        async {
            let parent = match parent_id
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                Some(text) => Some(crate::admin::users::region_choice(text)?),
                None => None,
            };
            ssr::add_region(parent, code, name).await
        }
        .await,
    )
}

#[server(endpoint = "admin/regions/rename")]
pub async fn rename_region(id: i64, name: String) -> Result<(), AppError> {
    crate::error::respond(ssr::rename_region(id, name).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::store::{DbError, NewRegion};
    use academy_shared::ids::RegionId;
    use academy_shared::region::RegionLevel;

    fn region_name(name: &str) -> Result<String, AppError> {
        let name = name.trim();
        let count = name.chars().count();
        if count == 0 || count > 40 || name.chars().any(char::is_control) {
            return Err(AppError::invalid(
                "地区名称为 1–40 个字",
                "A region name has 1–40 characters",
            ));
        }
        Ok(name.to_owned())
    }

    pub async fn add_region(
        parent_id: Option<i64>,
        code: String,
        name: String,
    ) -> Result<i64, AppError> {
        let (me, store) = crate::admin::users::ssr::require_admin().await?;
        let name = region_name(&name)?;
        let code = code.trim().to_owned();
        if code.is_empty() || code.len() > 20 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(AppError::invalid(
                "地区编码为 1–20 位字母或数字",
                "A region code has 1–20 letters or digits",
            ));
        }
        let regions = store.list_regions().await?;
        let parent = match parent_id {
            None => None,
            Some(id) => Some(
                regions
                    .iter()
                    .find(|r| r.id.0 == id)
                    .ok_or_else(|| AppError::invalid("上级地区不存在", "No such parent region"))?,
            ),
        };
        let level = match parent.map(|p| p.level) {
            None => RegionLevel::Province,
            Some(RegionLevel::Province) => RegionLevel::City,
            Some(RegionLevel::City) => RegionLevel::County,
            Some(RegionLevel::County) => {
                return Err(AppError::invalid(
                    "区县下不能再添加地区",
                    "Nothing hangs below a county",
                ));
            }
        };
        let new = NewRegion {
            code: code.clone(),
            parent_code: parent.map(|p| p.code.clone()),
            name: name.clone(),
            level,
        };
        let id = match store.add_region(&new).await {
            Ok(id) => id,
            Err(DbError::Conflict(_)) => {
                return Err(AppError::invalid(
                    "地区编码已存在",
                    "This region code exists already",
                ));
            }
            Err(other) => return Err(other.into()),
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::RegionAdded,
            ("region", &id.to_string()),
            format!("{code} {name}"),
        )
        .await?;
        Ok(id.0)
    }

    pub async fn rename_region(id: i64, name: String) -> Result<(), AppError> {
        let (me, store) = crate::admin::users::ssr::require_admin().await?;
        let name = region_name(&name)?;
        store.rename_region(RegionId(id), &name).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::RegionRenamed,
            ("region", &id.to_string()),
            name,
        )
        .await
    }
}
