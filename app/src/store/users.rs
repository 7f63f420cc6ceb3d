//! Accounts and their roles.

use super::{DbResult, NewRegion, Store, now_millis, regions};
use academy_shared::ids::{RegionId, UserId};
use academy_shared::role::Role;
use sqlx::Row;

/// An account to create. The password is already hashed: the store never sees one.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub real_name: String,
    pub phone: Option<String>,
    pub region_code: Option<String>,
    pub work_unit: Option<String>,
    pub password_hash: String,
    pub roles: Vec<Role>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    pub real_name: String,
    pub phone: Option<String>,
    pub region_id: Option<RegionId>,
    pub work_unit: Option<String>,
    pub password_hash: String,
    pub disabled: bool,
    pub roles: Vec<Role>,
}

impl Store {
    pub async fn count_users(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(self.pool())
            .await?)
    }

    pub async fn user_by_username(&self, username: &str) -> DbResult<UserRecord> {
        let row = sqlx::query(
            "SELECT id, username, real_name, phone, region_id, work_unit, password_hash, \
             disabled_at FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_one(self.pool())
        .await?;
        let id: i64 = row.try_get("id")?;
        let roles = self.roles_of(UserId(id)).await?;
        Ok(UserRecord {
            id: UserId(id),
            username: row.try_get("username")?,
            real_name: row.try_get("real_name")?,
            phone: row.try_get("phone")?,
            region_id: row.try_get::<Option<i64>, _>("region_id")?.map(RegionId),
            work_unit: row.try_get("work_unit")?,
            password_hash: row.try_get("password_hash")?,
            disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
            roles,
        })
    }

    pub async fn roles_of(&self, user: UserId) -> DbResult<Vec<Role>> {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                .bind(user.0)
                .fetch_all(self.pool())
                .await?;
        // A role name this build does not know (written by a newer version) is
        // skipped rather than failing the whole sign-in.
        Ok(names.iter().filter_map(|name| name.parse().ok()).collect())
    }

    /// Writes a region tree and accounts in one transaction, once: if `marker` is
    /// already recorded nothing is written and `false` is returned.
    pub async fn load_once(
        &self,
        marker: &str,
        new_regions: &[NewRegion],
        users: &[NewUser],
    ) -> DbResult<bool> {
        let mut tx = self.pool().begin().await?;
        let done: Option<String> = sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
            .bind(marker)
            .fetch_optional(&mut *tx)
            .await?;
        if done.is_some() {
            return Ok(false);
        }
        regions::insert_all(&mut tx, new_regions).await?;
        insert_users(&mut tx, users).await?;
        sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2)")
            .bind(marker)
            .bind(now_millis().to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}

async fn insert_users(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    users: &[NewUser],
) -> DbResult<()> {
    let now = now_millis();
    for user in users {
        let region_id = match &user.region_code {
            None => None,
            Some(code) => Some(regions::by_code(tx, code).await?.0.0),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, real_name, phone, region_id, work_unit, password_hash, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.real_name)
        .bind(&user.phone)
        .bind(region_id)
        .bind(&user.work_unit)
        .bind(&user.password_hash)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        for role in &user.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(id)
                .bind(role.as_str())
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
