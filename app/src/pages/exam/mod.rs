//! The learner's exams: `/my-exams` (what to sit and how it went),
//! `/attempts/:id` (sitting a paper) and `/attempts/:id/review`.
//!
//! The paper page counts down from the server's deadline (the device's clock
//! only measures the time since the page learnt it), saves answers when they
//! change and at least every 30 s, keeps unsaved answers in `localStorage`
//! so a reload or a dead network loses nothing, and hands the paper in by
//! itself at the deadline. One question per screen with a question map on
//! phones, all on one page on desktop; the learner can switch.

mod mine;
mod review;
mod sheet;

pub use mine::MyExamsPage;
pub use review::ReviewPage;
pub use sheet::AttemptPage;

use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::{Tr, use_tr};
use crate::error::AppError;
use crate::exams::ShownQuestion;
use crate::exams::attempts::{
    MyExam, PaperView, attempt_paper, attempt_review, my_exams, start_attempt,
};
use academy_shared::exam::markup::Inline;
use academy_shared::exam::{QuestionKind, Response, format_points, option_letter};
use academy_shared::ids::{AttemptId, ExamId};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::BTreeSet;

/// A stem or option text with the limited markup rendered as elements
/// (never as HTML).
#[component]
pub fn Stem(lines: Vec<Vec<Inline>>) -> impl IntoView {
    lines
        .into_iter()
        .map(|line| {
            view! {
                <span class="stem-line">
                    {line
                        .into_iter()
                        .map(|piece| match piece {
                            Inline::Text(text) => view! { <span>{text}</span> }.into_any(),
                            Inline::Bold(text) => view! { <strong>{text}</strong> }.into_any(),
                            Inline::Image { media_id, alt } => {
                                view! {
                                    <img
                                        class="stem-image"
                                        src=format!("/media/{media_id}")
                                        alt=alt
                                        loading="lazy"
                                    />
                                }
                                    .into_any()
                            }
                        })
                        .collect_view()}
                </span>
            }
        })
        .collect_view()
}

pub fn kind_label(tr: Tr, kind: academy_shared::exam::QuestionKind) -> &'static str {
    tr.label(kind)
}

fn points_label(tr: Tr, cents: u32) -> String {
    if tr.is_en() {
        format!("{} pt", format_points(cents))
    } else {
        format!("{}分", format_points(cents))
    }
}
