//! Server-side rendering of the training certificate (培训证书): an A4
//! landscape PDF with embedded Chinese text, and the QR code (inline SVG for
//! the printable HTML page, vector squares in the PDF) that points at the
//! public verification page.
//!
//! Text is set in a subset of Noto Serif CJK SC (`app/assets/fonts/`, made by
//! `scripts/make-certificate-font.sh`: ASCII, Latin-1, CJK punctuation,
//! full-width forms, all of GB2312 and some common name characters outside
//! it). The font is compiled into the binary, so rendering never depends on
//! the system's fonts. krilla embeds a further subset per PDF, holding only
//! the glyphs that PDF draws, as a CID-keyed CFF font (`/FontFile3`), with a
//! ToUnicode map so the text can be searched and copied.
//!
//! A character the font does not have (e.g. 𠮷, or most emoji) never fails the
//! render: it is drawn as the white square □ (U+25A1), one em wide, so a
//! reader can see something is missing, while the PDF's text layer keeps the
//! original character. [`unsupported_chars`] lists such characters before
//! rendering, for a warning in the organizer's screens.

use std::sync::LazyLock;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use qrcode::{EcLevel, QrCode};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The embedded font (see the module docs and `app/assets/fonts/OFL.txt`).
pub const FONT_BYTES: &[u8] =
    include_bytes!("../../assets/fonts/NotoSerifCJKsc-Regular.certificate-subset.otf");

/// What a certificate shows. All fields are display text, already formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateSheet {
    pub serial: String,
    pub holder_name: String,
    pub class_title: String,
    /// e.g. "12.5 小时".
    pub hours_label: String,
    /// e.g. "2026年11月30日".
    pub issued_on: String,
    /// e.g. "中共某某市委组织部".
    pub issuer: String,
    pub verify_url: String,
    pub revoked: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
    #[error("certificate font: {0}")]
    Font(String),
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("layout: {0}")]
    Layout(&'static str),
}

/// The QR code for `url` as an inline `<svg>` element (no XML declaration),
/// black modules on white with the standard 4-module quiet zone.
pub fn qr_svg(url: &str) -> Result<String, RenderError> {
    let code = qr_code(url)?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    let svg = match svg.find("<svg") {
        Some(start) => svg[start..].to_string(),
        None => svg,
    };
    Ok(svg.replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"证书验证二维码\" ",
        1,
    ))
}

/// The characters of `sheet`'s text that the certificate font lacks; each is
/// drawn as □ in the PDF.
pub fn unsupported_chars(sheet: &CertificateSheet) -> Result<Vec<char>, RenderError> {
    let face = face()?;
    let mut missing = Vec::new();
    for text in [
        &sheet.serial,
        &sheet.holder_name,
        &sheet.class_title,
        &sheet.hours_label,
        &sheet.issued_on,
        &sheet.issuer,
        &sheet.verify_url,
    ] {
        for ch in text.chars().map(normalize_char) {
            if face.glyph(ch).is_none() && !missing.contains(&ch) {
                missing.push(ch);
            }
        }
    }
    Ok(missing)
}

/// The certificate as a one-page A4 landscape PDF.
pub fn certificate_pdf(sheet: &CertificateSheet) -> Result<Vec<u8>, RenderError> {
    let face = face()?;
    let code = qr_code(&sheet.verify_url)?;

    let mut document = Document::new();
    let title = if sheet.revoked {
        format!("培训证书 {}（已撤销）", sheet.serial)
    } else {
        format!("培训证书 {}", sheet.serial)
    };
    document.set_metadata(
        Metadata::new()
            .title(title)
            .language("zh-CN".to_string())
            .creator("网络学院".to_string())
            .authors(vec![sheet.issuer.clone()]),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(RenderError::Layout("page size"))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut pen = Pen {
        surface: &mut surface,
        face,
    };
    pen.draw_certificate(sheet, &code)?;
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|error| RenderError::Pdf(error.to_string()))
}

// ---------------------------------------------------------------------------
// Layout. Units are PDF points; the origin is the page's top-left corner, y
// grows downwards, and a text position is the left end of its baseline.

/// A4 landscape.
const PAGE_W: f32 = 841.89;
const PAGE_H: f32 = 595.28;
/// The body text's column.
const BODY_LEFT: f32 = 110.0;
const BODY_RIGHT: f32 = PAGE_W - 110.0;
const BODY_TOP: f32 = 215.0;
const BODY_BOTTOM: f32 = 385.0;
/// The body's largest and smallest font size: a long class title makes the
/// body wrap onto more lines, and past what fits the size steps down.
const BODY_SIZE_MAX: f32 = 20.0;
const BODY_SIZE_MIN: f32 = 11.0;
const LINE_HEIGHT: f32 = 1.85;
/// The QR code's square (modules only; the page around it stays white).
const QR_LEFT: f32 = 80.0;
const QR_TOP: f32 = 398.0;
const QR_SIZE: f32 = 96.0;

const RED: (u8, u8, u8) = (163, 28, 36);
const INK: (u8, u8, u8) = (34, 34, 34);
const GREY: (u8, u8, u8) = (96, 96, 96);

/// Drawn for a character the font lacks.
const FALLBACK_CHAR: char = '□';

struct Pen<'s, 'p> {
    surface: &'s mut Surface<'p>,
    face: &'static Face,
}

impl Pen<'_, '_> {
    fn draw_certificate(
        &mut self,
        sheet: &CertificateSheet,
        code: &QrCode,
    ) -> Result<(), RenderError> {
        self.draw_border()?;

        // Title, letter-spaced, and a small English line under it.
        self.text_centered("培训证书", PAGE_W / 2.0, 128.0, 46.0, 0.55, RED);
        self.text_centered(
            "CERTIFICATE OF TRAINING",
            PAGE_W / 2.0,
            156.0,
            10.5,
            0.35,
            GREY,
        );

        // Body: the name line, then the paragraph with a two-character indent.
        let name_line = format!("{} 同志：", clean(&sheet.holder_name));
        let paragraph = format!(
            "于{}完成「{}」全部学习任务，累计学习 {}，考核合格，特发此证。",
            clean(&sheet.issued_on),
            clean(&sheet.class_title),
            clean(&sheet.hours_label),
        );
        let width = BODY_RIGHT - BODY_LEFT;
        let (size, name_lines, lines) = self.fit_body(&name_line, &paragraph, width);
        let leading = size * LINE_HEIGHT;
        let mut y = BODY_TOP + size;
        for line in &name_lines {
            self.text(line, BODY_LEFT, y, size, 0.0, INK);
            y += leading;
        }
        for (index, line) in lines.iter().enumerate() {
            let indent = if index == 0 { 2.0 * size } else { 0.0 };
            self.text(line, BODY_LEFT + indent, y, size, 0.0, INK);
            y += leading;
        }

        // Issuer and date, bottom right: centred on each other, the wider one
        // ending at the body's right edge.
        let issuer = clean(&sheet.issuer);
        let issued_on = clean(&sheet.issued_on);
        let issuer_size = shrink_to_fit(self.face.width_em(&issuer, 0.0), 17.0, 10.0, 400.0);
        let issuer_w = self.face.width_em(&issuer, 0.0) * issuer_size;
        let date_w = self.face.width_em(&issued_on, 0.0) * 16.0;
        let centre = BODY_RIGHT - issuer_w.max(date_w) / 2.0;
        self.text_centered(&issuer, centre, 452.0, issuer_size, 0.0, INK);
        self.text_centered(&issued_on, centre, 482.0, 16.0, 0.0, INK);

        // QR code bottom left, with the serial and the verification address
        // in small print under it.
        self.draw_qr(code)?;
        self.text_centered(
            "扫码验证",
            QR_LEFT + QR_SIZE / 2.0,
            QR_TOP + QR_SIZE + 14.0,
            8.0,
            0.2,
            GREY,
        );
        let small_w = PAGE_W - 2.0 * QR_LEFT;
        let serial = format!("证书编号：{}", clean(&sheet.serial));
        let verify = format!("验证码查询：{}", clean(&sheet.verify_url));
        let serial_size = shrink_to_fit(self.face.width_em(&serial, 0.0), 9.0, 5.0, small_w);
        let verify_size = shrink_to_fit(self.face.width_em(&verify, 0.0), 9.0, 5.0, small_w);
        self.text(&serial, QR_LEFT, 537.0, serial_size, 0.0, GREY);
        self.text(&verify, QR_LEFT, 551.0, verify_size, 0.0, GREY);

        if sheet.revoked {
            self.draw_revoked()?;
        }
        Ok(())
    }

    /// The largest body size at which the name line and the paragraph fit the
    /// body box (or the smallest size, if nothing fits).
    fn fit_body(
        &self,
        name_line: &str,
        paragraph: &str,
        width: f32,
    ) -> (f32, Vec<String>, Vec<String>) {
        let mut size = BODY_SIZE_MAX;
        loop {
            let name_lines = break_lines(self.face, name_line, width / size, 0.0);
            let lines = break_lines(self.face, paragraph, width / size, 2.0);
            let count = (name_lines.len() + lines.len()) as f32;
            // The first baseline sits one size below the top; each further
            // line adds a leading.
            let height = size + (count - 1.0) * size * LINE_HEIGHT;
            if height <= BODY_BOTTOM - BODY_TOP || size <= BODY_SIZE_MIN {
                return (size, name_lines, lines);
            }
            size -= 0.5;
        }
    }

    fn draw_border(&mut self) -> Result<(), RenderError> {
        self.stroke_rect(22.0, 3.0)?;
        self.stroke_rect(31.0, 0.8)?;
        // Small squares in the corners between the two frames.
        let mut corners = PathBuilder::new();
        for (x, y) in [
            (26.5, 26.5),
            (PAGE_W - 26.5, 26.5),
            (26.5, PAGE_H - 26.5),
            (PAGE_W - 26.5, PAGE_H - 26.5),
        ] {
            let square =
                Rect::from_xywh(x - 3.0, y - 3.0, 6.0, 6.0).ok_or(RenderError::Layout("corner"))?;
            corners.push_rect(square);
        }
        let corners = corners.finish().ok_or(RenderError::Layout("corners"))?;
        self.fill_path(&corners, RED);
        Ok(())
    }

    fn stroke_rect(&mut self, inset: f32, width: f32) -> Result<(), RenderError> {
        let rect = Rect::from_ltrb(inset, inset, PAGE_W - inset, PAGE_H - inset)
            .ok_or(RenderError::Layout("border"))?;
        let mut builder = PathBuilder::new();
        builder.push_rect(rect);
        let path = builder.finish().ok_or(RenderError::Layout("border"))?;
        self.surface.set_fill(None);
        self.surface.set_stroke(Some(Stroke {
            paint: colour(RED).into(),
            width,
            ..Stroke::default()
        }));
        self.surface.draw_path(&path);
        self.surface.set_stroke(None);
        Ok(())
    }

    fn fill_path(&mut self, path: &krilla::geom::Path, rgb: (u8, u8, u8)) {
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(fill(rgb)));
        self.surface.draw_path(path);
    }

    /// The QR code's dark modules as one path of rectangles (a horizontal
    /// run of dark modules is one rectangle).
    fn draw_qr(&mut self, code: &QrCode) -> Result<(), RenderError> {
        let modules = code.width();
        let colours = code.to_colors();
        let unit = QR_SIZE / modules as f32;
        let mut builder = PathBuilder::new();
        for row in 0..modules {
            let mut col = 0;
            while col < modules {
                if colours[row * modules + col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < modules && colours[row * modules + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let rect = Rect::from_xywh(
                    QR_LEFT + start as f32 * unit,
                    QR_TOP + row as f32 * unit,
                    (col - start) as f32 * unit,
                    unit,
                )
                .ok_or(RenderError::Layout("QR module"))?;
                builder.push_rect(rect);
            }
        }
        let path = builder.finish().ok_or(RenderError::Layout("QR code"))?;
        self.fill_path(&path, (0, 0, 0));
        Ok(())
    }

    /// A red stamp across the middle of the page: "已撤销 REVOKED" in a frame,
    /// turned a little, drawn over everything else.
    fn draw_revoked(&mut self) -> Result<(), RenderError> {
        let (cx, cy) = (PAGE_W / 2.0, 300.0);
        let label = "已撤销 REVOKED";
        let size = 50.0;
        let width = self.face.width_em(label, 0.1) * size;
        let (w, h) = (width + 60.0, size * 1.9);
        self.surface
            .push_transform(&Transform::from_rotate_at(-14.0, cx, cy));
        self.surface
            .push_opacity(NormalizedF32::new(0.85).ok_or(RenderError::Layout("opacity"))?);
        for (inset, stroke) in [(0.0, 4.0), (7.0, 1.5)] {
            let rect = Rect::from_xywh(
                cx - w / 2.0 + inset,
                cy - h / 2.0 + inset,
                w - 2.0 * inset,
                h - 2.0 * inset,
            )
            .ok_or(RenderError::Layout("stamp"))?;
            let mut builder = PathBuilder::new();
            builder.push_rect(rect);
            let path = builder.finish().ok_or(RenderError::Layout("stamp"))?;
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: colour(RED).into(),
                width: stroke,
                ..Stroke::default()
            }));
            self.surface.draw_path(&path);
        }
        self.surface.set_stroke(None);
        self.text_centered(label, cx, cy + size * 0.36, size, 0.1, RED);
        self.surface.pop();
        self.surface.pop();
        Ok(())
    }

    fn text_centered(
        &mut self,
        text: &str,
        centre_x: f32,
        baseline: f32,
        size: f32,
        tracking: f32,
        rgb: (u8, u8, u8),
    ) {
        let width = self.face.width_em(text, tracking) * size;
        self.text(text, centre_x - width / 2.0, baseline, size, tracking, rgb);
    }

    /// Draws one line of text; `tracking` is extra space after each character
    /// but the last, in em.
    fn text(
        &mut self,
        text: &str,
        x: f32,
        baseline: f32,
        size: f32,
        tracking: f32,
        rgb: (u8, u8, u8),
    ) {
        if text.is_empty() {
            return;
        }
        let glyphs = self.face.shape(text, tracking);
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(fill(rgb)));
        self.surface.draw_glyphs(
            Point::from_xy(x, baseline),
            &glyphs,
            self.face.krilla.clone(),
            text,
            size,
            false,
        );
    }
}

fn colour((r, g, b): (u8, u8, u8)) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

fn fill(rgb: (u8, u8, u8)) -> Fill {
    Fill {
        paint: colour(rgb).into(),
        ..Fill::default()
    }
}

/// The size (between `min` and `max`) at which text `width_em` wide fits
/// `available` points.
fn shrink_to_fit(width_em: f32, max: f32, min: f32, available: f32) -> f32 {
    if width_em <= 0.0 {
        return max;
    }
    (available / width_em).clamp(min, max)
}

/// Field text as printed: control characters (newlines, tabs) become spaces,
/// runs of spaces collapse, and the ends are trimmed.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let ch = if ch.is_control() { ' ' } else { ch };
        if ch == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(ch);
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

fn normalize_char(ch: char) -> char {
    if ch.is_control() { ' ' } else { ch }
}

// ---------------------------------------------------------------------------
// The font: glyph lookup, advance widths, and line breaking by measured width.

fn qr_code(url: &str) -> Result<QrCode, RenderError> {
    Ok(QrCode::with_error_correction_level(
        url.as_bytes(),
        EcLevel::M,
    )?)
}

struct Face {
    krilla: Font,
    skrifa: FontRef<'static>,
    units_per_em: f32,
}

static FACE: LazyLock<Result<Face, String>> = LazyLock::new(|| {
    let krilla = Font::new(FONT_BYTES.into(), 0).ok_or("krilla cannot read the font")?;
    let skrifa = FontRef::new(FONT_BYTES).map_err(|error| error.to_string())?;
    let units_per_em = f32::from(
        skrifa
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em,
    );
    if units_per_em <= 0.0 {
        return Err("the font has no units per em".to_string());
    }
    Ok(Face {
        krilla,
        skrifa,
        units_per_em,
    })
});

fn face() -> Result<&'static Face, RenderError> {
    FACE.as_ref()
        .map_err(|error| RenderError::Font(error.clone()))
}

impl Face {
    /// The glyph for `ch`, if the font has one.
    fn glyph(&self, ch: char) -> Option<skrifa::GlyphId> {
        self.skrifa.charmap().map(ch).filter(|id| id.to_u32() != 0)
    }

    /// The glyph drawn for `ch` and its advance in em: the font's own, or □
    /// (else .notdef) one em wide when the font lacks the character.
    fn glyph_and_advance(&self, ch: char) -> (u32, f32) {
        let metrics = self
            .skrifa
            .glyph_metrics(Size::unscaled(), LocationRef::default());
        let found = self.glyph(ch).or_else(|| self.glyph(FALLBACK_CHAR));
        match found {
            Some(id) => {
                let advance = metrics.advance_width(id).unwrap_or(self.units_per_em);
                (id.to_u32(), advance / self.units_per_em)
            }
            None => (0, 1.0),
        }
    }

    fn advance_em(&self, ch: char) -> f32 {
        self.glyph_and_advance(normalize_char(ch)).1
    }

    /// The width of `text` in em, with `tracking` em after each character but
    /// the last.
    fn width_em(&self, text: &str, tracking: f32) -> f32 {
        let count = text.chars().count();
        let advances: f32 = text.chars().map(|ch| self.advance_em(ch)).sum();
        advances + tracking * count.saturating_sub(1) as f32
    }

    /// One glyph per character (the font has no ligatures or contextual forms
    /// that a certificate needs), advances from the font's metrics.
    fn shape(&self, text: &str, tracking: f32) -> Vec<KrillaGlyph> {
        let count = text.chars().count();
        text.char_indices()
            .enumerate()
            .map(|(index, (start, ch))| {
                let (id, advance) = self.glyph_and_advance(normalize_char(ch));
                let extra = if index + 1 < count { tracking } else { 0.0 };
                KrillaGlyph::new(
                    GlyphId::new(id),
                    advance + extra,
                    0.0,
                    0.0,
                    0.0,
                    start..start + ch.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

/// Characters that must not begin a line (they stay with the one before).
fn no_break_before(ch: char) -> bool {
    "，。、：；！？）》」』】〕〉”’…—·%,.;:!?)]}".contains(ch)
}

/// Characters that must not end a line (they go with the one after).
fn no_break_after(ch: char) -> bool {
    "（《「『【〔〈“‘([{".contains(ch)
}

/// Breaks `text` into lines at most `width_em` wide, the first line
/// `indent_em` narrower. A line may break between any two CJK characters, but
/// not inside a run of ASCII letters and digits (a number, a Latin word, a
/// URL) unless the run alone is wider than a line; closing punctuation stays
/// at the end of its line and opening punctuation at the start of the next.
/// Spaces at a break are dropped.
fn break_lines(face: &Face, text: &str, width_em: f32, indent_em: f32) -> Vec<String> {
    // Unbreakable pieces.
    let mut pieces: Vec<String> = Vec::new();
    let mut glue_next = false;
    for ch in text.chars() {
        let ascii_word = ch.is_ascii_graphic() && !no_break_before(ch) && !no_break_after(ch);
        let extends_word = ascii_word
            && pieces
                .last()
                .and_then(|piece| piece.chars().last())
                .is_some_and(|last| {
                    last.is_ascii_alphanumeric() || "/-_=&#@~+*'\"".contains(last) || last == '.'
                });
        let attach = glue_next || no_break_before(ch) || extends_word;
        match pieces.last_mut() {
            Some(piece) if attach => piece.push(ch),
            _ => pieces.push(ch.to_string()),
        }
        glue_next = no_break_after(ch);
    }

    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0;
    let mut limit = width_em - indent_em;
    for piece in pieces {
        let piece_w = face.width_em(&piece, 0.0);
        if line_w + piece_w > limit + 1e-3 && !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
            line.clear();
            line_w = 0.0;
            limit = width_em;
        }
        // No line starts with a space.
        let piece = if line.is_empty() {
            piece.trim_start()
        } else {
            piece.as_str()
        };
        if piece.is_empty() {
            continue;
        }
        let piece_w = face.width_em(piece, 0.0);
        if piece_w > limit + 1e-3 {
            // Wider than a whole line: split it by character.
            for ch in piece.chars() {
                let w = face.advance_em(ch);
                if line_w + w > limit + 1e-3 && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                    limit = width_em;
                }
                line.push(ch);
                line_w += w;
            }
        } else {
            line.push_str(piece);
            line_w += piece_w;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    fn sheet() -> CertificateSheet {
        CertificateSheet {
            serial: "WX-2026-000123".to_string(),
            holder_name: "李晓明".to_string(),
            class_title: "2026年全市在外务工党员网络培训班".to_string(),
            hours_label: "12.5 小时".to_string(),
            issued_on: "2026年11月30日".to_string(),
            issuer: "中共某某市委组织部".to_string(),
            verify_url: "https://academy.example.cn/verify/WX-2026-000123?c=7F3K9Q".to_string(),
            revoked: false,
        }
    }

    fn tool_available(tool: &str) -> bool {
        Command::new(tool).arg("-v").output().is_ok()
    }

    /// The text layer of `pdf` as pdftotext reads it in content-stream order
    /// (`-raw`: the turned REVOKED stamp reads as one run), all whitespace removed
    /// (letter spacing and line breaks put spaces and newlines in the
    /// extracted text); `None` (with a note) when pdftotext is not installed.
    fn pdf_text(pdf: &[u8]) -> Option<String> {
        if !tool_available("pdftotext") {
            eprintln!("note: pdftotext (poppler-utils) is not installed; skipping the text check");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("certificate.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdftotext")
            .args(["-raw", "-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pdftotext failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        Some(text.chars().filter(|ch| !ch.is_whitespace()).collect())
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack
            .windows(needle.len())
            .any(|window| window == needle)
    }

    #[test]
    fn the_pdf_is_a_complete_pdf() {
        let pdf = certificate_pdf(&sheet()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    }

    #[test]
    fn chinese_text_comes_back_out_of_the_pdf() {
        let sheet = sheet();
        let pdf = certificate_pdf(&sheet).unwrap();
        let Some(text) = pdf_text(&pdf) else { return };
        for expected in [
            "培训证书",
            "李晓明同志：",
            "2026年全市在外务工党员网络培训班",
            "累计学习12.5小时",
            "中共某某市委组织部",
            "2026年11月30日",
            "WX-2026-000123",
            "验证码查询：https://academy.example.cn/verify/WX-2026-000123?c=7F3K9Q",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from {text:?}"
            );
        }
        assert!(!text.contains("REVOKED"));
    }

    #[test]
    fn only_the_used_glyphs_are_embedded() {
        let pdf = certificate_pdf(&sheet()).unwrap();
        eprintln!(
            "typical certificate: {} bytes (font asset {} bytes)",
            pdf.len(),
            FONT_BYTES.len()
        );
        assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
        assert!(pdf.len() * 10 < FONT_BYTES.len());
        assert!(contains(&pdf, b"/FontFile3") || contains(&pdf, b"/FontFile2"));
        // The subset's name: six capital letters, '+', the font's name.
        let marker = b"+NotoSerifCJKsc-Regular";
        let at = pdf
            .windows(marker.len())
            .position(|window| window == marker)
            .expect("a subset font name");
        assert!(at >= 7);
        let tag = &pdf[at - 6..at];
        assert!(
            tag.iter().all(u8::is_ascii_uppercase),
            "{:?}",
            String::from_utf8_lossy(tag)
        );
        assert_eq!(pdf[at - 7], b'/');
    }

    #[test]
    fn a_rare_gb2312_name_renders() {
        let mut sheet = sheet();
        sheet.holder_name = "欧阳鑫淼".to_string();
        assert!(unsupported_chars(&sheet).unwrap().is_empty());
        let pdf = certificate_pdf(&sheet).unwrap();
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains("欧阳鑫淼同志："), "{text:?}");
        }
        // Common name characters outside GB2312 are in the font too.
        for ch in "赟喆堃玥".chars() {
            assert!(face().unwrap().glyph(ch).is_some(), "{ch}");
        }
    }

    #[test]
    fn a_character_outside_the_font_is_drawn_as_a_white_square() {
        let mut sheet = sheet();
        sheet.holder_name = "𠮷野家\u{1F600}".to_string();
        assert_eq!(unsupported_chars(&sheet).unwrap(), vec!['𠮷', '\u{1F600}']);
        let face = face().unwrap();
        let square = face.glyph(FALLBACK_CHAR).unwrap().to_u32();
        assert_eq!(face.glyph_and_advance('𠮷'), (square, 1.0));
        let pdf = certificate_pdf(&sheet).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains("野家"), "{text:?}");
        }
    }

    #[test]
    fn a_revoked_certificate_says_so() {
        let mut sheet = sheet();
        sheet.revoked = true;
        let pdf = certificate_pdf(&sheet).unwrap();
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains("已撤销"), "{text:?}");
            assert!(text.contains("REVOKED"), "{text:?}");
        }
    }

    #[test]
    fn long_titles_wrap_by_measured_width() {
        let face = face().unwrap();
        let title = "学习贯彻党的二十届四中全会精神暨基层党组织书记和在外务工流动党员能力提升专题网络培训示范班（第三期）";
        let paragraph = format!(
            "于2026年11月30日完成「{title}」全部学习任务，累计学习 12.5 小时，考核合格，特发此证。"
        );
        let width_em = (BODY_RIGHT - BODY_LEFT) / BODY_SIZE_MAX;
        let lines = break_lines(face, &paragraph, width_em, 2.0);
        assert!(lines.len() >= 3, "{lines:?}");
        for (index, line) in lines.iter().enumerate() {
            let limit = if index == 0 { width_em - 2.0 } else { width_em };
            assert!(face.width_em(line, 0.0) <= limit + 1e-3, "{line:?}");
            let first = line.chars().next().unwrap();
            assert!(
                !no_break_before(first),
                "line starts with {first}: {lines:?}"
            );
            let last = line.chars().last().unwrap();
            assert!(!no_break_after(last), "line ends with {last}: {lines:?}");
        }
        // Nothing lost but the spaces at breaks; "12.5" is never split.
        let joined: String = lines.concat();
        let strip = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
        assert_eq!(strip(&joined), strip(&paragraph));
        assert!(lines.iter().any(|line| line.contains("12.5")));

        // Half-width Latin letters are narrower than hanzi: more of them fit.
        let latin = break_lines(face, &"abcdefghij ".repeat(20), width_em, 0.0);
        let hanzi = break_lines(face, &"培训".repeat(100), width_em, 0.0);
        assert!(latin[0].chars().count() > hanzi[0].chars().count());

        // And a certificate with such a title renders, the title intact.
        let mut sheet = sheet();
        sheet.class_title = title.to_string();
        let pdf = certificate_pdf(&sheet).unwrap();
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains(title), "{text:?}");
        }
        // An absurdly long one still renders (smaller).
        sheet.class_title = title.repeat(8);
        assert!(certificate_pdf(&sheet).unwrap().starts_with(b"%PDF-"));
    }

    #[test]
    fn qr_svg_is_an_svg_of_the_url() {
        let url = sheet().verify_url;
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("<path") && svg.contains("<rect"));

        // Read the module matrix back out of the path and compare it with
        // the code for the URL.
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let modules = code.width();
        let qrcode::Version::Normal(version) = code.version() else {
            panic!("micro QR")
        };
        assert_eq!(modules, 17 + 4 * version as usize);
        let view_box = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
        let side: usize = view_box.split(' ').next().unwrap().parse().unwrap();
        let total = modules + 8; // 4-module quiet zone on each side
        assert_eq!(side % total, 0);
        let unit = side / total;
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut dark = vec![false; modules * modules];
        for segment in d.split('M').filter(|s| !s.is_empty()) {
            // "{left} {top}h{width}v{height}H{left}V{top}"
            let (left, rest) = segment.split_once(' ').unwrap();
            let (top, rest) = rest.split_once('h').unwrap();
            let (width, rest) = rest.split_once('v').unwrap();
            let (height, _) = rest.split_once('H').unwrap();
            let [left, top, width, height] =
                [left, top, width, height].map(|n| n.parse::<usize>().unwrap() / unit);
            for y in top..top + height {
                for x in left..left + width {
                    dark[(y - 4) * modules + (x - 4)] = true;
                }
            }
        }
        let expected: Vec<bool> = code
            .to_colors()
            .iter()
            .map(|c| *c == qrcode::Color::Dark)
            .collect();
        assert_eq!(dark, expected);
    }

    /// `CERTIFICATE_SAMPLES=dir cargo test … certificates` writes sample
    /// PDFs there for a look by eye; without it this does nothing.
    #[test]
    fn write_samples_when_asked() {
        let Some(dir) = std::env::var_os("CERTIFICATE_SAMPLES") else {
            return;
        };
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        let mut sheet = sheet();
        std::fs::write(dir.join("typical.pdf"), certificate_pdf(&sheet).unwrap()).unwrap();
        sheet.class_title = "学习贯彻党的二十届四中全会精神暨基层党组织书记和在外务工流动党员能力提升专题网络培训示范班（第三期）".to_string();
        sheet.holder_name = "欧阳鑫淼".to_string();
        std::fs::write(dir.join("long-title.pdf"), certificate_pdf(&sheet).unwrap()).unwrap();
        sheet.revoked = true;
        sheet.holder_name = "𠮷野家".to_string();
        std::fs::write(dir.join("revoked.pdf"), certificate_pdf(&sheet).unwrap()).unwrap();
        std::fs::write(dir.join("qr.svg"), qr_svg(&sheet.verify_url).unwrap()).unwrap();
    }

    /// With poppler's pdftoppm and zbar's zbarimg installed (optional; skipped
    /// otherwise), the QR code printed on the PDF decodes to the URL.
    #[test]
    fn the_printed_qr_code_decodes_to_the_url() {
        if !tool_available("pdftoppm") || Command::new("zbarimg").arg("--version").output().is_err()
        {
            eprintln!("note: pdftoppm or zbarimg is not installed; skipping the QR decode check");
            return;
        }
        let sheet = sheet();
        let pdf = certificate_pdf(&sheet).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pdf_path = dir.path().join("certificate.pdf");
        std::fs::write(&pdf_path, pdf).unwrap();
        let prefix = dir.path().join("page");
        let status = Command::new("pdftoppm")
            .args(["-r", "200", "-png", "-singlefile"])
            .arg(&pdf_path)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
        let png = Path::new(&prefix).with_extension("png");
        let out = Command::new("zbarimg")
            .args(["--raw", "-q"])
            .arg(&png)
            .output()
            .unwrap();
        let decoded = String::from_utf8(out.stdout).unwrap();
        assert_eq!(decoded.trim_end(), sheet.verify_url);
    }
}
