//! `/classes/:id/survey/edit`: the organizer's builder.

use super::{kind_label, problem_text};
use crate::classes::survey::{SurveyBuilder, SurveySaved, load_survey_builder, save_class_survey};
use crate::components::browser::confirm;
use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::error::AppError;
use academy_shared::exam::FieldProblem;
use academy_shared::ids::ClassId;
use academy_shared::survey::{
    Demographic, ItemKind, MAX_ITEMS, MAX_OPTIONS, MAX_RATING, MAX_TEXT_MIN_CHARS, Survey,
    SurveyItem, check_survey, default_template,
};
use leptos::prelude::*;

#[component]
pub fn SurveyEditPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<ClassId>();
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id.get(), reload.get()),
        |(id, _)| async move { load_survey_builder(found(id)?).await },
    );
    view! {
        <div class="survey-page survey-builder-page">
            <p>
                <a href=move || {
                    id.get().map_or_else(|| "/classes".to_owned(), |id| format!("/classes/{id}"))
                }>{move || tr.t("‹ 培训班", "‹ Class")}</a>
            </p>
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
            <a href=format!(
                "/classes/{class_id}/survey/results",
            )>{move || tr.t("查看评价结果", "See the results")}</a>
        </p>
        {(answered > 0)
            .then(|| {
                view! {
                    <p class="survey-locked" role="status" data-testid="survey-readonly">
                        {move || {
                            if tr.is_en() {
                                format!(
                                    "{answered} of {enrolled} learners have answered: the survey can no longer be changed, so that their answers keep matching its items.",
                                )
                            } else {
                                format!(
                                    "已有 {answered}/{enrolled} 名学员提交评价，问卷不能再修改（以免已交的答卷与题目对不上）。",
                                )
                            }
                        }}
                    </p>
                }
            })}
        <Show when=move || { may_edit && !has_saved.get() && draft.with(|s| s.items.is_empty()) }>
            <p class="muted" data-testid="survey-empty">
                {move || {
                    tr.t(
                        "本班还没有培训评价问卷：可以使用默认模板（22题），也可以逐题添加。",
                        "This class has no evaluation survey yet: use the default template (22 items), or add items one by one.",
                    )
                }}
            </p>
        </Show>
        {(!may_edit && answered == 0)
            .then(|| {
                view! {
                    <p class="survey-locked" role="status">
                        {move || {
                            tr.t(
                                "培训班已结束，问卷只能查看。",
                                "The class is closed: the survey is read-only.",
                            )
                        }}
                    </p>
                }
            })}
        <form class="form survey-builder" data-testid="survey-builder" novalidate on:submit=save>
            <section class="card">
                <label for="survey-title">{move || tr.t("问卷标题", "Title")}</label>
                <input
                    id="survey-title"
                    autocomplete="off"
                    maxlength="80"
                    disabled=!may_edit
                    prop:value=move || draft.with(|s| s.title.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|s| s.title = v);
                    }
                />
                <label for="survey-intro">
                    {move || tr.t("问卷说明（可选）", "Introduction (optional)")}
                </label>
                <textarea
                    id="survey-intro"
                    rows="3"
                    disabled=!may_edit
                    prop:value=move || draft.with(|s| s.intro.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|s| s.intro = v);
                    }
                ></textarea>
                <label class="check survey-check">
                    <input
                        type="checkbox"
                        disabled=!may_edit
                        data-testid="survey-anonymous"
                        prop:checked=move || draft.with(|s| s.anonymous_to_staff)
                        on:change=move |ev| {
                            let v = event_target_checked(&ev);
                            draft.update(|s| s.anonymous_to_staff = v);
                        }
                    />
                    {move || {
                        tr.t(
                            "匿名评价：结果和导出中不显示答卷人姓名",
                            "Anonymous: results and exports show no names",
                        )
                    }}
                </label>
                {move || {
                    survey_problems()
                        .into_iter()
                        .map(|p| {
                            view! { <p class="error-message">{move || problem_text(tr, &p)}</p> }
                        })
                        .collect_view()
                }}
            </section>
            {may_edit
                .then(|| {
                    view! {
                        <p class="survey-toolbar">
                            <button
                                type="button"
                                data-testid="survey-template"
                                on:click=use_template
                            >
                                {move || {
                                    tr.t(
                                        "使用默认模板（22题）",
                                        "Use the default template (22 items)",
                                    )
                                }}
                            </button>
                        </p>
                    }
                })}
            <p class="muted">
                {move || {
                    let n = draft.with(|s| s.items.len());
                    if tr.is_en() { format!("{n} items") } else { format!("共 {n} 题") }
                }}
            </p>
            <ol class="survey-edit-items">
                <For each=move || 0..draft.with(|s| s.items.len()) key=|i| *i let:index>
                    <ItemEditor index draft problems may_edit />
                </For>
            </ol>
            {may_edit
                .then(|| {
                    view! {
                        <p>
                            <button
                                type="button"
                                data-testid="survey-add-item"
                                disabled=move || { draft.with(|s| s.items.len() >= MAX_ITEMS) }
                                on:click=add_item
                            >
                                {move || tr.t("＋ 添加题目", "+ Add an item")}
                            </button>
                        </p>
                    }
                })}
            <Show when=move || problems.with(|p| !p.is_empty())>
                <div class="survey-problems" role="alert" data-testid="survey-builder-problems">
                    <p>
                        <strong>
                            {move || {
                                tr.t(
                                    "问卷未保存，请修改以下问题：",
                                    "Not saved. Please fix:",
                                )
                            }}
                        </strong>
                    </p>
                    <ul>
                        {move || {
                            problems
                                .get()
                                .into_iter()
                                .map(|p| view! { <li>{move || problem_text(tr, &p)}</li> })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </Show>
            <ErrorMessage error=Signal::derive(move || error.get()) />
            {move || {
                note.get()
                    .map(|(zh, en)| {
                        view! {
                            <p
                                class="success-message"
                                role="status"
                                data-testid="survey-builder-note"
                            >
                                {move || tr.t(zh, en)}
                            </p>
                        }
                    })
            }}
            {may_edit
                .then(|| {
                    view! {
                        <div class="survey-submit">
                            <button
                                type="submit"
                                class="primary big"
                                data-testid="survey-save"
                                disabled=move || busy.get()
                            >
                                {move || tr.t("保存问卷", "Save the survey")}
                            </button>
                            <Show when=move || has_saved.get()>
                                <button
                                    type="button"
                                    class="link survey-remove"
                                    data-testid="survey-remove"
                                    disabled=move || busy.get()
                                    on:click=remove
                                >
                                    {move || tr.t("删除问卷", "Remove the survey")}
                                </button>
                            </Show>
                        </div>
                    }
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
                    {move || {
                        if tr.is_en() {
                            format!("Item {}", index + 1)
                        } else {
                            format!("第 {} 题", index + 1)
                        }
                    }} " · " {move || kind_label(tr, kind())}
                </legend>
                <label for=format!("{prefix}-prompt")>{move || tr.t("题目", "Prompt")}</label>
                <textarea
                    id=format!("{prefix}-prompt")
                    rows="2"
                    disabled=!may_edit
                    prop:value=move || item().map(|i| i.prompt).unwrap_or_default()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|i| i.prompt = v.clone());
                    }
                ></textarea>
                <div class="survey-edit-row">
                    <div>
                        <label for=format!("{prefix}-kind")>{move || tr.t("题型", "Kind")}</label>
                        <select
                            id=format!("{prefix}-kind")
                            disabled=!may_edit
                            on:change=move |ev| set_kind(event_target_value(&ev))
                        >
                            {[
                                (ItemKind::Single, "单选题", "Single choice"),
                                (ItemKind::Multiple, "多选题", "Multiple choice"),
                                (ItemKind::Rating { min: 1, max: 5 }, "评分题", "Rating"),
                                (ItemKind::Text { min_chars: 0 }, "文字题", "Text"),
                            ]
                                .into_iter()
                                .map(|(k, zh, en)| {
                                    view! {
                                        <option
                                            value=kind_code(k)
                                            selected=move || kind_code(kind()) == kind_code(k)
                                        >
                                            {move || tr.t(zh, en)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for=format!(
                            "{prefix}-key",
                        )>{move || tr.t("编号（导出用）", "Key (for exports)")}</label>
                        <input
                            id=format!("{prefix}-key")
                            autocomplete="off"
                            maxlength="32"
                            disabled=!may_edit
                            prop:value=move || item().map(|i| i.key).unwrap_or_default()
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                update(&|i| i.key = v.clone());
                            }
                        />
                    </div>
                </div>
                {move || {
                    let prefix = kind_prefix.clone();
                    match kind() {
                        ItemKind::Single | ItemKind::Multiple => {
                            view! { <OptionsEditor index draft may_edit prefix=prefix.clone() /> }
                                .into_any()
                        }
                        ItemKind::Rating { min, max } => {
                            view! {
                                <div class="survey-edit-row">
                                    <div>
                                        <label for=format!(
                                            "{prefix}-min",
                                        )>{move || tr.t("最低分", "Lowest")}</label>
                                        <input
                                            id=format!("{prefix}-min")
                                            type="number"
                                            inputmode="numeric"
                                            min="0"
                                            max=MAX_RATING.to_string()
                                            disabled=!may_edit
                                            prop:value=min.to_string()
                                            on:change=move |ev| {
                                                let v = event_target_value(&ev).parse::<u8>().unwrap_or(0);
                                                update(
                                                    &|i| {
                                                        if let ItemKind::Rating { max, .. } = i.kind {
                                                            i.kind = ItemKind::Rating { min: v, max };
                                                        }
                                                    },
                                                );
                                            }
                                        />
                                    </div>
                                    <div>
                                        <label for=format!(
                                            "{prefix}-max",
                                        )>{move || tr.t("最高分", "Highest")}</label>
                                        <input
                                            id=format!("{prefix}-max")
                                            type="number"
                                            inputmode="numeric"
                                            min="1"
                                            max=MAX_RATING.to_string()
                                            disabled=!may_edit
                                            prop:value=max.to_string()
                                            on:change=move |ev| {
                                                let v = event_target_value(&ev).parse::<u8>().unwrap_or(0);
                                                update(
                                                    &|i| {
                                                        if let ItemKind::Rating { min, .. } = i.kind {
                                                            i.kind = ItemKind::Rating { min, max: v };
                                                        }
                                                    },
                                                );
                                            }
                                        />
                                    </div>
                                </div>
                            }
                                .into_any()
                        }
                        ItemKind::Text { min_chars } => {
                            view! {
                                <label for=format!(
                                    "{prefix}-minchars",
                                )>
                                    {move || {
                                        tr.t(
                                            "最少字数（0 为不限）",
                                            "Minimum characters (0: none)",
                                        )
                                    }}
                                </label>
                                <input
                                    id=format!("{prefix}-minchars")
                                    type="number"
                                    inputmode="numeric"
                                    min="0"
                                    max=MAX_TEXT_MIN_CHARS.to_string()
                                    disabled=!may_edit
                                    prop:value=min_chars.to_string()
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev).parse::<u32>().unwrap_or(0);
                                        update(&|i| i.kind = ItemKind::Text { min_chars: v });
                                    }
                                />
                            }
                                .into_any()
                        }
                    }
                }}
                <label class="check survey-check">
                    <input
                        type="checkbox"
                        disabled=!may_edit
                        prop:checked=move || item().is_some_and(|i| i.required)
                        on:change=move |ev| {
                            let v = event_target_checked(&ev);
                            update(&|i| i.required = v);
                        }
                    />
                    {move || tr.t("必答", "Required")}
                </label>
                <Show when=move || kind() == ItemKind::Single>
                    <label for=format!(
                        "{demo_prefix}-demo",
                    )>
                        {move || {
                            tr.t(
                                "人员类别（用于分类统计，可不选）",
                                "Describes the learner (for breakdowns; optional)",
                            )
                        }}
                    </label>
                    <select
                        id=format!("{demo_prefix}-demo")
                        disabled=!may_edit
                        on:change=move |ev| {
                            let code = event_target_value(&ev);
                            let d = Demographic::ALL
                                .into_iter()
                                .find(|d| demographic_code(*d) == code);
                            update(&|i| i.demographic = d);
                        }
                    >
                        <option
                            value=""
                            selected=move || item().is_some_and(|i| i.demographic.is_none())
                        >
                            {move || tr.t("无", "None")}
                        </option>
                        {Demographic::ALL
                            .into_iter()
                            .map(|d| {
                                view! {
                                    <option
                                        value=demographic_code(d)
                                        selected=move || {
                                            item().is_some_and(|i| i.demographic == Some(d))
                                        }
                                    >
                                        {move || {
                                            if tr.is_en() { d.label_en() } else { d.label_zh() }
                                        }}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </Show>
                {move || {
                    own_problems()
                        .into_iter()
                        .map(|p| {
                            view! { <p class="error-message">{move || problem_text(tr, &p)}</p> }
                        })
                        .collect_view()
                }}
                {may_edit
                    .then(|| {
                        view! {
                            <div class="survey-item-tools">
                                <button
                                    type="button"
                                    disabled=move || index == 0
                                    on:click=move_up
                                    aria-label=move || {
                                        if tr.is_en() {
                                            format!("Move item {} up", index + 1)
                                        } else {
                                            format!("第 {} 题上移", index + 1)
                                        }
                                    }
                                >
                                    {move || tr.t("↑ 上移", "↑ Up")}
                                </button>
                                <button
                                    type="button"
                                    disabled=move || { index + 1 >= count() }
                                    on:click=move_down
                                    aria-label=move || {
                                        if tr.is_en() {
                                            format!("Move item {} down", index + 1)
                                        } else {
                                            format!("第 {} 题下移", index + 1)
                                        }
                                    }
                                >
                                    {move || tr.t("↓ 下移", "↓ Down")}
                                </button>
                                <button
                                    type="button"
                                    class="link"
                                    on:click=remove
                                    aria-label=move || {
                                        if tr.is_en() {
                                            format!("Remove item {}", index + 1)
                                        } else {
                                            format!("删除第 {} 题", index + 1)
                                        }
                                    }
                                >
                                    {move || tr.t("删除", "Remove")}
                                </button>
                            </div>
                        }
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
                                {move || {
                                    if tr.is_en() {
                                        format!("Option {}", o + 1)
                                    } else {
                                        format!("选项 {}", o + 1)
                                    }
                                }}
                            </label>
                            <span aria-hidden="true" class="survey-option-letter">
                                {academy_shared::exam::option_letter(o).to_string()}
                            </span>
                            <input
                                id=id
                                autocomplete="off"
                                maxlength="100"
                                disabled=!may_edit
                                prop:value=move || options().get(o).cloned().unwrap_or_default()
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    update(
                                        &|opts| {
                                            if let Some(slot) = opts.get_mut(o) {
                                                slot.clone_from(&v);
                                            }
                                        },
                                    );
                                }
                            />
                            {may_edit
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="link"
                                            aria-label=move || {
                                                if tr.is_en() {
                                                    format!("Remove option {}", o + 1)
                                                } else {
                                                    format!("删除选项 {}", o + 1)
                                                }
                                            }
                                            on:click=move |_| {
                                                update(
                                                    &|opts| {
                                                        if o < opts.len() {
                                                            opts.remove(o);
                                                        }
                                                    },
                                                )
                                            }
                                        >
                                            "×"
                                        </button>
                                    }
                                })}
                        </div>
                    }
                }
            </For>
            {may_edit
                .then(|| {
                    view! {
                        <button
                            type="button"
                            disabled=move || { options().len() >= MAX_OPTIONS }
                            on:click=move |_| update(&|opts| opts.push(String::new()))
                        >
                            {move || tr.t("＋ 添加选项", "+ Add an option")}
                        </button>
                    }
                })}
        </fieldset>
    }
}
