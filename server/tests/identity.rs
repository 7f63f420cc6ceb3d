//! Identity over HTTP against the real server: device binding and approval of
//! a second device, registration with an SMS code through the webhook
//! provider (a local receiver stands in for the gateway), the learner import
//! in both encodings, and the administration functions refusing non-administrators
//! (the matrix over every function and route is `tests/authorization`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use academy_shared::ids::UserId;
use common::{Browser, PC_UA, PHONE_UA, Running, client, get, ok_json, start_with_demo};
use server::config::{Config, SmsConfig};
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn a_learner_is_bound_to_the_first_device_and_lets_a_pc_in_from_it() {
    let server = start_with_demo(|c| c).await;
    let mut phone = Browser::new(PHONE_UA);
    let (status, body) = phone.sign_in(&server, "learner001").await;
    assert_eq!(status, 200, "{body}");
    let device_key = phone
        .device
        .clone()
        .expect("the first device gets a device key cookie");
    assert!(
        body.contains(&device_key),
        "the key also goes to web storage: {body}"
    );

    // The same phone, cookies lost (a WeChat webview restart), key from web storage.
    let mut restarted = Browser::new(PHONE_UA);
    let (status, _) = restarted
        .post(
            &server,
            "auth/login",
            &[
                ("username", "learner001"),
                ("password", server::demo::DEMO_PASSWORD),
                ("device_key", &device_key),
            ],
        )
        .await;
    assert_eq!(status, 200);

    // Another device is refused, with what to do, and gets no session.
    let mut pc = Browser::new(PC_UA);
    let (status, body) = pc.sign_in(&server, "learner001").await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        body, "\"DeviceNotBound\"",
        "the page shows this error's message"
    );
    assert!(pc.session.is_none());
    // By phone number too.
    let (status, _) = pc.sign_in(&server, "13912340001").await;
    assert_eq!(status, 403);

    // The PC asks; the phone sees which device asks and approves.
    let (status, body) = pc
        .post(
            &server,
            "auth/approval/start",
            &[
                ("username", "learner001"),
                ("password", server::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let ticket: serde_json::Value = serde_json::from_str(&body).unwrap();
    let secret = ticket["secret"].as_str().unwrap().to_owned();
    let code = ticket["short_code"].as_str().unwrap().to_owned();
    assert!(ticket["qr_svg"].as_str().unwrap().contains("<svg"));
    assert!(
        ticket["approve_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/approve?code={code}"))
    );
    let (status, body) = pc
        .post(&server, "auth/approval/poll", &[("secret", &secret)])
        .await;
    assert_eq!((status, body.as_str()), (200, "\"Pending\""));

    // Only the bound phone may answer: not the PC, not another learner.
    let mut other = Browser::new(PHONE_UA);
    other.sign_in(&server, "learner002").await;
    let (status, _) = other
        .post(
            &server,
            "devices/approval/decide",
            &[("code", &code), ("approve", "true")],
        )
        .await;
    assert_eq!(status, 404, "another account's code is not found");
    let (status, body) = phone
        .post(
            &server,
            "devices/approval",
            &[("code", &code.to_lowercase())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Chrome · Windows 电脑"), "{body}");
    let (status, _) = phone
        .post(
            &server,
            "devices/approval/decide",
            &[("code", &code), ("approve", "true")],
        )
        .await;
    assert_eq!(status, 200);

    let (status, body) = pc
        .post(&server, "auth/approval/poll", &[("secret", &secret)])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Approved"), "{body}");
    assert!(pc.session.is_some(), "the approved PC gets a session");
    let (status, body) = pc.post(&server, "auth/me", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("learner001"));
    // A second poll with the same secret opens nothing.
    let (_, body) = Browser::new(PC_UA)
        .post(&server, "auth/approval/poll", &[("secret", &secret)])
        .await;
    assert_eq!(body, "\"Expired\"");

    // The phone lists the PC and signs it out.
    let (_, body) = phone.post(&server, "devices/mine", &[]).await;
    let devices: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(devices["this_is_bound_device"], true);
    let approved = devices["approved"].as_array().unwrap();
    assert_eq!(approved.len(), 1);
    let approval_id = approved[0]["id"].to_string();
    let (status, _) = phone
        .post(&server, "devices/revoke", &[("id", &approval_id)])
        .await;
    assert_eq!(status, 200);
    let (_, body) = pc.post(&server, "auth/me", &[]).await;
    assert_eq!(body, "null", "the PC's session ended with its approval");

    // A rebinding request, approved by an administrator, unbinds the phone and
    // ends its sessions; the next device to sign in is bound.
    let (status, _) = pc
        .post(
            &server,
            "auth/rebind/request",
            &[
                ("username", "learner001"),
                ("password", server::demo::DEMO_PASSWORD),
                ("reason", "换了新手机"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let mut admin = Browser::new(PC_UA);
    assert_eq!(
        admin.sign_in(&server, "admin").await.0,
        200,
        "staff are not bound"
    );
    let (_, body) = admin.post(&server, "devices/rebind/open", &[]).await;
    let open: serde_json::Value = serde_json::from_str(&body).unwrap();
    let request_id = open[0]["id"].to_string();
    let (status, _) = admin
        .post(
            &server,
            "devices/rebind/decide",
            &[("id", &request_id), ("approve", "true")],
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = phone.post(&server, "auth/me", &[]).await;
    assert_eq!(body, "null", "unbinding ended the phone's session");
    let (status, _) = pc.sign_in(&server, "learner001").await;
    assert_eq!(status, 200, "the new device binds");

    // Everything was audit-logged.
    let user = server.store.user_by_username("learner001").await.unwrap();
    let (entries, _) = server
        .store
        .search_audit(&app::store::AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "device.bound",
        "login.refused_other_device",
        "device.approval_requested",
        "device.approved",
        "login.succeeded_by_approval",
        "device.approval_revoked",
        "device.rebind_requested",
        "device.rebind_approved",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    assert!(entries.iter().any(|e| e.actor_id == Some(user.id)));
}

/// A stand-in SMS gateway: records what it is sent.
async fn sms_receiver() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::Json<serde_json::Value>| {
                let store = store.clone();
                async move {
                    assert_eq!(headers["authorization"], "Bearer gateway-token");
                    store.lock().unwrap().push(body.0);
                    "ok"
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/sms"), received)
}

#[tokio::test]
async fn registration_with_an_sms_code_sent_through_the_webhook() {
    let (url, received) = sms_receiver().await;
    let server = start_with_demo(|c| Config {
        sms: SmsConfig::Webhook {
            url,
            token: Some(server::config::Secret::new("gateway-token")),
        },
        ..c
    })
    .await;
    let mut phone = Browser::new(PHONE_UA);
    let (status, body) = phone
        .post(
            &server,
            "auth/sms/send",
            &[("phone", "137 0000 8888"), ("purpose", "register")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let code = {
        let messages = received.lock().unwrap();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0]["phone"], "13700008888");
        assert_eq!(messages[0]["purpose"], "register");
        assert!(messages[0]["text"].as_str().unwrap().contains("验证码"));
        messages[0]["code"].as_str().unwrap().to_owned()
    };
    // A second code within the minute is refused, saying how long to wait.
    let (status, body) = phone
        .post(
            &server,
            "auth/sms/send",
            &[("phone", "13700008888"), ("purpose", "register")],
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("秒后再试"), "{body}");
    assert_eq!(received.lock().unwrap().len(), 1);

    let region = server
        .store
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code == "520602")
        .unwrap();
    let region_id = region.id.0.to_string();
    let form = |code: &str| {
        vec![
            ("phone", "13700008888".to_owned()),
            ("code", code.to_owned()),
            ("username", "newlearner".to_owned()),
            ("real_name", "新学员".to_owned()),
            ("region_id", region_id.clone()),
            ("work_unit", "碧江区某支部".to_owned()),
            ("password", "a-long-password".to_owned()),
        ]
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let as_refs = |f: &Vec<(&'static str, String)>| {
        f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };
    let wrong_form = as_refs(&form(wrong));
    let pairs: Vec<(&str, &str)> = wrong_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = phone.post(&server, "auth/register", &pairs).await;
    assert_eq!(status, 400);
    assert!(body.contains("验证码不正确"), "{body}");
    assert!(
        server.store.user_by_username("newlearner").await.is_err(),
        "nothing written"
    );

    let good = as_refs(&form(&code));
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = phone.post(&server, "auth/register", &pairs).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        phone.session.is_some() && phone.device.is_some(),
        "signed in and bound"
    );
    let user = server.store.user_by_username("newlearner").await.unwrap();
    assert_eq!(user.phone.as_deref(), Some("13700008888"));
    assert!(server.store.live_binding(user.id).await.unwrap().is_some());
    // The code works once.
    let (status, _) = Browser::new(PC_UA)
        .post(&server, "auth/register", &pairs)
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_failing_gateway_is_a_clear_message_not_a_500() {
    let server = start_with_demo(|c| Config {
        sms: SmsConfig::Webhook {
            url: "http://127.0.0.1:9/nothing-listens-here".into(),
            token: None,
        },
        ..c
    })
    .await;
    let (status, body) = Browser::new(PHONE_UA)
        .post(
            &server,
            "auth/sms/send",
            &[("phone", "13700008889"), ("purpose", "register")],
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("短信发送失败"), "{body}");
}

#[tokio::test]
async fn admin_created_accounts_activate_once_and_password_changes_end_sessions() {
    let server = start_with_demo(|c| c).await;
    let mut admin = Browser::new(PC_UA);
    admin.sign_in(&server, "admin").await;
    let region = server
        .store
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code == "520602")
        .unwrap()
        .id
        .0
        .to_string();
    let (status, body) = admin
        .post(
            &server,
            "admin/users/create",
            &[
                ("username", "Newstaff"),
                ("real_name", "新同事"),
                ("phone", "13600001111"),
                ("region_id", &region),
                ("roles[0]", "organizer"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let code = created["code"].as_str().unwrap().to_owned();
    let mut staff = Browser::new(PC_UA);
    let (status, _) = staff
        .post(
            &server,
            "auth/login",
            &[("username", "newstaff"), ("password", "anything-at-all")],
        )
        .await;
    assert_eq!(status, 400, "no password before activation");
    let (status, body) = staff
        .post(
            &server,
            "auth/activate",
            &[
                ("username", "newstaff"),
                ("code", &code),
                ("password", "first-password"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = staff
        .post(
            &server,
            "auth/activate",
            &[
                ("username", "newstaff"),
                ("code", &code),
                ("password", "second-password"),
            ],
        )
        .await;
    assert_eq!(status, 400, "a code works once");
    let (status, _) = staff
        .post(
            &server,
            "auth/login",
            &[("username", "newstaff"), ("password", "first-password")],
        )
        .await;
    assert_eq!(status, 200);
    let mut elsewhere = Browser::new(PHONE_UA);
    elsewhere
        .post(
            &server,
            "auth/login",
            &[("username", "newstaff"), ("password", "first-password")],
        )
        .await;

    // A password change keeps this session and ends the others.
    let (status, _) = staff
        .post(
            &server,
            "account/password",
            &[
                ("current_password", "first-password"),
                ("new_password", "second-password"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        staff
            .post(&server, "auth/me", &[])
            .await
            .1
            .contains("newstaff")
    );
    assert_eq!(elsewhere.post(&server, "auth/me", &[]).await.1, "null");

    // Disabling ends every session; an admin reset voids the password.
    let id = created["user_id"].to_string();
    admin
        .post(
            &server,
            "admin/users/disable",
            &[("id", &id), ("disabled", "true")],
        )
        .await;
    assert_eq!(staff.post(&server, "auth/me", &[]).await.1, "null");
    admin
        .post(
            &server,
            "admin/users/disable",
            &[("id", &id), ("disabled", "false")],
        )
        .await;
    let (status, body) = admin
        .post(&server, "admin/users/reset", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = staff
        .post(
            &server,
            "auth/login",
            &[("username", "newstaff"), ("password", "second-password")],
        )
        .await;
    assert_eq!(status, 400, "the old password no longer works");
}

fn csv_with_bad_rows() -> String {
    "用户名,姓名,手机号,地区,工作单位/党支部,性别,出生年份,学历,就业状况\r\n\
     ,王小明,13500000001,碧江区,碧江区某支部,男,1980,本科,在职\r\n\
     ,李小红,1350000,碧江区,,女,,,\r\n\
     ,赵大勇,13500000003,火星区,,,,,\r\n\
     ,周一,13912340001,万山区,,,,,\r\n"
        .to_owned()
}

async fn import(
    admin: &mut Browser,
    server: &Running,
    name: &str,
    bytes: &[u8],
    confirm: bool,
) -> serde_json::Value {
    use base64::Engine;
    ok_json(
        server,
        admin,
        "admin/import/learners",
        serde_json::json!({
            "file_name": name,
            "file_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
            "confirm": confirm,
        }),
    )
    .await
}

#[tokio::test]
async fn imports_report_bad_rows_in_utf8_and_gbk_and_write_all_or_nothing() {
    let server = start_with_demo(|c| c).await;
    let mut admin = Browser::new(PC_UA);
    admin.sign_in(&server, "admin").await;
    let before = server.store.count_users().await.unwrap();
    let text = csv_with_bad_rows();
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    for (name, bytes, encoding) in [
        ("名单.csv", text.as_bytes().to_vec(), "UTF-8"),
        ("名单-gbk.csv", gbk.into_owned(), "GBK"),
    ] {
        let report = import(&mut admin, &server, name, &bytes, true).await;
        assert_eq!(report["encoding"], encoding);
        assert_eq!(report["valid_rows"], 1, "{report}");
        assert!(
            report["imported"].is_null(),
            "confirming a file with problems writes nothing"
        );
        let problems: Vec<(u64, String)> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["row"].as_u64().unwrap(),
                    p["column"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            problems,
            vec![
                (3, "手机号".to_owned()),
                (4, "地区".to_owned()),
                (5, "手机号".to_owned())
            ],
            "{report}"
        );
        assert_eq!(server.store.count_users().await.unwrap(), before);
    }

    // A clean .xlsx (phone numbers as numbers, as Excel keeps them) imports whole.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in ["姓名", "手机号", "地区", "学历"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    for row in 1..=3u32 {
        sheet.write_string(row, 0, format!("学员{row}")).unwrap();
        sheet
            .write_number(row, 1, 13500000100.0 + f64::from(row))
            .unwrap();
        sheet.write_string(row, 2, "铜仁市/万山区").unwrap();
        sheet.write_string(row, 3, "大专").unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let report = import(&mut admin, &server, "roster.xlsx", &bytes, false).await;
    assert_eq!(
        (report["valid_rows"].as_u64(), report["imported"].is_null()),
        (Some(3), true),
        "{report}"
    );
    assert_eq!(
        server.store.count_users().await.unwrap(),
        before,
        "checking writes nothing"
    );
    let report = import(&mut admin, &server, "roster.xlsx", &bytes, true).await;
    assert_eq!(report["imported"], 3, "{report}");
    assert_eq!(server.store.count_users().await.unwrap(), before + 3);
    let imported = server.store.user_by_phone("13500000101").await.unwrap();
    assert_eq!(imported.username, "m13500000101");
    assert_eq!(imported.profile.education.as_deref(), Some("college"));
    // Importing the same file again: every row's name and number are taken.
    let report = import(&mut admin, &server, "roster.xlsx", &bytes, true).await;
    assert_eq!(report["problems"].as_array().unwrap().len(), 6);

    // The templates download.
    for path in ["learner-template.xlsx", "learner-template.csv"] {
        let response = client()
            .get(format!("{}/downloads/{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
    }
}

/// An endpoint, its form, and who may call it.
type Call = (&'static str, Vec<(&'static str, String)>, Who);

/// The administration functions, with well-formed arguments, by who may call
/// them (every function of every area is in `tests/authorization`).
enum Who {
    Anyone,
    SignedIn,
    Admin,
}

fn endpoints(learner_b: UserId, region: &str) -> Vec<Call> {
    let b = learner_b.0.to_string();
    let r = region.to_owned();
    vec![
        ("auth/me", vec![], Who::Anyone),
        ("regions/options", vec![], Who::Anyone),
        ("account/profile", vec![], Who::SignedIn),
        ("devices/mine", vec![], Who::SignedIn),
        (
            "admin/users/list",
            vec![("page", i64::MAX.to_string())],
            Who::Admin,
        ),
        ("admin/users/get", vec![("id", b.clone())], Who::Admin),
        (
            "admin/users/update",
            vec![
                ("id", b.clone()),
                ("real_name", "改名".into()),
                ("phone", "13912340002".into()),
                ("region_id", r.clone()),
            ],
            Who::Admin,
        ),
        (
            "admin/users/roles",
            vec![("id", b.clone()), ("roles[0]", "learner".into())],
            Who::Admin,
        ),
        (
            "admin/users/disable",
            vec![("id", b.clone()), ("disabled", "false".into())],
            Who::Admin,
        ),
        ("admin/users/reset", vec![("id", b.clone())], Who::Admin),
        ("admin/users/unbind", vec![("id", b.clone())], Who::Admin),
        ("admin/users/unlock", vec![("id", b.clone())], Who::Admin),
        (
            "admin/users/create",
            vec![
                ("username", "matrixuser".into()),
                ("real_name", "矩阵".into()),
                ("phone", "13600009999".into()),
                ("region_id", r.clone()),
                ("roles[0]", "learner".into()),
            ],
            Who::Admin,
        ),
        (
            "admin/audit",
            vec![("page", i64::MAX.to_string())],
            Who::Admin,
        ),
        (
            "admin/regions/add",
            vec![
                ("code", "MATRIX1".into()),
                ("name", "测试区".into()),
                ("parent_id", String::new()),
            ],
            Who::Admin,
        ),
        (
            "admin/regions/rename",
            vec![("id", r.clone()), ("name", "碧江区".into())],
            Who::Admin,
        ),
        ("devices/rebind/open", vec![], Who::Admin),
        (
            "devices/rebind/decide",
            vec![("id", "999999".into()), ("approve", "false".into())],
            Who::Admin,
        ),
    ]
}

#[tokio::test]
async fn administration_refuses_everyone_but_administrators() {
    let server = start_with_demo(|c| c).await;
    let learner_b_record = server.store.user_by_username("learner002").await.unwrap();
    let region = learner_b_record.region_id.unwrap().0.to_string();
    let mut personas: Vec<(&str, Browser)> = Vec::new();
    personas.push(("anonymous", Browser::new(PC_UA)));
    for name in [
        "learner001",
        "learner002",
        "liaison05",
        "organizer",
        "supervisor",
    ] {
        let mut browser = Browser::new(PHONE_UA);
        let (status, body) = browser.sign_in(&server, name).await;
        assert_eq!(status, 200, "{name}: {body}");
        personas.push((name, browser));
    }
    let learner_b_phone = learner_b_record.phone.clone().unwrap();
    for (endpoint, form, who) in endpoints(learner_b_record.id, &region) {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for (persona, browser) in personas.iter_mut() {
            let (status, body) = browser.post(&server, endpoint, &pairs).await;
            let expected = match (&who, *persona) {
                (Who::Anyone, _) => 200,
                (_, "anonymous") => 401,
                (Who::SignedIn, _) => 200,
                (Who::Admin, _) => 403,
            };
            assert_eq!(status, expected, "{persona} → {endpoint}: {body}");
            if *persona == "learner001" {
                assert!(
                    !body.contains(&learner_b_phone) && !body.contains(&learner_b_record.real_name),
                    "learner A saw learner B's data via {endpoint}: {body}"
                );
            }
        }
    }
    // Nothing a refused call asked for happened.
    assert!(server.store.user_by_username("matrixuser").await.is_err());
    assert_eq!(
        server
            .store
            .user_by_username("learner002")
            .await
            .unwrap()
            .real_name,
        learner_b_record.real_name
    );

    // The approval lookup: anonymous 401; a code that is not yours is not found.
    let (status, _) = personas[0]
        .1
        .post(&server, "devices/approval", &[("code", "ABCD-EFGH")])
        .await;
    assert_eq!(status, 401);
    let (status, _) = personas[1]
        .1
        .post(&server, "devices/approval", &[("code", "ABCD-EFGH")])
        .await;
    assert_eq!(status, 404);

    // The page behind the functions shows the data only to an administrator.
    let mut admin = Browser::new(PC_UA);
    admin.sign_in(&server, "admin").await;
    // The administrator is let through, and absurd page numbers are harmless.
    let huge = i64::MAX.to_string();
    for endpoint in ["admin/users/list", "admin/audit"] {
        let (status, body) = admin.post(&server, endpoint, &[("page", &huge)]).await;
        assert_eq!(status, 200, "{endpoint}: {body}");
    }
    // The audit filter reads dates with the one calendar: a day that does not
    // exist is refused, not rolled over into March.
    for (day, expected) in [
        ("2026-02-28", 200),
        ("2026-02-31", 400),
        ("2026-13-01", 400),
    ] {
        let (status, body) = admin
            .post(&server, "admin/audit", &[("from", day), ("until", day)])
            .await;
        assert_eq!(status, expected, "{day}: {body}");
    }
    for (persona, browser) in personas
        .iter()
        .chain(std::iter::once(&("admin", admin.clone())))
    {
        let response = get(&server, browser, "/admin/users?text=learner002").await;
        // Streaming may flush the head before the refusal is known, so the
        // page's status is 200 or the refusal's; the data is what matters.
        let status = response.status().as_u16();
        assert!(
            status == 200 || (*persona != "admin" && [401, 403].contains(&status)),
            "{persona}: {status}"
        );
        let body = response.text().await.unwrap();
        assert_eq!(
            body.contains(&learner_b_phone),
            *persona == "admin",
            "{persona}"
        );
    }
}

#[tokio::test]
async fn an_organizer_never_approves_moving_an_administrators_or_organizers_account() {
    let server = start_with_demo(|c| Config {
        bind_staff_devices: true,
        organizers_approve_rebinding: true,
        ..c
    })
    .await;
    // Three accounts ask to move to a new phone: the administrator (by
    // someone who has their password), another organizer, and a learner.
    let mut phones = Vec::new();
    for username in ["admin", "lecturer01", "learner002"] {
        let mut phone = Browser::new(PHONE_UA);
        assert_eq!(phone.sign_in(&server, username).await.0, 200, "binds");
        phones.push(phone);
        let mut other = Browser::new(PC_UA);
        let (status, body) = other
            .post(
                &server,
                "auth/rebind/request",
                &[
                    ("username", username),
                    ("password", server::demo::DEMO_PASSWORD),
                    ("reason", "换了新手机"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{username}: {body}");
    }
    let lecturer = server.store.user_by_username("lecturer01").await.unwrap();
    server
        .store
        .set_roles(
            lecturer.id,
            &[
                academy_shared::role::Role::Lecturer,
                academy_shared::role::Role::Organizer,
            ],
            &[],
        )
        .await
        .unwrap();
    let mut organizer = Browser::new(PHONE_UA);
    assert_eq!(organizer.sign_in(&server, "organizer").await.0, 200);
    let (status, body) = organizer.post(&server, "devices/rebind/open", &[]).await;
    assert_eq!(status, 200, "{body}");
    let open: serde_json::Value = serde_json::from_str(&body).unwrap();
    let names: Vec<&str> = open
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["learner002"], "only the learner's request is shown");

    // The administrator, on the phone still bound.
    let admin = &mut phones[0];
    let (_, body) = admin.post(&server, "devices/rebind/open", &[]).await;
    let all: serde_json::Value = serde_json::from_str(&body).unwrap();
    for request in all.as_array().unwrap() {
        let id = request["id"].to_string();
        let expected = if request["username"] == "learner002" {
            200
        } else {
            403
        };
        let (status, _) = organizer
            .post(
                &server,
                "devices/rebind/decide",
                &[("id", &id), ("approve", "true")],
            )
            .await;
        assert_eq!(status, expected, "{request}");
    }
    // The administrator still can.
    let admin_request = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["username"] == "admin")
        .unwrap()["id"]
        .to_string();
    let (status, _) = admin
        .post(
            &server,
            "devices/rebind/decide",
            &[("id", &admin_request), ("approve", "false")],
        )
        .await;
    assert_eq!(status, 200);
}

/// Signs the server's fresh challenge for `purpose` with `key`, as a
/// browser's WebCrypto key pair does.
async fn device_proof(
    server: &Running,
    browser: &mut Browser,
    key: &p256::ecdsa::SigningKey,
    purpose: academy_shared::device::ProofPurpose,
) -> String {
    use academy_shared::device::{DeviceProof, proof_message, to_hex};
    use p256::ecdsa::signature::Signer;
    let (status, body) = browser.post(server, "auth/device-challenge", &[]).await;
    assert_eq!(status, 200, "{body}");
    let nonce: String = serde_json::from_str(&body).unwrap();
    let signature: p256::ecdsa::Signature = key.sign(proof_message(purpose, &nonce).as_bytes());
    DeviceProof {
        nonce,
        public_key: to_hex(key.verifying_key().to_encoded_point(false).as_bytes()),
        signature: to_hex(&signature.to_bytes()),
    }
    .encode()
}

async fn sign_in_with(
    server: &Running,
    browser: &mut Browser,
    username: &str,
    proof: &str,
) -> (u16, String) {
    browser
        .post(
            server,
            "auth/login",
            &[
                ("username", username),
                ("password", server::demo::DEMO_PASSWORD),
                ("device_proof", proof),
            ],
        )
        .await
}

/// A phone bound by its key pair lets nobody else in: cookies and stored keys
/// copied to another browser prove nothing; only a fresh signature of the
/// key signs in, opens a study stream or starts an exam.
#[tokio::test]
async fn a_phone_bound_by_its_key_pair_is_the_only_way_in() {
    use academy_shared::device::ProofPurpose;
    let server = start_with_demo(|c| c).await;
    let key = p256::ecdsa::SigningKey::from_slice(&[42u8; 32]).unwrap();
    let mut phone = Browser::new(PHONE_UA);
    let proof = device_proof(&server, &mut phone, &key, ProofPurpose::SignIn).await;
    let (status, body) = sign_in_with(&server, &mut phone, "learner031", &proof).await;
    assert_eq!(status, 200, "{body}");
    let user = server.store.user_by_username("learner031").await.unwrap();
    let binding = server.store.live_binding(user.id).await.unwrap().unwrap();
    assert!(binding.public_key.is_some(), "bound by the key pair");

    // Everything a browser stores, copied to another one: refused.
    let mut copy = Browser {
        session: None,
        device: phone.device.clone(),
        user_agent: PHONE_UA,
    };
    let (status, _) = copy.sign_in(&server, "learner031").await;
    assert_eq!(status, 403, "a copied device cookie is no key");
    // The same signature again: refused (each challenge is accepted once).
    let (status, _) = sign_in_with(&server, &mut copy, "learner031", &proof).await;
    assert_eq!(status, 403, "a replayed proof");
    // Another key pair: refused.
    let other = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let forged = device_proof(&server, &mut copy, &other, ProofPurpose::SignIn).await;
    let (status, _) = sign_in_with(&server, &mut copy, "learner031", &forged).await;
    assert_eq!(status, 403, "another device's key");

    // A copied session cookie: pages, but no study credit and no exam.
    let mut stolen = Browser {
        session: phone.session.clone(),
        device: phone.device.clone(),
        user_agent: PHONE_UA,
    };
    let (_, lessons) = stolen.post(&server, "study/lessons", &[]).await;
    let lessons: serde_json::Value = serde_json::from_str(&lessons).unwrap();
    let class = lessons[0]["class_id"].to_string();
    let courseware = lessons[0]["courseware_id"].to_string();
    let open = [
        ("class_id", class.as_str()),
        ("courseware_id", courseware.as_str()),
    ];
    let (status, body) = stolen.post(&server, "study/open", &open).await;
    assert_eq!(status, 403, "no stream without the key: {body}");
    let (status, body) = stolen
        .post(&server, "journey/exam", &[("id", &class), ("which", "pre")])
        .await;
    assert_eq!(status, 403, "no exam without the key: {body}");

    // The phone itself: a fresh signature each time.
    let proof = device_proof(&server, &mut phone, &key, ProofPurpose::SignIn).await;
    let (status, body) = sign_in_with(&server, &mut phone, "learner031", &proof).await;
    assert_eq!(status, 200, "{body}");
    let study = device_proof(&server, &mut phone, &key, ProofPurpose::Study).await;
    let mut with_proof = open.to_vec();
    with_proof.push(("device_proof", study.as_str()));
    let (status, body) = phone.post(&server, "study/open", &with_proof).await;
    assert_eq!(status, 200, "{body}");
    let opened: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(opened["stream_id"].is_i64());
    // A proof made for signing in does not start an exam.
    let wrong = device_proof(&server, &mut phone, &key, ProofPurpose::SignIn).await;
    let (status, _) = phone
        .post(
            &server,
            "journey/exam",
            &[("id", &class), ("which", "pre"), ("device_proof", &wrong)],
        )
        .await;
    assert_eq!(status, 403);
    let exam = device_proof(&server, &mut phone, &key, ProofPurpose::ExamStart).await;
    let (status, body) = phone
        .post(
            &server,
            "journey/exam",
            &[("id", &class), ("which", "pre"), ("device_proof", &exam)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}
