//! `/classes/:id/survey`: the learner's form.

use super::problem_text;
use crate::classes::survey::{
    LearnerSurvey, SurveySubmitted, load_my_survey, submit_survey_answers,
};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::{Tr, use_tr};
use crate::error::AppError;
use academy_shared::exam::FieldProblem;
use academy_shared::ids::ClassId;
use academy_shared::survey::{Answer, ItemKind, SurveyItem, char_count, check_response};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn pair_text(tr: Tr, (zh, en): &(String, String)) -> String {
    if tr.is_en() { en.clone() } else { zh.clone() }
}

/// Unsent answers kept on the device, and the saved version they started from.
#[derive(Serialize, Deserialize)]
struct Draft {
    based_on: Option<i64>,
    answers: BTreeMap<String, Answer>,
}

fn draft_key(class_id: ClassId) -> String {
    format!("academy_survey_draft_{class_id}")
}

fn draft_save(class_id: ClassId, draft: &Draft) {
    #[cfg(feature = "hydrate")]
    if let Ok(text) = serde_json::to_string(draft) {
        crate::components::browser::local_set(&draft_key(class_id), &text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (class_id, draft);
}

fn draft_load(class_id: ClassId) -> Option<Draft> {
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

fn draft_clear(class_id: ClassId) {
    crate::components::browser::local_remove(&draft_key(class_id));
}

#[component]
pub fn SurveyPage() -> impl IntoView {
    let id = use_id_param::<ClassId>();
    let data = Resource::new(
        move || id.get(),
        |id| async move { load_my_survey(found(id)?).await },
    );
    view! {
        <div class="survey-page">
            <Loaded
                resource=data
                loading=("正在载入问卷…", "Loading the survey…")
                let:data
            >
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
        <p>
            <a href=format!(
                "/classes/{class_id}/home",
            )>{move || tr.t("‹ 返回培训班", "‹ Back to the class")}</a>
        </p>
        <h1>{title}</h1>
        <p class="muted">{data.class_title.clone()}</p>
        {(!intro.is_empty()).then(|| view! { <p class="survey-intro">{intro}</p> })}
        <p class="muted survey-legend-note">
            <span class="survey-required" aria-hidden="true">
                "*"
            </span>
            {move || tr.t(" 为必答题", " marks a required item")}
            {anonymous
                .then(|| {
                    view! {
                        " · "
                        {move || {
                            tr.t(
                                "本问卷为匿名评价，工作人员看不到您的姓名",
                                "This survey is anonymous: staff do not see your name",
                            )
                        }}
                    }
                })}
        </p>
        {locked
            .map(|reason| {
                view! {
                    <p class="survey-locked" role="status" data-testid="survey-locked">
                        {move || pair_text(tr, &reason)}
                    </p>
                }
            })}
        <Show when=move || saved_at.get().is_some() && done.get().is_none()>
            <p class="muted" data-testid="survey-saved-before">
                {move || {
                    if editable {
                        tr.t(
                            "您已提交过评价；结班前可以修改后再次提交。",
                            "You have handed in the survey; you may change it until the class closes.",
                        )
                    } else {
                        tr.t("您已提交过评价。", "You have handed in the survey.")
                    }
                }}
            </p>
        </Show>
        <Show when=move || restored.get()>
            <p class="survey-draft-note" role="status">
                {move || {
                    tr.t(
                        "已恢复您上次填写但尚未提交的答案。",
                        "Answers you filled in but did not send have been restored.",
                    )
                }}
            </p>
        </Show>
        <form class="survey-form" data-testid="survey-form" novalidate on:submit=submit>
            {items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    view! {
                        <AnswerItem number=index + 1 item answers problems editable on_change />
                    }
                })
                .collect_view()}
            <Show when=move || problems.with(|p| !p.is_empty())>
                <div class="survey-problems" role="alert" data-testid="survey-problems">
                    <p>
                        <strong>
                            {move || {
                                let n = problems.with(Vec::len);
                                if tr.is_en() {
                                    format!("{n} item(s) need attention:")
                                } else {
                                    format!("有 {n} 处需要修改：")
                                }
                            }}
                        </strong>
                    </p>
                    <ul>
                        {move || {
                            problems
                                .get()
                                .into_iter()
                                .map(|p| {
                                    let href = format!("#survey-item-{}", p.field);
                                    view! {
                                        <li>
                                            <a href=href rel="external">
                                                {move || problem_text(tr, &p)}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </Show>
            <ErrorMessage error=Signal::derive(move || error.get()) />
            {move || {
                done.get()
                    .map(|certificate| {
                        view! {
                            <div
                                class="success-message survey-done"
                                role="status"
                                data-testid="survey-done"
                            >
                                <p>
                                    {move || {
                                        tr.t(
                                            "提交成功，感谢您的评价！结班前您仍可修改答案并重新提交。",
                                            "Handed in, thank you! You may change your answers and hand them in again until the class closes.",
                                        )
                                    }}
                                </p>
                                {certificate
                                    .map(|c| {
                                        view! {
                                            <p>
                                                <a href=format!(
                                                    "/certificates/{c}",
                                                )>
                                                    {move || {
                                                        tr.t(
                                                            "您已结业，查看培训证书",
                                                            "You have completed the class: see your certificate",
                                                        )
                                                    }}
                                                </a>
                                            </p>
                                        }
                                    })}
                                <p>
                                    <a href=format!(
                                        "/classes/{class_id}/home",
                                    )>{move || tr.t("返回培训班", "Back to the class")}</a>
                                </p>
                            </div>
                        }
                    })
            }}
            {editable
                .then(|| {
                    view! {
                        <div class="survey-submit">
                            <Show when=move || dirty.get() && saved_at.get().is_some()>
                                <p class="muted">
                                    {move || {
                                        tr.t(
                                            "有尚未提交的修改",
                                            "You have changes not yet handed in",
                                        )
                                    }}
                                </p>
                            </Show>
                            <button
                                type="submit"
                                class="primary big"
                                data-testid="survey-submit"
                                disabled=move || busy.get()
                            >
                                {move || {
                                    if busy.get() {
                                        tr.t("正在提交…", "Sending…")
                                    } else if saved_at.get().is_some() {
                                        tr.t("提交修改", "Hand in the changes")
                                    } else {
                                        tr.t("提交评价", "Hand in")
                                    }
                                }}
                            </button>
                        </div>
                    }
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
                    {item
                        .options
                        .iter()
                        .enumerate()
                        .map(|(o, label)| {
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
                                        type=if multiple { "checkbox" } else { "radio" }
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
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
        ItemKind::Rating { min, max } => view! {
            <div class="survey-rating">
                {(min..=max)
                    .map(|value| {
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
                                    prop:checked=move || {
                                        current.get() == Some(Answer::Rating(value))
                                    }
                                    on:change=move |_| set.run(Answer::Rating(value))
                                />
                                <span>{value.to_string()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="muted survey-scale">
                {move || {
                    if tr.is_en() {
                        format!("{min} = lowest, {max} = highest")
                    } else {
                        format!("{min} 分最低，{max} 分最高")
                    }
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
                {item
                    .required
                    .then(|| {
                        view! {
                            <span class="survey-required" aria-hidden="true">
                                " *"
                            </span>
                            <span class="visually-hidden">
                                {move || tr.t("（必答）", " (required)")}
                            </span>
                        }
                    })}
            </legend>
            {(item.kind == ItemKind::Multiple)
                .then(|| {
                    view! {
                        <p class="muted survey-hint">
                            {move || tr.t("可多选", "Choose one or more")}
                        </p>
                    }
                })}
            {body}
            <div id=problem_id class="survey-problem" aria-live="polite">
                {move || {
                    own_problems
                        .get()
                        .into_iter()
                        .map(|p| {
                            view! { <p class="error-message">{move || problem_text(tr, &p)}</p> }
                        })
                        .collect_view()
                }}
            </div>
        </fieldset>
    }
}
