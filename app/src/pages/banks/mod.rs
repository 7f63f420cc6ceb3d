//! Question banks (题库) for staff: `/banks` (the list, and a new bank),
//! `/banks/:id` (questions with filters and bulk actions, import and export,
//! invited lecturers), `/banks/:id/new` and `/questions/:id` (one form for
//! adding and editing a question, with the question's change history).
//!
//! A lecturer sees the banks they are invited to, only their own questions
//! there and only their own invitation; managers (organizers, administrators)
//! see and change everything; reviewers read.

mod bank;
mod import;
mod list;
mod question;
mod question_form;

pub use bank::BankPage;
pub use list::BanksPage;
pub use question::{QuestionEditPage, QuestionNewPage};

use crate::components::text::{Tr, use_tr};
use crate::exams::banks::BankView;
use leptos::prelude::*;

/// One line of text, at most `max` characters (then "…").
fn truncate(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut short: String = flat.chars().take(max).collect();
        short.push('…');
        short
    }
}

/// A field of a question as people read it: the template's column names in
/// Chinese, their English names otherwise.
fn field_name(tr: Tr, field: &str) -> String {
    let field = field.trim().trim_start_matches('*');
    if !tr.is_en() {
        return field.to_owned();
    }
    if let Some(letter) = field.strip_prefix("选项").filter(|l| !l.is_empty()) {
        return format!("Option {letter}");
    }
    match field {
        "题型" => "Type",
        "题干" => "Stem",
        "选项" => "Options",
        "答案" => "Answer",
        "解析" => "Explanation",
        "分值" => "Points",
        "难度" => "Difficulty",
        "知识点" => "Topic",
        "讲师" => "Lecturer",
        "来源" => "Source",
        "标签" => "Tags",
        other => other,
    }
    .to_owned()
}

fn difficulty_label(tr: Tr, level: u8) -> String {
    match (level, tr.is_en()) {
        (1, false) => "1（最易）".to_owned(),
        (5, false) => "5（最难）".to_owned(),
        (1, true) => "1 (easiest)".to_owned(),
        (5, true) => "5 (hardest)".to_owned(),
        (other, _) => other.to_string(),
    }
}

/// The tag of an archived bank, in the list and on its page.
#[component]
fn ArchivedTag(archived: bool) -> impl IntoView {
    let tr = use_tr();
    archived.then(|| {
        view! {
            <span class="tag bank-archived" data-testid="bank-archived">
                {move || tr.t("已归档", "Archived")}
            </span>
        }
    })
}

/// A bank's description, question count and (for an invited lecturer) quota,
/// in the list and on its page.
#[component]
fn BankFacts(bank: BankView) -> impl IntoView {
    let tr = use_tr();
    let count = bank.question_count;
    view! {
        {(!bank.description.is_empty())
            .then(|| view! { <p class="bank-description">{bank.description.clone()}</p> })}
        <p class="bank-meta">
            <span data-testid="bank-count">
                {move || {
                    if tr.is_en() {
                        format!("{count} questions")
                    } else {
                        format!("共 {count} 题")
                    }
                }}
            </span>
            {bank
                .my_quota
                .map(|(quota, have)| {
                    view! {
                        " · "
                        <span class="bank-quota" data-testid="bank-quota">
                            {move || {
                                if tr.is_en() {
                                    format!("You added {have} / {quota}")
                                } else {
                                    format!("已出 {have} / {quota} 题")
                                }
                            }}
                        </span>
                    }
                })}
        </p>
    }
}
