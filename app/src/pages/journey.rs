//! The learner's classes (on the home page) and `/classes/:id/home`: the six
//! steps with the next action, progress, and the daily check-in calendar.

use crate::classes::journey::{
    CheckIn, ClaimCertificate, ClassCard, ClassHome, ReportIn, StepView, load_class_home,
    my_classes, start_class_exam,
};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::error::AppError;
use academy_shared::ids::ClassId;
use academy_shared::journey::{Step, StepState};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The signed-in learner's classes, each with its next step; nothing for
/// visitors and staff without classes.
#[component]
pub fn MyClasses() -> impl IntoView {
    let tr = use_tr();
    let classes = Resource::new(|| (), |_| my_classes());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                classes
                    .get()
                    .map(|result| match result {
                        Ok(list) if !list.is_empty() => {
                            view! {
                                <section class="card" data-testid="my-classes">
                                    <h2>{move || tr.t("我的培训班", "My classes")}</h2>
                                    <ul class="plain-list journey-classes">
                                        {list
                                            .into_iter()
                                            .map(|c| view! { <ClassCardView card=c /> })
                                            .collect_view()}
                                    </ul>
                                </section>
                            }
                                .into_any()
                        }
                        _ => ().into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn ClassCardView(card: ClassCard) -> impl IntoView {
    let tr = use_tr();
    let href = format!("/classes/{}/home", card.id);
    let next = if tr.is_en() {
        card.next_en
    } else {
        card.next_zh
    };
    view! {
        <li>
            <a class="journey-class" href=href>
                <strong>{card.title}</strong>
                <span class="hint">{card.dates}</span>
                <span class="journey-next">{next}</span>
                <span class="hint">
                    {move || tr.t("课程 ", "Courses ")}
                    {format!("{}/{}", card.courses_done, card.courses_total)}
                </span>
            </a>
        </li>
    }
}

fn state_class(state: &StepState) -> &'static str {
    match state {
        StepState::Done => "journey-step done",
        StepState::Current => "journey-step current",
        StepState::Open => "journey-step open",
        StepState::Locked { .. } => "journey-step locked",
    }
}

#[component]
pub fn ClassHomePage() -> impl IntoView {
    let id = use_id_param::<ClassId>();
    let report = ServerAction::<ReportIn>::new();
    let check_in = ServerAction::<CheckIn>::new();
    let claim = ServerAction::<ClaimCertificate>::new();
    let home = Resource::new(
        move || {
            (
                id.get(),
                report.version().get(),
                check_in.version().get(),
                claim.version().get(),
            )
        },
        |(id, _, _, _)| async move { load_class_home(found(id)?).await },
    );
    // A completed journey's certificate is issued by a POST from the running
    // page (loading the page writes nothing); at most once per visit.
    let claimed = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(Ok(home)) = home.get()
            && home.certificate_pending
            && !claimed.get_value()
        {
            claimed.set_value(true);
            claim.dispatch(ClaimCertificate { id: home.id });
        }
    });
    view! {
        <Loaded resource=home sign_in=true let:home>
            <ClassHomeView home report check_in />
        </Loaded>
    }
}

#[component]
fn ClassHomeView(
    home: ClassHome,
    report: ServerAction<ReportIn>,
    check_in: ServerAction<CheckIn>,
) -> impl IntoView {
    let tr = use_tr();
    let class_id = home.id;
    let share = (home.courses_done * 100)
        .checked_div(home.courses_total)
        .unwrap_or(0);
    let credited = home.credited_ms;
    let report_error = Signal::derive(move || report.value().get().and_then(Result::err));
    let check_error = Signal::derive(move || check_in.value().get().and_then(Result::err));
    view! {
        <section class="journey-head">
            <h1 data-testid="class-title">{home.title.clone()}</h1>
            <p class="hint">{home.dates.clone()}</p>
            {(!home.description.is_empty()).then(|| view! { <p>{home.description.clone()}</p> })}
            <p class="lead" data-testid="class-progress">
                {move || tr.t("课程 ", "Courses ")}
                {format!("{}/{}", home.courses_done, home.courses_total)}
                {move || tr.t(" · 已计学时 ", " · credited ")}
                {move || tr.duration(credited)}
            </p>
            <progress
                class="progress"
                max="100"
                value=share.to_string()
                aria-label=move || tr.t("课程进度", "Course progress")
            >
                {format!("{share}%")}
            </progress>
        </section>
        <ErrorMessage error=report_error />
        <crate::pages::discussion::GroupsToday only_class=class_id />
        <ol class="journey-steps" data-testid="journey-steps">
            {home
                .steps
                .into_iter()
                .map(|step| view! { <StepItem class_id step report reported=home.reported /> })
                .collect_view()}
        </ol>
        <section class="card journey-checkin" data-testid="checkin">
            <h2>{move || tr.t("打卡签到", "Daily check-in")}</h2>
            <p>
                {move || tr.t("连续打卡 ", "Streak: ")}
                <strong data-testid="streak">{home.streak}</strong>
                {move || tr.t(" 天 · 累计 ", " days · total ")} {home.checkin_days}
                {move || tr.t(" 天", " days")}
            </p>
            {if home.checked_in_today {
                view! {
                    <p class="tag done" data-testid="checked-in">
                        {move || tr.t("今日已打卡", "Checked in today")}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ActionForm action=check_in>
                        <input type="hidden" name="id" value=class_id.to_string() />
                        <button type="submit" class="primary big" data-testid="checkin-button">
                            {move || tr.t("今日打卡", "Check in today")}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            }}
            <ErrorMessage error=check_error />
            <table class="calendar" aria-label=home.month_label.clone()>
                <caption>{home.month_label.clone()}</caption>
                <thead>
                    <tr>
                        {["一", "二", "三", "四", "五", "六", "日"]
                            .into_iter()
                            .map(|d| view! { <th scope="col">{d}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {home
                        .calendar
                        .into_iter()
                        .map(|week| {
                            view! {
                                <tr>
                                    {week
                                        .into_iter()
                                        .map(|cell| match cell {
                                            None => view! { <td></td> }.into_any(),
                                            Some(cell) => {
                                                let mut class = String::from("day");
                                                if cell.checked {
                                                    class.push_str(" checked");
                                                }
                                                if cell.is_today {
                                                    class.push_str(" today");
                                                }
                                                if cell.future {
                                                    class.push_str(" future");
                                                }
                                                let label = if cell.checked { "已打卡" } else { "" };
                                                view! {
                                                    <td class=class title=label>
                                                        {cell.day_of_month}
                                                    </td>
                                                }
                                                    .into_any()
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn StepItem(
    class_id: ClassId,
    step: StepView,
    report: ServerAction<ReportIn>,
    reported: bool,
) -> impl IntoView {
    let tr = use_tr();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let available = step.state.is_available();
    let detail = if tr.is_en() {
        step.detail_en.clone()
    } else {
        step.detail_zh.clone()
    };
    let label = if tr.is_en() {
        step.step.label_en()
    } else {
        step.step.label_zh()
    };
    let reason = match &step.state {
        StepState::Locked {
            reason_zh,
            reason_en,
        } => Some(if tr.is_en() {
            reason_en.clone()
        } else {
            reason_zh.clone()
        }),
        _ => None,
    };
    let testid = format!("step-{}", step.step.code());
    let exam_kind = match step.step {
        Step::PreTest => Some("pre"),
        Step::FinalExam => Some("final"),
        _ => None,
    };
    let start_exam = move |which: &'static str| {
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let proof = crate::components::device_key::prove(
                academy_shared::device::ProofPurpose::ExamStart,
            )
            .await;
            match start_class_exam(class_id, which.to_owned(), proof).await {
                Ok(id) => navigate(&format!("/attempts/{id}"), Default::default()),
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    let action = match (step.step, exam_kind) {
        (Step::Register, _) if !reported && available => view! {
            <ActionForm action=report>
                <input type="hidden" name="id" value=class_id.to_string() />
                <button type="submit" class="primary big" data-testid="report-button">
                    {move || tr.t("报到", "Report in")}
                </button>
            </ActionForm>
        }
        .into_any(),
        (_, Some(which)) if available => view! {
            <button
                type="button"
                class="primary big"
                data-testid=format!("start-{which}")
                disabled=move || busy.get()
                on:click=move |_| start_exam(which)
            >
                {move || tr.t("进入考试", "Go to the exam")}
            </button>
        }
        .into_any(),
        (Step::PreTest | Step::FinalExam, _) if step.state.is_done() => {
            view! { <a href="/my-exams">{move || tr.t("查看成绩", "See results")}</a> }.into_any()
        }
        _ => match step.href.clone() {
            Some(href) if !step.state.is_locked() => {
                let text = match step.step {
                    Step::Study => tr.t("去学习", "Study"),
                    Step::Survey => tr.t("填写评价", "Answer the survey"),
                    Step::Certificate => tr.t("查看证书", "View the certificate"),
                    _ => tr.t("打开", "Open"),
                };
                let primary = matches!(step.state, StepState::Current);
                view! {
                    <a
                        class=if primary { "button primary big" } else { "button" }
                        href=href
                        data-testid=format!("go-{}", step.step.code())
                    >
                        {text}
                    </a>
                }
                .into_any()
            }
            _ => ().into_any(),
        },
    };
    view! {
        <li
            class=state_class(&step.state)
            data-testid=testid
            data-state=match &step.state {
                StepState::Done => "done",
                StepState::Current => "current",
                StepState::Open => "open",
                StepState::Locked { .. } => "locked",
            }
        >
            <span class="journey-number" aria-hidden="true">
                {step.step.number()}
            </span>
            <div class="journey-body">
                <strong>{label}</strong>
                <span class="hint">{detail}</span>
                {reason.map(|r| view! { <span class="journey-reason">{r}</span> })}
                <ErrorMessage error=Signal::derive(move || error.get()) />
            </div>
            <div class="journey-action">{action}</div>
        </li>
    }
}
