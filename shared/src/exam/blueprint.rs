//! Paper plans (组卷方案): how many questions of each kind from which bank and
//! topics, points, time limit, pass mark, attempts, shuffling, and when
//! results and explanations are shown.

use super::{Cents, MultiplePolicy, QuestionKind};
use crate::ids::BankId;
use serde::{Deserialize, Serialize};

/// When learners may see something about their graded attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reveal {
    /// As soon as the attempt is graded.
    #[default]
    AfterSubmit,
    /// Once the exam has closed for everyone.
    AfterClose,
    Never,
}

/// One block of the paper: `count` questions of `kind` from `bank`,
/// restricted to `topics` (empty: any topic), worth `points_each`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: QuestionKind,
    pub bank: BankId,
    pub topics: Vec<String>,
    pub count: u32,
    /// Points for each question of the section, in hundredths.
    pub points_each: Cents,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blueprint {
    pub sections: Vec<Section>,
    /// 1–600 minutes.
    pub time_limit_minutes: u32,
    /// In hundredths of a point, out of [`Blueprint::total_points`].
    pub pass_mark: Cents,
    /// 1–20.
    pub attempts_allowed: u32,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub multiple_policy: MultiplePolicy,
    /// When the score (and which questions were right) is shown.
    pub show_results: Reveal,
    /// When correct answers and explanations are shown.
    pub show_answers: Reveal,
}

impl Blueprint {
    /// Total points of a paper drawn from this plan, in hundredths.
    pub fn total_points(&self) -> Cents {
        self.sections
            .iter()
            .map(|s| s.count.saturating_mul(s.points_each))
            .fold(0, u32::saturating_add)
    }

    pub fn question_count(&self) -> u32 {
        self.sections
            .iter()
            .map(|s| s.count)
            .fold(0, u32::saturating_add)
    }

    /// The seed's paper: 10 multiple-choice (single) + 10 fill-in from `bank`,
    /// 5 points each, 60 to pass, 30 minutes, one attempt.
    pub fn seed_paper(bank: BankId) -> Self {
        Blueprint {
            sections: vec![
                Section {
                    kind: QuestionKind::Single,
                    bank,
                    topics: Vec::new(),
                    count: 10,
                    points_each: 500,
                },
                Section {
                    kind: QuestionKind::Fill,
                    bank,
                    topics: Vec::new(),
                    count: 10,
                    points_each: 500,
                },
            ],
            time_limit_minutes: 30,
            pass_mark: 6000,
            attempts_allowed: 1,
            shuffle_questions: true,
            shuffle_options: true,
            multiple_policy: MultiplePolicy::AllOrNothing,
            show_results: Reveal::AfterSubmit,
            show_answers: Reveal::AfterSubmit,
        }
    }
}

/// Most questions one section may ask for.
pub const MAX_SECTION_COUNT: u32 = 200;
/// Most points one question may be worth, in hundredths.
pub const MAX_POINTS_EACH: Cents = 10_000;
pub const TIME_LIMIT_MINUTES: std::ops::RangeInclusive<u32> = 1..=600;
pub const ATTEMPTS_ALLOWED: std::ops::RangeInclusive<u32> = 1..=20;

/// Problems with the plan's own settings, whatever the bank holds (see
/// [`super::sampling::check_blueprint`] for that). Field names follow the
/// struct: `sections`, `sections[2].count` (0-based index; messages count from
/// 1), `sections[2].points_each`, `total_points`, `time_limit_minutes`,
/// `pass_mark`, `attempts_allowed`.
pub fn check_settings(bp: &Blueprint) -> Vec<super::FieldProblem> {
    use super::{FieldProblem, format_points};
    let mut problems = Vec::new();
    if bp.sections.is_empty() {
        problems.push(FieldProblem::new(
            "sections",
            "方案至少需要一个部分",
            "The plan needs at least one section",
        ));
    }
    for (i, s) in bp.sections.iter().enumerate() {
        let n = i + 1;
        if s.count == 0 || s.count > MAX_SECTION_COUNT {
            problems.push(FieldProblem::new(
                &format!("sections[{i}].count"),
                format!("第{n}部分的题目数量须在 1–{MAX_SECTION_COUNT} 道之间"),
                format!("Section {n}: the number of questions must be 1–{MAX_SECTION_COUNT}"),
            ));
        }
        if s.points_each == 0 || s.points_each > MAX_POINTS_EACH {
            let max = format_points(MAX_POINTS_EACH);
            problems.push(FieldProblem::new(
                &format!("sections[{i}].points_each"),
                format!("第{n}部分的每题分值须在 0.01–{max} 分之间"),
                format!("Section {n}: points per question must be 0.01–{max}"),
            ));
        }
    }
    let total = bp.total_points();
    // Only worth saying when no section problem above already explains it.
    if total == 0 && problems.is_empty() {
        problems.push(FieldProblem::new(
            "total_points",
            "试卷总分不能为 0",
            "The paper must be worth more than 0 points",
        ));
    }
    if !TIME_LIMIT_MINUTES.contains(&bp.time_limit_minutes) {
        problems.push(FieldProblem::new(
            "time_limit_minutes",
            format!(
                "考试时长须在 {}–{} 分钟之间",
                TIME_LIMIT_MINUTES.start(),
                TIME_LIMIT_MINUTES.end()
            ),
            format!(
                "The time limit must be {}–{} minutes",
                TIME_LIMIT_MINUTES.start(),
                TIME_LIMIT_MINUTES.end()
            ),
        ));
    }
    if bp.pass_mark == 0 {
        problems.push(FieldProblem::new(
            "pass_mark",
            "及格分须大于 0",
            "The pass mark must be more than 0",
        ));
    } else if bp.pass_mark > total && total > 0 {
        let total = format_points(total);
        problems.push(FieldProblem::new(
            "pass_mark",
            format!("及格分不能高于总分（{total} 分）"),
            format!("The pass mark cannot be higher than the total ({total} points)"),
        ));
    }
    if !ATTEMPTS_ALLOWED.contains(&bp.attempts_allowed) {
        problems.push(FieldProblem::new(
            "attempts_allowed",
            format!(
                "允许作答次数须在 {}–{} 次之间",
                ATTEMPTS_ALLOWED.start(),
                ATTEMPTS_ALLOWED.end()
            ),
            format!(
                "Attempts allowed must be {}–{}",
                ATTEMPTS_ALLOWED.start(),
                ATTEMPTS_ALLOWED.end()
            ),
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(bp: &Blueprint) -> Vec<String> {
        check_settings(bp).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn the_seed_paper_is_fine() {
        assert_eq!(
            check_settings(&Blueprint::seed_paper(BankId(1))),
            Vec::new()
        );
        assert_eq!(Blueprint::seed_paper(BankId(1)).total_points(), 10_000);
    }

    #[test]
    fn each_setting_out_of_range_is_named() {
        let base = Blueprint::seed_paper(BankId(1));
        let with = |change: &dyn Fn(&mut Blueprint)| {
            let mut bp = base.clone();
            change(&mut bp);
            fields(&bp)
        };
        assert_eq!(
            with(&|bp| bp.time_limit_minutes = 0),
            ["time_limit_minutes"]
        );
        assert_eq!(
            with(&|bp| bp.time_limit_minutes = 601),
            ["time_limit_minutes"]
        );
        assert!(with(&|bp| bp.time_limit_minutes = 600).is_empty());
        assert_eq!(with(&|bp| bp.attempts_allowed = 0), ["attempts_allowed"]);
        assert_eq!(with(&|bp| bp.attempts_allowed = 21), ["attempts_allowed"]);
        assert!(with(&|bp| bp.attempts_allowed = 20).is_empty());
        assert_eq!(with(&|bp| bp.pass_mark = 0), ["pass_mark"]);
        assert_eq!(with(&|bp| bp.pass_mark = 10_001), ["pass_mark"]);
        assert!(with(&|bp| bp.pass_mark = 10_000).is_empty());
        // Dropping a section's points also drops the total below the pass mark.
        assert_eq!(
            with(&|bp| bp.sections[1].count = 0),
            ["sections[1].count", "pass_mark"]
        );
        assert_eq!(
            with(&|bp| bp.sections[0].count = 201),
            ["sections[0].count"]
        );
        assert_eq!(
            with(&|bp| bp.sections[1].points_each = 10_001),
            ["sections[1].points_each"]
        );
        assert_eq!(
            with(&|bp| bp.sections[0].points_each = 0),
            ["sections[0].points_each", "pass_mark"]
        );
    }

    #[test]
    fn an_empty_plan_says_so_once() {
        let mut bp = Blueprint::seed_paper(BankId(1));
        bp.sections.clear();
        let problems = check_settings(&bp);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "sections");
        assert_eq!(problems[0].zh, "方案至少需要一个部分");
    }

    #[test]
    fn messages_count_sections_from_one_and_show_points() {
        let mut bp = Blueprint::seed_paper(BankId(1));
        bp.sections[1].count = 0;
        bp.pass_mark = 7_000;
        let problems = check_settings(&bp);
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].zh, "第2部分的题目数量须在 1–200 道之间");
        assert_eq!(
            problems[0].en,
            "Section 2: the number of questions must be 1–200"
        );
        assert_eq!(problems[1].field, "pass_mark");
        assert_eq!(problems[1].zh, "及格分不能高于总分（50 分）");
        assert_eq!(
            problems[1].en,
            "The pass mark cannot be higher than the total (50 points)"
        );
        bp.sections[1].points_each = 250;
        bp.sections[1].count = 3;
        bp.pass_mark = 5_751;
        assert_eq!(
            check_settings(&bp)[0].en,
            "The pass mark cannot be higher than the total (57.5 points)"
        );
    }
}
