//! Training certificates (培训证书): the printable PDF and the QR code that
//! points at the public verification page.

#[cfg(feature = "ssr")]
pub mod render;

pub mod api;
