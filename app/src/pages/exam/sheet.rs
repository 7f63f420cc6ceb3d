//! `/attempts/:id`: sitting a paper, with its clock, autosave and hand-in.

use super::*;

#[component]
pub fn AttemptPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<AttemptId>();
    let paper = Resource::new(
        move || id.get(),
        |id| async move { attempt_paper(found(id)?).await },
    );
    view! {
        <Loaded resource=paper loading=("正在载入试卷…", "Loading the paper…") let:paper>
            {match paper {
                paper if paper.closed => {
                    view! {
                        <h1>{paper.exam_title.clone()}</h1>
                        <p data-testid="attempt-closed">
                            {move || {
                                tr.t("本次考试已交卷。", "This attempt has been handed in.")
                            }}" "
                            <a href=format!(
                                "/attempts/{}/review",
                                paper.attempt,
                            )>{move || tr.t("查看结果", "See the result")}</a>
                        </p>
                    }
                        .into_any()
                }
                paper => view! { <ExamSheet paper /> }.into_any(),
            }}
        </Loaded>
    }
}

/// Whether the sheet shows one question at a time or all of them; `Auto`
/// lets the screen width decide (CSS), so the server renders the same page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Auto,
    One,
    All,
}

/// Saving state as the learner sees it.
#[derive(Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(crate) enum SaveState {
    Saved,
    Saving,
    Offline,
    /// Saved again after the network was gone: said once, so the learner
    /// knows nothing was lost.
    BackOnline,
    Refused(AppError),
}

/// What the sheet's controls share with the browser engine.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(crate) struct Sheet {
    pub attempt: AttemptId,
    pub responses: RwSignal<Vec<Option<Response>>>,
    /// Positions changed since the server last acknowledged them.
    pub dirty: RwSignal<BTreeSet<i64>>,
    pub remaining_ms: RwSignal<i64>,
    pub save_state: RwSignal<SaveState>,
    /// A save failed for want of network since the last one that succeeded.
    pub was_offline: RwSignal<bool>,
    pub submitting: RwSignal<bool>,
    pub finished: RwSignal<bool>,
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(crate) fn backup_key(attempt: AttemptId) -> String {
    format!("academy.exam.{attempt}")
}

#[component]
fn ExamSheet(paper: PaperView) -> impl IntoView {
    let tr = use_tr();
    let count = paper.questions.len();
    let sheet = Sheet {
        attempt: paper.attempt,
        responses: RwSignal::new(paper.responses.clone()),
        dirty: RwSignal::new(BTreeSet::new()),
        remaining_ms: RwSignal::new((paper.deadline_ms - paper.server_now_ms).max(0)),
        save_state: RwSignal::new(SaveState::Saved),
        was_offline: RwSignal::new(false),
        submitting: RwSignal::new(false),
        finished: RwSignal::new(false),
    };
    let current = RwSignal::new(0usize);
    let layout = RwSignal::new(Layout::Auto);
    // Whether the screen shows all questions when the layout is `Auto` (CSS
    // decides that); learnt after hydration so the first render matches the
    // server's.
    let wide = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let width = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0);
        wide.set(width >= 900.0);
    });
    let shows_all = move || match layout.get() {
        Layout::All => true,
        Layout::One => false,
        Layout::Auto => wide.get(),
    };
    let confirming = RwSignal::new(false);
    let navigate = use_navigate();

    #[cfg(feature = "hydrate")]
    {
        let engine = engine::Engine::start(sheet, &paper, navigate);
        on_cleanup(move || engine.stop());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = &navigate;

    let submit_now = move || {
        #[cfg(feature = "hydrate")]
        engine::submit();
    };

    let answered = move || {
        sheet
            .responses
            .with(|r| r.iter().filter(|x| is_answered(x.as_ref())).count())
    };
    let sheet_class = move || {
        format!(
            "exam-sheet {}",
            match layout.get() {
                Layout::Auto => "layout-auto",
                Layout::One => "layout-one",
                Layout::All => "layout-all",
            }
        )
    };
    view! {
        <div class=sheet_class data-testid="exam-sheet">
            <header class="exam-bar">
                <h1>{paper.exam_title.clone()}</h1>
                <p
                    class="countdown"
                    role="timer"
                    aria-live="off"
                    data-testid="countdown"
                    class:urgent=move || { sheet.remaining_ms.get() < 60_000 }
                >
                    {move || tr.t("剩余 ", "Left ")}
                    {move || clock(sheet.remaining_ms.get())}
                </p>
                <p class="save-state" role="status" data-testid="save-state">
                    {move || match sheet.save_state.get() {
                        SaveState::Saved if sheet.dirty.with(BTreeSet::is_empty) => {
                            tr.t("答案已保存", "Answers saved").to_owned()
                        }
                        SaveState::Saved | SaveState::Saving => {
                            tr.t("正在保存…", "Saving…").to_owned()
                        }
                        SaveState::Offline => {
                            let waiting = sheet.dirty.with(BTreeSet::len);
                            if tr.is_en() {
                                format!(
                                    "Offline: {waiting} answer(s) kept on this device, saved when the network returns",
                                )
                            } else {
                                format!(
                                    "网络中断：{waiting} 道题的答案暂存在本机，恢复网络后自动保存",
                                )
                            }
                        }
                        SaveState::BackOnline if sheet.dirty.with(BTreeSet::is_empty) => {
                            tr.t(
                                    "网络已恢复，答案已全部保存",
                                    "Back online: every answer is saved",
                                )
                                .to_owned()
                        }
                        SaveState::BackOnline => tr.t("正在保存…", "Saving…").to_owned(),
                        SaveState::Refused(e) => {
                            if tr.is_en() { e.message_en() } else { e.message_zh() }
                        }
                    }}
                </p>
                <div class="exam-tools">
                    <span>
                        {move || {
                            if tr.is_en() {
                                format!("Answered {} of {count}", answered())
                            } else {
                                format!("已答 {} / {count}", answered())
                            }
                        }}
                    </span>
                    <button
                        type="button"
                        class="link"
                        data-testid="layout-switch"
                        on:click=move |_| {
                            let next = if shows_all() { Layout::One } else { Layout::All };
                            layout.set(next);
                        }
                    >
                        {move || {
                            if shows_all() {
                                tr.t("逐题作答", "One at a time")
                            } else {
                                tr.t("整卷显示", "Show all")
                            }
                        }}
                    </button>
                </div>
                <nav class="question-map" aria-label=move || tr.t("题号", "Questions")>
                    {(0..count)
                        .map(|i| {
                            view! {
                                <button
                                    type="button"
                                    class:answered=move || {
                                        sheet
                                            .responses
                                            .with(|r| is_answered(r.get(i).and_then(Option::as_ref)))
                                    }
                                    class:current=move || current.get() == i
                                    aria-label=move || {
                                        if tr.is_en() {
                                            format!("Question {}", i + 1)
                                        } else {
                                            format!("第 {} 题", i + 1)
                                        }
                                    }
                                    on:click=move |_| {
                                        current.set(i);
                                        #[cfg(feature = "hydrate")] engine::scroll_to(i);
                                    }
                                >
                                    {i + 1}
                                </button>
                            }
                        })
                        .collect_view()}
                </nav>
            </header>
            <ol class="questions">
                {paper
                    .questions
                    .iter()
                    .cloned()
                    .enumerate()
                    .map(|(i, q)| view! { <QuestionCard index=i question=q sheet current /> })
                    .collect_view()}
            </ol>
            <div class="exam-nav">
                <button
                    type="button"
                    class="big"
                    data-testid="prev-question"
                    disabled=move || current.get() == 0
                    on:click=move |_| current.update(|c| *c = c.saturating_sub(1))
                >
                    {move || tr.t("上一题", "Previous")}
                </button>
                <button
                    type="button"
                    class="big"
                    data-testid="next-question"
                    disabled=move || { current.get() + 1 >= count }
                    on:click=move |_| current.update(|c| *c = (*c + 1).min(count.saturating_sub(1)))
                >
                    {move || tr.t("下一题", "Next")}
                </button>
            </div>
            <div class="exam-submit">
                <Show when=move || !confirming.get()>
                    <button
                        type="button"
                        class="primary big"
                        data-testid="submit-exam"
                        disabled=move || sheet.submitting.get() || sheet.finished.get()
                        on:click=move |_| confirming.set(true)
                    >
                        {move || tr.t("交卷", "Hand in")}
                    </button>
                </Show>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                        <p id="confirm-text">
                            {move || {
                                let left = count - answered();
                                match (left, tr.is_en()) {
                                    (0, false) => {
                                        "确定交卷吗？交卷后不能再修改。".to_owned()
                                    }
                                    (0, true) => {
                                        "Hand in now? Answers cannot be changed afterwards."
                                            .to_owned()
                                    }
                                    (n, false) => {
                                        format!(
                                            "还有 {n} 题未答，确定交卷吗？交卷后不能再修改。",
                                        )
                                    }
                                    (n, true) => {
                                        format!(
                                            "{n} questions are unanswered. Hand in anyway? Answers cannot be changed afterwards.",
                                        )
                                    }
                                }
                            }}
                        </p>
                        <button
                            type="button"
                            class="primary big"
                            data-testid="confirm-submit"
                            disabled=move || sheet.submitting.get()
                            on:click=move |_| submit_now()
                        >
                            {move || tr.t("确定交卷", "Hand in")}
                        </button>
                        <button type="button" class="big" on:click=move |_| confirming.set(false)>
                            {move || tr.t("继续作答", "Keep answering")}
                        </button>
                    </div>
                </Show>
            </div>
        </div>
    }
}

pub(crate) fn is_answered(response: Option<&Response>) -> bool {
    match response {
        None => false,
        Some(Response::Choice(chosen)) => !chosen.is_empty(),
        Some(Response::TrueFalse(_)) => true,
        Some(Response::Blanks(blanks)) => blanks.iter().any(|b| !b.trim().is_empty()),
    }
}

fn clock(ms: i64) -> String {
    let seconds = (ms.max(0) + 999) / 1000;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// Records an answer and marks it for the next save.
fn set_answer(sheet: Sheet, position: i64, response: Option<Response>) {
    let Ok(index) = usize::try_from(position) else {
        return;
    };
    sheet.responses.update(|all| {
        if let Some(slot) = all.get_mut(index) {
            *slot = response;
        }
    });
    sheet.dirty.update(|d| {
        d.insert(position);
    });
    #[cfg(feature = "hydrate")]
    engine::changed(sheet);
}

#[component]
fn QuestionCard(
    index: usize,
    question: ShownQuestion,
    sheet: Sheet,
    current: RwSignal<usize>,
) -> impl IntoView {
    let tr = use_tr();
    let position = question.position;
    let kind = question.kind;
    let name = format!("q{position}");
    let response = move || sheet.responses.with(|r| r.get(index).cloned().flatten());
    let body = match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let multiple = kind == QuestionKind::Multiple;
            question
                .options
                .iter()
                .enumerate()
                .map(|(display, (key, text))| {
                    let key = *key;
                    let id = format!("q{position}-o{display}");
                    let checked = move || match response() {
                        Some(Response::Choice(chosen)) => chosen.contains(&key),
                        _ => false,
                    };
                    let on_change = move |_| {
                        let mut chosen = match response() {
                            Some(Response::Choice(chosen)) => chosen,
                            _ => Vec::new(),
                        };
                        if multiple {
                            if let Some(at) = chosen.iter().position(|k| *k == key) {
                                chosen.remove(at);
                            } else {
                                chosen.push(key);
                                chosen.sort_unstable();
                            }
                        } else {
                            chosen = vec![key];
                        }
                        let value = (!chosen.is_empty()).then_some(Response::Choice(chosen));
                        set_answer(sheet, position, value);
                    };
                    view! {
                        <li>
                            <input
                                type=if multiple { "checkbox" } else { "radio" }
                                id=id.clone()
                                name=name.clone()
                                value=key.to_string()
                                prop:checked=checked
                                on:change=on_change
                            />
                            <label for=id class="option">
                                <span class="letter">{option_letter(display).to_string()}"."</span>
                                <span>{text.clone()}</span>
                            </label>
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        }
        QuestionKind::TrueFalse => [(true, "正确", "True"), (false, "错误", "False")]
            .into_iter()
            .map(|(value, zh, en)| {
                let id = format!("q{position}-{value}");
                let checked =
                    move || matches!(response(), Some(Response::TrueFalse(v)) if v == value);
                view! {
                    <li>
                        <input
                            type="radio"
                            id=id.clone()
                            name=name.clone()
                            value=value.to_string()
                            prop:checked=checked
                            on:change=move |_| set_answer(
                                sheet,
                                position,
                                Some(Response::TrueFalse(value)),
                            )
                        />
                        <label for=id class="option">
                            <span>{move || tr.t(zh, en)}</span>
                        </label>
                    </li>
                }
            })
            .collect_view()
            .into_any(),
        QuestionKind::Fill => {
            let blanks = question.blanks.max(1);
            (0..blanks)
                .map(|b| {
                    let id = format!("q{position}-b{b}");
                    let value = move || match response() {
                        Some(Response::Blanks(texts)) => texts.get(b).cloned().unwrap_or_default(),
                        _ => String::new(),
                    };
                    view! {
                        <li class="blank">
                            <label for=id
                                .clone()>
                                {move || {
                                    if tr.is_en() {
                                        format!("Blank {}", b + 1)
                                    } else {
                                        format!("第 {} 空", b + 1)
                                    }
                                }}
                            </label>
                            <input
                                type="text"
                                id=id
                                autocomplete="off"
                                maxlength="200"
                                prop:value=value
                                on:input=move |ev| {
                                    let text = event_target_value(&ev);
                                    let mut texts = match response() {
                                        Some(Response::Blanks(texts)) => texts,
                                        _ => Vec::new(),
                                    };
                                    texts.resize(blanks, String::new());
                                    if let Some(slot) = texts.get_mut(b) {
                                        *slot = text;
                                    }
                                    let any = texts.iter().any(|t| !t.trim().is_empty());
                                    set_answer(
                                        sheet,
                                        position,
                                        any.then_some(Response::Blanks(texts)),
                                    );
                                }
                            />
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        }
    };
    view! {
        <li
            class="q card"
            id=format!("question-{index}")
            class:current=move || current.get() == index
            data-testid="question"
            data-kind=kind.code()
        >
            <p class="q-head">
                <span class="q-number">{index + 1}"."</span>
                <span class="q-kind">{move || kind_label(tr, kind)}</span>
                <span class="q-points">{move || points_label(tr, question.points)}</span>
            </p>
            <div class="q-stem">
                <Stem lines=question.stem.clone() />
            </div>
            <ul class="options" role="group">
                {body}
            </ul>
        </li>
    }
}

#[cfg(feature = "hydrate")]
mod engine {
    //! The paper's clock, autosave and hand-in, in the browser only.

    use super::{SaveState, Sheet, backup_key};
    use crate::components::browser::{local_get, local_remove, local_set};
    use crate::error::AppError;
    use crate::exams::attempts::{PaperView, save_answers, submit_attempt};
    use academy_shared::exam::Response;
    use gloo_timers::callback::{Interval, Timeout};
    use leptos::prelude::*;
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeMap;
    use std::rc::Rc;

    /// Autosave at least this often while answers are unsaved.
    const SAVE_EVERY_MS: f64 = 30_000.0;
    /// And this long after the last change (typing in a blank).
    const SAVE_AFTER_CHANGE_MS: u32 = 1_500;

    thread_local! {
        static CURRENT: RefCell<Option<Rc<Inner>>> = const { RefCell::new(None) };
    }

    struct Inner {
        sheet: Sheet,
        /// Server clock minus this page's monotonic clock, so the countdown
        /// follows the server's deadline whatever the device's clock says.
        offset_ms: Cell<f64>,
        deadline_ms: i64,
        saving: Cell<bool>,
        last_save_at: Cell<f64>,
        alive: Cell<bool>,
        debounce: RefCell<Option<Timeout>>,
        tick: RefCell<Option<Interval>>,
        navigate: Rc<dyn Fn(&str)>,
    }

    fn now() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }

    pub struct Engine;

    impl Engine {
        pub fn start(
            sheet: Sheet,
            paper: &PaperView,
            navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
        ) -> Engine {
            let inner = Rc::new(Inner {
                sheet,
                offset_ms: Cell::new(paper.server_now_ms as f64 - now()),
                deadline_ms: paper.deadline_ms,
                saving: Cell::new(false),
                last_save_at: Cell::new(now()),
                alive: Cell::new(true),
                debounce: RefCell::new(None),
                tick: RefCell::new(None),
                navigate: Rc::new(move |to| navigate(to, Default::default())),
            });
            // After hydration: the first render must match the server's.
            let restoring = Rc::clone(&inner);
            Timeout::new(0, move || {
                if restoring.alive.get() {
                    restore_backup(&restoring);
                    flush(&restoring);
                }
            })
            .forget();
            let ticking = Rc::clone(&inner);
            *inner.tick.borrow_mut() = Some(Interval::new(1_000, move || on_tick(&ticking)));
            CURRENT.with(|c| *c.borrow_mut() = Some(Rc::clone(&inner)));
            on_tick(&inner);
            Engine
        }

        pub fn stop(self) {
            CURRENT.with(|c| {
                if let Some(inner) = c.borrow_mut().take() {
                    inner.alive.set(false);
                    inner.tick.borrow_mut().take();
                    inner.debounce.borrow_mut().take();
                }
            });
        }
    }

    fn current() -> Option<Rc<Inner>> {
        CURRENT.with(|c| c.borrow().clone())
    }

    fn server_now(inner: &Inner) -> i64 {
        (now() + inner.offset_ms.get()) as i64
    }

    /// Answers changed but not yet acknowledged, kept across reloads.
    fn write_backup(inner: &Inner) {
        let sheet = inner.sheet;
        let Some(pending) = sheet.dirty.try_with_untracked(|dirty| {
            sheet.responses.with_untracked(|all| {
                dirty
                    .iter()
                    .map(|p| {
                        let r = usize::try_from(*p)
                            .ok()
                            .and_then(|i| all.get(i).cloned().flatten());
                        (*p, r)
                    })
                    .collect::<BTreeMap<i64, Option<Response>>>()
            })
        }) else {
            return;
        };
        let key = backup_key(sheet.attempt);
        if pending.is_empty() {
            local_remove(&key);
        } else if let Ok(text) = serde_json::to_string(&pending) {
            local_set(&key, &text);
        }
    }

    fn restore_backup(inner: &Inner) {
        let sheet = inner.sheet;
        let Some(text) = local_get(&backup_key(sheet.attempt)) else {
            return;
        };
        let Ok(pending) = serde_json::from_str::<BTreeMap<i64, Option<Response>>>(&text) else {
            return;
        };
        sheet.responses.update(|all| {
            for (position, response) in &pending {
                if let Some(slot) = usize::try_from(*position).ok().and_then(|i| all.get_mut(i)) {
                    *slot = response.clone();
                }
            }
        });
        sheet.dirty.update(|d| d.extend(pending.keys().copied()));
    }

    pub fn changed(_sheet: Sheet) {
        let Some(inner) = current() else { return };
        write_backup(&inner);
        let again = Rc::clone(&inner);
        *inner.debounce.borrow_mut() = Some(Timeout::new(SAVE_AFTER_CHANGE_MS, move || {
            flush(&again);
        }));
    }

    fn on_tick(inner: &Rc<Inner>) {
        if !inner.alive.get() {
            return;
        }
        let left = inner.deadline_ms - server_now(inner);
        inner.sheet.remaining_ms.try_set(left.max(0));
        if left <= 0 {
            if !inner.sheet.finished.get_untracked() && !inner.sheet.submitting.get_untracked() {
                hand_in(inner);
            }
            return;
        }
        let pending = !inner.sheet.dirty.with_untracked(|d| d.is_empty());
        if pending && now() - inner.last_save_at.get() >= SAVE_EVERY_MS {
            flush(inner);
        }
    }

    fn pending_answers(sheet: Sheet) -> Vec<(i64, Option<Response>)> {
        sheet.dirty.with_untracked(|dirty| {
            sheet.responses.with_untracked(|all| {
                dirty
                    .iter()
                    .map(|p| {
                        (
                            *p,
                            usize::try_from(*p)
                                .ok()
                                .and_then(|i| all.get(i).cloned().flatten()),
                        )
                    })
                    .collect()
            })
        })
    }

    fn flush(inner: &Rc<Inner>) {
        if !inner.alive.get() || inner.saving.get() || inner.sheet.finished.get_untracked() {
            return;
        }
        let answers = pending_answers(inner.sheet);
        if answers.is_empty() {
            return;
        }
        inner.saving.set(true);
        inner.last_save_at.set(now());
        inner.sheet.save_state.set(SaveState::Saving);
        let inner = Rc::clone(inner);
        leptos::task::spawn_local(async move {
            let sent = answers.clone();
            let answer = save_answers(inner.sheet.attempt, answers).await;
            inner.saving.set(false);
            if !inner.alive.get() {
                return;
            }
            let sheet = inner.sheet;
            match answer {
                Ok(ack) => {
                    inner.offset_ms.set(ack.server_now_ms as f64 - now());
                    // Drop only what is unchanged since it was sent.
                    let current = pending_answers(sheet);
                    sheet.dirty.update(|dirty| {
                        for (position, response) in &sent {
                            let same = current
                                .iter()
                                .find(|(p, _)| p == position)
                                .is_some_and(|(_, r)| r == response);
                            if same {
                                dirty.remove(position);
                            }
                        }
                    });
                    write_backup(&inner);
                    let back = sheet.was_offline.get_untracked();
                    sheet.was_offline.set(false);
                    sheet.save_state.set(if back {
                        SaveState::BackOnline
                    } else {
                        SaveState::Saved
                    });
                }
                Err(AppError::Network) | Err(AppError::Internal) => {
                    sheet.was_offline.set(true);
                    sheet.save_state.set(SaveState::Offline);
                }
                Err(other) => {
                    sheet.save_state.set(SaveState::Refused(other));
                }
            }
        });
    }

    fn hand_in(inner: &Rc<Inner>) {
        let sheet = inner.sheet;
        sheet.submitting.set(true);
        let answers = pending_answers(sheet);
        let inner = Rc::clone(inner);
        leptos::task::spawn_local(async move {
            let answer = submit_attempt(sheet.attempt, answers).await;
            if !inner.alive.get() {
                return;
            }
            match answer {
                Ok(()) => {
                    sheet.finished.set(true);
                    sheet.dirty.set(Default::default());
                    local_remove(&backup_key(sheet.attempt));
                    (inner.navigate)(&format!("/attempts/{}/review", sheet.attempt));
                }
                Err(e) => {
                    sheet.submitting.set(false);
                    sheet.save_state.set(match e {
                        AppError::Network | AppError::Internal => {
                            sheet.was_offline.set(true);
                            SaveState::Offline
                        }
                        other => SaveState::Refused(other),
                    });
                }
            }
        });
    }

    pub fn submit() {
        if let Some(inner) = current() {
            hand_in(&inner);
        }
    }

    pub fn scroll_to(index: usize) {
        if let Some(element) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("question-{index}")))
        {
            element.scroll_into_view();
        }
    }
}
