//! Study groups and daily operations (the seed's "whole-process management"):
//! groups with liaisons and the day's topic (`manage`), the group discussion
//! (`discussion`), the liaison's daily summary (`summaries`) and the daily
//! progress report up the region tree (`report`).
//!
//! Who may do what, checked by every server function on the server:
//! - organizers and administrators: everything, in every group;
//! - a group's liaisons: read, post and moderate its discussion, write its
//!   daily summary;
//! - a group's members (learners): read and post in its discussion;
//! - supervisors: read the discussions and summaries of the groups formed for
//!   regions in their subtree, and the report of their subtree.

pub mod discussion;
pub mod manage;
pub mod report;
pub mod summaries;

use crate::error::AppError;
use academy_shared::groups::Segment;
use academy_shared::ids::{ClassId, GroupId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The day's topic as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicView {
    pub day: String,
    pub title: String,
    pub body: Vec<Segment>,
    /// (media id, file name) of the attachment.
    pub attachment: Option<(academy_shared::ids::MediaId, String)>,
    /// (courseware id, title) of the day's courses.
    pub courses: Vec<(academy_shared::ids::CoursewareId, String)>,
}

/// One group on someone's home page: the day's topic, the discussion's new
/// posts and, for its liaisons, where today's summary stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupToday {
    pub class_id: ClassId,
    pub class_title: String,
    pub group_id: GroupId,
    pub group_name: String,
    pub members: u32,
    pub liaisons: Vec<String>,
    pub is_liaison: bool,
    pub topic: Option<TopicView>,
    pub unread: u32,
    /// For liaisons: today's summary state, `None` if not started.
    pub summary_state: Option<academy_shared::groups::SummaryState>,
}

/// The signed-in account's groups today (as member and as liaison), for the
/// home pages; `class` limits them to one class. Visitors get nothing.
#[server(endpoint = "groups/today")]
pub async fn my_groups_today(class: Option<ClassId>) -> Result<Vec<GroupToday>, AppError> {
    crate::error::respond(ssr::groups_today(class).await)
}

#[cfg(feature = "ssr")]
pub use ssr::{Access, access, day_param, topic_view};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::session::{self, Signed};
    use crate::store::{GroupRecord, Store, TopicRecord, now_millis};
    use academy_shared::checkin::{day_of, label, parse_label};
    use academy_shared::groups::segments;
    use academy_shared::role::Role;

    /// What the signed-in account may do in one group.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Access {
        /// A supervisor over the group's region: read only.
        Observe,
        /// A member: read and post.
        Member,
        /// A liaison: read, post, moderate, write the summary.
        Liaison,
        /// An organizer or administrator: everything.
        Manage,
    }

    /// How `signed` may use `group`, or Forbidden.
    pub async fn access(
        store: &Store,
        signed: &Signed,
        group: &GroupRecord,
    ) -> Result<Access, AppError> {
        if signed.has_any(&academy_shared::role::policy::MANAGERS) {
            return Ok(Access::Manage);
        }
        if group.liaisons.iter().any(|(id, _)| *id == signed.user.id) {
            return Ok(Access::Liaison);
        }
        if store
            .group_of(group.class_id, signed.user.id)
            .await?
            .is_some_and(|g| g.id == group.id)
        {
            return Ok(Access::Member);
        }
        if signed.has(Role::Supervisor)
            && let Some(region) = group.region
        {
            for (role, root) in &signed.scopes {
                if *role == Role::Supervisor && store.region_subtree(*root).await?.contains(&region)
                {
                    return Ok(Access::Observe);
                }
            }
        }
        Err(AppError::Forbidden)
    }

    /// The day a page asks for: today when not given; never after today.
    pub fn day_param(day: Option<&str>) -> Result<i32, AppError> {
        let today = day_of(now_millis());
        match day.map(str::trim).filter(|d| !d.is_empty()) {
            None => Ok(today),
            Some(text) => parse_label(text).filter(|d| *d <= today).ok_or_else(|| {
                AppError::invalid(
                    "日期应为今天或以前，格式 年-月-日",
                    "The day must be today or earlier, written year-month-day",
                )
            }),
        }
    }

    pub async fn topic_view(store: &Store, topic: TopicRecord) -> Result<TopicView, AppError> {
        let mut courses = Vec::new();
        if !topic.courseware.is_empty() {
            let titles = store.class_course_titles(topic.class_id).await?;
            for id in &topic.courseware {
                if let Some((_, title)) = titles.iter().find(|(c, _)| c == id) {
                    courses.push((*id, title.clone()));
                }
            }
        }
        Ok(TopicView {
            day: label(topic.day),
            title: topic.title,
            body: segments(&topic.body),
            attachment: topic.attachment.zip(topic.attachment_name),
            courses,
        })
    }

    pub async fn groups_today(class: Option<ClassId>) -> Result<Vec<GroupToday>, AppError> {
        // Everything from the request context before the first await: on the
        // class home this renders inside another resource's Suspense, whose
        // first server-side pass is dropped while this future still runs.
        let store = session::store()?;
        let Some(signed) = session::signed_in(&store).await? else {
            return Ok(Vec::new());
        };
        let today = day_of(now_millis());
        let me = signed.user.id;
        let mut groups: Vec<(GroupRecord, bool)> = store
            .liaison_groups(me)
            .await?
            .into_iter()
            .map(|g| (g, true))
            .collect();
        for c in store.classes_of(me).await? {
            if let Some(group) = store.group_of(c.id, me).await?
                && !groups.iter().any(|(g, _)| g.id == group.id)
            {
                groups.push((group, false));
            }
        }
        let mut out = Vec::new();
        for (group, is_liaison) in groups {
            if class.is_some_and(|c| c != group.class_id) {
                continue;
            }
            let record = store.class(group.class_id).await?;
            if !record.state.is_open_to_learners() {
                continue;
            }
            let topic = match store.topic(group.class_id, today).await? {
                Some(topic) => Some(topic_view(&store, topic).await?),
                None => None,
            };
            let summary_state = if is_liaison {
                store.summary(group.id, today).await?.map(|s| s.state)
            } else {
                None
            };
            out.push(GroupToday {
                class_id: group.class_id,
                class_title: group.class_title.clone(),
                group_id: group.id,
                group_name: group.name.clone(),
                members: group.members,
                liaisons: group.liaisons.iter().map(|(_, n)| n.clone()).collect(),
                is_liaison,
                topic,
                unread: store.unread_posts(group.id, me).await?,
                summary_state,
            });
        }
        Ok(out)
    }
}
