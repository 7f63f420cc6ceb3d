//! Rows of the authorization matrix: study groups (groups/*) and studying
//! (study/*). See main.rs.
//!
//! The owner's group is county 10's group of the demo class: liaison01
//! (county 1's liaison) and the supervisor scoped to county 1 have no
//! business in it. Whatever a row changes for good acts on a throwaway class
//! with throwaway groups.

use crate::common::published_class_with;
use crate::fixture::Fixture;
use crate::*;
use academy_shared::checkin::{day_of, label};
use academy_shared::groups::SummaryFields;
use academy_shared::ids::{CoursewareId, GroupId, UserId};
use academy_shared::study::Heartbeat;
use app::groups::MyGroupsToday;
use app::groups::discussion::{AddPost, LoadThread, MarkThreadRead, ModeratePost};
use app::groups::manage::{
    CreateGroup, DeleteGroup, DeleteTopic, FormGroups, LoadGroups, LoadTopics, PlaceLearner,
    RenameGroup, SaveTopic, SetLiaison,
};
use app::groups::report::{LoadReport, WorkClasses};
use app::groups::summaries::{
    ArchiveSummaries, LoadSummaries, LoadSummary, PrintSummaries, ReviewSummary, SaveSummary,
};
use app::store::{SummaryWrite, TopicRecord, now_millis};
use app::study::EVENT_IDLE_PROMPT_SHOWN;
use app::study::api::{MyLessons, OpenLesson, ReportStudyEvent, SendHeartbeats};

pub async fn rows(fx: &mut Fixture) -> Vec<Row> {
    let now = now_millis();
    let today = day_of(now);
    let yesterday = label(today - 1);
    let class = fx.class;
    let owner = fx.owner.id;
    let organizer = fx.store().user_by_username("organizer").await.unwrap().id;

    // County 10's group, and the owner's post in yesterday's thread there.
    let group = GroupId(
        fx.id(&format!(
            "SELECT m.group_id FROM group_members m JOIN users u ON u.id = m.user_id \
             WHERE u.username = 'learner095' AND m.class_id = {class}"
        ))
        .await,
    );
    let post = fx
        .id(&format!(
            "SELECT p.id FROM group_posts p JOIN users u ON u.id = p.author_id \
             WHERE u.username = 'learner095' AND p.group_id = {group} ORDER BY p.id LIMIT 1"
        ))
        .await;
    // A post of the owner's to hide, in today's thread of their group.
    let spare_post = fx
        .store()
        .add_post(group, today, owner, None, "授权矩阵：待隐藏的发言", now)
        .await
        .unwrap()
        .unwrap();

    // A throwaway class (with a learner who is not a persona) and its groups.
    let spare_class = published_class_with(fx.store(), "授权矩阵：小组", &["learner050"]).await;
    let mut spare_groups = Vec::new();
    for name in ["矩阵：改名小组", "矩阵：删除小组", "矩阵：审核小组"] {
        let id = fx.store().create_group(spare_class, name, None, now).await;
        spare_groups.push(id.unwrap());
    }
    let [to_rename, to_delete, to_review] = spare_groups[..] else {
        unreachable!()
    };
    let fields = SummaryFields {
        participants: 0,
        topic: "矩阵".into(),
        views: "矩阵".into(),
        problems: String::new(),
        suggestions: String::new(),
    };
    assert!(
        fx.store()
            .write_summary(&SummaryWrite {
                group_id: to_review,
                day: today,
                expected: None,
                state: academy_shared::groups::SummaryState::Submitted,
                members: 0,
                fields: &fields,
                by: organizer,
                now,
            })
            .await
            .unwrap()
    );
    let topic_day = label(today + 1);
    fx.store()
        .set_topic(
            &TopicRecord {
                class_id: spare_class,
                day: today + 1,
                title: "矩阵：待删除的话题".into(),
                body: String::new(),
                attachment: None,
                attachment_name: None,
                courseware: Vec::new(),
                updated_at: now,
            },
            organizer,
        )
        .await
        .unwrap();
    let liaison05 = UserId(fx.user_id("liaison05").await);

    // A lesson of the demo class with a video, not lecturer12's; and a study
    // stream of the owner's on it.
    let lesson = CoursewareId(
        fx.id(&format!(
            "SELECT c.id FROM class_courseware k JOIN courseware c ON c.id = k.courseware_id \
             JOIN users u ON u.id = c.lecturer_id WHERE k.class_id = {class} \
             AND u.username = 'lecturer01' AND c.video_id IS NOT NULL"
        ))
        .await,
    );
    let stream = fx
        .store()
        .open_stream(owner, class, lesson, 0, "", now)
        .await
        .unwrap();

    const MANAGERS: [P; 2] = [P::Organizer, P::Admin];
    const OVERSEERS: [P; 4] = [P::Liaison, P::Supervisor, P::Organizer, P::Admin];

    vec![
        // Visitors get an empty list; everyone else their own groups.
        form(MyGroupsToday { class: Some(class) }).allow(&EVERYONE),
        // Yesterday's thread of the owner's group, with the owner's post.
        form(LoadThread {
            class_id: class,
            group: Some(group),
            day: Some(yesterday.clone()),
        })
        .allow(&[P::Owner, P::Organizer, P::Admin]),
        form(MarkThreadRead {
            group_id: group,
            up_to: post,
        })
        .allow(&[P::Owner, P::Organizer, P::Admin]),
        form(AddPost {
            group_id: group,
            body: "授权矩阵：一条发言".into(),
            reply_to: 0,
        })
        .allow(&[P::Owner, P::Organizer, P::Admin]),
        // Only the group's liaison (liaison10, no persona) and staff moderate.
        form(ModeratePost {
            post_id: spare_post,
            action: "hide".into(),
        })
        .allow(&MANAGERS),
        form(LoadGroups { class_id: class }).allow(&MANAGERS),
        form(FormGroups {
            class_id: spare_class,
            level: "county".into(),
        })
        .allow(&MANAGERS),
        form(CreateGroup {
            class_id: spare_class,
            name: "矩阵：新建小组".into(),
        })
        .allow(&MANAGERS)
        .except(
            P::Admin,
            400,
            "the organizer made a group of that name already",
        ),
        form(RenameGroup {
            group_id: to_rename,
            name: "矩阵：改过名的小组".into(),
        })
        .allow(&MANAGERS),
        form(DeleteGroup {
            group_id: to_delete,
        })
        .allow(&MANAGERS)
        .except(P::Admin, 404, "the organizer deleted the group already"),
        form(PlaceLearner {
            class_id: spare_class,
            username: "learner050".into(),
            group_id: to_rename,
        })
        .allow(&MANAGERS),
        form(SetLiaison {
            group_id: to_rename,
            user_id: liaison05,
            on: true,
        })
        .allow(&MANAGERS),
        form(LoadTopics { class_id: class }).allow(&MANAGERS),
        form(SaveTopic {
            class_id: spare_class,
            day: label(today),
            title: "矩阵：今天的话题".into(),
            body: String::new(),
            courseware: String::new(),
            attachment: 0,
        })
        .allow(&MANAGERS),
        form(DeleteTopic {
            class_id: spare_class,
            day: topic_day,
        })
        .allow(&MANAGERS),
        // Scoped to their regions for the liaison and the supervisor.
        form(LoadReport {
            class_id: class,
            day: None,
        })
        .allow(&OVERSEERS),
        form(WorkClasses {}).allow(&OVERSEERS),
        // Yesterday's summary of the owner's group names its members.
        form(LoadSummary {
            group_id: group,
            day: Some(yesterday.clone()),
        })
        .allow(&MANAGERS),
        // Only the group's own liaison (liaison10, no persona) writes it.
        form(SaveSummary {
            group_id: group,
            day: yesterday.clone(),
            expected: "accepted".into(),
            participants: "1".into(),
            topic: "矩阵".into(),
            views: "矩阵".into(),
            problems: String::new(),
            suggestions: String::new(),
            submit: false,
        })
        .allow(&[]),
        form(ReviewSummary {
            group_id: to_review,
            day: label(today),
            accept: true,
            comment: String::new(),
        })
        .allow(&MANAGERS)
        .except(P::Admin, 400, "the organizer accepted the summary already"),
        // The summaries of the groups each may read (the liaison's and the
        // supervisor's of county 1); a member has none.
        form(LoadSummaries {
            class_id: class,
            day: Some(yesterday.clone()),
        })
        .allow(&OVERSEERS),
        form(ArchiveSummaries {
            class_id: spare_class,
            day: label(today),
        })
        .allow(&MANAGERS),
        form(PrintSummaries {
            class_id: class,
            from: Some(yesterday),
            to: None,
        })
        .allow(&OVERSEERS),
        form(MyLessons {}).allow(&SIGNED_IN),
        // Enrolled learners study it, staff preview it; to the others the
        // lesson does not exist.
        form(OpenLesson {
            class_id: class,
            courseware_id: lesson,
            device_proof: None,
        })
        .allow(&[
            P::OtherLearner,
            P::Liaison,
            P::Owner,
            P::Organizer,
            P::Admin,
        ])
        .refuse(404),
        // The owner's stream is no one else's to credit.
        json(SendHeartbeats {
            stream_id: stream,
            beats: vec![Heartbeat {
                seq: 1,
                position_ms: 0,
                playing: false,
                rate_milli: 1000,
                visible: true,
                idle_paused: false,
                since_interaction_ms: 0,
            }],
            leaving: None,
        })
        .allow(&[P::Owner])
        .refuse(404),
        form(ReportStudyEvent {
            stream_id: stream,
            kind: EVENT_IDLE_PROMPT_SHOWN.into(),
            position_ms: 0,
        })
        .allow(&[P::Owner])
        .refuse(404),
    ]
}
