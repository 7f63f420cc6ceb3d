//! Server functions for signing in and out, and for letting a second device in
//! with the bound phone's approval. Each checks everything itself: the
//! browser's word is taken for nothing but the typed credentials.

use super::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a successful sign-in tells the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginOutcome {
    pub user: CurrentUser,
    /// The device key to keep in web storage (bound accounts only), so the
    /// device is recognised even if the webview loses its cookies.
    pub device_key: Option<String>,
}

/// What the second device shows while it waits for the bound phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalTicket {
    /// Proves to [`poll_approval`] that this browser made the request.
    pub secret: String,
    pub short_code: String,
    pub approve_url: String,
    /// The approve URL as a QR code (an SVG document made on the server).
    pub qr_svg: String,
    pub expires_in_seconds: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApprovalStatus {
    Pending,
    /// Approved: this browser now has a session.
    Approved(CurrentUser),
    Refused,
    Expired,
}

/// Who is signed in on this request (`None` for visitors).
#[server(endpoint = "auth/me")]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    crate::error::respond(super::session::current_user().await)
}

/// Signs in with username or phone number and password. The same answer,
/// after the same work, for an unknown name and a wrong password.
#[server(endpoint = "auth/login")]
pub async fn login(
    username: String,
    password: String,
    device_key: Option<String>,
    /// The device key's signature over a fresh challenge
    /// (`academy_shared::device::DeviceProof`), when the browser has one.
    device_proof: Option<String>,
) -> Result<LoginOutcome, AppError> {
    crate::error::respond(ssr::login(username, password, device_key, device_proof).await)
}

/// A one-time challenge for the device key to sign (anyone may ask; a few a
/// minute per address).
#[server(endpoint = "auth/device-challenge")]
pub async fn device_challenge() -> Result<String, AppError> {
    crate::error::respond(ssr::device_challenge().await)
}

/// Ends this browser's session. Harmless when not signed in.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::error::respond(ssr::logout().await)
}

/// From a device the account is not bound to: asks the bound phone to let
/// this one in. The credentials are checked again (and count as attempts).
#[server(endpoint = "auth/approval/start")]
pub async fn start_approval(
    username: String,
    password: String,
) -> Result<ApprovalTicket, AppError> {
    crate::error::respond(ssr::start_approval(username, password).await)
}

/// The waiting device asks whether its request was decided.
#[server(endpoint = "auth/approval/poll")]
pub async fn poll_approval(secret: String) -> Result<ApprovalStatus, AppError> {
    crate::error::respond(ssr::poll_approval(secret).await)
}

/// A learner who lost or replaced the bound phone asks for the new device to
/// be bound; an administrator decides.
#[server(endpoint = "auth/rebind/request")]
pub async fn request_rebind_with_password(
    username: String,
    password: String,
    reason: String,
) -> Result<(), AppError> {
    crate::error::respond(ssr::request_rebind(username, password, reason).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    pub use super::super::{password, session};
    use super::{ApprovalStatus, ApprovalTicket, LoginOutcome};
    use crate::audit::{self, Actor};
    use crate::auth::policy::IdentityPolicy;
    use crate::error::AppError;
    use crate::store::{DbError, SessionLink, Store, UserRecord, now_millis};
    use academy_shared::device::{describe_user_agent, short_code};
    use academy_shared::phone::PhoneNumber;
    use academy_shared::role::binding_required;
    use academy_shared::throttle::{Throttle, minutes_left};
    use academy_shared::validate;
    use leptos::prelude::*;

    pub fn identity_policy() -> Result<IdentityPolicy, AppError> {
        use_context::<IdentityPolicy>()
            .ok_or_else(|| AppError::internal("no identity policy in the request context"))
    }

    fn wrong() -> AppError {
        AppError::invalid("用户名或密码不正确", "Wrong username or password")
    }

    /// The account a sign-in names: by phone number if it is one, else by
    /// username. Returns the throttling key too (the account's username when
    /// it exists, so that a lock holds whichever way the name is typed).
    async fn lookup(store: &Store, login: &str) -> Result<(String, Option<UserRecord>), AppError> {
        let found = if let Ok(phone) = PhoneNumber::parse(login) {
            store.user_by_phone(phone.as_str()).await
        } else {
            let name = validate::username(login).map_err(|_| wrong())?;
            store.user_by_username(&name.to_ascii_lowercase()).await
        };
        match found {
            Ok(user) => Ok((user.username.clone(), Some(user))),
            Err(DbError::NotFound) => Ok((login.trim().to_ascii_lowercase(), None)),
            Err(other) => Err(other.into()),
        }
    }

    /// Checks a typed name and password with throttling, recording failures.
    pub async fn verify_credentials(login: &str, password: &str) -> Result<UserRecord, AppError> {
        if password.is_empty() || password.chars().count() > validate::PASSWORD_MAX_CHARS {
            return Err(wrong());
        }
        let store = session::store()?;
        let (key, user) = lookup(&store, login).await?;
        let now = now_millis();
        let address = crate::request::client_address();
        begin_attempt(&store, &key, &address, now).await?;
        // An unknown name is checked against a real hash too: the same work, the
        // same time, so response timing does not tell which names exist.
        static UNKNOWN_USER_HASH: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| password::hash("no such user").unwrap_or_default());
        let stored = user
            .as_ref()
            .filter(|u| !u.password_hash.is_empty())
            .map_or(UNKNOWN_USER_HASH.as_str(), |u| u.password_hash.as_str());
        let password_ok = password::verify_off_thread(password, stored).await?
            && user.as_ref().is_some_and(|u| !u.password_hash.is_empty());
        let Some(user) = user.filter(|_| password_ok) else {
            // The attempt stays recorded as a failure, by name whether or not
            // it exists: an unknown name locks exactly like a known one, so
            // the lock tells nothing either.
            audit::record(
                &store,
                Actor::Anonymous(&key),
                audit::AuditAction::LoginFailed,
                ("user", &key),
                "",
            )
            .await?;
            return Err(wrong());
        };
        store.clear_login_failures(&key).await?;
        if user.disabled {
            return Err(AppError::invalid(
                "该账号已停用，请联系管理员",
                "This account is disabled; please contact an administrator",
            ));
        }
        Ok(user)
    }

    pub async fn device_challenge() -> Result<String, AppError> {
        let store = session::store()?;
        let address = crate::request::client_address();
        crate::auth::device_proof::issue_challenge(&store, &address, now_millis()).await
    }

    pub async fn login(
        login: String,
        password: String,
        device_key: Option<String>,
        device_proof: Option<String>,
    ) -> Result<LoginOutcome, AppError> {
        let store = session::store()?;
        let user = verify_credentials(&login, &password).await?;
        let (link, key) = device_link(&store, &user, device_key, device_proof).await?;
        session::open(&store, &user, link).await?;
        audit::record(
            &store,
            Actor::User(&user),
            audit::AuditAction::LoginSucceeded,
            ("user", &user.id.to_string()),
            "",
        )
        .await?;
        Ok(LoginOutcome {
            user: crate::auth::CurrentUser::from_record(&user),
            device_key: key,
        })
    }

    /// Ties the new session to the account's bound device, binding this one if
    /// none is bound yet; refuses another device. Returns the bearer key to
    /// keep (none for a device bound by its key pair).
    ///
    /// A device bound by key pair is let in only by a fresh signature of its
    /// key (`submitted_proof`); cookies and web storage prove nothing for it.
    pub async fn device_link(
        store: &Store,
        user: &UserRecord,
        submitted_key: Option<String>,
        submitted_proof: Option<String>,
    ) -> Result<(SessionLink, Option<String>), AppError> {
        use crate::auth::device_proof;
        use academy_shared::device::{DeviceProof, ProofPurpose};
        let policy = identity_policy()?;
        if !binding_required(&user.roles, policy.bind_staff) {
            return Ok((SessionLink::default(), None));
        }
        // The cookie is the first witness; web storage is the second, for
        // webviews that lose cookies between launches.
        let key = session::request_device_key()
            .or_else(|| submitted_key.filter(|k| session::is_token(k)));
        let proof = submitted_proof.as_deref().and_then(DeviceProof::decode);
        let now = now_millis();
        let label = describe_user_agent(&session::user_agent().unwrap_or_default());
        let binding = match store.live_binding(user.id).await? {
            Some(binding) => binding,
            None => {
                // Bound by its key pair when the browser proved one.
                let public_key =
                    device_proof::accept(store, proof.as_ref(), None, ProofPurpose::SignIn, now)
                        .await?
                        .then(|| proof.as_ref().map(|p| p.public_key.clone()))
                        .flatten();
                let key = key.clone().unwrap_or_else(session::new_token);
                match store
                    .bind_device(
                        user.id,
                        &session::token_hash(&key),
                        public_key.as_deref(),
                        &label,
                        now,
                    )
                    .await
                {
                    Ok(binding) => {
                        audit::record(
                            store,
                            Actor::User(user),
                            audit::AuditAction::DeviceBound,
                            ("user", &user.id.to_string()),
                            if public_key.is_some() {
                                format!("{label} (key pair)")
                            } else {
                                label
                            },
                        )
                        .await?;
                        let link = SessionLink {
                            binding_id: Some(binding),
                            approval_id: None,
                        };
                        if public_key.is_some() {
                            return Ok((link, None));
                        }
                        session::set_device_cookie(&key);
                        return Ok((link, Some(key)));
                    }
                    // Two first sign-ins raced; the other one bound its device.
                    Err(DbError::Conflict(_)) => store
                        .live_binding(user.id)
                        .await?
                        .ok_or_else(|| AppError::internal("binding vanished after a conflict"))?,
                    Err(other) => return Err(other.into()),
                }
            }
        };
        // Let in with the bearer key to keep (`Some(None)` for a device bound
        // by key pair, which is let in by its signature alone), or refused.
        let let_in: Option<Option<String>> = match (&binding.public_key, key) {
            (Some(bound_key), _) => device_proof::accept(
                store,
                proof.as_ref(),
                Some(bound_key),
                ProofPurpose::SignIn,
                now,
            )
            .await?
            .then_some(None),
            (None, Some(key)) if session::token_hash(&key) == binding.key_hash => {
                // A device bound by bearer key that now has a key pair is
                // bound by it from here on.
                if device_proof::accept(store, proof.as_ref(), None, ProofPurpose::SignIn, now)
                    .await?
                    && let Some(proof) = &proof
                {
                    store.upgrade_binding(binding.id, &proof.public_key).await?;
                }
                session::set_device_cookie(&key);
                Some(Some(key))
            }
            (None, _) => None,
        };
        match let_in {
            Some(kept_key) => {
                store.touch_binding(binding.id, now).await?;
                Ok((
                    SessionLink {
                        binding_id: Some(binding.id),
                        approval_id: None,
                    },
                    kept_key,
                ))
            }
            None => {
                audit::record(
                    store,
                    Actor::User(user),
                    audit::AuditAction::LoginRefusedOtherDevice,
                    ("user", &user.id.to_string()),
                    label,
                )
                .await?;
                Err(AppError::DeviceNotBound)
            }
        }
    }

    /// Refuses while this account name, or this address, has failed too often.
    /// Records a sign-in attempt of `username` from `address` and refuses it
    /// when that account at that address, or that address, is locked by the
    /// failures recorded before it (parallel attempts included). The record
    /// stands as a failure unless a success clears it.
    pub async fn begin_attempt(
        store: &Store,
        username: &str,
        address: &str,
        now: i64,
    ) -> Result<i64, AppError> {
        let lookback = Throttle::ACCOUNT
            .lookback_ms()
            .max(Throttle::ADDRESS.lookback_ms());
        let attempt = store.begin_login_attempt(username, address, now).await?;
        let (here, from_address) = store
            .login_failures_before(username, address, attempt, now - lookback)
            .await?;
        match academy_shared::throttle::sign_in_locked_until(&here, &from_address, now) {
            Some(until) => {
                store.forget_login_attempt(attempt).await?;
                Err(AppError::SignInLocked {
                    minutes: minutes_left(until, now),
                })
            }
            None => Ok(attempt),
        }
    }

    pub async fn logout() -> Result<(), AppError> {
        if let Some(token) = session::request_token() {
            session::store()?
                .delete_session(&session::token_hash(&token))
                .await?;
        }
        session::clear_cookie();
        Ok(())
    }

    pub async fn start_approval(
        login: String,
        password: String,
    ) -> Result<ApprovalTicket, AppError> {
        let store = session::store()?;
        let user = verify_credentials(&login, &password).await?;
        let policy = identity_policy()?;
        let Some(binding) = store.live_binding(user.id).await? else {
            return Err(AppError::invalid(
                "该账号还没有绑定手机，直接登录即可",
                "This account has no bound phone yet; just sign in",
            ));
        };
        let now = now_millis();
        let code = short_code(&mut rand::rng());
        let secret = session::new_token();
        let label = describe_user_agent(&session::user_agent().unwrap_or_default());
        let address = crate::request::client_address();
        let id = store
            .create_approval(
                user.id,
                binding.id,
                &code,
                &session::token_hash(&secret),
                &label,
                &address,
                now,
                now + policy.approval_ttl_ms,
            )
            .await?;
        audit::record(
            &store,
            Actor::User(&user),
            audit::AuditAction::DeviceApprovalRequested,
            ("approval", &id.to_string()),
            label,
        )
        .await?;
        let approve_url = format!(
            "{}/approve?code={code}",
            policy.public_url.trim_end_matches('/')
        );
        Ok(ApprovalTicket {
            qr_svg: qr_svg(&approve_url)?,
            secret,
            short_code: code,
            approve_url,
            expires_in_seconds: policy.approval_ttl_ms / 1000,
        })
    }

    fn qr_svg(text: &str) -> Result<String, AppError> {
        let code = qrcode::QrCode::new(text.as_bytes()).map_err(AppError::internal)?;
        Ok(code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build())
    }

    pub async fn poll_approval(secret: String) -> Result<ApprovalStatus, AppError> {
        if !session::is_token(&secret) {
            return Err(AppError::NotFound);
        }
        let store = session::store()?;
        let approval = store
            .approval_by_secret(&session::token_hash(&secret))
            .await?
            .ok_or(AppError::NotFound)?;
        let now = now_millis();
        if approval.refused_at.is_some() || approval.revoked_at.is_some() {
            return Ok(ApprovalStatus::Refused);
        }
        if approval.claimed_at.is_some() {
            return Ok(ApprovalStatus::Expired);
        }
        if approval.approved_at.is_none() {
            return Ok(if approval.expires_at <= now {
                ApprovalStatus::Expired
            } else {
                ApprovalStatus::Pending
            });
        }
        let user = store.user_by_id(approval.user_id).await?;
        if user.disabled || !store.claim_approval(approval.id, now).await? {
            return Ok(ApprovalStatus::Refused);
        }
        let link = SessionLink {
            binding_id: None,
            approval_id: Some(approval.id),
        };
        session::open(&store, &user, link).await?;
        audit::record(
            &store,
            Actor::User(&user),
            audit::AuditAction::LoginSucceededByApproval,
            ("approval", &approval.id.to_string()),
            approval.label,
        )
        .await?;
        Ok(ApprovalStatus::Approved(
            crate::auth::CurrentUser::from_record(&user),
        ))
    }

    pub async fn request_rebind(
        login: String,
        password: String,
        reason: String,
    ) -> Result<(), AppError> {
        let store = session::store()?;
        let user = verify_credentials(&login, &password).await?;
        file_rebind_request(&store, &user, &reason).await
    }

    pub async fn file_rebind_request(
        store: &Store,
        user: &UserRecord,
        reason: &str,
    ) -> Result<(), AppError> {
        let reason = reason.trim();
        let count = reason.chars().count();
        if count == 0 || count > 200 {
            return Err(AppError::invalid(
                "请简要说明更换手机的原因（不超过 200 字）",
                "Please give a short reason (at most 200 characters)",
            ));
        }
        let label = describe_user_agent(&session::user_agent().unwrap_or_default());
        match store
            .request_rebind(user.id, reason, &label, now_millis())
            .await
        {
            Ok(id) => {
                audit::record(
                    store,
                    Actor::User(user),
                    audit::AuditAction::DeviceRebindRequested,
                    ("rebind", &id.to_string()),
                    reason,
                )
                .await
            }
            Err(DbError::Conflict(_)) => Err(AppError::invalid(
                "您已提交过更换绑定申请，请等待管理员审核",
                "You already asked for rebinding; please wait for an administrator",
            )),
            Err(other) => Err(other.into()),
        }
    }
}
