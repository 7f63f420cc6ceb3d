//! `/support`: the asker's page — the question form, their questions with
//! state and answer, and the FAQ (also for visitors).

use super::{StateBadge, counter, refusal_error};
use crate::components::error_message::ErrorMessage;
use crate::components::header::UserResource;
use crate::components::loader::Loaded;
use crate::components::text::use_tr;
use crate::error::AppError;
use crate::support::{
    FaqItem, QuestionView, ask_question, load_faqs, load_my_questions, reopen_question,
};
use academy_shared::support::{self as rules, MAX_QUESTION_CHARS, QuestionState};
use academy_shared::time::format_china_time;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SupportPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let user = expect_context::<UserResource>();
    let from = Memo::new(move |_| {
        query
            .with(|q| q.get("from"))
            .and_then(|p| rules::page_path(&p))
            .filter(|p| !p.starts_with("/support"))
    });
    let asked = RwSignal::new(0u32);
    let mine = Resource::new(move || asked.get(), |_| load_my_questions());
    let faqs = Resource::new(|| (), |_| load_faqs());
    view! {
        <div class="support-page">
            <h1 data-testid="support-title">
                {move || tr.t("解疑答惑", "Questions and answers")}
            </h1>
            <p class="lead">
                {move || {
                    tr.t(
                        "学习中遇到操作问题？先看看下方的常见问题；没有找到答案就直接提问，工作人员会尽快回复。",
                        "Stuck somewhere? Look through the frequently asked questions below; if your question is not there, ask it and staff will answer soon.",
                    )
                }}
            </p>
            <Transition fallback=|| ()>
                {move || {
                    user.get()
                        .map(|me| match me {
                            Some(_) => view! { <AskForm from asked /> }.into_any(),
                            None => {
                                view! {
                                    <p class="card" data-testid="ask-sign-in">
                                        <a href="/login">{move || tr.t("登录", "Sign in")}</a>
                                        {move || tr.t("后即可提问。", " to ask a question.")}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <Loaded resource=mine transition=true let:mine>
                {match mine {
                    None => ().into_any(),
                    Some(questions) => view! { <MyQuestions questions /> }.into_any(),
                }}
            </Loaded>
            <section class="card support-faq" aria-labelledby="support-faq-title">
                <h2 id="support-faq-title">
                    {move || tr.t("常见问题", "Frequently asked questions")}
                </h2>
                <Loaded resource=faqs let:items>
                    {match items {
                        items if items.is_empty() => {
                            view! {
                                <p class="hint" data-testid="faq-empty">
                                    {move || tr.t("暂无常见问题。", "No entries yet.")}
                                </p>
                            }
                                .into_any()
                        }
                        items => view! { <FaqList items /> }.into_any(),
                    }}
                </Loaded>
            </section>
        </div>
    }
}

/// The FAQ as learners read it: one disclosure per entry.
#[component]
fn FaqList(items: Vec<FaqItem>) -> impl IntoView {
    view! {
        <div class="faq-list" data-testid="faq-list">
            {items
                .into_iter()
                .map(|item| {
                    view! {
                        <details class="faq-item" data-testid="faq-item">
                            <summary data-testid="faq-question">{item.question}</summary>
                            <p class="support-text" data-testid="faq-answer">
                                {item.answer}
                            </p>
                        </details>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn AskForm(from: Memo<Option<String>>, asked: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        done.set(false);
        let body = text.get_untracked();
        if let Err(refusal) = rules::question_text(&body) {
            error.set(Some(refusal_error(refusal)));
            return;
        }
        let page = from
            .get_untracked()
            .unwrap_or_else(|| "/support".to_owned());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = ask_question(body, page).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    text.set(String::new());
                    done.set(true);
                    asked.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card support-ask" aria-labelledby="support-ask-title">
            <h2 id="support-ask-title">{move || tr.t("我要提问", "Ask a question")}</h2>
            <form class="form" novalidate data-testid="ask-form" on:submit=submit>
                {move || {
                    from.get()
                        .map(|page| {
                            view! {
                                <p class="hint" data-testid="ask-page">
                                    {move || {
                                        tr.t(
                                            "将附上您刚才所在的页面：",
                                            "The page you came from is attached: ",
                                        )
                                    }}
                                    <code>{page}</code>
                                </p>
                            }
                        })
                }}
                <label for="support-question">
                    {move || tr.t("您的问题", "Your question")}
                </label>
                <textarea
                    id="support-question"
                    rows="5"
                    autocomplete="off"
                    aria-describedby="support-question-count support-question-note"
                    data-testid="ask-body"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        done.set(false);
                    }
                ></textarea>
                <p
                    id="support-question-count"
                    class="hint"
                    class:support-over=move || {
                        rules::char_len(text.get().trim()) > MAX_QUESTION_CHARS
                    }
                >
                    {move || counter(tr, &text.get(), MAX_QUESTION_CHARS)}
                </p>
                <p id="support-question-note" class="hint">
                    {move || {
                        tr.t(
                            "您使用的设备（如“微信 · Android 手机”）会自动附上，便于工作人员排查问题。",
                            "Your device (such as \"WeChat · Android phone\") is attached automatically, to help staff find the problem.",
                        )
                    }}
                </p>
                <ErrorMessage error=Signal::derive(move || error.get()) />
                <Show when=move || done.get()>
                    <p class="success-message" role="status" data-testid="ask-done">
                        {move || {
                            tr.t(
                                "问题已提交。工作人员回答后，答案会显示在下方“我的提问”中。",
                                "Your question was sent. The answer will appear under \"My questions\" below.",
                            )
                        }}
                    </p>
                </Show>
                <button
                    type="submit"
                    class="primary"
                    data-testid="ask-submit"
                    disabled=move || busy.get()
                >
                    {move || {
                        if busy.get() {
                            tr.t("正在提交…", "Sending…")
                        } else {
                            tr.t("提交问题", "Send")
                        }
                    }}
                </button>
            </form>
        </section>
    }
}

#[component]
fn MyQuestions(questions: Vec<QuestionView>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="card support-mine" aria-labelledby="support-mine-title">
            <h2 id="support-mine-title">{move || tr.t("我的提问", "My questions")}</h2>
            {if questions.is_empty() {
                view! {
                    <p class="hint" data-testid="mine-empty">
                        {move || {
                            tr.t("您还没有提过问题。", "You have not asked anything yet.")
                        }}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ol class="support-list" data-testid="my-questions">
                        {questions
                            .into_iter()
                            .map(|question| view! { <MyQuestion question /> })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn MyQuestion(question: QuestionView) -> impl IntoView {
    let tr = use_tr();
    let id = question.id;
    let current = RwSignal::new(question);
    let state = Signal::derive(move || current.with(|q| q.state));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let reopen = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let version = current.with_untracked(|q| q.version);
        leptos::task::spawn_local(async move {
            let result = reopen_question(id, version).await;
            busy.set(false);
            match result {
                Ok(updated) => current.set(updated),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <li class="support-question" data-testid="my-question" data-id=id>
            <div class="support-question-head">
                <StateBadge state />
                <span class="hint">
                    {move || format_china_time(current.with(|q| q.created_at))}
                </span>
            </div>
            <p class="support-text" data-testid="question-body">
                {move || current.with(|q| q.body.clone())}
            </p>
            {move || {
                let q = current.get();
                let page = rules::page_path(&q.page);
                view! {
                    <p class="hint support-origin">
                        {page
                            .map(|page| {
                                view! {
                                    <span>
                                        {move || tr.t("页面：", "Page: ")}
                                        <span data-testid="question-page">{page}</span>
                                    </span>
                                }
                            })}
                        {(!q.device.is_empty())
                            .then(|| {
                                view! {
                                    <span>
                                        {move || tr.t("设备：", "Device: ")}
                                        <span data-testid="question-device">
                                            {q.device.clone()}
                                        </span>
                                    </span>
                                }
                            })}
                    </p>
                }
            }}
            {move || {
                let q = current.get();
                (!q.answer.is_empty())
                    .then(|| {
                        view! {
                            <div class="support-answer" data-testid="question-answer">
                                <p class="support-answer-title">
                                    {move || tr.t("工作人员回答", "Staff answer")}
                                    {q
                                        .answered_at
                                        .map(|at| {
                                            view! {
                                                <span class="hint">" · "{format_china_time(at)}</span>
                                            }
                                        })}
                                </p>
                                <p class="support-text" data-testid="answer-text">
                                    {q.answer.clone()}
                                </p>
                            </div>
                        }
                    })
            }}
            <Show when=move || state.get() == QuestionState::Closed>
                <div class="button-row">
                    <button
                        type="button"
                        data-testid="reopen"
                        disabled=move || busy.get()
                        on:click=reopen
                    >
                        {move || tr.t("仍未解决，重新打开", "Not solved: re-open")}
                    </button>
                </div>
            </Show>
            <ErrorMessage error=Signal::derive(move || error.get()) />
        </li>
    }
}
