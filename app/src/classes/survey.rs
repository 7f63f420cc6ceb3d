//! The evaluation survey (培训评价) of a class: learners answer it (and may
//! change their answers until the class closes); organizers build it from
//! scratch or from the seed's 22-item template; organizers, administrators
//! and supervisors read the results, and download them as .xlsx.
//!
//! The rules (what a survey and an answer may be, the tallies) are
//! `academy_shared::survey`; the browser runs the same checks for instant
//! feedback, and this module runs them again before anything is stored.
//!
//! A survey marked `anonymous_to_staff` keeps its promise: results and
//! exports carry no names, no account ids and no times, and list answers in
//! an order derived from their content, never from who answered when.

use crate::error::AppError;
use academy_shared::class::ClassState;
use academy_shared::exam::FieldProblem;
use academy_shared::ids::ClassId;
use academy_shared::survey::{Answer, ItemTally, Survey};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The survey as a learner sees it, with what they handed in before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerSurvey {
    pub class_id: ClassId,
    pub class_title: String,
    pub class_state: ClassState,
    pub survey: Survey,
    /// The saved answers (empty before the first submit).
    pub answers: BTreeMap<String, Answer>,
    /// When the answers were last saved (ms since the epoch).
    pub saved_at: Option<i64>,
    /// Whether answers may be handed in (or changed) now.
    pub editable: bool,
    /// Why not, when not editable: (中文, English).
    pub locked: Option<(String, String)>,
}

/// What a submit did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveySubmitted {
    /// Stored; the answers stay editable until the class closes.
    Saved {
        saved_at: i64,
        /// The certificate, when handing in the survey completed the class.
        certificate_id: Option<i64>,
    },
    /// Nothing was stored: what is wrong, per item key.
    Problems(Vec<FieldProblem>),
}

/// The organizer's survey builder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyBuilder {
    pub class_id: ClassId,
    pub class_title: String,
    pub class_state: ClassState,
    /// The class's survey, if it has one.
    pub survey: Option<Survey>,
    /// How many learners have answered it.
    pub answered: i64,
    pub enrolled: usize,
    /// False once anyone answered, or when the class is closed.
    pub may_edit: bool,
}

/// What saving a survey did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveySaved {
    Saved,
    /// Nothing was stored: what is wrong, per item key (or `title`, `intro`,
    /// `items`).
    Problems(Vec<FieldProblem>),
}

/// A free-text answer as staff read it: the name only when the survey is
/// not anonymous.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextAnswer {
    pub name: Option<String>,
    pub text: String,
}

/// One item's results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    /// 1-based, as the learner saw it.
    pub number: usize,
    /// Counts and shares per option or rating value, the rating mean. Its
    /// `texts` are left empty: text answers are in [`ItemResult::texts`].
    pub tally: ItemTally,
    pub texts: Vec<TextAnswer>,
}

/// The survey's results for staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub class_id: ClassId,
    pub class_title: String,
    /// `None` when the class has no survey.
    pub survey_title: Option<String>,
    pub anonymous: bool,
    pub responses: u32,
    pub enrolled: u32,
    /// (satisfied, answered) for the overall-satisfaction item, if the survey has one.
    pub satisfaction: Option<(u32, u32)>,
    pub items: Vec<ItemResult>,
    /// Whether the reader may change the survey (organizers and administrators).
    pub may_manage: bool,
    /// Only the responses of learners in the reader's regions are counted
    /// (supervisors), never with names.
    #[serde(default)]
    pub scoped: bool,
    /// A scoped reader's regions had fewer responses than this: the tallies
    /// and texts are withheld, as they would tell who answered what.
    #[serde(default)]
    pub withheld_below: Option<u32>,
}

/// The learner's survey of the class, with their saved answers.
#[server(endpoint = "survey/mine")]
pub async fn load_my_survey(id: ClassId) -> Result<LearnerSurvey, AppError> {
    crate::error::respond(ssr::mine(id).await)
}

/// Hands in (or changes) the learner's answers, keyed by item key.
#[server(endpoint = "survey/submit", input = Json)]
pub async fn submit_survey_answers(
    id: ClassId,
    answers: BTreeMap<String, Answer>,
) -> Result<SurveySubmitted, AppError> {
    crate::error::respond(ssr::submit(id, answers).await)
}

/// The builder of the class's survey (organizers and administrators).
#[server(endpoint = "survey/builder")]
pub async fn load_survey_builder(id: ClassId) -> Result<SurveyBuilder, AppError> {
    crate::error::respond(ssr::builder(id).await)
}

/// Saves the class's survey, or with `None` removes it. Refused once anyone
/// has answered it.
#[server(endpoint = "survey/save", input = Json)]
pub async fn save_class_survey(
    id: ClassId,
    survey: Option<Survey>,
) -> Result<SurveySaved, AppError> {
    crate::error::respond(ssr::save(id, survey).await)
}

/// Gives the class the seed's 22-item survey (replacing an unanswered one).
#[server(endpoint = "survey/default")]
pub async fn apply_default_survey(id: ClassId) -> Result<SurveySaved, AppError> {
    crate::error::respond(ssr::save(id, Some(academy_shared::survey::default_template())).await)
}

/// The survey's results (organizers, administrators, supervisors).
#[server(endpoint = "survey/results")]
pub async fn load_survey_results(id: ClassId) -> Result<SurveyResults, AppError> {
    crate::error::respond(ssr::results(id).await)
}

#[cfg(feature = "ssr")]
pub use ssr::{
    Cell, Readership, SurveySheets, export_survey, survey_sheets, survey_sheets_for,
    survey_workbook,
};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session::{self, Signed};
    use crate::store::{ClassRecord, DbError, Store, now_millis};
    use academy_shared::class_stats::MIN_RESPONDENTS_SHOWN;
    use academy_shared::ids::UserId;
    use academy_shared::journey::{Step, StepState, plan};
    use academy_shared::role::policy::{MANAGERS, SURVEY_READERS};
    use academy_shared::survey::{
        ItemKind, check_response, check_survey, percent_label, satisfaction_rate, tally,
    };
    use std::collections::HashSet;

    fn class_closed() -> (String, String) {
        (
            "培训班已结束，评价只能查看，不能再修改".to_owned(),
            "The class has closed: the survey can be read but no longer changed".to_owned(),
        )
    }

    fn answered_already() -> AppError {
        AppError::invalid(
            "已有学员提交了评价，问卷不能再修改或删除（否则已交的答卷将与题目对不上）",
            "Learners have already answered: the survey can no longer be changed or removed \
             (their answers would no longer match its items)",
        )
    }

    /// A class the learner may see: not a draft, and they are enrolled.
    /// Anything else is "not found", so nobody learns which classes exist.
    async fn learner_class(
        store: &Store,
        id: ClassId,
        me: UserId,
    ) -> Result<ClassRecord, AppError> {
        let class = store.class(id).await?;
        if class.state == ClassState::Draft || !store.is_enrolled(id, me).await? {
            return Err(AppError::NotFound);
        }
        Ok(class)
    }

    /// Why the learner may not hand in the survey now, if they may not. They
    /// count as reported in: handing in the survey of an open class reports
    /// them in, as studying and sitting a test do.
    async fn survey_lock(
        store: &Store,
        class: &ClassRecord,
        me: UserId,
    ) -> Result<Option<(String, String)>, AppError> {
        if !class.state.is_open_to_learners() {
            return Ok(Some(class_closed()));
        }
        let (mut progress, _) = crate::classes::journey::progress_of(store, class, me).await?;
        progress.reported_in = true;
        let journey = plan(&class.gating, &class.completion, &progress);
        Ok(match journey.state(Step::Survey) {
            Some(StepState::Locked {
                reason_zh,
                reason_en,
            }) => Some((reason_zh.clone(), reason_en.clone())),
            _ => None,
        })
    }

    pub async fn mine(id: ClassId) -> Result<LearnerSurvey, AppError> {
        let (me, _, store) = session::with_account_id().await?;
        let class = learner_class(&store, id, me).await?;
        let survey = store.class_survey(id).await?.ok_or(AppError::NotFound)?;
        let saved = store.survey_response(id, me).await?;
        let locked = survey_lock(&store, &class, me).await?;
        let (answers, saved_at) = match saved {
            Some((answers, at)) => (answers, Some(at)),
            None => (BTreeMap::new(), None),
        };
        Ok(LearnerSurvey {
            class_id: id,
            class_title: class.title,
            class_state: class.state,
            survey,
            answers,
            saved_at,
            editable: locked.is_none(),
            locked,
        })
    }

    /// What is stored of valid answers: blank answers to optional items are
    /// left out, texts trimmed, multiple choices in option order.
    fn normalised(answers: BTreeMap<String, Answer>) -> BTreeMap<String, Answer> {
        answers
            .into_iter()
            .filter_map(|(key, answer)| {
                let answer = match answer {
                    Answer::Text(text) => {
                        let text = text.trim();
                        if text.is_empty() {
                            return None;
                        }
                        Answer::Text(text.to_owned())
                    }
                    Answer::Choices(mut chosen) => {
                        if chosen.is_empty() {
                            return None;
                        }
                        chosen.sort_unstable();
                        Answer::Choices(chosen)
                    }
                    other => other,
                };
                Some((key, answer))
            })
            .collect()
    }

    pub async fn submit(
        id: ClassId,
        answers: BTreeMap<String, Answer>,
    ) -> Result<SurveySubmitted, AppError> {
        let (me, _, store) = session::with_account_id().await?;
        let class = learner_class(&store, id, me).await?;
        let survey = store.class_survey(id).await?.ok_or(AppError::NotFound)?;
        if let Some((zh, en)) = survey_lock(&store, &class, me).await? {
            return Err(AppError::invalid(zh, en));
        }
        if let Err(problems) = check_response(&survey, &answers) {
            return Ok(SurveySubmitted::Problems(problems));
        }
        let now = now_millis();
        // Handing in the survey of an open class counts as reporting in.
        store.report_in(id, me, now).await?;
        // No audit entry: who answered when, next to an anonymous survey's
        // answers, would undo its anonymity. The response row is the record.
        if !store
            .save_survey_response(id, me, &normalised(answers), now)
            .await?
        {
            // Closed a moment ago.
            let (zh, en) = class_closed();
            return Err(AppError::invalid(zh, en));
        }
        let certificate = crate::classes::journey::ensure_certificate(&store, &class, me).await?;
        Ok(SurveySubmitted::Saved {
            saved_at: now,
            certificate_id: certificate.map(|c| c.id),
        })
    }

    pub async fn builder(id: ClassId) -> Result<SurveyBuilder, AppError> {
        let (_, store) = session::with_role(&MANAGERS).await?;
        let class = store.class(id).await?;
        let answered = store.survey_response_count(id).await?;
        Ok(SurveyBuilder {
            class_id: id,
            survey: store.class_survey(id).await?,
            enrolled: store.enrolled(id).await?.len(),
            may_edit: answered == 0 && class.state != ClassState::Closed,
            answered,
            class_title: class.title,
            class_state: class.state,
        })
    }

    /// The survey as stored: texts trimmed; rating and text items carry no
    /// options.
    fn tidy(mut survey: Survey) -> Survey {
        survey.title = survey.title.trim().to_owned();
        survey.intro = survey.intro.trim().to_owned();
        for item in &mut survey.items {
            item.key = item.key.trim().to_owned();
            item.prompt = item.prompt.trim().to_owned();
            for option in &mut item.options {
                *option = option.trim().to_owned();
            }
        }
        survey
    }

    pub async fn save(id: ClassId, survey: Option<Survey>) -> Result<SurveySaved, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let class = store.class(id).await?;
        if class.state == ClassState::Closed {
            return Err(AppError::invalid(
                "培训班已结束，问卷只能查看",
                "The class is closed: its survey is read-only",
            ));
        }
        let survey = survey.map(tidy);
        if let Some(survey) = &survey
            && let Err(problems) = check_survey(survey)
        {
            return Ok(SurveySaved::Problems(problems));
        }
        match store
            .set_class_survey(id, survey.as_ref(), now_millis())
            .await
        {
            Ok(()) => {}
            Err(DbError::Conflict(_)) => return Err(answered_already()),
            Err(other) => return Err(other.into()),
        }
        let (action, detail) = match &survey {
            Some(s) => (
                audit::AuditAction::SurveySave,
                format!("{} ({} items)", s.title, s.items.len()),
            ),
            None => (audit::AuditAction::SurveyRemove, String::new()),
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            action,
            ("class", &id.to_string()),
            detail,
        )
        .await?;
        Ok(SurveySaved::Saved)
    }

    /// Whose responses a reader sees.
    #[derive(Clone, Debug, Default)]
    pub struct Readership {
        /// `None`: everyone's (organizers, administrators). Otherwise only
        /// those of these learners (a supervisor's regions), never named.
        pub learners: Option<HashSet<UserId>>,
    }

    impl Readership {
        /// Everyone's responses.
        pub fn all() -> Self {
            Readership::default()
        }

        /// The readership of `me` in class `class_id`: managers read every
        /// response, supervisors those of the learners in their regions.
        pub async fn of(store: &Store, me: &Signed, class_id: ClassId) -> Result<Self, AppError> {
            if MANAGERS.iter().any(|r| me.has(*r)) {
                return Ok(Readership::all());
            }
            let Some(regions) = crate::classes::dashboard::visible_regions(store, me).await? else {
                return Ok(Readership::all());
            };
            let learners = store
                .enrolled(class_id)
                .await?
                .into_iter()
                .filter(|e| e.region.is_some_and(|r| regions.contains(&r)))
                .map(|e| e.user)
                .collect();
            Ok(Readership {
                learners: Some(learners),
            })
        }

        fn sees(&self, user: UserId) -> bool {
            self.learners.as_ref().is_none_or(|set| set.contains(&user))
        }
    }

    /// The responses as staff may see them: with names, or for an anonymous
    /// survey (or a scoped reader) without, in an order that says nothing
    /// about who answered when.
    async fn responses_for_staff(
        store: &Store,
        class_id: ClassId,
        anonymous: bool,
        readership: &Readership,
    ) -> Result<Vec<(Option<String>, BTreeMap<String, Answer>)>, AppError> {
        let rows: Vec<_> = store
            .survey_responses(class_id)
            .await?
            .into_iter()
            .filter(|(user, _, _)| readership.sees(*user))
            .collect();
        let anonymous = anonymous || readership.learners.is_some();
        if !anonymous {
            return Ok(rows
                .into_iter()
                .map(|(_, name, answers)| (Some(name), answers))
                .collect());
        }
        let mut keyed: Vec<(String, BTreeMap<String, Answer>)> = rows
            .into_iter()
            .map(|(_, _, answers)| (serde_json::to_string(&answers).unwrap_or_default(), answers))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(keyed.into_iter().map(|(_, a)| (None, a)).collect())
    }

    fn count(n: usize) -> u32 {
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Everything the results page and the export show.
    async fn compute_results(
        store: &Store,
        class: &ClassRecord,
        readership: &Readership,
    ) -> Result<(Option<Survey>, SurveyResults), AppError> {
        let enrolled = count(
            store
                .enrolled(class.id)
                .await?
                .iter()
                .filter(|e| readership.sees(e.user))
                .count(),
        );
        let scoped = readership.learners.is_some();
        let Some(survey) = store.class_survey(class.id).await? else {
            return Ok((
                None,
                SurveyResults {
                    class_id: class.id,
                    class_title: class.title.clone(),
                    survey_title: None,
                    anonymous: false,
                    responses: u32::try_from(store.survey_response_count(class.id).await?)
                        .unwrap_or(0),
                    enrolled,
                    satisfaction: None,
                    items: Vec::new(),
                    may_manage: false,
                    scoped,
                    withheld_below: None,
                },
            ));
        };
        let anonymous = survey.anonymous_to_staff || scoped;
        let rows = responses_for_staff(store, class.id, anonymous, readership).await?;
        if scoped && rows.len() < MIN_RESPONDENTS_SHOWN as usize {
            return Ok((
                Some(survey.clone()),
                SurveyResults {
                    class_id: class.id,
                    class_title: class.title.clone(),
                    survey_title: Some(survey.title.clone()),
                    anonymous,
                    responses: count(rows.len()),
                    enrolled,
                    satisfaction: None,
                    items: Vec::new(),
                    may_manage: false,
                    scoped,
                    withheld_below: Some(MIN_RESPONDENTS_SHOWN),
                },
            ));
        }
        let answers: Vec<BTreeMap<String, Answer>> = rows.iter().map(|(_, a)| a.clone()).collect();
        // Texts with their authors: the tally of each response alone says
        // which of its texts count (valid, non-blank), trimmed as shown.
        let single: Vec<Vec<ItemTally>> = answers
            .iter()
            .map(|a| tally(&survey, std::slice::from_ref(a)))
            .collect();
        let items = tally(&survey, &answers)
            .into_iter()
            .enumerate()
            .map(|(index, mut item)| {
                let texts = if matches!(item.kind, ItemKind::Text { .. }) {
                    rows.iter()
                        .zip(&single)
                        .filter_map(|((name, _), own)| {
                            let text = own.get(index)?.texts.first()?.clone();
                            Some(TextAnswer {
                                name: if anonymous { None } else { name.clone() },
                                text,
                            })
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                item.texts.clear();
                ItemResult {
                    number: index + 1,
                    tally: item,
                    texts,
                }
            })
            .collect();
        let results = SurveyResults {
            class_id: class.id,
            class_title: class.title.clone(),
            survey_title: Some(survey.title.clone()),
            anonymous,
            responses: count(answers.len()),
            enrolled,
            satisfaction: satisfaction_rate(&survey, &answers),
            items,
            may_manage: false,
            scoped,
            withheld_below: None,
        };
        Ok((Some(survey), results))
    }

    pub async fn results(id: ClassId) -> Result<SurveyResults, AppError> {
        let (me, store) = session::with_role(&SURVEY_READERS).await?;
        let class = store.class(id).await?;
        let readership = Readership::of(&store, &me, id).await?;
        let (_, mut results) = compute_results(&store, &class, &readership).await?;
        results.may_manage = MANAGERS.iter().any(|r| me.has(*r));
        Ok(results)
    }

    // ---- the .xlsx export -------------------------------------------------------

    /// A cell of the export. Text is always written as text, never as a
    /// formula, whatever it starts with.
    #[derive(Clone, Debug, PartialEq)]
    pub enum Cell {
        Text(String),
        Number(f64),
        /// A share in basis points, shown as a percentage.
        Share(u32),
        Empty,
    }

    impl Cell {
        /// The cell as it reads (for tests and logs).
        pub fn text(&self) -> String {
            match self {
                Cell::Text(text) => text.clone(),
                Cell::Number(n) => n.to_string(),
                Cell::Share(bp) => percent_label(*bp),
                Cell::Empty => String::new(),
            }
        }
    }

    fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    fn number(value: u32) -> Cell {
        Cell::Number(f64::from(value))
    }

    /// The two sheets of the export, as rows of cells.
    #[derive(Clone, Debug, PartialEq)]
    pub struct SurveySheets {
        pub file_name: String,
        /// Sheet 1 (汇总): the tallies, satisfaction rate and opinions.
        pub summary: Vec<Vec<Cell>>,
        /// Sheet 2 (答卷): one row per response; no name column when the
        /// survey is anonymous to staff.
        pub responses: Vec<Vec<Cell>>,
    }

    fn kind_label(kind: ItemKind) -> String {
        match kind {
            ItemKind::Single => "单选题".to_owned(),
            ItemKind::Multiple => "多选题".to_owned(),
            ItemKind::Rating { min, max } => format!("评分题（{min}–{max} 分）"),
            ItemKind::Text { min_chars } if min_chars > 0 => {
                format!("文字题（不少于 {min_chars} 字）")
            }
            ItemKind::Text { .. } => "文字题".to_owned(),
        }
    }

    /// An answer as a cell of the response sheet; answers that do not fit
    /// the item (none are stored, but old data may differ) are left empty.
    fn answer_cell(item: &academy_shared::survey::SurveyItem, answer: Option<&Answer>) -> Cell {
        let option = |i: &u8| item.options.get(usize::from(*i)).cloned();
        match answer {
            Some(Answer::Choice(i)) => option(i).map_or(Cell::Empty, Cell::Text),
            Some(Answer::Choices(chosen)) => {
                let labels: Vec<String> = chosen.iter().filter_map(option).collect();
                if labels.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(labels.join("；"))
                }
            }
            Some(Answer::Rating(value)) => Cell::Number(f64::from(*value)),
            Some(Answer::Text(t)) if !t.trim().is_empty() => Cell::Text(t.trim().to_owned()),
            _ => Cell::Empty,
        }
    }

    /// The export's content. Anyone calling this must have checked that the
    /// reader may see the results.
    pub async fn survey_sheets(store: &Store, class_id: ClassId) -> Result<SurveySheets, AppError> {
        survey_sheets_for(store, class_id, &Readership::all()).await
    }

    /// The export's content as `readership` may read it; refused when a
    /// scoped reader's regions had too few responses to show.
    pub async fn survey_sheets_for(
        store: &Store,
        class_id: ClassId,
        readership: &Readership,
    ) -> Result<SurveySheets, AppError> {
        let class = store.class(class_id).await?;
        let (survey, results) = compute_results(store, &class, readership).await?;
        let survey = survey.ok_or(AppError::NotFound)?;
        if let Some(min) = results.withheld_below {
            return Err(AppError::invalid(
                format!("您负责地区的作答少于 {min} 份，为保护作答人，不提供结果"),
                format!(
                    "Fewer than {min} people in your regions answered: results are withheld to protect them"
                ),
            ));
        }
        let base = academy_shared::media::clean_file_name(&class.title);
        let file_name = if base.is_empty() {
            "survey.xlsx".to_owned()
        } else {
            format!("{base}-培训评价.xlsx")
        };

        let mut summary = vec![
            vec![text("培训评价汇总"), text(survey.title.clone())],
            vec![text("培训班"), text(class.title.clone())],
            vec![
                text("答卷人数"),
                number(results.responses),
                text("报名人数"),
                number(results.enrolled),
            ],
        ];
        if let Some((satisfied, total)) = results.satisfaction {
            summary.push(vec![
                text("满意率"),
                if total > 0 {
                    Cell::Share(academy_shared::survey::basis_points(satisfied, total))
                } else {
                    text("—")
                },
                text(format!("满意和基本满意 {satisfied} 人 / 作答 {total} 人")),
            ]);
        }
        summary.push(vec![
            text("匿名"),
            text(if results.anonymous {
                "是（不含姓名）"
            } else {
                "否"
            }),
        ]);
        summary.push(Vec::new());
        summary.push(vec![
            text("题号"),
            text("题目"),
            text("选项 / 分值 / 意见"),
            text("人数"),
            text("比例"),
            text("平均分"),
        ]);
        for item in &results.items {
            let tally = &item.tally;
            summary.push(vec![
                number(count(item.number)),
                text(tally.prompt.clone()),
                text(kind_label(tally.kind)),
                number(tally.answered),
                Cell::Empty,
                tally
                    .mean_centi
                    .map_or(Cell::Empty, |centi| Cell::Number(f64::from(centi) / 100.0)),
            ]);
            for bucket in &tally.buckets {
                summary.push(vec![
                    Cell::Empty,
                    Cell::Empty,
                    text(bucket.label.clone()),
                    number(bucket.count),
                    Cell::Share(bucket.basis_points),
                ]);
            }
            for answer in &item.texts {
                summary.push(vec![Cell::Empty, Cell::Empty, text(answer.text.clone())]);
            }
        }

        let named = !results.anonymous;
        let mut header = vec![text("序号")];
        if named {
            header.push(text("姓名"));
        }
        header.extend(
            survey
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| text(format!("{}. {}", i + 1, item.prompt))),
        );
        let mut responses = vec![header];
        let rows = responses_for_staff(store, class_id, results.anonymous, readership).await?;
        for (n, (name, answers)) in rows.iter().enumerate() {
            let mut row = vec![number(count(n + 1))];
            if named {
                row.push(text(name.clone().unwrap_or_default()));
            }
            row.extend(
                survey
                    .items
                    .iter()
                    .map(|item| answer_cell(item, answers.get(&item.key))),
            );
            responses.push(row);
        }
        Ok(SurveySheets {
            file_name,
            summary,
            responses,
        })
    }

    fn write_sheet(
        name: &str,
        rows: &[Vec<Cell>],
        widths: &[f64],
    ) -> Result<rust_xlsxwriter::Worksheet, AppError> {
        use rust_xlsxwriter::{Format, Worksheet};
        let mut sheet = Worksheet::new();
        sheet.set_name(name).map_err(AppError::internal)?;
        let wrap = Format::new().set_num_format("@").set_text_wrap();
        let percent = Format::new().set_num_format("0.0%");
        let decimal = Format::new().set_num_format("0.##");
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r).map_err(AppError::internal)?;
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).map_err(AppError::internal)?;
                match cell {
                    // write_string never makes a formula of "=…", "+…", "-…" or "@…".
                    Cell::Text(value) => sheet
                        .write_string_with_format(r, c, value, &wrap)
                        .map(|_| ()),
                    Cell::Number(value) => sheet
                        .write_number_with_format(r, c, *value, &decimal)
                        .map(|_| ()),
                    Cell::Share(bp) => sheet
                        .write_number_with_format(r, c, f64::from(*bp) / 10_000.0, &percent)
                        .map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(AppError::internal)?;
            }
        }
        for (c, width) in widths.iter().enumerate() {
            let c = u16::try_from(c).map_err(AppError::internal)?;
            sheet
                .set_column_width(c, *width)
                .map_err(AppError::internal)?;
        }
        Ok(sheet)
    }

    fn workbook_of(sheets: &SurveySheets) -> Result<Vec<u8>, AppError> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let summary = write_sheet(
            "汇总",
            &sheets.summary,
            &[10.0, 48.0, 40.0, 10.0, 10.0, 10.0],
        )?;
        workbook.push_worksheet(summary);
        let columns = sheets.responses.first().map_or(0, Vec::len);
        let widths: Vec<f64> = (0..columns)
            .map(|c| if c == 0 { 8.0 } else { 20.0 })
            .collect();
        let mut answers = write_sheet("答卷", &sheets.responses, &widths)?;
        answers.set_freeze_panes(1, 0).map_err(AppError::internal)?;
        workbook.push_worksheet(answers);
        workbook.save_to_buffer().map_err(AppError::internal)
    }

    /// The survey's results as an .xlsx workbook: sheet 1 the tallies, sheet
    /// 2 one row per response. The caller checks who may read it.
    pub async fn survey_workbook(store: &Store, class_id: ClassId) -> Result<Vec<u8>, AppError> {
        workbook_of(&survey_sheets(store, class_id).await?)
    }

    /// The export for a signed-in reader (organizers, administrators,
    /// supervisors; others get 404), recorded in the audit log: the file
    /// name and the workbook.
    pub async fn export_survey(
        store: &Store,
        me: &Signed,
        class_id: ClassId,
    ) -> Result<(String, Vec<u8>), AppError> {
        if me.require_any(&SURVEY_READERS).is_err() {
            return Err(AppError::NotFound);
        }
        let readership = Readership::of(store, me, class_id).await?;
        let sheets = survey_sheets_for(store, class_id, &readership).await?;
        let bytes = workbook_of(&sheets)?;
        audit::record(
            store,
            Actor::User(&me.user),
            audit::AuditAction::SurveyExport,
            ("class", &class_id.to_string()),
            format!("{} responses", sheets.responses.len().saturating_sub(1)),
        )
        .await?;
        Ok((sheets.file_name, bytes))
    }
}
