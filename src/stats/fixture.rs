//! Statistics to draw and print in tests, and for the README's example.

use super::Report;
use super::weeks::{WEEK, week_start};
use crate::store::{IntentStats, WeekStats};

/// Saturday 2026-12-05, noon UTC.
pub const NOW: i64 = 1_796_472_000;

pub fn intent(name: &str, resolved: u64, escalated: u64, open: u64) -> IntentStats {
    IntentStats {
        intent: name.into(),
        conversations: resolved + escalated + open,
        resolved,
        escalated,
        open,
        fixed_by_step: vec![],
    }
}

/// Two intents over the last 7 days, in two weeks.
pub fn sample() -> Report {
    let mut paused = intent("status-paused", 6, 2, 2);
    paused.fixed_by_step = vec![(1, 4), (2, 2)];
    let this_week = week_start(NOW);
    Report::new(
        7,
        NOW,
        vec![paused, intent("storage-full", 0, 3, 0)],
        &[
            WeekStats {
                week_start: this_week - WEEK,
                conversations: 3,
                resolved: 1,
                escalated: 1,
            },
            WeekStats {
                week_start: this_week,
                conversations: 10,
                resolved: 5,
                escalated: 4,
            },
        ],
    )
}
