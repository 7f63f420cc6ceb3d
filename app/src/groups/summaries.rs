//! The liaison's daily summary (分组讨论汇总表): written per group and day,
//! pre-filled from the day's posts and check-ins; draft → submitted →
//! returned with a comment → submitted again → accepted → archived. The
//! organizer sees which groups have not submitted, reviews, archives, and
//! exports a day or a range (.xlsx, one sheet per day; a printable page).

use crate::error::AppError;
use academy_shared::groups::{SummaryFields, SummaryState};
use academy_shared::ids::{ClassId, GroupId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryView {
    pub class_id: ClassId,
    pub class_title: String,
    pub group_id: GroupId,
    pub group_name: String,
    pub day: String,
    /// `None` when not written yet.
    pub state: Option<SummaryState>,
    pub archived: bool,
    pub members: u32,
    /// The member names, for the printed form.
    pub member_names: Vec<String>,
    pub fields: SummaryFields,
    /// What the day's posts and check-ins suggest for the participants.
    pub suggested_participants: u32,
    pub review_comment: String,
    pub written_by: String,
    pub submitted_at: String,
    pub can_edit: bool,
    pub can_review: bool,
}

/// One group's line on the organizer's list for a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryLine {
    pub group_id: GroupId,
    pub group_name: String,
    pub liaisons: Vec<String>,
    pub members: u32,
    /// `None`: not written.
    pub state: Option<SummaryState>,
    pub participants: u32,
    pub archived: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummariesView {
    pub class_id: ClassId,
    pub class_title: String,
    pub day: String,
    pub lines: Vec<SummaryLine>,
    pub can_review: bool,
}

#[server(endpoint = "groups/summary")]
pub async fn load_summary(group_id: GroupId, day: Option<String>) -> Result<SummaryView, AppError> {
    crate::error::respond(ssr::load_summary(group_id, day).await)
}

/// The liaison saves (`submit` false) or submits the form. `expected` is the
/// state the form was loaded in (empty: new), so a change made meanwhile is
/// reported rather than overwritten.
#[server(endpoint = "groups/summary-save")]
pub async fn save_summary(
    group_id: GroupId,
    day: String,
    expected: String,
    participants: String,
    topic: String,
    views: String,
    problems: String,
    suggestions: String,
    submit: bool,
) -> Result<(), AppError> {
    let fields = (participants, topic, views, problems, suggestions);
    crate::error::respond(ssr::save_summary(group_id, day, expected, fields, submit).await)
}

/// The organizer accepts, or returns with a comment.
#[server(endpoint = "groups/summary-review")]
pub async fn review_summary(
    group_id: GroupId,
    day: String,
    accept: bool,
    comment: String,
) -> Result<(), AppError> {
    crate::error::respond(ssr::review(group_id, day, accept, comment).await)
}

#[server(endpoint = "groups/summaries")]
pub async fn load_summaries(
    class_id: ClassId,
    day: Option<String>,
) -> Result<SummariesView, AppError> {
    crate::error::respond(ssr::load_summaries(class_id, day).await)
}

/// Archives the day's accepted summaries; returns how many.
#[server(endpoint = "groups/summaries-archive")]
pub async fn archive_summaries(class_id: ClassId, day: String) -> Result<u32, AppError> {
    crate::error::respond(ssr::archive(class_id, day).await)
}

/// Every written summary of `from..=to` the viewer may read, for printing.
#[server(endpoint = "groups/summaries-print")]
pub async fn print_summaries(
    class_id: ClassId,
    from: Option<String>,
    to: Option<String>,
) -> Result<(String, Vec<SummaryView>), AppError> {
    crate::error::respond(ssr::print(class_id, from, to).await)
}

#[cfg(feature = "ssr")]
pub use ssr::summaries_workbook;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session::{self, Signed};
    use crate::groups::{Access, access, day_param};
    use crate::store::{GroupRecord, Store, SummaryRecord, SummaryWrite, now_millis};
    use academy_shared::checkin::label;
    use academy_shared::class::ClassState;
    use academy_shared::groups::{
        Refusal, SummaryAction, SummaryState, check_review_comment, check_summary, participants,
        summary_transition,
    };
    use academy_shared::time::format_china_time;
    use std::collections::BTreeSet;

    fn refused(r: Refusal) -> AppError {
        AppError::invalid(r.zh, r.en)
    }

    fn changed_meanwhile() -> AppError {
        AppError::invalid(
            "汇总表刚被其他人修改或审核，请刷新后再试",
            "Someone changed or reviewed the summary meanwhile; reload and try again",
        )
    }

    /// The summary's day: not after today, not before the class starts.
    fn summary_day(text: Option<&str>, starts_on: Option<i32>) -> Result<i32, AppError> {
        let day = day_param(text)?;
        if starts_on.is_some_and(|s| day < s) {
            return Err(AppError::invalid(
                "培训班在这一天还没有开始",
                "The class had not started on that day",
            ));
        }
        Ok(day)
    }

    async fn view_of(
        store: &Store,
        group: &GroupRecord,
        can: Access,
        day: i32,
        closed: bool,
    ) -> Result<SummaryView, AppError> {
        let record = store.summary(group.id, day).await?;
        let members = store.group_members(group.id).await?;
        let ids: BTreeSet<i64> = members.iter().map(|m| m.user.0).collect();
        let checked: Vec<i64> = store
            .checkins_on(group.class_id, day)
            .await?
            .into_iter()
            .map(|(u, _)| u.0)
            .collect();
        let suggested = participants(&ids, &store.posters(group.id, day).await?, &checked);
        let topic = store.topic(group.class_id, day).await?;
        let class_title = store.class(group.class_id).await?.title;
        let state = record.as_ref().map(|r| r.state);
        let archived = record.as_ref().is_some_and(|r| r.archived_at.is_some());
        let editable = state.is_none_or(SummaryState::editable);
        Ok(SummaryView {
            class_id: group.class_id,
            class_title,
            group_id: group.id,
            group_name: group.name.clone(),
            day: label(day),
            archived,
            members: record.as_ref().map_or(group.members, |r| r.members),
            member_names: members.into_iter().map(|m| m.real_name).collect(),
            fields: record.as_ref().map_or_else(
                || SummaryFields {
                    participants: suggested,
                    topic: topic.map(|t| t.title).unwrap_or_default(),
                    ..SummaryFields::default()
                },
                |r| r.fields.clone(),
            ),
            suggested_participants: suggested,
            review_comment: record
                .as_ref()
                .map(|r| r.review_comment.clone())
                .unwrap_or_default(),
            written_by: record
                .as_ref()
                .and_then(|r| r.written_by.clone())
                .unwrap_or_default(),
            submitted_at: record
                .as_ref()
                .and_then(|r| r.submitted_at)
                .map(format_china_time)
                .unwrap_or_default(),
            can_edit: !closed && !archived && editable && can == Access::Liaison,
            can_review: !closed
                && !archived
                && state == Some(SummaryState::Submitted)
                && can == Access::Manage,
            state,
        })
    }

    pub async fn load_summary(
        group_id: GroupId,
        day: Option<String>,
    ) -> Result<SummaryView, AppError> {
        let (signed, store) = session::with_signed().await?;
        let group = store.group(group_id).await?;
        let can = access(&store, &signed, &group).await?;
        if can == Access::Member {
            return Err(AppError::Forbidden);
        }
        let class = store.class(group.class_id).await?;
        let day = summary_day(day.as_deref(), class.starts_on)?;
        view_of(&store, &group, can, day, class.state == ClassState::Closed).await
    }

    fn count_field(text: &str) -> Result<u32, AppError> {
        text.trim().parse::<u32>().map_err(|_| {
            AppError::invalid(
                "参与人数应为 0 或正整数",
                "Participants must be a whole number, 0 or more",
            )
        })
    }

    pub async fn save_summary(
        group_id: GroupId,
        day: String,
        expected: String,
        (participants, topic, views, problems, suggestions): (
            String,
            String,
            String,
            String,
            String,
        ),
        submit: bool,
    ) -> Result<(), AppError> {
        let (signed, store) = session::with_signed().await?;
        let group = store.group(group_id).await?;
        // Only the group's liaisons write its summary; an organizer reviews it.
        if access(&store, &signed, &group).await? != Access::Liaison {
            return Err(AppError::Forbidden);
        }
        let class = store.class(group.class_id).await?;
        if class.state == ClassState::Closed {
            return Err(AppError::invalid(
                "培训班已结束，不能再修改",
                "The class is closed and can no longer change",
            ));
        }
        let day = summary_day(Some(&day), class.starts_on)?;
        let current = store.summary(group_id, day).await?;
        let state = current.as_ref().map(|r| r.state);
        // The form says which state it was loaded in (empty: not written);
        // anything else means someone changed the summary meanwhile.
        let loaded_in = match expected.trim() {
            "" => None,
            code => Some(SummaryState::from_code(code).ok_or_else(changed_meanwhile)?),
        };
        if state != loaded_in {
            return Err(changed_meanwhile());
        }
        let action = if submit {
            SummaryAction::Submit
        } else {
            SummaryAction::Save
        };
        let archived = current.as_ref().is_some_and(|r| r.archived_at.is_some());
        let next = summary_transition(state, archived, action).map_err(refused)?;
        let members = current.as_ref().map_or(group.members, |r| r.members);
        let fields = SummaryFields {
            participants: count_field(&participants)?,
            topic,
            views,
            problems,
            suggestions,
        };
        let fields = check_summary(&fields, members, submit).map_err(refused)?;
        let written = store
            .write_summary(&SummaryWrite {
                group_id,
                day,
                expected: state,
                state: next,
                members,
                fields: &fields,
                by: signed.user.id,
                now: now_millis(),
            })
            .await?;
        if !written {
            return Err(changed_meanwhile());
        }
        if submit {
            audit::record(
                &store,
                Actor::User(&signed.user),
                audit::AuditAction::SummarySubmit,
                ("group", &group_id.to_string()),
                label(day),
            )
            .await?;
        }
        Ok(())
    }

    pub async fn review(
        group_id: GroupId,
        day: String,
        accept: bool,
        comment: String,
    ) -> Result<(), AppError> {
        let (signed, store) = session::with_signed().await?;
        let group = store.group(group_id).await?;
        if access(&store, &signed, &group).await? != Access::Manage {
            return Err(AppError::Forbidden);
        }
        let class = store.class(group.class_id).await?;
        let day = summary_day(Some(&day), class.starts_on)?;
        let current = store.summary(group_id, day).await?;
        let state = current.as_ref().map(|r| r.state);
        let archived = current.as_ref().is_some_and(|r| r.archived_at.is_some());
        let action = if accept {
            SummaryAction::Accept
        } else {
            SummaryAction::Return
        };
        let next = summary_transition(state, archived, action).map_err(refused)?;
        let comment = if accept {
            comment.trim().chars().take(500).collect()
        } else {
            check_review_comment(&comment).map_err(refused)?
        };
        // A transition to accepted or returned starts from a written summary.
        let Some(from) = state else {
            return Err(changed_meanwhile());
        };
        let now = now_millis();
        if !store
            .review_summary(group_id, day, from, next, &comment, signed.user.id, now)
            .await?
        {
            return Err(changed_meanwhile());
        }
        audit::record(
            &store,
            Actor::User(&signed.user),
            if accept {
                audit::AuditAction::SummaryAccept
            } else {
                audit::AuditAction::SummaryReturn
            },
            ("group", &group_id.to_string()),
            format!("{} {comment}", label(day)),
        )
        .await
    }

    /// The groups of the class `signed` may read summaries of, with how.
    async fn readable_groups(
        store: &Store,
        signed: &Signed,
        class_id: ClassId,
    ) -> Result<Vec<(GroupRecord, Access)>, AppError> {
        let mut out = Vec::new();
        for group in store.groups(class_id).await? {
            if let Ok(can) = access(store, signed, &group).await
                && can != Access::Member
            {
                out.push((group, can));
            }
        }
        if out.is_empty() && !signed.has_any(&academy_shared::role::policy::REPORT_OVERSEERS) {
            return Err(AppError::Forbidden);
        }
        Ok(out)
    }

    pub async fn load_summaries(
        class_id: ClassId,
        day: Option<String>,
    ) -> Result<SummariesView, AppError> {
        let (signed, store) = session::with_signed().await?;
        let class = store.class(class_id).await?;
        let day = day_param(day.as_deref())?;
        let groups = readable_groups(&store, &signed, class_id).await?;
        let written = store.class_summaries(class_id, day, day).await?;
        let can_review = signed.has_any(&academy_shared::role::policy::MANAGERS);
        let lines = groups
            .into_iter()
            .map(|(group, _)| {
                let record = written.iter().find(|s| s.group_id == group.id);
                SummaryLine {
                    group_id: group.id,
                    group_name: group.name,
                    liaisons: group.liaisons.into_iter().map(|(_, n)| n).collect(),
                    members: record.map_or(group.members, |r| r.members),
                    state: record.map(|r| r.state),
                    participants: record.map_or(0, |r| r.fields.participants),
                    archived: record.is_some_and(|r| r.archived_at.is_some()),
                }
            })
            .collect();
        Ok(SummariesView {
            class_id,
            class_title: class.title,
            day: label(day),
            lines,
            can_review: can_review && class.state != ClassState::Closed,
        })
    }

    pub async fn archive(class_id: ClassId, day: String) -> Result<u32, AppError> {
        let (signed, store) = session::with_role(&academy_shared::role::policy::MANAGERS).await?;
        store.class(class_id).await?;
        let day = day_param(Some(&day))?;
        let groups: Vec<GroupId> = store.groups(class_id).await?.iter().map(|g| g.id).collect();
        let n = store
            .archive_summaries(class_id, day, &groups, now_millis())
            .await?;
        audit::record(
            &store,
            Actor::User(&signed.user),
            audit::AuditAction::SummaryArchive,
            ("class", &class_id.to_string()),
            format!("{} ×{n}", label(day)),
        )
        .await?;
        Ok(n)
    }

    /// The range of days asked for: both ends inclusive, at most 62 days,
    /// ending today when not given.
    fn range(from: Option<&str>, to: Option<&str>) -> Result<(i32, i32), AppError> {
        let to = day_param(to)?;
        let from = match from.map(str::trim).filter(|f| !f.is_empty()) {
            Some(text) => day_param(Some(text))?,
            None => to,
        };
        if from > to || to - from > 61 {
            return Err(AppError::invalid(
                "日期范围应从早到晚，最多 62 天",
                "The range must run forward and span at most 62 days",
            ));
        }
        Ok((from, to))
    }

    async fn written_in_range(
        store: &Store,
        signed: &Signed,
        class_id: ClassId,
        from: i32,
        to: i32,
    ) -> Result<Vec<(SummaryRecord, GroupRecord)>, AppError> {
        let groups = readable_groups(store, signed, class_id).await?;
        Ok(store
            .class_summaries(class_id, from, to)
            .await?
            .into_iter()
            .filter_map(|s| {
                groups
                    .iter()
                    .find(|(g, _)| g.id == s.group_id)
                    .map(|(g, _)| (s, g.clone()))
            })
            .collect())
    }

    pub async fn print(
        class_id: ClassId,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<(String, Vec<SummaryView>), AppError> {
        let (signed, store) = session::with_signed().await?;
        let class = store.class(class_id).await?;
        let (from, to) = range(from.as_deref(), to.as_deref())?;
        let mut out = Vec::new();
        for (summary, group) in written_in_range(&store, &signed, class_id, from, to).await? {
            out.push(view_of(&store, &group, Access::Observe, summary.day, true).await?);
        }
        Ok((class.title, out))
    }

    /// The summaries of `from..=to` as .xlsx, one sheet per day.
    pub async fn summaries_workbook(
        store: &Store,
        signed: &Signed,
        class_id: ClassId,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<(String, Vec<u8>), AppError> {
        use rust_xlsxwriter::{Format, Workbook};
        store.class(class_id).await?;
        let (from, to) = range(from, to)?;
        let written = written_in_range(store, signed, class_id, from, to).await?;
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap();
        let headers = [
            "日期",
            "小组",
            "联络员",
            "小组人数",
            "参与人数",
            "讨论主题",
            "主要观点",
            "提出的问题",
            "意见建议",
            "状态",
            "提交时间",
            "审核意见",
        ];
        for day in from..=to {
            let sheet = book.add_worksheet();
            sheet.set_name(label(day)).map_err(AppError::internal)?;
            for (c, h) in headers.iter().enumerate() {
                sheet
                    .write_string_with_format(0, c as u16, *h, &bold)
                    .map_err(AppError::internal)?;
            }
            sheet.set_column_width(6, 40).map_err(AppError::internal)?;
            for (r, (s, group)) in (1u32..).zip(written.iter().filter(|(s, _)| s.day == day)) {
                let state = s.state.label_zh();
                let state = if s.archived_at.is_some() {
                    format!("{state}（已归档）")
                } else {
                    state.to_owned()
                };
                let liaisons: Vec<&str> = group.liaisons.iter().map(|(_, n)| n.as_str()).collect();
                // Every text is written as a string cell: nothing a liaison
                // types can become a formula or markup in the export.
                let texts = [
                    (0u16, label(day)),
                    (1, s.group_name.clone()),
                    (2, liaisons.join("、")),
                    (5, s.fields.topic.clone()),
                    (6, s.fields.views.clone()),
                    (7, s.fields.problems.clone()),
                    (8, s.fields.suggestions.clone()),
                    (9, state),
                    (
                        10,
                        s.submitted_at.map(format_china_time).unwrap_or_default(),
                    ),
                    (11, s.review_comment.clone()),
                ];
                for (c, text) in texts {
                    sheet
                        .write_string_with_format(r, c, text, &wrap)
                        .map_err(AppError::internal)?;
                }
                sheet
                    .write_number(r, 3, f64::from(s.members))
                    .map_err(AppError::internal)?;
                sheet
                    .write_number(r, 4, f64::from(s.fields.participants))
                    .map_err(AppError::internal)?;
            }
        }
        let bytes = book.save_to_buffer().map_err(AppError::internal)?;
        let name = if from == to {
            format!("summaries-{class_id}-{}.xlsx", label(from))
        } else {
            format!("summaries-{class_id}-{}-{}.xlsx", label(from), label(to))
        };
        Ok((name, bytes))
    }
}
