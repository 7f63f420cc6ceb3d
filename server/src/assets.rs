//! The built front end (the WASM, JS and CSS under `<site root>/pkg`) and the
//! other static files, served so that a learner downloads each build once.
//!
//! The bundle's file names are the same in every build, so pages name them
//! under a build id, `/v/<build>/pkg/academy.js`, the id being a hash of the
//! files' contents taken at start: such a URL never changes meaning, and is
//! cached for a year (`immutable`). Every other static file (and `/pkg/…`
//! without a build id, as pages of an older server name them) is revalidated:
//! an unchanged file costs a `304`, not a download. Brotli and gzip copies
//! written at build time (`cargo leptos build --release --precompress`) go to
//! browsers that accept them, so nothing large is compressed per request.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::{CACHE_CONTROL, LAST_MODIFIED};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The directory under the site root the bundle is built into.
pub const PKG_DIR: &str = "pkg";

/// What a built file's URL is cached as, once it names its build.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// What every other static file is cached as: kept, but asked after.
const REVALIDATE: &str = "public, max-age=0, must-revalidate";

/// The build id of the bundle in `pkg_dir`: the first 16 hex digits of a
/// SHA-256 over the files' names and contents (the precompressed copies are
/// copies, and left out). `None` when there is no bundle (a server without a
/// front end, as in most tests) or while `cargo leptos watch` may rebuild
/// it under the running server.
pub fn build_id(pkg_dir: &Path) -> Option<String> {
    if std::env::var_os("LEPTOS_WATCH").is_some() {
        return None;
    }
    let mut files: Vec<_> = std::fs::read_dir(pkg_dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.path())
        .filter(|path| !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")))
        .collect();
    if files.is_empty() {
        return None;
    }
    files.sort();
    let mut hash = Sha256::new();
    for path in &files {
        let name = path.file_name()?.to_string_lossy();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "cannot read a built file");
                return None;
            }
        };
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    let digest = hash.finalize();
    Some(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// Removes precompressed copies (`x.br`, `x.gz`) older than their file: a
/// debug build after a `--precompress` release build rewrites `academy.wasm`
/// but leaves the release's `academy.wasm.br`, which browsers would be sent
/// instead. Returns how many were removed.
pub fn drop_stale_copies(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let mut removed = 0;
    for copy in entries.filter_map(Result::ok).map(|e| e.path()) {
        if !matches!(copy.extension().and_then(|e| e.to_str()), Some("br" | "gz")) {
            continue;
        }
        let original = copy.with_extension("");
        let stale = match (modified(&original), modified(&copy)) {
            (Some(original), Some(copy)) => original > copy,
            // A copy of nothing is stale too.
            (None, _) => true,
            (Some(_), None) => false,
        };
        if stale {
            match std::fs::remove_file(&copy) {
                Ok(()) => {
                    tracing::warn!(copy = %copy.display(), "removed a precompressed copy older than its file");
                    removed += 1;
                }
                Err(error) => {
                    tracing::warn!(copy = %copy.display(), %error, "cannot remove a stale precompressed copy");
                }
            }
        }
    }
    removed
}

/// The URL prefix a build's files are served under, `/v/<build>`.
pub fn versioned_root(build: &str) -> String {
    format!("/v/{build}")
}

/// Sets how long a static file may be kept: a year for a file under a build
/// id, otherwise until it changes (asked after every time). Answers that set
/// their own (pages, media, exports) keep theirs.
pub async fn cache_headers(request: Request, next: Next) -> Response {
    let versioned = is_versioned(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    if versioned && status.is_success() {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    } else if (status.is_success() || status == http::StatusCode::NOT_MODIFIED)
        && headers.contains_key(LAST_MODIFIED)
        && !headers.contains_key(CACHE_CONTROL)
    {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    }
    response
}

/// `/v/<16 hex digits>/…`: a file of one build.
fn is_versioned(path: &str) -> bool {
    path.strip_prefix("/v/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(build, _)| build.len() == 16 && build.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_build_id_follows_the_contents_not_the_copies() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(build_id(dir.path()), None, "no bundle, no id");
        std::fs::write(dir.path().join("academy.js"), "js").unwrap();
        std::fs::write(dir.path().join("academy.wasm"), "wasm").unwrap();
        let first = build_id(dir.path()).unwrap();
        assert_eq!(first.len(), 16);
        assert!(is_versioned(&format!(
            "{}/pkg/academy.js",
            versioned_root(&first)
        )));
        std::fs::write(dir.path().join("academy.js.br"), "compressed").unwrap();
        assert_eq!(build_id(dir.path()).unwrap(), first);
        std::fs::write(dir.path().join("academy.wasm"), "wasm 2").unwrap();
        assert_ne!(build_id(dir.path()).unwrap(), first);
    }

    #[test]
    fn copies_older_than_their_file_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let wasm = dir.path().join("academy.wasm");
        std::fs::write(dir.path().join("academy.wasm.br"), "old release").unwrap();
        std::fs::write(dir.path().join("gone.js.gz"), "copy of nothing").unwrap();
        std::fs::write(&wasm, "new debug build").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&wasm)
            .unwrap()
            .set_modified(later)
            .unwrap();
        std::fs::write(dir.path().join("academy.css"), "css").unwrap();
        std::fs::write(dir.path().join("academy.css.gz"), "fresh copy").unwrap();
        assert_eq!(drop_stale_copies(dir.path()), 2);
        assert!(!dir.path().join("academy.wasm.br").exists());
        assert!(!dir.path().join("gone.js.gz").exists());
        assert!(dir.path().join("academy.css.gz").exists());
    }

    #[test]
    fn only_a_build_directory_is_versioned() {
        assert!(!is_versioned("/pkg/academy.js"));
        assert!(!is_versioned("/v/0123456789abcdef"));
        assert!(!is_versioned("/v/0123456789abcdeg/pkg/academy.js"));
        assert!(!is_versioned("/favicon.svg"));
        assert!(is_versioned("/v/0123456789abcdef/pkg/academy.css"));
    }
}
