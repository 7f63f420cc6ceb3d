//! Aiken: single-answer multiple choice, one question per group of lines.
//!
//! ```text
//! 中国共产党的根本宗旨是（  ）。
//! A. 全心全意为人民服务
//! B. 实现共产主义
//! ANSWER: A
//! ```
//!
//! Carries only single choice, and of it only the stem, options and answer:
//! the name, explanation, points, difficulty, topic, lecturer and source are
//! not written and read back as defaults. Other kinds are not written, nor are
//! questions whose stem or options span several lines, whose stem reads like
//! an option line (`A. …`) or an answer line, or that hold a carriage return.
//!
//! On import, options may also be written `A)`, `A．`, `A）` or `A、`; the
//! answer line `ANSWER: B` may also be `答案：B`; several answer letters make
//! a multiple-choice question; stem lines before the first option are joined
//! with line breaks.

use super::{Parsed, blank_question, choice_letters, field, half_width};
use crate::exam::{Answer, Question, QuestionKind, option_letter};
use crate::roster::RowProblem;

/// An option line: its letter (0-based) and text.
fn option_line(line: &str) -> Option<(u8, &str)> {
    let mut chars = line.char_indices();
    let (_, letter) = chars.next()?;
    let letter = half_width(letter);
    if !letter.is_ascii_uppercase() {
        return None;
    }
    let (at, mark) = chars.next()?;
    let rest = &line[at + mark.len_utf8()..];
    let ok = match mark {
        '.' | ')' => rest.starts_with([' ', '\t']),
        '．' | '）' | '、' => true,
        _ => false,
    };
    ok.then(|| (u8::try_from(letter).unwrap_or(b'A') - b'A', rest.trim()))
}

/// The answer of an `ANSWER: X` line.
fn answer_line(line: &str) -> Option<&str> {
    let rest = if line.len() >= 6 && line.is_char_boundary(6) {
        let (head, rest) = line.split_at(6);
        if head.eq_ignore_ascii_case("ANSWER") {
            rest
        } else {
            line.strip_prefix("答案")?
        }
    } else {
        line.strip_prefix("答案")?
    };
    let rest = rest.trim_start();
    rest.strip_prefix(':')
        .or_else(|| rest.strip_prefix('：'))
        .map(str::trim)
}

struct Pending {
    row: usize,
    stem: Vec<String>,
    options: Vec<String>,
    local: Vec<RowProblem>,
}

/// Reads an Aiken file. Each question's number is the line of its stem.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut pending: Option<Pending> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let Some(q) = pending.as_mut() else {
            if answer_line(line).is_some() {
                parsed.problem(
                    number,
                    field::ANSWER,
                    "答案行前面没有试题".into(),
                    "An answer line with no question before it".into(),
                );
            } else {
                pending = Some(Pending {
                    row: number,
                    stem: vec![line.to_owned()],
                    options: Vec::new(),
                    local: Vec::new(),
                });
            }
            continue;
        };
        if let Some(answer) = answer_line(line) {
            if let Some(q) = pending.take() {
                finish(&mut parsed, q, number, answer);
            }
        } else if let Some((letter, option)) = option_line(line) {
            let expected = q.options.len();
            if usize::from(letter) != expected {
                let want = option_letter(expected);
                let got = option_letter(usize::from(letter));
                q.local.push(RowProblem::new(
                    number,
                    field::OPTIONS,
                    format!("选项字母应为 {want}，这里是 {got}"),
                    format!("Expected option {want} here, found {got}"),
                ));
            }
            q.options.push(option.to_owned());
        } else if q.options.is_empty() {
            q.stem.push(line.to_owned());
        } else if let Some(q) = pending.take() {
            // Options, then text: the question before lacks its answer line,
            // and this starts the next one.
            missing_answer(&mut parsed, &q);
            pending = Some(Pending {
                row: number,
                stem: vec![line.to_owned()],
                options: Vec::new(),
                local: Vec::new(),
            });
        }
    }
    if let Some(q) = pending {
        missing_answer(&mut parsed, &q);
    }
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

fn missing_answer(parsed: &mut Parsed, q: &Pending) {
    parsed.problems.extend(q.local.iter().cloned());
    parsed.problem(
        q.row,
        field::ANSWER,
        "缺少答案行（如 ANSWER: A）".into(),
        "The answer line (such as ANSWER: A) is missing".into(),
    );
}

fn finish(parsed: &mut Parsed, pending: Pending, line: usize, answer: &str) {
    let Pending {
        row,
        stem,
        options,
        mut local,
    } = pending;
    let letters = match choice_letters(answer) {
        Some(letters) if !letters.is_empty() => letters,
        _ => {
            local.push(RowProblem::new(
                line,
                field::ANSWER,
                format!("无法识别的答案“{answer}”：请写选项字母，如 ANSWER: B"),
                format!("Unrecognised answer “{answer}”: give an option letter, as in ANSWER: B"),
            ));
            Vec::new()
        }
    };
    let kind = if letters.len() > 1 {
        QuestionKind::Multiple
    } else {
        QuestionKind::Single
    };
    let mut q = blank_question(kind, Answer::Choice(letters));
    q.stem = stem.join("\n");
    q.options = options;
    parsed.accept(row, q, local);
}

fn writable(q: &Question) -> bool {
    let one_line = |s: &str| !s.contains(['\n', '\r']);
    q.kind == QuestionKind::Single
        && matches!(&q.answer, Answer::Choice(right) if right.len() == 1)
        && one_line(&q.stem)
        && option_line(q.stem.trim()).is_none()
        && answer_line(q.stem.trim()).is_none()
        && q.options.iter().all(|o| one_line(o))
        && (1..=26).contains(&q.options.len())
}

/// Writes the single-choice questions; returns the text and the indexes of
/// the questions Aiken cannot carry.
pub fn write(questions: &[Question]) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut skipped = Vec::new();
    for (index, q) in questions.iter().enumerate() {
        let Answer::Choice(right) = &q.answer else {
            skipped.push(index);
            continue;
        };
        if !writable(q) {
            skipped.push(index);
            continue;
        }
        out.push_str(q.stem.trim());
        out.push('\n');
        for (i, option) in q.options.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", option_letter(i), option.trim()));
        }
        let answer: String = right
            .iter()
            .map(|&r| option_letter(usize::from(r)))
            .collect();
        out.push_str(&format!("ANSWER: {answer}\n\n"));
    }
    (out, skipped)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testing::{Shape, questions};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_aiken_and_its_chinese_variants() {
        let text = "党的根本宗旨是？\r\nA) 全心全意为人民服务\r\nB) 实现共产主义\r\nANSWER: A\r\n\
\n\
下列属于党的思想路线的是\n（多选）\n\
A．一切从实际出发\nB、理论联系实际\nC）照搬书本\n答案：A,B\n";
        let parsed = parse(text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let rows: Vec<usize> = parsed.questions.iter().map(|(r, _)| *r).collect();
        assert_eq!(rows, vec![1, 6]);
        let q = &parsed.questions[0].1;
        assert_eq!(q.kind, QuestionKind::Single);
        assert_eq!(q.options, vec!["全心全意为人民服务", "实现共产主义"]);
        assert_eq!(q.answer, Answer::Choice(vec![0]));
        let q = &parsed.questions[1].1;
        assert_eq!(q.kind, QuestionKind::Multiple);
        assert_eq!(q.stem, "下列属于党的思想路线的是\n（多选）");
        assert_eq!(
            q.options,
            vec!["一切从实际出发", "理论联系实际", "照搬书本"]
        );
        assert_eq!(q.answer, Answer::Choice(vec![0, 1]));
    }

    #[test]
    fn bad_questions_are_reported_by_line() {
        let text = "ANSWER: A\n\
没有答案的题\nA. 甲\nB. 乙\n\
下一题\nA. 甲\nC. 乙\nANSWER: A\n\
答案不在选项中\nA. 甲\nB. 乙\nANSWER: E\n\
选项重复\nA. 甲\nB. 甲\nANSWER: A\n\
太少\nA. 甲\nANSWER: A\n\
乱写答案\nA. 甲\nB. 乙\nANSWER: 甲\n\
最后一题没有答案\nA. 甲";
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
                (1, "答案"),
                (2, "答案"),
                (7, "选项"),
                (9, "答案"),
                (13, "选项B"),
                (17, "选项"),
                (23, "答案"),
                (24, "答案"),
            ]
        );
        assert_eq!(parsed.problems[3].reason_zh, "答案 E 不在选项中");
    }

    #[test]
    fn only_single_choice_on_one_line_is_written() {
        let mut single = blank_question(QuestionKind::Single, Answer::Choice(vec![1]));
        single.stem = "题".into();
        single.options = vec!["甲".into(), "乙".into()];
        let mut two_lines = single.clone();
        two_lines.stem = "一\n二".into();
        let mut looks_like_option = single.clone();
        looks_like_option.stem = "A. 开头".into();
        let mut multiple = single.clone();
        multiple.kind = QuestionKind::Multiple;
        multiple.answer = Answer::Choice(vec![0, 1]);
        let tf = blank_question(QuestionKind::TrueFalse, Answer::TrueFalse(true));
        let (text, skipped) = write(&[tf, single.clone(), two_lines, looks_like_option, multiple]);
        assert_eq!(skipped, vec![0, 2, 3, 4]);
        assert_eq!(text, "题\nA. 甲\nB. 乙\nANSWER: B\n\n");
        assert_eq!(parse(&text).questions, vec![(1, single)]);
    }

    proptest! {
        #[test]
        fn aiken_round_trips(qs in questions(Shape {
            kinds: &[QuestionKind::Single],
            lines: 1,
            one_blank: true,
            metadata: false,
            names: false,
        })) {
            let (text, skipped) = write(&qs);
            let kept: Vec<Question> = qs
                .iter()
                .enumerate()
                .filter(|(i, _)| !skipped.contains(i))
                .map(|(_, q)| q.clone())
                .collect();
            // Only stems that read like an option or answer line are left out.
            for &i in &skipped {
                let stem = qs[i].stem.as_str();
                prop_assert!(option_line(stem).is_some() || answer_line(stem).is_some(), "{}", stem);
            }
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
        fn parse_never_panics_on_aiken_like_text(text in r"([A-FＡ][.)．）、]?[ \t]?|ANSWER:|答案：|[a中 \n\r])*") {
            let _ = parse(&text);
        }
    }
}
