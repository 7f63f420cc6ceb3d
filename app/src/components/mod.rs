pub mod header;
pub mod language_switch;
