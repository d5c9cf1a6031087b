//! The backlog of questions in SQLite.

use super::sqlite_tickets::now_ms;
use super::{BacklogRow, StoreError};
use rusqlite::{Connection, params};

/// Message ids are Discord snowflakes (below 2^63).
fn sql_id(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// Keeps `message` once: a read-back of a question already waiting (the
/// catch-up after a restart) leaves the one row as it is.
pub fn push(conn: &Connection, row: &BacklogRow) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO backlog (message, author, payload, queued_at) VALUES (?1, ?2, ?3, ?4)",
        params![sql_id(row.message), sql_id(row.author), row.payload, now_ms()],
    )?;
    Ok(())
}

/// The oldest `limit` questions waiting: by id, which on Discord is the
/// time the question was asked.
pub fn oldest(conn: &Connection, limit: usize) -> Result<Vec<BacklogRow>, StoreError> {
    let mut statement =
        conn.prepare("SELECT message, author, payload FROM backlog ORDER BY message LIMIT ?1")?;
    let rows = statement.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        Ok(BacklogRow {
            message: r.get::<_, i64>(0)? as u64,
            author: r.get::<_, i64>(1)? as u64,
            payload: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn remove(conn: &Connection, message: u64) -> Result<(), StoreError> {
    conn.execute("DELETE FROM backlog WHERE message = ?1", [sql_id(message)])?;
    Ok(())
}
