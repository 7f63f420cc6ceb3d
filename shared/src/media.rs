//! Uploaded files, checked by their bytes.
//!
//! A file name and a browser's content type are whatever the uploader's machine
//! says. A "video" that is really HEVC (which most browsers in the field cannot
//! play), an MP4 whose index sits at the end (so every learner waits for the
//! whole download before the first frame), a "PDF" that is an executable: only
//! reading the file itself catches these. The server runs these checks on a
//! finished upload before anyone else can see it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::{Read, Seek, SeekFrom};

/// What an upload is meant to be; it decides which check the file must pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Video,
    Image,
    Pdf,
    Attachment,
}

crate::stored_code!(MediaKind {
    Video => "video",
    Image => "image",
    Pdf => "pdf",
    Attachment => "attachment",
});

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What the player and the course page need to know about an accepted video.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoInfo {
    /// Rounded to the nearest millisecond; study time is credited against it.
    pub duration_ms: i64,
    /// The size as displayed: a phone video recorded upright is stored on its
    /// side with a rotation, and is reported here upright.
    pub width: u32,
    pub height: u32,
    pub has_audio: bool,
    /// The index (`moov`) comes before the media data (`mdat`), so playback can
    /// start before the file is fully downloaded.
    pub fast_start: bool,
}

/// Why an upload was refused. [`MediaError::zh`] and [`MediaError::en`] are for
/// the uploader; `Display` is for logs and may carry technical detail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum MediaError {
    #[error("not an MP4 video")]
    NotMp4,
    #[error("the file is truncated")]
    Truncated,
    #[error("the MP4 file has no video track")]
    NoVideoTrack,
    #[error("unsupported video codec `{0}`")]
    UnsupportedVideoCodec(String),
    #[error("unsupported audio codec `{0}`")]
    UnsupportedAudioCodec(String),
    #[error("the MP4 file gives no duration")]
    NoDuration,
    #[error("not a PNG, JPEG or WebP image")]
    NotImage,
    #[error("not a PDF file")]
    NotPdf,
    #[error("unsupported attachment type")]
    UnsupportedAttachment,
    #[error("could not read the upload: {0}")]
    Io(String),
}

impl MediaError {
    pub fn zh(&self) -> String {
        match self {
            MediaError::NotMp4 => "不是 MP4 视频文件（请上传 H.264/AAC 编码的 MP4）".to_owned(),
            MediaError::Truncated => "文件不完整，可能上传中断，请重新上传".to_owned(),
            MediaError::NoVideoTrack => "文件中没有视频画面".to_owned(),
            MediaError::UnsupportedVideoCodec(codec) => {
                format!("不支持 {codec} 视频编码，请转码为 H.264 后上传")
            }
            MediaError::UnsupportedAudioCodec(codec) => {
                format!("不支持 {codec} 音频编码，请转码为 AAC 后上传")
            }
            MediaError::NoDuration => "无法读取视频时长，请重新导出后上传".to_owned(),
            MediaError::NotImage => "不是图片文件（支持 PNG、JPEG、WebP）".to_owned(),
            MediaError::NotPdf => "不是 PDF 文件".to_owned(),
            MediaError::UnsupportedAttachment => {
                "不支持的附件类型（支持 PDF、Word、Excel、PowerPoint、TXT 和图片）".to_owned()
            }
            MediaError::Io(_) => "读取文件失败，请重试".to_owned(),
        }
    }

    pub fn en(&self) -> String {
        match self {
            MediaError::NotMp4 => {
                "Not an MP4 video (upload MP4 with H.264 video and AAC audio)".to_owned()
            }
            MediaError::Truncated => {
                "The file is incomplete (the upload may have been cut short); please upload it again"
                    .to_owned()
            }
            MediaError::NoVideoTrack => "The file has no video track".to_owned(),
            MediaError::UnsupportedVideoCodec(codec) => {
                format!("The video codec {codec} is not supported; please convert to H.264")
            }
            MediaError::UnsupportedAudioCodec(codec) => {
                format!("The audio codec {codec} is not supported; please convert to AAC")
            }
            MediaError::NoDuration => {
                "The video's duration cannot be read; please export it again".to_owned()
            }
            MediaError::NotImage => "Not an image (PNG, JPEG or WebP)".to_owned(),
            MediaError::NotPdf => "Not a PDF file".to_owned(),
            MediaError::UnsupportedAttachment => {
                "Unsupported attachment type (PDF, Word, Excel, PowerPoint, plain text or images)"
                    .to_owned()
            }
            // The detail is for the log, not for the uploader.
            MediaError::Io(_) => "The file could not be read; please try again".to_owned(),
        }
    }
}

impl From<std::io::Error> for MediaError {
    /// Running out of bytes mid-read means the file is shorter than its own
    /// structure says; anything else is the disk's problem, not the uploader's.
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::UnexpectedEof {
            MediaError::Truncated
        } else {
            MediaError::Io(error.to_string())
        }
    }
}

// ---------------------------------------------------------------------------
// MP4 (ISO base media file format)
// ---------------------------------------------------------------------------

/// Most top-level boxes a file may have. A fragmented MP4 has two per fragment,
/// a few thousand for hours of video; the cap only stops a crafted file of
/// millions of tiny boxes from costing millions of reads.
const MAX_TOP_LEVEL_BOXES: usize = 100_000;

/// Most boxes looked at inside `moov`: a real one has a few dozen per track.
const MAX_MOOV_BOXES: usize = 10_000;

/// Enough of any box this module reads (`tkhd` version 1 is 96 bytes); the
/// rest, such as sample tables of many megabytes, is never loaded.
const MAX_BODY_READ: u64 = 128;

/// A box's place in the file; its body is `body..end`.
#[derive(Clone, Copy, Debug)]
struct BoxHeader {
    kind: [u8; 4],
    start: u64,
    body: u64,
    end: u64,
}

/// A cursor over the children of a box, or over the whole file.
struct Children {
    pos: u64,
    end: u64,
    top_level: bool,
}

impl Children {
    fn of(parent: &BoxHeader) -> Self {
        Children {
            pos: parent.body,
            end: parent.end,
            top_level: false,
        }
    }
}

/// Reads box headers by seeking from one to the next, so a multi-gigabyte
/// `mdat` costs one 8-byte read, and counts every box against a budget.
/// Positions only ever move forward (each box is at least its own header
/// long), and only a fixed path of boxes is descended into, so neither loops
/// nor deep nesting can keep it busy.
struct Walker<'a, R> {
    reader: &'a mut R,
    file_len: u64,
    budget: usize,
}

impl<R: Read + Seek> Walker<'_, R> {
    fn next(&mut self, parent: &mut Children) -> Result<Option<BoxHeader>, MediaError> {
        let pos = parent.pos;
        if pos >= parent.end {
            return Ok(None);
        }
        let room = parent.end - pos;
        if room < 8 {
            // At the top level this is a header cut short; inside a box, some
            // muxers leave a few zero bytes of padding after the last child.
            parent.pos = parent.end;
            return if parent.top_level {
                Err(MediaError::Truncated)
            } else {
                Ok(None)
            };
        }
        self.budget = self.budget.checked_sub(1).ok_or(MediaError::NotMp4)?;
        self.reader.seek(SeekFrom::Start(pos))?;
        let mut head = [0u8; 8];
        self.reader.read_exact(&mut head)?;
        let kind = [head[4], head[5], head[6], head[7]];
        let (size, header_len) = match u32::from_be_bytes([head[0], head[1], head[2], head[3]]) {
            // Size 0: the box runs to the end of its parent (for `mdat` written
            // by a muxer that could not seek back: to the end of the file).
            0 => (room, 8),
            // Size 1: a 64-bit size follows the type.
            1 => {
                if room < 16 {
                    return Err(self.overrun(pos.saturating_add(16)));
                }
                let mut large = [0u8; 8];
                self.reader.read_exact(&mut large)?;
                (u64::from_be_bytes(large), 16)
            }
            n => (u64::from(n), 8),
        };
        if size < header_len {
            return Err(MediaError::NotMp4);
        }
        let end = pos.checked_add(size).ok_or(MediaError::Truncated)?;
        if end > parent.end {
            return Err(self.overrun(end));
        }
        parent.pos = end;
        Ok(Some(BoxHeader {
            kind,
            start: pos,
            body: pos + header_len,
            end,
        }))
    }

    /// A box claiming to end past the end of the file was cut short; one that
    /// merely spills out of its parent is corrupt.
    fn overrun(&self, end: u64) -> MediaError {
        if end > self.file_len {
            MediaError::Truncated
        } else {
            MediaError::NotMp4
        }
    }

    fn find(
        &mut self,
        parent: &BoxHeader,
        kind: &[u8; 4],
    ) -> Result<Option<BoxHeader>, MediaError> {
        let mut children = Children::of(parent);
        while let Some(child) = self.next(&mut children)? {
            if &child.kind == kind {
                return Ok(Some(child));
            }
        }
        Ok(None)
    }

    /// The first bytes of a box's body, at most [`MAX_BODY_READ`].
    fn body(&mut self, b: &BoxHeader) -> Result<Vec<u8>, MediaError> {
        let len = (b.end - b.body).min(MAX_BODY_READ) as usize;
        let mut body = vec![0u8; len];
        self.reader.seek(SeekFrom::Start(b.body))?;
        self.reader.read_exact(&mut body)?;
        Ok(body)
    }

    fn track(&mut self, trak: &BoxHeader) -> Result<Track, MediaError> {
        let mut track = Track::default();
        let mut children = Children::of(trak);
        while let Some(child) = self.next(&mut children)? {
            match &child.kind {
                b"tkhd" if track.display.is_none() => {
                    track.display = Some(display_size(&self.body(&child)?)?);
                }
                b"mdia" => {
                    let mut in_mdia = Children::of(&child);
                    while let Some(m) = self.next(&mut in_mdia)? {
                        match &m.kind {
                            b"hdlr" if track.handler.is_none() => {
                                let body = self.body(&m)?;
                                track.handler = Some(fourcc_at(&body, 8)?);
                            }
                            b"minf" if track.entry.is_none() => {
                                if let Some(stbl) = self.find(&m, b"stbl")?
                                    && let Some(stsd) = self.find(&stbl, b"stsd")?
                                {
                                    track.entry = Some(sample_entry(&self.body(&stsd)?)?);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(track)
    }
}

/// What one `trak` says, as far as this module cares.
#[derive(Default)]
struct Track {
    /// `vide`, `soun`, or another kind of track (subtitles, timecode) that is ignored.
    handler: Option<[u8; 4]>,
    /// The first sample entry: its codec and, for video, its coded size.
    entry: Option<SampleEntry>,
    /// From `tkhd`, with any quarter-turn rotation applied.
    display: Option<(u32, u32)>,
}

struct SampleEntry {
    codec: [u8; 4],
    size: (u32, u32),
}

fn be_u32(bytes: &[u8], at: usize) -> Result<u32, MediaError> {
    bytes
        .get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
        .ok_or(MediaError::NotMp4)
}

fn be_u64(bytes: &[u8], at: usize) -> Result<u64, MediaError> {
    bytes
        .get(at..at + 8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_be_bytes)
        .ok_or(MediaError::NotMp4)
}

fn fourcc_at(bytes: &[u8], at: usize) -> Result<[u8; 4], MediaError> {
    be_u32(bytes, at).map(u32::to_be_bytes)
}

/// A codec name from the file, made safe to put in a message.
fn fourcc_text(code: [u8; 4]) -> String {
    code.iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect()
}

/// `mvhd`: the movie's timescale (units per second) and duration in those units.
fn movie_duration_ms(body: &[u8]) -> Result<i64, MediaError> {
    let (timescale, duration) = match body.first() {
        Some(0) => {
            let duration = be_u32(body, 16)?;
            // All ones means "unknown".
            if duration == u32::MAX {
                return Err(MediaError::NoDuration);
            }
            (be_u32(body, 12)?, u64::from(duration))
        }
        Some(1) => (be_u32(body, 20)?, be_u64(body, 24)?),
        _ => return Err(MediaError::NotMp4),
    };
    if timescale == 0 || duration == 0 || duration == u64::MAX {
        return Err(MediaError::NoDuration);
    }
    let timescale = u128::from(timescale);
    let ms = (u128::from(duration) * 1000 + timescale / 2) / timescale;
    i64::try_from(ms).map_err(|_| MediaError::NoDuration)
}

/// `tkhd`: width and height in 16.16 fixed point, after a 3×3 matrix whose
/// quarter turns (phones held upright) swap the two.
fn display_size(body: &[u8]) -> Result<(u32, u32), MediaError> {
    let matrix = match body.first() {
        Some(0) => 40,
        Some(1) => 52,
        _ => return Err(MediaError::NotMp4),
    };
    let at = |offset: usize| be_u32(body, matrix + offset);
    // The matrix is {a b u / c d v / x y w}; a quarter turn has a = d = 0.
    let (a, b, c, d) = (at(0)?, at(4)?, at(12)?, at(16)?);
    let (width, height) = (at(36)? >> 16, at(40)? >> 16);
    let quarter_turn = a == 0 && d == 0 && b != 0 && c != 0;
    Ok(if quarter_turn {
        (height, width)
    } else {
        (width, height)
    })
}

/// `stsd`: entry count, then the first sample entry, whose type is the codec.
/// A visual sample entry has its coded width and height (16 bits each) 24
/// bytes into its body.
fn sample_entry(body: &[u8]) -> Result<SampleEntry, MediaError> {
    if be_u32(body, 4)? == 0 {
        return Err(MediaError::NotMp4);
    }
    let codec = fourcc_at(body, 12)?;
    let dimension = |at: usize| {
        body.get(at..at + 2)
            .map_or(0, |b| u32::from(u16::from_be_bytes([b[0], b[1]])))
    };
    Ok(SampleEntry {
        codec,
        size: (dimension(40), dimension(42)),
    })
}

/// Reads an MP4/ISO-BMFF container from its first byte, wherever the reader's
/// cursor is (a just-written upload's is at its end): the first box must be
/// `ftyp`; every top-level box must lie within the file, so a cut-off upload is
/// caught wherever it was cut; `moov` may be at the start or the end and is
/// found by seeking, never by reading `mdat`.
///
/// The video track must be H.264 (`avc1`/`avc3`) and any audio track AAC
/// (`mp4a`): that is what every browser learners use can play. Malformed input
/// of any kind gives an error, never a panic.
pub fn probe_mp4<R: Read + Seek>(reader: &mut R) -> Result<VideoInfo, MediaError> {
    let file_len = reader.seek(SeekFrom::End(0))?;
    if file_len < 8 {
        return Err(MediaError::NotMp4);
    }
    reader.seek(SeekFrom::Start(0))?;
    let mut head = [0u8; 8];
    reader.read_exact(&mut head)?;
    if &head[4..8] != b"ftyp" {
        return Err(MediaError::NotMp4);
    }

    let mut walker = Walker {
        reader,
        file_len,
        budget: MAX_TOP_LEVEL_BOXES,
    };
    let mut top = Children {
        pos: 0,
        end: file_len,
        top_level: true,
    };
    let (mut moov, mut mdat) = (None, None);
    while let Some(b) = walker.next(&mut top)? {
        match &b.kind {
            b"moov" if moov.is_none() => moov = Some(b),
            b"mdat" if mdat.is_none() => mdat = Some(b),
            _ => {}
        }
    }
    let moov = moov.ok_or(MediaError::NotMp4)?;
    // Without media data there is nothing to play: most likely an upload cut
    // off right after a leading `moov`.
    let mdat = mdat.ok_or(MediaError::Truncated)?;

    walker.budget = MAX_MOOV_BOXES;
    let mut duration = None;
    let mut tracks = Vec::new();
    let mut in_moov = Children::of(&moov);
    while let Some(b) = walker.next(&mut in_moov)? {
        match &b.kind {
            b"mvhd" if duration.is_none() => {
                duration = Some(movie_duration_ms(&walker.body(&b)?));
            }
            b"trak" => tracks.push(walker.track(&b)?),
            _ => {}
        }
    }

    let mut video: Option<&Track> = None;
    let mut has_audio = false;
    for track in &tracks {
        match track.handler.as_ref() {
            Some(b"vide") => {
                let entry = track.entry.as_ref().ok_or(MediaError::NotMp4)?;
                if !matches!(&entry.codec, b"avc1" | b"avc3") {
                    return Err(MediaError::UnsupportedVideoCodec(fourcc_text(entry.codec)));
                }
                video.get_or_insert(track);
            }
            Some(b"soun") => has_audio = true,
            _ => {}
        }
    }
    let video = video.ok_or(MediaError::NoVideoTrack)?;
    for track in tracks.iter().filter(|t| t.handler == Some(*b"soun")) {
        let entry = track.entry.as_ref().ok_or(MediaError::NotMp4)?;
        if &entry.codec != b"mp4a" {
            return Err(MediaError::UnsupportedAudioCodec(fourcc_text(entry.codec)));
        }
    }
    let duration_ms = duration.unwrap_or(Err(MediaError::NoDuration))?;

    // Some muxers leave `tkhd` at 0×0; the sample entry then has the size.
    let (width, height) = video
        .display
        .filter(|&(w, h)| w > 0 && h > 0)
        .or(video.entry.as_ref().map(|e| e.size))
        .filter(|&(w, h)| w > 0 && h > 0)
        .ok_or(MediaError::NotMp4)?;

    Ok(VideoInfo {
        duration_ms,
        width,
        height,
        has_audio,
        fast_start: moov.start < mdat.start,
    })
}

// ---------------------------------------------------------------------------
// Images, PDF and attachments
// ---------------------------------------------------------------------------

/// The image formats every browser shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Png,
    Jpeg,
    Webp,
}

impl ImageFormat {
    pub const fn content_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Webp => "image/webp",
        }
    }

    /// The extension a stored copy is given, whatever the upload was called.
    pub const fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Webp => "webp",
        }
    }
}

/// From the magic bytes (the first 16 bytes of the file are enough).
pub fn sniff_image(head: &[u8]) -> Result<ImageFormat, MediaError> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(ImageFormat::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(ImageFormat::Jpeg)
    } else if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP".as_slice()) {
        Ok(ImageFormat::Webp)
    } else {
        Err(MediaError::NotImage)
    }
}

/// Whether the file starts like a PDF (`%PDF-`).
pub fn is_pdf(head: &[u8]) -> bool {
    head.starts_with(b"%PDF-")
}

/// The compound-file signature of Office 97–2003 documents (and of `.msi`
/// installers, which is why the extension must also say doc, xls or ppt).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The content type an attachment learners may download is served with.
///
/// The bytes decide: pdf, png/jpeg/webp, Office documents (a zip for
/// docx/xlsx/pptx, a compound file for doc/xls/ppt) and plain text (UTF-8 with
/// no NUL in `head`). The name's extension only chooses between formats that
/// share a magic number. Text, having no magic, must also be called `.txt`:
/// otherwise a script named `setup.bat` would be served, and saved by the
/// browser, under its dangerous name.
pub fn sniff_attachment(head: &[u8], file_name: &str) -> Result<&'static str, MediaError> {
    let name = clean_file_name(file_name);
    let extension = name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default();
    if is_pdf(head) {
        return Ok("application/pdf");
    }
    if let Ok(image) = sniff_image(head) {
        return Ok(image.content_type());
    }
    let content_type = if head.starts_with(b"PK\x03\x04") {
        match extension.as_str() {
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            _ => return Err(MediaError::UnsupportedAttachment),
        }
    } else if head.starts_with(&OLE_MAGIC) {
        match extension.as_str() {
            "doc" => "application/msword",
            "xls" => "application/vnd.ms-excel",
            "ppt" => "application/vnd.ms-powerpoint",
            _ => return Err(MediaError::UnsupportedAttachment),
        }
    } else if extension == "txt" && is_utf8_text(head) {
        "text/plain; charset=utf-8"
    } else {
        return Err(MediaError::UnsupportedAttachment);
    };
    Ok(content_type)
}

/// UTF-8 without NUL. `head` is usually a prefix of the file, so a character
/// cut off at its very end is allowed.
fn is_utf8_text(head: &[u8]) -> bool {
    if head.is_empty() || head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Most characters kept of a file name.
const FILE_NAME_MAX_CHARS: usize = 100;

/// Bidirectional-text controls: U+202E turns `报告\u{202E}fdp.exe` into what looks
/// like `报告exe.pdf` on screen.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A file name safe to show and to put in `Content-Disposition`: the last path
/// component (browsers on Windows send `C:\...\name`), without control
/// characters, bidi overrides or quotes (so it can sit inside a quoted header
/// value or attribute), trimmed, at most 100 characters with the extension
/// kept, and `file` when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let kept: String = base
        .chars()
        .filter(|&c| !c.is_control() && !is_bidi_control(c) && c != '"' && c != '\'')
        .collect();
    let kept = kept.trim();
    // "." and ".." name directories, not files.
    if kept.chars().all(|c| c == '.') {
        return "file".to_owned();
    }
    if kept.chars().count() <= FILE_NAME_MAX_CHARS {
        return kept.to_owned();
    }
    match kept.rsplit_once('.') {
        Some((stem, extension))
            if !stem.trim().is_empty() && (1..=10).contains(&extension.chars().count()) =>
        {
            let room = FILE_NAME_MAX_CHARS - 1 - extension.chars().count();
            let stem: String = stem.chars().take(room).collect();
            format!("{}.{extension}", stem.trim_end())
        }
        _ => kept
            .chars()
            .take(FILE_NAME_MAX_CHARS)
            .collect::<String>()
            .trim_end()
            .to_owned(),
    }
}

/// A `Content-Disposition` value: `inline` (shown in the browser) or, for any
/// other `kind`, `attachment` (saved). Old clients read the ASCII `filename`,
/// in which other characters become `_`; every current browser reads the
/// RFC 5987 `filename*`, which keeps a Chinese name intact.
pub fn content_disposition(kind: &str, file_name: &str) -> String {
    let kind = if kind == "inline" {
        "inline"
    } else {
        "attachment"
    };
    let name = clean_file_name(file_name);
    // `%` too: some clients percent-decode the plain `filename`.
    let fallback: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && !matches!(c, '"' | '\\' | '%') {
                c
            } else {
                '_'
            }
        })
        .collect();
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(name.len() * 3);
    for byte in name.bytes() {
        // RFC 5987 attr-char.
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Cursor;

    // --- A hand-made MP4 -------------------------------------------------

    fn bx(kind: &[u8; 4], parts: &[&[u8]]) -> Vec<u8> {
        let body = parts.concat();
        let mut out = u32::try_from(body.len() + 8)
            .unwrap()
            .to_be_bytes()
            .to_vec();
        out.extend_from_slice(kind);
        out.extend(body);
        out
    }

    fn ftyp() -> Vec<u8> {
        bx(b"ftyp", &[b"isom", &[0, 0, 2, 0], b"isomiso2avc1mp41"])
    }

    fn mvhd_v0(timescale: u32, duration: u32) -> Vec<u8> {
        bx(
            b"mvhd",
            &[
                &[0, 0, 0, 0],
                &[0; 8],
                &timescale.to_be_bytes(),
                &duration.to_be_bytes(),
                &[0; 80],
            ],
        )
    }

    fn mvhd_v1(timescale: u32, duration: u64) -> Vec<u8> {
        bx(
            b"mvhd",
            &[
                &[1, 0, 0, 0],
                &[0; 16],
                &timescale.to_be_bytes(),
                &duration.to_be_bytes(),
                &[0; 80],
            ],
        )
    }

    fn tkhd(width: u32, height: u32, quarter_turn: bool) -> Vec<u8> {
        let one = 0x1_0000u32.to_be_bytes();
        let minus_one = (-0x1_0000i32).to_be_bytes();
        let w = 0x4000_0000u32.to_be_bytes();
        let z = [0u8; 4];
        let matrix = if quarter_turn {
            [z, one, z, minus_one, z, z, z, z, w].concat()
        } else {
            [one, z, z, z, one, z, z, z, w].concat()
        };
        bx(
            b"tkhd",
            &[
                &[0, 0, 0, 3],
                &[0; 20],
                &[0; 16],
                &matrix,
                &(width << 16).to_be_bytes(),
                &(height << 16).to_be_bytes(),
            ],
        )
    }

    fn hdlr(handler: &[u8; 4]) -> Vec<u8> {
        bx(b"hdlr", &[&[0; 8], handler, &[0; 12], b"test\0"])
    }

    fn stsd(codec: &[u8; 4], width: u16, height: u16) -> Vec<u8> {
        let entry = bx(
            codec,
            &[
                &[0; 6],
                &[0, 1],
                &[0; 16],
                &width.to_be_bytes(),
                &height.to_be_bytes(),
                &[0; 50],
            ],
        );
        bx(b"stsd", &[&[0; 4], &1u32.to_be_bytes(), &entry])
    }

    fn trak_with(tkhd: Vec<u8>, handler: &[u8; 4], codec: &[u8; 4], size: (u16, u16)) -> Vec<u8> {
        let mdhd = bx(b"mdhd", &[&[0; 12], &1000u32.to_be_bytes(), &[0; 8]]);
        let stbl = bx(b"stbl", &[&stsd(codec, size.0, size.1)]);
        let minf = bx(b"minf", &[&stbl]);
        let mdia = bx(b"mdia", &[&mdhd, &hdlr(handler), &minf]);
        bx(b"trak", &[&tkhd, &mdia])
    }

    fn video(codec: &[u8; 4], width: u16, height: u16) -> Vec<u8> {
        let tkhd = tkhd(width.into(), height.into(), false);
        trak_with(tkhd, b"vide", codec, (width, height))
    }

    fn audio(codec: &[u8; 4]) -> Vec<u8> {
        trak_with(tkhd(0, 0, false), b"soun", codec, (0, 0))
    }

    fn moov(parts: &[&[u8]]) -> Vec<u8> {
        bx(b"moov", parts)
    }

    fn standard_moov() -> Vec<u8> {
        moov(&[
            &mvhd_v0(1000, 2000),
            &video(b"avc1", 160, 90),
            &audio(b"mp4a"),
        ])
    }

    fn mdat() -> Vec<u8> {
        bx(b"mdat", &[&[0xAB; 64]])
    }

    fn file(moov_first: bool, moov: &[u8]) -> Vec<u8> {
        if moov_first {
            [ftyp(), moov.to_vec(), mdat()].concat()
        } else {
            [ftyp(), mdat(), moov.to_vec()].concat()
        }
    }

    fn probe(bytes: &[u8]) -> Result<VideoInfo, MediaError> {
        probe_mp4(&mut Cursor::new(bytes))
    }

    fn expected(fast_start: bool) -> VideoInfo {
        VideoInfo {
            duration_ms: 2000,
            width: 160,
            height: 90,
            has_audio: true,
            fast_start,
        }
    }

    // --- MP4 -------------------------------------------------------------

    #[test]
    fn moov_first_is_fast_start_and_moov_last_is_not() {
        assert_eq!(probe(&file(true, &standard_moov())), Ok(expected(true)));
        assert_eq!(probe(&file(false, &standard_moov())), Ok(expected(false)));
    }

    #[test]
    fn the_cursor_position_does_not_matter() {
        let bytes = file(true, &standard_moov());
        let mut cursor = Cursor::new(bytes.as_slice());
        cursor.set_position(bytes.len() as u64);
        assert_eq!(probe_mp4(&mut cursor), Ok(expected(true)));
    }

    #[test]
    fn durations_use_the_timescale_and_round() {
        let with = |mvhd: Vec<u8>| {
            probe(&file(true, &moov(&[&mvhd, &video(b"avc1", 160, 90)])))
                .map(|info| info.duration_ms)
        };
        assert_eq!(with(mvhd_v0(1000, 2000)), Ok(2000));
        assert_eq!(with(mvhd_v0(90_000, 180_000)), Ok(2000));
        assert_eq!(with(mvhd_v0(90_000, 123_456)), Ok(1372)); // 1371.73…
        assert_eq!(with(mvhd_v1(90_000, 180_000)), Ok(2000));
        // Ten hours at 90 kHz overflows 32 bits: that is what version 1 is for.
        assert_eq!(with(mvhd_v1(90_000, 3_240_000_000)), Ok(36_000_000));
        assert_eq!(with(mvhd_v0(1000, 0)), Err(MediaError::NoDuration));
        assert_eq!(with(mvhd_v0(0, 2000)), Err(MediaError::NoDuration));
        assert_eq!(with(mvhd_v0(1000, u32::MAX)), Err(MediaError::NoDuration));
        assert_eq!(with(mvhd_v1(1000, u64::MAX)), Err(MediaError::NoDuration));
        assert_eq!(with(mvhd_v1(1, u64::MAX - 1)), Err(MediaError::NoDuration));
        let without = moov(&[&video(b"avc1", 160, 90)]);
        assert_eq!(probe(&file(true, &without)), Err(MediaError::NoDuration));
    }

    #[test]
    fn audio_is_optional_and_a_video_track_is_not() {
        let silent = moov(&[&mvhd_v0(1000, 2000), &video(b"avc3", 160, 90)]);
        assert_eq!(
            probe(&file(true, &silent)),
            Ok(VideoInfo {
                has_audio: false,
                ..expected(true)
            })
        );
        let music = moov(&[&mvhd_v0(1000, 2000), &audio(b"mp4a")]);
        assert_eq!(probe(&file(true, &music)), Err(MediaError::NoVideoTrack));
        // Tracks of other kinds (subtitles here) are neither.
        let subtitles = trak_with(tkhd(0, 0, false), b"sbtl", b"tx3g", (0, 0));
        let only_text = moov(&[&mvhd_v0(1000, 2000), &subtitles]);
        assert_eq!(
            probe(&file(true, &only_text)),
            Err(MediaError::NoVideoTrack)
        );
    }

    #[test]
    fn only_h264_and_aac_are_accepted() {
        let hevc = moov(&[
            &mvhd_v0(1000, 2000),
            &video(b"hvc1", 160, 90),
            &audio(b"mp4a"),
        ]);
        assert_eq!(
            probe(&file(true, &hevc)),
            Err(MediaError::UnsupportedVideoCodec("hvc1".into()))
        );
        let opus = moov(&[
            &mvhd_v0(1000, 2000),
            &video(b"avc1", 160, 90),
            &audio(b"Opus"),
        ]);
        assert_eq!(
            probe(&file(true, &opus)),
            Err(MediaError::UnsupportedAudioCodec("Opus".into()))
        );
        let odd = moov(&[&mvhd_v0(1000, 2000), &video(b"a\0\n1", 160, 90)]);
        assert_eq!(
            probe(&file(true, &odd)),
            Err(MediaError::UnsupportedVideoCodec("a??1".into()))
        );
    }

    #[test]
    fn a_rotated_phone_video_is_reported_upright() {
        let upright = trak_with(tkhd(1920, 1080, true), b"vide", b"avc1", (1920, 1080));
        let info = probe(&file(true, &moov(&[&mvhd_v0(1000, 2000), &upright]))).unwrap();
        assert_eq!((info.width, info.height), (1080, 1920));
        // A track header without a size falls back on the sample entry's.
        let sizeless = trak_with(tkhd(0, 0, false), b"vide", b"avc1", (640, 360));
        let info = probe(&file(true, &moov(&[&mvhd_v0(1000, 2000), &sizeless]))).unwrap();
        assert_eq!((info.width, info.height), (640, 360));
        let nothing = trak_with(tkhd(0, 0, false), b"vide", b"avc1", (0, 0));
        assert_eq!(
            probe(&file(true, &moov(&[&mvhd_v0(1000, 2000), &nothing]))),
            Err(MediaError::NotMp4)
        );
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        for moov_first in [true, false] {
            let bytes = file(moov_first, &standard_moov());
            for cut in 0..bytes.len() {
                assert!(probe(&bytes[..cut]).is_err(), "{moov_first} {cut}");
            }
            assert_eq!(probe(&bytes[..bytes.len() - 1]), Err(MediaError::Truncated));
        }
        // Cut right after a leading moov: no media data at all.
        let cut = [ftyp(), standard_moov()].concat();
        assert_eq!(probe(&cut), Err(MediaError::Truncated));
    }

    #[test]
    fn sizes_beyond_the_end_are_truncation() {
        let good = file(true, &standard_moov());
        let mdat_at = good.len() - mdat().len();
        let mut bytes = good.clone();
        bytes[mdat_at..mdat_at + 4].copy_from_slice(&0x7FFF_FFFFu32.to_be_bytes());
        assert_eq!(probe(&bytes), Err(MediaError::Truncated));

        // A 64-bit size that would overflow the position.
        let huge = [
            &1u32.to_be_bytes()[..],
            b"mdat",
            &u64::MAX.to_be_bytes(),
            &[0; 8],
        ]
        .concat();
        let bytes = [ftyp(), standard_moov(), huge].concat();
        assert_eq!(probe(&bytes), Err(MediaError::Truncated));

        // A child spilling out of its parent, within the file, is corruption.
        let mut bytes = good;
        let trak_at = ftyp().len() + 8 + mvhd_v0(1, 1).len();
        assert_eq!(&bytes[trak_at + 4..trak_at + 8], b"trak");
        bytes[trak_at..trak_at + 4].copy_from_slice(&5000u32.to_be_bytes());
        bytes.extend([0; 6000]);
        assert_eq!(probe(&bytes), Err(MediaError::NotMp4));
    }

    #[test]
    fn size_zero_runs_to_the_end_and_size_one_is_64_bit() {
        let open_mdat = [&0u32.to_be_bytes()[..], b"mdat", &[0xAB; 100]].concat();
        let bytes = [ftyp(), standard_moov(), open_mdat].concat();
        assert_eq!(probe(&bytes), Ok(expected(true)));

        let mut open_moov = standard_moov();
        open_moov[..4].copy_from_slice(&0u32.to_be_bytes());
        let bytes = [ftyp(), mdat(), open_moov].concat();
        assert_eq!(probe(&bytes), Ok(expected(false)));

        let large_mdat = [
            &1u32.to_be_bytes()[..],
            b"mdat",
            &(16u64 + 100).to_be_bytes(),
            &[0xAB; 100],
        ]
        .concat();
        let bytes = [ftyp(), standard_moov(), large_mdat].concat();
        assert_eq!(probe(&bytes), Ok(expected(true)));

        let moov = standard_moov();
        let large_moov = [
            &1u32.to_be_bytes()[..],
            b"moov",
            &(moov.len() as u64 + 8).to_be_bytes(),
            &moov[8..],
        ]
        .concat();
        let bytes = [ftyp(), mdat(), large_moov].concat();
        assert_eq!(probe(&bytes), Ok(expected(false)));

        // A 64-bit size smaller than its own header.
        let tiny = [&1u32.to_be_bytes()[..], b"free", &8u64.to_be_bytes()].concat();
        let bytes = [ftyp(), tiny, standard_moov(), mdat()].concat();
        assert_eq!(probe(&bytes), Err(MediaError::NotMp4));
    }

    #[test]
    fn malformed_structure_is_refused_quickly() {
        assert_eq!(probe(b""), Err(MediaError::NotMp4));
        assert_eq!(
            probe(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(MediaError::NotMp4)
        );
        assert_eq!(
            probe(&file(true, &standard_moov())[8..]),
            Err(MediaError::NotMp4)
        );
        // A box shorter than its header would never advance.
        let stuck = [&4u32.to_be_bytes()[..], b"free"].concat();
        let bytes = [ftyp(), stuck, standard_moov(), mdat()].concat();
        assert_eq!(probe(&bytes), Err(MediaError::NotMp4));
        // Tens of thousands of empty boxes inside moov exhaust the budget.
        let mut crowded = standard_moov();
        let filler = bx(b"free", &[]).repeat(MAX_MOOV_BOXES);
        crowded.extend(&filler);
        let size = u32::try_from(crowded.len()).unwrap();
        crowded[..4].copy_from_slice(&size.to_be_bytes());
        assert_eq!(probe(&file(true, &crowded)), Err(MediaError::NotMp4));
        // A track nested in a track in a track is simply not looked into.
        let mut nested = video(b"avc1", 160, 90);
        for _ in 0..200 {
            nested = bx(b"trak", &[&nested]);
        }
        let bytes = file(true, &moov(&[&mvhd_v0(1000, 2000), &nested]));
        assert_eq!(probe(&bytes), Err(MediaError::NoVideoTrack));
        // No moov at all.
        assert_eq!(probe(&[ftyp(), mdat()].concat()), Err(MediaError::NotMp4));
    }

    #[test]
    fn read_failures_are_io_errors() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        impl Seek for Broken {
            fn seek(&mut self, _: SeekFrom) -> std::io::Result<u64> {
                Ok(1000)
            }
        }
        let error = probe_mp4(&mut Broken).unwrap_err();
        assert_eq!(error, MediaError::Io("disk on fire".into()));
        assert!(!error.en().contains("fire"));
    }

    // --- Images, PDF, attachments ---------------------------------------

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";
    const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";
    const ZIP: &[u8] = b"PK\x03\x04\x14\0\x06\0";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];

    #[test]
    fn images_are_known_by_their_magic() {
        let table: [(&[u8], Result<ImageFormat, MediaError>); 8] = [
            (PNG, Ok(ImageFormat::Png)),
            (JPEG, Ok(ImageFormat::Jpeg)),
            (WEBP, Ok(ImageFormat::Webp)),
            (b"GIF89a\x01\0\x01\0", Err(MediaError::NotImage)),
            (b"RIFF\x24\0\0\0WAVEfmt ", Err(MediaError::NotImage)),
            (b"RIFF", Err(MediaError::NotImage)),
            (
                &[0x13, 0x37, 0xC0, 0xDE, 0x42, 0x00, 0xFF],
                Err(MediaError::NotImage),
            ),
            (b"", Err(MediaError::NotImage)),
        ];
        for (head, want) in table {
            assert_eq!(sniff_image(head), want, "{head:?}");
        }
        assert_eq!(ImageFormat::Jpeg.extension(), "jpg");
        assert_eq!(ImageFormat::Webp.content_type(), "image/webp");
        assert!(is_pdf(b"%PDF-1.7\n%\xE2\xE3"));
        assert!(!is_pdf(b"%PDF"));
        assert!(!is_pdf(b" %PDF-1.7"));
    }

    #[test]
    fn attachments_are_known_by_their_bytes_and_name() {
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        let pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let text = "text/plain; charset=utf-8";
        let no = Err(MediaError::UnsupportedAttachment);
        let gbk_text: &[u8] = &[0xC4, 0xE3, 0xBA, 0xC3]; // 你好 in GBK
        let cut_char = &"你好".as_bytes()[..4];
        let table: &[(&[u8], &str, Result<&str, MediaError>)] = &[
            (b"%PDF-1.4\n", "讲义.pdf", Ok("application/pdf")),
            (b"%PDF-1.4\n", "讲义.docx", Ok("application/pdf")),
            (ZIP, "课件.pptx", Ok(pptx)),
            (ZIP, "课件.PPTX", Ok(pptx)),
            (ZIP, "C:\\资料\\报告.docx", Ok(docx)),
            (ZIP, "名单.xlsx", Ok(xlsx)),
            (ZIP, "archive.zip", no.clone()),
            (ZIP, "docx", no.clone()),
            (OLE, "a.doc", Ok("application/msword")),
            (OLE, "b.xls", Ok("application/vnd.ms-excel")),
            (OLE, "c.ppt", Ok("application/vnd.ms-powerpoint")),
            (OLE, "setup.msi", no.clone()),
            (PNG, "photo.png", Ok("image/png")),
            (JPEG, "photo.png", Ok("image/jpeg")),
            (WEBP, "photo", Ok("image/webp")),
            (b"GIF89a", "anim.gif", no.clone()),
            ("学习心得\r\nline 2".as_bytes(), "心得.txt", Ok(text)),
            (cut_char, "心得.TXT", Ok(text)),
            (b"@echo off\r\nformat c:", "run.bat", no.clone()),
            (b"hello\0world", "a.txt", no.clone()),
            (gbk_text, "a.txt", no.clone()),
            (b"", "empty.txt", no.clone()),
            (b"MZ\x90\0\x03\0", "setup.exe", no.clone()),
            (b"MZ\x90\0\x03\0", "setup.txt", no.clone()),
        ];
        for (head, name, want) in table {
            assert_eq!(sniff_attachment(head, name), *want, "{name}");
        }
    }

    #[test]
    fn file_names_lose_paths_controls_and_quotes() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\x\\报告.pdf"), "报告.pdf");
        assert_eq!(clean_file_name("a\u{0}b\r\n\"c\".txt"), "abc.txt");
        assert_eq!(clean_file_name("  Tom's notes.txt\t"), "Toms notes.txt");
        assert_eq!(clean_file_name("报告\u{202E}fdp.exe"), "报告fdp.exe");
        for empty in ["", "   ", "..", ".", "dir/", "\u{7}\u{1b}", "\"\""] {
            assert_eq!(clean_file_name(empty), "file", "{empty:?}");
        }
        let long = format!("{}.pdf", "党员教育".repeat(40));
        let cleaned = clean_file_name(&long);
        assert_eq!(cleaned.chars().count(), 100);
        assert!(cleaned.ends_with("育.pdf"), "{cleaned}");
        let no_extension = clean_file_name(&"x".repeat(300));
        assert_eq!(no_extension, "x".repeat(100));
        let odd_extension = clean_file_name(&format!("{}.{}", "a".repeat(50), "b".repeat(60)));
        assert_eq!(odd_extension.chars().count(), 100);
    }

    #[test]
    fn content_disposition_keeps_chinese_names_for_browsers() {
        assert_eq!(
            content_disposition("attachment", "报告.pdf"),
            "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"
        );
        assert_eq!(
            content_disposition("inline", "notes 100%.pdf"),
            "inline; filename=\"notes 100_.pdf\"; filename*=UTF-8''notes%20100%25.pdf"
        );
        assert!(content_disposition("evil\r\nSet-Cookie: x", "a.pdf").starts_with("attachment;"));
        assert_eq!(
            content_disposition("attachment", "a\r\nX-Evil: 1\".txt"),
            "attachment; filename=\"aX-Evil: 1.txt\"; filename*=UTF-8''aX-Evil%3A%201.txt"
        );
    }

    #[test]
    fn kinds_round_trip_and_errors_have_messages() {
        for kind in MediaKind::ALL {
            assert_eq!(MediaKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(MediaKind::from_code("movie"), None);
        let all = [
            MediaError::NotMp4,
            MediaError::Truncated,
            MediaError::NoVideoTrack,
            MediaError::UnsupportedVideoCodec("hvc1".into()),
            MediaError::UnsupportedAudioCodec("Opus".into()),
            MediaError::NoDuration,
            MediaError::NotImage,
            MediaError::NotPdf,
            MediaError::UnsupportedAttachment,
            MediaError::Io("x".into()),
        ];
        for error in all {
            let zh = error.zh();
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
            assert!(!error.en().is_empty() && !error.to_string().is_empty());
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_after_ftyp_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = probe(&[ftyp(), tail].concat());
        }

        #[test]
        fn corrupted_files_never_panic(
            moov_first: bool,
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        ) {
            let mut bytes = file(moov_first, &standard_moov());
            for (at, byte) in edits {
                let at = at % bytes.len();
                bytes[at] = byte;
            }
            let _ = probe(&bytes);
        }

        #[test]
        fn cleaned_names_are_safe(name in "\\PC{0,300}|[\\x00-\\x7f]{0,50}") {
            let cleaned = clean_file_name(&name);
            prop_assert!(!cleaned.is_empty());
            prop_assert!(cleaned.chars().count() <= FILE_NAME_MAX_CHARS);
            prop_assert!(!cleaned.contains(['/', '\\', '"', '\'']));
            prop_assert!(!cleaned.chars().any(char::is_control));
            let header = content_disposition("attachment", &name);
            prop_assert!(header.is_ascii());
            prop_assert!(!header.contains(['\r', '\n']));
        }
    }
}
