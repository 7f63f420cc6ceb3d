//! The region tree.

use super::{DbError, DbResult, Store, now_millis};
use academy_shared::ids::RegionId;
use academy_shared::region::RegionLevel;
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub id: RegionId,
    pub parent_id: Option<RegionId>,
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
}

/// A region to create; its parent is named by code so that a whole tree can be
/// written in one go (demo data, imports).
#[derive(Clone, Debug)]
pub struct NewRegion {
    pub code: String,
    pub parent_code: Option<String>,
    pub name: String,
    pub level: RegionLevel,
}

impl Store {
    pub async fn list_regions(&self) -> DbResult<Vec<Region>> {
        let rows = sqlx::query(
            "SELECT id, parent_id, code, name, level FROM regions ORDER BY level, code",
        )
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|row| {
                let level: String = row.try_get("level")?;
                Ok(Region {
                    id: RegionId(row.try_get("id")?),
                    parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(RegionId),
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                    level: level
                        .parse()
                        .map_err(|e: String| DbError::Other(sqlx::Error::Decode(e.into())))?,
                })
            })
            .collect()
    }
}

/// The id and level of the region with `code`; an unknown code is a conflict
/// (the write that names it cannot go ahead).
pub(super) async fn by_code(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: &str,
) -> DbResult<(RegionId, RegionLevel)> {
    let (id, level): (i64, String) =
        sqlx::query_as("SELECT id, level FROM regions WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| DbError::Conflict(format!("no region `{code}`")))?;
    Ok((RegionId(id), level.parse().map_err(DbError::Conflict)?))
}

/// Inserts `regions` (parents before children) inside an open transaction.
pub(super) async fn insert_all(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    regions: &[NewRegion],
) -> DbResult<()> {
    let now = now_millis();
    for region in regions {
        let parent = match &region.parent_code {
            None => None,
            Some(code) => Some(by_code(tx, code).await?),
        };
        let parent_level = parent.map(|(_, level)| level);
        if !RegionLevel::may_hang_below(region.level, parent_level) {
            return Err(DbError::Conflict(format!(
                "region `{}` cannot be a {} there",
                region.code,
                region.level.as_str()
            )));
        }
        sqlx::query(
            "INSERT INTO regions (parent_id, code, name, level, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(parent.map(|(id, _)| id.0))
        .bind(&region.code)
        .bind(&region.name)
        .bind(region.level.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
