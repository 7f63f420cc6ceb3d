//! The academy's rules, shared by the browser (WASM) and the server.
//!
//! Nothing here touches the network, a database or a clock: callers pass in what
//! they know (and a `&mut impl Rng` where chance is involved), so every rule is
//! reproducible and unit-testable on both targets.

pub mod audit;
pub mod certificate;
pub mod checkin;
pub mod class;
pub mod class_stats;
pub mod code;
pub mod courseware;
pub mod csv_cell;
pub mod device;
pub mod exam;
pub mod groups;
pub mod ids;
pub mod journey;
pub mod media;
pub mod phone;
pub mod profile;
pub mod region;
pub mod role;
pub mod roster;
pub mod sms;
pub mod study;
pub mod support;
pub mod survey;
pub mod throttle;
pub mod time;
pub mod validate;
