//! The evaluation survey (培训评价) of a class:
//!
//! * `/classes/:id/survey`: the learner's form, one card per item, made for a
//!   phone (big touch targets, a live character counter for the opinion). The
//!   answers stay editable until the class closes; an unsent draft survives
//!   a reload or a dropped network in `localStorage`.
//! * `/classes/:id/survey/edit`: the organizer's builder.
//! * `/classes/:id/survey/results`: tallies with bars, the satisfaction rate,
//!   the opinions and the .xlsx export.

use crate::classes::survey::{
    ItemResult, LearnerSurvey, SurveyBuilder, SurveyResults, SurveySaved, SurveySubmitted,
    load_my_survey, load_survey_builder, load_survey_results, save_class_survey,
    submit_survey_answers,
};
use crate::components::browser::confirm;
use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::{Tr, use_tr};
use crate::error::AppError;
use academy_shared::exam::FieldProblem;
use academy_shared::survey::{
    Answer, Demographic, ItemKind, MAX_ITEMS, MAX_OPTIONS, MAX_RATING, MAX_TEXT_MIN_CHARS, Survey,
    SurveyItem, centi_label, char_count, check_response, check_survey, default_template,
    percent_label,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn problem_text(tr: Tr, problem: &FieldProblem) -> String {
    if tr.is_en() {
        problem.en.clone()
    } else {
        problem.zh.clone()
    }
}

fn pair_text(tr: Tr, (zh, en): &(String, String)) -> String {
    if tr.is_en() { en.clone() } else { zh.clone() }
}

fn kind_label(tr: Tr, kind: ItemKind) -> String {
    match kind {
        ItemKind::Single => tr.t("单选题", "Single choice").to_owned(),
        ItemKind::Multiple => tr.t("多选题", "Multiple choice").to_owned(),
        ItemKind::Rating { min, max } if tr.is_en() => format!("Rating {min}–{max}"),
        ItemKind::Rating { min, max } => format!("评分题（{min}–{max} 分）"),
        ItemKind::Text { min_chars } if min_chars > 0 && tr.is_en() => {
            format!("Text, at least {min_chars} characters")
        }
        ItemKind::Text { min_chars } if min_chars > 0 => format!("文字题（不少于 {min_chars} 字）"),
        ItemKind::Text { .. } => tr.t("文字题", "Text").to_owned(),
    }
}

// ---- the learner's form ------------------------------------------------------

/// Unsent answers kept on the device, and the saved version they started from.
#[derive(Serialize, Deserialize)]
struct Draft {
    based_on: Option<i64>,
    answers: BTreeMap<String, Answer>,
}

fn draft_key(class_id: i64) -> String {
    format!("academy_survey_draft_{class_id}")
}

fn draft_save(class_id: i64, draft: &Draft) {
    #[cfg(feature = "hydrate")]
    if let Ok(text) = serde_json::to_string(draft) {
        crate::components::browser::local_set(&draft_key(class_id), &text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (class_id, draft);
}

fn draft_load(class_id: i64) -> Option<Draft> {
    #[cfg(feature = "hydrate")]
    {
        let text = crate::components::browser::local_get(&draft_key(class_id))?;
        serde_json::from_str(&text).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = class_id;
        None
    }
}

fn draft_clear(class_id: i64) {
    crate::components::browser::local_remove(&draft_key(class_id));
}

#[component]
pub fn SurveyPage() -> impl IntoView {
    let id = use_id_param::<i64>();
    let data = Resource::new(
        move || id.get(),
        |id| async move { load_my_survey(found(id)?).await },
    );
    view! {
        <div class="survey-page">
            <Loaded resource=data loading=("正在载入问卷…", "Loading the survey…") let:data>
                <AnswerSheet data />
            </Loaded>
        </div>
    }
}

#[component]
fn AnswerSheet(data: LearnerSurvey) -> impl IntoView {
    let tr = use_tr();
    let class_id = data.class_id;
    let editable = data.editable;
    let survey = StoredValue::new(data.survey.clone());
    let answers = RwSignal::new(data.answers.clone());
    let saved_at = RwSignal::new(data.saved_at);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let tried = RwSignal::new(false);
    let dirty = RwSignal::new(false);
    let restored = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    // Some(certificate) once a submit succeeded on this page.
    let done = RwSignal::new(None::<Option<i64>>);

    // After hydration (the first render must match the server's): answers
    // typed but never sent, if they started from the version now saved.
    Effect::new(move |_| {
        if !editable {
            return;
        }
        if let Some(draft) = draft_load(class_id)
            && draft.based_on == saved_at.get_untracked()
            && draft.answers != answers.get_untracked()
        {
            answers.set(draft.answers);
            dirty.set(true);
            restored.set(true);
        }
    });

    let on_change = Callback::new(move |()| {
        dirty.set(true);
        done.set(None);
        if tried.get_untracked() {
            let found = survey.with_value(|s| {
                answers.with_untracked(|a| check_response(s, a).err().unwrap_or_default())
            });
            problems.set(found);
        }
        draft_save(
            class_id,
            &Draft {
                based_on: saved_at.get_untracked(),
                answers: answers.get_untracked(),
            },
        );
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !editable || busy.get_untracked() {
            return;
        }
        tried.set(true);
        error.set(None);
        done.set(None);
        let current = answers.get_untracked();
        if let Err(found) = survey.with_value(|s| check_response(s, &current)) {
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = submit_survey_answers(class_id, current).await;
            busy.set(false);
            match result {
                Ok(SurveySubmitted::Saved {
                    saved_at: at,
                    certificate_id,
                }) => {
                    saved_at.set(Some(at));
                    dirty.set(false);
                    restored.set(false);
                    done.set(Some(certificate_id));
                    draft_clear(class_id);
                }
                Ok(SurveySubmitted::Problems(found)) => problems.set(found),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let items = data.survey.items.clone();
    let locked = data.locked.clone();
    let intro = data.survey.intro.clone();
    let title = data.survey.title.clone();
    let anonymous = data.survey.anonymous_to_staff;
    view! {
        <p><a href=format!("/classes/{class_id}/home")>{move || tr.t("‹ 返回培训班", "‹ Back to the class")}</a></p>
        <h1>{title}</h1>
        <p class="muted">{data.class_title.clone()}</p>
        {(!intro.is_empty()).then(|| view! { <p class="survey-intro">{intro}</p> })}
        <p class="muted survey-legend-note">
            <span class="survey-required" aria-hidden="true">"*"</span>
            {move || tr.t(" 为必答题", " marks a required item")}
            {anonymous.then(|| view! { " · "{move || tr.t("本问卷为匿名评价，工作人员看不到您的姓名", "This survey is anonymous: staff do not see your name")} })}
        </p>
        {locked.map(|reason| view! {
            <p class="survey-locked" role="status" data-testid="survey-locked">{move || pair_text(tr, &reason)}</p>
        })}
        <Show when=move || saved_at.get().is_some() && done.get().is_none()>
            <p class="muted" data-testid="survey-saved-before">
                {move || if editable {
                    tr.t("您已提交过评价；结班前可以修改后再次提交。", "You have handed in the survey; you may change it until the class closes.")
                } else {
                    tr.t("您已提交过评价。", "You have handed in the survey.")
                }}
            </p>
        </Show>
        <Show when=move || restored.get()>
            <p class="survey-draft-note" role="status">{move || tr.t("已恢复您上次填写但尚未提交的答案。", "Answers you filled in but did not send have been restored.")}</p>
        </Show>
        <form class="survey-form" data-testid="survey-form" novalidate on:submit=submit>
            {items.into_iter().enumerate().map(|(index, item)| view! {
                <AnswerItem number={index + 1} item answers problems editable on_change />
            }).collect_view()}
            <Show when=move || problems.with(|p| !p.is_empty())>
                <div class="survey-problems" role="alert" data-testid="survey-problems">
                    <p><strong>{move || {
                        let n = problems.with(Vec::len);
                        if tr.is_en() { format!("{n} item(s) need attention:") } else { format!("有 {n} 处需要修改：") }
                    }}</strong></p>
                    <ul>
                        {move || problems.get().into_iter().map(|p| {
                            let href = format!("#survey-item-{}", p.field);
                            view! { <li><a href=href rel="external">{move || problem_text(tr, &p)}</a></li> }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            <ErrorMessage error=Signal::derive(move || error.get()) />
            {move || done.get().map(|certificate| view! {
                <div class="success-message survey-done" role="status" data-testid="survey-done">
                    <p>{move || tr.t("提交成功，感谢您的评价！结班前您仍可修改答案并重新提交。", "Handed in, thank you! You may change your answers and hand them in again until the class closes.")}</p>
                    {certificate.map(|c| view! {
                        <p><a href=format!("/certificates/{c}")>{move || tr.t("您已结业，查看培训证书", "You have completed the class: see your certificate")}</a></p>
                    })}
                    <p><a href=format!("/classes/{class_id}/home")>{move || tr.t("返回培训班", "Back to the class")}</a></p>
                </div>
            })}
            {editable.then(|| view! {
                <div class="survey-submit">
                    <Show when=move || dirty.get() && saved_at.get().is_some()>
                        <p class="muted">{move || tr.t("有尚未提交的修改", "You have changes not yet handed in")}</p>
                    </Show>
                    <button type="submit" class="primary big" data-testid="survey-submit" disabled=move || busy.get()>
                        {move || if busy.get() {
                            tr.t("正在提交…", "Sending…")
                        } else if saved_at.get().is_some() {
                            tr.t("提交修改", "Hand in the changes")
                        } else {
                            tr.t("提交评价", "Hand in")
                        }}
                    </button>
                </div>
            })}
        </form>
    }
}

#[component]
fn AnswerItem(
    number: usize,
    item: SurveyItem,
    answers: RwSignal<BTreeMap<String, Answer>>,
    problems: RwSignal<Vec<FieldProblem>>,
    editable: bool,
    on_change: Callback<()>,
) -> impl IntoView {
    let tr = use_tr();
    let key = item.key.clone();
    let current = {
        let key = key.clone();
        Signal::derive(move || answers.with(|a| a.get(&key).cloned()))
    };
    let set = {
        let key = key.clone();
        Callback::new(move |answer: Answer| {
            answers.update(|a| {
                a.insert(key.clone(), answer);
            });
            on_change.run(());
        })
    };
    let own_problems = {
        let key = key.clone();
        Signal::derive(move || {
            problems.with(|all| {
                all.iter()
                    .filter(|p| p.field == key)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let has_problem = move || own_problems.with(|p| !p.is_empty());
    let legend_id = format!("survey-{key}-legend");
    let problem_id = format!("survey-{key}-problem");
    let described_by = problem_id.clone();
    let name = format!("survey-{key}");

    let body = match item.kind {
        ItemKind::Single | ItemKind::Multiple => {
            let multiple = item.kind == ItemKind::Multiple;
            view! {
                <div class="survey-options">
                    {item.options.iter().enumerate().map(|(o, label)| {
                        let o = u8::try_from(o).unwrap_or(u8::MAX);
                        let id = format!("survey-{key}-{o}");
                        let label_for = id.clone();
                        let checked = move || match current.get() {
                            Some(Answer::Choice(c)) => c == o,
                            Some(Answer::Choices(chosen)) => chosen.contains(&o),
                            _ => false,
                        };
                        view! {
                            <label class="survey-option" for=label_for>
                                <input
                                    type={if multiple { "checkbox" } else { "radio" }}
                                    id=id
                                    name=name.clone()
                                    value=o.to_string()
                                    disabled=!editable
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        if multiple {
                                            let on = event_target_checked(&ev);
                                            let mut chosen = match current.get_untracked() {
                                                Some(Answer::Choices(c)) => c,
                                                _ => Vec::new(),
                                            };
                                            chosen.retain(|c| *c != o);
                                            if on {
                                                chosen.push(o);
                                                chosen.sort_unstable();
                                            }
                                            set.run(Answer::Choices(chosen));
                                        } else {
                                            set.run(Answer::Choice(o));
                                        }
                                    }
                                />
                                <span>{label.clone()}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        ItemKind::Rating { min, max } => view! {
            <div class="survey-rating">
                {(min..=max).map(|value| {
                    let id = format!("survey-{key}-{value}");
                    let label_for = id.clone();
                    view! {
                        <label class="survey-rate" for=label_for>
                            <input
                                type="radio"
                                id=id
                                name=name.clone()
                                value=value.to_string()
                                disabled=!editable
                                prop:checked=move || current.get() == Some(Answer::Rating(value))
                                on:change=move |_| set.run(Answer::Rating(value))
                            />
                            <span>{value.to_string()}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
            <p class="muted survey-scale">
                {move || if tr.is_en() {
                    format!("{min} = lowest, {max} = highest")
                } else {
                    format!("{min} 分最低，{max} 分最高")
                }}
            </p>
        }
        .into_any(),
        ItemKind::Text { min_chars } => {
            let counter_id = format!("survey-{key}-counter");
            let text = move || match current.get() {
                Some(Answer::Text(t)) => t,
                _ => String::new(),
            };
            let counted = move || char_count(&text());
            let min = usize::try_from(min_chars).unwrap_or(usize::MAX);
            view! {
                <textarea
                    class="survey-text"
                    id=format!("survey-{key}-text")
                    name=name.clone()
                    rows="6"
                    aria-labelledby=legend_id.clone()
                    aria-describedby=format!("{counter_id} {problem_id}")
                    aria-invalid=move || has_problem().to_string()
                    disabled=!editable
                    prop:value=text
                    on:input=move |ev| set.run(Answer::Text(event_target_value(&ev)))
                ></textarea>
                <p
                    class="survey-counter"
                    class:survey-counter-ok=move || { min > 0 && counted() >= min }
                    id=counter_id
                    data-testid="survey-counter"
                >
                    {move || {
                        let n = counted();
                        match (min_chars > 0, tr.is_en()) {
                            (true, false) => format!("已写 {n}/{min_chars} 字"),
                            (true, true) => format!("{n}/{min_chars} characters written"),
                            (false, false) => format!("已写 {n} 字"),
                            (false, true) => format!("{n} characters written"),
                        }
                    }}
                </p>
            }
            .into_any()
        }
    };

    view! {
        <fieldset
            class="card survey-item"
            class:survey-item-problem=has_problem
            id=format!("survey-item-{key}")
            aria-describedby=described_by
            data-testid="survey-item"
        >
            <legend class="survey-prompt" id=legend_id.clone()>
                <span class="survey-number">{number}"."</span>
                " "
                {item.prompt.clone()}
                {item.required.then(|| view! {
                    <span class="survey-required" aria-hidden="true">" *"</span>
                    <span class="visually-hidden">{move || tr.t("（必答）", " (required)")}</span>
                })}
            </legend>
            {(item.kind == ItemKind::Multiple).then(|| view! {
                <p class="muted survey-hint">{move || tr.t("可多选", "Choose one or more")}</p>
            })}
            {body}
            <div id=problem_id class="survey-problem" aria-live="polite">
                {move || own_problems.get().into_iter().map(|p| view! {
                    <p class="error-message">{move || problem_text(tr, &p)}</p>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

// ---- the organizer's builder ---------------------------------------------------

#[component]
pub fn SurveyEditPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<i64>();
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id.get(), reload.get()),
        |(id, _)| async move { load_survey_builder(found(id)?).await },
    );
    view! {
        <div class="survey-page survey-builder-page">
            <p><a href=move || id.get().map_or_else(|| "/classes".to_owned(), |id| format!("/classes/{id}"))>{move || tr.t("‹ 培训班", "‹ Class")}</a></p>
            <Loaded resource=data let:data>
                <SurveyEditor data reload />
            </Loaded>
        </div>
    }
}

fn empty_survey() -> Survey {
    Survey {
        title: "培训评价".to_owned(),
        intro: String::new(),
        items: Vec::new(),
        anonymous_to_staff: false,
    }
}

/// The first key of the form `qNN` no item uses yet.
fn next_key(survey: &Survey) -> String {
    (1..)
        .map(|n| format!("q{n:02}"))
        .find(|key| !survey.items.iter().any(|i| &i.key == key))
        .unwrap_or_default()
}

fn kind_code(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Single => "single",
        ItemKind::Multiple => "multiple",
        ItemKind::Rating { .. } => "rating",
        ItemKind::Text { .. } => "text",
    }
}

fn demographic_code(d: Demographic) -> &'static str {
    match d {
        Demographic::Gender => "gender",
        Demographic::AgeBand => "age",
        Demographic::Education => "education",
        Demographic::Employment => "employment",
        Demographic::TrainingsLast3Years => "trainings",
        Demographic::CumulativeTrainingHours => "hours",
    }
}

#[component]
fn SurveyEditor(data: SurveyBuilder, reload: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    let class_id = data.class_id;
    let may_edit = data.may_edit;
    let has_saved = RwSignal::new(data.survey.is_some());
    let draft = RwSignal::new(data.survey.clone().unwrap_or_else(empty_survey));
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let error = RwSignal::new(None::<AppError>);
    let note = RwSignal::new(None::<(&'static str, &'static str)>);
    let busy = RwSignal::new(false);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !may_edit || busy.get_untracked() {
            return;
        }
        error.set(None);
        note.set(None);
        let survey = draft.get_untracked();
        if let Err(found) = check_survey(&survey) {
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = save_class_survey(class_id, Some(survey)).await;
            busy.set(false);
            match result {
                Ok(SurveySaved::Saved) => {
                    has_saved.set(true);
                    note.set(Some(("问卷已保存", "The survey has been saved")));
                }
                Ok(SurveySaved::Problems(found)) => problems.set(found),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let use_template = move |_| {
        let replace = draft.with_untracked(|s| s.items.is_empty())
            || confirm(tr.t(
                "用默认模板（22题）替换当前的题目？未保存的修改将丢失。",
                "Replace the items with the default template (22 items)? Unsaved changes are lost.",
            ));
        if replace {
            draft.set(default_template());
            problems.set(Vec::new());
            note.set(Some((
                "已载入默认模板（22题），检查后请点击“保存问卷”",
                "The default template (22 items) is loaded: check it, then save",
            )));
        }
    };

    let remove = move |_| {
        if !confirm(tr.t(
            "删除本班的培训评价问卷？",
            "Remove this class's evaluation survey?",
        )) {
            return;
        }
        error.set(None);
        note.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = save_class_survey(class_id, None).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    has_saved.set(false);
                    draft.set(empty_survey());
                    problems.set(Vec::new());
                    note.set(Some(("问卷已删除", "The survey has been removed")));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let add_item = move |_| {
        draft.update(|s| {
            let key = next_key(s);
            s.items.push(SurveyItem {
                key,
                prompt: String::new(),
                kind: ItemKind::Single,
                options: vec![String::new(), String::new()],
                required: true,
                demographic: None,
            });
        });
    };

    let survey_problems = move || {
        problems.with(|all| {
            all.iter()
                .filter(|p| matches!(p.field.as_str(), "title" | "intro" | "items"))
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    let answered = data.answered;
    let enrolled = data.enrolled;
    view! {
        <h1>{move || tr.t("培训评价问卷", "Evaluation survey")}</h1>
        <p class="muted">{data.class_title.clone()}</p>
        <p class="survey-links">
            <a href=format!("/classes/{class_id}/survey/results")>{move || tr.t("查看评价结果", "See the results")}</a>
        </p>
        {(answered > 0).then(|| view! {
            <p class="survey-locked" role="status" data-testid="survey-readonly">
                {move || if tr.is_en() {
                    format!("{answered} of {enrolled} learners have answered: the survey can no longer be changed, so that their answers keep matching its items.")
                } else {
                    format!("已有 {answered}/{enrolled} 名学员提交评价，问卷不能再修改（以免已交的答卷与题目对不上）。")
                }}
            </p>
        })}
        <Show when=move || { may_edit && !has_saved.get() && draft.with(|s| s.items.is_empty()) }>
            <p class="muted" data-testid="survey-empty">{move || tr.t("本班还没有培训评价问卷：可以使用默认模板（22题），也可以逐题添加。", "This class has no evaluation survey yet: use the default template (22 items), or add items one by one.")}</p>
        </Show>
        {(!may_edit && answered == 0).then(|| view! {
            <p class="survey-locked" role="status">{move || tr.t("培训班已结束，问卷只能查看。", "The class is closed: the survey is read-only.")}</p>
        })}
        <form class="form survey-builder" data-testid="survey-builder" novalidate on:submit=save>
            <section class="card">
                <label for="survey-title">{move || tr.t("问卷标题", "Title")}</label>
                <input id="survey-title" autocomplete="off" maxlength="80" disabled=!may_edit
                    prop:value=move || draft.with(|s| s.title.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|s| s.title = v); } />
                <label for="survey-intro">{move || tr.t("问卷说明（可选）", "Introduction (optional)")}</label>
                <textarea id="survey-intro" rows="3" disabled=!may_edit
                    prop:value=move || draft.with(|s| s.intro.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|s| s.intro = v); }></textarea>
                <label class="check survey-check">
                    <input type="checkbox" disabled=!may_edit data-testid="survey-anonymous"
                        prop:checked=move || draft.with(|s| s.anonymous_to_staff)
                        on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|s| s.anonymous_to_staff = v); } />
                    {move || tr.t("匿名评价：结果和导出中不显示答卷人姓名", "Anonymous: results and exports show no names")}
                </label>
                {move || survey_problems().into_iter().map(|p| view! {
                    <p class="error-message">{move || problem_text(tr, &p)}</p>
                }).collect_view()}
            </section>
            {may_edit.then(|| view! {
                <p class="survey-toolbar">
                    <button type="button" data-testid="survey-template" on:click=use_template>
                        {move || tr.t("使用默认模板（22题）", "Use the default template (22 items)")}
                    </button>
                </p>
            })}
            <p class="muted">{move || {
                let n = draft.with(|s| s.items.len());
                if tr.is_en() { format!("{n} items") } else { format!("共 {n} 题") }
            }}</p>
            <ol class="survey-edit-items">
                <For each=move || 0..draft.with(|s| s.items.len()) key=|i| *i let:index>
                    <ItemEditor index draft problems may_edit />
                </For>
            </ol>
            {may_edit.then(|| view! {
                <p>
                    <button type="button" data-testid="survey-add-item"
                        disabled=move || { draft.with(|s| s.items.len() >= MAX_ITEMS) }
                        on:click=add_item>
                        {move || tr.t("＋ 添加题目", "+ Add an item")}
                    </button>
                </p>
            })}
            <Show when=move || problems.with(|p| !p.is_empty())>
                <div class="survey-problems" role="alert" data-testid="survey-builder-problems">
                    <p><strong>{move || tr.t("问卷未保存，请修改以下问题：", "Not saved. Please fix:")}</strong></p>
                    <ul>
                        {move || problems.get().into_iter().map(|p| view! { <li>{move || problem_text(tr, &p)}</li> }).collect_view()}
                    </ul>
                </div>
            </Show>
            <ErrorMessage error=Signal::derive(move || error.get()) />
            {move || note.get().map(|(zh, en)| view! {
                <p class="success-message" role="status" data-testid="survey-builder-note">{move || tr.t(zh, en)}</p>
            })}
            {may_edit.then(|| view! {
                <div class="survey-submit">
                    <button type="submit" class="primary big" data-testid="survey-save" disabled=move || busy.get()>
                        {move || tr.t("保存问卷", "Save the survey")}
                    </button>
                    <Show when=move || has_saved.get()>
                        <button type="button" class="link survey-remove" data-testid="survey-remove" disabled=move || busy.get() on:click=remove>
                            {move || tr.t("删除问卷", "Remove the survey")}
                        </button>
                    </Show>
                </div>
            })}
        </form>
    }
}

#[component]
fn ItemEditor(
    index: usize,
    draft: RwSignal<Survey>,
    problems: RwSignal<Vec<FieldProblem>>,
    may_edit: bool,
) -> impl IntoView {
    let tr = use_tr();
    let item = move || draft.with(|s| s.items.get(index).cloned());
    let update = move |f: &dyn Fn(&mut SurveyItem)| {
        draft.update(|s| {
            if let Some(item) = s.items.get_mut(index) {
                f(item);
            }
        })
    };
    let kind = move || item().map_or(ItemKind::Single, |i| i.kind);
    let count = move || draft.with(|s| s.items.len());
    let prefix = format!("survey-edit-{index}");
    let kind_prefix = prefix.clone();
    let demo_prefix = prefix.clone();
    let own_problems = move || {
        let key = item().map(|i| i.key).unwrap_or_default();
        problems.with(|all| {
            all.iter()
                .filter(|p| p.field == key)
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    let set_kind = move |code: String| {
        update(&|i| {
            let kind = match code.as_str() {
                "multiple" => ItemKind::Multiple,
                "rating" => match i.kind {
                    ItemKind::Rating { .. } => i.kind,
                    _ => ItemKind::Rating { min: 1, max: 5 },
                },
                "text" => match i.kind {
                    ItemKind::Text { .. } => i.kind,
                    _ => ItemKind::Text { min_chars: 0 },
                },
                _ => ItemKind::Single,
            };
            i.kind = kind;
            if kind.has_options() {
                while i.options.len() < 2 {
                    i.options.push(String::new());
                }
            } else {
                i.options.clear();
            }
            if kind != ItemKind::Single {
                i.demographic = None;
            }
        });
    };

    let move_up = move |_| {
        draft.update(|s| {
            if index > 0 && index < s.items.len() {
                s.items.swap(index, index - 1);
            }
        })
    };
    let move_down = move |_| {
        draft.update(|s| {
            if index + 1 < s.items.len() {
                s.items.swap(index, index + 1);
            }
        })
    };
    let remove = move |_| {
        draft.update(|s| {
            if index < s.items.len() {
                s.items.remove(index);
            }
        })
    };

    view! {
        <li class="card survey-edit-item" data-testid="survey-edit-item">
            <fieldset class="survey-edit-fields">
                <legend>
                    {move || if tr.is_en() { format!("Item {}", index + 1) } else { format!("第 {} 题", index + 1) }}
                    " · "
                    {move || kind_label(tr, kind())}
                </legend>
                <label for=format!("{prefix}-prompt")>{move || tr.t("题目", "Prompt")}</label>
                <textarea id=format!("{prefix}-prompt") rows="2" disabled=!may_edit
                    prop:value=move || item().map(|i| i.prompt).unwrap_or_default()
                    on:input=move |ev| { let v = event_target_value(&ev); update(&|i| i.prompt = v.clone()); }></textarea>
                <div class="survey-edit-row">
                    <div>
                        <label for=format!("{prefix}-kind")>{move || tr.t("题型", "Kind")}</label>
                        <select id=format!("{prefix}-kind") disabled=!may_edit on:change=move |ev| set_kind(event_target_value(&ev))>
                            {[
                                (ItemKind::Single, "单选题", "Single choice"),
                                (ItemKind::Multiple, "多选题", "Multiple choice"),
                                (ItemKind::Rating { min: 1, max: 5 }, "评分题", "Rating"),
                                (ItemKind::Text { min_chars: 0 }, "文字题", "Text"),
                            ].into_iter().map(|(k, zh, en)| view! {
                                <option value=kind_code(k) selected=move || kind_code(kind()) == kind_code(k)>{move || tr.t(zh, en)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for=format!("{prefix}-key")>{move || tr.t("编号（导出用）", "Key (for exports)")}</label>
                        <input id=format!("{prefix}-key") autocomplete="off" maxlength="32" disabled=!may_edit
                            prop:value=move || item().map(|i| i.key).unwrap_or_default()
                            on:input=move |ev| { let v = event_target_value(&ev); update(&|i| i.key = v.clone()); } />
                    </div>
                </div>
                {move || {
                    let prefix = kind_prefix.clone();
                    match kind() {
                    ItemKind::Single | ItemKind::Multiple => view! {
                        <OptionsEditor index draft may_edit prefix=prefix.clone() />
                    }.into_any(),
                    ItemKind::Rating { min, max } => view! {
                        <div class="survey-edit-row">
                            <div>
                                <label for=format!("{prefix}-min")>{move || tr.t("最低分", "Lowest")}</label>
                                <input id=format!("{prefix}-min") type="number" inputmode="numeric" min="0" max=MAX_RATING.to_string() disabled=!may_edit
                                    prop:value=min.to_string()
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev).parse::<u8>().unwrap_or(0);
                                        update(&|i| if let ItemKind::Rating { max, .. } = i.kind { i.kind = ItemKind::Rating { min: v, max }; });
                                    } />
                            </div>
                            <div>
                                <label for=format!("{prefix}-max")>{move || tr.t("最高分", "Highest")}</label>
                                <input id=format!("{prefix}-max") type="number" inputmode="numeric" min="1" max=MAX_RATING.to_string() disabled=!may_edit
                                    prop:value=max.to_string()
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev).parse::<u8>().unwrap_or(0);
                                        update(&|i| if let ItemKind::Rating { min, .. } = i.kind { i.kind = ItemKind::Rating { min, max: v }; });
                                    } />
                            </div>
                        </div>
                    }.into_any(),
                    ItemKind::Text { min_chars } => view! {
                        <label for=format!("{prefix}-minchars")>{move || tr.t("最少字数（0 为不限）", "Minimum characters (0: none)")}</label>
                        <input id=format!("{prefix}-minchars") type="number" inputmode="numeric" min="0" max=MAX_TEXT_MIN_CHARS.to_string() disabled=!may_edit
                            prop:value=min_chars.to_string()
                            on:change=move |ev| {
                                let v = event_target_value(&ev).parse::<u32>().unwrap_or(0);
                                update(&|i| i.kind = ItemKind::Text { min_chars: v });
                            } />
                    }.into_any(),
                    }
                }}
                <label class="check survey-check">
                    <input type="checkbox" disabled=!may_edit
                        prop:checked=move || item().is_some_and(|i| i.required)
                        on:change=move |ev| { let v = event_target_checked(&ev); update(&|i| i.required = v); } />
                    {move || tr.t("必答", "Required")}
                </label>
                <Show when=move || kind() == ItemKind::Single>
                    <label for=format!("{demo_prefix}-demo")>{move || tr.t("人员类别（用于分类统计，可不选）", "Describes the learner (for breakdowns; optional)")}</label>
                    <select id=format!("{demo_prefix}-demo") disabled=!may_edit on:change=move |ev| {
                        let code = event_target_value(&ev);
                        let d = Demographic::ALL.into_iter().find(|d| demographic_code(*d) == code);
                        update(&|i| i.demographic = d);
                    }>
                        <option value="" selected=move || item().is_some_and(|i| i.demographic.is_none())>{move || tr.t("无", "None")}</option>
                        {Demographic::ALL.into_iter().map(|d| view! {
                            <option value=demographic_code(d) selected=move || item().is_some_and(|i| i.demographic == Some(d))>
                                {move || if tr.is_en() { d.label_en() } else { d.label_zh() }}
                            </option>
                        }).collect_view()}
                    </select>
                </Show>
                {move || own_problems().into_iter().map(|p| view! {
                    <p class="error-message">{move || problem_text(tr, &p)}</p>
                }).collect_view()}
                {may_edit.then(|| view! {
                    <div class="survey-item-tools">
                        <button type="button" disabled=move || index == 0 on:click=move_up
                            aria-label=move || if tr.is_en() { format!("Move item {} up", index + 1) } else { format!("第 {} 题上移", index + 1) }>
                            {move || tr.t("↑ 上移", "↑ Up")}
                        </button>
                        <button type="button" disabled=move || { index + 1 >= count() } on:click=move_down
                            aria-label=move || if tr.is_en() { format!("Move item {} down", index + 1) } else { format!("第 {} 题下移", index + 1) }>
                            {move || tr.t("↓ 下移", "↓ Down")}
                        </button>
                        <button type="button" class="link" on:click=remove
                            aria-label=move || if tr.is_en() { format!("Remove item {}", index + 1) } else { format!("删除第 {} 题", index + 1) }>
                            {move || tr.t("删除", "Remove")}
                        </button>
                    </div>
                })}
            </fieldset>
        </li>
    }
}

#[component]
fn OptionsEditor(
    index: usize,
    draft: RwSignal<Survey>,
    may_edit: bool,
    prefix: String,
) -> impl IntoView {
    let tr = use_tr();
    let options = move || {
        draft.with(|s| {
            s.items
                .get(index)
                .map(|i| i.options.clone())
                .unwrap_or_default()
        })
    };
    let update = move |f: &dyn Fn(&mut Vec<String>)| {
        draft.update(|s| {
            if let Some(item) = s.items.get_mut(index) {
                f(&mut item.options);
            }
        })
    };
    view! {
        <fieldset class="survey-edit-options">
            <legend>{move || tr.t("选项", "Options")}</legend>
            <For each=move || 0..options().len() key=|o| *o let:o>
                {
                    let id = format!("{prefix}-opt{o}");
                    let label_for = id.clone();
                    view! {
                        <div class="survey-edit-option">
                            <label class="visually-hidden" for=label_for>
                                {move || if tr.is_en() { format!("Option {}", o + 1) } else { format!("选项 {}", o + 1) }}
                            </label>
                            <span aria-hidden="true" class="survey-option-letter">{academy_shared::exam::option_letter(o).to_string()}</span>
                            <input id=id autocomplete="off" maxlength="100" disabled=!may_edit
                                prop:value=move || options().get(o).cloned().unwrap_or_default()
                                on:input=move |ev| { let v = event_target_value(&ev); update(&|opts| if let Some(slot) = opts.get_mut(o) { slot.clone_from(&v); }); } />
                            {may_edit.then(|| view! {
                                <button type="button" class="link"
                                    aria-label=move || if tr.is_en() { format!("Remove option {}", o + 1) } else { format!("删除选项 {}", o + 1) }
                                    on:click=move |_| { update(&|opts| { if o < opts.len() { opts.remove(o); } }) }>
                                    "×"
                                </button>
                            })}
                        </div>
                    }
                }
            </For>
            {may_edit.then(|| view! {
                <button type="button" disabled=move || { options().len() >= MAX_OPTIONS }
                    on:click=move |_| update(&|opts| opts.push(String::new()))>
                    {move || tr.t("＋ 添加选项", "+ Add an option")}
                </button>
            })}
        </fieldset>
    }
}

// ---- the results ----------------------------------------------------------------

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let id = use_id_param::<i64>();
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
                view! { <a href=format!("/classes/{class_id}")>{move || tr.t("‹ 培训班", "‹ Class")}</a> }.into_any()
            } else {
                view! { <a href=format!("/classes/{class_id}/dashboard")>{move || tr.t("‹ 培训班统计", "‹ Class figures")}</a> }.into_any()
            }}
        </p>
    };
    let Some(title) = results.survey_title.clone() else {
        return view! {
            {back}
            <h1>{results.class_title.clone()}</h1>
            <p class="muted" data-testid="survey-none">{move || tr.t("本班还没有培训评价问卷。", "This class has no evaluation survey yet.")}</p>
            {may_manage.then(|| view! {
                <p><a class="button primary" href=format!("/classes/{class_id}/survey/edit")>{move || tr.t("设置问卷", "Set up the survey")}</a></p>
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
                {satisfaction.map(|(satisfied, total)| view! {
                    <div>
                        <dt>{move || tr.t("满意率", "Satisfied")}</dt>
                        <dd data-testid="survey-satisfaction">
                            {if total > 0 { percent_label(academy_shared::survey::basis_points(satisfied, total)) } else { "—".to_owned() }}
                            <span class="muted">{move || if tr.is_en() {
                                format!(" ({satisfied} of {total} satisfied or mostly satisfied)")
                            } else {
                                format!("（满意和基本满意 {satisfied}/{total} 人）")
                            }}</span>
                        </dd>
                    </div>
                })}
            </dl>
            {results.anonymous.then(|| view! {
                <p class="muted">{move || tr.t("匿名评价：不显示答卷人姓名。", "Anonymous survey: no names are shown.")}</p>
            })}
            {results.scoped.then(|| view! {
                <p class="muted">{move || tr.t("仅统计您负责地区学员的答卷。", "Only responses of learners in your regions are counted.")}</p>
            })}
            {results.withheld_below.map(|min| view! {
                <p class="notice" role="status" data-testid="survey-withheld">{move || if tr.is_en() {
                    format!("Fewer than {min} learners in your regions answered: the results are withheld so that nobody's answers can be told.")
                } else {
                    format!("您负责地区的作答少于 {min} 份：为保护作答人，不显示结果。")
                }}</p>
            })}
            <p class="survey-links">
                <a class="button" href=format!("/exports/classes/{class_id}/survey.xlsx") download rel="external" data-testid="survey-export">
                    {move || tr.t("下载 Excel（.xlsx）", "Download Excel (.xlsx)")}
                </a>
                {may_manage.then(|| view! {
                    " "
                    <a href=format!("/classes/{class_id}/survey/edit")>{move || tr.t("查看问卷", "See the survey")}</a>
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
                    <thead><tr>
                        <th scope="col">{move || match kind {
                            ItemKind::Rating { .. } => tr.t("分值", "Score"),
                            _ => tr.t("选项", "Option"),
                        }}</th>
                        <th scope="col" class="survey-num">{move || tr.t("人数", "Count")}</th>
                        <th scope="col" class="survey-num">{move || tr.t("比例", "Share")}</th>
                        <th scope="col" class="survey-bar-cell"><span class="visually-hidden">{move || tr.t("图示", "Bar")}</span></th>
                    </tr></thead>
                    <tbody>
                        {tally.buckets.iter().map(|b| view! {
                            <tr data-testid="survey-bucket">
                                <td>{b.label.clone()}</td>
                                <td class="survey-num">{b.count}</td>
                                <td class="survey-num">{percent_label(b.basis_points)}</td>
                                <td class="survey-bar-cell">
                                    <progress class="survey-bar" max="10000" value=b.basis_points.to_string() aria-hidden="true"></progress>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    });
    let texts = (!item.texts.is_empty()).then(|| {
        view! {
            <ol class="survey-texts" data-testid="survey-texts">
                {item.texts.into_iter().map(|t| view! {
                    <li>
                        <p class="survey-text-answer">{t.text}</p>
                        {t.name.map(|name| view! { <p class="muted survey-text-name">"— "{name}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        }
    });
    view! {
        <section class="card survey-result" data-testid="survey-result">
            <h2 class="survey-result-title"><span class="survey-number">{item.number}"."</span>" "{tally.prompt.clone()}</h2>
            <p class="muted">
                {move || kind_label(tr, kind)}" · "
                {move || if tr.is_en() { format!("{answered} answered") } else { format!("{answered} 人作答") }}
                {mean.map(|centi| view! {
                    " · "{move || if tr.is_en() { format!("mean {}", centi_label(centi)) } else { format!("平均 {} 分", centi_label(centi)) }}
                })}
            </p>
            {table}
            {texts}
        </section>
    }
}
