//! Server functions of running a class (organizers and administrators):
//! create, edit, copy, publish, start, close; its lessons, tests and survey;
//! enrolment by picking, by region or from a spreadsheet; the roster.

use crate::error::AppError;
use academy_shared::class::ClassState;
use academy_shared::exam::FieldProblem;
use academy_shared::ids::{BlueprintId, ClassId, CoursewareId};
use academy_shared::journey::{CompletionRule, Gating};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A row of the organizer's class list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRow {
    pub id: ClassId,
    pub title: String,
    pub state: ClassState,
    pub dates: String,
    pub enrolled: usize,
    pub lessons: usize,
}

/// The class form: what is saved, plus what it offers to pick from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassForm {
    pub input: ClassInput,
    pub state: ClassState,
    /// Approved or published courseware: (id, title, lecturer).
    pub courseware: Vec<(CoursewareId, String, String)>,
    pub blueprints: Vec<(BlueprintId, String)>,
    pub has_survey: bool,
    pub survey_answered: i64,
    pub enrolled: usize,
    pub reported: usize,
}

/// The class form's fields, as the browser sends them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassInput {
    pub id: Option<ClassId>,
    /// The version the form was loaded from; a save over a newer one is refused.
    pub updated_at: i64,
    pub title: String,
    pub description: String,
    /// `YYYY-MM-DD` or empty.
    pub starts_on: String,
    pub ends_on: String,
    pub idle_prompt_seconds: i64,
    pub max_rate_milli: i64,
    pub issuer: String,
    /// Lessons in order.
    pub courseware: Vec<CoursewareId>,
    pub pre_blueprint: Option<BlueprintId>,
    pub final_blueprint: Option<BlueprintId>,
    pub gating: Gating,
    pub completion: CompletionRule,
    /// Give a class without a survey the default 22-item one.
    pub default_survey: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClassSaved {
    Saved {
        id: ClassId,
    },
    /// Nothing was written.
    Problems(Vec<FieldProblem>),
}

/// A learner on the roster; the phone is masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub user_id: i64,
    pub username: String,
    pub real_name: String,
    pub phone_masked: String,
    pub region: String,
    pub reported: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolReport {
    pub added: u64,
    pub already: u64,
    /// Lines that named nobody: (row, what was there).
    pub unknown: Vec<(usize, String)>,
}

#[server(endpoint = "classes/all")]
pub async fn list_class_rows() -> Result<Vec<ClassRow>, AppError> {
    crate::error::respond(ssr::list().await)
}

#[server(endpoint = "classes/form")]
pub async fn load_class_form(id: Option<ClassId>) -> Result<ClassForm, AppError> {
    crate::error::respond(ssr::form(id).await)
}

#[server(endpoint = "classes/save", input = Json)]
pub async fn save_class(input: ClassInput) -> Result<ClassSaved, AppError> {
    crate::error::respond(ssr::save(input).await)
}

#[server(endpoint = "classes/copy")]
pub async fn copy_class(id: ClassId) -> Result<ClassId, AppError> {
    crate::error::respond(ssr::copy(id).await)
}

#[server(endpoint = "classes/state")]
pub async fn change_class_state(id: ClassId, to: String) -> Result<(), AppError> {
    crate::error::respond(ssr::change_state(id, to).await)
}

#[server(endpoint = "classes/roster")]
pub async fn class_roster(id: ClassId) -> Result<Vec<RosterRow>, AppError> {
    crate::error::respond(ssr::roster(id).await)
}

/// Enrols accounts named one per line (username or phone number).
#[server(endpoint = "classes/enrol")]
pub async fn enrol_named(id: ClassId, names: String) -> Result<EnrolReport, AppError> {
    crate::error::respond(ssr::enrol_named(id, names).await)
}

/// Enrols every learner of a region and the regions under it.
#[server(endpoint = "classes/enrol-region")]
pub async fn enrol_region(id: ClassId, region: i64) -> Result<EnrolReport, AppError> {
    crate::error::respond(ssr::enrol_region(id, region).await)
}

/// Enrols the accounts a spreadsheet lists (first column, or a column headed
/// 用户名 or 手机号), .xlsx or CSV, base64.
#[server(endpoint = "classes/enrol-file", input = Json)]
pub async fn enrol_file(
    id: ClassId,
    file_name: String,
    base64: String,
) -> Result<EnrolReport, AppError> {
    crate::error::respond(ssr::enrol_file(id, file_name, base64).await)
}

#[server(endpoint = "classes/unenrol")]
pub async fn unenrol(id: ClassId, user_id: i64) -> Result<(), AppError> {
    crate::error::respond(ssr::unenrol(id, user_id).await)
}

/// The regions to enrol by: (id, indented name).
#[server(endpoint = "classes/regions")]
pub async fn enrol_regions() -> Result<Vec<(i64, String)>, AppError> {
    crate::error::respond(ssr::regions().await)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session::{self, Signed};
    use crate::store::{ClassEdit, ClassRecord, DbError, Store, now_millis};
    use academy_shared::checkin::{day_from_date, label};
    use academy_shared::class::{ClassDraft, ClassTest, check_class, transition};
    use academy_shared::exam::ExamState;
    use academy_shared::ids::{ExamId, RegionId, UserId};
    use academy_shared::role::policy::MANAGERS;
    use base64::Engine;

    /// Enrolment files larger than this are refused.
    const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

    fn closed() -> AppError {
        AppError::invalid(
            "培训班已结束，只能查看",
            "The class is closed and read-only",
        )
    }

    pub(crate) fn dates_label(class: &ClassRecord) -> String {
        match (class.starts_on, class.ends_on) {
            (Some(a), Some(b)) => format!("{} – {}", label(a), label(b)),
            (Some(a), None) => format!("{} –", label(a)),
            (None, Some(b)) => format!("– {}", label(b)),
            (None, None) => String::new(),
        }
    }

    pub async fn list() -> Result<Vec<ClassRow>, AppError> {
        let (_, store) = session::with_role(&MANAGERS).await?;
        let mut rows = Vec::new();
        for class in store.classes().await? {
            rows.push(ClassRow {
                dates: dates_label(&class),
                enrolled: store.enrolled(class.id).await?.len(),
                lessons: store.class_lessons(class.id).await?.len(),
                id: class.id,
                title: class.title,
                state: class.state,
            });
        }
        Ok(rows)
    }

    fn empty_input() -> ClassInput {
        ClassInput {
            id: None,
            updated_at: 0,
            title: String::new(),
            description: String::new(),
            starts_on: String::new(),
            ends_on: String::new(),
            idle_prompt_seconds: 20 * 60,
            max_rate_milli: 2000,
            issuer: String::new(),
            courseware: Vec::new(),
            pre_blueprint: None,
            final_blueprint: None,
            gating: Gating::default(),
            completion: CompletionRule::default(),
            default_survey: true,
        }
    }

    async fn exam_blueprint(
        store: &Store,
        exam: Option<ExamId>,
    ) -> Result<Option<BlueprintId>, AppError> {
        Ok(match exam {
            Some(exam) => Some(store.exam(exam).await?.blueprint_id),
            None => None,
        })
    }

    pub async fn form(id: Option<ClassId>) -> Result<ClassForm, AppError> {
        let (_, store) = session::with_role(&MANAGERS).await?;
        let courseware = store
            .courseware_for_classes()
            .await?
            .into_iter()
            .collect::<Vec<_>>();
        let blueprints = store
            .blueprints()
            .await?
            .into_iter()
            .map(|b| (b.id, b.title))
            .collect();
        let Some(id) = id else {
            return Ok(ClassForm {
                input: empty_input(),
                state: ClassState::Draft,
                courseware,
                blueprints,
                has_survey: false,
                survey_answered: 0,
                enrolled: 0,
                reported: 0,
            });
        };
        let class = store.class(id).await?;
        let enrolled = store.enrolled(id).await?;
        Ok(ClassForm {
            input: ClassInput {
                id: Some(id),
                updated_at: class.updated_at,
                title: class.title.clone(),
                description: class.description.clone(),
                starts_on: class.starts_on.map(label).unwrap_or_default(),
                ends_on: class.ends_on.map(label).unwrap_or_default(),
                idle_prompt_seconds: class.idle_prompt_ms / 1000,
                max_rate_milli: class.max_rate_milli,
                issuer: class.issuer.clone(),
                courseware: store.class_lessons(id).await?,
                pre_blueprint: exam_blueprint(&store, class.pre_exam).await?,
                final_blueprint: exam_blueprint(&store, class.final_exam).await?,
                gating: class.gating,
                completion: class.completion,
                default_survey: false,
            },
            state: class.state,
            courseware,
            blueprints,
            has_survey: store.class_survey(id).await?.is_some(),
            survey_answered: store.survey_response_count(id).await?,
            reported: enrolled.iter().filter(|e| e.reported_at.is_some()).count(),
            enrolled: enrolled.len(),
        })
    }

    /// `YYYY-MM-DD` to a day number; empty is none.
    fn parse_day(field: &str, text: &str) -> Result<Option<i32>, FieldProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let mut parts = text.splitn(3, '-').map(|p| p.trim().parse::<i64>().ok());
        let parsed = match (parts.next(), parts.next(), parts.next()) {
            (Some(Some(y)), Some(Some(m)), Some(Some(d))) => i32::try_from(y)
                .ok()
                .zip(u32::try_from(m).ok())
                .zip(u32::try_from(d).ok())
                .and_then(|((y, m), d)| day_from_date(y, m, d)),
            _ => None,
        };
        parsed.map(Some).ok_or_else(|| {
            FieldProblem::new(
                field,
                "日期格式应为 年-月-日，如 2026-12-01",
                "Dates are written year-month-day, e.g. 2026-12-01",
            )
        })
    }

    fn edit_of(input: &ClassInput) -> Result<ClassEdit, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let starts_on = parse_day("starts_on", &input.starts_on).unwrap_or_else(|p| {
            problems.push(p);
            None
        });
        let ends_on = parse_day("ends_on", &input.ends_on).unwrap_or_else(|p| {
            problems.push(p);
            None
        });
        let draft = ClassDraft {
            title: input.title.trim().to_owned(),
            description: input.description.trim().to_owned(),
            starts_on,
            ends_on,
            idle_prompt_seconds: input.idle_prompt_seconds,
            max_rate_milli: input.max_rate_milli,
        };
        if let Err(found) = check_class(&draft) {
            problems.extend(found);
        }
        if input.issuer.chars().count() > 80 {
            problems.push(FieldProblem::new(
                "issuer",
                "发证单位不超过 80 个字",
                "The issuer is at most 80 characters",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if input.courseware.iter().any(|c| !seen.insert(*c)) {
            problems.push(FieldProblem::new(
                "courseware",
                "同一课程不能重复加入",
                "A course can be in the class only once",
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ClassEdit {
            title: draft.title,
            description: draft.description,
            starts_on,
            ends_on,
            idle_prompt_ms: input.idle_prompt_seconds * 1000,
            max_rate_milli: input.max_rate_milli,
            gating: input.gating,
            completion: input.completion,
            issuer: input.issuer.trim().to_owned(),
        })
    }

    /// Points the class's pre-test or final exam at `blueprint`: keeps the
    /// exam if its plan is unchanged, otherwise makes a new one (an exam
    /// that learners have sat is never changed under them: refused).
    async fn link_exam(
        store: &Store,
        me: &Signed,
        class: &ClassRecord,
        which: ClassTest,
        blueprint: Option<BlueprintId>,
        form: &str,
        now: i64,
    ) -> Result<(), AppError> {
        let current = match which {
            ClassTest::Pre => class.pre_exam,
            ClassTest::Final => class.final_exam,
        };
        let current_plan = exam_blueprint(store, current).await?;
        if current_plan == blueprint {
            return Ok(());
        }
        if let Some(exam) = current
            && store.exam_has_attempts(exam).await?
        {
            return Err(AppError::invalid(
                "已有学员参加了这场考试，不能更换试卷方案",
                "Learners have already sat this exam; its plan cannot change",
            ));
        }
        let Some(blueprint) = blueprint else {
            store.set_class_exam(class.id, which, None).await?;
            // The replaced exam would otherwise open with the class.
            if let Some(old) = current {
                store.drop_unused_exam(old).await?;
            }
            return Ok(());
        };
        let running = class.state.is_open_to_learners();
        if running {
            crate::exams::blueprints::ssr::check_satisfiable(store, blueprint).await?;
        }
        let title = which.label_zh();
        let exam = store
            .create_exam(title, blueprint, form, Some(class.id), me.user.id, now)
            .await?;
        if running {
            store.set_exam_state(exam, ExamState::Open, now).await?;
        }
        store.set_class_exam(class.id, which, Some(exam)).await?;
        if let Some(old) = current {
            store.drop_unused_exam(old).await?;
        }
        Ok(())
    }

    async fn check_courseware(store: &Store, ids: &[CoursewareId]) -> Result<(), AppError> {
        let offered: std::collections::HashSet<CoursewareId> = store
            .courseware_for_classes()
            .await?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        if ids.iter().any(|id| !offered.contains(id)) {
            return Err(AppError::invalid(
                "只能加入已审核通过的课程",
                "Only approved courseware can be added to a class",
            ));
        }
        Ok(())
    }

    pub async fn save(input: ClassInput) -> Result<ClassSaved, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let edit = match edit_of(&input) {
            Ok(edit) => edit,
            Err(problems) => return Ok(ClassSaved::Problems(problems)),
        };
        let now = now_millis();
        if let Some(id) = input.id
            && store.class(id).await?.state == ClassState::Closed
        {
            return Err(closed());
        }
        // Checked before anything is written, so a refused course leaves
        // the class as it was.
        let lessons_change = match input.id {
            Some(id) => store.class_lessons(id).await? != input.courseware,
            None => !input.courseware.is_empty(),
        };
        if lessons_change {
            check_courseware(&store, &input.courseware).await?;
        }
        let id = match input.id {
            Some(id) => {
                match store.update_class(id, &edit, input.updated_at, now).await {
                    Ok(()) => {}
                    Err(DbError::Conflict(_)) => {
                        return Err(AppError::invalid(
                            "培训班已被他人修改，请刷新后再改",
                            "Someone else changed the class; reload and edit again",
                        ));
                    }
                    Err(other) => return Err(other.into()),
                }
                id
            }
            None => store.insert_class(&edit, me.user.id, now).await?,
        };
        if lessons_change {
            store.set_class_courseware(id, &input.courseware).await?;
        }
        let class = store.class(id).await?;
        link_exam(
            &store,
            &me,
            &class,
            ClassTest::Pre,
            input.pre_blueprint,
            "A",
            now,
        )
        .await?;
        // The same plan for both tests: the final is form B, drawn disjoint
        // from each learner's pre-test where the bank allows.
        let final_form =
            if input.final_blueprint.is_some() && input.final_blueprint == input.pre_blueprint {
                "B"
            } else {
                "A"
            };
        let class = store.class(id).await?;
        link_exam(
            &store,
            &me,
            &class,
            ClassTest::Final,
            input.final_blueprint,
            final_form,
            now,
        )
        .await?;
        if input.default_survey && store.class_survey(id).await?.is_none() {
            store
                .set_class_survey(id, Some(&academy_shared::survey::default_template()), now)
                .await?;
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            if input.id.is_some() {
                audit::AuditAction::ClassUpdate
            } else {
                audit::AuditAction::ClassCreate
            },
            ("class", &id.to_string()),
            edit.title,
        )
        .await?;
        Ok(ClassSaved::Saved { id })
    }

    pub async fn copy(id: ClassId) -> Result<ClassId, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let now = now_millis();
        let class = store.class(id).await?;
        let edit = ClassEdit {
            title: format!("{}（副本）", class.title)
                .chars()
                .take(80)
                .collect(),
            description: class.description.clone(),
            starts_on: None,
            ends_on: None,
            idle_prompt_ms: class.idle_prompt_ms,
            max_rate_milli: class.max_rate_milli,
            gating: class.gating,
            completion: class.completion,
            issuer: class.issuer.clone(),
        };
        let copy_id = store.insert_class(&edit, me.user.id, now).await?;
        store
            .set_class_courseware(copy_id, &store.class_lessons(id).await?)
            .await?;
        let copy = store.class(copy_id).await?;
        let pre = exam_blueprint(&store, class.pre_exam).await?;
        link_exam(&store, &me, &copy, ClassTest::Pre, pre, "A", now).await?;
        let copy = store.class(copy_id).await?;
        let final_plan = exam_blueprint(&store, class.final_exam).await?;
        let form = match class.final_exam {
            Some(exam) => store.exam(exam).await?.form,
            None => "A".into(),
        };
        link_exam(&store, &me, &copy, ClassTest::Final, final_plan, &form, now).await?;
        if let Some(survey) = store.class_survey(id).await? {
            store.set_class_survey(copy_id, Some(&survey), now).await?;
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::ClassCopy,
            ("class", &copy_id.to_string()),
            format!("from class {id}"),
        )
        .await?;
        Ok(copy_id)
    }

    pub async fn change_state(id: ClassId, to: String) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let class = store.class(id).await?;
        let from = class.state;
        let target = ClassState::from_code(&to)
            .ok_or_else(|| AppError::invalid("没有这个状态", "No such state"))?;
        let reported = store
            .enrolled(id)
            .await?
            .iter()
            .any(|e| e.reported_at.is_some());
        transition(from, target, reported).map_err(|(zh, en)| AppError::invalid(zh, en))?;
        if target == ClassState::Published {
            let lessons = store.class_lessons(id).await?;
            if lessons.is_empty() {
                return Err(AppError::invalid(
                    "发布前请先加入课程",
                    "Add courses before publishing",
                ));
            }
            // Courseware approved when it was added may have been sent back
            // for revision since: only approved courseware reaches learners.
            check_courseware(&store, &lessons).await?;
            for exam in [class.pre_exam, class.final_exam].into_iter().flatten() {
                let blueprint = store.exam(exam).await?.blueprint_id;
                crate::exams::blueprints::ssr::check_satisfiable(&store, blueprint).await?;
            }
        }
        if !store
            .set_class_state(id, from, target, now_millis())
            .await?
        {
            return Err(AppError::invalid(
                "培训班状态已被他人修改，请刷新",
                "Someone else changed the class's state; reload",
            ));
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::ClassState,
            ("class", &id.to_string()),
            format!("{} → {}", from.code(), target.code()),
        )
        .await
    }

    pub async fn roster(id: ClassId) -> Result<Vec<RosterRow>, AppError> {
        let (_, store) = session::with_role(&MANAGERS).await?;
        Ok(store
            .enrolled(id)
            .await?
            .into_iter()
            .map(|e| RosterRow {
                user_id: e.user.0,
                username: e.username,
                real_name: e.real_name,
                phone_masked: e
                    .phone
                    .as_deref()
                    .map(academy_shared::phone::mask)
                    .unwrap_or_default(),
                region: e.region_name.unwrap_or_default(),
                reported: e.reported_at.is_some(),
            })
            .collect())
    }

    async fn open_for_enrolment(store: &Store, id: ClassId) -> Result<(), AppError> {
        if store.class(id).await?.state == ClassState::Closed {
            return Err(closed());
        }
        Ok(())
    }

    /// Enrols the accounts `names` name (username or phone), reporting the
    /// lines that name nobody; nothing is written when any line is unknown.
    async fn enrol_lines(
        store: &Store,
        me: &Signed,
        id: ClassId,
        lines: Vec<(usize, String)>,
    ) -> Result<EnrolReport, AppError> {
        let mut users = Vec::new();
        let mut unknown = Vec::new();
        for (row, name) in lines {
            let name = name.trim().to_owned();
            if name.is_empty() {
                continue;
            }
            let found = match store.user_by_username(&name).await {
                Ok(user) => Some(user),
                Err(DbError::NotFound) => match academy_shared::phone::PhoneNumber::parse(&name) {
                    Ok(phone) => match store.user_by_phone(phone.as_str()).await {
                        Ok(user) => Some(user),
                        Err(DbError::NotFound) => None,
                        Err(other) => return Err(other.into()),
                    },
                    Err(_) => None,
                },
                Err(other) => return Err(other.into()),
            };
            match found {
                Some(user) => users.push(user.id),
                None => unknown.push((row, name.chars().take(40).collect())),
            }
        }
        if !unknown.is_empty() {
            return Ok(EnrolReport {
                added: 0,
                already: 0,
                unknown,
            });
        }
        users.sort();
        users.dedup();
        write_enrolment(store, me, id, &users).await
    }

    async fn write_enrolment(
        store: &Store,
        me: &Signed,
        id: ClassId,
        users: &[UserId],
    ) -> Result<EnrolReport, AppError> {
        let added = store.enrol_by(id, users, me.user.id, now_millis()).await?;
        audit::record(
            store,
            Actor::User(&me.user),
            audit::AuditAction::ClassEnrol,
            ("class", &id.to_string()),
            format!("{added} added of {}", users.len()),
        )
        .await?;
        Ok(EnrolReport {
            added,
            already: users.len() as u64 - added,
            unknown: Vec::new(),
        })
    }

    pub async fn enrol_named(id: ClassId, names: String) -> Result<EnrolReport, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        open_for_enrolment(&store, id).await?;
        let lines = names
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_owned()))
            .take(5000)
            .collect();
        enrol_lines(&store, &me, id, lines).await
    }

    pub async fn enrol_region(id: ClassId, region: i64) -> Result<EnrolReport, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        open_for_enrolment(&store, id).await?;
        let regions = store.region_subtree(RegionId(region)).await?;
        if regions.is_empty() {
            return Err(AppError::NotFound);
        }
        let users = store.learners_in_regions(&regions).await?;
        write_enrolment(&store, &me, id, &users).await
    }

    pub async fn enrol_file(
        id: ClassId,
        file_name: String,
        base64: String,
    ) -> Result<EnrolReport, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        open_for_enrolment(&store, id).await?;
        if base64.len() > MAX_FILE_BYTES / 3 * 4 + 4 {
            return Err(AppError::TooLarge);
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(base64.trim())
            .map_err(|_| AppError::invalid("文件内容损坏", "The file's content is damaged"))?;
        let (rows, _) = crate::admin::import::decode_sheet_off_thread(file_name, bytes)
            .await?
            .map_err(|p| AppError::invalid(p.reason_zh, p.reason_en))?;
        let header = rows.first().cloned().unwrap_or_default();
        let column = header.iter().position(|h| {
            matches!(
                h.trim(),
                "用户名" | "手机号" | "手机号码" | "username" | "phone"
            )
        });
        let skip = usize::from(column.is_some());
        let column = column.unwrap_or(0);
        let lines = rows
            .into_iter()
            .enumerate()
            .skip(skip)
            .map(|(i, row)| (i + 1, row.get(column).cloned().unwrap_or_default()))
            .collect();
        enrol_lines(&store, &me, id, lines).await
    }

    pub async fn unenrol(id: ClassId, user_id: i64) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        open_for_enrolment(&store, id).await?;
        if !store.unenrol(id, UserId(user_id)).await? {
            return Err(AppError::invalid(
                "学员已报到，不能移出",
                "The learner has reported in and cannot be removed",
            ));
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::ClassUnenrol,
            ("class", &id.to_string()),
            format!("user {user_id}"),
        )
        .await
    }

    pub async fn regions() -> Result<Vec<(i64, String)>, AppError> {
        let (_, store) = session::with_role(&MANAGERS).await?;
        let all = store.list_regions().await?;
        let depth = |r: &crate::store::Region| match r.level {
            academy_shared::region::RegionLevel::Province => 0,
            academy_shared::region::RegionLevel::City => 1,
            academy_shared::region::RegionLevel::County => 2,
        };
        let mut out = Vec::new();
        // Depth-first so each region follows its parent.
        fn walk(
            all: &[crate::store::Region],
            parent: Option<RegionId>,
            depth: &dyn Fn(&crate::store::Region) -> usize,
            out: &mut Vec<(i64, String)>,
        ) {
            for region in all.iter().filter(|r| r.parent_id == parent) {
                out.push((
                    region.id.0,
                    format!("{}{}", "　".repeat(depth(region)), region.name),
                ));
                walk(all, Some(region.id), depth, out);
            }
        }
        walk(&all, None, &depth, &mut out);
        Ok(out)
    }
}
