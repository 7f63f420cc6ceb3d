//! The learner's side of a class: their classes, the six-step home with the
//! next thing to do, reporting in (报到) and the daily check-in (打卡签到).
//!
//! The journey's rules are `academy_shared::journey`; this module measures a
//! learner's progress for them and enforces the gating the server owes:
//! lessons and the final exam refuse a learner the class has not opened
//! them to, whatever the browser shows.

use crate::error::AppError;
use academy_shared::checkin::CalendarCell;
use academy_shared::class::ClassState;
use academy_shared::ids::{AttemptId, ClassId};
use academy_shared::journey::{Step, StepState};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A class in the learner's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCard {
    pub id: ClassId,
    pub title: String,
    pub state: ClassState,
    pub dates: String,
    pub next_zh: String,
    pub next_en: String,
    pub courses_done: u32,
    pub courses_total: u32,
}

/// One step on the home screen, with where to go to do it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub step: Step,
    pub state: StepState,
    /// The page that does the step, when it is available or done.
    pub href: Option<String>,
    /// A short status line ("已完成 3/12", "最好成绩 86.5 分").
    pub detail_zh: String,
    pub detail_en: String,
}

/// The learner's home for one class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassHome {
    pub id: ClassId,
    pub title: String,
    pub description: String,
    pub state: ClassState,
    pub dates: String,
    pub steps: Vec<StepView>,
    pub next: Option<Step>,
    pub courses_done: u32,
    pub courses_total: u32,
    pub credited_ms: i64,
    pub reported: bool,
    pub checked_in_today: bool,
    pub streak: u32,
    pub checkin_days: u32,
    /// This month, Monday first.
    pub calendar: Vec<Vec<Option<CalendarCell>>>,
    pub month_label: String,
    pub certificate_id: Option<i64>,
    /// The journey is complete but its certificate is not issued yet: the
    /// page (once running) asks for it by POST, as a page's GET writes nothing.
    #[serde(default)]
    pub certificate_pending: bool,
}

#[server(endpoint = "journey/classes")]
pub async fn my_classes() -> Result<Vec<ClassCard>, AppError> {
    crate::error::respond(ssr::my_classes().await)
}

#[server(endpoint = "journey/home")]
pub async fn load_class_home(id: ClassId) -> Result<ClassHome, AppError> {
    crate::error::respond(ssr::home(id).await)
}

/// Issues the learner's certificate of a completed class, if it is due (a
/// revoked one stays revoked); the class home calls it when it says so.
#[server(endpoint = "journey/claim-certificate")]
pub async fn claim_certificate(id: ClassId) -> Result<Option<i64>, AppError> {
    crate::error::respond(ssr::claim_certificate(id).await)
}

/// Reports the learner in (报到): the journey's first step.
#[server(endpoint = "journey/report")]
pub async fn report_in(id: ClassId) -> Result<(), AppError> {
    crate::error::respond(ssr::report(id).await)
}

/// Today's check-in; checking in twice a day is fine and changes nothing.
#[server(endpoint = "journey/check-in")]
pub async fn check_in(id: ClassId) -> Result<(), AppError> {
    crate::error::respond(ssr::check_in(id).await)
}

/// Starts (or resumes) the class's pre-test or final exam, if the journey
/// allows it now.
#[server(endpoint = "journey/exam")]
pub async fn start_class_exam(
    id: ClassId,
    which: String,
    device_proof: Option<String>,
) -> Result<AttemptId, AppError> {
    crate::error::respond(ssr::start_exam(id, which, device_proof).await)
}

#[cfg(feature = "ssr")]
pub use ssr::{ensure_certificate, exam_gate, lesson_gate, progress_of};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session;
    use crate::store::{CertificateRecord, ClassRecord, Store, now_millis};
    use academy_shared::certificate::{VerificationCode, serial};
    use academy_shared::checkin::{date_of, day_of, month_grid, streak};
    use academy_shared::exam::format_points;
    use academy_shared::ids::{ExamId, UserId};
    use academy_shared::journey::{Journey, Progress, plan};
    use std::collections::BTreeSet;

    /// Measures the learner's progress in the class and plans their journey.
    pub async fn progress_of(
        store: &Store,
        class: &ClassRecord,
        user: UserId,
    ) -> Result<(Progress, Journey), AppError> {
        let facts = store.learner_facts(class.id, user).await?;
        let mut progress = Progress {
            reported_in: facts.reported_at.is_some(),
            has_pre_test: class.pre_exam.is_some(),
            courses_total: facts.courses_total,
            courses_done: facts.courses_done,
            credited_ms: facts.credited_ms,
            has_survey: store.class_survey(class.id).await?.is_some(),
            survey_done: facts.survey_done,
            has_final: class.final_exam.is_some(),
            certificate: facts.certificate.is_some(),
            class_open: class.state.is_open_to_learners(),
            ..Progress::default()
        };
        if let Some(exam) = class.pre_exam {
            progress.pre_test_done = store
                .attempts_of(exam, user)
                .await?
                .iter()
                .any(|a| a.score.is_some());
        }
        if let Some(exam) = class.final_exam {
            let attempts = store.attempts_of(exam, user).await?;
            let record = store.exam(exam).await?;
            let plan = store.blueprint(record.blueprint_id).await?.body;
            let used = u32::try_from(attempts.len()).unwrap_or(u32::MAX);
            let open = attempts.iter().any(|a| a.is_open());
            progress.final_attempts_left =
                plan.attempts_allowed.saturating_sub(used) + u32::from(open);
            progress.final_best = attempts
                .iter()
                .filter_map(|a| a.score.map(|s| (s, a.max_score)))
                .max_by_key(|(score, _)| *score);
            progress.final_passed = attempts.iter().any(|a| a.passed == Some(true));
            // A plan that keeps results back keeps them back here too: no
            // score, pass or certificate tells how an attempt went.
            if !crate::exams::attempts::reveal_now(plan.show_results, &record) {
                progress.hide_final_results();
            }
        }
        let journey = plan(&class.gating, &class.completion, &progress);
        Ok((progress, journey))
    }

    /// Issues the learner's certificate once the class's completion rule is
    /// met (called wherever progress can complete it). Returns it if issued
    /// now.
    pub async fn ensure_certificate(
        store: &Store,
        class: &ClassRecord,
        user: UserId,
    ) -> Result<Option<CertificateRecord>, AppError> {
        let (progress, journey) = progress_of(store, class, user).await?;
        if !journey.complete || progress.certificate {
            return Ok(None);
        }
        let holder = store.user_by_id(user).await?;
        let now = now_millis();
        let year = academy_shared::time::china_year(now);
        let code = VerificationCode::generate(&mut rand::rng()).to_string();
        let class_id = class.id;
        match store
            .issue_certificate(
                class.id,
                user,
                &holder.real_name,
                progress.credited_ms,
                |sequence| serial(year, class_id.0, sequence),
                &code,
                None,
                now,
            )
            .await
        {
            Ok(certificate) => {
                audit::record(
                    store,
                    Actor::Anonymous("system"),
                    audit::AuditAction::CertificateIssue,
                    ("certificate", &certificate.id.to_string()),
                    format!(
                        "{} for user {} in class {}",
                        certificate.serial, user, class.id
                    ),
                )
                .await?;
                Ok(Some(certificate))
            }
            // Issued by a concurrent request a moment ago.
            Err(crate::store::DbError::Conflict(_)) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }

    fn locked_error(state: &StepState) -> AppError {
        match state {
            StepState::Locked {
                reason_zh,
                reason_en,
            } => AppError::invalid(reason_zh.clone(), reason_en.clone()),
            _ => AppError::invalid("现在还不能进行这一步", "This step is not open yet"),
        }
    }

    /// Refuses `step` of the class if the learner's journey has not opened
    /// it. Starting to study or sitting a test of an open class counts as
    /// reporting in: the learner has plainly shown up, and a gate that sent
    /// them back to press 报到 first would only be in the way. (Written once;
    /// later calls only read.)
    async fn gate(
        store: &Store,
        class: &ClassRecord,
        user: UserId,
        step: Step,
    ) -> Result<(), AppError> {
        let (mut progress, mut journey) = progress_of(store, class, user).await?;
        if !progress.reported_in && class.state.is_open_to_learners() {
            store.report_in(class.id, user, now_millis()).await?;
            progress.reported_in = true;
            journey = plan(&class.gating, &class.completion, &progress);
        }
        match journey.state(step) {
            Some(state) if state.is_locked() => Err(locked_error(state)),
            _ => Ok(()),
        }
    }

    /// Refuses a lesson of a class the learner may not study yet.
    pub async fn lesson_gate(
        store: &Store,
        class_id: ClassId,
        user: UserId,
    ) -> Result<(), AppError> {
        let class = store.class(class_id).await?;
        gate(store, &class, user, Step::Study).await
    }

    /// Refuses an exam of a class that the learner's journey has not opened.
    /// Exams not tied to a class step are not gated here.
    pub async fn exam_gate(store: &Store, exam: ExamId, user: UserId) -> Result<(), AppError> {
        let record = store.exam(exam).await?;
        let Some(class_id) = record.class_id else {
            return Ok(());
        };
        let class = store.class(class_id).await?;
        let step = if class.pre_exam == Some(exam) {
            Step::PreTest
        } else if class.final_exam == Some(exam) {
            Step::FinalExam
        } else {
            return Ok(());
        };
        gate(store, &class, user, step).await
    }

    async fn learner_class(
        store: &Store,
        id: ClassId,
        me: UserId,
    ) -> Result<ClassRecord, AppError> {
        let class = store.class(id).await?;
        if class.state == ClassState::Draft || !store.is_enrolled(id, me).await? {
            return Err(AppError::NotFound);
        }
        Ok(class)
    }

    fn next_label(journey: &Journey) -> (String, String) {
        match journey.next {
            Some(step) => (
                format!("下一步：{}", step.label_zh()),
                format!("Next: {}", step.label_en()),
            ),
            None if journey.complete => ("已结业".into(), "Completed".into()),
            None => ("暂无可做的步骤".into(), "Nothing to do right now".into()),
        }
    }

    pub async fn my_classes() -> Result<Vec<ClassCard>, AppError> {
        // The home page asks for every visitor: none signed in is no classes
        // (an error here would make the whole page a 401).
        let store = session::store()?;
        let Some(signed) = session::signed_in(&store).await? else {
            return Ok(Vec::new());
        };
        let me = signed.user.id;
        let mut cards = Vec::new();
        for class in store.classes_of(me).await? {
            let (progress, journey) = progress_of(&store, &class, me).await?;
            let (next_zh, next_en) = next_label(&journey);
            cards.push(ClassCard {
                id: class.id,
                dates: super::super::manage::ssr::dates_label(&class),
                title: class.title,
                state: class.state,
                next_zh,
                next_en,
                courses_done: progress.courses_done,
                courses_total: progress.courses_total,
            });
        }
        Ok(cards)
    }

    fn step_view(
        class: &ClassRecord,
        progress: &Progress,
        step: Step,
        state: StepState,
        certificate: Option<i64>,
    ) -> StepView {
        let id = class.id;
        let usable = !state.is_locked();
        let (href, detail_zh, detail_en) = match step {
            Step::Register => (
                None,
                if progress.reported_in {
                    "已报到".to_owned()
                } else {
                    "点击报到".to_owned()
                },
                if progress.reported_in {
                    "Reported in".to_owned()
                } else {
                    "Report in".to_owned()
                },
            ),
            Step::PreTest => (
                usable.then(|| format!("/classes/{id}/home#pre")),
                if progress.pre_test_done {
                    "已完成"
                } else {
                    "未参加"
                }
                .to_owned(),
                if progress.pre_test_done {
                    "Done"
                } else {
                    "Not taken"
                }
                .to_owned(),
            ),
            Step::Study => (
                usable.then(|| format!("/learn?class={id}")),
                format!(
                    "已学完 {}/{} 门",
                    progress.courses_done, progress.courses_total
                ),
                format!(
                    "{} of {} courses completed",
                    progress.courses_done, progress.courses_total
                ),
            ),
            Step::Survey => (
                usable.then(|| format!("/classes/{id}/survey")),
                if progress.survey_done {
                    "已提交（结班前可修改）"
                } else {
                    "未提交"
                }
                .to_owned(),
                if progress.survey_done {
                    "Handed in (editable until the class closes)"
                } else {
                    "Not handed in"
                }
                .to_owned(),
            ),
            Step::FinalExam => {
                let best = progress
                    .final_best
                    .map(|(score, max)| (format_points(score), format_points(max)));
                (
                    usable.then(|| format!("/classes/{id}/home#final")),
                    match &best {
                        Some((score, max)) => format!("最好成绩 {score}/{max} 分"),
                        None if progress.final_results_hidden => "已交卷，成绩待公布".to_owned(),
                        None => "未参加".to_owned(),
                    },
                    match &best {
                        Some((score, max)) => format!("Best {score}/{max}"),
                        None if progress.final_results_hidden => {
                            "Handed in; results not released yet".to_owned()
                        }
                        None => "Not taken".to_owned(),
                    },
                )
            }
            Step::Certificate => (
                certificate.map(|c| format!("/certificates/{c}")),
                if certificate.is_some() {
                    "已发证"
                } else {
                    "结业后发证"
                }
                .to_owned(),
                if certificate.is_some() {
                    "Issued"
                } else {
                    "Issued on completion"
                }
                .to_owned(),
            ),
        };
        StepView {
            step,
            state,
            href,
            detail_zh,
            detail_en,
        }
    }

    pub async fn home(id: ClassId) -> Result<ClassHome, AppError> {
        let (me, _, store) = session::with_account_id().await?;
        let class = learner_class(&store, id, me).await?;
        let (progress, journey) = progress_of(&store, &class, me).await?;
        let certificate_id = store
            .certificates_of(me, Some(id))
            .await?
            .into_iter()
            .find(|c| c.revoked_at.is_none())
            .map(|c| c.id);
        let today = day_of(now_millis());
        let days = store.checkin_days(id, me).await?;
        let checked: BTreeSet<i32> = days.iter().copied().collect();
        let (year, month, _) = date_of(today);
        let steps = journey
            .steps
            .iter()
            .map(|(step, state)| step_view(&class, &progress, *step, state.clone(), certificate_id))
            .collect();
        Ok(ClassHome {
            id,
            dates: super::super::manage::ssr::dates_label(&class),
            title: class.title.clone(),
            description: class.description.clone(),
            state: class.state,
            steps,
            next: journey.next,
            courses_done: progress.courses_done,
            courses_total: progress.courses_total,
            credited_ms: progress.credited_ms,
            reported: progress.reported_in,
            checked_in_today: checked.contains(&today),
            streak: streak(&days, today),
            checkin_days: u32::try_from(checked.len()).unwrap_or(u32::MAX),
            calendar: month_grid(year, month, &checked, today),
            month_label: format!("{year}年{month}月"),
            certificate_pending: journey.complete && certificate_id.is_none(),
            certificate_id,
        })
    }

    /// Completed but not yet certified (the last step was done elsewhere):
    /// issue it now. Returns the valid certificate, if any.
    pub async fn claim_certificate(id: ClassId) -> Result<Option<i64>, AppError> {
        let (me, _, store) = session::with_account_id().await?;
        let class = learner_class(&store, id, me).await?;
        ensure_certificate(&store, &class, me).await?;
        Ok(store
            .certificates_of(me, Some(id))
            .await?
            .into_iter()
            .find(|c| c.revoked_at.is_none())
            .map(|c| c.id))
    }

    pub async fn report(id: ClassId) -> Result<(), AppError> {
        let (signed, store) = session::with_signed().await?;
        let class = learner_class(&store, id, signed.user.id).await?;
        if !class.state.is_open_to_learners() {
            return Err(AppError::invalid("培训班已结束", "The class has ended"));
        }
        if store.report_in(id, signed.user.id, now_millis()).await? {
            audit::record(
                &store,
                Actor::User(&signed.user),
                audit::AuditAction::ClassReport,
                ("class", &id.to_string()),
                "",
            )
            .await?;
        }
        Ok(())
    }

    pub async fn check_in(id: ClassId) -> Result<(), AppError> {
        let (me, _, store) = session::with_account_id().await?;
        let class = learner_class(&store, id, me).await?;
        if !class.state.is_open_to_learners() {
            return Err(AppError::invalid("培训班已结束", "The class has ended"));
        }
        let now = now_millis();
        store.check_in(id, me, day_of(now), now).await?;
        Ok(())
    }

    pub async fn start_exam(
        id: ClassId,
        which: String,
        device_proof: Option<String>,
    ) -> Result<AttemptId, AppError> {
        let (me, _, store) = session::with_account_id().await?;
        let class = learner_class(&store, id, me).await?;
        let exam = match which.as_str() {
            "pre" => class.pre_exam,
            "final" => class.final_exam,
            _ => None,
        }
        .ok_or(AppError::NotFound)?;
        // start_for checks the journey's gate; the device's proof is checked there.
        crate::exams::attempts::start_attempt(exam, device_proof).await
    }
}
