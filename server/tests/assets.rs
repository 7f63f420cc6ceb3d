//! The front end's files as a returning learner's browser fetches them: the
//! bundle under its build id (`/v/<build>/pkg/…`), kept for a year; everything else asked after
//! and answered `304` when unchanged; precompressed copies for browsers that
//! take them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use common::{Running, client, start_configured};
use http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, IF_MODIFIED_SINCE, LAST_MODIFIED,
};

const JS: &str = "export default function init() {}\nexport function hydrate() {}\n";
const CSS: &str = "body { color: #222; }\n";

/// A server whose site root holds a small bundle (with a brotli copy of the
/// script) and one public file.
async fn start() -> Running {
    start_configured(|config| {
        let pkg = config.site_root.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("academy.js"), JS).unwrap();
        std::fs::write(pkg.join("academy.js.br"), b"brotli bytes").unwrap();
        std::fs::write(pkg.join("academy.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(pkg.join("academy.css"), CSS).unwrap();
        std::fs::write(config.site_root.join("favicon.svg"), "<svg/>").unwrap();
        config
    })
    .await
}

/// The build the sign-in page names its script, wasm and styles by.
async fn build_of(server: &Running) -> String {
    let page = client()
        .get(format!("{}/login", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let build = page
        .split("href=\"/v/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no versioned link in {page}"))
        .to_owned();
    assert_eq!(build.len(), 16, "{build}");
    for file in ["academy.css", "academy.js", "academy.wasm"] {
        assert!(
            page.contains(&format!("/v/{build}/pkg/{file}")),
            "{file}: {page}"
        );
    }
    assert!(page.contains(&format!(r#"<meta name="academy-build" content="{build}""#)));
    build
}

#[tokio::test]
async fn the_bundle_is_named_by_its_build_and_kept_for_a_year() {
    let server = start().await;
    let build = build_of(&server).await;
    let url = format!("{}/v/{build}/pkg/academy.js", server.base);

    let plain = client().get(&url).send().await.unwrap();
    assert_eq!(plain.status(), 200);
    assert_eq!(
        plain.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(plain.text().await.unwrap(), JS);

    // The copy compressed at build time, not a compression per request.
    let brotli = client()
        .get(&url)
        .header(ACCEPT_ENCODING, "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()[CONTENT_ENCODING], "br");
    assert_eq!(brotli.bytes().await.unwrap().as_ref(), b"brotli bytes");

    // Another build's URL is not this build's file, and is not kept.
    let other = client()
        .get(format!("{}/v/0123456789abcdef/pkg/academy.js", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    assert!(
        other
            .headers()
            .get(CACHE_CONTROL)
            .is_none_or(|v| !v.to_str().unwrap().contains("immutable"))
    );
}

#[tokio::test]
async fn unchanged_files_are_answered_304_without_a_body() {
    let server = start().await;
    for path in ["/pkg/academy.css", "/favicon.svg"] {
        let url = format!("{}{path}", server.base);
        let first = client().get(&url).send().await.unwrap();
        assert_eq!(first.status(), 200, "{path}");
        assert_eq!(
            first.headers()[CACHE_CONTROL],
            "public, max-age=0, must-revalidate",
            "{path}"
        );
        let modified = first.headers()[LAST_MODIFIED].clone();
        let again = client()
            .get(&url)
            .header(IF_MODIFIED_SINCE, modified)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert!(again.bytes().await.unwrap().is_empty(), "{path}");
    }
}

#[tokio::test]
async fn a_missing_file_is_404_and_a_write_to_a_file_is_refused() {
    let server = start().await;
    let missing = client()
        .get(format!("{}/pkg/no-such-file.js", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    // (An unknown page is the not-found page: `http.rs`.)
    // A write to a file's path is refused, not answered with the file.
    let post = client()
        .post(format!("{}/pkg/academy.css", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
}
