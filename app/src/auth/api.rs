//! Server functions for signing in and out. Each checks everything itself: the
//! browser's word is taken for nothing but the typed credentials.

use super::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

/// Who is signed in on this request (`None` for visitors).
#[server(endpoint = "auth/me")]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    crate::error::respond(ssr::session::current_user().await)
}

/// Signs in with username and password. The same answer, after the same work,
/// for an unknown name and a wrong password, so that neither can be probed.
#[server(endpoint = "auth/login")]
pub async fn login(username: String, password: String) -> Result<CurrentUser, AppError> {
    crate::error::respond(ssr::login(username, password).await)
}

/// Ends this browser's session. Harmless when not signed in.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::error::respond(ssr::logout().await)
}

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::{password, session};
    use super::CurrentUser;
    use crate::error::AppError;
    use crate::store::{DbError, now_millis};
    use academy_shared::throttle::{Throttle, minutes_left};
    use academy_shared::validate;
    use leptos::prelude::*;

    pub async fn login(username: String, password: String) -> Result<CurrentUser, AppError> {
        let wrong = || AppError::invalid("用户名或密码不正确", "Wrong username or password");
        let username = validate::username(&username)
            .map_err(|_| wrong())?
            .to_owned();
        if password.is_empty() || password.chars().count() > validate::PASSWORD_MAX_CHARS {
            return Err(wrong());
        }
        let store = session::store()?;
        let now = now_millis();
        let address = crate::request::client_address();
        refuse_if_locked(&store, &username, &address, now).await?;
        let user = match store.user_by_username(&username).await {
            Ok(user) => Some(user),
            Err(DbError::NotFound) => None,
            Err(other) => return Err(other.into()),
        };
        // An unknown name is checked against a real hash too: the same work, the
        // same time, so response timing does not tell which names exist.
        static UNKNOWN_USER_HASH: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| password::hash("no such user").unwrap_or_default());
        let stored = user
            .as_ref()
            .map_or(UNKNOWN_USER_HASH.as_str(), |u| u.password_hash.as_str());
        let password_ok = password::verify(&password, stored);
        let Some(user) = user.filter(|_| password_ok) else {
            // Recorded by name whether or not it exists: an unknown name locks
            // exactly like a known one, so the lock tells nothing either.
            store.record_login_failure(&username, &address, now).await?;
            return Err(wrong());
        };
        store.clear_login_failures(&username).await?;
        if user.disabled {
            return Err(AppError::invalid(
                "该账号已停用，请联系管理员",
                "This account is disabled; please contact an administrator",
            ));
        }

        // A fresh token at every sign-in: a token planted before sign-in is useless.
        if let Some(old) = session::request_token() {
            store.delete_session(&session::token_hash(&old)).await?;
        }
        let token = session::new_token();
        let policy = session::policy();
        let user_agent = use_context::<http::request::Parts>().and_then(|parts| {
            parts
                .headers
                .get(http::header::USER_AGENT)?
                .to_str()
                .ok()
                .map(|ua| ua.chars().take(300).collect::<String>())
        });
        store
            .create_session(
                &session::token_hash(&token),
                user.id,
                now,
                now + policy.absolute_timeout_ms,
                user_agent.as_deref(),
            )
            .await?;
        session::set_cookie(&token, policy.absolute_timeout_ms);
        Ok(CurrentUser {
            id: user.id,
            username: user.username,
            real_name: user.real_name,
            roles: user.roles,
        })
    }

    /// Refuses while this account name, or this address, has failed too often.
    async fn refuse_if_locked(
        store: &crate::store::Store,
        username: &str,
        address: &str,
        now: i64,
    ) -> Result<(), AppError> {
        let by_name = Throttle::ACCOUNT;
        let failures = store
            .login_failures_for_user(username, now - by_name.lookback_ms())
            .await?;
        let by_address = Throttle::ADDRESS;
        let from_address = store
            .login_failures_from(address, now - by_address.lookback_ms())
            .await?;
        let until = [
            by_name.locked_until(&failures, now),
            by_address.locked_until(&from_address, now),
        ]
        .into_iter()
        .flatten()
        .max();
        match until {
            Some(until) => Err(AppError::SignInLocked {
                minutes: minutes_left(until, now),
            }),
            None => Ok(()),
        }
    }

    pub async fn logout() -> Result<(), AppError> {
        if let Some(token) = session::request_token() {
            session::store()?
                .delete_session(&session::token_hash(&token))
                .await?;
        }
        session::clear_cookie();
        Ok(())
    }
}
