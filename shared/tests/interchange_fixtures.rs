//! The constructs of Moodle's own GIFT and Moodle XML test fixtures, and
//! Aiken samples, rewritten in our own words under `tests/fixtures/`. Each
//! question is either imported as Moodle means it (and scores as its author
//! meant) or reported as unsupported with the reason; and what was imported
//! comes back unchanged through export and import again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use academy_shared::exam::interchange::{Parsed, aiken, gift, moodle_xml};
use academy_shared::exam::{Answer, Question, QuestionKind};

const GIFT: &str = include_str!("fixtures/moodle_constructs.gift.txt");
const XML: &str = include_str!("fixtures/moodle_constructs.xml");
const AIKEN: &str = include_str!("fixtures/aiken_samples.txt");

/// What one question of a fixture must become.
enum Outcome {
    /// Imported exactly so, with no problem.
    Imported(Question),
    /// Imported so, with one note: images on this field became "[图片]".
    WithImages(Question, &'static str),
    /// Left out; its first problem is on this field and says these words
    /// (Chinese, English).
    Refused(&'static str, &'static str, &'static str),
}

use Outcome::{Imported, Refused, WithImages};

fn question(
    name: &str,
    kind: QuestionKind,
    stem: &str,
    options: &[&str],
    answer: Answer,
) -> Question {
    Question {
        name: name.to_owned(),
        kind,
        stem: stem.to_owned(),
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        answer,
        explanation: String::new(),
        points: 5,
        difficulty: 3,
        topic: String::new(),
        lecturer: String::new(),
        source: String::new(),
        ignore_punctuation: false,
    }
}

fn single(name: &str, stem: &str, options: &[&str], right: u8) -> Question {
    question(
        name,
        QuestionKind::Single,
        stem,
        options,
        Answer::Choice(vec![right]),
    )
}

fn true_false(name: &str, stem: &str, value: bool) -> Question {
    question(
        name,
        QuestionKind::TrueFalse,
        stem,
        &[],
        Answer::TrueFalse(value),
    )
}

fn fill(name: &str, stem: &str, accepted: &[&str]) -> Question {
    let accepted = accepted.iter().map(|a| (*a).to_owned()).collect();
    question(
        name,
        QuestionKind::Fill,
        stem,
        &[],
        Answer::Blanks(vec![accepted]),
    )
}

fn with(mut q: Question, change: impl FnOnce(&mut Question)) -> Question {
    change(&mut q);
    q
}

/// The 1-based line holding `marker`, or, with `opening`, the nearest line
/// at or above it holding `opening` (a Moodle XML question's `<question`).
fn row_of(text: &str, marker: &str, opening: Option<&str>) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("{marker} is not in the fixture"));
    let at = match opening {
        Some(opening) => (0..=at)
            .rev()
            .find(|&i| lines[i].contains(opening))
            .unwrap_or_else(|| panic!("no {opening} above {marker}")),
        None => at,
    };
    at + 1
}

fn check(text: &str, parsed: &Parsed, opening: Option<&str>, expected: Vec<(&str, Outcome)>) {
    let mut imported = 0;
    for (marker, outcome) in expected {
        let row = row_of(text, marker, opening);
        let found = parsed
            .questions
            .iter()
            .find(|(r, _)| *r == row)
            .map(|(_, q)| q);
        let problems: Vec<_> = parsed.problems.iter().filter(|p| p.row == row).collect();
        match outcome {
            Imported(q) => {
                imported += 1;
                assert_eq!(found, Some(&q), "{marker} (line {row}): {problems:?}");
                assert!(problems.is_empty(), "{marker}: {problems:?}");
            }
            WithImages(q, column) => {
                imported += 1;
                assert_eq!(found, Some(&q), "{marker} (line {row}): {problems:?}");
                assert_eq!(problems.len(), 1, "{marker}: {problems:?}");
                assert_eq!(problems[0].column, column, "{marker}");
                assert!(
                    problems[0].reason_zh.contains("[图片]"),
                    "{marker}: {problems:?}"
                );
            }
            Refused(column, zh, en) => {
                assert_eq!(found, None, "{marker} must not be imported");
                let first = problems
                    .first()
                    .unwrap_or_else(|| panic!("{marker} (line {row}) has no problem"));
                assert_eq!(first.column, column, "{marker}: {problems:?}");
                assert!(
                    first.reason_zh.contains(zh),
                    "{marker}: {}",
                    first.reason_zh
                );
                assert!(
                    first.reason_en.contains(en),
                    "{marker}: {}",
                    first.reason_en
                );
            }
        }
    }
    assert_eq!(parsed.questions.len(), imported, "{:?}", parsed.questions);
}

fn questions(parsed: &Parsed) -> Vec<Question> {
    parsed.questions.iter().map(|(_, q)| q.clone()).collect()
}

/// Writing `qs` with `write` and reading it back with `parse` gives `qs`,
/// with nothing left out and no problem.
fn round_trips(
    qs: &[Question],
    write: fn(&[Question]) -> (String, Vec<usize>),
    parse: fn(&str) -> Parsed,
) {
    let (text, skipped) = write(qs);
    assert!(skipped.is_empty(), "{skipped:?}\n{text}");
    let back = parse(&text);
    assert!(back.problems.is_empty(), "{:?}\n{text}", back.problems);
    assert_eq!(questions(&back), qs, "{text}");
}

fn gift_outcomes() -> Vec<(&'static str, Outcome)> {
    vec![
        (
            "::论述::",
            Refused("题型", "问答题", "Unsupported question type"),
        ),
        (
            "::会议与年份::",
            Refused("题型", "匹配题", "Unsupported question type"),
        ),
        (
            "::Q2::",
            Imported(single(
                "Q2",
                "彩虹里排在橙色和绿色之间的是哪种颜色？",
                &["黄色", "红色", "蓝色"],
                0,
            )),
        ),
        (
            "::调色::",
            Imported(question(
                "调色",
                QuestionKind::Multiple,
                "下列哪些颜色由红色和黄色调出，或本身就在两者之间？",
                &["橙色", "紫色", "金黄色", "青色"],
                Answer::Choice(vec![0, 2]),
            )),
        ),
        (
            "::唯一正确::",
            Imported(single(
                "唯一正确",
                "彩虹里紧接着橙色的是？",
                &["黄色", "红色", "蓝色"],
                0,
            )),
        ),
        (
            "::Q5::",
            Refused("题型", "数值题", "Unsupported question type"),
        ),
        (
            "::简答::",
            Refused("答案", "“猫”的得分比例为 50%", "partial credit"),
        ),
        (
            "::首都::",
            Imported(with(
                fill("首都", "中华人民共和国的首都是？", &["北京", "北京市"]),
                |q| q.explanation = "见**宪法**第一百四十三条。".to_owned(),
            )),
        ),
        (
            "::Q1::",
            Imported(with(
                true_false("Q1", "二十四节气中第一个节气是立春。", true),
                |q| {
                    q.explanation = "二十四节气从立春开始，到大寒结束。".to_owned();
                },
            )),
        ),
        (
            "::2-08 节气::",
            Imported(true_false("2-08 节气", "冬至这一天北半球白昼最短。", true)),
        ),
        (
            "::2-09 节气::",
            Imported(true_false("2-09 节气", "夏至这一天北半球白昼最短。", false)),
        ),
        (
            "中国共产党于 {",
            Imported(fill(
                "",
                "中国共产党于 ____ 年成立。",
                &["1921", "一九二一"],
            )),
        ),
        (
            "::转义\\: 测试::",
            Imported(true_false(
                "转义: 测试",
                "等式 a=b，集合 {1}，符号 ~ 与 #，路径 C\\temp\n第二行",
                true,
            )),
        ),
        ("::说明::", Refused("题型", "说明文字", "description")),
        (
            "::图片题::",
            WithImages(
                single(
                    "图片题",
                    "下图中的建筑位于[图片]哪座城市？",
                    &["嘉兴", "上海"],
                    0,
                ),
                "题干",
            ),
        ),
        (
            "::标记::",
            Imported(single(
                "标记",
                "**南湖**红船在哪个省？",
                &["浙江", "江苏"],
                0,
            )),
        ),
        (
            "::任选其一::",
            Refused("答案", "有 2 个选项都得满分", "full marks"),
        ),
        (
            "::半对::",
            Refused("答案", "“为人民服务”的得分比例为 50%", "partial credit"),
        ),
        (
            "::不均等::",
            Refused("答案", "50%、30%、20%", "share 100% equally"),
        ),
        ("::通配::", Refused("答案", "通配符", "wildcard")),
        (
            "::遮挡::",
            Refused("答案", "排在正确答案“北京”之前", "comes before"),
        ),
        (
            "::星号::",
            Imported(fill("星号", "乘号在程序里通常写作？", &["*"])),
        ),
    ]
}

#[test]
fn moodle_gift_constructs_import_as_moodle_means_them() {
    let parsed = gift::parse(GIFT);
    check(GIFT, &parsed, None, gift_outcomes());
}

fn xml_outcomes() -> Vec<(&'static str, Outcome)> {
    vec![
        (
            "<text>问候</text>",
            Imported(with(
                single(
                    "问候",
                    "听一段问候语：\n\n说话人用的是哪种语言？",
                    &["英语", "法语", "德语"],
                    1,
                ),
                |q| (q.points, q.difficulty) = (1, 2),
            )),
        ),
        (
            "<text>缩写（错）</text>",
            WithImages(
                with(
                    true_false(
                        "缩写（错）",
                        "Moodle [图片] 是 Modular Object-Oriented Dynamic Learning Education 的缩写。",
                        false,
                    ),
                    |q| {
                        q.explanation = "参见 文档。".to_owned();
                        q.points = 1;
                    },
                ),
                "题干",
            ),
        ),
        (
            "权重<strong>无效</strong>",
            Refused("答案", "33%、33.33333%、33.33333%", "share 100% equally"),
        ),
        (
            "<text><![CDATA[质数 & 合数]]></text>",
            Imported(with(
                question(
                    "质数 & 合数",
                    QuestionKind::Multiple,
                    "选出所有质数：",
                    &["1", "2", "3", "4", "5"],
                    Answer::Choice(vec![1, 2, 4]),
                ),
                |q| q.points = 3,
            )),
        ),
        (
            "<text>半对的单选</text>",
            Refused("答案", "“为人民服务”的得分比例为 50%", "partial credit"),
        ),
        (
            "<text>两个满分</text>",
            Refused("答案", "有 2 个选项都得满分", "full marks"),
        ),
        (
            "<text>最好的动物</text>",
            Refused("答案", "“猫”的得分比例为 50%", "partial credit"),
        ),
        (
            "<text>首都</text>",
            Imported(with(
                fill(
                    "首都",
                    "中华人民共和国的首都是 <北京>？",
                    &["北京", "北京*市"],
                ),
                |q| {
                    q.explanation = "见**宪法**。".to_owned();
                    q.points = 2;
                    q.topic = "宪法".to_owned();
                    q.lecturer = "王老师".to_owned();
                },
            )),
        ),
        (
            "<text>区分大小写</text>",
            Refused("答案", "区分大小写", "case-sensitively"),
        ),
        ("<text>通配</text>", Refused("答案", "通配符", "wildcard")),
        (
            "<text>论述</text>",
            Refused("题型", "问答题（essay）", "Unsupported question type"),
        ),
        (
            "<text>配对</text>",
            Refused("题型", "匹配题（matching）", "Unsupported"),
        ),
        (
            "<text>数值</text>",
            Refused("题型", "数值题（numerical）", "Unsupported"),
        ),
        (
            "<text>说明</text>",
            Refused("题型", "说明文字（description）", "Unsupported"),
        ),
        (
            "<text>完形填空</text>",
            Refused("题型", "完形填空（multianswer）", "Unsupported"),
        ),
        (
            "<text>旧版完形填空</text>",
            Refused("题型", "完形填空（cloze）", "Unsupported"),
        ),
        (
            "<text>计算</text>",
            Refused("题型", "计算题（calculated）", "Unsupported"),
        ),
        (
            "<text>拖放</text>",
            Refused("题型", "（ddwtos）", "Unsupported"),
        ),
        (
            "<text>旧版图片</text>",
            WithImages(
                with(
                    single(
                        "旧版图片",
                        "旧版 Moodle 把图片放在 \"image\" 字段里。\n[图片]",
                        &["错误的选项", "正确的选项"],
                        1,
                    ),
                    |q| q.points = 1,
                ),
                "题干",
            ),
        ),
    ]
}

#[test]
fn moodle_xml_constructs_import_as_moodle_means_them() {
    let parsed = moodle_xml::parse(XML);
    check(XML, &parsed, Some("<question"), xml_outcomes());
}

#[test]
fn aiken_samples_import_or_are_reported() {
    let parsed = aiken::parse(AIKEN);
    let expected = vec![
        (
            "Moodle 项目的发起人是：",
            Imported(single(
                "",
                "Moodle 项目的发起人是：",
                &["张三", "Martin Dougiamas", "李四", "王五"],
                1,
            )),
        ),
        (
            "Moodle 能处理含有",
            Imported(single(
                "",
                "Moodle 能处理含有 <html class=\"cool\"> & 图片的输入：",
                &["对", "错"],
                0,
            )),
        ),
        (
            "只有一个选项的题",
            Refused("选项", "单选题须有 2–6 个选项", "needs 2–6 options"),
        ),
        (
            "ANSWER: 没有题干",
            Refused("答案", "无法识别的答案", "Unrecognised answer"),
        ),
        ("好题", Imported(single("", "好题", &["正确", "错误"], 0))),
        (
            "有选项没有答案行的题",
            Refused("答案", "缺少答案行", "answer line"),
        ),
        ("又一道好题", Refused("选项", "现有 0 个", "(it has 0)")),
    ];
    check(AIKEN, &parsed, None, expected);
    round_trips(&questions(&parsed), aiken::write, aiken::parse);
}

#[test]
fn imported_questions_come_back_through_export_and_import() {
    let from_gift = questions(&gift::parse(GIFT));
    let from_xml = questions(&moodle_xml::parse(XML));
    assert!(!from_gift.is_empty() && !from_xml.is_empty());
    for qs in [&from_gift, &from_xml] {
        round_trips(qs, gift::write, gift::parse);
        round_trips(qs, moodle_xml::write, moodle_xml::parse);
    }
}

#[test]
fn names_are_written_and_read_back() {
    let named = single(
        "第 3 章：宗旨 {1}",
        "党的根本宗旨是？",
        &["为人民服务", "发家致富"],
        0,
    );
    let unnamed = single("", "党的根本宗旨是？", &["为人民服务", "发家致富"], 0);
    let (text, _) = gift::write(&[named.clone(), unnamed.clone()]);
    assert!(text.contains("::第 3 章：宗旨 \\{1\\}::"), "{text}");
    // Without a name, the stem's first words stand in, and read back as none.
    assert!(text.contains("::党的根本宗旨是？::"), "{text}");
    assert_eq!(
        questions(&gift::parse(&text)),
        vec![named.clone(), unnamed.clone()]
    );

    let (text, _) = moodle_xml::write(&[named.clone(), unnamed.clone()]);
    assert!(text.contains("<text>第 3 章：宗旨 {1}</text>"), "{text}");
    assert!(text.contains("<text>党的根本宗旨是？</text>"), "{text}");
    assert_eq!(questions(&moodle_xml::parse(&text)), vec![named, unnamed]);
}
