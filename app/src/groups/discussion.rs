//! A group's discussion: one thread per group and day under the day's
//! topic. Members and liaisons post and reply in today's thread; liaisons
//! (and organizers) pin and hide posts — hidden, never deleted, and written
//! to the audit log.

use super::TopicView;
use crate::error::AppError;
use academy_shared::groups::Segment;
use academy_shared::ids::{ClassId, GroupId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    pub id: i64,
    pub author: String,
    pub reply_to: Option<i64>,
    pub body: Vec<Segment>,
    pub at: String,
    pub pinned: bool,
    pub hidden: bool,
    pub mine: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub class_id: ClassId,
    pub class_title: String,
    pub group_id: GroupId,
    pub group_name: String,
    pub liaisons: Vec<String>,
    pub members: u32,
    /// Other groups the viewer may open in this class: (id, name).
    pub other_groups: Vec<(GroupId, String)>,
    pub day: String,
    pub is_today: bool,
    pub topic: Option<TopicView>,
    /// Pinned first, then oldest first; replies follow their post.
    pub posts: Vec<PostView>,
    pub can_post: bool,
    pub can_moderate: bool,
    pub can_summarize: bool,
    /// Earlier days with posts: (day, count).
    pub days: Vec<(String, u32)>,
    /// The newest post shown: the page marks the thread read up to it (by
    /// POST, once it runs; loading the page writes nothing).
    #[serde(default)]
    pub last_post_id: Option<i64>,
}

/// The thread of `group` (the viewer's own group when `None`) on `day`
/// (today when `None`).
#[server(endpoint = "groups/thread")]
pub async fn load_thread(
    class_id: ClassId,
    group: Option<GroupId>,
    day: Option<String>,
) -> Result<ThreadView, AppError> {
    crate::error::respond(ssr::load_thread(class_id, group, day).await)
}

/// The most posts one person may write in a minute (all groups together).
pub const MAX_POSTS_PER_MINUTE: i64 = 6;

/// Marks the group's thread read up to post `up_to` (what the page showed).
#[server(endpoint = "groups/mark-read")]
pub async fn mark_thread_read(group_id: GroupId, up_to: i64) -> Result<(), AppError> {
    crate::error::respond(ssr::mark_read(group_id, up_to).await)
}

/// Posts in today's thread; `reply_to` 0 for a new post.
#[server(endpoint = "groups/post")]
pub async fn add_post(group_id: GroupId, body: String, reply_to: i64) -> Result<i64, AppError> {
    crate::error::respond(ssr::add_post(group_id, body, reply_to).await)
}

/// `action`: "pin", "unpin", "hide" or "show".
#[server(endpoint = "groups/moderate")]
pub async fn moderate_post(post_id: i64, action: String) -> Result<(), AppError> {
    crate::error::respond(ssr::moderate(post_id, action).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session;
    use crate::groups::{Access, access, day_param, topic_view};
    use crate::store::now_millis;
    use academy_shared::checkin::{day_of, label};
    use academy_shared::class::ClassState;
    use academy_shared::groups::{check_post, segments};
    use academy_shared::time::format_china_time;

    pub async fn load_thread(
        class_id: ClassId,
        group: Option<GroupId>,
        day: Option<String>,
    ) -> Result<ThreadView, AppError> {
        let (signed, store) = session::with_signed().await?;
        let day = day_param(day.as_deref())?;
        let today = day_of(now_millis());
        let group = match group {
            Some(id) => store.group(id).await?,
            None => match store.group_of(class_id, signed.user.id).await? {
                Some(group) => group,
                None => store
                    .liaison_groups(signed.user.id)
                    .await?
                    .into_iter()
                    .find(|g| g.class_id == class_id)
                    .ok_or_else(|| {
                        AppError::invalid(
                            "您还没有被分到学习小组，请联系联络员或承办单位",
                            "You are not in a study group yet; please ask your liaison or the organizer",
                        )
                    })?,
            },
        };
        if group.class_id != class_id {
            return Err(AppError::NotFound);
        }
        let can = access(&store, &signed, &group).await?;
        let class = store.class(class_id).await?;
        let open = class.state.is_open_to_learners();
        let moderate = can >= Access::Liaison;
        let posts = store.posts(group.id, day, moderate).await?;
        let last_post_id = posts.iter().map(|p| p.id).max();
        let mut ordered: Vec<_> = posts.iter().filter(|p| p.reply_to.is_none()).collect();
        ordered.sort_by_key(|p| (p.pinned_at.is_none(), p.id));
        let mut views = Vec::with_capacity(posts.len());
        let view = |p: &crate::store::PostRecord| PostView {
            id: p.id,
            author: p.author_name.clone(),
            reply_to: p.reply_to,
            body: segments(&p.body),
            at: format_china_time(p.created_at),
            pinned: p.pinned_at.is_some(),
            hidden: p.hidden_at.is_some(),
            mine: p.author == signed.user.id,
        };
        for post in ordered {
            views.push(view(post));
            // Replies to a hidden post stay with it (and are hidden from
            // learners with it, since its thread is gone for them).
            views.extend(
                posts
                    .iter()
                    .filter(|r| r.reply_to == Some(post.id))
                    .map(view),
            );
        }
        let other_groups = match can {
            Access::Manage => store.groups(class_id).await?,
            Access::Liaison => store
                .liaison_groups(signed.user.id)
                .await?
                .into_iter()
                .filter(|g| g.class_id == class_id)
                .collect(),
            _ => Vec::new(),
        }
        .into_iter()
        .filter(|g| g.id != group.id)
        .map(|g| (g.id, g.name))
        .collect();
        let topic = match store.topic(class_id, day).await? {
            Some(topic) => Some(topic_view(&store, topic).await?),
            None => None,
        };
        Ok(ThreadView {
            class_id,
            class_title: class.title,
            group_id: group.id,
            group_name: group.name.clone(),
            liaisons: group.liaisons.iter().map(|(_, n)| n.clone()).collect(),
            members: group.members,
            other_groups,
            day: label(day),
            is_today: day == today,
            topic,
            posts: views,
            can_post: open && day == today && can >= Access::Member,
            can_moderate: open && moderate,
            can_summarize: can == Access::Liaison || can == Access::Manage,
            last_post_id,
            days: store
                .thread_days(group.id)
                .await?
                .into_iter()
                .map(|(d, n)| (label(d), n))
                .collect(),
        })
    }

    pub async fn mark_read(group_id: GroupId, up_to: i64) -> Result<(), AppError> {
        let (signed, store) = session::with_signed().await?;
        let group = store.group(group_id).await?;
        // Only someone who may read the thread has anything to mark, and
        // never beyond the posts that exist.
        access(&store, &signed, &group).await?;
        let up_to = up_to.min(store.last_post_id(group.id).await?);
        if up_to > 0 {
            store.mark_read(group.id, signed.user.id, up_to).await?;
        }
        Ok(())
    }

    pub async fn add_post(group_id: GroupId, body: String, reply_to: i64) -> Result<i64, AppError> {
        let (signed, store) = session::with_signed().await?;
        let group = store.group(group_id).await?;
        if access(&store, &signed, &group).await? < Access::Member {
            return Err(AppError::Forbidden);
        }
        let class = store.class(group.class_id).await?;
        if !class.state.is_open_to_learners() {
            return Err(AppError::invalid(
                "培训班未开放讨论",
                "The class's discussion is not open",
            ));
        }
        let body = check_post(&body).map_err(|r| AppError::invalid(r.zh, r.en))?;
        let now = now_millis();
        // A flood of posts drowns the discussion for everyone else.
        if store.posts_by_since(signed.user.id, now - 60_000).await? >= MAX_POSTS_PER_MINUTE {
            return Err(AppError::invalid(
                "发言太频繁，请一分钟后再发",
                "You are posting too fast; please wait a minute",
            ));
        }
        // The server's day, never the browser's: posts go to today's thread.
        let today = day_of(now);
        let reply_to = (reply_to > 0).then_some(reply_to);
        store
            .add_post(group_id, today, signed.user.id, reply_to, &body, now)
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "要回复的发言不在今天的讨论中",
                    "The post you reply to is not in today's discussion",
                )
            })
    }

    pub async fn moderate(post_id: i64, action: String) -> Result<(), AppError> {
        let (signed, store) = session::with_signed().await?;
        let post = store.post(post_id).await?;
        let group = store.group(post.group_id).await?;
        if access(&store, &signed, &group).await? < Access::Liaison {
            return Err(AppError::Forbidden);
        }
        if store.class(group.class_id).await?.state == ClassState::Closed {
            return Err(AppError::invalid(
                "培训班已结束，不能再修改",
                "The class is closed and can no longer change",
            ));
        }
        let now = now_millis();
        let (changed, logged) = match action.as_str() {
            "pin" => (
                store.set_pinned(post_id, true, now).await?,
                audit::AuditAction::PostPin,
            ),
            "unpin" => (
                store.set_pinned(post_id, false, now).await?,
                audit::AuditAction::PostUnpin,
            ),
            "hide" => (
                store.set_hidden(post_id, true, signed.user.id, now).await?,
                audit::AuditAction::PostHide,
            ),
            "show" => (
                store
                    .set_hidden(post_id, false, signed.user.id, now)
                    .await?,
                audit::AuditAction::PostShow,
            ),
            _ => {
                return Err(AppError::invalid("未知的操作", "Unknown action"));
            }
        };
        if changed {
            let excerpt: String = post.body.chars().take(60).collect();
            audit::record(
                &store,
                Actor::User(&signed.user),
                logged,
                ("group_post", &post_id.to_string()),
                format!("group={} author={} {excerpt}", group.id, post.author.0),
            )
            .await?;
        }
        Ok(())
    }
}
