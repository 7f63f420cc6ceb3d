//! `/classes/new` and `/classes/:id`: the class form — title, description,
//! dates, the player's rules, the certificate's issuer, the ordered courses,
//! the pre-test and final-exam plans, which step waits for which, what
//! completing the class takes, and the default survey. A closed class is
//! shown read-only.

use crate::classes::manage::{ClassForm, ClassInput, ClassSaved, load_class_form, save_class};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::Loaded;
use crate::components::text::use_tr;
use crate::error::AppError;
use crate::pages::classes::StateBadge;
use academy_shared::class::{
    ALLOWED_RATES_MILLI, IDLE_MAX_SECONDS, IDLE_MIN_SECONDS, TITLE_MAX_CHARS,
};
use academy_shared::exam::FieldProblem;
use academy_shared::ids::{BlueprintId, ClassId, CoursewareId};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The form's fields by the name the server gives them in a problem, with
/// the id of the control to jump to from the summary.
const FIELD_IDS: [(&str, &str); 10] = [
    ("title", "class-title"),
    ("description", "class-description"),
    ("starts_on", "class-starts"),
    ("ends_on", "class-ends"),
    ("idle_prompt_seconds", "class-idle"),
    ("max_rate_milli", "class-rate"),
    ("issuer", "class-issuer"),
    ("courseware", "class-add-course"),
    ("min_credited_minutes", "class-min-minutes"),
    ("blueprints", "class-pre"),
];

fn field_anchor(field: &str) -> String {
    let id = FIELD_IDS
        .iter()
        .find(|(name, _)| *name == field)
        .map_or("class-title", |(_, id)| id);
    format!("#{id}")
}

#[component]
pub fn ClassEditPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let query = use_query_map();
    // No id: a new class; an id that is not a number: no such class.
    let id = Memo::new(move |_| {
        params.with(|p| match p.get("id") {
            None => Ok(None),
            Some(text) => text.parse::<ClassId>().map(Some).map_err(|_| ()),
        })
    });
    let reload = RwSignal::new(0u32);
    let saved = RwSignal::new(query.with_untracked(|q| q.get("saved").is_some()));
    let form = Resource::new(
        move || (id.get(), reload.get()),
        |(id, _)| async move {
            match id {
                Ok(id) => load_class_form(id).await,
                Err(()) => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <p>
            <a href="/classes">{move || tr.t("‹ 培训班", "‹ Classes")}</a>
        </p>
        <Loaded resource=form transition=true let:form>
            <ClassFormView form reload saved />
        </Loaded>
    }
}

/// Whole minutes when the seconds are a whole number of minutes.
fn idle_shown(seconds: i64) -> (bool, String) {
    if seconds > 0 && seconds % 60 == 0 {
        (true, (seconds / 60).to_string())
    } else {
        (false, seconds.to_string())
    }
}

#[component]
fn ClassFormView(form: ClassForm, reload: RwSignal<u32>, saved: RwSignal<bool>) -> impl IntoView {
    let tr = use_tr();
    let navigate = use_navigate();
    let input = form.input.clone();
    let id = input.id;
    let updated_at = input.updated_at;
    let read_only = form.state == academy_shared::class::ClassState::Closed;
    let has_survey = form.has_survey;

    let title = RwSignal::new(input.title.clone());
    let description = RwSignal::new(input.description.clone());
    let starts_on = RwSignal::new(input.starts_on.clone());
    let ends_on = RwSignal::new(input.ends_on.clone());
    let (minutes, idle) = idle_shown(input.idle_prompt_seconds);
    let idle_in_minutes = RwSignal::new(minutes);
    let idle_text = RwSignal::new(idle);
    let rate = RwSignal::new(input.max_rate_milli);
    let issuer = RwSignal::new(input.issuer.clone());
    let courses = RwSignal::new(input.courseware.clone());
    let pre = RwSignal::new(input.pre_blueprint);
    let final_plan = RwSignal::new(input.final_blueprint);
    let gating = RwSignal::new(input.gating);
    let completion = RwSignal::new(input.completion);
    let min_minutes = RwSignal::new(
        input
            .completion
            .min_credited_minutes
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let default_survey = RwSignal::new(input.default_survey);
    let catalogue = StoredValue::new(form.courseware.clone());
    let plans = StoredValue::new(form.blueprints.clone());
    let to_add = RwSignal::new(String::new());

    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let has_problem = move |field: &str| problems.with(|all| all.iter().any(|p| p.field == field));
    let described = move |field: &'static str, error_id: &'static str| {
        move || has_problem(field).then_some(error_id)
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if read_only || busy.get_untracked() {
            return;
        }
        saved.set(false);
        error.set(None);
        let mut local = Vec::new();
        let idle_seconds = match idle_text.get_untracked().trim().parse::<i64>() {
            Ok(n) if idle_in_minutes.get_untracked() => n.saturating_mul(60),
            Ok(n) => n,
            Err(_) => {
                local.push(FieldProblem::new(
                    "idle_prompt_seconds",
                    "请填写整数",
                    "Enter a whole number",
                ));
                0
            }
        };
        let minutes_text = min_minutes.get_untracked();
        let minimum = match minutes_text.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    local.push(FieldProblem::new(
                        "min_credited_minutes",
                        "最少学习时长应为正整数（分钟），或留空",
                        "The minimum study time is a positive whole number of minutes, or empty",
                    ));
                    None
                }
            },
        };
        if !local.is_empty() {
            problems.set(local);
            return;
        }
        let mut rule = completion.get_untracked();
        rule.min_credited_minutes = minimum;
        let input = ClassInput {
            id,
            updated_at,
            title: title.get_untracked(),
            description: description.get_untracked(),
            starts_on: starts_on.get_untracked(),
            ends_on: ends_on.get_untracked(),
            idle_prompt_seconds: idle_seconds,
            max_rate_milli: rate.get_untracked(),
            issuer: issuer.get_untracked(),
            courseware: courses.get_untracked(),
            pre_blueprint: pre.get_untracked(),
            final_blueprint: final_plan.get_untracked(),
            gating: gating.get_untracked(),
            completion: rule,
            default_survey: !has_survey && default_survey.get_untracked(),
        };
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let answer = save_class(input).await;
            busy.set(false);
            match answer {
                Ok(ClassSaved::Saved { id: saved_id }) => {
                    problems.set(Vec::new());
                    if id.is_none() {
                        navigate(
                            &format!("/classes/{saved_id}?saved=1"),
                            NavigateOptions {
                                replace: true,
                                ..Default::default()
                            },
                        );
                    } else {
                        saved.set(true);
                        reload.update(|n| *n += 1);
                    }
                }
                Ok(ClassSaved::Problems(found)) => problems.set(found),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let add_course = move || {
        if let Ok(course) = to_add.get_untracked().parse::<CoursewareId>() {
            courses.update(|list| {
                if !list.contains(&course) {
                    list.push(course);
                }
            });
            to_add.set(String::new());
        }
    };
    let course_label = move |course: CoursewareId| {
        catalogue.with_value(|all| {
            all.iter()
                .find(|(id, _, _)| *id == course)
                .map(|(_, title, lecturer)| (title.clone(), lecturer.clone(), true))
                .unwrap_or_else(|| (format!("#{course}"), String::new(), false))
        })
    };

    let heading = move || match id {
        Some(_) => tr.t("培训班", "Training class"),
        None => tr.t("新建培训班", "New training class"),
    };
    view! {
        <div class="class-toolbar">
            <h1>{heading}</h1>
            {id.map(|_| view! { <StateBadge state=form.state /> })}
        </div>
        {id
            .map(|id| {
                let (enrolled, reported, answered) = (
                    form.enrolled,
                    form.reported,
                    form.survey_answered,
                );
                view! {
                    <p class="class-meta">
                        <span data-testid="class-form-enrolled">
                            {move || {
                                if tr.is_en() {
                                    format!("{enrolled} enrolled, {reported} reported in")
                                } else {
                                    format!("学员 {enrolled} 人，已报到 {reported} 人")
                                }
                            }}
                        </span>
                        <span>
                            {move || {
                                if tr.is_en() {
                                    format!("{answered} survey answers")
                                } else {
                                    format!("评价 {answered} 份")
                                }
                            }}
                        </span>
                    </p>
                    <p class="class-links">
                        <a href=format!(
                            "/classes/{id}/learners",
                        )>{move || tr.t("学员名单", "Learners")}</a>
                        <a href=format!(
                            "/classes/{id}/settings",
                        )>{move || tr.t("学习设置", "Study settings")}</a>
                        <a href=format!(
                            "/classes/{id}/survey/edit",
                        )>{move || tr.t("评价问卷", "Survey")}</a>
                        <a href=format!(
                            "/classes/{id}/survey/results",
                        )>{move || tr.t("评价结果", "Survey results")}</a>
                        <a href=format!(
                            "/classes/{id}/dashboard",
                        )>{move || tr.t("统计", "Statistics")}</a>
                    </p>
                }
            })}
        {read_only
            .then(|| {
                view! {
                    <p class="class-readonly-note" role="note" data-testid="class-read-only">
                        {move || {
                            tr.t(
                                "培训班已结束，只能查看，不能再修改。",
                                "The class is closed: it can be viewed but no longer changed.",
                            )
                        }}
                    </p>
                }
            })}
        <Show when=move || saved.get()>
            <p class="success-message" role="status" data-testid="class-saved">
                {move || tr.t("已保存", "Saved")}
            </p>
        </Show>
        <form class="form card class-form" data-testid="class-form" on:submit=submit novalidate>
            <fieldset class="class-fieldset" disabled=read_only>
                <label for="class-title">{move || tr.t("培训班名称", "Title")}</label>
                <input
                    id="class-title"
                    name="title"
                    autocomplete="off"
                    required
                    maxlength=TITLE_MAX_CHARS.to_string()
                    aria-invalid=move || has_problem("title").to_string()
                    aria-describedby=described("title", "title-error")
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
                <FieldError field="title" problems />

                <label for="class-description">
                    {move || tr.t("简介（可选）", "Description (optional)")}
                </label>
                <textarea
                    id="class-description"
                    name="description"
                    rows="4"
                    autocomplete="off"
                    aria-invalid=move || has_problem("description").to_string()
                    aria-describedby=described("description", "description-error")
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))
                ></textarea>
                <FieldError field="description" problems />

                <div class="class-dates">
                    <div class="class-field">
                        <label for="class-starts">
                            {move || tr.t("开始日期", "First day")}
                        </label>
                        <input
                            id="class-starts"
                            name="starts_on"
                            type="date"
                            autocomplete="off"
                            aria-invalid=move || has_problem("starts_on").to_string()
                            aria-describedby=described("starts_on", "starts_on-error")
                            prop:value=move || starts_on.get()
                            on:input=move |ev| starts_on.set(event_target_value(&ev))
                        />
                        <FieldError field="starts_on" problems />
                    </div>
                    <div class="class-field">
                        <label for="class-ends">{move || tr.t("结束日期", "Last day")}</label>
                        <input
                            id="class-ends"
                            name="ends_on"
                            type="date"
                            autocomplete="off"
                            aria-invalid=move || has_problem("ends_on").to_string()
                            aria-describedby=described("ends_on", "ends_on-error")
                            prop:value=move || ends_on.get()
                            on:input=move |ev| ends_on.set(event_target_value(&ev))
                        />
                        <FieldError field="ends_on" problems />
                    </div>
                </div>

                <label for="class-idle">
                    {move || {
                        tr.t(
                            "无操作多久后暂停并提示“先消化学习内容”",
                            "Pause with “digest the content first” after no interaction for",
                        )
                    }}
                </label>
                <div class="class-inline">
                    <input
                        id="class-idle"
                        name="idle_prompt"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        autocomplete="off"
                        required
                        aria-invalid=move || has_problem("idle_prompt_seconds").to_string()
                        aria-describedby=move || {
                            if has_problem("idle_prompt_seconds") {
                                "idle-hint idle_prompt_seconds-error"
                            } else {
                                "idle-hint"
                            }
                        }
                        prop:value=move || idle_text.get()
                        on:input=move |ev| idle_text.set(event_target_value(&ev))
                    />
                    <select
                        id="class-idle-unit"
                        aria-label=move || tr.t("时间单位", "Unit")
                        on:change=move |ev| {
                            idle_in_minutes.set(event_target_value(&ev) == "minutes")
                        }
                    >
                        <option value="minutes" selected=move || idle_in_minutes.get()>
                            {move || tr.t("分钟", "minutes")}
                        </option>
                        <option value="seconds" selected=move || !idle_in_minutes.get()>
                            {move || tr.t("秒", "seconds")}
                        </option>
                    </select>
                </div>
                <p class="hint" id="idle-hint">
                    {move || {
                        if tr.is_en() {
                            format!(
                                "Default 20 minutes; between {IDLE_MIN_SECONDS} seconds and {} minutes.",
                                IDLE_MAX_SECONDS / 60,
                            )
                        } else {
                            format!(
                                "默认 20 分钟；可设 {IDLE_MIN_SECONDS} 秒至 {} 分钟。",
                                IDLE_MAX_SECONDS / 60,
                            )
                        }
                    }}
                </p>
                <FieldError field="idle_prompt_seconds" problems />

                <label for="class-rate">
                    {move || {
                        tr.t(
                            "最高播放倍速（超过则不计学时）",
                            "Fastest playback rate that still counts",
                        )
                    }}
                </label>
                <select
                    id="class-rate"
                    name="max_rate_milli"
                    aria-invalid=move || has_problem("max_rate_milli").to_string()
                    aria-describedby=described("max_rate_milli", "max_rate_milli-error")
                    on:change=move |ev| {
                        if let Ok(r) = event_target_value(&ev).parse::<i64>() {
                            rate.set(r);
                        }
                    }
                >
                    {ALLOWED_RATES_MILLI
                        .iter()
                        .map(|&r| {
                            view! {
                                <option value=r.to_string() selected=move || rate.get() == r>
                                    {format!("{}×", r as f64 / 1000.0)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldError field="max_rate_milli" problems />

                <label for="class-issuer">
                    {move || {
                        tr.t(
                            "发证单位（印在证书上）",
                            "Issuer (printed on the certificates)",
                        )
                    }}
                </label>
                <input
                    id="class-issuer"
                    name="issuer"
                    autocomplete="organization"
                    maxlength="80"
                    aria-invalid=move || has_problem("issuer").to_string()
                    aria-describedby=described("issuer", "issuer-error")
                    prop:value=move || issuer.get()
                    on:input=move |ev| issuer.set(event_target_value(&ev))
                />
                <FieldError field="issuer" problems />

                <fieldset class="class-group" data-testid="class-courses-group">
                    <legend>
                        {move || tr.t("课程（按学习顺序）", "Courses (in study order)")}
                    </legend>
                    <Show when=move || courses.with(Vec::is_empty)>
                        <p class="hint">
                            {move || {
                                tr.t(
                                    "还没有课程。发布前至少加入一门已审核通过的课程。",
                                    "No courses yet. Add at least one approved course before publishing.",
                                )
                            }}
                        </p>
                    </Show>
                    <ol class="class-courses" data-testid="class-courses">
                        <For each=move || courses.get() key=|course| *course let:course>
                            {
                                let (name, lecturer, known) = course_label(course);
                                let position = move || {
                                    courses
                                        .with(|list| {
                                            list.iter().position(|c| *c == course).unwrap_or(0)
                                        })
                                };
                                let at_end = move || position() + 1 >= courses.with(Vec::len);
                                let shift = move |by: isize| {
                                    courses
                                        .update(|list| {
                                            if let Some(i) = list.iter().position(|c| *c == course) {
                                                let j = i as isize + by;
                                                if j >= 0 && (j as usize) < list.len() {
                                                    list.swap(i, j as usize);
                                                }
                                            }
                                        })
                                };
                                let (up_name, down_name, remove_name) = (
                                    name.clone(),
                                    name.clone(),
                                    name.clone(),
                                );
                                view! {
                                    <li class="class-course" data-testid="class-course">
                                        <span class="class-course-title">
                                            {name}
                                            {(!lecturer.is_empty())
                                                .then(|| {
                                                    view! {
                                                        <span class="hint">{format!(" · {lecturer}")}</span>
                                                    }
                                                })}
                                            {(!known)
                                                .then(|| {
                                                    view! {
                                                        <span class="tag">
                                                            {move || tr.t("未审核通过", "Not approved")}
                                                        </span>
                                                    }
                                                })}
                                        </span>
                                        <span class="class-course-buttons">
                                            <button
                                                type="button"
                                                disabled=move || position() == 0
                                                aria-label=move || {
                                                    format!("{}：{up_name}", tr.t("上移", "Move up"))
                                                }
                                                on:click=move |_| shift(-1)
                                            >
                                                {move || tr.t("上移", "Up")}
                                            </button>
                                            <button
                                                type="button"
                                                disabled=at_end
                                                aria-label=move || {
                                                    format!("{}：{down_name}", tr.t("下移", "Move down"))
                                                }
                                                on:click=move |_| shift(1)
                                            >
                                                {move || tr.t("下移", "Down")}
                                            </button>
                                            <button
                                                type="button"
                                                data-testid="class-course-remove"
                                                aria-label=move || {
                                                    format!("{}：{remove_name}", tr.t("移除", "Remove"))
                                                }
                                                on:click=move |_| {
                                                    courses.update(|list| list.retain(|c| *c != course))
                                                }
                                            >
                                                {move || tr.t("移除", "Remove")}
                                            </button>
                                        </span>
                                    </li>
                                }
                            }
                        </For>
                    </ol>
                    <label for="class-add-course">
                        {move || {
                            tr.t(
                                "添加课程（已审核通过的课件）",
                                "Add a course (approved courseware)",
                            )
                        }}
                    </label>
                    <div class="class-inline">
                        <select
                            id="class-add-course"
                            data-testid="class-add-course"
                            aria-invalid=move || has_problem("courseware").to_string()
                            aria-describedby=described("courseware", "courseware-error")
                            on:change=move |ev| to_add.set(event_target_value(&ev))
                        >
                            <option value="" selected=move || to_add.get().is_empty()>
                                {move || tr.t("请选择", "Choose")}
                            </option>
                            {move || {
                                catalogue
                                    .with_value(|all| {
                                        let chosen = courses.get();
                                        all.iter()
                                            .filter(|(id, _, _)| !chosen.contains(id))
                                            .map(|(course, title, lecturer)| {
                                                let value = course.to_string();
                                                let selected = value.clone();
                                                view! {
                                                    <option
                                                        value=value
                                                        selected=move || to_add.get() == selected
                                                    >
                                                        {if lecturer.is_empty() {
                                                            title.clone()
                                                        } else {
                                                            format!("{title} · {lecturer}")
                                                        }}
                                                    </option>
                                                }
                                            })
                                            .collect_view()
                                    })
                            }}
                        </select>
                        <button
                            type="button"
                            data-testid="class-add-course-button"
                            disabled=move || to_add.get().is_empty()
                            on:click=move |_| add_course()
                        >
                            {move || tr.t("添加", "Add")}
                        </button>
                    </div>
                    <FieldError field="courseware" problems />
                </fieldset>

                <fieldset class="class-group">
                    <legend>{move || tr.t("测试", "Tests")}</legend>
                    <label for="class-pre">
                        {move || tr.t("班前测试的组卷方案", "Paper plan of the pre-test")}
                    </label>
                    <PlanSelect id="class-pre" plans chosen=pre />
                    <label for="class-final">
                        {move || {
                            tr.t("结业考试的组卷方案", "Paper plan of the final exam")
                        }}
                    </label>
                    <PlanSelect id="class-final" plans chosen=final_plan />
                    <p class="hint">
                        {move || {
                            tr.t(
                                "两场测试选同一方案时，结业考试用 B 卷，尽量不与学员的班前测试重复。已有学员参加的考试不能再换方案。",
                                "With the same plan for both tests the final exam uses form B, avoiding each learner's pre-test questions where the bank allows. An exam learners have sat keeps its plan.",
                            )
                        }}
                    </p>
                    <FieldError field="blueprints" problems />
                </fieldset>

                <fieldset class="class-group">
                    <legend>{move || tr.t("学习顺序", "Step order")}</legend>
                    <Check
                        label=("学完前测才能学习", "Study opens after the pre-test")
                        testid="gating-study-after-pre"
                        checked=Signal::derive(move || gating.with(|g| g.study_after_pre_test))
                        set=Callback::new(move |on| gating.update(|g| g.study_after_pre_test = on))
                    />
                    <Check
                        label=(
                            "学完课程才能结业考试",
                            "The final exam opens after all courses",
                        )
                        testid="gating-final-after-courses"
                        checked=Signal::derive(move || gating.with(|g| g.final_after_courses))
                        set=Callback::new(move |on| gating.update(|g| g.final_after_courses = on))
                    />
                    <Check
                        label=(
                            "提交评价才能结业考试",
                            "The final exam opens after the survey",
                        )
                        testid="gating-final-after-survey"
                        checked=Signal::derive(move || gating.with(|g| g.final_after_survey))
                        set=Callback::new(move |on| gating.update(|g| g.final_after_survey = on))
                    />
                    <Check
                        label=("学完课程才能评价", "The survey opens after all courses")
                        testid="gating-survey-after-courses"
                        checked=Signal::derive(move || gating.with(|g| g.survey_after_courses))
                        set=Callback::new(move |on| gating.update(|g| g.survey_after_courses = on))
                    />
                </fieldset>

                <fieldset class="class-group">
                    <legend>
                        {move || {
                            tr.t(
                                "结业条件（达到后发证书）",
                                "Completion (earns the certificate)",
                            )
                        }}
                    </legend>
                    <Check
                        label=("学完全部课程", "All courses completed")
                        testid="completion-all-courses"
                        checked=Signal::derive(move || completion.with(|c| c.all_courses))
                        set=Callback::new(move |on| completion.update(|c| c.all_courses = on))
                    />
                    <Check
                        label=("结业考试合格", "Final exam passed")
                        testid="completion-final-pass"
                        checked=Signal::derive(move || completion.with(|c| c.final_pass))
                        set=Callback::new(move |on| completion.update(|c| c.final_pass = on))
                    />
                    <Check
                        label=("提交培训评价", "Survey handed in")
                        testid="completion-survey"
                        checked=Signal::derive(move || completion.with(|c| c.survey))
                        set=Callback::new(move |on| completion.update(|c| c.survey = on))
                    />
                    <label for="class-min-minutes">
                        {move || {
                            tr.t(
                                "最少学习时长（分钟，可不填）",
                                "Minimum study time (minutes, optional)",
                            )
                        }}
                    </label>
                    <input
                        id="class-min-minutes"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        autocomplete="off"
                        aria-invalid=move || has_problem("min_credited_minutes").to_string()
                        aria-describedby=described(
                            "min_credited_minutes",
                            "min_credited_minutes-error",
                        )
                        prop:value=move || min_minutes.get()
                        on:input=move |ev| min_minutes.set(event_target_value(&ev))
                    />
                    <FieldError field="min_credited_minutes" problems />
                </fieldset>

                <fieldset class="class-group">
                    <legend>{move || tr.t("培训评价", "Evaluation survey")}</legend>
                    {if has_survey {
                        view! {
                            <p>
                                {move || {
                                    tr.t("本班已有评价问卷。", "The class has a survey.")
                                }}
                                {id
                                    .map(|id| {
                                        view! {
                                            " "
                                            <a href=format!(
                                                "/classes/{id}/survey/edit",
                                            )>{move || tr.t("修改问卷", "Edit the survey")}</a>
                                        }
                                    })}
                            </p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <Check
                                label=(
                                    "使用默认的 22 题评价问卷",
                                    "Use the default 22-item survey",
                                )
                                testid="class-default-survey"
                                checked=Signal::derive(move || default_survey.get())
                                set=Callback::new(move |on| default_survey.set(on))
                            />
                        }
                            .into_any()
                    }}
                </fieldset>
            </fieldset>

            <Show when=move || problems.with(|p| !p.is_empty())>
                <div class="class-problems" role="alert" data-testid="class-problems">
                    <p>
                        <strong>
                            {move || {
                                tr.t(
                                    "请改正以下问题后再保存：",
                                    "Please correct these before saving:",
                                )
                            }}
                        </strong>
                    </p>
                    <ul class="error-list">
                        {move || {
                            problems
                                .get()
                                .into_iter()
                                .map(|p| {
                                    let anchor = field_anchor(&p.field);
                                    view! {
                                        <li>
                                            <a href=anchor>
                                                {move || {
                                                    if tr.is_en() { p.en.clone() } else { p.zh.clone() }
                                                }}
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
            {(!read_only)
                .then(|| {
                    view! {
                        <button
                            type="submit"
                            class="primary big"
                            data-testid="class-save"
                            disabled=move || busy.get()
                        >
                            {move || {
                                if id.is_some() {
                                    tr.t("保存", "Save")
                                } else {
                                    tr.t("创建培训班", "Create the class")
                                }
                            }}
                        </button>
                    }
                })}
        </form>
    }
}

/// The problems the server found with one field, next to it.
#[component]
fn FieldError(field: &'static str, problems: RwSignal<Vec<FieldProblem>>) -> impl IntoView {
    let tr = use_tr();
    move || {
        let found: Vec<FieldProblem> =
            problems.with(|all| all.iter().filter(|p| p.field == field).cloned().collect());
        (!found.is_empty()).then(|| {
            let text = move || {
                found
                    .iter()
                    .map(|p| {
                        if tr.is_en() {
                            p.en.clone()
                        } else {
                            p.zh.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(if tr.is_en() { "; " } else { "；" })
            };
            view! {
                <p
                    class="class-field-error"
                    id=format!("{field}-error")
                    data-testid=format!("problem-{field}")
                >
                    {text}
                </p>
            }
        })
    }
}

/// A checkbox with its label around it (a big touch target).
#[component]
fn Check(
    label: (&'static str, &'static str),
    testid: &'static str,
    checked: Signal<bool>,
    set: Callback<bool>,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <label class="check class-check">
            <input
                type="checkbox"
                data-testid=testid
                prop:checked=move || checked.get()
                on:change=move |ev| set.run(event_target_checked(&ev))
            />
            {move || tr.t(label.0, label.1)}
        </label>
    }
}

/// A paper plan to pick, or none.
#[component]
fn PlanSelect(
    id: &'static str,
    plans: StoredValue<Vec<(BlueprintId, String)>>,
    chosen: RwSignal<Option<BlueprintId>>,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <select
            id=id
            data-testid=id
            on:change=move |ev| {
                chosen.set(event_target_value(&ev).parse::<i64>().ok().map(BlueprintId));
            }
        >
            <option value="" selected=move || chosen.get().is_none()>
                {move || tr.t("无", "None")}
            </option>
            {plans
                .with_value(|all| {
                    all.iter()
                        .map(|(plan, title)| {
                            let plan = *plan;
                            view! {
                                <option
                                    value=plan.to_string()
                                    selected=move || chosen.get() == Some(plan)
                                >
                                    {title.clone()}
                                </option>
                            }
                        })
                        .collect_view()
                })}
        </select>
    }
}
