//! Courseware and studying over HTTP against the real server: uploads checked
//! by content and never half-visible, media served with ranges only to those
//! entitled, the review gates, and the cheating attempts the study-time rules
//! must defeat (each credited no more than the real time that passed).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use academy_shared::ids::{ClassId, CoursewareId};
use common::{
    Browser, PC_UA, PHONE_UA, Running, client, ok, ok_json, signed_in, start_with_demo, upload,
};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const LECTURE: &[u8] = include_bytes!("../demo/lecture.mp4");
const SLIDE: &[u8] = include_bytes!("../demo/slide-1.png");

async fn lessons(server: &Running, browser: &mut Browser) -> Vec<Value> {
    let list = ok(server, browser, "study/lessons", &[]).await;
    list.as_array().expect("a list of lessons").clone()
}

async fn open(
    server: &Running,
    browser: &mut Browser,
    class: ClassId,
    courseware: CoursewareId,
) -> Value {
    ok(
        server,
        browser,
        "study/open",
        &[
            ("class_id", &class.to_string()),
            ("courseware_id", &courseware.to_string()),
        ],
    )
    .await
}

fn hb(seq: i64, position_ms: i64) -> Value {
    json!({
        "seq": seq, "position_ms": position_ms, "playing": true, "rate_milli": 1000,
        "visible": true, "idle_paused": false, "since_interaction_ms": 500
    })
}

async fn send(
    server: &Running,
    browser: &mut Browser,
    stream: i64,
    beats: Vec<Value>,
) -> (u16, Value) {
    let (status, body) = browser
        .post_json(
            server,
            "study/heartbeat",
            json!({ "stream_id": stream, "beats": beats }),
        )
        .await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// GETs `path` with the browser's cookies only (no User-Agent), with a
/// `Range` header when one is given.
async fn get(
    server: &Running,
    browser: &Browser,
    path: &str,
    range: Option<&str>,
) -> reqwest::Response {
    let mut request = client()
        .get(format!("{}{path}", server.base))
        .header("cookie", browser.cookie_header());
    if let Some(range) = range {
        request = request.header("range", range);
    }
    request.send().await.unwrap()
}

/// The first lesson of the demo class, opened by a learner on their phone.
async fn first_lesson(server: &Running, username: &str) -> (Browser, Value) {
    let mut phone = signed_in(server, username, PHONE_UA).await;
    let list = lessons(server, &mut phone).await;
    assert_eq!(
        list.len(),
        12,
        "the twelve lessons of the demo class: {list:?}"
    );
    let class = ClassId(list[0]["class_id"].as_i64().unwrap());
    let courseware = CoursewareId(list[0]["courseware_id"].as_i64().unwrap());
    let lesson = open(server, &mut phone, class, courseware).await;
    (phone, lesson)
}

fn credited(reply: &Value) -> i64 {
    reply["credited_ms"].as_i64().unwrap()
}

#[tokio::test]
async fn media_is_served_with_ranges_to_the_entitled_only() {
    let server = start_with_demo(|c| c).await;
    let (phone, lesson) = first_lesson(&server, "learner001").await;
    let video = lesson["video_url"].as_str().unwrap().to_owned();
    assert_eq!(lesson["duration_ms"], 60_000);
    assert_eq!(lesson["slides"].as_array().unwrap().len(), 3);
    assert!(lesson["intro_url"].is_string(), "the class's intro clip");

    let whole = get(&server, &phone, &video, None).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "video/mp4");
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert!(
        whole.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("private")
    );
    assert!(
        whole.headers().get("content-encoding").is_none(),
        "video is never recompressed"
    );
    assert_eq!(whole.bytes().await.unwrap().as_ref(), LECTURE);

    // Seeking: any range, exactly those bytes.
    let part = get(&server, &phone, &video, Some("bytes=1000-1999")).await;
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 1000-1999/{}", LECTURE.len()).as_str()
    );
    assert_eq!(part.bytes().await.unwrap().as_ref(), &LECTURE[1000..2000]);
    let tail = get(&server, &phone, &video, Some("bytes=-100")).await;
    assert_eq!(tail.status(), 206);
    assert_eq!(
        tail.bytes().await.unwrap().as_ref(),
        &LECTURE[LECTURE.len() - 100..]
    );
    let beyond = get(
        &server,
        &phone,
        &video,
        Some(&format!("bytes={}-", LECTURE.len() + 10)),
    )
    .await;
    assert_eq!(beyond.status(), 416);

    // Nobody signed in: 401. Staff who are not entitled and unknown ids: the same 404.
    let anonymous = Browser::new(PC_UA);
    assert_eq!(get(&server, &anonymous, &video, None).await.status(), 401);
    let stranger = signed_in(&server, "lecturer09", PC_UA).await;
    assert_eq!(get(&server, &stranger, &video, None).await.status(), 404);
    assert_eq!(
        get(&server, &stranger, "/media/999999", None)
            .await
            .status(),
        404
    );
    let lecturer = signed_in(&server, "lecturer01", PC_UA).await;
    assert_eq!(
        get(&server, &lecturer, &video, Some("bytes=0-9"))
            .await
            .status(),
        206
    );
    let organizer = signed_in(&server, "organizer", PC_UA).await;
    assert_eq!(get(&server, &organizer, &video, None).await.status(), 200);
}

async fn media_rows(server: &Running) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM media_files")
        .fetch_one(server.store.pool_for_tests())
        .await
        .unwrap()
}

fn staged_files(server: &Running) -> usize {
    std::fs::read_dir(server.media.staging_dir())
        .unwrap()
        .count()
}

#[tokio::test]
async fn uploads_are_checked_by_content_and_leave_nothing_when_refused() {
    let server = start_with_demo(|mut c| {
        c.max_upload_bytes = 500 * 1024;
        c
    })
    .await;
    let lecturer = signed_in(&server, "lecturer05", PC_UA).await;
    let before = media_rows(&server).await;

    let (status, answer) = upload(
        &server,
        &lecturer,
        "video",
        "%E8%AE%B2%E5%BA%A7.mp4",
        LECTURE.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let stored = &answer["media"][0];
    assert_eq!(stored["duration_ms"], 60_000, "read from the container");
    assert_eq!(stored["file_name"], "讲座.mp4");
    assert_eq!(stored["size_bytes"], LECTURE.len() as i64);
    assert_eq!(stored["sha256"].as_str().unwrap().len(), 64);
    let id = stored["id"].as_i64().unwrap();
    // The uploader may fetch it back before it belongs to any courseware.
    let back = get(&server, &lecturer, &format!("/media/{id}"), None).await;
    assert_eq!(back.bytes().await.unwrap().as_ref(), LECTURE);

    // A picture named .mp4, a truncated video, an empty body: refused with a reason.
    for (kind, name, body) in [
        ("video", "fake.mp4", SLIDE.to_vec()),
        ("video", "cut.mp4", LECTURE[..LECTURE.len() / 3].to_vec()),
        ("image", "x.png", b"GIF89a....".to_vec()),
        ("video", "empty.mp4", Vec::new()),
        ("sound", "x.mp3", b"ID3".to_vec()),
    ] {
        let (status, answer) = upload(&server, &lecturer, kind, name, body).await;
        assert_eq!(status, 400, "{name}: {answer}");
        assert!(
            answer["zh"].as_str().is_some_and(|m| !m.is_empty()),
            "{answer}"
        );
        assert!(
            answer["en"].as_str().is_some_and(|m| !m.is_empty()),
            "{answer}"
        );
    }
    // No kind at all: the same kind of answer, not the framework's text.
    let (status, answer) = upload(&server, &lecturer, "", "x.png", SLIDE.to_vec()).await;
    assert_eq!(status, 400);
    assert!(
        answer["zh"].as_str().is_some_and(|m| !m.is_empty()),
        "{answer}"
    );
    // Over the limit: refused, by the declared length or while streaming.
    let (status, answer) =
        upload(&server, &lecturer, "video", "big.mp4", vec![0; 600 * 1024]).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["zh"].as_str().unwrap().contains("上限"), "{answer}");

    // A learner may not upload at all.
    let learner = signed_in(&server, "learner002", PHONE_UA).await;
    assert_eq!(
        upload(&server, &learner, "image", "x.png", SLIDE.to_vec())
            .await
            .0,
        403
    );

    // The connection drops halfway through: nothing is kept.
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
    use tokio::io::AsyncWriteExt;
    let head = format!(
        "POST /media/upload?kind=video&name=half.mp4 HTTP/1.1\r\nHost: {address}\r\nCookie: {}\r\nContent-Length: {}\r\n\r\n",
        lecturer.cookie_header(),
        LECTURE.len()
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket
        .write_all(&LECTURE[..LECTURE.len() / 2])
        .await
        .unwrap();
    socket.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(socket);
    tokio::time::sleep(Duration::from_millis(500)).await;

    assert_eq!(
        media_rows(&server).await,
        before + 1,
        "only the good upload is recorded"
    );
    assert_eq!(staged_files(&server), 0, "no staged leftovers");
}

#[tokio::test]
async fn review_gates_move_step_by_step_by_permitted_roles() {
    let server = start_with_demo(|c| c).await;
    let mut lecturer = signed_in(&server, "lecturer06", PC_UA).await;
    let (status, id) = lecturer
        .post(
            &server,
            "courseware/create",
            &[("title", "新课件"), ("lecturer_name", "讲师六")],
        )
        .await;
    assert_eq!(status, 200, "{id}");
    let id = id.trim().to_owned();
    // Proofread is the lecturer's; submitting needs a video first.
    assert_eq!(
        review(&server, &mut lecturer, &id, "proofread", "").await.0,
        200
    );
    let (status, body) = review(&server, &mut lecturer, &id, "submit", "").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("视频"), "{body}");
    let (_, answer) = upload(&server, &lecturer, "video", "v.mp4", LECTURE.to_vec()).await;
    let media = answer["media"][0]["id"].as_i64().unwrap().to_string();
    let (status, body) = lecturer
        .post(
            &server,
            "courseware/video",
            &[("id", &id), ("media_id", &media)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Another lecturer's upload cannot be put into this courseware.
    let other_uploader = signed_in(&server, "lecturer11", PC_UA).await;
    let (_, theirs) = upload(&server, &other_uploader, "video", "t.mp4", LECTURE.to_vec()).await;
    let theirs = theirs["media"][0]["id"].as_i64().unwrap().to_string();
    let (status, _) = lecturer
        .post(
            &server,
            "courseware/video",
            &[("id", &id), ("media_id", &theirs)],
        )
        .await;
    assert_eq!(status, 400, "not the lecturer's own upload");
    assert_eq!(
        review(&server, &mut lecturer, &id, "submit", "").await.0,
        200
    );
    // Submitted: the lecturer can no longer edit or approve it.
    let (status, _) = lecturer
        .post(
            &server,
            "courseware/outline",
            &[("id", &id), ("outline", "00:00 # 一")],
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        review(&server, &mut lecturer, &id, "approve", "").await.0,
        403
    );
    // A learner can do nothing here; another lecturer does not even see it.
    let mut learner = signed_in(&server, "learner003", PHONE_UA).await;
    assert_eq!(
        review(&server, &mut learner, &id, "approve", "").await.0,
        403
    );
    let mut other = signed_in(&server, "lecturer07", PC_UA).await;
    assert_eq!(review(&server, &mut other, &id, "approve", "").await.0, 404);
    // The reviewer sends it back, which needs a comment.
    let mut reviewer = signed_in(&server, "reviewer", PC_UA).await;
    assert_eq!(
        review(&server, &mut reviewer, &id, "send_back", "").await.0,
        400
    );
    assert_eq!(
        review(&server, &mut reviewer, &id, "send_back", "第3分钟字幕有误")
            .await
            .0,
        200
    );
    assert_eq!(
        review(&server, &mut lecturer, &id, "proofread", "").await.0,
        200
    );
    assert_eq!(
        review(&server, &mut lecturer, &id, "submit", "").await.0,
        200
    );
    assert_eq!(
        review(&server, &mut reviewer, &id, "approve", "").await.0,
        200
    );
    // A step that does not follow from the state is refused.
    assert_eq!(
        review(&server, &mut reviewer, &id, "approve", "").await.0,
        400
    );
    let mut organizer = signed_in(&server, "organizer", PC_UA).await;
    assert_eq!(
        review(&server, &mut organizer, &id, "publish", "").await.0,
        200
    );
    let (status, body) = organizer
        .post(&server, "courseware/get", &[("id", &id)])
        .await;
    assert_eq!(status, 200);
    let edit: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(edit["state"], "published");
    let history: Vec<String> = edit["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        history,
        [
            "proofread",
            "submit",
            "send_back",
            "proofread",
            "submit",
            "approve",
            "publish"
        ]
    );
    assert_eq!(edit["history"][2]["comment"], "第3分钟字幕有误");

    // Only reviewed courseware joins a published class.
    let (_, draft) = lecturer
        .post(
            &server,
            "courseware/create",
            &[("title", "草稿"), ("lecturer_name", "讲师六")],
        )
        .await;
    let class = edit["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[1] == "2026年党员教育示范培训班")
        .unwrap()[0]
        .as_i64()
        .unwrap()
        .to_string();
    let (status, body) = organizer
        .post(
            &server,
            "courseware/add-to-class",
            &[("id", draft.trim()), ("class_id", &class)],
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = organizer
        .post(
            &server,
            "courseware/add-to-class",
            &[("id", &id), ("class_id", &class)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        lessons(&server, &mut learner).await.len(),
        13,
        "the learner sees it now"
    );
}

async fn review(
    server: &Running,
    browser: &mut Browser,
    id: &str,
    action: &str,
    comment: &str,
) -> (u16, String) {
    browser
        .post(
            server,
            "courseware/review",
            &[("id", id), ("action", action), ("comment", comment)],
        )
        .await
}

/// Sleeps until `since + ms` of real time has passed.
async fn wait_until(since: Instant, ms: u64) {
    let target = since + Duration::from_millis(ms);
    let now = Instant::now();
    if target > now {
        tokio::time::sleep(target - now).await;
    }
}

#[tokio::test]
async fn cheating_is_never_credited_more_than_real_time() {
    let server = start_with_demo(|c| c).await;
    let (mut phone, lesson) = first_lesson(&server, "learner004").await;
    let stream = lesson["stream_id"].as_i64().unwrap();
    let start = Instant::now();
    let (status, reply) = send(&server, &mut phone, stream, vec![hb(1, 0)]).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(credited(&reply), 0);

    // Seeking to the end: nothing for the skipped part.
    let (_, reply) = send(&server, &mut phone, stream, vec![hb(2, 59_000)]).await;
    assert_eq!(credited(&reply), 0);
    assert!(!reply["complete"].as_bool().unwrap());
    // Back to the start, then honest play for 2 s of real time.
    send(&server, &mut phone, stream, vec![hb(3, 0)]).await;
    let honest = Instant::now();
    wait_until(honest, 2_000).await;
    let (_, reply) = send(&server, &mut phone, stream, vec![hb(4, 2_000)]).await;
    let after_honest = credited(&reply);
    assert!((1_500..=2_000).contains(&after_honest), "{reply}");

    // Rate 16×: refused credit.
    wait_until(honest, 3_000).await;
    let mut fast = hb(5, 18_000);
    fast["rate_milli"] = json!(16_000);
    let (_, reply) = send(&server, &mut phone, stream, vec![fast]).await;
    assert_eq!(credited(&reply), after_honest);

    // Replayed, reordered and forged heartbeats.
    let (_, reply) = send(
        &server,
        &mut phone,
        stream,
        vec![hb(4, 20_000), hb(2, 30_000)],
    )
    .await;
    assert_eq!(
        credited(&reply),
        after_honest,
        "old sequence numbers are ignored"
    );
    let (_, reply) = send(&server, &mut phone, stream, vec![hb(6, 61_500), hb(7, -5)]).await;
    assert_eq!(
        credited(&reply),
        after_honest,
        "positions outside the video"
    );
    let mut negative = hb(8, 18_500);
    negative["since_interaction_ms"] = json!(-1);
    let (_, reply) = send(&server, &mut phone, stream, vec![negative]).await;
    assert_eq!(credited(&reply), after_honest);
    let (status, _) = send(&server, &mut phone, stream, vec![]).await;
    assert_eq!(status, 400, "an empty batch");
    let many: Vec<Value> = (100..200).map(|s| hb(s, 18_000)).collect();
    assert_eq!(
        send(&server, &mut phone, stream, many).await.0,
        400,
        "too many in one request"
    );

    // A script sending heartbeats faster than real time, each claiming 15 s.
    let script = Instant::now();
    let mut seq = 1_000_000;
    let mut position = 18_000;
    for _ in 0..30 {
        seq += 1;
        position = (position + 15_000).min(60_000);
        send(&server, &mut phone, stream, vec![hb(seq, position)]).await;
    }
    let (_, reply) = send(&server, &mut phone, stream, vec![hb(seq + 1, 60_000)]).await;
    let gained = credited(&reply) - after_honest;
    let real = i64::try_from(script.elapsed().as_millis()).unwrap() + 1_000;
    assert!(
        gained <= real,
        "gained {gained} ms in {real} ms of real time"
    );
    assert!(credited(&reply) <= i64::try_from(start.elapsed().as_millis()).unwrap());

    // Another learner's stream: not found; no session: 401.
    let mut other = signed_in(&server, "learner005", PHONE_UA).await;
    assert_eq!(
        send(&server, &mut other, stream, vec![hb(seq + 2, 0)])
            .await
            .0,
        404
    );
    let mut nobody = Browser::new(PC_UA);
    assert_eq!(
        send(&server, &mut nobody, stream, vec![hb(seq + 2, 0)])
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn two_tabs_or_devices_earn_one_credit_and_idle_time_earns_none() {
    let server = start_with_demo(|c| c).await;
    let (mut phone, lesson) = first_lesson(&server, "learner006").await;
    let class = ClassId(lesson["class_id"].as_i64().unwrap());
    let courseware = CoursewareId(lesson["courseware_id"].as_i64().unwrap());
    let first = lesson["stream_id"].as_i64().unwrap();
    // A second tab of the same lesson.
    let second = open(&server, &mut phone, class, courseware).await["stream_id"]
        .as_i64()
        .unwrap();
    assert_ne!(first, second);

    let t = Instant::now();
    let (_, a) = send(&server, &mut phone, first, vec![hb(1, 0)]).await;
    assert!(!a["other_stream_active"].as_bool().unwrap());
    let (_, b) = send(&server, &mut phone, second, vec![hb(1, 0)]).await;
    assert!(b["other_stream_active"].as_bool().unwrap(), "told so");
    wait_until(t, 2_000).await;
    let (_, a) = send(&server, &mut phone, first, vec![hb(2, 2_000)]).await;
    let (_, b) = send(&server, &mut phone, second, vec![hb(2, 2_000)]).await;
    assert!(b["other_stream_active"].as_bool().unwrap());
    assert!(credited(&b) <= 2_000, "one credit for both tabs: {a} {b}");
    let both = credited(&b);

    // The idle prompt is showing: the time is not credited, during or after.
    let mut idle = hb(3, 2_000);
    idle["playing"] = json!(false);
    idle["idle_paused"] = json!(true);
    send(&server, &mut phone, first, vec![idle]).await;
    let (status, _) = phone
        .post(
            &server,
            "study/event",
            &[
                ("stream_id", &first.to_string()),
                ("kind", "idle_prompt_shown"),
                ("position_ms", "2000"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    wait_until(t, 4_000).await;
    let (status, _) = phone
        .post(
            &server,
            "study/event",
            &[
                ("stream_id", &first.to_string()),
                ("kind", "idle_prompt_confirmed"),
                ("position_ms", "2000"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let (_, a) = send(&server, &mut phone, first, vec![hb(4, 2_000)]).await;
    assert_eq!(credited(&a), both, "idle time is gone");
    // A modified client claiming play while its user is idle: not credited.
    wait_until(t, 5_000).await;
    let mut idle_play = hb(5, 3_000);
    idle_play["since_interaction_ms"] = json!(25 * 60_000);
    let (_, a) = send(&server, &mut phone, first, vec![idle_play]).await;
    assert_eq!(credited(&a), both);
    let events = server.store.study_events(first).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["idle_prompt_shown", "idle_prompt_confirmed"]
    );
    let (status, _) = phone
        .post(
            &server,
            "study/event",
            &[
                ("stream_id", &first.to_string()),
                ("kind", "drop table"),
                ("position_ms", "0"),
            ],
        )
        .await;
    assert_eq!(status, 400);

    // The PC (approved from the phone) opens the same lesson: it resumes where
    // the phone stopped, and is told the phone holds the credit.
    let position = server
        .store
        .lesson_progress(
            academy_shared::ids::UserId(
                server
                    .store
                    .user_by_username("learner006")
                    .await
                    .unwrap()
                    .id
                    .0,
            ),
            class,
            courseware,
        )
        .await
        .unwrap()
        .unwrap()
        .position_ms;
    assert_eq!(position, 3_000);
    let resumed = open(&server, &mut phone, class, courseware).await;
    assert_eq!(resumed["resume_ms"], 3_000, "resumes where it stopped");
}

#[tokio::test]
async fn an_offline_queue_replayed_at_once_earns_what_was_really_played() {
    let server = start_with_demo(|c| c).await;
    let (mut phone, lesson) = first_lesson(&server, "learner007").await;
    let stream = lesson["stream_id"].as_i64().unwrap();
    let t = Instant::now();
    send(&server, &mut phone, stream, vec![hb(1, 0)]).await;
    // Offline for 3 s while playing: three heartbeats wait in the queue...
    wait_until(t, 3_000).await;
    // ...and arrive together when the network is back.
    let (_, reply) = send(
        &server,
        &mut phone,
        stream,
        vec![hb(2, 1_000), hb(3, 2_000), hb(4, 3_000)],
    )
    .await;
    assert_eq!(reply["last_seq"], 4);
    let got = credited(&reply);
    assert!((2_900..=3_000).contains(&got), "{reply}");
    // The same queue sent again (the answer was lost): applied once.
    let (_, again) = send(
        &server,
        &mut phone,
        stream,
        vec![hb(2, 1_000), hb(3, 2_000), hb(4, 3_000)],
    )
    .await;
    assert_eq!(credited(&again), got);
}

async fn send_leaving(
    server: &Running,
    browser: &mut Browser,
    stream: i64,
    beats: Vec<Value>,
) -> Value {
    ok_json(
        server,
        browser,
        "study/heartbeat",
        json!({ "stream_id": stream, "beats": beats, "leaving": true }),
    )
    .await
}

fn fast(seq: i64, position_ms: i64) -> Value {
    let mut beat = hb(seq, position_ms);
    beat["rate_milli"] = json!(2000);
    beat
}

async fn total_credited(server: &Running, browser: &mut Browser) -> i64 {
    lessons(server, browser)
        .await
        .iter()
        .map(|l| l["credited_ms"].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn a_learner_earns_one_clock_however_many_pages_they_open() {
    let server = start_with_demo(|c| c).await;
    let mut phone = signed_in(&server, "learner008", PHONE_UA).await;
    let list = lessons(&server, &mut phone).await;
    let before = total_credited(&server, &mut phone).await;
    let start = Instant::now();

    // The attack: open all twelve lessons, stay silent, then one heartbeat
    // per page claiming the silence played at 2x, leaving (freeing the
    // lease). Each page used to be paid the whole silence.
    let mut streams = Vec::new();
    for lesson in &list {
        let class = ClassId(lesson["class_id"].as_i64().unwrap());
        let courseware = CoursewareId(lesson["courseware_id"].as_i64().unwrap());
        let opened = open(&server, &mut phone, class, courseware).await;
        streams.push(opened["stream_id"].as_i64().unwrap());
    }
    wait_until(start, 3_000).await;
    let mut closed = 0;
    for (i, stream) in streams.iter().enumerate() {
        let reply = send_leaving(&server, &mut phone, *stream, vec![fast(1, 6_000)]).await;
        if reply["stream_closed"].as_bool().unwrap() {
            closed += 1;
            assert!(i < 9, "only the oldest pages are closed");
        }
    }
    assert_eq!(closed, 9, "three live pages per learner");
    // The same pages replay forged offline queues, one beat per 250 ms of
    // real time claimed.
    wait_until(start, 4_000).await;
    for stream in &streams[9..] {
        let queue: Vec<Value> = (2..=17).map(|i| fast(i, (i - 1) * 500)).collect();
        send_leaving(&server, &mut phone, *stream, queue).await;
    }
    let gained = total_credited(&server, &mut phone).await - before;
    let real = i64::try_from(start.elapsed().as_millis()).unwrap();
    assert!(gained <= real, "gained {gained} ms in {real} ms");
    assert!(
        gained <= 4_500,
        "the silent pages banked nothing: {gained} ms"
    );

    // K pages of one lesson positioned along it, beating in turn.
    let class = ClassId(list[0]["class_id"].as_i64().unwrap());
    let courseware = CoursewareId(list[0]["courseware_id"].as_i64().unwrap());
    let before = total_credited(&server, &mut phone).await;
    let spread = Instant::now();
    let mut along = Vec::new();
    for k in 0..3 {
        let stream = open(&server, &mut phone, class, courseware).await["stream_id"]
            .as_i64()
            .unwrap();
        send_leaving(&server, &mut phone, stream, vec![hb(1, k * 20_000)]).await;
        along.push(stream);
    }
    for round in 1..=4_i64 {
        wait_until(spread, u64::try_from(round).unwrap() * 500).await;
        for (k, stream) in along.iter().enumerate() {
            let position = i64::try_from(k).unwrap() * 20_000 + round * 500;
            send_leaving(&server, &mut phone, *stream, vec![hb(round + 1, position)]).await;
        }
    }
    let gained = total_credited(&server, &mut phone).await - before;
    let real = i64::try_from(spread.elapsed().as_millis()).unwrap();
    assert!(
        gained <= real,
        "three pages along one lesson: {gained} ms in {real} ms"
    );
}

/// A two-page PDF, written by hand (pdftoppm rebuilds the cross-reference table).
fn two_page_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 320 180] >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 320 180] >>",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[tokio::test]
async fn a_pdf_of_slides_becomes_one_image_per_page() {
    if std::process::Command::new("pdftoppm")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!(
            "pdftoppm is not installed (scripts/install-toolchain.sh test installs it): skipped"
        );
        return;
    }
    let server = start_with_demo(|c| c).await;
    let lecturer = signed_in(&server, "lecturer10", PC_UA).await;
    let (status, answer) = upload(&server, &lecturer, "pdf", "slides.pdf", two_page_pdf()).await;
    assert_eq!(status, 201, "{answer}");
    let pages = answer["media"].as_array().unwrap();
    assert_eq!(pages.len(), 2);
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page["kind"], "image");
        assert_eq!(page["content_type"], "image/png");
        assert_eq!(page["file_name"], format!("slides-{}.png", i + 1));
        let id = page["id"].as_i64().unwrap();
        let image = get(&server, &lecturer, &format!("/media/{id}"), None).await;
        assert_eq!(image.headers()["content-type"], "image/png");
        assert!(image.bytes().await.unwrap().starts_with(b"\x89PNG"));
    }
    // Not a PDF, or a broken one: a reason, and nothing kept.
    let before = media_rows(&server).await;
    assert_eq!(
        upload(&server, &lecturer, "pdf", "x.pdf", SLIDE.to_vec())
            .await
            .0,
        400
    );
    assert_eq!(
        upload(
            &server,
            &lecturer,
            "pdf",
            "x.pdf",
            b"%PDF-1.4\ngarbage".to_vec()
        )
        .await
        .0,
        400
    );
    assert_eq!(media_rows(&server).await, before);
    assert_eq!(staged_files(&server), 0);
}

#[tokio::test]
async fn courseware_sent_back_for_revision_leaves_its_classes_until_approved_again() {
    let server = start_with_demo(|c| c).await;
    let (mut phone, lesson) = first_lesson(&server, "learner011").await;
    let class = ClassId(lesson["class_id"].as_i64().unwrap());
    let courseware = CoursewareId(lesson["courseware_id"].as_i64().unwrap());
    let video = lesson["video_url"].as_str().unwrap().to_owned();
    assert_eq!(get(&server, &phone, &video, None).await.status(), 200);

    // The organizer takes it out of the catalogue (approved: still in its
    // classes), then the reviewer sends it back: its video is about to change.
    let mut organizer = signed_in(&server, "organizer", PC_UA).await;
    let (status, body) = review(
        &server,
        &mut organizer,
        &courseware.to_string(),
        "withdraw",
        "",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(&server, &phone, &video, None).await.status(), 200);
    let mut reviewer = signed_in(&server, "reviewer", PC_UA).await;
    let (status, body) = review(
        &server,
        &mut reviewer,
        &courseware.to_string(),
        "send_back",
        "第3分钟字幕有误",
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // Learners see it listed as under revision, cannot open it, and its
    // media is not served to them.
    let list = lessons(&server, &mut phone).await;
    let listed = list
        .iter()
        .find(|l| l["courseware_id"] == courseware.0)
        .unwrap();
    assert_eq!(listed["under_revision"], true);
    let (status, body) = phone
        .post(
            &server,
            "study/open",
            &[
                ("class_id", &class.to_string()),
                ("courseware_id", &courseware.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("修订"), "{body}");
    assert_eq!(get(&server, &phone, &video, None).await.status(), 404);

    // A class cannot be published with it.
    let draft = server
        .store
        .insert_class(
            &app::store::ClassEdit {
                title: "修订中的课件".to_owned(),
                description: String::new(),
                starts_on: None,
                ends_on: None,
                idle_prompt_ms: 20 * 60 * 1000,
                max_rate_milli: 2000,
                gating: Default::default(),
                completion: Default::default(),
                issuer: String::new(),
            },
            server.store.user_by_username("organizer").await.unwrap().id,
            app::store::now_millis(),
        )
        .await
        .unwrap();
    server
        .store
        .set_class_courseware(draft, &[courseware])
        .await
        .unwrap();
    let (status, body) = organizer
        .post(
            &server,
            "classes/state",
            &[("id", &draft.to_string()), ("to", "published")],
        )
        .await;
    assert_eq!(status, 400, "{body}");

    // Proofread and submitted again (the organizer may, for any lecturer)
    // and approved by the reviewer: it is back.
    let id = courseware.to_string();
    for action in ["proofread", "submit"] {
        let (status, body) = review(&server, &mut organizer, &id, action, "").await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    let (status, body) = review(&server, &mut reviewer, &id, "approve", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(&server, &phone, &video, None).await.status(), 200);
    let reopened = open(&server, &mut phone, class, courseware).await;
    assert!(reopened["stream_id"].is_i64());
}
