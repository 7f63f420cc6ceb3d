//! A class from draft to closed, with its survey and certificates.

use crate::{seed, user};
use academy_shared::class::ClassState;
use academy_shared::ids::ClassId;
use academy_shared::role::Role;
use app::store::{Conflict, DbError, Store};

/// A class's life: edits (stale ones refused), lessons, states with its
/// exams following, enrolment and reporting in, check-ins, the survey (fixed
/// once answered, responses only while open), certificates (one valid per
/// learner, found by code, revoked), and the figures as of a moment.
async fn a_class_from_draft_to_closed(store: &Store) {
    seed(store).await;
    use academy_shared::journey::{CompletionRule, Gating};
    use academy_shared::survey::{Answer, default_template};
    use app::store::ClassEdit;
    use std::collections::BTreeMap;
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
                "cl_organizer",
                "15755700001",
                &county.code,
                vec![Role::Organizer],
            ),
            user("cl_anne", "15755700002", &county.code, vec![Role::Learner]),
            user("cl_bob", "15755700003", &county.code, vec![Role::Learner]),
        ])
        .await
        .unwrap();
    let (organizer, anne, bob) = (ids[0], ids[1], ids[2]);
    let now = 1_800_000_000_000;
    let edit = ClassEdit {
        title: "测试培训班 <i>".into(),
        description: "说明".into(),
        starts_on: Some(20_000),
        ends_on: Some(20_030),
        idle_prompt_ms: 10_000,
        max_rate_milli: 1500,
        gating: Gating::default(),
        completion: CompletionRule {
            min_credited_minutes: Some(5),
            ..CompletionRule::default()
        },
        issuer: "组织部".into(),
    };
    let class_id = store.insert_class(&edit, organizer, now).await.unwrap();
    let class = store.class(class_id).await.unwrap();
    assert_eq!(class.state.code(), "draft");
    assert_eq!(class.title, "测试培训班 <i>");
    assert_eq!(class.completion.min_credited_minutes, Some(5));
    assert_eq!(class.updated_at, now);
    let renamed = ClassEdit {
        title: "测试培训班".into(),
        ..edit.clone()
    };
    store
        .update_class(class_id, &renamed, now, now + 1)
        .await
        .unwrap();
    assert!(
        matches!(
            store.update_class(class_id, &edit, now, now + 2).await,
            Err(DbError::Conflict(Conflict::ClassChanged))
        ),
        "a save over a newer version is refused"
    );
    assert!(matches!(
        store.update_class(ClassId(i64::MAX), &edit, 0, now).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(store.class(class_id).await.unwrap().title, "测试培训班");
    assert!(store.classes_of(anne).await.unwrap().is_empty());

    // Enrolment (again is fine), reporting in once, unenrolling only before.
    assert_eq!(
        store
            .enrol_by(class_id, &[anne, bob, anne], organizer, now)
            .await
            .unwrap(),
        2
    );
    assert!(
        store.classes_of(anne).await.unwrap().is_empty(),
        "drafts are not shown to learners"
    );
    assert!(store.report_in(class_id, anne, now + 5).await.unwrap());
    assert!(!store.report_in(class_id, anne, now + 6).await.unwrap());
    assert!(!store.unenrol(class_id, anne).await.unwrap());
    assert!(store.unenrol(class_id, bob).await.unwrap());
    store
        .enrol_by(class_id, &[bob], organizer, now)
        .await
        .unwrap();
    let roster = store.enrolled(class_id).await.unwrap();
    assert_eq!(roster.len(), 2);
    assert_eq!(
        roster.iter().find(|e| e.user == anne).unwrap().reported_at,
        Some(now + 5)
    );
    assert!(store.learners_in_regions(&[county.id]).await.unwrap().len() >= 2);

    // States: publishing opens the class's exams, closing closes them.
    assert!(
        store
            .set_class_state(class_id, ClassState::Draft, ClassState::Published, now + 10)
            .await
            .unwrap()
    );
    assert!(
        !store
            .set_class_state(class_id, ClassState::Draft, ClassState::Published, now + 11)
            .await
            .unwrap(),
        "a state change from a state the class has left does nothing"
    );
    assert_eq!(store.classes_of(anne).await.unwrap().len(), 1);
    assert_eq!(
        store.class(class_id).await.unwrap().published_at,
        Some(now + 10)
    );

    // Check-ins: once a day.
    assert!(store.check_in(class_id, anne, 20_001, now).await.unwrap());
    assert!(
        !store
            .check_in(class_id, anne, 20_001, now + 1)
            .await
            .unwrap()
    );
    assert!(store.check_in(class_id, anne, 20_002, now).await.unwrap());
    assert_eq!(
        store.checkin_days(class_id, anne).await.unwrap(),
        vec![20_001, 20_002]
    );
    assert_eq!(store.checkins_on(class_id, 20_002).await.unwrap().len(), 1);

    // The survey, then a response; after that the survey is fixed.
    let survey = default_template();
    store
        .set_class_survey(class_id, Some(&survey), now)
        .await
        .unwrap();
    assert_eq!(
        store.class_survey(class_id).await.unwrap(),
        Some(survey.clone())
    );
    let mut answers = BTreeMap::new();
    answers.insert("satisfaction".to_owned(), Answer::Choice(0));
    answers.insert("q22".to_owned(), Answer::Text("意见 <script>".into()));
    assert!(
        store
            .save_survey_response(class_id, anne, &answers, now + 20)
            .await
            .unwrap()
    );
    let outsider = ids[0];
    assert!(
        !store
            .save_survey_response(class_id, outsider, &answers, now + 20)
            .await
            .unwrap(),
        "only enrolled learners answer"
    );
    assert_eq!(
        store.survey_response(class_id, anne).await.unwrap(),
        Some((answers.clone(), now + 20))
    );
    assert!(matches!(
        store.set_class_survey(class_id, None, now).await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(store.survey_responses(class_id).await.unwrap().len(), 1);

    // Certificates: one valid per learner and class; found by code; revoked.
    let first = store
        .issue_certificate(
            class_id,
            anne,
            "安妮",
            3_600_000,
            |n| format!("2027-TEST-{n:05}"),
            "CODE1",
            None,
            now + 30,
        )
        .await
        .unwrap();
    assert_eq!(first.serial, "2027-TEST-00001");
    assert_eq!(first.class_title, "测试培训班");
    assert!(matches!(
        store
            .issue_certificate(
                class_id,
                anne,
                "安妮",
                1,
                |n| format!("2027-TEST-{n:05}"),
                "CODE2",
                None,
                now + 31,
            )
            .await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(
        store.certificate_by_code("CODE1").await.unwrap().id,
        first.id
    );
    assert!(matches!(
        store.certificate_by_code("NOPE").await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        store
            .learner_facts(class_id, anne)
            .await
            .unwrap()
            .certificate,
        Some(first.id)
    );

    // The figures as of a moment: later events are not counted yet.
    let before = store
        .class_figures(class_id, 20_002, now + 25)
        .await
        .unwrap();
    let anne_row = before.iter().find(|r| r.user == anne).unwrap().row;
    assert!(anne_row.reported && anne_row.checked_in && anne_row.survey_done);
    assert_eq!(anne_row.satisfied, Some(true));
    assert!(!anne_row.certified, "issued after that moment");
    let after = store
        .class_figures(class_id, 20_002, now + 40)
        .await
        .unwrap();
    assert!(after.iter().find(|r| r.user == anne).unwrap().row.certified);
    assert!(!after.iter().find(|r| r.user == bob).unwrap().row.reported);

    assert!(
        store
            .revoke_certificate(first.id, organizer, "更正姓名", now + 50)
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_certificate(first.id, organizer, "again", now + 51)
            .await
            .unwrap()
    );
    // Revoked stays revoked: the automatic issue (on the next class-home
    // load or survey) is refused; only an organizer's re-issue makes one.
    assert!(matches!(
        store
            .issue_certificate(
                class_id,
                anne,
                "安妮娜",
                3_600_000,
                |n| format!("2027-TEST-{n:05}"),
                "CODE-AUTO",
                None,
                now + 51,
            )
            .await,
        Err(DbError::Conflict(_))
    ));
    let second = store
        .issue_certificate(
            class_id,
            anne,
            "安妮娜",
            3_600_000,
            |n| format!("2027-TEST-{n:05}"),
            "CODE3",
            Some(organizer),
            now + 52,
        )
        .await
        .unwrap();
    assert_eq!(second.serial, "2027-TEST-00002");
    assert_eq!(
        store
            .certificates_of(anne, Some(class_id))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(store.certificates_of(anne, None).await.unwrap().len(), 2);

    // Closing: read-only from then on.
    assert!(
        store
            .set_class_state(
                class_id,
                ClassState::Published,
                ClassState::Closed,
                now + 60
            )
            .await
            .unwrap()
    );
    assert!(matches!(
        store
            .update_class(
                class_id,
                &edit,
                store.class(class_id).await.unwrap().updated_at,
                now + 61
            )
            .await,
        Err(DbError::Conflict(_))
    ));
    assert!(matches!(
        store.set_class_courseware(class_id, &[]).await,
        Err(DbError::Conflict(_))
    ));
    assert!(
        !store
            .save_survey_response(class_id, anne, &answers, now + 62)
            .await
            .unwrap(),
        "a closed class takes no more responses"
    );
}

on_both_backends!(a_class_from_draft_to_closed);
