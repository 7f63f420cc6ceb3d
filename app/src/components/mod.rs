pub mod browser;
pub mod error_message;
pub mod header;
pub mod language_switch;
pub mod text;
