//! What helped, per intent and per week: a table for people, a chart for
//! Discord, and the JSON for anything else, all from one `Report`.

mod chart;
pub mod layout;
mod table;
mod text;
pub mod weeks;

pub use chart::{ChartError, chart_png};
pub use table::{review_line, table};

use crate::review::Counts;
use crate::store::{IntentStats, Store, StoreError, WeekStats};

/// The statistics of one period. Serialised as `{"days", "intents",
/// "weeks", "review"}`: the period's ends follow from `days` and are left
/// out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub days: u32,
    /// The period, unix seconds: for titles, not for the JSON.
    #[serde(skip)]
    pub since: i64,
    #[serde(skip)]
    pub until: i64,
    pub intents: Vec<IntentStats>,
    /// Every week of the period, oldest first, quiet ones as zeros.
    pub weeks: Vec<WeekStats>,
    /// Where the review queue stands now (not only this period's items).
    pub review: Counts,
}

impl Report {
    /// `weeks` as the store gives them (only weeks with conversations).
    pub fn new(days: u32, until: i64, intents: Vec<IntentStats>, weeks: &[WeekStats]) -> Report {
        let since = until - i64::from(days) * weeks::DAY;
        Report {
            days,
            since,
            until,
            intents,
            weeks: weeks::fill(weeks, since, until),
            review: Counts::default(),
        }
    }

    /// "Last 7 days: 2026-11-28 to 2026-12-05".
    pub fn period(&self) -> String {
        let span = if self.days == 1 {
            "Last day".to_string()
        } else {
            format!("Last {} days", self.days)
        };
        format!(
            "{span}: {} to {}",
            weeks::date(self.since),
            weeks::date(self.until)
        )
    }

    /// (conversations, solved by the bot, handed to a person, open).
    pub fn totals(&self) -> (u64, u64, u64, u64) {
        self.intents.iter().fold((0, 0, 0, 0), |t, s| {
            (
                t.0 + s.conversations,
                t.1 + s.resolved,
                t.2 + s.escalated,
                t.3 + s.open,
            )
        })
    }
}

/// The last `days` days up to `now` (unix seconds), read from the store:
/// what `syncmedic stats` and `/kb stats` both show.
pub async fn gather(store: &dyn Store, days: u32, now: i64) -> Result<Report, StoreError> {
    let since = now - i64::from(days) * weeks::DAY;
    let intents = store.stats(since).await?;
    let by_week = store.weekly_stats(since).await?;
    let mut report = Report::new(days, now, intents, &by_week);
    report.review = store.review_counts().await?;
    Ok(report)
}

#[cfg(test)]
pub(crate) mod fixture;
