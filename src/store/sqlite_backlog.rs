//! The backlog of questions in SQLite.

use super::StoreError;
use super::sqlite_tickets::now_ms;
use rusqlite::{Connection, params};

/// Message ids are Discord snowflakes (below 2^63).
fn sql_id(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// Keeps `message` once: a read-back of a question already waiting (the
/// catch-up after a restart) leaves the one row as it is.
pub fn push(conn: &Connection, message: u64, payload: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO backlog (message, payload, queued_at) VALUES (?1, ?2, ?3)",
        params![sql_id(message), payload, now_ms()],
    )?;
    Ok(())
}

/// The oldest `limit` questions waiting: by id, which on Discord is the
/// time the question was asked.
pub fn oldest(conn: &Connection, limit: usize) -> Result<Vec<(u64, String)>, StoreError> {
    let mut statement =
        conn.prepare("SELECT message, payload FROM backlog ORDER BY message LIMIT ?1")?;
    let rows = statement.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn remove(conn: &Connection, message: u64) -> Result<(), StoreError> {
    conn.execute("DELETE FROM backlog WHERE message = ?1", [sql_id(message)])?;
    Ok(())
}
