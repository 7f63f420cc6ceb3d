//! How identity behaves on this deployment; the server builds it from its
//! validated config and provides it to every request.

use super::sms::SmsProvider;
use std::sync::Arc;

#[derive(Clone)]
pub struct IdentityPolicy {
    /// Staff accounts are bound to a device too (off by default).
    pub bind_staff: bool,
    /// Organizers may approve rebinding requests, not only administrators.
    pub organizers_approve_rebinding: bool,
    /// The academy's public base URL, for links in QR codes.
    pub public_url: String,
    /// An approval request from another device lives this long.
    pub approval_ttl_ms: i64,
    /// An activation code (new account, password reset) works this long.
    pub activation_ttl_ms: i64,
    pub sms: Arc<dyn SmsProvider>,
}

impl IdentityPolicy {
    pub fn new(public_url: String, sms: Arc<dyn SmsProvider>) -> Self {
        IdentityPolicy {
            bind_staff: false,
            organizers_approve_rebinding: false,
            public_url,
            approval_ttl_ms: 5 * 60_000,
            activation_ttl_ms: 7 * 24 * 60 * 60_000,
            sms,
        }
    }
}

impl std::fmt::Debug for IdentityPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityPolicy")
            .field("bind_staff", &self.bind_staff)
            .field(
                "organizers_approve_rebinding",
                &self.organizers_approve_rebinding,
            )
            .field("public_url", &self.public_url)
            .field("sms", &self.sms.name())
            .finish_non_exhaustive()
    }
}
