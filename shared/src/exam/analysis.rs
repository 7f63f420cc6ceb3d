//! Item analysis for organizers: which questions were easy, which told strong
//! learners from weak ones, and how an exam's scores are spread.
//!
//! Inputs are graded attempts in hundredths of a point; everything here is
//! arithmetic on them, so the statistics screens can be recomputed at will.

use super::Cents;
use crate::ids::QuestionId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub total: Cents,
    pub max: Cents,
    pub items: Vec<ItemResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    pub question: QuestionId,
    pub score: Cents,
    pub max: Cents,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemStats {
    pub question: QuestionId,
    /// Attempts whose paper had the question.
    pub answered: u32,
    /// Mean score / max, 0.0–1.0 (难度系数: higher is easier).
    pub facility: f64,
    /// Facility among the upper 27 % of those attempts (by attempt total
    /// percent) minus facility among the lower 27 % (区分度); `None` below
    /// [`MIN_ATTEMPTS_FOR_DISCRIMINATION`] attempts.
    pub discrimination: Option<f64>,
    /// Pearson (point-biserial for right/wrong items) correlation between the
    /// item's score fraction and the percent on the rest of the test; `None`
    /// when undefined (fewer than two attempts, or no variation on either side).
    pub correlation: Option<f64>,
}

/// Below this, the 27 % groups hold two learners or fewer and the difference
/// between them says more about those learners than about the question.
pub const MIN_ATTEMPTS_FOR_DISCRIMINATION: usize = 10;

/// The share of attempts in each of the upper and lower groups (Kelley's 27 %).
const GROUP_SHARE: f64 = 0.27;

/// One row per question that appears in any attempt, sorted by question id.
pub fn item_analysis(attempts: &[AttemptResult]) -> Vec<ItemStats> {
    let mut by_question: BTreeMap<QuestionId, Vec<(&AttemptResult, &ItemResult)>> = BTreeMap::new();
    for attempt in attempts {
        for item in &attempt.items {
            by_question
                .entry(item.question)
                .or_default()
                .push((attempt, item));
        }
    }
    by_question
        .into_iter()
        .map(|(question, seen)| item_stats(question, &seen))
        .collect()
}

fn item_stats(question: QuestionId, seen: &[(&AttemptResult, &ItemResult)]) -> ItemStats {
    let items: Vec<&ItemResult> = seen.iter().map(|(_, item)| *item).collect();
    ItemStats {
        question,
        answered: u32::try_from(seen.len()).unwrap_or(u32::MAX),
        facility: facility(&items),
        discrimination: discrimination(seen),
        correlation: correlation(seen),
    }
}

/// Points scored over points possible, so items whose worth differs between
/// papers are weighted by their worth. 0 when nothing was possible.
fn facility(items: &[&ItemResult]) -> f64 {
    let scored: u64 = items.iter().map(|i| u64::from(i.score.min(i.max))).sum();
    let possible: u64 = items.iter().map(|i| u64::from(i.max)).sum();
    if possible == 0 {
        0.0
    } else {
        scored as f64 / possible as f64
    }
}

fn percent(total: Cents, max: Cents) -> f64 {
    if max == 0 {
        0.0
    } else {
        f64::from(total.min(max)) * 100.0 / f64::from(max)
    }
}

fn discrimination(seen: &[(&AttemptResult, &ItemResult)]) -> Option<f64> {
    if seen.len() < MIN_ATTEMPTS_FOR_DISCRIMINATION {
        return None;
    }
    let mut ranked: Vec<(f64, &ItemResult)> = seen
        .iter()
        .map(|(attempt, item)| (percent(attempt.total, attempt.max), *item))
        .collect();
    // Stable: attempts with equal totals keep their given order, so the
    // result is repeatable.
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let group = ((ranked.len() as f64 * GROUP_SHARE).round() as usize).max(1);
    let lower: Vec<&ItemResult> = ranked[..group].iter().map(|(_, item)| *item).collect();
    let upper: Vec<&ItemResult> = ranked[ranked.len() - group..]
        .iter()
        .map(|(_, item)| *item)
        .collect();
    Some(facility(&upper) - facility(&lower))
}

/// Against the rest of the test rather than the total: the item's own score is
/// part of the total and would correlate with it even if it measured nothing.
fn correlation(seen: &[(&AttemptResult, &ItemResult)]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = seen
        .iter()
        .filter(|(attempt, item)| item.max > 0 && attempt.max > item.max)
        .map(|(attempt, item)| {
            let fraction = f64::from(item.score.min(item.max)) / f64::from(item.max);
            let rest_total = attempt.total.saturating_sub(item.score.min(item.max));
            let rest = percent(rest_total, attempt.max - item.max);
            (fraction, rest)
        })
        .collect();
    pearson(&pairs)
}

fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let mean_x = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        let (dx, dy) = (x - mean_x, y - mean_y);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    // Rounding leaves tiny variances where every value is equal; those have
    // no correlation to speak of.
    if sxx <= 1e-12 * n || syy <= 1e-8 * n {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreSummary {
    pub attempts: u32,
    /// 0 when there are no attempts.
    pub mean_percent: f64,
    pub passed: u32,
    pub full_marks: u32,
    pub at_least_90_percent: u32,
    /// Counts per 10-point band of percent: [0,10), [10,20) … [90,100]; 10 bands.
    pub bands: [u32; 10],
}

/// Scores of an exam at a glance. An attempt passes at `pass_mark_percent` or
/// above; boundaries of bands and of 90 % are exact (integer arithmetic), so
/// 9 of 10 points is in the 90 band, not just below it.
pub fn summarize(attempts: &[AttemptResult], pass_mark_percent: f64) -> ScoreSummary {
    let mut summary = ScoreSummary {
        attempts: u32::try_from(attempts.len()).unwrap_or(u32::MAX),
        mean_percent: 0.0,
        passed: 0,
        full_marks: 0,
        at_least_90_percent: 0,
        bands: [0; 10],
    };
    let mut percent_sum = 0.0;
    for attempt in attempts {
        let p = percent(attempt.total, attempt.max);
        percent_sum += p;
        let (total, max) = (
            u64::from(attempt.total.min(attempt.max)),
            u64::from(attempt.max),
        );
        // A percent computed from cents can land a hair below a whole-number
        // pass mark (59.999…); that is still the pass mark.
        if p + 1e-9 >= pass_mark_percent {
            summary.passed += 1;
        }
        if max > 0 && total == max {
            summary.full_marks += 1;
        }
        if max > 0 && total * 10 >= max * 9 {
            summary.at_least_90_percent += 1;
        }
        let band = (total * 10).checked_div(max).unwrap_or(0).min(9);
        summary.bands[usize::try_from(band).unwrap_or(9)] += 1;
    }
    if !attempts.is_empty() {
        summary.mean_percent = percent_sum / attempts.len() as f64;
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(question: i64, score: Cents, max: Cents) -> ItemResult {
        ItemResult {
            question: QuestionId(question),
            score,
            max,
        }
    }

    fn attempt(items: Vec<ItemResult>) -> AttemptResult {
        AttemptResult {
            total: items.iter().map(|i| i.score).sum(),
            max: items.iter().map(|i| i.max).sum(),
            items,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn nothing_to_analyse() {
        assert!(item_analysis(&[]).is_empty());
        let summary = summarize(&[], 60.0);
        assert_eq!(summary.attempts, 0);
        assert_eq!(summary.mean_percent, 0.0);
        assert_eq!(summary.bands, [0; 10]);
    }

    /// Ten learners ranked by question 2; question 1 is right for exactly the
    /// upper half.
    fn ranked_class() -> Vec<AttemptResult> {
        (0..10)
            .map(|i| {
                attempt(vec![
                    item(1, if i >= 5 { 100 } else { 0 }, 100),
                    item(2, i * 10, 100),
                ])
            })
            .collect()
    }

    #[test]
    fn a_perfectly_discriminating_item() {
        let stats = item_analysis(&ranked_class());
        assert_eq!(stats.len(), 2);
        let q1 = &stats[0];
        assert_eq!((q1.question, q1.answered), (QuestionId(1), 10));
        assert!(close(q1.facility, 0.5));
        // Groups of round(2.7) = 3: the top three all right, the bottom three all wrong.
        assert_eq!(q1.discrimination, Some(1.0));
        // Rest of test = question 2: 0, 10 … 90 percent against 0 ×5, 1 ×5.
        // Σdxdy = 125, Σdx² = 2.5, Σdy² = 8250.
        let expected = 125.0 / (2.5f64 * 8250.0).sqrt();
        assert!(
            close(q1.correlation.unwrap(), expected),
            "{:?}",
            q1.correlation
        );
        let q2 = &stats[1];
        assert!(close(q2.facility, 0.45));
        // Upper three: 70, 80, 90 of 100; lower three: 0, 10, 20.
        assert!(close(q2.discrimination.unwrap(), 0.8 - 0.1));
    }

    #[test]
    fn an_item_everyone_gets_right() {
        let attempts: Vec<AttemptResult> = (0..12)
            .map(|i| attempt(vec![item(7, 500, 500), item(8, i * 40, 500)]))
            .collect();
        let stats = item_analysis(&attempts);
        let q7 = &stats[0];
        assert_eq!(q7.facility, 1.0);
        assert_eq!(q7.correlation, None);
        assert_eq!(q7.discrimination, Some(0.0));
    }

    #[test]
    fn small_groups_and_lone_items_give_no_discrimination() {
        let attempts = &ranked_class()[..9];
        let stats = item_analysis(attempts);
        assert_eq!(stats[0].discrimination, None);
        assert!(stats[0].correlation.is_some());
        // A question alone on its paper has no rest of the test to compare with.
        let lone = item_analysis(&[
            attempt(vec![item(3, 100, 100)]),
            attempt(vec![item(3, 0, 100)]),
        ]);
        assert_eq!(lone[0].correlation, None);
        assert!(close(lone[0].facility, 0.5));
    }

    #[test]
    fn an_item_the_weak_get_right_correlates_negatively() {
        let attempts: Vec<AttemptResult> = (0..10)
            .map(|i| {
                // Question 2 outweighs question 1, so totals rank by question 2.
                attempt(vec![
                    item(1, if i < 5 { 100 } else { 0 }, 100),
                    item(2, i * 200, 2000),
                ])
            })
            .collect();
        let q1 = &item_analysis(&attempts)[0];
        let expected = -125.0 / (2.5f64 * 8250.0).sqrt();
        assert!(
            close(q1.correlation.unwrap(), expected),
            "{:?}",
            q1.correlation
        );
        assert_eq!(q1.discrimination, Some(-1.0));
    }

    #[test]
    fn partial_credit_counts_towards_facility() {
        let stats = item_analysis(&[
            attempt(vec![item(5, 50, 100)]),
            attempt(vec![item(5, 100, 100)]),
            attempt(vec![item(5, 0, 200)]),
        ]);
        assert!(close(stats[0].facility, 150.0 / 400.0));
        assert_eq!(stats[0].answered, 3);
    }

    #[test]
    fn summary_counts_bands_and_boundaries_exactly() {
        let of_100 = |total: Cents| AttemptResult {
            total,
            max: 10_000,
            items: Vec::new(),
        };
        let attempts = [
            of_100(10_000),
            of_100(9_000),
            of_100(8_999),
            of_100(6_000),
            of_100(5_999),
            of_100(0),
            // Odd maxima: 2 of 3 is 66.67 %, and no division by zero.
            AttemptResult {
                total: 200,
                max: 300,
                items: Vec::new(),
            },
            AttemptResult {
                total: 0,
                max: 0,
                items: Vec::new(),
            },
        ];
        let summary = summarize(&attempts, 60.0);
        assert_eq!(summary.attempts, 8);
        assert_eq!(summary.passed, 5);
        assert_eq!(summary.full_marks, 1);
        assert_eq!(summary.at_least_90_percent, 2);
        assert_eq!(summary.bands, [2, 0, 0, 0, 0, 1, 2, 0, 1, 2]);
        let mean = (100.0 + 90.0 + 89.99 + 60.0 + 59.99 + 0.0 + 200.0 / 3.0 + 0.0) / 8.0;
        assert!(
            close(summary.mean_percent, mean),
            "{}",
            summary.mean_percent
        );
        // A pass mark of 2 of 3 points as a percent, rounded the other way.
        assert_eq!(summarize(&attempts[6..7], 200.0 / 3.0).passed, 1);
    }
}
