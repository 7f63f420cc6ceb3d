//! The learner's six steps through a class (学员注册 → 班前测试 → 在线学习 →
//! 培训评价 → 结业考试 → 培训证书): which are done, which are open, which are
//! locked and why, what to do next, and whether the class is completed.
//!
//! The server measures a learner's [`Progress`]; [`plan`] turns it into what the
//! learner's home screen shows, and [`completion_met`] decides whether a
//! certificate is issued. Both the order of steps ([`Gating`]) and what
//! completion takes ([`CompletionRule`]) are set per class.

use crate::exam::Cents;
use serde::{Deserialize, Serialize};

/// The six steps, in the order the seed lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Step {
    Register,
    PreTest,
    Study,
    Survey,
    FinalExam,
    Certificate,
}

crate::stored_code!(Step {
    Register => "register",
    PreTest => "pre_test",
    Study => "study",
    Survey => "survey",
    FinalExam => "final_exam",
    Certificate => "certificate",
});

impl Step {
    /// 1 to 6, as the step list numbers them.
    pub fn number(self) -> u8 {
        match self {
            Step::Register => 1,
            Step::PreTest => 2,
            Step::Study => 3,
            Step::Survey => 4,
            Step::FinalExam => 5,
            Step::Certificate => 6,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Step::Register => "学员注册",
            Step::PreTest => "班前测试",
            Step::Study => "在线学习",
            Step::Survey => "培训评价",
            Step::FinalExam => "结业考试",
            Step::Certificate => "培训证书",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Step::Register => "Registration",
            Step::PreTest => "Pre-test",
            Step::Study => "Online study",
            Step::Survey => "Evaluation survey",
            Step::FinalExam => "Final exam",
            Step::Certificate => "Certificate",
        }
    }
}

/// Where a learner stands on one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepState {
    Done,
    /// Available, and the one to do next.
    Current,
    /// Available, but not the suggested next step.
    Open,
    /// Not available yet (or any more); the reasons are safe to show.
    Locked {
        reason_zh: String,
        reason_en: String,
    },
}

impl StepState {
    fn locked((zh, en): (&str, &str)) -> Self {
        StepState::Locked {
            reason_zh: zh.to_owned(),
            reason_en: en.to_owned(),
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self, StepState::Done)
    }

    pub fn is_locked(&self) -> bool {
        matches!(self, StepState::Locked { .. })
    }

    /// Whether the learner can act on the step now.
    pub fn is_available(&self) -> bool {
        matches!(self, StepState::Current | StepState::Open)
    }
}

/// Which steps wait for which, per class. The defaults follow the seed: the
/// pre-test measures what learners knew before studying, so it comes first;
/// the final exam comes after all courses and the survey (which is then
/// answered while the class is fresh in mind, and before the exam result can
/// colour it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Gating {
    /// Study opens only after the pre-test (when the class has one).
    pub study_after_pre_test: bool,
    /// The final exam opens only after every course is completed.
    pub final_after_courses: bool,
    /// The final exam opens only after the survey (when the class has one).
    pub final_after_survey: bool,
    /// The survey opens only after every course is completed.
    pub survey_after_courses: bool,
}

impl Gating {
    pub const DEFAULT: Gating = Gating {
        study_after_pre_test: true,
        final_after_courses: true,
        final_after_survey: true,
        survey_after_courses: false,
    };
}

impl Default for Gating {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What completing a class (结业) takes, per class; completion is what earns
/// the certificate. A requirement on something the class does not have (no
/// survey, no final exam) is met by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompletionRule {
    /// Every course completed.
    pub all_courses: bool,
    /// The final exam passed.
    pub final_pass: bool,
    /// The survey handed in.
    pub survey: bool,
    /// At least this much credited study time, in minutes.
    pub min_credited_minutes: Option<u32>,
}

impl CompletionRule {
    pub const DEFAULT: CompletionRule = CompletionRule {
        all_courses: true,
        final_pass: true,
        survey: true,
        min_credited_minutes: None,
    };
}

impl Default for CompletionRule {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What the server measured about one learner in one class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The learner has registered for / reported in to the class (报到).
    pub reported_in: bool,
    pub has_pre_test: bool,
    pub pre_test_done: bool,
    pub courses_total: u32,
    pub courses_done: u32,
    /// Study time credited in this class's courses.
    pub credited_ms: i64,
    pub has_survey: bool,
    pub survey_done: bool,
    pub has_final: bool,
    /// The best final-exam result so far: (score, maximum), in hundredths.
    pub final_best: Option<(Cents, Cents)>,
    pub final_passed: bool,
    pub final_attempts_left: u32,
    /// A certificate has been issued.
    pub certificate: bool,
    /// The class is published or running and not closed.
    pub class_open: bool,
    /// The learner sat the final exam, but its plan keeps results back for
    /// now (after the exam closes, or never): see [`Progress::hide_final_results`].
    #[serde(default)]
    pub final_results_hidden: bool,
}

impl Progress {
    /// Forgets how the final exam went while its results are kept back, so
    /// that nothing the learner sees — the step's detail, whether it is
    /// done, whether a certificate appears — tells a pass from a fail
    /// between attempts. Whether they sat it stays known.
    pub fn hide_final_results(&mut self) {
        self.final_results_hidden = self.final_best.is_some() || self.final_passed;
        self.final_best = None;
        self.final_passed = false;
    }

    /// Every course completed (vacuously so when the class has none).
    pub fn courses_complete(&self) -> bool {
        self.courses_done >= self.courses_total
    }
}

/// The learner's steps as the home screen shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journey {
    /// All six steps, in order.
    pub steps: Vec<(Step, StepState)>,
    /// The first step that is neither done nor locked (its state is `Current`).
    pub next: Option<Step>,
    /// The completion rule is met.
    pub complete: bool,
}

impl Journey {
    pub fn state(&self, step: Step) -> Option<&StepState> {
        self.steps
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, state)| state)
    }
}

type Reason = (&'static str, &'static str);

const CLASS_CLOSED: Reason = ("培训班已结束", "The class has ended");
const REGISTER_FIRST: Reason = ("请先完成学员注册", "Register for the class first");
const PRE_TEST_FIRST: Reason = ("请先完成班前测试", "Take the pre-test first");
const COURSES_FIRST: Reason = ("请先学完全部课程", "Complete all courses first");
const SURVEY_FIRST: Reason = ("请先完成培训评价", "Hand in the evaluation survey first");
const NO_ATTEMPTS: Reason = (
    "结业考试次数已用完",
    "No attempts at the final exam are left",
);

fn minutes_met(rule: &CompletionRule, progress: &Progress) -> bool {
    rule.min_credited_minutes
        .is_none_or(|minutes| progress.credited_ms >= i64::from(minutes) * 60_000)
}

/// The first requirement of `rule` that `progress` does not meet, as a
/// reason to show on the certificate step; `None` when the class is completed.
pub fn unmet_requirement(rule: &CompletionRule, progress: &Progress) -> Option<(String, String)> {
    let owned = |(zh, en): Reason| Some((zh.to_owned(), en.to_owned()));
    if !progress.reported_in {
        return owned(REGISTER_FIRST);
    }
    if rule.all_courses && !progress.courses_complete() {
        return owned((
            "学完全部课程后方可获得证书",
            "Complete all courses to earn the certificate",
        ));
    }
    if let Some(minutes) = rule.min_credited_minutes
        && !minutes_met(rule, progress)
    {
        return Some((
            format!("学习时长达到 {minutes} 分钟后方可获得证书"),
            format!("Study for at least {minutes} minutes to earn the certificate"),
        ));
    }
    if rule.survey && progress.has_survey && !progress.survey_done {
        return owned((
            "完成培训评价后方可获得证书",
            "Hand in the evaluation survey to earn the certificate",
        ));
    }
    if rule.final_pass && progress.has_final && !progress.final_passed {
        return owned((
            "结业考试合格后方可获得证书",
            "Pass the final exam to earn the certificate",
        ));
    }
    None
}

/// Whether the learner has completed the class under `rule`: reported in,
/// and every requirement the rule sets is met. The server issues a
/// certificate when this turns true.
pub fn completion_met(rule: &CompletionRule, progress: &Progress) -> bool {
    unmet_requirement(rule, progress).is_none()
}

fn is_done(step: Step, rule: &CompletionRule, p: &Progress) -> bool {
    match step {
        Step::Register => p.reported_in,
        Step::PreTest => !p.has_pre_test || p.pre_test_done,
        // Study is done when it has given completion all it needs from study.
        Step::Study => p.courses_complete() && minutes_met(rule, p),
        Step::Survey => !p.has_survey || p.survey_done,
        Step::FinalExam => !p.has_final || p.final_passed,
        Step::Certificate => p.certificate,
    }
}

/// Why a step that is not done cannot be taken now, if it cannot.
fn lock(step: Step, gating: &Gating, rule: &CompletionRule, p: &Progress) -> Option<StepState> {
    if !p.class_open {
        return Some(StepState::locked(CLASS_CLOSED));
    }
    if step != Step::Register && !p.reported_in {
        return Some(StepState::locked(REGISTER_FIRST));
    }
    let pre_test_pending = p.has_pre_test && !p.pre_test_done;
    let survey_pending = p.has_survey && !p.survey_done;
    let reason = match step {
        Step::Register | Step::PreTest => None,
        Step::Study if gating.study_after_pre_test && pre_test_pending => Some(PRE_TEST_FIRST),
        Step::Study => None,
        Step::Survey if gating.survey_after_courses && !p.courses_complete() => Some(COURSES_FIRST),
        Step::Survey => None,
        Step::FinalExam if p.final_attempts_left == 0 => Some(NO_ATTEMPTS),
        Step::FinalExam if gating.final_after_courses && !p.courses_complete() => {
            Some(COURSES_FIRST)
        }
        Step::FinalExam if gating.final_after_survey && survey_pending => Some(SURVEY_FIRST),
        Step::FinalExam => None,
        Step::Certificate => {
            return unmet_requirement(rule, p).map(|(reason_zh, reason_en)| StepState::Locked {
                reason_zh,
                reason_en,
            });
        }
    };
    reason.map(StepState::locked)
}

/// The learner's journey: each step's state, the suggested next step and
/// whether the class is completed.
///
/// Steps the class does not have (no pre-test, no survey, no final exam) are
/// done from the start. When the class is closed every step not yet done is
/// locked ("培训班已结束"). A completed class's certificate step is available
/// until the certificate is issued (the server issues it; the screen shows
/// that it is on its way).
pub fn plan(gating: &Gating, rule: &CompletionRule, progress: &Progress) -> Journey {
    let mut steps: Vec<(Step, StepState)> = Step::ALL
        .into_iter()
        .map(|step| {
            let state = if is_done(step, rule, progress) {
                StepState::Done
            } else {
                lock(step, gating, rule, progress).unwrap_or(StepState::Open)
            };
            (step, state)
        })
        .collect();
    let next = steps
        .iter_mut()
        .find(|(_, state)| state.is_available())
        .map(|(step, state)| {
            *state = StepState::Current;
            *step
        });
    Journey {
        steps,
        next,
        complete: completion_met(rule, progress),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const G: Gating = Gating::DEFAULT;
    const R: CompletionRule = CompletionRule::DEFAULT;

    fn fresh() -> Progress {
        Progress {
            has_pre_test: true,
            courses_total: 12,
            has_survey: true,
            has_final: true,
            final_attempts_left: 2,
            class_open: true,
            ..Progress::default()
        }
    }

    #[test]
    fn hidden_results_tell_no_pass_from_a_fail() {
        let sat = |passed: bool, score: Cents| {
            let mut p = Progress {
                reported_in: true,
                pre_test_done: true,
                courses_done: 12,
                survey_done: true,
                final_best: Some((score, 10_000)),
                final_passed: passed,
                final_attempts_left: 1,
                ..fresh()
            };
            p.hide_final_results();
            p
        };
        let (passed, failed) = (sat(true, 9_000), sat(false, 3_000));
        assert_eq!(passed, failed);
        assert!(passed.final_results_hidden);
        assert_eq!(plan(&G, &R, &passed), plan(&G, &R, &failed));
        assert!(
            !plan(&G, &R, &passed).complete,
            "no certificate before release"
        );
    }

    fn reason(journey: &Journey, step: Step) -> String {
        match journey.state(step) {
            Some(StepState::Locked { reason_zh, .. }) => reason_zh.clone(),
            other => format!("not locked: {other:?}"),
        }
    }

    fn summary(journey: &Journey) -> String {
        journey
            .steps
            .iter()
            .map(|(_, state)| match state {
                StepState::Done => 'D',
                StepState::Current => 'C',
                StepState::Open => 'O',
                StepState::Locked { .. } => 'L',
            })
            .collect()
    }

    #[test]
    fn steps_have_labels_codes_and_order() {
        let zh: Vec<&str> = Step::ALL.iter().map(|s| s.label_zh()).collect();
        assert_eq!(
            zh,
            [
                "学员注册",
                "班前测试",
                "在线学习",
                "培训评价",
                "结业考试",
                "培训证书"
            ]
        );
        for (i, step) in Step::ALL.into_iter().enumerate() {
            assert_eq!(Step::from_code(step.code()), Some(step));
            assert_eq!(usize::from(step.number()), i + 1);
            assert!(!step.label_en().is_empty());
        }
        assert!(Step::Register < Step::Certificate);
        assert_eq!(Step::from_code("exam"), None);
    }

    #[test]
    fn default_gating_walks_the_six_steps_in_order() {
        let mut p = fresh();
        let j = plan(&G, &R, &p);
        assert_eq!(j.next, Some(Step::Register));
        assert_eq!(summary(&j), "CLLLLL");
        assert_eq!(reason(&j, Step::PreTest), "请先完成学员注册");
        assert!(!j.complete);

        p.reported_in = true;
        let j = plan(&G, &R, &p);
        assert_eq!(j.next, Some(Step::PreTest));
        // The survey is open at once by default, but not suggested.
        assert_eq!(summary(&j), "DCLOLL");
        assert_eq!(reason(&j, Step::Study), "请先完成班前测试");
        assert_eq!(reason(&j, Step::FinalExam), "请先学完全部课程");
        assert_eq!(reason(&j, Step::Certificate), "学完全部课程后方可获得证书");

        p.pre_test_done = true;
        let j = plan(&G, &R, &p);
        assert_eq!(j.next, Some(Step::Study));
        assert_eq!(summary(&j), "DDCOLL");

        p.courses_done = 11;
        assert_eq!(plan(&G, &R, &p).next, Some(Step::Study));
        p.courses_done = 12;
        let j = plan(&G, &R, &p);
        assert_eq!(j.next, Some(Step::Survey));
        assert_eq!(summary(&j), "DDDCLL");
        assert_eq!(reason(&j, Step::FinalExam), "请先完成培训评价");
        assert_eq!(reason(&j, Step::Certificate), "完成培训评价后方可获得证书");

        p.survey_done = true;
        let j = plan(&G, &R, &p);
        assert_eq!(j.next, Some(Step::FinalExam));
        assert_eq!(summary(&j), "DDDDCL");
        assert_eq!(reason(&j, Step::Certificate), "结业考试合格后方可获得证书");

        p.final_best = Some((5_000, 10_000));
        p.final_attempts_left = 1;
        assert_eq!(plan(&G, &R, &p).next, Some(Step::FinalExam));

        p.final_best = Some((9_000, 10_000));
        p.final_passed = true;
        p.final_attempts_left = 0;
        let j = plan(&G, &R, &p);
        assert!(j.complete);
        assert!(completion_met(&R, &p));
        assert_eq!(j.next, Some(Step::Certificate));
        assert_eq!(summary(&j), "DDDDDC");

        p.certificate = true;
        let j = plan(&G, &R, &p);
        assert_eq!(j.next, None);
        assert_eq!(summary(&j), "DDDDDD");
    }

    #[test]
    fn exhausted_attempts_lock_the_final_exam() {
        let p = Progress {
            reported_in: true,
            pre_test_done: true,
            courses_done: 12,
            survey_done: true,
            final_best: Some((4_000, 10_000)),
            final_attempts_left: 0,
            ..fresh()
        };
        let j = plan(&G, &R, &p);
        assert_eq!(reason(&j, Step::FinalExam), "结业考试次数已用完");
        assert_eq!(j.next, None);
        assert!(!j.complete);
    }

    #[test]
    fn a_closed_class_locks_everything_not_done() {
        let p = Progress {
            reported_in: true,
            pre_test_done: true,
            courses_done: 5,
            class_open: false,
            ..fresh()
        };
        let j = plan(&G, &R, &p);
        assert_eq!(summary(&j), "DDLLLL");
        assert_eq!(j.next, None);
        for step in [
            Step::Study,
            Step::Survey,
            Step::FinalExam,
            Step::Certificate,
        ] {
            assert_eq!(reason(&j, step), "培训班已结束");
        }
        let never_came = Progress {
            class_open: false,
            ..fresh()
        };
        assert_eq!(
            reason(&plan(&G, &R, &never_came), Step::Register),
            "培训班已结束"
        );
    }

    #[test]
    fn steps_a_class_does_not_have_are_done() {
        let p = Progress {
            reported_in: true,
            has_pre_test: false,
            has_survey: false,
            ..fresh()
        };
        let j = plan(&G, &R, &p);
        assert_eq!(j.next, Some(Step::Study));
        assert_eq!(summary(&j), "DDCDLL");

        let done = Progress {
            courses_done: 12,
            ..p
        };
        let j = plan(&G, &R, &done);
        assert_eq!(j.next, Some(Step::FinalExam));

        // No final exam either: completing the courses completes the class.
        let no_final = Progress {
            has_final: false,
            ..done
        };
        let j = plan(&G, &R, &no_final);
        assert!(j.complete);
        assert_eq!(j.next, Some(Step::Certificate));
    }

    #[test]
    fn gating_and_rules_are_per_class() {
        let p = Progress {
            reported_in: true,
            ..fresh()
        };
        let free = Gating {
            study_after_pre_test: false,
            final_after_courses: false,
            final_after_survey: false,
            survey_after_courses: true,
        };
        let j = plan(&free, &R, &p);
        assert_eq!(summary(&j), "DCOLOL");
        assert_eq!(reason(&j, Step::Survey), "请先学完全部课程");

        let minutes = CompletionRule {
            min_credited_minutes: Some(600),
            ..R
        };
        let studied = Progress {
            pre_test_done: true,
            courses_done: 12,
            survey_done: true,
            final_passed: true,
            credited_ms: 599 * 60_000,
            ..p
        };
        let j = plan(&G, &minutes, &studied);
        assert!(!j.complete);
        assert_eq!(j.next, Some(Step::Study));
        assert_eq!(
            reason(&j, Step::Certificate),
            "学习时长达到 600 分钟后方可获得证书"
        );
        let enough = Progress {
            credited_ms: 600 * 60_000,
            ..studied
        };
        assert!(completion_met(&minutes, &enough));

        let lenient = CompletionRule {
            all_courses: false,
            final_pass: false,
            survey: false,
            min_credited_minutes: None,
        };
        assert!(completion_met(&lenient, &p));
        assert!(!completion_met(&lenient, &fresh()));
    }

    #[test]
    fn defaults_follow_the_seed() {
        assert_eq!(Gating::default(), G);
        assert_eq!(CompletionRule::default(), R);
        let gating = Gating::default();
        assert!(gating.study_after_pre_test && gating.final_after_courses);
        assert!(gating.final_after_survey && !gating.survey_after_courses);
        let rule = CompletionRule::default();
        assert!(rule.all_courses && rule.final_pass && rule.survey);
        assert_eq!(rule.min_credited_minutes, None);
    }

    fn arb_progress() -> impl Strategy<Value = Progress> {
        (
            proptest::array::uniform8(any::<bool>()),
            proptest::array::uniform3(any::<bool>()),
            0u32..4,
            0u32..4,
            0i64..10_000_000,
            0u32..3,
        )
            .prop_map(|(b, c, total, done, credited_ms, attempts)| Progress {
                reported_in: b[0],
                has_pre_test: b[1],
                pre_test_done: b[2],
                courses_total: total,
                courses_done: done.min(total),
                credited_ms,
                has_survey: b[3],
                survey_done: b[4],
                has_final: b[5],
                final_best: None,
                final_passed: b[6],
                final_attempts_left: attempts,
                certificate: b[7] && c[0],
                class_open: c[1] || c[2],
                final_results_hidden: false,
            })
    }

    fn arb_gating() -> impl Strategy<Value = Gating> {
        proptest::array::uniform4(any::<bool>()).prop_map(|b| Gating {
            study_after_pre_test: b[0],
            final_after_courses: b[1],
            final_after_survey: b[2],
            survey_after_courses: b[3],
        })
    }

    fn arb_rule() -> impl Strategy<Value = CompletionRule> {
        (
            proptest::array::uniform3(any::<bool>()),
            proptest::option::of(0u32..200),
        )
            .prop_map(|(b, min_credited_minutes)| CompletionRule {
                all_courses: b[0],
                final_pass: b[1],
                survey: b[2],
                min_credited_minutes,
            })
    }

    proptest! {
        /// The suggested step is never locked and is the first available one;
        /// a completed class always lets the learner reach the certificate
        /// while it is open; a closed class offers nothing.
        #[test]
        fn next_is_never_locked_and_completion_reaches_the_certificate(
            gating in arb_gating(),
            rule in arb_rule(),
            progress in arb_progress(),
        ) {
            let journey = plan(&gating, &rule, &progress);
            prop_assert_eq!(journey.steps.len(), 6);
            prop_assert_eq!(journey.complete, completion_met(&rule, &progress));
            let currents: Vec<Step> = journey
                .steps
                .iter()
                .filter(|(_, s)| *s == StepState::Current)
                .map(|(step, _)| *step)
                .collect();
            prop_assert_eq!(currents.first().copied(), journey.next);
            prop_assert!(currents.len() <= 1);
            if let Some(next) = journey.next {
                let state = journey.state(next).cloned();
                prop_assert_eq!(state, Some(StepState::Current));
                let earlier_available = journey
                    .steps
                    .iter()
                    .take_while(|(step, _)| *step != next)
                    .any(|(_, s)| s.is_available());
                prop_assert!(!earlier_available);
            } else {
                prop_assert!(journey.steps.iter().all(|(_, s)| !s.is_available()));
            }
            if journey.complete && progress.class_open {
                let certificate = journey.state(Step::Certificate).cloned();
                prop_assert!(certificate.is_some_and(|s| !s.is_locked()));
                let required_done = [Step::Register]
                    .into_iter()
                    .chain(rule.all_courses.then_some(Step::Study))
                    .chain(rule.survey.then_some(Step::Survey))
                    .chain(rule.final_pass.then_some(Step::FinalExam));
                for step in required_done {
                    prop_assert!(journey.state(step).is_some_and(StepState::is_done));
                }
            }
            if !progress.class_open {
                prop_assert_eq!(journey.next, None);
            }
            if !progress.reported_in {
                prop_assert!(!journey.complete);
            }
        }
    }
}
