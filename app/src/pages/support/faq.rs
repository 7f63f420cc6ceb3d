//! `/support/faq`: the staff's FAQ editor: add, edit, order, hide, delete.

use super::{counter, refusal_error};
use crate::components::browser::confirm;
use crate::components::error_message::ErrorMessage;
use crate::components::loader::Loaded;
use crate::components::text::use_tr;
use crate::error::AppError;
use crate::support::{FaqItem, delete_faq, load_faq_admin, move_faq, save_faq, set_faq_hidden};
use academy_shared::support::{self as rules, MAX_FAQ_ANSWER_CHARS, MAX_FAQ_QUESTION_CHARS};
use leptos::prelude::*;

/// The two text boxes of an FAQ entry, with their counters.
#[component]
pub(super) fn FaqFields(
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
        <p id=q_count class="hint">
            {move || counter(tr, &question.get(), MAX_FAQ_QUESTION_CHARS)}
        </p>
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
        <p id=a_count class="hint">
            {move || counter(tr, &answer.get(), MAX_FAQ_ANSWER_CHARS)}
        </p>
    }
}

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
                <a href="/support/inbox">
                    {move || tr.t("‹ 返回解疑答惑", "‹ Back to the inbox")}
                </a>
            </div>
            <Loaded
                resource=entries
                loading=("正在载入…", "Loading…")
                transition=true
                let:items
            >
                {
                    let last = items.len().saturating_sub(1);
                    if items.is_empty() {
                        view! {
                            <p class="hint" data-testid="faq-empty">
                                {move || tr.t("暂无常见问题。", "No entries yet.")}
                            </p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <ol class="support-list" data-testid="faq-admin-list">
                                {items
                                    .into_iter()
                                    .enumerate()
                                    .map(|(index, item)| {
                                        view! {
                                            <FaqEditor
                                                item
                                                first=index == 0
                                                last=index == last
                                                changes
                                            />
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                            .into_any()
                    }
                }
            </Loaded>
            <section class="card" aria-labelledby="faq-new-title">
                <h2 id="faq-new-title">{move || tr.t("新增常见问题", "New entry")}</h2>
                <form class="form" novalidate data-testid="faq-new" on:submit=add>
                    <FaqFields prefix="faq-new".to_owned() question answer />
                    <ErrorMessage error=Signal::derive(move || error.get()) />
                    <button
                        type="submit"
                        class="primary"
                        data-testid="faq-add"
                        disabled=move || busy.get()
                    >
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
        <li
            class="support-question faq-entry"
            class:faq-hidden=hidden
            data-testid="faq-admin-item"
            data-id=id
        >
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <p class="faq-entry-question" data-testid="faq-question">
                            {question.get_untracked()}
                            {hidden
                                .then(|| {
                                    view! {
                                        <span class="tag" data-testid="faq-hidden">
                                            {move || tr.t("已隐藏", "Hidden")}
                                        </span>
                                    }
                                })}
                        </p>
                        <p class="support-text" data-testid="faq-answer">
                            {answer.get_untracked()}
                        </p>
                    }
                }
            >
                <form class="form" novalidate on:submit=save>
                    <FaqFields prefix=format!("faq-{id}") question answer />
                    <div class="button-row">
                        <button
                            type="submit"
                            class="primary"
                            data-testid="faq-update"
                            disabled=move || busy.get()
                        >
                            {move || tr.t("保存", "Save")}
                        </button>
                        <button type="button" on:click=cancel.clone()>
                            {move || tr.t("取消", "Cancel")}
                        </button>
                    </div>
                </form>
            </Show>
            <div class="button-row faq-tools">
                <Show when=move || !editing.get()>
                    <button
                        type="button"
                        data-testid="faq-edit"
                        aria-label=label("编辑", "Edit")
                        on:click=move |_| editing.set(true)
                    >
                        {move || tr.t("编辑", "Edit")}
                    </button>
                </Show>
                <button
                    type="button"
                    data-testid="faq-up"
                    disabled=move || first || busy.get()
                    aria-label=label("上移", "Move up")
                    on:click=move |_| run(FaqJob::Move(true))
                >
                    {move || tr.t("上移", "Up")}
                </button>
                <button
                    type="button"
                    data-testid="faq-down"
                    disabled=move || last || busy.get()
                    aria-label=label("下移", "Move down")
                    on:click=move |_| run(FaqJob::Move(false))
                >
                    {move || tr.t("下移", "Down")}
                </button>
                <button
                    type="button"
                    data-testid="faq-toggle"
                    disabled=move || busy.get()
                    aria-label=label(
                        if hidden { "显示" } else { "隐藏" },
                        if hidden { "Show" } else { "Hide" },
                    )
                    on:click=move |_| run(FaqJob::Hide(!hidden))
                >
                    {move || if hidden { tr.t("显示", "Show") } else { tr.t("隐藏", "Hide") }}
                </button>
                <button
                    type="button"
                    class="support-danger"
                    data-testid="faq-delete"
                    disabled=move || busy.get()
                    aria-label=label("删除", "Delete")
                    on:click=move |_| {
                        if confirm(
                            tr.t("确定删除这条常见问题吗？", "Delete this entry?"),
                        ) {
                            run(FaqJob::Delete);
                        }
                    }
                >
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
