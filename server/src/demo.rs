//! Demo data: a province, its cities, the ten counties of the seed's city, and
//! the staff and 100 learners of the seed's class. Written only by `server demo`
//! (which the run command calls), never implicitly.

use academy_shared::class::ClassState;
use academy_shared::courseware::{ReviewAction, ReviewState, next_state};
use academy_shared::media::MediaKind;
use academy_shared::region::RegionLevel;
use academy_shared::role::Role;
use app::media::MediaStore;
use app::store::{
    CoursewareDetails, DbError, DbResult, MediaFile, NewClass, NewMedia, NewRegion, NewUser,
    OutlineItem, Slide, Store, TraineeFields, now_millis,
};

/// The one password of every demo account, printed by the run command.
pub const DEMO_PASSWORD: &str = "Academy2026";
const MARKER: &str = "demo_loaded_at";

const PROVINCE: (&str, &str) = ("52", "贵州省");
const CITIES: [(&str, &str); 9] = [
    ("5201", "贵阳市"),
    ("5202", "六盘水市"),
    ("5203", "遵义市"),
    ("5204", "安顺市"),
    ("5205", "毕节市"),
    ("5206", "铜仁市"),
    ("5226", "黔东南苗族侗族自治州"),
    ("5227", "黔南布依族苗族自治州"),
    ("5223", "黔西南布依族苗族自治州"),
];
/// The seed's city: its ten counties sent the class's 100 learners.
const SEED_CITY: &str = "5206";
const COUNTIES: [(&str, &str); 10] = [
    ("520602", "碧江区"),
    ("520603", "万山区"),
    ("520621", "江口县"),
    ("520622", "玉屏侗族自治县"),
    ("520623", "石阡县"),
    ("520624", "思南县"),
    ("520625", "印江土家族苗族自治县"),
    ("520626", "德江县"),
    ("520627", "沿河土家族自治县"),
    ("520628", "松桃苗族自治县"),
];

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "罗", "龙", "田",
];
const GIVEN: [&str; 25] = [
    "伟", "芳", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英",
    "霞", "平", "刚", "桂英", "建华", "志强", "红梅", "海燕", "文斌", "晓东",
];

fn person_name(index: usize) -> String {
    format!(
        "{}{}",
        SURNAMES[index % SURNAMES.len()],
        GIVEN[(index * 7 + index / 20) % GIVEN.len()]
    )
}

pub fn regions() -> Vec<NewRegion> {
    let mut regions = vec![NewRegion {
        code: PROVINCE.0.into(),
        parent_code: None,
        name: PROVINCE.1.into(),
        level: RegionLevel::Province,
    }];
    regions.extend(CITIES.iter().map(|(code, name)| NewRegion {
        code: (*code).into(),
        parent_code: Some(PROVINCE.0.into()),
        name: (*name).into(),
        level: RegionLevel::City,
    }));
    regions.extend(COUNTIES.iter().map(|(code, name)| NewRegion {
        code: (*code).into(),
        parent_code: Some(SEED_CITY.into()),
        name: (*name).into(),
        level: RegionLevel::County,
    }));
    regions
}

/// Varied, deterministic trainee fields, so that statistics have something to show.
fn trainee_fields(n: usize) -> TraineeFields {
    use academy_shared::profile::{Education, Employment, Gender};
    TraineeFields {
        gender: Some(Gender::ALL[n % 3 % 2].code().into()),
        birth_year: Some(1960 + (n * 7 % 45) as i64),
        education: Some(Education::ALL[n * 5 % Education::ALL.len()].code().into()),
        employment: Some(Employment::ALL[n * 3 % Employment::ALL.len()].code().into()),
    }
}

/// Every demo account shares one hash: hashing 125 passwords at Argon2id cost
/// would add minutes to a debug-build test run and nothing to the demo.
pub fn users(password_hash: &str) -> Vec<NewUser> {
    let staff =
        |username: &str, real_name: String, region: &str, roles: Vec<Role>, n: usize| NewUser {
            username: username.into(),
            real_name,
            phone: Some(format!("1380000{n:04}")),
            region_code: Some(region.into()),
            work_unit: Some("铜仁市委组织部".into()),
            password_hash: password_hash.into(),
            roles,
            ..NewUser::default()
        };
    let mut users = vec![
        staff(
            "admin",
            "系统管理员".into(),
            PROVINCE.0,
            vec![Role::Admin],
            1,
        ),
        staff(
            "organizer",
            "培训班承办人".into(),
            SEED_CITY,
            vec![Role::Organizer],
            2,
        ),
        staff(
            "reviewer",
            "课件审核员".into(),
            SEED_CITY,
            vec![Role::Reviewer],
            3,
        ),
        staff(
            "supervisor",
            "省委组织部督导".into(),
            PROVINCE.0,
            vec![Role::Supervisor],
            4,
        ),
    ];
    for n in 1..=12 {
        let mut lecturer = staff(
            &format!("lecturer{n:02}"),
            person_name(200 + n),
            SEED_CITY,
            vec![Role::Lecturer],
            100 + n,
        );
        lecturer.work_unit = Some("铜仁市委党校".into());
        users.push(lecturer);
    }
    for (i, (county, county_name)) in COUNTIES.iter().enumerate() {
        let n = i + 1;
        let mut liaison = staff(
            &format!("liaison{n:02}"),
            person_name(300 + n),
            county,
            vec![Role::Liaison, Role::Learner],
            200 + n,
        );
        liaison.work_unit = Some(format!("{county_name}委组织部"));
        users.push(liaison);
    }
    for n in 1..=100 {
        let (county, county_name) = COUNTIES[(n - 1) / 10];
        users.push(NewUser {
            username: format!("learner{n:03}"),
            real_name: person_name(n),
            phone: Some(format!("1391234{n:04}")),
            region_code: Some(county.into()),
            work_unit: Some(format!("{county_name}流动党员党支部")),
            password_hash: password_hash.into(),
            roles: vec![Role::Learner],
            profile: trainee_fields(n),
            ..NewUser::default()
        });
    }
    users
}

/// Loads the demo data once. Returns whether anything was written.
pub async fn load(store: &Store, media: &dyn MediaStore) -> DbResult<bool> {
    let mut loaded = false;
    if store.meta(MARKER).await?.is_none() {
        let hash = app::auth::password::hash(DEMO_PASSWORD)
            .map_err(|e| DbError::Other(sqlx::Error::Protocol(format!("hashing: {e}"))))?;
        loaded |= store.load_once(MARKER, &regions(), &users(&hash)).await?;
    }
    if store.meta(COURSEWARE_MARKER).await?.is_none() {
        load_courseware(store, media).await?;
        loaded = true;
    }
    if store.meta(EXAMS_MARKER).await?.is_none() {
        crate::demo_exams::load(store).await?;
        store
            .set_meta_once(EXAMS_MARKER, &now_millis().to_string())
            .await?;
        loaded = true;
    }
    if store.meta(JOURNEY_MARKER).await?.is_none() {
        crate::demo_journey::load(store, media).await?;
        store
            .set_meta_once(JOURNEY_MARKER, &now_millis().to_string())
            .await?;
        loaded = true;
    }
    // Study groups, topics, discussions and summaries (keeps its own marker).
    loaded |= crate::demo_groups::load(store).await?;
    // 解疑答惑: questions and the FAQ (keeps its own marker).
    loaded |= crate::demo_support::load(store).await?;
    Ok(loaded)
}

const EXAMS_MARKER: &str = "demo_exams_loaded_at";

const JOURNEY_MARKER: &str = "demo_journey_loaded_at";

const COURSEWARE_MARKER: &str = "demo_courseware_loaded_at";

/// Short generated clips (ffmpeg test pattern and tone) and slides, so that a
/// newcomer sees the player working without uploading anything.
const LECTURE_MP4: &[u8] = include_bytes!("../demo/lecture.mp4");
pub(crate) const INTRO_MP4: &[u8] = include_bytes!("../demo/intro.mp4");
const SLIDES: [&[u8]; 3] = [
    include_bytes!("../demo/slide-1.png"),
    include_bytes!("../demo/slide-2.png"),
    include_bytes!("../demo/slide-3.png"),
];

fn io_error(error: std::io::Error) -> DbError {
    DbError::Other(sqlx::Error::Io(error))
}

/// Puts bytes into the media store and records them.
pub(crate) async fn demo_media(
    store: &Store,
    media: &dyn MediaStore,
    bytes: &[u8],
    kind: MediaKind,
    content_type: &str,
    file_name: &str,
    duration_ms: Option<i64>,
) -> DbResult<MediaFile> {
    use sha2::{Digest, Sha256};
    let sha256: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let extension = file_name.rsplit('.').next().unwrap_or("bin");
    let key = format!(
        "demo/{}-{}.{extension}",
        &sha256[..16],
        app::auth::session::new_token().get(..8).unwrap_or("0")
    );
    let staged = media
        .staging_dir()
        .join(format!("demo-{}", app::auth::session::new_token()));
    tokio::fs::write(&staged, bytes).await.map_err(io_error)?;
    media.put(&staged, &key).await.map_err(io_error)?;
    let new = NewMedia {
        storage_key: key,
        kind,
        content_type: content_type.into(),
        file_name: file_name.into(),
        size_bytes: bytes.len() as i64,
        sha256,
        duration_ms,
        uploaded_by: None,
        uploaded_at: now_millis(),
    };
    let id = store.insert_media(&new).await?;
    store.media(id).await
}

/// The eleven short generated clips of lessons 2–12 (`scripts/make-demo-videos.sh`).
const SHORT_LECTURES: [&[u8]; 11] = [
    include_bytes!("../demo/lectures/lecture-02.mp4"),
    include_bytes!("../demo/lectures/lecture-03.mp4"),
    include_bytes!("../demo/lectures/lecture-04.mp4"),
    include_bytes!("../demo/lectures/lecture-05.mp4"),
    include_bytes!("../demo/lectures/lecture-06.mp4"),
    include_bytes!("../demo/lectures/lecture-07.mp4"),
    include_bytes!("../demo/lectures/lecture-08.mp4"),
    include_bytes!("../demo/lectures/lecture-09.mp4"),
    include_bytes!("../demo/lectures/lecture-10.mp4"),
    include_bytes!("../demo/lectures/lecture-11.mp4"),
    include_bytes!("../demo/lectures/lecture-12.mp4"),
];

/// The seed's twelve courses: (title, topic), lecturer01–lecturer12 in order.
const LESSONS: [(&str, &str); 12] = [
    ("学习贯彻党的创新理论", "理论学习"),
    ("基层党组织建设实务", "党建实务"),
    ("新时代党员先锋模范作用", "党性教育"),
    ("党章党规党纪学习", "党章党规"),
    ("中国共产党历史专题", "党史学习"),
    ("乡村振兴政策解读", "政策解读"),
    ("外出务工党员的权益保障", "权益保障"),
    ("流动党员管理与组织生活", "党建实务"),
    ("廉洁自律与作风建设", "党性教育"),
    ("农村实用技术与创业", "技能培训"),
    ("网络安全与信息素养", "综合素质"),
    ("心理健康与家庭关系", "综合素质"),
];

/// The demo class's title; `demo_exams` and `demo_journey` find it by it.
pub const CLASS_TITLE: &str = "2026年党员教育示范培训班";

fn outline(points: [(i64, i64, &str); 6]) -> Vec<OutlineItem> {
    points
        .into_iter()
        .map(|(start_ms, level, body)| OutlineItem {
            start_ms,
            level,
            body: body.into(),
        })
        .collect()
}

/// Approves and publishes courseware the way its reviewers would.
pub(crate) async fn publish(
    store: &Store,
    id: academy_shared::ids::CoursewareId,
    lecturer: academy_shared::ids::UserId,
    reviewer: academy_shared::ids::UserId,
    organizer: academy_shared::ids::UserId,
    now: i64,
) -> DbResult<()> {
    review(
        store,
        id,
        &[
            (ReviewAction::Proofread, lecturer),
            (ReviewAction::Submit, lecturer),
            (ReviewAction::Approve, reviewer),
            (ReviewAction::Publish, organizer),
        ],
        now,
    )
    .await
}

/// Takes draft courseware through `steps`, each by its actor, by the rules.
pub(crate) async fn review(
    store: &Store,
    id: academy_shared::ids::CoursewareId,
    steps: &[(ReviewAction, academy_shared::ids::UserId)],
    now: i64,
) -> DbResult<()> {
    let mut from = ReviewState::Draft;
    for &(action, actor) in steps {
        let to = next_state(from, action)
            .map_err(|e| DbError::Conflict(app::store::Conflict::Unfit(e.to_string())))?;
        store
            .review_courseware(id, action, from, to, "", actor, now)
            .await?;
        from = to;
    }
    Ok(())
}

/// The seed's class: twelve published lessons (the first the 60-second
/// lecture with three slides, the others 20-second clips), one more course
/// still in review, every learner and liaison enrolled.
async fn load_courseware(store: &Store, media: &dyn MediaStore) -> DbResult<()> {
    let now = now_millis();
    let organizer = store.user_by_username("organizer").await?;
    let reviewer = store.user_by_username("reviewer").await?;
    let video = demo_media(
        store,
        media,
        LECTURE_MP4,
        MediaKind::Video,
        "video/mp4",
        "示范课程.mp4",
        Some(60_000),
    )
    .await?;
    let intro = demo_media(
        store,
        media,
        INTRO_MP4,
        MediaKind::Video,
        "video/mp4",
        "片头.mp4",
        Some(3_000),
    )
    .await?;
    let mut slide_images = Vec::new();
    for (i, bytes) in SLIDES.iter().enumerate() {
        slide_images.push(
            demo_media(
                store,
                media,
                bytes,
                MediaKind::Image,
                "image/png",
                &format!("幻灯片{}.png", i + 1),
                None,
            )
            .await?,
        );
    }
    let slides_every = |step_ms: i64| -> Vec<Slide> {
        slide_images
            .iter()
            .enumerate()
            .map(|(i, image)| Slide {
                start_ms: i as i64 * step_ms,
                media_id: image.id,
            })
            .collect()
    };
    let class_id = store
        .create_class(
            &NewClass {
                title: CLASS_TITLE.into(),
                state: ClassState::Published,
                idle_prompt_ms: 20 * 60_000,
                max_rate_milli: 2000,
                intro_media_id: Some(intro.id),
                outro_media_id: None,
            },
            organizer.id,
            now,
        )
        .await?;
    for (n, (title, topic)) in LESSONS.iter().enumerate() {
        let lecturer = store
            .user_by_username(&format!("lecturer{:02}", n + 1))
            .await?;
        let id = store
            .create_courseware(
                &CoursewareDetails {
                    title: (*title).into(),
                    lecturer_name: lecturer.real_name.clone(),
                    lecturer_id: Some(lecturer.id),
                    topic: (*topic).into(),
                },
                lecturer.id,
                now,
            )
            .await?;
        let (clip, slides, items) = match n.checked_sub(1).and_then(|i| SHORT_LECTURES.get(i)) {
            None => (
                video.clone(),
                slides_every(20_000),
                outline([
                    (0, 1, "一、开篇：为什么要学"),
                    (10_000, 2, "学习的目的与要求"),
                    (20_000, 1, "二、主要内容"),
                    (30_000, 2, "结合工作实际谈体会"),
                    (40_000, 1, "三、总结"),
                    (50_000, 2, "布置讨论题"),
                ]),
            ),
            Some(bytes) => (
                demo_media(
                    store,
                    media,
                    bytes,
                    MediaKind::Video,
                    "video/mp4",
                    &format!("第{}讲.mp4", n + 1),
                    Some(20_000),
                )
                .await?,
                slides_every(7_000),
                outline([
                    (0, 1, "一、导入"),
                    (3_000, 2, "本讲要点"),
                    (7_000, 1, "二、讲解"),
                    (10_000, 2, "案例分析"),
                    (14_000, 1, "三、小结"),
                    (17_000, 2, "思考题"),
                ]),
            ),
        };
        store.set_courseware_video(id, &clip, now).await?;
        store.set_cues(id, &slides, &items, now).await?;
        publish(store, id, lecturer.id, reviewer.id, organizer.id, now).await?;
        store.add_class_courseware(class_id, id).await?;
    }
    // One more course waiting for its reviewer, so the review queue has work.
    let lecturer = store.user_by_username("lecturer03").await?;
    let pending = store
        .create_courseware(
            &CoursewareDetails {
                title: "新时代党员先锋模范作用（修订版）".into(),
                lecturer_name: lecturer.real_name.clone(),
                lecturer_id: Some(lecturer.id),
                topic: "党性教育".into(),
            },
            lecturer.id,
            now,
        )
        .await?;
    store.set_courseware_video(pending, &video, now).await?;
    store
        .set_cues(pending, &slides_every(20_000), &[], now)
        .await?;
    review(
        store,
        pending,
        &[
            (ReviewAction::Proofread, lecturer.id),
            (ReviewAction::Submit, lecturer.id),
        ],
        now,
    )
    .await?;
    let mut learners = Vec::new();
    for n in 1..=100 {
        learners.push(store.user_by_username(&format!("learner{n:03}")).await?.id);
    }
    for n in 1..=10 {
        learners.push(store.user_by_username(&format!("liaison{n:02}")).await?.id);
    }
    store.enrol(class_id, &learners, now).await?;
    store
        .set_meta_once(COURSEWARE_MARKER, &now.to_string())
        .await?;
    Ok(())
}

pub fn accounts_help() -> String {
    format!(
        "演示账号 · demo accounts (password / 密码: {DEMO_PASSWORD})\n\
         \x20 admin                 管理员 administrator\n\
         \x20 organizer             承办单位 organizer\n\
         \x20 reviewer              审核 reviewer\n\
         \x20 supervisor            上级组织部 supervisor (read only)\n\
         \x20 lecturer01-lecturer12 讲师 lecturers\n\
         \x20 liaison01-liaison10   联络员 liaisons, one per county\n\
         \x20 learner001-learner100 学员 learners, ten per county\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn demo_has_the_seed_shape() {
        let regions = regions();
        assert_eq!(
            regions
                .iter()
                .filter(|r| r.level == RegionLevel::County)
                .count(),
            10
        );
        let users = users("x");
        let learners = users
            .iter()
            .filter(|u| u.username.starts_with("learner"))
            .count();
        assert_eq!(learners, 100);
        let usernames: HashSet<_> = users.iter().map(|u| &u.username).collect();
        assert_eq!(usernames.len(), users.len(), "usernames are unique");
        let phones: HashSet<_> = users.iter().map(|u| &u.phone).collect();
        assert_eq!(phones.len(), users.len(), "phones are unique");
        for user in &users {
            let phone = user.phone.as_deref().unwrap();
            assert!(
                academy_shared::phone::PhoneNumber::parse(phone).is_ok(),
                "{phone}"
            );
            assert!(academy_shared::validate::username(&user.username).is_ok());
        }
        assert!(academy_shared::validate::password(DEMO_PASSWORD).is_ok());
    }
}
