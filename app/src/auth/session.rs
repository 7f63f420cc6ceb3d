//! Session cookies: a 256-bit random token in an HttpOnly cookie; the database
//! keeps only its SHA-256.

use super::CurrentUser;
use crate::error::AppError;
use crate::store::{Store, now_millis};
use http::HeaderValue;
use http::header::{COOKIE, SET_COOKIE};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "academy_session";

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
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn policy() -> SessionPolicy {
    use_context::<SessionPolicy>().unwrap_or_default()
}

pub fn store() -> Result<Store, AppError> {
    use_context::<Store>().ok_or_else(|| AppError::internal("no store in the request context"))
}

/// The signed-in user of this request, or `None`.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = request_token() else {
        return Ok(None);
    };
    let store = store()?;
    let user = store
        .session_user(&token_hash(&token), now_millis(), policy().idle_timeout_ms)
        .await?;
    Ok(user.map(|user| CurrentUser {
        id: user.id,
        username: user.username,
        real_name: user.real_name,
        roles: user.roles,
    }))
}

/// The signed-in user, or [`AppError::Unauthenticated`].
pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
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
