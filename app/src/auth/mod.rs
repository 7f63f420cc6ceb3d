//! Identity: who is asking. Passwords, sessions, and the server functions to sign
//! in and out. Every server function that needs a user begins with
//! [`session::with_role`] or [`session::with_signed`] (which also hand it the
//! store); the browser's view of who is signed in is only a convenience for
//! rendering.

pub mod account;
pub mod api;
#[cfg(feature = "ssr")]
pub mod device_proof;
pub mod devices;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod policy;
pub mod register;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod sms;

use academy_shared::ids::UserId;
use academy_shared::role::{Role, primary_role};
use serde::{Deserialize, Serialize};

/// What the pages may know about the signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
    pub real_name: String,
    pub roles: Vec<Role>,
}

impl CurrentUser {
    #[cfg(feature = "ssr")]
    pub fn from_record(user: &crate::store::UserRecord) -> Self {
        CurrentUser {
            id: user.id,
            username: user.username.clone(),
            real_name: user.real_name.clone(),
            roles: user.roles.clone(),
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The role shown next to the name: the most powerful one held.
    pub fn primary_role(&self) -> Option<Role> {
        primary_role(&self.roles)
    }
}
