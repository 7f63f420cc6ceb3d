//! `/admin/users`, `/admin/users/new`, `/admin/users/:id`.

use super::AdminNav;
use crate::admin::users::{
    ClearLock, CreateUser, ResetPassword, SetDisabled, SetRoles, UnbindDevice, UpdateUser,
    list_users, user_detail,
};
use crate::auth::register::region_options;
use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::{Tr, use_tr};
use academy_shared::role::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn role_label(tr: Tr, role: Role) -> &'static str {
    if tr.is_en() {
        role.label_en()
    } else {
        role.label_zh()
    }
}

#[component]
fn RegionSelect(
    name: &'static str,
    id: &'static str,
    selected: Option<i64>,
    #[prop(optional)] any: bool,
) -> impl IntoView {
    let tr = use_tr();
    let regions = Resource::new(|| (), |_| region_options());
    view! {
        <select id=id name=name>
            <option value="">
                {move || {
                    if any {
                        tr.t("全部地区", "All regions")
                    } else {
                        tr.t("请选择", "Choose")
                    }
                }}
            </option>
            <Suspense fallback=|| ()>
                {move || {
                    regions
                        .get()
                        .and_then(Result::ok)
                        .map(|list| {
                            list.into_iter()
                                .map(|r| {
                                    view! {
                                        <option
                                            value=r.id.to_string()
                                            selected=selected == Some(r.id)
                                        >
                                            {r.path}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </Suspense>
        </select>
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let page = Resource::new(
        move || query.get(),
        |q| async move {
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            list_users(
                get("text"),
                get("region_id").and_then(|r| r.parse().ok()),
                get("role"),
                get("bound"),
                get("page").and_then(|p| p.parse().ok()),
            )
            .await
        },
    );
    let q = move |k: &str| query.read().get(k).unwrap_or_default();
    view! {
        <AdminNav />
        <h1>{move || tr.t("用户管理", "Users")}</h1>
        <form class="filters" method="get" action="/admin/users">
            <label for="f-text">{move || tr.t("搜索", "Search")}</label>
            <input
                id="f-text"
                name="text"
                type="search"
                placeholder=move || {
                    tr.t("姓名、用户名或手机号", "Name, username or number")
                }
                prop:value=move || q("text")
            />
            <label for="f-region">{move || tr.t("地区", "Region")}</label>
            <RegionSelect
                name="region_id"
                id="f-region"
                selected=q("region_id").parse().ok()
                any=true
            />
            <label for="f-role">{move || tr.t("角色", "Role")}</label>
            <select id="f-role" name="role">
                <option value="">{move || tr.t("全部角色", "All roles")}</option>
                {Role::ALL
                    .into_iter()
                    .map(|r| {
                        view! {
                            <option value=r.code() selected=move || q("role") == r.code()>
                                {move || role_label(tr, r)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="f-bound">{move || tr.t("设备", "Device")}</label>
            <select id="f-bound" name="bound">
                <option value="">{move || tr.t("不限", "Any")}</option>
                <option value="yes" selected=move || q("bound") == "yes">
                    {move || tr.t("已绑定", "Bound")}
                </option>
                <option value="no" selected=move || q("bound") == "no">
                    {move || tr.t("未绑定", "Not bound")}
                </option>
            </select>
            <button type="submit">{move || tr.t("筛选", "Filter")}</button>
        </form>
        <Loaded resource=page let:p>
            {
                let pages = (p.total + p.page_size - 1) / p.page_size;
                view! {
                    <p>{move || tr.t("共 ", "")}{p.total}{move || tr.t(" 人", " accounts")}</p>
                    <div class="table-wrap">
                        <table class="data-table" data-testid="users-table">
                            <thead>
                                <tr>
                                    <th>{move || tr.t("用户名", "Username")}</th>
                                    <th>{move || tr.t("姓名", "Name")}</th>
                                    <th>{move || tr.t("手机号", "Mobile")}</th>
                                    <th>{move || tr.t("地区", "Region")}</th>
                                    <th>{move || tr.t("角色", "Roles")}</th>
                                    <th>{move || tr.t("设备", "Device")}</th>
                                    <th>{move || tr.t("状态", "State")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {p
                                    .rows
                                    .into_iter()
                                    .map(|u| {
                                        let roles = u.roles.clone();
                                        view! {
                                            <tr>
                                                <td>
                                                    <a href=format!("/admin/users/{}", u.id)>{u.username}</a>
                                                </td>
                                                <td>{u.real_name}</td>
                                                <td>{u.phone.unwrap_or_default()}</td>
                                                <td>{u.region.unwrap_or_default()}</td>
                                                <td>
                                                    {move || {
                                                        roles
                                                            .iter()
                                                            .map(|r| role_label(tr, *r))
                                                            .collect::<Vec<_>>()
                                                            .join("、")
                                                    }}
                                                </td>
                                                <td>{u.device.unwrap_or_else(|| "—".into())}</td>
                                                <td>
                                                    {move || {
                                                        if u.disabled {
                                                            tr.t("已停用", "Disabled")
                                                        } else if u.activation_pending {
                                                            tr.t("待激活", "Not activated")
                                                        } else {
                                                            tr.t("正常", "Active")
                                                        }
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <nav class="pager">
                        {(0..pages.min(50))
                            .map(|n| {
                                let mut params = query.get_untracked();
                                params.replace("page", n.to_string());
                                view! {
                                    <a
                                        href=format!("/admin/users{}", params.to_query_string())
                                        aria-current=(n == p.page).then_some("page")
                                    >
                                        {n + 1}
                                    </a>
                                }
                            })
                            .collect_view()}
                    </nav>
                }
            }
        </Loaded>
    }
}

#[component]
fn RoleChecks(selected: Vec<Role>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <fieldset class="checks">
            <legend>{move || tr.t("角色", "Roles")}</legend>
            {Role::ALL
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    view! {
                        <label>
                            <input
                                type="checkbox"
                                name=format!("roles[{i}]")
                                value=r.code()
                                checked=selected.contains(&r)
                            />
                            {move || role_label(tr, r)}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
pub fn AdminNewUserPage() -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<CreateUser>::new();
    view! {
        <AdminNav />
        <section class="card">
            <h1>{move || tr.t("新建账号", "New account")}</h1>
            <ActionForm action=create attr:class="form" attr:data-testid="create-user-form">
                <label for="n-username">{move || tr.t("用户名", "Username")}</label>
                <input id="n-username" name="username" type="text" autocomplete="off" required />
                <label for="n-name">{move || tr.t("真实姓名", "Real name")}</label>
                <input id="n-name" name="real_name" type="text" autocomplete="off" required />
                <label for="n-phone">{move || tr.t("手机号", "Mobile")}</label>
                <input id="n-phone" name="phone" type="tel" autocomplete="off" required />
                <label for="n-region">{move || tr.t("地区", "Region")}</label>
                <RegionSelect name="region_id" id="n-region" selected=None />
                <label for="n-unit">{move || tr.t("工作单位/党支部", "Work unit")}</label>
                <input id="n-unit" name="work_unit" type="text" autocomplete="off" />
                <RoleChecks selected=vec![Role::Learner] />
                <ErrorMessage error=Signal::derive(move || {
                    create.value().get().and_then(Result::err)
                }) />
                <button type="submit" class="primary">
                    {move || tr.t("创建", "Create")}
                </button>
            </ActionForm>
            {move || {
                create
                    .value()
                    .get()
                    .and_then(Result::ok)
                    .map(|code| {
                        view! {
                            <div
                                class="success-message"
                                role="status"
                                data-testid="activation-code"
                            >
                                <p>
                                    {move || {
                                        tr.t(
                                            "账号已创建。请把用户名和激活码交给本人，在“激活账号”页面设置密码（仅显示这一次）：",
                                            "Created. Hand the username and this code to its owner, to set a password on the activation page (shown once):",
                                        )
                                    }}
                                </p>
                                <p>
                                    <strong>{code.username.clone()}</strong>
                                    " · "
                                    <code>{code.code.clone()}</code>
                                </p>
                            </div>
                        }
                    })
            }}
        </section>
    }
}

#[component]
pub fn AdminUserPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<i64>();
    let update = ServerAction::<UpdateUser>::new();
    let roles = ServerAction::<SetRoles>::new();
    let disable = ServerAction::<SetDisabled>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let unbind = ServerAction::<UnbindDevice>::new();
    let unlock = ServerAction::<ClearLock>::new();
    let detail = Resource::new(
        move || {
            (
                id.get(),
                update.version().get(),
                roles.version().get(),
                disable.version().get(),
                reset.version().get(),
                unbind.version().get(),
                unlock.version().get(),
            )
        },
        |(id, ..)| async move { user_detail(found(id)?).await },
    );
    let errors = Signal::derive(move || {
        [
            update.value().get(),
            roles.value().get(),
            disable.value().get(),
            unbind.value().get(),
            unlock.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(Result::err)
        .or_else(|| reset.value().get().and_then(Result::err))
    });
    view! {
        <AdminNav />
        <Loaded resource=detail let:d>
            {
                let uid = d.row.id;
                let field = |v: &Option<String>| v.clone().unwrap_or_default();
                view! {
                    <h1>{d.row.real_name.clone()}" ("{d.row.username.clone()}")"</h1>
                    <ErrorMessage error=errors />
                    <section class="card">
                        <h2>{move || tr.t("账号状态", "State")}</h2>
                        <dl class="facts" data-testid="user-state">
                            <dt>{move || tr.t("设备", "Device")}</dt>
                            <dd>{d.row.device.clone().unwrap_or_else(|| "—".into())}</dd>
                            <dt>{move || tr.t("状态", "State")}</dt>
                            <dd>
                                {move || {
                                    if d.row.disabled {
                                        tr.t("已停用", "Disabled")
                                    } else if d.row.activation_pending {
                                        tr.t("待激活", "Not activated")
                                    } else {
                                        tr.t("正常", "Active")
                                    }
                                }}
                            </dd>
                            <dt>{move || tr.t("登录锁定", "Sign-in lock")}</dt>
                            <dd>
                                {match d.locked_minutes {
                                    Some(m) => format!("{m} min"),
                                    None => "—".into(),
                                }}
                            </dd>
                        </dl>
                        <div class="button-row">
                            <ActionForm action=disable attr:class="inline-form">
                                <input type="hidden" name="id" value=uid.to_string() />
                                <input
                                    type="hidden"
                                    name="disabled"
                                    value=(!d.row.disabled).to_string()
                                />
                                <button type="submit" data-testid="toggle-disabled">
                                    {move || {
                                        if d.row.disabled {
                                            tr.t("启用", "Enable")
                                        } else {
                                            tr.t("停用", "Disable")
                                        }
                                    }}
                                </button>
                            </ActionForm>
                            <ActionForm action=reset attr:class="inline-form">
                                <input type="hidden" name="id" value=uid.to_string() />
                                <button type="submit" data-testid="reset-password">
                                    {move || tr.t("重置密码", "Reset password")}
                                </button>
                            </ActionForm>
                            <ActionForm action=unbind attr:class="inline-form">
                                <input type="hidden" name="id" value=uid.to_string() />
                                <button type="submit" data-testid="unbind">
                                    {move || tr.t("解除设备绑定", "Unbind device")}
                                </button>
                            </ActionForm>
                            <ActionForm action=unlock attr:class="inline-form">
                                <input type="hidden" name="id" value=uid.to_string() />
                                <button type="submit" data-testid="clear-lock">
                                    {move || tr.t("解除登录锁定", "Clear lock")}
                                </button>
                            </ActionForm>
                        </div>
                        {move || {
                            reset
                                .value()
                                .get()
                                .and_then(Result::ok)
                                .map(|code| {
                                    view! {
                                        <p
                                            class="success-message"
                                            role="status"
                                            data-testid="activation-code"
                                        >
                                            {move || {
                                                tr.t(
                                                    "密码已重置，所有登录已退出。激活码（仅显示一次）：",
                                                    "Password reset, every session ended. Activation code (shown once): ",
                                                )
                                            }}
                                            <code>{code.code.clone()}</code>
                                        </p>
                                    }
                                })
                        }}
                    </section>
                    <section class="card">
                        <h2>{move || tr.t("基本信息", "Details")}</h2>
                        <ActionForm action=update attr:class="form">
                            <input type="hidden" name="id" value=uid.to_string() />
                            <label for="e-name">{move || tr.t("真实姓名", "Real name")}</label>
                            <input
                                id="e-name"
                                name="real_name"
                                type="text"
                                autocomplete="off"
                                value=d.row.real_name.clone()
                                required
                            />
                            <label for="e-phone">{move || tr.t("手机号", "Mobile")}</label>
                            <input
                                id="e-phone"
                                name="phone"
                                type="tel"
                                autocomplete="off"
                                value=field(&d.row.phone)
                                required
                            />
                            <label for="e-region">{move || tr.t("地区", "Region")}</label>
                            <RegionSelect name="region_id" id="e-region" selected=d.region_id />
                            <label for="e-unit">
                                {move || tr.t("工作单位/党支部", "Work unit")}
                            </label>
                            <input
                                id="e-unit"
                                name="work_unit"
                                type="text"
                                autocomplete="off"
                                value=field(&d.row.work_unit)
                            />
                            <label for="e-gender">{move || tr.t("性别", "Gender")}</label>
                            <input
                                id="e-gender"
                                name="gender"
                                type="text"
                                autocomplete="off"
                                value=field(&d.gender)
                            />
                            <label for="e-birth">
                                {move || tr.t("出生年份", "Birth year")}
                            </label>
                            <input
                                id="e-birth"
                                name="birth_year"
                                type="text"
                                inputmode="numeric"
                                autocomplete="off"
                                value=d.birth_year.map(|y| y.to_string()).unwrap_or_default()
                            />
                            <label for="e-edu">{move || tr.t("学历", "Education")}</label>
                            <input
                                id="e-edu"
                                name="education"
                                type="text"
                                autocomplete="off"
                                value=field(&d.education)
                            />
                            <label for="e-emp">{move || tr.t("就业状况", "Employment")}</label>
                            <input
                                id="e-emp"
                                name="employment"
                                type="text"
                                autocomplete="off"
                                value=field(&d.employment)
                            />
                            <button type="submit" class="primary">
                                {move || tr.t("保存", "Save")}
                            </button>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>{move || tr.t("角色与管辖范围", "Roles and scope")}</h2>
                        <ActionForm action=roles attr:class="form" attr:data-testid="roles-form">
                            <input type="hidden" name="id" value=uid.to_string() />
                            <RoleChecks selected=d.row.roles.clone() />
                            <label for="e-scope">
                                {move || {
                                    tr.t(
                                        "联络员/上级组织部的管辖地区",
                                        "Region for liaison / supervisor",
                                    )
                                }}
                            </label>
                            <RegionSelect
                                name="scope_region_id"
                                id="e-scope"
                                selected=d.scopes.first().map(|s| s.1)
                            />
                            <button type="submit" class="primary">
                                {move || tr.t("保存角色", "Save roles")}
                            </button>
                        </ActionForm>
                    </section>
                }
            }
        </Loaded>
    }
}
