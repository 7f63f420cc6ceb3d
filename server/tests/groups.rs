//! Study groups and daily operations over HTTP against the real server, on
//! SQLite and (with `TEST_DATABASE_URL`) PostgreSQL: groups formed by county
//! with their liaisons; the day's topic on learners' home; a liaison sees and
//! moderates only their groups, a learner reads and posts only in their own
//! group, a supervisor only their subtree; hidden posts are audit-logged and
//! gone for learners; the daily summary's lifecycle including return and
//! resubmit; the daily report's totals equal the dashboard's and every
//! region's total is the sum of its children; tricky text stays inert in
//! pages and exports.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use academy_shared::checkin::day_of;
use app::store::{AuditFilter, now_millis};
use common::{
    Browser, PC_UA, PHONE_UA, Running, get, ok, refused, signed_in, start_postgres_with_people,
    start_with_people,
};
use serde_json::Value;

const TRICKY: &str = r#"< > & &lt; ' \ 碁 " <script>alert(1)</script>"#;

/// The counted fields of a `Figures` value, to compare sums.
const COUNTS: [&str; 8] = [
    "enrolled",
    "reported",
    "checked_in",
    "courses_complete",
    "courses_done",
    "credited_ms",
    "pre_done",
    "final_done",
];

async fn story(server: &Running) {
    let store = &server.store;
    // Learners of three counties (001–004: county 1, 011–013: county 2,
    // 091–092: county 10) and learner050 of county 5, who is left out of groups.
    let learners = [
        "learner001",
        "learner002",
        "learner003",
        "learner004",
        "learner011",
        "learner012",
        "learner013",
        "learner091",
        "learner092",
        "learner050",
    ];
    let class = common::published_class_with(store, "2026年分组讨论测试班", &learners).await;
    let class_s = class.to_string();
    let mut organizer = signed_in(server, "organizer", PC_UA).await;
    let mut l1 = signed_in(server, "learner001", PHONE_UA).await;
    let mut l2 = signed_in(server, "learner002", PHONE_UA).await;
    let mut l11 = signed_in(server, "learner011", PHONE_UA).await;
    let mut liaison1 = signed_in(server, "liaison01", PHONE_UA).await;
    let mut liaison2 = signed_in(server, "liaison02", PHONE_UA).await;

    // ---- groups ----
    // Learners and liaisons may not form groups.
    refused(
        server,
        &mut l1,
        "groups/form",
        &[("class_id", &class_s), ("level", "county")],
        403,
    )
    .await;
    refused(
        server,
        &mut liaison1,
        "groups/list",
        &[("class_id", &class_s)],
        403,
    )
    .await;
    let formed = ok(
        server,
        &mut organizer,
        "groups/form",
        &[("class_id", &class_s), ("level", "county")],
    )
    .await;
    assert_eq!(formed["created"], 4, "{formed}");
    assert_eq!(formed["placed"], 10, "{formed}");
    // Forming again places nobody twice.
    let again = ok(
        server,
        &mut organizer,
        "groups/form",
        &[("class_id", &class_s), ("level", "county")],
    )
    .await;
    assert_eq!(
        (again["created"].as_u64(), again["placed"].as_u64()),
        (Some(0), Some(0))
    );
    let groups = store.groups(class).await.unwrap();
    let group_of = |county_learner: &str| {
        let name = county_learner.to_owned();
        async move {
            let user = store.user_by_username(&name).await.unwrap().id;
            store.group_of(class, user).await.unwrap().unwrap()
        }
    };
    let g1 = group_of("learner001").await;
    let g2 = group_of("learner011").await;
    assert_ne!(g1.id, g2.id);
    assert_eq!(g1.members, 4);
    let liaison1_id = store.user_by_username("liaison01").await.unwrap().id;
    assert_eq!(
        g1.liaisons.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![liaison1_id]
    );
    // learner050 goes by hand into group 1, then out again, then back.
    let g1s = g1.id.to_string();
    ok(
        server,
        &mut organizer,
        "groups/place",
        &[
            ("class_id", &class_s),
            ("username", "learner050"),
            ("group_id", "0"),
        ],
    )
    .await;
    assert_eq!(store.group_memberships(class).await.unwrap().len(), 9);
    ok(
        server,
        &mut organizer,
        "groups/place",
        &[
            ("class_id", &class_s),
            ("username", "learner050"),
            ("group_id", &g1s),
        ],
    )
    .await;
    let body = refused(
        server,
        &mut organizer,
        "groups/place",
        &[
            ("class_id", &class_s),
            ("username", "nobody"),
            ("group_id", &g1s),
        ],
        400,
    )
    .await;
    assert!(body.contains("nobody"));
    // A second group of one name.
    refused(
        server,
        &mut organizer,
        "groups/create",
        &[("class_id", &class_s), ("name", &g1.name)],
        400,
    )
    .await;
    assert_eq!(store.groups(class).await.unwrap().len(), groups.len());

    // ---- the day's topic ----
    let today = academy_shared::checkin::label(day_of(now_millis()));
    let title = format!("学习体会 {TRICKY}");
    // Liaisons do not schedule topics.
    refused(
        server,
        &mut liaison1,
        "groups/topic-save",
        &[
            ("class_id", &class_s),
            ("day", &today),
            ("title", "x"),
            ("body", ""),
            ("courseware", ""),
            ("attachment", "0"),
        ],
        403,
    )
    .await;
    refused(
        server,
        &mut organizer,
        "groups/topic-save",
        &[
            ("class_id", &class_s),
            ("day", &today),
            ("title", " "),
            ("body", ""),
            ("courseware", ""),
            ("attachment", "0"),
        ],
        400,
    )
    .await;
    // A course of another class.
    refused(
        server,
        &mut organizer,
        "groups/topic-save",
        &[
            ("class_id", &class_s),
            ("day", &today),
            ("title", "x"),
            ("body", ""),
            ("courseware", "999999"),
            ("attachment", "0"),
        ],
        400,
    )
    .await;
    ok(
        server,
        &mut organizer,
        "groups/topic-save",
        &[
            ("class_id", &class_s),
            ("day", &today),
            ("title", &title),
            ("body", "见 https://example.cn/a。"),
            ("courseware", ""),
            ("attachment", "0"),
        ],
    )
    .await;
    let home = ok(server, &mut l1, "groups/today", &[]).await;
    let mine = home
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["class_id"] == class.0)
        .unwrap()
        .clone();
    assert_eq!(mine["group_id"], g1.id.0);
    assert_eq!(mine["topic"]["title"], title.as_str());
    assert_eq!(mine["is_liaison"], false);
    let liaison_home = ok(server, &mut liaison1, "groups/today", &[]).await;
    assert!(
        liaison_home
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["group_id"] == g1.id.0 && g["is_liaison"] == true),
        "{liaison_home}"
    );

    // ---- discussion ----
    let post = ok(
        server,
        &mut l1,
        "groups/post",
        &[("group_id", &g1s), ("body", TRICKY), ("reply_to", "0")],
    )
    .await;
    let post_id = post.as_i64().unwrap();
    let body = refused(
        server,
        &mut l1,
        "groups/post",
        &[("group_id", &g1s), ("body", " \n "), ("reply_to", "0")],
        400,
    )
    .await;
    assert!(body.contains("发言内容"), "{body}");
    // A learner of another group can neither read nor post here.
    refused(
        server,
        &mut l11,
        "groups/thread",
        &[("class_id", &class_s), ("group", &g1s)],
        403,
    )
    .await;
    refused(
        server,
        &mut l11,
        "groups/post",
        &[("group_id", &g1s), ("body", "hi"), ("reply_to", "0")],
        403,
    )
    .await;
    // A reply must answer a post of the same thread.
    let reply = ok(
        server,
        &mut l2,
        "groups/post",
        &[
            ("group_id", &g1s),
            ("body", "同意"),
            ("reply_to", &post_id.to_string()),
        ],
    )
    .await;
    assert!(reply.as_i64().unwrap() > post_id);
    let g2s = g2.id.to_string();
    let other = ok(
        server,
        &mut l11,
        "groups/post",
        &[("group_id", &g2s), ("body", "第二组"), ("reply_to", "0")],
    )
    .await;
    // learner002 is not in group 2.
    refused(
        server,
        &mut l2,
        "groups/post",
        &[
            ("group_id", &g2s),
            ("body", "x"),
            ("reply_to", &other.to_string()),
        ],
        403,
    )
    .await;
    // A reply to another group's post.
    refused(
        server,
        &mut l1,
        "groups/post",
        &[
            ("group_id", &g1s),
            ("body", "x"),
            ("reply_to", &other.to_string()),
        ],
        400,
    )
    .await;
    // New posts count on the home page until read.
    let before = ok(server, &mut l2, "groups/today", &[]).await;
    let unread = before
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group_id"] == g1.id.0)
        .unwrap()["unread"]
        .clone();
    assert_eq!(unread, 1, "learner001's post is new to learner002");
    let thread = ok(server, &mut l2, "groups/thread", &[("class_id", &class_s)]).await;
    assert_eq!(thread["group_id"], g1.id.0, "the own group by default");
    assert_eq!(thread["can_moderate"], false);
    assert_eq!(thread["can_summarize"], false);
    assert_eq!(thread["posts"].as_array().unwrap().len(), 2);
    // Loading the thread writes nothing; the page marks what it showed as read.
    let unread_of = |today: &Value| {
        today
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["group_id"] == g1.id.0)
            .unwrap()["unread"]
            .clone()
    };
    assert_eq!(
        unread_of(&ok(server, &mut l2, "groups/today", &[]).await),
        1
    );
    let up_to = thread["last_post_id"].to_string();
    ok(
        server,
        &mut l2,
        "groups/mark-read",
        &[("group_id", &g1s), ("up_to", &up_to)],
    )
    .await;
    let after = ok(server, &mut l2, "groups/today", &[]).await;
    assert_eq!(
        after
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["group_id"] == g1.id.0)
            .unwrap()["unread"],
        0
    );
    // The page shows the tricky text inert.
    let page = get(
        server,
        &l2,
        &format!("/classes/{class}/discussion?group={}", g1.id),
    )
    .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("&lt; &gt; &amp; &amp;lt; &#x27; \\ 碁 &quot; &lt;script&gt;")
            || html.contains("&lt; &gt; &amp; &amp;lt; ' \\ 碁 \" &lt;script&gt;"),
        "escaped post"
    );
    assert!(!html.contains("<script>alert(1)"), "no raw markup");
    assert!(
        html.contains(r#"href="https://example.cn/a""#),
        "the topic's link"
    );

    // Moderation: only the group's liaison (or an organizer).
    // liaison02 is not group 1's liaison.
    refused(
        server,
        &mut liaison2,
        "groups/moderate",
        &[("post_id", &post_id.to_string()), ("action", "hide")],
        403,
    )
    .await;
    refused(
        server,
        &mut l1,
        "groups/moderate",
        &[("post_id", &post_id.to_string()), ("action", "pin")],
        403,
    )
    .await;
    // liaison02 cannot read group 1.
    refused(
        server,
        &mut liaison2,
        "groups/thread",
        &[("class_id", &class_s), ("group", &g1s)],
        403,
    )
    .await;
    ok(
        server,
        &mut liaison1,
        "groups/moderate",
        &[("post_id", &post_id.to_string()), ("action", "pin")],
    )
    .await;

    // ---- the daily summary ----
    let summary = ok(
        server,
        &mut liaison1,
        "groups/summary",
        &[("group_id", &g1s)],
    )
    .await;
    assert!(summary["state"].is_null(), "not written yet: {summary}");
    assert_eq!(
        summary["suggested_participants"], 2,
        "learner001 and learner002 posted"
    );
    assert_eq!(
        summary["fields"]["topic"],
        title.as_str(),
        "pre-filled from the topic"
    );
    assert_eq!(summary["members"], 5);
    assert_eq!(summary["can_edit"], true);
    let form = |expected: &'static str, views: &'static str, submit: &'static str| {
        vec![
            ("group_id", g1s.clone()),
            ("day", today.clone()),
            ("expected", expected.to_owned()),
            ("participants", "2".to_owned()),
            ("topic", title.clone()),
            ("views", views.to_owned()),
            ("problems", TRICKY.to_owned()),
            ("suggestions", String::new()),
            ("submit", submit.to_owned()),
        ]
    };
    let as_refs = |f: &Vec<(&'static str, String)>| {
        f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };
    async fn send(
        server: &Running,
        browser: &mut Browser,
        endpoint: &str,
        form: Vec<(&str, String)>,
    ) -> (u16, String) {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        browser.post(server, endpoint, &pairs).await
    }
    // Neither a learner of the group nor another group's liaison may write it.
    let (status, _) = send(
        server,
        &mut l1,
        "groups/summary-save",
        as_refs(&form("", "", "false")),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = send(
        server,
        &mut liaison2,
        "groups/summary-save",
        as_refs(&form("", "", "false")),
    )
    .await;
    assert_eq!(status, 403);
    // Learners do not read summaries.
    refused(
        server,
        &mut l1,
        "groups/summary",
        &[("group_id", &g1s)],
        403,
    )
    .await;
    // Too many participants, then a draft without views.
    let mut too_many = as_refs(&form("", "", "false"));
    too_many[3].1 = "9".into();
    let (status, body) = send(server, &mut liaison1, "groups/summary-save", too_many).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("参与人数"), "{body}");
    let (status, body) = send(
        server,
        &mut liaison1,
        "groups/summary-save",
        as_refs(&form("", "", "false")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = send(
        server,
        &mut liaison1,
        "groups/summary-save",
        as_refs(&form("draft", "", "true")),
    )
    .await;
    assert_eq!(status, 400, "a submitted summary needs views: {body}");
    assert!(body.contains("主要观点"), "{body}");
    let (status, body) = send(
        server,
        &mut liaison1,
        "groups/summary-save",
        as_refs(&form("", "观点", "true")),
    )
    .await;
    assert_eq!(
        status, 400,
        "a form loaded before the draft was saved: {body}"
    );
    let (status, body) = send(
        server,
        &mut liaison1,
        "groups/summary-save",
        as_refs(&form("draft", "大家认为要学用结合。", "true")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = send(
        server,
        &mut liaison1,
        "groups/summary-save",
        as_refs(&form("submitted", "改", "false")),
    )
    .await;
    assert_eq!(status, 400, "submitted summaries wait for review: {body}");
    // The organizer sees who has not submitted; returns, with a comment only.
    let list = ok(
        server,
        &mut organizer,
        "groups/summaries",
        &[("class_id", &class_s)],
    )
    .await;
    let states: Vec<&str> = list["lines"]
        .as_array()
        .unwrap()
        .iter()
        // Not written yet: no state.
        .map(|l| l["state"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(states.iter().filter(|s| s.is_empty()).count(), 3, "{list}");
    assert_eq!(states.iter().filter(|s| **s == "submitted").count(), 1);
    // Liaisons do not review.
    refused(
        server,
        &mut liaison1,
        "groups/summary-review",
        &[
            ("group_id", &g1s),
            ("day", &today),
            ("accept", "true"),
            ("comment", ""),
        ],
        403,
    )
    .await;
    refused(
        server,
        &mut organizer,
        "groups/summary-review",
        &[
            ("group_id", &g1s),
            ("day", &today),
            ("accept", "false"),
            ("comment", " "),
        ],
        400,
    )
    .await;
    ok(
        server,
        &mut organizer,
        "groups/summary-review",
        &[
            ("group_id", &g1s),
            ("day", &today),
            ("accept", "false"),
            ("comment", "请补充问题清单"),
        ],
    )
    .await;
    let returned = ok(
        server,
        &mut liaison1,
        "groups/summary",
        &[("group_id", &g1s)],
    )
    .await;
    assert_eq!(returned["state"], "returned");
    assert_eq!(returned["review_comment"], "请补充问题清单");
    assert_eq!(returned["can_edit"], true);
    let (status, body) = send(
        server,
        &mut liaison1,
        "groups/summary-save",
        as_refs(&form("returned", "补充后的观点", "false")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        store
            .summary(g1.id, day_of(now_millis()))
            .await
            .unwrap()
            .unwrap()
            .state
            .code(),
        "returned",
        "a saved draft stays returned"
    );
    let (status, body) = send(
        server,
        &mut liaison1,
        "groups/summary-save",
        as_refs(&form("returned", "补充后的观点", "true")),
    )
    .await;
    assert_eq!(status, 200, "resubmitted: {body}");
    ok(
        server,
        &mut organizer,
        "groups/summary-review",
        &[
            ("group_id", &g1s),
            ("day", &today),
            ("accept", "true"),
            ("comment", ""),
        ],
    )
    .await;
    let (status, body) = send(
        server,
        &mut liaison1,
        "groups/summary-save",
        as_refs(&form("accepted", "再改", "false")),
    )
    .await;
    assert_eq!(status, 400, "accepted summaries stay: {body}");
    let archived = ok(
        server,
        &mut organizer,
        "groups/summaries-archive",
        &[("class_id", &class_s), ("day", &today)],
    )
    .await;
    assert_eq!(archived, 1);
    let stored = store
        .summary(g1.id, day_of(now_millis()))
        .await
        .unwrap()
        .unwrap();
    assert!(stored.archived_at.is_some());
    assert_eq!(stored.fields.problems, TRICKY, "stored exactly as written");
    // The export: one sheet per day; text exactly as written.
    let yesterday = academy_shared::checkin::label(day_of(now_millis()) - 1);
    let response = get(
        server,
        &organizer,
        &format!("/exports/classes/{class}/summaries.xlsx?from={yesterday}&to={today}"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(
        has(b"xl/worksheets/sheet2.xml") && !has(b"xl/worksheets/sheet3.xml"),
        "two days, two sheets"
    );
    let response = get(
        server,
        &organizer,
        &format!("/exports/classes/{class}/summaries.xlsx?from={today}&to={today}"),
    )
    .await;
    let bytes = response.bytes().await.unwrap();
    let (rows, _) = app::admin::import::decode_sheet("s.xlsx", &bytes).unwrap();
    let all: Vec<&str> = rows.iter().flatten().map(String::as_str).collect();
    assert!(all.contains(&TRICKY), "{rows:?}");
    assert!(all.contains(&"补充后的观点"));
    let response = get(
        server,
        &l1,
        &format!("/exports/classes/{class}/summaries.xlsx"),
    )
    .await;
    assert_eq!(response.status(), 403, "learners cannot export");
    let printed = get(
        server,
        &organizer,
        &format!("/classes/{class}/summaries/print?from={today}&to={today}"),
    )
    .await;
    let html = printed.text().await.unwrap();
    assert!(html.contains("分组讨论汇总表") && html.contains("补充后的观点"));
    assert!(!html.contains("<script>alert(1)"), "no raw markup in print");

    // ---- hiding: audit-logged, gone for learners ----
    ok(
        server,
        &mut liaison1,
        "groups/moderate",
        &[("post_id", &post_id.to_string()), ("action", "hide")],
    )
    .await;
    let (entries, _) = store
        .search_audit(&AuditFilter {
            action: Some("post.hide".into()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.object_id == post_id.to_string() && e.actor_name == "liaison01")
    );
    let seen = ok(server, &mut l2, "groups/thread", &[("class_id", &class_s)]).await;
    let ids: Vec<i64> = seen["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert!(!ids.contains(&post_id), "hidden from learners");
    let moderated = ok(
        server,
        &mut liaison1,
        "groups/thread",
        &[("class_id", &class_s), ("group", &g1s)],
    )
    .await;
    assert!(
        moderated["posts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == post_id && p["hidden"] == true)
    );
    assert!(store.post(post_id).await.is_ok(), "hidden, not deleted");

    // ---- the daily report ----
    let mut supervisor = common::supervisor_of_region_of(server, "learner001").await;
    for (who, browser) in [
        ("organizer", &mut organizer),
        ("supervisor", &mut supervisor),
        ("liaison01", &mut liaison1),
    ] {
        let report = ok(server, browser, "groups/report", &[("class_id", &class_s)]).await;
        let dashboard = ok(
            server,
            browser,
            "classes/dashboard",
            &[("class_id", &class_s)],
        )
        .await;
        assert_eq!(
            report["total"], dashboard["total"],
            "{who}: one source of truth"
        );
        let lines = report["regions"].as_array().unwrap();
        // Every region's total is its own learners plus its children's totals.
        for (i, line) in lines.iter().enumerate() {
            let depth = line["depth"].as_u64().unwrap();
            let children: Vec<&Value> = lines[i + 1..]
                .iter()
                .take_while(|l| l["depth"].as_u64().unwrap() > depth)
                .filter(|l| l["depth"].as_u64().unwrap() == depth + 1)
                .collect();
            if children.is_empty() {
                continue;
            }
            for key in COUNTS {
                let sum: i64 = children
                    .iter()
                    .map(|c| c["figures"][key].as_i64().unwrap())
                    .sum();
                assert_eq!(
                    line["figures"][key].as_i64().unwrap(),
                    sum,
                    "{who}: {} {key}",
                    line["name"]
                );
            }
        }
        let tops: i64 = lines
            .iter()
            .filter(|l| l["depth"] == 0)
            .map(|l| l["figures"]["enrolled"].as_i64().unwrap())
            .sum();
        assert_eq!(tops, report["total"]["enrolled"].as_i64().unwrap(), "{who}");
        let groups_sum: i64 = report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["figures"]["enrolled"].as_i64().unwrap())
            .sum();
        assert_eq!(
            groups_sum,
            report["total"]["enrolled"].as_i64().unwrap(),
            "{who}: groups add up"
        );
        match who {
            "organizer" => assert_eq!(report["total"]["enrolled"], 10),
            // County 1: learner001–004, and learner050 is of county 5.
            _ => assert_eq!(report["total"]["enrolled"], 4, "{who} sees only county 1"),
        }
    }
    // A supervisor of county 1 reads group 1's thread, not group 2's, and cannot post.
    let observed = ok(
        server,
        &mut supervisor,
        "groups/thread",
        &[("class_id", &class_s), ("group", &g1s)],
    )
    .await;
    assert_eq!(observed["can_post"], false);
    refused(
        server,
        &mut supervisor,
        "groups/thread",
        &[("class_id", &class_s), ("group", &g2s)],
        403,
    )
    .await;
    refused(
        server,
        &mut supervisor,
        "groups/post",
        &[("group_id", &g1s), ("body", "x"), ("reply_to", "0")],
        403,
    )
    .await;
    // Learners do not read the report.
    refused(
        server,
        &mut l1,
        "groups/report",
        &[("class_id", &class_s)],
        403,
    )
    .await;
    let response = get(
        server,
        &supervisor,
        &format!("/exports/classes/{class}/report.xlsx"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let (rows, _) = app::admin::import::decode_sheet("r.xlsx", &bytes).unwrap();
    assert_eq!(rows.last().unwrap()[0], "合计");
    assert!(rows.last().unwrap()[1].starts_with('4'), "{rows:?}");
}

#[tokio::test]
async fn groups_on_sqlite() {
    let server = start_with_people().await;
    story(&server).await;
}

#[tokio::test]
async fn groups_on_postgres() {
    let Some((server, database)) = start_postgres_with_people("groups").await else {
        return;
    };
    story(&server).await;
    database.drop_now(&server.store).await;
}
