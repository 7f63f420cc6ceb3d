//! Courseware and studying: media, the review gates, a class's lessons, who
//! may fetch which file, and heartbeats.

use crate::{seed, user};
use academy_shared::class::ClassState;
use academy_shared::courseware::{ReviewAction, ReviewState};
use academy_shared::ids::{CoursewareId, UserId};
use academy_shared::media::MediaKind;
use academy_shared::role::Role;
use academy_shared::study::{Heartbeat, StudyRules};
use app::store::{
    CoursewareDetails, CoursewareFilter, DbError, HeartbeatJob, NewClass, NewMedia, OutlineItem,
    SessionLink, Slide, Store,
};

fn beat(seq: i64, position_ms: i64) -> Heartbeat {
    Heartbeat {
        seq,
        position_ms,
        playing: true,
        rate_milli: 1000,
        visible: true,
        idle_paused: false,
        since_interaction_ms: 1_000,
    }
}

/// Takes courseware that was sent back through proofreading, submission and
/// approval again.
async fn through_the_gates_again(store: &Store, cw: CoursewareId, by: UserId, at: i64) {
    for (step, (action, from, to)) in [
        (
            ReviewAction::Proofread,
            ReviewState::Draft,
            ReviewState::Proofread,
        ),
        (
            ReviewAction::Submit,
            ReviewState::Proofread,
            ReviewState::Submitted,
        ),
        (
            ReviewAction::Approve,
            ReviewState::Submitted,
            ReviewState::Approved,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let at = at + i64::try_from(step).unwrap();
        assert!(
            store
                .review_courseware(cw, action, from, to, "", by, at)
                .await
                .unwrap(),
            "{action:?}"
        );
    }
}

/// Media, courseware through the review gates, a class with enrolment, who may
/// fetch which file, and heartbeats: exactly-once, the wall-clock bound, the
/// single credited stream per learner, completion.
async fn media_courseware_and_study_time(store: &Store) {
    seed(store).await;
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
                "cw_lecturer",
                "15755500001",
                &county.code,
                vec![Role::Lecturer],
            ),
            user(
                "cw_other_lecturer",
                "15755500002",
                &county.code,
                vec![Role::Lecturer],
            ),
            user(
                "cw_learner",
                "15755500003",
                &county.code,
                vec![Role::Learner],
            ),
            user(
                "cw_outsider",
                "15755500004",
                &county.code,
                vec![Role::Learner],
            ),
            user(
                "cw_organizer",
                "15755500005",
                &county.code,
                vec![Role::Organizer],
            ),
        ])
        .await
        .unwrap();
    let (lecturer, other_lecturer, learner, outsider, organizer) =
        (ids[0], ids[1], ids[2], ids[3], ids[4]);
    let t0 = 1_700_000_000_000;
    let media = |key: &str, kind: &str, duration: Option<i64>, by| NewMedia {
        storage_key: key.into(),
        kind: MediaKind::from_code(kind).unwrap(),
        content_type: if kind == "video" {
            "video/mp4"
        } else {
            "image/png"
        }
        .into(),
        file_name: "讲座 <1>.mp4".into(),
        size_bytes: 1234,
        sha256: "ab".repeat(32),
        duration_ms: duration,
        uploaded_by: Some(by),
        uploaded_at: t0,
    };
    let video_id = store
        .insert_media(&media("ab/video.mp4", "video", Some(600_000), lecturer))
        .await
        .unwrap();
    let slide_id = store
        .insert_media(&media("ab/slide.png", "image", None, lecturer))
        .await
        .unwrap();
    let stray_id = store
        .insert_media(&media("ab/stray.png", "image", None, other_lecturer))
        .await
        .unwrap();
    assert!(
        matches!(
            store
                .insert_media(&media("ab/video.mp4", "video", None, lecturer))
                .await,
            Err(DbError::Conflict(_))
        ),
        "a storage key names one file"
    );
    let video = store.media(video_id).await.unwrap();
    assert_eq!(video.file_name, "讲座 <1>.mp4");

    let details = CoursewareDetails {
        title: "学习贯彻 '创新理论' & 实践".into(),
        lecturer_name: "王老师".into(),
        lecturer_id: Some(lecturer),
        topic: "理论".into(),
    };
    let cw = store
        .create_courseware(&details, lecturer, t0)
        .await
        .unwrap();
    store
        .set_courseware_video(cw, &video, t0 + 1)
        .await
        .unwrap();
    store
        .set_cues(
            cw,
            &[Slide {
                start_ms: 0,
                media_id: slide_id,
            }],
            &[
                OutlineItem {
                    start_ms: 0,
                    level: 1,
                    body: "一".into(),
                },
                OutlineItem {
                    start_ms: 60_000,
                    level: 2,
                    body: "二".into(),
                },
            ],
            t0 + 2,
        )
        .await
        .unwrap();
    let loaded = store.courseware(cw).await.unwrap();
    assert_eq!(loaded.details, details);
    assert_eq!(loaded.duration_ms, 600_000, "the video's duration");
    assert_eq!(loaded.slides.len(), 1);
    assert_eq!(loaded.outline[1].body, "二");
    assert_eq!(loaded.state.code(), "draft");
    assert!(matches!(
        store
            .update_courseware_details(CoursewareId(999_999), &details, t0)
            .await,
        Err(DbError::NotFound)
    ));

    // The library: search by words in any field, filters, a lecturer's own.
    let (rows, total) = store
        .search_courseware(
            &CoursewareFilter {
                text: Some("创新".into()),
                ..CoursewareFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!((rows.len(), total), (1, 1));
    assert!(rows[0].has_video);
    let (_, none) = store
        .search_courseware(
            &CoursewareFilter {
                lecturer_id: Some(other_lecturer),
                ..CoursewareFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(none, 0);
    let (_, by_state) = store
        .search_courseware(
            &CoursewareFilter {
                state: Some(ReviewState::Published),
                ..CoursewareFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(by_state, 0);
    let (lecturers, topics) = store.courseware_facets().await.unwrap();
    assert!(lecturers.contains(&"王老师".to_owned()) && topics.contains(&"理论".to_owned()));

    // Review gates: a step applies only from the state it was decided in.
    assert!(
        store
            .review_courseware(
                cw,
                ReviewAction::Proofread,
                ReviewState::Draft,
                ReviewState::Proofread,
                "",
                lecturer,
                t0 + 3
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .review_courseware(
                cw,
                ReviewAction::Proofread,
                ReviewState::Draft,
                ReviewState::Proofread,
                "",
                lecturer,
                t0 + 4
            )
            .await
            .unwrap(),
        "a second, stale decision changes nothing"
    );
    store
        .review_courseware(
            cw,
            ReviewAction::SendBack,
            ReviewState::Proofread,
            ReviewState::Draft,
            "字幕有误",
            organizer,
            t0 + 5,
        )
        .await
        .unwrap();
    let history = store.review_history(cw).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].comment, "字幕有误");
    assert_eq!(history[1].to_state, ReviewState::Draft);
    // Fixed, and through the gates again: only approved courseware reaches learners.
    through_the_gates_again(store, cw, organizer, t0 + 6).await;

    // A class, its lessons, enrolment.
    let class = store
        .create_class(
            &NewClass {
                title: "示范班".into(),
                state: ClassState::Published,
                idle_prompt_ms: 60_000,
                max_rate_milli: 1500,
                intro_media_id: None,
                outro_media_id: None,
            },
            organizer,
            t0,
        )
        .await
        .unwrap();
    store.add_class_courseware(class, cw).await.unwrap();
    assert!(
        store.add_class_courseware(class, cw).await.is_err(),
        "once per class"
    );
    store.enrol(class, &[learner, learner], t0).await.unwrap();
    assert!(store.is_enrolled(class, learner).await.unwrap());
    assert!(!store.is_enrolled(class, outsider).await.unwrap());
    assert_eq!(store.class_lessons(class).await.unwrap(), vec![cw]);
    assert_eq!(store.classes_with_courseware(cw).await.unwrap().len(), 1);
    let rules = store.class_rules(class).await.unwrap();
    assert_eq!((rules.idle_prompt_ms, rules.max_rate_milli), (60_000, 1500));

    // Who may fetch a file.
    let fetch = |user, roles: Vec<Role>, id| {
        let store = store.clone();
        async move { store.may_fetch_media(user, &roles, id).await.unwrap() }
    };
    assert!(
        fetch(learner, vec![Role::Learner], video_id).await,
        "enrolled"
    );
    assert!(
        fetch(learner, vec![Role::Learner], slide_id).await,
        "its slides too"
    );
    assert!(
        !fetch(outsider, vec![Role::Learner], video_id).await,
        "not enrolled"
    );
    assert!(
        !fetch(learner, vec![Role::Learner], stray_id).await,
        "not in the class"
    );
    assert!(
        fetch(lecturer, vec![Role::Lecturer], video_id).await,
        "its lecturer"
    );
    assert!(
        fetch(other_lecturer, vec![Role::Lecturer], stray_id).await,
        "own upload"
    );
    assert!(
        !fetch(other_lecturer, vec![Role::Lecturer], video_id).await,
        "another's"
    );
    assert!(
        fetch(organizer, vec![Role::Organizer], stray_id).await,
        "staff"
    );

    // Heartbeats.
    let base = StudyRules::default();
    let stream = store
        .open_stream(learner, class, cw, 0, "测试手机", t0)
        .await
        .unwrap();
    let job = |stream_id, beats: Vec<Heartbeat>, at| HeartbeatJob {
        user: learner,
        slide_session: None,
        stream_id,
        beats,
        received_at: at,
        leaving: false,
    };
    let results = store
        .apply_heartbeats(&base, &[job(stream, vec![beat(1, 0)], t0 + 100)])
        .await
        .unwrap();
    let first = results.into_iter().next().unwrap().unwrap();
    assert_eq!((first.last_seq, first.credited_now_ms), (1, 0));
    assert!(!first.other_stream_active);
    // 15 s later, 15 s further: credited; the same batch again: not twice.
    // The batch also slides the sender's session, in the same commit.
    store
        .create_session(
            "cw-hash",
            learner,
            t0 - 100_000,
            t0 + 3_600_000,
            None,
            SessionLink::default(),
        )
        .await
        .unwrap();
    let idle = 30 * 60_000;
    let (_, _, stale) = store
        .session_account("cw-hash", t0 + 15_100, idle)
        .await
        .unwrap()
        .unwrap();
    assert!(stale, "unused for almost two minutes: due to slide");
    let mut second = job(stream, vec![beat(2, 15_000)], t0 + 15_100);
    second.slide_session = Some("cw-hash".into());
    let applied = store
        .apply_heartbeats(&base, std::slice::from_ref(&second))
        .await
        .unwrap();
    let applied = applied.into_iter().next().unwrap().unwrap();
    assert_eq!(applied.credited_now_ms, 15_000);
    let (_, _, stale) = store
        .session_account("cw-hash", t0 + 16_000, idle)
        .await
        .unwrap()
        .unwrap();
    assert!(!stale, "slid by the heartbeat batch");
    let replay = store
        .apply_heartbeats(&base, &[job(stream, vec![beat(2, 15_000)], t0 + 15_200)])
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(replay.credited_now_ms, 0, "exactly once");
    assert_eq!(replay.lesson_credited_ms, 15_000);
    // Someone else's stream id: not found, and nothing changes.
    let stolen = store
        .apply_heartbeats(
            &base,
            &[HeartbeatJob {
                user: outsider,
                slide_session: None,
                stream_id: stream,
                beats: vec![beat(3, 30_000)],
                received_at: t0 + 30_000,
                leaving: false,
            }],
        )
        .await
        .unwrap();
    assert!(matches!(stolen[0], Err(DbError::NotFound)));

    // A second tab gets no credit while the first is alive; the position is kept.
    let tab = store
        .open_stream(learner, class, cw, 15_000, "电脑", t0 + 16_000)
        .await
        .unwrap();
    let results = store
        .apply_heartbeats(
            &base,
            &[
                job(tab, vec![beat(1, 15_000)], t0 + 16_000),
                job(tab, vec![beat(2, 30_000)], t0 + 31_000),
            ],
        )
        .await
        .unwrap();
    for result in &results {
        let result = result.as_ref().unwrap();
        assert!(result.other_stream_active);
        assert_eq!(result.credited_now_ms, 0);
    }
    let progress = store
        .lesson_progress(learner, class, cw)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        progress.position_ms, 30_000,
        "playback memory follows any tab"
    );
    assert_eq!(progress.credited_ms, 15_000);
    // The first tab goes silent past the lease: the second takes over.
    let later = t0 + 31_000 + base.stream_lease_ms + 1;
    let taken = store
        .apply_heartbeats(&base, &[job(tab, vec![beat(3, 30_000)], later)])
        .await
        .unwrap();
    assert!(!taken[0].as_ref().unwrap().other_stream_active);
    // A page that is left gives the lease up at once: the learner's other
    // page (or next lesson) is credited again without waiting for it to lapse.
    let left = store
        .apply_heartbeats(
            &base,
            &[HeartbeatJob {
                leaving: true,
                ..job(tab, vec![beat(4, 30_000)], later + 1_000)
            }],
        )
        .await
        .unwrap();
    assert!(!left[0].as_ref().unwrap().other_stream_active);
    // A request of that page that raced its leaving one (nothing new in it)
    // does not take the lease back.
    let retry = store
        .apply_heartbeats(&base, &[job(tab, vec![beat(4, 30_000)], later + 1_500)])
        .await
        .unwrap();
    assert!(retry[0].as_ref().unwrap().other_stream_active);
    let back = store
        .apply_heartbeats(&base, &[job(stream, vec![beat(3, 15_000)], later + 2_000)])
        .await
        .unwrap();
    assert!(
        !back[0].as_ref().unwrap().other_stream_active,
        "the lease was free again"
    );
    store
        .apply_heartbeats(
            &base,
            &[HeartbeatJob {
                leaving: true,
                ..job(stream, vec![beat(4, 15_000)], later + 2_500)
            }],
        )
        .await
        .unwrap();

    // Idle prompt events belong to the stream's learner only.
    store
        .record_study_event(learner, stream, "idle_prompt_shown", 15_000, t0 + 40_000)
        .await
        .unwrap();
    assert!(matches!(
        store
            .record_study_event(outsider, stream, "idle_prompt_shown", 0, t0)
            .await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        store.study_events(stream).await.unwrap(),
        vec![("idle_prompt_shown".to_owned(), 15_000)]
    );

    // Watching the rest honestly completes the lesson (600 s at 1x, max 1.5x).
    let mut now = later + 2_500;
    let mut position = 30_000;
    let mut seq = 4;
    while position < 600_000 {
        now += 15_000;
        position += 15_000;
        seq += 1;
        store
            .apply_heartbeats(&base, &[job(tab, vec![beat(seq, position)], now)])
            .await
            .unwrap();
    }
    let progress = store
        .lesson_progress(learner, class, cw)
        .await
        .unwrap()
        .unwrap();
    assert!(progress.completed_at.is_some(), "{progress:?}");
    assert!(progress.credited_ms <= now - t0);
    let lessons = store.lessons_of(learner).await.unwrap();
    assert_eq!(lessons.len(), 1);
    assert!(lessons[0].completed);
    assert_eq!(
        lessons[0].watched_ms,
        600_000 - 15_000,
        "0–15 s by the first tab, 30–600 s by the second"
    );

    // Sent back for revision, its media is no longer served to learners.
    assert!(
        store
            .review_courseware(
                cw,
                ReviewAction::SendBack,
                ReviewState::Approved,
                ReviewState::Draft,
                "再改",
                organizer,
                now
            )
            .await
            .unwrap()
    );
    assert!(!fetch(learner, vec![Role::Learner], video_id).await);
    assert!(
        fetch(lecturer, vec![Role::Lecturer], video_id).await,
        "its lecturer still"
    );
    through_the_gates_again(store, cw, organizer, now).await;
    assert!(fetch(learner, vec![Role::Learner], video_id).await);

    // One clock for all of a learner's pages, and only three live ones.
    let before = progress.credited_ms;
    let mut pages = Vec::new();
    for i in 0..4 {
        pages.push(
            store
                .open_stream(learner, class, cw, 0, "脚本", now + 1_000 + i)
                .await
                .unwrap(),
        );
    }
    let oldest = store
        .apply_heartbeats(&base, &[job(pages[0], vec![beat(1, 15_000)], now + 2_000)])
        .await
        .unwrap();
    let oldest = oldest[0].as_ref().unwrap();
    assert!(oldest.stream_closed, "the fourth page closed the oldest");
    assert_eq!((oldest.last_seq, oldest.credited_now_ms), (0, 0));
    let tab_again = store
        .apply_heartbeats(&base, &[job(tab, vec![beat(seq + 1, 0)], now + 2_000)])
        .await
        .unwrap();
    assert!(tab_again[0].as_ref().unwrap().stream_closed);
    // The three live pages stay silent for a minute, then each replays a
    // queue claiming that minute and leaves (freeing the lease for the next).
    let queue: Vec<Heartbeat> = (1..=4).map(|i| beat(i, i * 15_000)).collect();
    let mut gained = 0;
    for (i, page) in pages[1..].iter().enumerate() {
        let replies = store
            .apply_heartbeats(
                &base,
                &[HeartbeatJob {
                    leaving: true,
                    ..job(*page, queue.clone(), now + 62_000 + i as i64)
                }],
            )
            .await
            .unwrap();
        let reply = replies[0].as_ref().unwrap();
        assert!(!reply.stream_closed);
        gained += reply.credited_now_ms;
    }
    assert!(
        (59_000..=61_000).contains(&gained),
        "three pages earn one minute in a minute: {gained}"
    );
    let progress = store
        .lesson_progress(learner, class, cw)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(progress.credited_ms, before + gained);

    // A closed class earns nothing more; the position is still kept.
    assert!(
        store
            .set_class_state(
                class,
                ClassState::Published,
                ClassState::Closed,
                now + 70_000
            )
            .await
            .unwrap()
    );
    let last = store
        .open_stream(learner, class, cw, 0, "手机", now + 70_000)
        .await
        .unwrap();
    store
        .apply_heartbeats(&base, &[job(last, vec![beat(1, 0)], now + 70_001)])
        .await
        .unwrap();
    let closed = store
        .apply_heartbeats(&base, &[job(last, vec![beat(2, 15_000)], now + 85_000)])
        .await
        .unwrap();
    let closed = closed[0].as_ref().unwrap();
    assert_eq!(closed.credited_now_ms, 0);
    assert_eq!(closed.last_reason.as_deref(), Some("ClassClosed"));
    let progress = store
        .lesson_progress(learner, class, cw)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(progress.credited_ms, before + gained);
    assert_eq!(progress.position_ms, 15_000);
}

on_both_backends!(media_courseware_and_study_time);
