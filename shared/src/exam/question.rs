//! One question on its own: the rules an authored question must meet, the tidy
//! form that is stored, how fill-in answers are matched, and how a response is
//! scored.
//!
//! The forms, the spreadsheet import and the server all call
//! [`check_question`] on [`tidy`]'s output, so a question the form accepts is
//! exactly one the server stores.

use super::markup;
use super::{
    Answer, Cents, FieldProblem, MultiplePolicy, Question, QuestionKind, Response, option_letter,
};

pub const MAX_STEM_CHARS: usize = 2000;
pub const MAX_OPTION_CHARS: usize = 500;
pub const MAX_EXPLANATION_CHARS: usize = 2000;
pub const MAX_BLANKS: usize = 10;
/// A–F at most: 6.
pub const MIN_OPTIONS_SINGLE: usize = 2;
pub const MIN_OPTIONS_MULTIPLE: usize = 3;
pub const MAX_OPTIONS: usize = 6;
/// For an accepted answer of a blank and for what a learner writes in one.
pub const MAX_BLANK_CHARS: usize = 200;
pub const MIN_POINTS: u32 = 1;
pub const MAX_POINTS: u32 = 100;
pub const MIN_DIFFICULTY: u8 = 1;
pub const MAX_DIFFICULTY: u8 = 5;
pub const MAX_TOPIC_CHARS: usize = 50;
pub const MAX_LECTURER_CHARS: usize = 50;
pub const MAX_SOURCE_CHARS: usize = 200;
/// Moodle's limit for a question name.
pub const MAX_NAME_CHARS: usize = 255;

const F_STEM: &str = "题干";
const F_OPTIONS: &str = "选项";
const F_ANSWER: &str = "答案";
const F_EXPLANATION: &str = "解析";
const F_POINTS: &str = "分值";
const F_DIFFICULTY: &str = "难度";
const F_TOPIC: &str = "知识点";
const F_LECTURER: &str = "讲师";
const F_SOURCE: &str = "来源";
const F_NAME: &str = "名称";

/// Every problem of a question (empty = valid). Field names are the template's
/// column names: 题型, 题干, 选项A…选项F (or "选项" for the option list as a
/// whole), 答案, 解析, 分值, 难度, 知识点, 讲师, 来源; and 名称 (the name).
pub fn check_question(q: &Question) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    check_stem(q, &mut problems);
    match q.kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            check_options(q, &mut problems);
            check_choice_answer(q, &mut problems);
        }
        QuestionKind::TrueFalse => {
            check_no_options(q, &mut problems);
            if !matches!(q.answer, Answer::TrueFalse(_)) {
                problems.push(answer_kind_mismatch(q.kind));
            }
        }
        QuestionKind::Fill => {
            check_no_options(q, &mut problems);
            check_blanks(q, &mut problems);
        }
    }
    check_other_fields(q, &mut problems);
    problems
}

fn check_stem(q: &Question, problems: &mut Vec<FieldProblem>) {
    let stem = q.stem.trim();
    if stem.is_empty() {
        problems.push(FieldProblem::new(
            F_STEM,
            "题干不能为空",
            "The stem must not be empty",
        ));
        return;
    }
    if let Some(problem) = too_long(F_STEM, "题干", "The stem", stem, MAX_STEM_CHARS) {
        problems.push(problem);
    }
    problems.extend(markup::check_stem(stem));
}

/// The fewest options a question of `kind` may offer (for the kinds that
/// have options): a multiple choice needs a wrong option besides two right ones.
pub fn min_options(kind: QuestionKind) -> usize {
    if kind == QuestionKind::Single {
        MIN_OPTIONS_SINGLE
    } else {
        MIN_OPTIONS_MULTIPLE
    }
}

fn check_options(q: &Question, problems: &mut Vec<FieldProblem>) {
    let count = q.options.len();
    let min = min_options(q.kind);
    if !(min..=MAX_OPTIONS).contains(&count) {
        problems.push(FieldProblem::new(
            F_OPTIONS,
            format!(
                "{}须有 {min}–{MAX_OPTIONS} 个选项（现有 {count} 个）",
                q.kind.label_zh()
            ),
            format!(
                "A {} question needs {min}–{MAX_OPTIONS} options (it has {count})",
                kind_name_en(q.kind)
            ),
        ));
    }
    // Duplicates are compared the way fill-in answers are, so "ＡＢＣ" and
    // "abc " count as the same option.
    let keys: Vec<String> = q
        .options
        .iter()
        .map(|o| normalize_answer(o, false))
        .collect();
    for (index, option) in q.options.iter().enumerate() {
        let field = option_field(index);
        let label = choice_label(index);
        if option.trim().is_empty() {
            problems.push(FieldProblem::new(
                &field,
                format!("选项 {label} 不能为空"),
                format!("Option {label} must not be empty"),
            ));
            continue;
        }
        if let Some(problem) = too_long(
            &field,
            &format!("选项 {label} "),
            &format!("Option {label}"),
            option,
            MAX_OPTION_CHARS,
        ) {
            problems.push(problem);
        }
        if let Some(first) = keys[..index].iter().position(|k| *k == keys[index]) {
            let first = choice_label(first);
            problems.push(FieldProblem::new(
                &field,
                format!("选项 {first} 与选项 {label} 重复"),
                format!("Options {first} and {label} are the same"),
            ));
        }
    }
}

fn check_choice_answer(q: &Question, problems: &mut Vec<FieldProblem>) {
    let Answer::Choice(indexes) = &q.answer else {
        problems.push(answer_kind_mismatch(q.kind));
        return;
    };
    let mut distinct: Vec<u8> = Vec::new();
    let mut repeated: Vec<u8> = Vec::new();
    for &index in indexes {
        if !distinct.contains(&index) {
            distinct.push(index);
        } else if !repeated.contains(&index) {
            repeated.push(index);
        }
    }
    let count = distinct.len();
    match q.kind {
        QuestionKind::Single if count == 0 => problems.push(FieldProblem::new(
            F_ANSWER,
            "请填写答案（一个选项字母，如 A）",
            "Give the answer (one option letter, such as A)",
        )),
        QuestionKind::Single if count > 1 => problems.push(FieldProblem::new(
            F_ANSWER,
            format!("单选题只能有一个答案（现有 {count} 个）"),
            format!("A single-choice question has exactly one answer (it has {count})"),
        )),
        QuestionKind::Multiple if count < 2 => problems.push(FieldProblem::new(
            F_ANSWER,
            format!("多选题至少须有两个答案（现有 {count} 个）"),
            format!("A multiple-choice question needs at least two answers (it has {count})"),
        )),
        _ => {}
    }
    for &index in &distinct {
        if usize::from(index) >= q.options.len() {
            let label = choice_label(usize::from(index));
            problems.push(FieldProblem::new(
                F_ANSWER,
                format!("答案 {label} 不在选项中"),
                format!("Answer {label} is not among the options"),
            ));
        }
    }
    for &index in &repeated {
        let label = choice_label(usize::from(index));
        problems.push(FieldProblem::new(
            F_ANSWER,
            format!("答案 {label} 重复"),
            format!("Answer {label} is given more than once"),
        ));
    }
}

fn check_no_options(q: &Question, problems: &mut Vec<FieldProblem>) {
    if q.options.iter().any(|o| !o.trim().is_empty()) {
        problems.push(FieldProblem::new(
            F_OPTIONS,
            format!("{}不设选项", q.kind.label_zh()),
            format!("A {} question has no options", kind_name_en(q.kind)),
        ));
    }
}

fn check_blanks(q: &Question, problems: &mut Vec<FieldProblem>) {
    let Answer::Blanks(blanks) = &q.answer else {
        problems.push(answer_kind_mismatch(q.kind));
        return;
    };
    if blanks.is_empty() {
        problems.push(FieldProblem::new(
            F_ANSWER,
            "请填写答案（至少一个空）",
            "Give the answer (at least one blank)",
        ));
    }
    if blanks.len() > MAX_BLANKS {
        let count = blanks.len();
        problems.push(FieldProblem::new(
            F_ANSWER,
            format!("填空题最多 {MAX_BLANKS} 个空（现有 {count} 个）"),
            format!("A fill-in question has at most {MAX_BLANKS} blanks (it has {count})"),
        ));
    }
    for (index, accepted) in blanks.iter().enumerate() {
        let number = index + 1;
        if accepted.is_empty() {
            problems.push(FieldProblem::new(
                F_ANSWER,
                format!("第 {number} 空没有答案"),
                format!("Blank {number} has no accepted answer"),
            ));
        }
        for answer in accepted {
            if answer.trim().is_empty() {
                problems.push(FieldProblem::new(
                    F_ANSWER,
                    format!("第 {number} 空有空白的答案"),
                    format!("Blank {number} has an empty accepted answer"),
                ));
            } else if normalize_answer(answer, q.ignore_punctuation).is_empty() {
                // Only reachable with ignore_punctuation: nothing would ever match it.
                let answer = answer.trim();
                problems.push(FieldProblem::new(
                    F_ANSWER,
                    format!("第 {number} 空的答案“{answer}”去掉标点后为空"),
                    format!(
                        "Blank {number}: the accepted answer “{answer}” is empty once punctuation is ignored"
                    ),
                ));
            } else if let Some(problem) = too_long(
                F_ANSWER,
                &format!("第 {number} 空的答案"),
                &format!("An accepted answer of blank {number}"),
                answer,
                MAX_BLANK_CHARS,
            ) {
                problems.push(problem);
            }
        }
    }
}

fn check_other_fields(q: &Question, problems: &mut Vec<FieldProblem>) {
    let limits = [
        (
            F_EXPLANATION,
            "解析",
            "The explanation",
            &q.explanation,
            MAX_EXPLANATION_CHARS,
        ),
        (F_TOPIC, "知识点", "The topic", &q.topic, MAX_TOPIC_CHARS),
        (
            F_LECTURER,
            "讲师",
            "The lecturer",
            &q.lecturer,
            MAX_LECTURER_CHARS,
        ),
        (F_SOURCE, "来源", "The source", &q.source, MAX_SOURCE_CHARS),
        (F_NAME, "名称", "The name", &q.name, MAX_NAME_CHARS),
    ];
    for (field, zh, en, text, max) in limits {
        if let Some(problem) = too_long(field, zh, en, text.trim(), max) {
            problems.push(problem);
        }
    }
    if !(MIN_POINTS..=MAX_POINTS).contains(&q.points) {
        let points = q.points;
        problems.push(FieldProblem::new(
            F_POINTS,
            format!("分值须为 {MIN_POINTS}–{MAX_POINTS} 的整数（现为 {points}）"),
            format!(
                "Points must be a whole number from {MIN_POINTS} to {MAX_POINTS} (it is {points})"
            ),
        ));
    }
    if !(MIN_DIFFICULTY..=MAX_DIFFICULTY).contains(&q.difficulty) {
        let difficulty = q.difficulty;
        problems.push(FieldProblem::new(
            F_DIFFICULTY,
            format!("难度须为 {MIN_DIFFICULTY}–{MAX_DIFFICULTY}（现为 {difficulty}）"),
            format!(
                "Difficulty must be from {MIN_DIFFICULTY} to {MAX_DIFFICULTY} (it is {difficulty})"
            ),
        ));
    }
}

fn too_long(field: &str, zh: &str, en: &str, text: &str, max: usize) -> Option<FieldProblem> {
    let count = text.chars().count();
    (count > max).then(|| {
        FieldProblem::new(
            field,
            format!("{zh}不能超过 {max} 字（现有 {count} 字）"),
            format!("{en} must be at most {max} characters (it has {count})"),
        )
    })
}

fn answer_kind_mismatch(kind: QuestionKind) -> FieldProblem {
    let (zh, en) = match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            ("请填写选项字母，如 A", "give option letters such as A")
        }
        QuestionKind::TrueFalse => ("请填写“正确”或“错误”", "give True or False"),
        QuestionKind::Fill => ("请填写每个空的答案", "give the answer of each blank"),
    };
    FieldProblem::new(
        F_ANSWER,
        format!("答案与题型不符：{zh}"),
        format!("The answer does not fit the question type: {en}"),
    )
}

/// The kind as it reads inside an English sentence ("A … question").
fn kind_name_en(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "single-choice",
        QuestionKind::Multiple => "multiple-choice",
        QuestionKind::TrueFalse => "true/false",
        QuestionKind::Fill => "fill-in",
    }
}

/// The template has columns 选项A…选项F only; a problem with an option past
/// them belongs to the list as a whole.
fn option_field(index: usize) -> String {
    if index < MAX_OPTIONS {
        format!("{F_OPTIONS}{}", option_letter(index))
    } else {
        F_OPTIONS.to_owned()
    }
}

/// Letters run out at Z, and an ill-formed answer may point anywhere up to 255.
fn choice_label(index: usize) -> String {
    if index < 26 {
        option_letter(index).to_string()
    } else {
        format!("#{}", index + 1)
    }
}

/// Trims the text fields, drops trailing empty options, sorts+dedups choice
/// answers, trims blank answers, puts the name on one line (runs of
/// whitespace as one space, control characters dropped): what is stored.
/// `check_question(&tidy(q))` is what the server checks.
pub fn tidy(mut q: Question) -> Question {
    q.name = one_line(&q.name);
    // Trailing spaces on a line are invisible and would only make two equal
    // stems differ.
    let stem: Vec<&str> = q.stem.split('\n').map(str::trim_end).collect();
    q.stem = stem.join("\n").trim().to_owned();
    for option in &mut q.options {
        *option = option.trim().to_owned();
    }
    while q.options.last().is_some_and(String::is_empty) {
        q.options.pop();
    }
    match &mut q.answer {
        Answer::Choice(indexes) => {
            indexes.sort_unstable();
            indexes.dedup();
        }
        Answer::TrueFalse(_) => {}
        Answer::Blanks(blanks) => {
            for answer in blanks.iter_mut().flatten() {
                *answer = answer.trim().to_owned();
            }
        }
    }
    for text in [
        &mut q.explanation,
        &mut q.topic,
        &mut q.lecturer,
        &mut q.source,
    ] {
        *text = text.trim().to_owned();
    }
    q
}

/// Text on one line: runs of whitespace as one space, control characters
/// dropped, trimmed. How a question's name is stored.
pub fn one_line(text: &str) -> String {
    text.split_whitespace()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Matching form of a fill-in answer: full-width ASCII (U+FF01–U+FF5E) →
/// half-width, U+3000 ideographic space → space, Latin letters lower-cased
/// (incl. full-width ones), surrounding whitespace trimmed, internal runs of
/// whitespace collapsed to one space; with `ignore_punctuation`, ASCII and CJK
/// punctuation removed and whitespace then re-collapsed.
pub fn normalize_answer(text: &str, ignore_punctuation: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space_pending = false;
    for c in text.chars().map(half_width) {
        if ignore_punctuation && is_punctuation(c) {
            continue;
        }
        if c.is_whitespace() {
            // Only between words: leading and trailing runs disappear.
            space_pending = !out.is_empty();
            continue;
        }
        if space_pending {
            out.push(' ');
            space_pending = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_latin(c) {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn half_width(c: char) -> char {
    match u32::from(c) {
        0x3000 => ' ',
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Latin letters outside ASCII (pinyin with tone marks, names with accents).
fn is_latin(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// ASCII punctuation plus the punctuation used in Chinese text. Full-width
/// forms (，！？：；（）～…) were already folded to ASCII by `half_width`.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '¡' | '§' | '«' | '¶' | '·' | '»' | '¿'
                // General Punctuation: dashes, quotes “”‘’, bullets, …, ‰, ※
                | '\u{2010}'..='\u{2027}'
                | '\u{2030}'..='\u{205E}'
                // 、。〃
                | '\u{3001}'..='\u{3003}'
                // 〈〉《》「」『』【】
                | '\u{3008}'..='\u{3011}'
                // 〔〕〖〗〘〙〚〛〜〝〞〟
                | '\u{3014}'..='\u{301F}'
                | '\u{3030}'
                | '\u{303D}'
                // ・ (used in transliterated names)
                | '\u{30FB}'
                // vertical, compatibility and small forms
                | '\u{FE10}'..='\u{FE19}'
                | '\u{FE30}'..='\u{FE4F}'
                | '\u{FE50}'..='\u{FE6B}'
                // ｟｠｡｢｣､･
                | '\u{FF5F}'..='\u{FF65}'
        )
}

/// Whether `given` matches any of the accepted answers. Nothing matches a
/// blank left empty.
pub fn blank_matches(accepted: &[String], given: &str, ignore_punctuation: bool) -> bool {
    let given = normalize_answer(given, ignore_punctuation);
    !given.is_empty()
        && accepted
            .iter()
            .any(|answer| normalize_answer(answer, ignore_punctuation) == given)
}

/// Whether a response fits the question's shape (choice indexes in range, no
/// duplicates, single has ≤1 index, true/false for true/false, blanks count ==
/// number of blanks, each blank ≤ 200 chars). An empty choice is fine: it is
/// an unanswered question. Err has a bilingual reason (zh, en).
pub fn check_response(q: &Question, r: &Response) -> Result<(), (String, String)> {
    fn reason(zh: impl Into<String>, en: impl Into<String>) -> Result<(), (String, String)> {
        Err((zh.into(), en.into()))
    }
    match (q.kind, r) {
        (QuestionKind::Single | QuestionKind::Multiple, Response::Choice(chosen)) => {
            if q.kind == QuestionKind::Single && chosen.len() > 1 {
                return reason(
                    "单选题只能选一个选项",
                    "Choose only one option in a single-choice question",
                );
            }
            for (at, &index) in chosen.iter().enumerate() {
                let label = choice_label(usize::from(index));
                if usize::from(index) >= q.options.len() {
                    return reason(
                        format!("没有选项 {label}"),
                        format!("There is no option {label}"),
                    );
                }
                if chosen[..at].contains(&index) {
                    return reason(
                        format!("选项 {label} 选了不止一次"),
                        format!("Option {label} is chosen more than once"),
                    );
                }
            }
            Ok(())
        }
        (QuestionKind::TrueFalse, Response::TrueFalse(_)) => Ok(()),
        (QuestionKind::Fill, Response::Blanks(given)) => {
            let Answer::Blanks(blanks) = &q.answer else {
                return reason(
                    "本题的答案设置有误，无法作答",
                    "This question's answer is set up wrongly, so it cannot be answered",
                );
            };
            if given.len() != blanks.len() {
                let (want, got) = (blanks.len(), given.len());
                return reason(
                    format!("本题有 {want} 个空，作答了 {got} 个"),
                    format!("This question has {want} blanks but {got} were answered"),
                );
            }
            for (index, text) in given.iter().enumerate() {
                if text.chars().count() > MAX_BLANK_CHARS {
                    let number = index + 1;
                    return reason(
                        format!("第 {number} 空的作答不能超过 {MAX_BLANK_CHARS} 字"),
                        format!(
                            "The answer to blank {number} must be at most {MAX_BLANK_CHARS} characters"
                        ),
                    );
                }
            }
            Ok(())
        }
        _ => reason(
            format!("作答与题型（{}）不符", q.kind.label_zh()),
            format!(
                "The response does not fit the question type ({})",
                q.kind.label_en()
            ),
        ),
    }
}

/// Points earned out of `points` (hundredths). None/ill-shaped response = 0.
/// Single/true-false: all or nothing. Multiple: AllOrNothing = exact set;
/// Partial = 0 if any wrong option chosen, else points×chosen correct÷all
/// correct (floor). Fill: each blank worth an equal share,
/// points×correct blanks÷blanks (floor); a blank is correct when it matches any
/// accepted answer. An ill-formed question (answer not fitting its kind)
/// scores 0 rather than guessing.
pub fn score(q: &Question, points: Cents, policy: MultiplePolicy, r: Option<&Response>) -> Cents {
    let Some(r) = r else { return 0 };
    if check_response(q, r).is_err() {
        return 0;
    }
    match (&q.answer, r) {
        (Answer::Choice(correct), Response::Choice(chosen)) => {
            let correct = sorted_distinct(correct);
            let chosen = sorted_distinct(chosen);
            if correct.is_empty() || chosen.is_empty() {
                0
            } else if chosen == correct {
                points
            } else if q.kind == QuestionKind::Multiple
                && policy == MultiplePolicy::Partial
                && chosen.iter().all(|c| correct.contains(c))
            {
                share(points, chosen.len(), correct.len())
            } else {
                0
            }
        }
        (Answer::TrueFalse(right), Response::TrueFalse(given)) if right == given => points,
        (Answer::Blanks(blanks), Response::Blanks(given)) => {
            let right = blanks
                .iter()
                .zip(given)
                .filter(|(accepted, given)| blank_matches(accepted, given, q.ignore_punctuation))
                .count();
            share(points, right, blanks.len())
        }
        _ => 0,
    }
}

fn sorted_distinct(indexes: &[u8]) -> Vec<u8> {
    let mut indexes = indexes.to_vec();
    indexes.sort_unstable();
    indexes.dedup();
    indexes
}

/// `points × part ÷ whole`, rounded down, in u64 so the product cannot overflow.
fn share(points: Cents, part: usize, whole: usize) -> Cents {
    if whole == 0 || part == 0 {
        return 0;
    }
    let part = u64::try_from(part).unwrap_or(u64::MAX);
    let whole = u64::try_from(whole).unwrap_or(u64::MAX);
    let earned = u64::from(points).saturating_mul(part) / whole;
    Cents::try_from(earned).map_or(points, |earned| earned.min(points))
}

#[derive(Clone, Copy)]
enum Lang {
    Zh,
    En,
}

impl Lang {
    fn choice_separator(self) -> &'static str {
        match self {
            Lang::Zh => "、",
            Lang::En => ", ",
        }
    }

    fn blank_separator(self) -> &'static str {
        match self {
            Lang::Zh => "；",
            Lang::En => "; ",
        }
    }

    fn true_false(self, value: bool) -> &'static str {
        match (self, value) {
            (Lang::Zh, true) => "正确",
            (Lang::Zh, false) => "错误",
            (Lang::En, true) => "True",
            (Lang::En, false) => "False",
        }
    }

    fn empty_blank(self) -> &'static str {
        match self {
            Lang::Zh => "（空）",
            Lang::En => "(empty)",
        }
    }
}

fn choice_text(indexes: &[u8], lang: Lang) -> String {
    sorted_distinct(indexes)
        .into_iter()
        .map(|index| choice_label(usize::from(index)))
        .collect::<Vec<_>>()
        .join(lang.choice_separator())
}

fn answer_text(q: &Question, lang: Lang) -> String {
    match &q.answer {
        Answer::Choice(indexes) => choice_text(indexes, lang),
        Answer::TrueFalse(value) => lang.true_false(*value).to_owned(),
        Answer::Blanks(blanks) => blanks
            .iter()
            .map(|accepted| {
                accepted
                    .iter()
                    .map(|answer| answer.trim())
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .collect::<Vec<_>>()
            .join(lang.blank_separator()),
    }
}

fn response_text(r: Option<&Response>, lang: Lang) -> String {
    match r {
        None => String::new(),
        Some(Response::Choice(indexes)) => choice_text(indexes, lang),
        Some(Response::TrueFalse(value)) => lang.true_false(*value).to_owned(),
        Some(Response::Blanks(given)) if given.iter().all(|g| g.trim().is_empty()) => String::new(),
        Some(Response::Blanks(given)) => given
            .iter()
            .map(|g| match g.trim() {
                "" => lang.empty_blank(),
                text => text,
            })
            .collect::<Vec<_>>()
            .join(lang.blank_separator()),
    }
}

/// A human-readable form of the answer for review pages and exports: "A",
/// "A、C", "正确"/"错误"; fill: blanks joined by "；", alternatives by " / ".
pub fn answer_text_zh(q: &Question) -> String {
    answer_text(q, Lang::Zh)
}

/// As [`answer_text_zh`] in English: "A, C", "True"/"False", blanks joined by
/// "; ".
pub fn answer_text_en(q: &Question) -> String {
    answer_text(q, Lang::En)
}

/// Same for a learner's response: empty string when unanswered; a blank left
/// empty among answered ones shows as "（空）".
pub fn response_text_zh(_q: &Question, r: Option<&Response>) -> String {
    response_text(r, Lang::Zh)
}

/// As [`response_text_zh`] in English (an empty blank shows as "(empty)").
pub fn response_text_en(_q: &Question, r: Option<&Response>) -> String {
    response_text(r, Lang::En)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn base(kind: QuestionKind, options: &[&str], answer: Answer) -> Question {
        Question {
            name: String::new(),
            kind,
            stem: "下列说法正确的是".to_owned(),
            options: strings(options),
            answer,
            explanation: String::new(),
            points: 2,
            difficulty: 3,
            topic: "党史".to_owned(),
            lecturer: String::new(),
            source: String::new(),
            ignore_punctuation: false,
        }
    }

    fn single() -> Question {
        base(
            QuestionKind::Single,
            &["北京", "上海", "广州", "深圳"],
            Answer::Choice(vec![0]),
        )
    }

    fn multiple() -> Question {
        base(
            QuestionKind::Multiple,
            &["甲", "乙", "丙", "丁"],
            Answer::Choice(vec![0, 2, 3]),
        )
    }

    fn true_false() -> Question {
        base(QuestionKind::TrueFalse, &[], Answer::TrueFalse(true))
    }

    fn fill() -> Question {
        base(
            QuestionKind::Fill,
            &[],
            Answer::Blanks(vec![
                strings(&["中国共产党", "中共"]),
                strings(&["为人民服务"]),
            ]),
        )
    }

    /// The fields with problems, in order.
    fn fields(q: &Question) -> Vec<String> {
        check_question(q).into_iter().map(|p| p.field).collect()
    }

    fn only_problem(q: &Question) -> FieldProblem {
        let problems = check_question(q);
        assert_eq!(problems.len(), 1, "{problems:?}");
        problems.into_iter().next().unwrap()
    }

    #[test]
    fn good_questions_pass() {
        for q in [single(), multiple(), true_false(), fill()] {
            assert_eq!(check_question(&q), vec![], "{q:?}");
        }
    }

    #[test]
    fn stem_rules() {
        let mut q = single();
        q.stem = " \n ".to_owned();
        let p = only_problem(&q);
        assert_eq!((p.field.as_str(), p.zh.as_str()), ("题干", "题干不能为空"));

        q.stem = "字".repeat(MAX_STEM_CHARS);
        assert!(check_question(&q).is_empty());
        q.stem.push('字');
        let p = only_problem(&q);
        assert_eq!(p.field, "题干");
        assert!(
            p.zh.contains("不能超过 2000 字（现有 2001 字）"),
            "{}",
            p.zh
        );
        assert!(p.en.contains("at most 2000"), "{}", p.en);

        q.stem = "这是**重点".to_owned();
        let p = only_problem(&q);
        assert_eq!(p.field, "题干");
        assert!(p.zh.contains("没有闭合"));
    }

    #[test]
    fn names_are_one_line_and_at_most_255_characters() {
        let mut q = single();
        q.name = " 第一章\n\t宗旨\u{7}  题 ".to_owned();
        let q = tidy(q);
        assert_eq!(q.name, "第一章 宗旨 题");
        assert!(check_question(&q).is_empty());

        let mut q = single();
        q.name = "名".repeat(MAX_NAME_CHARS);
        assert!(check_question(&q).is_empty());
        q.name.push('名');
        let p = only_problem(&q);
        assert_eq!(p.field, "名称");
        assert!(p.zh.contains("不能超过 255 字"), "{}", p.zh);
    }

    #[test]
    fn option_counts() {
        let mut q = single();
        q.options.truncate(1);
        assert_eq!(fields(&q), ["选项"]);
        assert!(
            check_question(&q)[0]
                .zh
                .contains("单选题须有 2–6 个选项（现有 1 个）")
        );
        q.options = strings(&["1", "2", "3", "4", "5", "6", "7"]);
        let p = only_problem(&q);
        assert_eq!(p.field, "选项");
        assert!(p.en.contains("single-choice question needs 2–6 options (it has 7)"));

        let mut q = multiple();
        q.options = strings(&["甲", "乙"]);
        q.answer = Answer::Choice(vec![0, 1]);
        let p = only_problem(&q);
        assert!(p.zh.contains("多选题须有 3–6 个选项"), "{}", p.zh);
    }

    #[test]
    fn options_must_be_filled_short_and_distinct() {
        let mut q = single();
        q.options[2] = "  ".to_owned();
        let p = only_problem(&q);
        assert_eq!(
            (p.field.as_str(), p.zh.as_str(), p.en.as_str()),
            ("选项C", "选项 C 不能为空", "Option C must not be empty")
        );

        let mut q = single();
        q.options[1] = "x".repeat(MAX_OPTION_CHARS + 1);
        let p = only_problem(&q);
        assert_eq!(p.field, "选项B");
        assert!(p.zh.contains("不能超过 500 字"));

        let mut q = single();
        q.options = strings(&["ＡＢＣ", "x", " abc ", "y"]);
        let p = only_problem(&q);
        assert_eq!(
            (p.field.as_str(), p.zh.as_str(), p.en.as_str()),
            (
                "选项C",
                "选项 A 与选项 C 重复",
                "Options A and C are the same"
            )
        );
    }

    #[test]
    fn choice_answers() {
        let mut q = single();
        q.answer = Answer::Choice(vec![4]);
        let p = only_problem(&q);
        assert_eq!(
            (p.field.as_str(), p.zh.as_str(), p.en.as_str()),
            (
                "答案",
                "答案 E 不在选项中",
                "Answer E is not among the options"
            )
        );

        q.answer = Answer::Choice(vec![]);
        assert_eq!(fields(&q), ["答案"]);
        q.answer = Answer::Choice(vec![0, 1]);
        assert!(
            only_problem(&q)
                .zh
                .contains("单选题只能有一个答案（现有 2 个）")
        );
        q.answer = Answer::Choice(vec![1, 1]);
        assert_eq!(only_problem(&q).zh, "答案 B 重复");
        q.answer = Answer::Choice(vec![200]);
        assert_eq!(only_problem(&q).en, "Answer #201 is not among the options");

        let mut q = multiple();
        q.answer = Answer::Choice(vec![1]);
        assert!(
            only_problem(&q)
                .zh
                .contains("多选题至少须有两个答案（现有 1 个）")
        );
        q.answer = Answer::Choice(vec![1, 1]);
        assert_eq!(check_question(&q).len(), 2);
        q.answer = Answer::Choice(vec![0, 5]);
        assert_eq!(only_problem(&q).zh, "答案 F 不在选项中");
        q.answer = Answer::Choice(vec![3, 0, 1, 2]);
        assert!(check_question(&q).is_empty());

        q.answer = Answer::TrueFalse(true);
        let p = only_problem(&q);
        assert_eq!(p.field, "答案");
        assert!(p.zh.starts_with("答案与题型不符"));
    }

    #[test]
    fn true_false_rules() {
        let mut q = true_false();
        q.options = strings(&["对", "错"]);
        let p = only_problem(&q);
        assert_eq!(
            (p.field.as_str(), p.zh.as_str(), p.en.as_str()),
            (
                "选项",
                "判断题不设选项",
                "A true/false question has no options"
            )
        );
        // Empty cells from a spreadsheet row are not options.
        q.options = strings(&["", " "]);
        assert!(check_question(&q).is_empty());
        q.options.clear();
        q.answer = Answer::Choice(vec![0]);
        assert!(only_problem(&q).zh.contains("答案与题型不符"));
    }

    #[test]
    fn fill_rules() {
        let mut q = fill();
        q.options = strings(&["x"]);
        assert_eq!(only_problem(&q).zh, "填空题不设选项");

        let mut q = fill();
        q.answer = Answer::Blanks(vec![]);
        assert_eq!(fields(&q), ["答案"]);
        q.answer = Answer::Blanks(vec![strings(&["a"]); MAX_BLANKS]);
        assert!(check_question(&q).is_empty());
        q.answer = Answer::Blanks(vec![strings(&["a"]); MAX_BLANKS + 1]);
        assert!(only_problem(&q).zh.contains("最多 10 个空（现有 11 个）"));

        q.answer = Answer::Blanks(vec![strings(&["a"]), vec![]]);
        assert_eq!(only_problem(&q).zh, "第 2 空没有答案");
        q.answer = Answer::Blanks(vec![strings(&["a", "  "])]);
        assert_eq!(only_problem(&q).zh, "第 1 空有空白的答案");
        q.answer = Answer::Blanks(vec![strings(&["。"])]);
        assert!(check_question(&q).is_empty());
        q.ignore_punctuation = true;
        assert!(only_problem(&q).zh.contains("去掉标点后为空"));
        q.answer = Answer::Blanks(vec![vec!["长".repeat(MAX_BLANK_CHARS + 1)]]);
        assert!(only_problem(&q).zh.contains("第 1 空的答案不能超过 200 字"));

        q.answer = Answer::TrueFalse(false);
        assert!(only_problem(&q).zh.starts_with("答案与题型不符"));
    }

    #[test]
    fn other_field_limits() {
        let mut q = single();
        q.explanation = "解".repeat(MAX_EXPLANATION_CHARS + 1);
        q.points = 0;
        q.difficulty = 6;
        q.topic = "知".repeat(51);
        q.lecturer = "讲".repeat(51);
        q.source = "源".repeat(201);
        assert_eq!(
            fields(&q),
            ["解析", "知识点", "讲师", "来源", "分值", "难度"]
        );
        q.points = 101;
        q.difficulty = 0;
        assert!(check_question(&q).iter().any(|p| p.zh.contains("现为 101")));
        let mut q = single();
        q.points = 100;
        q.difficulty = 5;
        q.topic = "知".repeat(50);
        assert!(check_question(&q).is_empty());
    }

    #[test]
    fn matching_forms() {
        assert_eq!(normalize_answer("ＡＢＣ", false), "abc");
        assert_eq!(normalize_answer("  中国 共产党 ", false), "中国 共产党");
        assert_eq!(
            normalize_answer("中国\u{3000}\t 共产党", false),
            "中国 共产党"
        );
        assert_eq!(normalize_answer("Zhōng GUÓ", false), "zhōng guó");
        assert_eq!(normalize_answer("ＺＨŌＮＧ", false), "zhōng");
        assert_eq!(normalize_answer("为人民服务。", false), "为人民服务。");
        assert_eq!(normalize_answer("为人民服务。", true), "为人民服务");
        assert_eq!(
            normalize_answer("“实事求是”，（群众路线）！ 《矛盾论》…—·～", true),
            "实事求是群众路线 矛盾论"
        );
        assert_eq!(normalize_answer("a , b", true), "a b");

        let accepted = strings(&["abc"]);
        assert!(blank_matches(&accepted, "ＡＢＣ", false));
        assert!(blank_matches(
            &strings(&["中国 共产党"]),
            "  中国 共产党 ",
            false
        ));
        let serve = strings(&["为人民服务"]);
        assert!(!blank_matches(&serve, "为人民服务。", false));
        assert!(blank_matches(&serve, "为人民服务。", true));
        assert!(!blank_matches(&serve, "为人民", true));
        // Empty never matches, not even a (wrongly) empty accepted answer.
        assert!(!blank_matches(&strings(&[""]), "  ", false));
    }

    #[test]
    fn response_shapes() {
        let q = single();
        assert!(check_response(&q, &Response::Choice(vec![])).is_ok());
        assert!(check_response(&q, &Response::Choice(vec![3])).is_ok());
        let (zh, en) = check_response(&q, &Response::Choice(vec![0, 1])).unwrap_err();
        assert!(zh.contains("只能选一个"), "{zh}");
        assert!(en.contains("only one"), "{en}");
        let (zh, _) = check_response(&q, &Response::Choice(vec![4])).unwrap_err();
        assert_eq!(zh, "没有选项 E");
        assert!(check_response(&q, &Response::TrueFalse(true)).is_err());

        let q = multiple();
        assert!(check_response(&q, &Response::Choice(vec![0, 1, 2, 3])).is_ok());
        let (zh, _) = check_response(&q, &Response::Choice(vec![1, 1])).unwrap_err();
        assert!(zh.contains("不止一次"));
        assert!(check_response(&q, &Response::Blanks(vec![])).is_err());

        let q = true_false();
        assert!(check_response(&q, &Response::TrueFalse(false)).is_ok());
        let (zh, en) = check_response(&q, &Response::Choice(vec![0])).unwrap_err();
        assert!(zh.contains("作答与题型（判断题）不符"), "{zh}");
        assert!(en.contains("does not fit"), "{en}");

        let q = fill();
        assert!(check_response(&q, &Response::Blanks(strings(&["", ""]))).is_ok());
        let (zh, en) = check_response(&q, &Response::Blanks(strings(&["a"]))).unwrap_err();
        assert_eq!(zh, "本题有 2 个空，作答了 1 个");
        assert_eq!(en, "This question has 2 blanks but 1 were answered");
        let long = Response::Blanks(vec!["a".to_owned(), "长".repeat(201)]);
        assert!(check_response(&q, &long).unwrap_err().0.contains("第 2 空"));
        let mut broken = fill();
        broken.answer = Answer::TrueFalse(true);
        assert!(check_response(&broken, &Response::Blanks(vec![])).is_err());
    }

    fn choice(indexes: &[u8]) -> Response {
        Response::Choice(indexes.to_vec())
    }

    #[test]
    fn scoring_single_and_true_false() {
        use MultiplePolicy::{AllOrNothing, Partial};
        let q = single();
        for policy in [AllOrNothing, Partial] {
            assert_eq!(score(&q, 200, policy, Some(&choice(&[0]))), 200);
            assert_eq!(score(&q, 200, policy, Some(&choice(&[1]))), 0);
            assert_eq!(score(&q, 200, policy, Some(&choice(&[]))), 0);
            assert_eq!(score(&q, 200, policy, None), 0);
            // Ill-shaped: two options on a single choice, or out of range.
            assert_eq!(score(&q, 200, policy, Some(&choice(&[0, 1]))), 0);
            assert_eq!(score(&q, 200, policy, Some(&choice(&[9]))), 0);
        }

        let q = true_false();
        assert_eq!(
            score(&q, 150, AllOrNothing, Some(&Response::TrueFalse(true))),
            150
        );
        assert_eq!(
            score(&q, 150, Partial, Some(&Response::TrueFalse(false))),
            0
        );
        assert_eq!(score(&q, 150, Partial, Some(&choice(&[0]))), 0);
    }

    #[test]
    fn scoring_multiple() {
        use MultiplePolicy::{AllOrNothing, Partial};
        let q = multiple(); // correct: A, C, D
        assert_eq!(score(&q, 300, AllOrNothing, Some(&choice(&[3, 0, 2]))), 300);
        assert_eq!(score(&q, 300, AllOrNothing, Some(&choice(&[0, 2]))), 0);
        assert_eq!(
            score(&q, 300, AllOrNothing, Some(&choice(&[0, 1, 2, 3]))),
            0
        );

        assert_eq!(score(&q, 300, Partial, Some(&choice(&[0, 2, 3]))), 300);
        assert_eq!(score(&q, 300, Partial, Some(&choice(&[0, 2]))), 200);
        assert_eq!(score(&q, 300, Partial, Some(&choice(&[3]))), 100);
        // Rounded down: 100 × 2 ÷ 3.
        assert_eq!(score(&q, 100, Partial, Some(&choice(&[0, 2]))), 66);
        // Any wrong option spoils it.
        assert_eq!(score(&q, 300, Partial, Some(&choice(&[0, 1]))), 0);
        assert_eq!(score(&q, 300, Partial, Some(&choice(&[]))), 0);
        assert_eq!(score(&q, 300, Partial, Some(&choice(&[0, 0]))), 0);
        assert_eq!(score(&q, 300, Partial, None), 0);
    }

    #[test]
    fn scoring_fill() {
        let blanks = |items: &[&str]| Response::Blanks(strings(items));
        let policy = MultiplePolicy::AllOrNothing;
        let q = fill();
        assert_eq!(
            score(&q, 200, policy, Some(&blanks(&["中共", "为人民服务"]))),
            200
        );
        assert_eq!(
            score(&q, 200, policy, Some(&blanks(&[" 中国共产党 ", "x"]))),
            100
        );
        assert_eq!(score(&q, 200, policy, Some(&blanks(&["", ""]))), 0);
        assert_eq!(score(&q, 200, policy, Some(&blanks(&["中共"]))), 0);
        assert_eq!(
            score(&q, 200, policy, Some(&blanks(&["中共", "为人民服务。"]))),
            100
        );
        let mut lenient = fill();
        lenient.ignore_punctuation = true;
        assert_eq!(
            score(
                &lenient,
                200,
                policy,
                Some(&blanks(&["中共", "为人民服务。"]))
            ),
            200
        );

        let mut three = fill();
        three.answer = Answer::Blanks(vec![strings(&["a"]), strings(&["b"]), strings(&["c"])]);
        assert_eq!(
            score(&three, 100, policy, Some(&blanks(&["A", "x", "Ｃ"]))),
            66
        );
        assert_eq!(
            score(&three, 100, policy, Some(&blanks(&["a", "b", "c"]))),
            100
        );
    }

    #[test]
    fn ill_formed_questions_score_nothing() {
        let mut q = single();
        q.answer = Answer::Blanks(vec![strings(&["a"])]);
        assert_eq!(
            score(&q, 100, MultiplePolicy::Partial, Some(&choice(&[0]))),
            0
        );
        q.answer = Answer::Choice(vec![]);
        assert_eq!(
            score(&q, 100, MultiplePolicy::Partial, Some(&choice(&[]))),
            0
        );
    }

    #[test]
    fn texts() {
        assert_eq!(answer_text_zh(&single()), "A");
        assert_eq!(answer_text_zh(&multiple()), "A、C、D");
        assert_eq!(answer_text_en(&multiple()), "A, C, D");
        assert_eq!(answer_text_zh(&true_false()), "正确");
        assert_eq!(answer_text_en(&true_false()), "True");
        assert_eq!(answer_text_zh(&fill()), "中国共产党 / 中共；为人民服务");
        assert_eq!(answer_text_en(&fill()), "中国共产党 / 中共; 为人民服务");

        let q = multiple();
        assert_eq!(response_text_zh(&q, None), "");
        assert_eq!(response_text_zh(&q, Some(&choice(&[]))), "");
        assert_eq!(response_text_zh(&q, Some(&choice(&[3, 1]))), "B、D");
        let q = true_false();
        assert_eq!(
            response_text_zh(&q, Some(&Response::TrueFalse(false))),
            "错误"
        );
        assert_eq!(
            response_text_en(&q, Some(&Response::TrueFalse(false))),
            "False"
        );
        let q = fill();
        let given = Response::Blanks(strings(&[" 中共 ", ""]));
        assert_eq!(response_text_zh(&q, Some(&given)), "中共；（空）");
        assert_eq!(response_text_en(&q, Some(&given)), "中共; (empty)");
        let blank = Response::Blanks(strings(&["", " "]));
        assert_eq!(response_text_zh(&q, Some(&blank)), "");
    }

    #[test]
    fn tidy_stores_the_clean_form() {
        let mut q = single();
        q.stem = "  第一行  \r\n  第二行\t\n\n".to_owned();
        q.options = strings(&[" 北京 ", "上海", "", "  "]);
        q.answer = Answer::Choice(vec![1, 0, 1]);
        q.explanation = " 解析 ".to_owned();
        q.topic = " 党史 ".to_owned();
        q.lecturer = "\t王老师 ".to_owned();
        q.source = " 教材 ".to_owned();
        let t = tidy(q);
        assert_eq!(t.stem, "第一行\n  第二行");
        assert_eq!(t.options, strings(&["北京", "上海"]));
        assert_eq!(t.answer, Answer::Choice(vec![0, 1]));
        assert_eq!(
            (
                t.explanation.as_str(),
                t.topic.as_str(),
                t.lecturer.as_str(),
                t.source.as_str()
            ),
            ("解析", "党史", "王老师", "教材")
        );
        // Interior empty options stay, so the checker can name them.
        let mut q = single();
        q.options = strings(&["a", "", "c"]);
        assert_eq!(tidy(q).options, strings(&["a", "", "c"]));

        let mut q = fill();
        q.answer = Answer::Blanks(vec![strings(&[" a ", "b\u{3000}"])]);
        assert_eq!(tidy(q).answer, Answer::Blanks(vec![strings(&["a", "b"])]));
    }

    // ----- properties -----

    fn any_kind() -> impl Strategy<Value = QuestionKind> {
        prop::sample::select(QuestionKind::ALL.to_vec())
    }

    fn messy_text() -> impl Strategy<Value = String> {
        r"[aAｂＢ中国 \u{3000}，。!?“”\t\r\n*]{0,12}"
    }

    fn any_answer() -> impl Strategy<Value = Answer> {
        prop_oneof![
            prop::collection::vec(0u8..8, 0..5).prop_map(Answer::Choice),
            any::<bool>().prop_map(Answer::TrueFalse),
            prop::collection::vec(prop::collection::vec(messy_text(), 0..3), 0..4)
                .prop_map(Answer::Blanks),
        ]
    }

    fn any_response() -> impl Strategy<Value = Response> {
        prop_oneof![
            prop::collection::vec(0u8..8, 0..5).prop_map(Response::Choice),
            any::<bool>().prop_map(Response::TrueFalse),
            prop::collection::vec(messy_text(), 0..4).prop_map(Response::Blanks),
        ]
    }

    prop_compose! {
        fn any_question()(
            kind in any_kind(),
            stem in messy_text(),
            options in prop::collection::vec(messy_text(), 0..8),
            answer in any_answer(),
            explanation in messy_text(),
            points in 0u32..120,
            difficulty in 0u8..7,
            topic in messy_text(),
            ignore_punctuation in any::<bool>(),
        ) -> Question {
            Question {
                name: String::new(),
                kind,
                stem,
                options,
                answer,
                explanation,
                points,
                difficulty,
                topic,
                lecturer: String::new(),
                source: String::new(),
                ignore_punctuation,
            }
        }
    }

    fn accepted_answer() -> impl Strategy<Value = String> {
        // Always ends in a letter, so it never normalizes to nothing.
        r"[ aAＡ中国，。\u{3000}]{0,8}[bＢ党]"
    }

    /// Valid questions of every kind, built to pass the checker.
    fn valid_question() -> impl Strategy<Value = Question> {
        let choice = (
            2usize..=6,
            any::<bool>(),
            prop::collection::vec(any::<bool>(), 6),
        )
            .prop_map(|(n, multi, mask)| {
                let n = if multi { n.max(3) } else { n };
                let options: Vec<String> = (0..n).map(|i| format!(" 选项{i} ")).collect();
                let (kind, answer) = if multi {
                    let mut picked: Vec<u8> =
                        (0..n).filter(|&i| mask[i]).map(|i| i as u8).collect();
                    if picked.len() < 2 {
                        picked = vec![1, 0];
                    }
                    (QuestionKind::Multiple, picked)
                } else {
                    let right = mask.iter().position(|&m| m).unwrap_or(0) % n;
                    (QuestionKind::Single, vec![right as u8])
                };
                (kind, options, Answer::Choice(answer))
            });
        let true_false = any::<bool>().prop_map(|value| {
            (
                QuestionKind::TrueFalse,
                Vec::new(),
                Answer::TrueFalse(value),
            )
        });
        let fill = prop::collection::vec(
            prop::collection::vec(accepted_answer(), 1..3),
            1..=MAX_BLANKS,
        )
        .prop_map(|blanks| (QuestionKind::Fill, Vec::new(), Answer::Blanks(blanks)));
        (
            prop_oneof![choice, true_false, fill],
            r"[a-z中 ]{0,20}[a-z中]",
            1u32..=100,
            1u8..=5,
            any::<bool>(),
        )
            .prop_map(
                |((kind, options, answer), stem, points, difficulty, ignore)| Question {
                    name: String::new(),
                    kind,
                    stem,
                    options,
                    answer,
                    explanation: "因为".to_owned(),
                    points,
                    difficulty,
                    topic: String::new(),
                    lecturer: String::new(),
                    source: String::new(),
                    ignore_punctuation: ignore,
                },
            )
    }

    /// The response a learner who knows the answer gives.
    fn perfect_response(q: &Question) -> Response {
        match &q.answer {
            Answer::Choice(indexes) => Response::Choice(indexes.clone()),
            Answer::TrueFalse(value) => Response::TrueFalse(*value),
            Answer::Blanks(blanks) => Response::Blanks(
                blanks
                    .iter()
                    .map(|accepted| accepted[accepted.len() - 1].clone())
                    .collect(),
            ),
        }
    }

    proptest! {
        #[test]
        fn normalizing_is_idempotent(text in any::<String>(), ignore in any::<bool>()) {
            let once = normalize_answer(&text, ignore);
            prop_assert_eq!(normalize_answer(&once, ignore), once.clone());
            prop_assert_eq!(once.trim(), once.as_str());
            prop_assert!(!once.contains("  "));
        }

        #[test]
        fn normalizing_cjk_text_is_idempotent(
            text in r"[ＡａAé É\u{3000}，。、“”（）【】…—·～!-~中文]{0,20}",
            ignore in any::<bool>(),
        ) {
            let once = normalize_answer(&text, ignore);
            prop_assert_eq!(normalize_answer(&once, ignore), once);
        }

        #[test]
        fn score_never_exceeds_points(
            q in any_question(),
            r in any_response(),
            points in 0u32..100_000,
            partial in any::<bool>(),
        ) {
            let policy = if partial { MultiplePolicy::Partial } else { MultiplePolicy::AllOrNothing };
            prop_assert!(score(&q, points, policy, Some(&r)) <= points);
            prop_assert!(score(&tidy(q), points, policy, Some(&r)) <= points);
        }

        #[test]
        fn the_answer_scores_full_points(
            q in valid_question(),
            points in 0u32..100_000,
            partial in any::<bool>(),
        ) {
            let policy = if partial { MultiplePolicy::Partial } else { MultiplePolicy::AllOrNothing };
            prop_assert_eq!(check_question(&q), vec![]);
            let tidied = tidy(q.clone());
            prop_assert_eq!(check_question(&tidied), vec![]);
            for q in [q, tidied] {
                let r = perfect_response(&q);
                prop_assert!(check_response(&q, &r).is_ok());
                prop_assert_eq!(score(&q, points, policy, Some(&r)), points);
            }
        }

        #[test]
        fn tidy_is_idempotent(q in any_question()) {
            let once = tidy(q);
            prop_assert_eq!(tidy(once.clone()), once);
        }

        #[test]
        fn tidy_keeps_valid_questions_valid(q in valid_question()) {
            prop_assert_eq!(check_question(&tidy(q)), vec![]);
        }
    }
}
