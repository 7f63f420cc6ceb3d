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
    leptos::mount::hydrate_body(app::App);
    // A marker for browser tests (and curious people): the page is interactive now.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
