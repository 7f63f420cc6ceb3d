//! `/admin/audit`: the audit log, filtered.

use super::AdminNav;
use crate::admin::audit_log::audit_log;
use crate::components::loader::Loaded;
use crate::components::text::use_tr;
use academy_shared::audit::AuditArea;
use academy_shared::time::format_china_time;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let page = Resource::new(
        move || query.get(),
        |q| async move {
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            audit_log(
                get("action"),
                get("actor"),
                get("object"),
                get("from"),
                get("until"),
                get("page").and_then(|p| p.parse().ok()),
            )
            .await
        },
    );
    let q = move |k: &str| query.read().get(k).unwrap_or_default();
    view! {
        <AdminNav />
        <h1>{move || tr.t("审计日志", "Audit log")}</h1>
        <form class="filters" method="get" action="/admin/audit">
            <label for="a-action">{move || tr.t("操作", "Action")}</label>
            <select id="a-action" name="action">
                <option value="">{move || tr.t("全部", "All")}</option>
                {AuditArea::ALL
                    .map(|area| (area.prefix(), area.label_zh(), area.label_en()))
                    .into_iter()
                    .map(|(v, zh, en)| {
                        view! {
                            <option value=v selected=move || q("action") == v>
                                {move || tr.t(zh, en)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="a-actor">
                {move || tr.t("操作人（用户名）", "Actor (username)")}
            </label>
            <input
                id="a-actor"
                name="actor"
                type="text"
                autocomplete="off"
                prop:value=move || q("actor")
            />
            <label for="a-from">{move || tr.t("从", "From")}</label>
            <input id="a-from" name="from" type="date" prop:value=move || q("from") />
            <label for="a-until">{move || tr.t("到", "Until")}</label>
            <input id="a-until" name="until" type="date" prop:value=move || q("until") />
            <button type="submit">{move || tr.t("筛选", "Filter")}</button>
        </form>
        <Loaded resource=page let:p>
            <p>{move || tr.t("共 ", "")}{p.total}{move || tr.t(" 条", " entries")}</p>
            <div class="table-wrap">
                <table class="data-table" data-testid="audit-table">
                    <thead>
                        <tr>
                            <th>{move || tr.t("时间", "Time")}</th>
                            <th>{move || tr.t("操作人", "Actor")}</th>
                            <th>{move || tr.t("操作", "Action")}</th>
                            <th>{move || tr.t("对象", "Object")}</th>
                            <th>{move || tr.t("地址", "Address")}</th>
                            <th>{move || tr.t("详情", "Detail")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {p
                            .rows
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <tr>
                                        <td>{format_china_time(r.at)}</td>
                                        <td>{r.actor}</td>
                                        <td>{r.action}</td>
                                        <td>{r.object}</td>
                                        <td>{r.address}</td>
                                        <td>{r.detail}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </Loaded>
    }
}
