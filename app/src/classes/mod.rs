//! Training classes. So far: the list and the settings the player follows
//! (the idle prompt, the fastest playback rate, the intro and outro clips).

pub mod api;
