//! The areas of the audit log, as the administrator filters it. An action's
//! code is `area.verb` ("class.state", "login.failed"); the area is the part
//! an administrator chooses from. The authorization test checks that every
//! action the server writes falls in one of these areas.

/// One area of the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditArea {
    SignIn,
    Devices,
    Accounts,
    Imports,
    Regions,
    Classes,
    Courseware,
    Banks,
    Questions,
    Blueprints,
    Exams,
    Certificates,
    Surveys,
    Groups,
    Topics,
    Posts,
    Summaries,
    Support,
    Faq,
}

impl AuditArea {
    pub const ALL: [AuditArea; 19] = [
        AuditArea::SignIn,
        AuditArea::Devices,
        AuditArea::Accounts,
        AuditArea::Imports,
        AuditArea::Regions,
        AuditArea::Classes,
        AuditArea::Courseware,
        AuditArea::Banks,
        AuditArea::Questions,
        AuditArea::Blueprints,
        AuditArea::Exams,
        AuditArea::Certificates,
        AuditArea::Surveys,
        AuditArea::Groups,
        AuditArea::Topics,
        AuditArea::Posts,
        AuditArea::Summaries,
        AuditArea::Support,
        AuditArea::Faq,
    ];

    /// What the actions of this area begin with: the filter's value.
    pub fn prefix(self) -> &'static str {
        match self {
            AuditArea::SignIn => "login.",
            AuditArea::Devices => "device.",
            AuditArea::Accounts => "user.",
            AuditArea::Imports => "users.imported",
            AuditArea::Regions => "region.",
            AuditArea::Classes => "class.",
            AuditArea::Courseware => "courseware.",
            AuditArea::Banks => "bank.",
            AuditArea::Questions => "question.",
            AuditArea::Blueprints => "blueprint.",
            AuditArea::Exams => "exam.",
            AuditArea::Certificates => "certificate.",
            AuditArea::Surveys => "survey.",
            // "group." and "groups.form" (forming every group at once).
            AuditArea::Groups => "group",
            AuditArea::Topics => "topic.",
            AuditArea::Posts => "post.",
            AuditArea::Summaries => "summary.",
            AuditArea::Support => "support.",
            AuditArea::Faq => "faq.",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            AuditArea::SignIn => "登录",
            AuditArea::Devices => "设备",
            AuditArea::Accounts => "账号",
            AuditArea::Imports => "导入",
            AuditArea::Regions => "地区",
            AuditArea::Classes => "培训班",
            AuditArea::Courseware => "课件",
            AuditArea::Banks => "题库",
            AuditArea::Questions => "试题",
            AuditArea::Blueprints => "组卷方案",
            AuditArea::Exams => "考试",
            AuditArea::Certificates => "证书",
            AuditArea::Surveys => "评价问卷",
            AuditArea::Groups => "学习小组",
            AuditArea::Topics => "每日话题",
            AuditArea::Posts => "讨论管理",
            AuditArea::Summaries => "讨论汇总表",
            AuditArea::Support => "解疑答惑",
            AuditArea::Faq => "常见问题",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            AuditArea::SignIn => "Sign-in",
            AuditArea::Devices => "Devices",
            AuditArea::Accounts => "Accounts",
            AuditArea::Imports => "Imports",
            AuditArea::Regions => "Regions",
            AuditArea::Classes => "Classes",
            AuditArea::Courseware => "Courseware",
            AuditArea::Banks => "Question banks",
            AuditArea::Questions => "Questions",
            AuditArea::Blueprints => "Exam plans",
            AuditArea::Exams => "Exams",
            AuditArea::Certificates => "Certificates",
            AuditArea::Surveys => "Surveys",
            AuditArea::Groups => "Study groups",
            AuditArea::Topics => "Daily topics",
            AuditArea::Posts => "Post moderation",
            AuditArea::Summaries => "Summaries",
            AuditArea::Support => "Support questions",
            AuditArea::Faq => "FAQ",
        }
    }

    /// The area an action code belongs to, if any.
    pub fn of(action: &str) -> Option<AuditArea> {
        AuditArea::ALL
            .into_iter()
            .find(|area| action.starts_with(area.prefix()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_do_not_overlap_and_cover_the_codes_in_use() {
        // No area's prefix starts another's: a filter shows one area only.
        for a in AuditArea::ALL {
            for b in AuditArea::ALL {
                if a != b {
                    assert!(!b.prefix().starts_with(a.prefix()), "{a:?} covers {b:?}");
                }
            }
        }
        assert_eq!(AuditArea::of("class.state"), Some(AuditArea::Classes));
        assert_eq!(AuditArea::of("groups.form"), Some(AuditArea::Groups));
        assert_eq!(AuditArea::of("users.imported"), Some(AuditArea::Imports));
        assert_eq!(AuditArea::of("user.created"), Some(AuditArea::Accounts));
        assert_eq!(AuditArea::of("payment.made"), None);
    }
}
