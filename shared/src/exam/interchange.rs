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
//!
//! Imported questions score as their authors meant, or are not imported.
//! Moodle gives each answer a weight (GIFT `%50%`, XML `fraction`); this
//! model has no per-answer credit, so a weight is kept only where it means
//! the same here: 100% is right, 0% or less is wrong, and the right options
//! of a multiple-answer question may share 100% equally (the exam's
//! `MultiplePolicy` then decides partial credit: `Partial` gives what Moodle
//! gives for a subset of right options, though any wrong option scores 0
//! here rather than Moodle's sum of weights). Every other weight (an option
//! or short answer worth part of the points, several options each worth full
//! points, unequal shares) is refused with a problem on the question's line
//! naming the weights, in Chinese and English; see `right_options` and
//! `accepted_answers`. Names (GIFT `::name::`, Moodle `<name>`) are kept in
//! `Question::name` and written back; the spreadsheet template and Aiken do
//! not carry them.

pub mod aiken;
pub mod gift;
pub mod moodle_xml;
pub mod table;

use serde::{Deserialize, Serialize};

use super::markup;
use super::question::{check_question, normalize_answer, one_line, tidy};
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

crate::stored_code!(Format {
    Table => "table",
    Gift => "gift",
    Aiken => "aiken",
    MoodleXml => "moodle-xml",
});

impl Format {
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
    /// A name that is only what the exporters write for a question without
    /// one ([`title_for`]) is not kept.
    pub(crate) fn accept(&mut self, row: usize, q: Question, local: Vec<RowProblem>) {
        let mut q = tidy(q);
        if is_derived_name(&q.name, &q.stem) {
            q.name.clear();
        }
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

    /// Leaves a question out for `problem`, with the reader's own problems.
    pub(crate) fn refuse(&mut self, local: Vec<RowProblem>, problem: RowProblem) {
        self.problems.extend(local);
        self.problems.push(problem);
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
        name: String::new(),
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

/// The name of a question in formats that want one (GIFT titles, Moodle
/// names): its own name when it has one, else one made from its stem
/// ([`derived_title`]) or, for a stem without text, "题目 n".
fn title_for(q: &Question, index: usize) -> String {
    if !q.name.is_empty() {
        return q.name.clone();
    }
    derived_title(&q.stem).unwrap_or_else(|| format!("{UNTITLED} {}", index + 1))
}

const UNTITLED: &str = "题目";

/// The first line of a stem's plain text, at most 40 characters; None when
/// that is empty.
fn derived_title(stem: &str) -> Option<String> {
    let plain = markup::plain_text(stem);
    let first = plain.lines().next().unwrap_or("").trim();
    let title: String = first.chars().filter(|c| !c.is_control()).take(40).collect();
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_owned())
}

/// Whether `name` (tidy) is only what [`title_for`] writes for a question
/// with this stem and no name.
fn is_derived_name(name: &str, stem: &str) -> bool {
    match derived_title(stem) {
        Some(title) => one_line(&title) == name,
        None => name
            .strip_prefix(UNTITLED)
            .and_then(|rest| rest.strip_prefix(' '))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())),
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

/// A weight (percent) as people write it: 100, 50, 33.33333, -25.
fn percent(weight: f64) -> String {
    if weight.fract() == 0.0 {
        format!("{weight:.0}")
    } else {
        let text = format!("{weight:.5}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Moodle writes shares of 100 with five decimals (33.33333).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.01
}

/// Which options of a Moodle choice question are right, judged from their
/// weights (percent; a right option in GIFT's `=` form weighs 100), when the
/// academy's model can score them as Moodle would:
///
/// - a weight of 0 or less marks a wrong option;
/// - `single` (Moodle's one-answer mode): exactly one option may weigh more
///   than 0, and it must weigh 100; the question is single choice;
/// - otherwise one right option must weigh 100 (single choice), and two or
///   more must share 100 equally (multiple choice, scored by the exam's
///   [`MultiplePolicy`](crate::exam::MultiplePolicy)).
///
/// Anything else (an option worth part of the points, several options each
/// worth full points, unequal shares) is an Err naming the weights, so
/// partial credit never turns into full credit.
fn right_options(
    row: usize,
    options: &[String],
    weights: &[f64],
    single: bool,
) -> Result<(QuestionKind, Vec<u8>), RowProblem> {
    let right: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0.0).collect();
    let indexes = || right.iter().filter_map(|&i| u8::try_from(i).ok()).collect();
    let text = |i: usize| options.get(i).map_or("", String::as_str);
    let one_right = single || right.len() == 1;
    if let Some(&partial) = right
        .iter()
        .find(|&&i| one_right && !close(weights[i], 100.0))
    {
        let (option, weight) = (text(partial), percent(weights[partial]));
        return Err(RowProblem::new(
            row,
            field::ANSWER,
            format!(
                "选项“{option}”的得分比例为 {weight}%（部分得分）：本系统中只有一个正确选项的题全对或不得分，无法按原意计分。请改为 100% 或 0% 后再导入"
            ),
            format!(
                "Option “{option}” is worth {weight}% (partial credit), which cannot be scored as meant here: a question with one right option scores all or nothing. Make it 100% or 0% and import again"
            ),
        ));
    }
    if right.len() <= 1 {
        return Ok((QuestionKind::Single, indexes()));
    }
    if single {
        let n = right.len();
        return Err(RowProblem::new(
            row,
            field::ANSWER,
            format!(
                "有 {n} 个选项都得满分（选其中任一个即满分）：本系统的单选题只有一个正确答案，无法按原意计分"
            ),
            format!(
                "{n} options each give full marks (any one of them is right), which cannot be scored as meant here: a single-choice question has exactly one right answer"
            ),
        ));
    }
    // Each right option's share of 100, as f64 for comparison only.
    let share = 100.0 / f64::from(u32::try_from(right.len()).unwrap_or(u32::MAX));
    if right.iter().all(|&i| close(weights[i], share)) {
        return Ok((QuestionKind::Multiple, indexes()));
    }
    let list: Vec<String> = right
        .iter()
        .map(|&i| format!("{}%", percent(weights[i])))
        .collect();
    let list = list.join("、");
    Err(RowProblem::new(
        row,
        field::ANSWER,
        format!(
            "正确选项的得分比例为 {list}：本系统的多选题要求各正确选项平分 100%（如两个各 50%），无法按原意计分"
        ),
        format!(
            "The right options are worth {list}, which cannot be scored as meant here: the right options of a multiple-choice question share 100% equally (such as 50% each)"
        ),
    ))
}

/// Whether a Moodle short answer holds a wildcard: a `*` with no `\\` just
/// before it (as Moodle's matching reads it).
fn has_wildcard(answer: &str) -> bool {
    let mut previous = None;
    for c in answer.chars() {
        if c == '*' && previous != Some('\\') {
            return true;
        }
        previous = Some(c);
    }
    false
}

/// A Moodle short answer as plain text: `\*` is a literal `*`.
fn literal_answer(answer: &str) -> String {
    answer.replace("\\*", "*")
}

/// A short-answer question's kind, options and answer (one blank with its
/// accepted answers), or why the answers cannot be kept as meant.
pub(crate) fn short_answer(
    row: usize,
    answers: &[(String, f64)],
    case_sensitive: bool,
) -> Result<(QuestionKind, Vec<String>, Answer), RowProblem> {
    accepted_answers(row, answers, case_sensitive).map(|accepted| {
        (
            QuestionKind::Fill,
            Vec::new(),
            Answer::Blanks(vec![accepted]),
        )
    })
}

/// The accepted answers of a Moodle short-answer question, from its answers
/// (text as Moodle holds it, with `\*` for a literal star; weight in
/// percent) in Moodle's order, when the academy's fill-in matching scores
/// them as Moodle would:
///
/// - an answer weighing 100 is accepted;
/// - one weighing 0 or less only gives Moodle's feedback and is left out,
///   unless Moodle would match it before an accepted answer (a wildcard, or
///   the same text), which would make that answer score nothing;
/// - one weighing anything else (partial credit) is an Err, as are wildcards
///   in accepted answers and case-sensitive matching (`case_sensitive`) of
///   answers with letters that have a case: fill-in matching here is literal
///   and ignores case.
fn accepted_answers(
    row: usize,
    answers: &[(String, f64)],
    case_sensitive: bool,
) -> Result<Vec<String>, RowProblem> {
    let problem = |zh: String, en: String| RowProblem::new(row, field::ANSWER, zh, en);
    let mut accepted = Vec::new();
    for (at, (answer, weight)) in answers.iter().enumerate() {
        let shown = literal_answer(answer);
        if close(*weight, 100.0) {
            if has_wildcard(answer) {
                return Err(problem(
                    format!(
                        "答案“{shown}”含通配符 *：本系统的填空题按原文比对答案，无法按原意计分（字面的星号请写作 \\*）"
                    ),
                    format!(
                        "The answer “{shown}” holds the wildcard *, which cannot be scored as meant here: fill-in answers are compared as written (write a literal star as \\*)"
                    ),
                ));
            }
            accepted.push(shown);
        } else if *weight > 0.0 {
            let weight = percent(*weight);
            return Err(problem(
                format!(
                    "答案“{shown}”的得分比例为 {weight}%（部分得分）：本系统的填空题只有对或错，无法按原意计分。请改为 100% 或删去该答案后再导入"
                ),
                format!(
                    "The answer “{shown}” is worth {weight}% (partial credit), which cannot be scored as meant here: a fill-in answer is right or wrong. Make it 100% or remove it and import again"
                ),
            ));
        } else if let Some((right, _)) = answers[at + 1..].iter().find(|(right, w)| {
            close(*w, 100.0)
                && (has_wildcard(answer)
                    || normalize_answer(&shown, false)
                        == normalize_answer(&literal_answer(right), false))
        }) {
            let (weight, right) = (percent(*weight), literal_answer(right));
            return Err(problem(
                format!(
                    "得 {weight}% 的答案“{shown}”排在正确答案“{right}”之前，Moodle 会先匹配它，使正确答案得不到分：无法按原意计分"
                ),
                format!(
                    "The answer “{shown}” (worth {weight}%) comes before the right answer “{right}”, so Moodle matches it first and the right answer scores nothing; this cannot be scored as meant"
                ),
            ));
        }
    }
    let cased = |a: &String| a.chars().any(|c| c.to_lowercase().ne(c.to_uppercase()));
    if case_sensitive && accepted.iter().any(cased) {
        return Err(problem(
            "本题区分大小写（usecase=1）：本系统的填空题不区分大小写，无法按原意计分".to_owned(),
            "The question matches answers case-sensitively (usecase=1), which cannot be scored as meant here: fill-in matching ignores case".to_owned(),
        ));
    }
    Ok(accepted)
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
        /// Whether names are carried.
        pub names: bool,
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
            (
                line(0, 12),
                line(0, 12),
                line(0, 30),
                any::<bool>(),
                line(0, 20),
            ),
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
                    (topic, lecturer, source, ignore, name),
                )| {
                    let (explanation, points, difficulty) = more;
                    let mut q = Question {
                        name: if shape.names { name } else { String::new() },
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
                    let mut q = tidy(q);
                    // A name that is just the stem's first words reads back
                    // as no name (see `Parsed::accept`).
                    if super::is_derived_name(&q.name, &q.stem) {
                        q.name.clear();
                    }
                    q
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
    fn weights_are_kept_only_where_they_score_as_moodle_scores_them() {
        let options: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let judge = |weights: &[f64], single: bool| right_options(7, &options, weights, single);
        assert_eq!(
            judge(&[100.0, 0.0, -50.0, 0.0], true),
            Ok((QuestionKind::Single, vec![0]))
        );
        assert_eq!(
            judge(&[-100.0, 100.0, -100.0, 0.0], false),
            Ok((QuestionKind::Single, vec![1]))
        );
        for n in 2..=4 {
            let share: f64 = right_share(n).parse().unwrap();
            let mut weights = vec![-100.0; 4];
            weights[..n].fill(share);
            let right: Vec<u8> = (0..n).map(|i| u8::try_from(i).unwrap()).collect();
            assert_eq!(judge(&weights, false), Ok((QuestionKind::Multiple, right)));
        }
        let refused = |weights: &[f64], single: bool, words: &str| {
            let problem = judge(weights, single).unwrap_err();
            assert_eq!((problem.row, problem.column.as_str()), (7, "答案"));
            assert!(problem.reason_zh.contains(words), "{}", problem.reason_zh);
            assert!(!problem.reason_en.is_empty());
        };
        refused(&[100.0, 50.0, 0.0, 0.0], true, "“b”的得分比例为 50%");
        refused(&[50.0, 0.0, 0.0, 0.0], false, "“a”的得分比例为 50%");
        refused(&[100.0, 100.0, 0.0, 0.0], true, "有 2 个选项都得满分");
        refused(&[50.0, 30.0, 20.0, -100.0], false, "50%、30%、20%");
        refused(&[100.0, 100.0, 0.0, 0.0], false, "100%、100%");
    }

    #[test]
    fn short_answers_keep_only_right_ones_without_wildcards() {
        let answers = |list: &[(&str, f64)]| -> Vec<(String, f64)> {
            list.iter().map(|&(a, w)| (a.to_owned(), w)).collect()
        };
        assert_eq!(
            accepted_answers(
                1,
                &answers(&[("北京", 100.0), ("京\\*", 100.0), ("*", 0.0)]),
                false
            ),
            Ok(vec!["北京".to_owned(), "京*".to_owned()])
        );
        assert_eq!(
            accepted_answers(1, &answers(&[("北京", 100.0)]), true),
            Ok(vec!["北京".to_owned()])
        );
        for (list, case, words) in [
            (&[("熊猫", 100.0), ("猫", 50.0)][..], false, "50%"),
            (&[("北京*", 100.0)][..], false, "通配符"),
            (&[("*", 0.0), ("北京", 100.0)][..], false, "之前"),
            (&[("上海", -10.0), ("上海", 100.0)][..], false, "之前"),
            (&[("Paris", 100.0)][..], true, "区分大小写"),
        ] {
            let problem = accepted_answers(1, &answers(list), case).unwrap_err();
            assert!(problem.reason_zh.contains(words), "{}", problem.reason_zh);
        }
        assert_eq!(percent(33.333_33), "33.33333");
        assert_eq!(percent(-50.0), "-50");
        assert!(has_wildcard("a*") && !has_wildcard("a\\*") && !has_wildcard("a"));
    }

    #[test]
    fn names_made_from_stems_read_back_as_none() {
        assert!(is_derived_name("党的宗旨是", "党的宗旨是\n第二行"));
        assert!(!is_derived_name("宗旨", "党的宗旨是"));
        assert!(is_derived_name("[图片]", "[图片]"));
        assert!(is_derived_name("题目 3", ""));
        assert!(!is_derived_name("题目", ""));
        let mut q = blank_question(QuestionKind::TrueFalse, Answer::TrueFalse(true));
        q.stem = "党的宗旨是".into();
        assert_eq!(title_for(&q, 0), "党的宗旨是");
        q.name = "宗旨".into();
        assert_eq!(title_for(&q, 0), "宗旨");
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
