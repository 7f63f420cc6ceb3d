//! Accounts, their roles and role scopes.

use super::{DbError, DbResult, NewRegion, Store, now_millis, regions};
use academy_shared::ids::{RegionId, UserId};
use academy_shared::role::Role;
use sqlx::Row;
use sqlx::any::AnyRow;

/// An account to create. The password is already hashed: the store never sees
/// one. An empty hash with an activation hash makes an account that waits for
/// its owner to choose a password.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    pub username: String,
    pub real_name: String,
    pub phone: Option<String>,
    pub region_code: Option<String>,
    pub work_unit: Option<String>,
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub profile: TraineeFields,
    pub activation: Option<Activation>,
}

/// The optional fields used by statistics, as stored (see `academy_shared::profile`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraineeFields {
    pub gender: Option<String>,
    pub birth_year: Option<i64>,
    pub education: Option<String>,
    pub employment: Option<String>,
}

/// A one-time activation code, as its hash, and until when it works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activation {
    pub code_hash: String,
    pub expires_at: i64,
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
    pub profile: TraineeFields,
    /// Waiting for its owner to set a password with an activation code.
    pub activation_pending: bool,
}

const USER_COLUMNS: &str = "id, username, real_name, phone, region_id, work_unit, password_hash, \
     disabled_at, gender, birth_year, education, employment, activation_hash";

fn user_from_row(row: &AnyRow, roles: Vec<Role>) -> DbResult<UserRecord> {
    Ok(UserRecord {
        id: UserId(row.try_get("id")?),
        username: row.try_get("username")?,
        real_name: row.try_get("real_name")?,
        phone: row.try_get("phone")?,
        region_id: row.try_get::<Option<i64>, _>("region_id")?.map(RegionId),
        work_unit: row.try_get("work_unit")?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
        roles,
        profile: TraineeFields {
            gender: row.try_get("gender")?,
            birth_year: row.try_get("birth_year")?,
            education: row.try_get("education")?,
            employment: row.try_get("employment")?,
        },
        activation_pending: row
            .try_get::<Option<String>, _>("activation_hash")?
            .is_some(),
    })
}

/// What an administrator may change on an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountUpdate {
    pub real_name: String,
    pub phone: Option<String>,
    pub region_id: Option<RegionId>,
    pub work_unit: Option<String>,
    pub profile: TraineeFields,
}

impl Store {
    pub async fn count_users(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(self.pool())
            .await?)
    }

    async fn user_where(&self, condition: &str, value: impl UserKey) -> DbResult<UserRecord> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {condition} = $1");
        let row = value
            .bind_to(sqlx::query(&sql))
            .fetch_one(self.pool())
            .await?;
        let id: i64 = row.try_get("id")?;
        let roles = self.roles_of(UserId(id)).await?;
        user_from_row(&row, roles)
    }

    pub async fn user_by_username(&self, username: &str) -> DbResult<UserRecord> {
        self.user_where("username", username.to_owned()).await
    }

    pub async fn user_by_phone(&self, phone: &str) -> DbResult<UserRecord> {
        self.user_where("phone", phone.to_owned()).await
    }

    pub async fn user_by_id(&self, id: UserId) -> DbResult<UserRecord> {
        self.user_where("id", id.0).await
    }

    pub async fn roles_of(&self, user: UserId) -> DbResult<Vec<Role>> {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                .bind(user.0)
                .fetch_all(self.pool())
                .await?;
        // A role name this build does not know (written by a newer version) is
        // skipped rather than failing the whole sign-in.
        Ok(names
            .iter()
            .filter_map(|name| Role::from_code(name))
            .collect())
    }

    /// The roles of several accounts in one query (a page of a list).
    async fn roles_of_many(
        &self,
        ids: &[i64],
    ) -> DbResult<std::collections::HashMap<i64, Vec<Role>>> {
        let mut by_user: std::collections::HashMap<i64, Vec<Role>> =
            std::collections::HashMap::new();
        if ids.is_empty() {
            return Ok(by_user);
        }
        let sql = format!(
            "SELECT user_id, role FROM user_roles WHERE user_id IN ({}) ORDER BY user_id, role",
            placeholders(1, ids.len())
        );
        let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        for (user, role) in query.fetch_all(self.pool()).await? {
            if let Some(role) = Role::from_code(&role) {
                by_user.entry(user).or_default().push(role);
            }
        }
        Ok(by_user)
    }

    /// The regions (subtree roots) where each scoped role of `user` applies.
    pub async fn scopes_of(&self, user: UserId) -> DbResult<Vec<(Role, RegionId)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT role, region_id FROM role_scopes WHERE user_id = $1 ORDER BY role, region_id",
        )
        .bind(user.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(role, region)| Some((Role::from_code(&role)?, RegionId(region))))
            .collect())
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

    /// Creates accounts, all or none: a taken name or number fails the batch
    /// with [`DbError::Conflict`].
    pub async fn create_users(&self, users: &[NewUser]) -> DbResult<Vec<UserId>> {
        let mut tx = self.pool().begin().await?;
        let ids = insert_users(&mut tx, users).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Which of `usernames` and `phones` are already taken.
    pub async fn taken(
        &self,
        usernames: &[String],
        phones: &[String],
    ) -> DbResult<(Vec<String>, Vec<String>)> {
        let mut taken_names = Vec::new();
        let mut taken_phones = Vec::new();
        // Chunked IN lists keep within both backends' parameter limits.
        for chunk in usernames.chunks(500) {
            let sql = format!(
                "SELECT username FROM users WHERE username IN ({})",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query_scalar::<_, String>(&sql);
            for name in chunk {
                query = query.bind(name);
            }
            taken_names.extend(query.fetch_all(self.pool()).await?);
        }
        for chunk in phones.chunks(500) {
            let sql = format!(
                "SELECT phone FROM users WHERE phone IN ({})",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query_scalar::<_, String>(&sql);
            for phone in chunk {
                query = query.bind(phone);
            }
            taken_phones.extend(query.fetch_all(self.pool()).await?);
        }
        Ok((taken_names, taken_phones))
    }

    pub async fn update_account(&self, id: UserId, update: &AccountUpdate) -> DbResult<()> {
        let changed = sqlx::query(
            "UPDATE users SET real_name = $1, phone = $2, region_id = $3, work_unit = $4, \
             gender = $5, birth_year = $6, education = $7, employment = $8, updated_at = $9 \
             WHERE id = $10",
        )
        .bind(&update.real_name)
        .bind(&update.phone)
        .bind(update.region_id.map(|r| r.0))
        .bind(&update.work_unit)
        .bind(&update.profile.gender)
        .bind(update.profile.birth_year)
        .bind(&update.profile.education)
        .bind(&update.profile.employment)
        .bind(now_millis())
        .bind(id.0)
        .execute(self.pool())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Replaces an account's roles and scopes in one transaction.
    pub async fn set_roles(
        &self,
        id: UserId,
        roles: &[Role],
        scopes: &[(Role, RegionId)],
    ) -> DbResult<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM role_scopes WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        write_roles(&mut tx, id.0, roles, scopes).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password, ends any pending activation and every session.
    pub async fn set_password(&self, id: UserId, password_hash: &str) -> DbResult<()> {
        let update = sqlx::query(
            "UPDATE users SET password_hash = $1, activation_hash = NULL, \
             activation_expires_at = NULL, updated_at = $2 WHERE id = $3",
        )
        .bind(password_hash)
        .bind(now_millis())
        .bind(id.0);
        self.change_account(id, update, true).await
    }

    /// Voids the password and issues an activation code instead (an
    /// administrator's reset); every session ends.
    pub async fn require_activation(&self, id: UserId, activation: &Activation) -> DbResult<()> {
        let update = sqlx::query(
            "UPDATE users SET password_hash = '', activation_hash = $1, \
             activation_expires_at = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&activation.code_hash)
        .bind(activation.expires_at)
        .bind(now_millis())
        .bind(id.0);
        self.change_account(id, update, true).await
    }

    /// Runs one UPDATE of account `id` and, if `end_sessions`, signs it out
    /// everywhere, in one transaction. `NotFound` if there is no such account.
    async fn change_account<'q>(
        &self,
        id: UserId,
        update: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
        end_sessions: bool,
    ) -> DbResult<()> {
        let mut tx = self.pool().begin().await?;
        if update.execute(&mut *tx).await?.rows_affected() == 0 {
            return Err(DbError::NotFound);
        }
        if end_sessions {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Uses an activation code: sets the password if `code_hash` matches an
    /// unexpired code of `username`. Returns the account, or `None`.
    /// Whether `code_hash` is the account's unexpired activation code.
    pub async fn activation_code_matches(
        &self,
        username: &str,
        code_hash: &str,
        now: i64,
    ) -> DbResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM users WHERE username = $1 AND activation_hash = $2 \
             AND activation_expires_at > $3 AND disabled_at IS NULL",
        )
        .bind(username)
        .bind(code_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    pub async fn activate(
        &self,
        username: &str,
        code_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> DbResult<Option<UserId>> {
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET password_hash = $1, activation_hash = NULL, \
             activation_expires_at = NULL, updated_at = $2 \
             WHERE username = $3 AND activation_hash = $4 AND activation_expires_at > $5 \
             AND disabled_at IS NULL RETURNING id",
        )
        .bind(password_hash)
        .bind(now)
        .bind(username)
        .bind(code_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(id.map(UserId))
    }

    /// Disables (ending every session) or re-enables an account.
    pub async fn set_disabled(&self, id: UserId, disabled: bool) -> DbResult<()> {
        let update =
            sqlx::query("UPDATE users SET disabled_at = $1, updated_at = $2 WHERE id = $3")
                .bind(disabled.then(now_millis))
                .bind(now_millis())
                .bind(id.0);
        self.change_account(id, update, disabled).await
    }

    /// One page of accounts matching `filter`, and how many match in all.
    pub async fn search_users(&self, filter: &UserFilter) -> DbResult<(Vec<UserListRow>, i64)> {
        let mut conditions: Vec<String> = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let pattern = format!("%{}%", text.replace(['%', '_'], ""));
            let n = binds.len();
            conditions.push(format!(
                "(u.username LIKE ${} OR u.real_name LIKE ${} OR u.phone LIKE ${})",
                n + 1,
                n + 2,
                n + 3
            ));
            binds.extend([
                Bind::Text(pattern.clone()),
                Bind::Text(pattern.clone()),
                Bind::Text(pattern),
            ]);
        }
        if let Some(regions) = &filter.regions {
            if regions.is_empty() {
                return Ok((Vec::new(), 0));
            }
            let n = binds.len();
            conditions.push(format!(
                "u.region_id IN ({})",
                placeholders(n + 1, regions.len())
            ));
            binds.extend(regions.iter().map(|r| Bind::Int(r.0)));
        }
        if let Some(role) = filter.role {
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ${})",
                binds.len() + 1
            ));
            binds.push(Bind::Text(role.code().to_owned()));
        }
        match filter.bound {
            Some(true) => conditions.push(LIVE_BINDING.to_owned()),
            Some(false) => conditions.push(format!("NOT {LIVE_BINDING}")),
            None => {}
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let count_sql = format!("SELECT COUNT(*) FROM users u {where_clause}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for bind in &binds {
            count = match bind {
                Bind::Text(t) => count.bind(t.clone()),
                Bind::Int(i) => count.bind(*i),
            };
        }
        let total = count.fetch_one(self.pool()).await?;
        let list_sql = format!(
            "SELECT u.id, u.username, u.real_name, u.phone, u.region_id, u.work_unit, \
             u.disabled_at, u.activation_hash, \
             (SELECT b.label FROM device_bindings b WHERE b.user_id = u.id AND b.revoked_at IS NULL) AS device \
             FROM users u {where_clause} ORDER BY u.id LIMIT {} OFFSET {}",
            filter.limit.clamp(1, 200),
            filter.offset.max(0)
        );
        let mut list = sqlx::query(&list_sql);
        for bind in &binds {
            list = match bind {
                Bind::Text(t) => list.bind(t.clone()),
                Bind::Int(i) => list.bind(*i),
            };
        }
        let rows = list.fetch_all(self.pool()).await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|row| row.try_get("id"))
            .collect::<Result<_, _>>()?;
        let mut roles = self.roles_of_many(&ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id = UserId(row.try_get("id")?);
            out.push(UserListRow {
                id,
                username: row.try_get("username")?,
                real_name: row.try_get("real_name")?,
                phone: row.try_get("phone")?,
                region_id: row.try_get::<Option<i64>, _>("region_id")?.map(RegionId),
                work_unit: row.try_get("work_unit")?,
                disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
                activation_pending: row
                    .try_get::<Option<String>, _>("activation_hash")?
                    .is_some(),
                device: row.try_get("device")?,
                roles: roles.remove(&id.0).unwrap_or_default(),
            });
        }
        Ok((out, total))
    }
}

const LIVE_BINDING: &str =
    "EXISTS (SELECT 1 FROM device_bindings b WHERE b.user_id = u.id AND b.revoked_at IS NULL)";

enum Bind {
    Text(String),
    Int(i64),
}

/// Which accounts an administrator's list shows.
#[derive(Clone, Debug, Default)]
pub struct UserFilter {
    /// Matched against username, real name and phone number.
    pub text: Option<String>,
    /// Only accounts in these regions (a subtree, expanded by the caller).
    pub regions: Option<Vec<RegionId>>,
    pub role: Option<Role>,
    /// Only accounts with (true) or without (false) a bound device.
    pub bound: Option<bool>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserListRow {
    pub id: UserId,
    pub username: String,
    pub real_name: String,
    pub phone: Option<String>,
    pub region_id: Option<RegionId>,
    pub work_unit: Option<String>,
    pub disabled: bool,
    pub activation_pending: bool,
    /// The bound device's description, if one is bound.
    pub device: Option<String>,
    pub roles: Vec<Role>,
}

/// `$from, $from+1, …` for `count` parameters.
pub(super) fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

trait UserKey {
    fn bind_to<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;
}

impl UserKey for String {
    fn bind_to<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        query.bind(self)
    }
}

impl UserKey for i64 {
    fn bind_to<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        query.bind(self)
    }
}

async fn insert_users(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    users: &[NewUser],
) -> DbResult<Vec<UserId>> {
    let now = now_millis();
    let mut ids = Vec::with_capacity(users.len());
    for user in users {
        let region_id = match &user.region_code {
            None => None,
            Some(code) => Some(regions::by_code(tx, code).await?.0.0),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, real_name, phone, region_id, work_unit, password_hash, \
             created_at, gender, birth_year, education, employment, activation_hash, \
             activation_expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.real_name)
        .bind(&user.phone)
        .bind(region_id)
        .bind(&user.work_unit)
        .bind(&user.password_hash)
        .bind(now)
        .bind(&user.profile.gender)
        .bind(user.profile.birth_year)
        .bind(&user.profile.education)
        .bind(&user.profile.employment)
        .bind(user.activation.as_ref().map(|a| a.code_hash.clone()))
        .bind(user.activation.as_ref().map(|a| a.expires_at))
        .fetch_one(&mut **tx)
        .await?;
        // A scoped role starts scoped to the account's own region.
        let scopes: Vec<(Role, RegionId)> = match region_id {
            Some(region) => user
                .roles
                .iter()
                .filter(|role| role.is_scoped())
                .map(|role| (*role, RegionId(region)))
                .collect(),
            None => Vec::new(),
        };
        write_roles(tx, id, &user.roles, &scopes).await?;
        ids.push(UserId(id));
    }
    Ok(ids)
}

async fn write_roles(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    roles: &[Role],
    scopes: &[(Role, RegionId)],
) -> DbResult<()> {
    for role in roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(user)
            .bind(role.code())
            .execute(&mut **tx)
            .await?;
    }
    for (role, region) in scopes {
        sqlx::query("INSERT INTO role_scopes (user_id, role, region_id) VALUES ($1, $2, $3)")
            .bind(user)
            .bind(role.code())
            .bind(region.0)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
