//! Identity: password hashing now; sessions and device binding build on it.

#[cfg(feature = "ssr")]
pub mod password;
