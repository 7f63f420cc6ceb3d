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

use crate::auth::CurrentUser;
use crate::components::browser::confirm;
use crate::components::error_message::ErrorMessage;
use crate::components::header::UserResource;
use crate::components::loader::Loaded;
use crate::components::text::{Tr, use_tr};
use crate::error::AppError;
use crate::support::{
    FaqItem, InboxView, QuestionView, StateCounts, answer_question, ask_question, close_question,
    delete_faq, load_faq_admin, load_faqs, load_inbox, load_my_questions, load_open_count,
    move_faq, reopen_question, save_faq, set_faq_hidden,
};
use academy_shared::support::{
    self as rules, MAX_ANSWER_CHARS, MAX_FAQ_ANSWER_CHARS, MAX_FAQ_QUESTION_CHARS,
    MAX_QUESTION_CHARS, QuestionState, Refusal,
};
use academy_shared::time::format_china_time;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};

fn state_label(tr: Tr, state: QuestionState) -> &'static str {
    if tr.is_en() {
        state.label_en()
    } else {
        state.label_zh()
    }
}

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
        view! { <A href=href attr:data-testid="nav-ask">{move || tr.t("提问", "Ask")}</A> }
            .into_any()
    }
}

#[component]
fn StateBadge(#[prop(into)] state: Signal<QuestionState>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <span
            class=move || format!("support-state support-state-{}", state.get().as_str())
            data-testid="question-state"
            data-state=move || state.get().as_str()
        >
            {move || state_label(tr, state.get())}
        </span>
    }
}

/// Where and on what a question was asked.
#[component]
fn AskedFrom(question: QuestionView) -> impl IntoView {
    let tr = use_tr();
    let page = rules::page_path(&question.page);
    let user_agent = question.user_agent.clone().unwrap_or_default();
    view! {
        <dl class="support-meta">
            <dt>{move || tr.t("提问时间", "Asked")}</dt>
            <dd>{format_china_time(question.created_at)}</dd>
            {page.map(|page| view! {
                <dt>{move || tr.t("所在页面", "Page")}</dt>
                <dd><a href=page.clone() rel="external" data-testid="question-page">{page.clone()}</a></dd>
            })}
            {question.class_title.clone().map(|title| view! {
                <dt>{move || tr.t("培训班", "Class")}</dt>
                <dd>{title}</dd>
            })}
            {(!question.device.is_empty()).then(|| view! {
                <dt>{move || tr.t("设备", "Device")}</dt>
                <dd data-testid="question-device" title=user_agent>{question.device.clone()}</dd>
            })}
        </dl>
    }
}

// ---- /support: the asker's page -------------------------------------------------

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
            <h1 data-testid="support-title">{move || tr.t("解疑答惑", "Questions and answers")}</h1>
            <p class="lead">
                {move || tr.t(
                    "学习中遇到操作问题？先看看下方的常见问题；没有找到答案就直接提问，工作人员会尽快回复。",
                    "Stuck somewhere? Look through the frequently asked questions below; if your question is not there, ask it and staff will answer soon.",
                )}
            </p>
            <Transition fallback=|| ()>
                {move || user.get().map(|me| match me {
                    Some(_) => view! { <AskForm from asked /> }.into_any(),
                    None => view! {
                        <p class="card" data-testid="ask-sign-in">
                            <a href="/login">{move || tr.t("登录", "Sign in")}</a>
                            {move || tr.t("后即可提问。", " to ask a question.")}
                        </p>
                    }.into_any(),
                })}
            </Transition>
            <Loaded resource=mine transition=true let:mine>
                {match mine {
                    None => ().into_any(),
                    Some(questions) => view! { <MyQuestions questions /> }.into_any(),
                }}
            </Loaded>
            <section class="card support-faq" aria-labelledby="support-faq-title">
                <h2 id="support-faq-title">{move || tr.t("常见问题", "Frequently asked questions")}</h2>
                <Loaded resource=faqs let:items>
                    {match items {
                        items if items.is_empty() => view! {
                            <p class="hint" data-testid="faq-empty">{move || tr.t("暂无常见问题。", "No entries yet.")}</p>
                        }.into_any(),
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
            {items.into_iter().map(|item| view! {
                <details class="faq-item" data-testid="faq-item">
                    <summary data-testid="faq-question">{item.question}</summary>
                    <p class="support-text" data-testid="faq-answer">{item.answer}</p>
                </details>
            }).collect_view()}
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
                {move || from.get().map(|page| view! {
                    <p class="hint" data-testid="ask-page">
                        {move || tr.t("将附上您刚才所在的页面：", "The page you came from is attached: ")}
                        <code>{page}</code>
                    </p>
                })}
                <label for="support-question">{move || tr.t("您的问题", "Your question")}</label>
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
                    class:support-over={move || rules::char_len(text.get().trim()) > MAX_QUESTION_CHARS}
                >
                    {move || counter(tr, &text.get(), MAX_QUESTION_CHARS)}
                </p>
                <p id="support-question-note" class="hint">
                    {move || tr.t(
                        "您使用的设备（如“微信 · Android 手机”）会自动附上，便于工作人员排查问题。",
                        "Your device (such as \"WeChat · Android phone\") is attached automatically, to help staff find the problem.",
                    )}
                </p>
                <ErrorMessage error=Signal::derive(move || error.get()) />
                <Show when=move || done.get()>
                    <p class="success-message" role="status" data-testid="ask-done">
                        {move || tr.t(
                            "问题已提交。工作人员回答后，答案会显示在下方“我的提问”中。",
                            "Your question was sent. The answer will appear under \"My questions\" below.",
                        )}
                    </p>
                </Show>
                <button type="submit" class="primary" data-testid="ask-submit" disabled=move || busy.get()>
                    {move || if busy.get() { tr.t("正在提交…", "Sending…") } else { tr.t("提交问题", "Send") }}
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
                view! { <p class="hint" data-testid="mine-empty">{move || tr.t("您还没有提过问题。", "You have not asked anything yet.")}</p> }.into_any()
            } else {
                view! {
                    <ol class="support-list" data-testid="my-questions">
                        {questions.into_iter().map(|question| view! { <MyQuestion question /> }).collect_view()}
                    </ol>
                }.into_any()
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
                <span class="hint">{move || format_china_time(current.with(|q| q.created_at))}</span>
            </div>
            <p class="support-text" data-testid="question-body">{move || current.with(|q| q.body.clone())}</p>
            {move || {
                let q = current.get();
                let page = rules::page_path(&q.page);
                view! {
                    <p class="hint support-origin">
                        {page.map(|page| view! { <span>{move || tr.t("页面：", "Page: ")}<span data-testid="question-page">{page}</span></span> })}
                        {(!q.device.is_empty()).then(|| view! { <span>{move || tr.t("设备：", "Device: ")}<span data-testid="question-device">{q.device.clone()}</span></span> })}
                    </p>
                }
            }}
            {move || {
                let q = current.get();
                (!q.answer.is_empty()).then(|| view! {
                    <div class="support-answer" data-testid="question-answer">
                        <p class="support-answer-title">
                            {move || tr.t("工作人员回答", "Staff answer")}
                            {q.answered_at.map(|at| view! { <span class="hint">" · "{format_china_time(at)}</span> })}
                        </p>
                        <p class="support-text" data-testid="answer-text">{q.answer.clone()}</p>
                    </div>
                })
            }}
            <Show when=move || state.get() == QuestionState::Closed>
                <div class="button-row">
                    <button type="button" data-testid="reopen" disabled=move || busy.get() on:click=reopen>
                        {move || tr.t("仍未解决，重新打开", "Not solved: re-open")}
                    </button>
                </div>
            </Show>
            <ErrorMessage error=Signal::derive(move || error.get()) />
        </li>
    }
}

// ---- /support/inbox: the staff inbox ---------------------------------------------

#[component]
pub fn SupportInboxPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query
            .with(|q| q.get("state"))
            .unwrap_or_else(|| QuestionState::Open.as_str().to_owned())
    });
    let inbox = Resource::new(move || filter.get(), |state| load_inbox(Some(state)));
    view! {
        <div class="support-page support-inbox">
            <div class="support-toolbar">
                <h1>{move || tr.t("解疑答惑", "Support inbox")}</h1>
                <a href="/support/faq" data-testid="go-faq-admin">{move || tr.t("管理常见问题", "Edit the FAQ")}</a>
            </div>
            <Loaded resource=inbox loading=("正在载入…", "Loading…") let:data>
                <Inbox data />
            </Loaded>
        </div>
    }
}

#[component]
fn Inbox(data: InboxView) -> impl IntoView {
    let tr = use_tr();
    let counts = RwSignal::new(data.counts);
    let filter = data.filter;
    let tabs = [
        Some(QuestionState::Open),
        Some(QuestionState::Answered),
        Some(QuestionState::Closed),
        None,
    ];
    let empty = data.questions.is_empty();
    view! {
        <nav class="sub-nav" aria-label=move || tr.t("按状态筛选", "By state")>
            {tabs.into_iter().map(|tab| {
                let href = format!("/support/inbox?state={}", tab.map_or("all", QuestionState::as_str));
                let testid = format!("inbox-tab-{}", tab.map_or("all", QuestionState::as_str));
                view! {
                    <a href=href data-testid=testid aria-current=(tab == filter).then_some("page")>
                        {move || match tab {
                            Some(state) => state_label(tr, state),
                            None => tr.t("全部", "All"),
                        }}
                        " ("
                        {move || counts.with(|c| tab.map_or_else(|| c.total(), |s| c.of(s)))}
                        ")"
                    </a>
                }
            }).collect_view()}
        </nav>
        {if empty {
            view! { <p class="hint" data-testid="inbox-empty">{move || tr.t("这里没有问题。", "Nothing here.")}</p> }.into_any()
        } else {
            view! {
                <ol class="support-list" data-testid="inbox">
                    {data.questions.into_iter().map(|question| view! { <InboxCard question counts /> }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

#[component]
fn InboxCard(question: QuestionView, counts: RwSignal<StateCounts>) -> impl IntoView {
    let tr = use_tr();
    let id = question.id;
    let current = RwSignal::new(question.clone());
    let state = Signal::derive(move || current.with(|q| q.state));
    let answer = RwSignal::new(question.answer.clone());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<(&'static str, &'static str)>);
    let faq_open = RwSignal::new(false);
    let answer_id = format!("support-answer-{id}");
    let count_id = format!("support-answer-{id}-count");

    // Applies what the server returned after a change.
    let apply = move |updated: QuestionView, message: (&'static str, &'static str)| {
        let before = current.with_untracked(|q| q.state);
        counts.update(|c| *c = c.moved(before, updated.state));
        answer.set(updated.answer.clone());
        current.set(updated);
        notice.set(Some(message));
    };

    let send_answer = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        notice.set(None);
        let text = answer.get_untracked();
        if let Err(refusal) = rules::answer_text(&text) {
            error.set(Some(refusal_error(refusal)));
            return;
        }
        let (expected, version) = current.with_untracked(|q| (q.state, q.version));
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = answer_question(id, expected.as_str().to_owned(), version, text).await;
            busy.set(false);
            match result {
                Ok(updated) => apply(
                    updated,
                    (
                        "回答已保存，提问人可在“我的提问”中看到。",
                        "Answer saved: the asker sees it under \"My questions\".",
                    ),
                ),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let change = move |close: bool| {
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        notice.set(None);
        let version = current.with_untracked(|q| q.version);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = if close {
                close_question(id, version).await
            } else {
                reopen_question(id, version).await
            };
            busy.set(false);
            match result {
                Ok(updated) if close => apply(updated, ("问题已关闭。", "Question closed.")),
                Ok(updated) => apply(updated, ("问题已重新打开。", "Question re-opened.")),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let asker = question.asker.clone();
    view! {
        <li class="support-question" data-testid="inbox-question" data-id=id>
            <div class="support-question-head">
                <StateBadge state />
                {asker.map(|asker| view! {
                    <span class="support-asker" data-testid="question-asker">
                        {asker.real_name}
                        <span class="hint">" "{asker.username}</span>
                        {asker.phone_masked.map(|phone| view! { <span class="hint" data-testid="question-phone">" "{phone}</span> })}
                    </span>
                })}
            </div>
            <p class="support-text" data-testid="question-body">{question.body.clone()}</p>
            <AskedFrom question=question.clone() />
            {move || {
                let q = current.get();
                (q.state != QuestionState::Open && !q.answer.is_empty()).then(|| view! {
                    <p class="hint">
                        {move || tr.t("已由 ", "Answered by ")}
                        {q.answerer_name.clone().unwrap_or_default()}
                        {move || tr.t(" 回答于 ", " at ")}
                        {q.answered_at.map(format_china_time)}
                    </p>
                })
            }}
            <Show
                when=move || state.get() != QuestionState::Closed
                fallback=move || view! {
                    <div class="support-answer">
                        <p class="support-answer-title">{move || tr.t("回答", "Answer")}</p>
                        <p class="support-text" data-testid="answer-text">
                            {move || {
                                let text = current.with(|q| q.answer.clone());
                                if text.is_empty() { tr.t("（未回答）", "(not answered)").to_owned() } else { text }
                            }}
                        </p>
                    </div>
                }
            >
                <form class="form support-answer-form" novalidate on:submit=send_answer>
                    <label for=answer_id.clone()>
                        {move || if state.get() == QuestionState::Answered { tr.t("修改回答", "Edit the answer") } else { tr.t("回答", "Answer") }}
                    </label>
                    <textarea
                        id=answer_id.clone()
                        rows="4"
                        autocomplete="off"
                        aria-describedby=count_id.clone()
                        data-testid="answer-input"
                        prop:value=move || answer.get()
                        on:input=move |ev| answer.set(event_target_value(&ev))
                    ></textarea>
                    <p id=count_id.clone() class="hint">{move || counter(tr, &answer.get(), MAX_ANSWER_CHARS)}</p>
                    <div class="button-row">
                        <button type="submit" class="primary" data-testid="answer-submit" disabled=move || busy.get()>
                            {move || if state.get() == QuestionState::Answered { tr.t("保存修改", "Save the answer") } else { tr.t("回答", "Answer") }}
                        </button>
                        <button type="button" data-testid="close-question" disabled=move || busy.get() on:click=move |_| change(true)>
                            {move || tr.t("关闭问题", "Close")}
                        </button>
                    </div>
                </form>
            </Show>
            <div class="button-row">
                <Show when=move || state.get() == QuestionState::Closed>
                    <button type="button" data-testid="reopen-question" disabled=move || busy.get() on:click=move |_| change(false)>
                        {move || tr.t("重新打开", "Re-open")}
                    </button>
                </Show>
                {move || {
                    let q = current.get();
                    match q.faq_id {
                        Some(_) => view! {
                            <a href="/support/faq" class="support-in-faq" data-testid="in-faq">{move || tr.t("已加入常见问题", "In the FAQ")}</a>
                        }.into_any(),
                        None if !q.answer.is_empty() && !faq_open.get() => view! {
                            <button type="button" data-testid="add-to-faq" on:click=move |_| faq_open.set(true)>
                                {move || tr.t("加入常见问题", "Add to the FAQ")}
                            </button>
                        }.into_any(),
                        None => ().into_any(),
                    }
                }}
            </div>
            <Show when=move || faq_open.get() && current.with(|q| q.faq_id.is_none())>
                <FaqFromQuestion current faq_open />
            </Show>
            {move || notice.get().map(|(zh, en)| view! {
                <p class="success-message" role="status" data-testid="question-notice">{move || tr.t(zh, en)}</p>
            })}
            <ErrorMessage error=Signal::derive(move || error.get()) />
        </li>
    }
}

/// The FAQ entry drafted from an answered question, for staff to edit and save.
#[component]
fn FaqFromQuestion(current: RwSignal<QuestionView>, faq_open: RwSignal<bool>) -> impl IntoView {
    let tr = use_tr();
    let (id, body, answer_text) =
        current.with_untracked(|q| (q.id, q.body.clone(), q.answer.clone()));
    let question = RwSignal::new(rules::faq_question_draft(&body));
    let answer = RwSignal::new(answer_text);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let (q, a) = (question.get_untracked(), answer.get_untracked());
        if let Err(problems) = rules::faq_entry(&q, &a) {
            if let Some(first) = problems.into_iter().next() {
                error.set(Some(refusal_error(first)));
            }
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = save_faq(None, Some(id), q, a).await;
            busy.set(false);
            match result {
                Ok(item) => {
                    current.update(|q| q.faq_id = Some(item.id));
                    faq_open.set(false);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form support-faq-draft" novalidate data-testid="faq-from-question" on:submit=save>
            <FaqFields prefix=format!("faq-from-{id}") question answer />
            <ErrorMessage error=Signal::derive(move || error.get()) />
            <div class="button-row">
                <button type="submit" class="primary" data-testid="faq-save" disabled=move || busy.get()>
                    {move || tr.t("保存到常见问题", "Save to the FAQ")}
                </button>
                <button type="button" on:click=move |_| faq_open.set(false)>{move || tr.t("取消", "Cancel")}</button>
            </div>
        </form>
    }
}

/// The two text boxes of an FAQ entry, with their counters.
#[component]
fn FaqFields(
    prefix: String,
    question: RwSignal<String>,
    answer: RwSignal<String>,
) -> impl IntoView {
    let tr = use_tr();
    let q_id = format!("{prefix}-question");
    let a_id = format!("{prefix}-answer");
    let q_count = format!("{prefix}-question-count");
    let a_count = format!("{prefix}-answer-count");
    view! {
        <label for=q_id.clone()>{move || tr.t("常见问题", "Question")}</label>
        <input
            id=q_id
            type="text"
            autocomplete="off"
            aria-describedby=q_count.clone()
            data-testid="faq-question-input"
            prop:value=move || question.get()
            on:input=move |ev| question.set(event_target_value(&ev))
        />
        <p id=q_count class="hint">{move || counter(tr, &question.get(), MAX_FAQ_QUESTION_CHARS)}</p>
        <label for=a_id.clone()>{move || tr.t("解答", "Answer")}</label>
        <textarea
            id=a_id
            rows="4"
            autocomplete="off"
            aria-describedby=a_count.clone()
            data-testid="faq-answer-input"
            prop:value=move || answer.get()
            on:input=move |ev| answer.set(event_target_value(&ev))
        ></textarea>
        <p id=a_count class="hint">{move || counter(tr, &answer.get(), MAX_FAQ_ANSWER_CHARS)}</p>
    }
}

// ---- /support/faq: the staff's FAQ editor ------------------------------------------

#[component]
pub fn SupportFaqPage() -> impl IntoView {
    let tr = use_tr();
    let changes = RwSignal::new(0u32);
    let entries = Resource::new(move || changes.get(), |_| load_faq_admin());
    let question = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let (q, a) = (question.get_untracked(), answer.get_untracked());
        if let Err(problems) = rules::faq_entry(&q, &a) {
            if let Some(first) = problems.into_iter().next() {
                error.set(Some(refusal_error(first)));
            }
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = save_faq(None, None, q, a).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    question.set(String::new());
                    answer.set(String::new());
                    changes.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="support-page support-faq-admin">
            <div class="support-toolbar">
                <h1>{move || tr.t("管理常见问题", "Edit the FAQ")}</h1>
                <a href="/support/inbox">{move || tr.t("‹ 返回解疑答惑", "‹ Back to the inbox")}</a>
            </div>
            <Loaded resource=entries loading=("正在载入…", "Loading…") transition=true let:items>
                {
                    let last = items.len().saturating_sub(1);
                    if items.is_empty() {
                        view! { <p class="hint" data-testid="faq-empty">{move || tr.t("暂无常见问题。", "No entries yet.")}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="support-list" data-testid="faq-admin-list">
                                {items.into_iter().enumerate().map(|(index, item)| view! {
                                    <FaqEditor item first={index == 0} last={index == last} changes />
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                }
            </Loaded>
            <section class="card" aria-labelledby="faq-new-title">
                <h2 id="faq-new-title">{move || tr.t("新增常见问题", "New entry")}</h2>
                <form class="form" novalidate data-testid="faq-new" on:submit=add>
                    <FaqFields prefix="faq-new".to_owned() question answer />
                    <ErrorMessage error=Signal::derive(move || error.get()) />
                    <button type="submit" class="primary" data-testid="faq-add" disabled=move || busy.get()>
                        {move || tr.t("添加", "Add")}
                    </button>
                </form>
            </section>
        </div>
    }
}

#[component]
fn FaqEditor(item: FaqItem, first: bool, last: bool, changes: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    let id = item.id;
    let hidden = item.hidden;
    let editing = RwSignal::new(false);
    let question = RwSignal::new(item.question.clone());
    let answer = RwSignal::new(item.answer.clone());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);

    // Runs one change on the server, then reloads the list.
    let run = move |job: FaqJob| {
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match job {
                FaqJob::Save(q, a) => save_faq(Some(id), None, q, a).await.map(|_| ()),
                FaqJob::Hide(hide) => set_faq_hidden(id, hide).await,
                FaqJob::Move(up) => move_faq(id, up).await,
                FaqJob::Delete => delete_faq(id).await,
            };
            busy.set(false);
            match result {
                Ok(()) => changes.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (q, a) = (question.get_untracked(), answer.get_untracked());
        if let Err(problems) = rules::faq_entry(&q, &a) {
            if let Some(first) = problems.into_iter().next() {
                error.set(Some(refusal_error(first)));
            }
            return;
        }
        run(FaqJob::Save(q, a));
    };
    let (original_question, original_answer) = (item.question.clone(), item.answer.clone());
    let cancel = move |_| {
        question.set(original_question.clone());
        answer.set(original_answer.clone());
        editing.set(false);
    };
    // Each tool names its entry: a list of identical "删除" buttons says nothing.
    let title = StoredValue::new(item.question.clone());
    let label = move |zh: &'static str, en: &'static str| {
        move || title.with_value(|t| format!("{}：{t}", tr.t(zh, en)))
    };
    view! {
        <li class="support-question faq-entry" class:faq-hidden=hidden data-testid="faq-admin-item" data-id=id>
            <Show
                when=move || editing.get()
                fallback=move || view! {
                    <p class="faq-entry-question" data-testid="faq-question">
                        {question.get_untracked()}
                        {hidden.then(|| view! { <span class="tag" data-testid="faq-hidden">{move || tr.t("已隐藏", "Hidden")}</span> })}
                    </p>
                    <p class="support-text" data-testid="faq-answer">{answer.get_untracked()}</p>
                }
            >
                <form class="form" novalidate on:submit=save>
                    <FaqFields prefix=format!("faq-{id}") question answer />
                    <div class="button-row">
                        <button type="submit" class="primary" data-testid="faq-update" disabled=move || busy.get()>{move || tr.t("保存", "Save")}</button>
                        <button type="button" on:click=cancel.clone()>{move || tr.t("取消", "Cancel")}</button>
                    </div>
                </form>
            </Show>
            <div class="button-row faq-tools">
                <Show when=move || !editing.get()>
                    <button type="button" data-testid="faq-edit" aria-label=label("编辑", "Edit")
                        on:click=move |_| editing.set(true)>{move || tr.t("编辑", "Edit")}</button>
                </Show>
                <button type="button" data-testid="faq-up" disabled=move || first || busy.get()
                    aria-label=label("上移", "Move up")
                    on:click=move |_| run(FaqJob::Move(true))>{move || tr.t("上移", "Up")}</button>
                <button type="button" data-testid="faq-down" disabled=move || last || busy.get()
                    aria-label=label("下移", "Move down")
                    on:click=move |_| run(FaqJob::Move(false))>{move || tr.t("下移", "Down")}</button>
                <button type="button" data-testid="faq-toggle" disabled=move || busy.get()
                    aria-label=label(if hidden { "显示" } else { "隐藏" }, if hidden { "Show" } else { "Hide" })
                    on:click=move |_| run(FaqJob::Hide(!hidden))>
                    {move || if hidden { tr.t("显示", "Show") } else { tr.t("隐藏", "Hide") }}
                </button>
                <button type="button" class="support-danger" data-testid="faq-delete" disabled=move || busy.get()
                    aria-label=label("删除", "Delete")
                    on:click=move |_| {
                        if confirm(tr.t("确定删除这条常见问题吗？", "Delete this entry?")) {
                            run(FaqJob::Delete);
                        }
                    }>
                    {move || tr.t("删除", "Delete")}
                </button>
            </div>
            <ErrorMessage error=Signal::derive(move || error.get()) />
        </li>
    }
}

/// One change to an FAQ entry.
enum FaqJob {
    Save(String, String),
    Hide(bool),
    Move(bool),
    Delete,
}
