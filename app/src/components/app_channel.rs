//! The installed web app (our 手机APP).
//!
//! [`AppChannel`] (once, in the app) registers this build's service worker
//! (`public/sw.js`), tells it who is signed in so that it keeps only that
//! learner's pages for reading offline (and none after signing out), and
//! offers a new build with "新版本可用，点击刷新": the new worker waits until
//! the learner takes it, so a page never runs half old, half new.
//!
//! [`InstallEntry`] shows learners how to put the academy on their home
//! screen: the browser's own install prompt where there is one (Chrome,
//! Android, XWeb), the "添加到主屏幕" steps on iOS Safari, and inside WeChat,
//! which cannot install, how to open the page in the browser.

use crate::components::header::UserResource;
use crate::components::text::use_tr;
use leptos::prelude::*;

#[component]
pub fn AppChannel() -> impl IntoView {
    let tr = use_tr();
    // A new build waits for the learner's tap.
    let waiting = RwSignal::new(false);
    let user = expect_context::<UserResource>();
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| worker::register(waiting));
        // The signed-in learner, or nobody: the worker keeps that one's pages.
        Effect::new(move |_| {
            if let Some(signed) = user.get() {
                worker::tell_user(signed.map(|u| u.id.0));
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = user;
    view! {
        <Show when=move || waiting.get()>
            <div class="update-banner" role="status" data-testid="update-banner">
                <button
                    type="button"
                    class="primary"
                    data-testid="update-reload"
                    on:click=move |_| {
                        #[cfg(feature = "hydrate")] worker::take_update();
                    }
                >
                    {move || {
                        tr.t(
                            "新版本可用，点击刷新",
                            "A new version is ready: tap to reload",
                        )
                    }}
                </button>
            </div>
        </Show>
    }
}

/// Where this browser stands on installing the academy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Only the browser finds out; the server renders nothing.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Install {
    /// Already running as the installed app, or nothing to offer.
    Nothing,
    /// The browser offers its install prompt.
    Prompt,
    /// iOS Safari: by the share menu.
    IosGuide,
    /// WeChat's browser cannot install: open the page in the system browser.
    WeChatHint,
}

#[component]
pub fn InstallEntry() -> impl IntoView {
    let tr = use_tr();
    let state = RwSignal::new(Install::Nothing);
    #[cfg(feature = "hydrate")]
    let prompt = StoredValue::new_local(None::<wasm_bindgen::JsValue>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        state.set(worker::install_situation());
        worker::on_install_prompt(move |event| {
            prompt.set_value(Some(event));
            state.set(Install::Prompt);
        });
    });
    let install = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(event) = prompt.get_value() {
            worker::show_install_prompt(&event);
            prompt.set_value(None);
            state.set(Install::Nothing);
        }
    };
    view! {
        {move || match state.get() {
            Install::Nothing => ().into_any(),
            Install::Prompt => {
                view! {
                    <section class="card install" data-testid="install-entry">
                        <h2>{move || tr.t("安装网络学院", "Install the academy")}</h2>
                        <p>
                            {move || {
                                tr.t(
                                    "装到手机桌面，像应用一样打开，没有网络时也能查看学过的内容。",
                                    "Put it on your home screen: it opens like an app and shows what you studied even offline.",
                                )
                            }}
                        </p>
                        <button
                            type="button"
                            class="primary"
                            data-testid="install-button"
                            on:click=install
                        >
                            {move || tr.t("安装到桌面", "Install")}
                        </button>
                    </section>
                }
                    .into_any()
            }
            Install::IosGuide => {
                view! {
                    <section class="card install" data-testid="install-ios">
                        <h2>{move || tr.t("添加到主屏幕", "Add to Home Screen")}</h2>
                        <p>
                            {move || {
                                tr.t(
                                    "在 Safari 中点击底部的“分享”按钮，再选择“添加到主屏幕”。",
                                    "In Safari, tap Share at the bottom, then “Add to Home Screen”.",
                                )
                            }}
                        </p>
                    </section>
                }
                    .into_any()
            }
            Install::WeChatHint => {
                view! {
                    <section class="card install" data-testid="install-wechat">
                        <h2>{move || tr.t("安装到手机桌面", "Install on your phone")}</h2>
                        <p>
                            {move || {
                                tr.t(
                                    "微信内无法安装。请点击右上角“···”，选择“在浏览器打开”，再在浏览器中安装到桌面。在微信里也可以照常学习。",
                                    "WeChat cannot install apps. Tap “···” at the top right, choose “Open in Browser”, and install from there. You can keep studying in WeChat as well.",
                                )
                            }}
                        </p>
                    </section>
                }
                    .into_any()
            }
        }}
    }
}

#[cfg(feature = "hydrate")]
mod worker {
    use super::Install;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration};

    fn container() -> Option<ServiceWorkerContainer> {
        let navigator = web_sys::window()?.navigator();
        // Browsers without service workers (old WebViews, insecure origins)
        // have no such property: the app works as a plain site there.
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
            .ok()
            .filter(|has| *has)?;
        Some(navigator.service_worker())
    }

    /// The build the page was rendered for (the shell's `academy-build`).
    fn build() -> String {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("meta[name=academy-build]").ok().flatten())
            .and_then(|m| m.get_attribute("content"))
            .unwrap_or_else(|| "dev".to_owned())
    }

    fn message(kind: &str, user: Option<i64>) -> JsValue {
        let object = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&object, &"type".into(), &kind.into());
        if let Some(user) = user {
            let _ = js_sys::Reflect::set(&object, &"user".into(), &user.to_string().into());
        }
        object.into()
    }

    pub fn register(waiting: RwSignal<bool>) {
        let Some(container) = container() else {
            return;
        };
        let url = format!("/sw.js?build={}", build());
        leptos::task::spawn_local(async move {
            let Ok(registration) = JsFuture::from(container.register(&url)).await else {
                leptos::logging::warn!("the service worker did not register");
                return;
            };
            let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
                return;
            };
            // A first install controls nothing yet: only a worker that would
            // replace a running one is an update to offer.
            let has_controller = {
                let container = container.clone();
                move || container.controller().is_some()
            };
            if registration.waiting().is_some() && has_controller() {
                waiting.set(true);
            }
            let found = {
                let registration = registration.clone();
                Closure::<dyn FnMut()>::new(move || {
                    let Some(installing) = registration.installing() else {
                        return;
                    };
                    let worker = installing.clone();
                    let has_controller = has_controller.clone();
                    let changed = Closure::<dyn FnMut()>::new(move || {
                        if worker.state() == web_sys::ServiceWorkerState::Installed
                            && has_controller()
                        {
                            waiting.set(true);
                        }
                    });
                    installing.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
                    changed.forget();
                })
            };
            registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
            found.forget();
        });
    }

    /// Lets the waiting build take over, and reloads once it has.
    pub fn take_update() {
        let Some(container) = container() else {
            return;
        };
        let reload = Closure::<dyn FnMut()>::new(|| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
        leptos::task::spawn_local(async move {
            let Ok(ready) = container.ready() else {
                return;
            };
            if let Ok(registration) = JsFuture::from(ready).await
                && let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>()
                && let Some(waiting) = registration.waiting()
            {
                let _ = waiting.post_message(&message("skip-waiting", None));
            }
        });
    }

    /// Tells the worker who is signed in (`None`: nobody, so it drops every
    /// kept page).
    pub fn tell_user(user: Option<i64>) {
        let Some(container) = container() else {
            return;
        };
        let text = match user {
            Some(_) => message("user", user),
            None => message("signed-out", None),
        };
        leptos::task::spawn_local(async move {
            let Ok(ready) = container.ready() else {
                return;
            };
            if let Ok(registration) = JsFuture::from(ready).await
                && let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>()
                && let Some(active) = registration.active()
            {
                post(&active, &text);
            }
        });
    }

    fn post(worker: &ServiceWorker, text: &JsValue) {
        if worker.post_message(text).is_err() {
            leptos::logging::warn!("the service worker did not take a message");
        }
    }

    fn user_agent() -> String {
        web_sys::window()
            .and_then(|w| w.navigator().user_agent().ok())
            .unwrap_or_default()
    }

    fn standalone() -> bool {
        let Some(window) = web_sys::window() else {
            return false;
        };
        let display = window
            .match_media("(display-mode: standalone)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        // iOS says so on the navigator instead.
        let ios = js_sys::Reflect::get(&window.navigator(), &"standalone".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        display || ios
    }

    /// What to offer before the browser says anything.
    pub fn install_situation() -> Install {
        if standalone() {
            return Install::Nothing;
        }
        let agent = user_agent();
        if agent.contains("MicroMessenger") {
            Install::WeChatHint
        } else if (agent.contains("iPhone") || agent.contains("iPad"))
            && !agent.contains("CriOS")
            && !agent.contains("FxiOS")
        {
            Install::IosGuide
        } else {
            Install::Nothing
        }
    }

    /// Keeps the browser's install prompt for the learner's tap.
    pub fn on_install_prompt(mut offered: impl FnMut(JsValue) + 'static) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            offered(event.into());
        });
        let _ = window.add_event_listener_with_callback(
            "beforeinstallprompt",
            listener.as_ref().unchecked_ref(),
        );
        listener.forget();
    }

    pub fn show_install_prompt(event: &JsValue) {
        if let Ok(prompt) = js_sys::Reflect::get(event, &"prompt".into())
            && let Ok(prompt) = prompt.dyn_into::<js_sys::Function>()
        {
            let _ = prompt.call0(event);
        }
    }
}
