//! Studying a lesson: what the player needs to open one, and the heartbeats
//! through which the server — never the browser — credits study time.

pub mod api;
#[cfg(feature = "ssr")]
pub mod writer;

/// The idle prompt's events, as the player reports them and the server keeps them.
pub const EVENT_IDLE_PROMPT_SHOWN: &str = "idle_prompt_shown";
pub const EVENT_IDLE_PROMPT_CONFIRMED: &str = "idle_prompt_confirmed";
