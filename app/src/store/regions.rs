//! The region tree.

use super::{Conflict, DbError, DbResult, Store, now_millis};
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

impl Region {
    /// The region as the pure rules (`shared::groups`) see the tree.
    pub fn node(&self) -> academy_shared::groups::RegionNode {
        academy_shared::groups::RegionNode {
            id: self.id.0,
            parent: self.parent_id.map(|p| p.0),
            name: self.name.clone(),
            level: self.level,
        }
    }
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
                    level: super::decode(&level)?,
                })
            })
            .collect()
    }
}

impl Store {
    /// `root` and every region below it.
    pub async fn region_subtree(&self, root: RegionId) -> DbResult<Vec<RegionId>> {
        let all = self.list_regions().await?;
        Ok(subtree(&all, root))
    }

    /// Adds a region under `parent` (or a province at the top).
    pub async fn add_region(&self, region: &NewRegion) -> DbResult<RegionId> {
        let mut tx = self.pool().begin().await?;
        insert_all(&mut tx, std::slice::from_ref(region)).await?;
        let (id, _) = by_code(&mut tx, &region.code).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn rename_region(&self, id: RegionId, name: &str) -> DbResult<()> {
        let changed = sqlx::query("UPDATE regions SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id.0)
            .execute(self.pool())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}

/// `root` and its descendants within `all`.
pub fn subtree(all: &[Region], root: RegionId) -> Vec<RegionId> {
    let mut found = vec![root];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next];
        found.extend(
            all.iter()
                .filter(|r| r.parent_id == Some(parent))
                .map(|r| r.id),
        );
        next += 1;
    }
    if all.iter().any(|r| r.id == root) {
        found
    } else {
        Vec::new()
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
            .ok_or_else(|| DbError::Conflict(Conflict::Unfit(format!("no region `{code}`"))))?;
    Ok((
        RegionId(id),
        RegionLevel::from_code(&level).ok_or_else(|| {
            DbError::Conflict(Conflict::Unfit(format!("unknown region level `{level}`")))
        })?,
    ))
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
            return Err(DbError::Conflict(Conflict::Unfit(format!(
                "region `{}` cannot be a {} there",
                region.code,
                region.level.code()
            ))));
        }
        sqlx::query(
            "INSERT INTO regions (parent_id, code, name, level, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(parent.map(|(id, _)| id.0))
        .bind(&region.code)
        .bind(&region.name)
        .bind(region.level.code())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
