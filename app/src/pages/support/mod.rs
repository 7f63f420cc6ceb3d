//! Support questions (解疑答惑) and the FAQ (常见问题):
//!
//! * `/support`: the asker's page — the question form (the page asked from
//!   comes as `?from=<path>`, the header's 提问 link adds it; the device is
//!   described by the server), their questions with state and answer, and
//!   the FAQ (also for visitors).
//! * `/support/inbox`: the staff inbox (organizers, administrators) by state,
//!   with the asker (phone masked), page, device and time; answer, close,
//!   re-open, and 加入常见问题 to draft an FAQ entry from an answered question.
//! * `/support/faq`: the staff's FAQ editor: add, edit, order, hide, delete.
//!
//! Every text a person wrote is rendered as text (escaped), never as markup.

mod ask;
mod faq;
mod inbox;

pub use ask::SupportPage;
pub use faq::SupportFaqPage;
pub use inbox::SupportInboxPage;

use crate::auth::CurrentUser;
use crate::components::text::{Tr, use_tr};
use crate::error::AppError;
use crate::support::load_open_count;
use academy_shared::support::{self as rules, QuestionState, Refusal};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

fn refusal_error(refusal: Refusal) -> AppError {
    AppError::invalid(refusal.zh, refusal.en)
}

/// "已写 12 / 1000 字" for a text box with a limit.
fn counter(tr: Tr, text: &str, max: usize) -> String {
    let n = rules::char_len(text.trim());
    if tr.is_en() {
        format!("{n} / {max} characters")
    } else {
        format!("已写 {n} / {max} 字")
    }
}

fn is_inbox_staff(me: &CurrentUser) -> bool {
    me.has_role(academy_shared::role::Role::Organizer)
        || me.has_role(academy_shared::role::Role::Admin)
}

/// The header's entry: 提问 (to `/support`, with the current page) for
/// everyone who asks, and 解疑答惑 with the number of open questions for
/// the inbox staff.
#[component]
pub fn SupportNavLinks(me: CurrentUser) -> impl IntoView {
    let tr = use_tr();
    let location = use_location();
    if is_inbox_staff(&me) {
        // Fetched in the browser only, after hydration and on every
        // navigation: a resource created here, inside the header's
        // transition, would be numbered differently on the server and in
        // the browser and break the page's hydration.
        let count = RwSignal::new(None::<i64>);
        Effect::new(move |_| {
            let _ = location.pathname.get();
            leptos::task::spawn_local(async move {
                if let Ok(n) = load_open_count().await {
                    count.set(n);
                }
            });
        });
        view! {
            <A href="/support/inbox" attr:data-testid="nav-support-inbox">
                {move || tr.t("解疑答惑", "Support")}
                {move || {
                    count
                        .get()
                        .filter(|n| *n > 0)
                        .map(|n| {
                            view! {
                                <span class="nav-count" data-testid="support-open-count">
                                    {n}
                                    <span class="visually-hidden">
                                        {move || tr.t("个待回答", " open")}
                                    </span>
                                </span>
                            }
                        })
                }}
            </A>
        }
        .into_any()
    } else {
        let href = move || {
            let path = location.pathname.get();
            if path.starts_with("/support") {
                "/support".to_owned()
            } else {
                format!("/support?from={}", rules::encode_query_value(&path))
            }
        };
        view! {
            <A href=href attr:data-testid="nav-ask">
                {move || tr.t("提问", "Ask")}
            </A>
        }
        .into_any()
    }
}

#[component]
fn StateBadge(#[prop(into)] state: Signal<QuestionState>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <span
            class=move || format!("support-state support-state-{}", state.get().code())
            data-testid="question-state"
            data-state=move || state.get().code()
        >
            {move || tr.label(state.get())}
        </span>
    }
}
