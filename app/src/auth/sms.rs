//! Sending SMS verification codes through a provider: `console` writes the
//! code to the server log (demo, development), `webhook` POSTs JSON to a
//! gateway the deployment runs. Another provider is one more implementation.

use serde::Serialize;
use std::future::Future;
use std::pin::Pin;

/// One verification message.
#[derive(Clone, Debug, Serialize)]
pub struct SmsMessage {
    pub phone: String,
    pub code: String,
    /// `register` or `reset_password`.
    pub purpose: String,
    /// The full text, for gateways that send what they are given.
    pub text: String,
    pub ttl_minutes: i64,
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

pub trait SmsProvider: Send + Sync {
    fn name(&self) -> &'static str;
    /// Sends or fails with a cause for the log (never shown to users).
    fn send<'a>(&'a self, message: &'a SmsMessage) -> SendFuture<'a>;
}

/// Writes the code to the server log.
pub struct ConsoleSms;

impl SmsProvider for ConsoleSms {
    fn name(&self) -> &'static str {
        "console"
    }

    fn send<'a>(&'a self, message: &'a SmsMessage) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(
                phone = %message.phone,
                purpose = %message.purpose,
                "SMS (console provider): verification code {}",
                message.code
            );
            Ok(())
        })
    }
}

/// POSTs the message as JSON to `url`, with `Authorization: Bearer <token>` if
/// a token is configured; any 2xx answer counts as sent.
pub struct WebhookSms {
    url: String,
    token: Option<String>,
    client: reqwest::Client,
}

impl WebhookSms {
    pub fn new(url: String, token: Option<String>) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build the webhook client: {e}"))?;
        Ok(WebhookSms { url, token, client })
    }
}

impl SmsProvider for WebhookSms {
    fn name(&self) -> &'static str {
        "webhook"
    }

    fn send<'a>(&'a self, message: &'a SmsMessage) -> SendFuture<'a> {
        Box::pin(async move {
            let body = serde_json::to_vec(message).map_err(|e| e.to_string())?;
            let mut request = self
                .client
                .post(&self.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
            if let Some(token) = &self.token {
                request = request.bearer_auth(token);
            }
            let response = request
                .send()
                .await
                .map_err(|e| format!("SMS webhook unreachable: {e}"))?;
            if response.status().is_success() {
                Ok(())
            } else {
                Err(format!("SMS webhook answered {}", response.status()))
            }
        })
    }
}
