//! Support questions (解疑答惑) and the FAQ over HTTP against the real server,
//! on SQLite and, when `TEST_DATABASE_URL` points at a PostgreSQL server we
//! may create databases on, on PostgreSQL too: a learner asks from a page
//! (the page kept if it is one of ours, the device described from the
//! User-Agent header whatever the form says); askers see only their own
//! questions and never the inbox; staff answer, and an answer given on a
//! stale view is refused; close and re-open; the FAQ from an answered
//! question, its order and visibility; bad input is refused in Chinese with
//! a 400 and writes nothing; tricky text is stored exactly and rendered inert.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use academy_shared::ids::UserId;
use academy_shared::support::QuestionState;
use app::store::{AuditFilter, Store};
use common::{
    Browser, PC_UA, PHONE_UA, Running, get, ok, page, refused, signed_in,
    start_postgres_with_people, start_with_people,
};
use serde_json::Value;

/// A text that must be stored exactly and stay inert wherever it is shown.
const TRICKY: &str = "< > & &lt; ' \\ 碁 \"";
/// How the pages must show it: escaped for HTML text.
const TRICKY_ESCAPED: &str = "&lt; &gt; &amp; &amp;lt;";

fn id_of(value: &Value) -> i64 {
    value["id"].as_i64().expect("an id")
}

async fn user_id(store: &Store, username: &str) -> UserId {
    store.user_by_username(username).await.unwrap().id
}

async fn question_count(store: &Store, username: &str) -> usize {
    store
        .support_questions_of(user_id(store, username).await)
        .await
        .unwrap()
        .len()
}

async fn story(server: &Running) {
    let store = &server.store;
    let class = common::published_class_with(
        store,
        "2026年流动党员网络培训班",
        &["learner001", "learner002"],
    )
    .await;
    let other_class = common::published_class_with(store, "别的培训班", &["learner003"]).await;
    let mut l1 = signed_in(server, "learner001", PHONE_UA).await;
    let mut l2 = signed_in(server, "learner002", PC_UA).await;
    let mut l3 = signed_in(server, "learner003", PHONE_UA).await;
    let mut organizer = signed_in(server, "organizer", PC_UA).await;
    let mut admin = signed_in(server, "admin", PC_UA).await;
    let mut supervisor = signed_in(server, "supervisor", PC_UA).await;
    let mut visitor = Browser::new(PC_UA);

    // ---- asking ----
    let home = format!("/classes/{class}/home");
    // The device comes from the User-Agent header; a field saying otherwise is ignored.
    let q1 = ok(
        server,
        &mut l1,
        "support/ask",
        &[
            ("body", &format!("  {TRICKY}\n")),
            ("page", &home),
            ("device", "伪造的设备"),
        ],
    )
    .await;
    let q1_id = id_of(&q1);
    assert_eq!(q1["body"], TRICKY, "trimmed, otherwise exact");
    assert_eq!(q1["page"], home.as_str());
    assert_eq!(q1["device"], "微信 · Android 手机");
    assert_eq!(q1["class_title"], "2026年流动党员网络培训班");
    assert_eq!(q1["state"], "Open");
    assert_eq!(q1["version"], 1);
    assert!(q1["asker"].is_null(), "askers get no staff details: {q1}");
    assert!(q1["user_agent"].is_null());
    let stored = store.support_question(q1_id).await.unwrap();
    assert_eq!(stored.body, TRICKY);
    assert_eq!(stored.user_agent, PHONE_UA);
    assert_eq!(stored.device, "微信 · Android 手机");
    assert_eq!(stored.class_id, Some(class));
    assert_eq!(stored.state, QuestionState::Open);

    // Another site's address is not a page of ours: stored without one. A
    // class the asker is not in is not attached.
    let q2 = ok(
        server,
        &mut l2,
        "support/ask",
        &[
            ("body", "电脑上播放课程没有声音怎么办？"),
            ("page", "https://evil.example/phish"),
        ],
    )
    .await;
    let q2_id = id_of(&q2);
    assert_eq!(q2["page"], "");
    assert_eq!(q2["device"], "Chrome · Windows 电脑");
    let q3 = ok(
        server,
        &mut l2,
        "support/ask",
        &[
            ("body", "别的班的问题"),
            ("page", &format!("/classes/{other_class}/home?x=1")),
        ],
    )
    .await;
    assert_eq!(q3["page"], format!("/classes/{other_class}/home"));
    assert!(q3["class_title"].is_null(), "{q3}");

    // Bad input: a Chinese message, a 400, nothing written.
    let before = question_count(store, "learner001").await;
    let body = refused(
        server,
        &mut l1,
        "support/ask",
        &[("body", " \n\u{3000} "), ("page", &home)],
        400,
    )
    .await;
    assert!(body.contains("请填写问题内容"), "{body}");
    let long = "问".repeat(1001);
    let body = refused(
        server,
        &mut l1,
        "support/ask",
        &[("body", &long), ("page", &home)],
        400,
    )
    .await;
    assert!(body.contains("最多 1000 个字"), "{body}");
    // A thousand Chinese characters are fine.
    let full = "问".repeat(1000);
    let q4 = ok(
        server,
        &mut l1,
        "support/ask",
        &[("body", &full), ("page", "/learn")],
    )
    .await;
    assert_eq!(question_count(store, "learner001").await, before + 1);
    // Visitors cannot ask; their own questions are none.
    refused(
        server,
        &mut visitor,
        "support/ask",
        &[("body", "访客的问题"), ("page", "/")],
        401,
    )
    .await;
    let mine = ok(server, &mut visitor, "support/mine", &[]).await;
    assert!(mine.is_null());

    // ---- askers see their own questions only ----
    let mine = ok(server, &mut l1, "support/mine", &[]).await;
    let ids: Vec<i64> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [id_of(&q4), q1_id], "newest first, own only");
    let q2_text = q2_id.to_string();
    refused(
        server,
        &mut l1,
        "support/question",
        &[("id", &q2_text)],
        403,
    )
    .await;
    refused(
        server,
        &mut l1,
        "support/question",
        &[("id", "999999")],
        404,
    )
    .await;
    let own = ok(
        server,
        &mut l1,
        "support/question",
        &[("id", &q1_id.to_string())],
    )
    .await;
    assert_eq!(own["body"], TRICKY);
    for endpoint in ["support/inbox", "support/faq-admin"] {
        refused(server, &mut l1, endpoint, &[], 403).await;
        refused(server, &mut supervisor, endpoint, &[], 403).await;
        refused(server, &mut visitor, endpoint, &[], 401).await;
    }
    refused(
        server,
        &mut l2,
        "support/answer",
        &[
            ("id", &q1_id.to_string()),
            ("expected", "open"),
            ("version", "1"),
            ("answer", "我来回答"),
        ],
        403,
    )
    .await;
    refused(
        server,
        &mut l1,
        "support/close",
        &[("id", &q1_id.to_string()), ("version", "1")],
        403,
    )
    .await;
    // The header's badge is for the inbox staff only, and never an error.
    assert!(
        ok(server, &mut l1, "support/open-count", &[])
            .await
            .is_null()
    );
    assert!(
        ok(server, &mut visitor, "support/open-count", &[])
            .await
            .is_null()
    );
    assert_eq!(
        ok(server, &mut organizer, "support/open-count", &[]).await,
        4
    );

    // ---- the inbox ----
    let inbox = ok(
        server,
        &mut organizer,
        "support/inbox",
        &[("state", "open")],
    )
    .await;
    assert_eq!(inbox["filter"], "Open");
    assert_eq!(inbox["counts"]["open"], 4);
    assert_eq!(inbox["counts"]["answered"], 0);
    let questions = inbox["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 4);
    assert_eq!(questions[0]["id"], q1_id, "the longest waiting first");
    let asker = &questions[0]["asker"];
    assert_eq!(asker["username"], "learner001");
    let phone = store
        .user_by_username("learner001")
        .await
        .unwrap()
        .phone
        .expect("demo learners have phones");
    let masked = asker["phone_masked"].as_str().unwrap();
    assert!(masked.contains("****"), "{masked}");
    assert!(
        !inbox.to_string().contains(&phone),
        "never the whole number"
    );
    assert_eq!(questions[0]["user_agent"], PHONE_UA);
    refused(
        server,
        &mut organizer,
        "support/inbox",
        &[("state", "nonsense")],
        400,
    )
    .await;
    let all = ok(server, &mut admin, "support/inbox", &[("state", "all")]).await;
    assert!(all["filter"].is_null());
    assert_eq!(all["questions"].as_array().unwrap().len(), 4);

    // ---- answering ----
    let q1_text = q1_id.to_string();
    let answer = format!("请在培训班首页查看。{TRICKY}");
    let answered = ok(
        server,
        &mut organizer,
        "support/answer",
        &[
            ("id", &q1_text),
            ("expected", "open"),
            ("version", "1"),
            ("answer", &format!("  {answer} ")),
        ],
    )
    .await;
    assert_eq!(answered["state"], "Answered");
    assert_eq!(answered["answer"], answer.as_str());
    assert_eq!(answered["answerer_name"], "培训班承办人");
    assert_eq!(answered["version"], 2);
    // Another staff member answering from the page they loaded before is
    // refused, and the first answer stays.
    let body = refused(
        server,
        &mut admin,
        "support/answer",
        &[
            ("id", &q1_text),
            ("expected", "open"),
            ("version", "1"),
            ("answer", "另一个回答"),
        ],
        400,
    )
    .await;
    assert!(body.contains("刚被其他人处理过"), "{body}");
    assert!(body.contains("已回答"), "{body}");
    let body = refused(
        server,
        &mut admin,
        "support/answer",
        &[
            ("id", &q1_text),
            ("expected", "answered"),
            ("version", "1"),
            ("answer", "另一个回答"),
        ],
        400,
    )
    .await;
    assert!(body.contains("刚被其他人处理过"), "{body}");
    assert_eq!(store.support_question(q1_id).await.unwrap().answer, answer);
    // A blank answer: refused in Chinese, nothing written.
    let body = refused(
        server,
        &mut organizer,
        "support/answer",
        &[
            ("id", &q1_text),
            ("expected", "answered"),
            ("version", "2"),
            ("answer", "   "),
        ],
        400,
    )
    .await;
    assert!(body.contains("请填写回答内容"), "{body}");
    assert_eq!(store.support_question(q1_id).await.unwrap().version, 2);
    // Editing the answer from the current view.
    let edited = ok(
        server,
        &mut admin,
        "support/answer",
        &[
            ("id", &q1_text),
            ("expected", "answered"),
            ("version", "2"),
            ("answer", &answer),
        ],
    )
    .await;
    assert_eq!(edited["version"], 3);
    assert_eq!(edited["answerer_name"], "系统管理员");

    // The asker sees the answer (not who on the staff gave it).
    let mine = ok(server, &mut l1, "support/mine", &[]).await;
    let seen = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == q1_id)
        .unwrap();
    assert_eq!(seen["state"], "Answered");
    assert_eq!(seen["answer"], answer.as_str());
    assert!(seen["answerer_name"].is_null());
    assert!(seen["answered_at"].as_i64().is_some());

    // ---- the FAQ from the answered question ----
    let faq_question = format!("如何查看？{TRICKY}");
    let faq = ok(
        server,
        &mut organizer,
        "support/faq-save",
        &[
            ("source", &q1_text),
            ("question", &faq_question),
            ("answer", &answer),
        ],
    )
    .await;
    let faq_id = id_of(&faq);
    assert_eq!(faq["question"], faq_question.as_str());
    assert_eq!(faq["source_question_id"], q1_id);
    assert_eq!(faq["hidden"], false);
    let body = refused(
        server,
        &mut admin,
        "support/faq-save",
        &[
            ("source", &q1_text),
            ("question", "再加一次"),
            ("answer", "答"),
        ],
        400,
    )
    .await;
    assert!(body.contains("已经加入常见问题"), "{body}");
    let body = refused(
        server,
        &mut organizer,
        "support/faq-save",
        &[
            ("source", &q2_text),
            ("question", "没有声音"),
            ("answer", "答"),
        ],
        400,
    )
    .await;
    assert!(body.contains("只有已回答的问题"), "{body}");
    // Bad FAQ input: both problems in Chinese, a 400, nothing written.
    let faqs_before = store.faqs(true).await.unwrap().len();
    let body = refused(
        server,
        &mut organizer,
        "support/faq-save",
        &[("question", &"问".repeat(201)), ("answer", " ")],
        400,
    )
    .await;
    assert!(body.contains("最多 200 个字"), "{body}");
    assert!(body.contains("请填写常见问题的解答"), "{body}");
    refused(
        server,
        &mut l1,
        "support/faq-save",
        &[("question", "学员写的"), ("answer", "答")],
        403,
    )
    .await;
    assert_eq!(store.faqs(true).await.unwrap().len(), faqs_before);
    let inbox = ok(
        server,
        &mut organizer,
        "support/inbox",
        &[("state", "answered")],
    )
    .await;
    assert_eq!(inbox["questions"][0]["faq_id"], faq_id);
    assert_eq!(inbox["counts"]["open"], 3);
    assert_eq!(inbox["counts"]["answered"], 1);

    // Everybody reads the FAQ, visitors too.
    let public = ok(server, &mut visitor, "support/faqs", &[]).await;
    assert_eq!(public[0]["question"], faq_question.as_str());
    assert_eq!(public[0]["answer"], answer.as_str());

    // Order, visibility, edits, deletion.
    let second = ok(
        server,
        &mut organizer,
        "support/faq-save",
        &[
            ("question", "忘记密码怎么办？"),
            ("answer", "在登录页点击“忘记密码”。"),
        ],
    )
    .await;
    let second_id = id_of(&second).to_string();
    ok(
        server,
        &mut organizer,
        "support/faq-move",
        &[("id", &second_id), ("up", "true")],
    )
    .await;
    let order: Vec<i64> = store
        .faqs(true)
        .await
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(order, [id_of(&second), faq_id]);
    ok(
        server,
        &mut organizer,
        "support/faq-move",
        &[("id", &second_id), ("up", "true")],
    )
    .await;
    ok(
        server,
        &mut organizer,
        "support/faq-hide",
        &[("id", &second_id), ("hidden", "true")],
    )
    .await;
    let public = ok(server, &mut l2, "support/faqs", &[]).await;
    assert_eq!(public.as_array().unwrap().len(), 1, "hidden from learners");
    let staff = ok(server, &mut organizer, "support/faq-admin", &[]).await;
    assert_eq!(staff.as_array().unwrap().len(), 2);
    assert_eq!(staff[0]["hidden"], true);
    ok(
        server,
        &mut organizer,
        "support/faq-save",
        &[
            ("id", &second_id),
            ("question", "忘记密码了怎么办？"),
            ("answer", "用手机号重设。"),
        ],
    )
    .await;
    assert_eq!(
        store.faq(id_of(&second)).await.unwrap().question,
        "忘记密码了怎么办？"
    );
    refused(
        server,
        &mut l1,
        "support/faq-delete",
        &[("id", &second_id)],
        403,
    )
    .await;
    ok(
        server,
        &mut organizer,
        "support/faq-delete",
        &[("id", &second_id)],
    )
    .await;
    refused(
        server,
        &mut organizer,
        "support/faq-delete",
        &[("id", &second_id)],
        404,
    )
    .await;

    // ---- closing and re-opening ----
    let closed = ok(
        server,
        &mut organizer,
        "support/close",
        &[("id", &q1_text), ("version", "3")],
    )
    .await;
    assert_eq!(closed["state"], "Closed");
    assert!(closed["closed_at"].as_i64().is_some());
    assert_eq!(closed["answer"], answer.as_str(), "the answer is kept");
    let body = refused(
        server,
        &mut organizer,
        "support/close",
        &[("id", &q1_text), ("version", "4")],
        400,
    )
    .await;
    assert!(body.contains("已经关闭"), "{body}");
    let body = refused(
        server,
        &mut organizer,
        "support/answer",
        &[
            ("id", &q1_text),
            ("expected", "closed"),
            ("version", "4"),
            ("answer", "补充"),
        ],
        400,
    )
    .await;
    assert!(body.contains("请先重新打开"), "{body}");
    // Someone else's question cannot be re-opened; one's own can.
    refused(
        server,
        &mut l2,
        "support/reopen",
        &[("id", &q1_text), ("version", "4")],
        403,
    )
    .await;
    let reopened = ok(
        server,
        &mut l1,
        "support/reopen",
        &[("id", &q1_text), ("version", "4")],
    )
    .await;
    assert_eq!(reopened["state"], "Open");
    assert!(reopened["asker"].is_null(), "the asker's view: {reopened}");
    // An open question may be closed unanswered.
    let closed = ok(
        server,
        &mut admin,
        "support/close",
        &[("id", &q2_text), ("version", "1")],
    )
    .await;
    assert_eq!(closed["state"], "Closed");

    // Every answer and state change is in the audit log.
    let (entries, _) = store
        .search_audit(&AuditFilter {
            action: Some("support.".into()),
            limit: 50,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let mut actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "support.answer",
            "support.answer",
            "support.close",
            "support.close",
            "support.reopen"
        ]
    );
    let (entries, _) = store
        .search_audit(&AuditFilter {
            action: Some("faq.".into()),
            limit: 50,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(entries.iter().any(|e| e.action == "faq.create"));
    assert!(entries.iter().any(|e| e.action == "faq.delete"));

    // ---- the pages render on the server, the text inert ----
    let html = page(server, &l1, "/support?from=/classes/1/home").await;
    assert!(html.contains("解疑答惑"));
    assert!(html.contains("我的提问"));
    assert!(html.contains("/classes/1/home"), "the page to attach");
    assert!(html.contains(TRICKY_ESCAPED), "escaped");
    assert!(!html.contains("< > & &lt;"), "never raw markup");
    assert!(html.contains("已写 0 / 1000 字"));
    let html = page(server, &organizer, "/support/inbox?state=all").await;
    assert!(html.contains("inbox-question"));
    assert!(html.contains(TRICKY_ESCAPED), "escaped");
    assert!(!html.contains("< > & &lt;"), "never raw markup");
    assert!(html.contains(masked));
    assert!(!html.contains(&phone));
    assert!(
        html.contains("nav-support-inbox"),
        "the staff's header link"
    );
    let html = page(server, &organizer, "/support/faq").await;
    assert!(html.contains(TRICKY_ESCAPED));
    assert!(!html.contains("< > & &lt;"));
    let html = page(server, &visitor, "/support").await;
    assert!(html.contains("常见问题"));
    assert!(html.contains(TRICKY_ESCAPED), "the FAQ for visitors too");
    assert!(!html.contains("< > & &lt;"));
    assert!(!html.contains("我的提问"));
    // The header's ask link carries the current page.
    let html = page(server, &l1, &home).await;
    assert!(
        html.contains(&format!("/support?from=/classes/{class}/home")),
        "the ask link"
    );
    // The inbox page shows a learner the refusal and nobody's questions.
    // (Its status is 403 when the refusal is known before the page starts
    // streaming, 200 when it comes later: both carry the refusal.)
    let response = get(server, &l2, "/support/inbox?state=all").await;
    assert!(
        [200, 403].contains(&response.status().as_u16()),
        "{}",
        response.status()
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("您没有执行此操作的权限"), "the refusal");
    assert!(!html.contains(TRICKY_ESCAPED), "not l1's question");
    assert!(!html.contains("inbox-question"));

    // ---- flooding the inbox is not possible ----
    for n in 0..10 {
        ok(
            server,
            &mut l3,
            "support/ask",
            &[("body", &format!("第 {n} 个问题")), ("page", "/")],
        )
        .await;
    }
    refused(
        server,
        &mut l3,
        "support/ask",
        &[("body", "第 11 个问题"), ("page", "/")],
        429,
    )
    .await;
    assert_eq!(question_count(store, "learner003").await, 10);
}

#[tokio::test]
async fn support_on_sqlite() {
    let server = start_with_people().await;
    story(&server).await;
}

#[tokio::test]
async fn support_on_postgres() {
    let Some((server, database)) = start_postgres_with_people("support").await else {
        return;
    };
    story(&server).await;
    database.drop_now(&server.store).await;
}

/// The demo's questions and FAQ load once, and a second load adds nothing.
#[tokio::test]
async fn demo_support_data_loads_once() {
    let server = common::start_with_demo(|c| c).await;
    let store = &server.store;
    let faqs = store.faqs(false).await.unwrap();
    assert!((3..=5).contains(&faqs.len()), "{}", faqs.len());
    assert!(faqs.iter().any(|f| f.source_question_id.is_some()));
    let counts = store.support_counts().await.unwrap();
    assert!(
        counts.open >= 1 && counts.answered >= 1 && counts.closed >= 1,
        "{counts:?}"
    );
    assert!(
        !server::demo::load(store, server.media.as_ref())
            .await
            .unwrap()
    );
    assert!(!server::demo_support::load(store).await.unwrap());
    assert_eq!(store.faqs(false).await.unwrap().len(), faqs.len());
    assert_eq!(store.support_counts().await.unwrap(), counts);
}
