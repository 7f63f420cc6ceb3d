//! The routes that are neither pages nor server functions (downloads,
//! exports, certificates as PDF, media), from the router's own table.

use crate::fixture::Fixture;
use crate::{EVERYONE, LEARNERS, P, clip, leaked_in};
use std::collections::BTreeSet;
use std::io::Read;

/// A GET of one concrete path: who gets 200; the rest 401 signed out and
/// `refuse` signed in.
struct Get {
    route: &'static str,
    path: String,
    allow: Vec<P>,
    refuse: u16,
    /// One persona gets another status, for the reason given.
    except: Option<(P, u16, &'static str)>,
}

impl Get {
    fn except(mut self, who: P, status: u16, why: &'static str) -> Get {
        self.except = Some((who, status, why));
        self
    }
}

fn get(route: &'static str, path: String, allow: &[P], refuse: u16) -> Get {
    Get {
        route,
        path,
        allow: allow.to_vec(),
        refuse,
        except: None,
    }
}

pub async fn check(fx: &mut Fixture) -> Vec<String> {
    let class = fx.class;
    let certificate = fx
        .id(&format!(
            "SELECT id FROM certificates WHERE user_id = {} AND revoked_at IS NULL",
            fx.owner.id.0
        ))
        .await;
    let lecturer = fx.user_id("lecturer12").await;
    // A bank the lecturer persona was not invited to.
    let bank = fx
        .id(&format!(
            "SELECT id FROM question_banks WHERE id NOT IN \
             (SELECT bank_id FROM bank_invites WHERE lecturer_id = {lecturer}) ORDER BY id LIMIT 1"
        ))
        .await;
    // The first lesson's video of the demo class (lecturer01's): enrolled
    // learners may watch it, the other lecturer and the supervisor may not.
    let lesson_video = fx
        .id(&format!(
            "SELECT c.video_id FROM class_courseware cc JOIN courseware c ON c.id = cc.courseware_id \
             WHERE cc.class_id = {class} AND c.video_id IS NOT NULL ORDER BY cc.position LIMIT 1"
        ))
        .await;
    // A file an organizer uploaded and attached nowhere: only staff who
    // manage courseware may fetch it.
    let loose = upload(fx, P::Organizer).await;

    let staff = [P::Organizer, P::Admin];
    let gets = vec![
        get("/healthz", "/healthz".into(), &EVERYONE, 0),
        get("/livez", "/livez".into(), &EVERYONE, 0),
        get(
            "/downloads/learner-template.xlsx",
            "/downloads/learner-template.xlsx".into(),
            &EVERYONE,
            0,
        ),
        get(
            "/downloads/learner-template.csv",
            "/downloads/learner-template.csv".into(),
            &EVERYONE,
            0,
        ),
        get(
            "/downloads/question-template.xlsx",
            "/downloads/question-template.xlsx".into(),
            &EVERYONE,
            0,
        ),
        get(
            "/downloads/question-template.csv",
            "/downloads/question-template.csv".into(),
            &EVERYONE,
            0,
        ),
        get(
            "/exports/banks/{id}",
            format!("/exports/banks/{bank}?format=csv"),
            &staff,
            404,
        ),
        get(
            "/certificates/{id}/pdf",
            format!("/certificates/{certificate}/pdf"),
            &[P::Owner, P::Organizer, P::Admin],
            404,
        ),
        // Liaisons and supervisors get their own region's figures only (the
        // leak check holds them to it).
        get(
            "/exports/classes/{id}/dashboard.xlsx",
            format!("/exports/classes/{class}/dashboard.xlsx"),
            &[P::Liaison, P::Supervisor, P::Organizer, P::Admin],
            403,
        ),
        get(
            "/exports/classes/{id}/survey.xlsx",
            format!("/exports/classes/{class}/survey.xlsx"),
            &[P::Organizer, P::Admin],
            404,
        )
        .except(
            P::Supervisor,
            400,
            "county 1 has fewer than 5 respondents: results withheld",
        ),
        get(
            "/exports/classes/{id}/report.xlsx",
            format!("/exports/classes/{class}/report.xlsx"),
            &[P::Liaison, P::Supervisor, P::Organizer, P::Admin],
            403,
        ),
        get(
            "/exports/classes/{id}/summaries.xlsx",
            format!("/exports/classes/{class}/summaries.xlsx"),
            &[P::Liaison, P::Supervisor, P::Organizer, P::Admin],
            403,
        ),
        get(
            "/media/{id}",
            format!("/media/{lesson_video}"),
            &[LEARNERS.as_slice(), &staff].concat(),
            404,
        ),
        get("/media/{id}", format!("/media/{loose}"), &staff, 404),
    ];

    let mut failures = Vec::new();
    let mut covered = BTreeSet::new();
    let before = crate::pages::fingerprint(fx).await;
    for case in &gets {
        covered.insert(("GET", case.route));
        for who in EVERYONE {
            let (status, body) = fx.get(who, &case.path).await;
            let expected = if let Some((_, status, _)) = case.except.filter(|(p, _, _)| *p == who) {
                status
            } else if case.allow.contains(&who) {
                200
            } else if who == P::Anonymous {
                401
            } else {
                case.refuse
            };
            let text = readable(&body);
            if status != expected {
                failures.push(format!(
                    "GET {} by {who:?}: {status}, expected {expected}: {}",
                    case.path,
                    clip(&text)
                ));
            }
            if let Some(trace) = leaked_in(fx, who, &text) {
                failures.push(format!(
                    "GET {} by {who:?} shows the owner's {trace:?}",
                    case.path
                ));
            }
        }
    }

    // Taking a question bank or survey results out of the academy is
    // recorded in the audit log on purpose; nothing else may change.
    let after = crate::pages::fingerprint(fx).await;
    for (table, digest) in &before {
        if table != "audit_log" && after.get(table) != Some(digest) {
            failures.push(format!("a download changed the table {table}"));
        }
    }

    // Uploading: staff who make courseware (201); learners and readers 403.
    covered.insert(("POST", "/media/upload"));
    for who in EVERYONE {
        let (status, _) = try_upload(fx, who).await;
        let expected = match who {
            P::Anonymous => 401,
            P::Lecturer | P::Organizer | P::Admin => 201,
            _ => 403,
        };
        if status != expected {
            failures.push(format!(
                "POST /media/upload by {who:?}: {status}, expected {expected}"
            ));
        }
    }

    // Every route of the router's table was tried.
    for (method, path) in server::http::plain_route_paths() {
        if !covered.contains(&(method.as_str(), path)) {
            failures.push(format!("the route {} {path} has no row", method.as_str()));
        }
    }
    failures
}

const SLIDE: &[u8] = include_bytes!("../../demo/slide-1.png");

async fn try_upload(fx: &mut Fixture, who: P) -> (u16, serde_json::Value) {
    let browser = fx.browsers.get(&who).unwrap();
    crate::common::upload(&fx.server, browser, "image", "x.png", SLIDE.to_vec()).await
}

/// Uploads a slide image as `who` and returns its media id.
async fn upload(fx: &mut Fixture, who: P) -> i64 {
    let (status, answer) = try_upload(fx, who).await;
    assert_eq!(status, 201, "{answer}");
    answer["media"][0]["id"]
        .as_i64()
        .or_else(|| answer["id"].as_i64())
        .unwrap_or_else(|| panic!("no media id in {answer}"))
}

/// The text of a body: a workbook's XML parts unzipped, anything else as is.
fn readable(body: &[u8]) -> String {
    if body.starts_with(b"PK")
        && let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(body))
    {
        let mut text = String::new();
        for i in 0..archive.len() {
            if let Ok(mut part) = archive.by_index(i) {
                let _ = part.read_to_string(&mut text);
            }
        }
        return text;
    }
    String::from_utf8_lossy(body).into_owned()
}
