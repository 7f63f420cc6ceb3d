//! Server functions of the courseware library, editing and review.
//!
//! Who may do what: lecturers see and edit only their own courseware;
//! reviewers, organizers and administrators see all of it. Editing is open
//! while courseware is a draft or being proofread; the review gates decide
//! the rest (`academy_shared::courseware`).

use crate::error::AppError;
use academy_shared::class::ClassState;
use academy_shared::courseware::{ReviewAction, ReviewState};
use academy_shared::ids::{ClassId, CoursewareId, MediaId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 30;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursewareListRow {
    pub id: CoursewareId,
    pub title: String,
    pub lecturer_name: String,
    pub topic: String,
    pub duration_ms: i64,
    pub state: ReviewState,
    pub has_video: bool,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursewarePage {
    pub rows: Vec<CoursewareListRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub lecturers: Vec<String>,
    pub topics: Vec<String>,
    pub may_create: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaView {
    pub id: MediaId,
    pub file_name: String,
    pub size_bytes: i64,
    pub duration_ms: Option<i64>,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlideEdit {
    pub media_id: MediaId,
    pub start_ms: i64,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStepView {
    pub action: ReviewAction,
    pub from_state: ReviewState,
    pub to_state: ReviewState,
    pub comment: String,
    pub actor_name: Option<String>,
    pub acted_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursewareEdit {
    pub id: CoursewareId,
    pub title: String,
    pub lecturer_name: String,
    pub lecturer_username: Option<String>,
    pub topic: String,
    pub state: ReviewState,
    pub duration_ms: i64,
    pub video: Option<MediaView>,
    pub slides: Vec<SlideEdit>,
    pub outline_text: String,
    pub attachments: Vec<MediaView>,
    pub history: Vec<ReviewStepView>,
    pub actions: Vec<ReviewAction>,
    pub editable: bool,
    /// Classes an organizer may add it to: (id, title, state).
    pub classes: Vec<(ClassId, String, ClassState)>,
    /// Classes it is a lesson of: (id, title).
    pub in_classes: Vec<(ClassId, String)>,
}

#[server(endpoint = "courseware/list")]
pub async fn list_courseware(
    text: Option<String>,
    lecturer: Option<String>,
    topic: Option<String>,
    state: Option<String>,
    page: Option<i64>,
) -> Result<CoursewarePage, AppError> {
    crate::error::respond(ssr::list(text, lecturer, topic, state, page.unwrap_or(0)).await)
}

#[server(endpoint = "courseware/create")]
pub async fn create_courseware(
    title: String,
    lecturer_name: String,
    topic: Option<String>,
    lecturer_username: Option<String>,
) -> Result<CoursewareId, AppError> {
    crate::error::respond(
        ssr::create(
            title,
            lecturer_name,
            topic.unwrap_or_default(),
            lecturer_username,
        )
        .await,
    )
}

#[server(endpoint = "courseware/get")]
pub async fn courseware_for_edit(id: CoursewareId) -> Result<CoursewareEdit, AppError> {
    crate::error::respond(ssr::for_edit(id).await)
}

#[server(endpoint = "courseware/details")]
pub async fn save_courseware_details(
    id: CoursewareId,
    title: String,
    lecturer_name: String,
    topic: Option<String>,
    lecturer_username: Option<String>,
) -> Result<(), AppError> {
    crate::error::respond(
        ssr::save_details(
            id,
            title,
            lecturer_name,
            topic.unwrap_or_default(),
            lecturer_username,
        )
        .await,
    )
}

#[server(endpoint = "courseware/video")]
pub async fn set_courseware_video(id: CoursewareId, media_id: MediaId) -> Result<(), AppError> {
    crate::error::respond(ssr::set_video(id, media_id).await)
}

/// Slides in order: each a stored image and its start time as typed ("03:15").
#[server(endpoint = "courseware/slides")]
pub async fn save_slides(
    id: CoursewareId,
    media_ids: Vec<MediaId>,
    starts: Vec<String>,
) -> Result<(), AppError> {
    crate::error::respond(ssr::save_slides(id, media_ids, starts).await)
}

#[server(endpoint = "courseware/outline")]
pub async fn save_outline(id: CoursewareId, outline: String) -> Result<(), AppError> {
    crate::error::respond(ssr::save_outline(id, outline).await)
}

#[server(endpoint = "courseware/attachment/add")]
pub async fn add_attachment(id: CoursewareId, media_id: MediaId) -> Result<(), AppError> {
    crate::error::respond(ssr::attachment(id, media_id, true).await)
}

#[server(endpoint = "courseware/attachment/remove")]
pub async fn remove_attachment(id: CoursewareId, media_id: MediaId) -> Result<(), AppError> {
    crate::error::respond(ssr::attachment(id, media_id, false).await)
}

#[server(endpoint = "courseware/review")]
pub async fn review_courseware(
    id: CoursewareId,
    action: String,
    comment: Option<String>,
) -> Result<(), AppError> {
    crate::error::respond(ssr::review(id, action, comment.unwrap_or_default()).await)
}

#[server(endpoint = "courseware/add-to-class")]
pub async fn add_courseware_to_class(id: CoursewareId, class_id: ClassId) -> Result<(), AppError> {
    crate::error::respond(ssr::add_to_class(id, class_id).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session::{self, Signed};
    use crate::store::{
        Courseware, CoursewareDetails, CoursewareFilter, DbError, OutlineItem, Slide, Store,
        now_millis,
    };
    use crate::study::api::media_url;
    use academy_shared::courseware::{
        self as rules, ReviewState, actions_available, can_join_published_class, check_comment,
        check_cues, may_act, next_state, parse_start_time,
    };
    use academy_shared::ids::UserId;
    use academy_shared::media::MediaKind;
    use academy_shared::role::Role;
    use academy_shared::role::policy::{CONTENT_STAFF, MANAGERS};

    fn sees_all(me: &Signed) -> bool {
        me.has(Role::Reviewer) || me.has_any(&academy_shared::role::policy::MANAGERS)
    }

    fn invalid(error: impl Into<(String, String)>) -> AppError {
        let (zh, en) = error.into();
        AppError::invalid(zh, en)
    }

    fn courseware_error(error: rules::CoursewareError) -> AppError {
        AppError::invalid(error.message_zh(), error.message_en())
    }

    fn review_error(error: rules::ReviewError) -> AppError {
        AppError::invalid(error.message_zh(), error.message_en())
    }

    /// The courseware, if `me` may see it; others' courseware is "not found"
    /// to a lecturer, so ids reveal nothing.
    async fn visible(store: &Store, me: &Signed, id: CoursewareId) -> Result<Courseware, AppError> {
        let courseware = store.courseware(id).await?;
        if sees_all(me) || courseware.details.lecturer_id == Some(me.user.id) {
            Ok(courseware)
        } else {
            Err(AppError::NotFound)
        }
    }

    fn is_lecturer_of(me: &Signed, courseware: &Courseware) -> bool {
        me.has(Role::Lecturer) && courseware.details.lecturer_id == Some(me.user.id)
    }

    /// Editing is for the lecturer of it, organizers and administrators, and
    /// only before it is submitted for review.
    async fn editable(
        store: &Store,
        me: &Signed,
        id: CoursewareId,
    ) -> Result<Courseware, AppError> {
        let courseware = visible(store, me, id).await?;
        let may_edit =
            is_lecturer_of(me, &courseware) || me.has_any(&academy_shared::role::policy::MANAGERS);
        if !may_edit {
            return Err(AppError::Forbidden);
        }
        if !matches!(
            courseware.state,
            ReviewState::Draft | ReviewState::Proofread
        ) {
            return Err(AppError::invalid(
                "课件已送审或已发布，不能修改；如需修改请先退回",
                "The courseware is under review or published; send it back to change it",
            ));
        }
        Ok(courseware)
    }

    fn text_filter(value: Option<String>) -> Option<String> {
        value
            .map(|v| v.trim().chars().take(100).collect::<String>())
            .filter(|v| !v.is_empty())
    }

    pub async fn list(
        text: Option<String>,
        lecturer: Option<String>,
        topic: Option<String>,
        state: Option<String>,
        page: i64,
    ) -> Result<CoursewarePage, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let state =
            match text_filter(state) {
                None => None,
                Some(code) => Some(ReviewState::from_code(&code).ok_or_else(|| {
                    AppError::invalid("未知的课件状态", "Unknown courseware state")
                })?),
            };
        let page = page.clamp(0, crate::admin::users::MAX_PAGE);
        let filter = CoursewareFilter {
            text: text_filter(text),
            lecturer: text_filter(lecturer),
            topic: text_filter(topic),
            state,
            lecturer_id: (!sees_all(&me)).then_some(me.user.id),
        };
        let (rows, total) = store
            .search_courseware(&filter, PAGE_SIZE, page * PAGE_SIZE)
            .await?;
        let (lecturers, topics) = if sees_all(&me) {
            store.courseware_facets().await?
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(CoursewarePage {
            rows: rows
                .into_iter()
                .map(|r| CoursewareListRow {
                    id: r.id,
                    title: r.title,
                    lecturer_name: r.lecturer_name,
                    topic: r.topic,
                    duration_ms: r.duration_ms,
                    state: r.state,
                    has_video: r.has_video,
                    updated_at: r.updated_at,
                })
                .collect(),
            total,
            page,
            page_size: PAGE_SIZE,
            lecturers,
            topics,
            may_create: me.has(Role::Lecturer)
                || me.has_any(&academy_shared::role::policy::MANAGERS),
        })
    }

    /// Checks typed details; a lecturer is always the lecturer of what they make.
    async fn details(
        store: &Store,
        me: &Signed,
        title: &str,
        lecturer_name: &str,
        topic: &str,
        lecturer_username: Option<String>,
        current_lecturer: Option<UserId>,
    ) -> Result<CoursewareDetails, AppError> {
        let title = rules::check_title(title).map_err(courseware_error)?;
        let lecturer_name = rules::check_lecturer_name(lecturer_name).map_err(courseware_error)?;
        let topic = rules::check_topic(topic).map_err(courseware_error)?;
        let lecturer_id = if me.has_any(&academy_shared::role::policy::MANAGERS) {
            match lecturer_username
                .map(|u| u.trim().to_owned())
                .filter(|u| !u.is_empty())
            {
                Some(username) => {
                    let user = match store.user_by_username(&username).await {
                        Ok(user) => user,
                        Err(DbError::NotFound) => {
                            return Err(invalid((
                                format!("没有用户名为“{username}”的讲师"),
                                format!("No lecturer with the username \"{username}\""),
                            )));
                        }
                        Err(other) => return Err(other.into()),
                    };
                    if !user.roles.contains(&Role::Lecturer) {
                        return Err(invalid((
                            format!("用户“{username}”不是讲师"),
                            format!("\"{username}\" is not a lecturer"),
                        )));
                    }
                    Some(user.id)
                }
                None => None,
            }
        } else {
            current_lecturer.or(Some(me.user.id))
        };
        Ok(CoursewareDetails {
            title: title.to_owned(),
            lecturer_name: lecturer_name.to_owned(),
            lecturer_id,
            topic: topic.to_owned(),
        })
    }

    pub async fn create(
        title: String,
        lecturer_name: String,
        topic: String,
        lecturer_username: Option<String>,
    ) -> Result<CoursewareId, AppError> {
        let (me, store) =
            session::with_role(&academy_shared::role::policy::COURSEWARE_AUTHORS).await?;
        let details = details(
            &store,
            &me,
            &title,
            &lecturer_name,
            &topic,
            lecturer_username,
            None,
        )
        .await?;
        let id = store
            .create_courseware(&details, me.user.id, now_millis())
            .await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::CoursewareCreate,
            ("courseware", &id.to_string()),
            details.title,
        )
        .await?;
        Ok(id)
    }

    fn media_view(media: &crate::store::MediaFile) -> MediaView {
        MediaView {
            id: media.id,
            file_name: media.file_name.clone(),
            size_bytes: media.size_bytes,
            duration_ms: media.duration_ms,
            url: media_url(media.id),
        }
    }

    pub async fn for_edit(id: CoursewareId) -> Result<CoursewareEdit, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let courseware = visible(&store, &me, id).await?;
        let state = courseware.state;
        let lecturer_of_it = is_lecturer_of(&me, &courseware);
        let lecturer_username = match courseware.details.lecturer_id {
            Some(user) => Some(store.user_by_id(user).await?.username),
            None => None,
        };
        let history = store
            .review_history(id)
            .await?
            .into_iter()
            .map(|s| ReviewStepView {
                action: s.action,
                from_state: s.from_state,
                to_state: s.to_state,
                comment: s.comment,
                actor_name: s.actor_name,
                acted_at: s.acted_at,
            })
            .collect();
        let organizer = me.has_any(&academy_shared::role::policy::MANAGERS);
        let classes = if organizer {
            store.list_classes().await?
        } else {
            Vec::new()
        };
        let in_classes = store.classes_with_courseware(id).await?;
        let editable = matches!(state, ReviewState::Draft | ReviewState::Proofread)
            && (lecturer_of_it || organizer);
        let outline: Vec<(i64, i64, String)> = courseware
            .outline
            .iter()
            .map(|o| (o.start_ms, o.level, o.body.clone()))
            .collect();
        Ok(CoursewareEdit {
            id,
            title: courseware.details.title,
            lecturer_name: courseware.details.lecturer_name,
            lecturer_username,
            topic: courseware.details.topic,
            state: courseware.state,
            duration_ms: courseware.duration_ms,
            video: courseware.video.as_ref().map(media_view),
            slides: courseware
                .slides
                .iter()
                .map(|s| SlideEdit {
                    media_id: s.media_id,
                    start_ms: s.start_ms,
                    url: media_url(s.media_id),
                })
                .collect(),
            outline_text: crate::courseware::format_outline(&outline),
            attachments: courseware.attachments.iter().map(media_view).collect(),
            history,
            actions: actions_available(state, &me.user.roles, lecturer_of_it),
            editable,
            classes,
            in_classes,
        })
    }

    pub async fn save_details(
        id: CoursewareId,
        title: String,
        lecturer_name: String,
        topic: String,
        lecturer_username: Option<String>,
    ) -> Result<(), AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let courseware = editable(&store, &me, id).await?;
        let details = details(
            &store,
            &me,
            &title,
            &lecturer_name,
            &topic,
            lecturer_username,
            courseware.details.lecturer_id,
        )
        .await?;
        store
            .update_courseware_details(id, &details, now_millis())
            .await?;
        Ok(())
    }

    /// A stored file of the expected kind that `me` may put into courseware:
    /// a lecturer only their own uploads (another's unpublished file would
    /// otherwise reach learners), organizers and administrators any.
    async fn media_of_kind(
        store: &Store,
        me: &Signed,
        media_id: MediaId,
        kind: MediaKind,
    ) -> Result<crate::store::MediaFile, AppError> {
        let any = me.has_any(&academy_shared::role::policy::MANAGERS);
        match store.media(media_id).await {
            Ok(media) if media.kind == kind && (any || media.uploaded_by == Some(me.user.id)) => {
                Ok(media)
            }
            Ok(_) | Err(DbError::NotFound) => Err(AppError::invalid(
                "文件不存在或类型不符",
                "The file does not exist or is of the wrong kind",
            )),
            Err(other) => Err(other.into()),
        }
    }

    pub async fn set_video(id: CoursewareId, media_id: MediaId) -> Result<(), AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let courseware = editable(&store, &me, id).await?;
        let media = media_of_kind(&store, &me, media_id, MediaKind::Video).await?;
        let duration = media.duration_ms.unwrap_or(0);
        // Cues that the new video is too short for would point nowhere.
        let starts: Vec<i64> = courseware
            .slides
            .iter()
            .map(|s| s.start_ms)
            .chain(courseware.outline.iter().map(|o| o.start_ms))
            .collect();
        if let Some(last) = starts.iter().max()
            && *last > duration
        {
            return Err(AppError::invalid(
                "新视频比现有幻灯片或提纲的时间点短，请先调整时间点",
                "The new video is shorter than some slide or outline times; adjust them first",
            ));
        }
        store.set_courseware_video(id, &media, now_millis()).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::CoursewareVideo,
            ("courseware", &id.to_string()),
            format!("media {media_id}"),
        )
        .await?;
        Ok(())
    }

    pub async fn save_slides(
        id: CoursewareId,
        media_ids: Vec<MediaId>,
        starts: Vec<String>,
    ) -> Result<(), AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let courseware = editable(&store, &me, id).await?;
        if media_ids.len() != starts.len() || media_ids.len() > 500 {
            return Err(AppError::invalid(
                "幻灯片数据不完整",
                "The slide list is incomplete",
            ));
        }
        let mut slides = Vec::with_capacity(media_ids.len());
        for (index, (media_id, start)) in media_ids.into_iter().zip(starts).enumerate() {
            let start_ms = parse_start_time(&start).map_err(|_| {
                invalid((
                    format!("第 {} 张幻灯片的开始时间不正确（例如 03:15）", index + 1),
                    format!(
                        "Slide {}: the start time is not valid (e.g. 03:15)",
                        index + 1
                    ),
                ))
            })?;
            media_of_kind(&store, &me, media_id, MediaKind::Image).await?;
            slides.push(Slide { start_ms, media_id });
        }
        let starts: Vec<i64> = slides.iter().map(|s| s.start_ms).collect();
        check_cues(&starts, courseware.duration_ms.max(1)).map_err(|e| {
            let n = e.cue_index().map_or(0, |i| i + 1);
            invalid((
                format!("第 {n} 张幻灯片：{}", e.message_zh()),
                format!("Slide {n}: {}", e.message_en()),
            ))
        })?;
        let outline = courseware.outline.clone();
        store.set_cues(id, &slides, &outline, now_millis()).await?;
        Ok(())
    }

    pub async fn save_outline(id: CoursewareId, outline: String) -> Result<(), AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let courseware = editable(&store, &me, id).await?;
        if outline.len() > 100_000 {
            return Err(AppError::TooLarge);
        }
        let items = crate::courseware::parse_outline(&outline)
            .map_err(|(_, zh, en)| AppError::invalid(zh, en))?;
        let starts: Vec<i64> = items.iter().map(|i| i.0).collect();
        check_cues(&starts, courseware.duration_ms.max(1)).map_err(|e| {
            let n = e.cue_index().map_or(0, |i| i + 1);
            invalid((
                format!("提纲第 {n} 项：{}", e.message_zh()),
                format!("Outline item {n}: {}", e.message_en()),
            ))
        })?;
        let outline: Vec<OutlineItem> = items
            .into_iter()
            .map(|(start_ms, level, body)| OutlineItem {
                start_ms,
                level,
                body,
            })
            .collect();
        store
            .set_cues(id, &courseware.slides, &outline, now_millis())
            .await?;
        Ok(())
    }

    pub async fn attachment(
        id: CoursewareId,
        media_id: MediaId,
        add: bool,
    ) -> Result<(), AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        editable(&store, &me, id).await?;
        if add {
            media_of_kind(&store, &me, media_id, MediaKind::Attachment).await?;
            store.add_attachment(id, media_id).await?;
        } else {
            store.remove_attachment(id, media_id).await?;
        }
        Ok(())
    }

    pub async fn review(id: CoursewareId, action: String, comment: String) -> Result<(), AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let courseware = visible(&store, &me, id).await?;
        let action = ReviewAction::from_code(&action)
            .ok_or_else(|| AppError::invalid("未知的审核操作", "Unknown review action"))?;
        if !may_act(&me.user.roles, is_lecturer_of(&me, &courseware), action) {
            return Err(AppError::Forbidden);
        }
        let from = courseware.state;
        let to = next_state(from, action).map_err(review_error)?;
        let comment = check_comment(action, &comment).map_err(review_error)?;
        if matches!(action, ReviewAction::Submit) && courseware.video.is_none() {
            return Err(AppError::invalid(
                "请先上传课程视频再送审",
                "Upload the lecture video before submitting",
            ));
        }
        let moved = store
            .review_courseware(id, action, from, to, &comment, me.user.id, now_millis())
            .await?;
        if !moved {
            return Err(AppError::invalid(
                "课件状态刚被他人更改，请刷新后重试",
                "Someone else just changed the courseware's state; reload and try again",
            ));
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::CoursewareReview,
            ("courseware", &id.to_string()),
            format!(
                "{} {} → {} {comment}",
                action.code(),
                from.code(),
                to.code()
            ),
        )
        .await?;
        Ok(())
    }

    pub async fn add_to_class(id: CoursewareId, class_id: ClassId) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let courseware = visible(&store, &me, id).await?;
        let class = store.class_rules(class_id).await?;
        // A class learners can see takes only reviewed courseware.
        if class.state != ClassState::Draft && !can_join_published_class(courseware.state) {
            return Err(AppError::invalid(
                "只有审核通过的课件才能加入已发布的培训班",
                "Only approved courseware can join a published class",
            ));
        }
        if store.class_has_courseware(class_id, id).await? {
            return Ok(());
        }
        store.add_class_courseware(class_id, id).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::ClassAddCourseware,
            ("class", &class_id.to_string()),
            format!("courseware {id}"),
        )
        .await?;
        Ok(())
    }
}
