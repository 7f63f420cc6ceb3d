//! Courseware: the library, editing (video, slides, outline, attachments) and
//! the review gates 初剪 → 校对 → 送审 → 审核 → 发布.

pub mod api;

use serde::{Deserialize, Serialize};

/// One stored file, as `POST /media/upload` answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedMedia {
    pub id: academy_shared::ids::MediaId,
    pub kind: academy_shared::media::MediaKind,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub duration_ms: Option<i64>,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadAnswer {
    pub media: Vec<UploadedMedia>,
}

/// An upload's refusal: the reason in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadRefusal {
    pub zh: String,
    pub en: String,
}

/// An outline item as parsed: start (ms), level (1 heading, 2 paragraph), text.
pub type OutlineLine = (i64, i64, String);
/// Where an outline failed: the line (1-based) and the reason in Chinese and English.
pub type OutlineError = (usize, String, String);

/// Parses the outline as editors type it, one item per line:
/// `03:15 # 一、主要内容` is a heading, `03:20 段落文字` a paragraph.
/// Blank lines are skipped. Errors name the line (1-based).
pub fn parse_outline(text: &str) -> Result<Vec<OutlineLine>, OutlineError> {
    let mut items = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let number = index + 1;
        let (time, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let start = academy_shared::courseware::parse_start_time(time).map_err(|_| {
            (
                number,
                format!("第 {number} 行：开头应为时间，如 03:15"),
                format!("Line {number}: start with a time such as 03:15"),
            )
        })?;
        let rest = rest.trim();
        let (level, body) = match rest.strip_prefix('#') {
            Some(heading) => (1, heading.trim()),
            None => (2, rest),
        };
        if body.is_empty() {
            return Err((
                number,
                format!("第 {number} 行：时间后面缺少内容"),
                format!("Line {number}: text is missing after the time"),
            ));
        }
        if body.chars().count() > 500 {
            return Err((
                number,
                format!("第 {number} 行：内容超过 500 字"),
                format!("Line {number}: longer than 500 characters"),
            ));
        }
        items.push((start, level, body.to_owned()));
    }
    Ok(items)
}

/// The outline as editors type it (the inverse of [`parse_outline`]).
pub fn format_outline(items: &[OutlineLine]) -> String {
    items
        .iter()
        .map(|(start, level, body)| {
            let time = academy_shared::courseware::format_start_time(*start);
            if *level <= 1 {
                format!("{time} # {body}")
            } else {
                format!("{time} {body}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_round_trips() {
        let text = "00:00 # 一、开篇\n00:30 学习的意义\n\n01:05:10 # 二、要点";
        let items = parse_outline(text).unwrap();
        assert_eq!(
            items,
            vec![
                (0, 1, "一、开篇".to_owned()),
                (30_000, 2, "学习的意义".to_owned()),
                (3_910_000, 1, "二、要点".to_owned()),
            ]
        );
        assert_eq!(parse_outline(&format_outline(&items)).unwrap(), items);
    }

    #[test]
    fn outline_errors_name_the_line() {
        let (line, zh, en) = parse_outline("00:00 # ok\nabc 文字").unwrap_err();
        assert_eq!(line, 2);
        assert!(zh.contains("第 2 行") && en.contains("Line 2"));
        assert_eq!(parse_outline("00:10").unwrap_err().0, 1);
    }
}
