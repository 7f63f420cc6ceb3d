//! Question banks and exams over HTTP against the real server: a learner's
//! attempt (no answer ever reaches the browser before grading, answers only
//! for the attempt's own questions and only in time, one grade however often
//! it is submitted, the server's deadline), who may see and change which bank,
//! imports that report every problem before writing anything, export and
//! import giving back the bank, and plans the banks cannot satisfy.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use academy_shared::exam::{Answer, Question};
use academy_shared::ids::{AttemptId, BankId, ClassId};
use base64::Engine;
use common::{
    Browser, PC_UA, PHONE_UA, Running, client, get, ok, ok_id, page, signed_in, start_with_demo,
};
use serde_json::{Value, json};

/// The open pre-test of the demo class, as the learner's list shows it.
async fn pre_test(server: &Running, browser: &mut Browser) -> Value {
    let exams = ok(server, browser, "exams/mine", &[]).await;
    exams
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "班前测试")
        .cloned()
        .expect("the demo pre-test is listed")
}

/// The bodies of the questions of an attempt, from the database, with their
/// options in the order the learner sees them (the page answers by display
/// position, never by the author's index).
async fn attempt_questions(server: &Running, attempt: i64) -> Vec<Question> {
    let items = server
        .store
        .attempt_items(AttemptId(attempt))
        .await
        .unwrap();
    let versions: Vec<_> = items.iter().map(|i| i.version).collect();
    let bodies = server.store.versions(&versions).await.unwrap();
    items
        .iter()
        .map(|i| as_shown(bodies[&i.version].clone(), &i.option_order))
        .collect()
}

fn as_shown(mut q: Question, order: &[u8]) -> Question {
    if order.is_empty() {
        return q;
    }
    q.options = order
        .iter()
        .map(|a| q.options[usize::from(*a)].clone())
        .collect();
    if let Answer::Choice(keys) = &mut q.answer {
        *keys = keys
            .iter()
            .map(|k| u8::try_from(order.iter().position(|a| a == k).unwrap()).unwrap())
            .collect();
        keys.sort_unstable();
    }
    q
}

/// Every piece of text that would give an answer away.
fn secrets(questions: &[Question]) -> Vec<String> {
    let mut out = Vec::new();
    for q in questions {
        if !q.explanation.is_empty() {
            out.push(q.explanation.clone());
        }
        if let Answer::Blanks(blanks) = &q.answer {
            for accepted in blanks {
                // Short answers (八, 8) also occur in ordinary text; the long
                // ones are what a leak would show.
                out.extend(accepted.iter().filter(|a| a.chars().count() >= 4).cloned());
            }
        }
    }
    out
}

fn assert_no_secret(body: &str, secrets: &[String], what: &str) {
    for secret in secrets {
        assert!(!body.contains(secret.as_str()), "{what} leaks {secret:?}");
    }
    assert!(!body.contains("\"answer\""), "{what} has an answer field");
    assert!(
        !body.contains("explanation"),
        "{what} has an explanation field"
    );
}

/// The right response to a question, as the learner would send it.
fn right(q: &Question) -> Value {
    match &q.answer {
        Answer::Choice(keys) => json!({ "Choice": keys }),
        Answer::TrueFalse(v) => json!({ "TrueFalse": v }),
        Answer::Blanks(blanks) => json!({
            "Blanks": blanks.iter().map(|b| format!("  {}  ", b[0].to_uppercase())).collect::<Vec<_>>()
        }),
    }
}

#[tokio::test]
async fn a_learner_sits_a_paper_that_never_shows_an_answer_before_it_is_graded() {
    let server = start_with_demo(|c| c).await;
    let mut learner = signed_in(&server, "learner001", PHONE_UA).await;
    let mut bodies: Vec<(String, String)> = Vec::new();

    let exam = pre_test(&server, &mut learner).await;
    assert_eq!(exam["question_count"], 20);
    assert_eq!(exam["may_start"], true);
    let exam_id = exam["id"].to_string();
    let (status, body) = learner
        .post(&server, "exams/start", &[("exam", &exam_id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let attempt: i64 = body.parse().unwrap();
    bodies.push(("start".into(), body));
    // A second start (a double tap, another tab) resumes the same attempt.
    let (_, again) = learner
        .post(&server, "exams/start", &[("exam", &exam_id)])
        .await;
    assert_eq!(again.parse::<i64>().unwrap(), attempt);

    let questions = attempt_questions(&server, attempt).await;
    assert_eq!(questions.len(), 20);
    let secrets = secrets(&questions);
    assert!(!secrets.is_empty());

    let (status, paper) = learner
        .post(
            &server,
            "attempts/paper",
            &[("attempt", &attempt.to_string())],
        )
        .await;
    assert_eq!(status, 200);
    let view: Value = serde_json::from_str(&paper).unwrap();
    assert_eq!(view["questions"].as_array().unwrap().len(), 20);
    // Option ids are display positions: nothing tells the author's order.
    for question in view["questions"].as_array().unwrap() {
        for (display, option) in question["options"].as_array().unwrap().iter().enumerate() {
            assert_eq!(option[0], display, "{question}");
        }
    }
    assert!(view["deadline_ms"].as_i64().unwrap() > view["server_now_ms"].as_i64().unwrap());
    bodies.push(("paper".into(), paper));
    // The page itself (server-rendered, with its hydration data) leaks nothing either.
    let html = page(&server, &learner, &format!("/attempts/{attempt}")).await;
    bodies.push(("page".into(), html));

    // Answers only for the attempt's own questions, in the question's shape.
    let (status, body) = learner
        .post_json(
            &server,
            "attempts/save",
            json!({ "attempt": attempt, "answers": [[99, { "Choice": [0] }]] }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("不在本次考试中"), "{body}");
    let (status, body) = learner
        .post_json(
            &server,
            "attempts/save",
            json!({ "attempt": attempt, "answers": [[0, { "Choice": [9] }]] }),
        )
        .await;
    assert_eq!(status, 400, "{body}");

    // Half right, saved in two goes; the paper resumes with them.
    let answers: Vec<Value> = questions
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(i, q)| json!([i, right(q)]))
        .collect();
    let (status, body) = learner
        .post_json(
            &server,
            "attempts/save",
            json!({ "attempt": attempt, "answers": answers[..5] }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    bodies.push(("save".into(), body));
    let view = ok(
        &server,
        &mut learner,
        "attempts/paper",
        &[("attempt", &attempt.to_string())],
    )
    .await;
    assert_eq!(
        view["responses"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| !r.is_null())
            .count(),
        5
    );

    // Somebody else's attempt does not exist for them.
    let mut other = signed_in(&server, "learner002", PHONE_UA).await;
    let (status, _) = other
        .post(
            &server,
            "attempts/paper",
            &[("attempt", &attempt.to_string())],
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = other
        .post_json(
            &server,
            "attempts/save",
            json!({ "attempt": attempt, "answers": [[0, null]] }),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = other
        .post_json(
            &server,
            "attempts/submit",
            json!({ "attempt": attempt, "answers": [] }),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = other
        .post(
            &server,
            "attempts/review",
            &[("attempt", &attempt.to_string())],
        )
        .await;
    assert_eq!(status, 404);

    // Nothing so far carried an answer or an explanation.
    let (_, list) = learner.post(&server, "exams/mine", &[]).await;
    bodies.push(("list".into(), list));
    for (what, body) in &bodies {
        assert_no_secret(body, &secrets, what);
    }
    // Reviewing before handing in is refused.
    let (status, _) = learner
        .post(
            &server,
            "attempts/review",
            &[("attempt", &attempt.to_string())],
        )
        .await;
    assert_eq!(status, 400);

    // Two submits at once: one grade.
    let submit = json!({ "attempt": attempt, "answers": answers[5..] });
    let (mut tab_one, mut tab_two) = (learner.clone(), learner.clone());
    let (a, b) = tokio::join!(
        tab_one.post_json(&server, "attempts/submit", submit.clone()),
        tab_two.post_json(&server, "attempts/submit", submit.clone())
    );
    assert_eq!((a.0, b.0), (200, 200), "{a:?} {b:?}");
    let record = server.store.attempt(AttemptId(attempt)).await.unwrap();
    assert_eq!(record.closed_by.as_deref(), Some("learner"));
    assert_eq!(record.score, Some(5000), "10 of 20 right at 5 points");
    assert_eq!(record.passed, Some(false));
    let submitted = record.submitted_at;
    let (status, _) = learner.post_json(&server, "attempts/submit", submit).await;
    assert_eq!(status, 200);
    let again = server.store.attempt(AttemptId(attempt)).await.unwrap();
    assert_eq!((again.submitted_at, again.score), (submitted, Some(5000)));

    // Closed: no more answers, no second attempt (the plan allows one).
    let (status, body) = learner
        .post_json(
            &server,
            "attempts/save",
            json!({ "attempt": attempt, "answers": [[1, right(&questions[1])]] }),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("考试已结束"), "{body}");
    let (status, body) = learner
        .post(&server, "exams/start", &[("exam", &exam_id)])
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("次数已用完"), "{body}");

    // The review now shows answers and explanations, as the plan allows.
    let review = ok(
        &server,
        &mut learner,
        "attempts/review",
        &[("attempt", &attempt.to_string())],
    )
    .await;
    assert_eq!(review["score"], 5000);
    let items = review["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert!(items.iter().all(|i| i["answer_zh"].is_string()));
    assert_eq!(items.iter().filter(|i| i["correct"] == true).count(), 10);
}

#[tokio::test]
async fn the_deadline_is_the_servers_and_grades_what_was_saved_in_time() {
    let server = start_with_demo(|c| c).await;
    let mut learner = signed_in(&server, "learner003", PC_UA).await;
    let exam = pre_test(&server, &mut learner).await;
    let (_, body) = learner
        .post(&server, "exams/start", &[("exam", &exam["id"].to_string())])
        .await;
    let attempt: i64 = body.parse().unwrap();
    let questions = attempt_questions(&server, attempt).await;
    let (status, _) = learner
        .post_json(&server, "attempts/save", json!({ "attempt": attempt, "answers": [[0, right(&questions[0])], [1, right(&questions[1])]] }))
        .await;
    assert_eq!(status, 200);

    // Time runs out (moved on the server: the client's clock plays no part).
    sqlx::query("UPDATE attempts SET deadline_at = deadline_at - 3600000 WHERE id = $1")
        .bind(attempt)
        .execute(server.store.pool_for_tests())
        .await
        .unwrap();
    let late = json!({ "attempt": attempt, "answers": [[2, right(&questions[2])]] });
    let (status, body) = learner
        .post_json(&server, "attempts/save", late.clone())
        .await;
    assert_eq!(status, 400, "{body}");
    // The sweep grades it within seconds, without the learner coming back.
    let mut record = server.store.attempt(AttemptId(attempt)).await.unwrap();
    for _ in 0..40 {
        if !record.is_open() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        record = server.store.attempt(AttemptId(attempt)).await.unwrap();
    }
    assert_eq!(record.closed_by.as_deref(), Some("deadline"));
    assert_eq!(record.score, Some(1000), "the two answers saved in time");
    // A submit after the deadline changes nothing.
    let (status, _) = learner.post_json(&server, "attempts/submit", late).await;
    assert_eq!(status, 200);
    assert_eq!(
        server
            .store
            .attempt(AttemptId(attempt))
            .await
            .unwrap()
            .score,
        Some(1000)
    );
    let paper = ok(
        &server,
        &mut learner,
        "attempts/paper",
        &[("attempt", &attempt.to_string())],
    )
    .await;
    assert_eq!(paper["closed"], true);
    assert!(paper["questions"].as_array().unwrap().is_empty());
}

fn bank_id(banks: &Value, title_start: &str) -> i64 {
    banks["banks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["title"].as_str().unwrap().starts_with(title_start))
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn new_question(stem: &str) -> Value {
    json!({
        "kind": "Single", "stem": stem, "options": ["甲", "乙", "丙"],
        "answer": { "Choice": [1] }, "explanation": "", "points": 5, "difficulty": 3,
        "topic": "测试", "lecturer": "", "source": "", "ignore_punctuation": false
    })
}

#[tokio::test]
async fn lecturers_see_only_their_invited_banks_and_own_questions_within_quota() {
    let server = start_with_demo(|c| c).await;
    let mut organizer = signed_in(&server, "organizer", PC_UA).await;
    let banks = ok(&server, &mut organizer, "banks/list", &[]).await;
    let pre = bank_id(&banks, "班前测试");
    let final_bank = bank_id(&banks, "结业考试");

    let mut lecturer = signed_in(&server, "lecturer01", PC_UA).await;
    let mine = ok(&server, &mut lecturer, "banks/list", &[]).await;
    let listed = mine["banks"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "only the bank they are invited to");
    assert_eq!(listed[0]["my_quota"], json!([5, 5]));
    let (status, _) = lecturer
        .post(&server, "banks/get", &[("id", &pre.to_string())])
        .await;
    assert_eq!(status, 404);
    let page = ok(
        &server,
        &mut lecturer,
        "banks/questions",
        &[("bank", &final_bank.to_string())],
    )
    .await;
    assert_eq!(page["total"], 5, "their own five, not the other 55");
    // The quota is full: a sixth is refused and nothing is written.
    let (status, body) = lecturer
        .post_json(&server, "questions/save", json!({ "bank": final_bank, "id": null, "expected_version": null, "body": new_question("第六题"), "tags": [] }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        server
            .store
            .bank(BankId(final_bank))
            .await
            .unwrap()
            .question_count,
        60
    );
    // Another lecturer's question is "not found"; so is a bank they are not in.
    let own_name = listed_name(&server, "lecturer01").await;
    let other_question = server
        .store
        .questions(
            BankId(final_bank),
            &app::store::QuestionFilter::default(),
            60,
            0,
        )
        .await
        .unwrap()
        .0
        .into_iter()
        .find(|q| !q.lecturer.is_empty() && q.lecturer != own_name)
        .unwrap();
    let (status, _) = lecturer
        .post(
            &server,
            "questions/get",
            &[("id", &other_question.id.to_string())],
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = lecturer
        .post_json(&server, "questions/save", json!({ "bank": pre, "id": null, "expected_version": null, "body": new_question("越权"), "tags": [] }))
        .await;
    assert_eq!(status, 404);
    // Previews are for trainers; learners see no bank at all.
    let (status, _) = lecturer.post(&server, "blueprints/list", &[]).await;
    assert_eq!(status, 403);
    let mut learner = signed_in(&server, "learner004", PHONE_UA).await;
    let (status, _) = learner.post(&server, "banks/list", &[]).await;
    assert_eq!(status, 403);

    // An organizer's edit makes a new version; a stale edit is refused.
    let question = server
        .store
        .questions(BankId(pre), &app::store::QuestionFilter::default(), 1, 0)
        .await
        .unwrap()
        .0[0]
        .id;
    let edit = ok(
        &server,
        &mut organizer,
        "questions/get",
        &[("id", &question.to_string())],
    )
    .await;
    let mut body = edit["body"].clone();
    body["explanation"] = json!("改过的解析");
    let save = json!({ "bank": pre, "id": question.0, "expected_version": 1, "body": body, "tags": ["改"] });
    let saved = organizer
        .post_json(&server, "questions/save", save.clone())
        .await;
    assert_eq!(saved.0, 200, "{}", saved.1);
    assert!(saved.1.contains("\"version\":2"), "{}", saved.1);
    let (status, body) = organizer.post_json(&server, "questions/save", save).await;
    assert_eq!(status, 400);
    assert!(body.contains("已被他人修改"), "{body}");
    let edit = ok(
        &server,
        &mut organizer,
        "questions/get",
        &[("id", &question.to_string())],
    )
    .await;
    assert_eq!(edit["history"].as_array().unwrap().len(), 2);

    // A problem in a question is reported per field and nothing is written.
    let mut broken = new_question("");
    broken["answer"] = json!({ "Choice": [5] });
    let (status, body) = organizer
        .post_json(&server, "questions/save", json!({ "bank": pre, "id": null, "expected_version": null, "body": broken, "tags": [] }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Problems") && body.contains("题干"), "{body}");
    assert_eq!(
        server.store.bank(BankId(pre)).await.unwrap().question_count,
        60
    );
}

async fn listed_name(server: &Running, username: &str) -> String {
    server
        .store
        .user_by_username(username)
        .await
        .unwrap()
        .real_name
}

#[allow(clippy::too_many_arguments)] // one call per import, named at the call
async fn import(
    server: &Running,
    browser: &mut Browser,
    bank: i64,
    format: &str,
    file_name: &str,
    bytes: &[u8],
    confirm: bool,
    valid_rows_only: bool,
) -> (u16, Value) {
    let (status, body) = browser
        .post_json(
            server,
            "banks/import",
            json!({
                "bank": bank, "format": format, "file_name": file_name,
                "file_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
                "confirm": confirm, "valid_rows_only": valid_rows_only
            }),
        )
        .await;
    (
        status,
        serde_json::from_str(&body).unwrap_or(json!({ "raw": body })),
    )
}

const HEADER: &str =
    "题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析,分值,难度,知识点,讲师,来源,忽略标点";

#[tokio::test]
async fn imports_report_every_problem_first_and_write_all_or_nothing() {
    let server = start_with_demo(|c| c).await;
    let mut organizer = signed_in(&server, "organizer", PC_UA).await;
    let (status, body) = organizer
        .post(
            &server,
            "banks/create",
            &[("title", "导入测试"), ("description", "")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let bank: i64 = body.parse().unwrap();
    let count = |server: &Running| {
        let store = server.store.clone();
        async move { store.bank(BankId(bank)).await.unwrap().question_count }
    };

    let csv = format!(
        "{HEADER}\n\
         单选题,党的根本宗旨是（ ）,全心全意为人民服务,发展经济,,,,,A,,5,3,宗旨,,,\n\
         单选题,,甲,乙,,,,,A,,5,3,,,,\n\
         单选题,答案不在选项中（ ）,甲,乙,,,,,E,,5,3,,,,\n\
         单选题,选项重复（ ）,甲,甲,,,,,A,,5,3,,,,\n\
         多选题,选项太少（ ）,甲,乙,,,,,AB,,5,3,,,,\n\
         填空题,党的组织原则是______制,,,,,,,民主集中,,5,2,组织,,,是\n"
    );
    let (status, report) = import(
        &server,
        &mut organizer,
        bank,
        "table",
        "q.csv",
        csv.as_bytes(),
        false,
        false,
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["valid"], 2);
    let problems = report["problems"].as_array().unwrap();
    let rows: Vec<i64> = problems
        .iter()
        .map(|p| p["row"].as_i64().unwrap())
        .collect();
    for row in [3, 4, 5, 6] {
        assert!(rows.contains(&row), "row {row} reported: {report}");
    }
    assert!(problems.iter().any(|p| p["column"] == "题干"), "{report}");
    assert_eq!(count(&server).await, 0, "a check writes nothing");
    // Confirming a file with problems still writes nothing …
    let (_, report) = import(
        &server,
        &mut organizer,
        bank,
        "table",
        "q.csv",
        csv.as_bytes(),
        true,
        false,
    )
    .await;
    assert_eq!(report["imported"], Value::Null);
    assert_eq!(count(&server).await, 0);
    // … unless the organizer confirms the valid rows.
    let (_, report) = import(
        &server,
        &mut organizer,
        bank,
        "table",
        "q.csv",
        csv.as_bytes(),
        true,
        true,
    )
    .await;
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(count(&server).await, 2);

    // GBK, as Excel in China saves CSV.
    let gbk = format!("{HEADER}\n判断题,预备党员的预备期为一年,,,,,,,正确,,5,2,党章,,,\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&gbk);
    let (_, report) = import(
        &server,
        &mut organizer,
        bank,
        "table",
        "gbk.csv",
        &bytes,
        true,
        false,
    )
    .await;
    assert_eq!(report["encoding"], "GBK", "{report}");
    assert_eq!(report["imported"], 1, "{report}");

    // Missing columns, a truncated xlsx, bytes that are no text, too large.
    let (_, report) = import(
        &server,
        &mut organizer,
        bank,
        "table",
        "c.csv",
        "题干,选项A\n问,甲\n".as_bytes(),
        true,
        false,
    )
    .await;
    assert_eq!(report["problems"][0]["row"], 1, "{report}");
    assert_eq!(report["imported"], Value::Null);
    let xlsx = app::exams::formats::template(false).unwrap();
    let (_, report) = import(
        &server,
        &mut organizer,
        bank,
        "table",
        "t.xlsx",
        &xlsx[..xlsx.len() / 2],
        true,
        false,
    )
    .await;
    assert!(
        report["problems"][0]["reason_zh"]
            .as_str()
            .unwrap()
            .contains("无法读取"),
        "{report}"
    );
    let (_, report) = import(
        &server,
        &mut organizer,
        bank,
        "gift",
        "q.txt",
        &[0xff, 0xfe, 0x80, 0x81, 0xff],
        true,
        false,
    )
    .await;
    assert!(
        !report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );
    let big = vec![b'a'; 1024 * 1024 + 10];
    let (status, report) = import(
        &server,
        &mut organizer,
        bank,
        "gift",
        "big.txt",
        &big,
        true,
        false,
    )
    .await;
    assert_eq!(status, 400, "{report}");
    assert_eq!(count(&server).await, 3, "nothing more was written");

    // The template itself imports cleanly.
    let (_, report) = import(
        &server,
        &mut organizer,
        bank,
        "table",
        "t.xlsx",
        &xlsx,
        false,
        false,
    )
    .await;
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );
    assert!(report["valid"].as_u64().unwrap() >= 4);
}

#[tokio::test]
async fn export_then_import_gives_back_the_bank_in_every_format() {
    let server = start_with_demo(|c| c).await;
    let mut organizer = signed_in(&server, "organizer", PC_UA).await;
    let banks = ok(&server, &mut organizer, "banks/list", &[]).await;
    let pre = bank_id(&banks, "班前测试");
    let original: Vec<Question> = server
        .store
        .bank_questions(BankId(pre))
        .await
        .unwrap()
        .into_iter()
        .map(|(q, _)| q)
        .collect();
    assert_eq!(original.len(), 60);

    for (format, import_as, file) in [
        ("xlsx", "table", "b.xlsx"),
        ("csv", "table", "b.csv"),
        ("gift", "gift", "b.txt"),
        ("moodle-xml", "moodle-xml", "b.xml"),
    ] {
        let response = get(
            &server,
            &organizer,
            &format!("/exports/banks/{pre}?format={format}"),
        )
        .await;
        assert_eq!(response.status(), 200, "{format}");
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment"),
            "{format}"
        );
        let bytes = response.bytes().await.unwrap();
        let (_, body) = organizer
            .post(
                &server,
                "banks/create",
                &[("title", &format!("回导 {format}")), ("description", "")],
            )
            .await;
        let copy: i64 = body.parse().unwrap();
        let (_, report) = import(
            &server,
            &mut organizer,
            copy,
            import_as,
            file,
            &bytes,
            true,
            false,
        )
        .await;
        assert_eq!(report["imported"], 60, "{format}: {report}");
        let back: Vec<Question> = server
            .store
            .bank_questions(BankId(copy))
            .await
            .unwrap()
            .into_iter()
            .map(|(q, _)| q)
            .collect();
        assert_eq!(back, original, "{format}");
    }
    // Aiken carries single choice only: the rest is left out, not mangled.
    let response = get(
        &server,
        &organizer,
        &format!("/exports/banks/{pre}?format=aiken"),
    )
    .await;
    let text = response.text().await.unwrap();
    assert_eq!(text.matches("ANSWER:").count(), 30);

    // Learners and strangers get nothing.
    let learner = signed_in(&server, "learner005", PHONE_UA).await;
    let response = get(
        &server,
        &learner,
        &format!("/exports/banks/{pre}?format=csv"),
    )
    .await;
    assert_eq!(response.status(), 404);
    let response = client()
        .get(format!("{}/exports/banks/{pre}?format=csv", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_plan_the_banks_cannot_satisfy_is_refused_with_the_reason_and_previews_show_answers() {
    let server = start_with_demo(|c| c).await;
    let mut organizer = signed_in(&server, "organizer", PC_UA).await;
    let banks = ok(&server, &mut organizer, "banks/list", &[]).await;
    let pre = bank_id(&banks, "班前测试");
    let mut plan = serde_json::to_value(academy_shared::exam::blueprint::Blueprint::seed_paper(
        BankId(pre),
    ))
    .unwrap();
    plan["sections"][1]["topics"] = json!(["党史学习"]);
    let (status, body) = organizer
        .post_json(
            &server,
            "blueprints/save",
            json!({ "id": null, "title": "党史专项", "body": plan }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Problems"), "{body}");
    assert!(body.contains("只有 8 道填空题"), "{body}");
    assert!(body.contains("需要 10"), "{body}");
    assert!(
        server
            .store
            .blueprints()
            .await
            .unwrap()
            .iter()
            .all(|b| b.title != "党史专项")
    );

    // The demo plan previews with answers, reproducibly by seed, A and B disjoint.
    let plans = ok(&server, &mut organizer, "blueprints/list", &[]).await;
    let id = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"].as_str().unwrap().starts_with("班前测试"))
        .unwrap()["id"]
        .to_string();
    let first = ok(
        &server,
        &mut organizer,
        "blueprints/preview",
        &[("id", &id), ("seed", "00000000000000ff")],
    )
    .await;
    let second = ok(
        &server,
        &mut organizer,
        "blueprints/preview",
        &[("id", &id), ("seed", "ff")],
    )
    .await;
    assert_eq!(first["form_a"], second["form_a"], "same seed, same paper");
    assert_eq!(first["overlap"], 0);
    assert_eq!(first["form_a"].as_array().unwrap().len(), 20);
    assert!(
        first["form_a"][0]["answer_zh"]
            .as_str()
            .is_some_and(|a| !a.is_empty())
    );
    assert!(!first["coverage"].as_array().unwrap().is_empty());
    let (status, body) = organizer
        .post(
            &server,
            "blueprints/preview",
            &[("id", &id), ("seed", "not hex")],
        )
        .await;
    assert_eq!(status, 400, "{body}");

    // The item analysis of the demo pre-test (twenty learners sat it).
    let exams = ok(&server, &mut organizer, "exams/list", &[]).await;
    let exam = exams["exams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "班前测试" && e["class_title"] == "2026年党员教育示范培训班")
        .unwrap()["id"]
        .to_string();
    let analysis = ok(
        &server,
        &mut organizer,
        "exams/analysis",
        &[("exam", &exam)],
    )
    .await;
    assert_eq!(analysis["summary"]["attempts"], 20);
    let bands: u64 = analysis["summary"]["bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap())
        .sum();
    assert_eq!(bands, 20);
    let rows = analysis["rows"].as_array().unwrap();
    assert!(rows.len() >= 20, "every drawn question has a row");
    for row in rows {
        let facility = row["facility"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&facility), "{row}");
        assert!(!row["stem_text"].as_str().unwrap().is_empty());
    }
    let mut learner = signed_in(&server, "learner006", PHONE_UA).await;
    let (status, _) = learner
        .post(&server, "exams/analysis", &[("exam", &exam)])
        .await;
    assert_eq!(status, 403);
}

async fn class_home(server: &Running, learner: &mut Browser, class: ClassId) -> Value {
    ok_id(server, learner, "journey/home", class).await
}

fn final_step(home: &Value) -> Value {
    home["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "FinalExam")
        .cloned()
        .unwrap()
}

/// A plan that keeps results back keeps them back on the class home too:
/// no best score and no pass (the step is not shown done) while hidden.
#[tokio::test]
async fn hidden_results_are_hidden_on_the_class_home_too() {
    let server = start_with_demo(|c| c).await;
    let store = &server.store;
    let mut learner = signed_in(&server, "learner095", PHONE_UA).await;
    let (status, body) = learner.post(&server, "journey/classes", &[]).await;
    assert_eq!(status, 200, "{body}");
    let classes: Value = serde_json::from_str(&body).unwrap();
    // The demo class, where learner095 sat the final exam.
    let mut class = None;
    for card in classes.as_array().unwrap() {
        let id = ClassId(card["id"].as_i64().unwrap());
        let shown = class_home(&server, &mut learner, id).await;
        if final_step(&shown)["detail_zh"]
            .as_str()
            .unwrap()
            .starts_with("最好成绩")
        {
            class = Some(id);
        }
    }
    let class = class.expect("a class with a graded final exam");

    // The organizer's plan now keeps results back.
    let record = store.class(class).await.unwrap();
    let exam = store.exam(record.final_exam.unwrap()).await.unwrap();
    let blueprint = store.blueprint(exam.blueprint_id).await.unwrap();
    let mut body = blueprint.body.clone();
    body.show_results = academy_shared::exam::blueprint::Reveal::Never;
    store
        .update_blueprint(
            exam.blueprint_id,
            &blueprint.title,
            &body,
            app::store::now_millis(),
        )
        .await
        .unwrap();
    let hidden = class_home(&server, &mut learner, class).await;
    let step = final_step(&hidden);
    assert_eq!(step["detail_zh"], "已交卷，成绩待公布", "{hidden}");
    assert_ne!(step["state"], "Done", "no pass shown: {step}");
    assert!(!hidden.to_string().contains("最好成绩"), "{hidden}");
}

/// The demo's pre-test plan serves the pre-test (form A) and the re-test
/// (form B). However many attempts the plan allows, a retake of form A never
/// holds a question that only the learner's form B has.
#[tokio::test]
async fn pre_test_retakes_never_show_the_other_forms_questions() {
    let server = start_with_demo(|c| c).await;
    let store = &server.store;
    let organizer = store.user_by_username("organizer").await.unwrap().id;
    let now = app::store::now_millis();
    let shared_plan = store
        .blueprints()
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.title.contains("复测"))
        .expect("the demo's pre-test plan");
    let plan = academy_shared::exam::blueprint::Blueprint {
        attempts_allowed: 4,
        ..shared_plan.body.clone()
    };
    let plan = store
        .create_blueprint("前测与复测（可重考）", &plan, organizer, now)
        .await
        .unwrap();
    let class = common::published_class_with(store, "重考测试班", &["learner020"]).await;
    let mut exams = Vec::new();
    for form in ["A", "B"] {
        let exam = store
            .create_exam(
                &format!("{form} 卷"),
                plan,
                form,
                Some(class),
                organizer,
                now,
            )
            .await
            .unwrap();
        store
            .set_exam_state(exam, academy_shared::exam::ExamState::Open, now)
            .await
            .unwrap();
        exams.push(exam);
    }
    let mut learner = signed_in(&server, "learner020", PHONE_UA).await;
    let mut papers = Vec::new();
    for exam in [exams[0], exams[0], exams[0], exams[1]] {
        let (status, body) = learner
            .post(&server, "exams/start", &[("exam", &exam.to_string())])
            .await;
        assert_eq!(status, 200, "{body}");
        let attempt: i64 = body.parse().unwrap();
        let (status, body) = learner
            .post_json(
                &server,
                "attempts/submit",
                json!({ "attempt": attempt, "answers": [] }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let items = store.attempt_items(AttemptId(attempt)).await.unwrap();
        papers.push(
            items
                .iter()
                .map(|i| i.question)
                .collect::<std::collections::BTreeSet<_>>(),
        );
    }
    let (first_a, form_b) = (&papers[0], &papers[3]);
    let only_b: Vec<_> = form_b.difference(first_a).collect();
    assert!(!only_b.is_empty(), "the bank keeps the forms apart");
    for (n, retake) in papers[1..3].iter().enumerate() {
        assert_eq!(retake.len(), 20);
        let leaked: Vec<_> = retake.iter().filter(|q| only_b.contains(q)).collect();
        assert!(
            leaked.is_empty(),
            "retake {} shows form B's {leaked:?}",
            n + 2
        );
    }
}
