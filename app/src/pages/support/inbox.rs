//! `/support/inbox`: the staff inbox by state; answer, close, re-open, and
//! draft an FAQ entry from an answered question.

use super::faq::FaqFields;
use super::{StateBadge, counter, refusal_error};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::Loaded;
use crate::components::text::use_tr;
use crate::error::AppError;
use crate::support::{
    InboxView, QuestionView, StateCounts, answer_question, close_question, load_inbox,
    reopen_question, save_faq,
};
use academy_shared::support::{self as rules, MAX_ANSWER_CHARS, QuestionState};
use academy_shared::time::format_china_time;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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
            {page
                .map(|page| {
                    view! {
                        <dt>{move || tr.t("所在页面", "Page")}</dt>
                        <dd>
                            <a href=page.clone() rel="external" data-testid="question-page">
                                {page.clone()}
                            </a>
                        </dd>
                    }
                })}
            {question
                .class_title
                .clone()
                .map(|title| {
                    view! {
                        <dt>{move || tr.t("培训班", "Class")}</dt>
                        <dd>{title}</dd>
                    }
                })}
            {(!question.device.is_empty())
                .then(|| {
                    view! {
                        <dt>{move || tr.t("设备", "Device")}</dt>
                        <dd data-testid="question-device" title=user_agent>
                            {question.device.clone()}
                        </dd>
                    }
                })}
        </dl>
    }
}

#[component]
pub fn SupportInboxPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query
            .with(|q| q.get("state"))
            .unwrap_or_else(|| QuestionState::Open.code().to_owned())
    });
    let inbox = Resource::new(move || filter.get(), |state| load_inbox(Some(state)));
    view! {
        <div class="support-page support-inbox">
            <div class="support-toolbar">
                <h1>{move || tr.t("解疑答惑", "Support inbox")}</h1>
                <a href="/support/faq" data-testid="go-faq-admin">
                    {move || tr.t("管理常见问题", "Edit the FAQ")}
                </a>
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
            {tabs
                .into_iter()
                .map(|tab| {
                    let href = format!(
                        "/support/inbox?state={}",
                        tab.map_or("all", QuestionState::code),
                    );
                    let testid = format!("inbox-tab-{}", tab.map_or("all", QuestionState::code));
                    view! {
                        <a
                            href=href
                            data-testid=testid
                            aria-current=(tab == filter).then_some("page")
                        >
                            {move || match tab {
                                Some(state) => tr.label(state),
                                None => tr.t("全部", "All"),
                            }}
                            " ("
                            {move || counts.with(|c| tab.map_or_else(|| c.total(), |s| c.of(s)))}
                            ")"
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        {if empty {
            view! {
                <p class="hint" data-testid="inbox-empty">
                    {move || tr.t("这里没有问题。", "Nothing here.")}
                </p>
            }
                .into_any()
        } else {
            view! {
                <ol class="support-list" data-testid="inbox">
                    {data
                        .questions
                        .into_iter()
                        .map(|question| view! { <InboxCard question counts /> })
                        .collect_view()}
                </ol>
            }
                .into_any()
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
            let result = answer_question(id, expected.code().to_owned(), version, text).await;
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
                {asker
                    .map(|asker| {
                        view! {
                            <span class="support-asker" data-testid="question-asker">
                                {asker.real_name}
                                <span class="hint">" "{asker.username}</span>
                                {asker
                                    .phone_masked
                                    .map(|phone| {
                                        view! {
                                            <span class="hint" data-testid="question-phone">
                                                " "
                                                {phone}
                                            </span>
                                        }
                                    })}
                            </span>
                        }
                    })}
            </div>
            <p class="support-text" data-testid="question-body">
                {question.body.clone()}
            </p>
            <AskedFrom question=question.clone() />
            {move || {
                let q = current.get();
                (q.state != QuestionState::Open && !q.answer.is_empty())
                    .then(|| {
                        view! {
                            <p class="hint">
                                {move || tr.t("已由 ", "Answered by ")}
                                {q.answerer_name.clone().unwrap_or_default()}
                                {move || tr.t(" 回答于 ", " at ")}
                                {q.answered_at.map(format_china_time)}
                            </p>
                        }
                    })
            }}
            <Show
                when=move || state.get() != QuestionState::Closed
                fallback=move || {
                    view! {
                        <div class="support-answer">
                            <p class="support-answer-title">{move || tr.t("回答", "Answer")}</p>
                            <p class="support-text" data-testid="answer-text">
                                {move || {
                                    let text = current.with(|q| q.answer.clone());
                                    if text.is_empty() {
                                        tr.t("（未回答）", "(not answered)").to_owned()
                                    } else {
                                        text
                                    }
                                }}
                            </p>
                        </div>
                    }
                }
            >
                <form class="form support-answer-form" novalidate on:submit=send_answer>
                    <label for=answer_id
                        .clone()>
                        {move || {
                            if state.get() == QuestionState::Answered {
                                tr.t("修改回答", "Edit the answer")
                            } else {
                                tr.t("回答", "Answer")
                            }
                        }}
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
                    <p id=count_id.clone() class="hint">
                        {move || counter(tr, &answer.get(), MAX_ANSWER_CHARS)}
                    </p>
                    <div class="button-row">
                        <button
                            type="submit"
                            class="primary"
                            data-testid="answer-submit"
                            disabled=move || busy.get()
                        >
                            {move || {
                                if state.get() == QuestionState::Answered {
                                    tr.t("保存修改", "Save the answer")
                                } else {
                                    tr.t("回答", "Answer")
                                }
                            }}
                        </button>
                        <button
                            type="button"
                            data-testid="close-question"
                            disabled=move || busy.get()
                            on:click=move |_| change(true)
                        >
                            {move || tr.t("关闭问题", "Close")}
                        </button>
                    </div>
                </form>
            </Show>
            <div class="button-row">
                <Show when=move || state.get() == QuestionState::Closed>
                    <button
                        type="button"
                        data-testid="reopen-question"
                        disabled=move || busy.get()
                        on:click=move |_| change(false)
                    >
                        {move || tr.t("重新打开", "Re-open")}
                    </button>
                </Show>
                {move || {
                    let q = current.get();
                    match q.faq_id {
                        Some(_) => {
                            view! {
                                <a href="/support/faq" class="support-in-faq" data-testid="in-faq">
                                    {move || tr.t("已加入常见问题", "In the FAQ")}
                                </a>
                            }
                                .into_any()
                        }
                        None if !q.answer.is_empty() && !faq_open.get() => {
                            view! {
                                <button
                                    type="button"
                                    data-testid="add-to-faq"
                                    on:click=move |_| faq_open.set(true)
                                >
                                    {move || tr.t("加入常见问题", "Add to the FAQ")}
                                </button>
                            }
                                .into_any()
                        }
                        None => ().into_any(),
                    }
                }}
            </div>
            <Show when=move || faq_open.get() && current.with(|q| q.faq_id.is_none())>
                <FaqFromQuestion current faq_open />
            </Show>
            {move || {
                notice
                    .get()
                    .map(|(zh, en)| {
                        view! {
                            <p class="success-message" role="status" data-testid="question-notice">
                                {move || tr.t(zh, en)}
                            </p>
                        }
                    })
            }}
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
        <form
            class="form support-faq-draft"
            novalidate
            data-testid="faq-from-question"
            on:submit=save
        >
            <FaqFields prefix=format!("faq-from-{id}") question answer />
            <ErrorMessage error=Signal::derive(move || error.get()) />
            <div class="button-row">
                <button
                    type="submit"
                    class="primary"
                    data-testid="faq-save"
                    disabled=move || busy.get()
                >
                    {move || tr.t("保存到常见问题", "Save to the FAQ")}
                </button>
                <button type="button" on:click=move |_| faq_open.set(false)>
                    {move || tr.t("取消", "Cancel")}
                </button>
            </div>
        </form>
    }
}
