//! `/classes/:id/survey/results`: tallies with bars, the satisfaction rate,
//! the opinions and the .xlsx export.

use super::kind_label;
use crate::classes::survey::{ItemResult, SurveyResults, load_survey_results};
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use academy_shared::ids::ClassId;
use academy_shared::survey::{ItemKind, centi_label, percent_label};
use leptos::prelude::*;

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let id = use_id_param::<ClassId>();
    let data = Resource::new(
        move || id.get(),
        |id| async move { load_survey_results(found(id)?).await },
    );
    view! {
        <div class="survey-page survey-results-page">
            <Loaded resource=data let:results>
                <ResultsView results />
            </Loaded>
        </div>
    }
}

#[component]
fn ResultsView(results: SurveyResults) -> impl IntoView {
    let tr = use_tr();
    let class_id = results.class_id;
    let may_manage = results.may_manage;
    let back = view! {
        <p>
            {if may_manage {
                view! {
                    <a href=format!(
                        "/classes/{class_id}",
                    )>{move || tr.t("‹ 培训班", "‹ Class")}</a>
                }
                    .into_any()
            } else {
                view! {
                    <a href=format!(
                        "/classes/{class_id}/dashboard",
                    )>{move || tr.t("‹ 培训班统计", "‹ Class figures")}</a>
                }
                    .into_any()
            }}
        </p>
    };
    let Some(title) = results.survey_title.clone() else {
        return view! {
            {back}
            <h1>{results.class_title.clone()}</h1>
            <p class="muted" data-testid="survey-none">
                {move || {
                    tr.t(
                        "本班还没有培训评价问卷。",
                        "This class has no evaluation survey yet.",
                    )
                }}
            </p>
            {may_manage
                .then(|| {
                    view! {
                        <p>
                            <a
                                class="button primary"
                                href=format!("/classes/{class_id}/survey/edit")
                            >
                                {move || tr.t("设置问卷", "Set up the survey")}
                            </a>
                        </p>
                    }
                })}
        }
        .into_any();
    };
    let responses = results.responses;
    let enrolled = results.enrolled;
    let response_share = academy_shared::survey::basis_points(responses, enrolled);
    let satisfaction = results.satisfaction;
    view! {
        {back}
        <h1>{move || tr.t("培训评价结果", "Survey results")}</h1>
        <p class="muted">{results.class_title.clone()}" · "{title}</p>
        <section class="card survey-summary" data-testid="survey-summary">
            <dl class="survey-figures">
                <div>
                    <dt>{move || tr.t("答卷", "Responses")}</dt>
                    <dd data-testid="survey-response-count">
                        {format!("{responses}/{enrolled}")}
                        <span class="muted">{format!(" ({})", percent_label(response_share))}</span>
                    </dd>
                </div>
                {satisfaction
                    .map(|(satisfied, total)| {
                        view! {
                            <div>
                                <dt>{move || tr.t("满意率", "Satisfied")}</dt>
                                <dd data-testid="survey-satisfaction">
                                    {if total > 0 {
                                        percent_label(
                                            academy_shared::survey::basis_points(satisfied, total),
                                        )
                                    } else {
                                        "—".to_owned()
                                    }}
                                    <span class="muted">
                                        {move || {
                                            if tr.is_en() {
                                                format!(
                                                    " ({satisfied} of {total} satisfied or mostly satisfied)",
                                                )
                                            } else {
                                                format!(
                                                    "（满意和基本满意 {satisfied}/{total} 人）",
                                                )
                                            }
                                        }}
                                    </span>
                                </dd>
                            </div>
                        }
                    })}
            </dl>
            {results
                .anonymous
                .then(|| {
                    view! {
                        <p class="muted">
                            {move || {
                                tr.t(
                                    "匿名评价：不显示答卷人姓名。",
                                    "Anonymous survey: no names are shown.",
                                )
                            }}
                        </p>
                    }
                })}
            {results
                .scoped
                .then(|| {
                    view! {
                        <p class="muted">
                            {move || {
                                tr.t(
                                    "仅统计您负责地区学员的答卷。",
                                    "Only responses of learners in your regions are counted.",
                                )
                            }}
                        </p>
                    }
                })}
            {results
                .withheld_below
                .map(|min| {
                    view! {
                        <p class="notice" role="status" data-testid="survey-withheld">
                            {move || {
                                if tr.is_en() {
                                    format!(
                                        "Fewer than {min} learners in your regions answered: the results are withheld so that nobody's answers can be told.",
                                    )
                                } else {
                                    format!(
                                        "您负责地区的作答少于 {min} 份：为保护作答人，不显示结果。",
                                    )
                                }
                            }}
                        </p>
                    }
                })}
            <p class="survey-links">
                <a
                    class="button"
                    href=format!("/exports/classes/{class_id}/survey.xlsx")
                    download
                    rel="external"
                    data-testid="survey-export"
                >
                    {move || tr.t("下载 Excel（.xlsx）", "Download Excel (.xlsx)")}
                </a>
                {may_manage
                    .then(|| {
                        view! {
                            " "
                            <a href=format!(
                                "/classes/{class_id}/survey/edit",
                            )>{move || tr.t("查看问卷", "See the survey")}</a>
                        }
                    })}
            </p>
        </section>
        {results.items.into_iter().map(|item| view! { <ResultItem item /> }).collect_view()}
    }
    .into_any()
}

#[component]
fn ResultItem(item: ItemResult) -> impl IntoView {
    let tr = use_tr();
    let tally = item.tally;
    let kind = tally.kind;
    let answered = tally.answered;
    let mean = tally.mean_centi;
    let table = (!tally.buckets.is_empty()).then(|| {
        view! {
            <div class="table-scroll">
                <table class="survey-tally">
                    <thead>
                        <tr>
                            <th scope="col">
                                {move || match kind {
                                    ItemKind::Rating { .. } => tr.t("分值", "Score"),
                                    _ => tr.t("选项", "Option"),
                                }}
                            </th>
                            <th scope="col" class="survey-num">
                                {move || tr.t("人数", "Count")}
                            </th>
                            <th scope="col" class="survey-num">
                                {move || tr.t("比例", "Share")}
                            </th>
                            <th scope="col" class="survey-bar-cell">
                                <span class="visually-hidden">{move || tr.t("图示", "Bar")}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {tally
                            .buckets
                            .iter()
                            .map(|b| {
                                view! {
                                    <tr data-testid="survey-bucket">
                                        <td>{b.label.clone()}</td>
                                        <td class="survey-num">{b.count}</td>
                                        <td class="survey-num">{percent_label(b.basis_points)}</td>
                                        <td class="survey-bar-cell">
                                            <progress
                                                class="survey-bar"
                                                max="10000"
                                                value=b.basis_points.to_string()
                                                aria-hidden="true"
                                            ></progress>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    });
    let texts = (!item.texts.is_empty()).then(|| {
        view! {
            <ol class="survey-texts" data-testid="survey-texts">
                {item
                    .texts
                    .into_iter()
                    .map(|t| {
                        view! {
                            <li>
                                <p class="survey-text-answer">{t.text}</p>
                                {t
                                    .name
                                    .map(|name| {
                                        view! { <p class="muted survey-text-name">"— "{name}</p> }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
    });
    view! {
        <section class="card survey-result" data-testid="survey-result">
            <h2 class="survey-result-title">
                <span class="survey-number">{item.number}"."</span>
                " "
                {tally.prompt.clone()}
            </h2>
            <p class="muted">
                {move || kind_label(tr, kind)}" · "
                {move || {
                    if tr.is_en() {
                        format!("{answered} answered")
                    } else {
                        format!("{answered} 人作答")
                    }
                }}
                {mean
                    .map(|centi| {
                        view! {
                            " · "
                            {move || {
                                if tr.is_en() {
                                    format!("mean {}", centi_label(centi))
                                } else {
                                    format!("平均 {} 分", centi_label(centi))
                                }
                            }}
                        }
                    })}
            </p>
            {table}
            {texts}
        </section>
    }
}
