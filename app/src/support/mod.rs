//! Support questions (解疑答惑) and the FAQ (常见问题).
//!
//! Any signed-in account may ask a question from any page; the page's path
//! comes from the browser (checked: a path of this site, or nothing), the
//! device is described by the server from the request's User-Agent. Askers
//! see only their own questions. Organizers and administrators (the inbox
//! staff) answer, close and re-open questions, and curate the FAQ, often from
//! answered questions; every answer, state change and FAQ change is in the
//! audit log. The FAQ is public.
//!
//! The rules (states, transitions, text bounds) are `academy_shared::support`.

use crate::error::AppError;
use academy_shared::support::QuestionState;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Who asked, as the inbox shows it (the phone number masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskerView {
    pub username: String,
    pub real_name: String,
    pub phone_masked: Option<String>,
}

/// A question as its asker or the inbox staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: i64,
    pub body: String,
    /// The path of the page asked from ('' when unknown).
    pub page: String,
    /// "微信 · Android 手机" and the like.
    pub device: String,
    pub class_title: Option<String>,
    pub state: QuestionState,
    /// Empty until answered.
    pub answer: String,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// What the reader saw: sent back with a change so that nobody
    /// overwrites a change they have not seen.
    pub version: i64,
    /// Staff only: who asked.
    pub asker: Option<AskerView>,
    /// Staff only: who answered.
    pub answerer_name: Option<String>,
    /// Staff only: the User-Agent header the question came with.
    pub user_agent: Option<String>,
    /// Staff only: the FAQ entry made from this question.
    pub faq_id: Option<i64>,
}

/// How many questions are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCounts {
    pub open: i64,
    pub answered: i64,
    pub closed: i64,
}

impl StateCounts {
    pub fn of(&self, state: QuestionState) -> i64 {
        match state {
            QuestionState::Open => self.open,
            QuestionState::Answered => self.answered,
            QuestionState::Closed => self.closed,
        }
    }

    pub fn total(&self) -> i64 {
        self.open + self.answered + self.closed
    }

    /// Counts after one question moved `from` → `to`.
    pub fn moved(mut self, from: QuestionState, to: QuestionState) -> Self {
        if from != to {
            *self.slot(from) -= 1;
            *self.slot(to) += 1;
        }
        self
    }

    fn slot(&mut self, state: QuestionState) -> &mut i64 {
        match state {
            QuestionState::Open => &mut self.open,
            QuestionState::Answered => &mut self.answered,
            QuestionState::Closed => &mut self.closed,
        }
    }
}

/// The staff inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxView {
    /// The state shown (`None`: all).
    pub filter: Option<QuestionState>,
    pub counts: StateCounts,
    pub questions: Vec<QuestionView>,
}

/// An FAQ entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqItem {
    pub id: i64,
    pub question: String,
    pub answer: String,
    /// Hidden entries are listed to staff only.
    pub hidden: bool,
    pub source_question_id: Option<i64>,
    pub updated_at: i64,
}

/// Asks a question from the page at `page` (a path of this site; anything
/// else is dropped). The device comes from the request, never from the form.
#[server(endpoint = "support/ask")]
pub async fn ask_question(body: String, page: String) -> Result<QuestionView, AppError> {
    crate::error::respond(ssr::ask(body, page).await)
}

/// The signed-in account's own questions, newest first; `None` for visitors
/// (the support page is open to everybody, for its FAQ).
#[server(endpoint = "support/mine")]
pub async fn load_my_questions() -> Result<Option<Vec<QuestionView>>, AppError> {
    crate::error::respond(ssr::mine().await)
}

/// One question: for its asker and the inbox staff only.
#[server(endpoint = "support/question")]
pub async fn load_question(id: i64) -> Result<QuestionView, AppError> {
    crate::error::respond(ssr::question(id).await)
}

/// The inbox: questions in `state` (`open`, `answered`, `closed`; all when
/// empty), with the counts per state. Organizers and administrators.
#[server(endpoint = "support/inbox")]
pub async fn load_inbox(state: Option<String>) -> Result<InboxView, AppError> {
    crate::error::respond(ssr::inbox(state).await)
}

/// How many questions wait for an answer, for the inbox staff's header;
/// `None` for everybody else (visitors included: never an error).
#[server(endpoint = "support/open-count")]
pub async fn load_open_count() -> Result<Option<i64>, AppError> {
    crate::error::respond(ssr::open_count().await)
}

/// Answers a question, or edits the answer. `expected` (the state) and
/// `version` are what the staff member saw: if someone changed the question
/// since, nothing is written and the reason says so.
#[server(endpoint = "support/answer")]
pub async fn answer_question(
    id: i64,
    expected: String,
    version: i64,
    answer: String,
) -> Result<QuestionView, AppError> {
    crate::error::respond(ssr::answer(id, expected, version, answer).await)
}

/// Closes a question (inbox staff).
#[server(endpoint = "support/close")]
pub async fn close_question(id: i64, version: i64) -> Result<QuestionView, AppError> {
    crate::error::respond(ssr::close(id, version).await)
}

/// Opens a closed question again (its asker or the inbox staff).
#[server(endpoint = "support/reopen")]
pub async fn reopen_question(id: i64, version: i64) -> Result<QuestionView, AppError> {
    crate::error::respond(ssr::reopen(id, version).await)
}

/// The FAQ as everybody sees it (hidden entries left out).
#[server(endpoint = "support/faqs")]
pub async fn load_faqs() -> Result<Vec<FaqItem>, AppError> {
    crate::error::respond(ssr::faqs(false).await)
}

/// The FAQ with hidden entries, for the inbox staff.
#[server(endpoint = "support/faq-admin")]
pub async fn load_faq_admin() -> Result<Vec<FaqItem>, AppError> {
    crate::error::respond(ssr::faqs(true).await)
}

/// Adds an FAQ entry (`id` empty), optionally from an answered question
/// (`source`), or rewrites entry `id`.
#[server(endpoint = "support/faq-save")]
pub async fn save_faq(
    id: Option<i64>,
    source: Option<i64>,
    question: String,
    answer: String,
) -> Result<FaqItem, AppError> {
    crate::error::respond(ssr::save_faq(id, source, question, answer).await)
}

/// Hides an FAQ entry from learners, or shows it again.
#[server(endpoint = "support/faq-hide")]
pub async fn set_faq_hidden(id: i64, hidden: bool) -> Result<(), AppError> {
    crate::error::respond(ssr::hide_faq(id, hidden).await)
}

/// Deletes an FAQ entry.
#[server(endpoint = "support/faq-delete")]
pub async fn delete_faq(id: i64) -> Result<(), AppError> {
    crate::error::respond(ssr::delete_faq(id).await)
}

/// Moves an FAQ entry one place up or down.
#[server(endpoint = "support/faq-move")]
pub async fn move_faq(id: i64, up: bool) -> Result<(), AppError> {
    crate::error::respond(ssr::move_faq(id, up).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session::{self, Signed};
    use crate::store::{DbError, FaqRecord, NewQuestion, Store, SupportQuestion, now_millis};
    use academy_shared::ids::ClassId;
    use academy_shared::role::policy::MANAGERS;
    use academy_shared::support::{
        self as rules, Refusal, SupportAction, faq_entry, page_path, transition,
    };

    /// A learner may ask this many questions an hour: enough for anyone
    /// with real questions, too few to flood the inbox.
    const ASKS_PER_HOUR: i64 = 10;
    const HOUR_MS: i64 = 60 * 60 * 1000;

    fn refused(refusal: Refusal) -> AppError {
        AppError::invalid(refusal.zh, refusal.en)
    }

    fn is_staff(me: &Signed) -> bool {
        MANAGERS.iter().any(|role| me.has(*role))
    }

    fn view(q: SupportQuestion, for_staff: bool) -> QuestionView {
        QuestionView {
            id: q.id,
            body: q.body,
            page: q.page,
            device: q.device,
            class_title: q.class_title,
            state: q.state,
            answer: q.answer,
            answered_at: q.answered_at,
            closed_at: q.closed_at,
            created_at: q.created_at,
            updated_at: q.updated_at,
            version: q.version,
            asker: for_staff.then(|| AskerView {
                username: q.asker_username,
                real_name: q.asker_name,
                phone_masked: q.asker_phone.as_deref().map(academy_shared::phone::mask),
            }),
            answerer_name: if for_staff { q.answerer_name } else { None },
            user_agent: for_staff.then_some(q.user_agent),
            faq_id: if for_staff { q.faq_id } else { None },
        }
    }

    fn faq_view(f: FaqRecord) -> FaqItem {
        FaqItem {
            id: f.id,
            question: f.question,
            answer: f.answer,
            hidden: f.hidden_at.is_some(),
            source_question_id: f.source_question_id,
            updated_at: f.updated_at,
        }
    }

    /// The class a question from `page` concerns: named by the page's path,
    /// and one the asker studies in (or, for staff, one that exists).
    async fn class_of(store: &Store, me: &Signed, page: &str) -> Result<Option<ClassId>, AppError> {
        let Some(class_id) = rules::class_of_page(page) else {
            return Ok(None);
        };
        let exists = match store.class(class_id).await {
            Ok(_) => true,
            Err(DbError::NotFound) => false,
            Err(other) => return Err(other.into()),
        };
        let related = exists && (is_staff(me) || store.is_enrolled(class_id, me.user.id).await?);
        Ok(related.then_some(class_id))
    }

    pub async fn ask(body: String, page: String) -> Result<QuestionView, AppError> {
        let (me, store) = session::with_signed().await?;
        let body = rules::question_text(&body).map_err(refused)?;
        let now = now_millis();
        if store
            .support_questions_since(me.user.id, now - HOUR_MS)
            .await?
            >= ASKS_PER_HOUR
        {
            return Err(AppError::TooManyRequests);
        }
        let page = page_path(&page).unwrap_or_default();
        let class_id = class_of(&store, &me, &page).await?;
        let user_agent = session::user_agent().unwrap_or_default();
        let device = academy_shared::device::describe_user_agent(&user_agent);
        let id = store
            .insert_support_question(
                &NewQuestion {
                    asker: me.user.id,
                    body,
                    page,
                    device,
                    user_agent,
                    class_id,
                },
                now,
            )
            .await?;
        Ok(view(store.support_question(id).await?, false))
    }

    pub async fn mine() -> Result<Option<Vec<QuestionView>>, AppError> {
        let store = session::store()?;
        let Some(me) = session::signed_in(&store).await? else {
            return Ok(None);
        };
        let questions = store.support_questions_of(me.user.id).await?;
        Ok(Some(
            questions.into_iter().map(|q| view(q, false)).collect(),
        ))
    }

    /// The question, if `me` may see it: its asker (without the staff's
    /// details) or the inbox staff. Anyone else: 403.
    async fn readable(store: &Store, me: &Signed, id: i64) -> Result<QuestionView, AppError> {
        let question = store.support_question(id).await?;
        if is_staff(me) {
            Ok(view(question, true))
        } else if question.asker == me.user.id {
            Ok(view(question, false))
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub async fn question(id: i64) -> Result<QuestionView, AppError> {
        let (me, store) = session::with_signed().await?;
        readable(&store, &me, id).await
    }

    pub async fn inbox(state: Option<String>) -> Result<InboxView, AppError> {
        let (_, store) = session::with_role(&MANAGERS).await?;
        let filter = match state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None | Some("all") => None,
            Some(text) => Some(QuestionState::from_code(text).ok_or_else(|| {
                AppError::invalid("没有这种问题状态", "There is no such question state")
            })?),
        };
        let counts = store.support_counts().await?;
        let questions = store.support_inbox(filter, 200).await?;
        Ok(InboxView {
            filter,
            counts: StateCounts {
                open: counts.open,
                answered: counts.answered,
                closed: counts.closed,
            },
            questions: questions.into_iter().map(|q| view(q, true)).collect(),
        })
    }

    pub async fn open_count() -> Result<Option<i64>, AppError> {
        let store = session::store()?;
        match session::signed_in(&store).await? {
            Some(me) if is_staff(&me) => Ok(Some(store.support_open_count().await?)),
            _ => Ok(None),
        }
    }

    /// Why a change to a question that was `seen` at `version` must not
    /// happen now that it is `current`, if it must not.
    fn check_fresh(
        current: &SupportQuestion,
        seen: QuestionState,
        version: i64,
    ) -> Result<(), AppError> {
        if current.state != seen || current.version != version {
            return Err(refused(rules::stale(current.state)));
        }
        Ok(())
    }

    pub async fn answer(
        id: i64,
        expected: String,
        version: i64,
        answer: String,
    ) -> Result<QuestionView, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let expected = QuestionState::from_code(expected.trim()).ok_or_else(|| {
            AppError::invalid("没有这种问题状态", "There is no such question state")
        })?;
        let answer = rules::answer_text(&answer).map_err(refused)?;
        let current = store.support_question(id).await?;
        check_fresh(&current, expected, version)?;
        transition(current.state, SupportAction::Answer).map_err(refused)?;
        let now = now_millis();
        if !store
            .answer_support_question(id, expected, version, &answer, me.user.id, now)
            .await?
        {
            let now_state = store.support_question(id).await?.state;
            return Err(refused(rules::stale(now_state)));
        }
        let detail = if current.state == QuestionState::Answered {
            "answer edited".to_owned()
        } else {
            format!("{} → answered", current.state.code())
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::SupportAnswer,
            ("support_question", &id.to_string()),
            detail,
        )
        .await?;
        Ok(view(store.support_question(id).await?, true))
    }

    /// Moves the question with `action` (close or re-open) if `me` may.
    async fn change_state(
        id: i64,
        version: i64,
        action: SupportAction,
    ) -> Result<QuestionView, AppError> {
        let (me, store) = session::with_signed().await?;
        let current = store.support_question(id).await?;
        let staff = is_staff(&me);
        let allowed = staff || (action == SupportAction::Reopen && current.asker == me.user.id);
        if !allowed {
            return Err(AppError::Forbidden);
        }
        if current.version != version {
            return Err(refused(rules::stale(current.state)));
        }
        let to = transition(current.state, action).map_err(refused)?;
        if !store
            .set_support_state(id, current.state, version, to, now_millis())
            .await?
        {
            let now_state = store.support_question(id).await?.state;
            return Err(refused(rules::stale(now_state)));
        }
        let action_name = match action {
            SupportAction::Close => audit::AuditAction::SupportClose,
            _ => audit::AuditAction::SupportReopen,
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            action_name,
            ("support_question", &id.to_string()),
            format!("{} → {}", current.state.code(), to.code()),
        )
        .await?;
        Ok(view(store.support_question(id).await?, staff))
    }

    pub async fn close(id: i64, version: i64) -> Result<QuestionView, AppError> {
        change_state(id, version, SupportAction::Close).await
    }

    pub async fn reopen(id: i64, version: i64) -> Result<QuestionView, AppError> {
        change_state(id, version, SupportAction::Reopen).await
    }

    pub async fn faqs(include_hidden: bool) -> Result<Vec<FaqItem>, AppError> {
        let store = session::store()?;
        if include_hidden {
            session::with_role(&MANAGERS).await?;
        }
        Ok(store
            .faqs(include_hidden)
            .await?
            .into_iter()
            .map(faq_view)
            .collect())
    }

    fn faq_problems(problems: Vec<Refusal>) -> AppError {
        let (zh, en): (Vec<String>, Vec<String>) =
            problems.into_iter().map(|p| (p.zh, p.en)).unzip();
        AppError::invalid(zh.join("；"), en.join("; "))
    }

    pub async fn save_faq(
        id: Option<i64>,
        source: Option<i64>,
        question: String,
        answer: String,
    ) -> Result<FaqItem, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let (question, answer) = faq_entry(&question, &answer).map_err(faq_problems)?;
        let now = now_millis();
        let (id, action, detail) = match id {
            Some(id) => {
                store.update_faq(id, &question, &answer, now).await?;
                (id, audit::AuditAction::FaqUpdate, String::new())
            }
            None => {
                if let Some(source) = source {
                    let from = store.support_question(source).await?;
                    if from.answered_at.is_none() || from.answer.is_empty() {
                        return Err(AppError::invalid(
                            "只有已回答的问题才能加入常见问题",
                            "Only an answered question can become an FAQ entry",
                        ));
                    }
                }
                let id = match store
                    .insert_faq(&question, &answer, source, me.user.id, now)
                    .await
                {
                    Ok(id) => id,
                    Err(DbError::Conflict(_)) => {
                        return Err(AppError::invalid(
                            "这个问题已经加入常见问题",
                            "This question is already an FAQ entry",
                        ));
                    }
                    Err(other) => return Err(other.into()),
                };
                let detail = source
                    .map(|s| format!("from support question {s}"))
                    .unwrap_or_default();
                (id, audit::AuditAction::FaqCreate, detail)
            }
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            action,
            ("faq", &id.to_string()),
            detail,
        )
        .await?;
        Ok(faq_view(store.faq(id).await?))
    }

    pub async fn hide_faq(id: i64, hidden: bool) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        store.set_faq_hidden(id, hidden, now_millis()).await?;
        let action = if hidden {
            audit::AuditAction::FaqHide
        } else {
            audit::AuditAction::FaqShow
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            action,
            ("faq", &id.to_string()),
            String::new(),
        )
        .await
    }

    pub async fn delete_faq(id: i64) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        store.delete_faq(id).await?;
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::FaqDelete,
            ("faq", &id.to_string()),
            String::new(),
        )
        .await
    }

    pub async fn move_faq(id: i64, up: bool) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        if store.move_faq(id, up, now_millis()).await? {
            audit::record(
                &store,
                Actor::User(&me.user),
                audit::AuditAction::FaqMove,
                ("faq", &id.to_string()),
                if up { "up" } else { "down" },
            )
            .await?;
        }
        Ok(())
    }
}
