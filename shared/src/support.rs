//! Support questions (解疑答惑) and the FAQ (常见问题): the states a question
//! goes through, who may move it, and what the texts may be.
//!
//! A learner asks from any page; the page's path comes along (checked by
//! [`page_path`]), the device is described by the server from the request.
//! Staff answer in the inbox: 待回答 (open) → 已回答 (answered) → 已关闭
//! (closed); an answer may be edited while answered; a closed question may be
//! re-opened. The same checks run in the browser (instant feedback) and on the
//! server (which never trusts the browser).

use serde::{Deserialize, Serialize};

/// The longest question a learner may ask, in characters (each Chinese
/// character counts one).
pub const MAX_QUESTION_CHARS: usize = 1000;
/// The longest answer staff may give.
pub const MAX_ANSWER_CHARS: usize = 4000;
/// The longest question of an FAQ entry: a line a learner scans, not a story.
pub const MAX_FAQ_QUESTION_CHARS: usize = 200;
/// The longest answer of an FAQ entry.
pub const MAX_FAQ_ANSWER_CHARS: usize = 4000;
/// The longest page path stored with a question.
pub const MAX_PAGE_CHARS: usize = 300;

/// Where a question stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum QuestionState {
    /// 待回答: waiting for staff.
    Open,
    /// 已回答: staff answered; the answer may still be edited.
    Answered,
    /// 已关闭: done. May be re-opened.
    Closed,
}

crate::stored_code!(QuestionState {
    Open => "open", "待回答", "Open";
    Answered => "answered", "已回答", "Answered";
    Closed => "closed", "已关闭", "Closed";
});

/// What someone does to a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SupportAction {
    /// Staff answer it, or edit the answer.
    Answer,
    /// Staff close it (answered or not: a duplicate, or not a question).
    Close,
    /// The asker or staff open a closed question again.
    Reopen,
}

/// A refused request, with the reason in both languages (safe to show).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub zh: String,
    pub en: String,
}

impl Refusal {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Refusal {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// The state `action` leads to from `from`, or why it is not allowed:
/// open → answered, answered → answered (the answer edited), open → closed,
/// answered → closed, closed → open.
pub fn transition(from: QuestionState, action: SupportAction) -> Result<QuestionState, Refusal> {
    use QuestionState::{Answered, Closed, Open};
    match (from, action) {
        (Open | Answered, SupportAction::Answer) => Ok(Answered),
        (Open | Answered, SupportAction::Close) => Ok(Closed),
        (Closed, SupportAction::Reopen) => Ok(Open),
        (Closed, SupportAction::Answer) => Err(Refusal::new(
            "该问题已关闭，请先重新打开再回答",
            "The question is closed: re-open it before answering",
        )),
        (Closed, SupportAction::Close) => Err(Refusal::new(
            "该问题已经关闭",
            "The question is already closed",
        )),
        (Open | Answered, SupportAction::Reopen) => Err(Refusal::new(
            "只有已关闭的问题才能重新打开",
            "Only a closed question can be re-opened",
        )),
    }
}

/// The refusal when the question changed since the person loaded it (another
/// staff member answered or closed it first).
pub fn stale(now: QuestionState) -> Refusal {
    Refusal::new(
        format!(
            "该问题刚被其他人处理过（现为“{}”），请查看最新内容后再操作",
            now.label_zh()
        ),
        format!(
            "Someone else has just handled this question (it is now \"{}\"): \
             please look at the latest version first",
            now.label_en()
        ),
    )
}

/// Characters as people count them: one per Unicode scalar value, so each
/// Chinese character counts one.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Control characters other than line breaks and tabs have no place in a
/// text typed by a person.
fn has_stray_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Trims `text` and checks it is present, at most `max` characters and free
/// of stray control characters. `what` names the field in both languages.
fn checked_text(text: &str, max: usize, what: (&str, &str)) -> Result<String, Refusal> {
    let (zh, en) = what;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Refusal::new(
            format!("请填写{zh}"),
            format!("Please write the {en}"),
        ));
    }
    let count = char_len(trimmed);
    if count > max {
        return Err(Refusal::new(
            format!("{zh}最多 {max} 个字，目前 {count} 个字"),
            format!("The {en} may have at most {max} characters; it has {count}"),
        ));
    }
    if has_stray_controls(trimmed) {
        return Err(Refusal::new(
            format!("{zh}含有无法显示的控制字符"),
            format!("The {en} contains control characters"),
        ));
    }
    Ok(trimmed.replace("\r\n", "\n"))
}

/// A learner's question as it is stored: trimmed, 1–[`MAX_QUESTION_CHARS`].
pub fn question_text(text: &str) -> Result<String, Refusal> {
    checked_text(text, MAX_QUESTION_CHARS, ("问题内容", "question"))
}

/// A staff answer as it is stored: trimmed, 1–[`MAX_ANSWER_CHARS`].
pub fn answer_text(text: &str) -> Result<String, Refusal> {
    checked_text(text, MAX_ANSWER_CHARS, ("回答内容", "answer"))
}

/// An FAQ entry as it is stored: both texts trimmed and within bounds. All
/// problems at once, question first.
pub fn faq_entry(question: &str, answer: &str) -> Result<(String, String), Vec<Refusal>> {
    let question = checked_text(
        question,
        MAX_FAQ_QUESTION_CHARS,
        ("常见问题的问题", "FAQ question"),
    );
    let answer = checked_text(
        answer,
        MAX_FAQ_ANSWER_CHARS,
        ("常见问题的解答", "FAQ answer"),
    );
    match (question, answer) {
        (Ok(q), Ok(a)) => Ok((q, a)),
        (q, a) => Err(q.err().into_iter().chain(a.err()).collect()),
    }
}

/// The question of an FAQ entry drafted from a learner's question: its first
/// [`MAX_FAQ_QUESTION_CHARS`] characters (the last one an ellipsis when cut),
/// for staff to edit before saving.
pub fn faq_question_draft(question: &str) -> String {
    let text = question.trim();
    if char_len(text) <= MAX_FAQ_QUESTION_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX_FAQ_QUESTION_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The page a question was asked from, as the browser reports it: a path of
/// this site (`/classes/3/home`), without query or fragment. Anything else
/// (another site's address, `//host`, `javascript:`, control characters,
/// overlong) is dropped: `None`, and the question is stored without a page.
pub fn page_path(input: &str) -> Option<String> {
    let path = input.trim();
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let well_formed = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && char_len(path) <= MAX_PAGE_CHARS
        && !path.chars().any(|c| c.is_control() || c.is_whitespace());
    well_formed.then(|| path.to_owned())
}

/// The class a page belongs to, if its path names one: `/classes/<id>/…`
/// and `/learn/<class>/<courseware>`.
pub fn class_of_page(path: &str) -> Option<crate::ids::ClassId> {
    let mut parts = path.trim_start_matches('/').split('/');
    let id = match (parts.next(), parts.next()) {
        (Some("classes"), Some(id)) => id,
        (Some("learn"), Some(id)) if parts.next().is_some() => id,
        _ => return None,
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(crate::ids::ClassId)
}

/// `text` made safe as a query-string value: everything but unreserved
/// characters and `/` percent-encoded (UTF-8).
pub fn encode_query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn has_chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn states_round_trip_and_have_labels() {
        for state in QuestionState::ALL {
            assert_eq!(QuestionState::from_code(state.code()), Some(state));
            assert!(has_chinese(state.label_zh()));
            assert!(!state.label_en().is_empty());
        }
        assert_eq!(
            QuestionState::from_code(" open ".trim()),
            Some(QuestionState::Open)
        );
        assert_eq!(QuestionState::from_code("Open"), None);
        assert_eq!(QuestionState::from_code(""), None);
    }

    #[test]
    fn only_the_allowed_transitions_pass() {
        use QuestionState::{Answered, Closed, Open};
        use SupportAction::{Answer, Close, Reopen};
        assert_eq!(transition(Open, Answer), Ok(Answered));
        assert_eq!(transition(Answered, Answer), Ok(Answered));
        assert_eq!(transition(Open, Close), Ok(Closed));
        assert_eq!(transition(Answered, Close), Ok(Closed));
        assert_eq!(transition(Closed, Reopen), Ok(Open));
        for (from, action) in [
            (Closed, Answer),
            (Closed, Close),
            (Open, Reopen),
            (Answered, Reopen),
        ] {
            let refusal = transition(from, action).unwrap_err();
            assert!(has_chinese(&refusal.zh), "{from:?} {action:?}");
            assert!(!refusal.en.is_empty());
        }
        let stale = stale(Answered);
        assert!(stale.zh.contains("已回答"), "{}", stale.zh);
        assert!(stale.en.contains("Answered"));
    }

    #[test]
    fn questions_are_trimmed_and_bounded_in_characters() {
        assert_eq!(
            question_text("  怎么查看学习进度？\r\n谢谢 "),
            Ok("怎么查看学习进度？\n谢谢".to_owned())
        );
        let empty = question_text(" \n\u{3000} ").unwrap_err();
        assert_eq!(empty.zh, "请填写问题内容");
        assert_eq!(empty.en, "Please write the question");
        // A thousand Chinese characters are a thousand, though 3000 bytes.
        let full = "问".repeat(MAX_QUESTION_CHARS);
        assert_eq!(question_text(&full), Ok(full.clone()));
        let over = question_text(&format!("{full}问")).unwrap_err();
        assert_eq!(over.zh, "问题内容最多 1000 个字，目前 1001 个字");
        assert!(over.en.contains("at most 1000"));
        assert!(question_text("a\u{0007}b").is_err());
        assert_eq!(question_text("\tTab\tok"), Ok("Tab\tok".to_owned()));
        // Markup is just text here; showing it inert is the page's job.
        let tricky = "< > & &lt; ' \\ 碁 \"";
        assert_eq!(question_text(tricky), Ok(tricky.to_owned()));
    }

    #[test]
    fn answers_and_faq_entries_have_their_bounds() {
        assert!(answer_text(&"答".repeat(MAX_ANSWER_CHARS)).is_ok());
        assert!(answer_text(&"答".repeat(MAX_ANSWER_CHARS + 1)).is_err());
        assert_eq!(answer_text(" ").unwrap_err().zh, "请填写回答内容");

        assert_eq!(
            faq_entry(" 如何报到？ ", " 在培训班首页点击“报到”。 "),
            Ok((
                "如何报到？".to_owned(),
                "在培训班首页点击“报到”。".to_owned()
            ))
        );
        let both = faq_entry(&"问".repeat(201), "").unwrap_err();
        assert_eq!(both.len(), 2);
        assert!(both[0].zh.contains("最多 200 个字"), "{}", both[0].zh);
        assert_eq!(both[1].zh, "请填写常见问题的解答");
        assert!(faq_entry("问", &"答".repeat(4001)).is_err());
    }

    #[test]
    fn faq_drafts_fit_the_faq_question() {
        assert_eq!(faq_question_draft("  短问题 "), "短问题");
        let long = "长".repeat(500);
        let draft = faq_question_draft(&long);
        assert_eq!(char_len(&draft), MAX_FAQ_QUESTION_CHARS);
        assert!(draft.ends_with('…'));
        assert!(faq_entry(&draft, "答").is_ok());
    }

    #[test]
    fn only_paths_of_this_site_are_kept() {
        assert_eq!(
            page_path(" /classes/3/home "),
            Some("/classes/3/home".to_owned())
        );
        assert_eq!(page_path("/learn/1/2?t=5#x"), Some("/learn/1/2".to_owned()));
        assert_eq!(page_path("/"), Some("/".to_owned()));
        for bad in [
            "",
            "classes/3",
            "//evil.example/x",
            "https://evil.example/",
            "javascript:alert(1)",
            "/a b",
            "/a\u{0000}b",
            "/\\evil.example",
        ] {
            assert_eq!(page_path(bad), None, "{bad:?}");
        }
        assert_eq!(page_path(&format!("/{}", "a".repeat(MAX_PAGE_CHARS))), None);
    }

    #[test]
    fn class_pages_name_their_class() {
        assert_eq!(
            class_of_page("/classes/12/home"),
            Some(crate::ids::ClassId(12))
        );
        assert_eq!(class_of_page("/classes/12"), Some(crate::ids::ClassId(12)));
        assert_eq!(class_of_page("/learn/7/31"), Some(crate::ids::ClassId(7)));
        assert_eq!(class_of_page("/learn/7"), None);
        assert_eq!(class_of_page("/classes/new"), None);
        assert_eq!(class_of_page("/classes/-1/home"), None);
        assert_eq!(class_of_page("/classes/0/home"), None);
        assert_eq!(class_of_page("/classes/99999999999999999999/home"), None);
        assert_eq!(class_of_page("/my-exams"), None);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode_query_value("/classes/3/home"), "/classes/3/home");
        assert_eq!(encode_query_value("/a b&c=d#e"), "/a%20b%26c%3Dd%23e");
        assert_eq!(encode_query_value("/学"), "/%E5%AD%A6");
    }

    proptest! {
        #[test]
        fn accepted_questions_are_trimmed_and_bounded(text in "\\PC{0,1100}") {
            if let Ok(stored) = question_text(&text) {
                prop_assert!(!stored.is_empty());
                prop_assert_eq!(stored.trim(), stored.as_str());
                prop_assert!(char_len(&stored) <= MAX_QUESTION_CHARS);
            }
        }

        #[test]
        fn kept_paths_are_local(text in "\\PC{0,80}") {
            if let Some(path) = page_path(&text) {
                prop_assert!(path.starts_with('/'));
                prop_assert!(!path.starts_with("//"));
                prop_assert!(!path.contains('?') && !path.contains('#'));
            }
        }
    }
}
