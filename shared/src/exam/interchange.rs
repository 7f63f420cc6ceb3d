//! Importing and exporting question banks: the academy's spreadsheet template
//! ([`table`]) and three formats other systems (Moodle and the many tools that
//! copy it) read and write: [`gift`], [`aiken`] and [`moodle_xml`].
//!
//! Every importer runs each question it reads through [`tidy`] and
//! [`check_question`], exactly as the form does, and reports every problem it
//! finds by row (spreadsheet) or line (text formats) instead of stopping at the
//! first. No input makes an importer panic.
//!
//! Every exporter writes what its format can carry, and importing its output
//! gives back the same questions: exactly, for the kinds and fields the format
//! carries (each module says what it cannot carry). Questions a format cannot
//! hold at all are left out, and their indexes returned, so the app can say so.

pub mod aiken;
pub mod gift;
pub mod moodle_xml;
pub mod table;

use serde::{Deserialize, Serialize};

use super::markup;
use super::question::{check_question, tidy};
use super::{Answer, Question, QuestionKind};
use crate::roster::RowProblem;

/// The formats a bank can be imported from and exported to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// Rows of cells: an .xlsx sheet or a CSV file, decoded by the app.
    Table,
    /// Moodle's GIFT text format.
    Gift,
    /// Aiken: single-answer multiple choice only.
    Aiken,
    /// Moodle XML.
    MoodleXml,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Table,
        Format::Gift,
        Format::Aiken,
        Format::MoodleXml,
    ];

    /// Stable code used in URLs and forms.
    pub fn code(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Gift => "gift",
            Format::Aiken => "aiken",
            Format::MoodleXml => "moodle-xml",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Format::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The name people know the format by.
    pub fn label(self) -> &'static str {
        match self {
            Format::Table => "Excel / CSV 表格",
            Format::Gift => "GIFT",
            Format::Aiken => "Aiken",
            Format::MoodleXml => "Moodle XML",
        }
    }

    /// File extension (without the dot) of an export.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "xlsx",
            Format::Gift | Format::Aiken => "txt",
            Format::MoodleXml => "xml",
        }
    }
}

/// What an import read: the valid questions with their row (table) or first
/// line number (text formats), and every problem.
///
/// A question with a problem is left out of `questions`, with one exception:
/// a question whose HTML held an image (Moodle XML, GIFT `[html]`) is kept with
/// "[图片]" in the image's place, and a problem says so.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    pub questions: Vec<(usize, Question)>,
    pub problems: Vec<RowProblem>,
}

impl Parsed {
    /// Tidies `q`, checks it, and keeps it when neither the check nor the
    /// reader (`local`) found a problem. A field the reader already reported
    /// holds a stand-in value, so the check's complaints about it are dropped.
    pub(crate) fn accept(&mut self, row: usize, q: Question, local: Vec<RowProblem>) {
        let q = tidy(q);
        let checked: Vec<RowProblem> = check_question(&q)
            .into_iter()
            .filter(|p| {
                !local
                    .iter()
                    .any(|l| l.column == p.field && !is_image_note(l))
            })
            .map(|p| RowProblem::new(row, &p.field, p.zh, p.en))
            .collect();
        let keep = checked.is_empty() && local.iter().all(is_image_note);
        self.problems.extend(local);
        self.problems.extend(checked);
        if keep {
            self.questions.push((row, q));
        }
    }

    pub(crate) fn problem(&mut self, row: usize, column: &str, zh: String, en: String) {
        self.problems.push(RowProblem::new(row, column, zh, en));
    }
}

/// Column / field names, as the template and [`check_question`] spell them.
pub(crate) mod field {
    pub const KIND: &str = "题型";
    pub const STEM: &str = "题干";
    pub const OPTIONS: &str = "选项";
    pub const ANSWER: &str = "答案";
    pub const EXPLANATION: &str = "解析";
    pub const POINTS: &str = "分值";
    pub const DIFFICULTY: &str = "难度";
    pub const TOPIC: &str = "知识点";
    pub const LECTURER: &str = "讲师";
    pub const SOURCE: &str = "来源";
    pub const IGNORE_PUNCTUATION: &str = "忽略标点";
}

/// Points of a question whose file does not say.
pub const DEFAULT_POINTS: u32 = 5;
/// Difficulty of a question whose file does not say.
pub const DEFAULT_DIFFICULTY: u8 = 3;

/// What replaces a missing-word gap (`text {=answer} text` in GIFT) in a stem.
pub const GAP: &str = "____";

const IMAGE_NOTE_ZH: &str = "图片无法导入，已替换为“[图片]”，请导入后在题目中补上";

fn image_note(row: usize, column: &str) -> RowProblem {
    RowProblem::new(
        row,
        column,
        IMAGE_NOTE_ZH,
        "Images cannot be imported; each was replaced by “[图片]”. Please add them back after the import",
    )
}

fn is_image_note(p: &RowProblem) -> bool {
    p.reason_zh == IMAGE_NOTE_ZH
}

/// A question with every field at its default, to fill in.
fn blank_question(kind: QuestionKind, answer: Answer) -> Question {
    Question {
        kind,
        stem: String::new(),
        options: Vec::new(),
        answer,
        explanation: String::new(),
        points: DEFAULT_POINTS,
        difficulty: DEFAULT_DIFFICULTY,
        topic: String::new(),
        lecturer: String::new(),
        source: String::new(),
        ignore_punctuation: false,
    }
}

/// A whole number as people and spreadsheets write it: "5", " 5 ", "5.0",
/// "５". None for anything else (fractions, signs, words, overflow).
fn whole_number(text: &str) -> Option<u64> {
    let text: String = text.trim().chars().map(half_width).collect();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c == '0')
    {
        return None;
    }
    whole.parse().ok()
}

/// Full-width ASCII forms (Ａ, ５, ，) as their ASCII selves.
fn half_width(c: char) -> char {
    match u32::from(c) {
        0x3000 => ' ',
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A yes/no cell or value: 是/否, 对/错, true/false, √/×… None when unknown.
fn yes_no(text: &str) -> Option<bool> {
    let t: String = text.trim().chars().map(half_width).collect();
    let t = t.to_lowercase();
    match t.as_str() {
        "是" | "正确" | "对" | "√" | "✓" | "✔" | "t" | "true" | "y" | "yes" | "1" => {
            Some(true)
        }
        "否" | "错误" | "错" | "×" | "✗" | "✘" | "x" | "f" | "false" | "n" | "no" | "0" => {
            Some(false)
        }
        _ => None,
    }
}

fn yes_no_text(value: bool) -> &'static str {
    if value { "是" } else { "否" }
}

/// Option letters written as "A", "ACD", "A,C,D", "A、C", "ａｃ": 0-based
/// indexes (duplicates kept: the check reports them). None when anything
/// else is in the text.
fn choice_letters(text: &str) -> Option<Vec<u8>> {
    let mut indexes = Vec::new();
    for c in text.chars().map(half_width) {
        match c {
            'A'..='Z' | 'a'..='z' => {
                let index = u8::try_from(c.to_ascii_uppercase()).ok()? - b'A';
                indexes.push(index);
            }
            ',' | '、' | ';' | '；' | '，' | '/' => {}
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    Some(indexes)
}

/// Letters of a choice answer: "ACD".
fn letters(indexes: &[u8]) -> String {
    indexes
        .iter()
        .map(|&i| super::option_letter(usize::from(i)))
        .collect()
}

/// A short name for a question in formats that want one (GIFT titles, Moodle
/// names): the first line of its plain text, at most 40 characters.
fn title_for(stem: &str, index: usize) -> String {
    let plain = markup::plain_text(stem);
    let first = plain.lines().next().unwrap_or("").trim();
    let title: String = first.chars().filter(|c| !c.is_control()).take(40).collect();
    let title = title.trim();
    if title.is_empty() {
        format!("题目 {}", index + 1)
    } else {
        title.to_owned()
    }
}

/// The metadata the text formats carry in a side channel (a GIFT comment,
/// Moodle tags): key, value pairs in a fixed order.
fn metadata(q: &Question) -> [(&'static str, String); 6] {
    [
        (field::POINTS, q.points.to_string()),
        (field::DIFFICULTY, q.difficulty.to_string()),
        (field::TOPIC, q.topic.clone()),
        (field::LECTURER, q.lecturer.clone()),
        (field::SOURCE, q.source.clone()),
        (
            field::IGNORE_PUNCTUATION,
            yes_no_text(q.ignore_punctuation).to_owned(),
        ),
    ]
}

/// Sets one metadata field read from a side channel. Unknown keys are
/// ignored (returns Ok); a bad value is an Err with the field and reasons.
fn set_metadata(
    q: &mut Question,
    key: &str,
    value: &str,
) -> Result<(), (&'static str, String, String)> {
    let key = key.trim();
    let value = value.trim();
    let english = key.to_ascii_lowercase();
    match (key, english.as_str()) {
        (field::POINTS, _) | (_, "points") => {
            q.points = whole_number(value)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| bad_points(value))?;
        }
        (field::DIFFICULTY, _) | (_, "difficulty") => {
            q.difficulty = whole_number(value)
                .and_then(|n| u8::try_from(n).ok())
                .ok_or_else(|| bad_difficulty(value))?;
        }
        (field::TOPIC, _) | (_, "topic") => value.clone_into(&mut q.topic),
        (field::LECTURER, _) | (_, "lecturer") => value.clone_into(&mut q.lecturer),
        (field::SOURCE, _) | (_, "source") => value.clone_into(&mut q.source),
        (field::IGNORE_PUNCTUATION, _) | (_, "ignore_punctuation") => {
            q.ignore_punctuation = yes_no(value).ok_or_else(|| bad_yes_no(value))?;
        }
        _ => {}
    }
    Ok(())
}

fn bad_points(value: &str) -> (&'static str, String, String) {
    (
        field::POINTS,
        format!("分值“{value}”无法识别，应为 1–100 的整数"),
        format!("Points “{value}” are not valid: use a whole number from 1 to 100"),
    )
}

fn bad_difficulty(value: &str) -> (&'static str, String, String) {
    (
        field::DIFFICULTY,
        format!("难度“{value}”无法识别，应为 1–5 的整数"),
        format!("Difficulty “{value}” is not valid: use a whole number from 1 to 5"),
    )
}

fn bad_yes_no(value: &str) -> (&'static str, String, String) {
    (
        field::IGNORE_PUNCTUATION,
        format!("忽略标点“{value}”无法识别，应为“是”或“否”"),
        format!("Ignore punctuation “{value}” is not valid: use 是 (yes) or 否 (no)"),
    )
}

fn unsupported_kind(row: usize, what: &str) -> RowProblem {
    RowProblem::new(
        row,
        field::KIND,
        format!("不支持的题型：{what}（只能导入单选、多选、判断和填空题）"),
        format!(
            "Unsupported question type: {what} (only single choice, multiple choice, true/false and fill-in can be imported)"
        ),
    )
}

/// Moodle's weight (percent) for each of `n` right options of a multiple-choice
/// question; a wrong one weighs -100.
pub(crate) fn right_share(n: usize) -> &'static str {
    match n {
        0 | 1 => "100",
        2 => "50",
        3 => "33.33333",
        4 => "25",
        5 => "20",
        6 => "16.66667",
        7 => "14.28571",
        8 => "12.5",
        9 => "11.11111",
        _ => "10",
    }
}

/// 1-based line of byte offset `at` in `text`.
fn line_at(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// HTML as Moodle writes it in question texts, and back.
///
/// [`to_html`] and [`from_html`] are exact inverses: every character comes
/// back, including runs of spaces, tabs, line breaks and characters XML cannot
/// hold (written as character references). `from_html` also reads the HTML
/// other systems write: paragraphs and `<br>` become line breaks, `<b>` and
/// `<strong>` become `**`, images become "[图片]" (and `images` counts them),
/// other tags are dropped and entities decoded.
mod html {
    use super::super::markup::IMAGE_PLACEHOLDER;

    /// Whitespace that HTML collapses.
    fn collapsible(c: char) -> bool {
        matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
    }

    /// Characters XML 1.0 can hold.
    pub fn xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }

    pub fn to_html(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 16);
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\n' => out.push_str("<br>"),
                ' ' => {
                    // A single space between two visible characters survives
                    // HTML's whitespace collapsing; any other is written out.
                    let before = i.checked_sub(1).and_then(|j| chars.get(j));
                    let after = chars.get(i + 1);
                    if before.is_some_and(|&b| !collapsible(b))
                        && after.is_some_and(|&a| !collapsible(a))
                    {
                        out.push(' ');
                    } else {
                        out.push_str("&#32;");
                    }
                }
                c if c.is_control() || !xml_char(c) => {
                    out.push_str(&format!("&#{};", u32::from(c)));
                }
                c => out.push(c),
            }
        }
        out
    }

    const BLOCKS: [&str; 16] = [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "hr",
    ];

    struct Out {
        text: String,
        /// Raw whitespace seen since the last character.
        space: bool,
        /// A block boundary seen since the last character.
        block: bool,
    }

    impl Out {
        fn push(&mut self, c: char) {
            if self.block && !self.text.is_empty() && !self.text.ends_with('\n') {
                self.text.push('\n');
            } else if self.space && !self.text.is_empty() && !self.text.ends_with('\n') {
                self.text.push(' ');
            }
            self.block = false;
            self.space = false;
            self.text.push(c);
        }

        fn push_str(&mut self, s: &str) {
            for c in s.chars() {
                self.push(c);
            }
        }

        fn line_break(&mut self) {
            self.text.push('\n');
            self.block = false;
            self.space = false;
        }
    }

    /// Text of an HTML fragment, and how many images it held.
    pub fn from_html(html: &str) -> (String, usize) {
        let mut out = Out {
            text: String::with_capacity(html.len()),
            space: false,
            block: false,
        };
        let mut images = 0;
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            if c == '<' {
                if let Some(after) = rest.strip_prefix("<!--") {
                    rest = after.find("-->").map_or("", |end| &after[end + 3..]);
                    continue;
                }
                let Some(end) = tag_end(rest) else {
                    // Not a tag: a literal '<' in sloppy HTML.
                    out.push('<');
                    rest = &rest[1..];
                    continue;
                };
                let tag = &rest[1..end];
                rest = &rest[end + 1..];
                let closing = tag.starts_with('/');
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                match name.as_str() {
                    "br" => out.line_break(),
                    "b" | "strong" => out.push_str("**"),
                    "img" if !closing => {
                        images += 1;
                        out.push_str(IMAGE_PLACEHOLDER);
                    }
                    "script" | "style" if !closing => {
                        let close = format!("</{name}");
                        let at = rest.char_indices().map(|(i, _)| i).find(|&i| {
                            rest.get(i..i + close.len())
                                .is_some_and(|s| s.eq_ignore_ascii_case(&close))
                        });
                        rest = at.map_or("", |at| {
                            let after = &rest[at..];
                            after.find('>').map_or("", |gt| &after[gt + 1..])
                        });
                    }
                    n if BLOCKS.contains(&n) => out.block = true,
                    _ => {}
                }
                continue;
            }
            if c == '&'
                && let Some((decoded, len)) = entity(rest)
            {
                out.push(decoded);
                rest = &rest[len..];
                continue;
            }
            if collapsible(c) {
                out.space = true;
            } else {
                out.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
        (out.text, images)
    }

    const MAX_TAG_CHARS: usize = 2000;

    /// Where the tag starting at `s[0] == '<'` ends ('>'), if it looks like a tag.
    fn tag_end(s: &str) -> Option<usize> {
        let next = s[1..].chars().next()?;
        if !(next.is_ascii_alphabetic() || next == '/' || next == '!' || next == '?') {
            return None;
        }
        // Quoted attribute values may hold '>'.
        let mut quote: Option<char> = None;
        // A "tag" longer than this is text with a stray '<' (and a bound keeps
        // reading linear on hostile input).
        for (i, c) in s.char_indices().skip(1).take(MAX_TAG_CHARS) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => return Some(i),
                (None, '<') => return None,
                _ => {}
            }
        }
        None
    }

    /// The character of the entity at the start of `s` (`&amp;`, `&#32;`,
    /// `&#x4e2d;`, `&nbsp;`…) and its length.
    fn entity(s: &str) -> Option<(char, usize)> {
        let end = s
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i)?;
        let name = &s[1..end];
        let c = if let Some(number) = name.strip_prefix('#') {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        } else {
            match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "ldquo" => '“',
                "rdquo" => '”',
                "lsquo" => '‘',
                "rsquo" => '’',
                "mdash" => '—',
                "ndash" => '–',
                "hellip" => '…',
                "middot" => '·',
                "times" => '×',
                "divide" => '÷',
                "deg" => '°',
                "copy" => '©',
                "reg" => '®',
                _ => return None,
            }
        };
        Some((c, end + 1))
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Generators of valid, tidy questions for the formats' round-trip tests.

    use super::super::question::{check_question, tidy};
    use super::super::{Answer, Question, QuestionKind};
    use proptest::prelude::*;

    /// Characters that stress every format: markup and escape characters of
    /// all four, CJK, full-width forms and spaces.
    const TRICKY: &[char] = &[
        '<', '>', '&', '\'', '"', '\\', '{', '}', '~', '=', '#', ':', '|', '/', '%', '[', ']', '(',
        ')', '!', '*', ';', '-', '$', '@', '^', '?', '.', ',', '：', '｜', '／', '（', '）', '＃',
        '～', '＝', '，', '。', '、', '“', '”', '　', 'Ａ', 'ｂ', '１', '党', '的', '建', '设',
        '中', '国', '人', '民', '团', '结', 'a', 'b', 'Z', '0', '7', ' ', ' ', '\t', '·', '—', '…',
        '€', '😀', '\u{a0}',
    ];

    /// One line of text: `min..=max` characters from [`TRICKY`], no newline.
    pub fn line(min: usize, max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(TRICKY), min..=max)
            .prop_map(|chars| chars.into_iter().collect())
    }

    /// Text of `lines` lines of [`line`].
    pub fn text(
        lines: std::ops::RangeInclusive<usize>,
        max: usize,
    ) -> impl Strategy<Value = String> {
        prop::collection::vec(line(0, max), lines).prop_map(|lines| lines.join("\n"))
    }

    /// Which kinds and what text a format can carry.
    #[derive(Clone, Copy)]
    pub struct Shape {
        pub kinds: &'static [QuestionKind],
        /// Most lines of stems and explanations.
        pub lines: usize,
        /// Single-blank fill only.
        pub one_blank: bool,
        /// Whether metadata (explanation, points, topic…) is carried at all.
        pub metadata: bool,
    }

    /// A valid, tidy question of `shape`.
    pub fn question(shape: Shape) -> impl Strategy<Value = Question> {
        let kind = prop::sample::select(shape.kinds);
        let lines = 1..=shape.lines.max(1);
        let blanks = if shape.one_blank { 1..=1usize } else { 1..=4 };
        (
            kind,
            text(lines.clone(), 30),
            prop::collection::vec(line(1, 12), 2..=6),
            prop::collection::vec(any::<bool>(), 6),
            any::<bool>(),
            prop::collection::vec(prop::collection::vec(line(1, 10), 1..=3), blanks),
            (text(0..=shape.lines, 30), 1u32..=100, 1u8..=5),
            (line(0, 12), line(0, 12), line(0, 30), any::<bool>()),
        )
            .prop_map(
                move |(
                    kind,
                    stem,
                    options,
                    picks,
                    truth,
                    blanks,
                    more,
                    (topic, lecturer, source, ignore),
                )| {
                    let (explanation, points, difficulty) = more;
                    let mut q = Question {
                        kind,
                        stem,
                        options: Vec::new(),
                        answer: Answer::TrueFalse(truth),
                        explanation,
                        points,
                        difficulty,
                        topic,
                        lecturer,
                        source,
                        ignore_punctuation: ignore && kind == QuestionKind::Fill,
                    };
                    match kind {
                        QuestionKind::Single => {
                            let right = picks.iter().position(|&p| p).unwrap_or(0) % options.len();
                            q.answer = Answer::Choice(vec![u8::try_from(right).unwrap_or(0)]);
                            q.options = options;
                        }
                        QuestionKind::Multiple => {
                            let chosen: Vec<u8> = (0..options.len())
                                .filter(|&i| picks[i])
                                .filter_map(|i| u8::try_from(i).ok())
                                .collect();
                            q.answer = Answer::Choice(chosen);
                            q.options = options;
                        }
                        QuestionKind::TrueFalse => {}
                        QuestionKind::Fill => q.answer = Answer::Blanks(blanks),
                    }
                    if !shape.metadata {
                        q.explanation.clear();
                        q.points = super::DEFAULT_POINTS;
                        q.difficulty = super::DEFAULT_DIFFICULTY;
                        q.topic.clear();
                        q.lecturer.clear();
                        q.source.clear();
                        q.ignore_punctuation = false;
                    }
                    tidy(q)
                },
            )
            .prop_filter("valid questions only", |q| check_question(q).is_empty())
    }

    pub fn questions(shape: Shape) -> impl Strategy<Value = Vec<Question>> {
        prop::collection::vec(question(shape), 0..=6)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_have_codes_and_extensions() {
        for format in Format::ALL {
            assert_eq!(Format::from_code(format.code()), Some(format));
            assert!(!format.label().is_empty());
        }
        assert_eq!(Format::from_code("moodle-xml"), Some(Format::MoodleXml));
        assert_eq!(Format::from_code("csv"), None);
        assert_eq!(Format::Table.extension(), "xlsx");
        assert_eq!(Format::Gift.extension(), "txt");
        assert_eq!(Format::MoodleXml.extension(), "xml");
    }

    #[test]
    fn numbers_and_yes_no_as_spreadsheets_write_them() {
        assert_eq!(whole_number("5"), Some(5));
        assert_eq!(whole_number(" 5.0 "), Some(5));
        assert_eq!(whole_number("５"), Some(5));
        assert_eq!(whole_number("5.5"), None);
        assert_eq!(whole_number("-1"), None);
        assert_eq!(whole_number("五"), None);
        assert_eq!(whole_number(""), None);
        assert_eq!(whole_number("."), None);
        assert_eq!(whole_number("99999999999999999999999"), None);
        assert_eq!(yes_no("是"), Some(true));
        assert_eq!(yes_no(" 否 "), Some(false));
        assert_eq!(yes_no("TRUE"), Some(true));
        assert_eq!(yes_no("也许"), None);
        assert_eq!(choice_letters("A、c，Ｄ"), Some(vec![0, 2, 3]));
        assert_eq!(choice_letters("A1"), None);
    }

    #[test]
    fn html_from_other_systems_reads_as_text() {
        let (text, images) = html::from_html(
            "<p dir=\"ltr\">第一段 &amp; <b>重点</b></p>\n<p>第二段&nbsp;&lt;x&gt;<br>末行 <img src=\"@@PLUGINFILE@@/a.png\" alt=\"a > b\"></p><!-- c -->",
        );
        assert_eq!(text, "第一段 & **重点**\n第二段 <x>\n末行 [图片]");
        assert_eq!(images, 1);
        assert_eq!(html::from_html("a < b && c").0, "a < b && c");
        assert_eq!(html::from_html("<script>x</script>y").0, "y");
    }

    proptest! {
        #[test]
        fn html_round_trips_any_text(text in any::<String>()) {
            let html = html::to_html(&text);
            prop_assert!(html.chars().all(|c| html::xml_char(c) && c != '\n' && c != '\r'));
            prop_assert_eq!(html::from_html(&html), (text, 0));
        }

        #[test]
        fn html_reader_never_panics(html in any::<String>()) {
            let _ = html::from_html(&html);
        }

        #[test]
        fn html_reader_never_panics_on_tag_soup(html in r"[<>/&#;a-z0-9 \n!\-x中]{0,60}") {
            let _ = html::from_html(&html);
        }
    }
}
