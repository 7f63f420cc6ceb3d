//! `/learn`: the learner's lessons; `/learn/:class/:courseware`: the player.

use crate::components::loader::{Loaded, found, use_id_param_named};
use crate::components::player::Player;
use crate::components::text::use_tr;
use crate::study::api::{my_lessons, open_lesson};
use academy_shared::ids::{ClassId, CoursewareId};
use leptos::prelude::*;

#[component]
pub fn LessonsPage() -> impl IntoView {
    let tr = use_tr();
    let lessons = Resource::new(|| (), |_| my_lessons());
    view! {
        <h1>{move || tr.t("在线学习", "My lessons")}</h1>
        <Loaded resource=lessons sign_in=true let:list>
            {match list {
                list if list.is_empty() => {
                    view! {
                        <p class="card">
                            {move || {
                                tr.t(
                                    "您还没有参加培训班。",
                                    "You are not enrolled in a class yet.",
                                )
                            }}
                        </p>
                    }
                        .into_any()
                }
                list => {
                    let done = list.iter().filter(|l| l.completed).count();
                    let total = list.len();
                    let credited: i64 = list.iter().map(|l| l.credited_ms).sum();
                    view! {
                        <p class="lead" data-testid="lessons-summary">
                            {move || tr.t("已完成 ", "Completed ")}
                            {format!("{done}/{total}")}
                            {move || tr.t(" · 已计学时 ", " · credited ")}
                            {move || tr.duration(credited)}
                        </p>
                        <ul class="lesson-list" data-testid="lessons">
                            {list
                                .into_iter()
                                .map(|l| {
                                    let href = format!("/learn/{}/{}", l.class_id, l.courseware_id);
                                    let share = if l.duration_ms > 0 {
                                        (l.watched_ms * 100 / l.duration_ms).min(100)
                                    } else {
                                        0
                                    };
                                    if l.under_revision {
                                        return view! {
                                            <li class="lesson-card" data-testid="lesson-under-revision">
                                                <strong>{l.title.clone()}</strong>
                                                <span class="hint">
                                                    {format!("{} · {}", l.lecturer_name, l.class_title)}
                                                </span>
                                                <span class="tag">
                                                    {move || {
                                                        tr.t(
                                                            "课件修订中，审核通过后可学习",
                                                            "Being revised: open again once approved",
                                                        )
                                                    }}
                                                </span>
                                            </li>
                                        }
                                            .into_any();
                                    }
                                    view! {
                                        <li class="lesson-card">
                                            <a href=href>
                                                <strong>{l.title.clone()}</strong>
                                                <span class="hint">
                                                    {format!("{} · {}", l.lecturer_name, l.class_title)}
                                                </span>
                                                <progress
                                                    class="progress"
                                                    max="100"
                                                    value=share.to_string()
                                                    aria-label=move || tr.t("观看进度", "Watched")
                                                >
                                                    {format!("{share}%")}
                                                </progress>
                                                <span class="hint">
                                                    {move || tr.t("已观看 ", "Watched ")}
                                                    {format!("{share}%")}
                                                    {move || tr.t(" · 已计学时 ", " · credited ")}
                                                    {move || tr.duration(l.credited_ms)}
                                                    {l
                                                        .completed
                                                        .then(|| {
                                                            view! {
                                                                <span class="tag done">
                                                                    {move || tr.t("已完成", "Complete")}
                                                                </span>
                                                            }
                                                        })}
                                                </span>
                                            </a>
                                        </li>
                                    }
                                        .into_any()
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
pub fn LessonPage() -> impl IntoView {
    let tr = use_tr();
    let class = use_id_param_named::<ClassId>("class");
    let courseware = use_id_param_named::<CoursewareId>("courseware");
    // Opening a lesson writes (a study stream, reporting in): it is asked for
    // by POST from the running page, never while the page's GET is rendered.
    let lesson = LocalResource::new(move || {
        let (class, courseware) = (class.get(), courseware.get());
        async move {
            let (class, courseware) = (found(class)?, found(courseware)?);
            // Only the bound phone's key opens a stream that earns credit.
            let proof =
                crate::components::device_key::prove(academy_shared::device::ProofPurpose::Study)
                    .await;
            open_lesson(class, courseware, proof).await
        }
    });
    view! {
        <Loaded resource=lesson loading=("加载中…", "Loading…") sign_in=true let:lesson>
            {
                let class_id = lesson.class_id;
                let previous = lesson.previous;
                let next = lesson.next;
                view! {
                    <nav class="crumbs">
                        <a href="/learn">{move || tr.t("在线学习", "My lessons")}</a>
                        " › "
                        {lesson.class_title.clone()}
                    </nav>
                    <h1 data-testid="lesson-title">{lesson.title.clone()}</h1>
                    <p class="hint">{format!("{} · {}", lesson.lecturer_name, lesson.topic)}</p>
                    {match lesson.video_url {
                        Some(_) => view! { <Player lesson=lesson.clone() /> }.into_any(),
                        None => {
                            view! {
                                <p class="card">
                                    {move || {
                                        tr.t(
                                            "本课件尚未上传视频。",
                                            "This lesson has no video yet.",
                                        )
                                    }}
                                </p>
                            }
                                .into_any()
                        }
                    }}
                    <nav class="lesson-nav">
                        {previous
                            .map(|id| {
                                view! {
                                    <a class="button" href=format!("/learn/{class_id}/{id}")>
                                        {move || tr.t("上一课", "Previous")}
                                    </a>
                                }
                            })}
                        {next
                            .map(|id| {
                                view! {
                                    <a class="button" href=format!("/learn/{class_id}/{id}")>
                                        {move || tr.t("下一课", "Next")}
                                    </a>
                                }
                            })}
                    </nav>
                }
            }
        </Loaded>
    }
}
