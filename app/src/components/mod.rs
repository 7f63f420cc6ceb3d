pub mod browser;
pub mod error_message;
pub mod header;
pub mod heartbeats;
pub mod language_switch;
pub mod player;
pub mod text;
pub mod upload;
