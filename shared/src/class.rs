//! Training classes (培训班): the life cycle an organizer moves a class
//! through, and the checks on a class's settings form.

use crate::exam::FieldProblem;
use serde::{Deserialize, Serialize};

/// Where a class is in its life: 草稿 → 已发布 → 进行中 → 已结束.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassState {
    /// Being prepared; learners do not see it.
    Draft,
    /// Learners see it and can report in (报到).
    Published,
    /// Studying and exams under way.
    Running,
    /// Finished: nothing more can be done in it; records stay for statistics.
    Closed,
}

crate::stored_code!(ClassState {
    Draft => "draft", "草稿", "Draft";
    Published => "published", "已发布", "Published";
    Running => "running", "进行中", "Running";
    Closed => "closed", "已结束", "Closed";
});

impl ClassState {
    /// Learners can act in the class (report in, study, sit exams): it is
    /// published or running. This is `Progress::class_open` of the journey.
    pub fn is_open_to_learners(self) -> bool {
        matches!(self, ClassState::Published | ClassState::Running)
    }

    /// The state the class's exams follow it into: open while learners are in
    /// the class, closed with it, and back to draft with it (nobody may start
    /// a test of a class taken back from learners).
    pub fn exam_state(self) -> crate::exam::ExamState {
        use crate::exam::ExamState;
        match self {
            ClassState::Draft => ExamState::Draft,
            ClassState::Published | ClassState::Running => ExamState::Open,
            ClassState::Closed => ExamState::Closed,
        }
    }

    /// The states a class may move to from this one (unpublishing also needs
    /// that nobody has reported in; see [`transition`]).
    pub fn next_states(self) -> &'static [ClassState] {
        match self {
            ClassState::Draft => &[ClassState::Published],
            ClassState::Published => &[ClassState::Running, ClassState::Draft, ClassState::Closed],
            ClassState::Running => &[ClassState::Closed],
            ClassState::Closed => &[],
        }
    }
}

/// The two tests a class links to: the pre-test (班前测试) before studying
/// and the final exam (结业考试) after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClassTest {
    Pre,
    Final,
}

crate::stored_code!(ClassTest {
    Pre => "pre", "班前测试", "Pre-test";
    Final => "final", "结业考试", "Final exam";
});

/// Whether a class may move from `from` to `to`; if not, why (zh, en).
///
/// Allowed: draft → published, published → running, published → closed
/// (a class cancelled before it starts), running → closed, and published →
/// draft only while no learner has reported in, since taking a class away
/// from learners who have joined it would strand their records. A closed
/// class stays closed: its figures have been reported upward.
pub fn transition(
    from: ClassState,
    to: ClassState,
    has_reported_learners: bool,
) -> Result<(), (String, String)> {
    if from == to {
        return Err((
            format!("培训班已是“{}”状态", from.label_zh()),
            format!("The class is already {}", from.label_en().to_lowercase()),
        ));
    }
    if !from.next_states().contains(&to) {
        return Err((
            format!("培训班不能从“{}”改为“{}”", from.label_zh(), to.label_zh()),
            format!(
                "A class cannot go from {} to {}",
                from.label_en().to_lowercase(),
                to.label_en().to_lowercase()
            ),
        ));
    }
    if from == ClassState::Published && to == ClassState::Draft && has_reported_learners {
        return Err((
            "已有学员报到，不能撤回发布".to_owned(),
            "Learners have already reported in, so the class cannot be unpublished".to_owned(),
        ));
    }
    Ok(())
}

pub const TITLE_MIN_CHARS: usize = 2;
pub const TITLE_MAX_CHARS: usize = 80;
pub const DESCRIPTION_MAX_CHARS: usize = 4000;
/// The shortest idle prompt: a few seconds, for demonstrations and tests.
pub const IDLE_MIN_SECONDS: i64 = 3;
/// The longest idle prompt: two hours without a touch means nobody is there.
pub const IDLE_MAX_SECONDS: i64 = 7200;
/// The fastest playback rates (thousandths) an organizer may allow for credit;
/// the player offers the same steps.
pub const ALLOWED_RATES_MILLI: [i64; 5] = [1000, 1250, 1500, 2000, 3000];

/// A class's settings form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClassDraft {
    pub title: String,
    pub description: String,
    /// First day (China-time day number, see `checkin::day_of`).
    pub starts_on: Option<i32>,
    /// Last day, included.
    pub ends_on: Option<i32>,
    /// The idle prompt (“先消化学习内容”) appears after this long without interaction.
    pub idle_prompt_seconds: i64,
    /// The fastest playback rate that still earns study credit, in thousandths.
    pub max_rate_milli: i64,
}

impl Default for ClassDraft {
    /// An empty form with the seed's settings: a 20-minute idle prompt and up
    /// to 2x playback.
    fn default() -> Self {
        ClassDraft {
            title: String::new(),
            description: String::new(),
            starts_on: None,
            ends_on: None,
            idle_prompt_seconds: 20 * 60,
            max_rate_milli: 2000,
        }
    }
}

/// "1.25 倍" and the like, for a rate in thousandths.
pub fn rate_label(rate_milli: i64) -> String {
    let whole = rate_milli / 1000;
    let frac = rate_milli % 1000;
    if frac == 0 {
        format!("{whole} 倍")
    } else {
        let digits = format!("{:03}", frac.abs());
        format!("{whole}.{} 倍", digits.trim_end_matches('0'))
    }
}

/// The idle prompt's delay, in seconds, unless it is out of range.
pub fn check_idle_prompt(seconds: i64) -> Option<FieldProblem> {
    (!(IDLE_MIN_SECONDS..=IDLE_MAX_SECONDS).contains(&seconds)).then(|| {
        FieldProblem::new(
            "idle_prompt_seconds",
            format!("无操作提示时间须为 {IDLE_MIN_SECONDS}–{IDLE_MAX_SECONDS} 秒"),
            format!(
                "The idle prompt must come after {IDLE_MIN_SECONDS}–{IDLE_MAX_SECONDS} seconds"
            ),
        )
    })
}

/// The fastest playback rate that earns credit, in thousandths, unless it is
/// not one the player offers.
pub fn check_max_rate(rate_milli: i64) -> Option<FieldProblem> {
    (!ALLOWED_RATES_MILLI.contains(&rate_milli)).then(|| {
        let zh: Vec<String> = ALLOWED_RATES_MILLI
            .iter()
            .map(|&r| rate_label(r).trim_end_matches(" 倍").to_owned())
            .collect();
        FieldProblem::new(
            "max_rate_milli",
            format!("最高倍速须为 {} 倍之一", zh.join("、")),
            format!("The fastest rate must be one of {}x", zh.join("x, ")),
        )
    })
}

/// Checks a class's settings. `field` in each problem is the form field's
/// name as in [`ClassDraft`] ("title", "description", "ends_on",
/// "idle_prompt_seconds", "max_rate_milli").
pub fn check_class(draft: &ClassDraft) -> Result<(), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let title = draft.title.trim();
    let title_chars = title.chars().count();
    if !(TITLE_MIN_CHARS..=TITLE_MAX_CHARS).contains(&title_chars) {
        problems.push(FieldProblem::new(
            "title",
            format!("培训班名称须为 {TITLE_MIN_CHARS}–{TITLE_MAX_CHARS} 个字"),
            format!("The title must have {TITLE_MIN_CHARS}–{TITLE_MAX_CHARS} characters"),
        ));
    } else if title.chars().any(char::is_control) {
        problems.push(FieldProblem::new(
            "title",
            "培训班名称不能换行或含控制字符",
            "The title must be a single line without control characters",
        ));
    }
    if draft.description.trim().chars().count() > DESCRIPTION_MAX_CHARS {
        problems.push(FieldProblem::new(
            "description",
            format!("培训班简介最多 {DESCRIPTION_MAX_CHARS} 个字"),
            format!("The description may have at most {DESCRIPTION_MAX_CHARS} characters"),
        ));
    }
    if let (Some(starts), Some(ends)) = (draft.starts_on, draft.ends_on)
        && ends < starts
    {
        problems.push(FieldProblem::new(
            "ends_on",
            "结束日期不能早于开始日期",
            "The end date cannot be before the start date",
        ));
    }
    problems.extend(check_idle_prompt(draft.idle_prompt_seconds));
    problems.extend(check_max_rate(draft.max_rate_milli));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClassState::*;
    use proptest::prelude::*;

    fn fields(draft: &ClassDraft) -> Vec<String> {
        check_class(draft)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn exams_follow_their_class() {
        use crate::exam::ExamState;
        assert_eq!(ClassState::Draft.exam_state(), ExamState::Draft);
        assert_eq!(ClassState::Published.exam_state(), ExamState::Open);
        assert_eq!(ClassState::Running.exam_state(), ExamState::Open);
        assert_eq!(ClassState::Closed.exam_state(), ExamState::Closed);
        // Learners can sit a class's tests exactly while they can act in it.
        for state in ClassState::ALL {
            assert_eq!(
                state.exam_state() == ExamState::Open,
                state.is_open_to_learners()
            );
        }
    }

    #[test]
    fn states_have_codes_and_labels() {
        for state in ClassState::ALL {
            assert_eq!(ClassState::from_code(state.code()), Some(state));
            assert!(!state.label_zh().is_empty());
        }
        assert_eq!(ClassState::from_code("open"), None);
        assert_eq!(Running.label_zh(), "进行中");
        assert!(Published.is_open_to_learners() && Running.is_open_to_learners());
        assert!(!Draft.is_open_to_learners() && !Closed.is_open_to_learners());
    }

    #[test]
    fn transitions() {
        assert_eq!(transition(Draft, Published, false), Ok(()));
        assert_eq!(transition(Published, Running, true), Ok(()));
        assert_eq!(transition(Published, Closed, true), Ok(()));
        assert_eq!(transition(Running, Closed, true), Ok(()));
        assert_eq!(transition(Published, Draft, false), Ok(()));
        let (zh, en) = transition(Published, Draft, true).unwrap_err();
        assert_eq!(zh, "已有学员报到，不能撤回发布");
        assert!(en.contains("unpublished"));
        let (zh, en) = transition(Draft, Running, false).unwrap_err();
        assert_eq!(zh, "培训班不能从“草稿”改为“进行中”");
        assert_eq!(en, "A class cannot go from draft to running");
        assert!(transition(Closed, Running, false).is_err());
        assert!(transition(Running, Published, false).is_err());
        assert!(transition(Running, Draft, false).is_err());
        assert!(transition(Draft, Closed, false).is_err());
        let (zh, _) = transition(Running, Running, false).unwrap_err();
        assert_eq!(zh, "培训班已是“进行中”状态");
    }

    #[test]
    fn drafts() {
        let good = ClassDraft {
            title: "  2026年外出务工党员网络培训班 ".to_owned(),
            starts_on: Some(100),
            ends_on: Some(100),
            ..ClassDraft::default()
        };
        assert_eq!(check_class(&good), Ok(()));

        assert_eq!(fields(&ClassDraft::default()), ["title"]);
        let bad = ClassDraft {
            title: "班".to_owned(),
            description: "字".repeat(4001),
            starts_on: Some(10),
            ends_on: Some(9),
            idle_prompt_seconds: 2,
            max_rate_milli: 1750,
        };
        assert_eq!(
            fields(&bad),
            [
                "title",
                "description",
                "ends_on",
                "idle_prompt_seconds",
                "max_rate_milli"
            ]
        );
        let problems = check_class(&bad).unwrap_err();
        assert_eq!(problems[4].zh, "最高倍速须为 1、1.25、1.5、2、3 倍之一");

        let edges = ClassDraft {
            title: "字".repeat(80),
            description: "字".repeat(4000),
            starts_on: None,
            ends_on: Some(1),
            idle_prompt_seconds: 7200,
            max_rate_milli: 3000,
        };
        assert_eq!(check_class(&edges), Ok(()));
        let too_long = ClassDraft {
            title: "字".repeat(81),
            idle_prompt_seconds: 7201,
            ..edges.clone()
        };
        assert_eq!(fields(&too_long), ["title", "idle_prompt_seconds"]);
        let two_lines = ClassDraft {
            title: "第一行\n第二行".to_owned(),
            idle_prompt_seconds: 3,
            ..edges
        };
        assert_eq!(fields(&two_lines), ["title"]);

        assert_eq!(rate_label(1250), "1.25 倍");
        assert_eq!(rate_label(1500), "1.5 倍");
        assert_eq!(rate_label(2000), "2 倍");
    }

    proptest! {
        /// Every allowed move is listed by `next_states`, and a closed class
        /// never opens again.
        #[test]
        fn transitions_follow_next_states(
            from in proptest::sample::select(ClassState::ALL.to_vec()),
            to in proptest::sample::select(ClassState::ALL.to_vec()),
            reported in any::<bool>(),
        ) {
            let allowed = transition(from, to, reported).is_ok();
            prop_assert!(!allowed || from.next_states().contains(&to));
            if from == Closed {
                prop_assert!(!allowed);
            }
            if from.next_states().contains(&to) && !(from == Published && to == Draft) {
                prop_assert!(allowed);
            }
        }
    }
}
