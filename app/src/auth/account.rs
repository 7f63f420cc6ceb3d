//! The signed-in person's own account: what is on record, and changing the
//! password (which ends every other session).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An account as its owner (or an administrator) sees it: the whole number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub username: String,
    pub real_name: String,
    pub phone: Option<String>,
    pub region: Option<String>,
    pub work_unit: Option<String>,
    pub roles: Vec<academy_shared::role::Role>,
    pub gender: Option<String>,
    pub birth_year: Option<i64>,
    pub education: Option<String>,
    pub employment: Option<String>,
}

#[server(endpoint = "account/profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    crate::error::respond(ssr::my_profile().await)
}

#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    crate::error::respond(ssr::change_password(current_password, new_password).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::{password, session};
    use crate::store::now_millis;
    use academy_shared::validate;

    pub async fn my_profile() -> Result<Profile, AppError> {
        let (me, store) = session::with_signed().await?;
        let region = match me.user.region_id {
            Some(id) => store
                .list_regions()
                .await?
                .into_iter()
                .find(|r| r.id == id)
                .map(|r| r.name),
            None => None,
        };
        let user = me.user;
        Ok(Profile {
            username: user.username,
            real_name: user.real_name,
            phone: user.phone,
            region,
            work_unit: user.work_unit,
            roles: user.roles,
            gender: user.profile.gender,
            birth_year: user.profile.birth_year,
            education: user.profile.education,
            employment: user.profile.employment,
        })
    }

    pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
        let (me, store) = session::with_signed().await?;
        validate::password(&new)?;
        // Someone at an unlocked phone may try to guess the password to
        // change it: throttled like signing in.
        let address = crate::request::client_address();
        crate::auth::api::ssr::begin_attempt(&store, &me.user.username, &address, now_millis())
            .await?;
        if !password::verify_off_thread(&current, &me.user.password_hash).await? {
            return Err(AppError::invalid(
                "当前密码不正确",
                "The current password is wrong",
            ));
        }
        store.clear_login_failures(&me.user.username).await?;
        if current == new {
            return Err(AppError::invalid(
                "新密码不能与当前密码相同",
                "The new password must differ",
            ));
        }
        let hash = password::hash_off_thread(&new).await?;
        // Every session ends, this one included; a fresh one continues here on
        // the same device footing.
        store.set_password(me.user.id, &hash).await?;
        session::open(&store, &me.user, me.link).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::UserPasswordChanged,
            ("user", &me.user.id.to_string()),
            "",
        )
        .await
    }
}
