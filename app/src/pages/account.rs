//! `/account`: what is on record (the whole phone number: it is the owner's),
//! the password, the bound device and devices it let in, rebinding.

use crate::auth::account::{ChangePassword, my_profile};
use crate::auth::devices::{RequestRebind, RevokeDevice, my_devices};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::Loaded;
use crate::components::text::use_tr;
use academy_shared::time::format_china_time;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let tr = use_tr();
    let profile = Resource::new(|| (), |_| my_profile());
    let change = ServerAction::<ChangePassword>::new();
    let revoke = ServerAction::<RevokeDevice>::new();
    let rebind = ServerAction::<RequestRebind>::new();
    let devices = Resource::new(
        move || (revoke.version().get(), rebind.version().get()),
        |_| my_devices(),
    );
    view! {
        <h1>{move || tr.t("我的账号", "My account")}</h1>
        <Loaded resource=profile sign_in=true let:p>
            <section class="card">
                <h2>{move || tr.t("基本信息", "On record")}</h2>
                <dl class="facts" data-testid="profile">
                    <dt>{move || tr.t("用户名", "Username")}</dt>
                    <dd>{p.username.clone()}</dd>
                    <dt>{move || tr.t("姓名", "Name")}</dt>
                    <dd>{p.real_name.clone()}</dd>
                    <dt>{move || tr.t("手机号", "Mobile")}</dt>
                    <dd>{p.phone.clone().unwrap_or_default()}</dd>
                    <dt>{move || tr.t("地区", "Region")}</dt>
                    <dd>{p.region.clone().unwrap_or_default()}</dd>
                    <dt>{move || tr.t("工作单位/党支部", "Work unit")}</dt>
                    <dd>{p.work_unit.clone().unwrap_or_default()}</dd>
                </dl>
            </section>
        </Loaded>
        <section class="card">
            <h2>{move || tr.t("修改密码", "Change password")}</h2>
            <ActionForm action=change attr:class="form" attr:data-testid="password-form">
                <input type="text" name="username" autocomplete="username" hidden />
                <label for="current-password">
                    {move || tr.t("当前密码", "Current password")}
                </label>
                <input
                    id="current-password"
                    name="current_password"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                <label for="new-password">
                    {move || {
                        tr.t("新密码（至少 8 位）", "New password (8 characters or more)")
                    }}
                </label>
                <input
                    id="new-password"
                    name="new_password"
                    type="password"
                    autocomplete="new-password"
                    minlength="8"
                    required
                />
                <ErrorMessage error=Signal::derive(move || {
                    change.value().get().and_then(Result::err)
                }) />
                <Show when=move || matches!(change.value().get(), Some(Ok(())))>
                    <p class="success-message" role="status">
                        {move || {
                            tr.t(
                                "密码已修改，其他设备上的登录已退出。",
                                "Password changed; other sessions were signed out.",
                            )
                        }}
                    </p>
                </Show>
                <button type="submit" class="primary">
                    {move || tr.t("保存", "Save")}
                </button>
            </ActionForm>
        </section>
        <section class="card" data-testid="devices">
            <h2>{move || tr.t("我的设备", "My devices")}</h2>
            <Loaded resource=devices let:d>
                {match d {
                    d if !d.binding_required => {
                        view! {
                            <p>
                                {move || {
                                    tr.t(
                                        "您的账号无需绑定设备。",
                                        "Your account is not bound to a device.",
                                    )
                                }}
                            </p>
                        }
                            .into_any()
                    }
                    d => {
                        view! {
                            {match d.bound.clone() {
                                Some(bound) => {
                                    view! {
                                        <p data-testid="bound-device">
                                            {move || tr.t("已绑定：", "Bound: ")}
                                            <strong>{bound.label.clone()}</strong>
                                            {format!(" · {}", format_china_time(bound.since))}
                                            {d
                                                .this_is_bound_device
                                                .then(|| {
                                                    view! {
                                                        <span class="tag">
                                                            {move || tr.t("本机", "this device")}
                                                        </span>
                                                    }
                                                })}
                                        </p>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <p>
                                            {move || {
                                                tr.t(
                                                    "尚未绑定，下次登录的设备将被绑定。",
                                                    "None yet: the next device you sign in on will be bound.",
                                                )
                                            }}
                                        </p>
                                    }
                                        .into_any()
                                }
                            }}
                            {d
                                .this_is_bound_device
                                .then(|| {
                                    view! {
                                        <p>
                                            <a href="/approve" class="button">
                                                {move || tr.t("批准新设备登录", "Approve a device")}
                                            </a>
                                        </p>
                                    }
                                })}
                            <h3>
                                {move || tr.t("经批准登录的设备", "Devices you approved")}
                            </h3>
                            <ul class="plain-list">
                                {d
                                    .approved
                                    .iter()
                                    .map(|a| {
                                        let id = a.id;
                                        view! {
                                            <li data-testid="approved-device">
                                                {a.label.clone()}
                                                {format!(" · {}", format_china_time(a.since))}
                                                <ActionForm action=revoke attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id.to_string() />
                                                    <button type="submit">
                                                        {move || tr.t("退出该设备", "Sign it out")}
                                                    </button>
                                                </ActionForm>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            {match d.rebind_requested_at {
                                Some(at) => {
                                    view! {
                                        <p>
                                            {move || {
                                                tr.t(
                                                    "更换绑定申请已提交，等待审核：",
                                                    "Rebinding requested, awaiting approval: ",
                                                )
                                            }}{format_china_time(at)}
                                        </p>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <details>
                                            <summary>
                                                {move || {
                                                    tr.t("申请更换绑定手机", "Ask to bind a new phone")
                                                }}
                                            </summary>
                                            <ActionForm action=rebind attr:class="form">
                                                <label for="rebind-reason">
                                                    {move || tr.t("更换原因", "Reason")}
                                                </label>
                                                <textarea
                                                    id="rebind-reason"
                                                    name="reason"
                                                    required
                                                    maxlength="200"
                                                ></textarea>
                                                <ErrorMessage error=Signal::derive(move || {
                                                    rebind.value().get().and_then(Result::err)
                                                }) />
                                                <button type="submit">
                                                    {move || tr.t("提交申请", "Send request")}
                                                </button>
                                            </ActionForm>
                                        </details>
                                    }
                                        .into_any()
                                }
                            }}
                        }
                            .into_any()
                    }
                }}
            </Loaded>
        </section>
    }
}
