//! Administration: accounts, the learner import, the audit log, the region
//! tree. Every server function here requires the admin role itself.

pub mod audit_log;
pub mod import;
pub mod regions;
pub mod users;
