//! The evaluation survey (培训评价) of a class:
//!
//! * `/classes/:id/survey`: the learner's form, one card per item, made for a
//!   phone (big touch targets, a live character counter for the opinion). The
//!   answers stay editable until the class closes; an unsent draft survives
//!   a reload or a dropped network in `localStorage`.
//! * `/classes/:id/survey/edit`: the organizer's builder.
//! * `/classes/:id/survey/results`: tallies with bars, the satisfaction rate,
//!   the opinions and the .xlsx export.

mod answer;
mod edit;
mod results;

pub use answer::SurveyPage;
pub use edit::SurveyEditPage;
pub use results::SurveyResultsPage;

use crate::components::text::Tr;
use academy_shared::exam::FieldProblem;
use academy_shared::survey::ItemKind;

fn problem_text(tr: Tr, problem: &FieldProblem) -> String {
    if tr.is_en() {
        problem.en.clone()
    } else {
        problem.zh.clone()
    }
}

fn kind_label(tr: Tr, kind: ItemKind) -> String {
    match kind {
        ItemKind::Single => tr.t("单选题", "Single choice").to_owned(),
        ItemKind::Multiple => tr.t("多选题", "Multiple choice").to_owned(),
        ItemKind::Rating { min, max } if tr.is_en() => format!("Rating {min}–{max}"),
        ItemKind::Rating { min, max } => format!("评分题（{min}–{max} 分）"),
        ItemKind::Text { min_chars } if min_chars > 0 && tr.is_en() => {
            format!("Text, at least {min_chars} characters")
        }
        ItemKind::Text { min_chars } if min_chars > 0 => format!("文字题（不少于 {min_chars} 字）"),
        ItemKind::Text { .. } => tr.t("文字题", "Text").to_owned(),
    }
}
