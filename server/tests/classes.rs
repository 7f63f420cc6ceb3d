//! Running a training class over HTTP against the real server, on SQLite and,
//! when `TEST_DATABASE_URL` points at a PostgreSQL server we may create
//! databases on, on a fresh PostgreSQL database too: only organizers and
//! administrators may; a form with problems writes nothing; a stale form is
//! refused; only approved courseware; the class's two tests (the same plan
//! makes the final form B); publishing opens the exams; enrolment by names
//! (one unknown line enrols nobody), by region and from a spreadsheet; a
//! learner who reported in stays; a copy is a draft with the same courses,
//! tests and survey; a closed class is read-only and its exams are closed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use academy_shared::ids::{ClassId, CoursewareId, ExamId, RegionId, UserId};
use app::store::{CoursewareDetails, now_millis};
use base64::Engine;
use common::{
    Browser, FreshDatabase, PC_UA, PHONE_UA, Running, ok, ok_id, page, refused_saying, signed_in,
    start_with_demo,
};
use serde_json::{Value, json};
use server::config::Secret;
use std::collections::{BTreeSet, HashSet};

async fn save(server: &Running, browser: &mut Browser, input: &Value) -> (u16, String) {
    browser
        .post_json(server, "classes/save", json!({ "input": input }))
        .await
}

/// Saves the form; returns the class id.
async fn saved(server: &Running, browser: &mut Browser, input: &Value) -> ClassId {
    let (status, body) = save(server, browser, input).await;
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    ClassId(
        answer["Saved"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("not saved: {body}")),
    )
}

async fn form(server: &Running, browser: &mut Browser, id: Option<ClassId>) -> Value {
    match id {
        Some(id) => ok_id(server, browser, "classes/form", id).await,
        None => ok(server, browser, "classes/form", &[]).await,
    }
}

async fn roster_usernames(
    server: &Running,
    browser: &mut Browser,
    id: ClassId,
) -> BTreeSet<String> {
    ok_id(server, browser, "classes/roster", id)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["username"].as_str().unwrap().to_owned())
        .collect()
}

async fn enrol_names(server: &Running, browser: &mut Browser, id: ClassId, names: &str) -> Value {
    ok(
        server,
        browser,
        "classes/enrol",
        &[("id", &id.to_string()), ("names", names)],
    )
    .await
}

async fn enrol_file(
    server: &Running,
    browser: &mut Browser,
    id: ClassId,
    file_name: &str,
    bytes: &[u8],
) -> (u16, String) {
    browser
        .post_json(
            server,
            "classes/enrol-file",
            json!({
                "id": id,
                "file_name": file_name,
                "base64": base64::engine::general_purpose::STANDARD.encode(bytes),
            }),
        )
        .await
}

async fn exam_state(server: &Running, exam: Option<ExamId>) -> &'static str {
    server.store.exam(exam.unwrap()).await.unwrap().state.code()
}

/// The exams that belong to a class.
async fn class_exams(server: &Running, id: ClassId) -> Vec<ExamId> {
    server
        .store
        .exams()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.class_id == Some(id))
        .map(|e| e.id)
        .collect()
}

/// Learners and lecturers may not run classes; visitors must sign in.
async fn only_organizers(server: &Running) {
    let mut anonymous = Browser::new(PC_UA);
    refused_saying(
        server,
        &mut anonymous,
        "classes/all",
        &[],
        401,
        "Unauthenticated",
    )
    .await;
    let class_id = server.store.classes().await.unwrap()[0].id.to_string();
    let mut organizer = signed_in(server, "organizer", PC_UA).await;
    let mut input = form(server, &mut organizer, None).await["input"].clone();
    input["title"] = json!("学员自己建的班");
    for (username, ua) in [("learner001", PHONE_UA), ("lecturer01", PC_UA)] {
        let mut someone = signed_in(server, username, ua).await;
        let forbidden = "Forbidden";
        refused_saying(server, &mut someone, "classes/all", &[], 403, forbidden).await;
        refused_saying(server, &mut someone, "classes/form", &[], 403, forbidden).await;
        refused_saying(server, &mut someone, "classes/regions", &[], 403, forbidden).await;
        for endpoint in ["classes/roster", "classes/copy"] {
            refused_saying(
                server,
                &mut someone,
                endpoint,
                &[("id", &class_id)],
                403,
                forbidden,
            )
            .await;
        }
        refused_saying(
            server,
            &mut someone,
            "classes/state",
            &[("id", &class_id), ("to", "closed")],
            403,
            forbidden,
        )
        .await;
        refused_saying(
            server,
            &mut someone,
            "classes/enrol",
            &[("id", &class_id), ("names", "learner002")],
            403,
            forbidden,
        )
        .await;
        refused_saying(
            server,
            &mut someone,
            "classes/unenrol",
            &[("id", &class_id), ("user_id", "1")],
            403,
            forbidden,
        )
        .await;
        let (status, body) = save(server, &mut someone, &input).await;
        assert_eq!(status, 403, "{username}: {body}");
        let (status, body) = enrol_file(
            server,
            &mut someone,
            class_id.parse().unwrap(),
            "a.csv",
            b"learner002\n",
        )
        .await;
        assert_eq!(status, 403, "{username}: {body}");
    }
    assert!(
        server
            .store
            .classes()
            .await
            .unwrap()
            .iter()
            .all(|c| c.title != "学员自己建的班")
    );
}

/// The whole life of a class, as an organizer runs it.
async fn story(server: &Running) {
    only_organizers(server).await;
    let store = &server.store;
    let mut organizer = signed_in(server, "organizer", PC_UA).await;
    let classes_before = store.classes().await.unwrap().len();

    // ---- a new class: problems first, and nothing is written -------------
    let blank = form(server, &mut organizer, None).await;
    assert_eq!(blank["state"], "draft");
    assert_eq!(blank["has_survey"], false);
    let approved: Vec<i64> = blank["courseware"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_i64().unwrap())
        .collect();
    assert!(approved.len() >= 2, "the demo has approved courseware");
    let plans: Vec<(i64, String)> = blank["blueprints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b[0].as_i64().unwrap(), b[1].as_str().unwrap().to_owned()))
        .collect();
    assert!(plans.len() >= 2, "the demo has two paper plans");
    let pre_plan = plans
        .iter()
        .find(|(_, title)| title.contains("班前"))
        .unwrap_or(&plans[0])
        .0;
    let final_plan = plans.iter().find(|(id, _)| *id != pre_plan).unwrap().0;

    let mut bad = blank["input"].clone();
    bad["title"] = json!("班");
    bad["starts_on"] = json!("2026-02-30");
    bad["idle_prompt_seconds"] = json!(2);
    bad["max_rate_milli"] = json!(1750);
    bad["issuer"] = json!("发".repeat(81));
    bad["courseware"] = json!([approved[0], approved[0]]);
    let (status, body) = save(server, &mut organizer, &bad).await;
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    let fields: BTreeSet<&str> = answer["Problems"]
        .as_array()
        .unwrap_or_else(|| panic!("problems expected: {body}"))
        .iter()
        .map(|p| {
            assert!(!p["zh"].as_str().unwrap().is_empty());
            assert!(!p["en"].as_str().unwrap().is_empty());
            p["field"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from([
            "title",
            "starts_on",
            "idle_prompt_seconds",
            "max_rate_milli",
            "issuer",
            "courseware"
        ])
    );
    let mut backwards = blank["input"].clone();
    backwards["title"] = json!("日期颠倒的培训班");
    backwards["starts_on"] = json!("2026-12-20");
    backwards["ends_on"] = json!("2026-12-01");
    let (_, body) = save(server, &mut organizer, &backwards).await;
    assert!(body.contains("\"ends_on\""), "{body}");
    assert!(body.contains("结束日期不能早于开始日期"), "{body}");
    // Courseware that is not approved is refused before the class is made.
    let lecturer = store.user_by_username("lecturer01").await.unwrap();
    let unapproved = store
        .create_courseware(
            &CoursewareDetails {
                title: "尚在初剪的课件".into(),
                lecturer_name: lecturer.real_name.clone(),
                lecturer_id: Some(lecturer.id),
                topic: "理论学习".into(),
            },
            lecturer.id,
            now_millis(),
        )
        .await
        .unwrap();
    let mut unapproved_new = blank["input"].clone();
    unapproved_new["title"] = json!("带未审核课件的培训班");
    unapproved_new["courseware"] = json!([approved[0], unapproved]);
    let (status, body) = save(server, &mut organizer, &unapproved_new).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("只能加入已审核通过的课程"), "{body}");
    assert_eq!(store.classes().await.unwrap().len(), classes_before);

    // ---- created: a draft with the default survey --------------------------
    let mut input = blank["input"].clone();
    input["title"] = json!("  2027年外出务工党员网络培训班 ");
    input["description"] = json!("面向在外务工党员的线上培训。");
    input["starts_on"] = json!("2027-03-01");
    input["ends_on"] = json!("2027-03-31");
    input["idle_prompt_seconds"] = json!(900);
    input["max_rate_milli"] = json!(1500);
    input["issuer"] = json!("中共铜仁市委组织部");
    input["completion"]["min_credited_minutes"] = json!(120);
    input["gating"]["survey_after_courses"] = json!(true);
    input["default_survey"] = json!(true);
    let id = saved(server, &mut organizer, &input).await;
    let ids = id.to_string();
    assert_eq!(store.classes().await.unwrap().len(), classes_before + 1);
    let loaded = form(server, &mut organizer, Some(id)).await;
    assert_eq!(loaded["state"], "draft");
    assert_eq!(loaded["has_survey"], true);
    let got = &loaded["input"];
    assert_eq!(got["id"], id.0);
    assert_eq!(got["title"], "2027年外出务工党员网络培训班");
    assert_eq!(got["starts_on"], "2027-03-01");
    assert_eq!(got["ends_on"], "2027-03-31");
    assert_eq!(got["idle_prompt_seconds"], 900);
    assert_eq!(got["max_rate_milli"], 1500);
    assert_eq!(got["issuer"], "中共铜仁市委组织部");
    assert_eq!(got["completion"]["min_credited_minutes"], 120);
    assert_eq!(got["gating"]["survey_after_courses"], true);
    assert_eq!(got["courseware"], json!([]));
    assert!(got["updated_at"].as_i64().unwrap() > 0);
    assert_eq!(
        store.class_survey(id).await.unwrap().unwrap(),
        academy_shared::survey::default_template()
    );
    let rows = ok(server, &mut organizer, "classes/all", &[]).await;
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.0)
        .unwrap();
    assert_eq!(row["state"], "draft");
    assert_eq!(row["enrolled"], 0);
    assert_eq!(row["lessons"], 0);
    assert_eq!(row["dates"], "2027-03-01 – 2027-03-31");

    // A class without courses is not published.
    refused_saying(
        server,
        &mut organizer,
        "classes/state",
        &[("id", &ids), ("to", "published")],
        400,
        "发布前请先加入课程",
    )
    .await;
    assert_eq!(store.class(id).await.unwrap().state.code(), "draft");

    // ---- edited; a form loaded before someone else's save is refused -------
    let stale = loaded["input"].clone();
    let mut edit = stale.clone();
    edit["title"] = json!("2027年外出务工党员网络培训班（第一期）");
    assert_eq!(saved(server, &mut organizer, &edit).await, id);
    let mut late = stale.clone();
    late["title"] = json!("被覆盖的标题");
    let (status, body) = save(server, &mut organizer, &late).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("已被他人修改"), "{body}");
    assert_eq!(
        store.class(id).await.unwrap().title,
        "2027年外出务工党员网络培训班（第一期）"
    );

    // ---- courses: only approved ones; a refusal changes nothing -------------
    let current = form(server, &mut organizer, Some(id)).await["input"].clone();
    let before = store.class(id).await.unwrap();
    let mut with_draft = current.clone();
    with_draft["title"] = json!("不该保存的标题");
    with_draft["courseware"] = json!([approved[1], unapproved]);
    let (status, body) = save(server, &mut organizer, &with_draft).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("只能加入已审核通过的课程"), "{body}");
    assert_eq!(
        store.class(id).await.unwrap(),
        before,
        "nothing was written"
    );
    assert!(store.class_lessons(id).await.unwrap().is_empty());
    let mut with_courses = current.clone();
    with_courses["courseware"] = json!([approved[1], approved[0]]);
    saved(server, &mut organizer, &with_courses).await;
    assert_eq!(
        store.class_lessons(id).await.unwrap(),
        vec![CoursewareId(approved[1]), CoursewareId(approved[0])]
    );

    // ---- the tests: the same plan twice makes the final form B --------------
    let mut plans_input = form(server, &mut organizer, Some(id)).await["input"].clone();
    assert_eq!(plans_input["courseware"], json!([approved[1], approved[0]]));
    plans_input["pre_blueprint"] = json!(pre_plan);
    plans_input["final_blueprint"] = json!(pre_plan);
    saved(server, &mut organizer, &plans_input).await;
    let class = store.class(id).await.unwrap();
    let pre = store.exam(class.pre_exam.unwrap()).await.unwrap();
    let first_final = store.exam(class.final_exam.unwrap()).await.unwrap();
    assert_eq!((pre.blueprint_id.0, pre.form.as_str()), (pre_plan, "A"));
    assert_eq!(
        (first_final.blueprint_id.0, first_final.form.as_str()),
        (pre_plan, "B")
    );
    assert_eq!((pre.state.code(), pre.class_id), ("draft", Some(id)));
    // Another plan for the final: a new exam, and the replaced one is gone
    // (it would otherwise open with the class).
    let mut other_final = form(server, &mut organizer, Some(id)).await["input"].clone();
    assert_eq!(other_final["pre_blueprint"], pre_plan);
    assert_eq!(other_final["final_blueprint"], pre_plan);
    other_final["final_blueprint"] = json!(final_plan);
    saved(server, &mut organizer, &other_final).await;
    let class = store.class(id).await.unwrap();
    assert_eq!(
        class.pre_exam,
        Some(pre.id),
        "an unchanged plan keeps its exam"
    );
    let final_exam = store.exam(class.final_exam.unwrap()).await.unwrap();
    assert_eq!(
        (final_exam.blueprint_id.0, final_exam.form.as_str()),
        (final_plan, "A")
    );
    assert!(store.exam(first_final.id).await.is_err());
    let mut exams = class_exams(server, id).await;
    exams.sort();
    let mut linked = vec![pre.id, final_exam.id];
    linked.sort();
    assert_eq!(exams, linked);

    // ---- published: the exams open --------------------------------------
    ok(
        server,
        &mut organizer,
        "classes/state",
        &[("id", &ids), ("to", "published")],
    )
    .await;
    let class = store.class(id).await.unwrap();
    assert_eq!(class.state.code(), "published");
    assert!(class.published_at.is_some());
    assert_eq!(exam_state(server, class.pre_exam).await, "open");
    assert_eq!(exam_state(server, class.final_exam).await, "open");
    refused_saying(
        server,
        &mut organizer,
        "classes/state",
        &[("id", &ids), ("to", "published")],
        400,
        "培训班已是“已发布”状态",
    )
    .await;

    // ---- enrolment by names: one unknown line enrols nobody ---------------
    let phone_of = |username: &'static str| async move {
        store
            .user_by_username(username)
            .await
            .unwrap()
            .phone
            .unwrap()
    };
    let report = enrol_names(
        server,
        &mut organizer,
        id,
        "learner001\nnobody_here\n\n13999999999\nlearner002",
    )
    .await;
    assert_eq!(
        report,
        json!({ "added": 0, "already": 0, "unknown": [[2, "nobody_here"], [4, "13999999999"]] })
    );
    assert!(
        roster_usernames(server, &mut organizer, id)
            .await
            .is_empty()
    );
    let phone3 = phone_of("learner003").await;
    let report = enrol_names(
        server,
        &mut organizer,
        id,
        &format!("learner001\n  learner002  \n{phone3}\nlearner001\n"),
    )
    .await;
    assert_eq!(report, json!({ "added": 3, "already": 0, "unknown": [] }));
    let report = enrol_names(server, &mut organizer, id, "learner001").await;
    assert_eq!(report, json!({ "added": 0, "already": 1, "unknown": [] }));
    assert_eq!(
        roster_usernames(server, &mut organizer, id).await,
        BTreeSet::from([
            "learner001".into(),
            "learner002".into(),
            "learner003".into()
        ])
    );
    // Phones are masked on the roster and on its page.
    let roster = ok(server, &mut organizer, "classes/roster", &[("id", &ids)]).await;
    let learner3 = roster
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["username"] == "learner003")
        .unwrap();
    assert_eq!(
        learner3["phone_masked"],
        academy_shared::phone::mask(&phone3)
    );
    assert_eq!(learner3["reported"], false);
    let html = page(server, &organizer, &format!("/classes/{id}/learners")).await;
    assert!(html.contains("learner003"));
    assert!(
        !html.contains(&phone3),
        "the roster page shows a full phone number"
    );

    // ---- by region: every learner in it and below ---------------------------
    let region: RegionId = store
        .user_by_username("learner010")
        .await
        .unwrap()
        .region_id
        .unwrap();
    let offered = ok(server, &mut organizer, "classes/regions", &[]).await;
    assert!(offered.as_array().unwrap().iter().any(|r| r[0] == region.0));
    let in_region: HashSet<UserId> = store
        .learners_in_regions(&store.region_subtree(region).await.unwrap())
        .await
        .unwrap()
        .into_iter()
        .collect();
    let enrolled_before: HashSet<UserId> = store
        .enrolled(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.user)
        .collect();
    let report = ok(
        server,
        &mut organizer,
        "classes/enrol-region",
        &[("id", &ids), ("region", &region.0.to_string())],
    )
    .await;
    let already = in_region.intersection(&enrolled_before).count() as u64;
    assert_eq!(report["added"], in_region.len() as u64 - already);
    assert_eq!(report["already"], already);
    assert!(report["added"].as_u64().unwrap() > 0);
    assert!(
        roster_usernames(server, &mut organizer, id)
            .await
            .contains("learner010")
    );
    refused_saying(
        server,
        &mut organizer,
        "classes/enrol-region",
        &[("id", &ids), ("region", "999999")],
        404,
        "",
    )
    .await;

    // ---- from a spreadsheet: the column headed 用户名 or 手机号 -----------
    let (status, body) = enrol_file(
        server,
        &mut organizer,
        id,
        "名单.csv",
        "姓名,用户名\n王伟,learner099\n无名,ghost_user\n".as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let report: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        report,
        json!({ "added": 0, "already": 0, "unknown": [[3, "ghost_user"]] })
    );
    assert!(
        !roster_usernames(server, &mut organizer, id)
            .await
            .contains("learner099")
    );
    let phone98 = phone_of("learner098").await;
    let (status, body) = enrol_file(
        server,
        &mut organizer,
        id,
        "名单.csv",
        format!("手机号\n{phone98}\n").as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({ "added": 1, "already": 0, "unknown": [] })
    );

    // ---- unenrol: not once the learner has reported in ----------------------
    let learner1 = store.user_by_username("learner001").await.unwrap().id;
    let learner2 = store.user_by_username("learner002").await.unwrap().id;
    ok(
        server,
        &mut organizer,
        "classes/unenrol",
        &[("id", &ids), ("user_id", &learner1.0.to_string())],
    )
    .await;
    assert!(
        !roster_usernames(server, &mut organizer, id)
            .await
            .contains("learner001")
    );
    assert!(store.report_in(id, learner2, now_millis()).await.unwrap());
    refused_saying(
        server,
        &mut organizer,
        "classes/unenrol",
        &[("id", &ids), ("user_id", &learner2.0.to_string())],
        400,
        "学员已报到，不能移出",
    )
    .await;
    let roster = ok(server, &mut organizer, "classes/roster", &[("id", &ids)]).await;
    assert!(
        roster
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["username"] == "learner002" && r["reported"] == true)
    );
    // Nor unpublished, now that someone has reported in.
    refused_saying(
        server,
        &mut organizer,
        "classes/state",
        &[("id", &ids), ("to", "draft")],
        400,
        "已有学员报到，不能撤回发布",
    )
    .await;

    // ---- copied: a draft with the same courses, tests and survey -----------
    let copy = ClassId(
        ok(server, &mut organizer, "classes/copy", &[("id", &ids)])
            .await
            .as_i64()
            .unwrap(),
    );
    assert_ne!(copy, id);
    let copied = store.class(copy).await.unwrap();
    assert_eq!(copied.state.code(), "draft");
    assert_eq!(
        copied.title,
        "2027年外出务工党员网络培训班（第一期）（副本）"
    );
    assert_eq!((copied.starts_on, copied.ends_on), (None, None));
    assert_eq!(copied.idle_prompt_ms, 900_000);
    assert_eq!(copied.issuer, "中共铜仁市委组织部");
    assert_eq!(
        store.class_lessons(copy).await.unwrap(),
        vec![CoursewareId(approved[1]), CoursewareId(approved[0])]
    );
    assert_eq!(
        store.class_survey(copy).await.unwrap(),
        store.class_survey(id).await.unwrap()
    );
    let copy_pre = store.exam(copied.pre_exam.unwrap()).await.unwrap();
    let copy_final = store.exam(copied.final_exam.unwrap()).await.unwrap();
    assert_ne!(copy_pre.id, pre.id);
    assert_eq!(
        (copy_pre.blueprint_id.0, copy_pre.state.code()),
        (pre_plan, "draft")
    );
    assert_eq!(copy_final.blueprint_id.0, final_plan);
    assert_eq!(copy_pre.class_id, Some(copy));
    assert!(
        roster_usernames(server, &mut organizer, copy)
            .await
            .is_empty()
    );
    assert_eq!(store.class(id).await.unwrap().state.code(), "published");

    // ---- started, then closed: read-only, exams closed ---------------------
    ok(
        server,
        &mut organizer,
        "classes/state",
        &[("id", &ids), ("to", "running")],
    )
    .await;
    ok(
        server,
        &mut organizer,
        "classes/state",
        &[("id", &ids), ("to", "closed")],
    )
    .await;
    let class = store.class(id).await.unwrap();
    assert_eq!(class.state.code(), "closed");
    assert!(class.closed_at.is_some());
    assert_eq!(exam_state(server, class.pre_exam).await, "closed");
    assert_eq!(exam_state(server, class.final_exam).await, "closed");
    let on_roster = roster_usernames(server, &mut organizer, id).await;
    let outsider = (1..=100)
        .map(|n| format!("learner{n:03}"))
        .find(|u| !on_roster.contains(u))
        .unwrap();
    let closed_form = form(server, &mut organizer, Some(id)).await;
    assert_eq!(closed_form["state"], "closed");
    let mut after = closed_form["input"].clone();
    after["title"] = json!("结束后改的标题");
    let (status, body) = save(server, &mut organizer, &after).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("培训班已结束，只能查看"), "{body}");
    let closed = "培训班已结束";
    refused_saying(
        server,
        &mut organizer,
        "classes/enrol",
        &[("id", &ids), ("names", &outsider)],
        400,
        closed,
    )
    .await;
    refused_saying(
        server,
        &mut organizer,
        "classes/enrol-region",
        &[("id", &ids), ("region", &region.0.to_string())],
        400,
        closed,
    )
    .await;
    let (status, body) = enrol_file(
        server,
        &mut organizer,
        id,
        "a.csv",
        format!("{outsider}\n").as_bytes(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let learner3 = store.user_by_username("learner003").await.unwrap().id;
    refused_saying(
        server,
        &mut organizer,
        "classes/unenrol",
        &[("id", &ids), ("user_id", &learner3.0.to_string())],
        400,
        closed,
    )
    .await;
    refused_saying(
        server,
        &mut organizer,
        "classes/state",
        &[("id", &ids), ("to", "running")],
        400,
        "培训班不能从“已结束”改为“进行中”",
    )
    .await;
    let class_after = store.class(id).await.unwrap();
    assert_eq!(class_after.title, "2027年外出务工党员网络培训班（第一期）");
    assert!(
        !roster_usernames(server, &mut organizer, id)
            .await
            .contains(&outsider)
    );
    // A closed class can still be copied.
    ok(server, &mut organizer, "classes/copy", &[("id", &ids)]).await;

    // ---- the pages render for the organizer ----------------------------------
    let list = page(server, &organizer, "/classes").await;
    assert!(list.contains("2027年外出务工党员网络培训班（第一期）"));
    assert!(list.contains("新建培训班"));
    let edit_page = page(server, &organizer, &format!("/classes/{id}")).await;
    assert!(edit_page.contains("培训班已结束，只能查看，不能再修改"));
    let new_page = page(server, &organizer, "/classes/new").await;
    assert!(new_page.contains("新建培训班"));
}

#[tokio::test]
async fn an_organizer_runs_a_class_on_sqlite() {
    let server = start_with_demo(|c| c).await;
    story(&server).await;
}

#[tokio::test]
async fn an_organizer_runs_a_class_on_postgres() {
    let Some(db) = FreshDatabase::create("classes").await else {
        return;
    };
    let url = db.url.clone();
    let server = start_with_demo(|mut c| {
        c.database_url = Secret::new(url);
        c
    })
    .await;
    story(&server).await;
    db.drop_now(&server.store).await;
}
