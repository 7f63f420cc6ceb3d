//! The lesson player: the video (with a class's intro and outro clips around
//! it), slides and outline that follow it, the playback-rate menu, the idle
//! prompt, and the heartbeats through which the server credits study time.
//!
//! Everything the browser reports is a claim; the server decides what counts
//! (`academy_shared::study`). The player's job is to report honestly and
//! never lose a report.

use crate::components::text::use_tr;
use crate::study::api::LessonView;
use academy_shared::courseware::cue_at;
use leptos::prelude::*;

/// Playback rates offered, in thousandths; the class's maximum cuts the list.
const RATES: [i64; 5] = [750, 1000, 1250, 1500, 2000];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Intro,
    Lecture,
    Outro,
}

/// The reactive state the page shows, shared by the engine and the view.
#[derive(Clone, Copy)]
pub struct PlayerSignals {
    pub phase: RwSignal<Phase>,
    pub position_ms: RwSignal<i64>,
    pub idle_open: RwSignal<bool>,
    pub other_stream: RwSignal<bool>,
    /// The server closed this page's stream: the learner opened more lesson
    /// pages since, and this one no longer records anything.
    pub stream_closed: RwSignal<bool>,
    pub offline: RwSignal<bool>,
    /// Heartbeats kept on the device while offline.
    pub queued: RwSignal<usize>,
    /// The network came back and what was kept has been sent: said for a
    /// few seconds.
    pub back_online: RwSignal<bool>,
    pub credited_ms: RwSignal<i64>,
    pub watched_ms: RwSignal<i64>,
    pub complete: RwSignal<bool>,
    pub rate_milli: RwSignal<i64>,
}

#[component]
pub fn Player(lesson: LessonView) -> impl IntoView {
    let tr = use_tr();
    let video = NodeRef::<leptos::html::Video>::new();
    let signals = PlayerSignals {
        phase: RwSignal::new(if lesson.intro_url.is_some() {
            Phase::Intro
        } else {
            Phase::Lecture
        }),
        position_ms: RwSignal::new(lesson.resume_ms),
        idle_open: RwSignal::new(false),
        other_stream: RwSignal::new(false),
        stream_closed: RwSignal::new(false),
        offline: RwSignal::new(false),
        queued: RwSignal::new(0),
        back_online: RwSignal::new(false),
        credited_ms: RwSignal::new(lesson.credited_ms),
        watched_ms: RwSignal::new(lesson.watched_ms),
        complete: RwSignal::new(lesson.complete),
        rate_milli: RwSignal::new(1000),
    };
    let engine = StoredValue::new_local(engine::Engine::new(&lesson, video, signals));
    Effect::new(move |_| engine.with_value(|e| e.start()));
    // `try_`: the engine may already be disposed with its owner.
    on_cleanup(move || {
        engine.try_with_value(|e| e.stop());
    });

    let slide_starts: Vec<i64> = lesson.slides.iter().map(|s| s.start_ms).collect();
    let outline_starts: Vec<i64> = lesson.outline.iter().map(|o| o.start_ms).collect();
    let current_slide = Memo::new(move |_| cue_at(&slide_starts, signals.position_ms.get()));
    let current_item = Memo::new(move |_| cue_at(&outline_starts, signals.position_ms.get()));
    // The outline follows the video: the current item scrolls into view.
    Effect::new(move |_| {
        if let Some(index) = current_item.get() {
            engine.with_value(|e| e.scroll_into_view(&format!("outline-{index}")));
        }
        if let Some(index) = current_slide.get() {
            engine.with_value(|e| e.scroll_into_view(&format!("slide-thumb-{index}")));
        }
    });

    let intro = lesson.intro_url.clone();
    let outro = lesson.outro_url.clone();
    let main = lesson.video_url.clone();
    let src = move || match signals.phase.get() {
        Phase::Intro => intro.clone(),
        Phase::Lecture => main.clone(),
        Phase::Outro => outro.clone(),
    };
    let max_rate = lesson.max_rate_milli;
    let duration_ms = lesson.duration_ms;
    let slides = lesson.slides.clone();
    let slide_urls: Vec<String> = slides.iter().map(|s| s.url.clone()).collect();
    let has_stream = lesson.stream_id.is_some();
    let seek = move |ms: i64| engine.with_value(|e| e.seek(ms));

    view! {
        <div class="player-layout">
            <div class="player-main">
                <div class="video-box">
                    // Inline playback inside WeChat's X5/XWeb and iOS webviews.
                    <video
                        node_ref=video
                        src=src
                        controls
                        preload="metadata"
                        playsinline
                        webkit-playsinline="true"
                        x5-playsinline="true"
                        x5-video-player-type="h5-page"
                        controlslist="noplaybackrate nodownload"
                        disablepictureinpicture
                        data-testid="lesson-video"
                        on:loadedmetadata=move |_| engine.with_value(|e| e.on_loaded())
                        on:play=move |_| engine.with_value(|e| e.beat())
                        on:pause=move |_| engine.with_value(|e| e.beat())
                        on:timeupdate=move |_| engine.with_value(|e| e.on_time())
                        on:seeking=move |_| engine.with_value(|e| e.on_seeking())
                        on:seeked=move |_| engine.with_value(|e| e.beat())
                        on:ratechange=move |_| engine.with_value(|e| e.on_rate())
                        on:ended=move |_| engine.with_value(|e| e.on_ended())
                    ></video>
                    <Show when=move || signals.phase.get() != Phase::Lecture>
                        <p class="phase-note" role="status">
                            {move || match signals.phase.get() {
                                Phase::Intro => {
                                    tr.t(
                                        "片头（不计入学时）",
                                        "Opening clip (not counted)",
                                    )
                                }
                                _ => {
                                    tr.t(
                                        "片尾（不计入学时）",
                                        "Closing clip (not counted)",
                                    )
                                }
                            }}
                        </p>
                    </Show>
                </div>
                <div class="player-bar">
                    <label for="rate">{move || tr.t("倍速", "Speed")}</label>
                    <select
                        id="rate"
                        data-testid="rate"
                        on:change=move |ev| {
                            if let Ok(rate) = event_target_value(&ev).parse::<i64>() {
                                engine.with_value(|e| e.set_rate(rate));
                            }
                        }
                    >
                        {RATES
                            .iter()
                            .copied()
                            .filter(|r| *r <= max_rate)
                            .map(|r| {
                                view! {
                                    <option
                                        value=r.to_string()
                                        selected=move || signals.rate_milli.get() == r
                                    >
                                        {format!("{}×", r as f64 / 1000.0)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <span
                        class="study-credit"
                        data-testid="credited"
                        data-credited-ms=move || signals.credited_ms.get().to_string()
                    >
                        {move || tr.t("已计学时 ", "Credited ")}
                        {move || tr.duration(signals.credited_ms.get())}
                    </span>
                    <span class="study-credit" data-testid="watched">
                        {move || tr.t("已观看 ", "Watched ")}
                        {move || {
                            let share = if duration_ms > 0 {
                                signals.watched_ms.get() * 100 / duration_ms
                            } else {
                                0
                            };
                            format!("{}%", share.min(100))
                        }}
                    </span>
                    <Show when=move || signals.complete.get()>
                        <span class="tag done" data-testid="lesson-complete">
                            {move || tr.t("已完成", "Complete")}
                        </span>
                    </Show>
                </div>
                {(!has_stream)
                    .then(|| {
                        view! {
                            <p class="hint" data-testid="preview-note">
                                {move || {
                                    tr.t(
                                        "预览模式：不记录学习进度。",
                                        "Preview: progress is not recorded.",
                                    )
                                }}
                            </p>
                        }
                    })}
                <Show when=move || signals.offline.get()>
                    <p class="notice" role="status" data-testid="offline-note">
                        {move || {
                            tr.t(
                                "网络已断开：学习记录已保存在本机，恢复网络后自动上传。",
                                "Offline: your study record is kept on this device and sent when the network is back.",
                            )
                        }}
                        {move || {
                            let n = signals.queued.get();
                            (n > 0)
                                .then(|| {
                                    if tr.is_en() {
                                        format!(" ({n} record(s) waiting)")
                                    } else {
                                        format!("（{n} 条记录待上传）")
                                    }
                                })
                        }}
                    </p>
                </Show>
                <Show when=move || signals.back_online.get()>
                    <p class="notice" role="status" data-testid="online-again">
                        {move || {
                            tr.t(
                                "网络已恢复，离线期间的学习记录已上传。",
                                "Back online: what you studied offline has been sent.",
                            )
                        }}
                    </p>
                </Show>
                <Show when=move || signals.stream_closed.get()>
                    <p class="notice" role="status" data-testid="stream-closed-note">
                        {move || {
                            tr.t(
                                "您已在其他页面打开了更多课程，本页面已停止记录学习进度。请刷新本页继续学习。",
                                "You opened more lessons in other pages: this page no longer records your study. Reload it to continue.",
                            )
                        }}
                    </p>
                </Show>
                <Show when=move || signals.other_stream.get()>
                    <p class="notice" role="status" data-testid="other-stream-note">
                        {move || {
                            tr.t(
                                "您正在另一个页面或设备上学习，本页面暂不计学时。",
                                "You are studying in another tab or on another device; this page earns no study time.",
                            )
                        }}
                    </p>
                </Show>
                {(!slides.is_empty())
                    .then(|| {
                        view! {
                            <section
                                class="slides"
                                aria-label=move || tr.t("课件幻灯片", "Slides")
                            >
                                <img
                                    class="slide-current"
                                    data-testid="slide-current"
                                    src=move || {
                                        current_slide
                                            .get()
                                            .or(Some(0))
                                            .and_then(|i| slide_urls.get(i).cloned())
                                    }
                                    alt=move || {
                                        format!(
                                            "{} {}",
                                            tr.t("幻灯片", "Slide"),
                                            current_slide.get().unwrap_or(0) + 1,
                                        )
                                    }
                                />
                                <ol class="slide-strip">
                                    {slides
                                        .iter()
                                        .enumerate()
                                        .map(|(i, slide)| {
                                            let start = slide.start_ms;
                                            view! {
                                                <li>
                                                    <button
                                                        type="button"
                                                        id=format!("slide-thumb-{i}")
                                                        class="slide-thumb"
                                                        aria-current=move || {
                                                            (current_slide.get() == Some(i)).then_some("true")
                                                        }
                                                        on:click=move |_| seek(start)
                                                    >
                                                        <img src=slide.url.clone() alt="" loading="lazy" />
                                                        <span>
                                                            {format!(
                                                                "{} · {}",
                                                                i + 1,
                                                                academy_shared::courseware::format_start_time(start),
                                                            )}
                                                        </span>
                                                    </button>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </section>
                        }
                    })}
            </div>
            <aside class="outline" aria-label=move || tr.t("课程提纲", "Outline")>
                <h2>{move || tr.t("提纲", "Outline")}</h2>
                <ol class="outline-list" data-testid="outline">
                    {lesson
                        .outline
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            let start = item.start_ms;
                            let class = if item.level <= 1 {
                                "outline-item heading"
                            } else {
                                "outline-item"
                            };
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        id=format!("outline-{i}")
                                        class=class
                                        aria-current=move || {
                                            (current_item.get() == Some(i)).then_some("true")
                                        }
                                        on:click=move |_| seek(start)
                                    >
                                        <span class="cue-time">
                                            {academy_shared::courseware::format_start_time(start)}
                                        </span>
                                        <span>{item.body.clone()}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                {(!lesson.attachments.is_empty())
                    .then(|| {
                        view! {
                            <h2>{move || tr.t("附件", "Attachments")}</h2>
                            <ul class="plain-list">
                                {lesson
                                    .attachments
                                    .iter()
                                    .map(|a| {
                                        view! {
                                            <li>
                                                <a href=a.url.clone() download>
                                                    {a.name.clone()}
                                                </a>
                                                {format!(" · {} KB", a.size_bytes / 1024)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
            </aside>
        </div>
        <Show when=move || signals.idle_open.get()>
            <div class="modal-backdrop">
                <div
                    class="modal"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="idle-title"
                    data-testid="idle-prompt"
                >
                    <h2 id="idle-title">"先消化学习内容"</h2>
                    <p>
                        {move || {
                            tr.t(
                                "您已有一段时间没有操作，视频已暂停，暂停期间不计学时。",
                                "You have not interacted for a while, so the video is paused; this time earns no credit.",
                            )
                        }}
                    </p>
                    <button
                        type="button"
                        class="primary"
                        autofocus
                        data-testid="idle-continue"
                        on:click=move |_| engine.with_value(|e| e.confirm_idle())
                    >
                        {move || tr.t("继续学习", "Continue studying")}
                    </button>
                </div>
            </div>
        </Show>
    }
}

/// What drives the video element. In the browser it listens, beats and
/// queues; on the server every method does nothing.
mod engine {
    #[cfg(feature = "hydrate")]
    pub use browser::Engine;
    #[cfg(not(feature = "hydrate"))]
    pub use server::Engine;

    #[cfg(not(feature = "hydrate"))]
    mod server {
        use super::super::{Phase, PlayerSignals};
        use crate::study::api::LessonView;
        use leptos::prelude::*;

        pub struct Engine;

        impl Engine {
            pub fn new(
                _lesson: &LessonView,
                _video: NodeRef<leptos::html::Video>,
                _signals: PlayerSignals,
            ) -> Engine {
                let _ = Phase::Lecture;
                Engine
            }
            pub fn start(&self) {}
            pub fn stop(&self) {}
            pub fn beat(&self) {}
            pub fn on_loaded(&self) {}
            pub fn on_time(&self) {}
            pub fn on_seeking(&self) {}
            pub fn on_rate(&self) {}
            pub fn on_ended(&self) {}
            pub fn seek(&self, _ms: i64) {}
            pub fn set_rate(&self, _rate: i64) {}
            pub fn confirm_idle(&self) {}
            pub fn scroll_into_view(&self, _id: &str) {}
        }
    }

    #[cfg(feature = "hydrate")]
    mod browser {
        use super::super::{Phase, PlayerSignals};
        use crate::components::heartbeats;
        use crate::error::AppError;
        use crate::study::api::{LessonView, report_study_event};
        use crate::study::{EVENT_IDLE_PROMPT_CONFIRMED, EVENT_IDLE_PROMPT_SHOWN};
        use academy_shared::study::Heartbeat;
        use gloo_timers::callback::Interval;
        use leptos::prelude::*;
        use std::cell::{Cell, RefCell};
        use std::rc::Rc;
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;

        pub struct Engine {
            inner: Rc<Inner>,
        }

        /// An event listener the engine added, kept to remove it again.
        type Listener = (web_sys::EventTarget, &'static str, Closure<dyn Fn()>);

        struct Inner {
            stream_id: Option<i64>,
            heartbeat_ms: u32,
            idle_limit_ms: f64,
            max_rate_milli: i64,
            resume_ms: i64,
            has_outro: bool,
            video: NodeRef<leptos::html::Video>,
            signals: PlayerSignals,
            seq: Cell<i64>,
            /// Whether the video was playing at the last heartbeat: a beat
            /// describes the stretch since the previous one, so the beat a
            /// pause or the end sends must still say "playing" for it.
            was_playing: Cell<bool>,
            last_interaction: Cell<f64>,
            /// The position before a seek began (timeupdate's last value).
            settled_position_ms: Cell<i64>,
            resumed: Cell<bool>,
            flushing: Cell<bool>,
            /// False once the page is gone: timers, listeners and answers
            /// still in flight then touch nothing.
            alive: Cell<bool>,
            timers: RefCell<Vec<Interval>>,
            listeners: RefCell<Vec<Listener>>,
        }

        fn now() -> f64 {
            web_sys::window()
                .and_then(|w| w.performance())
                .map_or(0.0, |p| p.now())
        }

        impl Engine {
            pub fn new(
                lesson: &LessonView,
                video: NodeRef<leptos::html::Video>,
                signals: PlayerSignals,
            ) -> Engine {
                Engine {
                    inner: Rc::new(Inner {
                        stream_id: lesson.stream_id,
                        heartbeat_ms: u32::try_from(
                            lesson.heartbeat_interval_ms.clamp(1_000, 600_000),
                        )
                        .unwrap_or(15_000),
                        idle_limit_ms: lesson.idle_limit_ms as f64,
                        max_rate_milli: lesson.max_rate_milli,
                        resume_ms: lesson.resume_ms,
                        has_outro: lesson.outro_url.is_some(),
                        video,
                        signals,
                        seq: Cell::new(0),
                        was_playing: Cell::new(false),
                        last_interaction: Cell::new(now()),
                        settled_position_ms: Cell::new(lesson.resume_ms),
                        resumed: Cell::new(false),
                        flushing: Cell::new(false),
                        alive: Cell::new(true),
                        timers: RefCell::new(Vec::new()),
                        listeners: RefCell::new(Vec::new()),
                    }),
                }
            }

            pub fn start(&self) {
                if !self.inner.timers.borrow().is_empty() {
                    return;
                }
                let inner = Rc::clone(&self.inner);
                let beat_timer = Interval::new(inner.heartbeat_ms, move || {
                    Engine {
                        inner: Rc::clone(&inner),
                    }
                    .beat();
                });
                let inner = Rc::clone(&self.inner);
                let idle_timer = Interval::new(1_000, move || inner.check_idle());
                self.inner
                    .timers
                    .borrow_mut()
                    .extend([beat_timer, idle_timer]);

                // Any interaction with the page counts as presence.
                if let Some(window) = web_sys::window() {
                    for name in [
                        "pointerdown",
                        "keydown",
                        "touchstart",
                        "wheel",
                        "mousemove",
                        "scroll",
                    ] {
                        let inner = Rc::clone(&self.inner);
                        self.listen(window.clone().into(), name, move || {
                            inner.last_interaction.set(now());
                        });
                    }
                    let inner = Rc::clone(&self.inner);
                    self.listen(window.clone().into(), "pagehide", move || inner.hidden());
                    let inner = Rc::clone(&self.inner);
                    self.listen(window.clone().into(), "online", move || inner.flush());
                    if let Some(document) = window.document() {
                        let inner = Rc::clone(&self.inner);
                        self.listen(document.into(), "visibilitychange", move || {
                            let hidden =
                                web_sys::window()
                                    .and_then(|w| w.document())
                                    .is_some_and(|d| {
                                        d.visibility_state() == web_sys::VisibilityState::Hidden
                                    });
                            Engine {
                                inner: Rc::clone(&inner),
                            }
                            .beat();
                            if hidden {
                                inner.hidden();
                            } else {
                                inner.last_interaction.set(now());
                            }
                        });
                    }
                }
                // Queues an earlier page could not deliver (closed while offline).
                for stream in heartbeats::leftover_streams() {
                    if Some(stream) != self.inner.stream_id {
                        leptos::task::spawn_local(async move {
                            let _ = heartbeats::flush(stream).await;
                        });
                    }
                }
            }

            fn listen(
                &self,
                target: web_sys::EventTarget,
                name: &'static str,
                f: impl Fn() + 'static,
            ) {
                let closure = Closure::<dyn Fn()>::new(f);
                if target
                    .add_event_listener_with_callback(name, closure.as_ref().unchecked_ref())
                    .is_ok()
                {
                    self.inner
                        .listeners
                        .borrow_mut()
                        .push((target, name, closure));
                }
            }

            pub fn stop(&self) {
                if !self.inner.alive.get() {
                    return;
                }
                // The page is going away inside the app: report where it stopped.
                self.beat();
                self.inner.alive.set(false);
                if let Some(stream) = self.inner.stream_id {
                    heartbeats::flush_keepalive(stream);
                }
                self.inner.timers.borrow_mut().clear();
                for (target, name, closure) in self.inner.listeners.borrow_mut().drain(..) {
                    let _ = target.remove_event_listener_with_callback(
                        name,
                        closure.as_ref().unchecked_ref(),
                    );
                }
            }

            /// Queues a heartbeat describing the video now, and sends the queue.
            pub fn beat(&self) {
                self.inner.beat(None);
            }

            pub fn on_loaded(&self) {
                let inner = &self.inner;
                let Some(video) = inner.video.get_untracked() else {
                    return;
                };
                match inner.signals.phase.get_untracked() {
                    Phase::Lecture => {
                        if !inner.resumed.replace(true) && inner.resume_ms > 0 {
                            video.set_current_time(inner.resume_ms as f64 / 1000.0);
                        }
                        video.set_playback_rate(
                            inner.signals.rate_milli.get_untracked() as f64 / 1000.0,
                        );
                    }
                    Phase::Intro | Phase::Outro => {}
                }
                // After the intro, the lecture starts by itself.
                if inner.signals.phase.get_untracked() != Phase::Intro && video.autoplay() {
                    let _ = video.play();
                }
            }

            pub fn on_time(&self) {
                let inner = &self.inner;
                if inner.signals.phase.get_untracked() != Phase::Lecture {
                    return;
                }
                let Some(video) = inner.video.get_untracked() else {
                    return;
                };
                let ms = (video.current_time() * 1000.0) as i64;
                inner.signals.position_ms.set(ms);
                if !video.seeking() {
                    inner.settled_position_ms.set(ms);
                }
            }

            pub fn on_seeking(&self) {
                // First report what was watched up to the jump, then (on
                // `seeked`) where the jump landed.
                let before = self.inner.settled_position_ms.get();
                self.inner.beat(Some(before));
            }

            pub fn on_rate(&self) {
                let inner = &self.inner;
                let Some(video) = inner.video.get_untracked() else {
                    return;
                };
                let rate = (video.playback_rate() * 1000.0).round() as i64;
                if rate > inner.max_rate_milli {
                    // Faster than the class allows (from the browser's own menu
                    // or the console): back to the maximum.
                    video.set_playback_rate(inner.max_rate_milli as f64 / 1000.0);
                    return;
                }
                inner.signals.rate_milli.set(rate);
                self.beat();
            }

            pub fn on_ended(&self) {
                let inner = &self.inner;
                let Some(video) = inner.video.get_untracked() else {
                    return;
                };
                match inner.signals.phase.get_untracked() {
                    Phase::Intro => {
                        video.set_autoplay(true);
                        inner.signals.phase.set(Phase::Lecture);
                    }
                    Phase::Lecture => {
                        self.beat();
                        if inner.has_outro {
                            video.set_autoplay(true);
                            inner.signals.phase.set(Phase::Outro);
                        }
                    }
                    Phase::Outro => {}
                }
            }

            pub fn seek(&self, ms: i64) {
                let inner = &self.inner;
                inner.last_interaction.set(now());
                if inner.signals.phase.get_untracked() != Phase::Lecture {
                    inner.resumed.set(true);
                    inner.signals.phase.set(Phase::Lecture);
                }
                if let Some(video) = inner.video.get_untracked() {
                    video.set_current_time(ms as f64 / 1000.0);
                }
            }

            pub fn set_rate(&self, rate: i64) {
                let rate = rate.clamp(250, self.inner.max_rate_milli);
                self.inner.signals.rate_milli.set(rate);
                if let Some(video) = self.inner.video.get_untracked() {
                    video.set_playback_rate(rate as f64 / 1000.0);
                }
            }

            pub fn confirm_idle(&self) {
                let inner = &self.inner;
                inner.last_interaction.set(now());
                inner.signals.idle_open.set(false);
                inner.report(EVENT_IDLE_PROMPT_CONFIRMED);
                self.beat();
                if let Some(video) = inner.video.get_untracked() {
                    let _ = video.play();
                }
            }

            pub fn scroll_into_view(&self, id: &str) {
                let element = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(id));
                if let Some(element) = element {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
                    element.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        }

        impl Inner {
            /// "网络已恢复" for a few seconds, once what was kept is sent.
            fn say_back_online(&self) {
                let signals = self.signals;
                signals.queued.try_set(0);
                signals.back_online.try_set(true);
                leptos::task::spawn_local(async move {
                    crate::components::browser::sleep_ms(6_000).await;
                    signals.back_online.try_set(false);
                });
            }

            fn beat(self: &Rc<Self>, position_override: Option<i64>) {
                let Some(stream) = self.stream_id else { return };
                if !self.alive.get()
                    || self.signals.phase.try_get_untracked() != Some(Phase::Lecture)
                    || self.signals.stream_closed.try_get_untracked() != Some(false)
                {
                    return;
                }
                let Some(video) = self.video.get_untracked() else {
                    return;
                };
                let visible = web_sys::window()
                    .and_then(|w| w.document())
                    .is_none_or(|d| d.visibility_state() != web_sys::VisibilityState::Hidden);
                let seq = self.seq.get() + 1;
                self.seq.set(seq);
                let playing_now = !video.paused() && !video.ended();
                // The stretch up to now was played if the video was playing at
                // the previous beat (every play, pause and end sends one).
                let played = self.was_playing.replace(playing_now) || playing_now;
                let beat = Heartbeat {
                    seq,
                    position_ms: position_override
                        .unwrap_or_else(|| (video.current_time() * 1000.0) as i64),
                    playing: played,
                    rate_milli: (video.playback_rate() * 1000.0).round() as i64,
                    visible,
                    idle_paused: self.signals.idle_open.try_get_untracked().unwrap_or(false),
                    since_interaction_ms: (now() - self.last_interaction.get()).max(0.0) as i64,
                };
                let mut queue = heartbeats::load(stream);
                queue.push(beat);
                heartbeats::save(stream, &queue);
                self.flush();
            }

            fn flush(self: &Rc<Self>) {
                let Some(stream) = self.stream_id else { return };
                if self.flushing.replace(true) {
                    return;
                }
                let inner = Rc::clone(self);
                leptos::task::spawn_local(async move {
                    let signals = inner.signals;
                    let result = heartbeats::flush(stream).await;
                    inner.flushing.set(false);
                    if !inner.alive.get() {
                        return;
                    }
                    let was_offline = signals.offline.get_untracked();
                    match result {
                        Ok(Some(reply)) => {
                            signals.offline.try_set(false);
                            if was_offline {
                                inner.say_back_online();
                            }
                            signals.credited_ms.try_set(reply.credited_ms);
                            signals.watched_ms.try_set(reply.watched_ms);
                            signals.complete.try_set(reply.complete);
                            signals
                                .other_stream
                                .try_set(reply.other_stream_active && !reply.stream_closed);
                            signals.stream_closed.try_set(reply.stream_closed);
                        }
                        Ok(None) => {
                            signals.offline.try_set(false);
                            if was_offline {
                                inner.say_back_online();
                            }
                        }
                        Err(AppError::Network) => {
                            signals.offline.try_set(true);
                            signals.queued.try_set(heartbeats::load(stream).len());
                        }
                        Err(_) => {}
                    }
                });
            }

            fn hidden(self: &Rc<Self>) {
                if let Some(stream) = self.stream_id {
                    heartbeats::flush_keepalive(stream);
                }
            }

            fn check_idle(self: &Rc<Self>) {
                if !self.alive.get()
                    || self.signals.idle_open.get_untracked()
                    || self.signals.phase.get_untracked() != Phase::Lecture
                    || self.stream_id.is_none()
                {
                    return;
                }
                let Some(video) = self.video.get_untracked() else {
                    return;
                };
                if video.paused() || video.ended() {
                    return;
                }
                if now() - self.last_interaction.get() >= self.idle_limit_ms {
                    let _ = video.pause();
                    self.signals.idle_open.set(true);
                    self.report(EVENT_IDLE_PROMPT_SHOWN);
                }
            }

            fn report(self: &Rc<Self>, kind: &'static str) {
                let Some(stream) = self.stream_id else { return };
                let position = self.signals.position_ms.get_untracked();
                leptos::task::spawn_local(async move {
                    let _ = report_study_event(stream, kind.to_owned(), position).await;
                });
            }
        }
    }
}
