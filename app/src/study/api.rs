//! Server functions of studying: the learner's lessons, opening one, and the
//! heartbeats and idle-prompt events of the player.

use crate::error::AppError;
use academy_shared::ids::{ClassId, CoursewareId, MediaId};
use academy_shared::study::Heartbeat;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A lesson in the learner's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonCard {
    pub class_id: ClassId,
    pub class_title: String,
    pub courseware_id: CoursewareId,
    pub title: String,
    pub lecturer_name: String,
    pub duration_ms: i64,
    pub position_ms: i64,
    pub credited_ms: i64,
    pub watched_ms: i64,
    pub completed: bool,
    /// Sent back for revision: shown, but not open until approved again.
    #[serde(default)]
    pub under_revision: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlideView {
    pub start_ms: i64,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineView {
    pub start_ms: i64,
    pub level: i64,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub name: String,
    pub url: String,
    pub size_bytes: i64,
}

/// Everything the player page needs. Only an enrolled learner gets a stream
/// (and earns credit); staff open lessons to preview them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonView {
    pub class_id: ClassId,
    pub class_title: String,
    pub courseware_id: CoursewareId,
    pub title: String,
    pub lecturer_name: String,
    pub topic: String,
    pub duration_ms: i64,
    pub video_url: Option<String>,
    pub intro_url: Option<String>,
    pub outro_url: Option<String>,
    pub slides: Vec<SlideView>,
    pub outline: Vec<OutlineView>,
    pub attachments: Vec<AttachmentView>,
    pub resume_ms: i64,
    pub max_rate_milli: i64,
    pub idle_limit_ms: i64,
    pub heartbeat_interval_ms: i64,
    pub stream_id: Option<i64>,
    pub credited_ms: i64,
    pub watched_ms: i64,
    pub complete: bool,
    /// Lessons before and after this one in the class.
    pub previous: Option<CoursewareId>,
    pub next: Option<CoursewareId>,
}

/// What the server did with a batch of heartbeats.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartbeatReply {
    /// Heartbeats up to this sequence number are applied: drop them from the queue.
    pub last_seq: i64,
    pub credited_ms: i64,
    pub watched_ms: i64,
    pub complete: bool,
    /// Another tab or device of this learner is being credited instead.
    pub other_stream_active: bool,
    /// This page was closed by the server (the learner opened more lesson
    /// pages since): nothing was applied; stop sending and offer a reload.
    #[serde(default)]
    pub stream_closed: bool,
}

/// The most lesson pages a learner may open in a minute: opening pages is
/// cheap for a script and each one is a row.
pub const MAX_STREAMS_OPENED_PER_MINUTE: i64 = 20;

/// The most heartbeats one request may carry (an offline queue is replayed in
/// requests of this size).
pub const MAX_BEATS_PER_REQUEST: usize = 64;

/// The media URL the server serves a stored file at.
pub fn media_url(id: MediaId) -> String {
    format!("/media/{id}")
}

#[server(endpoint = "study/lessons")]
pub async fn my_lessons() -> Result<Vec<LessonCard>, AppError> {
    crate::error::respond(ssr::my_lessons().await)
}

/// Opens a lesson; an enrolled learner gets a study stream. On a phone bound
/// by its key pair, `device_proof` must be that key's signature over a fresh
/// challenge: a copied session earns no study credit.
#[server(endpoint = "study/open")]
pub async fn open_lesson(
    class_id: ClassId,
    courseware_id: CoursewareId,
    device_proof: Option<String>,
) -> Result<LessonView, AppError> {
    crate::error::respond(ssr::open_lesson(class_id, courseware_id, device_proof).await)
}

/// Heartbeats of one stream, in JSON so that the page can also send them with
/// a keepalive `fetch` as it is hidden or closed.
#[server(endpoint = "study/heartbeat", input = Json)]
pub async fn send_heartbeats(
    stream_id: i64,
    beats: Vec<Heartbeat>,
    /// Sent as the page is left: the stream gives up the credit lease
    /// afterwards (absent means no).
    leaving: Option<bool>,
) -> Result<HeartbeatReply, AppError> {
    crate::error::respond(ssr::send_heartbeats(stream_id, beats, leaving.unwrap_or(false)).await)
}

#[server(endpoint = "study/event")]
pub async fn report_study_event(
    stream_id: i64,
    kind: String,
    position_ms: i64,
) -> Result<(), AppError> {
    crate::error::respond(ssr::report_study_event(stream_id, kind, position_ms).await)
}

/// The path the heartbeat server function answers at (for keepalive fetches).
pub fn heartbeat_path() -> &'static str {
    <SendHeartbeats as leptos::server_fn::ServerFn>::PATH
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::auth::session;
    use crate::store::{HeartbeatJob, now_millis};
    use crate::study::writer::HeartbeatWriter;
    use academy_shared::role::Role;
    use academy_shared::study::{StudyRules, resume_position_ms};

    /// The study settings and the heartbeat writer, provided by the server.
    #[derive(Clone, Debug)]
    pub struct StudyService {
        pub rules: StudyRules,
        pub writer: HeartbeatWriter,
    }

    fn under_revision() -> AppError {
        AppError::invalid(
            "本课件正在修订，审核通过后即可学习",
            "This lesson is being revised; it can be studied again once approved",
        )
    }

    fn service() -> Result<StudyService, AppError> {
        use_context::<StudyService>()
            .ok_or_else(|| AppError::internal("no study service in the request context"))
    }

    pub async fn my_lessons() -> Result<Vec<LessonCard>, AppError> {
        let (me, store) = session::with_signed().await?;
        Ok(store
            .lessons_of(me.user.id)
            .await?
            .into_iter()
            .map(|l| LessonCard {
                class_id: l.class_id,
                class_title: l.class_title,
                courseware_id: l.courseware_id,
                title: l.title,
                lecturer_name: l.lecturer_name,
                duration_ms: l.duration_ms,
                position_ms: l.position_ms,
                credited_ms: l.credited_ms,
                watched_ms: l.watched_ms,
                completed: l.completed,
                under_revision: l.under_revision,
            })
            .collect())
    }

    pub async fn open_lesson(
        class_id: ClassId,
        courseware_id: CoursewareId,
        device_proof: Option<String>,
    ) -> Result<LessonView, AppError> {
        let (me, store) = session::with_signed().await?;
        let service = service()?;
        // Unknown ids and lessons of other classes look the same: not found.
        if !store.class_has_courseware(class_id, courseware_id).await? {
            return Err(AppError::NotFound);
        }
        let enrolled = store.is_enrolled(class_id, me.user.id).await?;
        let staff = me.has_any(&academy_shared::role::policy::MANAGERS) || me.has(Role::Reviewer);
        let courseware = store.courseware(courseware_id).await?;
        let is_lecturer = courseware.details.lecturer_id == Some(me.user.id);
        if !enrolled && !staff && !is_lecturer {
            return Err(AppError::NotFound);
        }
        if enrolled && !staff && !is_lecturer {
            // Courseware sent back for revision leaves its classes until it
            // is approved again: learners never see an unreviewed video.
            if !courseware.state.reaches_learners() {
                return Err(under_revision());
            }
            // The class decides when studying opens (after the pre-test by
            // default); the server enforces it, not the home screen.
            crate::classes::journey::lesson_gate(&store, class_id, me.user.id).await?;
        }
        let class = store.class_rules(class_id).await?;
        let progress = store
            .lesson_progress(me.user.id, class_id, courseware_id)
            .await?;
        let resume_ms = resume_position_ms(
            progress.as_ref().map_or(0, |p| p.position_ms),
            courseware.duration_ms,
        );
        let stream_id = if enrolled && courseware.video.is_some() {
            let now = now_millis();
            crate::auth::device_proof::require_for_session(
                &store,
                &me.link,
                device_proof.as_deref(),
                academy_shared::device::ProofPurpose::Study,
                now,
            )
            .await?;
            if store.streams_opened_since(me.user.id, now - 60_000).await?
                >= MAX_STREAMS_OPENED_PER_MINUTE
            {
                return Err(AppError::TooManyRequests);
            }
            let device = session::user_agent()
                .map(|ua| academy_shared::device::describe_user_agent(&ua))
                .unwrap_or_default();
            Some(
                store
                    .open_stream(me.user.id, class_id, courseware_id, resume_ms, &device, now)
                    .await?,
            )
        } else {
            None
        };
        let lessons = store.class_lessons(class_id).await?;
        let at = lessons.iter().position(|id| *id == courseware_id);
        let rules = StudyRules {
            idle_limit_ms: class.idle_prompt_ms,
            max_rate_milli: class.max_rate_milli,
            ..service.rules
        };
        let (credited_ms, watched_ms, complete) = match &progress {
            Some(p) => (
                p.credited_ms,
                p.watched.covered_ms(),
                p.completed_at.is_some(),
            ),
            None => (0, 0, false),
        };
        Ok(LessonView {
            class_id,
            class_title: class.title,
            courseware_id,
            title: courseware.details.title,
            lecturer_name: courseware.details.lecturer_name,
            topic: courseware.details.topic,
            duration_ms: courseware.duration_ms,
            video_url: courseware.video.as_ref().map(|v| media_url(v.id)),
            intro_url: class.intro_media_id.map(media_url),
            outro_url: class.outro_media_id.map(media_url),
            slides: courseware
                .slides
                .iter()
                .map(|s| SlideView {
                    start_ms: s.start_ms,
                    url: media_url(s.media_id),
                })
                .collect(),
            outline: courseware
                .outline
                .into_iter()
                .map(|o| OutlineView {
                    start_ms: o.start_ms,
                    level: o.level,
                    body: o.body,
                })
                .collect(),
            attachments: courseware
                .attachments
                .into_iter()
                .map(|a| AttachmentView {
                    url: media_url(a.id),
                    name: a.file_name,
                    size_bytes: a.size_bytes,
                })
                .collect(),
            resume_ms,
            max_rate_milli: rules.max_rate_milli,
            idle_limit_ms: rules.idle_limit_ms,
            heartbeat_interval_ms: rules.heartbeat_interval_ms,
            stream_id,
            credited_ms,
            watched_ms,
            complete,
            previous: at
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| lessons.get(i).copied()),
            next: at.and_then(|i| lessons.get(i + 1).copied()),
        })
    }

    pub async fn send_heartbeats(
        stream_id: i64,
        beats: Vec<Heartbeat>,
        leaving: bool,
    ) -> Result<HeartbeatReply, AppError> {
        // A page being left may have nothing to send but its leaving.
        if (beats.is_empty() && !leaving) || beats.len() > MAX_BEATS_PER_REQUEST {
            return Err(AppError::invalid(
                "心跳数据数量不正确",
                "Wrong number of heartbeats",
            ));
        }
        let (user, slide_session) = session::require_account_id().await?;
        let service = service()?;
        let result = service
            .writer
            .submit(HeartbeatJob {
                user,
                slide_session,
                stream_id,
                beats,
                received_at: now_millis(),
                leaving,
            })
            .await?;
        Ok(HeartbeatReply {
            last_seq: result.last_seq,
            credited_ms: result.lesson_credited_ms,
            watched_ms: result.watched_ms,
            complete: result.complete,
            other_stream_active: result.other_stream_active,
            stream_closed: result.stream_closed,
        })
    }

    pub async fn report_study_event(
        stream_id: i64,
        kind: String,
        position_ms: i64,
    ) -> Result<(), AppError> {
        let (me, store) = session::with_signed().await?;
        if kind != crate::study::EVENT_IDLE_PROMPT_SHOWN
            && kind != crate::study::EVENT_IDLE_PROMPT_CONFIRMED
        {
            return Err(AppError::invalid("未知的学习事件", "Unknown study event"));
        }
        store
            .record_study_event(
                me.user.id,
                stream_id,
                &kind,
                position_ms.max(0),
                now_millis(),
            )
            .await?;
        Ok(())
    }
}
