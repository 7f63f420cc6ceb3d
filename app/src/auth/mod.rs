//! Identity: who is asking. Passwords, sessions, and the server functions to sign
//! in and out. Every server function that needs a user calls
//! [`session::require_user`] itself; the browser's view of who is signed in is
//! only a convenience for rendering.

pub mod api;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;

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
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The role shown next to the name: the most powerful one held.
    pub fn primary_role(&self) -> Option<Role> {
        primary_role(&self.roles)
    }
}
