//! `/classes`: the organizer's training classes (培训班) with their state
//! actions; `/classes/:id/settings`: what the player follows in a class
//! (organizers and administrators). The class form is in `class_edit.rs`, the
//! roster in `class_roster.rs`.

use crate::classes::api::{SaveClassSettings, class_settings};
use crate::classes::manage::{ChangeClassState, ClassRow, CopyClass, list_class_rows};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::{Tr, use_tr};
use academy_shared::class::ClassState;
use academy_shared::ids::{ClassId, MediaId};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The button that moves a class to `to`.
fn move_label(tr: Tr, to: ClassState) -> &'static str {
    match to {
        ClassState::Published => tr.t("发布", "Publish"),
        ClassState::Running => tr.t("开始", "Start"),
        ClassState::Closed => tr.t("结束", "Close"),
        ClassState::Draft => tr.t("撤回为草稿", "Back to draft"),
    }
}

/// The state as a badge, coloured by state.
#[component]
pub(crate) fn StateBadge(state: ClassState) -> impl IntoView {
    let tr = use_tr();
    let class = format!("class-state class-state-{}", state.code());
    view! {
        <span class=class data-testid="class-state">
            {move || tr.label(state)}
        </span>
    }
}

#[component]
pub fn ClassesPage() -> impl IntoView {
    let tr = use_tr();
    let change = ServerAction::<ChangeClassState>::new();
    let copy = ServerAction::<CopyClass>::new();
    // The class whose closing waits for a second click.
    let confirming = RwSignal::new(None::<ClassId>);
    // The class last moved, which shows why a move was refused.
    let acted = RwSignal::new(None::<ClassId>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = copy.value().get() {
            navigate(&format!("/classes/{id}"), Default::default());
        }
    });
    let classes = Resource::new(
        move || (change.version().get(), copy.version().get()),
        |_| list_class_rows(),
    );
    let busy = Signal::derive(move || change.pending().get() || copy.pending().get());
    view! {
        <div class="class-toolbar">
            <h1>{move || tr.t("培训班", "Training classes")}</h1>
            <a href="/classes/new" class="button primary" data-testid="new-class">
                {move || tr.t("新建培训班", "New class")}
            </a>
        </div>
        <ErrorMessage error=Signal::derive(move || copy.value().get().and_then(Result::err)) />
        <Loaded resource=classes let:list>
            {match list {
                list if list.is_empty() => {
                    view! {
                        <p class="card notice" data-testid="classes">
                            {move || tr.t("还没有培训班。", "No classes yet.")}
                        </p>
                    }
                        .into_any()
                }
                list => {
                    view! {
                        <ul class="plain-list class-list" data-testid="classes">
                            {list
                                .into_iter()
                                .map(|row| {
                                    view! { <ClassCard row change copy confirming acted busy /> }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </Loaded>
    }
}

#[component]
fn ClassCard(
    row: ClassRow,
    change: ServerAction<ChangeClassState>,
    copy: ServerAction<CopyClass>,
    confirming: RwSignal<Option<ClassId>>,
    acted: RwSignal<Option<ClassId>>,
    busy: Signal<bool>,
) -> impl IntoView {
    let tr = use_tr();
    let id = row.id;
    let closed = row.state == ClassState::Closed;
    let moves = row.state.next_states();
    let title = row.title.clone();
    let confirm_title = row.title.clone();
    let (enrolled, lessons) = (row.enrolled, row.lessons);
    let dates = row.dates.clone();
    view! {
        <li class="card class-card" data-testid="class-row" data-class-id=id.to_string()>
            <div class="class-card-head">
                <a class="class-card-title" href=format!("/classes/{id}")>
                    {title}
                </a>
                <StateBadge state=row.state />
            </div>
            <p class="class-meta">
                <span>
                    {move || {
                        if dates.is_empty() {
                            tr.t("未定日期", "No dates set").to_owned()
                        } else {
                            dates.clone()
                        }
                    }}
                </span>
                <span data-testid="class-enrolled">
                    {move || {
                        if tr.is_en() {
                            format!("{enrolled} learners")
                        } else {
                            format!("学员 {enrolled} 人")
                        }
                    }}
                </span>
                <span data-testid="class-lessons">
                    {move || {
                        if tr.is_en() {
                            format!("{lessons} courses")
                        } else {
                            format!("课程 {lessons} 门")
                        }
                    }}
                </span>
            </p>
            <div class="button-row class-actions">
                <a class="button" href=format!("/classes/{id}") data-testid="class-edit">
                    {move || if closed { tr.t("查看", "View") } else { tr.t("编辑", "Edit") }}
                </a>
                <a
                    class="button"
                    href=format!("/classes/{id}/learners")
                    data-testid="class-learners"
                >
                    {move || tr.t("学员", "Learners")}
                </a>
                <button
                    type="button"
                    data-testid="class-copy"
                    disabled=move || busy.get()
                    on:click=move |_| {
                        copy.dispatch(CopyClass { id });
                    }
                >
                    {move || tr.t("复制", "Copy")}
                </button>
                {moves
                    .iter()
                    .copied()
                    .map(|to| {
                        let primary = matches!(to, ClassState::Published | ClassState::Running);
                        view! {
                            <button
                                type="button"
                                class:primary=primary
                                data-testid=format!("class-to-{}", to.code())
                                disabled=move || busy.get()
                                aria-expanded=move || {
                                    (to == ClassState::Closed)
                                        .then(|| (confirming.get() == Some(id)).to_string())
                                }
                                on:click=move |_| {
                                    if to == ClassState::Closed {
                                        confirming.set(Some(id));
                                    } else {
                                        confirming.set(None);
                                        acted.set(Some(id));
                                        change
                                            .dispatch(ChangeClassState {
                                                id,
                                                to: to.code().to_owned(),
                                            });
                                    }
                                }
                            >
                                {move || move_label(tr, to)}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <ErrorMessage error=Signal::derive(move || {
                (acted.get() == Some(id))
                    .then(|| change.value().get().and_then(Result::err))
                    .flatten()
            }) />
            <Show when=move || confirming.get() == Some(id)>
                <div
                    class="class-confirm"
                    role="group"
                    aria-label=move || tr.t("确认结束培训班", "Confirm closing the class")
                    data-testid="class-close-confirm"
                >
                    <p>
                        <strong>
                            {move || tr.t("确定结束“", "Close “")}{confirm_title.clone()}
                            {move || tr.t("”吗？", "”?")}
                        </strong>
                        " "
                        {move || {
                            tr.t(
                                "结束后培训班只能查看：不能再修改、报名、学习、考试或评价，考试随之关闭；成绩、证书和统计保留。此操作不能撤销。",
                                "A closed class is read-only: no more edits, enrolment, study, exams or survey answers, and its exams close; scores, certificates and statistics stay. This cannot be undone.",
                            )
                        }}
                    </p>
                    <div class="button-row">
                        <button
                            type="button"
                            class="primary"
                            data-testid="class-close-yes"
                            disabled=move || busy.get()
                            on:click=move |_| {
                                confirming.set(None);
                                acted.set(Some(id));
                                change
                                    .dispatch(ChangeClassState {
                                        id,
                                        to: ClassState::Closed.code().to_owned(),
                                    });
                            }
                        >
                            {move || tr.t("确定结束", "Close the class")}
                        </button>
                        <button
                            type="button"
                            data-testid="class-close-no"
                            on:click=move |_| confirming.set(None)
                        >
                            {move || tr.t("取消", "Cancel")}
                        </button>
                    </div>
                </div>
            </Show>
            <p class="class-links">
                <a href=format!("/classes/{id}/settings") data-testid="class-settings-link">
                    {move || tr.t("学习设置", "Study settings")}
                </a>
                <a href=format!(
                    "/classes/{id}/dashboard",
                )>{move || tr.t("统计", "Statistics")}</a>
                <a href=format!("/classes/{id}/groups") data-testid="class-groups-link">
                    {move || tr.t("学习小组", "Groups")}
                </a>
                <a href=format!(
                    "/classes/{id}/topics",
                )>{move || tr.t("每日话题", "Daily topics")}</a>
                <a href=format!(
                    "/classes/{id}/summaries",
                )>{move || tr.t("讨论汇总表", "Summaries")}</a>
                <a href=format!(
                    "/classes/{id}/report",
                )>{move || tr.t("每日报告", "Daily report")}</a>
                <a href=format!(
                    "/classes/{id}/survey/edit",
                )>{move || tr.t("评价问卷", "Survey")}</a>
                <a href=format!(
                    "/classes/{id}/survey/results",
                )>{move || tr.t("评价结果", "Survey results")}</a>
            </p>
        </li>
    }
}

#[component]
pub fn ClassSettingsPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<ClassId>();
    let save = ServerAction::<SaveClassSettings>::new();
    let settings = Resource::new(
        move || (id.get(), save.version().get()),
        |(id, _)| async move { class_settings(found(id)?).await },
    );
    view! {
        <p>
            <a href="/classes">{move || tr.t("‹ 培训班", "‹ Classes")}</a>
        </p>
        <Loaded resource=settings let:s>
            <h1>{s.title.clone()}</h1>
            <section class="card">
                <h2>{move || tr.t("学习设置", "Study settings")}</h2>
                <ActionForm action=save attr:class="form" attr:data-testid="class-settings">
                    <input type="hidden" name="id" value=s.id.to_string() />
                    <p class="hint" data-testid="class-settings-rules">
                        {
                            let (idle, rate) = (
                                s.idle_prompt_seconds,
                                s.max_rate_milli as f64 / 1000.0,
                            );
                            move || {
                                if tr.is_en() {
                                    format!(
                                        "Idle prompt after {idle} s without interaction; counted up to {rate}×. ",
                                    )
                                } else {
                                    format!(
                                        "无操作 {idle} 秒后暂停并提醒；最高 {rate} 倍速计学时。",
                                    )
                                }
                            }
                        }
                        <a href=format!(
                            "/classes/{}",
                            s.id,
                        )>
                            {move || {
                                tr.t("在培训班表单中修改", "Change them on the class form")
                            }}
                        </a>
                    </p>
                    <label for="intro-id">
                        {move || {
                            tr.t(
                                "片头（可选，不计学时）",
                                "Intro clip (optional, not counted)",
                            )
                        }}
                    </label>
                    <ClipSelect
                        id="intro-id"
                        name="intro_media_id"
                        videos=s.videos.clone()
                        chosen=s.intro_media_id
                    />
                    <label for="outro-id">
                        {move || {
                            tr.t(
                                "片尾（可选，不计学时）",
                                "Outro clip (optional, not counted)",
                            )
                        }}
                    </label>
                    <ClipSelect
                        id="outro-id"
                        name="outro_media_id"
                        videos=s.videos.clone()
                        chosen=s.outro_media_id
                    />
                    <ErrorMessage error=Signal::derive(move || {
                        save.value().get().and_then(Result::err)
                    }) />
                    <Show when=move || matches!(save.value().get(), Some(Ok(())))>
                        <p class="success-message" role="status" data-testid="settings-saved">
                            {move || tr.t("已保存", "Saved")}
                        </p>
                    </Show>
                    <button type="submit" class="primary">
                        {move || tr.t("保存", "Save")}
                    </button>
                </ActionForm>
            </section>
            <section class="card">
                <h2>{move || tr.t("课程", "Lessons")}</h2>
                <ol>
                    {s
                        .lessons
                        .iter()
                        .map(|(courseware, title)| {
                            view! {
                                <li>
                                    {title.clone()}" · "
                                    <a href=format!(
                                        "/learn/{}/{courseware}",
                                        s.id,
                                    )>{move || tr.t("预览", "Preview")}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
        </Loaded>
    }
}

/// A choice among uploaded videos, or none.
#[component]
fn ClipSelect(
    id: &'static str,
    name: &'static str,
    videos: Vec<(MediaId, String)>,
    chosen: Option<MediaId>,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <select id=id name=name>
            <option value="" selected=chosen.is_none()>
                {move || tr.t("无", "None")}
            </option>
            {videos
                .into_iter()
                .map(|(video, label)| {
                    view! {
                        <option value=video.to_string() selected=chosen == Some(video)>
                            {label}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}
