//! `/my-exams`: what to sit and how it went.

use super::*;

#[component]
pub fn MyExamsPage() -> impl IntoView {
    let tr = use_tr();
    let exams = Resource::new(|| (), |_| my_exams());
    view! {
        <h1>{move || tr.t("我的考试", "My exams")}</h1>
        <Loaded resource=exams let:list>
            {match list {
                list if list.is_empty() => {
                    view! { <p class="muted">{move || tr.t("暂无考试", "No exams yet")}</p> }
                        .into_any()
                }
                list => {
                    view! {
                        <ul class="exam-list" data-testid="my-exams">
                            {list
                                .into_iter()
                                .map(|exam| view! { <MyExamCard exam /> })
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
fn MyExamCard(exam: MyExam) -> impl IntoView {
    let tr = use_tr();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let exam_id: ExamId = exam.id;
    let open_attempt = exam.attempts.iter().find(|a| a.open).map(|a| a.id);
    let start = move |_| {
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let proof = crate::components::device_key::prove(
                academy_shared::device::ProofPurpose::ExamStart,
            )
            .await;
            match start_attempt(exam_id, proof).await {
                Ok(id) => navigate(&format!("/attempts/{id}"), Default::default()),
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    let summary = format!(
        "{} · {} · {}",
        exam.question_count,
        exam.time_limit_minutes,
        format_points(exam.total_points)
    );
    let pass = format_points(exam.pass_mark);
    view! {
        <li class="card exam-card" data-testid="exam-card">
            <h2>{exam.title.clone()}</h2>
            {exam.class_title.clone().map(|c| view! { <p class="muted">{c}</p> })}
            <p>
                {move || {
                    if tr.is_en() {
                        format!(
                            "{} questions · {} minutes · {} points, pass {}",
                            exam.question_count,
                            exam.time_limit_minutes,
                            format_points(exam.total_points),
                            pass,
                        )
                    } else {
                        format!(
                            "共 {} 题 · 限时 {} 分钟 · 满分 {} 分，{} 分及格",
                            exam.question_count,
                            exam.time_limit_minutes,
                            format_points(exam.total_points),
                            pass,
                        )
                    }
                }} <span hidden>{summary}</span>
            </p>
            <ul class="plain-list">
                {exam
                    .attempts
                    .iter()
                    .map(|a| {
                        let id = a.id;
                        let number = a.number;
                        let open = a.open;
                        let result = a.score.map(|s| (s, a.max_score, a.passed.unwrap_or(false)));
                        view! {
                            <li data-testid="attempt-row">
                                {move || {
                                    if tr.is_en() {
                                        format!("Attempt {number}: ")
                                    } else {
                                        format!("第 {number} 次：")
                                    }
                                }}
                                {if open {
                                    view! {
                                        <a href=format!(
                                            "/attempts/{id}",
                                        )>{move || tr.t("继续作答", "Continue")}</a>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <span data-testid="attempt-score">
                                            {match result {
                                                Some((s, max, passed)) => {
                                                    format!(
                                                        "{} / {} {}",
                                                        format_points(s),
                                                        format_points(max),
                                                        if passed {
                                                            tr.t("（及格）", "(passed)")
                                                        } else {
                                                            tr.t("（不及格）", "(not passed)")
                                                        },
                                                    )
                                                }
                                                None => {
                                                    tr.t(
                                                            "已交卷，成绩暂不公布",
                                                            "Handed in; results not shown yet",
                                                        )
                                                        .to_owned()
                                                }
                                            }}
                                        </span>
                                        " · "
                                        <a href=format!(
                                            "/attempts/{id}/review",
                                        )>{move || tr.t("查看", "Review")}</a>
                                    }
                                        .into_any()
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <ErrorMessage error=Signal::derive(move || error.get()) />
            {(exam.may_start && open_attempt.is_none())
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="primary big"
                            data-testid="start-exam"
                            disabled=move || busy.get()
                            on:click=start
                        >
                            {move || tr.t("开始考试", "Start the exam")}
                        </button>
                    }
                })}
        </li>
    }
}
