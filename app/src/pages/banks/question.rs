//! `/banks/:id/new` and `/questions/:id`: adding and editing a question
//! (the form is in `question_form.rs`), with the question's change history.

use super::question_form::QuestionForm;
use super::{difficulty_label, truncate};
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::exams::banks::{QuestionEdit, VersionView, bank_detail, question_for_edit};
use crate::pages::exam::{Stem, kind_label};
use academy_shared::exam::markup::{parse_stem, plain_text};
use academy_shared::exam::question::{answer_text_en, answer_text_zh};
use academy_shared::exam::{Answer, Question, QuestionKind, option_letter};
use academy_shared::ids::{BankId, QuestionId};
use academy_shared::time::format_china_time;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

fn new_question() -> Question {
    Question {
        name: String::new(),
        kind: QuestionKind::Single,
        stem: String::new(),
        options: vec![String::new(); 4],
        answer: Answer::Choice(Vec::new()),
        explanation: String::new(),
        points: 1,
        difficulty: 3,
        topic: String::new(),
        lecturer: String::new(),
        source: String::new(),
        ignore_punctuation: false,
    }
}

#[component]
pub fn QuestionNewPage() -> impl IntoView {
    let tr = use_tr();
    let bank_id = use_id_param::<BankId>();
    let detail = Resource::new(
        move || bank_id.get(),
        |id| async move { bank_detail(found(id)?).await },
    );
    let created = RwSignal::new(None::<(QuestionId, i64)>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some((id, version)) = created.get() {
            navigate(
                &format!("/questions/{id}?saved={version}"),
                Default::default(),
            );
        }
    });
    let on_saved = Callback::new(move |saved: (QuestionId, i64)| created.set(Some(saved)));
    view! {
        <Loaded resource=detail sign_in=true let:d>
            {
                let bank = d.bank.id;
                view! {
                    <p class="crumbs">
                        <a href=format!("/banks/{bank}")>{format!("‹ {}", d.bank.title)}</a>
                    </p>
                    <h1>{move || tr.t("新建题目", "New question")}</h1>
                    {d
                        .bank
                        .my_quota
                        .map(|(quota, have)| {
                            view! {
                                <p class="hint" data-testid="bank-quota">
                                    {move || {
                                        if tr.is_en() {
                                            format!(
                                                "You have added {have} of the {quota} questions you are invited to write.",
                                            )
                                        } else {
                                            format!("受邀出题 {quota} 道，已出 {have} 道。")
                                        }
                                    }}
                                </p>
                            }
                        })}
                    {if d.may_add {
                        view! {
                            <section class="card">
                                <QuestionForm
                                    bank
                                    id=None
                                    version=None
                                    question=new_question()
                                    tags=Vec::new()
                                    on_saved
                                />
                            </section>
                        }
                            .into_any()
                    } else {
                        view! {
                            <p class="card" data-testid="may-not-add">
                                {move || {
                                    tr.t(
                                        "不能在本题库添加题目：题库已归档，或您已出满邀请的数量。",
                                        "You cannot add questions here: the bank is archived, or you have added as many as you were invited to.",
                                    )
                                }}
                            </p>
                        }
                            .into_any()
                    }}
                }
            }
        </Loaded>
    }
}

#[component]
pub fn QuestionEditPage() -> impl IntoView {
    let query = use_query_map();
    let id = use_id_param::<QuestionId>();
    // Set when the question was just saved (by this page, or by the new
    // question page that came here).
    let saved =
        RwSignal::new(query.with_untracked(|q| q.get("saved").and_then(|v| v.parse::<i64>().ok())));
    let reload = RwSignal::new(0u32);
    let edit = Resource::new(
        move || (id.get(), reload.get()),
        |(id, _)| async move { question_for_edit(found(id)?).await },
    );
    let on_saved = Callback::new(move |(_, version): (QuestionId, i64)| {
        saved.set(Some(version));
        reload.update(|n| *n += 1);
    });
    view! {
        <Loaded resource=edit sign_in=true transition=true let:edit>
            <QuestionEditor edit saved on_saved />
        </Loaded>
    }
}

#[component]
fn QuestionEditor(
    edit: QuestionEdit,
    saved: RwSignal<Option<i64>>,
    on_saved: Callback<(QuestionId, i64)>,
) -> impl IntoView {
    let tr = use_tr();
    let id = edit.id;
    let version = edit.version;
    let mut history = edit.history.clone();
    history.sort_by_key(|v| std::cmp::Reverse(v.version));
    view! {
        <p class="crumbs">
            <a href=format!("/banks/{}", edit.bank)>{format!("‹ {}", edit.bank_title)}</a>
        </p>
        <h1>
            {move || if tr.is_en() { format!("Question #{id}") } else { format!("题目 #{id}") }}
            {edit
                .archived
                .then(|| {
                    view! {
                        <span class="tag bank-archived" data-testid="question-archived">
                            {move || tr.t("已归档", "Archived")}
                        </span>
                    }
                })}
        </h1>
        <p class="hint" data-testid="question-version-now">
            {move || {
                if tr.is_en() {
                    format!("Version {version}")
                } else {
                    format!("当前为第 {version} 版")
                }
            }}
        </p>
        {move || {
            saved
                .get()
                .map(|v| {
                    view! {
                        <p class="success-message" role="status" data-testid="question-saved">
                            {move || {
                                if tr.is_en() {
                                    format!("Saved (version {v})")
                                } else {
                                    format!("已保存（第 {v} 版）")
                                }
                            }}
                        </p>
                    }
                })
        }}
        <section class="card">
            {if edit.editable {
                view! {
                    <QuestionForm
                        bank=edit.bank
                        id=Some(id)
                        version=Some(version)
                        question=edit.body.clone()
                        tags=edit.tags.clone()
                        on_saved
                    />
                }
                    .into_any()
            } else {
                view! {
                    <p class="hint" data-testid="question-readonly-note">
                        {move || {
                            tr.t(
                                "这道题只读：题库已归档，或您没有修改权限。",
                                "This question is read-only: the bank is archived, or you may not change it.",
                            )
                        }}
                    </p>
                    <QuestionView question=edit.body.clone() tags=edit.tags.clone() />
                }
                    .into_any()
            }}
        </section>
        <section class="card qedit-history" data-testid="question-history">
            <h2>{move || tr.t("修改记录", "History")}</h2>
            <ol class="plain-list">
                {history.into_iter().map(|v| view! { <VersionItem version=v /> }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn VersionItem(version: VersionView) -> impl IntoView {
    let tr = use_tr();
    let number = version.version;
    let q = version.body;
    let kind = q.kind;
    let stem = truncate(&plain_text(&q.stem), 120);
    let options = q
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{}. {}", option_letter(i), truncate(o, 30)))
        .collect::<Vec<_>>()
        .join("  ");
    let zh = answer_text_zh(&q);
    let en = answer_text_en(&q);
    view! {
        <li class="qedit-version" data-testid="question-version">
            <p class="qedit-version-head">
                <strong>
                    {move || {
                        if tr.is_en() {
                            format!("Version {number}")
                        } else {
                            format!("第 {number} 版")
                        }
                    }}
                </strong>
                " · "
                {version.edited_by.clone()}
                " · "
                <time>{format_china_time(version.edited_at)}</time>
            </p>
            <p class="qedit-version-stem">
                <span class="tag">{move || kind_label(tr, kind)}</span>
                " "
                {stem}
            </p>
            {(!options.is_empty()).then(|| view! { <p class="hint">{options}</p> })}
            <p class="qedit-version-answer">
                {move || {
                    if tr.is_en() { format!("Answer: {en}") } else { format!("答案：{zh}") }
                }}
            </p>
        </li>
    }
}

/// A question read-only, as its author wrote it.
#[component]
fn QuestionView(question: Question, tags: Vec<String>) -> impl IntoView {
    let tr = use_tr();
    let q = question;
    let kind = q.kind;
    let correct: Vec<usize> = match &q.answer {
        Answer::Choice(indexes) => indexes.iter().map(|i| usize::from(*i)).collect(),
        _ => Vec::new(),
    };
    let zh = answer_text_zh(&q);
    let en = answer_text_en(&q);
    let difficulty = q.difficulty;
    let points = q.points;
    let ignore = q.ignore_punctuation;
    let facts: Vec<(&'static str, &'static str, String)> = vec![
        ("名称", "Name", q.name.clone()),
        ("知识点", "Topic", q.topic.clone()),
        ("讲师", "Lecturer", q.lecturer.clone()),
        ("来源", "Source", q.source.clone()),
        ("标签", "Tags", tags.join("，")),
    ];
    view! {
        <div class="qedit-readonly" data-testid="question-readonly">
            <p>
                <span class="tag">{move || kind_label(tr, kind)}</span>
            </p>
            <div class="qedit-stem-view">
                <Stem lines=parse_stem(&q.stem) />
            </div>
            {(!q.options.is_empty())
                .then(|| {
                    view! {
                        <ol class="plain-list qedit-option-list">
                            {q
                                .options
                                .iter()
                                .enumerate()
                                .map(|(i, text)| {
                                    let is_correct = correct.contains(&i);
                                    view! {
                                        <li class:qedit-correct-option=is_correct>
                                            {format!("{}. {}", option_letter(i), text)}
                                            {is_correct
                                                .then(|| {
                                                    view! {
                                                        <span class="tag">
                                                            {move || tr.t("正确答案", "Correct")}
                                                        </span>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                })}
            <dl class="facts">
                <dt>{move || tr.t("答案", "Answer")}</dt>
                <dd data-testid="question-answer">
                    {move || if tr.is_en() { en.clone() } else { zh.clone() }}
                </dd>
                {(kind == QuestionKind::Fill)
                    .then(|| {
                        view! {
                            <dt>{move || tr.t("忽略标点", "Ignore punctuation")}</dt>
                            <dd>
                                {move || {
                                    if ignore { tr.t("是", "Yes") } else { tr.t("否", "No") }
                                }}
                            </dd>
                        }
                    })}
                <dt>{move || tr.t("解析", "Explanation")}</dt>
                <dd>{q.explanation.clone()}</dd>
                <dt>{move || tr.t("分值", "Points")}</dt>
                <dd>{points}</dd>
                <dt>{move || tr.t("难度", "Difficulty")}</dt>
                <dd>{move || difficulty_label(tr, difficulty)}</dd>
                {facts
                    .into_iter()
                    .map(|(zh, en, value)| {
                        view! {
                            <dt>{move || tr.t(zh, en)}</dt>
                            <dd>{value}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
        </div>
    }
}
