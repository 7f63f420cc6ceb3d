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

/// Every action the audit log records. The code is what the log stores
/// (`area.verb`); [`AuditAction::area`] is the area the filter offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditAction {
    BankArchive,
    BankCreate,
    BankExport,
    BankInvite,
    BankSave,
    BankUninvite,
    BlueprintPreview,
    BlueprintSave,
    CertificateIssue,
    CertificateReissue,
    CertificateRevoke,
    ClassAddCourseware,
    ClassCopy,
    ClassCreate,
    ClassEnrol,
    ClassReport,
    ClassSettings,
    ClassState,
    ClassUnenrol,
    ClassUpdate,
    CoursewareCreate,
    CoursewareReview,
    CoursewareVideo,
    DeviceApprovalRefused,
    DeviceApprovalRequested,
    DeviceApprovalRevoked,
    DeviceApproved,
    DeviceBound,
    DeviceRebindApproved,
    DeviceRebindRefused,
    DeviceRebindRequested,
    DeviceUnbound,
    ExamCreate,
    ExamState,
    FaqCreate,
    FaqDelete,
    FaqHide,
    FaqMove,
    FaqShow,
    FaqUpdate,
    GroupCreate,
    GroupDelete,
    GroupLiaisonAdd,
    GroupLiaisonRemove,
    GroupPlace,
    GroupRename,
    GroupsForm,
    LoginFailed,
    LoginRefusedOtherDevice,
    LoginSucceeded,
    LoginSucceededByApproval,
    PostPin,
    PostUnpin,
    PostHide,
    PostShow,
    QuestionArchive,
    QuestionCreate,
    QuestionEdit,
    QuestionImport,
    QuestionRestore,
    QuestionTag,
    QuestionUntag,
    RegionAdded,
    RegionRenamed,
    SummaryAccept,
    SummaryArchive,
    SummaryReturn,
    SummarySubmit,
    SupportAnswer,
    SupportClose,
    SupportReopen,
    SurveyExport,
    SurveyRemove,
    SurveySave,
    TopicDelete,
    TopicSave,
    UserActivated,
    UserCreated,
    UserDisabled,
    UserEnabled,
    UserLockCleared,
    UserPasswordChanged,
    UserPasswordReset,
    UserPasswordResetBySms,
    UserRegistered,
    UserRolesChanged,
    UserUpdated,
    UsersImported,
}

crate::stored_code!(AuditAction {
    BankArchive => "bank.archive",
    BankCreate => "bank.create",
    BankExport => "bank.export",
    BankInvite => "bank.invite",
    BankSave => "bank.save",
    BankUninvite => "bank.uninvite",
    BlueprintPreview => "blueprint.preview",
    BlueprintSave => "blueprint.save",
    CertificateIssue => "certificate.issue",
    CertificateReissue => "certificate.reissue",
    CertificateRevoke => "certificate.revoke",
    ClassAddCourseware => "class.add_courseware",
    ClassCopy => "class.copy",
    ClassCreate => "class.create",
    ClassEnrol => "class.enrol",
    ClassReport => "class.report",
    ClassSettings => "class.settings",
    ClassState => "class.state",
    ClassUnenrol => "class.unenrol",
    ClassUpdate => "class.update",
    CoursewareCreate => "courseware.create",
    CoursewareReview => "courseware.review",
    CoursewareVideo => "courseware.video",
    DeviceApprovalRefused => "device.approval_refused",
    DeviceApprovalRequested => "device.approval_requested",
    DeviceApprovalRevoked => "device.approval_revoked",
    DeviceApproved => "device.approved",
    DeviceBound => "device.bound",
    DeviceRebindApproved => "device.rebind_approved",
    DeviceRebindRefused => "device.rebind_refused",
    DeviceRebindRequested => "device.rebind_requested",
    DeviceUnbound => "device.unbound",
    ExamCreate => "exam.create",
    ExamState => "exam.state",
    FaqCreate => "faq.create",
    FaqDelete => "faq.delete",
    FaqHide => "faq.hide",
    FaqMove => "faq.move",
    FaqShow => "faq.show",
    FaqUpdate => "faq.update",
    GroupCreate => "group.create",
    GroupDelete => "group.delete",
    GroupLiaisonAdd => "group.liaison_add",
    GroupLiaisonRemove => "group.liaison_remove",
    GroupPlace => "group.place",
    GroupRename => "group.rename",
    GroupsForm => "groups.form",
    LoginFailed => "login.failed",
    LoginRefusedOtherDevice => "login.refused_other_device",
    LoginSucceeded => "login.succeeded",
    LoginSucceededByApproval => "login.succeeded_by_approval",
    PostPin => "post.pin",
    PostUnpin => "post.unpin",
    PostHide => "post.hide",
    PostShow => "post.show",
    QuestionArchive => "question.archive",
    QuestionCreate => "question.create",
    QuestionEdit => "question.edit",
    QuestionImport => "question.import",
    QuestionRestore => "question.restore",
    QuestionTag => "question.tag",
    QuestionUntag => "question.untag",
    RegionAdded => "region.added",
    RegionRenamed => "region.renamed",
    SummaryAccept => "summary.accept",
    SummaryArchive => "summary.archive",
    SummaryReturn => "summary.return",
    SummarySubmit => "summary.submit",
    SupportAnswer => "support.answer",
    SupportClose => "support.close",
    SupportReopen => "support.reopen",
    SurveyExport => "survey.export",
    SurveyRemove => "survey.remove",
    SurveySave => "survey.save",
    TopicDelete => "topic.delete",
    TopicSave => "topic.save",
    UserActivated => "user.activated",
    UserCreated => "user.created",
    UserDisabled => "user.disabled",
    UserEnabled => "user.enabled",
    UserLockCleared => "user.lock_cleared",
    UserPasswordChanged => "user.password_changed",
    UserPasswordReset => "user.password_reset",
    UserPasswordResetBySms => "user.password_reset_by_sms",
    UserRegistered => "user.registered",
    UserRolesChanged => "user.roles_changed",
    UserUpdated => "user.updated",
    UsersImported => "users.imported",
});

impl AuditAction {
    /// The area of the log this action is filed under.
    pub fn area(self) -> AuditArea {
        // Every action has an area (tested below); accounts is the
        // catch-all should one ever be added without.
        AuditArea::of(self.code()).unwrap_or(AuditArea::Accounts)
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

    #[test]
    fn every_action_has_its_own_code_and_an_area() {
        for (i, action) in AuditAction::ALL.iter().enumerate() {
            let code = action.code();
            assert!(AuditArea::of(code).is_some(), "{code} has no area");
            assert_eq!(AuditAction::from_code(code), Some(*action));
            assert!(AuditAction::ALL[..i].iter().all(|a| a.code() != code));
        }
        assert_eq!(AuditAction::ClassState.area(), AuditArea::Classes);
        assert_eq!(AuditAction::GroupsForm.area(), AuditArea::Groups);
        assert_eq!(AuditAction::PostHide.area(), AuditArea::Posts);
    }
}
