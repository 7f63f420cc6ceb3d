//! The learner's devices: the bound phone, devices it let in, approving a
//! waiting device, and asking for a new phone to be bound. Administrators (and
//! organizers, where configured) decide rebinding requests.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceOverview {
    /// Whether this account must study on a bound device at all.
    pub binding_required: bool,
    pub bound: Option<DeviceView>,
    pub approved: Vec<DeviceView>,
    /// This session runs on the bound device (and so may approve others).
    pub this_is_bound_device: bool,
    /// An open rebinding request, by its time (ms).
    pub rebind_requested_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    /// The approval id for approved devices (used to revoke), 0 for the bound one.
    pub id: i64,
    pub label: String,
    pub since: i64,
    pub until: Option<i64>,
}

/// A waiting device, as the bound phone is asked about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingApproval {
    pub short_code: String,
    pub label: String,
    pub address: String,
    pub requested_at: i64,
    pub decided: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebindRequestView {
    pub id: i64,
    pub username: String,
    pub real_name: String,
    pub reason: String,
    pub label: String,
    pub requested_at: i64,
}

#[server(endpoint = "devices/mine")]
pub async fn my_devices() -> Result<DeviceOverview, AppError> {
    crate::error::respond(ssr::my_devices().await)
}

#[server(endpoint = "devices/revoke")]
pub async fn revoke_device(id: i64) -> Result<(), AppError> {
    crate::error::respond(ssr::revoke_device(id).await)
}

#[server(endpoint = "devices/approval")]
pub async fn approval_details(code: String) -> Result<PendingApproval, AppError> {
    crate::error::respond(ssr::approval_details(code).await)
}

#[server(endpoint = "devices/approval/decide")]
pub async fn decide_approval(code: String, approve: bool) -> Result<(), AppError> {
    crate::error::respond(ssr::decide_approval(code, approve).await)
}

#[server(endpoint = "devices/rebind/request")]
pub async fn request_rebind(reason: String) -> Result<(), AppError> {
    crate::error::respond(ssr::request_rebind(reason).await)
}

#[server(endpoint = "devices/rebind/open")]
pub async fn rebind_requests() -> Result<Vec<RebindRequestView>, AppError> {
    crate::error::respond(ssr::rebind_requests().await)
}

#[server(endpoint = "devices/rebind/decide")]
pub async fn decide_rebind(id: i64, approve: bool) -> Result<(), AppError> {
    crate::error::respond(ssr::decide_rebind(id, approve).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::api::ssr::{file_rebind_request, identity_policy};
    use crate::auth::session::{self, Signed};
    use crate::store::{Store, now_millis};
    use academy_shared::device::normalize_short_code;
    use academy_shared::role::{Role, binding_required};

    pub async fn my_devices() -> Result<DeviceOverview, AppError> {
        let (me, store) = session::with_signed().await?;
        let policy = identity_policy()?;
        let now = now_millis();
        let bound = store.live_binding(me.user.id).await?;
        let approved = store
            .approved_devices(me.user.id, now, session::policy().idle_timeout_ms)
            .await?;
        Ok(DeviceOverview {
            binding_required: binding_required(&me.user.roles, policy.bind_staff),
            this_is_bound_device: bound
                .as_ref()
                .is_some_and(|b| me.link.binding_id == Some(b.id)),
            bound: bound.map(|b| DeviceView {
                id: 0,
                label: b.label,
                since: b.bound_at,
                until: None,
            }),
            approved: approved
                .into_iter()
                .map(|a| DeviceView {
                    id: a.approval_id,
                    label: a.label,
                    since: a.approved_at,
                    until: Some(a.expires_at),
                })
                .collect(),
            rebind_requested_at: store.open_rebind_request_of(me.user.id).await?,
        })
    }

    pub async fn revoke_device(id: i64) -> Result<(), AppError> {
        let (me, store) = session::with_signed().await?;
        store.revoke_approval(me.user.id, id, now_millis()).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::DeviceApprovalRevoked,
            ("approval", &id.to_string()),
            "",
        )
        .await
    }

    /// Only the bound device itself may answer for the account.
    async fn on_bound_device() -> Result<(Signed, Store), AppError> {
        let (me, store) = session::with_signed().await?;
        let bound = store.live_binding(me.user.id).await?;
        match bound {
            Some(binding) if me.link.binding_id == Some(binding.id) => Ok((me, store)),
            _ => Err(AppError::invalid(
                "请在已绑定的手机上打开此页面进行确认",
                "Please open this page on your bound phone",
            )),
        }
    }

    fn code_of(code: &str) -> Result<String, AppError> {
        normalize_short_code(code).ok_or_else(|| {
            AppError::invalid(
                "验证码格式不正确，应为 8 位字母数字",
                "The code should be 8 letters and digits",
            )
        })
    }

    pub async fn approval_details(code: String) -> Result<PendingApproval, AppError> {
        let code = code_of(&code)?;
        let (me, store) = on_bound_device().await?;
        let approval = store
            .approval_by_code(me.user.id, &code, now_millis())
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(PendingApproval {
            short_code: approval.short_code,
            label: approval.label,
            address: approval.address,
            requested_at: approval.requested_at,
            decided: match (approval.approved_at, approval.refused_at) {
                (Some(_), _) => Some(true),
                (_, Some(_)) => Some(false),
                _ => None,
            },
        })
    }

    pub async fn decide_approval(code: String, approve: bool) -> Result<(), AppError> {
        let code = code_of(&code)?;
        let (me, store) = on_bound_device().await?;
        let now = now_millis();
        let approval = store
            .approval_by_code(me.user.id, &code, now)
            .await?
            .ok_or(AppError::NotFound)?;
        store.decide_approval(approval.id, approve, now).await?;
        let action = if approve {
            audit::AuditAction::DeviceApproved
        } else {
            audit::AuditAction::DeviceApprovalRefused
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            action,
            ("approval", &approval.id.to_string()),
            approval.label,
        )
        .await
    }

    pub async fn request_rebind(reason: String) -> Result<(), AppError> {
        let (me, store) = session::with_signed().await?;
        file_rebind_request(&store, &me.user, &reason).await
    }

    async fn rebind_decider() -> Result<(Signed, Store), AppError> {
        let policy = identity_policy()?;
        let deciders: &[Role] = if policy.organizers_approve_rebinding {
            &[Role::Admin, Role::Organizer]
        } else {
            &[Role::Admin]
        };
        session::with_role(deciders).await
    }

    /// The open requests `me` may decide.
    async fn decidable(
        store: &Store,
        me: &Signed,
    ) -> Result<Vec<crate::store::RebindRequest>, AppError> {
        let mut mine = Vec::new();
        for request in store.open_rebind_requests().await? {
            let target = store.user_by_id(request.user_id).await?;
            if academy_shared::role::may_approve_rebinding(&me.user.roles, &target.roles) {
                mine.push(request);
            }
        }
        Ok(mine)
    }

    pub async fn rebind_requests() -> Result<Vec<RebindRequestView>, AppError> {
        let (me, store) = rebind_decider().await?;
        Ok(decidable(&store, &me)
            .await?
            .into_iter()
            .map(|r| RebindRequestView {
                id: r.id,
                username: r.username,
                real_name: r.real_name,
                reason: r.reason,
                label: r.label,
                requested_at: r.requested_at,
            })
            .collect())
    }

    pub async fn decide_rebind(id: i64, approve: bool) -> Result<(), AppError> {
        let (me, store) = rebind_decider().await?;
        // An organizer may not take over an administrator's or another
        // organizer's account by approving its move to a new phone.
        if !decidable(&store, &me).await?.iter().any(|r| r.id == id) {
            return Err(AppError::Forbidden);
        }
        let user = store
            .decide_rebind(id, me.user.id, approve, now_millis())
            .await?;
        let action = if approve {
            audit::AuditAction::DeviceRebindApproved
        } else {
            audit::AuditAction::DeviceRebindRefused
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            action,
            ("user", &user.to_string()),
            format!("request {id}"),
        )
        .await
    }
}
