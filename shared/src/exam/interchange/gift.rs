//! GIFT, Moodle's plain-text question format.
//!
//! Written as:
//!
//! ```text
//! // academy: 分值=5; 难度=3; 知识点=党章; 讲师=; 来源=; 忽略标点=否
//! ::中国共产党的根本宗旨是::中国共产党的根本宗旨是（  ）。{
//!     =全心全意为人民服务
//!     ~实现共产主义
//!     ####党章总纲…
//! }
//! ```
//!
//! Single choice is `=right ~wrong`, multiple choice `~%50%a ~%50%b ~%-100%c`
//! (the right options share 100%), true/false `{T}` / `{F}`, a one-blank
//! fill-in question a short answer `{=a =b}` (a literal `*` written `\*`: a
//! bare one is Moodle's wildcard). The name is the title (`::name::`); a
//! question without one gets its stem's first words, which read back as no
//! name. The explanation is the general feedback (`####`); the other fields
//! ride in an `// academy:` comment just before the question (defaults when
//! absent). Line breaks are written `\n`, `~ = # { } : \` are escaped with a
//! backslash, and a text starting with `[` is marked `[moodle]` so it is never
//! read as a format.
//!
//! Cannot carry (such questions are not written): fill-in questions with more
//! than one blank (GIFT has no faithful form for them), accepted answers
//! containing `->` (GIFT reads them as a matching question), and carriage
//! returns (`\r`) in any text.
//!
//! On import, as Moodle reads GIFT: `$CATEGORY:` and comment lines are
//! skipped; a format (`[html]`, `[moodle]`, `[plain]`, `[markdown]`) before a
//! stem, option, accepted answer or feedback is dropped, and `[html]` stems,
//! options and feedback read as text (images become "[图片]", with a
//! problem); per-answer feedback (`#…`) is dropped; a question with its answer
//! block inside the text (the missing-word form) is read with "____" in the
//! gap. Essay (`{}`), numerical (`{#…}`), matching (`=a -> b`), cloze
//! (several blocks) and descriptions (no block) are reported as unsupported.
//!
//! Weights (`%50%`) are kept only where this model scores them as Moodle
//! does, and a question whose weights it cannot honour is refused with a
//! problem naming them, never imported with partial credit turned into full
//! credit (see `right_options` and `accepted_answers` in the parent module):
//! a choice question with an unescaped `=` is Moodle's one-answer kind and
//! needs exactly one option above 0%, at 100%; without `=`, one right option
//! must weigh 100% (single choice) and several must share 100% equally
//! (multiple choice, scored by the exam's `MultiplePolicy`); options at 0% or
//! below are wrong. A short answer's alternatives at 100% are accepted, those
//! at 0% or below left out (unless Moodle would match one before a right
//! answer), and any other weight or a wildcard in a right answer is refused.

use super::html;
use super::{
    Parsed, blank_question, field, image_note, metadata, right_options, right_share, set_metadata,
    short_answer, title_for, unsupported_kind,
};
use crate::exam::{Answer, Question, QuestionKind};
use crate::roster::RowProblem;

const META_PREFIX: &str = "academy:";

/// One character of GIFT text after escapes are read; `escaped` characters
/// are never markup.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Tok {
    c: char,
    escaped: bool,
}

fn lex(text: &str) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek().copied() {
                Some(next @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\')) => {
                    chars.next();
                    toks.push(Tok {
                        c: next,
                        escaped: true,
                    });
                }
                Some('n') => {
                    chars.next();
                    toks.push(Tok {
                        c: '\n',
                        escaped: true,
                    });
                }
                // Moodle keeps an unknown escape as it is.
                _ => toks.push(Tok { c, escaped: true }),
            }
        } else {
            toks.push(Tok { c, escaped: false });
        }
    }
    toks
}

fn is(t: &Tok, c: char) -> bool {
    !t.escaped && t.c == c
}

fn find(toks: &[Tok], c: char) -> Option<usize> {
    toks.iter().position(|t| is(t, c))
}

fn string(toks: &[Tok]) -> String {
    toks.iter().map(|t| t.c).collect()
}

fn trim_start(toks: &[Tok]) -> &[Tok] {
    let start = toks
        .iter()
        .position(|t| !t.c.is_whitespace())
        .unwrap_or(toks.len());
    &toks[start..]
}

/// Strips a leading `[html]`, `[moodle]`, `[plain]` or `[markdown]`; true for html.
fn text_format(toks: &[Tok]) -> (&[Tok], bool) {
    let toks = trim_start(toks);
    if toks.first().is_some_and(|t| is(t, '['))
        && let Some(end) = find(toks, ']')
    {
        let name = string(&toks[1..end]).to_ascii_lowercase();
        if matches!(name.as_str(), "html" | "moodle" | "plain" | "markdown") {
            return (&toks[end + 1..], name == "html");
        }
    }
    (toks, false)
}

/// Text of a field, HTML read when so marked; and how many images it held.
fn field_text(toks: &[Tok]) -> (String, usize) {
    let (toks, html) = text_format(toks);
    let text = string(toks);
    if html {
        let (text, images) = html::from_html(&text);
        (text.trim().to_owned(), images)
    } else {
        (text.trim().to_owned(), 0)
    }
}

/// Reads a GIFT file. Each question's number is the line its text starts on.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut block: Vec<(usize, &str)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            read_block(&mut parsed, &block);
            block.clear();
        } else {
            block.push((index + 1, line));
        }
    }
    read_block(&mut parsed, &block);
    if parsed.questions.is_empty() && parsed.problems.is_empty() {
        parsed.problem(
            1,
            "",
            "文件中没有试题".into(),
            "The file holds no questions".into(),
        );
    }
    parsed
}

fn read_block(parsed: &mut Parsed, block: &[(usize, &str)]) {
    let mut meta: Option<(usize, &str)> = None;
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for &(number, line) in block {
        let trimmed = line.trim_start();
        if let Some(comment) = trimmed.strip_prefix("//") {
            if let Some(rest) = comment.trim_start().strip_prefix(META_PREFIX) {
                meta = Some((number, rest));
            }
        } else if lines.is_empty() && trimmed.starts_with("$CATEGORY:") {
            // Categories are the bank's business, not the file's.
        } else {
            lines.push((number, line));
        }
    }
    let Some(&(row, _)) = lines.first() else {
        return;
    };
    let text: Vec<&str> = lines.iter().map(|&(_, l)| l).collect();
    read_question(parsed, row, &text.join("\n"), meta);
}

fn read_question(parsed: &mut Parsed, row: usize, text: &str, meta: Option<(usize, &str)>) {
    let toks = lex(text);
    let Some(open) = find(&toks, '{') else {
        parsed.problems.push(unsupported_kind(
            row,
            "没有答案部分 {…} 的说明文字（description）",
        ));
        return;
    };
    let Some(close) = find(&toks[open..], '}').map(|at| open + at) else {
        parsed.problem(
            row,
            field::ANSWER,
            "答案部分缺少右花括号“}”".into(),
            "The answer block has no closing brace “}”".into(),
        );
        return;
    };
    let (before, body, after) = (&toks[..open], &toks[open + 1..close], &toks[close + 1..]);
    if find(after, '{').is_some() {
        parsed
            .problems
            .push(unsupported_kind(row, "有多个答案部分的题（cloze）"));
        return;
    }

    let mut local: Vec<RowProblem> = Vec::new();
    let mut name = String::new();
    let mut stem_toks = trim_start(before);
    if stem_toks.len() >= 2 && is(&stem_toks[0], ':') && is(&stem_toks[1], ':') {
        let rest = &stem_toks[2..];
        if let Some(end) = rest
            .windows(2)
            .position(|w| is(&w[0], ':') && is(&w[1], ':'))
        {
            name = string(&rest[..end]);
            stem_toks = &rest[end + 2..];
        }
    }
    let (stem_toks, html) = text_format(stem_toks);
    let mut stem = string(stem_toks);
    let after_text = string(after);
    if !after_text.trim().is_empty() {
        stem.push_str(super::GAP);
        stem.push_str(&after_text);
    }
    if html {
        let (text, images) = html::from_html(&stem);
        stem = text;
        if images > 0 {
            local.push(image_note(row, field::STEM));
        }
    }

    // General feedback: after the last `####`.
    let (main, feedback) = match (0..body.len().saturating_sub(3))
        .rev()
        .find(|&i| body[i..i + 4].iter().all(|t| is(t, '#')))
    {
        Some(at) => (&body[..at], Some(&body[at + 4..])),
        None => (body, None),
    };
    let explanation = match feedback {
        Some(toks) => {
            let (text, images) = field_text(toks);
            if images > 0 {
                local.push(image_note(row, field::EXPLANATION));
            }
            text
        }
        None => String::new(),
    };

    let main = trim_start(main);
    let has = |c: char| find(main, c).is_some();
    let arrow = main.windows(2).any(|w| is(&w[0], '-') && is(&w[1], '>'));
    let before_hash = &main[..find(main, '#').unwrap_or(main.len())];
    let truth = string(before_hash).trim().to_ascii_uppercase();
    let (kind, options, answer) = if string(main).trim().is_empty() {
        parsed
            .problems
            .push(unsupported_kind(row, "问答题（essay）"));
        return;
    } else if main.first().is_some_and(|t| is(t, '#')) {
        parsed
            .problems
            .push(unsupported_kind(row, "数值题（numerical）"));
        return;
    } else if has('~') {
        let Some(answers) = answers(main, true) else {
            parsed.problems.push(unreadable_answers(row));
            return;
        };
        if answers.iter().any(|a| a.images > 0) {
            local.push(image_note(row, field::OPTIONS));
        }
        // As Moodle: an `=` makes it a one-answer question.
        let single = has('=');
        let weights: Vec<f64> = answers.iter().map(|a| a.weight).collect();
        let options: Vec<String> = answers.into_iter().map(|a| a.text).collect();
        match right_options(row, &options, &weights, single) {
            Ok((kind, right)) => (kind, options, Answer::Choice(right)),
            Err(problem) => {
                parsed.problems.extend(local);
                parsed.problems.push(problem);
                return;
            }
        }
    } else if has('=') && arrow {
        parsed
            .problems
            .push(unsupported_kind(row, "匹配题（matching）"));
        return;
    } else if matches!(truth.as_str(), "T" | "TRUE" | "F" | "FALSE") {
        let value = truth.starts_with('T');
        (
            QuestionKind::TrueFalse,
            Vec::new(),
            Answer::TrueFalse(value),
        )
    } else if main.first().is_some_and(|t| is(t, '=')) {
        let Some(answers) = answers(main, false) else {
            parsed.problems.push(unreadable_answers(row));
            return;
        };
        let weighted: Vec<(String, f64)> =
            answers.into_iter().map(|a| (a.text, a.weight)).collect();
        match short_answer(row, &weighted, false) {
            Ok(parts) => parts,
            Err(problem) => return parsed.refuse(local, problem),
        }
    } else {
        parsed.problems.push(unreadable_answers(row));
        return;
    };

    let mut q = blank_question(kind, answer);
    q.name = name;
    q.stem = stem;
    q.options = options;
    q.explanation = explanation;
    if let Some((line, meta)) = meta {
        read_metadata(&mut q, line, meta, &mut local);
    }
    parsed.accept(row, q, local);
}

fn unreadable_answers(row: usize) -> RowProblem {
    RowProblem::new(
        row,
        field::ANSWER,
        "无法识别答案部分 {…}：选项请以 = 或 ~ 开头，判断题写 {T} 或 {F}",
        "The answer block {…} cannot be read: start options with = or ~; true/false is {T} or {F}",
    )
}

struct GiftAnswer {
    text: String,
    /// Percent: the `%50%` written, else 100 for `=` and 0 for `~`.
    weight: f64,
    /// Images in an `[html]` option (read as "[图片]").
    images: usize,
}

/// The answers of a block: each starts at an unescaped `=` or `~`, may begin
/// with a weight `%50%` and then a format (`[html]`, `[plain]`…, dropped;
/// `[html]` options of a choice question, `html`, are read as text), and may
/// end with feedback after `#` (ignored). None when text stands before the
/// first answer.
fn answers(main: &[Tok], html: bool) -> Option<Vec<GiftAnswer>> {
    let starts: Vec<usize> = (0..main.len())
        .filter(|&i| is(&main[i], '=') || is(&main[i], '~'))
        .collect();
    if starts.first() != Some(&0) {
        return None;
    }
    let mut answers = Vec::with_capacity(starts.len());
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(main.len());
        let marker = main[start].c;
        let mut toks = trim_start(&main[start + 1..end]);
        let mut weight = if marker == '=' { 100.0 } else { 0.0 };
        if toks.first().is_some_and(|t| is(t, '%'))
            && let Some(close) = find(&toks[1..], '%').map(|at| at + 1)
            && let Ok(value) = string(&toks[1..close]).trim().parse::<f64>()
            && value.is_finite()
        {
            weight = value;
            toks = &toks[close + 1..];
        }
        let toks = &toks[..find(toks, '#').unwrap_or(toks.len())];
        let (toks, is_html) = text_format(toks);
        let text = string(toks);
        let (text, images) = if html && is_html {
            html::from_html(&text)
        } else {
            (text, 0)
        };
        answers.push(GiftAnswer {
            text: text.trim().to_owned(),
            weight,
            images,
        });
    }
    Some(answers)
}

/// `key=value; key=value`, with `\;`, `\\` and `\n` escapes.
fn read_metadata(q: &mut Question, line: usize, meta: &str, local: &mut Vec<RowProblem>) {
    let mut pairs: Vec<String> = vec![String::new()];
    let mut chars = meta.chars();
    while let Some(c) = chars.next() {
        let current = pairs.last_mut();
        match (c, current) {
            ('\\', Some(current)) => match chars.next() {
                Some('n') => current.push('\n'),
                Some('r') => current.push('\r'),
                Some(next) => current.push(next),
                None => current.push('\\'),
            },
            (';', _) => pairs.push(String::new()),
            (c, Some(current)) => current.push(c),
            (_, None) => {}
        }
    }
    for pair in &pairs {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        if let Err((column, zh, en)) = set_metadata(q, key, value) {
            local.push(RowProblem::new(line, column, zh, en));
        }
    }
}

fn escape_meta(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Text with GIFT's special characters escaped and line breaks as `\n`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A text field: escaped, and marked as Moodle's own format when it starts
/// with '[' (so it is never read as a format name).
fn escape_field(text: &str) -> String {
    let escaped = escape(text);
    if text.starts_with('[') {
        format!("[moodle]{escaped}")
    } else {
        escaped
    }
}

/// An answer: a weight first when the text itself starts with '%', and
/// Moodle's own format when it starts with '[' (so it is never read as a
/// format name).
fn answer_line(marker: char, weight: Option<&str>, text: &str) -> String {
    let weight = match weight {
        Some(w) => format!("%{w}%"),
        None if text.starts_with('%') => {
            if marker == '=' {
                "%100%".to_owned()
            } else {
                "%0%".to_owned()
            }
        }
        None => String::new(),
    };
    format!("\t{marker}{weight}{}\n", escape_field(text))
}

fn writable(q: &Question) -> bool {
    let texts = std::iter::once(&q.stem)
        .chain(&q.options)
        .chain(std::iter::once(&q.explanation));
    let no_cr = |s: &String| !s.contains('\r');
    match &q.answer {
        Answer::Blanks(blanks) => {
            q.kind == QuestionKind::Fill
                && blanks.len() == 1
                && blanks
                    .iter()
                    .flatten()
                    .all(|a| no_cr(a) && !a.contains("->"))
                && texts.into_iter().all(no_cr)
        }
        Answer::Choice(_) => q.kind.has_options() && texts.into_iter().all(no_cr),
        Answer::TrueFalse(_) => q.kind == QuestionKind::TrueFalse && texts.into_iter().all(no_cr),
    }
}

/// Writes the questions GIFT can carry; returns the text and the indexes of
/// those it could not.
pub fn write(questions: &[Question]) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut skipped = Vec::new();
    for (index, q) in questions.iter().enumerate() {
        if !writable(q) {
            skipped.push(index);
            continue;
        }
        let meta: Vec<String> = metadata(q)
            .iter()
            .map(|(key, value)| format!("{key}={}", escape_meta(value)))
            .collect();
        out.push_str(&format!("// {META_PREFIX} {}\n", meta.join("; ")));
        out.push_str(&format!(
            "::{}::{}{{\n",
            escape(&title_for(q, index)),
            escape_field(&q.stem)
        ));
        match &q.answer {
            Answer::Choice(right) if q.kind == QuestionKind::Multiple => {
                let share = right_share(right.len());
                for (i, option) in q.options.iter().enumerate() {
                    let correct = right.iter().any(|&r| usize::from(r) == i);
                    let weight = if correct { share } else { "-100" };
                    out.push_str(&answer_line('~', Some(weight), option));
                }
            }
            Answer::Choice(right) => {
                for (i, option) in q.options.iter().enumerate() {
                    let correct = right.iter().any(|&r| usize::from(r) == i);
                    out.push_str(&answer_line(if correct { '=' } else { '~' }, None, option));
                }
            }
            Answer::TrueFalse(value) => out.push_str(if *value { "\tT\n" } else { "\tF\n" }),
            Answer::Blanks(blanks) => {
                // A bare `*` is Moodle's wildcard: a literal one is `\*`.
                for answer in blanks.iter().flatten() {
                    out.push_str(&answer_line('=', None, &answer.replace('*', "\\*")));
                }
            }
        }
        if !q.explanation.is_empty() {
            out.push_str(&format!("\t####{}\n", escape_field(&q.explanation)));
        }
        out.push_str("}\n\n");
    }
    (out, skipped)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testing::{Shape, questions};
    use super::*;
    use proptest::prelude::*;

    fn only(parsed: &Parsed) -> &Question {
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.questions.len(), 1);
        &parsed.questions[0].1
    }

    #[test]
    fn reads_moodle_style_gift() {
        let text = "$CATEGORY: $course$/top/党史\n\n\
// question: 12  name: 宗旨\n\
::宗旨::[html]<p>党的<b>根本宗旨</b>是\\: </p>{\n\
  =全心全意为人民服务#对\n\
  ~为人民服务 # 不全\n\
  ####[html]<p>见党章</p>\n\
}\n\n\
多选 {~%50%甲 ~%50%乙 ~%-100%丙}\n\n\
对吗？{TRUE#错了#对了}\n\
\n\
首都是 {=北京 =北京市 =%0%南京} 城。\n";
        let parsed = parse(text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let rows: Vec<usize> = parsed.questions.iter().map(|(r, _)| *r).collect();
        assert_eq!(rows, vec![4, 10, 12, 14]);
        let q = &parsed.questions[0].1;
        assert_eq!(q.name, "宗旨");
        assert_eq!(q.kind, QuestionKind::Single);
        assert_eq!(q.stem, "党的**根本宗旨**是:");
        assert_eq!(q.options, vec!["全心全意为人民服务", "为人民服务"]);
        assert_eq!(q.answer, Answer::Choice(vec![0]));
        assert_eq!(q.explanation, "见党章");
        assert_eq!((q.points, q.difficulty), (5, 3));
        let q = &parsed.questions[1].1;
        assert_eq!(q.kind, QuestionKind::Multiple);
        assert_eq!(q.answer, Answer::Choice(vec![0, 1]));
        assert_eq!(parsed.questions[2].1.answer, Answer::TrueFalse(true));
        let q = &parsed.questions[3].1;
        assert_eq!(q.kind, QuestionKind::Fill);
        assert_eq!(q.stem, "首都是 ____ 城。");
        assert_eq!(
            q.answer,
            Answer::Blanks(vec![vec!["北京".into(), "北京市".into()]])
        );
    }

    #[test]
    fn metadata_comment_is_read_and_checked() {
        let q = only(&parse(
            "// academy: 分值=10; 难度=4; 知识点=党章\\;党纪; 忽略标点=是\n题 {=答}",
        ))
        .clone();
        assert_eq!((q.points, q.difficulty), (10, 4));
        assert_eq!(q.topic, "党章;党纪");
        assert!(q.ignore_punctuation);

        let parsed = parse("\n// academy: 分值=十; 难度=9\n题 {T}");
        assert!(parsed.questions.is_empty());
        let at: Vec<(usize, &str)> = parsed
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(at, vec![(2, "分值"), (3, "难度")]);
    }

    #[test]
    fn bad_questions_are_reported_by_line() {
        let text = "说明文字，没有答案\n\n\
问答 {}\n\n\
数值 {#3.14}\n\n\
匹配 {=a -> 1 =b -> 2}\n\n\
没有闭合 {=a\n\n\
{=a ~b}\n\n\
选项重复 {=甲 ~甲}\n\n\
太少 {~%50%甲 ~%50%乙}\n\n\
两空 {=a} 和 {=b}\n\n\
乱写 {随便}";
        let parsed = parse(text);
        assert!(parsed.questions.is_empty(), "{:?}", parsed.questions);
        let at: Vec<(usize, &str)> = parsed
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(
            at,
            vec![
                (1, "题型"),
                (3, "题型"),
                (5, "题型"),
                (7, "题型"),
                (9, "答案"),
                (11, "题干"),
                (13, "选项B"),
                (15, "选项"),
                (17, "题型"),
                (19, "答案"),
            ]
        );
        assert!(parsed.problems[2].reason_zh.contains("数值题"));
    }

    #[test]
    fn writes_what_it_can_and_reports_the_rest() {
        let mut fill = blank_question(
            QuestionKind::Fill,
            Answer::Blanks(vec![vec!["a".into()], vec!["b".into()]]),
        );
        fill.stem = "两个空".into();
        let mut arrow = fill.clone();
        arrow.answer = Answer::Blanks(vec![vec!["a->b".into()]]);
        let mut tf = blank_question(QuestionKind::TrueFalse, Answer::TrueFalse(false));
        tf.stem = "[注] //x: {y}".into();
        tf.explanation = "[html]".into();
        let (text, skipped) = write(&[fill, tf.clone(), arrow]);
        assert_eq!(skipped, vec![0, 2]);
        assert!(
            text.contains("::[注] //x\\: \\{y\\}::[moodle][注] //x\\: \\{y\\}{"),
            "{text}"
        );
        assert_eq!(only(&parse(&text)), &tf);
    }

    #[test]
    fn options_starting_with_percent_keep_their_text() {
        let mut q = blank_question(QuestionKind::Single, Answer::Choice(vec![1]));
        q.stem = "打几折".into();
        q.options = vec!["%50%".into(), "%100%".into()];
        let (text, _) = write(std::slice::from_ref(&q));
        assert_eq!(only(&parse(&text)), &q);
    }

    proptest! {
        #[test]
        fn gift_round_trips(qs in questions(Shape {
            kinds: &QuestionKind::ALL,
            lines: 3,
            one_blank: true,
            metadata: true,
            names: true,
        })) {
            let (text, skipped) = write(&qs);
            // Only accepted answers with "->" are left out.
            let arrow = |q: &Question| matches!(&q.answer, Answer::Blanks(b) if b.iter().flatten().any(|a| a.contains("->")));
            let expected: Vec<usize> = (0..qs.len()).filter(|&i| arrow(&qs[i])).collect();
            prop_assert_eq!(&skipped, &expected);
            let kept: Vec<Question> = qs.iter().filter(|q| !arrow(q)).cloned().collect();
            let parsed = parse(&text);
            if !kept.is_empty() {
                prop_assert!(parsed.problems.is_empty(), "{:?}\n{}", parsed.problems, text);
            }
            let back: Vec<Question> = parsed.questions.into_iter().map(|(_, q)| q).collect();
            prop_assert_eq!(back, kept, "{}", text);
        }

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = parse(&text);
        }

        #[test]
        fn parse_never_panics_on_gift_like_text(text in r"([{}=~#%:\\/\-> \nTa中0-9.\[\]]|//|####|::|academy: 分值=){0,40}") {
            let _ = parse(&text);
        }
    }
}
