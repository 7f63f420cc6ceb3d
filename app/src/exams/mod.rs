//! Question banks and exams: banks and questions (with import and export),
//! paper plans with the trainer's preview, exams and learners' attempts.
//!
//! Who may do what: organizers and administrators manage banks, plans and
//! exams; reviewers read them; a lecturer sees only the banks they are
//! invited to and only their own questions there, up to their quota.
//! Learners see exams of the classes they are enrolled in, and never a
//! correct answer before their attempt is graded.

pub mod attempts;
pub mod banks;
pub mod blueprints;
#[cfg(feature = "ssr")]
pub mod formats;
#[cfg(feature = "ssr")]
pub mod writer;

use academy_shared::exam::QuestionKind;
use academy_shared::exam::markup::Inline;
use serde::{Deserialize, Serialize};

/// A question as a paper shows it: what a learner may see while sitting it
/// (no answer, no explanation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownQuestion {
    pub position: i64,
    pub kind: QuestionKind,
    pub stem: Vec<Vec<Inline>>,
    /// (option id, text) in display order. For a learner's attempt the id is
    /// the display position: it carries no trace of the author's order (the
    /// server maps answers back with the attempt's stored order).
    pub options: Vec<(u8, String)>,
    pub blanks: usize,
    /// Hundredths of a point.
    pub points: u32,
}

#[cfg(feature = "ssr")]
pub(crate) fn shown_question(
    position: i64,
    question: &academy_shared::exam::Question,
    option_order: &[u8],
    points: u32,
) -> ShownQuestion {
    use academy_shared::exam::Answer;
    let options = if option_order.is_empty() {
        question
            .options
            .iter()
            .enumerate()
            .map(|(i, text)| (u8::try_from(i).unwrap_or(0), text.clone()))
            .collect()
    } else {
        option_order
            .iter()
            .enumerate()
            .filter_map(|(display, i)| {
                question
                    .options
                    .get(usize::from(*i))
                    .map(|text| (u8::try_from(display).unwrap_or(u8::MAX), text.clone()))
            })
            .collect()
    };
    ShownQuestion {
        position,
        kind: question.kind,
        stem: academy_shared::exam::markup::parse_stem(&question.stem),
        options,
        blanks: match &question.answer {
            Answer::Blanks(blanks) => blanks.len(),
            _ => 0,
        },
        points,
    }
}
