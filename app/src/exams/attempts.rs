//! Exams and attempts: organizers create and open exams; learners start an
//! attempt (its questions and server deadline fixed at that moment), save
//! answers, submit, and read the review the plan allows; organizers read the
//! item analysis.
//!
//! The browser is trusted with nothing: the deadline is the server's, answers
//! are checked against the attempt's own questions, and correct answers and
//! explanations are sent only once the attempt is graded — and then only as
//! the plan allows.

use crate::error::AppError;
use academy_shared::exam::analysis::ScoreSummary;
use academy_shared::exam::{ExamState, Response};
use academy_shared::ids::{AttemptId, BlueprintId, ClassId, ExamId};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ShownQuestion;

/// Most answers one save may carry (a paper has at most a few hundred).
pub const MAX_ANSWERS_PER_SAVE: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamRow {
    pub id: ExamId,
    pub title: String,
    pub blueprint_id: BlueprintId,
    pub blueprint_title: String,
    pub form: String,
    pub class_title: Option<String>,
    pub state: ExamState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamsPage {
    pub exams: Vec<ExamRow>,
    /// For the create form: (id, title).
    pub blueprints: Vec<(BlueprintId, String)>,
    pub classes: Vec<(ClassId, String)>,
    pub may_manage: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub id: AttemptId,
    pub number: i64,
    pub open: bool,
    /// Shown only when the plan lets the learner see results now.
    pub score: Option<u32>,
    pub max_score: u32,
    pub passed: Option<bool>,
    pub submitted_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyExam {
    pub id: ExamId,
    pub title: String,
    pub class_title: Option<String>,
    pub state: ExamState,
    pub time_limit_minutes: u32,
    pub question_count: u32,
    pub total_points: u32,
    pub pass_mark: u32,
    pub attempts_allowed: u32,
    pub attempts: Vec<AttemptSummary>,
    pub may_start: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperView {
    pub attempt: AttemptId,
    pub exam_title: String,
    /// The server's deadline and clock, in Unix milliseconds: the page counts
    /// down from their difference, never from the device's clock.
    pub deadline_ms: i64,
    pub server_now_ms: i64,
    pub questions: Vec<ShownQuestion>,
    pub responses: Vec<Option<Response>>,
    pub total_points: u32,
    /// Closed (submitted or past the deadline): go to the review.
    pub closed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveAck {
    pub saved: usize,
    pub server_now_ms: i64,
    pub deadline_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub shown: ShownQuestion,
    pub response_zh: String,
    pub response_en: String,
    pub score: Option<u32>,
    /// Only when the plan shows answers now.
    pub answer_zh: Option<String>,
    pub answer_en: Option<String>,
    pub explanation: Option<String>,
    pub correct: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub attempt: AttemptId,
    pub exam_title: String,
    pub closed_by: Option<String>,
    pub submitted_at: Option<i64>,
    /// None while results are hidden by the plan.
    pub score: Option<u32>,
    pub max_score: u32,
    pub pass_mark: u32,
    pub passed: Option<bool>,
    pub answers_shown: bool,
    pub items: Vec<ReviewItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemAnalysisRow {
    pub question_id: i64,
    pub kind: academy_shared::exam::QuestionKind,
    pub stem_text: String,
    pub topic: String,
    pub lecturer: String,
    pub answered: u32,
    pub facility: f64,
    pub discrimination: Option<f64>,
    pub correlation: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExamItemAnalysis {
    pub exam_title: String,
    pub summary: ScoreSummary,
    pub rows: Vec<ItemAnalysisRow>,
}

#[server(endpoint = "exams/list")]
pub async fn list_exams() -> Result<ExamsPage, AppError> {
    crate::error::respond(ssr::list_exams().await)
}

#[server(endpoint = "exams/create")]
pub async fn create_exam(
    title: String,
    blueprint: BlueprintId,
    form: String,
    class_id: Option<ClassId>,
) -> Result<ExamId, AppError> {
    crate::error::respond(ssr::create_exam(title, blueprint, form, class_id).await)
}

/// draft → open → closed (and back to open from closed).
#[server(endpoint = "exams/state")]
pub async fn set_exam_state(exam: ExamId, state: String) -> Result<(), AppError> {
    crate::error::respond(ssr::set_state(exam, state).await)
}

#[server(endpoint = "exams/mine")]
pub async fn my_exams() -> Result<Vec<MyExam>, AppError> {
    crate::error::respond(ssr::my_exams().await)
}

/// Starts an attempt, or returns the learner's attempt still open. On a
/// phone bound by its key pair, `device_proof` must be that key's signature
/// over a fresh challenge: a copied session cannot sit the exam.
#[server(endpoint = "exams/start")]
pub async fn start_attempt(
    exam: ExamId,
    device_proof: Option<String>,
) -> Result<AttemptId, AppError> {
    crate::error::respond(ssr::start(exam, device_proof).await)
}

#[server(endpoint = "attempts/paper")]
pub async fn attempt_paper(attempt: AttemptId) -> Result<PaperView, AppError> {
    crate::error::respond(ssr::paper(attempt).await)
}

/// Saves answers by position (`None` clears one).
#[server(endpoint = "attempts/save", input = Json)]
pub async fn save_answers(
    attempt: AttemptId,
    answers: Vec<(i64, Option<Response>)>,
) -> Result<SaveAck, AppError> {
    crate::error::respond(ssr::save(attempt, answers).await)
}

/// Saves the last answers and hands the paper in. A second submit changes
/// nothing and answers the same.
#[server(endpoint = "attempts/submit", input = Json)]
pub async fn submit_attempt(
    attempt: AttemptId,
    answers: Vec<(i64, Option<Response>)>,
) -> Result<(), AppError> {
    crate::error::respond(ssr::submit(attempt, answers).await)
}

#[server(endpoint = "attempts/review")]
pub async fn attempt_review(attempt: AttemptId) -> Result<ReviewView, AppError> {
    crate::error::respond(ssr::review(attempt).await)
}

#[server(endpoint = "exams/analysis")]
pub async fn item_analysis(exam: ExamId) -> Result<ExamItemAnalysis, AppError> {
    crate::error::respond(ssr::analysis(exam).await)
}

#[cfg(feature = "ssr")]
pub use ssr::{close_overdue, reveal_now, start_for};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session;
    use crate::exams::writer::ExamWriter;
    use crate::store::{
        AttemptRecord, CloseOutcome, ExamRecord, ExamWritten, NewAttempt, NewItem, Store,
        now_millis,
    };
    use academy_shared::exam::analysis::{AttemptResult, ItemResult, item_analysis, summarize};
    use academy_shared::exam::blueprint::{Blueprint, Reveal};
    use academy_shared::exam::question::{
        answer_text_en, answer_text_zh, check_response, response_text_zh,
    };
    use academy_shared::exam::rng::derive_seed;
    use academy_shared::exam::sampling::{Form, Paper, Shortfall, draw_form, draw_retake};
    use academy_shared::ids::{QuestionId, QuestionVersionId, UserId};
    use academy_shared::role::policy::{EXAM_READERS, MANAGERS};
    use std::collections::HashMap;

    /// The exam writer, provided by the server.
    fn exam_writer() -> Result<ExamWriter, AppError> {
        use_context::<ExamWriter>()
            .ok_or_else(|| AppError::internal("no exam writer in the request context"))
    }

    fn not_open() -> AppError {
        AppError::invalid("考试未开放", "The exam is not open")
    }

    fn time_up() -> AppError {
        AppError::invalid(
            "考试已结束（交卷或时间已到），答案未保存",
            "The exam is over (handed in or out of time); the answers were not saved",
        )
    }

    pub async fn list_exams() -> Result<ExamsPage, AppError> {
        let (me, store) = session::with_role(&EXAM_READERS).await?;
        let exams = store.exams().await?;
        Ok(ExamsPage {
            exams: exams
                .into_iter()
                .map(|e| ExamRow {
                    id: e.id,
                    title: e.title,
                    blueprint_id: e.blueprint_id,
                    blueprint_title: e.blueprint_title,
                    form: e.form,
                    class_title: e.class_title,
                    state: e.state,
                })
                .collect(),
            blueprints: store
                .blueprints()
                .await?
                .into_iter()
                .map(|b| (b.id, b.title))
                .collect(),
            classes: store
                .list_classes()
                .await?
                .into_iter()
                .map(|(id, title, _)| (id, title))
                .collect(),
            may_manage: me.has_any(&academy_shared::role::policy::MANAGERS),
        })
    }

    pub async fn create_exam(
        title: String,
        blueprint: BlueprintId,
        form: String,
        class_id: Option<ClassId>,
    ) -> Result<ExamId, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let title = title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 60 {
            return Err(AppError::invalid(
                "考试名称为 1–60 个字",
                "The exam's title must be 1–60 characters",
            ));
        }
        if form != "A" && form != "B" {
            return Err(AppError::invalid(
                "试卷应为 A 卷或 B 卷",
                "The form must be A or B",
            ));
        }
        store.blueprint(blueprint).await?;
        if let Some(class_id) = class_id {
            store.class_rules(class_id).await?;
        }
        let id = store
            .create_exam(&title, blueprint, &form, class_id, me.user.id, now_millis())
            .await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::ExamCreate,
            ("exam", &id.to_string()),
            title,
        )
        .await?;
        Ok(id)
    }

    pub async fn set_state(exam: ExamId, state: String) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let current = store.exam(exam).await?;
        let Some(state) = ExamState::from_code(&state) else {
            return Err(AppError::invalid("没有这个状态", "No such state"));
        };
        if !current.state.may_become(state) {
            return Err(AppError::invalid(
                "考试状态不能这样改变",
                "The exam cannot change to that state",
            ));
        }
        if state == ExamState::Open {
            // Opening a plan the banks can no longer satisfy would fail every
            // learner's start; refuse it here with the reason instead.
            super::super::blueprints::ssr::check_satisfiable(&store, current.blueprint_id).await?;
        }
        store.set_exam_state(exam, state, now_millis()).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::ExamState,
            ("exam", &exam.to_string()),
            state.code(),
        )
        .await
    }

    /// Whether results (or answers) kept back by `reveal` may be shown now.
    pub fn reveal_now(reveal: Reveal, exam: &ExamRecord) -> bool {
        match reveal {
            Reveal::AfterSubmit => true,
            Reveal::AfterClose => exam.state == ExamState::Closed,
            Reveal::Never => false,
        }
    }

    /// May the learner sit this exam? Enrolled in its class, and it is open.
    async fn learner_exam(store: &Store, me: UserId, exam: ExamId) -> Result<ExamRecord, AppError> {
        let record = store.exam(exam).await?;
        let Some(class_id) = record.class_id else {
            return Err(AppError::NotFound);
        };
        if record.state == ExamState::Draft || !store.is_enrolled(class_id, me).await? {
            return Err(AppError::NotFound);
        }
        Ok(record)
    }

    pub async fn my_exams() -> Result<Vec<MyExam>, AppError> {
        let (me, _, store) = session::with_account_id().await?;
        close_overdue_of(&store, me).await?;
        let exams = store.exams_for_learner(me).await?;
        let mut attempts: HashMap<ExamId, Vec<AttemptRecord>> = HashMap::new();
        for attempt in store.attempts_of_user(me).await? {
            attempts.entry(attempt.exam).or_default().push(attempt);
        }
        let mut plans: HashMap<BlueprintId, Blueprint> = HashMap::new();
        let mut out = Vec::new();
        for exam in exams {
            if let std::collections::hash_map::Entry::Vacant(slot) = plans.entry(exam.blueprint_id)
            {
                slot.insert(store.blueprint(exam.blueprint_id).await?.body);
            }
            let Some(plan) = plans.get(&exam.blueprint_id) else {
                continue;
            };
            let mine = attempts.remove(&exam.id).unwrap_or_default();
            let show = reveal_now(plan.show_results, &exam);
            let used = u32::try_from(mine.len()).unwrap_or(u32::MAX);
            let has_open = mine.iter().any(AttemptRecord::is_open);
            out.push(MyExam {
                id: exam.id,
                title: exam.title.clone(),
                class_title: exam.class_title.clone(),
                state: exam.state,
                time_limit_minutes: plan.time_limit_minutes,
                question_count: plan.question_count(),
                total_points: plan.total_points(),
                pass_mark: plan.pass_mark,
                attempts_allowed: plan.attempts_allowed,
                may_start: exam.state == ExamState::Open
                    && (has_open || used < plan.attempts_allowed),
                attempts: mine
                    .into_iter()
                    .map(|a| AttemptSummary {
                        id: a.id,
                        number: a.number,
                        open: a.is_open(),
                        score: a.score.filter(|_| show),
                        max_score: a.max_score,
                        passed: a.passed.filter(|_| show),
                        submitted_at: a.submitted_at,
                    })
                    .collect(),
            });
        }
        Ok(out)
    }

    pub async fn start(exam: ExamId, device_proof: Option<String>) -> Result<AttemptId, AppError> {
        let (me, store) = session::with_signed().await?;
        let now = now_millis();
        crate::auth::device_proof::require_for_session(
            &store,
            &me.link,
            device_proof.as_deref(),
            academy_shared::device::ProofPurpose::ExamStart,
            now,
        )
        .await?;
        start_for(&store, &exam_writer()?, me.user.id, exam, now).await
    }

    /// Starts (or resumes) `user`'s attempt at `exam` at `now`. Public for
    /// the benchmark's and tests' sake; the server function checks the session.
    pub async fn start_for(
        store: &Store,
        writer: &ExamWriter,
        user: UserId,
        exam: ExamId,
        now: i64,
    ) -> Result<AttemptId, AppError> {
        let record = learner_exam(store, user, exam).await?;
        let previous = store.attempts_of(exam, user).await?;
        if !previous.iter().any(AttemptRecord::is_open) {
            // The class's journey opens its tests (the final exam after the
            // courses and the survey, by default); resuming is always allowed.
            crate::classes::journey::exam_gate(store, exam, user).await?;
        }
        if let Some(open) = previous.iter().find(|a| a.is_open()) {
            if open.deadline_at >= now {
                return Ok(open.id);
            }
            grade(store, open.id, "deadline", now).await?;
        }
        if record.state != ExamState::Open {
            return Err(not_open());
        }
        let plan = store.blueprint(record.blueprint_id).await?.body;
        let used = previous.len();
        if used >= usize::try_from(plan.attempts_allowed).unwrap_or(usize::MAX) {
            return Err(AppError::invalid(
                "考试次数已用完",
                "You have used all your attempts",
            ));
        }
        let number = i64::try_from(used).unwrap_or(i64::MAX) + 1;
        let form = if record.form == "B" { Form::B } else { Form::A };
        let pool = super::super::blueprints::ssr::pool_for(store, &plan).await?;
        let candidates = super::super::blueprints::ssr::candidates(&pool);
        let versions: HashMap<_, _> = pool.iter().map(|p| (p.candidate.id, p.version)).collect();
        let mut stored_seed = store.blueprint_seed(record.blueprint_id, user).await?;
        // Twice at most: a first start that loses the race to record the
        // learner's seed (their other form's exam, started at the same moment)
        // draws again with the seed that won.
        for _ in 0..2 {
            let (base, new_seed) = match stored_seed {
                Some(seed) => (seed, None),
                None => {
                    let seed = rand::random();
                    (seed, Some((record.blueprint_id, seed)))
                }
            };
            // The first attempt of each form uses the learner's own seed, so
            // forms A and B come from one draw and are disjoint; retakes
            // derive a fresh one from it.
            let seed = if number == 1 {
                base
            } else {
                derive_seed(base, u64::try_from(number).unwrap_or(0))
            };
            // Retakes never hold a question of the learner's other form (a
            // pre-test retake never shows the final exam's questions).
            let paper = if number == 1 {
                draw_form(&plan, &candidates, seed, form)
            } else {
                draw_retake(&plan, &candidates, base, seed, form)
            };
            let items = paper_items(&plan, &versions, paper, exam)?;
            let minutes = i64::from(plan.time_limit_minutes);
            let attempt = NewAttempt {
                exam,
                user,
                number,
                seed,
                new_seed,
                form: record.form.clone(),
                policy: plan.multiple_policy,
                max_score: plan.total_points(),
                pass_mark: plan.pass_mark,
                started_at: now,
                deadline_at: now + minutes * 60_000,
            };
            match writer.start_attempt(attempt, items).await? {
                ExamWritten::Started(id) => return Ok(id),
                ExamWritten::SeedTaken => {
                    stored_seed = store.blueprint_seed(record.blueprint_id, user).await?;
                }
                // Two starts at once (a double tap, two tabs): the other one
                // won; hand back its attempt.
                ExamWritten::NumberTaken => {
                    return store
                        .attempts_of(exam, user)
                        .await?
                        .into_iter()
                        .find(|a| a.number == number)
                        .map(|a| a.id)
                        .ok_or(AppError::Internal);
                }
                ExamWritten::Saved(_) => break,
            }
        }
        Err(AppError::internal(format!(
            "exam {exam}: the start of learner {user} kept losing its seed"
        )))
    }

    /// The learner's drawn paper, as rows to store.
    fn paper_items(
        plan: &Blueprint,
        versions: &HashMap<QuestionId, QuestionVersionId>,
        paper: Result<Paper, Vec<Shortfall>>,
        exam: ExamId,
    ) -> Result<Vec<NewItem>, AppError> {
        let paper = paper.map_err(|shortfalls| {
            AppError::internal(format!(
                "exam {exam} cannot be drawn: {}",
                shortfalls
                    .iter()
                    .map(|s| s.en.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        paper
            .questions
            .iter()
            .map(|drawn| {
                let version = versions
                    .get(&drawn.question)
                    .copied()
                    .ok_or_else(|| AppError::internal("drawn question not in pool"))?;
                let points = plan
                    .sections
                    .get(usize::from(drawn.section))
                    .map_or(0, |s| s.points_each);
                Ok(NewItem {
                    question: drawn.question,
                    version,
                    section: drawn.section,
                    points,
                    option_order: drawn.option_order.clone(),
                })
            })
            .collect()
    }

    /// The learner's own attempt; anyone else's is "not found".
    async fn own_attempt(
        store: &Store,
        me: UserId,
        attempt: AttemptId,
    ) -> Result<AttemptRecord, AppError> {
        let record = store.attempt(attempt).await?;
        if record.user != me {
            return Err(AppError::NotFound);
        }
        Ok(record)
    }

    async fn grade(
        store: &Store,
        attempt: AttemptId,
        closed_by: &str,
        now: i64,
    ) -> Result<CloseOutcome, AppError> {
        Ok(store.close_attempt(attempt, closed_by, now).await?)
    }

    /// Grades the learner's overdue attempts before showing their list.
    async fn close_overdue_of(store: &Store, me: UserId) -> Result<(), AppError> {
        let now = now_millis();
        for attempt in store.attempts_of_user(me).await? {
            if attempt.is_open() && attempt.deadline_at < now {
                grade(store, attempt.id, "deadline", now).await?;
            }
        }
        Ok(())
    }

    /// Grades every open attempt past its deadline with what was saved; the
    /// server runs this every few seconds. Returns how many it closed.
    pub async fn close_overdue(store: &Store) -> Result<usize, AppError> {
        let now = now_millis();
        let mut closed = 0;
        for attempt in store.overdue_attempts(now, 500).await? {
            if matches!(
                grade(store, attempt, "deadline", now).await?,
                CloseOutcome::Graded { .. }
            ) {
                closed += 1;
            }
        }
        Ok(closed)
    }

    pub async fn paper(attempt: AttemptId) -> Result<PaperView, AppError> {
        let (me, _, store) = session::with_account_id().await?;
        let mut record = own_attempt(&store, me, attempt).await?;
        let now = now_millis();
        if record.is_open() && record.deadline_at < now {
            grade(&store, attempt, "deadline", now).await?;
            record = store.attempt(attempt).await?;
        }
        let exam = store.exam(record.exam).await?;
        if !record.is_open() {
            return Ok(PaperView {
                attempt,
                exam_title: exam.title,
                deadline_ms: record.deadline_at,
                server_now_ms: now,
                questions: Vec::new(),
                responses: Vec::new(),
                total_points: record.max_score,
                closed: true,
            });
        }
        let items = store.attempt_items(attempt).await?;
        let versions: Vec<_> = items.iter().map(|i| i.version).collect();
        let bodies = store.versions(&versions).await?;
        let mut questions = Vec::with_capacity(items.len());
        for item in &items {
            let body = bodies
                .get(&item.version)
                .ok_or_else(|| AppError::internal("attempt question version missing"))?;
            questions.push(super::super::shown_question(
                item.position,
                body,
                &item.option_order,
                item.points,
            ));
        }
        Ok(PaperView {
            attempt,
            exam_title: exam.title,
            deadline_ms: record.deadline_at,
            server_now_ms: now,
            questions,
            responses: items
                .into_iter()
                .map(|i| i.response.map(|r| r.to_display(&i.option_order)))
                .collect(),
            total_points: record.max_score,
            closed: false,
        })
    }

    /// Checks answers against the attempt's own questions before anything is
    /// written: an unknown position or a malformed answer refuses the whole
    /// save. Returns them with choice keys turned from the page's display
    /// positions into the author's indexes, as they are stored and graded.
    async fn checked_answers(
        store: &Store,
        attempt: AttemptId,
        answers: &[(i64, Option<Response>)],
    ) -> Result<Vec<(i64, Option<Response>)>, AppError> {
        if answers.len() > MAX_ANSWERS_PER_SAVE {
            return Err(AppError::invalid(
                "一次提交的答案过多",
                "Too many answers in one save",
            ));
        }
        let items = store.attempt_items(attempt).await?;
        let by_position: HashMap<i64, _> = items.iter().map(|i| (i.position, i)).collect();
        let wanted: Vec<_> = answers
            .iter()
            .filter_map(|(p, _)| by_position.get(p).map(|i| i.version))
            .collect();
        let bodies = store.versions(&wanted).await?;
        let mut stored = Vec::with_capacity(answers.len());
        for (position, response) in answers {
            let item = by_position.get(position).ok_or_else(|| {
                AppError::invalid(
                    format!("第 {} 题不在本次考试中", position + 1),
                    format!("Question {} is not part of this attempt", position + 1),
                )
            })?;
            let response = match response {
                Some(shown) => {
                    let body = bodies
                        .get(&item.version)
                        .ok_or_else(|| AppError::internal("attempt question version missing"))?;
                    let problem = |(zh, en): (String, String)| {
                        AppError::invalid(
                            format!("第 {} 题：{zh}", position + 1),
                            format!("Question {}: {en}", position + 1),
                        )
                    };
                    let response = shown.from_display(&item.option_order).ok_or_else(|| {
                        problem(("没有这个选项".to_owned(), "No such option".to_owned()))
                    })?;
                    check_response(body, &response).map_err(problem)?;
                    Some(response)
                }
                None => None,
            };
            stored.push((*position, response));
        }
        Ok(stored)
    }

    pub async fn save(
        attempt: AttemptId,
        answers: Vec<(i64, Option<Response>)>,
    ) -> Result<SaveAck, AppError> {
        let (me, _, store) = session::with_account_id().await?;
        let record = own_attempt(&store, me, attempt).await?;
        let now = now_millis();
        if !record.is_open() || record.deadline_at < now {
            return Err(time_up());
        }
        let answers = checked_answers(&store, attempt, &answers).await?;
        let saved = answers.len();
        if !exam_writer()?.save(attempt, answers, now).await? {
            return Err(time_up());
        }
        Ok(SaveAck {
            saved,
            server_now_ms: now,
            deadline_ms: record.deadline_at,
        })
    }

    pub async fn submit(
        attempt: AttemptId,
        answers: Vec<(i64, Option<Response>)>,
    ) -> Result<(), AppError> {
        let (me, _, store) = session::with_account_id().await?;
        let record = own_attempt(&store, me, attempt).await?;
        if !record.is_open() {
            // Already handed in (a double tap, a retry after a lost answer).
            return Ok(());
        }
        let now = now_millis();
        if record.deadline_at < now {
            // Too late to change answers: grade with what was saved.
            grade(&store, attempt, "deadline", now).await?;
            return Ok(());
        }
        if !answers.is_empty() {
            let answers = checked_answers(&store, attempt, &answers).await?;
            exam_writer()?.save(attempt, answers, now).await?;
        }
        grade(&store, attempt, "learner", now).await?;
        Ok(())
    }

    pub async fn review(attempt: AttemptId) -> Result<ReviewView, AppError> {
        let (signed, store) = session::with_signed().await?;
        let mut record = store.attempt(attempt).await?;
        let staff = signed.has_any(&academy_shared::role::policy::MANAGERS);
        if record.user != signed.user.id && !staff {
            return Err(AppError::NotFound);
        }
        let now = now_millis();
        if record.is_open() && record.deadline_at < now {
            grade(&store, attempt, "deadline", now).await?;
            record = store.attempt(attempt).await?;
        }
        if record.is_open() {
            return Err(AppError::invalid(
                "考试尚未交卷",
                "The exam has not been handed in yet",
            ));
        }
        let exam = store.exam(record.exam).await?;
        let plan = store.blueprint(exam.blueprint_id).await?.body;
        let show_results = staff || reveal_now(plan.show_results, &exam);
        let show_answers = staff || reveal_now(plan.show_answers, &exam);
        let items = store.attempt_items(attempt).await?;
        let versions: Vec<_> = items.iter().map(|i| i.version).collect();
        let bodies = store.versions(&versions).await?;
        let mut out = Vec::new();
        for item in &items {
            let Some(body) = bodies.get(&item.version) else {
                continue;
            };
            let response = item.response.as_ref();
            let (response_zh, response_en) = (
                response_text_zh(body, response),
                academy_shared::exam::question::response_text_en(body, response),
            );
            out.push(ReviewItem {
                shown: super::super::shown_question(
                    item.position,
                    body,
                    &item.option_order,
                    item.points,
                ),
                response_zh,
                response_en,
                score: item.score.filter(|_| show_results),
                correct: item
                    .score
                    .filter(|_| show_results)
                    .map(|s| s >= item.points),
                answer_zh: show_answers.then(|| answer_text_zh(body)),
                answer_en: show_answers.then(|| answer_text_en(body)),
                explanation: show_answers
                    .then(|| body.explanation.clone())
                    .filter(|e| !e.is_empty()),
            });
        }
        Ok(ReviewView {
            attempt,
            exam_title: exam.title,
            closed_by: record.closed_by,
            submitted_at: record.submitted_at,
            score: record.score.filter(|_| show_results),
            max_score: record.max_score,
            pass_mark: record.pass_mark,
            passed: record.passed.filter(|_| show_results),
            answers_shown: show_answers,
            items: out,
        })
    }

    pub async fn analysis(exam: ExamId) -> Result<ExamItemAnalysis, AppError> {
        let (_, store) = session::with_role(&EXAM_READERS).await?;
        let record = store.exam(exam).await?;
        let plan = store.blueprint(record.blueprint_id).await?.body;
        let graded = store.graded_attempts(exam).await?;
        let results: Vec<AttemptResult> = graded
            .iter()
            .map(|g| AttemptResult {
                total: g.score,
                max: g.max_score,
                items: g
                    .items
                    .iter()
                    .map(|(question, score, max)| ItemResult {
                        question: *question,
                        score: *score,
                        max: *max,
                    })
                    .collect(),
            })
            .collect();
        let total = plan.total_points().max(1);
        let pass_percent = f64::from(plan.pass_mark) * 100.0 / f64::from(total);
        let summary = summarize(&results, pass_percent);
        let stats = item_analysis(&results);
        let ids: Vec<_> = stats.iter().map(|s| s.question).collect();
        let bodies = store.current_questions(&ids).await?;
        let rows = stats
            .into_iter()
            .filter_map(|stats| {
                let question = bodies.get(&stats.question)?;
                Some(ItemAnalysisRow {
                    question_id: stats.question.0,
                    kind: question.kind,
                    stem_text: academy_shared::exam::markup::plain_text(&question.stem),
                    topic: question.topic.clone(),
                    lecturer: question.lecturer.clone(),
                    answered: stats.answered,
                    facility: stats.facility,
                    discrimination: stats.discrimination,
                    correlation: stats.correlation,
                })
            })
            .collect();
        Ok(ExamItemAnalysis {
            exam_title: record.title,
            summary,
            rows,
        })
    }
}
