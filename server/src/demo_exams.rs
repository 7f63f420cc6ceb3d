//! Demo question banks, paper plans and exams, as the seed ran them: the
//! pre-test bank (60 questions on general theory, 30 single choice and 30
//! fill-in, so each learner's forms A and B are disjoint) and the final-exam
//! bank (5 questions from each of the 12 lecturers); a plan for each (10 + 10
//! questions, 5 points each, 60 to pass, 30 minutes); the pre-test open in
//! the demo class and the final exam as a draft; and twenty learners
//! (learner081–100) who have sat the pre-test, so the item analysis shows
//! figures. The questions go in through the same import path organizers use.

use academy_shared::class::ClassTest;
use academy_shared::exam::blueprint::Blueprint;
use academy_shared::exam::interchange::table;
use academy_shared::exam::{ExamState, Question, Response};
use academy_shared::ids::{ExamId, UserId};
use app::store::{DbError, DbResult, Store, now_millis};
use rand::{Rng, SeedableRng};

const PRE_TEST_CSV: &[u8] = include_bytes!("../demo/pre-test-bank.csv");
const FINAL_CSV: &[u8] = include_bytes!("../demo/final-bank.csv");
use crate::demo::CLASS_TITLE;

fn broken(what: &str) -> DbError {
    DbError::Other(sqlx::Error::Protocol(format!("demo questions: {what}")))
}

/// The questions of a demo CSV, checked by the import rules.
pub fn demo_questions(csv: &[u8]) -> DbResult<Vec<Question>> {
    let (rows, _) =
        app::admin::import::decode_sheet("bank.csv", csv).map_err(|p| broken(&p.reason_en))?;
    let parsed = table::parse_rows(&rows);
    if let Some(problem) = parsed.problems.first() {
        return Err(broken(&format!(
            "row {} {}: {}",
            problem.row, problem.column, problem.reason_en
        )));
    }
    Ok(parsed.questions.into_iter().map(|(_, q)| q).collect())
}

pub async fn load(store: &Store) -> DbResult<()> {
    let now = now_millis();
    let organizer = store.user_by_username("organizer").await?;
    let class_id = store
        .list_classes()
        .await?
        .into_iter()
        .find(|(_, title, _)| title == CLASS_TITLE)
        .map(|(id, _, _)| id);

    let pre_bank = store
        .create_bank(
            "班前测试题库（通用理论）",
            "党的基本理论、党章党规、党史、时事政治，单选题与填空题各 30 道",
            organizer.id,
            now,
        )
        .await?;
    let pre: Vec<(Question, Vec<String>)> = demo_questions(PRE_TEST_CSV)?
        .into_iter()
        .map(|q| (q, vec!["班前测试".to_owned()]))
        .collect();
    store
        .insert_questions(pre_bank, &pre, organizer.id, None, now)
        .await?;

    let final_bank = store
        .create_bank(
            "结业考试题库（每位讲师 5 题）",
            "12 位讲师各出 5 道题：3 道单选题、2 道填空题",
            organizer.id,
            now,
        )
        .await?;
    let final_questions = demo_questions(FINAL_CSV)?;
    for (n, chunk) in final_questions.chunks(5).enumerate() {
        let lecturer = store
            .user_by_username(&format!("lecturer{:02}", n + 1))
            .await?;
        store
            .invite_lecturer(final_bank, lecturer.id, 5, organizer.id, now)
            .await?;
        let authored: Vec<(Question, Vec<String>)> = chunk
            .iter()
            .cloned()
            .map(|mut q| {
                q.lecturer = lecturer.real_name.clone();
                (q, vec!["结业考试".to_owned()])
            })
            .collect();
        store
            .insert_questions(final_bank, &authored, lecturer.id, Some(5), now)
            .await?;
    }

    let pre_plan = store
        .create_blueprint(
            "班前测试（A 卷）/ 复测（B 卷）",
            &Blueprint::seed_paper(pre_bank),
            organizer.id,
            now,
        )
        .await?;
    let final_plan = store
        .create_blueprint(
            "结业考试",
            &Blueprint::seed_paper(final_bank),
            organizer.id,
            now,
        )
        .await?;
    let pre_exam = store
        .create_exam("班前测试", pre_plan, "A", class_id, organizer.id, now)
        .await?;
    store.set_exam_state(pre_exam, ExamState::Open, now).await?;
    let final_exam = store
        .create_exam("结业考试", final_plan, "A", class_id, organizer.id, now)
        .await?;
    if let Some(class_id) = class_id {
        // The class's two tests; the final is open, and the journey opens
        // it to each learner once their courses and survey are done.
        store
            .set_exam_state(final_exam, ExamState::Open, now)
            .await?;
        store
            .set_class_exam(class_id, ClassTest::Pre, Some(pre_exam))
            .await?;
        store
            .set_class_exam(class_id, ClassTest::Final, Some(final_exam))
            .await?;
        let learners = twenty_learners(store).await?;
        sit_exam(store, pre_exam, &learners, now_millis() - 3_600_000, 2026).await?;
    }
    Ok(())
}

/// learner081–100 with a skill that grows with their number.
async fn twenty_learners(store: &Store) -> DbResult<Vec<(UserId, f64)>> {
    let mut learners = Vec::new();
    for n in 81..=100u32 {
        let learner = store.user_by_username(&format!("learner{n:03}")).await?.id;
        learners.push((learner, 0.45 + f64::from(n - 80) * 0.025));
    }
    Ok(learners)
}

/// Learners sit an exam: each answers every question, right with the
/// probability given (their skill), so the item analysis has a spread to show.
pub(crate) async fn sit_exam(
    store: &Store,
    exam: ExamId,
    learners: &[(UserId, f64)],
    started: i64,
    seed: u64,
) -> DbResult<()> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let writer = app::exams::writer::ExamWriter::start(store.clone());
    for (learner, skill) in learners {
        let attempt = app::exams::attempts::start_for(store, &writer, *learner, exam, started)
            .await
            .map_err(|e| broken(&format!("start: {e}")))?;
        let items = store.attempt_items(attempt).await?;
        let versions: Vec<_> = items.iter().map(|i| i.version).collect();
        let bodies = store.versions(&versions).await?;
        let mut answers = Vec::new();
        for item in &items {
            let Some(question) = bodies.get(&item.version) else {
                continue;
            };
            let right = rng.random_bool(skill.clamp(0.0, 0.98));
            answers.push((
                item.position,
                Some(demo_response(question, right, &mut rng)),
            ));
        }
        store
            .save_responses(attempt, &answers, started + 600_000)
            .await?;
        store
            .close_attempt(attempt, "learner", started + 900_000)
            .await?;
    }
    Ok(())
}

fn demo_response(question: &Question, right: bool, rng: &mut impl Rng) -> Response {
    use academy_shared::exam::Answer;
    match &question.answer {
        Answer::Choice(correct) if right => Response::Choice(correct.clone()),
        Answer::Choice(correct) => {
            let wrong: Vec<u8> = (0..u8::try_from(question.options.len()).unwrap_or(0))
                .filter(|i| !correct.contains(i))
                .collect();
            let pick = wrong
                .get(rng.random_range(0..wrong.len().max(1)))
                .copied()
                .unwrap_or(0);
            Response::Choice(vec![pick])
        }
        Answer::TrueFalse(value) => Response::TrueFalse(if right { *value } else { !*value }),
        Answer::Blanks(blanks) => Response::Blanks(
            blanks
                .iter()
                .map(|accepted| {
                    if right {
                        accepted.first().cloned().unwrap_or_default()
                    } else {
                        "不知道".to_owned()
                    }
                })
                .collect(),
        ),
    }
}
