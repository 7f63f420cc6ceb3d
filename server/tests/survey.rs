//! The evaluation survey (培训评价) over HTTP against the real server, on
//! SQLite and, when `TEST_DATABASE_URL` points at a PostgreSQL server we may
//! create databases on, on PostgreSQL too: the builder refuses invalid
//! surveys and any change once learners answered; a learner's answers are
//! checked before anything is stored (a 37-character opinion is refused
//! with the item's message), stored, and editable until the class closes;
//! learners not enrolled find nothing; results count and share per option;
//! an anonymous survey shows no name in results or export; the .xlsx export
//! is a real workbook whose text cells stay text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use academy_shared::class::ClassState;
use academy_shared::ids::ClassId;
use academy_shared::survey::{Answer, ItemKind, SATISFACTION_KEY, Survey, default_template};
use app::store::{Store, now_millis};
use common::{
    Browser, PC_UA, PHONE_UA, Running, get, ok_id, ok_json, page, signed_in,
    start_postgres_with_people, start_with_people,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A text that must stay inert wherever it is shown or exported.
const TRICKY: &str = "< > & ' \" 碁 <script>alert(1)</script>";
/// A text Excel would take for a formula if it were not written as text.
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"点击\")";

/// Valid answers to the default template: option `satisfaction` for the
/// overall-satisfaction item, the first option elsewhere, top ratings.
fn answers(survey: &Survey, satisfaction: u8, opinion: &str) -> BTreeMap<String, Answer> {
    survey
        .items
        .iter()
        .map(|item| {
            let answer = match item.kind {
                ItemKind::Single if item.key == SATISFACTION_KEY => Answer::Choice(satisfaction),
                ItemKind::Single => Answer::Choice(0),
                ItemKind::Multiple => Answer::Choices(vec![2, 0]),
                ItemKind::Rating { max, .. } => Answer::Rating(max),
                ItemKind::Text { .. } => Answer::Text(opinion.to_owned()),
            };
            (item.key.clone(), answer)
        })
        .collect()
}

fn opinion(start: &str) -> String {
    format!("{start}{}", "课程内容贴近实际，手机学习很方便。".repeat(8))
}

async fn submit(
    server: &Running,
    learner: &mut Browser,
    class: ClassId,
    answers: &BTreeMap<String, Answer>,
) -> (u16, Value) {
    let (status, body) = learner
        .post_json(
            server,
            "survey/submit",
            json!({ "id": class, "answers": answers }),
        )
        .await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

async fn export(server: &Running, browser: &Browser, class: ClassId) -> reqwest::Response {
    get(
        server,
        browser,
        &format!("/exports/classes/{class}/survey.xlsx"),
    )
    .await
}

async fn real_name(store: &Store, username: &str) -> String {
    store.user_by_username(username).await.unwrap().real_name
}

/// Every text of the rows, for looking things up.
fn cells(rows: &[Vec<String>]) -> Vec<&str> {
    rows.iter().flatten().map(String::as_str).collect()
}

async fn story(server: &Running) {
    let store = &server.store;
    let class = common::published_class_with(
        store,
        "2024年流动党员网络培训班",
        &["learner001", "learner002", "learner003"],
    )
    .await;
    let mut organizer = signed_in(server, "organizer", PC_UA).await;
    let mut supervisor = signed_in(server, "supervisor", PC_UA).await;
    let mut l1 = signed_in(server, "learner001", PHONE_UA).await;
    let mut l2 = signed_in(server, "learner002", PHONE_UA).await;
    let mut l3 = signed_in(server, "learner003", PHONE_UA).await;
    let mut outsider = signed_in(server, "learner050", PHONE_UA).await;

    // ---- the builder ----
    // A survey without title or items is refused, with every problem, and not stored.
    let saved = ok_json(
        server,
        &mut organizer,
        "survey/save",
        json!({ "id": class, "survey": { "title": " ", "intro": "", "items": [], "anonymous_to_staff": false } }),
    )
    .await;
    let fields: Vec<&str> = saved["Problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "items"], "{saved}");
    assert!(
        saved["Problems"][0]["zh"]
            .as_str()
            .unwrap()
            .contains("标题")
    );
    let mut bad = default_template();
    bad.items[3].options.truncate(1);
    bad.items[5].key = bad.items[4].key.clone();
    let saved = ok_json(
        server,
        &mut organizer,
        "survey/save",
        json!({ "id": class, "survey": bad }),
    )
    .await;
    let problems = saved["Problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 2, "{saved}");
    assert_eq!(problems[0]["field"], "q04");
    assert!(problems[1]["en"].as_str().unwrap().contains("already used"));
    assert_eq!(store.class_survey(class).await.unwrap(), None);

    // Only organizers and administrators build surveys.
    let (status, _) = l1
        .post(server, "survey/default", &[("id", &class.to_string())])
        .await;
    assert_eq!(status, 403);
    let (status, _) = supervisor
        .post(server, "survey/default", &[("id", &class.to_string())])
        .await;
    assert_eq!(status, 403);

    // The default 22-item template (anonymous, as the seed's was).
    assert_eq!(
        ok_id(server, &mut organizer, "survey/default", class).await,
        "Saved"
    );
    let stored = store.class_survey(class).await.unwrap().expect("saved");
    assert_eq!(stored, default_template());
    assert_eq!(stored.items.len(), 22);
    assert!(stored.anonymous_to_staff);
    // Until someone answers, it may still change: this class's is not anonymous.
    let mut survey = default_template();
    survey.anonymous_to_staff = false;
    survey.title = format!("  {}  ", survey.title);
    let saved = ok_json(
        server,
        &mut organizer,
        "survey/save",
        json!({ "id": class, "survey": survey }),
    )
    .await;
    assert_eq!(saved, "Saved");
    survey.title = survey.title.trim().to_owned();
    assert_eq!(
        store.class_survey(class).await.unwrap(),
        Some(survey.clone())
    );
    let builder = ok_id(server, &mut organizer, "survey/builder", class).await;
    assert_eq!(builder["answered"], 0);
    assert_eq!(builder["may_edit"], true);
    assert_eq!(builder["survey"]["items"].as_array().unwrap().len(), 22);

    // ---- the learner ----
    let mine = ok_id(server, &mut l1, "survey/mine", class).await;
    assert_eq!(mine["editable"], true, "{mine}");
    assert_eq!(mine["survey"]["items"].as_array().unwrap().len(), 22);
    assert!(mine["answers"].as_object().unwrap().is_empty());
    assert!(mine["saved_at"].is_null());

    // A 37-character opinion is refused with the item's own message; nothing is stored.
    let short: String = "好".repeat(37);
    let (status, answer) = submit(server, &mut l1, class, &answers(&survey, 0, &short)).await;
    assert_eq!(status, 200, "{answer}");
    let problems = answer["Problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{answer}");
    assert_eq!(problems[0]["field"], "q22");
    assert_eq!(problems[0]["zh"], "第 22 题至少需要 100 个字，目前 37 个字");
    assert_eq!(
        problems[0]["en"],
        "Item 22 needs at least 100 characters; it has 37"
    );
    let l1_id = store.user_by_username("learner001").await.unwrap().id;
    assert_eq!(store.survey_response(class, l1_id).await.unwrap(), None);
    assert_eq!(store.survey_response_count(class).await.unwrap(), 0);
    // Answers the survey does not have, or out of range, are refused the same way.
    let mut wrong = answers(&survey, 0, &opinion("很好。"));
    wrong.insert("q01".into(), Answer::Choice(7));
    wrong.insert("nope".into(), Answer::Choice(0));
    let (_, answer) = submit(server, &mut l1, class, &wrong).await;
    let fields: Vec<&str> = answer["Problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["nope", "q01"], "{answer}");
    assert_eq!(store.survey_response_count(class).await.unwrap(), 0);

    // A valid response is stored (the opinion trimmed).
    let first = opinion("  第一次提交：");
    let (status, answer) = submit(server, &mut l1, class, &answers(&survey, 0, &first)).await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer["Saved"]["saved_at"].as_i64().unwrap() > 0,
        "{answer}"
    );
    let (stored, _) = store
        .survey_response(class, l1_id)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(stored["q22"], Answer::Text(first.trim().to_owned()));
    assert_eq!(stored["q16"], Answer::Choices(vec![0, 2]));
    assert_eq!(stored[SATISFACTION_KEY], Answer::Choice(0));

    // Editing again is allowed while the class is open.
    let second = opinion("修改后：");
    let (status, answer) = submit(server, &mut l1, class, &answers(&survey, 1, &second)).await;
    assert_eq!(status, 200, "{answer}");
    let mine = ok_id(server, &mut l1, "survey/mine", class).await;
    assert_eq!(mine["editable"], true);
    assert_eq!(mine["answers"][SATISFACTION_KEY]["Choice"], 1);
    assert_eq!(mine["answers"]["q22"]["Text"], second.as_str());
    assert!(mine["saved_at"].as_i64().is_some());
    assert_eq!(store.survey_response_count(class).await.unwrap(), 1);

    // A learner not enrolled finds nothing, and stores nothing.
    let (status, _) = outsider
        .post(server, "survey/mine", &[("id", &class.to_string())])
        .await;
    assert_eq!(status, 404);
    let (status, _) = submit(server, &mut outsider, class, &answers(&survey, 0, &first)).await;
    assert_eq!(status, 404);
    let (status, _) = l1.post(server, "survey/mine", &[("id", "999999")]).await;
    assert_eq!(status, 404);
    assert_eq!(store.survey_response_count(class).await.unwrap(), 1);

    // ---- the builder, once answered ----
    let mut changed = default_template();
    changed.title = "改过的问卷".into();
    let (status, body) = organizer
        .post_json(
            server,
            "survey/save",
            json!({ "id": class, "survey": changed }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("已有学员提交"), "{body}");
    let (status, _) = organizer
        .post_json(
            server,
            "survey/save",
            json!({ "id": class, "survey": null }),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = organizer
        .post(server, "survey/default", &[("id", &class.to_string())])
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        store.class_survey(class).await.unwrap(),
        Some(survey.clone())
    );
    let builder = ok_id(server, &mut organizer, "survey/builder", class).await;
    assert_eq!(builder["answered"], 1);
    assert_eq!(builder["may_edit"], false);

    // ---- results ----
    let tricky = opinion(TRICKY);
    let formula = opinion(FORMULA);
    let (status, _) = submit(server, &mut l2, class, &answers(&survey, 2, &tricky)).await;
    assert_eq!(status, 200);
    let (status, _) = submit(server, &mut l3, class, &answers(&survey, 3, &formula)).await;
    assert_eq!(status, 200);

    let results = ok_id(server, &mut organizer, "survey/results", class).await;
    assert_eq!(results["responses"], 3);
    assert_eq!(results["enrolled"], 3);
    assert_eq!(results["anonymous"], false);
    assert_eq!(results["may_manage"], true);
    // 基本满意 (l1), 一般 (l2), 不满意 (l3): one of three satisfied.
    assert_eq!(results["satisfaction"], json!([1, 3]));
    let items = results["items"].as_array().unwrap();
    assert_eq!(items.len(), 22);
    let satisfaction = items
        .iter()
        .find(|i| i["tally"]["key"] == SATISFACTION_KEY)
        .unwrap();
    assert_eq!(satisfaction["tally"]["answered"], 3);
    let counts: Vec<i64> = satisfaction["tally"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [0, 1, 1, 1]);
    let shares: Vec<i64> = satisfaction["tally"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["basis_points"].as_i64().unwrap())
        .collect();
    assert_eq!(shares, [0, 3333, 3333, 3333]);
    assert_eq!(items[0]["tally"]["buckets"][0]["count"], 3);
    assert_eq!(items[0]["tally"]["buckets"][0]["basis_points"], 10_000);
    let rating = items.iter().find(|i| i["tally"]["key"] == "q10").unwrap();
    assert_eq!(rating["tally"]["mean_centi"], 500);
    let texts = items[21]["texts"].as_array().unwrap();
    assert_eq!(texts.len(), 3);
    assert_eq!(
        texts[0]["name"],
        real_name(store, "learner001").await.as_str()
    );
    assert_eq!(texts[0]["text"], second.as_str());
    assert!(texts.iter().any(|t| t["text"] == tricky.as_str()));
    // Supervisors read results (but never change the survey); learners do not.
    // Three answers in the supervisor's regions are too few to show: they
    // would tell who answered what.
    let read = ok_id(server, &mut supervisor, "survey/results", class).await;
    assert_eq!(read["responses"], 3);
    assert_eq!(read["may_manage"], false);
    assert_eq!(read["scoped"], true);
    assert_eq!(read["withheld_below"], 5);
    assert_eq!(read["items"], json!([]));
    assert_eq!(read["satisfaction"], Value::Null);
    let (status, _) = l1
        .post(server, "survey/results", &[("id", &class.to_string())])
        .await;
    assert_eq!(status, 403);

    // The pages render on the server; learners' text stays text there too.
    let html = page(server, &l1, &format!("/classes/{class}/survey")).await;
    assert!(html.contains("已写 "), "the live counter");
    assert!(html.contains("<fieldset"), "one fieldset per item");
    assert!(html.contains("您的性别"));
    let html = page(
        server,
        &organizer,
        &format!("/classes/{class}/survey/results"),
    )
    .await;
    assert!(html.contains("培训评价结果"));
    assert!(html.contains(&format!("/exports/classes/{class}/survey.xlsx")));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped"
    );
    assert!(!html.contains("<script>alert(1)"), "never markup");
    let html = page(server, &organizer, &format!("/classes/{class}/survey/edit")).await;
    assert!(html.contains("survey-readonly"), "read-only once answered");

    // ---- the export ----
    let response = export(server, &organizer, class).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "not a zip");
    let (summary, _) = app::admin::import::decode_sheet("survey.xlsx", &bytes).unwrap();
    let summary_cells = cells(&summary);
    assert!(summary_cells.contains(&"培训评价汇总"));
    // Text comes back exactly as written: escaped for XML, never a formula.
    assert!(summary_cells.contains(&tricky.as_str()), "{summary:?}");
    assert!(summary_cells.contains(&formula.as_str()), "{summary:?}");
    assert!(summary_cells.contains(&"基本满意"));
    let sheets = app::classes::survey::survey_sheets(store, class)
        .await
        .unwrap();
    assert_eq!(sheets.responses.len(), 4);
    assert_eq!(sheets.responses[0][1].text(), "姓名");
    assert_eq!(sheets.responses[0].len(), 2 + 22);
    let names: Vec<String> = sheets.responses[1..].iter().map(|r| r[1].text()).collect();
    assert!(names.contains(&real_name(store, "learner002").await));
    let response = export(server, &supervisor, class).await;
    assert_eq!(response.status(), 400, "withheld: fewer than five answered");
    let response = export(server, &l1, class).await;
    assert_eq!(response.status(), 404);
    let response = export(server, &Browser::new(PC_UA), class).await;
    assert_eq!(response.status(), 401);

    // ---- closing the class ----
    assert!(
        store
            .set_class_state(
                class,
                ClassState::Published,
                ClassState::Closed,
                now_millis()
            )
            .await
            .unwrap()
    );
    let (status, answer) = submit(server, &mut l1, class, &answers(&survey, 0, &first)).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.to_string().contains("培训班已结束"), "{answer}");
    let mine = ok_id(server, &mut l1, "survey/mine", class).await;
    assert_eq!(mine["editable"], false);
    assert_eq!(mine["answers"][SATISFACTION_KEY]["Choice"], 1, "kept");
    let (status, _) = organizer
        .post(server, "survey/default", &[("id", &class.to_string())])
        .await;
    assert_eq!(status, 400);

    anonymous_story(server, &mut organizer).await;
}

/// An anonymous survey: no names (nor anything else naming a learner) in
/// results or export.
async fn anonymous_story(server: &Running, organizer: &mut Browser) {
    let store = &server.store;
    let learners = ["learner004", "learner005"];
    let class = common::published_class_with(store, "匿名评价班", &learners).await;
    // The default template is anonymous to staff.
    let survey = default_template();
    assert!(survey.anonymous_to_staff);
    assert_eq!(
        ok_id(server, organizer, "survey/default", class).await,
        "Saved"
    );
    for (n, username) in learners.iter().enumerate() {
        let mut learner = signed_in(server, username, PHONE_UA).await;
        let text = opinion(&format!("匿名意见{n}：{TRICKY}"));
        let (status, answer) =
            submit(server, &mut learner, class, &answers(&survey, 0, &text)).await;
        assert_eq!(status, 200, "{answer}");
    }
    let mut names = Vec::new();
    for username in learners {
        let user = store.user_by_username(username).await.unwrap();
        names.push(user.real_name.clone());
        names.push(user.username.clone());
    }

    let (status, body) = organizer
        .post(server, "survey/results", &[("id", &class.to_string())])
        .await;
    assert_eq!(status, 200, "{body}");
    let results: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(results["anonymous"], true);
    assert_eq!(results["responses"], 2);
    assert_eq!(results["satisfaction"], json!([2, 2]));
    let texts = results["items"][21]["texts"].as_array().unwrap();
    assert_eq!(texts.len(), 2);
    assert!(texts.iter().all(|t| t["name"].is_null()), "{body}");
    for name in &names {
        assert!(!body.contains(name.as_str()), "results name {name}");
    }

    let response = export(server, organizer, class).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    let (summary, _) = app::admin::import::decode_sheet("survey.xlsx", &bytes).unwrap();
    let sheets = app::classes::survey::survey_sheets(store, class)
        .await
        .unwrap();
    assert!(
        !sheets.responses[0].iter().any(|c| c.text() == "姓名"),
        "no name column"
    );
    assert_eq!(sheets.responses[0].len(), 1 + 22);
    assert_eq!(sheets.responses.len(), 3);
    let every: Vec<String> = summary
        .iter()
        .flatten()
        .cloned()
        .chain(sheets.summary.iter().flatten().map(|c| c.text()))
        .chain(sheets.responses.iter().flatten().map(|c| c.text()))
        .collect();
    for name in &names {
        assert!(
            !every.iter().any(|cell| cell.contains(name.as_str())),
            "export names {name}"
        );
    }
}

#[tokio::test]
async fn the_survey_on_sqlite() {
    let server = start_with_people().await;
    story(&server).await;
}

#[tokio::test]
async fn the_survey_on_postgres() {
    let Some((server, database)) = start_postgres_with_people("survey").await else {
        return;
    };
    story(&server).await;
    database.drop_now(&server.store).await;
}

/// A supervisor reads the responses of their own regions only, never named,
/// and nothing where fewer than five answered (the demo class: learner090–100
/// answered; county 10 holds learner091–100, county 9 only learner090).
#[tokio::test]
async fn supervisors_read_their_regions_responses_and_no_small_cells() {
    let server = common::start_with_demo(|c| c).await;
    let store = &server.store;
    let mut organizer = signed_in(&server, "organizer", PC_UA).await;
    let mut class_id = None;
    for candidate in store.classes().await.unwrap() {
        let read = ok_id(&server, &mut organizer, "survey/results", candidate.id).await;
        if read["responses"].as_i64().unwrap_or(0) >= 11 {
            class_id = Some(candidate.id);
        }
    }
    let class = class_id.expect("the demo class with eleven answers");
    for (learner, expected) in [("learner095", Some(10)), ("learner090", None)] {
        let mut reader = common::supervisor_of_region_of(&server, learner).await;
        let read = ok_id(&server, &mut reader, "survey/results", class).await;
        assert_eq!(read["scoped"], true);
        assert!(
            read["enrolled"].as_i64().unwrap() >= 10,
            "the county's learners: {read}"
        );
        match expected {
            Some(responses) => {
                assert_eq!(read["responses"], responses);
                assert_eq!(read["withheld_below"], Value::Null);
                assert_eq!(read["items"].as_array().unwrap().len(), 22);
                for item in read["items"].as_array().unwrap() {
                    for text in item["texts"].as_array().unwrap() {
                        assert_eq!(text["name"], Value::Null, "never named");
                    }
                }
                assert_eq!(export(&server, &reader, class).await.status(), 200);
            }
            None => {
                assert_eq!(read["responses"], 1);
                assert_eq!(read["withheld_below"], 5);
                assert_eq!(read["items"], json!([]));
                assert_eq!(export(&server, &reader, class).await.status(), 400);
            }
        }
    }
}
