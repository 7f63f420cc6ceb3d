//! Media files: uploads streamed to disk and checked before they become
//! visible, and downloads with HTTP Range for those entitled to them.

use crate::http::AppState;
use academy_shared::media::{self as rules, MediaError, MediaKind};
use academy_shared::role::Role;
use app::auth::session;
use app::courseware::{UploadAnswer, UploadedMedia};
use app::error::AppError;
use app::media::MediaLocation;
use app::store::{MediaFile, NewMedia, now_millis};
use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use futures_util::StreamExt;
use http::StatusCode;
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// At most this many pages of a PDF become slides; a longer PDF is refused.
const MAX_PDF_PAGES: usize = 300;
/// How long poppler may take over one PDF (a crafted PDF can take forever).
const PDF_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);
/// The longest side of a slide image, in pixels, whatever the page's size.
const SLIDE_PIXELS: &str = "1600";
/// What one account may upload in 24 hours: files and bytes.
pub const MAX_UPLOADS_PER_DAY: i64 = 200;
pub const MAX_UPLOAD_BYTES_PER_DAY: i64 = 8 * 1024 * 1024 * 1024;

#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    kind: Option<String>,
    name: Option<String>,
}

/// An error as JSON in both languages, with the status its kind deserves.
fn refuse(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        [(CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({ "zh": error.message_zh(), "en": error.message_en() })),
    )
        .into_response()
}

fn media_error(error: MediaError) -> AppError {
    AppError::invalid(error.zh(), error.en())
}

/// Deletes a staged file when dropped unless it was handed on: an upload that
/// fails anywhere (client gone, too large, wrong type) leaves nothing behind.
struct Staged(Option<PathBuf>);

impl Staged {
    fn path(&self) -> &std::path::Path {
        self.0.as_deref().unwrap_or(std::path::Path::new(""))
    }
    fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// `POST /media/upload?kind=video|image|pdf|attachment&name=…` with the file
/// as the raw body.
pub async fn upload(
    State(state): State<AppState>,
    Query(query): Query<UploadQuery>,
    request: Request,
) -> Response {
    match upload_checked(state, query, request).await {
        Ok(answer) => (
            StatusCode::CREATED,
            [(CACHE_CONTROL, "no-store")],
            Json(answer),
        )
            .into_response(),
        Err(error) => refuse(error),
    }
}

async fn upload_checked(
    state: AppState,
    query: UploadQuery,
    request: Request,
) -> Result<UploadAnswer, AppError> {
    let me = session::signed_from_headers(&state.store, request.headers(), state.session_policy)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    me.require_any(&[Role::Lecturer, Role::Organizer, Role::Admin])?;
    let kind = MediaKind::from_code(query.kind.as_deref().unwrap_or_default())
        .ok_or_else(|| AppError::invalid("不支持的文件类别", "Unsupported kind of file"))?;
    let file_name = rules::clean_file_name(query.name.as_deref().unwrap_or(""));
    let limit = state.max_upload_bytes;
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|size| size > limit) {
        return Err(too_large(limit));
    }
    // A day's quota per account: one lecturer (or a stolen session) cannot
    // fill the disk.
    let (files_today, bytes_today) = state
        .store
        .uploads_since(me.user.id, now_millis() - 24 * 3_600_000)
        .await?;
    let quota_left = MAX_UPLOAD_BYTES_PER_DAY.saturating_sub(bytes_today).max(0);
    if files_today >= MAX_UPLOADS_PER_DAY
        || declared.is_some_and(|size| i64::try_from(size).unwrap_or(i64::MAX) > quota_left)
    {
        return Err(daily_quota());
    }
    let limit = limit.min(u64::try_from(quota_left).unwrap_or(0));

    // Stream the body to a staging file, hashing as it arrives: memory use is
    // one chunk, whatever the file's size.
    let staged = Staged(Some(
        state
            .media
            .staging_dir()
            .join(format!("upload-{}", session::new_token())),
    ));
    let mut file = tokio::fs::File::create(staged.path())
        .await
        .map_err(AppError::internal)?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut body = request.into_body().into_data_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| {
            AppError::invalid(
                "上传中断，请重新上传",
                "The upload was interrupted, please try again",
            )
        })?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(if limit < state.max_upload_bytes {
                daily_quota()
            } else {
                too_large(limit)
            });
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(AppError::internal)?;
    }
    if size == 0 {
        return Err(AppError::invalid("文件是空的", "The file is empty"));
    }
    // Durable before it is announced.
    file.sync_all().await.map_err(AppError::internal)?;
    drop(file);
    let sha256: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    let path = staged.path().to_path_buf();
    let name = file_name.clone();
    let checked = tokio::task::spawn_blocking(move || check_file(kind, &path, &name))
        .await
        .map_err(AppError::internal)??;
    let uploader = me.user.id;
    let mut stored = Vec::new();
    match checked {
        Checked::One {
            kind,
            content_type,
            extension,
            duration_ms,
        } => {
            let media = store_file(
                &state,
                staged,
                NewMedia {
                    storage_key: storage_key(&sha256, extension),
                    kind,
                    content_type: content_type.to_owned(),
                    file_name,
                    size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
                    sha256,
                    duration_ms,
                    uploaded_by: Some(uploader),
                    uploaded_at: now_millis(),
                },
            )
            .await?;
            stored.push(media);
        }
        Checked::PdfPages(pages) => {
            // Every page is guarded at once: an error on page 3 also removes
            // the staged files of pages 4 and on.
            let pages: Vec<Staged> = pages.into_iter().map(|p| Staged(Some(p))).collect();
            let stem = file_name
                .trim_end_matches(".pdf")
                .trim_end_matches(".PDF")
                .to_owned();
            for (number, page) in pages.into_iter().enumerate() {
                let bytes = tokio::fs::read(page.path())
                    .await
                    .map_err(AppError::internal)?;
                let page_sha: String = Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                let media = store_file(
                    &state,
                    page,
                    NewMedia {
                        storage_key: storage_key(&page_sha, "png"),
                        kind: MediaKind::Image,
                        content_type: "image/png".into(),
                        file_name: format!("{stem}-{}.png", number + 1),
                        size_bytes: bytes.len() as i64,
                        sha256: page_sha,
                        duration_ms: None,
                        uploaded_by: Some(uploader),
                        uploaded_at: now_millis(),
                    },
                )
                .await?;
                stored.push(media);
            }
        }
    }
    Ok(UploadAnswer { media: stored })
}

fn daily_quota() -> AppError {
    AppError::invalid(
        format!(
            "今天的上传已达上限（每 24 小时 {MAX_UPLOADS_PER_DAY} 个文件、{} GB），请明天再传",
            MAX_UPLOAD_BYTES_PER_DAY / (1024 * 1024 * 1024)
        ),
        format!(
            "You reached today's upload limit ({MAX_UPLOADS_PER_DAY} files, {} GB per 24 hours); please continue tomorrow",
            MAX_UPLOAD_BYTES_PER_DAY / (1024 * 1024 * 1024)
        ),
    )
}

fn too_large(limit: u64) -> AppError {
    let mib = limit / (1024 * 1024);
    AppError::invalid(
        format!("文件超过上传上限（{mib} MB）"),
        format!("The file is larger than the upload limit ({mib} MB)"),
    )
}

/// A fresh key per upload: the same bytes uploaded twice are two files, so
/// deleting one never breaks the other.
fn storage_key(sha256: &str, extension: &str) -> String {
    let prefix = sha256.get(..2).unwrap_or("00");
    format!(
        "{prefix}/{sha256}-{}.{extension}",
        &session::new_token()[..12]
    )
}

async fn store_file(
    state: &AppState,
    staged: Staged,
    media: NewMedia,
) -> Result<UploadedMedia, AppError> {
    state
        .media
        .put(staged.path(), &media.storage_key)
        .await
        .map_err(AppError::internal)?;
    staged.keep();
    match state.store.insert_media(&media).await {
        Ok(id) => Ok(UploadedMedia {
            id,
            kind: media.kind,
            file_name: media.file_name,
            content_type: media.content_type,
            size_bytes: media.size_bytes,
            duration_ms: media.duration_ms,
            sha256: media.sha256,
        }),
        Err(error) => {
            // No row, no file: the bytes would be unreachable anyway.
            let _ = state.media.delete(&media.storage_key).await;
            Err(error.into())
        }
    }
}

enum Checked {
    One {
        kind: MediaKind,
        content_type: &'static str,
        extension: &'static str,
        duration_ms: Option<i64>,
    },
    /// A PDF of slides, turned into one PNG per page (staged files).
    PdfPages(Vec<PathBuf>),
}

/// Reads the staged bytes to decide what the file really is.
fn check_file(
    kind: MediaKind,
    path: &std::path::Path,
    file_name: &str,
) -> Result<Checked, AppError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(AppError::internal)?;
    let mut head = [0u8; 64];
    let read = file.read(&mut head).map_err(AppError::internal)?;
    let head = &head[..read];
    match kind {
        MediaKind::Video => {
            let mut file = std::fs::File::open(path).map_err(AppError::internal)?;
            let info = rules::probe_mp4(&mut file).map_err(media_error)?;
            Ok(Checked::One {
                kind,
                content_type: "video/mp4",
                extension: "mp4",
                duration_ms: Some(info.duration_ms),
            })
        }
        MediaKind::Image => {
            let format = rules::sniff_image(head).map_err(media_error)?;
            Ok(Checked::One {
                kind,
                content_type: format.content_type(),
                extension: format.extension(),
                duration_ms: None,
            })
        }
        MediaKind::Attachment => {
            let content_type = rules::sniff_attachment(head, file_name).map_err(media_error)?;
            Ok(Checked::One {
                kind,
                content_type,
                extension: attachment_extension(content_type),
                duration_ms: None,
            })
        }
        MediaKind::Pdf => {
            if !rules::is_pdf(head) {
                return Err(media_error(MediaError::NotPdf));
            }
            pdf_pages(path).map(Checked::PdfPages)
        }
    }
}

/// The stored file's extension, from the checked type (never the user's name).
fn attachment_extension(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "text/plain; charset=utf-8" | "text/plain" => "txt",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "pptx",
        "application/msword" => "doc",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.ms-powerpoint" => "ppt",
        _ => "bin",
    }
}

/// Runs a command, killing it when it takes longer than `limit`; `None` then.
fn output_within(
    command: &mut std::process::Command,
    limit: std::time::Duration,
) -> std::io::Result<Option<std::process::Output>> {
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let started = std::time::Instant::now();
    loop {
        if child.try_wait()?.is_some() {
            return child.wait_with_output().map(Some);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

/// The page count `pdfinfo` reports, if it can read the PDF in time.
fn pdf_page_count(path: &std::path::Path) -> Option<usize> {
    let output = output_within(
        std::process::Command::new("pdfinfo").arg(path),
        PDF_TIME_LIMIT,
    )
    .ok()
    .flatten()
    .filter(|out| out.status.success())?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Renders each page of a PDF to a PNG with poppler's `pdftoppm`: at most
/// [`MAX_PDF_PAGES`] pages, each at most [`SLIDE_PIXELS`] wide or high, within
/// [`PDF_TIME_LIMIT`].
fn pdf_pages(path: &std::path::Path) -> Result<Vec<PathBuf>, AppError> {
    if pdf_page_count(path).is_some_and(|pages| pages > MAX_PDF_PAGES) {
        return Err(AppError::invalid(
            format!("PDF 超过 {MAX_PDF_PAGES} 页，请拆分后上传"),
            format!("The PDF has more than {MAX_PDF_PAGES} pages; please split it"),
        ));
    }
    let prefix = path.with_extension("page");
    let output = output_within(
        std::process::Command::new("pdftoppm")
            .args([
                "-png",
                "-scale-to",
                SLIDE_PIXELS,
                "-l",
                &MAX_PDF_PAGES.to_string(),
            ])
            .arg(path)
            .arg(&prefix),
        PDF_TIME_LIMIT,
    );
    let failed = || {
        AppError::invalid(
            "PDF 无法转换为图片，请检查文件，或改为上传图片",
            "The PDF could not be turned into images; check it or upload images instead",
        )
    };
    let stem = prefix
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = prefix.parent().map(PathBuf::from).unwrap_or_default();
    // Whatever pdftoppm wrote, complete or not.
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(AppError::internal)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().starts_with(&format!("{stem}-")))
                .unwrap_or(false)
        })
        .collect();
    // pdftoppm numbers pages with zero padding to the widest number.
    pages.sort();
    let discard = |pages: &[PathBuf]| {
        for page in pages {
            let _ = std::fs::remove_file(page);
        }
    };
    match output {
        Ok(Some(out)) if out.status.success() && !pages.is_empty() => Ok(pages),
        Ok(None) => {
            tracing::warn!("pdftoppm took longer than {PDF_TIME_LIMIT:?}: stopped");
            discard(&pages);
            Err(AppError::invalid(
                "PDF 转换超时，请简化文件（或改为上传图片）后再试",
                "Converting the PDF took too long; simplify it (or upload images) and try again",
            ))
        }
        Ok(Some(out)) => {
            tracing::warn!("pdftoppm failed: {}", String::from_utf8_lossy(&out.stderr));
            discard(&pages);
            Err(failed())
        }
        Err(error) => {
            tracing::error!("pdftoppm is not available: {error}");
            discard(&pages);
            Err(AppError::invalid(
                "服务器暂不支持 PDF 课件，请上传图片",
                "This server cannot convert PDF slides; upload images instead",
            ))
        }
    }
}

/// `GET /media/:id`: the file with Range support, for those entitled to it.
/// Unknown files and files the reader may not see answer alike (404).
pub async fn serve(
    State(state): State<AppState>,
    Path(id): Path<academy_shared::ids::MediaId>,
    request: Request,
) -> Response {
    match locate(&state, id, request.headers()).await {
        Ok((media, MediaLocation::File(path))) => {
            let mut response = match ServeFile::new(&path).oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(error) => return refuse(AppError::internal(error)),
            };
            if response.status() == StatusCode::NOT_FOUND {
                tracing::error!(
                    id = id.0,
                    "media file {} is missing from the store",
                    media.storage_key
                );
            }
            let headers = response.headers_mut();
            // The type the upload check established, not one guessed from a name.
            if headers.contains_key(CONTENT_TYPE)
                && let Ok(value) = http::HeaderValue::from_str(&media.content_type)
            {
                headers.insert(CONTENT_TYPE, value);
            }
            // A media id always names the same bytes; only its reader may keep it.
            headers.insert(
                CACHE_CONTROL,
                http::HeaderValue::from_static("private, max-age=604800, immutable"),
            );
            let disposition = if media.kind == MediaKind::Attachment {
                "attachment"
            } else {
                "inline"
            };
            if let Ok(value) = http::HeaderValue::from_str(&rules::content_disposition(
                disposition,
                &media.file_name,
            )) {
                headers.insert(CONTENT_DISPOSITION, value);
            }
            response
        }
        Ok((_, MediaLocation::Redirect(url))) => Redirect::temporary(&url).into_response(),
        Err(error) => refuse(error),
    }
}

async fn locate(
    state: &AppState,
    id: academy_shared::ids::MediaId,
    headers: &http::HeaderMap,
) -> Result<(MediaFile, MediaLocation), AppError> {
    let me = session::signed_from_headers(&state.store, headers, state.session_policy)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let media = state.store.media(id).await?;
    if !state
        .store
        .may_fetch_media(me.user.id, &me.user.roles, id)
        .await?
    {
        return Err(AppError::NotFound);
    }
    let location = state
        .media
        .locate(&media.storage_key)
        .await
        .map_err(AppError::internal)?;
    Ok((media, location))
}
