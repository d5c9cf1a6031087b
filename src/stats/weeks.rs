//! Calendar arithmetic for the weekly trend, without a date crate: weeks
//! start on Monday at 00:00 UTC, and a week with no conversations is a
//! zero, not a gap, so the trend line does not skip over quiet weeks.

use crate::store::WeekStats;

pub const DAY: i64 = 86_400;
pub const WEEK: i64 = 7 * DAY;
/// 1970-01-01 was a Thursday; 1970-01-05, four days on, a Monday. The
/// store's SQL uses the same number.
const FIRST_MONDAY: i64 = 4 * DAY;

/// The Monday 00:00 UTC at or before `t` (unix seconds).
pub fn week_start(t: i64) -> i64 {
    t - (t - FIRST_MONDAY).rem_euclid(WEEK)
}

/// Every week from the one holding `since` to the one holding `until`,
/// in order, with the store's rows in place and zeros elsewhere. A row
/// outside that span widens it rather than being dropped.
pub fn fill(rows: &[WeekStats], since: i64, until: i64) -> Vec<WeekStats> {
    let starts = rows.iter().map(|r| week_start(r.week_start));
    let first = starts.clone().chain([week_start(since)]).min();
    let last = starts.chain([week_start(until)]).max();
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let count = usize::try_from((last - first) / WEEK + 1).unwrap_or(0);
    let mut weeks: Vec<WeekStats> = (0..count)
        .map(|i| WeekStats {
            week_start: first + i as i64 * WEEK,
            ..WeekStats::default()
        })
        .collect();
    for row in rows {
        let index = usize::try_from((week_start(row.week_start) - first) / WEEK).unwrap_or(0);
        if let Some(week) = weeks.get_mut(index) {
            week.conversations += row.conversations;
            week.resolved += row.resolved;
            week.escalated += row.escalated;
        }
    }
    weeks
}

/// `t` as YYYY-MM-DD (UTC).
pub fn date(t: i64) -> String {
    let (y, m, d) = civil(t.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `t` as "Nov 30" (UTC): short enough for an axis label.
pub fn month_day(t: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (_, m, d) = civil(t.div_euclid(DAY));
    let month = MONTHS.get(m as usize - 1).copied().unwrap_or("?");
    format!("{month} {d}")
}

/// The year `t` falls in (UTC).
pub fn year(t: i64) -> i64 {
    civil(t.div_euclid(DAY)).0
}

/// Days since 1970-01-01 to (year, month, day): Howard Hinnant's
/// `civil_from_days`, exact over the whole proleptic Gregorian calendar.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 2026-11-30 00:00:00 UTC.
    const MONDAY: i64 = 1_795_996_800;

    fn week(week_start: i64, conversations: u64, resolved: u64, escalated: u64) -> WeekStats {
        WeekStats {
            week_start,
            conversations,
            resolved,
            escalated,
        }
    }

    #[test]
    fn a_week_starts_on_monday_at_midnight() {
        for (t, start) in [
            (MONDAY, MONDAY),
            (MONDAY + 1, MONDAY),
            (MONDAY - 1, MONDAY - WEEK), // Sunday 23:59:59
            (MONDAY + WEEK - 1, MONDAY),
            (MONDAY + WEEK, MONDAY + WEEK),
            (MONDAY + 3 * DAY + 12 * 3_600, MONDAY), // Thursday noon
            (0, -3 * DAY),                           // 1970-01-01, a Thursday
            (FIRST_MONDAY, FIRST_MONDAY),
        ] {
            assert_eq!(week_start(t), start, "{t} ({})", date(t));
        }
    }

    #[test]
    fn fill_puts_zeros_in_the_quiet_weeks() {
        struct Case {
            name: &'static str,
            rows: Vec<WeekStats>,
            since: i64,
            until: i64,
            want: Vec<WeekStats>,
        }
        let cases = [
            Case {
                name: "nothing stored: every week of the period, all zero",
                rows: vec![],
                since: MONDAY + 2 * DAY,
                until: MONDAY + 2 * WEEK + DAY,
                want: vec![
                    week(MONDAY, 0, 0, 0),
                    week(MONDAY + WEEK, 0, 0, 0),
                    week(MONDAY + 2 * WEEK, 0, 0, 0),
                ],
            },
            Case {
                name: "a gap in the middle is a zero",
                rows: vec![week(MONDAY, 3, 2, 1), week(MONDAY + 2 * WEEK, 1, 0, 1)],
                since: MONDAY,
                until: MONDAY + 2 * WEEK,
                want: vec![
                    week(MONDAY, 3, 2, 1),
                    week(MONDAY + WEEK, 0, 0, 0),
                    week(MONDAY + 2 * WEEK, 1, 0, 1),
                ],
            },
            Case {
                name: "a period inside one week is that week",
                rows: vec![week(MONDAY, 5, 4, 0)],
                since: MONDAY + DAY,
                until: MONDAY + 3 * DAY,
                want: vec![week(MONDAY, 5, 4, 0)],
            },
            Case {
                name: "Sunday night and Monday morning are two weeks",
                rows: vec![],
                since: MONDAY - 1,
                until: MONDAY,
                want: vec![week(MONDAY - WEEK, 0, 0, 0), week(MONDAY, 0, 0, 0)],
            },
            Case {
                name: "a row after the period widens it, not lost",
                rows: vec![week(MONDAY + WEEK, 1, 1, 0)],
                since: MONDAY,
                until: MONDAY + DAY,
                want: vec![week(MONDAY, 0, 0, 0), week(MONDAY + WEEK, 1, 1, 0)],
            },
        ];
        for case in cases {
            assert_eq!(
                fill(&case.rows, case.since, case.until),
                case.want,
                "{}",
                case.name
            );
        }
    }

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(MONDAY), "2026-11-30");
        assert_eq!(date(MONDAY - 1), "2026-11-29");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(month_day(MONDAY + 2 * DAY), "Dec 2");
        assert_eq!(year(MONDAY + 5 * WEEK), 2027);
    }
}
