//! Training classes: the organizer's side (create, edit, copy, publish,
//! close, enrol), the player's settings, and the learner's six-step journey
//! with reporting in and the daily check-in.

pub mod api;
pub mod dashboard;
pub mod journey;
pub mod manage;
pub mod survey;
