//! Moodle XML (`<quiz><question type="…">…`).
//!
//! Single and multiple choice are `multichoice` (`<single>true|false</single>`;
//! a multiple-choice question's right options share 100%, wrong ones weigh
//! -100%), true/false is `truefalse`, a one-blank fill-in question is
//! `shortanswer` with one `fraction="100"` answer per accepted answer
//! (case-insensitive, `*` written `\*` as Moodle wants). The name is
//! `<name>`; a question without one gets its stem's first words (Moodle needs
//! a name), which read back as no name. Stems, options and explanations are
//! HTML, as Moodle expects; every character of them comes back exactly
//! (markup such as `**bold**` stays literal). Points are the default grade;
//! difficulty, topic, lecturer, source and "ignore punctuation" are tags
//! such as `知识点:党章`.
//!
//! Cannot carry (such questions are not written): fill-in questions with more
//! than one blank (Moodle's cloze format is not produced), and characters XML
//! cannot hold at all (control characters other than tab, line feed and
//! carriage return) in accepted answers, topics, lecturers and sources. Note
//! that Moodle itself cuts tags to 50 characters.
//!
//! On import: fractions are judged as in [`gift`](super::gift) (see
//! `right_options` and `accepted_answers` in the parent module), so a
//! question whose weights this model cannot score as Moodle would (a 50%
//! option, two 100% options in a `single` question, unequal shares, a 50%
//! short answer, a wildcard in a right answer, `usecase` 1 with answers that
//! have case) is refused with a problem saying why; HTML is read as text
//! (paragraphs and `<br>` as line breaks, `<b>`/`<strong>` as `**`, images,
//! and Moodle 1.9's `<image>` element, as "[图片]" with a problem); per-answer
//! and combined feedback, files, penalties and id numbers are dropped;
//! categories are skipped and other question types (essay, matching,
//! numerical, description, cloze, calculated, drag and drop…) reported one by
//! one.

use quick_xml::Reader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event};

use super::super::markup::IMAGE_PLACEHOLDER;
use super::html::{from_html, to_html, xml_char};
use super::{
    Parsed, bad_points, blank_question, field, image_note, line_at, metadata, right_options,
    right_share, set_metadata, short_answer, title_for, unsupported_kind, whole_number, yes_no,
};
use crate::exam::{Answer, Question, QuestionKind};
use crate::roster::RowProblem;

/// Deeper nesting than this is not a question bank.
const MAX_DEPTH: usize = 64;

struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    line: usize,
}

enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn elements<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter_map(move |n| match n {
            Node::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find_map(|n| match n {
            Node::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    /// The text directly inside the element.
    fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }
}

/// Why a document could not be read: line, Chinese, English.
type XmlProblem = (usize, String, String);

fn xml_problem(line: usize, detail: &str) -> XmlProblem {
    (
        line,
        format!("XML 格式错误：{detail}"),
        format!("Invalid XML: {detail}"),
    )
}

fn element(reader: &Reader<&[u8]>, start: &BytesStart<'_>, line: usize) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .decode_and_unescape_value(reader.decoder())
            .map_err(|e| e.to_string())?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        line,
    })
}

/// The document as a tree of elements and text.
fn read_document(text: &str) -> Result<Element, XmlProblem> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let (mut counted_to, mut line) = (0usize, 1usize);
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        if at > counted_to && at <= text.len() {
            line += text.as_bytes()[counted_to..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted_to = at;
        }
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(xml_problem(line_at(text, at), &e.to_string()));
            }
        };
        let mut done: Option<Element> = None;
        let push_text = |stack: &mut Vec<Element>, s: &str| -> Result<(), XmlProblem> {
            match stack.last_mut() {
                Some(top) => {
                    top.children.push(Node::Text(s.to_owned()));
                    Ok(())
                }
                None if s.trim().is_empty() => Ok(()),
                None => Err(xml_problem(
                    line,
                    "根元素之外有文字 / text outside the root element",
                )),
            }
        };
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(xml_problem(
                        line,
                        "元素嵌套过深 / elements nested too deeply",
                    ));
                }
                let el = element(&reader, &start, line).map_err(|e| xml_problem(line, &e))?;
                stack.push(el);
            }
            Event::Empty(start) => {
                done = Some(element(&reader, &start, line).map_err(|e| xml_problem(line, &e))?);
            }
            Event::End(_) => done = stack.pop(),
            Event::Text(t) => {
                let s = t
                    .xml10_content()
                    .map_err(|e| xml_problem(line, &e.to_string()))?;
                push_text(&mut stack, &s)?;
            }
            Event::CData(c) => {
                let s = c
                    .xml10_content()
                    .map_err(|e| xml_problem(line, &e.to_string()))?;
                push_text(&mut stack, &s)?;
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.decode().map_err(|e| xml_problem(line, &e.to_string()))?;
                        resolve_xml_entity(&name)
                            .ok_or_else(|| {
                                xml_problem(line, &format!("未知的实体 / unknown entity &{name};"))
                            })?
                            .to_owned()
                    }
                    Err(e) => return Err(xml_problem(line, &e.to_string())),
                };
                push_text(&mut stack, &resolved)?;
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        if let Some(el) = done {
            match stack.last_mut() {
                Some(parent) => parent.children.push(Node::Element(el)),
                None if root.is_none() => root = Some(el),
                None => {
                    return Err(xml_problem(
                        el.line,
                        "有多个根元素 / more than one root element",
                    ));
                }
            }
        }
    }
    if let Some(open) = stack.last() {
        let name = &open.name;
        return Err(xml_problem(
            line_at(text, text.len()),
            &format!("文件在 <{name}> 结束之前就结束了 / the file ends inside <{name}>"),
        ));
    }
    root.ok_or_else(|| xml_problem(1, "文件中没有 XML 元素 / no XML element in the file"))
}

/// Reads a Moodle XML file. Each question's number is the line of its
/// `<question>` tag.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = match read_document(text) {
        Ok(root) => root,
        Err((line, zh, en)) => {
            parsed.problem(line, "", zh, en);
            return parsed;
        }
    };
    if root.name != "quiz" {
        parsed.problem(
            root.line,
            "",
            format!("这不是 Moodle XML 题库：根元素应为 <quiz>，这里是 <{}>", root.name),
            format!(
                "This is not a Moodle XML question file: the root element should be <quiz>, not <{}>",
                root.name
            ),
        );
        return parsed;
    }
    for question in root.elements("question") {
        let kind = question.attr("type").unwrap_or("");
        match kind {
            "category" => {}
            "multichoice" | "truefalse" | "shortanswer" => read_question(&mut parsed, question),
            other => parsed
                .problems
                .push(unsupported_kind(question.line, &type_name(other))),
        }
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

fn type_name(moodle: &str) -> String {
    let zh = match moodle {
        "essay" => "问答题",
        "numerical" => "数值题",
        "calculated" | "calculatedsimple" | "calculatedmulti" => "计算题",
        "matching" => "匹配题",
        "multianswer" | "cloze" => "完形填空",
        "description" => "说明文字",
        "ddwtos" | "gapselect" => "拖放/选词填空",
        "" => return "（没有 type）".to_owned(),
        _ => return moodle.to_owned(),
    };
    format!("{zh}（{moodle}）")
}

/// A text element's content: HTML read as text when its format is html.
fn rich_text(el: Option<&Element>, default_format: &str) -> (String, usize) {
    let Some(el) = el else {
        return (String::new(), 0);
    };
    let text = el.child("text").map(Element::text).unwrap_or_default();
    if el.attr("format").unwrap_or(default_format) == "html" {
        let (text, images) = from_html(&text);
        (text.trim().to_owned(), images)
    } else {
        (text.trim().to_owned(), 0)
    }
}

fn fraction(answer: &Element) -> f64 {
    answer
        .attr("fraction")
        .and_then(|f| f.trim().parse::<f64>().ok())
        .filter(|f| f.is_finite())
        .unwrap_or(0.0)
}

fn read_question(parsed: &mut Parsed, el: &Element) {
    let row = el.line;
    let mut local: Vec<RowProblem> = Vec::new();
    let (mut stem, images) = rich_text(el.child("questiontext"), "html");
    // Moodle 1.9 kept a question's picture in elements of its own.
    let old_image = ["image", "image_base64"]
        .into_iter()
        .any(|name| el.child(name).is_some_and(|i| !i.text().trim().is_empty()));
    if old_image {
        stem.push('\n');
        stem.push_str(IMAGE_PLACEHOLDER);
    }
    if images > 0 || old_image {
        local.push(image_note(row, field::STEM));
    }
    let (explanation, images) = rich_text(el.child("generalfeedback"), "html");
    if images > 0 {
        local.push(image_note(row, field::EXPLANATION));
    }
    let answers: Vec<&Element> = el.elements("answer").collect();

    let (kind, options, answer) = match el.attr("type").unwrap_or("") {
        "multichoice" => {
            let single = el
                .child("single")
                .is_none_or(|s| yes_no(&s.text()).unwrap_or(true));
            let mut options = Vec::new();
            let mut weights = Vec::new();
            for answer in &answers {
                let (text, images) = rich_text(Some(answer), "moodle_auto_format");
                if images > 0 {
                    local.push(image_note(row, field::OPTIONS));
                }
                options.push(text);
                weights.push(fraction(answer));
            }
            match right_options(row, &options, &weights, single) {
                Ok((kind, right)) => (kind, options, Answer::Choice(right)),
                Err(problem) => {
                    parsed.problems.extend(local);
                    parsed.problems.push(problem);
                    return;
                }
            }
        }
        "truefalse" => {
            let value = answers
                .iter()
                .find(|a| fraction(a) > 0.0)
                .and_then(|a| yes_no(&a.child("text").map(Element::text).unwrap_or_default()));
            let Some(value) = value else {
                local.push(RowProblem::new(
                    row,
                    field::ANSWER,
                    "判断题没有可识别的正确答案（应有一个 fraction=\"100\" 的 true 或 false）",
                    "The true/false question has no recognisable right answer (one true or false with fraction=\"100\")",
                ));
                parsed.problems.extend(local);
                return;
            };
            (
                QuestionKind::TrueFalse,
                Vec::new(),
                Answer::TrueFalse(value),
            )
        }
        _ => {
            let weighted: Vec<(String, f64)> = answers
                .iter()
                .map(|a| {
                    let text = a.child("text").map(Element::text).unwrap_or_default();
                    (text.trim().to_owned(), fraction(a))
                })
                .collect();
            let case_sensitive = el.child("usecase").is_some_and(|u| u.text().trim() == "1");
            match short_answer(row, &weighted, case_sensitive) {
                Ok(parts) => parts,
                Err(problem) => return parsed.refuse(local, problem),
            }
        }
    };

    let mut q = blank_question(kind, answer);
    q.name = el
        .child("name")
        .and_then(|n| n.child("text"))
        .map(Element::text)
        .unwrap_or_default();
    q.stem = stem;
    q.options = options;
    q.explanation = explanation;
    if let Some(grade) = el.child("defaultgrade").map(Element::text) {
        match whole_number(&grade).and_then(|n| u32::try_from(n).ok()) {
            Some(points) => q.points = points,
            None => {
                let (column, zh, en) = bad_points(grade.trim());
                local.push(RowProblem::new(row, column, zh, en));
            }
        }
    }
    if let Some(tags) = el.child("tags") {
        for tag in tags.elements("tag") {
            let text = tag.child("text").map(Element::text).unwrap_or_default();
            let split = text.split_once(':').or_else(|| text.split_once('：'));
            if let Some((key, value)) = split
                && let Err((column, zh, en)) = set_metadata(&mut q, key, value)
            {
                local.push(RowProblem::new(row, column, zh, en));
            }
        }
    }
    parsed.accept(row, q, local);
}

/// Text for an element holding plain text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

fn cdata(text: &str) -> String {
    // HTML from `to_html` never holds "]]>": every '>' is written "&gt;".
    format!("<![CDATA[{}]]>", to_html(text))
}

fn writable(q: &Question) -> bool {
    let plain = |s: &String| s.chars().all(xml_char);
    let meta_ok = [&q.topic, &q.lecturer, &q.source].into_iter().all(plain);
    meta_ok
        && match (&q.answer, q.kind) {
            (Answer::Choice(_), QuestionKind::Single | QuestionKind::Multiple) => true,
            (Answer::TrueFalse(_), QuestionKind::TrueFalse) => true,
            (Answer::Blanks(blanks), QuestionKind::Fill) => {
                blanks.len() == 1 && blanks.iter().flatten().all(plain)
            }
            _ => false,
        }
}

fn html_field(out: &mut String, tag: &str, text: &str) {
    out.push_str(&format!(
        "    <{tag} format=\"html\">\n      <text>{}</text>\n    </{tag}>\n",
        cdata(text)
    ));
}

fn answer(out: &mut String, fraction: &str, format: &str, text: &str) {
    out.push_str(&format!(
        "    <answer fraction=\"{fraction}\" format=\"{format}\">\n      <text>{text}</text>\n      <feedback format=\"html\">\n        <text></text>\n      </feedback>\n    </answer>\n"
    ));
}

/// Writes the questions Moodle XML can carry; returns the document and the
/// indexes of those it could not.
pub fn write(questions: &[Question]) -> (String, Vec<usize>) {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let mut skipped = Vec::new();
    for (index, q) in questions.iter().enumerate() {
        if !writable(q) {
            skipped.push(index);
            continue;
        }
        let kind = match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => "multichoice",
            QuestionKind::TrueFalse => "truefalse",
            QuestionKind::Fill => "shortanswer",
        };
        out.push_str(&format!("  <question type=\"{kind}\">\n"));
        let name: String = title_for(q, index)
            .chars()
            .filter(|&c| xml_char(c))
            .collect();
        out.push_str(&format!(
            "    <name>\n      <text>{}</text>\n    </name>\n",
            escape(&name)
        ));
        html_field(&mut out, "questiontext", &q.stem);
        html_field(&mut out, "generalfeedback", &q.explanation);
        out.push_str(&format!(
            "    <defaultgrade>{}</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n",
            q.points
        ));
        match &q.answer {
            Answer::Choice(right) => {
                let single = q.kind == QuestionKind::Single;
                out.push_str(&format!(
                    "    <single>{single}</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n"
                ));
                let share = if single {
                    "100"
                } else {
                    right_share(right.len())
                };
                let wrong = if single { "0" } else { "-100" };
                for (i, option) in q.options.iter().enumerate() {
                    let correct = right.iter().any(|&r| usize::from(r) == i);
                    answer(
                        &mut out,
                        if correct { share } else { wrong },
                        "html",
                        &cdata(option),
                    );
                }
            }
            Answer::TrueFalse(value) => {
                let (t, f) = if *value { ("100", "0") } else { ("0", "100") };
                answer(&mut out, t, "moodle_auto_format", "true");
                answer(&mut out, f, "moodle_auto_format", "false");
            }
            Answer::Blanks(blanks) => {
                out.push_str("    <usecase>0</usecase>\n");
                for accepted in blanks.iter().flatten() {
                    let text = escape(&accepted.replace('*', "\\*"));
                    answer(&mut out, "100", "moodle_auto_format", &text);
                }
            }
        }
        let tags: Vec<String> = metadata(q)
            .into_iter()
            .filter(|(key, value)| match *key {
                field::POINTS => false,
                field::IGNORE_PUNCTUATION => q.ignore_punctuation,
                _ => !value.is_empty(),
            })
            .map(|(key, value)| {
                format!(
                    "      <tag>\n        <text>{}</text>\n      </tag>\n",
                    escape(&format!("{key}:{value}"))
                )
            })
            .collect();
        if !tags.is_empty() {
            out.push_str(&format!("    <tags>\n{}    </tags>\n", tags.concat()));
        }
        out.push_str("  </question>\n");
    }
    out.push_str("</quiz>\n");
    (out, skipped)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testing::{Shape, questions};
    use super::*;
    use proptest::prelude::*;

    const MOODLE_EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/默认</text></category>
  </question>
  <question type="multichoice">
    <name><text>宗旨</text></name>
    <questiontext format="html">
      <text><![CDATA[<p dir="ltr">党的根本宗旨是&nbsp;<strong>什么</strong>？</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>见党章。</p>]]></text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<p>全心全意为人民服务</p>]]></text></answer>
    <answer fraction="0" format="html"><text>为人民服务</text></answer>
    <answer fraction="0" format="html"><text>&lt;其他&gt;</text></answer>
    <tags><tag><text>知识点:党章</text></tag><tag><text>无关标签</text></tag></tags>
  </question>
  <question type="multichoice">
    <questiontext format="html"><text>选两个</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>甲</text></answer>
    <answer fraction="50"><text>乙</text></answer>
    <answer fraction="-100"><text>丙</text></answer>
  </question>
  <question type="truefalse">
    <questiontext format="moodle_auto_format"><text>对吗 &amp; 为什么</text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <questiontext format="html"><text><![CDATA[首都是 ____ <img src="@@PLUGINFILE@@/a.png">]]></text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100"><text>北京</text></answer>
    <answer fraction="100"><text>北京\*市</text></answer>
    <answer fraction="0"><text>上海</text></answer>
  </question>
  <question type="essay">
    <questiontext format="html"><text>论述</text></questiontext>
  </question>
</quiz>
"#;

    #[test]
    fn reads_a_moodle_export() {
        let parsed = parse(MOODLE_EXPORT);
        let rows: Vec<usize> = parsed.questions.iter().map(|(r, _)| *r).collect();
        assert_eq!(rows, vec![7, 20, 27, 32]);
        let at: Vec<(usize, &str)> = parsed
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(at, vec![(32, "题干"), (39, "题型")]);
        assert!(parsed.problems[1].reason_zh.contains("问答题（essay）"));
        let q = &parsed.questions[0].1;
        assert_eq!(q.name, "宗旨");
        assert_eq!(q.kind, QuestionKind::Single);
        assert_eq!(q.stem, "党的根本宗旨是 **什么**？");
        assert_eq!(
            q.options,
            vec!["全心全意为人民服务", "为人民服务", "<其他>"]
        );
        assert_eq!(q.answer, Answer::Choice(vec![0]));
        assert_eq!(q.explanation, "见党章。");
        assert_eq!((q.points, q.topic.as_str()), (2, "党章"));
        let q = &parsed.questions[1].1;
        assert_eq!(q.kind, QuestionKind::Multiple);
        assert_eq!(q.answer, Answer::Choice(vec![0, 1]));
        assert_eq!(q.points, 5);
        let q = &parsed.questions[2].1;
        assert_eq!(q.stem, "对吗 & 为什么");
        assert_eq!(q.answer, Answer::TrueFalse(false));
        let q = &parsed.questions[3].1;
        assert_eq!(q.stem, "首都是 ____ [图片]");
        assert_eq!(
            q.answer,
            Answer::Blanks(vec![vec!["北京".into(), "北京*市".into()]])
        );
    }

    #[test]
    fn invalid_xml_is_one_problem_with_its_line() {
        for (text, line) in [
            ("<quiz>\n<question type=\"truefalse\">\n</quiz>", 3),
            ("<quiz>\n  <question>\n", 3),
            ("", 1),
            ("<quiz>&bogus;</quiz>", 1),
            ("<quiz></quiz><quiz/>", 1),
            ("\n\n<quiz a=\"1\" a=\"2\"></quiz>", 3),
        ] {
            let parsed = parse(text);
            assert!(parsed.questions.is_empty());
            assert_eq!(parsed.problems.len(), 1, "{text}: {:?}", parsed.problems);
            assert_eq!(
                parsed.problems[0].row, line,
                "{text}: {:?}",
                parsed.problems
            );
            assert!(
                parsed.problems[0].reason_zh.starts_with("XML 格式错误"),
                "{:?}",
                parsed.problems
            );
        }
        let parsed = parse("<html><body/></html>");
        assert!(parsed.problems[0].reason_zh.contains("<quiz>"));
    }

    #[test]
    fn bad_questions_are_reported_per_question() {
        let text = r#"<quiz>
<question type="multichoice"><questiontext><text></text></questiontext><answer fraction="100"><text>a</text></answer><answer><text>b</text></answer></question>
<question type="multichoice"><questiontext><text>重复</text></questiontext><answer fraction="100"><text>甲</text></answer><answer><text>甲</text></answer></question>
<question type="multichoice"><questiontext><text>没有对的</text></questiontext><answer fraction="50"><text>甲</text></answer><answer><text>乙</text></answer></question>
<question type="truefalse"><questiontext><text>判断</text></questiontext><answer fraction="100"><text>maybe</text></answer></question>
<question type="shortanswer"><questiontext><text>分值</text></questiontext><defaultgrade>2.5</defaultgrade><answer fraction="100"><text>x</text></answer></question>
<question type="matching"/>
<question><questiontext><text>没有类型</text></questiontext></question>
<question type="truefalse"><questiontext><text><![CDATA[<img src="a.png"><b>没闭合]]></text></questiontext><answer fraction="100"><text>true</text></answer></question>
</quiz>"#;
        let parsed = parse(text);
        assert!(parsed.questions.is_empty());
        let at: Vec<(usize, &str)> = parsed
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(
            at,
            vec![
                (2, "题干"),
                (3, "选项B"),
                (4, "答案"),
                (5, "答案"),
                (6, "分值"),
                (7, "题型"),
                (8, "题型"),
                (9, "题干"),
                (9, "题干"),
            ]
        );
        // The image note does not hide the stem's real problem.
        assert!(parsed.problems[7].reason_zh.contains("图片"));
        assert!(parsed.problems[8].reason_zh.contains("没有闭合"));
    }

    #[test]
    fn writes_what_it_can_and_reports_the_rest() {
        let mut fill = blank_question(
            QuestionKind::Fill,
            Answer::Blanks(vec![vec!["a".into()], vec!["b".into()]]),
        );
        fill.stem = "两个空".into();
        let mut bell = fill.clone();
        bell.answer = Answer::Blanks(vec![vec!["\u{7}".into()]]);
        let mut tf = blank_question(QuestionKind::TrueFalse, Answer::TrueFalse(true));
        tf.stem = "a]]>b <br> \u{1}".into();
        tf.topic = "x<y".into();
        let (text, skipped) = write(&[fill, tf.clone(), bell]);
        assert_eq!(skipped, vec![0, 2]);
        assert!(
            text.contains("<tag>\n        <text>知识点:x&lt;y</text>"),
            "{text}"
        );
        let parsed = parse(&text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.questions, vec![(3, tf)]);
        assert_eq!(from_html("a<br>b").0, "a\nb");
    }

    proptest! {
        #[test]
        fn moodle_xml_round_trips(qs in questions(Shape {
            kinds: &QuestionKind::ALL,
            lines: 3,
            one_blank: true,
            metadata: true,
            names: true,
        })) {
            let (text, skipped) = write(&qs);
            prop_assert!(skipped.is_empty());
            let parsed = parse(&text);
            if !qs.is_empty() {
                prop_assert!(parsed.problems.is_empty(), "{:?}\n{}", parsed.problems, text);
            }
            let back: Vec<Question> = parsed.questions.into_iter().map(|(_, q)| q).collect();
            prop_assert_eq!(back, qs, "{}", text);
        }

        #[test]
        fn any_text_in_html_fields_round_trips(stem in "[^\u{0}]{1,40}", explanation in any::<String>()) {
            let mut q = blank_question(QuestionKind::TrueFalse, Answer::TrueFalse(true));
            q.stem = stem;
            q.explanation = explanation;
            let q = crate::exam::question::tidy(q);
            prop_assume!(crate::exam::question::check_question(&q).is_empty());
            let (text, skipped) = write(std::slice::from_ref(&q));
            prop_assert!(skipped.is_empty());
            let parsed = parse(&text);
            prop_assert_eq!(parsed.questions, vec![(3, q)]);
        }

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = parse(&text);
        }

        #[test]
        fn parse_never_panics_on_xml_like_text(text in r#"(<quiz>|</quiz>|<question type="(multichoice|truefalse|shortanswer)">|</question>|<answer fraction="(100|0|x)">|</answer>|<text>|</text>|<!\[CDATA\[|\]\]>|&amp;|&#1;|<single>|a|中|\n| )*"#) {
            let _ = parse(&text);
        }
    }
}
