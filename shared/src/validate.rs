//! Input rules written once, used by the forms (for instant feedback) and by the
//! server (which never trusts the browser).

use serde::{Deserialize, Serialize};

/// Why an input was refused. Each has a message in both UI languages, safe to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ValidationError {
    #[error("username must be 3–32 letters, digits or underscores, starting with a letter")]
    UsernameInvalid,
    #[error("password must be at least {min} characters")]
    PasswordTooShort { min: usize },
    #[error("password must be at most {max} characters")]
    PasswordTooLong { max: usize },
    #[error("please enter a real name of at most {max} characters")]
    RealNameInvalid { max: usize },
    #[error("please enter an 11-digit mainland mobile number")]
    PhoneInvalid,
}

impl ValidationError {
    pub fn message_zh(&self) -> String {
        match self {
            ValidationError::UsernameInvalid => {
                "用户名须为 3–32 位字母、数字或下划线，并以字母开头".to_owned()
            }
            ValidationError::PasswordTooShort { min } => format!("密码至少 {min} 位"),
            ValidationError::PasswordTooLong { max } => format!("密码最多 {max} 位"),
            ValidationError::RealNameInvalid { max } => {
                format!("请填写真实姓名（不超过 {max} 个字）")
            }
            ValidationError::PhoneInvalid => "请输入 11 位中国大陆手机号码".to_owned(),
        }
    }
}

pub const PASSWORD_MIN_CHARS: usize = 8;
/// Argon2 hashes any length, but a cap keeps a request from costing seconds of CPU.
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const REAL_NAME_MAX_CHARS: usize = 32;

/// Whether a checkbox or a flag in an address is set: browsers send "on",
/// links and scripts "true" or "1".
pub fn is_checked(value: &str) -> bool {
    matches!(value.trim(), "on" | "true" | "1")
}

pub fn username(input: &str) -> Result<&str, ValidationError> {
    let input = input.trim();
    let mut chars = input.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if starts_with_letter && rest_ok && (3..=32).contains(&input.len()) {
        Ok(input)
    } else {
        Err(ValidationError::UsernameInvalid)
    }
}

pub fn password(input: &str) -> Result<&str, ValidationError> {
    let count = input.chars().count();
    if count < PASSWORD_MIN_CHARS {
        Err(ValidationError::PasswordTooShort {
            min: PASSWORD_MIN_CHARS,
        })
    } else if count > PASSWORD_MAX_CHARS {
        Err(ValidationError::PasswordTooLong {
            max: PASSWORD_MAX_CHARS,
        })
    } else {
        Ok(input)
    }
}

pub fn real_name(input: &str) -> Result<&str, ValidationError> {
    let input = input.trim();
    let count = input.chars().count();
    if count == 0 || count > REAL_NAME_MAX_CHARS || input.chars().any(char::is_control) {
        Err(ValidationError::RealNameInvalid {
            max: REAL_NAME_MAX_CHARS,
        })
    } else {
        Ok(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkboxes_read_as_browsers_and_links_send_them() {
        for on in ["on", "true", "1", " on "] {
            assert!(is_checked(on), "{on}");
        }
        for off in ["", "off", "false", "0", "yes"] {
            assert!(!is_checked(off), "{off}");
        }
    }
    use proptest::prelude::*;

    #[test]
    fn usernames() {
        assert_eq!(username("  learner001 "), Ok("learner001"));
        for bad in ["", "ab", "1abc", "张三", "a b c", "a-b-c", &"a".repeat(33)] {
            assert_eq!(
                username(bad),
                Err(ValidationError::UsernameInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_count_characters_not_bytes() {
        assert!(password("1234567").is_err());
        assert!(password("12345678").is_ok());
        // Eight Chinese characters are eight characters, although 24 bytes.
        assert!(password("党员教育培训学习").is_ok());
        assert!(password("党员教育培训学").is_err());
        assert!(password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn real_names() {
        assert_eq!(real_name(" 张三 "), Ok("张三"));
        assert!(real_name("   ").is_err());
        assert!(real_name("a\u{0007}b").is_err());
    }

    #[test]
    fn every_error_has_a_chinese_message() {
        let all = [
            ValidationError::UsernameInvalid,
            ValidationError::PasswordTooShort { min: 8 },
            ValidationError::PasswordTooLong { max: 128 },
            ValidationError::RealNameInvalid { max: 32 },
            ValidationError::PhoneInvalid,
        ];
        for error in all {
            let zh = error.message_zh();
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
            assert!(!error.to_string().is_empty());
        }
    }

    proptest! {
        #[test]
        fn accepted_usernames_are_ascii_and_bounded(s in "\\PC{0,40}") {
            if let Ok(name) = username(&s) {
                prop_assert!(name.is_ascii());
                prop_assert!((3..=32).contains(&name.len()));
            }
        }
    }
}
