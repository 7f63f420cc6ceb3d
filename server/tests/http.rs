//! The real server, started on port 0 over a fresh SQLite database, asked over
//! HTTP the questions a browser and a load balancer ask.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use common::{Running, client, start_configured, start_with_demo};
use server::config::Config;

async fn start() -> Running {
    start_with(false).await
}

async fn start_with(trust_proxy: bool) -> Running {
    start_configured(|config| Config {
        trust_proxy,
        ..config
    })
    .await
}

#[tokio::test]
async fn home_page_is_chinese_html_with_a_nonce_csp_matching_its_scripts() {
    let server = start().await;
    let response = client().get(&server.base).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let body = response.text().await.unwrap();
    assert!(body.contains(r#"<html lang="zh-CN""#), "{body}");
    assert!(body.contains("<title>网络学院</title>"));

    let csp = headers["content-security-policy"].to_str().unwrap();
    let nonce = body
        .split("<script type=\"module\" nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the hydration script carries a nonce");
    assert!(nonce.len() >= 16, "nonce too short: {nonce}");
    assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );

    // Every inline script of the page carries the same nonce, or the browser
    // would refuse to run it. (leptos_i18n leaves an empty `<script></script>`
    // placeholder; browsers return before the CSP check for empty scripts.)
    for script in body.split("<script").skip(1) {
        let (tag, rest) = script.split_once('>').unwrap();
        let source = rest.split("</script>").next().unwrap();
        if source.trim().is_empty() && !tag.contains("src=") {
            continue;
        }
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "script without nonce: <script{tag}>"
        );
    }

    // Each response gets a fresh nonce.
    let again = client().get(&server.base).send().await.unwrap();
    assert_ne!(
        again.headers()["content-security-policy"].to_str().unwrap(),
        csp
    );
}

#[tokio::test]
async fn english_is_served_when_the_language_cookie_says_so() {
    let server = start().await;
    let body = client()
        .get(&server.base)
        .header("cookie", "i18n_pref_locale=en")
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains(r#"<html lang="en""#), "{body}");
    assert!(body.contains("Welcome to the Online Academy"));

    // Without the cookie an English browser still gets Chinese: our default.
    let body = client()
        .get(&server.base)
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains(r#"<html lang="zh-CN""#));
}

#[tokio::test]
async fn unknown_pages_are_404_with_the_not_found_page_and_headers() {
    let server = start().await;
    let response = client()
        .get(format!("{}/no/such/page", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("nonce-")
    );
    let body = response.text().await.unwrap();
    assert!(body.contains("页面不存在"), "{body}");
}

#[tokio::test]
async fn healthz_is_200_with_the_database_and_503_without() {
    let server = start().await;
    let url = format!("{}/healthz", server.base);
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers().contains_key("content-security-policy"));
    assert_eq!(response.text().await.unwrap(), "ok");

    server.store.close().await;
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 503);
    let body = response.text().await.unwrap();
    assert!(
        !body.contains("sqlite"),
        "no internal detail in the answer: {body}"
    );
}

async fn home_page_as(server: &Running, token: &str) -> String {
    let response = client()
        .get(&server.base)
        .header("cookie", format!("academy_session={token}"))
        .send()
        .await
        .unwrap();
    response.text().await.unwrap()
}

/// POSTs the sign-in form; returns the status and the body.
async fn post_login(
    server: &Running,
    username: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let mut request = client()
        .post(format!("{}/api/auth/login", server.base))
        .form(&login_form(username, password));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let cookie_set = response.headers().contains_key("set-cookie");
    assert!(
        status == 200 || !cookie_set,
        "a refused sign-in must not set a cookie"
    );
    (status, response.text().await.unwrap())
}

fn login_form(username: &str, password: &str) -> Vec<(&'static str, String)> {
    vec![
        ("username", username.to_owned()),
        ("password", password.to_owned()),
    ]
}

#[tokio::test]
async fn sign_in_sets_a_safe_cookie_and_the_header_shows_who_is_signed_in() {
    let server = start_with_demo(|c| c).await;
    let url = format!("{}/api/auth/login", server.base);
    let response = client()
        .post(&url)
        .form(&login_form("learner001", server::demo::DEMO_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let cookie = cookies
        .iter()
        .find(|c| c.starts_with("academy_session="))
        .cloned()
        .expect("a session cookie");
    let device = cookies
        .iter()
        .find(|c| c.starts_with("academy_device="))
        .expect("a learner's first device gets a device key");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(device.contains(flag), "{flag} missing: {device}");
    }
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("academy_session=")
        .to_owned();
    assert_eq!(token.len(), 64, "256 bits of hex");

    let page = home_page_as(&server, &token).await;
    let learner = server.store.user_by_username("learner001").await.unwrap();
    assert!(page.contains(&learner.real_name), "{page}");
    assert!(page.contains("学员"));

    // Signing out ends the session on the server, not just in the browser.
    let response = client()
        .post(format!("{}/api/auth/logout", server.base))
        .header("cookie", format!("academy_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let page = home_page_as(&server, &token).await;
    assert!(!page.contains(&learner.real_name));
}

#[tokio::test]
async fn wrong_credentials_are_a_400_with_one_message_for_both_cases() {
    let server = start_with_demo(|c| c).await;
    let mut bodies = Vec::new();
    // `nobodyhere` is a well-formed name that does not exist.
    for username in ["learner001", "nobodyhere"] {
        let (status, body) = post_login(&server, username, "wrong-password", &[]).await;
        assert_eq!(status, 400);
        bodies.push(body);
    }
    assert_eq!(
        bodies[0], bodies[1],
        "an unknown name must look like a wrong password"
    );
    assert!(bodies[0].contains("用户名或密码不正确"), "{}", bodies[0]);
}

#[tokio::test]
async fn five_failures_lock_an_account_name_known_or_not_and_only_that_name() {
    let server = start_with_demo(|c| c).await;
    let ok = server::demo::DEMO_PASSWORD;
    for username in ["learner002", "ghostuser"] {
        for _ in 0..5 {
            assert_eq!(
                post_login(&server, username, "wrong-password", &[]).await.0,
                400
            );
        }
        // Now even the right password is refused, with a message saying for how long.
        let (status, body) = post_login(&server, username, ok, &[]).await;
        assert_eq!(status, 429, "{body}");
        let error: app::error::AppError = serde_json::from_str(&body).unwrap();
        assert_eq!(error, app::error::AppError::SignInLocked { minutes: 15 });
        assert!(
            error.message_zh().contains("15 分钟后再试"),
            "{}",
            error.message_zh()
        );
    }
    // Another account from the same address is not affected.
    assert_eq!(post_login(&server, "learner003", ok, &[]).await.0, 200);
    // A success clears the account's earlier failures.
    for _ in 0..4 {
        post_login(&server, "lecturer04", "wrong-password", &[]).await;
    }
    assert_eq!(post_login(&server, "lecturer04", ok, &[]).await.0, 200);
    assert_eq!(
        post_login(&server, "lecturer04", "wrong-password", &[])
            .await
            .0,
        400
    );
    assert_eq!(post_login(&server, "lecturer04", ok, &[]).await.0, 200);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_address_limit_follows_the_forwarded_address() {
    let server = start_with(true).await;
    server::demo::load(&server.store, server.media.as_ref())
        .await
        .unwrap();
    // The client's own claim comes first; the proxy appends the real address.
    let from_7 = [("x-forwarded-for", "10.9.9.9, 203.0.113.7")];
    let from_8 = [("x-forwarded-for", "10.9.9.9, 203.0.113.8")];
    // 30 failures spread over many names from one address lock that address...
    for n in 0..30 {
        let username = format!("guess{n:02}");
        assert_eq!(
            post_login(&server, &username, "wrong-password", &from_7)
                .await
                .0,
            400
        );
    }
    let ok = server::demo::DEMO_PASSWORD;
    assert_eq!(post_login(&server, "learner010", ok, &from_7).await.0, 429);
    // ...and only that address: other people behind the same proxy sign in.
    assert_eq!(post_login(&server, "learner010", ok, &from_8).await.0, 200);
}

#[tokio::test]
async fn failures_from_a_foreign_address_never_lock_the_owner_out() {
    let server = start_with(true).await;
    server::demo::load(&server.store, server.media.as_ref())
        .await
        .unwrap();
    let ok = server::demo::DEMO_PASSWORD;
    let attacker = [("x-forwarded-for", "203.0.113.66")];
    let owner = [("x-forwarded-for", "198.51.100.1")];
    // Someone who knows the administrator's name fails again and again…
    for _ in 0..12 {
        post_login(&server, "admin", "wrong-password", &attacker).await;
    }
    // …and is locked out, even with the right password,
    assert_eq!(post_login(&server, "admin", ok, &attacker).await.0, 429);
    // while the administrator at their own address signs in as ever.
    assert_eq!(post_login(&server, "admin", ok, &owner).await.0, 200);
}

#[tokio::test]
async fn parallel_guesses_get_no_more_tries_than_sequential_ones() {
    let server = start_with_demo(|c| c).await;
    let guesses = (0..12).map(|_| post_login(&server, "learner009", "wrong-password", &[]));
    let statuses: Vec<u16> = futures_util::future::join_all(guesses)
        .await
        .into_iter()
        .map(|(status, _)| status)
        .collect();
    let checked = statuses.iter().filter(|s| **s == 400).count();
    assert!(checked <= 5, "{statuses:?}");
    assert_eq!(checked + statuses.iter().filter(|s| **s == 429).count(), 12);
    let ok = server::demo::DEMO_PASSWORD;
    assert_eq!(post_login(&server, "learner009", ok, &[]).await.0, 429);
}

#[tokio::test]
async fn cross_site_writes_are_refused_before_they_run() {
    let server = start_with_demo(|c| c).await;
    let ok = server::demo::DEMO_PASSWORD;
    for signal in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let (status, _) = post_login(&server, "learner001", ok, &[signal]).await;
        assert_eq!(status, 403, "{signal:?}");
    }
}

#[tokio::test]
async fn a_malformed_server_function_call_is_a_400_without_internal_text() {
    let server = start().await;
    let response = client()
        .post(format!("{}/api/auth/login", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=only-half")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert!(body.contains("提交的内容格式不正确"), "{body}");
    assert!(
        !body.to_lowercase().contains("missing"),
        "framework text leaked: {body}"
    );

    // A body over the limit is refused as too large, not as a server fault.
    let response = client()
        .post(format!("{}/api/auth/login", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("username={}", "a".repeat(3 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body = response.text().await.unwrap();
    assert_eq!(body, "\"TooLarge\"");
}

#[tokio::test]
async fn html_is_compressed_for_browsers_that_accept_it() {
    let server = start().await;
    let response = client()
        .get(&server.base)
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_public_url_is_https() {
    let plain = start().await;
    let response = client().get(&plain.base).send().await.unwrap();
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    let https = start_configured(|config| Config {
        public_url: "https://academy.example".into(),
        ..config
    })
    .await;
    let response = client().get(&https.base).send().await.unwrap();
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn an_unknown_or_malformed_certificate_code_is_404() {
    let server = start().await;
    for code in ["ABCDEFGHJKMNPQRSTVWXYZ0123", "not-a-code", "%3Cscript%3E"] {
        let response = client()
            .get(format!("{}/verify/{code}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{code}");
        let body = response.text().await.unwrap();
        assert!(body.contains("verify-not-found"), "{body}");
    }
}

#[tokio::test]
async fn the_sign_in_and_register_pages_render_on_the_server() {
    let server = start().await;
    for path in ["/login", "/register"] {
        let response = client()
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains("name=\"device_proof\""), "{path}: {body}");
    }
}
