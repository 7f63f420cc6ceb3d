//! Dates as the academy shows them: China time (UTC+8, no daylight saving),
//! from and to the database's UTC milliseconds. Pure arithmetic, no clock.

/// Milliseconds at the start of a `YYYY-MM-DD` day in China (UTC+8).
pub fn day_start_ms(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400_000 - 8 * 3_600_000)
}

/// `YYYY-MM-DD HH:MM` in China time, for showing timestamps.
pub fn format_china_time(ms: i64) -> String {
    let local = ms + 8 * 3_600_000;
    let days = local.div_euclid(86_400_000);
    let in_day = local.rem_euclid(86_400_000) / 60_000;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        in_day / 60,
        in_day % 60
    )
}

/// The calendar year in China at `ms`.
pub fn china_year(ms: i64) -> i32 {
    let formatted = format_china_time(ms);
    formatted[..4].parse().unwrap_or(1970)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_dates_round_trip() {
        let start = day_start_ms("2026-11-30").unwrap();
        assert_eq!(format_china_time(start), "2026-11-30 00:00");
        assert_eq!(
            format_china_time(start + 86_400_000 - 60_000),
            "2026-11-30 23:59"
        );
        assert_eq!(format_china_time(0), "1970-01-01 08:00");
        assert_eq!(
            day_start_ms("2024-02-29").map(format_china_time).as_deref(),
            Some("2024-02-29 00:00")
        );
        assert_eq!(day_start_ms("2026-13-01"), None);
        assert_eq!(day_start_ms("yesterday"), None);
        assert_eq!(china_year(start), 2026);
        // New Year's Eve 16:00 UTC is already New Year in China.
        assert_eq!(china_year(day_start_ms("2027-01-01").unwrap()), 2027);
    }
}
