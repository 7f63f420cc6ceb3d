pub mod account;
pub mod admin;
pub mod approve;
pub mod home;
pub mod login;
pub mod not_found;
pub mod register;
