//! A bank's import panel: check a file (Excel / CSV template, GIFT, Aiken,
//! Moodle XML), see its problems row by row, then import.

use super::field_name;
use crate::components::error_message::ErrorMessage;
use crate::components::text::use_tr;
use crate::error::AppError;
use crate::exams::banks::{MAX_IMPORT_BYTES, QuestionImportReport, import_questions};
use academy_shared::ids::BankId;
use leptos::prelude::*;

/// Import formats: (Format code, label in Chinese, label in English).
const FORMATS: [(&str, &str, &str); 4] = [
    ("table", "Excel / CSV 模板", "Excel / CSV template"),
    ("gift", "GIFT", "GIFT"),
    ("aiken", "Aiken", "Aiken"),
    ("moodle-xml", "Moodle XML", "Moodle XML"),
];

/// The import panel's state, kept by the page for the same reason.
#[derive(Clone, Copy)]
pub(super) struct ImportState {
    format: RwSignal<String>,
    report: RwSignal<Option<QuestionImportReport>>,
    error: RwSignal<Option<AppError>>,
    busy: RwSignal<bool>,
    file: NodeRef<leptos::html::Input>,
}

impl ImportState {
    pub(super) fn new() -> Self {
        ImportState {
            format: RwSignal::new("table".to_owned()),
            report: RwSignal::new(None),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            file: NodeRef::new(),
        }
    }
}

fn accept_for(format: &str) -> &'static str {
    match format {
        "table" => ".xlsx,.csv,text/csv",
        "moodle-xml" => ".xml,text/xml,application/xml",
        _ => ".txt,.gift,text/plain",
    }
}

#[component]
pub(super) fn ImportPanel(
    bank: BankId,
    state: ImportState,
    on_imported: Callback<()>,
) -> impl IntoView {
    let tr = use_tr();
    let run = move |confirm: bool, valid_rows_only: bool| {
        state.error.set(None);
        if !confirm {
            state.report.set(None);
        }
        #[cfg(feature = "hydrate")]
        if let Some(input) = state.file.get_untracked() {
            state.busy.set(true);
            let format = state.format.get_untracked();
            leptos::task::spawn_local(async move {
                use base64::Engine;
                match crate::components::browser::read_file(&input).await {
                    None => state.error.set(Some(AppError::invalid(
                        "请先选择文件",
                        "Please choose a file",
                    ))),
                    Some((_, bytes)) if bytes.len() > MAX_IMPORT_BYTES => {
                        state.error.set(Some(AppError::invalid(
                            "文件不能超过 1 MB，请分批导入",
                            "The file must be at most 1 MB; please split it",
                        )));
                    }
                    Some((name, bytes)) => {
                        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
                        match import_questions(
                            bank,
                            format,
                            name,
                            encoded,
                            confirm,
                            valid_rows_only,
                        )
                        .await
                        {
                            Ok(report) => {
                                let imported = report.imported.is_some();
                                state.report.set(Some(report));
                                if imported {
                                    on_imported.run(());
                                }
                            }
                            Err(e) => state.error.set(Some(e)),
                        }
                    }
                }
                state.busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (
            confirm,
            valid_rows_only,
            bank,
            on_imported,
            import_questions,
            MAX_IMPORT_BYTES,
        );
    };
    let busy = state.busy;
    view! {
        <p>
            {move || tr.t("下载模板：", "Templates: ")}
            <a href="/downloads/question-template.xlsx" download data-testid="template-xlsx">
                "Excel (.xlsx)"
            </a>" · "
            <a href="/downloads/question-template.csv" download data-testid="template-csv">
                "CSV"
            </a>
        </p>
        <p class="hint">
            {move || {
                tr.t(
                    "支持本系统的 Excel / CSV 模板（UTF-8 或 GBK 编码）、GIFT、Aiken（仅单选题）和 Moodle XML，文件不超过 1 MB。先检查文件，确认无误后再导入。",
                    "The academy's Excel / CSV template (UTF-8 or GBK), GIFT, Aiken (single choice only) and Moodle XML, up to 1 MB. Check the file first, then import.",
                )
            }}
        </p>
        <div class="form bank-import-form">
            <label for="import-format">{move || tr.t("文件格式", "Format")}</label>
            <select
                id="import-format"
                data-testid="import-format"
                on:change=move |ev| {
                    state.format.set(event_target_value(&ev));
                    state.report.set(None);
                    state.error.set(None);
                }
            >
                {FORMATS
                    .iter()
                    .map(|&(code, zh, en)| {
                        view! {
                            <option value=code selected=state.format.get_untracked() == code>
                                {move || tr.t(zh, en)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="import-file">{move || tr.t("选择文件", "Choose a file")}</label>
            <input
                id="import-file"
                type="file"
                data-testid="import-file"
                node_ref=state.file
                accept=move || accept_for(&state.format.get())
                on:change=move |_| {
                    state.report.set(None);
                    state.error.set(None);
                }
            />
            <button
                type="button"
                class="primary"
                data-testid="import-check"
                disabled=move || busy.get()
                on:click=move |_| run(false, false)
            >
                {move || tr.t("检查文件", "Check the file")}
            </button>
        </div>
        {move || {
            busy.get()
                .then(|| {
                    view! {
                        <p class="hint" role="status">
                            {move || tr.t("正在处理…", "Working…")}
                        </p>
                    }
                })
        }}
        <ErrorMessage error=Signal::derive(move || state.error.get()) />
        {move || {
            state
                .report
                .get()
                .map(|report| {
                    let problems = report.problems.len();
                    let valid = report.valid;
                    let encoding = report.encoding.clone();
                    view! {
                        <div class="bank-import-report" data-testid="import-report">
                            {match report.imported {
                                Some(n) => {
                                    view! {
                                        <p
                                            class="success-message"
                                            role="status"
                                            data-testid="import-done"
                                        >
                                            {move || {
                                                if tr.is_en() {
                                                    format!("Imported {n} questions.")
                                                } else {
                                                    format!("已导入 {n} 道题。")
                                                }
                                            }}
                                        </p>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <p data-testid="import-summary">
                                            {move || {
                                                if tr.is_en() {
                                                    format!(
                                                        "Read as {encoding}: {valid} questions can be imported; {problems} problems.",
                                                    )
                                                } else {
                                                    format!(
                                                        "文件编码/格式：{encoding}；可导入 {valid} 道题；问题 {problems} 处。",
                                                    )
                                                }
                                            }}
                                        </p>
                                    }
                                        .into_any()
                                }
                            }}
                            {(!report.problems.is_empty())
                                .then(|| {
                                    view! {
                                        <div class="table-scroll">
                                            <table
                                                class="data-table bank-problems"
                                                data-testid="import-problems"
                                            >
                                                <thead>
                                                    <tr>
                                                        <th>{move || tr.t("行", "Row")}</th>
                                                        <th>{move || tr.t("列", "Column")}</th>
                                                        <th>{move || tr.t("原因", "Reason")}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {report
                                                        .problems
                                                        .iter()
                                                        .map(|p| {
                                                            let (zh, en) = (p.reason_zh.clone(), p.reason_en.clone());
                                                            let column = p.column.clone();
                                                            view! {
                                                                <tr data-testid="import-problem">
                                                                    <td>{p.row}</td>
                                                                    <td>{move || field_name(tr, &column)}</td>
                                                                    <td class="bank-reason">
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
                            {report
                                .imported
                                .is_none()
                                .then(|| {
                                    view! {
                                        {(problems > 0 && valid > 0)
                                            .then(|| {
                                                view! {
                                                    <p
                                                        class="bank-warning"
                                                        role="note"
                                                        data-testid="import-warning"
                                                    >
                                                        {move || {
                                                            if tr.is_en() {
                                                                format!(
                                                                    "The rows with problems above will be skipped. You can import the {valid} questions without problems now, or fix the file and check it again.",
                                                                )
                                                            } else {
                                                                format!(
                                                                    "上表中有问题的行不会导入。可以现在只导入无误的 {valid} 道题，也可以修改文件后重新检查。",
                                                                )
                                                            }
                                                        }}
                                                    </p>
                                                }
                                            })}
                                        <div class="button-row">
                                            <button
                                                type="button"
                                                class="primary"
                                                data-testid="import-all"
                                                disabled=move || {
                                                    busy.get() || problems > 0 || valid == 0
                                                }
                                                on:click=move |_| run(true, false)
                                            >
                                                {move || tr.t("导入全部", "Import all")}
                                            </button>
                                            {(problems > 0 && valid > 0)
                                                .then(|| {
                                                    view! {
                                                        <button
                                                            type="button"
                                                            data-testid="import-valid-only"
                                                            disabled=move || busy.get()
                                                            on:click=move |_| run(true, true)
                                                        >
                                                            {move || {
                                                                if tr.is_en() {
                                                                    format!("Import only the {valid} valid rows")
                                                                } else {
                                                                    format!("只导入无误的 {valid} 行")
                                                                }
                                                            }}
                                                        </button>
                                                    }
                                                })}
                                        </div>
                                    }
                                })}
                        </div>
                    }
                })
        }}
    }
}
