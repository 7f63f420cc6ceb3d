//! The one error type every server function returns.
//!
//! Users see a short, safe message in their language; the cause (a database
//! error, a bug) is logged on the server and never crosses the wire.

use academy_shared::validate::ValidationError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Bad input, with the reason in both languages.
    #[error("{en}")]
    Invalid { zh: String, en: String },
    /// The request body is larger than the server accepts.
    #[error("request too large")]
    TooLarge,
    /// Too many attempts; try again later.
    #[error("too many attempts")]
    TooManyRequests,
    /// Too many failed sign-ins: refused for this many more minutes.
    #[error("sign-in locked for {minutes} minutes")]
    SignInLocked { minutes: i64 },
    /// The password was right, but this account studies on another, bound
    /// device: approve this one from it, or ask for rebinding.
    #[error("this account is bound to another device")]
    DeviceNotBound,
    /// The browser could not reach the server.
    #[error("network problem")]
    Network,
    /// Anything else. The cause was logged where it happened.
    #[error("internal error")]
    Internal,
}

impl AppError {
    pub fn invalid(zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::Invalid {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Logs `cause` on the server and returns the opaque [`AppError::Internal`].
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        #[cfg(feature = "ssr")]
        {
            let at = std::panic::Location::caller();
            tracing::error!(%at, "internal error: {cause}");
        }
        #[cfg(not(feature = "ssr"))]
        let _ = cause;
        AppError::Internal
    }

    pub fn message_zh(&self) -> String {
        match self {
            AppError::Unauthenticated => "请先登录".into(),
            AppError::Forbidden => "您没有执行此操作的权限".into(),
            AppError::NotFound => "未找到相应内容".into(),
            AppError::Invalid { zh, .. } => zh.clone(),
            AppError::TooLarge => "提交的内容过大".into(),
            AppError::TooManyRequests => "尝试次数过多，请稍后再试".into(),
            AppError::SignInLocked { minutes } => {
                format!("登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试，或联系管理员解除")
            }
            AppError::DeviceNotBound => "该账号已绑定另一台手机，只能在绑定的手机上学习和考试。请在已绑定的手机上登录；若要在本设备使用，请选择“用已绑定手机批准”；如已更换手机，请申请更换绑定。".into(),
            AppError::Network => "网络连接失败，请检查网络后重试".into(),
            AppError::Internal => "服务器暂时无法处理，请稍后再试".into(),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            AppError::Unauthenticated => "Please sign in first".into(),
            AppError::Forbidden => "You are not allowed to do this".into(),
            AppError::NotFound => "Nothing was found".into(),
            AppError::Invalid { en, .. } => en.clone(),
            AppError::TooLarge => "What was sent is too large".into(),
            AppError::TooManyRequests => "Too many attempts, please try again later".into(),
            AppError::SignInLocked { minutes } => format!(
                "Too many failed sign-ins: please try again in {minutes} minutes, or ask an administrator"
            ),
            AppError::DeviceNotBound => "This account is bound to another phone. Sign in on that phone, approve this device from it, or ask for your new phone to be bound.".into(),
            AppError::Network => "Network problem, please check your connection".into(),
            AppError::Internal => "The server could not handle this, please try again later".into(),
        }
    }

    /// The HTTP status a response carrying this error should have.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden | AppError::DeviceNotBound => 403,
            AppError::NotFound => 404,
            AppError::Invalid { .. } => 400,
            AppError::TooLarge => 413,
            AppError::TooManyRequests | AppError::SignInLocked { .. } => 429,
            AppError::Network => 503,
            AppError::Internal => 500,
        }
    }
}

/// Gives an error response the HTTP status its kind deserves (400, 401, 403,
/// 429 …) instead of the framework's blanket 500. Every server function returns
/// through this.
#[cfg(feature = "ssr")]
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        set_response_status(error);
    }
    result
}

#[cfg(feature = "ssr")]
fn set_response_status(error: &AppError) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(error.status_code())
    {
        response.set_status(status);
    }
}

impl From<ValidationError> for AppError {
    fn from(error: ValidationError) -> Self {
        AppError::Invalid {
            zh: error.message_zh(),
            en: error.to_string(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Request(_) => AppError::Network,
            // On the server, reading the request body failed; axum refuses
            // bodies over its limit this way. (In the browser the same variant
            // means a response could not be read: left to `internal`.)
            ServerFnErrorErr::Deserialization(cause) if cfg!(feature = "ssr") => {
                if cause.contains("length limit exceeded") {
                    AppError::TooLarge
                } else {
                    AppError::invalid("提交的内容格式不正确", "The submitted data is malformed")
                }
            }
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::invalid("提交的内容格式不正确", "The submitted data is malformed")
            }
            other => AppError::internal(other),
        };
        // Arguments that do not parse never reach the function (and its
        // `respond`), so the status is set here: a 400, not a 500.
        #[cfg(feature = "ssr")]
        set_response_status(&error);
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_errors_never_carry_their_text_to_the_user() {
        let secret = "relation \"users\" does not exist at 10.0.0.5";
        let error = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(secret.into()));
        assert_eq!(error, AppError::Internal);
        let wire = String::from_utf8(error.ser().to_vec()).unwrap();
        assert!(!wire.contains("relation"), "{wire}");
        assert!(!error.message_zh().contains("relation"));
    }

    #[test]
    fn errors_round_trip_over_the_wire() {
        let error = AppError::invalid("用户名已存在", "username taken");
        assert_eq!(AppError::de(error.ser()), error);
    }

    #[test]
    fn validation_errors_keep_both_languages() {
        let error = AppError::from(ValidationError::PhoneInvalid);
        assert!(error.message_zh().contains("手机"));
        assert!(error.message_en().contains("mobile"));
        assert_eq!(error.status_code(), 400);
    }
}
