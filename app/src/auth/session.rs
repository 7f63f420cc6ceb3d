//! Session cookies: a 256-bit random token in an HttpOnly cookie; the database
//! keeps only its SHA-256.

use super::CurrentUser;
use crate::error::AppError;
use crate::store::{SessionLink, Store, UserRecord, now_millis};
use academy_shared::ids::{RegionId, UserId};
use academy_shared::role::Role;
use http::HeaderValue;
use http::header::{COOKIE, SET_COOKIE};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "academy_session";
/// The device key: long-lived, so that a learner's phone stays recognised
/// across WeChat webview restarts (a copy also lives in web storage).
pub const DEVICE_COOKIE_NAME: &str = "academy_device";
const DEVICE_COOKIE_MAX_AGE_S: i64 = 10 * 365 * 24 * 60 * 60;

/// How sessions behave; provided as context by the server from its config.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    /// Whether the cookie is marked `Secure` (the public URL is https).
    pub secure_cookie: bool,
    /// A session unused this long ends.
    pub idle_timeout_ms: i64,
    /// A session ends this long after sign-in, used or not.
    pub absolute_timeout_ms: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            secure_cookie: false,
            idle_timeout_ms: 30 * 60 * 1000,
            absolute_timeout_ms: 12 * 60 * 60 * 1000,
        }
    }
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session token the request carries, if any.
pub fn request_token() -> Option<String> {
    request_cookie(COOKIE_NAME).filter(|token| is_token(token))
}

/// The device key the request's cookie carries, if any.
pub fn request_device_key() -> Option<String> {
    request_cookie(DEVICE_COOKIE_NAME).filter(|key| is_token(key))
}

/// 64 hex digits: the shape of every token and key we issue.
pub fn is_token(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

fn request_cookie(wanted: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    cookie_in(&parts.headers, wanted)
}

/// A cookie's value from request headers.
pub fn cookie_in(headers: &http::HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.to_owned())
}

/// The request's User-Agent, cut to a sane length.
pub fn user_agent() -> Option<String> {
    use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(http::header::USER_AGENT)?
            .to_str()
            .ok()
            .map(|ua| ua.chars().take(300).collect::<String>())
    })
}

pub fn policy() -> SessionPolicy {
    use_context::<SessionPolicy>().unwrap_or_default()
}

/// The request's store. A missing one is logged at the caller's line.
#[track_caller]
pub fn store() -> Result<Store, AppError> {
    match use_context::<Store>() {
        Some(store) => Ok(store),
        None => Err(AppError::internal("no store in the request context")),
    }
}

/// A request's signed-in account, as the server checks it: the account, the
/// session's tie to a device, and where its scoped roles apply.
#[derive(Clone, Debug)]
pub struct Signed {
    pub user: UserRecord,
    pub link: SessionLink,
    pub token_hash: String,
    pub scopes: Vec<(Role, RegionId)>,
}

impl Signed {
    /// Whether the account holds one of `roles` (a set from `shared::role::policy`).
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|role| self.has(*role))
    }

    pub fn has(&self, role: Role) -> bool {
        self.user.roles.contains(&role)
    }

    pub fn current(&self) -> CurrentUser {
        CurrentUser::from_record(&self.user)
    }

    /// Refuses unless the account holds one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.iter().any(|role| self.has(*role)) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The signed-in account of a plain axum request (media files), which runs
/// outside Leptos' request context.
pub async fn signed_from_headers(
    store: &Store,
    headers: &http::HeaderMap,
    policy: SessionPolicy,
) -> Result<Option<Signed>, AppError> {
    match cookie_in(headers, COOKIE_NAME).filter(|token| is_token(token)) {
        Some(token) => signed_by_token(store, &token, policy).await,
        None => Ok(None),
    }
}

async fn signed_by_token(
    store: &Store,
    token: &str,
    policy: SessionPolicy,
) -> Result<Option<Signed>, AppError> {
    let hash = token_hash(token);
    let Some((user, link)) = store
        .session_user(&hash, now_millis(), policy.idle_timeout_ms)
        .await?
    else {
        return Ok(None);
    };
    let scopes = store.scopes_of(user.id).await?;
    Ok(Some(Signed {
        user,
        link,
        token_hash: hash,
        scopes,
    }))
}

/// The signed-in account's id only (one query), and the session's token hash
/// if its idle deadline is due to slide: for the player's heartbeats, which
/// come every few seconds, check ownership in their store calls, and slide the
/// session inside their group commit.
pub async fn require_account_id() -> Result<(UserId, Option<String>), AppError> {
    account_id_in(&store()?).await
}

/// How a server function begins: the store, taken from the request's context
/// before anything is awaited (the context is not reliably there after the
/// first `.await`), and the signed-in account holding one of `roles`; 401 or
/// 403 otherwise. Scope checks (regions, classes) follow on `Signed`.
pub async fn with_role(roles: &[Role]) -> Result<(Signed, Store), AppError> {
    let store = store()?;
    let signed = signed_in(&store).await?.ok_or(AppError::Unauthenticated)?;
    signed.require_any(roles)?;
    Ok((signed, store))
}

/// [`with_role`] for any signed-in account.
pub async fn with_signed() -> Result<(Signed, Store), AppError> {
    let store = store()?;
    let signed = signed_in(&store).await?.ok_or(AppError::Unauthenticated)?;
    Ok((signed, store))
}

/// [`require_account_id`] with the store taken first.
pub async fn with_account_id() -> Result<(UserId, Option<String>, Store), AppError> {
    let store = store()?;
    let (user, stale) = account_id_in(&store).await?;
    Ok((user, stale, store))
}

/// The signed-in account of this request in `store`, or `None` (for pages
/// that anyone may read, with more for those signed in).
pub async fn signed_in(store: &Store) -> Result<Option<Signed>, AppError> {
    let Some(token) = request_token() else {
        return Ok(None);
    };
    signed_by_token(store, &token, policy()).await
}

async fn account_id_in(store: &Store) -> Result<(UserId, Option<String>), AppError> {
    let token = request_token().ok_or(AppError::Unauthenticated)?;
    let hash = token_hash(&token);
    let (user, _, stale) = store
        .session_account(&hash, now_millis(), policy().idle_timeout_ms)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok((user, stale.then_some(hash)))
}

/// The signed-in user of this request, or `None`.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(signed_in(&store()?).await?.map(|s| s.current()))
}

/// Opens a session for `user` tied to `link` and sets its cookie. A fresh
/// token every time: a token planted before sign-in is useless.
pub async fn open(store: &Store, user: &UserRecord, link: SessionLink) -> Result<(), AppError> {
    if let Some(old) = request_token() {
        store.delete_session(&token_hash(&old)).await?;
    }
    let token = new_token();
    let policy = policy();
    let now = now_millis();
    store
        .create_session(
            &token_hash(&token),
            user.id,
            now,
            now + policy.absolute_timeout_ms,
            user_agent().as_deref(),
            link,
        )
        .await?;
    set_cookie(&token, policy.absolute_timeout_ms);
    Ok(())
}

/// Remembers this browser's device key in a long-lived HttpOnly cookie.
pub fn set_device_cookie(key: &str) {
    let secure = if policy().secure_cookie {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{DEVICE_COOKIE_NAME}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age={DEVICE_COOKIE_MAX_AGE_S}{secure}"
    );
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}

pub fn set_cookie(token: &str, max_age_ms: i64) {
    let secure = if policy().secure_cookie {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age_ms / 1000
    );
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}

pub fn clear_cookie() {
    set_cookie("", 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_hex_and_unique() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_ne!(
            token_hash(&a),
            a,
            "the database never sees the token itself"
        );
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
