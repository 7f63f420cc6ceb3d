//! Banks, questions and exams.

use crate::{seed, user};
use academy_shared::role::Role;
use app::store::{Conflict, DbError, Store};

fn single(stem: &str, right: u8, topic: &str) -> academy_shared::exam::Question {
    academy_shared::exam::Question {
        name: String::new(),
        kind: academy_shared::exam::QuestionKind::Single,
        stem: stem.into(),
        options: vec!["甲".into(), "乙".into(), "丙".into(), "丁".into()],
        answer: academy_shared::exam::Answer::Choice(vec![right]),
        explanation: format!("解析：{stem}"),
        points: 5,
        difficulty: 3,
        topic: topic.into(),
        lecturer: String::new(),
        source: String::new(),
        ignore_punctuation: false,
    }
}

/// Banks, invites with quotas, versioned questions, the sampler's pool, an
/// attempt's life (saves only while open and in time, one grade however
/// often it is closed), and that editing a question changes no paper drawn.
async fn banks_questions_and_attempts(store: &Store) {
    seed(store).await;
    use academy_shared::exam::blueprint::Blueprint;
    use academy_shared::exam::{MultiplePolicy, Response};
    use academy_shared::ids::{AttemptId, QuestionVersionId};
    use app::store::{CloseOutcome, ExamWrite, ExamWritten, NewAttempt, NewItem, QuestionFilter};
    let county = store
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code == "520602")
        .unwrap();
    let ids = store
        .create_users(&[
            user(
                "ex_organizer",
                "15755600001",
                &county.code,
                vec![Role::Organizer],
            ),
            user(
                "ex_lecturer",
                "15755600002",
                &county.code,
                vec![Role::Lecturer],
            ),
            user(
                "ex_learner",
                "15755600003",
                &county.code,
                vec![Role::Learner],
            ),
        ])
        .await
        .unwrap();
    let (organizer, lecturer, learner) = (ids[0], ids[1], ids[2]);
    let now = 1_800_000_000_000;

    let bank = store
        .create_bank("结业题库 <b>", "说明", organizer, now)
        .await
        .unwrap();
    assert_eq!(store.bank(bank).await.unwrap().title, "结业题库 <b>");
    assert!(store.banks(Some(lecturer)).await.unwrap().is_empty());
    store
        .invite_lecturer(bank, lecturer, 2, organizer, now)
        .await
        .unwrap();
    assert_eq!(store.banks(Some(lecturer)).await.unwrap().len(), 1);
    assert_eq!(store.invite_quota(bank, lecturer).await.unwrap(), Some(2));

    // A lecturer's quota holds inside the transaction: three at once is refused whole.
    let three: Vec<_> = (0..3)
        .map(|i| (single(&format!("讲师题{i}"), 0, "党史"), vec![]))
        .collect();
    assert!(matches!(
        store
            .insert_questions(bank, &three, lecturer, Some(2), now)
            .await,
        Err(DbError::Conflict(Conflict::Quota))
    ));
    assert_eq!(store.bank(bank).await.unwrap().question_count, 0);
    store
        .insert_questions(bank, &three[..2], lecturer, Some(2), now)
        .await
        .unwrap();
    assert!(
        store
            .insert_questions(bank, &three[2..], lecturer, Some(2), now)
            .await
            .is_err()
    );
    let invites = store.bank_invites(bank).await.unwrap();
    assert_eq!((invites[0].quota, invites[0].contributed), (2, 2));

    // The organizer fills the bank: 12 questions on two topics, tagged.
    let many: Vec<_> = (0..12)
        .map(|i| {
            (
                single(
                    &format!("题目{i}"),
                    (i % 4) as u8,
                    if i < 6 { "党史" } else { "党章" },
                ),
                vec!["班前".to_owned(), " ".to_owned()],
            )
        })
        .collect();
    let question_ids = store
        .insert_questions(bank, &many, organizer, None, now)
        .await
        .unwrap();
    let (rows, total) = store
        .questions(
            bank,
            &QuestionFilter {
                topic: Some("党章".into()),
                tag: Some("班前".into()),
                ..QuestionFilter::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
    assert_eq!((rows.len(), total), (6, 6));
    assert_eq!(rows[0].tags, vec!["班前".to_owned()]);
    let (mine, _) = store
        .questions(
            bank,
            &QuestionFilter {
                author: Some(lecturer),
                ..QuestionFilter::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
    assert_eq!(mine.len(), 2, "a lecturer's filter shows only their own");
    let (found, _) = store
        .questions(
            bank,
            &QuestionFilter {
                text: Some("题目1".into()),
                ..QuestionFilter::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 3, "题目1, 题目10, 题目11");

    // Bulk tag and archive; archived questions leave the pool.
    assert_eq!(
        store
            .tag_questions(bank, &question_ids[..3], "重点", true)
            .await
            .unwrap(),
        3
    );
    let (_, _, tags) = store.question_facets(bank).await.unwrap();
    assert_eq!(tags, vec!["班前".to_owned(), "重点".to_owned()]);
    assert_eq!(
        store
            .set_questions_archived(bank, &question_ids[10..], true, now)
            .await
            .unwrap(),
        2
    );
    let pool = store.question_pool(&[bank]).await.unwrap();
    assert_eq!(pool.len(), 12, "2 of the lecturer's + 10 not archived");
    assert!(pool.iter().all(|p| p.candidate.options == 4));

    // An attempt fixes versions; the store grades with them.
    let plan = Blueprint::seed_paper(bank);
    let blueprint = store
        .create_blueprint("方案", &plan, organizer, now)
        .await
        .unwrap();
    assert_eq!(store.blueprint(blueprint).await.unwrap().body, plan);
    assert_eq!(
        store.blueprint_seed(blueprint, learner).await.unwrap(),
        None,
        "no seed before the first start"
    );
    let seed = u64::MAX - 7;
    let exam = store
        .create_exam("结业考试", blueprint, "A", None, organizer, now)
        .await
        .unwrap();
    store
        .set_exam_state(exam, academy_shared::exam::ExamState::Open, now)
        .await
        .unwrap();
    assert_eq!(store.exam(exam).await.unwrap().state.code(), "open");
    let first = pool
        .iter()
        .find(|p| p.candidate.id == question_ids[0])
        .unwrap()
        .clone();
    let second = pool
        .iter()
        .find(|p| p.candidate.id == question_ids[1])
        .unwrap()
        .clone();
    let attempt = NewAttempt {
        exam,
        user: learner,
        number: 1,
        seed,
        new_seed: Some((blueprint, seed)),
        form: "A".into(),
        policy: MultiplePolicy::AllOrNothing,
        max_score: 1000,
        pass_mark: 600,
        started_at: now,
        deadline_at: now + 60_000,
    };
    let items = vec![
        NewItem {
            question: first.candidate.id,
            version: first.version,
            section: 0,
            points: 500,
            option_order: vec![3, 1, 0, 2],
        },
        NewItem {
            question: second.candidate.id,
            version: second.version,
            section: 0,
            points: 500,
            option_order: vec![0, 1, 2, 3],
        },
    ];
    let id = store.insert_attempt(&attempt, &items).await.unwrap();
    assert_eq!(
        store.blueprint_seed(blueprint, learner).await.unwrap(),
        Some(seed),
        "the first start records the seed, all 64 bits of it"
    );
    // The same attempt again (a double tap), seed already known.
    let again = NewAttempt {
        new_seed: None,
        ..attempt.clone()
    };
    assert!(matches!(
        store.insert_attempt(&again, &items).await,
        Err(DbError::Conflict(Conflict::AttemptNumber))
    ));
    // A second start that also believed it was first (the other form's exam,
    // at the same moment) is refused whole: its attempt is not written.
    let racing = NewAttempt {
        number: 2,
        seed: 1,
        new_seed: Some((blueprint, 1)),
        ..attempt.clone()
    };
    assert!(matches!(
        store.insert_attempt(&racing, &items).await,
        Err(DbError::Conflict(Conflict::Seed))
    ));
    assert_eq!(
        store.blueprint_seed(blueprint, learner).await.unwrap(),
        Some(seed),
        "the first seed stays"
    );
    assert_eq!(store.attempts_of(exam, learner).await.unwrap().len(), 1);
    let stored = store.attempt_items(id).await.unwrap();
    assert_eq!(stored[0].option_order, vec![3, 1, 0, 2]);
    assert_eq!(stored[0].response, None);

    // Question 0's answer is option 0; an edit makes it option 1 — the drawn
    // paper keeps version 1 and is graded by it.
    let mut edited = store.question(question_ids[0]).await.unwrap();
    assert_eq!(edited.version, 1);
    edited.body.answer = academy_shared::exam::Answer::Choice(vec![1]);
    assert_eq!(
        store
            .update_question(question_ids[0], &edited.body, &[], 1, organizer, now + 1)
            .await
            .unwrap(),
        2
    );
    assert!(matches!(
        store
            .update_question(question_ids[0], &edited.body, &[], 1, organizer, now + 2)
            .await,
        Err(DbError::Conflict(Conflict::Version))
    ));
    let history = store.question_history(question_ids[0]).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].version, 2);
    assert_eq!(
        history[1].body.answer,
        academy_shared::exam::Answer::Choice(vec![0])
    );

    assert!(
        store
            .save_responses(
                id,
                &[
                    (0, Some(Response::Choice(vec![0]))),
                    (1, Some(Response::Choice(vec![3])))
                ],
                now + 10_000
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .save_responses(id, &[(1, Some(Response::Choice(vec![1])))], now + 60_001)
            .await
            .unwrap(),
        "late saves are refused"
    );
    // The exam writer's group: one transaction, each job answering for
    // itself; a refused or failing job writes nothing, the others land.
    let broken_start = NewAttempt {
        number: 3,
        new_seed: None,
        ..attempt.clone()
    };
    let broken_items = vec![NewItem {
        version: QuestionVersionId(i64::MAX),
        ..items[0].clone()
    }];
    let results = store
        .apply_exam_writes(&[
            ExamWrite::Save {
                attempt: id,
                answers: vec![(1, Some(Response::Choice(vec![3])))],
                now: now + 20_000,
            },
            ExamWrite::Save {
                attempt: id,
                answers: vec![(0, None)],
                now: now + 60_001,
            },
            ExamWrite::Start {
                attempt: again.clone(),
                items: items.clone(),
            },
            ExamWrite::Start {
                attempt: broken_start,
                items: broken_items,
            },
            ExamWrite::Save {
                attempt: AttemptId(i64::MAX),
                answers: vec![(0, None)],
                now,
            },
        ])
        .await
        .unwrap();
    assert!(matches!(results[0], Ok(ExamWritten::Saved(true))));
    assert!(matches!(results[1], Ok(ExamWritten::Saved(false))), "late");
    assert!(matches!(results[2], Ok(ExamWritten::NumberTaken)));
    assert!(
        matches!(results[3], Err(DbError::Conflict(_))),
        "an item of a version that does not exist: {:?}",
        results[3]
    );
    assert!(matches!(results[4], Ok(ExamWritten::Saved(false))));
    assert_eq!(
        store.attempts_of(exam, learner).await.unwrap().len(),
        1,
        "the failed start left no attempt row behind"
    );
    let saved = store.attempt_items(id).await.unwrap();
    assert_eq!(saved[0].response, Some(Response::Choice(vec![0])));
    assert_eq!(saved[1].saved_at, Some(now + 20_000));
    assert_eq!(
        store.overdue_attempts(now + 60_001, 10).await.unwrap(),
        vec![id]
    );
    assert_eq!(
        store
            .close_attempt(id, "deadline", now + 61_000)
            .await
            .unwrap(),
        CloseOutcome::Graded {
            score: 500,
            passed: false
        },
        "graded by version 1 (option 0 right) with what was saved in time"
    );
    assert_eq!(
        store
            .close_attempt(id, "learner", now + 62_000)
            .await
            .unwrap(),
        CloseOutcome::AlreadyClosed
    );
    assert!(
        !store
            .save_responses(id, &[(1, Some(Response::Choice(vec![1])))], now + 30_000)
            .await
            .unwrap(),
        "a closed attempt takes no answers, whatever the clock says"
    );
    let record = store.attempt(id).await.unwrap();
    assert_eq!(record.closed_by.as_deref(), Some("deadline"));
    assert_eq!((record.score, record.passed), (Some(500), Some(false)));
    assert!(
        store
            .overdue_attempts(now + 100_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let graded = store.graded_attempts(exam).await.unwrap();
    assert_eq!(graded.len(), 1);
    assert_eq!(
        graded[0].items,
        vec![(question_ids[0], 500, 500), (question_ids[1], 0, 500)]
    );
}

on_both_backends!(banks_questions_and_attempts);
