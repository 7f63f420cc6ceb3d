//! Rows of the authorization matrix: see main.rs. Classes, their surveys, the
//! dashboard and the learner's journey.
//!
//! What changes a class acts on throwaway classes made here, never on the
//! demo class (the groups and study rows use it). `spare` is a draft the
//! owner is enrolled in (learners do not see drafts); `learners_class` is a
//! published class with a survey and a pre-test that the owner, learner001
//! and liaison01 are enrolled in, whose completion rule asks for study time
//! nobody has, so handing in the survey issues no certificate.

use crate::fixture::Fixture;
use crate::*;
use academy_shared::class::ClassState;
use academy_shared::ids::{BlueprintId, ClassId};
use academy_shared::journey::{CompletionRule, Gating};
use academy_shared::survey::{Answer, ItemKind, Survey, check_response, default_template};
use app::classes::api::{ClassSettings, ListClasses, SaveClassSettings};
use app::classes::dashboard::LoadDashboard;
use app::classes::journey::{
    CheckIn, ClaimCertificate, LoadClassHome, MyClasses, ReportIn, StartClassExam,
};
use app::classes::manage::{
    ChangeClassState, ClassInput, ClassRoster, CopyClass, EnrolFile, EnrolNamed, EnrolRegion,
    EnrolRegions, ListClassRows, LoadClassForm, SaveClass, Unenrol,
};
use app::classes::survey::{
    ApplyDefaultSurvey, LoadMySurvey, LoadSurveyBuilder, LoadSurveyResults, SaveClassSurvey,
    SubmitSurveyAnswers,
};
use app::store::{ClassEdit, now_millis};
use base64::Engine;
use std::collections::BTreeMap;

const STAFF: [P; 2] = [P::Organizer, P::Admin];

/// A draft class made by the organizer, with these learners.
async fn class_of(
    fx: &Fixture,
    title: &str,
    completion: CompletionRule,
    learners: &[&str],
) -> ClassId {
    let store = fx.store();
    let organizer = fx.user_id("organizer").await.into();
    let now = now_millis();
    let edit = ClassEdit {
        completion,
        ..crate::common::class_edit(title)
    };
    let id = store.insert_class(&edit, organizer, now).await.unwrap();
    let mut users = Vec::new();
    for name in learners {
        users.push(store.user_by_username(name).await.unwrap().id);
    }
    store.enrol_by(id, &users, organizer, now).await.unwrap();
    id
}

async fn publish(fx: &Fixture, id: ClassId) {
    assert!(
        fx.store()
            .set_class_state(id, ClassState::Draft, ClassState::Published, now_millis())
            .await
            .unwrap()
    );
}

/// An answer to every item of `survey`, as a learner would hand it in.
fn answers_to(survey: &Survey) -> BTreeMap<String, Answer> {
    survey
        .items
        .iter()
        .map(|item| {
            let answer = match item.kind {
                ItemKind::Single => Answer::Choice(0),
                ItemKind::Multiple => Answer::Choices(vec![0]),
                ItemKind::Rating { max, .. } => Answer::Rating(max),
                ItemKind::Text { min_chars } => {
                    Answer::Text("培训内容实用".repeat(min_chars as usize / 6 + 1))
                }
            };
            (item.key.clone(), answer)
        })
        .collect()
}

pub async fn rows(fx: &mut Fixture) -> Vec<Row> {
    let class = fx.class;
    let owner = fx.owner.id.0;
    let owner_region = fx.owner.region_id.unwrap().0;

    let spare = class_of(
        fx,
        "授权矩阵：备用班",
        CompletionRule::default(),
        &[&fx.owner.username],
    )
    .await;
    // Published with no learners: its state may change.
    let to_start = class_of(fx, "授权矩阵：待开班", CompletionRule::default(), &[]).await;
    publish(fx, to_start).await;

    let learners_class = class_of(
        fx,
        "授权矩阵：学员班",
        CompletionRule {
            min_credited_minutes: Some(600),
            ..CompletionRule::default()
        },
        &["learner001", "liaison01", &fx.owner.username],
    )
    .await;
    let survey = default_template();
    fx.store()
        .set_class_survey(learners_class, Some(&survey), now_millis())
        .await
        .unwrap();
    // The demo's pre-test plan, as a pre-test of its own (opened on publishing).
    let plan = fx
        .id(&format!(
            "SELECT e.blueprint_id FROM exams e JOIN classes c ON c.pre_exam_id = e.id \
             WHERE c.id = {class}"
        ))
        .await;
    let organizer = fx.user_id("organizer").await.into();
    let pre = fx
        .store()
        .create_exam(
            "班前测试",
            BlueprintId(plan),
            "A",
            Some(learners_class),
            organizer,
            now_millis(),
        )
        .await
        .unwrap();
    fx.store()
        .set_class_exam(
            learners_class,
            academy_shared::class::ClassTest::Pre,
            Some(pre),
        )
        .await
        .unwrap();
    publish(fx, learners_class).await;
    let answers = answers_to(&survey);
    assert!(check_response(&survey, &answers).is_ok());

    let roster = base64::engine::general_purpose::STANDARD
        .encode(format!("用户名\n{}\n", fx.owner.username));

    vec![
        // api.rs
        form(ListClasses {}).allow(&STAFF),
        form(ClassSettings { id: class }).allow(&STAFF),
        form(SaveClassSettings {
            id: spare,
            intro_media_id: None,
            outro_media_id: None,
        })
        .allow(&STAFF),
        // dashboard.rs: the supervisor and the liaison see county 1's
        // figures only, never the owner (county 10).
        form(LoadDashboard {
            class_id: class,
            day: None,
        })
        .allow(&[P::Liaison, P::Supervisor, P::Organizer, P::Admin]),
        // manage.rs
        form(ListClassRows {}).allow(&STAFF),
        form(LoadClassForm { id: Some(class) }).allow(&STAFF),
        // A new class each time.
        json(SaveClass {
            input: ClassInput {
                id: None,
                updated_at: 0,
                title: "授权矩阵：新建班".into(),
                description: String::new(),
                starts_on: String::new(),
                ends_on: String::new(),
                idle_prompt_seconds: 1200,
                max_rate_milli: 2000,
                issuer: String::new(),
                courseware: Vec::new(),
                pre_blueprint: None,
                final_blueprint: None,
                gating: Gating::default(),
                completion: CompletionRule::default(),
                default_survey: false,
            },
        })
        .allow(&STAFF),
        form(CopyClass { id: spare }).allow(&STAFF),
        form(ChangeClassState {
            id: to_start,
            to: "running".into(),
        })
        .allow(&STAFF)
        .except(P::Admin, 400, "the organizer started the class already"),
        form(ClassRoster { id: class }).allow(&STAFF),
        form(EnrolNamed {
            id: spare,
            names: fx.owner.username.clone(),
        })
        .allow(&STAFF),
        // Enrols the owner's county (the owner among them) into the draft.
        form(EnrolRegion {
            id: spare,
            region: owner_region,
        })
        .allow(&STAFF),
        json(EnrolFile {
            id: spare,
            file_name: "learners.csv".into(),
            base64: roster,
        })
        .allow(&STAFF),
        form(Unenrol {
            id: spare,
            user_id: owner,
        })
        .allow(&STAFF)
        .except(P::Admin, 400, "the organizer took the owner out already"),
        form(EnrolRegions {}).allow(&STAFF),
        // survey.rs: each enrolled learner reads their own answers.
        form(LoadMySurvey { id: class })
            .allow(&LEARNERS)
            .refuse(404),
        json(SubmitSurveyAnswers {
            id: learners_class,
            answers,
        })
        .allow(&LEARNERS)
        .refuse(404),
        form(LoadSurveyBuilder { id: class }).allow(&STAFF),
        json(SaveClassSurvey {
            id: spare,
            survey: Some(default_template()),
        })
        .allow(&STAFF),
        form(ApplyDefaultSurvey { id: spare }).allow(&STAFF),
        // The supervisor counts county 1's answers only, never named (and
        // fewer than five are withheld); liaisons do not read results.
        form(LoadSurveyResults { id: class }).allow(&[P::Supervisor, P::Organizer, P::Admin]),
        // journey.rs: everyone gets their own classes (none when signed out).
        form(MyClasses {}).allow(&EVERYONE),
        form(LoadClassHome { id: class })
            .allow(&LEARNERS)
            .refuse(404),
        form(ClaimCertificate { id: class })
            .allow(&LEARNERS)
            .refuse(404),
        form(ReportIn { id: class }).allow(&LEARNERS).refuse(404),
        form(CheckIn { id: class }).allow(&LEARNERS).refuse(404),
        // The owner has sat the demo class's tests: a fresh pre-test.
        form(StartClassExam {
            id: learners_class,
            which: "pre".into(),
            device_proof: None,
        })
        .allow(&LEARNERS)
        .refuse(404),
    ]
}
