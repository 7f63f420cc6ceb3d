//! Roles, as stored and as shown.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What an account may do. One account may hold several roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Learner,
    Liaison,
    Lecturer,
    Reviewer,
    Organizer,
    Supervisor,
    Admin,
}

/// The role sets the server checks, named for what they let through. Every
/// server function takes its set from here, so a set means the same wherever
/// it is used.
pub mod policy {
    use super::Role;

    /// Run the academy's business: classes, banks, plans, exams, certificates,
    /// support: organizers and administrators.
    pub const MANAGERS: [Role; 2] = [Role::Organizer, Role::Admin];
    /// Make or review courseware and questions, besides those who manage.
    pub const CONTENT_STAFF: [Role; 4] =
        [Role::Lecturer, Role::Reviewer, Role::Organizer, Role::Admin];
    /// Read exam plans, exams and their analysis without managing them.
    pub const EXAM_READERS: [Role; 3] = [Role::Organizer, Role::Admin, Role::Reviewer];
    /// Read a class's survey results (supervisors: their regions only).
    pub const SURVEY_READERS: [Role; 3] = [Role::Organizer, Role::Admin, Role::Supervisor];
    /// Read a class's figures for the regions they are scoped to only.
    pub const REGION_SCOPED: [Role; 2] = [Role::Supervisor, Role::Liaison];
    /// Run the accounts, the regions and the audit log.
    pub const ADMINS: [Role; 1] = [Role::Admin];
    /// Create courseware: its lecturers and those who manage.
    pub const COURSEWARE_AUTHORS: [Role; 3] = [Role::Lecturer, Role::Organizer, Role::Admin];
    /// Read the daily report of a class: those who manage, supervisors and
    /// liaisons (the last two for their regions and groups only).
    pub const REPORT_READERS: [Role; 4] = [
        Role::Organizer,
        Role::Admin,
        Role::Supervisor,
        Role::Liaison,
    ];
    /// See every class's report rather than their own groups'.
    pub const REPORT_OVERSEERS: [Role; 3] = [Role::Organizer, Role::Admin, Role::Supervisor];
}

crate::stored_code!(Role {
    Learner => "learner", "学员", "Learner";
    Liaison => "liaison", "联络员", "Liaison";
    Lecturer => "lecturer", "讲师", "Lecturer";
    Reviewer => "reviewer", "审核", "Reviewer";
    Organizer => "organizer", "承办单位", "Organizer";
    Supervisor => "supervisor", "上级组织部", "Supervisor";
    Admin => "admin", "管理员", "Administrator";
});

impl Role {
    pub const fn is_staff(self) -> bool {
        !matches!(self, Role::Learner)
    }

    /// Roles whose holders work for the academy rather than study in it: an
    /// account holding one is exempt from device binding unless configured
    /// otherwise. A liaison studies like any learner, so it does not exempt.
    pub const fn exempts_from_binding(self) -> bool {
        matches!(
            self,
            Role::Lecturer | Role::Reviewer | Role::Organizer | Role::Supervisor | Role::Admin
        )
    }

    /// Roles that apply within a region subtree rather than everywhere.
    pub const fn is_scoped(self) -> bool {
        matches!(self, Role::Liaison | Role::Supervisor)
    }

    /// Supervisors read figures but never change anything.
    pub const fn is_read_only(self) -> bool {
        matches!(self, Role::Supervisor)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

pub fn binding_required(roles: &[Role], bind_staff: bool) -> bool {
    let studies = roles.contains(&Role::Learner) || roles.contains(&Role::Liaison);
    let exempt = roles.iter().any(|role| role.exempts_from_binding());
    (studies && !exempt) || (bind_staff && !roles.is_empty())
}

/// Whether someone with `decider` roles may approve moving the account with
/// `target` roles to a new device. Administrators may for anyone; organizers
/// (when the academy lets them) only for accounts that are neither
/// administrators nor organizers: rebinding is how an account is taken over.
pub fn may_approve_rebinding(decider: &[Role], target: &[Role]) -> bool {
    decider.contains(&Role::Admin)
        || (decider.contains(&Role::Organizer)
            && !target
                .iter()
                .any(|r| matches!(r, Role::Admin | Role::Organizer)))
}

/// The role a person with several roles sees first: the most powerful one.
pub fn primary_role(roles: &[Role]) -> Option<Role> {
    roles.iter().copied().max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizers_never_rebind_administrators_or_organizers() {
        use Role::*;
        assert!(may_approve_rebinding(&[Admin], &[Admin]));
        assert!(may_approve_rebinding(&[Organizer], &[Learner]));
        assert!(may_approve_rebinding(&[Organizer], &[Liaison, Learner]));
        assert!(may_approve_rebinding(&[Organizer], &[Lecturer]));
        assert!(!may_approve_rebinding(&[Organizer], &[Admin]));
        assert!(!may_approve_rebinding(&[Organizer], &[Organizer]));
        assert!(!may_approve_rebinding(&[Organizer], &[Learner, Organizer]));
        assert!(!may_approve_rebinding(&[Supervisor], &[Learner]));
        assert!(!may_approve_rebinding(&[], &[Learner]));
    }

    #[test]
    fn every_role_round_trips_through_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn labels_are_distinct() {
        let mut zh: Vec<_> = Role::ALL.iter().map(|r| r.label_zh()).collect();
        zh.sort_unstable();
        zh.dedup();
        assert_eq!(zh.len(), Role::ALL.len());
    }

    #[test]
    fn primary_role_prefers_admin_over_learner() {
        assert_eq!(
            primary_role(&[Role::Learner, Role::Admin]),
            Some(Role::Admin)
        );
        assert_eq!(primary_role(&[]), None);
        assert!(!Role::Learner.is_staff());
        assert!(binding_required(&[Role::Learner], false));
        assert!(binding_required(&[Role::Learner, Role::Liaison], false));
        assert!(!binding_required(&[Role::Learner, Role::Organizer], false));
        assert!(!binding_required(&[Role::Admin], false));
        assert!(binding_required(&[Role::Admin], true));
        assert!(Role::Supervisor.is_read_only());
    }
}
