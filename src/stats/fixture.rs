//! Statistics to draw and print in tests, and for the README's example.

use super::Report;
use super::weeks::{DAY, WEEK, week_start};
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
    let mut report = Report::new(
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
    );
    report.review = crate::review::Counts {
        open: 4,
        labelled: 2,
        skipped: 1,
    };
    report
}

/// A busier month: many intents (more than the chart's rows), long
/// ids, and a quiet week in the trend.
pub fn month() -> Report {
    let names = [
        "status-paused",
        "status-waiting-to-upload",
        "storage-full",
        "photo-missing-other-device",
        "incomplete-items-dialog",
        "status-optimizing",
        "shared-albums",
        "upload-stuck",
        "large-files",
        "network-problems",
        "windows-problems",
        "apple-id-mismatch",
        "new-device-migration",
        "hidden-or-deleted",
        "edits-not-syncing",
        "blurry-thumbnails",
        "low-power-mode",
        "status-cellular",
    ];
    let intents: Vec<IntentStats> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let n = 60 / (i as u64 + 1) + 1;
            intent(name, n * 6 / 10, n / 4, n - n * 6 / 10 - n / 4)
        })
        .collect();
    // The same totals spread over the weeks, better in the later ones,
    // with one quiet week.
    let sum = |f: fn(&IntentStats) -> u64| intents.iter().map(f).sum::<u64>();
    let (all, solved, person) = (
        sum(|s| s.conversations),
        sum(|s| s.resolved),
        sum(|s| s.escalated),
    );
    let first = week_start(NOW - 30 * DAY);
    let shares = [
        (15, 10, 22),
        (20, 15, 26),
        (0, 0, 0),
        (35, 40, 30),
        (30, 35, 22),
    ];
    let weeks: Vec<WeekStats> = shares
        .iter()
        .enumerate()
        .filter(|(_, share)| share.0 > 0)
        .map(|(i, &(c, r, e))| WeekStats {
            week_start: first + i as i64 * WEEK,
            conversations: all * c / 100,
            resolved: solved * r / 100,
            escalated: person * e / 100,
        })
        .collect();
    Report::new(30, NOW, intents, &weeks)
}
