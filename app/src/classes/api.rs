//! Server functions of classes (organizers and administrators).

use crate::error::AppError;
use academy_shared::class::ClassState;
use academy_shared::ids::{ClassId, CoursewareId, MediaId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub id: ClassId,
    pub title: String,
    pub state: ClassState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassStudySettings {
    pub id: ClassId,
    pub title: String,
    pub state: ClassState,
    pub idle_prompt_seconds: i64,
    pub max_rate_milli: i64,
    pub intro_media_id: Option<MediaId>,
    pub outro_media_id: Option<MediaId>,
    /// The class's lessons: (courseware id, title).
    pub lessons: Vec<(CoursewareId, String)>,
    /// Uploaded videos to pick the intro and outro from: (id, name).
    pub videos: Vec<(MediaId, String)>,
}

#[server(endpoint = "classes/list")]
pub async fn list_classes() -> Result<Vec<ClassSummary>, AppError> {
    crate::error::respond(ssr::list().await)
}

#[server(endpoint = "classes/settings")]
pub async fn class_settings(id: ClassId) -> Result<ClassStudySettings, AppError> {
    crate::error::respond(ssr::settings(id).await)
}

/// The clips around each lesson. The idle prompt and the playback rate are
/// saved with the class form (`classes/save`), which checks for concurrent
/// edits.
#[server(endpoint = "classes/settings/save")]
pub async fn save_class_settings(
    id: ClassId,
    intro_media_id: Option<String>,
    outro_media_id: Option<String>,
) -> Result<(), AppError> {
    crate::error::respond(ssr::save(id, intro_media_id, outro_media_id).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session;
    use crate::store::{Conflict, DbError};
    use academy_shared::media::MediaKind;
    use academy_shared::role::policy::MANAGERS;

    pub async fn list() -> Result<Vec<ClassSummary>, AppError> {
        let (_, store) = session::with_role(&MANAGERS).await?;
        Ok(store
            .list_classes()
            .await?
            .into_iter()
            .map(|(id, title, state)| ClassSummary { id, title, state })
            .collect())
    }

    pub async fn settings(id: ClassId) -> Result<ClassStudySettings, AppError> {
        let (_, store) = session::with_role(&MANAGERS).await?;
        let class = store.class_rules(id).await?;
        let lessons = store.class_lesson_titles(id).await?;
        let videos = store
            .recent_media(MediaKind::Video, 200)
            .await?
            .into_iter()
            .map(|(id, name, duration)| {
                let seconds = duration.unwrap_or(0) / 1000;
                (id, format!("{name} ({}:{:02})", seconds / 60, seconds % 60))
            })
            .collect();
        Ok(ClassStudySettings {
            videos,
            id,
            title: class.title,
            state: class.state,
            idle_prompt_seconds: class.idle_prompt_ms / 1000,
            max_rate_milli: class.max_rate_milli,
            intro_media_id: class.intro_media_id,
            outro_media_id: class.outro_media_id,
            lessons,
        })
    }

    /// An optional media id typed into a form: empty is none; otherwise a
    /// stored video.
    async fn clip(
        store: &crate::store::Store,
        value: Option<String>,
    ) -> Result<Option<MediaId>, AppError> {
        let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let invalid = || {
            AppError::invalid(
                "片头/片尾须为已上传的视频编号",
                "The intro/outro must be the number of an uploaded video",
            )
        };
        let id: MediaId = value.parse().map_err(|_| invalid())?;
        match store.media(id).await {
            Ok(media) if media.kind == MediaKind::Video => Ok(Some(id)),
            Ok(_) | Err(DbError::NotFound) => Err(invalid()),
            Err(other) => Err(other.into()),
        }
    }

    pub async fn save(
        id: ClassId,
        intro: Option<String>,
        outro: Option<String>,
    ) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let class = store.class_rules(id).await?;
        let closed = || {
            AppError::invalid(
                "培训班已结束，不能修改",
                "The class is closed and read-only",
            )
        };
        if class.state == ClassState::Closed {
            return Err(closed());
        }
        let intro = clip(&store, intro).await?;
        let outro = clip(&store, outro).await?;
        // Closed meanwhile: the same answer as above, not an internal error.
        match store.set_class_clips(id, intro, outro).await {
            Err(DbError::Conflict(Conflict::ClassClosed)) => return Err(closed()),
            other => other?,
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::ClassSettings,
            ("class", &id.to_string()),
            format!("intro {intro:?}, outro {outro:?}"),
        )
        .await?;
        Ok(())
    }
}
