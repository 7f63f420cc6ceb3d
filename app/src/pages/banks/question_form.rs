//! The one form for adding and editing a question.

use super::{difficulty_label, field_name};
use crate::components::error_message::ErrorMessage;
use crate::components::text::{Tr, use_tr};
use crate::components::upload::MediaUpload;
use crate::courseware::UploadedMedia;
use crate::error::AppError;
use crate::exams::banks::{QuestionSaved, save_question};
use crate::pages::exam::{Stem, kind_label};
use academy_shared::exam::markup::parse_stem;
use academy_shared::exam::question::{MAX_BLANKS, MAX_OPTIONS, check_question, min_options, tidy};
use academy_shared::exam::{Answer, FieldProblem, Question, QuestionKind, option_letter};
use academy_shared::ids::{BankId, QuestionId};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The accepted answers of one blank as typed: "北京 / 北京市".
fn split_alternatives(text: &str) -> Vec<String> {
    text.split(['/', '／'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Tags as typed: separated by commas (either width), 、 or semicolons.
fn split_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text
        .split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

/// Problems of the fields `wanted` accepts, in the reader's language, shown
/// beside those fields.
fn field_problems(
    tr: Tr,
    problems: RwSignal<Vec<FieldProblem>>,
    wanted: impl Fn(&str) -> bool + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let list: Vec<(String, String)> = problems.with(|all| {
            all.iter()
                .filter(|p| wanted(&p.field))
                .map(|p| (p.zh.clone(), p.en.clone()))
                .collect()
        });
        (!list.is_empty()).then(|| {
            let en = tr.is_en();
            view! {
                <ul class="qedit-field-problems">
                    {list
                        .into_iter()
                        .map(|(zh, en_text)| {
                            view! {
                                <li data-testid="field-problem">{if en { en_text } else { zh }}</li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}

/// The form that adds (`id` None) or edits a question. Checks the question
/// the way the server does before sending it, and shows every problem beside
/// its field.
#[component]
pub(super) fn QuestionForm(
    bank: BankId,
    id: Option<QuestionId>,
    /// The version the edit starts from (edits only).
    version: Option<i64>,
    question: Question,
    tags: Vec<String>,
    on_saved: Callback<(QuestionId, i64)>,
) -> impl IntoView {
    let tr = use_tr();
    let initial_kind = question.kind;
    let kind = RwSignal::new(question.kind);
    let stem = RwSignal::new(question.stem.clone());
    let options = RwSignal::new(if question.kind.has_options() {
        let mut options = question.options.clone();
        let min = min_options(question.kind);
        if options.len() < min {
            options.resize(min, String::new());
        }
        options
    } else {
        vec![String::new(); 4]
    });
    let correct = RwSignal::new(match &question.answer {
        Answer::Choice(indexes) => indexes.iter().map(|i| usize::from(*i)).collect(),
        _ => BTreeSet::<usize>::new(),
    });
    let truth = RwSignal::new(match &question.answer {
        Answer::TrueFalse(value) => Some(*value),
        _ => None,
    });
    let blanks = RwSignal::new(match &question.answer {
        Answer::Blanks(blanks) if !blanks.is_empty() => blanks
            .iter()
            .map(|alternatives| alternatives.join(" / "))
            .collect(),
        _ => vec![String::new()],
    });
    let ignore_punctuation = RwSignal::new(question.ignore_punctuation);
    let explanation = RwSignal::new(question.explanation.clone());
    let points = RwSignal::new(question.points.to_string());
    let difficulty = RwSignal::new(question.difficulty);
    let topic = RwSignal::new(question.topic.clone());
    let lecturer = RwSignal::new(question.lecturer.clone());
    let source = RwSignal::new(question.source.clone());
    let name = RwSignal::new(question.name.clone());
    let tags_text = RwSignal::new(tags.join(", "));

    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);

    let option_count = Memo::new(move |_| options.with(Vec::len));
    let blank_count = Memo::new(move |_| blanks.with(Vec::len));

    // The question as the form holds it, and the problems only the form can
    // see (no true/false answer chosen).
    let build = move || -> (Question, Vec<String>, Vec<FieldProblem>) {
        let kind = kind.get_untracked();
        let mut early = Vec::new();
        let options = if kind.has_options() {
            options.get_untracked()
        } else {
            Vec::new()
        };
        let answer = match kind {
            QuestionKind::Single | QuestionKind::Multiple => Answer::Choice(
                correct
                    .get_untracked()
                    .into_iter()
                    .filter(|i| *i < options.len())
                    .filter_map(|i| u8::try_from(i).ok())
                    .collect(),
            ),
            QuestionKind::TrueFalse => match truth.get_untracked() {
                Some(value) => Answer::TrueFalse(value),
                None => {
                    early.push(FieldProblem::new(
                        "答案",
                        "请选择“正确”或“错误”",
                        "Choose True or False",
                    ));
                    Answer::TrueFalse(true)
                }
            },
            QuestionKind::Fill => Answer::Blanks(
                blanks
                    .get_untracked()
                    .iter()
                    .map(|b| split_alternatives(b))
                    .collect(),
            ),
        };
        let question = Question {
            name: name.get_untracked(),
            kind,
            stem: stem.get_untracked(),
            options,
            answer,
            explanation: explanation.get_untracked(),
            points: points.get_untracked().trim().parse().unwrap_or(0),
            difficulty: difficulty.get_untracked(),
            topic: topic.get_untracked(),
            lecturer: lecturer.get_untracked(),
            source: source.get_untracked(),
            ignore_punctuation: kind == QuestionKind::Fill && ignore_punctuation.get_untracked(),
        };
        (
            tidy(question),
            split_tags(&tags_text.get_untracked()),
            early,
        )
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let (question, tags, mut found) = build();
        found.extend(check_question(&question));
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = save_question(bank, id, version, question, tags).await;
            busy.set(false);
            match result {
                Ok(QuestionSaved::Saved { id, version }) => on_saved.run((id, version)),
                Ok(QuestionSaved::Problems(found)) => problems.set(found),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let change_kind = move |ev: leptos::ev::Event| {
        let Some(new) = QuestionKind::from_code(&event_target_value(&ev)) else {
            return;
        };
        kind.set(new);
        if new.has_options() && options.with(|o| o.len() < min_options(new)) {
            options.set(vec![String::new(); 4]);
        }
        if new == QuestionKind::Single {
            correct.update(|c| {
                if let Some(first) = c.first().copied() {
                    c.retain(|i| *i == first);
                }
            });
        }
        if blanks.with(Vec::is_empty) {
            blanks.set(vec![String::new()]);
        }
    };

    let remove_option = move |index: usize| {
        if options.with(|o| o.len() <= min_options(kind.get_untracked())) {
            return;
        }
        options.update(|o| {
            if index < o.len() {
                o.remove(index);
            }
        });
        correct.update(|c| {
            *c = c
                .iter()
                .filter(|i| **i != index)
                .map(|i| if *i > index { i - 1 } else { *i })
                .collect();
        });
    };

    let option_row = move |i: usize, k: QuestionKind, count: usize| {
        let letter = option_letter(i);
        let input_id = format!("qedit-option-{i}");
        let correct_id = format!("qedit-correct-{i}");
        let text = options.with_untracked(|o| o.get(i).cloned().unwrap_or_default());
        let is_correct = correct.with_untracked(|c| c.contains(&i));
        let field = format!("选项{letter}");
        view! {
            <div class="qedit-option" data-testid="option-row">
                <label for=input_id.clone() class="qedit-letter">
                    <span class="visually-hidden">{move || tr.t("选项 ", "Option ")}</span>
                    {letter.to_string()}
                </label>
                <input
                    id=input_id
                    class="qedit-option-text"
                    value=text
                    maxlength="500"
                    autocomplete="off"
                    data-testid=format!("option-{i}")
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        options
                            .update(|o| {
                                if let Some(slot) = o.get_mut(i) {
                                    *slot = value;
                                }
                            });
                    }
                />
                <span class="qedit-correct">
                    {if k == QuestionKind::Single {
                        view! {
                            <input
                                type="radio"
                                name="qedit-correct"
                                id=correct_id.clone()
                                checked=is_correct
                                data-testid=format!("correct-{i}")
                                on:change=move |_| correct.set(BTreeSet::from([i]))
                            />
                        }
                            .into_any()
                    } else {
                        view! {
                            <input
                                type="checkbox"
                                id=correct_id.clone()
                                checked=is_correct
                                data-testid=format!("correct-{i}")
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    correct
                                        .update(|c| {
                                            if on {
                                                c.insert(i);
                                            } else {
                                                c.remove(&i);
                                            }
                                        });
                                }
                            />
                        }
                            .into_any()
                    }} <label for=correct_id>{move || tr.t("正确答案", "Correct")}</label>
                </span>
                <button
                    type="button"
                    class="qedit-remove"
                    disabled=count <= min_options(k)
                    aria-label=move || {
                        format!("{}{letter}", tr.t("删除选项 ", "Remove option "))
                    }
                    on:click=move |_| remove_option(i)
                >
                    {move || tr.t("删除", "Remove")}
                </button>
                {field_problems(tr, problems, move |f| f == field)}
            </div>
        }
    };

    let blank_row = move |i: usize, count: usize| {
        let input_id = format!("qedit-blank-{i}");
        let text = blanks.with_untracked(|b| b.get(i).cloned().unwrap_or_default());
        let number = i + 1;
        view! {
            <div class="qedit-blank" data-testid="blank-row">
                <label for=input_id
                    .clone()>
                    {move || {
                        if tr.is_en() {
                            format!("Blank {number}")
                        } else {
                            format!("第 {number} 空")
                        }
                    }}
                </label>
                <input
                    id=input_id
                    value=text
                    maxlength="1000"
                    autocomplete="off"
                    data-testid=format!("blank-{i}")
                    placeholder=move || tr.t("例如：北京 / 北京市", "e.g. Beijing / Peking")
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        blanks
                            .update(|b| {
                                if let Some(slot) = b.get_mut(i) {
                                    *slot = value;
                                }
                            });
                    }
                />
                <button
                    type="button"
                    class="qedit-remove"
                    disabled=count <= 1
                    aria-label=move || {
                        if tr.is_en() {
                            format!("Remove blank {number}")
                        } else {
                            format!("删除第 {number} 空")
                        }
                    }
                    on:click=move |_| {
                        blanks
                            .update(|b| {
                                if b.len() > 1 && i < b.len() {
                                    b.remove(i);
                                }
                            })
                    }
                >
                    {move || tr.t("删除", "Remove")}
                </button>
            </div>
        }
    };

    let answer_area = move || {
        let k = kind.get();
        match k {
            QuestionKind::Single | QuestionKind::Multiple => {
                let count = option_count.get();
                view! {
                    <fieldset class="qedit-options" data-testid="question-options">
                        <legend>
                            {move || {
                                if k == QuestionKind::Single {
                                    tr.t(
                                        "选项（勾选唯一的正确答案）",
                                        "Options (mark the one correct answer)",
                                    )
                                } else {
                                    tr.t(
                                        "选项（勾选所有正确答案）",
                                        "Options (mark every correct answer)",
                                    )
                                }
                            }}
                        </legend>
                        {(0..count).map(|i| option_row(i, k, count)).collect_view()}
                        <div class="button-row">
                            <button type="button" data-testid="add-option" disabled=count>
                                = MAX_OPTIONS
                                on:click=move |_|
                                {options
                                    .update(|o| {
                                        if o.len() < MAX_OPTIONS {
                                            o.push(String::new());
                                        }
                                    })}
                                >
                                {move || tr.t("添加选项", "Add an option")}
                            </button>
                        </div>
                        {field_problems(tr, problems, |f| f == "选项" || f == "答案")}
                    </fieldset>
                }
                .into_any()
            }
            QuestionKind::TrueFalse => {
                let current = truth.get_untracked();
                view! {
                    <fieldset class="qedit-truefalse" data-testid="question-truefalse">
                        <legend>{move || tr.t("正确答案", "Correct answer")}</legend>
                        <div class="bank-check">
                            <input
                                type="radio"
                                name="qedit-tf"
                                id="qedit-tf-true"
                                checked=current == Some(true)
                                data-testid="truefalse-true"
                                on:change=move |_| truth.set(Some(true))
                            />
                            <label for="qedit-tf-true">{move || tr.t("正确", "True")}</label>
                        </div>
                        <div class="bank-check">
                            <input
                                type="radio"
                                name="qedit-tf"
                                id="qedit-tf-false"
                                checked=current == Some(false)
                                data-testid="truefalse-false"
                                on:change=move |_| truth.set(Some(false))
                            />
                            <label for="qedit-tf-false">{move || tr.t("错误", "False")}</label>
                        </div>
                        {field_problems(tr, problems, |f| f == "答案" || f == "选项")}
                    </fieldset>
                }
                .into_any()
            }
            QuestionKind::Fill => {
                let count = blank_count.get();
                view! {
                    <fieldset class="qedit-blanks" data-testid="question-blanks">
                        <legend>
                            {move || tr.t("每个空的答案", "Answers, blank by blank")}
                        </legend>
                        <p class="hint">
                            {move || {
                                tr.t(
                                    "按题干中空的顺序填写；同一个空有多个可接受的答案时用“/”分隔。",
                                    "In the order of the blanks in the stem; separate several accepted answers of one blank with “/”.",
                                )
                            }}
                        </p>
                        {(0..count).map(|i| blank_row(i, count)).collect_view()}
                        <div class="button-row">
                            <button type="button" data-testid="add-blank" disabled=count>
                                = MAX_BLANKS
                                on:click=move |_|
                                {blanks
                                    .update(|b| {
                                        if b.len() < MAX_BLANKS {
                                            b.push(String::new());
                                        }
                                    })}
                                >
                                {move || tr.t("添加一个空", "Add a blank")}
                            </button>
                        </div>
                        <div class="bank-check">
                            <input
                                type="checkbox"
                                id="qedit-ignore-punctuation"
                                data-testid="ignore-punctuation"
                                checked=ignore_punctuation.get_untracked()
                                on:change=move |ev| {
                                    ignore_punctuation.set(event_target_checked(&ev))
                                }
                            />
                            <label for="qedit-ignore-punctuation">
                                {move || {
                                    tr.t("判分时忽略标点", "Ignore punctuation when grading")
                                }}
                            </label>
                        </div>
                        {field_problems(tr, problems, |f| f == "答案" || f == "选项")}
                    </fieldset>
                }
                .into_any()
            }
        }
    };

    let on_image = Callback::new(move |media: Vec<UploadedMedia>| {
        stem.update(|s| {
            for m in media {
                if !s.is_empty() && !s.ends_with('\n') {
                    s.push('\n');
                }
                s.push_str(&format!("![图片](/media/{})", m.id));
            }
        });
    });

    let initial_stem = question.stem.clone();
    let initial_difficulty = question.difficulty;
    view! {
        <form class="form qedit" data-testid="question-form" novalidate on:submit=submit>
            {move || {
                let all = problems.get();
                (!all.is_empty())
                    .then(|| {
                        let count = all.len();
                        view! {
                            <div class="qedit-summary" role="alert" data-testid="question-problems">
                                <p>
                                    {move || {
                                        if tr.is_en() {
                                            format!("Please fix {count} problem(s):")
                                        } else {
                                            format!("请修改以下 {count} 处问题：")
                                        }
                                    }}
                                </p>
                                <ul>
                                    {all
                                        .into_iter()
                                        .map(|p| {
                                            let field = p.field.clone();
                                            view! {
                                                <li data-testid="question-problem">
                                                    <strong>{move || field_name(tr, &field)}</strong>
                                                    {move || {
                                                        if tr.is_en() {
                                                            format!(": {}", p.en)
                                                        } else {
                                                            format!("：{}", p.zh)
                                                        }
                                                    }}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </div>
                        }
                    })
            }}

            <label for="qedit-kind">{move || tr.t("题型", "Type")}</label>
            <select id="qedit-kind" data-testid="question-kind" on:change=change_kind>
                {QuestionKind::ALL
                    .into_iter()
                    .map(|k| {
                        view! {
                            <option value=k.code() selected=k == initial_kind>
                                {move || kind_label(tr, k)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {field_problems(tr, problems, |f| f == "题型")}

            <label for="qedit-stem">{move || tr.t("题干", "Stem")}</label>
            <textarea
                id="qedit-stem"
                rows="4"
                maxlength="2000"
                autocomplete="off"
                data-testid="question-stem"
                aria-describedby="qedit-stem-hint"
                prop:value=move || stem.get()
                on:input=move |ev| stem.set(event_target_value(&ev))
            >
                {initial_stem}
            </textarea>
            <p class="hint" id="qedit-stem-hint">
                {move || {
                    tr.t(
                        "可用 **粗体**；插入图片写作 ![说明](/media/编号)，或用下面的按钮上传；换行会保留。",
                        "Use **bold**; an image is ![caption](/media/ID), or upload one below; line breaks are kept.",
                    )
                }}
            </p>
            {field_problems(tr, problems, |f| f == "题干")}
            <MediaUpload
                kind="image"
                id="qedit-image"
                accept="image/png,image/jpeg,image/webp"
                on_done=on_image
                label=Signal::derive(move || tr.t("插入图片", "Insert an image").to_owned())
            />
            <div class="qedit-preview" data-testid="stem-preview" aria-live="polite">
                <span class="hint">{move || tr.t("预览：", "Preview: ")}</span>
                {move || view! { <Stem lines=parse_stem(&stem.get()) /> }}
            </div>

            {answer_area}

            <label for="qedit-explanation">
                {move || tr.t("解析（可选）", "Explanation (optional)")}
            </label>
            <textarea
                id="qedit-explanation"
                rows="3"
                maxlength="2000"
                autocomplete="off"
                data-testid="question-explanation"
                on:input=move |ev| explanation.set(event_target_value(&ev))
            >
                {question.explanation.clone()}
            </textarea>
            {field_problems(tr, problems, |f| f == "解析")}

            <div class="qedit-row">
                <div class="qedit-cell">
                    <label for="qedit-points">{move || tr.t("分值", "Points")}</label>
                    <input
                        id="qedit-points"
                        type="number"
                        min="1"
                        max="100"
                        step="1"
                        inputmode="numeric"
                        autocomplete="off"
                        data-testid="question-points"
                        value=points.get_untracked()
                        on:input=move |ev| points.set(event_target_value(&ev))
                    />
                    {field_problems(tr, problems, |f| f == "分值")}
                </div>
                <div class="qedit-cell">
                    <label for="qedit-difficulty">{move || tr.t("难度", "Difficulty")}</label>
                    <select
                        id="qedit-difficulty"
                        data-testid="question-difficulty"
                        on:change=move |ev| {
                            if let Ok(level) = event_target_value(&ev).parse::<u8>() {
                                difficulty.set(level);
                            }
                        }
                    >
                        {(1u8..=5)
                            .map(|level| {
                                view! {
                                    <option
                                        value=level.to_string()
                                        selected=level == initial_difficulty
                                    >
                                        {move || difficulty_label(tr, level)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    {field_problems(tr, problems, |f| f == "难度")}
                </div>
            </div>

            <div class="qedit-row">
                <div class="qedit-cell">
                    <label for="qedit-topic">
                        {move || tr.t("知识点（可选）", "Topic (optional)")}
                    </label>
                    <input
                        id="qedit-topic"
                        maxlength="50"
                        autocomplete="off"
                        data-testid="question-topic"
                        value=topic.get_untracked()
                        on:input=move |ev| topic.set(event_target_value(&ev))
                    />
                    {field_problems(tr, problems, |f| f == "知识点")}
                </div>
                <div class="qedit-cell">
                    <label for="qedit-lecturer">
                        {move || tr.t("讲师（可选）", "Lecturer (optional)")}
                    </label>
                    <input
                        id="qedit-lecturer"
                        maxlength="50"
                        autocomplete="off"
                        data-testid="question-lecturer"
                        aria-describedby="qedit-lecturer-hint"
                        value=lecturer.get_untracked()
                        on:input=move |ev| lecturer.set(event_target_value(&ev))
                    />
                    <p class="hint" id="qedit-lecturer-hint">
                        {move || {
                            tr.t(
                                "受邀讲师出的题，讲师一栏自动记为本人。",
                                "Questions by invited lecturers always carry their own name.",
                            )
                        }}
                    </p>
                    {field_problems(tr, problems, |f| f == "讲师")}
                </div>
            </div>

            <label for="qedit-source">
                {move || tr.t("来源（可选）", "Source (optional)")}
            </label>
            <input
                id="qedit-source"
                maxlength="200"
                autocomplete="off"
                data-testid="question-source"
                value=source.get_untracked()
                on:input=move |ev| source.set(event_target_value(&ev))
            />
            {field_problems(tr, problems, |f| f == "来源")}

            <label for="qedit-name">
                {move || {
                    tr.t(
                        "名称（可选，导出到 Moodle 时用作题目名称）",
                        "Name (optional; the question's name in Moodle exports)",
                    )
                }}
            </label>
            <input
                id="qedit-name"
                maxlength="255"
                autocomplete="off"
                data-testid="question-name"
                value=name.get_untracked()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            {field_problems(tr, problems, |f| f == "名称")}

            <label for="qedit-tags">
                {move || {
                    tr.t(
                        "标签（可选，用逗号分隔）",
                        "Tags (optional, separated by commas)",
                    )
                }}
            </label>
            <input
                id="qedit-tags"
                maxlength="250"
                autocomplete="off"
                data-testid="question-tags"
                value=tags_text.get_untracked()
                on:input=move |ev| tags_text.set(event_target_value(&ev))
            />
            {field_problems(tr, problems, |f| f == "标签")}

            <ErrorMessage error=Signal::derive(move || error.get()) />
            <div class="button-row">
                <button
                    type="submit"
                    class="primary"
                    data-testid="question-save"
                    disabled=move || busy.get()
                >
                    {move || {
                        if id.is_some() {
                            tr.t("保存修改", "Save changes")
                        } else {
                            tr.t("添加题目", "Add the question")
                        }
                    }}
                </button>
                {id
                    .is_none()
                    .then(|| {
                        view! {
                            <a class="button" href=format!("/banks/{bank}")>
                                {move || tr.t("取消", "Cancel")}
                            </a>
                        }
                    })}
            </div>
        </form>
    }
}
