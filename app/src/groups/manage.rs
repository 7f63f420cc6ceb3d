//! The organizer's side: forming groups (by region, or by hand), naming
//! their liaisons, placing learners, and scheduling the day's topic.

use crate::error::AppError;
use academy_shared::ids::{ClassId, CoursewareId, GroupId, MediaId, UserId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub id: GroupId,
    pub name: String,
    pub region: String,
    /// (account id, real name)
    pub liaisons: Vec<(UserId, String)>,
    /// (real name, username, region)
    pub members: Vec<(String, String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupsView {
    pub class_id: ClassId,
    pub title: String,
    pub closed: bool,
    pub groups: Vec<GroupRow>,
    /// Enrolled learners in no group: (real name, username, region).
    pub ungrouped: Vec<(String, String, String)>,
    /// Accounts with the liaison role: (id, name, region).
    pub liaison_accounts: Vec<(UserId, String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicRow {
    pub day: String,
    pub title: String,
    pub body: String,
    pub attachment: Option<(MediaId, String)>,
    pub courseware: Vec<CoursewareId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicsView {
    pub class_id: ClassId,
    pub title: String,
    pub closed: bool,
    /// The class's first day, or today: where the form's date starts.
    pub suggested_day: String,
    pub topics: Vec<TopicRow>,
    pub courses: Vec<(CoursewareId, String)>,
}

/// What forming groups by region did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Formed {
    pub created: u32,
    pub placed: u32,
    /// Learners whose region is unknown or above the level: to place by hand.
    pub unplaced: u32,
}

#[server(endpoint = "groups/list")]
pub async fn load_groups(class_id: ClassId) -> Result<GroupsView, AppError> {
    crate::error::respond(ssr::load_groups(class_id).await)
}

/// Forms one group per city (`level` = "city") or county ("county") from the
/// enrolled learners not yet in a group, with the liaisons of those regions.
#[server(endpoint = "groups/form")]
pub async fn form_groups(class_id: ClassId, level: String) -> Result<Formed, AppError> {
    crate::error::respond(ssr::form_groups(class_id, level).await)
}

#[server(endpoint = "groups/create")]
pub async fn create_group(class_id: ClassId, name: String) -> Result<(), AppError> {
    crate::error::respond(ssr::create_group(class_id, name).await)
}

#[server(endpoint = "groups/rename")]
pub async fn rename_group(group_id: GroupId, name: String) -> Result<(), AppError> {
    crate::error::respond(ssr::rename_group(group_id, name).await)
}

#[server(endpoint = "groups/delete")]
pub async fn delete_group(group_id: GroupId) -> Result<(), AppError> {
    crate::error::respond(ssr::delete_group(group_id).await)
}

/// Places a learner (by username) in a group, or takes them out (`group_id` 0).
#[server(endpoint = "groups/place")]
pub async fn place_learner(
    class_id: ClassId,
    username: String,
    group_id: GroupId,
) -> Result<(), AppError> {
    crate::error::respond(ssr::place_learner(class_id, username, group_id).await)
}

#[server(endpoint = "groups/liaison")]
pub async fn set_liaison(group_id: GroupId, user_id: UserId, on: bool) -> Result<(), AppError> {
    crate::error::respond(ssr::set_liaison(group_id, user_id, on).await)
}

#[server(endpoint = "groups/topics")]
pub async fn load_topics(class_id: ClassId) -> Result<TopicsView, AppError> {
    crate::error::respond(ssr::load_topics(class_id).await)
}

/// Schedules (or replaces) the topic of `day`; `courseware` is a
/// comma-separated list of the class's courseware ids; `attachment` 0 for none.
#[server(endpoint = "groups/topic-save")]
pub async fn save_topic(
    class_id: ClassId,
    day: String,
    title: String,
    body: String,
    courseware: String,
    attachment: i64,
) -> Result<(), AppError> {
    crate::error::respond(ssr::save_topic(class_id, day, title, body, courseware, attachment).await)
}

#[server(endpoint = "groups/topic-delete")]
pub async fn delete_topic(class_id: ClassId, day: String) -> Result<(), AppError> {
    crate::error::respond(ssr::delete_topic(class_id, day).await)
}

#[cfg(feature = "ssr")]
pub use ssr::plan_groups;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session::{self, Signed};
    use crate::store::{ClassRecord, DbError, GroupPlan, Region, Store, TopicRecord, now_millis};
    use academy_shared::checkin::{day_of, label, parse_label};
    use academy_shared::class::ClassState;
    use academy_shared::groups::{RegionNode, check_group_name, check_topic, groups_by_region};
    use academy_shared::ids::{RegionId, UserId};
    use academy_shared::region::RegionLevel;
    use academy_shared::role::policy::MANAGERS;
    use std::collections::{HashMap, HashSet};

    /// A group name the class already uses is the one conflict a group write meets.
    fn name_taken(error: DbError) -> AppError {
        match error {
            DbError::Conflict(_) => AppError::invalid(
                "本班已有同名小组",
                "The class already has a group of that name",
            ),
            other => other.into(),
        }
    }

    fn refused(r: academy_shared::groups::Refusal) -> AppError {
        AppError::invalid(r.zh, r.en)
    }

    async fn managed_class(id: ClassId) -> Result<(Signed, Store, ClassRecord), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let class = store.class(id).await?;
        Ok((me, store, class))
    }

    fn writable(class: &ClassRecord) -> Result<(), AppError> {
        if class.state == ClassState::Closed {
            return Err(AppError::invalid(
                "培训班已结束，不能再修改",
                "The class is closed and can no longer change",
            ));
        }
        Ok(())
    }

    /// The group, checked to be of a class the caller manages (and open).
    async fn managed_group(
        group_id: GroupId,
    ) -> Result<(Signed, Store, crate::store::GroupRecord), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let group = store.group(group_id).await?;
        writable(&store.class(group.class_id).await?)?;
        Ok((me, store, group))
    }

    pub async fn load_groups(class_id: ClassId) -> Result<GroupsView, AppError> {
        let (_, store, class) = managed_class(class_id).await?;
        let regions = store.list_regions().await?;
        let names: HashMap<RegionId, String> =
            regions.iter().map(|r| (r.id, r.name.clone())).collect();
        let region_name =
            |r: Option<RegionId>| r.and_then(|r| names.get(&r).cloned()).unwrap_or_default();
        let mut groups = Vec::new();
        let mut placed = HashSet::new();
        for group in store.groups(class_id).await? {
            let members = store.group_members(group.id).await?;
            placed.extend(members.iter().map(|m| m.user));
            groups.push(GroupRow {
                id: group.id,
                name: group.name,
                region: region_name(group.region),
                liaisons: group.liaisons,
                members: members
                    .into_iter()
                    .map(|m| (m.real_name, m.username, m.region_name.unwrap_or_default()))
                    .collect(),
            });
        }
        let ungrouped = store
            .enrolled(class_id)
            .await?
            .into_iter()
            .filter(|e| !placed.contains(&e.user))
            .map(|e| (e.real_name, e.username, e.region_name.unwrap_or_default()))
            .collect();
        let liaison_accounts = store
            .liaison_accounts()
            .await?
            .into_iter()
            .map(|(id, name, region)| (id, name, region_name(region)))
            .collect();
        Ok(GroupsView {
            class_id,
            title: class.title,
            closed: class.state == ClassState::Closed,
            groups,
            ungrouped,
            liaison_accounts,
        })
    }

    /// The groups forming by region would make: one per region at `level`
    /// for the enrolled learners not yet in a group, each with the liaisons
    /// of its region, as in the seed; and how many learners stay unplaced.
    pub async fn plan_groups(
        store: &Store,
        class_id: ClassId,
        level: RegionLevel,
    ) -> Result<(Vec<GroupPlan>, u32), AppError> {
        let regions = store.list_regions().await?;
        let nodes: Vec<RegionNode> = regions.iter().map(Region::node).collect();
        let placed: HashSet<UserId> = store
            .group_memberships(class_id)
            .await?
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        let learners: Vec<(i64, Option<i64>)> = store
            .enrolled(class_id)
            .await?
            .into_iter()
            .filter(|e| !placed.contains(&e.user))
            .map(|e| (e.user.0, e.region.map(|r| r.0)))
            .collect();
        let (planned, unplaced) = groups_by_region(&nodes, &learners, level);
        let liaisons = store.liaison_accounts().await?;
        let mut plans = Vec::new();
        for (region, members) in planned {
            let subtree: HashSet<RegionId> = store
                .region_subtree(RegionId(region))
                .await?
                .into_iter()
                .collect();
            let name = regions
                .iter()
                .find(|r| r.id.0 == region)
                .map(|r| format!("{}小组", r.name))
                .unwrap_or_default();
            plans.push(GroupPlan {
                name,
                region: Some(RegionId(region)),
                members: members.into_iter().map(UserId).collect(),
                liaisons: liaisons
                    .iter()
                    .filter(|(_, _, r)| r.is_some_and(|r| subtree.contains(&r)))
                    .map(|(id, _, _)| *id)
                    .collect(),
            });
        }
        Ok((plans, u32::try_from(unplaced.len()).unwrap_or(u32::MAX)))
    }

    pub async fn form_groups(class_id: ClassId, level: String) -> Result<Formed, AppError> {
        let (me, store, class) = managed_class(class_id).await?;
        writable(&class)?;
        // Groups are one per county or (anything else) one per city.
        let level = match RegionLevel::from_code(&level) {
            Some(RegionLevel::County) => RegionLevel::County,
            _ => RegionLevel::City,
        };
        let (plans, unplaced) = plan_groups(&store, class_id, level).await?;
        let (created, placed) = store.form_groups(class_id, &plans, now_millis()).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::GroupsForm,
            ("class", &class_id.to_string()),
            format!("level={} created={created} placed={placed}", level.code()),
        )
        .await?;
        Ok(Formed {
            created,
            placed,
            unplaced,
        })
    }

    pub async fn create_group(class_id: ClassId, name: String) -> Result<(), AppError> {
        let (me, store, class) = managed_class(class_id).await?;
        writable(&class)?;
        let name = check_group_name(&name).map_err(refused)?;
        let id = store
            .create_group(class_id, &name, None, now_millis())
            .await
            .map_err(name_taken)?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::GroupCreate,
            ("group", &id.to_string()),
            name,
        )
        .await
    }

    pub async fn rename_group(group_id: GroupId, name: String) -> Result<(), AppError> {
        let (me, store, _) = managed_group(group_id).await?;
        let name = check_group_name(&name).map_err(refused)?;
        store
            .rename_group(group_id, &name)
            .await
            .map_err(name_taken)?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::GroupRename,
            ("group", &group_id.to_string()),
            name,
        )
        .await
    }

    pub async fn delete_group(group_id: GroupId) -> Result<(), AppError> {
        let (me, store, group) = managed_group(group_id).await?;
        if !store.delete_group(group_id).await? {
            return Err(AppError::invalid(
                "小组已有讨论或汇总表，不能删除",
                "The group has posts or summaries and cannot be deleted",
            ));
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::GroupDelete,
            ("group", &group_id.to_string()),
            group.name,
        )
        .await
    }

    pub async fn place_learner(
        class_id: ClassId,
        username: String,
        group_id: GroupId,
    ) -> Result<(), AppError> {
        let (me, store, class) = managed_class(class_id).await?;
        writable(&class)?;
        let username = username.trim();
        let learner = store
            .enrolled(class_id)
            .await?
            .into_iter()
            .find(|e| e.username == username)
            .ok_or_else(|| {
                AppError::invalid(
                    format!("本班没有用户名为“{username}”的学员"),
                    format!("No learner of this class has the username “{username}”"),
                )
            })?;
        let group = (group_id.0 > 0).then_some(group_id);
        match store.place_member(class_id, learner.user, group).await {
            Err(DbError::NotFound) => return Err(AppError::NotFound),
            other => other?,
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::GroupPlace,
            ("class", &class_id.to_string()),
            format!("{} → {}", learner.username, group_id),
        )
        .await
    }

    pub async fn set_liaison(group_id: GroupId, user_id: UserId, on: bool) -> Result<(), AppError> {
        let (me, store, _) = managed_group(group_id).await?;
        let user = user_id;
        if on {
            let is_liaison = store
                .liaison_accounts()
                .await?
                .iter()
                .any(|(id, _, _)| *id == user);
            if !is_liaison {
                return Err(AppError::invalid(
                    "该账号没有联络员角色，请先在用户管理中授予",
                    "That account does not hold the liaison role; grant it in user admin first",
                ));
            }
            store.add_liaison(group_id, user).await?;
        } else {
            store.remove_liaison(group_id, user).await?;
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            if on {
                audit::AuditAction::GroupLiaisonAdd
            } else {
                audit::AuditAction::GroupLiaisonRemove
            },
            ("group", &group_id.to_string()),
            user_id.to_string(),
        )
        .await
    }

    pub async fn load_topics(class_id: ClassId) -> Result<TopicsView, AppError> {
        let (_, store, class) = managed_class(class_id).await?;
        let today = day_of(now_millis());
        let suggested = class.starts_on.filter(|d| *d > today).unwrap_or(today);
        Ok(TopicsView {
            class_id,
            title: class.title.clone(),
            closed: class.state == ClassState::Closed,
            suggested_day: label(suggested),
            topics: store
                .topics(class_id)
                .await?
                .into_iter()
                .map(|t| TopicRow {
                    day: label(t.day),
                    title: t.title,
                    body: t.body,
                    attachment: t.attachment.zip(t.attachment_name),
                    courseware: t.courseware,
                })
                .collect(),
            courses: store.class_course_titles(class_id).await?,
        })
    }

    fn topic_day(text: &str) -> Result<i32, AppError> {
        parse_label(text).ok_or_else(|| {
            AppError::invalid(
                "请选择日期（年-月-日）",
                "Please choose a day (year-month-day)",
            )
        })
    }

    pub async fn save_topic(
        class_id: ClassId,
        day: String,
        title: String,
        body: String,
        courseware: String,
        attachment: i64,
    ) -> Result<(), AppError> {
        let (me, store, class) = managed_class(class_id).await?;
        writable(&class)?;
        let day = topic_day(&day)?;
        let (title, body) = check_topic(&title, &body).map_err(refused)?;
        let offered: HashSet<CoursewareId> = store
            .class_course_titles(class_id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut chosen = Vec::new();
        for part in courseware
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.parse::<CoursewareId>() {
                Ok(id) if offered.contains(&id) => {
                    if !chosen.contains(&id) {
                        chosen.push(id);
                    }
                }
                _ => {
                    return Err(AppError::invalid(
                        "所选课程不属于本班",
                        "A chosen course is not one of the class's",
                    ));
                }
            }
        }
        let attachment = if attachment > 0 {
            let attachment = MediaId(attachment);
            let media = store.media(attachment).await?;
            // Only a file the organizer may read (they uploaded it, or it is
            // already the class's) can be handed to the class.
            if !store
                .may_fetch_media(me.user.id, &me.user.roles, attachment)
                .await?
            {
                return Err(AppError::NotFound);
            }
            Some(media.id)
        } else {
            None
        };
        store
            .set_topic(
                &TopicRecord {
                    class_id,
                    day,
                    title: title.clone(),
                    body,
                    attachment,
                    attachment_name: None,
                    courseware: chosen,
                    updated_at: now_millis(),
                },
                me.user.id,
            )
            .await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::TopicSave,
            ("class", &class_id.to_string()),
            format!("{} {title}", label(day)),
        )
        .await
    }

    pub async fn delete_topic(class_id: ClassId, day: String) -> Result<(), AppError> {
        let (me, store, class) = managed_class(class_id).await?;
        writable(&class)?;
        let day = topic_day(&day)?;
        if store.delete_topic(class_id, day).await? {
            audit::record(
                &store,
                Actor::User(&me.user),
                audit::AuditAction::TopicDelete,
                ("class", &class_id.to_string()),
                label(day),
            )
            .await?;
        }
        Ok(())
    }
}
