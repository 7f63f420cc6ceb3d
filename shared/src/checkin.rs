//! Daily check-in (打卡签到): China-time day numbers, streaks and the month
//! calendar a learner ticks off.
//!
//! A day is an `i32` count of days since 1970-01-01 in China time (UTC+8, no
//! daylight saving), so "today" is the same day for every learner and for the
//! server, wherever its clock's time zone is set. The caller passes the time;
//! nothing here reads a clock.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub const DAY_MS: i64 = 86_400_000;
/// China Standard Time is UTC+8 all year.
pub const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

/// The China-time day that contains `unix_ms` (milliseconds since the Unix
/// epoch, UTC). Times beyond the `i32` day range (±5.8 million years) clamp.
pub fn day_of(unix_ms: i64) -> i32 {
    let days = unix_ms.saturating_add(CHINA_OFFSET_MS).div_euclid(DAY_MS);
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })
}

/// Milliseconds since the Unix epoch at 00:00 China time of `day`: the
/// half-open range `[day_start_ms(d), day_start_ms(d + 1))` is that day.
pub fn day_start_ms(day: i32) -> i64 {
    i64::from(day) * DAY_MS - CHINA_OFFSET_MS
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The civil date (year, month 1–12, day 1–31) of a day number, in the
/// proleptic Gregorian calendar (Howard Hinnant's civil-from-days).
pub fn date_of(day: i32) -> (i32, u32, u32) {
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // An i32 day is at most about 5.9 million years from 1970: every part fits.
    (
        i32::try_from(y).unwrap_or(0),
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// The day number of a civil date, or `None` if the date does not exist
/// (month 13, 30 February, 29 February of a common year) or lies outside the
/// `i32` day range (Hinnant's days-from-civil).
pub fn day_from_date(year: i32, month: u32, day: u32) -> Option<i32> {
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let (month, day) = (i64::from(month), i64::from(day));
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

/// `YYYY-MM-DD`, as the academy writes dates: 2026-11-30.
pub fn label(day: i32) -> String {
    let (y, m, d) = date_of(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day a `YYYY-MM-DD` label names (what [`label`] writes and a date
/// input sends), or `None`.
pub fn parse_label(text: &str) -> Option<i32> {
    let mut parts = text.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    day_from_date(y, m, d)
}

/// Day of the week, 0 = Monday … 6 = Sunday (calendars in China start on Monday).
pub fn weekday(day: i32) -> u32 {
    // 1970-01-01 was a Thursday.
    u32::try_from((i64::from(day) + 3).rem_euclid(7)).unwrap_or(0)
}

/// The current run of consecutive check-in days: ending today if the learner
/// has checked in today, otherwise ending yesterday. A run is not broken until
/// a whole day passes without a check-in, so the morning screen shows the
/// streak still to be kept rather than a discouraging 0. Days after `today`
/// are ignored; order and repeats in `days_checked` do not matter.
pub fn streak(days_checked: &[i32], today: i32) -> u32 {
    let checked: BTreeSet<i32> = days_checked.iter().copied().collect();
    let start = if checked.contains(&today) {
        Some(today)
    } else {
        today.checked_sub(1)
    };
    let mut count: u32 = 0;
    let mut cursor = start;
    while let Some(day) = cursor
        && checked.contains(&day)
    {
        count = count.saturating_add(1);
        cursor = day.checked_sub(1);
    }
    count
}

/// The longest run of consecutive check-in days ever (for statistics).
pub fn longest_streak(days_checked: &[i32]) -> u32 {
    let checked: BTreeSet<i32> = days_checked.iter().copied().collect();
    let mut best: u32 = 0;
    let mut run: u32 = 0;
    let mut previous: Option<i32> = None;
    for day in checked {
        run = match previous {
            Some(p) if p.checked_add(1) == Some(day) => run.saturating_add(1),
            _ => 1,
        };
        best = best.max(run);
        previous = Some(day);
    }
    best
}

/// One day in the month calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarCell {
    pub day: i32,
    pub day_of_month: u32,
    pub checked: bool,
    pub is_today: bool,
    /// After today: cannot be checked in yet.
    pub future: bool,
}

/// The calendar of `month` (1–12) of `year`: weeks from Monday to Sunday,
/// each exactly seven cells, `None` for the days of the neighbouring months.
/// Empty for a month that does not exist.
pub fn month_grid(
    year: i32,
    month: u32,
    checked: &BTreeSet<i32>,
    today: i32,
) -> Vec<Vec<Option<CalendarCell>>> {
    let Some(first) = day_from_date(year, month, 1) else {
        return Vec::new();
    };
    let lead = usize::try_from(weekday(first)).unwrap_or(0);
    let mut cells: Vec<Option<CalendarCell>> = vec![None; lead];
    for (offset, day_of_month) in (1..=days_in_month(year, month)).enumerate() {
        let Some(day) = i32::try_from(offset)
            .ok()
            .and_then(|o| first.checked_add(o))
        else {
            break;
        };
        cells.push(Some(CalendarCell {
            day,
            day_of_month,
            checked: checked.contains(&day),
            is_today: day == today,
            future: day > today,
        }));
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    cells.chunks(7).map(<[_]>::to_vec).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> i32 {
        day_from_date(y, m, d).unwrap()
    }

    #[test]
    fn days_are_china_days() {
        assert_eq!(day_of(0), 0);
        assert_eq!(date_of(0), (1970, 1, 1));
        // 1969-12-31 16:00 UTC is already 1970-01-01 in China.
        assert_eq!(day_of(-CHINA_OFFSET_MS), 0);
        assert_eq!(day_of(-CHINA_OFFSET_MS - 1), -1);
        assert_eq!(label(-1), "1969-12-31");
        let nov30 = day(2026, 11, 30);
        assert_eq!(label(nov30), "2026-11-30");
        assert_eq!(
            time::format_china_time(day_start_ms(nov30)),
            "2026-11-30 00:00"
        );
        assert_eq!(day_of(day_start_ms(nov30)), nov30);
        assert_eq!(day_of(day_start_ms(nov30) + DAY_MS - 1), nov30);
        assert_eq!(day_of(day_start_ms(nov30) + DAY_MS), nov30 + 1);
        assert_eq!(day_of(i64::MAX), i32::MAX);
        assert_eq!(day_of(i64::MIN), i32::MIN);
        assert_eq!(weekday(0), 3);
        assert_eq!(weekday(nov30), 0, "2026-11-30 is a Monday");
    }

    #[test]
    fn month_ends_and_leap_years() {
        assert_eq!(day(2024, 2, 29) + 1, day(2024, 3, 1));
        assert_eq!(day(2023, 2, 28) + 1, day(2023, 3, 1));
        assert_eq!(day(2026, 12, 31) + 1, day(2027, 1, 1));
        assert_eq!(day(2026, 4, 30) + 1, day(2026, 5, 1));
        assert_eq!(day_from_date(2023, 2, 29), None);
        assert_eq!(day_from_date(1900, 2, 29), None);
        assert!(day_from_date(2000, 2, 29).is_some());
        assert_eq!(day_from_date(2026, 4, 31), None);
        assert_eq!(day_from_date(2026, 13, 1), None);
        assert_eq!(day_from_date(2026, 0, 1), None);
        assert_eq!(day_from_date(2026, 1, 0), None);
        assert_eq!(day_from_date(i32::MAX, 1, 1), None);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2026, 13), 0);
    }

    #[test]
    fn labels_parse_back() {
        let d = day(2026, 11, 30);
        assert_eq!(parse_label(&label(d)), Some(d));
        assert_eq!(parse_label(" 2026-02-29"), None);
        assert_eq!(parse_label("2026-11"), None);
        assert_eq!(parse_label("天-1-1"), None);
    }

    #[test]
    fn streaks() {
        let today = day(2026, 3, 1);
        assert_eq!(streak(&[], today), 0);
        assert_eq!(streak(&[today], today), 1);
        // Across the end of February, in any order and with repeats.
        let run = [today - 1, today, today - 2, today - 1, today - 3];
        assert_eq!(streak(&run, today), 4);
        // Not yet checked in today: yesterday's run still counts.
        assert_eq!(streak(&[today - 1, today - 2], today), 2);
        // A missed day breaks it.
        assert_eq!(streak(&[today - 2, today - 3], today), 0);
        assert_eq!(streak(&[today, today - 2, today - 3], today), 1);
        // Future days are ignored.
        assert_eq!(streak(&[today + 1, today + 2], today), 0);
        assert_eq!(streak(&[i32::MIN], i32::MIN), 1);
        assert_eq!(streak(&[i32::MIN], i32::MIN + 1), 1);
        assert_eq!(longest_streak(&[5, 1, 2, 3, 3, 7, 8]), 3);
        assert_eq!(longest_streak(&[]), 0);
        assert_eq!(longest_streak(&[i32::MAX - 1, i32::MAX, i32::MIN]), 2);
    }

    #[test]
    fn month_grids_start_on_monday() {
        let checked: BTreeSet<i32> = [day(2026, 11, 2), day(2026, 11, 3)].into();
        let today = day(2026, 11, 3);
        let grid = month_grid(2026, 11, &checked, today);
        // 2026-11-01 is a Sunday: six blanks first; 30 days make six weeks.
        assert_eq!(grid.len(), 6);
        assert!(grid.iter().all(|week| week.len() == 7));
        assert!(grid[0][..6].iter().all(Option::is_none));
        let first = grid[0][6].unwrap();
        assert_eq!((first.day_of_month, first.checked), (1, false));
        let second = grid[1][0].unwrap();
        assert!(second.checked && !second.is_today && !second.future);
        let third = grid[1][1].unwrap();
        assert!(third.checked && third.is_today && !third.future);
        assert!(grid[1][2].unwrap().future);
        assert_eq!(grid[5][0].unwrap().day_of_month, 30);
        assert!(grid[5][1..].iter().all(Option::is_none));

        // February 2021 starts on a Monday and fills exactly four weeks.
        let feb = month_grid(2021, 2, &BTreeSet::new(), 0);
        assert_eq!(feb.len(), 4);
        assert!(feb.iter().flatten().all(Option::is_some));
        // A leap February has its 29th.
        let leap = month_grid(2024, 2, &BTreeSet::new(), 0);
        let days: Vec<u32> = leap
            .iter()
            .flatten()
            .flatten()
            .map(|c| c.day_of_month)
            .collect();
        assert_eq!(days.last(), Some(&29));
        assert_eq!(leap[0][3].map(|c| c.day), day_from_date(2024, 2, 1));
        assert!(month_grid(2026, 13, &BTreeSet::new(), 0).is_empty());
    }

    proptest! {
        #[test]
        fn dates_round_trip(d in any::<i32>()) {
            let (y, m, dd) = date_of(d);
            prop_assert!((1..=12).contains(&m));
            prop_assert!(dd >= 1 && dd <= days_in_month(y, m));
            prop_assert_eq!(day_from_date(y, m, dd), Some(d));
        }

        #[test]
        fn days_follow_each_other(d in -1_000_000i32..1_000_000) {
            let (y, m, dd) = date_of(d);
            let next = date_of(d + 1);
            let expected = if dd < days_in_month(y, m) {
                (y, m, dd + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
            prop_assert_eq!(next, expected);
            prop_assert_eq!(weekday(d + 1), (weekday(d) + 1) % 7);
            prop_assert_eq!(day_of(day_start_ms(d)), d);
            prop_assert_eq!(day_of(day_start_ms(d) - 1), d - 1);
        }

        #[test]
        fn streak_never_exceeds_distinct_days(
            days in proptest::collection::vec(-20i32..20, 0..30),
            today in -20i32..20,
        ) {
            let s = streak(&days, today);
            let distinct: BTreeSet<i32> = days.iter().copied().collect();
            prop_assert!(s as usize <= distinct.len());
            prop_assert!(s <= longest_streak(&days));
            if s > 0 {
                prop_assert!(distinct.contains(&today) || distinct.contains(&(today - 1)));
            }
        }
    }
}
