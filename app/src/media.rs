//! Where uploaded media bytes live.
//!
//! Everything goes through [`MediaStore`]: the local filesystem under the data
//! directory is the default; an object store (for several app servers) is
//! another implementation of the same trait. Uploads are always staged on the
//! local disk first, checked, and only then put into the store under their
//! final key, so a half-sent or rejected file is never visible.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How a stored file reaches the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaLocation {
    /// A local file, served by the academy with HTTP Range support.
    File(PathBuf),
    /// A short-lived URL of an object store, to redirect to.
    Redirect(String),
}

pub trait MediaStore: Send + Sync + 'static {
    /// A local directory for uploads in progress.
    fn staging_dir(&self) -> &Path;
    /// Moves a complete, checked staged file into the store under `key`.
    fn put<'a>(&'a self, staged: &'a Path, key: &'a str) -> BoxFuture<'a, io::Result<()>>;
    fn locate<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<MediaLocation>>;
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<()>>;
}

pub type SharedMediaStore = Arc<dyn MediaStore>;

const STALE_UPLOAD: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// Files under `<data dir>/media`, staged in `<data dir>/media/.staging` so that
/// putting one is an atomic rename on the same filesystem.
#[derive(Clone, Debug)]
pub struct LocalMediaStore {
    root: PathBuf,
    staging: PathBuf,
}

impl LocalMediaStore {
    pub fn open(root: PathBuf) -> io::Result<LocalMediaStore> {
        let staging = root.join(".staging");
        std::fs::create_dir_all(&staging)?;
        // Staged files older than a day belong to uploads that never finished
        // (the server stopped mid-upload): nobody will ever claim them. Newer
        // ones may be another process's upload in progress.
        if let Ok(entries) = std::fs::read_dir(&staging) {
            for entry in entries.flatten() {
                let stale = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > STALE_UPLOAD);
                if stale {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Ok(LocalMediaStore { root, staging })
    }

    fn path_of(&self, key: &str) -> io::Result<PathBuf> {
        if !is_storage_key(key) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad media key"));
        }
        Ok(self.root.join(key))
    }
}

/// Keys are ours (`ab/<hex>.<ext>`), never a user's text; anything else is refused
/// so that a bad row can never name a path outside the store.
pub fn is_storage_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && !key.starts_with('/')
        && !key.contains("..")
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'))
}

impl MediaStore for LocalMediaStore {
    fn staging_dir(&self) -> &Path {
        &self.staging
    }

    fn put<'a>(&'a self, staged: &'a Path, key: &'a str) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            let target = self.path_of(key)?;
            if let Some(parent) = target.parent() {
                tokio::fs::create_dir_all(parent).await?;
            }
            tokio::fs::rename(staged, &target).await
        })
    }

    fn locate<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<MediaLocation>> {
        Box::pin(async move { Ok(MediaLocation::File(self.path_of(key)?)) })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path_of(key)?).await {
                Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
                _ => Ok(()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_leave_the_store() {
        assert!(is_storage_key("ab/abcdef0123.mp4"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "ab/../../x",
            "a b",
            "ab\\x",
            "ab/%2e%2e",
        ] {
            assert!(!is_storage_key(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn put_locate_delete_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalMediaStore::open(dir.path().join("media")).unwrap();
        let staged = store.staging_dir().join("upload-1");
        std::fs::write(&staged, b"bytes").unwrap();
        store.put(&staged, "ab/abc.bin").await.unwrap();
        assert!(!staged.exists(), "a put file leaves staging");
        let MediaLocation::File(path) = store.locate("ab/abc.bin").await.unwrap() else {
            panic!("local files are served directly");
        };
        assert_eq!(std::fs::read(&path).unwrap(), b"bytes");
        store.delete("ab/abc.bin").await.unwrap();
        assert!(!path.exists());
        store.delete("ab/abc.bin").await.unwrap();
    }

    #[test]
    fn recent_staging_files_survive_a_second_open() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("media");
        std::fs::create_dir_all(root.join(".staging")).unwrap();
        std::fs::write(root.join(".staging").join("in-progress"), b"x").unwrap();
        LocalMediaStore::open(root.clone()).unwrap();
        assert!(root.join(".staging").join("in-progress").exists());
    }
}
