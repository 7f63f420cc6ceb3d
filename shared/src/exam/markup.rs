//! The limited markup of question stems: plain text, line breaks, `**bold**`
//! and images of the academy's own media (`![alt](/media/123)`).
//!
//! Stems come from spreadsheets and from lecturers' forms, so they are never
//! trusted: the parser yields nodes that the app renders as text nodes and
//! `<img src="/media/…">`, and no HTML (nor any other URL) is ever
//! interpreted. Whatever is not exactly one of the forms above stays literal
//! text, so a typo shows up on screen instead of silently vanishing.

use serde::{Deserialize, Serialize};

use super::FieldProblem;
use crate::ids::MediaId;

/// A stem with more images than this is almost certainly a paste gone wrong,
/// and every image is a request on a learner's phone.
pub const MAX_IMAGES: usize = 10;

/// What images say in plain text.
pub const IMAGE_PLACEHOLDER: &str = "[图片]";

const FIELD: &str = "题干";
const BOLD_MARK: &str = "**";
const IMAGE_OPEN: &str = "![";
const IMAGE_TARGET: &str = "](/media/";

/// One piece of a stem line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Inline {
    Text(String),
    Bold(String),
    /// Always a positive id: anything else stays text.
    Image {
        media_id: MediaId,
        alt: String,
    },
}

/// Lines of inline pieces (one Vec per source line; an empty stem has none).
/// Adjacent pieces of the same kind are merged, and empty ones are left out.
pub fn parse_stem(stem: &str) -> Vec<Vec<Inline>> {
    if stem.is_empty() {
        return Vec::new();
    }
    lines(stem)
        .map(|line| line_pieces(&tokenize(line)))
        .collect()
}

/// Problems: unclosed `**` (per line), more than [`MAX_IMAGES`] images, image
/// ids that are not positive. Empty Vec = fine.
pub fn check_stem(stem: &str) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let mut images = 0usize;
    for (index, line) in lines(stem).enumerate() {
        let number = index + 1;
        let tokens = tokenize(line);
        let marks = tokens
            .iter()
            .filter(|t| matches!(t, Token::BoldMark))
            .count();
        if marks % 2 == 1 {
            problems.push(FieldProblem::new(
                FIELD,
                format!("第 {number} 行的 ** 没有闭合（加粗请写成 **文字**）"),
                format!("Line {number}: ** is not closed (write bold as **text**)"),
            ));
        }
        for token in &tokens {
            if let Token::Image {
                media_id, digits, ..
            } = token
            {
                images += 1;
                if media_id.is_none() {
                    problems.push(FieldProblem::new(
                        FIELD,
                        format!("图片编号 {digits} 无效（须为正整数）"),
                        format!(
                            "Image id {digits} is not valid (it must be a positive whole number)"
                        ),
                    ));
                }
            }
        }
    }
    if images > MAX_IMAGES {
        problems.push(FieldProblem::new(
            FIELD,
            format!("题干最多 {MAX_IMAGES} 张图片（现有 {images} 张）"),
            format!("A stem may have at most {MAX_IMAGES} images (it has {images})"),
        ));
    }
    problems
}

/// Text without markup (bold markers removed, images as "[图片]"), for search,
/// lists and exports that can't show images. Lines stay separated by `\n`.
pub fn plain_text(stem: &str) -> String {
    let lines: Vec<String> = parse_stem(stem)
        .iter()
        .map(|pieces| {
            pieces
                .iter()
                .map(|piece| match piece {
                    Inline::Text(text) | Inline::Bold(text) => text.as_str(),
                    Inline::Image { .. } => IMAGE_PLACEHOLDER,
                })
                .collect()
        })
        .collect();
    lines.join("\n")
}

/// Media ids referenced by images, in order of first appearance, each once
/// (the server checks each of them exists and may be shown).
pub fn image_ids(stem: &str) -> Vec<MediaId> {
    let mut ids: Vec<MediaId> = Vec::new();
    for piece in parse_stem(stem).iter().flatten() {
        if let Inline::Image { media_id, .. } = piece
            && !ids.contains(media_id)
        {
            ids.push(*media_id);
        }
    }
    ids
}

/// Spreadsheets and Windows browsers send `\r\n`; a lone trailing `\r` is
/// never meant as text.
fn lines(stem: &str) -> impl Iterator<Item = &str> {
    stem.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
}

enum Token<'a> {
    Text(&'a str),
    BoldMark,
    /// `media_id` is None when the digits are 0 or too long for an id; such
    /// an image is shown as its source text (and reported by `check_stem`).
    Image {
        media_id: Option<MediaId>,
        alt: &'a str,
        digits: &'a str,
        source: &'a str,
    },
}

fn tokenize(line: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut at = 0;
    while let Some(rest) = line.get(at..).filter(|rest| !rest.is_empty()) {
        let special = if rest.starts_with(BOLD_MARK) {
            Some((BOLD_MARK.len(), Token::BoldMark))
        } else {
            image_at(rest)
        };
        match special {
            Some((len, token)) => {
                if text_start < at {
                    tokens.push(Token::Text(&line[text_start..at]));
                }
                tokens.push(token);
                at += len;
                text_start = at;
            }
            None => at += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if text_start < line.len() {
        tokens.push(Token::Text(&line[text_start..]));
    }
    tokens
}

/// `![alt](/media/<digits>)` at the start of `rest`: its length and token.
fn image_at(rest: &str) -> Option<(usize, Token<'_>)> {
    let after_open = rest.strip_prefix(IMAGE_OPEN)?;
    let alt_len = after_open.find(']')?;
    let alt = &after_open[..alt_len];
    let after_target = after_open[alt_len..].strip_prefix(IMAGE_TARGET)?;
    let digits_len = after_target
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after_target.len());
    if digits_len == 0 || !after_target[digits_len..].starts_with(')') {
        return None;
    }
    let digits = &after_target[..digits_len];
    let len = IMAGE_OPEN.len() + alt_len + IMAGE_TARGET.len() + digits_len + 1;
    let media_id = digits.parse::<i64>().ok().filter(|&id| id > 0).map(MediaId);
    Some((
        len,
        Token::Image {
            media_id,
            alt,
            digits,
            source: &rest[..len],
        },
    ))
}

fn line_pieces(tokens: &[Token<'_>]) -> Vec<Inline> {
    // Marks pair up left to right; an odd last one is literal text, so an
    // unclosed mark can never make the rest of the stem bold.
    let marks = tokens
        .iter()
        .filter(|t| matches!(t, Token::BoldMark))
        .count();
    let paired = marks - marks % 2;
    let mut seen = 0;
    let mut bold = false;
    let mut pieces = Vec::new();
    for token in tokens {
        match token {
            Token::BoldMark if seen < paired => {
                seen += 1;
                bold = !bold;
            }
            Token::BoldMark => push_text(&mut pieces, BOLD_MARK, bold),
            Token::Text(text) => push_text(&mut pieces, text, bold),
            Token::Image {
                media_id: Some(media_id),
                alt,
                ..
            } => pieces.push(Inline::Image {
                media_id: *media_id,
                alt: (*alt).to_owned(),
            }),
            Token::Image {
                media_id: None,
                source,
                ..
            } => push_text(&mut pieces, source, bold),
        }
    }
    pieces
}

fn push_text(pieces: &mut Vec<Inline>, text: &str, bold: bool) {
    if text.is_empty() {
        return;
    }
    match (pieces.last_mut(), bold) {
        (Some(Inline::Text(last)), false) | (Some(Inline::Bold(last)), true) => {
            last.push_str(text);
        }
        _ if bold => pieces.push(Inline::Bold(text.to_owned())),
        _ => pieces.push(Inline::Text(text.to_owned())),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_owned())
    }

    fn bold(s: &str) -> Inline {
        Inline::Bold(s.to_owned())
    }

    fn image(media_id: i64, alt: &str) -> Inline {
        Inline::Image {
            media_id: MediaId(media_id),
            alt: alt.to_owned(),
        }
    }

    #[test]
    fn plain_lines_bold_and_images() {
        assert_eq!(parse_stem(""), Vec::<Vec<Inline>>::new());
        assert_eq!(
            parse_stem("第一行\r\n这是**重点**内容\n\n![示意图](/media/42)"),
            vec![
                vec![text("第一行")],
                vec![text("这是"), bold("重点"), text("内容")],
                vec![],
                vec![image(42, "示意图")],
            ]
        );
        // Images may sit inside bold text; the bold resumes after them.
        assert_eq!(
            parse_stem("**见 ![](/media/7) 图**"),
            vec![vec![bold("见 "), image(7, ""), bold(" 图")]]
        );
    }

    #[test]
    fn html_and_foreign_images_stay_literal() {
        for stem in [
            "<script>alert(1)</script>",
            "![x](http://evil.example/a.png)",
            "![x](/media/12abc)",
            "![x](/media/)",
            "![x](/media/-3)",
            "![x] (/media/3)",
            "![x](/media/3",
            "<img src=x onerror=alert(1)>",
        ] {
            assert_eq!(parse_stem(stem), vec![vec![text(stem)]], "{stem}");
            assert!(check_stem(stem).is_empty(), "{stem}");
            assert!(image_ids(stem).is_empty(), "{stem}");
        }
    }

    #[test]
    fn unclosed_bold_is_literal_and_reported() {
        assert_eq!(
            parse_stem("a**b**c**d"),
            vec![vec![text("a"), bold("b"), text("c**d")]]
        );
        let problems = check_stem("好\n2**3");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "题干");
        assert!(problems[0].zh.contains("第 2 行"), "{}", problems[0].zh);
        assert!(problems[0].zh.contains("没有闭合"));
        assert!(problems[0].en.contains("not closed"));
        // Bold never runs across lines.
        assert_eq!(check_stem("**a\nb**").len(), 2);
        assert!(check_stem("**a**\n**b**").is_empty());
    }

    #[test]
    fn image_ids_must_be_positive() {
        let problems = check_stem("![a](/media/0) ![b](/media/99999999999999999999)");
        assert_eq!(problems.len(), 2);
        assert!(problems[0].zh.contains("图片编号 0"));
        assert!(problems[1].en.contains("99999999999999999999"));
        // Never rendered as images.
        assert_eq!(
            parse_stem("![a](/media/0)"),
            vec![vec![text("![a](/media/0)")]]
        );
        assert!(image_ids("![a](/media/0)").is_empty());
    }

    #[test]
    fn at_most_ten_images() {
        let ten = "![](/media/1)".repeat(10);
        assert!(check_stem(&ten).is_empty());
        let eleven = format!("{ten}\n![](/media/2)");
        let problems = check_stem(&eleven);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].zh.contains("现有 11 张"));
        assert!(problems[0].en.contains("at most 10"));
    }

    #[test]
    fn plain_text_and_ids() {
        let stem = "如**图**所示：\n![电路](/media/5)![](/media/3)![again](/media/5)";
        assert_eq!(plain_text(stem), "如图所示：\n[图片][图片][图片]");
        assert_eq!(image_ids(stem), vec![MediaId(5), MediaId(3)]);
        assert_eq!(plain_text("2**3"), "2**3");
    }

    fn expected_lines(stem: &str) -> Vec<String> {
        if stem.is_empty() {
            return Vec::new();
        }
        lines(stem).map(str::to_owned).collect()
    }

    proptest! {
        #[test]
        fn parsing_never_panics(stem in any::<String>()) {
            let parsed = parse_stem(&stem);
            let _ = check_stem(&stem);
            let _ = plain_text(&stem);
            prop_assert!(image_ids(&stem).iter().all(|&id| id.0 > 0));
            prop_assert_eq!(parsed.len(), expected_lines(&stem).len());
        }

        #[test]
        fn markup_like_stems_never_panic(
            stem in r"[*!\[\]()/media0-9a中\n\r ]{0,40}",
        ) {
            let _ = parse_stem(&stem);
            let _ = check_stem(&stem);
        }

        #[test]
        fn text_without_markup_is_reproduced(stem in any::<String>()) {
            prop_assume!(!stem.contains("**") && !stem.contains("!["));
            let rebuilt: Vec<String> = parse_stem(&stem)
                .into_iter()
                .map(|pieces| {
                    pieces
                        .into_iter()
                        .map(|piece| match piece {
                            Inline::Text(s) | Inline::Bold(s) => s,
                            Inline::Image { .. } => unreachable!(),
                        })
                        .collect()
                })
                .collect();
            prop_assert_eq!(rebuilt, expected_lines(&stem));
            prop_assert!(check_stem(&stem).is_empty());
        }
    }
}
