//! Demo data for study groups and daily operations: the seed's class is
//! split into one group per county, each with its county's liaison; topics
//! for the days around today; discussions in the groups of counties 7–10
//! (learner061–100); and summaries for yesterday in every review state.
//! Counties 1–6 are left without posts or summaries for the browser tests.

use academy_shared::checkin::{day_of, day_start_ms};
use academy_shared::groups::{SummaryFields, SummaryState};
use academy_shared::region::RegionLevel;
use app::store::{DbError, DbResult, Store, SummaryWrite, TopicRecord, now_millis};

const MARKER: &str = "demo_groups_loaded_at";

const TOPICS: [(&str, &str); 5] = [
    (
        "学习新思想，流动不流失",
        "结合外出务工的实际，谈谈如何在异地过好组织生活。\n参考：https://www.12371.cn/",
    ),
    (
        "党员先锋作用在身边",
        "说一说身边流动党员发挥先锋模范作用的事例。",
    ),
    (
        "学用结合，干字当头",
        "今天的课程讲了哪些可以用到工作中的方法？",
    ),
    ("守纪律，讲规矩", "结合课程，谈谈流动党员如何严守纪律。"),
    (
        "培训收获与建议",
        "一句话说说本期培训的最大收获，并提一条建议。",
    ),
];

const POSTS: [&str; 6] = [
    "在外务工也不能忘了党员身份，我每月都参加流入地党支部的主题党日。",
    "课程里讲的“线上组织生活”很实用，我们工地几个党员建了学习群。",
    "建议多安排一些案例课，贴近我们的实际。",
    "同意楼上，另外希望课程能下载离线看，工地信号不好。",
    "今天的课讲得好，尤其是关于诚信经营的部分。",
    "我们小组约定每天晚上八点一起打卡学习。",
];

fn broken(what: &str) -> DbError {
    DbError::Other(sqlx::Error::Protocol(format!("demo groups: {what}")))
}

pub async fn load(store: &Store) -> DbResult<bool> {
    if store.meta(MARKER).await?.is_some() {
        return Ok(false);
    }
    let now = now_millis();
    let today = day_of(now);
    let class_id = store
        .list_classes()
        .await?
        .into_iter()
        .find(|(_, title, _)| title == crate::demo::CLASS_TITLE)
        .map(|(id, _, _)| id)
        .ok_or(DbError::NotFound)?;
    let (plans, _) = app::groups::manage::plan_groups(store, class_id, RegionLevel::County)
        .await
        .map_err(|e| broken(&e.to_string()))?;
    store.form_groups(class_id, &plans, now).await?;
    let organizer = store.user_by_username("organizer").await?.id;
    let courses = store.class_course_titles(class_id).await?;
    for (i, (title, body)) in TOPICS.iter().enumerate() {
        let day = today - 2 + i as i32;
        let course = courses
            .get((i * 2) % courses.len().max(1))
            .map(|(id, _)| *id);
        store
            .set_topic(
                &TopicRecord {
                    class_id,
                    day,
                    title: (*title).to_owned(),
                    body: (*body).to_owned(),
                    attachment: None,
                    attachment_name: None,
                    courseware: course.into_iter().collect(),
                    updated_at: now,
                },
                organizer,
            )
            .await?;
    }
    let groups = store.groups(class_id).await?;
    for (county, group) in groups.iter().enumerate() {
        let mut learners: Vec<_> = store
            .group_members(group.id)
            .await?
            .into_iter()
            .filter(|m| m.username.starts_with("learner"))
            .collect();
        learners.sort_by(|a, b| a.username.cmp(&b.username));
        // Counties 1–6 (learner001–060) stay quiet for the browser tests.
        if learners
            .first()
            .is_none_or(|m| m.username.as_str() <= "learner060")
        {
            continue;
        }
        let liaison = group.liaisons.first().map(|(id, _)| *id);
        for back in [1, 0] {
            let day = today - back;
            let at = day_start_ms(day) + 20 * 3_600_000;
            let mut first_post = None;
            for (k, text) in POSTS.iter().enumerate().take(if back == 0 { 3 } else { 6 }) {
                let Some(author) = learners.get(k).map(|m| m.user) else {
                    break;
                };
                let reply = if k == 3 { first_post } else { None };
                let posted_at = (at + k as i64 * 300_000).min(now);
                let id = store
                    .add_post(group.id, day, author, reply, text, posted_at)
                    .await?
                    .ok_or_else(|| broken("reply outside its thread"))?;
                first_post.get_or_insert(id);
            }
            if let (Some(post), Some(_)) = (first_post, liaison) {
                store.set_pinned(post, true, now).await?;
            }
        }
        // Yesterday's summary, in a different state per county.
        let Some(liaison) = liaison else { continue };
        let yesterday = today - 1;
        let fields = SummaryFields {
            participants: 6,
            topic: TOPICS[1].0.to_owned(),
            views: "大家认为流动党员要亮身份、作表率，在务工地积极参加组织生活。".to_owned(),
            problems: "部分党员反映工地网络信号差，视频加载慢。".to_owned(),
            suggestions: "建议提供离线学习方式；增加案例教学。".to_owned(),
        };
        // The state the demo leaves the summary in.
        let state = match county % 4 {
            1 => SummaryState::Accepted,
            2 => SummaryState::Draft,
            _ => SummaryState::Submitted,
        };
        let written = store
            .write_summary(&SummaryWrite {
                group_id: group.id,
                day: yesterday,
                expected: None,
                state: if state == SummaryState::Draft {
                    SummaryState::Draft
                } else {
                    SummaryState::Submitted
                },
                members: group.members,
                fields: &fields,
                by: liaison,
                now: day_start_ms(yesterday) + 22 * 3_600_000,
            })
            .await?;
        if written && state == SummaryState::Accepted {
            store
                .review_summary(
                    group.id,
                    yesterday,
                    SummaryState::Submitted,
                    SummaryState::Accepted,
                    "",
                    organizer,
                    now,
                )
                .await?;
        }
    }
    store.set_meta_once(MARKER, &now.to_string()).await?;
    Ok(true)
}
