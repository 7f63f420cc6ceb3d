//! The liaison's daily summary form (`/groups/:id/summary?day=`), the
//! organizer's list for a day (`/classes/:id/summaries?day=`), the printable
//! range (`/classes/:id/summaries/print?from=&to=`), and the daily progress
//! report (`/classes/:id/report?day=`).

use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::groups::report::{ReportLine, ReportView, load_report};
use crate::groups::summaries::{
    ArchiveSummaries, ReviewSummary, SaveSummary, SummariesView, SummaryView, load_summaries,
    load_summary, print_summaries,
};
use crate::pages::groups::{GroupWorkNav, reload_when};
use academy_shared::certificate::hours_text;
use academy_shared::class_stats::{Figures, centi_label};
use academy_shared::groups::SummaryState;
use academy_shared::ids::{ClassId, GroupId};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn state_label(state: Option<SummaryState>, en: bool) -> &'static str {
    match state {
        Some(s) if en => s.label_en(),
        Some(s) => s.label_zh(),
        None if en => "Not submitted",
        None => "未提交",
    }
}

#[component]
pub fn SummaryPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let group = use_id_param::<GroupId>();
    let day = move || query.read().get("day");
    let save = ServerAction::<SaveSummary>::new();
    let review = ServerAction::<ReviewSummary>::new();
    // Reload after a change only: a refused save keeps what was typed.
    let changed = RwSignal::new(0u32);
    reload_when(move || matches!(save.value().get(), Some(Ok(()))), changed);
    reload_when(
        move || matches!(review.value().get(), Some(Ok(()))),
        changed,
    );
    let data = Resource::new(
        move || (group.get(), day(), changed.get()),
        |(group, day, _)| async move { load_summary(found(group)?, day).await },
    );
    view! {
        <Loaded
            resource=data
            before_error=move || {
                view! {
                    <p>
                        <a href="/">{move || tr.t("‹ 首页", "‹ Home")}</a>
                    </p>
                }
            }
            let:view
        >
            <SummaryForm view save review />
        </Loaded>
    }
}

#[component]
fn SummaryForm(
    view: SummaryView,
    save: ServerAction<SaveSummary>,
    review: ServerAction<ReviewSummary>,
) -> impl IntoView {
    let tr = use_tr();
    let editable = view.can_edit;
    let f = view.fields.clone();
    let state = view.state;
    let state_code = view.state.map_or("", SummaryState::code);
    let (day_for_save, day_for_review) = (view.day.clone(), view.day.clone());
    let back = format!(
        "/classes/{}/discussion?group={}&day={}",
        view.class_id, view.group_id, view.day
    );
    let field = move |id: &'static str,
                      name: &'static str,
                      zh: &'static str,
                      en: &'static str,
                      value: String,
                      rows: &'static str| {
        view! {
            <label for=id>{move || tr.t(zh, en)}</label>
            <textarea
                id=id
                name=name
                rows=rows
                maxlength="3000"
                autocomplete="off"
                readonly=!editable
            >
                {value}
            </textarea>
        }
    };
    view! {
        <p>
            <a href=back>{"‹ "}{move || tr.t("小组讨论", "Discussion")}</a>
        </p>
        <h1>{move || tr.t("分组讨论汇总表", "Group discussion summary")}</h1>
        <p class="hint">{view.class_title.clone()}</p>
        <form method="get" class="dashboard-day">
            <label>
                {move || tr.t("日期", "Day")}
                <input type="date" name="day" value=view.day.clone() autocomplete="off" />
            </label>
            <button type="submit">{move || tr.t("查看", "Show")}</button>
        </form>
        <dl class="summary-facts">
            <dt>{move || tr.t("小组", "Group")}</dt>
            <dd data-testid="summary-group">{view.group_name.clone()}</dd>
            <dt>{move || tr.t("状态", "State")}</dt>
            <dd data-testid="summary-state" data-state=state_code>
                {move || state_label(state, tr.is_en())}
                {view
                    .archived
                    .then(|| {
                        view! { <span class="tag">{move || tr.t("已归档", "Archived")}</span> }
                    })}
            </dd>
            <dt>{move || tr.t("小组人数", "Members")}</dt>
            <dd>{view.members}</dd>
            <dt>{move || tr.t("成员", "Member names")}</dt>
            <dd>{view.member_names.join("、")}</dd>
            {(!view.written_by.is_empty())
                .then(|| {
                    view! {
                        <dt>{move || tr.t("填报人", "Written by")}</dt>
                        <dd>{view.written_by.clone()}" "{view.submitted_at.clone()}</dd>
                    }
                })}
        </dl>
        {(!view.review_comment.is_empty())
            .then(|| {
                view! {
                    <p class="notice" role="note" data-testid="review-comment">
                        {move || tr.t("审核意见：", "Reviewer's comment: ")}
                        {view.review_comment.clone()}
                    </p>
                }
            })}
        <section class="card">
            <ActionForm action=save attr:class="form" attr:data-testid="summary-form">
                <input type="hidden" name="group_id" value=view.group_id.to_string() />
                <input type="hidden" name="day" value=day_for_save />
                <input
                    type="hidden"
                    name="expected"
                    value=view.state.map_or("", SummaryState::code)
                />
                <label for="summary-participants">
                    {move || tr.t("参与人数", "Participants")}
                </label>
                <input
                    id="summary-participants"
                    name="participants"
                    type="number"
                    min="0"
                    max=view.members.to_string()
                    value=f.participants.to_string()
                    required
                    readonly=!editable
                    autocomplete="off"
                    aria-describedby="participants-hint"
                />
                <p class="hint" id="participants-hint">
                    {move || {
                        tr.t(
                            "根据当天发言和打卡预填：",
                            "Suggested from the day's posts and check-ins: ",
                        )
                    }}
                    {view.suggested_participants}
                </p>
                <label for="summary-topic">{move || tr.t("讨论主题", "Topic")}</label>
                <input
                    id="summary-topic"
                    name="topic"
                    value=f.topic.clone()
                    maxlength="200"
                    readonly=!editable
                    autocomplete="off"
                />
                {field(
                    "summary-views",
                    "views",
                    "主要观点",
                    "Main views",
                    f.views.clone(),
                    "6",
                )}
                {field(
                    "summary-problems",
                    "problems",
                    "提出的问题",
                    "Problems raised",
                    f.problems.clone(),
                    "4",
                )}
                {field(
                    "summary-suggestions",
                    "suggestions",
                    "意见建议",
                    "Suggestions",
                    f.suggestions.clone(),
                    "4",
                )}
                {editable
                    .then(|| {
                        view! {
                            <div class="button-row">
                                <button
                                    type="submit"
                                    name="submit"
                                    value="false"
                                    disabled=move || save.pending().get()
                                    data-testid="summary-save"
                                >
                                    {move || tr.t("保存草稿", "Save draft")}
                                </button>
                                <button
                                    type="submit"
                                    name="submit"
                                    value="true"
                                    class="primary"
                                    disabled=move || save.pending().get()
                                    data-testid="summary-submit"
                                >
                                    {move || tr.t("提交", "Submit")}
                                </button>
                            </div>
                        }
                    })}
            </ActionForm>
            <ErrorMessage error=Signal::derive(move || save.value().get().and_then(Result::err)) />
            {move || {
                matches!(save.value().get(), Some(Ok(())))
                    .then(|| {
                        view! {
                            <p role="status" class="hint">
                                {move || tr.t("已保存", "Saved")}
                            </p>
                        }
                    })
            }}
        </section>
        {view
            .can_review
            .then(|| {
                view! {
                    <section class="card">
                        <h2>{move || tr.t("审核", "Review")}</h2>
                        <ActionForm action=review attr:class="form" attr:data-testid="review-form">
                            <input type="hidden" name="group_id" value=view.group_id.to_string() />
                            <input type="hidden" name="day" value=day_for_review />
                            <label for="review-comment">
                                {move || {
                                    tr.t(
                                        "意见（退回时必填）",
                                        "Comment (required to return)",
                                    )
                                }}
                            </label>
                            <textarea
                                id="review-comment"
                                name="comment"
                                rows="3"
                                maxlength="500"
                                autocomplete="off"
                            ></textarea>
                            <div class="button-row">
                                <button
                                    type="submit"
                                    name="accept"
                                    value="true"
                                    class="primary"
                                    data-testid="review-accept"
                                >
                                    {move || tr.t("通过", "Accept")}
                                </button>
                                <button
                                    type="submit"
                                    name="accept"
                                    value="false"
                                    data-testid="review-return"
                                >
                                    {move || tr.t("退回修改", "Return for changes")}
                                </button>
                            </div>
                        </ActionForm>
                        <ErrorMessage error=Signal::derive(move || {
                            review.value().get().and_then(Result::err)
                        }) />
                    </section>
                }
            })}
    }
}

#[component]
pub fn SummariesPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<ClassId>();
    let query = use_query_map();
    let day = move || query.read().get("day");
    let archive = ServerAction::<ArchiveSummaries>::new();
    let data = Resource::new(
        move || (id.get(), day(), archive.version().get()),
        |(id, day, _)| async move { load_summaries(found(id)?, day).await },
    );
    view! {
        <Loaded resource=data let:view>
            <SummariesBody view archive />
        </Loaded>
        {move || {
            archive
                .value()
                .get()
                .map(|r| match r {
                    Ok(n) => {
                        view! {
                            <p role="status">
                                {move || {
                                    if tr.is_en() {
                                        format!("{n} archived")
                                    } else {
                                        format!("已归档 {n} 份")
                                    }
                                }}
                            </p>
                        }
                            .into_any()
                    }
                    Err(e) => {
                        view! { <ErrorMessage error=Signal::derive(move || Some(e.clone())) /> }
                            .into_any()
                    }
                })
        }}
    }
}

#[component]
fn SummariesBody(view: SummariesView, archive: ServerAction<ArchiveSummaries>) -> impl IntoView {
    let tr = use_tr();
    let class_id = view.class_id;
    let missing = view
        .lines
        .iter()
        .filter(|l| matches!(l.state, None | Some(SummaryState::Draft)))
        .count();
    let accepted = view
        .lines
        .iter()
        .filter(|l| l.state == Some(SummaryState::Accepted) && !l.archived)
        .count();
    let day = view.day.clone();
    view! {
        <h1>
            {view.class_title.clone()}" · "
            {move || tr.t("讨论汇总表", "Discussion summaries")}
        </h1>
        <GroupWorkNav class_id manage=view.can_review />
        <form method="get" class="dashboard-day">
            <label>
                {move || tr.t("日期", "Day")}
                <input type="date" name="day" value=view.day.clone() autocomplete="off" />
            </label>
            <button type="submit">{move || tr.t("查看", "Show")}</button>
        </form>
        <p data-testid="summaries-missing">
            {move || {
                if tr.is_en() {
                    format!("{missing} of the groups have not submitted")
                } else {
                    format!("{missing} 个小组尚未提交")
                }
            }}
        </p>
        <div class="table-scroll">
            <table class="data-table" data-testid="summaries">
                <thead>
                    <tr>
                        <th scope="col">{move || tr.t("小组", "Group")}</th>
                        <th scope="col">{move || tr.t("联络员", "Liaisons")}</th>
                        <th scope="col">{move || tr.t("参与/人数", "Took part")}</th>
                        <th scope="col">{move || tr.t("状态", "State")}</th>
                    </tr>
                </thead>
                <tbody>
                    {view
                        .lines
                        .into_iter()
                        .map(|line| {
                            let not_in = matches!(line.state, None | Some(SummaryState::Draft));
                            let state = line.state;
                            view! {
                                <tr
                                    data-testid="summary-row"
                                    class:missing=not_in
                                    data-state=line.state.map_or("", SummaryState::code)
                                >
                                    <th scope="row">
                                        <a href=format!(
                                            "/groups/{}/summary?day={}",
                                            line.group_id,
                                            day,
                                        )>{line.group_name.clone()}</a>
                                    </th>
                                    <td>{line.liaisons.join("、")}</td>
                                    <td>{line.participants}"/"{line.members}</td>
                                    <td>
                                        {move || state_label(state, tr.is_en())}
                                        {line
                                            .archived
                                            .then(|| {
                                                view! {
                                                    <span class="tag">
                                                        {move || tr.t("已归档", "Archived")}
                                                    </span>
                                                }
                                            })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <div class="button-row">
            {(view.can_review && accepted > 0)
                .then(|| {
                    let day = view.day.clone();
                    view! {
                        <button
                            type="button"
                            class="primary"
                            data-testid="archive-accepted"
                            on:click=move |_| {
                                archive
                                    .dispatch(ArchiveSummaries {
                                        class_id,
                                        day: day.clone(),
                                    });
                            }
                        >
                            {move || {
                                tr.t("归档已通过的汇总表", "Archive accepted summaries")
                            }}
                            " ("
                            {accepted}
                            ")"
                        </button>
                    }
                })}
        </div>
        <section class="card">
            <h2>{move || tr.t("导出与打印", "Export and print")}</h2>
            <form
                method="get"
                action=format!("/exports/classes/{class_id}/summaries.xlsx")
                class="dashboard-day"
                data-testid="summaries-export"
            >
                <label>
                    {move || tr.t("从", "From")}
                    <input type="date" name="from" value=view.day.clone() autocomplete="off" />
                </label>
                <label>
                    {move || tr.t("到", "To")}
                    <input type="date" name="to" value=view.day.clone() autocomplete="off" />
                </label>
                <button type="submit">{move || tr.t("导出 Excel", "Export .xlsx")}</button>
                <button type="submit" formaction=format!("/classes/{class_id}/summaries/print")>
                    {move || tr.t("打印版", "Printable")}
                </button>
            </form>
        </section>
    }
}

#[component]
pub fn PrintSummariesPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<ClassId>();
    let query = use_query_map();
    let range = move || (query.read().get("from"), query.read().get("to"));
    let data = Resource::new(
        move || (id.get(), range()),
        |(id, (from, to))| async move { print_summaries(found(id)?, from, to).await },
    );
    view! {
        <Loaded resource=data let:data>
            {
                let (title, list) = data;
                view! {
                    <div class="no-print button-row">
                        <button
                            type="button"
                            class="primary"
                            on:click=move |_| {
                                #[cfg(feature = "hydrate")]
                                if let Some(window) = web_sys::window() {
                                    let _ = window.print();
                                }
                            }
                        >
                            {move || tr.t("打印", "Print")}
                        </button>
                    </div>
                    {list
                        .is_empty()
                        .then(|| {
                            view! {
                                <p class="hint">
                                    {move || {
                                        tr.t(
                                            "这段时间没有汇总表。",
                                            "No summaries in this range.",
                                        )
                                    }}
                                </p>
                            }
                        })}
                    {list
                        .into_iter()
                        .map(|s| view! { <PrintedSummary title=title.clone() s /> })
                        .collect_view()}
                }
            }
        </Loaded>
    }
}

#[component]
fn PrintedSummary(title: String, s: SummaryView) -> impl IntoView {
    let rows = [
        ("讨论主题", s.fields.topic.clone()),
        ("主要观点", s.fields.views.clone()),
        ("提出的问题", s.fields.problems.clone()),
        ("意见建议", s.fields.suggestions.clone()),
    ];
    view! {
        <article class="printed-summary" data-testid="printed-summary">
            <h1>"分组讨论汇总表"</h1>
            <p class="hint">{title}</p>
            <table class="data-table print-table">
                <tbody>
                    <tr>
                        <th scope="row">"日期"</th>
                        <td>{s.day.clone()}</td>
                        <th scope="row">"小组"</th>
                        <td>{s.group_name.clone()}</td>
                    </tr>
                    <tr>
                        <th scope="row">"小组人数"</th>
                        <td>{s.members}</td>
                        <th scope="row">"参与人数"</th>
                        <td>{s.fields.participants}</td>
                    </tr>
                    <tr>
                        <th scope="row">"成员"</th>
                        <td colspan="3">{s.member_names.join("、")}</td>
                    </tr>
                    {rows
                        .into_iter()
                        .map(|(label, text)| {
                            view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    <td colspan="3" class="print-text">
                                        {text}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                    <tr>
                        <th scope="row">"填报人"</th>
                        <td>{s.written_by.clone()}</td>
                        <th scope="row">"状态"</th>
                        <td>{state_label(s.state, false)}</td>
                    </tr>
                </tbody>
            </table>
        </article>
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let id = use_id_param::<ClassId>();
    let query = use_query_map();
    let day = move || query.read().get("day");
    let data = Resource::new(
        move || (id.get(), day()),
        |(id, day)| async move { load_report(found(id)?, day).await },
    );
    view! {
        <Loaded resource=data let:view>
            <ReportBody view />
        </Loaded>
    }
}

#[component]
fn ReportTable(
    lines: Vec<ReportLine>,
    total: Option<Figures>,
    testid: &'static str,
) -> impl IntoView {
    let tr = use_tr();
    let row = move |name: String, depth: u32, f: Figures, strong: bool| {
        view! {
            <tr class=format!("depth-{depth}") class:total=strong data-testid="report-row">
                <th scope="row">{name}</th>
                <td data-col="enrolled">{f.enrolled}</td>
                <td data-col="checked_in">{f.checked_in}</td>
                <td>{f.courses_complete}</td>
                <td data-col="courses_done">{f.courses_done}</td>
                <td>{hours_text(f.credited_ms)}</td>
                <td data-col="pre_done">{f.pre_done}</td>
                <td>{centi_label(f.pre_average_centi)}</td>
                <td data-col="final_done">{f.final_done}</td>
                <td>{centi_label(f.final_average_centi)}</td>
            </tr>
        }
    };
    view! {
        <div class="table-scroll">
            <table class="data-table report-table" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{move || tr.t("名称", "Name")}</th>
                        <th scope="col">{move || tr.t("报名", "Enrolled")}</th>
                        <th scope="col">{move || tr.t("当日打卡", "Checked in")}</th>
                        <th scope="col">
                            {move || tr.t("学完全部课程", "All courses done")}
                        </th>
                        <th scope="col">
                            {move || tr.t("累计学完课程", "Courses completed")}
                        </th>
                        <th scope="col">{move || tr.t("学时", "Hours")}</th>
                        <th scope="col">{move || tr.t("前测人数", "Pre-test")}</th>
                        <th scope="col">{move || tr.t("前测均分", "Pre avg")}</th>
                        <th scope="col">{move || tr.t("结业考试人数", "Final")}</th>
                        <th scope="col">{move || tr.t("结业均分", "Final avg")}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines
                        .into_iter()
                        .map(|l| row(l.name, l.depth, l.figures, false))
                        .collect_view()} {total.map(|f| row("合计".to_owned(), 0, f, true))}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ReportBody(view: ReportView) -> impl IntoView {
    let tr = use_tr();
    let class_id = view.class_id;
    let export = format!("/exports/classes/{class_id}/report.xlsx?day={}", view.day);
    let mut regions = view.regions.clone();
    if let Some(f) = view.no_region {
        regions.push(ReportLine {
            name: "未分配地区".into(),
            depth: 0,
            figures: f,
        });
    }
    view! {
        <h1>
            {view.class_title.clone()}" · "
            {move || tr.t("每日进度报告", "Daily progress report")}
        </h1>
        <GroupWorkNav class_id />
        <form method="get" class="dashboard-day">
            <label>
                {move || tr.t("日期", "Day")}
                <input type="date" name="day" value=view.day.clone() autocomplete="off" />
            </label>
            <button type="submit">{move || tr.t("查看", "Show")}</button>
            " "
            <a class="button" href=export rel="external" data-testid="report-export">
                {move || tr.t("导出 Excel", "Export .xlsx")}
            </a>
        </form>
        {view
            .scoped
            .then(|| {
                view! {
                    <p class="hint">
                        {move || {
                            tr.t(
                                "仅统计您负责地区的学员，逐级汇总。",
                                "Only learners of your regions, rolled up level by level.",
                            )
                        }}
                    </p>
                }
            })}
        <p class="hint">
            {move || tr.t("课程总数 ", "Courses in the class: ")}{view.courses_total}
        </p>
        <h2>{move || tr.t("按地区", "By region")}</h2>
        <ReportTable lines=regions total=Some(view.total) testid="report-regions" />
        <h2>{move || tr.t("按小组", "By group")}</h2>
        <ReportTable lines=view.groups.clone() total=Some(view.total) testid="report-groups" />
    }
}
