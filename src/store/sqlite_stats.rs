//! The statistics queries in SQLite: per intent and per week, with one
//! definition of solved, handed over and open shared by both.

use super::{IntentStats, StoreError, WeekStats};
use rusqlite::Connection;

/// The three outcomes as SQL sums over `conversations`. `escalated` is the
/// column, not the stage: staff resolving a handed-over case changes its
/// stage to `resolved` but it stays a case a person solved.
const OUTCOMES: &str = "SUM(stage = 'resolved' AND escalated = 0), SUM(escalated <> 0)";

/// The Monday 00:00 UTC that starts the week of `created_at`, as
/// `stats::weeks::week_start` computes it (1970-01-05 was a Monday; the
/// double modulo keeps a negative remainder out of it).
const WEEK_START: &str = "created_at - ((created_at - 345600) % 604800 + 604800) % 604800";

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub fn intents(conn: &Connection, since: i64) -> Result<Vec<IntentStats>, StoreError> {
    let mut by_intent = conn.prepare(&format!(
        "SELECT intent, COUNT(*), {OUTCOMES} FROM conversations
         WHERE intent IS NOT NULL AND created_at >= ?1 GROUP BY intent ORDER BY COUNT(*) DESC, intent"
    ))?;
    let mut stats = by_intent
        .query_map([since], |r| {
            let conversations = count(r.get(1)?);
            let resolved = count(r.get(2)?);
            let escalated = count(r.get(3)?);
            Ok(IntentStats {
                intent: r.get(0)?,
                conversations,
                resolved,
                escalated,
                open: conversations.saturating_sub(resolved + escalated),
                fixed_by_step: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut steps = conn.prepare(
        "SELECT f.intent, f.step, COUNT(*) FROM feedback f JOIN conversations c ON c.id = f.conversation
         WHERE f.outcome = 'fixed' AND c.created_at >= ?1 GROUP BY f.intent, f.step ORDER BY f.intent, f.step",
    )?;
    let rows = steps.query_map([since], |r| {
        Ok((
            r.get::<_, String>(0)?,
            usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
            count(r.get(2)?),
        ))
    })?;
    for row in rows {
        let (intent, step, n) = row?;
        if let Some(s) = stats.iter_mut().find(|s| s.intent == intent) {
            s.fixed_by_step.push((step, n));
        }
    }
    Ok(stats)
}

/// The conversations `intents` counts (those with an intent), so the
/// weeks add up to the same totals.
pub fn weeks(conn: &Connection, since: i64) -> Result<Vec<WeekStats>, StoreError> {
    let mut by_week = conn.prepare(&format!(
        "SELECT {WEEK_START} AS week, COUNT(*), {OUTCOMES} FROM conversations
         WHERE intent IS NOT NULL AND created_at >= ?1 GROUP BY week ORDER BY week"
    ))?;
    let rows = by_week.query_map([since], |r| {
        Ok(WeekStats {
            week_start: r.get(0)?,
            conversations: count(r.get(1)?),
            resolved: count(r.get(2)?),
            escalated: count(r.get(3)?),
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[cfg(test)]
#[path = "sqlite_stats_tests.rs"]
mod tests;
