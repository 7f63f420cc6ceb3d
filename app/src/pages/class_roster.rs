//! `/classes/:id/learners`: a class's roster (phones masked) and enrolment —
//! by usernames or phone numbers one per line, by region, or from a
//! spreadsheet. A list with any unknown line enrols nobody; the report shows
//! the lines by row.

use crate::classes::manage::{
    EnrolNamed, EnrolRegion, EnrolReport, RosterRow, Unenrol, class_roster, enrol_regions,
    load_class_form,
};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::error::AppError;
use crate::pages::classes::StateBadge;
use academy_shared::ids::ClassId;
use leptos::prelude::*;

/// The server refuses enrolment files larger than this.
const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

#[component]
pub fn ClassRosterPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<ClassId>();
    let class = Resource::new(
        move || id.get(),
        |id| async move {
            let id = found(id)?;
            load_class_form(Some(id)).await.map(|form| (id, form))
        },
    );
    view! {
        <p>
            <a href="/classes">{move || tr.t("‹ 培训班", "‹ Classes")}</a>
        </p>
        <Loaded resource=class let:loaded>
            {
                let (class_id, form) = loaded;
                let closed = form.state == academy_shared::class::ClassState::Closed;
                view! {
                    <div class="class-toolbar">
                        <h1>{move || tr.t("学员名单", "Learners")}</h1>
                        <StateBadge state=form.state />
                    </div>
                    <p class="class-meta">
                        <a href=format!("/classes/{class_id}")>{form.input.title.clone()}</a>
                    </p>
                    <Roster id=class_id closed />
                }
            }
        </Loaded>
    }
}

#[component]
fn Roster(id: ClassId, closed: bool) -> impl IntoView {
    let tr = use_tr();
    let named = ServerAction::<EnrolNamed>::new();
    let by_region = ServerAction::<EnrolRegion>::new();
    let remove = ServerAction::<Unenrol>::new();
    let file_result = RwSignal::new(None::<Result<EnrolReport, AppError>>);
    let file_version = RwSignal::new(0u32);
    let roster = Resource::new(
        move || {
            (
                named.version().get(),
                by_region.version().get(),
                remove.version().get(),
                file_version.get(),
            )
        },
        move |_| class_roster(id),
    );
    view! {
        {closed
            .then(|| {
                view! {
                    <p class="class-readonly-note" role="note">
                        {move || {
                            tr.t(
                                "培训班已结束，名单只能查看。",
                                "The class is closed; its roster can only be viewed.",
                            )
                        }}
                    </p>
                }
            })}
        {(!closed).then(|| view! { <EnrolForms id named by_region file_result file_version /> })}
        <section class="card">
            <h2>{move || tr.t("名单", "Roster")}</h2>
            <ErrorMessage error=Signal::derive(move || {
                remove.value().get().and_then(Result::err)
            }) />
            <Loaded resource=roster let:rows>
                <RosterTable id rows closed remove />
            </Loaded>
        </section>
    }
}

#[component]
fn RosterTable(
    id: ClassId,
    rows: Vec<RosterRow>,
    closed: bool,
    remove: ServerAction<Unenrol>,
) -> impl IntoView {
    let tr = use_tr();
    let total = rows.len();
    let reported = rows.iter().filter(|r| r.reported).count();
    if rows.is_empty() {
        return view! {
            <p class="hint" data-testid="roster-empty">
                {move || tr.t("还没有学员。", "No learners yet.")}
            </p>
        }
        .into_any();
    }
    view! {
        <p data-testid="roster-count">
            {move || {
                if tr.is_en() {
                    format!("{total} learners, {reported} reported in")
                } else {
                    format!("共 {total} 人，已报到 {reported} 人")
                }
            }}
        </p>
        <div class="table-wrap">
            <table class="data-table class-roster" data-testid="roster">
                <thead>
                    <tr>
                        <th scope="col">{move || tr.t("姓名", "Name")}</th>
                        <th scope="col">{move || tr.t("用户名", "Username")}</th>
                        <th scope="col">{move || tr.t("手机号", "Phone")}</th>
                        <th scope="col">{move || tr.t("地区", "Region")}</th>
                        <th scope="col">{move || tr.t("报到", "Reported in")}</th>
                        {(!closed)
                            .then(|| {
                                view! { <th scope="col">{move || tr.t("操作", "Actions")}</th> }
                            })}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let user_id = row.user_id;
                            let who = row.real_name.clone();
                            let is_reported = row.reported;
                            view! {
                                <tr data-testid="roster-row">
                                    <td>{row.real_name.clone()}</td>
                                    <td data-testid="roster-username">{row.username.clone()}</td>
                                    <td>{row.phone_masked.clone()}</td>
                                    <td>{row.region.clone()}</td>
                                    <td
                                        class:class-reported=is_reported
                                        class:class-not-reported=!is_reported
                                    >
                                        {move || {
                                            if is_reported {
                                                tr.t("已报到", "Yes")
                                            } else {
                                                tr.t("未报到", "Not yet")
                                            }
                                        }}
                                    </td>
                                    {(!closed)
                                        .then(|| {
                                            view! {
                                                <td>
                                                    {(!is_reported)
                                                        .then(|| {
                                                            view! {
                                                                <button
                                                                    type="button"
                                                                    data-testid="roster-remove"
                                                                    disabled=move || remove.pending().get()
                                                                    aria-label=move || {
                                                                        format!("{}：{who}", tr.t("移出", "Remove"))
                                                                    }
                                                                    on:click=move |_| {
                                                                        remove.dispatch(Unenrol { id, user_id });
                                                                    }
                                                                >
                                                                    {move || tr.t("移出", "Remove")}
                                                                </button>
                                                            }
                                                        })}
                                                </td>
                                            }
                                        })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn EnrolForms(
    id: ClassId,
    named: ServerAction<EnrolNamed>,
    by_region: ServerAction<EnrolRegion>,
    file_result: RwSignal<Option<Result<EnrolReport, AppError>>>,
    file_version: RwSignal<u32>,
) -> impl IntoView {
    let tr = use_tr();
    let regions = Resource::new(|| (), |_| enrol_regions());
    let names = RwSignal::new(String::new());
    // A list enrolled in full is cleared; one with unknown lines stays to be corrected.
    Effect::new(move |_| {
        if let Some(Ok(report)) = named.value().get()
            && report.unknown.is_empty()
        {
            names.set(String::new());
        }
    });
    let file = NodeRef::<leptos::html::Input>::new();
    let file_busy = RwSignal::new(false);
    let upload = move |_| {
        file_result.set(None);
        #[cfg(feature = "hydrate")]
        if let Some(input) = file.get() {
            file_busy.set(true);
            leptos::task::spawn_local(async move {
                use base64::Engine;
                let outcome = match crate::components::browser::read_file(&input).await {
                    None => Err(AppError::invalid("请先选择文件", "Please choose a file")),
                    Some((_, bytes)) if bytes.len() > MAX_FILE_BYTES => Err(AppError::invalid(
                        "文件不能超过 2 MB，请分批添加",
                        "The file must be at most 2 MB; please split it",
                    )),
                    Some((name, bytes)) => {
                        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
                        crate::classes::manage::enrol_file(id, name, encoded).await
                    }
                };
                file_result.set(Some(outcome));
                file_busy.set(false);
                file_version.update(|n| *n += 1);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, file_version, MAX_FILE_BYTES);
    };
    view! {
        <section class="card">
            <h2>{move || tr.t("添加学员", "Enrol learners")}</h2>
            <div class="class-enrol">
                <ActionForm
                    action=named
                    attr:class="form class-enrol-way"
                    attr:data-testid="enrol-named"
                >
                    <input type="hidden" name="id" value=id.to_string() />
                    <label for="enrol-names">
                        {move || {
                            tr.t("按用户名或手机号添加", "By username or phone number")
                        }}
                    </label>
                    <textarea
                        id="enrol-names"
                        name="names"
                        rows="6"
                        required
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="enrol-names-hint"
                        prop:value=move || names.get()
                        on:input=move |ev| names.set(event_target_value(&ev))
                    ></textarea>
                    <p class="hint" id="enrol-names-hint">
                        {move || {
                            tr.t(
                                "每行一个。只要有一行找不到账号，就一个也不添加，请改正后再提交。",
                                "One per line. If any line names nobody, nobody is added: correct it and submit again.",
                            )
                        }}
                    </p>
                    <button type="submit" class="primary" disabled=move || named.pending().get()>
                        {move || tr.t("添加", "Enrol")}
                    </button>
                    <EnrolOutcome
                        value=Signal::derive(move || named.value().get())
                        testid="enrol-named-report"
                    />
                </ActionForm>

                <ActionForm
                    action=by_region
                    attr:class="form class-enrol-way"
                    attr:data-testid="enrol-region"
                >
                    <input type="hidden" name="id" value=id.to_string() />
                    <label for="enrol-region-select">
                        {move || {
                            tr.t(
                                "按地区添加（含下级地区的全部学员）",
                                "By region (every learner in it and below)",
                            )
                        }}
                    </label>
                    <Loaded resource=regions let:list>
                        <select id="enrol-region-select" name="region" required>
                            <option value="">
                                {move || tr.t("请选择地区", "Choose a region")}
                            </option>
                            {list
                                .into_iter()
                                .map(|(region, name)| {
                                    view! { <option value=region.to_string()>{name}</option> }
                                })
                                .collect_view()}
                        </select>
                    </Loaded>
                    <button
                        type="submit"
                        class="primary"
                        disabled=move || by_region.pending().get()
                    >
                        {move || tr.t("添加该地区学员", "Enrol the region")}
                    </button>
                    <EnrolOutcome
                        value=Signal::derive(move || by_region.value().get())
                        testid="enrol-region-report"
                    />
                </ActionForm>

                <div class="form class-enrol-way" data-testid="enrol-file">
                    <label for="enrol-file-input">
                        {move || {
                            tr.t(
                                "从表格添加（.xlsx 或 CSV）",
                                "From a spreadsheet (.xlsx or CSV)",
                            )
                        }}
                    </label>
                    <input
                        id="enrol-file-input"
                        type="file"
                        accept=".xlsx,.csv,text/csv"
                        node_ref=file
                        aria-describedby="enrol-file-hint"
                    />
                    <p class="hint" id="enrol-file-hint">
                        {move || {
                            tr.t(
                                "读取标题为“用户名”或“手机号”的一列；没有这样的标题时读第一列。",
                                "Reads the column headed 用户名 (username) or 手机号 (phone); without such a heading, the first column.",
                            )
                        }}
                    </p>
                    <button
                        type="button"
                        class="primary"
                        data-testid="enrol-file-submit"
                        disabled=move || file_busy.get()
                        on:click=upload
                    >
                        {move || tr.t("上传并添加", "Upload and enrol")}
                    </button>
                    <EnrolOutcome
                        value=Signal::derive(move || file_result.get())
                        testid="enrol-file-report"
                    />
                </div>
            </div>
        </section>
    }
}

/// What an enrolment did: how many were added and already there, or the
/// lines that named nobody (and that nobody was added).
#[component]
fn EnrolOutcome(
    value: Signal<Option<Result<EnrolReport, AppError>>>,
    testid: &'static str,
) -> impl IntoView {
    let tr = use_tr();
    move || {
        value.get().map(|result| match result {
            Err(e) => view! { <ErrorMessage error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
            Ok(report) if !report.unknown.is_empty() => {
                let count = report.unknown.len();
                view! {
                    <div
                        class="class-enrol-report class-enrol-problems"
                        role="alert"
                        data-testid=testid
                    >
                        <p>
                            {move || {
                                if tr.is_en() {
                                    format!(
                                        "{count} lines name no account, so nobody was added. Correct them and submit again.",
                                    )
                                } else {
                                    format!(
                                        "有 {count} 行找不到账号，本次没有添加任何学员。请改正后重新提交。",
                                    )
                                }
                            }}
                        </p>
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">{move || tr.t("行", "Row")}</th>
                                    <th scope="col">{move || tr.t("内容", "Content")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {report
                                    .unknown
                                    .into_iter()
                                    .map(|(row, text)| {
                                        view! {
                                            <tr data-testid="enrol-unknown">
                                                <td>{row}</td>
                                                <td>{text}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
            Ok(report) => {
                let (added, already) = (report.added, report.already);
                view! {
                    <p class="success-message" role="status" data-testid=testid>
                        {move || {
                            if tr.is_en() {
                                format!("Added {added}; {already} were already enrolled.")
                            } else {
                                format!("已添加 {added} 人；{already} 人原已在班中。")
                            }
                        }}
                    </p>
                }.into_any()
            }
        })
    }
}
