//! Administration pages. Each one's server functions check the admin role
//! themselves; these pages only hide what others cannot use.

pub mod audit;
pub mod import;
pub mod rebind;
pub mod regions;
pub mod users;

use crate::components::text::use_tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AdminNav() -> impl IntoView {
    let tr = use_tr();
    view! {
        <nav class="sub-nav" aria-label=move || tr.t("管理菜单", "Administration")>
            <A href="/admin/users">{move || tr.t("用户", "Users")}</A>
            <A href="/admin/users/new">{move || tr.t("新建账号", "New account")}</A>
            <A href="/admin/import">{move || tr.t("批量导入", "Import")}</A>
            <A href="/admin/rebind">{move || tr.t("换绑申请", "Rebinding")}</A>
            <A href="/admin/audit">{move || tr.t("审计日志", "Audit log")}</A>
            <A href="/admin/regions">{move || tr.t("地区", "Regions")}</A>
        </nav>
    }
}
