//! Study groups and their daily work: groups with members and liaisons, the
//! day's topic, the discussion thread per group and day, and the liaison's
//! daily summary (分组讨论汇总表). The rules (who may do what, which state
//! follows which) are in `shared::groups` and the server functions; this is
//! only what is stored.

use super::{DbError, DbResult, Store};
use academy_shared::groups::{SummaryFields, SummaryState};
use academy_shared::ids::{ClassId, CoursewareId, GroupId, MediaId, RegionId, UserId};
use sqlx::Row;

/// A study group of a class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRecord {
    pub id: GroupId,
    pub class_id: ClassId,
    pub class_title: String,
    pub name: String,
    pub region: Option<RegionId>,
    pub members: u32,
    /// (account, real name), by name.
    pub liaisons: Vec<(UserId, String)>,
}

/// A member of a group, for the organizer's and liaison's lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMember {
    pub user: UserId,
    pub username: String,
    pub real_name: String,
    pub region_name: Option<String>,
}

/// A new group and who goes into it (forming groups by region).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupPlan {
    pub name: String,
    pub region: Option<RegionId>,
    pub members: Vec<UserId>,
    pub liaisons: Vec<UserId>,
}

/// The organizer's topic for one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicRecord {
    pub class_id: ClassId,
    pub day: i32,
    pub title: String,
    pub body: String,
    pub attachment: Option<MediaId>,
    pub attachment_name: Option<String>,
    pub courseware: Vec<CoursewareId>,
    pub updated_at: i64,
}

/// A post in a group's discussion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostRecord {
    pub id: i64,
    pub group_id: GroupId,
    pub day: i32,
    pub author: UserId,
    pub author_name: String,
    pub reply_to: Option<i64>,
    pub body: String,
    pub pinned_at: Option<i64>,
    pub hidden_at: Option<i64>,
    pub created_at: i64,
}

/// A liaison's daily summary as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRecord {
    pub group_id: GroupId,
    pub group_name: String,
    pub day: i32,
    pub state: SummaryState,
    pub members: u32,
    pub fields: SummaryFields,
    pub review_comment: String,
    pub written_by: Option<String>,
    pub submitted_at: Option<i64>,
    pub reviewed_at: Option<i64>,
    pub archived_at: Option<i64>,
    pub updated_at: i64,
}

/// What a write of a summary changes: the state it must be in now (`None`:
/// not written yet), and what it becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryWrite<'a> {
    pub group_id: GroupId,
    pub day: i32,
    pub expected: Option<SummaryState>,
    pub state: SummaryState,
    pub members: u32,
    pub fields: &'a SummaryFields,
    pub by: UserId,
    pub now: i64,
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

fn day(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(0)
}

const GROUP_SELECT: &str = "SELECT g.id, g.class_id, k.title AS class_title, g.name, g.region_id, \
     (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members \
     FROM study_groups g JOIN classes k ON k.id = g.class_id";

const POST_SELECT: &str = "SELECT p.id, p.group_id, p.day, p.author_id, u.real_name, p.reply_to, \
     p.body, p.pinned_at, p.hidden_at, p.created_at FROM group_posts p \
     JOIN users u ON u.id = p.author_id";

const SUMMARY_SELECT: &str = "SELECT s.group_id, g.name AS group_name, s.day, s.state, s.members, \
     s.participants, s.topic, s.views, s.problems, s.suggestions, s.review_comment, \
     w.real_name AS written_by, s.submitted_at, s.reviewed_at, s.archived_at, s.updated_at \
     FROM group_summaries s JOIN study_groups g ON g.id = s.group_id \
     LEFT JOIN users w ON w.id = s.written_by";

fn post_from_row(row: &sqlx::any::AnyRow) -> DbResult<PostRecord> {
    Ok(PostRecord {
        id: row.try_get("id")?,
        group_id: GroupId(row.try_get("group_id")?),
        day: day(row.try_get("day")?),
        author: UserId(row.try_get("author_id")?),
        author_name: row.try_get("real_name")?,
        reply_to: row.try_get("reply_to")?,
        body: row.try_get("body")?,
        pinned_at: row.try_get("pinned_at")?,
        hidden_at: row.try_get("hidden_at")?,
        created_at: row.try_get("created_at")?,
    })
}

fn summary_from_row(row: &sqlx::any::AnyRow) -> DbResult<SummaryRecord> {
    Ok(SummaryRecord {
        group_id: GroupId(row.try_get("group_id")?),
        group_name: row.try_get("group_name")?,
        day: day(row.try_get("day")?),
        state: super::decode_column(row, "state")?,
        members: count(row.try_get("members")?),
        fields: SummaryFields {
            participants: count(row.try_get("participants")?),
            topic: row.try_get("topic")?,
            views: row.try_get("views")?,
            problems: row.try_get("problems")?,
            suggestions: row.try_get("suggestions")?,
        },
        review_comment: row.try_get("review_comment")?,
        written_by: row.try_get("written_by")?,
        submitted_at: row.try_get("submitted_at")?,
        reviewed_at: row.try_get("reviewed_at")?,
        archived_at: row.try_get("archived_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Store {
    // ---- groups ------------------------------------------------------------------

    async fn with_liaisons(&self, rows: Vec<sqlx::any::AnyRow>) -> DbResult<Vec<GroupRecord>> {
        let mut groups = rows
            .iter()
            .map(|row| {
                Ok(GroupRecord {
                    id: GroupId(row.try_get("id")?),
                    class_id: ClassId(row.try_get("class_id")?),
                    class_title: row.try_get("class_title")?,
                    name: row.try_get("name")?,
                    region: row.try_get::<Option<i64>, _>("region_id")?.map(RegionId),
                    members: count(row.try_get("members")?),
                    liaisons: Vec::new(),
                })
            })
            .collect::<DbResult<Vec<_>>>()?;
        if groups.is_empty() {
            return Ok(groups);
        }
        let sql = format!(
            "SELECT l.group_id, u.id, u.real_name FROM group_liaisons l \
             JOIN users u ON u.id = l.user_id WHERE l.group_id IN ({}) \
             ORDER BY u.real_name, u.id",
            super::users::placeholders(1, groups.len())
        );
        let mut query = sqlx::query(&sql);
        for group in &groups {
            query = query.bind(group.id.0);
        }
        for row in query.fetch_all(self.pool()).await? {
            let group_id = GroupId(row.try_get("group_id")?);
            if let Some(group) = groups.iter_mut().find(|g| g.id == group_id) {
                group
                    .liaisons
                    .push((UserId(row.try_get("id")?), row.try_get("real_name")?));
            }
        }
        Ok(groups)
    }

    /// The class's groups, by name.
    pub async fn groups(&self, class_id: ClassId) -> DbResult<Vec<GroupRecord>> {
        let rows = sqlx::query(&format!(
            "{GROUP_SELECT} WHERE g.class_id = $1 ORDER BY g.name, g.id"
        ))
        .bind(class_id.0)
        .fetch_all(self.pool())
        .await?;
        self.with_liaisons(rows).await
    }

    pub async fn group(&self, id: GroupId) -> DbResult<GroupRecord> {
        let row = sqlx::query(&format!("{GROUP_SELECT} WHERE g.id = $1"))
            .bind(id.0)
            .fetch_one(self.pool())
            .await?;
        self.with_liaisons(vec![row])
            .await?
            .pop()
            .ok_or(DbError::NotFound)
    }

    /// The learner's group in a class, if placed in one.
    pub async fn group_of(&self, class_id: ClassId, user: UserId) -> DbResult<Option<GroupRecord>> {
        let rows = sqlx::query(&format!(
            "{GROUP_SELECT} WHERE g.id = \
             (SELECT m.group_id FROM group_members m WHERE m.class_id = $1 AND m.user_id = $2)"
        ))
        .bind(class_id.0)
        .bind(user.0)
        .fetch_all(self.pool())
        .await?;
        Ok(self.with_liaisons(rows).await?.pop())
    }

    /// The groups an account is liaison of, in every class, newest class first.
    pub async fn liaison_groups(&self, user: UserId) -> DbResult<Vec<GroupRecord>> {
        let rows = sqlx::query(&format!(
            "{GROUP_SELECT} WHERE g.id IN (SELECT l.group_id FROM group_liaisons l \
             WHERE l.user_id = $1) ORDER BY g.class_id DESC, g.name, g.id"
        ))
        .bind(user.0)
        .fetch_all(self.pool())
        .await?;
        self.with_liaisons(rows).await
    }

    pub async fn is_liaison_of(&self, group_id: GroupId, user: UserId) -> DbResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT group_id FROM group_liaisons WHERE group_id = $1 AND user_id = $2",
        )
        .bind(group_id.0)
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    /// Creates an empty group; a name already used in the class is a conflict.
    pub async fn create_group(
        &self,
        class_id: ClassId,
        name: &str,
        region: Option<RegionId>,
        now: i64,
    ) -> DbResult<GroupId> {
        Ok(GroupId(
            sqlx::query_scalar(
                "INSERT INTO study_groups (class_id, name, region_id, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(class_id.0)
            .bind(name)
            .bind(region.map(|r| r.0))
            .bind(now)
            .fetch_one(self.pool())
            .await?,
        ))
    }

    pub async fn rename_group(&self, id: GroupId, name: &str) -> DbResult<()> {
        let changed = sqlx::query("UPDATE study_groups SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id.0)
            .execute(self.pool())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Removes a group nobody has written in yet (its members become
    /// ungrouped); `false` if it has posts or summaries, which stay.
    pub async fn delete_group(&self, id: GroupId) -> DbResult<bool> {
        Ok(sqlx::query(
            "DELETE FROM study_groups WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM group_posts p WHERE p.group_id = $2) \
             AND NOT EXISTS (SELECT 1 FROM group_summaries s WHERE s.group_id = $3)",
        )
        .bind(id.0)
        .bind(id.0)
        .bind(id.0)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Forms groups in one transaction: a planned group whose name the class
    /// already uses receives the members instead of being created again.
    /// Learners already in a group stay where they are. Returns how many
    /// groups were created and how many learners placed.
    pub async fn form_groups(
        &self,
        class_id: ClassId,
        plans: &[GroupPlan],
        now: i64,
    ) -> DbResult<(u32, u32)> {
        let mut tx = self.begin_write().await?;
        let (mut created, mut placed) = (0u32, 0u32);
        for plan in plans {
            let existing: Option<i64> =
                sqlx::query_scalar("SELECT id FROM study_groups WHERE class_id = $1 AND name = $2")
                    .bind(class_id.0)
                    .bind(&plan.name)
                    .fetch_optional(&mut *tx)
                    .await?;
            let group_id = match existing {
                Some(id) => GroupId(id),
                None => {
                    created += 1;
                    GroupId(
                        sqlx::query_scalar(
                            "INSERT INTO study_groups (class_id, name, region_id, created_at) \
                         VALUES ($1, $2, $3, $4) RETURNING id",
                        )
                        .bind(class_id.0)
                        .bind(&plan.name)
                        .bind(plan.region.map(|r| r.0))
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?,
                    )
                }
            };
            for member in &plan.members {
                let added = sqlx::query(
                    "INSERT INTO group_members (class_id, user_id, group_id) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(class_id.0)
                .bind(member.0)
                .bind(group_id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                placed += u32::try_from(added).unwrap_or(0);
            }
            for liaison in &plan.liaisons {
                sqlx::query(
                    "INSERT INTO group_liaisons (group_id, user_id) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(group_id.0)
                .bind(liaison.0)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok((created, placed))
    }

    /// Puts an enrolled learner into `group` (of the same class), or takes them
    /// out of any group with `None`. A learner not enrolled is a conflict.
    pub async fn place_member(
        &self,
        class_id: ClassId,
        user: UserId,
        group: Option<GroupId>,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM group_members WHERE class_id = $1 AND user_id = $2")
            .bind(class_id.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        if let Some(group) = group {
            let inserted = sqlx::query(
                "INSERT INTO group_members (class_id, user_id, group_id) \
                 SELECT $1, $2, g.id FROM study_groups g WHERE g.id = $3 AND g.class_id = $4",
            )
            .bind(class_id.0)
            .bind(user.0)
            .bind(group.0)
            .bind(class_id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Err(DbError::NotFound);
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The members of a group, by name.
    pub async fn group_members(&self, group_id: GroupId) -> DbResult<Vec<GroupMember>> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.real_name, r.name AS region_name \
             FROM group_members m JOIN users u ON u.id = m.user_id \
             LEFT JOIN regions r ON r.id = u.region_id \
             WHERE m.group_id = $1 ORDER BY u.real_name, u.id",
        )
        .bind(group_id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(GroupMember {
                    user: UserId(row.try_get("id")?),
                    username: row.try_get("username")?,
                    real_name: row.try_get("real_name")?,
                    region_name: row.try_get("region_name")?,
                })
            })
            .collect()
    }

    /// Every placed learner of the class with their group.
    pub async fn group_memberships(&self, class_id: ClassId) -> DbResult<Vec<(UserId, GroupId)>> {
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT user_id, group_id FROM group_members WHERE class_id = $1")
                .bind(class_id.0)
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(u, g)| (UserId(u), GroupId(g)))
            .collect())
    }

    pub async fn add_liaison(&self, group_id: GroupId, user: UserId) -> DbResult<bool> {
        Ok(sqlx::query(
            "INSERT INTO group_liaisons (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(group_id.0)
        .bind(user.0)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn remove_liaison(&self, group_id: GroupId, user: UserId) -> DbResult<bool> {
        Ok(
            sqlx::query("DELETE FROM group_liaisons WHERE group_id = $1 AND user_id = $2")
                .bind(group_id.0)
                .bind(user.0)
                .execute(self.pool())
                .await?
                .rows_affected()
                == 1,
        )
    }

    /// Accounts holding the liaison role, with their region: candidates for
    /// a group's liaison.
    pub async fn liaison_accounts(&self) -> DbResult<Vec<(UserId, String, Option<RegionId>)>> {
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT u.id, u.real_name, u.region_id FROM users u \
             JOIN user_roles r ON r.user_id = u.id \
             WHERE r.role = 'liaison' AND u.disabled_at IS NULL ORDER BY u.real_name, u.id",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, region)| (UserId(id), name, region.map(RegionId)))
            .collect())
    }

    // ---- the day's topic ---------------------------------------------------------------

    /// The class's courses in order, (courseware id, title): what a topic links to.
    pub async fn class_course_titles(
        &self,
        class_id: ClassId,
    ) -> DbResult<Vec<(CoursewareId, String)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT c.id, c.title FROM class_courseware cc JOIN courseware c \
             ON c.id = cc.courseware_id WHERE cc.class_id = $1 ORDER BY cc.position",
        )
        .bind(class_id.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title)| (CoursewareId(id), title))
            .collect())
    }

    async fn topics_where(&self, clause: &str, binds: &[i64]) -> DbResult<Vec<TopicRecord>> {
        let sql = format!(
            "SELECT t.class_id, t.day, t.title, t.body, t.attachment_id, m.file_name, \
             t.courseware, t.updated_at FROM daily_topics t \
             LEFT JOIN media_files m ON m.id = t.attachment_id WHERE {clause} ORDER BY t.day"
        );
        let mut query = sqlx::query(&sql);
        for bind in binds {
            query = query.bind(*bind);
        }
        query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                let courseware: String = row.try_get("courseware")?;
                Ok(TopicRecord {
                    class_id: ClassId(row.try_get("class_id")?),
                    day: day(row.try_get("day")?),
                    title: row.try_get("title")?,
                    body: row.try_get("body")?,
                    attachment: row.try_get::<Option<i64>, _>("attachment_id")?.map(MediaId),
                    attachment_name: row.try_get("file_name")?,
                    courseware: serde_json::from_str(&courseware).unwrap_or_default(),
                    updated_at: row.try_get("updated_at")?,
                })
            })
            .collect()
    }

    pub async fn topics(&self, class_id: ClassId) -> DbResult<Vec<TopicRecord>> {
        self.topics_where("t.class_id = $1", &[class_id.0]).await
    }

    pub async fn topic(&self, class_id: ClassId, on: i32) -> DbResult<Option<TopicRecord>> {
        Ok(self
            .topics_where(
                "t.class_id = $1 AND t.day = $2",
                &[class_id.0, i64::from(on)],
            )
            .await?
            .pop())
    }

    /// Writes the day's topic (a second write replaces the first).
    pub async fn set_topic(&self, topic: &TopicRecord, by: UserId) -> DbResult<()> {
        let courseware = serde_json::to_string(&topic.courseware)
            .map_err(|e| DbError::Other(sqlx::Error::Encode(Box::new(e))))?;
        sqlx::query(
            "INSERT INTO daily_topics (class_id, day, title, body, attachment_id, courseware, \
             updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (class_id, day) DO UPDATE SET title = EXCLUDED.title, \
             body = EXCLUDED.body, attachment_id = EXCLUDED.attachment_id, \
             courseware = EXCLUDED.courseware, updated_by = EXCLUDED.updated_by, \
             updated_at = EXCLUDED.updated_at",
        )
        .bind(topic.class_id.0)
        .bind(i64::from(topic.day))
        .bind(&topic.title)
        .bind(&topic.body)
        .bind(topic.attachment.map(|m| m.0))
        .bind(courseware)
        .bind(by.0)
        .bind(topic.updated_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn delete_topic(&self, class_id: ClassId, on: i32) -> DbResult<bool> {
        Ok(
            sqlx::query("DELETE FROM daily_topics WHERE class_id = $1 AND day = $2")
                .bind(class_id.0)
                .bind(i64::from(on))
                .execute(self.pool())
                .await?
                .rows_affected()
                == 1,
        )
    }

    // ---- discussion ------------------------------------------------------------------

    /// Adds a post; a reply must answer a post of the same thread. Returns
    /// the new post's id, or `None` if the replied-to post is not in the thread.
    pub async fn add_post(
        &self,
        group_id: GroupId,
        on: i32,
        author: UserId,
        reply_to: Option<i64>,
        body: &str,
        now: i64,
    ) -> DbResult<Option<i64>> {
        if let Some(parent) = reply_to {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM group_posts WHERE id = $1 AND group_id = $2 AND day = $3 \
                 AND hidden_at IS NULL",
            )
            .bind(parent)
            .bind(group_id.0)
            .bind(i64::from(on))
            .fetch_optional(self.pool())
            .await?;
            if found.is_none() {
                return Ok(None);
            }
        }
        Ok(Some(
            sqlx::query_scalar(
                "INSERT INTO group_posts (group_id, day, author_id, reply_to, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(group_id.0)
            .bind(i64::from(on))
            .bind(author.0)
            .bind(reply_to)
            .bind(body)
            .bind(now)
            .fetch_one(self.pool())
            .await?,
        ))
    }

    pub async fn post(&self, id: i64) -> DbResult<PostRecord> {
        let row = sqlx::query(&format!("{POST_SELECT} WHERE p.id = $1"))
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        post_from_row(&row)
    }

    /// A thread, oldest first; hidden posts only if `with_hidden`.
    pub async fn posts(
        &self,
        group_id: GroupId,
        on: i32,
        with_hidden: bool,
    ) -> DbResult<Vec<PostRecord>> {
        let hidden = if with_hidden {
            ""
        } else {
            " AND p.hidden_at IS NULL"
        };
        let rows = sqlx::query(&format!(
            "{POST_SELECT} WHERE p.group_id = $1 AND p.day = $2{hidden} ORDER BY p.id"
        ))
        .bind(group_id.0)
        .bind(i64::from(on))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(post_from_row).collect()
    }

    /// Days with a thread in the group and how many visible posts each has.
    pub async fn thread_days(&self, group_id: GroupId) -> DbResult<Vec<(i32, u32)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT day, COUNT(*) FROM group_posts WHERE group_id = $1 AND hidden_at IS NULL \
             GROUP BY day ORDER BY day DESC",
        )
        .bind(group_id.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(d, n)| (day(d), count(n))).collect())
    }

    /// Pins or unpins; `false` if it already was so.
    pub async fn set_pinned(&self, post: i64, pinned: bool, now: i64) -> DbResult<bool> {
        let query = if pinned {
            sqlx::query("UPDATE group_posts SET pinned_at = $1 WHERE id = $2 AND pinned_at IS NULL")
                .bind(now)
                .bind(post)
        } else {
            sqlx::query(
                "UPDATE group_posts SET pinned_at = NULL WHERE id = $1 AND pinned_at IS NOT NULL",
            )
            .bind(post)
        };
        Ok(query.execute(self.pool()).await?.rows_affected() == 1)
    }

    /// Hides or shows again; `false` if it already was so.
    pub async fn set_hidden(
        &self,
        post: i64,
        hidden: bool,
        by: UserId,
        now: i64,
    ) -> DbResult<bool> {
        let query = if hidden {
            sqlx::query(
                "UPDATE group_posts SET hidden_at = $1, hidden_by = $2 \
                 WHERE id = $3 AND hidden_at IS NULL",
            )
            .bind(now)
            .bind(by.0)
            .bind(post)
        } else {
            sqlx::query(
                "UPDATE group_posts SET hidden_at = NULL, hidden_by = NULL \
                 WHERE id = $1 AND hidden_at IS NOT NULL",
            )
            .bind(post)
        };
        Ok(query.execute(self.pool()).await?.rows_affected() == 1)
    }

    /// Visible posts by others the reader has not seen yet, in one group.
    pub async fn unread_posts(&self, group_id: GroupId, reader: UserId) -> DbResult<u32> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM group_posts p WHERE p.group_id = $1 AND p.hidden_at IS NULL \
             AND p.author_id <> $2 AND p.id > COALESCE((SELECT r.last_post_id FROM group_reads r \
             WHERE r.group_id = $3 AND r.user_id = $4), 0)",
        )
        .bind(group_id.0)
        .bind(reader.0)
        .bind(group_id.0)
        .bind(reader.0)
        .fetch_one(self.pool())
        .await?;
        Ok(count(n))
    }

    /// Records that the reader has seen the group's posts up to `last`.
    /// How many posts `author` wrote since `since`.
    pub async fn posts_by_since(&self, author: UserId, since: i64) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM group_posts WHERE author_id = $1 AND created_at > $2",
        )
        .bind(author.0)
        .bind(since)
        .fetch_one(self.pool())
        .await?)
    }

    /// The newest post of the group (0 when none).
    pub async fn last_post_id(&self, group_id: GroupId) -> DbResult<i64> {
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(id) FROM group_posts WHERE group_id = $1")
                .bind(group_id.0)
                .fetch_one(self.pool())
                .await?;
        Ok(last.unwrap_or(0))
    }

    pub async fn mark_read(&self, group_id: GroupId, reader: UserId, last: i64) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO group_reads (group_id, user_id, last_post_id) VALUES ($1, $2, $3) \
             ON CONFLICT (group_id, user_id) DO UPDATE SET last_post_id = EXCLUDED.last_post_id \
             WHERE group_reads.last_post_id < EXCLUDED.last_post_id",
        )
        .bind(group_id.0)
        .bind(reader.0)
        .bind(last)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Who posted (visibly) in a thread.
    pub async fn posters(&self, group_id: GroupId, on: i32) -> DbResult<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT author_id FROM group_posts WHERE group_id = $1 AND day = $2 \
             AND hidden_at IS NULL",
        )
        .bind(group_id.0)
        .bind(i64::from(on))
        .fetch_all(self.pool())
        .await?)
    }

    // ---- the daily summary -----------------------------------------------------------

    pub async fn summary(&self, group_id: GroupId, on: i32) -> DbResult<Option<SummaryRecord>> {
        let row = sqlx::query(&format!(
            "{SUMMARY_SELECT} WHERE s.group_id = $1 AND s.day = $2"
        ))
        .bind(group_id.0)
        .bind(i64::from(on))
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(summary_from_row).transpose()
    }

    /// The class's summaries for days `from..=to`, by day then group name.
    pub async fn class_summaries(
        &self,
        class_id: ClassId,
        from: i32,
        to: i32,
    ) -> DbResult<Vec<SummaryRecord>> {
        let rows = sqlx::query(&format!(
            "{SUMMARY_SELECT} WHERE g.class_id = $1 AND s.day >= $2 AND s.day <= $3 \
             ORDER BY s.day, g.name, g.id"
        ))
        .bind(class_id.0)
        .bind(i64::from(from))
        .bind(i64::from(to))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// The liaison's write (save or submit). Only succeeds if the summary is
    /// still in the `expected` state and not archived, so two liaisons of one
    /// group, or a liaison and a reviewer, never overwrite each other
    /// unknowingly; `false` if it changed meanwhile.
    pub async fn write_summary(&self, write: &SummaryWrite<'_>) -> DbResult<bool> {
        let submitted = (write.state == SummaryState::Submitted).then_some(write.now);
        let f = write.fields;
        let changed = match write.expected {
            None => sqlx::query(
                "INSERT INTO group_summaries (group_id, day, state, members, participants, \
                 topic, views, problems, suggestions, written_by, submitted_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (group_id, day) DO NOTHING",
            )
            .bind(write.group_id.0)
            .bind(i64::from(write.day))
            .bind(write.state.code())
            .bind(i64::from(write.members))
            .bind(i64::from(f.participants))
            .bind(&f.topic)
            .bind(&f.views)
            .bind(&f.problems)
            .bind(&f.suggestions)
            .bind(write.by.0)
            .bind(submitted)
            .bind(write.now),
            Some(expected) => sqlx::query(
                "UPDATE group_summaries SET state = $1, members = $2, participants = $3, \
                 topic = $4, views = $5, problems = $6, suggestions = $7, written_by = $8, \
                 submitted_at = COALESCE($9, submitted_at), updated_at = $10 \
                 WHERE group_id = $11 AND day = $12 AND state = $13 AND archived_at IS NULL",
            )
            .bind(write.state.code())
            .bind(i64::from(write.members))
            .bind(i64::from(f.participants))
            .bind(&f.topic)
            .bind(&f.views)
            .bind(&f.problems)
            .bind(&f.suggestions)
            .bind(write.by.0)
            .bind(submitted)
            .bind(write.now)
            .bind(write.group_id.0)
            .bind(i64::from(write.day))
            .bind(expected.code()),
        }
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(changed == 1)
    }

    /// The organizer's review: `from` → `to` with a comment (return) or
    /// without (accept); `false` if the summary was not in `from` any more.
    pub async fn review_summary(
        &self,
        group_id: GroupId,
        on: i32,
        from: SummaryState,
        to: SummaryState,
        comment: &str,
        by: UserId,
        now: i64,
    ) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE group_summaries SET state = $1, review_comment = $2, reviewed_by = $3, \
             reviewed_at = $4, updated_at = $5 \
             WHERE group_id = $6 AND day = $7 AND state = $8 AND archived_at IS NULL",
        )
        .bind(to.code())
        .bind(comment)
        .bind(by.0)
        .bind(now)
        .bind(now)
        .bind(group_id.0)
        .bind(i64::from(on))
        .bind(from.code())
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Files accepted summaries of the class's `day` away; returns how many.
    pub async fn archive_summaries(
        &self,
        class_id: ClassId,
        on: i32,
        groups: &[GroupId],
        now: i64,
    ) -> DbResult<u32> {
        if groups.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "UPDATE group_summaries SET archived_at = $1, updated_at = $2 \
             WHERE day = $3 AND state = 'accepted' AND archived_at IS NULL \
             AND group_id IN (SELECT id FROM study_groups WHERE class_id = $4) \
             AND group_id IN ({})",
            super::users::placeholders(5, groups.len())
        );
        let mut query = sqlx::query(&sql)
            .bind(now)
            .bind(now)
            .bind(i64::from(on))
            .bind(class_id.0);
        for group in groups {
            query = query.bind(group.0);
        }
        let archived = query.execute(self.pool()).await?.rows_affected();
        Ok(u32::try_from(archived).unwrap_or(u32::MAX))
    }
}
