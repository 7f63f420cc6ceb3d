//! A class's figures, as the seed reported them upward every day: enrolled,
//! reported in, pre-test done / ≥ 60 / average, courses completed, survey
//! and satisfaction, final exam done / average / full marks / ≥ 90,
//! certificates. One function computes them from per-learner rows, so the
//! class dashboard, its regional breakdown and any report built later count
//! the same way.

use serde::{Deserialize, Serialize};

/// What one learner contributes, as of the day being reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerRow {
    pub reported: bool,
    pub checked_in: bool,
    pub courses_done: u32,
    pub courses_total: u32,
    pub credited_ms: i64,
    /// Best graded pre-test: (score, maximum) in hundredths of a point.
    pub pre: Option<(i64, i64)>,
    pub final_exam: Option<(i64, i64)>,
    pub survey_done: bool,
    /// Answered the overall-satisfaction item: satisfied (满意/基本满意) or not.
    pub satisfied: Option<bool>,
    pub certified: bool,
}

/// Survey figures of fewer respondents than this are never shown in a
/// breakdown: "2 of 3 satisfied" in a county tells who was not.
pub const MIN_RESPONDENTS_SHOWN: u32 = 5;

/// (satisfied, answered) of the satisfaction item, when enough people
/// answered it to show it without telling who said what.
pub fn satisfaction_shown(f: &Figures) -> Option<(u32, u32)> {
    (f.satisfaction_answers >= MIN_RESPONDENTS_SHOWN)
        .then_some((f.satisfied, f.satisfaction_answers))
}

/// The counted figures. Scores are on a 100-point scale (a score out of any
/// maximum is first turned into a percentage), averages in hundredths.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub enrolled: u32,
    pub reported: u32,
    pub checked_in: u32,
    /// Learners who completed every course of the class.
    pub courses_complete: u32,
    /// Courses completed, summed over learners.
    pub courses_done: u32,
    pub credited_ms: i64,
    pub pre_done: u32,
    pub pre_at_least_60: u32,
    pub pre_average_centi: Option<u32>,
    /// The pre-test percentages summed (hundredths), so that merging parts
    /// gives exactly the average of the whole.
    pub pre_sum_centi: u64,
    pub survey_done: u32,
    pub satisfaction_answers: u32,
    pub satisfied: u32,
    pub final_done: u32,
    pub final_average_centi: Option<u32>,
    pub final_sum_centi: u64,
    pub final_full_marks: u32,
    pub final_at_least_90: u32,
    pub certified: u32,
}

/// `score` out of `max` as hundredths of a percent point (86.5 → 8650).
/// A zero maximum counts as zero.
pub fn percent_centi(score: i64, max: i64) -> u32 {
    if max <= 0 {
        return 0;
    }
    let centi = (score.clamp(0, max) * 10_000 + max / 2) / max;
    u32::try_from(centi).unwrap_or(0)
}

/// "86.5" from 8650; "—" for none.
pub fn centi_label(centi: Option<u32>) -> String {
    match centi {
        Some(c) => {
            let tenths = (c + 5) / 10;
            format!("{}.{}", tenths / 10, tenths % 10)
        }
        None => "—".to_owned(),
    }
}

fn count(flag: bool) -> u32 {
    u32::from(flag)
}

fn average(sum: u64, n: u32) -> Option<u32> {
    (n > 0).then(|| u32::try_from((sum + u64::from(n) / 2) / u64::from(n)).unwrap_or(u32::MAX))
}

/// Counts `rows`.
pub fn figures(rows: &[LearnerRow]) -> Figures {
    let mut f = Figures::default();
    let (mut pre_sum, mut final_sum) = (0u64, 0u64);
    for row in rows {
        f.enrolled += 1;
        f.reported += count(row.reported);
        f.checked_in += count(row.checked_in);
        f.courses_complete += count(row.courses_total > 0 && row.courses_done >= row.courses_total);
        f.courses_done += row.courses_done;
        f.credited_ms += row.credited_ms;
        if let Some((score, max)) = row.pre {
            let p = percent_centi(score, max);
            f.pre_done += 1;
            f.pre_at_least_60 += count(p >= 6_000);
            pre_sum += u64::from(p);
        }
        if let Some((score, max)) = row.final_exam {
            let p = percent_centi(score, max);
            f.final_done += 1;
            f.final_full_marks += count(p >= 10_000);
            f.final_at_least_90 += count(p >= 9_000);
            final_sum += u64::from(p);
        }
        f.survey_done += count(row.survey_done);
        if let Some(satisfied) = row.satisfied {
            f.satisfaction_answers += 1;
            f.satisfied += count(satisfied);
        }
        f.certified += count(row.certified);
    }
    f.pre_sum_centi = pre_sum;
    f.final_sum_centi = final_sum;
    f.pre_average_centi = average(pre_sum, f.pre_done);
    f.final_average_centi = average(final_sum, f.final_done);
    f
}

impl Figures {
    /// Adds `other`'s counts: a parent region's figures are the sum of its
    /// children's, exactly (averages are recomputed from the summed scores).
    pub fn merge(&self, other: &Figures) -> Figures {
        let pre_done = self.pre_done + other.pre_done;
        let final_done = self.final_done + other.final_done;
        let pre_sum_centi = self.pre_sum_centi + other.pre_sum_centi;
        let final_sum_centi = self.final_sum_centi + other.final_sum_centi;
        Figures {
            enrolled: self.enrolled + other.enrolled,
            reported: self.reported + other.reported,
            checked_in: self.checked_in + other.checked_in,
            courses_complete: self.courses_complete + other.courses_complete,
            courses_done: self.courses_done + other.courses_done,
            credited_ms: self.credited_ms + other.credited_ms,
            pre_done,
            pre_at_least_60: self.pre_at_least_60 + other.pre_at_least_60,
            pre_average_centi: average(pre_sum_centi, pre_done),
            pre_sum_centi,
            survey_done: self.survey_done + other.survey_done,
            satisfaction_answers: self.satisfaction_answers + other.satisfaction_answers,
            satisfied: self.satisfied + other.satisfied,
            final_done,
            final_average_centi: average(final_sum_centi, final_done),
            final_sum_centi,
            final_full_marks: self.final_full_marks + other.final_full_marks,
            final_at_least_90: self.final_at_least_90 + other.final_at_least_90,
            certified: self.certified + other.certified,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satisfaction_of_fewer_than_five_is_not_shown() {
        let few = Figures {
            satisfaction_answers: 4,
            satisfied: 3,
            ..Figures::default()
        };
        assert_eq!(satisfaction_shown(&few), None);
        let enough = Figures {
            satisfaction_answers: 5,
            ..few
        };
        assert_eq!(satisfaction_shown(&enough), Some((3, 5)));
    }
    use proptest::prelude::*;

    fn learner(pre: Option<i64>, fin: Option<i64>) -> LearnerRow {
        LearnerRow {
            reported: true,
            courses_done: 12,
            courses_total: 12,
            pre: pre.map(|s| (s * 100, 10_000)),
            final_exam: fin.map(|s| (s * 100, 10_000)),
            survey_done: true,
            satisfied: Some(true),
            ..LearnerRow::default()
        }
    }

    #[test]
    fn counts_the_seed_figures() {
        // 4 learners: pre 50, 60, 90, none; final 100, 90, 80, 100.
        let rows = [
            learner(Some(50), Some(100)),
            learner(Some(60), Some(90)),
            learner(Some(90), Some(80)),
            learner(None, Some(100)),
        ];
        let f = figures(&rows);
        assert_eq!(f.enrolled, 4);
        assert_eq!(f.pre_done, 3);
        assert_eq!(f.pre_at_least_60, 2);
        assert_eq!(f.pre_average_centi, Some(6_667));
        assert_eq!(centi_label(f.pre_average_centi), "66.7");
        assert_eq!(f.final_full_marks, 2);
        assert_eq!(f.final_at_least_90, 3);
        assert_eq!(centi_label(f.final_average_centi), "92.5");
        assert_eq!(f.courses_complete, 4);
        assert_eq!(f.satisfied, 4);
    }

    #[test]
    fn scores_out_of_any_maximum_are_percentages() {
        assert_eq!(percent_centi(8_650, 10_000), 8_650);
        assert_eq!(percent_centi(45, 50), 9_000);
        assert_eq!(percent_centi(1, 0), 0);
        assert_eq!(percent_centi(-5, 10), 0);
        assert_eq!(centi_label(None), "—");
    }

    #[test]
    fn a_class_without_courses_completes_nobody() {
        let row = LearnerRow::default();
        assert_eq!(figures(&[row]).courses_complete, 0);
    }

    fn arb_row() -> impl Strategy<Value = LearnerRow> {
        (
            any::<bool>(),
            0u32..13,
            proptest::option::of(0i64..=100),
            proptest::option::of(0i64..=100),
            proptest::option::of(any::<bool>()),
        )
            .prop_map(|(reported, done, pre, fin, satisfied)| LearnerRow {
                reported,
                courses_done: done,
                courses_total: 12,
                pre: pre.map(|s| (s, 100)),
                final_exam: fin.map(|s| (s, 100)),
                satisfied,
                ..LearnerRow::default()
            })
    }

    proptest! {
        /// Roll-ups: the figures of a whole equal the merge of its parts',
        /// every field, averages included.
        #[test]
        fn merging_parts_equals_counting_the_whole(
            rows in proptest::collection::vec(arb_row(), 0..40),
            split in 0usize..40,
        ) {
            let split = split.min(rows.len());
            let (a, b) = rows.split_at(split);
            prop_assert_eq!(figures(&rows), figures(a).merge(&figures(b)));
            prop_assert_eq!(figures(&rows), figures(&rows).merge(&Figures::default()));
        }
    }
}
