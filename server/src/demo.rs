//! Demo data: a province, its cities, the ten counties of the seed's city, and
//! the staff and 100 learners of the seed's class. Written only by `server demo`
//! (which the run command calls), never implicitly.

use academy_shared::region::RegionLevel;
use academy_shared::role::Role;
use app::store::{DbError, DbResult, NewRegion, NewUser, Store, TraineeFields};

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
        gender: Some(Gender::ALL[n % 3 % 2].as_str().into()),
        birth_year: Some(1960 + (n * 7 % 45) as i64),
        education: Some(Education::ALL[n * 5 % Education::ALL.len()].as_str().into()),
        employment: Some(
            Employment::ALL[n * 3 % Employment::ALL.len()]
                .as_str()
                .into(),
        ),
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
pub async fn load(store: &Store) -> DbResult<bool> {
    if store.meta(MARKER).await?.is_some() {
        return Ok(false);
    }
    let hash = app::auth::password::hash(DEMO_PASSWORD)
        .map_err(|e| DbError::Other(sqlx::Error::Protocol(format!("hashing: {e}"))))?;
    store.load_once(MARKER, &regions(), &users(&hash)).await
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
