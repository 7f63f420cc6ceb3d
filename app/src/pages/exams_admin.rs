//! `/exams`: the exams organizers create from paper plans (form A or B, for
//! a class), open and close; `/exams/:id/analysis`: the score distribution
//! and the item analysis (facility, discrimination) per question.

use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::exams::attempts::{
    CreateExam, ExamItemAnalysis, SetExamState, item_analysis, list_exams,
};
use crate::pages::exam::kind_label;
use academy_shared::ids::ExamId;
use leptos::prelude::*;

#[component]
pub fn ExamsAdminPage() -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<CreateExam>::new();
    let change = ServerAction::<SetExamState>::new();
    let exams = Resource::new(
        move || (create.version().get(), change.version().get()),
        |_| list_exams(),
    );
    view! {
        <h1>{move || tr.t("考试", "Exams")}</h1>
        <p>
            <a href="/banks">{move || tr.t("题库", "Question banks")}</a>
            " · "
            <a href="/blueprints">{move || tr.t("组卷方案", "Paper plans")}</a>
        </p>
        <ErrorMessage error=Signal::derive(move || change.value().get().and_then(Result::err)) />
        <Loaded resource=exams let:page>
            {
                let may_manage = page.may_manage;
                view! {
                    <div class="table-scroll">
                        <table class="exams" data-testid="exams">
                            <thead>
                                <tr>
                                    <th scope="col">{move || tr.t("考试", "Exam")}</th>
                                    <th scope="col">
                                        {move || tr.t("方案 / 试卷", "Plan / form")}
                                    </th>
                                    <th scope="col">{move || tr.t("培训班", "Class")}</th>
                                    <th scope="col">{move || tr.t("状态", "State")}</th>
                                    <th scope="col">{move || tr.t("操作", "Actions")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page
                                    .exams
                                    .into_iter()
                                    .map(|e| {
                                        let state = e.state;
                                        let (to, zh, en) = state.offered_step();
                                        view! {
                                            <tr data-testid="exam-row">
                                                <td>{e.title.clone()}</td>
                                                <td>
                                                    <a href=format!(
                                                        "/blueprints/{}",
                                                        e.blueprint_id,
                                                    )>{e.blueprint_title.clone()}</a>
                                                    {format!(" · {}", e.form)}
                                                </td>
                                                <td>{e.class_title.clone().unwrap_or_default()}</td>
                                                <td data-testid="exam-state">{move || tr.label(state)}</td>
                                                <td>
                                                    {may_manage
                                                        .then(|| {
                                                            view! {
                                                                <button
                                                                    type="button"
                                                                    data-testid="exam-state-change"
                                                                    on:click=move |_| {
                                                                        change
                                                                            .dispatch(SetExamState {
                                                                                exam: e.id,
                                                                                state: to.code().to_owned(),
                                                                            });
                                                                    }
                                                                >
                                                                    {move || tr.t(zh, en)}
                                                                </button>
                                                            }
                                                        })} " "
                                                    <a href=format!(
                                                        "/exams/{}/analysis",
                                                        e.id,
                                                    )>{move || tr.t("成绩分析", "Analysis")}</a>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {may_manage
                        .then(|| {
                            view! {
                                <section class="card">
                                    <h2>{move || tr.t("新建考试", "New exam")}</h2>
                                    <ActionForm
                                        action=create
                                        attr:class="form"
                                        attr:data-testid="exam-create"
                                    >
                                        <label for="exam-title">
                                            {move || tr.t("考试名称", "Title")}
                                        </label>
                                        <input
                                            id="exam-title"
                                            name="title"
                                            autocomplete="off"
                                            maxlength="60"
                                            required
                                        />
                                        <label for="exam-blueprint">
                                            {move || tr.t("组卷方案", "Paper plan")}
                                        </label>
                                        <select id="exam-blueprint" name="blueprint" required>
                                            {page
                                                .blueprints
                                                .iter()
                                                .map(|(id, title)| {
                                                    view! {
                                                        <option value=id.to_string()>{title.clone()}</option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        <label for="exam-form">
                                            {move || tr.t("试卷", "Form")}
                                        </label>
                                        <select id="exam-form" name="form">
                                            <option value="A">
                                                {move || {
                                                    tr.t("A 卷（如班前测试）", "A (e.g. the pre-test)")
                                                }}
                                            </option>
                                            <option value="B">
                                                {move || {
                                                    tr.t(
                                                        "B 卷（如结业考试，与 A 卷不重复）",
                                                        "B (e.g. the final; disjoint from A)",
                                                    )
                                                }}
                                            </option>
                                        </select>
                                        <label for="exam-class">
                                            {move || tr.t("培训班", "Class")}
                                        </label>
                                        <select id="exam-class" name="class_id">
                                            <option value="">
                                                {move || tr.t("（暂不指定）", "(none yet)")}
                                            </option>
                                            {page
                                                .classes
                                                .iter()
                                                .map(|(id, title)| {
                                                    view! {
                                                        <option value=id.to_string()>{title.clone()}</option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        <ErrorMessage error=Signal::derive(move || {
                                            create.value().get().and_then(Result::err)
                                        }) />
                                        <button type="submit" class="primary">
                                            {move || tr.t("创建", "Create")}
                                        </button>
                                    </ActionForm>
                                </section>
                            }
                        })}
                }
            }
        </Loaded>
    }
}

#[component]
pub fn ExamAnalysisPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<ExamId>();
    let analysis = Resource::new(
        move || id.get(),
        |id| async move { item_analysis(found(id)?).await },
    );
    view! {
        <p>
            <a href="/exams">{move || tr.t("‹ 考试", "‹ Exams")}</a>
        </p>
        <Loaded resource=analysis let:a>
            <AnalysisView a />
        </Loaded>
    }
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

fn decimal(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"))
}

#[component]
fn AnalysisView(a: ExamItemAnalysis) -> impl IntoView {
    let tr = use_tr();
    let s = a.summary.clone();
    let most = s.bands.iter().copied().max().unwrap_or(0).max(1);
    view! {
        <h1>{a.exam_title.clone()}</h1>
        <section class="card" data-testid="score-summary">
            <p>
                {move || {
                    if tr.is_en() {
                        format!(
                            "{} graded · mean {:.1}% · passed {} · full marks {} · ≥ 90%: {}",
                            s.attempts,
                            s.mean_percent,
                            s.passed,
                            s.full_marks,
                            s.at_least_90_percent,
                        )
                    } else {
                        format!(
                            "已评分 {} 份 · 平均 {:.1}% · 及格 {} 人 · 满分 {} 人 · 90% 以上 {} 人",
                            s.attempts,
                            s.mean_percent,
                            s.passed,
                            s.full_marks,
                            s.at_least_90_percent,
                        )
                    }
                }}
            </p>
            <ol class="bands" aria-label=move || tr.t("成绩分布", "Score distribution")>
                {a
                    .summary
                    .bands
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        view! {
                            <li>
                                <span class="band-label">
                                    {format!(
                                        "{}–{}",
                                        i * 10,
                                        if i == 9 { 100 } else { i * 10 + 9 },
                                    )}
                                </span>
                                <progress
                                    class="band-bar"
                                    max=most.to_string()
                                    value=n.to_string()
                                    aria-hidden="true"
                                ></progress>
                                <span class="band-count">{*n}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
        <div class="table-scroll">
            <table class="item-analysis" data-testid="item-analysis">
                <caption>
                    {move || {
                        tr.t(
                            "难度（得分率）越低越难；区分度为高分组与低分组得分率之差（各 27%），0.3 以上为好",
                            "Facility: share of points earned (lower is harder). Discrimination: upper 27% minus lower 27% facility; 0.3 or more is good",
                        )
                    }}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{move || tr.t("题目", "Question")}</th>
                        <th scope="col">{move || tr.t("题型", "Type")}</th>
                        <th scope="col">{move || tr.t("知识点", "Topic")}</th>
                        <th scope="col">{move || tr.t("讲师", "Lecturer")}</th>
                        <th scope="col">{move || tr.t("作答人数", "Answered")}</th>
                        <th scope="col">{move || tr.t("得分率", "Facility")}</th>
                        <th scope="col">{move || tr.t("区分度", "Discrimination")}</th>
                        <th scope="col">{move || tr.t("相关系数", "Correlation")}</th>
                    </tr>
                </thead>
                <tbody>
                    {a
                        .rows
                        .into_iter()
                        .map(|r| {
                            let kind = r.kind;
                            view! {
                                <tr data-testid="item-row">
                                    <td>
                                        <a href=format!(
                                            "/questions/{}",
                                            r.question_id,
                                        )>{r.stem_text.chars().take(40).collect::<String>()}</a>
                                    </td>
                                    <td>{move || kind_label(tr, kind)}</td>
                                    <td>{r.topic.clone()}</td>
                                    <td>{r.lecturer.clone()}</td>
                                    <td>{r.answered}</td>
                                    <td data-testid="facility">{percent(r.facility)}</td>
                                    <td>{decimal(r.discrimination)}</td>
                                    <td>{decimal(r.correlation)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
