//! Getting an account: self-registration with a phone number and an SMS code,
//! activating an account an administrator created (or reset), and choosing a
//! new password with an SMS code.

use crate::auth::api::LoginOutcome;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A region as forms offer it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionOption {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// "贵州省 / 铜仁市 / 碧江区"
    pub path: String,
    pub level: academy_shared::region::RegionLevel,
}

/// The region tree, for the registration form (public: names of places only).
#[server(endpoint = "regions/options")]
pub async fn region_options() -> Result<Vec<RegionOption>, AppError> {
    crate::error::respond(ssr::region_options().await)
}

/// Sends a verification code. The answer is the same whether or not the
/// number already has an account, so that numbers cannot be probed.
#[server(endpoint = "auth/sms/send")]
pub async fn send_sms_code(phone: String, purpose: String) -> Result<i64, AppError> {
    crate::error::respond(ssr::send_sms_code(phone, purpose).await)
}

#[server(endpoint = "auth/register")]
pub async fn register(
    phone: String,
    code: String,
    username: String,
    real_name: String,
    region_id: String,
    work_unit: Option<String>,
    password: String,
    device_key: Option<String>,
    /// The device key's signature over a fresh challenge, when the browser has one.
    device_proof: Option<String>,
) -> Result<LoginOutcome, AppError> {
    crate::error::respond(
        async {
            let region_id = crate::admin::users::region_choice(&region_id)?;
            let work_unit = work_unit.unwrap_or_default();
            ssr::register(
                phone,
                code,
                username,
                real_name,
                region_id,
                work_unit,
                password,
                device_key,
                device_proof,
            )
            .await
        }
        .await,
    )
}

/// Sets the first password of an account with the one-time code an
/// administrator handed over.
#[server(endpoint = "auth/activate")]
pub async fn activate(username: String, code: String, password: String) -> Result<(), AppError> {
    crate::error::respond(ssr::activate(username, code, password).await)
}

/// A forgotten password: a new one with a code sent to the account's phone.
#[server(endpoint = "auth/reset")]
pub async fn reset_password(phone: String, code: String, password: String) -> Result<(), AppError> {
    crate::error::respond(ssr::reset_password(phone, code, password).await)
}

pub const PURPOSE_REGISTER: &str = "register";
pub const PURPOSE_RESET: &str = "reset_password";

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::api::ssr::{device_link, identity_policy};
    use crate::auth::password;
    use crate::auth::session;
    use crate::auth::sms::SmsMessage;
    use crate::store::{DbError, NewUser, now_millis};
    use academy_shared::ids::RegionId;
    use academy_shared::phone::PhoneNumber;
    use academy_shared::role::Role;
    use academy_shared::sms::{HOUR_MS, SmsPolicy};
    use academy_shared::validate;

    pub async fn region_options() -> Result<Vec<RegionOption>, AppError> {
        let store = session::store()?;
        let regions = store.list_regions().await?;
        let by_id: std::collections::HashMap<RegionId, &crate::store::Region> =
            regions.iter().map(|r| (r.id, r)).collect();
        let mut options: Vec<RegionOption> = regions
            .iter()
            .map(|region| {
                let mut names = vec![region.name.as_str()];
                let mut parent = region.parent_id;
                while let Some(id) = parent {
                    let Some(up) = by_id.get(&id) else { break };
                    names.push(up.name.as_str());
                    parent = up.parent_id;
                }
                names.reverse();
                RegionOption {
                    id: region.id.0,
                    parent_id: region.parent_id.map(|p| p.0),
                    path: names.join(" / "),
                    level: region.level,
                }
            })
            .collect();
        options.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(options)
    }

    fn code_hash(phone: &str, code: &str) -> String {
        // Bound to the number, so a code table leak cannot be replayed elsewhere.
        session::token_hash(&format!("{phone}:{}", code.trim()))
    }

    pub async fn send_sms_code(phone: String, purpose: String) -> Result<i64, AppError> {
        let phone = PhoneNumber::parse(&phone)?;
        if purpose != PURPOSE_REGISTER && purpose != PURPOSE_RESET {
            return Err(AppError::invalid("不支持的验证码用途", "Unknown purpose"));
        }
        let store = session::store()?;
        let rules = SmsPolicy::DEFAULT;
        let now = now_millis();
        let address = crate::request::client_address();
        let to_number = store.sms_sent_to(phone.as_str(), now - HOUR_MS).await?;
        let from_address = store.sms_sent_from(&address, now - HOUR_MS).await?;
        if let Err(seconds) = rules.may_send(&to_number, &from_address, now) {
            return Err(AppError::invalid(
                format!("发送过于频繁，请 {seconds} 秒后再试"),
                format!("Too many codes; please try again in {seconds} seconds"),
            ));
        }
        let code = academy_shared::device::sms_code(&mut rand::rng());
        store
            .record_sms_code(
                phone.as_str(),
                &purpose,
                &code_hash(phone.as_str(), &code),
                &address,
                now,
                now + rules.code_ttl_ms,
            )
            .await?;
        let ttl_minutes = rules.code_ttl_ms / 60_000;
        let message = SmsMessage {
            phone: phone.as_str().to_owned(),
            text: format!(
                "【网络学院】您的验证码是 {code}，{ttl_minutes} 分钟内有效。如非本人操作请忽略。"
            ),
            code,
            purpose,
            ttl_minutes,
        };
        let policy = identity_policy()?;
        if let Err(cause) = policy.sms.send(&message).await {
            tracing::error!(provider = policy.sms.name(), "SMS not sent: {cause}");
            return Err(AppError::invalid(
                "短信发送失败，请稍后再试",
                "The text message could not be sent; please try again later",
            ));
        }
        Ok(rules.min_interval_ms / 1000)
    }

    async fn check_code(phone: &PhoneNumber, purpose: &str, code: &str) -> Result<(), AppError> {
        let store = session::store()?;
        let ok = store
            .use_sms_code(
                phone.as_str(),
                purpose,
                &code_hash(phone.as_str(), code),
                now_millis(),
                SmsPolicy::DEFAULT.max_attempts,
            )
            .await?;
        if ok {
            Ok(())
        } else {
            Err(AppError::invalid(
                "验证码不正确或已过期，请重新获取",
                "The code is wrong or has expired; please request a new one",
            ))
        }
    }

    pub async fn register(
        phone: String,
        code: String,
        username: String,
        real_name: String,
        region_id: i64,
        work_unit: String,
        password: String,
        device_key: Option<String>,
        device_proof: Option<String>,
    ) -> Result<LoginOutcome, AppError> {
        let phone = PhoneNumber::parse(&phone)?;
        let username = validate::username(&username)?.to_ascii_lowercase();
        let real_name = validate::real_name(&real_name)?.to_owned();
        validate::password(&password)?;
        let work_unit = work_unit.trim().to_owned();
        if work_unit.chars().count() > 100 {
            return Err(AppError::invalid(
                "工作单位不超过 100 个字",
                "Work unit: at most 100 characters",
            ));
        }
        let store = session::store()?;
        let regions = store.list_regions().await?;
        let region = regions
            .iter()
            .find(|r| r.id.0 == region_id)
            .ok_or_else(|| AppError::invalid("请选择所在地区", "Please choose your region"))?;
        check_code(&phone, PURPOSE_REGISTER, &code).await?;
        let (names, phones) = store
            .taken(
                std::slice::from_ref(&username),
                &[phone.as_str().to_owned()],
            )
            .await?;
        if !phones.is_empty() {
            return Err(AppError::invalid(
                "该手机号已注册，请直接登录；忘记密码可用短信重设",
                "This number already has an account; please sign in or reset the password",
            ));
        }
        if !names.is_empty() {
            return Err(AppError::invalid(
                "该用户名已被使用，请换一个",
                "This username is taken",
            ));
        }
        let hash = password::hash_off_thread(&password).await?;
        let new = NewUser {
            username: username.clone(),
            real_name,
            phone: Some(phone.as_str().to_owned()),
            region_code: Some(region.code.clone()),
            work_unit: Some(work_unit).filter(|w| !w.is_empty()),
            password_hash: hash,
            roles: vec![Role::Learner],
            ..NewUser::default()
        };
        match store.create_users(&[new]).await {
            Ok(_) => {}
            Err(DbError::Conflict(_)) => {
                return Err(AppError::invalid(
                    "用户名或手机号已被使用",
                    "The username or number is already taken",
                ));
            }
            Err(other) => return Err(other.into()),
        }
        let user = store.user_by_username(&username).await?;
        audit::record(
            &store,
            Actor::User(&user),
            audit::AuditAction::UserRegistered,
            ("user", &user.id.to_string()),
            "",
        )
        .await?;
        let (link, key) = device_link(&store, &user, device_key, device_proof).await?;
        session::open(&store, &user, link).await?;
        Ok(LoginOutcome {
            user: crate::auth::CurrentUser::from_record(&user),
            device_key: key,
        })
    }

    pub async fn activate(
        username: String,
        code: String,
        password: String,
    ) -> Result<(), AppError> {
        let wrong = || {
            AppError::invalid(
                "用户名或激活码不正确，或激活码已过期",
                "Wrong username or activation code, or the code has expired",
            )
        };
        let username = validate::username(&username)
            .map_err(|_| wrong())?
            .to_ascii_lowercase();
        validate::password(&password)?;
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() || code.len() > 32 {
            return Err(wrong());
        }
        let store = session::store()?;
        // Guessing activation codes is throttled like passwords, and a wrong
        // code costs the server no password hash.
        let address = crate::request::client_address();
        let now = now_millis();
        crate::auth::api::ssr::begin_attempt(&store, &username, &address, now).await?;
        let code_hash = session::token_hash(&code);
        if !store
            .activation_code_matches(&username, &code_hash, now)
            .await?
        {
            return Err(wrong());
        }
        let hash = password::hash_off_thread(&password).await?;
        match store.activate(&username, &code_hash, &hash, now).await? {
            Some(id) => {
                store.clear_login_failures(&username).await?;
                let user = store.user_by_id(id).await?;
                audit::record(
                    &store,
                    Actor::User(&user),
                    audit::AuditAction::UserActivated,
                    ("user", &id.to_string()),
                    "",
                )
                .await
            }
            // Used or expired between the two reads: the attempt stays a failure.
            None => Err(wrong()),
        }
    }

    pub async fn reset_password(
        phone: String,
        code: String,
        password: String,
    ) -> Result<(), AppError> {
        let store = session::store()?;
        let phone = PhoneNumber::parse(&phone)?;
        validate::password(&password)?;
        check_code(&phone, PURPOSE_RESET, &code).await?;
        let user = match store.user_by_phone(phone.as_str()).await {
            Ok(user) => user,
            // The code was real, so saying "no account" reveals nothing new.
            Err(DbError::NotFound) => {
                return Err(AppError::invalid(
                    "该手机号没有注册账号",
                    "No account uses this number",
                ));
            }
            Err(other) => return Err(other.into()),
        };
        let hash = password::hash_off_thread(&password).await?;
        store.set_password(user.id, &hash).await?;
        store.clear_login_failures(&user.username).await?;
        audit::record(
            &store,
            Actor::User(&user),
            audit::AuditAction::UserPasswordResetBySms,
            ("user", &user.id.to_string()),
            "",
        )
        .await
    }
}
