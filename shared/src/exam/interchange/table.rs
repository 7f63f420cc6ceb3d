//! The academy's question template: one row per question, as an .xlsx sheet
//! or a CSV file (the app turns either into rows of cells).
//!
//! Carries every kind and every field exactly, except the name (the template
//! has no column for it: imported questions have none).

use super::{
    DEFAULT_DIFFICULTY, DEFAULT_POINTS, Parsed, bad_difficulty, bad_points, bad_yes_no,
    blank_question, choice_letters, field, letters, whole_number, yes_no, yes_no_text,
};
use crate::exam::{Answer, Question, QuestionKind};
use crate::roster::RowProblem;

/// Template columns in order.
pub const COLUMNS: [&str; 16] = [
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "选项F",
    "答案",
    "解析",
    "分值",
    "难度",
    "知识点",
    "讲师",
    "来源",
    "忽略标点",
];

const KIND: usize = 0;
const STEM: usize = 1;
const OPTION_A: usize = 2;
const ANSWER: usize = 8;
const EXPLANATION: usize = 9;
const POINTS: usize = 10;
const DIFFICULTY: usize = 11;
const TOPIC: usize = 12;
const LECTURER: usize = 13;
const SOURCE: usize = 14;
const IGNORE_PUNCTUATION: usize = 15;

/// Columns a sheet must have.
const REQUIRED: [usize; 3] = [KIND, STEM, ANSWER];

/// Other headers people give these columns.
const ALIASES: [(&str, usize); 22] = [
    ("类型", KIND),
    ("题目类型", KIND),
    ("试题类型", KIND),
    ("题目", STEM),
    ("试题", STEM),
    ("题目内容", STEM),
    ("A", OPTION_A),
    ("B", OPTION_A + 1),
    ("C", OPTION_A + 2),
    ("D", OPTION_A + 3),
    ("E", OPTION_A + 4),
    ("F", OPTION_A + 5),
    ("正确答案", ANSWER),
    ("参考答案", ANSWER),
    ("答案解析", EXPLANATION),
    ("试题解析", EXPLANATION),
    ("分数", POINTS),
    ("难易度", DIFFICULTY),
    ("难易程度", DIFFICULTY),
    ("授课讲师", LECTURER),
    ("出处", SOURCE),
    ("题目来源", SOURCE),
];

/// How to write the 答案 column, for the template's instructions.
pub const ANSWER_HELP_ZH: &str = "答案的写法：单选题写一个选项字母，如 A；多选题写两个以上字母，如 ACD（也可写成 A,C,D 或 A、C、D）；\
判断题写“正确”或“错误”（也可写 对/错、√/×）；填空题按空的顺序写，各空之间用竖线“|”分隔，\
同一个空有几种可接受的答案时用斜杠“/”分隔，如：四项基本原则|改革开放/改革开放政策。\
答案本身含有 |、/ 或 \\ 时，在它前面加一个反斜杠 \\，如 1\\/2 表示“1/2”。\
分值为 1–100 的整数，不填为 5；难度为 1（最易）–5（最难），不填为 3；忽略标点填“是”或“否”，不填为“否”。";

/// [`ANSWER_HELP_ZH`] in English.
pub const ANSWER_HELP_EN: &str = "How to write the answer: single choice: one option letter, such as A; multiple choice: two or more letters, \
such as ACD (or A,C,D or A、C、D); true/false: 正确 (true) or 错误 (false) (对/错, √/× and True/False work too); \
fill-in: the blanks in order, separated by a vertical bar “|”; several accepted answers of one blank are separated by a slash “/”, \
e.g. 四项基本原则|改革开放/改革开放政策. An answer that itself contains |, / or \\ needs a backslash \\ before that character: \
1\\/2 means “1/2”. Points: a whole number from 1 to 100, 5 when empty; difficulty: 1 (easiest) to 5 (hardest), 3 when empty; \
ignore punctuation: 是 (yes) or 否 (no), no when empty.";

fn header_matches(cell: &str, column: usize) -> bool {
    let cell = cell.trim().trim_start_matches(['*', '＊']).trim();
    cell.eq_ignore_ascii_case(COLUMNS[column])
        || ALIASES
            .iter()
            .any(|&(alias, c)| c == column && cell.eq_ignore_ascii_case(alias))
}

/// Reads a sheet whose first row is the header. Columns are found by name in
/// any order (headers trimmed, a leading `*` ignored); 题型, 题干 and 答案 are
/// required. Row numbers are spreadsheet rows (the header is row 1); empty
/// rows are skipped.
pub fn parse_rows(rows: &[Vec<String>]) -> Parsed {
    let mut parsed = Parsed::default();
    let Some(header) = rows.first() else {
        parsed.problem(1, "", "文件是空的".into(), "The file is empty".into());
        return parsed;
    };
    let mut position: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
    for (at, cell) in header.iter().enumerate() {
        let name = cell.trim();
        if name.is_empty() {
            continue;
        }
        match (0..COLUMNS.len()).find(|&c| header_matches(cell, c)) {
            Some(column) if position[column].is_none() => position[column] = Some(at),
            Some(column) => parsed.problem(
                1,
                COLUMNS[column],
                format!("“{}”列出现了不止一次，只读取第一列", COLUMNS[column]),
                format!(
                    "The column “{}” appears more than once; only the first is read",
                    COLUMNS[column]
                ),
            ),
            None => parsed.problem(
                1,
                name,
                format!("无法识别的列“{name}”，该列被忽略（请使用下载的模板）"),
                format!("Unknown column “{name}” is ignored (please use the template)"),
            ),
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|&&c| position[c].is_none())
        .map(|&c| COLUMNS[c])
        .collect();
    if !missing.is_empty() {
        let names = missing.join("、");
        let names_en = missing.join(", ");
        parsed.problem(
            1,
            &names,
            format!("缺少“{names}”列，请使用下载的模板"),
            format!("Missing column(s) {names_en}; please use the template"),
        );
        return parsed;
    }

    for (index, cells) in rows.iter().enumerate().skip(1) {
        let row = index + 1;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |column: usize| -> &str {
            position[column]
                .and_then(|at| cells.get(at))
                .map_or("", String::as_str)
        };
        read_row(&mut parsed, row, &cell);
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

fn read_row<'a>(parsed: &mut Parsed, row: usize, cell: &dyn Fn(usize) -> &'a str) {
    let mut local: Vec<RowProblem> = Vec::new();
    let mut problem = |(column, zh, en): (&str, String, String)| {
        local.push(RowProblem::new(row, column, zh, en));
    };

    let kind_text = cell(KIND).trim();
    let kind = if kind_text.is_empty() {
        problem((
            field::KIND,
            "请填写题型（单选题、多选题、判断题或填空题）".into(),
            "Give the question type (单选题, 多选题, 判断题 or 填空题)".into(),
        ));
        None
    } else {
        let kind = QuestionKind::parse_label(kind_text);
        if kind.is_none() {
            problem((
                field::KIND,
                format!("无法识别的题型“{kind_text}”（应为单选题、多选题、判断题或填空题）"),
                format!(
                    "Unknown question type “{kind_text}” (use 单选题, 多选题, 判断题 or 填空题)"
                ),
            ));
        }
        kind
    };

    let points = match cell(POINTS).trim() {
        "" => DEFAULT_POINTS,
        text => whole_number(text)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or_else(|| {
                problem(bad_points(text));
                DEFAULT_POINTS
            }),
    };
    let difficulty = match cell(DIFFICULTY).trim() {
        "" => DEFAULT_DIFFICULTY,
        text => whole_number(text)
            .and_then(|n| u8::try_from(n).ok())
            .unwrap_or_else(|| {
                problem(bad_difficulty(text));
                DEFAULT_DIFFICULTY
            }),
    };
    let ignore_punctuation = match cell(IGNORE_PUNCTUATION).trim() {
        "" => false,
        text => yes_no(text).unwrap_or_else(|| {
            problem(bad_yes_no(text));
            false
        }),
    };

    let Some(kind) = kind else {
        parsed.problems.extend(local);
        return;
    };
    let answer_text = cell(ANSWER).trim();
    let answer = match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            Answer::Choice(choice_letters(answer_text).unwrap_or_else(|| {
                problem((
                    field::ANSWER,
                    format!("无法识别的答案“{answer_text}”：选择题请写选项字母，如 A 或 ACD"),
                    format!(
                        "Unrecognised answer “{answer_text}”: give option letters such as A or ACD"
                    ),
                ));
                Vec::new()
            }))
        }
        QuestionKind::TrueFalse => Answer::TrueFalse(yes_no(answer_text).unwrap_or_else(|| {
            if answer_text.is_empty() {
                problem((
                    field::ANSWER,
                    "请填写答案：“正确”或“错误”".into(),
                    "Give the answer: 正确 (true) or 错误 (false)".into(),
                ));
            } else {
                problem((
                    field::ANSWER,
                    format!("无法识别的答案“{answer_text}”：判断题请写“正确”或“错误”"),
                    format!(
                        "Unrecognised answer “{answer_text}”: give 正确 (true) or 错误 (false)"
                    ),
                ));
            }
            false
        })),
        QuestionKind::Fill if answer_text.is_empty() => Answer::Blanks(Vec::new()),
        QuestionKind::Fill => Answer::Blanks(parse_blanks(answer_text)),
    };

    let mut q = blank_question(kind, answer);
    cell(STEM).clone_into(&mut q.stem);
    q.options = (OPTION_A..OPTION_A + 6)
        .map(|c| cell(c).to_owned())
        .collect();
    cell(EXPLANATION).clone_into(&mut q.explanation);
    q.points = points;
    q.difficulty = difficulty;
    cell(TOPIC).clone_into(&mut q.topic);
    cell(LECTURER).clone_into(&mut q.lecturer);
    cell(SOURCE).clone_into(&mut q.source);
    q.ignore_punctuation = ignore_punctuation;
    parsed.accept(row, q, local);
}

/// Blanks separated by `|` (or `｜`), accepted answers of a blank by `/`; a
/// backslash makes the next character literal. Empty alternatives are dropped.
fn parse_blanks(text: &str) -> Vec<Vec<String>> {
    let mut blanks: Vec<Vec<String>> = vec![Vec::new()];
    let mut current = String::new();
    fn finish(blanks: &mut [Vec<String>], current: &mut String) {
        let answer = current.trim();
        if !answer.is_empty()
            && let Some(blank) = blanks.last_mut()
        {
            blank.push(answer.to_owned());
        }
        current.clear();
    }
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.push(chars.next().unwrap_or('\\')),
            '|' | '｜' => {
                finish(&mut blanks, &mut current);
                blanks.push(Vec::new());
            }
            '/' => finish(&mut blanks, &mut current),
            c => current.push(c),
        }
    }
    finish(&mut blanks, &mut current);
    blanks
}

fn blanks_text(blanks: &[Vec<String>]) -> String {
    blanks
        .iter()
        .map(|accepted| {
            accepted
                .iter()
                .map(|answer| {
                    let mut escaped = String::with_capacity(answer.len());
                    for c in answer.chars() {
                        if matches!(c, '\\' | '|' | '｜' | '/') {
                            escaped.push('\\');
                        }
                        escaped.push(c);
                    }
                    escaped
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect::<Vec<_>>()
        .join("|")
}

fn header() -> Vec<String> {
    COLUMNS.iter().map(|&c| c.to_owned()).collect()
}

fn row_of(q: &Question) -> Vec<String> {
    let mut row = Vec::with_capacity(COLUMNS.len());
    row.push(q.kind.label_zh().to_owned());
    row.push(q.stem.clone());
    for i in 0..6 {
        row.push(q.options.get(i).cloned().unwrap_or_default());
    }
    row.push(match &q.answer {
        Answer::Choice(indexes) => letters(indexes),
        Answer::TrueFalse(true) => "正确".to_owned(),
        Answer::TrueFalse(false) => "错误".to_owned(),
        Answer::Blanks(blanks) => blanks_text(blanks),
    });
    row.push(q.explanation.clone());
    row.push(q.points.to_string());
    row.push(q.difficulty.to_string());
    row.push(q.topic.clone());
    row.push(q.lecturer.clone());
    row.push(q.source.clone());
    row.push(if q.ignore_punctuation || q.kind == QuestionKind::Fill {
        yes_no_text(q.ignore_punctuation).to_owned()
    } else {
        String::new()
    });
    row
}

/// The header and one row per question: `parse_rows(&to_rows(qs))` gives back
/// `qs` exactly (for valid, tidy questions).
pub fn to_rows(questions: &[Question]) -> Vec<Vec<String>> {
    std::iter::once(header())
        .chain(questions.iter().map(row_of))
        .collect()
}

/// The header and four example rows, one of each kind, all valid.
pub fn template_rows() -> Vec<Vec<String>> {
    let strings = |items: &[&str]| items.iter().map(|&s| s.to_owned()).collect::<Vec<_>>();
    let example = |kind, stem: &str, options: &[&str], answer, explanation: &str, topic: &str| {
        let mut q = blank_question(kind, answer);
        q.stem = stem.to_owned();
        q.options = strings(options);
        q.explanation = explanation.to_owned();
        q.topic = topic.to_owned();
        q.source = "《中国共产党章程》".to_owned();
        q
    };
    let mut single = example(
        QuestionKind::Single,
        "中国共产党的根本宗旨是（  ）。",
        &[
            "全心全意为人民服务",
            "实现共产主义",
            "发展社会生产力",
            "坚持党的领导",
        ],
        Answer::Choice(vec![0]),
        "党章总纲指出：党除了工人阶级和最广大人民群众的利益，没有自己特殊的利益。党的根本宗旨是全心全意为人民服务。",
        "党章",
    );
    single.difficulty = 2;
    let mut multiple = example(
        QuestionKind::Multiple,
        "党的思想路线包括（  ）。",
        &[
            "一切从实际出发",
            "理论联系实际",
            "实事求是",
            "在实践中检验真理和发展真理",
            "照搬照抄书本",
        ],
        Answer::Choice(vec![0, 1, 2, 3]),
        "党的思想路线是一切从实际出发，理论联系实际，实事求是，在实践中检验真理和发展真理。",
        "党的思想路线",
    );
    multiple.points = 10;
    let mut true_false = example(
        QuestionKind::TrueFalse,
        "预备党员的预备期为一年。",
        &[],
        Answer::TrueFalse(true),
        "党章第七条规定：预备党员的预备期为一年。",
        "党员发展",
    );
    true_false.points = 2;
    true_false.difficulty = 1;
    let mut fill = example(
        QuestionKind::Fill,
        "党在社会主义初级阶段基本路线中的“两个基本点”是：坚持____，坚持____。",
        &[],
        Answer::Blanks(vec![
            vec!["四项基本原则".to_owned()],
            vec!["改革开放".to_owned(), "改革开放政策".to_owned()],
        ]),
        "“一个中心、两个基本点”：以经济建设为中心，坚持四项基本原则，坚持改革开放。",
        "党的基本路线",
    );
    fill.difficulty = 4;
    fill.ignore_punctuation = true;
    fill.lecturer = "王老师".to_owned();
    to_rows(&[single, multiple, true_false, fill])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testing::{Shape, questions};
    use super::*;
    use crate::exam::question::check_question;
    use proptest::prelude::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|s| (*s).to_owned()).collect())
            .collect()
    }

    const HEADER: &[&str] = &[
        "题型", "题干", "选项A", "选项B", "选项C", "答案", "分值", "难度",
    ];

    fn at(parsed: &Parsed) -> Vec<(usize, &str)> {
        parsed
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect()
    }

    #[test]
    fn template_rows_are_valid_and_read_back() {
        let rows = template_rows();
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0], header());
        let parsed = parse_rows(&rows);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let kinds: Vec<QuestionKind> = parsed.questions.iter().map(|(_, q)| q.kind).collect();
        assert_eq!(kinds, QuestionKind::ALL.to_vec());
        for (_, q) in &parsed.questions {
            assert!(check_question(q).is_empty());
        }
        assert_eq!(
            to_rows(
                &parsed
                    .questions
                    .iter()
                    .map(|(_, q)| q.clone())
                    .collect::<Vec<_>>()
            ),
            rows
        );
    }

    #[test]
    fn good_rows_read_with_defaults_and_spreadsheet_numbers() {
        let rows = sheet(&[
            &[
                "*题型 ",
                "选项B",
                "*题干",
                "选项A",
                "答案",
                "分值",
                "难度",
                "忽略标点",
            ],
            &["单选", "上海", "首都是", "北京", "ａ", "5.0", "", ""],
            &[],
            &["", "", "", "", "", "", "", ""],
            &["判断题", "", "对吗", "", "√", "", "2", ""],
            &[
                "填空",
                "",
                "填____和____",
                "",
                "a\\/b/c | d｜",
                "",
                "",
                "是",
            ],
            &["多选题", "乙", "选两个", "甲", "A、B", "", "", ""],
        ]);
        let parsed = parse_rows(&rows);
        // The last two rows: the fill's third blank is empty; the multiple has too few options.
        assert_eq!(at(&parsed), vec![(6, "答案"), (7, "选项")]);
        let rows_read: Vec<usize> = parsed.questions.iter().map(|(row, _)| *row).collect();
        assert_eq!(rows_read, vec![2, 5]);
        let (_, single) = &parsed.questions[0];
        assert_eq!(single.options, vec!["北京", "上海"]);
        assert_eq!(single.answer, Answer::Choice(vec![0]));
        assert_eq!(single.points, 5);
        assert_eq!(single.difficulty, 3);
        let (_, tf) = &parsed.questions[1];
        assert_eq!(tf.answer, Answer::TrueFalse(true));
        assert_eq!(tf.difficulty, 2);

        let fixed = sheet(&[
            &["题型", "题干", "答案", "忽略标点"],
            &["填空", "填____和____", "a\\/b/c | d", "是"],
        ]);
        let parsed = parse_rows(&fixed);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let (_, fill) = &parsed.questions[0];
        assert_eq!(
            fill.answer,
            Answer::Blanks(vec![
                vec!["a/b".to_owned(), "c".to_owned()],
                vec!["d".to_owned()]
            ])
        );
        assert!(fill.ignore_punctuation);
    }

    #[test]
    fn missing_required_columns_are_one_problem_naming_them() {
        let parsed = parse_rows(&sheet(&[&["题干", "选项A"], &["x", "y"]]));
        assert!(parsed.questions.is_empty());
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].row, 1);
        assert!(parsed.problems[0].reason_zh.contains("题型、答案"));
        assert!(parsed.problems[0].reason_en.contains("题型, 答案"));
    }

    #[test]
    fn unknown_and_repeated_columns_are_reported_but_not_fatal() {
        let parsed = parse_rows(&sheet(&[
            &["题型", "题干", "答案", "备注", "题干", ""],
            &["判断题", "对吗", "错", "随便", "另一个", ""],
        ]));
        assert_eq!(at(&parsed), vec![(1, "备注"), (1, "题干")]);
        assert_eq!(parsed.questions.len(), 1);
        assert_eq!(parsed.questions[0].1.stem, "对吗");
        assert!(parsed.problems[0].reason_zh.contains("无法识别的列“备注”"));
    }

    #[test]
    fn bad_cells_are_reported_by_row_and_column() {
        let rows = sheet(&[
            HEADER,
            &["单选题", "", "甲", "乙", "", "A", "", ""],
            &["单选题", "题", "甲", "乙", "", "E", "", ""],
            &["单选题", "题", "甲", "甲 ", "", "A", "", ""],
            &["多选题", "题", "甲", "乙", "", "AB", "", ""],
            &["问答题", "题", "", "", "", "答", "", ""],
            &["单选题", "题", "甲", "乙", "", "A", "五", "3.5"],
            &["单选题", "题", "甲", "乙", "", "A", "0", "9"],
            &["判断题", "题", "", "", "", "也许", "", ""],
            &["单选题", "题", "甲", "乙", "", "A1", "", ""],
            &["单选题", "题", "甲", "乙", "", "AB", "", ""],
            &["判断题", "题", "甲", "", "", "对", "", ""],
            &["", "题", "甲", "乙", "", "A", "", ""],
            &["填空题", "题", "", "", "", "", "", ""],
        ]);
        let parsed = parse_rows(&rows);
        assert!(parsed.questions.is_empty(), "{:?}", parsed.questions);
        assert_eq!(
            at(&parsed),
            vec![
                (2, "题干"),
                (3, "答案"),
                (4, "选项B"),
                (5, "选项"),
                (6, "题型"),
                (7, "分值"),
                (7, "难度"),
                (8, "分值"),
                (8, "难度"),
                (9, "答案"),
                (10, "答案"),
                (11, "答案"),
                (12, "选项"),
                (13, "题型"),
                (14, "答案"),
            ]
        );
        let reason = |row: usize| {
            parsed
                .problems
                .iter()
                .find(|p| p.row == row)
                .map(|p| (p.reason_zh.as_str(), p.reason_en.as_str()))
                .unwrap()
        };
        assert_eq!(reason(3).0, "答案 E 不在选项中");
        assert!(reason(4).0.contains("重复"), "{:?}", reason(4));
        assert!(reason(5).0.contains("3–6 个选项"), "{:?}", reason(5));
        assert!(reason(6).0.contains("问答题"));
        assert!(reason(7).0.contains("“五”"));
        assert!(reason(7).1.contains("“五”"));
        assert!(reason(10).0.contains("A1"));
    }

    #[test]
    fn empty_input_is_a_problem_not_a_panic() {
        assert_eq!(parse_rows(&[]).problems.len(), 1);
        let header_only = parse_rows(&sheet(&[&COLUMNS]));
        assert_eq!(header_only.problems.len(), 1);
        assert!(header_only.problems[0].reason_zh.contains("没有试题"));
    }

    #[test]
    fn fill_answers_escape_their_separators() {
        let blanks = vec![
            vec!["1/2".to_owned(), "a|b".to_owned(), "c\\d".to_owned()],
            vec!["全角｜竖线".to_owned()],
        ];
        let text = blanks_text(&blanks);
        assert_eq!(text, "1\\/2/a\\|b/c\\\\d|全角\\｜竖线");
        assert_eq!(parse_blanks(&text), blanks);
        assert_eq!(parse_blanks("a\\"), vec![vec!["a\\".to_owned()]]);
    }

    proptest! {
        #[test]
        fn rows_round_trip(qs in questions(Shape {
            kinds: &QuestionKind::ALL,
            lines: 3,
            one_blank: false,
            metadata: true,
            names: false,
        })) {
            let parsed = parse_rows(&to_rows(&qs));
            if qs.is_empty() {
                prop_assert_eq!(parsed.problems.len(), 1);
            } else {
                prop_assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
            }
            let rows: Vec<usize> = parsed.questions.iter().map(|(row, _)| *row).collect();
            prop_assert_eq!(rows, (2..qs.len() + 2).collect::<Vec<_>>());
            let back: Vec<Question> = parsed.questions.into_iter().map(|(_, q)| q).collect();
            prop_assert_eq!(back, qs);
        }

        #[test]
        fn any_cells_never_panic(rows in prop::collection::vec(
            prop::collection::vec(any::<String>(), 0..18), 0..5,
        )) {
            let _ = parse_rows(&rows);
            let mut with_header = vec![header()];
            with_header.extend(rows);
            let _ = parse_rows(&with_header);
        }

        #[test]
        fn plausible_cells_never_panic(rows in prop::collection::vec(
            prop::collection::vec(r"(单选|多选|判断|填空|[A-Fa-f,、|/\\ 0-9.正确错误是否]{0,8})", 16), 0..5,
        )) {
            let mut with_header = vec![header()];
            with_header.extend(rows);
            let _ = parse_rows(&with_header);
        }
    }
}
