//! Password hashing with Argon2id at (at least) the OWASP-recommended cost.

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// m = 19 MiB, t = 2, p = 1: OWASP's minimum for Argon2id.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes with a fresh random salt; the PHC string carries salt and parameters.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// [`hash`] on the bounded pool for heavy work, off the async workers.
pub async fn hash_off_thread(password: &str) -> Result<String, crate::error::AppError> {
    let password = password.to_owned();
    crate::blocking::run(crate::blocking::Pool::Passwords, move || hash(&password))
        .await?
        .map_err(crate::error::AppError::internal)
}

/// [`verify`] on the bounded pool for heavy work, off the async workers.
pub async fn verify_off_thread(
    password: &str,
    stored: &str,
) -> Result<bool, crate::error::AppError> {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    crate::blocking::run(crate::blocking::Pool::Passwords, move || {
        verify(&password, &stored)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_use_argon2id_with_the_required_cost() {
        let stored = hash("正确的密码123").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("正确的密码123", &stored));
        assert!(!verify("错误的密码123", &stored));
        assert!(!verify("anything", "not a phc string"));
        assert_ne!(stored, hash("正确的密码123").unwrap(), "salts must differ");
    }
}
