//! `/blueprints` (paper plans), `/blueprints/new` and `/blueprints/:id`: the
//! plan editor and the trainer's preview — a sampled paper with answers and
//! explanations, re-sampled with a new seed, the coverage table per type /
//! topic / lecturer / difficulty and the overlap of forms A and B.

use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, use_id_param};
use crate::components::text::{Tr, use_tr};
use crate::error::AppError;
use crate::exams::blueprints::{
    BankChoice, BlueprintEdit, BlueprintSaved, PreviewQuestion, blueprint_for_edit,
    list_blueprints, preview_blueprint, save_blueprint,
};
use crate::pages::exam::{Stem, kind_label};
use academy_shared::exam::blueprint::{Blueprint, Reveal, Section};
use academy_shared::exam::sampling::{Dimension, Shortfall};
use academy_shared::exam::{
    FieldProblem, MultiplePolicy, QuestionKind, format_points, option_letter,
};
use academy_shared::ids::{BankId, BlueprintId};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn BlueprintsPage() -> impl IntoView {
    let tr = use_tr();
    let list = Resource::new(|| (), |_| list_blueprints());
    view! {
        <h1>{move || tr.t("组卷方案", "Paper plans")}</h1>
        <p>
            <a href="/blueprints/new" class="button primary" data-testid="new-blueprint">
                {move || tr.t("新建方案", "New plan")}
            </a>
        </p>
        <Loaded resource=list let:rows>
            <ul class="plain-list" data-testid="blueprints">
                {rows
                    .into_iter()
                    .map(|b| {
                        view! {
                            <li class="card" data-testid="blueprint-item">
                                <a href=format!("/blueprints/{}", b.id)>
                                    <strong>{b.title.clone()}</strong>
                                </a>
                                <span class="muted">
                                    {move || {
                                        if tr.is_en() {
                                            format!(
                                                " · {} questions · {} points · {} min",
                                                b.question_count,
                                                format_points(b.total_points),
                                                b.time_limit_minutes,
                                            )
                                        } else {
                                            format!(
                                                " · {} 题 · {} 分 · {} 分钟",
                                                b.question_count,
                                                format_points(b.total_points),
                                                b.time_limit_minutes,
                                            )
                                        }
                                    }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Loaded>
    }
}

#[component]
pub fn BlueprintPage() -> impl IntoView {
    let tr = use_tr();
    // None on `/blueprints/new`.
    let id = use_id_param::<BlueprintId>();
    let reload = RwSignal::new(0u32);
    let edit = Resource::new(
        move || (id.get(), reload.get()),
        |(id, _)| blueprint_for_edit(id),
    );
    view! {
        <p>
            <a href="/blueprints">{move || tr.t("‹ 组卷方案", "‹ Paper plans")}</a>
        </p>
        <Loaded resource=edit let:edit>
            {
                let id = edit.id;
                view! {
                    <BlueprintForm edit reload />
                    {id.map(|id| view! { <PreviewPanel id /> })}
                }
            }
        </Loaded>
    }
}

fn cents_from_text(text: &str) -> Option<u32> {
    let value: f64 = text.trim().parse().ok()?;
    if !(0.0..=100_000.0).contains(&value) {
        return None;
    }
    Some((value * 100.0).round() as u32)
}

fn reveal_code(r: Reveal) -> &'static str {
    match r {
        Reveal::AfterSubmit => "submit",
        Reveal::AfterClose => "close",
        Reveal::Never => "never",
    }
}

fn reveal_from(code: &str) -> Reveal {
    match code {
        "close" => Reveal::AfterClose,
        "never" => Reveal::Never,
        _ => Reveal::AfterSubmit,
    }
}

#[component]
fn BlueprintForm(edit: BlueprintEdit, reload: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    let navigate = use_navigate();
    let banks = StoredValue::new(edit.banks.clone());
    let title = RwSignal::new(edit.title.clone());
    let body = RwSignal::new(edit.body.clone());
    let problems = RwSignal::new((Vec::<FieldProblem>::new(), Vec::<Shortfall>::new()));
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let may_edit = edit.may_edit;
    let id = edit.id;
    let pass_text = RwSignal::new(format_points(edit.body.pass_mark));

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        error.set(None);
        let Some(pass_mark) = cents_from_text(&pass_text.get_untracked()) else {
            error.set(Some(AppError::invalid(
                "及格分应为数字",
                "The pass mark must be a number",
            )));
            return;
        };
        let mut plan = body.get_untracked();
        plan.pass_mark = pass_mark;
        busy.set(true);
        let navigate = navigate.clone();
        let title = title.get_untracked();
        leptos::task::spawn_local(async move {
            let answer = save_blueprint(id, title, plan).await;
            busy.set(false);
            match answer {
                Ok(BlueprintSaved::Saved(new_id)) => {
                    problems.set(Default::default());
                    saved.set(true);
                    if id.is_none() {
                        navigate(&format!("/blueprints/{new_id}"), Default::default());
                    } else {
                        reload.update(|n| *n += 1);
                    }
                }
                Ok(BlueprintSaved::Problems {
                    settings,
                    shortfalls,
                }) => {
                    problems.set((settings, shortfalls));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let add_section = move |_| {
        let bank = banks.with_value(|b| b.first().map_or(BankId(0), |b| b.id));
        body.update(|b| {
            b.sections.push(Section {
                kind: QuestionKind::Single,
                bank,
                topics: Vec::new(),
                count: 5,
                points_each: 500,
            })
        });
    };

    let total = move || body.with(|b| format_points(b.total_points()));
    view! {
        <h1>
            {move || {
                if id.is_some() {
                    tr.t("组卷方案", "Paper plan")
                } else {
                    tr.t("新建组卷方案", "New paper plan")
                }
            }}
        </h1>
        <form class="form card blueprint-form" data-testid="blueprint-form" on:submit=save>
            <label for="bp-title">{move || tr.t("方案名称", "Title")}</label>
            <input
                id="bp-title"
                autocomplete="off"
                maxlength="60"
                required
                prop:value=move || title.get()
                on:input=move |ev| title.set(event_target_value(&ev))
                disabled=!may_edit
            />
            <h2>{move || tr.t("题目构成", "Sections")}</h2>
            <ol class="bp-sections">
                <For each=move || 0..body.with(|b| b.sections.len()) key=|i| *i let:i>
                    <SectionRow index=i body banks may_edit tr />
                </For>
            </ol>
            {may_edit
                .then(|| {
                    view! {
                        <button type="button" data-testid="add-section" on:click=add_section>
                            {move || tr.t("添加一部分", "Add a section")}
                        </button>
                    }
                })}
            <p data-testid="total-points">{move || tr.t("满分：", "Total: ")}{total}</p>
            <h2>{move || tr.t("考试设置", "Settings")}</h2>
            <div class="bp-settings">
                <label for="bp-time">
                    {move || tr.t("限时（分钟）", "Time limit (minutes)")}
                </label>
                <input
                    id="bp-time"
                    type="number"
                    inputmode="numeric"
                    min="1"
                    max="600"
                    disabled=!may_edit
                    prop:value=move || body.with(|b| b.time_limit_minutes.to_string())
                    on:input=move |ev| {
                        let v = event_target_value(&ev).parse().unwrap_or(0);
                        body.update(|b| b.time_limit_minutes = v);
                    }
                />
                <label for="bp-pass">{move || tr.t("及格分", "Pass mark")}</label>
                <input
                    id="bp-pass"
                    inputmode="decimal"
                    disabled=!may_edit
                    prop:value=move || pass_text.get()
                    on:input=move |ev| pass_text.set(event_target_value(&ev))
                />
                <label for="bp-attempts">
                    {move || tr.t("允许考试次数", "Attempts allowed")}
                </label>
                <input
                    id="bp-attempts"
                    type="number"
                    inputmode="numeric"
                    min="1"
                    max="20"
                    disabled=!may_edit
                    prop:value=move || body.with(|b| b.attempts_allowed.to_string())
                    on:input=move |ev| {
                        let v = event_target_value(&ev).parse().unwrap_or(0);
                        body.update(|b| b.attempts_allowed = v);
                    }
                />
                <label class="check">
                    <input
                        type="checkbox"
                        disabled=!may_edit
                        prop:checked=move || body.with(|b| b.shuffle_questions)
                        on:change=move |ev| {
                            let v = event_target_checked(&ev);
                            body.update(|b| b.shuffle_questions = v);
                        }
                    />
                    {move || tr.t("题目顺序随机", "Shuffle questions")}
                </label>
                <label class="check">
                    <input
                        type="checkbox"
                        disabled=!may_edit
                        prop:checked=move || body.with(|b| b.shuffle_options)
                        on:change=move |ev| {
                            let v = event_target_checked(&ev);
                            body.update(|b| b.shuffle_options = v);
                        }
                    />
                    {move || tr.t("选项顺序随机", "Shuffle options")}
                </label>
                <label for="bp-policy">
                    {move || tr.t("多选题计分", "Multiple choice scoring")}
                </label>
                <select
                    id="bp-policy"
                    disabled=!may_edit
                    on:change=move |ev| {
                        if let Some(v) = MultiplePolicy::from_code(&event_target_value(&ev)) {
                            body.update(|b| b.multiple_policy = v);
                        }
                    }
                >
                    {MultiplePolicy::ALL
                        .into_iter()
                        .map(|p| {
                            view! {
                                <option
                                    value=p.code()
                                    selected=move || body.with(|b| b.multiple_policy == p)
                                >
                                    {move || tr.label(p)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <label for="bp-results">
                    {move || tr.t("何时公布成绩", "When results are shown")}
                </label>
                <RevealSelect
                    id="bp-results"
                    value=Signal::derive(move || body.with(|b| b.show_results))
                    on_change=Callback::new(move |r| body.update(|b| b.show_results = r))
                    disabled=!may_edit
                />
                <label for="bp-answers">
                    {move || {
                        tr.t(
                            "何时公布答案和解析",
                            "When answers and explanations are shown",
                        )
                    }}
                </label>
                <RevealSelect
                    id="bp-answers"
                    value=Signal::derive(move || body.with(|b| b.show_answers))
                    on_change=Callback::new(move |r| body.update(|b| b.show_answers = r))
                    disabled=!may_edit
                />
            </div>
            <Show when=move || problems.with(|(a, b)| !a.is_empty() || !b.is_empty())>
                <ul class="error-list" role="alert" data-testid="blueprint-problems">
                    {move || {
                        problems
                            .with(|(settings, shortfalls)| {
                                let mut lines: Vec<(String, String)> = settings
                                    .iter()
                                    .map(|p| (p.zh.clone(), p.en.clone()))
                                    .collect();
                                lines
                                    .extend(
                                        shortfalls.iter().map(|s| (s.zh.clone(), s.en.clone())),
                                    );
                                lines
                                    .into_iter()
                                    .map(|(zh, en)| {
                                        view! {
                                            <li>
                                                {move || if tr.is_en() { en.clone() } else { zh.clone() }}
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            })
                    }}
                </ul>
            </Show>
            <ErrorMessage error=Signal::derive(move || error.get()) />
            <Show when=move || saved.get()>
                <p class="success-message" role="status" data-testid="blueprint-saved">
                    {move || tr.t("已保存", "Saved")}
                </p>
            </Show>
            {may_edit
                .then(|| {
                    view! {
                        <button type="submit" class="primary" disabled=move || busy.get()>
                            {move || tr.t("保存方案", "Save the plan")}
                        </button>
                    }
                })}
        </form>
    }
}

#[component]
fn RevealSelect(
    id: &'static str,
    value: Signal<Reveal>,
    on_change: Callback<Reveal>,
    disabled: bool,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <select
            id=id
            disabled=disabled
            on:change=move |ev| on_change.run(reveal_from(&event_target_value(&ev)))
        >
            {[
                (Reveal::AfterSubmit, "交卷后", "After handing in"),
                (Reveal::AfterClose, "考试关闭后", "After the exam closes"),
                (Reveal::Never, "不公布", "Never"),
            ]
                .into_iter()
                .map(|(r, zh, en)| {
                    view! {
                        <option value=reveal_code(r) selected=move || value.get() == r>
                            {move || tr.t(zh, en)}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

#[component]
fn SectionRow(
    index: usize,
    body: RwSignal<Blueprint>,
    banks: StoredValue<Vec<BankChoice>>,
    may_edit: bool,
    tr: Tr,
) -> impl IntoView {
    let section = move || body.with(|b| b.sections.get(index).cloned());
    let update = move |f: &dyn Fn(&mut Section)| {
        body.update(|b| {
            if let Some(s) = b.sections.get_mut(index) {
                f(s);
            }
        })
    };
    let topics_of = move |bank: BankId| {
        banks.with_value(|all| {
            all.iter()
                .find(|b| b.id == bank)
                .map(|b| b.topics.clone())
                .unwrap_or_default()
        })
    };
    let prefix = format!("sec{index}");
    view! {
        <li class="bp-section" data-testid="blueprint-section">
            <label for=format!("{prefix}-kind")>{move || tr.t("题型", "Type")}</label>
            <select
                id=format!("{prefix}-kind")
                disabled=!may_edit
                on:change=move |ev| {
                    if let Some(kind) = QuestionKind::from_code(&event_target_value(&ev)) {
                        update(&|s| s.kind = kind);
                    }
                }
            >
                {QuestionKind::ALL
                    .into_iter()
                    .map(|k| {
                        view! {
                            <option
                                value=k.code()
                                selected=move || section().is_some_and(|s| s.kind == k)
                            >
                                {move || kind_label(tr, k)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for=format!("{prefix}-bank")>{move || tr.t("题库", "Bank")}</label>
            <select
                id=format!("{prefix}-bank")
                disabled=!may_edit
                on:change=move |ev| {
                    if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                        update(
                            &|s| {
                                s.bank = BankId(id);
                                s.topics.clear();
                            },
                        );
                    }
                }
            >
                {banks
                    .with_value(|all| {
                        all.iter()
                            .map(|b| {
                                let bank = b.id;
                                view! {
                                    <option
                                        value=bank.to_string()
                                        selected=move || section().is_some_and(|s| s.bank == bank)
                                    >
                                        {b.title.clone()}
                                    </option>
                                }
                            })
                            .collect_view()
                    })}
            </select>
            <label for=format!("{prefix}-count")>{move || tr.t("题数", "Questions")}</label>
            <input
                id=format!("{prefix}-count")
                type="number"
                inputmode="numeric"
                min="1"
                max="200"
                disabled=!may_edit
                prop:value=move || section().map(|s| s.count.to_string()).unwrap_or_default()
                on:input=move |ev| {
                    let v = event_target_value(&ev).parse().unwrap_or(0);
                    update(&|s| s.count = v);
                }
            />
            <label for=format!(
                "{prefix}-points",
            )>{move || tr.t("每题分值", "Points each")}</label>
            <input
                id=format!("{prefix}-points")
                inputmode="decimal"
                disabled=!may_edit
                prop:value=move || {
                    section().map(|s| format_points(s.points_each)).unwrap_or_default()
                }
                on:change=move |ev| {
                    let v = cents_from_text(&event_target_value(&ev)).unwrap_or(0);
                    update(&|s| s.points_each = v);
                }
            />
            <fieldset class="bp-topics">
                <legend>
                    {move || tr.t("知识点（不选则不限）", "Topics (none chosen: any)")}
                </legend>
                {move || {
                    let bank = section().map_or(BankId(0), |s| s.bank);
                    topics_of(bank)
                        .into_iter()
                        .enumerate()
                        .map(|(t, topic)| {
                            let id = format!("{prefix}-t{t}");
                            let chosen = topic.clone();
                            let toggled = topic.clone();
                            view! {
                                <label class="check" for=id.clone()>
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        disabled=!may_edit
                                        prop:checked=move || {
                                            section().is_some_and(|s| s.topics.contains(&chosen))
                                        }
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let topic = toggled.clone();
                                            update(
                                                &|s| {
                                                    s.topics.retain(|t| *t != topic);
                                                    if on {
                                                        s.topics.push(topic.clone());
                                                    }
                                                },
                                            );
                                        }
                                    />
                                    {topic}
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </fieldset>
            {may_edit
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="link"
                            on:click=move |_| {
                                body.update(|b| {
                                    if index < b.sections.len() {
                                        b.sections.remove(index);
                                    }
                                })
                            }
                        >
                            {move || tr.t("删除这一部分", "Remove this section")}
                        </button>
                    }
                })}
        </li>
    }
}

#[component]
fn PreviewPanel(id: BlueprintId) -> impl IntoView {
    let tr = use_tr();
    let seed_text = RwSignal::new(String::new());
    let request = RwSignal::new(None::<Option<String>>);
    let form_b = RwSignal::new(false);
    let preview = Resource::new(
        move || request.get(),
        move |req| async move {
            match req {
                None => None,
                Some(seed) => Some(preview_blueprint(id, seed).await),
            }
        },
    );
    Effect::new(move |_| {
        if let Some(Some(Ok(p))) = preview.get() {
            seed_text.set(p.seed);
        }
    });
    view! {
        <section class="card preview" data-testid="preview">
            <h2>{move || tr.t("试卷预览", "Preview")}</h2>
            <div class="preview-controls">
                <button
                    type="button"
                    class="primary"
                    data-testid="resample"
                    on:click=move |_| request.set(Some(None))
                >
                    {move || tr.t("随机抽取一份", "Draw a new sample")}
                </button>
                <label for="seed">{move || tr.t("按种子抽取", "Draw with seed")}</label>
                <input
                    id="seed"
                    autocomplete="off"
                    inputmode="text"
                    maxlength="18"
                    prop:value=move || seed_text.get()
                    on:input=move |ev| seed_text.set(event_target_value(&ev))
                />
                <button
                    type="button"
                    data-testid="draw-seed"
                    on:click=move |_| request.set(Some(Some(seed_text.get_untracked())))
                >
                    {move || tr.t("抽取", "Draw")}
                </button>
            </div>
            <Loaded resource=Signal::derive(move || preview.get().flatten()) let:p>
                {match p {
                    p if !p.shortfalls.is_empty() => {
                        view! {
                            <ul class="error-list" role="alert">
                                {p
                                    .shortfalls
                                    .iter()
                                    .map(|s| {
                                        let (zh, en) = (s.zh.clone(), s.en.clone());
                                        view! {
                                            <li>
                                                {move || if tr.is_en() { en.clone() } else { zh.clone() }}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    p => {
                        let a = p.form_a.clone();
                        let b = p.form_b.clone();
                        view! {
                            <p data-testid="preview-seed">
                                {move || tr.t("种子：", "Seed: ")}<code>{p.seed.clone()}</code>
                                {move || {
                                    if tr.is_en() {
                                        format!(
                                            " · {} points · {} minutes · A/B overlap: {} questions",
                                            format_points(p.total_points),
                                            p.time_limit_minutes,
                                            p.overlap,
                                        )
                                    } else {
                                        format!(
                                            " · 满分 {} · 限时 {} 分钟 · A/B 卷重复 {} 题",
                                            format_points(p.total_points),
                                            p.time_limit_minutes,
                                            p.overlap,
                                        )
                                    }
                                }}
                            </p>
                            <span hidden data-testid="overlap">
                                {p.overlap}
                            </span>
                            <CoverageTable rows=p.coverage.clone() />
                            <div class="tabs" role="tablist">
                                <button
                                    type="button"
                                    role="tab"
                                    aria-selected=move || (!form_b.get()).to_string()
                                    data-testid="tab-a"
                                    on:click=move |_| form_b.set(false)
                                >
                                    {move || tr.t("A 卷", "Form A")}
                                </button>
                                <button
                                    type="button"
                                    role="tab"
                                    aria-selected=move || form_b.get().to_string()
                                    data-testid="tab-b"
                                    on:click=move |_| form_b.set(true)
                                >
                                    {move || tr.t("B 卷", "Form B")}
                                </button>
                            </div>
                            {move || {
                                let paper = if form_b.get() { b.clone() } else { a.clone() };
                                view! {
                                    <ol class="questions preview-paper" data-testid="preview-paper">
                                        {paper
                                            .into_iter()
                                            .enumerate()
                                            .map(|(i, q)| view! { <PreviewItem index=i q /> })
                                            .collect_view()}
                                    </ol>
                                }
                            }}
                        }
                            .into_any()
                    }
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn PreviewItem(index: usize, q: PreviewQuestion) -> impl IntoView {
    let tr = use_tr();
    let right = q.correct_letters.clone();
    let kind = q.shown.kind;
    view! {
        <li class="q card" data-testid="preview-question">
            <p class="q-head">
                <span class="q-number">{index + 1}"."</span>
                <span class="q-kind">{move || kind_label(tr, kind)}</span>
                <span class="q-points">{format_points(q.shown.points)}</span>
                <span class="muted">
                    {format!(" {} · {} · ★{}", q.topic, q.lecturer, q.difficulty)}
                </span>
            </p>
            <div class="q-stem">
                <Stem lines=q.shown.stem.clone() />
            </div>
            <ul class="options plain-list">
                {q
                    .shown
                    .options
                    .iter()
                    .enumerate()
                    .map(|(d, (_, text))| {
                        let letter = option_letter(d);
                        view! {
                            <li class:right-option=right
                                .contains(letter)>{letter.to_string()}". "{text.clone()}</li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>
                {move || tr.t("答案：", "Answer: ")}
                <strong data-testid="preview-answer">
                    {
                        let (zh, en, letters) = (
                            q.answer_zh.clone(),
                            q.answer_en.clone(),
                            q.correct_letters.clone(),
                        );
                        move || {
                            if !letters.is_empty() {
                                letters.clone()
                            } else if tr.is_en() {
                                en.clone()
                            } else {
                                zh.clone()
                            }
                        }
                    }
                </strong>
            </p>
            {(!q.explanation.is_empty())
                .then(|| {
                    view! {
                        <p class="explanation">
                            {move || tr.t("解析：", "Explanation: ")}{q.explanation.clone()}
                        </p>
                    }
                })}
        </li>
    }
}

#[component]
fn CoverageTable(rows: Vec<academy_shared::exam::sampling::CoverageRow>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="table-scroll">
            <table class="coverage" data-testid="coverage">
                <caption>
                    {move || {
                        tr.t(
                            "覆盖情况：题库可用 / A 卷抽到 / B 卷抽到",
                            "Coverage: available / drawn in A / drawn in B",
                        )
                    }}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{move || tr.t("维度", "By")}</th>
                        <th scope="col">{move || tr.t("值", "Value")}</th>
                        <th scope="col">{move || tr.t("可用", "Available")}</th>
                        <th scope="col">"A"</th>
                        <th scope="col">"B"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let dimension = row.dimension;
                            let value = row.value.clone();
                            view! {
                                <tr data-testid="coverage-row">
                                    <td>
                                        {move || match dimension {
                                            Dimension::Kind => tr.t("题型", "Type"),
                                            Dimension::Topic => tr.t("知识点", "Topic"),
                                            Dimension::Lecturer => tr.t("讲师", "Lecturer"),
                                            Dimension::Difficulty => tr.t("难度", "Difficulty"),
                                        }}
                                    </td>
                                    <td>
                                        {move || match dimension {
                                            Dimension::Kind => {
                                                QuestionKind::from_code(&value)
                                                    .map_or("", |k| kind_label(tr, k))
                                                    .to_owned()
                                            }
                                            _ if value.is_empty() => {
                                                tr.t("未标注", "Not set").to_owned()
                                            }
                                            _ => value.clone(),
                                        }}
                                    </td>
                                    <td>{row.available}</td>
                                    <td>{row.drawn_a}</td>
                                    <td>{row.drawn_b}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
