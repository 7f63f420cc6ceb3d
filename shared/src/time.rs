//! Timestamps as the academy shows them: China time (UTC+8, no daylight
//! saving), from the database's UTC milliseconds. The calendar itself (day
//! numbers, dates, labels) is `checkin`'s. Pure arithmetic, no clock.

use crate::checkin::{CHINA_OFFSET_MS, DAY_MS, date_of, day_of};

/// `YYYY-MM-DD HH:MM` in China time, for showing timestamps.
pub fn format_china_time(ms: i64) -> String {
    let (year, month, day) = date_of(day_of(ms));
    let minute_of_day = ms.saturating_add(CHINA_OFFSET_MS).rem_euclid(DAY_MS) / 60_000;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

/// The calendar year in China at `ms`.
pub fn china_year(ms: i64) -> i32 {
    date_of(day_of(ms)).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkin::{day_start_ms, parse_label};

    fn start(date: &str) -> Option<i64> {
        parse_label(date).map(day_start_ms)
    }

    #[test]
    fn china_dates_round_trip() {
        let midnight = start("2026-11-30").unwrap();
        assert_eq!(format_china_time(midnight), "2026-11-30 00:00");
        assert_eq!(
            format_china_time(midnight + 86_400_000 - 60_000),
            "2026-11-30 23:59"
        );
        assert_eq!(format_china_time(0), "1970-01-01 08:00");
        assert_eq!(
            start("2024-02-29").map(format_china_time).as_deref(),
            Some("2024-02-29 00:00")
        );
        assert_eq!(start("2026-13-01"), None);
        assert_eq!(start("yesterday"), None);
        // A date that does not exist is refused, not rolled over into March.
        assert_eq!(start("2026-02-31"), None);
        assert_eq!(china_year(midnight), 2026);
        // New Year's Eve 16:00 UTC is already New Year in China.
        assert_eq!(china_year(start("2027-01-01").unwrap()), 2027);
    }
}
