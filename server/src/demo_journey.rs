//! Demo data for the six-step journey: the seed's class gets its dates,
//! issuer and the 22-item survey, and its learners are part-way — most have
//! reported in and check in daily, learner081–100 sat the pre-test and have
//! studied 1–12 courses, learner090–100 answered the survey, learner093–100
//! sat the final exam and hold certificates; learner001–011 and 030–063 have
//! not started (the tests use them as fresh learners). A second, tiny class ("快速体验班") has two
//! 3-second courses, two-question tests and an idle prompt of 10 seconds, so
//! a newcomer can walk the whole journey in two minutes.

use academy_shared::checkin::{day_of, day_start_ms};
use academy_shared::exam::blueprint::{Blueprint, Reveal, Section};
use academy_shared::exam::{MultiplePolicy, QuestionKind};
use academy_shared::ids::{BankId, UserId};
use academy_shared::journey::{CompletionRule, Gating};
use academy_shared::survey::{Answer, ItemKind, Survey, default_template};
use app::media::MediaStore;
use app::store::{ClassEdit, CoursewareDetails, DbError, DbResult, NewClass, Store, now_millis};
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;

pub const QUICK_CLASS_TITLE: &str = "快速体验班（演示）";
const ISSUER: &str = "中共铜仁市委组织部";
const DAY_MS: i64 = 86_400_000;

fn broken(what: &str) -> DbError {
    DbError::Other(sqlx::Error::Protocol(format!("demo journey: {what}")))
}

async fn class_id_of(store: &Store, title: &str) -> DbResult<academy_shared::ids::ClassId> {
    store
        .list_classes()
        .await?
        .into_iter()
        .find(|(_, t, _)| t == title)
        .map(|(id, _, _)| id)
        .ok_or(DbError::NotFound)
}

async fn learner(store: &Store, n: u32) -> DbResult<UserId> {
    Ok(store.user_by_username(&format!("learner{n:03}")).await?.id)
}

pub async fn load(store: &Store, media: &dyn MediaStore) -> DbResult<()> {
    let now = now_millis();
    let class_id = class_id_of(store, crate::demo::CLASS_TITLE).await?;
    let today = day_of(now);
    let class = store.class(class_id).await?;
    store
        .update_class(
            class_id,
            &ClassEdit {
                title: class.title.clone(),
                description: "面向外出务工流动党员的网络培训：12 门视频课程、班前测试、培训评价、结业考试，合格者颁发培训证书。".into(),
                starts_on: Some(today - 14),
                ends_on: Some(today + 16),
                idle_prompt_ms: class.idle_prompt_ms,
                max_rate_milli: class.max_rate_milli,
                // The seed's learners studied from the first day and took
                // the pre-test alongside; the final exam still waits for the
                // courses and the survey. (The quick class keeps the defaults.)
                gating: Gating {
                    study_after_pre_test: false,
                    ..Gating::default()
                },
                completion: CompletionRule::default(),
                issuer: ISSUER.into(),
            },
            class.updated_at,
            now,
        )
        .await?;
    let survey = default_template();
    store.set_class_survey(class_id, Some(&survey), now).await?;
    let lessons = store.class_lessons(class_id).await?;
    let mut durations = Vec::new();
    for id in &lessons {
        durations.push(store.courseware(*id).await?.duration_ms);
    }

    let mut rng = rand::rngs::StdRng::seed_from_u64(6);
    // Reporting in and check-ins: learner012–029 and 064–100 (the tests use
    // the others as fresh learners).
    for n in (12..=29).chain(64..=100) {
        let user = learner(store, n).await?;
        store
            .report_in(class_id, user, now - 10 * DAY_MS + i64::from(n) * 60_000)
            .await?;
        for back in 0..7 {
            if rng.random_bool(if back == 0 { 0.8 } else { 0.6 }) {
                let day = today - back;
                store
                    .check_in(class_id, user, day, day_start_ms(day) + 9 * 3_600_000)
                    .await?;
            }
        }
    }
    // Studying: learner081–100 completed n − 80 courses (all 12 from 092 on);
    // learner012–029 a few each.
    let done_at = now - 2 * DAY_MS;
    for n in (12..=29).chain(81..=100) {
        let user = learner(store, n).await?;
        let count = if n > 80 {
            (n - 80) as usize
        } else {
            rng.random_range(0..6)
        };
        for (id, duration) in lessons.iter().zip(&durations).take(count) {
            store
                .record_lesson_done(user, class_id, *id, *duration, done_at)
                .await?;
        }
    }
    // The survey: learner090–100, most satisfied.
    for n in 90..=100 {
        let user = learner(store, n).await?;
        let answers = demo_answers(&survey, &mut rng);
        if !store
            .save_survey_response(class_id, user, &answers, now - DAY_MS)
            .await?
        {
            return Err(broken("survey response refused"));
        }
    }
    // The final exam and certificates: learner093–100.
    let final_exam = class.final_exam.ok_or_else(|| broken("no final exam"))?;
    let mut finalists = Vec::new();
    for n in 93..=100u32 {
        finalists.push((learner(store, n).await?, 0.8 + f64::from(n - 92) * 0.02));
    }
    crate::demo_exams::sit_exam(store, final_exam, &finalists, now - 3 * 3_600_000, 93).await?;
    let class = store.class(class_id).await?;
    for (user, _) in &finalists {
        app::classes::journey::ensure_certificate(store, &class, *user)
            .await
            .map_err(|e| broken(&format!("certificate: {e}")))?;
    }

    load_quick_class(store, media, now).await
}

/// Answers to every item of `survey` as a learner would give them.
fn demo_answers(survey: &Survey, rng: &mut impl Rng) -> BTreeMap<String, Answer> {
    const OPINIONS: [&str; 3] = [
        "这次网络培训安排得很好，课程内容贴近我们外出务工党员的实际，手机上随时可以学习，播放记忆很方便，打电话回来还能接着看。希望以后多安排一些政策解读和实用技术方面的课程，讨论环节也可以再多一些时间，让大家多交流。",
        "通过学习，我对党的创新理论有了更深的理解，也学到了很多实用的知识。平台操作简单，视频清晰，考试题目难度适中。建议增加课程的字幕和讲义下载功能，方便在流量不足的时候复习，也希望联络员能多组织线上讨论。",
        "培训形式新颖，不用请假回乡也能参加组织学习，对我们流动党员来说非常必要。个别课程时间稍长，建议分成更短的小节；另外希望能把优秀学员的学习心得分享出来，互相学习，共同提高，把学到的知识用到工作和生活中去。",
    ];
    let mut answers = BTreeMap::new();
    for item in &survey.items {
        let options = u8::try_from(item.options.len()).unwrap_or(1).max(1);
        let answer = match &item.kind {
            ItemKind::Single if item.key == academy_shared::survey::SATISFACTION_KEY => {
                Answer::Choice(if rng.random_bool(0.93) { 0 } else { 2 })
            }
            ItemKind::Single => Answer::Choice(rng.random_range(0..options)),
            ItemKind::Multiple => {
                let first = rng.random_range(0..options);
                let second = (first + 1) % options;
                let mut picks = vec![first, second];
                picks.sort_unstable();
                picks.dedup();
                Answer::Choices(picks)
            }
            ItemKind::Rating { min, max } => Answer::Rating(rng.random_range(*min..=*max)),
            ItemKind::Text { .. } => {
                Answer::Text(OPINIONS[rng.random_range(0..OPINIONS.len())].to_owned())
            }
        };
        answers.insert(item.key.clone(), answer);
    }
    answers
}

async fn bank_named(store: &Store, prefix: &str) -> DbResult<BankId> {
    store
        .banks(None)
        .await?
        .into_iter()
        .find(|b| b.title.starts_with(prefix))
        .map(|b| b.id)
        .ok_or(DbError::NotFound)
}

fn tiny_plan(bank: BankId, attempts: u32) -> Blueprint {
    Blueprint {
        sections: vec![Section {
            kind: QuestionKind::Single,
            bank,
            topics: Vec::new(),
            count: 2,
            points_each: 5_000,
        }],
        time_limit_minutes: 10,
        // A walk-through, not a test of knowledge: any score completes it.
        pass_mark: 0,
        attempts_allowed: attempts,
        shuffle_questions: true,
        shuffle_options: true,
        multiple_policy: MultiplePolicy::AllOrNothing,
        show_results: Reveal::AfterSubmit,
        show_answers: Reveal::AfterSubmit,
    }
}

async fn load_quick_class(store: &Store, media: &dyn MediaStore, now: i64) -> DbResult<()> {
    let organizer = store.user_by_username("organizer").await?;
    let reviewer = store.user_by_username("reviewer").await?;
    let clip = crate::demo::demo_media(
        store,
        media,
        crate::demo::INTRO_MP4,
        academy_shared::media::MediaKind::Video,
        "video/mp4",
        "快速体验.mp4",
        Some(3_000),
    )
    .await?;
    let class_id = store
        .create_class(
            &NewClass {
                title: QUICK_CLASS_TITLE.into(),
                state: academy_shared::class::ClassState::Published,
                idle_prompt_ms: 10_000,
                max_rate_milli: 2000,
                intro_media_id: None,
                outro_media_id: None,
            },
            organizer.id,
            now,
        )
        .await?;
    for (n, title) in ["快速体验：入党誓词", "快速体验：党员的权利和义务"]
        .into_iter()
        .enumerate()
    {
        let lecturer = store
            .user_by_username(&format!("lecturer{:02}", n + 1))
            .await?;
        let id = store
            .create_courseware(
                &CoursewareDetails {
                    title: title.into(),
                    lecturer_name: lecturer.real_name.clone(),
                    lecturer_id: Some(lecturer.id),
                    topic: "快速体验".into(),
                },
                lecturer.id,
                now,
            )
            .await?;
        store.set_courseware_video(id, &clip, now).await?;
        crate::demo::publish(store, id, lecturer.id, reviewer.id, organizer.id, now).await?;
        store.add_class_courseware(class_id, id).await?;
    }
    let class = store.class(class_id).await?;
    let today = day_of(now);
    store
        .update_class(
            class_id,
            &ClassEdit {
                title: class.title.clone(),
                description: "两门 3 秒的短课、两道题的测试：几分钟走完报到、前测、学习、评价、结业考试和证书六个步骤。".into(),
                starts_on: Some(today),
                ends_on: Some(today + 30),
                idle_prompt_ms: class.idle_prompt_ms,
                max_rate_milli: class.max_rate_milli,
                gating: Gating::default(),
                completion: CompletionRule::default(),
                issuer: ISSUER.into(),
            },
            class.updated_at,
            now,
        )
        .await?;
    let pre_plan = store
        .create_blueprint(
            "快速体验·前测",
            &tiny_plan(bank_named(store, "班前测试题库").await?, 1),
            organizer.id,
            now,
        )
        .await?;
    let final_plan = store
        .create_blueprint(
            "快速体验·结业考试",
            &tiny_plan(bank_named(store, "结业考试题库").await?, 3),
            organizer.id,
            now,
        )
        .await?;
    use academy_shared::class::ClassTest;
    for (which, plan) in [(ClassTest::Pre, pre_plan), (ClassTest::Final, final_plan)] {
        let title = which.label_zh();
        let exam = store
            .create_exam(title, plan, "A", Some(class_id), organizer.id, now)
            .await?;
        store
            .set_exam_state(exam, academy_shared::exam::ExamState::Open, now)
            .await?;
        store.set_class_exam(class_id, which, Some(exam)).await?;
    }
    store
        .set_class_survey(class_id, Some(&default_template()), now)
        .await?;
    let mut learners = Vec::new();
    for n in 41..=49 {
        learners.push(learner(store, n).await?);
    }
    store.enrol(class_id, &learners, now).await?;
    Ok(())
}
