//! Administrators manage accounts: search, create (with a one-time activation
//! code), edit, roles and scopes, disable, reset the password, unbind the
//! device, clear a sign-in lock. Administrators see whole phone numbers.

use crate::error::AppError;
use academy_shared::role::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 50;
/// Page numbers beyond this are read as this one (and cannot overflow an offset).
pub const MAX_PAGE: i64 = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserRow {
    pub id: i64,
    pub username: String,
    pub real_name: String,
    pub phone: Option<String>,
    pub region: Option<String>,
    pub work_unit: Option<String>,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub activation_pending: bool,
    pub device: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub rows: Vec<AdminUserRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserDetail {
    pub row: AdminUserRow,
    pub region_id: Option<i64>,
    pub gender: Option<String>,
    pub birth_year: Option<i64>,
    pub education: Option<String>,
    pub employment: Option<String>,
    /// Where scoped roles apply: (role, region id, region name).
    pub scopes: Vec<(Role, i64, String)>,
    /// Minutes left on a sign-in lock, if locked now.
    pub locked_minutes: Option<i64>,
    pub recent_failures: usize,
}

/// A one-time code to hand to the account's owner, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationCode {
    pub user_id: i64,
    pub username: String,
    pub code: String,
    pub expires_at: i64,
}

#[server(endpoint = "admin/users/list")]
pub async fn list_users(
    text: Option<String>,
    region_id: Option<i64>,
    role: Option<String>,
    bound: Option<String>,
    page: Option<i64>,
) -> Result<UserPage, AppError> {
    crate::error::respond(ssr::list_users(text, region_id, role, bound, page.unwrap_or(0)).await)
}

#[server(endpoint = "admin/users/get")]
pub async fn user_detail(id: i64) -> Result<AdminUserDetail, AppError> {
    crate::error::respond(ssr::user_detail(id).await)
}

#[server(endpoint = "admin/users/create")]
pub async fn create_user(
    username: String,
    real_name: String,
    phone: String,
    region_id: String,
    work_unit: Option<String>,
    roles: Option<Vec<String>>,
) -> Result<ActivationCode, AppError> {
    crate::error::respond(
        async {
            let region_id = region_choice(&region_id)?;
            let roles = roles.unwrap_or_default();
            ssr::create_user(username, real_name, phone, region_id, work_unit, roles).await
        }
        .await,
    )
}

#[server(endpoint = "admin/users/update")]
pub async fn update_user(
    id: i64,
    real_name: String,
    phone: String,
    region_id: String,
    work_unit: Option<String>,
    gender: Option<String>,
    birth_year: Option<String>,
    education: Option<String>,
    employment: Option<String>,
) -> Result<(), AppError> {
    crate::error::respond(
        async {
            let region_id = region_choice(&region_id)?;
            let profile = [gender, birth_year, education, employment];
            ssr::update_user(id, real_name, phone, region_id, work_unit, profile).await
        }
        .await,
    )
}

/// Replaces the roles; scoped roles (liaison, supervisor) apply in `scope_region_id`.
#[server(endpoint = "admin/users/roles")]
pub async fn set_roles(
    id: i64,
    roles: Option<Vec<String>>,
    scope_region_id: Option<String>,
) -> Result<(), AppError> {
    crate::error::respond(
        async {
            let scope = match scope_region_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(text) => Some(region_choice(text)?),
                None => None,
            };
            ssr::set_roles(id, roles.unwrap_or_default(), scope).await
        }
        .await,
    )
}

/// A region picked in a form's select ("" when nothing was chosen).
pub fn region_choice(value: &str) -> Result<i64, AppError> {
    value
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("请选择地区", "Please choose a region"))
}

#[server(endpoint = "admin/users/disable")]
pub async fn set_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    crate::error::respond(ssr::set_disabled(id, disabled).await)
}

#[server(endpoint = "admin/users/reset")]
pub async fn reset_password(id: i64) -> Result<ActivationCode, AppError> {
    crate::error::respond(ssr::reset_password(id).await)
}

#[server(endpoint = "admin/users/unbind")]
pub async fn unbind_device(id: i64) -> Result<(), AppError> {
    crate::error::respond(ssr::unbind_device(id).await)
}

#[server(endpoint = "admin/users/unlock")]
pub async fn clear_lock(id: i64) -> Result<(), AppError> {
    crate::error::respond(ssr::clear_lock(id).await)
}

/// Roles a form may offer, in order.
pub fn parse_roles(names: &[String]) -> Result<Vec<Role>, AppError> {
    let mut roles = Vec::new();
    for name in names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let role =
            Role::from_code(name).ok_or_else(|| AppError::invalid("未知的角色", "Unknown role"))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.is_empty() {
        return Err(AppError::invalid(
            "请至少选择一个角色",
            "Please choose at least one role",
        ));
    }
    roles.sort();
    Ok(roles)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session::{self, Signed};
    use crate::store::{
        AccountUpdate, Activation, DbError, NewUser, Region, Store, TraineeFields, UserFilter,
        UserListRow, now_millis,
    };
    use academy_shared::ids::{RegionId, UserId};
    use academy_shared::phone::PhoneNumber;
    use academy_shared::profile::{Education, Employment, Gender, birth_year as parse_birth_year};
    use academy_shared::throttle::{Throttle, minutes_left};
    use academy_shared::validate;

    /// How an administrator's server function begins: the account and the store.
    pub async fn require_admin() -> Result<(Signed, Store), AppError> {
        session::with_role(&academy_shared::role::policy::ADMINS).await
    }

    pub fn region_names(regions: &[Region]) -> std::collections::HashMap<i64, String> {
        regions.iter().map(|r| (r.id.0, r.name.clone())).collect()
    }

    fn row_view(row: UserListRow, names: &std::collections::HashMap<i64, String>) -> AdminUserRow {
        AdminUserRow {
            id: row.id.0,
            username: row.username,
            real_name: row.real_name,
            phone: row.phone,
            region: row.region_id.and_then(|r| names.get(&r.0).cloned()),
            work_unit: row.work_unit,
            roles: row.roles,
            disabled: row.disabled,
            activation_pending: row.activation_pending,
            device: row.device,
        }
    }

    pub async fn list_users(
        text: Option<String>,
        region_id: Option<i64>,
        role: Option<String>,
        bound: Option<String>,
        page: i64,
    ) -> Result<UserPage, AppError> {
        let (_, store) = require_admin().await?;
        let regions = store.list_regions().await?;
        let filter = UserFilter {
            text: text.map(|t| t.chars().take(50).collect()),
            regions: region_id.map(|r| crate::store::subtree(&regions, RegionId(r))),
            role: match role.as_deref().filter(|r| !r.is_empty()) {
                Some(name) => Some(
                    Role::from_code(name)
                        .ok_or_else(|| AppError::invalid("未知的角色", "Unknown role"))?,
                ),
                None => None,
            },
            bound: match bound.as_deref() {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
            limit: PAGE_SIZE,
            offset: page.clamp(0, MAX_PAGE) * PAGE_SIZE,
        };
        let (rows, total) = store.search_users(&filter).await?;
        let names = region_names(&regions);
        Ok(UserPage {
            rows: rows.into_iter().map(|r| row_view(r, &names)).collect(),
            total,
            page: page.clamp(0, MAX_PAGE),
            page_size: PAGE_SIZE,
        })
    }

    pub async fn user_detail(id: i64) -> Result<AdminUserDetail, AppError> {
        let (_, store) = require_admin().await?;
        let user = store.user_by_id(UserId(id)).await?;
        let regions = store.list_regions().await?;
        let names = region_names(&regions);
        let binding = store.live_binding(user.id).await?;
        let now = now_millis();
        // Locks are per address: show the longest of them.
        let failures = store
            .login_failures_by_address(&user.username, now - Throttle::ACCOUNT.lookback_ms())
            .await?;
        let mut by_address: std::collections::BTreeMap<&str, Vec<i64>> =
            std::collections::BTreeMap::new();
        for (address, at) in &failures {
            by_address.entry(address.as_str()).or_default().push(*at);
        }
        let locked_minutes = by_address
            .values()
            .filter_map(|times| Throttle::ACCOUNT.locked_until(times, now))
            .max()
            .map(|until| minutes_left(until, now));
        let scopes = store
            .scopes_of(user.id)
            .await?
            .into_iter()
            .map(|(role, region)| {
                (
                    role,
                    region.0,
                    names.get(&region.0).cloned().unwrap_or_default(),
                )
            })
            .collect();
        Ok(AdminUserDetail {
            row: AdminUserRow {
                id: user.id.0,
                username: user.username.clone(),
                real_name: user.real_name.clone(),
                phone: user.phone.clone(),
                region: user.region_id.and_then(|r| names.get(&r.0).cloned()),
                work_unit: user.work_unit.clone(),
                roles: user.roles.clone(),
                disabled: user.disabled,
                activation_pending: user.activation_pending,
                device: binding.map(|b| b.label),
            },
            region_id: user.region_id.map(|r| r.0),
            gender: user.profile.gender,
            birth_year: user.profile.birth_year,
            education: user.profile.education,
            employment: user.profile.employment,
            scopes,
            locked_minutes,
            recent_failures: failures.len(),
        })
    }

    fn activation_code() -> String {
        academy_shared::device::activation_code(&mut rand::rng())
    }

    async fn region_code(store: &Store, region_id: i64) -> Result<String, AppError> {
        store
            .list_regions()
            .await?
            .into_iter()
            .find(|r| r.id.0 == region_id)
            .map(|r| r.code)
            .ok_or_else(|| AppError::invalid("请选择所在地区", "Please choose a region"))
    }

    fn optional_text(
        value: Option<String>,
        max: usize,
        field_zh: &str,
    ) -> Result<Option<String>, AppError> {
        let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            return Err(AppError::invalid(
                format!("{field_zh}不超过 {max} 个字"),
                format!("At most {max} characters"),
            ));
        }
        Ok(value)
    }

    pub async fn create_user(
        username: String,
        real_name: String,
        phone: String,
        region_id: i64,
        work_unit: Option<String>,
        roles: Vec<String>,
    ) -> Result<ActivationCode, AppError> {
        let (me, store) = require_admin().await?;
        let username = validate::username(&username)?.to_ascii_lowercase();
        let real_name = validate::real_name(&real_name)?.to_owned();
        let phone = PhoneNumber::parse(&phone)?;
        let roles = parse_roles(&roles)?;
        let work_unit = optional_text(work_unit, 100, "工作单位")?;
        let region_code = region_code(&store, region_id).await?;
        let code = activation_code();
        let expires_at = now_millis() + crate::auth::api::ssr::identity_policy()?.activation_ttl_ms;
        let new = NewUser {
            username: username.clone(),
            real_name,
            phone: Some(phone.as_str().to_owned()),
            region_code: Some(region_code),
            work_unit,
            password_hash: String::new(),
            roles: roles.clone(),
            profile: TraineeFields::default(),
            activation: Some(Activation {
                code_hash: session::token_hash(&code),
                expires_at,
            }),
        };
        let ids = match store.create_users(&[new]).await {
            Ok(ids) => ids,
            Err(DbError::Conflict(_)) => {
                return Err(AppError::invalid(
                    "用户名或手机号已被使用",
                    "The username or number is already taken",
                ));
            }
            Err(other) => return Err(other.into()),
        };
        let id = ids
            .first()
            .copied()
            .ok_or_else(|| AppError::internal("no id for a created user"))?;
        let roles_text: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::UserCreated,
            ("user", &id.to_string()),
            format!("{username} roles={}", roles_text.join(",")),
        )
        .await?;
        Ok(ActivationCode {
            user_id: id.0,
            username,
            code,
            expires_at,
        })
    }

    pub async fn update_user(
        id: i64,
        real_name: String,
        phone: String,
        region_id: i64,
        work_unit: Option<String>,
        [gender, birth_year, education, employment]: [Option<String>; 4],
    ) -> Result<(), AppError> {
        let (me, store) = require_admin().await?;
        let real_name = validate::real_name(&real_name)?.to_owned();
        let phone = PhoneNumber::parse(&phone)?;
        region_code(&store, region_id).await?;
        let choice = |value: Option<String>,
                      parse: fn(&str) -> Option<&'static str>|
         -> Result<Option<String>, AppError> {
            match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => parse(v)
                    .map(|s| Some(s.to_owned()))
                    .ok_or_else(|| AppError::invalid("选项不正确", "Unknown choice")),
            }
        };
        let current_year = academy_shared::time::china_year(now_millis());
        let birth = match birth_year
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => None,
            Some(v) => Some(i64::from(parse_birth_year(v, current_year).ok_or_else(
                || AppError::invalid("出生年份不正确", "Implausible birth year"),
            )?)),
        };
        let update = AccountUpdate {
            real_name,
            phone: Some(phone.as_str().to_owned()),
            region_id: Some(RegionId(region_id)),
            work_unit: optional_text(work_unit, 100, "工作单位")?,
            profile: TraineeFields {
                gender: choice(gender, |v| Gender::parse_label(v).map(Gender::code))?,
                birth_year: birth,
                education: choice(education, |v| {
                    Education::parse_label(v).map(Education::code)
                })?,
                employment: choice(employment, |v| {
                    Employment::parse_label(v).map(Employment::code)
                })?,
            },
        };
        match store.update_account(UserId(id), &update).await {
            Ok(()) => {}
            Err(DbError::Conflict(_)) => {
                return Err(AppError::invalid(
                    "该手机号已被其他账号使用",
                    "Another account uses this number",
                ));
            }
            Err(other) => return Err(other.into()),
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::UserUpdated,
            ("user", &id.to_string()),
            "",
        )
        .await
    }

    pub async fn set_roles(
        id: i64,
        roles: Vec<String>,
        scope_region_id: Option<i64>,
    ) -> Result<(), AppError> {
        let (me, store) = require_admin().await?;
        let roles = parse_roles(&roles)?;
        if me.user.id.0 == id && !roles.contains(&Role::Admin) {
            return Err(AppError::invalid(
                "不能取消自己的管理员角色",
                "You cannot remove your own administrator role",
            ));
        }
        let user = store.user_by_id(UserId(id)).await?;
        let scope = scope_region_id.or(user.region_id.map(|r| r.0));
        let scoped: Vec<Role> = roles.iter().copied().filter(|r| r.is_scoped()).collect();
        let scopes = match (scoped.is_empty(), scope) {
            (true, _) => Vec::new(),
            (false, Some(region)) => {
                region_code(&store, region).await?;
                scoped.iter().map(|r| (*r, RegionId(region))).collect()
            }
            (false, None) => {
                return Err(AppError::invalid(
                    "联络员和上级组织部角色需要指定管辖地区",
                    "Liaison and supervisor roles need a region",
                ));
            }
        };
        store.set_roles(user.id, &roles, &scopes).await?;
        let before: Vec<&str> = user.roles.iter().map(|r| r.code()).collect();
        let after: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::UserRolesChanged,
            ("user", &id.to_string()),
            format!(
                "{} -> {} scope={scope:?}",
                before.join(","),
                after.join(",")
            ),
        )
        .await
    }

    pub async fn set_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
        let (me, store) = require_admin().await?;
        if me.user.id.0 == id {
            return Err(AppError::invalid(
                "不能停用自己的账号",
                "You cannot disable your own account",
            ));
        }
        store.set_disabled(UserId(id), disabled).await?;
        let action = if disabled {
            audit::AuditAction::UserDisabled
        } else {
            audit::AuditAction::UserEnabled
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            action,
            ("user", &id.to_string()),
            "",
        )
        .await
    }

    pub async fn reset_password(id: i64) -> Result<ActivationCode, AppError> {
        let (me, store) = require_admin().await?;
        let user = store.user_by_id(UserId(id)).await?;
        let code = activation_code();
        let expires_at = now_millis() + crate::auth::api::ssr::identity_policy()?.activation_ttl_ms;
        store
            .require_activation(
                user.id,
                &Activation {
                    code_hash: session::token_hash(&code),
                    expires_at,
                },
            )
            .await?;
        store.clear_login_failures(&user.username).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::UserPasswordReset,
            ("user", &id.to_string()),
            "",
        )
        .await?;
        Ok(ActivationCode {
            user_id: id,
            username: user.username,
            code,
            expires_at,
        })
    }

    pub async fn unbind_device(id: i64) -> Result<(), AppError> {
        let (me, store) = require_admin().await?;
        let user = store.user_by_id(UserId(id)).await?;
        let Some(binding) = store
            .revoke_binding(user.id, me.user.id, now_millis())
            .await?
        else {
            return Err(AppError::invalid(
                "该账号没有绑定设备",
                "No device is bound to this account",
            ));
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::DeviceUnbound,
            ("user", &id.to_string()),
            binding.label,
        )
        .await
    }

    pub async fn clear_lock(id: i64) -> Result<(), AppError> {
        let (me, store) = require_admin().await?;
        let user = store.user_by_id(UserId(id)).await?;
        store.clear_login_failures(&user.username).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::UserLockCleared,
            ("user", &id.to_string()),
            "",
        )
        .await
    }
}
