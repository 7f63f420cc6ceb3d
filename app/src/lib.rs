//! The academy application: pages, server functions, and (behind `ssr`) persistence.
#![recursion_limit = "256"]
// A server function takes its form's fields as arguments, one per input.
#![allow(clippy::too_many_arguments)]

/// The `i18n` module generated from `locales/*.json` by build.rs.
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated::i18n;

pub mod admin;
pub mod app;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod blocking;
pub mod certificates;
pub mod classes;
pub mod components;
pub mod courseware;
pub mod error;
pub mod exams;
#[cfg(feature = "ssr")]
pub mod group_commit;
pub mod groups;
#[cfg(feature = "ssr")]
pub mod media;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod store;
pub mod study;
pub mod support;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Staff pages are lazy routes (their code is split out of the learners'
    // download), so hydration may first have to fetch a page's chunk: the
    // asynchronous hydration of `hydrate_lazy`, marked done when it is.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        // A marker for browser tests (and curious people): the page is interactive now.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
