//! Question banks and exams: the question model, answer matching and scoring,
//! paper plans (blueprints), stratified sampling of papers, and item analysis.
//!
//! Scores are kept in hundredths of a point (`Cents`) so partial credit adds
//! up exactly and sums never depend on floating point.

pub mod analysis;
pub mod blueprint;
pub mod interchange;
pub mod lifecycle;
pub mod markup;
pub mod question;
pub mod rng;
pub mod sampling;

pub use lifecycle::ExamState;
use serde::{Deserialize, Serialize};

/// Hundredths of a point.
pub type Cents = u32;

/// The kinds of question the academy asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum QuestionKind {
    /// 单选题: one correct option.
    Single,
    /// 多选题: two or more correct options.
    Multiple,
    /// 判断题: true or false.
    TrueFalse,
    /// 填空题: one or more blanks, each with one or more accepted answers.
    Fill,
}

crate::stored_code!(QuestionKind {
    Single => "single", "单选题", "Single choice";
    Multiple => "multiple", "多选题", "Multiple choice";
    TrueFalse => "truefalse", "判断题", "True/false";
    Fill => "fill", "填空题", "Fill in the blank";
});

impl QuestionKind {
    /// Reads a kind as people write it in a spreadsheet: 单选题, 单选, 单项选择题,
    /// "single", "单选题（Single choice）"…
    pub fn parse_label(text: &str) -> Option<Self> {
        let t = text.trim().to_lowercase();
        if let Some(kind) = QuestionKind::from_code(&t) {
            return Some(kind);
        }
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| t.starts_with(p));
        if starts(&["单选", "单项选择"]) || t == "single choice" {
            Some(QuestionKind::Single)
        } else if starts(&["多选", "多项选择", "不定项"]) || t == "multiple choice" {
            Some(QuestionKind::Multiple)
        } else if starts(&["判断", "是非"]) || t == "true/false" || t == "truefalse" {
            Some(QuestionKind::TrueFalse)
        } else if starts(&["填空"]) || t == "fill in the blank" || t == "fill" {
            Some(QuestionKind::Fill)
        } else {
            None
        }
    }

    /// Whether the question shows options (A, B, C…).
    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multiple)
    }
}

/// The correct answer of a question. Option indexes are 0-based positions in
/// `Question::options` as written by the author (never the shuffled order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// Single (exactly one index) or multiple (two or more, ascending).
    Choice(Vec<u8>),
    TrueFalse(bool),
    /// Per blank, the accepted answers (at least one each).
    Blanks(Vec<Vec<String>>),
}

/// What a learner answered. Option indexes are the author's positions, so the
/// shuffled display order never matters for grading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    Choice(Vec<u8>),
    TrueFalse(bool),
    /// One text per blank, in order.
    Blanks(Vec<String>),
}

impl Response {
    /// The response as the learner's page sent it — choice keys that are
    /// positions in the shuffled display order — in the author's indexes
    /// (`order[display]` is the author's index; empty means no shuffle).
    /// `None` when a key names no displayed option. Other kinds unchanged.
    ///
    /// The page never learns the author's indexes: option ids are per
    /// attempt and carry no trace of the original order.
    pub fn from_display(&self, order: &[u8]) -> Option<Response> {
        match self {
            Response::Choice(keys) if !order.is_empty() => {
                let mut authors = keys
                    .iter()
                    .map(|k| order.get(usize::from(*k)).copied())
                    .collect::<Option<Vec<u8>>>()?;
                authors.sort_unstable();
                Some(Response::Choice(authors))
            }
            other => Some(other.clone()),
        }
    }

    /// The stored response (author's indexes) as the learner's page shows it:
    /// the inverse of [`Response::from_display`]. Keys not displayed are dropped.
    pub fn to_display(&self, order: &[u8]) -> Response {
        match self {
            Response::Choice(keys) if !order.is_empty() => {
                let mut shown: Vec<u8> = keys
                    .iter()
                    .filter_map(|k| order.iter().position(|a| a == k))
                    .filter_map(|d| u8::try_from(d).ok())
                    .collect();
                shown.sort_unstable();
                Response::Choice(shown)
            }
            other => other.clone(),
        }
    }
}

/// One version of a question, as authored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The author's short title for the question (Moodle's question name,
    /// GIFT's `::title::`); may be empty. One line; never shown to learners.
    /// Versions stored before names existed read as empty.
    #[serde(default)]
    pub name: String,
    pub kind: QuestionKind,
    /// Limited markup (see [`markup`]): text, line breaks, **bold**, images.
    pub stem: String,
    /// Single/multiple: 2–6 options (A–F). Empty for true/false and fill.
    pub options: Vec<String>,
    pub answer: Answer,
    pub explanation: String,
    /// Default points when a blueprint does not set them (1–100).
    pub points: u32,
    /// 1 (easiest) – 5 (hardest).
    pub difficulty: u8,
    /// 知识点; may be empty.
    pub topic: String,
    /// The lecturer the question belongs to (name as shown); may be empty.
    pub lecturer: String,
    /// Where the question comes from (textbook, document…); may be empty.
    pub source: String,
    /// Fill-in only: ignore punctuation when matching answers.
    pub ignore_punctuation: bool,
}

/// How a multiple-choice question with some but not all correct options
/// chosen is scored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MultiplePolicy {
    /// Full points only for exactly the correct set.
    #[default]
    AllOrNothing,
    /// Any wrong option scores 0; otherwise points × chosen correct ÷ all correct.
    Partial,
}

crate::stored_code!(MultiplePolicy {
    AllOrNothing => "all", "全对才得分", "All or nothing";
    Partial => "partial", "少选按比例得分，错选不得分", "Partial credit; any wrong option scores 0";
});

/// A question as the sampler sees it: what strata and filters need, nothing more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: crate::ids::QuestionId,
    pub bank: crate::ids::BankId,
    pub kind: QuestionKind,
    pub topic: String,
    pub lecturer: String,
    pub difficulty: u8,
    /// Number of options (for option shuffling); 0 for true/false and fill.
    pub options: u8,
}

/// A problem with one field of a question, for forms and import reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    /// The field as the template names it: 题型, 题干, 选项A…选项F, 答案, 解析, 分值,
    /// 难度, 知识点, 讲师, 来源; 名称 for the name.
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl FieldProblem {
    pub fn new(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldProblem {
            field: field.to_owned(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// The letter of option `index` (0 → A).
pub fn option_letter(index: usize) -> char {
    char::from(b'A' + u8::try_from(index.min(25)).unwrap_or(25))
}

/// Hundredths of a point as people read them: 5, 2.5, 0.33.
pub fn format_points(cents: Cents) -> String {
    let whole = cents / 100;
    let frac = cents % 100;
    if frac == 0 {
        whole.to_string()
    } else if frac.is_multiple_of(10) {
        format!("{whole}.{}", frac / 10)
    } else {
        format!("{whole}.{frac:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_keys_map_to_the_authors_and_back() {
        let order = [2u8, 0, 3, 1];
        let shown = Response::Choice(vec![0, 3]);
        let authors = shown.from_display(&order).unwrap();
        assert_eq!(authors, Response::Choice(vec![1, 2]));
        assert_eq!(authors.to_display(&order), shown);
        assert_eq!(Response::Choice(vec![4]).from_display(&order), None);
        assert_eq!(
            Response::TrueFalse(true).from_display(&order),
            Some(Response::TrueFalse(true))
        );
        // No shuffle: the same keys.
        assert_eq!(
            Response::Choice(vec![1]).from_display(&[]),
            Some(Response::Choice(vec![1]))
        );
    }

    #[test]
    fn kinds_round_trip_and_read_spreadsheet_labels() {
        for kind in QuestionKind::ALL {
            assert_eq!(QuestionKind::from_code(kind.code()), Some(kind));
            assert_eq!(QuestionKind::parse_label(kind.label_zh()), Some(kind));
            assert_eq!(QuestionKind::parse_label(kind.label_en()), Some(kind));
        }
        assert_eq!(
            QuestionKind::parse_label(" 单选 "),
            Some(QuestionKind::Single)
        );
        assert_eq!(
            QuestionKind::parse_label("多项选择题"),
            Some(QuestionKind::Multiple)
        );
        assert_eq!(QuestionKind::parse_label("简答题"), None);
    }

    #[test]
    fn points_format_without_trailing_zeros() {
        assert_eq!(format_points(500), "5");
        assert_eq!(format_points(250), "2.5");
        assert_eq!(format_points(33), "0.33");
        assert_eq!(option_letter(0), 'A');
        assert_eq!(option_letter(5), 'F');
    }
}
