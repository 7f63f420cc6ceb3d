//! Rows of the authorization matrix: see main.rs. Question banks, paper
//! plans, exams and attempts.

use crate::fixture::Fixture;
use crate::*;
use academy_shared::exam::blueprint::Blueprint;
use academy_shared::ids::{AttemptId, BankId, BlueprintId, ExamId, QuestionId, UserId};
use app::exams::attempts::{
    AttemptPaper, AttemptReview, CreateExam, ItemAnalysis, ListExams, MyExams, SaveAnswers,
    SetExamState, StartAttempt, SubmitAttempt,
};
use app::exams::banks::{
    ArchiveQuestions, BankDetail, CreateBank, ImportQuestions, InviteLecturer, ListBanks,
    ListQuestions, QuestionForEdit, RemoveInvite, SaveBank, SaveQuestion, TagQuestions,
};
use app::exams::blueprints::{BlueprintForEdit, ListBlueprints, PreviewBlueprint, SaveBlueprint};
use app::store::now_millis;
use base64::Engine;

/// An Aiken file of one question, for the import's dry run.
const AIKEN: &str = "Which year was the Party founded?\nA. 1919\nB. 1921\nANSWER: B\n";

pub async fn rows(fx: &mut Fixture) -> Vec<Row> {
    let now = now_millis();
    let organizer = UserId(fx.user_id("organizer").await);
    let owner = fx.owner.id.0;

    // The demo's pre-test bank: no lecturer is invited to it.
    let pre_bank = BankId(
        fx.id("SELECT id FROM question_banks WHERE title LIKE '班前测试题库%' ORDER BY id LIMIT 1")
            .await,
    );
    let pre_question = QuestionId(
        fx.id(&format!(
            "SELECT id FROM questions WHERE bank_id = {} ORDER BY id LIMIT 1",
            pre_bank.0
        ))
        .await,
    );
    let pre_exam = ExamId(
        fx.id(&format!(
            "SELECT pre_exam_id FROM classes WHERE id = {}",
            fx.class
        ))
        .await,
    );
    let pre_plan = BlueprintId(
        fx.id(&format!(
            "SELECT blueprint_id FROM exams WHERE id = {}",
            pre_exam.0
        ))
        .await,
    );
    // The owner's graded pre-test.
    let owner_pre_attempt = AttemptId(
        fx.id(&format!(
            "SELECT id FROM attempts WHERE exam_id = {} AND user_id = {owner}",
            pre_exam.0
        ))
        .await,
    );

    // A throwaway bank (no lecturer invited) holding a copy of a pre-test
    // question, and lecturer11 invited to it for the uninvite row.
    let store = fx.store().clone();
    let spare_bank = store
        .create_bank("授权测试题库", "", organizer, now)
        .await
        .unwrap();
    let (question, tags) = store
        .bank_questions(pre_bank)
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let spare_question = store
        .insert_questions(
            spare_bank,
            &[(question.clone(), tags.clone())],
            organizer,
            None,
            now,
        )
        .await
        .unwrap()[0];
    let lecturer11 = UserId(fx.user_id("lecturer11").await);
    store
        .invite_lecturer(spare_bank, lecturer11, 5, organizer, now)
        .await
        .unwrap();

    // A throwaway plan, and exams: a draft one outside any class to open, and
    // an open one in the demo class with retakes and a long time limit (so no
    // attempt of the matrix runs out during the test), which the owner has
    // started: their attempt is open for the save and the submit.
    let spare_plan = store
        .create_blueprint(
            "授权测试方案",
            &Blueprint::seed_paper(pre_bank),
            organizer,
            now,
        )
        .await
        .unwrap();
    let draft_exam = store
        .create_exam("授权测试草稿", pre_plan, "A", None, organizer, now)
        .await
        .unwrap();
    let retake_plan = Blueprint {
        attempts_allowed: 5,
        time_limit_minutes: 600,
        ..Blueprint::seed_paper(pre_bank)
    };
    let retake_plan = store
        .create_blueprint("授权测试·可重考", &retake_plan, organizer, now)
        .await
        .unwrap();
    let retake_exam = store
        .create_exam(
            "授权测试考试",
            retake_plan,
            "A",
            Some(fx.class),
            organizer,
            now,
        )
        .await
        .unwrap();
    store
        .set_exam_state(retake_exam, academy_shared::exam::ExamState::Open, now)
        .await
        .unwrap();
    // The owner starts the spare exam.
    let started = fx
        .ok_as(
            P::Owner,
            "exams/start",
            &[("exam", &retake_exam.0.to_string())],
        )
        .await;
    let owner_attempt = AttemptId(started.as_i64().expect("an attempt id"));

    let staff = [P::Lecturer, P::Organizer, P::Admin];
    let managers = [P::Organizer, P::Admin];
    let not_invited = "lecturer12 is not invited to the bank: its id reveals nothing";

    vec![
        // ---- blueprints ----------------------------------------------------
        form(ListBlueprints {}).allow(&managers),
        form(BlueprintForEdit { id: Some(pre_plan) }).allow(&managers),
        json(SaveBlueprint {
            id: Some(spare_plan),
            title: "授权测试方案".into(),
            body: Blueprint::seed_paper(pre_bank),
        })
        .allow(&managers),
        // The preview shows answers and explanations: trainers only.
        form(PreviewBlueprint {
            id: pre_plan,
            seed: Some("1".into()),
        })
        .allow(&managers),
        // ---- banks and questions -------------------------------------------
        form(ListBanks {}).allow(&staff),
        form(CreateBank {
            title: "授权测试新题库".into(),
            description: None,
        })
        .allow(&managers),
        form(SaveBank {
            id: spare_bank,
            title: "授权测试题库".into(),
            description: Some("改过".into()),
            archived: None,
        })
        .allow(&managers),
        form(BankDetail { id: pre_bank })
            .allow(&managers)
            .except(P::Lecturer, 404, not_invited),
        form(InviteLecturer {
            bank: spare_bank,
            username: "lecturer10".into(),
            quota: 3,
        })
        .allow(&managers),
        form(RemoveInvite {
            bank: spare_bank,
            lecturer: lecturer11,
        })
        .allow(&managers),
        form(ListQuestions {
            bank: pre_bank,
            text: None,
            kind: None,
            topic: None,
            lecturer: None,
            difficulty: None,
            tag: None,
            archived: None,
            page: None,
        })
        .allow(&managers)
        .except(P::Lecturer, 404, not_invited),
        form(QuestionForEdit { id: pre_question })
            .allow(&managers)
            .except(P::Lecturer, 404, not_invited),
        json(SaveQuestion {
            bank: spare_bank,
            id: Some(spare_question),
            expected_version: None,
            body: question,
            tags,
        })
        .allow(&managers)
        .except(P::Lecturer, 404, not_invited),
        json(TagQuestions {
            bank: spare_bank,
            ids: vec![spare_question],
            tag: "授权".into(),
            add: true,
        })
        .allow(&managers)
        .except(P::Lecturer, 404, not_invited),
        json(ArchiveQuestions {
            bank: spare_bank,
            ids: vec![spare_question],
            archived: true,
        })
        .allow(&managers)
        .except(P::Lecturer, 404, not_invited),
        // A dry run: nothing is written.
        json(ImportQuestions {
            bank: spare_bank,
            format: "aiken".into(),
            file_name: "one.txt".into(),
            file_base64: base64::engine::general_purpose::STANDARD.encode(AIKEN),
            confirm: false,
            valid_rows_only: false,
        })
        .allow(&managers)
        .except(P::Lecturer, 404, not_invited),
        // ---- exams ---------------------------------------------------------
        form(ListExams {}).allow(&managers),
        form(CreateExam {
            title: "授权测试新考试".into(),
            blueprint: pre_plan,
            form: "A".into(),
            class_id: None,
        })
        .allow(&managers),
        form(SetExamState {
            exam: draft_exam,
            state: "open".into(),
        })
        .allow(&managers)
        .except(P::Admin, 400, "the organizer opened it already"),
        form(ItemAnalysis { exam: pre_exam }).allow(&managers),
        // Each signed-in person's own exams (none for staff).
        form(MyExams {}).allow(&SIGNED_IN),
        // Learners of the class start (the owner resumes their open attempt);
        // to anyone else the exam does not exist.
        form(StartAttempt {
            exam: retake_exam,
            device_proof: None,
        })
        .allow(&LEARNERS)
        .refuse(404),
        // ---- the owner's attempts: theirs alone, staff read the review ------
        form(AttemptPaper {
            attempt: owner_attempt,
        })
        .allow(&[P::Owner])
        .refuse(404),
        json(SaveAnswers {
            attempt: owner_attempt,
            answers: vec![(0, None)],
        })
        .allow(&[P::Owner])
        .refuse(404),
        json(SubmitAttempt {
            attempt: owner_attempt,
            answers: Vec::new(),
        })
        .allow(&[P::Owner])
        .refuse(404),
        form(AttemptReview {
            attempt: owner_pre_attempt,
        })
        .allow(&[P::Owner, P::Organizer, P::Admin])
        .refuse(404),
    ]
}
