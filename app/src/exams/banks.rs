//! Server functions of question banks: banks, invited lecturers, questions
//! (each edit a new version), bulk archive and tagging, and import.

use crate::error::AppError;
use academy_shared::exam::{FieldProblem, Question};
use academy_shared::ids::{BankId, QuestionId, UserId};
use academy_shared::roster::RowProblem;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 50;
/// Larger import files are refused before parsing; 2,000 questions fit well
/// within it and its base64 stays under the server's request limit.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;
pub const MAX_TAG_CHARS: usize = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankView {
    pub id: BankId,
    pub title: String,
    pub description: String,
    pub archived: bool,
    pub question_count: i64,
    /// For an invited lecturer: (quota, questions added so far).
    pub my_quota: Option<(i64, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BanksPage {
    pub banks: Vec<BankView>,
    pub may_manage: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    pub lecturer_id: UserId,
    pub lecturer_name: String,
    pub quota: i64,
    pub contributed: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankOverview {
    pub bank: BankView,
    pub invites: Vec<InviteView>,
    pub may_manage: bool,
    /// May add questions here (managers; invited lecturers below quota).
    pub may_add: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionListRow {
    pub id: QuestionId,
    pub kind: academy_shared::exam::QuestionKind,
    pub stem_text: String,
    pub topic: String,
    pub lecturer: String,
    pub difficulty: i64,
    pub tags: Vec<String>,
    pub archived: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionPage {
    pub rows: Vec<QuestionListRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub topics: Vec<String>,
    pub lecturers: Vec<String>,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub version: i64,
    pub edited_by: String,
    pub edited_at: i64,
    pub body: Question,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionEdit {
    pub id: QuestionId,
    pub bank: BankId,
    pub bank_title: String,
    pub version: i64,
    pub body: Question,
    pub tags: Vec<String>,
    pub archived: bool,
    pub history: Vec<VersionView>,
    pub editable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionSaved {
    Saved {
        id: QuestionId,
        version: i64,
    },
    /// Nothing was written.
    Problems(Vec<FieldProblem>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionImportReport {
    /// "xlsx", "UTF-8", "GBK" (tables) or the text format's name.
    pub encoding: String,
    pub valid: usize,
    pub problems: Vec<RowProblem>,
    /// Set when questions were written.
    pub imported: Option<usize>,
}

#[server(endpoint = "banks/list")]
pub async fn list_banks() -> Result<BanksPage, AppError> {
    crate::error::respond(ssr::list_banks().await)
}

#[server(endpoint = "banks/create")]
pub async fn create_bank(title: String, description: Option<String>) -> Result<BankId, AppError> {
    crate::error::respond(ssr::create_bank(title, description.unwrap_or_default()).await)
}

#[server(endpoint = "banks/save")]
pub async fn save_bank(
    id: BankId,
    title: String,
    description: Option<String>,
    archived: Option<String>,
) -> Result<(), AppError> {
    crate::error::respond(
        ssr::save_bank(
            id,
            title,
            description.unwrap_or_default(),
            archived.is_some_and(|a| academy_shared::validate::is_checked(&a)),
        )
        .await,
    )
}

#[server(endpoint = "banks/get")]
pub async fn bank_detail(id: BankId) -> Result<BankOverview, AppError> {
    crate::error::respond(ssr::bank_detail(id).await)
}

/// Invites a lecturer (by username) to contribute `quota` questions, or
/// changes their quota.
#[server(endpoint = "banks/invite")]
pub async fn invite_lecturer(bank: BankId, username: String, quota: i64) -> Result<(), AppError> {
    crate::error::respond(ssr::invite(bank, username, quota).await)
}

#[server(endpoint = "banks/uninvite")]
pub async fn remove_invite(bank: BankId, lecturer: UserId) -> Result<(), AppError> {
    crate::error::respond(ssr::uninvite(bank, lecturer).await)
}

#[server(endpoint = "banks/questions")]
pub async fn list_questions(
    bank: BankId,
    text: Option<String>,
    kind: Option<String>,
    topic: Option<String>,
    lecturer: Option<String>,
    difficulty: Option<i64>,
    tag: Option<String>,
    archived: Option<bool>,
    page: Option<i64>,
) -> Result<QuestionPage, AppError> {
    crate::error::respond(
        ssr::list_questions(
            bank,
            ssr::ListFilter {
                text,
                kind,
                topic,
                lecturer,
                difficulty,
                tag,
                archived: archived.unwrap_or(false),
            },
            page.unwrap_or(0),
        )
        .await,
    )
}

#[server(endpoint = "questions/get")]
pub async fn question_for_edit(id: QuestionId) -> Result<QuestionEdit, AppError> {
    crate::error::respond(ssr::question_for_edit(id).await)
}

/// Adds (`id` None) or edits a question. Edits need the version the editor
/// started from; a newer one in between is refused rather than overwritten.
#[server(endpoint = "questions/save", input = Json)]
pub async fn save_question(
    bank: BankId,
    id: Option<QuestionId>,
    expected_version: Option<i64>,
    body: Question,
    tags: Vec<String>,
) -> Result<QuestionSaved, AppError> {
    crate::error::respond(ssr::save_question(bank, id, expected_version, body, tags).await)
}

#[server(endpoint = "questions/archive", input = Json)]
pub async fn archive_questions(
    bank: BankId,
    ids: Vec<QuestionId>,
    archived: bool,
) -> Result<u64, AppError> {
    crate::error::respond(ssr::archive(bank, ids, archived).await)
}

#[server(endpoint = "questions/tag", input = Json)]
pub async fn tag_questions(
    bank: BankId,
    ids: Vec<QuestionId>,
    tag: String,
    add: bool,
) -> Result<u64, AppError> {
    crate::error::respond(ssr::tag(bank, ids, tag, add).await)
}

/// Reads an import file and reports every problem by row or line. With
/// `confirm`, writes the questions when there is no problem — or, with
/// `valid_rows_only` as well, writes the valid ones and skips the rest.
/// All in one transaction either way.
#[server(endpoint = "banks/import", input = Json)]
pub async fn import_questions(
    bank: BankId,
    format: String,
    file_name: String,
    file_base64: String,
    confirm: bool,
    valid_rows_only: bool,
) -> Result<QuestionImportReport, AppError> {
    crate::error::respond(
        ssr::import(
            bank,
            format,
            file_name,
            file_base64,
            confirm,
            valid_rows_only,
        )
        .await,
    )
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session::{self, Signed};
    use crate::store::{Conflict, DbError, QuestionFilter, Store, now_millis};
    use academy_shared::exam::QuestionKind;
    use academy_shared::exam::interchange::Format;
    use academy_shared::exam::question::{check_question, tidy};
    use academy_shared::role::Role;
    use academy_shared::role::policy::{CONTENT_STAFF, MANAGERS};
    use base64::Engine;

    pub(crate) fn manages(me: &Signed) -> bool {
        me.has_any(&academy_shared::role::policy::MANAGERS)
    }

    /// Reads every bank: managers and reviewers.
    pub(crate) fn reads_all(me: &Signed) -> bool {
        manages(me) || me.has(Role::Reviewer)
    }

    pub struct ListFilter {
        pub text: Option<String>,
        pub kind: Option<String>,
        pub topic: Option<String>,
        pub lecturer: Option<String>,
        pub difficulty: Option<i64>,
        pub tag: Option<String>,
        pub archived: bool,
    }

    /// What `me` may do in a bank. A lecturer who is not invited gets "not
    /// found", so bank ids reveal nothing.
    pub(crate) struct Access {
        pub manage: bool,
        /// Some for a lecturer: their quota there.
        pub quota: Option<i64>,
    }

    pub(crate) async fn access(
        store: &Store,
        me: &Signed,
        bank: BankId,
    ) -> Result<Access, AppError> {
        if reads_all(me) {
            store.bank(bank).await?;
            return Ok(Access {
                manage: manages(me),
                quota: None,
            });
        }
        if me.has(Role::Lecturer)
            && let Some(quota) = store.invite_quota(bank, me.user.id).await?
        {
            return Ok(Access {
                manage: false,
                quota: Some(quota),
            });
        }
        Err(AppError::NotFound)
    }

    fn text_filter(value: Option<String>) -> Option<String> {
        value
            .map(|v| v.trim().chars().take(100).collect::<String>())
            .filter(|v| !v.is_empty())
    }

    fn check_title(title: &str) -> Result<String, AppError> {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 60 {
            return Err(AppError::invalid(
                "题库名称为 1–60 个字",
                "The bank's title must be 1–60 characters",
            ));
        }
        Ok(title.to_owned())
    }

    fn check_description(text: &str) -> Result<String, AppError> {
        let text = text.trim();
        if text.chars().count() > 500 {
            return Err(AppError::invalid(
                "说明不能超过 500 个字",
                "The description must be at most 500 characters",
            ));
        }
        Ok(text.to_owned())
    }

    fn bank_view(bank: crate::store::Bank, my_quota: Option<(i64, i64)>) -> BankView {
        BankView {
            id: bank.id,
            title: bank.title,
            description: bank.description,
            archived: bank.archived,
            question_count: bank.question_count,
            my_quota,
        }
    }

    async fn own_count(store: &Store, bank: BankId, me: UserId) -> Result<i64, AppError> {
        Ok(store
            .bank_invites(bank)
            .await?
            .into_iter()
            .find(|i| i.lecturer_id == me)
            .map_or(0, |i| i.contributed))
    }

    pub async fn list_banks() -> Result<BanksPage, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        if reads_all(&me) {
            let banks = store.banks(None).await?;
            return Ok(BanksPage {
                banks: banks.into_iter().map(|b| bank_view(b, None)).collect(),
                may_manage: manages(&me),
            });
        }
        let mut views = Vec::new();
        for bank in store.banks(Some(me.user.id)).await? {
            let quota = store.invite_quota(bank.id, me.user.id).await?.unwrap_or(0);
            let have = own_count(&store, bank.id, me.user.id).await?;
            views.push(bank_view(bank, Some((quota, have))));
        }
        Ok(BanksPage {
            banks: views,
            may_manage: false,
        })
    }

    pub async fn create_bank(title: String, description: String) -> Result<BankId, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let title = check_title(&title)?;
        let description = check_description(&description)?;
        let id = store
            .create_bank(&title, &description, me.user.id, now_millis())
            .await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::BankCreate,
            ("bank", &id.to_string()),
            title,
        )
        .await?;
        Ok(id)
    }

    pub async fn save_bank(
        id: BankId,
        title: String,
        description: String,
        archived: bool,
    ) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let title = check_title(&title)?;
        let description = check_description(&description)?;
        store
            .update_bank(id, &title, &description, archived, now_millis())
            .await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            if archived {
                audit::AuditAction::BankArchive
            } else {
                audit::AuditAction::BankSave
            },
            ("bank", &id.to_string()),
            title,
        )
        .await
    }

    pub async fn bank_detail(id: BankId) -> Result<BankOverview, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let access = access(&store, &me, id).await?;
        let bank = store.bank(id).await?;
        let invites = store.bank_invites(id).await?;
        let my_quota = access.quota.map(|quota| {
            let have = invites
                .iter()
                .find(|i| i.lecturer_id == me.user.id)
                .map_or(0, |i| i.contributed);
            (quota, have)
        });
        let may_add =
            !bank.archived && (access.manage || my_quota.is_some_and(|(quota, have)| have < quota));
        Ok(BankOverview {
            bank: bank_view(bank, my_quota),
            // A lecturer sees their own invitation only.
            invites: invites
                .into_iter()
                .filter(|i| reads_all(&me) || i.lecturer_id == me.user.id)
                .map(|i| InviteView {
                    lecturer_id: i.lecturer_id,
                    lecturer_name: i.lecturer_name,
                    quota: i.quota,
                    contributed: i.contributed,
                })
                .collect(),
            may_manage: access.manage,
            may_add,
        })
    }

    pub async fn invite(bank: BankId, username: String, quota: i64) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        store.bank(bank).await?;
        if !(1..=500).contains(&quota) {
            return Err(AppError::invalid(
                "出题数量为 1–500 道",
                "The quota must be 1–500 questions",
            ));
        }
        let not_lecturer = || {
            AppError::invalid(
                "没有这个用户名的讲师",
                "There is no lecturer with this username",
            )
        };
        let lecturer = match store.user_by_username(username.trim()).await {
            Ok(user) => user,
            Err(DbError::NotFound) => return Err(not_lecturer()),
            Err(other) => return Err(other.into()),
        };
        if !lecturer.roles.contains(&Role::Lecturer) || lecturer.disabled {
            return Err(not_lecturer());
        }
        store
            .invite_lecturer(bank, lecturer.id, quota, me.user.id, now_millis())
            .await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::BankInvite,
            ("bank", &bank.to_string()),
            format!("{} quota {quota}", lecturer.username),
        )
        .await
    }

    pub async fn uninvite(bank: BankId, lecturer: UserId) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        store.remove_invite(bank, lecturer).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::BankUninvite,
            ("bank", &bank.to_string()),
            lecturer.to_string(),
        )
        .await
    }

    pub async fn list_questions(
        bank: BankId,
        filter: ListFilter,
        page: i64,
    ) -> Result<QuestionPage, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let access = access(&store, &me, bank).await?;
        let kind = match text_filter(filter.kind) {
            None => None,
            Some(code) => Some(
                QuestionKind::from_code(&code)
                    .ok_or_else(|| AppError::invalid("未知的题型", "Unknown question type"))?,
            ),
        };
        let page = page.clamp(0, 10_000);
        let store_filter = QuestionFilter {
            text: text_filter(filter.text),
            kind,
            topic: text_filter(filter.topic),
            lecturer: text_filter(filter.lecturer),
            difficulty: filter.difficulty.filter(|d| (1..=5).contains(d)),
            tag: text_filter(filter.tag),
            archived: filter.archived,
            author: access.quota.map(|_| me.user.id),
        };
        let (rows, total) = store
            .questions(bank, &store_filter, PAGE_SIZE, page * PAGE_SIZE)
            .await?;
        let (topics, lecturers, tags) = if access.quota.is_none() {
            store.question_facets(bank).await?
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        Ok(QuestionPage {
            rows: rows
                .into_iter()
                .map(|r| QuestionListRow {
                    id: r.id,
                    kind: r.kind,
                    stem_text: r.stem_text,
                    topic: r.topic,
                    lecturer: r.lecturer,
                    difficulty: r.difficulty,
                    tags: r.tags,
                    archived: r.archived,
                })
                .collect(),
            total,
            page,
            page_size: PAGE_SIZE,
            topics,
            lecturers,
            tags,
        })
    }

    /// The question, if `me` may see it: managers and reviewers all of a
    /// bank, a lecturer their own in banks they are invited to.
    async fn visible_question(
        store: &Store,
        me: &Signed,
        id: QuestionId,
    ) -> Result<(crate::store::StoredQuestion, Access), AppError> {
        let question = store.question(id).await?;
        let access = access(store, me, question.bank).await?;
        if access.quota.is_some() && question.author_id != Some(me.user.id) {
            return Err(AppError::NotFound);
        }
        Ok((question, access))
    }

    pub async fn question_for_edit(id: QuestionId) -> Result<QuestionEdit, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let (question, access) = visible_question(&store, &me, id).await?;
        let bank = store.bank(question.bank).await?;
        let history = store
            .question_history(id)
            .await?
            .into_iter()
            .map(|v| VersionView {
                version: v.version,
                edited_by: v.edited_by,
                edited_at: v.edited_at,
                body: v.body,
            })
            .collect();
        Ok(QuestionEdit {
            id,
            bank: question.bank,
            bank_title: bank.title,
            version: question.version,
            body: question.body,
            tags: question.tags,
            archived: question.archived,
            history,
            editable: !bank.archived && (access.manage || access.quota.is_some()),
        })
    }

    fn check_tags(tags: &[String]) -> Result<Vec<String>, AppError> {
        let tags: Vec<String> = tags
            .iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.len() > 10 || tags.iter().any(|t| t.chars().count() > MAX_TAG_CHARS) {
            return Err(AppError::invalid(
                "标签最多 10 个，每个不超过 20 个字",
                "At most 10 tags of up to 20 characters each",
            ));
        }
        Ok(tags)
    }

    /// A lecturer's questions always carry their name: coverage by lecturer
    /// is what the final-exam bank is for.
    fn as_authored(me: &Signed, access: &Access, body: Question) -> Question {
        let mut body = tidy(body);
        if access.quota.is_some() {
            body.lecturer = me.user.real_name.clone();
        }
        body
    }

    /// Images in a stem must be stored images: any of them for managers, a
    /// lecturer's own uploads for a lecturer (another's unpublished file must
    /// not reach learners through a question).
    async fn image_problem(
        store: &Store,
        me: &Signed,
        access: &Access,
        body: &Question,
    ) -> Result<Option<FieldProblem>, AppError> {
        for id in academy_shared::exam::markup::image_ids(&body.stem) {
            let usable = match store.media(id).await {
                Ok(media) => {
                    media.kind == academy_shared::media::MediaKind::Image
                        && (access.manage || media.uploaded_by == Some(me.user.id))
                }
                Err(DbError::NotFound) => false,
                Err(other) => return Err(other.into()),
            };
            if !usable {
                return Ok(Some(FieldProblem::new(
                    "题干",
                    format!("题干中的图片 /media/{id} 不存在或不能使用，请重新上传"),
                    format!(
                        "The image /media/{id} in the stem does not exist or may not be used; please upload it again"
                    ),
                )));
            }
        }
        Ok(None)
    }

    fn quota_error() -> AppError {
        AppError::invalid(
            "已达到本题库邀请您出题的数量",
            "You have added as many questions as this bank invited you to",
        )
    }

    pub async fn save_question(
        bank: BankId,
        id: Option<QuestionId>,
        expected_version: Option<i64>,
        body: Question,
        tags: Vec<String>,
    ) -> Result<QuestionSaved, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let tags = check_tags(&tags)?;
        let now = now_millis();
        match id {
            None => {
                let access = access(&store, &me, bank).await?;
                if !access.manage && access.quota.is_none() {
                    return Err(AppError::Forbidden);
                }
                if store.bank(bank).await?.archived {
                    return Err(archived_bank());
                }
                let body = as_authored(&me, &access, body);
                let mut problems = check_question(&body);
                problems.extend(image_problem(&store, &me, &access, &body).await?);
                if !problems.is_empty() {
                    return Ok(QuestionSaved::Problems(problems));
                }
                let ids = match store
                    .insert_questions(bank, &[(body, tags)], me.user.id, access.quota, now)
                    .await
                {
                    Ok(ids) => ids,
                    Err(DbError::Conflict(Conflict::Quota)) => {
                        return Err(quota_error());
                    }
                    Err(other) => return Err(other.into()),
                };
                let id = ids.first().copied().ok_or(AppError::Internal)?;
                audit::record(
                    &store,
                    Actor::User(&me.user),
                    audit::AuditAction::QuestionCreate,
                    ("question", &id.to_string()),
                    format!("bank {bank}"),
                )
                .await?;
                Ok(QuestionSaved::Saved { id, version: 1 })
            }
            Some(id) => {
                let (question, access) = visible_question(&store, &me, id).await?;
                if question.bank != bank {
                    return Err(AppError::NotFound);
                }
                if !access.manage && access.quota.is_none() {
                    return Err(AppError::Forbidden);
                }
                if store.bank(bank).await?.archived {
                    return Err(archived_bank());
                }
                let body = as_authored(&me, &access, body);
                let mut problems = check_question(&body);
                problems.extend(image_problem(&store, &me, &access, &body).await?);
                if !problems.is_empty() {
                    return Ok(QuestionSaved::Problems(problems));
                }
                let expected = expected_version.unwrap_or(question.version);
                let version = match store
                    .update_question(id, &body, &tags, expected, me.user.id, now)
                    .await
                {
                    Ok(version) => version,
                    Err(DbError::Conflict(_)) => {
                        return Err(AppError::invalid(
                            "这道题已被他人修改，请刷新后再改",
                            "Someone else changed this question; reload it and edit again",
                        ));
                    }
                    Err(other) => return Err(other.into()),
                };
                audit::record(
                    &store,
                    Actor::User(&me.user),
                    audit::AuditAction::QuestionEdit,
                    ("question", &id.to_string()),
                    format!("version {version}"),
                )
                .await?;
                Ok(QuestionSaved::Saved { id, version })
            }
        }
    }

    fn archived_bank() -> AppError {
        AppError::invalid(
            "题库已归档，不能再修改",
            "The bank is archived and cannot be changed",
        )
    }

    /// Bulk changes (archive, tags) are bank management: managers only.
    async fn bulk_access(
        store: &Store,
        me: &Signed,
        bank: BankId,
        ids: &[QuestionId],
    ) -> Result<Vec<QuestionId>, AppError> {
        if !access(store, me, bank).await?.manage {
            return Err(AppError::Forbidden);
        }
        if ids.len() > 1000 {
            return Err(AppError::invalid(
                "一次最多处理 1000 道题",
                "At most 1000 questions at a time",
            ));
        }
        Ok(ids.to_vec())
    }

    pub async fn archive(
        bank: BankId,
        ids: Vec<QuestionId>,
        archived: bool,
    ) -> Result<u64, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let ids = bulk_access(&store, &me, bank, &ids).await?;
        let changed = store
            .set_questions_archived(bank, &ids, archived, now_millis())
            .await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            if archived {
                audit::AuditAction::QuestionArchive
            } else {
                audit::AuditAction::QuestionRestore
            },
            ("bank", &bank.to_string()),
            format!("{changed} questions"),
        )
        .await?;
        Ok(changed)
    }

    pub async fn tag(
        bank: BankId,
        ids: Vec<QuestionId>,
        tag: String,
        add: bool,
    ) -> Result<u64, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let tag = check_tags(std::slice::from_ref(&tag))?
            .pop()
            .ok_or_else(|| AppError::invalid("请填写标签", "Please enter a tag"))?;
        let ids = bulk_access(&store, &me, bank, &ids).await?;
        let changed = store.tag_questions(bank, &ids, &tag, add).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            if add {
                audit::AuditAction::QuestionTag
            } else {
                audit::AuditAction::QuestionUntag
            },
            ("bank", &bank.to_string()),
            format!("{tag}: {changed} questions"),
        )
        .await?;
        Ok(changed)
    }

    pub async fn import(
        bank: BankId,
        format: String,
        file_name: String,
        file_base64: String,
        confirm: bool,
        valid_rows_only: bool,
    ) -> Result<QuestionImportReport, AppError> {
        let (me, store) = session::with_role(&CONTENT_STAFF).await?;
        let access = access(&store, &me, bank).await?;
        if !access.manage && access.quota.is_none() {
            return Err(AppError::Forbidden);
        }
        if store.bank(bank).await?.archived {
            return Err(archived_bank());
        }
        let format = Format::from_code(&format)
            .ok_or_else(|| AppError::invalid("未知的文件格式", "Unknown file format"))?;
        // base64 is 4/3 of the bytes: refuse before decoding a huge string.
        if file_base64.len() > MAX_IMPORT_BYTES / 3 * 4 + 8 {
            return Err(super::super::formats::too_large());
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(file_base64.trim())
            .map_err(|_| {
                AppError::invalid(
                    "文件上传不完整，请重试",
                    "The upload was incomplete; please retry",
                )
            })?;
        if bytes.len() > MAX_IMPORT_BYTES {
            return Err(super::super::formats::too_large());
        }
        let name = file_name.clone();
        let (parsed, encoding) = crate::blocking::run(crate::blocking::Pool::Files, move || {
            super::super::formats::parse_file(format, &name, &bytes)
        })
        .await?;
        // A workbook too large to read is refused as a whole.
        if let Some(problem) = parsed
            .problems
            .iter()
            .find(|p| crate::admin::import::refuses_whole_file(p))
        {
            return Err(AppError::invalid(
                problem.reason_zh.clone(),
                problem.reason_en.clone(),
            ));
        }
        let mut problems = parsed.problems;
        let mut questions: Vec<(Question, Vec<String>)> = Vec::new();
        for (row, question) in parsed.questions {
            let question = as_authored(&me, &access, question);
            match image_problem(&store, &me, &access, &question).await? {
                Some(problem) => {
                    problems.push(RowProblem::new(row, &problem.field, problem.zh, problem.en))
                }
                None => questions.push((question, Vec::new())),
            }
        }
        problems.sort_by_key(|p| p.row);
        let mut report = QuestionImportReport {
            encoding,
            valid: questions.len(),
            problems,
            imported: None,
        };
        if let Some(quota) = access.quota {
            let have = own_count(&store, bank, me.user.id).await?;
            let room = usize::try_from((quota - have).max(0)).unwrap_or(0);
            if questions.len() > room {
                report.problems.push(RowProblem::new(
                    1,
                    "",
                    format!(
                        "本题库还可由您添加 {room} 道题，文件中有 {} 道",
                        questions.len()
                    ),
                    format!(
                        "You may add {room} more questions to this bank; the file has {}",
                        questions.len()
                    ),
                ));
                // Nothing may be written, not even the valid rows.
                report.valid = 0;
                return Ok(report);
            }
        }
        let may_write = report.problems.is_empty() || valid_rows_only;
        if !confirm || !may_write || questions.is_empty() {
            return Ok(report);
        }
        let count = questions.len();
        match store
            .insert_questions(
                bank,
                &std::mem::take(&mut questions),
                me.user.id,
                access.quota,
                now_millis(),
            )
            .await
        {
            Ok(_) => {}
            Err(DbError::Conflict(Conflict::Quota)) => return Err(quota_error()),
            Err(other) => return Err(other.into()),
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::QuestionImport,
            ("bank", &bank.to_string()),
            format!(
                "{count} questions from {} ({} rows skipped)",
                file_name.chars().take(80).collect::<String>(),
                report.problems.len()
            ),
        )
        .await?;
        report.imported = Some(count);
        Ok(report)
    }
}
