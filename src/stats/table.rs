//! The statistics as plain text: one intent a line, busiest first, then
//! the recent weeks, in fixed-width columns for a terminal or a code block.

use super::Report;
use super::weeks::date;
use std::fmt::Write as _;

/// A longer weekly list would bury the intents above it; the JSON and the
/// chart carry every week.
const WEEKS_SHOWN: usize = 12;

pub fn table(report: &Report) -> String {
    if report.intents.is_empty() {
        return format!(
            "No conversations in the last {} day(s) ({} to {}).",
            report.days,
            date(report.since),
            date(report.until),
        );
    }
    let mut out = format!("{}, by problem:\n", report.period());
    // `write!` to a String cannot fail.
    let _ = writeln!(
        out,
        "{:<3} {:<28} {:>6} {:>7} {:>7} {:>6}  steps that fixed it (step×cases)",
        "#", "intent", "convs", "solved", "person", "open"
    );
    for (i, s) in report.intents.iter().enumerate() {
        let steps: Vec<String> = s
            .fixed_by_step
            .iter()
            .map(|(step, n)| format!("{step}×{n}"))
            .collect();
        let _ = writeln!(
            out,
            "{:<3} {:<28} {:>6} {:>7} {:>7} {:>6}  {}",
            i + 1,
            s.intent,
            s.conversations,
            s.resolved,
            s.escalated,
            s.open,
            if steps.is_empty() {
                "-".to_string()
            } else {
                steps.join(" ")
            }
        );
    }
    let (total, solved, person, open) = report.totals();
    let _ = writeln!(
        out,
        "all: {total} conversations: {solved} solved by the bot, {person} handed to a person, {open} open"
    );
    out.push_str(&weeks(report));
    out
}

/// The review queue's line: what is waiting for staff. Apart from the
/// table, which Discord may have to cut short.
pub fn review_line(report: &Report) -> String {
    let r = report.review;
    format!(
        "Review queue: {} open, {} labelled, {} skipped (`/kb review` or `syncmedic review`).",
        r.open, r.labelled, r.skipped
    )
}

/// The weekly section, most recent weeks last as on the chart.
fn weeks(report: &Report) -> String {
    let mut out = String::from("\nBy week (weeks start Monday, UTC):\n");
    let _ = writeln!(
        out,
        "{:<10} {:>6} {:>7} {:>7}",
        "week of", "convs", "solved", "person"
    );
    let skip = report.weeks.len().saturating_sub(WEEKS_SHOWN);
    for w in &report.weeks[skip..] {
        let _ = writeln!(
            out,
            "{:<10} {:>6} {:>7} {:>7}",
            date(w.week_start),
            w.conversations,
            w.resolved,
            w.escalated
        );
    }
    if skip > 0 {
        let _ = writeln!(
            out,
            "(the {WEEKS_SHOWN} most recent of {} weeks)",
            report.weeks.len()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixture::{NOW, sample};

    #[test]
    fn table_lists_each_intent_totals_and_weeks() {
        let t = table(&sample());
        assert!(t.contains("status-paused") && t.contains("1×4 2×2"), "{t}");
        assert!(
            t.contains("all: 13 conversations: 6 solved by the bot, 5 handed to a person, 2 open"),
            "{t}"
        );
        let row = t
            .lines()
            .find(|l| l.contains("status-paused"))
            .unwrap_or_default();
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(&cells[2..6], ["10", "6", "2", "2"], "{row}");
        let weeks: Vec<&str> = t
            .lines()
            .skip_while(|l| !l.starts_with("week of"))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        assert_eq!(weeks.len(), 2, "{t}");
        assert!(weeks[0].starts_with("2026-11-23"), "{t}");
        assert_eq!(
            review_line(&sample()),
            "Review queue: 4 open, 2 labelled, 1 skipped (`/kb review` or `syncmedic review`)."
        );
    }

    #[test]
    fn no_conversations_says_so_with_the_period() {
        let empty = Report::new(7, NOW, vec![], &[]);
        assert_eq!(
            table(&empty),
            "No conversations in the last 7 day(s) (2026-11-28 to 2026-12-05)."
        );
    }

    #[test]
    fn a_long_period_shows_the_recent_weeks() {
        let year = Report::new(365, NOW, sample().intents, &[]);
        let t = table(&year);
        assert!(t.contains("(the 12 most recent of 53 weeks)"), "{t}");
        let last_week = t
            .lines()
            .take_while(|l| !l.starts_with("(the 12 most recent"))
            .last();
        assert!(
            last_week.is_some_and(|l| l.starts_with("2026-11-30")),
            "{t}"
        );
    }
}
