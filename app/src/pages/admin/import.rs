//! `/admin/import`: check a learner roster, read the report, then confirm.

use super::AdminNav;
use crate::admin::import::{ImportReport, import_learners};
use crate::components::error_message::ErrorMessage;
use crate::components::text::use_tr;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn AdminImportPage() -> impl IntoView {
    let tr = use_tr();
    let file = NodeRef::<leptos::html::Input>::new();
    let report = RwSignal::new(None::<ImportReport>);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let run = move |confirm: bool| {
        error.set(None);
        if !confirm {
            report.set(None);
        }
        #[cfg(feature = "hydrate")]
        if let Some(input) = file.get() {
            busy.set(true);
            leptos::task::spawn_local(async move {
                use base64::Engine;
                match crate::components::browser::read_file(&input).await {
                    None => error.set(Some(AppError::invalid(
                        "请先选择文件",
                        "Please choose a file",
                    ))),
                    Some((_, bytes)) if bytes.len() > crate::admin::import::MAX_FILE_BYTES => {
                        error.set(Some(crate::admin::import::too_large()));
                    }
                    Some((name, bytes)) => {
                        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
                        match import_learners(name, encoded, confirm).await {
                            Ok(r) => report.set(Some(r)),
                            Err(e) => error.set(Some(e)),
                        }
                    }
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (confirm, file, import_learners);
    };
    view! {
        <AdminNav />
        <section class="card">
            <h1>{move || tr.t("批量导入学员", "Import learners")}</h1>
            <p>
                {move || tr.t("下载模板：", "Templates: ")}
                <a href="/downloads/learner-template.xlsx" download>
                    "Excel (.xlsx)"
                </a>" · " <a href="/downloads/learner-template.csv" download>
                    "CSV"
                </a>
            </p>
            <p class="hint">
                {move || {
                    tr.t(
                        "支持 .xlsx 和 CSV（UTF-8 或 GBK 编码）。先检查，全部无误后才能导入；导入的学员用手机验证码（“忘记密码”）设置密码。",
                        ".xlsx and CSV (UTF-8 or GBK). Check first; only a file without problems can be imported. Imported learners set their password with an SMS code (“Forgot password”).",
                    )
                }}
            </p>
            <div class="form">
                <label for="import-file">{move || tr.t("选择文件", "Choose a file")}</label>
                <input
                    id="import-file"
                    type="file"
                    accept=".xlsx,.csv,text/csv"
                    node_ref=file
                    data-testid="import-file"
                />
                <button
                    type="button"
                    class="primary"
                    on:click=move |_| run(false)
                    disabled=move || busy.get()
                    data-testid="import-check"
                >
                    {move || tr.t("检查", "Check")}
                </button>
            </div>
            <ErrorMessage error=Signal::derive(move || error.get()) />
        </section>
        {move || {
            report
                .get()
                .map(|r| {
                    let can_confirm = r.problems.is_empty() && r.imported.is_none()
                        && r.valid_rows > 0;
                    view! {
                        <section class="card" data-testid="import-report">
                            {match r.imported {
                                Some(n) => {
                                    view! {
                                        <p
                                            class="success-message"
                                            role="status"
                                            data-testid="import-done"
                                        >
                                            {move || tr.t("已导入 ", "Imported ")}
                                            {n}
                                            {move || tr.t(" 名学员。", " learners.")}
                                        </p>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <p>
                                            {move || tr.t("可导入 ", "Valid rows: ")}{r.valid_rows}
                                            {move || tr.t(" 行；问题 ", "; problems: ")}
                                            {r.problems.len()}{format!(" ({})", r.encoding)}
                                        </p>
                                    }
                                        .into_any()
                                }
                            }}
                            {(!r.problems.is_empty())
                                .then(|| {
                                    view! {
                                        <div class="table-wrap">
                                            <table class="data-table" data-testid="import-problems">
                                                <thead>
                                                    <tr>
                                                        <th>{move || tr.t("行", "Row")}</th>
                                                        <th>{move || tr.t("列", "Column")}</th>
                                                        <th>{move || tr.t("原因", "Reason")}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {r
                                                        .problems
                                                        .iter()
                                                        .map(|p| {
                                                            let (zh, en) = (p.reason_zh.clone(), p.reason_en.clone());
                                                            view! {
                                                                <tr>
                                                                    <td>{p.row}</td>
                                                                    <td>{p.column.clone()}</td>
                                                                    <td>
                                                                        {move || if tr.is_en() { en.clone() } else { zh.clone() }}
                                                                    </td>
                                                                </tr>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }
                                })}
                            {can_confirm
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="primary"
                                            on:click=move |_| run(true)
                                            disabled=move || busy.get()
                                            data-testid="import-confirm"
                                        >
                                            {move || tr.t("确认导入", "Import now")}
                                        </button>
                                    }
                                })}
                        </section>
                    }
                })
        }}
    }
}
